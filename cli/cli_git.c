/*
** cli_git.c: a rule set compiled from a git commit (cli_git.h).  The
** rule files are listed from the commit's tree (au_repo_files), named by
** virtual absolute paths ("/rules/x.md"), and read with their source
** texts through audit/gitvfs.c, so the hash is the one the same files
** give when checked out.
*/
#include "cli_git.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/gitvfs.h"
#include "ident.h"

int cli_compile_at(compiled *c, const fe_opts *o, au_repo *repo, const git_oid *commit, const char *relpath)
{
	au_fileset set;
	au_gitvfs g;
	const char **files;
	char *root, hex[GIT_OID_HEXSZ + 1];
	size_t i;
	int rc;

	memset(c, 0, sizeof(*c));
	git_oid_tostr(hex, sizeof hex, commit);
	if (au_repo_files(&set, repo, commit, relpath) != 0) {
		fprintf(stderr, "litrule: error: %s\n", au_error_last());
		return -1;
	}
	for (i = 0; i < set.nnotes; i++)
		fprintf(stderr, "litrule: warning: %.12s:%s is a %s; it is not read\n", hex, set.notes[i].path,
			set.notes[i].kind == AU_ENTRY_SYMLINK ? "symbolic link" : "submodule");
	files = calloc(set.nfiles + 1, sizeof(char *));
	/* One file named: its directory is the root; else the directory. */
	if (set.nfiles == 1 && strcmp(set.files[0].path, relpath) == 0)
		root = malloc(strlen(relpath) + 2);
	else
		root = malloc(strlen(relpath) + 3);
	if (!files || !root) {
		fprintf(stderr, "litrule: error: out of memory\n");
		free(files);
		free(root);
		au_fileset_dispose(&set);
		return -1;
	}
	if (set.nfiles == 1 && strcmp(set.files[0].path, relpath) == 0)
		sprintf(root, "/%s", relpath);
	else
		sprintf(root, *relpath ? "/%s/" : "/", relpath);
	for (i = 0; i < set.nfiles; i++) {
		char *v = malloc(strlen(set.files[i].path) + 2);
		if (v)
			sprintf(v, "/%s", set.files[i].path);
		files[i] = v;
	}
	au_gitvfs_init(&g, repo, commit);
	rc = cli_compile_vfs(c, o, &g.vfs, root, set.nfiles, files);
	/* g lives on this stack frame: nothing may reach it afterwards. */
	c->fe.rs.vfs = NULL;
	if (rc == 0)
		c->lw.rs.commit = c->id.commit = arena_strdup(&c->fe.a, hex);
	for (i = 0; i < set.nfiles; i++)
		free((char *)files[i]);
	free(files);
	free(root);
	au_fileset_dispose(&set);
	return rc;
}

int cli_repo_relpath(char **out, au_repo *repo, const char *user_path)
{
	const char *wd = git_repository_workdir(au_repo_git(repo));
	arena a;
	char *norm, *wdn;
	size_t n;
	int rc = 0;

	*out = NULL;
	if (!wd)
		return au_error_set(AU_EINVALID, "the repository has no working tree; name the path relative to its root");
	arena_init(&a);
	norm = ident_normalize(&a, user_path);
	wdn = ident_normalize(&a, wd);
	if (!norm || !wdn) {
		rc = au_error_set(AU_ERROR, "cannot find the working directory");
	} else if (strcmp(norm, wdn) == 0) {
		*out = strdup("");
	} else if (n = strlen(wdn), strncmp(norm, wdn, n) == 0 && (norm[n] == '/' || n == 1)) {
		*out = strdup(norm + (n == 1 ? 1 : n + 1));
	} else {
		rc = au_error_set(AU_EINVALID, "'%s' is outside the repository's working tree (%s)", user_path, wdn);
	}
	if (rc == 0 && !*out)
		rc = au_error_set(AU_ERROR, "out of memory");
	arena_free(&a);
	return rc;
}
