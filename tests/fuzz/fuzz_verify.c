/*
** fuzz_verify.c: libFuzzer target for `litrule verify`'s analyses.
**
** Any bytes, as a rule file, go through the front end and lowering; a
** rule set that gets that far is verified by every analysis of the table
** (compiler/verify.c), the solver ones in this process (no worker fork)
** with a 200 ms limit per solver call.  Checked: nothing crashes or
** hangs, and every finding of a solver analysis points into a file, and a
** contradiction carries its witness in its properties.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "lower.h"
#include "pipeline.h"
#include "smt_pool.h"
#include "vf_solver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fzv_check(const diag_ctx *d)
{
	size_t i;
	for (i = 0; i < d->items.len; i++) {
		const diag *g = d->items.items[i];
		if (!g->id)
			continue;
		if (strcmp(g->id, "contradiction") == 0 &&
		    (!g->props || strncmp(g->props, "{\"witness\": {", 13) != 0 || !g->file)) {
			fprintf(stderr, "fuzz_verify: a contradiction without its witness: %s\n", g->msg);
			abort();
		}
		if ((strcmp(g->id, "dead-rule") == 0 || strcmp(g->id, "unreachable-row") == 0 ||
		     strcmp(g->id, "not-analysed") == 0) && !g->file) {
			fprintf(stderr, "fuzz_verify: a finding without a file: %s\n", g->msg);
			abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	frontend fe;
	lowered lw;
	vf_ctx c;

	memset(&fe, 0, sizeof fe);
	if (fe_run_memory(&fe, "fuzz.md", (const char *)data, size) != 0) {
		fzp_stats[FZP_FRONTEND_ERROR]++; /* replay -v's counts */
		fe_free(&fe);
		return 0;
	}
	if (lower_ruleset(&lw, &fe.rs, &fe.a, &fe.diag) != 0) {
		fzp_stats[FZP_LOWER_ERROR]++;
		fe_free(&fe);
		return 0;
	}
	memset(&c, 0, sizeof c);
	c.rs = &fe.rs;
	c.lw = &lw;
	c.d = &fe.diag;
	c.a = &fe.a;
	smt_pool_inprocess = 1;
	vf_smt_timeout_ms = 200;
	vf_run_all(&c);
	fzv_check(&fe.diag);
	fzp_stats[FZP_EVALUATED]++;
	fe_free(&fe);
	return 0;
}
