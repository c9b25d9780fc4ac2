/*
** review.h: who reviewed a commit (au_review_*), from its
** `Reviewed-by:` trailers.  Keys match case-insensitively; values are
** trimmed and unfolded (CR removed, runs of whitespace, including the
** newline of a continuation line, become one space), because libgit2
** 1.5.1 returns them raw (AUDIT-LIBGIT2.md §6).  A commit is
** "unreviewed" when no reviewer is someone other than its author.
**
** Conventions as in repo.h; au_review_dispose accepts NULL.
*/
#ifndef AU_REVIEW_H
#define AU_REVIEW_H

#include <stddef.h>

#include <git2.h>

#include "repo.h"

typedef struct {
	char **reviewers;        /* normalised values, e.g. "Carol <c@x>", in order */
	size_t nreviewers;
	char *author_name;       /* the commit's author ("" from au_review_parse) */
	char *author_email;
} au_review;

/* The reviewers of commit `id`, with its author.
** Release *out with au_review_dispose. */
int au_review_get(au_review *out, au_repo *repo, const git_oid *id);

/* The same from a bare commit message and author (for callers that hold
** the message already; author_* may be NULL). */
int au_review_parse(au_review *out, const char *message,
		    const char *author_name, const char *author_email);

/* 1 when no reviewer differs from the author, else 0.  A reviewer is
** the author when the e-mail addresses (inside <...>) are equal ignoring
** case or, for a value without an address, when it equals the author's
** name ignoring case. */
int au_review_is_unreviewed(const au_review *review);

void au_review_dispose(au_review *review);

#endif
