/*
** ast.c: constructors for expression nodes, called from grammar actions.
** Each constructor tracks the node's depth and refuses trees deeper than
** AST_MAX_DEPTH, which keeps every later recursive pass within a small,
** known stack budget whatever the input.
*/
#include "ast.h"

#include <stdlib.h>
#include <string.h>

#include "litrule_table.h"
#include "parse.h"

/* The compiler's verbs are the runtime's, in the same order: lowering
 * copies one into the other, and the names come from the runtime. */
_Static_assert((int)ACT__COUNT == (int)LR_VERB__COUNT, "ORDER LR_VERB");

span span_join(span a, span b)
{
	span s;
	s.start = a.start < b.start ? a.start : b.start;
	s.end = a.end > b.end ? a.end : b.end;
	return s;
}

static int depth_of(const expr *e) { return e ? e->depth : 0; }

expr *ex_new(parse_ctx *p, ex_kind k, span loc, expr *a, expr *b, expr *c)
{
	expr *e = arena_alloc(p->a, sizeof(*e));
	int d = depth_of(a);

	if (depth_of(b) > d)
		d = depth_of(b);
	if (depth_of(c) > d)
		d = depth_of(c);
	e->kind = k;
	e->loc = loc;
	e->a = a;
	e->b = b;
	e->c = c;
	e->depth = d + 1;
	if (e->depth > AST_MAX_DEPTH) {
		/* Report once per too-deep tree: children are already errors. */
		if (d == AST_MAX_DEPTH)
			diag_report(p->diag, DIAG_ERROR, p->file, loc.start, loc.end, "too-deep",
				    "this expression is nested more than %d levels deep; split it with 'let'",
				    AST_MAX_DEPTH);
		e->kind = EX_ERROR;
		e->a = e->b = e->c = NULL;
	}
	return e;
}

expr *ex_num(parse_ctx *p, span loc, const char *text, const char *unit, span unit_loc)
{
	expr *e = ex_new(p, EX_NUM, loc, NULL, NULL, NULL);
	e->text = text;
	e->unit = unit;
	e->unit_loc = unit_loc;
	return e;
}

expr *ex_lit(parse_ctx *p, ex_kind k, span loc, const char *text)
{
	expr *e = ex_new(p, k, loc, NULL, NULL, NULL);
	e->text = text;
	return e;
}

expr *ex_bool(parse_ctx *p, span loc, int v)
{
	expr *e = ex_new(p, EX_BOOL, loc, NULL, NULL, NULL);
	e->ival = v;
	return e;
}

expr *ex_name(parse_ctx *p, span loc, const char *name)
{
	expr *e = ex_new(p, EX_NAME, loc, NULL, NULL, NULL);
	e->name = name;
	e->name_loc = loc;
	return e;
}

expr *ex_is(parse_ctx *p, span loc, expr *a, const char *name, span name_loc, int negated)
{
	expr *e = ex_new(p, EX_IS, loc, a, NULL, NULL);
	e->name = name;
	e->name_loc = name_loc;
	e->ival = negated;
	return e;
}

expr *ex_one_of(parse_ctx *p, span loc, expr *a, ptrvec *names, int negated)
{
	expr *e = ex_new(p, EX_ONE_OF, loc, a, NULL, NULL);
	if (names)
		e->names = *names;
	e->ival = negated;
	return e;
}

expr *ex_as(parse_ctx *p, span loc, expr *a, const char *unit, span unit_loc)
{
	expr *e = ex_new(p, EX_AS, loc, a, NULL, NULL);
	e->unit = unit;
	e->unit_loc = unit_loc;
	return e;
}

expr *ex_error(parse_ctx *p, span loc) { return ex_new(p, EX_ERROR, loc, NULL, NULL, NULL); }

void ast_visit(const expr *root, void (*fn)(void *ctx, const expr *e), void *ctx)
{
	const expr *fixed[64], **st = fixed;
	size_t n = 0, cap = 64;

	if (!root)
		return;
	st[n++] = root;
	while (n) {
		const expr *e = st[--n];
		fn(ctx, e);
		if (n + 3 > cap) {
			const expr **bigger = malloc(cap * 2 * sizeof *bigger);
			if (!bigger)
				abort(); /* out of memory: as arena_alloc */
			memcpy(bigger, st, n * sizeof *st);
			if (st != fixed)
				free(st);
			st = bigger;
			cap *= 2;
		}
		/* Pushed in reverse, so a is visited before b before c. */
		if (e->c)
			st[n++] = e->c;
		if (e->b)
			st[n++] = e->b;
		if (e->a)
			st[n++] = e->a;
	}
	if (st != fixed)
		free(st);
}

ident *id_new(parse_ctx *p, span loc, const char *name)
{
	ident *i = arena_alloc(p->a, sizeof(*i));
	i->name = name;
	i->loc = loc;
	return i;
}

ptrvec *list1(parse_ctx *p, void *item)
{
	ptrvec *v = arena_alloc(p->a, sizeof(*v));
	ptrvec_push(p->a, v, item);
	return v;
}

ptrvec *list_add(parse_ctx *p, ptrvec *v, void *item)
{
	ptrvec_push(p->a, v, item);
	return v;
}

/* ---- Statements of a source (prose coverage, compiler/vf_prose.c) ------- */

decl *stmt_new(parse_ctx *p, ident *src, const char *quote, span quote_loc, const char *word, span word_loc,
	       const char *reason, span reason_loc)
{
	decl *d = decl_new(p, D_STATEMENT);
	citation *c = arena_alloc(p->a, sizeof(*c));

	c->source = *src;
	c->locator = "";
	c->quote = quote;
	c->quote_loc = quote_loc;
	d->stmt = c;
	if (word) {
		/* 'computable' stays an ordinary name everywhere else, so the
		 * clause is read as 'not' NAME "reason" and the name checked here. */
		if (strcmp(word, "computable") != 0)
			diag_report(p->diag, DIAG_ERROR, p->file, word_loc.start, word_loc.end, "syntax",
				    "unexpected name '%s' after 'not'; a statement may end with: not computable \"reason\"",
				    word);
		d->not_computable = reason;
		d->not_computable_loc = reason_loc;
	}
	return d;
}

citation *cite_for(parse_ctx *p, citation *c, ptrvec *ids)
{
	size_t i;
	for (i = 0; ids && i < ids->len; i++)
		ptrvec_push(p->a, &c->fors, ids->items[i]);
	return c;
}
