/*
** cli_schema.c: `litrule schema PATH...`: a JSON Schema (draft 2020-12) of
** the patient record that `litrule eval` reads (patient.c), made from the
** compiled table's inputs: one property per input with its type, unit,
** range and description.
**
**   litrule schema [--examples] PATH...
**
** The schema follows what patient_from_json accepts, form by form:
**   bool      true or false
**   date      a string "YYYY-MM-DD" (a real calendar day: the pattern
**             bounds the month and the day; "2025-02-30" passes the
**             pattern and is refused by eval)
**   number    a JSON number (read exactly as written; more than 9
**             decimal places is refused by eval, not by the schema) or a
**             decimal string -?D+(.D+)? with at most 9 significant
**             decimal places; a declared range is minimum/maximum on the
**             number form only (a JSON Schema cannot compare strings as
**             numbers), so eval alone refuses a string outside it
**   choice    one of the value names
** and null, or no key at all, is an unknown value.  Unknown keys are
** refused (additionalProperties: false).
**
** --examples prints instead each example's `given` as a patient record,
** one JSON object per line, with the inputs the example expects eval to
** refuse ("expect error INPUT"): the schema test checks both against the
** schema with an independent validator.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "jtext.h"
#include "patient.h"

/* A decimal string as lr_dec_parse reads it: digits past the ninth
 * decimal place must be zeros (nothing is rounded). */
#define DECIMAL_PATTERN "^-?[0-9]+(\\.[0-9]{1,9}0*)?$"
/* YYYY-MM-DD, years 0001 to 9999, months 01-12, days 01-31. */
#define DATE_PATTERN "^([0-9]{3}[1-9]|[0-9]{2}[1-9]0|[0-9][1-9]00|[1-9]000)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"

/* A decimal of the table (value encoding) as a JSON number: an integer
 * when it is one, else a real (dumped with 15 significant digits, so
 * 0.1 prints as 0.1). */
static json_t *dec_json(int64_t v)
{
	lr_dec d;
	char buf[64];

	if (v % 1000000000 == 0)
		return json_integer(v / 1000000000);
	d.v = v;
	lr_dec_format(buf, sizeof buf, d);
	return json_real(strtod(buf, NULL));
}

/* The description of input in: its own text, then what the schema
 * cannot say. */
static json_t *describe(const lr_input_def *in)
{
	char lo[64], hi[64], text[1024];
	size_t n = 0;
	lr_dec d;

	n += (size_t)snprintf(text + n, sizeof text - n, "%s", in->description && *in->description ? in->description : in->name);
	if (in->type == LR_T_NUM) {
		if (in->unit && *in->unit)
			n += (size_t)snprintf(text + n, sizeof text - n, ". Unit: %s", in->unit);
		if (in->has_range && n < sizeof text) {
			d.v = in->lo;
			lr_dec_format(lo, sizeof lo, d);
			d.v = in->hi;
			lr_dec_format(hi, sizeof hi, d);
			n += (size_t)snprintf(text + n, sizeof text - n,
					      ". Range %s to %s inclusive: checked here on the number form only; a decimal "
					      "string outside it is refused by litrule eval",
					      lo, hi);
		}
		if (n < sizeof text)
			snprintf(text + n, sizeof text - n,
				 ". A number or a decimal string, at most 9 decimal places, never rounded (strings are "
				 "safest: no JSON library can round them)");
	} else if (in->type == LR_T_DATE && n < sizeof text) {
		snprintf(text + n, sizeof text - n, ". A calendar day, \"YYYY-MM-DD\"");
	}
	return jtext_string(text);
}

/* The schema of one input's value. */
static json_t *input_schema(const lr_input_def *in)
{
	json_t *p = json_object(), *types, *vals, *num, *str, *any;
	uint32_t k;

	json_object_set_new(p, "description", describe(in));
	switch (in->type) {
	case LR_T_BOOL:
		types = json_array();
		json_array_append_new(types, json_string("boolean"));
		json_array_append_new(types, json_string("null"));
		json_object_set_new(p, "type", types);
		break;
	case LR_T_DATE:
		types = json_array();
		json_array_append_new(types, json_string("string"));
		json_array_append_new(types, json_string("null"));
		json_object_set_new(p, "type", types);
		json_object_set_new(p, "format", json_string("date"));
		json_object_set_new(p, "pattern", json_string(DATE_PATTERN));
		break;
	case LR_T_ENUM:
		vals = json_array();
		for (k = 0; k < in->nvalues; k++)
			json_array_append_new(vals, jtext_string(in->values[k]));
		json_array_append_new(vals, json_null());
		json_object_set_new(p, "enum", vals);
		break;
	default:
		num = json_object();
		json_object_set_new(num, "type", json_string("number"));
		if (in->has_range) {
			json_object_set_new(num, "minimum", dec_json(in->lo));
			json_object_set_new(num, "maximum", dec_json(in->hi));
		}
		str = json_object();
		json_object_set_new(str, "type", json_string("string"));
		json_object_set_new(str, "pattern", json_string(DECIMAL_PATTERN));
		any = json_array();
		json_array_append_new(any, num);
		json_array_append_new(any, str);
		json_array_append_new(any, json_pack("{s:s}", "type", "null"));
		json_object_set_new(p, "anyOf", any);
		if (in->unit && *in->unit)
			json_object_set_new(p, "x-unit", jtext_string(in->unit));
		break;
	}
	return p;
}

static json_t *schema_json(const lr_ruleset *rs)
{
	json_t *s = json_object(), *props = json_object();
	char text[512];
	uint32_t i;

	json_object_set_new(s, "$schema", json_string("https://json-schema.org/draft/2020-12/schema"));
	snprintf(text, sizeof text, "Patient record of rule set %s %s", rs->name, rs->version);
	json_object_set_new(s, "title", jtext_string(text));
	json_object_set_new(s, "description",
			    json_string("The record `litrule eval` reads (docs/patient.md): a JSON object whose keys are "
					"the rule set's inputs. A missing key or null is an unknown value. Unknown keys are "
					"refused. litrule also refuses what this schema cannot express: duplicate keys, "
					"impossible calendar days (2025-02-30), numbers with more than 9 decimal places or "
					"beyond 9223372036 in magnitude, "
					"decimal strings outside a declared range."));
	json_object_set_new(s, "x-ruleset-hash", jtext_string(rs->hash));
	json_object_set_new(s, "type", json_string("object"));
	for (i = 0; i < rs->ninputs; i++)
		json_object_set_new(props, rs->inputs[i].name, input_schema(&rs->inputs[i]));
	json_object_set_new(s, "properties", props);
	json_object_set_new(s, "additionalProperties", json_false());
	return s;
}

/* Appends s to the malloc'd string *buf; returns 0 or -1. */
static int cat(char **buf, size_t *len, const char *s)
{
	size_t n = strlen(s);
	char *nb = realloc(*buf, *len + n + 1);
	if (!nb)
		return -1;
	memcpy(nb + *len, s, n + 1);
	*buf = nb;
	*len += n;
	return 0;
}

/* s as a JSON string (compact), appended to *buf. */
static int cat_string(char **buf, size_t *len, const char *s)
{
	json_t *j = jtext_string(s);
	char *d = j ? json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
	int rc = d ? cat(buf, len, d) : -1;
	free(d);
	json_decref(j);
	return rc;
}

/* One example as a line: numbers keep their exact decimal text, which a
 * jansson real would not. */
static int example_line(const compiled *c, const decl *ex)
{
	const lr_ruleset *rs = &c->lw.rs;
	json_t *o = json_object(), *errs = json_array();
	char *head, *line = NULL, val[64];
	size_t len = 0, k;
	uint32_t i, line_no, col;
	lr_record rec;
	int rc = 0, first = 1;

	src_position(ex->file, ex->id.loc.start, &line_no, &col);
	json_object_set_new(o, "example", jtext_string(ex->id.name));
	json_object_set_new(o, "file", jtext_string(ex->file->path));
	json_object_set_new(o, "line", json_integer(line_no));
	for (k = 0; k < ex->expects.len; k++) {
		const expectation *e = ex->expects.items[k];
		if (e->kind == EXP_ERROR)
			json_array_append_new(errs, jtext_string(e->what.name));
	}
	json_object_set_new(o, "expect_error", errs);
	head = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!head)
		return -1;
	head[strlen(head) - 1] = '\0'; /* drop the closing brace */
	rc |= cat(&line, &len, head);
	free(head);
	rc |= cat(&line, &len, ",\"patient\":{");
	cli_example_record(&rec, &c->lw, ex, (arena *)&c->fe.a);
	for (i = 0; i < rs->ninputs; i++) {
		if (!rec.state[i])
			continue;
		rc |= cat(&line, &len, first ? "" : ",");
		first = 0;
		rc |= cat_string(&line, &len, rs->inputs[i].name);
		rc |= cat(&line, &len, ":");
		patient_value_text(val, sizeof val, rs, &rec, i);
		if (rs->inputs[i].type == LR_T_NUM || rs->inputs[i].type == LR_T_BOOL)
			rc |= cat(&line, &len, val);
		else
			rc |= cat_string(&line, &len, val);
	}
	rc |= cat(&line, &len, "}}\n");
	if (rc == 0)
		fputs(line, stdout);
	free(line);
	return rc ? -1 : 0;
}

int cli_schema(int argc, char **argv)
{
	fe_opts o;
	compiled c;
	int n = cli_frontend_opts(&o, argc, argv), i, k = 0, examples = 0, status = 0;

	if (n < 0)
		return 2;
	for (i = 0; i < n; i++) {
		if (strcmp(argv[i], "--examples") == 0)
			examples = 1;
		else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "litrule schema: unknown option '%s'\n", argv[i]);
			return 2;
		} else
			argv[k++] = argv[i];
	}
	if (k == 0) {
		fprintf(stderr, "usage: litrule schema [--examples] PATH...\n");
		return 2;
	}
	if (cli_compile(&c, &o, k, argv) != 0) {
		cli_compiled_free(&c);
		return 1;
	}
	if (examples) {
		size_t d;
		for (d = 0; d < c.fe.rs.decls.len && status == 0; d++) {
			const decl *ex = c.fe.rs.decls.items[d];
			if (ex->kind == D_EXAMPLE && example_line(&c, ex) != 0)
				status = 1;
		}
	} else {
		json_t *s = schema_json(&c.lw.rs);
		if (json_dumpf(s, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15)) != 0)
			status = 1;
		fputc('\n', stdout);
		json_decref(s);
	}
	if (status)
		fprintf(stderr, "litrule: out of memory\n");
	if (fflush(stdout) != 0)
		status = 1;
	cli_compiled_free(&c);
	return status;
}
