/*
** lower.c: from syntax tree to runtime table.
**
** Expressions become stack-machine code; params are folded in as
** constants (their value is part of the table, and the trace names the
** rule, so a reviewer still finds them in the source); names of inputs,
** derived values and tables become loads.  The compiler tracks the stack
** depth of each program and refuses one deeper than the runtime's fixed
** stack, so the runtime never needs to grow anything.
**
** Programs get no native code here (lr_code.fn is NULL): the in-memory
** table is interpreted.  emit_c.c translates the bytecode into C for
** generated tables, from this same table.
*/
#include "lower.h"

#include <stdlib.h>
#include <string.h>

#include "litrule_vm.h"
#include "units.h"

typedef struct {
	arena *a;
	diag_ctx *d;
	lowered *lw;
	lr_insn *code;
	uint32_t ncode, capcode;
	int64_t *consts;
	uint32_t nconsts, capconsts;
	uint32_t *kidx;        /* hash index of consts: entry + 1, 0 = empty */
	size_t capkidx;        /* a power of two, or 0 */
	int depth, max_depth;
	uint32_t nin, nlet, ntab, nsch, nrule;
	lr__ctx *fold;         /* scratch context for the runtime's helpers (folding) */
	/* Indices by declaration and declarations by name (lmap_build), so that
	 * lowering is linear in the rule set: searching the arrays for every
	 * name made 10,000 rules take 20 s.  NULL: search (lower_programs). */
	struct lmap_ent *pmap;
	const decl **nmap;
	size_t pcap, ncap;     /* powers of two, at most half full */
} lctx;

struct lmap_ent {
	const decl *d;
	int idx;
};

static void *grow(void *p, uint32_t *cap, size_t elem)
{
	uint32_t n = *cap ? *cap * 2 : 256;
	void *q = realloc(p, n * elem);
	if (!q)
		abort();
	*cap = n;
	return q;
}

static void emit(lctx *c, int op, int flags, int32_t arg, int stack_delta)
{
	lr_insn *i;
	if (c->ncode == c->capcode)
		c->code = grow(c->code, &c->capcode, sizeof(lr_insn));
	i = &c->code[c->ncode++];
	i->op = (uint8_t)op;
	i->flags = (uint8_t)flags;
	i->pad = 0;
	i->arg = arg;
	c->depth += stack_delta;
	if (c->depth > c->max_depth)
		c->max_depth = c->depth;
}

static size_t konst_slot(const lctx *c, int64_t v)
{
	uint64_t h = (uint64_t)v * UINT64_C(0x9E3779B97F4A7C15);
	size_t i = (size_t)(h >> 32) & (c->capkidx - 1);
	while (c->kidx[i] && c->consts[c->kidx[i] - 1] != v)
		i = (i + 1) & (c->capkidx - 1);
	return i;
}

/* Equal constants share one entry, so generated tables stay compact; a
 * hash index finds them (a linear search made lowering quadratic in the
 * number of distinct constants). */
static int32_t konst(lctx *c, int64_t v)
{
	size_t i;
	if ((size_t)(c->nconsts + 1) * 2 > c->capkidx) {
		size_t cap = c->capkidx ? c->capkidx * 2 : 256, k;
		free(c->kidx);
		c->kidx = calloc(cap, sizeof *c->kidx);
		if (!c->kidx)
			abort();
		c->capkidx = cap;
		for (k = 0; k < c->nconsts; k++)
			c->kidx[konst_slot(c, c->consts[k])] = (uint32_t)k + 1;
	}
	i = konst_slot(c, v);
	if (c->kidx[i])
		return (int32_t)(c->kidx[i] - 1);
	if (c->nconsts == c->capconsts)
		c->consts = grow(c->consts, &c->capconsts, sizeof(int64_t));
	c->consts[c->nconsts] = v;
	c->kidx[i] = c->nconsts + 1;
	return (int32_t)c->nconsts++;
}

static int find_index(const decl **v, uint32_t n, const decl *d)
{
	uint32_t i;
	for (i = 0; i < n; i++)
		if (v[i] == d)
			return (int)i;
	return -1;
}

static size_t lmap_phash(const decl *d, size_t cap)
{
	return (size_t)(((uint64_t)(uintptr_t)d >> 4) * UINT64_C(0x9E3779B97F4A7C15) >> 20) & (cap - 1);
}

static size_t lmap_nhash(const char *s, size_t cap)
{
	uint64_t h = UINT64_C(1469598103934665603);
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

/* Whether a declaration can stand for a value by name (ref_program). */
static int lmap_named_value(const decl *d)
{
	return d->id.name && d->kind != D_EXAMPLE && d->kind != D_RULE && d->kind != D_SOURCE && d->kind != D_STATEMENT;
}

/* Indexes the kinds' arrays (c->lw) and the named values of decls. */
static void lmap_build(lctx *c, const ptrvec *decls)
{
	const decl **v[5];
	uint32_t n[5], k, i;
	size_t need = (size_t)c->nin + c->nlet + c->ntab + c->nsch + c->nrule;

	v[0] = c->lw->inputs, n[0] = c->nin;
	v[1] = c->lw->lets, n[1] = c->nlet;
	v[2] = c->lw->tables, n[2] = c->ntab;
	v[3] = c->lw->schedules, n[3] = c->nsch;
	v[4] = c->lw->rules, n[4] = c->nrule;
	for (c->pcap = 16; c->pcap < 2 * need + 2; c->pcap *= 2)
		;
	for (c->ncap = 16; c->ncap < 2 * decls->len + 2; c->ncap *= 2)
		;
	c->pmap = calloc(c->pcap, sizeof *c->pmap);
	c->nmap = calloc(c->ncap, sizeof *c->nmap);
	if (!c->pmap || !c->nmap)
		abort();
	for (k = 0; k < 5; k++)
		for (i = 0; i < n[k]; i++) {
			size_t h = lmap_phash(v[k][i], c->pcap);
			while (c->pmap[h].d && c->pmap[h].d != v[k][i])
				h = (h + 1) & (c->pcap - 1);
			if (!c->pmap[h].d) {
				c->pmap[h].d = v[k][i];
				c->pmap[h].idx = (int)i;
			}
		}
	for (i = 0; i < decls->len; i++) {
		const decl *d = decls->items[i];
		size_t h;
		if (!lmap_named_value(d))
			continue;
		h = lmap_nhash(d->id.name, c->ncap);
		while (c->nmap[h] && strcmp(c->nmap[h]->id.name, d->id.name) != 0)
			h = (h + 1) & (c->ncap - 1);
		if (!c->nmap[h])
			c->nmap[h] = d; /* the first of a name, as a search in order finds */
	}
}

/* find_index through the map: d's index when v[idx] is d, else -1. */
static int lindex(const lctx *c, const decl **v, uint32_t n, const decl *d)
{
	size_t h;
	if (!c->pmap)
		return find_index(v, n, d);
	if (!d)
		return -1;
	for (h = lmap_phash(d, c->pcap); c->pmap[h].d; h = (h + 1) & (c->pcap - 1))
		if (c->pmap[h].d == d)
			return (uint32_t)c->pmap[h].idx < n && v[c->pmap[h].idx] == d ? c->pmap[h].idx : -1;
	return -1;
}

/* The first named value called name (in declaration order), or NULL. */
static const decl *lname(const lctx *c, const char *name)
{
	size_t h;
	for (h = lmap_nhash(name, c->ncap); c->nmap[h]; h = (h + 1) & (c->ncap - 1))
		if (strcmp(c->nmap[h]->id.name, name) == 0)
			return c->nmap[h];
	return NULL;
}

static int64_t literal_value(const expr *e)
{
	switch (e->kind) {
	case EX_NUM: return e->dec.v;
	case EX_DATE: return e->date;
	case EX_BOOL: return e->ival;
	case EX_NEG: return -literal_value(e->a);
	default: return 0;
	}
}

static void expr_code(lctx *c, const expr *e);

static void name_code(lctx *c, const decl *d, int probe)
{
	int k;
	switch (d->kind) {
	case D_INPUT:
		k = lindex(c, c->lw->inputs, c->nin, d);
		emit(c, LR_OP_INPUT, probe, k, 1);
		break;
	case D_LET:
		emit(c, LR_OP_LET, 0, lindex(c, c->lw->lets, c->nlet, d), 1);
		break;
	case D_TABLE:
		emit(c, LR_OP_TABLE, 0, lindex(c, c->lw->tables, c->ntab, d), 1);
		break;
	case D_PARAM:
		emit(c, LR_OP_CONST, 0, konst(c, literal_value(d->value)), 1);
		break;
	default:
		emit(c, LR_OP_CONST, 0, konst(c, 0), 1);
		break;
	}
}

/* ---- constant folding --------------------------------------------------------
** Arithmetic whose operands are all constants (literals and params) is
** computed here, by the very helpers of litrule_vm.h that the runtime would
** run, and becomes one constant.  Only a computation that succeeds is
** folded: one that fails (overflow, a fractional count of days) stays in
** the program, so the runtime reports its error for the rule as before.
** Constants are known and read no input, so a folded value has the same
** missing set (none) as the instructions it replaces. */

static int fold(lctx *c, const expr *e, int64_t *out);

/* The helper of a binary opcode on two known constants; 0 on an error. */
static int fold_op(lctx *c, int op, int64_t x, int64_t y, int32_t arg, int64_t *out)
{
	lr__val a = lr__mk(x), b = lr__mk(y), r;
	if (!c->fold)
		return 0;
	c->fold->err = 0;
	switch (op) {
	case LR_OP_ADD: r = lr__add(c->fold, a, b); break;
	case LR_OP_SUB: r = lr__sub(c->fold, a, b); break;
	case LR_OP_MUL: r = lr__mul(c->fold, a, b); break;
	case LR_OP_DIV: r = lr__div(c->fold, a, b); break;
	case LR_OP_NEG: r = lr__neg(c->fold, a); break;
	case LR_OP_ADD_DAYS: r = lr__add_days(c->fold, a, b, arg); break;
	case LR_OP_ADD_MONTHS: r = lr__add_months(c->fold, a, b, arg); break;
	default: return 0;
	}
	if (c->fold->err || r.k != 1)
		return 0;
	*out = r.v;
	return 1;
}

/* The opcode and multiplier date_shift emits for a duration's unit. */
static void shift_op(const expr *dur, int *op, int32_t *mult)
{
	switch (unit_time(dur->type.unit)) {
	case TIME_WEEKS: *op = LR_OP_ADD_DAYS; *mult = 7; break;
	case TIME_MONTHS: *op = LR_OP_ADD_MONTHS; *mult = 1; break;
	case TIME_YEARS: *op = LR_OP_ADD_MONTHS; *mult = 12; break;
	default: *op = LR_OP_ADD_DAYS; *mult = 1; break;
	}
}

/* date +/- duration on constants, as date_shift's code computes it. */
static int fold_shift(lctx *c, const expr *date, const expr *dur, int negate, int64_t *out)
{
	int64_t d, n;
	int op;
	int32_t mult;
	if (!fold(c, date, &d) || !fold(c, dur, &n))
		return 0;
	if (negate && !fold_op(c, LR_OP_NEG, n, 0, 0, &n))
		return 0;
	shift_op(dur, &op, &mult);
	return fold_op(c, op, d, n, mult, out);
}

/* Whether e is a constant that expr_code would compute without error; its
 * value in *out.  Mirrors expr_code for the kinds it accepts. */
static int fold(lctx *c, const expr *e, int64_t *out)
{
	int64_t x, y;
	switch (e->kind) {
	case EX_NUM: case EX_DATE: case EX_BOOL:
		*out = literal_value(e);
		return 1;
	case EX_NAME:
		if (!e->ref || e->ref->kind != D_PARAM || !e->ref->value)
			return 0;
		*out = literal_value(e->ref->value);
		return 1;
	case EX_AS:
		return fold(c, e->a, out);
	case EX_NEG:
		return fold(c, e->a, &x) && fold_op(c, LR_OP_NEG, x, 0, 0, out);
	case EX_ADD: case EX_SUB:
		if (e->type.kind == TY_DATE)
			return fold_shift(c, e->a, e->b, e->kind == EX_SUB, out);
		return fold(c, e->a, &x) && fold(c, e->b, &y) &&
		       fold_op(c, e->kind == EX_ADD ? LR_OP_ADD : LR_OP_SUB, x, y, 0, out);
	case EX_MUL: case EX_DIV:
		return fold(c, e->a, &x) && fold(c, e->b, &y) &&
		       fold_op(c, e->kind == EX_MUL ? LR_OP_MUL : LR_OP_DIV, x, y, 0, out);
	default:
		return 0;
	}
}

/* Emits e as one constant when it folds; 1 if it did. */
static int folded(lctx *c, const expr *e)
{
	int64_t v;
	if (!fold(c, e, &v))
		return 0;
	emit(c, LR_OP_CONST, 0, konst(c, v), 1);
	return 1;
}

static void binop(lctx *c, const expr *a, const expr *b, int op)
{
	expr_code(c, a);
	expr_code(c, b);
	emit(c, op, 0, 0, -1);
}

/* date +/- duration: the duration's unit picks days or months. */
static void date_shift(lctx *c, const expr *date, const expr *dur, int negate)
{
	int op;
	int32_t mult;
	int64_t v;
	if (fold_shift(c, date, dur, negate, &v)) {
		emit(c, LR_OP_CONST, 0, konst(c, v), 1);
		return;
	}
	/* With a date that is not constant, the duration's negation stays an
	 * instruction (cheap, and tests/codegen's rule file relies on it to
	 * exercise LR_OP_NEG). */
	expr_code(c, date);
	expr_code(c, dur);
	if (negate)
		emit(c, LR_OP_NEG, 0, 0, 0);
	shift_op(dur, &op, &mult);
	emit(c, op, 0, mult, -1);
}

/* "left and right" is  left; SKIP_FALSE n; right; AND  ("or" likewise
 * with SKIP_TRUE and OR): the skip jumps past the right side and the
 * operator when the left side already decides the result. */
static uint32_t skip_if(lctx *c, int op)
{
	uint32_t at = c->ncode;
	emit(c, op, 0, 0, 0);
	return at;
}

static void join(lctx *c, int op, uint32_t skip)
{
	emit(c, op, 0, 0, -1);
	c->code[skip].arg = (int32_t)(c->ncode - skip - 1);
}

static uint32_t skip_false(lctx *c) { return skip_if(c, LR_OP_SKIP_FALSE); }
static void and_end(lctx *c, uint32_t skip) { join(c, LR_OP_AND, skip); }

static void expr_code(lctx *c, const expr *e)
{
	static const int cmp_ops[] = {LR_OP_LT, LR_OP_LE, LR_OP_GT, LR_OP_GE, LR_OP_EQ, LR_OP_NE};

	switch (e->kind) {
	case EX_NUM: case EX_DATE: case EX_BOOL:
		emit(c, LR_OP_CONST, 0, konst(c, literal_value(e)), 1);
		break;
	case EX_NAME:
		name_code(c, e->ref, 0);
		break;
	case EX_NEG:
		if (folded(c, e))
			break;
		expr_code(c, e->a);
		emit(c, LR_OP_NEG, 0, 0, 0);
		break;
	case EX_ADD: case EX_SUB:
		if (e->type.kind == TY_DATE)
			date_shift(c, e->a, e->b, e->kind == EX_SUB);
		else if (!folded(c, e))
			binop(c, e->a, e->b, e->kind == EX_ADD ? LR_OP_ADD : LR_OP_SUB);
		break;
	case EX_MUL: case EX_DIV:
		if (!folded(c, e))
			binop(c, e->a, e->b, e->kind == EX_MUL ? LR_OP_MUL : LR_OP_DIV);
		break;
	case EX_LT: case EX_LE: case EX_GT: case EX_GE: case EX_EQ: case EX_NE:
		binop(c, e->a, e->b, cmp_ops[e->kind - EX_LT]);
		break;
	case EX_AND: case EX_OR: {
		uint32_t skip;
		expr_code(c, e->a);
		skip = skip_if(c, e->kind == EX_AND ? LR_OP_SKIP_FALSE : LR_OP_SKIP_TRUE);
		expr_code(c, e->b);
		join(c, e->kind == EX_AND ? LR_OP_AND : LR_OP_OR, skip);
		break;
	}
	case EX_NOT:
		expr_code(c, e->a);
		emit(c, LR_OP_NOT, 0, 0, 0);
		break;
	case EX_MISSING: case EX_KNOWN:
		name_code(c, e->a->ref, 1);
		emit(c, LR_OP_KNOWN, 0, 0, 0);
		if (e->kind == EX_MISSING)
			emit(c, LR_OP_NOT, 0, 0, 0);
		break;
	case EX_IS:
		if (e->a->ref && e->a->ref->kind == D_SCHEDULE) {
			emit(c, LR_OP_OVERDUE, 0, lindex(c, c->lw->schedules, c->nsch, e->a->ref), 1);
		} else {
			expr_code(c, e->a);
			emit(c, LR_OP_CONST, 0, konst(c, e->enum_index), 1);
			emit(c, LR_OP_EQ, 0, 0, -1);
		}
		if (e->ival)
			emit(c, LR_OP_NOT, 0, 0, 0);
		break;
	case EX_ONE_OF: {
		uint64_t mask = 0;
		size_t i;
		const decl *en = e->a->type.enm;
		for (i = 0; i < e->names.len; i++) {
			const ident *id = e->names.items[i];
			size_t k;
			for (k = 0; k < en->values.len && k < 64; k++)
				if (strcmp(((ident *)en->values.items[k])->name, id->name) == 0)
					mask |= UINT64_C(1) << k;
		}
		expr_code(c, e->a);
		emit(c, LR_OP_IN_SET, 0, konst(c, (int64_t)mask), 0);
		if (e->ival)
			emit(c, LR_OP_NOT, 0, 0, 0);
		break;
	}
	case EX_BETWEEN: { /* b <= a and a <= c */
		uint32_t skip;
		binop(c, e->a, e->b, LR_OP_GE);
		skip = skip_false(c);
		binop(c, e->a, e->c, LR_OP_LE);
		and_end(c, skip);
		break;
	}
	case EX_BEFORE: binop(c, e->a, e->b, LR_OP_LT); break;
	case EX_AFTER: binop(c, e->a, e->b, LR_OP_GT); break;
	case EX_ON_OR_BEFORE: binop(c, e->a, e->b, LR_OP_LE); break;
	case EX_ON_OR_AFTER: binop(c, e->a, e->b, LR_OP_GE); break;
	/* Within: the plain comparison first, so that when it is already
	 * false the shifted date is never computed (a shift past year 9999
	 * would otherwise turn a false condition into a rule error). */
	case EX_WITHIN_BEFORE: { /* a <= c and c - d <= a */
		uint32_t skip;
		binop(c, e->a, e->c, LR_OP_LE);
		skip = skip_false(c);
		expr_code(c, e->a);
		date_shift(c, e->c, e->b, 1);
		emit(c, LR_OP_GE, 0, 0, -1);
		and_end(c, skip);
		break;
	}
	case EX_WITHIN_AFTER: { /* c <= a and a <= c + d */
		uint32_t skip;
		binop(c, e->a, e->c, LR_OP_GE);
		skip = skip_false(c);
		expr_code(c, e->a);
		date_shift(c, e->c, e->b, 0);
		emit(c, LR_OP_LE, 0, 0, -1);
		and_end(c, skip);
		break;
	}
	case EX_IF: {
		/* c; IF else; a; JUMP end; else: b; end: */
		uint32_t at_if, at_jump;
		int base;
		expr_code(c, e->a);
		at_if = c->ncode;
		emit(c, LR_OP_IF, 0, 0, -1);
		base = c->depth;
		expr_code(c, e->b);
		at_jump = c->ncode;
		emit(c, LR_OP_JUMP, 0, 0, 0);
		c->depth = base; /* the else branch starts from the same depth */
		expr_code(c, e->c);
		c->code[at_if].arg = (int32_t)(at_jump - at_if);
		c->code[at_jump].arg = (int32_t)(c->ncode - at_jump - 1);
		break;
	}
	case EX_OTHERWISE: binop(c, e->a, e->b, LR_OP_COALESCE); break;
	case EX_AS: expr_code(c, e->a); break;
	case EX_MONTHS_BETWEEN: binop(c, e->a, e->b, LR_OP_MONTHS_BETWEEN); break;
	case EX_DAY_OF_MONTH:
		expr_code(c, e->a);
		emit(c, LR_OP_DAY_OF_MONTH, 0, 0, 0);
		break;
	case EX_ERROR:
		emit(c, LR_OP_CONST, 0, konst(c, 0), 1);
		break;
	}
}

/* Compiles e as its own program; reports programs too deep for the runtime. */
static lr_code program(lctx *c, const expr *e, const src_file *f)
{
	lr_code r;
	r.start = c->ncode;
	r.fn = NULL; /* interpreted: only `litrule build` adds native code */
	c->depth = c->max_depth = 0;
	if (e)
		expr_code(c, e);
	r.len = c->ncode - r.start;
	if (c->max_depth >= LR_MAX_STACK - 1)
		diag_report(c->d, DIAG_ERROR, f, e->loc.start, e->loc.end, "too-complex",
			    "this expression needs %d evaluation slots; the runtime has %d: split it with 'let'",
			    c->max_depth, LR_MAX_STACK - 2);
	return r;
}

/* ---- rule prefilters ------------------------------------------------------------
** A rule condition whose code begins
**
**     INPUT i  [CONST k; EQ | IN_SET m]  [NOT]
**
** with input i a boolean or an enumeration, and continues only through
** SKIP_FALSE jumps to its end (the leftmost conjunct of a top-level "and"
** chain, or the whole condition), is known false whenever input i is
** known and its value lies outside a set computable now:
**
**  - a known input loads as a known value, reporting nothing; EQ with a
**    constant, IN_SET and NOT of a known value are known, raise no error
**    and report nothing; so the prefix leaves one known boolean, which is
**    false exactly when the value is outside the guard mask;
**  - a known false value on top makes every SKIP_FALSE jump, leaving it
**    unchanged, and the chain of them ends at the program's end (checked
**    here, jump by jump), so the condition's value is that known false,
**    with no input reported missing, no cached value computed, no error;
**  - a known false condition with no error does nothing in lr_eval.
**
** So skipping the condition then gives exactly what running it gives.
** Values of the input are below 64 after validation (enumerations have at
** most LR_MAX_ENUM values, booleans are 0 or 1); the runtime runs the
** condition anyway for any other. */
static void rule_guard(const lctx *c, const lr_input_def *inputs, lr_code code, int32_t *gi, uint64_t *gmask)
{
	const lr_insn *p;
	uint32_t n = code.len, k = 0, j;
	uint64_t mask;
	int32_t in;

	*gi = -1;
	*gmask = 0;
	/* No code at all (no rule has a condition): c->code is NULL, and
	 * NULL + 0 is undefined, so look only when there is something. */
	if (n == 0)
		return;
	p = c->code + code.start;
	if (p[0].op != LR_OP_INPUT || (p[0].flags & 1) || p[0].arg < 0 || (uint32_t)p[0].arg >= c->nin)
		return;
	in = p[0].arg;
	if (inputs[in].type != LR_T_BOOL && inputs[in].type != LR_T_ENUM)
		return;
	k = 1;
	if (k + 1 < n && p[k].op == LR_OP_CONST && p[k + 1].op == LR_OP_EQ) {
		int64_t v = c->consts[p[k].arg];
		mask = v >= 0 && v < 64 ? UINT64_C(1) << v : 0;
		k += 2;
	} else if (k < n && p[k].op == LR_OP_IN_SET) {
		mask = (uint64_t)c->consts[p[k].arg];
		k += 1;
	} else if (inputs[in].type == LR_T_BOOL) {
		mask = UINT64_C(2); /* the boolean itself: false is 0 */
	} else {
		return; /* an enumeration index is no condition */
	}
	if (k < n && p[k].op == LR_OP_NOT) {
		mask = ~mask;
		k++;
	}
	/* From here to the end only through SKIP_FALSE jumps. */
	for (j = k; j < n;) {
		if (p[j].op != LR_OP_SKIP_FALSE || p[j].arg < 0 || (uint64_t)j + 1 + (uint64_t)p[j].arg > n)
			return;
		j = j + 1 + (uint32_t)p[j].arg;
	}
	*gi = in;
	*gmask = mask;
}

static lr_code ref_program(lctx *c, const ident *id, const ptrvec *values)
{
	lr_code r = {0, 0, NULL};
	const decl *d = NULL;
	size_t i;
	if (!id->name)
		return r;
	if (c->nmap) {
		d = lname(c, id->name);
	} else {
		for (i = 0; i < values->len && !d; i++)
			if (lmap_named_value(values->items[i]) && strcmp(((const decl *)values->items[i])->id.name, id->name) == 0)
				d = values->items[i];
	}
	if (d) {
		r.start = c->ncode;
		c->depth = 0;
		name_code(c, d, 0);
		r.len = c->ncode - r.start;
	}
	return r;
}

/* ---- input read sets (the trace names the inputs a rule reads) --------------
** A rule reads the inputs its expressions name and, transitively, those
** read by the lets, tables and schedules it names.  Each let, table and
** schedule's set is computed once and kept (a bit per input): walking
** through a let every time it was named made 40 lets that each name the
** previous one twice take 2^40 steps.  The lets, tables and schedules are
** visited by a depth-first search with its own stack (and expressions by
** ast_visit), so no chain of them deepens the C stack.  sema has refused
** cycles before lowering; one would be stepped over here, not followed. */

typedef struct {
	uint32_t slot;
	size_t start, next;   /* its dependencies are deps[start .. ) */
} reads_frame;

typedef struct {
	const lctx *c;
	uint32_t nw;          /* 64-bit words per set */
	uint32_t nslots;      /* lets, then tables, then schedules, then the rule */
	uint64_t *bits;       /* nslots * nw */
	uint8_t *state;       /* 0 not yet, 1 on the search's path, 2 done */
	uint32_t *deps;       /* the dependencies of every frame on the path */
	size_t ndeps, capdeps;
	uint32_t cur;         /* the slot whose expressions are being walked */
} reads_ctx;

static void *grow_size(void *p, size_t *cap, size_t elem)
{
	size_t n = *cap ? *cap * 2 : 64;
	void *q = realloc(p, n * elem);
	if (!q)
		abort();
	*cap = n;
	return q;
}

/* The slot of a let, table or schedule; -1 for anything else. */
static int reads_slot(const reads_ctx *r, const decl *d)
{
	const lctx *c = r->c;
	int k;
	switch (d->kind) {
	case D_LET: return lindex(c, c->lw->lets, c->nlet, d);
	case D_TABLE:
		k = lindex(c, c->lw->tables, c->ntab, d);
		return k < 0 ? k : (int)c->nlet + k;
	case D_SCHEDULE:
		k = lindex(c, c->lw->schedules, c->nsch, d);
		return k < 0 ? k : (int)(c->nlet + c->ntab) + k;
	default: return -1;
	}
}

static void reads_or(reads_ctx *r, uint32_t to, uint32_t from)
{
	uint32_t w;
	for (w = 0; w < r->nw; w++)
		r->bits[(size_t)to * r->nw + w] |= r->bits[(size_t)from * r->nw + w];
}

/* A declaration the current slot reads: an input is a bit; a finished set
 * is merged now; one not yet computed is a dependency to visit. */
static void reads_ref(reads_ctx *r, const decl *d)
{
	int k;
	if (!d)
		return;
	if (d->kind == D_INPUT) {
		k = lindex(r->c, r->c->lw->inputs, r->c->nin, d);
		if (k >= 0)
			r->bits[(size_t)r->cur * r->nw + (uint32_t)k / 64] |= UINT64_C(1) << ((uint32_t)k % 64);
		return;
	}
	k = reads_slot(r, d);
	if (k < 0)
		return;
	if (r->state[k] == 2) {
		reads_or(r, r->cur, (uint32_t)k);
	} else if (r->state[k] == 0) {
		if (r->ndeps == r->capdeps)
			r->deps = grow_size(r->deps, &r->capdeps, sizeof *r->deps);
		r->deps[r->ndeps++] = (uint32_t)k;
	}
}

static void reads_node(void *ctx, const expr *e)
{
	if (e->kind == EX_NAME)
		reads_ref(ctx, e->ref);
}

/* A schedule's date and count names, as ref_program finds them. */
static void reads_ident(reads_ctx *r, const ident *id)
{
	const lctx *c = r->c;
	uint32_t i;
	if (!id->name)
		return;
	if (c->nmap) {
		/* Names are unique among inputs, lets and tables (sema). */
		const decl *d = lname(c, id->name);
		if (d && (d->kind == D_INPUT || d->kind == D_LET || d->kind == D_TABLE))
			reads_ref(r, d);
		return;
	}
	for (i = 0; i < c->nin; i++)
		if (strcmp(c->lw->inputs[i]->id.name, id->name) == 0)
			reads_ref(r, c->lw->inputs[i]);
	for (i = 0; i < c->nlet; i++)
		if (strcmp(c->lw->lets[i]->id.name, id->name) == 0)
			reads_ref(r, c->lw->lets[i]);
	for (i = 0; i < c->ntab; i++)
		if (strcmp(c->lw->tables[i]->id.name, id->name) == 0)
			reads_ref(r, c->lw->tables[i]);
}

/* Notes everything d reads directly, into slot r->cur and r->deps. */
static void reads_direct(reads_ctx *r, const decl *d)
{
	size_t i;
	switch (d->kind) {
	case D_LET: ast_visit(d->body, reads_node, r); break;
	case D_TABLE: ast_visit(d->key, reads_node, r); break;
	case D_SCHEDULE:
		ast_visit(d->amount, reads_node, r);
		reads_ident(r, &d->anchor);
		reads_ident(r, &d->last);
		reads_ident(r, &d->asof);
		reads_ident(r, &d->count);
		break;
	case D_RULE:
		ast_visit(d->when, reads_node, r);
		for (i = 0; i < d->actions.len; i++) {
			const action *a = d->actions.items[i];
			ast_visit(a->amount, reads_node, r);
			ast_visit(a->due, reads_node, r);
			if (a->sched)
				reads_ref(r, a->sched);
		}
		break;
	default: break;
	}
}

static const decl *reads_decl_of(const reads_ctx *r, uint32_t slot, const decl *rule)
{
	const lctx *c = r->c;
	if (slot < c->nlet)
		return c->lw->lets[slot];
	if (slot < c->nlet + c->ntab)
		return c->lw->tables[slot - c->nlet];
	if (slot < c->nlet + c->ntab + c->nsch)
		return c->lw->schedules[slot - c->nlet - c->ntab];
	return rule;
}

/* The read set of a rule, in the rule's slot (the last): each let, table
 * and schedule it reaches is computed after what it reads, once. */
static const uint64_t *reads_rule(reads_ctx *r, const decl *rule)
{
	reads_frame *path = NULL;
	size_t n = 0, cap = 0;
	uint32_t top = r->nslots - 1;

	memset(r->bits + (size_t)top * r->nw, 0, r->nw * sizeof *r->bits);
	r->state[top] = 1;
	path = grow_size(path, &cap, sizeof *path);
	path[0].slot = top;
	path[0].start = path[0].next = 0;
	n = 1;
	r->ndeps = 0;
	r->cur = top;
	reads_direct(r, rule);
	while (n) {
		reads_frame *f = &path[n - 1];
		if (f->next < r->ndeps) {
			uint32_t dep = r->deps[f->next++];
			if (r->state[dep] != 0)
				continue; /* done (merged below), or a cycle */
			if (n == cap)
				path = grow_size(path, &cap, sizeof *path);
			r->state[dep] = 1;
			path[n].slot = dep;
			path[n].start = path[n].next = r->ndeps;
			n++;
			r->cur = dep;
			reads_direct(r, reads_decl_of(r, dep, rule));
			continue;
		}
		for (f->next = f->start; f->next < r->ndeps; f->next++)
			if (r->state[r->deps[f->next]] == 2)
				reads_or(r, f->slot, r->deps[f->next]);
		r->state[f->slot] = 2;
		r->ndeps = f->start;
		n--;
	}
	r->state[top] = 0; /* the slot is reused by the next rule */
	free(path);
	return r->bits + (size_t)top * r->nw;
}

/* ---- the table ----------------------------------------------------------------- */

static const char *headings_text(arena *a, const decl *d)
{
	char *acc = arena_strdup(a, "");
	size_t i;
	for (i = 0; i < d->headings.len; i++)
		acc = arena_printf(a, "%s%s%s", acc, i ? " > " : "", (const char *)d->headings.items[i]);
	return acc;
}

static lr_time_unit time_of(const char *unit)
{
	switch (unit_time(unit)) {
	case TIME_DAYS: return LR_U_DAYS;
	case TIME_WEEKS: return LR_U_WEEKS;
	case TIME_MONTHS: return LR_U_MONTHS;
	case TIME_YEARS: return LR_U_YEARS;
	case TIME_DOSES: return LR_U_DOSES;
	default: return LR_U_NONE;
	}
}

static const char *field_of(const decl *src, const char *key)
{
	size_t i;
	for (i = 0; i < src->fields.len; i++) {
		const field *f = src->fields.items[i];
		if (strcmp(f->key.name, key) == 0)
			return f->text;
	}
	return NULL;
}

static lr_type type_of(const decl *in)
{
	switch (in->itype) {
	case IT_BOOL: return LR_T_BOOL;
	case IT_DATE: return LR_T_DATE;
	case IT_ENUM: return LR_T_ENUM;
	default: return LR_T_NUM;
	}
}

#define NEW(c, T, n) ((T *)arena_alloc((c)->a, sizeof(T) * ((n) ? (n) : 1)))

/* ---- capacity: how many actions one evaluation can produce ------------------
** An upper bound for sizing result buffers (lr_ruleset.max_actions).  Every
** rule may fire, except that rules guarded (rule_guard) on the same input
** with disjoint masks cannot fire together: the input has one value, and a
** rule fires only if that value is known and in its mask.  So per guard
** input, the most actions over its values of the rules admitting that
** value; plus every action of the unguarded rules.  Saturates at
** UINT32_MAX. */
static uint32_t max_actions(const lr_input_def *inputs, uint32_t nin, const lr_rule_def *rules, uint32_t nrules)
{
	uint64_t total = 0, *per = calloc((size_t)(nin ? nin : 1) * 64, sizeof *per);
	uint32_t i, v;

	for (i = 0; i < nrules; i++) {
		const lr_rule_def *r = &rules[i];
		int32_t g = r->guard_input;
		if (!per || g < 0 || (uint32_t)g >= nin) {
			total += r->nactions; /* unguarded (or no memory: the plain sum) */
			continue;
		}
		for (v = 0; v < 64; v++)
			if ((r->guard_mask >> v) & 1)
				per[(size_t)g * 64 + v] += r->nactions;
	}
	for (i = 0; per && i < nin; i++) {
		/* Only values the input can hold: lr_eval rejects the others. */
		uint32_t nv = inputs[i].type == LR_T_BOOL ? 2 : inputs[i].nvalues < 64 ? inputs[i].nvalues : 64;
		uint64_t most = 0;
		for (v = 0; v < nv; v++)
			most = per[(size_t)i * 64 + v] > most ? per[(size_t)i * 64 + v] : most;
		total += most;
	}
	free(per);
	return total > UINT32_MAX ? UINT32_MAX : (uint32_t)total;
}

int lower_ruleset(lowered *out, const ruleset_ast *rs, arena *a, diag_ctx *d)
{
	lctx c;
	size_t i;
	uint32_t nsrc = 0, ncite = 0, nact = 0, nrow = 0, nphase = 0, nreads = 0;
	lr_input_def *inputs;
	lr_let_def *lets;
	lr_table_def *tables;
	lr_schedule_def *scheds;
	lr_rule_def *rules;
	lr_source_def *sources;
	lr_citation *cites;
	lr_action_def *acts;
	lr_row_def *rows;
	lr_phase_def *phases;
	uint32_t *reads, *ovr, novr = 0, capreads = 0;
	const decl **srcdecl;
	reads_ctx rc;
	int errors = d->nerrors;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof c);
	c.fold = calloc(1, sizeof *c.fold); /* NULL: nothing is folded */
	c.a = a;
	c.d = d;
	c.lw = out;
	out->inputs = NEW(&c, const decl *, rs->decls.len);
	out->lets = NEW(&c, const decl *, rs->decls.len);
	out->tables = NEW(&c, const decl *, rs->decls.len);
	out->schedules = NEW(&c, const decl *, rs->decls.len);
	out->rules = NEW(&c, const decl *, rs->decls.len);
	srcdecl = NEW(&c, const decl *, rs->decls.len);
	/* Count and index every kind first: code refers across kinds. */
	for (i = 0; i < rs->decls.len; i++) {
		const decl *dc = rs->decls.items[i];
		if (!dc->id.name)
			continue;
		switch (dc->kind) {
		case D_INPUT: out->inputs[c.nin++] = dc; break;
		case D_LET: out->lets[c.nlet++] = dc; break;
		case D_TABLE: out->tables[c.ntab++] = dc; nrow += (uint32_t)dc->rows.len; break;
		case D_SCHEDULE: out->schedules[c.nsch++] = dc; nphase += (uint32_t)dc->phases.len; break;
		case D_RULE:
			out->rules[c.nrule++] = dc;
			ncite += (uint32_t)dc->cites.len;
			nact += (uint32_t)dc->actions.len;
			novr += (uint32_t)dc->overridden.len;
			break;
		case D_SOURCE: srcdecl[nsrc++] = dc; break;
		default: break;
		}
	}
	lmap_build(&c, &rs->decls);
	inputs = NEW(&c, lr_input_def, c.nin);
	for (i = 0; i < c.nin; i++) {
		const decl *in = out->inputs[i];
		lr_input_def *o = &inputs[i];
		o->name = in->id.name;
		o->description = in->title ? in->title : "";
		o->type = type_of(in);
		o->unit = in->itype == IT_NUM && in->type.unit ? in->type.unit : "";
		if (in->itype == IT_NUM && in->range_lo && in->range_hi) {
			o->has_range = 1;
			o->lo = in->range_lo->dec.v;
			o->hi = in->range_hi->dec.v;
		}
		if (in->itype == IT_ENUM) {
			const char **vals = NEW(&c, const char *, in->values.len);
			size_t k;
			if (in->values.len > LR_MAX_ENUM)
				diag_report(d, DIAG_ERROR, in->file, in->id.loc.start, in->id.loc.end, "capacity",
					    "'%s' has %zu values; at most %d are supported", in->id.name, in->values.len,
					    LR_MAX_ENUM);
			for (k = 0; k < in->values.len; k++)
				vals[k] = ((ident *)in->values.items[k])->name;
			o->nvalues = (uint32_t)in->values.len;
			o->values = vals;
		}
	}

	lets = NEW(&c, lr_let_def, c.nlet);
	for (i = 0; i < c.nlet; i++) {
		const decl *l = out->lets[i];
		lets[i].name = l->id.name;
		lets[i].type = l->type.kind == TY_DATE ? LR_T_DATE : l->type.kind == TY_BOOL ? LR_T_BOOL
			     : l->type.kind == TY_ENUM ? LR_T_ENUM : LR_T_NUM;
		lets[i].unit = l->type.kind == TY_NUM && l->type.unit ? l->type.unit : "";
		lets[i].code = program(&c, l->body, l->file);
	}

	tables = NEW(&c, lr_table_def, c.ntab);
	rows = NEW(&c, lr_row_def, nrow);
	nrow = 0;
	for (i = 0; i < c.ntab; i++) {
		const decl *t = out->tables[i];
		size_t k;
		tables[i].name = t->id.name;
		tables[i].unit = t->type.kind == TY_NUM ? t->type.unit : "";
		tables[i].key = program(&c, t->key, t->file);
		tables[i].first_row = nrow;
		tables[i].hit_first = t->hit.name && strcmp(t->hit.name, "first") == 0;
		for (k = 0; k < t->rows.len; k++) {
			const table_row *r = t->rows.items[k];
			lr_row_def *o = &rows[nrow++];
			uint32_t line, col;
			o->lo_inf = r->lo == NULL;
			o->hi_inf = r->hi == NULL;
			o->lo_open = (int8_t)r->lo_open;
			o->hi_open = (int8_t)r->hi_open;
			o->lo = r->lo ? r->lo->dec.v : 0;
			o->hi = r->hi ? r->hi->dec.v : 0;
			o->has_value = r->value != NULL;
			o->value = r->value ? literal_value(r->value) : 0;
			src_position(t->file, r->loc.start, &line, &col);
			o->line = line;
		}
		tables[i].nrows = (uint32_t)t->rows.len;
	}

	scheds = NEW(&c, lr_schedule_def, c.nsch);
	phases = NEW(&c, lr_phase_def, nphase);
	nphase = 0;
	for (i = 0; i < c.nsch; i++) {
		const decl *s = out->schedules[i];
		lr_schedule_def *o = &scheds[i];
		char *drug = arena_strdup(a, "");
		size_t k;
		for (k = 0; k < s->drug.len; k++)
			drug = arena_printf(a, "%s%s%s", drug, k ? " " : "", ((ident *)s->drug.items[k])->name);
		o->name = s->id.name;
		o->drug = drug;
		o->amount = program(&c, s->amount, s->file);
		o->unit = s->amount->type.kind == TY_NUM ? s->amount->type.unit : "";
		o->route = s->route.name;
		o->first_phase = nphase;
		o->nphases = (uint32_t)s->phases.len;
		for (k = 0; k < s->phases.len; k++) {
			const phase *ph = s->phases.items[k];
			lr_phase_def *p = &phases[nphase++];
			p->label = ph->label;
			p->every = (int32_t)(ph->every->dec.v / LR_DEC_SCALE);
			p->every_unit = time_of(ph->every->type.unit);
			if (ph->bound) {
				p->bound = (int32_t)(ph->bound->dec.v / LR_DEC_SCALE);
				p->bound_unit = time_of(ph->bound->type.unit);
			} else {
				p->bound_unit = LR_U_NONE;
			}
		}
		o->anchor = ref_program(&c, &s->anchor, &rs->decls);
		o->last = ref_program(&c, &s->last, &rs->decls);
		o->asof = ref_program(&c, &s->asof, &rs->decls);
		o->count = ref_program(&c, &s->count, &rs->decls);
		o->grace_days = 0;
		if (s->grace) {
			int64_t n = s->grace->dec.v / LR_DEC_SCALE;
			time_unit u = unit_time(s->grace->type.unit);
			o->grace_days = (int32_t)(u == TIME_WEEKS ? n * 7 : n);
		}
	}

	sources = NEW(&c, lr_source_def, nsrc);
	for (i = 0; i < nsrc; i++) {
		const decl *s = srcdecl[i];
		lr_source_def *o = &sources[i];
		o->id = s->id.name;
		o->title = s->title ? s->title : "";
		o->authors = field_of(s, "authors");
		o->publisher = field_of(s, "publisher");
		o->journal = field_of(s, "journal");
		o->year = field_of(s, "year");
		o->edition = field_of(s, "edition");
		o->version = field_of(s, "version");
		o->doi = field_of(s, "doi");
		o->url = field_of(s, "url");
		o->note = field_of(s, "note");
		o->text_path = field_of(s, "text");
	}

	rules = NEW(&c, lr_rule_def, c.nrule);
	cites = NEW(&c, lr_citation, ncite);
	acts = NEW(&c, lr_action_def, nact);
	ovr = NEW(&c, uint32_t, novr);
	novr = 0;
	/* The read sets grow as found (every rule reading every input, sized
	 * in advance, was 400 MB for 10,000 rules of 10,000 inputs); the
	 * table gets a copy of the exact size. */
	reads = NULL;
	memset(&rc, 0, sizeof rc);
	rc.c = &c;
	rc.nw = (c.nin + 63) / 64 ? (c.nin + 63) / 64 : 1;
	rc.nslots = c.nlet + c.ntab + c.nsch + 1;
	rc.bits = arena_alloc(a, sizeof(uint64_t) * rc.nslots * rc.nw);
	rc.state = NEW(&c, uint8_t, rc.nslots);
	ncite = nact = 0;
	for (i = 0; i < c.nrule; i++) {
		const decl *r = out->rules[i];
		lr_rule_def *o = &rules[i];
		uint32_t l0, l1, col;
		size_t k;
		const uint64_t *seen;

		o->id = r->id.name;
		o->title = r->title ? r->title : "";
		o->cond = r->when ? program(&c, r->when, r->file) : (lr_code){0, 0, NULL};
		rule_guard(&c, inputs, o->cond, &o->guard_input, &o->guard_mask);
		o->first_action = nact;
		for (k = 0; k < r->actions.len; k++) {
			const action *ac = r->actions.items[k];
			lr_action_def *ao = &acts[nact++];
			ao->verb = (lr_verb)ac->verb;
			ao->text = ac->text ? ac->text : "";
			ao->amount = ac->amount ? program(&c, ac->amount, r->file) : (lr_code){0, 0, NULL};
			ao->unit = ac->amount && ac->amount->type.kind == TY_NUM ? ac->amount->type.unit : "";
			ao->route = ac->route.name;
			ao->schedule = ac->sched ? lindex(&c, out->schedules, c.nsch, ac->sched) : -1;
			ao->subject = ac->subj ? ac->subj->id.name : NULL;
			ao->due = ac->due ? program(&c, ac->due, r->file) : (lr_code){0, 0, NULL};
		}
		o->nactions = (uint32_t)r->actions.len;
		o->first_override = novr;
		for (k = 0; k < r->overridden.len; k++) {
			int t = lindex(&c, out->rules, c.nrule, r->overridden.items[k]);
			if (t >= 0)
				ovr[novr++] = (uint32_t)t;
		}
		o->noverrides = novr - o->first_override;
		o->first_cite = ncite;
		for (k = 0; k < r->cites.len; k++) {
			const citation *ct = r->cites.items[k];
			lr_citation *co = &cites[ncite++];
			co->source = ct->source.name;
			co->title = ct->src && ct->src->title ? ct->src->title : "";
			co->locator = ct->locator ? ct->locator : "";
			co->quote = ct->quote ? ct->quote : "";
		}
		o->ncites = (uint32_t)r->cites.len;
		o->file = r->file->path;
		src_position(r->file, r->loc.start, &l0, &col);
		src_position(r->file, r->loc.end, &l1, &col);
		o->line = l0;
		o->end_line = l1;
		o->headings = headings_text(a, r);
		seen = reads_rule(&rc, r);
		o->first_read = nreads;
		/* Word by word, bit by bit of the set ones: a scan of every input
		 * per rule made 10,000 rules of 10,000 inputs take 10^8 steps. */
		for (k = 0; k < c.nin; k += 64) {
			uint64_t w = seen[k / 64];
			uint32_t b;
			for (b = 0; w && b < 64; b++, w >>= 1)
				if ((w & 1) && k + b < c.nin) {
					if (nreads == capreads)
						reads = grow(reads, &capreads, sizeof *reads);
					reads[nreads++] = (uint32_t)(k + b);
				}
		}
		o->nreads = nreads - o->first_read;
	}

	out->rs.magic = LR_TABLE_MAGIC;
	out->rs.format = LR_TABLE_FORMAT;
	out->rs.sizeof_insn = sizeof(lr_insn);
	out->rs.sizeof_rule = sizeof(lr_rule_def);
	out->rs.name = "";
	out->rs.version = "";
	out->rs.hash = "";
	out->rs.commit = NULL;
	out->rs.ninputs = c.nin;
	out->rs.nlets = c.nlet;
	out->rs.ntables = c.ntab;
	out->rs.nschedules = c.nsch;
	out->rs.nrules = c.nrule;
	out->rs.nsources = nsrc;
	out->rs.inputs = inputs;
	out->rs.lets = lets;
	out->rs.tables = tables;
	out->rs.rows = rows;
	out->rs.schedules = scheds;
	out->rs.phases = phases;
	out->rs.rules = rules;
	out->rs.actions = acts;
	out->rs.citations = cites;
	out->rs.sources = sources;
	{
		uint32_t *r = NEW(&c, uint32_t, nreads);
		if (nreads)
			memcpy(r, reads, sizeof *r * nreads);
		free(reads);
		out->rs.reads = r;
	}
	out->rs.overrides = ovr;
	out->rs.noverrides = novr;
	{
		lr_insn *code = NEW(&c, lr_insn, c.ncode);
		int64_t *k = NEW(&c, int64_t, c.nconsts);
		if (c.ncode)
			memcpy(code, c.code, sizeof(lr_insn) * c.ncode);
		if (c.nconsts)
			memcpy(k, c.consts, sizeof(int64_t) * c.nconsts);
		out->rs.code = code;
		out->rs.consts = k;
		out->rs.ncode = c.ncode;
		out->rs.nconsts = c.nconsts;
	}
	out->rs.max_actions = max_actions(inputs, c.nin, rules, c.nrule);
	out->rs.nsets = lower_nsets(&out->rs);
	free(c.pmap);
	free(c.nmap);
	free(rc.deps);
	free(c.kidx);
	free(c.code);
	free(c.consts);
	free(c.fold);
	return d->nerrors > errors ? -1 : 0;
}

/* ---- the set stack's bound (lr_ruleset.nsets) ----------------------------------
** The runtime's interpreter keeps one missing set per stack slot in the
** caller's scratch, and a program that loads a derived value, a table
** value or a schedule runs that one's program on top of its own slots;
** the runtime's own temporaries add a few.  need(p) bounds the sets in
** use while program p runs: its pushes (a bound of its depth) plus the
** most any value it loads needs (a schedule adds its four dates' sets).
** Values depend on each other without cycles (sema rejects them), so the
** longest chain is found by relaxing until nothing changes; a chain
** visits each value at most once, so the sum of them all bounds it when
** the relaxation takes too many passes. */

/* The most slots program p holds at once: its stack depth, followed
 * through the forward jumps (IF, JUMP, SKIP_*) as the interpreter takes
 * them.  A malformed program counts its length, which bounds any depth. */
static uint64_t prog_pushes(const lr_ruleset *rs, const lr_code *p)
{
	int *depth;
	uint32_t k;
	int most = 0;

	if (p->len == 0)
		return 0;
	depth = malloc(((size_t)p->len + 1) * sizeof *depth);
	if (!depth)
		abort();
	for (k = 0; k <= p->len; k++)
		depth[k] = -1;
	depth[0] = 0;
	for (k = 0; k < p->len; k++) {
		const lr_insn *in = &rs->code[p->start + k];
		int d = depth[k], next = d, to = -1, tod = d;
		uint64_t target;
		if (d < 0)
			continue;
		switch ((lr_opcode)in->op) {
		case LR_OP_CONST: case LR_OP_INPUT: case LR_OP_LET: case LR_OP_TABLE: case LR_OP_OVERDUE:
			next = d + 1;
			break;
		case LR_OP_NEG: case LR_OP_NOT: case LR_OP_KNOWN: case LR_OP_IN_SET: case LR_OP_DAY_OF_MONTH:
			break;
		case LR_OP_IF:
			/* then: c popped; else: c popped, past arg; unknown: c kept, onto the JUMP. */
			next = d - 1;
			tod = d - 1;
			target = (uint64_t)k + (uint64_t)(uint32_t)in->arg;
			if (in->arg >= 1 && target <= p->len && depth[target] < d)
				depth[target] = d;
			to = in->arg + 1;
			break;
		case LR_OP_JUMP:
			next = -1;
			to = in->arg + 1;
			break;
		case LR_OP_SKIP_FALSE: case LR_OP_SKIP_TRUE:
			to = in->arg + 1;
			break;
		default:
			next = d - 1; /* the binary operators */
			break;
		}
		if (in->arg < 0 && to >= 0) {
			free(depth);
			return p->len;
		}
		most = next > most ? next : most;
		most = d > most ? d : most;
		if (next >= 0 && depth[k + 1] < next)
			depth[k + 1] = next;
		if (to >= 0) {
			target = (uint64_t)k + (uint64_t)(uint32_t)to;
			if (target > p->len) {
				free(depth);
				return p->len;
			}
			if (depth[target] < tod)
				depth[target] = tod;
		}
	}
	free(depth);
	return (uint64_t)most + 1;
}

/* need(p) given the current bounds of lets (L), tables (T), schedules (S). */
static uint64_t prog_need(const lr_ruleset *rs, const lr_code *p, const uint64_t *L, const uint64_t *T,
			  const uint64_t *S)
{
	uint64_t dep = 0;
	uint32_t k;
	for (k = 0; k < p->len; k++) {
		const lr_insn *in = &rs->code[p->start + k];
		uint64_t d = 0;
		if (in->arg < 0)
			continue;
		if (in->op == LR_OP_LET && (uint32_t)in->arg < rs->nlets)
			d = L[in->arg];
		else if (in->op == LR_OP_TABLE && (uint32_t)in->arg < rs->ntables)
			d = T[in->arg];
		else if (in->op == LR_OP_OVERDUE && (uint32_t)in->arg < rs->nschedules)
			d = S[in->arg];
		dep = d > dep ? d : dep;
	}
	return prog_pushes(rs, p) + dep;
}

static uint64_t max4(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	uint64_t m = a > b ? a : b;
	m = m > c ? m : c;
	return m > d ? m : d;
}

/* One pass over every value; 1 when a bound grew. */
static int nsets_pass(const lr_ruleset *rs, uint64_t *L, uint64_t *T, uint64_t *S)
{
	uint32_t i;
	int grew = 0;
	for (i = 0; i < rs->nlets; i++) {
		uint64_t n = prog_need(rs, &rs->lets[i].code, L, T, S);
		grew |= n > L[i];
		L[i] = n > L[i] ? n : L[i];
	}
	for (i = 0; i < rs->ntables; i++) {
		uint64_t n = prog_need(rs, &rs->tables[i].key, L, T, S);
		grew |= n > T[i];
		T[i] = n > T[i] ? n : T[i];
	}
	for (i = 0; i < rs->nschedules; i++) {
		const lr_schedule_def *s = &rs->schedules[i];
		uint64_t n = 4 + max4(prog_need(rs, &s->anchor, L, T, S), prog_need(rs, &s->last, L, T, S),
				      prog_need(rs, &s->asof, L, T, S), prog_need(rs, &s->count, L, T, S));
		grew |= n > S[i];
		S[i] = n > S[i] ? n : S[i];
	}
	return grew;
}

uint32_t lower_nsets(const lr_ruleset *rs)
{
	uint64_t *L = calloc((size_t)rs->nlets + 1, sizeof *L), *T = calloc((size_t)rs->ntables + 1, sizeof *T),
		 *S = calloc((size_t)rs->nschedules + 1, sizeof *S), top = 0;
	uint32_t i, pass;
	int grew = 1;

	if (!L || !T || !S)
		abort();
	for (pass = 0; pass < 64 && grew; pass++)
		grew = nsets_pass(rs, L, T, S);
	if (grew) {
		/* Not settled: every value once on the chain. */
		uint64_t sum = 0;
		for (i = 0; i < rs->nlets; i++)
			sum += prog_pushes(rs, &rs->lets[i].code);
		for (i = 0; i < rs->ntables; i++)
			sum += prog_pushes(rs, &rs->tables[i].key);
		for (i = 0; i < rs->nschedules; i++)
			sum += 4 + prog_pushes(rs, &rs->schedules[i].anchor) + prog_pushes(rs, &rs->schedules[i].last) +
			       prog_pushes(rs, &rs->schedules[i].asof) + prog_pushes(rs, &rs->schedules[i].count);
		for (i = 0; i < rs->nlets; i++)
			L[i] = sum;
		for (i = 0; i < rs->ntables; i++)
			T[i] = sum;
		for (i = 0; i < rs->nschedules; i++)
			S[i] = sum;
	}
	/* The top: a rule's condition, its actions' amounts and due dates and
	 * their schedules, each below the runtime's three sets (the rule's, the
	 * fired actions', one action's). */
	for (i = 0; i < rs->nrules; i++) {
		const lr_rule_def *r = &rs->rules[i];
		uint32_t a;
		top = max4(top, prog_need(rs, &r->cond, L, T, S), 0, 0);
		for (a = 0; a < r->nactions; a++) {
			const lr_action_def *ad = &rs->actions[r->first_action + a];
			uint64_t sch = 0;
			if (ad->schedule >= 0 && (uint32_t)ad->schedule < rs->nschedules)
				sch = max4(S[ad->schedule], prog_need(rs, &rs->schedules[ad->schedule].amount, L, T, S), 0, 0);
			top = max4(top, prog_need(rs, &ad->amount, L, T, S), prog_need(rs, &ad->due, L, T, S), sch);
		}
	}
	free(L);
	free(T);
	free(S);
	top += 3;
	return top > UINT32_MAX ? UINT32_MAX : (uint32_t)top;
}

/* Compiles extra expressions of the checked tree against a lowered table
 * (verify's coverage probes each operand of a condition as its own
 * program): the table's code and constants are copied, the programs are
 * appended, and *code, *consts receive the new arrays (in a).  A program
 * too deep for the runtime's stack gets len 0. */
void lower_programs(const lowered *lw, arena *a, const expr *const *es, size_t n, lr_code *codes,
		    const lr_insn **code, uint32_t *ncode, const int64_t **consts, uint32_t *nconsts)
{
	lctx c;
	size_t i;
	lr_insn *outc;
	int64_t *outk;

	memset(&c, 0, sizeof c);
	c.fold = calloc(1, sizeof *c.fold);
	c.a = a;
	c.lw = (lowered *)lw;
	c.nin = lw->rs.ninputs;
	c.nlet = lw->rs.nlets;
	c.ntab = lw->rs.ntables;
	c.nsch = lw->rs.nschedules;
	c.nrule = lw->rs.nrules;
	for (i = 0; i < lw->rs.ncode; i++)
		emit(&c, lw->rs.code[i].op, lw->rs.code[i].flags, lw->rs.code[i].arg, 0);
	/* The table's constants keep their indices (they are distinct: konst
	 * shares equal ones), and the hash index is sized for them all, as
	 * konst keeps it: at most half full, so a probe always ends. */
	for (i = 0; i < lw->rs.nconsts; i++) {
		if (c.nconsts == c.capconsts)
			c.consts = grow(c.consts, &c.capconsts, sizeof(int64_t));
		c.consts[c.nconsts++] = lw->rs.consts[i];
	}
	c.capkidx = 256;
	while ((size_t)(c.nconsts + 1) * 2 > c.capkidx)
		c.capkidx *= 2;
	c.kidx = calloc(c.capkidx, sizeof *c.kidx);
	if (!c.kidx)
		abort();
	for (i = 0; i < c.nconsts; i++)
		c.kidx[konst_slot(&c, c.consts[i])] = (uint32_t)i + 1;
	for (i = 0; i < n; i++) {
		codes[i].start = c.ncode;
		codes[i].fn = NULL;
		c.depth = c.max_depth = 0;
		expr_code(&c, es[i]);
		codes[i].len = c.max_depth >= LR_MAX_STACK - 1 ? 0 : c.ncode - codes[i].start;
	}
	outc = NEW(&c, lr_insn, c.ncode);
	outk = NEW(&c, int64_t, c.nconsts);
	if (c.ncode)
		memcpy(outc, c.code, sizeof(lr_insn) * c.ncode);
	if (c.nconsts)
		memcpy(outk, c.consts, sizeof(int64_t) * c.nconsts);
	*code = outc;
	*ncode = c.ncode;
	*consts = outk;
	*nconsts = c.nconsts;
	free(c.kidx);
	free(c.code);
	free(c.consts);
	free(c.fold);
}

int lower_input_index(const lowered *lw, const decl *input)
{
	return find_index(lw->inputs, lw->rs.ninputs, input);
}

int lower_rule_index(const lowered *lw, const char *id)
{
	uint32_t i;
	for (i = 0; i < lw->rs.nrules; i++)
		if (strcmp(lw->rules[i]->id.name, id) == 0)
			return (int)i;
	return -1;
}
