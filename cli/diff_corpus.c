/*
** diff_corpus.c: the outcome half of `litrule diff` (diff.h,
** diff_outcomes).  Patients live in the space of both versions' inputs
** (matched by name and type; enumeration values by name), so one patient
** can be given to either version.  The corpus, in this order:
**   1. every example of version a, then of version b;
**   2. boundary patients: each value a comparison in either version's
**      bytecode tests an input against (INPUT, CONST, compare), or a
**      derived value that is an input ("x otherwise ..."), and one
**      step either side (1e-9 for decimals, 1 day for dates); each
**      declared range's ends and one step outside; every table row edge
**      whose key is an input; every enumeration value; both booleans;
**      schedule boundaries (a last dose on either side of each phase end,
**      and as-of dates on either side of the overdue limit) -- each set
**      on a base patient (the examples, then seeded random patients);
**   3. missing values: each input absent in turn;
**   4. more rounds of boundary patients on other bases, up to half of the
**      corpus, then a seeded random sample (splitmix64) up to --patients.
** Each patient is evaluated under both versions; decisions are compared
** in a canonical text form (sorted actions, sorted missing inputs,
** sorted errors), and the patients whose decisions differ are kept.
*/
#include "diff.h"

#include <stdlib.h>
#include <string.h>

#define NBASE_RANDOM 8u   /* random full patients among the bases */
#define MAX_PATCH 4       /* inputs one boundary patient sets */

typedef struct {
	uint32_t n;
	uint32_t u[MAX_PATCH];
	int64_t v[MAX_PATCH];
	const char *why;      /* "schedule NAME" or NULL (one input) */
} patch;

typedef struct {
	cli_diff *d;
	patch *p;
	size_t np, cap;
	uint8_t **bstate;     /* bases */
	int64_t **bv;
	size_t nbases;
	uint64_t rng;
	lr_date ref;          /* reference date of random dates */
	lr_action *acts[2];
	char *buf[2];         /* canonical decisions */
	size_t len[2], bcap[2];
	uint32_t budget, done;
} corpus;

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* ---- the union of both versions' inputs ---------------------------------- */

static int find_union(const cli_diff *d, const char *name)
{
	size_t i;
	for (i = 0; i < d->ninputs; i++)
		if (strcmp(d->inputs[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int find_value(const char *const *vals, uint32_t n, const char *name)
{
	uint32_t i;
	for (i = 0; i < n; i++)
		if (strcmp(vals[i], name) == 0)
			return (int)i;
	return -1;
}

static void add_inputs(cli_diff *d, const lr_ruleset *rs, int side)
{
	uint32_t i, k;
	for (i = 0; i < rs->ninputs; i++) {
		const lr_input_def *in = &rs->inputs[i];
		int u = find_union(d, in->name);
		diff_input *x;
		if (u < 0) {
			x = &d->inputs[d->ninputs++];
			x->name = in->name;
			x->type = in->type;
			x->ia = x->ib = -1;
			x->values = arena_alloc(&d->mem, (LR_MAX_ENUM * 2 + 1) * sizeof(char *));
		} else if (d->inputs[u].type != in->type) {
			continue;  /* another type: the versions do not share this input */
		} else {
			x = &d->inputs[u];
		}
		*(side ? &x->ib : &x->ia) = (int)i;
		for (k = 0; k < in->nvalues; k++)
			if (find_value(x->values, x->nvalues, in->values[k]) < 0)
				x->values[x->nvalues++] = in->values[k];
	}
}

/* ---- evaluation ------------------------------------------------------------ */

static void put(corpus *c, int s, const char *t, size_t n)
{
	if (c->len[s] + n + 1 > c->bcap[s]) {
		size_t cap = (c->bcap[s] + n + 1) * 2;
		char *nb = realloc(c->buf[s], cap);
		if (!nb)
			abort();  /* like the arena: a command-line tool */
		c->buf[s] = nb;
		c->bcap[s] = cap;
	}
	memcpy(c->buf[s] + c->len[s], t, n);
	c->len[s] += n;
	c->buf[s][c->len[s]] = '\0';
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Canonical text of res: lines sorted within actions, missing, errors, so
 * that reordered rules compare equal. */
static void canon(corpus *c, int s, const lr_result *res, char **extra, size_t nextra)
{
	char **lines, tmp[256];
	size_t n = 0, i;
	uint32_t k;
	arena a;

	arena_init(&a);
	lines = arena_alloc(&a, ((size_t)res->nactions + res->nmissing + res->nerrors + nextra + 1) * sizeof(char *));
	c->len[s] = 0;
	put(c, s, "", 0);
	for (k = 0; k < res->nactions; k++) {
		const lr_action *x = &res->actions[k];
		char amt[40] = "", due[16] = "";
		if (x->has_dose)
			lr_dec_format(amt, sizeof amt, x->amount);
		if (x->has_schedule && x->phase)
			lr_date_format(due, sizeof due, x->next_due);
		else if (x->has_due)
			lr_date_format(due, sizeof due, x->due);
		lines[n++] = arena_printf(&a, "action: %s %s \"%s\"%s%s%s%s%s%s%s%s%s%s%s%s%s", x->rule_id, x->verb,
					  x->text ? x->text : "", x->has_dose ? " dose " : "", amt,
					  x->has_dose && x->unit && *x->unit ? " " : "", x->has_dose && x->unit ? x->unit : "",
					  x->route ? " route " : "", x->route ? x->route : "",
					  x->has_schedule ? " per " : "", x->has_schedule ? x->schedule : "",
					  x->has_schedule ? (x->phase ? " phase " : " completed") : "",
					  x->has_schedule && x->phase ? x->phase : "", *due ? " due " : "", due,
					  x->has_schedule && x->phase && x->overdue ? " overdue" : "");
	}
	for (k = 0; k < res->nmissing; k++)
		lines[n++] = arena_printf(&a, "missing: %s", res->missing[k].name);
	for (k = 0; k < res->nerrors; k++) {
		const lr_error *e = &res->errors[k];
		snprintf(tmp, sizeof tmp, "%s%s", e->rule_id ? " in rule " : "", e->rule_id ? e->rule_id : "");
		lines[n++] = arena_printf(&a, "error: %s%s%s%s", e->name ? e->name : "", e->name ? ": " : "",
					  e->message ? e->message : lr_strerror(e->code), tmp);
	}
	for (i = 0; i < nextra; i++)
		lines[n++] = extra[i];
	qsort(lines, n, sizeof(char *), cmp_str);
	for (i = 0; i < n; i++) {
		put(c, s, lines[i], strlen(lines[i]));
		put(c, s, "\n", 1);
	}
	if (res->actions_dropped || res->errors_dropped) {
		snprintf(tmp, sizeof tmp, "note: %u actions and %u errors not listed\n", (unsigned)res->actions_dropped,
			 (unsigned)res->errors_dropped);
		put(c, s, tmp, strlen(tmp));
	}
	arena_free(&a);
}

/* Evaluates the patient under version s (0: a, 1: b) into c->buf[s]. */
static void eval_side(corpus *c, int s, const uint8_t *state, const int64_t *v)
{
	const compiled *cv = s ? c->d->b : c->d->a;
	const lr_ruleset *rs = &cv->lw.rs;
	lr_record rec;
	lr_result res;
	char **extra;
	size_t nextra = 0, u;
	arena a;

	arena_init(&a);
	extra = arena_alloc(&a, (c->d->ninputs + 1) * sizeof *extra);
	/* A rule set of more than LR_RECORD_INLINE inputs takes arrays. */
	if (lr_record_init(&rec, rs) == LR_EFULL)
		lr_record_init_arrays(&rec, rs, arena_alloc(&a, rs->ninputs), arena_alloc(&a, rs->ninputs * sizeof(int64_t)),
				      rs->ninputs);
	for (u = 0; u < c->d->ninputs; u++) {
		const diff_input *x = &c->d->inputs[u];
		int i = s ? x->ib : x->ia;
		if (!state[u] || i < 0)
			continue;  /* unknown to this version: dropped here */
		if (x->type == LR_T_ENUM) {
			const lr_input_def *in = &rs->inputs[i];
			int k = (v[u] >= 0 && (uint64_t)v[u] < x->nvalues)
					? find_value(in->values, in->nvalues, x->values[v[u]]) : -1;
			if (k < 0) {
				extra[nextra++] = arena_printf(&a, "error: %s: '%s' is not one of this version's values",
							      x->name, v[u] >= 0 && (uint64_t)v[u] < x->nvalues ? x->values[v[u]] : "?");
				continue;
			}
			rec.state[i] = 1;
			rec.v[i] = k;
		} else {
			rec.state[i] = 1;
			rec.v[i] = v[u];
		}
	}
	lr_result_init(&res, c->acts[s], lr_ruleset_max_actions(rs));
	lr_result_set_missing(&res, arena_alloc(&a, (rs->ninputs + 1) * sizeof(lr_missing)), rs->ninputs + 1);
	cli_evaluate(&res, rs, &rec);
	canon(c, s, &res, extra, nextra);
	arena_free(&a);
}

/* The rule ids (and "missing", "errors") of the lines in one text and
 * not the other: the patient's group. */
static char *group_of(arena *m, const char *x, const char *y)
{
	const char **names;
	size_t n = 0, i, len = 1;
	int missing = 0, errors = 0, side;
	char *out, *p;

	names = arena_alloc(m, (strlen(x) + strlen(y) + 2) / 9 * sizeof(char *) + sizeof(char *));
	for (side = 0; side < 2; side++) {
		const char *t = side ? y : x, *o = side ? x : y;
		while (*t) {
			const char *e = strchr(t, '\n');
			size_t l = e ? (size_t)(e - t) : strlen(t);
			const char *f = o;
			int found = 0;
			while (*f && !found) {
				const char *fe = strchr(f, '\n');
				size_t fl = fe ? (size_t)(fe - f) : strlen(f);
				found = fl == l && memcmp(f, t, l) == 0;
				f += fl + (fe != NULL);
			}
			if (!found) {
				if (strncmp(t, "action: ", 8) == 0) {
					const char *sp = strchr(t + 8, ' ');
					names[n++] = arena_strndup(m, t + 8, sp && sp < t + l ? (size_t)(sp - t - 8) : l - 8);
				} else if (strncmp(t, "missing: ", 9) == 0) {
					missing = 1;
				} else {
					errors = 1;
				}
			}
			t += l + (e != NULL);
		}
	}
	qsort(names, n, sizeof(char *), cmp_str);
	for (i = 0; i < n; i++)
		len += strlen(names[i]) + 2;
	out = p = arena_alloc(m, len + 32);
	for (i = 0; i < n; i++)
		if (i == 0 || strcmp(names[i], names[i - 1]) != 0)
			p += sprintf(p, "%s%s", p == out ? "" : ", ", names[i]);
	if (missing)
		p += sprintf(p, "%smissing inputs", p == out ? "" : ", ");
	if (errors)
		sprintf(p, "%serrors", p == out ? "" : ", ");
	return out;
}

/* Evaluates one patient under both versions and keeps it if they differ. */
static void consider(corpus *c, diff_pkind kind, const char *label, const uint8_t *state, const int64_t *v)
{
	cli_diff *d = c->d;
	diff_patient *p;

	d->evaluated++;
	eval_side(c, 0, state, v);
	eval_side(c, 1, state, v);
	if (strcmp(c->buf[0], c->buf[1]) == 0)
		return;
	if ((d->npatients & (d->npatients - 1)) == 0) {
		diff_patient *np = arena_alloc(&d->mem, (d->npatients ? d->npatients * 2 : 1) * sizeof(*np));
		if (d->npatients)
			memcpy(np, d->patients, d->npatients * sizeof(*np));
		d->patients = np;
	}
	p = &d->patients[d->npatients++];
	p->kind = kind;
	p->label = arena_strdup(&d->mem, label);
	p->state = arena_alloc(&d->mem, d->ninputs + 1);
	p->v = arena_alloc(&d->mem, (d->ninputs + 1) * sizeof(int64_t));
	memcpy(p->state, state, d->ninputs);
	memcpy(p->v, v, d->ninputs * sizeof(int64_t));
	p->before = arena_strdup(&d->mem, c->buf[0]);
	p->after = arena_strdup(&d->mem, c->buf[1]);
	p->group = group_of(&d->mem, p->before, p->after);
}

/* ---- patients ---------------------------------------------------------------- */

/* An lr_record of version s as a union patient. */
static void from_record(const cli_diff *d, int s, const lr_record *rec, uint8_t *state, int64_t *v)
{
	const lr_ruleset *rs = s ? &d->b->lw.rs : &d->a->lw.rs;
	size_t u;
	memset(state, 0, d->ninputs);
	for (u = 0; u < d->ninputs; u++) {
		const diff_input *x = &d->inputs[u];
		int i = s ? x->ib : x->ia;
		if (i < 0 || !rec->state[i])
			continue;
		state[u] = 1;
		v[u] = rec->v[i];
		if (x->type == LR_T_ENUM && rec->v[i] >= 0 && (uint64_t)rec->v[i] < rs->inputs[i].nvalues)
			v[u] = find_value(x->values, x->nvalues, rs->inputs[i].values[rec->v[i]]);
	}
}

/* 1 if a base (an example of a) is the same patient. */
static int seen(const corpus *c, const uint8_t *state, const int64_t *v)
{
	size_t b, u;
	for (b = 0; b < c->nbases; b++) {
		for (u = 0; u < c->d->ninputs; u++)
			if (c->bstate[b][u] != state[u] || (state[u] && c->bv[b][u] != v[u]))
				break;
		if (u == c->d->ninputs)
			return 1;
	}
	return 0;
}

static void examples(corpus *c, int s)
{
	cli_diff *d = c->d;
	const compiled *cv = s ? d->b : d->a;
	uint8_t *state = arena_alloc(&d->mem, d->ninputs + 1);
	int64_t *v = arena_alloc(&d->mem, (d->ninputs + 1) * sizeof(int64_t));
	size_t i;
	char label[512];

	for (i = 0; i < cv->fe.rs.decls.len; i++) {
		const decl *ex = cv->fe.rs.decls.items[i];
		lr_record rec;
		uint32_t line, col;
		if (ex->kind != D_EXAMPLE || !ex->id.name)
			continue;
		cli_example_record(&rec, &cv->lw, ex, &d->mem);
		from_record(d, s, &rec, state, v);
		if (s && seen(c, state, v))
			continue;  /* the same example in both versions: once is enough */
		src_position(ex->file, ex->loc.start, &line, &col);
		snprintf(label, sizeof label, "example %s (%s:%u at %s)", ex->id.name,
			 ex->file->path + (ex->file->path[0] == '/'), (unsigned)line, s ? "b" : "a");
		consider(c, s ? DP_EXAMPLE_B : DP_EXAMPLE_A, label, state, v);
		d->nexamples++;
		/* Examples are bases for boundary patients too. */
		if (c->nbases < 4096) {
			c->bstate[c->nbases] = arena_alloc(&d->mem, d->ninputs + 1);
			c->bv[c->nbases] = arena_alloc(&d->mem, (d->ninputs + 1) * sizeof(int64_t));
			memcpy(c->bstate[c->nbases], state, d->ninputs);
			memcpy(c->bv[c->nbases], v, d->ninputs * sizeof(int64_t));
			c->nbases++;
		}
	}
}

/* The declared range of union input u (a's, else b's): 1 if there is one. */
static int range_of(const cli_diff *d, size_t u, int64_t *lo, int64_t *hi)
{
	const diff_input *x = &d->inputs[u];
	const lr_input_def *in = x->ia >= 0 ? &d->a->lw.rs.inputs[x->ia] : NULL;
	if (!in || !in->has_range)
		in = x->ib >= 0 ? &d->b->lw.rs.inputs[x->ib] : NULL;
	if (!in || !in->has_range)
		return 0;
	*lo = in->lo;
	*hi = in->hi;
	return 1;
}

/* A random value for union input u. */
static int64_t random_value(corpus *c, size_t u)
{
	const diff_input *x = &c->d->inputs[u];
	uint64_t r = splitmix64(&c->rng);
	int64_t lo = 0, hi = 200 * LR_DEC_SCALE;
	size_t k;

	switch (x->type) {
	case LR_T_BOOL: return (int64_t)(r & 1);
	case LR_T_ENUM: return x->nvalues ? (int64_t)(r % x->nvalues) : 0;
	case LR_T_DATE: return c->ref + (int64_t)(r % 1461) - 730;
	default: break;
	}
	/* Numbers: near a value some comparison tests (a third of the time),
	 * else whole or tenth steps across the declared range. */
	if (r % 3 == 0 && c->np) {
		const patch *p = &c->p[(r >> 8) % c->np];
		for (k = 0; k < p->n; k++)
			if (p->u[k] == u)
				return p->v[k];
	}
	range_of(c->d, u, &lo, &hi);
	if (hi <= lo)
		return lo;
	{
		int64_t step = (r >> 4) % 2 ? LR_DEC_SCALE : LR_DEC_SCALE / 10;
		uint64_t nsteps = (uint64_t)(hi - lo) / (uint64_t)step + 1;
		return lo + (int64_t)((r >> 8) % nsteps) * step;
	}
}

static void random_patient(corpus *c, uint8_t *state, int64_t *v, int full)
{
	size_t u;
	for (u = 0; u < c->d->ninputs; u++) {
		state[u] = full || splitmix64(&c->rng) % 10 != 0;
		v[u] = state[u] ? random_value(c, u) : 0;
	}
}

/* ---- boundary values ---------------------------------------------------------- */

static void add_patch(corpus *c, const patch *p)
{
	if (c->np == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		patch *np = realloc(c->p, cap * sizeof(patch));
		if (!np)
			abort();
		c->p = np;
		c->cap = cap;
	}
	c->p[c->np++] = *p;
}

static void add_value(corpus *c, size_t u, int64_t v)
{
	patch p;
	memset(&p, 0, sizeof p);
	p.n = 1;
	p.u[0] = (uint32_t)u;
	p.v[0] = v;
	add_patch(c, &p);
}

/* v and one step either side. */
static void add_edge(corpus *c, size_t u, int64_t v)
{
	if (v > INT64_MIN)
		add_value(c, u, v - 1);
	add_value(c, u, v);
	if (v < INT64_MAX)
		add_value(c, u, v + 1);
}

static int union_of(const cli_diff *d, int s, uint32_t i)
{
	size_t u;
	for (u = 0; u < d->ninputs; u++)
		if ((s ? d->inputs[u].ib : d->inputs[u].ia) == (int)i)
			return (int)u;
	return -1;
}

static int is_cmp(uint8_t op)
{
	return op >= LR_OP_LT && op <= LR_OP_NE;
}

/* Stack effect of a straight-line op; 99 for control flow (not followed). */
static int stack_effect(uint8_t op)
{
	switch (op) {
	case LR_OP_CONST: case LR_OP_INPUT: case LR_OP_LET: case LR_OP_TABLE: case LR_OP_OVERDUE:
		return 1;
	case LR_OP_NEG: case LR_OP_NOT: case LR_OP_KNOWN: case LR_OP_IN_SET:
		return 0;
	case LR_OP_IF: case LR_OP_JUMP: case LR_OP_SKIP_FALSE: case LR_OP_SKIP_TRUE:
		return 99;
	default:
		return -1;  /* binary operators and COALESCE */
	}
}

/* The input a derived value stands for when its program is that input
 * alone, or "INPUT otherwise ..." (INPUT, a self-contained straight-line
 * expression, COALESCE) with the same type and unit: a boundary of the
 * derived value is then one of the input.  Chains of such lets are
 * followed in a bounded loop.  -1 otherwise. */
static int let_input(const lr_ruleset *rs, uint32_t l)
{
	uint32_t steps;
	for (steps = 0; steps < rs->nlets && l < rs->nlets; steps++) {
		const lr_code *p = &rs->lets[l].code;
		const lr_insn *x = rs->code + p->start;
		uint32_t k;
		int depth = 0;
		if (p->len == 0 || p->start + p->len > rs->ncode)
			return -1;
		for (k = 1; k + 1 < p->len && depth >= 0; k++) {
			int e = stack_effect(x[k].op);
			depth = e == 99 ? -1 : depth + e;
			if (depth < 1)
				depth = -1;
		}
		if (p->len > 1 && (depth != 1 || x[p->len - 1].op != LR_OP_COALESCE))
			return -1;
		if (x[0].op == LR_OP_LET) {
			l = (uint32_t)x[0].arg;
			continue;
		}
		if (x[0].op != LR_OP_INPUT || (uint32_t)x[0].arg >= rs->ninputs)
			return -1;
		if (rs->inputs[x[0].arg].type != rs->lets[l].type ||
		    strcmp(rs->inputs[x[0].arg].unit ? rs->inputs[x[0].arg].unit : "", rs->lets[l].unit ? rs->lets[l].unit : "") != 0)
			return -1;
		return x[0].arg;
	}
	return -1;
}

/* The input an INPUT or LET instruction stands for, or -1. */
static int operand_input(const lr_ruleset *rs, const lr_insn *x)
{
	if (x->op == LR_OP_INPUT)
		return x->arg;
	if (x->op == LR_OP_LET)
		return let_input(rs, (uint32_t)x->arg);
	return -1;
}

/* Comparisons of an input with a constant, ranges and table rows. */
static void scan_version(corpus *c, int s)
{
	const lr_ruleset *rs = s ? &c->d->b->lw.rs : &c->d->a->lw.rs;
	uint32_t k, t, r;
	for (k = 0; k + 2 < rs->ncode; k++) {
		const lr_insn *x = &rs->code[k];
		int u, i;
		if (!is_cmp(x[2].op))
			continue;
		if (x[1].op == LR_OP_CONST && (i = operand_input(rs, &x[0])) >= 0)
			t = (uint32_t)x[1].arg;
		else if (x[0].op == LR_OP_CONST && (i = operand_input(rs, &x[1])) >= 0)
			t = (uint32_t)x[0].arg;
		else
			continue;
		u = union_of(c->d, s, (uint32_t)i);
		if (u >= 0 && t < rs->nconsts && (c->d->inputs[u].type == LR_T_NUM || c->d->inputs[u].type == LR_T_DATE))
			add_edge(c, (size_t)u, rs->consts[t]);
	}
	for (k = 0; k < rs->ninputs; k++) {
		int u = union_of(c->d, s, k);
		if (u >= 0 && rs->inputs[k].has_range && rs->inputs[k].type != LR_T_ENUM) {
			add_edge(c, (size_t)u, rs->inputs[k].lo);
			add_edge(c, (size_t)u, rs->inputs[k].hi);
		}
	}
	for (t = 0; t < rs->ntables; t++) {
		const lr_table_def *tb = &rs->tables[t];
		int u;
		int i = tb->key.len == 1 ? operand_input(rs, &rs->code[tb->key.start]) : -1;
		if (i < 0)
			continue;
		u = union_of(c->d, s, (uint32_t)i);
		for (r = 0; u >= 0 && r < tb->nrows; r++) {
			const lr_row_def *row = &rs->rows[tb->first_row + r];
			if (!row->lo_inf)
				add_edge(c, (size_t)u, row->lo);
			if (!row->hi_inf)
				add_edge(c, (size_t)u, row->hi);
		}
	}
}

static int date_input(const cli_diff *d, const char *name)
{
	int u = name ? find_union(d, name) : -1;
	return u >= 0 && d->inputs[u].type == LR_T_DATE ? u : -1;
}

/* A last dose on date `last` in phase ph: as-of dates either side of the
 * overdue limit. */
static void sched_due(corpus *c, const patch *base, lr_date last, const lr_phase_def *ph, int32_t grace, int ulast,
		      int uasof)
{
	lr_date next, lim;
	int k;
	if (lr_date_add_span(&next, last, ph->every, ph->every_unit) != LR_OK || lr_date_add_days(&lim, next, grace) != LR_OK)
		return;
	for (k = 0; k <= 1; k++) {
		patch p = *base;
		p.u[p.n] = (uint32_t)ulast, p.v[p.n++] = last;
		if (uasof >= 0 && uasof != ulast)
			p.u[p.n] = (uint32_t)uasof, p.v[p.n++] = lim + k;
		add_patch(c, &p);
	}
}

/* Schedule boundaries: with the anchor at the reference date, a last dose
 * the day before and on each phase end (the dose's phase changes there),
 * each with as-of dates on and after the overdue limit; for phases
 * counted in doses, the count either side of each phase end. */
static void scan_schedules(corpus *c, int s)
{
	const compiled *cv = s ? c->d->b : c->d->a;
	const lr_ruleset *rs = &cv->lw.rs;
	uint32_t i, k;
	for (i = 0; i < rs->nschedules; i++) {
		const lr_schedule_def *sd = &rs->schedules[i];
		const decl *sc = cv->lw.schedules[i];
		int ua = date_input(c->d, sc->anchor.name), ul = date_input(c->d, sc->last.name);
		int us = date_input(c->d, sc->asof.name), uc = sc->count.name ? find_union(c->d, sc->count.name) : -1;
		int64_t months = 0, days = 0, doses = 0;
		patch base;
		if (ua < 0 || ul < 0)
			continue;
		memset(&base, 0, sizeof base);
		base.why = sd->name;
		base.n = 1;
		base.u[0] = (uint32_t)ua;
		base.v[0] = c->ref;
		for (k = 0; k < sd->nphases; k++) {
			const lr_phase_def *ph = &rs->phases[sd->first_phase + k];
			lr_date end;
			if (k == 0)
				sched_due(c, &base, c->ref, ph, sd->grace_days, ul, us);
			if (ph->bound_unit == LR_U_NONE)
				break;
			if (ph->bound_unit == LR_U_DOSES) {
				doses += ph->bound;
				if (uc >= 0 && c->d->inputs[uc].type == LR_T_NUM) {
					int64_t j;
					for (j = doses - 1; j <= doses + 1; j++) {
						patch p = base;
						p.u[p.n] = (uint32_t)uc, p.v[p.n++] = j * LR_DEC_SCALE;
						sched_due(c, &p, c->ref, ph, sd->grace_days, ul, us);
					}
				}
				continue;
			}
			if (ph->bound_unit == LR_U_MONTHS || ph->bound_unit == LR_U_YEARS)
				months += ph->bound_unit == LR_U_YEARS ? (int64_t)ph->bound * 12 : ph->bound;
			else
				days += ph->bound_unit == LR_U_WEEKS ? (int64_t)ph->bound * 7 : ph->bound;
			if (lr_date_add_months(&end, c->ref, months) != LR_OK || lr_date_add_days(&end, end, days) != LR_OK)
				break;
			sched_due(c, &base, end - 1, ph, sd->grace_days, ul, us);
			if (k + 1 < sd->nphases)
				sched_due(c, &base, end, &rs->phases[sd->first_phase + k + 1], sd->grace_days, ul, us);
		}
	}
}

static int cmp_patch(const void *x, const void *y)
{
	const patch *a = x, *b = y;
	uint32_t k;
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	for (k = 0; k < a->n; k++) {
		if (a->u[k] != b->u[k])
			return a->u[k] < b->u[k] ? -1 : 1;
		if (a->v[k] != b->v[k])
			return a->v[k] < b->v[k] ? -1 : 1;
	}
	if (!a->why != !b->why)
		return a->why ? 1 : -1;
	return a->why ? strcmp(a->why, b->why) : 0;
}

/* Every boundary patch of both versions, sorted, without duplicates. */
static void boundaries(corpus *c)
{
	size_t u, i, n = 0;
	int64_t k;
	scan_version(c, 0);
	scan_version(c, 1);
	for (u = 0; u < c->d->ninputs; u++) {
		const diff_input *x = &c->d->inputs[u];
		if (x->type == LR_T_BOOL)
			add_value(c, u, 0), add_value(c, u, 1);
		for (k = 0; x->type == LR_T_ENUM && k < (int64_t)x->nvalues; k++)
			add_value(c, u, k);
	}
	scan_schedules(c, 0);
	scan_schedules(c, 1);
	if (!c->np)
		return;
	qsort(c->p, c->np, sizeof(patch), cmp_patch);
	for (i = 0; i < c->np; i++)
		if (n == 0 || cmp_patch(&c->p[i], &c->p[n - 1]) != 0)
			c->p[n++] = c->p[i];
	c->np = n;
}

/* ---- the corpus ------------------------------------------------------------- */

void diff_value_text(char *buf, size_t n, const diff_input *u, int64_t v)
{
	lr_dec dv;
	switch (u->type) {
	case LR_T_BOOL: snprintf(buf, n, "%s", v ? "true" : "false"); break;
	case LR_T_DATE: lr_date_format(buf, n, (lr_date)v); break;
	case LR_T_ENUM: snprintf(buf, n, "%s", v >= 0 && (uint64_t)v < u->nvalues ? u->values[v] : "?"); break;
	default: dv.v = v; lr_dec_format(buf, n, dv); break;
	}
}

static void patch_label(char *buf, size_t n, const cli_diff *d, const patch *p)
{
	size_t len = 0;
	uint32_t k;
	len += (size_t)snprintf(buf, n, "boundary%s%s:", p->why ? " of schedule " : "", p->why ? p->why : "");
	for (k = 0; k < p->n && len < n; k++) {
		char val[48];
		diff_value_text(val, sizeof val, &d->inputs[p->u[k]], p->v[k]);
		len += (size_t)snprintf(buf + len, n - len, "%s %s = %s", k ? "," : "", d->inputs[p->u[k]].name, val);
	}
}

/* The first date any example gives: random and schedule dates centre on it. */
static void find_ref(corpus *c)
{
	size_t b, u;
	lr_date_from_ymd(&c->ref, 2024, 1, 1);
	for (b = 0; b < c->nbases; b++)
		for (u = 0; u < c->d->ninputs; u++)
			if (c->bstate[b][u] && c->d->inputs[u].type == LR_T_DATE) {
				c->ref = (lr_date)c->bv[b][u];
				return;
			}
}

/* One round of boundary patches on bases shifted by round; stops at the
 * budget (counting the rest as skipped when asked). */
static void boundary_round(corpus *c, uint32_t round, uint32_t limit, int count_skipped, uint8_t *state, int64_t *v)
{
	size_t j;
	char label[512];
	for (j = 0; j < c->np; j++) {
		const size_t b = (j + round) % c->nbases;
		const patch *p = &c->p[j];
		uint32_t k;
		if (c->done >= limit) {
			if (count_skipped)
				c->d->boundary_skipped += (uint32_t)(c->np - j);
			return;
		}
		memcpy(state, c->bstate[b], c->d->ninputs);
		memcpy(v, c->bv[b], c->d->ninputs * sizeof(int64_t));
		for (k = 0; k < p->n; k++)
			state[p->u[k]] = 1, v[p->u[k]] = p->v[k];
		patch_label(label, sizeof label, c->d, p);
		consider(c, DP_BOUNDARY, label, state, v);
		c->done++;
		c->d->nboundary++;
	}
}

static void generate(corpus *c)
{
	cli_diff *d = c->d;
	uint8_t *state = arena_alloc(&d->mem, d->ninputs + 1);
	int64_t *v = arena_alloc(&d->mem, (d->ninputs + 1) * sizeof(int64_t));
	char label[512];
	uint32_t round;
	size_t u;

	boundary_round(c, 0, c->budget, 1, state, v);
	for (u = 0; u < d->ninputs; u++) {
		const size_t b = (u * 3 + 1) % c->nbases;
		if (c->done >= c->budget) {
			d->boundary_skipped += (uint32_t)(d->ninputs - u);
			break;
		}
		memcpy(state, c->bstate[b], d->ninputs);
		memcpy(v, c->bv[b], d->ninputs * sizeof(int64_t));
		state[u] = 0;
		snprintf(label, sizeof label, "missing: %s absent", d->inputs[u].name);
		consider(c, DP_MISSING, label, state, v);
		c->done++;
		d->nmissing++;
	}
	for (round = 1; c->np && round < c->nbases && c->done < c->budget / 2; round++)
		boundary_round(c, round, c->budget / 2, 0, state, v);
	while (c->done < c->budget) {
		random_patient(c, state, v, 0);
		snprintf(label, sizeof label, "random #%u", (unsigned)d->nrandom + 1);
		consider(c, DP_RANDOM, label, state, v);
		c->done++;
		d->nrandom++;
	}
}

static int cmp_member(const void *x, const void *y, const cli_diff *d)
{
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	int r = strcmp(d->patients[i].group, d->patients[j].group);
	return r ? r : (i < j ? -1 : i > j);
}

/* Groups of patients by what changed, sorted by key, members in corpus order. */
static void make_groups(cli_diff *d)
{
	size_t *idx = arena_alloc(&d->mem, (d->npatients + 1) * sizeof(size_t));
	size_t i, j, g = 0;
	for (i = 0; i < d->npatients; i++)
		idx[i] = i;
	/* Insertion by key is quadratic; a merge sort keeps 10,000 patients fast. */
	{
		size_t *tmp = arena_alloc(&d->mem, (d->npatients + 1) * sizeof(size_t)), w;
		for (w = 1; w < d->npatients; w *= 2) {
			for (i = 0; i < d->npatients; i += 2 * w) {
				size_t l = i, m = i + w < d->npatients ? i + w : d->npatients;
				size_t r = m, e = i + 2 * w < d->npatients ? i + 2 * w : d->npatients, k = i;
				while (l < m || r < e)
					tmp[k++] = (r >= e || (l < m && cmp_member(&idx[l], &idx[r], d) <= 0)) ? idx[l++] : idx[r++];
			}
			memcpy(idx, tmp, d->npatients * sizeof(size_t));
		}
	}
	d->groups = arena_alloc(&d->mem, (d->npatients + 1) * sizeof(diff_group));
	for (i = 0; i < d->npatients; i = j) {
		for (j = i + 1; j < d->npatients && strcmp(d->patients[idx[j]].group, d->patients[idx[i]].group) == 0; j++)
			;
		d->groups[g].key = d->patients[idx[i]].group;
		d->groups[g].members = idx + i;
		d->groups[g].nmembers = j - i;
		g++;
	}
	d->ngroups = g;
}

int diff_outcomes(cli_diff *d)
{
	corpus c;
	uint32_t m0 = lr_ruleset_max_actions(&d->a->lw.rs), m1 = lr_ruleset_max_actions(&d->b->lw.rs);
	size_t b;

	memset(&c, 0, sizeof c);
	c.d = d;
	c.rng = d->opts.seed;
	c.budget = d->opts.patients;
	d->inputs = arena_alloc(&d->mem, (d->a->lw.rs.ninputs + d->b->lw.rs.ninputs + 1) * sizeof(diff_input));
	add_inputs(d, &d->a->lw.rs, 0);
	add_inputs(d, &d->b->lw.rs, 1);
	c.acts[0] = arena_alloc(&d->mem, (m0 ? m0 : 1) * sizeof(lr_action));
	c.acts[1] = arena_alloc(&d->mem, (m1 ? m1 : 1) * sizeof(lr_action));
	c.bstate = arena_alloc(&d->mem, (4096 + NBASE_RANDOM) * sizeof(uint8_t *));
	c.bv = arena_alloc(&d->mem, (4096 + NBASE_RANDOM) * sizeof(int64_t *));
	examples(&c, 0);
	examples(&c, 1);
	find_ref(&c);
	for (b = 0; b < NBASE_RANDOM; b++) {
		c.bstate[c.nbases] = arena_alloc(&d->mem, d->ninputs + 1);
		c.bv[c.nbases] = arena_alloc(&d->mem, (d->ninputs + 1) * sizeof(int64_t));
		random_patient(&c, c.bstate[c.nbases], c.bv[c.nbases], 1);
		c.nbases++;
	}
	boundaries(&c);
	d->boundary_values = (uint32_t)c.np;
	generate(&c);
	make_groups(d);
	free(c.p);
	free(c.buf[0]);
	free(c.buf[1]);
	return 0;
}
