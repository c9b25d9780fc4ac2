/*
** embed.c: how a program uses a rule set compiled to C.
**
**   litrule build tests/codegen/all-constructs.md -o gen
**   cc -std=c11 -Iruntime/include -Igen runtime/examples/embed.c \
**      gen/all_constructs.c build/liblitrule.a -o embed && ./embed
**
** `litrule build` turned the rule files into gen/all_constructs.c (static
** data, no code) and gen/all_constructs.h, which declares the rule set
** object and the most actions it can produce at once.  The runtime
** (liblitrule.a, libc only) evaluates it.  Nothing here allocates: the
** record, the result and its action buffer are plain structs and arrays.
**
** For another rule set, include its header and name its object: the
** header, symbol and bound can be overridden with -DTABLE_HEADER='"x.h"'
** -DRULESET=lr_ruleset_x -DRULESET_MAX_ACTIONS=LR_RULESET_X_MAX_ACTIONS,
** but the patient below uses all_constructs' input names.
*/
#include <stdio.h>
#include <string.h>

#include "litrule.h"

#ifndef TABLE_HEADER
#define TABLE_HEADER "all_constructs.h"
#define RULESET lr_ruleset_all_constructs
#define RULESET_MAX_ACTIONS LR_RULESET_ALL_CONSTRUCTS_MAX_ACTIONS
#endif
#include TABLE_HEADER

/* Looks an input up by name and sets it from text ("80", "true",
 * "2024-02-29", "male"): the runtime parses by the input's declared type.
 * A real integration maps its own fields once, at start-up; looking
 * names up per patient keeps this example short. */
static int set(lr_record *rec, const char *name, const char *text)
{
	uint32_t i;
	int rc = lr_record_find(&i, rec->rs, name, strlen(name));
	if (rc != LR_OK) {
		fprintf(stderr, "embed: '%s' is not an input of this rule set\n", name);
		return rc;
	}
	rc = lr_record_set_text(rec, i, text, strlen(text));
	if (rc != LR_OK)
		fprintf(stderr, "embed: %s = '%s': %s\n", name, text, lr_strerror(rc));
	return rc;
}

int main(void)
{
	const lr_ruleset *rs = &RULESET;
	lr_record rec;
	lr_result res;
	/* The caller owns the action buffer.  Sized by the generated bound, it
	 * never fills: lr_eval cannot return LR_EFULL. */
	static lr_action actions[RULESET_MAX_ACTIONS];
	uint32_t i, k, wi;
	lr_dec weight;
	int rc;

	/* A table compiled for another runtime format is refused up front. */
	if (lr_record_init(&rec, rs) != LR_OK) {
		fprintf(stderr, "embed: this table was built for another runtime version\n");
		return 1;
	}
	if (lr_result_init(&res, actions, RULESET_MAX_ACTIONS) != LR_OK ||
	    lr_ruleset_max_actions(rs) > RULESET_MAX_ACTIONS) {
		fprintf(stderr, "embed: the header does not match the table\n");
		return 1;
	}
	printf("rule set %s %s (sha256 %.12s)\n", lr_ruleset_name(rs), lr_ruleset_version(rs), lr_ruleset_hash(rs));

	/* The patient.  Typed setters are there too: here a decimal built
	 * exactly (no floating point anywhere in the runtime)... */
	if (lr_record_find(&wi, rs, "weight", 6) != LR_OK || lr_dec_parse(&weight, "72", 2) != LR_OK ||
	    lr_record_set_dec(&rec, wi, weight) != LR_OK)
		return 1;
	/* ...and the rest from text.  Inputs left unset are "unknown": rules
	 * that need them do not fire and the result lists them as missing. */
	if (set(&rec, "age", "80") || set(&rec, "scr", "1") || set(&rec, "sex", "male") ||
	    set(&rec, "bone_disease", "true") || set(&rec, "on_dialysis", "false") ||
	    set(&rec, "status", "active") || set(&rec, "dmab_start", "2024-02-29") ||
	    set(&rec, "dmab_last", "2026-02-28") || set(&rec, "today", "2026-03-02"))
		return 1;

	/* Ranges are checked here, not by the setters: LR_ERANGE rejects the
	 * whole record and res.errors names the fields (errors_dropped counts
	 * any beyond LR_MAX_ERRORS). */
	rc = lr_eval(&res, rs, &rec);
	if (rc != LR_OK) {
		fprintf(stderr, "embed: %s\n", lr_strerror(rc));
		for (i = 0; i < res.nerrors; i++)
			fprintf(stderr, "  %s: %s\n", res.errors[i].name ? res.errors[i].name : "?", res.errors[i].message);
		if (res.errors_dropped)
			fprintf(stderr, "  and %u more\n", (unsigned)res.errors_dropped);
		return 1;
	}

	/* Every decision carries its basis: the rule, where it is written,
	 * and the guideline passages it cites, verbatim. */
	for (i = 0; i < res.nactions; i++) {
		const lr_action *a = &res.actions[i];
		char buf[40];
		printf("\n[%s] %s: %s\n", a->rule_id, a->verb, a->text);
		if (a->has_dose) {
			lr_dec_format(buf, sizeof buf, a->amount);
			printf("  dose %s %s %s\n", buf, a->unit, a->route ? a->route : "");
		}
		if (a->has_schedule && a->phase) {
			lr_date_format(buf, sizeof buf, a->next_due);
			printf("  schedule %s, phase %s, next due %s%s\n", a->schedule, a->phase, buf,
			       a->overdue ? " (overdue)" : "");
		} else if (a->has_schedule) {
			printf("  schedule %s completed\n", a->schedule);
		}
		printf("  rule %s \"%s\" at %s:%u\n", a->rule_id, a->rule_title, a->file, (unsigned)a->line);
		for (k = 0; k < a->ncitations; k++)
			printf("  cites %s, %s: \"%.120s%s\"\n", a->citations[k].source, a->citations[k].locator,
			       a->citations[k].quote, strlen(a->citations[k].quote) > 120 ? "..." : "");
	}
	for (i = 0; i < res.nmissing; i++)
		printf("\nmissing: %s (needed by %s)", res.missing[i].name, res.missing[i].rule_id);
	printf("\n");
	return 0;
}
