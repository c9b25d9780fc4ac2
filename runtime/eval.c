/*
** eval.c: evaluates a compiled rule set for one patient record.
**
** Conditions are programs for a small stack machine (litrule_table.h).
** Every value is known, missing, or not applicable, and the logic is
** Kleene's three-valued one: "false and missing" is false, "true or
** missing" is true, anything else touching a missing value is missing.
** A rule fires only when its condition is known and true; when it is
** missing, the inputs that made it so are reported, so an absent value
** is never silently read as zero or false.
**
** All scratch space (derived-value caches, the value stack) lives in a
** struct on the C stack: evaluation allocates nothing, writes only to the
** caller's result, and is reentrant.
*/
#include <string.h>

#include "litrule.h"
#include "litrule_table.h"

typedef struct {
	int8_t k;     /* 1 known, 0 missing, -1 not applicable */
	int64_t v;
} val;

#define MISS_WORDS (LR_MAX_INPUTS / 64)

typedef struct {
	uint64_t w[MISS_WORDS];
} bits;

typedef struct {
	val v;
	uint8_t state;  /* 0 not computed, 1 in progress, 2 done */
	bits miss;
} cached;

typedef struct {
	int8_t k;
	int32_t phase;  /* -1: every phase completed */
	lr_date next_due;
	int overdue;
	uint8_t state;
	bits miss;
} sched_val;

typedef struct {
	const lr_ruleset *rs;
	const lr_record *rec;
	bits miss;      /* missing inputs read by the current rule */
	int err;        /* first arithmetic error in the current rule */
	cached lets[LR_MAX_LETS];
	cached tables[LR_MAX_TABLES];
	sched_val scheds[LR_MAX_SCHEDULES];
} ctx;

static const val MISSING = {0, 0};
static const val NA = {-1, 0};

static void bits_or(bits *a, const bits *b)
{
	int i;
	for (i = 0; i < MISS_WORDS; i++)
		a->w[i] |= b->w[i];
}

static val mkval(int64_t v)
{
	val r;
	r.k = 1;
	r.v = v;
	return r;
}

/* Missing dominates not-applicable, so absent inputs are always reported. */
static val unknown2(val a, val b)
{
	return (a.k == 0 || b.k == 0) ? MISSING : NA;
}

static val run(ctx *c, lr_code code);
static val let_value(ctx *c, uint32_t i);
static val table_value(ctx *c, uint32_t i);
static const sched_val *sched_value(ctx *c, uint32_t i);

static val dec_op(ctx *c, int op, val a, val b)
{
	lr_dec x, y, r;
	int rc;

	if (a.k != 1 || b.k != 1)
		return unknown2(a, b);
	x.v = a.v;
	y.v = b.v;
	switch (op) {
	case LR_OP_ADD: rc = lr_dec_add(&r, x, y); break;
	case LR_OP_SUB: rc = lr_dec_sub(&r, x, y); break;
	case LR_OP_MUL: rc = lr_dec_mul(&r, x, y); break;
	default: rc = lr_dec_div(&r, x, y); break;
	}
	if (rc != LR_OK) {
		if (!c->err)
			c->err = rc;
		return NA;
	}
	return mkval(r.v);
}

static val date_op(ctx *c, int op, int32_t mult, val d, val n)
{
	lr_date out;
	int64_t whole;
	int rc;

	if (d.k != 1 || n.k != 1)
		return unknown2(d, n);
	if (n.v % LR_DEC_SCALE != 0) {
		if (!c->err)
			c->err = LR_ERANGE;
		return NA;
	}
	whole = n.v / LR_DEC_SCALE * mult;
	rc = op == LR_OP_ADD_DAYS ? lr_date_add_days(&out, (lr_date)d.v, whole)
				  : lr_date_add_months(&out, (lr_date)d.v, whole);
	if (rc != LR_OK) {
		if (!c->err)
			c->err = rc;
		return NA;
	}
	return mkval(out);
}

static val cmp_op(int op, val a, val b)
{
	int r;
	if (a.k != 1 || b.k != 1)
		return unknown2(a, b);
	switch (op) {
	case LR_OP_LT: r = a.v < b.v; break;
	case LR_OP_LE: r = a.v <= b.v; break;
	case LR_OP_GT: r = a.v > b.v; break;
	case LR_OP_GE: r = a.v >= b.v; break;
	case LR_OP_EQ: r = a.v == b.v; break;
	default: r = a.v != b.v; break;
	}
	return mkval(r);
}

static val input_value(ctx *c, uint32_t i, int probe)
{
	if (c->rec->state[i])
		return mkval(c->rec->v[i]);
	if (!probe)
		c->miss.w[i / 64] |= UINT64_C(1) << (i % 64);
	return MISSING;
}

/* Runs one program; the stack depth was bounded by the compiler. */
static val run(ctx *c, lr_code code)
{
	const lr_insn *ip, *end;
	val st[LR_MAX_STACK];
	int sp = 0;

	/* An empty program yields nothing, as the loop below would; returning
	 * first avoids NULL + 0 (undefined) when a generated table has no code
	 * at all and so emits code = NULL. */
	if (code.len == 0)
		return NA;
	ip = c->rs->code + code.start;
	end = ip + code.len;
	for (; ip < end; ip++) {
		val a, b, t;
		if (sp >= LR_MAX_STACK - 1)
			return NA;
		switch ((lr_opcode)ip->op) {
		case LR_OP_CONST: st[sp++] = mkval(c->rs->consts[ip->arg]); break;
		case LR_OP_INPUT: st[sp++] = input_value(c, (uint32_t)ip->arg, ip->flags & 1); break;
		case LR_OP_LET: st[sp++] = let_value(c, (uint32_t)ip->arg); break;
		case LR_OP_TABLE: st[sp++] = table_value(c, (uint32_t)ip->arg); break;
		case LR_OP_ADD: case LR_OP_SUB: case LR_OP_MUL: case LR_OP_DIV:
			b = st[--sp];
			a = st[sp - 1];
			st[sp - 1] = dec_op(c, ip->op, a, b);
			break;
		case LR_OP_NEG:
			if (st[sp - 1].k == 1) {
				if (st[sp - 1].v == INT64_MIN) {
					c->err = c->err ? c->err : LR_EOVERFLOW;
					st[sp - 1] = NA;
				} else {
					st[sp - 1].v = -st[sp - 1].v;
				}
			}
			break;
		case LR_OP_ADD_DAYS: case LR_OP_ADD_MONTHS:
			b = st[--sp];
			a = st[sp - 1];
			st[sp - 1] = date_op(c, ip->op, ip->arg, a, b);
			break;
		case LR_OP_LT: case LR_OP_LE: case LR_OP_GT: case LR_OP_GE: case LR_OP_EQ: case LR_OP_NE:
			b = st[--sp];
			a = st[sp - 1];
			st[sp - 1] = cmp_op(ip->op, a, b);
			break;
		case LR_OP_AND:
			b = st[--sp];
			a = st[sp - 1];
			if ((a.k == 1 && !a.v) || (b.k == 1 && !b.v))
				st[sp - 1] = mkval(0);
			else if (a.k == 1 && b.k == 1)
				st[sp - 1] = mkval(1);
			else
				st[sp - 1] = unknown2(a, b);
			break;
		case LR_OP_OR:
			b = st[--sp];
			a = st[sp - 1];
			if ((a.k == 1 && a.v) || (b.k == 1 && b.v))
				st[sp - 1] = mkval(1);
			else if (a.k == 1 && b.k == 1)
				st[sp - 1] = mkval(0);
			else
				st[sp - 1] = unknown2(a, b);
			break;
		case LR_OP_NOT:
			if (st[sp - 1].k == 1)
				st[sp - 1].v = !st[sp - 1].v;
			break;
		case LR_OP_KNOWN:
			st[sp - 1] = mkval(st[sp - 1].k == 1);
			break;
		case LR_OP_IN_SET:
			if (st[sp - 1].k == 1) {
				uint64_t mask = (uint64_t)c->rs->consts[ip->arg];
				int64_t e = st[sp - 1].v;
				st[sp - 1] = mkval(e >= 0 && e < 64 && ((mask >> e) & 1));
			}
			break;
		/* if c then a else b runs only the branch taken, so the other
		 * branch's absent inputs are not reported as needed. */
		case LR_OP_IF:
			t = st[--sp];
			if (t.k != 1) {
				st[sp++] = t;
				ip += ip->arg - 1;
			} else if (!t.v) {
				ip += ip->arg;
			}
			break;
		case LR_OP_JUMP:
			ip += ip->arg;
			break;
		case LR_OP_COALESCE:
			b = st[--sp];
			a = st[sp - 1];
			st[sp - 1] = a.k == 1 ? a : b;
			break;
		case LR_OP_OVERDUE: {
			const sched_val *s = sched_value(c, (uint32_t)ip->arg);
			bits_or(&c->miss, &s->miss);
			if (s->k != 1)
				st[sp++] = s->k == 0 ? MISSING : NA;
			else
				st[sp++] = mkval(s->phase >= 0 && s->overdue);
			break;
		}
		/* Short cuts: "false and X" is false and "true or X" is true
		 * whatever X is, so X need not run (nor report what it misses). */
		case LR_OP_SKIP_FALSE:
			if (st[sp - 1].k == 1 && !st[sp - 1].v)
				ip += ip->arg;
			break;
		case LR_OP_SKIP_TRUE:
			if (st[sp - 1].k == 1 && st[sp - 1].v)
				ip += ip->arg;
			break;
		default:
			return NA;
		}
	}
	return sp > 0 ? st[sp - 1] : NA;
}

/* Computes a cached value with its own missing set, then adds that set to
 * the caller's, so every rule reading a derived value reports its inputs. */
static val let_value(ctx *c, uint32_t i)
{
	cached *e = &c->lets[i];
	if (e->state == 0) {
		bits saved = c->miss;
		memset(&c->miss, 0, sizeof c->miss);
		e->state = 1;
		e->v = run(c, c->rs->lets[i].code);
		e->miss = c->miss;
		c->miss = saved;
		e->state = 2;
	} else if (e->state == 1) {
		return NA; /* a cycle: the compiler rejects these */
	}
	bits_or(&c->miss, &e->miss);
	return e->v;
}

static int row_matches(const lr_row_def *r, int64_t x)
{
	if (!r->lo_inf && (r->lo_open ? x <= r->lo : x < r->lo))
		return 0;
	if (!r->hi_inf && (r->hi_open ? x >= r->hi : x > r->hi))
		return 0;
	return 1;
}

static val table_value(ctx *c, uint32_t i)
{
	cached *e = &c->tables[i];
	if (e->state == 0) {
		const lr_table_def *t = &c->rs->tables[i];
		bits saved = c->miss;
		val key;
		uint32_t r;
		memset(&c->miss, 0, sizeof c->miss);
		e->state = 1;
		key = run(c, t->key);
		e->v = key.k == 1 ? NA : key;
		if (key.k == 1)
			for (r = 0; r < t->nrows; r++) {
				const lr_row_def *row = &c->rs->rows[t->first_row + r];
				if (row_matches(row, key.v)) {
					e->v = row->has_value ? mkval(row->value) : NA;
					break;
				}
			}
		e->miss = c->miss;
		c->miss = saved;
		e->state = 2;
	} else if (e->state == 1) {
		return NA;
	}
	bits_or(&c->miss, &e->miss);
	return e->v;
}

static int add_span(lr_date *out, lr_date d, int64_t n, lr_time_unit u)
{
	switch (u) {
	case LR_U_DAYS: return lr_date_add_days(out, d, n);
	case LR_U_WEEKS: return lr_date_add_days(out, d, n * 7);
	case LR_U_MONTHS: return lr_date_add_months(out, d, n);
	case LR_U_YEARS: return lr_date_add_months(out, d, n * 12);
	default: return LR_EINVAL;
	}
}

/* The phase of the last dose, its next due date, and whether it is late.
 * Phase k ends at anchor + (months of phases 1..k, added in one step) +
 * (days and weeks of phases 1..k); a dose on the end date belongs to the
 * next phase.  The interval after a dose is that of the dose's phase. */
static void compute_schedule(ctx *c, const lr_schedule_def *s, sched_val *out)
{
	val anchor = run(c, s->anchor), last = run(c, s->last), asof = run(c, s->asof);
	val count = s->count.len ? run(c, s->count) : mkval(0);
	int64_t months = 0, days = 0, doses = 0;
	uint32_t k;
	lr_date next, limit;

	out->phase = -1;
	if (anchor.k != 1 || last.k != 1 || asof.k != 1 || count.k != 1) {
		out->k = (anchor.k == 0 || last.k == 0 || asof.k == 0 || count.k == 0) ? 0 : -1;
		return;
	}
	for (k = 0; k < s->nphases; k++) {
		const lr_phase_def *ph = &c->rs->phases[s->first_phase + k];
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
		    lr_date_add_days(&end, end, days) != LR_OK) {
			c->err = c->err ? c->err : LR_ERANGE;
			out->k = -1;
			return;
		}
		if ((lr_date)last.v < end) {
			out->phase = (int32_t)k;
			break;
		}
	}
	out->k = 1;
	if (out->phase < 0)
		return;
	{
		const lr_phase_def *ph = &c->rs->phases[s->first_phase + (uint32_t)out->phase];
		if (add_span(&next, (lr_date)last.v, ph->every, ph->every_unit) != LR_OK ||
		    lr_date_add_days(&limit, next, s->grace_days) != LR_OK) {
			c->err = c->err ? c->err : LR_ERANGE;
			out->k = -1;
			return;
		}
	}
	out->next_due = next;
	out->overdue = (lr_date)asof.v > limit;
}

static const sched_val *sched_value(ctx *c, uint32_t i)
{
	sched_val *e = &c->scheds[i];
	if (e->state == 0) {
		bits saved = c->miss;
		memset(&c->miss, 0, sizeof c->miss);
		e->state = 1;
		compute_schedule(c, &c->rs->schedules[i], e);
		e->miss = c->miss;
		c->miss = saved;
		e->state = 2;
	}
	return e;
}

/* ---- public API ------------------------------------------------------------ */

static const char *const verb_names[LR_VERB__COUNT] = {
	/* ORDER LR_VERB */
	"recommend", "dose", "hold", "defer", "order", "monitor", "refer", "alert"
};

int lr_ruleset_check(const lr_ruleset *rs)
{
	if (!rs)
		return LR_EINVAL;
	if (rs->magic != LR_TABLE_MAGIC || rs->format != LR_TABLE_FORMAT ||
	    rs->sizeof_insn != sizeof(lr_insn) || rs->sizeof_rule != sizeof(lr_rule_def))
		return LR_EVERSION;
	if (rs->ninputs > LR_MAX_INPUTS || rs->nlets > LR_MAX_LETS || rs->ntables > LR_MAX_TABLES ||
	    rs->nschedules > LR_MAX_SCHEDULES)
		return LR_EVERSION;
	return LR_OK;
}

const char *lr_ruleset_name(const lr_ruleset *rs) { return rs ? rs->name : NULL; }
const char *lr_ruleset_version(const lr_ruleset *rs) { return rs ? rs->version : NULL; }
const char *lr_ruleset_hash(const lr_ruleset *rs) { return rs ? rs->hash : NULL; }
const char *lr_ruleset_commit(const lr_ruleset *rs) { return rs ? rs->commit : NULL; }
uint32_t lr_ruleset_ninputs(const lr_ruleset *rs) { return rs ? rs->ninputs : 0; }
const char *lr_ruleset_input_name(const lr_ruleset *rs, uint32_t i)
{
	return rs && i < rs->ninputs ? rs->inputs[i].name : NULL;
}

static void add_error(lr_result *out, int code, int32_t input, const char *name, const char *rule,
		      const char *msg)
{
	lr_error *e;
	if (out->nerrors >= LR_MAX_ERRORS)
		return;
	e = &out->errors[out->nerrors++];
	e->code = code;
	e->input = input;
	e->name = name;
	e->rule_id = rule;
	e->message = msg;
}

/* Rejects values outside declared ranges before any rule reads them. */
static int validate(lr_result *out, const lr_ruleset *rs, const lr_record *rec)
{
	uint32_t i;
	int bad = 0;

	for (i = 0; i < rs->ninputs; i++) {
		const lr_input_def *in = &rs->inputs[i];
		int64_t v = rec->v[i];
		if (!rec->state[i])
			continue;
		if (in->type == LR_T_NUM && in->has_range && (v < in->lo || v > in->hi)) {
			add_error(out, LR_ERANGE, (int32_t)i, in->name, NULL, "value outside the input's declared range");
			bad = 1;
		} else if (in->type == LR_T_ENUM && (v < 0 || (uint64_t)v >= in->nvalues)) {
			add_error(out, LR_ERANGE, (int32_t)i, in->name, NULL, "not one of the input's values");
			bad = 1;
		} else if (in->type == LR_T_BOOL && v != 0 && v != 1) {
			add_error(out, LR_ERANGE, (int32_t)i, in->name, NULL, "not true or false");
			bad = 1;
		}
	}
	return bad;
}

static void report_missing(lr_result *out, const ctx *c, bits *reported, const lr_rule_def *rule)
{
	int w;
	for (w = 0; w < MISS_WORDS; w++) {
		uint64_t fresh = c->miss.w[w] & ~reported->w[w];
		while (fresh) {
			int b = 0;
			uint32_t i;
			while (!((fresh >> b) & 1))
				b++;
			fresh &= fresh - 1;
			i = (uint32_t)(w * 64 + b);
			reported->w[w] |= UINT64_C(1) << b;
			if (out->nmissing < LR_MAX_INPUTS && i < c->rs->ninputs) {
				lr_missing *m = &out->missing[out->nmissing++];
				m->input = i;
				m->name = c->rs->inputs[i].name;
				m->rule_id = rule->id;
			}
		}
	}
}

/* Evaluates the amounts and schedules of a rule's actions; returns the
 * worst state (1 all known, 0 something missing, -1 not applicable). */
static int action_values(ctx *c, const lr_rule_def *r, val *amounts, const sched_val **scheds)
{
	uint32_t a;
	int state = 1;
	for (a = 0; a < r->nactions && a < LR_MAX_ACTIONS; a++) {
		const lr_action_def *ad = &c->rs->actions[r->first_action + a];
		amounts[a] = ad->amount.len ? run(c, ad->amount) : mkval(0);
		scheds[a] = NULL;
		if (amounts[a].k != 1)
			state = state == 0 || amounts[a].k == 0 ? 0 : -1;
		if (ad->schedule >= 0) {
			val am = run(c, c->rs->schedules[ad->schedule].amount);
			scheds[a] = sched_value(c, (uint32_t)ad->schedule);
			bits_or(&c->miss, &scheds[a]->miss);
			if (scheds[a]->k != 1)
				state = state == 0 || scheds[a]->k == 0 ? 0 : -1;
			if (am.k != 1)
				state = state == 0 || am.k == 0 ? 0 : -1;
		}
	}
	return state;
}

static void emit_actions(lr_result *out, ctx *c, uint32_t ri, const val *amounts, const sched_val **scheds)
{
	const lr_rule_def *r = &c->rs->rules[ri];
	uint32_t a;
	for (a = 0; a < r->nactions; a++) {
		const lr_action_def *ad = &c->rs->actions[r->first_action + a];
		lr_action *o;
		if (out->nactions >= LR_MAX_ACTIONS) {
			out->truncated = 1;
			return;
		}
		o = &out->actions[out->nactions++];
		memset(o, 0, sizeof *o);
		o->rule = ri;
		o->rule_id = r->id;
		o->rule_title = r->title;
		o->verb = verb_names[ad->verb < LR_VERB__COUNT ? ad->verb : 0];
		o->text = ad->text;
		/* Generated tables have NULL for empty arrays (C has no empty
		 * ones), and NULL + 0 is undefined: point only into real arrays. */
		o->citations = r->ncites ? c->rs->citations + r->first_cite : NULL;
		o->ncitations = r->ncites;
		o->file = r->file;
		o->line = r->line;
		o->end_line = r->end_line;
		o->headings = r->headings;
		o->reads = r->nreads ? c->rs->reads + r->first_read : NULL;
		o->nreads = r->nreads;
		if (ad->amount.len) {
			o->has_dose = 1;
			o->amount.v = amounts[a].v;
			o->unit = ad->unit;
			o->route = ad->route;
		}
		if (ad->schedule >= 0) {
			const lr_schedule_def *s = &c->rs->schedules[ad->schedule];
			const sched_val *sv = scheds[a];
			o->has_schedule = 1;
			o->schedule = s->name;
			o->has_dose = 1;
			o->amount.v = run(c, s->amount).v; /* known: action_values checked it */
			o->unit = s->unit;
			o->route = s->route;
			if (sv->phase >= 0) {
				o->phase = c->rs->phases[s->first_phase + (uint32_t)sv->phase].label;
				o->next_due = sv->next_due;
				o->overdue = sv->overdue;
			}
		}
	}
}

int lr_eval(lr_result *out, const lr_ruleset *rs, const lr_record *rec)
{
	ctx c;
	bits reported;
	uint32_t ri;
	int rc;

	if (!out || !rs || !rec)
		return LR_EINVAL;
	out->nactions = out->nmissing = out->nerrors = 0;
	out->truncated = 0;
	if ((rc = lr_ruleset_check(rs)) != LR_OK)
		return rc;
	if (validate(out, rs, rec))
		return LR_ERANGE;
	c.rs = rs;
	c.rec = rec;
	memset(c.lets, 0, sizeof(c.lets[0]) * rs->nlets);
	memset(c.tables, 0, sizeof(c.tables[0]) * rs->ntables);
	memset(c.scheds, 0, sizeof(c.scheds[0]) * rs->nschedules);
	memset(&reported, 0, sizeof reported);
	for (ri = 0; ri < rs->nrules; ri++) {
		const lr_rule_def *r = &rs->rules[ri];
		val v, amounts[LR_MAX_ACTIONS];
		const sched_val *scheds[LR_MAX_ACTIONS];
		int st;

		memset(&c.miss, 0, sizeof c.miss);
		c.err = 0;
		v = r->cond.len ? run(&c, r->cond) : mkval(1);
		if (v.k == 1 && v.v) {
			st = action_values(&c, r, amounts, scheds);
			if (st == 1 && !c.err)
				emit_actions(out, &c, ri, amounts, scheds);
			else if (st == 0 && !c.err)
				report_missing(out, &c, &reported, r);
		} else if (v.k == 0 && !c.err) {
			report_missing(out, &c, &reported, r);
		}
		if (c.err)
			add_error(out, c.err, -1, NULL, r->id, lr_strerror(c.err));
	}
	return out->truncated ? LR_EFULL : LR_OK;
}

/* ---- records ------------------------------------------------------------------ */

int lr_record_init(lr_record *r, const lr_ruleset *rs)
{
	if (!r || !rs)
		return LR_EINVAL;
	r->rs = rs;
	memset(r->state, 0, sizeof r->state);
	memset(r->v, 0, sizeof r->v);
	return lr_ruleset_check(rs);
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
	return r && r->rs && i < r->rs->ninputs && r->rs->inputs[i].type == t;
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
	if (!r || !r->rs || i >= r->rs->ninputs || !text)
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
	if (r && r->rs && i < r->rs->ninputs)
		r->state[i] = 0;
}
