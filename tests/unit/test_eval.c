/*
** test_eval.c: the runtime's evaluation semantics, end to end through
** the compiler: small rule sets are compiled in memory, lowered to a
** table, and evaluated on records built by hand.  Every expected value
** here was worked out by hand (the arithmetic is in the comments).
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
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
	lr_action acts[512]; /* the result's buffer */
} fixture;

static const char *const HEAD =
	"```rule\n"
	"source s \"A source\"\n"
	"input today: date \"today\"\n"
	"input a: bool \"a\"\n"
	"input b: bool \"b\"\n"
	"input x: number in mg/dL, from 0 to 100 \"x\"\n"
	"input y: number in mg/dL, from 0 to 100 \"y\"\n"
	"input kind: one of p, q, r \"kind\"\n"
	"input d0: date \"anchor\"\n"
	"input d1: date \"last\"\n"
	"input n: number in doses, from 0 to 100 \"doses\"\n";

static fixture *compile(const char *body)
{
	static fixture f;
	static char src[65536];
	int errors;

	snprintf(src, sizeof src, "%s%s\n```\n", HEAD, body);
	memset(&f, 0, sizeof f);
	errors = fe_run_memory(&f.fe, "t.md", src, strlen(src));
	if (errors) {
		diag_print_text(&f.fe.diag, stderr);
		fail_msg("rule text did not compile");
	}
	assert_int_equal(lower_ruleset(&f.lw, &f.fe.rs, &f.fe.a, &f.fe.diag), 0);
	f.lw.rs.name = "t";
	assert_int_equal(lr_record_init(&f.rec, &f.lw.rs), LR_OK);
	assert_true(lr_ruleset_max_actions(&f.lw.rs) <= 512);
	assert_int_equal(lr_result_init(&f.res, f.acts, 512), LR_OK);
	return &f;
}

static void done(fixture *f) { fe_free(&f->fe); }

static uint32_t in(fixture *f, const char *name)
{
	uint32_t i = 0;
	assert_int_equal(lr_record_find(&i, &f->lw.rs, name, strlen(name)), LR_OK);
	return i;
}

static void set(fixture *f, const char *name, const char *text)
{
	assert_int_equal(lr_record_set_text(&f->rec, in(f, name), text, strlen(text)), LR_OK);
}

static int fired(const fixture *f, const char *rule)
{
	uint32_t k;
	for (k = 0; k < f->res.nactions; k++)
		if (strcmp(f->res.actions[k].rule_id, rule) == 0)
			return 1;
	return 0;
}

static int missing(const fixture *f, const char *name)
{
	uint32_t k;
	for (k = 0; k < f->res.nmissing; k++)
		if (strcmp(f->res.missing[k].name, name) == 0)
			return 1;
	return 0;
}

static int run(fixture *f) { return lr_eval(&f->res, &f->lw.rs, &f->rec); }

#define RULE(id, cond) "rule " id " when " cond " then alert \"t\" cite s at \"l\" quote \"q\"\n"

/* false and missing = false: nothing is reported missing. */
static void test_eval__kleene_and(void **state)
{
	fixture *f = compile(RULE("R1", "a and b"));
	(void)state;
	set(f, "a", "false");
	assert_int_equal(run(f), LR_OK);
	assert_false(fired(f, "R1"));
	assert_int_equal(f->res.nmissing, 0);
	set(f, "a", "true");
	run(f);
	assert_false(fired(f, "R1"));
	assert_true(missing(f, "b"));
	assert_string_equal(f->res.missing[0].rule_id, "R1");
	done(f);
}

/* true or missing = true: the rule fires and nothing is missing. */
static void test_eval__kleene_or(void **state)
{
	fixture *f = compile(RULE("R1", "a or b") RULE("R2", "not b"));
	(void)state;
	set(f, "a", "true");
	run(f);
	assert_true(fired(f, "R1"));
	assert_false(fired(f, "R2"));
	assert_true(missing(f, "b"));   /* needed by R2 only */
	assert_string_equal(f->res.missing[0].rule_id, "R2");
	done(f);
}

/* "is missing" probes without reporting. */
static void test_eval__is_missing_probe(void **state)
{
	fixture *f = compile(RULE("R1", "x is missing") RULE("R2", "x is known"));
	(void)state;
	run(f);
	assert_true(fired(f, "R1"));
	assert_false(fired(f, "R2"));
	assert_int_equal(f->res.nmissing, 0);
	done(f);
}

/* Cockcroft-Gault (140-68)*72/(72*1.2) = 5184/86.4 = 60 exactly: band 50 to 60. */
static void test_eval__cockcroft_gault_exact_60(void **state)
{
	fixture *f = compile(
		"input age: number in years, from 18 to 120 \"age\"\n"
		"input wt: number in kg, from 20 to 300 \"wt\"\n"
		"input scr: number in mg/dL, from 0.1 to 20 \"scr\"\n"
		"let crcl in mL/min = ((140 - age) * wt / (72 * scr)) as mL/min\n"
		"table dz by crcl, hit unique\n"
		"  row above 60 gives 4.0 mg\n row 50 to 60 gives 3.5 mg\n row below 50 gives 3.0 mg\n"
		"  cite s at \"l\" quote \"q\"\n"
		"rule R1 when crcl is known then dose (dz) intravenous \"d\" cite s at \"l\" quote \"q\"\n");
	(void)state;
	set(f, "age", "68");
	set(f, "wt", "72");
	set(f, "scr", "1.2");
	assert_int_equal(run(f), LR_OK);
	assert_int_equal(f->res.nactions, 1);
	assert_true(f->res.actions[0].has_dose);
	assert_int_equal(f->res.actions[0].amount.v, INT64_C(3500000000));
	assert_string_equal(f->res.actions[0].unit, "mg");
	assert_string_equal(f->res.actions[0].route, "intravenous");
	/* The trace lists the three inputs the rule read. */
	assert_int_equal(f->res.actions[0].nreads, 3);
	done(f);
}

/* Band edges: 60.000000001 is above 60; 49.999999999 is below 50. */
static void test_eval__table_edges(void **state)
{
	fixture *f = compile(
		"table t by x, hit unique\n"
		"  row above 60 gives 4 mg\n  row 50 to 60 gives 3.5 mg\n  row 0 to below 50 gives 3 mg\n"
		"  cite s at \"l\" quote \"q\"\n"
		"rule R1 when x is known then dose (t) oral \"d\" cite s at \"l\" quote \"q\"\n");
	(void)state;
	set(f, "x", "60.000000001");
	run(f);
	assert_int_equal(f->res.actions[0].amount.v, INT64_C(4000000000));
	set(f, "x", "60");
	run(f);
	assert_int_equal(f->res.actions[0].amount.v, INT64_C(3500000000));
	set(f, "x", "50");
	run(f);
	assert_int_equal(f->res.actions[0].amount.v, INT64_C(3500000000));
	set(f, "x", "49.999999999");
	run(f);
	assert_int_equal(f->res.actions[0].amount.v, INT64_C(3000000000));
	done(f);
}

/* A row that gives nothing: the rule does not fire and nothing is missing. */
static void test_eval__table_gives_nothing(void **state)
{
	fixture *f = compile(
		"table t by x, hit unique\n  row below 30 gives nothing\n  row at least 30 gives 3 mg\n"
		"  cite s at \"l\" quote \"q\"\n"
		"rule R1 when x is known then dose (t) oral \"d\" cite s at \"l\" quote \"q\"\n");
	(void)state;
	set(f, "x", "29.9");
	run(f);
	assert_int_equal(f->res.nactions, 0);
	assert_int_equal(f->res.nmissing, 0);
	done(f);
}

/* Out of range: the record is rejected and the field named. */
static void test_eval__range_rejected(void **state)
{
	fixture *f = compile(RULE("R1", "x > 1") RULE("R2", "a"));
	(void)state;
	set(f, "x", "100.000000001");
	set(f, "a", "true");
	assert_int_equal(run(f), LR_ERANGE);
	assert_int_equal(f->res.nactions, 0);
	assert_int_equal(f->res.nerrors, 1);
	assert_string_equal(f->res.errors[0].name, "x");
	set(f, "x", "100");
	assert_int_equal(run(f), LR_OK);
	assert_true(fired(f, "R1") && fired(f, "R2"));
	done(f);
}

/* otherwise: the first known value. */
static void test_eval__otherwise(void **state)
{
	fixture *f = compile("let z in mg/dL = x otherwise y\n" RULE("R1", "z > 10"));
	(void)state;
	set(f, "y", "20");
	run(f);
	assert_true(fired(f, "R1"));
	set(f, "x", "5");
	run(f);
	assert_false(fired(f, "R1"));
	lr_record_clear(&f->rec, in(f, "x"));
	lr_record_clear(&f->rec, in(f, "y"));
	run(f);
	assert_true(missing(f, "x") && missing(f, "y"));
	done(f);
}

/* if/then/else runs only the branch taken: the other's inputs are not needed. */
static void test_eval__if_is_lazy(void **state)
{
	fixture *f = compile("let z in mg/dL = (if a then x else y)\n" RULE("R1", "z > 10"));
	(void)state;
	set(f, "a", "true");
	run(f);
	assert_true(missing(f, "x"));
	assert_false(missing(f, "y"));
	set(f, "x", "11");
	run(f);
	assert_true(fired(f, "R1"));
	assert_int_equal(f->res.nmissing, 0);
	set(f, "a", "false");
	run(f);
	assert_false(fired(f, "R1"));
	assert_true(missing(f, "y"));
	assert_false(missing(f, "x"));
	lr_record_clear(&f->rec, in(f, "a"));
	run(f);
	assert_true(missing(f, "a"));
	assert_false(missing(f, "y"));
	done(f);
}

static void test_eval__enum_sets(void **state)
{
	fixture *f = compile(RULE("R1", "kind is one of p, r") RULE("R2", "kind is not q") RULE("R3", "kind is q"));
	(void)state;
	set(f, "kind", "r");
	run(f);
	assert_true(fired(f, "R1"));
	assert_true(fired(f, "R2"));
	assert_false(fired(f, "R3"));
	assert_int_equal(lr_record_set_text(&f->rec, in(f, "kind"), "s", 1), LR_EINVAL);
	done(f);
}

/* within 3 months before: 2024-05-31 - 3 months = 2024-02-29 (clamped). */
static void test_eval__within_months(void **state)
{
	fixture *f = compile(RULE("R1", "d0 within 3 months before d1") RULE("R2", "d0 within 1 months after d1"));
	(void)state;
	set(f, "d1", "2024-05-31");
	set(f, "d0", "2024-02-29");
	run(f);
	assert_true(fired(f, "R1"));
	set(f, "d0", "2024-02-28");
	run(f);
	assert_false(fired(f, "R1"));
	/* 2024-01-31 + 1 month = 2024-02-29. */
	set(f, "d1", "2024-01-31");
	set(f, "d0", "2024-02-29");
	run(f);
	assert_true(fired(f, "R2"));
	set(f, "d0", "2024-03-01");
	run(f);
	assert_false(fired(f, "R2"));
	done(f);
}

/* A false "within ... after" never computes the shifted date: with a
 * reference date in year 9999, + 6 months would leave the calendar. */
static void test_eval__within_no_needless_shift(void **state)
{
	fixture *f = compile(RULE("R1", "d0 within 6 months after d1 or a") RULE("R2", "d0 within 6 months before d1"));
	(void)state;
	set(f, "d1", "9999-11-28");
	set(f, "d0", "2020-02-11");
	set(f, "a", "true");
	assert_int_equal(run(f), LR_OK);
	assert_true(fired(f, "R1"));
	assert_false(fired(f, "R2"));
	assert_int_equal(f->res.nerrors, 0);
	/* Where the shift is needed, leaving the calendar is an error of that rule. */
	set(f, "d0", "9999-12-01");
	set(f, "a", "false");
	run(f);
	assert_false(fired(f, "R1"));
	assert_int_equal(f->res.nerrors, 1);
	assert_string_equal(f->res.errors[0].rule_id, "R1");
	done(f);
}

#define SCHED(bounds) \
	"schedule S \"s\" drug 120 mg subcutaneous " bounds " anchored at d0 last dose on d1 evaluated on today\n" \
	"rule R1 when a then dose per S \"d\" cite s at \"l\" quote \"q\"\n" RULE("R2", "S is overdue")

/* Anchor 2024-02-29: month 24 ends 2026-02-28.  A dose before it keeps
 * q4w (+28 days); a dose on it starts q12w (+84 days). */
static void test_eval__schedule_boundary(void **state)
{
	fixture *f = compile(SCHED("q4w for 24 months then q12w"));
	(void)state;
	set(f, "a", "true");
	set(f, "d0", "2024-02-29");
	set(f, "today", "2026-03-01");
	set(f, "d1", "2026-02-27");
	run(f);
	assert_int_equal(f->res.nactions, 1);
	assert_string_equal(f->res.actions[0].phase, "q4w");
	{
		lr_date want;
		lr_date_parse(&want, "2026-03-27", 10);
		assert_int_equal(f->res.actions[0].next_due, want);
	}
	assert_false(fired(f, "R2"));
	set(f, "d1", "2026-02-28");
	run(f);
	assert_string_equal(f->res.actions[0].phase, "q12w");
	{
		lr_date want;
		lr_date_parse(&want, "2026-05-23", 10);
		assert_int_equal(f->res.actions[0].next_due, want);
	}
	/* Overdue the day after the due date, not on it. */
	set(f, "today", "2026-05-23");
	run(f);
	assert_false(fired(f, "R2"));
	set(f, "today", "2026-05-24");
	run(f);
	assert_true(fired(f, "R2"));
	done(f);
}

/* A month interval from a month end: 2024-01-31 + 1 month = 2024-02-29. */
static void test_eval__schedule_month_interval(void **state)
{
	fixture *f = compile(SCHED("q1m"));
	(void)state;
	set(f, "a", "true");
	set(f, "d0", "2024-01-31");
	set(f, "d1", "2024-01-31");
	set(f, "today", "2024-02-01");
	run(f);
	{
		lr_date want;
		lr_date_parse(&want, "2024-02-29", 10);
		assert_int_equal(f->res.actions[0].next_due, want);
	}
	done(f);
}

/* Dose-count bounds: 4 weekly doses, then every 4 weeks; then complete. */
static void test_eval__schedule_doses(void **state)
{
	fixture *f = compile(
		"schedule S \"s\" drug 1 mg oral q1w for 4 doses then q4w for 2 doses anchored at d0 last dose on d1 "
		"evaluated on today counting n\n"
		"rule R1 when a then dose per S \"d\" cite s at \"l\" quote \"q\"\n");
	(void)state;
	set(f, "a", "true");
	set(f, "d0", "2024-01-01");
	set(f, "d1", "2024-01-22");
	set(f, "today", "2024-01-23");
	set(f, "n", "4");  /* dose 4 is the last weekly one: next in 7 days */
	run(f);
	assert_string_equal(f->res.actions[0].phase, "q1w");
	set(f, "n", "5");  /* dose 5 is in the q4w phase */
	run(f);
	assert_string_equal(f->res.actions[0].phase, "q4w");
	set(f, "n", "7");  /* beyond 6 doses: every phase completed */
	run(f);
	assert_int_equal(f->res.nactions, 1);
	assert_null(f->res.actions[0].phase);
	done(f);
}

/* A schedule without its last dose date: the rule does not fire, d1 is missing. */
static void test_eval__schedule_missing(void **state)
{
	fixture *f = compile(SCHED("q4w"));
	(void)state;
	set(f, "a", "true");
	set(f, "d0", "2024-01-01");
	set(f, "today", "2024-02-01");
	run(f);
	assert_int_equal(f->res.nactions, 0);
	assert_true(missing(f, "d1"));
	done(f);
}

/* Arithmetic overflow inside a rule is an error for that rule only. */
static void test_eval__overflow_is_reported(void **state)
{
	fixture *f = compile("let big in mg/dL = x * 1000000000\n" RULE("R1", "big > 1") RULE("R2", "a"));
	(void)state;
	set(f, "x", "100");
	set(f, "a", "true");
	assert_int_equal(run(f), LR_OK);
	assert_false(fired(f, "R1"));
	assert_true(fired(f, "R2"));
	assert_int_equal(f->res.nerrors, 1);
	assert_string_equal(f->res.errors[0].rule_id, "R1");
	assert_int_equal(f->res.errors[0].code, LR_EOVERFLOW);
	done(f);
}

/* A table built for another format is refused. */
static void test_eval__version_check(void **state)
{
	fixture *f = compile(RULE("R1", "a"));
	(void)state;
	f->lw.rs.format = LR_TABLE_FORMAT + 1;
	assert_int_equal(run(f), LR_EVERSION);
	f->lw.rs.format = LR_TABLE_FORMAT;
	f->lw.rs.magic = 0;
	assert_int_equal(lr_ruleset_check(&f->lw.rs), LR_EVERSION);
	f->lw.rs.magic = LR_TABLE_MAGIC;
	assert_int_equal(lr_eval(NULL, &f->lw.rs, &f->rec), LR_EINVAL);
	done(f);
}

/* Setters check types. */
static void test_eval__record_types(void **state)
{
	fixture *f = compile(RULE("R1", "a"));
	lr_dec d = {0};
	(void)state;
	assert_int_equal(lr_record_set_dec(&f->rec, in(f, "a"), d), LR_EINVAL);
	assert_int_equal(lr_record_set_bool(&f->rec, in(f, "x"), 1), LR_EINVAL);
	assert_int_equal(lr_record_set_text(&f->rec, in(f, "today"), "2025-02-30", 10), LR_EINVAL);
	assert_int_equal(lr_record_set_text(&f->rec, in(f, "a"), "yes", 3), LR_EINVAL);
	assert_int_equal(lr_record_set_bool(&f->rec, 9999, 1), LR_EINVAL);
	done(f);
}

/* Reentrancy: four threads evaluate the same table on the same records at
 * once and must get exactly what one thread got.  The runtime keeps all
 * scratch state on the caller's stack, so there is nothing to share. */
#define NREC 512
typedef struct {
	const lr_ruleset *rs;
	const lr_record *recs;
	const uint32_t *want;   /* actions per record, single-threaded */
	int bad;
} thread_job;

static void *eval_many(void *arg)
{
	thread_job *j = arg;
	int round, i;
	lr_result res;
	lr_action acts[64];
	lr_result_init(&res, acts, 64);
	for (round = 0; round < 20; round++)
		for (i = 0; i < NREC; i++) {
			lr_eval(&res, j->rs, &j->recs[i]);
			if (res.nactions != j->want[i])
				j->bad++;
		}
	return NULL;
}

static void test_eval__threads(void **state)
{
	static lr_record recs[NREC];
	static uint32_t want[NREC];
	fixture *f = compile(SCHED("q4w for 24 months then q12w") RULE("R3", "x between 10 and 60 and kind is one of p, q"));
	pthread_t th[4];
	thread_job jobs[4];
	int i, t;
	(void)state;
	for (i = 0; i < NREC; i++) {
		char buf[32];
		lr_record_init(&recs[i], &f->lw.rs);
		lr_record_init(&f->rec, &f->lw.rs);
		set(f, "a", i % 3 ? "true" : "false");
		snprintf(buf, sizeof buf, "%d", i % 100);
		set(f, "x", buf);
		set(f, "kind", i % 2 ? "p" : "r");
		set(f, "d0", "2024-02-29");
		snprintf(buf, sizeof buf, "2025-%02d-%02d", i % 12 + 1, i % 28 + 1);
		set(f, "d1", buf);
		set(f, "today", "2026-01-15");
		/* Not by assignment: a record points into itself (litrule.h). */
		assert_int_equal(lr_record_copy(&recs[i], &f->rec), LR_OK);
		assert_int_equal(lr_eval(&f->res, &f->lw.rs, &recs[i]), LR_OK);
		want[i] = f->res.nactions;
	}
	/* The records must exercise the rules: some fire one action, some two. */
	{
		uint32_t lo = 99, hi = 0;
		for (i = 0; i < NREC; i++) {
			lo = want[i] < lo ? want[i] : lo;
			hi = want[i] > hi ? want[i] : hi;
		}
		assert_true(lo < hi);
		assert_true(hi >= 2);
	}
	for (t = 0; t < 4; t++) {
		jobs[t].rs = &f->lw.rs;
		jobs[t].recs = recs;
		jobs[t].want = want;
		jobs[t].bad = 0;
		assert_int_equal(pthread_create(&th[t], NULL, eval_many, &jobs[t]), 0);
	}
	for (t = 0; t < 4; t++) {
		pthread_join(th[t], NULL);
		assert_int_equal(jobs[t].bad, 0);
	}
	done(f);
}

/* ---- missing sets, operator by operator -----------------------------------------
** Operands P, Q and R are "tp > 2 mg", "tq > 2 mg" and "tr > 2 mg", whose
** tables read x, y and n: a key of 70 gives 3 mg (P true), 40 gives 1 mg
** (false), an absent key makes P missing with the set {x}, and 20 hits a
** row that gives nothing (P not applicable, with no set).  Each row of a
** truth table gives the operand states and, worked out by hand from the
** rules in docs/runtime.md, the value of the expression E and its set:
** "T:", "F:", "M:x,y" (missing, x and y), "N:" (not applicable, none).
** E is checked three ways, each in a fresh evaluation: as a condition
** (a missing E reports its set, an unknown one nothing), as "E and b" and
** as "E or b" with b absent, which expose E's set even when E is not
** applicable or known (a known E must add nothing to b). */
#define OPERANDS                                                                                  \
	"table tp by x, hit unique\n  row below 30 gives nothing\n  row 30 to below 60 gives 1 mg\n"   \
	"  row at least 60 gives 3 mg\n  cite s at \"l\" quote \"q\"\n"                                 \
	"table tq by y, hit unique\n  row below 30 gives nothing\n  row 30 to below 60 gives 1 mg\n"   \
	"  row at least 60 gives 3 mg\n  cite s at \"l\" quote \"q\"\n"                                 \
	"table tr by n, hit unique\n  row below 30 gives nothing\n  row 30 to below 60 gives 1 mg\n"   \
	"  row at least 60 gives 3 mg\n  cite s at \"l\" quote \"q\"\n"

typedef struct {
	const char *states; /* P, Q, R: T, F, M or N each; "" or shorter when unused */
	const char *want;   /* E's value and set */
} tt_row;

/* Sets input name to the key that gives state st (T, F, M, N). */
static void set_state(fixture *f, const char *name, char st)
{
	if (st == 'T')
		set(f, name, "70");
	else if (st == 'F')
		set(f, name, "40");
	else if (st == 'N')
		set(f, name, "20");
}

/* The missing list as "b,x" in reported order. */
static const char *missing_list(const fixture *f, char *buf, size_t n)
{
	uint32_t k;
	size_t len = 0;
	buf[0] = '\0';
	for (k = 0; k < f->res.nmissing && len < n; k++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s", k ? "," : "", f->res.missing[k].name);
	return buf;
}

/* What wrapper w (0: E, 1: E and b, 2: E or b) must give for E = want:
 * whether the rule fires and the missing list. */
static void wrapper_expect(int w, const char *want, int *fires, char *miss, size_t n)
{
	char v = want[0];
	const char *set = want + 2;
	*fires = (w == 0 && v == 'T') || (w == 2 && v == 'T');
	if (w == 0)
		snprintf(miss, n, "%s", v == 'M' ? set : "");
	else if ((w == 1 && v == 'F') || (w == 2 && v == 'T'))
		snprintf(miss, n, "%s", ""); /* decided without b */
	else /* b (input 2) comes before x, y and n in the list */
		snprintf(miss, n, "b%s%s", *set ? "," : "", v == 'T' || v == 'F' ? "" : set);
}

static void truth_table(const char *lets, const char *e, const tt_row *rows, size_t nrows)
{
	static const char *const fmt[] = {"%s", "(%s) and b", "(%s) or b"};
	int w;
	for (w = 0; w < 3; w++) {
		char body[4096], cond[512], got[256], want[256];
		fixture *f;
		size_t i;
		snprintf(cond, sizeof cond, fmt[w], e);
		snprintf(body, sizeof body, "%s%srule R when %s then alert \"t\" cite s at \"l\" quote \"q\"\n", OPERANDS,
			 lets, cond);
		f = compile(body);
		for (i = 0; i < nrows; i++) {
			int fires;
			const char *st = rows[i].states;
			lr_record_init(&f->rec, &f->lw.rs);
			if (st[0])
				set_state(f, "x", st[0]);
			if (st[0] && st[1])
				set_state(f, "y", st[1]);
			if (st[0] && st[1] && st[2])
				set_state(f, "n", st[2]);
			assert_int_equal(run(f), LR_OK);
			wrapper_expect(w, rows[i].want, &fires, want, sizeof want);
			missing_list(f, got, sizeof got);
			if (fired(f, "R") != fires || strcmp(got, want) != 0)
				fail_msg("when %s, with P Q R = %s (E = %s): fired %d, missing [%s]; want fired %d, missing [%s]",
					 cond, st, rows[i].want, fired(f, "R"), got, fires, want);
		}
		done(f);
	}
}

/* and: known false if either side is; else the union of the unknown sides' sets. */
static void test_eval__missing_and(void **state)
{
	static const tt_row rows[] = {
		{"TT", "T:"}, {"TF", "F:"}, {"TM", "M:y"},   {"TN", "N:"},
		{"FT", "F:"}, {"FF", "F:"}, {"FM", "F:"},    {"FN", "F:"},
		{"MT", "M:x"}, {"MF", "F:"}, {"MM", "M:x,y"}, {"MN", "M:x"},
		{"NT", "N:"}, {"NF", "F:"}, {"NM", "M:y"},   {"NN", "N:"},
	};
	(void)state;
	truth_table("", "tp > 2 mg and tq > 2 mg", rows, sizeof rows / sizeof rows[0]);
}

/* or: known true if either side is; else the union of the unknown sides' sets. */
static void test_eval__missing_or(void **state)
{
	static const tt_row rows[] = {
		{"TT", "T:"}, {"TF", "T:"},  {"TM", "T:"},    {"TN", "T:"},
		{"FT", "T:"}, {"FF", "F:"},  {"FM", "M:y"},   {"FN", "N:"},
		{"MT", "T:"}, {"MF", "M:x"}, {"MM", "M:x,y"}, {"MN", "M:x"},
		{"NT", "T:"}, {"NF", "N:"},  {"NM", "M:y"},   {"NN", "N:"},
	};
	(void)state;
	truth_table("", "tp > 2 mg or tq > 2 mg", rows, sizeof rows / sizeof rows[0]);
}

/* not: the operand's value negated, the same set. */
static void test_eval__missing_not(void **state)
{
	static const tt_row rows[] = {{"T", "F:"}, {"F", "T:"}, {"M", "M:x"}, {"N", "N:"}};
	(void)state;
	truth_table("", "not (tp > 2 mg)", rows, sizeof rows / sizeof rows[0]);
}

/* otherwise: a known -> a; a unknown, b known -> b; neither -> missing if
 * either is missing, with the union.  A known side's absent inputs never
 * count (the reproduction of the issue: a given crcl_ml_min, an absent
 * age, and another unknown part of the condition). */
static void test_eval__missing_otherwise(void **state)
{
	static const tt_row rows[] = {
		{"TT", "T:"}, {"TF", "T:"},  {"TM", "T:"},    {"TN", "T:"},
		{"FT", "F:"}, {"FF", "F:"},  {"FM", "F:"},    {"FN", "F:"},
		{"MT", "T:"}, {"MF", "F:"},  {"MM", "M:x,y"}, {"MN", "M:x"},
		{"NT", "T:"}, {"NF", "F:"},  {"NM", "M:y"},   {"NN", "N:"},
	};
	(void)state;
	truth_table("", "(tp otherwise tq) > 2 mg", rows, sizeof rows / sizeof rows[0]);
	/* The same through a let, as in "let crcl = crcl_ml_min otherwise crcl_cg". */
	truth_table("let v in mg = tp otherwise tq\n", "v > 2 mg", rows, sizeof rows / sizeof rows[0]);
}

/* Comparison of arithmetic: the union of the unknown operands' sets. */
static void test_eval__missing_arithmetic(void **state)
{
	/* T is 3 mg, F 1 mg: 3 + 3 and 3 + 1 exceed 3 mg, 1 + 1 does not. */
	static const tt_row rows[] = {
		{"TT", "T:"}, {"TF", "T:"},  {"FF", "F:"},    {"TM", "M:y"}, {"MF", "M:x"},
		{"MM", "M:x,y"}, {"TN", "N:"}, {"NM", "M:y"}, {"MN", "M:x"}, {"NN", "N:"},
	};
	(void)state;
	truth_table("", "tp + tq > 3 mg", rows, sizeof rows / sizeof rows[0]);
}

/* if c then Q else R: c known -> the taken branch, with its set; c
 * unknown -> c, with c's set only (neither branch runs). */
static void test_eval__missing_if(void **state)
{
	static const tt_row rows[] = {
		{"TTM", "T:"},  {"TMT", "M:y"}, {"TMM", "M:y"}, {"TNM", "N:"},
		{"FMT", "T:"},  {"FTM", "M:n"}, {"FMM", "M:n"}, {"FMN", "N:"},
		{"MTT", "M:x"}, {"MMM", "M:x"}, {"NMM", "N:"},  {"NTT", "N:"},
	};
	(void)state;
	truth_table("", "(if tp > 2 mg then tq > 2 mg else tr > 2 mg)", rows, sizeof rows / sizeof rows[0]);
}

/* Tables: the key's set when the key is unknown; a row that gives nothing
 * is not applicable, with no set.  Key k = x otherwise y. */
static void test_eval__missing_table_key(void **state)
{
	static const tt_row rows[] = {
		{"TM", "T:"}, {"FM", "F:"}, {"NM", "N:"}, {"MT", "T:"}, {"MN", "N:"}, {"MM", "M:x,y"},
	};
	(void)state;
	/* T keys are 70 (3 mg), F 40 (1 mg), N 20 (gives nothing). */
	truth_table("let k in mg/dL = x otherwise y\n"
		    "table tk by k, hit unique\n  row below 30 gives nothing\n  row 30 to below 60 gives 1 mg\n"
		    "  row at least 60 gives 3 mg\n  cite s at \"l\" quote \"q\"\n",
		    "tk > 2 mg", rows, sizeof rows / sizeof rows[0]);
}

/* "is known" and "is missing" are always known: nothing, even of a let. */
static void test_eval__missing_probe_of_let(void **state)
{
	static const tt_row known[] = {{"TT", "T:"}, {"MT", "T:"}, {"MM", "F:"}, {"NN", "F:"}};
	(void)state;
	truth_table("let v in mg = tp otherwise tq\n", "v is known", known, sizeof known / sizeof known[0]);
}

/* The issue's reproduction, by name: crcl = crcl_ml_min otherwise
 * Cockcroft-Gault; the rule also needs b, which is absent. */
static void test_eval__missing_crcl_otherwise(void **state)
{
	char buf[256];
	fixture *f = compile("input crcl_ml_min: number in mL/min, from 0 to 300 \"measured\"\n"
			     "input age: number in years, from 18 to 120 \"age\"\n"
			     "input wt: number in kg, from 20 to 300 \"weight\"\n"
			     "input scr: number in mg/dL, from 0.1 to 20 \"scr\"\n"
			     "let crcl_cg in mL/min = ((140 - age) * wt / (72 * scr)) as mL/min\n"
			     "let crcl in mL/min = crcl_ml_min otherwise crcl_cg\n"
			     RULE("R1", "crcl < 30 mL/min and b"));
	(void)state;
	/* Measured clearance given: age, weight and creatinine do not matter. */
	set(f, "crcl_ml_min", "20");
	run(f);
	assert_string_equal(missing_list(f, buf, sizeof buf), "b");
	/* Estimated from age, weight and creatinine: the measurement does not matter. */
	lr_record_init(&f->rec, &f->lw.rs);
	set(f, "age", "80");
	set(f, "wt", "50");
	set(f, "scr", "3");
	run(f);
	assert_string_equal(missing_list(f, buf, sizeof buf), "b");
	/* Neither: everything that could resolve it, in input order. */
	lr_record_init(&f->rec, &f->lw.rs);
	set(f, "wt", "50");
	run(f);
	assert_string_equal(missing_list(f, buf, sizeof buf), "b,crcl_ml_min,age,scr");
	done(f);
}

/* ---- capacity: no decision silently cut -------------------------------------- */

/* n rules that all fire when x is absent (R001 ...), into buf. */
static const char *all_fire(char *buf, size_t size, int n)
{
	size_t len = 0;
	int i;
	buf[0] = '\0';
	for (i = 1; i <= n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len,
					"rule R%03d when x is missing then alert \"t\" cite s at \"l\" quote \"q\"\n", i);
	return buf;
}

/* 200 rules fire: all fit a buffer of lr_ruleset_max_actions; a buffer of
 * 64 gets the first 64, LR_EFULL, the count of the other 136 and an
 * error, and nothing is written outside it (guard entries on both sides,
 * and ASan in make check-sanitize). */
static void test_eval__full_buffer(void **state)
{
	static char body[32768];
	static lr_action buf[66];
	lr_action guard;
	lr_result res;
	fixture *f = compile(all_fire(body, sizeof body, 200));
	uint32_t k;
	(void)state;
	assert_int_equal(lr_ruleset_max_actions(&f->lw.rs), 200);
	assert_int_equal(run(f), LR_OK);
	assert_int_equal(f->res.nactions, 200);
	assert_int_equal(f->res.actions_dropped, 0);
	assert_int_equal(f->res.nerrors, 0);
	assert_string_equal(f->res.actions[199].rule_id, "R200");

	memset(buf, 0xA5, sizeof buf);
	memset(&guard, 0xA5, sizeof guard);
	assert_int_equal(lr_result_init(&res, buf + 1, 64), LR_OK);
	assert_int_equal(lr_eval(&res, &f->lw.rs, &f->rec), LR_EFULL);
	assert_int_equal(res.nactions, 64);
	assert_int_equal(res.actions_dropped, 136);
	for (k = 0; k < 64; k++) {
		char id[16];
		snprintf(id, sizeof id, "R%03u", (unsigned)k + 1);
		assert_string_equal(res.actions[k].rule_id, id);
	}
	assert_int_equal(memcmp(&buf[0], &guard, sizeof guard), 0);
	assert_int_equal(memcmp(&buf[65], &guard, sizeof guard), 0);
	assert_int_equal(res.nerrors, 1);
	assert_int_equal(res.errors[0].code, LR_EFULL);
	assert_string_equal(res.errors[0].rule_id, "R065"); /* the first that did not fit */

	/* No buffer at all: every action is counted. */
	assert_int_equal(lr_result_init(&res, NULL, 0), LR_OK);
	assert_int_equal(lr_eval(&res, &f->lw.rs, &f->rec), LR_EFULL);
	assert_int_equal(res.nactions, 0);
	assert_int_equal(res.actions_dropped, 200);
	assert_int_equal(lr_result_init(NULL, buf, 1), LR_EINVAL);
	assert_int_equal(lr_result_init(&res, NULL, 1), LR_EINVAL);
	done(f);
}

/* One rule with 70 actions (more than the old fixed 64 per rule). */
static void test_eval__rule_with_70_actions(void **state)
{
	static char body[16384];
	size_t len;
	int i;
	fixture *f;
	(void)state;
	len = (size_t)snprintf(body, sizeof body, "rule R when x is missing");
	for (i = 1; i <= 70; i++)
		len += (size_t)snprintf(body + len, sizeof body - len, " then alert \"a%d\"", i);
	snprintf(body + len, sizeof body - len, " cite s at \"l\" quote \"q\"\n");
	f = compile(body);
	assert_int_equal(lr_ruleset_max_actions(&f->lw.rs), 70);
	assert_int_equal(run(f), LR_OK);
	assert_int_equal(f->res.nactions, 70);
	assert_string_equal(f->res.actions[69].text, "a70");
	done(f);
}

/* A rule whose amount is missing takes back the actions it stored: with
 * a full buffer, the ones it counted as dropped too. */
static void test_eval__missing_amount_takes_back(void **state)
{
	lr_action buf[1];
	lr_result res;
	fixture *f = compile("rule R1 when a then alert \"first\" then dose (x) oral \"d\" cite s at \"l\" quote \"q\"\n"
			     "rule R2 when a then alert \"second\" cite s at \"l\" quote \"q\"\n");
	(void)state;
	set(f, "a", "true");
	assert_int_equal(run(f), LR_OK);
	assert_int_equal(f->res.nactions, 1);
	assert_string_equal(f->res.actions[0].rule_id, "R2");
	assert_true(missing(f, "x"));
	lr_result_init(&res, buf, 1);
	assert_int_equal(lr_eval(&res, &f->lw.rs, &f->rec), LR_OK);
	assert_int_equal(res.nactions, 1);
	assert_int_equal(res.actions_dropped, 0);
	done(f);
}

/* The bound uses guards: rules on one input with disjoint values cannot
 * fire together.  kind p: R1 (2 actions) + R4 (1); q: R2 (1) + R4 (1);
 * r: R3 (3): 3 at most.  a: R5 (1) or R6 (2): 2.  R7, unguarded: 1.
 * Total 3 + 2 + 1 = 6; and no patient gets more than that. */
static void test_eval__max_actions_guards(void **state)
{
	static const char *const kinds[] = {"p", "q", "r", NULL};
	static const char *const bools[] = {"true", "false", NULL};
	fixture *f = compile(
		"rule R1 when kind is p then alert \"1\" then alert \"2\" cite s at \"l\" quote \"q\"\n"
		"rule R2 when kind is q and x > 1 then alert \"1\" cite s at \"l\" quote \"q\"\n"
		"rule R3 when kind is r then alert \"1\" then alert \"2\" then alert \"3\" cite s at \"l\" quote \"q\"\n"
		"rule R4 when kind is one of p, q then alert \"1\" cite s at \"l\" quote \"q\"\n"
		"rule R5 when a then alert \"1\" cite s at \"l\" quote \"q\"\n"
		"rule R6 when not a then alert \"1\" then alert \"2\" cite s at \"l\" quote \"q\"\n"
		"rule R7 when x > 1 then alert \"1\" cite s at \"l\" quote \"q\"\n");
	int i, j;
	uint32_t most = 0;
	(void)state;
	assert_int_equal(lr_ruleset_max_actions(&f->lw.rs), 6);
	for (i = 0; kinds[i]; i++)
		for (j = 0; bools[j]; j++) {
			lr_record_init(&f->rec, &f->lw.rs);
			set(f, "kind", kinds[i]);
			set(f, "a", bools[j]);
			set(f, "x", "5");
			assert_int_equal(run(f), LR_OK);
			most = f->res.nactions > most ? f->res.nactions : most;
		}
	assert_int_equal(most, 6); /* kind r, a false: 3 + 2 + 1 */
	done(f);
}

/* 40 fields out of range: 16 listed, 24 counted. */
static void test_eval__errors_counted(void **state)
{
	static char body[8192];
	size_t len = 0;
	int i;
	fixture *f;
	(void)state;
	for (i = 1; i <= 40; i++)
		len += (size_t)snprintf(body + len, sizeof body - len, "input v%02d: number in mg, from 0 to 10 \"v\"\n", i);
	snprintf(body + len, sizeof body - len, "rule R when v01 > 1 mg and v40 > 1 mg then alert \"t\" cite s at \"l\" quote \"q\"\n");
	f = compile(body);
	for (i = 1; i <= 40; i++) {
		char name[16];
		snprintf(name, sizeof name, "v%02d", i);
		set(f, name, "11");
	}
	assert_int_equal(run(f), LR_ERANGE);
	assert_int_equal(f->res.nerrors, LR_MAX_ERRORS);
	assert_int_equal(f->res.errors_dropped, 40 - LR_MAX_ERRORS);
	assert_string_equal(f->res.errors[15].name, "v16");
	/* A valid record afterwards: the counts start again from zero. */
	lr_record_init(&f->rec, &f->lw.rs);
	assert_int_equal(run(f), LR_OK);
	assert_int_equal(f->res.nerrors, 0);
	assert_int_equal(f->res.errors_dropped, 0);
	done(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eval__kleene_and),
		cmocka_unit_test(test_eval__kleene_or),
		cmocka_unit_test(test_eval__is_missing_probe),
		cmocka_unit_test(test_eval__cockcroft_gault_exact_60),
		cmocka_unit_test(test_eval__table_edges),
		cmocka_unit_test(test_eval__table_gives_nothing),
		cmocka_unit_test(test_eval__range_rejected),
		cmocka_unit_test(test_eval__otherwise),
		cmocka_unit_test(test_eval__if_is_lazy),
		cmocka_unit_test(test_eval__enum_sets),
		cmocka_unit_test(test_eval__within_months),
		cmocka_unit_test(test_eval__within_no_needless_shift),
		cmocka_unit_test(test_eval__schedule_boundary),
		cmocka_unit_test(test_eval__schedule_month_interval),
		cmocka_unit_test(test_eval__schedule_doses),
		cmocka_unit_test(test_eval__schedule_missing),
		cmocka_unit_test(test_eval__overflow_is_reported),
		cmocka_unit_test(test_eval__version_check),
		cmocka_unit_test(test_eval__record_types),
		cmocka_unit_test(test_eval__threads),
		cmocka_unit_test(test_eval__missing_and),
		cmocka_unit_test(test_eval__missing_or),
		cmocka_unit_test(test_eval__missing_not),
		cmocka_unit_test(test_eval__missing_otherwise),
		cmocka_unit_test(test_eval__missing_arithmetic),
		cmocka_unit_test(test_eval__missing_if),
		cmocka_unit_test(test_eval__missing_table_key),
		cmocka_unit_test(test_eval__missing_probe_of_let),
		cmocka_unit_test(test_eval__missing_crcl_otherwise),
		cmocka_unit_test(test_eval__full_buffer),
		cmocka_unit_test(test_eval__rule_with_70_actions),
		cmocka_unit_test(test_eval__missing_amount_takes_back),
		cmocka_unit_test(test_eval__max_actions_guards),
		cmocka_unit_test(test_eval__errors_counted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
