/*
** coverage.c: measures what passing examples cover (coverage.h), with the
** runtime's own lr_eval on probe tables built from the lowered one:
**
**  - operands: every operand of an 'and'/'or' chain in a rule's condition
**    is lowered twice as its own program, "op" and "not op"; the operand
**    probe table keeps the rule set's inputs, lets, tables and schedules and
**    replaces its rules by one rule per program, so a probe rule fires
**    exactly when its program is known true (missing or not applicable
**    fires neither: unknown counts as neither true nor false);
**  - rows: for table t, a copy of the rows in which t's rows give their own
**    index (and "gives nothing" rows a value too), and one probe rule whose
**    action's amount reads t: the amount is the index of the row the
**    runtime selected for the key, or the rule does not fire (key unknown,
**    no row).  Only t's rows are changed, so a key that reads another table
**    still sees that table's real values.
*/
#include "coverage.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Collects the operands of every and/or chain in e (rule r). */
static void cov_collect(cov_operand **ops, size_t *n, size_t *cap, const decl *r, const expr *e);

/* Appends an operand; on failure *cap becomes SIZE_MAX, which cov_init reports. */
static int cov_push(cov_operand **ops, size_t *n, size_t *cap, const decl *r, const expr *op, int is_and)
{
	if (*cap == SIZE_MAX)
		return -1;
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 32;
		cov_operand *p = realloc(*ops, nc * sizeof *p);
		if (!p) {
			*cap = SIZE_MAX;
			return -1;
		}
		*ops = p;
		*cap = nc;
	}
	memset(&(*ops)[*n], 0, sizeof **ops);
	(*ops)[*n].rule = r;
	(*ops)[*n].op = op;
	(*ops)[*n].is_and = is_and;
	(*n)++;
	return 0;
}

/* The operands of the chain at e (all of kind k), left to right; each is
 * then searched for chains of its own.  Depth is bounded by the parser
 * (AST_MAX_DEPTH). */
static void cov_chain(cov_operand **ops, size_t *n, size_t *cap, const decl *r, const expr *e, ex_kind k)
{
	if (e->kind == k) {
		cov_chain(ops, n, cap, r, e->a, k);
		cov_chain(ops, n, cap, r, e->b, k);
		return;
	}
	if (cov_push(ops, n, cap, r, e, k == EX_AND) == 0)
		cov_collect(ops, n, cap, r, e);
}

static void cov_collect(cov_operand **ops, size_t *n, size_t *cap, const decl *r, const expr *e)
{
	if (!e)
		return;
	if (e->kind == EX_AND || e->kind == EX_OR) {
		cov_chain(ops, n, cap, r, e, e->kind);
		return;
	}
	cov_collect(ops, n, cap, r, e->a);
	cov_collect(ops, n, cap, r, e->b);
	cov_collect(ops, n, cap, r, e->c);
}

/* The probe table of the operands: programs 2k (operand k) and 2k + 1
 * (not operand k) as the conditions of rules 2k and 2k + 1. */
static void cov_probe_ops(cov_data *cv, arena *a)
{
	const lowered *lw = cv->lw;
	size_t n = cv->nops * 2, i;
	const expr **es = arena_alloc(a, sizeof(*es) * (n ? n : 1));
	lr_code *codes = arena_alloc(a, sizeof(*codes) * (n ? n : 1));
	lr_rule_def *rules = arena_alloc(a, sizeof(*rules) * (n ? n : 1));
	lr_action_def *act = arena_alloc(a, sizeof *act);

	for (i = 0; i < cv->nops; i++) {
		expr *neg = arena_alloc(a, sizeof *neg);
		memset(neg, 0, sizeof *neg);
		neg->kind = EX_NOT;
		neg->loc = cv->ops[i].op->loc;
		neg->a = (expr *)cv->ops[i].op;
		neg->type = cv->ops[i].op->type;
		es[2 * i] = cv->ops[i].op;
		es[2 * i + 1] = neg;
	}
	cv->pops = lw->rs;
	lower_programs(lw, a, es, n, codes, &cv->pops.code, &cv->pops.ncode, &cv->pops.consts, &cv->pops.nconsts);
	memset(act, 0, sizeof *act);
	act->verb = LR_VERB_ALERT;
	act->text = "";
	act->schedule = -1;
	memset(rules, 0, sizeof(*rules) * (n ? n : 1));
	for (i = 0; i < n; i++) {
		rules[i].id = "";
		rules[i].title = "";
		rules[i].file = "";
		rules[i].headings = "";
		rules[i].guard_input = -1;
		rules[i].nactions = 1;
		/* A program too deep for the runtime would read as "always true". */
		rules[i].cond = codes[i].len ? codes[i] : codes[i ^ 1];
		cv->ops[i / 2].measured = codes[i].len != 0 && codes[i ^ 1].len != 0;
	}
	cv->pops.rules = rules;
	cv->pops.nrules = (uint32_t)n;
	cv->pops.actions = act;
	cv->pops.max_actions = (uint32_t)n;
}

/* The probe table of the rows: code ends with one TABLE t per table, the
 * amount of action t; one rule, pointed at action t when t is probed. */
static void cov_probe_rows(cov_data *cv, arena *a)
{
	const lowered *lw = cv->lw;
	uint32_t nt = lw->rs.ntables, t;
	lr_insn *code = arena_alloc(a, sizeof(*code) * (lw->rs.ncode + nt + 1));
	lr_action_def *acts = arena_alloc(a, sizeof(*acts) * (nt ? nt : 1));

	if (lw->rs.ncode)
		memcpy(code, lw->rs.code, sizeof(*code) * lw->rs.ncode);
	memset(acts, 0, sizeof(*acts) * (nt ? nt : 1));
	for (t = 0; t < nt; t++) {
		lr_insn *in = &code[lw->rs.ncode + t];
		memset(in, 0, sizeof *in);
		in->op = LR_OP_TABLE;
		in->arg = (int32_t)t;
		acts[t].verb = LR_VERB_ALERT;
		acts[t].text = "";
		acts[t].schedule = -1;
		acts[t].amount.start = lw->rs.ncode + t;
		acts[t].amount.len = 1;
		acts[t].unit = "";
	}
	cv->prow_rows = arena_alloc(a, sizeof(lr_row_def) * (cv->nrows ? cv->nrows : 1));
	if (cv->nrows)
		memcpy(cv->prow_rows, lw->rs.rows, sizeof(lr_row_def) * cv->nrows);
	cv->prow_rule = arena_alloc(a, sizeof *cv->prow_rule);
	memset(cv->prow_rule, 0, sizeof *cv->prow_rule);
	cv->prow_rule->id = cv->prow_rule->title = cv->prow_rule->file = cv->prow_rule->headings = "";
	cv->prow_rule->guard_input = -1;
	cv->prow_rule->nactions = 1;
	cv->prows = lw->rs;
	cv->prows.code = code;
	cv->prows.ncode = lw->rs.ncode + nt;
	cv->prows.rows = cv->prow_rows;
	cv->prows.rules = cv->prow_rule;
	cv->prows.nrules = 1;
	cv->prows.actions = acts;
	cv->prows.max_actions = 1;
}

int cov_init(cov_data *cv, const lowered *lw, arena *a)
{
	uint32_t r, t, k;
	size_t cap = 0, i;
	cov_operand *ops = NULL;

	memset(cv, 0, sizeof *cv);
	cv->lw = lw;
	cv->rule_hits = arena_alloc(a, sizeof(unsigned) * (lw->rs.nrules + 1));
	memset(cv->rule_hits, 0, sizeof(unsigned) * (lw->rs.nrules + 1));
	cv->nrows = 0;
	for (t = 0; t < lw->rs.ntables; t++)
		cv->nrows += lw->rs.tables[t].nrows;
	cv->rows = arena_alloc(a, sizeof(cov_row) * (cv->nrows + 1));
	for (t = 0; t < lw->rs.ntables; t++)
		for (k = 0; k < lw->rs.tables[t].nrows; k++) {
			cov_row *o = &cv->rows[lw->rs.tables[t].first_row + k];
			o->table = lw->tables[t];
			o->row = lw->tables[t]->rows.items[k];
			o->number = k + 1;
			o->hits = 0;
		}
	for (r = 0; r < lw->rs.nrules; r++)
		cov_collect(&ops, &cv->nops, &cap, lw->rules[r], lw->rules[r]->when);
	if (cap == SIZE_MAX) {
		free(ops);
		return -1;
	}
	/* Into the arena, so the data outlives nothing it points into. */
	cv->ops = arena_alloc(a, sizeof(cov_operand) * (cv->nops + 1));
	for (i = 0; i < cv->nops; i++)
		cv->ops[i] = ops[i];
	free(ops);
	cov_probe_ops(cv, a);
	cov_probe_rows(cv, a);
	cv->cap = (uint32_t)(cv->nops * 2 + 1);
	cv->acts = malloc(sizeof(lr_action) * cv->cap);
	return cv->acts ? 0 : -1;
}

void cov_record(cov_data *cv, const lr_record *rec)
{
	lr_result res;
	uint32_t k, t, j;
	const lr_ruleset *rs = &cv->lw->rs;

	cv->passed++;
	if (cv->nops) {
		lr_result_init(&res, cv->acts, cv->cap);
		if (lr_eval(&res, &cv->pops, rec) == LR_OK)
			for (k = 0; k < res.nactions; k++) {
				uint32_t i = res.actions[k].rule / 2;
				if (!cv->ops[i].measured)
					continue;
				if (res.actions[k].rule % 2)
					cv->ops[i].nfalse++;
				else
					cv->ops[i].ntrue++;
			}
	}
	for (t = 0; t < rs->ntables; t++) {
		const lr_table_def *td = &rs->tables[t];
		/* Table t's rows give their own index; every other table is as built. */
		for (j = 0; j < td->nrows; j++) {
			cv->prow_rows[td->first_row + j].has_value = 1;
			cv->prow_rows[td->first_row + j].value = (int64_t)(td->first_row + j);
		}
		cv->prow_rule->first_action = t;
		lr_result_init(&res, cv->acts, cv->cap);
		if (lr_eval(&res, &cv->prows, rec) == LR_OK && res.nactions == 1 && res.actions[0].has_dose) {
			int64_t row = res.actions[0].amount.v;
			if (row >= (int64_t)td->first_row && row < (int64_t)(td->first_row + td->nrows))
				cv->rows[row].hits++;
		}
		for (j = 0; j < td->nrows; j++)
			cv->prow_rows[td->first_row + j] = rs->rows[td->first_row + j];
	}
}

void cov_free(cov_data *cv)
{
	if (cv) {
		free(cv->acts);
		cv->acts = NULL;
	}
}

void cov_totals_of(const cov_data *cv, cov_totals *t)
{
	size_t i;
	memset(t, 0, sizeof *t);
	t->rules = cv->lw->rs.nrules;
	for (i = 0; i < t->rules; i++)
		t->rules_hit += cv->rule_hits[i] != 0;
	t->rows = cv->nrows;
	for (i = 0; i < cv->nrows; i++)
		t->rows_hit += cv->rows[i].hits != 0;
	t->branches = cv->nops * 2;
	for (i = 0; i < cv->nops; i++)
		t->branches_hit += (cv->ops[i].ntrue != 0) + (cv->ops[i].nfalse != 0);
}

const char *cov_snippet(char *buf, size_t n, const src_file *f, span at)
{
	size_t k = 0;
	uint32_t i;
	int space = 0;

	if (n < 16) {
		if (n)
			buf[0] = '\0';
		return buf;
	}
	buf[0] = '\0';
	if (!f || at.end > f->len || at.start > at.end)
		return buf;
	for (i = at.start; i < at.end; i++) {
		unsigned char ch = (unsigned char)f->text[i];
		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
			space = 1;
			continue;
		}
		/* Stop only before a character starts, so UTF-8 stays whole. */
		if ((ch & 0xC0) != 0x80 && k + 9 > n) {
			memcpy(buf + k, "...", 3);
			k += 3;
			break;
		}
		if (space && k)
			buf[k++] = ' ';
		space = 0;
		buf[k++] = (char)ch;
	}
	buf[k] = '\0';
	return buf;
}
