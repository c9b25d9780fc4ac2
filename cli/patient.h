/*
** patient.h: patient records from JSON, and decisions to JSON and text.
** Shared by `litrule eval`, `litrule test` and the test that runs the
** generated C tables, so every path reads and prints the same way.
**
** A patient is a JSON object whose keys are the rule set's input names.
** Dates are "YYYY-MM-DD"; decimals are JSON numbers or decimal strings;
** enumerations are strings; booleans are true/false; an absent key or
** null means unknown.  Unknown keys are errors: a misspelt key would
** otherwise turn a known value into a missing one without a word.
** A number is taken exactly as written (1e2 is 100, 1E-9 is 0.000000001)
** or refused: more than 9 decimal places, or out of range, is an error
** naming the field, never a rounded value.
*/
#ifndef LRC_PATIENT_H
#define LRC_PATIENT_H

#include <jansson.h>
#include <stdio.h>

#include "litrule.h"

#define PATIENT_MAX_ERRORS 16

typedef struct {
	int n;
	char msg[PATIENT_MAX_ERRORS][256];   /* "field 'x': ..." */
	char field[PATIENT_MAX_ERRORS][64];  /* "x", or "" when no field is at fault */
} patient_errors;

/** Parses one patient as json_loadb (duplicate keys refused) does, but
 ** keeps the exact text of each number of the top-level object, which
 ** patient_from_json needs: a real number not read through these two is
 ** refused.  NULL on a syntax error, described in *err; a number beyond
 ** jansson's range is described naming its field. */
json_t *patient_loadb(const char *buf, size_t len, json_error_t *err);
/** The same for a file. */
json_t *patient_load_file(const char *path, json_error_t *err);

/* One input's value as either reader found it: jansson (patient_from_json)
 * or the streaming reader (jsonin.c).  Both go through patient_set_value,
 * so they accept the same values and word the same errors. */
enum { PV_NULL, PV_BOOL, PV_STRING, PV_NUMBER, PV_OTHER, PV_INEXACT };
typedef struct {
	int kind;         /* PV_*: PV_NUMBER is a JSON number's text; PV_OTHER an array or object;
			     PV_INEXACT a double whose text is lost */
	const char *text; /* PV_STRING: the unescaped bytes (no NUL); PV_NUMBER: the number's text */
	size_t len;
	int b;            /* PV_BOOL */
} patient_value;

/** Sets input i of rec from pv, or adds an error naming the field; 0 or -1. */
int patient_set_value(lr_record *rec, const lr_ruleset *rs, uint32_t i, const patient_value *pv, patient_errors *errs);
/** Adds the error for a key that is not an input, with a did-you-mean
 ** when an input name is close (the compiler's rule, suggest.h). */
void patient_unknown_key(patient_errors *errs, const lr_ruleset *rs, const char *key);

/** Fills rec from obj; returns the number of problems (0: usable). */
int patient_from_json(lr_record *rec, const lr_ruleset *rs, const json_t *obj, patient_errors *errs);

/* Clears rec for rs (as lr_record_init): in its own arrays, or, for a rule
 * set of more than LR_RECORD_INLINE inputs, in heap arrays it keeps across
 * calls.  rec must start zeroed (or be a record this made); free the
 * arrays with patient_record_release.  LR_OK, or an lr_record_init code. */
int patient_record_reset(lr_record *rec, const lr_ruleset *rs);
/* Frees the heap arrays of patient_record_reset, if any. */
void patient_record_release(lr_record *rec);

/** The value of input i of rec as text ("60", "2024-02-29", "true", "male"). */
void patient_value_text(char *buf, size_t n, const lr_ruleset *rs, const lr_record *rec, uint32_t i);

/** One patient's decisions as a JSON object (new reference). label names
 ** the patient (file name or "line N"); rc is lr_eval's return code. */
json_t *report_json(const lr_ruleset *rs, const lr_record *rec, const lr_result *res, const char *label);
/* Batch output: the parts of each decision that never change (rule, text,
 * citations, location) are rendered to JSON once per rule set, so a run
 * over a million patients escapes each quotation once, not a million
 * times.  report_compact's output is byte-identical to the compact dump of
 * report_json (tests/codegen compares the two paths). */
typedef struct report_cache report_cache;
report_cache *report_cache_new(const lr_ruleset *rs);
void report_cache_free(report_cache *c);
/** The compact JSON of the rule set object, and of action definition
 ** `action` (an index into the table's actions) without its closing brace:
 ** for printers that write the rest themselves (eval_batch.c). */
const char *report_cache_ruleset(const report_cache *c);
const char *report_cache_action(const report_cache *c, uint32_t action);
/** Appends one patient's decisions as compact JSON (no newline) to *buf,
 ** a malloc'd buffer of *cap bytes holding *len; returns 0 or -1 (OOM). */
int report_compact(char **buf, size_t *len, size_t *cap, report_cache *c, const lr_record *rec,
		   const lr_result *res, const char *label);

/** The same for a patient that could not be read: only errors. */
json_t *report_json_unreadable(const lr_ruleset *rs, const char *label, const patient_errors *errs);
/** The decisions as text for people: each action with its basis. */
void report_text(FILE *out, const lr_ruleset *rs, const lr_record *rec, const lr_result *res, const char *label);

/* ---- recorded inputs (eval --record-inputs, trace) ------------------------ */

/** The known inputs of rec as a JSON object {NAME: VALUE}, each as given:
 ** booleans as true/false, everything else as its exact text (decimals
 ** as strings, dates YYYY-MM-DD, enumeration value names).  Unknown
 ** (missing) inputs are left out.  When mask is not NULL, an input i with
 ** mask[i] set is recorded as "sha256:HEX", HEX the SHA-256 of salt
 ** followed by the value's text.  NULL when out of memory. */
json_t *patient_inputs_json(const lr_ruleset *rs, const lr_record *rec, const unsigned char *mask, const char *salt);

#endif
