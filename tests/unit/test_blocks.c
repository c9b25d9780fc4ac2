/*
** test_blocks.c: the rule scanner reads exactly what cmark calls rule
** blocks.
**
** A property over tricky inputs (fence characters and lengths, info
** strings, containers, CRLF, lone CR, a byte-order mark, no final newline,
** an unclosed block at the end of the file): cmark is asked directly for
** its top-level code blocks whose info string starts with the word `rule`,
** and
**   (a) the byte ranges parse.c hands the scanner hold the same text as
**       cmark's code block contents (compared line by line with leading
**       blanks and line terminators set aside, since cmark strips a
**       fence's indentation and the rule language ignores it), and
**   (b) the inputs declared are exactly the ones written in those blocks
**       (every block of these inputs declares `input NAME: bool "t"`), so
**       nothing is dropped and nothing from prose or from another kind of
**       block is read.
** Then the unclosed-block cases: where a block is cut, which error, and
** that the later block is read.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cmark-gfm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "parse.h"

static const char *const inputs[] = {
	"```rule\ninput a1: bool \"t\"\n```\n",
	"~~~rule\ninput a1: bool \"t\"\n~~~\n",
	"```rule\ninput a1: bool \"t\"\n``````\n",
	"~~~~rule extra words\ninput a1: bool \"t\"\n~~~~~   \n",
	"```rules\ninput a1: bool \"t\"\n```\n```ruleset\ninput a2: bool \"t\"\n```\n```rule\ninput a3: bool \"t\"\n```\n",
	"```rule `x`\ninput a1: bool \"t\"\n```\n",
	"~~~rule `x`\ninput a1: bool \"t\"\n~~~\n",
	("- item\n\n  ```rule\n  input a1: bool \"t\"\n  ```\n\n> ```rule\n> input a2: bool \"t\"\n> ```\n\n"
	 "```rule\ninput a3: bool \"t\"\n```\n"),
	"```rule\r\ninput a1: bool \"t\"\r\n```\r\n\r\ntext\r\n```rule\r\ninput a2: bool \"t\"\r\n```\r\n",
	"```rule\rinput a1: bool \"t\"\r```\r\rtext\r```rule\rinput a2: bool \"t\"\r```",
	"\xEF\xBB\xBF```rule\ninput a1: bool \"t\"\n```\n",
	"```rule\ninput a1: bool \"t\"\n```",
	"text\n\n```rule\ninput a1: bool \"t\"\n",
	"  ```rule\n  input a1: bool \"t\"\n   ```\n ```rule\ninput a2: bool \"t\"\n  ```\n",
	"````markdown\n```rule\ninput a1: bool \"t\"\n```\n````\n```rule\ninput a2: bool \"t\"\n```\n",
	"\t```rule\ninput a1: bool \"t\"\n```\n",
	"    ```rule\n    input a1: bool \"t\"\n    ```\n",
	"```rule",
	"Text\n```rule\ninput a1: bool \"t\"\n```\n---\n",
	"<div>\n```rule\ninput a1: bool \"t\"\n```\n</div>\n",
	"# H\n```rule\ninput a1: bool \"t\" # c\n\n\ninput a2: bool \"t\"\n```\n~~~\n```rule\ninput a3: bool \"t\"\n```\n~~~\n",
	"```rule\ninput a1: bool \"t\"\n````\n\n```` rule\ninput a2: bool \"t\"\n```\n````\n",
};

/* The text with each line's leading blanks and terminator removed, and
 * lines joined by '\n' (CRLF and a lone CR end lines as LF does). */
static char *normalize(const char *s, size_t n)
{
	char *out = malloc(n + 2);
	size_t i = 0, k = 0;
	int bol = 1;

	assert_non_null(out);
	while (i < n) {
		char c = s[i++];
		if (c == '\r' && i < n && s[i] == '\n')
			i++;
		if (c == '\r' || c == '\n') {
			out[k++] = '\n';
			bol = 1;
		} else if (bol && (c == ' ' || c == '\t')) {
			continue;
		} else {
			out[k++] = c;
			bol = 0;
		}
	}
	out[k] = '\0';
	return out;
}

static int rule_info(const char *info)
{
	return info && strncmp(info, "rule", 4) == 0 && (info[4] == '\0' || info[4] == ' ' || info[4] == '\t');
}

/* cmark's top-level rule code blocks' contents, normalized. */
static size_t cmark_rule_blocks(const char *text, char **out, size_t max)
{
	cmark_node *doc = cmark_parse_document(text, strlen(text), CMARK_OPT_DEFAULT);
	cmark_node *n;
	size_t k = 0;

	for (n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
		const char *lit;
		if (cmark_node_get_type(n) != CMARK_NODE_CODE_BLOCK || !rule_info(cmark_node_get_fence_info(n)))
			continue;
		lit = cmark_node_get_literal(n);
		assert_true(k < max);
		out[k++] = normalize(lit ? lit : "", lit ? strlen(lit) : 0);
	}
	cmark_node_free(doc);
	return k;
}

/* The names after "input " in the text, space-separated. */
static void input_names(const char *s, char *out, size_t cap)
{
	const char *p = s;
	out[0] = '\0';
	while ((p = strstr(p, "input ")) != NULL) {
		size_t w;
		p += 6;
		w = strcspn(p, ":");
		snprintf(out + strlen(out), cap - strlen(out), "%.*s ", (int)w, p);
	}
}

static void check_one(const char *text)
{
	char *want[16];
	size_t nwant = cmark_rule_blocks(text, want, 16), i;
	arena a;
	diag_ctx d;
	ruleset_ast rs;
	ptrvec lexed = {0};
	src_file *f;
	char want_names[256] = "", got_names[256] = "";

	arena_init(&a);
	diag_init(&d, &a);
	memset(&rs, 0, sizeof rs);
	assert_int_equal(src_from_memory(&f, "t.md", text, strlen(text)), 0);
	parse_file_traced(&rs, &a, &d, f, &lexed);

	/* (a) the same blocks, the same text. */
	if (lexed.len != 2 * nwant)
		fail_msg("input %s: scanner read %zu blocks, cmark has %zu", text, lexed.len / 2, nwant);
	for (i = 0; i < nwant; i++) {
		uint32_t s = (uint32_t)(uintptr_t)lexed.items[2 * i], e = (uint32_t)(uintptr_t)lexed.items[2 * i + 1];
		char *got = normalize(f->text + s, e - s);
		if (strcmp(got, want[i]) != 0)
			fail_msg("input %s: block %zu: scanner read [%s], cmark has [%s]", text, i, got, want[i]);
		free(got);
	}

	/* (b) the declarations are the ones written in cmark's rule blocks. */
	for (i = 0; i < nwant; i++) {
		input_names(want[i], want_names + strlen(want_names), sizeof want_names - strlen(want_names));
		free(want[i]);
	}
	for (i = 0; i < rs.decls.len; i++) {
		const decl *dc = rs.decls.items[i];
		snprintf(got_names + strlen(got_names), sizeof got_names - strlen(got_names), "%s ", dc->id.name);
	}
	if (strcmp(want_names, got_names) != 0)
		fail_msg("input %s: declared [%s], cmark's rule blocks declare [%s]", text, got_names, want_names);
	src_free(f);
	arena_free(&a);
}

static void test_blocks__scanner_reads_what_cmark_reads(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
		check_one(inputs[i]);
}

/* The same property through the whole front end (fe_run_memory), for
 * the declarations alone. */
static void test_blocks__declarations_match_cmark(void **state)
{
	size_t i, k;
	(void)state;
	for (i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		frontend fe;
		char *want[16];
		size_t nwant = cmark_rule_blocks(inputs[i], want, 16);
		char want_names[256] = "", got_names[256] = "";
		for (k = 0; k < nwant; k++) {
			input_names(want[k], want_names + strlen(want_names), sizeof want_names - strlen(want_names));
			free(want[k]);
		}
		fe_run_memory(&fe, "t.md", inputs[i], strlen(inputs[i]));
		for (k = 0; k < fe.rs.decls.len; k++) {
			const decl *dc = fe.rs.decls.items[k];
			snprintf(got_names + strlen(got_names), sizeof got_names - strlen(got_names), "%s ", dc->id.name);
		}
		fe_free(&fe);
		if (strcmp(want_names, got_names) != 0)
			fail_msg("input %zu %s: declared [%s], cmark's rule blocks declare [%s]", i, inputs[i], got_names,
				 want_names);
	}
}

static frontend fe;

static int teardown(void **state)
{
	(void)state;
	fe_free(&fe);
	return 0;
}

static size_t count_diag(const char *id)
{
	size_t i, n = 0;
	for (i = 0; i < fe.diag.items.len; i++)
		if (strcmp(((const diag *)fe.diag.items.items[i])->id, id) == 0)
			n++;
	return n;
}

static const diag *only_error(void)
{
	size_t i;
	const diag *g = NULL;
	assert_int_equal(fe.diag.nerrors, 1);
	for (i = 0; i < fe.diag.items.len; i++)
		if (((const diag *)fe.diag.items.items[i])->sev == DIAG_ERROR)
			g = fe.diag.items.items[i];
	assert_non_null(g);
	return g;
}

static int has_decl(const char *name)
{
	size_t i;
	for (i = 0; i < fe.rs.decls.len; i++)
		if (strcmp(((const decl *)fe.rs.decls.items[i])->id.name, name) == 0)
			return 1;
	return 0;
}

#define B1 "```rule\nsource G \"Guideline\"\ninput age: number in years, from 0 to 130 \"age\"\n```\n\n"
#define RULE_OLD "rule Old \"old\"\n  when age > 65\n  then monitor \"falls\"\n  cite G at \"p1\" quote \"q\"\n"

/* The reproduction: the middle block's closing fence deleted. */
static void test_blocks__unclosed_middle_block(void **state)
{
	static const char text[] = B1                               /* lines 1-5 */
		"Prose about weight.\n\n"                           /* 6-7 */
		"```rule\ninput weight: number in kg \"w\"\n\n"     /* 8-10 */
		"More prose, which is not rules at all.\n\n"        /* 11-12 */
		"```rule\n" RULE_OLD "```\n";                       /* 13-18 */
	const diag *g;

	(void)state;
	fe_run_memory(&fe, "t.md", text, strlen(text));
	g = only_error();
	assert_string_equal(g->id, "unclosed-rule-block");
	assert_int_equal(g->line, 8);
	assert_int_equal(g->col, 1);
	assert_non_null(strstr(g->msg, "not closed before the ```rule fence on line 13"));
	/* The later block is read as its author meant, and so is the
	 * unclosed block up to the prose. */
	assert_true(has_decl("Old"));
	assert_true(has_decl("weight"));
	assert_int_equal(count_diag("syntax"), 0);
}

/* Reaching the end of the file: one error, no cascade from the prose. */
static void test_blocks__unclosed_to_eof_no_cascade(void **state)
{
	static const char text[] = B1 "```rule\n" RULE_OLD "\nThe end of the chapter. (Really.)\n\n# Next\n\nMore text.\n";
	const diag *g;

	(void)state;
	fe_run_memory(&fe, "t.md", text, strlen(text));
	g = only_error();
	assert_string_equal(g->id, "unclosed-rule-block");
	assert_int_equal(g->line, 6);
	assert_true(has_decl("Old"));
}

/* Another kind of fenced block left open swallows a rule block in
 * Markdown: reported at its opener, and the rule block still read. */
static void test_blocks__unclosed_other_fence(void **state)
{
	static const char text[] = "```python\nprint(1)\n\n" B1 "```rule\n" RULE_OLD "```\n";
	const diag *g;

	(void)state;
	fe_run_memory(&fe, "t.md", text, strlen(text));
	g = only_error();
	assert_string_equal(g->id, "unclosed-fence");
	assert_int_equal(g->line, 1);
	assert_non_null(strstr(g->msg, "line 4"));
	assert_true(has_decl("G"));
	assert_true(has_decl("Old"));
}

/* A shorter (and indented) fence inside a rule block: one error for the
 * line, not one per backtick, and the block's rules after it are read. */
static void test_blocks__short_fence_one_error(void **state)
{
	static const char text[] = "````rule\nsource G \"Guideline\"\n  ```\ninput age: number in years \"a\"\n" RULE_OLD "````\n";
	const diag *g;

	(void)state;
	fe_run_memory(&fe, "t.md", text, strlen(text));
	g = only_error();
	assert_string_equal(g->id, "unexpected-character");
	assert_int_equal(g->line, 3);
	assert_true(has_decl("Old"));
}

static void test_blocks__tab_indented_fence(void **state)
{
	static const char text[] = "# T\n\n\t```rule\nsource G \"Guideline\"\n```\n";
	const diag *g;

	(void)state;
	fe_run_memory(&fe, "t.md", text, strlen(text));
	g = only_error();
	assert_string_equal(g->id, "misread-rule-fence");
	assert_int_equal(g->line, 3);
	assert_int_equal(g->col, 2);
	assert_non_null(strstr(g->msg, "indented by a tab"));
}

static void test_blocks__empty_block_warning(void **state)
{
	static const char text[] = B1 "```rule\n# only a comment\n```\n";
	size_t i;

	(void)state;
	fe_run_memory(&fe, "t.md", text, strlen(text));
	assert_int_equal(fe.diag.nerrors, 0);
	assert_int_equal(count_diag("empty-rule-block"), 1);
	for (i = 0; i < fe.diag.items.len; i++) {
		const diag *g = fe.diag.items.items[i];
		if (strcmp(g->id, "empty-rule-block") == 0)
			assert_int_equal(g->line, 6);
	}
}

/* Lone CRs end lines for cmark, so they do for diagnostics too. */
static void test_blocks__lone_cr_lines(void **state)
{
	static const char text[] = "# T\r\r```rule\rinput a: bool \"t\"\rinput a: bool \"t\"\r```\r";
	size_t i;

	(void)state;
	fe_run_memory(&fe, "t.md", text, strlen(text));
	assert_int_equal(count_diag("duplicate-name"), 1);
	for (i = 0; i < fe.diag.items.len; i++) {
		const diag *g = fe.diag.items.items[i];
		if (strcmp(g->id, "duplicate-name") == 0) {
			assert_int_equal(g->line, 5);
			assert_int_equal(g->col, 7);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blocks__scanner_reads_what_cmark_reads),
		cmocka_unit_test(test_blocks__declarations_match_cmark),
		cmocka_unit_test_teardown(test_blocks__unclosed_middle_block, teardown),
		cmocka_unit_test_teardown(test_blocks__unclosed_to_eof_no_cascade, teardown),
		cmocka_unit_test_teardown(test_blocks__unclosed_other_fence, teardown),
		cmocka_unit_test_teardown(test_blocks__short_fence_one_error, teardown),
		cmocka_unit_test_teardown(test_blocks__tab_indented_fence, teardown),
		cmocka_unit_test_teardown(test_blocks__empty_block_warning, teardown),
		cmocka_unit_test_teardown(test_blocks__lone_cr_lines, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
