/*
** eval_text.c: decisions as text for people (`litrule eval --format
** text` and `--format summary`).
**
** The text form prints each decision with its dose or due date, the rule
** and what it read.  A rule's citations are long (a quote each) and the
** same for every patient, so a run over several patients quotes them
** under the first decision of the rule only, and later ones say where
** (eval_text's cited map; NULL prints them every time, `--full`).  When a
** dose computed once (a table's row) is carried by two actions on the
** same schedule, the second says it is the same dose: two "3.5 mg" lines
** read as two doses.
**
** The summary is one line per decision: rule, verb and subject, dose or
** due date, and the rule's title.
*/
#include "eval_text.h"

#include <string.h>

#include "litrule_table.h"

/* The earlier live action of res with the same dose on the same subject
 * as action k, or NULL. */
static const lr_action *same_dose(const lr_result *res, uint32_t k)
{
	const lr_action *a = &res->actions[k];
	uint32_t j;

	for (j = 0; j < k; j++) {
		const lr_action *b = &res->actions[j];
		if (b->has_dose && b->amount.v == a->amount.v && strcmp(b->unit, a->unit) == 0 &&
		    (b->route == a->route || (b->route && a->route && strcmp(b->route, a->route) == 0)) &&
		    (b->subject == a->subject || (b->subject && a->subject && strcmp(b->subject, a->subject) == 0)) &&
		    strcmp(b->rule_id, a->rule_id) != 0)
			return b;
	}
	return NULL;
}

/* "3.5 mg intravenous" into buf. */
static void dose_text(char *buf, size_t n, const lr_action *a)
{
	char amount[64];
	lr_dec_format(amount, sizeof amount, a->amount);
	snprintf(buf, n, "%s %s%s%s", amount, a->unit, a->route ? " " : "", a->route ? a->route : "");
}

static void citations(FILE *out, const lr_action *a, unsigned char *cited)
{
	uint32_t c;

	if (cited && cited[a->rule]) {
		if (a->ncitations)
			fprintf(out, "      cites: %u passage%s, quoted above under %s\n", (unsigned)a->ncitations,
				a->ncitations == 1 ? "" : "s", a->rule_id);
		return;
	}
	for (c = 0; c < a->ncitations; c++)
		fprintf(out, "      cites %s, %s:\n         \"%s\"\n", a->citations[c].source, a->citations[c].locator,
			a->citations[c].quote);
	if (cited)
		cited[a->rule] = 1;
}

static void one_action(FILE *out, const lr_ruleset *rs, const lr_record *rec, const lr_result *res, uint32_t k,
		       unsigned char *cited)
{
	const lr_action *a = &res->actions[k];
	const lr_action *twin;
	char buf[128];
	uint32_t c;

	if (a->subject)
		fprintf(out, "\n   [%s] %s %s: %s\n", a->rule_id, a->verb, a->subject, a->text);
	else
		fprintf(out, "\n   [%s] %s: %s\n", a->rule_id, a->verb, a->text);
	if (a->has_dose) {
		dose_text(buf, sizeof buf, a);
		if ((twin = same_dose(res, k)) != NULL)
			fprintf(out, "      dose: %s (the same dose as [%s] above, not a second one)\n", buf, twin->rule_id);
		else
			fprintf(out, "      dose: %s\n", buf);
	}
	if (a->has_schedule) {
		if (a->phase) {
			lr_date_format(buf, sizeof buf, a->next_due);
			fprintf(out, "      schedule %s: phase %s, next due %s%s\n", a->schedule, a->phase, buf,
				a->overdue ? " (OVERDUE)" : "");
		} else {
			fprintf(out, "      schedule %s: all phases completed\n", a->schedule);
		}
	}
	if (a->has_due) {
		lr_date_format(buf, sizeof buf, a->due);
		fprintf(out, "      due: %s\n", buf);
	}
	fprintf(out, "      rule: %s \"%s\" at %s:%u", a->rule_id, a->rule_title, a->file, (unsigned)a->line);
	if (a->headings && *a->headings)
		fprintf(out, " (%s)", a->headings);
	fputc('\n', out);
	citations(out, a, cited);
	if (a->nreads) {
		fprintf(out, "      read:");
		for (c = 0; c < a->nreads; c++) {
			patient_value_text(buf, sizeof buf, rs, rec, a->reads[c]);
			fprintf(out, " %s=%s", rs->inputs[a->reads[c]].name, buf);
		}
		fputc('\n', out);
	}
}

/* Overridden actions, missing data and errors: the same in both forms. */
static void trailer(FILE *out, const lr_ruleset *rs, const lr_record *rec, const lr_result *res)
{
	uint32_t k;
	char buf[64];

	if (res->noverridden)
		fputc('\n', out);
	for (k = res->nactions; k < res->nactions + res->noverridden; k++) {
		const lr_action *a = &res->actions[k];
		fprintf(out, "   overridden: %s by %s: %s%s%s: %s\n", a->rule_id, a->overridden_by_id, a->verb,
			a->subject ? " " : "", a->subject ? a->subject : "", a->text);
	}
	if (res->nmissing) {
		fprintf(out, "\n   missing data:");
		for (k = 0; k < res->nmissing; k++)
			fprintf(out, " %s (needed by %s)%s", res->missing[k].name, res->missing[k].rule_id,
				k + 1 < res->nmissing ? "," : "");
		fputc('\n', out);
	}
	for (k = 0; k < res->nerrors; k++) {
		const lr_error *e = &res->errors[k];
		if (e->input >= 0) {
			patient_value_text(buf, sizeof buf, rs, rec, (uint32_t)e->input);
			fprintf(out, "   error: field '%s' = %s: %s\n", e->name, buf, e->message);
		} else if (e->code == LR_EFULL) {
			fprintf(out, "   error: %s: %u actions are not listed\n", e->message, (unsigned)res->actions_dropped);
		} else {
			fprintf(out, "   error: rule %s: %s\n", e->rule_id ? e->rule_id : "?", e->message);
		}
	}
	if (res->errors_dropped)
		fprintf(out, "   error: and %u more errors\n", (unsigned)res->errors_dropped);
}

void eval_text(FILE *out, const lr_ruleset *rs, const lr_record *rec, const lr_result *res, const char *label,
	       unsigned char *cited)
{
	uint32_t k;

	fprintf(out, "== %s\n", label);
	if (res->nactions == 0 && res->nerrors == 0)
		fprintf(out, "   no rule fired\n");
	for (k = 0; k < res->nactions; k++)
		one_action(out, rs, rec, res, k, cited);
	trailer(out, rs, rec, res);
	fputc('\n', out);
}

void eval_summary(FILE *out, const lr_ruleset *rs, const lr_record *rec, const lr_result *res, const char *label)
{
	uint32_t k;
	size_t w = 4;
	char buf[128], due[32];

	(void)rs;
	(void)rec;
	for (k = 0; k < res->nactions; k++)
		if (strlen(res->actions[k].rule_id) > w)
			w = strlen(res->actions[k].rule_id);
	fprintf(out, "== %s\n", label);
	if (res->nactions == 0 && res->nerrors == 0)
		fprintf(out, "   no rule fired\n");
	for (k = 0; k < res->nactions; k++) {
		const lr_action *a = &res->actions[k];
		const lr_action *twin = a->has_dose ? same_dose(res, k) : NULL;
		fprintf(out, "   %-*s  %s%s%s", (int)w, a->rule_id, a->verb, a->subject ? " " : "", a->subject ? a->subject : "");
		if (a->has_dose) {
			dose_text(buf, sizeof buf, a);
			fprintf(out, " %s", buf);
			if (twin)
				fprintf(out, " (same dose as %s)", twin->rule_id);
		}
		if (a->has_schedule && a->phase) {
			lr_date_format(due, sizeof due, a->next_due);
			fprintf(out, "%s next due %s%s", a->has_dose ? "," : "", due, a->overdue ? " (OVERDUE)" : "");
		} else if (a->has_schedule) {
			fprintf(out, "%s all phases completed", a->has_dose ? "," : "");
		}
		if (a->has_due) {
			lr_date_format(due, sizeof due, a->due);
			fprintf(out, "%s due %s", a->has_dose || a->has_schedule ? "," : "", due);
		}
		fprintf(out, "  \"%s\"\n", a->rule_title);
	}
	if (res->nmissing) {
		fprintf(out, "   missing data:");
		for (k = 0; k < res->nmissing; k++)
			fprintf(out, " %s (needed by %s)%s", res->missing[k].name, res->missing[k].rule_id,
				k + 1 < res->nmissing ? "," : "");
		fputc('\n', out);
	}
	for (k = 0; k < res->nerrors; k++)
		fprintf(out, "   error: %s%s%s\n", res->errors[k].name ? res->errors[k].name : "",
			res->errors[k].name ? ": " : "", res->errors[k].message);
}
