/*
** test_overrides.c: lr_eval's layout of overridden actions (litrule.h,
** lr_result): live actions first, then the actions of rules that a rule
** which fired overrides, each part in rule order, with the overriding
** rule named; subjects copied from the table; LR_EFULL with overrides;
** and tables of the previous format refused.  Small rule sets are
** compiled in memory; every expected layout was worked out by hand.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "driver.h"
#include "litrule_table.h"
#include "lower.h"

typedef struct {
	frontend fe;
	lowered lw;
	lr_record rec;
	lr_result res;
	lr_action acts[128];
} fixture;

/* Rule indices in the table: C 0, A 1, B 2, Z 3, K 4.  A overrides B (a
 * later rule), B overrides C (an earlier one), Z overrides C too. */
static const char *const CHAIN =
	"```rule\n"
	"source s \"A source\"\n"
	"input a: bool \"a\"\n"
	"input b: bool \"b\"\n"
	"input c: bool \"c\"\n"
	"input z: bool \"z\"\n"
	"subject thing \"a thing\"\n"
	"rule C \"c\"\n  when c\n  then hold thing \"c1\"\n  then alert \"c2\"\n  cite s at \"1\" quote \"q\"\n"
	"rule A \"a\"\n  when a\n  then recommend thing \"a1\"\n  overrides B\n  cite s at \"1\" quote \"q\"\n"
	"rule B \"b\"\n  when b\n  then defer thing \"b1\"\n  overrides C\n  cite s at \"1\" quote \"q\"\n"
	"rule Z \"z\"\n  when z\n  then monitor \"z1\"\n  overrides C\n  cite s at \"1\" quote \"q\"\n"
	"rule K \"k\"\n  then order \"k1\"\n  cite s at \"1\" quote \"q\"\n"
	"```\n";

static fixture *compile(const char *src)
{
	static fixture f;
	memset(&f, 0, sizeof f);
	if (fe_run_memory(&f.fe, "t.md", src, strlen(src))) {
		diag_print_text(&f.fe.diag, stderr);
		fail_msg("rule text did not compile");
	}
	assert_int_equal(lower_ruleset(&f.lw, &f.fe.rs, &f.fe.a, &f.fe.diag), 0);
	f.lw.rs.name = "t";
	assert_int_equal(lr_record_init(&f.rec, &f.lw.rs), LR_OK);
	return &f;
}

static void set(fixture *f, const char *name, const char *text)
{
	uint32_t i = 0;
	assert_int_equal(lr_record_find(&i, &f->lw.rs, name, strlen(name)), LR_OK);
	assert_int_equal(lr_record_set_text(&f->rec, i, text, strlen(text)), LR_OK);
}

static int eval_cap(fixture *f, uint32_t cap)
{
	assert_int_equal(lr_result_init(&f->res, f->acts, cap), LR_OK);
	return lr_eval(&f->res, &f->lw.rs, &f->rec);
}

/* Action k is the action with text, of rule id, overridden by "by" (NULL: live). */
static void is_action(const fixture *f, uint32_t k, const char *id, const char *text, const char *by)
{
	const lr_action *a = &f->acts[k];
	assert_string_equal(a->rule_id, id);
	assert_string_equal(a->text, text);
	if (by)
		assert_non_null(a->overridden_by_id);
	if (by)
		assert_string_equal(a->overridden_by_id, by);
	else
		assert_null(a->overridden_by_id);
}

static void test_overrides__chain_all_fire(void **state)
{
	fixture *f = compile(CHAIN);
	(void)state;
	set(f, "a", "true");
	set(f, "b", "true");
	set(f, "c", "true");
	set(f, "z", "true");
	assert_int_equal(eval_cap(f, 128), LR_OK);
	/* Live: A, Z, K.  B is overridden by A although B itself overrides C;
	 * C by B and Z, and B (index 2) comes before Z (3). */
	assert_int_equal(f->res.nactions, 3);
	assert_int_equal(f->res.noverridden, 3);
	is_action(f, 0, "A", "a1", NULL);
	is_action(f, 1, "Z", "z1", NULL);
	is_action(f, 2, "K", "k1", NULL);
	is_action(f, 3, "C", "c1", "B");
	is_action(f, 4, "C", "c2", "B");
	is_action(f, 5, "B", "b1", "A");
	assert_int_equal(f->acts[3].overridden_by, 2);
	assert_int_equal(f->acts[5].overridden_by, 1);
	assert_int_equal(f->acts[0].overridden_by, 0);
	/* Subjects: named ones, and NULL where the action names none. */
	assert_string_equal(f->acts[0].subject, "thing");
	assert_null(f->acts[1].subject);
	assert_string_equal(f->acts[3].subject, "thing");
	assert_null(f->acts[4].subject);
	fe_free(&f->fe);
}

static void test_overrides__only_what_fired_overrides(void **state)
{
	fixture *f = compile(CHAIN);
	(void)state;
	/* A and C fire; B does not, so nothing overrides C. */
	set(f, "a", "true");
	set(f, "b", "false");
	set(f, "c", "true");
	set(f, "z", "false");
	assert_int_equal(eval_cap(f, 128), LR_OK);
	assert_int_equal(f->res.nactions, 4);
	assert_int_equal(f->res.noverridden, 0);
	is_action(f, 0, "C", "c1", NULL);
	is_action(f, 1, "C", "c2", NULL);
	is_action(f, 2, "A", "a1", NULL);
	is_action(f, 3, "K", "k1", NULL);
	/* B and C: B overrides C. */
	set(f, "a", "false");
	set(f, "b", "true");
	assert_int_equal(eval_cap(f, 128), LR_OK);
	assert_int_equal(f->res.nactions, 2);
	assert_int_equal(f->res.noverridden, 2);
	is_action(f, 0, "B", "b1", NULL);
	is_action(f, 1, "K", "k1", NULL);
	is_action(f, 2, "C", "c1", "B");
	is_action(f, 3, "C", "c2", "B");
	fe_free(&f->fe);
}

static void test_overrides__efull(void **state)
{
	fixture *f = compile(CHAIN);
	(void)state;
	set(f, "a", "true");
	set(f, "b", "true");
	set(f, "c", "true");
	set(f, "z", "true");
	/* Capacity 3: C c1, C c2 and A a1 are stored; B b1, Z z1 and K k1 are
	 * dropped.  B fired, so C's stored actions are still overridden. */
	assert_int_equal(eval_cap(f, 3), LR_EFULL);
	assert_int_equal(f->res.actions_dropped, 3);
	assert_int_equal(f->res.nactions, 1);
	assert_int_equal(f->res.noverridden, 2);
	is_action(f, 0, "A", "a1", NULL);
	is_action(f, 1, "C", "c1", "B");
	is_action(f, 2, "C", "c2", "B");
	/* Capacity 2: only C's two actions fit, both overridden by B. */
	assert_int_equal(eval_cap(f, 2), LR_EFULL);
	assert_int_equal(f->res.actions_dropped, 4);
	assert_int_equal(f->res.nactions, 0);
	assert_int_equal(f->res.noverridden, 2);
	is_action(f, 0, "C", "c1", "B");
	/* Capacity 0: nothing stored, everything counted. */
	assert_int_equal(lr_result_init(&f->res, NULL, 0), LR_OK);
	assert_int_equal(lr_eval(&f->res, &f->lw.rs, &f->rec), LR_EFULL);
	assert_int_equal(f->res.actions_dropped, 6);
	assert_int_equal(f->res.nactions + f->res.noverridden, 0);
	fe_free(&f->fe);
}

/* 40 rules that always fire and a last one overriding every third: the
 * partition keeps both parts in rule order. */
static void test_overrides__partition_is_stable(void **state)
{
	static char src[16384];
	size_t n = 0;
	int i;
	uint32_t k;
	fixture *f;
	(void)state;

	n += (size_t)snprintf(src + n, sizeof src - n, "```rule\nsource s \"A source\"\n");
	for (i = 0; i < 40; i++)
		n += (size_t)snprintf(src + n, sizeof src - n, "rule R%d \"r\"\n  then alert \"t%d\"\n  cite s at \"1\" quote \"q\"\n",
				      i, i);
	n += (size_t)snprintf(src + n, sizeof src - n, "rule O \"o\"\n  then alert \"o\"\n  overrides R0");
	for (i = 3; i < 40; i += 3)
		n += (size_t)snprintf(src + n, sizeof src - n, ", R%d", i);
	snprintf(src + n, sizeof src - n, "\n  cite s at \"1\" quote \"q\"\n```\n");
	f = compile(src);
	assert_int_equal(eval_cap(f, 128), LR_OK);
	/* Overridden: R0, R3, ..., R39: 14 rules; live: the other 26 and O. */
	assert_int_equal(f->res.noverridden, 14);
	assert_int_equal(f->res.nactions, 27);
	for (k = 1; k < f->res.nactions; k++)
		assert_true(f->acts[k - 1].rule < f->acts[k].rule);
	for (k = 0; k < f->res.nactions; k++)
		assert_true(f->acts[k].rule == 40 || f->acts[k].rule % 3 != 0);
	for (k = 0; k < 14; k++) {
		const lr_action *a = &f->acts[f->res.nactions + k];
		assert_int_equal(a->rule, 3 * k);
		assert_string_equal(a->overridden_by_id, "O");
		assert_int_equal(a->overridden_by, 40);
	}
	fe_free(&f->fe);
}

static void test_overrides__old_format_refused(void **state)
{
	fixture *f = compile(CHAIN);
	(void)state;
	assert_int_equal(LR_TABLE_FORMAT, 6);
	f->lw.rs.format = 5;
	assert_int_equal(lr_ruleset_check(&f->lw.rs), LR_EVERSION);
	assert_int_equal(eval_cap(f, 128), LR_EVERSION);
	fe_free(&f->fe);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overrides__chain_all_fire),
		cmocka_unit_test(test_overrides__only_what_fired_overrides),
		cmocka_unit_test(test_overrides__efull),
		cmocka_unit_test(test_overrides__partition_is_stable),
		cmocka_unit_test(test_overrides__old_format_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
