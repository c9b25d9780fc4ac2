/*
** ast.h: the syntax tree of a rule set.  The parser builds it with the
** one-line constructors below; sema.c checks it and fills in types;
** lower.c turns it into a runtime table.  Every node lives in the
** compilation's arena and carries the byte span it came from, so any
** stage can point a diagnostic at the author's text.
*/
#ifndef LRC_AST_H
#define LRC_AST_H

#include <stdint.h>

#include "arena.h"
#include "litrule.h"
#include "source.h"

typedef struct { uint32_t start, end; } span;

/* Expression depth limit: deeper trees are refused with a diagnostic, so
 * no later recursive pass can exhaust the C stack. */
#define AST_MAX_DEPTH 256

/* ---- Types assigned by sema ------------------------------------------ */
typedef enum {
	TY_ERROR,   /* already diagnosed; suppresses follow-on errors */
	TY_BOOL,
	TY_NUM,     /* exact decimal with a unit (unit "" = dimensionless) */
	TY_DATE,
	TY_ENUM,
	TY_TEXT
} ty_kind;

typedef struct decl decl;

typedef struct {
	ty_kind kind;
	const char *unit;     /* TY_NUM: canonical unit text */
	const decl *enm;      /* TY_ENUM: the declaration with the values */
	int unit_free;        /* TY_NUM: a bare literal that adopts the other side's unit */
} ty;

/* ---- Expressions ----------------------------------------------------- */
typedef enum {
	EX_NUM,        /* text, unit */
	EX_DATE,       /* text */
	EX_BOOL,       /* ival */
	EX_NAME,       /* name */
	EX_NEG,        /* a */
	EX_ADD, EX_SUB, EX_MUL, EX_DIV,
	EX_LT, EX_LE, EX_GT, EX_GE, EX_EQ, EX_NE,
	EX_AND, EX_OR, EX_NOT,
	EX_MISSING,    /* a is missing */
	EX_KNOWN,      /* a is known */
	EX_IS,         /* a is name (enum value, or schedule state) ; ival=1 for "is not" */
	EX_ONE_OF,     /* a is one of names ; ival=1 for "is not one of" */
	EX_BETWEEN,    /* a between b and c (inclusive) */
	EX_BEFORE, EX_AFTER, EX_ON_OR_BEFORE, EX_ON_OR_AFTER,
	EX_WITHIN_BEFORE, /* a within b before c : c - b <= a <= c */
	EX_WITHIN_AFTER,  /* a within b after c  : c <= a <= c + b */
	EX_IF,         /* if a then b else c */
	EX_OTHERWISE,  /* a otherwise b: a, or b when a is missing */
	EX_AS,         /* a as unit: an explicit unit for an empirical formula */
	EX_MONTHS_BETWEEN, /* months from a to b: whole calendar months, in months */
	EX_DAY_OF_MONTH,   /* day of month of a: 1..31, a plain number */
	EX_ERROR       /* a parse error placeholder */
} ex_kind;

typedef struct expr expr;
struct expr {
	ex_kind kind;
	span loc;
	int depth;
	expr *a, *b, *c;
	const char *text;    /* EX_NUM, EX_DATE: literal text */
	const char *unit;    /* EX_NUM, EX_AS: unit as written (NULL = none) */
	span unit_loc;
	const char *name;    /* EX_NAME, EX_IS */
	span name_loc;
	ptrvec names;        /* EX_ONE_OF: ident * */
	int ival;
	/* Filled in by sema. */
	ty type;
	const decl *ref;     /* EX_NAME: what the name denotes */
	int enum_index;      /* EX_IS on an enum: index of the value */
	lr_dec dec;          /* EX_NUM: the exact value */
	lr_date date;        /* EX_DATE: the day */
	int time;            /* EX_NUM of a phase interval: time_unit */
};

/* An identifier with its location. */
typedef struct {
	const char *name;
	span loc;
} ident;

/* ---- Citations and actions ------------------------------------------- */
typedef struct {
	ident source;
	const char *locator;
	span locator_loc;
	const char *quote;
	span quote_loc;
	const decl *src;     /* sema: the source declaration */
	ptrvec fors;         /* ident *: statements it names with 'for' (D_STATEMENT ids) */
	char *norm_quote;    /* sema: the quote after the quote check's normalisation (NFC, spaces) */
} citation;

typedef enum {
	ACT_RECOMMEND, ACT_DOSE, ACT_HOLD, ACT_DEFER, ACT_ORDER,
	ACT_MONITOR, ACT_REFER, ACT_ALERT, ACT__COUNT
} act_verb;


typedef struct {
	act_verb verb;
	span loc;
	const char *text;
	span text_loc;
	expr *amount;        /* optional dose amount (TY_NUM) */
	ident route;         /* optional; name NULL when absent */
	ident schedule;      /* "per SCHEDULE"; name NULL when absent */
	const decl *sched;   /* sema */
	/* What the action acts on (verify's contradiction analysis, and the
	 * runtime's lr_action.subject): written after the verb, or implied by
	 * "per SCHEDULE".  subject.name NULL when none is named; subj is the
	 * declaration it names (a schedule, or a 'subject' declaration), set
	 * by sema, NULL when absent or unresolved. */
	ident subject;
	const decl *subj;
	/* "... due DATE": a computed date the action is due on (NULL: none);
	 * lr_action.has_due, due at run time. */
	expr *due;
	span due_loc;        /* the word 'due' */
} action;

/* "may coexist with RULE "reason"" on a rule: the author's statement that
 * both rules' actions belong in one decision when both fire. */
typedef struct {
	ident rule;
	const char *reason;
	span reason_loc;
	const decl *target;  /* sema: the rule named, NULL if unresolved */
} coexist_note;

/* ---- Decision-table rows: an interval of the key --------------------- */
typedef struct {
	span loc;
	expr *lo, *hi;       /* NULL = unbounded */
	int lo_open, hi_open;/* 1 = the bound itself is excluded */
	expr *value;         /* NULL = "gives nothing" */
} table_row;

/* ---- Schedule phases -------------------------------------------------- */
typedef struct {
	span loc;
	const char *label;   /* as written: "q4w" or "every 4 weeks" */
	expr *every;         /* interval: number with a time unit */
	expr *bound;         /* NULL for an open-ended last phase */
} phase;

/* ---- Example inputs and expectations ----------------------------------- */
typedef struct {
	ident name;
	expr *value;         /* literal */
} given;

typedef enum {
	EXP_FIRES, EXP_NOT_FIRES, EXP_DOSE, EXP_DUE, EXP_MISSING, EXP_ERROR,
	EXP_OVERRIDDEN  /* the rule fired and another rule that fired overrides it */
} expect_kind;

typedef struct {
	expect_kind kind;
	span loc;
	ident what;          /* rule id, or input name for MISSING / ERROR */
	expr *amount;        /* EXP_DOSE */
	expr *date;          /* EXP_DUE */
	const char *phase;   /* EXP_DUE: optional phase label */
	span phase_loc;
} expectation;

/* ---- Declarations ------------------------------------------------------ */
typedef enum {
	D_INPUT, D_PARAM, D_SOURCE, D_LET, D_RULE, D_TABLE, D_SCHEDULE, D_EXAMPLE, D_RULESET,
	D_STATEMENT, /* a recommendation of a source, for prose coverage (verify) */
	D_SUBJECT    /* what an action acts on that is not a schedule: id and title */
} decl_kind;

typedef enum { IT_BOOL, IT_NUM, IT_DATE, IT_ENUM } input_type;

typedef struct {
	ident key;
	const char *text;    /* string value, or number text */
	span value_loc;
	int is_number;
} field;

struct decl {
	decl_kind kind;
	span loc;            /* the whole declaration */
	ident id;
	const char *title;   /* optional description / title string */
	span title_loc;
	const src_file *file;
	ptrvec headings;     /* const char *: heading path, outermost first */
	uint32_t index;      /* position in the rule set, per kind (sema) */
	int used;            /* sema: referenced from somewhere */

	/* D_INPUT */
	input_type itype;
	const char *unit;    /* IT_NUM */
	span unit_loc;
	ptrvec values;       /* IT_ENUM: ident * */
	expr *range_lo, *range_hi;

	/* D_PARAM: value; committee note or citations */
	expr *value;
	const char *committee;
	span committee_loc;

	/* D_SOURCE */
	ptrvec fields;       /* field * */

	/* D_LET: unit optional, expr */
	expr *body;

	/* D_RULE, D_PARAM, D_TABLE: */
	expr *when;          /* NULL = always */
	ptrvec actions;      /* action * */
	ptrvec cites;        /* citation * */

	/* D_RULE: "overrides R1, R2": when this rule fires, the actions of
	 * those rules are dropped from the decision.  overrides holds the
	 * names as written (ident *), overridden the declarations (const
	 * decl *, sema; same order, unresolved names left out); coexists the
	 * "may coexist with" notes (coexist_note *). */
	ptrvec overrides;
	ptrvec overridden;
	ptrvec coexists;

	/* D_SUBJECT: "covers S1, S2": the subjects (schedules or subjects)
	 * this general subject stands for, so that verify pairs an action on
	 * it with actions on them.  covers holds the names as written (ident
	 * *), covers_decls the declarations (const decl *, sema; unresolved
	 * names left out). */
	ptrvec covers;
	ptrvec covers_decls;

	/* D_TABLE */
	expr *key;
	ident hit;           /* "unique" or "first" */
	ptrvec rows;         /* table_row * */

	/* D_SCHEDULE */
	ptrvec drug;         /* ident *: the drug as words */
	expr *amount;
	ident route;
	ptrvec phases;       /* phase * */
	ident anchor, last, asof, count;
	expr *grace;         /* optional: overdue after */

	/* D_STATEMENT: its source and quote (no locator), and the optional
	 * 'not computable "reason"' */
	citation *stmt;
	const char *not_computable;
	span not_computable_loc;

	/* D_EXAMPLE */
	ptrvec givens;       /* given * */
	ptrvec expects;      /* expectation * */

	/* sema results */
	const char *text_path;  /* D_SOURCE: resolved path of the stored text */
	char *norm_text;        /* D_SOURCE: NFC, whitespace-collapsed text */
	int is_const;           /* D_PARAM: a literal value */
	int has_doses_bound;    /* D_SCHEDULE */
	int damaged;            /* a syntax error follows it before the next declaration */
	int month_end;          /* D_LET, D_RULE, D_SCHEDULE: "month end clamps" stated */
	span month_end_loc;
	ty type;             /* value type of input, param, let, table */
	int visiting;        /* sema: 1 while a let or table is being resolved, 2 once checked */
};

/* A whole rule set: declarations from every file, in source order. */
typedef struct {
	ptrvec decls;        /* decl * */
	ptrvec files;        /* src_file * (not owned) */
	int syntax_errors;   /* declarations dropped by parser error recovery */
	const decl *ruleset; /* the "ruleset" declaration, if any (sema) */
	const src_vfs *vfs;  /* where source texts are read from; NULL: the file system */
} ruleset_ast;

/* ---- Constructors (called from the grammar) ----------------------------- */
typedef struct parse_ctx parse_ctx;

span span_join(span a, span b);
expr *ex_new(parse_ctx *p, ex_kind k, span loc, expr *a, expr *b, expr *c);
expr *ex_num(parse_ctx *p, span loc, const char *text, const char *unit, span unit_loc);
expr *ex_lit(parse_ctx *p, ex_kind k, span loc, const char *text);
expr *ex_bool(parse_ctx *p, span loc, int v);
expr *ex_name(parse_ctx *p, span loc, const char *name);
expr *ex_is(parse_ctx *p, span loc, expr *a, const char *name, span name_loc, int negated);
expr *ex_one_of(parse_ctx *p, span loc, expr *a, ptrvec *names, int negated);
expr *ex_as(parse_ctx *p, span loc, expr *a, const char *unit, span unit_loc);
expr *ex_error(parse_ctx *p, span loc);

/* Calls fn on every node of the tree at root (NULL: none), a before b
 * before c, parents first.  It keeps its own stack rather than recursing,
 * so passes over the names an expression reads need no depth budget. */
void ast_visit(const expr *root, void (*fn)(void *ctx, const expr *e), void *ctx);

ident *id_new(parse_ctx *p, span loc, const char *name);
/* statement ID in SOURCE quote "..." [not computable "reason"]: word is the
 * word after 'not' (it must be 'computable'), NULL when the clause is absent. */
decl *stmt_new(parse_ctx *p, ident *src, const char *quote, span quote_loc, const char *word, span word_loc,
	       const char *reason, span reason_loc);
/* cite ... for S1, S2: the statements a citation encodes. */
citation *cite_for(parse_ctx *p, citation *c, ptrvec *ids);
ptrvec *list1(parse_ctx *p, void *item);
ptrvec *list_add(parse_ctx *p, ptrvec *v, void *item);

#endif
