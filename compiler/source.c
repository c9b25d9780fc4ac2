/*
** source.c: loading rule files and mapping offsets to lines and columns.
** utf8proc does the decoding and the display widths, so CJK characters
** take two columns under a caret and combining marks take none.
*/
#include "source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static int build_lines(src_file *f)
{
	uint32_t i, n = 1;

	for (i = 0; i < f->len; i++)
		if (f->text[i] == '\n')
			n++;
	f->line_start = malloc(sizeof(uint32_t) * n);
	if (!f->line_start)
		return -1;
	f->nlines = 0;
	f->line_start[f->nlines++] = 0;
	for (i = 0; i < f->len; i++)
		if (f->text[i] == '\n')
			f->line_start[f->nlines++] = i + 1;
	f->utf8_ok = src_first_bad_utf8(f) == f->len;
	return 0;
}

int src_from_memory(src_file **out, const char *path, const char *data, size_t len)
{
	src_file *f;

	*out = NULL;
	if (len >= SRC_MAX_BYTES)
		return -1;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	f->path = malloc(strlen(path) + 1);
	f->text = malloc(len + 1);
	if (!f->path || !f->text) {
		src_free(f);
		return -1;
	}
	strcpy(f->path, path);
	if (len)
		memcpy(f->text, data, len);
	f->text[len] = '\0';
	f->len = (uint32_t)len;
	if (build_lines(f) < 0) {
		src_free(f);
		return -1;
	}
	*out = f;
	return 0;
}

int src_load(src_file **out, const char *path, const char **why)
{
	FILE *fp;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	int rc;

	*out = NULL;
	fp = fopen(path, "rb");
	if (!fp) {
		*why = strerror(errno);
		return -1;
	}
	for (;;) {
		if (cap - len < 65536) {
			char *nb;
			cap = cap ? cap * 2 : 65536;
			if (cap > (size_t)SRC_MAX_BYTES + 65536) {
				free(buf);
				fclose(fp);
				*why = "file too large (the limit is 1 GiB)";
				return -1;
			}
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(fp);
				*why = "out of memory";
				return -1;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(fp)) {
		*why = strerror(errno ? errno : EIO);
		free(buf);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	if (len >= SRC_MAX_BYTES) {
		free(buf);
		*why = "file too large (the limit is 1 GiB)";
		return -1;
	}
	rc = src_from_memory(out, path, buf ? buf : "", len);
	free(buf);
	if (rc < 0)
		*why = "out of memory";
	return rc;
}

void src_free(src_file *f)
{
	if (!f)
		return;
	free(f->path);
	free(f->text);
	free(f->line_start);
	free(f);
}

static uint32_t line_of(const src_file *f, uint32_t off)
{
	uint32_t lo = 0, hi = f->nlines;

	/* Largest index with line_start <= off. */
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (f->line_start[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

void src_position(const src_file *f, uint32_t off, uint32_t *line, uint32_t *col)
{
	uint32_t l, p, c = 1;

	if (off > f->len)
		off = f->len;
	l = line_of(f, off);
	for (p = f->line_start[l]; p < off;) {
		int32_t cp;
		p += (uint32_t)src_decode(f->text + p, off - p, &cp);
		c++;
	}
	*line = l + 1;
	*col = c;
}

void src_line_span(const src_file *f, uint32_t line, uint32_t *start, uint32_t *end)
{
	uint32_t s, e;

	if (line < 1)
		line = 1;
	if (line > f->nlines)
		line = f->nlines;
	s = f->line_start[line - 1];
	e = line < f->nlines ? f->line_start[line] - 1 : f->len;
	if (e > s && f->text[e - 1] == '\r')
		e--;
	*start = s;
	*end = e;
}

size_t src_decode(const char *s, size_t n, int32_t *cp)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t k;

	if (n == 0) {
		*cp = 0xFFFD;
		return 1;
	}
	k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)(n > 4 ? 4 : n), &c);
	if (k <= 0) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = c;
	return (size_t)k;
}

int src_char_width(int32_t cp)
{
	int w = utf8proc_charwidth(cp);
	return w < 0 ? 1 : w;
}

uint32_t src_first_bad_utf8(const src_file *f)
{
	uint32_t p = 0;

	while (p < f->len) {
		utf8proc_int32_t c;
		utf8proc_ssize_t k;
		unsigned char b = (unsigned char)f->text[p];

		if (b == 0)
			return p;
		if (b < 0x80) {
			p++;
			continue;
		}
		k = utf8proc_iterate((const utf8proc_uint8_t *)f->text + p,
				     (utf8proc_ssize_t)(f->len - p), &c);
		if (k <= 0)
			return p;
		p += (uint32_t)k;
	}
	return f->len;
}
