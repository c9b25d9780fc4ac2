/*
** test_fx_mul.c: the typed fast path's decimal multiplication
** (lr__fx_mul, litrule_vm.h) against lr_dec_mul (runtime/dec.c).
**
** lr__fx_mul divides the 128-bit product by 10^9 in two 64-bit steps
** instead of one 128-bit division; it must give lr_dec_mul's value,
** rounding included, whenever lr_dec_mul succeeds, and give up (0, the
** exact path then raises the error) whenever lr_dec_mul overflows.  Hand
** cases for rounding ties and the int64 edges, then millions of random
** pairs of mixed magnitudes.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "litrule.h"
#include "litrule_vm.h"

/* Whether lr__fx_mul agrees with lr_dec_mul on a * b. */
static int agrees(int64_t a, int64_t b)
{
	lr_dec x, y, r;
	lr__val f = lr__mk(a);
	int rc, ok;

	x.v = a;
	y.v = b;
	r.v = 0;
	rc = lr_dec_mul(&r, x, y);
	ok = lr__fx_mul(&f, lr__mk(b));
	if (rc != LR_OK)
		return !ok;
	return ok && f.k == 1 && f.v == r.v;
}

static void hand_cases(void **state)
{
	lr__val f;
	(void)state;
	/* 1.5 * 2 = 3 */
	f = lr__mk(1500000000);
	assert_true(lr__fx_mul(&f, lr__mk(2000000000)));
	assert_int_equal(f.v, 3000000000);
	/* 0.000000001 * 0.5 = 0.0000000005: a tie, to even (0) */
	f = lr__mk(1);
	assert_true(lr__fx_mul(&f, lr__mk(500000000)));
	assert_int_equal(f.v, 0);
	/* 0.000000003 * 0.5 = 0.0000000015: a tie, to even (2) */
	f = lr__mk(3);
	assert_true(lr__fx_mul(&f, lr__mk(500000000)));
	assert_int_equal(f.v, 2);
	/* -0.000000003 * 0.5 = -0.0000000015: to even (-2) */
	f = lr__mk(-3);
	assert_true(lr__fx_mul(&f, lr__mk(500000000)));
	assert_int_equal(f.v, -2);
	/* INT64_MIN * 1 = INT64_MIN; INT64_MIN * -1 overflows */
	f = lr__mk(INT64_MIN);
	assert_true(lr__fx_mul(&f, lr__mk(1000000000)));
	assert_true(f.v == INT64_MIN);
	f = lr__mk(INT64_MIN);
	assert_false(lr__fx_mul(&f, lr__mk(-1000000000)));
	/* not known: missing dominates, no error */
	f = lr__missing();
	assert_true(lr__fx_mul(&f, lr__mk(5)));
	assert_int_equal(f.k, 0);
	f = lr__na();
	assert_true(lr__fx_mul(&f, lr__mk(5)));
	assert_int_equal(f.k, -1);
}

static void edges(void **state)
{
	static const int64_t v[] = {0, 1, -1, 2, 499999999, 500000000, 500000001, 999999999, 1000000000,
				    -1000000000, 1500000000, 3037000499, 3037000500, 4294967295, 4294967296,
				    INT64_C(9223372036), INT64_C(9223372036854775807), INT64_MIN,
				    INT64_C(-9223372036854775807), INT64_C(3037000499976), INT64_C(96038388349944)};
	size_t i, j;
	(void)state;
	for (i = 0; i < sizeof v / sizeof v[0]; i++)
		for (j = 0; j < sizeof v / sizeof v[0]; j++) {
			/* Neighbours wrap (through unsigned): INT64_MAX + 1 is INT64_MIN. */
			assert_true(agrees(v[i], v[j]));
			assert_true(agrees((int64_t)((uint64_t)v[i] + 1u), v[j]));
			assert_true(agrees(v[i], (int64_t)(1u - (uint64_t)v[j])));
		}
}

static uint64_t rng = UINT64_C(0x243F6A8885A308D3);
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A value of a random magnitude: 1 to 64 bits, either sign. */
static int64_t random_value(void)
{
	unsigned bits = (unsigned)(next() % 64) + 1;
	uint64_t m = bits == 64 ? next() : next() & ((UINT64_C(1) << bits) - 1);
	return (next() & 1) ? -(int64_t)(m >> 1) : (int64_t)(m >> 1);
}

static void random_pairs(void **state)
{
	long i, bad = 0;
	(void)state;
	for (i = 0; i < 3000000; i++) {
		int64_t a = random_value(), b = random_value();
		/* Ties need a remainder of exactly 10^9 / 2: make some. */
		if (i % 7 == 0)
			b = (b / 1000000000) * 1000000000 + 500000000;
		bad += !agrees(a, b);
	}
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hand_cases),
		cmocka_unit_test(edges),
		cmocka_unit_test(random_pairs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
