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

/* Input i's value v as the text a patient record holds. */
static void value_text(const smt *s, uint32_t i, int64_t v, char *buf, size_t n)
{
	const lr_input_def *in = &s->lw->rs.inputs[i];
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
		if (!(reads[i / 64] >> (i % 64) & 1))
			continue;
		if (!model_value(s, m, s->p[i], &p) || !p)
			continue; /* free or false: the input is missing */
		if (!model_value(s, m, s->v[i], &v)) {
			rc = -1;
			break;
		}
		value_text(s, i, v, text, sizeof text);
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

/* Whether rule r fired in the last replay. */
static int fired(const smt *s, uint32_t r)
{
	uint32_t i;
	for (i = 0; i < s->res.nactions; i++)
		if (s->res.actions[i].rule == r)
			return 1;
	return 0;
}

/* Pins every month shift of the nodes to the runtime's exact value at the
 * dates the model used; the count of new lemmas. */
static int refine_months(smt *s, Z3_model m, smt_node *const *nodes, size_t n)
{
	size_t i, k;
	int added = 0;
	for (i = 0; i < n; i++)
		for (k = 0; k < nodes[i]->months.n; k++) {
			smt_month *mo = &s->months[nodes[i]->months.v[k]];
			int64_t d, v;
			lr_date exact;
			Z3_ast lemma;
			if (!model_value(s, m, mo->date, &d) || !model_value(s, m, mo->m, &v) || d < INT32_MIN ||
			    d > INT32_MAX || lr_date_add_months(&exact, (lr_date)d, mo->n) != LR_OK || exact == v)
				continue;
			lemma = smt_keep(s, Z3_mk_implies(s->c, smt_keep(s, Z3_mk_eq(s->c, mo->date, smt_int(s, d))),
							  smt_keep(s, Z3_mk_eq(s->c, mo->m, smt_int(s, exact)))));
			smt_vec_push(&mo->lemmas, lemma);
			Z3_solver_assert(s->c, s->solver, lemma);
			added++;
		}
	return added;
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

/* The runtime's verdict on the record: every pos rule fires, no neg rule. */
static int confirmed(smt *s, const query *q)
{
	size_t i;
	int rc = lr_eval(&s->res, &s->lw->rs, &s->rec);
	if (rc != LR_OK)
		return 0;
	for (i = 0; i < q->npos; i++)
		if (!fired(s, q->pos[i]))
			return 0;
	for (i = 0; i < q->nneg; i++)
		if (fired(s, q->neg[i]))
			return 0;
	return !q->check || q->check(q->ud, &s->res);
}

/* Checks the asserted query, replays its witness, refines: the answer. */
static smt_answer solve(smt *s, const query *q, smt_node *const *nodes, size_t nn, char **witness,
			const char **why)
{
	uint64_t reads[SMT_READ_WORDS] = {0};
	size_t i, k;
	int round;

	for (i = 0; i < nn; i++)
		for (k = 0; k < SMT_READ_WORDS; k++)
			reads[k] |= nodes[i]->reads[k];
	for (round = 0; round <= MAX_REFINE; round++) {
		Z3_lbool r = Z3_solver_check(s->c, s->solver);
		Z3_model m;
		int ok, refined;
		if (s->err || Z3_get_error_code(s->c) != Z3_OK) {
			*why = "an internal error of the encoding (a Z3 API error)";
			return SMT_UNKNOWN;
		}
		if (r == Z3_L_FALSE)
			return SMT_UNSAT;
		if (r == Z3_L_UNDEF) {
			*why = "solver timeout";
			return SMT_UNKNOWN;
		}
		m = Z3_solver_get_model(s->c, s->solver);
		Z3_model_inc_ref(s->c, m);
		ok = record_of(s, m, reads, NULL) == 0 && confirmed(s, q);
		if (ok && witness)
			ok = record_of(s, m, reads, witness) == 0;
		refined = ok ? 0 : refine_months(s, m, nodes, nn);
		Z3_model_dec_ref(s->c, m);
		if (ok)
			return SMT_SAT;
		if (!refined) {
			*why = "the solver's witness is not confirmed by the runtime";
			return SMT_UNKNOWN;
		}
	}
	*why = "month arithmetic not settled after 60 refinements";
	return SMT_UNKNOWN;
}

static smt_answer run_query(smt *s, const query *q, char **witness, const char **why)
{
	smt_node *nodes[MAX_NODES];
	size_t i, nn = 0;
	smt_answer a;

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
		nn++;
	}
	Z3_solver_push(s->c, s->solver);
	for (i = 0; i < nn; i++) {
		smt_assert_node(s, s->solver, nodes[i]);
		Z3_solver_assert(s->c, s->solver, i < q->npos ? nodes[i]->term.t : smt_not(s, nodes[i]->term.t));
	}
	if (q->extra)
		Z3_solver_assert(s->c, s->solver, q->extra);
	a = solve(s, q, nodes, nn, witness, why);
	Z3_solver_pop(s->c, s->solver, 1);
	return a;
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
		*def = t.def;
		*val = t.val;
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
