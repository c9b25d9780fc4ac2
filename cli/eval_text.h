/*
** eval_text.h: decisions as text for people (eval_text.c): the full text
** form and the one-line-per-decision summary.
*/
#ifndef LRC_EVAL_TEXT_H
#define LRC_EVAL_TEXT_H

#include <stdio.h>

#include "patient.h"

/** One patient's decisions, each with its dose or due date, rule,
 ** citations and what it read.  cited: one flag per rule of rs, set once
 ** the rule's citations are printed, after which they are referred to
 ** rather than quoted again; NULL quotes them every time. */
void eval_text(FILE *out, const lr_ruleset *rs, const lr_record *rec, const lr_result *res, const char *label,
	       unsigned char *cited);
/** One line per decision: rule, verb and subject, dose or due date; then
 ** the missing data and errors. */
void eval_summary(FILE *out, const lr_ruleset *rs, const lr_record *rec, const lr_result *res, const char *label);

#endif
