/*
** trace_show.c: showing rule text, prose and quoted passages for
** `litrule trace` (trace_show.h).  Works on bytes in memory; the lines
** are scanned iteratively, so no input can make it recurse.
*/
#include "trace_show.h"

#include <stdlib.h>
#include <string.h>

int trs_lines_split(trs_lines *out, const char *data, size_t size)
{
	size_t i, n = 1, k = 0, start = 0;

	memset(out, 0, sizeof *out);
	for (i = 0; i < size; i++)
		n += data[i] == '\n';
	out->line = malloc(n * sizeof *out->line);
	out->len = malloc(n * sizeof *out->len);
	if (!out->line || !out->len) {
		trs_lines_free(out);
		return -1;
	}
	for (i = 0; i <= size; i++) {
		if (i < size && data[i] != '\n')
			continue;
		if (i == size && start == size) /* no empty line after a final newline */
			break;
		out->line[k] = data + start;
		out->len[k] = i - start;
		if (out->len[k] > 0 && out->line[k][out->len[k] - 1] == '\r')
			out->len[k]--;
		k++;
		start = i + 1;
	}
	out->n = k;
	return 0;
}

void trs_lines_free(trs_lines *l)
{
	free(l->line);
	free(l->len);
	l->line = NULL;
	l->len = NULL;
	l->n = 0;
}

void trs_print_span(FILE *out, const trs_lines *l, size_t first, size_t last, const char *indent)
{
	size_t k;
	if (first < 1)
		first = 1;
	for (k = first; k <= last && k <= l->n; k++)
		fprintf(out, "%s%5zu | %.*s\n", indent, k, (int)l->len[k - 1], l->line[k - 1]);
}

static int blank(const trs_lines *l, size_t k)
{
	size_t i;
	for (i = 0; i < l->len[k]; i++)
		if (l->line[k][i] != ' ' && l->line[k][i] != '\t')
			return 0;
	return 1;
}

/* A fence line: up to three spaces, then ``` or ~~~. */
static int fence(const trs_lines *l, size_t k)
{
	const char *p = l->line[k];
	size_t i = 0;
	while (i < 3 && i < l->len[k] && p[i] == ' ')
		i++;
	return l->len[k] >= i + 3 && (strncmp(p + i, "```", 3) == 0 || strncmp(p + i, "~~~", 3) == 0);
}

static int heading(const trs_lines *l, size_t k)
{
	return l->len[k] > 0 && l->line[k][0] == '#';
}

void trs_print_prose(FILE *out, const trs_lines *l, size_t line, const char *indent)
{
	size_t k = line > l->n ? l->n : line, first, last;

	/* Up to the opening fence of the block holding the rule. */
	while (k > 0 && !fence(l, k - 1))
		k--;
	if (k == 0) {
		fprintf(out, "%s(no rule block found above the rule)\n", indent);
		return;
	}
	k--; /* index of the fence line */
	while (k > 0 && blank(l, k - 1))
		k--;
	last = k;
	while (k > 0 && !blank(l, k - 1) && !heading(l, k - 1) && !fence(l, k - 1))
		k--;
	first = k;
	if (first == last) {
		fprintf(out, "%s(no prose paragraph right before the rule block)\n", indent);
		return;
	}
	trs_print_span(out, l, first + 1, last, indent);
}

static int space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* s with every run of white space as one space and none at either end;
 * off[i] (when off is not NULL) the byte offset in s of output byte i. */
static char *collapse(const char *s, size_t n, size_t **off)
{
	char *o = malloc(n + 1);
	size_t i, k = 0;
	int sp = 0;

	if (!o)
		return NULL;
	if (off && !(*off = malloc((n + 1) * sizeof **off))) {
		free(o);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (space(s[i])) {
			if (!sp && off)
				(*off)[k] = i; /* a space stands at its run's first byte */
			sp = 1;
			continue;
		}
		if (sp && k > 0)
			o[k++] = ' ';
		sp = 0;
		if (off)
			(*off)[k] = i;
		o[k++] = s[i];
	}
	o[k] = '\0';
	return o;
}

/* The 0-based line holding byte p of the text. */
static size_t line_of(const trs_lines *l, const char *p)
{
	size_t k = 0;
	while (k + 1 < l->n && l->line[k + 1] <= p)
		k++;
	return k;
}

static void print_marked(FILE *out, const trs_lines *l, size_t from, size_t to, const char *qs, const char *qe,
			 size_t ql0, size_t ql1, const char *indent)
{
	size_t k, i;
	for (k = from; k <= to && k < l->n; k++) {
		fprintf(out, "%s%s%5zu | ", indent, k >= ql0 && k <= ql1 ? "> " : "  ", k + 1);
		for (i = 0; i < l->len[k]; i++) {
			const char *p = l->line[k] + i;
			if (p == qs)
				fputs("\xc2\xbb", out); /* » */
			fputc(*p, out);
			if (p + 1 == qe)
				fputs("\xc2\xab", out); /* « */
		}
		fputc('\n', out);
	}
}

int trs_print_quote(FILE *out, const char *text, size_t size, const char *quote, size_t context, const char *indent)
{
	size_t *off = NULL, s, e, ql0, ql1;
	char *nt = collapse(text, size, &off), *nq = collapse(quote, strlen(quote), NULL), *hit;
	trs_lines l;
	int rc = -1;

	if (nt && nq && *nq && (hit = strstr(nt, nq)) != NULL && trs_lines_split(&l, text, size) == 0) {
		s = off[hit - nt];
		e = off[(size_t)(hit - nt) + strlen(nq) - 1] + 1;
		ql0 = line_of(&l, text + s);
		ql1 = line_of(&l, text + e - 1);
		print_marked(out, &l, ql0 > context ? ql0 - context : 0, ql1 + context, text + s, text + e, ql0, ql1,
			     indent);
		trs_lines_free(&l);
		rc = 0;
	}
	free(nt);
	free(nq);
	free(off);
	return rc;
}
