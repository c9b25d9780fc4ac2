/*
** parse.h: the front end's entry point.  parse_file asks cmark (through
** blocks.c) where the rule blocks of one literate rule file are, runs the
** flex scanner over exactly their content and the bison parser over the
** tokens, and appends the declarations to a rule set, each with the path
** of headings it sits under.
*/
#ifndef LRC_PARSE_H
#define LRC_PARSE_H

#include "ast.h"
#include "blocks.h"
#include "diag.h"

struct parse_ctx {
	arena *a;
	diag_ctx *diag;
	const src_file *file;
	ruleset_ast *out;

	/* Scanner state (kept here, not in globals, so parsing is reentrant). */
	uint32_t pos;          /* byte offset of the next unread byte */
	int fence_char;        /* '`' or '~' of the open fence */
	uint32_t fence_len;

	/* The rule blocks (from cmark) and which one the scanner is in. */
	blk_doc doc;
	size_t block;          /* index of the next block to open or the one being read */
	int in_block;          /* FENCE_OPEN of doc.rules[block] was returned */
	diag_ctx *real_diag;   /* while an unclosed block is read, diag is a scratch context */
	diag_ctx scratch;
	int block_syntax;      /* syntax_errors when the current block opened */
	ptrvec *lexed;         /* if set: boxed uint32_t start, end pairs handed to the scanner */
	int syntax_errors;
	ptrvec error_offsets;  /* uint32_t (boxed): where each syntax error was reported */
};

/** Parses one file into rs.  Returns the number of errors reported. */
int parse_file(ruleset_ast *rs, arena *a, diag_ctx *d, const src_file *f);
/** The same; if lexed is not NULL, appends the byte ranges the scanner
 ** was given (boxed uint32_t start, end pairs), for tests. */
int parse_file_traced(ruleset_ast *rs, arena *a, diag_ctx *d, const src_file *f, ptrvec *lexed);

/* Used by the grammar actions (parser.y) to build declarations. */
decl *decl_new(parse_ctx *p, decl_kind k);
/* Re-kinds a declaration built by a shared body rule (ruleset reuses source fields). */
decl *decl_as(parse_ctx *p, decl *d, decl_kind k);
decl *decl_finish(parse_ctx *p, decl *d, span loc, ident *id, const char *title, span title_loc);
void decl_emit(parse_ctx *p, decl *d);
decl *decl_when(parse_ctx *p, decl *d, expr *e);
decl *decl_action(parse_ctx *p, decl *d, action *a);
decl *decl_cite(parse_ctx *p, decl *d, citation *c);
decl *decl_input_type(parse_ctx *p, decl *d, input_type t, const char *unit, span unit_loc, ptrvec *values);
decl *decl_range(parse_ctx *p, decl *d, expr *lo, expr *hi);
decl *decl_value(parse_ctx *p, decl *d, expr *v);
decl *decl_unit(parse_ctx *p, decl *d, const char *unit, span unit_loc);
decl *decl_committee(parse_ctx *p, decl *d, const char *text, span loc);
decl *decl_field(parse_ctx *p, decl *d, span key_loc, const char *key, const char *val, span val_loc, int is_number);
decl *decl_table_by(parse_ctx *p, decl *d, expr *key);
decl *decl_table_hit(parse_ctx *p, decl *d, ident *hit);
decl *decl_table_row(parse_ctx *p, decl *d, table_row *r);
decl *decl_sched_give(parse_ctx *p, decl *d, ptrvec *drug, expr *amount, ident *route, ptrvec *phases);
decl *decl_sched_ref(parse_ctx *p, decl *d, int which, ident *name, span loc);
decl *decl_sched_grace(parse_ctx *p, decl *d, expr *grace);
decl *decl_givens(parse_ctx *p, decl *d, ptrvec *givens);
decl *decl_expect(parse_ctx *p, decl *d, expectation *e);

enum { SREF_ANCHOR, SREF_LAST, SREF_ASOF, SREF_COUNT };

action *act_new(parse_ctx *p, span loc, const char *verb, span verb_loc, expr *amount, ident *route,
		ident *sched, const char *text, span text_loc);
/* expect RULE WORD: WORD is 'overridden' (or 'fires', the same as none). */
expectation *expect_word(parse_ctx *p, expectation *e, const char *word, span word_loc);
/* ... due DATE: the date an action is due on. */
action *act_due(parse_ctx *p, action *a, expr *due, span due_loc);
/* months from A to B, day of month of D: the words before 'from' and
 * around 'of' are names to the scanner (months and month are also units),
 * so these check them and report a syntax error otherwise. */
expr *ex_months_between(parse_ctx *p, span loc, const char *word, span word_loc, expr *from, expr *to);
expr *ex_day_of_month(parse_ctx *p, span loc, const char *w1, span l1, const char *w2, span l2, expr *d);
/* VERB SUBJECT ...: the action's subject as written (sema resolves it). */
action *act_subject(parse_ctx *p, action *a, ident *subject);
/* overrides R1, R2 and may coexist with R "reason" (a NULL reason: sema reports it). */
decl *decl_overrides(parse_ctx *p, decl *d, ptrvec *ids);
decl *decl_coexist(parse_ctx *p, decl *d, ident *rule, const char *reason, span reason_loc, span kw_loc);
/* subject S "..." WORD S1, S2: WORD must be 'covers' (a contextual word). */
decl *decl_covers(parse_ctx *p, decl *d, const char *word, span word_loc, ptrvec *ids);
citation *cite_new(parse_ctx *p, ident *src, const char *loc_text, span loc_loc, const char *quote,
		   span quote_loc);
table_row *row_new(parse_ctx *p, span loc, expr *lo, int lo_open, expr *hi, int hi_open);
table_row *row_gives(parse_ctx *p, table_row *r, expr *value, span loc);
phase *phase_new(parse_ctx *p, span loc, const char *label, expr *every, expr *bound);
given *given_new(parse_ctx *p, ident *name, expr *value);
expectation *expect_new(parse_ctx *p, span loc, expect_kind k, ident *what, expr *amount, expr *date,
			const char *phase_label, span phase_loc);

/* Strings from the scanner. */
typedef struct {
	const char *s;
} strval;
const char *str_concat(parse_ctx *p, const char *a, const char *b);

#endif
