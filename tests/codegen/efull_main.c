/*
** efull_main.c: what the printers of cli/patient.c say about a result
** whose action buffer was too small (LR_EFULL).
**
** `litrule eval` sizes its buffer by lr_ruleset_max_actions, so it never
** gets LR_EFULL; an embedding with a smaller buffer can.  This program
** evaluates an empty patient against a generated table with a buffer of
** CAP actions and prints the result the three ways `litrule eval` does
** (text, JSON, compact JSONL), so tests/codegen/run.sh can check that
** each says how many actions were dropped.  Exit status: 0 when lr_eval
** returned LR_EFULL, else 1.
**
** Build:  cc -DRULESET=lr_ruleset_NAME -DCAP=64 -include DIR/NAME.h
**            DIR/NAME.c efull_main.c BUILD/libcli.a BUILD/libcompiler.a
**            BUILD/liblitrule.a $(pkg-config --libs jansson ...)
*/
#include <stdio.h>
#include <stdlib.h>

#include "litrule.h"
#include "patient.h"

#ifndef RULESET
#error "compile with -DRULESET=lr_ruleset_NAME -DCAP=N -include NAME.h"
#endif

int main(void)
{
	static lr_action acts[CAP];
	const lr_ruleset *rs = &RULESET;
	lr_record rec;
	lr_result res;
	report_cache *cache = report_cache_new(rs);
	char *buf = NULL;
	size_t len = 0, cap = 0;
	json_t *o;
	int rc;

	if (!cache || lr_record_init(&rec, rs) != LR_OK || lr_result_init(&res, acts, CAP) != LR_OK)
		return 2;
	rc = lr_eval(&res, rs, &rec);
	report_text(stdout, rs, &rec, &res, "empty");
	o = report_json(rs, &rec, &res, "empty");
	json_dumpf(o, stdout, JSON_COMPACT);
	fputc('\n', stdout);
	json_decref(o);
	if (report_compact(&buf, &len, &cap, cache, &rec, &res, "empty") != 0)
		return 2;
	printf("%s\n", buf);
	free(buf);
	report_cache_free(cache);
	return rc == LR_EFULL ? 0 : 1;
}
