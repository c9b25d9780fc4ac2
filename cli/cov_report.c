/*
** cov_report.c: the coverage report of `litrule test --coverage`, from the
** counts cli_test.c gathered while running the passing examples
** (compiler/coverage.h).  Text: one line per rule, table row and and/or
** operand with its location and counts, then the totals.  JSON: the same
** as the "detail" of the report's coverage object (docs/testing.md).
*/
#include "cov_report.h"

#include <string.h>

static uint32_t cr_line(const src_file *f, span at, uint32_t *col)
{
	uint32_t line;
	src_position(f, at.start, &line, col);
	return line;
}

static const char *cr_examples(char *buf, size_t n, unsigned k)
{
	if (k == 0)
		return "no example";
	snprintf(buf, n, "%u example%s", k, k == 1 ? "" : "s");
	return buf;
}

static const char *cr_missing(const cov_operand *o)
{
	if (!o->ntrue && !o->nfalse)
		return " (never true, never false)";
	if (!o->ntrue)
		return " (never true)";
	if (!o->nfalse)
		return " (never false)";
	return "";
}

void cov_report_text(FILE *out, const cov_data *cv)
{
	const lowered *lw = cv->lw;
	char text[72], n1[32];
	cov_totals t;
	uint32_t col;
	size_t i;

	for (i = 0; i < lw->rs.nrules; i++) {
		const decl *d = lw->rules[i];
		fprintf(out, "%s:%u: rule %s: shown firing by %s\n", d->file->path, (unsigned)cr_line(d->file, d->id.loc, &col),
			d->id.name, cr_examples(n1, sizeof n1, cv->rule_hits[i]));
	}
	for (i = 0; i < cv->nrows; i++) {
		const cov_row *w = &cv->rows[i];
		fprintf(out, "%s:%u: table %s row %u (%s): selected by %s\n", w->table->file->path,
			(unsigned)cr_line(w->table->file, w->row->loc, &col), w->table->id.name, (unsigned)w->number,
			cov_snippet(text, sizeof text, w->table->file, w->row->loc), cr_examples(n1, sizeof n1, w->hits));
	}
	for (i = 0; i < cv->nops; i++) {
		const cov_operand *o = &cv->ops[i];
		uint32_t line = cr_line(o->rule->file, o->op->loc, &col);
		fprintf(out, "%s:%u:%u: rule %s: operand '%s' of '%s': true in %u, false in %u%s\n", o->rule->file->path,
			(unsigned)line, (unsigned)col, o->rule->id.name, cov_snippet(text, sizeof text, o->rule->file, o->op->loc),
			o->is_and ? "and" : "or", o->ntrue, o->nfalse, cr_missing(o));
	}
	cov_totals_of(cv, &t);
	fprintf(out, "coverage: rules %zu/%zu, rows %zu/%zu, branches %zu/%zu\n", t.rules_hit, t.rules, t.rows_hit, t.rows,
		t.branches_hit, t.branches);
}

static json_t *cr_part(size_t covered, size_t total, json_t *items)
{
	json_t *o = json_object();
	json_object_set_new(o, "covered", json_integer((json_int_t)covered));
	json_object_set_new(o, "total", json_integer((json_int_t)total));
	json_object_set_new(o, "items", items);
	return o;
}

static json_t *cr_where(json_t *o, const src_file *f, span at, int with_col)
{
	uint32_t col, line = cr_line(f, at, &col);
	json_object_set_new(o, "file", json_string(f->path));
	json_object_set_new(o, "line", json_integer(line));
	if (with_col)
		json_object_set_new(o, "column", json_integer(col));
	return o;
}

json_t *cov_report_json(const cov_data *cv)
{
	const lowered *lw = cv->lw;
	json_t *doc = json_object(), *rules = json_array(), *rows = json_array(), *ops = json_array();
	char text[72];
	cov_totals t;
	size_t i;

	for (i = 0; i < lw->rs.nrules; i++) {
		const decl *d = lw->rules[i];
		json_t *o = json_object();
		json_object_set_new(o, "rule", json_string(d->id.name));
		cr_where(o, d->file, d->id.loc, 0);
		json_object_set_new(o, "examples", json_integer(cv->rule_hits[i]));
		json_array_append_new(rules, o);
	}
	for (i = 0; i < cv->nrows; i++) {
		const cov_row *w = &cv->rows[i];
		json_t *o = json_object();
		json_object_set_new(o, "table", json_string(w->table->id.name));
		json_object_set_new(o, "row", json_integer(w->number));
		json_object_set_new(o, "text", json_string(cov_snippet(text, sizeof text, w->table->file, w->row->loc)));
		cr_where(o, w->table->file, w->row->loc, 0);
		json_object_set_new(o, "examples", json_integer(w->hits));
		json_array_append_new(rows, o);
	}
	for (i = 0; i < cv->nops; i++) {
		const cov_operand *op = &cv->ops[i];
		json_t *o = json_object();
		json_object_set_new(o, "rule", json_string(op->rule->id.name));
		json_object_set_new(o, "operator", json_string(op->is_and ? "and" : "or"));
		json_object_set_new(o, "operand", json_string(cov_snippet(text, sizeof text, op->rule->file, op->op->loc)));
		cr_where(o, op->rule->file, op->op->loc, 1);
		json_object_set_new(o, "true", json_integer(op->ntrue));
		json_object_set_new(o, "false", json_integer(op->nfalse));
		json_array_append_new(ops, o);
	}
	cov_totals_of(cv, &t);
	json_object_set_new(doc, "rules", cr_part(t.rules_hit, t.rules, rules));
	json_object_set_new(doc, "rows", cr_part(t.rows_hit, t.rows, rows));
	json_object_set_new(doc, "branches", cr_part(t.branches_hit, t.branches, ops));
	return doc;
}
