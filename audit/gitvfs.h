/*
** gitvfs.h: a file provider (compiler/source.h's src_vfs) over the blobs
** of one git commit, so the front end compiles a rule set as it was at
** that commit and never reads the working tree.
**
** Paths are virtual absolute paths: "/rules/x.md" is rules/x.md of the
** commit.  The front end's own path logic (a source text beside its rule
** file, the hash's root) works on them unchanged, and a rule set read
** from a commit hashes exactly as the same files checked out.
*/
#ifndef AU_GITVFS_H
#define AU_GITVFS_H

#include <git2.h>

#include "source.h"
#include "repo.h"

typedef struct {
	src_vfs vfs;        /* pass &g->vfs to fe_run_vfs / cli_compile_vfs */
	au_repo *repo;      /* borrowed: must outlive the vfs */
	git_oid commit;
	int loads;          /* files served, for tests */
} au_gitvfs;

/** Sets g up to serve files of commit in repo (no allocation; nothing
 ** to free).  repo is borrowed. */
void au_gitvfs_init(au_gitvfs *g, au_repo *repo, const git_oid *commit);

#endif
