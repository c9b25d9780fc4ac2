/*
** vf_mixed_durations.c: the mixed-durations analysis of `litrule verify`.
** A comparison whose operands involve both a duration counted in days or
** weeks and one counted in months or years ("dose_date + 4 weeks before
** start + 1 month") compares lengths that differ by up to three days and
** with the calendar: a warning at the comparison.  Durations read through
** a let or param count by their type's unit.
*/
#include "verify.h"

#include <string.h>

#include "units.h"

typedef struct {
	vf_ctx *c;
	const vf_check *self;
	const decl *d;
} md_walk;

typedef struct {
	int days, months;          /* seen a day-based / month-based duration */
	const char *day_unit, *month_unit;
} md_seen;

static void md_collect(void *ctx, const expr *e)
{
	md_seen *s = ctx;
	time_unit t;

	if ((e->kind != EX_NUM && e->kind != EX_NAME) || e->type.kind != TY_NUM || !e->type.unit)
		return;
	t = unit_time(e->type.unit);
	if (t == TIME_DAYS || t == TIME_WEEKS) {
		s->days = 1;
		s->day_unit = e->type.unit;
	} else if (t == TIME_MONTHS || t == TIME_YEARS) {
		s->months = 1;
		s->month_unit = e->type.unit;
	}
}

static int md_is_comparison(ex_kind k)
{
	return (k >= EX_LT && k <= EX_NE) || k == EX_BETWEEN || (k >= EX_BEFORE && k <= EX_WITHIN_AFTER);
}

static void md_visit(void *ctx, const expr *e)
{
	md_walk *w = ctx;
	md_seen s;
	uint32_t n;

	if (!md_is_comparison(e->kind))
		return;
	memset(&s, 0, sizeof s);
	ast_visit(e, md_collect, &s);
	if (!s.days || !s.months)
		return;
	n = e->loc.end - e->loc.start;
	if (n > 60)
		n = 60;
	vf_report(w->c, w->self, w->d->file, e->loc, NULL,
		  arena_printf(w->c->a, "%s: %.*s", w->d->id.name ? w->d->id.name : "", (int)n,
			       w->d->file->text + e->loc.start),
		  "this comparison mixes a duration in %s with one in %s: they differ by up to three days, "
		  "depending on the calendar; count both in days and weeks, or both in months and years",
		  s.day_unit, s.month_unit);
}

void vf_mixed_durations_run(vf_ctx *c, const vf_check *self)
{
	md_walk w;
	size_t i, j;

	w.c = c;
	w.self = self;
	for (i = 0; i < c->rs->decls.len; i++) {
		const decl *d = c->rs->decls.items[i];
		w.d = d;
		if (!d->file || d->kind == D_EXAMPLE || d->kind == D_INPUT || d->kind == D_SCHEDULE)
			continue;
		ast_visit(d->body, md_visit, &w);
		ast_visit(d->when, md_visit, &w);
		ast_visit(d->key, md_visit, &w);
		if (d->kind == D_PARAM)
			ast_visit(d->value, md_visit, &w);
		for (j = 0; j < d->rows.len; j++) {
			const table_row *r = d->rows.items[j];
			ast_visit(r->value, md_visit, &w);
		}
	}
}
