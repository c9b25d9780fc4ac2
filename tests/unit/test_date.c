/*
** test_date.c: unit tests for the litrule civil dates (runtime/date.c).
**
** Besides hand-worked cases, the tests walk the calendar with a naive
** day-by-day incrementer written here (its own leap rule and month
** lengths, no library calls) and check the library against it: every day
** of a full 400-year Gregorian cycle (2000-2399, plus margins), every day
** of years 1..9999, and month arithmetic from every day of the cycle.
** The only hand-computed anchors are day numbers: 1970-01-01 is 0 and
** 1998-01-01 is 28 * 365 + 7 leap days (1972..1996) = 10227.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "litrule.h"

#define DAY_0001_01_01 (-719162) /* 719162 days from 0001-01-01 to 1970-01-01 */
#define DAY_9999_12_31 2932896
#define DAY_1998_01_01 10227
#define DAY_2000_01_01 10957     /* 10227 + 365 + 365 */

/* ---- The naive oracle ------------------------------------------------ */

static int naive_leap(int y)
{
	if (y % 400 == 0)
		return 1;
	if (y % 100 == 0)
		return 0;
	return y % 4 == 0;
}

static int naive_month_len(int y, int m)
{
	switch (m) {
	case 2:
		return naive_leap(y) ? 29 : 28;
	case 4:
	case 6:
	case 9:
	case 11:
		return 30;
	default:
		return 31;
	}
}

struct ymd {
	int y, m, d;
};

static void naive_next(struct ymd *c)
{
	if (++c->d <= naive_month_len(c->y, c->m))
		return;
	c->d = 1;
	if (++c->m <= 12)
		return;
	c->m = 1;
	c->y++;
}

/* Day number of the 1st of each month of 1998..2404, by naive counting. */
#define ORACLE_Y0 1998
#define ORACLE_Y1 2405 /* exclusive */
static int32_t month_start[(ORACLE_Y1 - ORACLE_Y0) * 12];

static int32_t *month_start_of(int y, int m)
{
	assert_true(y >= ORACLE_Y0 && y < ORACLE_Y1);
	return &month_start[(y - ORACLE_Y0) * 12 + (m - 1)];
}

static int oracle_setup(void **state)
{
	struct ymd c = { ORACLE_Y0, 1, 1 };
	int32_t n = DAY_1998_01_01;

	(void)state;
	for (; c.y < ORACLE_Y1; naive_next(&c), n++)
		if (c.d == 1)
			month_start[(c.y - ORACLE_Y0) * 12 + (c.m - 1)] = n;
	return 0;
}

/* ---- Helpers ----------------------------------------------------------- */

static lr_date ymd(int y, int m, int d)
{
	lr_date r = 0;

	assert_int_equal(lr_date_from_ymd(&r, y, m, d), LR_OK);
	return r;
}

static void assert_ymd(lr_date d, int y, int m, int day)
{
	int gy = 0, gm = 0, gd = 0;

	lr_date_to_ymd(d, &gy, &gm, &gd);
	assert_int_equal(gy, y);
	assert_int_equal(gm, m);
	assert_int_equal(gd, day);
}

static void assert_date_text(lr_date d, const char *want)
{
	char buf[11];

	assert_int_equal(lr_date_format(buf, sizeof buf, d), 10);
	assert_string_equal(buf, want);
}

static lr_date add_months(lr_date d, int64_t k)
{
	lr_date r = 0;

	assert_int_equal(lr_date_add_months(&r, d, k), LR_OK);
	return r;
}

/* ---- Hand-worked cases --------------------------------------------------- */

static void test_date__known_day_numbers(void **state)
{
	(void)state;
	assert_int_equal(ymd(1970, 1, 1), 0);
	assert_int_equal(ymd(1969, 12, 31), -1);
	assert_int_equal(ymd(1970, 1, 2), 1);
	assert_int_equal(ymd(2000, 1, 1), DAY_2000_01_01);
	/* 10957 + 31 (Jan) + 29 (Feb 2000) */
	assert_int_equal(ymd(2000, 3, 1), 11017);
	assert_int_equal(ymd(1, 1, 1), DAY_0001_01_01);
	assert_int_equal(ymd(9999, 12, 31), DAY_9999_12_31);
	assert_ymd(0, 1970, 1, 1);
	assert_ymd(11016, 2000, 2, 29);
	assert_ymd(DAY_0001_01_01, 1, 1, 1);
	assert_ymd(DAY_9999_12_31, 9999, 12, 31);
	/* Outside the valid years to_ymd still answers, proleptically. */
	assert_ymd(DAY_0001_01_01 - 1, 0, 12, 31);
	assert_ymd(DAY_9999_12_31 + 1, 10000, 1, 1);
}

static void test_date__leap_years(void **state)
{
	lr_date r = 123;

	(void)state;
	assert_int_equal(lr_date_is_leap(1900), 0);
	assert_int_equal(lr_date_is_leap(2000), 1);
	assert_int_equal(lr_date_is_leap(2023), 0);
	assert_int_equal(lr_date_is_leap(2024), 1);
	assert_int_equal(lr_date_is_leap(2100), 0);
	assert_int_equal(lr_date_is_leap(2400), 1);
	assert_int_equal(lr_date_is_leap(4), 1);
	assert_int_equal(lr_date_days_in_month(1900, 2), 28);
	assert_int_equal(lr_date_days_in_month(2000, 2), 29);
	assert_int_equal(lr_date_days_in_month(2024, 2), 29);
	assert_int_equal(lr_date_days_in_month(2025, 2), 28);
	assert_int_equal(lr_date_days_in_month(2025, 1), 31);
	assert_int_equal(lr_date_days_in_month(2025, 4), 30);
	assert_int_equal(lr_date_days_in_month(2025, 12), 31);
	assert_int_equal(lr_date_days_in_month(2025, 0), 0);
	assert_int_equal(lr_date_days_in_month(2025, 13), 0);
	/* 1900-02-29 does not exist; 2000-02-29 does. */
	assert_int_equal(lr_date_from_ymd(&r, 1900, 2, 29), LR_EINVAL);
	assert_int_equal(r, 123);
	assert_int_equal(lr_date_from_ymd(&r, 2000, 2, 29), LR_OK);
}

static void test_date__from_ymd_rejects(void **state)
{
	lr_date r = 77;

	(void)state;
	assert_int_equal(lr_date_from_ymd(&r, 2025, 2, 30), LR_EINVAL);
	assert_int_equal(lr_date_from_ymd(&r, 2025, 2, 29), LR_EINVAL);
	assert_int_equal(lr_date_from_ymd(&r, 2025, 4, 31), LR_EINVAL);
	assert_int_equal(lr_date_from_ymd(&r, 2025, 0, 1), LR_EINVAL);
	assert_int_equal(lr_date_from_ymd(&r, 2025, 13, 1), LR_EINVAL);
	assert_int_equal(lr_date_from_ymd(&r, 2025, 1, 0), LR_EINVAL);
	assert_int_equal(lr_date_from_ymd(&r, 2025, 1, 32), LR_EINVAL);
	assert_int_equal(lr_date_from_ymd(&r, 2025, 1, -1), LR_EINVAL);
	assert_int_equal(lr_date_from_ymd(&r, 0, 12, 31), LR_ERANGE);
	assert_int_equal(lr_date_from_ymd(&r, 10000, 1, 1), LR_ERANGE);
	assert_int_equal(lr_date_from_ymd(&r, -2024, 1, 1), LR_ERANGE);
	assert_int_equal(r, 77);
	assert_int_equal(lr_date_from_ymd(NULL, 2025, 1, 1), LR_EINVAL);
}

static void test_date__parse(void **state)
{
	lr_date r = 0;

	(void)state;
	assert_int_equal(lr_date_parse(&r, "2024-02-29", 10), LR_OK);
	assert_ymd(r, 2024, 2, 29);
	assert_int_equal(lr_date_parse(&r, "0001-01-01", 10), LR_OK);
	assert_int_equal(r, DAY_0001_01_01);
	assert_int_equal(lr_date_parse(&r, "9999-12-31", 10), LR_OK);
	assert_int_equal(r, DAY_9999_12_31);
	/* Only len bytes are read. */
	assert_int_equal(lr_date_parse(&r, "1970-01-01T00:00", 10), LR_OK);
	assert_int_equal(r, 0);
}

static void test_date__parse_rejects(void **state)
{
	static const char *const bad[] = {
		"2025-02-30", "2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10",
		"2024-01-00", "2024-04-31", "0000-01-01", "2024-2-29", "2024-02-9",
		"2024/02/29", "+024-02-29", "-024-02-29", " 2024-02-29", "2024-02-29 ",
		"20240229", "2024-02-2a", "2024-0x-01", "10000-01-01", "", "2024-02-29Z",
		"2024--2-29", "2024-02--9",
	};
	lr_date r = 55;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(lr_date_parse(&r, bad[i], strlen(bad[i])), LR_EINVAL);
	assert_int_equal(lr_date_parse(&r, "2024-02-29", 9), LR_EINVAL);
	assert_int_equal(lr_date_parse(&r, "2024-02-29", 11), LR_EINVAL);
	assert_int_equal(lr_date_parse(&r, NULL, 10), LR_EINVAL);
	assert_int_equal(lr_date_parse(NULL, "2024-02-29", 10), LR_EINVAL);
	assert_int_equal(r, 55);
}

static void test_date__format(void **state)
{
	char buf[11];

	(void)state;
	assert_date_text(ymd(2024, 2, 29), "2024-02-29");
	assert_date_text(ymd(1, 1, 1), "0001-01-01");
	assert_date_text(ymd(9999, 12, 31), "9999-12-31");
	assert_date_text(0, "1970-01-01");
	/* Out-of-range day numbers print the null date, which parse refuses. */
	assert_date_text(DAY_9999_12_31 + 1, "0000-00-00");
	assert_date_text(DAY_0001_01_01 - 1, "0000-00-00");
	assert_date_text(INT32_MIN, "0000-00-00");
	/* snprintf-style truncation */
	memset(buf, 'x', sizeof buf);
	assert_int_equal(lr_date_format(buf, 5, ymd(2024, 2, 29)), 10);
	assert_string_equal(buf, "2024");
	assert_int_equal(buf[5], 'x');
	assert_int_equal(lr_date_format(NULL, 0, 0), 10);
}

static void test_date__add_months_clamps(void **state)
{
	(void)state;
	/* The header's documented examples. */
	assert_date_text(add_months(ymd(2024, 1, 31), 1), "2024-02-29");
	assert_date_text(add_months(ymd(2024, 2, 29), 12), "2025-02-28");
	assert_date_text(add_months(ymd(2023, 1, 31), 1), "2023-02-28");
	assert_date_text(add_months(ymd(2024, 3, 31), -1), "2024-02-29");
	assert_date_text(add_months(ymd(2024, 2, 29), 48), "2028-02-29");
	assert_date_text(add_months(ymd(2024, 2, 29), -48), "2020-02-29");
	assert_date_text(add_months(ymd(2100, 1, 31), 1), "2100-02-28");
	assert_date_text(add_months(ymd(2024, 5, 31), 1), "2024-06-30");
	assert_date_text(add_months(ymd(2024, 12, 15), 1), "2025-01-15");
	assert_date_text(add_months(ymd(2025, 1, 15), -1), "2024-12-15");
	assert_date_text(add_months(ymd(2024, 1, 31), 0), "2024-01-31");
	/* One step from the original: +2 months does not pass through Feb 29. */
	assert_date_text(add_months(ymd(2024, 1, 31), 2), "2024-03-31");
}

/*
** 24 one-month steps from 2024-01-31: step 1 lands on 2024-02-29 and
** steps 2..12 stay on the 29th (2024-03-29 .. 2025-01-29); step 13 hits
** February 2025, which has 28 days, so 2025-02-28, and steps 14..24 stay
** on the 28th: 2026-01-28.  Adding 24 months at once keeps the 31st:
** 2026-01-31.  (A first guess of 2026-01-29 forgets that 2025 is not a
** leap year.)
*/
static void test_date__months_at_once_differ_from_steps(void **state)
{
	lr_date start = ymd(2024, 1, 31), stepped = start;
	int i;

	(void)state;
	for (i = 0; i < 24; i++) {
		stepped = add_months(stepped, 1);
		if (i == 0)
			assert_date_text(stepped, "2024-02-29");
		if (i == 11)
			assert_date_text(stepped, "2025-01-29");
		if (i == 12)
			assert_date_text(stepped, "2025-02-28");
	}
	assert_date_text(stepped, "2026-01-28");
	assert_date_text(add_months(start, 24), "2026-01-31");
	assert_int_equal(add_months(start, 24) - stepped, 3);
}

static void test_date__range_errors(void **state)
{
	const lr_date lo = DAY_0001_01_01, hi = DAY_9999_12_31;
	lr_date r = 9;

	(void)state;
	assert_int_equal(lr_date_add_days(&r, lo, -1), LR_ERANGE);
	assert_int_equal(lr_date_add_days(&r, hi, 1), LR_ERANGE);
	assert_int_equal(lr_date_add_days(&r, hi, INT64_MAX), LR_ERANGE);
	assert_int_equal(lr_date_add_days(&r, lo, INT64_MIN), LR_ERANGE);
	assert_int_equal(lr_date_add_days(&r, hi + 1, 0), LR_ERANGE);
	assert_int_equal(lr_date_add_days(&r, INT32_MIN, 0), LR_ERANGE);
	assert_int_equal(lr_date_add_days(&r, INT32_MAX, -1), LR_ERANGE);
	/* 9999-12-01 + 1 month is year 10000; 0001-01-31 - 1 month is year 0. */
	assert_int_equal(lr_date_add_months(&r, ymd(9999, 12, 1), 1), LR_ERANGE);
	assert_int_equal(lr_date_add_months(&r, ymd(1, 1, 31), -1), LR_ERANGE);
	/* 0001-01 + 119988 months = month 12 + 119988 = 120000 = year 10000. */
	assert_int_equal(lr_date_add_months(&r, ymd(1, 1, 1), 119988), LR_ERANGE);
	assert_int_equal(lr_date_add_months(&r, ymd(1, 1, 1), INT64_MAX), LR_ERANGE);
	assert_int_equal(lr_date_add_months(&r, ymd(9999, 12, 31), INT64_MIN), LR_ERANGE);
	assert_int_equal(lr_date_add_months(&r, hi + 1, 0), LR_ERANGE);
	assert_int_equal(r, 9);
	assert_int_equal(lr_date_add_days(NULL, 0, 0), LR_EINVAL);
	assert_int_equal(lr_date_add_months(NULL, 0, 0), LR_EINVAL);

	/* The boundaries themselves are reachable. */
	assert_int_equal(lr_date_add_days(&r, lo, hi - lo), LR_OK);
	assert_int_equal(r, hi);
	assert_int_equal(lr_date_add_days(&r, hi, lo - hi), LR_OK);
	assert_int_equal(r, lo);
	assert_date_text(add_months(ymd(9999, 11, 30), 1), "9999-12-30");
	assert_date_text(add_months(ymd(1, 2, 28), -1), "0001-01-28");
	assert_date_text(add_months(ymd(1, 1, 1), 119987), "9999-12-01");
	assert_date_text(add_months(ymd(9999, 12, 31), -119987), "0001-01-31");
}

/* ---- Oracle checks ------------------------------------------------------- */

/* Checks every library conversion for one day the oracle knows. */
static void check_day(struct ymd c, lr_date n, lr_date prev)
{
	char want[40], got[11]; /* want: room for any three ints */
	lr_date r = 0;

	assert_int_equal(ymd(c.y, c.m, c.d), n);
	assert_ymd(n, c.y, c.m, c.d);
	assert_int_equal(lr_date_add_days(&r, prev, 1), LR_OK);
	assert_int_equal(r, n);
	snprintf(want, sizeof want, "%04d-%02d-%02d", c.y, c.m, c.d);
	assert_int_equal(lr_date_format(got, sizeof got, n), 10);
	assert_string_equal(got, want);
	assert_int_equal(lr_date_parse(&r, want, 10), LR_OK);
	assert_int_equal(r, n);
	assert_int_equal(lr_date_days_in_month(c.y, c.m), naive_month_len(c.y, c.m));
}

/*
** 2000-01-01 .. 2399-12-31 is one whole Gregorian cycle: it must hold
** 146097 days.  The walk runs from 1998 to 2404 so the month arithmetic
** oracle below has verified neighbours on both sides.
*/
static void test_date__oracle_400_year_cycle(void **state)
{
	struct ymd c = { ORACLE_Y0, 1, 1 };
	lr_date n = DAY_1998_01_01, cycle_start = 0, r = 0;
	long cycle_days = 0;

	(void)state;
	for (; c.y < ORACLE_Y1; naive_next(&c), n++) {
		check_day(c, n, n - 1);
		if (c.y >= 2000 && c.y < 2400) {
			if (cycle_days == 0)
				cycle_start = n;
			cycle_days++;
			assert_int_equal(lr_date_add_days(&r, cycle_start, n - cycle_start), LR_OK);
			assert_int_equal(r, n);
		}
	}
	assert_int_equal(cycle_days, 146097);
	assert_int_equal(cycle_start, DAY_2000_01_01);
	assert_int_equal(ymd(2400, 1, 1) - ymd(2000, 1, 1), 146097);
	assert_int_equal(lr_date_add_days(&r, DAY_2000_01_01, 146097), LR_OK);
	assert_ymd(r, 2400, 1, 1);
}

/* Every day of years 1..9999 converts both ways; the count closes the loop. */
static void test_date__oracle_all_years(void **state)
{
	struct ymd c = { 1, 1, 1 };
	lr_date n = DAY_0001_01_01;
	int y = 0, m = 0, d = 0;

	(void)state;
	for (; c.y <= 9999; naive_next(&c), n++) {
		lr_date r = 0;

		if (lr_date_from_ymd(&r, c.y, c.m, c.d) != LR_OK || r != n)
			fail_msg("from_ymd %04d-%02d-%02d", c.y, c.m, c.d);
		lr_date_to_ymd(n, &y, &m, &d);
		if (y != c.y || m != c.m || d != c.d)
			fail_msg("to_ymd %ld", (long)n);
	}
	assert_int_equal(n - 1, DAY_9999_12_31);
	assert_int_equal((long)DAY_9999_12_31 - DAY_0001_01_01 + 1, 3652059L);
}

/* Month arithmetic by hand: shift a month counter, clamp by the oracle's lengths. */
static lr_date oracle_add_months(struct ymd c, int k)
{
	int total = c.y * 12 + (c.m - 1) + k;
	int ty = total / 12, tm = total % 12 + 1;
	int td = c.d < naive_month_len(ty, tm) ? c.d : naive_month_len(ty, tm);

	return *month_start_of(ty, tm) + td - 1;
}

static void test_date__oracle_add_months_cycle(void **state)
{
	static const int offsets[] = { 1, 2, 11, 12, 13, 24, -1, -12, 48 };
	struct ymd c = { 2000, 1, 1 };
	lr_date n = DAY_2000_01_01;
	long checked = 0;
	size_t i;

	(void)state;
	for (; c.y < 2400; naive_next(&c), n++) {
		for (i = 0; i < sizeof offsets / sizeof offsets[0]; i++) {
			lr_date r = 0, want = oracle_add_months(c, offsets[i]);

			if (lr_date_add_months(&r, n, offsets[i]) != LR_OK || r != want)
				fail_msg("%04d-%02d-%02d %+d months: got %ld want %ld",
					c.y, c.m, c.d, offsets[i], (long)r, (long)want);
			checked++;
		}
	}
	assert_int_equal(checked, 146097L * 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date__known_day_numbers),
		cmocka_unit_test(test_date__leap_years),
		cmocka_unit_test(test_date__from_ymd_rejects),
		cmocka_unit_test(test_date__parse),
		cmocka_unit_test(test_date__parse_rejects),
		cmocka_unit_test(test_date__format),
		cmocka_unit_test(test_date__add_months_clamps),
		cmocka_unit_test(test_date__months_at_once_differ_from_steps),
		cmocka_unit_test(test_date__range_errors),
		cmocka_unit_test(test_date__oracle_400_year_cycle),
		cmocka_unit_test(test_date__oracle_all_years),
		cmocka_unit_test(test_date__oracle_add_months_cycle),
	};

	return cmocka_run_group_tests(tests, oracle_setup, NULL);
}
