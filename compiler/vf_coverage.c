/*
** vf_coverage.c: the coverage checks of `litrule verify`
** (uncovered-rule, uncovered-row, uncovered-branch), reported from the
** counts the command measured by running every example (coverage.h):
** a rule no passing example shows firing and a table row no passing
** example's key reaches are errors (--coverage=warning makes them
** warnings); an operand of an 'and'/'or' chain never shown true, or never
** false, is a warning at the operand, saying which value is missing.
** --coverage=off reports none of them.
*/
#include "verify.h"

#include <string.h>

/* One finding at level lv (the coverage levels are the command's). */
static diag *vc_report(vf_ctx *c, const vf_check *self, diag_severity lv, const src_file *f, span at,
		       const char *props, const char *key, const char *msg)
{
	diag *g = diag_report(c->d, lv, f, at.start, at.end, self->id, "%s", msg);
	diag_set_finding(c->d, g, props, key);
	return g;
}

/* The source text of at in f, shortened (coverage.h), in the arena. */
static const char *vc_text(arena *a, const src_file *f, span at)
{
	char buf[72];
	return arena_strdup(a, cov_snippet(buf, sizeof buf, f, at));
}

void vf_uncovered_rule_run(vf_ctx *c, const vf_check *self)
{
	uint32_t r;
	const cov_data *cv = c->cov;

	if (!cv || c->cov_off)
		return;
	for (r = 0; r < cv->lw->rs.nrules; r++) {
		const decl *d = cv->lw->rules[r];
		if (cv->rule_hits[r])
			continue;
		vc_report(c, self, c->cov_level, d->file, d->id.loc, NULL, arena_printf(c->a, "rule %s", d->id.name),
			  arena_printf(c->a, "no passing example shows rule '%s' firing; add an example that makes it fire "
				       "and expects it to ('expect %s')", d->id.name, d->id.name));
	}
}

void vf_uncovered_row_run(vf_ctx *c, const vf_check *self)
{
	size_t i;
	const cov_data *cv = c->cov;

	if (!cv || c->cov_off)
		return;
	for (i = 0; i < cv->nrows; i++) {
		const cov_row *w = &cv->rows[i];
		if (w->hits)
			continue;
		vc_report(c, self, c->cov_level, w->table->file, w->row->loc,
			  arena_printf(c->a, "{\"table\": \"%s\", \"row\": %u}", w->table->id.name, (unsigned)w->number),
			  arena_printf(c->a, "table %s row %u", w->table->id.name, (unsigned)w->number),
			  arena_printf(c->a, "row %u of table '%s' (%s) is selected by no passing example: no example's "
				       "key lands in it", (unsigned)w->number, w->table->id.name,
				       vc_text(c->a, w->table->file, w->row->loc)));
	}
}

void vf_uncovered_branch_run(vf_ctx *c, const vf_check *self)
{
	size_t i;
	const cov_data *cv = c->cov;

	if (!cv || c->cov_off)
		return;
	for (i = 0; i < cv->nops; i++) {
		const cov_operand *o = &cv->ops[i];
		const char *text, *missing;
		if (!o->measured || (o->ntrue && o->nfalse))
			continue;
		text = vc_text(c->a, o->rule->file, o->op->loc);
		missing = !o->ntrue && !o->nfalse ? "never known true or false" : !o->ntrue ? "never true" : "never false";
		vc_report(c, self, self->level, o->rule->file, o->op->loc,
			  arena_printf(c->a, "{\"rule\": \"%s\", \"operator\": \"%s\", \"true\": %u, \"false\": %u}",
				       o->rule->id.name, o->is_and ? "and" : "or", o->ntrue, o->nfalse),
			  arena_printf(c->a, "rule %s operand %s", o->rule->id.name, text),
			  arena_printf(c->a, "operand '%s' of an '%s' in rule '%s' is %s in the passing examples "
				       "(true in %u, false in %u)", text, o->is_and ? "and" : "or", o->rule->id.name,
				       missing, o->ntrue, o->nfalse));
	}
}
