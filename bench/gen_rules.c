/*
** gen_rules.c: writes a large, valid rule file for the `check` benchmark.
**
**   gen_rules [N]        N rules (default 10,000) on standard output
**
** The file uses every construct of the language, in the proportions of a
** real guideline: per group of ten rules, a section with its own inputs
** (all four kinds), params (cited and committee), lets (numeric with a
** unit, an empirical formula with 'as', yes/no, date arithmetic), a
** decision table (alternating hit unique / hit first), a schedule
** (alternating month and dose phases), ten rules using every verb, every
** dose form and every kind of condition, and an example with every kind
** of expectation.  The output must check clean (bench/run.sh verifies
** that), so the benchmark measures the whole front end, not an early
** error exit.  Deterministic: the same N gives the same bytes.
*/
#include <stdio.h>
#include <stdlib.h>

static const char *const verbs[] = {"recommend", "hold", "defer", "order", "monitor", "refer", "alert"};

static void group(int g, int nrules)
{
	int r;

	printf("## Section %d\n\nProse between blocks, as in a guideline.\n\n```rule\n", g);
	printf("input crcl%d: number in mL/min, from 0 to 250 \"creatinine clearance\"\n", g);
	printf("input age%d: number in years, from 18 to 120 \"age\"\n", g);
	printf("input wt%d: number in kg, from 20 to 300 \"weight\"\n", g);
	printf("input scr%d: number in mg/dL, from 0.1 to 20 \"serum creatinine\"\n", g);
	printf("input stage%d: one of early, advanced, metastatic \"stage\"\n", g);
	printf("input preg%d: bool \"pregnant\"\n", g);
	printf("input start%d: date \"first dose\"\ninput last%d: date \"last dose\"\n", g, g);
	printf("input today%d: date \"review date\"\n", g);
	printf("input n%d: number in doses, from 0 to 500 \"doses given\"\n", g);
	printf("param lim%d = 30 mL/min \"limit\"  # threshold\n  cite G at \"2.%d\" quote \"below 30 mL/min\"\n", g, g);
	printf("param old%d = 75 years \"review age\"\n  committee \"local choice\"\n", g);
	printf("let cg%d in mL/min = ((140 - age%d) * wt%d / (72 * scr%d)) as mL/min \"Cockcroft-Gault\"\n", g, g, g, g);
	printf("let k%d in mL/min = crcl%d otherwise cg%d \"measured, else estimated\"\n", g, g, g);
	printf("let low%d = k%d < lim%d \"impaired\"\n", g, g, g);
	printf("let review%d = start%d + 24 months - 3 days \"review date\"\n", g, g);
	printf("table dose%d \"dose\"\n  by k%d, hit %s\n", g, g, g % 2 ? "first" : "unique");
	printf("  row above 60 gives 4.0 mg\n  row 50 to 60 gives 3.5 mg\n  row 40 to below 50 gives 3.3 mg\n");
	printf("  row 30 to below 40 gives 3.0 mg\n  row below 30 gives nothing\n");
	printf("  cite G at \"Table %d\" quote \"reduced doses\"\n", g);
	if (g % 2)
		printf("schedule s%d \"schedule\"\n  drug x %d mg subcutaneous q4w for 24 months then q12w\n", g, g % 50 + 1);
	else
		printf("schedule s%d \"schedule\"\n  drug x %d mg intravenous every 2 weeks for 3 doses then every 8 weeks\n"
		       "  counting n%d\n", g, g % 50 + 1, g);
	printf("  anchored at start%d\n  last dose on last%d\n  evaluated on today%d\n  overdue after 7 days\n", g, g, g);
	for (r = 0; r < nrules; r++) {
		int id = g * 10 + r;
		printf("rule R%d \"rule %d\"\n", id, id);
		switch (r % 5) {
		case 0:
			printf("  when low%d and not preg%d and stage%d is one of early, advanced\n", g, g, g);
			break;
		case 1:
			printf("  when age%d between 18 and %d or (if preg%d then k%d else cg%d) >= %d mL/min\n", g,
			       60 + r, g, g, g, 30 + r);
			break;
		case 2:
			printf("  when today%d within 3 months before review%d and start%d on or before today%d\n", g, g, g, g);
			break;
		case 3:
			printf("  when s%d is overdue or scr%d is missing or stage%d is not metastatic or n%d > 3\n", g, g, g, g);
			break;
		default:
			printf("  when age%d >= old%d and wt%d * 2 > 100 kg and preg%d is false\n", g, g, g, g);
			break;
		}
		if (r % 3 == 0)
			printf("  then dose (dose%d) intravenous \"dose for kidney function\"\n", g);
		else if (r % 3 == 1)
			printf("  then dose per s%d \"next dose\"\n", g);
		else
			printf("  then dose %d mg oral \"fixed dose\"\n", r + 1);
		printf("  then %s \"action text \" \"continued\"\n", verbs[id % 7]);
		printf("  cite G at \"%d.%d\" quote \"recommendation\"\n", g, r);
	}
	printf("example E%d \"example\"\n", g);
	printf("  given crcl%d = 68 mL/min, age%d = 70, wt%d = 72 kg, stage%d = early, preg%d = false,\n", g, g, g, g, g);
	printf("    start%d = 2024-01-31, last%d = 2025-02-28, today%d = 2025-03-01\n", g, g, g);
	printf("  expect R%d\n  expect not R%d\n  expect R%d dose 4.0 mg\n", g * 10, g * 10 + 1, g * 10);
	printf("  expect R%d due 2025-05-23 phase q12w\n  expect missing scr%d\n  expect error n%d\n", g * 10 + 1, g, g);
	printf("```\n\n");
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10000;
	int g;

	if (n < 1 || n > 10000000) {
		fprintf(stderr, "usage: gen_rules [N]   (1 <= N <= 10000000)\n");
		return 2;
	}
	printf("# Generated benchmark rule set: %ld rules\n\n```rule\nsource G \"Benchmark guideline\" year 2024\n```\n\n", n);
	for (g = 0; (long)g * 10 < n; g++)
		group(g, n - (long)g * 10 >= 10 ? 10 : (int)(n - (long)g * 10));
	return 0;
}
