/*
** cli.h: one function per litrule command; each parses its own options
** and returns the process exit status.
*/
#ifndef LRC_CLI_H
#define LRC_CLI_H

#include "driver.h"

/* Common front-end options: --diagnostics=, --werror. Consumes them from
 * argv (compacting it) and returns the remaining count, or -1 on error. */
typedef struct {
	int json;
	int werror;
	const char *name;     /* --name: the rule set's name */
	const char *version;  /* --ruleset-version */
} fe_opts;
int cli_frontend_opts(fe_opts *o, int argc, char **argv);
/** Runs the front end and prints diagnostics; returns the error count. */
int cli_run_frontend(frontend *fe, const fe_opts *o, int npaths, char **paths);
/** Applies --werror to a front end that has run (errors: its error count)
 ** and prints its diagnostics; returns the error count. */
int cli_report_frontend(frontend *fe, const fe_opts *o, int errors);

int cli_table_format(void);
int cli_check(int argc, char **argv);
int cli_build(int argc, char **argv);
int cli_eval(int argc, char **argv);
int cli_test(int argc, char **argv);
int cli_audit(int argc, char **argv);
int cli_trace(int argc, char **argv);
int cli_diff_main(int argc, char **argv);
int cli_verify(int argc, char **argv);
int cli_schema(int argc, char **argv);
int cli_inputs(int argc, char **argv);
int cli_help(int argc, char **argv);
int cli_weave(int argc, char **argv);

#endif
