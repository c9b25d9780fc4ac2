/*
** chain.h: the chain of audit reports on `refs/litrule/audit`
** (au_chain_*).  Each report is a commit whose tree holds only that
** report's files (e.g. report.json and report.md); its first parent is
** the previous report.  Appending never touches the work tree, the
** index, HEAD or any branch: blobs, tree and commit are written as
** objects, then the ref alone is moved by compare-and-swap.  When
** another writer moved the ref meanwhile, the caller's build callback
** is run again with the new previous report (each report records the
** SHA-256 of the one before it, so its bytes depend on the tip) and the
** swap is retried: no report is ever lost and the chain stays linear.
** The facts behind the retry loop are in AUDIT-LIBGIT2.md §1-§2, §4.
**
** Conventions as in repo.h: out-parameters first, 0 or a negative
** au_code with au_error_last(); the dispose and free functions accept
** NULL.
*/
#ifndef AU_CHAIN_H
#define AU_CHAIN_H

#include <stddef.h>
#include <stdint.h>

#include <git2.h>

#include "repo.h"

#define AU_CHAIN_REF "refs/litrule/audit"

typedef struct {
	char *name;              /* a plain file name, no '/' */
	unsigned char *data;     /* NUL-terminated after `size` bytes */
	size_t size;
} au_chain_file;

/* One report read back from the chain. */
typedef struct {
	git_oid commit;
	unsigned int nparents;   /* 0 for the first report; >1 never written */
	git_oid parent;          /* the first parent, when nparents > 0 */
	int64_t time;            /* committer time */
	char *message;
	au_chain_file *files;    /* sorted by name */
	size_t nfiles;
} au_chain_report;

/* A report being built by the callback: a set of named files and the
** commit message. */
typedef struct au_chain_draft au_chain_draft;

/* Adds a file (bytes copied).  AU_EINVALID for an empty name, one with
** '/', ".", "..", ".git" or a name already added. */
int au_chain_draft_add(au_chain_draft *draft, const char *name,
		       const void *data, size_t size);

/* The commit message (copied; a final LF is added when missing).
** Default: "litrule audit report". */
int au_chain_draft_message(au_chain_draft *draft, const char *message);

/* Builds the report given the previous one (NULL for the first report
** of the chain).  Called once per attempt, so it must depend on nothing
** but `prev` and its payload.  Return 0, or a negative code (which
** au_chain_append returns, after the callback set au_error_set). */
typedef int (*au_chain_build_cb)(au_chain_draft *draft,
				 const au_chain_report *prev, void *payload);

typedef struct {
	const char *ref;             /* NULL: AU_CHAIN_REF */
	const char *committer_name;  /* required (never git_signature_default) */
	const char *committer_email; /* required */
	int have_time;               /* use `time`/`offset` as the commit time */
	int64_t time;                /*   (SOURCE_DATE_EPOCH, when set, wins; */
	int offset;                  /*   else, without have_time, now, UTC) */
	const char *ssh_key;         /* NULL: unsigned; else a private key file
				      * (or its .pub with ssh-agent) for
				      * ssh-keygen -Y sign -n git */
	unsigned max_attempts;       /* 0: 200 */
} au_chain_opts;

void au_chain_opts_init(au_chain_opts *opts);

/* Retries counted by au_chain_append, for tests and diagnostics. */
typedef struct {
	unsigned attempts;           /* commits built, the landed one included */
	unsigned emodified, elocked, eexists;
} au_chain_stats;

/* Appends a report built by `build` as the new tip of the chain.  Also
** makes sure the ref has a reflog (created before the first update, so
** every move is logged, with the committer as identity).  *out: the
** report's commit.  AU_ECONFLICT when the ref kept moving for
** max_attempts attempts.  `stats` may be NULL. */
int au_chain_append(git_oid *out, au_repo *repo, const au_chain_opts *opts,
		    au_chain_build_cb build, void *payload,
		    au_chain_stats *stats);

/* The tip of the chain; AU_ENOTFOUND when there is no chain yet. */
int au_chain_tip(git_oid *out, au_repo *repo, const char *ref);

/* Reads the report at `commit`.  AU_EBADREV when it is not a commit,
** AU_EINVALID when its tree holds anything but plain files.
** Release with au_chain_report_dispose. */
int au_chain_load(au_chain_report *out, au_repo *repo, const git_oid *commit);
void au_chain_report_dispose(au_chain_report *report);

/* Every report of the chain, tip first, following first parents.
** *count 0 (and 0 returned) when there is no chain.  Release with
** au_chain_reports_free. */
int au_chain_read(au_chain_report **out, size_t *count, au_repo *repo,
		  const char *ref);
void au_chain_reports_free(au_chain_report *reports, size_t count);

#endif
