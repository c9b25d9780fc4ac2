/*
** parse.c: runs the scanner and parser over one file, and provides the
** declaration builders the grammar actions call.  After parsing, cmark
** reads the same file as CommonMark: it gives each declaration the path
** of headings it sits under, and it confirms that the blocks the scanner
** read as rule blocks are the ones a Markdown viewer shows as such
** (a ```rule fence inside a list or a block quote is reported, not
** silently skipped).
*/
#include "parse.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "lexer.h"

/* ---- Builders --------------------------------------------------------- */

decl *decl_new(parse_ctx *p, decl_kind k)
{
	decl *d = arena_alloc(p->a, sizeof(*d));
	d->kind = k;
	d->file = p->file;
	return d;
}

decl *decl_as(parse_ctx *p, decl *d, decl_kind k)
{
	(void)p;
	d->kind = k;
	return d;
}

decl *decl_finish(parse_ctx *p, decl *d, span loc, ident *id, const char *title, span title_loc)
{
	(void)p;
	d->loc = loc;
	d->id = *id;
	d->title = title;
	d->title_loc = title_loc;
	return d;
}

void decl_emit(parse_ctx *p, decl *d) { ptrvec_push(p->a, &p->out->decls, d); }

decl *decl_when(parse_ctx *p, decl *d, expr *e)
{
	if (d->when)
		diag_report(p->diag, DIAG_ERROR, p->file, e->loc.start, e->loc.end, "duplicate-when",
			    "a rule has one 'when' condition; join the conditions with 'and'");
	else
		d->when = e;
	return d;
}

decl *decl_action(parse_ctx *p, decl *d, action *a)
{
	ptrvec_push(p->a, &d->actions, a);
	return d;
}

decl *decl_cite(parse_ctx *p, decl *d, citation *c)
{
	ptrvec_push(p->a, &d->cites, c);
	return d;
}

decl *decl_input_type(parse_ctx *p, decl *d, input_type t, const char *unit, span unit_loc, ptrvec *values)
{
	(void)p;
	d->itype = t;
	d->unit = unit;
	d->unit_loc = unit_loc;
	if (values)
		d->values = *values;
	return d;
}

decl *decl_range(parse_ctx *p, decl *d, expr *lo, expr *hi)
{
	(void)p;
	d->range_lo = lo;
	d->range_hi = hi;
	return d;
}

decl *decl_value(parse_ctx *p, decl *d, expr *v)
{
	(void)p;
	if (d->kind == D_LET)
		d->body = v;
	else
		d->value = v;
	return d;
}

decl *decl_unit(parse_ctx *p, decl *d, const char *unit, span unit_loc)
{
	(void)p;
	d->unit = unit;
	d->unit_loc = unit_loc;
	return d;
}

decl *decl_committee(parse_ctx *p, decl *d, const char *text, span loc)
{
	(void)p;
	d->committee = text;
	d->committee_loc = loc;
	return d;
}

decl *decl_field(parse_ctx *p, decl *d, span key_loc, const char *key, const char *val, span val_loc,
		 int is_number)
{
	field *f = arena_alloc(p->a, sizeof(*f));
	f->key.name = key;
	f->key.loc = key_loc;
	f->text = val;
	f->value_loc = val_loc;
	f->is_number = is_number;
	ptrvec_push(p->a, &d->fields, f);
	return d;
}

decl *decl_table_by(parse_ctx *p, decl *d, expr *key)
{
	if (d->key)
		diag_report(p->diag, DIAG_ERROR, p->file, key->loc.start, key->loc.end, "duplicate-clause",
			    "a table has one 'by' key");
	else
		d->key = key;
	return d;
}

decl *decl_table_hit(parse_ctx *p, decl *d, ident *hit)
{
	(void)p;
	d->hit = *hit;
	return d;
}

decl *decl_table_row(parse_ctx *p, decl *d, table_row *r)
{
	ptrvec_push(p->a, &d->rows, r);
	return d;
}

decl *decl_sched_give(parse_ctx *p, decl *d, ptrvec *drug, expr *amount, ident *route, ptrvec *phases)
{
	(void)p;
	d->drug = *drug;
	d->amount = amount;
	d->route = *route;
	d->phases = *phases;
	return d;
}

decl *decl_sched_ref(parse_ctx *p, decl *d, int which, ident *name, span loc)
{
	ident *slot = which == SREF_ANCHOR ? &d->anchor : which == SREF_LAST ? &d->last
		    : which == SREF_ASOF ? &d->asof : &d->count;
	(void)loc;
	if (slot->name)
		diag_report(p->diag, DIAG_ERROR, p->file, name->loc.start, name->loc.end, "duplicate-clause",
			    "this schedule already names '%s' here", slot->name);
	else
		*slot = *name;
	return d;
}

decl *decl_sched_grace(parse_ctx *p, decl *d, expr *grace)
{
	(void)p;
	d->grace = grace;
	return d;
}

decl *decl_givens(parse_ctx *p, decl *d, ptrvec *givens)
{
	size_t i;
	for (i = 0; i < givens->len; i++)
		ptrvec_push(p->a, &d->givens, givens->items[i]);
	return d;
}

decl *decl_expect(parse_ctx *p, decl *d, expectation *e)
{
	ptrvec_push(p->a, &d->expects, e);
	return d;
}

action *act_new(parse_ctx *p, span loc, const char *verb, span verb_loc, expr *amount, ident *route,
		ident *sched, const char *text, span text_loc)
{
	action *a = arena_alloc(p->a, sizeof(*a));
	int v;

	(void)verb_loc;
	for (v = 0; v < ACT__COUNT; v++)
		if (strcmp(verb, lr_verb_name(v)) == 0)
			break;
	a->verb = v < ACT__COUNT ? (act_verb)v : ACT_RECOMMEND;
	a->loc = loc;
	a->text = text;
	a->text_loc = text_loc;
	a->amount = amount;
	if (route)
		a->route = *route;
	if (sched)
		a->schedule = *sched;
	return a;
}

citation *cite_new(parse_ctx *p, ident *src, const char *loc_text, span loc_loc, const char *quote,
		   span quote_loc)
{
	citation *c = arena_alloc(p->a, sizeof(*c));
	c->source = *src;
	c->locator = loc_text;
	c->locator_loc = loc_loc;
	c->quote = quote;
	c->quote_loc = quote_loc;
	return c;
}

table_row *row_new(parse_ctx *p, span loc, expr *lo, int lo_open, expr *hi, int hi_open)
{
	table_row *r = arena_alloc(p->a, sizeof(*r));
	r->loc = loc;
	r->lo = lo;
	r->lo_open = lo_open;
	r->hi = hi;
	r->hi_open = hi_open;
	return r;
}

table_row *row_gives(parse_ctx *p, table_row *r, expr *value, span loc)
{
	(void)p;
	r->value = value;
	r->loc = loc;
	return r;
}

phase *phase_new(parse_ctx *p, span loc, const char *label, expr *every, expr *bound)
{
	phase *ph = arena_alloc(p->a, sizeof(*ph));
	ph->loc = loc;
	ph->every = every;
	ph->bound = bound;
	/* The label is the interval as the author wrote it ("q4w", or
	 * "every 4 weeks"), so actions report it in the author's words. */
	ph->label = label ? label
			  : arena_strndup(p->a, p->file->text + loc.start, every->loc.end - loc.start);
	return ph;
}

given *given_new(parse_ctx *p, ident *name, expr *value)
{
	given *g = arena_alloc(p->a, sizeof(*g));
	g->name = *name;
	g->value = value;
	return g;
}

expectation *expect_new(parse_ctx *p, span loc, expect_kind k, ident *what, expr *amount, expr *date,
			const char *phase_label, span phase_loc)
{
	expectation *e = arena_alloc(p->a, sizeof(*e));
	e->kind = k;
	e->loc = loc;
	e->what = *what;
	e->amount = amount;
	e->date = date;
	e->phase = phase_label;
	e->phase_loc = phase_loc;
	return e;
}

const char *str_concat(parse_ctx *p, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = arena_alloc(p->a, la + lb + 1);
	memcpy(s, a, la);
	memcpy(s + la, b, lb + 1);
	return s;
}

/* ---- Markdown structure (cmark) ------------------------------------------ */

typedef struct {
	uint32_t line;
	int level;
	const char *text;
} heading;

static void append_text(arena *a, char **acc, cmark_node *n)
{
	cmark_iter *it = cmark_iter_new(n);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *c = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(c);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
			const char *lit = cmark_node_get_literal(c);
			*acc = arena_printf(a, "%s%s", *acc, lit ? lit : "");
		} else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
			*acc = arena_printf(a, "%s ", *acc);
		}
	}
	cmark_iter_free(it);
}

static int is_rule_info(const char *info)
{
	size_t n;
	if (!info)
		return 0;
	n = strcspn(info, " \t");
	return n == 4 && strncmp(info, "rule", 4) == 0;
}

static int fence_seen(const parse_ctx *p, uint32_t line)
{
	size_t i;
	for (i = 0; i < p->rule_fences.len; i++) {
		uint32_t l, c;
		src_position(p->file, (uint32_t)(uintptr_t)p->rule_fences.items[i], &l, &c);
		if (l == line)
			return 1;
	}
	return 0;
}

/* Walks the CommonMark tree: collects headings, and reports rule fences
 * that the scanner could not see because they are nested in a container. */
static void markdown_pass(parse_ctx *p, size_t first_decl)
{
	cmark_node *doc = cmark_parse_document(p->file->text, p->file->len, CMARK_OPT_DEFAULT);
	cmark_iter *it;
	cmark_event_type ev;
	ptrvec heads = {0};
	size_t i, h;

	if (!doc)
		return;
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (t == CMARK_NODE_HEADING) {
			heading *hd = arena_alloc(p->a, sizeof(*hd));
			char *text = arena_strdup(p->a, "");
			append_text(p->a, &text, n);
			hd->line = (uint32_t)cmark_node_get_start_line(n);
			hd->level = cmark_node_get_heading_level(n);
			hd->text = text;
			ptrvec_push(p->a, &heads, hd);
		} else if (t == CMARK_NODE_CODE_BLOCK && is_rule_info(cmark_node_get_fence_info(n))) {
			uint32_t line = (uint32_t)cmark_node_get_start_line(n);
			if (!fence_seen(p, line) && line >= 1 && line <= p->file->nlines) {
				uint32_t s, e;
				src_line_span(p->file, line, &s, &e);
				diag_report(p->diag, DIAG_ERROR, p->file, s, e, "nested-rule-block",
					    "this rule block sits inside a list or a block quote, where it is not read; "
					    "move it to the top level of the document");
			}
		}
	}
	cmark_iter_free(it);
	cmark_node_free(doc);

	/* Give each declaration of this file the headings above it. */
	for (i = first_decl; i < p->out->decls.len; i++) {
		decl *d = p->out->decls.items[i];
		uint32_t line, col;
		const heading *stack[7] = {0};
		int lv;

		src_position(p->file, d->loc.start, &line, &col);
		for (h = 0; h < heads.len; h++) {
			const heading *hd = heads.items[h];
			if (hd->line > line)
				break;
			stack[hd->level] = hd;
			for (lv = hd->level + 1; lv <= 6; lv++)
				stack[lv] = NULL;
		}
		for (lv = 1; lv <= 6; lv++)
			if (stack[lv])
				ptrvec_push(p->a, &d->headings, (void *)stack[lv]->text);
	}
}

/* A declaration followed by a syntax error before the next one was cut
 * short by error recovery: sema skips its completeness checks ("no
 * action", "no citation"), which would only repeat the syntax error. */
static void mark_damaged(parse_ctx *p, size_t first_decl)
{
	size_t i, k;
	for (i = first_decl; i < p->out->decls.len; i++) {
		decl *d = p->out->decls.items[i];
		uint32_t limit = i + 1 < p->out->decls.len ? ((decl *)p->out->decls.items[i + 1])->loc.start
							   : p->file->len + 1;
		for (k = 0; k < p->error_offsets.len; k++) {
			uint32_t off = (uint32_t)(uintptr_t)p->error_offsets.items[k];
			if (off >= d->loc.start && off < limit)
				d->damaged = 1;
		}
	}
}

/* ---- Driver ------------------------------------------------------------- */

int parse_file(ruleset_ast *rs, arena *a, diag_ctx *d, const src_file *f)
{
	parse_ctx p;
	yyscan_t scanner;
	YY_BUFFER_STATE buf;
	int errors_before = d->nerrors;
	size_t first_decl = rs->decls.len;

	memset(&p, 0, sizeof p);
	p.a = a;
	p.diag = d;
	p.file = f;
	p.out = rs;
	ptrvec_push(a, &rs->files, (void *)f);

	if (!f->utf8_ok) {
		uint32_t bad = src_first_bad_utf8(f);
		diag_report(d, DIAG_ERROR, f, bad, bad + 1, "invalid-utf8",
			    f->text[bad] == '\0'
				    ? "this file contains a NUL byte; rule files must be UTF-8 text"
				    : "this byte is not valid UTF-8; rule files must be UTF-8 text");
		return d->nerrors - errors_before;
	}
	if (lrc_yylex_init_extra(&p, &scanner) != 0)
		return 1;
	buf = lrc_yy_scan_bytes(f->text, (int)f->len, scanner);
	/* Nonzero also when the parser stack overflowed (too deep). */
	if (lrc_yyparse(scanner, &p) != 0 && p.syntax_errors == 0)
		p.syntax_errors = 1;
	rs->syntax_errors += p.syntax_errors;
	lrc_yy_delete_buffer(buf, scanner);
	lrc_yylex_destroy(scanner);
	mark_damaged(&p, first_decl);
	markdown_pass(&p, first_decl);
	return d->nerrors - errors_before;
}
