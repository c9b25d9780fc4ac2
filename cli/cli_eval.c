/*
** cli_eval.c: `litrule eval`: evaluates patients through the same table
** and runtime that generated C uses.
**
**   litrule eval --rules PATH [--format json|text|summary] [--full] PATIENT.json...
**   litrule eval --rules PATH --jsonl < patients.jsonl
**        [--output full|compact] [--jobs N]: eval_batch.c (docs/eval.md)
**   options: --record-inputs (default with --jsonl) | --no-record-inputs,
**            --mask FIELD... with --mask-salt SALT (or LITRULE_MASK_SALT)
**
** With --record-inputs each JSON record also carries, after "errors",
** "path" (the rule set's path in its git repository, when there is one),
** "dirty" (the rule files differ from the recorded commit), "inputs" (the
** patient's known inputs as given) and, with --mask, "masked" (the
** inputs recorded as salted hashes).  `litrule trace` replays them
** (docs/trace.md).  Without it the output is unchanged.
**
** JSON output is JSON Lines: one object per patient, each on one line,
** for files (with a space after ':' and ',') as with --jsonl (compact).
** Text output quotes a rule's citations under its first decision of the
** run only (--full: under every decision); --format summary is one line
** per decision (eval_text.c).  A malformed patient is reported with its file or
** line number and the field; the others are still evaluated; the exit
** status is then 1.  Memory does not grow with the number of patients.
** The action buffer holds lr_ruleset_max_actions entries, so every
** decision is printed whole; an LR_EFULL would make the exit status 1.
*/
#define _XOPEN_SOURCE 700 /* realpath */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/repo.h"
#include "cli_common.h"
#include "cli_git.h"
#include "eval_batch.h"
#include "eval_text.h"
#include "jtext.h"
#include "patient.h"

typedef struct {
	const lr_ruleset *rs;
	lr_action *acts;     /* the result's buffer: lr_ruleset_max_actions entries */
	uint32_t cap;
	lr_missing *missing; /* the missing list past LR_MISSING_INLINE inputs; NULL until needed */
	report_cache *cache; /* --jsonl JSON output: pre-rendered fragments */
	int text;              /* 0 JSON, 1 text, 2 summary; negative: a bad --format */
	int full;              /* --full: text quotes every citation every time */
	unsigned char *cited;  /* text: per rule, its citations were quoted */
	int jsonl;
	int bad;
	int record;            /* --record-inputs: 1, --no-record-inputs: 0, unset: -1 */
	unsigned char *mask;   /* per input: recorded as a salted hash */
	const char *salt;
	int mask_any;          /* some input is masked: no cached fragments */
	json_t *extra;         /* "path", "dirty", "masked": the same for every record */
	char *fixed;           /* batch path: the fixed members, compact, without braces */
	char **keys;           /* batch path: per input, its escaped key and ':' */
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
	/* One line per record either way (JSON Lines); files get the spaces
	 * of jansson's default separators, which people read more easily. */
	if (json_dump_callback(o, append, &out, compact ? JSON_COMPACT : 0) == 0 &&
	    append("\n", 1, &out) == 0)
		fwrite(out.p, 1, out.len, stdout);
}

/* The record's extra members (--record-inputs): the fixed ones and the
 * patient's inputs, as an object to add to the record (new reference). */
static json_t *record_extra(const eval_opts *eo, const lr_record *rec)
{
	json_t *x = json_object(), *in = patient_inputs_json(eo->rs, rec, eo->mask, eo->salt);
	const char *key;
	json_t *v;

	if (!x || !in) {
		json_decref(x);
		json_decref(in);
		return NULL;
	}
	/* Order: path, dirty, inputs, masked (as docs/trace.md shows). */
	json_object_foreach(eo->extra, key, v)
		if (strcmp(key, "masked") != 0)
			json_object_set(x, key, v);
	json_object_set_new(x, "inputs", in);
	if ((v = json_object_get(eo->extra, "masked")) != NULL)
		json_object_set(x, "masked", v);
	return x;
}

/* The batch path (--jsonl, nothing masked): appends the same members as
 * record_extra's compact dump, written directly; building and dumping a
 * jansson object per patient cost a third of the batch's time.  The keys
 * and the fixed members are escaped once (eo->fixed, eo->keys); values are
 * digits, dates and booleans, and enumeration names escaped by jansson. */
static int splice_inputs(const eval_opts *eo, const lr_record *rec)
{
	const lr_ruleset *rs = eo->rs;
	uint32_t i;
	int rc = 0, first = 1;

	if (out.len == 0 || out.p[out.len - 1] != '}')
		return -1;
	out.len--;
	rc |= append(",", 1, &out) | append(eo->fixed, strlen(eo->fixed), &out) | append(",\"inputs\":{", 11, &out);
	for (i = 0; i < rs->ninputs; i++) {
		char buf[64];
		if (!rec->state[i])
			continue;
		if (!first)
			rc |= append(",", 1, &out);
		first = 0;
		rc |= append(eo->keys[i], strlen(eo->keys[i]), &out);
		patient_value_text(buf, sizeof buf, rs, rec, i);
		if (rs->inputs[i].type == LR_T_BOOL) {
			rc |= append(buf, strlen(buf), &out);
		} else if (rs->inputs[i].type == LR_T_ENUM) {
			json_t *s = jtext_string(buf);
			char *d = s ? json_dumps(s, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
			rc |= d ? append(d, strlen(d), &out) : -1;
			free(d);
			json_decref(s);
		} else {
			rc |= append("\"", 1, &out) | append(buf, strlen(buf), &out) | append("\"", 1, &out);
		}
	}
	rc |= append("}}", 2, &out);
	return rc ? -1 : 0;
}

/* Appends the members of x to the compact record in out (which ends in
 * '}'); consumes x.  Returns 0 or -1. */
static int splice_extra(json_t *x)
{
	char *s = x ? json_dumps(x, JSON_COMPACT) : NULL;
	int rc = -1;

	if (s && out.len > 0 && out.p[out.len - 1] == '}' && strlen(s) > 2) {
		out.len--;
		rc = append(",", 1, &out) || append(s + 1, strlen(s + 1), &out) ? -1 : 0;
	}
	free(s);
	json_decref(x);
	return rc;
}

/* With --mask, the masked values must not show anywhere in the record:
 * each action's "inputs" (what the rule read) and each error's "value"
 * get the hash recorded in x's "inputs" (or null when missing). */
static void mask_record(json_t *o, const json_t *x)
{
	const json_t *masked = json_object_get(x, "masked"), *vals = json_object_get(x, "inputs");
	json_t *v;
	size_t k, m;

	json_array_foreach(json_object_get(o, "actions"), k, v) {
		json_t *reads = json_object_get(v, "inputs"), *name;
		json_array_foreach(masked, m, name) {
			const char *nm = json_string_value(name);
			json_t *h = json_object_get(vals, nm);
			if (json_object_get(reads, nm))
				json_object_set(reads, nm, h ? h : json_null());
		}
	}
	json_array_foreach(json_object_get(o, "errors"), k, v) {
		json_t *name;
		json_array_foreach(masked, m, name) {
			json_t *h = json_object_get(vals, json_string_value(name));
			if (json_equal(json_object_get(v, "field"), name) && json_object_get(v, "value"))
				json_object_set(v, "value", h ? h : json_null());
		}
	}
}

/* Evaluates one parsed patient (or reports why it cannot be) and prints it. */
static void one_patient(eval_opts *eo, const json_t *obj, const char *label)
{
	lr_record rec;
	lr_result res;
	patient_errors errs;
	int rc;

	memset(&rec, 0, sizeof rec); /* patient_record_reset's contract */
	if (patient_from_json(&rec, eo->rs, obj, &errs) > 0) {
		int m;
		uint32_t i;
		eo->bad = 1;
		/* The messages quote the bad value: not for a masked input. */
		for (m = 0; eo->mask_any && m < errs.n; m++)
			if (lr_record_find(&i, eo->rs, errs.field[m], strlen(errs.field[m])) == LR_OK && eo->mask[i])
				snprintf(errs.msg[m], sizeof errs.msg[0], "field '%s': not a valid value (the value is masked)",
					 eo->rs->inputs[i].name);
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
		patient_record_release(&rec);
		return;
	}
	lr_result_init(&res, eo->acts, eo->cap);
	if (eo->rs->ninputs > LR_MISSING_INLINE && !(eo->missing = eo->missing ? eo->missing
						    : malloc((size_t)eo->rs->ninputs * sizeof *eo->missing)))
		fprintf(stderr, "litrule: out of memory\n"), exit(1);
	if (eo->missing)
		lr_result_set_missing(&res, eo->missing, eo->rs->ninputs);
	rc = cli_evaluate(&res, eo->rs, &rec);
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
	if (eo->text == 2) {
		eval_summary(stdout, eo->rs, &rec, &res, label);
	} else if (eo->text) {
		eval_text(stdout, eo->rs, &rec, &res, label, eo->full ? NULL : eo->cited);
	} else if (eo->cache) {
		out.len = 0;
		if (report_compact(&out.p, &out.len, &out.cap, eo->cache, &rec, &res, label) == 0 &&
		    (eo->record <= 0 || (eo->keys ? splice_inputs(eo, &rec) : splice_extra(record_extra(eo, &rec))) == 0) && append("\n", 1, &out) == 0)
			fwrite(out.p, 1, out.len, stdout);
		else
			fprintf(stderr, "litrule: out of memory\n"), eo->bad = 1;
	} else {
		json_t *o = report_json(eo->rs, &rec, &res, label);
		if (eo->record > 0) {
			json_t *x = record_extra(eo, &rec);
			if (!x || json_object_update(o, x) != 0)
				fprintf(stderr, "litrule: out of memory\n"), eo->bad = 1;
			else if (eo->mask_any)
				mask_record(o, x);
			json_decref(x);
		}
		emit_json(o, eo->jsonl);
		json_decref(o);
	}
	patient_record_release(&rec);
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

/* The rule set's path relative to the root of the repository holding it
 * (one path given: that path; several: their common root), so that trace
 * compiles the same files at the recorded commit; NULL when unknown. */
static char *repo_path(const compiled *c, int nrules, char **rules)
{
	const char *user = nrules == 1 ? rules[0] : c->id.root;
	au_repo *repo = NULL;
	char *rel = NULL;

	if (au_repo_open(&repo, user) == 0 && cli_repo_relpath(&rel, repo, user) != 0) {
		/* The repository's work tree is named by its real path. */
		char *real = realpath(user, NULL);
		if (real && cli_repo_relpath(&rel, repo, real) != 0)
			rel = NULL;
		free(real);
	}
	au_repo_free(repo);
	return rel;
}

/* The escaped pieces splice_inputs writes (only with nothing masked). */
static int batch_setup(eval_opts *eo)
{
	char *s = json_dumps(eo->extra, JSON_COMPACT);
	uint32_t i;

	if (!s || strlen(s) < 2 || !(eo->keys = calloc(eo->rs->ninputs + 1, sizeof(char *)))) {
		free(s);
		return -1;
	}
	s[strlen(s) - 1] = '\0'; /* "{...}" -> "..." */
	memmove(s, s + 1, strlen(s));
	eo->fixed = s;
	for (i = 0; i < eo->rs->ninputs; i++) {
		json_t *k = jtext_string(eo->rs->inputs[i].name);
		char *d = k ? json_dumps(k, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
		json_decref(k);
		if (!d || !(eo->keys[i] = malloc(strlen(d) + 2))) {
			free(d);
			return -1;
		}
		sprintf(eo->keys[i], "%s:", d);
		free(d);
	}
	return 0;
}

/* --record-inputs: the members every record shares, and the masked
 * inputs.  Returns 0, or the exit status after a message. */
static int record_setup(eval_opts *eo, const compiled *c, int nrules, char **rules, const char **masks, int nmasks)
{
	const char *commit = c->id.commit;
	json_t *names = json_array();
	char *rel = NULL;
	int k;

	eo->extra = json_object();
	eo->mask = calloc(eo->rs->ninputs + 1, 1);
	if (!eo->extra || !eo->mask || !names) {
		json_decref(names);
		fprintf(stderr, "litrule: out of memory\n");
		return 1;
	}
	for (k = 0; k < nmasks; k++) {
		uint32_t i;
		if (lr_record_find(&i, eo->rs, masks[k], strlen(masks[k])) != LR_OK) {
			fprintf(stderr, "litrule: error: --mask %s: not an input of rule set '%s'\n", masks[k], eo->rs->name);
			json_decref(names);
			return 2;
		}
		eo->mask_any = 1;
		if (!eo->mask[i])
			json_array_append_new(names, json_string(eo->rs->inputs[i].name));
		eo->mask[i] = 1;
	}
	if (commit) {
		git_libgit2_init();
		rel = repo_path(c, nrules, rules);
		git_libgit2_shutdown();
	}
	if (rel)
		json_object_set_new(eo->extra, "path", jtext_string(rel));
	free(rel);
	/* ident.c marks a commit whose files differ from the work tree. */
	json_object_set_new(eo->extra, "dirty", json_boolean(commit && strstr(commit, " (modified)")));
	if (nmasks) {
		json_object_set_new(eo->extra, "masked", names);
		return 0;
	}
	json_decref(names);
	return batch_setup(eo) == 0 ? 0 : (fprintf(stderr, "litrule: out of memory\n"), 1);
}

/* --format's value: 0 json, 1 text, 2 summary, -1 unknown. */
static int format_code(const char *f)
{
	return strcmp(f, "json") == 0 ? 0 : strcmp(f, "text") == 0 ? 1 : strcmp(f, "summary") == 0 ? 2 : -1;
}

int cli_eval(int argc, char **argv)
{
	fe_opts o;
	eval_opts eo;
	eb_opts bo; /* --output, --jobs: the batch path (eval_batch.c) */
	compiled c;
	char **rules = calloc((size_t)argc + 1, sizeof(char *));
	char **patients = calloc((size_t)argc + 1, sizeof(char *));
	const char **masks = calloc((size_t)argc + 1, sizeof(char *));
	int nrules = 0, npat = 0, nmasks = 0, i, n, status;

	memset(&eo, 0, sizeof eo);
	eo.record = -1;
	eo.salt = getenv("LITRULE_MASK_SALT");
	n = cli_frontend_opts(&o, argc, argv);
	if (n >= 0)
		n = eb_take_opts(&bo, n, argv);
	if (n < 0 || !rules || !patients || !masks) {
		free(rules);
		free(patients);
		free(masks);
		return 2;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(argv[i], "--rules") == 0 && i + 1 < n)
			rules[nrules++] = argv[++i];
		else if (strncmp(argv[i], "--rules=", 8) == 0)
			rules[nrules++] = argv[i] + 8;
		else if (strcmp(argv[i], "--format") == 0 && i + 1 < n)
			eo.text = format_code(argv[++i]);
		else if (strncmp(argv[i], "--format=", 9) == 0)
			eo.text = format_code(argv[i] + 9);
		else if (strcmp(argv[i], "--full") == 0)
			eo.full = 1;
		else if (strcmp(argv[i], "--jsonl") == 0)
			eo.jsonl = 1;
		else if (strcmp(argv[i], "--record-inputs") == 0 || strcmp(argv[i], "--no-record-inputs") == 0)
			eo.record = argv[i][2] == 'r';
		else if (strcmp(argv[i], "--mask") == 0 && i + 1 < n)
			masks[nmasks++] = argv[++i];
		else if (strncmp(argv[i], "--mask=", 7) == 0)
			masks[nmasks++] = argv[i] + 7;
		else if (strcmp(argv[i], "--mask-salt") == 0 && i + 1 < n)
			eo.salt = argv[++i];
		else if (strncmp(argv[i], "--mask-salt=", 12) == 0)
			eo.salt = argv[i] + 12;
		else if (argv[i][0] == '-' && argv[i][1] == '-')
			eo.text = -2;
		else
			patients[npat++] = argv[i];
	}
	if (eo.record < 0) /* the default: on for batches, off for files */
		eo.record = eo.jsonl;
	if (nrules == 0 || eo.text < 0 || (npat == 0 && !eo.jsonl) || (npat && eo.jsonl) ||
	    (nmasks && (eo.record <= 0 || eo.text))) {
		fprintf(stderr, "usage: litrule eval --rules PATH [--format json|text|summary] [--full] PATIENT.json...\n"
				"       litrule eval --rules PATH [--format json|text|summary] --jsonl < PATIENTS.jsonl\n"
				"  JSON options: --record-inputs | --no-record-inputs, --mask FIELD --mask-salt SALT\n"
				"  --jsonl options: --output full|compact, --jobs N (docs/eval.md)\n");
		status = 2;
		goto out_args;
	}
	if (bo.set && (!eo.jsonl || eo.text || nmasks)) {
		fprintf(stderr, "litrule: error: --output and --jobs apply to --jsonl with JSON output, without --mask\n");
		status = 2;
		goto out_args;
	}
	if (nmasks && (!eo.salt || !*eo.salt)) {
		fprintf(stderr, "litrule: error: --mask needs a salt: --mask-salt SALT or LITRULE_MASK_SALT "
				"(an unsalted hash of a birth date or a name is easy to reverse)\n");
		status = 2;
		goto out_args;
	}
	if (cli_compile(&c, &o, nrules, rules) != 0) {
		status = 1;
		goto out_compiled;
	}
	eo.rs = &c.lw.rs;
	if (eo.record > 0 && (status = record_setup(&eo, &c, nrules, rules, masks, nmasks)) != 0)
		goto out_compiled;
	/* The compiler's bound: no decision can be cut short. */
	eo.cap = lr_ruleset_max_actions(eo.rs);
	eo.cap = eo.cap ? eo.cap : 1;
	eo.acts = malloc((size_t)eo.cap * sizeof *eo.acts);
	eo.cited = calloc(eo.rs->nrules + 1, 1);
	if (!eo.acts || !eo.cited || (eo.jsonl && !eo.text && !nmasks && !(eo.cache = report_cache_new(eo.rs)))) {
		fprintf(stderr, "litrule: out of memory\n");
		status = 1;
		goto out_compiled;
	}
	if (eo.jsonl && !eo.text && !nmasks) { /* the batch path: streaming reader, no jansson */
		status = eb_run(&bo, eo.rs, 0, stdout, eo.record > 0, eo.fixed);
		status = fflush(stdout) != 0 ? 1 : status == 2 ? 1 : status;
		goto out_compiled;
	}
	if (eo.jsonl)
		eval_stream(&eo, stdin);
	for (i = 0; i < npat; i++)
		eval_file(&eo, patients[i]);
	status = eo.bad ? 1 : 0;
	if (fflush(stdout) != 0)
		status = 1;
out_compiled:
	cli_compiled_free(&c);
	report_cache_free(eo.cache);
	free(eo.acts);
	free(eo.missing);
	free(eo.cited);
	free(eo.mask);
	for (i = 0; eo.keys && (uint32_t)i < eo.rs->ninputs; i++)
		free(eo.keys[i]);
	free(eo.keys);
	free(eo.fixed);
	json_decref(eo.extra);
	free(out.p);
	out.p = NULL;
	out.len = out.cap = 0;
out_args:
	free(rules);
	free(patients);
	free(masks);
	return status;
}
