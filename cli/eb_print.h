/*
** eb_print.h: the batch printers of `eval --jsonl` (eval_batch.c): an
** append-only byte buffer, JSON strings escaped exactly as jansson's
** compact dump of jtext_string escapes them, and the full and compact
** records.  No printf and no allocation per record once the buffer has
** grown to its working size.
*/
#ifndef LRC_EB_PRINT_H
#define LRC_EB_PRINT_H

#include <stdio.h>
#include <string.h>

#include "litrule.h"
#include "patient.h"

typedef struct {
	char *p;
	size_t len, cap;
	int oom;          /* a growth failed: the buffer's content is incomplete */
} eb_buf;

/** Makes room for n more bytes (and a spare one); 0 or -1 (b->oom set). */
int eb_grow(eb_buf *b, size_t n);

static inline void eb_put(eb_buf *b, const char *s, size_t n)
{
	if (b->cap - b->len <= n && eb_grow(b, n) != 0)
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
}
static inline void eb_puts(eb_buf *b, const char *s) { eb_put(b, s, strlen(s)); }

/** v in decimal into dst (at least 21 bytes), NUL-terminated; its length. */
size_t eb_fmt_long(char *dst, long v);
void eb_put_long(eb_buf *b, long v);
/** s as a JSON string: invalid UTF-8 bytes as \xHH (jtext.h), then
 ** escaped as jansson does (", \, and control characters). */
void eb_str(eb_buf *b, const char *s);

/* What every record of a run shares. */
typedef struct {
	const lr_ruleset *rs;
	report_cache *cache;
	const char **frag;   /* per action definition: report_cache_action */
	size_t *fraglen;
	uint32_t nfrag;
	const char *ruleset; /* report_cache_ruleset */
	size_t rslen;
	char **keys;         /* per input: its name as a JSON string and ':' */
	size_t *keylen;
	int compact;
	int record;          /* append the --record-inputs members */
	char *fixed;         /* ... those every record shares, without braces */
	size_t fixedlen;
} eb_ctx;

int eb_ctx_init(eb_ctx *x, const lr_ruleset *rs, int compact, int record, const char *fixed);
void eb_ctx_free(eb_ctx *x);

/** The compact form's first line (the rules' static parts), or nothing
 ** for the full form; 0 or -1 after a message. */
int eb_header(const eb_ctx *x, FILE *out);
/** One evaluated patient, without the newline. */
void eb_full_record(eb_buf *b, const eb_ctx *x, const lr_record *rec, const lr_result *res, const char *label);
void eb_compact_record(eb_buf *b, const eb_ctx *x, const lr_record *rec, const lr_result *res, const char *label);
/** A patient that could not be read, in the compact form. */
void eb_compact_unreadable(eb_buf *b, const char *label, const patient_errors *errs);

#endif
