/*
** test_report.c: `litrule test --format json` and `--format junit`.
**
** Both are written from the results cli_test.c collected; neither
** carries a timestamp, host name or duration, so the same rule files give
** the same bytes (a CI system's own upload records when it ran).
** The layouts are described in docs/testing.md.
*/
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cov_report.h"
#include "test_report.h"

static uint32_t example_line(const decl *ex)
{
	uint32_t line, col;
	src_position(ex->file, ex->id.loc.start, &line, &col);
	return line;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *json_ident(const lr_ruleset *rs)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", str_or_null(rs->name));
	json_object_set_new(o, "version", str_or_null(rs->version));
	json_object_set_new(o, "hash", str_or_null(rs->hash));
	json_object_set_new(o, "commit", str_or_null(rs->commit));
	return o;
}

static json_t *json_examples(const test_report *r)
{
	json_t *arr = json_array();
	size_t i;
	for (i = 0; i < r->ex->nresults; i++) {
		const cli_example_result *er = &r->ex->results[i];
		json_t *o = json_object(), *f = json_array();
		const test_msg *m;
		json_object_set_new(o, "name", json_string(er->example->id.name));
		json_object_set_new(o, "file", json_string(er->example->file->path));
		json_object_set_new(o, "line", json_integer(example_line(er->example)));
		json_object_set_new(o, "status", json_string(er->failures ? "failed" : "passed"));
		for (m = r->msgs[i]; m; m = m->next)
			json_array_append_new(f, json_string(m->text));
		json_object_set_new(o, "failures", f);
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *json_coverage(const test_report *r)
{
	const lr_ruleset *rs = &r->c->lw.rs;
	json_t *o = json_object(), *u = json_array();
	uint32_t k;
	json_object_set_new(o, "judged", json_boolean(r->judged));
	json_object_set_new(o, "rules", json_integer(rs->nrules));
	json_object_set_new(o, "covered", json_integer(rs->nrules - r->ex->uncovered));
	for (k = 0; k < rs->nrules; k++)
		if (!r->ex->covered[k])
			json_array_append_new(u, json_string(rs->rules[k].id));
	json_object_set_new(o, "uncovered", u);
	if (r->cov)
		json_object_set_new(o, "detail", cov_report_json(r->cov));
	return o;
}

int test_report_json(FILE *out, const test_report *r)
{
	json_t *doc = json_object(), *tot = json_object();
	char *s;
	json_object_set_new(doc, "ruleset", json_ident(&r->c->lw.rs));
	json_object_set_new(doc, "run", str_or_null(r->run));
	json_object_set_new(doc, "examples", json_examples(r));
	json_object_set_new(doc, "coverage", json_coverage(r));
	json_object_set_new(tot, "examples", json_integer((json_int_t)r->ex->nresults));
	json_object_set_new(tot, "passed", json_integer(r->ex->passed));
	json_object_set_new(tot, "failed", json_integer(r->ex->failed));
	json_object_set_new(tot, "uncovered", json_integer(r->judged ? r->ex->uncovered : 0));
	json_object_set_new(doc, "totals", tot);
	s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	json_decref(doc);
	if (!s)
		return -1;
	fputs(s, out);
	fputc('\n', out);
	free(s);
	return 0;
}

/* Writes s as XML character data or an attribute value.  Characters XML 1.0
 * cannot carry (controls other than tab and newline) become '?'; a newline
 * in an attribute is kept as a reference, so parsers do not fold it. */
static void xml_put(FILE *out, const char *s, int attr)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '&')
			fputs("&amp;", out);
		else if (ch == '<')
			fputs("&lt;", out);
		else if (ch == '>')
			fputs("&gt;", out);
		else if (ch == '"')
			fputs("&quot;", out);
		else if (ch == '\'')
			fputs("&apos;", out);
		else if (ch == '\n' && attr)
			fputs("&#10;", out);
		else if (ch < 0x20 && ch != '\t' && ch != '\n')
			fputc('?', out);
		else
			fputc(ch, out);
	}
}

static void junit_failure(FILE *out, const test_msg *m, unsigned nfail)
{
	const test_msg *p;
	fputs("      <failure type=\"expectation\" message=\"", out);
	for (p = m; p; p = p->next) {
		xml_put(out, p->text, 1);
		if (p->next)
			fputs("&#10;", out);
	}
	if (!m)
		fprintf(out, "%u expectations not met", nfail);
	fputs("\">", out);
	for (p = m; p; p = p->next) {
		xml_put(out, p->text, 0);
		fputc('\n', out);
	}
	fputs("</failure>\n", out);
}

static void junit_examples(FILE *out, const test_report *r, const char *name)
{
	size_t i;
	fputs("  <testsuite name=\"", out);
	xml_put(out, name, 1);
	fprintf(out, "\" tests=\"%u\" failures=\"%u\" errors=\"0\" skipped=\"0\">\n",
		(unsigned)r->ex->nresults, r->ex->failed);
	for (i = 0; i < r->ex->nresults; i++) {
		const decl *ex = r->ex->results[i].example;
		fputs("    <testcase name=\"", out);
		xml_put(out, ex->id.name, 1);
		fputs("\" classname=\"", out);
		xml_put(out, ex->file->path, 1);
		fputs("\" file=\"", out);
		xml_put(out, ex->file->path, 1);
		fprintf(out, "\" line=\"%u\"", (unsigned)example_line(ex));
		if (!r->ex->results[i].failures) {
			fputs("/>\n", out);
			continue;
		}
		fputs(">\n", out);
		junit_failure(out, r->msgs[i], r->ex->results[i].failures);
		fputs("    </testcase>\n", out);
	}
	fputs("  </testsuite>\n", out);
}

/* One failed testcase per rule no passing example shows firing. */
static void junit_coverage(FILE *out, const test_report *r)
{
	const lr_ruleset *rs = &r->c->lw.rs;
	uint32_t k;
	fprintf(out, "  <testsuite name=\"coverage\" tests=\"%u\" failures=\"%u\" errors=\"0\" skipped=\"0\">\n",
		(unsigned)r->ex->uncovered, (unsigned)r->ex->uncovered);
	for (k = 0; k < rs->nrules; k++) {
		const lr_rule_def *d = &rs->rules[k];
		char msg[64];
		if (r->ex->covered[k])
			continue;
		fputs("    <testcase name=\"", out);
		xml_put(out, d->id, 1);
		fputs("\" classname=\"", out);
		xml_put(out, d->file, 1);
		fputs("\" file=\"", out);
		xml_put(out, d->file, 1);
		fprintf(out, "\" line=\"%u\">\n", (unsigned)d->line);
		snprintf(msg, sizeof msg, "%u", (unsigned)d->line);
		fputs("      <failure type=\"coverage\" message=\"", out);
		xml_put(out, d->file, 1);
		fprintf(out, ":%s: rule ", msg);
		xml_put(out, d->id, 1);
		fputs(": no passing example shows this rule firing\"/>\n    </testcase>\n", out);
	}
	fputs("  </testsuite>\n", out);
}

void test_report_junit(FILE *out, const test_report *r)
{
	const lr_ruleset *rs = &r->c->lw.rs;
	const char *name = rs->name ? rs->name : "litrule";
	unsigned tests = (unsigned)r->ex->nresults, failures = r->ex->failed;
	if (r->judged) {
		tests += r->ex->uncovered;
		failures += r->ex->uncovered;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"", out);
	xml_put(out, name, 1);
	fprintf(out, "\" tests=\"%u\" failures=\"%u\" errors=\"0\">\n", tests, failures);
	junit_examples(out, r, name);
	if (r->judged)
		junit_coverage(out, r);
	fputs("</testsuites>\n", out);
}
