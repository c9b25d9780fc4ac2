/*
** weave_impl.h: what the weave renderers share (not for other modules):
** the rendering context, the stored source texts with their marked
** passages, and one entry point per part of the page.
*/
#ifndef LRC_WEAVE_IMPL_H
#define LRC_WEAVE_IMPL_H

#include "weave.h"

/* A passage marked on a source page: <mark class="lr-passage" id="q-N">. */
typedef struct {
	uint32_t start, end;
	unsigned q;
} wv_mark;

/* One stored source text: one page, sources/STEM.html. */
typedef struct {
	const char *path;        /* as the front end resolved it */
	char *stem;              /* unique among the pages, safe in a URL */
	src_file *file;          /* NULL: could not be read */
	wv_mark *marks;          /* in order of first citation */
	size_t nmarks, capmarks;
	const decl *src;         /* the first source declaration naming it */
} wv_text_page;

/* Where a citation's quote is: a text page and a mark, or why not. */
typedef struct {
	const citation *c;
	int page;                /* index in texts, -1: no stored text */
	int q;                   /* mark id, -1: not found in it */
} wv_cite;

typedef struct {
	const ruleset_ast *rs;
	const wv_evidence *ev;
	diag_ctx *d;
	wv_buf *b;               /* the page being written */
	const decl **byname;     /* declarations sorted by name (first of a name wins) */
	size_t nbyname;
	uint8_t *id_done;        /* per declaration of rs (by position): its id is on the page */
	const decl **byaddr;     /* declarations sorted by address, for wv_decl_pos */
	size_t *addrpos;         /* their positions in rs->decls */
	size_t cursor;           /* wv_block: the first declaration not rendered yet */
	wv_text_page *texts;
	size_t ntexts;
	wv_cite *cites;          /* sorted by citation address (wv_cite_of) */
	size_t ncites;
	int oom;
} wv_ctx;

/* weave.c */
const decl *wv_lookup(const wv_ctx *c, const char *name, size_t n);
/** The declaration's position in rs->decls (for id_done), or -1. */
long wv_decl_pos(const wv_ctx *c, const decl *d);
/** Text of the source between span s of file f, escaped. */
void wv_span_text(wv_ctx *c, const src_file *f, span s);
const char *wv_verb_name(act_verb v);
const char *wv_field(const decl *d, const char *key);

/* weave_source.c */
int wv_texts_collect(wv_ctx *c);
void wv_texts_free(wv_ctx *c);
const wv_cite *wv_cite_of(const wv_ctx *c, const citation *ct);
int wv_source_page(wv_ctx *c, const wv_text_page *t, wv_buf *b);

/* weave_rule.c */
void wv_block(wv_ctx *c, const src_file *f, uint32_t start, uint32_t end);
void wv_citation(wv_ctx *c, const citation *ct);

/* weave_prose.c */
int wv_prose(wv_ctx *c, const src_file *f);

/* weave_summary.c */
void wv_summary(wv_ctx *c);

/* weave_try.c */
void wv_try(wv_ctx *c);

/* weave_style.c */
void wv_head(wv_buf *b, const char *title, const char *root);
void wv_script(wv_buf *b);

#endif
