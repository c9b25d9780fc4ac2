/*
** caps_main.c: evaluates a generated rule set of any size through its
** compiled table (issue 12, no fixed caps), for tests/e2e/sections/caps.sh
** and bench/run.sh's scale section.
**
** Built against one generated table: -DRULESET=lr_ruleset_NAME -DTYPED=NAME
** -include NAME.h.  Every evaluation goes three ways and must agree: the
** table interpreter with the caller's scratch (lr_eval_interpret_scratch),
** lr_eval_scratch (the native evaluator when the table has one), and the
** typed struct (NAME_input_from_record, NAME_eval_scratch, expanded).
**
**   caps_main show NAME=VALUE...   one patient: its decisions, missing
**                                  inputs and errors, one per line
**   caps_main bench N              N generated patients: time per patient
**
** Nothing here knows the rules; the buffers come from the table's sizes.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "litrule_table.h"

#define CAT(a, b) a##b
#define XCAT(a, b) CAT(a, b)
#define T_INPUT XCAT(TYPED, _input)
#define T_EVAL_SCRATCH XCAT(TYPED, _eval_scratch)
#define T_FROM_RECORD XCAT(TYPED, _input_from_record)

static const lr_ruleset *rs = &RULESET;
static lr_record rec;
static lr_result res[3];
static lr_decisions dec;
static void *scratch;
static size_t scratch_size;

/* Buffers sized by the rule set: actions, missing lists, scratch, record. */
static void setup(void)
{
	uint32_t n = lr_ruleset_ninputs(rs), cap = lr_ruleset_max_actions(rs) + 1;
	int k;
	scratch_size = lr_scratch_size(rs) + (size_t)n * 9 + 64;
	scratch = malloc(scratch_size);
	if (!scratch || lr_record_init_arrays(&rec, rs, malloc(n + 1), malloc(((size_t)n + 1) * 8), n + 1) != LR_OK) {
		fprintf(stderr, "caps_main: setup failed\n");
		exit(2);
	}
	for (k = 0; k < 3; k++) {
		lr_result_init(&res[k], malloc(cap * sizeof(lr_action)), cap);
		lr_result_set_missing(&res[k], malloc((n + 1) * sizeof(lr_missing)), n + 1);
	}
	lr_decisions_init(&dec, malloc(cap * sizeof(lr_decision)), cap);
	lr_decisions_set_missing(&dec, malloc((n + 1) * sizeof(lr_miss)), n + 1);
}

static int same_action(const lr_action *a, const lr_action *b)
{
	return a->rule == b->rule && a->text == b->text && a->has_dose == b->has_dose && a->amount.v == b->amount.v &&
	       a->phase == b->phase && a->next_due == b->next_due && a->overdue == b->overdue && a->has_due == b->has_due &&
	       a->due == b->due && a->overridden_by == b->overridden_by;
}

/* 1 when results x and y are the same decision. */
static int same(const lr_result *x, const lr_result *y)
{
	uint32_t k;
	if (x->nactions != y->nactions || x->noverridden != y->noverridden || x->nmissing != y->nmissing ||
	    x->nerrors != y->nerrors)
		return 0;
	for (k = 0; k < x->nactions + x->noverridden; k++)
		if (!same_action(&x->actions[k], &y->actions[k]))
			return 0;
	for (k = 0; k < x->nmissing; k++)
		if (x->missing[k].input != y->missing[k].input || x->missing[k].rule_id != y->missing[k].rule_id)
			return 0;
	for (k = 0; k < x->nerrors; k++)
		if (x->errors[k].code != y->errors[k].code || x->errors[k].input != y->errors[k].input)
			return 0;
	return 1;
}

/* Evaluates rec three ways; returns lr_eval_scratch's code, *agree 1
 * when all three decided the same. */
static int eval3(int *agree)
{
	static T_INPUT typed;
	int rc0 = lr_eval_scratch(&res[0], rs, &rec, scratch, scratch_size);
	int rc1 = lr_eval_interpret_scratch(&res[1], rs, &rec, scratch, scratch_size);
	int rc2 = T_FROM_RECORD(&typed, &rec);
	if (rc2 == LR_OK)
		rc2 = T_EVAL_SCRATCH(&dec, &typed, scratch, scratch_size);
	if (rc2 == LR_OK || rc2 == LR_ERANGE)
		lr_decisions_expand(&res[2], rs, &dec);
	*agree = rc0 == rc1 && rc0 == rc2 && same(&res[0], &res[1]) && same(&res[0], &res[2]);
	return rc0;
}

static int show(int argc, char **argv)
{
	uint32_t k, i;
	int a, agree, rc;
	lr_result small;
	lr_action one[1];
	char buf[40];

	for (a = 0; a < argc; a++) {
		const char *eq = strchr(argv[a], '=');
		if (!eq || lr_record_find(&i, rs, argv[a], (size_t)(eq - argv[a])) != LR_OK ||
		    lr_record_set_text(&rec, i, eq + 1, strlen(eq + 1)) != LR_OK) {
			fprintf(stderr, "caps_main: bad input '%s'\n", argv[a]);
			return 2;
		}
	}
	rc = eval3(&agree);
	printf("inputs %u scratch %zu rc %d\n", lr_ruleset_ninputs(rs), lr_scratch_size(rs), rc);
	for (k = 0; k < res[0].nactions + res[0].noverridden; k++) {
		const lr_action *x = &res[0].actions[k];
		lr_dec_format(buf, sizeof buf, x->amount);
		printf("%s %s %s%s%s%s%s\n", k < res[0].nactions ? "fire" : "overridden", x->rule_id, x->verb,
		       x->has_dose ? " " : "", x->has_dose ? buf : "", x->has_dose && x->unit ? " " : "",
		       x->has_dose && x->unit ? x->unit : "");
	}
	for (k = 0; k < res[0].nmissing; k++)
		printf("missing %s %u %s\n", res[0].missing[k].name, res[0].missing[k].input, res[0].missing[k].rule_id);
	for (k = 0; k < res[0].nerrors; k++)
		printf("error %d %s\n", res[0].errors[k].code, res[0].errors[k].message);
	printf("%s\n", agree ? "agree" : "DISAGREE");
	/* The C stack's buffer: enough, or LR_ESCRATCH, never a silent cut. */
	lr_result_init(&small, one, 1);
	printf("lr_eval %d\n", lr_eval(&small, rs, &rec));
	lr_result_set_missing(&small, res[1].missing, res[1].missing_capacity);
	printf("lr_eval with a long missing list %d\n", lr_eval(&small, rs, &rec));
	return agree ? 0 : 1;
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* A generated patient: about one input in six absent, the rest in range. */
static void patient(uint64_t *s)
{
	uint32_t i, n = lr_ruleset_ninputs(rs);
	for (i = 0; i < n; i++) {
		const lr_input_def *in = &rs->inputs[i];
		lr_dec d;
		if (rnd(s) % 6 == 0) {
			lr_record_clear(&rec, i);
			continue;
		}
		switch (in->type) {
		case LR_T_BOOL: lr_record_set_bool(&rec, i, (int)(rnd(s) & 1)); break;
		case LR_T_DATE: lr_record_set_date(&rec, i, (lr_date)(19358 + rnd(s) % 1000)); break;
		case LR_T_ENUM:
			rec.state[i] = 1;
			rec.v[i] = (int64_t)(rnd(s) % in->nvalues);
			break;
		default:
			d.v = in->has_range ? in->lo / LR_DEC_SCALE * LR_DEC_SCALE +
						      (int64_t)(rnd(s) % (uint64_t)((in->hi - in->lo) / LR_DEC_SCALE + 1)) * LR_DEC_SCALE
					    : (int64_t)(rnd(s) % 200) * LR_DEC_SCALE;
			if (in->has_range && d.v < in->lo)
				d.v = in->lo;
			lr_record_set_dec(&rec, i, d);
			break;
		}
	}
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int bench(long n)
{
	uint64_t s = 0x9E3779B97F4A7C15ull;
	long p, bad = 0, fired = 0, missing = 0;
	double t = 0;
	for (p = 0; p < n; p++) {
		int agree;
		double t0;
		patient(&s);
		t0 = now();
		lr_eval_scratch(&res[0], rs, &rec, scratch, scratch_size);
		t += now() - t0;
		fired += res[0].nactions;
		missing += res[0].nmissing;
		eval3(&agree);
		bad += !agree;
	}
	printf("patients %ld us_per_patient %.1f actions %.1f missing %.1f disagree %ld\n", n, t / (double)n * 1e6,
	       (double)fired / (double)n, (double)missing / (double)n, bad);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	setup();
	if (argc >= 2 && strcmp(argv[1], "show") == 0)
		return show(argc - 2, argv + 2);
	if (argc == 3 && strcmp(argv[1], "bench") == 0)
		return bench(atol(argv[2]));
	fprintf(stderr, "usage: caps_main show NAME=VALUE... | bench N\n");
	return 2;
}
