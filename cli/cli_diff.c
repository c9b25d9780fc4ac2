/*
** cli_diff.c: `litrule diff [--repo DIR] [--format text|json]
** [--patients N] [--seed S] [--show K] [--exit-code] REV_A REV_B [PATH]`,
** the semantic diff between two revisions of a rule set (docs/diff.md).
** Both versions are compiled from git objects (cli_compile_at), never
** from the working tree; nothing is written to the repository.  The
** computation itself is cli_diff_compute (diff.h).
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_git.h"
#include "diff.h"

#define USAGE "usage: litrule diff [--repo DIR] [--format text|json] [--patients N] [--seed S] [--show K]\n" \
	      "                    [--exit-code] REV_A REV_B [PATH]\n"

typedef struct {
	const char *repo, *rev[2], *path;
	int json, exit_code;
	unsigned show;
	cli_diff_opts d;
} diff_args;

/* An unsigned number option; 0 on success. */
static int number(uint64_t *out, const char *s, uint64_t max)
{
	char *end;
	unsigned long long v;
	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse(diff_args *a, int argc, char **argv)
{
	int i, npos = 0;
	uint64_t v;
	memset(a, 0, sizeof(*a));
	a->repo = ".";
	a->show = 3;
	a->d.patients = CLI_DIFF_DEFAULT_PATIENTS;
	for (i = 0; i < argc; i++) {
		const char *o = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(o, "--repo") == 0 && val)
			a->repo = val, i++;
		else if (strcmp(o, "--format") == 0 && val && (strcmp(val, "json") == 0 || strcmp(val, "text") == 0))
			a->json = strcmp(val, "json") == 0, i++;
		else if (strcmp(o, "--patients") == 0 && number(&v, val, 10000000) == 0)
			a->d.patients = (uint32_t)v, i++;
		else if (strcmp(o, "--seed") == 0 && number(&v, val, UINT64_MAX) == 0)
			a->d.seed = v, i++;
		else if (strcmp(o, "--show") == 0 && number(&v, val, 1000000) == 0)
			a->show = (unsigned)v, i++;
		else if (strcmp(o, "--exit-code") == 0)
			a->exit_code = 1;
		else if (o[0] == '-' && o[1]) {
			fprintf(stderr, "litrule diff: bad option '%s'%s\n", o, val || o[1] != '-' ? "" : " (needs a value)");
			return -1;
		} else if (npos < 3) {
			*(npos < 2 ? &a->rev[npos] : &a->path) = o;
			npos++;
		} else {
			fprintf(stderr, "litrule diff: too many arguments\n");
			return -1;
		}
	}
	if (npos < 2) {
		fprintf(stderr, "litrule diff: needs two revisions\n");
		return -1;
	}
	return 0;
}

/* PATH relative to --repo DIR, as a path relative to the repository's
 * root (default "rules"). */
static int rel_path(char **out, au_repo *repo, const diff_args *a)
{
	char *user;
	int rc;
	if (!a->path)
		return au_repo_norm_path(out, "rules");
	if (!git_repository_workdir(au_repo_git(repo)))
		return au_repo_norm_path(out, a->path);
	user = malloc(strlen(a->repo) + strlen(a->path) + 2);
	if (!user)
		return au_error_set(AU_ERROR, "out of memory");
	if (a->path[0] == '/')
		strcpy(user, a->path);
	else
		sprintf(user, "%s/%s", a->repo, a->path);
	rc = cli_repo_relpath(out, repo, user);
	free(user);
	return rc;
}

static int run(const diff_args *a, au_repo *repo, const char *rel, compiled c[2])
{
	fe_opts fo;
	git_oid oid[2];
	cli_diff d;
	int k, differs;

	memset(&fo, 0, sizeof fo);
	for (k = 0; k < 2; k++)
		if (au_repo_resolve(&oid[k], repo, a->rev[k]) != 0) {
			fprintf(stderr, "litrule: error: %s\n", au_error_last());
			return 1;
		}
	for (k = 0; k < 2; k++)
		if (cli_compile_at(&c[k], &fo, repo, &oid[k], rel) != 0) {
			fprintf(stderr, "litrule: error: the rule set '%s' at %s does not compile\n", *rel ? rel : ".",
				a->rev[k]);
			return 1;
		}
	if (cli_diff_compute(&d, &c[0], &c[1], &a->d) != 0) {
		cli_diff_free(&d);
		fprintf(stderr, "litrule: error: out of memory\n");
		return 1;
	}
	if (a->json) {
		json_t *j = cli_diff_json(&d);
		if (!j || json_dumpf(j, stdout, JSON_INDENT(2)) != 0) {
			json_decref(j);
			cli_diff_free(&d);
			fprintf(stderr, "litrule: error: cannot write the JSON diff\n");
			return 1;
		}
		fputc('\n', stdout);
		json_decref(j);
	} else {
		cli_diff_text(stdout, &d, a->show);
	}
	differs = cli_diff_differs(&d);
	cli_diff_free(&d);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "litrule: error: cannot write the output\n");
		return 1;
	}
	return a->exit_code && differs ? 1 : 0;
}

int cli_diff_main(int argc, char **argv)
{
	diff_args a;
	au_repo *repo = NULL;
	char *rel = NULL;
	compiled c[2];
	int status;

	if (parse(&a, argc, argv) != 0) {
		fputs(USAGE, stderr);
		return 2;
	}
	memset(c, 0, sizeof c);
	git_libgit2_init();
	if (au_repo_open(&repo, a.repo) != 0 || rel_path(&rel, repo, &a) != 0) {
		fprintf(stderr, "litrule: error: %s\n", au_error_last());
		status = 1;
	} else {
		status = run(&a, repo, rel, c);
	}
	cli_compiled_free(&c[0]);
	cli_compiled_free(&c[1]);
	free(rel);
	au_repo_free(repo);
	git_libgit2_shutdown();
	return status;
}
