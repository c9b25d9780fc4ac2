/*
** test_dec.c: unit tests for the litrule exact decimals (runtime/dec.c).
**
** Expected values are worked out by hand in the comments, so a test
** failure means the arithmetic changed, not that two implementations of
** the same bug disagree.  A randomised cross-check against an independent
** signed __int128 oracle covers the rounding and overflow edges that hand
** cases miss.  tests/unit/test_dec_noint128.c reuses this file against
** the portable 64-bit fallback.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "litrule.h"

#if defined(LR_DEC_NO_INT128) && defined(LR_DEC_USE_INT128)
#error "LR_DEC_NO_INT128 is defined but dec.c still uses __int128"
#endif

#define RAW_MAX INT64_MAX /*  9223372036.854775807 */
#define RAW_MIN INT64_MIN /* -9223372036.854775808 */

/* A decimal from its raw count of 10^-9. */
static lr_dec raw(int64_t v)
{
	lr_dec d;

	d.v = v;
	return d;
}

/* A decimal from text that must parse. */
static lr_dec dec(const char *s)
{
	lr_dec d = raw(0);

	assert_int_equal(lr_dec_parse(&d, s, strlen(s)), LR_OK);
	return d;
}

static void assert_dec_text(lr_dec d, const char *want)
{
	char buf[32];

	assert_int_equal(lr_dec_format(buf, sizeof buf, d), strlen(want));
	assert_string_equal(buf, want);
}

static void assert_dec_raw(lr_dec d, int64_t want)
{
	assert_true(d.v == want);
}

/* ---- Hand-worked arithmetic ------------------------------------------ */

/*
** Cockcroft-Gault creatinine clearance for age 68, weight 72 kg, serum
** creatinine 1.2 mg/dL: (140 - 68) * 72 / (72 * 1.2) = 5184 / 86.4 = 60
** exactly.  In binary floating point 86.4 is inexact; here it must be 60.
*/
static void test_dec__cockcroft_gault_is_exactly_60(void **state)
{
	lr_dec age_term = { 0 }, num = { 0 }, den = { 0 }, crcl = { 0 }, sixty = { 0 };

	(void)state;
	assert_int_equal(lr_dec_sub(&age_term, dec("140"), dec("68")), LR_OK);
	assert_int_equal(lr_dec_mul(&num, age_term, dec("72")), LR_OK);
	assert_dec_text(num, "5184");
	assert_int_equal(lr_dec_mul(&den, dec("72"), dec("1.2")), LR_OK);
	assert_dec_text(den, "86.4");
	assert_int_equal(lr_dec_div(&crcl, num, den), LR_OK);
	assert_int_equal(lr_dec_from_int(&sixty, 60), LR_OK);
	assert_int_equal(lr_dec_cmp(crcl, sixty), 0);
	assert_dec_raw(crcl, INT64_C(60000000000));
	assert_dec_text(crcl, "60");
}

static void test_dec__thirds_round_to_nine_digits(void **state)
{
	lr_dec r = { 0 };

	(void)state;
	/* 0.333333333|33... rounds down; 0.666666666|66... rounds up. */
	assert_int_equal(lr_dec_div(&r, dec("1"), dec("3")), LR_OK);
	assert_dec_raw(r, 333333333);
	assert_dec_text(r, "0.333333333");
	assert_int_equal(lr_dec_div(&r, dec("2"), dec("3")), LR_OK);
	assert_dec_raw(r, 666666667);
	assert_dec_text(r, "0.666666667");
	/* Rounding is symmetric in the sign. */
	assert_int_equal(lr_dec_div(&r, dec("-1"), dec("3")), LR_OK);
	assert_dec_text(r, "-0.333333333");
	assert_int_equal(lr_dec_div(&r, dec("2"), dec("-3")), LR_OK);
	assert_dec_text(r, "-0.666666667");
	/* 1/3 * 3 = 0.999999999: the rounding is visible and deterministic. */
	assert_int_equal(lr_dec_div(&r, dec("1"), dec("3")), LR_OK);
	assert_int_equal(lr_dec_mul(&r, r, dec("3")), LR_OK);
	assert_dec_text(r, "0.999999999");
}

/* n / 2000000000 = n * 0.0000000005: every odd n lands exactly on a half. */
static void test_dec__division_rounds_half_to_even(void **state)
{
	const lr_dec two_e9 = raw(INT64_C(2000000000) * LR_DEC_SCALE);
	lr_dec r = { 0 };

	(void)state;
	assert_int_equal(lr_dec_div(&r, dec("1"), two_e9), LR_OK);
	assert_dec_raw(r, 0); /* 0.5e-9 -> 0 (even) */
	assert_dec_text(r, "0");
	assert_int_equal(lr_dec_div(&r, dec("3"), two_e9), LR_OK);
	assert_dec_raw(r, 2); /* 1.5e-9 -> 2e-9 */
	assert_dec_text(r, "0.000000002");
	assert_int_equal(lr_dec_div(&r, dec("5"), two_e9), LR_OK);
	assert_dec_raw(r, 2); /* 2.5e-9 -> 2e-9 */
	assert_int_equal(lr_dec_div(&r, dec("7"), two_e9), LR_OK);
	assert_dec_raw(r, 4); /* 3.5e-9 -> 4e-9 */
	assert_int_equal(lr_dec_div(&r, dec("-3"), two_e9), LR_OK);
	assert_dec_raw(r, -2);
	assert_int_equal(lr_dec_div(&r, dec("-1"), two_e9), LR_OK);
	assert_dec_raw(r, 0); /* -0.5e-9 -> 0, and it prints as "0" */
	assert_dec_text(r, "0");
	/* Just off the half: 1.000000001 / 2e9 = 0.5000000005e-9 -> 1e-9. */
	assert_int_equal(lr_dec_div(&r, dec("1.000000001"), two_e9), LR_OK);
	assert_dec_raw(r, 1);
	/* 0.999999999 / 2e9 = 0.4999999995e-9 -> 0. */
	assert_int_equal(lr_dec_div(&r, dec("0.999999999"), two_e9), LR_OK);
	assert_dec_raw(r, 0);
}

static void test_dec__multiplication_rounds_half_to_even(void **state)
{
	lr_dec r = { 0 };

	(void)state;
	assert_int_equal(lr_dec_mul(&r, dec("0.000000001"), dec("0.5")), LR_OK);
	assert_dec_raw(r, 0); /* 0.5e-9 -> 0 */
	assert_int_equal(lr_dec_mul(&r, dec("0.000000003"), dec("0.5")), LR_OK);
	assert_dec_raw(r, 2); /* 1.5e-9 -> 2e-9 */
	assert_int_equal(lr_dec_mul(&r, dec("0.000000005"), dec("0.5")), LR_OK);
	assert_dec_raw(r, 2); /* 2.5e-9 -> 2e-9 */
	assert_int_equal(lr_dec_mul(&r, dec("-0.000000005"), dec("0.5")), LR_OK);
	assert_dec_raw(r, -2);
	/* 0.000000001 * 0.500000001 = 0.500000001e-9, just above the half. */
	assert_int_equal(lr_dec_mul(&r, dec("0.000000001"), dec("0.500000001")), LR_OK);
	assert_dec_raw(r, 1);
	/* 0.000000001 * 0.499999999 = 0.499999999e-9, just below. */
	assert_int_equal(lr_dec_mul(&r, dec("0.000000001"), dec("0.499999999")), LR_OK);
	assert_dec_raw(r, 0);
	/* Exact products are not rounded at all: 1.5 * 1.5 = 2.25, 0.1 * 0.1 = 0.01. */
	assert_int_equal(lr_dec_mul(&r, dec("1.5"), dec("1.5")), LR_OK);
	assert_dec_text(r, "2.25");
	assert_int_equal(lr_dec_mul(&r, dec("0.1"), dec("0.1")), LR_OK);
	assert_dec_text(r, "0.01");
	assert_int_equal(lr_dec_mul(&r, dec("-2.5"), dec("-4")), LR_OK);
	assert_dec_text(r, "10");
}

static void test_dec__add_sub_are_exact(void **state)
{
	lr_dec r = { 0 };

	(void)state;
	assert_int_equal(lr_dec_add(&r, dec("0.1"), dec("0.2")), LR_OK);
	assert_int_equal(lr_dec_cmp(r, dec("0.3")), 0);
	assert_int_equal(lr_dec_sub(&r, dec("0.3"), dec("0.1")), LR_OK);
	assert_dec_text(r, "0.2");
	assert_int_equal(lr_dec_sub(&r, dec("1"), dec("1.000000001")), LR_OK);
	assert_dec_text(r, "-0.000000001");
}

static void test_dec__overflow_is_reported(void **state)
{
	lr_dec r = raw(42);

	(void)state;
	/* 9e9 * 2 = 1.8e10 > 9.2e9 */
	assert_int_equal(lr_dec_mul(&r, dec("9000000000"), dec("2")), LR_EOVERFLOW);
	assert_int_equal(lr_dec_mul(&r, dec("-9000000000"), dec("2")), LR_EOVERFLOW);
	/* 5e9 / 0.5 = 1e10 */
	assert_int_equal(lr_dec_div(&r, dec("5000000000"), dec("0.5")), LR_EOVERFLOW);
	/* 1e5 * 1e5 = 1e10 */
	assert_int_equal(lr_dec_mul(&r, dec("100000"), dec("100000")), LR_EOVERFLOW);
	assert_int_equal(lr_dec_add(&r, dec("5000000000"), dec("5000000000")), LR_EOVERFLOW);
	assert_int_equal(lr_dec_sub(&r, dec("-5000000000"), dec("5000000000")), LR_EOVERFLOW);
	/* A failing operation leaves *out alone. */
	assert_dec_raw(r, 42);
	/* Just inside: 96037 * 96037 = 9223105369 fits. */
	assert_int_equal(lr_dec_mul(&r, dec("96037"), dec("96037")), LR_OK);
	assert_dec_text(r, "9223105369");
	/* 96038^2 = 9223297444 fits too; 96039^2 = 9223489521 does not. */
	assert_int_equal(lr_dec_mul(&r, dec("96038"), dec("96038")), LR_OK);
	assert_dec_text(r, "9223297444");
	assert_int_equal(lr_dec_mul(&r, dec("96039"), dec("96039")), LR_EOVERFLOW);
}

static void test_dec__division_by_zero(void **state)
{
	lr_dec r = raw(7);

	(void)state;
	assert_int_equal(lr_dec_div(&r, dec("1"), dec("0")), LR_EDIVZERO);
	assert_int_equal(lr_dec_div(&r, dec("0"), dec("0")), LR_EDIVZERO);
	assert_int_equal(lr_dec_div(&r, raw(RAW_MIN), dec("-0")), LR_EDIVZERO);
	assert_dec_raw(r, 7);
	/* Dividing zero is fine. */
	assert_int_equal(lr_dec_div(&r, dec("0"), dec("-3")), LR_OK);
	assert_dec_text(r, "0");
}

/* INT64_MIN has no positive twin; every operation must cope without UB. */
static void test_dec__int64_edges(void **state)
{
	lr_dec r = { 0 };

	(void)state;
	assert_int_equal(lr_dec_mul(&r, raw(RAW_MAX), dec("1")), LR_OK);
	assert_dec_raw(r, RAW_MAX);
	assert_int_equal(lr_dec_mul(&r, raw(RAW_MIN), dec("1")), LR_OK);
	assert_dec_raw(r, RAW_MIN);
	assert_int_equal(lr_dec_mul(&r, raw(RAW_MIN), dec("-1")), LR_EOVERFLOW);
	assert_int_equal(lr_dec_mul(&r, raw(RAW_MAX), dec("-1")), LR_OK);
	assert_dec_raw(r, -RAW_MAX);
	assert_int_equal(lr_dec_mul(&r, raw(RAW_MIN), dec("0")), LR_OK);
	assert_dec_raw(r, 0);
	assert_int_equal(lr_dec_div(&r, raw(RAW_MIN), dec("1")), LR_OK);
	assert_dec_raw(r, RAW_MIN);
	assert_int_equal(lr_dec_div(&r, raw(RAW_MIN), dec("-1")), LR_EOVERFLOW);
	assert_int_equal(lr_dec_div(&r, raw(RAW_MIN), raw(RAW_MIN)), LR_OK);
	assert_dec_text(r, "1");
	assert_int_equal(lr_dec_div(&r, raw(RAW_MAX), raw(RAW_MAX)), LR_OK);
	assert_dec_text(r, "1");
	/* MIN / MAX = -1.000000000000000000108...: rounds to -1. */
	assert_int_equal(lr_dec_div(&r, raw(RAW_MIN), raw(RAW_MAX)), LR_OK);
	assert_dec_text(r, "-1");
	/* MAX / MIN = -0.99999999999999999989...: rounds to -1 as well. */
	assert_int_equal(lr_dec_div(&r, raw(RAW_MAX), raw(RAW_MIN)), LR_OK);
	assert_dec_text(r, "-1");
	/* 1e-9 / MIN is -1.08e-19: rounds to zero, not to "-0". */
	assert_int_equal(lr_dec_div(&r, raw(1), raw(RAW_MIN)), LR_OK);
	assert_dec_raw(r, 0);
	/* Anything over 1e-9 larger than 9.2 overflows. */
	assert_int_equal(lr_dec_div(&r, dec("9.3"), raw(1)), LR_EOVERFLOW);
	assert_int_equal(lr_dec_div(&r, dec("9.2"), raw(1)), LR_OK);
	assert_dec_text(r, "9200000000");
	assert_int_equal(lr_dec_add(&r, raw(RAW_MAX), raw(1)), LR_EOVERFLOW);
	assert_int_equal(lr_dec_add(&r, raw(RAW_MIN), raw(-1)), LR_EOVERFLOW);
	assert_int_equal(lr_dec_add(&r, raw(RAW_MIN), raw(RAW_MIN)), LR_EOVERFLOW);
	assert_int_equal(lr_dec_add(&r, raw(RAW_MIN), raw(RAW_MAX)), LR_OK);
	assert_dec_raw(r, -1);
	assert_int_equal(lr_dec_sub(&r, raw(RAW_MIN), raw(1)), LR_EOVERFLOW);
	assert_int_equal(lr_dec_sub(&r, raw(0), raw(RAW_MIN)), LR_EOVERFLOW);
	assert_int_equal(lr_dec_sub(&r, raw(RAW_MAX), raw(RAW_MIN)), LR_EOVERFLOW);
	assert_int_equal(lr_dec_sub(&r, raw(-1), raw(RAW_MAX)), LR_OK);
	assert_dec_raw(r, RAW_MIN);
	assert_int_equal(lr_dec_sub(&r, raw(RAW_MIN), raw(RAW_MIN)), LR_OK);
	assert_dec_raw(r, 0);
	assert_int_equal(lr_dec_cmp(raw(RAW_MIN), raw(RAW_MAX)), -1);
	assert_int_equal(lr_dec_cmp(raw(RAW_MAX), raw(RAW_MIN)), 1);
	assert_int_equal(lr_dec_cmp(raw(RAW_MIN), raw(RAW_MIN)), 0);
}

static void test_dec__from_int_range(void **state)
{
	lr_dec r = raw(5);

	(void)state;
	/* floor(INT64_MAX / 10^9) = 9223372036 */
	assert_int_equal(lr_dec_from_int(&r, INT64_C(9223372036)), LR_OK);
	assert_dec_text(r, "9223372036");
	assert_int_equal(lr_dec_from_int(&r, INT64_C(-9223372036)), LR_OK);
	assert_dec_text(r, "-9223372036");
	assert_int_equal(lr_dec_from_int(&r, 0), LR_OK);
	assert_dec_raw(r, 0);
	r = raw(5);
	assert_int_equal(lr_dec_from_int(&r, INT64_C(9223372037)), LR_EOVERFLOW);
	assert_int_equal(lr_dec_from_int(&r, INT64_C(-9223372037)), LR_EOVERFLOW);
	assert_int_equal(lr_dec_from_int(&r, INT64_MAX), LR_EOVERFLOW);
	assert_int_equal(lr_dec_from_int(&r, INT64_MIN), LR_EOVERFLOW);
	assert_dec_raw(r, 5);
}

static void test_dec__null_out_is_einval(void **state)
{
	(void)state;
	assert_int_equal(lr_dec_parse(NULL, "1", 1), LR_EINVAL);
	assert_int_equal(lr_dec_from_int(NULL, 1), LR_EINVAL);
	assert_int_equal(lr_dec_add(NULL, raw(1), raw(1)), LR_EINVAL);
	assert_int_equal(lr_dec_sub(NULL, raw(1), raw(1)), LR_EINVAL);
	assert_int_equal(lr_dec_mul(NULL, raw(1), raw(1)), LR_EINVAL);
	assert_int_equal(lr_dec_div(NULL, raw(1), raw(1)), LR_EINVAL);
}

/* ---- Text ------------------------------------------------------------ */

static void test_dec__parse_accepts(void **state)
{
	(void)state;
	assert_dec_raw(dec("60"), INT64_C(60000000000));
	assert_dec_raw(dec("-12.5"), INT64_C(-12500000000));
	assert_dec_raw(dec("0.000000001"), 1);
	assert_dec_raw(dec("-0.000000001"), -1);
	assert_dec_raw(dec("0"), 0);
	assert_dec_raw(dec("-0"), 0);
	assert_dec_raw(dec("-0.0"), 0);
	assert_dec_raw(dec("007"), INT64_C(7000000000));
	assert_dec_raw(dec("000000000000000000000000000001.5"), INT64_C(1500000000));
	/* Extra fractional digits are fine when they are zeros: still exact. */
	assert_dec_raw(dec("1.5000000000000"), INT64_C(1500000000));
	assert_dec_raw(dec("0.1234567890"), 123456789);
	assert_dec_raw(dec("9223372036.854775807"), RAW_MAX);
	assert_dec_raw(dec("-9223372036.854775808"), RAW_MIN);
	assert_dec_raw(dec("-9223372036.8547758080000"), RAW_MIN);
}

static void test_dec__parse_honours_len(void **state)
{
	lr_dec r = raw(0);

	(void)state;
	/* Only the first len bytes count; no NUL is needed. */
	assert_int_equal(lr_dec_parse(&r, "123", 2), LR_OK);
	assert_dec_text(r, "12");
	assert_int_equal(lr_dec_parse(&r, "1.25xyz", 4), LR_OK);
	assert_dec_text(r, "1.25");
	assert_int_equal(lr_dec_parse(&r, "1.25xyz", 3), LR_OK);
	assert_dec_text(r, "1.2");
	assert_int_equal(lr_dec_parse(&r, "1.25xyz", 2), LR_EINVAL); /* "1." */
	/* An embedded NUL inside len is just a bad byte. */
	assert_int_equal(lr_dec_parse(&r, "12\0", 3), LR_EINVAL);
	assert_int_equal(lr_dec_parse(&r, "5", 0), LR_EINVAL);
}

static void test_dec__parse_rejects(void **state)
{
	static const char *const bad[] = {
		"", "-", "+1", " 1", "1 ", "1e3", "1E3", ".5", "5.", "-.5", "-5.",
		"1.2.3", "1,5", "--1", "- 1", "abc", "0x10", "1.0000000001",
		"0.0000000005", "-0.0000000001", "1_000", "\xd9\xa1" /* Arabic-Indic one */,
	};
	lr_dec r = raw(99);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(lr_dec_parse(&r, bad[i], strlen(bad[i])), LR_EINVAL);
	assert_int_equal(lr_dec_parse(&r, NULL, 0), LR_EINVAL);
	assert_dec_raw(r, 99);
}

static void test_dec__parse_overflow(void **state)
{
	static const char *const big[] = {
		"9223372036.854775808", "-9223372036.854775809", "9223372037",
		"-9223372037", "10000000000", "99999999999999999999999999999999999",
		"-18446744073709551616",
	};
	lr_dec r = raw(99);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof big / sizeof big[0]; i++)
		assert_int_equal(lr_dec_parse(&r, big[i], strlen(big[i])), LR_EOVERFLOW);
	/* Bad syntax wins over size: this is malformed, whatever its magnitude. */
	assert_int_equal(lr_dec_parse(&r, "99999999999999999999.", 21), LR_EINVAL);
	assert_dec_raw(r, 99);
}

static void test_dec__format_shortest(void **state)
{
	(void)state;
	assert_dec_text(raw(INT64_C(60000000000)), "60");
	assert_dec_text(raw(INT64_C(3500000000)), "3.5");
	assert_dec_text(raw(-250000000), "-0.25");
	assert_dec_text(raw(1), "0.000000001");
	assert_dec_text(raw(-1), "-0.000000001");
	assert_dec_text(raw(0), "0");
	assert_dec_text(raw(100000000), "0.1");
	assert_dec_text(raw(INT64_C(10000000000)), "10");
	assert_dec_text(raw(INT64_C(10100000000)), "10.1");
	assert_dec_text(raw(RAW_MAX), "9223372036.854775807");
	assert_dec_text(raw(RAW_MIN), "-9223372036.854775808");
}

static void test_dec__format_truncates_like_snprintf(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'x', sizeof buf);
	assert_int_equal(lr_dec_format(buf, 3, dec("-0.25")), 5);
	assert_string_equal(buf, "-0");
	assert_int_equal(buf[3], 'x'); /* nothing written past n */
	assert_int_equal(lr_dec_format(buf, 1, dec("-0.25")), 5);
	assert_string_equal(buf, "");
	assert_int_equal(lr_dec_format(NULL, 0, dec("-0.25")), 5);
	assert_int_equal(lr_dec_format(buf, 6, dec("-0.25")), 5);
	assert_string_equal(buf, "-0.25");
	/* The longest value needs 21 characters: 32 bytes is plenty. */
	assert_int_equal(lr_dec_format(NULL, 0, raw(RAW_MIN)), 21);
}

static void test_dec__round_trips(void **state)
{
	static const char *const texts[] = {
		"0", "1", "-1", "60", "3.5", "-0.25", "0.000000001", "123.456789",
		"-9223372036.854775808", "9223372036.854775807", "86.4", "0.1",
		"1000000", "-42.000000007",
	};
	char buf[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		lr_dec d = dec(texts[i]), back = { 0 };

		assert_int_equal(lr_dec_format(buf, sizeof buf, d), strlen(texts[i]));
		assert_string_equal(buf, texts[i]);
		assert_int_equal(lr_dec_parse(&back, buf, strlen(buf)), LR_OK);
		assert_dec_raw(back, d.v);
	}
}

static void test_dec__error_text(void **state)
{
	(void)state;
	assert_int_equal(lr_version(), 0x000100);
	assert_string_equal(lr_strerror(LR_OK), "success");
	assert_string_equal(lr_strerror(LR_EOVERFLOW), "decimal result out of range");
	assert_string_equal(lr_strerror(LR_EDIVZERO), "division by zero");
	assert_string_equal(lr_strerror(-1000), "unknown error");
	assert_string_not_equal(lr_strerror(LR_EINVAL), lr_strerror(LR_ERANGE));
}

/* ---- Randomised cross-check against signed __int128 ----------------- */

#ifdef __SIZEOF_INT128__
__extension__ typedef __int128 i128;

/*
** The oracle divides signed values with C's truncating division and then
** nudges the quotient away from zero when the remainder is over half, or
** exactly half with an odd quotient.  Unlike dec.c it never splits off
** the sign, so a shared mistake is unlikely.
*/
static int oracle_div(int64_t *out, i128 n, i128 d)
{
	i128 q = n / d, r = n % d;
	i128 ar = r < 0 ? -r : r, ad = d < 0 ? -d : d;

	if (2 * ar > ad || (2 * ar == ad && q % 2 != 0))
		q += ((n < 0) != (d < 0)) ? -1 : 1;
	if (q > INT64_MAX || q < INT64_MIN)
		return LR_EOVERFLOW;
	*out = (int64_t)q;
	return LR_OK;
}

static uint64_t rng_state = UINT64_C(0x9e3779b97f4a7c15);

/* splitmix64: fixed seed, so failures reproduce. */
static uint64_t rng(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Values of every magnitude, plus the edges, with either sign. */
static int64_t random_raw(void)
{
	static const int64_t edge[] = { 0, 1, -1, RAW_MAX, RAW_MIN, LR_DEC_SCALE,
		-LR_DEC_SCALE, LR_DEC_SCALE / 2, 3, INT64_C(2000000000000000000) };
	uint64_t pick = rng();
	int64_t v;

	if (pick % 16 == 0)
		return edge[(pick >> 8) % (sizeof edge / sizeof edge[0])];
	v = (int64_t)(rng() >> (1 + (pick >> 8) % 63));
	return (pick >> 16) & 1 ? -v : v;
}

static void check_pair(int64_t a, int64_t b)
{
	lr_dec got = raw(0);
	int64_t want = 0;
	int rc, wrc;

	rc = lr_dec_mul(&got, raw(a), raw(b));
	wrc = oracle_div(&want, (i128)a * b, LR_DEC_SCALE);
	assert_int_equal(rc, wrc);
	if (rc == LR_OK)
		assert_dec_raw(got, want);
	if (b == 0) {
		assert_int_equal(lr_dec_div(&got, raw(a), raw(b)), LR_EDIVZERO);
		return;
	}
	rc = lr_dec_div(&got, raw(a), raw(b));
	wrc = oracle_div(&want, (i128)a * LR_DEC_SCALE, b);
	assert_int_equal(rc, wrc);
	if (rc == LR_OK)
		assert_dec_raw(got, want);
}

static void check_add_sub(int64_t a, int64_t b)
{
	lr_dec got = { 0 };
	i128 s = (i128)a + b, d = (i128)a - b;

	assert_int_equal(lr_dec_add(&got, raw(a), raw(b)),
		s > INT64_MAX || s < INT64_MIN ? LR_EOVERFLOW : LR_OK);
	if (s <= INT64_MAX && s >= INT64_MIN)
		assert_dec_raw(got, (int64_t)s);
	assert_int_equal(lr_dec_sub(&got, raw(a), raw(b)),
		d > INT64_MAX || d < INT64_MIN ? LR_EOVERFLOW : LR_OK);
	if (d <= INT64_MAX && d >= INT64_MIN)
		assert_dec_raw(got, (int64_t)d);
}

static void test_dec__matches_int128_oracle(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < 300000; i++) {
		int64_t a = random_raw(), b = random_raw();

		check_pair(a, b);
		check_add_sub(a, b);
	}
	/* Exact halves at every scale: k * 5 * 10^8 / 10^9 with odd k. */
	for (i = -2001; i <= 2001; i += 2)
		check_pair(i, 500000000);
}
#endif

#ifdef LR_DEC_NO_INT128
/* dec.c is #included here, so its fallback helpers can be probed directly. */
static void test_dec__fallback_helpers(void **state)
{
	uint64_t hi, lo, rem, q;

	(void)state;
	/* (2^64 - 1)^2 = 2^128 - 2^65 + 1 */
	umul64(UINT64_MAX, UINT64_MAX, &hi, &lo);
	assert_true(hi == UINT64_MAX - 1 && lo == 1);
	umul64(UINT64_C(0x100000000), UINT64_C(0x100000000), &hi, &lo);
	assert_true(hi == 1 && lo == 0);
	/* ((2^64 - 2) * 2^64 + 1) / (2^64 - 1) = 2^64 - 1 rem 0; exercises the bit shifted out of hi */
	q = udiv128(UINT64_MAX - 1, 1, UINT64_MAX, &rem);
	assert_true(q == UINT64_MAX && rem == 0);
	/* (2^62 * 2^64 + 5) / 2^63 = 2^63 rem 5 */
	q = udiv128(UINT64_C(1) << 62, 5, UINT64_C(1) << 63, &rem);
	assert_true(q == UINT64_C(1) << 63 && rem == 5);
	q = udiv128(0, 1000000007, 1000000000, &rem);
	assert_true(q == 1 && rem == 7);
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dec__cockcroft_gault_is_exactly_60),
		cmocka_unit_test(test_dec__thirds_round_to_nine_digits),
		cmocka_unit_test(test_dec__division_rounds_half_to_even),
		cmocka_unit_test(test_dec__multiplication_rounds_half_to_even),
		cmocka_unit_test(test_dec__add_sub_are_exact),
		cmocka_unit_test(test_dec__overflow_is_reported),
		cmocka_unit_test(test_dec__division_by_zero),
		cmocka_unit_test(test_dec__int64_edges),
		cmocka_unit_test(test_dec__from_int_range),
		cmocka_unit_test(test_dec__null_out_is_einval),
		cmocka_unit_test(test_dec__parse_accepts),
		cmocka_unit_test(test_dec__parse_honours_len),
		cmocka_unit_test(test_dec__parse_rejects),
		cmocka_unit_test(test_dec__parse_overflow),
		cmocka_unit_test(test_dec__format_shortest),
		cmocka_unit_test(test_dec__format_truncates_like_snprintf),
		cmocka_unit_test(test_dec__round_trips),
		cmocka_unit_test(test_dec__error_text),
#ifdef __SIZEOF_INT128__
		cmocka_unit_test(test_dec__matches_int128_oracle),
#endif
#ifdef LR_DEC_NO_INT128
		cmocka_unit_test(test_dec__fallback_helpers),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
