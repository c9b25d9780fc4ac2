/*
** vf_prose.c: the prose-coverage analysis of `litrule verify`.  A rule
** file declares the recommendations of a source as statements
** (`statement ID in SOURCE quote "..."`); a statement is covered when a
** rule, table or param cites it: one of its citations of the same source
** names it (`cite ... for ID`), or quotes text that overlaps the
** statement's quote: after the quote check's normalisation (NFC, every
** run of white space as one space) one quote contains the other.  Every
** statement that nothing covers and that is not declared
** `not computable "reason"` is a finding at the statement, with its quote:
** a recommendation of the source that the rule set silently leaves out.
*/
#include "verify.h"

#include <string.h>

/* c covers st: same source, and named by 'for' or overlapping quotes. */
static int pr_covers(const citation *c, const decl *st)
{
	const citation *q = st->stmt;
	size_t i;

	if (!c->src || c->src != q->src)
		return 0;
	for (i = 0; i < c->fors.len; i++) {
		const ident *id = c->fors.items[i];
		if (strcmp(id->name, st->id.name) == 0)
			return 1;
	}
	if (!c->norm_quote || !q->norm_quote || !*c->norm_quote || !*q->norm_quote)
		return 0;
	return strstr(c->norm_quote, q->norm_quote) != NULL || strstr(q->norm_quote, c->norm_quote) != NULL;
}

static int pr_covered(const ruleset_ast *rs, const decl *st)
{
	size_t i, j;
	for (i = 0; i < rs->decls.len; i++) {
		const decl *d = rs->decls.items[i];
		if (d->kind != D_RULE && d->kind != D_TABLE && d->kind != D_PARAM)
			continue;
		for (j = 0; j < d->cites.len; j++)
			if (pr_covers(d->cites.items[j], st))
				return 1;
	}
	return 0;
}

void vf_prose_run(vf_ctx *c, const vf_check *self)
{
	size_t i;

	for (i = 0; i < c->rs->decls.len; i++) {
		const decl *st = c->rs->decls.items[i];
		if (st->kind != D_STATEMENT || !st->file || !st->stmt || !st->id.name || st->not_computable)
			continue;
		/* A statement whose quote failed the check is already an error. */
		if (!st->stmt->src || !st->stmt->norm_quote)
			continue;
		if (pr_covered(c->rs, st))
			continue;
		vf_report(c, self, st->file, st->id.loc, NULL, arena_printf(c->a, "statement %s", st->id.name),
			  "statement '%s' of '%s' is encoded by no rule: \"%s\"; cite it from the rule that encodes it "
			  "(cite %s at \"...\" quote \"...\" for %s), or declare it not computable \"reason\"",
			  st->id.name, st->stmt->source.name, st->stmt->quote, st->stmt->source.name, st->id.name);
	}
}
