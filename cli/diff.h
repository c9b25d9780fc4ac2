/*
** diff.h: the semantic diff between two compiled versions of a rule set
** (`litrule diff`, docs/diff.md), as functions other commands can call
** (the audit report's change section).
**
**   structural: declarations (inputs, params, sources, lets, rules,
**     tables, schedules) added, removed and changed, matched by kind and
**     id, each changed one with a line diff of its text, its location at
**     both versions, and its citations compared one by one;
**   outcomes: the examples of both versions and a generated corpus of
**     patients (boundary values, table row edges, schedule boundaries,
**     missing values, a seeded random sample) evaluated under both
**     versions; every patient whose decisions differ is kept, with its
**     inputs and both decisions, grouped by the rules that changed.
**
** Everything is deterministic: the same two versions and options give
** the same result, byte for byte, in both output formats.
*/
#ifndef LRC_CLI_DIFF_H
#define LRC_CLI_DIFF_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "cli_common.h"

/* ---- line diff (diff_lines.c) -------------------------------------------- */

/* One line of a line diff: op ' ' (in both), '-' (only in a), '+' (only
 * in b); text points into the caller's buffers (len bytes, no newline). */
typedef struct {
	char op;
	const char *text;
	size_t len;
} diff_line;

/* Above this many lines on one side the diff is not computed line by line
 * (every old line removed, every new line added), so time and memory stay
 * bounded whatever the input. */
#define DIFF_MAX_LINES 1000

/** Line diff of a[0..alen) and b[0..blen) (texts split at LF; a final
 ** line without LF counts).  *out is malloc'd (*nout entries), the caller
 ** frees it.  A longest-common-subsequence diff, iterative, O(n*m) time
 ** and memory.  Returns 0, or -1 when out of memory. */
int diff_lines(diff_line **out, size_t *nout, const char *a, size_t alen, const char *b, size_t blen);

/* ---- the diff ------------------------------------------------------------ */

typedef struct {
	uint32_t patients;   /* generated corpus size (examples not counted) */
	uint64_t seed;       /* for the random sample */
} cli_diff_opts;

#define CLI_DIFF_DEFAULT_PATIENTS 2000u

typedef enum { DIFF_ADDED, DIFF_REMOVED, DIFF_CHANGED } diff_change;

typedef struct {
	char change;         /* '+' added, '-' removed, 'q' quote changed */
	const char *source, *locator;
	const char *quote_a, *quote_b;   /* NULL on the side that lacks it */
} diff_cite;

typedef struct {
	diff_change change;
	const char *kind;    /* "input", "rule", ... */
	const char *id;
	const decl *a, *b;   /* NULL on the side that lacks it */
	diff_line *lines;    /* DIFF_CHANGED: line diff of the declaration text */
	size_t nlines;
	diff_cite *cites;
	size_t ncites;
	int text_changed;    /* a source whose stored text differs */
} diff_decl;

/* A patient in the space of both versions' inputs: state 0 absent, 1
 * known; v as in lr_record, enumeration values as an index into the
 * union input's value list. */
typedef struct {
	const char *name;
	lr_type type;
	int ia, ib;          /* index in a and b, -1: unknown there (or another type) */
	const char **values; /* enumerations: union of both versions' values */
	uint32_t nvalues;
} diff_input;

typedef enum { DP_EXAMPLE_A, DP_EXAMPLE_B, DP_BOUNDARY, DP_MISSING, DP_RANDOM } diff_pkind;

/* One patient whose decisions differ. */
typedef struct {
	diff_pkind kind;
	char *label;         /* "example E1 (rules/x.md:40)", "boundary age = 65", ... */
	uint8_t *state;      /* per union input */
	int64_t *v;
	char *before, *after;/* canonical decisions: one line each, "action: ...", "missing: ...", "error: ..." */
	char *group;         /* what changed: "R1, R2", "missing", "errors" */
} diff_patient;

typedef struct {
	char *key;           /* the group's text (diff_patient.group) */
	size_t *members;     /* indices into cli_diff.patients, in corpus order */
	size_t nmembers;
} diff_group;

typedef struct {
	const compiled *a, *b;
	diff_decl *decls;
	size_t ndecls;
	diff_input *inputs;
	size_t ninputs;
	/* Corpus: how many of each kind were evaluated. */
	uint32_t nexamples, nboundary, nmissing, nrandom;
	uint32_t boundary_values;  /* distinct boundary values found */
	uint32_t boundary_skipped; /* boundary patients that did not fit in --patients */
	uint32_t evaluated;        /* all patients evaluated (examples included) */
	diff_patient *patients;    /* those whose decisions differ, in corpus order */
	size_t npatients;
	diff_group *groups;        /* sorted by key */
	size_t ngroups;
	cli_diff_opts opts;
	arena mem;                 /* strings and arrays */
} cli_diff;

/** Computes the diff from a to b (both compiled, with examples run or
 ** not).  Returns 0, or -1 when out of memory.  Free with cli_diff_free
 ** either way; a and b must outlive out. */
int cli_diff_compute(cli_diff *out, const compiled *a, const compiled *b, const cli_diff_opts *o);
void cli_diff_free(cli_diff *d);

/** The diff as JSON (docs/diff.md); NULL when out of memory. */
json_t *cli_diff_json(const cli_diff *d);
/** The diff as text for people; at most show patients per group are
 ** printed in full, the others counted ("and N more"). */
void cli_diff_text(FILE *out, const cli_diff *d, unsigned show);
/** 1 if the versions differ in declarations or outcomes. */
int cli_diff_differs(const cli_diff *d);

/* ---- internal, between the diff's files ---------------------------------- */
int diff_decls(cli_diff *d);                 /* diff_decl.c */
int diff_outcomes(cli_diff *d);              /* diff_corpus.c */
/** Text of input u's value in patient (state, v) ("65.5", "2024-01-01", "true", "male"). */
void diff_value_text(char *buf, size_t n, const diff_input *u, int64_t v);

#endif
