/*
** vf_shadow.c: unreachable-row (a table row that no key value within the
** declared input ranges reaches: for 'hit first', given the earlier rows)
** and always-overridden (a rule that cannot fire without one of the rules
** that override it firing too, so its actions never reach a decision).
** Both with their reasons from Z3's unsat core (smt_core.c).
*/
#include "vf_solver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smt_pool.h"

#define MAX_WHY 8

/* ---- unreachable-row ------------------------------------------------------------------ */

typedef struct {
	char kind;              /* 'R' reached, 'N' never, 'U' undecided */
	smt_gap gap;            /* 'U': why */
	size_t nwhy;
	smt_reason reason[MAX_WHY];
} vf_row_res;

static void rows_job(void *ud, size_t job, FILE *out)
{
	vf_sw *w = ud;
	const lr_table_def *td = &w->c->lw->rs.tables[job];
	uint32_t k;
	for (k = 0; k < td->nrows; k++) {
		vf_row_res r;
		smt_answer a;
		memset(&r, 0, sizeof r);
		a = smt_row_reachable(w->s, (uint32_t)job, k, r.reason, MAX_WHY, &r.nwhy, &r.gap);
		r.kind = a == SMT_SAT ? 'R' : a == SMT_UNSAT ? 'N' : 'U';
		fwrite(&r, sizeof r, 1, out);
		if (a == SMT_UNKNOWN && strcmp(r.gap.why ? r.gap.why : "", "solver timeout") != 0)
			break; /* the table itself is not encodable: one finding */
	}
}

static void row_finding(vf_ctx *c, const vf_check *self, const decl *t, uint32_t k, const vf_row_res *r)
{
	const table_row *row = k < t->rows.len ? t->rows.items[k] : NULL;
	span at = row ? row->loc : t->id.loc;
	char key[160];
	size_t i, nrows = 0;
	diag *g;
	snprintf(key, sizeof key, "table %s row %u", t->id.name, k + 1);
	for (i = 0; i < r->nwhy; i++)
		nrows += r->reason[i].kind == SMT_R_ROW;
	/* Rows that cover it by themselves are check's table-masked warning
	 * (sema.c); verify adds what needs the key's possible values. */
	if (nrows && nrows == r->nwhy)
		return;
	g = vf_report(c, self, t->file, at, NULL, key, "row %u of table '%s' is never reached: %s", k + 1,
		      t->id.name,
		      nrows ? "earlier rows match every key value the declared input ranges allow in its interval"
			    : "no key value within the declared input ranges lies in its interval");
	vf_reason_notes(c, g, r->reason, r->nwhy);
}

void vf_rows_run(vf_ctx *c, const vf_check *self)
{
	char **res;
	size_t *lens, i;

	if (!c->lw)
		return;
	res = vf_sw_run(c, NULL, c->lw->rs.ntables, vf_sw_deadline() * 4, rows_job, &lens);
	for (i = 0; i < c->lw->rs.ntables; i++) {
		const decl *t = c->lw->tables[i];
		const vf_row_res *r = (const vf_row_res *)res[i];
		size_t n = res[i] ? lens[i] / sizeof *r : 0, k;
		char key[160];
		snprintf(key, sizeof key, "table %s", t->id.name);
		if (!res[i] || lens[i] % sizeof *r != 0 || n == 0) {
			if (c->lw->rs.tables[i].nrows)
				vf_not_analysed(c, NULL, t, key, "table '%s' not analysed (unreachable-row): the solver did not stop in time",
						t->id.name);
			continue;
		}
		for (k = 0; k < n; k++) {
			if (r[k].kind == 'N')
				row_finding(c, self, t, (uint32_t)k, &r[k]);
			else if (r[k].kind == 'U')
				vf_not_analysed(c, &r[k].gap, t, key, "table '%s' not analysed (unreachable-row): %s",
						t->id.name, r[k].gap.why);
		}
	}
	smt_pool_free(res, lens, c->lw->rs.ntables);
}

/* ---- always-overridden ---------------------------------------------------------------- */

typedef struct {
	uint32_t *rules;        /* the rules analysed (those that something overrides) */
	uint32_t **by;          /* by[k]: the rules overriding rules[k] */
	size_t *nby, n;
} ov_data;

typedef struct {
	char kind;              /* 'A' always overridden, 'S' sometimes fires alone, 'U' undecided, 'D' dead */
	const char *why;
} vf_ov_res;

static void ov_job(void *ud, size_t job, FILE *out)
{
	vf_sw *w = ud;
	ov_data *o = w->data;
	vf_ov_res r;
	uint32_t rule = o->rules[job];
	smt_answer a;
	memset(&r, 0, sizeof r);
	a = smt_query(w->s, &rule, 1, NULL, NULL, NULL, NULL, &r.why);
	if (a == SMT_SAT)
		a = smt_query_alone(w->s, rule, o->by[job], o->nby[job], NULL, &r.why);
	else
		r.kind = a == SMT_UNSAT ? 'D' : 'U'; /* dead-rule reports these */
	if (!r.kind)
		r.kind = a == SMT_UNSAT ? 'A' : a == SMT_SAT ? 'S' : 'U';
	fwrite(&r, sizeof r, 1, out);
}

/* The rules something overrides, each with its overriders. */
static void ov_collect(const vf_ctx *c, ov_data *o)
{
	uint32_t i, n = c->lw->rs.nrules;
	size_t k, m;
	int *slot = malloc((n + 1) * sizeof *slot);
	if (!slot)
		abort();
	memset(o, 0, sizeof *o);
	for (i = 0; i < n; i++)
		slot[i] = -1;
	for (i = 0; i < n; i++) {
		const decl *d = c->lw->rules[i];
		for (k = 0; k < d->overridden.len; k++) {
			int t = vf_rule_index(c, d->overridden.items[k]);
			if (t < 0 || (uint32_t)t == i)
				continue;
			if (slot[t] < 0) {
				slot[t] = (int)o->n++;
				o->rules = realloc(o->rules, o->n * sizeof *o->rules);
				o->by = realloc(o->by, o->n * sizeof *o->by);
				o->nby = realloc(o->nby, o->n * sizeof *o->nby);
				if (!o->rules || !o->by || !o->nby)
					abort();
				o->rules[o->n - 1] = (uint32_t)t;
				o->by[o->n - 1] = NULL;
				o->nby[o->n - 1] = 0;
			}
			m = (size_t)slot[t];
			o->by[m] = realloc(o->by[m], (o->nby[m] + 1) * sizeof **o->by);
			if (!o->by[m])
				abort();
			o->by[m][o->nby[m]++] = i;
		}
	}
	free(slot);
}

void vf_overridden_run(vf_ctx *c, const vf_check *self)
{
	ov_data o;
	char **res;
	size_t *lens, i, k;

	if (!c->lw)
		return;
	ov_collect(c, &o);
	res = vf_sw_run(c, &o, o.n, vf_sw_deadline(), ov_job, &lens);
	for (i = 0; i < o.n; i++) {
		const decl *d = c->lw->rules[o.rules[i]];
		const vf_ov_res *r = (const vf_ov_res *)res[i];
		char key[160];
		snprintf(key, sizeof key, "overridden %s", d->id.name);
		if (!r || lens[i] != sizeof *r) {
			vf_not_analysed(c, NULL, d, key, "rule '%s' not analysed (always-overridden): the solver did not stop in time",
					d->id.name);
		} else if (r->kind == 'U' && r->why) {
			vf_not_analysed(c, NULL, d, key, "rule '%s' not analysed (always-overridden): %s", d->id.name, r->why);
		} else if (r->kind == 'A') {
			diag *g = vf_report(c, self, d->file, d->id.loc, NULL, key,
					    "rule '%s' never fires without a rule that overrides it firing too: its actions "
					    "never reach a decision", d->id.name);
			for (k = 0; k < o.nby[i]; k++) {
				const decl *b = c->lw->rules[o.by[i][k]];
				diag_note(c->d, g, b->file, b->id.loc.start, b->id.loc.end, "'%s' overrides it", b->id.name);
			}
		}
	}
	smt_pool_free(res, lens, o.n);
	for (i = 0; i < o.n; i++)
		free(o.by[i]);
	free(o.by);
	free(o.nby);
	free(o.rules);
}
