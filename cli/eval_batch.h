/*
** eval_batch.h: `litrule eval --jsonl` at I/O speed: the batch loop
** (streaming reader, chunks of lines, optional worker threads keeping
** input order) and its two printers, the full form (byte-identical to
** report_json's compact dump) and the compact form (docs/eval.md).
*/
#ifndef LRC_EVAL_BATCH_H
#define LRC_EVAL_BATCH_H

#include <stdio.h>

#include "litrule.h"

/* The longest patient line read; a longer line is an error naming it. */
#define EB_MAX_LINE ((size_t)1 << 20)

typedef struct {
	int set;            /* some batch option was given */
	int compact;        /* --output compact */
	int jobs;           /* --jobs N (default 1) */
	int record_given;   /* --record-inputs was written out */
} eb_opts;

/** Takes --output full|compact and --jobs N out of argv[0..n) (the
 ** others keep their order); returns the new count, or -1 after a usage
 ** message. */
int eb_take_opts(eb_opts *o, int n, char **argv);

/** Evaluates the JSON Lines on fd for rs and writes one record per line
 ** to out.  record: append the --record-inputs members, fixed holding the
 ** members every record shares (compact JSON without braces).  Returns
 ** 0, 1 when some patient was unreadable or refused, 2 on a read, write
 ** or memory failure (after a message). */
int eb_run(const eb_opts *o, const lr_ruleset *rs, int fd, FILE *out, int record, const char *fixed);

#endif
