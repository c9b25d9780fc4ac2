/*
** eval_batch.c: `litrule eval --jsonl` at I/O speed (see eval_batch.h).
**
** The input is read in chunks of whole lines (about CHUNK_BYTES each);
** each chunk is parsed (jsonin.c), evaluated and printed into the chunk's
** own output buffer, and the buffers are written in input order.  With
** --jobs N, N worker threads take chunks in turn while the main thread
** reads ahead and writes; at most 2N chunks exist, so memory is bounded
** by the chunk size and N, never by the number of patients.  Buffers are
** reused from chunk to chunk: after the first few chunks nothing is
** allocated, apart from malformed lines, which go through jansson so that
** their messages are exactly those of `eval` on a file.
**
** Printing writes bytes directly (no printf per field); the static parts
** of each action come pre-rendered from report_cache.  The full form is
** byte-identical to report_compact (tests/e2e/sections/batch.sh and
** fuzz_patient compare them); the compact form is documented in
** docs/eval.md.
*/
#include "eval_batch.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eb_print.h"
#include "jsonin.h"
#include "litrule_table.h"
#include "patient.h"

#define CHUNK_BYTES ((size_t)256 << 10) /* input per chunk */
#define CHUNK_LINES 4096
#define MAX_JOBS 64

typedef struct {
	size_t off, len;
	long no;          /* line number */
	int too_long;
} eb_line;

typedef struct {
	char *in;         /* the lines' bytes */
	size_t inlen, incap;
	eb_line *lines;
	int nlines;
	eb_buf out, err;  /* records; messages for standard error */
	int bad;
	int done;         /* processed (guarded by the pool's lock) */
} eb_chunk;

typedef struct {
	int fd;
	char *buf;
	size_t cap, start, end;
	long lineno;
	int eof, discarding, first, ioerr;
} eb_input;

typedef struct {
	ji_reader *rd;
	lr_action *acts;
	uint32_t nacts;
	lr_record rec;              /* zeroed; heap arrays past 256 inputs (patient_record_reset) */
	lr_result res;
	lr_missing *missing;        /* past LR_MISSING_INLINE inputs */
	void *scratch;              /* past LR_EVAL_STACK_SCRATCH bytes: the worker's, reused */
	size_t nscratch;
} eb_worker;

/* ---- options ------------------------------------------------------------ */

static int usage(const char *msg)
{
	fprintf(stderr, "litrule: error: %s\n", msg);
	return -1;
}

int eb_take_opts(eb_opts *o, int n, char **argv)
{
	int i, k = 0;
	memset(o, 0, sizeof *o);
	o->jobs = 1;
	for (i = 0; i < n; i++) {
		const char *v = NULL;
		int output;
		if (strcmp(argv[i], "--output") == 0 || strcmp(argv[i], "--jobs") == 0) {
			if (i + 1 >= n)
				return usage("--output and --jobs need a value");
			output = argv[i][2] == 'o';
			v = argv[++i];
		} else if (strncmp(argv[i], "--output=", 9) == 0 || strncmp(argv[i], "--jobs=", 7) == 0) {
			output = argv[i][2] == 'o';
			v = strchr(argv[i], '=') + 1;
		} else {
			if (strcmp(argv[i], "--record-inputs") == 0)
				o->record_given = 1;
			argv[k++] = argv[i];
			continue;
		}
		o->set = 1;
		if (output) {
			if (strcmp(v, "compact") != 0 && strcmp(v, "full") != 0)
				return usage("--output is full or compact");
			o->compact = v[0] == 'c';
		} else {
			char *e;
			long j = strtol(v, &e, 10);
			if (*v == '\0' || *e != '\0' || j < 1 || j > MAX_JOBS)
				return usage("--jobs is a number of threads from 1 to 64");
			o->jobs = (int)j;
		}
	}
	return k;
}

/* ---- reading lines into chunks ----------------------------------------- */

static void add_line(eb_chunk *c, const char *p, size_t len, long no, int too_long)
{
	eb_line *l = &c->lines[c->nlines++];
	/* Strip the \r of CRLF files, as getline's callers did. */
	while (len > 0 && p[len - 1] == '\r')
		len--;
	l->off = c->inlen;
	l->len = too_long ? 0 : len;
	l->no = no;
	l->too_long = too_long;
	if (!too_long) {
		memcpy(c->in + c->inlen, p, len);
		c->inlen += len;
	}
}

/* More input into in->buf; 0 at the end or on an error (in->ioerr). */
static int read_more(eb_input *in)
{
	ssize_t got;
	if (in->start > 0) {
		memmove(in->buf, in->buf + in->start, in->end - in->start);
		in->end -= in->start;
		in->start = 0;
	}
	do
		got = read(in->fd, in->buf + in->end, in->cap - in->end);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		in->ioerr = errno;
	if (got <= 0) {
		in->eof = 1;
		return 0;
	}
	if (in->first && in->end == 0 && got >= 3 && memcmp(in->buf, "\xEF\xBB\xBF", 3) == 0) {
		/* A UTF-8 byte-order mark opening the stream is not part of the data. */
		memmove(in->buf, in->buf + 3, (size_t)got - 3);
		got -= 3;
	}
	in->first = 0;
	in->end += (size_t)got;
	return 1;
}

/* Fills c with the next lines; returns the number of lines (0: the end). */
static int fill_chunk(eb_input *in, eb_chunk *c)
{
	c->nlines = 0;
	c->inlen = 0;
	c->out.len = c->err.len = 0;
	c->bad = 0;
	c->done = 0;
	while (c->nlines < CHUNK_LINES && c->inlen < CHUNK_BYTES) {
		char *p = in->buf + in->start;
		size_t avail = in->end - in->start;
		char *nl = avail ? memchr(p, '\n', avail) : NULL;
		if (!nl) {
			if (!in->discarding && avail > EB_MAX_LINE) {
				add_line(c, p, 0, ++in->lineno, 1);
				in->discarding = 1;
			}
			if (in->discarding)
				in->start = in->end; /* drop the rest of the long line */
			if (in->eof || !read_more(in)) {
				if (!in->discarding && in->end > in->start) /* a last line without a newline */
					add_line(c, in->buf + in->start, in->end - in->start, ++in->lineno, 0);
				in->start = in->end;
				break;
			}
			continue;
		}
		if (in->discarding)
			in->discarding = 0;
		else if ((size_t)(nl - p) > EB_MAX_LINE)
			add_line(c, p, 0, ++in->lineno, 1);
		else
			add_line(c, p, (size_t)(nl - p), ++in->lineno, 0);
		in->start += (size_t)(nl - p) + 1;
	}
	return c->nlines;
}

/* ---- one line ------------------------------------------------------------ */

static void err_line(eb_chunk *c, long no, int col, const char *msg)
{
	eb_put(&c->err, "<stdin>:", 8);
	eb_put_long(&c->err, no);
	if (col > 0) {
		eb_put(&c->err, ":", 1);
		eb_put_long(&c->err, col);
	}
	eb_puts(&c->err, ": error: ");
	eb_puts(&c->err, msg);
	eb_put(&c->err, "\n", 1);
}

/* A patient that could not be read: its record and its messages (syntax:
 * jansson's text of a line that is not JSON, at column col). */
static void unreadable(const eb_ctx *x, eb_chunk *c, const char *label, long no, const patient_errors *errs,
		       int col, const char *syntax)
{
	int k;
	c->bad = 1;
	if (syntax)
		err_line(c, no, col, syntax);
	for (k = 0; !syntax && k < errs->n; k++)
		err_line(c, no, 0, errs->msg[k]);
	if (x->compact) {
		eb_compact_unreadable(&c->out, label, errs);
	} else {
		json_t *o = report_json_unreadable(x->rs, label, errs);
		char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
		if (s)
			eb_puts(&c->out, s);
		else
			c->out.oom = 1;
		free(s);
		json_decref(o);
	}
	eb_put(&c->out, "\n", 1);
}

/* A line the streaming reader handed back: jansson reads it, as `eval`
 * on a file would.  Returns 0 when w->rec holds the patient. */
static int read_fallback(const eb_ctx *x, eb_worker *w, eb_chunk *c, const char *p, size_t len, long no,
			 const char *label)
{
	json_error_t jerr;
	patient_errors errs;
	json_t *obj = patient_loadb(p, len, &jerr);

	memset(&errs, 0, sizeof errs);
	if (!obj) {
		errs.n = 1;
		snprintf(errs.msg[0], sizeof errs.msg[0], "column %d: %s", jerr.column, jerr.text);
		unreadable(x, c, label, no, &errs, jerr.column, jerr.text);
		return -1;
	}
	if (patient_from_json(&w->rec, x->rs, obj, &errs) > 0) {
		json_decref(obj);
		unreadable(x, c, label, no, &errs, 0, NULL);
		return -1;
	}
	json_decref(obj);
	return 0;
}

/* Messages for a record lr_eval refused or cut short, in the reader's
 * form: <stdin>:LINE: error: ... */
static void eval_messages(eb_chunk *c, const lr_result *res, int rc, long no)
{
	char msg[320];
	uint32_t k;
	if (rc == LR_OK)
		return;
	c->bad = 1;
	if (rc == LR_ERANGE) {
		for (k = 0; k < res->nerrors; k++)
			if (res->errors[k].name) {
				snprintf(msg, sizeof msg, "field '%s': %s", res->errors[k].name, res->errors[k].message);
				err_line(c, no, 0, msg);
			}
		if (res->errors_dropped) {
			snprintf(msg, sizeof msg, "and %u more errors", (unsigned)res->errors_dropped);
			err_line(c, no, 0, msg);
		}
	} else if (rc == LR_EFULL) {
		snprintf(msg, sizeof msg, "%u actions did not fit in the result and are not listed",
			 (unsigned)res->actions_dropped);
		err_line(c, no, 0, msg);
	} else {
		err_line(c, no, 0, lr_strerror(rc));
	}
}

static void one_line(const eb_ctx *x, eb_worker *w, eb_chunk *c, const eb_line *l)
{
	const char *p = c->in + l->off;
	char label[32] = "line ";
	patient_errors errs;
	int rc;

	eb_fmt_long(label + 5, l->no);
	if (l->too_long) {
		memset(&errs, 0, sizeof errs);
		errs.n = 1;
		snprintf(errs.msg[0], sizeof errs.msg[0], "the line is longer than %lu bytes, the limit of a patient record",
			 (unsigned long)EB_MAX_LINE);
		unreadable(x, c, label, l->no, &errs, 0, NULL);
		return;
	}
	if (l->len == 0)
		return; /* blank lines are skipped (and counted) */
	rc = ji_read(w->rd, &w->rec, p, l->len, &errs);
	if (rc == JI_FIELDS) {
		unreadable(x, c, label, l->no, &errs, 0, NULL);
		return;
	}
	if (rc == JI_FALLBACK && read_fallback(x, w, c, p, l->len, l->no, label) != 0)
		return;
	/* A rule set past lr_eval's stack buffer: the worker's scratch, no
	 * allocation per patient either way. */
	rc = w->scratch ? lr_eval_scratch(&w->res, x->rs, &w->rec, w->scratch, w->nscratch)
			: lr_eval(&w->res, x->rs, &w->rec);
	eval_messages(c, &w->res, rc, l->no);
	if (x->compact)
		eb_compact_record(&c->out, x, &w->rec, &w->res, label);
	else
		eb_full_record(&c->out, x, &w->rec, &w->res, label);
	eb_put(&c->out, "\n", 1);
}

static void run_chunk(const eb_ctx *x, eb_worker *w, eb_chunk *c)
{
	int k;
	for (k = 0; k < c->nlines; k++)
		one_line(x, w, c, &c->lines[k]);
}

/* ---- workers ------------------------------------------------------------- */

static int worker_init(eb_worker *w, const lr_ruleset *rs)
{
	memset(w, 0, sizeof *w);
	w->nacts = lr_ruleset_max_actions(rs);
	w->nacts = w->nacts ? w->nacts : 1;
	w->acts = malloc((size_t)w->nacts * sizeof *w->acts);
	w->rd = ji_new(rs, EB_MAX_LINE);
	if (!w->acts || !w->rd)
		return -1;
	lr_result_init(&w->res, w->acts, w->nacts);
	if (rs->ninputs > LR_MISSING_INLINE) {
		if (!(w->missing = malloc((size_t)rs->ninputs * sizeof *w->missing)))
			return -1;
		lr_result_set_missing(&w->res, w->missing, rs->ninputs);
	}
	if ((w->nscratch = lr_scratch_size(rs)) > LR_EVAL_STACK_SCRATCH && !(w->scratch = malloc(w->nscratch)))
		return -1;
	return 0;
}

static void worker_free(eb_worker *w)
{
	free(w->acts);
	free(w->missing);
	free(w->scratch);
	patient_record_release(&w->rec);
	ji_free(w->rd);
}

static int chunk_init(eb_chunk *c)
{
	memset(c, 0, sizeof *c);
	c->incap = CHUNK_BYTES + EB_MAX_LINE + 1;
	c->in = malloc(c->incap);
	c->lines = malloc(CHUNK_LINES * sizeof *c->lines);
	return c->in && c->lines ? 0 : -1;
}

static void chunk_free(eb_chunk *c)
{
	free(c->in);
	free(c->lines);
	free(c->out.p);
	free(c->err.p);
}

typedef struct {
	const eb_ctx *x;
	eb_chunk *chunks;
	int nchunks;
	long next_take, filled;  /* chunks handed to workers; chunks read */
	int eof;
	pthread_mutex_t lock;
	pthread_cond_t work, finished;
	eb_worker *w;
} eb_pool;

typedef struct {
	eb_pool *pool;
	int id;
} eb_arg;

static void *worker_main(void *arg)
{
	eb_arg *a = arg;
	eb_pool *p = a->pool;
	for (;;) {
		eb_chunk *c;
		pthread_mutex_lock(&p->lock);
		while (p->next_take == p->filled && !p->eof)
			pthread_cond_wait(&p->work, &p->lock);
		if (p->next_take == p->filled) {
			pthread_mutex_unlock(&p->lock);
			return NULL;
		}
		c = &p->chunks[p->next_take++ % p->nchunks];
		pthread_mutex_unlock(&p->lock);
		run_chunk(p->x, &p->w[a->id], c);
		pthread_mutex_lock(&p->lock);
		c->done = 1;
		pthread_cond_broadcast(&p->finished);
		pthread_mutex_unlock(&p->lock);
	}
}

/* Writes a processed chunk; 0, or -1 on a write error. */
static int flush_chunk(eb_chunk *c, FILE *out, int *bad)
{
	if (c->out.oom || c->err.oom) {
		fprintf(stderr, "litrule: out of memory\n");
		return -1;
	}
	if (c->err.len)
		fwrite(c->err.p, 1, c->err.len, stderr);
	*bad |= c->bad;
	if (fwrite(c->out.p, 1, c->out.len, out) != c->out.len) {
		fprintf(stderr, "litrule: error: writing the output: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static int run_serial(const eb_ctx *x, eb_input *in, FILE *out, int *bad)
{
	eb_worker w;
	eb_chunk c;
	int rc = 0;

	if (worker_init(&w, x->rs) != 0 || chunk_init(&c) != 0) {
		worker_free(&w);
		fprintf(stderr, "litrule: out of memory\n");
		return -1;
	}
	while (rc == 0 && fill_chunk(in, &c) > 0) {
		run_chunk(x, &w, &c);
		rc = flush_chunk(&c, out, bad);
	}
	chunk_free(&c);
	worker_free(&w);
	return rc;
}

static int run_pool(const eb_ctx *x, eb_input *in, FILE *out, int *bad, int jobs)
{
	eb_pool p;
	pthread_t th[MAX_JOBS];
	eb_arg args[MAX_JOBS];
	long written = 0;
	int k, started = 0, rc = 0, ok = 1;

	memset(&p, 0, sizeof p);
	p.x = x;
	p.nchunks = 2 * jobs;
	p.chunks = calloc((size_t)p.nchunks, sizeof *p.chunks);
	p.w = calloc((size_t)jobs, sizeof *p.w);
	ok = p.chunks && p.w;
	for (k = 0; ok && k < p.nchunks; k++)
		ok = chunk_init(&p.chunks[k]) == 0;
	for (k = 0; ok && k < jobs; k++)
		ok = worker_init(&p.w[k], x->rs) == 0;
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.work, NULL);
	pthread_cond_init(&p.finished, NULL);
	for (k = 0; ok && k < jobs; k++) {
		args[k].pool = &p;
		args[k].id = k;
		if (pthread_create(&th[k], NULL, worker_main, &args[k]) != 0)
			break;
		started++;
	}
	if (!ok || started == 0) {
		fprintf(stderr, "litrule: out of memory\n");
		rc = -1;
	}
	/* Read ahead while chunks are free; write the oldest once done. */
	while (rc == 0) {
		eb_chunk *c;
		if (!p.eof && p.filled - written < p.nchunks) {
			int n = fill_chunk(in, &p.chunks[p.filled % p.nchunks]);
			pthread_mutex_lock(&p.lock);
			if (n > 0)
				p.filled++;
			else
				p.eof = 1;
			pthread_cond_broadcast(&p.work);
			pthread_mutex_unlock(&p.lock);
			continue;
		}
		if (written == p.filled)
			break;
		c = &p.chunks[written % p.nchunks];
		pthread_mutex_lock(&p.lock);
		while (!c->done)
			pthread_cond_wait(&p.finished, &p.lock);
		pthread_mutex_unlock(&p.lock);
		rc = flush_chunk(c, out, bad);
		written++;
	}
	pthread_mutex_lock(&p.lock);
	p.eof = 1;
	p.next_take = p.filled; /* after an error: nothing more to do */
	pthread_cond_broadcast(&p.work);
	pthread_mutex_unlock(&p.lock);
	for (k = 0; k < started; k++)
		pthread_join(th[k], NULL);
	for (k = 0; p.chunks && k < p.nchunks; k++)
		chunk_free(&p.chunks[k]);
	for (k = 0; p.w && k < jobs; k++)
		worker_free(&p.w[k]);
	free(p.chunks);
	free(p.w);
	pthread_mutex_destroy(&p.lock);
	pthread_cond_destroy(&p.work);
	pthread_cond_destroy(&p.finished);
	return rc;
}

int eb_run(const eb_opts *o, const lr_ruleset *rs, int fd, FILE *out, int record, const char *fixed)
{
	eb_ctx x;
	eb_input in;
	int bad = 0, rc;

	memset(&in, 0, sizeof in);
	in.fd = fd;
	in.first = 1;
	in.cap = EB_MAX_LINE + 4 * CHUNK_BYTES;
	/* The compact form records the inputs only when asked to. */
	if (eb_ctx_init(&x, rs, o->compact, record && (!o->compact || o->record_given), fixed) != 0 ||
	    !(in.buf = malloc(in.cap))) {
		eb_ctx_free(&x);
		fprintf(stderr, "litrule: out of memory\n");
		return 2;
	}
	rc = eb_header(&x, out);
	if (rc == 0)
		rc = o->jobs > 1 ? run_pool(&x, &in, out, &bad, o->jobs) : run_serial(&x, &in, out, &bad);
	if (rc == 0 && fflush(out) != 0) {
		fprintf(stderr, "litrule: error: writing the output: %s\n", strerror(errno));
		rc = -1;
	}
	if (in.ioerr) {
		fprintf(stderr, "litrule: error: reading standard input: %s\n", strerror(in.ioerr));
		rc = -1;
	}
	free(in.buf);
	eb_ctx_free(&x);
	return rc ? 2 : bad;
}
