/*
** vf_solver.h: verify's analyses that ask Z3 (smt.h): dead-rule,
** unreachable-row, always-overridden, contradiction, and not-analysed
** (the questions the encoding could not decide, reported by the others).
** Each runs its questions in a killable worker process (smt_pool.h).
*/
#ifndef LRC_VF_SOLVER_H
#define LRC_VF_SOLVER_H

#include "smt.h"
#include "verify.h"

/** Per solver call; a job's worker is killed after 4 x this + 2 s. */
extern unsigned vf_smt_timeout_ms;

void vf_dead_run(vf_ctx *c, const vf_check *self);
void vf_rows_run(vf_ctx *c, const vf_check *self);
void vf_overridden_run(vf_ctx *c, const vf_check *self);
void vf_contradict_run(vf_ctx *c, const vf_check *self);
/** Reports nothing itself: the other solver analyses report under its id. */
void vf_not_analysed_run(vf_ctx *c, const vf_check *self);

/* ---- shared by vf_dead.c and vf_contradict.c ------------------------------- */

/* The worker's state: the context it builds after the fork. */
typedef struct {
	vf_ctx *c;
	smt *s;
	void *data;      /* the analysis's own */
} vf_sw;

void vf_sw_init(void *ud);
void vf_sw_fini(void *ud);
unsigned vf_sw_deadline(void);
/** Runs njobs jobs of run in the worker pool (smt_pool_run), each worker
 ** with a vf_sw over c and data, each job given deadline_ms; the results
 ** and their lengths are smt_pool_run's (free with smt_pool_free). */
char **vf_sw_run(vf_ctx *c, void *data, size_t njobs, unsigned deadline_ms,
		 void (*run)(void *ud, size_t job, FILE *out), size_t **lens);
/** Notes on g at each constraint of an unsat core (ranges, earlier rows,
 ** parts of the condition). */
void vf_reason_notes(vf_ctx *c, diag *g, const smt_reason *rs, size_t n);
/** A not-analysed finding at g (or at the declaration when g has no place). */
diag *vf_not_analysed(vf_ctx *c, const smt_gap *g, const decl *d, const char *key, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 5, 6)))
#endif
	;
/* ---- random patients (vf_sample.c) ----------------------------------------- */

/* n patients drawn within the declared ranges, and the rules each fires. */
typedef struct {
	unsigned n;
	lr_record *rec;
	uint64_t *fired;   /* n rows of words bits: rule r fired for patient k */
	uint32_t words;
} vf_samples;
typedef int (*vf_check_fn)(void *ud, const lr_result *res);

void vf_samples_draw(const lowered *lw, unsigned n, vf_samples *out);
void vf_samples_free(vf_samples *s);
int vf_samples_fired(const vf_samples *s, unsigned k, uint32_t rule);
/** Marks live[r] for every rule r that fires for one of nsamples patients. */
void vf_sample_live(const lowered *lw, unsigned char *live, unsigned nsamples);
/** A witness (JSON, malloc'd) on which the runtime fires rules a and b
 ** (with only their inputs set) and check accepts its result (rule
 ** indices of the whole table), found among the samples; NULL if none. */
char *vf_pair_witness(const lowered *lw, const vf_samples *s, uint32_t a, uint32_t b, vf_check_fn check, void *ud);
/** The index of rule d in c->lw, or -1. */
int vf_rule_index(const vf_ctx *c, const decl *d);

#endif
