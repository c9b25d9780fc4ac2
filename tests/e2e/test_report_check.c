/*
** test_report_check.c: validates `litrule test --format json` output for
** tests/e2e/sections/test-formats.sh (jansson, no jq needed).
**
**   test_report_check EXAMPLES PASSED FAILED UNCOVERED < report.json
**
** Exits 0 when standard input is one JSON object of the shape
** docs/testing.md describes: "ruleset" {name, hash}, "examples" an array
** of {name, file, line >= 1, status "passed"|"failed", failures [strings],
** non-empty exactly when failed}, "coverage" {judged, rules, covered,
** uncovered [strings]} and "totals" with the counts given as arguments
** (UNCOVERED is the length of coverage.uncovered).  Prints the first
** problem found.
*/
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int bad(const char *what)
{
	printf("test_report_check: %s\n", what);
	return 1;
}

static int check_example(json_t *e, long *passed, long *failed)
{
	const char *st = json_string_value(json_object_get(e, "status"));
	json_t *f = json_object_get(e, "failures");
	size_t i;
	if (!json_is_string(json_object_get(e, "name")) || !json_is_string(json_object_get(e, "file")))
		return bad("example without a string name and file");
	if (!json_is_integer(json_object_get(e, "line")) || json_integer_value(json_object_get(e, "line")) < 1)
		return bad("example line is not an integer >= 1");
	if (!st || !json_is_array(f))
		return bad("example without status or failures array");
	for (i = 0; i < json_array_size(f); i++)
		if (!json_is_string(json_array_get(f, i)))
			return bad("a failure is not a string");
	if (strcmp(st, "passed") == 0 && json_array_size(f) == 0)
		++*passed;
	else if (strcmp(st, "failed") == 0 && json_array_size(f) > 0)
		++*failed;
	else
		return bad("status does not agree with failures");
	return 0;
}

int main(int argc, char **argv)
{
	json_error_t err;
	json_t *doc = json_loadf(stdin, 0, &err), *ex, *cov, *tot, *id;
	long passed = 0, failed = 0;
	size_t i;
	if (argc != 5)
		return bad("usage: test_report_check EXAMPLES PASSED FAILED UNCOVERED");
	if (!doc || !json_is_object(doc))
		return bad(doc ? "not an object" : err.text);
	id = json_object_get(doc, "ruleset");
	ex = json_object_get(doc, "examples");
	cov = json_object_get(doc, "coverage");
	tot = json_object_get(doc, "totals");
	if (!json_is_string(json_object_get(id, "name")) || !json_is_string(json_object_get(id, "hash")))
		return bad("ruleset without name and hash");
	if (!json_is_array(ex) || !json_is_object(cov) || !json_is_object(tot))
		return bad("missing examples, coverage or totals");
	for (i = 0; i < json_array_size(ex); i++)
		if (check_example(json_array_get(ex, i), &passed, &failed))
			return 1;
	if (!json_is_boolean(json_object_get(cov, "judged")) || !json_is_integer(json_object_get(cov, "rules")) ||
	    !json_is_integer(json_object_get(cov, "covered")) || !json_is_array(json_object_get(cov, "uncovered")))
		return bad("coverage of the wrong shape");
	if ((long)json_array_size(ex) != atol(argv[1]) || passed != atol(argv[2]) || failed != atol(argv[3]) ||
	    (long)json_array_size(json_object_get(cov, "uncovered")) != atol(argv[4]))
		return bad("counts differ from the expected ones");
	if (json_integer_value(json_object_get(tot, "examples")) != atol(argv[1]) ||
	    json_integer_value(json_object_get(tot, "passed")) != passed ||
	    json_integer_value(json_object_get(tot, "failed")) != failed)
		return bad("totals differ from the examples");
	json_decref(doc);
	return 0;
}
