/*
** weave_rule.c: a rule block of the book: each declaration in its own
** element whose id is its name, its code highlighted with every name a
** link to its declaration, and, under each rule, the evidence: citations
** linked to the marked passage, the examples that exercise it with their
** result, the inputs it reads, verify's findings and its last change.
*/
#include <stdlib.h>
#include <string.h>

#include "weave_impl.h"

/* The language's reserved words (grammar/lexer.l's table), for colour
 * only: a word missing here is shown plain. */
static const char *const kw[] = {
	"above", "after", "alert", "anchored", "and", "as", "at", "before", "below", "between", "bool", "by",
	"cite", "committee", "counting", "date", "defer", "dose", "due", "else", "error", "evaluated", "every",
	"example", "expect", "false", "for", "from", "given", "gives", "hit", "hold", "if", "in", "input", "is",
	"known", "last", "least", "let", "missing", "monitor", "most", "not", "nothing", "number", "of", "on",
	"one", "or", "order", "otherwise", "overdue", "overrides", "param", "per", "phase", "quote", "recommend",
	"refer", "row", "rule", "ruleset", "schedule", "source", "statement", "subject", "table", "then", "to",
	"true", "when", "within", NULL};

static int keyword(const char *s, size_t n)
{
	size_t i;
	for (i = 0; kw[i]; i++)
		if (strlen(kw[i]) == n && memcmp(kw[i], s, n) == 0)
			return 1;
	return 0;
}

static int word_start(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '_';
}

static int word_char(char ch)
{
	return word_start(ch) || (ch >= '0' && ch <= '9');
}

static void span_class(wv_buf *b, const char *cls, const char *s, size_t n)
{
	wv_printf(b, "<span class=\"%s\">", cls);
	wv_text(b, s, n);
	wv_put(b, "</span>");
}

/* The code of s[0..n): comments, strings, numbers, reserved words, and
 * names of declarations as links (a word inside a string or comment is
 * not a name). */
static void code(wv_ctx *c, const char *s, size_t n)
{
	size_t i = 0, from = 0;
	wv_buf *b = c->b;

	while (i < n) {
		size_t j = i;
		if (s[i] == '#') {
			while (j < n && s[j] != '\n' && s[j] != '\r')
				j++;
			wv_text(b, s + from, i - from);
			span_class(b, "lr-com", s + i, j - i);
		} else if (s[i] == '"') {
			for (j = i + 1; j < n && s[j] != '"' && s[j] != '\n' && s[j] != '\r'; j++)
				if (s[j] == '\\' && j + 1 < n && s[j + 1] != '\n')
					j++;
			j = j < n && s[j] == '"' ? j + 1 : j;
			wv_text(b, s + from, i - from);
			span_class(b, "lr-str", s + i, j - i);
		} else if (s[i] >= '0' && s[i] <= '9' && (i == 0 || !word_char(s[i - 1]))) {
			while (j < n && ((s[j] >= '0' && s[j] <= '9') || s[j] == '.' || s[j] == '-'))
				j++;
			wv_text(b, s + from, i - from);
			span_class(b, "lr-num", s + i, j - i);
		} else if (word_start(s[i]) && (i == 0 || !word_char(s[i - 1]))) {
			const decl *d;
			while (j < n && word_char(s[j]))
				j++;
			d = wv_lookup(c, s + i, j - i);
			if (!d && !keyword(s + i, j - i)) {
				i = j;
				continue;
			}
			wv_text(b, s + from, i - from);
			if (d) {
				wv_put(b, "<a class=\"lr-ref\" href=\"#");
				wv_esc(b, s + i, j - i);
				wv_put(b, "\">");
				wv_esc(b, s + i, j - i);
				wv_put(b, "</a>");
			} else
				span_class(b, "lr-kw", s + i, j - i);
		} else {
			i++;
			continue;
		}
		i = from = j;
	}
	wv_text(b, s + from, n - from);
}

/* ---- evidence ---------------------------------------------------------------- */

void wv_citation(wv_ctx *c, const citation *ct)
{
	const wv_cite *wc = wv_cite_of(c, ct);
	wv_buf *b = c->b;

	wv_put(b, "<a href=\"#");
	wv_esc(b, ct->source.name, strlen(ct->source.name));
	wv_put(b, "\">");
	wv_texts(b, ct->src && ct->src->title ? ct->src->title : ct->source.name);
	wv_put(b, "</a>");
	if (ct->locator) {
		wv_put(b, ", ");
		wv_texts(b, ct->locator);
	}
	if (!ct->quote) {
		wv_put(b, " (no quote)");
		return;
	}
	wv_put(b, ": ");
	if (wc && wc->page >= 0 && wc->q > 0) {
		wv_printf(b, "<a class=\"lr-cite\" href=\"sources/%s.html#q-%d\">&ldquo;", c->texts[wc->page].stem, wc->q);
		wv_texts(b, ct->quote);
		wv_put(b, "&rdquo;</a>");
	} else {
		wv_put(b, "<span class=\"lr-cite lr-nostore\">&ldquo;");
		wv_texts(b, ct->quote);
		wv_put(b, wc && wc->page >= 0 ? "&rdquo; (not found in the stored text)</span>"
					      : "&rdquo; (no stored text for this source)</span>");
	}
}

static void cites(wv_ctx *c, const decl *d)
{
	size_t i;
	if (!d->cites.len) {
		wv_put(c->b, "<p class=\"lr-cites lr-none\">No citations.</p>\n");
		return;
	}
	wv_put(c->b, "<ul class=\"lr-cites\">\n");
	for (i = 0; i < d->cites.len; i++) {
		wv_put(c->b, "<li>");
		wv_citation(c, d->cites.items[i]);
		wv_put(c->b, "</li>\n");
	}
	wv_put(c->b, "</ul>\n");
}

static int example_names(const decl *ex, const char *rule)
{
	size_t i;
	for (i = 0; i < ex->expects.len; i++) {
		const expectation *x = ex->expects.items[i];
		if (x->kind != EXP_MISSING && x->kind != EXP_ERROR && x->what.name && strcmp(x->what.name, rule) == 0)
			return 1;
	}
	return 0;
}

static void examples(wv_ctx *c, const decl *r)
{
	const wv_evidence *ev = c->ev;
	size_t i;
	int any = 0;

	if (!ev->examples) {
		wv_put(c->b, "<p class=\"lr-examples lr-none\">Examples not run: ");
		wv_texts(c->b, ev->examples_why ? ev->examples_why : "no results");
		wv_put(c->b, ".</p>\n");
		return;
	}
	for (i = 0; i < ev->nexamples; i++) {
		const decl *ex = ev->examples[i].example;
		if (!example_names(ex, r->id.name))
			continue;
		if (!any++)
			wv_put(c->b, "<ul class=\"lr-examples\">\n");
		wv_printf(c->b, "<li class=\"lr-example\" data-status=\"%s\"><span class=\"lr-status\">%s</span> <a href=\"#",
			  ev->examples[i].passed ? "pass" : "fail", ev->examples[i].passed ? "pass" : "FAIL");
		wv_esc(c->b, ex->id.name, strlen(ex->id.name));
		wv_put(c->b, "\">");
		wv_esc(c->b, ex->id.name, strlen(ex->id.name));
		wv_put(c->b, "</a>");
		if (ex->title) {
			wv_put(c->b, " ");
			wv_texts(c->b, ex->title);
		}
		wv_put(c->b, "</li>\n");
	}
	wv_put(c->b, any ? "</ul>\n" : "<p class=\"lr-examples lr-none\">No example names this rule.</p>\n");
}

/* ---- the inputs a rule reads (through lets, tables, parameters, schedules) */

typedef struct {
	wv_ctx *c;
	uint8_t *seen;
	const decl **work;
	size_t nwork;
} reads;

static void push(reads *r, const decl *d)
{
	long k;
	if (!d || (k = wv_decl_pos(r->c, d)) < 0 || r->seen[k])
		return;
	r->seen[k] = 1;
	r->work[r->nwork++] = d;
}

static void on_name(void *ud, const expr *e)
{
	if (e->kind == EX_NAME)
		push(ud, e->ref);
}

static void push_ident(reads *r, const ident *id)
{
	if (id->name)
		push(r, wv_lookup(r->c, id->name, strlen(id->name)));
}

static void expand(reads *r, const decl *d)
{
	size_t i;
	ast_visit(d->when, on_name, r);
	ast_visit(d->body, on_name, r);
	ast_visit(d->value, on_name, r);
	ast_visit(d->key, on_name, r);
	ast_visit(d->amount, on_name, r);
	for (i = 0; i < d->actions.len; i++) {
		const action *a = d->actions.items[i];
		ast_visit(a->amount, on_name, r);
		push(r, a->sched);
	}
	for (i = 0; i < d->rows.len; i++) {
		const table_row *row = d->rows.items[i];
		ast_visit(row->lo, on_name, r);
		ast_visit(row->hi, on_name, r);
		ast_visit(row->value, on_name, r);
	}
	if (d->kind == D_SCHEDULE) {
		push_ident(r, &d->anchor);
		push_ident(r, &d->last);
		push_ident(r, &d->asof);
		push_ident(r, &d->count);
	}
}

static const char *type_name(const decl *in)
{
	switch (in->itype) {
	case IT_BOOL: return "yes/no";
	case IT_NUM: return "number";
	case IT_DATE: return "date";
	case IT_ENUM: return "one of";
	}
	return "";
}

/* "number, mg/dL, 0 to 20": an input's type, unit and range. */
static void input_desc(wv_ctx *c, const decl *in)
{
	size_t i;
	wv_put(c->b, type_name(in));
	for (i = 0; in->itype == IT_ENUM && i < in->values.len; i++) {
		const ident *v = in->values.items[i];
		wv_put(c->b, i ? ", " : " ");
		wv_esc(c->b, v->name, strlen(v->name));
	}
	if (in->unit) {
		wv_put(c->b, ", ");
		wv_texts(c->b, in->unit);
	}
	if (in->range_lo || in->range_hi) {
		wv_put(c->b, ", range ");
		if (in->range_lo)
			wv_span_text(c, in->file, in->range_lo->loc);
		wv_put(c->b, " to ");
		if (in->range_hi)
			wv_span_text(c, in->file, in->range_hi->loc);
	}
}

static int by_pos(const void *x, const void *y)
{
	long a = *(const long *)x, b = *(const long *)y;
	return a < b ? -1 : a > b;
}

static void inputs_used(wv_ctx *c, const decl *rule)
{
	size_t n = c->rs->decls.len, i, k = 0;
	long *pos = NULL;
	reads r;

	r.c = c;
	r.seen = calloc(n ? n : 1, 1);
	r.work = malloc((n ? n : 1) * sizeof *r.work);
	r.nwork = 0;
	if (!r.seen || !r.work || !(pos = malloc((n ? n : 1) * sizeof *pos))) {
		c->b->oom = 1;
		goto done;
	}
	push(&r, rule);
	for (i = 0; i < r.nwork; i++)
		expand(&r, r.work[i]);
	/* The inputs reached, in declaration order. */
	for (i = 0; i < r.nwork; i++)
		if (r.work[i]->kind == D_INPUT)
			pos[k++] = wv_decl_pos(c, r.work[i]);
	qsort(pos, k, sizeof *pos, by_pos);
	wv_put(c->b, "<ul class=\"lr-inputs-used\">\n");
	for (i = 0; i < k; i++) {
		const decl *d = c->rs->decls.items[pos[i]];
		wv_put(c->b, "<li><a href=\"#");
		wv_esc(c->b, d->id.name, strlen(d->id.name));
		wv_put(c->b, "\"><code>");
		wv_esc(c->b, d->id.name, strlen(d->id.name));
		wv_put(c->b, "</code></a>: ");
		input_desc(c, d);
		if (d->title) {
			wv_put(c->b, "; ");
			wv_texts(c->b, d->title);
		}
		wv_put(c->b, "</li>\n");
	}
	if (!k)
		wv_put(c->b, "<li>none: the rule reads no input</li>\n");
	wv_put(c->b, "</ul>\n");
done:
	free(pos);
	free(r.seen);
	free(r.work);
}

static void findings(wv_ctx *c, const decl *r)
{
	const diag_ctx *fd = c->ev->findings;
	size_t i;
	int any = 0;

	if (!fd) {
		wv_put(c->b, "<p class=\"lr-findings lr-none\">Not verified: ");
		wv_texts(c->b, c->ev->findings_why ? c->ev->findings_why : "verify was not run");
		wv_put(c->b, ".</p>\n");
		return;
	}
	for (i = 0; i < fd->items.len; i++) {
		const diag *g = fd->items.items[i];
		if (g->file != r->file || g->start < r->loc.start || g->start >= r->loc.end)
			continue;
		if (!any++)
			wv_put(c->b, "<ul class=\"lr-findings\">\n");
		wv_printf(c->b, "<li class=\"lr-finding lr-%s\">%s [", g->sev == DIAG_ERROR ? "error" : "warning",
			  g->sev == DIAG_ERROR ? "error" : g->sev == DIAG_WARNING ? "warning" : "note");
		wv_texts(c->b, g->id ? g->id : "");
		wv_put(c->b, "]: ");
		wv_texts(c->b, g->msg);
		wv_put(c->b, "</li>\n");
	}
	wv_put(c->b, any ? "</ul>\n" : "<p class=\"lr-findings\">verify: no findings about this rule.</p>\n");
}

static void change(wv_ctx *c, const decl *r)
{
	wv_change ch;

	memset(&ch, 0, sizeof ch);
	if (c->ev->change)
		c->ev->change(c->ev->change_ud, r, &ch);
	else
		ch.why = "not in a git repository";
	wv_put(c->b, "<p class=\"lr-change\">Last change: ");
	if (ch.why) {
		wv_texts(c->b, ch.why);
		wv_put(c->b, ".</p>\n");
		return;
	}
	wv_put(c->b, "<code>");
	wv_texts(c->b, ch.commit ? ch.commit : "?");
	wv_put(c->b, "</code> ");
	wv_texts(c->b, ch.date);
	wv_put(c->b, " by ");
	wv_texts(c->b, ch.author);
	wv_put(c->b, ", &ldquo;");
	wv_texts(c->b, ch.subject);
	wv_put(c->b, "&rdquo;. Reviewed by: ");
	wv_texts(c->b, ch.reviewers && ch.reviewers[0] ? ch.reviewers : "nobody recorded");
	if (ch.unreviewed)
		wv_put(c->b, " (unreviewed: no reviewer other than the author)");
	wv_put(c->b, ".</p>\n");
}

static void evidence(wv_ctx *c, const decl *r)
{
	wv_put(c->b, "<div class=\"lr-evidence\">\n<h4>Sources</h4>\n");
	cites(c, r);
	wv_put(c->b, "<h4>Examples</h4>\n");
	examples(c, r);
	wv_put(c->b, "<h4>Inputs</h4>\n");
	inputs_used(c, r);
	wv_put(c->b, "<h4>Verification</h4>\n");
	findings(c, r);
	change(c, r);
	wv_put(c->b, "</div>\n");
}

/* ---- declarations --------------------------------------------------------------- */

static const char *kind_name(decl_kind k)
{
	static const char *const names[] = {"input", "param", "source", "let", "rule", "table", "schedule",
					    "example", "ruleset", "statement", "subject"};
	return (size_t)k < sizeof names / sizeof names[0] ? names[k] : "decl";
}

/* The element's id: the name, once per page (a second declaration of one
 * name, which check reports anyway, gets none). */
static void id_attr(wv_ctx *c, const decl *d)
{
	long k = wv_decl_pos(c, d);
	const decl *first = wv_lookup(c, d->id.name, strlen(d->id.name));
	if (k < 0 || first != d || c->id_done[k])
		return;
	c->id_done[k] = 1;
	wv_put(c->b, " id=\"");
	wv_esc(c->b, d->id.name, strlen(d->id.name));
	wv_put(c->b, "\"");
}

static void declaration(wv_ctx *c, const decl *d)
{
	const src_file *f = d->file;
	uint32_t e = d->loc.end <= f->len ? d->loc.end : f->len;
	int rule = d->kind == D_RULE;

	if (rule) {
		wv_put(c->b, "<article class=\"lr-rule\"");
		id_attr(c, d);
		wv_put(c->b, " data-rule=\"");
		wv_esc(c->b, d->id.name, strlen(d->id.name));
		wv_put(c->b, "\">\n<h3 class=\"lr-rule-head\"><span class=\"lr-rule-id\">");
		wv_esc(c->b, d->id.name, strlen(d->id.name));
		wv_put(c->b, "</span> ");
		wv_texts(c->b, d->title ? d->title : "");
		wv_put(c->b, "</h3>\n");
	} else {
		wv_printf(c->b, "<div class=\"lr-decl lr-%s\"", kind_name(d->kind));
		if (d->id.name)
			id_attr(c, d);
		wv_put(c->b, ">\n");
	}
	wv_put(c->b, "<pre class=\"lr-code\">");
	if (d->loc.start < e)
		code(c, f->text + d->loc.start, e - d->loc.start);
	wv_put(c->b, "</pre>\n");
	if (rule)
		evidence(c, d);
	else if (d->kind == D_STATEMENT && d->stmt) {
		wv_put(c->b, "<p class=\"lr-statement\">");
		wv_citation(c, d->stmt);
		wv_put(c->b, "</p>\n");
	} else if ((d->kind == D_PARAM || d->kind == D_TABLE) && d->cites.len) {
		wv_put(c->b, "<div class=\"lr-evidence\">\n");
		cites(c, d);
		wv_put(c->b, "</div>\n");
	}
	wv_put(c->b, rule ? "</article>\n" : "</div>\n");
}

static int blank(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return 0;
	return 1;
}

/* Text between declarations (comments) as code of its own. */
static void gap(wv_ctx *c, const src_file *f, uint32_t s, uint32_t e)
{
	if (s >= e || blank(f->text + s, e - s))
		return;
	wv_put(c->b, "<pre class=\"lr-code lr-gap\">");
	code(c, f->text + s, e - s);
	wv_put(c->b, "</pre>\n");
}

/* Declarations are in file order within rs (files one after another), so
 * each block continues from where the previous one stopped. */
void wv_block(wv_ctx *c, const src_file *f, uint32_t start, uint32_t end)
{
	size_t i, n = c->rs->decls.len;
	uint32_t at = start;

	if (c->cursor >= n || ((const decl *)c->rs->decls.items[c->cursor])->file != f)
		for (c->cursor = 0; c->cursor < n && ((const decl *)c->rs->decls.items[c->cursor])->file != f;)
			c->cursor++;
	wv_put(c->b, "<div class=\"lr-block\">\n");
	for (i = c->cursor; i < n; i++) {
		const decl *d = c->rs->decls.items[i];
		if (d->file != f || d->loc.start >= end)
			break;
		if (d->loc.start < start || d->loc.start < at)
			continue;
		gap(c, f, at, d->loc.start);
		declaration(c, d);
		at = d->loc.end > at ? d->loc.end : at;
	}
	c->cursor = i;
	gap(c, f, at, end);
	wv_put(c->b, "</div>\n");
}
