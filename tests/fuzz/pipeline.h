/*
** pipeline.h: the whole litrule pipeline as one call, for the fuzz
** targets fuzz_pipeline and fuzz_gen (and their replay driver): front end,
** lowering, C generation into memory, and evaluation of a few patients
** through the in-memory table, with invariants that abort on violation.
*/
#ifndef FZP_PIPELINE_H
#define FZP_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "litrule.h"
#include "litrule_table.h"

/* Called once the rule set lowered cleanly, before evaluation: lets the
 * generator compare the table with what it wrote. */
typedef void (*fzp_check_fn)(const lr_ruleset *rs, void *arg);

/* How far one input got (for pass-rate statistics). */
typedef enum { FZP_FRONTEND_ERROR, FZP_LOWER_ERROR, FZP_EVALUATED } fzp_stage;

/** How many inputs stopped at each stage (replay.c prints them). */
extern unsigned long fzp_stats[3];

/** Runs every stage on a rule file in memory; aborts with a message on
 ** stderr when an invariant fails.  check may be NULL. */
fzp_stage fzp_run(const char *data, size_t len, fzp_check_fn check, void *arg);

/** The single place that calls lr_eval (its result type is changing). */
int fzp_eval(lr_result *res, const lr_ruleset *rs, const lr_record *rec);
/** How many actions a result can hold for rs (fzp_eval's buffer). */
uint32_t fzp_action_capacity(const lr_ruleset *rs);

/** Reports an invariant violation and aborts. */
void fzp_fail(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2), noreturn))
#endif
	;

#endif
