/*
** test_audit_blame.c: unit tests for audit/blame.c (au_blame_*).  The
** fixture (audit_fixture.c) has Alice, Bob and Carol changing different
** lines of rules/x.md; each rule's span must name the right last change
** (author, date, subject) and every distinct commit that touched it, at
** HEAD and at older commits.  Line ranges past the end of the file must
** be refused (libgit2 1.5.1 invents lines there) and shallow clones too.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "audit/blame.h"
#include "audit_fixture.h"

static char *ids[5];
static const char *repo_dir;
static au_repo *repo;

static int group_setup(void **state)
{
	(void)state;
	fx_init();
	git_libgit2_init();
	repo_dir = strdup(fx_path("r"));
	fx_rules_repo(repo_dir, ids);
	return au_repo_open(&repo, repo_dir);
}

static int group_teardown(void **state)
{
	int i;

	(void)state;
	au_repo_free(repo);
	for (i = 0; i < 5; i++)
		free(ids[i]);
	free((char *)repo_dir);
	fx_cleanup();
	git_libgit2_shutdown();
	return 0;
}

static git_oid oid_of(const char *hex)
{
	git_oid id;

	assert_int_equal(git_oid_fromstr(&id, hex), 0);
	return id;
}

static void change_is(const au_change *c, int idx, const char *name,
		      const char *subject)
{
	char hex[GIT_OID_HEXSZ + 1];
	char email[64];
	size_t i;

	assert_string_equal(git_oid_tostr(hex, sizeof hex, &c->id), ids[idx]);
	assert_string_equal(c->author_name, name);
	for (i = 0; name[i]; i++)
		email[i] = (char)(name[i] | 0x20);
	strcpy(email + i, "@example.org");
	assert_string_equal(c->author_email, email);
	assert_string_equal(c->subject, subject);
	assert_int_equal(c->author_offset, 60);     /* +0100 */
}

/* Blames x.md at commit `at` and checks span first..last against the
** expected commits (fixture indexes, most recent first). */
static void span_is(au_blame *b, size_t first, size_t last, const int *want,
		    size_t nwant)
{
	au_blame_span s;
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;

	assert_int_equal(au_blame_span_get(&s, b, first, last), 0);
	if (s.nchanges != nwant)
		fail_msg("lines %zu-%zu: %zu changes, expected %zu", first, last,
			 s.nchanges, nwant);
	for (i = 0; i < nwant; i++)
		assert_string_equal(git_oid_tostr(hex, sizeof hex, &s.changes[i].id),
				    ids[want[i]]);
	au_blame_span_dispose(&s);
}

static void test_rule_spans_at_head(void **state)
{
	git_oid head = oid_of(ids[4]);
	au_blame *b = NULL;
	au_blame_span s;
	static const int r1[] = { 4, 3, 0 }, r2[] = { 1, 0 }, r3[] = { 2, 0 };
	static const int l10[] = { 1 }, all[] = { 4, 3, 2, 1, 0 }, l1[] = { 0 };
	char *before = fx_snapshot(repo_dir), *after;

	(void)state;
	assert_int_equal(au_blame_file(&b, repo, &head, "rules/x.md"), 0);
	assert_int_equal(au_blame_line_count(b), 16);

	/* R2 (lines 8-11): Bob changed line 10, reviewed by Carol */
	assert_int_equal(au_blame_span_get(&s, b, 8, 11), 0);
	assert_int_equal(s.nchanges, 2);
	change_is(&s.changes[0], 1, "Bob", "R2: raise eGFR threshold");
	assert_int_equal(s.changes[0].author_time, 1706781600);
	change_is(&s.changes[1], 0, "Alice", "Add rules R1-R3");
	au_blame_span_dispose(&s);

	/* R3 (lines 12-16): Carol's dose fix */
	assert_int_equal(au_blame_span_get(&s, b, 12, 16), 0);
	change_is(&s.changes[0], 2, "Carol", "R3: fix the dose");
	assert_int_equal(s.changes[0].author_time, 1706950000);
	au_blame_span_dispose(&s);

	/* R1 (lines 3-7): Bob's heading, Alice's CRLF-message rewording */
	assert_int_equal(au_blame_span_get(&s, b, 3, 7), 0);
	change_is(&s.changes[0], 4, "Bob", "Reorganise");
	change_is(&s.changes[1], 3, "Alice", "R1: reword");
	au_blame_span_dispose(&s);

	span_is(b, 3, 7, r1, 3);
	span_is(b, 8, 11, r2, 2);
	span_is(b, 12, 16, r3, 2);
	span_is(b, 10, 10, l10, 1);
	span_is(b, 1, 16, all, 5);
	span_is(b, 1, 2, l1, 1);
	span_is(b, 16, 16, l1, 1);
	au_blame_free(b);
	au_blame_free(NULL);
	after = fx_snapshot(repo_dir);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void test_rule_spans_at_old_commit(void **state)
{
	git_oid c1 = oid_of(ids[1]), c0 = oid_of(ids[0]);
	au_blame *b = NULL;
	static const int r2[] = { 1, 0 }, r3[] = { 0 }, r1[] = { 0 };

	(void)state;
	/* at Bob's commit, Carol's and Alice's later changes do not exist */
	assert_int_equal(au_blame_file(&b, repo, &c1, "rules/x.md"), 0);
	span_is(b, 8, 11, r2, 2);
	span_is(b, 12, 16, r3, 1);
	span_is(b, 3, 7, r1, 1);
	au_blame_free(b);
	assert_int_equal(au_blame_file(&b, repo, &c0, "./rules/x.md"), 0);
	span_is(b, 1, 16, r1, 1);
	au_blame_free(b);
}

static void test_ranges_validated(void **state)
{
	git_oid head = oid_of(ids[4]);
	au_blame *b = NULL;
	au_blame_span s;

	(void)state;
	assert_int_equal(au_blame_file(&b, repo, &head, "rules/x.md"), 0);
	assert_int_equal(au_blame_span_get(&s, b, 15, 17), AU_EINVALID);
	assert_string_equal(au_error_last(),
			    "lines 15-17 are outside 'rules/x.md' (16 lines)");
	assert_int_equal(s.nchanges, 0);
	assert_null(s.changes);
	assert_int_equal(au_blame_span_get(&s, b, 17, 17), AU_EINVALID);
	assert_int_equal(au_blame_span_get(&s, b, 20, 30), AU_EINVALID);
	assert_int_equal(au_blame_span_get(&s, b, 0, 3), AU_EINVALID);
	assert_int_equal(au_blame_span_get(&s, b, 9, 8), AU_EINVALID);
	au_blame_free(b);
}

static void test_line_count_edges(void **state)
{
	const char *dir = fx_path("edges");
	au_repo *r = NULL;
	au_blame *b = NULL;
	au_blame_span s;
	git_oid id;
	char *c;

	(void)state;
	assert_int_equal(fx_sh("git init -q -b main '%s'", dir), 0);
	fx_write(fx_path("edges/nolf.md"), "a\nb");       /* 2 lines */
	fx_write(fx_path("edges/empty.md"), "");
	c = fx_commit(dir, "Alice", 1706000000L, "Edges\n");
	assert_int_equal(git_oid_fromstr(&id, c), 0);
	assert_int_equal(au_repo_open(&r, dir), 0);
	assert_int_equal(au_blame_file(&b, r, &id, "nolf.md"), 0);
	assert_int_equal(au_blame_line_count(b), 2);
	assert_int_equal(au_blame_span_get(&s, b, 2, 2), 0);
	assert_int_equal(s.nchanges, 1);
	au_blame_span_dispose(&s);
	assert_int_equal(au_blame_span_get(&s, b, 3, 3), AU_EINVALID);
	au_blame_free(b);
	assert_int_equal(au_blame_file(&b, r, &id, "empty.md"), 0);
	assert_int_equal(au_blame_line_count(b), 0);
	assert_int_equal(au_blame_span_get(&s, b, 1, 1), AU_EINVALID);
	au_blame_free(b);
	au_repo_free(r);
	free(c);
}

static void test_missing_file_and_directory(void **state)
{
	git_oid head = oid_of(ids[4]);
	au_blame *b = (au_blame *)1;

	(void)state;
	assert_int_equal(au_blame_file(&b, repo, &head, "rules/sub/y.md"), AU_ENOTFOUND);
	assert_null(b);
	assert_int_equal(au_blame_file(&b, repo, &head, "rules"), AU_EINVALID);
	assert_int_equal(au_blame_file(&b, repo, &head, "rules/link.md"), AU_EINVALID);
}

static void test_shallow_refused(void **state)
{
	const char *dir = fx_path("shallow");
	au_repo *r = NULL;
	au_blame *b = (au_blame *)1;
	git_oid id;

	(void)state;
	assert_int_equal(fx_sh("git clone -q --depth 2 'file://%s' '%s' 2>/dev/null",
			       repo_dir, dir), 0);
	assert_int_equal(au_repo_open(&r, dir), 0);
	assert_int_equal(au_repo_resolve(&id, r, NULL), 0);
	assert_int_equal(au_blame_file(&b, r, &id, "rules/x.md"), AU_ESHALLOW);
	assert_null(b);
	assert_string_equal(au_error_last(),
			    "this is a shallow clone; audit needs full history "
			    "(git fetch --unshallow)");
	au_repo_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_spans_at_head),
		cmocka_unit_test(test_rule_spans_at_old_commit),
		cmocka_unit_test(test_ranges_validated),
		cmocka_unit_test(test_line_count_edges),
		cmocka_unit_test(test_missing_file_and_directory),
		cmocka_unit_test(test_shallow_refused),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
