/*
** verify_stale.c: the git side of `litrule verify`'s stale-source
** analysis (see verify_stale.h).  The last audit report records which
** files it covered (predicate.files) but no digest per file, so a source
** text is compared with its bytes at the audited commit (identity.commit),
** read from git objects with au_repo_read: a difference is exactly a
** SHA-256 difference of the text.
*/
#define _XOPEN_SOURCE 700 /* realpath */
#include "verify_stale.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>
#include <jansson.h>

#include "audit/chain.h"
#include "audit/report.h"
#include "audit/repo.h"

struct vs_audit {
	au_repo *repo;
	git_oid commit;     /* audited by the last report */
	char hex[13];
	char *workdir;      /* real path of the work tree, no final '/' */
	int compared, not_compared;
};

/* The audited commit named by the last report's identity.commit. */
static int vs_audited(vs_audit *v, const char **why)
{
	git_oid tip;
	au_chain_report r;
	const au_chain_file *f = NULL;
	json_t *st;
	const char *hex;
	size_t i;
	int rc = -1;

	if (au_chain_tip(&tip, v->repo, NULL) != 0) {
		*why = "no audit report on " AU_CHAIN_REF;
		return -1;
	}
	if (au_chain_load(&r, v->repo, &tip) != 0) {
		*why = "the last audit report cannot be read";
		return -1;
	}
	for (i = 0; i < r.nfiles; i++)
		if (strcmp(r.files[i].name, AU_REPORT_JSON) == 0)
			f = &r.files[i];
	st = f ? json_loadb((const char *)f->data, f->size, 0, NULL) : NULL;
	hex = json_string_value(json_object_get(json_object_get(json_object_get(st, "predicate"), "identity"),
						"commit"));
	if (hex && strlen(hex) == GIT_OID_HEXSZ && git_oid_fromstr(&v->commit, hex) == 0) {
		snprintf(v->hex, sizeof v->hex, "%.12s", hex);
		rc = 0;
	} else {
		*why = "the last audit report names no audited commit";
	}
	json_decref(st);
	au_chain_report_dispose(&r);
	return rc;
}

vs_audit *vs_open(const char *dir, const char **why)
{
	vs_audit *v = calloc(1, sizeof *v);
	const char *wd;
	char real[PATH_MAX];

	if (!v) {
		*why = "out of memory";
		return NULL;
	}
	git_libgit2_init();
	if (au_repo_open(&v->repo, dir) != 0) {
		*why = "not in a git repository";
	} else if (!(wd = git_repository_workdir(au_repo_git(v->repo))) || !realpath(wd, real)) {
		*why = "the repository has no work tree";
	} else if (vs_audited(v, why) == 0 && (v->workdir = strdup(real)) != NULL) {
		return v;
	}
	vs_close(v);
	return NULL;
}

/* The repository-relative path of a file, or NULL outside the work tree. */
static char *vs_relpath(const vs_audit *v, const char *path)
{
	char real[PATH_MAX];
	size_t n = strlen(v->workdir);

	if (!realpath(path, real) || strncmp(real, v->workdir, n) != 0 || real[n] != '/')
		return NULL;
	return strdup(real + n + 1);
}

/* The whole file, or NULL. */
static unsigned char *vs_slurp(const char *path, size_t *size)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!fp)
		return NULL;
	for (;;) {
		if (n == cap) {
			unsigned char *nb = realloc(buf, cap = cap ? cap * 2 : 65536);
			if (!nb) {
				free(buf);
				fclose(fp);
				return NULL;
			}
			buf = nb;
		}
		n += fread(buf + n, 1, cap - n, fp);
		if (n < cap)
			break;
	}
	if (ferror(fp)) {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	*size = n;
	return buf;
}

int vs_changed(void *ud, const decl *src, const char **against)
{
	vs_audit *v = ud;
	char *rel;
	unsigned char *old = NULL, *now = NULL;
	size_t oldn = 0, nown = 0;
	int rc = -1;

	if (!v || !src->text_path || !(rel = vs_relpath(v, src->text_path))) {
		if (v)
			v->not_compared++;
		return -1;
	}
	if (au_repo_read(&old, &oldn, v->repo, &v->commit, rel) == 0 && (now = vs_slurp(src->text_path, &nown))) {
		rc = oldn != nown || memcmp(old, now, oldn) != 0;
		*against = v->hex;
	}
	if (rc < 0)
		v->not_compared++;
	else
		v->compared++;
	free(old);
	free(now);
	free(rel);
	return rc;
}

void vs_counts(const vs_audit *v, int *compared, int *not_compared)
{
	*compared = v ? v->compared : 0;
	*not_compared = v ? v->not_compared : 0;
}

void vs_close(vs_audit *v)
{
	if (!v)
		return;
	au_repo_free(v->repo);
	free(v->workdir);
	free(v);
	git_libgit2_shutdown();
}
