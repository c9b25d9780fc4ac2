/*
** patient.c: reading patient JSON (jansson) and printing decisions.
**
** Exactness of JSON numbers: jansson hands real numbers over as doubles.
** The text the author wrote is recovered with the shortest decimal that
** reads back as the same double, which is the written text whenever it
** has at most 15 significant digits; the result is then parsed as an
** exact decimal.  Longer numbers must be given as strings, and are
** refused otherwise rather than rounded.
*/
#include "patient.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "litrule_table.h"

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

/* The shortest fixed-point text (at most 9 decimals, at most 15
 * significant digits) that reads back as d, or -1 if there is none. */
static int real_text(char *buf, size_t n, double d)
{
	int prec;
	if (!(d > -1e15 && d < 1e15))
		return -1;
	for (prec = 0; prec <= LR_DEC_FRAC_DIGITS; prec++) {
		const char *p;
		int sig = 0, lead = 1;
		snprintf(buf, n, "%.*f", prec, d);
		if (strtod(buf, NULL) != d)
			continue;
		for (p = buf; *p; p++) {
			if (*p < '0' || *p > '9')
				continue;
			if (*p != '0')
				lead = 0;
			if (!lead)
				sig++;
		}
		return sig <= 15 ? 0 : -1;
	}
	return -1;
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

static int set_one(lr_record *rec, const lr_ruleset *rs, uint32_t i, const json_t *v, patient_errors *errs)
{
	const lr_input_def *in = &rs->inputs[i];
	char buf[64];
	int rc;

	if (json_is_null(v))
		return 0;
	switch (in->type) {
	case LR_T_BOOL:
		if (!json_is_boolean(v))
			break;
		return lr_record_set_bool(rec, i, json_is_true(v));
	case LR_T_DATE:
		if (!json_is_string(v))
			break;
		if (lr_record_set_text(rec, i, json_string_value(v), json_string_length(v)) != LR_OK) {
			err(errs, in->name, "field '%s': \"%s\" is not a date (expected \"YYYY-MM-DD\", a real calendar day)",
			    in->name, json_string_value(v));
			return -1;
		}
		return 0;
	case LR_T_ENUM:
		if (!json_is_string(v))
			break;
		if (lr_record_set_text(rec, i, json_string_value(v), json_string_length(v)) != LR_OK) {
			char list[512] = "";
			uint32_t k;
			size_t len = 0;
			for (k = 0; k < in->nvalues && len < sizeof list; k++)
				len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", k ? ", " : "", in->values[k]);
			err(errs, in->name, "field '%s': \"%s\" is not one of: %s", in->name, json_string_value(v), list);
			return -1;
		}
		return 0;
	case LR_T_NUM:
		if (json_is_integer(v)) {
			snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		} else if (json_is_real(v)) {
			if (real_text(buf, sizeof buf, json_real_value(v)) != 0) {
				err(errs, in->name, "field '%s': this number cannot be read exactly (more than 15 significant digits or 9 decimal places); write it as a string",
				    in->name);
				return -1;
			}
		} else if (json_is_string(v)) {
			/* Parsed whole, not through buf: a copy cut at sizeof buf
			 * could turn "1.000...0001" into an acceptable "1.000...0". */
			rc = lr_record_set_text(rec, i, json_string_value(v), json_string_length(v));
			if (rc != LR_OK) {
				err(errs, in->name, "field '%s': \"%.60s%s\" is not a decimal number%s", in->name,
				    json_string_value(v), json_string_length(v) > 60 ? "..." : "",
				    rc == LR_EOVERFLOW ? " in range" : " (at most 9 decimal places)");
				return -1;
			}
			return 0;
		} else {
			break;
		}
		rc = lr_record_set_text(rec, i, buf, strlen(buf));
		if (rc != LR_OK) {
			err(errs, in->name, "field '%s': \"%s\" is not a decimal number%s", in->name, buf,
			    rc == LR_EOVERFLOW ? " in range" : " (at most 9 decimal places)");
			return -1;
		}
		return 0;
	}
	err(errs, in->name, "field '%s': expected %s", in->name, type_words(in));
	return -1;
}

int patient_from_json(lr_record *rec, const lr_ruleset *rs, const json_t *obj, patient_errors *errs)
{
	const char *key;
	json_t *v;

	errs->n = 0;
	lr_record_init(rec, rs);
	if (!json_is_object(obj)) {
		err(errs, NULL, "a patient is a JSON object whose keys are input names");
		return errs->n;
	}
	json_object_foreach((json_t *)obj, key, v) {
		uint32_t i;
		if (lr_record_find(&i, rs, key, strlen(key)) != LR_OK) {
			err(errs, key, "field '%s': not an input of rule set '%s'", key, rs->name);
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
	json_object_set_new(o, "name", json_string(rs->name));
	json_object_set_new(o, "version", json_string(rs->version));
	json_object_set_new(o, "hash", json_string(rs->hash));
	if (rs->commit)
		json_object_set_new(o, "commit", json_string(rs->commit));
	return o;
}

/* The parts of an action that depend only on the rule set. */
static json_t *action_static_json(const lr_action *a)
{
	json_t *o = json_object(), *cites = json_array(), *at = json_object();
	uint32_t k;

	json_object_set_new(o, "rule", json_string(a->rule_id));
	json_object_set_new(o, "title", json_string(a->rule_title));
	json_object_set_new(o, "verb", json_string(a->verb));
	json_object_set_new(o, "text", json_string(a->text));
	for (k = 0; k < a->ncitations; k++) {
		json_t *c = json_object();
		json_object_set_new(c, "source", json_string(a->citations[k].source));
		json_object_set_new(c, "title", json_string(a->citations[k].title));
		json_object_set_new(c, "locator", json_string(a->citations[k].locator));
		json_object_set_new(c, "quote", json_string(a->citations[k].quote));
		json_array_append_new(cites, c);
	}
	json_object_set_new(o, "citations", cites);
	json_object_set_new(at, "file", json_string(a->file));
	json_object_set_new(at, "line", json_integer(a->line));
	json_object_set_new(at, "end_line", json_integer(a->end_line));
	json_object_set_new(at, "headings", json_string(a->headings));
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
		json_object_set_new(d, "amount", json_string(buf));
		json_object_set_new(d, "unit", json_string(a->unit));
		if (a->route)
			json_object_set_new(d, "route", json_string(a->route));
		json_object_set_new(o, "dose", d);
	}
	if (a->has_schedule) {
		json_object_set_new(o, "schedule", json_string(a->schedule));
		if (a->phase) {
			json_object_set_new(o, "phase", json_string(a->phase));
			lr_date_format(buf, sizeof buf, a->next_due);
			json_object_set_new(o, "next_due", json_string(buf));
			json_object_set_new(o, "overdue", json_boolean(a->overdue));
		} else {
			json_object_set_new(o, "phase", json_null());
			json_object_set_new(o, "completed", json_true());
		}
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
			json_object_set_new(reads, rs->inputs[i].name, json_string(buf));
	}
	json_object_set_new(o, "inputs", reads);
}

static json_t *action_json(const lr_ruleset *rs, const lr_record *rec, const lr_action *a)
{
	json_t *o = action_static_json(a);
	action_dynamic_json(o, rs, rec, a);
	return o;
}

/* The missing and errors arrays of a result. */
static json_t *missing_json(const lr_result *res)
{
	json_t *miss = json_array();
	uint32_t k;
	for (k = 0; k < res->nmissing; k++) {
		json_t *m = json_object();
		json_object_set_new(m, "input", json_string(res->missing[k].name));
		json_object_set_new(m, "needed_by", json_string(res->missing[k].rule_id));
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
			json_object_set_new(m, "field", json_string(e->name));
		if (e->rule_id)
			json_object_set_new(m, "rule", json_string(e->rule_id));
		json_object_set_new(m, "message", json_string(e->message));
		if (e->input >= 0) {
			char buf[64];
			patient_value_text(buf, sizeof buf, rs, rec, (uint32_t)e->input);
			json_object_set_new(m, "value", json_string(buf));
		}
		if (e->code == LR_EFULL) /* how many actions are not listed */
			json_object_set_new(m, "dropped", json_integer(res->actions_dropped));
		json_array_append_new(errs, m);
	}
	if (res->errors_dropped) { /* never cut without a count */
		json_t *m = json_object();
		char buf[64];
		snprintf(buf, sizeof buf, "and %u more errors", (unsigned)res->errors_dropped);
		json_object_set_new(m, "message", json_string(buf));
		json_object_set_new(m, "more", json_integer(res->errors_dropped));
		json_array_append_new(errs, m);
	}
	return errs;
}

json_t *report_json(const lr_ruleset *rs, const lr_record *rec, const lr_result *res, const char *label)
{
	json_t *o = json_object(), *acts = json_array();
	uint32_t k;

	json_object_set_new(o, "patient", json_string(label));
	json_object_set_new(o, "ruleset", ruleset_json(rs));
	for (k = 0; k < res->nactions; k++)
		json_array_append_new(acts, action_json(rs, rec, &res->actions[k]));
	json_object_set_new(o, "actions", acts);
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
	json_t *lab = json_string(label);

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
	rc |= put(buf, len, cap, "],\"missing\":", 12);
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
	json_object_set_new(o, "patient", json_string(label));
	json_object_set_new(o, "ruleset", ruleset_json(rs));
	json_object_set_new(o, "actions", json_array());
	json_object_set_new(o, "missing", json_array());
	for (k = 0; k < errs->n; k++) {
		json_t *m = json_object();
		if (errs->field[k][0])
			json_object_set_new(m, "field", json_string(errs->field[k]));
		json_object_set_new(m, "message", json_string(errs->msg[k]));
		json_array_append_new(arr, m);
	}
	json_object_set_new(o, "errors", arr);
	return o;
}

void report_text(FILE *out, const lr_ruleset *rs, const lr_record *rec, const lr_result *res, const char *label)
{
	uint32_t k, c;
	char buf[64];

	fprintf(out, "== %s\n", label);
	if (res->nactions == 0 && res->nerrors == 0)
		fprintf(out, "   no rule fired\n");
	for (k = 0; k < res->nactions; k++) {
		const lr_action *a = &res->actions[k];
		fprintf(out, "\n   [%s] %s: %s\n", a->rule_id, a->verb, a->text);
		if (a->has_dose) {
			lr_dec_format(buf, sizeof buf, a->amount);
			fprintf(out, "      dose: %s %s%s%s\n", buf, a->unit, a->route ? " " : "", a->route ? a->route : "");
		}
		if (a->has_schedule) {
			if (a->phase) {
				lr_date_format(buf, sizeof buf, a->next_due);
				fprintf(out, "      schedule %s: phase %s, next due %s%s\n", a->schedule, a->phase, buf,
					a->overdue ? " (OVERDUE)" : "");
			} else {
				fprintf(out, "      schedule %s: all phases completed\n", a->schedule);
			}
		}
		fprintf(out, "      rule: %s \"%s\" at %s:%u", a->rule_id, a->rule_title, a->file, (unsigned)a->line);
		if (a->headings && *a->headings)
			fprintf(out, " (%s)", a->headings);
		fputc('\n', out);
		for (c = 0; c < a->ncitations; c++)
			fprintf(out, "      cites %s, %s:\n         \"%s\"\n", a->citations[c].source, a->citations[c].locator,
				a->citations[c].quote);
		if (a->nreads) {
			fprintf(out, "      read:");
			for (c = 0; c < a->nreads; c++) {
				patient_value_text(buf, sizeof buf, rs, rec, a->reads[c]);
				fprintf(out, " %s=%s", rs->inputs[a->reads[c]].name, buf);
			}
			fputc('\n', out);
		}
	}
	if (res->nmissing) {
		fprintf(out, "\n   missing data:");
		for (k = 0; k < res->nmissing; k++)
			fprintf(out, " %s (needed by %s)%s", res->missing[k].name, res->missing[k].rule_id,
				k + 1 < res->nmissing ? "," : "");
		fputc('\n', out);
	}
	for (k = 0; k < res->nerrors; k++) {
		const lr_error *e = &res->errors[k];
		if (e->input >= 0) {
			patient_value_text(buf, sizeof buf, rs, rec, (uint32_t)e->input);
			fprintf(out, "   error: field '%s' = %s: %s\n", e->name, buf, e->message);
		} else if (e->code == LR_EFULL) {
			fprintf(out, "   error: %s: %u actions are not listed\n", e->message, (unsigned)res->actions_dropped);
		} else {
			fprintf(out, "   error: rule %s: %s\n", e->rule_id ? e->rule_id : "?", e->message);
		}
	}
	if (res->errors_dropped)
		fprintf(out, "   error: and %u more errors\n", (unsigned)res->errors_dropped);
	fputc('\n', out);
}
