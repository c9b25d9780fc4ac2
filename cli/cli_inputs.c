/*
** cli_inputs.c: `litrule inputs PATH...`: the rule set's inputs as a
** table, for an integrator wiring a data source to the rules.
**
**   litrule inputs [--format text|json] PATH...
**
** One row per input, in declaration order: name, type, unit, range, the
** rules that read it (directly or through lets and tables, as the
** compiled table records) and its description.  --format json prints an
** array of {name, type, values, unit, range, read_by, description}.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "jtext.h"

static const char *type_name(const lr_input_def *in)
{
	switch (in->type) {
	case LR_T_BOOL: return "bool";
	case LR_T_DATE: return "date";
	case LR_T_NUM: return "number";
	default: return "choice";
	}
}

/* "18 to 110", or "" without a declared range. */
static void range_text(char *buf, size_t n, const lr_input_def *in)
{
	char lo[64], hi[64];
	lr_dec d;

	buf[0] = '\0';
	if (in->type != LR_T_NUM || !in->has_range)
		return;
	d.v = in->lo;
	lr_dec_format(lo, sizeof lo, d);
	d.v = in->hi;
	lr_dec_format(hi, sizeof hi, d);
	snprintf(buf, n, "%s to %s", lo, hi);
}

/* Does rule r read input i? */
static int reads(const lr_ruleset *rs, uint32_t r, uint32_t i)
{
	const lr_rule_def *rd = &rs->rules[r];
	uint32_t k;
	for (k = 0; k < rd->nreads; k++)
		if (rs->reads[rd->first_read + k] == i)
			return 1;
	return 0;
}

/* The ids of the rules reading input i, ", "-separated (malloc'd). */
static char *readers_text(const lr_ruleset *rs, uint32_t i)
{
	size_t len = 0, cap = 64;
	char *s = malloc(cap);
	uint32_t r;

	if (!s)
		return NULL;
	s[0] = '\0';
	for (r = 0; r < rs->nrules; r++) {
		size_t need;
		if (!reads(rs, r, i))
			continue;
		need = len + strlen(rs->rules[r].id) + 3;
		if (need > cap) {
			char *ns;
			while (cap < need)
				cap *= 2;
			if (!(ns = realloc(s, cap))) {
				free(s);
				return NULL;
			}
			s = ns;
		}
		len += (size_t)sprintf(s + len, "%s%s", len ? ", " : "", rs->rules[r].id);
	}
	return s;
}

static json_t *inputs_json(const lr_ruleset *rs)
{
	json_t *arr = json_array();
	uint32_t i, k, r;

	for (i = 0; i < rs->ninputs; i++) {
		const lr_input_def *in = &rs->inputs[i];
		json_t *o = json_object(), *by = json_array();
		char buf[64];
		json_object_set_new(o, "name", jtext_string(in->name));
		json_object_set_new(o, "type", json_string(type_name(in)));
		if (in->type == LR_T_ENUM) {
			json_t *vals = json_array();
			for (k = 0; k < in->nvalues; k++)
				json_array_append_new(vals, jtext_string(in->values[k]));
			json_object_set_new(o, "values", vals);
		}
		json_object_set_new(o, "unit", in->type == LR_T_NUM && in->unit && *in->unit ? jtext_string(in->unit) : json_null());
		if (in->type == LR_T_NUM && in->has_range) {
			json_t *rg = json_object();
			lr_dec d;
			d.v = in->lo;
			lr_dec_format(buf, sizeof buf, d);
			json_object_set_new(rg, "from", jtext_string(buf)); /* decimal strings: exact */
			d.v = in->hi;
			lr_dec_format(buf, sizeof buf, d);
			json_object_set_new(rg, "to", jtext_string(buf));
			json_object_set_new(o, "range", rg);
		} else {
			json_object_set_new(o, "range", json_null());
		}
		for (r = 0; r < rs->nrules; r++)
			if (reads(rs, r, i))
				json_array_append_new(by, jtext_string(rs->rules[r].id));
		json_object_set_new(o, "read_by", by);
		json_object_set_new(o, "description", jtext_string(in->description ? in->description : ""));
		json_array_append_new(arr, o);
	}
	return arr;
}

/* Prints "label: " and the words of text (", "-separated), wrapped at
 * WRAP columns, each line indented by pad. */
#define WRAP 100
static void wrapped(const char *label, const char *text, size_t pad)
{
	size_t indent = pad + strlen(label) + 2, col = indent;
	const char *p = text;
	int first = 1;

	printf("%*s%s: ", (int)pad, "", label);
	while (*p) {
		const char *end = strstr(p, ", ");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (first)
			col += n;
		else if (col + 2 + n > WRAP) {
			printf(",\n%*s", (int)indent, "");
			col = indent + n;
		} else {
			printf(", ");
			col += 2 + n;
		}
		printf("%.*s", (int)n, p);
		first = 0;
		p += n + (end ? 2 : 0);
	}
	putchar('\n');
}

/* A table with a row per input; a choice's values and the rules that
 * read the input follow on lines of their own (long lists would push
 * every description off the screen). */
static int print_table(const lr_ruleset *rs)
{
	size_t w[4] = {4, 6, 4, 5}, i, c;
	char (*cells)[4][256] = calloc(rs->ninputs + 1, sizeof *cells);

	if (!cells)
		return -1;
	for (i = 0; i < rs->ninputs; i++) {
		const lr_input_def *in = &rs->inputs[i];
		snprintf(cells[i][0], sizeof cells[i][0], "%s", in->name);
		snprintf(cells[i][1], sizeof cells[i][1], "%s", type_name(in));
		snprintf(cells[i][2], sizeof cells[i][2], "%s", in->type == LR_T_NUM && in->unit ? in->unit : "");
		range_text(cells[i][3], sizeof cells[i][3], in);
		for (c = 0; c < 4; c++)
			if (strlen(cells[i][c]) > w[c])
				w[c] = strlen(cells[i][c]);
	}
	printf("%-*s  %-*s  %-*s  %-*s  %s\n", (int)w[0], "NAME", (int)w[1], "TYPE", (int)w[2], "UNIT", (int)w[3],
	       "RANGE", "DESCRIPTION");
	for (i = 0; i < rs->ninputs; i++) {
		const lr_input_def *in = &rs->inputs[i];
		char *by = readers_text(rs, (uint32_t)i);
		if (!by) {
			free(cells);
			return -1;
		}
		printf("%-*s  %-*s  %-*s  %-*s  %s\n", (int)w[0], cells[i][0], (int)w[1], cells[i][1], (int)w[2],
		       cells[i][2], (int)w[3], cells[i][3], in->description && *in->description ? in->description : "-");
		if (in->type == LR_T_ENUM) {
			char vals[1024];
			size_t len = 0;
			uint32_t k;
			vals[0] = '\0';
			for (k = 0; k < in->nvalues && len < sizeof vals; k++)
				len += (size_t)snprintf(vals + len, sizeof vals - len, "%s%s", k ? ", " : "", in->values[k]);
			wrapped("values", vals, w[0] + 2);
		}
		wrapped("read by", *by ? by : "no rule", w[0] + 2);
		free(by);
	}
	printf("%u input%s\n", (unsigned)rs->ninputs, rs->ninputs == 1 ? "" : "s");
	free(cells);
	return 0;
}

int cli_inputs(int argc, char **argv)
{
	fe_opts o;
	compiled c;
	int n = cli_frontend_opts(&o, argc, argv), i, k = 0, json = 0, status = 0;

	if (n < 0)
		return 2;
	for (i = 0; i < n; i++) {
		const char *f = NULL;
		if (strcmp(argv[i], "--format") == 0 && i + 1 < n)
			f = argv[++i];
		else if (strncmp(argv[i], "--format=", 9) == 0)
			f = argv[i] + 9;
		else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "litrule inputs: unknown option '%s'\n", argv[i]);
			return 2;
		} else {
			argv[k++] = argv[i];
			continue;
		}
		if (strcmp(f, "json") != 0 && strcmp(f, "text") != 0) {
			fprintf(stderr, "litrule inputs: --format takes text or json, not '%s'\n", f);
			return 2;
		}
		json = strcmp(f, "json") == 0;
	}
	if (k == 0) {
		fprintf(stderr, "usage: litrule inputs [--format text|json] PATH...\n");
		return 2;
	}
	if (cli_compile(&c, &o, k, argv) != 0) {
		cli_compiled_free(&c);
		return 1;
	}
	if (json) {
		json_t *a = inputs_json(&c.lw.rs);
		status = json_dumpf(a, stdout, JSON_INDENT(2)) != 0;
		fputc('\n', stdout);
		json_decref(a);
	} else if (print_table(&c.lw.rs) != 0) {
		fprintf(stderr, "litrule: out of memory\n");
		status = 1;
	}
	if (fflush(stdout) != 0)
		status = 1;
	cli_compiled_free(&c);
	return status;
}
