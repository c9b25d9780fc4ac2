/*
** weave_html.c: the byte buffer the weave pages are built in, HTML
** escaping, and the lang="zh" spans around Chinese text.
**
** Every byte that came from a rule file or a source text reaches a page
** through wv_esc (or wv_text, which calls it): '<', '>', '&', '"' and '\''
** all become entities, so the same function is safe for text and for
** quoted attribute values, and a quote holding "</style>" or "<script>"
** shows as text.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weave.h"

void wv_buf_free(wv_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* Room for n more bytes and a NUL; 0, or -1 (oom set) when out of memory. */
static int grow(wv_buf *b, size_t n)
{
	size_t cap;
	char *p;

	if (b->oom)
		return -1;
	if (b->len + n + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 4096;
	while (cap < b->len + n + 1) {
		if (cap > ((size_t)-1) / 2) {
			b->oom = 1;
			return -1;
		}
		cap *= 2;
	}
	p = realloc(b->data, cap);
	if (!p) {
		b->oom = 1;
		return -1;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

void wv_putn(wv_buf *b, const char *s, size_t n)
{
	if (n == 0 || grow(b, n) != 0)
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void wv_put(wv_buf *b, const char *s)
{
	wv_putn(b, s, strlen(s));
}

void wv_printf(wv_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || grow(b, (size_t)n) != 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void wv_esc(wv_buf *b, const char *s, size_t n)
{
	size_t i, from = 0;

	for (i = 0; i < n; i++) {
		const char *ent;
		switch (s[i]) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		case '\0': ent = "\xEF\xBF\xBD"; break; /* U+FFFD: no NUL in a page */
		default: continue;
		}
		wv_putn(b, s + from, i - from);
		wv_put(b, ent);
		from = i + 1;
	}
	wv_putn(b, s + from, n - from);
}

/* One UTF-8 code point at s[0..n): its length (>= 1); *cp = -1 if invalid. */
static size_t decode(const char *s, size_t n, long *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len, i;
	long v;

	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	len = u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : u[0] >= 0xC0 ? 2 : 0;
	if (len == 0 || len > n) {
		*cp = -1;
		return 1;
	}
	v = u[0] & (0x3F >> (len - 1));
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xC0) != 0x80) {
			*cp = -1;
			return 1;
		}
		v = (v << 6) | (u[i] & 0x3F);
	}
	*cp = v;
	return len;
}

/* CJK ideographs, their punctuation, kana and full-width forms. */
static int is_cjk(long cp)
{
	return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
	       (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

static int is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

int wv_has_cjk(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		long cp;
		i += decode(s + i, n - i, &cp);
		if (is_cjk(cp))
			return 1;
	}
	return 0;
}

static void out(wv_buf *b, const char *s, size_t n, int escape)
{
	if (escape)
		wv_esc(b, s, n);
	else
		wv_putn(b, s, n);
}

/* A run starts at a CJK character and lasts to the last CJK character
 * before the next white space ("是MM的" is one run; in "资讯) says" the
 * run ends at 讯), so English next to a Chinese phrase keeps lang="en". */
static void zh_runs(wv_buf *b, const char *s, size_t n, int escape)
{
	size_t i = 0, from = 0;

	while (i < n) {
		long cp;
		size_t k = decode(s + i, n - i, &cp), j, last;
		if (!is_cjk(cp)) {
			i += k;
			continue;
		}
		last = i + k;
		for (j = last; j < n && !is_space(s[j]);) {
			size_t m = decode(s + j, n - j, &cp);
			j += m;
			if (is_cjk(cp))
				last = j;
		}
		out(b, s + from, i - from, escape);
		wv_put(b, "<span lang=\"zh\">");
		out(b, s + i, last - i, escape);
		wv_put(b, "</span>");
		i = from = last;
	}
	out(b, s + from, n - from, escape);
}

void wv_text(wv_buf *b, const char *s, size_t n)
{
	zh_runs(b, s, n, 1);
}

void wv_texts(wv_buf *b, const char *s)
{
	if (s)
		wv_text(b, s, strlen(s));
}

/* cmark escapes '<' in text, so every '<' of its output opens a tag. */
void wv_zh_html(wv_buf *b, const char *html, size_t n)
{
	size_t i = 0;

	while (i < n) {
		const char *lt = memchr(html + i, '<', n - i);
		size_t text_end = lt ? (size_t)(lt - html) : n, tag_end;
		zh_runs(b, html + i, text_end - i, 0);
		if (!lt)
			break;
		tag_end = text_end;
		while (tag_end < n && html[tag_end] != '>')
			tag_end++;
		tag_end = tag_end < n ? tag_end + 1 : n;
		wv_putn(b, html + text_end, tag_end - text_end);
		i = tag_end;
	}
}
