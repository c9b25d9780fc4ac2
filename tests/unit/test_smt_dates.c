/*
** test_smt_dates.c: verify's exact encoding of the calendar (compiler/
** smt_enc.c) for 'day of month of D' and 'months from A to B'.
**
** smt_civil defines a day number's year, month, day and month length by
** constraints; here the solver's only solution for each of about 150
** dates (every month end of a few years, leap and century years,
** the calendar's first and last days, random days) must be what the
** runtime's lr_date_to_ymd says.  Then the worked examples of
** docs/language.md section 13, each as a rule pinning both dates: the
** documented count is possible (sat, confirmed by the runtime's replay)
** and the count one more (or, every other row, one less) is not (unsat).
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "lower.h"
#include "smt_impl.h"

typedef struct {
	frontend fe;
	lowered lw;
	smt *s;
} fixture;

static fixture F;

static fixture *compile(const char *body)
{
	static char src[65536];
	snprintf(src, sizeof src,
		 "```rule\nsource G \"A source\"\ninput today: date \"today\"\ninput start: date \"start\"\n%s\n```\n", body);
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

static int64_t value_of(Z3_context c, Z3_model m, Z3_ast t)
{
	Z3_ast v;
	int64_t out = 0;
	assert_true(Z3_model_eval(c, m, t, 1, &v));
	Z3_inc_ref(c, v);
	assert_true(Z3_get_numeral_int64(c, v, &out));
	Z3_dec_ref(c, v);
	return out;
}

/* The solver's y, m, d and length for date x, against the runtime; then
 * that no other day is possible. */
static void check_civil(fixture *f, lr_date x)
{
	Z3_context c = smt_ctx(f->s);
	smt_node node;
	Z3_ast y, m, d, len;
	Z3_solver sv = smt_solver_new(f->s);
	Z3_model mo;
	size_t i;
	int ry, rm, rd;

	memset(&node, 0, sizeof node);
	f->s->cur = &node;
	smt_civil(f->s, smt_int(f->s, x), &y, &m, &d, &len);
	f->s->cur = NULL;
	for (i = 0; i < node.sides.n; i++)
		Z3_solver_assert(c, sv, node.sides.v[i]);
	assert_int_equal(Z3_solver_check(c, sv), Z3_L_TRUE);
	mo = Z3_solver_get_model(c, sv);
	Z3_model_inc_ref(c, mo);
	lr_date_to_ymd(x, &ry, &rm, &rd);
	if (value_of(c, mo, y) != ry || value_of(c, mo, m) != rm || value_of(c, mo, d) != rd ||
	    value_of(c, mo, len) != lr_date_days_in_month(ry, rm))
		fail_msg("date %d: solver %lld-%lld-%lld (length %lld), runtime %d-%d-%d", (int)x,
			 (long long)value_of(c, mo, y), (long long)value_of(c, mo, m), (long long)value_of(c, mo, d),
			 (long long)value_of(c, mo, len), ry, rm, rd);
	Z3_model_dec_ref(c, mo);
	Z3_solver_assert(c, sv, smt_not(f->s, smt_keep(f->s, Z3_mk_eq(c, d, smt_int(f->s, rd)))));
	assert_int_equal(Z3_solver_check(c, sv), Z3_L_FALSE);
	smt_solver_free(f->s, sv);
	free(node.sides.v);
}

static void test_civil_matches_runtime(void **state)
{
	static const int years[] = {1, 1900, 2000, 2023, 2100, 9999};
	fixture *f = compile("");
	uint64_t rng = 88172645463325252ull;
	size_t i;
	int mth, k;
	lr_date x;
	(void)state;
	for (i = 0; i < sizeof years / sizeof years[0]; i++)
		for (mth = 1; mth <= 12; mth++) {
			assert_int_equal(lr_date_from_ymd(&x, years[i], mth, 1), LR_OK);
			check_civil(f, x);
			assert_int_equal(lr_date_from_ymd(&x, years[i], mth, lr_date_days_in_month(years[i], mth)), LR_OK);
			check_civil(f, x);
		}
	for (k = 0; k < 10; k++) {
		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		check_civil(f, (lr_date)(-719162 + (int64_t)(rng % 3652059)));
	}
	release(f);
}

/* docs/language.md section 13's table (also tests/unit/test_months_between.c). */
static const struct {
	const char *from, *to;
	int months;
} rows[] = {
	{"2025-01-15", "2025-02-14", 0},  {"2025-01-15", "2025-02-15", 1},  {"2025-01-31", "2025-02-27", 0},
	{"2025-01-31", "2025-02-28", 1},  {"2024-01-31", "2024-02-28", 0},  {"2024-01-31", "2024-02-29", 1},
	{"2025-01-31", "2025-03-30", 1},  {"2025-01-31", "2025-03-31", 2},  {"2025-02-28", "2025-03-28", 1},
	{"2025-02-28", "2025-03-31", 1},  {"2025-03-31", "2025-04-30", 1},  {"2024-02-29", "2025-02-28", 12},
	{"2023-01-31", "2025-01-31", 24}, {"2025-01-15", "2025-01-15", 0},  {"2025-03-15", "2025-03-10", 0},
	{"2025-03-15", "2025-02-15", -1}, {"2025-03-31", "2025-02-28", -1}, {"0001-01-01", "9999-12-31", 119987},
};

static smt_answer ask(fixture *f, const char *id)
{
	uint32_t r = (uint32_t)lower_rule_index(&f->lw, id);
	const char *why = NULL;
	smt_answer a = smt_query(f->s, &r, 1, NULL, NULL, NULL, NULL, &why);
	if (a == SMT_UNKNOWN)
		fprintf(stderr, "unknown: %s\n", why ? why : "?");
	return a;
}

/* Rule S<i> pins row i's dates and count (sat); rule U<i> the count one
 * more, or one less every other row (unsat).  One rule set for all. */
static void test_table_rows(void **state)
{
	static char body[32768];
	size_t i, len = 0;
	fixture *f;
	char id[16];
	(void)state;
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int wrong = rows[i].months + (i % 2 || rows[i].months == 119987 ? -1 : 1);
		len += (size_t)snprintf(body + len, sizeof body - len,
					"rule S%zu \"s\"\n  when start = %s and today = %s and months from start to today = %d months\n"
					"    and day of month of today = day of month of %s\n"
					"  then alert \"a\"\n  month end clamps\n  cite G at \"1\" quote \"a\"\n"
					"rule U%zu \"u\"\n  when start = %s and today = %s and months from start to today = %d months\n"
					"  then alert \"a\"\n  month end clamps\n  cite G at \"1\" quote \"a\"\n",
					i, rows[i].from, rows[i].to, rows[i].months, rows[i].to, i, rows[i].from, rows[i].to, wrong);
	}
	f = compile(body);
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		snprintf(id, sizeof id, "S%zu", i);
		if (ask(f, id) != SMT_SAT)
			fail_msg("months from %s to %s = %d: expected sat", rows[i].from, rows[i].to, rows[i].months);
		snprintf(id, sizeof id, "U%zu", i);
		if (ask(f, id) != SMT_UNSAT)
			fail_msg("months from %s to %s: a wrong count is possible", rows[i].from, rows[i].to);
	}
	release(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_civil_matches_runtime),
		cmocka_unit_test(test_table_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
