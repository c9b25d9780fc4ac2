/*
** test_diag.c: unit tests of diag.c and source.c: positions, sorting,
** and the exact text of a rendered diagnostic (header, echoed line,
** caret), including CJK text, tabs and combining marks, where the caret
** must be placed by display width while the column counts characters.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

static arena a;
static diag_ctx d;
static src_file *files[4];
static int nfiles;

static int setup(void **state)
{
	(void)state;
	arena_init(&a);
	diag_init(&d, &a);
	nfiles = 0;
	return 0;
}

static int teardown(void **state)
{
	int i;
	(void)state;
	for (i = 0; i < nfiles; i++)
		src_free(files[i]);
	arena_free(&a);
	return 0;
}

static src_file *file(const char *name, const char *text)
{
	src_file *f;
	assert_int_equal(src_from_memory(&f, name, text, strlen(text)), 0);
	files[nfiles++] = f;
	return f;
}

/* Renders g and compares with the expected text. */
static void expect_format(const diag *g, const char *want)
{
	char *s = diag_format(g);
	assert_string_equal(s, want);
	free(s);
}

static void test_diag__ascii(void **state)
{
	src_file *f = file("x.md", "abc def\n");
	diag *g;

	(void)state;
	g = diag_report(&d, DIAG_ERROR, f, 4, 7, "some-id", "bad %s", "thing");
	assert_int_equal(g->line, 1);
	assert_int_equal(g->col, 5);
	assert_int_equal(g->end_col, 8);
	expect_format(g, "x.md:1:5: error: bad thing [some-id]\n"
			 " 1 | abc def\n"
			 "   |     ^~~\n");
}

static void test_diag__cjk_caret(void **state)
{
	/* 中文 x: x is character 4, but sits in display cell 5. */
	src_file *f = file("c.md", "\xE4\xB8\xAD\xE6\x96\x87 xy = 1\n");
	diag *g;

	(void)state;
	g = diag_report(&d, DIAG_ERROR, f, 7, 9, "id", "m");
	assert_int_equal(g->col, 4);
	expect_format(g, "c.md:1:4: error: m [id]\n"
			 " 1 | \xE4\xB8\xAD\xE6\x96\x87 xy = 1\n"
			 "   |      ^~\n");
}

static void test_diag__cjk_underlined(void **state)
{
	/* A wide character underlined takes two cells: ^~. */
	src_file *f = file("c.md", "a\xEF\xBC\x8C" "b\n");
	diag *g;

	(void)state;
	g = diag_report(&d, DIAG_ERROR, f, 1, 4, "id", "m");
	assert_int_equal(g->col, 2);
	assert_int_equal(g->end_col, 3);
	expect_format(g, "c.md:1:2: error: m [id]\n"
			 " 1 | a\xEF\xBC\x8C" "b\n"
			 "   |  ^~\n");
}

static void test_diag__tabs(void **state)
{
	src_file *f = file("t.md", "\twhen\tx > y\n");
	diag *g;

	(void)state;
	/* x: byte 6, character 7; cells: tab to 8, "when" to 12, tab to 16. */
	g = diag_report(&d, DIAG_WARNING, f, 6, 7, "id", "m");
	assert_int_equal(g->col, 7);
	expect_format(g, "t.md:1:7: warning: m [id]\n"
			 " 1 |         when    x > y\n"
			 "   |                 ^\n");
}

static void test_diag__tab_underlined(void **state)
{
	src_file *f = file("t.md", "ab\tc\n");
	diag *g;

	(void)state;
	/* The span covers the tab: it is six cells wide here. */
	g = diag_report(&d, DIAG_ERROR, f, 1, 4, "id", "m");
	expect_format(g, "t.md:1:2: error: m [id]\n"
			 " 1 | ab      c\n"
			 "   |  ^~~~~~~~\n");
}

static void test_diag__combining_mark(void **state)
{
	/* e + U+0301: two characters, one cell. */
	src_file *f = file("u.md", "e\xCC\x81x\n");
	diag *g;

	(void)state;
	g = diag_report(&d, DIAG_ERROR, f, 3, 4, "id", "m");
	assert_int_equal(g->col, 3);
	expect_format(g, "u.md:1:3: error: m [id]\n"
			 " 1 | e\xCC\x81x\n"
			 "   |  ^\n");
}

static void test_diag__control_and_invalid_bytes(void **state)
{
	src_file *f = file("b.md", "a\x01" "b\xFF" "c\n");
	diag *g;

	(void)state;
	g = diag_report(&d, DIAG_ERROR, f, 4, 5, "id", "m");
	assert_int_equal(g->col, 5);
	expect_format(g, "b.md:1:5: error: m [id]\n"
			 " 1 | a?b?c\n"
			 "   |     ^\n");
}

static void test_diag__multiline_span_stops_at_line_end(void **state)
{
	src_file *f = file("m.md", "first line\nsecond\n");
	diag *g;

	(void)state;
	g = diag_report(&d, DIAG_ERROR, f, 6, 15, "id", "m");
	assert_int_equal(g->end_line, 2);
	expect_format(g, "m.md:1:7: error: m [id]\n"
			 " 1 | first line\n"
			 "   |       ^~~~\n");
}

static void test_diag__empty_span_at_end_of_line(void **state)
{
	src_file *f = file("e.md", "abc\r\nx");
	diag *g;

	(void)state;
	/* The \r of a CRLF line end is not echoed. */
	g = diag_report(&d, DIAG_ERROR, f, 3, 3, "id", "m");
	expect_format(g, "e.md:1:4: error: m [id]\n"
			 " 1 | abc\n"
			 "   |    ^\n");
}

static void test_diag__end_of_file(void **state)
{
	src_file *f = file("e.md", "ab\ncd");
	diag *g;

	(void)state;
	g = diag_report(&d, DIAG_ERROR, f, 5, 5, "id", "m");
	assert_int_equal(g->line, 2);
	assert_int_equal(g->col, 3);
	expect_format(g, "e.md:2:3: error: m [id]\n"
			 " 2 | cd\n"
			 "   |   ^\n");
}

static void test_diag__wide_gutter_and_note(void **state)
{
	src_file *f = file("n.md", "1\n2\n3\n4\n5\n6\n7\n8\n9\nten x\n");
	diag *g;

	(void)state;
	g = diag_report(&d, DIAG_ERROR, f, 22, 23, "dup", "twice");
	diag_note(&d, g, f, 0, 1, "first here");
	assert_int_equal(g->line, 10);
	expect_format(g, "n.md:10:5: error: twice [dup]\n"
			 " 10 | ten x\n"
			 "    |     ^\n"
			 "n.md:1:1: note: first here\n"
			 " 1 | 1\n"
			 "   | ^\n");
	/* Notes take their parent's id and do not count as errors. */
	assert_string_equal(((diag *)g->notes.items[0])->id, "dup");
	assert_int_equal(d.nerrors, 1);
}

static void test_diag__no_file(void **state)
{
	diag *g;

	(void)state;
	g = diag_report(&d, DIAG_ERROR, NULL, 0, 0, "io", "cannot read '%s'", "x");
	expect_format(g, "litrule: error: cannot read 'x'\n");
	diag_note(&d, NULL, NULL, 0, 0, "ignored"); /* NULL-safe */
}

static void test_diag__long_message(void **state)
{
	src_file *f = file("l.md", "x\n");
	char big[2000];
	char *s;
	diag *g;

	(void)state;
	memset(big, 'm', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	g = diag_report(&d, DIAG_ERROR, f, 0, 1, "id", "%s", big);
	s = diag_format(g);
	assert_non_null(strstr(s, big));
	free(s);
}

static void test_diag__werror_and_counts(void **state)
{
	src_file *f = file("w.md", "x\n");
	diag *g;

	(void)state;
	diag_report(&d, DIAG_WARNING, f, 0, 1, "w", "warn");
	assert_int_equal(d.nwarnings, 1);
	d.werror = 1;
	g = diag_report(&d, DIAG_WARNING, f, 0, 1, "w", "warn");
	assert_int_equal(g->sev, DIAG_ERROR);
	assert_int_equal(d.nerrors, 1);
}

static void test_diag__max_errors(void **state)
{
	src_file *f = file("w.md", "x\n");

	(void)state;
	d.max_errors = 2;
	assert_non_null(diag_report(&d, DIAG_ERROR, f, 0, 1, "e", "1"));
	assert_non_null(diag_report(&d, DIAG_ERROR, f, 0, 1, "e", "2"));
	assert_null(diag_report(&d, DIAG_ERROR, f, 0, 1, "e", "3"));
	assert_int_equal(d.items.len, 2);
	assert_int_equal(d.nerrors, 3);
}

static void test_diag__sort(void **state)
{
	src_file *f1 = file("b.md", "aaaa\nbbbb\n"), *f2 = file("a.md", "cccc\n");
	const diag *g;

	(void)state;
	/* Files keep first-report order; within a file, position, then report order. */
	diag_report(&d, DIAG_ERROR, f1, 6, 7, "x", "f1 late");
	diag_report(&d, DIAG_ERROR, f2, 0, 1, "x", "f2");
	diag_report(&d, DIAG_ERROR, f1, 1, 2, "x", "f1 early");
	diag_report(&d, DIAG_ERROR, f1, 1, 2, "x", "f1 early second");
	diag_sort(&d);
	g = d.items.items[0];
	assert_string_equal(g->msg, "f1 early");
	g = d.items.items[1];
	assert_string_equal(g->msg, "f1 early second");
	g = d.items.items[2];
	assert_string_equal(g->msg, "f1 late");
	g = d.items.items[3];
	assert_string_equal(g->msg, "f2");
}

/* Regression: sorting no diagnostics called qsort(NULL, 0, ...) (UBSan). */
static void test_diag__sort_empty(void **state)
{
	(void)state;
	diag_sort(&d);
	assert_int_equal(d.items.len, 0);
}

static void test_diag__json(void **state)
{
	src_file *f = file("j.md", "ab \"q\"\n");
	diag *g;
	FILE *fp = tmpfile();
	char buf[2048];
	size_t n;

	(void)state;
	assert_non_null(fp);
	g = diag_report(&d, DIAG_ERROR, f, 3, 6, "an-id", "say \"%s\"", "hi");
	diag_note(&d, g, f, 0, 1, "n");
	diag_report(&d, DIAG_ERROR, NULL, 0, 0, "io", "no file");
	diag_print_json(&d, fp);
	rewind(fp);
	n = fread(buf, 1, sizeof buf - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	assert_string_equal(buf, "[\n"
				 "  {\n"
				 "    \"file\": \"j.md\",\n"
				 "    \"line\": 1,\n"
				 "    \"column\": 4,\n"
				 "    \"end_line\": 1,\n"
				 "    \"end_column\": 7,\n"
				 "    \"severity\": \"error\",\n"
				 "    \"id\": \"an-id\",\n"
				 "    \"message\": \"say \\\"hi\\\"\",\n"
				 "    \"notes\": [\n"
				 "      {\n"
				 "        \"file\": \"j.md\",\n"
				 "        \"line\": 1,\n"
				 "        \"column\": 1,\n"
				 "        \"end_line\": 1,\n"
				 "        \"end_column\": 2,\n"
				 "        \"severity\": \"note\",\n"
				 "        \"id\": \"an-id\",\n"
				 "        \"message\": \"n\"\n"
				 "      }\n"
				 "    ]\n"
				 "  },\n"
				 "  {\n"
				 "    \"file\": null,\n"
				 "    \"severity\": \"error\",\n"
				 "    \"id\": \"io\",\n"
				 "    \"message\": \"no file\",\n"
				 "    \"notes\": []\n"
				 "  }\n"
				 "]\n");
}

static void test_diag__positions(void **state)
{
	src_file *f = file("p.md", "a\n\xE4\xB8\xAD" "b\r\n\nlast");
	uint32_t line, col, s, e;

	(void)state;
	src_position(f, 0, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 1);
	src_position(f, 5, &line, &col); /* 'b' after one CJK character */
	assert_int_equal(line, 2);
	assert_int_equal(col, 2);
	src_position(f, 1000, &line, &col); /* clamped to the end */
	assert_int_equal(line, 4);
	assert_int_equal(col, 5);
	src_line_span(f, 2, &s, &e);
	assert_int_equal(s, 2);
	assert_int_equal(e, 6); /* without the \r */
	src_line_span(f, 3, &s, &e);
	assert_int_equal(s, e);
	assert_int_equal(f->nlines, 4);
	assert_int_equal(f->utf8_ok, 1);
}

static void test_diag__utf8_validation(void **state)
{
	src_file *f;

	(void)state;
	f = file("v.md", "ok \xC3\xA9 \xED\xA0\x80");
	/* A UTF-16 surrogate encoded in UTF-8 is not valid UTF-8. */
	assert_int_equal(src_first_bad_utf8(f), 6);
	assert_int_equal(f->utf8_ok, 0);
	f = file("v.md", "\xF0\x9F\x98\x80");
	assert_int_equal(f->utf8_ok, 1);
	assert_int_equal(src_char_width(0x4E2D), 2);
	assert_int_equal(src_char_width('a'), 1);
	assert_int_equal(src_char_width(0x301), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_diag__ascii, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diag__cjk_caret, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diag__cjk_underlined, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diag__tabs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diag__tab_underlined, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diag__combining_mark, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diag__control_and_invalid_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diag__multiline_span_stops_at_line_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diag__empty_span_at_end_of_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diag__end_of_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diag__wide_gutter_and_note, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diag__no_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diag__long_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diag__werror_and_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diag__max_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diag__sort, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diag__sort_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diag__json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diag__positions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diag__utf8_validation, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
