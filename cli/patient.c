/*
** patient.c: reading patient JSON (jansson) and printing decisions.
**
** Exactness of JSON numbers: jansson hands numbers over as doubles, which
** would silently round 60.000000000000001 to 60.  Patients are therefore
** read with patient_loadb / patient_load_file, which keep the text of
** every number in the top-level object (see "exact number text" below);
** a number is accepted only if its text, exponent forms included, is
** exactly a decimal with at most 9 fractional digits in range, and is
** refused otherwise, naming the field.
*/
#include "patient.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "eval_text.h"
#include "jtext.h"
#include "litrule_table.h"
#include "suggest.h"

static void err(patient_errors *e, const char *field, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
static void err(patient_errors *e, const char *field, const char *fmt, ...)
{
	va_list ap;
	if (e->n >= PATIENT_MAX_ERRORS)
		return;
	snprintf(e->field[e->n], sizeof e->field[0], "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(e->msg[e->n++], sizeof e->msg[0], fmt, ap);
	va_end(ap);
}

/* ---- exact number text ---------------------------------------------------
** jansson turns every number into an int64 or a double and forgets the
** text, so "60.000000000000001" would arrive as exactly 60.  patient_loadb
** therefore scans the same input for the members of the top-level object
** (an iterative scan, no recursion, bounded by the input) and replaces each
** number value by a string holding a NUL byte and the number's text.  The
** NUL makes the marker unforgeable: jansson refuses "\u0000" in strings
** unless asked (JSON_ALLOW_NUL, never used here).  set_one reads the
** marker and accepts the number only if its text is exactly a decimal
** with at most 9 fractional digits in range; anything else is refused,
** naming the field.  Nothing is ever rounded. */

typedef struct {
	const char *key;  /* raw key text between the quotes */
	size_t klen;
	const char *num;  /* the number's text, or NULL if the value is not a number */
	size_t nlen;
} member;

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* p at '"': returns the byte after the closing quote (or end). */
static const char *skip_string(const char *p, const char *end)
{
	for (p++; p < end && *p != '"'; p++)
		if (*p == '\\' && p + 1 < end)
			p++;
	return p < end ? p + 1 : end;
}

/* Skips one value: a string, a (nested) container or a scalar. */
static const char *skip_value(const char *p, const char *end)
{
	long depth = 0;
	if (p < end && *p == '"')
		return skip_string(p, end);
	if (p < end && (*p == '{' || *p == '[')) {
		while (p < end) {
			if (*p == '"') {
				p = skip_string(p, end);
				continue;
			}
			if (*p == '{' || *p == '[')
				depth++;
			else if ((*p == '}' || *p == ']') && --depth == 0)
				return p + 1;
			p++;
		}
		return end;
	}
	while (p < end && !strchr(",}] \t\r\n", *p))
		p++;
	return p;
}

/* The members of the top-level object of buf, in document order (malloc'd
 * in *out); returns their count, or -1 if out of memory. */
static long scan_members(member **out, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	member *m = NULL;
	size_t n = 0, cap = 0;

	*out = NULL;
	p = skip_ws(p, end);
	if (p >= end || *p != '{')
		return 0;
	p++;
	for (;;) {
		const char *k;
		p = skip_ws(p, end);
		if (p >= end || *p != '"')
			break;
		k = p;
		p = skip_ws(skip_string(p, end), end);
		if (p >= end || *p != ':')
			break;
		p = skip_ws(p + 1, end);
		if (n == cap) {
			member *nm = realloc(m, (cap = cap ? 2 * cap : 16) * sizeof(member));
			if (!nm) {
				free(m);
				return -1;
			}
			m = nm;
		}
		m[n].key = k + 1;
		m[n].klen = (size_t)(skip_string(k, end) - k) >= 2 ? (size_t)(skip_string(k, end) - k) - 2 : 0;
		m[n].num = p < end && (*p == '-' || (*p >= '0' && *p <= '9')) ? p : NULL;
		p = skip_value(p, end);
		m[n].nlen = m[n].num ? (size_t)(p - m[n].num) : 0;
		n++;
		p = skip_ws(p, end);
		if (p >= end || *p != ',')
			break;
		p++;
	}
	*out = m;
	return (long)n;
}

/* Replaces each number member of obj by its marker (see above). */
static void mark_numbers(json_t *obj, const member *m, size_t n)
{
	void *it = json_object_iter(obj);
	size_t k;

	/* jansson keeps members in document order; if the scan disagrees in
	 * any way, nothing more is marked and unmarked reals are refused. */
	if (json_object_size(obj) != n)
		return;
	for (k = 0; k < n && it; k++, it = json_object_iter_next(obj, it)) {
		const char *key = json_object_iter_key(it);
		json_t *v = json_object_iter_value(it), *mark;
		char *t;
		if (!memchr(m[k].key, '\\', m[k].klen) && (strlen(key) != m[k].klen || memcmp(key, m[k].key, m[k].klen)))
			return;
		if (!m[k].num || !json_is_number(v))
			continue;
		if (!(t = malloc(m[k].nlen + 1)))
			return;
		t[0] = '\0';
		memcpy(t + 1, m[k].num, m[k].nlen);
		mark = json_stringn(t, m[k].nlen + 1);
		free(t);
		if (!mark || json_object_iter_set_new(obj, it, mark) != 0)
			return;
	}
}

/* jansson refuses numbers beyond int64 or double range before we see
 * them: name the field (the member whose number ends at the error). */
static void name_overflow(json_error_t *err, const member *m, size_t n, const char *buf)
{
	size_t k;
	for (k = n; k-- > 0;) {
		size_t start, stop;
		if (!m[k].num)
			continue;
		start = (size_t)(m[k].num - buf);
		stop = start + m[k].nlen;
		if (start < (size_t)err->position && (size_t)err->position <= stop) {
			snprintf(err->text, sizeof err->text, "field '%.*s': the number %.*s%s is out of range",
				 (int)(m[k].klen > 60 ? 60 : m[k].klen), m[k].key, (int)(m[k].nlen > 40 ? 40 : m[k].nlen),
				 m[k].num, m[k].nlen > 40 ? "..." : "");
			return;
		}
	}
}

json_t *patient_loadb(const char *buf, size_t len, json_error_t *err)
{
	json_t *obj = json_loadb(buf, len, JSON_REJECT_DUPLICATES, err);
	member *m = NULL;
	long n;

	if (obj && !json_is_object(obj))
		return obj;
	if (!obj && !strstr(err->text, "too big integer") && !strstr(err->text, "real number overflow"))
		return NULL;
	if ((n = scan_members(&m, buf, len)) < 0) {
		json_decref(obj);
		snprintf(err->text, sizeof err->text, "out of memory");
		return NULL;
	}
	if (obj)
		mark_numbers(obj, m, (size_t)n);
	else
		name_overflow(err, m, (size_t)n, buf);
	free(m);
	return obj;
}

json_t *patient_load_file(const char *path, json_error_t *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL, *nb;
	size_t len = 0, cap = 0, got;
	json_t *obj;

	if (!f)
		return json_load_file(path, JSON_REJECT_DUPLICATES, err); /* its error text */
	do {
		if (len == cap) {
			if (!(nb = realloc(buf, cap = cap ? 2 * cap : 65536))) {
				free(buf);
				fclose(f);
				memset(err, 0, sizeof *err);
				err->line = err->column = -1;
				snprintf(err->text, sizeof err->text, "out of memory");
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
	} while (got > 0);
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return json_load_file(path, JSON_REJECT_DUPLICATES, err);
	}
	fclose(f);
	obj = patient_loadb(buf, len, err);
	free(buf);
	return obj;
}

/* The text of a number marked by patient_loadb, or NULL. */
static const char *number_text(const json_t *v, size_t *len)
{
	if (!json_is_string(v) || json_string_length(v) == 0 || json_string_value(v)[0] != '\0')
		return NULL;
	*len = json_string_length(v) - 1;
	return json_string_value(v) + 1;
}

/* A JSON number's text as a plain decimal ("1e2" -> "100", "1E-9" ->
 * "0.000000001") in buf (at least 64 bytes), exactly; or LR_EOVERFLOW, or
 * LR_EINVAL when it would need more than 9 fractional digits.  The text
 * follows JSON's number grammar (jansson checked it):
 * -?D+(.D+)?([eE][+-]?D+)?.  The value is dig * 10^exp, where dig are the
 * significant digits (no leading or trailing zeros). */
static int plain_decimal(char *buf, const char *t, size_t n)
{
	const char *p = t, *end = t + n;
	char dig[32];
	size_t nd = 0, i = 0;
	long exp = 0, e = 0, zeros = 0, point;
	int neg = 0, eneg = 0, in_frac = 0;

	if (p < end && *p == '-')
		neg = 1, p++;
	for (; p < end && ((*p >= '0' && *p <= '9') || *p == '.'); p++) {
		if (*p == '.') {
			in_frac = 1;
			continue;
		}
		exp -= in_frac; /* each fractional digit divides by 10 */
		if (*p == '0') {
			zeros += nd > 0; /* trailing zeros are held back */
			continue;
		}
		for (; zeros > 0; zeros--, nd++)
			if (nd < sizeof dig)
				dig[nd] = '0';
		if (nd < sizeof dig)
			dig[nd] = *p;
		nd++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			eneg = *p++ == '-';
		for (; p < end && *p >= '0' && *p <= '9'; p++)
			if (e < 100000000L)
				e = e * 10 + (*p - '0');
	}
	if (nd == 0) {
		strcpy(buf, "0");
		return LR_OK;
	}
	exp += zeros + (eneg ? -e : e);
	point = (long)nd + exp; /* digits before the decimal point */
	if (point > 19)
		return LR_EOVERFLOW; /* lr_dec_parse judges the rest of the range */
	if (exp < -(long)LR_DEC_FRAC_DIGITS)
		return LR_EINVAL;
	/* Here nd <= 19 + 9 < sizeof dig: every digit was stored. */
	if (neg)
		buf[i++] = '-';
	if (point <= 0) {
		buf[i++] = '0';
		buf[i++] = '.';
		for (; point < 0; point++)
			buf[i++] = '0';
		memcpy(buf + i, dig, nd);
		i += nd;
	} else if (exp >= 0) {
		memcpy(buf + i, dig, nd);
		i += nd;
		for (; exp > 0; exp--)
			buf[i++] = '0';
	} else {
		memcpy(buf + i, dig, (size_t)point);
		i += (size_t)point;
		buf[i++] = '.';
		memcpy(buf + i, dig + point, nd - (size_t)point);
		i += nd - (size_t)point;
	}
	buf[i] = '\0';
	return LR_OK;
}

static const char *type_words(const lr_input_def *in)
{
	switch (in->type) {
	case LR_T_BOOL: return "true or false";
	case LR_T_DATE: return "a date written \"YYYY-MM-DD\"";
	case LR_T_ENUM: return "one of its values, as a string";
	default: return "a number (or a decimal string)";
	}
}

/* An input name for sg_pick. */
static const char *input_name_at(const void *ctx, size_t i)
{
	return ((const lr_ruleset *)ctx)->inputs[i].name;
}

void patient_unknown_key(patient_errors *errs, const lr_ruleset *rs, const char *key)
{
	const char *near = sg_pick(key, input_name_at, rs, rs->ninputs);
	if (near)
		err(errs, key, "field '%s': not an input of rule set '%s'; did you mean '%s'?", key, rs->name, near);
	else
		err(errs, key, "field '%s': not an input of rule set '%s'", key, rs->name);
}

int patient_set_value(lr_record *rec, const lr_ruleset *rs, uint32_t i, const patient_value *pv, patient_errors *errs)
{
	const lr_input_def *in = &rs->inputs[i];
	const char *s = pv->text;
	size_t n = pv->len;
	char buf[64];
	int rc;

	if (pv->kind == PV_NULL)
		return 0;
	switch (in->type) {
	case LR_T_BOOL:
		if (pv->kind != PV_BOOL)
			break;
		return lr_record_set_bool(rec, i, pv->b);
	case LR_T_DATE:
		if (pv->kind != PV_STRING)
			break;
		if (lr_record_set_text(rec, i, s, n) != LR_OK) {
			err(errs, in->name, "field '%s': \"%.*s\" is not a date (expected \"YYYY-MM-DD\", a real calendar day)",
			    in->name, (int)n, s);
			return -1;
		}
		return 0;
	case LR_T_ENUM:
		if (pv->kind != PV_STRING)
			break;
		if (lr_record_set_text(rec, i, s, n) != LR_OK) {
			char list[512] = "";
			uint32_t k;
			size_t len = 0;
			for (k = 0; k < in->nvalues && len < sizeof list; k++)
				len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", k ? ", " : "", in->values[k]);
			err(errs, in->name, "field '%s': \"%.*s\" is not one of: %s", in->name, (int)n, s, list);
			return -1;
		}
		return 0;
	case LR_T_NUM:
		if (pv->kind == PV_NUMBER) {
			/* The text as written: exact or refused. */
			if ((rc = plain_decimal(buf, s, n)) == LR_OK)
				rc = lr_record_set_text(rec, i, buf, strlen(buf));
			if (rc != LR_OK) {
				err(errs, in->name, "field '%s': the number %.*s%s %s", in->name, (int)(n > 40 ? 40 : n), s,
				    n > 40 ? "..." : "",
				    rc == LR_EOVERFLOW ? "is out of range"
						       : "is not exactly a decimal with at most 9 decimal places (numbers are never rounded)");
				return -1;
			}
			return 0;
		}
		if (pv->kind == PV_INEXACT) {
			/* A double whose text is gone (not read by patient_loadb):
			 * it may be a rounded neighbour of what was written. */
			err(errs, in->name, "field '%s': the exact text of this number is unknown; write it as a string", in->name);
			return -1;
		}
		if (pv->kind != PV_STRING)
			break;
		/* Parsed whole, not through buf: a copy cut at sizeof buf
		 * could turn "1.000...0001" into an acceptable "1.000...0". */
		rc = lr_record_set_text(rec, i, s, n);
		if (rc != LR_OK) {
			err(errs, in->name, "field '%s': \"%.*s%s\" is not a decimal number%s", in->name, (int)(n > 60 ? 60 : n), s,
			    n > 60 ? "..." : "", rc == LR_EOVERFLOW ? " in range" : " (at most 9 decimal places)");
			return -1;
		}
		return 0;
	}
	err(errs, in->name, "field '%s': expected %s", in->name, type_words(in));
	return -1;
}

/* A jansson value as a patient_value. */
static int set_one(lr_record *rec, const lr_ruleset *rs, uint32_t i, const json_t *v, patient_errors *errs)
{
	patient_value pv;
	char buf[64];

	memset(&pv, 0, sizeof pv);
	if (json_is_null(v)) {
		pv.kind = PV_NULL;
	} else if (json_is_boolean(v)) {
		pv.kind = PV_BOOL;
		pv.b = json_is_true(v);
	} else if ((pv.text = number_text(v, &pv.len)) != NULL) {
		pv.kind = PV_NUMBER;
	} else if (json_is_integer(v)) {
		snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		pv.kind = PV_NUMBER;
		pv.text = buf;
		pv.len = strlen(buf);
	} else if (json_is_real(v)) {
		pv.kind = PV_INEXACT;
	} else if (json_is_string(v)) {
		pv.kind = PV_STRING;
		pv.text = json_string_value(v);
		pv.len = json_string_length(v);
	} else {
		pv.kind = PV_OTHER;
	}
	return patient_set_value(rec, rs, i, &pv, errs);
}

void patient_record_release(lr_record *rec)
{
	if (rec->state && rec->state != rec->own_state) {
		free(rec->state);
		free(rec->v);
	}
	rec->state = rec->own_state;
	rec->v = rec->own_v;
	rec->capacity = 0;
}

int patient_record_reset(lr_record *rec, const lr_ruleset *rs)
{
	uint32_t n = rs->ninputs;
	uint8_t *st;
	int64_t *v;

	if (n <= LR_RECORD_INLINE)
		return lr_record_init(rec, rs); /* rec may be uninitialised: no look at it */
	if (rec->state && rec->state != rec->own_state && rec->rs == rs && rec->capacity >= n)
		return lr_record_init_arrays(rec, rs, rec->state, rec->v, rec->capacity);
	patient_record_release(rec);
	st = malloc(n);
	v = malloc((size_t)n * sizeof *v);
	if (!st || !v) {
		free(st);
		free(v);
		return lr_record_init(rec, rs); /* LR_EFULL: nothing is set, nothing evaluates */
	}
	return lr_record_init_arrays(rec, rs, st, v, n);
}

int patient_from_json(lr_record *rec, const lr_ruleset *rs, const json_t *obj, patient_errors *errs)
{
	const char *key;
	json_t *v;

	errs->n = 0;
	patient_record_reset(rec, rs);
	if (!json_is_object(obj)) {
		err(errs, NULL, "a patient is a JSON object whose keys are input names");
		return errs->n;
	}
	json_object_foreach((json_t *)obj, key, v) {
		uint32_t i;
		if (lr_record_find(&i, rs, key, strlen(key)) != LR_OK) {
			patient_unknown_key(errs, rs, key);
			continue;
		}
		set_one(rec, rs, i, v, errs);
	}
	return errs->n;
}

void patient_value_text(char *buf, size_t n, const lr_ruleset *rs, const lr_record *rec, uint32_t i)
{
	const lr_input_def *in = &rs->inputs[i];
	lr_dec d;
	if (!rec->state[i]) {
		snprintf(buf, n, "(missing)");
		return;
	}
	switch (in->type) {
	case LR_T_BOOL: snprintf(buf, n, "%s", rec->v[i] ? "true" : "false"); break;
	case LR_T_DATE: lr_date_format(buf, n, (lr_date)rec->v[i]); break;
	case LR_T_ENUM:
		snprintf(buf, n, "%s", rec->v[i] >= 0 && (uint64_t)rec->v[i] < in->nvalues ? in->values[rec->v[i]] : "?");
		break;
	default:
		d.v = rec->v[i];
		lr_dec_format(buf, n, d);
		break;
	}
}

static json_t *ruleset_json(const lr_ruleset *rs)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", jtext_string(rs->name));
	json_object_set_new(o, "version", jtext_string(rs->version));
	json_object_set_new(o, "hash", jtext_string(rs->hash));
	if (rs->commit)
		json_object_set_new(o, "commit", jtext_string(rs->commit));
	return o;
}

/* The parts of an action that depend only on the rule set. */
static json_t *action_static_json(const lr_action *a)
{
	json_t *o = json_object(), *cites = json_array(), *at = json_object();
	uint32_t k;

	json_object_set_new(o, "rule", jtext_string(a->rule_id));
	json_object_set_new(o, "title", jtext_string(a->rule_title));
	json_object_set_new(o, "verb", jtext_string(a->verb));
	if (a->subject)
		json_object_set_new(o, "subject", jtext_string(a->subject));
	json_object_set_new(o, "text", jtext_string(a->text));
	for (k = 0; k < a->ncitations; k++) {
		json_t *c = json_object();
		json_object_set_new(c, "source", jtext_string(a->citations[k].source));
		json_object_set_new(c, "title", jtext_string(a->citations[k].title));
		json_object_set_new(c, "locator", jtext_string(a->citations[k].locator));
		json_object_set_new(c, "quote", jtext_string(a->citations[k].quote));
		json_array_append_new(cites, c);
	}
	json_object_set_new(o, "citations", cites);
	json_object_set_new(at, "file", jtext_string(a->file));
	json_object_set_new(at, "line", json_integer(a->line));
	json_object_set_new(at, "end_line", json_integer(a->end_line));
	json_object_set_new(at, "headings", jtext_string(a->headings));
	json_object_set_new(o, "at", at);
	return o;
}

/* The parts that depend on the patient, added to o in output order. */
static void action_dynamic_json(json_t *o, const lr_ruleset *rs, const lr_record *rec, const lr_action *a)
{
	json_t *reads = json_object();
	char buf[64];
	uint32_t k;

	if (a->has_dose) {
		json_t *d = json_object();
		lr_dec_format(buf, sizeof buf, a->amount);
		json_object_set_new(d, "amount", jtext_string(buf));
		json_object_set_new(d, "unit", jtext_string(a->unit));
		if (a->route)
			json_object_set_new(d, "route", jtext_string(a->route));
		json_object_set_new(o, "dose", d);
	}
	if (a->has_schedule) {
		json_object_set_new(o, "schedule", jtext_string(a->schedule));
		if (a->phase) {
			json_object_set_new(o, "phase", jtext_string(a->phase));
			lr_date_format(buf, sizeof buf, a->next_due);
			json_object_set_new(o, "next_due", jtext_string(buf));
			json_object_set_new(o, "overdue", json_boolean(a->overdue));
		} else {
			json_object_set_new(o, "phase", json_null());
			json_object_set_new(o, "completed", json_true());
		}
	}
	if (a->has_due) {
		lr_date_format(buf, sizeof buf, a->due);
		json_object_set_new(o, "due", jtext_string(buf));
	}
	for (k = 0; k < a->nreads; k++) {
		uint32_t i = a->reads[k];
		if (!rec->state[i]) {
			json_object_set_new(reads, rs->inputs[i].name, json_null());
			continue;
		}
		patient_value_text(buf, sizeof buf, rs, rec, i);
		if (rs->inputs[i].type == LR_T_BOOL)
			json_object_set_new(reads, rs->inputs[i].name, json_boolean(rec->v[i]));
		else
			json_object_set_new(reads, rs->inputs[i].name, jtext_string(buf));
	}
	json_object_set_new(o, "inputs", reads);
}

static json_t *action_json(const lr_ruleset *rs, const lr_record *rec, const lr_action *a)
{
	json_t *o = action_static_json(a);
	action_dynamic_json(o, rs, rec, a);
	return o;
}

/* The overridden array of a result: the actions of rules that fired but
 * that a rule which also fired overrides (lr_result), each with the rule
 * that overrode it ("by"). */
static json_t *overridden_json(const lr_result *res)
{
	json_t *arr = json_array();
	uint32_t k;
	for (k = res->nactions; k < res->nactions + res->noverridden; k++) {
		const lr_action *a = &res->actions[k];
		json_t *m = json_object();
		json_object_set_new(m, "rule", jtext_string(a->rule_id));
		json_object_set_new(m, "by", jtext_string(a->overridden_by_id));
		json_object_set_new(m, "verb", jtext_string(a->verb));
		if (a->subject)
			json_object_set_new(m, "subject", jtext_string(a->subject));
		json_object_set_new(m, "text", jtext_string(a->text));
		json_array_append_new(arr, m);
	}
	return arr;
}

/* The missing and errors arrays of a result. */
static json_t *missing_json(const lr_result *res)
{
	json_t *miss = json_array();
	uint32_t k;
	for (k = 0; k < res->nmissing; k++) {
		json_t *m = json_object();
		json_object_set_new(m, "input", jtext_string(res->missing[k].name));
		json_object_set_new(m, "needed_by", jtext_string(res->missing[k].rule_id));
		json_array_append_new(miss, m);
	}
	return miss;
}

static json_t *errors_json(const lr_ruleset *rs, const lr_record *rec, const lr_result *res)
{
	json_t *errs = json_array();
	uint32_t k;
	for (k = 0; k < res->nerrors; k++) {
		const lr_error *e = &res->errors[k];
		json_t *m = json_object();
		if (e->name)
			json_object_set_new(m, "field", jtext_string(e->name));
		if (e->rule_id)
			json_object_set_new(m, "rule", jtext_string(e->rule_id));
		json_object_set_new(m, "message", jtext_string(e->message));
		if (e->input >= 0) {
			char buf[64];
			patient_value_text(buf, sizeof buf, rs, rec, (uint32_t)e->input);
			json_object_set_new(m, "value", jtext_string(buf));
		}
		if (e->code == LR_EFULL) /* how many actions are not listed */
			json_object_set_new(m, "dropped", json_integer(res->actions_dropped));
		json_array_append_new(errs, m);
	}
	if (res->errors_dropped) { /* never cut without a count */
		json_t *m = json_object();
		char buf[64];
		snprintf(buf, sizeof buf, "and %u more errors", (unsigned)res->errors_dropped);
		json_object_set_new(m, "message", jtext_string(buf));
		json_object_set_new(m, "more", json_integer(res->errors_dropped));
		json_array_append_new(errs, m);
	}
	return errs;
}

json_t *report_json(const lr_ruleset *rs, const lr_record *rec, const lr_result *res, const char *label)
{
	json_t *o = json_object(), *acts = json_array();
	uint32_t k;

	json_object_set_new(o, "patient", jtext_string(label));
	json_object_set_new(o, "ruleset", ruleset_json(rs));
	for (k = 0; k < res->nactions; k++)
		json_array_append_new(acts, action_json(rs, rec, &res->actions[k]));
	json_object_set_new(o, "actions", acts);
	json_object_set_new(o, "overridden", overridden_json(res));
	json_object_set_new(o, "missing", missing_json(res));
	json_object_set_new(o, "errors", errors_json(rs, rec, res));
	return o;
}

/* ---- batch output with cached fragments ------------------------------------ */

struct report_cache {
	const lr_ruleset *rs;
	char *ruleset;      /* compact JSON of the ruleset object */
	char **frag;        /* per action definition: static part without its closing brace */
	uint32_t nfrag;
};

static char *dump_compact(const json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_ENCODE_ANY);
	return s;
}

report_cache *report_cache_new(const lr_ruleset *rs)
{
	report_cache *c = calloc(1, sizeof(*c));
	uint32_t r, a, n = 0;
	json_t *o;

	if (!c)
		return NULL;
	c->rs = rs;
	for (r = 0; r < rs->nrules; r++)
		n += rs->rules[r].nactions;
	c->frag = calloc(n ? n : 1, sizeof(char *));
	o = ruleset_json(rs);
	c->ruleset = dump_compact(o);
	json_decref(o);
	if (!c->frag || !c->ruleset) {
		report_cache_free(c);
		return NULL;
	}
	c->nfrag = n;
	for (r = 0; r < rs->nrules; r++) {
		const lr_rule_def *rd = &rs->rules[r];
		for (a = 0; a < rd->nactions; a++) {
			/* The static fields as lr_eval fills them for this action. */
			const lr_action_def *ad = &rs->actions[rd->first_action + a];
			lr_action act;
			char *s;
			memset(&act, 0, sizeof act);
			act.rule_id = rd->id;
			act.rule_title = rd->title;
			act.verb = lr_verb_name(ad->verb);
			act.subject = ad->subject;
			act.text = ad->text;
			act.citations = rd->ncites ? rs->citations + rd->first_cite : NULL;
			act.ncitations = rd->ncites;
			act.file = rd->file;
			act.line = rd->line;
			act.end_line = rd->end_line;
			act.headings = rd->headings;
			o = action_static_json(&act);
			s = dump_compact(o);
			json_decref(o);
			if (!s) {
				report_cache_free(c);
				return NULL;
			}
			s[strlen(s) - 1] = '\0'; /* drop the closing brace */
			c->frag[rd->first_action + a] = s;
		}
	}
	return c;
}

const char *report_cache_ruleset(const report_cache *c) { return c->ruleset; }
const char *report_cache_action(const report_cache *c, uint32_t action) { return c->frag[action]; }

void report_cache_free(report_cache *c)
{
	uint32_t i;
	if (!c)
		return;
	for (i = 0; i < c->nfrag; i++)
		free(c->frag[i]);
	free(c->frag);
	free(c->ruleset);
	free(c);
}

static int put(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t nc = *cap ? *cap : 65536;
		char *np;
		while (nc < *len + n + 1)
			nc *= 2;
		np = realloc(*buf, nc);
		if (!np)
			return -1;
		*buf = np;
		*cap = nc;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
	return 0;
}

static int put_json(char **buf, size_t *len, size_t *cap, json_t *o, int skip_open)
{
	char *s = dump_compact(o);
	int rc;
	json_decref(o);
	if (!s)
		return -1;
	rc = put(buf, len, cap, s + skip_open, strlen(s + skip_open));
	free(s);
	return rc;
}

int report_compact(char **buf, size_t *len, size_t *cap, report_cache *c, const lr_record *rec,
		   const lr_result *res, const char *label)
{
	const lr_ruleset *rs = c->rs;
	uint32_t k, idx = 0;
	int rc = 0;
	json_t *lab = jtext_string(label);

	rc |= put(buf, len, cap, "{\"patient\":", 11);
	rc |= put_json(buf, len, cap, lab, 0);
	rc |= put(buf, len, cap, ",\"ruleset\":", 11);
	rc |= put(buf, len, cap, c->ruleset, strlen(c->ruleset));
	rc |= put(buf, len, cap, ",\"actions\":[", 12);
	for (k = 0; k < res->nactions; k++) {
		const lr_action *a = &res->actions[k];
		const char *frag;
		json_t *dyn = json_object();
		/* A rule's actions are emitted together and in order. */
		idx = k > 0 && res->actions[k - 1].rule == a->rule ? idx + 1 : 0;
		frag = c->frag[rs->rules[a->rule].first_action + idx];
		if (k)
			rc |= put(buf, len, cap, ",", 1);
		rc |= put(buf, len, cap, frag, strlen(frag));
		rc |= put(buf, len, cap, ",", 1);
		action_dynamic_json(dyn, rs, rec, a);
		rc |= put_json(buf, len, cap, dyn, 1);
	}
	rc |= put(buf, len, cap, "],\"overridden\":", 15);
	rc |= put_json(buf, len, cap, overridden_json(res), 0);
	rc |= put(buf, len, cap, ",\"missing\":", 11);
	rc |= put_json(buf, len, cap, missing_json(res), 0);
	rc |= put(buf, len, cap, ",\"errors\":", 10);
	rc |= put_json(buf, len, cap, errors_json(rs, rec, res), 0);
	rc |= put(buf, len, cap, "}", 1);
	return rc ? -1 : 0;
}

json_t *report_json_unreadable(const lr_ruleset *rs, const char *label, const patient_errors *errs)
{
	json_t *o = json_object(), *arr = json_array();
	int k;
	json_object_set_new(o, "patient", jtext_string(label));
	json_object_set_new(o, "ruleset", ruleset_json(rs));
	json_object_set_new(o, "actions", json_array());
	json_object_set_new(o, "overridden", json_array());
	json_object_set_new(o, "missing", json_array());
	for (k = 0; k < errs->n; k++) {
		json_t *m = json_object();
		if (errs->field[k][0])
			json_object_set_new(m, "field", jtext_string(errs->field[k]));
		json_object_set_new(m, "message", jtext_string(errs->msg[k]));
		json_array_append_new(arr, m);
	}
	json_object_set_new(o, "errors", arr);
	return o;
}

void report_text(FILE *out, const lr_ruleset *rs, const lr_record *rec, const lr_result *res, const char *label)
{
	/* eval_text.c: the text form, every citation quoted. */
	eval_text(out, rs, rec, res, label, NULL);
}

/* ---- recorded inputs -------------------------------------------------------
** A decision record carries the inputs it was computed from, so that
** `litrule trace` can evaluate them again at the recorded commit.  The
** value texts are those patient_value_text prints, which patient_from_json
** reads back to the same value: nothing is rounded on the way. */

/* "sha256:" and the hex SHA-256 of salt followed by text, in out (72+ bytes). */
static int mask_value(char *out, size_t n, const char *salt, const char *text)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, k;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
		 EVP_DigestUpdate(ctx, salt, strlen(salt)) == 1 && EVP_DigestUpdate(ctx, text, strlen(text)) == 1 &&
		 EVP_DigestFinal_ex(ctx, md, &mdlen) == 1;

	EVP_MD_CTX_free(ctx);
	if (!ok || n < 8 + 2 * (size_t)mdlen)
		return -1;
	strcpy(out, "sha256:");
	for (k = 0; k < mdlen; k++)
		snprintf(out + 7 + 2 * k, 3, "%02x", md[k]);
	return 0;
}

json_t *patient_inputs_json(const lr_ruleset *rs, const lr_record *rec, const unsigned char *mask, const char *salt)
{
	json_t *o = json_object();
	uint32_t i;

	if (!o)
		return NULL;
	for (i = 0; i < rs->ninputs; i++) {
		char buf[64], hashed[80];
		json_t *v;
		if (!rec->state[i])
			continue;
		patient_value_text(buf, sizeof buf, rs, rec, i);
		if (mask && mask[i]) {
			if (mask_value(hashed, sizeof hashed, salt ? salt : "", buf) != 0) {
				json_decref(o);
				return NULL;
			}
			v = json_string(hashed);
		} else if (rs->inputs[i].type == LR_T_BOOL) {
			v = json_boolean(rec->v[i]);
		} else {
			v = jtext_string(buf);
		}
		if (!v || json_object_set_new(o, rs->inputs[i].name, v) != 0) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}
