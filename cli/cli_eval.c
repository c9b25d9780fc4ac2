/*
** cli_eval.c: `litrule eval`: evaluates patients through the same table
** and runtime that generated C uses.
**
**   litrule eval --rules PATH [--format json|text] PATIENT.json...
**   litrule eval --rules PATH --jsonl < patients.jsonl
**
** JSON output is one object per patient (indented for files, one line
** each with --jsonl).  A malformed patient is reported with its file or
** line number and the field; the others are still evaluated; the exit
** status is then 1.  Memory does not grow with the number of patients.
** The action buffer holds lr_ruleset_max_actions entries, so every
** decision is printed whole; an LR_EFULL would make the exit status 1.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "patient.h"

typedef struct {
	const lr_ruleset *rs;
	lr_action *acts;     /* the result's buffer: lr_ruleset_max_actions entries */
	uint32_t cap;
	report_cache *cache; /* --jsonl JSON output: pre-rendered fragments */
	int text;
	int jsonl;
	int bad;
} eval_opts;

/* Collects one patient's JSON in memory: json_dumpf writes every token
 * with its own fwrite call, which dominated batch runs. */
typedef struct {
	char *p;
	size_t len, cap;
} outbuf;

static outbuf out;

static int append(const char *buf, size_t size, void *data)
{
	outbuf *b = data;
	if (b->len + size > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;
		char *np;
		while (cap < b->len + size)
			cap *= 2;
		np = realloc(b->p, cap);
		if (!np)
			return -1;
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, buf, size);
	b->len += size;
	return 0;
}

static void emit_json(json_t *o, int compact)
{
	out.len = 0;
	if (json_dump_callback(o, append, &out, compact ? JSON_COMPACT : JSON_INDENT(2)) == 0 &&
	    append("\n", 1, &out) == 0)
		fwrite(out.p, 1, out.len, stdout);
}

/* Evaluates one parsed patient (or reports why it cannot be) and prints it. */
static void one_patient(eval_opts *eo, const json_t *obj, const char *label)
{
	lr_record rec;
	lr_result res;
	patient_errors errs;
	int rc;

	if (patient_from_json(&rec, eo->rs, obj, &errs) > 0) {
		eo->bad = 1;
		if (eo->text) {
			int k;
			printf("== %s\n", label);
			for (k = 0; k < errs.n; k++)
				printf("   error: %s\n", errs.msg[k]);
			printf("\n");
		} else {
			json_t *o = report_json_unreadable(eo->rs, label, &errs);
			emit_json(o, eo->jsonl);
			json_decref(o);
		}
		{
			int k;
			for (k = 0; k < errs.n; k++)
				fprintf(stderr, "%s: %s\n", label, errs.msg[k]);
		}
		return;
	}
	lr_result_init(&res, eo->acts, eo->cap);
	rc = lr_eval(&res, eo->rs, &rec);
	if (rc == LR_ERANGE) {
		uint32_t k;
		eo->bad = 1;
		for (k = 0; k < res.nerrors; k++)
			if (res.errors[k].name)
				fprintf(stderr, "%s: field '%s': %s\n", label, res.errors[k].name, res.errors[k].message);
		if (res.errors_dropped)
			fprintf(stderr, "%s: and %u more errors\n", label, (unsigned)res.errors_dropped);
	} else if (rc == LR_EFULL) {
		/* Cannot happen with a buffer of lr_ruleset_max_actions; if it
		 * does, the decision is incomplete: say so and fail. */
		fprintf(stderr, "%s: %u actions did not fit in the result and are not listed\n", label,
			(unsigned)res.actions_dropped);
		eo->bad = 1;
	} else if (rc != LR_OK) {
		fprintf(stderr, "%s: %s\n", label, lr_strerror(rc));
		eo->bad = 1;
	}
	if (eo->text) {
		report_text(stdout, eo->rs, &rec, &res, label);
	} else if (eo->cache) {
		out.len = 0;
		if (report_compact(&out.p, &out.len, &out.cap, eo->cache, &rec, &res, label) == 0 &&
		    append("\n", 1, &out) == 0)
			fwrite(out.p, 1, out.len, stdout);
	} else {
		json_t *o = report_json(eo->rs, &rec, &res, label);
		emit_json(o, eo->jsonl);
		json_decref(o);
	}
}

static void eval_file(eval_opts *eo, const char *path)
{
	json_error_t jerr;
	json_t *obj = patient_load_file(path, &jerr);

	if (!obj) {
		patient_errors errs;
		errs.n = 1;
		errs.field[0][0] = '\0';
		snprintf(errs.msg[0], sizeof errs.msg[0], "line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
		fprintf(stderr, "%s:%d:%d: error: %s\n", path, jerr.line, jerr.column, jerr.text);
		eo->bad = 1;
		if (!eo->text) {
			json_t *o = report_json_unreadable(eo->rs, path, &errs);
			emit_json(o, 0);
			json_decref(o);
		}
		return;
	}
	one_patient(eo, obj, path);
	json_decref(obj);
}

static void eval_stream(eval_opts *eo, FILE *in)
{
	char *line = NULL;
	size_t cap = 0;
	long n = 0;
	ssize_t len;

	while ((len = getline(&line, &cap, in)) >= 0) {
		json_error_t jerr;
		json_t *obj;
		char label[32];
		n++;
		snprintf(label, sizeof label, "line %ld", n);
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		obj = patient_loadb(line, (size_t)len, &jerr);
		if (!obj) {
			patient_errors errs;
			errs.n = 1;
			errs.field[0][0] = '\0';
			snprintf(errs.msg[0], sizeof errs.msg[0], "column %d: %s", jerr.column, jerr.text);
			fprintf(stderr, "<stdin>:%ld:%d: error: %s\n", n, jerr.column, jerr.text);
			eo->bad = 1;
			if (!eo->text) {
				json_t *o = report_json_unreadable(eo->rs, label, &errs);
				emit_json(o, 1);
				json_decref(o);
			}
			continue;
		}
		one_patient(eo, obj, label);
		json_decref(obj);
	}
	free(line);
}

int cli_eval(int argc, char **argv)
{
	fe_opts o;
	eval_opts eo;
	compiled c;
	char **rules = calloc((size_t)argc + 1, sizeof(char *));
	char **patients = calloc((size_t)argc + 1, sizeof(char *));
	int nrules = 0, npat = 0, i, n, status;

	memset(&eo, 0, sizeof eo);
	n = cli_frontend_opts(&o, argc, argv);
	if (n < 0 || !rules || !patients) {
		free(rules);
		free(patients);
		return 2;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(argv[i], "--rules") == 0 && i + 1 < n)
			rules[nrules++] = argv[++i];
		else if (strncmp(argv[i], "--rules=", 8) == 0)
			rules[nrules++] = argv[i] + 8;
		else if (strcmp(argv[i], "--format") == 0 && i + 1 < n)
			eo.text = strcmp(argv[++i], "text") == 0 ? 1 : strcmp(argv[i], "json") == 0 ? 0 : -1;
		else if (strncmp(argv[i], "--format=", 9) == 0)
			eo.text = strcmp(argv[i] + 9, "text") == 0 ? 1 : strcmp(argv[i] + 9, "json") == 0 ? 0 : -1;
		else if (strcmp(argv[i], "--jsonl") == 0)
			eo.jsonl = 1;
		else if (argv[i][0] == '-' && argv[i][1] == '-')
			eo.text = -2;
		else
			patients[npat++] = argv[i];
	}
	if (nrules == 0 || eo.text < 0 || (npat == 0 && !eo.jsonl) || (npat && eo.jsonl)) {
		fprintf(stderr, "usage: litrule eval --rules PATH [--format json|text] PATIENT.json...\n"
				"       litrule eval --rules PATH [--format json|text] --jsonl < PATIENTS.jsonl\n");
		free(rules);
		free(patients);
		return 2;
	}
	if (cli_compile(&c, &o, nrules, rules) != 0) {
		cli_compiled_free(&c);
		free(rules);
		free(patients);
		return 1;
	}
	eo.rs = &c.lw.rs;
	/* The compiler's bound: no decision can be cut short. */
	eo.cap = lr_ruleset_max_actions(eo.rs);
	eo.cap = eo.cap ? eo.cap : 1;
	eo.acts = malloc((size_t)eo.cap * sizeof *eo.acts);
	if (!eo.acts) {
		fprintf(stderr, "litrule: out of memory\n");
		cli_compiled_free(&c);
		free(rules);
		free(patients);
		return 1;
	}
	if (eo.jsonl && !eo.text && !(eo.cache = report_cache_new(eo.rs))) {
		fprintf(stderr, "litrule: out of memory\n");
		free(eo.acts);
		cli_compiled_free(&c);
		free(rules);
		free(patients);
		return 1;
	}
	if (eo.jsonl)
		eval_stream(&eo, stdin);
	for (i = 0; i < npat; i++)
		eval_file(&eo, patients[i]);
	status = eo.bad ? 1 : 0;
	if (fflush(stdout) != 0)
		status = 1;
	cli_compiled_free(&c);
	free(rules);
	free(patients);
	report_cache_free(eo.cache);
	free(eo.acts);
	free(out.p);
	out.p = NULL;
	out.len = out.cap = 0;
	return status;
}
