/*
** test_native.c: the compact decisions of the native evaluator's runtime
** half (runtime/native.c, litrule.h "Compact decisions"), on in-memory
** tables: lr_eval_decisions, lr_decision_action, lr_decisions_expand.
** Layouts, missing lists and errors were worked out by hand (the same
** rules as test_overrides.c, whose lr_eval layout they must match); the
** generated evaluator itself is compared with the interpreter by
** tests/codegen.
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
	lr_decisions d;
	lr_decision buf[64];
	lr_result res;
	lr_action acts[64];
} fixture;

/* Rule indices: C 0, A 1, B 2, Z 3, K 4.  A overrides B, B and Z override C. */
static const char *const CHAIN =
	"```rule\n"
	"source s \"A source\"\n"
	"input a: bool \"a\"\n"
	"input b: bool \"b\"\n"
	"input c: bool \"c\"\n"
	"input z: bool \"z\"\n"
	"rule C \"c\"\n  when c\n  then hold \"c1\"\n  then alert \"c2\"\n  cite s at \"1\" quote \"q\"\n"
	"rule A \"a\"\n  when a\n  then recommend \"a1\"\n  overrides B\n  cite s at \"1\" quote \"q\"\n"
	"rule B \"b\"\n  when b\n  then defer \"b1\"\n  overrides C\n  cite s at \"1\" quote \"q\"\n"
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
	assert_int_equal(lr_decisions_init(&f.d, f.buf, 64), LR_OK);
	return &f;
}

static void set(fixture *f, const char *name, const char *text)
{
	uint32_t i = 0;
	assert_int_equal(lr_record_find(&i, &f->lw.rs, name, strlen(name)), LR_OK);
	assert_int_equal(lr_record_set_text(&f->rec, i, text, strlen(text)), LR_OK);
}

static void is_decision(const fixture *f, uint32_t k, uint32_t rule, uint32_t by)
{
	assert_int_equal(f->d.decisions[k].rule, rule);
	assert_int_equal(f->d.decisions[k].overridden_by, by);
	assert_int_equal(f->d.decisions[k].phase, -1);
}

static void test_native__chain_layout(void **state)
{
	fixture *f = compile(CHAIN);
	lr_action a;
	(void)state;
	set(f, "a", "true");
	set(f, "b", "true");
	set(f, "c", "true");
	set(f, "z", "true");
	assert_int_equal(lr_eval_decisions(&f->d, &f->lw.rs, &f->rec), LR_OK);
	/* Live A, Z, K; then C (twice) overridden by B (2, before Z), B by A (1). */
	assert_int_equal(f->d.ndecisions, 3);
	assert_int_equal(f->d.noverridden, 3);
	is_decision(f, 0, 1, LR_LIVE);
	is_decision(f, 1, 3, LR_LIVE);
	is_decision(f, 2, 4, LR_LIVE);
	is_decision(f, 3, 0, 2);
	is_decision(f, 4, 0, 2);
	is_decision(f, 5, 2, 1);
	assert_int_equal(f->d.nmissing, 0);
	assert_int_equal(f->d.nerrors, 0);
	/* The full action from the table. */
	assert_int_equal(lr_decision_action(&a, &f->lw.rs, &f->d.decisions[4]), LR_OK);
	assert_string_equal(a.rule_id, "C");
	assert_string_equal(a.text, "c2");
	assert_string_equal(a.verb, "alert");
	assert_string_equal(a.overridden_by_id, "B");
	assert_int_equal(a.has_dose, 0);
	assert_int_equal(lr_decision_action(&a, &f->lw.rs, &f->d.decisions[0]), LR_OK);
	assert_null(a.overridden_by_id);
	/* Expanded, it is what lr_eval gives. */
	assert_int_equal(lr_result_init(&f->res, f->acts, 64), LR_OK);
	assert_int_equal(lr_decisions_expand(&f->res, &f->lw.rs, &f->d), LR_OK);
	assert_int_equal(f->res.nactions, 3);
	assert_int_equal(f->res.noverridden, 3);
	assert_string_equal(f->acts[5].rule_id, "B");
	assert_string_equal(f->acts[5].overridden_by_id, "A");
	fe_free(&f->fe);
}

static void test_native__missing_and_range(void **state)
{
	fixture *f = compile(CHAIN);
	uint32_t ci = 0;
	(void)state;
	/* c absent: C's condition is missing (reported by C, index 0); the
	 * others are known false, and K fires. */
	set(f, "a", "false");
	set(f, "b", "false");
	set(f, "z", "false");
	assert_int_equal(lr_eval_decisions(&f->d, &f->lw.rs, &f->rec), LR_OK);
	assert_int_equal(f->d.ndecisions, 1);
	is_decision(f, 0, 4, LR_LIVE);
	assert_int_equal(f->d.nmissing, 1);
	assert_int_equal(lr_record_find(&ci, &f->lw.rs, "c", 1), LR_OK);
	assert_int_equal(f->d.missing[0].input, ci);
	assert_int_equal(f->d.missing[0].rule, 0);
	assert_string_equal(lr_ruleset_rule_id(&f->lw.rs, f->d.missing[0].rule), "C");
	assert_null(lr_ruleset_rule_id(&f->lw.rs, 5));
	/* A boolean that is not 0 or 1 rejects the record, naming the field. */
	f->rec.state[ci] = 1;
	f->rec.v[ci] = 2;
	assert_int_equal(lr_eval_decisions(&f->d, &f->lw.rs, &f->rec), LR_ERANGE);
	assert_int_equal(f->d.ndecisions, 0);
	assert_int_equal(f->d.nerrors, 1);
	assert_int_equal(f->d.errors[0].code, LR_ERANGE);
	assert_string_equal(f->d.errors[0].name, "c");
	fe_free(&f->fe);
}

static void test_native__bad_arguments(void **state)
{
	fixture *f = compile(CHAIN);
	lr_action a;
	lr_decision bad;
	(void)state;
	/* A buffer below max_actions is refused, not silently cut. */
	assert_true(lr_ruleset_max_actions(&f->lw.rs) > 1);
	assert_int_equal(lr_decisions_init(&f->d, f->buf, 1), LR_OK);
	assert_int_equal(lr_eval_decisions(&f->d, &f->lw.rs, &f->rec), LR_EINVAL);
	assert_int_equal(lr_decisions_init(NULL, f->buf, 1), LR_EINVAL);
	assert_int_equal(lr_decisions_init(&f->d, NULL, 1), LR_EINVAL);
	/* An action that is not the rule's. */
	memset(&bad, 0, sizeof bad);
	bad.rule = 1;
	bad.action = 0; /* rule C's first action */
	bad.overridden_by = LR_LIVE;
	bad.phase = -1;
	assert_int_equal(lr_decision_action(&a, &f->lw.rs, &bad), LR_EINVAL);
	bad.rule = 99;
	assert_int_equal(lr_decision_action(&a, &f->lw.rs, &bad), LR_EINVAL);
	fe_free(&f->fe);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_native__chain_layout),
		cmocka_unit_test(test_native__missing_and_range),
		cmocka_unit_test(test_native__bad_arguments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
