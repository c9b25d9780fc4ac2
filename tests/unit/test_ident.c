/*
** test_ident.c: unit tests of ident.c (path normalisation, the rule set's
** root, names relative to it, the hash framing) and jtext.c (JSON strings
** from bytes that are not UTF-8).  The hash is checked against input
** framed by hand here, as docs/runtime.md describes it, so a change of
** framing in ident.c cannot pass unnoticed.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver.h"
#include "ident.h"
#include "jtext.h"

static arena a;

static int setup(void **state)
{
	(void)state;
	arena_init(&a);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(&a);
	return 0;
}

static void test_ident__normalize(void **state)
{
	char cwd[4096];
	(void)state;
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_string_equal(ident_normalize(&a, "/a//b/./c/"), "/a/b/c");
	assert_string_equal(ident_normalize(&a, "/a/b/../c"), "/a/c");
	assert_string_equal(ident_normalize(&a, "/../.."), "/");
	assert_string_equal(ident_normalize(&a, "/"), "/");
	assert_string_equal(ident_normalize(&a, "///"), "/");
	assert_string_equal(ident_normalize(&a, "."), strcmp(cwd, "/") ? cwd : "/");
	assert_string_equal(ident_normalize(&a, "x//"), arena_printf(&a, "%s/x", strcmp(cwd, "/") ? cwd : ""));
}

static void mkfile(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char tmpl[64];

static void make_tree(void)
{
	char p[256];
	strcpy(tmpl, "/tmp/test_ident.XXXXXX");
	assert_non_null(mkdtemp(tmpl));
	snprintf(p, sizeof p, "%s/r", tmpl);
	assert_int_equal(mkdir(p, 0777), 0);
	snprintf(p, sizeof p, "%s/r/sub", tmpl);
	assert_int_equal(mkdir(p, 0777), 0);
	snprintf(p, sizeof p, "%s/shared", tmpl);
	assert_int_equal(mkdir(p, 0777), 0);
	snprintf(p, sizeof p, "%s/r/x.md", tmpl);
	mkfile(p, "x");
	snprintf(p, sizeof p, "%s/r/sub/y.md", tmpl);
	mkfile(p, "y");
}

static void remove_tree(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpl);
	assert_int_equal(system(cmd), 0);
}

static void test_ident__root(void **state)
{
	char *p[3];
	(void)state;
	make_tree();
	p[0] = arena_printf(&a, "%s/r/", tmpl);
	assert_string_equal(ident_root(&a, 1, p), arena_printf(&a, "%s/r", tmpl));
	p[0] = arena_printf(&a, "%s//r/x.md", tmpl);
	assert_string_equal(ident_root(&a, 1, p), arena_printf(&a, "%s/r", tmpl));
	/* Several paths: the deepest common ancestor, on component boundaries. */
	p[0] = arena_printf(&a, "%s/r/x.md", tmpl);
	p[1] = arena_printf(&a, "%s/r/sub/./y.md", tmpl);
	assert_string_equal(ident_root(&a, 2, p), arena_printf(&a, "%s/r", tmpl));
	p[1] = arena_printf(&a, "%s/shared", tmpl);
	assert_string_equal(ident_root(&a, 2, p), tmpl);
	remove_tree();
}

static void sha_hex(char out[65], const char *data, size_t len)
{
	unsigned char dig[EVP_MAX_MD_SIZE];
	unsigned int n = 0, k;
	EVP_Digest(data, len, dig, &n, EVP_sha256(), NULL);
	for (k = 0; k < 32; k++)
		snprintf(out + 2 * k, 3, "%02x", dig[k]);
}

/* A rule file citing a text outside the root: named "../shared/s.txt". */
static void test_ident__hash_framing(void **state)
{
	static const char rule[] = "# T\n\n```rule\nsource S \"S\"\n  publisher \"P\" year 2024\n"
				   "  text \"../shared/s.txt\"\n\ninput m: bool \"m\"\n\nrule R \"r\"\n"
				   "  when m\n  then defer \"d\"\n  cite S at \"1\" quote \"quoted words\"\n```\n";
	static const char text[] = "The quoted words.\n";
	char p[256], want[65];
	char *paths[1], *framed;
	frontend fe;
	ruleset_ident id;
	const char *why = "";
	(void)state;

	make_tree();
	snprintf(p, sizeof p, "%s/r/x.md", tmpl);
	mkfile(p, rule);
	snprintf(p, sizeof p, "%s/r/sub/y.md", tmpl);
	unlink(p);
	snprintf(p, sizeof p, "%s/shared/s.txt", tmpl);
	mkfile(p, text);
	paths[0] = arena_printf(&a, "%s/r/", tmpl);
	assert_int_equal(fe_run(&fe, 1, paths), 0);
	assert_int_equal(ident_compute(&id, &fe.rs, 1, paths, &a, &why), 0);
	assert_int_equal(id.nfiles, 2);
	assert_string_equal(id.files[0], "../shared/s.txt"); /* '.' sorts before 'x' */
	assert_string_equal(id.files[1], "x.md");
	framed = arena_printf(&a, "15\n../shared/s.txt\n%zu\n%s4\nx.md\n%zu\n%s", strlen(text), text, strlen(rule), rule);
	sha_hex(want, framed, strlen(framed));
	assert_string_equal(id.hash, want);
	fe_free(&fe);
	remove_tree();
}

static void test_jtext__escapes_invalid_bytes(void **state)
{
	json_t *j;
	(void)state;
	j = jtext_string("plain \xe6\x9d\x8e text");
	assert_string_equal(json_string_value(j), "plain \xe6\x9d\x8e text");
	json_decref(j);
	j = jtext_string("a\xff" "b");
	assert_string_equal(json_string_value(j), "a\\xFFb");
	json_decref(j);
	/* A truncated sequence, an overlong form and a surrogate. */
	j = jtext_string("\xe6\x9d|\xc0\xaf|\xed\xa0\x80");
	assert_string_equal(json_string_value(j), "\\xE6\\x9D|\\xC0\\xAF|\\xED\\xA0\\x80");
	json_decref(j);
	assert_null(jtext_string(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ident__normalize, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ident__root, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ident__hash_framing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_jtext__escapes_invalid_bytes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
