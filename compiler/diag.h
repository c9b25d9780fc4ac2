/*
** diag.h: the one diagnostics module.  Every stage reports through it;
** it collects messages, sorts them by position and prints them in GNU
** form (file:line:col: error: message) with the source line and a caret
** underline and the stable id in brackets, or as JSON for machines.  Nothing is printed until the
** caller asks, so one run reports every independent error.
*/
#ifndef LRC_DIAG_H
#define LRC_DIAG_H

#include <stdint.h>
#include <stdio.h>

#include "arena.h"
#include "source.h"

typedef enum { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } diag_severity;

typedef struct diag diag;
struct diag {
	diag_severity sev;
	const src_file *file;     /* NULL for messages about no file */
	uint32_t start, end;      /* byte span in file */
	uint32_t line, col;       /* 1-based, filled in when reported */
	uint32_t end_line, end_col;
	const char *id;           /* stable kebab-case id, e.g. "unknown-name" */
	const char *msg;
	ptrvec notes;             /* diag *, each DIAG_NOTE */
	size_t seq;               /* report order, for a stable sort */
	size_t file_rank;         /* set by diag_sort */
	/* For `litrule verify` (SARIF): */
	const char *props;        /* a JSON object's text: the finding's properties (a witness); NULL: none */
	const char *fp_key;       /* stable text naming the finding without line numbers; NULL: none */
};

typedef struct {
	arena *a;
	ptrvec items;             /* diag * (errors and warnings) */
	int nerrors, nwarnings;
	size_t max_errors;        /* stop recording past this many (0: none) */
	int werror;               /* treat warnings as errors */
} diag_ctx;

void diag_init(diag_ctx *d, arena *a);

/** Reports a message at f[start..end); returns it so notes can attach. */
diag *diag_report(diag_ctx *d, diag_severity sev, const src_file *f, uint32_t start,
		  uint32_t end, const char *id, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 7, 8)))
#endif
	;
/** Attaches a note (e.g. "first declared here") to parent. NULL-safe. */
void diag_note(diag_ctx *d, diag *parent, const src_file *f, uint32_t start, uint32_t end,
	       const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 6, 7)))
#endif
	;

/** Attaches the properties (a JSON object's text, copied) and the stable
 ** key of a finding (copied; verify hashes it into a SARIF fingerprint).
 ** NULL-safe; either may be NULL. */
void diag_set_finding(diag_ctx *d, diag *g, const char *props_json, const char *fp_key);

/** Sorts by file (in first-report order), then position. */
void diag_sort(diag_ctx *d);
/** Colour in diag_print_text (clang's: bold position, coloured severity,
 ** green caret); off by default.  The command line decides (a terminal,
 ** NO_COLOR, --color=). */
void diag_set_color(int on);
/** GNU text with source line and caret; each error and warning about a
 ** place in a file ends with its id in brackets
 ** ("file:1:2: error: unknown name 'x' [unknown-name]"). */
void diag_print_text(const diag_ctx *d, FILE *out);
/** A JSON array of {file,line,column,end_line,end_column,severity,id,message,notes}
 ** (and properties, when a finding has them). */
void diag_print_json(const diag_ctx *d, FILE *out);
/** The same array as a jansson value (new reference; verify adds to it). */
struct json_t;
struct json_t *diag_to_json(const diag_ctx *d);
/** Renders one message as text (used by tests). Caller frees. */
char *diag_format(const diag *g);

#endif
