/*
** main.c: the litrule command line.  The commands are rows of the table
** in cli_help.c (`litrule help` lists them); this file handles what comes
** before a command (--help, --version, --color=) and dispatches.
**
** Exit status: 0 success, 1 errors in the input (diagnostics, failed
** examples, bad patient data), 2 wrong usage.
*/
#define _POSIX_C_SOURCE 200809L /* isatty, fileno */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_help.h"
#include "diag.h"
#include "litrule.h"

/* --color=auto|always|never, anywhere on the command line (removed from
 * argv).  auto: colour on a terminal, unless NO_COLOR is set to anything
 * non-empty (no-color.org).  Returns the new argc, or -1 on a bad value. */
static int color_option(int argc, char **argv)
{
	const char *mode = "auto", *nc = getenv("NO_COLOR");
	int i, k = 0, on;

	for (i = 0; i < argc; i++) {
		if (i > 0 && strncmp(argv[i], "--color=", 8) == 0)
			mode = argv[i] + 8;
		else if (i > 0 && strcmp(argv[i], "--color") == 0)
			mode = "always";
		else
			argv[k++] = argv[i];
	}
	argv[k] = NULL;
	if (strcmp(mode, "always") == 0)
		on = 1;
	else if (strcmp(mode, "never") == 0)
		on = 0;
	else if (strcmp(mode, "auto") == 0)
		on = isatty(fileno(stderr)) && !(nc && *nc);
	else {
		fprintf(stderr, "litrule: --color takes auto, always or never, not '%s'\n", mode);
		return -1;
	}
	diag_set_color(on);
	return k;
}

/* -h or --help among a command's arguments. */
static int wants_help(int argc, char **argv)
{
	int i;
	for (i = 0; i < argc; i++)
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	const cli_command *c;
	const char *cmd;

	if ((argc = color_option(argc, argv)) < 0)
		return 2;
	if (argc < 2) {
		cli_usage(stderr);
		return 2;
	}
	cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
		cli_usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
		int v = lr_version();
		printf("litrule %d.%d.%d (table format %d)\n", v >> 16, (v >> 8) & 0xff, v & 0xff, cli_table_format());
		return 0;
	}
	if (!(c = cli_find_command(cmd))) {
		cli_unknown_command(cmd);
		return 2;
	}
	if (c->run != cli_help && wants_help(argc - 2, argv + 2)) {
		cli_command_help(stdout, c);
		return 0;
	}
	return c->run(argc - 2, argv + 2);
}
