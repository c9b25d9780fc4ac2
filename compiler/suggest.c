/*
** suggest.c: edit distance and the closest-name pick behind every "did you
** mean" (see suggest.h).
*/
#include "suggest.h"

#include <string.h>

size_t sg_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t prev = row[0], tmp;
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

const char *sg_pick(const char *name, const char *(*name_at)(const void *ctx, size_t i), const void *ctx, size_t n)
{
	size_t i, best = 99, limit = strlen(name) / 3 + 1;
	const char *pick = NULL;

	for (i = 0; i < n; i++) {
		const char *cand = name_at(ctx, i);
		size_t k;
		if (!cand)
			continue;
		k = sg_edit_distance(name, cand);
		if (k < best) {
			best = k;
			pick = cand;
		}
	}
	return pick && best <= limit ? pick : NULL;
}
