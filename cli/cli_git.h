/*
** cli_git.h: compiling a rule set as it was at a git commit, for the
** commands that read history (audit, diff, trace).  Everything comes from
** git objects (audit/gitvfs.h); the working tree is never read.
*/
#ifndef LRC_CLI_GIT_H
#define LRC_CLI_GIT_H

#include "audit/repo.h"
#include "cli_common.h"

/** Compiles the rule set at relpath (relative to the repository's root:
 ** a directory, its *.md files; or one file; "" the whole repository) as
 ** it was at commit, with its stored source texts from the same commit.
 ** Symbolic links and submodules met under a directory are warned about
 ** on stderr, not read.  On success c->lw.rs.commit is the commit's hex
 ** id, c->id its identity (hash of that commit's bytes).  Returns 0, or -1
 ** after printing diagnostics or a one-line error.  Free c with
 ** cli_compiled_free either way. */
int cli_compile_at(compiled *c, const fe_opts *o, au_repo *repo, const git_oid *commit, const char *relpath);

/** A path as the user typed it (relative to the working directory, or
 ** absolute; it need not exist any more) as a path relative to the
 ** repository's root.  *out is the caller's (free()).  Returns 0, or -1
 ** with a one-line message in au_error_last() (a bare repository, or a
 ** path outside the working tree). */
int cli_repo_relpath(char **out, au_repo *repo, const char *user_path);

#endif
