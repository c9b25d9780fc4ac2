/*
** bench_eval.c: evaluation speed of a generated rule table, measured in
** one run against a hand-written C function implementing the same rules
** (bench/reference_*.c), which shows what the hardware can do.  Three
** ways are timed: lr_eval on an lr_record (the generated native
** evaluator, its decisions expanded to full lr_actions), the typed API
** (NAME_eval on the generated NAME_input struct, compact decisions), and
** the reference.
**
** Build (bench/run.sh does this):
**   cc -O2 -include GEN.h -DRULESET=lr_ruleset_NAME -DRULESET_NAME=NAME bench_eval.c reference_NAME.c \
**      GEN.c liblitrule.a -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free
**
** Patients are generated in memory before timing (deterministic PRNG,
** values within declared ranges, about 10% of inputs absent), so the
** timed loop is evaluation only.  The malloc wrappers count every heap
** allocation made while the timed loops run: the runtime must make none.
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "litrule.h"
#include "litrule_table.h"
#include "reference.h"

#ifndef RULESET
#error "compile with -DRULESET=<generated lr_ruleset symbol> and -include its header"
#endif
#ifndef RULESET_NAME
#error "compile with -DRULESET_NAME=<the rule set's name>, the prefix of its typed API (NAME_eval)"
#endif
/* The generated typed API: NAME_input, NAME_eval, NAME_input_from_record. */
#define BE_CAT2(a, b) a##b
#define BE_CAT(a, b) BE_CAT2(a, b)
#define TYPED_INPUT BE_CAT(RULESET_NAME, _input)
#define TYPED_EVAL BE_CAT(RULESET_NAME, _eval)
#define TYPED_FROM_RECORD BE_CAT(RULESET_NAME, _input_from_record)

/* ---- allocation counter --------------------------------------------------- */
void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);
static volatile long allocations;
void *__wrap_malloc(size_t n) { allocations++; return __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t m) { allocations++; return __real_calloc(n, m); }
void *__wrap_realloc(void *p, size_t n) { allocations++; return __real_realloc(p, n); }
void __wrap_free(void *p) { __real_free(p); }

/* ---- patients ---------------------------------------------------------------- */
static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void random_record(lr_record *r, const lr_ruleset *rs)
{
	uint32_t i;
	lr_date base;
	lr_date_from_ymd(&base, 2023, 1, 1);
	lr_record_init(r, rs);
	for (i = 0; i < rs->ninputs; i++) {
		const lr_input_def *in = &rs->inputs[i];
		if (next_rand() % 10 == 0)
			continue; /* absent */
		switch (in->type) {
		case LR_T_BOOL: lr_record_set_bool(r, i, (int)(next_rand() & 1)); break;
		case LR_T_DATE: lr_record_set_date(r, i, base + (lr_date)(next_rand() % 1500)); break;
		case LR_T_ENUM:
			r->state[i] = 1;
			r->v[i] = (int64_t)(next_rand() % (in->nvalues ? in->nvalues : 1));
			break;
		case LR_T_NUM: {
			int64_t lo = in->has_range ? in->lo : 0, hi = in->has_range ? in->hi : 100 * LR_DEC_SCALE;
			/* Whole hundredths within the range, like laboratory values. */
			int64_t steps = (hi - lo) / (LR_DEC_SCALE / 100);
			int64_t v = lo + (int64_t)(next_rand() % (uint64_t)(steps + 1)) * (LR_DEC_SCALE / 100);
			r->state[i] = 1;
			r->v[i] = v;
			break;
		}
		}
	}
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

#define NPAT 4096

/* Whether the compact decisions of the typed path say what the
 * interpreter's result says: every action (rule, action, dynamic values,
 * overrider), every missing input (and the rule that needed it), every
 * error.  The interpreter is the reference here (lr_eval_interpret). */
static int typed_agrees(const lr_ruleset *rs, const lr_decisions *d, int drc, const lr_result *r, int rrc)
{
	uint32_t k;
	if (drc != rrc || d->ndecisions != r->nactions || d->noverridden != r->noverridden ||
	    d->nmissing != r->nmissing || d->nerrors != r->nerrors)
		return 0;
	for (k = 0; k < d->ndecisions + d->noverridden; k++) {
		lr_action a;
		const lr_action *b = &r->actions[k];
		if (lr_decision_action(&a, rs, &d->decisions[k]) != LR_OK || a.rule != b->rule || a.text != b->text ||
		    a.has_dose != b->has_dose || a.amount.v != b->amount.v || a.phase != b->phase ||
		    a.next_due != b->next_due || a.overdue != b->overdue || a.overridden_by_id != b->overridden_by_id)
			return 0;
	}
	for (k = 0; k < d->nmissing; k++)
		if (d->missing[k].input != r->missing[k].input || rs->rules[d->missing[k].rule].id != r->missing[k].rule_id)
			return 0;
	for (k = 0; k < d->nerrors; k++)
		if (d->errors[k].code != r->errors[k].code || d->errors[k].input != r->errors[k].input ||
		    d->errors[k].rule_id != r->errors[k].rule_id)
			return 0;
	return 1;
}

int main(int argc, char **argv)
{
	const lr_ruleset *rs = &RULESET;
	static lr_record recs[NPAT];
	static TYPED_INPUT typed[NPAT];
	lr_result res;
	lr_action *acts;
	lr_decision *decs;
	lr_decisions dres;
	ref_result rr;
	long iters = argc > 1 ? atol(argv[1]) : 5000000;
	long i, fired = 0, rfired = 0, tfired = 0, before, listed = 0, with_missing = 0;
	double t0, t_lr, t_ref, t_typed, best_lr = 1e30, best_ref = 1e30, best_typed = 1e30;
	int round;
	const char *only;

	if (lr_ruleset_check(rs) != LR_OK || ref_setup(rs) != 0) {
		fprintf(stderr, "bench: table or reference setup failed\n");
		return 1;
	}
	/* The caller's action buffer, sized by the compiler's bound. */
	acts = malloc((size_t)(lr_ruleset_max_actions(rs) ? lr_ruleset_max_actions(rs) : 1) * sizeof *acts);
	if (!acts || lr_result_init(&res, acts, lr_ruleset_max_actions(rs)) != LR_OK) {
		fprintf(stderr, "bench: out of memory\n");
		return 1;
	}
	decs = malloc((size_t)(lr_ruleset_max_actions(rs) ? lr_ruleset_max_actions(rs) : 1) * sizeof *decs);
	if (!decs || lr_decisions_init(&dres, decs, lr_ruleset_max_actions(rs)) != LR_OK) {
		fprintf(stderr, "bench: out of memory\n");
		return 1;
	}
	for (i = 0; i < NPAT; i++) {
		random_record(&recs[i], rs);
		if (TYPED_FROM_RECORD(&typed[i], &recs[i]) != LR_OK) {
			fprintf(stderr, "bench: typed input conversion failed\n");
			return 1;
		}
	}
	/* Agreement first: the reference must decide what the interpreter
	 * decides, and so must the native evaluator through lr_eval and
	 * through the typed struct (actions, missing inputs, errors). */
	for (i = 0; i < NPAT; i++) {
		int rc = lr_eval_interpret(&res, rs, &recs[i]), trc;
		if (ref_eval(&rr, &recs[i]) != 0 || !ref_agrees(&rr, &res, rc)) {
			fprintf(stderr, "bench: reference and table disagree on patient %ld\n", i);
			return 1;
		}
		listed += rr.nmissing;
		with_missing += rr.nmissing != 0;
		trc = TYPED_EVAL(&dres, &typed[i]);
		if (!typed_agrees(rs, &dres, trc, &res, rc)) {
			fprintf(stderr, "bench: the typed native path and the interpreter disagree on patient %ld\n", i);
			return 1;
		}
	}
	/* BENCH_ONLY=table, typed or reference times that one alone (for a
	 * profiler or an instruction count: perf stat). */
	only = getenv("BENCH_ONLY");
	before = allocations;
	for (round = 0; round < 3; round++) {
		t0 = now();
		for (i = 0; i < iters && (!only || strcmp(only, "table") == 0); i++) {
			lr_eval(&res, rs, &recs[i & (NPAT - 1)]);
			fired += res.nactions;
		}
		t_lr = now() - t0;
		t0 = now();
		for (i = 0; i < iters && (!only || strcmp(only, "reference") == 0); i++) {
			ref_eval(&rr, &recs[i & (NPAT - 1)]);
			rfired += rr.n;
		}
		t_ref = now() - t0;
		t0 = now();
		for (i = 0; i < iters && (!only || strcmp(only, "typed") == 0); i++) {
			TYPED_EVAL(&dres, &typed[i & (NPAT - 1)]);
			tfired += dres.ndecisions;
		}
		t_typed = now() - t0;
		if (t_typed < best_typed)
			best_typed = t_typed;
		if (t_lr < best_lr)
			best_lr = t_lr;
		if (t_ref < best_ref)
			best_ref = t_ref;
	}
	printf("evaluations per run:           %ld (best of 3 runs, %d distinct patients)\n", iters, NPAT);
	printf("table + runtime:               %.1f ns/patient, %.2f M evaluations/s\n", best_lr / (double)iters * 1e9,
	       (double)iters / best_lr / 1e6);
	printf("hand-written reference:        %.1f ns/patient, %.2f M evaluations/s\n", best_ref / (double)iters * 1e9,
	       (double)iters / best_ref / 1e6);
	printf("native, typed struct:          %.1f ns/patient, %.2f M evaluations/s\n", best_typed / (double)iters * 1e9,
	       (double)iters / best_typed / 1e6);
	printf("ratio table/reference:         %.2fx\n", best_lr / best_ref);
	printf("ratio typed/reference:         %.2fx\n", best_typed / best_ref);
	printf("heap allocations while timing: %ld\n", allocations - before);
	printf("(actions fired: %ld by the table, %ld typed, %ld by the reference)\n", fired, tfired, rfired);
	printf("(checked patients: %d; %ld with missing inputs listed, %ld entries, the same in all three)\n", NPAT,
	       with_missing, listed);
	free(acts);
	free(decs);
	return allocations - before == 0 ? 0 : 1;
}
