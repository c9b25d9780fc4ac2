/*
** test_diff_lines.c: unit tests for the line diff of `litrule diff`
** (cli/diff_lines.c, diff_lines).  Hand-worked cases, then a property
** check on many small random texts: the '-' and ' ' lines rebuild the
** old text, the '+' and ' ' lines the new one, and the number of common
** lines equals an independently computed LCS length.  The unit tests link
** libcompiler and liblitrule only, so the file under test is included.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cli/diff_lines.c"

/* Renders a diff as "op text|op text|..." for comparison. */
static char *render(const char *a, const char *b)
{
	diff_line *d;
	size_t n, i;
	static char buf[4096];
	size_t k = 0;
	assert_int_equal(diff_lines(&d, &n, a, strlen(a), b, strlen(b)), 0);
	buf[0] = '\0';
	for (i = 0; i < n; i++)
		k += (size_t)snprintf(buf + k, sizeof buf - k, "%c%.*s|", d[i].op, (int)d[i].len, d[i].text);
	free(d);
	return buf;
}

static void test_cases(void **state)
{
	(void)state;
	assert_string_equal(render("", ""), "");
	assert_string_equal(render("x\n", "x\n"), " x|");
	assert_string_equal(render("a\nb\nc\n", "a\nB\nc\n"), " a|-b|+B| c|");
	assert_string_equal(render("a\nb\n", "a\nb\nc"), " a| b|+c|");
	assert_string_equal(render("a\nb\nc\n", "c\n"), "-a|-b| c|");
	assert_string_equal(render("", "n\n"), "+n|");
	/* Common lines in the middle are kept, not re-added. */
	assert_string_equal(render("p\nx\nq\ny\nr\n", "x\nz\ny\n"), "-p| x|-q|+z| y|-r|");
}

static size_t lcs(const char **a, size_t n, const char **b, size_t m)
{
	size_t t[9][9], i, j;
	for (i = 0; i <= n; i++)
		for (j = 0; j <= m; j++)
			t[i][j] = i == 0 || j == 0 ? 0
				: strcmp(a[i - 1], b[j - 1]) == 0 ? t[i - 1][j - 1] + 1
				: t[i - 1][j] > t[i][j - 1] ? t[i - 1][j] : t[i][j - 1];
	return t[n][m];
}

static void test_property(void **state)
{
	static const char *const words[] = {"a", "b", "c"};
	unsigned seed = 12345, round;
	(void)state;
	for (round = 0; round < 3000; round++) {
		const char *la[8], *lb[8];
		char ta[64] = "", tb[64] = "", ra[64] = "", rb[64] = "";
		size_t n = (seed = seed * 1103515245u + 12345u) >> 16 & 7, m = (seed = seed * 1103515245u + 12345u) >> 16 & 7;
		size_t i, nd, common = 0;
		diff_line *d;
		for (i = 0; i < n; i++) {
			la[i] = words[(seed = seed * 1103515245u + 12345u) >> 16 & 1 ? 0 : ((seed >> 20) % 3)];
			strcat(ta, la[i]), strcat(ta, "\n");
		}
		for (i = 0; i < m; i++) {
			lb[i] = words[(seed = seed * 1103515245u + 12345u) >> 16 & 1 ? 0 : ((seed >> 20) % 3)];
			strcat(tb, lb[i]), strcat(tb, "\n");
		}
		assert_int_equal(diff_lines(&d, &nd, ta, strlen(ta), tb, strlen(tb)), 0);
		for (i = 0; i < nd; i++) {
			char line[8];
			snprintf(line, sizeof line, "%.*s\n", (int)d[i].len, d[i].text);
			if (d[i].op != '+')
				strcat(ra, line);
			if (d[i].op != '-')
				strcat(rb, line);
			common += d[i].op == ' ';
		}
		free(d);
		assert_string_equal(ra, ta);
		assert_string_equal(rb, tb);
		assert_int_equal(common, lcs(la, n, lb, m));
	}
}

/* Over the bound: every line removed and added, no table allocated. */
static void test_bound(void **state)
{
	size_t n = DIFF_MAX_LINES + 5, i, nd;
	char *a = malloc(n * 2 + 1), *b = malloc(n * 2 + 1);
	diff_line *d;
	(void)state;
	for (i = 0; i < n; i++) {
		a[2 * i] = 'a', a[2 * i + 1] = '\n';
		b[2 * i] = i % 2 ? 'a' : 'b', b[2 * i + 1] = '\n';
	}
	b[0] = 'x';  /* no common prefix */
	a[2 * n - 2] = 'y';  /* no common suffix */
	assert_int_equal(diff_lines(&d, &nd, a, 2 * n, b, 2 * n), 0);
	assert_int_equal(nd, 2 * n);
	assert_int_equal(d[0].op, '-');
	assert_int_equal(d[n].op, '+');
	free(d);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_property),
		cmocka_unit_test(test_bound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
