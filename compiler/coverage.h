/*
** coverage.h: what a rule set's examples cover, measured with the
** runtime itself.  Per rule: how many passing examples show it firing (the
** caller, which checks expectations, counts them); per table row: how many
** passing examples put the table's key in that row; per operand of every
** 'and'/'or' in a rule's condition (chains of one operator flattened): how
** many passing examples make it true and how many false (MC/DC-style;
** unknown counts as neither).
**
** Nothing here re-implements evaluation: each operand is lowered as its own
** program (lower_programs) and run by lr_eval in a probe table whose rules
** are "operand" and "not operand"; a row is found by lr_eval reading the
** table through a probe rule, in a copy of the table whose rows give their
** own numbers.  The runtime is used as built: no hook, no cost to it.
** `litrule verify` (vf_coverage.c) and `litrule test --coverage` read the
** counts.
*/
#ifndef LRC_COVERAGE_H
#define LRC_COVERAGE_H

#include "ast.h"
#include "lower.h"

typedef struct {
	const decl *rule;
	const expr *op;         /* the operand */
	int is_and;             /* an operand of an 'and' chain; 0: of an 'or' */
	unsigned ntrue, nfalse; /* passing examples where it was known true / known false */
	int measured;           /* 0: too deep to probe on its own (never happens for a checked rule) */
} cov_operand;

typedef struct {
	const decl *table;
	const table_row *row;
	uint32_t number;        /* 1-based, within its table */
	unsigned hits;          /* passing examples that put the key in this row */
} cov_row;

typedef struct {
	const lowered *lw;
	unsigned *rule_hits;    /* per rule of lw: passing examples showing it fire */
	cov_row *rows;
	size_t nrows;
	cov_operand *ops;
	size_t nops;
	unsigned passed, failed;/* examples recorded; failed ones count for nothing */
	/* the probes (private) */
	lr_ruleset pops, prows;
	lr_rule_def *prow_rule;
	lr_row_def *prow_rows;
	lr_action *acts;
	uint32_t cap;
} cov_data;

/** Prepares the counts and probes for lw (its rules, tables and their
 ** declarations).  0, or -1 when out of memory.  Arrays live in a, the
 ** action buffer is malloc'd (cov_free). */
int cov_init(cov_data *cv, const lowered *lw, arena *a);
/** Counts one passing example's record (rows and operands). */
void cov_record(cov_data *cv, const lr_record *rec);
void cov_free(cov_data *cv);

typedef struct {
	size_t rules, rules_hit, rows, rows_hit, branches, branches_hit;
} cov_totals;
/** Totals: branches are operand outcomes (two per operand: true, false). */
void cov_totals_of(const cov_data *cv, cov_totals *t);

/** The source text of at in f, each run of white space as one space, cut
 ** (with "...", never inside a UTF-8 character) to fit buf[n], n >= 16. */
const char *cov_snippet(char *buf, size_t n, const src_file *f, span at);

#endif
