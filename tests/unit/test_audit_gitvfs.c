/*
** test_audit_gitvfs.c: the front end compiling a rule set from git
** objects (audit/gitvfs.c over fe_run_vfs): the rule files and the stored
** source texts come from the commit, not from the working tree; the hash
** equals the hash of the same files checked out; paths that climb out of
** the repository are refused.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_fixture.h"
#include "audit/gitvfs.h"
#include "driver.h"
#include "ident.h"

static const char rule_v1[] =
	"# T\n\n```rule\nsource S \"S\"\n  publisher \"P\" year 2024\n  text \"sources/s.txt\"\n\n"
	"input m: bool \"m\"\n\nrule R \"r\"\n  when m\n  then recommend \"x\"\n"
	"  cite S at \"p. 1\" quote \"the first passage\"\n```\n";
static const char rule_v2[] =
	"# T\n\n```rule\nsource S \"S\"\n  publisher \"P\" year 2024\n  text \"sources/s.txt\"\n\n"
	"input m: bool \"m\"\n\nrule R \"r\"\n  when m\n  then recommend \"x\"\n"
	"  cite S at \"p. 1\" quote \"the second passage\"\n```\n";

static char *c1, *c2;
static char *repo_dir;  /* fx_path storage rotates: a copy */

static int setup(void **state)
{
	(void)state;
	fx_init();
	git_libgit2_init();
	repo_dir = strdup(fx_path("r"));
	assert_non_null(repo_dir);
	fx_sh("git init -q '%s'", repo_dir);
	fx_write(fx_path("r/rules/x.md"), rule_v1);
	fx_write(fx_path("r/rules/sources/s.txt"), "Here is the first passage.\n");
	c1 = fx_commit(repo_dir, "Alice", 1706000000, "v1");
	fx_write(fx_path("r/rules/x.md"), rule_v2);
	fx_write(fx_path("r/rules/sources/s.txt"), "Here is the second passage.\n");
	c2 = fx_commit(repo_dir, "Bob", 1706100000, "v2");
	/* The working tree differs from both commits. */
	fx_write(fx_path("r/rules/sources/s.txt"), "Nothing of the kind.\n");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(c1);
	free(c2);
	free(repo_dir);
	git_libgit2_shutdown();
	fx_cleanup();
	return 0;
}

/* Compiles rules/ at commit hex; returns the error count, hash in out. */
static int compile_at(const char *hex, char out[65])
{
	au_repo *r = NULL;
	git_oid oid;
	au_gitvfs g;
	frontend fe;
	arena a;
	ruleset_ident id;
	const char *why = "", *files[] = {"/rules/x.md"};
	char *roots[] = {(char *)"/rules/"};
	int errors;

	assert_int_equal(au_repo_open(&r, repo_dir), 0);
	assert_int_equal(git_oid_fromstr(&oid, hex), 0);
	au_gitvfs_init(&g, r, &oid);
	arena_init(&a);
	errors = fe_run_vfs(&fe, &g.vfs, 1, files);
	assert_int_equal(g.loads, 2); /* the rule file and its source text */
	assert_int_equal(ident_compute(&id, &fe.rs, 1, roots, &a, &why), 0);
	memcpy(out, id.hash, 65);
	fe_free(&fe);
	arena_free(&a);
	au_repo_free(r);
	return errors;
}

static void test_gitvfs__each_commit_checks_against_its_own_text(void **state)
{
	char h1[65], h2[65];
	(void)state;
	/* Each commit's quote is in that commit's text; the working tree's
	 * text has neither, so reading it would fail both. */
	assert_int_equal(compile_at(c1, h1), 0);
	assert_int_equal(compile_at(c2, h2), 0);
	assert_string_not_equal(h1, h2);
}

static void test_gitvfs__hash_equals_checkout(void **state)
{
	char h2[65], *paths[1];
	frontend fe;
	arena a;
	ruleset_ident id;
	const char *why = "";
	(void)state;
	assert_int_equal(compile_at(c2, h2), 0);
	/* Restore the working tree to c2 and hash it from disk. */
	assert_int_equal(fx_sh("cd '%s' && git checkout -q -- rules", repo_dir), 0);
	paths[0] = (char *)fx_path("r/rules");
	arena_init(&a);
	assert_int_equal(fe_run(&fe, 1, paths), 0);
	assert_int_equal(ident_compute(&id, &fe.rs, 1, paths, &a, &why), 0);
	assert_string_equal(id.hash, h2);
	fe_free(&fe);
	arena_free(&a);
	fx_write(fx_path("r/rules/sources/s.txt"), "Nothing of the kind.\n");
}

static void test_gitvfs__refuses_paths_outside(void **state)
{
	au_repo *r = NULL;
	git_oid oid;
	au_gitvfs g;
	src_file *f = NULL;
	const char *why = "";
	(void)state;
	assert_int_equal(au_repo_open(&r, repo_dir), 0);
	assert_int_equal(git_oid_fromstr(&oid, c1), 0);
	au_gitvfs_init(&g, r, &oid);
	assert_int_equal(src_load_via(&g.vfs, &f, "/rules/../../etc/passwd", &why), -1);
	assert_non_null(strstr(why, "outside the repository"));
	assert_int_equal(src_load_via(&g.vfs, &f, "/rules/gone.md", &why), -1);
	assert_true(strlen(why) > 0);
	/* "/rules/./sources/../x.md" is rules/x.md. */
	assert_int_equal(src_load_via(&g.vfs, &f, "/rules/./sources/../x.md", &why), 0);
	assert_int_equal((int)f->len, (int)strlen(rule_v1));
	src_free(f);
	au_repo_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gitvfs__each_commit_checks_against_its_own_text),
		cmocka_unit_test(test_gitvfs__hash_equals_checkout),
		cmocka_unit_test(test_gitvfs__refuses_paths_outside),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
