/*
** reference_mm.c: a hand-written C implementation of the 48 rules of
** rules/mm-bone-protection.md, for bench/bench_eval.c.
**
** The benchmark compares the table-driven runtime (lr_eval over the
** generated table) with this function, which is what a programmer would
** write by hand for the same rule book: the conditions as C expressions,
** int64 fixed point (scale 1e9) for the numbers, day numbers for dates.
** It is "the reference for what the hardware can do", so it is written for
** speed, but it must decide exactly what the table decides; bench_eval
** refuses to time it unless it agrees with lr_eval on every patient.
**
** How the rule book's semantics map onto plain C:
**
**  - Three-valued logic.  A rule fires only when its condition is
**    definitely true.  An "and" is definitely true iff every operand is,
**    and an "or" iff some operand is (Kleene: "true or unknown" is true),
**    so for conditions built from and/or the test "definitely true" is
**    just C's && and || over "definitely true" operands, where a
**    comparison is definitely true only when its operands are known.
**    Only "not" needs the full three values ("not unknown" is unknown,
**    not true), and the book uses it in one place, renal_stable; there
**    the values are kept as two-bit sets {may be true, may be false}.
**  - Exact decimals.  Additions, subtractions and comparisons of fixed
**    point integers are exact.  Products that can have more than nine
**    fractional digits round half to even at the ninth digit, exactly
**    like lr_dec_mul (mul_const below); Cockcroft-Gault's two general
**    products/quotients call lr_dec_mul and lr_dec_div themselves.
**  - Dates.  Month arithmetic keeps the day and clamps it to the target
**    month's length (Hinnant's civil algorithms, as in runtime/date.c);
**    a result outside years 1..9999 makes the value unknown, so the rules
**    that need it do not fire (the runtime reports an error for them).
**    Where such a date cannot change the outcome ("false and X", "true
**    or X") it is not computed, as Kleene logic says; bench_eval's dates
**    (2023-2027) never come near those limits.
**  - Schedules.  Each schedule has one open-ended interval (the monthly
**    one, or the stepped-down one after a confirmed step-down: the dose
**    rules choose by step_down_confirmed), so next due is the last dose
**    plus that interval.  The runtime needs the anchor (first_dose), the
**    last dose and the evaluation date (today) to be known before it
**    reports a schedule, so the dosing rules need them too.
**  - The missing-input list.  lr_eval also lists the absent inputs the
**    rules needed (lr_result.missing); the reference produces the same
**    list (ref_missing: the rules in three values, with sets of absent
**    inputs), so the comparison covers everything lr_eval computes.
**
** Rule indices are declaration order in the book (R01a = 0 ... R25b =
** 47); ref_setup checks them, the enumeration values and the declared
** ranges against the table, so an edit to the book that this file does
** not follow fails loudly instead of benchmarking something else.
*/
#include <string.h>

#include "litrule.h"
#include "litrule_table.h"
#include "reference.h"

/* ---- the book's inputs ---------------------------------------------------- */

enum {
	IN_TODAY, IN_NEWLY_DIAGNOSED, IN_ANTI_MM_START, IN_AGENT, IN_FIRST_DOSE, IN_LAST_DOSE,
	IN_STOP_DATE, IN_AGE, IN_WEIGHT, IN_SEX, IN_SCR, IN_BASELINE_SCR, IN_CRCL_MEASURED,
	IN_DIALYSIS, IN_CALCIUM, IN_ALBUMIN, IN_VITAMIN_D, IN_DENTAL_EXAM, IN_INVASIVE_DENTAL,
	IN_DENTAL_EMERGENCY, IN_RESPONSE, IN_CARDIAC_AMYLOIDOSIS, IN_RENAL_HOLD, IN_PREVIOUS_AGENT,
	IN_PREVIOUS_LAST_DOSE, IN_STEP_DOWN_CONFIRMED,
	IN_DENTAL_DATE, IN__COUNT
};

static const char *const input_names[IN__COUNT] = {
	"today", "newly_diagnosed", "anti_mm_start", "agent", "first_dose", "last_dose",
	"stop_date", "age_years", "weight_kg", "sex", "scr_mg_dl", "baseline_scr_mg_dl", "crcl_ml_min",
	"dialysis", "calcium_mg_dl", "albumin_g_dl", "vitamin_d_ng_ml", "dental_exam",
	"invasive_dental_planned", "dental_emergency", "response", "cardiac_amyloidosis", "renal_hold",
	"previous_agent", "previous_last_dose", "step_down_confirmed",
	"dental_procedure_date"
};

/* Index of each input in the table's record, found once by name. */
static uint32_t ix[IN__COUNT];

/* Enumeration values, in the order the book declares them. */
enum { AGENT_NONE, AGENT_DENOSUMAB, AGENT_ZOLEDRONIC_ACID, AGENT_PAMIDRONATE, AGENT__COUNT };
enum { SEX_MALE, SEX_FEMALE, SEX__COUNT };
enum { RESP_VGPR_OR_BETTER, RESP_LESS_THAN_VGPR, RESP__COUNT };

/* Decimal constants (value * 1e9). */
#define D(whole, nanos) (INT64_C(whole) * LR_DEC_SCALE + INT64_C(nanos))

/* Declared ranges of the numeric inputs ("from LO to HI", inclusive). */
#define AGE_LO D(18, 0)
#define AGE_HI D(110, 0)
#define WEIGHT_LO D(25, 0)
#define WEIGHT_HI D(250, 0)
#define SCR_LO D(0, 100000000)
#define SCR_HI D(20, 0)
#define CRCL_LO D(0, 0)
#define CRCL_HI D(250, 0)
#define CALCIUM_LO D(2, 0)
#define CALCIUM_HI D(20, 0)
#define ALBUMIN_LO D(0, 500000000)
#define ALBUMIN_HI D(7, 0)
#define VITD_LO D(0, 0)
#define VITD_HI D(250, 0)

/* Params of the book. */
#define SCR_NORMAL_LIMIT D(1, 400000000)
#define SCR_RISE_NORMAL D(0, 500000000)
#define SCR_RISE_ABNORMAL D(1, 0)
#define PAM_SEVERE_CRCL D(30, 0)
#define CA_LLN D(8, 500000000)
#define CA_ULN D(10, 800000000)
#define VITD_DEFICIENT D(20, 0)
#define VITD_SUFFICIENT D(30, 0)
#define SYNC_TOLERANCE_DAYS 0
#define IMWG_MIN_MONTHLY 12
#define DENTAL_LEAD_MONTHS 3
#define PRE_DOSE_DENTAL_WINDOW_MONTHS 3
#define POST_STOP_DENTAL_MONTHS 6
#define MONTHLY_PHASE_MONTHS 24 /* R03, R04, R08c: "first_dose + 24 months" */
#define CG_SCR_FLOOR D(0, 800000000)
#define CG_MAX_WEIGHT D(120, 0)
#define CA_SEVERE_LOW D(7, 0)
#define DMAB_OVERDUE_MARGIN_DAYS 28
#define DMAB_REBOUND_WINDOW_MONTHS 12

/* Rule indices: declaration order in the book (checked by ref_setup). */
enum {
	R01a, R01b, R01c, R02, R03, R04, R05a, R05b, R06a, R06b, R07a, R07b, R08a, R08b, R08c, R09, R10a,
	R10b, R11a, R11b, R12a, R12b, R12c, R12d, R13, R14, R15, R16a, R16b, R16c, R16d, R17a, R17b,
	R18, R19a, R19b, R20, R21, R22a, R22b, R23a, R23b, R23c, R24a, R24b, R24c, R25a, R25b, NRULES
};

static const char *const rule_ids[NRULES] = {
	"R01a", "R01b", "R01c", "R02", "R03", "R04", "R05a", "R05b", "R06a", "R06b", "R07a", "R07b",
	"R08a", "R08b", "R08c", "R09", "R10a", "R10b", "R11a", "R11b", "R12a", "R12b", "R12c", "R12d",
	"R13", "R14", "R15", "R16a", "R16b", "R16c", "R16d", "R17a", "R17b", "R18", "R19a", "R19b",
	"R20", "R21", "R22a", "R22b", "R23a", "R23b", "R23c", "R24a", "R24b", "R24c", "R25a", "R25b"
};

/* ---- exact decimal helpers ------------------------------------------------- */

/*
** x * (num / den) rounded half to even, i.e. lr_dec_mul(x, c) for a constant
** c = num/den * 1e9 with few digits (0.8 = 8/10, 1.1 = 11/10, 0.85 =
** 85/100).  The caller keeps |x * num| within int64 (inputs are range
** checked).  Rounding is done on the magnitude, which is half-even on the
** signed value, as in runtime/dec.c.
*/
static int64_t mul_const(int64_t x, int64_t num, int64_t den)
{
	int neg = x < 0;
	int64_t p = (neg ? -x : x) * num, q = p / den, r = p % den;
	if (2 * r > den || (2 * r == den && (q & 1)))
		q++;
	return neg ? -q : q;
}

/* ---- civil dates (Howard Hinnant's algorithms, as runtime/date.c) -------- */

#define DATE_MIN (-719162) /* 0001-01-01 */
#define DATE_MAX 2932896   /* 9999-12-31 */

static int32_t days_from_civil(int32_t y, int32_t m, int32_t d)
{
	int32_t era, yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int32_t z, int32_t *y, int32_t *m, int32_t *d)
{
	int32_t era, doe, yoe, doy, mp;
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static int32_t days_in_month(int32_t y, int32_t m)
{
	static const int8_t len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return len[m - 1] + (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

/* d + n months, day clamped to the target month; 0 when outside years 1..9999. */
static int add_months(lr_date *out, lr_date d, int32_t n)
{
	int32_t y, m, day, total, dim;
	civil_from_days(d, &y, &m, &day);
	total = y * 12 + (m - 1) + n;
	if (total < 12 || total >= 10000 * 12)
		return 0;
	y = total / 12;
	m = total % 12 + 1;
	dim = days_in_month(y, m);
	*out = days_from_civil(y, m, day > dim ? dim : day);
	return 1;
}

/* d + n days; 0 when outside years 1..9999. */
static int add_days(lr_date *out, lr_date d, int32_t n)
{
	int64_t r = (int64_t)d + n;
	if (r < DATE_MIN || r > DATE_MAX)
		return 0;
	*out = (lr_date)r;
	return 1;
}

/* ---- three-valued values, for the one place "not" needs them ------------- */
/* A set of possible truth values: bit 0 "may be true", bit 1 "may be false". */
#define T3 1
#define F3 2
#define U3 3
#define AND3(a, b) ((((a) & (b)) & T3) | (((a) | (b)) & F3))
#define OR3(a, b) ((((a) | (b)) & T3) | (((a) & (b)) & F3))
/* A comparison: unknown unless its operands are known. */
#define CMP3(known, cond) ((known) ? ((cond) ? T3 : F3) : U3)

/* ---- the missing-input list ------------------------------------------------
** lr_eval lists, in rule order, every absent input a rule needed to decide
** (its condition unknown, or a value of its actions unknown), each input
** once, with the first rule that needed it.  Which inputs a rule "needed"
** follows Kleene logic: an unknown "a and b" needs the absent inputs of
** those operands that are not known (a false operand decides it: nothing is
** needed); "a otherwise b" needs both only when neither is known; an "if"
** whose test is unknown needs the test's inputs.  That is the three-valued
** evaluation below, on values that carry the set of absent inputs they
** depend on (bits are the table's input indices, ix[]).  ref_eval decides
** what fires on plain C values; this pass only runs when some input is
** absent (most patients), and each rule stops at its first operand that is
** known to be false (most rules: the agent test), so it stays cheap. */

/* A three-valued value: k 1 known (v), 0 missing, -1 not applicable (an
 * error or a table without a value for the key); m: the absent inputs a
 * value that is not known depends on. */
typedef struct {
	int k;
	int64_t v;
	uint64_t m;
} tv;

/* The helpers are a few instructions each: inlined, the rules compile to
 * straight-line tests on registers. */
#if defined(__GNUC__)
#define TV_INLINE static inline __attribute__((always_inline))
#else
#define TV_INLINE static inline
#endif

static const tv TV_TRUE = {1, 1, 0};
static uint64_t bit[IN__COUNT];
/* The inputs each rule reads, directly or through derived values, as
 * table bits: a rule none of whose inputs is absent is decided and needs
 * nothing, so the pass skips it.  They are the table's read sets
 * (lr_rule_def.first_read), which a programmer would otherwise write down
 * by hand; taken from the table they cannot fall out of step with it. */
static uint64_t reads[NRULES];

TV_INLINE tv tv_known(int64_t v)
{
	tv r = {1, v, 0};
	return r;
}

TV_INLINE tv tv_na(void)
{
	tv r = {-1, 0, 0};
	return r;
}

/* The result of an operation with an operand that is not known. */
TV_INLINE tv tv_unknown2(tv a, tv b)
{
	tv r;
	r.k = (a.k == 0 || b.k == 0) ? 0 : -1;
	r.v = 0;
	r.m = (a.k != 1 ? a.m : 0) | (b.k != 1 ? b.m : 0);
	return r;
}

enum { CMP_LT, CMP_LE, CMP_GT, CMP_GE, CMP_EQ, CMP_NE };

TV_INLINE tv tv_cmp(tv a, int op, tv b)
{
	if (a.k != 1 || b.k != 1)
		return tv_unknown2(a, b);
	switch (op) {
	case CMP_LT: return tv_known(a.v < b.v);
	case CMP_LE: return tv_known(a.v <= b.v);
	case CMP_GT: return tv_known(a.v > b.v);
	case CMP_GE: return tv_known(a.v >= b.v);
	case CMP_EQ: return tv_known(a.v == b.v);
	default: return tv_known(a.v != b.v);
	}
}

TV_INLINE int tv_false(tv a)
{
	return a.k == 1 && !a.v;
}

TV_INLINE tv tv_and(tv a, tv b)
{
	if (tv_false(a) || tv_false(b))
		return tv_known(0);
	if (a.k == 1 && b.k == 1)
		return tv_known(1);
	return tv_unknown2(a, b);
}

TV_INLINE tv tv_or(tv a, tv b)
{
	if ((a.k == 1 && a.v) || (b.k == 1 && b.v))
		return tv_known(1);
	if (a.k == 1 && b.k == 1)
		return tv_known(0);
	return tv_unknown2(a, b);
}

TV_INLINE tv tv_not(tv a)
{
	if (a.k == 1)
		a.v = !a.v;
	return a;
}

TV_INLINE tv tv_coalesce(tv a, tv b)
{
	if (a.k == 1)
		return a;
	if (b.k == 1)
		return b;
	return tv_unknown2(a, b);
}

/* date + n months / days (n known), as ref_eval's helpers. */
TV_INLINE tv tv_add_months(tv d, int32_t n)
{
	lr_date r;
	if (d.k != 1)
		return d;
	return add_months(&r, (lr_date)d.v, n) ? tv_known(r) : tv_na();
}

TV_INLINE tv tv_add_days(tv d, tv n)
{
	lr_date r;
	if (d.k != 1 || n.k != 1)
		return tv_unknown2(d, n);
	return add_days(&r, (lr_date)d.v, (int32_t)n.v) ? tv_known(r) : tv_na();
}

/* "a within n months after b": b <= a <= b + n months; "before": b - n months <= a <= b. */
TV_INLINE tv tv_within_after(tv a, int32_t n, tv b)
{
	tv lo = tv_cmp(b, CMP_LE, a);
	if (tv_false(lo))
		return lo;
	return tv_and(lo, tv_cmp(a, CMP_LE, tv_add_months(b, n)));
}

TV_INLINE tv tv_within_before(tv a, int32_t n, tv b)
{
	tv lo = tv_cmp(tv_add_months(b, -n), CMP_LE, a);
	if (tv_false(lo))
		return lo;
	return tv_and(lo, tv_cmp(a, CMP_LE, b));
}

/* One operand of a rule's "and" chain: false ends the rule (0). */
TV_INLINE int step(tv *acc, tv x)
{
	if (tv_false(x))
		return 0;
	*acc = tv_and(*acc, x);
	return 1;
}

/* The patient's inputs as three-valued values, and the derived values
 * (lets) the rules share, computed once per patient; the expensive ones
 * (clearance, renal, calcium, dental) on first use. */
typedef struct {
	const uint8_t *st;
	const int64_t *v;
	tv continuing, on_treatment, bp_candidate, pre_start, step_down, ag_den, ag_za, ag_pam, ag_bp, ag_any;
	int have_crcl, have_renal, have_cc, have_dental;
	tv crcl, renal_stable, rd, ru, rh_clear, cc, dental_date, risk_window;
} tv_patient;

/* Input i: known with its value, or missing with itself as the set. */
TV_INLINE tv tv_in(const tv_patient *p, int i)
{
	tv r;
	r.k = p->st[ix[i]] != 0;
	r.v = p->v[ix[i]];
	r.m = r.k ? 0 : bit[i];
	return r;
}

TV_INLINE tv in_eq(const tv_patient *p, int i, int64_t v)
{
	return tv_cmp(tv_in(p, i), CMP_EQ, tv_known(v));
}

TV_INLINE tv probe(const tv_patient *p, int i)
{
	return tv_known(p->st[ix[i]] != 0);
}

static void tv_setup(tv_patient *p, const lr_record *rec)
{
	p->st = rec->state;
	p->v = rec->v;
	/* continuing = stop_date is missing or today before stop_date */
	p->continuing = tv_or(tv_not(probe(p, IN_STOP_DATE)), tv_cmp(tv_in(p, IN_TODAY), CMP_LT, tv_in(p, IN_STOP_DATE)));
	p->ag_any = tv_cmp(tv_in(p, IN_AGENT), CMP_NE, tv_known(AGENT_NONE));
	p->ag_den = in_eq(p, IN_AGENT, AGENT_DENOSUMAB);
	p->ag_za = in_eq(p, IN_AGENT, AGENT_ZOLEDRONIC_ACID);
	p->ag_pam = in_eq(p, IN_AGENT, AGENT_PAMIDRONATE);
	p->ag_bp = tv_or(p->ag_za, p->ag_pam); /* "is one of": missing with agent's set when absent */
	if (p->ag_bp.k != 1)
		p->ag_bp = tv_in(p, IN_AGENT);
	/* on_treatment = agent is not none and first_dose is known and first_dose on or before today and continuing */
	p->on_treatment = TV_TRUE;
	if (!(step(&p->on_treatment, p->ag_any) && step(&p->on_treatment, probe(p, IN_FIRST_DOSE)) &&
	      step(&p->on_treatment, tv_cmp(tv_in(p, IN_FIRST_DOSE), CMP_LE, tv_in(p, IN_TODAY))) &&
	      step(&p->on_treatment, p->continuing)))
		p->on_treatment = tv_known(0);
	/* bp_candidate = newly_diagnosed is true or agent is not none */
	p->bp_candidate = tv_or(in_eq(p, IN_NEWLY_DIAGNOSED, 1), p->ag_any);
	/* pre_start = first_dose is missing or today on or before first_dose */
	p->pre_start = tv_or(tv_not(probe(p, IN_FIRST_DOSE)), tv_cmp(tv_in(p, IN_TODAY), CMP_LE, tv_in(p, IN_FIRST_DOSE)));
	/* step_down = step_down_confirmed is known and step_down_confirmed on or before today */
	p->step_down = tv_and(probe(p, IN_STEP_DOWN_CONFIRMED),
			      tv_cmp(tv_in(p, IN_STEP_DOWN_CONFIRMED), CMP_LE, tv_in(p, IN_TODAY)));
	p->have_crcl = p->have_renal = p->have_cc = p->have_dental = 0;
	/* (set on first use; initialised so the compiler can see it) */
	p->crcl = p->cc = p->renal_stable = p->rd = p->ru = p->rh_clear = p->dental_date = p->risk_window = tv_na();
}

/* crcl = crcl_ml_min otherwise crcl_cg (Cockcroft-Gault, as ref_eval). */
static tv tv_crcl(tv_patient *p)
{
	tv age, wt, bscr, w, s, q, f;
	if (p->have_crcl)
		return p->crcl;
	p->have_crcl = 1;
	if (tv_in(p, IN_CRCL_MEASURED).k == 1)
		return p->crcl = tv_in(p, IN_CRCL_MEASURED);
	age = tv_in(p, IN_AGE), wt = tv_in(p, IN_WEIGHT), bscr = tv_in(p, IN_BASELINE_SCR);
	/* cg_weight = (if weight_kg <= CG_MAX_WEIGHT then weight_kg else crcl_ml_min (absent here)) */
	w = tv_cmp(wt, CMP_LE, tv_known(CG_MAX_WEIGHT));
	if (w.k == 1)
		w = w.v ? wt : tv_in(p, IN_CRCL_MEASURED);
	/* cg_scr = (if baseline_scr < CG_SCR_FLOOR then CG_SCR_FLOOR else baseline_scr) */
	s = tv_cmp(bscr, CMP_LT, tv_known(CG_SCR_FLOOR));
	if (s.k == 1)
		s = s.v ? tv_known(CG_SCR_FLOOR) : bscr;
	/* (140 - age) * cg_weight / (72 * cg_scr) * (if sex is female then 0.85 else 1) */
	q = tv_unknown2(age, w);
	if (age.k == 1 && w.k == 1) {
		lr_dec a, b;
		a.v = D(140, 0) - age.v;
		b.v = w.v;
		q = lr_dec_mul(&a, a, b) == LR_OK ? tv_known(a.v) : tv_na();
	}
	if (q.k == 1 && s.k == 1) {
		lr_dec a, b, r;
		a.v = q.v;
		b.v = 72 * s.v;
		q = lr_dec_div(&r, a, b) == LR_OK ? tv_known(r.v) : tv_na();
	} else {
		q = tv_unknown2(q, s);
	}
	f = in_eq(p, IN_SEX, SEX_FEMALE);
	if (q.k == 1 && f.k == 1)
		q = f.v ? tv_known(mul_const(q.v, 85, 100)) : q;
	else
		q = tv_unknown2(q, f);
	return p->crcl = tv_coalesce(tv_in(p, IN_CRCL_MEASURED), q);
}

/* The renal lets (renal_deterioration, renal_undetermined, renal_stable,
 * renal_hold_clear), on first use. */
static void tv_renal(tv_patient *p)
{
	tv bscr = tv_in(p, IN_BASELINE_SCR), lim = tv_known(SCR_NORMAL_LIMIT), rise;
	tv lt, gt, eq, ge_n, ge_a;
	if (p->have_renal)
		return;
	p->have_renal = 1;
	/* scr_rise = scr_mg_dl - baseline_scr_mg_dl */
	rise = tv_in(p, IN_SCR).k == 1 && bscr.k == 1 ? tv_known(tv_in(p, IN_SCR).v - bscr.v) : tv_unknown2(tv_in(p, IN_SCR), bscr);
	lt = tv_cmp(bscr, CMP_LT, lim);
	gt = tv_cmp(bscr, CMP_GT, lim);
	eq = tv_cmp(bscr, CMP_EQ, lim);
	ge_n = tv_cmp(rise, CMP_GE, tv_known(SCR_RISE_NORMAL));
	ge_a = tv_cmp(rise, CMP_GE, tv_known(SCR_RISE_ABNORMAL));
	p->rd = tv_or(tv_or(tv_and(lt, ge_n), tv_and(gt, ge_a)), tv_and(eq, ge_a));
	p->ru = tv_and(tv_and(eq, ge_n), tv_cmp(rise, CMP_LT, tv_known(SCR_RISE_ABNORMAL)));
	p->renal_stable = tv_and(tv_not(p->rd), tv_not(p->ru));
	/* renal_hold_clear = renal_hold is false or (renal_hold is missing and pre_start) */
	p->rh_clear = tv_or(in_eq(p, IN_RENAL_HOLD, 0), tv_and(tv_not(probe(p, IN_RENAL_HOLD)), p->pre_start));
}

/* corrected_calcium = calcium + 0.8 * (4.0 - albumin) */
static tv tv_cc(tv_patient *p)
{
	tv ca = tv_in(p, IN_CALCIUM), alb = tv_in(p, IN_ALBUMIN);
	if (!p->have_cc) {
		p->have_cc = 1;
		p->cc = ca.k == 1 && alb.k == 1 ? tv_known(ca.v + mul_const(D(4, 0) - alb.v, 8, 10)) : tv_unknown2(ca, alb);
	}
	return p->cc;
}

/* dental_date = dental_procedure_date otherwise today; dental_risk_window =
 * dental_on_treatment or (agent is not none and stop_date is known and
 * dental_date within POST_STOP_DENTAL after stop_date). */
static void tv_dental(tv_patient *p)
{
	tv dd, dot, stop = tv_in(p, IN_STOP_DATE), post;
	if (p->have_dental)
		return;
	p->have_dental = 1;
	dd = p->dental_date = tv_coalesce(tv_in(p, IN_DENTAL_DATE), tv_in(p, IN_TODAY));
	/* dental_on_treatment = agent is not none and first_dose is known and first_dose on or before
	 * dental_date and (stop_date is missing or dental_date before stop_date) */
	dot = TV_TRUE;
	if (!(step(&dot, p->ag_any) && step(&dot, probe(p, IN_FIRST_DOSE)) &&
	      step(&dot, tv_cmp(tv_in(p, IN_FIRST_DOSE), CMP_LE, dd)) &&
	      step(&dot, tv_or(tv_not(probe(p, IN_STOP_DATE)), tv_cmp(dd, CMP_LT, stop)))))
		dot = tv_known(0);
	post = TV_TRUE;
	if (!(step(&post, p->ag_any) && step(&post, probe(p, IN_STOP_DATE)) &&
	      step(&post, tv_within_after(dd, POST_STOP_DENTAL_MONTHS, stop))))
		post = tv_known(0);
	p->risk_window = tv_or(dot, post);
}

/* bp_candidate and pre_start and dental_date within PRE_DOSE_DENTAL_WINDOW
 * before planned_start (ps), as one "and". */
static tv tv_pre_window(tv_patient *p, tv ps)
{
	tv c = TV_TRUE;
	tv_dental(p);
	if (!(step(&c, p->bp_candidate) && step(&c, p->pre_start) &&
	      step(&c, tv_within_before(p->dental_date, PRE_DOSE_DENTAL_WINDOW_MONTHS, ps))))
		return tv_known(0);
	return c;
}

/* Reports the inputs of m not reported yet, with rule r, in input order. */
static void report(ref_result *out, uint64_t *reported, uint64_t m, uint32_t r)
{
	m &= ~*reported;
	*reported |= m;
	while (m) {
		int b = __builtin_ctzll(m);
		m &= m - 1;
		out->miss_input[out->nmissing] = (uint32_t)b;
		out->miss_rule[out->nmissing++] = r;
	}
}

/* A rule's condition c is decided: unknown, its inputs are reported;
 * true with a schedule (anchor first_dose, last dose last_dose, evaluated
 * on today) one of whose dates is absent, the schedule's are. */
static void decide(ref_result *out, uint64_t *rep, const tv_patient *p, tv c, uint32_t r, int sched)
{
	if (c.k == 0) {
		report(out, rep, c.m, r);
	} else if (c.k == 1 && c.v && sched) {
		/* the sets of known values are empty */
		uint64_t m = tv_in(p, IN_FIRST_DOSE).m | tv_in(p, IN_LAST_DOSE).m | tv_in(p, IN_TODAY).m;
		if (m)
			report(out, rep, m, r);
	}
}

/* The rule book's conditions, three-valued, in rule order. */
static void ref_missing(ref_result *out, const lr_record *rec, uint64_t absent)
{
	tv_patient p;
	uint64_t rep = 0;
	tv c, t;

	tv_setup(&p, rec);
#define IN(i) tv_in(&p, IN_##i)
#define IS(i, v) in_eq(&p, IN_##i, (v))
#define PROBE(i) probe(&p, IN_##i)
#define MISSING(i) tv_not(probe(&p, IN_##i))
#define CMP(a, op, b) tv_cmp((a), CMP_##op, (b))
#define K(v) tv_known(v)
#define S(x) step(&c, (x))
#define RULE(r, sched, cond) \
	do { \
		c = TV_TRUE; \
		if ((absent & reads[r]) && (cond)) \
			decide(out, &rep, &p, c, (r), (sched)); \
	} while (0)

	/* ---- section 2 ---- */
	t = tv_add_days(IN(ANTI_MM_START), K(SYNC_TOLERANCE_DAYS));
	RULE(R01a, 0, S(IS(NEWLY_DIAGNOSED, 1)) && S(MISSING(FIRST_DOSE)) && S(CMP(IN(TODAY), LE, t)));
	RULE(R01b, 0, S(IS(NEWLY_DIAGNOSED, 1)) && S(MISSING(FIRST_DOSE)) && S(CMP(IN(TODAY), GT, t)));
	RULE(R01c, 0, S(IS(NEWLY_DIAGNOSED, 1)) && S(PROBE(FIRST_DOSE)) && S(CMP(IN(FIRST_DOSE), GT, t)));
	RULE(R02, 0, S(IS(NEWLY_DIAGNOSED, 1)) && S(IS(AGENT, AGENT_NONE)));

	/* ---- section 3 ---- */
	t = absent & (reads[R03] | reads[R04] | reads[R08c]) ? tv_add_months(IN(FIRST_DOSE), MONTHLY_PHASE_MONTHS)
							      : tv_na();
	RULE(R03, 0, S(p.on_treatment) && S(CMP(IN(TODAY), LT, t)));
	RULE(R04, 0, S(p.on_treatment) && S(CMP(IN(TODAY), GE, t)) && S(MISSING(STEP_DOWN_CONFIRMED)));
	RULE(R05a, 1, S(p.ag_den) && S(p.continuing) && S(PROBE(LAST_DOSE)) && S(tv_not(p.step_down)));
	RULE(R05b, 1, S(p.ag_den) && S(p.continuing) && S(PROBE(LAST_DOSE)) && S(p.step_down));
#define BP_DOSE(agent, lim) \
	S(agent) && S(p.continuing) && S(PROBE(LAST_DOSE)) && (tv_renal(&p), S(p.rh_clear)) && S(p.renal_stable) && \
		S(CMP(tv_crcl(&p), GE, K(lim)))
	RULE(R06a, 1, BP_DOSE(p.ag_za, D(30, 0)) && S(tv_not(p.step_down)));
	RULE(R06b, 1, BP_DOSE(p.ag_za, D(30, 0)) && S(p.step_down));
	RULE(R07a, 1, BP_DOSE(p.ag_pam, PAM_SEVERE_CRCL) && S(tv_not(p.step_down)));
	RULE(R07b, 1, BP_DOSE(p.ag_pam, PAM_SEVERE_CRCL) && S(p.step_down));
#undef BP_DOSE
	{
		const tv m12 = absent & (reads[R08a] | reads[R08b] | reads[R08c])
				       ? tv_add_months(IN(FIRST_DOSE), IMWG_MIN_MONTHLY)
				       : tv_na();
		RULE(R08a, 0, S(p.ag_bp) && S(p.on_treatment) && S(CMP(IN(TODAY), GE, m12)) &&
				      S(IS(RESPONSE, RESP_VGPR_OR_BETTER)));
		RULE(R08b, 0, S(p.ag_bp) && S(p.on_treatment) && S(CMP(IN(TODAY), GE, m12)) &&
				      S(IS(RESPONSE, RESP_LESS_THAN_VGPR)));
		RULE(R08c, 0, S(p.ag_bp) && S(p.on_treatment) && S(CMP(IN(TODAY), GE, m12)) && S(CMP(IN(TODAY), LT, t)) &&
				      S(IS(RESPONSE, RESP_VGPR_OR_BETTER)));
	}

	/* ---- section 5 ---- */
	RULE(R09, 0, S(p.ag_za) && S(p.continuing) && S(MISSING(CRCL_MEASURED)) &&
			     S(tv_or(tv_or(tv_or(tv_or(MISSING(BASELINE_SCR), MISSING(AGE)), MISSING(WEIGHT)), MISSING(SEX)),
				     CMP(IN(WEIGHT), GT, K(CG_MAX_WEIGHT)))));
	RULE(R10a, 0, S(p.ag_za) && S(p.continuing) && (tv_renal(&p), S(p.rh_clear)) && S(p.renal_stable) &&
			      S(CMP(tv_crcl(&p), GE, K(D(30, 0)))));
	RULE(R10b, 0, S(p.ag_za) && S(p.continuing) && S(CMP(tv_crcl(&p), LT, K(D(30, 0)))));
	RULE(R11a, 0, S(p.ag_bp) && S(p.continuing) && (tv_renal(&p), S(p.rd)));
	RULE(R11b, 0, S(p.ag_bp) && S(p.continuing) && (tv_renal(&p), S(p.ru)));
	{
		/* scr_mg_dl against baseline_scr_mg_dl * SCR_RESUME_FACTOR (1.1) */
		const tv lim = IN(BASELINE_SCR).k == 1 ? K(mul_const(IN(BASELINE_SCR).v, 11, 10)) : IN(BASELINE_SCR);
		const tv le = CMP(IN(SCR), LE, lim);
		RULE(R12a, 0, S(p.ag_bp) && S(p.continuing) && S(IS(RENAL_HOLD, 1)) && S(le));
		RULE(R12b, 0, S(p.ag_bp) && S(p.continuing) && S(IS(RENAL_HOLD, 1)) && S(CMP(IN(SCR), GT, lim)));
		RULE(R12c, 0, S(p.ag_za) && S(p.continuing) && S(IS(RENAL_HOLD, 1)) && S(le) &&
				      (tv_renal(&p), S(p.renal_stable)) && S(CMP(tv_crcl(&p), GE, K(D(30, 0)))));
		RULE(R12d, 0, S(p.ag_pam) && S(p.continuing) && S(IS(RENAL_HOLD, 1)) && S(le) &&
				      (tv_renal(&p), S(p.renal_stable)) && S(CMP(tv_crcl(&p), GE, K(PAM_SEVERE_CRCL))));
	}
	RULE(R13, 0, S(p.ag_pam) && S(p.continuing) && S(CMP(tv_crcl(&p), LT, K(PAM_SEVERE_CRCL))));

	/* ---- section 6 ---- */
	RULE(R14, 0, S(p.bp_candidate) && S(p.pre_start) &&
			     S(tv_or(tv_or(MISSING(CALCIUM), MISSING(ALBUMIN)), MISSING(VITAMIN_D))));
	RULE(R15, 0, S(p.bp_candidate) && S(PROBE(CALCIUM)) && S(MISSING(ALBUMIN)));
	RULE(R16a, 0, S(p.ag_den) && S(p.pre_start) && S(CMP(tv_cc(&p), LT, K(CA_LLN))));
	RULE(R16b, 0, S(p.ag_den) && S(p.continuing) && S(tv_not(p.pre_start)) && S(CMP(tv_cc(&p), LT, K(CA_LLN))));
	RULE(R16c, 0, S(p.ag_bp) && S(p.continuing) && S(CMP(tv_cc(&p), LT, K(CA_LLN))));
	RULE(R16d, 0, S(p.bp_candidate) && S(p.continuing) && S(CMP(tv_cc(&p), LT, K(CA_SEVERE_LOW))));
	RULE(R17a, 0, S(p.ag_any) && S(p.continuing) && S(CMP(tv_cc(&p), LE, K(CA_ULN))));
	RULE(R17b, 0, S(p.ag_any) && S(p.continuing) && S(CMP(tv_cc(&p), GT, K(CA_ULN))));
	RULE(R18, 0, S(p.on_treatment));
	RULE(R19a, 0, S(p.bp_candidate) && S(CMP(IN(VITAMIN_D), LT, K(VITD_DEFICIENT))));
	RULE(R19b, 0, S(p.bp_candidate) && S(CMP(IN(VITAMIN_D), GE, K(VITD_DEFICIENT))) &&
			      S(CMP(IN(VITAMIN_D), LT, K(VITD_SUFFICIENT))));
	RULE(R20, 0, S(p.ag_den) && S(p.continuing) &&
			     S(tv_or(CMP(tv_crcl(&p), LT, K(D(30, 0))), IS(DIALYSIS, 1))));
	RULE(R21, 0, S(p.bp_candidate) &&
			     S(tv_or(CMP(IN(CALCIUM), GT, K(CA_ULN + D(1, 0))), CMP(IN(CALCIUM), GT, K(D(11, 0))))));

	/* ---- section 7 ---- */
	{
		const tv ps = tv_coalesce(IN(FIRST_DOSE), IN(ANTI_MM_START)); /* planned_start */
		RULE(R22a, 0, S(p.bp_candidate) && S(p.pre_start) && S(MISSING(DENTAL_EXAM)));
		RULE(R22b, 0, S(p.bp_candidate) && S(p.pre_start) && S(PROBE(DENTAL_EXAM)) &&
				      S(CMP(ps, LT, tv_add_months(IN(DENTAL_EXAM), DENTAL_LEAD_MONTHS))));
		RULE(R23a, 0, S(IS(INVASIVE_DENTAL, 1)) && S(IS(DENTAL_EMERGENCY, 0)) && (tv_dental(&p), S(p.risk_window)));
		RULE(R23b, 0, S(IS(INVASIVE_DENTAL, 1)) && S(IS(DENTAL_EMERGENCY, 0)) && S(tv_pre_window(&p, ps)));
		RULE(R23c, 0, S(IS(INVASIVE_DENTAL, 1)) && S(IS(DENTAL_EMERGENCY, 1)) &&
				      (tv_dental(&p), S(tv_or(p.risk_window, tv_pre_window(&p, ps)))));
	}

	/* ---- sections 8 and 9 ---- */
	RULE(R24a, 0, S(p.ag_den) && S(PROBE(STOP_DATE)) &&
			      S(CMP(IN(TODAY), LE, tv_add_months(IN(STOP_DATE), DMAB_REBOUND_WINDOW_MONTHS))));
	{
		/* dmab_interval = (if step_down then 84 days else 28 days) */
		const tv iv = p.step_down.k == 1 ? K(p.step_down.v ? 84 : 28) : p.step_down;
		RULE(R24b, 0, S(p.ag_den) && S(p.continuing) && S(PROBE(LAST_DOSE)) &&
				      S(CMP(IN(TODAY), GT,
					    tv_add_days(tv_add_days(IN(LAST_DOSE), iv), K(DMAB_OVERDUE_MARGIN_DAYS)))));
	}
	RULE(R24c, 0, S(IS(PREVIOUS_AGENT, AGENT_DENOSUMAB)) && S(CMP(IN(AGENT), NE, K(AGENT_DENOSUMAB))) &&
			      S(PROBE(PREVIOUS_LAST_DOSE)) &&
			      S(tv_within_after(IN(TODAY), DMAB_REBOUND_WINDOW_MONTHS, IN(PREVIOUS_LAST_DOSE))));
	RULE(R25a, 0, S(IS(NEWLY_DIAGNOSED, 1)));
	RULE(R25b, 0, S(IS(CARDIAC_AMYLOIDOSIS, 1)));
#undef IN
#undef IS
#undef PROBE
#undef MISSING
#undef CMP
#undef K
#undef S
#undef RULE
}

/* ---- interface --------------------------------------------------------------- */

/* Range of a numeric input in the table, compared with ours. */
static int range_is(const lr_ruleset *rs, int in, int64_t lo, int64_t hi)
{
	const lr_input_def *d = &rs->inputs[ix[in]];
	return d->type == LR_T_NUM && d->has_range && d->lo == lo && d->hi == hi;
}

static int enum_is(const lr_ruleset *rs, int in, uint32_t n, const char *const *names)
{
	const lr_input_def *d = &rs->inputs[ix[in]];
	uint32_t k;
	if (d->type != LR_T_ENUM || d->nvalues != n)
		return 0;
	for (k = 0; k < n; k++)
		if (strcmp(d->values[k], names[k]) != 0)
			return 0;
	return 1;
}

int ref_setup(const lr_ruleset *rs)
{
	static const char *const agents[] = {"none", "denosumab", "zoledronic_acid", "pamidronate"};
	static const char *const sexes[] = {"male", "female"};
	static const char *const responses[] = {"vgpr_or_better", "less_than_vgpr"};
	uint32_t i;

	for (i = 0; i < IN__COUNT; i++)
		if (lr_record_find(&ix[i], rs, input_names[i], strlen(input_names[i])) != LR_OK)
			return 1;
	/* The missing-input pass keeps sets of table indices in 64 bits. */
	if (rs->ninputs > 64)
		return 1;
	for (i = 0; i < IN__COUNT; i++)
		bit[i] = UINT64_C(1) << ix[i];
	if (rs->nrules != NRULES)
		return 1;
	for (i = 0; i < NRULES; i++) {
		uint32_t k;
		reads[i] = 0;
		for (k = 0; k < rs->rules[i].nreads; k++)
			reads[i] |= UINT64_C(1) << rs->reads[rs->rules[i].first_read + k];
	}
	/* The hard-coded knowledge below must still describe the book. */
	if (rs->nrules != NRULES)
		return 1;
	for (i = 0; i < NRULES; i++)
		if (strcmp(rs->rules[i].id, rule_ids[i]) != 0)
			return 1;
	if (!enum_is(rs, IN_AGENT, AGENT__COUNT, agents) || !enum_is(rs, IN_PREVIOUS_AGENT, AGENT__COUNT, agents) ||
	    !enum_is(rs, IN_SEX, SEX__COUNT, sexes) ||
	    !enum_is(rs, IN_RESPONSE, RESP__COUNT, responses))
		return 1;
	if (!range_is(rs, IN_AGE, AGE_LO, AGE_HI) || !range_is(rs, IN_WEIGHT, WEIGHT_LO, WEIGHT_HI) ||
	    !range_is(rs, IN_SCR, SCR_LO, SCR_HI) || !range_is(rs, IN_BASELINE_SCR, SCR_LO, SCR_HI) ||
	    !range_is(rs, IN_CRCL_MEASURED, CRCL_LO, CRCL_HI) ||
	    !range_is(rs, IN_CALCIUM, CALCIUM_LO, CALCIUM_HI) ||
	    !range_is(rs, IN_ALBUMIN, ALBUMIN_LO, ALBUMIN_HI) || !range_is(rs, IN_VITAMIN_D, VITD_LO, VITD_HI))
		return 1;
	return 0;
}

/* Outside [lo, hi]: one unsigned comparison instead of two signed ones. */
#define OUTSIDE(v, lo, hi) ((uint64_t)(v) - (uint64_t)(lo) > (uint64_t)(hi) - (uint64_t)(lo))

/* za_dose: zoledronic acid dose by creatinine clearance (caller ensured crcl >= 30). */
static int64_t za_dose(int64_t crcl)
{
	if (crcl > D(60, 0))
		return D(4, 0);
	if (crcl >= D(50, 0))
		return D(3, 500000000);
	if (crcl >= D(40, 0))
		return D(3, 300000000);
	return D(3, 0);
}

int ref_eval(ref_result *out, const lr_record *rec)
{
	const uint8_t *st = rec->state;
	const int64_t *v = rec->v;
	uint32_t n = 0;

	/* Copy the inputs to locals once: the compiler cannot otherwise keep
	 * them in registers across the stores into *out. */
#define KNOWN(i) (st[ix[i]] != 0)
#define VAL(i) (v[ix[i]])
	const int k_today = KNOWN(IN_TODAY), k_nd = KNOWN(IN_NEWLY_DIAGNOSED), k_ams = KNOWN(IN_ANTI_MM_START);
	const int k_agent = KNOWN(IN_AGENT), k_fd = KNOWN(IN_FIRST_DOSE), k_ld = KNOWN(IN_LAST_DOSE);
	const int k_stop = KNOWN(IN_STOP_DATE), k_age = KNOWN(IN_AGE), k_wt = KNOWN(IN_WEIGHT);
	const int k_sex = KNOWN(IN_SEX), k_scr = KNOWN(IN_SCR), k_bscr = KNOWN(IN_BASELINE_SCR);
	const int k_crclm = KNOWN(IN_CRCL_MEASURED), k_dial = KNOWN(IN_DIALYSIS), k_ca = KNOWN(IN_CALCIUM);
	const int k_alb = KNOWN(IN_ALBUMIN), k_vitd = KNOWN(IN_VITAMIN_D), k_dex = KNOWN(IN_DENTAL_EXAM);
	const int k_idp = KNOWN(IN_INVASIVE_DENTAL), k_dem = KNOWN(IN_DENTAL_EMERGENCY);
	const int k_resp = KNOWN(IN_RESPONSE), k_amyl = KNOWN(IN_CARDIAC_AMYLOIDOSIS), k_rh = KNOWN(IN_RENAL_HOLD);
	const int k_ddate = KNOWN(IN_DENTAL_DATE);
	const lr_date today = (lr_date)VAL(IN_TODAY), ams = (lr_date)VAL(IN_ANTI_MM_START);
	const lr_date fd = (lr_date)VAL(IN_FIRST_DOSE), ld = (lr_date)VAL(IN_LAST_DOSE);
	const lr_date stop = (lr_date)VAL(IN_STOP_DATE), dex = (lr_date)VAL(IN_DENTAL_EXAM);
	const lr_date ddate_in = (lr_date)VAL(IN_DENTAL_DATE);
	const int64_t nd = VAL(IN_NEWLY_DIAGNOSED), agent = VAL(IN_AGENT), age = VAL(IN_AGE);
	const int64_t wt = VAL(IN_WEIGHT), sex = VAL(IN_SEX), scr = VAL(IN_SCR), bscr = VAL(IN_BASELINE_SCR);
	const int64_t crclm = VAL(IN_CRCL_MEASURED), dial = VAL(IN_DIALYSIS), ca = VAL(IN_CALCIUM);
	const int64_t alb = VAL(IN_ALBUMIN), vitd = VAL(IN_VITAMIN_D), idp = VAL(IN_INVASIVE_DENTAL);
	const int64_t dem = VAL(IN_DENTAL_EMERGENCY), resp = VAL(IN_RESPONSE), amyl = VAL(IN_CARDIAC_AMYLOIDOSIS);
	const int64_t rh = VAL(IN_RENAL_HOLD), pag = VAL(IN_PREVIOUS_AGENT);
	const int k_pag = KNOWN(IN_PREVIOUS_AGENT), k_pld = KNOWN(IN_PREVIOUS_LAST_DOSE), k_sdc = KNOWN(IN_STEP_DOWN_CONFIRMED);
	const lr_date pld = (lr_date)VAL(IN_PREVIOUS_LAST_DOSE), sdc = (lr_date)VAL(IN_STEP_DOWN_CONFIRMED);
#undef KNOWN
#undef VAL

	/* ---- declared ranges: one bad value rejects the whole record ---- */
	{
		int bad = (k_age && OUTSIDE(age, AGE_LO, AGE_HI)) | (k_wt && OUTSIDE(wt, WEIGHT_LO, WEIGHT_HI)) |
			  (k_scr && OUTSIDE(scr, SCR_LO, SCR_HI)) | (k_bscr && OUTSIDE(bscr, SCR_LO, SCR_HI)) |
			  (k_crclm && OUTSIDE(crclm, CRCL_LO, CRCL_HI)) |
			  (k_ca && OUTSIDE(ca, CALCIUM_LO, CALCIUM_HI)) |
			  (k_alb && OUTSIDE(alb, ALBUMIN_LO, ALBUMIN_HI)) |
			  (k_vitd && OUTSIDE(vitd, VITD_LO, VITD_HI)) |
			  /* enumeration indices and booleans must be values of their input */
			  (k_agent && OUTSIDE(agent, 0, AGENT__COUNT - 1)) | (k_sex && OUTSIDE(sex, 0, SEX__COUNT - 1)) |
			  (k_resp && OUTSIDE(resp, 0, RESP__COUNT - 1)) | (k_nd && OUTSIDE(nd, 0, 1)) |
			  (k_dial && OUTSIDE(dial, 0, 1)) | (k_idp && OUTSIDE(idp, 0, 1)) |
			  (k_dem && OUTSIDE(dem, 0, 1)) | (k_amyl && OUTSIDE(amyl, 0, 1)) |
			  (k_rh && OUTSIDE(rh, 0, 1)) | (k_pag && OUTSIDE(pag, 0, AGENT__COUNT - 1));
		out->rejected = bad;
		out->nmissing = 0;
		if (bad) {
			out->n = 0;
			return 0;
		}
	}

#define FIRE(r, amt, due) \
	do { \
		out->rule[n] = (r); \
		out->amount[n] = (amt); \
		out->next_due[n] = (due); \
		n++; \
	} while (0)

	{
		/* ---- simple facts, each "definitely true" ---- */
		const int nd_true = k_nd && nd == 1;
		const int ag_none = k_agent && agent == AGENT_NONE;
		const int ag_any = k_agent && agent != AGENT_NONE; /* "agent is not none" */
		const int ag_den = k_agent && agent == AGENT_DENOSUMAB;
		const int ag_za = k_agent && agent == AGENT_ZOLEDRONIC_ACID;
		const int ag_pam = k_agent && agent == AGENT_PAMIDRONATE;
		const int ag_bp = ag_za || ag_pam; /* "agent is one of zoledronic_acid, pamidronate" */
		const int rh_true = k_rh && rh == 1, rh_false = k_rh && rh == 0;

		/* ---- lets ---- */
		/* continuing = stop_date is missing or today before stop_date */
		const int continuing = !k_stop || (k_today && today < stop);
		/* on_treatment = agent is not none and first_dose is known and first_dose on or before today and continuing */
		const int on_treatment = ag_any && k_fd && k_today && fd <= today && continuing;
		/* bp_candidate = newly_diagnosed is true or agent is not none */
		const int bp_candidate = nd_true || ag_any;
		/* pre_start = first_dose is missing or today on or before first_dose */
		const int pre_start = !k_fd || (k_today && today <= fd);
		/* not pre_start, definitely: first_dose known and today after it */
		const int started = k_fd && k_today && today > fd;
		/* renal_hold_clear = renal_hold is false or (renal_hold is missing and pre_start) */
		const int rh_clear = rh_false || (!k_rh && pre_start);
		/* step_down = step_down_confirmed is known and step_down_confirmed on or before today;
		 * both it and its negation need today (every rule using them needs it too). */
		const int step_down = k_sdc && k_today && sdc <= today;
		const int not_step_down = !k_sdc || (k_today && sdc > today);
		/* planned_start = first_dose otherwise anti_mm_start */
		const int k_ps = k_fd || k_ams;
		const lr_date ps = k_fd ? fd : ams;
		/* corrected_calcium = calcium + 0.8 * (4.0 - albumin) */
		const int k_cc = k_ca && k_alb;
		const int64_t cc = k_cc ? ca + mul_const(D(4, 0) - alb, 8, 10) : 0;

		/* first_dose + 24 months: the monthly phase's end (R03, R04, R08c and
		 * every schedule); computed once, only when some rule can use it. */
		lr_date fd24 = 0;
		const int k_fd24 = k_fd && (ag_any || on_treatment) && add_months(&fd24, fd, MONTHLY_PHASE_MONTHS);

		/* crcl = crcl_ml_min otherwise crcl_cg; only agent-specific rules read it. */
		int k_crcl = 0;
		int64_t crcl = 0;
		/* The renal lets, only bisphosphonate rules read them. */
		int renal_stable = 0, rd_true = 0, ru_true = 0;

		if (ag_any) {
			if (k_crclm) {
				k_crcl = 1;
				crcl = crclm;
			} else if (k_age && k_wt && k_bscr && k_sex && wt <= CG_MAX_WEIGHT) {
				/* crcl_cg = ((140 - age) * cg_weight / (72 * cg_scr) * (if female then 0.85 else 1)),
				 * each step rounded as the runtime rounds it; cg_weight is the
				 * weight up to CG_MAX_WEIGHT and unknown above it (crcl_ml_min,
				 * its else branch, is missing here); cg_scr is the baseline
				 * creatinine raised to CG_SCR_FLOOR. */
				lr_dec a, b, q;
				a.v = D(140, 0) - age;
				b.v = wt;
				if (lr_dec_mul(&a, a, b) == LR_OK) {
					b.v = 72 * (bscr < CG_SCR_FLOOR ? CG_SCR_FLOOR : bscr); /* exact */
					if (lr_dec_div(&q, a, b) == LR_OK) {
						k_crcl = 1;
						crcl = sex == SEX_FEMALE ? mul_const(q.v, 85, 100) : q.v;
					}
				}
			}
		}
		if (ag_bp) {
			/* scr_rise = scr - baseline_scr; renal_deterioration and
			 * renal_undetermined in three values, since renal_stable
			 * negates them: it is true only when both are definitely false. */
			const int k_rise = k_scr && k_bscr;
			const int64_t rise = scr - bscr;
			const int lt = CMP3(k_bscr, bscr < SCR_NORMAL_LIMIT), gt = CMP3(k_bscr, bscr > SCR_NORMAL_LIMIT);
			const int eq = CMP3(k_bscr, bscr == SCR_NORMAL_LIMIT);
			const int ge_n = CMP3(k_rise, rise >= SCR_RISE_NORMAL);
			const int ge_a = CMP3(k_rise, rise >= SCR_RISE_ABNORMAL);
			const int lt_a = CMP3(k_rise, rise < SCR_RISE_ABNORMAL);
			const int rd = OR3(OR3(AND3(lt, ge_n), AND3(gt, ge_a)), AND3(eq, ge_a));
			const int ru = AND3(AND3(eq, ge_n), lt_a);
			rd_true = rd == T3;
			ru_true = ru == T3;
			renal_stable = rd == F3 && ru == F3;
		}

		/* ---- section 2: start with anti-MM therapy ---- */
		if (nd_true) {
			lr_date sync;
			const int k_sync = k_ams && add_days(&sync, ams, SYNC_TOLERANCE_DAYS);
			if (!k_fd && k_today && k_sync && today <= sync)
				FIRE(R01a, 0, 0);
			if (!k_fd && k_today && k_sync && today > sync)
				FIRE(R01b, 0, 0);
			if (k_fd && k_sync && fd > sync)
				FIRE(R01c, 0, 0);
			if (ag_none)
				FIRE(R02, 0, 0);
		}

		/* ---- section 3: monthly for 24 months, then every 3 months ---- */
		if (on_treatment && k_fd24) {
			if (today < fd24)
				FIRE(R03, 0, 0);
			else if (!k_sdc)
				FIRE(R04, 0, 0);
		}
		/* Schedules (R05a/R05b, R06a/R06b, R07a/R07b): need first_dose (the
		 * anchor), last_dose and today; the monthly rule while no step-down
		 * is in force, the stepped-down one after it. */
		if (continuing && k_ld && k_fd && k_today) {
			lr_date due;
			const int za_ok = ag_za && rh_clear && renal_stable && k_crcl && crcl >= D(30, 0);
			const int pam_ok = ag_pam && rh_clear && renal_stable && k_crcl && crcl >= PAM_SEVERE_CRCL;
			if (ag_den && not_step_down && add_days(&due, ld, 28))
				FIRE(R05a, D(120, 0), due);
			if (ag_den && step_down && add_days(&due, ld, 84))
				FIRE(R05b, D(120, 0), due);
			if (za_ok && not_step_down && add_days(&due, ld, 28))
				FIRE(R06a, za_dose(crcl), due);
			if (za_ok && step_down && add_days(&due, ld, 84))
				FIRE(R06b, za_dose(crcl), due);
			if (pam_ok && not_step_down && add_months(&due, ld, 1))
				FIRE(R07a, D(90, 0), due);
			if (pam_ok && step_down && add_months(&due, ld, 3))
				FIRE(R07b, D(90, 0), due);
		}
		if (ag_bp && on_treatment && k_resp) {
			lr_date fd12;
			if (add_months(&fd12, fd, IMWG_MIN_MONTHLY) && today >= fd12) {
				if (resp == RESP_VGPR_OR_BETTER)
					FIRE(R08a, 0, 0);
				else
					FIRE(R08b, 0, 0);
				if (resp == RESP_VGPR_OR_BETTER && k_fd24 && today < fd24)
					FIRE(R08c, 0, 0);
			}
		}

		/* ---- section 5: renal safety of the bisphosphonates ---- */
		if (ag_za && continuing && !k_crclm && (!k_bscr || !k_age || !k_wt || !k_sex || wt > CG_MAX_WEIGHT))
			FIRE(R09, 0, 0);
		if (ag_za && continuing && rh_clear && renal_stable && k_crcl && crcl >= D(30, 0))
			FIRE(R10a, za_dose(crcl), 0);
		if (ag_za && continuing && k_crcl && crcl < D(30, 0))
			FIRE(R10b, 0, 0);
		if (ag_bp && continuing) {
			if (rd_true)
				FIRE(R11a, 0, 0);
			if (ru_true)
				FIRE(R11b, 0, 0);
			if (rh_true && k_scr && k_bscr) {
				/* scr <= baseline_scr * SCR_RESUME_FACTOR (1.1) */
				const int64_t limit = mul_const(bscr, 11, 10);
				if (scr <= limit)
					FIRE(R12a, 0, 0);
				else
					FIRE(R12b, 0, 0);
				/* R12c, R12d: the dose to resume with (za_dose gives nothing below 30) */
				if (scr <= limit && renal_stable && ag_za && k_crcl && crcl >= D(30, 0))
					FIRE(R12c, za_dose(crcl), 0);
				if (scr <= limit && renal_stable && ag_pam && k_crcl && crcl >= PAM_SEVERE_CRCL)
					FIRE(R12d, D(90, 0), 0);
			}
		}
		if (ag_pam && continuing && k_crcl && crcl < PAM_SEVERE_CRCL)
			FIRE(R13, 0, 0);

		/* ---- section 6: calcium and vitamin D ---- */
		if (bp_candidate && pre_start && (!k_ca || !k_alb || !k_vitd)) {
			FIRE(R14, 0, 0); /* order */
			FIRE(R14, 0, 0); /* hold */
		}
		if (bp_candidate && k_ca && !k_alb)
			FIRE(R15, 0, 0);
		if (ag_den && pre_start && k_cc && cc < CA_LLN)
			FIRE(R16a, 0, 0);
		if (ag_den && continuing && started && k_cc && cc < CA_LLN)
			FIRE(R16b, 0, 0);
		if (ag_bp && continuing && k_cc && cc < CA_LLN)
			FIRE(R16c, 0, 0);
		if (bp_candidate && continuing && k_cc && cc < CA_SEVERE_LOW)
			FIRE(R16d, 0, 0);
		if (ag_any && continuing && k_cc) {
			if (cc <= CA_ULN)
				FIRE(R17a, 0, 0);
			else
				FIRE(R17b, 0, 0);
		}
		if (on_treatment)
			FIRE(R18, 0, 0);
		if (bp_candidate && k_vitd && vitd < VITD_DEFICIENT)
			FIRE(R19a, 0, 0);
		if (bp_candidate && k_vitd && vitd >= VITD_DEFICIENT && vitd < VITD_SUFFICIENT)
			FIRE(R19b, 0, 0);
		if (ag_den && continuing && ((k_crcl && crcl < D(30, 0)) || (k_dial && dial == 1)))
			FIRE(R20, 0, 0);
		/* R21 reads the serum (uncorrected) calcium, as IMWG states the criterion */
		if (bp_candidate && k_ca && (ca > CA_ULN + D(1, 0) || ca > D(11, 0)))
			FIRE(R21, 0, 0);

		/* ---- section 7: dental safety ---- */
		{
			const int idp_true = k_idp && idp == 1;
			const int dem_true = k_dem && dem == 1, dem_false = k_dem && dem == 0;
			/* dental_date = dental_procedure_date otherwise today */
			const int k_dd = k_ddate || k_today;
			const lr_date dd = k_ddate ? ddate_in : today;
			/* dental_on_treatment = agent is not none and first_dose is known and first_dose on or
			 *     before dental_date and (stop_date is missing or dental_date before stop_date) */
			const int dental_on_treatment = ag_any && k_fd && k_dd && fd <= dd && (!k_stop || dd < stop);
			/* dental_risk_window = dental_on_treatment or (agent is not none and stop_date is known
			 *                      and dental_date within POST_STOP_DENTAL after stop_date) */
			int risk_window = dental_on_treatment;
			/* dental_date within PRE_DOSE_DENTAL_WINDOW before planned_start */
			int pre_window = 0;
			lr_date t;
			if (!risk_window && idp_true && ag_any && k_stop && k_dd && stop <= dd)
				risk_window = add_months(&t, stop, POST_STOP_DENTAL_MONTHS) && dd <= t;
			if (idp_true && bp_candidate && pre_start && k_ps && k_dd && dd <= ps)
				pre_window = add_months(&t, ps, -PRE_DOSE_DENTAL_WINDOW_MONTHS) && t <= dd;

			if (bp_candidate && pre_start && !k_dex)
				FIRE(R22a, 0, 0);
			if (bp_candidate && pre_start && k_dex && k_ps && add_months(&t, dex, DENTAL_LEAD_MONTHS) &&
			    ps < t)
				FIRE(R22b, 0, 0);
			if (idp_true && dem_false && risk_window)
				FIRE(R23a, 0, 0);
			if (idp_true && dem_false && pre_window) /* pre_window includes bp_candidate and pre_start */
				FIRE(R23b, 0, 0);
			if (idp_true && dem_true && (risk_window || pre_window))
				FIRE(R23c, 0, 0);
		}

		/* ---- sections 8 and 9: stopping denosumab; the MDT ---- */
		{
			lr_date t;
			/* R24a: today on or before stop_date + DMAB_REBOUND_WINDOW */
			if (ag_den && k_stop && k_today && add_months(&t, stop, DMAB_REBOUND_WINDOW_MONTHS) && today <= t) {
				FIRE(R24a, 0, 0); /* alert */
				FIRE(R24a, 0, 0); /* recommend */
			}
			/* R24b: today after last_dose + dmab_interval + DMAB_OVERDUE_MARGIN */
			if (ag_den && continuing && k_ld && k_today &&
			    add_days(&t, ld, (step_down ? 84 : 28) + DMAB_OVERDUE_MARGIN_DAYS) && today > t)
				FIRE(R24b, 0, 0);
			/* R24c: previous_agent is denosumab, agent is not denosumab, and today
			 * within DMAB_REBOUND_WINDOW after previous_last_dose */
			if (k_pag && pag == AGENT_DENOSUMAB && k_agent && agent != AGENT_DENOSUMAB && k_pld && k_today &&
			    pld <= today && add_months(&t, pld, DMAB_REBOUND_WINDOW_MONTHS) && today <= t) {
				FIRE(R24c, 0, 0); /* alert */
				FIRE(R24c, 0, 0); /* recommend */
			}
		}
		if (nd_true)
			FIRE(R25a, 0, 0);
		if (k_amyl && amyl == 1)
			FIRE(R25b, 0, 0);
	}
#undef FIRE
	out->n = n;
	/* Which inputs were needed and absent: only when one is absent. */
	{
#define ABSENT(k, i) ((k) ? 0 : bit[i])
		const uint64_t absent =
			ABSENT(k_today, IN_TODAY) | ABSENT(k_nd, IN_NEWLY_DIAGNOSED) | ABSENT(k_ams, IN_ANTI_MM_START) |
			ABSENT(k_agent, IN_AGENT) | ABSENT(k_fd, IN_FIRST_DOSE) | ABSENT(k_ld, IN_LAST_DOSE) |
			ABSENT(k_stop, IN_STOP_DATE) | ABSENT(k_age, IN_AGE) | ABSENT(k_wt, IN_WEIGHT) |
			ABSENT(k_sex, IN_SEX) | ABSENT(k_scr, IN_SCR) | ABSENT(k_bscr, IN_BASELINE_SCR) |
			ABSENT(k_crclm, IN_CRCL_MEASURED) | ABSENT(k_dial, IN_DIALYSIS) | ABSENT(k_ca, IN_CALCIUM) |
			ABSENT(k_alb, IN_ALBUMIN) | ABSENT(k_vitd, IN_VITAMIN_D) | ABSENT(k_dex, IN_DENTAL_EXAM) |
			ABSENT(k_idp, IN_INVASIVE_DENTAL) | ABSENT(k_dem, IN_DENTAL_EMERGENCY) |
			ABSENT(k_resp, IN_RESPONSE) | ABSENT(k_amyl, IN_CARDIAC_AMYLOIDOSIS) | ABSENT(k_rh, IN_RENAL_HOLD) |
			ABSENT(k_ddate, IN_DENTAL_DATE) | ABSENT(k_pag, IN_PREVIOUS_AGENT) |
			ABSENT(k_pld, IN_PREVIOUS_LAST_DOSE) | ABSENT(k_sdc, IN_STEP_DOWN_CONFIRMED);
#undef ABSENT
		if (absent)
			ref_missing(out, rec, absent);
	}
	return 0;
}

int ref_agrees(const ref_result *ref, const lr_result *res, int rc)
{
	uint32_t k, live = 0, over = res->nactions;

	if (rc != LR_OK && rc != LR_ERANGE)
		return 0;
	if (ref->rejected != (rc == LR_ERANGE))
		return 0;
	if (ref->n != res->nactions + res->noverridden)
		return 0;
	/* The reference lists every action that fired, in rule order; lr_eval
	 * puts the overridden ones after the live ones (both in rule order), so
	 * merge the two parts by rule (a rule's actions are all in one part). */
	for (k = 0; k < ref->n; k++) {
		const lr_action *a;
		if (over < res->nactions + res->noverridden &&
		    (live >= res->nactions || res->actions[over].rule < res->actions[live].rule))
			a = &res->actions[over++];
		else
			a = &res->actions[live++];
		if (a->rule != ref->rule[k])
			return 0;
		if (a->has_dose ? a->amount.v != ref->amount[k] : ref->amount[k] != 0)
			return 0;
		if (a->has_schedule && a->phase != NULL ? a->next_due != ref->next_due[k] : ref->next_due[k] != 0)
			return 0;
	}
	if (ref->nmissing != res->nmissing)
		return 0;
	for (k = 0; k < ref->nmissing; k++)
		if (res->missing[k].input != ref->miss_input[k] ||
		    strcmp(res->missing[k].rule_id, rule_ids[ref->miss_rule[k]]) != 0)
			return 0;
	return 1;
}
