/*
** test_caps.c: no fixed capacities (issue 12, item 3).  The scratch a
** rule set needs (lr_scratch_size) and the entries that take the caller's
** buffer (lr_eval_scratch, lr_eval_decisions_scratch): the exact size
** works, one byte less is LR_ESCRATCH with nothing evaluated, nothing is
** written past the size; lr_eval's stack buffer refuses a rule set that
** needs more.  Records and missing lists past 256 inputs
** (lr_record_init_arrays, lr_result_set_missing), and their refusals.
** Rule sets are compiled in memory; expectations are worked out by hand.
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
#include "litrule_table.h"
#include "lower.h"

typedef struct {
	frontend fe;
	lowered lw;
	lr_result res;
	lr_action acts[64];
} fixture;

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
	assert_int_equal(lr_result_init(&f.res, f.acts, 64), LR_OK);
	return &f;
}

/* NIN inputs x0..x{NIN-1} (0 to 100 mg), NLET lets l_i = x_i + 1 mg, and
 * two rules on the last input: R fires when it is above 50 mg (through
 * its let), S needs it and x0. */
static char *wide(int nin, int nlet)
{
	size_t cap = (size_t)(nin + nlet) * 80 + 1024, n = 0;
	char *s = malloc(cap);
	int i;
	assert_non_null(s);
	n += (size_t)snprintf(s + n, cap - n, "```rule\nsource G \"g\"\n");
	for (i = 0; i < nin; i++)
		n += (size_t)snprintf(s + n, cap - n, "input x%d: number in mg, from 0 to 100 \"x%d\"\n", i, i);
	for (i = 0; i < nlet; i++)
		n += (size_t)snprintf(s + n, cap - n, "let l%d in mg = x%d + 1 mg \"l%d\"\n", i, i % nin, i);
	n += (size_t)snprintf(s + n, cap - n,
			      "rule R \"r\" when l%d > 51 mg then recommend \"high\" cite G at \"1\" quote \"q\"\n"
			      "rule S \"s\" when x0 > 1 mg and x%d < 10 mg then recommend \"low\" cite G at \"1\" quote \"q\"\n```\n",
			      nin - 1, nin - 1);
	return s;
}

static const char *const SMALL =
	"```rule\nsource G \"g\"\ninput a: number in mg, from 0 to 100 \"a\"\n"
	"let b in mg = a * 2 \"b\"\n"
	"rule R \"r\" when b > 10 mg then recommend \"go\" cite G at \"1\" quote \"q\"\n```\n";

static const char *const SMALL2 =
	"```rule\nsource G \"g\"\ninput a: number in mg, from 0 to 100 \"a\"\n"
	"let b in mg = a * 2 \"b\"\nlet c in mg = b * 2 \"c\"\n"
	"rule R \"r\" when c > 10 mg then recommend \"go\" cite G at \"1\" quote \"q\"\n```\n";

/* The size follows the counts: one more let, at least its cache entry and
 * its missing set (one word); NULL and foreign tables need none. */
static void test_caps__scratch_size(void **state)
{
	fixture *f;
	size_t one, two;
	(void)state;
	f = compile(SMALL);
	one = lr_scratch_size(&f->lw.rs);
	assert_true(one > 0);
	assert_true(one <= LR_EVAL_STACK_SCRATCH);
	assert_int_equal(one % 8, 0);
	fe_free(&f->fe);
	f = compile(SMALL2);
	two = lr_scratch_size(&f->lw.rs);
	assert_true(two >= one + sizeof(lr_dec) + 8);
	assert_int_equal(lr_scratch_size(NULL), 0);
	f->lw.rs.format = LR_TABLE_FORMAT - 1;
	assert_int_equal(lr_scratch_size(&f->lw.rs), 0);
	fe_free(&f->fe);
}

/* Exactly lr_scratch_size bytes work and nothing past them is written;
 * one byte less is LR_ESCRATCH, listed, with no action; a misaligned
 * buffer is LR_EINVAL. */
static void test_caps__scratch_exact_and_short(void **state)
{
	fixture *f = compile(SMALL);
	lr_record rec;
	size_t need = lr_scratch_size(&f->lw.rs), k;
	unsigned char *buf;
	uint32_t i;
	(void)state;
	buf = malloc(need + 72);
	assert_non_null(buf);
	memset(buf, 0xAB, need + 72);
	assert_int_equal(lr_record_init(&rec, &f->lw.rs), LR_OK);
	assert_int_equal(lr_record_find(&i, &f->lw.rs, "a", 1), LR_OK);
	assert_int_equal(lr_record_set_text(&rec, i, "6", 1), LR_OK); /* b = 12 mg > 10 */
	assert_int_equal(lr_eval_scratch(&f->res, &f->lw.rs, &rec, buf, need), LR_OK);
	assert_int_equal(f->res.nactions, 1);
	assert_string_equal(f->res.actions[0].rule_id, "R");
	for (k = need; k < need + 72; k++)
		assert_int_equal(buf[k], 0xAB);
	assert_int_equal(lr_eval_interpret_scratch(&f->res, &f->lw.rs, &rec, buf, need), LR_OK);
	assert_int_equal(f->res.nactions, 1);
	assert_int_equal(lr_eval_scratch(&f->res, &f->lw.rs, &rec, buf, need - 1), LR_ESCRATCH);
	assert_int_equal(f->res.nactions, 0);
	assert_int_equal(f->res.nerrors, 1);
	assert_int_equal(f->res.errors[0].code, LR_ESCRATCH);
	assert_non_null(strstr(f->res.errors[0].message, "lr_eval_scratch"));
	assert_int_equal(lr_eval_scratch(&f->res, &f->lw.rs, &rec, buf + 4, need), LR_EINVAL);
	assert_int_equal(lr_eval_scratch(&f->res, &f->lw.rs, &rec, NULL, need), LR_EINVAL);
	{
		lr_decision d[4];
		lr_decisions dec;
		assert_int_equal(lr_decisions_init(&dec, d, 4), LR_OK);
		assert_int_equal(lr_eval_decisions_scratch(&dec, &f->lw.rs, &rec, buf, need), LR_OK);
		assert_int_equal(dec.ndecisions, 1);
		assert_int_equal(lr_eval_decisions_scratch(&dec, &f->lw.rs, &rec, buf, need - 1), LR_ESCRATCH);
		assert_int_equal(dec.ndecisions, 0);
		assert_int_equal(dec.errors[0].code, LR_ESCRATCH);
	}
	assert_non_null(strstr(lr_strerror(LR_ESCRATCH), "scratch"));
	free(buf);
	fe_free(&f->fe);
}

/* 300 inputs and 300 lets (5 words a set): more scratch than lr_eval's
 * stack buffer, so lr_eval refuses with LR_ESCRATCH and names the entry;
 * the record and the missing list need the caller's arrays.  x299, the
 * last input, decides R; x0 known and x299 absent, S misses x299. */
static void test_caps__wide(void **state)
{
	char *src = wide(300, 300);
	fixture *f = compile(src);
	const lr_ruleset *rs = &f->lw.rs;
	lr_record rec, small;
	uint8_t st[300];
	int64_t v[300];
	lr_missing miss[300];
	size_t need = lr_scratch_size(rs);
	void *buf = malloc(need);
	uint32_t x0, x299;
	lr_dec d;
	(void)state;
	free(src);
	assert_non_null(buf);
	assert_true(need > LR_EVAL_STACK_SCRATCH);
	assert_int_equal(lr_ruleset_ninputs(rs), 300);
	/* The record's own 256 entries do not hold 300 inputs. */
	assert_int_equal(lr_record_init(&small, rs), LR_EFULL);
	assert_int_equal(lr_record_find(&x299, rs, "x299", 4), LR_OK);
	assert_int_equal(x299, 299);
	assert_int_equal(lr_record_set_text(&small, x299, "60", 2), LR_EINVAL);
	assert_int_equal(lr_eval_scratch(&f->res, rs, &small, buf, need), LR_EFULL);
	assert_int_equal(lr_record_init_arrays(&rec, rs, st, v, 299), LR_EFULL);
	assert_int_equal(lr_record_init_arrays(&rec, rs, st, v, 300), LR_OK);
	assert_int_equal(lr_record_find(&x0, rs, "x0", 2), LR_OK);
	d.v = 60 * LR_DEC_SCALE;
	assert_int_equal(lr_record_set_dec(&rec, x299, d), LR_OK);
	/* The result's own missing list (256) is shorter than 300 inputs. */
	assert_int_equal(lr_eval_scratch(&f->res, rs, &rec, buf, need), LR_EFULL);
	assert_non_null(strstr(f->res.errors[0].message, "lr_result_set_missing"));
	assert_int_equal(lr_result_set_missing(&f->res, miss, 300), LR_OK);
	assert_int_equal(lr_eval(&f->res, rs, &rec), LR_ESCRATCH);
	assert_int_equal(lr_eval_scratch(&f->res, rs, &rec, buf, need), LR_OK);
	assert_int_equal(f->res.nactions, 1);
	assert_string_equal(f->res.actions[0].rule_id, "R");
	/* S: x0 absent, x299 = 60 not below 10: false whatever x0 is. */
	assert_int_equal(f->res.nmissing, 0);
	lr_record_clear(&rec, x299);
	d.v = 5 * LR_DEC_SCALE;
	assert_int_equal(lr_record_set_dec(&rec, x0, d), LR_OK);
	assert_int_equal(lr_eval_scratch(&f->res, rs, &rec, buf, need), LR_OK);
	assert_int_equal(f->res.nactions, 0);
	/* R reads l299 = x299 + 1 mg: x299 first needed by R; S then adds nothing. */
	assert_int_equal(f->res.nmissing, 1);
	assert_int_equal(f->res.missing[0].input, 299);
	assert_string_equal(f->res.missing[0].name, "x299");
	assert_string_equal(f->res.missing[0].rule_id, "R");
	assert_int_equal(lr_eval_interpret_scratch(&f->res, rs, &rec, buf, need), LR_OK);
	assert_int_equal(f->res.nmissing, 1);
	assert_int_equal(f->res.missing[0].input, 299);
	free(buf);
	fe_free(&f->fe);
}

/* lr_record_copy copies values, not pointers; another rule set is refused. */
static void test_caps__record_copy(void **state)
{
	fixture *f = compile(SMALL);
	static lr_record a, b;
	lr_record other;
	uint32_t i;
	(void)state;
	assert_int_equal(lr_record_init(&a, &f->lw.rs), LR_OK);
	assert_int_equal(lr_record_init(&b, &f->lw.rs), LR_OK);
	assert_int_equal(lr_record_find(&i, &f->lw.rs, "a", 1), LR_OK);
	assert_int_equal(lr_record_set_text(&a, i, "7", 1), LR_OK);
	assert_int_equal(lr_record_copy(&b, &a), LR_OK);
	assert_true(b.state == b.own_state);
	assert_int_equal(b.state[i], 1);
	assert_int_equal(b.v[i], 7 * LR_DEC_SCALE);
	lr_record_clear(&a, i);
	assert_int_equal(b.state[i], 1);
	memset(&other, 0, sizeof other);
	assert_int_equal(lr_record_copy(&other, &a), LR_EINVAL);
	assert_int_equal(lr_record_copy(NULL, &a), LR_EINVAL);
	fe_free(&f->fe);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_caps__scratch_size),
		cmocka_unit_test(test_caps__scratch_exact_and_short),
		cmocka_unit_test(test_caps__wide),
		cmocka_unit_test(test_caps__record_copy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
