/*
** vf_dead.c: dead-rule (a condition no patient within the declared input
** ranges satisfies), unreachable-row (a table row no key value reaches)
** and always-overridden (a rule that never fires without a rule that
** overrides it firing too), each with its reason: the conflicting
** constraints of Z3's unsat core, as notes at their source.  Conditions
** the encoding does not cover are reported as not-analysed here, once per
** rule, so that no rule passes the solver checks silently.
*/
#include "vf_solver.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smt_pool.h"

unsigned vf_smt_timeout_ms = 2000;

#define MAX_WHY 8

/* ---- shared worker plumbing --------------------------------------------------------- */

void vf_sw_init(void *ud)
{
	vf_sw *w = ud;
	w->s = smt_new(w->c->rs, w->c->lw, vf_smt_timeout_ms);
}

void vf_sw_fini(void *ud)
{
	vf_sw *w = ud;
	smt_free(w->s);
	w->s = NULL;
	/* Z3's global state, for the leak checkers; only once no context
	 * will follow in this process (a worker ends here). */
	if (!smt_pool_inprocess)
		smt_finalize();
}

unsigned vf_sw_deadline(void)
{
	return 4 * vf_smt_timeout_ms + 2000;
}

char **vf_sw_run(vf_ctx *c, void *data, size_t njobs, unsigned deadline_ms,
		 void (*run)(void *ud, size_t job, FILE *out), size_t **lens)
{
	vf_sw w;
	smt_pool_job j;

	memset(&w, 0, sizeof w);
	w.c = c;
	w.data = data;
	memset(&j, 0, sizeof j);
	j.njobs = njobs;
	j.deadline_ms = deadline_ms;
	j.init = vf_sw_init;
	j.run = run;
	j.fini = vf_sw_fini;
	j.ud = &w;
	return smt_pool_run(&j, lens);
}

void vf_reason_notes(vf_ctx *c, diag *g, const smt_reason *rs, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		const smt_reason *r = &rs[i];
		if (r->kind == SMT_R_RANGE)
			diag_note(c->d, g, r->file, r->at.start, r->at.end, "the declared range of '%s'", r->what);
		else if (r->kind == SMT_R_ROW)
			diag_note(c->d, g, r->file, r->at.start, r->at.end, "this earlier row matches first");
		else
			diag_note(c->d, g, r->file, r->at.start, r->at.end, "this part of the condition conflicts");
	}
}

int vf_rule_index(const vf_ctx *c, const decl *d)
{
	uint32_t i;
	if (!d)
		return -1;
	if (d->index < c->lw->rs.nrules && c->lw->rules[d->index] == d)
		return (int)d->index;
	for (i = 0; i < c->lw->rs.nrules; i++)
		if (c->lw->rules[i] == d)
			return (int)i;
	return -1;
}

diag *vf_not_analysed(vf_ctx *c, const smt_gap *g, const decl *d, const char *key, const char *fmt, ...)
{
	const vf_check *self = vf_check_by_id("not-analysed");
	char msg[512];
	va_list ap;
	span at = d->id.loc;
	const src_file *f = d->file;
	if (!self)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (g && g->why && g->file) {
		f = g->file;
		at = g->at;
	}
	return vf_report(c, self, f, at, NULL, key, "%s", msg);
}

void vf_not_analysed_run(vf_ctx *c, const vf_check *self)
{
	(void)c;
	(void)self;
}

/* ---- dead-rule ---------------------------------------------------------------------------- */

enum { R_LIVE = 'L', R_DEAD = 'D', R_UNKNOWN = 'U', R_GAP = 'G' };

typedef struct {
	char kind;
	smt_gap gap;           /* R_GAP */
	const char *why;       /* R_UNKNOWN: static text */
	size_t nwhy;
	smt_reason reason[MAX_WHY];
} vf_dead_res;

static void dead_job(void *ud, size_t job, FILE *out)
{
	vf_sw *w = ud;
	vf_dead_res r;
	const unsigned char *live = w->data;
	uint32_t rule = (uint32_t)job;
	const smt_gap *g;
	memset(&r, 0, sizeof r);
	g = smt_rule_gap(w->s, rule);
	if (g->why) {
		r.kind = R_GAP;
		r.gap = *g;
	} else if (live[rule]) {
		r.kind = R_LIVE; /* a random patient fired it (vf_sample.c) */
	} else {
		smt_answer a = smt_query(w->s, &rule, 1, NULL, NULL, NULL, NULL, &r.why);
		r.kind = a == SMT_SAT ? R_LIVE : a == SMT_UNSAT ? R_DEAD : R_UNKNOWN;
		if (a == SMT_UNSAT)
			r.nwhy = smt_rule_core(w->s, rule, r.reason, MAX_WHY);
	}
	fwrite(&r, sizeof r, 1, out);
}


void vf_dead_run(vf_ctx *c, const vf_check *self)
{
	char **res;
	size_t *lens, i;
	unsigned char *live;

	if (!c->lw)
		return;
	/* Rules a random patient fires need no question; the worker still
	 * encodes them, to report what it cannot encode. */
	live = calloc(c->lw->rs.nrules + 1, 1);
	if (!live)
		abort();
	vf_sample_live(c->lw, live, 256);
	res = vf_sw_run(c, live, c->lw->rs.nrules, vf_sw_deadline(), dead_job, &lens);
	for (i = 0; i < c->lw->rs.nrules; i++) {
		const decl *d = c->lw->rules[i];
		const vf_dead_res *r = (const vf_dead_res *)res[i];
		char key[160];
		snprintf(key, sizeof key, "rule %s", d->id.name);
		if (!r || lens[i] != sizeof *r) {
			vf_not_analysed(c, NULL, d, key, "rule '%s' not analysed: the solver did not stop in time", d->id.name);
		} else if (r->kind == R_GAP) {
			vf_not_analysed(c, &r->gap, d, key,
					"rule '%s' not analysed by the solver checks (dead-rule, contradiction): %s",
					d->id.name, r->gap.why);
		} else if (r->kind == R_UNKNOWN) {
			vf_not_analysed(c, NULL, d, key, "rule '%s' not analysed: %s", d->id.name, r->why);
		} else if (r->kind == R_DEAD) {
			diag *g = vf_report(c, self, d->file, d->when ? d->when->loc : d->id.loc, NULL, key,
					    "rule '%s' can never fire: no patient within the declared input ranges "
					    "satisfies its condition", d->id.name);
			vf_reason_notes(c, g, r->reason, r->nwhy);
		}
	}
	smt_pool_free(res, lens, c->lw->rs.nrules);
	free(live);
}
