/*
** smt_query.c: the questions verify asks the solver, and the replay of
** every witness through the runtime.  A model becomes a patient record
** (the inputs the rules read; a presence bit the model leaves free means
** missing) that lr_eval evaluates on the lowered table: only a witness on
** which the runtime fires the rules is returned.  A refuted witness
** refines the month abstraction (the date it used pinned to the runtime's
** exact shift) and is asked again; otherwise the question is "unknown".
** Unsat cores over named conjuncts and declared ranges give the reasons
** of dead rules and unreachable rows.
*/
#include "smt_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REFINE 60

/* ---- from a model to a record -------------------------------------------------------- */

/* The model's value of a, as an int64 (Int) or 0/1 (Bool); 0 if it has none. */
static int model_value(smt *s, Z3_model m, Z3_ast a, int64_t *out)
{
	Z3_ast v = NULL;
	int ok = 0;
	if (!Z3_model_eval(s->c, m, a, 1, &v) || !v)
		return 0;
	Z3_inc_ref(s->c, v);
	if (Z3_get_sort_kind(s->c, Z3_get_sort(s->c, v)) == Z3_BOOL_SORT) {
		Z3_lbool b = Z3_get_bool_value(s->c, v);
		*out = b == Z3_L_TRUE;
		ok = b != Z3_L_UNDEF;
	} else {
		ok = Z3_is_numeral_ast(s->c, v) && Z3_get_numeral_int64(s->c, v, out);
	}
	Z3_dec_ref(s->c, v);
	return ok;
}

void smt_value_text(const lowered *lw, uint32_t i, int64_t v, char *buf, size_t n)
{
	const lr_input_def *in = &lw->rs.inputs[i];
	lr_dec d;
	switch (in->type) {
	case LR_T_BOOL: snprintf(buf, n, "%s", v ? "true" : "false"); break;
	case LR_T_NUM: d.v = v; lr_dec_format(buf, n, d); break;
	case LR_T_DATE: lr_date_format(buf, n, (lr_date)v); break;
	case LR_T_ENUM: snprintf(buf, n, "%s", v >= 0 && (uint64_t)v < in->nvalues ? in->values[v] : "?"); break;
	}
}

/* Fills s->rec from the model over the inputs in reads; the JSON record in
 * *json (malloc'd) when json is not NULL.  0, or -1 when a value cannot be
 * read or set. */
static int record_of(smt *s, Z3_model m, const uint64_t *reads, char **json)
{
	char *buf = NULL, text[64];
	size_t len = 0;
	FILE *f = json ? open_memstream(&buf, &len) : NULL;
	uint32_t i;
	int first = 1, rc = 0;

	lr_record_init(&s->rec, &s->lw->rs);
	if (f)
		fputc('{', f);
	for (i = 0; i < s->nin && rc == 0; i++) {
		int64_t p = 0, v = 0;
		if (i >= SMT_READ_WORDS * 64 || !(reads[i / 64] >> (i % 64) & 1))
			continue;
		if (!model_value(s, m, s->p[i], &p) || !p)
			continue; /* free or false: the input is missing */
		if (!model_value(s, m, s->v[i], &v)) {
			rc = -1;
			break;
		}
		smt_value_text(s->lw, i, v, text, sizeof text);
		if (lr_record_set_text(&s->rec, i, text, strlen(text)) != LR_OK)
			rc = -1;
		if (f) {
			const char *q = s->lw->rs.inputs[i].type == LR_T_BOOL ? "" : "\"";
			fprintf(f, "%s\"%s\": %s%s%s", first ? "" : ", ", s->lw->rs.inputs[i].name, q, text, q);
		}
		first = 0;
	}
	if (f) {
		fputc('}', f);
		fclose(f);
		if (rc == 0)
			*json = buf;
		else
			free(buf);
	}
	return rc;
}

/* Whether the k-th rule of the last replay's table fired. */
static int fired(const smt *s, uint32_t k)
{
	uint32_t i;
	for (i = 0; i < s->res.nactions; i++)
		if (s->res.actions[i].rule == k)
			return 1;
	return 0;
}

/* The lemma pinning abstraction mo at the model's operands; NULL when the
 * model already agrees with the runtime there. */
static Z3_ast pin(smt *s, Z3_model m, const smt_month *mo)
{
	int64_t a, b = 0, v, ok = 1;
	Z3_ast at;
	lr_dec x, y, r;
	int rc;

	if (!model_value(s, m, mo->date, &a) || !model_value(s, m, mo->m, &v) ||
	    (mo->b && !model_value(s, m, mo->b, &b)) || (mo->ok && !model_value(s, m, mo->ok, &ok)))
		return NULL;
	at = smt_keep(s, Z3_mk_eq(s->c, mo->date, smt_int(s, a)));
	if (mo->kind == SMT_ABS_MONTHS) {
		lr_date exact;
		if (a < INT32_MIN || a > INT32_MAX || lr_date_add_months(&exact, (lr_date)a, mo->n) != LR_OK || exact == v)
			return NULL;
		return smt_keep(s, Z3_mk_implies(s->c, at, smt_keep(s, Z3_mk_eq(s->c, mo->m, smt_int(s, exact)))));
	}
	at = smt_and2(s, at, smt_keep(s, Z3_mk_eq(s->c, mo->b, smt_int(s, b))));
	x.v = a;
	y.v = b;
	rc = mo->kind == SMT_ABS_MUL ? lr_dec_mul(&r, x, y) : lr_dec_div(&r, x, y);
	if (rc != LR_OK)
		return ok ? smt_keep(s, Z3_mk_implies(s->c, at, smt_not(s, mo->ok))) : NULL;
	if (ok && r.v == v)
		return NULL;
	return smt_keep(s, Z3_mk_implies(s->c, at, smt_and2(s, mo->ok, smt_keep(s, Z3_mk_eq(s->c, mo->m, smt_int(s, r.v))))));
}

/* Pins every abstraction of the nodes to the runtime's exact value at the
 * operands the model used; the count of new lemmas. */
static int refine_months(smt *s, Z3_solver sv, Z3_model m, smt_node *const *nodes, size_t n)
{
	size_t i, k;
	int added = 0;
	for (i = 0; i < n; i++)
		for (k = 0; k < nodes[i]->months.n; k++) {
			smt_month *mo = &s->months[nodes[i]->months.v[k]];
			Z3_ast lemma = pin(s, m, mo);
			if (!lemma)
				continue;
			smt_vec_push(&mo->lemmas, lemma);
			Z3_solver_assert(s->c, sv, lemma);
			added++;
		}
	return added;
}

/* Every date input between 1900 and 2200 (in sv, until its scope ends). */
static void restrict_dates(smt *s, Z3_solver sv)
{
	lr_date lo = 0, hi = 0;
	uint32_t i;
	lr_date_from_ymd(&lo, 1900, 1, 1);
	lr_date_from_ymd(&hi, 2200, 12, 31);
	for (i = 0; i < s->nin; i++)
		if (s->lw->rs.inputs[i].type == LR_T_DATE)
			Z3_solver_assert(s->c, sv, smt_and2(s, smt_keep(s, Z3_mk_ge(s->c, s->v[i], smt_int(s, lo))),
							    smt_keep(s, Z3_mk_le(s->c, s->v[i], smt_int(s, hi)))));
}

/* ---- queries ------------------------------------------------------------------------ */

#define MAX_NODES 64

typedef struct {
	const uint32_t *pos, *neg;
	size_t npos, nneg;
	Z3_ast extra;
	int (*check)(void *ud, const lr_result *res);
	void *ud;
} query;

/* The runtime's verdict on the record: every pos rule fires, no neg rule.
 * The table evaluated holds only those rules (a shallow copy sharing
 * everything else): evaluating all 10,000 rules of a large set for every
 * witness took most of verify's time.  Rule indices in the result are
 * then positions in q's lists; check callbacks get them mapped back. */
static int confirmed(smt *s, const query *q)
{
	static lr_rule_def sub[MAX_NODES];
	lr_ruleset rs = s->lw->rs;
	size_t i, n = q->npos + q->nneg;
	int rc;

	for (i = 0; i < n; i++) {
		sub[i] = s->lw->rs.rules[i < q->npos ? q->pos[i] : q->neg[i - q->npos]];
		/* Override indices name rules of the whole table; here the
		 * question is whether the rules fire, overridden or not. */
		sub[i].first_override = 0;
		sub[i].noverrides = 0;
	}
	rs.rules = sub;
	rs.nrules = (uint32_t)n;
	rc = lr_eval(&s->res, &rs, &s->rec);
	if (rc != LR_OK)
		return 0;
	for (i = 0; i < q->npos; i++)
		if (!fired(s, (uint32_t)i))
			return 0;
	for (i = 0; i < q->nneg; i++)
		if (fired(s, (uint32_t)(q->npos + i)))
			return 0;
	for (i = 0; i < s->res.nactions; i++) {
		uint32_t k = s->res.actions[i].rule;
		s->res.actions[i].rule = k < q->npos ? q->pos[k] : q->neg[k - q->npos];
	}
	return !q->check || q->check(q->ud, &s->res);
}

/* Checks the query asserted in sv, replays its witness, refines (lemmas
 * go into sv and stay with the abstractions): the answer. */
static smt_answer solve(smt *s, Z3_solver sv, const query *q, smt_node *const *nodes, size_t nn, char **witness,
			const char **why)
{
	uint64_t reads[SMT_READ_WORDS] = {0};
	size_t i, k;
	int round, rounds = MAX_REFINE, restricted = 0;

	/* Points pinned by refinement also guide the exact stage
	 * (solve_exact): on Cockcroft-Gault bands it took 0.4-0.9 s after 60
	 * rounds here, and timed out at 5 s after 8. */
	for (i = 0; i < nn; i++)
		for (k = 0; k < SMT_READ_WORDS; k++)
			reads[k] |= nodes[i]->reads[k];
	for (round = 0; round <= rounds; round++) {
		Z3_lbool r = Z3_solver_check(s->c, sv);
		Z3_model m;
		int ok, refined;
		if (s->err || Z3_get_error_code(s->c) != Z3_OK) {
			*why = "an internal error of the encoding (a Z3 API error)";
			return SMT_UNKNOWN;
		}
		if (r == Z3_L_FALSE && restricted) {
			*why = "the solver's witness is not confirmed by the runtime";
			return SMT_UNKNOWN;
		}
		if (r == Z3_L_FALSE)
			return SMT_UNSAT;
		if (r == Z3_L_UNDEF) {
			*why = "solver timeout";
			return SMT_UNKNOWN;
		}
		m = Z3_solver_get_model(s->c, sv);
		Z3_model_inc_ref(s->c, m);
		ok = record_of(s, m, reads, NULL) == 0 && confirmed(s, q);
		if (ok && witness)
			ok = record_of(s, m, reads, witness) == 0;
		refined = ok ? 0 : refine_months(s, sv, m, nodes, nn);
		Z3_model_dec_ref(s->c, m);
		if (ok) {
			*why = NULL;
			return SMT_SAT;
		}
		if (!refined && !restricted) {
			/* Typically a schedule's next date beyond year 9999 (the
			 * encoding bounds only the dates themselves): look for a
			 * witness among ordinary dates.  An answer "none there"
			 * proves nothing, so it is "unknown", never "unsat". */
			restrict_dates(s, sv);
			restricted = 1;
		} else if (!refined) {
			*why = "the solver's witness is not confirmed by the runtime";
			return SMT_UNKNOWN;
		}
	}
	*why = "month arithmetic not settled after the refinements";
	return SMT_UNKNOWN;
}

/* The runtime's product or quotient exactly (nearest, ties to even), as a
 * nonlinear integer formula for abstraction mo. */
static Z3_ast exact_nonlinear(smt *s, const smt_month *mo)
{
	Z3_ast v[2], n, d, neg;
	v[0] = mo->date;
	v[1] = mo->b;
	n = smt_keep(s, Z3_mk_mul(s->c, 2, v));
	if (mo->kind == SMT_ABS_MUL)
		return smt_and2(s, mo->ok, smt_round_nearest(s, n, smt_int(s, 1000000000), mo->m));
	v[0] = mo->date;
	v[1] = smt_int(s, 1000000000);
	n = smt_keep(s, Z3_mk_mul(s->c, 2, v));
	neg = smt_keep(s, Z3_mk_lt(s->c, mo->b, smt_int(s, 0)));
	d = smt_keep(s, Z3_mk_ite(s->c, neg, smt_keep(s, Z3_mk_unary_minus(s->c, mo->b)), mo->b));
	n = smt_keep(s, Z3_mk_ite(s->c, neg, smt_keep(s, Z3_mk_unary_minus(s->c, n)), n));
	return smt_and2(s, mo->ok, smt_round_nearest(s, n, d, mo->m));
}

/* Abstraction mo computed exactly once its right operand is pinned to b:
 * linear, with the runtime's rounding. */
static Z3_ast pinned_exact(smt *s, const smt_month *mo, int64_t b)
{
	Z3_ast v[2], at = smt_keep(s, Z3_mk_eq(s->c, mo->b, smt_int(s, b)));
	v[0] = mo->date;
	if (mo->kind == SMT_ABS_MUL) {
		v[1] = smt_int(s, b);
		return smt_and2(s, at, smt_and2(s, mo->ok, smt_round_nearest(s, smt_keep(s, Z3_mk_mul(s->c, 2, v)),
									       smt_int(s, 1000000000), mo->m)));
	}
	if (b == 0)
		return s->fls;
	v[1] = smt_int(s, b < 0 ? -1000000000 : 1000000000);
	return smt_and2(s, at, smt_and2(s, mo->ok, smt_round_nearest(s, smt_keep(s, Z3_mk_mul(s->c, 2, v)),
								       smt_int(s, b < 0 ? -b : b), mo->m)));
}

/* A fresh solver for the later stages, with the query asserted. */
static Z3_solver stage_solver(smt *s, int nonlinear, smt_node *const *nodes, size_t nn, const Z3_ast *goals,
			      size_t ngoals)
{
	Z3_solver sv;
	Z3_params p;
	size_t i;

	/* Each result is referenced before the next call frees it.  Measured
	 * on Cockcroft-Gault bands: the QF_NRA solver (nlsat) decides these
	 * integer problems in 0.4-0.9 s, the default one in 1.3-1.9 s. */
	sv = nonlinear ? Z3_mk_solver_for_logic(s->c, Z3_mk_string_symbol(s->c, "QF_NRA")) : Z3_mk_simple_solver(s->c);
	Z3_solver_inc_ref(s->c, sv);
	p = Z3_mk_params(s->c);
	Z3_params_inc_ref(s->c, p);
	Z3_params_set_uint(s->c, p, Z3_mk_string_symbol(s->c, "timeout"), s->timeout_ms);
	Z3_solver_set_params(s->c, sv, p);
	Z3_params_dec_ref(s->c, p);
	for (i = 0; i < s->nin; i++)
		Z3_solver_assert(s->c, sv, s->dom[i]);
	for (i = 0; i < nn; i++)
		smt_assert_node(s, sv, nodes[i]);
	for (i = 0; i < ngoals; i++)
		Z3_solver_assert(s->c, sv, goals[i]);
	return sv;
}

/* The later stages for a query with products or quotients of varying
 * values that replay refuted.  Stage 2 (linear): each right operand pinned
 * at an abstract model's value, so the rest is linear with exact rounding
 * (a Cockcroft-Gault band then varies age alone).  Stage 3: the exact
 * nonlinear rounding in a fresh QF_NRA solver (never the incremental one:
 * VERIFY-Z3.md section 9); the worker's deadline bounds it when Z3 does
 * not stop. */
static smt_answer solve_exact(smt *s, const query *q, smt_node *const *nodes, size_t nn, const Z3_ast *goals,
			      size_t ngoals, char **witness, const char **why)
{
	Z3_solver sv = stage_solver(s, 0, nodes, nn, goals, ngoals);
	smt_answer a = SMT_UNKNOWN;
	size_t i, k;

	if (Z3_solver_check(s->c, sv) == Z3_L_TRUE) {
		Z3_model m = Z3_solver_get_model(s->c, sv);
		Z3_model_inc_ref(s->c, m);
		for (i = 0; i < nn; i++)
			for (k = 0; k < nodes[i]->months.n; k++) {
				const smt_month *mo = &s->months[nodes[i]->months.v[k]];
				int64_t b;
				if (mo->kind != SMT_ABS_MONTHS && model_value(s, m, mo->b, &b))
					Z3_solver_assert(s->c, sv, pinned_exact(s, mo, b));
			}
		Z3_model_dec_ref(s->c, m);
		a = solve(s, sv, q, nodes, nn, witness, why);
	}
	Z3_solver_dec_ref(s->c, sv);
	if (a == SMT_SAT)
		return a;
	sv = stage_solver(s, 1, nodes, nn, goals, ngoals);
	for (i = 0; i < nn; i++)
		for (k = 0; k < nodes[i]->months.n; k++) {
			const smt_month *mo = &s->months[nodes[i]->months.v[k]];
			if (mo->kind != SMT_ABS_MONTHS)
				Z3_solver_assert(s->c, sv, exact_nonlinear(s, mo));
		}
	a = solve(s, sv, q, nodes, nn, witness, why);
	Z3_solver_dec_ref(s->c, sv);
	return a;
}

static smt_answer run_query(smt *s, const query *q, char **witness, const char **why)
{
	smt_node *nodes[MAX_NODES] = {0};
	Z3_ast goals[MAX_NODES + 1] = {0};
	size_t i, nn = 0, ng = 0;
	const char *approx = NULL;
	smt_answer a;
	size_t held;

	if (witness)
		*witness = NULL;
	*why = NULL;
	if (q->npos + q->nneg > MAX_NODES) {
		*why = "too many rules in one question";
		return SMT_UNKNOWN;
	}
	for (i = 0; i < q->npos + q->nneg; i++) {
		uint32_t r = i < q->npos ? q->pos[i] : q->neg[i - q->npos];
		nodes[nn] = smt_rule_node(s, r);
		if (nodes[nn]->gap.why) {
			*why = nodes[nn]->gap.why;
			return SMT_UNKNOWN;
		}
		if (!approx)
			approx = nodes[nn]->approx;
		goals[ng++] = i < q->npos ? nodes[nn]->term.t : smt_not(s, nodes[nn]->term.t);
		nn++;
	}
	if (q->extra)
		goals[ng++] = q->extra;
	/* The first rule may be held already (smt_hold): its part is in place. */
	held = q->npos && s->held >= 0 && q->pos[0] == (uint32_t)s->held && nodes[0]->sides.n == s->held_sides &&
	       nodes[0]->months.n == s->held_months;
	if (!held)
		smt_hold(s, -1);
	Z3_solver_push(s->c, s->solver);
	for (i = held; i < nn; i++)
		smt_assert_node(s, s->solver, nodes[i]);
	for (i = held; i < ng; i++)
		Z3_solver_assert(s->c, s->solver, goals[i]);
	a = solve(s, s->solver, q, nodes, nn, witness, why);
	Z3_solver_pop(s->c, s->solver, 1);
	if (a == SMT_UNKNOWN && approx) {
		a = solve_exact(s, q, nodes, nn, goals, ng, witness, why);
		if (a == SMT_UNKNOWN)
			*why = approx;
	}
	return a;
}

void smt_hold(smt *s, int r)
{
	smt_node *n;
	if (s->held == r)
		return;
	if (s->held >= 0) {
		Z3_solver_pop(s->c, s->solver, 1);
		s->held = -1;
	}
	if (r < 0 || (n = smt_rule_node(s, (uint32_t)r))->gap.why)
		return;
	Z3_solver_push(s->c, s->solver);
	smt_assert_node(s, s->solver, n);
	Z3_solver_assert(s->c, s->solver, n->term.t);
	s->held = r;
	s->held_sides = n->sides.n; /* an amount encoded later adds sides */
	s->held_months = n->months.n;
}

smt_answer smt_query(smt *s, const uint32_t *rules, size_t n, Z3_ast extra,
		     int (*check)(void *ud, const lr_result *res), void *ud, char **witness, const char **why)
{
	query q;
	memset(&q, 0, sizeof q);
	q.pos = rules;
	q.npos = n;
	q.extra = extra;
	q.check = check;
	q.ud = ud;
	return run_query(s, &q, witness, why);
}

smt_answer smt_query_alone(smt *s, uint32_t r, const uint32_t *others, size_t n, char **witness, const char **why)
{
	query q;
	memset(&q, 0, sizeof q);
	q.pos = &r;
	q.npos = 1;
	q.neg = others;
	q.nneg = n;
	return run_query(s, &q, witness, why);
}

int smt_action_amount(smt *s, uint32_t r, size_t k, Z3_ast *def, Z3_ast *val, smt_gap *gap)
{
	const decl *d = s->lw->rules[r];
	const action *a = k < d->actions.len ? d->actions.items[k] : NULL;
	const expr *amount = a ? (a->amount ? a->amount : a->sched ? a->sched->amount : NULL) : NULL;
	smt_node tmp, *n = smt_rule_node(s, r), *saved = s->cur;
	const src_file *saved_file = s->file;
	unsigned saved_stamp = s->cur_stamp;
	smt_term t;
	int rc;

	memset(gap, 0, sizeof *gap);
	if (!amount) {
		gap->why = "a dose without an amount";
		return -1;
	}
	/* Encoded once per rule and action: each encoding adds fresh terms. */
	if (n->amount_def && n->amount_k == k) {
		*def = n->amount_def;
		*val = n->amount_val;
		return 0;
	}
	/* A node of its own, so a gap in the amount leaves the condition's
	 * encoding usable; its sides then join the rule's. */
	memset(&tmp, 0, sizeof tmp);
	s->cur = &tmp;
	s->file = a->amount ? d->file : a->sched->file;
	s->cur_stamp = ++s->stamp;
	rc = smt_enc(s, amount, &t);
	if (rc == 0 && !tmp.gap.why) {
		s->cur = n;
		s->cur_stamp = ++s->stamp;
		smt_take(s, &tmp);
		*def = n->amount_def = t.def;
		*val = n->amount_val = t.val;
		n->amount_k = k;
	} else {
		*gap = tmp.gap;
		if (!gap->why) {
			gap->why = "an amount the encoding does not cover";
			gap->file = s->file;
			gap->at = amount->loc;
		}
		rc = -1;
	}
	s->cur = saved;
	s->file = saved_file;
	s->cur_stamp = saved_stamp;
	free(tmp.sides.v);
	free(tmp.months.v);
	return rc;
}
