/*
** test_audit_repo.c: unit tests for audit/repo.c (au_repo_*): opening
** repositories in every state the audit must explain (not a repository,
** SHA-256, owned by another user, shallow, unborn, detached), resolving
** revisions, reading rule files from git objects at a commit rather than
** from the working tree, and the dirty-tree check.  After every
** operation `git status`, .git/index, .git/HEAD and the branches must be
** byte-identical (the audit never writes them).
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "audit/repo.h"
#include "audit_fixture.h"

static char *ids[5];
static const char *repo_dir;

static const char x_v1_line10[] = "r2 egfr < 30\n";

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

static void oid_is(const git_oid *id, const char *hex)
{
	char buf[GIT_OID_HEXSZ + 1];

	assert_string_equal(git_oid_tostr(buf, sizeof buf, id), hex);
}

static void error_has(const char *needle)
{
	if (!strstr(au_error_last(), needle))
		fail_msg("error \"%s\" lacks \"%s\"", au_error_last(), needle);
}

/* ---- opening ---------------------------------------------------------- */

static void test_open_and_resolve(void **state)
{
	au_repo *r = NULL;
	char *before = fx_snapshot(repo_dir), *after;
	git_oid id;

	(void)state;
	/* from a subdirectory: the repository is found upward */
	assert_int_equal(au_repo_open(&r, fx_path("r/rules")), 0);
	assert_int_equal(au_repo_is_shallow(r), 0);
	assert_int_equal(au_repo_require_full_history(r), 0);
	assert_int_equal(au_repo_resolve(&id, r, NULL), 0);
	oid_is(&id, ids[4]);
	assert_int_equal(au_repo_resolve(&id, r, "HEAD~4"), 0);
	oid_is(&id, ids[0]);
	assert_int_equal(au_repo_resolve(&id, r, "main^"), 0);
	oid_is(&id, ids[3]);
	assert_int_equal(au_repo_resolve(&id, r, "nosuchrev"), AU_EBADREV);
	assert_string_equal(au_error_last(), "unknown revision 'nosuchrev'");
	assert_int_equal(au_repo_resolve(&id, r, "HEAD~9"), AU_EBADREV);
	assert_int_equal(au_repo_resolve(&id, r, "HEAD:rules"), AU_EBADREV);
	assert_string_equal(au_error_last(),
			    "revision 'HEAD:rules' does not name a commit");
	au_repo_free(r);
	au_repo_free(NULL);
	after = fx_snapshot(repo_dir);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void test_not_a_repository(void **state)
{
	au_repo *r = (au_repo *)1;

	(void)state;
	assert_int_equal(fx_sh("mkdir -p '%s'", fx_path("plain/dir")), 0);
	assert_int_equal(au_repo_open(&r, fx_path("plain/dir")), AU_ENOTREPO);
	assert_null(r);
	error_has("is not inside a git repository");
	assert_int_equal(au_repo_open(&r, fx_path("nowhere")), AU_ENOTREPO);
	error_has("does not exist");
}

static void test_sha256_repository(void **state)
{
	au_repo *r = NULL;

	(void)state;
	if (fx_sh("git init -q --object-format=sha256 '%s' 2>/dev/null",
		  fx_path("sha256")) != 0)
		skip();
	assert_int_equal(au_repo_open(&r, fx_path("sha256")), AU_EUNSUPPORTED);
	assert_null(r);
	error_has("SHA-256");
}

/* libgit2 1.5.1 reports another user's repository as "config value
** 'safe.directory' was not found" (-3); the audit must say what it is.
** Needs root to give the repository away. */
static void test_owned_by_another_user(void **state)
{
	const char *dir = fx_path("theirs");
	au_repo *r = NULL;
	char *real;

	(void)state;
	if (geteuid() != 0)
		skip();
	assert_int_equal(fx_sh("git init -q '%s' && chown -R 65534:65534 '%s'",
			       dir, dir), 0);
	assert_int_equal(au_repo_open(&r, dir), AU_EOWNER);
	assert_null(r);
	error_has("owned by another user");
	error_has("git config --global --add safe.directory ");
	/* the suggested fix works: the exact path (HOME is the scratch root) */
	real = fx_out("cd '%s' && pwd -P", dir);
	error_has(real);
	assert_int_equal(fx_sh("git config --global --add safe.directory '%s'", real), 0);
	assert_int_equal(au_repo_open(&r, dir), 0);
	au_repo_free(r);
	assert_int_equal(fx_sh("git config --global --unset-all safe.directory"), 0);
	free(real);
}

static void test_shallow_clone(void **state)
{
	const char *dir = fx_path("shallow");
	au_repo *r = NULL;
	git_oid id;

	(void)state;
	assert_int_equal(fx_sh("git clone -q --depth 1 'file://%s' '%s' 2>/dev/null",
			       repo_dir, dir), 0);
	assert_int_equal(au_repo_open(&r, dir), 0);
	assert_int_equal(au_repo_is_shallow(r), 1);
	assert_int_equal(au_repo_require_full_history(r), AU_ESHALLOW);
	error_has("audit needs full history (git fetch --unshallow)");
	/* reading objects of the one commit it has still works */
	assert_int_equal(au_repo_resolve(&id, r, NULL), 0);
	oid_is(&id, ids[4]);
	au_repo_free(r);
}

static void test_unborn_branch(void **state)
{
	const char *dir = fx_path("unborn");
	au_repo *r = NULL;
	au_dirty d;
	git_oid id;

	(void)state;
	assert_int_equal(fx_sh("git init -q -b trunk '%s'", dir), 0);
	assert_int_equal(au_repo_open(&r, dir), 0);
	assert_int_equal(au_repo_resolve(&id, r, NULL), AU_EUNBORN);
	assert_string_equal(au_error_last(),
			    "branch 'trunk' has no commits yet (unborn branch); "
			    "commit the rule files first");
	assert_int_equal(au_repo_resolve(&id, r, "HEAD~1"), AU_EUNBORN);
	/* the dirty check works before the first commit */
	fx_write(fx_path("unborn/rules/a.md"), "a\n");
	assert_int_equal(au_repo_dirty(&d, r, NULL, 0), 0);
	assert_int_equal(d.nentries, 1);
	assert_string_equal(d.entries[0].path, "rules/a.md");
	assert_int_equal(d.entries[0].flags, GIT_STATUS_WT_NEW);
	au_dirty_dispose(&d);
	au_repo_free(r);
}

static void test_detached_head(void **state)
{
	const char *dir = fx_path("detached");
	au_repo *r = NULL;
	git_oid id;

	(void)state;
	assert_int_equal(fx_sh("git clone -q '%s' '%s' && git -C '%s' checkout -q --detach HEAD~2",
			       repo_dir, dir, dir), 0);
	assert_int_equal(au_repo_open(&r, dir), 0);
	assert_int_equal(au_repo_resolve(&id, r, NULL), 0);
	oid_is(&id, ids[2]);
	assert_int_equal(au_repo_resolve(&id, r, "HEAD"), 0);
	oid_is(&id, ids[2]);
	au_repo_free(r);
}

/* ---- reading at a commit ---------------------------------------------- */

static git_oid oid_of(const char *hex)
{
	git_oid id;

	assert_int_equal(git_oid_fromstr(&id, hex), 0);
	return id;
}

static void test_files_at_old_commit(void **state)
{
	au_repo *r = NULL;
	au_fileset fs;
	git_oid c0 = oid_of(ids[0]);
	char *before, *after, *x0;

	(void)state;
	/* The working tree differs from every commit: listing must not
	** look at it. */
	fx_write(fx_path("r/rules/x.md"), "edited in the working tree\n");
	fx_write(fx_path("r/rules/untracked.md"), "new\n");
	before = fx_snapshot(repo_dir);
	assert_int_equal(au_repo_open(&r, repo_dir), 0);
	assert_int_equal(au_repo_files(&fs, r, &c0, "rules"), 0);
	assert_int_equal(fs.nfiles, 2);
	assert_string_equal(fs.files[0].path, "rules/sub/y.md");
	assert_string_equal(fs.files[1].path, "rules/x.md");
	assert_string_equal((char *)fs.files[0].data, "# Y\n");
	x0 = fx_out("git -C '%s' show %s:rules/x.md", repo_dir, ids[0]);
	assert_int_equal(fs.files[1].size, strlen(x0) + 1);  /* fx_out drops the LF */
	assert_memory_equal(fs.files[1].data, x0, strlen(x0));
	assert_non_null(strstr((char *)fs.files[1].data, x_v1_line10));
	assert_int_equal(fs.nnotes, 0);
	au_fileset_dispose(&fs);
	au_fileset_dispose(NULL);

	/* the same, spelled differently */
	assert_int_equal(au_repo_files(&fs, r, &c0, "./rules//"), 0);
	assert_int_equal(fs.nfiles, 2);
	au_fileset_dispose(&fs);
	/* the root: every *.md of the commit */
	assert_int_equal(au_repo_files(&fs, r, &c0, ""), 0);
	assert_int_equal(fs.nfiles, 3);
	assert_string_equal(fs.files[0].path, "README.md");
	au_fileset_dispose(&fs);
	/* one file, whatever its name */
	assert_int_equal(au_repo_files(&fs, r, &c0, "rules/notes.txt"), 0);
	assert_int_equal(fs.nfiles, 1);
	assert_string_equal((char *)fs.files[0].data, "not a rule file\n");
	au_fileset_dispose(&fs);
	free(x0);
	au_repo_free(r);
	after = fx_snapshot(repo_dir);
	assert_string_equal(before, after);
	free(before);
	free(after);
	assert_int_equal(fx_sh("cd '%s' && git checkout -q rules/x.md && rm rules/untracked.md",
			       repo_dir), 0);
}

static void test_symlinks_and_submodules_reported(void **state)
{
	au_repo *r = NULL;
	au_fileset fs;
	git_oid c4 = oid_of(ids[4]);

	(void)state;
	assert_int_equal(au_repo_open(&r, repo_dir), 0);
	assert_int_equal(au_repo_files(&fs, r, &c4, "rules"), 0);
	assert_int_equal(fs.nfiles, 1);                   /* sub/y.md deleted */
	assert_string_equal(fs.files[0].path, "rules/x.md");
	assert_non_null(strstr((char *)fs.files[0].data, "## R1 (renamed)\n"));
	assert_int_equal(fs.nnotes, 2);
	assert_string_equal(fs.notes[0].path, "rules/link.md");
	assert_int_equal(fs.notes[0].kind, AU_ENTRY_SYMLINK);
	assert_string_equal(fs.notes[1].path, "rules/vendor");
	assert_int_equal(fs.notes[1].kind, AU_ENTRY_SUBMODULE);
	au_fileset_dispose(&fs);
	assert_int_equal(au_repo_files(&fs, r, &c4, "rules/link.md"), AU_EINVALID);
	error_has("'rules/link.md' is a symbolic link at commit ");
	assert_int_equal(fs.nfiles, 0);
	assert_int_equal(au_repo_files(&fs, r, &c4, "rules/vendor"), AU_EINVALID);
	error_has("is a submodule");
	au_repo_free(r);
}

static void test_bad_paths(void **state)
{
	au_repo *r = NULL;
	au_fileset fs;
	git_oid c4 = oid_of(ids[4]);
	unsigned char *data = (unsigned char *)"x";
	size_t n = 9;

	(void)state;
	assert_int_equal(au_repo_open(&r, repo_dir), 0);
	assert_int_equal(au_repo_files(&fs, r, &c4, "rules/sub"), AU_ENOTFOUND);
	assert_int_equal(strncmp(au_error_last(),
				 "'rules/sub' does not exist at commit ", 37), 0);
	assert_int_equal(au_repo_files(&fs, r, &c4, "../etc"), AU_EINVALID);
	assert_int_equal(au_repo_files(&fs, r, &c4, "/etc"), AU_EINVALID);
	assert_int_equal(au_repo_files(&fs, r, &c4, "rules/../x"), AU_EINVALID);
	assert_int_equal(au_repo_read(&data, &n, r, &c4, "rules"), AU_EINVALID);
	assert_null(data);
	assert_int_equal(n, 0);
	error_has("is a directory");
	assert_int_equal(au_repo_read(&data, &n, r, &c4, "rules/none.md"), AU_ENOTFOUND);
	au_repo_free(r);
}

static void test_read_blob(void **state)
{
	au_repo *r = NULL;
	git_oid c0 = oid_of(ids[0]), c2 = oid_of(ids[2]);
	unsigned char *data = NULL;
	size_t n = 0;

	(void)state;
	assert_int_equal(au_repo_open(&r, repo_dir), 0);
	assert_int_equal(au_repo_read(&data, &n, r, &c0, "rules/x.md"), 0);
	assert_non_null(strstr((char *)data, "r3 dose 60 mg\n"));
	free(data);
	assert_int_equal(au_repo_read(&data, &n, r, &c2, "rules/x.md"), 0);
	assert_non_null(strstr((char *)data, "r3 dose 30 mg\n"));
	assert_int_equal(n, strlen((char *)data));
	free(data);
	au_repo_free(r);
}

/* ---- dirty check ------------------------------------------------------ */

static void test_dirty_tree(void **state)
{
	const char *dir = fx_path("dirty");
	const char *rules[] = { "rules" };
	const char *docs[] = { "docs", "rules/none" };
	const char *root[] = { "rules", "." };
	au_repo *r = NULL;
	au_dirty d;
	char *before, *after, *index_before, *index_after;
	size_t ni_before, ni_after;

	(void)state;
	assert_int_equal(fx_sh("git clone -q '%s' '%s'", repo_dir, dir), 0);
	assert_int_equal(au_repo_open(&r, dir), 0);
	assert_int_equal(au_repo_dirty(&d, r, rules, 1), 0);
	assert_int_equal(d.nentries, 0);
	assert_int_equal(d.bare, 0);
	au_dirty_dispose(&d);

	fx_write(fx_path("dirty/rules/x.md"), "modified\n");
	fx_write(fx_path("dirty/rules/new/deep.md"), "untracked\n");
	fx_write(fx_path("dirty/rules/a.log"), "ignored\n");
	fx_write(fx_path("dirty/.gitignore"), "*.log\n");
	fx_write(fx_path("dirty/README.md"), "staged\n");
	assert_int_equal(fx_sh("cd '%s' && git add README.md", dir), 0);
	/* a tracked file whose stat data is stale but whose content is
	** not: a status that refreshed the index would rewrite it */
	assert_int_equal(fx_sh("touch -m -d '2030-01-01 00:00' '%s/rules/notes.txt'", dir), 0);
	before = fx_snapshot(dir);
	index_before = fx_read(fx_path("dirty/.git/index"), &ni_before);

	assert_int_equal(au_repo_dirty(&d, r, rules, 1), 0);
	assert_int_equal(d.nentries, 2);
	assert_string_equal(d.entries[0].path, "rules/new/deep.md");
	assert_int_equal(d.entries[0].flags, GIT_STATUS_WT_NEW);
	assert_string_equal(d.entries[1].path, "rules/x.md");
	assert_int_equal(d.entries[1].flags, GIT_STATUS_WT_MODIFIED);
	au_dirty_dispose(&d);

	assert_int_equal(au_repo_dirty(&d, r, docs, 2), 0);
	assert_int_equal(d.nentries, 0);
	au_dirty_dispose(&d);

	/* the whole repository: the staged README and .gitignore too */
	assert_int_equal(au_repo_dirty(&d, r, NULL, 0), 0);
	assert_int_equal(d.nentries, 4);
	assert_string_equal(d.entries[0].path, ".gitignore");
	assert_string_equal(d.entries[1].path, "README.md");
	assert_int_equal(d.entries[1].flags, GIT_STATUS_INDEX_MODIFIED);
	au_dirty_dispose(&d);
	assert_int_equal(au_repo_dirty(&d, r, root, 2), 0);
	assert_int_equal(d.nentries, 4);
	au_dirty_dispose(&d);
	au_dirty_dispose(NULL);

	after = fx_snapshot(dir);
	assert_string_equal(before, after);
	index_after = fx_read(fx_path("dirty/.git/index"), &ni_after);
	assert_int_equal(ni_before, ni_after);
	assert_memory_equal(index_before, index_after, ni_before);
	free(before);
	free(after);
	free(index_before);
	free(index_after);
	au_repo_free(r);
}

static void test_dirty_bare(void **state)
{
	const char *dir = fx_path("bare.git");
	au_repo *r = NULL;
	au_dirty d;
	git_oid id;

	(void)state;
	assert_int_equal(fx_sh("git clone -q --bare '%s' '%s'", repo_dir, dir), 0);
	assert_int_equal(au_repo_open(&r, dir), 0);
	assert_int_equal(au_repo_dirty(&d, r, NULL, 0), 0);
	assert_int_equal(d.bare, 1);
	assert_int_equal(d.nentries, 0);
	assert_int_equal(au_repo_resolve(&id, r, NULL), 0);
	oid_is(&id, ids[4]);
	au_repo_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_and_resolve),
		cmocka_unit_test(test_not_a_repository),
		cmocka_unit_test(test_sha256_repository),
		cmocka_unit_test(test_owned_by_another_user),
		cmocka_unit_test(test_shallow_clone),
		cmocka_unit_test(test_unborn_branch),
		cmocka_unit_test(test_detached_head),
		cmocka_unit_test(test_files_at_old_commit),
		cmocka_unit_test(test_symlinks_and_submodules_reported),
		cmocka_unit_test(test_bad_paths),
		cmocka_unit_test(test_read_blob),
		cmocka_unit_test(test_dirty_tree),
		cmocka_unit_test(test_dirty_bare),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
