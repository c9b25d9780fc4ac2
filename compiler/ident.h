/*
** ident.h: the identity of a rule set: a SHA-256 hash of its content, and
** the git commit it comes from.
**
** The hash is a function of the content alone: the bytes of every rule
** file and stored source text, each named by its path relative to the
** rule set's root, so `rules/`, `./rules//`, the absolute path and a run
** from another directory all give the same hash.  The recipe (and a shell
** command that recomputes it) is in docs/runtime.md, "The rule-set hash".
** This is the only module besides audit that includes git2.h.
*/
#ifndef LRC_IDENT_H
#define LRC_IDENT_H

#include "ast.h"

typedef struct {
	char hash[65];       /* hex SHA-256 */
	char *commit;        /* "abc123..." or "abc123... (modified)"; NULL outside git (arena) */
	char *root;          /* the root, absolute and normalised (arena) */
	const char **files;  /* the hashed files, relative to root, sorted (arena) */
	size_t nfiles;
} ruleset_ident;

/** Hashes the rule files of rs and their stored source texts, rooted at
 ** the paths given on the command line (see ident_root); looks up their
 ** commit.  Returns 0, or -1 if a file could not be read (message in *why). */
int ident_compute(ruleset_ident *out, const ruleset_ast *rs, int npaths, char *const *paths, arena *a,
		  const char **why);

/** path made absolute (against the working directory) and normalised
 ** lexically: "//" and "." removed, ".." takes off the previous component,
 ** no trailing '/'.  Symbolic links are not resolved.  NULL if the working
 ** directory cannot be found. */
char *ident_normalize(arena *a, const char *path);

/** The root of a rule set given as paths: each directory given, or a
 ** file's own directory, normalised; with several, their deepest common
 ** ancestor.  A path ending in '/' is a directory without a look at the
 ** file system (for paths that name files of a git commit). */
char *ident_root(arena *a, int npaths, char *const *paths);

#endif
