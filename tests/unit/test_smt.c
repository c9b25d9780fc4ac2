/*
** test_smt.c: verify's Z3 encoding (compiler/smt*.c).  The rounding
** formula against the runtime's lr_dec_mul/lr_dec_div on random and tie
** operands; then small rule sets whose answers were worked out by hand
** (the reasoning is in the comments): missing data on two rails, the
** ninth-digit rounding that a real-number encoding misses, calendar
** months, a Cockcroft-Gault-style quotient of varying values, dead rules
** with their reasons, unreachable rows, and a contradiction.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driver.h"
#include "lower.h"
#include "smt_impl.h"
#include "smt_pool.h"
#include "vf_solver.h"

typedef struct {
	frontend fe;
	lowered lw;
	smt *s;
} fixture;

static const char *const HEAD =
	"```rule\n"
	"source G \"A source\"\n"
	"input today: date \"today\"\n"
	"input start: date \"start\"\n"
	"input last_dose: date \"last dose\"\n"
	"input egfr: number in mL/min, from 0 to 200 \"egfr\"\n"
	"input dialysis: bool \"dialysis\"\n"
	"input age: number in years, from 18 to 120 \"age\"\n"
	"input weight: number in kg, from 20 to 300 \"weight\"\n"
	"input scr: number in mg/dL, from 0.1 to 20 \"scr\"\n"
	"input x: number in mg, from 0 to 100 \"x\"\n"
	"schedule za \"za\"\n"
	"  zoledronic acid 4 mg intravenous q4w\n"
	"  anchored at start\n"
	"  last dose on last_dose\n"
	"  evaluated on today\n";

static fixture F;

static fixture *compile(const char *body)
{
	static char src[65536];
	snprintf(src, sizeof src, "%s%s\n```\n", HEAD, body);
	memset(&F, 0, sizeof F);
	if (fe_run_memory(&F.fe, "t.md", src, strlen(src))) {
		diag_print_text(&F.fe.diag, stderr);
		fail_msg("rule text did not compile");
	}
	assert_int_equal(lower_ruleset(&F.lw, &F.fe.rs, &F.fe.a, &F.fe.diag), 0);
	F.lw.rs.name = "t";
	F.s = smt_new(&F.fe.rs, &F.lw, 60000); /* valgrind is slow */
	assert_non_null(F.s);
	return &F;
}

static void release(fixture *f)
{
	smt_free(f->s);
	fe_free(&f->fe);
}

static uint32_t rule(const fixture *f, const char *id)
{
	int i = lower_rule_index(&f->lw, id);
	assert_true(i >= 0);
	return (uint32_t)i;
}

/* ---- the rounding formula against the runtime ---------------------------------------- */

static uint64_t rng = 88172645463325252ull;
static int64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (int64_t)(rng >> 1);
}

/* q from the formula for n/d, by the solver. */
static int64_t solved(fixture *f, Z3_ast n, Z3_ast d)
{
	Z3_context c = smt_ctx(f->s);
	Z3_solver sv = smt_solver_new(f->s);
	Z3_ast q = smt_keep(f->s, Z3_mk_fresh_const(c, "q", Z3_mk_int_sort(c)));
	Z3_model m;
	Z3_ast v;
	int64_t out = 0;
	Z3_solver_assert(c, sv, smt_round_nearest(f->s, n, d, q));
	assert_int_equal(Z3_solver_check(c, sv), Z3_L_TRUE);
	m = Z3_solver_get_model(c, sv);
	Z3_model_inc_ref(c, m);
	assert_true(Z3_model_eval(c, m, q, 1, &v));
	Z3_inc_ref(c, v);
	assert_true(Z3_get_numeral_int64(c, v, &out));
	Z3_dec_ref(c, v);
	Z3_model_dec_ref(c, m);
	smt_solver_free(f->s, sv);
	return out;
}

static Z3_ast product(fixture *f, int64_t a, int64_t b)
{
	Z3_ast v[2];
	v[0] = smt_int(f->s, a);
	v[1] = smt_int(f->s, b);
	return smt_keep(f->s, Z3_mk_mul(smt_ctx(f->s), 2, v));
}

static void test_rounding_matches_runtime(void **state)
{
	fixture *f = compile("");
	int i, ties = 0;
	(void)state;
	for (i = 0; i < 600; i++) {
		lr_dec a, b, r;
		int mul = i % 2 == 0;
		a.v = next_rand() % INT64_C(100000000000000) * (next_rand() % 2 ? 1 : -1);
		b.v = next_rand() % INT64_C(1000000000000) * (next_rand() % 2 ? 1 : -1);
		if (i % 3 == 0) {
			/* ties: x * 0.5 with x odd in the last digit, x / 2 likewise */
			a.v |= 1;
			b.v = mul ? (i % 6 == 0 ? 500000000 : -500000000) : (i % 6 == 0 ? 2000000000 : -2000000000);
			ties++;
		}
		if (b.v == 0)
			b.v = 7;
		if ((mul ? lr_dec_mul(&r, a, b) : lr_dec_div(&r, a, b)) != LR_OK)
			continue;
		if (mul)
			assert_int_equal(solved(f, product(f, a.v, b.v), smt_int(f->s, 1000000000)), r.v);
		else
			assert_int_equal(solved(f, product(f, a.v, b.v < 0 ? -1000000000 : 1000000000),
					      smt_int(f->s, b.v < 0 ? -b.v : b.v)),
					 r.v);
	}
	assert_true(ties >= 100);
	release(f);
}

/* ---- questions about rules ------------------------------------------------------------ */

static smt_answer ask2(fixture *f, const char *r1, const char *r2, char **witness)
{
	uint32_t rs[2];
	const char *why = NULL;
	size_t n = 1;
	smt_answer a;
	rs[0] = rule(f, r1);
	if (r2) {
		rs[1] = rule(f, r2);
		n = 2;
	}
	a = smt_query(f->s, rs, n, NULL, NULL, NULL, witness, &why);
	if (a == SMT_UNKNOWN)
		fprintf(stderr, "unknown: %s\n", why ? why : "?");
	return a;
}

/* R1 "egfr < 30 or dialysis" and R2 "dialysis and egfr is missing and age
 * is missing" both fire exactly when dialysis is true and egfr and age are
 * absent: the only witness is {"dialysis": true}.  R3 "not (egfr >= 30)
 * and egfr is missing" never fires: with egfr missing, "egfr >= 30" is
 * unknown and so is its negation (a two-valued encoding would say it can). */
static void test_missing_data(void **state)
{
	fixture *f = compile("rule R1 \"r1\"\n  when egfr < 30 or dialysis\n  then alert \"a\"\n  cite G at \"1\" quote \"a\"\n"
			     "rule R2 \"r2\"\n  when dialysis and egfr is missing and age is missing\n  then alert \"b\"\n"
			     "  cite G at \"1\" quote \"a\"\n"
			     "rule R3 \"r3\"\n  when not (egfr >= 30) and egfr is missing\n  then alert \"c\"\n"
			     "  cite G at \"1\" quote \"a\"\n");
	char *w = NULL;
	(void)state;
	assert_int_equal(ask2(f, "R1", "R2", &w), SMT_SAT);
	assert_string_equal(w, "{\"dialysis\": true}");
	free(w);
	assert_int_equal(ask2(f, "R3", NULL, NULL), SMT_UNSAT);
	assert_int_equal(ask2(f, "R1", "R3", NULL), SMT_UNSAT);
	release(f);
}

/* x / 3 * 3 < x: over the reals never; with the runtime's ninth-digit
 * rounding, for x = 0.1: 0.1 / 3 = 0.033333333, * 3 = 0.099999999 < 0.1.
 * x / 4 * 4 < x: x / 4 rounds to the nearest 10^-9, off by at most
 * 0.5e-9, times 4 at most 2e-9 off: x = 0.000000001 gives 0 (0.00000000025
 * rounds to 0), so it fires too.  x * 2 / 2 < x never: x * 2 is exact and
 * so is its half. */
static void test_rounding_rules(void **state)
{
	fixture *f = compile("rule D3 \"d3\"\n  when x / 3 * 3 < x\n  then alert \"a\"\n  cite G at \"1\" quote \"a\"\n"
			     "rule M2 \"m2\"\n  when x * 2 / 2 < x\n  then alert \"b\"\n  cite G at \"1\" quote \"a\"\n");
	char *w = NULL;
	(void)state;
	assert_int_equal(ask2(f, "D3", NULL, &w), SMT_SAT);
	assert_non_null(strstr(w, "\"x\": \""));
	free(w);
	assert_int_equal(ask2(f, "M2", NULL, NULL), SMT_UNSAT);
	release(f);
}

/* Months: "start + 1 month" is 28 to 31 days after start.  today after
 * start + 29 days and before start + 1 month needs a 31-day month (today
 * = start + 30 days, start + 1 month = start + 31 days, as for start
 * 2000-01-01: + 1 month = 02-01): sat, confirmed by the runtime.  today after
 * start + 1 month and before start + 28 days: never. */
static void test_months(void **state)
{
	fixture *f = compile("rule Long \"l\"\n  when today after start + 29 days and today before start + 1 month\n"
			     "  then alert \"a\"\n  cite G at \"1\" quote \"a\"\n"
			     "rule Never \"n\"\n  when today after start + 1 month and today before start + 28 days\n"
			     "  then alert \"b\"\n  cite G at \"1\" quote \"a\"\n");
	char *w = NULL;
	(void)state;
	assert_int_equal(ask2(f, "Long", NULL, &w), SMT_SAT);
	assert_non_null(strstr(w, "\"today\""));
	free(w);
	assert_int_equal(ask2(f, "Never", NULL, NULL), SMT_UNSAT);
	release(f);
}

/* Cockcroft-Gault: (140 - age) * weight / (72 * scr).  At most (140 - 18)
 * * 300 / (72 * 0.1) = 5083.3; with scr >= 1: 36600 / 72 = 508.3, so
 * "cg >= 510 and scr >= 1" never holds (the abstraction of the product is
 * free, so only the let's shared value decides: sat in the abstraction,
 * never confirmed: unknown, not a false "dead").  "cg >= 40 and cg < 30"
 * is unsat whatever cg is. */
static void test_quotient(void **state)
{
	fixture *f = compile("let cg in mL/min = ((140 - age) * weight / (72 * scr)) as mL/min \"cg\"\n"
			     "rule Hi \"h\"\n  when cg >= 100 and scr >= 1\n  then alert \"a\"\n  cite G at \"1\" quote \"a\"\n"
			     "rule Both \"b\"\n  when cg >= 40 and cg < 30\n  then alert \"b\"\n  cite G at \"1\" quote \"a\"\n");
	char *w = NULL;
	smt_answer a;
	(void)state;
	assert_int_equal(ask2(f, "Both", NULL, NULL), SMT_UNSAT);
	a = ask2(f, "Hi", NULL, &w);
	/* sat only with a witness the runtime confirmed; else unknown */
	assert_int_equal(a, SMT_SAT);
	assert_non_null(strstr(w, "\"scr\""));
	fprintf(stderr, "cg witness %s\n", w);
	free(w);
	release(f);
}

/* Dead rule: egfr > 100 and dialysis and egfr < 50: the core is the two
 * comparisons (not dialysis).  Range: x > 150 with x from 0 to 100: the
 * comparison and the range. */
static void test_core(void **state)
{
	fixture *f = compile("rule D \"d\"\n  when egfr > 100 and dialysis and egfr < 50\n  then alert \"a\"\n"
			     "  cite G at \"1\" quote \"a\"\n"
			     "rule E \"e\"\n  when dialysis and x > 150\n  then alert \"b\"\n  cite G at \"1\" quote \"a\"\n");
	smt_reason r[8];
	size_t n;
	(void)state;
	n = smt_rule_core(f->s, rule(f, "D"), r, 8);
	assert_int_equal(n, 2);
	assert_int_equal(r[0].kind, SMT_R_COND);
	assert_int_equal(r[1].kind, SMT_R_COND);
	n = smt_rule_core(f->s, rule(f, "E"), r, 8);
	assert_int_equal(n, 2);
	assert_true((r[0].kind == SMT_R_COND && r[1].kind == SMT_R_RANGE) ||
		    (r[1].kind == SMT_R_COND && r[0].kind == SMT_R_RANGE));
	release(f);
}

/* Rows of a 'hit first' table keyed by x (0 to 100): row 3 (at least 20)
 * follows "at least 10", which covers it: unreachable.  In table V, row 3
 * (above 150) lies beyond x's range, and no earlier row covers it. */
static void test_rows(void **state)
{
	fixture *f = compile("table T by x hit first\n  row below 10 gives 1 mg\n  row at least 10 gives 2 mg\n"
			     "  row at least 20 gives 3 mg\n  cite G at \"1\" quote \"a\"\n"
			     "table V by x hit first\n  row below 10 gives 1 mg\n  row 10 to 50 gives 2 mg\n"
			     "  row above 150 gives 4 mg\n  cite G at \"1\" quote \"a\"\n"
			     "rule U \"u\"\n  when T > 1 mg and V > 1 mg\n  then alert \"a\"\n  cite G at \"1\" quote \"a\"\n");
	smt_reason r[8];
	size_t n;
	smt_gap g;
	(void)state;
	assert_int_equal(smt_row_reachable(f->s, 0, 0, r, 8, &n, &g), SMT_SAT);
	assert_int_equal(smt_row_reachable(f->s, 0, 1, r, 8, &n, &g), SMT_SAT);
	assert_int_equal(smt_row_reachable(f->s, 0, 2, r, 8, &n, &g), SMT_UNSAT);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].kind, SMT_R_ROW);
	assert_int_equal(smt_row_reachable(f->s, 1, 1, r, 8, &n, &g), SMT_SAT);
	assert_int_equal(smt_row_reachable(f->s, 1, 2, r, 8, &n, &g), SMT_UNSAT);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].kind, SMT_R_RANGE);
	release(f);
}

/* ---- contradiction (subjects set by hand until the syntax fills them) ------------ */

static decl *rule_decl(fixture *f, const char *id)
{
	return (decl *)f->lw.rules[rule(f, id)];
}

static void subject(fixture *f, const char *id, const decl *subj)
{
	action *a = rule_decl(f, id)->actions.items[0];
	a->subj = subj;
}

static const diag *finding(const fixture *f, const char *id, size_t nth)
{
	size_t i;
	for (i = 0; i < f->fe.diag.items.len; i++) {
		const diag *g = f->fe.diag.items.items[i];
		if (strcmp(g->id, id) == 0 && nth-- == 0)
			return g;
	}
	return NULL;
}

/* Dose (egfr < 30 or dialysis) doses za; Hold (dialysis and egfr and age
 * missing) holds za: both fire for dialysis with egfr and age absent, and
 * Dose's action needs za's dates (start, last dose, today) known.  Twice doses x * 2 mg,
 * Dose za's 4 mg: different unless x = 2, and both fire with dialysis and
 * egfr below 100.  Same doses 4 mg like Dose, and both fire with dialysis
 * and egfr above 150: never different.  Twice needs egfr known and Hold
 * needs it missing; Twice and Same need egfr below 100 and above 150:
 * never both.  Quiet holds za but overrides Dose and may coexist with
 * Twice: declared; with Same it never fires (egfr). */
static void test_contradiction(void **state)
{
	fixture *f = compile("rule Dose \"d\"\n  when egfr < 30 or dialysis\n  then dose per za \"dose\"\n  cite G at \"1\" quote \"a\"\n"
			     "rule Hold \"h\"\n  when dialysis and egfr is missing and age is missing\n  then hold \"hold\"\n"
			     "  cite G at \"1\" quote \"a\"\n"
			     "rule Twice \"t\"\n  when dialysis and x > 0 mg and egfr < 100\n  then dose (x * 2) intravenous \"twice\"\n"
			     "  cite G at \"1\" quote \"a\"\n"
			     "rule Same \"s\"\n  when egfr > 150\n  then dose 4 mg intravenous \"same\"\n"
			     "  cite G at \"1\" quote \"a\"\n"
			     "rule Quiet \"q\"\n  when dialysis and egfr < 100\n  then hold \"quiet\"\n  cite G at \"1\" quote \"a\"\n");
	const decl *za = f->lw.schedules[0];
	const vf_check *self = vf_check_by_id("contradiction");
	coexist_note co;
	vf_ctx c;
	const diag *g;
	(void)state;
	subject(f, "Hold", za);
	subject(f, "Twice", za);
	subject(f, "Same", za);
	subject(f, "Quiet", za);
	ptrvec_push(&f->fe.a, &rule_decl(f, "Quiet")->overridden, rule_decl(f, "Dose"));
	memset(&co, 0, sizeof co);
	co.target = rule_decl(f, "Twice");
	ptrvec_push(&f->fe.a, &rule_decl(f, "Quiet")->coexists, &co);
	memset(&c, 0, sizeof c);
	c.rs = &f->fe.rs;
	c.lw = &f->lw;
	c.d = &f->fe.diag;
	c.a = &f->fe.a;
	smt_pool_inprocess = 1;
	assert_non_null(self);
	vf_contradict_run(&c, self);
	smt_pool_inprocess = 0;
	g = finding(f, "contradiction", 0);
	assert_non_null(g);
	assert_string_equal(g->msg, "rules 'Dose' and 'Hold' contradict on 'za': 'Dose' doses it and 'Hold' holds it, "
				    "for the same patient");
	/* The witness (from a random patient or the solver) has dialysis
	 * true, za's dates, and neither egfr nor age: both must be missing. */
	assert_non_null(g->props);
	assert_true(strncmp(g->props, "{\"witness\": {", 13) == 0);
	assert_non_null(strstr(g->props, "\"dialysis\": true"));
	assert_non_null(strstr(g->props, "\"last_dose\": \""));
	assert_null(strstr(g->props, "\"egfr\""));
	assert_null(strstr(g->props, "\"age\""));
	assert_non_null(strstr(g->props, "}, \"rules\": [\"Dose\", \"Hold\"], \"subject\": \"za\"}"));
	assert_int_equal(g->notes.len, 2);
	g = finding(f, "contradiction", 1);
	assert_non_null(g);
	assert_string_equal(g->msg, "rules 'Dose' and 'Twice' both dose 'za' with different amounts for the same patient");
	assert_null(finding(f, "contradiction", 2));
	assert_null(finding(f, "not-analysed", 0));
	release(f);
}

/* ---- the worker pool: a job that does not stop is killed, the rest go on -- */

static void pool_job(void *ud, size_t job, FILE *out)
{
	(void)ud;
	if (job == 1)
		for (;;)
			pause(); /* a solver call that ignores its timeout */
	fprintf(out, "job %zu", job);
}

static void test_pool_deadline(void **state)
{
	smt_pool_job j;
	char **res;
	size_t *lens;
	(void)state;
	memset(&j, 0, sizeof j);
	j.njobs = 4;
	j.deadline_ms = 300;
	j.run = pool_job;
	res = smt_pool_run(&j, &lens);
	assert_string_equal(res[0], "job 0");
	assert_null(res[1]);
	assert_string_equal(res[2], "job 2");
	assert_string_equal(res[3], "job 3");
	assert_int_equal(lens[3], 5);
	smt_pool_free(res, lens, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rounding_matches_runtime),
		cmocka_unit_test(test_missing_data),
		cmocka_unit_test(test_rounding_rules),
		cmocka_unit_test(test_months),
		cmocka_unit_test(test_quotient),
		cmocka_unit_test(test_core),
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_contradiction),
		cmocka_unit_test(test_pool_deadline),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	smt_finalize();
	return rc;
}
