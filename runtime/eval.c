/*
** eval.c: evaluates a compiled rule set for one patient record.
**
** Conditions are programs for a small stack machine (litrule_table.h).
** Every value is known, missing, or not applicable, and the logic is
** Kleene's three-valued one: "false and missing" is false, "true or
** missing" is true, anything else touching a missing value is missing.
** A rule fires only when its condition is known and true; when it is
** missing, the inputs that made it so are reported, so an absent value
** is never silently read as zero or false.  Each value carries exactly
** those inputs (its missing set, litrule_vm.h), so nothing that did not
** matter is reported.
**
** All working state (derived-value caches, missing sets) lives in a
** scratch buffer sized by the rule set's counts (lr_scratch_size): the
** caller's (lr_eval_scratch) or one on the C stack (lr_eval).  Evaluation
** allocates nothing, writes only to the scratch, the caller's result and
** its action buffer (never past its capacity: the actions that do not fit
** are counted and make lr_eval return LR_EFULL), and is reentrant.
**
** A program with native code (lr_code.fn, generated tables) is called;
** any other is interpreted.  The machine's types and one helper per
** opcode are in litrule_vm.h, which native code uses too, so the two
** ways compute the same values, missing sets and errors.
*/
#include <string.h>

#include "litrule.h"
#include "litrule_table.h"
#include "litrule_vm.h"

/* The machine's types and per-op helpers live in litrule_vm.h, shared
 * with native code in generated tables; short local names for them. */
typedef lr__val val;
typedef lr__slot slot;
typedef lr__cached cached;
typedef lr__sched sched_val;
typedef lr__ctx ctx;

/* What a cycle reads (the compiler rejects cycles): not applicable; its
 * set, entry i of the cache's *_miss array, is cleared first (empty). */
static const cached cycle_value = {{-1, 0}, LR__DONE};

/* The end of a program, on word sets: its value, and its set through miss
 * when the value is not known; not applicable with no set. */
static val ret_w(const ctx *c, val x, const uint64_t *m, uint64_t *miss)
{
	if (x.k != 1)
		lr__set_copy(c, miss, m);
	return x;
}

static val ret_na_w(const ctx *c, uint64_t *miss)
{
	lr__set_clear(c, miss);
	return lr__na();
}

/* Interprets one program; its value, and its missing set in miss when
 * the value is not known.  Each opcode is the value helper of
 * litrule_vm.h that native code's slot helper calls for it, and the same
 * set rule (lr__put2w, lr__put1w, lr__inputw, lr__letw, ...); this loop
 * only adds the dispatch and the stack, whose depth the compiler bounded.
 * Values are on the C stack; slot k's set is the k-th set of this frame
 * on the context's set stack (sets of nwords words, any number of
 * inputs).  A nested program (a derived value, a table's key, a
 * schedule) takes its frame above the slots in use. */
#define S(k) (frame + (size_t)(k) * (size_t)nw)
#define BIN(r) do { sp--; lr__put2w(c, &x[sp - 1], S(sp - 1), x[sp], S(sp), (r)); } while (0)
#define UN(r) lr__put1w(c, &x[sp - 1], S(sp - 1), (r))
static val interpret(ctx *c, const lr_code *code, uint64_t *miss)
{
	const lr_insn *ip, *end;
	val x[LR_MAX_STACK];
	uint64_t *frame = c->top;
	size_t nw = (size_t)c->nwords, room = (size_t)(c->end - frame) / nw;
	int sp = 0;
	val r;

	/* An empty program yields nothing, as the loop below would; returning
	 * first avoids NULL + 0 (undefined) when a generated table has no code
	 * at all and so emits code = NULL. */
	if (code->len == 0)
		return ret_na_w(c, miss);
	ip = c->rs->code + code->start;
	end = ip + code->len;
	for (; ip < end; ip++) {
		if (sp >= LR_MAX_STACK - 1)
			return ret_na_w(c, miss);
		if ((size_t)sp + 1 > room) {
			/* More sets than the compiler's bound: an error, never a write
			 * past the scratch. */
			lr__fail(c, LR_EFULL);
			return ret_na_w(c, miss);
		}
		switch ((lr_opcode)ip->op) {
		case LR_OP_CONST: x[sp++] = lr__mk(c->rs->consts[ip->arg]); break;
		case LR_OP_INPUT: lr__inputw(c, &x[sp], S(sp), (uint32_t)ip->arg, ip->flags & 1); sp++; break;
		case LR_OP_LET: c->top = S(sp + 1); lr__letw(c, &x[sp], S(sp), (uint32_t)ip->arg); sp++; break;
		case LR_OP_TABLE: c->top = S(sp + 1); lr__tablew(c, &x[sp], S(sp), (uint32_t)ip->arg); sp++; break;
		case LR_OP_ADD: BIN(lr__add(c, x[sp - 1], x[sp])); break;
		case LR_OP_SUB: BIN(lr__sub(c, x[sp - 1], x[sp])); break;
		case LR_OP_MUL: BIN(lr__mul(c, x[sp - 1], x[sp])); break;
		case LR_OP_DIV: BIN(lr__div(c, x[sp - 1], x[sp])); break;
		case LR_OP_NEG: UN(lr__neg(c, x[sp - 1])); break;
		case LR_OP_ADD_DAYS: BIN(lr__add_days(c, x[sp - 1], x[sp], ip->arg)); break;
		case LR_OP_ADD_MONTHS: BIN(lr__add_months(c, x[sp - 1], x[sp], ip->arg)); break;
		case LR_OP_LT: BIN(lr__cmp_lt(x[sp - 1], x[sp])); break;
		case LR_OP_LE: BIN(lr__cmp_le(x[sp - 1], x[sp])); break;
		case LR_OP_GT: BIN(lr__cmp_gt(x[sp - 1], x[sp])); break;
		case LR_OP_GE: BIN(lr__cmp_ge(x[sp - 1], x[sp])); break;
		case LR_OP_EQ: BIN(lr__cmp_eq(x[sp - 1], x[sp])); break;
		case LR_OP_NE: BIN(lr__cmp_ne(x[sp - 1], x[sp])); break;
		case LR_OP_AND: BIN(lr__and(x[sp - 1], x[sp])); break;
		case LR_OP_OR: BIN(lr__or(x[sp - 1], x[sp])); break;
		case LR_OP_NOT: UN(lr__not(x[sp - 1])); break;
		/* Always known: no set, whatever the operand's was. */
		case LR_OP_KNOWN: x[sp - 1] = lr__known(x[sp - 1]); break;
		case LR_OP_IN_SET: UN(lr__in_set(x[sp - 1], c->rs->consts[ip->arg])); break;
		/* if c then a else b runs only the branch taken.  Unknown: c stays
		 * as the result (with its set) and control lands on the JUMP past
		 * the else. */
		case LR_OP_IF:
			switch (lr__if(x[sp - 1])) {
			case LR__UNKNOWN: ip += ip->arg - 1; break;
			case LR__ELSE: sp--; ip += ip->arg; break;
			default: sp--; break;
			}
			break;
		case LR_OP_JUMP: ip += ip->arg; break;
		case LR_OP_COALESCE: BIN(lr__coalesce(x[sp - 1], x[sp])); break;
		case LR_OP_OVERDUE: c->top = S(sp + 1); lr__overduew(c, &x[sp], S(sp), (uint32_t)ip->arg); sp++; break;
		case LR_OP_SKIP_FALSE:
			if (lr__skip_false(x[sp - 1]))
				ip += ip->arg;
			break;
		case LR_OP_SKIP_TRUE:
			if (lr__skip_true(x[sp - 1]))
				ip += ip->arg;
			break;
		case LR_OP_MONTHS_BETWEEN: BIN(lr__months_between(x[sp - 1], x[sp])); break;
		case LR_OP_DAY_OF_MONTH: UN(lr__day_of_month(x[sp - 1])); break;
		default:
			c->top = frame;
			return ret_na_w(c, miss);
		}
	}
	c->top = frame;
	r = sp > 0 ? ret_w(c, x[sp - 1], S(sp - 1), miss) : ret_na_w(c, miss);
	return r;
}
#undef S
#undef BIN
#undef UN

/* Runs one program: its native code when the table has it (generated
 * tables), else the bytecode.  Both give the same value and set
 * (litrule_vm.h); the set is in miss when the value is not known.  Native
 * code keeps sets in slots of LR__SLOT_WORDS words, so it runs only for
 * rule sets whose sets fit (the compiler emits none for others). */
val lr__run(ctx *c, const lr_code *code, uint64_t *miss)
{
	if (code->fn && !c->interp && c->nwords <= LR__SLOT_WORDS)
		return code->fn(c, (lr__bits *)(void *)miss);
	return interpret(c, code, miss);
}

/* Computes a derived value, with its own missing set, on first use. */
const cached *lr__let_value(ctx *c, uint32_t i)
{
	cached *e = &c->lets[i];
	uint64_t *m = c->let_miss + (size_t)i * (size_t)c->nwords;
	if (e->state == LR__TODO) {
		e->state = LR__BUSY;
		e->v = lr__run(c, &c->rs->lets[i].code, m);
		e->state = LR__DONE;
	} else if (e->state == LR__BUSY) {
		lr__set_clear(c, m);
		return &cycle_value;
	}
	return e;
}

static int row_matches(const lr_row_def *r, int64_t x)
{
	if (!r->lo_inf && (r->lo_open ? x <= r->lo : x < r->lo))
		return 0;
	if (!r->hi_inf && (r->hi_open ? x >= r->hi : x > r->hi))
		return 0;
	return 1;
}

/* A table's value: the key's set when the key is not known; a row that
 * gives nothing (or no row) is not applicable, with no set: the key is
 * known, so nothing absent made it so. */
const cached *lr__table_value(ctx *c, uint32_t i)
{
	cached *e = &c->tables[i];
	uint64_t *m = c->table_miss + (size_t)i * (size_t)c->nwords;
	if (e->state == LR__TODO) {
		const lr_table_def *t = &c->rs->tables[i];
		val key;
		uint32_t r;
		e->state = LR__BUSY;
		key = lr__run(c, &t->key, m);
		e->v = key;
		if (key.k == 1) {
			e->v = ret_na_w(c, m);
			for (r = 0; r < t->nrows; r++) {
				const lr_row_def *row = &c->rs->rows[t->first_row + r];
				if (row_matches(row, key.v)) {
					if (row->has_value)
						e->v = lr__mk(row->value);
					break;
				}
			}
		}
		e->state = LR__DONE;
	} else if (e->state == LR__BUSY) {
		lr__set_clear(c, m);
		return &cycle_value;
	}
	return e;
}

/* The phase of the last dose, its next due date, and whether it is late.
 * Phase k ends at anchor + (months of phases 1..k, added in one step) +
 * (days and weeks of phases 1..k); a dose on the end date belongs to the
 * next phase.  The interval after a dose is that of the dose's phase. */
/* Adds the set of a value that is not known to acc. */
static void merge_unknown(const ctx *c, uint64_t *acc, val v, const uint64_t *m)
{
	if (v.k != 1)
		lr__set_or(c, acc, m);
}

/* When not known, *miss is the union of the sets of the dates (and count)
 * that are not known; an error (all of them known) has none. */
static void schedule_phase(ctx *c, const lr_schedule_def *s, sched_val *out, val anchor, val last, val asof,
			   val count);

static void compute_schedule(ctx *c, const lr_schedule_def *s, sched_val *out, uint64_t *miss)
{
	uint64_t *mark = c->top, *m = lr__sets_take(c, 4);
	size_t nw = (size_t)c->nwords;
	val anchor = lr__run(c, &s->anchor, m), last = lr__run(c, &s->last, m + nw),
	    asof = lr__run(c, &s->asof, m + 2 * nw);
	val count = s->count.len ? lr__run(c, &s->count, m + 3 * nw) : lr__mk(0);

	out->phase = -1;
	lr__set_clear(c, miss);
	if (anchor.k != 1 || last.k != 1 || asof.k != 1 || count.k != 1) {
		out->k = (anchor.k == 0 || last.k == 0 || asof.k == 0 || count.k == 0) ? 0 : -1;
		merge_unknown(c, miss, anchor, m);
		merge_unknown(c, miss, last, m + nw);
		merge_unknown(c, miss, asof, m + 2 * nw);
		merge_unknown(c, miss, count, m + 3 * nw);
	} else {
		schedule_phase(c, s, out, anchor, last, asof, count);
	}
	c->top = mark;
}

/* The phase of a schedule whose dates (and count) are known: native.c's
 * lr__nat_sched, which the typed fast path calls on its own values. */
static void schedule_phase(ctx *c, const lr_schedule_def *s, sched_val *out, val anchor, val last, val asof,
			   val count)
{
	lr__fx_sched fx;
	int ok = lr__nat_sched(c->rs, (uint32_t)(s - c->rs->schedules), anchor, last, asof, count, &fx);

	out->phase = fx.phase;
	if (!ok) {
		c->err = c->err ? c->err : LR_ERANGE;
		out->k = -1;
		return;
	}
	out->k = fx.k;
	out->next_due = fx.next_due;
	out->overdue = fx.overdue;
}

const sched_val *lr__sched_value(ctx *c, uint32_t i)
{
	sched_val *e = &c->scheds[i];
	if (e->state == LR__TODO) {
		uint64_t *m = c->sched_miss + (size_t)i * (size_t)c->nwords;
		/* While it is computed (a cycle, which the compiler rejects) the
		 * schedule reads as missing, with nothing to report: its set is
		 * empty until compute_schedule's last step fills it. */
		e->k = 0;
		lr__set_clear(c, m);
		e->state = LR__BUSY;
		compute_schedule(c, &c->rs->schedules[i], e, m);
		e->state = LR__DONE;
	}
	return e;
}

/* ---- public API ------------------------------------------------------------ */


int lr_ruleset_check(const lr_ruleset *rs)
{
	if (!rs)
		return LR_EINVAL;
	if (rs->magic != LR_TABLE_MAGIC || rs->format != LR_TABLE_FORMAT ||
	    rs->sizeof_insn != sizeof(lr_insn) || rs->sizeof_rule != sizeof(lr_rule_def))
		return LR_EVERSION;
	return LR_OK;
}

/* ---- scratch ------------------------------------------------------------------
** The scratch buffer holds, in order: the caches of derived values, table
** values and schedules; the native path's decisions; then missing sets
** of nwords words each: one per cached entry, the reported set, the sink
** and the set stack (nsets).  Every part starts 8-aligned. */

typedef struct {
	size_t lets, tables, scheds, decs, words, total;
	size_t nwords, nsets;
} scratch_layout;

static uint64_t a8(uint64_t n)
{
	return (n + 7) & ~(uint64_t)7;
}

/* Sizes in bytes, checked against overflow (0: does not fit size_t).
 * Counts are 32-bit, so every product fits 64 bits: no division on this
 * path, which every evaluation takes. */
static int layout_of(scratch_layout *l, const lr_ruleset *rs)
{
	uint64_t nw = rs->ninputs ? ((uint64_t)rs->ninputs + 63) >> 6 : 1, nsets = rs->nsets ? rs->nsets : 64;
	uint64_t sets = (uint64_t)rs->nlets + rs->ntables + rs->nschedules + 1 + LR__SINK_SETS, total;
	uint64_t tables = a8((uint64_t)rs->nlets * sizeof(lr__cached));
	uint64_t scheds = a8(tables + (uint64_t)rs->ntables * sizeof(lr__cached));
	uint64_t decs = a8(scheds + (uint64_t)rs->nschedules * sizeof(lr__sched));
	uint64_t words = a8(decs + (uint64_t)rs->max_actions * sizeof(lr_decision));
	/* (2^34 sets) * (2^26 words) * 8 < 2^64; the parts before are below 2^40. */
	total = words + (sets + nsets) * nw * 8;
	if (total > (uint64_t)SIZE_MAX)
		return 0;
	l->lets = 0;
	l->tables = (size_t)tables;
	l->scheds = (size_t)scheds;
	l->decs = (size_t)decs;
	l->words = (size_t)words;
	l->nwords = (size_t)nw;
	l->nsets = (size_t)nsets;
	l->total = (size_t)total;
	return 1;
}

size_t lr_scratch_size(const lr_ruleset *rs)
{
	scratch_layout l;
	if (lr_ruleset_check(rs) != LR_OK || !layout_of(&l, rs))
		return 0;
	return l.total;
}

int lr__ctx_init(ctx *c, const lr_ruleset *rs, void *scratch, size_t size)
{
	scratch_layout l;
	unsigned char *p = scratch;
	uint64_t *w;
	uint32_t i;

	if (!layout_of(&l, rs) || size < l.total)
		return LR_ESCRATCH;
	if (!p || ((uintptr_t)p & 7) != 0)
		return LR_EINVAL;
	c->rs = rs;
	c->nwords = (int)l.nwords;
	c->err = 0;
	c->interp = 0;
	c->overrides_fired = 0;
	c->lets = (lr__cached *)(void *)(p + l.lets);
	c->tables = (lr__cached *)(void *)(p + l.tables);
	c->scheds = (lr__sched *)(void *)(p + l.scheds);
	c->decbuf = (lr_decision *)(void *)(p + l.decs);
	w = (uint64_t *)(void *)(p + l.words);
	c->let_miss = w;
	c->table_miss = c->let_miss + (size_t)rs->nlets * l.nwords;
	c->sched_miss = c->table_miss + (size_t)rs->ntables * l.nwords;
	c->reported = c->sched_miss + (size_t)rs->nschedules * l.nwords;
	c->sink = c->reported + l.nwords;
	c->top = c->sink + LR__SINK_SETS * l.nwords;
	c->end = c->top + l.nsets * l.nwords;
	/* Only the cache states need resetting: a value, its missing set and
	 * a schedule's fields are written before they are first read. */
	for (i = 0; i < rs->nlets; i++)
		c->lets[i].state = LR__TODO;
	for (i = 0; i < rs->ntables; i++)
		c->tables[i].state = LR__TODO;
	for (i = 0; i < rs->nschedules; i++)
		c->scheds[i].state = LR__TODO;
	lr__set_clear(c, c->reported);
	return LR_OK;
}

const char *lr_ruleset_name(const lr_ruleset *rs) { return rs ? rs->name : NULL; }
const char *lr_ruleset_version(const lr_ruleset *rs) { return rs ? rs->version : NULL; }
const char *lr_ruleset_hash(const lr_ruleset *rs) { return rs ? rs->hash : NULL; }
const char *lr_ruleset_commit(const lr_ruleset *rs) { return rs ? rs->commit : NULL; }
uint32_t lr_ruleset_ninputs(const lr_ruleset *rs) { return rs ? rs->ninputs : 0; }
uint32_t lr_ruleset_max_actions(const lr_ruleset *rs) { return rs ? rs->max_actions : 0; }

int lr_result_init(lr_result *r, lr_action *buf, uint32_t capacity)
{
	if (!r || (!buf && capacity))
		return LR_EINVAL;
	r->actions = buf;
	r->capacity = capacity;
	r->nactions = r->nmissing = r->nerrors = r->noverridden = 0;
	r->actions_dropped = r->errors_dropped = 0;
	r->missing = r->own_missing;
	r->missing_capacity = LR_MISSING_INLINE;
	return LR_OK;
}

int lr_result_set_missing(lr_result *r, lr_missing *buf, uint32_t capacity)
{
	if (!r || !buf)
		return LR_EINVAL;
	r->missing = buf;
	r->missing_capacity = capacity;
	r->nmissing = 0;
	return LR_OK;
}
const char *lr_ruleset_input_name(const lr_ruleset *rs, uint32_t i)
{
	return rs && i < rs->ninputs ? rs->inputs[i].name : NULL;
}

static void add_error(lr_result *out, int code, int32_t input, const char *name, const char *rule,
		      const char *msg)
{
	lr_error *e;
	if (out->nerrors >= LR_MAX_ERRORS) {
		out->errors_dropped++; /* counted, so the caller can say "and N more" */
		return;
	}
	e = &out->errors[out->nerrors++];
	e->code = code;
	e->input = input;
	e->name = name;
	e->rule_id = rule;
	e->message = msg;
}

/* Rejects values outside declared ranges before any rule reads them.
 * Almost every record is valid, so a first pass only asks whether any
 * value is bad, without branching on which inputs are present (that
 * branch follows the patient, so it is mispredicted); the second pass,
 * which names the fields, runs only for a bad record. */
static int validate(lr_result *out, const lr_ruleset *rs, const lr_record *rec)
{
	uint32_t i;
	int bad = 0;

	for (i = 0; i < rs->ninputs; i++)
		bad |= lr__out_of_domain(&rs->inputs[i], rec->v[i]) & (rec->state[i] != 0);
	if (!bad)
		return 0;
	for (i = 0; i < rs->ninputs; i++) {
		const lr_input_def *in = &rs->inputs[i];
		if (rec->state[i] && lr__out_of_domain(in, rec->v[i]))
			add_error(out, LR_ERANGE, (int32_t)i, in->name, NULL, lr__domain_message(in));
	}
	return 1;
}

/* Lists the inputs of set m that no earlier rule listed, as needed by rule. */
static void report_missing(lr_result *out, ctx *c, const uint64_t *m, const lr_rule_def *rule)
{
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
			/* missing_capacity >= ninputs (eval_start), so this never drops. */
			if (out->nmissing < out->missing_capacity && i < c->rs->ninputs) {
				lr_missing *o = &out->missing[out->nmissing++];
				o->input = i;
				o->name = c->rs->inputs[i].name;
				o->rule_id = rule->id;
			}
		}
	}
}

/* Fills o, a decision of action ad of rule ri, from its amount (known)
 * and schedule (known, or NULL).  Every field is assigned (no memset of
 * the whole struct first: this runs for every action fired). */
static void fill_action(lr_action *o, const ctx *c, uint32_t ri, const lr_action_def *ad, val amount,
			const sched_val *sv, val due)
{
	const lr_ruleset *rs = c->rs;
	const lr_rule_def *r = &rs->rules[ri];

	o->rule = ri;
	o->rule_id = r->id;
	o->rule_title = r->title;
	o->verb = lr__verb_names[ad->verb < LR_VERB__COUNT ? ad->verb : 0];
	o->text = ad->text;
	/* Generated tables have NULL for empty arrays (C has no empty ones),
	 * and NULL + 0 is undefined: point only into real arrays. */
	o->citations = r->ncites ? rs->citations + r->first_cite : NULL;
	o->ncitations = r->ncites;
	o->file = r->file;
	o->line = r->line;
	o->end_line = r->end_line;
	o->headings = r->headings;
	o->reads = r->nreads ? rs->reads + r->first_read : NULL;
	o->nreads = r->nreads;
	o->has_dose = 0;
	o->amount.v = 0;
	o->unit = NULL;
	o->route = NULL;
	o->has_schedule = 0;
	o->schedule = NULL;
	o->phase = NULL;
	o->next_due = 0;
	o->overdue = 0;
	o->subject = ad->subject;
	o->has_due = ad->due.len != 0;
	o->due = (lr_date)due.v;
	o->overridden_by = 0;
	o->overridden_by_id = NULL;
	if (sv) {
		const lr_schedule_def *s = &rs->schedules[ad->schedule];
		o->has_schedule = 1;
		o->schedule = s->name;
		o->has_dose = 1;
		o->amount.v = amount.v; /* the schedule's */
		o->unit = s->unit;
		o->route = s->route;
		if (sv->phase >= 0) {
			o->phase = rs->phases[s->first_phase + (uint32_t)sv->phase].label;
			o->next_due = sv->next_due;
			o->overdue = sv->overdue;
		}
	} else if (ad->amount.len) {
		o->has_dose = 1;
		o->amount.v = amount.v;
		o->unit = ad->unit;
		o->route = ad->route;
	}
}

/* ---- overrides ----------------------------------------------------------------
** A rule that fires drops the actions of the rules it overrides from the
** decision (litrule.h, lr_result).  Stored actions are in rule order, so
** a rule's actions are found by binary search.  Each is marked with its
** overrider (the lowest-numbered rule that fired and overrides it, so the
** result does not depend on evaluation order); ov_finish then moves the
** marked ones behind the live ones, keeping both parts in order, within
** the caller's buffer. */

/* Marks the stored actions of the rules that rule ri overrides. */
static void ov_apply(lr_result *out, const lr_ruleset *rs, uint32_t ri)
{
	const lr_rule_def *r = &rs->rules[ri];
	uint32_t k;

	for (k = 0; k < r->noverrides; k++) {
		uint32_t t = rs->overrides[r->first_override + k], lo = 0, hi = out->nactions;
		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;
			if (out->actions[mid].rule < t)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < out->nactions && out->actions[lo].rule == t; lo++) {
			lr_action *a = &out->actions[lo];
			if (!a->overridden_by_id || ri < a->overridden_by) {
				a->overridden_by = ri;
				a->overridden_by_id = r->id;
			}
		}
	}
}

static void ov_reverse(lr_action *a, uint32_t n)
{
	uint32_t i;
	for (i = 0; i < n / 2; i++) {
		lr_action t = a[i];
		a[i] = a[n - 1 - i];
		a[n - 1 - i] = t;
	}
}

/* Stable partition of a[0..n): live actions first.  Returns how many are
 * live.  Divide and conquer with rotations: no scratch buffer, and the
 * recursion is log2(n) deep (at most 32). */
static uint32_t ov_partition(lr_action *a, uint32_t n)
{
	uint32_t m, l, r;
	if (n == 0)
		return 0;
	if (n == 1)
		return a->overridden_by_id ? 0 : 1;
	m = n / 2;
	l = ov_partition(a, m);
	r = ov_partition(a + m, n - m);
	/* a[l..m) overridden, a[m..m+r) live: rotate them. */
	ov_reverse(a + l, m - l);
	ov_reverse(a + m, r);
	ov_reverse(a + l, m - l + r);
	return l + r;
}

/* After every rule: the rules with stored actions apply their overrides,
 * and the overridden actions move behind the live ones. */
static void ov_finish(lr_result *out, const lr_ruleset *rs)
{
	uint32_t k, live, marked = 0;

	for (k = 0; k < out->nactions; k++) {
		uint32_t ri = out->actions[k].rule;
		if ((k == 0 || out->actions[k - 1].rule != ri) && rs->rules[ri].noverrides)
			ov_apply(out, rs, ri);
	}
	for (k = 0; k < out->nactions; k++)
		marked += out->actions[k].overridden_by_id != NULL;
	if (!marked)
		return;
	live = ov_partition(out->actions, out->nactions);
	out->noverridden = out->nactions - live;
	out->nactions = live;
}

/* The worse of two states: 1 known, 0 missing, -1 not applicable; missing
 * dominates, so absent inputs are reported. */
static int worse(int st, int k)
{
	return k == 1 ? st : st == 0 || k == 0 ? 0 : -1;
}

int lr__action_values(ctx *c, const lr_action_def *ad, lr__act_vals *o, uint64_t *miss, int st)
{
	lr__bits local;
	uint64_t *mark = c->top, *m = lr__set_tmp(c, &local);

	o->amount = ad->amount.len ? lr__run(c, &ad->amount, m) : lr__mk(0);
	st = worse(st, o->amount.k);
	merge_unknown(c, miss, o->amount, m);
	/* A due date is a dynamic value like an amount: not known, the rule
	 * does not fire (and its absent inputs are reported). */
	o->due = ad->due.len ? lr__run(c, &ad->due, m) : lr__mk(0);
	st = worse(st, o->due.k);
	merge_unknown(c, miss, o->due, m);
	o->sv = NULL;
	if (ad->schedule >= 0) {
		o->amount = lr__run(c, &c->rs->schedules[ad->schedule].amount, m);
		st = worse(st, o->amount.k);
		merge_unknown(c, miss, o->amount, m);
		o->sv = lr__sched_value(c, (uint32_t)ad->schedule);
		st = worse(st, o->sv->k);
		if (o->sv->k != 1)
			lr__set_or(c, miss, c->sched_miss + (size_t)ad->schedule * (size_t)c->nwords);
	}
	c->top = mark;
	return st;
}

/* A rule whose condition holds: its actions' amounts and schedules are
 * computed (lr__action_values) and each action is stored as it goes (or
 * counted as dropped when the caller's buffer is full).  If one is not
 * known, or a rule error occurred, the rule does not fire: what it stored
 * is taken back, and when something was missing the union of the unknown
 * values' sets is reported.  A schedule's amount replaces the action's own. */
static void fire(ctx *c, uint32_t ri)
{
	const lr_rule_def *r = &c->rs->rules[ri];
	lr_result *out = c->out;
	uint32_t a, first = out->nactions, dropped = out->actions_dropped;
	int st = 1;
	lr__bits local;
	uint64_t *mark = c->top, *miss = lr__set_tmp(c, &local);

	lr__set_clear(c, miss);
	for (a = 0; a < r->nactions; a++) {
		const lr_action_def *ad = &c->rs->actions[r->first_action + a];
		lr__act_vals x;
		st = lr__action_values(c, ad, &x, miss, st);
		if (st != 1)
			continue; /* the rule will not fire: store nothing more */
		if (out->nactions < out->capacity)
			fill_action(&out->actions[out->nactions++], c, ri, ad, x.amount, x.sv, x.due);
		else
			out->actions_dropped++;
	}
	if (st == 1 && !c->err) {
		/* Its dropped actions are not in the buffer for ov_finish to
		 * find, so a rule that overrides others applies that now. */
		if (r->noverrides && out->actions_dropped > dropped)
			ov_apply(out, c->rs, ri);
		c->top = mark;
		return;
	}
	out->nactions = first;
	out->actions_dropped = dropped;
	if (st == 0 && !c->err)
		report_missing(out, c, miss, r);
	c->top = mark;
}

/* The end of one rule's evaluation: its condition gave v, with the set
 * m when v is not known.  Most conditions are known false or not
 * applicable, without error, and then there is nothing to do: lr_eval
 * does not call this for them. */
static void rule_done(ctx *c, uint32_t ri, val v, const uint64_t *m)
{
	const lr_rule_def *r = &c->rs->rules[ri];

	if (v.k == 1 && v.v)
		fire(c, ri);
	else if (v.k == 0 && !c->err)
		report_missing(c->out, c, m, r);
	if (c->err)
		add_error(c->out, c->err, -1, NULL, r->id, lr_strerror(c->err));
}

/* The table interpreter: every rule in order, each condition through
 * lr__run (native code per program when the table has it), in a context
 * lr__ctx_init prepared. */
static int eval_interpreted(lr_result *out, ctx *c, const lr_record *rec, int interp)
{
	const lr_ruleset *rs = c->rs;
	uint32_t ri;
	const char *first_full = NULL;
	uint64_t *m;

	c->state = rec->state;
	c->v = rec->v;
	c->out = out;
	c->dec = NULL;
	c->interp = interp;
	m = lr__sets_take(c, 1);
	for (ri = 0; ri < rs->nrules; ri++) {
		const lr_rule_def *r = &rs->rules[ri];
		val v;
		/* The prefilter (litrule_table.h): a known guard input outside the
		 * mask makes the condition known false, with nothing to report. */
		if (r->guard_input >= 0 && (uint32_t)r->guard_input < rs->ninputs) {
			uint32_t g = (uint32_t)r->guard_input;
			if (rec->state[g] && (uint64_t)rec->v[g] < 64 && !((r->guard_mask >> rec->v[g]) & 1))
				continue;
		}
		c->err = 0;
		v = r->cond.len ? lr__run(c, &r->cond, m) : lr__mk(1);
		if ((v.k == 1 && v.v) || v.k == 0 || c->err) {
			uint32_t before = out->actions_dropped;
			rule_done(c, ri, v, m);
			if (!first_full && out->actions_dropped > before)
				first_full = r->id;
		}
	}
	if (rs->noverrides)
		ov_finish(out, rs);
	/* A full buffer is an error, never a silent cut: listed, and the code. */
	if (out->actions_dropped) {
		add_error(out, LR_EFULL, -1, NULL, first_full, "more actions fired than the result buffer holds");
		return LR_EFULL;
	}
	return LR_OK;
}

/* The checks every evaluation starts with: arguments, table, the record's
 * and the missing list's sizes, the scratch (lr__ctx_init), ranges.
 * Returns 1 when *rc is the final answer. */
static int eval_start(int *rc, lr_result *out, ctx *c, const lr_ruleset *rs, const lr_record *rec, void *scratch,
		      size_t size)
{
	*rc = LR_EINVAL;
	if (!out || !rs || !rec || !rec->state || !rec->v || (!out->actions && out->capacity) || !out->missing)
		return 1;
	out->nactions = out->nmissing = out->nerrors = out->noverridden = 0;
	out->actions_dropped = out->errors_dropped = 0;
	if ((*rc = lr_ruleset_check(rs)) != LR_OK)
		return 1;
	*rc = LR_EFULL;
	if (rec->capacity < rs->ninputs) {
		add_error(out, LR_EFULL, -1, NULL, NULL,
			  "the record holds fewer inputs than the rule set has (lr_record_init_arrays)");
		return 1;
	}
	if (out->missing_capacity < rs->ninputs) {
		add_error(out, LR_EFULL, -1, NULL, NULL,
			  "the missing list holds fewer entries than the rule set has inputs (lr_result_set_missing)");
		return 1;
	}
	if ((*rc = lr__ctx_init(c, rs, scratch, size)) != LR_OK) {
		add_error(out, *rc, -1, NULL, NULL,
			  *rc == LR_ESCRATCH ? "the rule set needs lr_scratch_size(rs) bytes of scratch: use lr_eval_scratch"
					     : "the scratch buffer is NULL or not aligned for uint64_t");
		return 1;
	}
	*rc = LR_ERANGE;
	return validate(out, rs, rec);
}

/* A generated table runs its native evaluator (native.c), which gives
 * exactly the interpreter's result, whenever the caller's buffer can take
 * every action (so nothing is dropped: LR_EFULL's partial results stay
 * the interpreter's business); its decisions go to the scratch's buffer
 * of max_actions, its missing list to lr_decisions' own (rule sets of at
 * most LR_MISSING_INLINE inputs: larger ones have no native evaluator). */
int lr_eval_scratch(lr_result *out, const lr_ruleset *rs, const lr_record *rec, void *scratch, size_t size)
{
	ctx c;
	int rc;
	if (eval_start(&rc, out, &c, rs, rec, scratch, size))
		return rc;
	if (rs->native && out->capacity >= rs->max_actions && rs->ninputs <= LR_MISSING_INLINE)
		return lr__nat_result(out, &c, rec);
	return eval_interpreted(out, &c, rec, 0);
}

int lr_eval_interpret_scratch(lr_result *out, const lr_ruleset *rs, const lr_record *rec, void *scratch,
			      size_t size)
{
	ctx c;
	int rc;
	if (eval_start(&rc, out, &c, rs, rec, scratch, size))
		return rc;
	return eval_interpreted(out, &c, rec, 1);
}

/* The C stack's buffer: rule sets whose lr_scratch_size fits it need no
 * other (LR_ESCRATCH otherwise). */
int lr_eval(lr_result *out, const lr_ruleset *rs, const lr_record *rec)
{
	uint64_t scratch[LR_EVAL_STACK_SCRATCH / 8];
	return lr_eval_scratch(out, rs, rec, scratch, sizeof scratch);
}

int lr_eval_interpret(lr_result *out, const lr_ruleset *rs, const lr_record *rec)
{
	uint64_t scratch[LR_EVAL_STACK_SCRATCH / 8];
	return lr_eval_interpret_scratch(out, rs, rec, scratch, sizeof scratch);
}

/* ---- records ------------------------------------------------------------------ */

int lr_record_init(lr_record *r, const lr_ruleset *rs)
{
	if (!r || !rs)
		return LR_EINVAL;
	r->rs = rs;
	r->state = r->own_state;
	r->v = r->own_v;
	r->capacity = LR_RECORD_INLINE;
	memset(r->own_state, 0, sizeof r->own_state);
	memset(r->own_v, 0, sizeof r->own_v);
	if (rs->ninputs > LR_RECORD_INLINE) {
		/* Too small: it holds nothing, so no setter nor lr_eval uses it. */
		r->capacity = 0;
		return LR_EFULL;
	}
	return lr_ruleset_check(rs);
}

int lr_record_init_arrays(lr_record *r, const lr_ruleset *rs, uint8_t *state, int64_t *v, uint32_t capacity)
{
	if (!r || !rs || !state || !v)
		return LR_EINVAL;
	r->rs = rs;
	r->state = state;
	r->v = v;
	r->capacity = capacity;
	memset(state, 0, capacity);
	memset(v, 0, (size_t)capacity * sizeof *v);
	if (capacity < rs->ninputs) {
		r->capacity = 0;
		return LR_EFULL;
	}
	return lr_ruleset_check(rs);
}

int lr_record_copy(lr_record *dst, const lr_record *src)
{
	uint32_t n;
	if (!dst || !src || !src->rs || dst->rs != src->rs || !dst->state || !src->state)
		return LR_EINVAL;
	n = src->rs->ninputs;
	if (dst->capacity < n || src->capacity < n)
		return LR_EFULL;
	memcpy(dst->state, src->state, n);
	memcpy(dst->v, src->v, (size_t)n * sizeof *dst->v);
	return LR_OK;
}

int lr_record_find(uint32_t *out, const lr_ruleset *rs, const char *name, size_t len)
{
	uint32_t i;
	if (!out || !rs || !name)
		return LR_EINVAL;
	for (i = 0; i < rs->ninputs; i++)
		if (strlen(rs->inputs[i].name) == len && memcmp(rs->inputs[i].name, name, len) == 0) {
			*out = i;
			return LR_OK;
		}
	return LR_EINVAL;
}

static int settable(const lr_record *r, uint32_t i, lr_type t)
{
	return r && r->rs && i < r->rs->ninputs && i < r->capacity && r->rs->inputs[i].type == t;
}

static int put(lr_record *r, uint32_t i, int64_t v)
{
	r->state[i] = 1;
	r->v[i] = v;
	return LR_OK;
}

int lr_record_set_bool(lr_record *r, uint32_t i, int value)
{
	return settable(r, i, LR_T_BOOL) ? put(r, i, value != 0) : LR_EINVAL;
}

int lr_record_set_dec(lr_record *r, uint32_t i, lr_dec value)
{
	return settable(r, i, LR_T_NUM) ? put(r, i, value.v) : LR_EINVAL;
}

int lr_record_set_date(lr_record *r, uint32_t i, lr_date value)
{
	return settable(r, i, LR_T_DATE) ? put(r, i, value) : LR_EINVAL;
}

int lr_record_set_enum(lr_record *r, uint32_t i, const char *value, size_t len)
{
	uint32_t k;
	const lr_input_def *in;
	if (!settable(r, i, LR_T_ENUM) || !value)
		return LR_EINVAL;
	in = &r->rs->inputs[i];
	for (k = 0; k < in->nvalues; k++)
		if (strlen(in->values[k]) == len && memcmp(in->values[k], value, len) == 0)
			return put(r, i, k);
	return LR_EINVAL;
}

int lr_record_set_text(lr_record *r, uint32_t i, const char *text, size_t len)
{
	lr_dec d;
	lr_date dt;
	int rc;
	if (!r || !r->rs || i >= r->rs->ninputs || i >= r->capacity || !text)
		return LR_EINVAL;
	switch (r->rs->inputs[i].type) {
	case LR_T_BOOL:
		if (len == 4 && memcmp(text, "true", 4) == 0)
			return put(r, i, 1);
		if (len == 5 && memcmp(text, "false", 5) == 0)
			return put(r, i, 0);
		return LR_EINVAL;
	case LR_T_NUM:
		if ((rc = lr_dec_parse(&d, text, len)) != LR_OK)
			return rc;
		return put(r, i, d.v);
	case LR_T_DATE:
		if ((rc = lr_date_parse(&dt, text, len)) != LR_OK)
			return rc;
		return put(r, i, dt);
	case LR_T_ENUM:
		return lr_record_set_enum(r, i, text, len);
	}
	return LR_EINVAL;
}

void lr_record_clear(lr_record *r, uint32_t i)
{
	if (r && r->rs && i < r->rs->ninputs && i < r->capacity)
		r->state[i] = 0;
}
