/*
** test_vfs.c: the front end over files a caller supplies (fe_run_vfs):
** rule files and stored source texts come through the vfs, never from
** the file system, and the rule set's hash is the same as for the same
** bytes on disk, because both name files relative to the root.  The
** audit commands rely on this to compile a rule set from a git commit.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver.h"
#include "ident.h"

static const char rule_md[] =
	"# T\n\n```rule\nsource S \"S\"\n  publisher \"P\" year 2024\n  text \"texts/s.txt\"\n\n"
	"input m: bool \"m\"\n\nrule R \"r\"\n  when m\n  then recommend \"x\"\n"
	"  cite S at \"p. 1\" quote \"the passage\"\n```\n";
static const char text_ok[] = "Some text with the passage in it.\n";
static const char text_bad[] = "Some text without it.\n";

/* A vfs over three virtual files; counts the loads it served. */
typedef struct {
	const char *text;  /* what "/set/texts/s.txt" holds */
	int loads;
} mem_vfs;

static int mem_load(void *ctx, src_file **out, const char *path, const char **why)
{
	mem_vfs *m = ctx;
	m->loads++;
	if (strcmp(path, "/set/r.md") == 0)
		return src_from_memory(out, path, rule_md, sizeof rule_md - 1);
	if (strcmp(path, "/set/texts/s.txt") == 0)
		return src_from_memory(out, path, m->text, strlen(m->text));
	*why = "not in this commit";
	return -1;
}

static void test_vfs__reads_through_the_vfs(void **state)
{
	mem_vfs m = {text_ok, 0};
	src_vfs v = {mem_load, &m};
	const char *files[] = {"/set/r.md"};
	frontend fe;
	(void)state;
	/* None of these paths exists on disk: every byte came through v. */
	assert_int_equal(fe_run_vfs(&fe, &v, 1, files), 0);
	assert_int_equal(m.loads, 2);
	assert_int_equal((int)fe.rs.files.len, 1);
	fe_free(&fe);
}

static void test_vfs__source_text_from_the_vfs(void **state)
{
	mem_vfs m = {text_bad, 0};
	src_vfs v = {mem_load, &m};
	const char *files[] = {"/set/r.md"};
	frontend fe;
	size_t i;
	int found = 0;
	(void)state;
	/* The quote is checked against the vfs's text, which lacks it. */
	assert_int_equal(fe_run_vfs(&fe, &v, 1, files), 1);
	for (i = 0; i < fe.diag.items.len; i++) {
		const diag *g = fe.diag.items.items[i];
		if (strstr(g->msg, "does not appear in the text"))
			found = 1;
	}
	assert_true(found);
	fe_free(&fe);
}

static void test_vfs__missing_file_is_an_error(void **state)
{
	mem_vfs m = {text_ok, 0};
	src_vfs v = {mem_load, &m};
	const char *files[] = {"/set/r.md", "/set/gone.md"};
	frontend fe;
	(void)state;
	assert_int_equal(fe_run_vfs(&fe, &v, 2, files), 1);
	assert_non_null(strstr(((const diag *)fe.diag.items.items[0])->msg, "not in this commit"));
	fe_free(&fe);
}

static void mkfile(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* The same bytes on disk and through the vfs give the same hash. */
static void test_vfs__hash_equals_disk(void **state)
{
	mem_vfs m = {text_ok, 0};
	src_vfs v = {mem_load, &m};
	const char *files[] = {"/set/r.md"};
	char dir[] = "/tmp/test_vfs.XXXXXX", p[128], *paths[1], *vroot[1] = {(char *)"/set/"};
	frontend disk, mem;
	ruleset_ident id_disk, id_mem;
	arena a;
	const char *why = "";
	(void)state;

	arena_init(&a);
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof p, "%s/texts", dir);
	assert_int_equal(mkdir(p, 0777), 0);
	snprintf(p, sizeof p, "%s/r.md", dir);
	mkfile(p, rule_md);
	snprintf(p, sizeof p, "%s/texts/s.txt", dir);
	mkfile(p, text_ok);
	paths[0] = dir;

	assert_int_equal(fe_run(&disk, 1, paths), 0);
	assert_int_equal(ident_compute(&id_disk, &disk.rs, 1, paths, &a, &why), 0);
	assert_int_equal(fe_run_vfs(&mem, &v, 1, files), 0);
	assert_int_equal(ident_compute(&id_mem, &mem.rs, 1, vroot, &a, &why), 0);
	assert_string_equal(id_disk.hash, id_mem.hash);
	assert_int_equal((int)id_mem.nfiles, 2);
	assert_string_equal(id_mem.files[0], "r.md");
	assert_string_equal(id_mem.files[1], "texts/s.txt");
	/* The commit of vfs files is the caller's to stamp.  "/set/" is a
	 * directory by its trailing '/', though no such directory exists. */
	assert_null(id_mem.commit);

	fe_free(&disk);
	fe_free(&mem);
	arena_free(&a);
	snprintf(p, sizeof p, "rm -rf '%s'", dir);
	assert_int_equal(system(p), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vfs__reads_through_the_vfs),
		cmocka_unit_test(test_vfs__source_text_from_the_vfs),
		cmocka_unit_test(test_vfs__missing_file_is_an_error),
		cmocka_unit_test(test_vfs__hash_equals_disk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
