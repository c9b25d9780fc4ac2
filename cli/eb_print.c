/*
** eb_print.c: the batch printers of `eval --jsonl` (see eb_print.h).
**
** The full form reproduces patient.c's report_compact (and cli_eval.c's
** splice_inputs for --record-inputs) byte for byte: the same members in
** the same order, a member left out where jansson would drop it (a NULL
** string), strings escaped as jansson's compact dump escapes jtext_string.
** tests/fuzz/fuzz_patient.c and tests/e2e/sections/batch.sh compare them.
*/
#include "eb_print.h"

#include <stdlib.h>

#include "jsonin.h"
#include "jtext.h"
#include "litrule_table.h"

int eb_grow(eb_buf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 65536;
	char *np;
	while (cap - b->len <= n)
		cap *= 2;
	if (!(np = realloc(b->p, cap))) {
		b->oom = 1;
		return -1;
	}
	b->p = np;
	b->cap = cap;
	return 0;
}

size_t eb_fmt_long(char *dst, long v)
{
	char tmp[24];
	size_t n = 0, k = 0;
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
	do
		tmp[n++] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		dst[k++] = '-';
	while (n)
		dst[k++] = tmp[--n];
	dst[k] = '\0';
	return k;
}

void eb_put_long(eb_buf *b, long v)
{
	char d[24];
	eb_put(b, d, eb_fmt_long(d, v));
}

void eb_str(eb_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = 0;
	char *o;

	/* Worst case: \u00XX (6 bytes) or \\xHH (5) per byte, two quotes. */
	if (b->cap - b->len <= 6 * n + 2 && eb_grow(b, 6 * n + 2) != 0)
		return;
	o = b->p + b->len;
	*o++ = '"';
	while (i < n) {
		unsigned c = u[i];
		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			*o++ = (char)c;
			i++;
		} else if (c < 0x80) {
			*o++ = '\\';
			switch (c) {
			case '"': *o++ = '"'; break;
			case '\\': *o++ = '\\'; break;
			case '\b': *o++ = 'b'; break;
			case '\f': *o++ = 'f'; break;
			case '\n': *o++ = 'n'; break;
			case '\r': *o++ = 'r'; break;
			case '\t': *o++ = 't'; break;
			default:
				memcpy(o, "u00", 3);
				o[3] = hex[c >> 4];
				o[4] = hex[c & 15];
				o += 5;
			}
			i++;
		} else {
			size_t l = jtext_utf8_len(u + i, n - i);
			if (l) {
				memcpy(o, u + i, l);
				o += l;
				i += l;
			} else { /* jtext_string's \xHH, its backslash escaped */
				memcpy(o, "\\\\x", 3);
				o[3] = hex[c >> 4];
				o[4] = hex[c & 15];
				o += 5;
				i++;
			}
		}
	}
	*o++ = '"';
	b->len = (size_t)(o - b->p);
}

/* ---- shared pieces ---------------------------------------------------------- */

/* A member "key":"s" of an object (key written with its quotes and colon),
 * with the comma *first asks for; left out when s is NULL, as jansson's
 * json_object_set_new drops a NULL value. */
static void mem_str(eb_buf *b, int *first, const char *key, const char *s)
{
	if (!s)
		return;
	if (!*first)
		eb_put(b, ",", 1);
	*first = 0;
	eb_puts(b, key);
	eb_str(b, s);
}

/* Input i's value as patient_value_text writes it, as a JSON string. */
static void value_str(eb_buf *b, const lr_ruleset *rs, const lr_record *rec, uint32_t i)
{
	const lr_input_def *in = &rs->inputs[i];
	char buf[64];
	lr_dec d;
	size_t n;

	if (!rec->state[i]) {
		eb_puts(b, "\"(missing)\"");
		return;
	}
	switch (in->type) {
	case LR_T_BOOL: eb_puts(b, rec->v[i] ? "\"true\"" : "\"false\""); return;
	case LR_T_ENUM:
		eb_str(b, rec->v[i] >= 0 && (uint64_t)rec->v[i] < in->nvalues ? in->values[rec->v[i]] : "?");
		return;
	case LR_T_DATE: n = lr_date_format(buf, sizeof buf, (lr_date)rec->v[i]); break;
	default:
		d.v = rec->v[i];
		n = lr_dec_format(buf, sizeof buf, d);
		break;
	}
	eb_put(b, "\"", 1);
	eb_put(b, buf, n < sizeof buf ? n : sizeof buf - 1);
	eb_put(b, "\"", 1);
}

/* "schedule", "phase", "next_due", "overdue" (or "completed") of an action
 * with a schedule. */
static void schedule_members(eb_buf *b, int *first, const lr_action *a)
{
	char buf[64];
	size_t n;

	mem_str(b, first, "\"schedule\":", a->schedule);
	if (!*first)
		eb_put(b, ",", 1);
	*first = 0;
	if (a->phase) {
		eb_puts(b, "\"phase\":");
		eb_str(b, a->phase);
		n = lr_date_format(buf, sizeof buf, a->next_due);
		eb_puts(b, ",\"next_due\":\"");
		eb_put(b, buf, n < sizeof buf ? n : sizeof buf - 1);
		eb_puts(b, a->overdue ? "\",\"overdue\":true" : "\",\"overdue\":false");
	} else {
		eb_puts(b, "\"phase\":null,\"completed\":true");
	}
}

/* The members of an action that depend on the patient: dose, schedule and due date
 * (each followed by a comma when more follows: *first tracks it). */
static void dose_schedule(eb_buf *b, int *first, const lr_action *a)
{
	char buf[64];
	size_t n;

	if (a->has_dose) {
		int f = 0; /* "amount" comes first */
		if (!*first)
			eb_put(b, ",", 1);
		*first = 0;
		n = lr_dec_format(buf, sizeof buf, a->amount);
		eb_puts(b, "\"dose\":{\"amount\":\"");
		eb_put(b, buf, n < sizeof buf ? n : sizeof buf - 1);
		eb_put(b, "\"", 1);
		mem_str(b, &f, "\"unit\":", a->unit);
		mem_str(b, &f, "\"route\":", a->route);
		eb_put(b, "}", 1);
	}
	if (a->has_schedule)
		schedule_members(b, first, a);
	if (a->has_due) {
		if (!*first)
			eb_put(b, ",", 1);
		*first = 0;
		n = lr_date_format(buf, sizeof buf, a->due);
		eb_puts(b, "\"due\":\"");
		eb_put(b, buf, n < sizeof buf ? n : sizeof buf - 1);
		eb_put(b, "\"", 1);
	}
}

/* "inputs":{...} of an action: what its rule read. */
static void reads_obj(eb_buf *b, const eb_ctx *x, const lr_record *rec, const lr_action *a)
{
	uint32_t k;
	eb_puts(b, "\"inputs\":{");
	for (k = 0; k < a->nreads; k++) {
		uint32_t i = a->reads[k];
		if (k)
			eb_put(b, ",", 1);
		eb_put(b, x->keys[i], x->keylen[i]);
		if (!rec->state[i])
			eb_put(b, "null", 4);
		else if (x->rs->inputs[i].type == LR_T_BOOL)
			eb_puts(b, rec->v[i] ? "true" : "false");
		else
			value_str(b, x->rs, rec, i);
	}
	eb_put(b, "}", 1);
}

static void overridden_arr(eb_buf *b, const lr_result *res, int compact)
{
	uint32_t k;
	eb_put(b, "[", 1);
	for (k = res->nactions; k < res->nactions + res->noverridden; k++) {
		const lr_action *a = &res->actions[k];
		int f = 1;
		eb_puts(b, k > res->nactions ? ",{" : "{");
		mem_str(b, &f, "\"rule\":", a->rule_id);
		mem_str(b, &f, "\"by\":", a->overridden_by_id);
		if (!compact) {
			mem_str(b, &f, "\"verb\":", a->verb);
			mem_str(b, &f, "\"subject\":", a->subject);
			mem_str(b, &f, "\"text\":", a->text);
		}
		eb_put(b, "}", 1);
	}
	eb_put(b, "]", 1);
}

static void missing_arr(eb_buf *b, const lr_result *res)
{
	uint32_t k;
	eb_put(b, "[", 1);
	for (k = 0; k < res->nmissing; k++) {
		int f = 1;
		eb_puts(b, k ? ",{" : "{");
		mem_str(b, &f, "\"input\":", res->missing[k].name);
		mem_str(b, &f, "\"needed_by\":", res->missing[k].rule_id);
		eb_put(b, "}", 1);
	}
	eb_put(b, "]", 1);
}

static void errors_arr(eb_buf *b, const lr_ruleset *rs, const lr_record *rec, const lr_result *res)
{
	uint32_t k;
	eb_put(b, "[", 1);
	for (k = 0; k < res->nerrors; k++) {
		const lr_error *e = &res->errors[k];
		int f = 1;
		eb_puts(b, k ? ",{" : "{");
		mem_str(b, &f, "\"field\":", e->name);
		mem_str(b, &f, "\"rule\":", e->rule_id);
		mem_str(b, &f, "\"message\":", e->message);
		if (e->input >= 0) {
			eb_puts(b, f ? "\"value\":" : ",\"value\":");
			value_str(b, rs, rec, (uint32_t)e->input);
			f = 0;
		}
		if (e->code == LR_EFULL) {
			eb_puts(b, f ? "\"dropped\":" : ",\"dropped\":");
			eb_put_long(b, (long)res->actions_dropped);
		}
		eb_put(b, "}", 1);
	}
	if (res->errors_dropped) {
		eb_puts(b, res->nerrors ? ",{\"message\":\"and " : "{\"message\":\"and ");
		eb_put_long(b, (long)res->errors_dropped);
		eb_puts(b, " more errors\",\"more\":");
		eb_put_long(b, (long)res->errors_dropped);
		eb_put(b, "}", 1);
	}
	eb_put(b, "]", 1);
}

/* "inputs":{...}: the patient's known inputs as given (--record-inputs;
 * cli_eval.c's splice_inputs). */
static void inputs_obj(eb_buf *b, const eb_ctx *x, const lr_record *rec)
{
	uint32_t i;
	int first = 1;
	eb_puts(b, "\"inputs\":{");
	for (i = 0; i < x->rs->ninputs; i++) {
		if (!rec->state[i])
			continue;
		if (!first)
			eb_put(b, ",", 1);
		first = 0;
		eb_put(b, x->keys[i], x->keylen[i]);
		if (x->rs->inputs[i].type == LR_T_BOOL)
			eb_puts(b, rec->v[i] ? "true" : "false");
		else
			value_str(b, x->rs, rec, i);
	}
	eb_put(b, "}", 1);
}

/* ---- the two forms ------------------------------------------------------------ */

void eb_full_record(eb_buf *b, const eb_ctx *x, const lr_record *rec, const lr_result *res, const char *label)
{
	uint32_t k, idx = 0;

	eb_puts(b, "{\"patient\":");
	eb_str(b, label);
	eb_puts(b, ",\"ruleset\":");
	eb_put(b, x->ruleset, x->rslen);
	eb_puts(b, ",\"actions\":[");
	for (k = 0; k < res->nactions; k++) {
		const lr_action *a = &res->actions[k];
		uint32_t f;
		int first = 1;
		/* A rule's actions are emitted together and in order. */
		idx = k > 0 && res->actions[k - 1].rule == a->rule ? idx + 1 : 0;
		f = x->rs->rules[a->rule].first_action + idx;
		if (k)
			eb_put(b, ",", 1);
		eb_put(b, x->frag[f], x->fraglen[f]);
		eb_put(b, ",", 1);
		dose_schedule(b, &first, a);
		if (!first)
			eb_put(b, ",", 1);
		reads_obj(b, x, rec, a);
		eb_put(b, "}", 1);
	}
	eb_puts(b, "],\"overridden\":");
	overridden_arr(b, res, 0);
	eb_puts(b, ",\"missing\":");
	missing_arr(b, res);
	eb_puts(b, ",\"errors\":");
	errors_arr(b, x->rs, rec, res);
	if (x->record) {
		eb_put(b, ",", 1);
		eb_put(b, x->fixed, x->fixedlen);
		eb_put(b, ",", 1);
		inputs_obj(b, x, rec);
	}
	eb_put(b, "}", 1);
}

void eb_compact_record(eb_buf *b, const eb_ctx *x, const lr_record *rec, const lr_result *res, const char *label)
{
	uint32_t k, idx = 0;

	eb_puts(b, "{\"patient\":");
	eb_str(b, label);
	eb_puts(b, ",\"actions\":[");
	for (k = 0; k < res->nactions; k++) {
		const lr_action *a = &res->actions[k];
		int first = 0;
		idx = k > 0 && res->actions[k - 1].rule == a->rule ? idx + 1 : 0;
		eb_puts(b, k ? ",{\"rule\":" : "{\"rule\":");
		eb_str(b, a->rule_id);
		eb_puts(b, ",\"verb\":");
		eb_str(b, a->verb);
		if (x->rs->rules[a->rule].nactions > 1) {
			eb_puts(b, ",\"action\":");
			eb_put_long(b, (long)idx);
		}
		dose_schedule(b, &first, a);
		eb_put(b, "}", 1);
	}
	eb_put(b, "]", 1);
	if (res->noverridden) {
		eb_puts(b, ",\"overridden\":");
		overridden_arr(b, res, 1);
	}
	if (res->nmissing) {
		eb_puts(b, ",\"missing\":");
		missing_arr(b, res);
	}
	if (res->nerrors || res->errors_dropped) {
		eb_puts(b, ",\"errors\":");
		errors_arr(b, x->rs, rec, res);
	}
	if (x->record) { /* the shared members are in the header */
		eb_put(b, ",", 1);
		inputs_obj(b, x, rec);
	}
	eb_put(b, "}", 1);
}

void eb_compact_unreadable(eb_buf *b, const char *label, const patient_errors *errs)
{
	int k;
	eb_puts(b, "{\"patient\":");
	eb_str(b, label);
	eb_puts(b, ",\"actions\":[],\"errors\":[");
	for (k = 0; k < errs->n; k++) {
		eb_puts(b, k ? ",{" : "{");
		if (errs->field[k][0]) {
			eb_puts(b, "\"field\":");
			eb_str(b, errs->field[k]);
			eb_put(b, ",", 1);
		}
		eb_puts(b, "\"message\":");
		eb_str(b, errs->msg[k]);
		eb_put(b, "}", 1);
	}
	eb_puts(b, "]}");
}

/* ---- the run's shared parts --------------------------------------------------- */

int eb_ctx_init(eb_ctx *x, const lr_ruleset *rs, int compact, int record, const char *fixed)
{
	uint32_t r, i;

	memset(x, 0, sizeof *x);
	x->rs = rs;
	x->compact = compact;
	x->record = record && fixed;
	for (r = 0; r < rs->nrules; r++)
		if (rs->rules[r].first_action + rs->rules[r].nactions > x->nfrag)
			x->nfrag = rs->rules[r].first_action + rs->rules[r].nactions;
	x->cache = report_cache_new(rs);
	x->frag = calloc(x->nfrag + 1, sizeof *x->frag);
	x->fraglen = calloc(x->nfrag + 1, sizeof *x->fraglen);
	x->keys = calloc(rs->ninputs + 1, sizeof *x->keys);
	x->keylen = calloc(rs->ninputs + 1, sizeof *x->keylen);
	x->fixed = strdup(fixed ? fixed : "");
	if (!x->cache || !x->frag || !x->fraglen || !x->keys || !x->keylen || !x->fixed)
		return -1;
	x->fixedlen = strlen(x->fixed);
	x->ruleset = report_cache_ruleset(x->cache);
	x->rslen = strlen(x->ruleset);
	for (i = 0; i < x->nfrag; i++) {
		x->frag[i] = report_cache_action(x->cache, i);
		x->fraglen[i] = x->frag[i] ? strlen(x->frag[i]) : 0;
	}
	for (i = 0; i < rs->ninputs; i++) {
		eb_buf k = {NULL, 0, 0, 0};
		eb_str(&k, rs->inputs[i].name);
		eb_put(&k, ":", 1);
		if (k.oom)
			return -1;
		x->keys[i] = k.p;
		x->keylen[i] = k.len;
	}
	return 0;
}

void eb_ctx_free(eb_ctx *x)
{
	uint32_t i;
	report_cache_free(x->cache);
	for (i = 0; x->keys && i < x->rs->ninputs; i++)
		free(x->keys[i]);
	free(x->keys);
	free(x->keylen);
	free(x->frag);
	free(x->fraglen);
	free(x->fixed);
	memset(x, 0, sizeof *x);
}

/* The static parts of rule r for the compact header. */
static json_t *rule_json(const lr_ruleset *rs, const lr_rule_def *rd)
{
	json_t *o = json_object(), *cites = json_array(), *acts = json_array(), *at = json_object();
	uint32_t k;

	json_object_set_new(o, "title", jtext_string(rd->title));
	for (k = 0; k < rd->ncites; k++) {
		const lr_citation *c = &rs->citations[rd->first_cite + k];
		json_t *m = json_object();
		json_object_set_new(m, "source", jtext_string(c->source));
		json_object_set_new(m, "title", jtext_string(c->title));
		json_object_set_new(m, "locator", jtext_string(c->locator));
		json_object_set_new(m, "quote", jtext_string(c->quote));
		json_array_append_new(cites, m);
	}
	json_object_set_new(o, "citations", cites);
	json_object_set_new(at, "file", jtext_string(rd->file));
	json_object_set_new(at, "line", json_integer(rd->line));
	json_object_set_new(at, "end_line", json_integer(rd->end_line));
	json_object_set_new(at, "headings", jtext_string(rd->headings));
	json_object_set_new(o, "at", at);
	for (k = 0; k < rd->nactions; k++) {
		const lr_action_def *ad = &rs->actions[rd->first_action + k];
		json_t *m = json_object();
		json_object_set_new(m, "verb", jtext_string(lr_verb_name(ad->verb)));
		if (ad->subject)
			json_object_set_new(m, "subject", jtext_string(ad->subject));
		json_object_set_new(m, "text", jtext_string(ad->text));
		json_array_append_new(acts, m);
	}
	json_object_set_new(o, "actions", acts);
	return o;
}

int eb_header(const eb_ctx *x, FILE *out)
{
	json_t *h, *rules;
	char *s = NULL;
	uint32_t r;
	int rc = -1;

	if (!x->compact)
		return 0;
	h = json_object();
	rules = json_object();
	json_object_set_new(h, "format", json_string("litrule-eval-compact/1"));
	for (r = 0; r < x->rs->nrules; r++)
		json_object_set_new(rules, x->rs->rules[r].id, rule_json(x->rs, &x->rs->rules[r]));
	if (h && rules && (s = json_dumps(h, JSON_COMPACT)) != NULL) {
		/* "ruleset" exactly as the full form writes it, then the rules. */
		size_t n = strlen(s);
		s[n - 1] = '\0';
		fputs(s, out);
		fprintf(out, ",\"ruleset\":%s", x->ruleset);
		free(s);
		if ((s = json_dumps(rules, JSON_COMPACT)) != NULL) {
			fprintf(out, ",\"rules\":%s", s);
			if (x->record && x->fixedlen)
				fprintf(out, ",%.*s", (int)x->fixedlen, x->fixed);
			fputs("}\n", out);
			rc = 0;
		}
	}
	free(s);
	json_decref(h);
	json_decref(rules);
	if (rc)
		fprintf(stderr, "litrule: out of memory\n");
	return rc;
}
