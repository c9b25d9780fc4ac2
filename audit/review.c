/*
** review.c: Reviewed-by trailers (see review.h).
*/
#include "review.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *dup_str(const char *s)
{
	size_t n = strlen(s ? s : "");
	char *d = malloc(n + 1);

	if (d)
		memcpy(d, s ? s : "", n + 1);
	return d;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

/* Trimmed copy of s[0..n) with every run of whitespace (CR and the
** newline of a folded continuation line included) turned into one
** space. */
static char *unfold(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	size_t i, o = 0;
	int gap = 0;

	if (!d)
		return NULL;
	for (i = 0; i < n; i++) {
		if (is_space(s[i])) {
			gap = o > 0;
			continue;
		}
		if (gap)
			d[o++] = ' ';
		gap = 0;
		d[o++] = s[i];
	}
	d[o] = '\0';
	return d;
}

/* Is key[0..n) "Reviewed-by", ignoring case and surrounding blanks
** (libgit2 keeps "reviewed-by " from "reviewed-by :")? */
static int is_reviewed_by(const char *key, size_t n)
{
	while (n > 0 && is_space(*key)) {
		key++;
		n--;
	}
	while (n > 0 && is_space(key[n - 1]))
		n--;
	return n == 11 && strncasecmp(key, "Reviewed-by", 11) == 0;
}

static int push_reviewer(au_review *out, size_t *cap, const char *key,
			 size_t klen, const char *val, size_t vlen)
{
	char *v;

	if (!is_reviewed_by(key, klen))
		return 0;
	if (!(v = unfold(val, vlen)))
		return au_error_set(AU_ERROR, "out of memory");
	if (!*v) {
		free(v);                 /* "Reviewed-by:" with nothing after it */
		return 0;
	}
	if (out->nreviewers == *cap) {
		size_t nc = *cap ? 2 * *cap : 4;
		char **n = realloc(out->reviewers, nc * sizeof *n);

		if (!n) {
			free(v);
			return au_error_set(AU_ERROR, "out of memory");
		}
		out->reviewers = n;
		*cap = nc;
	}
	out->reviewers[out->nreviewers++] = v;
	return 0;
}

/* One trailer as libgit2 1.5.1 returns it.  After an EMPTY value it
** swallows the following lines ("Reviewed-by:\nReviewed-by: Carol"
** gives one trailer whose value is "\nReviewed-by: Carol"), whereas git
** only folds lines that start with a blank.  So a line of the value
** that does not start with a blank starts a new "key: value" trailer. */
static int take_trailer(au_review *out, size_t *cap, const char *key,
			const char *value)
{
	const char *k = key, *seg = value, *line = value;
	size_t klen = strlen(key);
	int rc;

	while ((line = strchr(line, '\n')) != NULL) {
		const char *next = line + 1;
		const char *colon = memchr(next, ':', strcspn(next, "\n"));

		if (*next != ' ' && *next != '\t' && colon) {
			/* a new trailer: the current one ends at this newline */
			if ((rc = push_reviewer(out, cap, k, klen, seg,
						(size_t)(line - seg))) < 0)
				return rc;
			k = next;
			klen = (size_t)(colon - next);
			seg = colon + 1;
		}
		line = next;
	}
	return push_reviewer(out, cap, k, klen, seg, strlen(seg));
}

int au_review_parse(au_review *out, const char *message,
		    const char *author_name, const char *author_email)
{
	git_message_trailer_array arr;
	size_t i, cap = 0;
	int rc = 0;

	memset(out, 0, sizeof *out);
	memset(&arr, 0, sizeof arr);
	out->author_name = dup_str(author_name);
	out->author_email = dup_str(author_email);
	if (!out->author_name || !out->author_email) {
		au_review_dispose(out);
		return au_error_set(AU_ERROR, "out of memory");
	}
	if (git_message_trailers(&arr, message ? message : "") < 0) {
		au_review_dispose(out);
		return au_error_git(AU_ERROR, "cannot read the commit's trailers");
	}
	for (i = 0; i < arr.count && rc == 0; i++)
		rc = take_trailer(out, &cap, arr.trailers[i].key,
				  arr.trailers[i].value);
	git_message_trailer_array_free(&arr);
	if (rc < 0)
		au_review_dispose(out);
	return rc;
}

int au_review_get(au_review *out, au_repo *repo, const git_oid *id)
{
	git_commit *c = NULL;
	const git_signature *a;
	char hex[GIT_OID_HEXSZ + 1];
	int rc;

	memset(out, 0, sizeof *out);
	if (git_commit_lookup(&c, au_repo_git(repo), id) < 0)
		return au_error_set(AU_EBADREV, "commit %s not found",
				    git_oid_tostr(hex, sizeof hex, id));
	a = git_commit_author(c);
	rc = au_review_parse(out, git_commit_message(c), a->name, a->email);
	git_commit_free(c);
	return rc;
}

/* The address inside <...> of `v` as [*start, *start + *len), or 0. */
static int email_of(const char *v, const char **start, size_t *len)
{
	const char *lt = strrchr(v, '<');
	const char *gt = lt ? strchr(lt, '>') : NULL;

	if (!lt || !gt)
		return 0;
	*start = lt + 1;
	*len = (size_t)(gt - lt - 1);
	return 1;
}

static int is_author(const au_review *r, const char *v)
{
	const char *e;
	size_t n;

	if (email_of(v, &e, &n))
		return *r->author_email && strlen(r->author_email) == n &&
		       strncasecmp(e, r->author_email, n) == 0;
	return *r->author_name && strcasecmp(v, r->author_name) == 0;
}

int au_review_is_unreviewed(const au_review *review)
{
	size_t i;

	for (i = 0; i < review->nreviewers; i++)
		if (!is_author(review, review->reviewers[i]))
			return 0;
	return 1;
}

void au_review_dispose(au_review *review)
{
	size_t i;

	if (!review)
		return;
	for (i = 0; i < review->nreviewers; i++)
		free(review->reviewers[i]);
	free(review->reviewers);
	free(review->author_name);
	free(review->author_email);
	memset(review, 0, sizeof *review);
}
