/*
** verify.c: the table of `litrule verify`'s analyses and the one way they
** report.  Adding an analysis: write compiler/vf_NAME.c with its run
** function, declare it in verify.h and add a row here; ids are stable
** (they are the findings' diagnostic ids and SARIF ruleIds).
*/
#include "verify.h"
#include "vf_solver.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const vf_check checks[] = {
	{"month-end", "MonthEndAmbiguity",
	 "A date moved by months or years lands on a different day depending on how a month end is read.",
	 "Adding months to a date on the 29th, 30th or 31st (or years to 29 February) reaches a month that may be "
	 "too short; the runtime then clamps to the month's last day.  For every date expression that adds months "
	 "or years, every 'within N months', and every schedule interval and phase boundary in months or years, "
	 "all anchor dates of the 400-year Gregorian cycle (146,097 days) are tried, and the finding gives how "
	 "many anchors the clamp decides, with the first examples.",
	 "State the reading the rule file means with the clause 'month end clamps' on the let, rule or schedule "
	 "(docs/verify.md), or count the interval in days or weeks.",
	 DIAG_ERROR, vf_month_end_run},
	{"mixed-durations", "MixedDurations",
	 "A comparison mixes day-based and month-based durations.",
	 "A comparison that involves both a duration in days or weeks and one in months or years (4 weeks against "
	 "1 month) compares lengths that differ by up to three days and change with the calendar.",
	 "Count both sides in the same kind of unit: days and weeks, or months and years.",
	 DIAG_WARNING, vf_mixed_durations_run},
	{"stale-source", "StaleSource",
	 "A cited source is due for review, or its stored text changed since the last audit.",
	 "A source may declare 'review_by \"YYYY-MM-DD\"': once that date has passed (today, or verify's --today), "
	 "every rule quoting the source may encode superseded advice.  A source's stored text ('text') that differs "
	 "from the bytes at the commit of the last audit report (refs/litrule/audit) means the quotations were "
	 "checked against a text nobody has audited.  Each finding names every declaration that quotes the source.",
	 "Review the source and the rules that quote it, then move review_by forward (and update 'retrieved' and "
	 "'edition'); for a changed text, check the quotations and run litrule audit.",
	 DIAG_WARNING, vf_stale_run},
	{"prose-coverage", "ProseCoverage",
	 "A recommendation statement of a source is encoded by no rule.",
	 "A rule file declares the recommendations of a source with 'statement ID in SOURCE quote \"...\"'.  A "
	 "statement is covered when a rule, table or param has a citation of the same source that names it "
	 "('cite ... for ID') or whose quote overlaps the statement's (after the quote check's normalisation, one "
	 "contains the other).  A statement that nothing covers and that is not declared 'not computable' is a "
	 "recommendation the rule set silently leaves out.",
	 "Cite the statement from the rule that encodes it (cite SOURCE at \"...\" quote \"...\" for ID), or "
	 "declare it 'not computable \"reason\"' with the reason it cannot be decided from the inputs.",
	 DIAG_ERROR, vf_prose_run},
	{"uncovered-rule", "UncoveredRule",
	 "No passing example shows a rule firing.",
	 "verify runs every example of the rule set through the runtime.  A rule is covered when a passing example "
	 "expects it to fire (fires, dose or next due) and it does.  A rule that no example shows firing has never "
	 "been seen to decide what its authors meant.  The level is error by default; verify --coverage=warning or "
	 "--coverage=off lowers it.",
	 "Add an example whose given values make the rule fire and that expects it to (expect R), with the "
	 "expected results worked out by hand from the rule's source.",
	 DIAG_ERROR, vf_uncovered_rule_run},
	{"uncovered-row", "UncoveredRow",
	 "No passing example puts a table's key in one of its rows.",
	 "verify runs every example of the rule set through the runtime and, for every decision table, evaluates the "
	 "table's key on the example's record: a row is covered when some passing example's key lands in it ('gives "
	 "nothing' rows included).  An unexercised row is a band edge or value nobody has checked against the "
	 "source.  The level is error by default; verify --coverage=warning or --coverage=off lowers it.",
	 "Add an example whose given values put the table's key inside the row, and expect the result the row gives.",
	 DIAG_ERROR, vf_uncovered_row_run},
	{"uncovered-branch", "UncoveredBranch",
	 "An operand of an 'and'/'or' in a rule's condition is never shown both true and false.",
	 "MC/DC-style condition coverage: every operand of every 'and' or 'or' chain in a rule's condition (nested "
	 "chains of the same operator flattened) is evaluated on its own, by the runtime, on every passing example's "
	 "record; it is covered when some example makes it true and some example makes it false.  An unknown value "
	 "(a missing input, a table row that gives nothing, an arithmetic error) counts as neither.",
	 "Add an example in which the operand takes the missing value (the finding says which), ideally one where "
	 "that changes whether the rule fires.",
	 DIAG_WARNING, vf_uncovered_branch_run},
	{"dead-rule", "DeadRule",
	 "A rule whose condition no patient within the declared input ranges satisfies.",
	 "The rule's condition, encoded for the Z3 solver (exact decimals with the runtime's rounding, missing data as "
	 "known-true/known-false, dates as day numbers), is unsatisfiable together with the inputs' declared ranges: the "
	 "rule can never fire.  The notes point at the conflicting constraints (Z3's unsat core over the condition's "
	 "conjuncts and the declared ranges).",
	 "Correct the condition or the range the notes name, or delete the rule.",
	 DIAG_WARNING, vf_dead_run},
	{"unreachable-row", "UnreachableRow",
	 "A decision-table row that no key value reaches.",
	 "Within the declared input ranges the table's key never takes a value that selects the row: its interval lies "
	 "outside the key's possible values, or (hit first) earlier rows match every value it would match.  The notes "
	 "name the earlier rows or the ranges.",
	 "Correct the row's interval or the earlier rows, or delete the row.",
	 DIAG_WARNING, vf_rows_run},
	{"always-overridden", "AlwaysOverridden",
	 "A rule that never fires without a rule that overrides it firing too.",
	 "Every patient for whom the rule fires also makes one of the rules that override it fire, so its actions are "
	 "always dropped from the decision: the rule is shadowed.",
	 "Narrow the overriding rules, or drop the rule or its 'overrides' declaration.",
	 DIAG_WARNING, vf_overridden_run},
	{"contradiction", "Contradiction",
	 "Two rules that can fire for the same patient act contradictorily on the same subject.",
	 "A dose against a hold or defer of the same subject, a recommendation against a hold or defer, or two doses of "
	 "one subject with different amounts, for a patient on whom both rules fire.  The solver finds such a patient; "
	 "the runtime confirms it (both rules fire, the amounts differ) before it is reported, as a JSON record that "
	 "litrule eval accepts (in a note and in the finding's properties).",
	 "Declare which rule wins with 'overrides', or state 'may coexist with RULE \"reason\"', or narrow a condition.",
	 DIAG_ERROR, vf_contradict_run},
	{"not-analysed", "NotAnalysed",
	 "A question the solver analyses could not decide.",
	 "A rule condition, table or pair of rules uses something the solver encoding does not cover (a schedule's state, "
	 "a product or quotient of two varying values, a number of months that varies), or the solver did not answer in "
	 "time.  The dead-rule, unreachable-row, always-overridden and contradiction analyses give no verdict on it.",
	 "Nothing is wrong with the rule; review the question by hand, or rewrite the condition with constructs the "
	 "encoding covers (docs/verify.md).",
	 DIAG_WARNING, vf_not_analysed_run},
};

const vf_check *vf_checks(size_t *n)
{
	*n = sizeof checks / sizeof checks[0];
	return checks;
}

const vf_check *vf_check_by_id(const char *id)
{
	size_t i;
	for (i = 0; id && i < sizeof checks / sizeof checks[0]; i++)
		if (strcmp(checks[i].id, id) == 0)
			return &checks[i];
	return NULL;
}

void vf_run_all(vf_ctx *c)
{
	size_t i;
	for (i = 0; i < sizeof checks / sizeof checks[0]; i++)
		checks[i].run(c, &checks[i]);
	diag_sort(c->d);
}

diag *vf_report(vf_ctx *c, const vf_check *self, const src_file *f, span at, const char *props,
		const char *key, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	int n;
	diag *g;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	msg = arena_alloc(c->a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
	g = diag_report(c->d, self->level, f, at.start, at.end, self->id, "%s", msg);
	diag_set_finding(c->d, g, props, key);
	return g;
}
