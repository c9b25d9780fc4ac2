/*
** test_audit_review.c: unit tests for audit/review.c (au_review_*):
** Reviewed-by trailers read case-insensitively, with values trimmed and
** unfolded (libgit2 1.5.1 keeps trailing spaces, a final CR and the
** newline of a continuation line), and "unreviewed" meaning no reviewer
** other than the author (e-mails compared without case).
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

#include "audit/review.h"
#include "audit_fixture.h"

static char *ids[5];
static const char *repo_dir;

static int group_setup(void **state)
{
	(void)state;
	fx_init();
	git_libgit2_init();
	repo_dir = strdup(fx_path("r"));
	fx_rules_repo(repo_dir, ids);
	return 0;
}

static int group_teardown(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < 5; i++)
		free(ids[i]);
	free((char *)repo_dir);
	fx_cleanup();
	git_libgit2_shutdown();
	return 0;
}

/* Parses `msg` as a commit by Alice <alice@example.org> and checks the
** reviewers (NULL-terminated list) and the verdict. */
static void parse_is(const char *msg, const char *const *want, int unreviewed)
{
	au_review r;
	size_t i;

	assert_int_equal(au_review_parse(&r, msg, "Alice", "alice@example.org"), 0);
	for (i = 0; want[i]; i++) {
		if (i >= r.nreviewers)
			fail_msg("missing reviewer '%s' in \"%s\"", want[i], msg);
		assert_string_equal(r.reviewers[i], want[i]);
	}
	if (r.nreviewers != i)
		fail_msg("%zu reviewers, expected %zu, in \"%s\"", r.nreviewers, i, msg);
	assert_int_equal(au_review_is_unreviewed(&r), unreviewed);
	au_review_dispose(&r);
}

static void test_parse(void **state)
{
	static const char *const none[] = { NULL };
	static const char *const carol[] = { "Carol <c@x>", NULL };
	static const char *const bob[] = { "Bob <bob@example.org>", NULL };
	static const char *const two[] = { "Alice <ALICE@example.org>", "Dan <d@x>", NULL };
	static const char *const self[] = { "alice <Alice@Example.ORG>", NULL };

	(void)state;
	parse_is("Subject\n\nReviewed-by: Carol <c@x>\n", carol, 0);
	/* key case, space before the colon, trailing spaces */
	parse_is("Subject\n\nreviewed-by :   Carol <c@x>  \n", carol, 0);
	parse_is("Subject\n\nREVIEWED-BY: Carol <c@x>\n", carol, 0);
	/* CRLF, trailing spaces and a continuation line */
	parse_is("R1: reword\r\n\r\nReviewed-by: Bob  \r\n   <bob@example.org>  \r\n"
		 "Signed-off-by: Alice <alice@example.org>\r\n", bob, 0);
	parse_is("Subject\n\nReviewed-by: Bob\n <bob@example.org>\n", bob, 0);
	/* several, the author among them */
	parse_is("S\n\nReviewed-by: Alice <ALICE@example.org>\nAcked-by: E <e@x>\n"
		 "Reviewed-by: Dan <d@x>\n", two, 0);
	/* only the author: unreviewed (e-mails compared without case) */
	parse_is("S\n\nReviewed-by: alice <Alice@Example.ORG>\n", self, 1);
	/* no trailers at all, subject only, empty message */
	parse_is("Subject only\n", none, 1);
	parse_is("", none, 1);
	parse_is("S\n\nJust a body.\n", none, 1);
	/* trailers not in the last paragraph do not count */
	parse_is("S\n\nReviewed-by: Carol <c@x>\n\nA closing paragraph.\n", none, 1);
	/* other keys and an empty value are ignored */
	parse_is("S\n\nAcked-by: Carol <c@x>\nSigned-off-by: Alice <alice@example.org>\n",
		 none, 1);
	parse_is("S\n\nReviewed-by:\nSigned-off-by: Alice <alice@example.org>\n", none, 1);
	/* libgit2 1.5.1 folds the line after an empty value into it; git
	** reads two trailers, and so must we */
	parse_is("S\n\nReviewed-by:\nReviewed-by: Carol <c@x>\nAcked-by: x\n", carol, 0);
	parse_is("S\n\nReviewed-by:  \r\nReviewed-by: Bob\r\n  <bob@example.org>\r\n"
		 "Signed-off-by: Alice <alice@example.org>\r\n", bob, 0);
}

static void test_names_without_address(void **state)
{
	au_review r;

	(void)state;
	assert_int_equal(au_review_parse(&r, "S\n\nReviewed-by: ALICE\n", "Alice",
					 "alice@example.org"), 0);
	assert_int_equal(r.nreviewers, 1);
	assert_int_equal(au_review_is_unreviewed(&r), 1);
	au_review_dispose(&r);
	assert_int_equal(au_review_parse(&r, "S\n\nReviewed-by: Carol\n", "Alice",
					 "alice@example.org"), 0);
	assert_int_equal(au_review_is_unreviewed(&r), 0);
	au_review_dispose(&r);
	au_review_dispose(NULL);
	/* no author known (NULL): any reviewer counts */
	assert_int_equal(au_review_parse(&r, "S\n\nReviewed-by: X <x@x>\n", NULL, NULL), 0);
	assert_string_equal(r.author_name, "");
	assert_int_equal(au_review_is_unreviewed(&r), 0);
	au_review_dispose(&r);
}

static void review_of(int idx, const char *author, const char *reviewer,
		      int unreviewed)
{
	au_repo *repo = NULL;
	au_review r;
	git_oid id;

	assert_int_equal(au_repo_open(&repo, repo_dir), 0);
	assert_int_equal(git_oid_fromstr(&id, ids[idx]), 0);
	assert_int_equal(au_review_get(&r, repo, &id), 0);
	assert_string_equal(r.author_name, author);
	if (reviewer) {
		assert_int_equal(r.nreviewers, 1);
		assert_string_equal(r.reviewers[0], reviewer);
	} else {
		assert_int_equal(r.nreviewers, 0);
	}
	assert_int_equal(au_review_is_unreviewed(&r), unreviewed);
	au_review_dispose(&r);
	au_repo_free(repo);
}

static void test_fixture_commits(void **state)
{
	char *before = fx_snapshot(repo_dir), *after;
	au_repo *repo = NULL;
	au_review r;
	git_oid id;

	(void)state;
	review_of(0, "Alice", NULL, 1);
	review_of(1, "Bob", "Carol <carol@example.org>", 0);
	review_of(2, "Carol", "carol <CAROL@Example.org>", 1);
	review_of(3, "Alice", "Bob <bob@example.org>", 0);   /* the CRLF message */
	review_of(4, "Bob", NULL, 1);
	assert_int_equal(au_repo_open(&repo, repo_dir), 0);
	assert_int_equal(git_oid_fromstr(&id, "0123456789012345678901234567890123456789"), 0);
	assert_int_equal(au_review_get(&r, repo, &id), AU_EBADREV);
	au_repo_free(repo);
	after = fx_snapshot(repo_dir);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_names_without_address),
		cmocka_unit_test(test_fixture_commits),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
