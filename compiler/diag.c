/*
** diag.c: collecting, sorting and printing diagnostics.
**
** Text output follows gcc:
**
**   rules/a.md:12:8: error: unknown name 'calcuim' [unknown-name]
**      12 |   when calcuim < 8.5
**         |        ^~~~~~~
**
** Columns in the header count characters; the caret line is padded by
** display width (CJK takes two cells) and tabs are expanded to stops of 8
** in both the echoed line and the caret line, so they always line up.
*/
#include "diag.h"

#include <jansson.h>
#include "jtext.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Select Graphic Rendition codes for colour (diag_set_color). */
#define SGR_BOLD "\033[1m"
#define SGR_RESET "\033[0m"

void diag_init(diag_ctx *d, arena *a)
{
	memset(d, 0, sizeof(*d));
	d->a = a;
}

static diag *make(diag_ctx *d, diag_severity sev, const src_file *f, uint32_t start,
		  uint32_t end, const char *fmt, va_list ap)
{
	diag *g = arena_alloc(d->a, sizeof(*g));
	va_list cp;
	int n;
	char *msg;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	msg = arena_alloc(d->a, (size_t)(n < 0 ? 0 : n) + 1);
	vsnprintf(msg, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
	g->sev = sev;
	g->file = f;
	if (end < start)
		end = start;
	g->start = start;
	g->end = end;
	g->msg = msg;
	if (f) {
		src_position(f, start, &g->line, &g->col);
		src_position(f, end, &g->end_line, &g->end_col);
	}
	return g;
}

diag *diag_report(diag_ctx *d, diag_severity sev, const src_file *f, uint32_t start,
		  uint32_t end, const char *id, const char *fmt, ...)
{
	va_list ap;
	diag *g;

	if (sev == DIAG_WARNING && d->werror)
		sev = DIAG_ERROR;
	if (sev == DIAG_ERROR)
		d->nerrors++;
	else
		d->nwarnings++;
	if (d->max_errors && d->items.len >= d->max_errors)
		return NULL;
	va_start(ap, fmt);
	g = make(d, sev, f, start, end, fmt, ap);
	va_end(ap);
	g->id = id;
	g->seq = d->items.len;
	ptrvec_push(d->a, &d->items, g);
	return g;
}

void diag_note(diag_ctx *d, diag *parent, const src_file *f, uint32_t start, uint32_t end,
	       const char *fmt, ...)
{
	va_list ap;
	diag *g;

	if (!parent)
		return;
	va_start(ap, fmt);
	g = make(d, DIAG_NOTE, f, start, end, fmt, ap);
	va_end(ap);
	g->id = parent->id;
	ptrvec_push(d->a, &parent->notes, g);
}

void diag_set_finding(diag_ctx *d, diag *g, const char *props_json, const char *fp_key)
{
	if (!g)
		return;
	if (props_json)
		g->props = arena_strdup(d->a, props_json);
	if (fp_key)
		g->fp_key = arena_strdup(d->a, fp_key);
}

static int cmp_diag(const void *pa, const void *pb)
{
	const diag *a = *(diag *const *)pa, *b = *(diag *const *)pb;

	if (a->file_rank != b->file_rank)
		return a->file_rank < b->file_rank ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void diag_sort(diag_ctx *d)
{
	size_t i, j;

	/* A file ranks by its first message, so files keep the order in
	 * which they were checked. */
	for (i = 0; i < d->items.len; i++) {
		diag *g = d->items.items[i];
		g->file_rank = i;
		for (j = 0; j < i; j++)
			if (((diag *)d->items.items[j])->file == g->file) {
				g->file_rank = ((diag *)d->items.items[j])->file_rank;
				break;
			}
	}
	/* With no messages items is NULL, and qsort(NULL, 0, ...) is undefined. */
	if (d->items.len > 1)
		qsort(d->items.items, d->items.len, sizeof(void *), cmp_diag);
}

static const char *sev_name(diag_severity s)
{
	return s == DIAG_ERROR ? "error" : s == DIAG_WARNING ? "warning" : "note";
}

/* A growable string for formatting. */
typedef struct {
	char *p;
	size_t len, cap;
} sbuf;

static void sb_putn(sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *np;
		while (cap < b->len + n + 1)
			cap *= 2;
		np = realloc(b->p, cap);
		if (!np)
			abort();
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_puts(sbuf *b, const char *s) { sb_putn(b, s, strlen(s)); }

static void sb_printf(sbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
static void sb_printf(sbuf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof tmp) {
		sb_putn(b, tmp, (size_t)n);
	} else {
		char *big = malloc((size_t)n + 1);
		if (!big)
			abort();
		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		sb_putn(b, big, (size_t)n);
		free(big);
	}
}

static void sb_spaces(sbuf *b, size_t n)
{
	while (n--)
		sb_putn(b, " ", 1);
}

/* Lines longer than this many bytes are shown as a window of
 * SNIPPET_CONTEXT bytes either side of the span. */
#define SNIPPET_MAX_LINE 16384
#define SNIPPET_CONTEXT 80

/* Echoes the source line of g and the caret line under it. */
static void render_snippet(sbuf *b, const diag *g, int color)
{
	const src_file *f = g->file;
	uint32_t ls, le, p;
	size_t cell = 0, caret_from = 0, caret_to = 0;
	int width_gutter;
	char num[16];
	uint32_t span_end;
	int ellipsis_after = 0;

	src_line_span(f, g->line, &ls, &le);
	span_end = g->end_line == g->line ? g->end : le;
	if (span_end > le)
		span_end = le;
	width_gutter = snprintf(num, sizeof num, "%u", (unsigned)g->line);
	sb_printf(b, " %*s | ", width_gutter, num);
	/* Long lines are echoed whole (an author's 10,000-character line is
	 * still text to read), but a line of megabytes is binary data or a
	 * generated file: echo a window around the span, marked with "...". */
	if (le - ls > SNIPPET_MAX_LINE) {
		uint32_t from = g->start > ls + SNIPPET_CONTEXT ? g->start - SNIPPET_CONTEXT : ls;
		uint32_t to = span_end + SNIPPET_CONTEXT < le ? span_end + SNIPPET_CONTEXT : le;
		while (from > ls && ((unsigned char)f->text[from] & 0xC0) == 0x80)
			from--;
		while (to < le && ((unsigned char)f->text[to] & 0xC0) == 0x80)
			to++;
		if (from > ls) {
			sb_puts(b, "...");
			cell = 3;
		}
		ls = from;
		if (to < le) {
			le = to;
			ellipsis_after = 1;
		}
		if (span_end > le)
			span_end = le;
	}
	for (p = ls; p < le;) {
		int32_t cp;
		size_t k = src_decode(f->text + p, le - p, &cp);
		size_t w;

		if (p == g->start)
			caret_from = cell;
		if (cp == '\t') {
			w = 8 - cell % 8;
			sb_spaces(b, w);
		} else if (cp < 0x20 || cp == 0x7f || cp == 0xFFFD) {
			w = 1;
			sb_putn(b, "?", 1);
		} else {
			w = (size_t)src_char_width(cp);
			sb_putn(b, f->text + p, k);
		}
		cell += w;
		p += (uint32_t)k;
		if (p <= span_end)
			caret_to = cell;
	}
	if (g->start >= le)
		caret_from = caret_to = cell;
	if (ellipsis_after)
		sb_puts(b, "...");
	sb_puts(b, "\n");
	sb_printf(b, " %*s | ", width_gutter, "");
	sb_spaces(b, caret_from);
	if (color)
		sb_puts(b, "\033[1;32m");
	sb_puts(b, "^");
	if (caret_to > caret_from + 1) {
		size_t i;
		for (i = caret_from + 1; i < caret_to; i++)
			sb_putn(b, "~", 1);
	}
	if (color)
		sb_puts(b, SGR_RESET);
	sb_puts(b, "\n");
}

/* Colour, as clang uses it: the position and the message bold, the
 * severity in its colour, the caret green.  Off unless the command line
 * turned it on (diag_set_color): whether the output is a terminal,
 * NO_COLOR and --color= are the caller's to judge. */
static int use_color;

void diag_set_color(int on)
{
	use_color = on != 0;
}

static const char *sev_color(diag_severity s)
{
	return s == DIAG_ERROR ? "\033[1;31m" : s == DIAG_WARNING ? "\033[1;35m" : "\033[1;36m";
}

/* "error: message [id]": notes carry their parent's id, which is shown
 * once, on the parent (as clang shows [-Wfoo] once); a message about no
 * file ("litrule: error: cannot read 'x'") has none, as clang's driver
 * errors have none. */
static void render_head(sbuf *b, const diag *g, int color)
{
	const char *id = g->sev != DIAG_NOTE && g->file && g->id ? g->id : NULL;

	if (color)
		sb_printf(b, "%s%s:" SGR_RESET " " SGR_BOLD "%s" SGR_RESET, sev_color(g->sev), sev_name(g->sev), g->msg);
	else
		sb_printf(b, "%s: %s", sev_name(g->sev), g->msg);
	if (id)
		sb_printf(b, " [%s]", id);
	sb_puts(b, "\n");
}

static void render_one(sbuf *b, const diag *g, int color)
{
	if (g->file)
		sb_printf(b, "%s%s:%u:%u:%s ", color ? SGR_BOLD : "", g->file->path, (unsigned)g->line,
			  (unsigned)g->col, color ? SGR_RESET : "");
	else
		sb_printf(b, "%slitrule:%s ", color ? SGR_BOLD : "", color ? SGR_RESET : "");
	render_head(b, g, color);
	if (g->file)
		render_snippet(b, g, color);
}

static char *format_with(const diag *g, int color)
{
	sbuf b = {0};
	size_t i;

	render_one(&b, g, color);
	for (i = 0; i < g->notes.len; i++)
		render_one(&b, g->notes.items[i], color);
	if (!b.p)
		sb_puts(&b, "");
	return b.p;
}

char *diag_format(const diag *g)
{
	return format_with(g, 0);
}

void diag_print_text(const diag_ctx *d, FILE *out)
{
	size_t i;

	for (i = 0; i < d->items.len; i++) {
		char *s = format_with(d->items.items[i], use_color);
		fputs(s, out);
		free(s);
	}
}

static json_t *to_json(const diag *g)
{
	json_t *o = json_object();
	size_t i;

	json_object_set_new(o, "file", g->file ? jtext_string(g->file->path) : json_null());
	if (g->file) {
		json_object_set_new(o, "line", json_integer(g->line));
		json_object_set_new(o, "column", json_integer(g->col));
		json_object_set_new(o, "end_line", json_integer(g->end_line));
		json_object_set_new(o, "end_column", json_integer(g->end_col));
	}
	json_object_set_new(o, "severity", jtext_string(sev_name(g->sev)));
	json_object_set_new(o, "id", jtext_string(g->id ? g->id : "error"));
	json_object_set_new(o, "message", jtext_string(g->msg));
	if (g->sev != DIAG_NOTE) {
		json_t *notes = json_array();
		for (i = 0; i < g->notes.len; i++)
			json_array_append_new(notes, to_json(g->notes.items[i]));
		json_object_set_new(o, "notes", notes);
	}
	if (g->props) {
		json_t *pr = json_loads(g->props, 0, NULL);
		if (pr)
			json_object_set_new(o, "properties", pr);
	}
	return o;
}

json_t *diag_to_json(const diag_ctx *d)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < d->items.len; i++)
		json_array_append_new(arr, to_json(d->items.items[i]));
	return arr;
}

void diag_print_json(const diag_ctx *d, FILE *out)
{
	json_t *arr = diag_to_json(d);

	json_dumpf(arr, out, JSON_INDENT(2) | JSON_ENSURE_ASCII * 0);
	fputc('\n', out);
	json_decref(arr);
}
