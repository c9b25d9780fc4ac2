/*
** smt.c: the Z3 context of verify's solver analyses and the encoding of
** expressions (smt.h says which encoding and why).  Each let, table and
** rule is encoded once, into a node that also lists the definitions of the
** fresh terms it introduced (rounding quotients, month shifts): a query
** asserts those of the rules it asks about only (VERIFY-Z3.md section 3:
** asserting every rule's definitions in every query made queries slow).
*/
#include "smt_impl.h"

#include <stdlib.h>
#include <string.h>

#include "units.h"

#define SCALE INT64_C(1000000000)

/* ---- plumbing ---------------------------------------------------------------- */

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		abort(); /* out of memory: the compiler's other allocators abort too */
	return q;
}

void smt_vec_push(smt_vec *v, Z3_ast a)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 8;
		v->v = xrealloc(v->v, v->cap * sizeof *v->v);
	}
	v->v[v->n++] = a;
}

void smt_ivec_push(smt_ivec *v, uint32_t x)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 4;
		v->v = xrealloc(v->v, v->cap * sizeof *v->v);
	}
	v->v[v->n++] = x;
}

/* Z3 reports API misuse through this handler instead of exiting (the
 * default handler calls exit(1)); the context's error code says it. */
static void smt_on_error(Z3_context c, Z3_error_code e)
{
	(void)c;
	(void)e;
}

Z3_context smt_ctx(smt *s) { return s->c; }

/* Every AST is kept (inc_ref) before the next Z3 call, as a reference-
 * counted context requires; a NULL (an API error) becomes true and marks
 * the context as failed, so callers never hand NULL back to Z3. */
Z3_ast smt_keep(smt *s, Z3_ast a)
{
	if (!a || Z3_get_error_code(s->c) != Z3_OK) {
		s->err = 1;
		return s->tru;
	}
	Z3_inc_ref(s->c, a);
	smt_vec_push(&s->refs, a);
	return a;
}

Z3_ast smt_and2(smt *s, Z3_ast a, Z3_ast b)
{
	Z3_ast v[2];
	if (a == s->tru)
		return b;
	if (b == s->tru)
		return a;
	if (a == s->fls || b == s->fls)
		return s->fls;
	v[0] = a;
	v[1] = b;
	return smt_keep(s, Z3_mk_and(s->c, 2, v));
}

Z3_ast smt_or2(smt *s, Z3_ast a, Z3_ast b)
{
	Z3_ast v[2];
	if (a == s->fls)
		return b;
	if (b == s->fls)
		return a;
	if (a == s->tru || b == s->tru)
		return s->tru;
	v[0] = a;
	v[1] = b;
	return smt_keep(s, Z3_mk_or(s->c, 2, v));
}

Z3_ast smt_not(smt *s, Z3_ast a)
{
	if (a == s->tru)
		return s->fls;
	if (a == s->fls)
		return s->tru;
	return smt_keep(s, Z3_mk_not(s->c, a));
}

Z3_ast smt_int(smt *s, int64_t v)
{
	return smt_keep(s, Z3_mk_int64(s->c, v, s->int_sort));
}

static Z3_ast mk2(smt *s, Z3_ast (*f)(Z3_context, Z3_ast, Z3_ast), Z3_ast a, Z3_ast b)
{
	return smt_keep(s, f(s->c, a, b));
}

static Z3_ast between(smt *s, Z3_ast x, int64_t lo, int64_t hi)
{
	return smt_and2(s, mk2(s, Z3_mk_ge, x, smt_int(s, lo)), mk2(s, Z3_mk_le, x, smt_int(s, hi)));
}

Z3_solver smt_solver_new(smt *s)
{
	Z3_solver sv = Z3_mk_simple_solver(s->c);
	Z3_params p;
	Z3_solver_inc_ref(s->c, sv);
	p = Z3_mk_params(s->c);
	Z3_params_inc_ref(s->c, p);
	Z3_params_set_uint(s->c, p, Z3_mk_string_symbol(s->c, "timeout"), s->timeout_ms);
	Z3_solver_set_params(s->c, sv, p);
	Z3_params_dec_ref(s->c, p);
	return sv;
}

void smt_solver_free(smt *s, Z3_solver sv)
{
	Z3_solver_dec_ref(s->c, sv);
}

void smt_date_limits(int64_t *lo, int64_t *hi)
{
	lr_date a = 0, b = 0;
	lr_date_from_ymd(&a, 1, 1, 1);
	lr_date_from_ymd(&b, 9999, 12, 31);
	*lo = a;
	*hi = b;
}

static void smt_month_walk(int64_t n, int64_t *lo, int64_t *hi);

void smt_month_range(int64_t n, int64_t *lo, int64_t *hi)
{
	/* A walk costs about 2 ms and rule sets use a few counts many times:
	 * the last counts are kept (per process; the workers are forks). */
	static struct {
		int64_t n, lo, hi;
	} cache[64];
	static size_t ncache, next;
	size_t k;

	for (k = 0; k < ncache; k++)
		if (cache[k].n == n) {
			*lo = cache[k].lo;
			*hi = cache[k].hi;
			return;
		}
	smt_month_walk(n, lo, hi);
	cache[next].n = n;
	cache[next].lo = *lo;
	cache[next].hi = *hi;
	next = (next + 1) % 64;
	if (ncache < 64)
		ncache++;
}

static void smt_month_walk(int64_t n, int64_t *lo, int64_t *hi)
{
	lr_date d0 = 0, d, out;
	int64_t i;
	lr_date_from_ymd(&d0, 2000, 1, 1);
	*lo = INT64_MAX;
	*hi = INT64_MIN;
	/* The Gregorian calendar repeats after 146,097 days: every anchor. */
	for (i = 0; i < 146097; i++) {
		d = (lr_date)(d0 + i);
		if (lr_date_add_months(&out, d, n) != LR_OK)
			continue;
		if (out - d < *lo)
			*lo = out - d;
		if (out - d > *hi)
			*hi = out - d;
	}
	if (*lo > *hi)
		*lo = *hi = 0;
}

/* ---- the context ---------------------------------------------------------------- */

/* Input i's domain: its type's values and its declared range. */
static Z3_ast input_domain(smt *s, uint32_t i)
{
	const lr_input_def *in = &s->lw->rs.inputs[i];
	int64_t lo = -INT64_MAX, hi = INT64_MAX;
	switch (in->type) {
	case LR_T_BOOL:
		return s->tru;
	case LR_T_ENUM:
		lo = 0;
		hi = (int64_t)in->nvalues - 1;
		break;
	case LR_T_DATE:
		smt_date_limits(&lo, &hi);
		break;
	case LR_T_NUM:
		break;
	}
	if (in->has_range) {
		lo = in->lo > lo ? in->lo : lo;
		hi = in->hi < hi ? in->hi : hi;
	}
	return between(s, s->v[i], lo, hi);
}

smt *smt_new(const ruleset_ast *rs, const lowered *lw, unsigned timeout_ms)
{
	smt *s = calloc(1, sizeof *s);
	Z3_config cfg;
	uint32_t i, cap;

	if (!s)
		return NULL;
	s->rs = rs;
	s->lw = lw;
	s->timeout_ms = timeout_ms;
	cfg = Z3_mk_config();
	s->c = Z3_mk_context_rc(cfg);
	Z3_del_config(cfg);
	Z3_set_error_handler(s->c, smt_on_error);
	s->int_sort = Z3_mk_int_sort(s->c);
	Z3_inc_ref(s->c, Z3_sort_to_ast(s->c, s->int_sort));
	s->bool_sort = Z3_mk_bool_sort(s->c);
	Z3_inc_ref(s->c, Z3_sort_to_ast(s->c, s->bool_sort));
	s->tru = Z3_mk_true(s->c);
	Z3_inc_ref(s->c, s->tru);
	smt_vec_push(&s->refs, s->tru);
	s->fls = smt_keep(s, Z3_mk_false(s->c));
	s->nin = lw->rs.ninputs;
	s->p = calloc(s->nin + 1, sizeof *s->p);
	s->v = calloc(s->nin + 1, sizeof *s->v);
	s->dom = calloc(s->nin + 1, sizeof *s->dom);
	s->lets = calloc(lw->rs.nlets + 1, sizeof *s->lets);
	s->tables = calloc(lw->rs.ntables + 1, sizeof *s->tables);
	s->rules = calloc(lw->rs.nrules + 1, sizeof *s->rules);
	s->scheds = calloc(lw->rs.nschedules + 1, sizeof *s->scheds);
	if (!s->p || !s->v || !s->dom || !s->lets || !s->tables || !s->rules || !s->scheds)
		abort();
	s->solver = smt_solver_new(s);
	s->held = -1;
	for (i = 0; i < s->nin; i++) {
		const lr_input_def *in = &lw->rs.inputs[i];
		char name[96];
		snprintf(name, sizeof name, "p!%s", in->name);
		s->p[i] = smt_keep(s, Z3_mk_const(s->c, Z3_mk_string_symbol(s->c, name), s->bool_sort));
		snprintf(name, sizeof name, "v!%s", in->name);
		s->v[i] = smt_keep(s, Z3_mk_const(s->c, Z3_mk_string_symbol(s->c, name),
						  in->type == LR_T_BOOL ? s->bool_sort : s->int_sort));
		s->dom[i] = input_domain(s, i);
		Z3_solver_assert(s->c, s->solver, s->dom[i]);
	}
	cap = lr_ruleset_max_actions(&lw->rs);
	s->acts = calloc(cap ? cap : 1, sizeof *s->acts);
	if (!s->acts)
		abort();
	lr_result_init(&s->res, s->acts, cap ? cap : 1);
	return s;
}

static void node_free(smt_node *n)
{
	free(n->sides.v);
	free(n->months.v);
}

void smt_free(smt *s)
{
	size_t i;
	if (!s)
		return;
	smt_solver_free(s, s->solver);
	for (i = 0; i < s->lw->rs.nlets; i++)
		node_free(&s->lets[i]);
	for (i = 0; i < s->lw->rs.ntables; i++)
		node_free(&s->tables[i]);
	for (i = 0; i < s->lw->rs.nrules; i++)
		node_free(&s->rules[i]);
	for (i = 0; i < s->lw->rs.nschedules; i++)
		node_free(&s->scheds[i]);
	free(s->scheds);
	for (i = 0; i < s->nmonths; i++)
		free(s->months[i].lemmas.v);
	free(s->months);
	for (i = 0; i < s->refs.n; i++)
		Z3_dec_ref(s->c, s->refs.v[i]);
	free(s->refs.v);
	Z3_dec_ref(s->c, Z3_sort_to_ast(s->c, s->int_sort));
	Z3_dec_ref(s->c, Z3_sort_to_ast(s->c, s->bool_sort));
	Z3_del_context(s->c);
	free(s->p);
	free(s->v);
	free(s->dom);
	free(s->lets);
	free(s->tables);
	free(s->rules);
	free(s->acts);
	free(s);
}

void smt_finalize(void)
{
	Z3_finalize_memory();
}

/* ---- nodes and their sides -------------------------------------------------------- */

static int gap(smt *s, span at, const char *why)
{
	if (!s->cur->gap.why) {
		s->cur->gap.why = why;
		s->cur->gap.at = at;
		s->cur->gap.file = s->file;
	}
	return -1;
}

void smt_take(smt *s, smt_node *n)
{
	size_t i, k;
	smt_node *c = s->cur;
	if (n->stamp == s->cur_stamp)
		return;
	n->stamp = s->cur_stamp;
	for (i = 0; i < n->sides.n; i++)
		smt_vec_push(&c->sides, n->sides.v[i]);
	for (i = 0; i < n->months.n; i++) {
		for (k = 0; k < c->months.n && c->months.v[k] != n->months.v[i]; k++)
			;
		if (k == c->months.n)
			smt_ivec_push(&c->months, n->months.v[i]);
	}
	for (i = 0; i < SMT_READ_WORDS; i++)
		c->reads[i] |= n->reads[i];
	if (!c->gap.why && n->gap.why)
		c->gap = n->gap;
	if (!c->approx)
		c->approx = n->approx;
}

void smt_assert_node(smt *s, Z3_solver sv, const smt_node *n)
{
	size_t i, k;
	for (i = 0; i < n->sides.n; i++)
		Z3_solver_assert(s->c, sv, n->sides.v[i]);
	for (i = 0; i < n->months.n; i++) {
		const smt_month *m = &s->months[n->months.v[i]];
		for (k = 0; k < m->lemmas.n; k++)
			Z3_solver_assert(s->c, sv, m->lemmas.v[k]);
	}
}

/* The index of d in v[0..n), or -1. */
int smt_index_of(const decl **v, uint32_t n, const decl *d)
{
	uint32_t i;
	for (i = 0; i < n; i++)
		if (v[i] == d)
			return (int)i;
	return -1;
}

/* Encodes body (NULL: always true) into node n as declaration d's. */
void smt_encode_decl(smt *s, smt_node *n, const decl *d, const expr *body)
{
	smt_node *saved = s->cur;
	const src_file *saved_file = s->file;
	unsigned saved_stamp = s->cur_stamp;

	n->state = 1;
	s->cur = n;
	s->file = d->file;
	s->cur_stamp = ++s->stamp;
	if (!body) {
		n->term.t = s->tru;
		n->term.f = s->fls;
	} else if (smt_enc(s, body, &n->term) != 0 && !n->gap.why) {
		gap(s, body->loc, "an expression the encoding does not cover");
	}
	n->state = 2;
	s->cur = saved;
	s->file = saved_file;
	s->cur_stamp = saved_stamp;
}

/* Whether the name a schedule gives for a date or count is known, as
 * lower.c's ref_program resolves it (no name: always known). */
static Z3_ast ident_known(smt *s, const ident *id)
{
	size_t i;
	if (!id->name)
		return s->tru;
	for (i = 0; i < s->rs->decls.len; i++) {
		const decl *d = s->rs->decls.items[i];
		if (d->id.name && strcmp(d->id.name, id->name) == 0 && d->kind != D_EXAMPLE && d->kind != D_RULE &&
		    d->kind != D_SOURCE && d->kind != D_STATEMENT) {
			expr e;
			smt_term t;
			memset(&e, 0, sizeof e);
			e.kind = EX_NAME;
			e.loc = id->loc;
			e.name = id->name;
			e.ref = d;
			e.type = d->type;
			if (smt_enc(s, &e, &t) != 0)
				return s->fls;
			return t.def ? t.def : smt_or2(s, t.t, t.f);
		}
	}
	return s->tru;
}

/* Schedule k's value is known (its dates and count are; VERIFY-Z3.md does
 * not model the phases: a date beyond year 9999 is left to replay), and
 * so is its amount: t. */
static smt_node *sched_node(smt *s, uint32_t k)
{
	smt_node *n = &s->scheds[k];
	const decl *d = s->lw->schedules[k];
	smt_node *saved = s->cur;
	const src_file *saved_file = s->file;
	unsigned saved_stamp = s->cur_stamp;
	smt_term a;

	if (n->state)
		return n;
	n->state = 1;
	s->cur = n;
	s->file = d->file;
	s->cur_stamp = ++s->stamp;
	n->term.t = smt_and2(s, smt_and2(s, ident_known(s, &d->anchor), ident_known(s, &d->last)),
			     smt_and2(s, ident_known(s, &d->asof), ident_known(s, &d->count)));
	if (d->amount && smt_enc(s, d->amount, &a) == 0 && a.def)
		n->term.t = smt_and2(s, n->term.t, a.def);
	n->state = 2;
	s->cur = saved;
	s->file = saved_file;
	s->cur_stamp = saved_stamp;
	return n;
}

/* A rule fires when its condition is true and each action's amount, due
 * date (and schedule) is known (runtime/eval.c's fire): t is "it fires". */
static void rule_actions(smt *s, smt_node *n, const decl *d)
{
	smt_node *saved = s->cur;
	const src_file *saved_file = s->file;
	unsigned saved_stamp = s->cur_stamp;
	size_t k;

	s->cur = n;
	s->file = d->file;
	s->cur_stamp = ++s->stamp;
	for (k = 0; k < d->actions.len && !n->gap.why; k++) {
		const action *a = d->actions.items[k];
		smt_term t;
		int i;
		if (a->amount) {
			if (smt_enc(s, a->amount, &t) != 0)
				break;
			n->term.t = smt_and2(s, n->term.t, t.def);
		}
		if (a->due) { /* a due date is needed as an amount is */
			if (smt_enc(s, a->due, &t) != 0)
				break;
			n->term.t = smt_and2(s, n->term.t, t.def);
		}
		if (a->sched && (i = smt_index_of(s->lw->schedules, s->lw->rs.nschedules, a->sched)) >= 0) {
			smt_node *sn = sched_node(s, (uint32_t)i);
			smt_take(s, sn);
			n->term.t = smt_and2(s, n->term.t, sn->term.t);
		}
	}
	s->cur = saved;
	s->file = saved_file;
	s->cur_stamp = saved_stamp;
}

smt_node *smt_rule_node(smt *s, uint32_t r)
{
	smt_node *n = &s->rules[r];
	if (n->state == 0) {
		const decl *d = s->lw->rules[r];
		smt_encode_decl(s, n, d, d->when);
		if (!n->gap.why)
			rule_actions(s, n, d);
	}
	return n;
}

const smt_gap *smt_rule_gap(smt *s, uint32_t r)
{
	return &smt_rule_node(s, r)->gap;
}
