/*
** cov_report.h: `litrule test --coverage`: what each rule, table row and
** and/or operand the passing examples cover (compiler/coverage.h), as
** text lines and as the "detail" of the JSON report's coverage object.
*/
#ifndef LRC_COV_REPORT_H
#define LRC_COV_REPORT_H

#include <stdio.h>

#include <jansson.h>

#include "coverage.h"

/** One line per rule, row and operand, then the totals line
 ** "coverage: rules 3/3, rows 2/3, branches 7/8". */
void cov_report_text(FILE *out, const cov_data *cv);
/** {"rules": {"covered", "total", "items"}, "rows": {...}, "branches": {...}} */
json_t *cov_report_json(const cov_data *cv);

#endif
