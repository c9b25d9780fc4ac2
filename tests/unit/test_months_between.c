/*
** test_months_between.c: unit tests for whole calendar months between two
** dates and the day of the month (runtime/date.c), the runtime side of
** the rule language's 'months from A to B' and 'day of month of D'.
**
** The worked examples are the table of docs/language.md section 13, row
** by row; then the defining properties over the calendar: from A to
** A + N months is N for every anchor of a 400-year cycle and many N; the
** count is the largest N with A + N months on or before B (a naive
** search); and it is antisymmetric.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "litrule.h"

static lr_date D(const char *s)
{
	lr_date d = 0;
	assert_int_equal(lr_date_parse(&d, s, strlen(s)), LR_OK);
	return d;
}

/* docs/language.md, "Whole months between two dates": every row. */
static const struct {
	const char *from, *to;
	int months;
} rows[] = {
	{"2025-01-15", "2025-02-14", 0},
	{"2025-01-15", "2025-02-15", 1},
	{"2025-01-31", "2025-02-27", 0},
	{"2025-01-31", "2025-02-28", 1},
	{"2024-01-31", "2024-02-28", 0},
	{"2024-01-31", "2024-02-29", 1},
	{"2025-01-31", "2025-03-30", 1},
	{"2025-01-31", "2025-03-31", 2},
	{"2025-02-28", "2025-03-28", 1},
	{"2025-02-28", "2025-03-31", 1},
	{"2025-03-31", "2025-04-30", 1},
	{"2024-02-29", "2025-02-28", 12},
	{"2023-01-31", "2025-01-31", 24},
	{"2025-01-15", "2025-01-15", 0},
	{"2025-03-15", "2025-03-10", 0},
	{"2025-03-15", "2025-02-15", -1},
	{"2025-03-31", "2025-02-28", -1},
	{"0001-01-01", "9999-12-31", 119987},
};

static void test_worked_examples(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int32_t got = lr_date_months_between(D(rows[i].from), D(rows[i].to));
		if (got != rows[i].months)
			fail_msg("months from %s to %s: got %d, want %d", rows[i].from, rows[i].to, (int)got,
				 rows[i].months);
	}
}

/* months from A to (A + N months) = N, for every anchor of one 400-year
 * cycle (the calendar repeats after it) and counts of both signs. */
static void test_inverse_of_month_addition(void **state)
{
	static const int64_t ns[] = {0, 1, 2, 3, 5, 11, 12, 13, 23, 24, 25, 48, 100, 1199, 4800,
				     -1, -2, -11, -12, -13, -24, -100, -4800};
	lr_date a0 = D("2000-01-01"), a, b;
	int32_t i;
	size_t k;
	(void)state;
	for (i = 0; i < 146097; i++) {
		a = a0 + i;
		for (k = 0; k < sizeof ns / sizeof ns[0]; k++) {
			assert_int_equal(lr_date_add_months(&b, a, ns[k]), LR_OK);
			if (lr_date_months_between(a, b) != ns[k]) {
				char t[16];
				lr_date_format(t, sizeof t, a);
				fail_msg("months from %s to itself + %lld months: got %d", t, (long long)ns[k],
					 (int)lr_date_months_between(a, b));
			}
		}
	}
}

/* The largest N with A + N months <= B, found by counting up; and minus
 * the count the other way when B is before A. */
static void test_naive_search(void **state)
{
	lr_date a0 = D("2023-01-01"), a, b, t;
	int32_t i, j;
	(void)state;
	for (i = 0; i < 3 * 366; i++) {
		a = a0 + i;
		for (j = 0; j < 800; j += 3) {
			int32_t n = 0;
			b = a + j;
			while (lr_date_add_months(&t, a, n + 1) == LR_OK && t <= b)
				n++;
			assert_int_equal(lr_date_months_between(a, b), n);
			assert_int_equal(lr_date_months_between(b, a), -n);
		}
	}
}

static void test_day_of_month(void **state)
{
	lr_date a0 = D("2000-01-01");
	int32_t i;
	(void)state;
	assert_int_equal(lr_date_day_of_month(D("2024-02-29")), 29);
	assert_int_equal(lr_date_day_of_month(D("2025-03-01")), 1);
	assert_int_equal(lr_date_day_of_month(D("0001-01-31")), 31);
	assert_int_equal(lr_date_day_of_month(D("9999-12-31")), 31);
	for (i = 0; i < 146097; i++) {
		int y, m, d;
		lr_date_to_ymd(a0 + i, &y, &m, &d);
		assert_int_equal(lr_date_day_of_month(a0 + i), d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_worked_examples),
		cmocka_unit_test(test_inverse_of_month_addition),
		cmocka_unit_test(test_naive_search),
		cmocka_unit_test(test_day_of_month),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
