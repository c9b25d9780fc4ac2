/*
** embed.c: how a program uses a rule set compiled to C.
**
**   litrule build tests/codegen/all-constructs.md -o gen
**   cc -std=c11 -Iruntime/include -Igen runtime/examples/embed.c \
**      gen/all_constructs.c build/liblitrule.a -o embed && ./embed
**
** `litrule build` turned the rule files into gen/all_constructs.c (static
** data and the rule set's native evaluator) and gen/all_constructs.h,
** which declares the rule set object, the most actions it can produce at
** once, and its typed API: all_constructs_input, a struct with one typed
** field per input and presence bits, and all_constructs_eval, which
** evaluates it into compact decisions.  The runtime (liblitrule.a, libc
** only) does the rest.  Nothing here allocates: the input, the decisions
** and their buffer are plain structs and arrays.  (The indexed record,
** lr_record with lr_eval, is the other way in: docs/runtime.md says when
** to use which.)
**
** For another rule set, include its header and name its object and API:
** -DTABLE_HEADER='"x.h"' -DRULESET=lr_ruleset_x -DRULESET_NAME=x
** -DRULESET_UPPER=X -DRULESET_MAX_ACTIONS=LR_RULESET_X_MAX_ACTIONS; but
** the patient below uses all_constructs' inputs.
*/
#include <stdio.h>
#include <string.h>

#include "litrule.h"

#ifndef TABLE_HEADER
#define TABLE_HEADER "all_constructs.h"
#define RULESET lr_ruleset_all_constructs
#define RULESET_NAME all_constructs
#define RULESET_UPPER ALL_CONSTRUCTS
#define RULESET_MAX_ACTIONS LR_RULESET_ALL_CONSTRUCTS_MAX_ACTIONS
#endif
#include TABLE_HEADER

/* The typed API's names, from the rule set's name. */
#define EMB_CAT2(a, b) a##b
#define EMB_CAT(a, b) EMB_CAT2(a, b)
#define INPUT EMB_CAT(RULESET_NAME, _input)
#define EVAL EMB_CAT(RULESET_NAME, _eval)
#define MAX_ACTIONS RULESET_MAX_ACTIONS
/* SET(field, value): sets a field and its presence bit (NAME_SET). */
#define SET(field, value) EMB_CAT(RULESET_UPPER, _SET)(&in, field, value)
#define VALUE(input, name) EMB_CAT(RULESET_UPPER, EMB_CAT(_, EMB_CAT(input, EMB_CAT(_, name))))

/* A decimal or a date from text: a real integration has them typed already. */
static lr_dec dec(const char *text)
{
	lr_dec d = {0};
	if (lr_dec_parse(&d, text, strlen(text)) != LR_OK)
		fprintf(stderr, "embed: bad decimal %s\n", text);
	return d;
}

static lr_date date(const char *text)
{
	lr_date d = 0;
	if (lr_date_parse(&d, text, strlen(text)) != LR_OK)
		fprintf(stderr, "embed: bad date %s\n", text);
	return d;
}

int main(void)
{
	const lr_ruleset *rs = &RULESET;
	/* The patient: zeroed, nothing known; each SET marks a field known.
	 * Inputs left unset are "unknown": rules that need them do not fire
	 * and the result lists them as missing. */
	INPUT in = {0};
	/* The caller owns the decision buffer.  Sized by the generated bound,
	 * it never fills. */
	static lr_decision decisions[MAX_ACTIONS];
	lr_decisions res;
	uint32_t i, k;
	int rc;

	/* A table compiled for another runtime format is refused up front. */
	if (lr_ruleset_check(rs) != LR_OK) {
		fprintf(stderr, "embed: this table was built for another runtime version\n");
		return 1;
	}
	if (lr_decisions_init(&res, decisions, MAX_ACTIONS) != LR_OK ||
	    lr_ruleset_max_actions(rs) > MAX_ACTIONS) {
		fprintf(stderr, "embed: the header does not match the table\n");
		return 1;
	}
	printf("rule set %s %s (sha256 %.12s)\n", lr_ruleset_name(rs), lr_ruleset_version(rs), lr_ruleset_hash(rs));

	/* Decimals are exact (no floating point anywhere in the runtime),
	 * dates are day numbers, booleans 0/1, choices the generated enum. */
	SET(weight, dec("72"));
	SET(age, dec("80"));
	SET(scr, dec("1"));
	SET(sex, VALUE(SEX, MALE));
	SET(bone_disease, 1);
	SET(on_dialysis, 0);
	SET(status, VALUE(STATUS, ACTIVE));
	SET(dmab_start, date("2024-02-29"));
	SET(dmab_last, date("2026-02-28"));
	SET(today, date("2026-03-02"));

	/* Ranges are checked here, once: LR_ERANGE rejects the whole patient
	 * and res.errors names the fields (errors_dropped counts any beyond
	 * LR_MAX_ERRORS). */
	rc = EVAL(&res, &in);
	if (rc != LR_OK) {
		fprintf(stderr, "embed: %s\n", lr_strerror(rc));
		for (i = 0; i < res.nerrors; i++)
			fprintf(stderr, "  %s: %s\n", res.errors[i].name ? res.errors[i].name : "?", res.errors[i].message);
		if (res.errors_dropped)
			fprintf(stderr, "  and %u more\n", (unsigned)res.errors_dropped);
		return 1;
	}

	/* A decision is compact (rule, action, dose, dates); its basis (the
	 * rule, where it is written, the guideline passages it cites,
	 * verbatim) comes from the table on request. */
	for (i = 0; i < res.ndecisions; i++) {
		lr_action full, *a = &full;
		char buf[40];
		if (lr_decision_action(&full, rs, &res.decisions[i]) != LR_OK)
			return 1;
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
		printf("\nmissing: %s (needed by %s)", lr_ruleset_input_name(rs, res.missing[i].input),
		       lr_ruleset_rule_id(rs, res.missing[i].rule));
	printf("\n");
	return 0;
}
