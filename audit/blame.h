/*
** blame.h: per-rule authorship (au_blame_*).  A rule file is blamed
** ONCE at a commit (whole file: libgit2's cost follows how far back the
** walk goes, not the range size, so per-range blames repeat the walk),
** and any 1-based inclusive line span is then mapped onto that result:
** the most recent change to the span and every distinct commit that
** touched it.  Line spans are checked against the blob's line count,
** which libgit2 1.5.1 does not do.  Shallow clones are refused (blame
** would fail or credit old lines to the shallow boundary).
**
** Conventions as in repo.h: out-parameters first, 0 or a negative
** au_code with au_error_last(); the free and dispose functions accept NULL.
*/
#ifndef AU_BLAME_H
#define AU_BLAME_H

#include <stddef.h>
#include <stdint.h>

#include <git2.h>

#include "repo.h"

typedef struct au_blame au_blame;

/* One commit, as an auditor reads it. */
typedef struct {
	git_oid id;
	char *author_name;
	char *author_email;
	int64_t author_time;     /* seconds since the epoch */
	int author_offset;       /* minutes east of UTC */
	int64_t commit_time;     /* committer time, orders the changes */
	char *subject;           /* first paragraph of the message, unfolded */
} au_change;

/* Blames the whole of `path` at `commit`.  AU_ESHALLOW on a shallow
** clone, AU_ENOTFOUND when the file is absent at that commit.
** `repo` must outlive *out.  Release with au_blame_free. */
int au_blame_file(au_blame **out, au_repo *repo, const git_oid *commit,
		  const char *path);
void au_blame_free(au_blame *blame);

/* Lines of the blob (a final line without '\n' counts). */
size_t au_blame_line_count(const au_blame *blame);

typedef struct {
	au_change *changes;      /* distinct commits, most recent first */
	size_t nchanges;         /* >= 1; changes[0] is the last change */
} au_blame_span;

/* The changes to lines first..last (1-based, inclusive) of the blamed
** file.  AU_EINVALID unless 1 <= first <= last <= line count.
** "Most recent" is by committer time, then author time, then id.
** Release *out with au_blame_span_dispose. */
int au_blame_span_get(au_blame_span *out, au_blame *blame, size_t first,
		      size_t last);
void au_blame_span_dispose(au_blame_span *span);

#endif
