/*
** cli_build.c: `litrule build PATH... -o DIR [--name=NAME]`: compiles rule
** files to DIR/NAME.c and DIR/NAME.h, a static table for the runtime.
**
** Everything that can be refused without compiling is refused first: a
** name that does not make a C identifier, and an output directory that
** cannot be created (DIR and its parents are created, like mkdir -p).
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_common.h"
#include "emit_c.h"

int cli_table_format(void) { return LR_TABLE_FORMAT; }

/* mkdir -p dir; returns 0, or -1 with errno set and the failing prefix in
 * *failed (malloc'd, the caller frees). */
static int make_dirs(const char *dir, char **failed)
{
	char *p = malloc(strlen(dir) + 1);
	size_t i, n = strlen(dir);
	struct stat st;

	*failed = NULL;
	if (!p)
		return -1;
	strcpy(p, dir);
	for (i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		if (p[i - 1] == '/')
			continue; /* "a//b": the empty component */
		p[i] = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			*failed = p;
			return -1;
		}
		if (stat(p, &st) != 0) {
			*failed = p;
			return -1;
		}
		if (!S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			*failed = p;
			return -1;
		}
		if (i < n)
			p[i] = dir[i];
	}
	free(p);
	return 0;
}

static int parse_args(int n, char **argv, const char **dir, char **paths)
{
	int i, np = 0;
	for (i = 0; i < n; i++) {
		if (strcmp(argv[i], "-o") == 0 && i + 1 < n)
			*dir = argv[++i];
		else if (strncmp(argv[i], "--output=", 9) == 0)
			*dir = argv[i] + 9;
		else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			/* Not a file to read: a misspelt option is a usage error. */
			fprintf(stderr, "litrule build: unknown option '%s'\n", argv[i]);
			return 0;
		} else
			paths[np++] = argv[i];
	}
	return np;
}

int cli_build(int argc, char **argv)
{
	fe_opts o;
	compiled c;
	const char *dir = NULL, *why = "";
	char **paths = calloc((size_t)argc + 1, sizeof(char *));
	char *failed;
	int n, np, status = 0;
	char *symbol;

	n = cli_frontend_opts(&o, argc, argv);
	if (n < 0 || !paths) {
		free(paths);
		return 2;
	}
	np = parse_args(n, argv, &dir, paths);
	if (!dir || !*dir || np == 0) {
		fprintf(stderr, "usage: litrule build PATH... -o DIR [--name=NAME] [--ruleset-version=V]\n");
		free(paths);
		return 2;
	}
	if (o.name && !emit_c_is_identifier(o.name)) {
		fprintf(stderr, "litrule: error: --name=%s: a rule set name must be a C identifier (letters, digits and _, not starting with a digit)\n",
			o.name);
		free(paths);
		return 2;
	}
	if (make_dirs(dir, &failed) != 0) {
		fprintf(stderr, "litrule: error: cannot create the output directory '%s': %s\n", failed ? failed : dir,
			strerror(errno));
		free(failed);
		free(paths);
		return 1;
	}
	if (cli_compile(&c, &o, np, paths) != 0) {
		cli_compiled_free(&c);
		free(paths);
		return 1;
	}
	symbol = arena_printf(&c.fe.a, "lr_ruleset_%s", c.lw.rs.name);
	if (emit_c(&c.lw.rs, dir, c.lw.rs.name, symbol, c.id.files, c.id.nfiles, &why) != 0) {
		fprintf(stderr, "litrule: error: cannot write %s/%s.c: %s\n", dir, c.lw.rs.name, why);
		status = 1;
	}
	cli_compiled_free(&c);
	free(paths);
	return status;
}
