/*
** gen_patients.c: prints N pseudo-random patients (JSON lines) for a rule
** set, to compare the generated table with the in-memory one.
**
**   gen_patients SEED N > patients.jsonl
**
** It is compiled against the generated table itself (-DRULESET=...,
** -include NAME.h), so it knows every input's name, type, declared range
** and enumeration values without parsing anything.  Random values alone
** would almost never land where rules disagree, so values are drawn
** towards the places where an off-by-one would show:
**
**  - numbers: range ends, table row edges of tables keyed directly by the
**    input, every constant of the rule code (comparison thresholds), each
**    of them exactly and one step (0.001 or 1e-9) to either side; else a
**    random value in range with 0 to 9 decimals;
**  - dates: one pivot date per patient (often a month end or Feb 29), and
**    every date input at pivot + a whole number of months or weeks + a
**    day or two, so anchors, last doses and evaluation dates line up on
**    phase boundaries; also plain random dates;
**  - absent keys and nulls; occasionally an out-of-range number, and
**    occasionally something malformed: wrong JSON type, an impossible
**    date, an unknown enumeration value or key, too many decimals, a
**    broken JSON line, a blank line, a non-object.
**
** Deterministic for a seed (xorshift64*), so a failure can be replayed.
*/
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "litrule.h"
#include "litrule_table.h"

#ifndef RULESET
#error "compile with -DRULESET=lr_ruleset_NAME -include NAME.h"
#endif

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(2685821657736338717);
}

/* Uniform-enough in [0, n). */
static uint64_t below(uint64_t n) { return n ? rnd() % n : 0; }
static int chance(int percent) { return (int)below(100) < percent; }

/* Special values per numeric input (fixed-point encoding). */
#define MAX_SPECIAL 512
typedef struct {
	int64_t v[MAX_SPECIAL];
	int n;
} specials;

static void add_special(specials *s, int64_t v)
{
	int i;
	for (i = 0; i < s->n; i++)
		if (s->v[i] == v)
			return;
	if (s->n < MAX_SPECIAL)
		s->v[s->n++] = v;
}

static void print_dec(int64_t v)
{
	char buf[40];
	lr_dec d;
	d.v = v;
	lr_dec_format(buf, sizeof buf, d);
	fputs(buf, stdout);
}

static void print_date(lr_date d)
{
	char buf[16];
	lr_date_format(buf, sizeof buf, d);
	printf("\"%s\"", buf);
}

static lr_date random_date(void)
{
	lr_date d;
	int y = 2018 + (int)below(14), m = 1 + (int)below(12);
	int dim = lr_date_days_in_month(y, m);
	/* Month ends a third of the time: that is where month arithmetic clamps. */
	int day = chance(33) ? dim : 1 + (int)below((uint64_t)dim);
	if (chance(5)) {
		y = 2020 + 4 * (int)below(3);
		m = 2;
		day = 29;
	}
	lr_date_from_ymd(&d, y, m, day);
	return d;
}

static lr_date near(lr_date pivot)
{
	lr_date d = pivot;
	static const int months[] = {0, 1, 3, 6, 12, 24, 36, -1, -3, -6, -24};
	switch (below(4)) {
	case 0: /* whole months from the pivot: phase ends, "within N months" */
		lr_date_add_months(&d, pivot, months[below(sizeof months / sizeof months[0])]);
		break;
	case 1: /* whole weeks: q4w / q12w due dates */
		lr_date_add_days(&d, pivot, 7 * ((int64_t)below(160) - 40));
		break;
	case 2:
		lr_date_add_days(&d, pivot, (int64_t)below(1500) - 750);
		break;
	default:
		break;
	}
	if (chance(40))
		lr_date_add_days(&d, d, (int64_t)below(5) - 2);
	return d;
}

/* A random number inside [lo, hi] with 0 to 9 decimals. */
static int64_t random_in(int64_t lo, int64_t hi)
{
	static const int64_t steps[] = {INT64_C(1000000000), INT64_C(100000000), INT64_C(10000000),
					INT64_C(1000000), INT64_C(1000), INT64_C(1)};
	int64_t step = steps[below(sizeof steps / sizeof steps[0])], v;
	uint64_t span = (uint64_t)(hi - lo);
	v = lo + (int64_t)(span ? rnd() % (span + 1) : 0);
	v -= v % step;
	if (v < lo)
		v += step;
	return v > hi ? hi : v;
}

static void malformed(const lr_input_def *in)
{
	switch (below(7)) {
	case 0: fputs(in->type == LR_T_BOOL ? "\"yes\"" : "true", stdout); break;
	case 1: fputs("[1]", stdout); break;
	case 2: fputs(in->type == LR_T_DATE ? "\"2023-02-29\"" : "{}", stdout); break;
	case 3: fputs(in->type == LR_T_ENUM ? "\"no-such-value\"" : "\"12,5\"", stdout); break;
	case 4: fputs(in->type == LR_T_NUM ? "\"1.0000000001\"" : "\"\"", stdout); break;
	case 5: fputs(in->type == LR_T_NUM ? "1e300" : "0", stdout); break;
	default: fputs(in->type == LR_T_DATE ? "\"2024-2-1\"" : "-0.5", stdout); break;
	}
}

int main(int argc, char **argv)
{
	const lr_ruleset *rs = &RULESET;
	specials *sp;
	uint32_t i, k;
	long n, p;

	if (argc != 3) {
		fprintf(stderr, "usage: gen_patients SEED N\n");
		return 2;
	}
	rng_state = strtoull(argv[1], NULL, 10) * UINT64_C(0x9E3779B97F4A7C15) + 1;
	n = strtol(argv[2], NULL, 10);
	sp = calloc(rs->ninputs ? rs->ninputs : 1, sizeof *sp);
	if (!sp)
		return 2;

	/* Interesting values: range ends, row edges, code constants. */
	for (i = 0; i < rs->ninputs; i++) {
		const lr_input_def *in = &rs->inputs[i];
		if (in->type != LR_T_NUM)
			continue;
		if (in->has_range) {
			add_special(&sp[i], in->lo);
			add_special(&sp[i], in->hi);
		}
		for (k = 0; k < rs->nconsts; k++)
			add_special(&sp[i], rs->consts[k]);
	}
	for (i = 0; i < rs->ntables; i++) {
		const lr_table_def *t = &rs->tables[i];
		uint32_t in;
		if (t->key.len != 1 || rs->code[t->key.start].op != LR_OP_INPUT)
			continue;
		in = (uint32_t)rs->code[t->key.start].arg;
		for (k = 0; k < t->nrows; k++) {
			const lr_row_def *r = &rs->rows[t->first_row + k];
			if (!r->lo_inf)
				add_special(&sp[in], r->lo);
			if (!r->hi_inf)
				add_special(&sp[in], r->hi);
		}
	}
	for (i = 0; i < rs->ninputs; i++) {
		int m, base = sp[i].n;
		for (m = 0; m < base; m++) {
			static const int64_t d[] = {INT64_C(1), INT64_C(1000000)};
			for (k = 0; k < 2; k++) {
				add_special(&sp[i], sp[i].v[m] - d[k]);
				add_special(&sp[i], sp[i].v[m] + d[k]);
			}
		}
	}

	for (p = 0; p < n; p++) {
		lr_date pivot = random_date();
		int first = 1;
		/* At most one deliberately bad value per patient, so most patients
		 * are evaluated: 8% out of range (numbers), 4% malformed. */
		long bad = chance(12) ? (long)below(rs->ninputs) : -1;
		int bad_range = chance(67);

		/* Lines that are not patients at all: eval must number them too. */
		if (chance(1)) {
			switch (below(4)) {
			case 0: puts(""); break;
			case 1: puts("{\"age\": 60,"); break;
			case 2: puts("[]"); break;
			default: puts("{\"age\": 60, \"age\": 61}"); break;
			}
			continue;
		}
		putchar('{');
		for (i = 0; i < rs->ninputs; i++) {
			const lr_input_def *in = &rs->inputs[i];
			if (chance(15))
				continue; /* absent */
			printf("%s\"%s\": ", first ? "" : ", ", in->name);
			first = 0;
			if (chance(3)) {
				fputs("null", stdout);
				continue;
			}
			if (bad == (long)i && (!bad_range || in->type != LR_T_NUM || !in->has_range)) {
				malformed(in);
				continue;
			}
			switch (in->type) {
			case LR_T_BOOL:
				fputs(chance(50) ? "true" : "false", stdout);
				break;
			case LR_T_ENUM:
				printf("\"%s\"", in->nvalues ? in->values[below(in->nvalues)] : "");
				break;
			case LR_T_DATE:
				print_date(chance(80) ? near(pivot) : random_date());
				break;
			default: {
				int64_t lo = in->has_range ? in->lo : INT64_C(-1000000000000);
				int64_t hi = in->has_range ? in->hi : INT64_C(1000000000000);
				int64_t v;
				int as_string = chance(10);
				if (chance(45) && sp[i].n)
					v = sp[i].v[below((uint64_t)sp[i].n)];
				else
					v = random_in(lo, hi);
				/* Constants of other types (dates, masks) and the steps
				 * beside the range ends fall outside the range: keep
				 * those for the deliberately bad patients. */
				if (v < lo || v > hi)
					v = random_in(lo, hi);
				if (bad == (long)i) {
					static const int64_t off[] = {INT64_C(1), INT64_C(1000000), INT64_C(1000000000)};
					int64_t d = off[below(3)];
					v = chance(50) ? lo - d : hi + d;
				}
				if (as_string)
					putchar('"');
				print_dec(v);
				if (as_string)
					putchar('"');
				break;
			}
			}
		}
		if (chance(1))
			printf("%s\"no_such_input\": 1", first ? "" : ", ");
		puts("}");
	}
	free(sp);
	return 0;
}
