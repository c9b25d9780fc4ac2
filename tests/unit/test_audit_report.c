/*
** test_audit_report.c: the pure parts of the audit report (audit/report.c):
** dates with the author's offset, SHA-256, the change section (added,
** removed, changed rules, by id), the link check of `audit verify`, the
** report commit's message and the Markdown rendering.  Expected values
** were worked out by hand (dates, `printf abc | sha256sum`).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "audit/report.h"

static void test_date(void **state)
{
	char d[32];

	(void)state;
	/* 1706781600 = 2024-02-01 10:00:00 UTC */
	au_report_date(d, 1706781600, 0);
	assert_string_equal(d, "2024-02-01T10:00:00+00:00");
	au_report_date(d, 1706781600, -300);
	assert_string_equal(d, "2024-02-01T05:00:00-05:00");
	au_report_date(d, 1706781600, 330);
	assert_string_equal(d, "2024-02-01T15:30:00+05:30");
	/* Crossing midnight backwards. */
	au_report_date(d, 1706745600, -60);
	assert_string_equal(d, "2024-01-31T23:00:00-01:00");
}

static void test_sha256(void **state)
{
	char h[65];

	(void)state;
	au_report_sha256(h, "abc", 3);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static json_t *rule(const char *id, const char *text, const char *quote, const char *file)
{
	return json_pack("{s:s, s:s, s:i, s:s, s:s, s:[{s:s, s:s, s:s}]}", "id", id, "file", file, "line", 3,
			 "headings", "", "text_sha256", text, "citations", "source", "G", "locator", "1", "quote",
			 quote);
}

static void test_changes(void **state)
{
	json_t *prev = json_pack("{s:{s:s}, s:[o,o,o,o]}", "identity", "commit", "c0ffee", "rules",
				 rule("B", "t1", "q", "a.md"), rule("A", "t1", "q", "a.md"),
				 rule("Gone", "t1", "q", "a.md"), rule("Moved", "t1", "q", "a.md"));
	json_t *now = json_pack("[o,o,o,o,o]", rule("A", "t1", "q", "a.md"), rule("B", "t2", "q2", "a.md"),
				rule("New", "t1", "q", "a.md"), rule("Moved", "t1", "q", "b.md"),
				rule("Alpha", "t", "q", "a.md"));
	json_t *c = au_report_changes(prev, now), *first;
	char *s;

	(void)state;
	assert_non_null(c);
	assert_string_equal(json_string_value(json_object_get(c, "against")), "c0ffee");
	s = json_dumps(json_object_get(c, "added"), JSON_COMPACT);
	assert_string_equal(s, "[\"Alpha\",\"New\"]");
	free(s);
	s = json_dumps(json_object_get(c, "removed"), JSON_COMPACT);
	assert_string_equal(s, "[\"Gone\"]");
	free(s);
	assert_int_equal(json_array_size(json_object_get(c, "changed")), 2);
	first = json_array_get(json_object_get(c, "changed"), 0);
	assert_string_equal(json_string_value(json_object_get(first, "id")), "B");
	s = json_dumps(json_object_get(first, "what"), JSON_COMPACT);
	assert_string_equal(s, "[\"text\",\"citations\"]");
	free(s);
	s = json_dumps(json_object_get(json_array_get(json_object_get(c, "changed"), 1), "what"), JSON_COMPACT);
	assert_string_equal(s, "[\"place\"]");
	free(s);
	assert_true(json_is_null(json_object_get(c, "outcomes")));
	json_decref(c);
	/* The first report: nothing to compare. */
	c = au_report_changes(NULL, now);
	assert_true(json_is_null(json_object_get(c, "against")));
	assert_int_equal(json_array_size(json_object_get(c, "added")), 0);
	json_decref(c);
	json_decref(prev);
	json_decref(now);
}

static void test_link(void **state)
{
	const char *parent = "{\"x\": 1}\n";
	char h[65];
	json_t *st;

	(void)state;
	au_report_sha256(h, parent, strlen(parent));
	st = json_pack("{s:{s:{s:s, s:s}}}", "predicate", "previous", "report_sha256", h, "commit",
		       "1111111111111111111111111111111111111111");
	assert_int_equal(au_report_check_link(st, "1111111111111111111111111111111111111111", parent, strlen(parent)), 0);
	/* Another parent commit, other parent bytes, no parent at all. */
	assert_int_equal(au_report_check_link(st, "2222222222222222222222222222222222222222", parent, strlen(parent)),
			 AU_EINVALID);
	assert_non_null(strstr(au_error_last(), "previous.commit"));
	assert_int_equal(au_report_check_link(st, "1111111111111111111111111111111111111111", "{}\n", 3), AU_EINVALID);
	assert_non_null(strstr(au_error_last(), "report_sha256"));
	assert_int_equal(au_report_check_link(st, NULL, NULL, 0), AU_EINVALID);
	json_decref(st);
	st = json_pack("{s:{s:{s:n, s:n}}}", "predicate", "previous", "report_sha256", "commit");
	assert_int_equal(au_report_check_link(st, NULL, NULL, 0), 0);
	assert_int_equal(au_report_check_link(st, "1111111111111111111111111111111111111111", parent, strlen(parent)),
			 AU_EINVALID);
	json_decref(st);
}

static void test_message(void **state)
{
	char hex[41];

	(void)state;
	assert_int_equal(au_report_message_commit(hex, "litrule audit 0123456789abcdef0123456789abcdef01234567\n"), 0);
	assert_string_equal(hex, "0123456789abcdef0123456789abcdef01234567");
	assert_int_equal(au_report_message_commit(hex, "litrule audit 0123\n"), AU_EINVALID);
	assert_int_equal(au_report_message_commit(hex, "audit report\n"), AU_EINVALID);
	assert_int_equal(au_report_message_commit(hex, "litrule audit 0123456789abcdef0123456789abcdef012345678\n"),
			 AU_EINVALID);
}

static void test_markdown_and_dump(void **state)
{
	json_t *st = json_pack("{s:s, s:{s:{s:s, s:s}, s:s, s:{s:n, s:n}, s:[{s:s, s:s, s:s, s:i, s:i, s:s, s:b, s:[], s:[], "
			       "s:{s:s, s:s, s:s, s:s, s:s}}]}}",
			       "_type", AU_REPORT_TYPE, "predicate", "identity", "commit", "abc", "name", "kidney", "path",
			       "rules", "previous", "commit", "report_sha256", "rules", "id", "R|1", "title", "a | b",
			       "file", "rules/a.md", "line", 3, "end_line", 7, "headings", "A > B", "unreviewed", 1,
			       "citations", "reviewers", "last_change", "commit", "abcdef0123456789", "author", "Ann",
			       "email", "ann@x", "date", "2024-01-01T00:00:00+00:00", "subject", "Add");
	size_t n = 0;
	char *md = au_report_markdown(st, &n), *js;

	(void)state;
	assert_non_null(md);
	assert_int_equal(strlen(md), n);
	assert_non_null(strstr(md, "# Audit report: kidney \n"));
	assert_non_null(strstr(md, "### R|1: a \\| b\n"));
	assert_non_null(strstr(md, "- Where: `rules/a.md`, lines 3 to 7, under A > B\n"));
	assert_non_null(strstr(md, "- Last change: `abcdef012345` by Ann <ann@x> on 2024-01-01T00:00:00+00:00: Add\n"));
	assert_non_null(strstr(md, "- **Unreviewed**"));
	assert_non_null(strstr(md, "none: this is the first report of the chain"));
	free(md);
	js = au_report_dump(st, &n);
	assert_non_null(js);
	assert_int_equal(js[n - 1], '\n');
	/* Members stay in insertion order ("_type" first). */
	assert_int_equal(strncmp(js, "{\n  \"_type\"", 11), 0);
	free(js);
	json_decref(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date),    cmocka_unit_test(test_sha256),  cmocka_unit_test(test_changes),
		cmocka_unit_test(test_link),    cmocka_unit_test(test_message), cmocka_unit_test(test_markdown_and_dump),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
