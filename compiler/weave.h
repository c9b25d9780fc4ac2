/*
** weave.h: `litrule weave`, the rule book as a self-contained web page
** (wv_*).  The checked syntax tree is rendered to DIR/index.html (the
** prose through cmark-gfm, each rule block as highlighted, linked code with
** its evidence beside every rule, a summary, a bibliography, the input
** dictionary and a form that builds a patient record) and one page per
** stored source text, DIR/sources/STEM.html, with every quoted passage
** marked.  docs/weave.md describes the page.
**
** The evidence that does not come from the tree (examples' results, verify
** findings, each rule's last change in git) is computed by the caller and
** passed in: this module knows nothing about git or the test runner.
** Everything that came from a rule file or a source text is HTML-escaped.
*/
#ifndef LRC_WEAVE_H
#define LRC_WEAVE_H

#include <stddef.h>

#include "ast.h"
#include "diag.h"

/* A growable byte buffer; oom is set (and stays set) when memory ran out. */
typedef struct {
	char *data;
	size_t len, cap;
	int oom;
} wv_buf;

void wv_buf_free(wv_buf *b);
void wv_putn(wv_buf *b, const char *s, size_t n);
void wv_put(wv_buf *b, const char *s);
void wv_printf(wv_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/** s[0..n) escaped for text and for quoted attribute values (& < > " '). */
void wv_esc(wv_buf *b, const char *s, size_t n);
/** wv_esc, with each run of CJK text wrapped in <span lang="zh">. */
void wv_text(wv_buf *b, const char *s, size_t n);
/** NUL-terminated convenience for wv_text. */
void wv_texts(wv_buf *b, const char *s);
/** HTML (from cmark) copied with each run of CJK text between its tags
 ** wrapped in <span lang="zh">. */
void wv_zh_html(wv_buf *b, const char *html, size_t n);
/** 1 if s[0..n) holds a CJK character. */
int wv_has_cjk(const char *s, size_t n);

/* One example's result, from running it at weave time. */
typedef struct {
	const decl *example;
	int passed;
} wv_example;

/* A rule's last change, from the caller's version control. */
typedef struct {
	const char *why;        /* non-NULL: not shown, and why (the other fields unset) */
	const char *commit;     /* hex id */
	const char *author;     /* "Name <mail>" */
	const char *date;       /* "YYYY-MM-DD" */
	const char *subject;
	const char *reviewers;  /* "A, B"; NULL or "": none recorded */
	int unreviewed;         /* no reviewer other than the author */
} wv_change;

typedef struct {
	const char *name, *version, *hash, *commit;  /* identity; commit NULL: not in git */
	const wv_example *examples;                   /* NULL with examples_why: not run */
	size_t nexamples;
	const char *examples_why;
	const diag_ctx *findings;                     /* verify's; NULL with findings_why: not run */
	const char *findings_why;
	/* Fills *out for rule (a D_RULE); NULL: "not in a git repository". */
	void (*change)(void *ud, const decl *rule, wv_change *out);
	void *change_ud;
} wv_evidence;

/* One page of the book: its path under DIR and its bytes. */
typedef struct {
	char *name;             /* "index.html", "sources/STEM.html" (malloc) */
	wv_buf html;
} wv_page;

typedef struct {
	wv_page *pages;
	size_t npages;
} wv_book;

/** Renders the book of rs (checked without errors) into memory.  Warnings
 ** (a refused url) go to d.  Returns 0, or -1 when out of memory. */
int wv_render(wv_book *out, const ruleset_ast *rs, const wv_evidence *ev, diag_ctx *d);
void wv_book_free(wv_book *book);

/** Writes book into dir atomically: a new directory dir.tmp.XXXXXX beside
 ** it, renamed into place; an existing dir is replaced only if a previous
 ** weave wrote it (its marker file), or if it is empty.  fail_after > 0
 ** makes the write fail after that many files (tests).  Returns 0, or -1
 ** with a message in why[0..nwhy); nothing is left half-written. */
int wv_write_dir(const wv_book *book, const char *dir, int fail_after, char *why, size_t nwhy);

/** The marker file a woven directory holds. */
#define WV_MARKER ".litrule-weave"

/** Finds quote in text (n bytes) as the front end's quote check matches it
 ** (normalised: NFC, white space runs as one space; first occurrence) and
 ** gives the byte range of the passage in text.  0, or -1 if not found. */
int wv_quote_find(const char *text, size_t n, const char *quote, uint32_t *start, uint32_t *end);

#endif
