/*
** blocks.h: where the rule blocks of a literate rule file are.  cmark is
** the authority on Markdown block structure: blk_scan parses the file as
** CommonMark and returns, for every top-level fenced code block whose
** info string's first word is `rule`, the byte range of its content, which
** is all the rule scanner ever reads.  It also collects the headings (for
** each declaration's heading path) and reports every place where the
** author evidently meant a rule block that Markdown does not show as one:
** an unclosed block, a fence inside a list or block quote, a fence
** indented by a tab, a fence Markdown reads as text.
*/
#ifndef LRC_BLOCKS_H
#define LRC_BLOCKS_H

#include "arena.h"
#include "diag.h"
#include "source.h"

typedef struct {
	uint32_t open_start, open_end;   /* the opening fence's backticks or tildes */
	uint32_t body_start, body_end;   /* the content: the bytes the scanner reads */
	uint32_t close_start, close_end; /* the closing fence; = body_end when unclosed */
	int closed;                      /* 0: runs to the end of file, or cut short */
	uint32_t cut_line;               /* unclosed: the line of the rule fence it ran into; 0 = EOF */
	int fence_char;                  /* '`' or '~' */
	uint32_t fence_len;
} blk_rule;

typedef struct {
	uint32_t line;
	int level;
	const char *text;
} blk_heading;

typedef struct {
	ptrvec rules;    /* blk_rule *, in file order, ranges disjoint and ascending */
	ptrvec headings; /* blk_heading *, in file order */
} blk_doc;

/** Finds the rule blocks and headings of f (which must be valid UTF-8)
 ** and reports block-structure problems to d.  Returns 0, or -1 if cmark
 ** failed (out of memory; reported). */
int blk_scan(blk_doc *out, arena *a, diag_ctx *d, const src_file *f);

#endif
