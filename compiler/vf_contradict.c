/*
** vf_contradict.c: the contradiction analysis of `litrule verify`.  Two
** rules contradict when some patient makes both fire and their actions
** disagree about the same subject (action.subj, or the schedule of
** 'dose per S'): a dose against a hold or defer, a recommendation against
** a hold or defer, or two doses whose amounts differ for that patient.
** Not an error when the authors declared the relation: either rule
** overrides the other, or a 'may coexist with' note names the other.
**
** A subject may cover others ('subject S "..." covers A, B', transitively):
** an action on S is then also on A and B, so a recommendation on S and a
** hold of A disagree.  Actions are grouped by subject first, each action
** in the group of its subject and of every subject that covers it; in a
** group only pairs where one action is on the group's own subject are
** asked, so a pair is asked once and only rules acting on one subject are
** paired (never all pairs).  Each pair is one solver question
** in the worker (smt_pool.c); its witness is a patient record on which the
** runtime fired both rules (and, for doses, gave different amounts).
*/
#include "vf_solver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smt_pool.h"

typedef struct {
	const decl *grp;       /* the group: subj or a subject that covers it */
	const decl *subj;      /* what the action acts on */
	uint32_t rule;
	uint32_t act;
	act_verb verb;
} ct_entry;

typedef struct {
	ct_entry a, b;
} ct_pair;

typedef struct {
	ct_pair *pairs;
	size_t n, cap;
	size_t *todo;          /* the pairs the samples left to the solver */
	size_t ntodo;
} ct_data;

typedef struct {
	char kind;             /* 'C' contradiction, 'N' none, 'U' undecided */
	const char *why;       /* 'U' */
	smt_gap gap;           /* 'U' from an amount the encoding does not cover */
} ct_res;

static const decl *ct_subject(const action *a)
{
	return a->subj ? a->subj : a->sched;
}

static int ct_cmp(const void *x, const void *y)
{
	const ct_entry *a = x, *b = y;
	if (a->grp != b->grp)
		return (uintptr_t)a->grp < (uintptr_t)b->grp ? -1 : 1;
	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	return a->act < b->act ? -1 : a->act > b->act;
}

/* ---- covers: which subjects cover which ------------------------------------------ */

typedef struct {
	const decl *child, *parent;
} ct_edge;

typedef struct {
	ct_edge *e;            /* sorted by child */
	size_t n;
} ct_covers;

static int ct_edge_cmp(const void *x, const void *y)
{
	const ct_edge *a = x, *b = y;
	if (a->child != b->child)
		return (uintptr_t)a->child < (uintptr_t)b->child ? -1 : 1;
	return 0;
}

static void ct_covers_build(const ruleset_ast *rs, ct_covers *cv)
{
	size_t i, k, cap = 0;
	memset(cv, 0, sizeof *cv);
	for (i = 0; rs && i < rs->decls.len; i++) {
		const decl *d = rs->decls.items[i];
		if (d->kind != D_SUBJECT)
			continue;
		for (k = 0; k < d->covers_decls.len; k++) {
			if (cv->n == cap) {
				cap = cap ? cap * 2 : 16;
				cv->e = realloc(cv->e, cap * sizeof *cv->e);
				if (!cv->e)
					abort();
			}
			cv->e[cv->n].child = d->covers_decls.items[k];
			cv->e[cv->n++].parent = d;
		}
	}
	if (cv->n)
		qsort(cv->e, cv->n, sizeof *cv->e, ct_edge_cmp);
}

/* The subject and every subject that covers it, transitively, into *up
 * (malloc'd, grown as needed); returns how many.  Each subject once, so a
 * cycle of covers (an error in check) cannot loop. */
static size_t ct_ancestors(const ct_covers *cv, const decl *subj, const decl ***up, size_t *cap)
{
	size_t n = 0, i, k;
	if (*cap == 0) {
		*cap = 8;
		*up = malloc(*cap * sizeof **up);
		if (!*up)
			abort();
	}
	(*up)[n++] = subj;
	for (i = 0; i < n; i++) {
		ct_edge key, *hit;
		key.child = (*up)[i];
		hit = cv->n ? bsearch(&key, cv->e, cv->n, sizeof *cv->e, ct_edge_cmp) : NULL;
		if (!hit)
			continue;
		while (hit > cv->e && hit[-1].child == key.child)
			hit--;
		for (; hit < cv->e + cv->n && hit->child == key.child; hit++) {
			int seen = 0;
			for (k = 0; k < n && !seen; k++)
				seen = (*up)[k] == hit->parent;
			if (seen)
				continue;
			if (n == *cap) {
				*cap *= 2;
				*up = realloc(*up, *cap * sizeof **up);
				if (!*up)
					abort();
			}
			(*up)[n++] = hit->parent;
		}
	}
	return n;
}

static int ct_stop(act_verb v) { return v == ACT_HOLD || v == ACT_DEFER; }

/* Whether two actions on one subject disagree (before asking the solver). */
static int ct_conflict(const vf_ctx *c, const ct_entry *x, const ct_entry *y)
{
	if ((x->verb == ACT_DOSE || x->verb == ACT_RECOMMEND) && ct_stop(y->verb))
		return 1;
	if ((y->verb == ACT_DOSE || y->verb == ACT_RECOMMEND) && ct_stop(x->verb))
		return 1;
	if (x->verb == ACT_DOSE && y->verb == ACT_DOSE) {
		const action *p = c->lw->rules[x->rule]->actions.items[x->act];
		const action *q = c->lw->rules[y->rule]->actions.items[y->act];
		/* 'dose per S' twice gives S's one amount: no disagreement. */
		return !(p->amount == NULL && q->amount == NULL && p->sched && p->sched == q->sched);
	}
	return 0;
}

/* The authors said how the two relate: overrides or may coexist. */
static int ct_declared(const decl *a, const decl *b)
{
	size_t i;
	for (i = 0; i < a->overridden.len; i++)
		if (a->overridden.items[i] == b)
			return 1;
	for (i = 0; i < b->overridden.len; i++)
		if (b->overridden.items[i] == a)
			return 1;
	for (i = 0; i < a->coexists.len; i++)
		if (((const coexist_note *)a->coexists.items[i])->target == b)
			return 1;
	for (i = 0; i < b->coexists.len; i++)
		if (((const coexist_note *)b->coexists.items[i])->target == a)
			return 1;
	return 0;
}

static void ct_add(ct_data *d, const ct_entry *a, const ct_entry *b)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->pairs = realloc(d->pairs, d->cap * sizeof *d->pairs);
		if (!d->pairs)
			abort();
	}
	d->pairs[d->n].a = *a;
	d->pairs[d->n].b = *b;
	d->n++;
}

/* Pairs of rules acting on one subject whose actions disagree, once per
 * rule pair and subject, undeclared. */
static void ct_collect(const vf_ctx *c, ct_data *out)
{
	ct_entry *e = NULL;
	size_t n = 0, cap = 0, i, j, k, g, q, nup, upcap = 0;
	const decl **up = NULL;
	ct_covers cv;
	uint32_t r;

	memset(out, 0, sizeof *out);
	ct_covers_build(c->rs, &cv);
	for (r = 0; r < c->lw->rs.nrules; r++) {
		const decl *d = c->lw->rules[r];
		for (k = 0; k < d->actions.len; k++) {
			const action *a = d->actions.items[k];
			if (!ct_subject(a) || (a->verb != ACT_DOSE && a->verb != ACT_RECOMMEND && !ct_stop(a->verb)))
				continue;
			nup = ct_ancestors(&cv, ct_subject(a), &up, &upcap);
			for (q = 0; q < nup; q++) {
				if (n == cap) {
					cap = cap ? cap * 2 : 64;
					e = realloc(e, cap * sizeof *e);
					if (!e)
						abort();
				}
				e[n].grp = up[q];
				e[n].subj = ct_subject(a);
				e[n].rule = r;
				e[n].act = (uint32_t)k;
				e[n].verb = a->verb;
				n++;
			}
		}
	}
	free(up);
	free(cv.e);
	if (n)
		qsort(e, n, sizeof *e, ct_cmp);
	for (g = 0; g < n; g = j) {
		for (j = g; j < n && e[j].grp == e[g].grp; j++)
			;
		for (i = g; i < j; i++)
			for (k = i + 1; k < j; k++) {
				size_t m;
				int seen = 0;
				/* Two actions on subjects the group's subject covers
				 * (siblings) are not on one subject. */
				if ((e[i].subj != e[i].grp && e[k].subj != e[k].grp) || e[i].rule == e[k].rule ||
				    !ct_conflict(c, &e[i], &e[k]) ||
				    ct_declared(c->lw->rules[e[i].rule], c->lw->rules[e[k].rule]))
					continue;
				for (m = out->n; m-- > 0 && out->pairs[m].a.grp == e[i].grp;)
					if (out->pairs[m].a.rule == e[i].rule && out->pairs[m].b.rule == e[k].rule)
						seen = 1;
				if (!seen)
					ct_add(out, &e[i], &e[k]);
			}
	}
	free(e);
}

/* ---- the worker's side -------------------------------------------------------------- */

typedef struct {
	uint32_t r1, r2;
} ct_doses;

/* Both rules' doses in the runtime's result differ somewhere. */
static int ct_amounts_differ(void *ud, const lr_result *res)
{
	const ct_doses *p = ud;
	uint32_t i, k;
	for (i = 0; i < res->nactions; i++)
		for (k = 0; k < res->nactions; k++) {
			const lr_action *x = &res->actions[i], *y = &res->actions[k];
			if (x->rule == p->r1 && y->rule == p->r2 && x->has_dose && y->has_dose &&
			    lr_dec_cmp(x->amount, y->amount) != 0)
				return 1;
		}
	return 0;
}

static void ct_job(void *ud, size_t job, FILE *out)
{
	vf_sw *w = ud;
	const ct_data *data = w->data;
	const ct_pair *p = &data->pairs[data->todo[job]];
	uint32_t rules[2] = {p->a.rule, p->b.rule};
	Z3_ast extra = NULL;
	char *witness = NULL;
	ct_res r;
	smt_answer a;
	ct_doses doses = {p->a.rule, p->b.rule};

	memset(&r, 0, sizeof r);
	if (smt_rule_gap(w->s, rules[0])->why || smt_rule_gap(w->s, rules[1])->why) {
		r.kind = 'N'; /* dead-rule reports the rule as not analysed */
		fwrite(&r, sizeof r, 1, out);
		return;
	}
	if (p->a.verb == ACT_DOSE && p->b.verb == ACT_DOSE) {
		Z3_ast d1, v1, d2, v2;
		if (smt_action_amount(w->s, p->a.rule, p->a.act, &d1, &v1, &r.gap) != 0 ||
		    smt_action_amount(w->s, p->b.rule, p->b.act, &d2, &v2, &r.gap) != 0) {
			r.kind = 'U';
			r.why = r.gap.why;
			fwrite(&r, sizeof r, 1, out);
			return;
		}
		extra = smt_and2(w->s, smt_and2(w->s, d1, d2),
				 smt_not(w->s, smt_keep(w->s, Z3_mk_eq(smt_ctx(w->s), v1, v2))));
	}
	smt_hold(w->s, (int)rules[0]); /* the pairs of one rule come in a run */
	a = smt_query(w->s, rules, 2, extra, extra ? ct_amounts_differ : NULL, &doses, &witness, &r.why);
	r.kind = a == SMT_SAT ? 'C' : a == SMT_UNSAT ? 'N' : 'U';
	fwrite(&r, sizeof r, 1, out);
	if (witness)
		fputs(witness, out);
	free(witness);
}

/* ---- reporting ------------------------------------------------------------------------ */

static const char *ct_verb(act_verb v)
{
	switch (v) {
	case ACT_DOSE: return "doses";
	case ACT_HOLD: return "holds";
	case ACT_DEFER: return "defers";
	default: return "recommends";
	}
}

/* "'S'", or "'G', which covers 'X'" when a cover put the pair together. */
static const char *ct_on(vf_ctx *c, const ct_pair *p)
{
	const decl *g = p->a.grp, *x = p->a.subj != g ? p->a.subj : p->b.subj;
	if (x == g)
		return arena_printf(c->a, "'%s'", g->id.name);
	return arena_printf(c->a, "'%s', which covers '%s'", g->id.name, x->id.name);
}

static void ct_finding(vf_ctx *c, const vf_check *self, const ct_pair *p, const char *witness)
{
	const decl *d1 = c->lw->rules[p->a.rule], *d2 = c->lw->rules[p->b.rule];
	const action *a1 = d1->actions.items[p->a.act], *a2 = d2->actions.items[p->b.act];
	const char *subj = p->a.grp->id.name, *on = ct_on(c, p);
	int covered = p->a.subj != p->b.subj;
	const char *cov = covered ? (p->a.subj != p->a.grp ? p->a.subj : p->b.subj)->id.name : "";
	size_t n = strlen(witness) + strlen(d1->id.name) + strlen(d2->id.name) + strlen(subj) + strlen(cov) + 80;
	char *props = arena_alloc(c->a, n), key[256];
	diag *g;

	if (covered)
		snprintf(props, n, "{\"witness\": %s, \"rules\": [\"%s\", \"%s\"], \"subject\": \"%s\", \"covers\": \"%s\"}",
			 witness, d1->id.name, d2->id.name, subj, cov);
	else
		snprintf(props, n, "{\"witness\": %s, \"rules\": [\"%s\", \"%s\"], \"subject\": \"%s\"}", witness,
			 d1->id.name, d2->id.name, subj);
	snprintf(key, sizeof key, "contradiction %s %s %s", d1->id.name, d2->id.name, subj);
	if (p->a.verb == ACT_DOSE && p->b.verb == ACT_DOSE)
		g = vf_report(c, self, d1->file, a1->loc, props, key,
			      "rules '%s' and '%s' both dose %s with different amounts for the same patient",
			      d1->id.name, d2->id.name, on);
	else if (!covered)
		g = vf_report(c, self, d1->file, a1->loc, props, key,
			      "rules '%s' and '%s' contradict on %s: '%s' %s it and '%s' %s it, for the same patient",
			      d1->id.name, d2->id.name, on, d1->id.name, ct_verb(p->a.verb), d2->id.name,
			      ct_verb(p->b.verb));
	else
		g = vf_report(c, self, d1->file, a1->loc, props, key,
			      "rules '%s' and '%s' contradict on %s: '%s' %s '%s' and '%s' %s '%s', for the same patient",
			      d1->id.name, d2->id.name, on, d1->id.name, ct_verb(p->a.verb), p->a.subj->id.name,
			      d2->id.name, ct_verb(p->b.verb), p->b.subj->id.name);
	diag_note(c->d, g, d2->file, a2->loc.start, a2->loc.end, "'%s' %s '%s' here", d2->id.name,
		  ct_verb(p->b.verb), p->b.subj->id.name);
	diag_note(c->d, g, d1->file, d1->id.loc.start, d1->id.loc.end,
		  "both fire for the patient %s; declare which wins ('overrides') or 'may coexist with'", witness);
}

/* Witnesses from random patients, for the pairs they settle: wit[i]
 * (malloc'd) or NULL; the others go to data->todo. */
static char **ct_sampled(const vf_ctx *c, ct_data *data)
{
	char **wit = calloc(data->n + 1, sizeof *wit);
	vf_samples smp;
	size_t i;

	data->todo = calloc(data->n + 1, sizeof *data->todo);
	if (!wit || !data->todo)
		abort();
	data->ntodo = 0;
	if (data->n)
		vf_samples_draw(c->lw, 256, &smp);
	for (i = 0; i < data->n; i++) {
		const ct_pair *p = &data->pairs[i];
		ct_doses doses = {p->a.rule, p->b.rule};
		int both_dose = p->a.verb == ACT_DOSE && p->b.verb == ACT_DOSE;
		wit[i] = vf_pair_witness(c->lw, &smp, p->a.rule, p->b.rule, both_dose ? ct_amounts_differ : NULL, &doses);
		if (!wit[i])
			data->todo[data->ntodo++] = i;
	}
	if (data->n)
		vf_samples_free(&smp);
	return wit;
}

void vf_contradict_run(vf_ctx *c, const vf_check *self)
{
	ct_data data;
	char **res, **wit;
	size_t *lens, i, k;

	if (!c->lw)
		return;
	ct_collect(c, &data);
	wit = ct_sampled(c, &data);
	if (getenv("LITRULE_VERIFY_STATS"))
		fprintf(stderr, "contradiction: %zu pairs, %zu settled by random patients\n", data.n, data.n - data.ntodo);
	res = vf_sw_run(c, &data, data.ntodo, vf_sw_deadline(), ct_job, &lens);
	/* In pair order, whichever way each pair was settled. */
	for (i = 0, k = 0; i < data.n; i++) {
		const ct_pair *p = &data.pairs[i];
		const ct_res *r;
		const decl *d1 = c->lw->rules[p->a.rule], *d2 = c->lw->rules[p->b.rule];
		char key[256];
		if (wit[i]) {
			ct_finding(c, self, p, wit[i]);
			continue;
		}
		r = (const ct_res *)res[k];
		snprintf(key, sizeof key, "contradiction %s %s %s", d1->id.name, d2->id.name, p->a.grp->id.name);
		if (!r || lens[k] < sizeof *r)
			vf_not_analysed(c, NULL, d1, key, "rules '%s' and '%s' (on %s) not analysed for a contradiction: "
					"the solver did not stop in time", d1->id.name, d2->id.name, ct_on(c, p));
		else if (r->kind == 'U')
			vf_not_analysed(c, r->gap.why ? &r->gap : NULL, d1, key,
					"rules '%s' and '%s' (on %s) not analysed for a contradiction: %s", d1->id.name,
					d2->id.name, ct_on(c, p), r->why ? r->why : "undecided");
		else if (r->kind == 'C' && lens[k] > sizeof *r)
			ct_finding(c, self, p, res[k] + sizeof *r);
		k++;
	}
	smt_pool_free(res, lens, data.ntodo);
	for (i = 0; i < data.n; i++)
		free(wit[i]);
	free(wit);
	free(data.todo);
	free(data.pairs);
}
