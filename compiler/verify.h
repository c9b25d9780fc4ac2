/*
** verify.h: the analyses of `litrule verify`, run over a rule set that
** has passed the front end (and been lowered).  Each analysis is one entry
** of a table of checks (vf_checks): an id that every finding carries as its
** diagnostic id, the descriptions SARIF's reporting descriptors need, and
** the function that runs it.  A new analysis is one more file
** (compiler/vf_NAME.c) and one more row of the table in verify.c; the
** command, the summary and the three output formats need no change.
*/
#ifndef LRC_VERIFY_H
#define LRC_VERIFY_H

#include <stdio.h>

#include "ast.h"
#include "coverage.h"
#include "diag.h"
#include "litrule.h"
#include "lower.h"

typedef struct vf_check vf_check;

/* What every analysis gets. */
typedef struct {
	const ruleset_ast *rs;
	const lowered *lw;      /* the lowered table; NULL if lowering failed */
	diag_ctx *d;            /* findings go here, through vf_report */
	arena *a;
	/* stale-source: today's date (have_today 0: review dates are not
	 * compared), and whether a source's stored text differs from the one
	 * at the last audit: 1 yes (*against: the audited commit, for the
	 * message), 0 no, -1 not compared; src_changed NULL: never compared. */
	int have_today;
	lr_date today;
	int (*src_changed)(void *ud, const decl *src, const char **against);
	void *src_ud;
	/* coverage: what the passing examples cover (the command runs them;
	 * NULL: not measured, and the coverage checks report nothing), and the
	 * level of uncovered rules and rows (--coverage); cov_off: none of the
	 * coverage checks reports anything (--coverage=off). */
	const cov_data *cov;
	diag_severity cov_level;
	int cov_off;
} vf_ctx;

struct vf_check {
	const char *id;         /* stable kebab-case: the findings' diagnostic id, SARIF ruleId */
	const char *name;       /* SARIF rule name (PascalCase) */
	const char *short_desc; /* one sentence */
	const char *full_desc;  /* what it finds and why it matters */
	const char *help;       /* how to resolve a finding */
	diag_severity level;    /* of its findings */
	void (*run)(vf_ctx *c, const vf_check *self);
};

/** The table of analyses, in the order they run. */
const vf_check *vf_checks(size_t *n);
/** The check with this id, or NULL. */
const vf_check *vf_check_by_id(const char *id);

/** Runs every analysis, then sorts the diagnostics again. */
void vf_run_all(vf_ctx *c);

/** Reports one finding of check self at f[start..end): its message (no line
 ** numbers in it: fingerprints hash it), properties (a JSON object's text,
 ** or NULL) and key (the declarations and expression it is about, for the
 ** fingerprint).  Returns the diagnostic, for notes. */
diag *vf_report(vf_ctx *c, const vf_check *self, const src_file *f, span at, const char *props,
		const char *key, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 7, 8)))
#endif
	;

/* ---- output (verify_out.c) ------------------------------------------------ */

/** Per-check counts of errors and warnings; index n (one past the table)
 ** counts the front end's (`check`) diagnostics. */
typedef struct {
	int errors, warnings;
} vf_count;
/** Fills counts[0..n] (n + 1 entries) from d. */
void vf_count_findings(const diag_ctx *d, vf_count *counts);
/** The summary line: "verify: check 0 errors, 0 warnings; month-end 2 errors, ..." */
void vf_print_summary(const vf_count *counts, FILE *out);
/** {"diagnostics": [...as check prints...], "summary": {...}} */
void vf_print_json(const diag_ctx *d, const vf_count *counts, FILE *out);
/** SARIF 2.1.0; srcroot: the directory that URIs are relative to (NULL: the current one). */
void vf_print_sarif(const diag_ctx *d, const char *srcroot, FILE *out);
/** The fingerprint of a finding: 16 hex digits of FNV-1a 64 over its check
 ** id, key and message (no positions), so it survives lines moving. */
void vf_fingerprint(const diag *g, char out[17]);

/* ---- the analyses (one file each) ----------------------------------------- */
void vf_month_end_run(vf_ctx *c, const vf_check *self);
void vf_mixed_durations_run(vf_ctx *c, const vf_check *self);
void vf_stale_run(vf_ctx *c, const vf_check *self);
void vf_prose_run(vf_ctx *c, const vf_check *self);
void vf_uncovered_rule_run(vf_ctx *c, const vf_check *self);
void vf_uncovered_row_run(vf_ctx *c, const vf_check *self);
void vf_uncovered_branch_run(vf_ctx *c, const vf_check *self);

#endif
