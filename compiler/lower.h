/*
** lower.h: turns a checked syntax tree into the runtime's table
** (litrule_table.h), held in the compilation's arena.  The same table
** serves `litrule eval` and `litrule test` directly and is what the C
** generator prints, so the in-memory and generated paths cannot drift.
*/
#ifndef LRC_LOWER_H
#define LRC_LOWER_H

#include "ast.h"
#include "diag.h"
#include "litrule_table.h"

typedef struct {
	lr_ruleset rs;          /* points into the arena */
	/* Maps from declarations to table indices (decl->index is per namespace). */
	const decl **inputs, **lets, **tables, **schedules, **rules;
	uint32_t ncode_cap, nconst_cap;
} lowered;

/** Lowers rs; reports capacity problems through d. Returns 0 or -1. */
int lower_ruleset(lowered *out, const ruleset_ast *rs, arena *a, diag_ctx *d);
/** Compiles expressions es[0..n) of the checked tree against lw, each as
 ** its own program (codes[i]; len 0 when too deep for the runtime), into
 ** new arrays *code and *consts (in a) that hold lw's code and constants
 ** followed by the programs': a table with them swapped in evaluates them
 ** exactly as lr_eval would.  For verify's coverage probes. */
void lower_programs(const lowered *lw, arena *a, const expr *const *es, size_t n, lr_code *codes,
		    const lr_insn **code, uint32_t *ncode, const int64_t **consts, uint32_t *nconsts);
/** Table index of an input declaration, or -1. */
int lower_input_index(const lowered *lw, const decl *input);
/* How many missing sets the runtime keeps at once at most when it
 * evaluates rs (lr_ruleset.nsets, which sizes the scratch). */
uint32_t lower_nsets(const lr_ruleset *rs);
/** Table index of a rule by id, or -1. */
int lower_rule_index(const lowered *lw, const char *id);

#endif
