/*
** vf_sample.c: rules that random patients make fire, found without the
** solver.  A few hundred patients drawn within the declared ranges (some
** values at the range ends, a few inputs missing) are evaluated by the
** runtime on the whole table; every rule that fires for one of them is
** live, and dead-rule need not ask Z3 about it; a pair of rules that one
** patient fires (or that read disjoint inputs and each fire for some
** patient) has a witness without a question either, once the runtime has
** confirmed it on the two rules' own inputs.  On a generated set of
** 10,000 rules this settles most questions for the cost of a few hundred
** evaluations, where one solver question costs about half a millisecond.
*/
#include "vf_solver.h"

#include <stdio.h>
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

void vf_samples_draw(const lowered *lw, unsigned n, vf_samples *out)
{
	uint32_t cap = lr_ruleset_max_actions(&lw->rs), i, k;
	lr_action *acts = calloc(cap ? cap : 1, sizeof *acts);
	lr_result *res = calloc(1, sizeof *res);
	uint64_t seed = 0x9E3779B97F4A7C15ull;
	unsigned m;

	memset(out, 0, sizeof *out);
	out->n = n;
	out->words = lw->rs.nrules / 64 + 1;
	out->rec = calloc(n + 1, sizeof *out->rec);
	out->fired = calloc((size_t)(n + 1) * out->words, sizeof *out->fired);
	if (!acts || !res || !out->rec || !out->fired)
		abort();
	lr_result_init(res, acts, cap ? cap : 1);
	for (m = 0; m < n; m++) {
		lr_record *rec = &out->rec[m];
		uint64_t *f = &out->fired[(size_t)m * out->words];
		if (lr_record_init(rec, &lw->rs) != LR_OK) {
			/* More inputs than a record holds in itself: no samples. */
			out->n = m;
			break;
		}
		for (i = 0; i < lw->rs.ninputs; i++) {
			if (vs_next(&seed) % 10 == 0)
				continue; /* missing */
			rec->state[i] = 1;
			rec->v[i] = vs_value(&lw->rs.inputs[i], &seed);
		}
		lr_eval(res, &lw->rs, rec);
		/* Overridden actions too: the question is whether a rule fires. */
		for (k = 0; k < res->nactions + res->noverridden && k < res->capacity; k++)
			f[res->actions[k].rule / 64] |= UINT64_C(1) << (res->actions[k].rule % 64);
	}
	free(acts);
	free(res);
}

void vf_samples_free(vf_samples *s)
{
	free(s->rec);
	free(s->fired);
	memset(s, 0, sizeof *s);
}

int vf_samples_fired(const vf_samples *s, unsigned k, uint32_t rule)
{
	return (int)(s->fired[(size_t)k * s->words + rule / 64] >> (rule % 64) & 1);
}

void vf_sample_live(const lowered *lw, unsigned char *live, unsigned nsamples)
{
	vf_samples s;
	unsigned k;
	uint32_t r;
	vf_samples_draw(lw, nsamples, &s);
	for (k = 0; k < s.n; k++)
		for (r = 0; r < lw->rs.nrules; r++)
			if (vf_samples_fired(&s, k, r))
				live[r] = 1;
	vf_samples_free(&s);
}

/* ---- witnesses for pairs, from the samples ------------------------------------------ */

/* Copies rule r's inputs (lr_rule_def's read set) from src into dst. */
static void vs_copy_reads(const lowered *lw, uint32_t r, const lr_record *src, lr_record *dst)
{
	const lr_rule_def *d = &lw->rs.rules[r];
	uint32_t i;
	for (i = 0; i < d->nreads; i++) {
		uint32_t in = lw->rs.reads[d->first_read + i];
		dst->state[in] = src->state[in];
		dst->v[in] = src->v[in];
	}
}

static int vs_disjoint(const lowered *lw, uint32_t a, uint32_t b)
{
	const lr_rule_def *x = &lw->rs.rules[a], *y = &lw->rs.rules[b];
	uint32_t i, k;
	for (i = 0; i < x->nreads; i++)
		for (k = 0; k < y->nreads; k++)
			if (lw->rs.reads[x->first_read + i] == lw->rs.reads[y->first_read + k])
				return 0;
	return 1;
}

/* The runtime on rec with only rules a and b: both fire and check agrees. */
static int vs_replay(const lowered *lw, const lr_record *rec, uint32_t a, uint32_t b, vf_check_fn check, void *ud)
{
	lr_rule_def sub[2];
	lr_ruleset rs = lw->rs;
	lr_action acts[2 * 64];
	lr_result res;
	uint32_t i;
	int fa = 0, fb = 0;

	if (lw->rs.rules[a].nactions + lw->rs.rules[b].nactions > 2 * 64)
		return 0;
	sub[0] = lw->rs.rules[a];
	sub[1] = lw->rs.rules[b];
	sub[0].first_override = sub[1].first_override = 0;
	sub[0].noverrides = sub[1].noverrides = 0;
	rs.rules = sub;
	rs.nrules = 2;
	lr_result_init(&res, acts, 2 * 64);
	if (lr_eval(&res, &rs, rec) != LR_OK)
		return 0;
	for (i = 0; i < res.nactions; i++) {
		fa |= res.actions[i].rule == 0;
		fb |= res.actions[i].rule == 1;
		res.actions[i].rule = res.actions[i].rule == 0 ? a : b;
	}
	return fa && fb && (!check || check(ud, &res));
}

static char *vs_json(const lowered *lw, const lr_record *rec)
{
	char *buf = NULL, text[64];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	uint32_t i;
	int first = 1;
	if (!f)
		abort();
	fputc('{', f);
	for (i = 0; i < lw->rs.ninputs; i++) {
		const char *q = lw->rs.inputs[i].type == LR_T_BOOL ? "" : "\"";
		if (rec->state[i] != 1)
			continue;
		smt_value_text(lw, i, rec->v[i], text, sizeof text);
		fprintf(f, "%s\"%s\": %s%s%s", first ? "" : ", ", lw->rs.inputs[i].name, q, text, q);
		first = 0;
	}
	fputc('}', f);
	fclose(f);
	return buf;
}

char *vf_pair_witness(const lowered *lw, const vf_samples *s, uint32_t a, uint32_t b, vf_check_fn check, void *ud)
{
	static lr_record rec;
	unsigned k, ka = s->n, kb = s->n, tries = 0;

	for (k = 0; k < s->n; k++) {
		int fa = vf_samples_fired(s, k, a), fb = vf_samples_fired(s, k, b);
		if (fa && ka == s->n)
			ka = k;
		if (fb && kb == s->n)
			kb = k;
		if (!fa || !fb || tries++ >= 4)
			continue;
		/* Only the inputs the two rules read: a witness says what matters. */
		lr_record_init(&rec, &lw->rs);
		vs_copy_reads(lw, a, &s->rec[k], &rec);
		vs_copy_reads(lw, b, &s->rec[k], &rec);
		if (vs_replay(lw, &rec, a, b, check, ud))
			return vs_json(lw, &rec);
	}
	/* Rules reading disjoint inputs fire together when each fires alone. */
	if (ka < s->n && kb < s->n && vs_disjoint(lw, a, b)) {
		lr_record_init(&rec, &lw->rs);
		vs_copy_reads(lw, a, &s->rec[ka], &rec);
		vs_copy_reads(lw, b, &s->rec[kb], &rec);
		if (vs_replay(lw, &rec, a, b, check, ud))
			return vs_json(lw, &rec);
	}
	return NULL;
}
