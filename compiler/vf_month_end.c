/*
** vf_month_end.c: the month-end ambiguity analysis of `litrule verify`.
**
** Adding months to a date keeps its day of the month; when the target
** month is shorter the runtime clamps to its last day (litrule.h), so
** 2024-01-31 + 1 month = 2024-02-29.  A guideline's "1 month later" may
** have meant that, or 30 days, or the 1st of the next month: wherever the
** clamp decides a result, the rule file should say which reading it means.
** For every date + N months (or years), every `within N months`, and every
** schedule interval and phase boundary in months or years, this tries all
** anchor dates of one 400-year Gregorian cycle (146,097 days: the calendar
** repeats after it, so these are all the cases there are) through the
** runtime's own lr_date_add_months, counts the anchors whose day the
** clamp changes and names the first ones.  `months from A to B` counts
** months by the same clamp (the largest N with A + N months <= B), so the
** month end decides the count for every A on the 29th, 30th or 31st: those
** anchors are counted and named too.  The clause `month end clamps` on the
** let, rule or schedule silences it.
*/
#include "verify.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

#define ME_CYCLE_DAYS 146097
#define ME_EXAMPLES 3
#define ME_MEMO 64

typedef struct {
	int64_t months;
	uint32_t clamped;
	int nex;
	lr_date anchor[ME_EXAMPLES], result[ME_EXAMPLES];
} me_scan;

typedef struct {
	vf_ctx *c;
	const vf_check *self;
	const decl *d;
	me_scan memo[ME_MEMO]; /* rule sets repeat the same few counts */
	size_t nmemo;
} me_walk;

/* Every anchor of the cycle starting 2000-01-01, moved by months. */
static void me_scan_months(int64_t months, me_scan *out)
{
	lr_date start, d, r;
	uint32_t i;

	memset(out, 0, sizeof(*out));
	out->months = months;
	if (lr_date_from_ymd(&start, 2000, 1, 1) != 0)
		return;
	for (i = 0; i < ME_CYCLE_DAYS; i++) {
		int y0, m0, d0, y1, m1, d1;
		d = start + (lr_date)i;
		if (lr_date_add_months(&r, d, months) != 0)
			continue; /* beyond the calendar: not a month-end question */
		lr_date_to_ymd(d, &y0, &m0, &d0);
		lr_date_to_ymd(r, &y1, &m1, &d1);
		if (d0 == d1)
			continue;
		if (out->nex < ME_EXAMPLES) {
			out->anchor[out->nex] = d;
			out->result[out->nex] = r;
			out->nex++;
		}
		out->clamped++;
	}
}

/* The anchors of the cycle for which the clamp decides some count of
 * 'months from A to B': a day after the 28th (some month is shorter).  An
 * example B is A moved by the fewest months that clamp it, so that from A
 * to B is a whole month count only the clamp makes whole. */
static void me_scan_between(me_scan *out)
{
	lr_date start, d, r;
	uint32_t i;
	int64_t n;

	memset(out, 0, sizeof(*out));
	if (lr_date_from_ymd(&start, 2000, 1, 1) != 0)
		return;
	for (i = 0; i < ME_CYCLE_DAYS; i++) {
		int y0, m0, d0, y1, m1, d1;
		d = start + (lr_date)i;
		lr_date_to_ymd(d, &y0, &m0, &d0);
		if (d0 <= 28)
			continue;
		out->clamped++;
		if (out->nex >= ME_EXAMPLES)
			continue;
		for (n = 1; n <= 48; n++) {
			if (lr_date_add_months(&r, d, n) != 0)
				break;
			lr_date_to_ymd(r, &y1, &m1, &d1);
			if (d1 != d0) {
				out->anchor[out->nex] = d;
				out->result[out->nex] = r;
				out->nex++;
				break;
			}
		}
	}
}

static const me_scan *me_lookup(me_walk *w, int64_t months)
{
	size_t i;
	for (i = 0; i < w->nmemo; i++)
		if (w->memo[i].months == months)
			return &w->memo[i];
	if (w->nmemo == ME_MEMO)
		w->nmemo = 0; /* a plain reset: the memo only saves time */
	me_scan_months(months, &w->memo[w->nmemo]);
	return &w->memo[w->nmemo++];
}

/* 1 if e is a count of months or years; *months gets it (1 when it is not
 * a constant: the finding then says so), *constant whether it is one. */
static int me_months_of(const expr *e, int64_t *months, int *constant)
{
	time_unit t;
	const expr *v = e;
	int neg = 0;

	if (!e || e->type.kind != TY_NUM || !e->type.unit)
		return 0;
	t = unit_time(e->type.unit);
	if (t != TIME_MONTHS && t != TIME_YEARS)
		return 0;
	if (v->kind == EX_NEG) {
		neg = 1;
		v = v->a;
	}
	if (v && v->kind == EX_NAME && v->ref && v->ref->kind == D_PARAM)
		v = v->ref->value;
	*constant = v && v->kind == EX_NUM && v->dec.v % LR_DEC_SCALE == 0;
	*months = *constant ? v->dec.v / LR_DEC_SCALE : 1;
	if (neg)
		*months = -*months;
	if (t == TIME_YEARS)
		*months *= 12;
	return 1;
}

/* The source text of e, shortened for a message. */
static const char *me_text(me_walk *w, span loc)
{
	uint32_t n = loc.end - loc.start;
	const char *more = "";
	if (n > 60) {
		n = 60;
		while (n > 0 && ((unsigned char)w->d->file->text[loc.start + n] & 0xC0) == 0x80)
			n--;
		more = "...";
	}
	return arena_printf(w->c->a, "%.*s%s", (int)n, w->d->file->text + loc.start, more);
}

static const char *me_kind(decl_kind k)
{
	return k == D_LET ? "let" : k == D_RULE ? "rule" : k == D_SCHEDULE ? "schedule" : k == D_TABLE ? "table"
	     : k == D_PARAM ? "param" : "declaration";
}

/* "2000-01-30 + 1 month = 2000-02-29, ..." and the properties object. */
static const char *me_examples(me_walk *w, const me_scan *sc, json_t *props)
{
	json_t *ex = json_array();
	const char *s = "";
	int i;

	for (i = 0; i < sc->nex; i++) {
		char a[16], r[16];
		json_t *o = json_object();
		lr_date_format(a, sizeof a, sc->anchor[i]);
		lr_date_format(r, sizeof r, sc->result[i]);
		s = arena_printf(w->c->a, "%s%s%s %s %lld month%s = %s", s, i ? ", " : "", a, sc->months < 0 ? "-" : "+",
				 (long long)(sc->months < 0 ? -sc->months : sc->months),
				 sc->months == 1 || sc->months == -1 ? "" : "s", r);
		json_object_set_new(o, "anchor", json_string(a));
		json_object_set_new(o, "result", json_string(r));
		json_array_append_new(ex, o);
	}
	json_object_set_new(props, "examples", ex);
	return s;
}

/* One place a date moves by months: what: "'d + 1 month'" and the like. */
static void me_finding(me_walk *w, span at, const char *what, int64_t months, int constant)
{
	const me_scan *sc = me_lookup(w, months);
	json_t *props;
	const char *ex, *key;
	char *ptext;

	if (sc->clamped == 0 || w->d->month_end)
		return;
	props = json_object();
	json_object_set_new(props, "months", json_integer(months));
	json_object_set_new(props, "monthsConstant", json_boolean(constant));
	json_object_set_new(props, "anchorDates", json_integer(ME_CYCLE_DAYS));
	json_object_set_new(props, "clampedAnchorDates", json_integer(sc->clamped));
	ex = me_examples(w, sc, props);
	ptext = json_dumps(props, JSON_COMPACT | JSON_SORT_KEYS);
	key = arena_printf(w->c->a, "%s %s: %s", me_kind(w->d->kind), w->d->id.name ? w->d->id.name : "", what);
	vf_report(w->c, w->self, w->d->file, at, ptext, key,
		  "%s: the month-end clamp decides the date for %u of the %d anchor dates of the 400-year cycle%s "
		  "(first: %s); say how a month end is read: 'month end clamps' on %s '%s'",
		  what, (unsigned)sc->clamped, ME_CYCLE_DAYS,
		  constant ? "" : " (the count of months is not a constant; shown for 1 month)", ex,
		  me_kind(w->d->kind), w->d->id.name ? w->d->id.name : "?");
	free(ptext);
	json_decref(props);
}

/* One 'months from A to B': the count is decided by the clamp for every
 * anchor after the 28th of its month. */
static void me_between(me_walk *w, const expr *e)
{
	me_scan sc;
	json_t *props, *ex;
	const char *s = "", *key, *what;
	char *ptext;
	int i;

	if (w->d->month_end)
		return;
	me_scan_between(&sc);
	props = json_object();
	ex = json_array();
	for (i = 0; i < sc.nex; i++) {
		char a[16], r[16];
		json_t *o = json_object();
		lr_date_format(a, sizeof a, sc.anchor[i]);
		lr_date_format(r, sizeof r, sc.result[i]);
		s = arena_printf(w->c->a, "%s%sfrom %s to %s is %d month%s", s, i ? ", " : "", a, r,
				 (int)lr_date_months_between(sc.anchor[i], sc.result[i]),
				 lr_date_months_between(sc.anchor[i], sc.result[i]) == 1 ? "" : "s");
		json_object_set_new(o, "anchor", json_string(a));
		json_object_set_new(o, "result", json_string(r));
		json_array_append_new(ex, o);
	}
	json_object_set_new(props, "examples", ex);
	json_object_set_new(props, "monthsBetween", json_true());
	json_object_set_new(props, "anchorDates", json_integer(ME_CYCLE_DAYS));
	json_object_set_new(props, "clampedAnchorDates", json_integer(sc.clamped));
	ptext = json_dumps(props, JSON_COMPACT | JSON_SORT_KEYS);
	what = arena_printf(w->c->a, "'%s'", me_text(w, e->loc));
	key = arena_printf(w->c->a, "%s %s: %s", me_kind(w->d->kind), w->d->id.name ? w->d->id.name : "", what);
	vf_report(w->c, w->self, w->d->file, e->loc, ptext, key,
		  "%s counts months as month addition clamps: the month end decides the count from %u of the %d "
		  "anchor dates of the 400-year cycle, every 29th, 30th and 31st (first: %s); say how a month end is "
		  "read: 'month end clamps' on %s '%s'",
		  what, (unsigned)sc.clamped, ME_CYCLE_DAYS, s, me_kind(w->d->kind), w->d->id.name ? w->d->id.name : "?");
	free(ptext);
	json_decref(props);
}

static void me_visit(void *ctx, const expr *e)
{
	me_walk *w = ctx;
	int64_t months;
	int constant;

	if (e->kind == EX_MONTHS_BETWEEN) {
		me_between(w, e);
		return;
	}

	if ((e->kind == EX_ADD || e->kind == EX_SUB) && e->type.kind == TY_DATE &&
	    me_months_of(e->b, &months, &constant))
		me_finding(w, e->loc, arena_printf(w->c->a, "'%s'", me_text(w, e->loc)),
			   e->kind == EX_SUB ? -months : months, constant);
	else if ((e->kind == EX_WITHIN_BEFORE || e->kind == EX_WITHIN_AFTER) && me_months_of(e->b, &months, &constant))
		me_finding(w, e->loc, arena_printf(w->c->a, "'%s'", me_text(w, e->loc)),
			   e->kind == EX_WITHIN_BEFORE ? -months : months, constant);
}

/* Intervals and boundaries; a boundary counts from the anchor, in one step
 * while every earlier phase is counted in months or years too. */
static void me_schedule(me_walk *w)
{
	int64_t total = 0, months;
	int in_months = 1, constant;
	size_t i;

	for (i = 0; i < w->d->phases.len; i++) {
		const phase *ph = w->d->phases.items[i];
		if (me_months_of(ph->every, &months, &constant))
			me_finding(w, ph->every->loc,
				   arena_printf(w->c->a, "an interval of %lld month%s", (long long)months, months == 1 ? "" : "s"),
				   months, constant);
		if (!ph->bound)
			continue;
		if (me_months_of(ph->bound, &months, &constant)) {
			total = in_months ? total + months : months;
			me_finding(w, ph->bound->loc,
				   arena_printf(w->c->a, "the end of phase %zu, %lld month%s after %s", i + 1,
						(long long)total, total == 1 ? "" : "s",
						in_months ? "the anchor" : "the phase's start"),
				   total, constant);
		} else {
			in_months = 0;
		}
	}
}

void vf_month_end_run(vf_ctx *c, const vf_check *self)
{
	me_walk *w = calloc(1, sizeof(*w));
	size_t i, j;

	if (!w)
		return;
	w->c = c;
	w->self = self;
	for (i = 0; i < c->rs->decls.len; i++) {
		const decl *d = c->rs->decls.items[i];
		w->d = d;
		if (!d->file || d->kind == D_EXAMPLE || d->kind == D_INPUT)
			continue;
		if (d->kind == D_SCHEDULE) {
			me_schedule(w);
			continue;
		}
		ast_visit(d->body, me_visit, w);
		ast_visit(d->when, me_visit, w);
		ast_visit(d->key, me_visit, w);
		if (d->kind == D_PARAM)
			ast_visit(d->value, me_visit, w);
		for (j = 0; j < d->actions.len; j++) {
			ast_visit(((const action *)d->actions.items[j])->amount, me_visit, w);
			ast_visit(((const action *)d->actions.items[j])->due, me_visit, w);
		}
		for (j = 0; j < d->rows.len; j++) {
			const table_row *r = d->rows.items[j];
			ast_visit(r->lo, me_visit, w);
			ast_visit(r->hi, me_visit, w);
			ast_visit(r->value, me_visit, w);
		}
	}
	free(w);
}
