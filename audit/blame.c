/*
** blame.c: blame a file once, then answer line spans from its hunks
** (see blame.h; design notes in shared/design/AUDIT-LIBGIT2.md §5).
** Commit details (author, subject) are looked up once per distinct
** commit and cached, since many rules share their last change.
*/
#include "blame.h"

#include <stdlib.h>
#include <string.h>

struct au_blame {
	au_repo *repo;
	git_blame *git;
	char *path;
	size_t nlines;
	au_change *cache;         /* commits looked up so far */
	size_t ncache, capcache;
};

static char *dup_str(const char *s)
{
	size_t n = strlen(s ? s : "");
	char *d = malloc(n + 1);

	if (d)
		memcpy(d, s ? s : "", n + 1);
	return d;
}

static size_t count_lines(const unsigned char *data, size_t size)
{
	size_t i, n = 0;

	for (i = 0; i < size; i++)
		n += data[i] == '\n';
	if (size > 0 && data[size - 1] != '\n')
		n++;
	return n;
}

int au_blame_file(au_blame **out, au_repo *repo, const git_oid *commit,
		  const char *path)
{
	git_blame_options o;
	unsigned char *data = NULL;
	size_t size = 0;
	au_blame *b;
	int rc;

	*out = NULL;
	if ((rc = au_repo_require_full_history(repo)) < 0)
		return rc;
	/* Reading the blob first validates the path (regular file) and
	** gives the line count that libgit2 does not check ranges against. */
	if ((rc = au_repo_read(&data, &size, repo, commit, path)) < 0)
		return rc;
	b = calloc(1, sizeof *b);
	if (!b || au_repo_norm_path(&b->path, path) < 0) {
		free(data);
		free(b);
		return au_error_set(AU_ERROR, "out of memory");
	}
	b->repo = repo;
	b->nlines = count_lines(data, size);
	free(data);
	git_blame_options_init(&o, GIT_BLAME_OPTIONS_VERSION);
	o.newest_commit = *commit;
	if (git_blame_file(&b->git, au_repo_git(repo), b->path, &o) < 0) {
		au_blame_free(b);
		return au_error_git(AU_ERROR, "cannot blame '%s'", path);
	}
	*out = b;
	return 0;
}

static void change_dispose(au_change *c)
{
	free(c->author_name);
	free(c->author_email);
	free(c->subject);
}

void au_blame_free(au_blame *blame)
{
	size_t i;

	if (!blame)
		return;
	for (i = 0; i < blame->ncache; i++)
		change_dispose(&blame->cache[i]);
	free(blame->cache);
	git_blame_free(blame->git);
	free(blame->path);
	free(blame);
}

size_t au_blame_line_count(const au_blame *blame)
{
	return blame->nlines;
}

/* ---- commit details --------------------------------------------------- */

static int change_fill(au_change *c, git_repository *g, const git_oid *id)
{
	git_commit *cm = NULL;
	const git_signature *a;
	char hex[GIT_OID_HEXSZ + 1];

	memset(c, 0, sizeof *c);
	if (git_commit_lookup(&cm, g, id) < 0)
		return au_error_git(AU_ERROR, "cannot read commit %s",
				    git_oid_tostr(hex, sizeof hex, id));
	a = git_commit_author(cm);
	c->id = *id;
	c->author_name = dup_str(a->name);
	c->author_email = dup_str(a->email);
	c->author_time = (int64_t)a->when.time;
	c->author_offset = a->when.offset;
	c->commit_time = (int64_t)git_commit_time(cm);
	c->subject = dup_str(git_commit_summary(cm));  /* first paragraph, unfolded */
	git_commit_free(cm);
	if (!c->author_name || !c->author_email || !c->subject) {
		change_dispose(c);
		return au_error_set(AU_ERROR, "out of memory");
	}
	return 0;
}

/* The cached details of commit `id`, looked up on first use. */
static int change_get(const au_change **out, au_blame *b, const git_oid *id)
{
	size_t i;
	int rc;

	for (i = 0; i < b->ncache; i++) {
		if (git_oid_equal(&b->cache[i].id, id)) {
			*out = &b->cache[i];
			return 0;
		}
	}
	if (b->ncache == b->capcache) {
		size_t cap = b->capcache ? 2 * b->capcache : 8;
		au_change *n = realloc(b->cache, cap * sizeof *n);

		if (!n)
			return au_error_set(AU_ERROR, "out of memory");
		b->cache = n;
		b->capcache = cap;
	}
	if ((rc = change_fill(&b->cache[b->ncache], au_repo_git(b->repo), id)) < 0)
		return rc;
	*out = &b->cache[b->ncache++];
	return 0;
}

static int change_copy(au_change *dst, const au_change *src)
{
	*dst = *src;
	dst->author_name = dup_str(src->author_name);
	dst->author_email = dup_str(src->author_email);
	dst->subject = dup_str(src->subject);
	if (!dst->author_name || !dst->author_email || !dst->subject) {
		change_dispose(dst);
		return au_error_set(AU_ERROR, "out of memory");
	}
	return 0;
}

/* Most recent first: committer time, then author time, then id. */
static int cmp_recent(const void *pa, const void *pb)
{
	const au_change *a = pa, *b = pb;

	if (a->commit_time != b->commit_time)
		return a->commit_time > b->commit_time ? -1 : 1;
	if (a->author_time != b->author_time)
		return a->author_time > b->author_time ? -1 : 1;
	return git_oid_cmp(&a->id, &b->id);
}

/* ---- spans ------------------------------------------------------------ */

static int span_add(au_blame_span *s, au_blame *b, const git_oid *id)
{
	const au_change *c = NULL;
	size_t i;
	int rc;

	for (i = 0; i < s->nchanges; i++)
		if (git_oid_equal(&s->changes[i].id, id))
			return 0;
	if ((rc = change_get(&c, b, id)) < 0)
		return rc;
	/* s->changes has room for one entry per hunk (see au_blame_span_get) */
	if ((rc = change_copy(&s->changes[s->nchanges], c)) < 0)
		return rc;
	s->nchanges++;
	return 0;
}

int au_blame_span_get(au_blame_span *out, au_blame *blame, size_t first,
		      size_t last)
{
	size_t i, nh = git_blame_get_hunk_count(blame->git);
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (first < 1 || first > last || last > blame->nlines)
		return au_error_set(AU_EINVALID,
				    "lines %zu-%zu are outside '%s' (%zu lines)",
				    first, last, blame->path, blame->nlines);
	out->changes = calloc(nh ? nh : 1, sizeof *out->changes);
	if (!out->changes)
		return au_error_set(AU_ERROR, "out of memory");
	for (i = 0; i < nh && rc == 0; i++) {
		const git_blame_hunk *h = git_blame_get_hunk_byindex(blame->git, (uint32_t)i);
		size_t hs = h->final_start_line_number;
		size_t he = hs + h->lines_in_hunk - 1;

		if (h->lines_in_hunk == 0 || he < first || hs > last)
			continue;
		rc = span_add(out, blame, &h->final_commit_id);
	}
	if (rc == 0 && out->nchanges == 0)
		rc = au_error_set(AU_ERROR, "no blame for lines %zu-%zu of '%s'",
				  first, last, blame->path);
	if (rc < 0) {
		au_blame_span_dispose(out);
		return rc;
	}
	qsort(out->changes, out->nchanges, sizeof *out->changes, cmp_recent);
	return 0;
}

void au_blame_span_dispose(au_blame_span *span)
{
	size_t i;

	if (!span)
		return;
	for (i = 0; i < span->nchanges; i++)
		change_dispose(&span->changes[i]);
	free(span->changes);
	memset(span, 0, sizeof *span);
}
