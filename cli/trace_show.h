/*
** trace_show.h: the text-showing half of `litrule trace` (trs_*): a
** file's lines, a rule's own text and the prose paragraph before its
** rule block, and a quotation shown inside its passage of a stored
** source text with a few lines of context.  Everything works on bytes
** already read from git objects; nothing here touches git.
*/
#ifndef LRC_TRACE_SHOW_H
#define LRC_TRACE_SHOW_H

#include <stddef.h>
#include <stdio.h>

typedef struct {
	const char **line;  /* line[k]: start of line k+1 (into the caller's bytes) */
	size_t *len;        /* its length without the newline */
	size_t n;
} trs_lines;

/** Splits data (size bytes) into lines; returns 0 or -1 (out of memory).
 ** data must outlive *out; release with trs_lines_free. */
int trs_lines_split(trs_lines *out, const char *data, size_t size);
void trs_lines_free(trs_lines *l);

/** Prints lines first..last (1-based, clamped), each as "INDENT  N | text". */
void trs_print_span(FILE *out, const trs_lines *l, size_t first, size_t last, const char *indent);

/** Prints the paragraph of prose before the rule block holding line
 ** `line` (the block's opening fence is searched upward), or says there
 ** is none.  Headings and other fences end the search. */
void trs_print_prose(FILE *out, const trs_lines *l, size_t line, const char *indent);

/** Finds quote in text as the compiler matches it (runs of white space
 ** equal one space) and prints it in its passage: `context` lines before
 ** and after, the quote between "»" and "«", its lines marked with '>'.
 ** Returns 0, or -1 when the quote is not found byte for byte (the
 ** compiler also applies Unicode NFC; the caller says so). */
int trs_print_quote(FILE *out, const char *text, size_t size, const char *quote, size_t context, const char *indent);

#endif
