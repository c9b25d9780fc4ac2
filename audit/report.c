/*
** report.c: the audit report's pure parts (report.h): digests, dates,
** canonical bytes, the change section, the Markdown rendering and the
** link check of `audit verify`.  No repository access and no clock, so
** the same inputs always give the same bytes.
*/
#include "report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

void au_report_sha256(char out[65], const void *data, size_t size)
{
	unsigned char dig[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	EVP_Digest(data, size, dig, &n, EVP_sha256(), NULL);
	for (i = 0; i < n && i < 32; i++)
		sprintf(out + 2 * i, "%02x", dig[i]);
	out[64] = '\0';
}

void au_report_date(char out[32], int64_t t, int offset)
{
	time_t s = (time_t)(t + (int64_t)offset * 60);
	struct tm tm;
	int a = offset < 0 ? -offset : offset;
	char wide[96];

	if (!gmtime_r(&s, &tm)) {
		snprintf(out, 32, "@%lld", (long long)t);
		return;
	}
	/* Through a wide buffer: the compiler cannot bound tm_year. */
	snprintf(wide, sizeof wide, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, offset < 0 ? '-' : '+', (a / 60) % 100, a % 60);
	wide[31] = '\0';
	memcpy(out, wide, 32);
}

typedef struct {
	char *p;
	size_t len, cap;
	int oom;
} buf;

static int buf_append(const char *s, size_t n, void *data)
{
	buf *b = data;
	if (b->oom)
		return -1;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;
		while (cap < b->len + n + 1)
			cap *= 2;
		if (!(p = realloc(b->p, cap))) {
			b->oom = 1;
			return -1;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

static void bputs(buf *b, const char *s)
{
	buf_append(s, strlen(s), b);
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void bprintf(buf *b, const char *fmt, ...)
{
	va_list ap;
	char small[256], *big;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		buf_append(small, (size_t)n, b);
		return;
	}
	if (!(big = malloc((size_t)n + 1))) {
		b->oom = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	buf_append(big, (size_t)n, b);
	free(big);
}

static char *buf_finish(buf *b, size_t *len)
{
	if (b->oom || !b->p) {
		free(b->p);
		return NULL;
	}
	if (len)
		*len = b->len;
	return b->p;
}

char *au_report_dump(const json_t *v, size_t *len)
{
	buf b = { NULL, 0, 0, 0 };

	if (json_dump_callback(v, buf_append, &b, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
		b.oom = 1;
	buf_append("\n", 1, &b);
	return buf_finish(&b, len);
}

/* ---- changes ------------------------------------------------------------ */

static const json_t *find_rule(const json_t *rules, const char *id)
{
	size_t i;
	const json_t *r;

	json_array_foreach(rules, i, r) {
		const char *rid = json_string_value(json_object_get(r, "id"));
		if (rid && strcmp(rid, id) == 0)
			return r;
	}
	return NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The ids of `rules` missing from `other`, sorted, appended to `out`. */
static int missing_ids(json_t *out, const json_t *rules, const json_t *other)
{
	size_t i, n = 0, k;
	const json_t *r;
	const char **ids = malloc((json_array_size(rules) + 1) * sizeof(char *));

	if (!ids)
		return -1;
	json_array_foreach(rules, i, r) {
		const char *id = json_string_value(json_object_get(r, "id"));
		if (id && !find_rule(other, id))
			ids[n++] = id;
	}
	qsort(ids, n, sizeof(char *), cmp_str);
	for (k = 0; k < n; k++)
		json_array_append_new(out, json_string(ids[k]));
	free(ids);
	return 0;
}

static int same_member(const json_t *a, const json_t *b, const char *key)
{
	return json_equal(json_object_get(a, key), json_object_get(b, key));
}

static int changed_rules(json_t *out, const json_t *prev_rules, const json_t *rules)
{
	size_t i, n = 0, k;
	const json_t *r;
	const json_t **list = malloc((json_array_size(rules) + 1) * sizeof(json_t *));

	if (!list)
		return -1;
	json_array_foreach(rules, i, r) {
		const char *id = json_string_value(json_object_get(r, "id"));
		const json_t *p = id ? find_rule(prev_rules, id) : NULL;
		if (p && (!same_member(p, r, "text_sha256") || !same_member(p, r, "citations") ||
			  !same_member(p, r, "file") || !same_member(p, r, "headings")))
			list[n++] = r;
	}
	/* Sorted by id, like the other lists. */
	for (i = 1; i < n; i++)
		for (k = i; k > 0 && strcmp(json_string_value(json_object_get(list[k - 1], "id")),
					    json_string_value(json_object_get(list[k], "id"))) > 0; k--) {
			const json_t *t = list[k];
			list[k] = list[k - 1];
			list[k - 1] = t;
		}
	for (k = 0; k < n; k++) {
		const char *id = json_string_value(json_object_get(list[k], "id"));
		const json_t *p = find_rule(prev_rules, id);
		json_t *c = json_object(), *what = json_array();
		if (!same_member(p, list[k], "text_sha256"))
			json_array_append_new(what, json_string("text"));
		if (!same_member(p, list[k], "citations"))
			json_array_append_new(what, json_string("citations"));
		if (!same_member(p, list[k], "file") || !same_member(p, list[k], "headings"))
			json_array_append_new(what, json_string("place"));
		json_object_set_new(c, "id", json_string(id));
		json_object_set_new(c, "what", what);
		json_object_set(c, "before", json_object_get(p, "file"));
		json_object_set_new(c, "before_line", json_deep_copy(json_object_get(p, "line")));
		json_array_append_new(out, c);
	}
	free(list);
	return 0;
}

json_t *au_report_changes(const json_t *prev, const json_t *rules)
{
	json_t *c = json_object(), *added = json_array(), *removed = json_array(), *changed = json_array();
	const json_t *prules = prev ? json_object_get(prev, "rules") : NULL;
	const json_t *pid = prev ? json_object_get(prev, "identity") : NULL;

	if (!c || !added || !removed || !changed)
		goto oom;
	json_object_set_new(c, "against", pid ? json_deep_copy(json_object_get(pid, "commit")) : json_null());
	if (prules && json_is_array(prules)) {
		if (missing_ids(added, rules, prules) || missing_ids(removed, prules, rules) ||
		    changed_rules(changed, prules, rules))
			goto oom;
	}
	json_object_set_new(c, "added", added);
	json_object_set_new(c, "removed", removed);
	json_object_set_new(c, "changed", changed);
	/* Filled by the semantic diff (issue 8, item 1): decisions that differ. */
	json_object_set_new(c, "outcomes", json_null());
	return c;
oom:
	json_decref(c);
	json_decref(added);
	json_decref(removed);
	json_decref(changed);
	return NULL;
}

/* ---- Markdown ----------------------------------------------------------- */

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static long long num(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

/* Text for a table cell or a line: newlines and '|' would break the layout. */
static void bcell(buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			bputs(b, "\\|");
		else if (*s == '\n' || *s == '\r')
			bputs(b, " ");
		else
			buf_append(s, 1, b);
	}
}

static void md_identity(buf *b, const json_t *p)
{
	const json_t *id = json_object_get(p, "identity"), *prev = json_object_get(p, "previous");

	bprintf(b, "# Audit report: %s %s\n\n", str(id, "name"), str(id, "version"));
	bprintf(b, "The rule set under `%s` as committed in `%s`. Everything below was read from git\n"
		   "objects at that commit, never from a working tree.\n\n",
		*str(p, "path") ? str(p, "path") : ".", str(id, "commit"));
	bputs(b, "| What | Value |\n|---|---|\n");
	bprintf(b, "| Audited commit | `%s` |\n| Its tree | `%s` |\n", str(id, "commit"), str(id, "tree"));
	bprintf(b, "| Rule-set content hash (SHA-256) | `%s` |\n", str(id, "ruleset_hash"));
	bprintf(b, "| Generated C (SHA-256) | `%s` |\n", str(id, "c_sha256"));
	bprintf(b, "| Toolchain | litrule %s |\n", str(id, "toolchain"));
	if (json_is_string(json_object_get(prev, "commit")))
		bprintf(b, "| Previous report | audit commit `%s`, report.json SHA-256 `%s` |\n\n",
			str(prev, "commit"), str(prev, "report_sha256"));
	else
		bputs(b, "| Previous report | none: this is the first report of the chain |\n\n");
}

static void md_check(buf *b, const json_t *p)
{
	const json_t *c = json_object_get(p, "check"), *d;
	size_t i;

	bprintf(b, "## Check\n\n%lld errors, %lld warnings.\n\n", num(c, "errors"), num(c, "warnings"));
	json_array_foreach(json_object_get(c, "diagnostics"), i, d) {
		bprintf(b, "- `%s:%lld:%lld` %s [%s]: ", str(d, "file"), num(d, "line"), num(d, "column"),
			str(d, "severity"), str(d, "id"));
		bcell(b, str(d, "message"));
		bputs(b, "\n");
	}
	if (json_array_size(json_object_get(c, "diagnostics")))
		bputs(b, "\n");
}

static void md_examples(buf *b, const json_t *p)
{
	const json_t *e = json_object_get(p, "examples"), *r;
	size_t i;

	bprintf(b, "## Examples\n\n%lld passed, %lld failed.", num(e, "passed"), num(e, "failed"));
	if (json_array_size(json_object_get(e, "uncovered"))) {
		bputs(b, " Rules that no passing example shows firing:");
		json_array_foreach(json_object_get(e, "uncovered"), i, r)
			bprintf(b, "%s `%s`", i ? "," : "", json_string_value(r));
		bputs(b, ".");
	}
	bputs(b, "\n\n");
	if (!json_array_size(json_object_get(e, "results")))
		return;
	bputs(b, "| Example | Where | Result |\n|---|---|---|\n");
	json_array_foreach(json_object_get(e, "results"), i, r)
		bprintf(b, "| %s | `%s:%lld` | %s |\n", str(r, "name"), str(r, "file"), num(r, "line"),
			json_is_true(json_object_get(r, "passed")) ? "passed" : "**failed**");
	bputs(b, "\n");
}

static void md_list(buf *b, const char *label, const json_t *a)
{
	size_t i;
	const json_t *v;

	bprintf(b, "- %s:", label);
	if (!json_array_size(a))
		bputs(b, " none");
	json_array_foreach(a, i, v)
		bprintf(b, "%s `%s`", i ? "," : "", json_is_string(v) ? json_string_value(v) : str(v, "id"));
	bputs(b, "\n");
}

/* The outcome changes (litrule diff's "outcomes", docs/diff.md): how many
 * patients of the corpus decide differently, by the rules that changed.
 * The patients themselves are in report.json. */
static void md_outcomes(buf *b, const json_t *o)
{
	const json_t *corpus = json_object_get(o, "corpus"), *g;
	size_t i;

	if (json_is_string(o)) {
		bprintf(b, "Outcome changes: %s.\n\n", json_string_value(o));
		return;
	}
	if (!json_is_object(o))
		return;
	bprintf(b, "Outcome changes: %lld of the patients evaluated decide differently (corpus: %lld examples, "
		   "%lld boundary, %lld missing-value and %lld random patients; seed %s).\n\n",
		(long long)json_integer_value(json_object_get(o, "differ")),
		(long long)json_integer_value(json_object_get(corpus, "examples")),
		(long long)json_integer_value(json_object_get(corpus, "boundary")),
		(long long)json_integer_value(json_object_get(corpus, "missing")),
		(long long)json_integer_value(json_object_get(corpus, "random")), str(o, "seed"));
	json_array_foreach(json_object_get(o, "groups"), i, g)
		bprintf(b, "- %lld patients: changed `%s`\n", (long long)json_integer_value(json_object_get(g, "count")),
			str(g, "changed"));
	if (json_array_size(json_object_get(o, "groups")))
		bputs(b, "\n");
}

static void md_changes(buf *b, const json_t *p)
{
	const json_t *c = json_object_get(p, "changes"), *v;
	size_t i;

	bputs(b, "## Changes since the previous audit\n\n");
	if (!json_is_string(json_object_get(c, "against"))) {
		bputs(b, "None to show: no earlier report in the chain.\n\n");
		return;
	}
	bprintf(b, "Against the rules audited at commit `%s`:\n\n", str(c, "against"));
	md_list(b, "Rules added", json_object_get(c, "added"));
	md_list(b, "Rules removed", json_object_get(c, "removed"));
	md_list(b, "Rules changed", json_object_get(c, "changed"));
	json_array_foreach(json_object_get(c, "changed"), i, v) {
		size_t k;
		const json_t *w;
		bprintf(b, "  - `%s`: changed", str(v, "id"));
		json_array_foreach(json_object_get(v, "what"), k, w)
			bprintf(b, "%s %s", k ? "," : "", json_string_value(w));
		bputs(b, "\n");
	}
	bputs(b, "\n");
	md_outcomes(b, json_object_get(c, "outcomes"));
}

static void md_change(buf *b, const json_t *ch)
{
	bprintf(b, "`%.12s` by %s <%s> on %s: ", str(ch, "commit"), str(ch, "author"), str(ch, "email"),
		str(ch, "date"));
	bcell(b, str(ch, "subject"));
}

static void md_rule(buf *b, const json_t *r)
{
	const json_t *v, *last = json_object_get(r, "last_change");
	size_t i;

	bprintf(b, "### %s: ", str(r, "id"));
	bcell(b, str(r, "title"));
	bprintf(b, "\n\n- Where: `%s`, lines %lld to %lld", str(r, "file"), num(r, "line"), num(r, "end_line"));
	if (*str(r, "headings")) {
		bputs(b, ", under ");
		bcell(b, str(r, "headings"));
	}
	bputs(b, "\n- Last change: ");
	md_change(b, last);
	bprintf(b, "\n- Commits that touched these lines (%zu), newest first:\n",
		json_array_size(json_object_get(r, "commits")));
	json_array_foreach(json_object_get(r, "commits"), i, v) {
		bputs(b, "  - ");
		md_change(b, v);
		bputs(b, "\n");
	}
	bputs(b, "- Reviewed by:");
	if (!json_array_size(json_object_get(r, "reviewers")))
		bputs(b, " nobody");
	json_array_foreach(json_object_get(r, "reviewers"), i, v) {
		bputs(b, i ? ", " : " ");
		bcell(b, json_string_value(v));
	}
	if (json_is_true(json_object_get(r, "unreviewed")))
		bputs(b, "\n- **Unreviewed**: the last change has no reviewer other than its author");
	bputs(b, "\n- Citations:");
	if (!json_array_size(json_object_get(r, "citations")))
		bputs(b, " none");
	bputs(b, "\n");
	json_array_foreach(json_object_get(r, "citations"), i, v) {
		bprintf(b, "  - %s, at %s: \"", str(v, "source"), str(v, "locator"));
		bcell(b, str(v, "quote"));
		bputs(b, "\"\n");
	}
	bputs(b, "\n");
}

char *au_report_markdown(const json_t *st, size_t *len)
{
	buf b = { NULL, 0, 0, 0 };
	const json_t *p = json_object_get(st, "predicate"), *r;
	size_t i, unrev = 0;

	md_identity(&b, p);
	json_array_foreach(json_object_get(p, "rules"), i, r)
		unrev += json_is_true(json_object_get(r, "unreviewed"));
	bprintf(&b, "%zu rules; %zu unreviewed.\n\n", json_array_size(json_object_get(p, "rules")), unrev);
	md_check(&b, p);
	md_examples(&b, p);
	md_changes(&b, p);
	bputs(&b, "## Rules\n\n");
	json_array_foreach(json_object_get(p, "rules"), i, r)
		md_rule(&b, r);
	bputs(&b, "---\n\nThe machine-readable twin of this text is `report.json` (an in-toto Statement v1,\n"
		  "predicate type `" AU_REPORT_PREDICATE "`); `litrule audit verify` regenerates both.\n");
	return buf_finish(&b, len);
}

/* ---- verify helpers ----------------------------------------------------- */

int au_report_message_commit(char out[41], const char *message)
{
	size_t n = strlen(AU_REPORT_SUBJECT), i;

	if (!message || strncmp(message, AU_REPORT_SUBJECT, n) != 0)
		return au_error_set(AU_EINVALID, "its commit message does not start with \"%s<commit>\"",
				    AU_REPORT_SUBJECT);
	for (i = 0; i < 40; i++) {
		char c = message[n + i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return au_error_set(AU_EINVALID, "its commit message does not name a 40-hex commit");
		out[i] = c;
	}
	out[40] = '\0';
	if (message[n + 40] != '\n' && message[n + 40] != '\0')
		return au_error_set(AU_EINVALID, "its commit message does not name a 40-hex commit");
	return 0;
}

int au_report_check_link(const json_t *st, const char *parent_hex, const void *parent_json,
			 size_t parent_size)
{
	const json_t *prev = json_object_get(json_object_get(st, "predicate"), "previous");
	const json_t *c = json_object_get(prev, "commit"), *h = json_object_get(prev, "report_sha256");
	char hex[65];

	if (!json_is_object(prev))
		return au_error_set(AU_EINVALID, "it has no \"previous\" link");
	if (!parent_hex) {
		if (!json_is_null(c) || !json_is_null(h))
			return au_error_set(AU_EINVALID,
					    "it is the first report of the chain but links to a previous one (%s)",
					    json_is_string(c) ? json_string_value(c) : "?");
		return 0;
	}
	if (!json_is_string(c) || strcmp(json_string_value(c), parent_hex) != 0)
		return au_error_set(AU_EINVALID, "its previous.commit is %s, but the report before it is %s",
				    json_is_string(c) ? json_string_value(c) : "null", parent_hex);
	au_report_sha256(hex, parent_json, parent_size);
	if (!json_is_string(h) || strcmp(json_string_value(h), hex) != 0)
		return au_error_set(AU_EINVALID,
				    "its previous.report_sha256 does not match the report before it (%s has %s)",
				    parent_hex, hex);
	return 0;
}
