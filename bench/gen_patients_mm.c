/*
** gen_patients_mm.c: prints N realistic patients (JSON lines) for the
** bone-protection rule book (rules/mm-bone-protection.md), for the batch
** benchmark of `litrule eval --jsonl` in bench/run.sh.
**
**   gen_patients_mm SEED N > patients.jsonl
**
** The batch figure should describe a clinic's data, not a fuzzer's, so the
** values are plausible and always within the book's declared ranges (no
** patient is rejected, and the exit status of `litrule eval` stays 0):
** adult ages, body weights, creatinine mostly near normal, dates around
** an evaluation date with a dosing history that follows the schedules.
** About one key in ten is left out, as real records have gaps, so the
** missing-data paths are exercised too.  (tests/codegen/gen_patients.c
** is the adversarial generator: edge values and malformed lines, which
** is what a correctness test wants and a speed figure does not.)
**
** Deterministic for a seed (xorshift64*); needs only libc.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(2685821657736338717);
}

/* Uniform in [lo, hi]. */
static long between(long lo, long hi) { return lo + (long)(rnd() % (uint64_t)(hi - lo + 1)); }
static int chance(int percent) { return (int)(rnd() % 100) < percent; }

/* Day number (days since 1970-01-01) to YYYY-MM-DD: Hinnant's civil_from_days. */
static void put_date(FILE *f, long z)
{
	long era, doe, yoe, doy, mp, d, m, y;
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y = yoe + era * 400 + (m <= 2);
	fprintf(f, "\"%04ld-%02ld-%02ld\"", y, m, d);
}

/* One JSON line; keys are written only when present (absent = unknown). */
typedef struct {
	FILE *f;
	int n;
} line;

static int keep(void) { return !chance(10); } /* about one key in ten is missing */

static void key(line *l, const char *name)
{
	fprintf(l->f, "%s\"%s\":", l->n++ ? "," : "{", name);
}

static void date_field(line *l, const char *name, long day)
{
	if (!keep())
		return;
	key(l, name);
	put_date(l->f, day);
}

static void bool_field(line *l, const char *name, int v)
{
	if (!keep())
		return;
	key(l, name);
	fputs(v ? "true" : "false", l->f);
}

static void enum_field(line *l, const char *name, const char *v)
{
	if (!keep())
		return;
	key(l, name);
	fprintf(l->f, "\"%s\"", v);
}

/* A decimal with the given number of hundredths, e.g. 123 -> 1.23. */
static void hundredths_field(line *l, const char *name, long h)
{
	if (!keep())
		return;
	key(l, name);
	fprintf(l->f, "%ld.%02ld", h / 100, h % 100);
}

int main(int argc, char **argv)
{
	static const char *const agents[] = {"none", "denosumab", "zoledronic_acid", "pamidronate"};
	long n, i;
	/* Evaluation dates spread over 2024-2025 (2024-01-01 is day 19723). */
	const long day0 = 19723;

	if (argc != 3) {
		fprintf(stderr, "usage: gen_patients_mm SEED N\n");
		return 2;
	}
	rng_state = strtoull(argv[1], NULL, 10) * UINT64_C(0x9E3779B97F4A7C15) + 1;
	n = strtol(argv[2], NULL, 10);
	for (i = 0; i < n; i++) {
		line l = {stdout, 0};
		long today = day0 + between(0, 730);
		int newly = chance(25);
		/* Mostly on treatment; a newly diagnosed patient may have no agent yet. */
		int agent = newly && chance(40) ? 0 : chance(8) ? 0 : (int)between(1, 3);
		long bscr = between(60, 250); /* baseline creatinine, hundredths of mg/dL */
		long scr = bscr + between(-20, chance(15) ? 150 : 40);

		if (scr < 10)
			scr = 10;
		date_field(&l, "today", today);
		bool_field(&l, "newly_diagnosed", newly);
		date_field(&l, "anti_mm_start", newly ? today + between(-30, 30) : today - between(60, 2000));
		enum_field(&l, "agent", agents[agent]);
		if (agent != 0) {
			/* First dose up to three years ago (or planned within a month);
			 * the last dose one to a few intervals before today. */
			long first = today - (chance(10) ? -between(0, 30) : between(0, 1100));
			long last = today - between(0, 120);
			date_field(&l, "first_dose", first);
			if (first <= today) /* a planned first dose has no last dose yet */
				date_field(&l, "last_dose", last >= first ? last : first);
			if (chance(10))
				date_field(&l, "stop_date", today + between(-200, 60));
		}
		hundredths_field(&l, "age_years", between(40, 92) * 100);
		hundredths_field(&l, "weight_kg", between(4500, 12000));
		enum_field(&l, "sex", chance(50) ? "male" : "female");
		hundredths_field(&l, "scr_mg_dl", scr);
		hundredths_field(&l, "baseline_scr_mg_dl", bscr);
		if (chance(40))
			hundredths_field(&l, "crcl_ml_min", between(1500, 14000));
		bool_field(&l, "dialysis", chance(3));
		hundredths_field(&l, "calcium_mg_dl", between(750, 1250));
		hundredths_field(&l, "albumin_g_dl", between(250, 500));
		hundredths_field(&l, "vitamin_d_ng_ml", between(800, 6000));
		if (chance(70))
			date_field(&l, "dental_exam", today - between(20, 400));
		{
			int invasive = chance(10);
			bool_field(&l, "invasive_dental_planned", invasive);
			if (invasive)
				bool_field(&l, "dental_emergency", chance(20));
			if (invasive && chance(60)) /* a procedure date, else the rules take today */
				date_field(&l, "dental_procedure_date", today + between(-10, 400));
		}
		enum_field(&l, "response", chance(50) ? "vgpr_or_better" : "less_than_vgpr");
		bool_field(&l, "cardiac_amyloidosis", chance(10));
		bool_field(&l, "renal_hold", chance(10));
		fputs(l.n ? "}\n" : "{}\n", stdout);
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
