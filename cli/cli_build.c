/*
** cli_build.c: `litrule build PATH... -o DIR [--name=NAME]`: compiles rule
** files to DIR/NAME.c and DIR/NAME.h, a static table for the runtime.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "emit_c.h"

int cli_table_format(void) { return LR_TABLE_FORMAT; }

int cli_build(int argc, char **argv)
{
	fe_opts o;
	compiled c;
	const char *dir = NULL, *why = "";
	char **paths = calloc((size_t)argc + 1, sizeof(char *));
	const char **files;
	int n, i, np = 0, status = 0;
	size_t k;
	char *symbol;

	n = cli_frontend_opts(&o, argc, argv);
	if (n < 0 || !paths) {
		free(paths);
		return 2;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(argv[i], "-o") == 0 && i + 1 < n)
			dir = argv[++i];
		else if (strncmp(argv[i], "--output=", 9) == 0)
			dir = argv[i] + 9;
		else
			paths[np++] = argv[i];
	}
	if (!dir || np == 0) {
		fprintf(stderr, "usage: litrule build PATH... -o DIR [--name=NAME] [--ruleset-version=V]\n");
		free(paths);
		return 2;
	}
	if (cli_compile(&c, &o, np, paths) != 0) {
		cli_compiled_free(&c);
		free(paths);
		return 1;
	}
	symbol = arena_printf(&c.fe.a, "lr_ruleset_%s", c.lw.rs.name);
	files = arena_alloc(&c.fe.a, sizeof(char *) * (c.fe.rs.files.len + 1));
	for (k = 0; k < c.fe.rs.files.len; k++)
		files[k] = ((const src_file *)c.fe.rs.files.items[k])->path;
	if (emit_c(&c.lw.rs, dir, c.lw.rs.name, symbol, files, c.fe.rs.files.len, &why) != 0) {
		fprintf(stderr, "litrule: error: cannot write %s/%s.c: %s\n", dir, c.lw.rs.name, why);
		status = 1;
	}
	cli_compiled_free(&c);
	free(paths);
	return status;
}
