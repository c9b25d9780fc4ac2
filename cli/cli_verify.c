/*
** cli_verify.c: `litrule verify [--format text|json|sarif] [--werror]
** [--srcroot DIR] [--today YYYY-MM-DD] [--repo DIR] PATH...`: the front end (as `check`), lowering, then every
** analysis in compiler/verify.c's table; one report of everything.
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
#include "lower.h"
#include "verify.h"
#include "verify_stale.h"

enum { VF_TEXT, VF_JSON, VF_SARIF };

typedef struct {
	int format, werror;
	const char *srcroot;
	const char *today;      /* --today, NULL: the clock */
	const char *repo;       /* --repo, NULL: the one containing the first path */
} vf_opts;

static int vf_usage(void)
{
	fprintf(stderr, "usage: litrule verify [--format text|json|sarif] [--werror] [--srcroot DIR] [--today YYYY-MM-DD] [--repo DIR] PATH...\n");
	return 2;
}

static int vf_format(const char *s)
{
	return strcmp(s, "text") == 0 ? VF_TEXT : strcmp(s, "json") == 0 ? VF_JSON : strcmp(s, "sarif") == 0 ? VF_SARIF : -1;
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

int cli_verify(int argc, char **argv)
{
	vf_opts o;
	frontend fe;
	lowered lw;
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
	if (vf_today(&o, &c.today) != 0)
		return vf_usage();
	c.have_today = 1;
	fe_run(&fe, npaths, argv);
	if (fe.diag.nerrors == 0) {
		c.src_ud = audit = vf_audit(&o, argv[0]);
		c.src_changed = audit ? vs_changed : NULL;
		c.rs = &fe.rs;
		c.d = &fe.diag;
		c.a = &fe.a;
		/* The analyses read the checked tree; the table is there for
		 * those that evaluate (later analyses), so a failure to lower
		 * is reported and leaves it NULL. */
		c.lw = lower_ruleset(&lw, &fe.rs, &fe.a, &fe.diag) == 0 ? &lw : NULL;
		vf_run_all(&c);
		vs_counts(audit, &compared, &uncompared);
		if (audit && uncompared)
			fprintf(stderr, "verify: stale-source: %d stored source text%s not compared with the audit "
				"(outside the repository or not in the audited commit)\n", uncompared, uncompared == 1 ? "" : "s");
		vs_close(audit);
		ran = 1;
	}
	if (o.werror)
		vf_promote(&fe.diag);
	errors = fe.diag.nerrors;
	vf_checks(&n);
	counts = calloc(n + 1, sizeof(*counts));
	if (!counts) {
		fe_free(&fe);
		return 1;
	}
	vf_count_findings(&fe.diag, counts);
	if (o.format == VF_JSON)
		vf_print_json(&fe.diag, counts, stdout);
	else if (o.format == VF_SARIF)
		vf_print_sarif(&fe.diag, o.srcroot, stdout);
	else
		diag_print_text(&fe.diag, stderr);
	vf_print_summary(counts, stderr);
	if (!ran)
		fputs("verify: the front end found errors; the analyses did not run\n", stderr);
	free(counts);
	fe_free(&fe);
	return errors ? 1 : 0;
}
