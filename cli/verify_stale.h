/*
** verify_stale.h: what `litrule verify`'s stale-source analysis needs from
** git (vs_*): the stored text of each source at the commit audited by the
** last report on refs/litrule/audit, compared byte for byte with the text
** verify read.  The analysis itself (compiler/vf_stale.c) knows nothing of
** git; it calls vs_changed through vf_ctx.src_changed.
*/
#ifndef LR_VERIFY_STALE_H
#define LR_VERIFY_STALE_H

#include "ast.h"

typedef struct vs_audit vs_audit;

/** Opens the repository containing dir and its last audit report.  NULL,
 ** with *why saying why the texts are not compared (not in a repository,
 ** no audit yet, an unreadable report), which is not an error. */
vs_audit *vs_open(const char *dir, const char **why);
/** vf_ctx.src_changed: 1 when src's stored text differs from its bytes at
 ** the audited commit (*against: that commit, abbreviated), 0 when equal,
 ** -1 when it cannot be compared (outside the repository, not in the
 ** audited commit, unreadable). */
int vs_changed(void *ud, const decl *src, const char **against);
/** Counts of texts compared and not compared so far. */
void vs_counts(const vs_audit *v, int *compared, int *not_compared);
void vs_close(vs_audit *v);

#endif
