/*
** test_trace_show.c: unit tests for the text-showing half of `litrule
** trace` (cli/trace_show.c): line splitting, the prose paragraph before a
** rule block, and a quote marked inside its passage.  The module is
** compiled into this test directly (it needs nothing but libc), so the
** test links like the other unit tests.  Expected outputs are written by
** hand from the inputs.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cli/trace_show.c"

/* Runs f into a string (malloc'd). */
static char *capture_quote(const char *text, const char *quote, size_t ctx, int *rc)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	assert_non_null(f);
	*rc = trs_print_quote(f, text, strlen(text), quote, ctx, "");
	fclose(f);
	return buf;
}

static void test_split(void **state)
{
	trs_lines l;
	(void)state;
	assert_int_equal(trs_lines_split(&l, "a\r\nbc", 5), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.len[0], 1); /* the CR is not part of the line */
	assert_memory_equal(l.line[1], "bc", 2);
	trs_lines_free(&l);
	assert_int_equal(trs_lines_split(&l, "a\n", 2), 0);
	assert_int_equal(l.n, 1); /* no empty line after the final newline */
	trs_lines_free(&l);
	assert_int_equal(trs_lines_split(&l, "", 0), 0);
	assert_int_equal(l.n, 0);
	trs_lines_free(&l);
	assert_int_equal(trs_lines_split(&l, "\n\n", 2), 0);
	assert_int_equal(l.n, 2);
	trs_lines_free(&l);
}

/* A quote wrapped differently from the text still matches (runs of white
 * space are one space), and is marked where it starts and ends. */
static void test_quote_across_lines(void **state)
{
	const char *text = "one\ntwo  the quote\nspans\tlines here\nfour\nfive\n";
	int rc;
	char *s = capture_quote(text, "the quote spans   lines", 1, &rc);
	(void)state;
	assert_int_equal(rc, 0);
	assert_string_equal(s, "      1 | one\n"
			       ">     2 | two  \xc2\xbbthe quote\n"
			       ">     3 | spans\tlines\xc2\xab here\n"
			       "      4 | four\n");
	free(s);
}

static void test_quote_edges(void **state)
{
	int rc;
	char *s;
	(void)state;
	/* At the very start and the very end of a text without a final newline. */
	s = capture_quote("quote", "quote", 2, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(s, ">     1 | \xc2\xbbquote\xc2\xab\n");
	free(s);
	s = capture_quote("abc\nxyz", "xyz", 0, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(s, ">     2 | \xc2\xbbxyz\xc2\xab\n");
	free(s);
	/* Absent, or absent once white space matters inside a word. */
	s = capture_quote("abc\nxyz", "abd", 1, &rc);
	assert_int_equal(rc, -1);
	free(s);
	s = capture_quote("ab c", "abc", 1, &rc);
	assert_int_equal(rc, -1);
	free(s);
	s = capture_quote("abc", "   ", 1, &rc);
	assert_int_equal(rc, -1); /* an empty quote matches nothing */
	free(s);
}

static char *capture_prose(const char *text, size_t line)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	trs_lines l;
	assert_non_null(f);
	assert_int_equal(trs_lines_split(&l, text, strlen(text)), 0);
	trs_print_prose(f, &l, line, "");
	fclose(f);
	trs_lines_free(&l);
	return buf;
}

static void test_prose(void **state)
{
	const char *md = "# T\n"                 /* 1 */
			 "\n"                    /* 2 */
			 "Earlier paragraph.\n"  /* 3 */
			 "\n"                    /* 4 */
			 "First line of prose\n" /* 5 */
			 "second line.\n"        /* 6 */
			 "\n"                    /* 7 */
			 "```rule\n"             /* 8 */
			 "rule A \"a\"\n"        /* 9 */
			 "rule B \"b\"\n"        /* 10 */
			 "```\n"                 /* 11 */
			 "## H\n"                /* 12 */
			 "```rule\n"             /* 13 */
			 "rule C \"c\"\n"        /* 14 */
			 "```\n";                /* 15 */
	char *s;
	(void)state;
	s = capture_prose(md, 10); /* a later rule of the same block */
	assert_string_equal(s, "    5 | First line of prose\n    6 | second line.\n");
	free(s);
	s = capture_prose(md, 14); /* a heading right before the block */
	assert_string_equal(s, "(no prose paragraph right before the rule block)\n");
	free(s);
	s = capture_prose("rule X\n", 1);
	assert_string_equal(s, "(no rule block found above the rule)\n");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_quote_across_lines),
		cmocka_unit_test(test_quote_edges),
		cmocka_unit_test(test_prose),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
