/*
** cli_check.c: `litrule check`, and the option handling shared by every
** command that runs the front end.
*/
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cli_frontend_opts(fe_opts *o, int argc, char **argv)
{
	int i, k = 0;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--diagnostics=json") == 0)
			o->json = 1;
		else if (strcmp(argv[i], "--diagnostics=text") == 0)
			o->json = 0;
		else if (strncmp(argv[i], "--diagnostics", 13) == 0) {
			fprintf(stderr, "litrule: --diagnostics takes text or json\n");
			return -1;
		} else if (strcmp(argv[i], "--werror") == 0)
			o->werror = 1;
		else if (strncmp(argv[i], "--name=", 7) == 0)
			o->name = argv[i] + 7;
		else if (strncmp(argv[i], "--ruleset-version=", 18) == 0)
			o->version = argv[i] + 18;
		else
			argv[k++] = argv[i];
	}
	return k;
}

int cli_run_frontend(frontend *fe, const fe_opts *o, int npaths, char **paths)
{
	return cli_report_frontend(fe, o, fe_run(fe, npaths, paths));
}

int cli_report_frontend(frontend *fe, const fe_opts *o, int errors)
{
	if (o->werror && fe->diag.nwarnings) {
		size_t i;
		for (i = 0; i < fe->diag.items.len; i++) {
			diag *g = fe->diag.items.items[i];
			if (g->sev == DIAG_WARNING) {
				g->sev = DIAG_ERROR;
				errors++;
			}
		}
		fe->diag.nerrors = errors;
		/* They are errors now: counting them as warnings as well made
		 * the summary read "2 errors, 2 warnings" for two warnings. */
		fe->diag.nwarnings = 0;
	}
	if (o->json)
		diag_print_json(&fe->diag, stdout);
	else
		diag_print_text(&fe->diag, stderr);
	return errors;
}

int cli_check(int argc, char **argv)
{
	fe_opts o;
	frontend fe;
	int n = cli_frontend_opts(&o, argc, argv), errors;

	int i;

	if (n < 0)
		return 2;
	for (i = 0; i < n; i++)
		if (argv[i][0] == '-' && argv[i][1] != '\0') {
			/* Not a file to read: a misspelt option is a usage error. */
			fprintf(stderr, "litrule check: unknown option '%s'\n", argv[i]);
			n = 0;
		}
	if (n == 0) {
		fprintf(stderr, "usage: litrule check [--diagnostics=text|json] [--werror] PATH...\n");
		return 2;
	}
	errors = cli_run_frontend(&fe, &o, n, argv);
	if (!o.json && (errors || fe.diag.nwarnings))
		fprintf(stderr, "%d error%s, %d warning%s\n", errors, errors == 1 ? "" : "s", fe.diag.nwarnings,
			fe.diag.nwarnings == 1 ? "" : "s");
	fe_free(&fe);
	return errors ? 1 : 0;
}

