/*
** equiv_main.c: `litrule eval --jsonl --format json`, but over a table
** that `litrule build` generated and a C compiler compiled.
**
** The equivalence test feeds the same patients to this program and to
** `litrule eval` (which evaluates the in-memory table) and compares the
** outputs byte for byte.  That only proves something if both sides read
** and print identically, so the reading and printing are not rewritten
** here: this program links cli/patient.c (patient_from_json,
** report_json, report_json_unreadable) and mirrors cli_eval.c's line
** loop, labels ("line N"), blank-line skipping and JSON flags exactly.
**
** Build:  cc -DRULESET=lr_ruleset_NAME -include DIR/NAME.h DIR/NAME.c
**            equiv_main.c BUILD/libcompiler.a BUILD/liblitrule.a
**            $(pkg-config --libs jansson libcmark-gfm libutf8proc libgit2 libcrypto)
** Exit status: 0, or 1 when a patient was unreadable or rejected (as eval).
**
** The first argument picks the way the generated table evaluates:
**   (none)     lr_eval: the generated native evaluator (lr_ruleset.native),
**              its compact decisions expanded into lr_actions;
**   typed      the typed API: NAME_input_from_record, then NAME_eval into
**              compact decisions, expanded here with lr_decision_action
**              (needs -DRULESET_NAME=NAME);
**   interpret  lr_eval_interpret: the bytecode interpreter on the
**              generated table.
** All three must print what `litrule eval` (the in-memory table,
** interpreted) prints: actions, overridden actions, errors, missing lists.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "litrule.h"
#include "patient.h"

#ifndef RULESET
#error "compile with -DRULESET=lr_ruleset_NAME -include NAME.h"
#endif

static int bad;
static lr_action *acts; /* lr_ruleset_max_actions entries, as in cli_eval.c */
static uint32_t nacts;
static const char *mode = "";

#ifdef RULESET_NAME
#define EQ_CAT2(a, b) a##b
#define EQ_CAT(a, b) EQ_CAT2(a, b)
static lr_decision *decs;

/* The typed API's answer, as an lr_result (the report prints those). */
static int eval_typed(lr_result *res, const lr_ruleset *rs, const lr_record *rec)
{
	EQ_CAT(RULESET_NAME, _input) in;
	lr_decisions d;
	int rc;

	if (EQ_CAT(RULESET_NAME, _input_from_record)(&in, rec) != LR_OK ||
	    lr_decisions_init(&d, decs, nacts) != LR_OK)
		return LR_ERROR;
	rc = EQ_CAT(RULESET_NAME, _eval)(&d, &in);
	if (lr_decisions_expand(res, rs, &d) != LR_OK)
		return LR_ERROR;
	return rc;
}
#endif

static int eval_one(lr_result *res, const lr_ruleset *rs, const lr_record *rec)
{
	if (strcmp(mode, "interpret") == 0)
		return lr_eval_interpret(res, rs, rec);
#ifdef RULESET_NAME
	if (strcmp(mode, "typed") == 0)
		return eval_typed(res, rs, rec);
#endif
	return lr_eval(res, rs, rec);
}

static void emit(json_t *o)
{
	json_dumpf(o, stdout, JSON_COMPACT);
	fputc('\n', stdout);
	json_decref(o);
}

/* As cli_eval.c's one_patient, JSON branch. */
static void one_patient(const lr_ruleset *rs, const json_t *obj, const char *label)
{
	lr_record rec;
	lr_result res;
	patient_errors errs;
	int rc;

	if (patient_from_json(&rec, rs, obj, &errs) > 0) {
		bad = 1;
		emit(report_json_unreadable(rs, label, &errs));
		return;
	}
	lr_result_init(&res, acts, nacts);
	rc = eval_one(&res, rs, &rec);
	if (rc != LR_OK) /* as cli_eval.c: a rejected record, and LR_EFULL too */
		bad = 1;
	emit(report_json(rs, &rec, &res, label));
}

int main(int argc, char **argv)
{
	const lr_ruleset *rs = &RULESET;
	char *line = NULL;
	size_t cap = 0;
	long n = 0;
	ssize_t len;

	/* A generated table that this runtime refuses is a failure in itself. */
	if (lr_ruleset_check(rs) != LR_OK) {
		fprintf(stderr, "equiv_main: lr_ruleset_check refused the generated table\n");
		return 2;
	}
	nacts = lr_ruleset_max_actions(rs);
	nacts = nacts ? nacts : 1;
	acts = malloc((size_t)nacts * sizeof *acts);
	if (!acts)
		return 2;
	if (argc > 1)
		mode = argv[1];
#ifdef RULESET_NAME
	decs = malloc((size_t)nacts * sizeof *decs);
	if (!decs)
		return 2;
#else
	if (strcmp(mode, "typed") == 0) {
		fprintf(stderr, "equiv_main: typed needs -DRULESET_NAME\n");
		return 2;
	}
#endif
	while ((len = getline(&line, &cap, stdin)) >= 0) {
		json_error_t jerr;
		json_t *obj;
		char label[32];
		n++;
		snprintf(label, sizeof label, "line %ld", n);
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		obj = patient_loadb(line, (size_t)len, &jerr);
		if (!obj) {
			patient_errors errs;
			/* Zeroed whole: every field but the message is empty, as in cli_eval.c. */
			memset(&errs, 0, sizeof errs);
			errs.n = 1;
			snprintf(errs.msg[0], sizeof errs.msg[0], "column %d: %s", jerr.column, jerr.text);
			bad = 1;
			emit(report_json_unreadable(rs, label, &errs));
			continue;
		}
		one_patient(rs, obj, label);
		json_decref(obj);
	}
	free(line);
	free(acts);
#ifdef RULESET_NAME
	free(decs);
#endif
	if (fflush(stdout) != 0)
		return 1;
	return bad;
}
