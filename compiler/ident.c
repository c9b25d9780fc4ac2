/*
** ident.c: content hash (OpenSSL libcrypto's SHA-256) and git commit
** (libgit2) of a rule set.
**
** Hash input, for each rule file in command-line order and then each
** stored source text sorted by path: the path as given, a NUL, the byte
** length as 20 decimal digits, the bytes.  Lengths make the framing
** unambiguous.  The commit is HEAD of the repository holding the first
** rule file; if any of the files differs from HEAD, "(modified)" is
** appended, so a report never claims a commit it was not built from.
*/
#define _XOPEN_SOURCE 700 /* realpath */
#include "ident.h"

#include <git2.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void hash_part(EVP_MD_CTX *md, const char *path, const char *data, size_t len)
{
	char n[32];
	snprintf(n, sizeof n, "%020zu", len);
	EVP_DigestUpdate(md, path, strlen(path) + 1);
	EVP_DigestUpdate(md, n, 20);
	EVP_DigestUpdate(md, data, len);
}

static const char *text_path(const decl *d)
{
	return d->text_path;
}

static char *head_commit(const ruleset_ast *rs, arena *a, const char **paths, size_t npaths)
{
	git_repository *repo = NULL;
	git_object *head = NULL;
	char *out = NULL;
	char oid[GIT_OID_HEXSZ + 1];
	const char *workdir;
	size_t i;
	int modified = 0;
	char *absfirst;

	if (rs->files.len == 0)
		return NULL;
	absfirst = realpath(((const src_file *)rs->files.items[0])->path, NULL);
	if (!absfirst)
		return NULL;
	git_libgit2_init();
	if (git_repository_open_ext(&repo, absfirst, 0, NULL) < 0)
		goto done;
	if (git_revparse_single(&head, repo, "HEAD") < 0)
		goto done;
	git_oid_tostr(oid, sizeof oid, git_object_id(head));
	workdir = git_repository_workdir(repo);
	for (i = 0; workdir && i < npaths; i++) {
		char *abs = realpath(paths[i], NULL);
		unsigned int flags = 0;
		size_t wl = strlen(workdir);
		if (!abs) {
			modified = 1;
			continue;
		}
		if (strncmp(abs, workdir, wl) == 0) {
			if (git_status_file(&flags, repo, abs + wl) < 0 ||
			    (flags & ~(unsigned)GIT_STATUS_IGNORED) != GIT_STATUS_CURRENT)
				modified = 1;
		} else {
			modified = 1;
		}
		free(abs);
	}
	out = arena_printf(a, "%s%s", oid, modified ? " (modified)" : "");
done:
	git_object_free(head);
	git_repository_free(repo);
	git_libgit2_shutdown();
	free(absfirst);
	return out;
}

int ident_compute(ruleset_ident *out, const ruleset_ast *rs, arena *a, const char **why)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char dig[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0, k;
	const char **texts, **all;
	size_t ntexts = 0, i, nall = 0;

	memset(out, 0, sizeof(*out));
	if (!md) {
		*why = "out of memory";
		return -1;
	}
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	texts = arena_alloc(a, sizeof(char *) * (rs->decls.len + 1));
	all = arena_alloc(a, sizeof(char *) * (rs->decls.len + rs->files.len + 1));
	for (i = 0; i < rs->files.len; i++) {
		const src_file *f = rs->files.items[i];
		hash_part(md, f->path, f->text, f->len);
		all[nall++] = f->path;
	}
	for (i = 0; i < rs->decls.len; i++) {
		const decl *d = rs->decls.items[i];
		size_t j;
		int dup = 0;
		if (d->kind != D_SOURCE || !text_path(d))
			continue;
		for (j = 0; j < ntexts; j++)
			if (strcmp(texts[j], d->text_path) == 0)
				dup = 1;
		if (!dup)
			texts[ntexts++] = d->text_path;
	}
	if (ntexts)
		qsort(texts, ntexts, sizeof(char *), cmp_str);
	for (i = 0; i < ntexts; i++) {
		src_file *f;
		if (src_load(&f, texts[i], why) != 0) {
			EVP_MD_CTX_free(md);
			return -1;
		}
		hash_part(md, f->path, f->text, f->len);
		all[nall++] = texts[i];
		src_free(f);
	}
	EVP_DigestFinal_ex(md, dig, &dlen);
	EVP_MD_CTX_free(md);
	for (k = 0; k < dlen && k < 32; k++)
		snprintf(out->hash + 2 * k, 3, "%02x", dig[k]);
	out->commit = head_commit(rs, a, all, nall);
	return 0;
}
