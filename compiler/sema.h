/*
** sema.h: semantic checks over a parsed rule set.  Resolves every name,
** assigns types and units, checks dates, ranges, enumeration values,
** citations (including quotes against stored source texts), decision
** tables (gaps and overlaps), schedules and examples.  Reports through
** the diagnostics module; never stops at the first error.
*/
#ifndef LRC_SEMA_H
#define LRC_SEMA_H

#include "ast.h"
#include "diag.h"

void sema_check(ruleset_ast *rs, arena *a, diag_ctx *d);
/** The quote check's normalisation (NFC, each run of white space as one
 ** space, none leading or trailing); malloc'd, NULL when out of memory or
 ** s is not valid UTF-8.  For weave, which must find passages the same way. */
char *sema_normalize(const char *s);

#endif
