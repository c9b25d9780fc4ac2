/*
** repo.h: the repository side of `litrule audit` (au_repo_*): open the
** git repository that contains a path, resolve a revision to a commit,
** read rule files from git objects at a commit (never the working tree),
** and check whether the working tree is dirty for a set of paths
** without ever writing the index.
**
** Conventions (libgit2's): out-parameters first; functions return 0 or a
** negative au_code (audit/error.h) with a one-line message in
** au_error_last(); every *_free / *_dispose accepts NULL.  The caller
** must have called git_libgit2_init() (and calls git_libgit2_shutdown()
** at the end).
*/
#ifndef AU_REPO_H
#define AU_REPO_H

#include <stddef.h>

#include <git2.h>

#include "error.h"

typedef struct au_repo au_repo;

/* Opens the repository containing `path` (searching upward, as git
** does).  Clear errors: AU_ENOTREPO, AU_EUNSUPPORTED (SHA-256 object
** format), AU_EOWNER (owned by another user: suggests safe.directory).
** A shallow clone opens fine: see au_repo_require_full_history.
** Ownership: *out is the caller's, release it with au_repo_free. */
int au_repo_open(au_repo **out, const char *path);
void au_repo_free(au_repo *repo);

/* The underlying libgit2 handle (owned by `repo`; do not free). */
git_repository *au_repo_git(au_repo *repo);

/* 1 when the repository is a shallow clone, else 0. */
int au_repo_is_shallow(au_repo *repo);

/* 0, or AU_ESHALLOW with "audit needs full history (git fetch
** --unshallow)" when the repository is a shallow clone. */
int au_repo_require_full_history(au_repo *repo);

/* Resolves `rev` (NULL means "HEAD"; any revspec, detached HEAD fine)
** to a commit id.  AU_EUNBORN when HEAD has no commit yet, AU_EBADREV
** for an unknown revision or one that names no commit. */
int au_repo_resolve(git_oid *out, au_repo *repo, const char *rev);

/* Normalises a repository-relative path: drops "./" and empty
** components and a trailing '/'; "" or "." gives "" (the root).
** AU_EINVALID for an absolute path or a ".." component.  *out is the
** caller's (free()). */
int au_repo_norm_path(char **out, const char *path);

/* Kind of a tree entry that au_repo_files reports instead of reading. */
typedef enum { AU_ENTRY_SYMLINK = 1, AU_ENTRY_SUBMODULE = 2 } au_entry_kind;

typedef struct {
	char *path;              /* repository-relative, '/'-separated */
	unsigned char *data;     /* blob bytes, plus a NUL after `size` */
	size_t size;
} au_file;

typedef struct {
	char *path;              /* repository-relative */
	au_entry_kind kind;
} au_entry_note;

typedef struct {
	au_file *files;          /* sorted by path (byte order) */
	size_t nfiles;
	au_entry_note *notes;    /* symlinks and submodules met, sorted */
	size_t nnotes;
} au_fileset;

/* The rule files of `path` (relative to the repository root; "" or "."
** for the root) at `commit`, read from git objects only: a directory
** gives its *.md blobs, recursively, sorted by path; a file gives that
** one blob whatever its name.  Symlinks and submodules under a directory
** are listed in `notes` and not read; `path` itself being one is an
** AU_EINVALID error.  A path absent at that commit is AU_ENOTFOUND.
** Paths with ".." or a leading '/' are AU_EINVALID.
** Ownership: release *out with au_fileset_dispose. */
int au_repo_files(au_fileset *out, au_repo *repo, const git_oid *commit,
		  const char *path);
void au_fileset_dispose(au_fileset *set);

/* Reads one regular file's bytes at `commit` (e.g. a stored source
** text).  *data is NUL-terminated after *size bytes and the caller's
** (free()).  AU_ENOTFOUND when absent, AU_EINVALID when `path` is a
** directory, symlink or submodule. */
int au_repo_read(unsigned char **data, size_t *size, au_repo *repo,
		 const git_oid *commit, const char *path);

typedef struct {
	char *path;              /* repository-relative */
	unsigned int flags;      /* git_status_t bits (index and worktree) */
} au_dirty_entry;

typedef struct {
	au_dirty_entry *entries; /* sorted by path; nentries 0 = clean */
	size_t nentries;
	int bare;                /* 1: no working tree, nothing to compare */
} au_dirty;

/* Working-tree and index changes (modified, staged, untracked, deleted,
** renamed; ignored files do not count) under the given repository-
** relative paths (npaths 0: the whole repository).  Never writes the
** index.  Ownership: release *out with au_dirty_dispose. */
int au_repo_dirty(au_dirty *out, au_repo *repo, const char *const *paths,
		  size_t npaths);
void au_dirty_dispose(au_dirty *dirty);

#endif
