/*
** blocks.c: the block structure of a literate rule file, from cmark.
**
** cmark decides where every fenced code block starts and ends (so the
** rules read are exactly the ones a Markdown viewer shows as rule
** blocks); this file maps cmark's line numbers to byte offsets (the line
** table of source.c ends lines where cmark does: LF, CRLF, lone CR) and
** reads the fence lines themselves only to find the fence's columns.
**
** Then it looks for disagreements between what the author evidently meant
** and what Markdown makes of the file, each reported once at its line:
**   - a rule block that is not closed: CommonMark runs it to the end of
**     the file, or until the closing fence of a later block.  A line
**     inside it that opens a rule block (```rule) cuts it there, so the
**     later block is still read as the author meant; the unclosed part
**     gets one error (its scanning stops at its first error, so prose
**     read as rules does not cascade);
**   - the same for any other fenced block whose content contains a
**     ```rule line that would have closed it (same character, at least
**     as long): an example block meant to hold a rule block needs a
**     longer or different fence, so this one is simply unclosed;
**   - a ```rule line Markdown does not read as a fence (indented by a
**     tab or 4+ spaces, a backtick in the info string, inside an HTML
**     block or paragraph);
**   - a rule fence inside a list or a block quote (not read).
*/
#include "blocks.h"

#include <cmark-gfm.h>
#include <string.h>

/* What a line says as a potential fence. */
typedef struct {
	int ok;             /* a run of 3+ '`' or '~' after blanks */
	uint32_t indent;    /* columns of the leading blanks (tab stops of 4) */
	int tab;            /* a tab among them */
	int ch;             /* '`' or '~' */
	uint32_t len;       /* length of the run */
	uint32_t run;       /* byte offset of the run */
	const char *info;   /* the rest of the line, trimmed */
	size_t info_len;
	int info_backtick;  /* the rest contains a '`' */
} fence_line;

/* Which block of cmark's a line belongs to (for the misread-fence check). */
enum { OWN_NONE, OWN_CODE, OWN_INDENTED, OWN_RULE_OPEN };

/* A code block as cmark reported it. */
typedef struct {
	uint32_t start, end; /* 1-based lines */
	int rule;            /* info string's first word is `rule` */
	int top;             /* a child of the document */
	int fenced;          /* top-level only: starts with a valid fence line */
	const char *info;
} code_node;

typedef struct {
	arena *a;
	diag_ctx *d;
	const src_file *f;
	blk_doc *out;
	unsigned char *own;     /* OWN_* per line, 1-based */
	ptrvec codes;           /* code_node * */
	uint32_t first_misread; /* line of the first misread ```rule line, 0 if none */
} scan;

static int rule_word(const char *s, size_t n)
{
	size_t w = 0;
	while (w < n && s[w] != ' ' && s[w] != '\t')
		w++;
	return w == 4 && memcmp(s, "rule", 4) == 0;
}

static void fence_parse(const src_file *f, uint32_t line, fence_line *fl)
{
	uint32_t s, e, p;

	memset(fl, 0, sizeof *fl);
	src_line_span(f, line, &s, &e);
	if (line == 1 && src_has_bom(f) && e >= 3)
		s = 3;
	for (p = s; p < e && (f->text[p] == ' ' || f->text[p] == '\t'); p++) {
		if (f->text[p] == '\t') {
			fl->tab = 1;
			fl->indent += 4 - fl->indent % 4;
		} else {
			fl->indent++;
		}
	}
	if (p >= e || (f->text[p] != '`' && f->text[p] != '~'))
		return;
	fl->ch = f->text[p];
	fl->run = p;
	while (p < e && f->text[p] == fl->ch) {
		p++;
		fl->len++;
	}
	if (fl->len < 3)
		return;
	fl->ok = 1;
	while (p < e && (f->text[p] == ' ' || f->text[p] == '\t'))
		p++;
	while (e > p && (f->text[e - 1] == ' ' || f->text[e - 1] == '\t'))
		e--;
	fl->info = f->text + p;
	fl->info_len = e - p;
	fl->info_backtick = memchr(fl->info, '`', fl->info_len) != NULL;
}

/* A fence line CommonMark accepts as an opener. */
static int is_opener(const fence_line *fl)
{
	return fl->ok && fl->indent <= 3 && !(fl->ch == '`' && fl->info_backtick);
}

static int is_rule_opener(const fence_line *fl)
{
	return is_opener(fl) && rule_word(fl->info, fl->info_len);
}

static int is_closer(const fence_line *fl, int ch, uint32_t len)
{
	return fl->ok && fl->indent <= 3 && fl->ch == ch && fl->len >= len && fl->info_len == 0;
}

static uint32_t line_begin(const src_file *f, uint32_t line)
{
	return line >= 1 && line <= f->nlines ? f->line_start[line - 1] : f->len;
}

/* ---- cmark's view --------------------------------------------------------- */

static void add_heading(scan *sc, cmark_node *n)
{
	blk_heading *hd = arena_alloc(sc->a, sizeof(*hd));
	char *text = arena_strdup(sc->a, "");
	cmark_iter *it = cmark_iter_new(n);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *c = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(c);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
			const char *lit = cmark_node_get_literal(c);
			text = arena_printf(sc->a, "%s%s", text, lit ? lit : "");
		} else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
			text = arena_printf(sc->a, "%s ", text);
		}
	}
	cmark_iter_free(it);
	hd->line = (uint32_t)cmark_node_get_start_line(n);
	hd->level = cmark_node_get_heading_level(n);
	hd->text = text;
	ptrvec_push(sc->a, &sc->out->headings, hd);
}

static uint32_t clamp_line(const scan *sc, int line)
{
	if (line < 1)
		return 1;
	return (uint32_t)line > sc->f->nlines ? sc->f->nlines : (uint32_t)line;
}

static void add_code(scan *sc, cmark_node *n)
{
	code_node *c = arena_alloc(sc->a, sizeof(*c));
	const char *info = cmark_node_get_fence_info(n);
	uint32_t l;

	c->info = arena_strdup(sc->a, info ? info : "");
	c->rule = rule_word(c->info, strlen(c->info));
	c->start = clamp_line(sc, cmark_node_get_start_line(n));
	c->end = clamp_line(sc, cmark_node_get_end_line(n));
	if (c->end < c->start)
		c->end = c->start;
	c->top = cmark_node_parent(n) == NULL || cmark_node_get_type(cmark_node_parent(n)) == CMARK_NODE_DOCUMENT;
	if (c->top) {
		fence_line fl;
		fence_parse(sc->f, c->start, &fl);
		c->fenced = is_opener(&fl);
	}
	for (l = c->start; l <= c->end; l++)
		sc->own[l] = c->top && !c->fenced ? OWN_INDENTED : OWN_CODE;
	if (c->rule && (c->fenced || !c->top))
		sc->own[c->start] = OWN_RULE_OPEN;
	if (!c->top && !c->rule) {
		/* An indented code block in a container that starts with ```rule. */
		fence_line fl;
		fence_parse(sc->f, c->start, &fl);
		if (fl.ok && rule_word(fl.info, fl.info_len))
			sc->own[c->start] = OWN_INDENTED;
	}
	if (c->rule && !c->top) {
		uint32_t s, e;
		src_line_span(sc->f, c->start, &s, &e);
		diag_report(sc->d, DIAG_ERROR, sc->f, s, e, "nested-rule-block",
			    "this rule block sits inside a list or a block quote, where it is not read; "
			    "move it to the top level of the document");
	}
	ptrvec_push(sc->a, &sc->codes, c);
}

static int walk_cmark(scan *sc)
{
	cmark_node *doc = cmark_parse_document(sc->f->text, sc->f->len, CMARK_OPT_DEFAULT);
	cmark_iter *it;
	cmark_event_type ev;

	if (!doc)
		return -1;
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (cmark_node_get_type(n) == CMARK_NODE_HEADING)
			add_heading(sc, n);
		else if (cmark_node_get_type(n) == CMARK_NODE_CODE_BLOCK)
			add_code(sc, n);
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	return 0;
}

/* ---- ```rule lines Markdown does not read as fences ----------------------- */

static void report_misread(scan *sc, uint32_t line, const fence_line *fl)
{
	uint32_t s = fl->run, e = (uint32_t)(fl->info - sc->f->text) + 4;
	const char *why;

	if (fl->tab)
		why = "this ```rule line is indented by a tab, so Markdown reads it as an indented code "
		      "block (or as text), not as a rule block, and its rules are not read; remove the indentation";
	else if (fl->indent > 3)
		why = "this ```rule line is indented by 4 or more spaces, so Markdown reads it as an indented "
		      "code block (or as text), not as a rule block, and its rules are not read; indent it "
		      "at most 3 spaces";
	else if (fl->ch == '`' && fl->info_backtick)
		why = "the text after a ``` fence cannot contain a backtick, so Markdown does not read this "
		      "line as a rule fence and its rules are not read; remove the backtick or use a ~~~ fence";
	else
		why = "Markdown does not read this line as a rule fence (it continues the paragraph, list "
		      "or HTML block above), so its rules are not read; put a blank line before it";
	diag_report(sc->d, DIAG_ERROR, sc->f, s, e, "misread-rule-fence", "%s", why);
	if (!sc->first_misread)
		sc->first_misread = line;
}

static void find_misread(scan *sc)
{
	uint32_t l;

	for (l = 1; l <= sc->f->nlines; l++) {
		fence_line fl;
		if (sc->own[l] != OWN_NONE && sc->own[l] != OWN_INDENTED)
			continue;
		fence_parse(sc->f, l, &fl);
		if (fl.ok && rule_word(fl.info, fl.info_len))
			report_misread(sc, l, &fl);
	}
}

/* ---- top-level fenced blocks, cut at ```rule lines inside them ------------ */

/* Says which content line looked like a closing fence but was not one. */
static void note_lookalike(scan *sc, diag *g, const blk_rule *r, uint32_t from, uint32_t to)
{
	uint32_t l;

	for (l = from; l <= to && l <= sc->f->nlines; l++) {
		fence_line fl;
		const char *why;
		fence_parse(sc->f, l, &fl);
		if (!fl.ok || fl.info_len != 0)
			continue;
		if (fl.tab)
			why = "it is indented by a tab";
		else if (fl.indent > 3)
			why = "it is indented by 4 or more spaces";
		else if (fl.ch != r->fence_char)
			why = fl.ch == '~' ? "it is made of '~' and the block opened with '`'"
					   : "it is made of '`' and the block opened with '~'";
		else
			why = "it is shorter than the opening fence";
		diag_note(sc->d, g, sc->f, fl.run, fl.run + fl.len, "this fence does not close the block: %s", why);
		return;
	}
}

static void report_unclosed(scan *sc, const code_node *c, const fence_line *open, int rule, blk_rule *r,
			    uint32_t open_line, uint32_t cut_line)
{
	const src_file *f = sc->f;
	uint32_t s = open->run, e = open->run + open->len;

	if (cut_line) {
		fence_line nx;
		fence_parse(f, cut_line, &nx);
		if (rule)
			diag_report(sc->d, DIAG_ERROR, f, s, e, "unclosed-rule-block",
				    "this rule block is not closed before the %.*srule fence on line %u; add a closing "
				    "fence (a line of %u '%c') before it",
				    (int)nx.len, f->text + nx.run, (unsigned)cut_line, (unsigned)open->len, open->ch);
		else if (!(c->info[0] == '\0' && sc->first_misread && sc->first_misread < open_line))
			/* (A bare fence after a misread ```rule line is that block's stray
			 * closing fence: the misread line's error already says why.) */
			diag_report(sc->d, DIAG_ERROR, f, s, e, "unclosed-fence",
				    "this fenced block is not closed before the %.*srule fence on line %u, so Markdown "
				    "shows that rule block as part of it; add a closing fence (a line of %u '%c') before it",
				    (int)nx.len, f->text + nx.run, (unsigned)cut_line, (unsigned)open->len, open->ch);
	} else if (rule) {
		diag *g = diag_report(sc->d, DIAG_ERROR, f, s, e, "unclosed-rule-block",
				      "this rule block is never closed; end it with a line of %u '%c'",
				      (unsigned)open->len, open->ch);
		note_lookalike(sc, g, r, open_line + 1, f->nlines);
	}
}

/* One top-level fenced block: a rule block, or pieces if ```rule lines cut it. */
static void split_fenced(scan *sc, const code_node *c)
{
	const src_file *f = sc->f;
	fence_line open, fl;
	uint32_t open_line = c->start, last, l;
	int rule = c->rule, closed;

	fence_parse(f, c->start, &open);
	fence_parse(f, c->end, &fl);
	closed = c->end > c->start && is_closer(&fl, open.ch, open.len);
	last = closed ? c->end - 1 : f->nlines;
	for (l = c->start + 1; l <= last + 1; l++) {
		int cut = 0;
		blk_rule *r = NULL;
		if (l <= last) {
			fence_parse(f, l, &fl);
			cut = is_rule_opener(&fl) && (rule || (fl.ch == open.ch && fl.len >= open.len));
			if (!cut)
				continue;
		}
		if (rule) {
			r = arena_alloc(sc->a, sizeof(*r));
			r->open_start = open.run;
			r->open_end = open.run + open.len;
			r->fence_char = open.ch;
			r->fence_len = open.len;
			r->body_start = line_begin(f, open_line + 1);
			r->body_end = cut ? line_begin(f, l) : closed ? line_begin(f, c->end) : f->len;
			r->closed = !cut && closed;
			r->cut_line = cut ? l : 0;
			r->close_start = r->close_end = r->body_end;
			if (r->closed) {
				fence_line cl;
				fence_parse(f, c->end, &cl);
				r->close_start = cl.run;
				r->close_end = cl.run + cl.len;
			}
			ptrvec_push(sc->a, &sc->out->rules, r);
		}
		if (cut || !closed)
			report_unclosed(sc, c, &open, rule, r, open_line, cut ? l : 0);
		if (!cut)
			break;
		open = fl;
		open_line = l;
		rule = 1;
	}
}

int blk_scan(blk_doc *out, arena *a, diag_ctx *d, const src_file *f)
{
	scan sc;
	size_t i;

	memset(out, 0, sizeof *out);
	memset(&sc, 0, sizeof sc);
	sc.a = a;
	sc.d = d;
	sc.f = f;
	sc.out = out;
	sc.own = arena_alloc(a, (size_t)f->nlines + 2);
	if (walk_cmark(&sc) != 0) {
		diag_report(d, DIAG_ERROR, f, 0, 0, "io", "out of memory while reading the Markdown structure");
		return -1;
	}
	find_misread(&sc);
	for (i = 0; i < sc.codes.len; i++) {
		const code_node *c = sc.codes.items[i];
		if (c->top && c->fenced)
			split_fenced(&sc, c);
	}
	return 0;
}
