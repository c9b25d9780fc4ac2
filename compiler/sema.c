/*
** sema.c: the semantic checker.
**
** Pass 1 enters every declaration into its namespace (values, sources,
** rules, examples) and reports duplicates.  Pass 2 checks each
** declaration: types and units of expressions, literal dates and
** numbers, ranges, citations and quotes, decision-table coverage,
** schedules and examples.  Pass 3 warns about inputs and params that
** nothing reads.  Every message speaks of the author's names and units.
*/
#include "sema.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <utf8proc.h>

#include "suggest.h"
#include "units.h"

/* A namespace: the declarations in order (for suggestions and indexes)
 * and a hash index by name.  Every name is looked up at least once per
 * use, and a linear search made `check` quadratic: 10,000 rules took
 * seconds, nearly all of it in strcmp. */
typedef struct {
	ptrvec v;
	const decl **slots;  /* open addressing; NULL = empty */
	size_t cap;          /* a power of two, or 0 */
} nspace;

typedef struct {
	arena *a;
	diag_ctx *d;
	ruleset_ast *rs;
	nspace values;   /* inputs, params, lets, tables, schedules */
	nspace sources;
	nspace rules;
	nspace examples;
	nspace statements; /* recommendation statements of sources (prose coverage) */
} sema;

static const decl *cur_decl; /* for error spans that need the file */

/* ---- small helpers -------------------------------------------------------- */

#define ERR(s, f, sp, id, ...) diag_report((s)->d, DIAG_ERROR, (f), (sp).start, (sp).end, id, __VA_ARGS__)
#define WARN(s, f, sp, id, ...) diag_report((s)->d, DIAG_WARNING, (f), (sp).start, (sp).end, id, __VA_ARGS__)

static size_t name_hash(const char *s)
{
	size_t h = 2166136261u; /* FNV-1a */
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static const decl *find(const nspace *ns, const char *name)
{
	size_t i;
	if (!ns->cap)
		return NULL;
	for (i = name_hash(name) & (ns->cap - 1); ns->slots[i]; i = (i + 1) & (ns->cap - 1))
		if (strcmp(ns->slots[i]->id.name, name) == 0)
			return ns->slots[i];
	return NULL;
}

/* Adds d (whose name is not yet in ns), keeping the load at most 1/2. */
static void ns_add(arena *a, nspace *ns, const decl *d)
{
	size_t i;
	if ((ns->v.len + 1) * 2 > ns->cap) {
		size_t cap = ns->cap ? ns->cap * 2 : 64, k;
		const decl **slots = arena_alloc(a, cap * sizeof(*slots));
		for (k = 0; k < ns->v.len; k++) {
			const decl *e = ns->v.items[k];
			for (i = name_hash(e->id.name) & (cap - 1); slots[i]; i = (i + 1) & (cap - 1))
				;
			slots[i] = e;
		}
		ns->slots = slots;
		ns->cap = cap;
	}
	for (i = name_hash(d->id.name) & (ns->cap - 1); ns->slots[i]; i = (i + 1) & (ns->cap - 1))
		;
	ns->slots[i] = d;
	ptrvec_push(a, &ns->v, (void *)d);
}

/* " (did you mean 'x'?)" or "", among the declarations of ns whose kind
 * is in the bit mask kinds (0: any kind). */
static const char *suggest_kind(sema *s, const nspace *ns, const char *name, unsigned kinds)
{
	const ptrvec *v = &ns->v;
	size_t i, best = 99;
	const char *pick = NULL;
	size_t limit = strlen(name) / 3 + 1;

	for (i = 0; i < v->len; i++) {
		const decl *d = v->items[i];
		size_t k;
		if (kinds && !(kinds & (1u << d->kind)))
			continue;
		k = sg_edit_distance(name, d->id.name);
		if (k < best) {
			best = k;
			pick = d->id.name;
		}
	}
	if (pick && best <= limit)
		return arena_printf(s->a, "; did you mean '%s'?", pick);
	return "";
}

static const char *suggest(sema *s, const nspace *ns, const char *name) { return suggest_kind(s, ns, name, 0); }

static const char *kind_name(decl_kind k)
{
	static const char *const names[] = {"input", "param", "source", "let", "rule", "table",
					    "schedule", "example", "ruleset", "statement", "subject"};
	return names[k];
}

/* "an input", "an example", "a rule": the kind names with a vowel. */
static const char *kind_article(decl_kind k)
{
	return k == D_INPUT || k == D_EXAMPLE ? "an" : "a";
}

static ty mk(ty_kind k)
{
	ty t;
	memset(&t, 0, sizeof t);
	t.kind = k;
	return t;
}

static ty mknum(const char *unit, int unit_free)
{
	ty t = mk(TY_NUM);
	t.unit = unit ? unit : "";
	t.unit_free = unit_free;
	return t;
}

static const char *ty_show(sema *s, ty t)
{
	switch (t.kind) {
	case TY_BOOL: return "a yes/no value";
	case TY_DATE: return "a date";
	case TY_ENUM: return arena_printf(s->a, "one of the values of '%s'", t.enm->id.name);
	case TY_TEXT: return "text";
	case TY_NUM:
		if (t.unit_free || !*t.unit)
			return "a number";
		return arena_printf(s->a, "a number in %s", t.unit);
	default: return "an invalid value";
	}
}

/* ---- declarations ---------------------------------------------------------- */

static void enter(sema *s, nspace *ns, decl *d)
{
	const decl *prev = find(ns, d->id.name);
	if (prev) {
		diag *g = ERR(s, d->file, d->id.loc, "duplicate-name", "'%s' is already declared as %s %s",
			      d->id.name, kind_article(prev->kind), kind_name(prev->kind));
		diag_note(s->d, g, prev->file, prev->id.loc.start, prev->id.loc.end, "first declared here");
		return;
	}
	d->index = (uint32_t)ns->v.len;
	ns_add(s->a, ns, d);
}

static void collect(sema *s)
{
	size_t i;
	for (i = 0; i < s->rs->decls.len; i++) {
		decl *d = s->rs->decls.items[i];
		if (!d->id.name)
			continue;
		switch (d->kind) {
		case D_SOURCE: enter(s, &s->sources, d); break;
		case D_RULE: enter(s, &s->rules, d); break;
		case D_EXAMPLE: enter(s, &s->examples, d); break;
		case D_STATEMENT: enter(s, &s->statements, d); break;
		case D_RULESET:
			if (s->rs->ruleset) {
				const decl *prev = s->rs->ruleset;
				diag *g = ERR(s, d->file, d->id.loc, "duplicate-name",
					      "a rule set has one 'ruleset' declaration; this is a second");
				diag_note(s->d, g, prev->file, prev->id.loc.start, prev->id.loc.end, "the first is here");
			} else {
				s->rs->ruleset = d;
			}
			break;
		default: enter(s, &s->values, d); break;
		}
	}
}

/* ---- literals ------------------------------------------------------------- */

static const char *canon_unit(sema *s, const char *text, span loc)
{
	const char *bad, *hint;
	const char *c = unit_canon(s->a, text, &bad, &hint);
	if (!c) {
		if (hint)
			ERR(s, cur_decl->file, loc, "unknown-unit", "unknown unit '%s' in '%s'; did you mean '%s'?",
			    bad, text, hint);
		else
			ERR(s, cur_decl->file, loc, "unknown-unit", "unknown unit '%s' in '%s'", bad, text);
	}
	return c;
}

static const char *const month_names[12] = {"January", "February", "March", "April", "May", "June",
					    "July", "August", "September", "October", "November", "December"};

static int check_date_text(sema *s, const char *text, span loc, lr_date *out)
{
	int y, m, dd;
	if (lr_date_parse(out, text, strlen(text)) == LR_OK)
		return 0;
	if (sscanf(text, "%4d-%2d-%2d", &y, &m, &dd) == 3 && m >= 1 && m <= 12 && y >= 1)
		ERR(s, cur_decl->file, loc, "impossible-date", "%s is not a date: %s %d has %d days", text,
		    month_names[m - 1], y, lr_date_days_in_month(y, m));
	else if (sscanf(text, "%4d-%2d-%2d", &y, &m, &dd) == 3 && (m < 1 || m > 12))
		ERR(s, cur_decl->file, loc, "impossible-date", "%s is not a date: there is no month %d", text, m);
	else
		ERR(s, cur_decl->file, loc, "impossible-date", "%s is not a date (years run from 0001 to 9999)",
		    text);
	return -1;
}

/* ---- expressions ----------------------------------------------------------- */

static ty check_expr(sema *s, expr *e);
static void check_let(sema *s, decl *d);
static void check_table(sema *s, decl *d);

static int is_err(ty t) { return t.kind == TY_ERROR; }

/* ---- lets and tables in dependency order ------------------------------------
** A let or table is checked after every let and table it reads, found by a
** depth-first search that keeps its own stack: the C stack stays flat
** however long a chain of lets an author writes (30,000 lets, each
** declared before the one it reads, overflowed it when checking a let
** recursed into the lets it reads).  visiting is 1 while a declaration is
** on the search's path and 2 once it is checked, so each is checked once.
** A name that reaches a declaration still on the path is a cycle; the
** search steps over it, and name_type reports it at that name when the
** reader is checked (the same message and place as before). */

typedef struct {
	decl *d;
	size_t start, next;  /* its dependencies are deps[start .. ) */
} rframe;

typedef struct {
	sema *s;
	decl **deps;         /* the dependencies of every frame, stacked */
	size_t ndeps, capdeps;
} rsearch;

static int is_derived(const decl *d) { return d->kind == D_LET || d->kind == D_TABLE; }

static void *grow_array(void *p, size_t *cap, size_t elem)
{
	size_t n = *cap ? *cap * 2 : 64;
	void *q = realloc(p, n * elem);
	if (!q)
		abort(); /* out of memory: as arena_alloc */
	*cap = n;
	return q;
}

/* ast_visit callback: notes a let or table that e reads and is unchecked. */
static void note_dep(void *ctx, const expr *e)
{
	rsearch *r = ctx;
	decl *d;
	if (e->kind != EX_NAME)
		return;
	d = (decl *)find(&r->s->values, e->name);
	if (!d || !is_derived(d) || d->visiting != 0)
		return;
	if (r->ndeps == r->capdeps)
		r->deps = grow_array(r->deps, &r->capdeps, sizeof *r->deps);
	r->deps[r->ndeps++] = d;
}

/* Every expression checking d reads: the same ones check_let and check_table check. */
static void note_deps(rsearch *r, const decl *d)
{
	size_t i;
	if (d->kind == D_LET) {
		ast_visit(d->body, note_dep, r);
		return;
	}
	ast_visit(d->key, note_dep, r);
	for (i = 0; i < d->rows.len; i++) {
		const table_row *row = d->rows.items[i];
		ast_visit(row->lo, note_dep, r);
		ast_visit(row->hi, note_dep, r);
		ast_visit(row->value, note_dep, r);
	}
}

static void check_derived(sema *s, decl *d)
{
	if (d->kind == D_LET)
		check_let(s, d);
	else
		check_table(s, d);
}

/* Checks root (a let or table not on the path) after what it reads. */
static void resolve(sema *s, decl *root)
{
	rsearch r;
	rframe *path = NULL;
	size_t n = 0, cap = 0;

	if (root->visiting != 0)
		return;
	memset(&r, 0, sizeof r);
	r.s = s;
	path = grow_array(path, &cap, sizeof *path);
	root->visiting = 1;
	path[n].d = root;
	path[n].start = path[n].next = 0;
	n++;
	note_deps(&r, root);
	while (n) {
		rframe *f = &path[n - 1];
		if (f->next < r.ndeps) {
			decl *dep = r.deps[f->next++];
			if (dep->visiting != 0)
				continue; /* checked already, or a cycle */
			if (n == cap)
				path = grow_array(path, &cap, sizeof *path);
			dep->visiting = 1;
			path[n].d = dep;
			path[n].start = path[n].next = r.ndeps;
			n++;
			note_deps(&r, dep);
			continue;
		}
		check_derived(s, f->d);
		f->d->visiting = 2;
		r.ndeps = f->start;
		n--;
	}
	free(path);
	free(r.deps);
}

static ty name_type(sema *s, expr *e)
{
	decl *d = (decl *)find(&s->values, e->name);
	if (!d) {
		const char *hint = suggest(s, &s->values, e->name);
		if (find(&s->rules, e->name))
			ERR(s, cur_decl->file, e->loc, "unknown-name",
			    "'%s' is a rule, not a value a condition can read", e->name);
		else
			ERR(s, cur_decl->file, e->loc, "unknown-name", "unknown name '%s'%s", e->name, hint);
		return mk(TY_ERROR);
	}
	d->used = 1;
	e->ref = d;
	switch (d->kind) {
	case D_LET: case D_TABLE:
		if (d->visiting == 1) {
			ERR(s, cur_decl->file, e->loc, "cycle", "'%s' is defined in terms of itself", e->name);
			return mk(TY_ERROR);
		}
		resolve(s, d);
		return d->type;
	case D_SCHEDULE:
		ERR(s, cur_decl->file, e->loc, "type-mismatch",
		    "'%s' is a schedule; a condition can test '%s is overdue'", e->name, e->name);
		return mk(TY_ERROR);
	case D_SUBJECT:
		ERR(s, cur_decl->file, e->loc, "type-mismatch",
		    "'%s' is a subject (what an action acts on), not a value a condition can read", e->name);
		return mk(TY_ERROR);
	default:
		return d->type;
	}
}

static int units_agree(ty *a, ty *b)
{
	if (a->unit_free || b->unit_free)
		return 1;
	return strcmp(a->unit, b->unit) == 0;
}

static void mismatch(sema *s, expr *e, const char *what, ty a, ty b)
{
	ERR(s, cur_decl->file, e->loc, "type-mismatch", "cannot %s %s with %s", what, ty_show(s, a), ty_show(s, b));
}

static ty arith(sema *s, expr *e)
{
	ty a = check_expr(s, e->a), b = check_expr(s, e->b);
	if (is_err(a) || is_err(b))
		return mk(TY_ERROR);
	if (e->kind == EX_ADD || e->kind == EX_SUB) {
		/* Calendar arithmetic: date +/- a number of days, weeks, months, years. */
		if (a.kind == TY_DATE && b.kind == TY_NUM) {
			if (unit_time(b.unit) == TIME_NONE || unit_time(b.unit) == TIME_DOSES) {
				ERR(s, cur_decl->file, e->b->loc, "type-mismatch",
				    "a date moves by days, weeks, months or years, not by %s", ty_show(s, b));
				return mk(TY_ERROR);
			}
			return mk(TY_DATE);
		}
		if (a.kind == TY_NUM && b.kind == TY_DATE && e->kind == EX_ADD) {
			ERR(s, cur_decl->file, e->loc, "type-mismatch", "write the date first: DATE + DURATION");
			return mk(TY_ERROR);
		}
		if (a.kind != TY_NUM || b.kind != TY_NUM) {
			mismatch(s, e, e->kind == EX_ADD ? "add" : "subtract", a, b);
			return mk(TY_ERROR);
		}
		if (!units_agree(&a, &b)) {
			ERR(s, cur_decl->file, e->loc, "unit-mismatch", "cannot %s %s and %s",
			    e->kind == EX_ADD ? "add" : "subtract", a.unit, b.unit);
			return mk(TY_ERROR);
		}
		return mknum(a.unit_free ? b.unit : a.unit, a.unit_free && b.unit_free);
	}
	if (a.kind != TY_NUM || b.kind != TY_NUM) {
		mismatch(s, e, e->kind == EX_MUL ? "multiply" : "divide", a, b);
		return mk(TY_ERROR);
	}
	{
		const char *ua = a.unit_free ? "" : a.unit, *ub = b.unit_free ? "" : b.unit;
		const char *u = e->kind == EX_MUL ? unit_mul(s->a, ua, ub) : unit_div(s->a, ua, ub);
		return mknum(u, a.unit_free && b.unit_free);
	}
}

static ty compare(sema *s, expr *e, expr *x, expr *y, const char *verb)
{
	ty a = check_expr(s, x), b = check_expr(s, y);
	if (is_err(a) || is_err(b))
		return mk(TY_ERROR);
	if (a.kind == TY_NUM && b.kind == TY_NUM) {
		if (!units_agree(&a, &b)) {
			ERR(s, cur_decl->file, e->loc, "unit-mismatch", "cannot %s %s with %s", verb,
			    *a.unit ? a.unit : "a plain number", *b.unit ? b.unit : "a plain number");
			return mk(TY_ERROR);
		}
		return mk(TY_BOOL);
	}
	if (a.kind == TY_DATE && b.kind == TY_DATE)
		return mk(TY_BOOL);
	if ((e->kind == EX_EQ || e->kind == EX_NE) && a.kind == TY_BOOL && b.kind == TY_BOOL)
		return mk(TY_BOOL);
	if (a.kind == TY_ENUM || b.kind == TY_ENUM)
		ERR(s, cur_decl->file, e->loc, "type-mismatch", "test a choice with 'is': NAME is VALUE");
	else
		mismatch(s, e, verb, a, b);
	return mk(TY_ERROR);
}

static ty want(sema *s, expr *e, ty_kind k, const char *role)
{
	ty t = check_expr(s, e);
	if (is_err(t) || t.kind == k)
		return t;
	ERR(s, cur_decl->file, e->loc, "type-mismatch", "%s must be %s, but this is %s", role,
	    ty_show(s, mk(k)), ty_show(s, t));
	return mk(TY_ERROR);
}

static int enum_index(const decl *en, const char *name)
{
	size_t i;
	for (i = 0; i < en->values.len; i++)
		if (strcmp(((ident *)en->values.items[i])->name, name) == 0)
			return (int)i;
	return -1;
}

static const char *enum_list(sema *s, const decl *en)
{
	char *acc = arena_strdup(s->a, "");
	size_t i;
	for (i = 0; i < en->values.len; i++)
		acc = arena_printf(s->a, "%s%s%s", acc, i ? ", " : "", ((ident *)en->values.items[i])->name);
	return acc;
}

static int check_enum_value(sema *s, const decl *en, const char *name, span loc)
{
	int k = enum_index(en, name);
	size_t i, best = 99;
	const char *pick = NULL;
	if (k >= 0)
		return k;
	for (i = 0; i < en->values.len; i++) {
		const char *v = ((ident *)en->values.items[i])->name;
		size_t dist = sg_edit_distance(name, v);
		if (dist < best) {
			best = dist;
			pick = v;
		}
	}
	if (pick && best <= strlen(name) / 3 + 1)
		ERR(s, cur_decl->file, loc, "unknown-value", "'%s' is not a value of '%s'; did you mean '%s'?", name,
		    en->id.name, pick);
	else
		ERR(s, cur_decl->file, loc, "unknown-value", "'%s' is not a value of '%s' (its values are: %s)", name,
		    en->id.name, enum_list(s, en));
	return k;
}

static ty check_is(sema *s, expr *e)
{
	ty a;
	if (e->a->kind == EX_NAME) {
		const decl *d = find(&s->values, e->a->name);
		if (d && d->kind == D_SCHEDULE) {
			((decl *)d)->used = 1;
			e->a->ref = d;
			if (strcmp(e->name, "overdue") != 0) {
				ERR(s, cur_decl->file, e->name_loc, "unknown-value",
				    "a schedule can be tested with 'is overdue', not 'is %s'", e->name);
				return mk(TY_ERROR);
			}
			return mk(TY_BOOL);
		}
	}
	a = check_expr(s, e->a);
	if (is_err(a))
		return a;
	if (a.kind != TY_ENUM) {
		ERR(s, cur_decl->file, e->loc, "type-mismatch", "'is %s' tests a choice, but this is %s", e->name,
		    ty_show(s, a));
		return mk(TY_ERROR);
	}
	e->enum_index = check_enum_value(s, a.enm, e->name, e->name_loc);
	return e->enum_index < 0 ? mk(TY_ERROR) : mk(TY_BOOL);
}

static ty check_one_of(sema *s, expr *e)
{
	ty a = check_expr(s, e->a);
	size_t i;
	int ok = 1;
	if (is_err(a))
		return a;
	if (a.kind != TY_ENUM) {
		ERR(s, cur_decl->file, e->loc, "type-mismatch", "'is one of' tests a choice, but this is %s",
		    ty_show(s, a));
		return mk(TY_ERROR);
	}
	for (i = 0; i < e->names.len; i++) {
		ident *id = e->names.items[i];
		if (check_enum_value(s, a.enm, id->name, id->loc) < 0)
			ok = 0;
	}
	return ok ? mk(TY_BOOL) : mk(TY_ERROR);
}

static ty check_duration(sema *s, expr *e, const char *role)
{
	ty t = check_expr(s, e);
	if (is_err(t))
		return t;
	if (t.kind != TY_NUM || unit_time(t.unit) == TIME_NONE || unit_time(t.unit) == TIME_DOSES) {
		ERR(s, cur_decl->file, e->loc, "type-mismatch",
		    "%s must be a number of days, weeks, months or years, but this is %s", role, ty_show(s, t));
		return mk(TY_ERROR);
	}
	return t;
}

/* Whether a written-out count of a calendar unit or of doses (e, an
 * EX_NUM in unit u) is within unit_max_count, the span of the runtime's
 * calendar; reports it at the number when not.  Lowering narrows schedule
 * lengths to 32 bits (q4294967324d ran as 28 days, labelled as written),
 * and a date moved further than the calendar spans cannot be a date. */
static int count_in_range(sema *s, const expr *e, const char *u)
{
	const char *max_text;
	time_unit t = unit_time(u);
	int64_t max = unit_max_count(t, &max_text);
	int64_t v = e->dec.v < 0 ? -e->dec.v : e->dec.v;

	if (t == TIME_NONE || v <= max * LR_DEC_SCALE)
		return 1;
	ERR(s, cur_decl->file, e->loc, "count-range",
	    "%s %s is more than the limit of %s %s, %s the calendar (0001-01-01 to 9999-12-31)", e->text, u, max_text,
	    u, t == TIME_DOSES ? "one a day throughout" : "the span of");
	return 0;
}

static ty check_expr_inner(sema *s, expr *e)
{
	ty a, b, c;

	switch (e->kind) {
	case EX_ERROR:
		return mk(TY_ERROR);
	case EX_NUM: {
		int rc = lr_dec_parse(&e->dec, e->text, strlen(e->text));
		const char *u = "";
		if (rc == LR_EOVERFLOW) {
			ERR(s, cur_decl->file, e->loc, "number-range", "%s is too large (numbers stay within +/-9,223,372,036.854775807, the range of nine-decimal fixed point)",
			    e->text);
			return mk(TY_ERROR);
		}
		if (rc != LR_OK) {
			ERR(s, cur_decl->file, e->loc, "number-precision",
			    "%s has more than %d decimal places", e->text, LR_DEC_FRAC_DIGITS);
			return mk(TY_ERROR);
		}
		if (e->unit) {
			u = canon_unit(s, e->unit, e->unit_loc);
			if (!u)
				return mk(TY_ERROR);
		}
		if (unit_time(u) != TIME_DOSES && !count_in_range(s, e, u))
			return mk(TY_ERROR);
		return mknum(u, e->unit == NULL);
	}
	case EX_DATE:
		return check_date_text(s, e->text, e->loc, &e->date) == 0 ? mk(TY_DATE) : mk(TY_ERROR);
	case EX_BOOL:
		return mk(TY_BOOL);
	case EX_NAME:
		return name_type(s, e);
	case EX_NEG:
		a = check_expr(s, e->a);
		if (!is_err(a) && a.kind != TY_NUM) {
			ERR(s, cur_decl->file, e->loc, "type-mismatch", "only a number can be negated, not %s", ty_show(s, a));
			return mk(TY_ERROR);
		}
		return a;
	case EX_ADD: case EX_SUB: case EX_MUL: case EX_DIV:
		return arith(s, e);
	case EX_LT: return compare(s, e, e->a, e->b, "compare");
	case EX_LE: return compare(s, e, e->a, e->b, "compare");
	case EX_GT: return compare(s, e, e->a, e->b, "compare");
	case EX_GE: return compare(s, e, e->a, e->b, "compare");
	case EX_EQ: return compare(s, e, e->a, e->b, "compare");
	case EX_NE: return compare(s, e, e->a, e->b, "compare");
	case EX_AND: case EX_OR:
		a = want(s, e->a, TY_BOOL, e->kind == EX_AND ? "each side of 'and'" : "each side of 'or'");
		b = want(s, e->b, TY_BOOL, e->kind == EX_AND ? "each side of 'and'" : "each side of 'or'");
		return is_err(a) || is_err(b) ? mk(TY_ERROR) : mk(TY_BOOL);
	case EX_NOT:
		a = want(s, e->a, TY_BOOL, "what 'not' applies to");
		return is_err(a) ? a : mk(TY_BOOL);
	case EX_MISSING: case EX_KNOWN:
		if (e->a->kind != EX_NAME) {
			ERR(s, cur_decl->file, e->a->loc, "type-mismatch",
			    "'is missing' and 'is known' apply to a name, such as an input");
			return mk(TY_ERROR);
		}
		a = check_expr(s, e->a);
		return is_err(a) ? a : mk(TY_BOOL);
	case EX_IS:
		return check_is(s, e);
	case EX_ONE_OF:
		return check_one_of(s, e);
	case EX_BETWEEN: {
		ty lo, hi;
		if (is_err(compare(s, e, e->a, e->b, "compare")) || is_err(compare(s, e, e->a, e->c, "compare")))
			return mk(TY_ERROR);
		lo = e->b->type;
		hi = e->c->type;
		if (e->b->kind == EX_NUM && e->c->kind == EX_NUM && lo.kind == TY_NUM && hi.kind == TY_NUM &&
		    lr_dec_cmp(e->b->dec, e->c->dec) > 0)
			ERR(s, cur_decl->file, e->loc, "inverted-range",
			    "this range is empty: %s is greater than %s (write the smaller bound first)", e->b->text,
			    e->c->text);
		if (e->b->kind == EX_DATE && e->c->kind == EX_DATE && e->b->date > e->c->date)
			ERR(s, cur_decl->file, e->loc, "inverted-range", "this range is empty: %s is after %s",
			    e->b->text, e->c->text);
		return mk(TY_BOOL);
	}
	case EX_BEFORE: case EX_AFTER: case EX_ON_OR_BEFORE: case EX_ON_OR_AFTER:
		a = want(s, e->a, TY_DATE, "the left side of a date comparison");
		b = want(s, e->b, TY_DATE, "the right side of a date comparison");
		return is_err(a) || is_err(b) ? mk(TY_ERROR) : mk(TY_BOOL);
	case EX_WITHIN_BEFORE: case EX_WITHIN_AFTER:
		a = want(s, e->a, TY_DATE, "what 'within' tests");
		b = check_duration(s, e->b, "the length after 'within'");
		c = want(s, e->c, TY_DATE, "the reference date of 'within'");
		if (!is_err(b) && ((e->b->kind == EX_NEG && e->b->a && e->b->a->kind == EX_NUM) ||
				    (e->b->kind == EX_NUM && e->b->dec.v < 0)))
			ERR(s, cur_decl->file, e->b->loc, "inverted-range", "a 'within' length cannot be negative");
		return is_err(a) || is_err(b) || is_err(c) ? mk(TY_ERROR) : mk(TY_BOOL);
	case EX_IF:
		a = want(s, e->a, TY_BOOL, "the condition of 'if'");
		b = check_expr(s, e->b);
		c = check_expr(s, e->c);
		if (is_err(a) || is_err(b) || is_err(c))
			return mk(TY_ERROR);
		if (b.kind != c.kind || (b.kind == TY_NUM && !units_agree(&b, &c)) ||
		    (b.kind == TY_ENUM && b.enm != c.enm)) {
			mismatch(s, e, "choose between", b, c);
			return mk(TY_ERROR);
		}
		if (b.kind == TY_NUM)
			return mknum(b.unit_free ? c.unit : b.unit, b.unit_free && c.unit_free);
		return b;
	case EX_OTHERWISE:
		a = check_expr(s, e->a);
		b = check_expr(s, e->b);
		if (is_err(a) || is_err(b))
			return mk(TY_ERROR);
		if (a.kind != b.kind || (a.kind == TY_NUM && !units_agree(&a, &b)) ||
		    (a.kind == TY_ENUM && a.enm != b.enm)) {
			ERR(s, cur_decl->file, e->loc, "type-mismatch",
			    "both sides of 'otherwise' must agree: %s, otherwise %s", ty_show(s, a), ty_show(s, b));
			return mk(TY_ERROR);
		}
		if (a.kind == TY_NUM)
			return mknum(a.unit_free ? b.unit : a.unit, a.unit_free && b.unit_free);
		return a;
	case EX_AS: {
		const char *u;
		a = check_expr(s, e->a);
		if (is_err(a))
			return a;
		if (a.kind != TY_NUM) {
			ERR(s, cur_decl->file, e->loc, "type-mismatch", "only a number can be given a unit with 'as'");
			return mk(TY_ERROR);
		}
		u = canon_unit(s, e->unit, e->unit_loc);
		return u ? mknum(u, 0) : mk(TY_ERROR);
	}
	case EX_MONTHS_BETWEEN:
		/* A duration in months: it compares with '24 months' and moves a
		 * date; units.c's canonical spelling of the atom is "months". */
		a = want(s, e->a, TY_DATE, "the start of 'months from ... to ...'");
		b = want(s, e->b, TY_DATE, "the end of 'months from ... to ...'");
		return is_err(a) || is_err(b) ? mk(TY_ERROR) : mknum("months", 0);
	case EX_DAY_OF_MONTH:
		a = want(s, e->a, TY_DATE, "what 'day of month of' reads");
		return is_err(a) ? a : mknum("", 0);
	}
	return mk(TY_ERROR);
}

static ty check_expr(sema *s, expr *e)
{
	if (!e)
		return mk(TY_ERROR);
	e->type = check_expr_inner(s, e);
	return e->type;
}

/* ---- citations -------------------------------------------------------------- */

/* NFC, and every run of white space as one space, so a quote wrapped over
 * lines in the rule file still matches the stored text. */
static char *normalize(const char *s)
{
	utf8proc_uint8_t *nfc = utf8proc_NFC((const utf8proc_uint8_t *)s);
	char *out;
	size_t i, k = 0;
	int space = 0;

	if (!nfc)
		return NULL;
	out = malloc(strlen((char *)nfc) + 1);
	if (!out) {
		free(nfc);
		return NULL;
	}
	for (i = 0; nfc[i]; i++) {
		unsigned char ch = nfc[i];
		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v') {
			space = 1;
			continue;
		}
		if (space && k > 0)
			out[k++] = ' ';
		space = 0;
		out[k++] = (char)ch;
	}
	out[k] = '\0';
	free(nfc);
	return out;
}

char *sema_normalize(const char *s)
{
	return normalize(s);
}

static void load_source_text(sema *s, decl *src, const field *f)
{
	const char *base = src->file->path;
	const char *slash = strrchr(base, '/');
	char *path;
	src_file *tf;
	const char *why = "";
	struct stat st;

	if (f->text[0] == '/')
		path = arena_strdup(s->a, f->text);
	else if (slash)
		path = arena_printf(s->a, "%.*s/%s", (int)(slash - base), base, f->text);
	else
		path = arena_strdup(s->a, f->text);
	src->text_path = path;
	/* Only a regular file: a device or FIFO named here ("/dev/zero",
	 * "/dev/stdin") would make `check` read forever or block. */
	if (!s->rs->vfs && stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		ERR(s, src->file, f->value_loc, "source-text", "the source text '%s' is not a regular file", path);
		return;
	}
	if (src_load_via(s->rs->vfs, &tf, path, &why) != 0) {
		ERR(s, src->file, f->value_loc, "source-text", "cannot read the source text '%s': %s", path, why);
		return;
	}
	if (!tf->utf8_ok)
		ERR(s, src->file, f->value_loc, "source-text", "the source text '%s' is not valid UTF-8", path);
	else {
		char *n = normalize(tf->text);
		src->norm_text = n ? arena_strdup(s->a, n) : NULL;
		free(n);
	}
	src_free(tf);
}

static const char *const source_fields[] = {"authors", "publisher", "journal", "year", "edition",
					    "version", "doi", "url", "text", "note", "retrieved", "review_by", NULL};

/* retrieved and review_by are calendar dates (verify compares review_by with
 * today): exactly YYYY-MM-DD, and a day the calendar has. */
static void check_source_date(sema *s, const field *f)
{
	const char *t = f->text;
	lr_date dd;
	int i, shape = strlen(t) == 10;

	for (i = 0; shape && i < 10; i++)
		shape = (i == 4 || i == 7) ? t[i] == '-' : (t[i] >= '0' && t[i] <= '9');
	if (!shape)
		ERR(s, cur_decl->file, f->value_loc, "source-field", "the %s date is written \"YYYY-MM-DD\", not \"%s\"",
		    f->key.name, t);
	else
		check_date_text(s, t, f->value_loc, &dd);
}

/* ruleset NAME "title"  version "1.2"  note "..." : the rule set's identity. */
static void check_ruleset(sema *s, decl *d)
{
	size_t i;
	for (i = 0; i < d->fields.len; i++) {
		field *f = d->fields.items[i];
		if (strcmp(f->key.name, "version") != 0 && strcmp(f->key.name, "note") != 0)
			ERR(s, d->file, f->key.loc, "source-field", "unknown ruleset field '%s' (known: version, note)",
			    f->key.name);
		else if (f->is_number)
			ERR(s, d->file, f->value_loc, "source-field", "the %s is written in quotes, such as \"1.0\"",
			    f->key.name);
	}
}

static void check_source(sema *s, decl *d)
{
	size_t i;
	int k;

	if (!d->title)
		ERR(s, d->file, d->id.loc, "source-title", "source '%s' needs a title: source %s \"Title\"",
		    d->id.name, d->id.name);
	for (i = 0; i < d->fields.len; i++) {
		field *f = d->fields.items[i];
		for (k = 0; source_fields[k]; k++)
			if (strcmp(source_fields[k], f->key.name) == 0)
				break;
		if (!source_fields[k]) {
			ERR(s, d->file, f->key.loc, "source-field",
			    "unknown source field '%s' (known: authors, publisher, journal, year, edition, version, doi, url, text, note, retrieved, review_by)",
			    f->key.name);
			continue;
		}
		if (strcmp(f->key.name, "year") == 0 && !f->is_number)
			ERR(s, d->file, f->value_loc, "source-field", "a year is written as a number, such as 2024");
		else if (strcmp(f->key.name, "year") != 0 && f->is_number)
			ERR(s, d->file, f->value_loc, "source-field", "the %s is written in quotes", f->key.name);
		else if (strcmp(f->key.name, "text") == 0)
			load_source_text(s, d, f);
		else if (strcmp(f->key.name, "retrieved") == 0 || strcmp(f->key.name, "review_by") == 0)
			check_source_date(s, f);
	}
}

/* Length (bytes) of the longest prefix of q that occurs in text. */
static size_t matched_prefix(const char *text, const char *q)
{
	size_t lo = 0, hi = strlen(q);
	char *buf = malloc(hi + 1);
	if (!buf)
		return 0;
	while (lo < hi) {
		size_t mid = (lo + hi + 1) / 2;
		memcpy(buf, q, mid);
		buf[mid] = '\0';
		if (strstr(text, buf))
			lo = mid;
		else
			hi = mid - 1;
	}
	free(buf);
	/* Do not cut a UTF-8 sequence in half. */
	while (lo > 0 && ((unsigned char)q[lo] & 0xC0) == 0x80)
		lo--;
	return lo;
}

/* The quote check shared by citations and statements: c's quote must occur
 * in the source's stored text after normalisation; the normalised quote is
 * kept (arena) for prose coverage's overlap test. */
static void check_quote(sema *s, citation *c, const decl *src)
{
	char *nq;

	if (!src->norm_text)
		return;
	nq = normalize(c->quote);
	if (nq)
		c->norm_quote = arena_strdup(s->a, nq);
	if (nq && !strstr(src->norm_text, nq)) {
		size_t k = matched_prefix(src->norm_text, nq);
		if (k == 0)
			ERR(s, cur_decl->file, c->quote_loc, "quote-mismatch",
			    "this quote does not appear in the text of '%s' (%s)", src->id.name, src->text_path);
		else
			ERR(s, cur_decl->file, c->quote_loc, "quote-mismatch",
			    "this quote does not appear in the text of '%s' (%s): it matches up to \"%.*s\" and then differs",
			    src->id.name, src->text_path, (int)k, nq);
		c->norm_quote = NULL; /* a quote that is not in the text covers nothing */
	}
	free(nq);
}

/* cite ... for S1, S2: each must be a statement of the citation's source. */
static void check_cite_fors(sema *s, const citation *c)
{
	size_t i;
	for (i = 0; i < c->fors.len; i++) {
		const ident *id = c->fors.items[i];
		const decl *st = find(&s->statements, id->name);
		if (!st)
			ERR(s, cur_decl->file, id->loc, "unknown-statement", "no statement named '%s' is declared%s",
			    id->name, suggest(s, &s->statements, id->name));
		else if (st->stmt && strcmp(st->stmt->source.name, c->source.name) != 0) {
			diag *g = ERR(s, cur_decl->file, id->loc, "statement-source",
				      "statement '%s' is a statement of '%s', but this citation quotes '%s'", id->name,
				      st->stmt->source.name, c->source.name);
			diag_note(s->d, g, st->file, st->id.loc.start, st->id.loc.end, "the statement is declared here");
		}
	}
}

static void check_cite(sema *s, citation *c)
{
	const decl *src = find(&s->sources, c->source.name);

	check_cite_fors(s, c);
	if (!src) {
		ERR(s, cur_decl->file, c->source.loc, "unknown-source", "no source named '%s' is declared%s",
		    c->source.name, suggest(s, &s->sources, c->source.name));
		return;
	}
	((decl *)src)->used = 1;
	c->src = src;
	if (!c->quote || !*c->quote) {
		ERR(s, cur_decl->file, c->quote_loc, "empty-quote", "a citation needs the passage it encodes, quoted verbatim");
		return;
	}
	if (!c->locator || !*c->locator)
		ERR(s, cur_decl->file, c->locator_loc, "empty-locator",
		    "say where in '%s' the passage is (section, table, page)", src->id.name);
	check_quote(s, c, src);
}

/* statement ID in SOURCE quote "..." [not computable "reason"]: the quote is
 * checked like a citation's; a 'not computable' needs its reason. */
static void check_statement(sema *s, decl *d)
{
	citation *c = d->stmt;
	const decl *src = find(&s->sources, c->source.name);

	if (!src) {
		ERR(s, d->file, c->source.loc, "unknown-source", "no source named '%s' is declared%s", c->source.name,
		    suggest(s, &s->sources, c->source.name));
		return;
	}
	((decl *)src)->used = 1;
	c->src = src;
	if (d->not_computable && !*d->not_computable)
		ERR(s, d->file, d->not_computable_loc, "empty-reason",
		    "say why statement '%s' cannot be computed from the rule set's inputs", d->id.name);
	if (!c->quote || !*c->quote) {
		ERR(s, d->file, c->quote_loc, "empty-quote", "a statement needs the source's words, quoted verbatim");
		return;
	}
	check_quote(s, c, src);
}

static void check_cites(sema *s, decl *d, int required)
{
	size_t i;
	for (i = 0; i < d->cites.len; i++)
		check_cite(s, d->cites.items[i]);
	if (required && d->cites.len == 0 && !d->damaged)
		ERR(s, d->file, d->id.loc, "no-citation",
		    "%s '%s' cites no source; add: cite SOURCE at \"where\" quote \"the passage\"", kind_name(d->kind),
		    d->id.name);
}

/* ---- declarations ------------------------------------------------------------- */

static int const_num(sema *s, expr *e, const char *unit, const char *role, lr_dec *out)
{
	ty t = check_expr(s, e);
	int neg = 0;
	expr *lit = e;

	if (is_err(t))
		return -1;
	if (lit->kind == EX_NEG) {
		neg = 1;
		lit = lit->a;
	}
	if (lit->kind != EX_NUM) {
		ERR(s, cur_decl->file, e->loc, "not-constant", "%s must be a number written out, such as 30", role);
		return -1;
	}
	if (t.kind != TY_NUM)
		return -1;
	if (unit && !t.unit_free && strcmp(t.unit, unit) != 0) {
		ERR(s, cur_decl->file, e->loc, "unit-mismatch", "%s is in %s, but it should be in %s", role, t.unit,
		    unit_show(unit));
		return -1;
	}
	*out = lit->dec;
	if (neg)
		out->v = -out->v;
	e->dec = *out;
	return 0;
}

static void check_input(sema *s, decl *d)
{
	size_t i, j;
	switch (d->itype) {
	case IT_BOOL: d->type = mk(TY_BOOL); break;
	case IT_DATE: d->type = mk(TY_DATE); break;
	case IT_ENUM:
		d->type = mk(TY_ENUM);
		d->type.enm = d;
		for (i = 0; i < d->values.len; i++)
			for (j = 0; j < i; j++) {
				ident *a = d->values.items[i], *b = d->values.items[j];
				if (strcmp(a->name, b->name) == 0)
					ERR(s, d->file, a->loc, "duplicate-name", "'%s' is listed twice", a->name);
			}
		break;
	case IT_NUM: {
		const char *u = canon_unit(s, d->unit, d->unit_loc);
		lr_dec lo, hi;
		d->type = u ? mknum(u, 0) : mk(TY_ERROR);
		if (u && d->range_lo && const_num(s, d->range_lo, u, "the lower bound", &lo) == 0 &&
		    const_num(s, d->range_hi, u, "the upper bound", &hi) == 0 && lr_dec_cmp(lo, hi) > 0)
			ERR(s, d->file, span_join(d->range_lo->loc, d->range_hi->loc), "inverted-range",
			    "this range is empty: %s is greater than %s (write the smaller bound first)",
			    d->range_lo->text ? d->range_lo->text : "the lower bound",
			    d->range_hi->text ? d->range_hi->text : "the upper bound");
		break;
	}
	}
	if (!d->title)
		WARN(s, d->file, d->id.loc, "no-description",
		     "input '%s' has no description; add one in quotes so reviewers know what it means", d->id.name);
}

static void check_param(sema *s, decl *d)
{
	ty t = check_expr(s, d->value);
	expr *lit = d->value->kind == EX_NEG ? d->value->a : d->value;
	if (!is_err(t) && lit->kind != EX_NUM && lit->kind != EX_DATE && lit->kind != EX_BOOL)
		ERR(s, d->file, d->value->loc, "not-constant", "a param's value is written out, such as 8.5 mg/dL");
	if (t.kind == TY_NUM)
		t.unit_free = 0;
	d->type = t;
	d->is_const = 1;
	if (d->committee && d->cites.len)
		WARN(s, d->file, d->committee_loc, "param-basis",
		     "param '%s' has both citations and a committee note; a committee note says no source gives it",
		     d->id.name);
	if (!d->committee && d->cites.len == 0 && !d->damaged)
		ERR(s, d->file, d->id.loc, "no-citation",
		    "param '%s' needs a citation, or a note saying no source gives it: committee \"why\"", d->id.name);
	check_cites(s, d, 0);
}

static void check_let(sema *s, decl *d)
{
	const decl *saved = cur_decl;
	ty t;

	if (d->type.kind != TY_ERROR || d->visiting == 2)
		return;
	d->visiting = 1;
	cur_decl = d;
	t = check_expr(s, d->body);
	if (!is_err(t) && d->unit) {
		const char *u = canon_unit(s, d->unit, d->unit_loc);
		if (u && t.kind != TY_NUM)
			ERR(s, d->file, d->unit_loc, "type-mismatch", "'%s' is %s, so it has no unit", d->id.name,
			    ty_show(s, t));
		else if (u && !t.unit_free && strcmp(u, t.unit) != 0)
			ERR(s, d->file, d->body->loc, "unit-mismatch",
			    "this formula gives %s, not %s; if the formula is empirical, write (formula) as %s", t.unit,
			    u, d->unit);
		if (u && t.kind == TY_NUM)
			t = mknum(u, 0);
	} else if (!is_err(t) && t.kind == TY_NUM && !d->unit && !t.unit_free && *t.unit) {
		ERR(s, d->file, d->id.loc, "missing-unit", "say the unit of '%s': let %s in %s = ...", d->id.name,
		    d->id.name, t.unit);
	}
	if (t.kind == TY_NUM)
		t.unit_free = 0;
	d->type = t;
	d->visiting = 2;
	cur_decl = saved;
}

/* ---- decision tables: coverage and overlap over the key's domain ---------------- */

/* A cut lies just below (k = 0) or just above (k = 1) a value; inf = -1 or +1
 * for the unbounded ends. Interval [a, b] runs from cut(a,0) to cut(b,1). */
typedef struct {
	int inf;
	lr_dec v;
	int k;
} cut;

static int cut_cmp(cut a, cut b)
{
	int c;
	if (a.inf != b.inf)
		return a.inf < b.inf ? -1 : 1;
	if (a.inf)
		return 0;
	c = lr_dec_cmp(a.v, b.v);
	if (c)
		return c;
	return a.k < b.k ? -1 : a.k > b.k;
}

typedef struct {
	cut lo, hi;
	const table_row *row;
} band;

static int band_cmp(const void *x, const void *y)
{
	const band *a = x, *b = y;
	int c = cut_cmp(a->lo, b->lo);
	if (c)
		return c;
	return a->row->loc.start < b->row->loc.start ? -1 : 1;
}

/* Whether the value x lies between cuts a and b: a < x < b. */
static int cut_holds(cut a, cut b, lr_dec x)
{
	cut below = {0, x, 0}, above = {0, x, 1};
	return cut_cmp(a, below) <= 0 && cut_cmp(above, b) <= 0;
}

/* A value between cuts a and b, for a witness in messages: the midpoint
 * (or one below an open-ended top, one above an open-ended bottom) when
 * it lies inside, else a value at or next to an end (the midpoint of
 * 29.999999999 and 30 rounds to 30, which lies outside [29.999999999,
 * 30)).  0 when no decimal lies between them: no value, which has nine
 * decimal places at most, can fall there. */
static int witness_value(cut a, cut b, lr_dec *w)
{
	lr_dec one, two, sum;
	lr_dec_from_int(&one, 1);
	lr_dec_from_int(&two, 2);
	if (a.inf && b.inf) {
		lr_dec_from_int(w, 0);
		return 1;
	}
	if (a.inf) {
		if (lr_dec_sub(w, b.v, one) == LR_OK && cut_holds(a, b, *w))
			return 1;
	} else if (b.inf) {
		if (lr_dec_add(w, a.v, one) == LR_OK && cut_holds(a, b, *w))
			return 1;
	} else if (lr_dec_add(&sum, a.v, b.v) == LR_OK && lr_dec_div(w, sum, two) == LR_OK && cut_holds(a, b, *w)) {
		return 1;
	}
	/* The ends, and their neighbours one in the last place. */
	if (!a.inf) {
		*w = a.v;
		if (cut_holds(a, b, *w))
			return 1;
		if (a.v.v < INT64_MAX && (w->v = a.v.v + 1, cut_holds(a, b, *w)))
			return 1;
	}
	if (!b.inf) {
		*w = b.v;
		if (cut_holds(a, b, *w))
			return 1;
		if (b.v.v > INT64_MIN && (w->v = b.v.v - 1, cut_holds(a, b, *w)))
			return 1;
	}
	return 0;
}

static const char *show_value(sema *s, lr_dec w, const char *unit)
{
	char buf[40];
	lr_dec_format(buf, sizeof buf, w);
	return arena_printf(s->a, "%s%s%s", buf, *unit ? " " : "", unit);
}

static void table_coverage(sema *s, decl *d, band *b, size_t n, cut dom_lo, cut dom_hi, const char *unit)
{
	size_t i;
	cut reach = dom_lo;
	lr_dec w;
	const table_row *reach_row = NULL;
	int unique = d->hit.name && strcmp(d->hit.name, "unique") == 0;

	qsort(b, n, sizeof *b, band_cmp);
	for (i = 0; i < n; i++) {
		if (cut_cmp(b[i].lo, b[i].hi) >= 0) {
			ERR(s, d->file, b[i].row->loc, "inverted-range", "this row covers no value (its bounds are inverted)");
			continue;
		}
		if (cut_cmp(b[i].lo, reach) > 0 && cut_cmp(b[i].lo, dom_hi) < 0) {
			if (witness_value(reach, b[i].lo, &w)) {
				diag *g = ERR(s, d->file, b[i].row->loc, "table-gap",
					      "no row of table '%s' covers %s (below this row)", d->id.name,
					      show_value(s, w, unit));
				if (reach_row)
					diag_note(s->d, g, d->file, reach_row->loc.start, reach_row->loc.end,
						  "the row below the gap ends here");
			}
		} else if (reach_row && cut_cmp(b[i].lo, reach) < 0) {
			cut end = cut_cmp(b[i].hi, reach) < 0 ? b[i].hi : reach;
			if (unique && witness_value(b[i].lo, end, &w)) {
				diag *g = ERR(s, d->file, b[i].row->loc, "table-overlap",
					      "rows of table '%s' overlap: %s is covered twice, but its hit policy is unique",
					      d->id.name, show_value(s, w, unit));
				diag_note(s->d, g, d->file, reach_row->loc.start, reach_row->loc.end, "the other row");
			} else if (!unique && cut_cmp(b[i].hi, reach) <= 0 && reach_row->loc.start < b[i].row->loc.start) {
				diag *g = WARN(s, d->file, b[i].row->loc, "table-masked",
					       "this row of table '%s' can never be chosen: an earlier row covers all of it",
					       d->id.name);
				diag_note(s->d, g, d->file, reach_row->loc.start, reach_row->loc.end, "the earlier row");
			}
		}
		if (cut_cmp(b[i].hi, reach) > 0) {
			reach = b[i].hi;
			reach_row = b[i].row;
		}
	}
	if (cut_cmp(reach, dom_hi) < 0 && witness_value(reach, dom_hi, &w))
		ERR(s, d->file, d->id.loc, "table-gap", "no row of table '%s' covers %s", d->id.name,
		    show_value(s, w, unit));
}

static void check_table(sema *s, decl *d)
{
	const decl *saved = cur_decl;
	ty key;
	const char *vunit = NULL;
	band *bands;
	size_t i, n = 0;
	cut dom_lo = {-1, {0}, 0}, dom_hi = {1, {0}, 0};

	if (d->visiting == 2)
		return;
	d->visiting = 1;
	cur_decl = d;
	d->type = mk(TY_ERROR);
	if (!d->key) {
		ERR(s, d->file, d->id.loc, "table-key", "table '%s' needs a key: by NAME", d->id.name);
		d->visiting = 2;
		cur_decl = saved;
		return;
	}
	if (!d->hit.name)
		ERR(s, d->file, d->id.loc, "table-hit", "table '%s' needs a hit policy: hit unique, or hit first",
		    d->id.name);
	else if (strcmp(d->hit.name, "unique") != 0 && strcmp(d->hit.name, "first") != 0)
		ERR(s, d->file, d->hit.loc, "table-hit", "unknown hit policy '%s' (use unique or first)", d->hit.name);
	key = check_expr(s, d->key);
	if (!is_err(key) && key.kind != TY_NUM)
		ERR(s, d->file, d->key->loc, "type-mismatch", "a table's key must be a number, but this is %s",
		    ty_show(s, key));
	if (d->rows.len == 0)
		ERR(s, d->file, d->id.loc, "table-rows", "table '%s' has no rows", d->id.name);
	bands = arena_alloc(s->a, sizeof(band) * (d->rows.len + 1));
	for (i = 0; i < d->rows.len; i++) {
		table_row *r = d->rows.items[i];
		lr_dec v;
		int ok = 1;
		band *b = &bands[n];
		const char *ku = key.kind == TY_NUM ? key.unit : NULL;
		b->row = r;
		b->lo.inf = -1;
		b->hi.inf = 1;
		if (r->lo) {
			if (const_num(s, r->lo, ku, "a row bound", &v) == 0) {
				b->lo.inf = 0;
				b->lo.v = v;
				b->lo.k = r->lo_open;
			} else {
				ok = 0;
			}
		}
		if (r->hi) {
			if (const_num(s, r->hi, ku, "a row bound", &v) == 0) {
				b->hi.inf = 0;
				b->hi.v = v;
				b->hi.k = !r->hi_open;
			} else {
				ok = 0;
			}
		}
		if (r->value) {
			ty t = check_expr(s, r->value);
			const expr *lit = r->value->kind == EX_NEG ? r->value->a : r->value;
			/* The runtime's rows hold constants: lowering read any
			 * other value as 0. */
			if (!is_err(t) && lit->kind != EX_NUM)
				ERR(s, d->file, r->value->loc, "not-constant",
				    "a row gives a number written out, such as 3.5 mg");
			else if (!is_err(t) && t.kind != TY_NUM)
				ERR(s, d->file, r->value->loc, "type-mismatch", "a table gives a number, not %s",
				    ty_show(s, t));
			else if (!is_err(t) && vunit && strcmp(vunit, t.unit) != 0 && !t.unit_free)
				ERR(s, d->file, r->value->loc, "unit-mismatch",
				    "every row of a table gives the same unit: %s here, %s above", t.unit, vunit);
			else if (!is_err(t) && !vunit)
				vunit = t.unit;
		}
		if (ok && !is_err(key))
			n++;
	}
	if (d->key->kind == EX_NAME && d->key->ref && d->key->ref->kind == D_INPUT && d->key->ref->range_lo) {
		const decl *in = d->key->ref;
		dom_lo.inf = dom_hi.inf = 0;
		dom_lo.v = in->range_lo->dec;
		dom_hi.v = in->range_hi->dec;
		dom_hi.k = 1;
	}
	if (n && key.kind == TY_NUM)
		table_coverage(s, d, bands, n, dom_lo, dom_hi, key.unit);
	check_cites(s, d, 1);
	d->type = vunit ? mknum(vunit, 0) : mk(TY_ERROR);
	d->visiting = 2;
	cur_decl = saved;
}

/* ---- schedules ------------------------------------------------------------------ */

static const decl *date_ref(sema *s, decl *d, ident *id, const char *role, int required)
{
	const decl *r;
	if (!id->name) {
		if (required)
			ERR(s, d->file, d->id.loc, "schedule-clause", "schedule '%s' needs %s", d->id.name, role);
		return NULL;
	}
	r = find(&s->values, id->name);
	if (!r) {
		ERR(s, d->file, id->loc, "unknown-name", "unknown name '%s'%s", id->name,
		    suggest(s, &s->values, id->name));
		return NULL;
	}
	((decl *)r)->used = 1;
	if (is_derived(r))
		resolve(s, (decl *)r);
	return r;
}

static void check_schedule(sema *s, decl *d)
{
	size_t i;
	ty at;
	const decl *r;

	cur_decl = d;
	at = check_expr(s, d->amount);
	if (!is_err(at) && at.kind != TY_NUM)
		ERR(s, d->file, d->amount->loc, "type-mismatch", "a dose is a number with a unit, not %s", ty_show(s, at));
	else if (!is_err(at) && (at.unit_free || !*at.unit))
		ERR(s, d->file, d->amount->loc, "missing-unit", "say the unit of the dose, such as 120 mg");
	for (i = 0; i < d->phases.len; i++) {
		phase *ph = d->phases.items[i];
		ty t;
		if (ph->every->kind == EX_NUM && ph->every->text[0] == 'q') {
			/* q4w: every 4 weeks. */
			const char *txt = ph->every->text;
			size_t len = strlen(txt);
			char u = txt[len - 1];
			ph->every->text = arena_strndup(s->a, txt + 1, len - 2);
			ph->every->unit = u == 'd' ? "days" : u == 'w' ? "weeks" : u == 'm' ? "months" : "years";
			ph->every->unit_loc = ph->every->loc;
		}
		t = check_duration(s, ph->every, "the interval");
		if (!is_err(t) && ph->every->kind == EX_NUM && ph->every->dec.v <= 0)
			ERR(s, d->file, ph->every->loc, "schedule-interval", "an interval must be longer than zero");
		if (!is_err(t) && ph->every->kind == EX_NUM && ph->every->dec.v % LR_DEC_SCALE != 0)
			ERR(s, d->file, ph->every->loc, "schedule-interval", "an interval is a whole number of %s", t.unit);
		if (ph->bound) {
			ty b = check_expr(s, ph->bound);
			if (!is_err(b) && (b.kind != TY_NUM || unit_time(b.unit) == TIME_NONE))
				ERR(s, d->file, ph->bound->loc, "type-mismatch",
				    "a phase lasts a number of days, weeks, months, years or doses, but this is %s",
				    ty_show(s, b));
			else if (!is_err(b) && (ph->bound->kind != EX_NUM || ph->bound->dec.v % LR_DEC_SCALE != 0 ||
						ph->bound->dec.v <= 0))
				ERR(s, d->file, ph->bound->loc, "schedule-bound",
				    "a phase lasts a whole, positive number written out, such as 24 months");
			else if (!is_err(b) && unit_time(b.unit) == TIME_DOSES && count_in_range(s, ph->bound, b.unit))
				d->has_doses_bound = 1;
		} else if (i + 1 < d->phases.len) {
			ERR(s, d->file, ph->loc, "schedule-bound",
			    "only the last phase can run on without end; say how long this one lasts: for 24 months");
		}
	}
	r = date_ref(s, d, &d->anchor, "an anchor date: anchored at NAME", 1);
	if (r && r->type.kind != TY_DATE && r->type.kind != TY_ERROR)
		ERR(s, d->file, d->anchor.loc, "type-mismatch", "the anchor must be a date, but '%s' is %s", r->id.name,
		    ty_show(s, r->type));
	r = date_ref(s, d, &d->last, "the date of the last dose: last dose on NAME", 1);
	if (r && r->type.kind != TY_DATE && r->type.kind != TY_ERROR)
		ERR(s, d->file, d->last.loc, "type-mismatch", "the last dose must be a date, but '%s' is %s", r->id.name,
		    ty_show(s, r->type));
	r = date_ref(s, d, &d->asof, "the evaluation date: evaluated on NAME", 1);
	if (r && r->type.kind != TY_DATE && r->type.kind != TY_ERROR)
		ERR(s, d->file, d->asof.loc, "type-mismatch", "the evaluation date must be a date, but '%s' is %s",
		    r->id.name, ty_show(s, r->type));
	r = date_ref(s, d, &d->count, "", 0);
	if (r && (r->type.kind != TY_NUM || strcmp(r->type.unit, "doses") != 0))
		ERR(s, d->file, d->count.loc, "type-mismatch", "the dose count must be a number in doses");
	if (d->has_doses_bound && !d->count.name)
		ERR(s, d->file, d->id.loc, "schedule-clause",
		    "a phase counted in doses needs the number of doses given so far: counting NAME");
	if (d->grace) {
		ty g = check_duration(s, d->grace, "the overdue margin");
		time_unit gu = is_err(g) ? TIME_NONE : unit_time(g.unit);
		/* The table keeps the margin in days: months were read as days. */
		if (!is_err(g) && (d->grace->kind != EX_NUM || d->grace->dec.v < 0 ||
				   d->grace->dec.v % LR_DEC_SCALE != 0))
			ERR(s, d->file, d->grace->loc, "schedule-bound",
			    "the overdue margin is a whole number written out, such as 7 days");
		else if (gu == TIME_MONTHS || gu == TIME_YEARS)
			ERR(s, d->file, d->grace->loc, "schedule-bound",
			    "the overdue margin is counted in days or weeks, not in %s", g.unit);
	}
}

/* ---- rules ---------------------------------------------------------------------- */

/* The subject an action names after its verb: a schedule or a 'subject'
 * declaration (both live among the values). */
static void check_subject_ref(sema *s, decl *d, action *a)
{
	const decl *sd = find(&s->values, a->subject.name);
	const unsigned kinds = 1u << D_SCHEDULE | 1u << D_SUBJECT;
	const char *hint;

	if (!sd)
		sd = find(&s->rules, a->subject.name);
	if (!sd)
		sd = find(&s->sources, a->subject.name);
	if (!sd)
		sd = find(&s->examples, a->subject.name);
	if (!sd)
		sd = find(&s->statements, a->subject.name);
	if (!sd) {
		hint = suggest_kind(s, &s->values, a->subject.name, kinds);
		if (*hint)
			ERR(s, d->file, a->subject.loc, "unknown-subject", "no schedule or subject named '%s'%s",
			    a->subject.name, hint);
		else
			ERR(s, d->file, a->subject.loc, "unknown-subject",
			    "no schedule or subject named '%s'; declare it: subject %s \"what it is\"", a->subject.name,
			    a->subject.name);
		return;
	}
	if (sd->kind != D_SCHEDULE && sd->kind != D_SUBJECT) {
		ERR(s, d->file, a->subject.loc, "subject-kind",
		    "'%s' is %s %s; an action acts on a schedule or on a 'subject' declaration", a->subject.name,
		    kind_article(sd->kind), kind_name(sd->kind));
		return;
	}
	((decl *)sd)->used = 1;
	a->subj = sd;
}

/* "... due DATE": a date; a 'dose per SCHEDULE' action has the
 * schedule's next due date already, so a second one is refused. */
static void check_due(sema *s, decl *d, action *a)
{
	ty t = check_expr(s, a->due);
	if (!is_err(t) && t.kind != TY_DATE)
		ERR(s, d->file, a->due->loc, "action-due", "an action is due on a date, but this is %s", ty_show(s, t));
	if (a->schedule.name)
		ERR(s, d->file, a->due_loc, "action-due",
		    "a 'dose per %s' action is due when the schedule says (its next due date); it takes no 'due'",
		    a->schedule.name);
}

static void check_action(sema *s, decl *d, action *a)
{
	if (a->amount) {
		ty t = check_expr(s, a->amount);
		if (!is_err(t) && t.kind != TY_NUM)
			ERR(s, d->file, a->amount->loc, "type-mismatch", "a dose is a number with a unit, not %s",
			    ty_show(s, t));
		else if (!is_err(t) && (t.unit_free || !*t.unit))
			ERR(s, d->file, a->amount->loc, "missing-unit", "say the unit of the dose, such as 4 mg");
	}
	if (a->schedule.name) {
		const decl *sd = find(&s->values, a->schedule.name);
		if (!sd || sd->kind != D_SCHEDULE) {
			ERR(s, d->file, a->schedule.loc, "unknown-name", "no schedule named '%s'%s", a->schedule.name,
			    sd ? "" : suggest(s, &s->values, a->schedule.name));
		} else {
			((decl *)sd)->used = 1;
			a->sched = sd;
		}
	}
	if ((a->amount || a->schedule.name) && a->verb != ACT_DOSE)
		ERR(s, d->file, a->loc, "action-dose", "only a 'dose' action carries a dose or a schedule");
	if (!a->subject.name && a->schedule.name) {
		a->subject = a->schedule; /* "dose per S" acts on S */
		a->subj = a->sched;
	} else if (a->subject.name) {
		check_subject_ref(s, d, a);
	}
	if (!a->text || !*a->text)
		ERR(s, d->file, a->text_loc, "action-text", "an action needs its text in quotes, in the guideline's words");
	if (a->due)
		check_due(s, d, a);
}

/* A rule a clause of rule d names: NULL (after a diagnostic) when the name
 * is not a rule, or is d itself (what says "itself" in the message). */
static const decl *rule_ref(sema *s, const decl *d, const ident *id, const char *self_id, const char *self_msg)
{
	const decl *r = find(&s->rules, id->name);
	if (!r) {
		const decl *other = find(&s->values, id->name);
		if (!other)
			other = find(&s->examples, id->name);
		if (!other)
			other = find(&s->sources, id->name);
		if (other)
			ERR(s, d->file, id->loc, "not-a-rule", "'%s' is %s %s, not a rule", id->name,
			    kind_article(other->kind), kind_name(other->kind));
		else
			ERR(s, d->file, id->loc, "unknown-rule", "no rule named '%s'%s", id->name,
			    suggest(s, &s->rules, id->name));
		return NULL;
	}
	if (r == d) {
		ERR(s, d->file, id->loc, self_id, self_msg, id->name);
		return NULL;
	}
	return r;
}

/* overrides R1, R2: each a rule other than d, named once. */
static void check_overrides(sema *s, decl *d)
{
	size_t i, j;
	for (i = 0; i < d->overrides.len; i++) {
		const ident *id = d->overrides.items[i];
		const decl *r;
		int dup = 0;
		for (j = 0; j < i && !dup; j++)
			dup = strcmp(((const ident *)d->overrides.items[j])->name, id->name) == 0;
		if (dup) {
			ERR(s, d->file, id->loc, "override-duplicate", "rule '%s' is named twice in the overrides of '%s'",
			    id->name, d->id.name);
			continue;
		}
		r = rule_ref(s, d, id, "override-self", "rule '%s' cannot override itself");
		if (r)
			ptrvec_push(s->a, &d->overridden, (void *)r);
	}
}

/* may coexist with R "reason": a rule other than d, and a reason. */
static void check_coexists(sema *s, decl *d)
{
	size_t i;
	for (i = 0; i < d->coexists.len; i++) {
		coexist_note *n = d->coexists.items[i];
		n->target = rule_ref(s, d, &n->rule, "coexist-self", "rule '%s' cannot be said to coexist with itself");
		if (!n->reason || !*n->reason)
			ERR(s, d->file, n->reason_loc, "coexist-reason",
			    "say why both rules' actions belong in one decision: may coexist with %s \"reason\"",
			    n->rule.name);
	}
}

static void check_rule(sema *s, decl *d)
{
	size_t i;
	cur_decl = d;
	if (d->when) {
		ty t = check_expr(s, d->when);
		if (!is_err(t) && t.kind != TY_BOOL)
			ERR(s, d->file, d->when->loc, "type-mismatch", "a condition must be true or false, but this is %s",
			    ty_show(s, t));
	}
	if (d->actions.len == 0 && !d->damaged)
		ERR(s, d->file, d->id.loc, "no-action", "rule '%s' has no action; add: then recommend \"...\"", d->id.name);
	for (i = 0; i < d->actions.len; i++)
		check_action(s, d, d->actions.items[i]);
	check_cites(s, d, 1);
	check_overrides(s, d);
	check_coexists(s, d);
}

/* ---- cycles of overrides ----------------------------------------------------------
** A cycle (A overrides B, B overrides A) would drop every action of both
** whenever both fire, which no author means.  Depth-first search over the
** rules' overridden lists with its own stack (the chain's length is the
** author's), colour 1 while a rule is on the path; an edge to a rule on
** the path closes a cycle, reported once at the name that closes it. */

typedef struct {
	const decl *d;
	size_t next;
} ovframe;

static const ident *override_ident(const decl *d, const decl *target)
{
	size_t i;
	for (i = 0; i < d->overrides.len; i++)
		if (strcmp(((const ident *)d->overrides.items[i])->name, target->id.name) == 0)
			return d->overrides.items[i];
	return &d->id;
}

static void report_override_cycle(sema *s, const ovframe *path, size_t n, const decl *back)
{
	size_t i = n;
	const char *msg;
	const decl *top = path[n - 1].d;
	const ident *at = override_ident(top, back);

	while (i > 0 && path[i - 1].d != back)
		i--;
	/* path[i - 1] is back: the cycle is path[i - 1 .. n) and back again. */
	msg = arena_printf(s->a, "'%s'", back->id.name);
	for (i = i ? i - 1 : 0; i < n; i++)
		msg = arena_printf(s->a, "%s overrides '%s'", msg, i + 1 < n ? path[i + 1].d->id.name : back->id.name);
	ERR(s, top->file, at->loc, "override-cycle", "the overrides form a cycle: %s; one of them must not override",
	    msg);
}

/* The edges of a cycle search: a node's successors, and how a cycle
 * closed at back is reported (path[0..n) is the search path). */
typedef struct {
	const ptrvec *(*next)(const decl *d);
	void (*report)(sema *s, const ovframe *path, size_t n, const decl *back);
} cycle_walk;

/* Depth-first search from every node of nodes that has successors, with
 * its own stack (the chains are the author's, so no recursion); colour,
 * indexed by the nodes' namespace index, is 1 while a node is on the path
 * and 2 once done.  An edge to a node on the path closes a cycle. */
static void find_cycles(sema *s, const nspace *ns, const cycle_walk *w)
{
	size_t nn = ns->v.len, i, n = 0;
	unsigned char *colour = calloc(nn ? nn : 1, 1);
	ovframe *path = malloc((nn ? nn : 1) * sizeof *path);

	if (!colour || !path)
		abort(); /* out of memory: as arena_alloc */
	for (i = 0; i < nn; i++) {
		const decl *root = ns->v.items[i];
		if (colour[root->index] || w->next(root)->len == 0)
			continue;
		colour[root->index] = 1;
		path[n].d = root;
		path[n++].next = 0;
		while (n) {
			ovframe *f = &path[n - 1];
			const ptrvec *succ = w->next(f->d);
			const decl *t;
			if (f->next >= succ->len) {
				colour[f->d->index] = 2;
				n--;
				continue;
			}
			t = succ->items[f->next++];
			if (colour[t->index] == 1)
				w->report(s, path, n, t);
			else if (colour[t->index] == 0) {
				colour[t->index] = 1;
				path[n].d = t;
				path[n++].next = 0;
			}
		}
	}
	free(colour);
	free(path);
}

static const ptrvec *overridden_of(const decl *d)
{
	return &d->overridden;
}

static void check_override_cycles(sema *s)
{
	static const cycle_walk walk = {overridden_of, report_override_cycle};
	find_cycles(s, &s->rules, &walk);
}

/* ---- subjects that cover others --------------------------------------------------
** "subject S "..." covers A, B": S stands for A and B (schedules or other
** subjects), so that verify pairs an action on S with actions on them.  A
** cover names something else, each once, and the covers form no cycle (the
** closure verify takes is transitive). */
static void check_covers(sema *s, decl *d)
{
	const unsigned kinds = 1u << D_SCHEDULE | 1u << D_SUBJECT;
	size_t i, k;

	for (i = 0; i < d->covers.len; i++) {
		const ident *c = d->covers.items[i];
		const decl *t = find(&s->values, c->name);
		int dup = 0;
		if (!t)
			t = find(&s->rules, c->name);
		if (!t)
			t = find(&s->sources, c->name);
		if (!t)
			t = find(&s->examples, c->name);
		if (!t)
			t = find(&s->statements, c->name);
		if (!t) {
			const char *hint = suggest_kind(s, &s->values, c->name, kinds);
			ERR(s, d->file, c->loc, "unknown-subject", "subject '%s' covers '%s', but no schedule or subject "
			    "is named '%s'%s", d->id.name, c->name, c->name, hint);
			continue;
		}
		if (t->kind != D_SCHEDULE && t->kind != D_SUBJECT) {
			ERR(s, d->file, c->loc, "subject-kind",
			    "'%s' is %s %s; a subject covers schedules and other subjects", c->name,
			    kind_article(t->kind), kind_name(t->kind));
			continue;
		}
		if (t == d) {
			ERR(s, d->file, c->loc, "cover-self", "subject '%s' covers itself; name only the subjects it "
			    "stands for", d->id.name);
			continue;
		}
		for (k = 0; k < d->covers_decls.len; k++)
			dup |= d->covers_decls.items[k] == t;
		if (dup) {
			ERR(s, d->file, c->loc, "cover-duplicate", "subject '%s' names '%s' twice after 'covers'",
			    d->id.name, c->name);
			continue;
		}
		ptrvec_push(s->a, &d->covers_decls, (void *)t);
	}
}

static const ident *cover_ident(const decl *d, const decl *t)
{
	size_t i;
	for (i = 0; i < d->covers.len; i++) {
		const ident *c = d->covers.items[i];
		if (c->name && t->id.name && strcmp(c->name, t->id.name) == 0)
			return c;
	}
	return &d->id;
}

static void report_cover_cycle(sema *s, const ovframe *path, size_t n, const decl *back)
{
	size_t j = n;
	const char *msg;
	const decl *top = path[n - 1].d;

	while (j > 0 && path[j - 1].d != back)
		j--;
	msg = arena_printf(s->a, "'%s'", back->id.name);
	for (j = j ? j - 1 : 0; j < n; j++)
		msg = arena_printf(s->a, "%s covers '%s'", msg, j + 1 < n ? path[j + 1].d->id.name : back->id.name);
	ERR(s, top->file, cover_ident(top, back)->loc, "cover-cycle",
	    "the covers form a cycle: %s; a subject cannot cover what covers it", msg);
}

static const ptrvec *covers_of(const decl *d)
{
	return &d->covers_decls;
}

/* A cycle of covers (A covers B covers A): only subjects cover others. */
static void check_cover_cycles(sema *s)
{
	static const cycle_walk walk = {covers_of, report_cover_cycle};
	find_cycles(s, &s->values, &walk);
}

/* ---- examples -------------------------------------------------------------------- */

static void check_given(sema *s, decl *ex, given *g)
{
	const decl *in = find(&s->values, g->name.name);
	expr *v = g->value;

	if (!in || in->kind != D_INPUT) {
		ERR(s, ex->file, g->name.loc, "unknown-name", "'%s' is not an input%s", g->name.name,
		    in ? "" : suggest(s, &s->values, g->name.name));
		return;
	}
	if (in->itype == IT_ENUM) {
		if (v->kind != EX_NAME)
			ERR(s, ex->file, v->loc, "type-mismatch", "'%s' takes one of: %s", in->id.name, enum_list(s, in));
		else
			v->enum_index = check_enum_value(s, in, v->name, v->loc);
		return;
	}
	if (v->kind == EX_NAME) {
		ERR(s, ex->file, v->loc, "type-mismatch", "'%s' is %s, not a name", in->id.name, ty_show(s, in->type));
		return;
	}
	{
		ty t = check_expr(s, v);
		if (is_err(t) || is_err(in->type))
			return;
		if (t.kind != in->type.kind)
			ERR(s, ex->file, v->loc, "type-mismatch", "'%s' is %s, but this is %s", in->id.name,
			    ty_show(s, in->type), ty_show(s, t));
		else if (t.kind == TY_NUM && !t.unit_free && strcmp(t.unit, in->type.unit) != 0)
			ERR(s, ex->file, v->loc, "unit-mismatch", "'%s' is in %s, but this is in %s", in->id.name,
			    in->type.unit, t.unit);
	}
}

static void check_example(sema *s, decl *d)
{
	size_t i, j;
	cur_decl = d;
	for (i = 0; i < d->givens.len; i++) {
		given *g = d->givens.items[i];
		for (j = 0; j < i; j++)
			if (strcmp(((given *)d->givens.items[j])->name.name, g->name.name) == 0)
				ERR(s, d->file, g->name.loc, "duplicate-name", "'%s' is given twice in this example", g->name.name);
		check_given(s, d, g);
	}
	if (d->expects.len == 0 && !d->damaged)
		ERR(s, d->file, d->id.loc, "example-expect", "example '%s' expects nothing; add: expect RULE", d->id.name);
	for (i = 0; i < d->expects.len; i++) {
		expectation *x = d->expects.items[i];
		if (x->kind == EXP_MISSING || x->kind == EXP_ERROR) {
			const decl *in = find(&s->values, x->what.name);
			if (!in || in->kind != D_INPUT)
				ERR(s, d->file, x->what.loc, "unknown-name", "'%s' is not an input%s", x->what.name,
				    in ? "" : suggest(s, &s->values, x->what.name));
			continue;
		}
		if (!find(&s->rules, x->what.name)) {
			ERR(s, d->file, x->what.loc, "unknown-rule", "no rule named '%s'%s", x->what.name,
			    suggest(s, &s->rules, x->what.name));
			continue;
		}
		if (x->kind == EXP_DOSE) {
			ty t = check_expr(s, x->amount);
			if (!is_err(t) && t.kind != TY_NUM)
				ERR(s, d->file, x->amount->loc, "type-mismatch", "an expected dose is a number with a unit");
		}
		if (x->kind == EXP_DUE)
			check_expr(s, x->date);
	}
}

/* ---- entry ------------------------------------------------------------------------ */

/* ---- the month-end reading -------------------------------------------------------
** "month end clamps" on a let, rule or schedule states how a date moved by
** months lands when the target month is shorter (docs/verify.md).  Stated
** where nothing moves a date by months or years, it says nothing: a warning,
** so that a stale clause does not hide a later edit's question. */
static int me_month_unit(const expr *e)
{
	time_unit t;
	if (!e || e->type.kind != TY_NUM || !e->type.unit)
		return 0;
	t = unit_time(e->type.unit);
	return t == TIME_MONTHS || t == TIME_YEARS;
}

static void me_find(void *ctx, const expr *e)
{
	int *found = ctx;
	if ((e->kind == EX_ADD || e->kind == EX_SUB) && e->type.kind == TY_DATE && me_month_unit(e->b))
		*found = 1;
	if ((e->kind == EX_WITHIN_BEFORE || e->kind == EX_WITHIN_AFTER) && me_month_unit(e->b))
		*found = 1;
	if (e->kind == EX_MONTHS_BETWEEN) /* counts months as the clamp moves dates */
		*found = 1;
}

static void check_month_end(sema *s, const decl *d)
{
	int found = 0;
	size_t i;

	if (!d->month_end)
		return;
	if (d->kind == D_SCHEDULE) {
		for (i = 0; i < d->phases.len; i++) {
			const phase *ph = d->phases.items[i];
			found |= me_month_unit(ph->every) || me_month_unit(ph->bound);
		}
	} else {
		ast_visit(d->body, me_find, &found);
		ast_visit(d->when, me_find, &found);
		for (i = 0; i < d->actions.len; i++) {
			ast_visit(((const action *)d->actions.items[i])->amount, me_find, &found);
			ast_visit(((const action *)d->actions.items[i])->due, me_find, &found);
		}
	}
	if (!found)
		WARN(s, d->file, d->month_end_loc, "month-end-unused",
		     "'month end clamps' is stated, but %s '%s' moves no date by months or years", kind_name(d->kind),
		     d->id.name ? d->id.name : "?");
}

void sema_check(ruleset_ast *rs, arena *a, diag_ctx *d)
{
	sema s;
	size_t i;

	memset(&s, 0, sizeof s);
	s.a = a;
	s.d = d;
	s.rs = rs;
	collect(&s);
	/* Types of inputs and params first: everything else reads them. */
	for (i = 0; i < rs->decls.len; i++) {
		decl *dc = rs->decls.items[i];
		cur_decl = dc;
		if (dc->kind == D_INPUT)
			check_input(&s, dc);
		else if (dc->kind == D_SOURCE)
			check_source(&s, dc);
		else if (dc->kind == D_RULESET)
			check_ruleset(&s, dc);
	}
	for (i = 0; i < rs->decls.len; i++) {
		decl *dc = rs->decls.items[i];
		cur_decl = dc;
		if (dc->kind == D_PARAM)
			check_param(&s, dc);
	}
	for (i = 0; i < rs->decls.len; i++) {
		decl *dc = rs->decls.items[i];
		cur_decl = dc;
		switch (dc->kind) {
		case D_LET: case D_TABLE: resolve(&s, dc); break;
		case D_SCHEDULE: check_schedule(&s, dc); break;
		case D_RULE: check_rule(&s, dc); break;
		case D_STATEMENT: check_statement(&s, dc); break;
		case D_SUBJECT:
			if (!dc->title || !*dc->title)
				ERR(&s, dc->file, dc->id.loc, "subject-description",
				    "say what subject '%s' is: subject %s \"description\"", dc->id.name, dc->id.name);
			check_covers(&s, dc);
			break;
		default: break;
		}
	}
	check_override_cycles(&s);
	check_cover_cycles(&s);
	for (i = 0; i < rs->decls.len; i++) {
		decl *dc = rs->decls.items[i];
		if (dc->kind == D_EXAMPLE)
			check_example(&s, dc);
	}
	for (i = 0; i < rs->decls.len; i++)
		check_month_end(&s, rs->decls.items[i]);
	/* After a syntax error the declarations that error recovery dropped
	 * may have been the readers, so "unused" would mostly be noise. */
	for (i = 0; i < rs->decls.len && rs->syntax_errors == 0; i++) {
		decl *dc = rs->decls.items[i];
		if ((dc->kind == D_INPUT || dc->kind == D_PARAM) && !dc->used && dc->id.name &&
		    find(&s.values, dc->id.name) == dc)
			WARN(&s, dc->file, dc->id.loc, "unused", "%s '%s' is declared but no rule, let or table reads it",
			     kind_name(dc->kind), dc->id.name);
		else if (dc->kind == D_SUBJECT && !dc->used && dc->id.name && find(&s.values, dc->id.name) == dc)
			WARN(&s, dc->file, dc->id.loc, "unused", "subject '%s' is declared but no action acts on it",
			     dc->id.name);
	}
	cur_decl = NULL;
}
