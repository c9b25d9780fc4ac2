/*
** emit_native_fast.c: the typed entry NAME_eval of a generated rule set,
** straight-line code that reads the typed struct directly.
**
** Each rule runs first on a fast path: its condition, and when that holds
** its actions' amounts, due dates and schedules, on lr__val locals read
** from the struct's fields and presence bits.  Derived values, table
** values and schedules are computed lazily, at most once per evaluation,
** into the evaluation's own small state (lr_g_fs), not into the context.
** The fast path decides a rule whenever its result needs no missing set:
** a condition known false, or not applicable without an error, or known
** true with every action value known; it then writes the decisions
** itself.  Anything else (a missing condition or action value, any
** arithmetic or calendar error, an opcode it does not translate) sends
** that one rule to the exact path (emit_native.c's lr_g_rule_N on the
** context, which NAME_eval sets up on the first rule that needs it).  The
** fast path's caches only ever hold values the exact path computes too
** (an error marks the cache entry failed, and every later read of it
** falls back), so every rule's result is the interpreter's.
**
** Output is deterministic: everything is printed in table order.
*/
#define _POSIX_C_SOURCE 200809L
#include "emit_native.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rule sets of at most this many rules get one inlined NAME_eval. */
#define EF_INLINE_RULES 64
/* Larger rule sets get no fast path: it about doubles the generated C
 * (250 generated rules: 1.1 MB -> 2.0 MB, gcc -O2 30 s -> 46 s), and a set
 * this large needs its C small first (issue 12 item 3).  -D to test. */
#ifndef EF_FAST_MAX_RULES
#define EF_FAST_MAX_RULES 1000
#endif

typedef struct {
	FILE *f;
	const lr_ruleset *rs;
	const char *name;   /* the rule set's C name: NAME_input */
	const char *symbol; /* the table: lr_ruleset_NAME */
	int sets;           /* 1: missing sets tracked (one word: at most 64 inputs) */
	int inl;            /* 1: programs and rules inlined into NAME_eval (small rule sets) */
	/* Overrides applied by generated code: rule i's index among the rules
	 * that override others (oid) and among their targets (tid), -1: none. */
	int32_t *oid, *tid;
	uint32_t noid, ntid;
	uint64_t *seen;     /* programs printed: start << 32 | len */
	size_t nseen, cap;
	int oom;
} ef_gen;

/* ---- one program ------------------------------------------------------------------ */

/* Whether program code was printed already (an open-addressing set of
 * start << 32 | len + 1, so 0 marks a free slot); notes it if not. */
static int ef_seen(ef_gen *g, lr_code code)
{
	uint64_t key = ((uint64_t)code.start << 32 | code.len) + 1, h;
	size_t i;
	if (2 * (g->nseen + 1) > g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 256, k;
		uint64_t *p = calloc(cap, sizeof *p);
		if (!p) {
			g->oom = 1;
			return 1;
		}
		for (k = 0; k < g->cap; k++) {
			if (!g->seen[k])
				continue;
			h = g->seen[k] * UINT64_C(0x9E3779B97F4A7C15);
			for (i = (size_t)(h >> 20) & (cap - 1); p[i]; i = (i + 1) & (cap - 1))
				;
			p[i] = g->seen[k];
		}
		free(g->seen);
		g->seen = p;
		g->cap = cap;
	}
	h = key * UINT64_C(0x9E3779B97F4A7C15);
	for (i = (size_t)(h >> 20) & (g->cap - 1); g->seen[i]; i = (i + 1) & (g->cap - 1))
		if (g->seen[i] == key)
			return 1;
	g->seen[i] = key;
	g->nseen++;
	return 0;
}

/* Stack effect of an opcode the fast path translates; 0 for the others. */
static int ef_shape(int op, int *pops, int *pushes)
{
	*pushes = 1;
	switch (op) {
	case LR_OP_CONST: case LR_OP_INPUT: case LR_OP_LET: case LR_OP_TABLE: case LR_OP_OVERDUE:
		*pops = 0;
		return 1;
	case LR_OP_ADD: case LR_OP_SUB: case LR_OP_MUL: case LR_OP_DIV: case LR_OP_ADD_DAYS: case LR_OP_ADD_MONTHS:
	case LR_OP_LT: case LR_OP_LE: case LR_OP_GT: case LR_OP_GE: case LR_OP_EQ: case LR_OP_NE:
	case LR_OP_AND: case LR_OP_OR: case LR_OP_COALESCE: case LR_OP_MONTHS_BETWEEN:
		*pops = 2;
		return 1;
	case LR_OP_NEG: case LR_OP_NOT: case LR_OP_KNOWN: case LR_OP_IN_SET: case LR_OP_DAY_OF_MONTH:
		*pops = 1;
		return 1;
	case LR_OP_IF: case LR_OP_JUMP: case LR_OP_SKIP_FALSE: case LR_OP_SKIP_TRUE:
		*pops = 0;
		*pushes = 0;
		return 1;
	default:
		return 0;
	}
}

/* Whether instruction in's operand names something of the table. */
static int ef_operand_ok(const lr_ruleset *rs, const lr_insn *in)
{
	uint32_t a = (uint32_t)in->arg;
	switch (in->op) {
	case LR_OP_CONST: case LR_OP_IN_SET: return in->arg >= 0 && a < rs->nconsts;
	case LR_OP_INPUT: return in->arg >= 0 && a < rs->ninputs;
	case LR_OP_LET: return in->arg >= 0 && a < rs->nlets;
	case LR_OP_TABLE: return in->arg >= 0 && a < rs->ntables;
	case LR_OP_OVERDUE: return in->arg >= 0 && a < rs->nschedules;
	default: return 1;
	}
}

static int ef_flow(int *depth, uint32_t len, uint64_t to, int d)
{
	if (to > len || d < 0)
		return 0;
	if (depth[to] < 0)
		depth[to] = d;
	return depth[to] == d;
}

/* Stack depths before each instruction (-1: unreachable) and the jump
 * targets; 0 when the program is not one the fast path translates (then
 * it has no fast path: the exact path runs it). */
static int ef_depths(const lr_ruleset *rs, const lr_insn *code, uint32_t len, int *depth, unsigned char *label,
		     int *maxd)
{
	uint32_t i;
	int k;
	unsigned char used[LR_MAX_STACK + 1];

	memset(used, 0, sizeof used);
	for (i = 0; i <= len; i++)
		depth[i] = -1;
	depth[0] = 0;
	*maxd = 0;
	for (i = 0; i < len; i++) {
		const lr_insn *in = &code[i];
		int d = depth[i], pops, pushes;
		uint64_t next = (uint64_t)i + 1;
		if (d < 0)
			continue;
		if (d >= LR_MAX_STACK - 1 || !ef_shape(in->op, &pops, &pushes) || d < pops || !ef_operand_ok(rs, in))
			return 0;
		for (k = d - pops; k < d; k++)
			used[k] = 1;
		if (d - pops + pushes > *maxd)
			*maxd = d - pops + pushes;
		switch (in->op) {
		case LR_OP_IF:
			if (d < 1 || in->arg < 1 || !ef_flow(depth, len, i + (uint64_t)in->arg, d) ||
			    !ef_flow(depth, len, i + (uint64_t)in->arg + 1, d - 1) || !ef_flow(depth, len, next, d - 1))
				return 0;
			used[d - 1] = 1;
			label[i + (uint64_t)in->arg] = label[i + (uint64_t)in->arg + 1] = 1;
			break;
		case LR_OP_JUMP: case LR_OP_SKIP_FALSE: case LR_OP_SKIP_TRUE:
			if (in->arg < 0 || !ef_flow(depth, len, next + (uint64_t)in->arg, d))
				return 0;
			if (in->op != LR_OP_JUMP) {
				if (d < 1 || !ef_flow(depth, len, next, d))
					return 0;
				used[d - 1] = 1;
			}
			label[next + (uint64_t)in->arg] = 1;
			break;
		default:
			if (!ef_flow(depth, len, next, d - pops + pushes))
				return 0;
			break;
		}
	}
	if (depth[len] <= 0)
		return 0;
	used[depth[len] - 1] = 1;
	for (k = 0; k < *maxd; k++)
		if (!used[k])
			return 0; /* a value nobody reads: compilers would warn */
	return 1;
}

/* Whether a reachable instruction is a binary operation (its code uses t). */
static int ef_has_binary(const lr_insn *code, uint32_t len, const int *depth)
{
	uint32_t i;
	int pops, pushes;
	for (i = 0; i < len; i++)
		if (depth[i] >= 0 && ef_shape(code[i].op, &pops, &pushes) && pops == 2)
			return 1;
	return 0;
}

/* The value of input i read from the struct. */
static void ef_input(ef_gen *g, uint32_t i)
{
	fprintf(g->f, "lr__fx_pin(s->in->present[%" PRIu32 "], %" PRIu32 "u, ", i / 64, i % 64);
	if (g->rs->inputs[i].type == LR_T_NUM) {
		fputs("s->in->", g->f);
		en_field(g->f, g->rs, i, 0);
		fputs(".v)", g->f);
	} else {
		fputs("(int64_t)s->in->", g->f);
		en_field(g->f, g->rs, i, 0);
		fputc(')', g->f);
	}
}

static const char *ef_helper(int op)
{
	switch (op) {
	case LR_OP_ADD: return "lr_dec_add";
	case LR_OP_SUB: return "lr_dec_sub";
	case LR_OP_MUL: return "lr_dec_mul";
	case LR_OP_DIV: return "lr_dec_div";
	case LR_OP_LT: return "lr__cmp_lt";
	case LR_OP_LE: return "lr__cmp_le";
	case LR_OP_GT: return "lr__cmp_gt";
	case LR_OP_GE: return "lr__cmp_ge";
	case LR_OP_EQ: return "lr__cmp_eq";
	case LR_OP_NE: return "lr__cmp_ne";
	case LR_OP_AND: return "lr__and";
	case LR_OP_OR: return "lr__or";
	case LR_OP_MONTHS_BETWEEN: return "lr__months_between";
	default: return "lr__coalesce";
	}
}

/* A binary result's set in slot a, from the operand a saved in t (put2). */
static void ef_set2(ef_gen *g, int a, int b)
{
	fprintf(g->f, "\tif (f%d.k != 1)\n\t\tm%d = lr__fx_m2(t, m%d, f%d, m%d);\n", a, a, a, b, b);
}

/* One instruction at depth d (its index at, for labels). */
static void ef_insn(ef_gen *g, const lr_insn *in, int d, uint64_t at)
{
	FILE *f = g->f;
	int a = d - 2, b = d - 1;
	switch (in->op) {
	case LR_OP_CONST:
		fprintf(f, "\tf%d = lr__mk(", d);
		en_i64(f, g->rs->consts[in->arg]);
		fprintf(f, ");\n\tm%d = 0;\n", d);
		return;
	case LR_OP_INPUT:
		/* The set of an absent input: itself, or nothing for a probe
		 * ("x is missing") or when sets do not fit a word (no sets). */
		fprintf(f, "\tf%d = ", d);
		ef_input(g, (uint32_t)in->arg);
		if (g->sets && !(in->flags & 1))
			fprintf(f, ";\n\tm%d = UINT64_C(1) << %" PRId32 ";\n", d, in->arg);
		else
			fprintf(f, ";\n\tm%d = 0;\n", d);
		return;
	case LR_OP_LET: case LR_OP_TABLE:
		fprintf(f, "\tif (!lr_g_f%c_%" PRId32 "(s, &f%d, &m%d))\n\t\treturn 0;\n", in->op == LR_OP_LET ? 'l' : 't',
			in->arg, d, d);
		return;
	case LR_OP_OVERDUE:
		fprintf(f, "\tif (!lr_g_fsv_%" PRId32 "(s))\n\t\treturn 0;\n\tf%d = lr__fx_sched_overdue(&s->sv[%" PRId32
			   "]);\n\tm%d = s->svm[%" PRId32 "];\n", in->arg, d, in->arg, d, in->arg);
		return;
	case LR_OP_ADD: case LR_OP_SUB: case LR_OP_MUL: case LR_OP_DIV:
		/* The set only when the result is not known (rare). */
		if (in->op == LR_OP_MUL)
			fprintf(f, "\tt = f%d;\n\tif (!lr__fx_mul(&f%d, f%d))\n\t\treturn 0;\n", a, a, b);
		else
			fprintf(f, "\tt = f%d;\n\tif (!lr__fx_dec(%s, &f%d, f%d))\n\t\treturn 0;\n", a, ef_helper(in->op),
				a, b);
		ef_set2(g, a, b);
		return;
	case LR_OP_NEG:
		fprintf(f, "\tif (!lr__fx_neg(&f%d))\n\t\treturn 0;\n", b);
		return;
	case LR_OP_ADD_DAYS: case LR_OP_ADD_MONTHS:
		if (in->op == LR_OP_ADD_MONTHS)
			fprintf(f, "\tt = f%d;\n\tif (!lr__fx_shift_months(&s->mc, %" PRId32 ", &f%d, f%d))\n\t\treturn 0;\n", a,
				in->arg, a, b);
		else
			fprintf(f, "\tt = f%d;\n\tif (!lr__fx_shift(0, %" PRId32 ", &f%d, f%d))\n\t\treturn 0;\n", a, in->arg,
				a, b);
		ef_set2(g, a, b);
		return;
	case LR_OP_NOT: case LR_OP_KNOWN: case LR_OP_DAY_OF_MONTH:
		/* Unary: a result not known keeps its operand's set. */
		fprintf(f, "\tf%d = %s(f%d);\n", b,
			in->op == LR_OP_NOT ? "lr__not" : in->op == LR_OP_KNOWN ? "lr__known" : "lr__day_of_month", b);
		return;
	case LR_OP_IN_SET:
		fprintf(f, "\tf%d = lr__in_set(f%d, ", b, b);
		en_i64(f, g->rs->consts[in->arg]);
		fputs(");\n", f);
		return;
	case LR_OP_IF:
		fprintf(f, "\tswitch (lr__if(f%d)) {\n\tcase LR__UNKNOWN: goto F%" PRIu64 ";\n"
			   "\tcase LR__ELSE: goto F%" PRIu64 ";\n\tdefault: break;\n\t}\n",
			b, at + (uint64_t)in->arg, at + (uint64_t)in->arg + 1);
		return;
	case LR_OP_JUMP:
		fprintf(f, "\tgoto F%" PRIu64 ";\n", at + 1 + (uint64_t)in->arg);
		return;
	case LR_OP_SKIP_FALSE: case LR_OP_SKIP_TRUE:
		fprintf(f, "\tif (lr__skip_%s(f%d))\n\t\tgoto F%" PRIu64 ";\n",
			in->op == LR_OP_SKIP_FALSE ? "false" : "true", b, at + 1 + (uint64_t)in->arg);
		return;
	default: /* the other binary opcodes: no error */
		fprintf(f, "\tt = f%d;\n\tf%d = %s(f%d, f%d);\n", a, a, ef_helper(in->op), a, b);
		ef_set2(g, a, b);
		return;
	}
}

/* The fast function of program code, once per distinct program:
 * `int lr_g_fp_START_LEN(lr_g_fs *s, lr__val *r)`, 1 with the value in *r,
 * 0 to fall back.  Empty programs get none (ef_call). */
static void ef_prog(ef_gen *g, lr_code code)
{
	const lr_ruleset *rs = g->rs;
	int *depth;
	unsigned char *label;
	int maxd = 0, k, ok;
	uint32_t i;

	if (code.len == 0 || ef_seen(g, code))
		return;
	fprintf(g->f, "%s int lr_g_fp_%" PRIu32 "_%" PRIu32 "(lr_g_fs *s, lr__val *r, uint64_t *rm)\n{\n",
		g->inl ? "LR__FXI" : "LR__FX", code.start, code.len);
	ok = rs->code && code.start <= rs->ncode && code.len <= rs->ncode - code.start;
	depth = malloc(((size_t)code.len + 1) * sizeof *depth);
	label = calloc((size_t)code.len + 1, 1);
	if (!depth || !label) {
		g->oom = 1;
		ok = 0;
	}
	if (ok)
		ok = ef_depths(rs, rs->code + code.start, code.len, depth, label, &maxd);
	if (!ok) {
		fputs("\t(void)s;\n\t(void)r;\n\t(void)rm;\n\treturn 0; /* the exact path runs it */\n}\n\n", g->f);
		free(depth);
		free(label);
		return;
	}
	fputs("\tlr__val", g->f);
	for (k = 0; k < maxd; k++)
		fprintf(g->f, "%s f%d", k ? "," : "", k);
	if (ef_has_binary(rs->code + code.start, code.len, depth))
		fputs(", t", g->f);
	fputs(";\n\tuint64_t", g->f);
	for (k = 0; k < maxd; k++)
		fprintf(g->f, "%s m%d", k ? "," : "", k);
	fputs(";\n\n\t(void)s; /* constants only: no input */\n", g->f);
	for (i = 0; i < code.len; i++) {
		if (label[i])
			fprintf(g->f, "F%" PRIu64 ":\n", (uint64_t)code.start + i);
		if (depth[i] >= 0)
			ef_insn(g, &rs->code[code.start + i], depth[i], (uint64_t)code.start + i);
	}
	if (label[code.len])
		fprintf(g->f, "F%" PRIu64 ":\n", (uint64_t)code.start + code.len);
	fprintf(g->f, "\t*r = f%d;\n\t*rm = m%d;\n\treturn 1;\n}\n\n", depth[code.len] - 1, depth[code.len] - 1);
	free(depth);
	free(label);
}

/* An expression: 1 with program code's value in dst, 0 to fall back; an
 * empty program gives empty (its value in the interpreter). */
static void ef_call(ef_gen *g, lr_code code, const char *dst, const char *dstm, const char *empty)
{
	if (code.len == 0)
		fprintf(g->f, "(%s = %s, %s = 0, 1)", dst, empty, dstm);
	else
		fprintf(g->f, "lr_g_fp_%" PRIu32 "_%" PRIu32 "(s, &%s, &%s)", code.start, code.len, dst, dstm);
}

/* ---- derived values, tables, schedules ------------------------------------------- */

/* Let or table i's lazy value: state 0 to do, 1 known, 2 failed (the
 * exact path computes it, error included).  lr_g_fXc_I computes it, out
 * of line; lr_g_fX_I, inline, tests the state first. */
static void ef_cached_head(ef_gen *g, char kind, uint32_t i)
{
	fprintf(g->f, "LR__FX void lr_g_f%cc_%" PRIu32 "(lr_g_fs *s)\n{\n\t{\n\t\ts->%ck[%" PRIu32 "] = 2;\n", kind, i,
		kind, i);
}

static void ef_cached_tail(ef_gen *g)
{
	fputs("\t}\n}\n\n", g->f);
}

static void ef_accessor(ef_gen *g, char kind, uint32_t i)
{
	fprintf(g->f, "LR__FXI int lr_g_f%c_%" PRIu32 "(lr_g_fs *s, lr__val *r, uint64_t *rm)\n{\n"
		      "\tif (s->%ck[%" PRIu32 "] == 0)\n\t\tlr_g_f%cc_%" PRIu32 "(s);\n"
		      "\t*r = s->%cv[%" PRIu32 "];\n\t*rm = s->%cm[%" PRIu32 "];\n\treturn s->%ck[%" PRIu32 "] == 1;\n}\n\n",
		kind, i, kind, i, kind, i, kind, i, kind, i, kind, i);
}

static void ef_sched_accessor(ef_gen *g, uint32_t i)
{
	fprintf(g->f, "LR__FXI int lr_g_fsv_%" PRIu32 "(lr_g_fs *s)\n{\n\tif (s->sk[%" PRIu32 "] == 0)\n"
		      "\t\tlr_g_fsvc_%" PRIu32 "(s);\n\treturn s->sk[%" PRIu32 "] == 1;\n}\n\n", i, i, i, i);
}

static void ef_let(ef_gen *g, uint32_t i)
{
	char dst[48], dstm[48];
	ef_cached_head(g, 'l', i);
	snprintf(dst, sizeof dst, "s->lv[%" PRIu32 "]", i);
	snprintf(dstm, sizeof dstm, "s->lm[%" PRIu32 "]", i);
	fputs("\t\tif (", g->f);
	ef_call(g, g->rs->lets[i].code, dst, dstm, "lr__na()");
	fprintf(g->f, ")\n\t\t\ts->lk[%" PRIu32 "] = 1;\n", i);
	ef_cached_tail(g);
}

/* One row's test on the key x, with constants. */
static void ef_row(FILE *f, const lr_row_def *row)
{
	int any = 0;
	if (!row->lo_inf) {
		fputs(row->lo_open ? "x.v > " : "x.v >= ", f);
		en_i64(f, row->lo);
		any = 1;
	}
	if (!row->hi_inf) {
		fputs(any ? " && " : "", f);
		fputs(row->hi_open ? "x.v < " : "x.v <= ", f);
		en_i64(f, row->hi);
		any = 1;
	}
	if (!any)
		fputs("1", f);
}

/* As eval.c's lr__table_value: the key's value when it is not known, else
 * the first matching row's (not applicable for "gives nothing" or none). */
static void ef_table(ef_gen *g, uint32_t i)
{
	const lr_table_def *t = &g->rs->tables[i];
	uint32_t r;
	ef_cached_head(g, 't', i);
	fputs("\t\tlr__val x;\n\t\tuint64_t xm;\n\t\tif (", g->f);
	ef_call(g, t->key, "x", "xm", "lr__na()");
	/* A key not known: its value and set; known: no set. */
	fprintf(g->f, ") {\n\t\t\ts->tk[%" PRIu32 "] = 1;\n\t\t\ts->tm[%" PRIu32 "] = x.k != 1 ? xm : 0;\n"
		      "\t\t\tif (x.k != 1)\n\t\t\t\ts->tv[%" PRIu32 "] = x;\n", i, i, i);
	for (r = 0; r < t->nrows; r++) {
		const lr_row_def *row = &g->rs->rows[t->first_row + r];
		fputs("\t\t\telse if (", g->f);
		ef_row(g->f, row);
		fprintf(g->f, ")\n\t\t\t\ts->tv[%" PRIu32 "] = ", i);
		if (row->has_value) {
			fputs("lr__mk(", g->f);
			en_i64(g->f, row->value);
			fputs(");\n", g->f);
		} else {
			fputs("lr__na();\n", g->f);
		}
	}
	fprintf(g->f, "\t\t\telse\n\t\t\t\ts->tv[%" PRIu32 "] = lr__na();\n\t\t}\n", i);
	ef_cached_tail(g);
}

/* Schedule i's state in s->sv[i]: 1 when computed, 0 to fall back. */
static void ef_sched(ef_gen *g, uint32_t i)
{
	const lr_schedule_def *sc = &g->rs->schedules[i];
	FILE *f = g->f;
	fprintf(f, "LR__FX void lr_g_fsvc_%" PRIu32 "(lr_g_fs *s)\n{\n\t{\n"
		   "\t\tlr__val a, l, o, n;\n\t\tuint64_t am, lm, om, nm;\n\t\ts->sk[%" PRIu32 "] = 2;\n\t\tif (", i, i);
	ef_call(g, sc->anchor, "a", "am", "lr__na()");
	fputs(" && ", f);
	ef_call(g, sc->last, "l", "lm", "lr__na()");
	fputs(" && ", f);
	ef_call(g, sc->asof, "o", "om", "lr__na()");
	fputs(" && ", f);
	ef_call(g, sc->count, "n", "nm", "lr__mk(0)");
	/* Not known: the union of the sets of the values not known. */
	fprintf(f, " &&\n\t\t    lr__nat_sched(&%s, %" PRIu32 "u, a, l, o, n, &s->sv[%" PRIu32 "])) {\n"
		   "\t\t\ts->sk[%" PRIu32 "] = 1;\n\t\t\ts->svm[%" PRIu32 "] = lr__fx_m2(a, am, l, lm) | lr__fx_m2(o, om, n, nm);\n"
		   "\t\t}\n\t}\n}\n\n",
		g->symbol, i, i, i, i);
}

/* ---- rules ------------------------------------------------------------------------ */

/* The fast path's report of the absent inputs in set m for rule ri. */
static void ef_report(ef_gen *g, const char *m, uint32_t ri, const char *indent)
{
	fprintf(g->f, "%slr__nat_report_word(s->c, s->out, &%s, &s->rep, %s, %" PRIu32 "u);\n", indent, g->symbol, m, ri);
}

/* One action of rule ri on the fast path: its values folded into st and
 * miss (lr__action_values), stored while st is 1 (nat_store); undo on an
 * error. */
static void ef_action(ef_gen *g, uint32_t ri, uint32_t a)
{
	const lr_ruleset *rs = g->rs;
	const lr_rule_def *r = &rs->rules[ri];
	const lr_action_def *ad = &rs->actions[r->first_action + a];
	FILE *f = g->f;
	int sched = ad->schedule >= 0 && (uint32_t)ad->schedule < rs->nschedules;

	fprintf(f, "\t/* action %" PRIu32 " */\n", a);
	if (ad->amount.len) {
		fputs("\tif (!", f);
		ef_call(g, ad->amount, "am", "amm", "lr__na()");
		fputs(")\n\t\tgoto undo;\n\tst = lr__fx_worse(st, am.k, amm, &miss);\n", f);
	}
	if (ad->due.len) {
		fputs("\tif (!", f);
		ef_call(g, ad->due, "du", "dum", "lr__na()");
		fputs(")\n\t\tgoto undo;\n\tst = lr__fx_worse(st, du.k, dum, &miss);\n", f);
	}
	if (sched) {
		fputs("\tif (!", f);
		ef_call(g, rs->schedules[ad->schedule].amount, "am", "amm", "lr__na()");
		fprintf(f, " || !lr_g_fsv_%" PRId32 "(s))\n\t\tgoto undo;\n\tst = lr__fx_worse(st, am.k, amm, &miss);\n"
			   "\tst = lr__fx_worse(st, s->sv[%" PRId32 "].k, s->svm[%" PRId32 "], &miss);\n",
			ad->schedule, ad->schedule, ad->schedule);
	}
	fprintf(f, "\tif (st == 1) {\n\t\tif (o->ndecisions >= o->capacity)\n\t\t\tgoto undo;\n"
		   "\t\td = &o->decisions[o->ndecisions++];\n"
		   "\t\td->rule = %" PRIu32 "u;\n\t\td->action = %" PRIu32 "u;\n\t\td->overridden_by = LR_LIVE;\n",
		ri, r->first_action + a);
	fprintf(f, "\t\td->amount.v = %s;\n\t\td->due = %s;\n", (sched || ad->amount.len) ? "am.v" : "0",
		ad->due.len ? "(lr_date)du.v" : "0");
	if (sched)
		fprintf(f, "\t\tlr__fx_store_sched(d, &s->sv[%" PRId32 "], %" PRIu32 "u);\n", ad->schedule,
			rs->schedules[ad->schedule].first_phase);
	else
		fputs("\t\td->phase = -1;\n\t\td->next_due = 0;\n\t\td->overdue = 0;\n", f);
	fputs("\t}\n", f);
}

/* lr_g_fire_N: rule N's actions on the fast path (nat_fire); 0, with
 * nothing stored or reported, to fall back. */
static void ef_fire(ef_gen *g, uint32_t ri)
{
	const lr_rule_def *r = &g->rs->rules[ri];
	FILE *f = g->f;
	uint32_t a;
	int amounts = 0, dues = 0;

	if (r->nactions == 0) {
		fprintf(f, "%s int lr_g_fire_%" PRIu32 "(lr_g_fs *s)\n{\n\t%s\n\treturn 1;\n}\n\n",
			g->inl ? "LR__FXI" : "LR__FX", ri, r->noverrides ? "s->ov = 1;" : "(void)s;");
		return;
	}
	for (a = 0; a < r->nactions; a++) {
		const lr_action_def *ad = &g->rs->actions[r->first_action + a];
		amounts |= ad->amount.len != 0 || ad->schedule >= 0;
		dues |= ad->due.len != 0;
	}
	fprintf(f, "%s int lr_g_fire_%" PRIu32 "(lr_g_fs *s)\n{\n\tlr_decisions *o = s->out;\n"
		   "\tuint32_t first = o->ndecisions;\n\tlr_decision *d;\n\tint st = 1;\n\tuint64_t miss = 0;\n",
		g->inl ? "LR__FXI" : "LR__FX", ri);
	if (amounts)
		fputs("\tlr__val am;\n\tuint64_t amm;\n", f);
	if (dues)
		fputs("\tlr__val du;\n\tuint64_t dum;\n", f);
	fputc('\n', f);
	for (a = 0; a < r->nactions; a++)
		ef_action(g, ri, a);
	fputs("\tif (st == 1) {\n", f);
	if (r->noverrides)
		fprintf(f, "\t\ts->ov = 1;\n\t\ts->of[%" PRId32 "] = 1;\n", g->oid[ri]);
	if (g->tid[ri] >= 0)
		fprintf(f, "\t\ts->tf[%" PRId32 "] = first;\n\t\ts->tn[%" PRId32 "] = o->ndecisions - first;\n",
			g->tid[ri], g->tid[ri]);
	fputs("\t\treturn 1;\n\t}\n\t(void)miss;\n\to->ndecisions = first;\n", f);
	if (g->sets) {
		fputs("\tif (st == 0)\n", f);
		ef_report(g, "miss", ri, "\t\t");
		fputs("\treturn 1;\n", f);
	} else {
		fputs("\treturn st != 0; /* no sets: the exact path reports */\n", f);
	}
	fputs("undo:\n\to->ndecisions = first;\n\treturn 0;\n}\n\n", f);
}

/* lr_g_tr_N: rule N, fast path first. */
static void ef_rule(ef_gen *g, uint32_t ri)
{
	const lr_rule_def *r = &g->rs->rules[ri];
	FILE *f = g->f;
	int guarded = r->guard_input >= 0 && (uint32_t)r->guard_input < g->rs->ninputs;

	fprintf(f, "%s void lr_g_tr_%" PRIu32 "(lr_g_fs *s)\n{\n\tlr__val v;\n\tuint64_t vm;\n\n",
		g->inl ? "LR__FXI" : "LR__FXN", ri);
	if (guarded) {
		uint32_t gi = (uint32_t)r->guard_input;
		/* lr__nat_guarded on the struct: known, and outside the mask. */
		fprintf(f, "\tv = ");
		ef_input(g, gi);
		fprintf(f, ";\n\tif (v.k && (uint64_t)v.v < 64u && !((UINT64_C(0x%016" PRIx64 ") >> v.v) & 1u))\n\t\treturn;\n",
			r->guard_mask);
	}
	fputs("\tif (", f);
	ef_call(g, r->cond, "v", "vm", "lr__mk(1)");
	fprintf(f, ") {\n\t\tif (v.k == 1 && v.v) {\n\t\t\tif (lr_g_fire_%" PRIu32 "(s)) {\n\t\t\t\tLR__FX_COUNT(0);\n"
		   "\t\t\t\treturn;\n\t\t\t}\n\t\t} else if (v.k != 0) {\n\t\t\tLR__FX_COUNT(0);\n\t\t\treturn;\n\t\t}",
		ri);
	if (g->sets) {
		fputs(" else {\n", f);
		ef_report(g, "vm", ri, "\t\t\t");
		fputs("\t\t\tLR__FX_COUNT(0);\n\t\t\treturn;\n\t\t}\n", f);
	} else {
		fputs("\n\t\t(void)vm;\n", f);
	}
	fprintf(f, "\t}\n\tLR__FX_COUNT(1);\n\tlr_g_rule_%" PRIu32 "(lr_g_ctx(s));\n}\n\n", ri);
}

/* ---- the evaluation's state and the entry ------------------------------------------ */

static void ef_state(ef_gen *g)
{
	const lr_ruleset *rs = g->rs;
	uint32_t nl = rs->nlets ? rs->nlets : 1, nt = rs->ntables ? rs->ntables : 1,
		 ns = rs->nschedules ? rs->nschedules : 1;
	fputs("\n/* ---- The typed entry (emit_native_fast.c) ------------------------------\n"
	      "** One evaluation's state: the patient, the result, derived values, table\n"
	      "** values and schedules computed on the fast path (state 0 to do, 1 known,\n"
	      "** 2 failed: the exact path computes it), and the exact path's context,\n"
	      "** set up on first need (c is NULL until then). */\ntypedef struct {\n\tconst ", g->f);
	en_ident(g->f, g->name, 0);
	fprintf(g->f, "_input *in;\n\tlr_decisions *out;\n\tlr__ctx *c, *cx;\n\tvoid *scratch; /* the caller's, checked by lr__nat_start */\n\tsize_t size;\n\tuint8_t *st;\n\tint64_t *v;\n\tint ov;\n"
		      "\tuint64_t rep; /* inputs reported while c is NULL */\n"
		      "\tlr__fx_months mc; /* month additions of this evaluation */\n"
		      "\tuint8_t lk[%" PRIu32 "], tk[%" PRIu32 "], sk[%" PRIu32 "];\n\tlr__val lv[%" PRIu32
		      "], tv[%" PRIu32 "];\n\tuint64_t lm[%" PRIu32 "], tm[%" PRIu32 "], svm[%" PRIu32 "];\n"
		      "\tlr__fx_sched sv[%" PRIu32 "];\n"
		      "\t/* overrides: which overriding rules fired (of), where the decisions of\n"
		      "\t * the rules they override are (tf, tn) */\n"
		      "\tuint8_t of[%" PRIu32 "];\n\tuint32_t tf[%" PRIu32 "], tn[%" PRIu32 "];\n} lr_g_fs;\n\n",
		nl, nt, ns, nl, nt, nl, nt, ns, ns, g->noid ? g->noid : 1, g->ntid ? g->ntid : 1, g->ntid ? g->ntid : 1);
}

/* lr_g_load: the struct into state and value arrays (the exact path's
 * context and the range errors read those). */
static void ef_load(ef_gen *g, int with_ctx)
{
	const lr_ruleset *rs = g->rs;
	FILE *f = g->f;
	uint32_t i;
	fputs("static void lr_g_load(const ", f);
	en_ident(f, g->name, 0);
	fputs("_input *in, uint8_t *st, int64_t *v)\n{\n", f);
	if (rs->ninputs == 0)
		fputs("\t(void)in;\n\tst[0] = 0;\n\tv[0] = 0;\n", f);
	for (i = 0; i < rs->ninputs; i++) {
		fprintf(f, "\tst[%" PRIu32 "] = (uint8_t)((in->present[%" PRIu32 "] >> %" PRIu32 ") & 1u);\n\tv[%" PRIu32 "] = ",
			i, i / 64, i % 64, i);
		if (rs->inputs[i].type == LR_T_NUM) {
			fputs("in->", f);
			en_field(f, rs, i, 0);
			fputs(".v;\n", f);
		} else {
			fputs("(int64_t)in->", f);
			en_field(f, rs, i, 0);
			fputs(";\n", f);
		}
	}
	fputs("}\n\n", f);
	if (!with_ctx)
		return;
	fprintf(f, "/* The exact path's context, set up on the first rule that needs it. */\n"
		   "static lr__ctx *lr_g_ctx(lr_g_fs *s)\n{\n\tif (!s->c) {\n\t\tlr_g_load(s->in, s->st, s->v);\n"
		   "\t\t(void)lr__nat_begin(s->cx, s->out, &%s, s->st, s->v, s->rep, s->scratch, s->size);\n\t\ts->c = s->cx;\n\t}\n\treturn s->c;\n}\n\n",
		g->symbol);
}

/* Input i's range test with constants, on the struct. */
static void ef_range(ef_gen *g, uint32_t i)
{
	const lr_input_def *in = &g->rs->inputs[i];
	FILE *f = g->f;
	if (in->type == LR_T_DATE || (in->type == LR_T_NUM && !in->has_range))
		return;
	fprintf(f, "\tbad |= (int)((in->present[%" PRIu32 "] >> %" PRIu32 ") & 1u) & (", i / 64, i % 64);
	switch (in->type) {
	case LR_T_NUM:
		fputs("(in->", f);
		en_field(f, g->rs, i, 0);
		fputs(".v < ", f);
		en_i64(f, in->lo);
		fputs(") | (in->", f);
		en_field(f, g->rs, i, 0);
		fputs(".v > ", f);
		en_i64(f, in->hi);
		fputs("));\n", f);
		return;
	case LR_T_ENUM:
		fputs("(uint64_t)(int64_t)in->", f);
		en_field(f, g->rs, i, 0);
		fprintf(f, " >= %" PRIu32 "u);\n", in->nvalues);
		return;
	default:
		fputs("(uint64_t)(int64_t)in->", f);
		en_field(f, g->rs, i, 0);
		fputs(" > 1u);\n", f);
		return;
	}
}

/* lr_g_fx_overrides: nat_ov_apply with constants, for decisions all made on
 * the fast path: each overriding rule that fired, in rule order, marks
 * the decisions of the rules it overrides not marked yet (the lowest
 * overriding rule wins, as in the runtime). */
static void ef_overrides(ef_gen *g)
{
	const lr_ruleset *rs = g->rs;
	FILE *f = g->f;
	uint32_t i, k;

	if (!g->noid)
		return;
	fputs("static void lr_g_fx_overrides(lr_g_fs *s)\n{\n\tlr_decision *d = s->out->decisions;\n\tuint32_t k;\n\n", f);
	for (i = 0; i < rs->nrules; i++) {
		const lr_rule_def *r = &rs->rules[i];
		if (g->oid[i] < 0)
			continue;
		fprintf(f, "\tif (s->of[%" PRId32 "]) { /* %" PRIu32 " */\n", g->oid[i], i);
		for (k = 0; k < r->noverrides; k++) {
			uint32_t t = rs->overrides[r->first_override + k];
			if (t >= rs->nrules || g->tid[t] < 0)
				continue;
			fprintf(f, "\t\tfor (k = s->tf[%" PRId32 "]; k < s->tf[%" PRId32 "] + s->tn[%" PRId32 "]; k++)\n"
				   "\t\t\tif (d[k].overridden_by == LR_LIVE)\n\t\t\t\td[k].overridden_by = %" PRIu32 "u;\n",
				g->tid[t], g->tid[t], g->tid[t], i);
		}
		fputs("\t}\n", f);
	}
	fputs("}\n\n", f);
}

static void ef_eval(ef_gen *g)
{
	const lr_ruleset *rs = g->rs;
	FILE *f = g->f;
	uint32_t i, n = rs->ninputs ? rs->ninputs : 1;

	fputs("/* The typed entry point (the header says what it does): the ranges with\n"
	      "** constants, then every rule in order, fast path first. */\nint ", f);
	en_ident(f, g->name, 0);
	fputs("_eval_scratch(lr_decisions *out, const ", f);
	en_ident(f, g->name, 0);
	fprintf(f, "_input *in, void *scratch, size_t size)\n{\n\tlr__ctx cx;\n\tuint8_t st[%" PRIu32 "];\n\tint64_t v[%" PRIu32 "];\n"
		   "\tlr_g_fs s;\n\tint bad = 0, rc;\n\n\tif (!in)\n\t\treturn LR_EINVAL;\n", n, n);
	for (i = 0; i < rs->ninputs; i++)
		ef_range(g, i);
	fprintf(f, "\tif (bad) {\n\t\tlr_g_load(in, st, v);\n\t\treturn lr__nat_run_scratch(out, &%s, st, v, 1, scratch, size);\n\t}\n"
		   "\tif ((rc = lr__nat_start(out, &%s, scratch, size)) != LR_OK)\n\t\treturn rc;\n"
		   "\ts.in = in;\n\ts.out = out;\n\ts.c = NULL;\n\ts.cx = &cx;\n\ts.scratch = scratch;\n\ts.size = size;\n"
		   "\ts.st = st;\n\ts.v = v;\n\ts.ov = 0;\n\ts.rep = 0;\n\ts.mc.n = 0;\n"
		   "\tmemset(s.lk, 0, sizeof s.lk);\n\tmemset(s.tk, 0, sizeof s.tk);\n\tmemset(s.sk, 0, sizeof s.sk);\n",
		g->symbol, g->symbol);
	if (g->noid)
		fputs("\tmemset(s.of, 0, sizeof s.of);\n\tmemset(s.tn, 0, sizeof s.tn);\n", f);
	for (i = 0; i < rs->nrules; i++)
		fprintf(f, "\tlr_g_tr_%" PRIu32 "(&s);\n", i);
	/* Every rule on the fast path: the overrides with constants here,
	 * the runtime only partitions; else the runtime does both. */
	if (g->noid)
		fprintf(f, "\tif (!s.c && s.ov) {\n\t\tlr_g_fx_overrides(&s);\n\t\treturn lr__nat_end(out, &%s, 2);\n\t}\n",
			g->symbol);
	fprintf(f, "\treturn lr__nat_end(out, &%s, s.ov | (s.c ? s.c->overrides_fired : 0));\n}\n", g->symbol);
}

/* NAME_eval of a rule set too large for a fast path: the ranges, then
 * every rule on the exact path (lr_g_native). */
static void ef_eval_exact(ef_gen *g)
{
	const lr_ruleset *rs = g->rs;
	FILE *f = g->f;
	uint32_t i, n = rs->ninputs ? rs->ninputs : 1;

	ef_load(g, 0);
	fputs("/* The typed entry point (the header says what it does). */\nint ", f);
	en_ident(f, g->name, 0);
	fputs("_eval_scratch(lr_decisions *out, const ", f);
	en_ident(f, g->name, 0);
	fprintf(f, "_input *in, void *scratch, size_t size)\n{\n\tuint8_t st[%" PRIu32 "];\n\tint64_t v[%" PRIu32 "];\n\tint bad = 0;\n\n"
		   "\tif (!in)\n\t\treturn LR_EINVAL;\n", n, n);
	for (i = 0; i < rs->ninputs; i++)
		ef_range(g, i);
	fprintf(f, "\tlr_g_load(in, st, v);\n\treturn lr__nat_run_scratch(out, &%s, st, v, bad, scratch, size);\n}\n",
		g->symbol);
}

char *en_typed(const lr_ruleset *rs, const char *name, const char *symbol, int native, int *oom)
{
	ef_gen g;
	char *text = NULL;
	size_t n = 0;
	uint32_t i, a;

	memset(&g, 0, sizeof g);
	g.rs = rs;
	g.name = name;
	g.symbol = symbol;
	/* Missing sets on the fast path when they fit one word. */
	g.sets = rs->ninputs <= 64;
	/* One straight-line NAME_eval for small rule sets (the flagship's
	 * 48 rules compile in a few seconds more); larger ones keep a
	 * function per rule (gcc's time grows faster than linearly with one
	 * function's size: 250 rules inlined took 4 times as long). */
	g.inl = rs->nrules <= EF_INLINE_RULES;
	g.f = open_memstream(&text, &n);
	if (!g.f) {
		*oom = 1;
		return NULL;
	}
	/* The fast path's exact fallback is the native evaluator's per-rule code
	 * (lr_g_rule_N): without native code, the runtime runs every rule. */
	if (!native || rs->nrules > EF_FAST_MAX_RULES) {
		ef_eval_exact(&g);
		if (ferror(g.f) | fclose(g.f)) {
			free(text);
			*oom = 1;
			return NULL;
		}
		return text;
	}
	g.oid = malloc((rs->nrules ? rs->nrules : 1) * sizeof *g.oid);
	g.tid = malloc((rs->nrules ? rs->nrules : 1) * sizeof *g.tid);
	if (!g.oid || !g.tid) {
		free(g.oid);
		free(g.tid);
		fclose(g.f);
		free(text);
		*oom = 1;
		return NULL;
	}
	for (i = 0; i < rs->nrules; i++)
		g.oid[i] = g.tid[i] = -1;
	/* Only rules with actions have decisions to override with or to mark. */
	for (i = 0; i < rs->nrules; i++) {
		const lr_rule_def *r = &rs->rules[i];
		if (!r->noverrides || !r->nactions || !rs->overrides)
			continue;
		g.oid[i] = (int32_t)g.noid++;
		for (a = 0; a < r->noverrides; a++) {
			uint32_t t = rs->overrides[r->first_override + a];
			if (t < rs->nrules && g.tid[t] < 0)
				g.tid[t] = (int32_t)g.ntid++;
		}
	}
	ef_state(&g);
	for (i = 0; i < rs->nlets; i++)
		fprintf(g.f, "LR__FX void lr_g_flc_%" PRIu32 "(lr_g_fs *s);\n", i);
	for (i = 0; i < rs->ntables; i++)
		fprintf(g.f, "LR__FX void lr_g_ftc_%" PRIu32 "(lr_g_fs *s);\n", i);
	for (i = 0; i < rs->nschedules; i++)
		fprintf(g.f, "LR__FX void lr_g_fsvc_%" PRIu32 "(lr_g_fs *s);\n", i);
	fputc('\n', g.f);
	/* The inline cache tests, before every program that calls them. */
	for (i = 0; i < rs->nlets; i++)
		ef_accessor(&g, 'l', i);
	for (i = 0; i < rs->ntables; i++)
		ef_accessor(&g, 't', i);
	for (i = 0; i < rs->nschedules; i++)
		ef_sched_accessor(&g, i);
	fputc('\n', g.f);
	/* Every program's fast function, before its callers. */
	for (i = 0; i < rs->nlets; i++)
		ef_prog(&g, rs->lets[i].code);
	for (i = 0; i < rs->ntables; i++)
		ef_prog(&g, rs->tables[i].key);
	for (i = 0; i < rs->nschedules; i++) {
		const lr_schedule_def *sc = &rs->schedules[i];
		lr_code c[5];
		uint32_t k;
		c[0] = sc->amount, c[1] = sc->anchor, c[2] = sc->last, c[3] = sc->asof, c[4] = sc->count;
		for (k = 0; k < 5; k++)
			ef_prog(&g, c[k]);
	}
	for (i = 0; i < rs->nrules; i++) {
		const lr_rule_def *r = &rs->rules[i];
		ef_prog(&g, r->cond);
		for (a = 0; a < r->nactions; a++) {
			ef_prog(&g, rs->actions[r->first_action + a].amount);
			ef_prog(&g, rs->actions[r->first_action + a].due);
		}
	}
	for (i = 0; i < rs->nlets; i++)
		ef_let(&g, i);
	for (i = 0; i < rs->ntables; i++)
		ef_table(&g, i);
	for (i = 0; i < rs->nschedules; i++)
		ef_sched(&g, i);
	ef_load(&g, 1);
	for (i = 0; i < rs->nrules; i++) {
		ef_fire(&g, i);
		ef_rule(&g, i);
	}
	ef_overrides(&g);
	ef_eval(&g);
	free(g.seen);
	free(g.oid);
	free(g.tid);
	if (ferror(g.f) | fclose(g.f) || g.oom) {
		free(text);
		*oom = 1;
		return NULL;
	}
	return text;
}
