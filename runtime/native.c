/*
** native.c: the runtime side of a generated table's native evaluator.
**
** `litrule build` emits, per rule set, C code that evaluates every rule
** in order (lr_ruleset.native; compiler/emit_native.c): the guard test
** and the condition inline, with a fast path on plain int64 values.  What
** happens after a condition is known (firing the actions, reporting what
** was missing, listing errors) is the same for every rule set, so it is
** data-driven code here rather than generated code: lr__nat_rule_done.
**
** The output is compact (lr_decisions, litrule.h): a rule and action
** index plus the values computed for this patient.  lr_decision_action
** expands one into a full lr_action from the static table, and
** lr__nat_result does that for lr_eval, so every caller of lr_eval on a
** generated table runs this evaluator and gets the interpreter's result.
**
** Everything here mirrors eval.c's interpreter step for step (fire,
** rule_done, report_missing, the overrides); tests/codegen compares the
** two on every construct.  Nothing allocates.
**
** The typed entry NAME_eval (compiler/emit_native_fast.c) decides most
** rules in generated code and calls in here only at its edges:
** lr__nat_start (checks), lr__nat_sched (a schedule's state from known
** values), lr__nat_report_word (missing inputs), lr__nat_begin (the exact
** path's context, on the first rule that raised an error) and lr__nat_end
** (overrides).
*/
#include <string.h>

#include "litrule.h"
#include "litrule_table.h"
#include "litrule_vm.h"

typedef lr__val val;
typedef lr__bits bits;
typedef lr__ctx ctx;
typedef lr__sched sched_val;

const char *lr_ruleset_rule_id(const lr_ruleset *rs, uint32_t i)
{
	return rs && i < rs->nrules ? rs->rules[i].id : NULL;
}

int lr_decisions_init(lr_decisions *out, lr_decision *buf, uint32_t capacity)
{
	if (!out || (!buf && capacity))
		return LR_EINVAL;
	out->decisions = buf;
	out->capacity = capacity;
	out->ndecisions = out->noverridden = out->nmissing = out->nerrors = out->errors_dropped = 0;
	out->missing = out->own_missing;
	out->missing_capacity = LR_MISSING_INLINE;
	return LR_OK;
}

int lr_decisions_set_missing(lr_decisions *out, lr_miss *buf, uint32_t capacity)
{
	if (!out || !buf)
		return LR_EINVAL;
	out->missing = buf;
	out->missing_capacity = capacity;
	out->nmissing = 0;
	return LR_OK;
}

static void nat_error(lr_decisions *out, int code, int32_t input, const char *name, const char *rule,
		      const char *msg)
{
	lr_error *e;
	if (out->nerrors >= LR_MAX_ERRORS) {
		out->errors_dropped++;
		return;
	}
	e = &out->errors[out->nerrors++];
	e->code = code;
	e->input = input;
	e->name = name;
	e->rule_id = rule;
	e->message = msg;
}

/* ---- ranges ---------------------------------------------------------------- */

static int nat_reject(lr_decisions *out, const lr_ruleset *rs, const uint8_t *state, const int64_t *v)
{
	uint32_t i;
	for (i = 0; i < rs->ninputs; i++) {
		const lr_input_def *in = &rs->inputs[i];
		if (state[i] && lr__out_of_domain(in, v[i]))
			nat_error(out, LR_ERANGE, (int32_t)i, in->name, NULL, lr__domain_message(in));
	}
	return LR_ERANGE;
}

/* ---- one rule -------------------------------------------------------------- */

lr__val lr__nat_cond_w(ctx *c, uint32_t rule, uint64_t *miss)
{
	const lr_rule_def *r = &c->rs->rules[rule];
	return r->cond.len ? lr__run(c, &r->cond, miss) : lr__mk(1);
}

lr__val lr__nat_cond(ctx *c, uint32_t rule, bits *miss)
{
	return lr__nat_cond_w(c, rule, miss->w);
}

/* As eval.c's report_missing, into the compact list. */
static void nat_report(ctx *c, const uint64_t *m, uint32_t rule)
{
	lr_decisions *out = c->dec;
	int w;
	for (w = 0; w < c->nwords; w++) {
		uint64_t fresh = m[w] & ~c->reported[w];
		while (fresh) {
			int b = 0;
			uint32_t i;
			while (!((fresh >> b) & 1))
				b++;
			fresh &= fresh - 1;
			i = (uint32_t)(w * 64 + b);
			c->reported[w] |= UINT64_C(1) << b;
			if (out->nmissing < out->missing_capacity && i < c->rs->ninputs) {
				out->missing[out->nmissing].input = i;
				out->missing[out->nmissing].rule = rule;
				out->nmissing++;
			}
		}
	}
}

void lr__nat_report_word(ctx *c, lr_decisions *out, const lr_ruleset *rs, uint64_t *rep, uint64_t m, uint32_t rule)
{
	uint64_t *done = c ? &c->reported[0] : rep, fresh = m & ~*done;
	*done |= fresh;
	while (fresh) {
		uint32_t i = 0;
#if defined(__GNUC__)
		i = (uint32_t)__builtin_ctzll(fresh);
#else
		while (!((fresh >> i) & 1))
			i++;
#endif
		fresh &= fresh - 1;
		if (out->nmissing < out->missing_capacity && i < rs->ninputs) {
			out->missing[out->nmissing].input = i;
			out->missing[out->nmissing].rule = rule;
			out->nmissing++;
		}
	}
}

/* Stores decision a of rule ri (a known amount, schedule sv or NULL). */
static void nat_store(ctx *c, uint32_t ri, uint32_t a, val amount, const sched_val *sv, val due)
{
	const lr_rule_def *r = &c->rs->rules[ri];
	const lr_action_def *ad = &c->rs->actions[r->first_action + a];
	lr_decisions *out = c->dec;
	lr_decision *d;

	if (out->ndecisions >= out->capacity) {
		/* The compiler's bound says this cannot happen: never silent. */
		nat_error(out, LR_EFULL, -1, NULL, r->id, "more actions fired than the result buffer holds");
		return;
	}
	d = &out->decisions[out->ndecisions++];
	d->rule = ri;
	d->action = r->first_action + a;
	d->overridden_by = LR_LIVE;
	d->phase = -1;
	d->amount.v = (sv || ad->amount.len) ? amount.v : 0;
	d->next_due = 0;
	d->overdue = 0;
	d->due = ad->due.len ? (lr_date)due.v : 0;
	if (sv && sv->phase >= 0) {
		d->phase = (int32_t)(c->rs->schedules[ad->schedule].first_phase + (uint32_t)sv->phase);
		d->next_due = sv->next_due;
		d->overdue = sv->overdue;
	}
}

/* As eval.c's fire, through the same lr__action_values: any value not
 * known (or an error) and the rule does not fire: its stored decisions are
 * taken back and, when something was missing, the union of the sets
 * reported. */
static void nat_fire(ctx *c, uint32_t ri)
{
	const lr_rule_def *r = &c->rs->rules[ri];
	uint32_t a, first = c->dec->ndecisions;
	int st = 1;
	lr__bits local;
	uint64_t *mark = c->top, *miss = lr__set_tmp(c, &local);

	lr__set_clear(c, miss);
	for (a = 0; a < r->nactions; a++) {
		lr__act_vals x;
		st = lr__action_values(c, &c->rs->actions[r->first_action + a], &x, miss, st);
		if (st != 1)
			continue;
		nat_store(c, ri, a, x.amount, x.sv, x.due);
	}
	if (st == 1 && !c->err)
		c->overrides_fired |= r->noverrides != 0;
	else
		c->dec->ndecisions = first;
	if (st == 0 && !c->err)
		nat_report(c, miss, ri);
	c->top = mark;
}

void lr__nat_rule_done(ctx *c, uint32_t ri, val v, const bits *m)
{
	lr__nat_rule_done_w(c, ri, v, m->w);
}

void lr__nat_rule_done_w(ctx *c, uint32_t ri, val v, const uint64_t *m)
{
	const lr_rule_def *r = &c->rs->rules[ri];

	if (v.k == 1 && v.v)
		nat_fire(c, ri);
	else if (v.k == 0 && !c->err)
		nat_report(c, m, ri);
	if (c->err)
		nat_error(c->dec, c->err, -1, NULL, r->id, lr_strerror(c->err));
}

/* ---- a schedule on the typed fast path -------------------------------------- */

/* As eval.c's compute_schedule, on values already computed (the typed
 * fast path computed the schedule's programs); tests/codegen compares. */
int lr__nat_sched(const lr_ruleset *rs, uint32_t i, val anchor, val last, val asof, val count, lr__fx_sched *out)
{
	const lr_schedule_def *s = &rs->schedules[i];
	int64_t months = 0, days = 0, doses = 0;
	uint32_t k;
	lr_date next, limit;

	out->phase = -1;
	out->next_due = 0;
	out->overdue = 0;
	if (anchor.k != 1 || last.k != 1 || asof.k != 1 || count.k != 1) {
		out->k = (int8_t)((anchor.k == 0 || last.k == 0 || asof.k == 0 || count.k == 0) ? 0 : -1);
		return 1;
	}
	for (k = 0; k < s->nphases; k++) {
		const lr_phase_def *ph = &rs->phases[s->first_phase + k];
		lr_date end;
		if (ph->bound_unit == LR_U_NONE) {
			out->phase = (int32_t)k;
			break;
		}
		if (ph->bound_unit == LR_U_DOSES) {
			doses += ph->bound;
			if (count.v / LR_DEC_SCALE <= doses) {
				out->phase = (int32_t)k;
				break;
			}
			continue;
		}
		if (ph->bound_unit == LR_U_MONTHS || ph->bound_unit == LR_U_YEARS)
			months += ph->bound_unit == LR_U_YEARS ? (int64_t)ph->bound * 12 : ph->bound;
		else
			days += ph->bound_unit == LR_U_WEEKS ? (int64_t)ph->bound * 7 : ph->bound;
		if (lr_date_add_months(&end, (lr_date)anchor.v, months) != LR_OK ||
		    lr_date_add_days(&end, end, days) != LR_OK)
			return 0;
		if ((lr_date)last.v < end) {
			out->phase = (int32_t)k;
			break;
		}
	}
	out->k = 1;
	if (out->phase < 0)
		return 1;
	{
		const lr_phase_def *ph = &rs->phases[s->first_phase + (uint32_t)out->phase];
		if (lr_date_add_span(&next, (lr_date)last.v, ph->every, ph->every_unit) != LR_OK ||
		    lr_date_add_days(&limit, next, s->grace_days) != LR_OK)
			return 0;
	}
	out->next_due = next;
	out->overdue = (lr_date)asof.v > limit;
	return 1;
}

/* ---- overrides (as eval.c's ov_*, on decisions) ---------------------------- */

static void nat_ov_apply(lr_decisions *out, const lr_ruleset *rs, uint32_t ri)
{
	const lr_rule_def *r = &rs->rules[ri];
	uint32_t k;

	for (k = 0; k < r->noverrides; k++) {
		uint32_t t = rs->overrides[r->first_override + k], lo = 0, hi = out->ndecisions;
		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;
			if (out->decisions[mid].rule < t)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < out->ndecisions && out->decisions[lo].rule == t; lo++)
			if (ri < out->decisions[lo].overridden_by)
				out->decisions[lo].overridden_by = ri;
	}
}

static void nat_reverse(lr_decision *a, uint32_t n)
{
	uint32_t i;
	for (i = 0; i < n / 2; i++) {
		lr_decision t = a[i];
		a[i] = a[n - 1 - i];
		a[n - 1 - i] = t;
	}
}

/* Stable partition, live first (recursion log2(n) deep, as eval.c's). */
static uint32_t nat_partition(lr_decision *a, uint32_t n)
{
	uint32_t m, l, r;
	if (n == 0)
		return 0;
	if (n == 1)
		return a->overridden_by == LR_LIVE;
	m = n / 2;
	l = nat_partition(a, m);
	r = nat_partition(a + m, n - m);
	nat_reverse(a + l, m - l);
	nat_reverse(a + m, r);
	nat_reverse(a + l, m - l + r);
	return l + r;
}

/* Overridden decisions set aside while the live ones move up; more than
 * this many and the in-place partition does it (no scratch, slower). */
#define NAT_OV_SCRATCH 16

/* Marks the overridden decisions (when apply; the typed entry's generated
 * code marks them itself when it made every decision) and moves them
 * after the live ones. */
static void nat_ov_finish(lr_decisions *out, const lr_ruleset *rs, int apply)
{
	lr_decision aside[NAT_OV_SCRATCH];
	uint32_t k, live = 0, marked = 0;

	for (k = 0; apply && k < out->ndecisions; k++) {
		uint32_t ri = out->decisions[k].rule;
		if ((k == 0 || out->decisions[k - 1].rule != ri) && rs->rules[ri].noverrides)
			nat_ov_apply(out, rs, ri);
	}
	for (k = 0; k < out->ndecisions; k++)
		marked += out->decisions[k].overridden_by != LR_LIVE;
	if (!marked)
		return;
	if (marked > NAT_OV_SCRATCH) {
		live = nat_partition(out->decisions, out->ndecisions);
	} else {
		/* Stable: live ones move up in order, the others follow in order. */
		marked = 0;
		for (k = 0; k < out->ndecisions; k++) {
			if (out->decisions[k].overridden_by == LR_LIVE)
				out->decisions[live++] = out->decisions[k];
			else
				aside[marked++] = out->decisions[k];
		}
		memcpy(out->decisions + live, aside, (size_t)marked * sizeof aside[0]);
	}
	out->noverridden = out->ndecisions - live;
	out->ndecisions = live;
}

/* ---- entry points ------------------------------------------------------------ */

/* The rules of a table without a native evaluator (an in-memory table):
 * what the generated lr_g_native does, with the prefilter and condition
 * from the table, so the compact API works on every table and the fuzzer
 * can compare this file's half of the evaluator with eval.c's. */
static void nat_generic(ctx *c)
{
	const lr_ruleset *rs = c->rs;
	uint32_t ri;
	uint64_t *m = lr__sets_take(c, 1);

	m[0] = 0;
	for (ri = 0; ri < rs->nrules; ri++) {
		const lr_rule_def *r = &rs->rules[ri];
		val v;
		if (r->guard_input >= 0 && (uint32_t)r->guard_input < rs->ninputs &&
		    lr__nat_guarded(c, (uint32_t)r->guard_input, r->guard_mask))
			continue;
		c->err = 0;
		v = lr__nat_cond_w(c, ri, m);
		if (v.k == 0 || (v.k == 1 && v.v) || c->err)
			lr__nat_rule_done_w(c, ri, v, m);
	}
}

/* The typed entry's exact path: c, carved from the scratch lr__nat_start
 * checked, for the rules that need it; reported: the inputs the fast
 * path already listed (rule sets of at most 64 inputs). */
int lr__nat_begin(ctx *c, lr_decisions *out, const lr_ruleset *rs, const uint8_t *state, const int64_t *v,
		  uint64_t reported, void *scratch, size_t size)
{
	int rc = lr__ctx_init(c, rs, scratch, size);
	if (rc != LR_OK)
		return rc;
	c->state = state;
	c->v = v;
	c->out = NULL;
	c->dec = out;
	c->reported[0] = reported;
	return LR_OK;
}

int lr__nat_end(lr_decisions *out, const lr_ruleset *rs, int overrides_fired)
{
	uint32_t i;

	if (overrides_fired)
		nat_ov_finish(out, rs, overrides_fired != 2);
	for (i = 0; i < out->nerrors; i++)
		if (out->errors[i].code == LR_EFULL)
			return LR_EFULL;
	return LR_OK;
}

/* Runs the rules in a context lr__ctx_init prepared.  The generated
 * evaluator keeps its sets in slots of LR__SLOT_WORDS words: a rule set
 * with more inputs runs the generic loop (the compiler emits no native
 * evaluator for one; this guards a hand-made table). */
static int nat_eval(lr_decisions *out, ctx *c, const uint8_t *state, const int64_t *v)
{
	c->state = state;
	c->v = v;
	c->out = NULL;
	c->dec = out;
	if (c->rs->native && c->nwords <= LR__SLOT_WORDS)
		c->rs->native(c);
	else
		nat_generic(c);
	return lr__nat_end(out, c->rs, c->overrides_fired);
}

/* Arguments and buffer sizes for the native evaluator; clears the counts. */
static int nat_check(lr_decisions *out, const lr_ruleset *rs)
{
	int rc;
	if (!out || !rs || (!out->decisions && out->capacity) || !out->missing)
		return LR_EINVAL;
	out->ndecisions = out->noverridden = out->nmissing = out->nerrors = out->errors_dropped = 0;
	if ((rc = lr_ruleset_check(rs)) != LR_OK)
		return rc;
	if (out->capacity < rs->max_actions)
		return LR_EINVAL;
	if (out->missing_capacity < rs->ninputs) {
		nat_error(out, LR_EFULL, -1, NULL, NULL,
			  "the missing list holds fewer entries than the rule set has inputs (lr_decisions_set_missing)");
		return LR_EFULL;
	}
	return LR_OK;
}

/* Lists why the scratch was refused (lr__ctx_init's LR_ESCRATCH or
 * LR_EINVAL) and returns rc. */
static int nat_scratch_refused(lr_decisions *out, int rc)
{
	if (rc != LR_OK)
		nat_error(out, rc, -1, NULL, NULL,
			  rc == LR_ESCRATCH ? "the rule set needs lr_scratch_size(rs) bytes of scratch: use the _scratch entry"
					    : "the scratch buffer is NULL or not aligned for uint64_t");
	return rc;
}

/* nat_check, then the context carved from the scratch (which checks its
 * size and alignment: the layout is computed once). */
static int nat_prepare(lr_decisions *out, ctx *c, const lr_ruleset *rs, void *scratch, size_t size)
{
	int rc = nat_check(out, rs);
	return rc != LR_OK ? rc : nat_scratch_refused(out, lr__ctx_init(c, rs, scratch, size));
}

/* The typed entry sets its context up only if a rule needs the exact
 * path, so the scratch is checked here, in lr__ctx_init's order. */
int lr__nat_start(lr_decisions *out, const lr_ruleset *rs, const void *scratch, size_t size)
{
	int rc = nat_check(out, rs);
	if (rc != LR_OK)
		return rc;
	if (size < lr_scratch_size(rs))
		return nat_scratch_refused(out, LR_ESCRATCH);
	if (!scratch || ((uintptr_t)scratch & 7) != 0)
		return nat_scratch_refused(out, LR_EINVAL);
	return LR_OK;
}

int lr_eval_decisions_scratch(lr_decisions *out, const lr_ruleset *rs, const lr_record *rec, void *scratch,
			      size_t size)
{
	uint32_t i;
	ctx c;
	int rc, bad = 0;

	if (!rec || !rec->state || !rec->v)
		return LR_EINVAL;
	if ((rc = nat_prepare(out, &c, rs, scratch, size)) != LR_OK)
		return rc;
	if (rec->capacity < rs->ninputs) {
		nat_error(out, LR_EFULL, -1, NULL, NULL,
			  "the record holds fewer inputs than the rule set has (lr_record_init_arrays)");
		return LR_EFULL;
	}
	for (i = 0; i < rs->ninputs; i++)
		bad |= lr__out_of_domain(&rs->inputs[i], rec->v[i]) & (rec->state[i] != 0);
	if (bad)
		return nat_reject(out, rs, rec->state, rec->v);
	return nat_eval(out, &c, rec->state, rec->v);
}

int lr_eval_decisions(lr_decisions *out, const lr_ruleset *rs, const lr_record *rec)
{
	uint64_t scratch[LR_EVAL_STACK_SCRATCH / 8];
	return lr_eval_decisions_scratch(out, rs, rec, scratch, sizeof scratch);
}

int lr__nat_run_scratch(lr_decisions *out, const lr_ruleset *rs, const uint8_t *state, const int64_t *v, int bad,
			void *scratch, size_t size)
{
	ctx c;
	int rc = nat_prepare(out, &c, rs, scratch, size);
	if (rc != LR_OK)
		return rc;
	if (bad)
		return nat_reject(out, rs, state, v);
	return nat_eval(out, &c, state, v);
}

int lr__nat_run(lr_decisions *out, const lr_ruleset *rs, const uint8_t *state, const int64_t *v, int bad)
{
	uint64_t scratch[LR_EVAL_STACK_SCRATCH / 8];
	return lr__nat_run_scratch(out, rs, state, v, bad, scratch, sizeof scratch);
}

int lr_decision_action(lr_action *o, const lr_ruleset *rs, const lr_decision *d)
{
	const lr_rule_def *r;
	const lr_action_def *ad;

	if (!o || !rs || !d || d->rule >= rs->nrules)
		return LR_EINVAL;
	r = &rs->rules[d->rule];
	if (d->action < r->first_action || d->action - r->first_action >= r->nactions)
		return LR_EINVAL;
	ad = &rs->actions[d->action];
	o->rule = d->rule;
	o->rule_id = r->id;
	o->rule_title = r->title;
	o->verb = lr__verb_names[ad->verb < LR_VERB__COUNT ? ad->verb : 0];
	o->text = ad->text;
	o->citations = r->ncites ? rs->citations + r->first_cite : NULL;
	o->ncitations = r->ncites;
	o->file = r->file;
	o->line = r->line;
	o->end_line = r->end_line;
	o->headings = r->headings;
	o->reads = r->nreads ? rs->reads + r->first_read : NULL;
	o->nreads = r->nreads;
	o->has_dose = ad->schedule >= 0 || ad->amount.len != 0;
	o->amount = d->amount;
	o->unit = NULL;
	o->route = NULL;
	o->has_schedule = ad->schedule >= 0;
	o->schedule = NULL;
	o->phase = NULL;
	o->next_due = 0;
	o->overdue = 0;
	o->has_due = ad->due.len != 0;
	o->due = o->has_due ? d->due : 0;
	o->subject = ad->subject;
	o->overridden_by = d->overridden_by == LR_LIVE ? 0 : d->overridden_by;
	o->overridden_by_id = d->overridden_by == LR_LIVE || d->overridden_by >= rs->nrules
				      ? NULL : rs->rules[d->overridden_by].id;
	if (ad->schedule >= 0) {
		const lr_schedule_def *s = &rs->schedules[ad->schedule];
		o->schedule = s->name;
		o->unit = s->unit;
		o->route = s->route;
		if (d->phase >= 0) {
			o->phase = rs->phases[d->phase].label;
			o->next_due = d->next_due;
			o->overdue = d->overdue;
		}
	} else if (ad->amount.len) {
		o->unit = ad->unit;
		o->route = ad->route;
	}
	return LR_OK;
}

int lr_decisions_expand(lr_result *out, const lr_ruleset *rs, const lr_decisions *d)
{
	uint32_t k, n;

	if (!out || !rs || !d || lr_ruleset_check(rs) != LR_OK)
		return LR_EINVAL;
	n = d->ndecisions + d->noverridden;
	if (n > out->capacity)
		return LR_EFULL;
	for (k = 0; k < n; k++)
		if (lr_decision_action(&out->actions[k], rs, &d->decisions[k]) != LR_OK)
			return LR_EINVAL;
	out->nactions = d->ndecisions;
	out->noverridden = d->noverridden;
	out->actions_dropped = 0;
	if (d->nmissing > out->missing_capacity)
		return LR_EFULL;
	for (k = 0; k < d->nmissing; k++) {
		lr_missing *m = &out->missing[k];
		m->input = d->missing[k].input;
		m->name = m->input < rs->ninputs ? rs->inputs[m->input].name : NULL;
		m->rule_id = d->missing[k].rule < rs->nrules ? rs->rules[d->missing[k].rule].id : NULL;
	}
	out->nmissing = k;
	memcpy(out->errors, d->errors, (size_t)d->nerrors * sizeof d->errors[0]);
	out->nerrors = d->nerrors;
	out->errors_dropped = d->errors_dropped;
	return LR_OK;
}

/* lr_eval's native path (eval.c checked the arguments, the table, the
 * ranges, the missing list, that out's buffer holds every action, and
 * prepared c, whose decbuf holds max_actions decisions). */
int lr__nat_result(lr_result *out, ctx *c, const lr_record *rec)
{
	lr_decisions d;
	int rc;

	lr_decisions_init(&d, c->decbuf, c->rs->max_actions);
	/* d's own missing list holds LR_MISSING_INLINE inputs: eval.c takes
	 * this path only for rule sets that have no more. */
	rc = nat_eval(&d, c, rec->state, rec->v);
	lr_decisions_expand(out, c->rs, &d);
	return rc;
}
