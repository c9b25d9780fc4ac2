/*
** test_units.c: unit tests of units.c, the canonical unit texts.
**
** Two units are the same exactly when their canonical texts are equal,
** so these tests pin the canonical spelling: atoms sorted, '·' between
** numerator atoms, '/' before each denominator atom, aliases folded.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "units.h"

static arena a;

static int teardown(void **state)
{
	(void)state;
	arena_free(&a);
	return 0;
}

static const char *canon(const char *text)
{
	const char *bad = "x", *hint = "x";
	const char *c = unit_canon(&a, text, &bad, &hint);
	if (c) {
		assert_null(bad);
		assert_null(hint);
	}
	return c;
}

static void test_units__simple(void **state)
{
	(void)state;
	assert_string_equal(canon("mg"), "mg");
	assert_string_equal(canon("mg/dL"), "mg/dL");
	assert_string_equal(canon("mL/min"), "mL/min");
	assert_string_equal(canon("mmol/L"), "mmol/L");
	assert_string_equal(canon("%"), "%");
	assert_string_equal(canon(""), "");
}

static void test_units__products_are_sorted(void **state)
{
	(void)state;
	assert_string_equal(canon("kg\xC2\xB7years/mg"), "kg\xC2\xB7years/mg");
	assert_string_equal(canon("years\xC2\xB7kg/mg"), "kg\xC2\xB7years/mg");
	assert_string_equal(canon("years*kg/mg"), "kg\xC2\xB7years/mg");
	assert_string_equal(canon("mL/min/kg"), "mL/kg\xC2\xB7min");
	assert_string_equal(canon("mL/kg/min"), "mL/kg\xC2\xB7min");
}

static void test_units__aliases(void **state)
{
	(void)state;
	assert_string_equal(canon("mcg"), "\xC2\xB5g");
	assert_string_equal(canon("ug"), "\xC2\xB5g");
	assert_string_equal(canon("\xC2\xB5g"), "\xC2\xB5g");
	assert_string_equal(canon("umol/L"), "\xC2\xB5mol/L");
	assert_string_equal(canon("day"), "days");
	assert_string_equal(canon("week"), "weeks");
	assert_string_equal(canon("month"), "months");
	assert_string_equal(canon("year"), "years");
	assert_string_equal(canon("dose"), "doses");
}

static void test_units__cancel(void **state)
{
	(void)state;
	assert_string_equal(canon("mg/mg"), "");
	assert_string_equal(canon("1/min"), "1/min");
	assert_string_equal(canon("kg/kg\xC2\xB7min"), "1/min");
}

static void test_units__unknown_with_hint(void **state)
{
	const char *bad, *hint;

	(void)state;
	assert_null(unit_canon(&a, "ml", &bad, &hint));
	assert_string_equal(bad, "ml");
	assert_string_equal(hint, "mL");
	assert_null(unit_canon(&a, "mg/dl", &bad, &hint));
	assert_string_equal(bad, "dl");
	assert_string_equal(hint, "dL");
	assert_null(unit_canon(&a, "MG", &bad, &hint));
	assert_string_equal(hint, "mg");
}

static void test_units__unknown_without_hint(void **state)
{
	const char *bad, *hint;

	(void)state;
	assert_null(unit_canon(&a, "furlongs/fortnight", &bad, &hint));
	assert_string_equal(bad, "furlongs");
	assert_null(hint);
}

static void test_units__algebra(void **state)
{
	(void)state;
	assert_string_equal(unit_mul(&a, "kg", "years"), "kg\xC2\xB7years");
	assert_string_equal(unit_div(&a, "kg\xC2\xB7years", "mg"), "kg\xC2\xB7years/mg");
	assert_string_equal(unit_div(&a, "mg", "mg"), "");
	assert_string_equal(unit_mul(&a, "mg/dL", "dL"), "mg");
	assert_string_equal(unit_div(&a, "", "min"), "1/min");
	assert_string_equal(unit_mul(&a, "mL/min", ""), "mL/min");
}

static void test_units__time(void **state)
{
	(void)state;
	assert_int_equal(unit_time("days"), TIME_DAYS);
	assert_int_equal(unit_time("weeks"), TIME_WEEKS);
	assert_int_equal(unit_time("months"), TIME_MONTHS);
	assert_int_equal(unit_time("years"), TIME_YEARS);
	assert_int_equal(unit_time("doses"), TIME_DOSES);
	assert_int_equal(unit_time("mg"), TIME_NONE);
	assert_int_equal(unit_time(NULL), TIME_NONE);
}

static void test_units__show(void **state)
{
	(void)state;
	assert_string_equal(unit_show(""), "no unit");
	assert_string_equal(unit_show(NULL), "no unit");
	assert_string_equal(unit_show("mg"), "mg");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_units__simple, teardown),
		cmocka_unit_test_teardown(test_units__products_are_sorted, teardown),
		cmocka_unit_test_teardown(test_units__aliases, teardown),
		cmocka_unit_test_teardown(test_units__cancel, teardown),
		cmocka_unit_test_teardown(test_units__unknown_with_hint, teardown),
		cmocka_unit_test_teardown(test_units__unknown_without_hint, teardown),
		cmocka_unit_test_teardown(test_units__algebra, teardown),
		cmocka_unit_test_teardown(test_units__time, teardown),
		cmocka_unit_test_teardown(test_units__show, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
