/*
** cli_weave.c: `litrule weave [--no-verify] PATH... -o DIR`: the rule book as a web page
** (compiler/weave.h).  This file gathers the evidence the page shows that
** does not come from the rule files: it runs the examples, runs verify's
** analyses, and, inside a git repository, blames each rule's lines at HEAD
** for its last change and reviewers.  Outside a repository (or for a file
** with uncommitted changes) the page says so instead of failing.
** Exit 0 when the book was written, 1 on errors in the rule set or when
** the directory could not be written, 2 on wrong usage.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/stat.h>

#include "audit/blame.h"
#include "audit/error.h"
#include "audit/review.h"
#include "cli.h"
#include "cli_common.h"
#include "cli_git.h"
#include "verify.h"
#include "weave.h"

/* ---- last change, from git -------------------------------------------------- */

typedef struct {
	arena *a;
	au_repo *repo;
	git_oid head;
	const char *why;          /* for every rule: why no last change (NULL: look) */
	const src_file *file;     /* the file blamed (cache) */
	au_blame *blame;
	const char *file_why;     /* why that file has no blame */
} wv_git;

static const char *wg_open(wv_git *g, const char *first_path)
{
	struct stat st;
	char *dir = NULL;
	const char *slash = strrchr(first_path, '/');

	if (stat(first_path, &st) != 0 || !S_ISDIR(st.st_mode))
		dir = slash ? strndup(first_path, (size_t)(slash - first_path + 1)) : strdup(".");
	if (au_repo_open(&g->repo, dir ? dir : first_path) != 0) {
		free(dir);
		g->repo = NULL;
		return "not in a git repository";
	}
	free(dir);
	if (au_repo_resolve(&g->head, g->repo, NULL) != 0)
		return arena_printf(g->a, "unavailable: %s", au_error_last());
	return NULL;
}

/* Blames f at HEAD once; a file whose bytes differ from HEAD's is not
 * blamed (its line numbers would not match). */
static void wg_blame_file(wv_git *g, const src_file *f)
{
	char *rel = NULL;
	unsigned char *data = NULL;
	size_t size = 0;

	au_blame_free(g->blame);
	g->blame = NULL;
	g->file = f;
	g->file_why = NULL;
	if (cli_repo_relpath(&rel, g->repo, f->path) != 0)
		g->file_why = arena_printf(g->a, "unavailable: %s", au_error_last());
	else if (au_repo_read(&data, &size, g->repo, &g->head, rel) != 0)
		g->file_why = "the file is not committed";
	else if (size != f->len || memcmp(data, f->text, size) != 0)
		g->file_why = "the file has uncommitted changes";
	else if (au_blame_file(&g->blame, g->repo, &g->head, rel) != 0) {
		g->blame = NULL;
		g->file_why = arena_printf(g->a, "unavailable: %s", au_error_last());
	}
	free(data);
	free(rel);
}

static const char *wg_date(arena *a, int64_t when, int offset)
{
	time_t t = (time_t)(when + (int64_t)offset * 60);
	struct tm tm;
	char buf[32];
	if (!gmtime_r(&t, &tm) || !strftime(buf, sizeof buf, "%Y-%m-%d", &tm))
		return "(date out of range)";
	return arena_strdup(a, buf);
}

static void wg_reviewers(wv_git *g, const git_oid *id, wv_change *out)
{
	au_review rv;
	size_t k, n = 1;
	char *s;

	if (au_review_get(&rv, g->repo, id) != 0) {
		out->reviewers = arena_printf(g->a, "unavailable (%s)", au_error_last());
		return;
	}
	for (k = 0; k < rv.nreviewers; k++)
		n += strlen(rv.reviewers[k]) + 2;
	s = arena_alloc(g->a, n);
	s[0] = '\0';
	for (k = 0; k < rv.nreviewers; k++) {
		if (k)
			strcat(s, ", ");
		strcat(s, rv.reviewers[k]);
	}
	out->reviewers = s;
	out->unreviewed = au_review_is_unreviewed(&rv);
	au_review_dispose(&rv);
}

static void wg_change(void *ud, const decl *r, wv_change *out)
{
	wv_git *g = ud;
	uint32_t first, last, col;
	au_blame_span sp;
	char hex[GIT_OID_HEXSZ + 1];

	if (g->why) {
		out->why = g->why;
		return;
	}
	if (g->file != r->file)
		wg_blame_file(g, r->file);
	if (g->file_why) {
		out->why = g->file_why;
		return;
	}
	src_position(r->file, r->loc.start, &first, &col);
	src_position(r->file, r->loc.end > r->loc.start ? r->loc.end - 1 : r->loc.start, &last, &col);
	if (au_blame_span_get(&sp, g->blame, first, last) != 0) {
		out->why = arena_printf(g->a, "unavailable: %s", au_error_last());
		return;
	}
	git_oid_tostr(hex, sizeof hex, &sp.changes[0].id);
	out->commit = arena_printf(g->a, "%.12s", hex);
	out->author = arena_printf(g->a, "%s <%s>", sp.changes[0].author_name, sp.changes[0].author_email);
	out->date = wg_date(g->a, sp.changes[0].author_time, sp.changes[0].author_offset);
	out->subject = arena_strdup(g->a, sp.changes[0].subject);
	wg_reviewers(g, &sp.changes[0].id, out);
	au_blame_span_dispose(&sp);
}

/* ---- examples and verify ------------------------------------------------------ */

static wv_example *run_examples(compiled *cc, cov_data *cov, size_t *n, unsigned *failed)
{
	cli_examples ex;
	wv_example *out;
	size_t i;

	if (cov_init(cov, &cc->lw, &cc->fe.a) != 0 || cli_run_examples_cov(&ex, cc, cov) != 0)
		return NULL;
	out = arena_alloc(&cc->fe.a, (ex.nresults ? ex.nresults : 1) * sizeof *out);
	for (i = 0; i < ex.nresults; i++) {
		out[i].example = ex.results[i].example;
		out[i].passed = ex.results[i].failures == 0;
	}
	*n = ex.nresults;
	*failed = ex.failed;
	return out;
}

static void run_verify(compiled *cc, const cov_data *cov, diag_ctx *vd)
{
	vf_ctx c;
	time_t now = time(NULL);
	struct tm tm;

	memset(&c, 0, sizeof c);
	c.rs = &cc->fe.rs;
	c.lw = &cc->lw;
	c.d = vd;
	c.a = &cc->fe.a;
	c.cov = cov;
	c.cov_level = DIAG_ERROR;
	if (gmtime_r(&now, &tm) &&
	    lr_date_from_ymd(&c.today, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) == LR_OK)
		c.have_today = 1;
	vf_run_all(&c);
}

/* ---- the command ----------------------------------------------------------------- */

static int weave_usage(void)
{
	fprintf(stderr, "usage: litrule weave [--no-verify] PATH... -o DIR\n"
			"  writes DIR/index.html (the rule book as one self-contained page) and DIR/sources/*.html\n"
			"  (the stored source texts, quoted passages highlighted); docs/weave.md\n"
			"  --no-verify  do not run verify's analyses (most of the time); the page says so\n");
	return 2;
}

static int weave_args(int n, char **argv, const char **dir, char **paths, int *no_verify)
{
	int i, np = 0;
	for (i = 0; i < n; i++) {
		if (strcmp(argv[i], "--no-verify") == 0)
			*no_verify = 1;
		else if (strcmp(argv[i], "-o") == 0 && i + 1 < n)
			*dir = argv[++i];
		else if (strncmp(argv[i], "--output=", 9) == 0)
			*dir = argv[i] + 9;
		else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "litrule weave: unknown option '%s'\n", argv[i]);
			return -1;
		} else
			paths[np++] = argv[i];
	}
	return np;
}

static int weave(compiled *cc, const char *dir, char **paths, int no_verify)
{
	wv_evidence ev;
	wv_git g;
	cov_data cov;
	diag_ctx vd, wd;
	wv_book book;
	unsigned failed = 0;
	char why[512];
	int rc;

	memset(&ev, 0, sizeof ev);
	memset(&g, 0, sizeof g);
	memset(&cov, 0, sizeof cov);
	ev.name = cc->lw.rs.name;
	ev.version = cc->lw.rs.version;
	ev.hash = cc->lw.rs.hash;
	ev.commit = cc->lw.rs.commit;
	if (!(ev.examples = run_examples(cc, &cov, &ev.nexamples, &failed)))
		ev.examples_why = "out of memory";
	diag_init(&vd, &cc->fe.a);
	if (no_verify)
		ev.findings_why = "verify was not run (weave --no-verify)";
	else {
		run_verify(cc, ev.examples ? &cov : NULL, &vd);
		ev.findings = &vd;
	}
	g.a = &cc->fe.a;
	git_libgit2_init();
	g.why = wg_open(&g, paths[0]);
	ev.change = wg_change;
	ev.change_ud = &g;
	diag_init(&wd, &cc->fe.a);
	rc = wv_render(&book, &cc->fe.rs, &ev, &wd);
	au_blame_free(g.blame);
	au_repo_free(g.repo);
	git_libgit2_shutdown();
	cov_free(&cov);
	diag_sort(&wd);
	diag_print_text(&wd, stderr);
	if (rc != 0) {
		fprintf(stderr, "litrule: error: out of memory while weaving\n");
		return 1;
	}
	rc = wv_write_dir(&book, dir, 0, why, sizeof why);
	if (rc != 0)
		fprintf(stderr, "litrule: error: %s\n", why);
	else
		fprintf(stderr, "weave: wrote %s/index.html and %zu source page%s; examples: %zu, %u failing; verify: %d "
			"error%s, %d warning%s%s\n", dir, book.npages - 1, book.npages == 2 ? "" : "s",
			ev.nexamples, failed, vd.nerrors, vd.nerrors == 1 ? "" : "s", vd.nwarnings,
			vd.nwarnings == 1 ? "" : "s", no_verify ? " (not run: --no-verify)" : " (shown in the book)");
	wv_book_free(&book);
	return rc == 0 ? 0 : 1;
}

int cli_weave(int argc, char **argv)
{
	fe_opts o;
	compiled cc;
	const char *dir = NULL;
	char **paths = calloc((size_t)argc + 1, sizeof(char *));
	int n, np, status, no_verify = 0;

	n = cli_frontend_opts(&o, argc, argv);
	if (n < 0 || !paths) {
		free(paths);
		return 2;
	}
	np = weave_args(n, argv, &dir, paths, &no_verify);
	if (np <= 0 || !dir || !*dir) {
		free(paths);
		return weave_usage();
	}
	if (cli_compile(&cc, &o, np, paths) != 0) {
		cli_compiled_free(&cc);
		free(paths);
		return 1;
	}
	status = weave(&cc, dir, paths, no_verify);
	cli_compiled_free(&cc);
	free(paths);
	return status;
}
