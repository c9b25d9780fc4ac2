/*
** source.h: rule files in memory, and the map from byte offsets to the
** line and column numbers that diagnostics print.  Columns count Unicode
** characters (code points), not bytes, so a column is the same number an
** editor shows even after Chinese text; display widths (for carets) come
** from utf8proc.
*/
#ifndef LRC_SOURCE_H
#define LRC_SOURCE_H

#include <stddef.h>
#include <stdint.h>

/* Files above this size are refused with a diagnostic: offsets are 32-bit. */
#define SRC_MAX_BYTES (UINT32_C(1) << 30)

typedef struct {
	char *path;           /* as named on the command line (owned) */
	char *text;           /* file bytes plus a NUL (owned) */
	uint32_t len;
	uint32_t *line_start; /* byte offset of each line (owned) */
	uint32_t nlines;
	int utf8_ok;          /* 1 if text is valid UTF-8 without NUL bytes */
} src_file;

/** Reads a regular file.  Anything else (a FIFO, a device, a directory)
 ** is refused without blocking.  On failure returns -1 and sets *why to a
 ** static string (errno text, "file too large", "it is a FIFO ...").
 ** Caller frees with src_free. */
int src_load(src_file **out, const char *path, const char **why);
/* Where files come from.  The front end reads rule files and stored source
 * texts through one of these: NULL means the file system (src_load); the
 * audit commands supply one that reads blobs of a git commit, with virtual
 * absolute paths ("/rules/x.md" = rules/x.md of the commit), so the same
 * relative-path logic (source texts beside their rule file, the hash's
 * root) applies unchanged and no working-tree file is ever read. */
typedef struct src_vfs {
	/* Same contract as src_load. */
	int (*load)(void *ctx, src_file **out, const char *path, const char **why);
	void *ctx;
} src_vfs;

/** src_load through vfs, or from the file system when vfs is NULL. */
int src_load_via(const src_vfs *vfs, src_file **out, const char *path, const char **why);

/** Wraps an in-memory buffer (copied); used by tests and the fuzzer. */
int src_from_memory(src_file **out, const char *path, const char *data, size_t len);
void src_free(src_file *f);

/* Lines end at LF, CRLF or a lone CR, as in CommonMark, so line numbers
 * agree with cmark's (which decides where rule blocks are). */
/** 1-based line and character column of byte offset off (a byte-order
 ** mark at the start of the file is not counted as a column). */
void src_position(const src_file *f, uint32_t off, uint32_t *line, uint32_t *col);
/** Byte range of a 1-based line, without its line terminator. */
void src_line_span(const src_file *f, uint32_t line, uint32_t *start, uint32_t *end);

/** 1 if the file starts with a UTF-8 byte-order mark (3 bytes). */
int src_has_bom(const src_file *f);

/** Offset of the first byte that is not valid UTF-8 (or is NUL), or
 ** f->len when the whole file is valid. */
uint32_t src_first_bad_utf8(const src_file *f);

/** Decodes one code point at s[0..n); returns its byte length (>= 1) and
 ** stores the code point, or U+FFFD for an invalid sequence. */
size_t src_decode(const char *s, size_t n, int32_t *cp);
/** Terminal columns a code point occupies (0, 1 or 2). */
int src_char_width(int32_t cp);

#endif
