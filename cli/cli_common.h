/*
** cli_common.h: front end + lowering + identity, for the commands that
** need a runtime table.
*/
#ifndef LRC_CLI_COMMON_H
#define LRC_CLI_COMMON_H

#include "cli.h"
#include "ident.h"
#include "lower.h"

typedef struct {
	frontend fe;
	lowered lw;
	ruleset_ident id;  /* hash, commit, root and the hashed files */
} compiled;

/** 1 if s is a C identifier. */
int cli_is_identifier(const char *s);

/** Returns 0 with c->lw.rs ready, or -1 after printing diagnostics. */
int cli_compile(compiled *c, const fe_opts *o, int npaths, char **paths);
void cli_compiled_free(compiled *c);

#endif
