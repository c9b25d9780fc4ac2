/*
** cli_help.h: litrule's command table (cli_help.c) and the help printed
** from it.  Adding a command is adding a row to cli_commands.
*/
#ifndef LRC_CLI_HELP_H
#define LRC_CLI_HELP_H

#include <stddef.h>
#include <stdio.h>

typedef struct {
	const char *name;
	int (*run)(int argc, char **argv);  /* argv after the command's name */
	const char *usage;       /* usage lines without "litrule ", '\n' between */
	const char *brief;       /* the short form in the command list */
	const char *summary;     /* one line, no final period */
	const char *help;        /* paragraphs and options, each line ending in '\n' */
	const char *exit_codes;  /* what 0, 1 and 2 mean for this command */
} cli_command;

extern const cli_command cli_commands[];
extern const size_t cli_ncommands;

/** The row named name, or NULL. */
const cli_command *cli_find_command(const char *name);
/** The closest command's name (did-you-mean), or NULL when none is close. */
const char *cli_suggest_command(const char *name);
/** The global help: commands, options, exit codes. */
void cli_usage(FILE *out);
/** One command's help (litrule help COMMAND, COMMAND --help). */
void cli_command_help(FILE *out, const cli_command *c);
/** "unknown command 'x'; did you mean 'y'?" on standard error. */
void cli_unknown_command(const char *name);

#endif
