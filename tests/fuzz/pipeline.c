/*
** pipeline.c: the whole litrule pipeline for the fuzz targets.
**
** fzp_run feeds a rule file through the front end (fe_run_memory); when
** it checks clean, lowers it (lower_ruleset), compares the schedules in
** the table with the syntax tree (no silent 32-bit wrap), generates the C source and
** header in memory twice (emit_c_memory: the two must be identical), and
** evaluates several patients through the in-memory table: all inputs
** absent; every input at the low and at the high edge of its domain;
** every input one past its domain (must be LR_ERANGE); one input past it;
** and a few records derived from a hash of the input.  Each result is
** checked against invariants the API documents (litrule.h); a violation
** aborts, which libFuzzer reports as a crash.  Evaluation runs twice per
** record, through lr_eval and through the compact decisions of the native
** evaluator's runtime (lr_eval_decisions, lr_decisions_expand): the two
** must agree, and the runtime must be deterministic.  Last, the rule set is
** woven in memory (fzp_check_weave): nothing from the file becomes markup.
*/
#include "pipeline.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coverage.h"
#include "driver.h"
#include "emit_c.h"
#include "lower.h"
#include "units.h"
#include "weave.h"

#define FZP_SYMBOL "lr_ruleset_fuzz"

void fzp_fail(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "fuzz pipeline: invariant violated: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* The one call of lr_eval.  The action buffer has the capacity the
 * compiler promises is enough (lr_ruleset_max_actions), so LR_EFULL is
 * itself a finding: the bound was wrong.  Two buffers, because callers
 * compare two results side by side. */
int fzp_eval(lr_result *res, const lr_ruleset *rs, const lr_record *rec)
{
	static lr_action *bufs[2];
	static uint32_t caps[2];
	static unsigned turn;
	uint32_t need = lr_ruleset_max_actions(rs), slot = turn++ & 1u;
	int rc;

	if (need > caps[slot]) {
		lr_action *nb = realloc(bufs[slot], sizeof(lr_action) * need);
		if (!nb)
			fzp_fail("out of memory for %u actions", need);
		bufs[slot] = nb;
		caps[slot] = need;
	}
	if (lr_result_init(res, bufs[slot], need) != LR_OK)
		fzp_fail("lr_result_init refused a buffer of %u", need);
	rc = lr_eval(res, rs, rec);
	if (rc == LR_EFULL)
		fzp_fail("LR_EFULL with the capacity lr_ruleset_max_actions gives (%u): the bound is wrong", need);
	return rc;
}

uint32_t fzp_action_capacity(const lr_ruleset *rs) { return lr_ruleset_max_actions(rs); }

/* The compact way (lr_eval_decisions, the native evaluator's runtime
 * half: firing, missing lists, errors, overrides), expanded into res with
 * fzp_eval's buffer for this turn, so it can be compared with lr_eval. */
static int fzp_eval_compact(lr_result *res, const lr_ruleset *rs, const lr_record *rec)
{
	static lr_decision *dbuf;
	static uint32_t dcap;
	lr_decisions d;
	uint32_t need = lr_ruleset_max_actions(rs);
	int rc;

	if (need > dcap) {
		lr_decision *nb = realloc(dbuf, sizeof(lr_decision) * need);
		if (!nb)
			fzp_fail("out of memory for %u decisions", need);
		dbuf = nb;
		dcap = need;
	}
	/* fzp_eval attaches and clears res's buffer (and stores nothing when
	 * the record is rejected up front); its result is overwritten below. */
	(void)fzp_eval(res, rs, rec);
	if (lr_decisions_init(&d, dbuf, need) != LR_OK)
		fzp_fail("lr_decisions_init refused a buffer of %u", need);
	rc = lr_eval_decisions(&d, rs, rec);
	if (lr_decisions_expand(res, rs, &d) != LR_OK)
		fzp_fail("lr_decisions_expand failed");
	return rc;
}

/* ---- deterministic pseudo-random values from the input's hash ---------- */

static uint64_t fzp_hash(const char *data, size_t len)
{
	uint64_t h = UINT64_C(1469598103934665603);
	size_t i;
	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)data[i]) * UINT64_C(1099511628211);
	return h;
}

static uint64_t fzp_next(uint64_t *s)
{
	/* xorshift64*: never zero once seeded non-zero. */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

static lr_date fzp_ymd(int y, int m, int d)
{
	lr_date out = 0;
	if (lr_date_from_ymd(&out, y, m, d) != LR_OK)
		fzp_fail("lr_date_from_ymd(%d, %d, %d) failed", y, m, d);
	return out;
}

/* ---- generated C -------------------------------------------------------- */

static void fzp_check_codegen(const lr_ruleset *rs)
{
	const char *files[] = {"fuzz.md"};
	char *c1 = NULL, *h1 = NULL, *c2 = NULL, *h2 = NULL;
	size_t c1n = 0, h1n = 0, c2n = 0, h2n = 0;
	const char *why = NULL;

	if (emit_c_memory(&c1, &c1n, &h1, &h1n, rs, "fuzz", FZP_SYMBOL, files, 1, &why) != 0)
		fzp_fail("emit_c_memory failed on a lowered rule set: %s", why ? why : "(no reason)");
	if (emit_c_memory(&c2, &c2n, &h2, &h2n, rs, "fuzz", FZP_SYMBOL, files, 1, &why) != 0)
		fzp_fail("emit_c_memory failed the second time: %s", why ? why : "(no reason)");
	if (c1n == 0 || h1n == 0 || strlen(c1) != c1n || strlen(h1) != h1n)
		fzp_fail("generated text is empty or its length is wrong (%zu, %zu)", c1n, h1n);
	if (!strstr(c1, FZP_SYMBOL) || !strstr(h1, FZP_SYMBOL))
		fzp_fail("the generated C or header does not define %s", FZP_SYMBOL);
	if (c1n != c2n || h1n != h2n || memcmp(c1, c2, c1n) != 0 || memcmp(h1, h2, h1n) != 0)
		fzp_fail("generating twice gave different text");
	free(c1);
	free(h1);
	free(c2);
	free(h2);
}

/* ---- the table against the syntax tree ------------------------------------ */

/* Schedules keep the counts the rule file wrote: an interval, a phase
 * length or an overdue margin that does not fit the table's 32-bit field
 * must be refused by the checker, not wrapped. */
static void fzp_check_schedules(const lowered *lw)
{
	uint32_t i, k;

	for (i = 0; i < lw->rs.nschedules; i++) {
		const decl *d = lw->schedules[i];
		const lr_schedule_def *sd = &lw->rs.schedules[i];
		if (sd->nphases != d->phases.len)
			fzp_fail("schedule %s: %u phases in the table, %zu written", sd->name, sd->nphases, d->phases.len);
		for (k = 0; k < sd->nphases; k++) {
			const phase *ph = d->phases.items[k];
			const lr_phase_def *p = &lw->rs.phases[sd->first_phase + k];
			int64_t every = ph->every->dec.v / LR_DEC_SCALE, bound = ph->bound ? ph->bound->dec.v / LR_DEC_SCALE : 0;
			if (p->every != every || p->bound != bound)
				fzp_fail("schedule %s phase %u: written every %lld for %lld, table has %ld for %ld", sd->name, k,
					 (long long)every, (long long)bound, (long)p->every, (long)p->bound);
		}
		if (d->grace) {
			int64_t n = d->grace->dec.v / LR_DEC_SCALE;
			if (unit_time(d->grace->type.unit) == TIME_WEEKS)
				n *= 7;
			if (sd->grace_days != n)
				fzp_fail("schedule %s: overdue after %lld days written, table has %ld", sd->name, (long long)n,
					 (long)sd->grace_days);
		}
	}
}

/* ---- result invariants ---------------------------------------------------- */

static int fzp_rule_by_id(const lr_ruleset *rs, const char *id)
{
	uint32_t k;
	for (k = 0; k < rs->nrules; k++)
		if (rs->rules[k].id == id)
			return (int)k;
	return -1;
}

static int fzp_reads(const lr_ruleset *rs, uint32_t rule, uint32_t input)
{
	const lr_rule_def *r = &rs->rules[rule];
	uint32_t k;
	for (k = 0; k < r->nreads; k++)
		if (rs->reads[r->first_read + k] == input)
			return 1;
	return 0;
}

static void fzp_check_actions(const lr_ruleset *rs, const lr_result *res, int rc)
{
	const lr_date lo = fzp_ymd(1, 1, 1), hi = fzp_ymd(9999, 12, 31);
	uint32_t k, run = 0;

	for (k = 0; k < res->nactions; k++) {
		const lr_action *a = &res->actions[k];
		if (a->rule >= rs->nrules)
			fzp_fail("action %u: rule index %u >= nrules %u", k, a->rule, rs->nrules);
		if (a->rule_id != rs->rules[a->rule].id || !a->verb || !a->text)
			fzp_fail("action %u: rule id, verb or text wrong", k);
		if (k > 0 && a->rule < res->actions[k - 1].rule)
			fzp_fail("action %u: rules out of order (%u after %u)", k, a->rule, res->actions[k - 1].rule);
		/* A rule's actions come together, all of them (the last may be cut
		 * short when the result is full). */
		run = k > 0 && a->rule == res->actions[k - 1].rule ? run + 1 : 1;
		if (run > rs->rules[a->rule].nactions)
			fzp_fail("rule %s reported %u actions, has %u", a->rule_id, run, rs->rules[a->rule].nactions);
		if ((k + 1 == res->nactions || res->actions[k + 1].rule != a->rule) &&
		    run != rs->rules[a->rule].nactions && !(rc == LR_EFULL && k + 1 == res->nactions))
			fzp_fail("rule %s fired %u of its %u actions", a->rule_id, run, rs->rules[a->rule].nactions);
		if (a->has_schedule && !a->schedule)
			fzp_fail("action %u: a schedule action without a schedule name", k);
		if (a->phase && (a->next_due < lo || a->next_due > hi))
			fzp_fail("action %u (%s): next due day %ld outside years 1..9999", k, a->rule_id,
				 (long)a->next_due);
	}
}

static void fzp_check_missing(const lr_ruleset *rs, const lr_record *rec, const lr_result *res)
{
	uint32_t k, j;

	for (k = 0; k < res->nmissing; k++) {
		const lr_missing *m = &res->missing[k];
		int ri;
		if (m->input >= rs->ninputs)
			fzp_fail("missing %u: input %u >= ninputs %u", k, m->input, rs->ninputs);
		if (rec->state[m->input])
			fzp_fail("missing %u: input %s is present in the record", k, rs->inputs[m->input].name);
		if (m->name != rs->inputs[m->input].name)
			fzp_fail("missing %u: name does not match input %u", k, m->input);
		for (j = 0; j < k; j++)
			if (res->missing[j].input == m->input)
				fzp_fail("input %s reported missing twice", m->name);
		ri = fzp_rule_by_id(rs, m->rule_id);
		if (ri < 0)
			fzp_fail("missing %s: rule_id names no rule", m->name);
		if (!fzp_reads(rs, (uint32_t)ri, m->input))
			fzp_fail("missing %s: rule %s does not read it", m->name, m->rule_id);
	}
}

/* bad: the record has inputs outside their domain (-1: unknown). */
static void fzp_check_result(const lr_ruleset *rs, const lr_record *rec, const lr_result *res, int rc, int bad)
{
	uint32_t k;

	if (rc != LR_OK && rc != LR_ERANGE && rc != LR_EFULL)
		fzp_fail("lr_eval returned %d (%s)", rc, lr_strerror(rc));
	if (res->nactions > fzp_action_capacity(rs) || res->nmissing > rs->ninputs || res->nerrors > LR_MAX_ERRORS)
		fzp_fail("counts out of bounds: %u actions, %u missing, %u errors", res->nactions, res->nmissing,
			 res->nerrors);
	if ((rc == LR_EFULL) != (res->actions_dropped != 0))
		fzp_fail("rc %d but %u actions dropped", rc, res->actions_dropped);
	if (bad == 1 && rc != LR_ERANGE)
		fzp_fail("a record with a value outside its domain was accepted (rc %d)", rc);
	if (bad == 0 && rc == LR_ERANGE)
		fzp_fail("a record with every value inside its domain was rejected");
	if (rc == LR_ERANGE) {
		if (res->nactions || res->nmissing || res->nerrors == 0)
			fzp_fail("a rejected record has %u actions, %u missing, %u errors", res->nactions,
				 res->nmissing, res->nerrors);
		for (k = 0; k < res->nerrors; k++) {
			const lr_error *e = &res->errors[k];
			if (e->code != LR_ERANGE || e->input < 0 || (uint32_t)e->input >= rs->ninputs ||
			    !rec->state[e->input] || e->name != rs->inputs[e->input].name)
				fzp_fail("rejection error %u does not name a present input", k);
		}
		return;
	}
	for (k = 0; k < res->nerrors; k++) {
		const lr_error *e = &res->errors[k];
		if (e->code >= 0 || !e->message || (e->rule_id && fzp_rule_by_id(rs, e->rule_id) < 0))
			fzp_fail("error %u: code %d, message or rule id wrong", k, e->code);
	}
	fzp_check_actions(rs, res, rc);
	fzp_check_missing(rs, rec, res);
}

static void fzp_same(const lr_result *a, const lr_result *b)
{
	uint32_t k;
	if (a->nactions != b->nactions || a->nmissing != b->nmissing || a->nerrors != b->nerrors ||
	    a->noverridden != b->noverridden ||
	    a->actions_dropped != b->actions_dropped || a->errors_dropped != b->errors_dropped)
		fzp_fail("evaluating twice gave different counts");
	for (k = 0; k < a->nactions + a->noverridden; k++) {
		const lr_action *x = &a->actions[k], *y = &b->actions[k];
		if (x->rule != y->rule || x->text != y->text || x->amount.v != y->amount.v ||
		    x->has_dose != y->has_dose || x->phase != y->phase || x->next_due != y->next_due ||
		    x->overdue != y->overdue || x->overridden_by_id != y->overridden_by_id ||
		    x->unit != y->unit || x->route != y->route || x->schedule != y->schedule ||
		    x->subject != y->subject || x->has_schedule != y->has_schedule)
			fzp_fail("evaluating twice gave different action %u", k);
	}
	for (k = 0; k < a->nmissing; k++)
		if (a->missing[k].input != b->missing[k].input || a->missing[k].rule_id != b->missing[k].rule_id)
			fzp_fail("evaluating twice gave different missing entry %u", k);
	for (k = 0; k < a->nerrors; k++)
		if (a->errors[k].code != b->errors[k].code || a->errors[k].input != b->errors[k].input)
			fzp_fail("evaluating twice gave different error %u", k);
}

static lr_result fzp_res1, fzp_res2; /* large: keep them off the stack */

/* Evaluates twice, once by lr_eval and once by the compact way
 * (fzp_eval_compact): the two must agree in every field (and the runtime
 * must be deterministic). */
static void fzp_eval_checked(const lr_ruleset *rs, const lr_record *rec, int bad)
{
	int rc1 = fzp_eval(&fzp_res1, rs, rec);
	int rc2 = fzp_eval_compact(&fzp_res2, rs, rec);
	if (rc1 != rc2)
		fzp_fail("evaluating twice returned %d then %d", rc1, rc2);
	fzp_same(&fzp_res1, &fzp_res2);
	fzp_check_result(rs, rec, &fzp_res1, rc1, bad);
}

/* ---- records -------------------------------------------------------------- */

/* Sets input i at one edge of its domain (side 0: low, 1: high), or one
 * past it (side 2: below, 3: above).  Returns 1 if the value is outside
 * the domain, 0 if inside, -1 if there is no value past that edge (the
 * input is then left at the edge). */
static int fzp_edge(lr_record *rec, const lr_input_def *in, uint32_t i, int side)
{
	int64_t v = 0;
	int past = side >= 2, high = side & 1, out = past;

	switch (in->type) {
	case LR_T_BOOL: v = high; break;
	case LR_T_ENUM: v = high ? (int64_t)in->nvalues - 1 : 0; break;
	case LR_T_DATE: v = high ? fzp_ymd(9999, 12, 31) : fzp_ymd(1, 1, 1); out = past ? -1 : 0; break;
	case LR_T_NUM:
		if (!in->has_range) {
			v = high ? INT64_MAX : INT64_MIN;
			out = past ? -1 : 0;
		} else {
			v = high ? in->hi : in->lo;
		}
		break;
	}
	if (out == 1 && in->type == LR_T_NUM && v == (high ? INT64_MAX : INT64_MIN))
		out = -1;
	if (out == 1)
		v = high ? v + 1 : v - 1;
	if (in->type == LR_T_ENUM && in->nvalues == 0 && out != 1)
		return -1; /* no value is inside: leave it absent */
	rec->state[i] = 1;
	rec->v[i] = v;
	return out;
}

static void fzp_edges(const lr_ruleset *rs, lr_record *rec, uint64_t seed)
{
	uint32_t i, pick;
	int side, bad;

	for (side = 0; side < 4; side++) {
		bad = 0;
		lr_record_init(rec, rs);
		for (i = 0; i < rs->ninputs; i++)
			if (fzp_edge(rec, &rs->inputs[i], i, side) == 1)
				bad = 1;
		fzp_eval_checked(rs, rec, side < 2 ? 0 : bad ? 1 : 0);
	}
	/* One input past its edge, the others at theirs. */
	if (rs->ninputs == 0)
		return;
	pick = (uint32_t)(seed % rs->ninputs);
	side = (int)((seed >> 32) & 1);
	lr_record_init(rec, rs);
	bad = 0;
	for (i = 0; i < rs->ninputs; i++)
		if (fzp_edge(rec, &rs->inputs[i], i, i == pick ? 2 + side : side) == 1)
			bad = 1;
	fzp_eval_checked(rs, rec, bad);
}

static int64_t fzp_random_value(const lr_input_def *in, uint64_t *s)
{
	uint64_t r = fzp_next(s);
	switch (in->type) {
	case LR_T_BOOL: return (int64_t)(r & 1);
	case LR_T_ENUM: return in->nvalues ? (int64_t)(r % in->nvalues) : 0;
	case LR_T_DATE:
		if ((r & 15) == 0)
			return (r & 16) ? fzp_ymd(9999, 12, 31) : fzp_ymd(1, 1, 1);
		return fzp_ymd(2024, 1, 15) + (int64_t)((r >> 8) % 6001) - 3000;
	case LR_T_NUM:
		if (in->has_range) {
			uint64_t width = (uint64_t)in->hi - (uint64_t)in->lo;
			uint64_t pick = (r >> 4) % 4;
			if (pick == 0)
				return in->lo;
			if (pick == 1)
				return in->hi;
			/* Whole units inside the range, or any raw value inside it. */
			/* In unsigned arithmetic: lo + offset lies inside [lo, hi],
			 * but the offset alone may not fit an int64_t. */
			if (pick == 2 && width / LR_DEC_SCALE > 0)
				return (int64_t)((uint64_t)in->lo +
						 ((r >> 8) % (width / LR_DEC_SCALE + 1)) * (uint64_t)LR_DEC_SCALE);
			return width == UINT64_MAX ? (int64_t)(r >> 1)
						   : (int64_t)((uint64_t)in->lo + (r >> 8) % (width + 1));
		}
		switch (r % 5) {
		case 0: return 0;
		case 1: return (int64_t)((r >> 8) % 1000) * LR_DEC_SCALE;
		case 2: return -(int64_t)((r >> 8) % 1000) * LR_DEC_SCALE;
		case 3: return (r & 8) ? INT64_MAX : INT64_MIN;
		default: return (int64_t)(r >> 3) - (int64_t)(UINT64_MAX >> 4);
		}
	}
	return 0;
}

static void fzp_random(const lr_ruleset *rs, lr_record *rec, uint64_t seed)
{
	uint64_t s = seed | 1;
	int n;
	uint32_t i;

	for (n = 0; n < 3; n++) {
		lr_record_init(rec, rs);
		for (i = 0; i < rs->ninputs; i++) {
			/* About one value in four absent. */
			if ((fzp_next(&s) & 3) == 0)
				continue;
			if (rs->inputs[i].type == LR_T_ENUM && rs->inputs[i].nvalues == 0)
				continue;
			rec->state[i] = 1;
			rec->v[i] = fzp_random_value(&rs->inputs[i], &s);
		}
		fzp_eval_checked(rs, rec, 0);
	}
}

static lr_record fzp_rec;
unsigned long fzp_stats[3];

/* verify's coverage probes (compiler/coverage.h) on the last record: the
 * probe tables must build and evaluate for anything that lowers. */
static void fzp_coverage(lowered *lw)
{
	cov_data cv;
	arena a;

	arena_init(&a);
	if (cov_init(&cv, lw, &a) == 0)
		cov_record(&cv, &fzp_rec);
	cov_free(&cv);
	arena_free(&a);
}

static size_t fzp_count(const char *hay, const char *needle)
{
	size_t n = 0;
	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* litrule weave in memory: every page holds exactly its own <script> and
 * </style> (whatever the rule file says, nothing of it becomes markup),
 * every rule has its element and its summary row, and on small pages every
 * name linked in the code resolves to an id. */
static void fzp_check_weave(const frontend *fe)
{
	wv_evidence ev;
	wv_book bk;
	diag_ctx wd;
	arena a;
	size_t i, nrules = 0;

	memset(&ev, 0, sizeof ev);
	ev.name = "fuzz";
	ev.examples_why = "fuzzing";
	ev.findings_why = "fuzzing";
	arena_init(&a);
	diag_init(&wd, &a);
	if (wv_render(&bk, &fe->rs, &ev, &wd) != 0)
		fzp_fail("weave: wv_render failed");
	for (i = 0; i < fe->rs.decls.len; i++)
		nrules += ((const decl *)fe->rs.decls.items[i])->kind == D_RULE;
	for (i = 0; i < bk.npages; i++) {
		const char *h = bk.pages[i].html.data;
		if (!h || strncmp(h, "<!DOCTYPE html>", 15) != 0 || fzp_count(h, "<script") != 1 ||
		    fzp_count(h, "</style>") != 1 || fzp_count(h, "<style") != 1 || strlen(h) != bk.pages[i].html.len)
			fzp_fail("weave: page %s: not exactly its own script and style", bk.pages[i].name);
	}
	if (fzp_count(bk.pages[0].html.data, "<article class=\"lr-rule\"") != nrules ||
	    fzp_count(bk.pages[0].html.data, "<tr data-rule=") != nrules)
		fzp_fail("weave: %zu rules, not one element and one summary row each", nrules);
	if (bk.pages[0].html.len < 200000) {
		const char *h = bk.pages[0].html.data, *p = h, *key = "class=\"lr-ref\" href=\"#";
		while ((p = strstr(p, key)) != NULL) {
			char want[300];
			size_t n;
			p += strlen(key);
			n = strcspn(p, "\"");
			snprintf(want, sizeof want, " id=\"%.*s\"", (int)(n < 280 ? n : 280), p);
			if (!strstr(h, want))
				fzp_fail("weave: the link #%.*s resolves to nothing", (int)(n < 80 ? n : 80), p);
		}
	}
	wv_book_free(&bk);
	arena_free(&a);
}

fzp_stage fzp_run(const char *data, size_t len, fzp_check_fn check, void *arg)
{
	frontend fe;
	lowered lw;
	uint64_t seed;

	if (fe_run_memory(&fe, "fuzz.md", data, len) != 0) {
		fe_free(&fe);
		fzp_stats[FZP_FRONTEND_ERROR]++;
		return FZP_FRONTEND_ERROR;
	}
	if (lower_ruleset(&lw, &fe.rs, &fe.a, &fe.diag) != 0) {
		if (fe.diag.nerrors == 0)
			fzp_fail("lowering failed without an error diagnostic");
		fe_free(&fe);
		fzp_stats[FZP_LOWER_ERROR]++;
		return FZP_LOWER_ERROR;
	}
	lw.rs.name = "fuzz";
	lw.rs.version = "0";
	lw.rs.hash = "0";
	lw.rs.commit = NULL;
	if (lr_ruleset_check(&lw.rs) != LR_OK)
		fzp_fail("the lowered table fails lr_ruleset_check");
	fzp_check_schedules(&lw);
	fzp_check_codegen(&lw.rs);
	if (check)
		check(&lw.rs, arg);
	seed = fzp_hash(data, len);
	lr_record_init(&fzp_rec, &lw.rs);
	fzp_eval_checked(&lw.rs, &fzp_rec, 0);
	fzp_edges(&lw.rs, &fzp_rec, seed);
	fzp_random(&lw.rs, &fzp_rec, seed);
	fzp_coverage(&lw);
	fzp_check_weave(&fe);
	fe_free(&fe);
	fzp_stats[FZP_EVALUATED]++;
	return FZP_EVALUATED;
}
