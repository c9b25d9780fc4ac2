/*
** gitvfs.c: the front end's file provider over one git commit (see
** gitvfs.h).  A virtual path is normalised lexically ("/rules/../x.md"
** is "/x.md"), then read with au_repo_read; a path that leaves the
** repository's root ("/../x") is refused rather than read from disk.
*/
#include "gitvfs.h"

#include <stdlib.h>
#include <string.h>

/* "/a/./b//../c" -> "a/c" (repository-relative), or NULL when ".."
 * climbs above the root or the path is not absolute.  Caller frees. */
static char *repo_relative(const char *path)
{
	size_t n = strlen(path), k = 0, i = 0;
	char *out;

	if (path[0] != '/' || !(out = malloc(n + 1)))
		return NULL;
	while (i < n) {
		size_t j = i, len;
		while (j < n && path[j] != '/')
			j++;
		len = j - i;
		if (len == 2 && path[i] == '.' && path[i + 1] == '.') {
			if (k == 0) {
				free(out);
				return NULL;
			}
			while (k > 0 && out[k - 1] != '/')
				k--;
			if (k > 0)
				k--; /* the '/' before the removed component */
		} else if (len > 0 && !(len == 1 && path[i] == '.')) {
			if (k > 0)
				out[k++] = '/';
			memcpy(out + k, path + i, len);
			k += len;
		}
		i = j + 1;
	}
	out[k] = '\0';
	return out;
}

static int gitvfs_load(void *ctx, src_file **out, const char *path, const char **why)
{
	au_gitvfs *g = ctx;
	unsigned char *data = NULL;
	size_t size = 0;
	char *rel = repo_relative(path);
	int rc;

	if (!rel || !*rel) {
		free(rel);
		*why = "the path lies outside the repository";
		return -1;
	}
	rc = au_repo_read(&data, &size, g->repo, &g->commit, rel);
	free(rel);
	if (rc != 0) {
		/* The message is per thread and lives until the next failure:
		 * long enough for the diagnostic that quotes it. */
		*why = au_error_last();
		return -1;
	}
	if (size > SRC_MAX_BYTES) {
		free(data);
		*why = "file too large";
		return -1;
	}
	rc = src_from_memory(out, path, (const char *)data, size);
	free(data);
	if (rc != 0) {
		*why = "out of memory";
		return -1;
	}
	g->loads++;
	return 0;
}

void au_gitvfs_init(au_gitvfs *g, au_repo *repo, const git_oid *commit)
{
	memset(g, 0, sizeof(*g));
	g->vfs.load = gitvfs_load;
	g->vfs.ctx = g;
	g->repo = repo;
	git_oid_cpy(&g->commit, commit);
}
