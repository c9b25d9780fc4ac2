/*
** weave_source.c: the stored source texts of a woven book.  Each text gets
** one page, sources/STEM.html, showing the whole text (white space kept)
** with every quoted passage inside <mark class="lr-passage" id="q-N">.
** A quote is found exactly as `check` finds it: sema_normalize (NFC, runs
** of white space as one space) over the quote and over the text, first
** occurrence; the match is then mapped back to the bytes of the text
** word by word, so the mark covers the passage as stored.
*/
#include <stdlib.h>
#include <string.h>

#include "sema.h"
#include "weave_impl.h"

/* ---- finding a quote -------------------------------------------------- */

typedef struct {
	size_t norm_off, norm_len;  /* in the normalised text */
	size_t off, len;            /* in the stored text */
	int same;                   /* normalisation left the word's bytes alone */
} qword;

static int space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

/* The normalised text built word by word: NFC never joins across a space
 * (U+0020 and its kin compose with nothing), so normalising each word and
 * joining them with one space is the front end's normalisation of the
 * whole text. */
static char *norm_words(const char *text, size_t n, qword **words, size_t *nwords)
{
	size_t i = 0, nw = 0, cap = 16, len = 0, ncap = n + 1;
	qword *w = malloc(cap * sizeof *w);
	char *norm = malloc(ncap);

	if (!w || !norm)
		goto fail;
	while (i < n) {
		size_t s, wl;
		char *word, *nword;
		while (i < n && space(text[i]))
			i++;
		if (i >= n)
			break;
		for (s = i; i < n && !space(text[i]);)
			i++;
		word = malloc(i - s + 1);
		if (!word)
			goto fail;
		memcpy(word, text + s, i - s);
		word[i - s] = '\0';
		nword = sema_normalize(word);
		free(word);
		if (!nword)
			goto fail;
		wl = strlen(nword);
		if (nw == cap) {
			qword *p = realloc(w, (cap *= 2) * sizeof *w);
			if (!p) {
				free(nword);
				goto fail;
			}
			w = p;
		}
		if (len + wl + 2 > ncap) {
			char *p = realloc(norm, ncap = 2 * (len + wl + 2));
			if (!p) {
				free(nword);
				goto fail;
			}
			norm = p;
		}
		if (len)
			norm[len++] = ' ';
		w[nw].norm_off = len;
		w[nw].norm_len = wl;
		w[nw].off = s;
		w[nw].len = i - s;
		w[nw].same = wl == i - s && memcmp(nword, text + s, wl) == 0;
		memcpy(norm + len, nword, wl);
		len += wl;
		nw++;
		free(nword);
	}
	norm[len] = '\0';
	*words = w;
	*nwords = nw;
	return norm;
fail:
	free(w);
	free(norm);
	return NULL;
}

/* The word holding normalised offset at (the last word starting at or before it). */
static const qword *word_at(const qword *w, size_t n, size_t at)
{
	size_t lo = 0, hi = n;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (w[mid].norm_off <= at)
			lo = mid;
		else
			hi = mid;
	}
	return &w[lo];
}

int wv_quote_find(const char *text, size_t n, const char *quote, uint32_t *start, uint32_t *end)
{
	qword *w = NULL;
	size_t nw = 0, a, z;
	char *norm = norm_words(text, n, &w, &nw), *nq = NULL, *hit;
	const qword *first, *last;
	int rc = -1;

	if (!norm || nw == 0 || !(nq = sema_normalize(quote)) || !nq[0] || !(hit = strstr(norm, nq)))
		goto done;
	a = (size_t)(hit - norm);
	z = a + strlen(nq);
	first = word_at(w, nw, a);
	last = word_at(w, nw, z - 1);
	/* Inside a word the normalisation changed, the mark takes the whole word. */
	*start = (uint32_t)(first->same ? first->off + (a - first->norm_off) : first->off);
	*end = (uint32_t)(last->same ? last->off + (z - last->norm_off) : last->off + last->len);
	rc = 0;
done:
	free(norm);
	free(nq);
	free(w);
	return rc;
}

/* ---- the pages --------------------------------------------------------- */

/* "sources/imwg-2013.txt" -> "imwg-2013", only characters safe in a URL. */
static char *make_stem(const char *path)
{
	const char *base = strrchr(path, '/'), *dot;
	size_t n, i;
	char *s;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	n = dot && dot > base ? (size_t)(dot - base) : strlen(base);
	s = malloc(n + 16);
	if (!s)
		return NULL;
	for (i = 0; i < n; i++) {
		char ch = base[i];
		int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
			 ch == '_' || (ch == '.' && i > 0);
		s[i] = ok ? ch : '_';
	}
	if (n == 0)
		memcpy(s, "source", n = 6);
	s[n] = '\0';
	return s;
}

static int add_page(wv_ctx *c, const decl *src)
{
	size_t i, k;
	wv_text_page *t;
	const char *why = "";
	char *stem;

	for (i = 0; i < c->ntexts; i++)
		if (strcmp(c->texts[i].path, src->text_path) == 0)
			return 0;
	if (!(stem = make_stem(src->text_path)))
		return -1;
	/* Two texts with one file name in different directories: stem-2. */
	for (k = 2;; k++) {
		for (i = 0; i < c->ntexts && strcmp(c->texts[i].stem, stem) != 0; i++)
			;
		if (i == c->ntexts)
			break;
		{
			char *p = strrchr(stem, '-');
			if (k > 2 && p)
				*p = '\0';
			sprintf(stem + strlen(stem), "-%u", (unsigned)k);
		}
	}
	t = &c->texts[c->ntexts++];
	memset(t, 0, sizeof *t);
	t->path = src->text_path;
	t->stem = stem;
	t->src = src;
	if (src_load_via(c->rs->vfs, &t->file, src->text_path, &why) != 0 || !t->file->utf8_ok) {
		if (t->file)
			src_free(t->file);
		t->file = NULL;
	}
	return 0;
}

static int page_of(const wv_ctx *c, const decl *src)
{
	size_t i;
	if (!src || !src->text_path)
		return -1;
	for (i = 0; i < c->ntexts; i++)
		if (strcmp(c->texts[i].path, src->text_path) == 0)
			return (int)i;
	return -1;
}

/* The mark for t's passage [s, e): an existing one for the same bytes, or a new one. */
static int add_mark(wv_text_page *t, uint32_t s, uint32_t e)
{
	size_t i;
	for (i = 0; i < t->nmarks; i++)
		if (t->marks[i].start == s && t->marks[i].end == e)
			return (int)t->marks[i].q;
	if (t->nmarks == t->capmarks) {
		size_t cap = t->capmarks ? 2 * t->capmarks : 8;
		wv_mark *p = realloc(t->marks, cap * sizeof *p);
		if (!p)
			return -2;
		t->marks = p;
		t->capmarks = cap;
	}
	t->marks[t->nmarks].start = s;
	t->marks[t->nmarks].end = e;
	t->marks[t->nmarks].q = (unsigned)t->nmarks + 1;
	return (int)++t->nmarks;
}

static int add_cite(wv_ctx *c, const citation *ct, size_t *cap)
{
	wv_cite *wc;
	uint32_t s, e;

	if (c->ncites == *cap) {
		wv_cite *p = realloc(c->cites, (*cap = *cap ? 2 * *cap : 32) * sizeof *p);
		if (!p)
			return -1;
		c->cites = p;
	}
	wc = &c->cites[c->ncites++];
	wc->c = ct;
	wc->page = page_of(c, ct->src);
	wc->q = -1;
	if (wc->page >= 0 && c->texts[wc->page].file && ct->quote) {
		wv_text_page *t = &c->texts[wc->page];
		if (wv_quote_find(t->file->text, t->file->len, ct->quote, &s, &e) == 0 && (wc->q = add_mark(t, s, e)) == -2)
			return -1;
	}
	return 0;
}

static int cite_by_addr(const void *x, const void *y)
{
	uintptr_t a = (uintptr_t)((const wv_cite *)x)->c, b = (uintptr_t)((const wv_cite *)y)->c;
	return a < b ? -1 : a > b;
}

/* Every stored text gets a page; every citation (rules, parameters,
 * tables, statements), in reading order, its mark. */
int wv_texts_collect(wv_ctx *c)
{
	size_t i, j, n = c->rs->decls.len, cap = 0;

	c->texts = calloc(n ? n : 1, sizeof *c->texts);
	if (!c->texts)
		return -1;
	for (i = 0; i < n; i++) {
		const decl *d = c->rs->decls.items[i];
		if (d->kind == D_SOURCE && d->text_path && add_page(c, d) != 0)
			return -1;
	}
	for (i = 0; i < n; i++) {
		const decl *d = c->rs->decls.items[i];
		for (j = 0; j < d->cites.len; j++)
			if (add_cite(c, d->cites.items[j], &cap) != 0)
				return -1;
		if (d->kind == D_STATEMENT && d->stmt && add_cite(c, d->stmt, &cap) != 0)
			return -1;
	}
	/* Marks are numbered in reading order above; lookups go by address. */
	if (c->ncites)
		qsort(c->cites, c->ncites, sizeof *c->cites, cite_by_addr);
	return 0;
}

void wv_texts_free(wv_ctx *c)
{
	size_t i;
	for (i = 0; i < c->ntexts; i++) {
		free(c->texts[i].stem);
		free(c->texts[i].marks);
		src_free(c->texts[i].file);
	}
	free(c->texts);
	free(c->cites);
}

const wv_cite *wv_cite_of(const wv_ctx *c, const citation *ct)
{
	size_t lo = 0, hi = c->ncites;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if ((uintptr_t)c->cites[mid].c < (uintptr_t)ct)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->ncites && c->cites[lo].c == ct ? &c->cites[lo] : NULL;
}


static int by_start(const void *x, const void *y)
{
	const wv_mark *a = x, *b = y;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->end > b->end ? -1 : a->end < b->end;
}

/* The text with its marks.  Marks nest when one passage holds another; a
 * passage that starts inside another and ends after it (rare) is cut at the
 * other's end, since HTML elements cannot cross. */
static void marked_text(wv_buf *b, const char *text, size_t n, wv_mark *m, size_t nm)
{
	uint32_t stack[64];
	size_t depth = 0, k = 0, pos = 0;

	if (nm)
		qsort(m, nm, sizeof *m, by_start);
	while (pos < n || depth) {
		size_t next = n;
		if (depth && stack[depth - 1] < next)
			next = stack[depth - 1];
		if (k < nm && m[k].start < next)
			next = m[k].start;
		wv_text(b, text + pos, next - pos);
		pos = next;
		if (depth && stack[depth - 1] == pos) {
			wv_put(b, "</mark>");
			depth--;
		} else if (k < nm && m[k].start == pos) {
			uint32_t e = m[k].end;
			if (depth && e > stack[depth - 1])
				e = stack[depth - 1];
			if (depth < sizeof stack / sizeof stack[0] && e > pos) {
				wv_printf(b, "<mark class=\"lr-passage\" id=\"q-%u\">", m[k].q);
				stack[depth++] = e;
			}
			k++;
		} else if (pos >= n)
			break;
	}
}

int wv_source_page(wv_ctx *c, const wv_text_page *t, wv_buf *b)
{
	const decl *s = t->src;
	const char *url = wv_field(s, "url");

	wv_head(b, "Source text", "../");
	wv_put(b, "<body class=\"lr-source-page\">\n<nav class=\"lr-nav\"><a href=\"../index.html\">Rule book</a> &middot; "
		  "<a href=\"../index.html#lr-bibliography\">Bibliography</a></nav>\n<main>\n<h1>");
	wv_texts(b, s->title ? s->title : s->id.name);
	wv_put(b, "</h1>\n<p class=\"lr-source-meta\">Source <a href=\"../index.html#");
	wv_esc(b, s->id.name, strlen(s->id.name));
	wv_put(b, "\"><code>");
	wv_esc(b, s->id.name, strlen(s->id.name));
	wv_put(b, "</code></a>; stored text <code>");
	wv_texts(b, t->path);
	wv_put(b, "</code>");
	if (url) {
		wv_put(b, "; ");
		wv_texts(b, url);
	}
	wv_put(b, ". The passages the rules quote are highlighted.</p>\n");
	if (!t->file)
		wv_put(b, "<p class=\"lr-nostore\">The stored text could not be read at weave time.</p>\n");
	else {
		wv_put(b, "<pre class=\"lr-text\">");
		marked_text(b, t->file->text, t->file->len, t->marks, t->nmarks);
		wv_put(b, "</pre>\n");
	}
	wv_put(b, "</main>\n");
	wv_script(b);
	wv_put(b, "</body>\n</html>\n");
	(void)c;
	return b->oom ? -1 : 0;
}
