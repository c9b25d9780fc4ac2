/*
** fuzz_patient.c: libFuzzer target for the patient-record reader.
**
** Compiles the flagship rule set once, then feeds arbitrary bytes as a
** patient: jansson parses them, patient_from_json checks every field
** against the rule set's inputs, lr_eval evaluates, and both JSON
** printers render the result.  The two printers must agree byte for byte
** (the batch path renders cached fragments; the other builds objects),
** so a divergence is reported as a crash, like any sanitizer finding.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "lower.h"
#include "patient.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static frontend fe;
static lowered lw;
static report_cache *cache;
static lr_action *acts; /* lr_ruleset_max_actions entries */
static uint32_t cap;
static int ready;

static void setup(void)
{
	char *paths[] = {(char *)"../../rules/mm-bone-protection.md"};
	if (fe_run(&fe, 1, paths) != 0 || lower_ruleset(&lw, &fe.rs, &fe.a, &fe.diag) != 0) {
		fprintf(stderr, "fuzz_patient: the flagship rule set does not compile\n");
		abort();
	}
	lw.rs.name = "fuzz";
	lw.rs.version = "0";
	lw.rs.hash = "0";
	cache = report_cache_new(&lw.rs);
	cap = lr_ruleset_max_actions(&lw.rs);
	cap = cap ? cap : 1;
	acts = malloc((size_t)cap * sizeof *acts);
	if (!cache || !acts)
		abort();
	ready = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t jerr;
	json_t *obj;
	lr_record rec;
	lr_result res;
	patient_errors errs;

	if (!ready)
		setup();
	obj = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
	if (!obj)
		return 0;
	if (patient_from_json(&rec, &lw.rs, obj, &errs) == 0) {
		json_t *o;
		char *a, *b = NULL;
		size_t len = 0, cap = 0;
		lr_result_init(&res, acts, cap);
		lr_eval(&res, &lw.rs, &rec);
		o = report_json(&lw.rs, &rec, &res, "fuzz");
		a = json_dumps(o, JSON_COMPACT);
		if (report_compact(&b, &len, &cap, cache, &rec, &res, "fuzz") != 0 || !a || strcmp(a, b) != 0) {
			fprintf(stderr, "fuzz_patient: the two JSON printers disagree:\n%s\n%s\n", a ? a : "(null)",
				b ? b : "(null)");
			abort();
		}
		free(a);
		free(b);
		json_decref(o);
	} else {
		json_decref(report_json_unreadable(&lw.rs, "fuzz", &errs));
	}
	json_decref(obj);
	return 0;
}
