/*
** jsonin.h: the streaming patient reader of `eval --jsonl`.
**
** Reads one JSON Lines record (a flat JSON object of input name ->
** scalar) straight into an lr_record: numbers are taken from their text
** (exact decimals, never through binary floating point), strings are
** unescaped only when they hold escapes, and nothing is allocated per
** record: a reader owns one scratch buffer as long as the longest line
** it accepts, and a small table of the input names.
**
** It accepts exactly what jansson (patient_loadb + patient_from_json)
** accepts and gives the same record and the same errors, through the
** same patient_set_value (patient.h); tests/fuzz/fuzz_patient.c checks
** this on every input.  Whatever is not a clean flat object it does not
** try to describe: ji_read returns JI_FALLBACK and the caller hands that
** line to the jansson path, whose messages (and columns) users and tests
** already know.  Those lines are malformed anyway, so their speed does
** not matter.
*/
#ifndef LRC_JSONIN_H
#define LRC_JSONIN_H

#include <stddef.h>

#include "litrule.h"
#include "patient.h"

typedef struct ji_reader ji_reader;

/** A reader for rs accepting lines of up to maxline bytes; NULL when out
 ** of memory.  One per thread. */
ji_reader *ji_new(const lr_ruleset *rs, size_t maxline);
void ji_free(ji_reader *r);

enum {
	JI_OK = 0,       /* rec holds the patient */
	JI_FIELDS = 1,   /* a well-formed object with field errors, in errs */
	JI_FALLBACK = 2  /* not a clean flat object: read it with jansson */
};

/* Why the last ji_read returned JI_FALLBACK (for the fuzz target: only
 * JI_WHY_SYNTAX must mean that jansson refuses the line too). */
enum { JI_WHY_NONE, JI_WHY_SYNTAX, JI_WHY_LIMIT };

/** Reads the record in line[0..len) into rec (initialised here). */
int ji_read(ji_reader *r, lr_record *rec, const char *line, size_t len, patient_errors *errs);
/** JI_WHY_* for the last JI_FALLBACK. */
int ji_why(const ji_reader *r);
/** Whether the last record had a nested value or a number out of range:
 ** jansson may refuse such a line as a whole (a duplicate key inside a
 ** nested object, a number beyond a double), where this reader reports the
 ** field; both refuse the record. */
int ji_lenient(const ji_reader *r);


#endif
