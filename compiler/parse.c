/*
** parse.c: runs the scanner and parser over one file, and provides the
** declaration builders the grammar actions call.  cmark reads the file
** first (blocks.c): it says where the rule blocks are, and the scanner
** then reads exactly their content, one block at a time, with the
** FENCE_OPEN and FENCE_CLOSE tokens the grammar expects added here at the
** blocks' edges.  cmark's headings give each declaration its heading path;
** a rule block that declares nothing is a warning.
*/
#include "parse.h"

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

expectation *expect_word(parse_ctx *p, expectation *e, const char *word, span word_loc)
{
	if (strcmp(word, "fires") == 0)
		e->kind = EXP_FIRES; /* expect RULE fires: the same as expect RULE */
	else if (strcmp(word, "overridden") != 0)
		diag_report(p->diag, DIAG_ERROR, p->file, word_loc.start, word_loc.end, "syntax",
			    "unexpected name '%s' after 'expect %s'; expected 'fires' or 'overridden'", word,
			    e->what.name);
	return e;
}

action *act_due(parse_ctx *p, action *a, expr *due, span due_loc)
{
	(void)p;
	a->due = due;
	a->due_loc = due_loc;
	return a;
}

static void word_error(parse_ctx *p, const char *word, span loc, const char *want)
{
	diag_report(p->diag, DIAG_ERROR, p->file, loc.start, loc.end, "syntax", "unexpected name '%s'; expected %s",
		    word, want);
}

expr *ex_months_between(parse_ctx *p, span loc, const char *word, span word_loc, expr *from, expr *to)
{
	if (strcmp(word, "months") != 0) {
		word_error(p, word, word_loc, "'months from DATE to DATE'");
		return ex_error(p, loc);
	}
	return ex_new(p, EX_MONTHS_BETWEEN, loc, from, to, NULL);
}

expr *ex_day_of_month(parse_ctx *p, span loc, const char *w1, span l1, const char *w2, span l2, expr *d)
{
	if (strcmp(w1, "day") != 0) {
		word_error(p, w1, l1, "'day of month of DATE'");
		return ex_error(p, loc);
	}
	if (strcmp(w2, "month") != 0) {
		word_error(p, w2, l2, "'day of month of DATE'");
		return ex_error(p, loc);
	}
	return ex_new(p, EX_DAY_OF_MONTH, loc, d, NULL, NULL);
}

action *act_subject(parse_ctx *p, action *a, ident *subject)
{
	(void)p;
	a->subject = *subject;
	return a;
}

decl *decl_overrides(parse_ctx *p, decl *d, ptrvec *ids)
{
	size_t i;
	for (i = 0; ids && i < ids->len; i++)
		ptrvec_push(p->a, &d->overrides, ids->items[i]);
	return d;
}

decl *decl_covers(parse_ctx *p, decl *d, const char *word, span word_loc, ptrvec *ids)
{
	size_t i;
	/* 'covers' stays an ordinary name everywhere else (no new keyword), so
	 * the clause is read as NAME list and the word checked here. */
	if (strcmp(word, "covers") != 0) {
		diag_report(p->diag, DIAG_ERROR, p->file, word_loc.start, word_loc.end, "syntax",
			    "unexpected name '%s' after the subject's description; a subject may end with: covers S1, S2",
			    word);
		return d;
	}
	for (i = 0; ids && i < ids->len; i++)
		ptrvec_push(p->a, &d->covers, ids->items[i]);
	return d;
}

decl *decl_coexist(parse_ctx *p, decl *d, ident *rule, const char *reason, span reason_loc, span kw_loc)
{
	coexist_note *n = arena_alloc(p->a, sizeof(*n));
	n->rule = *rule;
	n->reason = reason;
	/* Without a reason, sema points at the clause itself. */
	n->reason_loc = reason ? reason_loc : span_join(kw_loc, rule->loc);
	ptrvec_push(p->a, &d->coexists, n);
	return d;
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

/* ---- Feeding the rule blocks to the parser --------------------------------- */

/* The flex scanner proper (lexer.l); lrc_yylex below wraps it. */
int lrc_lex_raw(LRC_YYSTYPE *lval, LRC_YYLTYPE *lloc, yyscan_t scanner);
void lrc_lex_block(yyscan_t scanner, const char *text, size_t n, uint32_t base);

static void begin_block(parse_ctx *p, yyscan_t scanner, const blk_rule *b)
{
	p->fence_char = b->fence_char;
	p->fence_len = b->fence_len;
	p->block_syntax = p->syntax_errors;
	if (!b->closed) {
		/* An unclosed block runs into prose or into the next block: its
		 * first error ends it (see stop_early), and that error is not
		 * shown, since blocks.c has reported the one that matters. */
		diag_init(&p->scratch, p->a);
		p->diag = &p->scratch;
	}
	if (p->lexed) {
		ptrvec_push(p->a, p->lexed, (void *)(uintptr_t)b->body_start);
		ptrvec_push(p->a, p->lexed, (void *)(uintptr_t)b->body_end);
	}
	lrc_lex_block(scanner, p->file->text + b->body_start, b->body_end - b->body_start, b->body_start);
}

static int stop_early(const parse_ctx *p)
{
	return p->diag != p->real_diag && (p->scratch.nerrors > 0 || p->syntax_errors > p->block_syntax);
}

/* The parser's token source: FENCE_OPEN, the tokens of one block's
 * content, FENCE_CLOSE, for each rule block in turn; then the end. */
int lrc_yylex(LRC_YYSTYPE *lval, LRC_YYLTYPE *lloc, void *scanner)
{
	parse_ctx *p = lrc_yyget_extra(scanner);
	const blk_rule *b;
	int t;

	if (!p->in_block) {
		/* The previous block's FENCE_CLOSE has been parsed: its errors
		 * (e.g. "ends too early") went to the scratch context too. */
		p->diag = p->real_diag;
		if (p->block >= p->doc.rules.len) {
			lloc->start = lloc->end = p->file->len;
			return 0;
		}
		b = p->doc.rules.items[p->block];
		begin_block(p, scanner, b);
		p->in_block = 1;
		lloc->start = b->open_start;
		lloc->end = b->open_end;
		return FENCE_OPEN;
	}
	b = p->doc.rules.items[p->block];
	t = stop_early(p) ? 0 : lrc_lex_raw(lval, lloc, scanner);
	if (t != 0)
		return t;
	p->in_block = 0;
	p->block++;
	lloc->start = b->close_start;
	lloc->end = b->close_end;
	return FENCE_CLOSE;
}

/* ---- After parsing -------------------------------------------------------- */

/* Index of the rule block whose content holds offset off, or -1.  The
 * blocks are in file order and disjoint, so a binary search finds it. */
static long block_of(const blk_doc *doc, uint32_t off)
{
	size_t lo = 0, hi = doc->rules.len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const blk_rule *b = doc->rules.items[mid];
		if (off < b->body_start)
			hi = mid;
		else if (off >= b->body_end)
			lo = mid + 1;
		else
			return (long)mid;
	}
	return -1;
}

/* A closed rule block that declares nothing (and has no error in it) is
 * a warning: the author meant something to be read there.  Linear in
 * blocks, declarations and diagnostics, however many of each. */
static void warn_empty(parse_ctx *p, size_t first_decl, size_t first_diag)
{
	size_t nb = p->doc.rules.len, i;
	unsigned char *busy = nb ? arena_alloc(p->a, nb) : NULL;

	for (i = first_diag; i < p->diag->items.len; i++) {
		const diag *g = p->diag->items.items[i];
		long k = g->sev == DIAG_ERROR && g->file == p->file ? block_of(&p->doc, g->start) : -1;
		if (k >= 0)
			busy[k] = 1;
	}
	for (i = first_decl; i < p->out->decls.len; i++) {
		long k = block_of(&p->doc, ((const decl *)p->out->decls.items[i])->loc.start);
		if (k >= 0)
			busy[k] = 1;
	}
	for (i = 0; i < nb; i++) {
		const blk_rule *b = p->doc.rules.items[i];
		if (b->closed && !busy[i])
			diag_report(p->diag, DIAG_WARNING, p->file, b->open_start, b->open_end, "empty-rule-block",
				    "this rule block declares nothing; write declarations in it or remove it");
	}
}

/* Gives each declaration of this file the headings above it. */
static void assign_headings(parse_ctx *p, size_t first_decl)
{
	const ptrvec *heads = &p->doc.headings;
	size_t i, h;

	for (i = first_decl; i < p->out->decls.len; i++) {
		decl *d = p->out->decls.items[i];
		uint32_t line, col;
		const blk_heading *stack[7] = {0};
		int lv;

		src_position(p->file, d->loc.start, &line, &col);
		for (h = 0; h < heads->len; h++) {
			const blk_heading *hd = heads->items[h];
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
static int cmp_off(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t) * (void *const *)a, y = (uintptr_t) * (void *const *)b;
	return x < y ? -1 : x > y;
}

static void mark_damaged(parse_ctx *p, size_t first_decl)
{
	size_t i, k = 0;

	/* Declarations are in file order; with the error offsets sorted too,
	 * one merge pass does it (a file with many errors stays linear). */
	if (p->error_offsets.len > 1)
		qsort(p->error_offsets.items, p->error_offsets.len, sizeof(void *), cmp_off);
	for (i = first_decl; i < p->out->decls.len; i++) {
		decl *d = p->out->decls.items[i];
		uint32_t limit = i + 1 < p->out->decls.len ? ((decl *)p->out->decls.items[i + 1])->loc.start
							   : p->file->len + 1;
		while (k < p->error_offsets.len && (uint32_t)(uintptr_t)p->error_offsets.items[k] < d->loc.start)
			k++;
		if (k < p->error_offsets.len && (uint32_t)(uintptr_t)p->error_offsets.items[k] < limit)
			d->damaged = 1;
	}
}

/* ---- Driver ------------------------------------------------------------- */

int parse_file_traced(ruleset_ast *rs, arena *a, diag_ctx *d, const src_file *f, ptrvec *lexed)
{
	parse_ctx p;
	yyscan_t scanner;
	int errors_before = d->nerrors;
	size_t first_decl = rs->decls.len, first_diag = d->items.len;

	memset(&p, 0, sizeof p);
	p.a = a;
	p.diag = p.real_diag = d;
	p.file = f;
	p.out = rs;
	p.lexed = lexed;
	ptrvec_push(a, &rs->files, (void *)f);

	if (!f->utf8_ok) {
		uint32_t bad = src_first_bad_utf8(f);
		diag_report(d, DIAG_ERROR, f, bad, bad + 1, "invalid-utf8",
			    f->text[bad] == '\0'
				    ? "this file contains a NUL byte; rule files must be UTF-8 text"
				    : "this byte is not valid UTF-8; rule files must be UTF-8 text");
		return d->nerrors - errors_before;
	}
	if (blk_scan(&p.doc, a, d, f) != 0)
		return d->nerrors - errors_before;
	if (lrc_yylex_init_extra(&p, &scanner) != 0)
		return 1;
	/* Nonzero also when the parser stack overflowed (too deep). */
	if (lrc_yyparse(scanner, &p) != 0 && p.syntax_errors == 0)
		p.syntax_errors = 1;
	p.diag = d;
	rs->syntax_errors += p.syntax_errors;
	lrc_yylex_destroy(scanner);
	mark_damaged(&p, first_decl);
	warn_empty(&p, first_decl, first_diag);
	assign_headings(&p, first_decl);
	return d->nerrors - errors_before;
}

int parse_file(ruleset_ast *rs, arena *a, diag_ctx *d, const src_file *f)
{
	return parse_file_traced(rs, a, d, f, NULL);
}
