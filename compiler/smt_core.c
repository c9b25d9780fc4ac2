/*
** smt_core.c: why a rule cannot fire or a table row is never reached.
** The constraints that could conflict (the conjuncts of a condition, the
** declared ranges of the inputs read, the earlier rows of a table) are
** each asserted behind an assumption literal in a fresh solver; Z3's unsat
** core over those literals names the ones that conflict.
*/
#include "smt_impl.h"

#include <stdlib.h>
#include <string.h>

#define MAX_PARTS 64

typedef struct {
	Z3_ast lit[MAX_PARTS];
	smt_reason why[MAX_PARTS];
	size_t n;
} parts;

/* Asserts lit => c for a new literal describing reason r. */
static void part(smt *s, Z3_solver sv, parts *p, Z3_ast c, smt_reason r)
{
	Z3_ast lit;
	if (p->n == MAX_PARTS) {
		Z3_solver_assert(s->c, sv, c);
		return;
	}
	lit = smt_keep(s, Z3_mk_fresh_const(s->c, "why", s->bool_sort));
	Z3_solver_assert(s->c, sv, smt_keep(s, Z3_mk_implies(s->c, lit, c)));
	p->lit[p->n] = lit;
	p->why[p->n++] = r;
}

/* The inputs in reads: declared ranges behind literals, type domains plain. */
static void domains(smt *s, Z3_solver sv, parts *p, const uint64_t *reads)
{
	uint32_t i;
	for (i = 0; i < s->nin; i++) {
		const decl *in = s->lw->inputs[i];
		smt_reason r;
		if (i >= SMT_READ_WORDS * 64 || !(reads[i / 64] >> (i % 64) & 1))
			continue;
		memset(&r, 0, sizeof r); /* padding too: results cross a pipe byte for byte */
		if (!s->lw->rs.inputs[i].has_range) {
			Z3_solver_assert(s->c, sv, s->dom[i]);
			continue;
		}
		r.file = in->file;
		r.at = in->range_lo && in->range_hi ? span_join(in->range_lo->loc, in->range_hi->loc) : in->id.loc;
		r.what = in->id.name;
		r.kind = SMT_R_RANGE;
		part(s, sv, p, s->dom[i], r);
	}
}

/* The reasons in the core of the last check_assumptions. */
static size_t core(smt *s, Z3_solver sv, const parts *p, smt_reason *out, size_t max)
{
	Z3_ast_vector v = Z3_solver_get_unsat_core(s->c, sv);
	unsigned i, n;
	size_t k, got = 0;
	Z3_ast_vector_inc_ref(s->c, v);
	n = Z3_ast_vector_size(s->c, v);
	for (k = 0; k < p->n && got < max; k++)
		for (i = 0; i < n; i++)
			if (Z3_is_eq_ast(s->c, Z3_ast_vector_get(s->c, v, i), p->lit[k])) {
				out[got++] = p->why[k];
				break;
			}
	Z3_ast_vector_dec_ref(s->c, v);
	return got;
}

/* The top-level conjuncts of e, left to right, at most max. */
static size_t conjuncts(const expr *e, const expr **out, size_t max)
{
	const expr *stack[MAX_PARTS];
	size_t sp = 0, n = 0;
	stack[sp++] = e;
	while (sp && n < max) {
		const expr *x = stack[--sp];
		if (x->kind == EX_AND && sp + 2 <= MAX_PARTS) {
			stack[sp++] = x->b;
			stack[sp++] = x->a;
		} else {
			out[n++] = x;
		}
	}
	return n;
}

size_t smt_rule_core(smt *s, uint32_t r, smt_reason *out, size_t max)
{
	const decl *d = s->lw->rules[r];
	smt_node *rule = smt_rule_node(s, r), tmp, *saved = s->cur;
	const src_file *saved_file = s->file;
	unsigned saved_stamp = s->cur_stamp;
	const expr *cs[MAX_PARTS];
	Z3_solver sv;
	parts p;
	size_t i, nc, got = 0;

	if (!d->when || rule->gap.why)
		return 0;
	nc = conjuncts(d->when, cs, MAX_PARTS / 2);
	sv = smt_solver_new(s);
	p.n = 0;
	memset(&tmp, 0, sizeof tmp);
	s->cur = &tmp;
	s->file = d->file;
	for (i = 0; i < nc; i++) {
		smt_term t;
		smt_reason why;
		memset(&why, 0, sizeof why);
		s->cur_stamp = ++s->stamp;
		if (smt_enc(s, cs[i], &t) != 0 || !t.t)
			break;
		why.file = d->file;
		why.at = cs[i]->loc;
		why.what = NULL;
		why.kind = SMT_R_COND;
		part(s, sv, &p, t.t, why);
	}
	s->cur = saved;
	s->file = saved_file;
	s->cur_stamp = saved_stamp;
	if (i == nc && !tmp.gap.why) {
		smt_assert_node(s, sv, &tmp);
		domains(s, sv, &p, tmp.reads);
		if (Z3_solver_check_assumptions(s->c, sv, (unsigned)p.n, p.lit) == Z3_L_FALSE)
			got = core(s, sv, &p, out, max);
	}
	free(tmp.sides.v);
	free(tmp.months.v);
	smt_solver_free(s, sv);
	return got;
}

smt_answer smt_row_reachable(smt *s, uint32_t t, uint32_t k, smt_reason *out, size_t max, size_t *nreasons,
			     smt_gap *gap)
{
	const lr_table_def *td = &s->lw->rs.tables[t];
	const decl *d = s->lw->tables[t];
	smt_node *n;
	Z3_solver sv;
	parts p;
	uint32_t j;
	Z3_lbool r;

	*nreasons = 0;
	memset(gap, 0, sizeof *gap);
	if (smt_table_node(s, t, &n) != 0 || n->gap.why || !n->key_val) {
		*gap = n && n->gap.why ? n->gap : *gap;
		if (!gap->why) {
			gap->why = "a table the encoding does not cover";
			gap->file = d->file;
			gap->at = d->id.loc;
		}
		return SMT_UNKNOWN;
	}
	sv = smt_solver_new(s);
	p.n = 0;
	smt_assert_node(s, sv, n);
	Z3_solver_assert(s->c, sv, n->key_def);
	for (j = 0; j <= k && j < td->nrows; j++) {
		const lr_row_def *row = &s->lw->rs.rows[td->first_row + j];
		Z3_ast m = smt_and2(s, row->lo_inf ? s->tru
					 : smt_keep(s, (row->lo_open ? Z3_mk_gt : Z3_mk_ge)(s->c, n->key_val, smt_int(s, row->lo))),
				    row->hi_inf ? s->tru
				    : smt_keep(s, (row->hi_open ? Z3_mk_lt : Z3_mk_le)(s->c, n->key_val, smt_int(s, row->hi))));
		if (j == k) {
			Z3_solver_assert(s->c, sv, m);
		} else {
			smt_reason why;
			const table_row *tr = j < d->rows.len ? d->rows.items[j] : NULL;
			memset(&why, 0, sizeof why);
			why.file = d->file;
			why.at = tr ? tr->loc : d->id.loc;
			why.what = NULL;
			why.kind = SMT_R_ROW;
			part(s, sv, &p, smt_not(s, m), why);
		}
	}
	domains(s, sv, &p, n->reads);
	r = Z3_solver_check_assumptions(s->c, sv, (unsigned)p.n, p.lit);
	if (r == Z3_L_FALSE)
		*nreasons = core(s, sv, &p, out, max);
	smt_solver_free(s, sv);
	if (r == Z3_L_UNDEF) {
		gap->why = "solver timeout";
		gap->file = d->file;
		gap->at = d->id.loc;
		return SMT_UNKNOWN;
	}
	return r == Z3_L_FALSE ? SMT_UNSAT : SMT_SAT;
}
