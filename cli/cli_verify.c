/*
** cli_verify.c: `litrule verify [--format text|json|sarif] [--werror]
** [--srcroot DIR] [--today YYYY-MM-DD] [--repo DIR] [--coverage=error|warning|off] PATH...`: the front end
** (as `check`), lowering, running the examples (for the coverage checks), then every analysis in
** compiler/verify.c's table; one report of everything.
** Text: GNU diagnostics and the summary line on stderr.  JSON and SARIF:
** one document on stdout (the summary too, in text, on stderr).  Exit 1 on
** any error, 0 otherwise, 2 on wrong usage.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/stat.h>

#include "cli.h"
#include "cli_common.h"
#include "lower.h"
#include "verify.h"
#include "verify_stale.h"

enum { VF_TEXT, VF_JSON, VF_SARIF };

typedef struct {
	int format, werror;
	const char *srcroot;
	const char *today;      /* --today, NULL: the clock */
	const char *repo;       /* --repo, NULL: the one containing the first path */
	int coverage;           /* --coverage: VF_COV_ERROR (default), VF_COV_WARNING, VF_COV_OFF */
} vf_opts;

enum { VF_COV_ERROR, VF_COV_WARNING, VF_COV_OFF };

static int vf_usage(void)
{
	fprintf(stderr, "usage: litrule verify [--format text|json|sarif] [--werror] [--srcroot DIR] [--today YYYY-MM-DD] [--repo DIR]\n"
			"                      [--coverage=error|warning|off] PATH...\n"
			"  --coverage=LEVEL  error (default) or warning: the level of rules and table rows that no passing\n"
			"                    example covers (operands of and/or not shown both true and false are\n"
			"                    warnings); off: coverage is not measured\n");
	return 2;
}

static int vf_format(const char *s)
{
	return strcmp(s, "text") == 0 ? VF_TEXT : strcmp(s, "json") == 0 ? VF_JSON : strcmp(s, "sarif") == 0 ? VF_SARIF : -1;
}

/* --coverage=LEVEL or --coverage LEVEL (at argv[*i]); 0, or -1 with a message. */
static int vf_coverage_opt(vf_opts *o, int argc, char **argv, int *i)
{
	const char *v = argv[*i][10] == '=' ? argv[*i] + 11 : NULL;
	if (!v) {
		if (*i + 1 >= argc) {
			fprintf(stderr, "litrule verify: --coverage needs a value\n");
			return -1;
		}
		v = argv[++*i];
	}
	if (strcmp(v, "error") == 0)
		o->coverage = VF_COV_ERROR;
	else if (strcmp(v, "warning") == 0)
		o->coverage = VF_COV_WARNING;
	else if (strcmp(v, "off") == 0)
		o->coverage = VF_COV_OFF;
	else {
		fprintf(stderr, "litrule verify: --coverage takes error, warning or off, not '%s'\n", v);
		return -1;
	}
	return 0;
}

/* Consumes the options, compacting argv; returns the paths' count or -1. */
static int vf_parse(vf_opts *o, int argc, char **argv)
{
	int i, k = 0;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < argc; i++) {
		const char *v = NULL;
		if (strcmp(argv[i], "--format") == 0 || strcmp(argv[i], "--srcroot") == 0 ||
		    strcmp(argv[i], "--today") == 0 || strcmp(argv[i], "--repo") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "litrule verify: %s needs a value\n", argv[i]);
				return -1;
			}
			v = argv[++i];
			if (argv[i - 1][2] == 's') {
				o->srcroot = v;
				continue;
			} else if (argv[i - 1][2] == 't') {
				o->today = v;
				continue;
			} else if (argv[i - 1][2] == 'r') {
				o->repo = v;
				continue;
			}
		} else if (strncmp(argv[i], "--today=", 8) == 0) {
			o->today = argv[i] + 8;
			continue;
		} else if (strncmp(argv[i], "--repo=", 7) == 0) {
			o->repo = argv[i] + 7;
			continue;
		} else if (strncmp(argv[i], "--format=", 9) == 0) {
			v = argv[i] + 9;
		} else if (strncmp(argv[i], "--srcroot=", 10) == 0) {
			o->srcroot = argv[i] + 10;
			continue;
		} else if (strncmp(argv[i], "--coverage=", 11) == 0 || strcmp(argv[i], "--coverage") == 0) {
			if (vf_coverage_opt(o, argc, argv, &i) != 0)
				return -1;
			continue;
		} else if (strcmp(argv[i], "--werror") == 0) {
			o->werror = 1;
			continue;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "litrule verify: unknown option '%s'\n", argv[i]);
			return -1;
		} else {
			argv[k++] = argv[i];
			continue;
		}
		if ((o->format = vf_format(v)) < 0) {
			fprintf(stderr, "litrule verify: --format takes text, json or sarif, not '%s'\n", v);
			return -1;
		}
	}
	return k;
}

/* Today's date: --today, or the clock (UTC). 0, or -1 with a message. */
static int vf_today(const vf_opts *o, lr_date *out)
{
	time_t now;
	struct tm tm;

	if (o->today) {
		if (strlen(o->today) == 10 && lr_date_parse(out, o->today, 10) == LR_OK)
			return 0;
		fprintf(stderr, "litrule verify: --today takes a date YYYY-MM-DD, not '%s'\n", o->today);
		return -1;
	}
	now = time(NULL);
	if (!gmtime_r(&now, &tm) || lr_date_from_ymd(out, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) != LR_OK) {
		fprintf(stderr, "litrule verify: cannot read today's date from the clock; give --today\n");
		return -1;
	}
	return 0;
}

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The stale-source analysis's view of the last audit (NULL: not compared,
 * said once on stderr; never an error). */
static vs_audit *vf_audit(const vf_opts *o, const char *first_path)
{
	const char *why = "";
	const char *slash = strrchr(first_path, '/');
	char *dir = NULL;
	vs_audit *v;

	/* git searches upward from a directory: the first path's own, or its parent's. */
	if (!o->repo && !is_dir(first_path))
		dir = slash ? strndup(first_path, (size_t)(slash - first_path + 1)) : strdup(".");
	v = vs_open(o->repo ? o->repo : dir ? dir : first_path, &why);
	free(dir);
	if (!v)
		fprintf(stderr, "verify: stale-source: stored source texts not compared with the last audit: %s\n", why);
	return v;
}

/* --werror: every warning becomes an error. */
static void vf_promote(diag_ctx *d)
{
	size_t i;
	for (i = 0; i < d->items.len; i++) {
		diag *g = d->items.items[i];
		if (g->sev == DIAG_WARNING) {
			g->sev = DIAG_ERROR;
			d->nerrors++;
			d->nwarnings--;
		}
	}
}

/* Runs the examples for the coverage checks (c->cov stays NULL when the
 * table could not be lowered); says on stderr how many examples failed:
 * they count for no coverage, and `litrule test` says why. */
static void vf_measure(compiled *cc, cov_data *cov, vf_ctx *c, const vf_opts *o)
{
	cli_examples ex;

	c->cov_level = o->coverage == VF_COV_WARNING ? DIAG_WARNING : DIAG_ERROR;
	c->cov_off = o->coverage == VF_COV_OFF;
	/* off: the examples are not even run. */
	if (c->cov_off)
		return;
	if (!c->lw) {
		fputs("verify: coverage: not measured: the rule set could not be lowered to a table\n", stderr);
		return;
	}
	if (cov_init(cov, &cc->lw, &cc->fe.a) != 0 || cli_run_examples_cov(&ex, cc, cov) != 0) {
		fprintf(stderr, "verify: coverage: out of memory; not measured\n");
		return;
	}
	c->cov = cov;
	if (ex.failed)
		fprintf(stderr, "verify: coverage: %u of %u examples fail (litrule test says why); they count for no "
			"coverage\n", ex.failed, ex.passed + ex.failed);
}

int cli_verify(int argc, char **argv)
{
	vf_opts o;
	compiled cc;
	cov_data cov;
	vf_ctx c;
	vf_count *counts;
	size_t n;
	int npaths = vf_parse(&o, argc, argv), errors, ran = 0, compared = 0, uncompared = 0;
	vs_audit *audit = NULL;

	if (npaths < 0)
		return vf_usage();
	if (npaths == 0)
		return vf_usage();
	memset(&c, 0, sizeof c);
	memset(&cc, 0, sizeof cc);
	memset(&cov, 0, sizeof cov);
	if (vf_today(&o, &c.today) != 0)
		return vf_usage();
	c.have_today = 1;
	fe_run(&cc.fe, npaths, argv);
	if (cc.fe.diag.nerrors == 0) {
		c.src_ud = audit = vf_audit(&o, argv[0]);
		c.src_changed = audit ? vs_changed : NULL;
		c.rs = &cc.fe.rs;
		c.d = &cc.fe.diag;
		c.a = &cc.fe.a;
		/* The analyses read the checked tree; the table is there for
		 * those that evaluate (later analyses), so a failure to lower
		 * is reported and leaves it NULL. */
		c.lw = lower_ruleset(&cc.lw, &cc.fe.rs, &cc.fe.a, &cc.fe.diag) == 0 ? &cc.lw : NULL;
		vf_measure(&cc, &cov, &c, &o);
		vf_run_all(&c);
		cov_free(&cov);
		vs_counts(audit, &compared, &uncompared);
		if (audit && uncompared)
			fprintf(stderr, "verify: stale-source: %d stored source text%s not compared with the audit "
				"(outside the repository or not in the audited commit)\n", uncompared, uncompared == 1 ? "" : "s");
		vs_close(audit);
		ran = 1;
	}
	if (o.werror)
		vf_promote(&cc.fe.diag);
	errors = cc.fe.diag.nerrors;
	vf_checks(&n);
	counts = calloc(n + 1, sizeof(*counts));
	if (!counts) {
		fe_free(&cc.fe);
		return 1;
	}
	vf_count_findings(&cc.fe.diag, counts);
	if (o.format == VF_JSON)
		vf_print_json(&cc.fe.diag, counts, stdout);
	else if (o.format == VF_SARIF)
		vf_print_sarif(&cc.fe.diag, o.srcroot, stdout);
	else
		diag_print_text(&cc.fe.diag, stderr);
	vf_print_summary(counts, stderr);
	if (!ran)
		fputs("verify: the front end found errors; the analyses did not run\n", stderr);
	free(counts);
	fe_free(&cc.fe);
	return errors ? 1 : 0;
}
