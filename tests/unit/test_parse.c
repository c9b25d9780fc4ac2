/*
** test_parse.c: unit tests of the scanner, the grammar and parse.c.
**
** Each test parses a small rule file from a string with fe_run_memory
** and asserts on the declarations built (kinds, names, fields) or on the
** diagnostics (ids, positions, messages).  The full semantic checker runs
** too, so the inputs are kept valid wherever the test is about parsing.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "driver.h"

int lrc_is_keyword(const char *s);

static frontend fe;

static int run(const char *text) { return fe_run_memory(&fe, "t.md", text, strlen(text)); }

static int teardown(void **state)
{
	(void)state;
	fe_free(&fe);
	return 0;
}

static decl *decl_at(size_t i)
{
	assert_true(i < fe.rs.decls.len);
	return fe.rs.decls.items[i];
}

static const diag *find_diag(const char *id)
{
	size_t i;
	for (i = 0; i < fe.diag.items.len; i++) {
		const diag *g = fe.diag.items.items[i];
		if (strcmp(g->id, id) == 0)
			return g;
	}
	return NULL;
}

/* The n-th (from 0) diagnostic with this id, in sorted order. */
static const diag *nth_diag(const char *id, size_t n)
{
	size_t i;
	for (i = 0; i < fe.diag.items.len; i++) {
		const diag *g = fe.diag.items.items[i];
		if (strcmp(g->id, id) == 0 && n-- == 0)
			return g;
	}
	fail_msg("no diagnostic '%s' number %zu", id, n);
	return NULL;
}

static size_t count_diag(const char *id)
{
	size_t i, n = 0;
	for (i = 0; i < fe.diag.items.len; i++)
		if (strcmp(((const diag *)fe.diag.items.items[i])->id, id) == 0)
			n++;
	return n;
}

/* A source every rule below can cite. */
#define SRC "source G \"Guideline\"\n"
#define CITE "  cite G at \"p1\" quote \"q\"\n"

/* The binary search in the lexer finds every keyword only if the table is
 * sorted, so looking each one up tests the ORDER comment's promise. */
static void test_parse__keyword_table_sorted(void **state)
{
	static const char *const kw[] = {
		"above", "after", "alert", "anchored", "and", "as", "at", "before", "below", "between",
		"bool", "by", "cite", "committee", "counting", "date", "defer", "dose", "due", "else",
		"error", "evaluated", "every", "example", "expect", "false", "for", "from", "given",
		"gives", "hit", "hold", "if", "in", "input", "is", "known", "last", "least", "let",
		"missing", "monitor", "most", "not", "nothing", "number", "of", "on", "one", "or",
		"order", "otherwise", "overdue", "param", "per", "phase", "quote", "recommend", "refer",
		"row", "rule", "schedule", "source", "table", "then", "to", "true", "when", "within",
	};
	static const char *const not_kw[] = {"", "a", "abov", "aboveX", "zzz", "Rule", "unique",
					     "first", "mg", "withinx", "wh"};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof kw / sizeof kw[0]; i++) {
		if (!lrc_is_keyword(kw[i]))
			fail_msg("'%s' is a keyword but the lexer's search misses it", kw[i]);
		if (i > 0)
			assert_true(strcmp(kw[i - 1], kw[i]) < 0);
	}
	for (i = 0; i < sizeof not_kw / sizeof not_kw[0]; i++)
		if (lrc_is_keyword(not_kw[i]))
			fail_msg("'%s' is not a keyword", not_kw[i]);
}

static void test_parse__prose_only(void **state)
{
	(void)state;
	assert_int_equal(run("# Title\n\nSome prose with `rule` and input x: bool.\n"), 0);
	assert_int_equal(fe.rs.decls.len, 0);
	assert_int_equal(fe.diag.items.len, 0);
}

static void test_parse__empty_file(void **state)
{
	(void)state;
	assert_int_equal(fe_run_memory(&fe, "t.md", "", 0), 0);
	assert_int_equal(fe.rs.decls.len, 0);
	assert_int_equal(fe.diag.items.len, 0);
}

/* A rule block shown inside a longer fence (documentation) is not read. */
static void test_parse__fence_in_fence_skipped(void **state)
{
	(void)state;
	assert_int_equal(run("````markdown\n```rule\nthis is not parsed\n```\n````\n"), 0);
	assert_int_equal(fe.rs.decls.len, 0);
}

static void test_parse__input_kinds(void **state)
{
	decl *d;
	ident *v;

	(void)state;
	run("```rule\n"
	    "input a: bool \"flag\"\n"
	    "input b: date \"day\"\n"
	    "input c: one of x, y, z \"choice\"\n"
	    "input n: number in mg/dL, from 0 to 20.5 \"level\"\n"
	    "input m: number in kg \"mass\"\n"
	    "```\n");
	assert_int_equal(fe.rs.decls.len, 5);
	d = decl_at(0);
	assert_int_equal(d->kind, D_INPUT);
	assert_int_equal(d->itype, IT_BOOL);
	assert_string_equal(d->id.name, "a");
	assert_string_equal(d->title, "flag");
	assert_int_equal(decl_at(1)->itype, IT_DATE);
	d = decl_at(2);
	assert_int_equal(d->itype, IT_ENUM);
	assert_int_equal(d->values.len, 3);
	v = d->values.items[2];
	assert_string_equal(v->name, "z");
	d = decl_at(3);
	assert_int_equal(d->itype, IT_NUM);
	assert_string_equal(d->unit, "mg/dL");
	assert_non_null(d->range_lo);
	assert_string_equal(d->range_lo->text, "0");
	assert_string_equal(d->range_hi->text, "20.5");
	d = decl_at(4);
	assert_null(d->range_lo);
	assert_string_equal(d->unit, "kg");
}

static void test_parse__string_concatenation_and_comments(void **state)
{
	decl *d;

	(void)state;
	run("```rule\n"
	    "# a comment line\n"
	    "input a: bool \"one \" \"two\"  # trailing comment\n"
	    "  \"three\"\n"
	    "```\n");
	assert_int_equal(fe.rs.decls.len, 1);
	d = decl_at(0);
	assert_string_equal(d->title, "one twothree");
}

static void test_parse__string_escapes(void **state)
{
	(void)state;
	run("```rule\ninput a: bool \"say \\\"hi\\\" \\\\ ok\"\n```\n");
	assert_int_equal(fe.rs.decls.len, 1);
	assert_string_equal(decl_at(0)->title, "say \"hi\" \\ ok");
}

static void test_parse__rule_fields(void **state)
{
	decl *d;
	action *a;
	citation *c;

	(void)state;
	assert_int_equal(run("```rule\n" SRC
			     "input crcl: number in mL/min, from 0 to 200 \"c\"\n"
			     "rule R \"title\"\n"
			     "  when crcl < 30\n"
			     "  then hold \"stop\"\n"
			     "  then dose 4 mg intravenous \"give\"\n"
			     "  cite G at \"Table 1\" quote \"a \" \"b\"\n"
			     "```\n"),
			 0);
	d = decl_at(2);
	assert_int_equal(d->kind, D_RULE);
	assert_string_equal(d->title, "title");
	assert_non_null(d->when);
	assert_int_equal(d->when->kind, EX_LT);
	assert_int_equal(d->actions.len, 2);
	a = d->actions.items[0];
	assert_int_equal(a->verb, ACT_HOLD);
	assert_string_equal(a->text, "stop");
	a = d->actions.items[1];
	assert_int_equal(a->verb, ACT_DOSE);
	assert_non_null(a->amount);
	assert_string_equal(a->amount->text, "4");
	assert_string_equal(a->amount->unit, "mg");
	assert_string_equal(a->route.name, "intravenous");
	assert_int_equal(d->cites.len, 1);
	c = d->cites.items[0];
	assert_string_equal(c->source.name, "G");
	assert_string_equal(c->locator, "Table 1");
	assert_string_equal(c->quote, "a b");
}

static void test_parse__every_verb(void **state)
{
	static const char *const verbs[] = {"recommend", "dose", "hold", "defer", "order", "monitor", "refer",
					    "alert"};
	char buf[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
		action *a;
		snprintf(buf, sizeof buf, "```rule\n" SRC "rule R \"r\"\n  then %s \"x\"\n" CITE "```\n", verbs[i]);
		assert_int_equal(run(buf), 0);
		a = decl_at(1)->actions.items[0];
		assert_int_equal(a->verb, (int)i);
		fe_free(&fe);
	}
}

static void test_parse__expression_precedence(void **state)
{
	expr *e;

	(void)state;
	/* not binds tighter than and, and tighter than or; * tighter than +. */
	run("```rule\n" SRC
	    "input a: bool \"a\"\ninput b: bool \"b\"\ninput x: number in kg \"x\"\n"
	    "rule R \"r\"\n  when a or not b and x + 2 * 3 > 1\n  then alert \"x\"\n" CITE "```\n");
	e = decl_at(4)->when;
	assert_int_equal(e->kind, EX_OR);
	assert_int_equal(e->a->kind, EX_NAME);
	assert_int_equal(e->b->kind, EX_AND);
	assert_int_equal(e->b->a->kind, EX_NOT);
	assert_int_equal(e->b->b->kind, EX_GT);
	assert_int_equal(e->b->b->a->kind, EX_ADD);
	assert_int_equal(e->b->b->a->b->kind, EX_MUL);
}

static void test_parse__table_rows(void **state)
{
	decl *d;
	table_row *r;

	(void)state;
	assert_int_equal(run("```rule\n" SRC
			     "input k: number in mL/min, from 0 to 100 \"k\"\n"
			     "table T \"t\"\n"
			     "  by k, hit first\n"
			     "  row above 60 gives 4.0 mg\n"
			     "  row 50 to 60 gives 3.5 mg\n"
			     "  row 40 to below 50 gives 3.3 mg\n"
			     "  row above 30 to below 40 gives 3 mg\n"
			     "  row at most 30 gives nothing\n" CITE "```\n"),
			 0);
	d = decl_at(2);
	assert_int_equal(d->kind, D_TABLE);
	assert_string_equal(d->hit.name, "first");
	assert_int_equal(d->key->kind, EX_NAME);
	assert_int_equal(d->rows.len, 5);
	r = d->rows.items[0];
	assert_non_null(r->lo);
	assert_int_equal(r->lo_open, 1);
	assert_null(r->hi);
	r = d->rows.items[1];
	assert_int_equal(r->lo_open, 0);
	assert_int_equal(r->hi_open, 0);
	r = d->rows.items[2];
	assert_int_equal(r->lo_open, 0);
	assert_int_equal(r->hi_open, 1);
	r = d->rows.items[3];
	assert_int_equal(r->lo_open, 1);
	assert_int_equal(r->hi_open, 1);
	r = d->rows.items[4];
	assert_null(r->lo);
	assert_int_equal(r->hi_open, 0);
	assert_null(r->value);
}

static void test_parse__schedule(void **state)
{
	decl *d;
	phase *ph;

	(void)state;
	assert_int_equal(run("```rule\n"
			     "input start: date \"s\"\ninput prev: date \"l\"\ninput today: date \"t\"\n"
			     "input n: number in doses, from 0 to 99 \"n\"\n"
			     "schedule S \"s\"\n"
			     "  zoledronic acid 4 mg intravenous every 4 weeks for 6 doses then q12w\n"
			     "  anchored at start\n  last dose on prev\n  evaluated on today\n"
			     "  counting n\n  overdue after 7 days\n"
			     "```\n"),
			 0);
	d = decl_at(4);
	assert_int_equal(d->kind, D_SCHEDULE);
	assert_int_equal(d->drug.len, 2);
	assert_string_equal(((ident *)d->drug.items[1])->name, "acid");
	assert_string_equal(d->route.name, "intravenous");
	assert_int_equal(d->phases.len, 2);
	ph = d->phases.items[0];
	assert_string_equal(ph->label, "every 4 weeks");
	assert_non_null(ph->bound);
	ph = d->phases.items[1];
	assert_string_equal(ph->label, "q12w");
	assert_null(ph->bound);
	assert_string_equal(d->anchor.name, "start");
	assert_string_equal(d->last.name, "prev");
	assert_string_equal(d->asof.name, "today");
	assert_string_equal(d->count.name, "n");
	assert_non_null(d->grace);
}

static void test_parse__example(void **state)
{
	decl *d;
	expectation *x;
	given *g;

	(void)state;
	run("```rule\n" SRC
	    "input a: number in kg, from 0 to 300 \"a\"\ninput s: one of m, f \"s\"\n"
	    "rule R \"r\"\n  when a > 3 and s is m\n  then dose 4 mg oral \"x\"\n" CITE
	    "example E \"e\"\n  given a = 72 kg, s = m\n  given a = -1\n"
	    "  expect R\n  expect not R\n  expect R dose 4 mg\n  expect missing a\n  expect error a\n"
	    "```\n");
	d = decl_at(4);
	assert_int_equal(d->kind, D_EXAMPLE);
	assert_int_equal(d->givens.len, 3);
	g = d->givens.items[0];
	assert_string_equal(g->name.name, "a");
	assert_string_equal(g->value->unit, "kg");
	g = d->givens.items[2];
	assert_int_equal(g->value->kind, EX_NEG);
	assert_int_equal(d->expects.len, 5);
	x = d->expects.items[0];
	assert_int_equal(x->kind, EXP_FIRES);
	x = d->expects.items[1];
	assert_int_equal(x->kind, EXP_NOT_FIRES);
	x = d->expects.items[2];
	assert_int_equal(x->kind, EXP_DOSE);
	assert_string_equal(x->amount->unit, "mg");
	assert_int_equal(((expectation *)d->expects.items[3])->kind, EXP_MISSING);
	assert_int_equal(((expectation *)d->expects.items[4])->kind, EXP_ERROR);
	/* The duplicate 'a' is reported by sema. */
	assert_non_null(find_diag("duplicate-name"));
}

/* Regression: after a number the scanner reads the next word as a unit,
 * which turned `year 2024 text "..."` into a syntax error. */
static void test_parse__source_number_then_field(void **state)
{
	decl *d;
	field *f;

	(void)state;
	assert_int_equal(run("```rule\nsource G \"Title\" year 2024 edition \"3\" note \"n\"\n```\n"), 0);
	d = decl_at(0);
	assert_int_equal(d->fields.len, 3);
	f = d->fields.items[0];
	assert_string_equal(f->key.name, "year");
	assert_int_equal(f->is_number, 1);
	f = d->fields.items[1];
	assert_string_equal(f->key.name, "edition");
	assert_string_equal(f->text, "3");
	assert_int_equal(f->is_number, 0);
}

/* Regression: with CRLF line ends no rule fence was recognised, and every
 * rule block was lost (reported as nested in a list). */
static void test_parse__crlf_line_ends(void **state)
{
	(void)state;
	assert_int_equal(run("# T\r\n\r\n```text\r\nx\r\n```\r\n\r\n```rule\r\ninput a: bool \"a\"\r\n```\r\n"),
			 0);
	assert_int_equal(fe.rs.decls.len, 1);
	assert_null(find_diag("nested-rule-block"));
}

static void test_parse__tilde_fence(void **state)
{
	(void)state;
	/* A ``` line does not close a ~~~ block; ~~~~ (longer) does. */
	assert_int_equal(run("~~~ rule\ninput a: bool \"a\"\n~~~~\n"), 0);
	assert_int_equal(fe.rs.decls.len, 1);
}

static void test_parse__syntax_recovery(void **state)
{
	const diag *g;

	(void)state;
	run("```rule\n" SRC
	    "input a bool \"x\"\n"            /* line 3: missing ':' */
	    "input b: number in kg \"b\"\n"   /* fine */
	    "input c: date date\n"           /* line 5 */
	    "input d: bool \"d\"\n"
	    "```\n");
	assert_int_equal(count_diag("syntax"), 2);
	g = find_diag("syntax");
	assert_int_equal(g->line, 3);
	assert_int_equal(g->col, 9);
	assert_string_equal(g->msg, "unexpected 'bool'; expected ':'");
	g = nth_diag("syntax", 1);
	assert_int_equal(g->line, 5);
	assert_int_equal(g->col, 15);
	/* b and d survive the errors around them. */
	assert_int_equal(fe.rs.decls.len, 4);
	assert_string_equal(decl_at(2)->id.name, "c");
	assert_string_equal(decl_at(3)->id.name, "d");
}

static void test_parse__unclosed_block(void **state)
{
	const diag *g;

	(void)state;
	run("text\n~~~~rule\ninput a: bool \"a\"\n");
	g = find_diag("unclosed-rule-block");
	assert_non_null(g);
	assert_int_equal(g->line, 2);
	assert_int_equal(g->col, 1);
	assert_int_equal(g->end_col, 5);
	assert_string_equal(g->msg, "this rule block is never closed; end it with a line of 4 '~'");
	assert_int_equal(fe.rs.decls.len, 1);
}

static void test_parse__wrong_closing_fence(void **state)
{
	(void)state;
	run("````rule\ninput a: bool \"a\"\n```\n````\n");
	assert_non_null(find_diag("unexpected-character"));
	assert_int_equal(fe.rs.decls.len, 1);
}

static void test_parse__unterminated_string(void **state)
{
	const diag *g;

	(void)state;
	run("```rule\ninput a: bool \"abc\ninput b: bool \"b\"\n```\n");
	g = find_diag("unterminated-string");
	assert_non_null(g);
	assert_int_equal(g->line, 2);
	assert_int_equal(g->col, 15);
	assert_int_equal(fe.rs.decls.len, 2);
	assert_string_equal(decl_at(0)->title, "abc");
}

/* Regression: a full-width comma gave two errors (the character, then a
 * syntax error); it is now read as ',' after the first. */
static void test_parse__fullwidth_punctuation(void **state)
{
	const diag *g;

	(void)state;
	run("```rule\ninput s: one of a\xEF\xBC\x8C" "b \"s\"\n```\n");
	assert_int_equal(fe.diag.nerrors, 1);
	g = find_diag("unexpected-character");
	assert_non_null(g);
	assert_int_equal(g->col, 18);
	assert_string_equal(g->msg, "unexpected character '\xEF\xBC\x8C' (U+FF0C) in a rule block; did you mean ','?");
	assert_int_equal(decl_at(0)->values.len, 2);
}

static void test_parse__stray_character(void **state)
{
	const diag *g;

	(void)state;
	run("```rule\ninput a: bool \"a\" $\n```\n");
	g = find_diag("unexpected-character");
	assert_non_null(g);
	assert_string_equal(g->msg, "unexpected character '$' (U+0024) in a rule block");
	assert_int_equal(fe.rs.decls.len, 1);
}

static void test_parse__unicode_operators(void **state)
{
	expr *e;

	(void)state;
	assert_int_equal(run("```rule\n" SRC "input x: number in kg \"x\"\n"
			     "rule R \"r\"\n  when x \xE2\x89\xA4 3 \xC3\x97 2\n  then alert \"a\"\n" CITE "```\n"),
			 0);
	e = decl_at(2)->when;
	assert_int_equal(e->kind, EX_LE);
	assert_int_equal(e->b->kind, EX_MUL);
}

static void test_parse__too_deep(void **state)
{
	char buf[8192];
	size_t n = 0;
	int i;

	(void)state;
	n += (size_t)snprintf(buf + n, sizeof buf - n, "```rule\ninput a: bool \"a\"\nlet x = ");
	for (i = 0; i < 400; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "not ");
	n += (size_t)snprintf(buf + n, sizeof buf - n, "a\n```\n");
	run(buf);
	assert_int_equal(count_diag("too-deep"), 1);
}

static void test_parse__parser_stack_limit(void **state)
{
	static char buf[16384];
	size_t n = 0;
	int i;

	(void)state;
	n += (size_t)snprintf(buf + n, sizeof buf - n, "```rule\nlet x = ");
	for (i = 0; i < 5000; i++)
		buf[n++] = '(';
	buf[n] = '\0';
	run(buf);
	assert_int_equal(count_diag("too-deep"), 1);
}

static void test_parse__headings(void **state)
{
	decl *d;

	(void)state;
	run("# Kidney\n\n## Dosing *adults*\n\n```rule\ninput a: bool \"a\"\n```\n\n# Other\n\n```rule\ninput b: bool \"b\"\n```\n");
	d = decl_at(0);
	assert_int_equal(d->headings.len, 2);
	assert_string_equal(d->headings.items[0], "Kidney");
	assert_string_equal(d->headings.items[1], "Dosing adults");
	d = decl_at(1);
	assert_int_equal(d->headings.len, 1);
	assert_string_equal(d->headings.items[0], "Other");
}

static void test_parse__nested_rule_block(void **state)
{
	const diag *g;

	(void)state;
	/* The scanner reads prose line by line and cannot see a fence after
	 * "> "; cmark can, and the block is reported rather than lost. */
	run("Text.\n\n> ```rule\n> input a: bool \"a\"\n> ```\n");
	g = find_diag("nested-rule-block");
	assert_non_null(g);
	assert_int_equal(g->line, 3);
}

static void test_parse__invalid_utf8(void **state)
{
	const diag *g;

	(void)state;
	assert_int_equal(fe_run_memory(&fe, "t.md", "ok\n\xC3(\n", 5), 1);
	g = find_diag("invalid-utf8");
	assert_non_null(g);
	assert_int_equal(g->line, 2);
	assert_int_equal(g->col, 1);
	fe_free(&fe);
	assert_int_equal(fe_run_memory(&fe, "t.md", "a\0b", 3), 1);
	g = find_diag("invalid-utf8");
	assert_non_null(g);
	assert_int_equal(g->col, 2);
	assert_string_equal(g->msg, "this file contains a NUL byte; rule files must be UTF-8 text");
}

/* A syntax error names the token it met when the kind alone would not
 * say which ("name 'x'", "number '12'"), and the declaration it cut short
 * gets no follow-on "no action" or "no citation" errors. */
static void test_parse__syntax_error_names_token(void **state)
{
	(void)state;
	run("```rule\ninput x: bool \"x\"\nrule R1 when x x then recommend \"a\"\n```\n");
	assert_string_equal(find_diag("syntax")->msg, "unexpected name 'x'");
	assert_int_equal(fe.diag.nerrors, 1);
	assert_null(find_diag("no-action"));
	assert_null(find_diag("no-citation"));
	fe_free(&fe);
	run("```rule\ninput x: bool \"x\" 12\n```\n");
	assert_string_equal(find_diag("syntax")->msg, "unexpected number '12'");
}

/* Schedule clauses may be separated by commas. */
static void test_parse__schedule_clause_commas(void **state)
{
	decl *d = NULL;
	size_t i;
	(void)state;
	run("```rule\nsource s \"S\"\ninput a: date \"a\"\ninput b: date \"b\"\ninput t: date \"t\"\n"
	    "schedule S \"s\" drug 1 mg oral q4w anchored at a, last dose on b, evaluated on t\n"
	    "rule R then dose per S \"x\" cite s at \"l\" quote \"q\"\n```\n");
	assert_int_equal(fe.diag.nerrors, 0);
	for (i = 0; i < fe.rs.decls.len; i++)
		if (decl_at(i)->kind == D_SCHEDULE)
			d = decl_at(i);
	assert_non_null(d);
	assert_string_equal(d->anchor.name, "a");
	assert_string_equal(d->last.name, "b");
	assert_string_equal(d->asof.name, "t");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_parse__keyword_table_sorted, teardown),
		cmocka_unit_test_teardown(test_parse__prose_only, teardown),
		cmocka_unit_test_teardown(test_parse__empty_file, teardown),
		cmocka_unit_test_teardown(test_parse__fence_in_fence_skipped, teardown),
		cmocka_unit_test_teardown(test_parse__input_kinds, teardown),
		cmocka_unit_test_teardown(test_parse__string_concatenation_and_comments, teardown),
		cmocka_unit_test_teardown(test_parse__string_escapes, teardown),
		cmocka_unit_test_teardown(test_parse__rule_fields, teardown),
		cmocka_unit_test_teardown(test_parse__every_verb, teardown),
		cmocka_unit_test_teardown(test_parse__expression_precedence, teardown),
		cmocka_unit_test_teardown(test_parse__table_rows, teardown),
		cmocka_unit_test_teardown(test_parse__schedule, teardown),
		cmocka_unit_test_teardown(test_parse__example, teardown),
		cmocka_unit_test_teardown(test_parse__source_number_then_field, teardown),
		cmocka_unit_test_teardown(test_parse__crlf_line_ends, teardown),
		cmocka_unit_test_teardown(test_parse__tilde_fence, teardown),
		cmocka_unit_test_teardown(test_parse__syntax_recovery, teardown),
		cmocka_unit_test_teardown(test_parse__unclosed_block, teardown),
		cmocka_unit_test_teardown(test_parse__wrong_closing_fence, teardown),
		cmocka_unit_test_teardown(test_parse__unterminated_string, teardown),
		cmocka_unit_test_teardown(test_parse__fullwidth_punctuation, teardown),
		cmocka_unit_test_teardown(test_parse__stray_character, teardown),
		cmocka_unit_test_teardown(test_parse__unicode_operators, teardown),
		cmocka_unit_test_teardown(test_parse__too_deep, teardown),
		cmocka_unit_test_teardown(test_parse__parser_stack_limit, teardown),
		cmocka_unit_test_teardown(test_parse__headings, teardown),
		cmocka_unit_test_teardown(test_parse__nested_rule_block, teardown),
		cmocka_unit_test_teardown(test_parse__invalid_utf8, teardown),
		cmocka_unit_test_teardown(test_parse__syntax_error_names_token, teardown),
		cmocka_unit_test_teardown(test_parse__schedule_clause_commas, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
