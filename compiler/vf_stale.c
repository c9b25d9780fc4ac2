/*
** vf_stale.c: the stale-source analysis of `litrule verify`.  A source
** whose 'review_by' date has passed (before the context's today), and a
** source whose stored text differs from the one at the last audit (the
** context's src_changed callback: the command line reads git, the compiler
** does not), is a warning at the field, naming every declaration that
** quotes the source, with a note at each of those citations.
*/
#include "verify.h"

#include <stdio.h>
#include <string.h>

/* The field named key of source d, or NULL. */
static const field *st_field(const decl *d, const char *key)
{
	size_t i;
	for (i = 0; i < d->fields.len; i++) {
		const field *f = d->fields.items[i];
		if (strcmp(f->key.name, key) == 0)
			return f;
	}
	return NULL;
}

static const char *st_kind(decl_kind k)
{
	return k == D_RULE ? "rule" : k == D_TABLE ? "table" : k == D_PARAM ? "param" : "declaration";
}

/* 1 if declaration d has a citation of src. */
static int st_quotes(const decl *d, const decl *src)
{
	size_t j;
	for (j = 0; j < d->cites.len; j++) {
		const citation *ct = d->cites.items[j];
		if (ct->src == src || (ct->source.name && strcmp(ct->source.name, src->id.name) == 0))
			return 1;
	}
	return 0;
}

/* "rule A, rule B" (each declaration once) for the citations of src; "" if
 * none.  Two passes, the length and then the text: appending one name at a
 * time would copy the list once per quoter, quadratic in time and in arena
 * memory for a source that thousands of rules quote (700 MB for 10,000). */
static const char *st_quoters(vf_ctx *c, const decl *src)
{
	size_t i, n = 0, at = 0;
	char *out;

	for (i = 0; i < c->rs->decls.len; i++) {
		const decl *d = c->rs->decls.items[i];
		if (st_quotes(d, src))
			n += 2 + strlen(st_kind(d->kind)) + 1 + strlen(d->id.name);
	}
	out = arena_alloc(c->a, n + 1);
	out[0] = '\0';
	for (i = 0; i < c->rs->decls.len; i++) {
		const decl *d = c->rs->decls.items[i];
		if (st_quotes(d, src))
			at += (size_t)snprintf(out + at, n + 1 - at, "%s%s %s", at ? ", " : "", st_kind(d->kind), d->id.name);
	}
	return out;
}

/* A note at every citation of src: the rules the finding is about. */
static void st_notes(vf_ctx *c, diag *g, const decl *src)
{
	size_t i, j;

	for (i = 0; i < c->rs->decls.len; i++) {
		const decl *d = c->rs->decls.items[i];
		for (j = 0; j < d->cites.len; j++) {
			const citation *ct = d->cites.items[j];
			if (ct->src == src || (ct->source.name && strcmp(ct->source.name, src->id.name) == 0))
				diag_note(c->d, g, d->file, ct->source.loc.start, ct->source.loc.end,
					  "%s '%s' quotes '%s' here", st_kind(d->kind), d->id.name, src->id.name);
		}
	}
}

static void st_review(vf_ctx *c, const vf_check *self, const decl *src, const char *who)
{
	const field *f = st_field(src, "review_by");
	lr_date due;
	char today[16];
	diag *g;

	/* sema has checked the date; a field it rejected never gets here. */
	if (!f || !c->have_today || f->is_number || lr_date_parse(&due, f->text, strlen(f->text)) != LR_OK ||
	    due >= c->today)
		return;
	lr_date_format(today, sizeof today, c->today);
	g = vf_report(c, self, src->file, f->value_loc, NULL, arena_printf(c->a, "review_by:%s", src->id.name),
		      "source '%s' was due for review on %s (today is %s); %s", src->id.name, f->text, today,
		      *who ? arena_printf(c->a, "quoted by %s", who) : "no declaration quotes it");
	st_notes(c, g, src);
}

static void st_changed(vf_ctx *c, const vf_check *self, const decl *src, const char *who)
{
	const field *f = st_field(src, "text");
	const char *against = "";
	diag *g;

	if (!f || !src->text_path || !c->src_changed || c->src_changed(c->src_ud, src, &against) != 1)
		return;
	g = vf_report(c, self, src->file, f->value_loc, NULL, arena_printf(c->a, "text:%s", src->id.name),
		      "the stored text of source '%s' (%s) differs from the one audited at %s; %s", src->id.name,
		      f->text, against, *who ? arena_printf(c->a, "quoted by %s", who) : "no declaration quotes it");
	st_notes(c, g, src);
}

void vf_stale_run(vf_ctx *c, const vf_check *self)
{
	size_t i;

	for (i = 0; i < c->rs->decls.len; i++) {
		const decl *d = c->rs->decls.items[i];
		const char *who;
		if (d->kind != D_SOURCE)
			continue;
		who = st_quoters(c, d);
		st_review(c, self, d, who);
		st_changed(c, self, d, who);
	}
}
