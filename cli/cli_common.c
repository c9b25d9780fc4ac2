/*
** cli_common.c: what the build, eval and test commands share: running
** the front end, lowering to a table, and stamping the rule set's
** identity (name, version, content hash, git commit).
*/
#include "cli_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ident.h"

/* "rules/mm-bone-protection.md" -> "mm_bone_protection"; a C identifier. */
static char *default_name(arena *a, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n, i;
	char *out;

	while (base && base[1] == '\0' && base > path) {
		/* "rules/": use the directory's own name. */
		const char *p = base - 1;
		while (p > path && *p != '/')
			p--;
		path = arena_strndup(a, *p == '/' ? p + 1 : p, (size_t)(base - (*p == '/' ? p + 1 : p)));
		base = strrchr(path, '/');
	}
	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 3 && strcmp(base + n - 3, ".md") == 0)
		n -= 3;
	out = arena_strndup(a, base, n);
	for (i = 0; i < n; i++)
		if (!((out[i] >= 'a' && out[i] <= 'z') || (out[i] >= 'A' && out[i] <= 'Z') ||
		      (out[i] >= '0' && out[i] <= '9')))
			out[i] = '_';
	if (n == 0 || (out[0] >= '0' && out[0] <= '9'))
		out = arena_printf(a, "rules_%s", out);
	return out;
}

static const char *declared_version(const decl *d)
{
	size_t i;
	for (i = 0; d && i < d->fields.len; i++) {
		const field *f = d->fields.items[i];
		if (strcmp(f->key.name, "version") == 0)
			return f->text;
	}
	return "unversioned";
}

int cli_compile(compiled *c, const fe_opts *o, int npaths, char **paths)
{
	const decl *rs_decl;
	ruleset_ident id;
	const char *why = "";

	memset(c, 0, sizeof(*c));
	if (cli_run_frontend(&c->fe, o, npaths, paths) > 0)
		return -1;
	if (lower_ruleset(&c->lw, &c->fe.rs, &c->fe.a, &c->fe.diag) != 0) {
		diag_sort(&c->fe.diag);
		diag_print_text(&c->fe.diag, stderr);
		return -1;
	}
	if (ident_compute(&id, &c->fe.rs, &c->fe.a, &why) != 0) {
		fprintf(stderr, "litrule: error: cannot hash the rule files: %s\n", why);
		return -1;
	}
	rs_decl = c->fe.rs.ruleset;
	c->lw.rs.hash = arena_strdup(&c->fe.a, id.hash);
	c->lw.rs.commit = id.commit;
	/* Command-line options win over the rule set's own declaration. */
	c->lw.rs.name = o->name ? o->name : rs_decl ? rs_decl->id.name : default_name(&c->fe.a, paths[0]);
	c->lw.rs.version = o->version ? o->version : declared_version(rs_decl);
	return 0;
}

void cli_compiled_free(compiled *c)
{
	if (c)
		fe_free(&c->fe);
}
