/*
** litrule_vm.h: the evaluator's machine (third-tier, internal header).
**
** For generated code and the runtime only: integrators use litrule.h,
** table tools litrule_table.h.  Names with the lr__ prefix are
** semi-private: they may change with any release, and a change to a
** structure or to the meaning of a helper here must bump LR_TABLE_FORMAT,
** because generated tables compile these helpers into themselves.
**
** A program of a rule set (litrule_table.h) runs in one of two ways:
**
**  - interpreted: runtime/eval.c's run() walks the bytecode (lr_insn);
**    this is how `litrule eval` and `litrule test` run the in-memory
**    table, and how any program without native code runs;
**  - native: `litrule build` translates each program into a C function
**    (lr_code.fn) whose stack slots are local variables and whose jumps
**    are gotos.
**
** Both perform every operation through the one helper per opcode below,
** and the translation only replaces the dispatch loop and the stack
** pointer (both statically known), so the two cannot compute different
** values, missing sets or errors.  tests/codegen checks it on thousands of
** patients anyway.
**
** Values are known (k = 1), missing (k = 0: an input is absent) or not
** applicable (k = -1: a table row that gives nothing, an arithmetic error).
** Logic is Kleene's three-valued one; missing dominates not-applicable so
** absent inputs are always reported.
**
** Missing sets flow with values: every stack slot (lr__slot) holds a value
** and, when the value is not known, the set of absent inputs that made it
** so.  A known value's set is empty and is never stored or read, so the
** common case (everything known) does no set work at all.  An operation
** whose result is not known gets the union of the sets of its operands
** that are not known; one whose result is known gets none (the rules per
** operator are in docs/runtime.md, "Missing data").  Each opcode has one
** lr__op_* helper that computes both value and set, on slots; the
** interpreter and native code both call it.
*/
#ifndef LITRULE_VM_H
#define LITRULE_VM_H

#include "litrule_table.h"

#ifdef __cplusplus
extern "C" {
#endif

/* lr__val and lr__ctx are declared (incomplete) in litrule_table.h, for
 * lr_native_fn; they are completed here. */
struct lr__val {
	int8_t k;     /* 1 known, 0 missing, -1 not applicable */
	int64_t v;
};


/* Words of a stack slot's inline missing set (lr__slot.m): native code
 * (per-program functions and the rules evaluator) keeps its sets in
 * slots on the C stack, so the compiler emits native code only for rule
 * sets of at most LR__SLOT_WORDS * 64 inputs; larger ones are
 * interpreted, with their sets in the caller's scratch (below). */
#define LR__SLOT_WORDS 4

/* A set of input indices: the absent inputs a value depends on.  Only
 * the first lr__ctx.nwords words are used (and ever read or written):
 * enough for the rule set's inputs, usually one.  Copying and merging
 * just those, word by word, is cheaper than moving 32 bytes, and keeps
 * loads the same size as the stores before them (a wider load cannot be
 * forwarded from a narrower store, which stalls the pipeline).  This
 * struct is the inline form of native code's slots; the runtime itself
 * handles every set as a pointer to nwords words (lr__set_*), in the
 * scratch buffer for cached values and temporaries. */
struct lr__bits {
	uint64_t w[LR__SLOT_WORDS];
};

/* A stack slot of native code: a value and, when x.k != 1, its missing
 * set m (m of a known value is stale: never read). */
typedef struct {
	lr__val x;
	lr__bits m;
} lr__slot;

/* Cache states of derived values, table values and schedules. */
enum { LR__TODO = 0, LR__BUSY = 1, LR__DONE = 2 };

/* A cached value; when v is not known its missing set is entry i's
 * nwords words of the matching lr__ctx *_miss array. */
typedef struct {
	lr__val v;
	uint8_t state;  /* LR__TODO, LR__BUSY, LR__DONE */
} lr__cached;

typedef struct {
	int8_t k;
	int32_t phase;  /* -1: every phase completed */
	lr_date next_due;
	int overdue;
	uint8_t state;  /* when k != 1: the set is in lr__ctx.sched_miss */
} lr__sched;

/* The state of one evaluation.  Its arrays live in the caller's scratch
 * buffer (lr_eval_scratch, lr_scratch_size; lr_eval uses one on the C
 * stack), carved by lr__ctx_init, sized by the rule set's counts. */
struct lr__ctx {
	const lr_ruleset *rs;
	/* The patient: input i is known when state[i] != 0, with value v[i]
	 * (an lr_record's arrays, or the native evaluator's copy of a typed
	 * input struct). */
	const uint8_t *state;
	const int64_t *v;
	lr_result *out;      /* the interpreter's result */
	lr_decisions *dec;   /* the native evaluator's result */
	int nwords;     /* words of every missing set: ceil(ninputs / 64), at least 1 */
	int err;        /* first arithmetic error in the current rule */
	int interp;     /* 1: interpret every program, even one with native code */
	int overrides_fired; /* native evaluator: a rule that overrides others fired */
	uint64_t *reported;  /* inputs already listed in the missing list */
	lr__cached *lets;    /* rs->nlets */
	lr__cached *tables;  /* rs->ntables */
	lr__sched *scheds;   /* rs->nschedules */
	uint64_t *let_miss, *table_miss, *sched_miss; /* nwords words per entry */
	/* The set stack: the missing sets of the interpreter's slots and of
	 * the runtime's temporaries, nwords words each, taken and given back
	 * in LIFO order (lr__sets_take).  The compiler bounds how many can
	 * be live at once (lr_ruleset.nsets); running out is an LR_EFULL
	 * error of the rule, never a write past the buffer. */
	uint64_t *top, *end;
	uint64_t *sink;      /* LR__SINK_SETS sets handed out when the stack is full */
	lr_decision *decbuf; /* lr_eval's native path: max_actions decisions */
};

/* One temporary set: *local's words on the C stack when the rule set's
 * sets fit a slot's (most rule sets: no stack bookkeeping per action),
 * else one from the set stack (give it back by restoring c->top). */
static inline uint64_t *lr__set_tmp(lr__ctx *c, lr__bits *local);

/* Sets the runtime takes at once at most (compute_schedule's four). */
#define LR__SINK_SETS 4

/* n sets (nwords words each) from the set stack; give them back by
 * restoring c->top.  When the stack is full: the sink, and an LR_EFULL
 * error for the rule. */
static inline uint64_t *lr__sets_take(lr__ctx *c, int n)
{
	uint64_t *p = c->top;
	if ((size_t)(c->end - p) < (size_t)n * (size_t)c->nwords) {
		if (!c->err)
			c->err = LR_EFULL;
		return c->sink;
	}
	c->top = p + (size_t)n * (size_t)c->nwords;
	return p;
}

static inline uint64_t *lr__set_tmp(lr__ctx *c, lr__bits *local)
{
	return c->nwords <= LR__SLOT_WORDS ? local->w : lr__sets_take(c, 1);
}

/* ---- runtime functions (eval.c) ----------------------------------------------
** Slow paths: compute a cached value (with its own missing set) on first
** use and return its cache entry, which the inline helpers lr__op_let,
** lr__op_table and lr__op_overdue copy into a slot. */
const lr__cached *lr__let_value(lr__ctx *c, uint32_t i);
const lr__cached *lr__table_value(lr__ctx *c, uint32_t i);
const lr__sched *lr__sched_value(lr__ctx *c, uint32_t i);
/* Carves the context's arrays out of scratch[0 .. size) for rs (eval.c)
 * and resets the caches; LR_ESCRATCH when size is below
 * lr_scratch_size(rs), LR_EINVAL for a NULL or misaligned buffer. */
int lr__ctx_init(lr__ctx *c, const lr_ruleset *rs, void *scratch, size_t size);
/* The native evaluator's runtime side (native.c): a generated table's
 * lr_ruleset.native calls lr__nat_cond for a condition without native
 * code and lr__nat_rule_done for every rule whose condition is true,
 * missing, or raised an error; those fire the rule's actions into c->dec
 * or report what it missed, exactly as the interpreter's lr_eval does. */
lr__val lr__nat_cond(lr__ctx *c, uint32_t rule, lr__bits *miss);
/* lr__nat_cond and lr__nat_rule_done on a set of nwords words (the
 * generated functions pass a slot's inline set, at most LR__SLOT_WORDS). */
lr__val lr__nat_cond_w(lr__ctx *c, uint32_t rule, uint64_t *miss);
void lr__nat_rule_done_w(lr__ctx *c, uint32_t rule, lr__val v, const uint64_t *miss);
void lr__nat_rule_done(lr__ctx *c, uint32_t rule, lr__val v, const lr__bits *miss);
/* The generated NAME_eval's entry: checks out and rs, then lists the
 * out-of-range inputs (LR_ERANGE) when bad is set (the generated code
 * tested the ranges), else runs the native evaluator. */
int lr__nat_run(lr_decisions *out, const lr_ruleset *rs, const uint8_t *state, const int64_t *v, int bad);
/* lr__nat_run with the caller's scratch buffer (lr_scratch_size bytes);
 * lr__nat_run uses one of LR_EVAL_STACK_SCRATCH bytes on the C stack. */
int lr__nat_run_scratch(lr_decisions *out, const lr_ruleset *rs, const uint8_t *state, const int64_t *v, int bad,
			void *scratch, size_t size);
/* Runs one program: its native code (lr_code.fn) or the interpreter (eval.c). */
lr__val lr__run(lr__ctx *c, const lr_code *code, uint64_t *miss);
/* The values of one action of a rule whose condition holds (eval.c): its
 * amount (the schedule's, when it has one), its due date and its
 * schedule's state.  Returns the worse of st and their states (1 known,
 * 0 missing, -1 not applicable; missing dominates), so a caller folds a
 * rule's actions through it; the sets of those not known are OR-ed into
 * *miss.  The interpreter (eval.c) and the native evaluator
 * (native.c) both fire actions through it, so they compute the same. */
typedef struct {
	lr__val amount, due;
	const lr__sched *sv;  /* NULL: the action has no schedule */
} lr__act_vals;
int lr__action_values(lr__ctx *c, const lr_action_def *ad, lr__act_vals *out, uint64_t *miss, int st);
/* lr_eval's native path for a checked, in-range record (native.c), in a
 * context lr__ctx_init prepared: the decisions, in c->decbuf (max_actions
 * of them), expanded into out. */
int lr__nat_result(lr_result *out, lr__ctx *c, const lr_record *rec);
/* Action verb names, by lr_verb (util.c). */
extern const char *const lr__verb_names[LR_VERB__COUNT];

/* ---- values ------------------------------------------------------------------ */

static inline lr__val lr__mk(int64_t v)
{
	lr__val r;
	r.k = 1;
	r.v = v;
	return r;
}

static inline lr__val lr__missing(void)
{
	lr__val r;
	r.k = 0;
	r.v = 0;
	return r;
}

static inline lr__val lr__na(void)
{
	lr__val r;
	r.k = -1;
	r.v = 0;
	return r;
}

/* The result of an operation with an operand that is not known. */
static inline lr__val lr__unknown2(lr__val a, lr__val b)
{
	return (a.k == 0 || b.k == 0) ? lr__missing() : lr__na();
}

/* Sets as nwords words (the runtime's form). */
static inline void lr__set_or(const lr__ctx *c, uint64_t *a, const uint64_t *b)
{
	int i;
	a[0] |= b[0];
	for (i = 1; i < c->nwords; i++)
		a[i] |= b[i];
}

static inline void lr__set_copy(const lr__ctx *c, uint64_t *a, const uint64_t *b)
{
	int i;
	a[0] = b[0];
	for (i = 1; i < c->nwords; i++)
		a[i] = b[i];
}

static inline void lr__set_clear(const lr__ctx *c, uint64_t *a)
{
	int i;
	a[0] = 0;
	for (i = 1; i < c->nwords; i++)
		a[i] = 0;
}

/* The same on slots' inline sets (native code: nwords <= LR__SLOT_WORDS). */
static inline void lr__bits_or(const lr__ctx *c, lr__bits *a, const lr__bits *b) { lr__set_or(c, a->w, b->w); }
static inline void lr__bits_copy(const lr__ctx *c, lr__bits *a, const lr__bits *b) { lr__set_copy(c, a->w, b->w); }
static inline void lr__bits_clear(const lr__ctx *c, lr__bits *a) { lr__set_clear(c, a->w); }

/* Only the first error of a rule is reported. */
static inline void lr__fail(lr__ctx *c, int rc)
{
	if (!c->err)
		c->err = rc;
}

/* ---- values of the operations ------------------------------------------------
** What each operation computes from its operands' values, without missing
** sets; the compiler's constant folding calls these too. */

/* Decimal arithmetic: an error (overflow, division by zero) makes the
 * value not applicable and is reported for the rule. */
static inline lr__val lr__dec_result(lr__ctx *c, int rc, lr_dec r)
{
	if (rc != LR_OK) {
		lr__fail(c, rc);
		return lr__na();
	}
	return lr__mk(r.v);
}

/* The four decimal operations differ only in the lr_dec function; with a
 * constant pointer the compiler inlines it, so this costs nothing. */
typedef int (*lr__dec_fn)(lr_dec *, lr_dec, lr_dec);

static inline lr__val lr__dec2(lr__ctx *c, lr__dec_fn f, lr__val a, lr__val b)
{
	lr_dec x, y, r;
	if (a.k != 1 || b.k != 1)
		return lr__unknown2(a, b);
	x.v = a.v;
	y.v = b.v;
	r.v = 0;
	return lr__dec_result(c, f(&r, x, y), r);
}

static inline lr__val lr__add(lr__ctx *c, lr__val a, lr__val b) { return lr__dec2(c, lr_dec_add, a, b); }
static inline lr__val lr__sub(lr__ctx *c, lr__val a, lr__val b) { return lr__dec2(c, lr_dec_sub, a, b); }
static inline lr__val lr__mul(lr__ctx *c, lr__val a, lr__val b) { return lr__dec2(c, lr_dec_mul, a, b); }
static inline lr__val lr__div(lr__ctx *c, lr__val a, lr__val b) { return lr__dec2(c, lr_dec_div, a, b); }

static inline lr__val lr__neg(lr__ctx *c, lr__val a)
{
	if (a.k != 1)
		return a;
	if (a.v == INT64_MIN) {
		lr__fail(c, LR_EOVERFLOW);
		return lr__na();
	}
	a.v = -a.v;
	return a;
}

/* date + n * mult days or months; n is a decimal and must be whole. */
static inline lr__val lr__shift_date(lr__ctx *c, int months, int32_t mult, lr__val d, lr__val n)
{
	lr_date out = 0;
	int64_t whole;
	int rc;

	if (d.k != 1 || n.k != 1)
		return lr__unknown2(d, n);
	if (n.v % LR_DEC_SCALE != 0) {
		lr__fail(c, LR_ERANGE);
		return lr__na();
	}
	whole = n.v / LR_DEC_SCALE * mult;
	rc = months ? lr_date_add_months(&out, (lr_date)d.v, whole) : lr_date_add_days(&out, (lr_date)d.v, whole);
	if (rc != LR_OK) {
		lr__fail(c, rc);
		return lr__na();
	}
	return lr__mk(out);
}

static inline lr__val lr__add_days(lr__ctx *c, lr__val d, lr__val n, int32_t mult)
{
	return lr__shift_date(c, 0, mult, d, n);
}

static inline lr__val lr__add_months(lr__ctx *c, lr__val d, lr__val n, int32_t mult)
{
	return lr__shift_date(c, 1, mult, d, n);
}

/* Whole months from date a to date b (lr_date_months_between), as a
 * decimal count of months; never an error for dates of the calendar. */
static inline lr__val lr__months_between(lr__val a, lr__val b)
{
	if (a.k != 1 || b.k != 1)
		return lr__unknown2(a, b);
	return lr__mk((int64_t)lr_date_months_between((lr_date)a.v, (lr_date)b.v) * LR_DEC_SCALE);
}

/* The day of the month of a date, as a decimal 1..31. */
static inline lr__val lr__day_of_month(lr__val d)
{
	if (d.k != 1)
		return d;
	return lr__mk((int64_t)lr_date_day_of_month((lr_date)d.v) * LR_DEC_SCALE);
}

/* Comparisons of decimals, dates, enumeration indices and booleans. */
static inline lr__val lr__cmp_lt(lr__val a, lr__val b)
{
	return a.k != 1 || b.k != 1 ? lr__unknown2(a, b) : lr__mk(a.v < b.v);
}

static inline lr__val lr__cmp_le(lr__val a, lr__val b)
{
	return a.k != 1 || b.k != 1 ? lr__unknown2(a, b) : lr__mk(a.v <= b.v);
}

static inline lr__val lr__cmp_gt(lr__val a, lr__val b)
{
	return a.k != 1 || b.k != 1 ? lr__unknown2(a, b) : lr__mk(a.v > b.v);
}

static inline lr__val lr__cmp_ge(lr__val a, lr__val b)
{
	return a.k != 1 || b.k != 1 ? lr__unknown2(a, b) : lr__mk(a.v >= b.v);
}

static inline lr__val lr__cmp_eq(lr__val a, lr__val b)
{
	return a.k != 1 || b.k != 1 ? lr__unknown2(a, b) : lr__mk(a.v == b.v);
}

static inline lr__val lr__cmp_ne(lr__val a, lr__val b)
{
	return a.k != 1 || b.k != 1 ? lr__unknown2(a, b) : lr__mk(a.v != b.v);
}

/* Kleene: "false and X" is false, "true or X" is true, whatever X is. */
static inline lr__val lr__and(lr__val a, lr__val b)
{
	if ((a.k == 1 && !a.v) || (b.k == 1 && !b.v))
		return lr__mk(0);
	if (a.k == 1 && b.k == 1)
		return lr__mk(1);
	return lr__unknown2(a, b);
}

static inline lr__val lr__or(lr__val a, lr__val b)
{
	if ((a.k == 1 && a.v) || (b.k == 1 && b.v))
		return lr__mk(1);
	if (a.k == 1 && b.k == 1)
		return lr__mk(0);
	return lr__unknown2(a, b);
}

static inline lr__val lr__not(lr__val a)
{
	if (a.k == 1)
		a.v = !a.v;
	return a;
}

/* "x is known": the operand was loaded as a probe, so nothing is reported. */
static inline lr__val lr__known(lr__val a)
{
	return lr__mk(a.k == 1);
}

/* Enumeration index in a set of up to 64 values; mask is consts[arg]. */
static inline lr__val lr__in_set(lr__val a, int64_t mask)
{
	if (a.k != 1)
		return a;
	return lr__mk(a.v >= 0 && a.v < 64 && (((uint64_t)mask >> a.v) & 1));
}

/* LR_OP_IF: which way a condition goes.  On an unknown condition the
 * condition itself is the result, with its own missing set, and neither
 * branch runs, so no branch's absent inputs are reported (knowing the
 * condition may make them irrelevant). */
enum { LR__THEN, LR__ELSE, LR__UNKNOWN };

static inline int lr__if(lr__val t)
{
	if (t.k != 1)
		return LR__UNKNOWN;
	return t.v ? LR__THEN : LR__ELSE;
}

/* LR_OP_COALESCE: "a otherwise b": a when known, else b when known; when
 * neither is, missing if either is missing (missing dominates). */
static inline lr__val lr__coalesce(lr__val a, lr__val b)
{
	if (a.k == 1)
		return a;
	if (b.k == 1)
		return b;
	return lr__unknown2(a, b);
}

/* LR_OP_SKIP_FALSE, LR_OP_SKIP_TRUE: whether the left side of "and" / "or"
 * already decides it, so the right side need not run (nor report what it
 * misses). */
static inline int lr__skip_false(lr__val t)
{
	return t.k == 1 && !t.v;
}

static inline int lr__skip_true(lr__val t)
{
	return t.k == 1 && t.v;
}

/* The slot helpers are a few instructions each and run for every
 * instruction of a program: GNU compilers are asked to always inline
 * them (gcc otherwise keeps out-of-line copies of the most used ones in
 * a large generated file); others get the usual hint. */
#if defined(__GNUC__)
#define LR__HOT static inline __attribute__((always_inline))
#else
#define LR__HOT static inline
#endif

/* ---- declared ranges ----------------------------------------------------------
** Both evaluators reject a record whose known values lie outside their
** inputs' domains before any rule reads them (eval.c's validate, native.c's
** nat_reject), with these two helpers. */

/* Whether v lies outside input in's declared domain.  Bitwise operators,
 * not && and ||, so that it compiles without branches on the value; a
 * negative enumeration index or boolean is a huge unsigned one. */
LR__HOT int lr__out_of_domain(const lr_input_def *in, int64_t v)
{
	if (in->type == LR_T_NUM)
		return (in->has_range != 0) & ((v < in->lo) | (v > in->hi));
	if (in->type == LR_T_ENUM)
		return (uint64_t)v >= in->nvalues;
	if (in->type == LR_T_BOOL)
		return (uint64_t)v > 1;
	return 0;
}

/* The error message for a value of in outside its domain. */
LR__HOT const char *lr__domain_message(const lr_input_def *in)
{
	if (in->type == LR_T_NUM)
		return "value outside the input's declared range";
	return in->type == LR_T_ENUM ? "not one of the input's values" : "not true or false";
}

/* ---- one helper per opcode, on slots (ORDER LR_OP) --------------------------
** Each computes the value with the helper above and the missing set by
** the one rule: a result that is known has none; one that is not known
** has the union of the sets of the operands that are not known (none when
** every operand was known: an arithmetic error).  The interpreter passes
** its stack entries, native code its local slots. */

/* The result r of a binary operation replaces operand a (value *ax,
 * set am); b is the other operand.  The interpreter's form: sets as words. */
LR__HOT void lr__put2w(const lr__ctx *c, lr__val *ax, uint64_t *am, lr__val bx, const uint64_t *bm, lr__val r)
{
	if (r.k != 1) {
		if (ax->k != 1) {
			if (bx.k != 1)
				lr__set_or(c, am, bm);
		} else if (bx.k != 1) {
			lr__set_copy(c, am, bm);
		} else {
			lr__set_clear(c, am);
		}
	}
	*ax = r;
}

/* The result r of a unary operation replaces its operand. */
LR__HOT void lr__put1w(const lr__ctx *c, lr__val *ax, uint64_t *am, lr__val r)
{
	if (r.k != 1 && ax->k == 1)
		lr__set_clear(c, am);
	*ax = r;
}

/* The same on slots (native code). */
LR__HOT void lr__put2(const lr__ctx *c, lr__slot *a, const lr__slot *b, lr__val r)
{
	lr__put2w(c, &a->x, a->m.w, b->x, b->m.w, r);
}

LR__HOT void lr__put1(const lr__ctx *c, lr__slot *a, lr__val r)
{
	lr__put1w(c, &a->x, a->m.w, r);
}

/* LR_OP_CONST: the interpreter passes consts[arg], native code the literal. */
LR__HOT void lr__op_const(lr__slot *s, int64_t v)
{
	s->x = lr__mk(v);
}

/* LR_OP_INPUT: an absent input is missing, with itself as the set; a
 * probe ("x is missing") has an empty set: it reports nothing. */
LR__HOT void lr__inputw(const lr__ctx *c, lr__val *x, uint64_t *m, uint32_t i, int probe)
{
	if (c->state[i]) {
		*x = lr__mk(c->v[i]);
		return;
	}
	*x = lr__missing();
	lr__set_clear(c, m);
	if (!probe)
		m[i / 64] |= UINT64_C(1) << (i % 64);
}

LR__HOT void lr__op_input(const lr__ctx *c, lr__slot *s, uint32_t i, int probe)
{
	lr__inputw(c, &s->x, s->m.w, i, probe);
}

/* LR_OP_LET, LR_OP_TABLE: computed once per evaluation, then cached; a
 * value not known brings its cached set (entry i of the *_miss array). */
LR__HOT void lr__letw(lr__ctx *c, lr__val *x, uint64_t *m, uint32_t i)
{
	const lr__cached *e = &c->lets[i];
	if (e->state != LR__DONE)
		e = lr__let_value(c, i);
	*x = e->v;
	if (x->k != 1)
		lr__set_copy(c, m, c->let_miss + (size_t)i * (size_t)c->nwords);
}

LR__HOT void lr__tablew(lr__ctx *c, lr__val *x, uint64_t *m, uint32_t i)
{
	const lr__cached *e = &c->tables[i];
	if (e->state != LR__DONE)
		e = lr__table_value(c, i);
	*x = e->v;
	if (x->k != 1)
		lr__set_copy(c, m, c->table_miss + (size_t)i * (size_t)c->nwords);
}

LR__HOT void lr__op_let(lr__ctx *c, lr__slot *s, uint32_t i) { lr__letw(c, &s->x, s->m.w, i); }
LR__HOT void lr__op_table(lr__ctx *c, lr__slot *s, uint32_t i) { lr__tablew(c, &s->x, s->m.w, i); }

LR__HOT void lr__op_add(lr__ctx *c, lr__slot *a, const lr__slot *b) { lr__put2(c, a, b, lr__add(c, a->x, b->x)); }
LR__HOT void lr__op_sub(lr__ctx *c, lr__slot *a, const lr__slot *b) { lr__put2(c, a, b, lr__sub(c, a->x, b->x)); }
LR__HOT void lr__op_mul(lr__ctx *c, lr__slot *a, const lr__slot *b) { lr__put2(c, a, b, lr__mul(c, a->x, b->x)); }
LR__HOT void lr__op_div(lr__ctx *c, lr__slot *a, const lr__slot *b) { lr__put2(c, a, b, lr__div(c, a->x, b->x)); }
LR__HOT void lr__op_neg(lr__ctx *c, lr__slot *a) { lr__put1(c, a, lr__neg(c, a->x)); }

LR__HOT void lr__op_add_days(lr__ctx *c, lr__slot *a, const lr__slot *b, int32_t mult)
{
	lr__put2(c, a, b, lr__add_days(c, a->x, b->x, mult));
}

LR__HOT void lr__op_add_months(lr__ctx *c, lr__slot *a, const lr__slot *b, int32_t mult)
{
	lr__put2(c, a, b, lr__add_months(c, a->x, b->x, mult));
}

LR__HOT void lr__op_lt(const lr__ctx *c, lr__slot *a, const lr__slot *b) { lr__put2(c, a, b, lr__cmp_lt(a->x, b->x)); }
LR__HOT void lr__op_le(const lr__ctx *c, lr__slot *a, const lr__slot *b) { lr__put2(c, a, b, lr__cmp_le(a->x, b->x)); }
LR__HOT void lr__op_gt(const lr__ctx *c, lr__slot *a, const lr__slot *b) { lr__put2(c, a, b, lr__cmp_gt(a->x, b->x)); }
LR__HOT void lr__op_ge(const lr__ctx *c, lr__slot *a, const lr__slot *b) { lr__put2(c, a, b, lr__cmp_ge(a->x, b->x)); }
LR__HOT void lr__op_eq(const lr__ctx *c, lr__slot *a, const lr__slot *b) { lr__put2(c, a, b, lr__cmp_eq(a->x, b->x)); }
LR__HOT void lr__op_ne(const lr__ctx *c, lr__slot *a, const lr__slot *b) { lr__put2(c, a, b, lr__cmp_ne(a->x, b->x)); }

/* "a and b" known false (either side known false) or "a or b" known true
 * has no set: the unknown side did not matter. */
LR__HOT void lr__op_and(const lr__ctx *c, lr__slot *a, const lr__slot *b) { lr__put2(c, a, b, lr__and(a->x, b->x)); }
LR__HOT void lr__op_or(const lr__ctx *c, lr__slot *a, const lr__slot *b) { lr__put2(c, a, b, lr__or(a->x, b->x)); }
LR__HOT void lr__op_not(const lr__ctx *c, lr__slot *a) { lr__put1(c, a, lr__not(a->x)); }
/* Always known: no set, whatever the operand's was. */
LR__HOT void lr__op_known(lr__slot *a) { a->x = lr__known(a->x); }

LR__HOT void lr__op_in_set(const lr__ctx *c, lr__slot *a, int64_t mask)
{
	lr__put1(c, a, lr__in_set(a->x, mask));
}

/* "a otherwise b": a known -> a (no set, b's absent inputs did not
 * matter); else b known -> b (no set, a's did not); else the union. */
LR__HOT void lr__op_coalesce(const lr__ctx *c, lr__slot *a, const lr__slot *b)
{
	lr__put2(c, a, b, lr__coalesce(a->x, b->x));
}

/* LR_OP_OVERDUE: whether schedule i is overdue; not known when the
 * schedule is not, with the schedule's set. */
LR__HOT void lr__overduew(lr__ctx *c, lr__val *x, uint64_t *m, uint32_t i)
{
	const lr__sched *e = &c->scheds[i];
	if (e->state != LR__DONE)
		e = lr__sched_value(c, i);
	if (e->k == 1) {
		*x = lr__mk(e->phase >= 0 && e->overdue);
		return;
	}
	*x = e->k == 0 ? lr__missing() : lr__na();
	lr__set_copy(c, m, c->sched_miss + (size_t)i * (size_t)c->nwords);
}

LR__HOT void lr__op_overdue(lr__ctx *c, lr__slot *s, uint32_t i) { lr__overduew(c, &s->x, s->m.w, i); }

/* LR_OP_MONTHS_BETWEEN, LR_OP_DAY_OF_MONTH. */
LR__HOT void lr__op_months_between(const lr__ctx *c, lr__slot *a, const lr__slot *b)
{
	lr__put2(c, a, b, lr__months_between(a->x, b->x));
}

LR__HOT void lr__op_day_of_month(const lr__ctx *c, lr__slot *a) { lr__put1(c, a, lr__day_of_month(a->x)); }

/* ---- fast path helpers ---------------------------------------------------
** Native code first runs each program on values alone, without missing
** sets (the lr__val helpers above; the slot helpers are the exact path).
** The values, and any error raised, are exactly the exact path's: only
** the sets are left out.  A program whose value comes out known needs no
** set and returns it; one whose value is not known runs again on the
** exact path, which computes the same value with its set.  The run again
** changes nothing else: caches already filled keep their values, and an
** error raised again is the one already raised (the first one counts). */
LR__HOT lr__val lr__fx_input(const lr__ctx *c, uint32_t i)
{
	return c->state[i] ? lr__mk(c->v[i]) : lr__missing();
}

LR__HOT lr__val lr__fx_let(lr__ctx *c, uint32_t i)
{
	const lr__cached *e = &c->lets[i];
	return e->state == LR__DONE ? e->v : lr__let_value(c, i)->v;
}

LR__HOT lr__val lr__fx_table(lr__ctx *c, uint32_t i)
{
	const lr__cached *e = &c->tables[i];
	return e->state == LR__DONE ? e->v : lr__table_value(c, i)->v;
}

LR__HOT lr__val lr__fx_overdue(lr__ctx *c, uint32_t i)
{
	const lr__sched *e = &c->scheds[i];
	if (e->state != LR__DONE)
		e = lr__sched_value(c, i);
	if (e->k == 1)
		return lr__mk(e->phase >= 0 && e->overdue);
	return e->k == 0 ? lr__missing() : lr__na();
}

/* A rule's prefilter (lr_rule_def.guard_input, guard_mask): 1 when the
 * guard input is known and outside the mask, so the condition is known
 * false and reports nothing. */
LR__HOT int lr__nat_guarded(const lr__ctx *c, uint32_t g, uint64_t mask)
{
	return c->state[g] && (uint64_t)c->v[g] < 64 && !((mask >> c->v[g]) & 1);
}

/* ---- the typed entry's fast path (emit_native_fast.c) ---------------------
** NAME_eval runs each rule first on values read straight from the typed
** struct, with derived values, table values and schedules held in its
** own locals, and no context and no missing sets.  It gives up on a rule
** (returns 0 from these helpers) at any arithmetic error and whenever the
** rule's result needs a missing set (a condition or action value
** missing): that rule then runs on the exact path (the context, set up on
** first need), which reports what the interpreter reports.  Values that
** come out known, or not applicable without an error, are the exact
** path's values, so the fast path decides the same. */

/* Input value from a presence word w, bit b: missing when the bit is
 * clear.  The value of a missing value is never read (every helper tests
 * k first, and nothing stores it), so it is left as the field's. */
LR__HOT lr__val lr__fx_pin(uint64_t w, unsigned b, int64_t v)
{
	lr__val r;
	r.k = (int8_t)((w >> b) & 1u);
	r.v = v;
	return r;
}

/* Decimal arithmetic in place on *a: 0 on an error (overflow, division by
 * zero), which the exact path then raises and reports. */
LR__HOT int lr__fx_dec(lr__dec_fn f, lr__val *a, lr__val b)
{
	lr_dec x, y, r;
	if (a->k != 1 || b.k != 1) {
		*a = lr__unknown2(*a, b);
		return 1;
	}
	x.v = a->v;
	y.v = b.v;
	r.v = 0;
	if (f(&r, x, y) != LR_OK)
		return 0;
	a->v = r.v;
	return 1;
}

/* lr_dec_mul in place on *a, in 64-bit steps: the product's magnitude
 * hi:lo divided by 10^9 as two long-division steps on 32-bit limbs, each
 * a 64-bit division by a constant (a multiplication), where lr_dec_mul
 * divides 128 bits by a variable.  The same rounding (half to even) and
 * the same overflows (0 then: the exact path raises the error);
 * tests/unit/test_fx_mul.c compares the two. */
LR__HOT int lr__fx_mul(lr__val *a, lr__val b)
{
	const uint64_t m32 = 0xffffffffu, d = (uint64_t)LR_DEC_SCALE;
	uint64_t x, y, p00, p01, p10, p11, mid, lo, hi, t, u, r, q;
	int neg;

	if (a->k != 1 || b.k != 1) {
		*a = lr__unknown2(*a, b);
		return 1;
	}
	neg = (a->v < 0) != (b.v < 0);
	x = a->v < 0 ? (uint64_t)0 - (uint64_t)a->v : (uint64_t)a->v;
	y = b.v < 0 ? (uint64_t)0 - (uint64_t)b.v : (uint64_t)b.v;
	p00 = (x & m32) * (y & m32);
	p01 = (x & m32) * (y >> 32);
	p10 = (x >> 32) * (y & m32);
	p11 = (x >> 32) * (y >> 32);
	mid = (p00 >> 32) + (p01 & m32) + (p10 & m32);
	lo = (mid << 32) | (p00 & m32);
	hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
	if (hi >= d)
		return 0; /* the quotient needs more than 64 bits */
	/* hi < 2^30: t and u stay below 2^62, and the quotient is exact. */
	t = (hi << 32) | (lo >> 32);
	u = ((t % d) << 32) | (lo & m32);
	q = ((t / d) << 32) + u / d;
	r = u % d;
	if (r > d - r || (r == d - r && (q & 1u))) {
		if (q == UINT64_MAX)
			return 0;
		q++;
	}
	if (q > (uint64_t)INT64_MAX + (uint64_t)neg)
		return 0;
	a->v = !neg ? (int64_t)q : q == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)q;
	return 1;
}

LR__HOT int lr__fx_neg(lr__val *a)
{
	if (a->k != 1)
		return 1;
	if (a->v == INT64_MIN)
		return 0;
	a->v = -a->v;
	return 1;
}

/* date + n * mult days or months in place on *d (lr__shift_date): 0 on
 * an error (n not whole, off the calendar). */
LR__HOT int lr__fx_shift(int months, int32_t mult, lr__val *d, lr__val n)
{
	lr_date out = 0;
	int rc;
	if (d->k != 1 || n.k != 1) {
		*d = lr__unknown2(*d, n);
		return 1;
	}
	if (n.v % LR_DEC_SCALE != 0)
		return 0;
	rc = months ? lr_date_add_months(&out, (lr_date)d->v, n.v / LR_DEC_SCALE * mult)
		    : lr_date_add_days(&out, (lr_date)d->v, n.v / LR_DEC_SCALE * mult);
	if (rc != LR_OK)
		return 0;
	d->v = out;
	return 1;
}

/* Calendar-month additions are costly (a civil date each way) and rule
 * books repeat them ("first_dose + 24 months" in several rules): the
 * fast path remembers the last few of one evaluation (n: entries used). */
#define LR__FX_MONTHS 4
typedef struct {
	uint32_t n;
	int64_t d[LR__FX_MONTHS], by[LR__FX_MONTHS];
	lr_date r[LR__FX_MONTHS];
} lr__fx_months;

/* lr__fx_shift for months, through the evaluation's cache mc. */
LR__HOT int lr__fx_shift_months(lr__fx_months *mc, int32_t mult, lr__val *d, lr__val n)
{
	lr_date out = 0;
	int64_t by;
	uint32_t i;
	if (d->k != 1 || n.k != 1) {
		*d = lr__unknown2(*d, n);
		return 1;
	}
	if (n.v % LR_DEC_SCALE != 0)
		return 0;
	by = n.v / LR_DEC_SCALE * mult;
	for (i = 0; i < mc->n; i++)
		if (mc->d[i] == d->v && mc->by[i] == by) {
			d->v = mc->r[i];
			return 1;
		}
	if (lr_date_add_months(&out, (lr_date)d->v, by) != LR_OK)
		return 0;
	if (mc->n < LR__FX_MONTHS) {
		mc->d[mc->n] = d->v;
		mc->by[mc->n] = by;
		mc->r[mc->n++] = out;
	}
	d->v = out;
	return 1;
}

/* A schedule's state on the fast path (lr__sched without its set). */
typedef struct {
	int8_t k;       /* 1 known, 0 missing, -1 not applicable */
	int32_t phase;  /* -1: every phase completed */
	lr_date next_due;
	int32_t overdue;
} lr__fx_sched;

/* Schedule i's state from its dates and count (count: lr__mk(0) when the
 * schedule has none), as eval.c's compute_schedule computes it; 0 on an
 * error (a date off the calendar), which the exact path reports. */
int lr__nat_sched(const lr_ruleset *rs, uint32_t i, lr__val anchor, lr__val last, lr__val asof, lr__val count,
		  lr__fx_sched *out);

/* The set of a binary operation's result when it is not known (lr__put2):
 * the union of the sets of its operands that are not known. */
LR__HOT uint64_t lr__fx_m2(lr__val a, uint64_t am, lr__val b, uint64_t bm)
{
	return (a.k != 1 ? am : 0) | (b.k != 1 ? bm : 0);
}

/* An action value's state k folded into a rule's st (eval.c's worse) and
 * its set into *miss when it is not known (merge_unknown). */
LR__HOT int lr__fx_worse(int st, int k, uint64_t m, uint64_t *miss)
{
	if (k == 1)
		return st;
	*miss |= m;
	return st == 0 || k == 0 ? 0 : -1;
}

/* LR_OP_OVERDUE's value from a fast-path schedule state (lr__op_overdue). */
LR__HOT lr__val lr__fx_sched_overdue(const lr__fx_sched *e)
{
	if (e->k == 1)
		return lr__mk(e->phase >= 0 && e->overdue);
	return e->k == 0 ? lr__missing() : lr__na();
}

/* A decision's schedule part (nat_store), phases counted from first. */
LR__HOT void lr__fx_store_sched(lr_decision *d, const lr__fx_sched *e, uint32_t first)
{
	d->phase = -1;
	d->next_due = 0;
	d->overdue = 0;
	if (e->phase >= 0) {
		d->phase = (int32_t)(first + (uint32_t)e->phase);
		d->next_due = e->next_due;
		d->overdue = e->overdue;
	}
}

/* The fast path's functions in generated code: gcc and clang are told a
 * function some rule set does not call is fine (no warning); LR__FXI ones
 * (a cache test in front of an out-of-line computation, or all of a small
 * rule set) are inlined; LR__FXN ones (a large rule set's rules) are not,
 * so that no single function grows with the rule set (compile time). */
#if defined(__GNUC__)
#define LR__FX static __attribute__((unused))
#define LR__FXI static inline __attribute__((always_inline, unused))
#define LR__FXN static __attribute__((noinline, unused))
#else
#define LR__FX static
#define LR__FXI static inline
#define LR__FXN static
#endif

/* Counting rules decided on the fast path (k 0) and on the exact path
 * (k 1): compile the generated code with -DLR_FX_STATS and define
 * `unsigned long lr__fx_stats[2];` (a measurement aid; off by default). */
#ifdef LR_FX_STATS
extern unsigned long lr__fx_stats[2];
#define LR__FX_COUNT(k) (lr__fx_stats[k]++)
#else
#define LR__FX_COUNT(k) ((void)0)
#endif

/* The typed entry's calls into native.c: lr__nat_start checks out, rs
 * and the scratch buffer (size and alignment: LR_ESCRATCH, LR_EINVAL) and
 * clears out's counts (lr_eval_decisions' checks); lr__nat_begin carves
 * the exact path's context out of that scratch (lr__ctx_init) for a
 * patient's state and value arrays, on the first rule that needs it;
 * lr__nat_end applies the overrides when a rule that has some fired
 * (overrides_fired 1; 2: generated code marked the overridden decisions,
 * only move them after the live ones) and returns the result code. */
int lr__nat_start(lr_decisions *out, const lr_ruleset *rs, const void *scratch, size_t size);
int lr__nat_begin(lr__ctx *c, lr_decisions *out, const lr_ruleset *rs, const uint8_t *state, const int64_t *v,
		  uint64_t reported, void *scratch, size_t size);
/* The fast path's report of the absent inputs in m (inputs 0..63) for a
 * rule (nat_report): those not reported yet, into out's missing list.
 * The inputs already reported are c's (once the exact path set c up) or
 * *rep (before). */
void lr__nat_report_word(lr__ctx *c, lr_decisions *out, const lr_ruleset *rs, uint64_t *rep, uint64_t m,
			 uint32_t rule);
int lr__nat_end(lr_decisions *out, const lr_ruleset *rs, int overrides_fired);

/* LR_OP_IF, LR_OP_JUMP, LR_OP_SKIP_FALSE, LR_OP_SKIP_TRUE only steer: they
 * take the value (lr__if, lr__skip_false, lr__skip_true above) and leave
 * the slot, set included, as it is. */

/* The end of a program: its value, and its set through *miss when the
 * value is not known. */
LR__HOT lr__val lr__ret(const lr__ctx *c, const lr__slot *s, lr__bits *miss)
{
	if (s->x.k != 1)
		lr__bits_copy(c, miss, &s->m);
	return s->x;
}

/* An empty program (or one the interpreter gives up on): not applicable,
 * with no set. */
LR__HOT lr__val lr__ret_na(const lr__ctx *c, lr__bits *miss)
{
	lr__bits_clear(c, miss);
	return lr__na();
}

#ifdef __cplusplus
}
#endif
#endif /* LITRULE_VM_H */
