/*
** smt_table.c: a decision table as Z3 terms: the value of the first row
** whose interval holds the key (the runtime's lookup, for 'hit first' and
** for 'unique', whose rows sema proved disjoint); not applicable when that
** row gives nothing or no row matches.  Encoded once per table.
*/
#include "smt_impl.h"

#include <string.h>

static Z3_ast K(smt *s, Z3_ast a) { return smt_keep(s, a); }

/* A row of a table matches key value x. */
static Z3_ast row_match(smt *s, const lr_row_def *r, Z3_ast x)
{
	Z3_ast m = s->tru;
	if (!r->lo_inf)
		m = K(s, (r->lo_open ? Z3_mk_gt : Z3_mk_ge)(s->c, x, smt_int(s, r->lo)));
	if (!r->hi_inf)
		m = smt_and2(s, m, K(s, (r->hi_open ? Z3_mk_lt : Z3_mk_le)(s->c, x, smt_int(s, r->hi))));
	return m;
}

/* Table t's value: the first row that matches the key (the runtime's
 * lookup, for 'hit first' and for 'unique', whose rows sema proved
 * disjoint); not applicable when that row gives nothing or none matches. */
static void table_encode(smt *s, smt_node *n, const decl *d, uint32_t t)
{
	const lr_table_def *td = &s->lw->rs.tables[t];
	smt_term key;
	Z3_ast val = smt_int(s, 0), has = s->fls;
	uint32_t k;

	memset(&key, 0, sizeof key);
	if (smt_enc(s, d->key, &key) != 0)
		return;
	smt_as_value(s, &key);
	n->key_def = key.def;
	n->key_val = key.val;
	for (k = td->nrows; k-- > 0;) {
		const lr_row_def *r = &s->lw->rs.rows[td->first_row + k];
		Z3_ast m = row_match(s, r, key.val);
		val = K(s, Z3_mk_ite(s->c, m, smt_int(s, r->has_value ? r->value : 0), val));
		has = K(s, Z3_mk_ite(s->c, m, r->has_value ? s->tru : s->fls, has));
	}
	n->term.def = smt_and2(s, key.def, has);
	n->term.val = val;
	if (d->type.kind == TY_BOOL)
		smt_as_cond(s, &n->term);
}

static int table_node(smt *s, uint32_t t)
{
	smt_node *n;
	if (t >= s->lw->rs.ntables)
		return -1;
	n = &s->tables[t];
	if (n->state == 0) {
		smt_node *saved = s->cur;
		const src_file *saved_file = s->file;
		unsigned saved_stamp = s->cur_stamp;
		if (s->depth >= 64)
			return -1;
		s->depth++;
		n->state = 1;
		s->cur = n;
		s->file = s->lw->tables[t]->file;
		s->cur_stamp = ++s->stamp;
		table_encode(s, n, s->lw->tables[t], t);
		n->state = 2;
		s->cur = saved;
		s->file = saved_file;
		s->cur_stamp = saved_stamp;
		s->depth--;
	}
	return (int)t;
}

int smt_table_node(smt *s, uint32_t t, smt_node **out)
{
	if (table_node(s, t) < 0)
		return -1;
	*out = &s->tables[t];
	return 0;
}

