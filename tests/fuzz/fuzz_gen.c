/*
** fuzz_gen.c: libFuzzer target that builds rule files from grammar
** fragments.
**
** The fuzzer's bytes are not the rule file but the choices that write it:
** how many inputs of each type and their ranges, params, let chains (each
** let using earlier ones, some twice; long chains), rules with many
** actions that all fire, decision tables with adjacent, overlapping or
** gapped rows, schedules with phases and large counts (q4294967324d,
** `overdue after N days` with a huge N), and examples.  Most generated
** files check clean, so lowering, C generation and evaluation are reached
** (the shared pipeline in pipeline.c).  Because the generator knows what
** it wrote, it also checks the lowered table against it: each rule's
** action count, each schedule's interval, length and grace as written
** (no silent truncation or 32-bit wrap), and that the rules without a
** condition all fire for an empty record, or the result says it is full.
**
** To get past a known defect while it is being fixed, two environment
** variables narrow the generator: FZG_MAX_LET_CHAIN=N caps long let
** chains at N lets (default: the generator's own 65535), and
** FZG_SMALL_COUNTS=1 keeps schedule counts below 31.  FZG_DUMP=FILE
** writes the generated rule file (to turn a crash into a reproducer).
** FZG_STATS=N prints, after the first N executions, how many generated
** files stopped at each stage (the pass rate).
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline.h"

#define FZG_MAX_LET_CHAIN 65535u

/* The environment's narrowing, read once. */
static unsigned fzg_chain_cap = FZG_MAX_LET_CHAIN;
static int fzg_small_counts;
static unsigned long fzg_stats_after;

static void fzg_config(void)
{
	static int done;
	const char *e;
	if (done)
		return;
	done = 1;
	if ((e = getenv("FZG_MAX_LET_CHAIN")) != NULL && strtoul(e, NULL, 10) < FZG_MAX_LET_CHAIN)
		fzg_chain_cap = (unsigned)strtoul(e, NULL, 10);
	fzg_small_counts = (e = getenv("FZG_SMALL_COUNTS")) != NULL && e[0] == '1';
	if ((e = getenv("FZG_STATS")) != NULL)
		fzg_stats_after = strtoul(e, NULL, 10);
}

static void fzg_stats(void)
{
	unsigned long n = fzp_stats[0] + fzp_stats[1] + fzp_stats[2];
	if (fzg_stats_after && n == fzg_stats_after)
		fprintf(stderr, "fuzz_gen: first %lu files: %lu front-end errors, %lu lowering errors, %lu evaluated\n",
			n, fzp_stats[FZP_FRONTEND_ERROR], fzp_stats[FZP_LOWER_ERROR], fzp_stats[FZP_EVALUATED]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Generated text is capped at 1 MB, the size the issue fuzzes up to (a
 * long let chain is about 40 bytes a let): a 3 MB file of 45,000 lets
 * took over 10 s under ASan on a loaded machine, a timeout that was no
 * hang (0.3 s without sanitizers). */
#define FZG_MAX_TEXT (1u << 20)

typedef struct {
	int64_t every, bound; /* as written (bound 0: open-ended) */
} fzg_phase;

typedef struct {
	/* the choices */
	const uint8_t *in;
	size_t nin, pos;
	/* the text */
	char *buf;
	size_t len, cap;
	int full;
	/* declared names, for references */
	unsigned nbool, nnum, ndate, nenum, ncount, nparam, nlet, nblet, ntable, nsched, nrule;
	unsigned *enum_n;      /* values of each enumeration */
	int64_t *num_lo, *num_hi;
	int *num_ranged;
	/* what the lowered table must show */
	unsigned *rule_nact;   /* actions written per rule */
	int *rule_always;      /* no condition, actions that always apply */
	fzg_phase *phases;     /* per schedule, FZG_PHASES each */
	unsigned *sched_nphase;
	int64_t *sched_grace;  /* in days; -1: none */
} fzg;

#define FZG_PHASES 4

/* ---- choices ------------------------------------------------------------- */

static unsigned fzg_byte(fzg *g)
{
	return g->pos < g->nin ? g->in[g->pos++] : 0;
}

/* A choice among n (n >= 1).  Choice 0 is what exhausted input gives,
 * so it is always the common, valid case; rare variants get n - 1. */
static unsigned fzg_pick(fzg *g, unsigned n)
{
	return fzg_byte(g) % n;
}

static unsigned fzg_u16(fzg *g)
{
	unsigned hi = fzg_byte(g);
	return (hi << 8) | fzg_byte(g);
}

/* A count for intervals, lengths and margins: small mostly, sometimes
 * one of the values that wrap or overflow narrower integers. */
static int64_t fzg_count(fzg *g)
{
	static const int64_t big[] = {0,          2147483647,  2147483648,  4294967295, 4294967296,
				      4294967297, 4294967324,  1000000000,  9200000000, 9999999999,
				      65536,      100000,      3000000,     2147483655};
	unsigned c = fzg_byte(g);
	if (c < 224 || fzg_small_counts)
		return 1 + c % 30;
	return big[c % (sizeof big / sizeof big[0])];
}

/* ---- text ---------------------------------------------------------------- */

static void fzg_put(fzg *g, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static void fzg_put(fzg *g, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (g->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || g->len + (size_t)n + 1 > FZG_MAX_TEXT) {
		g->full = 1;
		return;
	}
	if (g->len + (size_t)n + 1 > g->cap) {
		size_t cap = g->cap ? g->cap : 65536;
		char *nb;
		while (cap < g->len + (size_t)n + 1)
			cap *= 2;
		nb = realloc(g->buf, cap);
		if (!nb) {
			g->full = 1;
			return;
		}
		g->buf = nb;
		g->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(g->buf + g->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	g->len += (size_t)n;
}

/* A decimal written out ("12.5"), from its fixed-point value. */
static void fzg_dec(fzg *g, int64_t v)
{
	char b[32];
	lr_dec d;
	d.v = v;
	lr_dec_format(b, sizeof b, d);
	fzg_put(g, "%s", b);
}

static void fzg_cite(fzg *g)
{
	fzg_put(g, "  cite G at \"%u\" quote \"generated passage\"\n", fzg_pick(g, 9));
}

/* ---- declarations ---------------------------------------------------------- */

static void *fzg_alloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		abort();
	return p;
}

/* A range bound, in whole or fractional units, sometimes huge or negative. */
static int64_t fzg_bound(fzg *g)
{
	unsigned c = fzg_byte(g);
	if (c < 200)
		return (int64_t)(c % 100) * LR_DEC_SCALE * (c < 100 ? 1 : 10);
	if (c < 230)
		return (int64_t)(c % 100) * (LR_DEC_SCALE / 4);
	if (c < 245)
		return -(int64_t)(c % 50) * LR_DEC_SCALE;
	/* Near the decimal range's edge (about 9.2e9). */
	return (c & 1 ? 1 : -1) * INT64_C(9000000000) * LR_DEC_SCALE;
}

static void fzg_inputs(fzg *g)
{
	unsigned i, k;

	g->nbool = 1 + fzg_pick(g, 4);
	g->nnum = 1 + fzg_pick(g, 5);
	g->ndate = 3 + fzg_pick(g, 3);
	g->nenum = 1 + fzg_pick(g, 3);
	g->ncount = 1 + fzg_pick(g, 2);
	g->enum_n = fzg_alloc(g->nenum, sizeof(unsigned));
	g->num_lo = fzg_alloc(g->nnum, sizeof(int64_t));
	g->num_hi = fzg_alloc(g->nnum, sizeof(int64_t));
	g->num_ranged = fzg_alloc(g->nnum, sizeof(int));
	for (i = 0; i < g->nbool; i++)
		fzg_put(g, "input b%u: bool \"yes or no %u\"\n", i, i);
	for (i = 0; i < g->nnum; i++) {
		int64_t lo = fzg_bound(g), hi = fzg_bound(g);
		g->num_ranged[i] = fzg_pick(g, 8) != 0;
		if (hi < lo && fzg_pick(g, 64) != 63) {
			int64_t t = lo;
			lo = hi;
			hi = t;
		}
		if (hi == lo && fzg_pick(g, 4) != 0)
			hi = lo + 100 * LR_DEC_SCALE;
		g->num_lo[i] = lo;
		g->num_hi[i] = hi;
		fzg_put(g, "input n%u: number in mg", i);
		if (g->num_ranged[i]) {
			fzg_put(g, ", from ");
			fzg_dec(g, lo);
			fzg_put(g, " to ");
			fzg_dec(g, hi);
		}
		fzg_put(g, " \"amount %u\"\n", i);
	}
	for (i = 0; i < g->ndate; i++)
		fzg_put(g, "input d%u: date \"day %u\"\n", i, i);
	for (i = 0; i < g->nenum; i++) {
		g->enum_n[i] = 1 + fzg_pick(g, 6);
		fzg_put(g, "input e%u: one of ", i);
		for (k = 0; k < g->enum_n[i]; k++)
			fzg_put(g, "%se%u_v%u", k ? ", " : "", i, k);
		fzg_put(g, " \"choice %u\"\n", i);
	}
	for (i = 0; i < g->ncount; i++)
		fzg_put(g, "input c%u: number in doses, from 0 to %u \"doses given %u\"\n", i, 1 + fzg_pick(g, 250), i);
}

static void fzg_params(fzg *g)
{
	unsigned i;
	g->nparam = fzg_pick(g, 4);
	for (i = 0; i < g->nparam; i++) {
		fzg_put(g, "param p%u = ", i);
		fzg_dec(g, fzg_bound(g));
		fzg_put(g, " mg \"a threshold\"\n");
		if (fzg_pick(g, 2))
			fzg_cite(g);
		else
			fzg_put(g, "  committee \"chosen by the committee\"\n");
	}
}

/* ---- expressions ----------------------------------------------------------- */

/* What an expression may name: lets and bool lets below these counts. */
typedef struct {
	unsigned nlet, nblet, ntable, nsched;
} fzg_scope;

static void fzg_num(fzg *g, const fzg_scope *sc, int depth);
static void fzg_cond(fzg *g, const fzg_scope *sc, int depth);

/* A value in mg. */
static void fzg_num_atom(fzg *g, const fzg_scope *sc)
{
	switch (fzg_pick(g, 6)) {
	case 0:
		if (g->nparam) {
			fzg_put(g, "p%u", fzg_pick(g, g->nparam));
			return;
		}
		break;
	case 1:
	case 2:
		if (sc->nlet) {
			fzg_put(g, "l%u", fzg_pick(g, sc->nlet));
			return;
		}
		break;
	case 3:
		if (sc->ntable) {
			fzg_put(g, "T%u", fzg_pick(g, sc->ntable));
			return;
		}
		break;
	case 4:
		fzg_dec(g, fzg_bound(g));
		fzg_put(g, " mg");
		return;
	default: break;
	}
	fzg_put(g, "n%u", fzg_pick(g, g->nnum));
}

static void fzg_num(fzg *g, const fzg_scope *sc, int depth)
{
	unsigned c = depth > 0 ? fzg_pick(g, 10) : 0;
	switch (c) {
	case 1: case 2:
		fzg_put(g, "(");
		fzg_num(g, sc, depth - 1);
		fzg_put(g, c == 1 ? " + " : " - ");
		fzg_num(g, sc, depth - 1);
		fzg_put(g, ")");
		break;
	case 3: case 4:
		fzg_put(g, "(");
		fzg_num(g, sc, depth - 1);
		fzg_put(g, c == 3 ? " * %u)" : " / %u)", fzg_pick(g, 4));
		break;
	case 5:
		fzg_put(g, "-");
		fzg_num(g, sc, depth - 1);
		break;
	case 6:
		fzg_put(g, "(if ");
		fzg_cond(g, sc, depth - 1);
		fzg_put(g, " then ");
		fzg_num(g, sc, depth - 1);
		fzg_put(g, " else ");
		fzg_num(g, sc, depth - 1);
		fzg_put(g, ")");
		break;
	case 7:
		fzg_put(g, "(");
		fzg_num(g, sc, depth - 1);
		fzg_put(g, " otherwise ");
		fzg_num(g, sc, depth - 1);
		fzg_put(g, ")");
		break;
	default: fzg_num_atom(g, sc); break;
	}
}

static const char *const fzg_cmp[] = {"<", "<=", ">", ">=", "=", "!="};
static const char *const fzg_datecmp[] = {"before", "after", "on or before", "on or after"};
static const char *const fzg_tunit[] = {"days", "weeks", "months", "years"};

static void fzg_enum_test(fzg *g)
{
	unsigned e = fzg_pick(g, g->nenum), k, n;
	switch (fzg_pick(g, 4)) {
	case 0: fzg_put(g, "e%u is e%u_v%u", e, e, fzg_pick(g, g->enum_n[e])); break;
	case 1: fzg_put(g, "e%u is not e%u_v%u", e, e, fzg_pick(g, g->enum_n[e])); break;
	default:
		n = 1 + fzg_pick(g, g->enum_n[e]);
		fzg_put(g, "e%u is %sone of ", e, fzg_pick(g, 2) ? "not " : "");
		for (k = 0; k < n; k++)
			fzg_put(g, "%se%u_v%u", k ? ", " : "", e, k);
		break;
	}
}

static void fzg_date_test(fzg *g)
{
	unsigned a = fzg_pick(g, g->ndate), b = fzg_pick(g, g->ndate);
	switch (fzg_pick(g, 4)) {
	case 0:
		fzg_put(g, "d%u within %u %s %s d%u", a, 1 + fzg_pick(g, 12), fzg_tunit[fzg_pick(g, 4)],
			fzg_pick(g, 2) ? "before" : "after", b);
		break;
	case 1:
		fzg_put(g, "d%u + %u %s %s d%u", a, fzg_pick(g, 40), fzg_tunit[fzg_pick(g, 4)],
			fzg_datecmp[fzg_pick(g, 4)], b);
		break;
	default: fzg_put(g, "d%u %s d%u", a, fzg_datecmp[fzg_pick(g, 4)], b); break;
	}
}

/* x between A and B; rarely with B below A (an error the checker names). */
static void fzg_between(fzg *g, const fzg_scope *sc)
{
	int64_t a = fzg_bound(g), b = fzg_bound(g);
	if (b < a && fzg_pick(g, 64) != 63) {
		int64_t t = a;
		a = b;
		b = t;
	}
	fzg_num_atom(g, sc);
	fzg_put(g, " between ");
	fzg_dec(g, a);
	fzg_put(g, " mg and ");
	fzg_dec(g, b);
	fzg_put(g, " mg");
}

static void fzg_cond_atom(fzg *g, const fzg_scope *sc)
{
	switch (fzg_pick(g, 10)) {
	case 0: fzg_put(g, "b%u", fzg_pick(g, g->nbool)); break;
	case 1: fzg_put(g, "b%u is %s", fzg_pick(g, g->nbool), fzg_pick(g, 2) ? "true" : "false"); break;
	case 2: fzg_enum_test(g); break;
	case 3: fzg_date_test(g); break;
	case 4:
		fzg_put(g, "%c%u is %s", "nbde"[fzg_pick(g, 4)], 0u, fzg_pick(g, 2) ? "missing" : "known");
		break;
	case 5:
		if (sc->nsched) {
			fzg_put(g, "S%u is %soverdue", fzg_pick(g, sc->nsched), fzg_pick(g, 2) ? "not " : "");
			break;
		}
		/* fall through */
	case 6:
		if (sc->nblet) {
			fzg_put(g, "q%u", fzg_pick(g, sc->nblet));
			break;
		}
		/* fall through */
	case 7:
		fzg_between(g, sc);
		break;
	default:
		fzg_num(g, sc, 2);
		fzg_put(g, " %s ", fzg_cmp[fzg_pick(g, 6)]);
		fzg_num(g, sc, 1);
		break;
	}
}

static void fzg_cond(fzg *g, const fzg_scope *sc, int depth)
{
	unsigned c = depth > 0 ? fzg_pick(g, 6) : 0;
	switch (c) {
	case 1: case 2:
		fzg_put(g, "(");
		fzg_cond(g, sc, depth - 1);
		fzg_put(g, c == 1 ? " and " : " or ");
		fzg_cond(g, sc, depth - 1);
		fzg_put(g, ")");
		break;
	case 3:
		fzg_put(g, "not ");
		fzg_cond(g, sc, depth - 1);
		break;
	default: fzg_cond_atom(g, sc); break;
	}
}

/* ---- tables ------------------------------------------------------------------ */

/* One side of a row: boundary b, included or not; lower side or upper. */
static void fzg_row(fzg *g, int has_lo, int64_t lo, int lo_in, int has_hi, int64_t hi, int hi_in)
{
	fzg_put(g, "  row ");
	if (has_lo && has_hi) {
		fzg_put(g, "%s", lo_in ? "" : "above ");
		fzg_dec(g, lo);
		fzg_put(g, " to %s", hi_in ? "" : "below ");
		fzg_dec(g, hi);
	} else if (has_lo) {
		fzg_put(g, "%s", lo_in ? "at least " : "above ");
		fzg_dec(g, lo);
	} else {
		fzg_put(g, "%s", hi_in ? "at most " : "below ");
		fzg_dec(g, hi);
	}
	if (fzg_pick(g, 8) == 7)
		fzg_put(g, " gives nothing\n");
	else
		fzg_put(g, " gives %u mg\n", 1 + fzg_pick(g, 10));
}

/* Rows over the key's range: adjacent by default; a rare flip of one
 * side's inclusion makes a one-point gap or overlap. */
static void fzg_table(fzg *g, unsigned t)
{
	unsigned key = fzg_pick(g, g->nnum), m = 1 + fzg_pick(g, 6), k;
	int64_t lo = g->num_lo[key], hi = g->num_hi[key], step, b[8];
	int upper[8], whole;

	if (hi < lo) {
		int64_t x = lo;
		lo = hi;
		hi = x;
	}
	step = hi / (int64_t)(m + 1) - lo / (int64_t)(m + 1);
	/* Whole-unit steps when the range allows (rounded bounds stay in
	 * order), else the exact fraction. */
	whole = step >= LR_DEC_SCALE && fzg_pick(g, 4) != 0;
	if (whole)
		step = step / LR_DEC_SCALE * LR_DEC_SCALE;
	if (step == 0)
		step = LR_DEC_SCALE;
	for (k = 1; k <= m; k++) {
		b[k] = (whole ? lo / LR_DEC_SCALE * LR_DEC_SCALE : lo) + step * (int64_t)k;
		upper[k] = (int)fzg_pick(g, 2);
	}
	fzg_put(g, "table T%u \"table %u\"\n  by n%u, hit %s\n", t, t, key, fzg_pick(g, 3) ? "unique" : "first");
	for (k = 0; k <= m; k++) {
		int lo_in = k > 0 && upper[k], hi_in = k < m && !upper[k + 1];
		if (fzg_byte(g) == 255)
			lo_in = !lo_in;
		if (fzg_byte(g) == 255)
			hi_in = !hi_in;
		fzg_row(g, k > 0, k > 0 ? b[k] : 0, lo_in, k < m, k < m ? b[k + 1] : 0, hi_in);
	}
	fzg_cite(g);
}

/* ---- lets ----------------------------------------------------------------- */

/* A long chain: each let uses the one before it, often twice, so that a
 * lowering that inlines lets does exponential work; or the one after it,
 * so that resolving the first recurses through all of them. */
static void fzg_let_chain(fzg *g, fzg_scope *sc)
{
	unsigned n = fzg_pick(g, 2) ? fzg_byte(g) : fzg_u16(g), shape = fzg_pick(g, 5), k, first = sc->nlet;

	/* Under the runtime's 256 lets half the time, so lowering runs. */
	n %= fzg_chain_cap + 1u;

	if (shape == 4) {
		/* Backwards: each let uses the next one, so checking the first
		 * walks the whole chain. */
		for (k = 0; k + 1 < n && !g->full; k++)
			fzg_put(g, "let l%u in mg = l%u + 1 mg \"chain\"\n", first + k, first + k + 1);
		if (n)
			fzg_put(g, "let l%u in mg = n0 \"chain end\"\n", first + n - 1);
		sc->nlet += n;
		return;
	}
	for (k = 0; k < n && !g->full; k++) {
		unsigned i = sc->nlet++;
		if (i == 0)
			fzg_put(g, "let l0 in mg = n0 \"chain start\"\n");
		else if (shape == 0)
			fzg_put(g, "let l%u in mg = l%u + 1 mg \"chain\"\n", i, i - 1);
		else if (shape == 1 || i == 1)
			fzg_put(g, "let l%u in mg = l%u + l%u \"chain\"\n", i, i - 1, i - 1);
		else if (shape == 2)
			fzg_put(g, "let l%u in mg = (if l%u > l%u then l%u else l%u) \"chain\"\n", i, i - 1, i - 2, i - 1,
				i - 2);
		else
			fzg_put(g, "let l%u in mg = l%u otherwise l%u \"chain\"\n", i, i - 1, i - 2);
	}
}

static void fzg_lets(fzg *g, fzg_scope *sc)
{
	unsigned n, k;

	if (fzg_pick(g, 8) == 0) {
		fzg_let_chain(g, sc);
	} else {
		n = fzg_pick(g, 8);
		for (k = 0; k < n; k++) {
			fzg_put(g, "let l%u in mg = ", sc->nlet);
			fzg_num(g, sc, 3);
			fzg_put(g, " \"derived %u\"\n", sc->nlet);
			sc->nlet++;
		}
	}
	n = fzg_pick(g, 3);
	for (k = 0; k < n; k++) {
		fzg_put(g, "let q%u = ", sc->nblet);
		fzg_cond(g, sc, 2);
		fzg_put(g, " \"condition %u\"\n", sc->nblet);
		sc->nblet++;
	}
	g->nlet = sc->nlet;
	g->nblet = sc->nblet;
}

/* ---- schedules -------------------------------------------------------------- */

static void fzg_schedule(fzg *g, const fzg_scope *sc, unsigned s)
{
	static const char unitc[] = "dwmy";
	unsigned np = 1 + fzg_pick(g, FZG_PHASES), k, doses = 0;
	int64_t n;

	fzg_put(g, "schedule S%u \"schedule %u\"\n  zoledronic acid ", s, s);
	if (sc->ntable && fzg_pick(g, 3) == 0)
		fzg_put(g, "(T%u)", fzg_pick(g, sc->ntable));
	else
		fzg_put(g, "%u mg", 1 + fzg_pick(g, 120));
	fzg_put(g, " intravenous");
	g->sched_nphase[s] = np;
	for (k = 0; k < np; k++) {
		fzg_phase *ph = &g->phases[s * FZG_PHASES + k];
		unsigned u = fzg_pick(g, 4);
		ph->every = fzg_count(g);
		if (fzg_pick(g, 2))
			fzg_put(g, "%s q%lld%c", k ? " then" : "", (long long)ph->every, unitc[u]);
		else
			fzg_put(g, "%s every %lld %s", k ? " then" : "", (long long)ph->every, fzg_tunit[u]);
		ph->bound = 0;
		if (k + 1 < np || fzg_pick(g, 4) == 0) {
			unsigned bu = fzg_pick(g, 5);
			ph->bound = fzg_count(g);
			doses |= bu == 4;
			fzg_put(g, " for %lld %s", (long long)ph->bound, bu == 4 ? "doses" : fzg_tunit[bu]);
		}
	}
	fzg_put(g, "\n  anchored at d%u\n  last dose on d%u\n  evaluated on d%u\n", fzg_pick(g, g->ndate),
		fzg_pick(g, g->ndate), fzg_pick(g, g->ndate));
	if (doses || fzg_pick(g, 8) == 0)
		fzg_put(g, "  counting c%u\n", fzg_pick(g, g->ncount));
	g->sched_grace[s] = -1;
	if (fzg_pick(g, 2)) {
		int weeks = (int)fzg_pick(g, 4) == 0;
		n = fzg_count(g);
		g->sched_grace[s] = weeks ? n * 7 : n;
		fzg_put(g, "  overdue after %lld %s\n", (long long)n, weeks ? "weeks" : "days");
	}
}

/* ---- rules and examples ------------------------------------------------------- */

static const char *const fzg_verbs[] = {"recommend", "hold", "defer", "order", "monitor", "refer", "alert"};

/* Writes one action; returns 1 if it applies whenever its rule fires
 * (no value that may be missing). */
static int fzg_action(fzg *g, const fzg_scope *sc, unsigned a)
{
	switch (fzg_pick(g, 10)) {
	case 0: fzg_put(g, "  then dose %u mg intravenous \"fixed dose %u\"\n", 1 + fzg_pick(g, 9), a); return 1;
	case 1:
		if (sc->ntable) {
			fzg_put(g, "  then dose (T%u) intravenous \"table dose %u\"\n", fzg_pick(g, sc->ntable), a);
			return 0;
		}
		break;
	case 2:
		fzg_put(g, "  then dose (");
		fzg_num(g, sc, 1);
		fzg_put(g, ") oral \"computed dose %u\"\n", a);
		return 0;
	case 3:
		if (sc->nsched) {
			fzg_put(g, "  then dose per S%u \"next dose %u\"\n", fzg_pick(g, sc->nsched), a);
			return 0;
		}
		break;
	default: break;
	}
	fzg_put(g, "  then %s \"action %u\"\n", fzg_verbs[fzg_pick(g, 7)], a);
	return 1;
}

static void fzg_rules(fzg *g, const fzg_scope *sc)
{
	unsigned mode = fzg_pick(g, 8), r, a;

	g->nrule = mode < 6 ? 1 + fzg_pick(g, 8) : mode == 6 ? 1 + fzg_u16(g) % 400 : 50 + fzg_pick(g, 100);
	g->rule_nact = fzg_alloc(g->nrule, sizeof(unsigned));
	g->rule_always = fzg_alloc(g->nrule, sizeof(int));
	for (r = 0; r < g->nrule && !g->full; r++) {
		unsigned nact = fzg_pick(g, 16) < 13 ? 1 + fzg_pick(g, 3) : 1 + fzg_u16(g) % 200;
		int always = fzg_pick(g, mode >= 6 ? 2 : 4) == 0;
		fzg_put(g, "rule R%u \"rule %u\"\n", r, r);
		if (!always) {
			fzg_put(g, "  when ");
			fzg_cond(g, sc, 3);
			fzg_put(g, "\n");
		}
		for (a = 0; a < nact; a++)
			always &= fzg_action(g, sc, a);
		fzg_cite(g);
		g->rule_nact[r] = nact;
		g->rule_always[r] = always;
	}
}

static void fzg_given(fzg *g, unsigned *err_input)
{
	unsigned n = fzg_pick(g, g->nnum), e = fzg_pick(g, g->nenum);
	fzg_put(g, "  given n%u = ", n);
	*err_input = n;
	if (g->num_ranged[n] && g->num_hi[n] < INT64_MAX - LR_DEC_SCALE && fzg_pick(g, 3) == 0) {
		fzg_dec(g, g->num_hi[n] + LR_DEC_SCALE); /* out of range */
		*err_input = n + 1000;
	} else {
		fzg_dec(g, g->num_lo[n]);
	}
	fzg_put(g, " mg, b%u = %s, d%u = 2024-0%u-1%u, e%u = e%u_v%u\n", fzg_pick(g, g->nbool),
		fzg_pick(g, 2) ? "true" : "false", fzg_pick(g, g->ndate), 1 + fzg_pick(g, 9), fzg_pick(g, 10), e, e,
		fzg_pick(g, g->enum_n[e]));
}

static void fzg_examples(fzg *g)
{
	unsigned n = fzg_pick(g, 3), k, err;
	for (k = 0; k < n; k++) {
		fzg_put(g, "example E%u \"example %u\"\n", k, k);
		fzg_given(g, &err);
		if (err >= 1000)
			fzg_put(g, "  expect error n%u\n", err - 1000);
		switch (fzg_pick(g, 4)) {
		case 0: fzg_put(g, "  expect not R%u\n", fzg_pick(g, g->nrule)); break;
		case 1: fzg_put(g, "  expect missing n%u\n", fzg_pick(g, g->nnum)); break;
		case 2: fzg_put(g, "  expect R%u dose %u mg\n", fzg_pick(g, g->nrule), 1 + fzg_pick(g, 9)); break;
		default: fzg_put(g, "  expect R%u\n", fzg_pick(g, g->nrule)); break;
		}
	}
}

/* The whole file: prose, then one rule block per kind of declaration. */
static void fzg_file(fzg *g)
{
	fzg_scope sc = {0, 0, 0, 0};
	unsigned k;

	fzg_put(g, "# Generated rule file\n\nProse.\n\n```rule\nsource G \"generated guideline\"\n```\n\n```rule\n");
	fzg_inputs(g);
	fzg_params(g);
	g->ntable = fzg_pick(g, 4);
	for (k = 0; k < g->ntable; k++)
		fzg_table(g, k);
	sc.ntable = g->ntable;
	fzg_lets(g, &sc);
	g->nsched = fzg_pick(g, 4);
	g->phases = fzg_alloc((size_t)g->nsched * FZG_PHASES, sizeof(fzg_phase));
	g->sched_nphase = fzg_alloc(g->nsched, sizeof(unsigned));
	g->sched_grace = fzg_alloc(g->nsched, sizeof(int64_t));
	for (k = 0; k < g->nsched; k++)
		fzg_schedule(g, &sc, k);
	sc.nsched = g->nsched;
	fzg_put(g, "```\n\n## Rules\n\n```rule\n");
	fzg_rules(g, &sc);
	fzg_put(g, "```\n\n```rule\n");
	fzg_examples(g);
	fzg_put(g, "```\n");
}

/* ---- checks against what was written ------------------------------------------ */

static unsigned fzg_index(const char *name, char prefix)
{
	return name && name[0] == prefix ? (unsigned)strtoul(name + 1, NULL, 10) : UINT32_MAX;
}

static void fzg_check_schedules(const fzg *g, const lr_ruleset *rs)
{
	uint32_t s, k;

	if (rs->nschedules != g->nsched)
		fzp_fail("%u schedules written, %u in the table", g->nsched, rs->nschedules);
	for (s = 0; s < rs->nschedules; s++) {
		const lr_schedule_def *sd = &rs->schedules[s];
		unsigned i = fzg_index(sd->name, 'S');
		if (i >= g->nsched || sd->nphases != g->sched_nphase[i])
			fzp_fail("schedule %s: unknown or wrong number of phases", sd->name);
		for (k = 0; k < sd->nphases; k++) {
			const lr_phase_def *p = &rs->phases[sd->first_phase + k];
			const fzg_phase *w = &g->phases[i * FZG_PHASES + k];
			if (p->every != w->every || p->bound != w->bound)
				fzp_fail("schedule %s phase %u: written every %lld for %lld, table has %ld for %ld", sd->name,
					 k, (long long)w->every, (long long)w->bound, (long)p->every, (long)p->bound);
		}
		if (sd->grace_days != (g->sched_grace[i] < 0 ? 0 : g->sched_grace[i]))
			fzp_fail("schedule %s: written overdue margin %lld days, table has %ld", sd->name,
				 (long long)g->sched_grace[i], (long)sd->grace_days);
	}
}

static lr_result fzg_res;
static lr_record fzg_rec;

/* Rules without a condition whose actions need no value fire for an
 * empty record, with every action, unless the result says it is full. */
static void fzg_check_always(const fzg *g, const lr_ruleset *rs)
{
	uint32_t r, k, total = 0;
	int rc;

	lr_record_init(&fzg_rec, rs);
	rc = fzp_eval(&fzg_res, rs, &fzg_rec);
	for (r = 0; r < rs->nrules; r++) {
		unsigned i = fzg_index(rs->rules[r].id, 'R'), seen = 0;
		if (i >= g->nrule || rs->rules[r].nactions != g->rule_nact[i])
			fzp_fail("rule %s: written with %u actions, table has %u", rs->rules[r].id,
				 i < g->nrule ? g->rule_nact[i] : 0, rs->rules[r].nactions);
		if (!g->rule_always[i])
			continue;
		total += g->rule_nact[i];
		for (k = 0; k < fzg_res.nactions; k++)
			seen += fzg_res.actions[k].rule == r;
		if (seen != g->rule_nact[i] && rc != LR_EFULL)
			fzp_fail("rule %s always fires with %u actions; %u reported (rc %d)", rs->rules[r].id,
				 g->rule_nact[i], seen, rc);
	}
	if (total > fzp_action_capacity(rs) && rc != LR_EFULL)
		fzp_fail("%u actions must fire, the result holds %u, but lr_eval returned %d", total,
			 fzp_action_capacity(rs), rc);
}

static void fzg_check(const lr_ruleset *rs, void *arg)
{
	const fzg *g = arg;
	if (g->full)
		return; /* the text was cut short: it is not what the counts say */
	if (rs->nrules != g->nrule)
		fzp_fail("%u rules written, %u in the table", g->nrule, rs->nrules);
	fzg_check_schedules(g, rs);
	fzg_check_always(g, rs);
}

static void fzg_free(fzg *g)
{
	free(g->buf);
	free(g->enum_n);
	free(g->num_lo);
	free(g->num_hi);
	free(g->num_ranged);
	free(g->rule_nact);
	free(g->rule_always);
	free(g->phases);
	free(g->sched_nphase);
	free(g->sched_grace);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fzg g;
	const char *dump = getenv("FZG_DUMP");

	fzg_config();
	memset(&g, 0, sizeof g);
	g.in = data;
	g.nin = size;
	fzg_file(&g);
	if (dump) {
		/* Reproducers: FZG_DUMP=file.md writes the generated rule file. */
		FILE *f = fopen(dump, "w");
		if (f) {
			fwrite(g.buf, 1, g.len, f);
			fclose(f);
		}
	}
	if (g.buf) {
		fzp_run(g.buf, g.len, fzg_check, &g);
		fzg_stats();
	}
	fzg_free(&g);
	return 0;
}
