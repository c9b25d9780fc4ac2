/*
** smt_impl.h: the state shared by the encoder (smt.c) and the queries
** (smt_query.c).  Private to compiler/smt*.c.
*/
#ifndef LRC_SMT_IMPL_H
#define LRC_SMT_IMPL_H

#include "smt.h"

typedef struct {
	Z3_ast *v;
	size_t n, cap;
} smt_vec;

typedef struct {
	uint32_t *v;
	size_t n, cap;
} smt_ivec;

/* A value term (def: it is known; val: its value) or, for a condition,
 * its two rails (t: known true, f: known false). */
typedef struct {
	Z3_ast def, val;
	Z3_ast t, f;
} smt_term;

/* The verifier tracks the inputs a formula reads in a fixed bitset: a
 * condition that reads an input past SMT_READ_WORDS * 64 is a gap (not
 * verified, and said so), whatever the runtime's own size. */
#define SMT_READ_WORDS 4

/* What a let, table or rule encodes to, with everything a query that
 * uses it must also assert. */
typedef struct {
	int state;                 /* 0 not yet, 1 being encoded, 2 done */
	smt_term term;
	Z3_ast key_def, key_val;   /* a table's key */
	Z3_ast amount_def, amount_val; /* a rule's: the amount of action amount_k (smt_action_amount) */
	size_t amount_k;
	smt_gap gap;
	smt_vec sides;             /* definitions of its fresh terms (rounding, months) */
	smt_ivec months;           /* the month shifts it contains (indices into smt.months) */
	uint64_t reads[SMT_READ_WORDS];
	const char *approx;        /* an abstraction it contains that replay may refute (static) */
	unsigned stamp;            /* the collector that last took its sides */
} smt_node;

/* A computation the encoding abstracts: "date + n months" (m bounded by
 * the exact range of the shift over a 400-year cycle), or a product or
 * quotient of two varying values (m free, ok free: no error).  Lemmas pin
 * m (and ok) to the runtime's exact result at the operands a refuted
 * witness used (VERIFY-Z3.md section 6's replay refinement). */
enum { SMT_ABS_MONTHS, SMT_ABS_MUL, SMT_ABS_DIV };
typedef struct {
	int kind;
	Z3_ast date, b, m, ok;     /* date: the left operand; b: the right one (MUL, DIV) */
	int64_t n;
	smt_vec lemmas;
} smt_month;

struct smt {
	Z3_context c;
	const ruleset_ast *rs;
	const lowered *lw;
	unsigned timeout_ms;
	smt_vec refs;              /* every AST kept, released by smt_free */
	Z3_ast tru, fls;
	Z3_sort int_sort, bool_sort;
	uint32_t nin;
	Z3_ast *p, *v;             /* per input: present, value */
	Z3_ast *dom;               /* per input: its type's domain and declared range */
	smt_node *lets, *tables, *rules, *scheds;  /* scheds: "its value is known", and its amount's */
	smt_month *months;
	size_t nmonths, capmonths;
	smt_node *cur;             /* the node whose encoding is collecting sides */
	const src_file *file;      /* the file of the declaration being encoded */
	unsigned stamp, cur_stamp;
	int depth;                 /* lets and tables being encoded, nested */
	int err;                   /* a Z3 API error was seen */
	Z3_solver solver;          /* the domain bounds; queries push and pop */
	int held;                  /* the rule asserted at the first push level (smt_hold), or -1 */
	size_t held_sides, held_months; /* its sides and months then */
	lr_action *acts;
	lr_result res;
	lr_record rec;
};

void smt_vec_push(smt_vec *v, Z3_ast a);
void smt_ivec_push(smt_ivec *v, uint32_t x);
/** Encodes e (a condition when its type is TY_BOOL) into *out, collecting
 ** sides into s->cur; -1 with s->cur->gap set when it cannot. */
int smt_enc(smt *s, const expr *e, smt_term *out);
/** The index of d in v[0..n), or -1. */
int smt_index_of(const decl **v, uint32_t n, const decl *d);
/** Encodes body (NULL: always true) into node n as declaration d's. */
void smt_encode_decl(smt *s, smt_node *n, const decl *d, const expr *body);
/** Table t's node, encoded; -1 when t is out of range or nested too deep. */
int smt_table_node(smt *s, uint32_t t, smt_node **out);
/** A condition's rails as a value (def: known, val: true) and a boolean
 ** value as rails; each fills in what is missing. */
void smt_as_value(smt *s, smt_term *x);
void smt_as_cond(smt *s, smt_term *x);
/** Adds node n's sides, months and reads to s->cur (once per collector). */
void smt_take(smt *s, smt_node *n);
/** The node of rule r, encoded. */
smt_node *smt_rule_node(smt *s, uint32_t r);
/** Asserts n's sides and month lemmas into solver sv. */
void smt_assert_node(smt *s, Z3_solver sv, const smt_node *n);
Z3_ast smt_and2(smt *s, Z3_ast a, Z3_ast b);
Z3_ast smt_or2(smt *s, Z3_ast a, Z3_ast b);
Z3_ast smt_not(smt *s, Z3_ast a);
Z3_ast smt_int(smt *s, int64_t v);
/** A new solver with s's timeout (simple solver; inc_ref'd). */
Z3_solver smt_solver_new(smt *s);
void smt_solver_free(smt *s, Z3_solver sv);
/** The 400-year range [lo, hi] of (d + n months) - d, in days. */
void smt_month_range(int64_t n, int64_t *lo, int64_t *hi);
/** Year, month, day and month length of day number x when x is a date of
 ** years 1..9999: fresh terms, defined by a side of the current node. */
void smt_civil(smt *s, Z3_ast x, Z3_ast *y, Z3_ast *m, Z3_ast *d, Z3_ast *len);
/** The first day of year 1 and the last of 9999, as day numbers. */
void smt_date_limits(int64_t *lo, int64_t *hi);

#endif
