/*
** test_sema.c: unit tests of the semantic checker (sema.c).
**
** Each test runs the whole front end over a small rule file held in a
** string and asserts on the types sema assigned or on the diagnostics it
** reported: id, position and the exact message an author reads.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "driver.h"

static frontend fe;

static int run(const char *text) { return fe_run_memory(&fe, "t.md", text, strlen(text)); }

static int teardown(void **state)
{
	(void)state;
	fe_free(&fe);
	return 0;
}

static const diag *find_diag(const char *id)
{
	size_t i;
	for (i = 0; i < fe.diag.items.len; i++) {
		const diag *g = fe.diag.items.items[i];
		if (strcmp(g->id, id) == 0)
			return g;
	}
	fail_msg("no diagnostic with id '%s' (%zu reported)", id, fe.diag.items.len);
	return NULL;
}

static decl *find_decl(const char *name)
{
	size_t i;
	for (i = 0; i < fe.rs.decls.len; i++) {
		decl *d = fe.rs.decls.items[i];
		if (d->id.name && strcmp(d->id.name, name) == 0)
			return d;
	}
	fail_msg("no declaration '%s'", name);
	return NULL;
}

#define SRC "source G \"Guideline\"\n"
#define CITE "  cite G at \"p1\" quote \"q\"\n"
#define RULE(cond) "rule R \"r\"\n  when " cond "\n  then alert \"a\"\n" CITE

static void test_sema__clean_file(void **state)
{
	(void)state;
	assert_int_equal(run("```rule\n" SRC "input x: number in mg/dL, from 0 to 20 \"x\"\n" RULE("x > 8.5") "```\n"), 0);
	assert_int_equal(fe.diag.items.len, 0);
}

static void test_sema__unknown_name_suggests(void **state)
{
	const diag *g;

	(void)state;
	assert_int_equal(run("```rule\n" SRC "input calcium: number in mg/dL, from 0 to 20 \"c\"\n"
			     "let x = calcium > 1 \"x\"\n" RULE("calcuim > 8.5") "```\n"),
			 1);
	g = find_diag("unknown-name");
	assert_string_equal(g->msg, "unknown name 'calcuim'; did you mean 'calcium'?");
	assert_int_equal(g->line, 6);
	assert_int_equal(g->col, 8);
	assert_int_equal(g->end_col, 15);
}

static void test_sema__unknown_name_no_far_suggestion(void **state)
{
	(void)state;
	run("```rule\n" SRC "input age: bool \"a\"\nlet y = age \"y\"\n" RULE("completely_different") "```\n");
	assert_string_equal(find_diag("unknown-name")->msg, "unknown name 'completely_different'");
}

static void test_sema__rule_is_not_a_value(void **state)
{
	(void)state;
	run("```rule\n" SRC "rule Other \"o\"\n  then alert \"a\"\n" CITE RULE("Other") "```\n");
	assert_string_equal(find_diag("unknown-name")->msg, "'Other' is a rule, not a value a condition can read");
}

static void test_sema__duplicate_name_has_note(void **state)
{
	const diag *g, *n;

	(void)state;
	run("```rule\ninput w: bool \"a\"\nlet w = true \"b\"\nlet z = w \"z\"\n```\n");
	g = find_diag("duplicate-name");
	assert_string_equal(g->msg, "'w' is already declared as an input");
	assert_int_equal(g->line, 3);
	assert_int_equal(g->notes.len, 1);
	n = g->notes.items[0];
	assert_int_equal(n->sev, DIAG_NOTE);
	assert_int_equal(n->line, 2);
	assert_int_equal(n->col, 7);
	assert_string_equal(n->msg, "first declared here");
}

static void test_sema__namespaces_are_separate(void **state)
{
	(void)state;
	/* A rule and an example may share a name with a value. */
	assert_int_equal(run("```rule\n" SRC "input R: bool \"r\"\n" RULE("R")
			     "example R \"e\"\n  given R = true\n  expect R\n```\n"),
			 0);
}

static void test_sema__unit_mismatch(void **state)
{
	(void)state;
	run("```rule\n" SRC "input a: number in mg/dL, from 0 to 20 \"a\"\n"
	    "input b: number in mL/min, from 0 to 200 \"b\"\n" RULE("a < b") "```\n");
	assert_string_equal(find_diag("unit-mismatch")->msg, "cannot compare mg/dL with mL/min");
}

static void test_sema__bare_number_adopts_unit(void **state)
{
	(void)state;
	assert_int_equal(run("```rule\n" SRC "input a: number in mL/min, from 0 to 200 \"a\"\n" RULE("a < 30 and 30 > a")
			     "```\n"),
			 0);
}

static void test_sema__let_units(void **state)
{
	decl *d;

	(void)state;
	assert_int_equal(run("```rule\ninput age: number in years, from 0 to 130 \"a\"\n"
			     "input wt: number in kg, from 0 to 300 \"w\"\n"
			     "input scr: number in mg/dL, from 0 to 20 \"s\"\n"
			     "let cg in mL/min = ((140 - age) * wt / (72 * scr)) as mL/min \"CG\"\n"
			     "let prod in kg\xC2\xB7years = wt * age \"p\"\n"
			     "```\n"),
			 0);
	d = find_decl("cg");
	assert_int_equal(d->type.kind, TY_NUM);
	assert_string_equal(d->type.unit, "mL/min");
	d = find_decl("prod");
	assert_string_equal(d->type.unit, "kg\xC2\xB7years");
}

static void test_sema__formula_needs_as(void **state)
{
	(void)state;
	run("```rule\ninput wt: number in kg, from 0 to 300 \"w\"\nlet x in mL/min = wt * 2 \"x\"\n```\n");
	assert_string_equal(find_diag("unit-mismatch")->msg,
			    "this formula gives kg, not mL/min; if the formula is empirical, write (formula) as mL/min");
}

static void test_sema__let_without_unit(void **state)
{
	(void)state;
	run("```rule\ninput wt: number in kg, from 0 to 300 \"w\"\nlet x = wt * 2 \"x\"\n```\n");
	assert_string_equal(find_diag("missing-unit")->msg, "say the unit of 'x': let x in kg = ...");
}

static void test_sema__let_cycle(void **state)
{
	(void)state;
	run("```rule\nlet a = b \"a\"\nlet b = a \"b\"\n```\n");
	assert_string_equal(find_diag("cycle")->msg, "'a' is defined in terms of itself");
}

static void test_sema__date_vs_number(void **state)
{
	(void)state;
	run("```rule\n" SRC "input d: date \"d\"\n" RULE("d < 30") "```\n");
	assert_string_equal(find_diag("type-mismatch")->msg, "cannot compare a date with a number");
}

static void test_sema__date_arithmetic(void **state)
{
	decl *d;

	(void)state;
	assert_int_equal(run("```rule\ninput d: date \"d\"\nlet e = d + 24 months - 3 days \"e\"\n```\n"), 0);
	d = find_decl("e");
	assert_int_equal(d->type.kind, TY_DATE);
	fe_free(&fe);
	run("```rule\ninput d: date \"d\"\nlet e = d + 2 doses \"e\"\n```\n");
	assert_string_equal(find_diag("type-mismatch")->msg,
			    "a date moves by days, weeks, months or years, not by a number in doses");
}

static void test_sema__impossible_dates(void **state)
{
	const diag *g;

	(void)state;
	run("```rule\nlet a = 2025-02-30 \"a\"\n```\n");
	g = find_diag("impossible-date");
	assert_string_equal(g->msg, "2025-02-30 is not a date: February 2025 has 28 days");
	assert_int_equal(g->col, 9);
	fe_free(&fe);
	run("```rule\nlet a = 2024-02-30 \"a\"\n```\n");
	assert_string_equal(find_diag("impossible-date")->msg, "2024-02-30 is not a date: February 2024 has 29 days");
	fe_free(&fe);
	run("```rule\nlet a = 2025-00-10 \"a\"\n```\n");
	assert_string_equal(find_diag("impossible-date")->msg, "2025-00-10 is not a date: there is no month 0");
	fe_free(&fe);
	assert_int_equal(run("```rule\nlet a = 2024-02-29 \"a\"\n```\n"), 0);
}

static void test_sema__inverted_ranges(void **state)
{
	const diag *g;

	(void)state;
	run("```rule\ninput x: number in kg, from 10 to 5 \"x\"\nlet y = x > 1 \"y\"\n```\n");
	g = find_diag("inverted-range");
	assert_string_equal(g->msg, "this range is empty: 10 is greater than 5 (write the smaller bound first)");
	fe_free(&fe);
	run("```rule\n" SRC "input x: number in kg, from 0 to 50 \"x\"\n" RULE("x between 9 and 2.5") "```\n");
	assert_string_equal(find_diag("inverted-range")->msg,
			    "this range is empty: 9 is greater than 2.5 (write the smaller bound first)");
	fe_free(&fe);
	run("```rule\n" SRC "input d: date \"d\"\n" RULE("d between 2025-02-01 and 2025-01-01") "```\n");
	assert_string_equal(find_diag("inverted-range")->msg, "this range is empty: 2025-02-01 is after 2025-01-01");
}

static void test_sema__enum_values(void **state)
{
	const diag *g;

	(void)state;
	run("```rule\n" SRC "input s: one of low, high \"s\"\n" RULE("s is hgih or s is one of low, mid") "```\n");
	g = find_diag("unknown-value");
	/* hgih -> high is two edits, within the limit for a 4-letter word. */
	assert_string_equal(g->msg, "'hgih' is not a value of 's'; did you mean 'high'?");
	assert_int_equal(fe.diag.nerrors, 2);
	/* mid is three edits from both values: no guess, the list instead. */
	g = fe.diag.items.items[1];
	assert_string_equal(g->msg, "'mid' is not a value of 's' (its values are: low, high)");
}

static void test_sema__ruleset_declaration(void **state)
{
	(void)state;
	run("```rule\nruleset rs \"Rule set\" version \"1.2\"\nruleset rs2 \"again\" color \"red\"\n```\n");
	assert_string_equal(fe.rs.ruleset->id.name, "rs");
	assert_string_equal(find_diag("duplicate-name")->msg, "a rule set has one 'ruleset' declaration; this is a second");
	assert_string_equal(find_diag("source-field")->msg, "unknown ruleset field 'color' (known: version, note)");
}

static void test_sema__enum_compare_with_equals(void **state)
{
	(void)state;
	run("```rule\n" SRC "input s: one of low, high \"s\"\ninput t: one of low, high \"t\"\n" RULE("s = t") "```\n");
	assert_string_equal(find_diag("type-mismatch")->msg, "test a choice with 'is': NAME is VALUE");
}

static void test_sema__citations_required(void **state)
{
	(void)state;
	run("```rule\nrule R \"r\"\n  then alert \"a\"\n```\n");
	assert_string_equal(find_diag("no-citation")->msg,
			    "rule 'R' cites no source; add: cite SOURCE at \"where\" quote \"the passage\"");
	fe_free(&fe);
	run("```rule\nparam p = 3 mg \"p\"\nlet q = p > 1 mg \"q\"\n```\n");
	assert_string_equal(find_diag("no-citation")->msg,
			    "param 'p' needs a citation, or a note saying no source gives it: committee \"why\"");
}

static void test_sema__unknown_source(void **state)
{
	const diag *g;

	(void)state;
	run("```rule\nsource Label2024 \"L\"\nrule R \"r\"\n  then alert \"a\"\n  cite Lable2024 at \"1\" quote \"q\"\n```\n");
	g = find_diag("unknown-source");
	assert_string_equal(g->msg, "no source named 'Lable2024' is declared; did you mean 'Label2024'?");
	assert_int_equal(g->line, 5);
	assert_int_equal(g->col, 8);
}

static void test_sema__source_fields(void **state)
{
	(void)state;
	run("```rule\nsource S \"T\" colour \"red\"\n```\n");
	assert_non_null(find_diag("source-field"));
	fe_free(&fe);
	run("```rule\nsource S \"T\" year \"2024\"\n```\n");
	assert_string_equal(find_diag("source-field")->msg, "a year is written as a number, such as 2024");
	fe_free(&fe);
	run("```rule\nsource S\n```\n");
	assert_non_null(find_diag("source-title"));
}

/* Regression: "text" naming a device made check read /dev/zero forever. */
static void test_sema__source_text_not_regular(void **state)
{
	(void)state;
	run("```rule\nsource S \"T\" text \"/dev/null\"\n```\n");
	assert_string_equal(find_diag("source-text")->msg, "the source text '/dev/null' is not a regular file");
}

static void test_sema__source_text_missing(void **state)
{
	(void)state;
	run("```rule\nsource S \"T\" text \"no/such/file.txt\"\n```\n");
	assert_string_equal(find_diag("source-text")->msg,
			    "cannot read the source text 'no/such/file.txt': No such file or directory");
}

static void test_sema__table_gap(void **state)
{
	const diag *g;

	(void)state;
	run("```rule\n" SRC "input k: number in mL/min, from 0 to 100 \"k\"\n"
	    "table T \"t\"\n  by k, hit unique\n  row 50 to 100 gives 2 mg\n  row 0 to 49 gives 1 mg\n" CITE "```\n");
	g = find_diag("table-gap");
	assert_string_equal(g->msg, "no row of table 'T' covers 49.5 mL/min (below this row)");
	assert_int_equal(g->line, 6);
	assert_int_equal(g->notes.len, 1);
	assert_int_equal(((const diag *)g->notes.items[0])->line, 7);
}

static void test_sema__table_gap_at_top(void **state)
{
	(void)state;
	run("```rule\n" SRC "input k: number in mL/min, from 0 to 100 \"k\"\n"
	    "table T \"t\"\n  by k, hit unique\n  row below 60 gives 1 mg\n" CITE "```\n");
	assert_string_equal(find_diag("table-gap")->msg, "no row of table 'T' covers 80 mL/min");
}

static void test_sema__table_overlap(void **state)
{
	(void)state;
	run("```rule\n" SRC "input k: number in mL/min, from 0 to 100 \"k\"\n"
	    "table T \"t\"\n  by k, hit unique\n  row at least 50 gives 2 mg\n  row at most 50 gives 1 mg\n" CITE "```\n");
	assert_string_equal(find_diag("table-overlap")->msg,
			    "rows of table 'T' overlap: 50 mL/min is covered twice, but its hit policy is unique");
}

static void test_sema__table_first_masks(void **state)
{
	(void)state;
	/* Under hit first an overlap is allowed; a row that can never win warns. */
	assert_int_equal(run("```rule\n" SRC "input k: number in mL/min, from 0 to 100 \"k\"\n"
			     "table T \"t\"\n  by k, hit first\n  row at least 0 gives 2 mg\n  row 10 to 20 gives 1 mg\n" CITE
			     "let x in mg = T \"x\"\n```\n"),
			 0);
	assert_non_null(find_diag("table-masked"));
}

static void test_sema__table_row_unit(void **state)
{
	(void)state;
	run("```rule\n" SRC "input k: number in mL/min, from 0 to 100 \"k\"\n"
	    "table T \"t\"\n  by k, hit unique\n  row at least 0 mg gives 2 mg\n" CITE "```\n");
	assert_string_equal(find_diag("unit-mismatch")->msg, "a row bound is in mg, but it should be in mL/min");
}

static void test_sema__schedule_needs_dates(void **state)
{
	(void)state;
	run("```rule\nschedule S \"s\"\n  drug 1 mg oral q4w\n```\n");
	assert_string_equal(find_diag("schedule-clause")->msg, "schedule 'S' needs an anchor date: anchored at NAME");
	assert_int_equal(fe.diag.nerrors, 3);
}

static void test_sema__schedule_open_phase_last(void **state)
{
	(void)state;
	run("```rule\ninput a: date \"a\"\ninput b: date \"b\"\ninput c: date \"c\"\n"
	    "schedule S \"s\"\n  drug 1 mg oral q4w then q12w for 6 months\n"
	    "  anchored at a\n  last dose on b\n  evaluated on c\n```\n");
	assert_string_equal(find_diag("schedule-bound")->msg,
			    "only the last phase can run on without end; say how long this one lasts: for 24 months");
}

static void test_sema__schedule_doses_need_counting(void **state)
{
	(void)state;
	run("```rule\ninput a: date \"a\"\ninput b: date \"b\"\ninput c: date \"c\"\n"
	    "schedule S \"s\"\n  drug 1 mg oral q4w for 6 doses then q12w\n"
	    "  anchored at a\n  last dose on b\n  evaluated on c\n```\n");
	assert_string_equal(find_diag("schedule-clause")->msg,
			    "a phase counted in doses needs the number of doses given so far: counting NAME");
}

static void test_sema__overdue_only_on_schedules(void **state)
{
	(void)state;
	run("```rule\n" SRC "input a: date \"a\"\ninput b: date \"b\"\ninput c: date \"c\"\n"
	    "schedule S \"s\"\n  drug 1 mg oral q4w\n  anchored at a\n  last dose on b\n  evaluated on c\n"
	    RULE("S is late") "```\n");
	assert_string_equal(find_diag("unknown-value")->msg, "a schedule can be tested with 'is overdue', not 'is late'");
}

static void test_sema__dose_needs_unit(void **state)
{
	(void)state;
	run("```rule\n" SRC "rule R \"r\"\n  then dose 4 oral \"x\"\n" CITE "```\n");
	/* "4 oral": oral is read as the unit of 4, so the route is missing. */
	assert_true(fe.diag.nerrors > 0);
	fe_free(&fe);
	run("```rule\n" SRC "rule R \"r\"\n  then recommend per S \"x\"\n" CITE "```\n");
	assert_non_null(find_diag("unknown-name"));
}

static void test_sema__example_checks(void **state)
{
	(void)state;
	run("```rule\n" SRC "input x: number in kg, from 0 to 100 \"x\"\n" RULE("x > 3")
	    "example E \"e\"\n  given x = 3 mg\n  expect Q\n```\n");
	assert_string_equal(find_diag("unit-mismatch")->msg, "'x' is in kg, but this is in mg");
	assert_string_equal(find_diag("unknown-rule")->msg, "no rule named 'Q'; did you mean 'R'?");
	fe_free(&fe);
	run("```rule\nexample E \"e\"\n```\n");
	assert_string_equal(find_diag("example-expect")->msg, "example 'E' expects nothing; add: expect RULE");
}

static void test_sema__unused_warnings(void **state)
{
	const diag *g;

	(void)state;
	assert_int_equal(run("```rule\ninput a: bool \"a\"\nparam p = 3 mg \"p\"\n  committee \"c\"\n```\n"), 0);
	assert_int_equal(fe.diag.nwarnings, 2);
	g = find_diag("unused");
	assert_int_equal(g->sev, DIAG_WARNING);
	assert_string_equal(g->msg, "input 'a' is declared but no rule, let or table reads it");
}

/* After a syntax error, dropped declarations may have been the readers. */
static void test_sema__no_unused_after_syntax_error(void **state)
{
	size_t i;

	(void)state;
	run("```rule\ninput a: bool \"a\"\nlet b = a and and \"b\"\n```\n");
	assert_int_equal(fe.diag.nwarnings, 0);
	for (i = 0; i < fe.diag.items.len; i++)
		assert_string_not_equal(((const diag *)fe.diag.items.items[i])->id, "unused");
}

static void test_sema__missing_description_warns(void **state)
{
	(void)state;
	run("```rule\ninput a: bool\nlet b = a \"b\"\n```\n");
	assert_non_null(find_diag("no-description"));
	assert_int_equal(fe.diag.nerrors, 0);
}

static void test_sema__number_limits(void **state)
{
	(void)state;
	run("```rule\nlet a = 99999999999 > 1 \"a\"\n```\n");
	assert_non_null(find_diag("number-range"));
	fe_free(&fe);
	run("```rule\nlet a = 1.0000000001 > 1 \"a\"\n```\n");
	assert_non_null(find_diag("number-precision"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_sema__clean_file, teardown),
		cmocka_unit_test_teardown(test_sema__unknown_name_suggests, teardown),
		cmocka_unit_test_teardown(test_sema__unknown_name_no_far_suggestion, teardown),
		cmocka_unit_test_teardown(test_sema__rule_is_not_a_value, teardown),
		cmocka_unit_test_teardown(test_sema__duplicate_name_has_note, teardown),
		cmocka_unit_test_teardown(test_sema__namespaces_are_separate, teardown),
		cmocka_unit_test_teardown(test_sema__unit_mismatch, teardown),
		cmocka_unit_test_teardown(test_sema__bare_number_adopts_unit, teardown),
		cmocka_unit_test_teardown(test_sema__let_units, teardown),
		cmocka_unit_test_teardown(test_sema__formula_needs_as, teardown),
		cmocka_unit_test_teardown(test_sema__let_without_unit, teardown),
		cmocka_unit_test_teardown(test_sema__let_cycle, teardown),
		cmocka_unit_test_teardown(test_sema__date_vs_number, teardown),
		cmocka_unit_test_teardown(test_sema__date_arithmetic, teardown),
		cmocka_unit_test_teardown(test_sema__impossible_dates, teardown),
		cmocka_unit_test_teardown(test_sema__inverted_ranges, teardown),
		cmocka_unit_test_teardown(test_sema__enum_values, teardown),
		cmocka_unit_test_teardown(test_sema__ruleset_declaration, teardown),
		cmocka_unit_test_teardown(test_sema__enum_compare_with_equals, teardown),
		cmocka_unit_test_teardown(test_sema__citations_required, teardown),
		cmocka_unit_test_teardown(test_sema__unknown_source, teardown),
		cmocka_unit_test_teardown(test_sema__source_fields, teardown),
		cmocka_unit_test_teardown(test_sema__source_text_not_regular, teardown),
		cmocka_unit_test_teardown(test_sema__source_text_missing, teardown),
		cmocka_unit_test_teardown(test_sema__table_gap, teardown),
		cmocka_unit_test_teardown(test_sema__table_gap_at_top, teardown),
		cmocka_unit_test_teardown(test_sema__table_overlap, teardown),
		cmocka_unit_test_teardown(test_sema__table_first_masks, teardown),
		cmocka_unit_test_teardown(test_sema__table_row_unit, teardown),
		cmocka_unit_test_teardown(test_sema__schedule_needs_dates, teardown),
		cmocka_unit_test_teardown(test_sema__schedule_open_phase_last, teardown),
		cmocka_unit_test_teardown(test_sema__schedule_doses_need_counting, teardown),
		cmocka_unit_test_teardown(test_sema__overdue_only_on_schedules, teardown),
		cmocka_unit_test_teardown(test_sema__dose_needs_unit, teardown),
		cmocka_unit_test_teardown(test_sema__example_checks, teardown),
		cmocka_unit_test_teardown(test_sema__unused_warnings, teardown),
		cmocka_unit_test_teardown(test_sema__no_unused_after_syntax_error, teardown),
		cmocka_unit_test_teardown(test_sema__missing_description_warns, teardown),
		cmocka_unit_test_teardown(test_sema__number_limits, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
