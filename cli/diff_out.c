/*
** diff_out.c: the diff as a value (cli_diff_compute, cli_diff_free) and
** its two renderings (diff.h): JSON for machines, every differing
** patient included (schema in docs/diff.md), and text for people, where
** each group of patients shows its first few in full and counts the
** rest ("and N more"), so nothing is dropped without saying so.
*/
#include "diff.h"

#include <stdlib.h>
#include <string.h>

int cli_diff_compute(cli_diff *out, const compiled *a, const compiled *b, const cli_diff_opts *o)
{
	memset(out, 0, sizeof(*out));
	arena_init(&out->mem);
	out->a = a;
	out->b = b;
	if (o)
		out->opts = *o;
	else
		out->opts.patients = CLI_DIFF_DEFAULT_PATIENTS;
	if (diff_decls(out) != 0 || diff_outcomes(out) != 0)
		return -1;
	return 0;
}

void cli_diff_free(cli_diff *d)
{
	if (d)
		arena_free(&d->mem);
}

int cli_diff_differs(const cli_diff *d)
{
	return d->ndecls > 0 || d->npatients > 0;
}

static const char *change_name(diff_change c)
{
	return c == DIFF_ADDED ? "added" : c == DIFF_REMOVED ? "removed" : "changed";
}

static const char *kind_name(diff_pkind k)
{
	static const char *const names[] = {"example_a", "example_b", "boundary", "missing", "random"};
	return names[k];
}

static const char *path_of(const decl *x)
{
	return x->file->path + (x->file->path[0] == '/');
}

static void lines_of(const decl *x, uint32_t *line, uint32_t *end)
{
	uint32_t col;
	src_position(x->file, x->loc.start, line, &col);
	src_position(x->file, x->loc.end > x->loc.start ? x->loc.end - 1 : x->loc.start, end, &col);
}

/* ---- JSON ------------------------------------------------------------------ */

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *jloc(const decl *x)
{
	uint32_t line, end;
	if (!x)
		return json_null();
	lines_of(x, &line, &end);
	return json_pack("{s:s, s:i, s:i}", "file", path_of(x), "line", (json_int_t)line, "end_line", (json_int_t)end);
}

static json_t *jversion(const compiled *c)
{
	return json_pack("{s:o, s:o, s:o, s:o}", "commit", jstr(c->lw.rs.commit), "name", jstr(c->lw.rs.name),
			 "version", jstr(c->lw.rs.version), "hash", jstr(c->lw.rs.hash));
}

static json_t *jdecl(const diff_decl *x)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:o}", "kind", x->kind, "id", x->id, "change", change_name(x->change),
			      "a", jloc(x->a), "b", jloc(x->b));
	json_t *lines = json_array(), *cites = json_array();
	size_t i;
	for (i = 0; i < x->nlines; i++) {
		char *t = malloc(x->lines[i].len + 3);
		if (!t)
			continue;
		sprintf(t, "%c %.*s", x->lines[i].op, (int)x->lines[i].len, x->lines[i].text);
		{
			json_t *s = json_string(t);
			json_array_append_new(lines, s ? s : json_string("? (not UTF-8)"));
		}
		free(t);
	}
	for (i = 0; i < x->ncites; i++) {
		const diff_cite *c = &x->cites[i];
		json_array_append_new(cites, json_pack("{s:s, s:o, s:o, s:o, s:o}", "change",
						      c->change == '+' ? "added" : c->change == '-' ? "removed" : "quote",
						      "source", jstr(c->source), "locator", jstr(c->locator),
						      "quote_a", jstr(c->quote_a), "quote_b", jstr(c->quote_b)));
	}
	json_object_set_new(o, "diff", lines);
	json_object_set_new(o, "citations", cites);
	json_object_set_new(o, "source_text_changed", json_boolean(x->text_changed));
	return o;
}

static json_t *jlines(const char *t)
{
	json_t *a = json_array();
	while (*t) {
		const char *e = strchr(t, '\n');
		size_t l = e ? (size_t)(e - t) : strlen(t);
		json_array_append_new(a, json_stringn(t, l));
		t += l + (e != NULL);
	}
	return a;
}

static json_t *jpatient(const cli_diff *d, const diff_patient *p)
{
	json_t *in = json_object(), *da = json_array(), *db = json_array();
	size_t u;
	for (u = 0; u < d->ninputs; u++) {
		char buf[48];
		if (!p->state[u])
			continue;
		diff_value_text(buf, sizeof buf, &d->inputs[u], p->v[u]);
		json_object_set_new(in, d->inputs[u].name, json_string(buf));
		if (d->inputs[u].ia < 0)
			json_array_append_new(da, json_string(d->inputs[u].name));
		if (d->inputs[u].ib < 0)
			json_array_append_new(db, json_string(d->inputs[u].name));
	}
	return json_pack("{s:s, s:s, s:o, s:{s:o, s:o}, s:o, s:o}", "kind", kind_name(p->kind), "label", p->label,
			 "inputs", in, "dropped", "a", da, "b", db, "before", jlines(p->before), "after", jlines(p->after));
}

json_t *cli_diff_json(const cli_diff *d)
{
	json_t *decls = json_array(), *groups = json_array();
	size_t i, j;
	char seed[24];
	snprintf(seed, sizeof seed, "%llu", (unsigned long long)d->opts.seed);
	for (i = 0; i < d->ndecls; i++)
		json_array_append_new(decls, jdecl(&d->decls[i]));
	for (i = 0; i < d->ngroups; i++) {
		json_t *ps = json_array();
		for (j = 0; j < d->groups[i].nmembers; j++)
			json_array_append_new(ps, jpatient(d, &d->patients[d->groups[i].members[j]]));
		json_array_append_new(groups, json_pack("{s:s, s:i, s:o}", "changed", d->groups[i].key, "count",
							(json_int_t)d->groups[i].nmembers, "patients", ps));
	}
	return json_pack("{s:o, s:o, s:o, s:{s:s, s:i, s:{s:i, s:i, s:i, s:i}, s:i, s:i, s:i, s:o}}", "a",
			 jversion(d->a), "b", jversion(d->b), "declarations", decls, "outcomes", "seed",
			 seed, "patients", (json_int_t)d->opts.patients, "corpus",
			 "examples", (json_int_t)d->nexamples, "boundary", (json_int_t)d->nboundary, "missing",
			 (json_int_t)d->nmissing, "random", (json_int_t)d->nrandom, "boundary_values",
			 (json_int_t)d->boundary_values, "skipped", (json_int_t)d->boundary_skipped, "differ",
			 (json_int_t)d->npatients, "groups", groups);
}

/* ---- text ------------------------------------------------------------------ */

static void tversion(FILE *out, const char *tag, const compiled *c)
{
	fprintf(out, "%s %.12s  %s%s%s  (hash %.12s)\n", tag, c->lw.rs.commit ? c->lw.rs.commit : "(no commit)",
		c->lw.rs.name ? c->lw.rs.name : "", c->lw.rs.version && *c->lw.rs.version ? " " : "",
		c->lw.rs.version ? c->lw.rs.version : "", c->lw.rs.hash ? c->lw.rs.hash : "");
}

static void tloc(FILE *out, const decl *x)
{
	uint32_t line, end;
	lines_of(x, &line, &end);
	fprintf(out, "%s:%u", path_of(x), (unsigned)line);
}

static void tquote(FILE *out, const char *q)
{
	if (q)
		fprintf(out, "\"%s\"", q);
	else
		fputs("(none)", out);
}

static void tdecl(FILE *out, const diff_decl *x)
{
	size_t i;
	fprintf(out, "  %s %s %s  ", change_name(x->change), x->kind, x->id);
	if (x->a)
		tloc(out, x->a);
	if (x->a && x->b)
		fputs(" -> ", out);
	if (x->b)
		tloc(out, x->b);
	fputc('\n', out);
	for (i = 0; i < x->nlines; i++)
		fprintf(out, "    %c %.*s\n", x->lines[i].op, (int)x->lines[i].len, x->lines[i].text);
	if (x->text_changed)
		fputs("    its stored source text changed\n", out);
	for (i = 0; i < x->ncites; i++) {
		const diff_cite *c = &x->cites[i];
		fprintf(out, "    citation %s at \"%s\": ", c->source ? c->source : "?", c->locator ? c->locator : "");
		if (c->change == 'q') {
			fputs("quote changed from ", out);
			tquote(out, c->quote_a);
			fputs(" to ", out);
			tquote(out, c->quote_b);
		} else {
			fputs(c->change == '+' ? "added, quote " : "removed, quote ", out);
			tquote(out, c->change == '+' ? c->quote_b : c->quote_a);
		}
		fputc('\n', out);
	}
}

/* A decision line, shortened for people (the JSON has it whole). */
static void tline(FILE *out, char op, const char *t, size_t l)
{
	if (l > 150)
		fprintf(out, "      %c %.140s... (%zu more bytes)\n", op, t, l - 140);
	else
		fprintf(out, "      %c %.*s\n", op, (int)l, t);
}

static int has_line(const char *hay, const char *t, size_t l)
{
	while (*hay) {
		const char *e = strchr(hay, '\n');
		size_t hl = e ? (size_t)(e - hay) : strlen(hay);
		if (hl == l && memcmp(hay, t, l) == 0)
			return 1;
		hay += hl + (e != NULL);
	}
	return 0;
}

/* Lines of x that y lacks, each with op; returns how many lines x has. */
static size_t tonly(FILE *out, char op, const char *x, const char *y, size_t *same)
{
	size_t n = 0;
	while (*x) {
		const char *e = strchr(x, '\n');
		size_t l = e ? (size_t)(e - x) : strlen(x);
		if (!has_line(y, x, l))
			tline(out, op, x, l);
		else
			(*same)++;
		n++;
		x += l + (e != NULL);
	}
	return n;
}

static void tpatient(FILE *out, const cli_diff *d, const diff_patient *p)
{
	size_t u, same = 0, dummy = 0;
	int first = 1;
	fprintf(out, "    %s\n      inputs:", p->label);
	for (u = 0; u < d->ninputs; u++) {
		char buf[48];
		if (!p->state[u])
			continue;
		diff_value_text(buf, sizeof buf, &d->inputs[u], p->v[u]);
		fprintf(out, "%s %s=%s%s", first ? "" : ",", d->inputs[u].name, buf,
			d->inputs[u].ia < 0 ? " (unknown to a: dropped there)"
					    : d->inputs[u].ib < 0 ? " (unknown to b: dropped there)" : "");
		first = 0;
	}
	fputs(first ? " (none)\n" : "\n", out);
	tonly(out, '-', p->before, p->after, &same);
	tonly(out, '+', p->after, p->before, &dummy);
	if (same)
		fprintf(out, "      (%zu decision line%s the same before and after)\n", same, same == 1 ? "" : "s");
}

void cli_diff_text(FILE *out, const cli_diff *d, unsigned show)
{
	size_t i, j, nadd = 0, nrem = 0, nchg = 0;
	tversion(out, "a:", d->a);
	tversion(out, "b:", d->b);
	for (i = 0; i < d->ndecls; i++)
		*(d->decls[i].change == DIFF_ADDED ? &nadd : d->decls[i].change == DIFF_REMOVED ? &nrem : &nchg) += 1;
	fprintf(out, "\nDeclarations: %zu added, %zu removed, %zu changed\n", nadd, nrem, nchg);
	for (i = 0; i < d->ndecls; i++)
		tdecl(out, &d->decls[i]);
	fprintf(out,
		"\nOutcomes: %u patients evaluated under both versions (%u examples, %u boundary, %u missing-value, "
		"%u random; seed %llu): %zu differ\n",
		(unsigned)d->evaluated, (unsigned)d->nexamples, (unsigned)d->nboundary, (unsigned)d->nmissing,
		(unsigned)d->nrandom, (unsigned long long)d->opts.seed, d->npatients);
	fprintf(out, "  %u distinct boundary values found", (unsigned)d->boundary_values);
	if (d->boundary_skipped)
		fprintf(out, "; %u boundary and missing-value patients did not fit in --patients %u",
			(unsigned)d->boundary_skipped, (unsigned)d->opts.patients);
	fputc('\n', out);
	for (i = 0; i < d->ngroups; i++) {
		const diff_group *g = &d->groups[i];
		fprintf(out, "\n  changed: %s  (%zu patient%s)\n", g->key, g->nmembers, g->nmembers == 1 ? "" : "s");
		for (j = 0; j < g->nmembers && j < show; j++)
			tpatient(out, d, &d->patients[g->members[j]]);
		if (g->nmembers > show)
			fprintf(out, "    and %zu more (--show N prints more; --format json lists all)\n", g->nmembers - show);
	}
}
