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
** This file prints the programs, derived values, tables and schedules;
** emit_native_typed.c the rules and NAME_eval.  Output is deterministic:
** everything is printed in table order.
*/
#define _POSIX_C_SOURCE 200809L
#include "emit_native.h"
#include "emit_native_fast.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- one program ------------------------------------------------------------------ */

/* Whether program code was printed already (an open-addressing set of
 * start << 32 | len + 1, so 0 marks a free slot); notes it if not. */
static int ef_seen(en_fx_gen *g, lr_code code)
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
void en_fx_input(en_fx_gen *g, uint32_t i)
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
static void ef_set2(en_fx_gen *g, int a, int b)
{
	fprintf(g->f, "\tif (f%d.k != 1)\n\t\tm%d = lr__fx_m2(t, m%d, f%d, m%d);\n", a, a, a, b, b);
}

/* One instruction at depth d (its index at, for labels). */
static void ef_insn(en_fx_gen *g, const lr_insn *in, int d, uint64_t at)
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
		en_fx_input(g, (uint32_t)in->arg);
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
 * 0 to fall back.  Empty programs get none (en_fx_call). */
void en_fx_prog(en_fx_gen *g, lr_code code)
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
void en_fx_call(en_fx_gen *g, lr_code code, const char *dst, const char *dstm, const char *empty)
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
static void ef_cached_head(en_fx_gen *g, char kind, uint32_t i)
{
	fprintf(g->f, "LR__FX void lr_g_f%cc_%" PRIu32 "(lr_g_fs *s)\n{\n\t{\n\t\ts->%ck[%" PRIu32 "] = 2;\n", kind, i,
		kind, i);
}

static void ef_cached_tail(en_fx_gen *g)
{
	fputs("\t}\n}\n\n", g->f);
}

void en_fx_accessor(en_fx_gen *g, char kind, uint32_t i)
{
	fprintf(g->f, "LR__FXI int lr_g_f%c_%" PRIu32 "(lr_g_fs *s, lr__val *r, uint64_t *rm)\n{\n"
		      "\tif (s->%ck[%" PRIu32 "] == 0)\n\t\tlr_g_f%cc_%" PRIu32 "(s);\n"
		      "\t*r = s->%cv[%" PRIu32 "];\n\t*rm = s->%cm[%" PRIu32 "];\n\treturn s->%ck[%" PRIu32 "] == 1;\n}\n\n",
		kind, i, kind, i, kind, i, kind, i, kind, i, kind, i);
}

void en_fx_sched_accessor(en_fx_gen *g, uint32_t i)
{
	fprintf(g->f, "LR__FXI int lr_g_fsv_%" PRIu32 "(lr_g_fs *s)\n{\n\tif (s->sk[%" PRIu32 "] == 0)\n"
		      "\t\tlr_g_fsvc_%" PRIu32 "(s);\n\treturn s->sk[%" PRIu32 "] == 1;\n}\n\n", i, i, i, i);
}

void en_fx_let(en_fx_gen *g, uint32_t i)
{
	char dst[48], dstm[48];
	ef_cached_head(g, 'l', i);
	snprintf(dst, sizeof dst, "s->lv[%" PRIu32 "]", i);
	snprintf(dstm, sizeof dstm, "s->lm[%" PRIu32 "]", i);
	fputs("\t\tif (", g->f);
	en_fx_call(g, g->rs->lets[i].code, dst, dstm, "lr__na()");
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
void en_fx_table(en_fx_gen *g, uint32_t i)
{
	const lr_table_def *t = &g->rs->tables[i];
	uint32_t r;
	ef_cached_head(g, 't', i);
	fputs("\t\tlr__val x;\n\t\tuint64_t xm;\n\t\tif (", g->f);
	en_fx_call(g, t->key, "x", "xm", "lr__na()");
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
void en_fx_sched(en_fx_gen *g, uint32_t i)
{
	const lr_schedule_def *sc = &g->rs->schedules[i];
	FILE *f = g->f;
	fprintf(f, "LR__FX void lr_g_fsvc_%" PRIu32 "(lr_g_fs *s)\n{\n\t{\n"
		   "\t\tlr__val a, l, o, n;\n\t\tuint64_t am, lm, om, nm;\n\t\ts->sk[%" PRIu32 "] = 2;\n\t\tif (", i, i);
	en_fx_call(g, sc->anchor, "a", "am", "lr__na()");
	fputs(" && ", f);
	en_fx_call(g, sc->last, "l", "lm", "lr__na()");
	fputs(" && ", f);
	en_fx_call(g, sc->asof, "o", "om", "lr__na()");
	fputs(" && ", f);
	en_fx_call(g, sc->count, "n", "nm", "lr__mk(0)");
	/* Not known: the union of the sets of the values not known. */
	fprintf(f, " &&\n\t\t    lr__nat_sched(&%s, %" PRIu32 "u, a, l, o, n, &s->sv[%" PRIu32 "])) {\n"
		   "\t\t\ts->sk[%" PRIu32 "] = 1;\n\t\t\ts->svm[%" PRIu32 "] = lr__fx_m2(a, am, l, lm) | lr__fx_m2(o, om, n, nm);\n"
		   "\t\t}\n\t}\n}\n\n",
		g->symbol, i, i, i, i);
}

