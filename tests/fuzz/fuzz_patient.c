/*
** fuzz_patient.c: libFuzzer target for the patient-record reader.
**
** Compiles the flagship rule set once, then feeds arbitrary bytes as a
** patient: jansson parses them, patient_from_json checks every field
** against the rule set's inputs, lr_eval evaluates, and both JSON
** printers render the result.  The two printers must agree byte for byte
** (the batch path renders cached fragments; the other builds objects),
** so a divergence is reported as a crash, like any sanitizer finding.
**
** The same bytes also go through the streaming reader of `eval --jsonl`
** (cli/jsonin.c), which must agree with jansson on every input both
** accept: the same record, or the same errors (fields and wording), and
** it may hand a line back to jansson (JI_FALLBACK) only when jansson
** refuses it too or a stated limit was reached.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "eb_print.h"
#include "jsonin.h"
#include "lower.h"
#include "patient.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static frontend fe;
static lowered lw;
static report_cache *cache;
static lr_action *acts; /* lr_ruleset_max_actions entries */
static uint32_t cap;
static int ready;
static ji_reader *reader;
static eb_ctx bctx; /* the batch printers (eb_print.c) */

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
	reader = ji_new(&lw.rs, (size_t)1 << 20);
	if (!cache || !acts || !reader || eb_ctx_init(&bctx, &lw.rs, 0, 0, NULL) != 0)
		abort();
	ready = 1;
}

static void disagree(const char *why, const uint8_t *data, size_t size)
{
	fprintf(stderr, "fuzz_patient: the readers disagree (%s) on:\n%.*s\n", why, (int)size, (const char *)data);
	abort();
}

/* The streaming reader against jansson (patient_loadb, patient_from_json). */
static void compare_readers(const uint8_t *data, size_t size)
{
	json_error_t jerr;
	json_t *obj = patient_loadb((const char *)data, size, &jerr);
	lr_record a, b;
	patient_errors ea, eb;
	int jr = size < ((size_t)1 << 20) ? ji_read(reader, &b, (const char *)data, size, &eb) : JI_FALLBACK;
	int k;
	uint32_t i;

	if (!obj) {
		if (jr != JI_FALLBACK && !(jr == JI_FIELDS && ji_lenient(reader)))
			disagree("jansson refuses, the streaming reader accepts", data, size);
		return;
	}
	if (jr == JI_FALLBACK) {
		/* jansson skips a NUL byte after a token (its lexer's buffer
		 * ends at a NUL); such a line is not JSON, and eval hands it to
		 * jansson anyway. */
		if (json_is_object(obj) && ji_why(reader) != JI_WHY_LIMIT && !memchr(data, '\0', size))
			disagree("jansson reads an object, the streaming reader falls back", data, size);
		json_decref(obj);
		return;
	}
	patient_from_json(&a, &lw.rs, obj, &ea);
	json_decref(obj);
	if (ea.n != eb.n || (ea.n == 0) != (jr == JI_OK))
		disagree("different error counts", data, size);
	for (k = 0; k < ea.n; k++)
		if (strcmp(ea.field[k], eb.field[k]) != 0 || strcmp(ea.msg[k], eb.msg[k]) != 0)
			disagree("different errors", data, size);
	for (i = 0; ea.n == 0 && i < lw.rs.ninputs; i++)
		if (a.state[i] != b.state[i] || (a.state[i] && a.v[i] != b.v[i]))
			disagree("different records", data, size);
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
	compare_readers(data, size);
	obj = patient_loadb((const char *)data, size, &jerr);
	if (!obj)
		return 0;
	if (patient_from_json(&rec, &lw.rs, obj, &errs) == 0) {
		json_t *o;
		char *a, *b = NULL;
		size_t len = 0, bcap = 0; /* not cap: lr_result_init needs the action capacity */
		lr_result_init(&res, acts, cap);
		lr_eval(&res, &lw.rs, &rec);
		o = report_json(&lw.rs, &rec, &res, "fuzz");
		a = json_dumps(o, JSON_COMPACT);
		if (report_compact(&b, &len, &bcap, cache, &rec, &res, "fuzz") != 0 || !a || strcmp(a, b) != 0) {
			fprintf(stderr, "fuzz_patient: the two JSON printers disagree:\n%s\n%s\n", a ? a : "(null)",
				b ? b : "(null)");
			abort();
		}
		{
			/* The batch printers: the full form byte for byte, the
			 * compact form at least valid JSON. */
			eb_buf f = {NULL, 0, 0, 0}, c = {NULL, 0, 0, 0};
			json_t *back;
			eb_full_record(&f, &bctx, &rec, &res, "fuzz");
			eb_put(&f, "", 1);
			eb_compact_record(&c, &bctx, &rec, &res, "fuzz");
			if (f.oom || c.oom || strcmp(a, f.p) != 0) {
				fprintf(stderr, "fuzz_patient: the batch printer disagrees:\n%s\n%.*s\n", a, (int)f.len, f.p);
				abort();
			}
			if (!(back = json_loadb(c.p, c.len, 0, &jerr))) {
				fprintf(stderr, "fuzz_patient: the compact form is not JSON: %s\n%.*s\n", jerr.text, (int)c.len, c.p);
				abort();
			}
			json_decref(back);
			free(f.p);
			free(c.p);
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
