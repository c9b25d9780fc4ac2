/*
** weave_summary.c: the sections at the top of the book, for a reader who
** wants the whole rule set at a glance: its identity, one row per rule
** (id, title, verbs, what it acts on, sources), the bibliography (a url
** that is not http or https is shown as text, with a warning), the
** committee's parameters with their values and rationale, and the input
** dictionary.
*/
#include <string.h>

#include "weave_impl.h"

static void name_link(wv_ctx *c, const char *name)
{
	wv_put(c->b, "<a href=\"#");
	wv_esc(c->b, name, strlen(name));
	wv_put(c->b, "\"><code>");
	wv_esc(c->b, name, strlen(name));
	wv_put(c->b, "</code></a>");
}

static void identity(wv_ctx *c)
{
	const wv_evidence *ev = c->ev;
	wv_put(c->b, "<dl id=\"lr-identity\">\n<dt>Name</dt><dd>");
	wv_texts(c->b, ev->name ? ev->name : "(unnamed)");
	wv_put(c->b, "</dd>\n<dt>Version</dt><dd>");
	wv_texts(c->b, ev->version ? ev->version : "unversioned");
	wv_put(c->b, "</dd>\n<dt>Content hash</dt><dd><code>");
	wv_texts(c->b, ev->hash ? ev->hash : "(not computed)");
	wv_put(c->b, "</code></dd>\n<dt>Commit</dt><dd><code>");
	wv_texts(c->b, ev->commit ? ev->commit : "not in a git repository");
	wv_put(c->b, "</code></dd>\n</dl>\n");
}

/* The distinct verbs, subjects or sources of a rule, comma-separated. */
static void verbs(wv_ctx *c, const decl *r)
{
	size_t i, j;
	for (i = 0; i < r->actions.len; i++) {
		const action *a = r->actions.items[i];
		for (j = 0; j < i && ((const action *)r->actions.items[j])->verb != a->verb; j++)
			;
		if (j < i)
			continue;
		wv_put(c->b, i ? ", " : "");
		wv_put(c->b, wv_verb_name(a->verb));
	}
}

static const char *subject_of(const action *a)
{
	return a->subject.name ? a->subject.name : a->schedule.name;
}

static void subjects(wv_ctx *c, const decl *r)
{
	size_t i, j;
	int any = 0;
	for (i = 0; i < r->actions.len; i++) {
		const char *s = subject_of(r->actions.items[i]);
		if (!s)
			continue;
		for (j = 0; j < i; j++) {
			const char *t = subject_of(r->actions.items[j]);
			if (t && strcmp(s, t) == 0)
				break;
		}
		if (j < i)
			continue;
		wv_put(c->b, any++ ? ", " : "");
		if (wv_lookup(c, s, strlen(s)))
			name_link(c, s);
		else
			wv_texts(c->b, s);
	}
}

static void sources(wv_ctx *c, const decl *r)
{
	size_t i, j;
	for (i = 0; i < r->cites.len; i++) {
		const citation *ct = r->cites.items[i];
		for (j = 0; j < i && strcmp(((const citation *)r->cites.items[j])->source.name, ct->source.name) != 0; j++)
			;
		if (j < i)
			continue;
		wv_put(c->b, i ? ", " : "");
		name_link(c, ct->source.name);
	}
}

static void rules_table(wv_ctx *c)
{
	size_t i;
	wv_put(c->b, "<div class=\"lr-scroll\"><table class=\"lr-summary-rules\">\n<thead><tr><th>Rule</th><th>Title</th>"
		     "<th>Verb</th><th>Acts on</th><th>Sources</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < c->rs->decls.len; i++) {
		const decl *r = c->rs->decls.items[i];
		if (r->kind != D_RULE)
			continue;
		wv_put(c->b, "<tr data-rule=\"");
		wv_esc(c->b, r->id.name, strlen(r->id.name));
		wv_put(c->b, "\"><td>");
		name_link(c, r->id.name);
		wv_put(c->b, "</td><td>");
		wv_texts(c->b, r->title ? r->title : "");
		wv_put(c->b, "</td><td>");
		verbs(c, r);
		wv_put(c->b, "</td><td>");
		subjects(c, r);
		wv_put(c->b, "</td><td>");
		sources(c, r);
		wv_put(c->b, "</td></tr>\n");
	}
	wv_put(c->b, "</tbody>\n</table></div>\n");
}

/* 1 if s starts with p (lower case) in any case. */
static int prefix_ci(const char *s, const char *p)
{
	for (; *p; s++, p++)
		if (*s != *p && !(*s >= 'A' && *s <= 'Z' && *s - 'A' + 'a' == *p))
			return 0;
	return 1;
}

/* http: and https: only: javascript:, data:, file: and the rest are text. */
static int safe_url(const char *u)
{
	return prefix_ci(u, "http://") || prefix_ci(u, "https://");
}

static void url_field(wv_ctx *c, const decl *s, const field *f)
{
	if (safe_url(f->text)) {
		wv_put(c->b, " <a class=\"lr-url\" rel=\"noreferrer\" href=\"");
		wv_esc(c->b, f->text, strlen(f->text));
		wv_put(c->b, "\">");
		wv_texts(c->b, f->text);
		wv_put(c->b, "</a>");
		return;
	}
	wv_put(c->b, " <span class=\"lr-url lr-refused\">");
	wv_texts(c->b, f->text);
	wv_put(c->b, " (not linked: only http and https addresses are)</span>");
	diag_report(c->d, DIAG_WARNING, s->file, f->value_loc.start, f->value_loc.end, "weave-url",
		    "the url of source '%s' is not an http or https address; the book shows it as text, not a link",
		    s->id.name);
}

static void bib_entry(wv_ctx *c, const decl *s)
{
	static const char *const shown[] = {"authors", "journal", "publisher", "edition", "version", "year", "doi",
					    "retrieved", "note", NULL};
	size_t i, k;

	wv_put(c->b, "<li id=\"lr-bib-");
	wv_esc(c->b, s->id.name, strlen(s->id.name));
	wv_put(c->b, "\">");
	name_link(c, s->id.name);
	wv_put(c->b, " <cite>");
	wv_texts(c->b, s->title ? s->title : "");
	wv_put(c->b, "</cite>");
	for (k = 0; shown[k]; k++)
		for (i = 0; i < s->fields.len; i++) {
			const field *f = s->fields.items[i];
			if (strcmp(f->key.name, shown[k]) != 0)
				continue;
			wv_printf(c->b, "; %s ", shown[k]);
			wv_texts(c->b, f->text);
		}
	for (i = 0; i < s->fields.len; i++) {
		const field *f = s->fields.items[i];
		if (strcmp(f->key.name, "url") == 0)
			url_field(c, s, f);
	}
	for (i = 0; s->text_path && i < c->ntexts; i++)
		if (strcmp(c->texts[i].path, s->text_path) == 0)
			wv_printf(c->b, " <a class=\"lr-stored\" href=\"sources/%s.html\">stored text</a>", c->texts[i].stem);
	wv_put(c->b, "</li>\n");
}

static void bibliography(wv_ctx *c)
{
	size_t i;
	wv_put(c->b, "<section id=\"lr-bibliography\">\n<h2>Bibliography</h2>\n<ol class=\"lr-bib\">\n");
	for (i = 0; i < c->rs->decls.len; i++) {
		const decl *s = c->rs->decls.items[i];
		if (s->kind == D_SOURCE)
			bib_entry(c, s);
	}
	wv_put(c->b, "</ol>\n</section>\n");
}

static void params(wv_ctx *c)
{
	size_t i, j;
	wv_put(c->b, "<section id=\"lr-params\">\n<h2>Committee parameters</h2>\n<div class=\"lr-scroll\"><table>\n"
		     "<thead><tr><th>Parameter</th><th>Value</th><th>Rationale</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < c->rs->decls.len; i++) {
		const decl *p = c->rs->decls.items[i];
		if (p->kind != D_PARAM)
			continue;
		wv_put(c->b, "<tr><td>");
		name_link(c, p->id.name);
		if (p->title) {
			wv_put(c->b, " ");
			wv_texts(c->b, p->title);
		}
		wv_put(c->b, "</td><td><code>");
		if (p->value)
			wv_span_text(c, p->file, p->value->loc);
		wv_put(c->b, "</code></td><td>");
		if (p->committee) {
			wv_put(c->b, "Committee: ");
			wv_texts(c->b, p->committee);
		}
		for (j = 0; j < p->cites.len; j++) {
			wv_put(c->b, j || p->committee ? "<br>" : "");
			wv_citation(c, p->cites.items[j]);
		}
		wv_put(c->b, "</td></tr>\n");
	}
	wv_put(c->b, "</tbody>\n</table></div>\n</section>\n");
}

static void input_row(wv_ctx *c, const decl *in)
{
	static const char *const types[] = {"bool", "number", "date", "enumeration"};
	size_t i;

	wv_put(c->b, "<tr><td>");
	name_link(c, in->id.name);
	wv_printf(c->b, "</td><td>%s", types[in->itype]);
	for (i = 0; in->itype == IT_ENUM && i < in->values.len; i++) {
		const ident *v = in->values.items[i];
		wv_put(c->b, i ? ", " : ": ");
		wv_esc(c->b, v->name, strlen(v->name));
	}
	wv_put(c->b, "</td><td>");
	wv_texts(c->b, in->unit ? in->unit : "");
	wv_put(c->b, "</td><td>");
	if (in->range_lo || in->range_hi) {
		if (in->range_lo)
			wv_span_text(c, in->file, in->range_lo->loc);
		wv_put(c->b, " to ");
		if (in->range_hi)
			wv_span_text(c, in->file, in->range_hi->loc);
	}
	wv_put(c->b, "</td><td>");
	wv_texts(c->b, in->title ? in->title : "");
	wv_put(c->b, "</td></tr>\n");
}

static void inputs(wv_ctx *c)
{
	size_t i;
	wv_put(c->b, "<section id=\"lr-inputs\">\n<h2>Input dictionary</h2>\n<div class=\"lr-scroll\"><table>\n"
		     "<thead><tr><th>Input</th><th>Type</th><th>Unit</th><th>Range</th><th>Description</th></tr></thead>\n"
		     "<tbody>\n");
	for (i = 0; i < c->rs->decls.len; i++) {
		const decl *in = c->rs->decls.items[i];
		if (in->kind == D_INPUT)
			input_row(c, in);
	}
	wv_put(c->b, "</tbody>\n</table></div>\n</section>\n");
}

void wv_summary(wv_ctx *c)
{
	size_t i, nrules = 0;
	for (i = 0; i < c->rs->decls.len; i++)
		nrules += ((const decl *)c->rs->decls.items[i])->kind == D_RULE;
	wv_printf(c->b, "<section id=\"lr-summary\">\n<h2>Summary</h2>\n<p>%zu rules, in reading order.</p>\n", nrules);
	identity(c);
	rules_table(c);
	wv_put(c->b, "</section>\n");
	bibliography(c);
	params(c);
	inputs(c);
}
