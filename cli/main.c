/*
** main.c: the litrule command line.
**
**   litrule check PATH...                 front end: diagnostics only
**   litrule build PATH... -o DIR          C table (DIR/NAME.c, DIR/NAME.h)
**   litrule eval --rules PATH [--format json|text] [--jsonl] PATIENT.json...
**   litrule test PATH...                  runs the examples in the rule files
**
** Exit status: 0 success, 1 errors in the input (diagnostics, failed
** examples, bad patient data), 2 wrong usage.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "driver.h"
#include "litrule.h"

static void usage(FILE *out)
{
	fputs("usage: litrule COMMAND [OPTIONS] ...\n"
	      "\n"
	      "Commands:\n"
	      "  check PATH...                 check rule files (directories: every *.md)\n"
	      "  build PATH... -o DIR          compile rule files to a C table in DIR\n"
	      "  eval --rules PATH [--format json|text] PATIENT.json...\n"
	      "  eval --rules PATH --jsonl     one patient per line on standard input\n"
	      "  test [--format text|json|junit] [-v] [--run PATTERN] [--coverage] PATH...\n"
	      "                                run the examples written in the rule files\n"
	      "  audit [--rev REV] [PATH]      write an audit report onto refs/litrule/audit\n"
	      "  audit verify                  check the chain of audit reports\n"
	      "  trace DECISION.json           trace a decision to its rules, passages and commits; replay it\n"
	      "  diff REV_A REV_B [PATH]       what changed between two revisions, in rules and in outcomes\n"
	      "  verify [--format text|json|sarif] [--coverage=error|warning|off] PATH...\n"
	      "                                check, then the analyses across rules (docs/verify.md)\n"
	      "  weave PATH... -o DIR          the rule book as a web page with its evidence (docs/weave.md)\n"
	      "\n"
	      "Options:\n"
	      "  --diagnostics=text|json       how to print diagnostics (default text)\n"
	      "  --werror                      treat warnings as errors\n"
	      "  -h, --help                    show this help\n"
	      "  --version                     show the version\n",
	      out);
}

int main(int argc, char **argv)
{
	const char *cmd;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
		int v = lr_version();
		printf("litrule %d.%d.%d (table format %d)\n", v >> 16, (v >> 8) & 0xff, v & 0xff, cli_table_format());
		return 0;
	}
	if (strcmp(cmd, "check") == 0)
		return cli_check(argc - 2, argv + 2);
	if (strcmp(cmd, "build") == 0)
		return cli_build(argc - 2, argv + 2);
	if (strcmp(cmd, "eval") == 0)
		return cli_eval(argc - 2, argv + 2);
	if (strcmp(cmd, "audit") == 0)
		return cli_audit(argc - 2, argv + 2);
	if (strcmp(cmd, "diff") == 0)
		return cli_diff_main(argc - 2, argv + 2);
	if (strcmp(cmd, "test") == 0)
		return cli_test(argc - 2, argv + 2);
	if (strcmp(cmd, "trace") == 0)
		return cli_trace(argc - 2, argv + 2);
	if (strcmp(cmd, "verify") == 0)
		return cli_verify(argc - 2, argv + 2);
	if (strcmp(cmd, "weave") == 0)
		return cli_weave(argc - 2, argv + 2);
	fprintf(stderr, "litrule: unknown command '%s'\n\n", cmd);
	usage(stderr);
	return 2;
}
