/*
** test_report.h: the machine-readable reports of `litrule test`
** (--format json and --format junit), written from the examples' results
** and the failure messages collected while they ran (cli_test.c).
*/
#ifndef LRC_TEST_REPORT_H
#define LRC_TEST_REPORT_H

#include <stdio.h>

#include "cli_common.h"

/* One failure message, exactly the line the text report prints. */
typedef struct test_msg {
	const char *text;
	struct test_msg *next;
} test_msg;

typedef struct {
	const compiled *c;
	const cli_examples *ex;
	test_msg *const *msgs;  /* per result of ex, its failure messages */
	int judged;             /* 1: uncovered rules count as failures */
	const char *run;        /* the --run pattern, or NULL */
	const cov_data *cov;    /* --coverage: rows and branches too; NULL: not measured */
} test_report;

/** One JSON document (docs/testing.md).  Returns 0, or -1 on OOM. */
int test_report_json(FILE *out, const test_report *r);
/** JUnit XML, deterministic: no timestamps or host names. */
void test_report_junit(FILE *out, const test_report *r);

#endif
