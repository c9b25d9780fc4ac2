/*
** report.h: the audit report's pure parts (au_report_*): digests and
** dates as the report writes them, the report's canonical bytes, the
** change section against the previous report, the Markdown rendering
** for people, and the checks `litrule audit verify` makes on one link
** of the chain.  Everything here is a function of its arguments (no
** repository access, no clock), so reports are byte-for-byte
** reproducible; the format is documented in docs/audit.md.
**
** Conventions as in repo.h: 0 or a negative au_code with au_error_last().
*/
#ifndef AU_REPORT_H
#define AU_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "error.h"

#define AU_REPORT_TYPE "https://in-toto.io/Statement/v1"
#define AU_REPORT_PREDICATE "urn:litrule:audit-report:v1"
#define AU_REPORT_JSON "report.json"
#define AU_REPORT_MD "report.md"
#define AU_REPORT_SUBJECT "litrule audit "   /* + 40-hex audited commit */

/* Lower-case hex SHA-256 of `size` bytes. */
void au_report_sha256(char out[65], const void *data, size_t size);

/* "2024-02-01T10:00:00+01:00": `t` (seconds since the epoch) shown at
** `offset` minutes east of UTC, as git shows an author date. */
void au_report_date(char out[32], int64_t t, int offset);

/* The report bytes of a JSON value: two-space indentation, members in
** insertion order, a final LF.  malloc'd (NUL-terminated); NULL when
** out of memory. */
char *au_report_dump(const json_t *v, size_t *len);

/* The "changes" section of a report whose rules are `rules` (the
** predicate's array), against the previous report's predicate `prev`
** (NULL for the first report): rules added, removed and changed (text,
** citations, place), by id, each list sorted by id.  "outcomes" is null:
** the place where the semantic diff adds changed decisions.  New
** reference; NULL when out of memory. */
json_t *au_report_changes(const json_t *prev, const json_t *rules);

/* The report for people: a Markdown text rendering every field of the
** in-toto statement `st` (which must be a litrule report).  malloc'd,
** NULL when out of memory. */
char *au_report_markdown(const json_t *st, size_t *len);

/* The audited commit named by a report commit's message ("litrule audit
** <hex>" on the first line): 0 with out filled, or AU_EINVALID. */
int au_report_message_commit(char out[41], const char *message);

/* Checks one link of the chain: the statement `st` (parsed report.json)
** records previous.commit == parent_hex and previous.report_sha256 ==
** the SHA-256 of the parent's report.json bytes; for the first report
** (parent_hex NULL) both must be null.  0, or AU_EINVALID with the
** reason in au_error_last(). */
int au_report_check_link(const json_t *st, const char *parent_hex, const void *parent_json,
			 size_t parent_size);

#endif
