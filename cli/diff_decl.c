/*
** diff_decl.c: the structural half of `litrule diff` (diff.h,
** diff_decls): declarations of both versions matched by kind and id,
** sorted merge so that the cost stays n log n, then compared by their
** source text; citations are compared one by one so that a changed
** quote is named explicitly, and a source whose stored text changed is
** flagged even when its declaration did not.
*/
#include "diff.h"

#include <stdlib.h>
#include <string.h>

static const char *kind_name(decl_kind k)
{
	switch (k) {
	case D_INPUT: return "input";
	case D_PARAM: return "param";
	case D_SOURCE: return "source";
	case D_LET: return "let";
	case D_RULE: return "rule";
	case D_TABLE: return "table";
	case D_SCHEDULE: return "schedule";
	case D_RULESET: return "ruleset";
	default: return NULL;  /* examples: evaluated, not compared as text */
	}
}

static int cmp_decl(const void *x, const void *y)
{
	const decl *a = *(const decl *const *)x, *b = *(const decl *const *)y;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	/* One ruleset line per rule set: a new name is a change, not a new one. */
	return a->kind == D_RULESET ? 0 : strcmp(a->id.name, b->id.name);
}

/* The declarations diff compares, sorted by kind and id (malloc'd). */
static const decl **collect(size_t *n, const compiled *c)
{
	const ptrvec *v = &c->fe.rs.decls;
	const decl **out = malloc((v->len + 1) * sizeof(*out));
	size_t i;
	*n = 0;
	if (!out)
		return NULL;
	for (i = 0; i < v->len; i++) {
		const decl *d = v->items[i];
		if (kind_name(d->kind) && d->id.name && d->file)
			out[(*n)++] = d;
	}
	qsort(out, *n, sizeof(*out), cmp_decl);
	return out;
}

static int str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Citations of a and b matched by source and locator, in a's order and
 * then b's. */
static void cites(cli_diff *d, diff_decl *o, const decl *a, const decl *b)
{
	size_t i, j, na = a->cites.len, nb = b->cites.len;
	uint8_t *used = arena_alloc(&d->mem, nb + 1);
	o->cites = arena_alloc(&d->mem, (na + nb + 1) * sizeof(diff_cite));
	for (i = 0; i < na; i++) {
		const citation *x = a->cites.items[i];
		for (j = 0; j < nb; j++) {
			const citation *y = b->cites.items[j];
			if (!used[j] && str_eq(x->source.name, y->source.name) && str_eq(x->locator, y->locator))
				break;
		}
		if (j < nb) {
			const citation *y = b->cites.items[j];
			used[j] = 1;
			if (!str_eq(x->quote, y->quote))
				o->cites[o->ncites++] = (diff_cite){'q', x->source.name, x->locator, x->quote, y->quote};
		} else {
			o->cites[o->ncites++] = (diff_cite){'-', x->source.name, x->locator, x->quote, NULL};
		}
	}
	for (j = 0; j < nb; j++) {
		const citation *y = b->cites.items[j];
		if (!used[j])
			o->cites[o->ncites++] = (diff_cite){'+', y->source.name, y->locator, NULL, y->quote};
	}
}

static const char *text_of(const decl *x, size_t *len)
{
	*len = x->loc.end > x->loc.start ? x->loc.end - x->loc.start : 0;
	return x->file->text + x->loc.start;
}

/* Compares two declarations of the same kind and id; adds an entry when
 * they differ. */
static int compare(cli_diff *d, const decl *a, const decl *b)
{
	size_t la, lb;
	const char *ta = text_of(a, &la), *tb = text_of(b, &lb);
	int text = (la != lb || memcmp(ta, tb, la) != 0);
	int stored = a->kind == D_SOURCE && !str_eq(a->norm_text, b->norm_text);
	diff_decl *o;
	diff_line *lines;
	size_t n;

	if (!text && !stored)
		return 0;
	o = &d->decls[d->ndecls++];
	memset(o, 0, sizeof(*o));
	o->change = DIFF_CHANGED;
	o->kind = kind_name(a->kind);
	o->id = b->id.name;
	o->a = a;
	o->b = b;
	o->text_changed = stored;
	if (text) {
		if (diff_lines(&lines, &n, ta, la, tb, lb) != 0)
			return -1;
		o->lines = arena_alloc(&d->mem, (n + 1) * sizeof(diff_line));
		if (n)
			memcpy(o->lines, lines, n * sizeof(diff_line));
		o->nlines = n;
		free(lines);
	}
	cites(d, o, a, b);
	return 0;
}

static void one_side(cli_diff *d, diff_change ch, const decl *x)
{
	diff_decl *o = &d->decls[d->ndecls++];
	memset(o, 0, sizeof(*o));
	o->change = ch;
	o->kind = kind_name(x->kind);
	o->id = x->id.name;
	if (ch == DIFF_ADDED)
		o->b = x;
	else
		o->a = x;
}

int diff_decls(cli_diff *d)
{
	size_t na, nb, i = 0, j = 0;
	const decl **a = collect(&na, d->a), **b = collect(&nb, d->b);
	int rc = 0;

	if (!a || !b) {
		free(a);
		free(b);
		return -1;
	}
	d->decls = arena_alloc(&d->mem, (na + nb + 1) * sizeof(diff_decl));
	while (rc == 0 && (i < na || j < nb)) {
		int c = i == na ? 1 : j == nb ? -1 : cmp_decl(&a[i], &b[j]);
		if (c < 0)
			one_side(d, DIFF_REMOVED, a[i++]);
		else if (c > 0)
			one_side(d, DIFF_ADDED, b[j++]);
		else
			rc = compare(d, a[i++], b[j++]);
	}
	free(a);
	free(b);
	return rc;
}
