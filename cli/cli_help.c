/*
** cli_help.c: the table of litrule's commands, and the help made from it.
**
** One row per command (name, function, usage lines, a one-line summary,
** a few paragraphs of help).  main.c dispatches through the table, `litrule
** help` lists it and `litrule help COMMAND` / `COMMAND --help` print a row,
** so adding a command is adding a row here (and its prototype in cli.h).
*/
#include "cli_help.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "suggest.h"

/* Options every command that runs the front end accepts (cli_frontend_opts). */
#define FE_OPTIONS                                                                                           \
	"  --diagnostics=text|json   diagnostics as text on standard error (default) or a JSON array on\n"   \
	"                            standard output\n"                                                      \
	"  --werror                  treat warnings as errors\n"                                             \
	"  --name=NAME               the rule set's name (default: its `ruleset` declaration, else the\n"     \
	"                            last component of the path)\n"                                          \
	"  --ruleset-version=V       the rule set's version (default: its `ruleset` declaration)\n"

const cli_command cli_commands[] = {
	{"check", cli_check, "check [--diagnostics=text|json] [--werror] PATH...", "check PATH...",
	 "check rule files (directories: every *.md)",
	 "Parses and checks the rule files: names, types, units, impossible dates, decision-table gaps and\n"
	 "overlaps, quotes against the stored source texts.  Each diagnostic names file:line:col, echoes\n"
	 "the line with a caret and ends with its stable id in brackets, e.g. [unknown-name].\n"
	 "\nOptions:\n" FE_OPTIONS,
	 "0 no errors (warnings allowed unless --werror), 1 errors, 2 usage"},
	{"build", cli_build, "build PATH... -o DIR [--name=NAME] [--ruleset-version=V]", "build PATH... -o DIR",
	 "compile rule files to a C table in DIR",
	 "Writes DIR/NAME.c and DIR/NAME.h, the rule set as a static table for the runtime\n"
	 "(docs/runtime.md).  DIR and its parents are created if needed.\n"
	 "\nOptions:\n  -o DIR                    the output directory (required)\n" FE_OPTIONS,
	 "0 written, 1 errors in the rule files or cannot write, 2 usage"},
	{"eval", cli_eval, "eval --rules PATH [--format json|text|summary] [--full] PATIENT.json...\n"
	 "eval --rules PATH --jsonl [--output full|compact] [--jobs N] < PATIENTS.jsonl",
	 "eval --rules PATH PATIENT.json...", "evaluate patients (docs/patient.md)",
	 "Evaluates each patient record (a JSON object, docs/patient.md) and prints its decisions.\n"
	 "JSON output is JSON Lines: one object per patient, each on one line, whatever the number of\n"
	 "files.  Text output lists each decision with its dose or due date; the citations of a rule are\n"
	 "quoted once per run, the first time the rule fires (--full: every time).  The summary is one\n"
	 "line per decision: rule, verb, dose or due date, title.\n"
	 "\nOptions:\n"
	 "  --rules PATH              the rule files (repeatable)\n"
	 "  --format json|text|summary\n"
	 "                            JSON Lines (default), text for people, or one line per decision\n"
	 "  --full                    text: every citation under every patient\n"
	 "  --jsonl                   read one patient per line from standard input\n"
	 "  --output full|compact     with --jsonl: full records (default), or rule ids, verbs and dynamic\n"
	 "                            values, with the citations once in a header record (docs/eval.md)\n"
	 "  --jobs N                  with --jsonl: evaluate on N threads; output keeps input order\n"
	 "  --record-inputs, --no-record-inputs\n"
	 "                            add the inputs to each record for `litrule trace` (default with --jsonl)\n"
	 "  --mask FIELD --mask-salt SALT\n"
	 "                            record FIELD as a salted hash (salt also from LITRULE_MASK_SALT)\n" FE_OPTIONS,
	 "0 every patient evaluated, 1 a patient could not be read or evaluated (the others still are),\n"
	 "2 usage"},
	{"test", cli_test, "test [--format text|json|junit] [-v] [--run PATTERN] [--no-coverage] [--coverage] PATH...",
	 "test [--format text|json|junit] [-v] [--run PATTERN] [--coverage] PATH...",
	 "run the examples written in the rule files",
	 "Runs every `example` of the rule files and checks its `expect` clauses; a rule that no passing\n"
	 "example shows firing fails the run (docs/testing.md).\n"
	 "\nOptions:\n"
	 "  --format text|json|junit  the report's format (default text)\n"
	 "  -v                        text: list passing examples too\n"
	 "  --run PATTERN             only the examples whose name matches (glob or substring)\n"
	 "  --no-coverage             do not judge coverage\n"
	 "  --coverage                report rules, rows and branches covered\n" FE_OPTIONS,
	 "0 all examples passed and every rule is covered, 1 otherwise, 2 usage"},
	{"audit", cli_audit, "audit [--repo DIR] [--rev REV] [--require-review] [--sign KEYFILE]\n"
	 "      [--committer 'NAME <EMAIL>'] [--format text|json] [PATH]\n"
	 "audit verify [--repo DIR] [--allowed-signers FILE] [--expect-tip OID]",
	 "audit [--rev REV] [PATH]", "write an audit report onto refs/litrule/audit (`audit verify`: check the chain)",
	 "Writes an audit report of the rule set at REV (default HEAD) onto refs/litrule/audit, chained to\n"
	 "the report before it; `audit verify` checks the chain (docs/audit.md).\n",
	 "0 done, 1 the rules, the repository or the chain has a problem, 2 usage"},
	{"trace", cli_trace, "trace [--repo DIR] [--against REV] [--path RELPATH] DECISION.json|-", "trace DECISION.json",
	 "trace a decision to its rules, passages and commits; replay it",
	 "Reads a decision recorded by `eval --record-inputs` and shows the rule text at the recorded\n"
	 "commit, the guideline passages, the commits and reviews behind it, then replays it\n"
	 "(docs/trace.md).\n",
	 "0 the replay matches, 1 it does not or the record cannot be traced, 2 usage"},
	{"diff", cli_diff_main, "diff [--repo DIR] [--format text|json] [--patients N] [--seed S] [--show K]\n"
	 "     [--exit-code] REV_A REV_B [PATH]",
	 "diff REV_A REV_B [PATH]", "what changed between two revisions, in rules and in outcomes",
	 "Compares the rule set at two revisions: declarations, rule text, and the decisions of generated\n"
	 "patients (docs/diff.md).\n",
	 "0 done (with --exit-code: no change), 1 changes with --exit-code, or an error, 2 usage"},
	{"verify", cli_verify, "verify [--format text|json|sarif] [--werror] [--srcroot DIR] [--today YYYY-MM-DD]\n"
	 "       [--repo DIR] [--coverage=error|warning|off] PATH...",
	 "verify [--format text|json|sarif] [--coverage=error|warning|off] PATH...",
	 "check, then the analyses across rules (docs/verify.md)",
	 "Runs check, then the analyses across rules: dead rules, contradictions, shadowing, month ends,\n"
	 "coverage by the examples, stale sources (docs/verify.md).\n",
	 "0 no errors, 1 findings at error level, 2 usage"},
	{"schema", cli_schema, "schema [--examples] PATH...", "schema PATH...",
	 "the JSON Schema (2020-12) of the rule set's patient record",
	 "Prints a JSON Schema (draft 2020-12) of the patient record `eval` reads: one property per input,\n"
	 "with its type, unit, range and description (docs/patient.md).\n"
	 "\nOptions:\n"
	 "  --examples                instead, each example's `given` as a patient record, one JSON\n"
	 "                            object per line: {\"example\", \"file\", \"line\", \"expect_error\", \"patient\"}\n" FE_OPTIONS,
	 "0 printed, 1 errors in the rule files, 2 usage"},
	{"inputs", cli_inputs, "inputs [--format text|json] PATH...", "inputs PATH...",
	 "the inputs: name, type, unit, range, description, rules that read them",
	 "Lists the rule set's inputs as a table: name, type, unit, range, description and the rules\n"
	 "that read each (directly or through a let or a table).\n"
	 "\nOptions:\n  --format text|json        a table (default) or a JSON array\n" FE_OPTIONS,
	 "0 printed, 1 errors in the rule files, 2 usage"},
	{"weave", cli_weave, "weave [--no-verify] PATH... -o DIR", "weave PATH... -o DIR",
	 "the rule book as a web page with its evidence (docs/weave.md)",
	 "Writes DIR/index.html, the rule book as one self-contained page (styles and script inline, no\n"
	 "network requests): the prose, each rule highlighted with its citations, examples and their\n"
	 "results, inputs, verify's findings and its last change in git; a summary of the rules, the\n"
	 "bibliography, the committee parameters, the input dictionary and a form that builds a patient\n"
	 "record.  DIR/sources/*.html hold the stored source texts with the quoted passages highlighted.\n"
	 "DIR is replaced as a whole, and only if weave wrote it (docs/weave.md).\n"
	 "\nOptions:\n"
	 "  -o DIR                    the output directory (required)\n"
	 "  --no-verify               skip verify's analyses (most of the time); the page says so\n" FE_OPTIONS,
	 "0 written, 1 errors in the rule files or cannot write, 2 usage"},
	{"help", cli_help, "help [COMMAND]", "help [COMMAND]", "this help, or a command's",
	 "Without COMMAND, lists the commands, the global options and the exit codes; with one, prints\n"
	 "its usage, options and exit codes (as `litrule COMMAND --help` does).\n",
	 "0 printed, 2 unknown command"},
};

const size_t cli_ncommands = sizeof cli_commands / sizeof cli_commands[0];

const cli_command *cli_find_command(const char *name)
{
	size_t i;
	for (i = 0; i < cli_ncommands; i++)
		if (strcmp(cli_commands[i].name, name) == 0)
			return &cli_commands[i];
	return NULL;
}

const char *cli_suggest_command(const char *name)
{
	size_t i, best = 99;
	const char *pick = NULL;

	for (i = 0; i < cli_ncommands; i++) {
		size_t d = sg_edit_distance(name, cli_commands[i].name);
		/* "verfy", "chek", "tset": a prefix counts as close too ("ver"). */
		if (strlen(name) >= 2 && strncmp(cli_commands[i].name, name, strlen(name)) == 0)
			d = 1;
		if (d < best) {
			best = d;
			pick = cli_commands[i].name;
		}
	}
	return pick && best <= strlen(name) / 3 + 1 ? pick : NULL;
}

/* Prints text with each line indented by pad spaces. */
static void indented(FILE *out, const char *text, int pad)
{
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (n)
			fprintf(out, "%*s%.*s", pad, "", (int)n, p);
		fputc('\n', out);
		p += n + (nl != NULL);
	}
}

void cli_usage(FILE *out)
{
	size_t i;

	fputs("usage: litrule [--color=auto|always|never] COMMAND [OPTIONS] ...\n"
	      "       litrule help COMMAND     (or: litrule COMMAND --help)\n"
	      "\nCommands:\n",
	      out);
	for (i = 0; i < cli_ncommands; i++) {
		const cli_command *c = &cli_commands[i];
		if (strlen(c->brief) <= 32)
			fprintf(out, "  %-32s %s\n", c->brief, c->summary);
		else
			fprintf(out, "  %s\n  %-32s %s\n", c->brief, "", c->summary);
	}
	fputs("\nOptions of every command that reads rule files:\n" FE_OPTIONS
	      "\nGlobal options:\n"
	      "  --color=auto|always|never diagnostics in colour: auto (default) only on a terminal and when\n"
	      "                            NO_COLOR is unset or empty\n"
	      "  -h, --help                this help; after a command, that command's\n"
	      "  --version                 the version and the table format\n"
	      "\nExit status:\n"
	      "  0  success\n"
	      "  1  findings or errors in the input: diagnostics, failed examples, bad patient data,\n"
	      "     a failed check of a command\n"
	      "  2  wrong usage: unknown command or option, missing argument\n",
	      out);
}

void cli_command_help(FILE *out, const cli_command *c)
{
	const char *p = c->usage;
	int first = 1;

	/* Each usage line gets "usage: litrule " or its width of spaces. */
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		fprintf(out, "%s%.*s\n", first ? "usage: litrule " : "       litrule ", (int)n, p);
		first = 0;
		p += n + (nl != NULL);
	}
	/* The summary as a sentence: capital first letter, final period. */
	fprintf(out, "\n%c%s.\n\n", c->summary[0] >= 'a' && c->summary[0] <= 'z' ? c->summary[0] - 'a' + 'A' : c->summary[0],
		c->summary + 1);
	fputs(c->help, out);
	fputs("\nExit status:\n", out);
	indented(out, c->exit_codes, 2);
}

int cli_help(int argc, char **argv)
{
	const cli_command *c;

	if (argc == 0) {
		cli_usage(stdout);
		return 0;
	}
	if (argc > 1) {
		fprintf(stderr, "usage: litrule help [COMMAND]\n");
		return 2;
	}
	if (!(c = cli_find_command(argv[0]))) {
		cli_unknown_command(argv[0]);
		return 2;
	}
	cli_command_help(stdout, c);
	return 0;
}

void cli_unknown_command(const char *name)
{
	const char *s = cli_suggest_command(name);

	if (s)
		fprintf(stderr, "litrule: unknown command '%s'; did you mean '%s'?\n", name, s);
	else
		fprintf(stderr, "litrule: unknown command '%s'\n", name);
	fprintf(stderr, "run 'litrule help' for the list of commands\n");
}
