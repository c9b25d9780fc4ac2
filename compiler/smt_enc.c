/*
** smt_enc.c: one expression of the checked tree as Z3 terms, mirroring
** what lower.c compiles and litrule_vm.h computes.  Values carry (def,
** val): def is "known" (present, no arithmetic error, a table row that
** gives a value); conditions carry (t, f), Kleene's logic on two rails
** (VERIFY-Z3.md section 5).  Numbers are Int scaled by 10^9.
*/
#include "smt_impl.h"

#include <stdlib.h>
#include <string.h>

#include "units.h"

#define SCALE INT64_C(1000000000)

static Z3_ast K(smt *s, Z3_ast a) { return smt_keep(s, a); }

static int gap(smt *s, span at, const char *why)
{
	if (!s->cur->gap.why) {
		s->cur->gap.why = why;
		s->cur->gap.at = at;
		s->cur->gap.file = s->file;
	}
	return -1;
}

static Z3_ast bin(smt *s, Z3_ast (*f)(Z3_context, unsigned, const Z3_ast[]), Z3_ast a, Z3_ast b)
{
	Z3_ast v[2] = {a, b};
	return K(s, f(s->c, 2, v));
}

/* |x| <= INT64_MAX: the runtime's range for a decimal (an overflow is an
 * error there: the value is not applicable). */
static Z3_ast in_range(smt *s, Z3_ast x)
{
	return smt_and2(s, K(s, Z3_mk_ge(s->c, x, smt_int(s, -INT64_MAX))), K(s, Z3_mk_le(s->c, x, smt_int(s, INT64_MAX))));
}

static int is_bool(const expr *e) { return e->type.kind == TY_BOOL; }

/* A condition's term as a value (for '=' between conditions, 'otherwise'). */
void smt_as_value(smt *s, smt_term *x)
{
	if (!x->def) {
		x->def = smt_or2(s, x->t, x->f);
		x->val = x->t;
	}
}

/* A boolean value term as a condition. */
void smt_as_cond(smt *s, smt_term *x)
{
	if (!x->t) {
		x->t = smt_and2(s, x->def, x->val);
		x->f = smt_and2(s, x->def, smt_not(s, x->val));
	}
}

/* ---- constants ------------------------------------------------------------------ */

/* e's value when it is a constant lower.c folds (literals, params, and
 * arithmetic on them); 1 if it is. */
static int fold(const expr *e, int64_t *out)
{
	lr_dec x, y, r;
	int64_t a, b;
	switch (e->kind) {
	case EX_NUM: *out = e->dec.v; return 1;
	case EX_DATE: *out = e->date; return 1;
	case EX_BOOL: *out = e->ival; return 1;
	case EX_AS: return fold(e->a, out);
	case EX_NAME:
		return e->ref && e->ref->kind == D_PARAM && e->ref->value && fold(e->ref->value, out);
	case EX_NEG:
		if (!fold(e->a, &a) || a == INT64_MIN)
			return 0;
		*out = -a;
		return 1;
	case EX_ADD: case EX_SUB: case EX_MUL: case EX_DIV:
		if (e->type.kind != TY_NUM || !fold(e->a, &a) || !fold(e->b, &b))
			return 0;
		x.v = a;
		y.v = b;
		if ((e->kind == EX_ADD ? lr_dec_add(&r, x, y) : e->kind == EX_SUB ? lr_dec_sub(&r, x, y)
		     : e->kind == EX_MUL ? lr_dec_mul(&r, x, y) : lr_dec_div(&r, x, y)) != LR_OK)
			return 0;
		*out = r.v;
		return 1;
	default:
		return 0;
	}
}

/* A new abstraction (smt_impl.h) of the current node. */
static smt_month *new_abs(smt *s, int kind, Z3_ast a, Z3_ast b, int64_t n)
{
	smt_month *m;
	if (s->nmonths == s->capmonths) {
		s->capmonths = s->capmonths ? s->capmonths * 2 : 8;
		s->months = realloc(s->months, s->capmonths * sizeof *s->months);
		if (!s->months)
			abort();
	}
	m = &s->months[s->nmonths];
	memset(m, 0, sizeof *m);
	m->kind = kind;
	m->date = a;
	m->b = b;
	m->n = n;
	m->m = K(s, Z3_mk_fresh_const(s->c, "m", s->int_sort));
	smt_ivec_push(&s->cur->months, (uint32_t)s->nmonths++);
	return m;
}

/* ---- arithmetic ------------------------------------------------------------------- */

Z3_ast smt_round_nearest(smt *s, Z3_ast n, Z3_ast d, Z3_ast q)
{
	/* dd = 2n - 2qd; -d <= dd <= d; on a tie (|dd| = d) q is even. */
	Z3_ast two = smt_int(s, 2);
	Z3_ast dd = bin(s, Z3_mk_sub, bin(s, Z3_mk_mul, two, n), bin(s, Z3_mk_mul, two, bin(s, Z3_mk_mul, q, d)));
	Z3_ast negd = K(s, Z3_mk_unary_minus(s->c, d));
	Z3_ast near = smt_and2(s, K(s, Z3_mk_le(s->c, negd, dd)), K(s, Z3_mk_le(s->c, dd, d)));
	Z3_ast tie = smt_or2(s, K(s, Z3_mk_eq(s->c, dd, d)), K(s, Z3_mk_eq(s->c, dd, negd)));
	Z3_ast even = K(s, Z3_mk_eq(s->c, K(s, Z3_mk_mod(s->c, q, two)), smt_int(s, 0)));
	return smt_and2(s, near, K(s, Z3_mk_implies(s->c, tie, even)));
}

/* x * k or x / k with k constant: a fresh q rounded as the runtime does. */
static int mul_div_const(smt *s, const expr *e, const smt_term *x, int64_t k, int divide, smt_term *out)
{
	Z3_ast q = K(s, Z3_mk_fresh_const(s->c, "q", s->int_sort));
	Z3_ast n, d;
	if (divide) {
		if (k == 0) {
			/* Division by zero: an error, the value is not applicable. */
			out->def = s->fls;
			out->val = smt_int(s, 0);
			return 0;
		}
		n = bin(s, Z3_mk_mul, x->val, smt_int(s, k < 0 ? -SCALE : SCALE));
		d = smt_int(s, k < 0 ? -k : k);
	} else {
		n = bin(s, Z3_mk_mul, x->val, smt_int(s, k));
		d = smt_int(s, SCALE);
	}
	(void)e;
	smt_vec_push(&s->cur->sides, smt_round_nearest(s, n, d, q));
	out->val = q;
	out->def = smt_and2(s, x->def, in_range(s, q));
	return 0;
}

/* x * y, x / y with both varying: a free value pinned by replay (the
 * abstraction is sound for unsat; witnesses are refined or not reported). */
static int nonlinear(smt *s, const expr *e, smt_term *out)
{
	smt_term a, b;
	smt_month *m;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	if (smt_enc(s, e->a, &a) != 0 || smt_enc(s, e->b, &b) != 0)
		return -1;
	m = new_abs(s, e->kind == EX_MUL ? SMT_ABS_MUL : SMT_ABS_DIV, a.val, b.val, 0);
	m->ok = K(s, Z3_mk_fresh_const(s->c, "ok", s->bool_sort));
	out->val = m->m;
	out->def = smt_and2(s, smt_and2(s, smt_and2(s, a.def, b.def), m->ok), in_range(s, m->m));
	if (e->kind == EX_DIV)
		out->def = smt_and2(s, out->def, smt_not(s, K(s, Z3_mk_eq(s->c, b.val, smt_int(s, 0)))));
	if (!s->cur->approx)
		s->cur->approx = "a product or quotient of two varying values (nonlinear) is approximated, and no "
				 "witness the runtime confirms was found";
	return 0;
}

static int arith(smt *s, const expr *e, smt_term *out)
{
	smt_term a, b;
	int64_t k;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	if (e->kind == EX_MUL || e->kind == EX_DIV) {
		if (fold(e->b, &k)) {
			if (smt_enc(s, e->a, &a) != 0)
				return -1;
			return mul_div_const(s, e, &a, k, e->kind == EX_DIV, out);
		}
		if (e->kind == EX_MUL && fold(e->a, &k)) {
			if (smt_enc(s, e->b, &b) != 0)
				return -1;
			return mul_div_const(s, e, &b, k, 0, out);
		}
		return nonlinear(s, e, out);
	}
	if (smt_enc(s, e->a, &a) != 0 || smt_enc(s, e->b, &b) != 0)
		return -1;
	out->val = bin(s, e->kind == EX_ADD ? Z3_mk_add : Z3_mk_sub, a.val, b.val);
	out->def = smt_and2(s, smt_and2(s, a.def, b.def), in_range(s, out->val));
	return 0;
}

/* date +/- count of dur's time unit (lower.c's date_shift). */
static int shift(smt *s, const expr *at, const expr *date, const expr *dur, int negate, smt_term *out)
{
	smt_term d, n;
	int64_t k, lo, hi, whole, mult = 1;
	int months = 0;

	memset(&d, 0, sizeof d);
	memset(&n, 0, sizeof n);
	switch (unit_time(dur->type.unit)) {
	case TIME_WEEKS: mult = 7; break;
	case TIME_MONTHS: months = 1; break;
	case TIME_YEARS: months = 1; mult = 12; break;
	default: break;
	}
	if (smt_enc(s, date, &d) != 0)
		return -1;
	smt_date_limits(&lo, &hi);
	if (!fold(dur, &k)) {
		Z3_ast whole_n;
		if (months)
			return gap(s, at->loc, "a number of months that is not a constant");
		if (smt_enc(s, dur, &n) != 0)
			return -1;
		whole_n = bin(s, Z3_mk_mul, K(s, Z3_mk_div(s->c, n.val, smt_int(s, SCALE))), smt_int(s, negate ? -mult : mult));
		out->val = bin(s, Z3_mk_add, d.val, whole_n);
		out->def = smt_and2(s, smt_and2(s, d.def, n.def),
				    K(s, Z3_mk_eq(s->c, K(s, Z3_mk_mod(s->c, n.val, smt_int(s, SCALE))), smt_int(s, 0))));
	} else if (k % SCALE != 0 || k / SCALE > 1000000 || k / SCALE < -1000000) {
		out->val = d.val; /* a fractional or absurd count: an error at run time */
		out->def = s->fls;
		return 0;
	} else {
		whole = k / SCALE * mult * (negate ? -1 : 1);
		if (!months) {
			out->val = bin(s, Z3_mk_add, d.val, smt_int(s, whole));
		} else {
			int64_t mlo, mhi;
			smt_month *m = new_abs(s, SMT_ABS_MONTHS, d.val, NULL, whole);
			smt_month_range(whole, &mlo, &mhi);
			smt_vec_push(&s->cur->sides,
				     smt_and2(s, K(s, Z3_mk_ge(s->c, m->m, bin(s, Z3_mk_add, d.val, smt_int(s, mlo)))),
					      K(s, Z3_mk_le(s->c, m->m, bin(s, Z3_mk_add, d.val, smt_int(s, mhi))))));
			out->val = m->m;
		}
		out->def = d.def;
	}
	out->def = smt_and2(s, out->def, smt_and2(s, K(s, Z3_mk_ge(s->c, out->val, smt_int(s, lo))),
						  K(s, Z3_mk_le(s->c, out->val, smt_int(s, hi)))));
	return 0;
}

/* ---- the civil calendar ----------------------------------------------------------
** Year, month and day of a day number, as runtime/date.c computes them,
** by definition rather than by computation: fresh y, m, d with
**
**     1 <= y <= 9999, 1 <= m <= 12, 1 <= d <= length of month m of year y,
**     x = day number of 0001-01-01 + days of the years before y
**         + days of the months before m in year y + d - 1,
**
** which has exactly one solution for each date of the calendar (the map
** from (y, m, d) to day numbers is one to one and onto).  The years'
** days need y div 4, y div 100, y div 400, and the month lengths y mod 4,
** 100 and 400: divisions by constants, linear for Z3, and far fewer than
** computing y, m, d from x (which timed out).  The definition holds only
** when x is a date of the calendar (a side is asserted whatever the
** value: an unknown value may be any integer), so it constrains nothing
** else. */

static Z3_ast divc(smt *s, Z3_ast x, int64_t k) { return K(s, Z3_mk_div(s->c, x, smt_int(s, k))); }
static Z3_ast mulc(smt *s, Z3_ast x, int64_t k) { return bin(s, Z3_mk_mul, smt_int(s, k), x); }
static Z3_ast addc(smt *s, Z3_ast x, int64_t k) { return bin(s, Z3_mk_add, x, smt_int(s, k)); }
static Z3_ast eqc(smt *s, Z3_ast x, int64_t k) { return K(s, Z3_mk_eq(s->c, x, smt_int(s, k))); }
static Z3_ast lec(smt *s, int64_t lo, Z3_ast x, int64_t hi)
{
	return smt_and2(s, K(s, Z3_mk_le(s->c, smt_int(s, lo), x)), K(s, Z3_mk_le(s->c, x, smt_int(s, hi))));
}

static Z3_ast divisible(smt *s, Z3_ast x, int64_t k)
{
	return K(s, Z3_mk_eq(s->c, K(s, Z3_mk_mod(s->c, x, smt_int(s, k))), smt_int(s, 0)));
}

/* Days of the months before month m of a year (not a leap year), and the
 * length of month m, as ite chains on m. */
static Z3_ast month_table(smt *s, Z3_ast m, const int *v)
{
	Z3_ast r = smt_int(s, v[11]);
	int k;
	for (k = 10; k >= 0; k--)
		r = K(s, Z3_mk_ite(s->c, eqc(s, m, k + 1), smt_int(s, v[k]), r));
	return r;
}

void smt_civil(smt *s, Z3_ast x, Z3_ast *y, Z3_ast *m, Z3_ast *d, Z3_ast *len)
{
	static const int before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
	static const int length[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int64_t lo, hi;
	Z3_ast yy = K(s, Z3_mk_fresh_const(s->c, "y", s->int_sort));
	Z3_ast mm = K(s, Z3_mk_fresh_const(s->c, "mon", s->int_sort));
	Z3_ast dd = K(s, Z3_mk_fresh_const(s->c, "d", s->int_sort));
	Z3_ast y1 = addc(s, yy, -1), leap, ln, days, v[6];

	smt_date_limits(&lo, &hi);
	leap = smt_or2(s, smt_and2(s, divisible(s, yy, 4), smt_not(s, divisible(s, yy, 100))), divisible(s, yy, 400));
	ln = bin(s, Z3_mk_add, month_table(s, mm, length),
		 K(s, Z3_mk_ite(s->c, smt_and2(s, eqc(s, mm, 2), leap), smt_int(s, 1), smt_int(s, 0))));
	v[0] = smt_int(s, lo);
	v[1] = mulc(s, y1, 365);
	v[2] = divc(s, y1, 4);
	v[3] = K(s, Z3_mk_unary_minus(s->c, divc(s, y1, 100)));
	v[4] = divc(s, y1, 400);
	v[5] = bin(s, Z3_mk_add, month_table(s, mm, before),
		   K(s, Z3_mk_ite(s->c, smt_and2(s, K(s, Z3_mk_gt(s->c, mm, smt_int(s, 2))), leap), smt_int(s, 1),
				  smt_int(s, 0))));
	days = bin(s, Z3_mk_add, K(s, Z3_mk_add(s->c, 6, v)), addc(s, dd, -1));
	smt_vec_push(&s->cur->sides,
		     K(s, Z3_mk_implies(s->c, lec(s, lo, x, hi),
					smt_and2(s, smt_and2(s, lec(s, 1, yy, 9999), lec(s, 1, mm, 12)),
						 smt_and2(s, smt_and2(s, K(s, Z3_mk_ge(s->c, dd, smt_int(s, 1))),
								      K(s, Z3_mk_le(s->c, dd, ln))),
							  K(s, Z3_mk_eq(s->c, x, days)))))));
	*y = yy;
	*m = mm;
	*d = dd;
	if (len)
		*len = ln;
}

typedef struct {
	Z3_ast y, m, d, len;   /* the date's year, month, day and its month's length */
} civil_date;

static void civil_of(smt *s, Z3_ast x, civil_date *c)
{
	smt_civil(s, x, &c->y, &c->m, &c->d, &c->len);
}

/* Months from a to b for b on or after a (lr_date_months_between): the
 * months between their months, less one when b's day is before a's day
 * clamped into b's month. */
static Z3_ast months_forward(smt *s, const civil_date *a, const civil_date *b)
{
	Z3_ast ta = bin(s, Z3_mk_add, mulc(s, a->y, 12), a->m), tb = bin(s, Z3_mk_add, mulc(s, b->y, 12), b->m);
	Z3_ast short_ = smt_and2(s, K(s, Z3_mk_lt(s->c, b->d, a->d)), K(s, Z3_mk_lt(s->c, b->d, b->len)));
	return bin(s, Z3_mk_sub, bin(s, Z3_mk_sub, tb, ta), K(s, Z3_mk_ite(s->c, short_, smt_int(s, 1), smt_int(s, 0))));
}

/* months from a to b, exactly: forward, or minus the count from b to a. */
static int months_between(smt *s, const expr *e, smt_term *out)
{
	smt_term a, b;
	civil_date ca, cb;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	if (smt_enc(s, e->a, &a) != 0 || smt_enc(s, e->b, &b) != 0)
		return -1;
	civil_of(s, a.val, &ca);
	civil_of(s, b.val, &cb);
	{
		Z3_ast n = K(s, Z3_mk_ite(s->c, K(s, Z3_mk_ge(s->c, b.val, a.val)), months_forward(s, &ca, &cb),
					   K(s, Z3_mk_unary_minus(s->c, months_forward(s, &cb, &ca)))));
		Z3_ast nn = K(s, Z3_mk_unary_minus(s->c, n)), zero = smt_int(s, 0);
		Z3_ast d = bin(s, Z3_mk_sub, b.val, a.val), nd = K(s, Z3_mk_unary_minus(s->c, d)), fwd, bwd;
		fwd = smt_and2(s, K(s, Z3_mk_ge(s->c, n, zero)),
			       smt_and2(s, K(s, Z3_mk_le(s->c, bin(s, Z3_mk_sub, bin(s, Z3_mk_mul, smt_int(s, 28), n), smt_int(s, 3)), d)),
					K(s, Z3_mk_le(s->c, d, bin(s, Z3_mk_add, bin(s, Z3_mk_mul, smt_int(s, 31), n), smt_int(s, 30))))));
		bwd = smt_and2(s, K(s, Z3_mk_ge(s->c, nn, zero)),
			       smt_and2(s, K(s, Z3_mk_le(s->c, bin(s, Z3_mk_sub, bin(s, Z3_mk_mul, smt_int(s, 28), nn), smt_int(s, 3)), nd)),
					K(s, Z3_mk_le(s->c, nd, bin(s, Z3_mk_add, bin(s, Z3_mk_mul, smt_int(s, 31), nn), smt_int(s, 30))))));
		smt_vec_push(&s->cur->sides, K(s, Z3_mk_ite(s->c, K(s, Z3_mk_ge(s->c, d, zero)), fwd, bwd)));
		out->val = mulc(s, n, SCALE);
	}
	out->def = smt_and2(s, a.def, b.def);
	return 0;
}

/* day of month of a, exactly. */
static int day_of_month(smt *s, const expr *e, smt_term *out)
{
	smt_term a;
	Z3_ast y, m, d;
	memset(&a, 0, sizeof a);
	if (smt_enc(s, e->a, &a) != 0)
		return -1;
	smt_civil(s, a.val, &y, &m, &d, NULL);
	out->val = mulc(s, d, SCALE);
	out->def = a.def;
	return 0;
}

/* ---- names: inputs, params, lets, tables ----------------------------------------- */


/* A let's or table's encoded node, used from the current one. */
static int use_node(smt *s, const expr *e, smt_node *n, smt_term *out)
{
	if (n->state == 1)
		return gap(s, e->loc, "a let or table that refers to itself");
	smt_take(s, n);
	if (n->gap.why)
		return -1;
	*out = n->term;
	return 0;
}

static int name(smt *s, const expr *e, smt_term *out)
{
	const decl *d = e->ref;
	int64_t k;
	int i;

	if (!d)
		return gap(s, e->loc, "an unresolved name");
	switch (d->kind) {
	case D_INPUT:
		if ((i = lower_input_index(s->lw, d)) < 0)
			return gap(s, e->loc, "an input the table does not have");
		if (i >= SMT_READ_WORDS * 64)
			return gap(s, e->loc, "an input past the verifier's first 256");
		s->cur->reads[i / 64] |= UINT64_C(1) << (i % 64);
		out->def = s->p[i];
		out->val = s->v[i];
		return 0;
	case D_PARAM:
		if (!fold(e, &k))
			return gap(s, e->loc, "a param without a constant value");
		if (is_bool(e)) {
			out->t = k ? s->tru : s->fls;
			out->f = k ? s->fls : s->tru;
		} else {
			out->def = s->tru;
			out->val = smt_int(s, k);
		}
		return 0;
	case D_LET: {
		smt_node *n;
		i = smt_index_of(s->lw->lets, s->lw->rs.nlets, d);
		if (i < 0)
			return gap(s, e->loc, "a let the table does not have");
		n = &s->lets[i];
		if (n->state == 0) {
			if (s->depth >= 64)
				return gap(s, e->loc, "lets nested more than 64 deep");
			s->depth++;
			smt_encode_decl(s, n, d, d->body);
			s->depth--;
		}
		return use_node(s, e, n, out);
	}
	case D_TABLE:
	{
		smt_node *tn;
		i = smt_index_of(s->lw->tables, s->lw->rs.ntables, d);
		if (i < 0 || smt_table_node(s, (uint32_t)i, &tn) != 0)
			return gap(s, e->loc, "a table the encoding does not cover");
		return use_node(s, e, tn, out);
	}
	default:
		return gap(s, e->loc, "a name the encoding does not cover");
	}
}

/* ---- conditions ---------------------------------------------------------------------- */

/* a OP b for values (numbers, dates, indices, or conditions for = and !=). */
static int compare(smt *s, const expr *a, const expr *b, ex_kind op, smt_term *out)
{
	smt_term x, y;
	Z3_ast known, c = NULL;
	memset(&x, 0, sizeof x);
	memset(&y, 0, sizeof y);
	if (smt_enc(s, a, &x) != 0 || smt_enc(s, b, &y) != 0)
		return -1;
	smt_as_value(s, &x);
	smt_as_value(s, &y);
	known = smt_and2(s, x.def, y.def);
	if (Z3_get_sort_kind(s->c, Z3_get_sort(s->c, x.val)) != Z3_get_sort_kind(s->c, Z3_get_sort(s->c, y.val)))
		return gap(s, a->loc, "a comparison of values of different kinds");
	if (Z3_get_sort_kind(s->c, Z3_get_sort(s->c, x.val)) == Z3_BOOL_SORT && op != EX_EQ && op != EX_NE)
		return gap(s, a->loc, "an ordering of true and false");
	switch (op) {
	case EX_LT: c = K(s, Z3_mk_lt(s->c, x.val, y.val)); break;
	case EX_LE: c = K(s, Z3_mk_le(s->c, x.val, y.val)); break;
	case EX_GT: c = K(s, Z3_mk_gt(s->c, x.val, y.val)); break;
	case EX_GE: c = K(s, Z3_mk_ge(s->c, x.val, y.val)); break;
	case EX_EQ: c = K(s, Z3_mk_eq(s->c, x.val, y.val)); break;
	default: c = smt_not(s, K(s, Z3_mk_eq(s->c, x.val, y.val))); break;
	}
	out->t = smt_and2(s, known, c);
	out->f = smt_and2(s, known, smt_not(s, c));
	return 0;
}

static void kleene_and(smt *s, const smt_term *a, const smt_term *b, smt_term *out)
{
	out->t = smt_and2(s, a->t, b->t);
	out->f = smt_or2(s, a->f, b->f);
}

static void kleene_or(smt *s, const smt_term *a, const smt_term *b, smt_term *out)
{
	out->t = smt_or2(s, a->t, b->t);
	out->f = smt_and2(s, a->f, b->f);
}

static int cond(smt *s, const expr *e, smt_term *out)
{
	if (smt_enc(s, e, out) != 0)
		return -1;
	smt_as_cond(s, out);
	return 0;
}

/* e is (not) one of a set of enumeration indices. */
static int member(smt *s, const expr *e, const int *idx, size_t n, int negated, smt_term *out)
{
	smt_term x;
	Z3_ast in = s->fls;
	size_t i;
	memset(&x, 0, sizeof x);
	if (smt_enc(s, e->a, &x) != 0)
		return -1;
	for (i = 0; i < n; i++)
		in = smt_or2(s, in, K(s, Z3_mk_eq(s->c, x.val, smt_int(s, idx[i]))));
	out->t = smt_and2(s, x.def, negated ? smt_not(s, in) : in);
	out->f = smt_and2(s, x.def, negated ? in : smt_not(s, in));
	return 0;
}

static int one_of(smt *s, const expr *e, smt_term *out)
{
	const decl *en = e->a->type.enm;
	int idx[64];
	size_t i, k, n = 0;
	if (!en)
		return gap(s, e->loc, "'one of' on a value that is not an enumeration");
	for (i = 0; i < e->names.len; i++) {
		const ident *id = e->names.items[i];
		for (k = 0; k < en->values.len && k < 64; k++)
			if (strcmp(((ident *)en->values.items[k])->name, id->name) == 0 && n < 64)
				idx[n++] = (int)k;
	}
	return member(s, e, idx, n, e->ival, out);
}

static int within(smt *s, const expr *e, smt_term *out)
{
	/* before: a <= c and c - b <= a;  after: c <= a and a <= c + b */
	int before = e->kind == EX_WITHIN_BEFORE;
	smt_term a, c, sh, p, q;
	Z3_ast x, y;
	memset(&a, 0, sizeof a);
	memset(&c, 0, sizeof c);
	memset(&sh, 0, sizeof sh);
	if (smt_enc(s, e->a, &a) != 0 || smt_enc(s, e->c, &c) != 0 || shift(s, e, e->c, e->b, before, &sh) != 0)
		return -1;
	x = K(s, (before ? Z3_mk_le : Z3_mk_ge)(s->c, a.val, c.val));
	y = K(s, (before ? Z3_mk_ge : Z3_mk_le)(s->c, a.val, sh.val));
	p.t = smt_and2(s, smt_and2(s, a.def, c.def), x);
	p.f = smt_and2(s, smt_and2(s, a.def, c.def), smt_not(s, x));
	q.t = smt_and2(s, smt_and2(s, a.def, sh.def), y);
	q.f = smt_and2(s, smt_and2(s, a.def, sh.def), smt_not(s, y));
	kleene_and(s, &p, &q, out);
	return 0;
}

/* if c then a else b (a value, or a condition when the type is TY_BOOL). */
static int if_then(smt *s, const expr *e, smt_term *out)
{
	smt_term c, a, b;
	memset(&c, 0, sizeof c);
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	if (cond(s, e->a, &c) != 0 || smt_enc(s, e->b, &a) != 0 || smt_enc(s, e->c, &b) != 0)
		return -1;
	if (is_bool(e)) {
		smt_as_cond(s, &a);
		smt_as_cond(s, &b);
		out->t = smt_or2(s, smt_and2(s, c.t, a.t), smt_and2(s, c.f, b.t));
		out->f = smt_or2(s, smt_and2(s, c.t, a.f), smt_and2(s, c.f, b.f));
		return 0;
	}
	out->def = smt_or2(s, smt_and2(s, c.t, a.def), smt_and2(s, c.f, b.def));
	out->val = K(s, Z3_mk_ite(s->c, c.t, a.val, b.val));
	return 0;
}

static int otherwise(smt *s, const expr *e, smt_term *out)
{
	smt_term a, b;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	if (smt_enc(s, e->a, &a) != 0 || smt_enc(s, e->b, &b) != 0)
		return -1;
	smt_as_value(s, &a);
	smt_as_value(s, &b);
	out->def = smt_or2(s, a.def, b.def);
	out->val = K(s, Z3_mk_ite(s->c, a.def, a.val, b.val));
	if (is_bool(e)) {
		out->t = smt_and2(s, out->def, out->val);
		out->f = smt_and2(s, out->def, smt_not(s, out->val));
	}
	return 0;
}

static int logic(smt *s, const expr *e, smt_term *out)
{
	smt_term a, b;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	if (cond(s, e->a, &a) != 0)
		return -1;
	if (e->kind == EX_NOT) {
		out->t = a.f;
		out->f = a.t;
		return 0;
	}
	if (cond(s, e->b, &b) != 0)
		return -1;
	if (e->kind == EX_AND)
		kleene_and(s, &a, &b, out);
	else
		kleene_or(s, &a, &b, out);
	return 0;
}

static int known(smt *s, const expr *e, smt_term *out)
{
	smt_term x;
	memset(&x, 0, sizeof x);
	if (smt_enc(s, e->a, &x) != 0)
		return -1;
	smt_as_value(s, &x);
	out->t = e->kind == EX_KNOWN ? x.def : smt_not(s, x.def);
	out->f = smt_not(s, out->t);
	return 0;
}

static int between_ex(smt *s, const expr *e, smt_term *out)
{
	smt_term p, q;
	memset(&p, 0, sizeof p);
	memset(&q, 0, sizeof q);
	if (compare(s, e->a, e->b, EX_GE, &p) != 0 || compare(s, e->a, e->c, EX_LE, &q) != 0)
		return -1;
	kleene_and(s, &p, &q, out);
	return 0;
}

int smt_enc(smt *s, const expr *e, smt_term *out)
{
	int64_t k;
	memset(out, 0, sizeof *out);
	switch (e->kind) {
	case EX_NUM: case EX_DATE:
		out->def = s->tru;
		out->val = smt_int(s, e->kind == EX_NUM ? e->dec.v : e->date);
		return 0;
	case EX_BOOL:
		out->t = e->ival ? s->tru : s->fls;
		out->f = e->ival ? s->fls : s->tru;
		return 0;
	case EX_NAME:
		if (name(s, e, out) != 0)
			return -1;
		if (is_bool(e))
			smt_as_cond(s, out);
		return 0;
	case EX_AS: return smt_enc(s, e->a, out);
	case EX_NEG:
		if (fold(e, &k)) {
			out->def = s->tru;
			out->val = smt_int(s, k);
			return 0;
		}
		if (smt_enc(s, e->a, out) != 0)
			return -1;
		out->val = K(s, Z3_mk_unary_minus(s->c, out->val));
		out->def = smt_and2(s, out->def, in_range(s, out->val));
		return 0;
	case EX_ADD: case EX_SUB:
		if (e->type.kind == TY_DATE)
			return shift(s, e, e->a, e->b, e->kind == EX_SUB, out);
		return arith(s, e, out);
	case EX_MUL: case EX_DIV: return arith(s, e, out);
	case EX_LT: case EX_LE: case EX_GT: case EX_GE: case EX_EQ: case EX_NE:
		return compare(s, e->a, e->b, e->kind, out);
	case EX_BEFORE: return compare(s, e->a, e->b, EX_LT, out);
	case EX_AFTER: return compare(s, e->a, e->b, EX_GT, out);
	case EX_ON_OR_BEFORE: return compare(s, e->a, e->b, EX_LE, out);
	case EX_ON_OR_AFTER: return compare(s, e->a, e->b, EX_GE, out);
	case EX_AND: case EX_OR: case EX_NOT: return logic(s, e, out);
	case EX_MISSING: case EX_KNOWN: return known(s, e, out);
	case EX_IS:
		if (e->a->ref && e->a->ref->kind == D_SCHEDULE)
			return gap(s, e->loc, "a schedule's state ('is overdue')");
		return member(s, e, &e->enum_index, 1, e->ival, out);
	case EX_ONE_OF: return one_of(s, e, out);
	case EX_BETWEEN: return between_ex(s, e, out);
	case EX_WITHIN_BEFORE: case EX_WITHIN_AFTER: return within(s, e, out);
	case EX_IF: return if_then(s, e, out);
	case EX_OTHERWISE: return otherwise(s, e, out);
	case EX_MONTHS_BETWEEN: return months_between(s, e, out);
	case EX_DAY_OF_MONTH: return day_of_month(s, e, out);
	case EX_ERROR: break;
	}
	return gap(s, e->loc, "an expression the encoding does not cover");
}
