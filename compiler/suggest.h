/*
** suggest.h: "did you mean" suggestions shared by the compiler (names in
** rule files) and the patient readers (misspelt input keys).
*/
#ifndef LRC_SUGGEST_H
#define LRC_SUGGEST_H

#include <stddef.h>

/** Levenshtein distance between a and b; 99 when either is 63 bytes or longer. */
size_t sg_edit_distance(const char *a, const char *b);

/** The candidate closest to name among name_at(ctx, 0..n-1) (NULL entries
 ** skipped), or NULL when none is within strlen(name) / 3 + 1 edits: the
 ** compiler's rule. */
const char *sg_pick(const char *name, const char *(*name_at)(const void *ctx, size_t i), const void *ctx, size_t n);

#endif
