/*
** cli_common.c: what the build, eval and test commands share: running
** the front end, lowering to a table, and stamping the rule set's
** identity (name, version, content hash, git commit).  The hash and the
** default name come from the normalised paths (ident.h), never from how
** they were typed.
*/
#include "cli_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit_c.h"

/* The name of a rule set without a `ruleset` declaration: the last
 * component of the normalised path, without ".md" ("a//" -> "a",
 * "./rules/" -> "rules", "rules/mm-bone.md" -> "mm-bone").  A name that is
 * not a C identifier is made one, with a note on stderr saying so; NULL
 * (after an error) when nothing is left to name it by. */
static char *default_name(arena *a, const char *path)
{
	const char *norm = ident_normalize(a, path), *base;
	size_t n, i;
	char *out;

	if (!norm) {
		fprintf(stderr, "litrule: error: cannot find the working directory to name the rule set; use --name=NAME\n");
		return NULL;
	}
	base = strrchr(norm, '/') + 1;
	n = strlen(base);
	if (n > 3 && strcmp(base + n - 3, ".md") == 0)
		n -= 3;
	if (n == 0) {
		fprintf(stderr, "litrule: error: cannot name the rule set after '%s'; use --name=NAME\n", path);
		return NULL;
	}
	out = arena_strndup(a, base, n);
	if (emit_c_is_identifier(out))
		return out;
	for (i = 0; i < n; i++)
		if (!((out[i] >= 'a' && out[i] <= 'z') || (out[i] >= 'A' && out[i] <= 'Z') ||
		      (out[i] >= '0' && out[i] <= '9')))
			out[i] = '_';
	if (out[0] >= '0' && out[0] <= '9')
		out = arena_printf(a, "rules_%s", out);
	fprintf(stderr,
		"litrule: note: the name '%.*s' (from '%s') is not a C identifier; the rule set is named '%s' "
		"(set it with --name=NAME or a `ruleset` declaration)\n",
		(int)n, base, path, out);
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

/* Lowering and identity, after the front end ran clean over paths (the
 * paths given, or the root of a vfs: the hash's root and the default
 * name come from them). */
static int compile_rest(compiled *c, const fe_opts *o, int npaths, char **paths)
{
	const decl *rs_decl;
	const char *why = "";

	if (lower_ruleset(&c->lw, &c->fe.rs, &c->fe.a, &c->fe.diag) != 0) {
		diag_sort(&c->fe.diag);
		diag_print_text(&c->fe.diag, stderr);
		return -1;
	}
	if (ident_compute(&c->id, &c->fe.rs, npaths, paths, &c->fe.a, &why) != 0) {
		fprintf(stderr, "litrule: error: cannot hash the rule files: %s\n", why);
		return -1;
	}
	rs_decl = c->fe.rs.ruleset;
	c->lw.rs.hash = arena_strdup(&c->fe.a, c->id.hash);
	c->lw.rs.commit = c->id.commit;
	/* Command-line options win over the rule set's own declaration. */
	c->lw.rs.name = o->name ? o->name : rs_decl ? rs_decl->id.name : default_name(&c->fe.a, paths[0]);
	if (!c->lw.rs.name)
		return -1;
	c->lw.rs.version = o->version ? o->version : declared_version(rs_decl);
	return 0;
}

int cli_compile(compiled *c, const fe_opts *o, int npaths, char **paths)
{
	memset(c, 0, sizeof(*c));
	if (cli_run_frontend(&c->fe, o, npaths, paths) > 0)
		return -1;
	return compile_rest(c, o, npaths, paths);
}

int cli_compile_vfs(compiled *c, const fe_opts *o, const src_vfs *vfs, const char *root, size_t nfiles,
		    const char *const *files)
{
	char *paths[1];

	memset(c, 0, sizeof(*c));
	if (cli_report_frontend(&c->fe, o, fe_run_vfs(&c->fe, vfs, nfiles, files)) > 0)
		return -1;
	paths[0] = arena_strdup(&c->fe.a, root);
	return compile_rest(c, o, 1, paths);
}

void cli_compiled_free(compiled *c)
{
	if (c)
		fe_free(&c->fe);
}

int cli_evaluate(lr_result *res, const lr_ruleset *rs, const lr_record *rec)
{
	size_t need = lr_scratch_size(rs);
	void *scratch;
	int rc;

	if (need <= LR_EVAL_STACK_SCRATCH)
		return lr_eval(res, rs, rec);
	/* malloc's alignment suits uint64_t. */
	if (!(scratch = malloc(need)))
		return lr_eval(res, rs, rec); /* LR_ESCRATCH, listed in res */
	rc = lr_eval_scratch(res, rs, rec, scratch, need);
	free(scratch);
	return rc;
}
