/*
** vf_sample.c: rules that random patients make fire, found without the
** solver.  A few hundred patients drawn within the declared ranges (some
** values at the range ends, a few inputs missing) are evaluated by the
** runtime on the whole table; every rule that fires for one of them is
** live, and dead-rule need not ask Z3 about it.  On a generated set of
** 10,000 rules this settles most rules for the cost of a few hundred
** evaluations, where one solver question costs about half a millisecond.
*/
#include "vf_solver.h"

#include <stdlib.h>
#include <string.h>

static uint64_t vs_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* A value of input in, within its range: often an end, else uniform. */
static int64_t vs_value(const lr_input_def *in, uint64_t *s)
{
	int64_t lo, hi;
	uint64_t r = vs_next(s);
	lr_date dlo = 0, dhi = 0;
	switch (in->type) {
	case LR_T_BOOL: return (int64_t)(r & 1);
	case LR_T_ENUM: return in->nvalues ? (int64_t)(r % in->nvalues) : 0;
	case LR_T_DATE:
		lr_date_from_ymd(&dlo, 1990, 1, 1);
		lr_date_from_ymd(&dhi, 2040, 12, 31);
		lo = dlo;
		hi = dhi;
		break;
	default:
		lo = INT64_C(-1000000000000);
		hi = INT64_C(1000000000000);
		break;
	}
	if (in->has_range) {
		lo = in->lo;
		hi = in->hi;
	}
	if (hi < lo)
		return lo;
	switch (r % 8) {
	case 0: return lo;
	case 1: return hi;
	default: break;
	}
	r = vs_next(s) % ((uint64_t)(hi - lo) + 1);
	/* Whole numbers mostly: thresholds are usually written that way. */
	if (in->type == LR_T_NUM && (vs_next(s) & 3) != 0)
		r -= r % (uint64_t)LR_DEC_SCALE;
	return lo + (int64_t)r;
}

void vf_sample_live(const lowered *lw, unsigned char *live, unsigned nsamples)
{
	uint32_t cap = lr_ruleset_max_actions(&lw->rs), i, n;
	lr_action *acts = calloc(cap ? cap : 1, sizeof *acts);
	lr_record *rec = calloc(1, sizeof *rec);
	lr_result *res = calloc(1, sizeof *res);
	uint64_t seed = 0x9E3779B97F4A7C15ull;

	if (!acts || !rec || !res)
		abort();
	lr_result_init(res, acts, cap ? cap : 1);
	for (n = 0; n < nsamples; n++) {
		lr_record_init(rec, &lw->rs);
		for (i = 0; i < lw->rs.ninputs; i++) {
			if (vs_next(&seed) % 10 == 0)
				continue; /* missing */
			rec->state[i] = 1;
			rec->v[i] = vs_value(&lw->rs.inputs[i], &seed);
		}
		if (lr_eval(res, &lw->rs, rec) != LR_OK && res->nactions == 0)
			continue;
		for (i = 0; i < res->nactions; i++)
			live[res->actions[i].rule] = 1;
	}
	free(acts);
	free(rec);
	free(res);
}
