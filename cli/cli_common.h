/*
** cli_common.h: front end + lowering + identity, for the commands that
** need a runtime table.
*/
#ifndef LRC_CLI_COMMON_H
#define LRC_CLI_COMMON_H

#include <stdio.h>

#include "cli.h"
#include "coverage.h"
#include "ident.h"
#include "lower.h"

typedef struct {
	frontend fe;
	lowered lw;
	ruleset_ident id;  /* hash, commit, root and the hashed files */
} compiled;


/** Returns 0 with c->lw.rs ready, or -1 after printing diagnostics. */
int cli_compile(compiled *c, const fe_opts *o, int npaths, char **paths);
/** The same over rule files read through vfs (for example blobs of a git
 ** commit, source.h): root is the rule set's root as vfs names paths,
 ** ending in '/' for a directory (the hash and the default name come from
 ** it), files the rule files in the
 ** order to read them.  c->lw.rs.commit is left NULL for the caller to set. */
int cli_compile_vfs(compiled *c, const fe_opts *o, const src_vfs *vfs, const char *root, size_t nfiles,
		    const char *const *files);
void cli_compiled_free(compiled *c);

/* ---- examples (cli_test.c) ---------------------------------------------- */

/** The record an example's `given` clauses describe.  Values are set
 ** directly, so an out-of-range one reaches lr_eval, which rejects it. */
/* lr_eval, with scratch from the heap for a rule set whose scratch the
 * C stack's buffer does not hold (the CLI may allocate; the runtime not). */
int cli_evaluate(lr_result *res, const lr_ruleset *rs, const lr_record *rec);

/* An example's givens as a record; a table of more than LR_RECORD_INLINE
 * inputs gets its arrays from arena a. */
void cli_example_record(lr_record *rec, const lowered *lw, const decl *example, arena *a);

typedef struct {
	const decl *example;
	unsigned failures;    /* expectations not met; 0: passed */
} cli_example_result;

typedef struct {
	cli_example_result *results;  /* one per example, in declaration order (c's arena) */
	size_t nresults;
	unsigned passed, failed;
	uint8_t *covered;             /* per rule: 1 if a passing example shows it firing (c's arena) */
	uint32_t uncovered;           /* rules no passing example shows firing */
} cli_examples;

/** Runs every example of c, printing each failed expectation to msgs
 ** (NULL: silently) as `file:line: example NAME: ...`.  The arrays live in
 ** c's arena.  Returns 0, or -1 when out of memory. */
int cli_run_examples(cli_examples *out, const compiled *c, FILE *msgs);
/** The same, silently, counting what each passing example covers into cov
 ** (cov_init'ed for c->lw: rules shown firing, rows, branches). */
int cli_run_examples_cov(cli_examples *out, const compiled *c, cov_data *cov);

#endif
