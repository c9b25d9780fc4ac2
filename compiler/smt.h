/*
** smt.h: rule conditions as Z3 formulas, for verify's solver analyses
** (contradiction, dead-rule, unreachable-row, always-overridden).
**
** The encoding follows ../shared/design/VERIFY-Z3.md: numbers are Int
** scaled by 10^9 (exact decimals), '*' and '/' by a constant round to the
** nearest with ties to even as lr_dec_mul/lr_dec_div do, missing data is
** dual-rail (each condition has "known true" T and "known false" F; a rule
** fires iff T), enumerations are value indices, dates day numbers, and
** "D + N months" an interval abstraction refined by replaying witnesses.
** Whatever is not encoded (a schedule's state, var * var) makes the
** question "not analysed" with a reason, never a silent pass.
**
** Every witness is replayed through the runtime (lr_eval on the lowered
** table) before it is returned: a witness the runtime does not confirm is
** never reported.  One smt per process: Z3 contexts are not shared.
*/
#ifndef LRC_SMT_H
#define LRC_SMT_H

#include <stddef.h>
#include <stdint.h>

#include <z3.h>

#include "ast.h"
#include "lower.h"

typedef struct smt smt;

typedef enum { SMT_SAT, SMT_UNSAT, SMT_UNKNOWN } smt_answer;

/* Why a question was not analysed: a static reason and the construct. */
typedef struct {
	const char *why;        /* NULL: analysable */
	const src_file *file;
	span at;
} smt_gap;

/** A context for the rule set; timeout_ms per solver call. */
smt *smt_new(const ruleset_ast *rs, const lowered *lw, unsigned timeout_ms);
void smt_free(smt *s);
/** After the last smt_free of the process (valgrind: Z3's global state). */
void smt_finalize(void);

/** Encodes rule r (index into lw->rules) if not yet; the gap if it cannot. */
const smt_gap *smt_rule_gap(smt *s, uint32_t r);

/** Encodes the amount of action k of rule r: a dose's own amount, or its
 ** schedule's.  0 on success (def, val: Z3 terms kept by s), -1 when the
 ** action has no amount or it is not encodable (*gap says why). */
int smt_action_amount(smt *s, uint32_t r, size_t k, Z3_ast *def, Z3_ast *val, smt_gap *gap);

/** Whether some patient within the declared ranges makes every rule of
 ** rules[0..n) fire, with extra (a Bool, or NULL) true and, when check is
 ** not NULL, check(ud, result) accepting the runtime's decisions.  SAT only
 ** with a witness the runtime confirmed: its JSON record in *witness
 ** (malloc'd; the caller frees).  UNKNOWN: *why says why (static text). */
smt_answer smt_query(smt *s, const uint32_t *rules, size_t n, Z3_ast extra,
		     int (*check)(void *ud, const lr_result *res), void *ud, char **witness, const char **why);

/** Keeps rule r (-1: none) asserted in the incremental solver, so that a
 ** run of questions about r and each of its partners (smt_query with r
 ** first) asserts r once (VERIFY-Z3.md section 8: grouped push/pop). */
void smt_hold(smt *s, int r);

/** Whether rule r fires and none of rules others[0..n) does. */
smt_answer smt_query_alone(smt *s, uint32_t r, const uint32_t *others, size_t n, char **witness, const char **why);

/** Input i's value v as a patient record's text: a decimal, YYYY-MM-DD,
 ** a value's name, true or false (the JSON witness's values). */
void smt_value_text(const lowered *lw, uint32_t i, int64_t v, char *buf, size_t n);

/* ---- reasons (unsat cores) ------------------------------------------------- */

/* One constraint of an unsat core: a part of a condition, a row, or an
 * input's declared range. */
enum { SMT_R_COND, SMT_R_RANGE, SMT_R_ROW };
typedef struct {
	int kind;           /* SMT_R_*: a conjunct of the condition, an input's declared range, an earlier row */
	const src_file *file;
	span at;
	const char *what;   /* SMT_R_RANGE: the input's name */
} smt_reason;

/** Rule r cannot fire (its condition is unsat with the declared ranges):
 ** the conflicting conjuncts and ranges, at most max of them.  Returns the
 ** count, 0 when no core could be computed. */
size_t smt_rule_core(smt *s, uint32_t r, smt_reason *out, size_t max);

/** Row k (0-based) of table t (index into lw->tables): SMT_UNSAT when no
 ** key value within the ranges selects it (for 'hit first', earlier rows
 ** included).  reasons: the earlier rows that cover it, or the key's
 ** ranges; *nreasons their count. */
smt_answer smt_row_reachable(smt *s, uint32_t t, uint32_t k, smt_reason *out, size_t max, size_t *nreasons,
			     smt_gap *gap);

/* ---- internal, shared by smt*.c ------------------------------------------- */

/** Z3's context of s (terms built by callers must go through smt_keep). */
Z3_context smt_ctx(smt *s);
Z3_ast smt_keep(smt *s, Z3_ast a);
Z3_ast smt_and2(smt *s, Z3_ast a, Z3_ast b);
Z3_ast smt_not(smt *s, Z3_ast a);

/* The rounding the runtime does at the ninth digit, as a formula: q is the
 * nearest integer to n/d (d > 0), ties to even.  Exposed for the unit test. */
Z3_ast smt_round_nearest(smt *s, Z3_ast n, Z3_ast d, Z3_ast q);

#endif
