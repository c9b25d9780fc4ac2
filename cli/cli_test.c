/*
** cli_test.c: `litrule test PATH...` runs the examples written in the
** rule files through the runtime table and checks each expectation.
**
** Failures print as  file:line: example NAME: expected ..., got ...
** and the run ends with "N passed, N failed" (examples).  A rule that no
** passing example shows firing is reported as uncovered and fails the
** run too (--no-coverage turns that off), so every rule carries at least
** one worked example.  -v also lists passing examples, --run PATTERN
** selects examples by name, and --format json|junit writes one document
** for CI instead (test_report.c); docs/testing.md describes them.
*/
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "cov_report.h"
#include "test_report.h"

typedef struct {
	const lowered *lw;
	uint8_t *covered;   /* per rule */
	int failures;       /* in the current example */
	const decl *ex;
	FILE *msgs;         /* where failures are printed; NULL: nowhere */
	arena *a;           /* for collected messages */
	test_msg **collect; /* the current example's message list tail; NULL: not collected */
	cov_data *cov;      /* --coverage, verify: the detailed counts; NULL: not measured */
	unsigned *seen;     /* per rule: 1 + the number of the last example counted in cov */
	unsigned nex;       /* examples run so far */
} tctx;

/* Records one message line (without its newline) for the JSON and JUnit
 * reports, and prints it to msgs as the text report always did. */
static void emit(tctx *t, const char *line)
{
	if (t->msgs) {
		fputs(line, t->msgs);
		fputc('\n', t->msgs);
	}
	if (t->collect) {
		test_msg *m = arena_alloc(t->a, sizeof *m);
		m->text = line;
		*t->collect = m;
		t->collect = &m->next;
	}
}

static void fail(tctx *t, const expectation *x, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

#include <stdarg.h>
static void fail(tctx *t, const expectation *x, const char *fmt, ...)
{
	uint32_t line, col;
	va_list ap;
	char *head, *body;
	int n;
	t->failures++;
	if (!t->msgs && !t->collect)
		return;
	src_position(t->ex->file, x->loc.start, &line, &col);
	head = arena_printf(t->a, "%s:%u: example %s: ", t->ex->file->path, (unsigned)line, t->ex->id.name);
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	body = arena_alloc(t->a, strlen(head) + (size_t)(n > 0 ? n : 0) + 1);
	strcpy(body, head);
	va_start(ap, fmt);
	vsnprintf(body + strlen(head), (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
	va_end(ap);
	emit(t, body);
}

static int64_t literal(const expr *e)
{
	if (e->kind == EX_NEG)
		return -literal(e->a);
	if (e->kind == EX_NUM)
		return e->dec.v;
	if (e->kind == EX_DATE)
		return e->date;
	if (e->kind == EX_BOOL)
		return e->ival;
	if (e->kind == EX_NAME)
		return e->enum_index;
	return 0;
}

void cli_example_record(lr_record *rec, const lowered *lw, const decl *ex, arena *a)
{
	size_t i;
	uint32_t n = lw->rs.ninputs;
	if (lr_record_init(rec, &lw->rs) == LR_EFULL)
		lr_record_init_arrays(rec, &lw->rs, arena_alloc(a, n), arena_alloc(a, (size_t)n * sizeof(int64_t)), n);
	for (i = 0; i < ex->givens.len; i++) {
		const given *g = ex->givens.items[i];
		uint32_t k;
		if (lr_record_find(&k, &lw->rs, g->name.name, strlen(g->name.name)) != LR_OK)
			continue;
		/* Set directly: out-of-range values must reach lr_eval, which rejects them. */
		rec->state[k] = 1;
		rec->v[k] = literal(g->value);
	}
}

/* "R01, R05, R07 (overridden by R01)" — the rules that fired, for "got ..."
 * messages: the live ones, then the overridden ones. */
static const char *fired_list(char *buf, size_t n, const lr_result *res)
{
	uint32_t k, total = res->nactions + res->noverridden;
	size_t len = 0;
	buf[0] = '\0';
	for (k = 0; k < total && len < n; k++) {
		const lr_action *a = &res->actions[k];
		if (k && strcmp(a->rule_id, res->actions[k - 1].rule_id) == 0)
			continue;
		if (a->overridden_by_id)
			len += (size_t)snprintf(buf + len, n - len, "%s%s (overridden by %s)", len ? ", " : "", a->rule_id,
						a->overridden_by_id);
		else
			len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? ", " : "", a->rule_id);
	}
	if (!len)
		snprintf(buf, n, "no rule");
	return buf;
}

/* The first action of rule with a dose (want 1), a schedule (2) or any
 * (0); among the live actions, or with want 3 among the overridden ones,
 * or with want 4 among both (the rule fired). */
static const lr_action *find_action(const lr_result *res, const char *rule, int want)
{
	uint32_t k, from = want == 3 ? res->nactions : 0;
	uint32_t to = want >= 3 ? res->nactions + res->noverridden : res->nactions;
	for (k = from; k < to; k++) {
		const lr_action *a = &res->actions[k];
		if (strcmp(a->rule_id, rule) != 0)
			continue;
		if (want == 1 && !a->has_dose)
			continue;
		if (want == 2 && !a->has_schedule && !a->has_due)
			continue;
		return a;
	}
	return NULL;
}

/* expect RULE due DATE [phase P]: one of the rule's live actions is due on
 * DATE: a schedule's next due date (in phase P when given), or the date
 * the action computes ("then order ... due DATE", without a phase). */
static int due_matches(const lr_result *res, const expectation *x)
{
	lr_date want = (lr_date)literal(x->date);
	uint32_t k;
	for (k = 0; k < res->nactions; k++) {
		const lr_action *a = &res->actions[k];
		if (strcmp(a->rule_id, x->what.name) != 0)
			continue;
		if (a->has_due && !x->phase && a->due == want)
			return 1;
		if (a->has_schedule && a->phase && a->next_due == want && (!x->phase || strcmp(x->phase, a->phase) == 0))
			return 1;
	}
	return 0;
}

static void check_expect(tctx *t, const expectation *x, const lr_result *res, int rc)
{
	char got[512], b1[40], b2[40];
	const lr_action *a;
	uint32_t k;
	int hit = 0;

	switch (x->kind) {
	case EXP_FIRES:
		if (!find_action(res, x->what.name, 4))
			fail(t, x, "expected %s to fire, got %s%s", x->what.name, fired_list(got, sizeof got, res),
			     rc == LR_ERANGE ? " (the record was rejected)" : "");
		break;
	case EXP_OVERRIDDEN:
		if (!find_action(res, x->what.name, 3))
			fail(t, x, "expected %s to fire and be overridden, got %s", x->what.name,
			     fired_list(got, sizeof got, res));
		break;
	case EXP_NOT_FIRES:
		if (find_action(res, x->what.name, 4))
			fail(t, x, "expected %s not to fire, got %s", x->what.name, fired_list(got, sizeof got, res));
		break;
	case EXP_DOSE: {
		lr_dec want;
		want.v = literal(x->amount);
		a = find_action(res, x->what.name, 1);
		lr_dec_format(b1, sizeof b1, want);
		if (!a) {
			fail(t, x, "expected %s to fire with dose %s, got %s", x->what.name, b1,
			     fired_list(got, sizeof got, res));
			break;
		}
		lr_dec_format(b2, sizeof b2, a->amount);
		if (lr_dec_cmp(a->amount, want) != 0 ||
		    (x->amount->type.kind == TY_NUM && !x->amount->type.unit_free && strcmp(x->amount->type.unit, a->unit) != 0))
			fail(t, x, "expected %s dose %s %s, got %s %s", x->what.name, b1,
			     x->amount->type.unit_free ? a->unit : x->amount->type.unit, b2, a->unit);
		break;
	}
	case EXP_DUE:
		if (due_matches(res, x))
			break;
		a = find_action(res, x->what.name, 2);
		lr_date_format(b1, sizeof b1, (lr_date)literal(x->date));
		if (a && !a->has_schedule) {
			lr_date_format(b2, sizeof b2, a->due);
			fail(t, x, "expected %s due %s%s%s, got due %s", x->what.name, b1, x->phase ? " in phase " : "",
			     x->phase ? x->phase : "", b2);
			break;
		}
		if (!a) {
			fail(t, x, "expected %s to fire with a next due date %s, got %s", x->what.name, b1,
			     fired_list(got, sizeof got, res));
			break;
		}
		if (!a->phase) {
			fail(t, x, "expected %s next due %s, got a completed schedule", x->what.name, b1);
			break;
		}
		lr_date_format(b2, sizeof b2, a->next_due);
		if (a->next_due != (lr_date)literal(x->date) || (x->phase && strcmp(x->phase, a->phase) != 0))
			fail(t, x, "expected %s next due %s%s%s, got %s in phase %s", x->what.name, b1,
			     x->phase ? " in phase " : "", x->phase ? x->phase : "", b2, a->phase);
		break;
	case EXP_MISSING:
		for (k = 0; k < res->nmissing; k++)
			if (strcmp(res->missing[k].name, x->what.name) == 0)
				hit = 1;
		if (!hit) {
			size_t len = 0;
			got[0] = '\0';
			for (k = 0; k < res->nmissing && len < sizeof got; k++)
				len += (size_t)snprintf(got + len, sizeof got - len, "%s%s", k ? ", " : "", res->missing[k].name);
			fail(t, x, "expected %s to be reported missing, got %s", x->what.name, len ? got : "nothing missing");
		}
		break;
	case EXP_ERROR:
		for (k = 0; k < res->nerrors; k++)
			if (res->errors[k].name && strcmp(res->errors[k].name, x->what.name) == 0)
				hit = 1;
		if (!hit)
			fail(t, x, "expected field %s to be rejected, got %s", x->what.name,
			     res->nerrors ? "errors for other fields" : "no error");
		break;
	}
}

static void mark_covered(tctx *t, const decl *ex, const lr_result *res)
{
	size_t i;
	for (i = 0; i < ex->expects.len; i++) {
		const expectation *x = ex->expects.items[i];
		int r;
		if (x->kind != EXP_FIRES && x->kind != EXP_DOSE && x->kind != EXP_DUE && x->kind != EXP_OVERRIDDEN)
			continue;
		r = lower_rule_index(t->lw, x->what.name);
		if (r >= 0 && find_action(res, x->what.name, 4)) {
			t->covered[r] = 1;
			/* Counted once per example, however many expectations name it. */
			if (t->cov && t->seen[r] != t->nex) {
				t->seen[r] = t->nex;
				t->cov->rule_hits[r]++;
			}
		}
	}
}

/* --run PATTERN: a glob (fnmatch) when it has a wildcard, else a substring. */
static int selected(const char *name, const char *pattern)
{
	if (!pattern)
		return 1;
	if (strpbrk(pattern, "*?["))
		return fnmatch(pattern, name, 0) == 0;
	return strstr(name, pattern) != NULL;
}

typedef struct {
	const char *run;   /* select examples by name; NULL: all */
	int verbose;       /* print "ok" lines for passing examples to msgs */
	test_msg **msgs;   /* per result: collected failure messages; NULL: none */
	cov_data *cov;     /* count rows and branches too (coverage.h); NULL: rules only */
} run_opts;

/* Runs one example (its record in *rec): its expectations, then the result's own bound. */
static void run_one(tctx *t, const decl *ex, lr_result *res, lr_record *rec)
{
	size_t j;
	int rc;
	cli_example_record(rec, t->lw, ex, t->a);
	rc = cli_evaluate(res, &t->lw->rs, rec);
	for (j = 0; j < ex->expects.len; j++)
		check_expect(t, ex->expects.items[j], res, rc);
	if (rc == LR_EFULL) {
		uint32_t line, col;
		t->failures++;
		src_position(ex->file, ex->id.loc.start, &line, &col);
		emit(t, arena_printf(t->a, "%s:%u: example %s: %u actions did not fit in the result (LR_EFULL)",
				     ex->file->path, (unsigned)line, ex->id.name, (unsigned)res->actions_dropped));
	}
}

static int run_examples(cli_examples *out, const compiled *c, FILE *msgs, const run_opts *o)
{
	tctx t;
	lr_action *acts;
	lr_missing *miss = NULL;
	uint32_t cap;
	size_t k, n = 0;
	arena *a = (arena *)&c->fe.a;

	memset(out, 0, sizeof(*out));
	/* Sized by the compiler's bound, so lr_eval never drops an action
	 * (LR_EFULL would fail the example anyway, as a check below says). */
	cap = lr_ruleset_max_actions(&c->lw.rs);
	cap = cap ? cap : 1;
	acts = malloc((size_t)cap * sizeof *acts);
	if (!acts)
		return -1;
	memset(&t, 0, sizeof t);
	t.lw = &c->lw;
	t.msgs = msgs;
	t.a = a;
	t.covered = arena_alloc(a, c->lw.rs.nrules + 1);
	t.cov = o->cov;
	t.seen = arena_alloc(a, sizeof(unsigned) * (c->lw.rs.nrules + 1));
	memset(t.seen, 0, sizeof(unsigned) * (c->lw.rs.nrules + 1));
	out->covered = t.covered;
	out->results = arena_alloc(a, sizeof(cli_example_result) * (c->fe.rs.decls.len + 1));
	for (k = 0; k < c->fe.rs.decls.len; k++) {
		const decl *ex = c->fe.rs.decls.items[k];
		lr_result res;
		lr_record rec;
		if (ex->kind != D_EXAMPLE || !selected(ex->id.name, o->run))
			continue;
		t.ex = ex;
		t.failures = 0;
		t.nex++;
		t.collect = o->msgs ? &o->msgs[n] : NULL;
		lr_result_init(&res, acts, cap);
		if (c->lw.rs.ninputs > LR_MISSING_INLINE) {
			if (!miss)
				miss = arena_alloc(a, (size_t)c->lw.rs.ninputs * sizeof *miss);
			lr_result_set_missing(&res, miss, c->lw.rs.ninputs);
		}
		run_one(&t, ex, &res, &rec);
		out->results[n].example = ex;
		out->results[n].failures = (unsigned)t.failures;
		n++;
		if (t.failures) {
			out->failed++;
			if (o->cov)
				o->cov->failed++;
		} else {
			out->passed++;
			mark_covered(&t, ex, &res);
			if (o->cov)
				cov_record(o->cov, &rec);
			if (o->verbose && msgs) {
				uint32_t line, col;
				src_position(ex->file, ex->id.loc.start, &line, &col);
				fprintf(msgs, "%s:%u: example %s: ok\n", ex->file->path, (unsigned)line, ex->id.name);
			}
		}
	}
	out->nresults = n;
	for (k = 0; k < c->lw.rs.nrules; k++)
		if (!t.covered[k])
			out->uncovered++;
	free(acts);
	return 0;
}

int cli_run_examples(cli_examples *out, const compiled *c, FILE *msgs)
{
	run_opts o;
	memset(&o, 0, sizeof o);
	return run_examples(out, c, msgs, &o);
}

int cli_run_examples_cov(cli_examples *out, const compiled *c, cov_data *cov)
{
	run_opts o;
	memset(&o, 0, sizeof o);
	o.cov = cov;
	return run_examples(out, c, NULL, &o);
}

typedef struct {
	int coverage, verbose;
	int detail;        /* --coverage: rows and branches too (cov_report.h) */
	const char *format, *run;
	char **paths;
	int npaths;
} test_args;

static const char test_usage[] =
	"usage: litrule test [--format text|json|junit] [-v] [--run PATTERN] [--no-coverage] [--coverage] PATH...\n";

/* The options after the front end's; 0, or 2 after printing why not. */
static int test_parse(test_args *ta, int n, char **argv)
{
	int i;
	ta->coverage = 1;
	ta->format = "text";
	for (i = 0; i < n; i++) {
		if (strcmp(argv[i], "--no-coverage") == 0) {
			ta->coverage = 0;
		} else if (strcmp(argv[i], "--coverage") == 0) {
			ta->detail = 1;
		} else if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--verbose") == 0) {
			ta->verbose = 1;
		} else if (strcmp(argv[i], "--format") == 0 || strcmp(argv[i], "--run") == 0) {
			if (i + 1 >= n) {
				fprintf(stderr, "litrule test: %s needs a value\n%s", argv[i], test_usage);
				return 2;
			}
			if (argv[i][2] == 'f')
				ta->format = argv[++i];
			else
				ta->run = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			/* Not a file to read: a misspelt option is a usage error. */
			fprintf(stderr, "litrule test: unknown option '%s'\n%s", argv[i], test_usage);
			return 2;
		} else {
			ta->paths[ta->npaths++] = argv[i];
		}
	}
	if (strcmp(ta->format, "text") != 0 && strcmp(ta->format, "json") != 0 && strcmp(ta->format, "junit") != 0) {
		fprintf(stderr, "litrule test: unknown format '%s' (text, json or junit)\n", ta->format);
		return 2;
	}
	if (ta->npaths == 0) {
		fputs(test_usage, stderr);
		return 2;
	}
	return 0;
}

/* Today's text report after the examples' own lines. */
static void text_summary(const compiled *c, const cli_examples *ex, const test_args *ta, int judged)
{
	size_t k;
	if (judged)
		for (k = 0; k < c->lw.rs.nrules; k++)
			if (!ex->covered[k]) {
				const lr_rule_def *r = &c->lw.rs.rules[k];
				printf("%s:%u: rule %s: no passing example shows this rule firing\n", r->file,
				       (unsigned)r->line, r->id);
			}
	if (judged)
		printf("coverage: %u of %u rules shown firing by an example\n",
		       (unsigned)(c->lw.rs.nrules - ex->uncovered), (unsigned)c->lw.rs.nrules);
	else if (ta->run && ta->coverage)
		printf("coverage: not judged (--run %s selects examples)\n", ta->run);
	printf("%u passed, %u failed\n", (unsigned)ex->passed, (unsigned)ex->failed);
}

static int test_report_out(const compiled *c, const cli_examples *ex, const test_args *ta, test_msg **msgs,
			   int judged, const cov_data *cov)
{
	test_report r;
	r.cov = cov;
	r.c = c;
	r.ex = ex;
	r.msgs = msgs;
	r.judged = judged;
	r.run = ta->run;
	if (strcmp(ta->format, "json") == 0)
		return test_report_json(stdout, &r);
	if (strcmp(ta->format, "junit") == 0)
		test_report_junit(stdout, &r);
	else {
		if (cov)
			cov_report_text(stdout, cov);
		text_summary(c, ex, ta, judged);
	}
	return 0;
}

int cli_test(int argc, char **argv)
{
	fe_opts o;
	compiled c;
	cli_examples ex;
	test_args ta;
	run_opts ro;
	cov_data cov;
	int n, rc, text, judged;

	memset(&ta, 0, sizeof ta);
	ta.paths = calloc((size_t)argc + 1, sizeof(char *));
	n = cli_frontend_opts(&o, argc, argv);
	if (n < 0 || !ta.paths) {
		free(ta.paths);
		return 2;
	}
	if ((rc = test_parse(&ta, n, argv)) != 0) {
		free(ta.paths);
		return rc;
	}
	if (cli_compile(&c, &o, ta.npaths, ta.paths) != 0) {
		cli_compiled_free(&c);
		free(ta.paths);
		return 1;
	}
	text = strcmp(ta.format, "text") == 0;
	memset(&ro, 0, sizeof ro);
	ro.run = ta.run;
	ro.verbose = ta.verbose;
	if (!text)
		ro.msgs = arena_alloc(&c.fe.a, sizeof(test_msg *) * (c.fe.rs.decls.len + 1));
	memset(&cov, 0, sizeof cov);
	ro.cov = ta.detail ? &cov : NULL;
	if (ro.cov && cov_init(ro.cov, &c.lw, &c.fe.a) != 0)
		rc = -1;
	else
		rc = run_examples(&ex, &c, text ? stdout : NULL, &ro);
	if (rc == 0 && ta.run && ex.nresults == 0) {
		fprintf(stderr, "litrule test: no example's name matches '%s'\n", ta.run);
		rc = 1;
	} else {
		/* A selection leaves rules unshown by design: coverage is not judged. */
		judged = ta.coverage && !ta.run;
		if (rc != 0 || test_report_out(&c, &ex, &ta, ro.msgs, judged, ro.cov) != 0) {
			fprintf(stderr, "litrule: out of memory\n");
			rc = 1;
		} else {
			rc = ex.failed || (judged && ex.uncovered) ? 1 : 0;
		}
	}
	cov_free(&cov);
	cli_compiled_free(&c);
	free(ta.paths);
	return rc;
}
