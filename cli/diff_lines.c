/*
** diff_lines.c: a line diff for declaration texts (diff.h, diff_lines).
** Declarations are a few lines long, so a plain longest-common-
** subsequence table is enough; it is filled bottom-up and walked forward
** in loops (no recursion), and its size is bounded by DIFF_MAX_LINES, so
** no input can make it slow or exhaust memory.  Common prefix and suffix
** lines are peeled off first, which keeps the table tiny for the usual
** one-line change.
*/
#include "diff.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
	const char *s;
	size_t len;
} lref;

/* Splits text into lines (LF; a trailing CR is kept as part of the line
 * so CRLF files compare as themselves).  *out is malloc'd. */
static int split(lref **out, size_t *n, const char *t, size_t len)
{
	size_t i, start = 0, k = 0, cap = 1;
	for (i = 0; i < len; i++)
		if (t[i] == '\n')
			cap++;
	*out = malloc(cap * sizeof(lref));
	if (!*out)
		return -1;
	for (i = 0; i <= len; i++) {
		if (i == len || t[i] == '\n') {
			if (i == len && i == start)
				break;  /* no empty line after a final LF */
			(*out)[k].s = t + start;
			(*out)[k].len = i - start;
			k++;
			start = i + 1;
		}
	}
	*n = k;
	return 0;
}

static int same(lref x, lref y)
{
	return x.len == y.len && memcmp(x.s, y.s, x.len) == 0;
}

static void put(diff_line *o, size_t *k, char op, lref l)
{
	o[*k].op = op;
	o[*k].text = l.s;
	o[*k].len = l.len;
	(*k)++;
}

/* LCS lengths of the suffixes a[i..], b[j..] for the middle part, as
 * 32-bit counts in a (n+1) x (m+1) table; then a forward walk. */
static int middle(diff_line *o, size_t *k, const lref *a, size_t n, const lref *b, size_t m)
{
	uint32_t *t;
	size_t i, j, w = m + 1;

	if (n > DIFF_MAX_LINES || m > DIFF_MAX_LINES || n == 0 || m == 0) {
		for (i = 0; i < n; i++)
			put(o, k, '-', a[i]);
		for (j = 0; j < m; j++)
			put(o, k, '+', b[j]);
		return 0;
	}
	t = calloc((n + 1) * w, sizeof(uint32_t));
	if (!t)
		return -1;
	for (i = n; i-- > 0;)
		for (j = m; j-- > 0;)
			t[i * w + j] = same(a[i], b[j]) ? t[(i + 1) * w + j + 1] + 1
				     : (t[(i + 1) * w + j] >= t[i * w + j + 1] ? t[(i + 1) * w + j] : t[i * w + j + 1]);
	i = j = 0;
	while (i < n && j < m) {
		if (same(a[i], b[j])) {
			put(o, k, ' ', a[i]);
			i++, j++;
		} else if (t[(i + 1) * w + j] >= t[i * w + j + 1]) {
			put(o, k, '-', a[i++]);
		} else {
			put(o, k, '+', b[j++]);
		}
	}
	while (i < n)
		put(o, k, '-', a[i++]);
	while (j < m)
		put(o, k, '+', b[j++]);
	free(t);
	return 0;
}

int diff_lines(diff_line **out, size_t *nout, const char *at, size_t alen, const char *bt, size_t blen)
{
	lref *a = NULL, *b = NULL;
	size_t n = 0, m = 0, pre = 0, suf = 0, k = 0, i;
	int rc = -1;

	*out = NULL;
	*nout = 0;
	if (split(&a, &n, at, alen) != 0 || split(&b, &m, bt, blen) != 0)
		goto done;
	while (pre < n && pre < m && same(a[pre], b[pre]))
		pre++;
	while (suf < n - pre && suf < m - pre && same(a[n - 1 - suf], b[m - 1 - suf]))
		suf++;
	*out = malloc((n + m + 1) * sizeof(diff_line));
	if (!*out)
		goto done;
	for (i = 0; i < pre; i++)
		put(*out, &k, ' ', a[i]);
	if (middle(*out, &k, a + pre, n - pre - suf, b + pre, m - pre - suf) != 0) {
		free(*out);
		*out = NULL;
		goto done;
	}
	for (i = n - suf; i < n; i++)
		put(*out, &k, ' ', a[i]);
	*nout = k;
	rc = 0;
done:
	free(a);
	free(b);
	return rc;
}
