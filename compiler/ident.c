/*
** ident.c: content hash (OpenSSL libcrypto's SHA-256) and git commit
** (libgit2) of a rule set.
**
** The hash is a function of the content alone, never of how the paths
** were typed.  Every rule file and every stored source text is named by
** its path relative to the rule set's root (ident_root: the directory
** given, or the file's own directory; with several paths, their deepest
** common ancestor), with '/' separators; a text outside the root gets
** "../" components.  Paths are normalised lexically (ident_normalize), not
** through realpath: a symbolic link inside the rule set keeps the name it
** has there, so the hash does not depend on where a link points.
**
** The entries are sorted bytewise by relative path (duplicates once) and
** each is framed as
**
**     decimal byte length of the path, '\n', the path, '\n',
**     decimal byte length of the content, '\n', the content
**
** and the SHA-256 is taken over their concatenation.  The lengths make the
** framing unambiguous; docs/runtime.md gives a shell command that
** recomputes the hash with printf, wc, cat, sort and sha256sum.
**
** The commit is HEAD of the repository holding the first rule file; if
** any of the files differs from HEAD, "(modified)" is appended, so a
** report never claims a commit it was not built from.
*/
#define _XOPEN_SOURCE 700 /* realpath */
#include "ident.h"

#include <git2.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One hashed file: its path relative to the root, and the path to open. */
typedef struct {
	const char *rel;
	const char *open;
	const src_file *mem; /* a rule file: the bytes that were compiled */
} entry;

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const entry *)a)->rel, ((const entry *)b)->rel);
}

static char *cwd_dup(void)
{
	size_t cap = 256;
	for (;;) {
		char *b = malloc(cap);
		if (!b)
			return NULL;
		if (getcwd(b, cap))
			return b;
		free(b);
		if (cap > (1u << 20))
			return NULL;
		cap *= 2;
	}
}

char *ident_normalize(arena *a, const char *path)
{
	char *cwd = NULL, *full, *out;
	const char *p;
	size_t n = 0;

	if (path[0] != '/') {
		if (!(cwd = cwd_dup()))
			return NULL;
		full = arena_printf(a, "%s/%s", cwd, path);
		free(cwd);
	} else {
		full = arena_strdup(a, path);
	}
	out = arena_alloc(a, strlen(full) + 2);
	out[0] = '\0';
	/* Components are appended as "/c"; out never ends in '/'. */
	for (p = full; *p;) {
		const char *s;
		size_t len;
		while (*p == '/')
			p++;
		s = p;
		while (*p && *p != '/')
			p++;
		len = (size_t)(p - s);
		if (len == 0 || (len == 1 && s[0] == '.'))
			continue;
		if (len == 2 && s[0] == '.' && s[1] == '.') {
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
			out[n] = '\0';
			continue;
		}
		out[n++] = '/';
		memcpy(out + n, s, len);
		n += len;
		out[n] = '\0';
	}
	if (n == 0)
		strcpy(out, "/");
	return out;
}

/* The directory part of a normalised path ("/a/b" -> "/a", "/a" -> "/"). */
static char *parent_of(arena *a, const char *norm)
{
	const char *slash = strrchr(norm, '/');
	if (!slash || slash == norm)
		return arena_strdup(a, "/");
	return arena_strndup(a, norm, (size_t)(slash - norm));
}

/* Length of the common ancestor of two normalised paths, on a component
 * boundary ("/a/bc" and "/a/b" share "/a", length 2; "/" is length 1). */
static size_t common_len(const char *x, const char *y)
{
	size_t i = 0, last = 0;
	while (x[i] && x[i] == y[i]) {
		i++;
		if (x[i - 1] == '/')
			last = i - 1;
	}
	if ((x[i] == '\0' || x[i] == '/') && (y[i] == '\0' || y[i] == '/'))
		last = i;
	return last == 0 ? 1 : last;
}

char *ident_root(arena *a, int npaths, char *const *paths)
{
	char *root = NULL;
	int k;

	for (k = 0; k < npaths; k++) {
		struct stat st;
		char *n = ident_normalize(a, paths[k]);
		char *dir;
		if (!n)
			return NULL;
		/* A trailing '/' names a directory without asking the file
		 * system: vfs callers (a git commit) have no such file here. */
		dir = (*paths[k] && paths[k][strlen(paths[k]) - 1] == '/') ||
				      (stat(paths[k], &st) == 0 && S_ISDIR(st.st_mode))
			      ? n
			      : parent_of(a, n);
		if (!root)
			root = dir;
		else
			root = arena_strndup(a, root, common_len(root, dir));
	}
	return root;
}

/* norm relative to root: "sources/x.txt", or "../x.txt" outside it. */
static char *relative_to(arena *a, const char *root, const char *norm)
{
	size_t c = common_len(root, norm), ups = 0, i;
	const char *rest;
	char *out, *q;

	if (strcmp(root, "/") == 0)
		return arena_strdup(a, norm + 1);
	if (c == strlen(root) && (norm[c] == '/' || norm[c] == '\0'))
		return arena_strdup(a, norm[c] ? norm + c + 1 : ".");
	/* Up from root to the common ancestor, then down to norm. */
	for (i = c == 1 ? 0 : c; root[i]; i++)
		if (root[i] == '/')
			ups++;
	rest = c == 1 ? norm + 1 : norm[c] == '/' ? norm + c + 1 : norm + c;
	out = arena_alloc(a, ups * 3 + strlen(rest) + 1);
	q = out;
	for (i = 0; i < ups; i++, q += 3)
		memcpy(q, "../", 3);
	strcpy(q, rest);
	return out;
}

static void hash_part(EVP_MD_CTX *md, const char *path, const char *data, size_t len)
{
	char n[32];
	int k;

	k = snprintf(n, sizeof n, "%zu\n", strlen(path));
	EVP_DigestUpdate(md, n, (size_t)k);
	EVP_DigestUpdate(md, path, strlen(path));
	k = snprintf(n, sizeof n, "\n%zu\n", len);
	EVP_DigestUpdate(md, n, (size_t)k);
	EVP_DigestUpdate(md, data, len);
}

static char *head_commit(arena *a, const char *first, const entry *es, size_t n)
{
	git_repository *repo = NULL;
	git_object *head = NULL;
	char *out = NULL;
	char oid[GIT_OID_HEXSZ + 1];
	const char *workdir;
	size_t i;
	int modified = 0;
	char *absfirst;

	if (!first || !(absfirst = realpath(first, NULL)))
		return NULL;
	git_libgit2_init();
	if (git_repository_open_ext(&repo, absfirst, 0, NULL) < 0)
		goto done;
	if (git_revparse_single(&head, repo, "HEAD") < 0)
		goto done;
	git_oid_tostr(oid, sizeof oid, git_object_id(head));
	workdir = git_repository_workdir(repo);
	for (i = 0; workdir && i < n; i++) {
		char *abs = realpath(es[i].open, NULL);
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

/* The rule files and the stored source texts, named relative to root,
 * sorted, each once.  Returns the count, or -1 (message in *why). */
static long collect(entry **out, const ruleset_ast *rs, const char *root, arena *a, const char **why)
{
	entry *es = arena_alloc(a, sizeof(entry) * (rs->decls.len + rs->files.len + 1));
	size_t n = 0, i, k;

	for (i = 0; i < rs->files.len + rs->decls.len; i++) {
		const char *open, *norm;
		const src_file *mem = NULL;
		if (i < rs->files.len) {
			mem = rs->files.items[i];
			open = mem->path;
		} else {
			const decl *d = rs->decls.items[i - rs->files.len];
			if (d->kind != D_SOURCE || !d->text_path)
				continue;
			open = d->text_path;
		}
		if (!(norm = ident_normalize(a, open))) {
			*why = "cannot find the working directory";
			return -1;
		}
		es[n].rel = relative_to(a, root, norm);
		es[n].mem = mem;
		es[n++].open = open;
	}
	if (n)
		qsort(es, n, sizeof(entry), cmp_entry);
	/* The same file named twice (a text cited by two rule files). */
	for (i = k = 0; i < n; i++)
		if (k == 0 || strcmp(es[k - 1].rel, es[i].rel) != 0)
			es[k++] = es[i];
	*out = es;
	return (long)k;
}

int ident_compute(ruleset_ident *out, const ruleset_ast *rs, int npaths, char *const *paths, arena *a,
		  const char **why)
{
	EVP_MD_CTX *md;
	unsigned char dig[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0, k;
	entry *es;
	long n, i;

	memset(out, 0, sizeof(*out));
	if (!(out->root = ident_root(a, npaths, paths))) {
		*why = "cannot find the working directory";
		return -1;
	}
	if ((n = collect(&es, rs, out->root, a, why)) < 0)
		return -1;
	if (!(md = EVP_MD_CTX_new())) {
		*why = "out of memory";
		return -1;
	}
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	out->files = arena_alloc(a, sizeof(char *) * ((size_t)n + 1));
	for (i = 0; i < n; i++) {
		src_file *f = NULL;
		/* A rule file is hashed as compiled; a text is read (raw bytes). */
		if (es[i].mem) {
			hash_part(md, es[i].rel, es[i].mem->text, es[i].mem->len);
		} else if (src_load_via(rs->vfs, &f, es[i].open, why) != 0) {
			EVP_MD_CTX_free(md);
			return -1;
		} else {
			hash_part(md, es[i].rel, f->text, f->len);
			src_free(f);
		}
		out->files[i] = es[i].rel;
	}
	out->nfiles = (size_t)n;
	EVP_DigestFinal_ex(md, dig, &dlen);
	EVP_MD_CTX_free(md);
	for (k = 0; k < dlen && k < 32; k++)
		snprintf(out->hash + 2 * k, 3, "%02x", dig[k]);
	/* Files read through a vfs (a git commit) have no working-tree
	 * state to compare: the caller knows the commit and stamps it. */
	out->commit = rs->vfs ? NULL : head_commit(a, rs->files.len ? ((const src_file *)rs->files.items[0])->path : NULL, es,
				  (size_t)n);
	return 0;
}
