/*
** source.c: loading rule files and mapping offsets to lines and columns.
** utf8proc does the decoding and the display widths, so CJK characters
** take two columns under a caret and combining marks take none.
*/
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

/* Length of the line terminator at text[i] (LF, CRLF or a lone CR), or 0.
 * A lone CR ends a line because CommonMark (and so cmark, which decides
 * the block structure) says so: line numbers must agree with cmark's. */
static uint32_t eol_len(const src_file *f, uint32_t i)
{
	if (f->text[i] == '\n')
		return 1;
	if (f->text[i] == '\r')
		return i + 1 < f->len && f->text[i + 1] == '\n' ? 2 : 1;
	return 0;
}

static int build_lines(src_file *f)
{
	uint32_t i, k, n = 1;

	for (i = 0; i < f->len; i += k ? k : 1)
		if ((k = eol_len(f, i)) != 0)
			n++;
	f->line_start = malloc(sizeof(uint32_t) * n);
	if (!f->line_start)
		return -1;
	f->nlines = 0;
	f->line_start[f->nlines++] = 0;
	for (i = 0; i < f->len; i += k ? k : 1)
		if ((k = eol_len(f, i)) != 0)
			f->line_start[f->nlines++] = i + k;
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

/* Why a file that is not a regular file is refused (never opened for
 * reading: a FIFO would block, a device would never end). */
static const char *kind_name(mode_t m)
{
	if (S_ISDIR(m))
		return "it is a directory";
	if (S_ISFIFO(m))
		return "it is a FIFO (named pipe), not a regular file";
	if (S_ISSOCK(m))
		return "it is a socket, not a regular file";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "it is a device, not a regular file";
	return "it is not a regular file";
}

/* Reads all of fd into a malloc'd buffer; returns -1 and sets *why. */
static int read_all(int fd, char **out, size_t *outlen, const char **why)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;

	for (;;) {
		ssize_t n;
		if (cap - len < 65536) {
			char *nb;
			cap = cap ? cap * 2 : 65536;
			if (cap > (size_t)SRC_MAX_BYTES + 65536) {
				free(buf);
				*why = "file too large (the limit is 1 GiB)";
				return -1;
			}
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				*why = "out of memory";
				return -1;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*why = strerror(errno);
			free(buf);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	*out = buf;
	*outlen = len;
	return 0;
}

int src_load_via(const src_vfs *vfs, src_file **out, const char *path, const char **why)
{
	if (vfs)
		return vfs->load(vfs->ctx, out, path, why);
	return src_load(out, path, why);
}

int src_load(src_file **out, const char *path, const char **why)
{
	char *buf = NULL;
	size_t len = 0;
	struct stat st;
	int fd, rc;

	*out = NULL;
	/* O_NONBLOCK: opening a FIFO for reading must not wait for a writer;
	 * the type is then checked on the opened descriptor itself, so the
	 * path cannot be swapped between the check and the read. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		*why = strerror(errno);
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		*why = strerror(errno);
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		*why = kind_name(st.st_mode);
		close(fd);
		return -1;
	}
	rc = read_all(fd, &buf, &len, why);
	close(fd);
	if (rc < 0)
		return -1;
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
	p = f->line_start[l];
	/* A byte-order mark is not a character the author sees. */
	if (l == 0 && off >= 3 && src_has_bom(f))
		p = 3;
	for (; p < off;) {
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
	e = line < f->nlines ? f->line_start[line] : f->len;
	/* Drop the terminator: LF, CRLF or a lone CR. */
	if (e > s && f->text[e - 1] == '\n')
		e--;
	if (e > s && f->text[e - 1] == '\r')
		e--;
	*start = s;
	*end = e;
}

int src_has_bom(const src_file *f)
{
	return f->len >= 3 && memcmp(f->text, "\xEF\xBB\xBF", 3) == 0;
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
