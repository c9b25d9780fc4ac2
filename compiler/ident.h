/*
** ident.h: the identity of a rule set: a SHA-256 content hash over its
** source files, and the git commit they come from.  The hash covers every
** rule file and every stored source text in a fixed order, so two builds
** from the same sources carry the same hash whatever the machine.
** This is the only module besides audit that includes git2.h.
*/
#ifndef LRC_IDENT_H
#define LRC_IDENT_H

#include "ast.h"

typedef struct {
	char hash[65];      /* hex SHA-256 */
	char *commit;       /* "abc123..." or "abc123... (modified)"; NULL outside git (arena) */
} ruleset_ident;

/** Hashes rs's files and looks up their commit; returns 0, or -1 if a
 ** file could not be read (message in *why). */
int ident_compute(ruleset_ident *out, const ruleset_ast *rs, arena *a, const char **why);

#endif
