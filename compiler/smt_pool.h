/*
** smt_pool.h: solver jobs in a killable worker process (smt_pool.c).
*/
#ifndef LRC_SMT_POOL_H
#define LRC_SMT_POOL_H

#include <stddef.h>
#include <stdio.h>

typedef struct {
	size_t njobs;
	unsigned deadline_ms;               /* per job, measured by the parent */
	void (*init)(void *ud);             /* in the worker, before its first job */
	void (*run)(void *ud, size_t job, FILE *out); /* writes the job's result */
	void (*fini)(void *ud);             /* in the worker, after its last job */
	void *ud;
} smt_pool_job;

/** Non-zero: run every job in this process (no fork, no deadline): the
 ** fuzz target and the unit tests. */
extern int smt_pool_inprocess;

/** Runs the jobs; results[k] holds job k's bytes (NUL-terminated,
 ** lens[k] long), or NULL when its worker was killed past the deadline or
 ** died.  Free with smt_pool_free. */
char **smt_pool_run(const smt_pool_job *j, size_t **lens);
void smt_pool_free(char **results, size_t *lens, size_t njobs);

#endif
