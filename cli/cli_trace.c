/*
** cli_trace.c: `litrule trace`: from one decision record to the rules that
** made it, as they were at the recorded commit, and a replay.
**
**   litrule trace [--repo DIR] [--against REV] [--path RELPATH] DECISION.json|-
**
** The record is one object printed by `litrule eval` (or one --jsonl
** line).  Its commit and rule-set path name the rule files; they are
** compiled again from git objects (cli_compile_at), never from the working
** tree.  For each fired rule it prints the rule's text and the prose before
** its block, each quote inside its passage of the stored source text,
** blame and review of the rule's lines, and then the audit report covering
** the commit.  Replay evaluates the recorded inputs again and compares
** actions, doses, dates, missing data and errors with the record.
** Exit status: 0 when the trace is complete and the decision reproduces (or
** cannot be replayed because of masked inputs, which is said); 1 on any
** error, a decision that does not reproduce, or a decision made from
** modified rule files; 2 for wrong usage.  docs/trace.md has the details.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/blame.h"
#include "audit/chain.h"
#include "audit/review.h"
#include "cli_git.h"
#include "patient.h"
#include "trace_show.h"

#define TR_CONTEXT 2 /* lines of the source text shown around a quote */

typedef struct {
	/* the decision record */
	json_t *rec;
	const char *name, *hash, *path;
	char commit_hex[GIT_OID_HEXSZ + 1];
	int modified;          /* the record's commit ends in " (modified)" */
	const json_t *inputs;  /* NULL: not recorded */
	const json_t *masked;  /* NULL or an array of names */
	/* the repository and the rule set at the recorded commit */
	au_repo *repo;
	git_oid commit;
	compiled c;
	int have_c;
} trace_ctx;

/* ---- the record ---------------------------------------------------------- */

static json_t *load_record(const char *file)
{
	json_error_t jerr;
	json_t *o;

	if (strcmp(file, "-") == 0)
		o = json_loadf(stdin, JSON_REJECT_DUPLICATES, &jerr);
	else
		o = json_load_file(file, JSON_REJECT_DUPLICATES, &jerr);
	if (!o) {
		fprintf(stderr, "litrule: error: %s:%d:%d: not one decision record: %s\n",
			strcmp(file, "-") == 0 ? "<stdin>" : file, jerr.line, jerr.column, jerr.text);
		return NULL;
	}
	if (!json_is_object(o)) {
		fprintf(stderr, "litrule: error: %s: a decision record is a JSON object\n", file);
		json_decref(o);
		return NULL;
	}
	return o;
}

static const char *str_field(const json_t *o, const char *key, const char *what)
{
	const json_t *v = json_object_get(o, key);
	if (!json_is_string(v) || !*json_string_value(v)) {
		fprintf(stderr, "litrule: error: malformed decision record: field '%s' is missing or not a string\n", what);
		return NULL;
	}
	return json_string_value(v);
}

/* Reads the fields trace needs, naming the first bad one.  Returns 0 or -1. */
static int parse_record(trace_ctx *t, const char *path_opt)
{
	const json_t *rs = json_object_get(t->rec, "ruleset"), *acts = json_object_get(t->rec, "actions");
	const char *commit;
	size_t n, k;
	json_t *a;

	if (!json_is_object(rs)) {
		fprintf(stderr, "litrule: error: malformed decision record: field 'ruleset' is missing or not an object\n");
		return -1;
	}
	if (!(t->name = str_field(rs, "name", "ruleset.name")) || !(t->hash = str_field(rs, "hash", "ruleset.hash")))
		return -1;
	if (!json_object_get(rs, "commit")) {
		fprintf(stderr, "litrule: error: the decision records no commit: its rule files were not in a git "
				"repository, so there is nothing to trace\n");
		return -1;
	}
	if (!(commit = str_field(rs, "commit", "ruleset.commit")))
		return -1;
	n = strlen(commit);
	t->modified = n > 11 && strcmp(commit + n - 11, " (modified)") == 0;
	n -= t->modified ? 11 : 0;
	if (n != GIT_OID_HEXSZ || strspn(commit, "0123456789abcdef") < n) {
		fprintf(stderr, "litrule: error: malformed decision record: field 'ruleset.commit' is not a commit id\n");
		return -1;
	}
	memcpy(t->commit_hex, commit, n);
	t->commit_hex[n] = '\0';
	t->path = path_opt ? path_opt : json_is_string(json_object_get(t->rec, "path"))
		? json_string_value(json_object_get(t->rec, "path")) : NULL;
	if (!t->path) {
		fprintf(stderr, "litrule: error: malformed decision record: field 'path' (the rule set's path in the "
				"repository) is missing; record it with eval --record-inputs or name it with --path\n");
		return -1;
	}
	if (!json_is_array(acts)) {
		fprintf(stderr, "litrule: error: malformed decision record: field 'actions' is missing or not an array\n");
		return -1;
	}
	json_array_foreach(acts, k, a) {
		char what[64];
		snprintf(what, sizeof what, "actions[%zu].rule", k);
		if (!str_field(a, "rule", what))
			return -1;
	}
	t->inputs = json_object_get(t->rec, "inputs");
	t->masked = json_object_get(t->rec, "masked");
	if ((t->inputs && !json_is_object(t->inputs)) || (t->masked && !json_is_array(t->masked))) {
		fprintf(stderr, "litrule: error: malformed decision record: field '%s' has the wrong type\n",
			t->inputs && !json_is_object(t->inputs) ? "inputs" : "masked");
		return -1;
	}
	return 0;
}

/* ---- one fired rule ---------------------------------------------------- */

static const lr_rule_def *find_rule(const lr_ruleset *rs, const char *id)
{
	uint32_t r;
	for (r = 0; r < rs->nrules; r++)
		if (strcmp(rs->rules[r].id, id) == 0)
			return &rs->rules[r];
	return NULL;
}

/* The stored text of source `id`, as a repository path (vfs path without
 * its leading '/'), or NULL when the source has none. */
static const char *source_text_path(const trace_ctx *t, const char *id)
{
	size_t i;
	for (i = 0; i < t->c.fe.rs.decls.len; i++) {
		const decl *d = t->c.fe.rs.decls.items[i];
		if (d->kind == D_SOURCE && strcmp(d->id.name, id) == 0 && d->text_path)
			return d->text_path[0] == '/' ? d->text_path + 1 : d->text_path;
	}
	return NULL;
}

static void show_citations(trace_ctx *t, const lr_rule_def *rd)
{
	const lr_ruleset *rs = &t->c.lw.rs;
	uint32_t k;

	for (k = 0; k < rd->ncites; k++) {
		const lr_citation *ct = &rs->citations[rd->first_cite + k];
		const char *tp = source_text_path(t, ct->source);
		unsigned char *data = NULL;
		size_t size = 0;

		printf("   cites %s \"%s\", %s:\n", ct->source, ct->title, ct->locator);
		if (!tp) {
			printf("      \"%s\"\n      (the source has no stored text to show the passage in)\n", ct->quote);
			continue;
		}
		if (au_repo_read(&data, &size, t->repo, &t->commit, tp) != 0) {
			printf("      \"%s\"\n      (cannot read %s: %s)\n", ct->quote, tp, au_error_last());
			continue;
		}
		printf("      in %s at %.12s:\n", tp, t->commit_hex);
		if (trs_print_quote(stdout, (const char *)data, size, ct->quote, TR_CONTEXT, "      ") != 0)
			printf("      \"%s\"\n      (matches the text only after Unicode normalisation; not marked)\n",
			       ct->quote);
		free(data);
	}
}

static void print_date(int64_t when, int offset)
{
	time_t tt = (time_t)(when + (int64_t)offset * 60);
	struct tm tm;
	char buf[32];
	int off = offset < 0 ? -offset : offset;

	if (gmtime_r(&tt, &tm) && strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm))
		printf("%s %c%02d%02d", buf, offset < 0 ? '-' : '+', off / 60, off % 60);
	else
		printf("(date out of range)");
}

static void show_blame(trace_ctx *t, au_blame *b, const lr_rule_def *rd)
{
	au_blame_span sp;
	au_review rv;
	char hex[GIT_OID_HEXSZ + 1];
	size_t k;

	if (!b || au_blame_span_get(&sp, b, rd->line, rd->end_line) != 0) {
		printf("   blame: unavailable: %s\n", au_error_last());
		return;
	}
	git_oid_tostr(hex, sizeof hex, &sp.changes[0].id);
	printf("   last change: %s %s <%s> ", hex, sp.changes[0].author_name, sp.changes[0].author_email);
	print_date(sp.changes[0].author_time, sp.changes[0].author_offset);
	printf("\n      \"%s\"\n   commits touching these lines: %zu (", sp.changes[0].subject, sp.nchanges);
	for (k = 0; k < sp.nchanges; k++) {
		git_oid_tostr(hex, sizeof hex, &sp.changes[k].id);
		printf("%s%.12s", k ? " " : "", hex);
	}
	printf(")\n");
	if (au_review_get(&rv, t->repo, &sp.changes[0].id) != 0) {
		printf("   review: unavailable: %s\n", au_error_last());
	} else {
		printf("   review: ");
		for (k = 0; k < rv.nreviewers; k++)
			printf("%s%s", k ? ", " : "Reviewed-by ", rv.reviewers[k]);
		if (au_review_is_unreviewed(&rv))
			printf("%sUNREVIEWED (no reviewer other than the author of the last change)", rv.nreviewers ? "; " : "");
		printf("\n");
		au_review_dispose(&rv);
	}
	au_blame_span_dispose(&sp);
}

/* Prints one fired rule; blames (cached in *b for file *bfile) once per file. */
static void show_rule(trace_ctx *t, const lr_rule_def *rd, au_blame **b, const char **bfile)
{
	const char *file = rd->file[0] == '/' ? rd->file + 1 : rd->file;
	unsigned char *data = NULL;
	size_t size = 0;
	trs_lines l;

	printf("\n== rule %s \"%s\"\n   at %s:%u-%u, commit %.12s\n", rd->id, rd->title, file, (unsigned)rd->line,
	       (unsigned)rd->end_line, t->commit_hex);
	printf("   headings: %s\n", rd->headings && *rd->headings ? rd->headings : "(none)");
	if (au_repo_read(&data, &size, t->repo, &t->commit, file) != 0 ||
	    trs_lines_split(&l, (const char *)data, size) != 0) {
		printf("   (cannot read %s: %s)\n", file, au_error_last());
		free(data);
		return;
	}
	printf("   prose before the rule block:\n");
	trs_print_prose(stdout, &l, rd->line, "      ");
	printf("   rule text:\n");
	trs_print_span(stdout, &l, rd->line, rd->end_line, "      ");
	trs_lines_free(&l);
	free(data);
	show_citations(t, rd);
	if (!*bfile || strcmp(*bfile, file) != 0) {
		au_blame_free(*b);
		*b = NULL;
		*bfile = file;
		if (au_blame_file(b, t->repo, &t->commit, file) != 0)
			*b = NULL;
	}
	show_blame(t, *b, rd);
}

/* Each fired rule once, in the order of the record's actions.  Returns 0,
 * or -1 when a rule is not in the rule set at the commit. */
static int show_rules(trace_ctx *t)
{
	const json_t *acts = json_object_get(t->rec, "actions");
	au_blame *b = NULL;
	const char *bfile = NULL;
	size_t k, j;
	json_t *a;
	int rc = 0;

	if (json_array_size(acts) == 0)
		printf("\nno rule fired\n");
	json_array_foreach(acts, k, a) {
		const char *id = json_string_value(json_object_get(a, "rule"));
		const lr_rule_def *rd = find_rule(&t->c.lw.rs, id);
		int seen = 0;
		for (j = 0; j < k; j++)
			seen |= strcmp(id, json_string_value(json_object_get(json_array_get(acts, j), "rule"))) == 0;
		if (seen)
			continue;
		if (!rd) {
			printf("\n== rule %s: NOT in the rule set at %.12s\n", id, t->commit_hex);
			rc = -1;
			continue;
		}
		show_rule(t, rd, &b, &bfile);
	}
	au_blame_free(b);
	return rc;
}

/* ---- the audit report ---------------------------------------------------- */

static void show_audit(trace_ctx *t)
{
	au_chain_report *reps = NULL;
	size_t n = 0, k;
	char want[64 + GIT_OID_HEXSZ];

	snprintf(want, sizeof want, "litrule audit %s", t->commit_hex);
	if (au_chain_read(&reps, &n, t->repo, NULL) != 0) {
		printf("\naudit: warning: cannot read %s: %s\n", AU_CHAIN_REF, au_error_last());
		return;
	}
	for (k = 0; k < n; k++) {
		const char *m = reps[k].message;
		size_t len = strcspn(m, "\n");
		char hex[GIT_OID_HEXSZ + 1];
		if (len != strlen(want) || strncmp(m, want, len) != 0)
			continue;
		git_oid_tostr(hex, sizeof hex, &reps[k].commit);
		printf("\naudit: report %s on %s covers commit %.12s (report made ", hex, AU_CHAIN_REF, t->commit_hex);
		print_date(reps[k].time, 0);
		printf(")\n");
		au_chain_reports_free(reps, n);
		return;
	}
	printf("\naudit: warning: commit %s was never audited (no report for it on %s)\n", t->commit_hex,
	       AU_CHAIN_REF);
	au_chain_reports_free(reps, n);
}

/* ---- replay ----------------------------------------------------------- */

/* The recorded inputs as a patient for rs in *out; 0, or 1 after printing
 * why there can be no replay (no inputs, or a masked input a rule reads). */
static int replay_patient(const trace_ctx *t, const lr_ruleset *rs, json_t **out, const char *what)
{
	json_t *p, *name;
	size_t k;
	int blocked = 0;

	*out = NULL;
	if (!t->inputs) {
		printf("%s: not possible: the record carries no inputs (made without eval --record-inputs)\n", what);
		return 1;
	}
	if (!(p = json_deep_copy(t->inputs)))
		return 1;
	json_array_foreach(t->masked, k, name) {
		const char *nm = json_string_value(name);
		uint32_t i, r, q;
		int first = 1;
		if (!nm || !json_object_get(p, nm))
			continue; /* masked but missing: the replay knows it is missing */
		if (lr_record_find(&i, rs, nm, strlen(nm)) != LR_OK) {
			json_object_del(p, nm); /* not an input of rs: nothing reads it */
			continue;
		}
		for (r = 0; r < rs->nrules; r++)
			for (q = 0; q < rs->rules[r].nreads; q++)
				if (rs->reads[rs->rules[r].first_read + q] == i) {
					if (first)
						printf("%s: not possible: the input '%s' is masked in the record, and rules read it:",
						       what, nm);
					printf(" %s", rs->rules[r].id);
					first = 0;
					break;
				}
		if (!first) {
			printf("\n");
			blocked = 1;
		} else {
			json_object_del(p, nm); /* no rule reads it: its value cannot matter */
		}
	}
	if (blocked) {
		json_decref(p);
		return 1;
	}
	*out = p;
	return 0;
}

/* Evaluates patient with rs: the decision as eval prints it, or NULL with
 * the reason in why. */
static json_t *decide(const lr_ruleset *rs, const json_t *patient, const char *label, char *why, size_t n)
{
	lr_record rec;
	lr_result res;
	patient_errors errs;
	uint32_t cap = lr_ruleset_max_actions(rs);
	lr_action *acts;
	lr_missing *miss = NULL;
	json_t *o;

	memset(&rec, 0, sizeof rec); /* patient_record_reset's contract */
	if (patient_from_json(&rec, rs, patient, &errs) > 0) {
		snprintf(why, n, "the recorded inputs do not fit: %s", errs.msg[0]);
		patient_record_release(&rec);
		return NULL;
	}
	acts = malloc((cap ? cap : 1) * sizeof *acts);
	if (rs->ninputs > LR_MISSING_INLINE)
		miss = malloc((size_t)rs->ninputs * sizeof *miss);
	if (!acts || (rs->ninputs > LR_MISSING_INLINE && !miss)) {
		snprintf(why, n, "out of memory");
		free(acts);
		patient_record_release(&rec);
		return NULL;
	}
	lr_result_init(&res, acts, cap ? cap : 1);
	if (miss)
		lr_result_set_missing(&res, miss, rs->ninputs);
	cli_evaluate(&res, rs, &rec); /* its errors are part of the decision */
	o = report_json(rs, &rec, &res, label);
	free(acts);
	free(miss);
	patient_record_release(&rec);
	return o;
}

/* One line per part of a decision: each action with its dose and
 * schedule, each missing input, each error. */
static json_t *summary(const json_t *d)
{
	json_t *out = json_array(), *v;
	size_t k;
	char buf[1024];

	json_array_foreach(json_object_get(d, "actions"), k, v) {
		const json_t *dose = json_object_get(v, "dose");
		int len = snprintf(buf, sizeof buf, "%s %s: %s", json_string_value(json_object_get(v, "rule")),
				   json_string_value(json_object_get(v, "verb")), json_string_value(json_object_get(v, "text")));
		if (dose && len >= 0 && (size_t)len < sizeof buf)
			len += snprintf(buf + len, sizeof buf - (size_t)len, "; dose %s %s%s%s",
					json_string_value(json_object_get(dose, "amount")),
					json_string_value(json_object_get(dose, "unit")), json_object_get(dose, "route") ? " " : "",
					json_object_get(dose, "route") ? json_string_value(json_object_get(dose, "route")) : "");
		if (json_is_string(json_object_get(v, "due")) && len >= 0 && (size_t)len < sizeof buf)
			len += snprintf(buf + len, sizeof buf - (size_t)len, "; due %s",
					json_string_value(json_object_get(v, "due")));
		if (json_object_get(v, "schedule") && len >= 0 && (size_t)len < sizeof buf)
			snprintf(buf + len, sizeof buf - (size_t)len, "; schedule %s phase %s next due %s%s",
				 json_string_value(json_object_get(v, "schedule")),
				 json_is_string(json_object_get(v, "phase")) ? json_string_value(json_object_get(v, "phase")) : "(completed)",
				 json_is_string(json_object_get(v, "next_due")) ? json_string_value(json_object_get(v, "next_due")) : "-",
				 json_is_true(json_object_get(v, "overdue")) ? " (overdue)" : "");
		json_array_append_new(out, json_string(buf));
	}
	json_array_foreach(json_object_get(d, "missing"), k, v) {
		snprintf(buf, sizeof buf, "missing %s (needed by %s)", json_string_value(json_object_get(v, "input")),
			 json_string_value(json_object_get(v, "needed_by")));
		json_array_append_new(out, json_string(buf));
	}
	json_array_foreach(json_object_get(d, "errors"), k, v) {
		const char *f = json_string_value(json_object_get(v, "field"));
		snprintf(buf, sizeof buf, "error%s%s: %s", f ? " in " : "", f ? f : "",
			 json_string_value(json_object_get(v, "message")));
		json_array_append_new(out, json_string(buf));
	}
	return out;
}

static int has_line(const json_t *arr, const json_t *s)
{
	size_t k;
	json_t *v;
	json_array_foreach(arr, k, v)
		if (json_equal(v, s))
			return 1;
	return 0;
}

/* Prints the lines of a missing from b ("- ") and of b missing from a ("+ "). */
static void print_diff(const json_t *a, const json_t *b, const char *la, const char *lb)
{
	size_t k;
	json_t *v;
	json_array_foreach(a, k, v)
		if (!has_line(b, v))
			printf("   - %s: %s\n", la, json_string_value(v));
	json_array_foreach(b, k, v)
		if (!has_line(a, v))
			printf("   + %s: %s\n", lb, json_string_value(v));
}

/* The actions without at.file: eval names the file as it was typed, trace
 * as the repository names it; the hash already proved the files equal. */
static json_t *actions_sans_file(const json_t *d)
{
	json_t *acts = json_deep_copy(json_object_get(d, "actions")), *a;
	size_t k;
	json_array_foreach(acts, k, a)
		json_object_del(json_object_get(a, "at"), "file");
	return acts;
}

/* Same actions (rules, texts, doses, schedules, dates, inputs read),
 * missing data and errors. */
static int same_decision(const json_t *a, const json_t *b)
{
	json_t *aa = actions_sans_file(a), *ba = actions_sans_file(b);
	int same = aa && ba && json_equal(aa, ba) &&
		   json_equal(json_object_get(a, "missing"), json_object_get(b, "missing")) &&
		   json_equal(json_object_get(a, "errors"), json_object_get(b, "errors"));
	json_decref(aa);
	json_decref(ba);
	return same;
}

/* Replays at the recorded commit.  Returns 0 (reproduced or impossible)
 * or 1 (differs). */
static int replay(trace_ctx *t)
{
	const char *label = json_string_value(json_object_get(t->rec, "patient"));
	json_t *p, *d, *sa, *sb;
	char why[512];
	int rc;

	printf("\n");
	if (replay_patient(t, &t->c.lw.rs, &p, "replay"))
		return 0;
	d = decide(&t->c.lw.rs, p, label ? label : "replay", why, sizeof why);
	json_decref(p);
	if (!d) {
		printf("replay: FAILED: %s\n", why);
		return 1;
	}
	rc = !same_decision(t->rec, d);
	if (!rc)
		printf("replay at %.12s: reproduces exactly (%zu actions, %zu missing, %zu errors)\n", t->commit_hex,
		       json_array_size(json_object_get(d, "actions")), json_array_size(json_object_get(d, "missing")),
		       json_array_size(json_object_get(d, "errors")));
	else {
		printf("replay at %.12s: DOES NOT reproduce the recorded decision:\n", t->commit_hex);
		sa = summary(t->rec);
		sb = summary(d);
		print_diff(sa, sb, "recorded", "replayed");
		if (json_equal(sa, sb))
			printf("   (the difference is in the detail of the actions: compare the JSON)\n");
		json_decref(sa);
		json_decref(sb);
	}
	json_decref(d);
	return rc;
}

/* What REV would decide for the same inputs.  Returns 0, or 1 on error. */
static int against(trace_ctx *t, const fe_opts *o, const char *rev)
{
	git_oid id;
	compiled c2;
	char hex[GIT_OID_HEXSZ + 1], why[512], what[128];
	json_t *p = NULL, *d, *sa, *sb;
	int rc = 1;

	if (au_repo_resolve(&id, t->repo, rev) != 0) {
		fprintf(stderr, "litrule: error: --against %s: %s\n", rev, au_error_last());
		return 1;
	}
	git_oid_tostr(hex, sizeof hex, &id);
	snprintf(what, sizeof what, "against %s (%.12s)", rev, hex);
	if (cli_compile_at(&c2, o, t->repo, &id, t->path) != 0) {
		fprintf(stderr, "litrule: error: --against %s: the rule files at %s do not compile\n", rev, t->path);
		cli_compiled_free(&c2);
		return 1;
	}
	printf("\n");
	if (replay_patient(t, &c2.lw.rs, &p, what) == 0) {
		if (!(d = decide(&c2.lw.rs, p, "against", why, sizeof why))) {
			printf("%s: cannot evaluate: %s\n", what, why);
		} else {
			sa = summary(t->rec);
			sb = summary(d);
			if (json_equal(sa, sb))
				printf("%s: would decide the same\n", what);
			else {
				printf("%s: would decide differently:\n", what);
				print_diff(sa, sb, "recorded", rev);
			}
			json_decref(sa);
			json_decref(sb);
			json_decref(d);
			rc = 0;
		}
	} else {
		rc = 0;
	}
	json_decref(p);
	cli_compiled_free(&c2);
	return rc;
}

/* ---- the command ------------------------------------------------------- */

/* Opens the repository and compiles the rule set at the recorded commit;
 * checks name and hash.  Returns 0 or 1 after a one-line error. */
static int open_and_compile(trace_ctx *t, const fe_opts *o, const char *repo_dir)
{
	if (au_repo_open(&t->repo, repo_dir) != 0) {
		fprintf(stderr, "litrule: error: %s\n", au_error_last());
		return 1;
	}
	if (au_repo_resolve(&t->commit, t->repo, t->commit_hex) != 0) {
		fprintf(stderr, "litrule: error: the decision's commit %s is not in the repository at %s\n",
			t->commit_hex, repo_dir);
		return 1;
	}
	t->have_c = 1;
	if (cli_compile_at(&t->c, o, t->repo, &t->commit, t->path) != 0) {
		fprintf(stderr, "litrule: error: cannot compile the rule set %s at %.12s\n", t->path, t->commit_hex);
		return 1;
	}
	if (strcmp(t->name, t->c.lw.rs.name) != 0) {
		fprintf(stderr, "litrule: error: the decision comes from rule set '%s', but %s at %.12s is rule set '%s'\n",
			t->name, t->path, t->commit_hex, t->c.lw.rs.name);
		return 1;
	}
	if (!t->modified && strcmp(t->hash, t->c.lw.rs.hash) != 0) {
		fprintf(stderr, "litrule: error: the decision's rule-set hash does not match the rule files at %s "
				"(recorded %.16s..., %s at that commit hashes to %.16s...)\n",
			t->commit_hex, t->hash, t->path, t->c.lw.rs.hash);
		return 1;
	}
	return 0;
}

static int trace_run(trace_ctx *t, const fe_opts *o, const char *repo_dir, const char *against_rev)
{
	const char *label = json_string_value(json_object_get(t->rec, "patient"));
	int status = open_and_compile(t, o, repo_dir);

	if (status)
		return status;
	printf("decision: %s\nrule set: %s %s, hash %s\nrule files: %s at commit %s\n", label ? label : "(unnamed)",
	       t->name, t->c.lw.rs.version, t->hash, t->path, t->commit_hex);
	if (t->modified)
		printf("WARNING: the decision was made from rule files MODIFIED after commit %.12s; the texts below are\n"
		       "         that commit's, which may not be what decided, and the decision cannot be replayed\n",
		       t->commit_hex);
	else
		printf("hash: matches the rule files at that commit\n");
	if (show_rules(t) != 0)
		status = 1;
	show_audit(t);
	if (t->modified)
		printf("\nreplay: refused: the decision was made from modified rule files\n");
	else if (replay(t) != 0)
		status = 1;
	if (against_rev && against(t, o, against_rev) != 0)
		status = 1;
	if (t->modified) {
		fprintf(stderr, "litrule: error: the decision was made from rule files modified after commit %s "
				"(a dirty build): replay refused\n", t->commit_hex);
		status = 1;
	}
	return status;
}

int cli_trace(int argc, char **argv)
{
	fe_opts o;
	trace_ctx t;
	const char *repo_dir = ".", *against_rev = NULL, *path = NULL, *file = NULL;
	int n, i, status;

	memset(&t, 0, sizeof t);
	if ((n = cli_frontend_opts(&o, argc, argv)) < 0)
		return 2;
	for (i = 0; i < n; i++) {
		if (strcmp(argv[i], "--repo") == 0 && i + 1 < n)
			repo_dir = argv[++i];
		else if (strcmp(argv[i], "--against") == 0 && i + 1 < n)
			against_rev = argv[++i];
		else if (strcmp(argv[i], "--path") == 0 && i + 1 < n)
			path = argv[++i];
		else if ((argv[i][0] != '-' || strcmp(argv[i], "-") == 0) && !file)
			file = argv[i];
		else
			file = NULL, i = n + 1;
	}
	if (!file || i > n) {
		fprintf(stderr, "usage: litrule trace [--repo DIR] [--against REV] [--path RELPATH] DECISION.json|-\n");
		return 2;
	}
	if (!(t.rec = load_record(file)))
		return 1;
	if (parse_record(&t, path) != 0) {
		json_decref(t.rec);
		return 1;
	}
	git_libgit2_init();
	status = trace_run(&t, &o, repo_dir, against_rev);
	if (fflush(stdout) != 0)
		status = 1;
	if (t.have_c)
		cli_compiled_free(&t.c);
	au_repo_free(t.repo);
	git_libgit2_shutdown();
	json_decref(t.rec);
	return status;
}
