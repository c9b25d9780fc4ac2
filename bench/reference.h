/*
** reference.h: the interface of a hand-written reference implementation
** of a rule set, used by bench_eval.c to show what the hardware can do.
*/
#ifndef BENCH_REFERENCE_H
#define BENCH_REFERENCE_H

#include "litrule.h"

/* More than the flagship's rules can fire at once. */
#define REF_MAX_ACTIONS 64

typedef struct {
	uint32_t n;                 /* actions decided */
	uint32_t rule[REF_MAX_ACTIONS];
	int64_t amount[REF_MAX_ACTIONS];
	lr_date next_due[REF_MAX_ACTIONS];
	int rejected;               /* an input was out of range */
	/* The inputs the rules needed but the patient did not have, each once,
	 * with the first rule that needed it (lr_result.missing's order). */
	uint32_t nmissing;
	uint32_t miss_input[REF_MAX_ACTIONS];
	uint32_t miss_rule[REF_MAX_ACTIONS];
} ref_result;

/** Looks up input indices by name; 0 on success. */
int ref_setup(const lr_ruleset *rs);
/** Decides for one patient; 0 on success. */
int ref_eval(ref_result *out, const lr_record *rec);
/** 1 if the reference decided the same as the table. */
int ref_agrees(const ref_result *ref, const lr_result *res, int rc);

#endif
