/*
** emit_native_typed.c: the rules of the typed entry's fast path and
** NAME_eval itself (en_typed); emit_native_fast.c says how the fast path
** works and prints the programs, derived values, tables and schedules.
**
** Per rule: its guard, its condition's fast function, and when that holds
** its actions (lr_g_fire_N: the decisions written here, as nat_store
** writes them), or its missing inputs reported; any error sends the rule
** to its exact path (lr_g_rule_N, emit_native.c) on a context set up on
** first need.  Output is deterministic: everything in table order.
*/
#define _POSIX_C_SOURCE 200809L
#include "emit_native.h"
#include "emit_native_fast.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- rules ------------------------------------------------------------------------ */

/* The fast path's report of the absent inputs in set m for rule ri. */
static void ef_report(en_fx_gen *g, const char *m, uint32_t ri, const char *indent)
{
	fprintf(g->f, "%slr__nat_report_word(s->c, s->out, &%s, &s->rep, %s, %" PRIu32 "u);\n", indent, g->symbol, m, ri);
}

/* One action of rule ri on the fast path: its values folded into st and
 * miss (lr__action_values), stored while st is 1 (nat_store); undo on an
 * error. */
static void ef_action(en_fx_gen *g, uint32_t ri, uint32_t a)
{
	const lr_ruleset *rs = g->rs;
	const lr_rule_def *r = &rs->rules[ri];
	const lr_action_def *ad = &rs->actions[r->first_action + a];
	FILE *f = g->f;
	int sched = ad->schedule >= 0 && (uint32_t)ad->schedule < rs->nschedules;

	fprintf(f, "\t/* action %" PRIu32 " */\n", a);
	if (ad->amount.len) {
		fputs("\tif (!", f);
		en_fx_call(g, ad->amount, "am", "amm", "lr__na()");
		fputs(")\n\t\tgoto undo;\n\tst = lr__fx_worse(st, am.k, amm, &miss);\n", f);
	}
	if (ad->due.len) {
		fputs("\tif (!", f);
		en_fx_call(g, ad->due, "du", "dum", "lr__na()");
		fputs(")\n\t\tgoto undo;\n\tst = lr__fx_worse(st, du.k, dum, &miss);\n", f);
	}
	if (sched) {
		fputs("\tif (!", f);
		en_fx_call(g, rs->schedules[ad->schedule].amount, "am", "amm", "lr__na()");
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
static void ef_fire(en_fx_gen *g, uint32_t ri)
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
static void ef_rule(en_fx_gen *g, uint32_t ri)
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
		en_fx_input(g, gi);
		fprintf(f, ";\n\tif (v.k && (uint64_t)v.v < 64u && !((UINT64_C(0x%016" PRIx64 ") >> v.v) & 1u))\n\t\treturn;\n",
			r->guard_mask);
	}
	fputs("\tif (", f);
	en_fx_call(g, r->cond, "v", "vm", "lr__mk(1)");
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

static void ef_state(en_fx_gen *g)
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
static void ef_load(en_fx_gen *g, int with_ctx)
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
static void ef_range(en_fx_gen *g, uint32_t i)
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
static void ef_overrides(en_fx_gen *g)
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

static void ef_eval(en_fx_gen *g)
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
static void ef_eval_exact(en_fx_gen *g)
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
	en_fx_gen g;
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
		en_fx_accessor(&g, 'l', i);
	for (i = 0; i < rs->ntables; i++)
		en_fx_accessor(&g, 't', i);
	for (i = 0; i < rs->nschedules; i++)
		en_fx_sched_accessor(&g, i);
	fputc('\n', g.f);
	/* Every program's fast function, before its callers. */
	for (i = 0; i < rs->nlets; i++)
		en_fx_prog(&g, rs->lets[i].code);
	for (i = 0; i < rs->ntables; i++)
		en_fx_prog(&g, rs->tables[i].key);
	for (i = 0; i < rs->nschedules; i++) {
		const lr_schedule_def *sc = &rs->schedules[i];
		lr_code c[5];
		uint32_t k;
		c[0] = sc->amount, c[1] = sc->anchor, c[2] = sc->last, c[3] = sc->asof, c[4] = sc->count;
		for (k = 0; k < 5; k++)
			en_fx_prog(&g, c[k]);
	}
	for (i = 0; i < rs->nrules; i++) {
		const lr_rule_def *r = &rs->rules[i];
		en_fx_prog(&g, r->cond);
		for (a = 0; a < r->nactions; a++) {
			en_fx_prog(&g, rs->actions[r->first_action + a].amount);
			en_fx_prog(&g, rs->actions[r->first_action + a].due);
		}
	}
	for (i = 0; i < rs->nlets; i++)
		en_fx_let(&g, i);
	for (i = 0; i < rs->ntables; i++)
		en_fx_table(&g, i);
	for (i = 0; i < rs->nschedules; i++)
		en_fx_sched(&g, i);
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
