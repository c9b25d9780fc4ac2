#!/usr/bin/env python3
# bench/gen_verify.py: writes a large, realistic rule set for the `verify`
# benchmark (bench/run.sh, section verify).
#
#   python3 bench/gen_verify.py [--rules N] [--tables T] [--subjects yes|no] > rules.md
#
# Unlike bench/gen_rules.c (one private set of inputs per ten rules, for
# the front end), this set looks like one big guideline, which is what the
# cross-rule analyses care about: a few hundred inputs of every type
# (numbers with units and ranges, choices, yes/no, dates) shared by all
# rules, lets that many rules use as guards, 30 schedules, T decision
# tables keyed on inputs and on lets (alternating hit unique / hit first),
# and N rules in groups of (about) N/100.  In each group ten rules act on
# the group's subject (its schedule, or a `subject` declaration): doses by
# band of one clearance (mutually exclusive bands, dose from the group's
# table), holds under a guard the doses exclude, one hold that overlaps the
# doses and declares `overrides`, and a start or a `dose per` the doses
# exclude; the other rules monitor, refer, alert or order under
# conditions of every kind (comparisons with units, `between`, `is one
# of`, `otherwise`, `if`, missing data, dates `within N months`, schedule
# states).  Each group has one example whose expectations follow from the
# construction (the band's rule fires with the table's dose for that band;
# the hold and the other bands do not).
#
# --subjects no (bench/run.sh decides by probing the binary) writes the
# same set without action subjects, `subject` declarations and `overrides`,
# for a litrule that does not know them yet.  Months are counted with
# `month end clamps` stated, so the month-end analysis has every
# expression to enumerate but nothing to report.  Deterministic: the same
# arguments give the same bytes.
import argparse
import sys

UNITS = [  # unit, low, high, the band edges used by dose rules and tables
    ("mL/min", 0, 250),
    ("mg/dL", 0.1, 20),
    ("kg", 20, 300),
    ("years", 18, 120),
    ("ng/mL", 0, 250),
    ("g/dL", 0.5, 7),
    ("mmol/L", 0, 20),
]
N_NUM = 70       # number inputs: num0..; num(7k) is in mL/min (clearances)
N_ENUM = 40      # agentJ: one of none, a, b, c; stageJ alternate
N_BOOL = 60
N_DATE = 40      # start0.., last0.. (20 each)
N_SCHED = 30
GROUPS = 100
AGENTS = ["a", "b", "c"]
VERBS = ["monitor", "refer", "alert", "order"]


def w(*parts):
    sys.stdout.write("".join(parts))


def header():
    w("# Generated verify benchmark: one large guideline\n\n",
      "Prose between blocks, as in a guideline.\n\n```rule\n",
      'source G "Benchmark guideline" year 2024\n\n',
      'input today: date "date of this review"\n')
    for i in range(N_NUM):
        u, lo, hi = UNITS[i % len(UNITS)]
        w('input num%d: number in %s, from %s to %s "measurement %d"\n' % (i, u, lo, hi, i))
    for j in range(N_ENUM):
        if j % 2 == 0:
            w('input agent%d: one of none, %s "agent in use"\n' % (j, ", ".join(AGENTS)))
        else:
            w('input stage%d: one of early, advanced, metastatic "stage"\n' % j)
    for i in range(N_BOOL):
        w('input flag%d: bool "finding %d"\n' % (i, i))
    for i in range(N_DATE // 2):
        w('input start%d: date "first dose %d"\ninput last%d: date "last dose %d"\n' % (i, i, i, i))
    w('input doses_given: number in doses, from 0 to 500 "doses given"\n')
    w('param LIM = 30 mL/min "limit"\n  cite G at "2.1" quote "below 30 mL/min"\n')
    w('param OLD = 75 years "review age"\n  committee "local choice"\n')
    w('param REVIEW = 24 months "review interval"\n  cite G at "2.2" quote "after two years"\n')
    # Lets: per group a clearance (a let or an input) and a guard; dates.
    for g in range(GROUPS):
        c1, c2 = clearance(g), clearance(g + 1)
        w('let k%d in mL/min = num%d otherwise num%d "clearance, measured else estimated"\n' % (g, c1, c2))
        w('let ok%d = flag%d is false and num%d >= LIM "guard %d"\n' % (g, g % N_BOOL, c1, g))
    for i in range(N_DATE // 2):
        w('let review%d = start%d + REVIEW\n  month end clamps\n  "review date %d"\n' % (i, i, i))
    for s in range(N_SCHED):
        if s % 2:
            w('schedule s%d "schedule %d"\n  drug%d %d mg subcutaneous q4w for 24 months then q12w\n'
              % (s, s, s, s % 50 + 60))
        else:
            w('schedule s%d "schedule %d"\n  drug%d %d mg intravenous every 2 weeks for 3 doses then every 8 weeks\n'
              '  counting doses_given\n' % (s, s, s, s % 50 + 60))
        w('  anchored at start%d\n  last dose on last%d\n  evaluated on today\n  overdue after 7 days\n'
          '%s' % (s % 20, s % 20, "  month end clamps\n" if s % 2 else ""))
    w("```\n\n")


def clearance(g):
    """A number input in mL/min."""
    return 7 * (g % (N_NUM // 7))


def marker(g):
    """Another input in mL/min: the overlapping hold's marker."""
    return (clearance(g) + 7) % N_NUM


def inside(k, frac):
    """A threshold inside the declared range of num<k> (frac of the way up),
    so that no generated condition is dead by construction."""
    u, lo, hi = UNITS[k % len(UNITS)]
    return ("%.2f" % (lo + (hi - lo) * frac)).rstrip("0").rstrip(".")


def subject_decls(subjects):
    if not subjects:
        return
    w("```rule\n")
    for g in range(N_SCHED, GROUPS):
        w('subject drug%d "drug %d (no schedule)"\n' % (g, g))
    w("```\n\n")


def subj(g, subjects):
    """The group's subject as written after a verb ('' without subjects)."""
    if not subjects:
        return ""
    return ("s%d " % g) if g < N_SCHED else ("drug%d " % g)


def table(g, tables):
    if g >= tables:
        return
    key = ("num%d" % clearance(g)) if g % 2 == 0 else ("k%d" % g)
    w('table dose%d "dose by clearance %d"\n  by %s, hit %s\n' % (g, g, key, "unique" if g % 4 < 2 else "first"))
    w("  row above 60 gives 4.0 mg\n  row 50 to 60 gives 3.5 mg\n  row 40 to below 50 gives 3.3 mg\n"
      "  row 30 to below 40 gives 3.0 mg\n  row below 30 gives nothing\n")
    w('  cite G at "Table %d" quote "reduced doses"\n' % g)


# The dose bands, in the table's terms, of the group's clearance.
BANDS = [("%s > 60", "4.0"), ("%s between 50 and 60", "3.5"), ("%s >= 40 and %s < 50", "3.3"),
         ("%s >= 30 and %s < 40", "3.0")]


def band_cond(b, key):
    c = BANDS[b][0]
    return c % ((key,) * c.count("%s"))


def rule(g, i, rid, subjects, tables, nrules):
    """Rule i of group g."""
    agent = "agent%d" % (2 * (g % (N_ENUM // 2)))
    hold = "flag%d" % ((g + 1) % N_BOOL)
    key = ("num%d" % clearance(g)) if g % 2 == 0 or g >= tables else ("k%d" % g)
    s = subj(g, subjects)
    amount = ("(dose%d)" % g) if g < tables else None
    lines = []
    clamps = False
    if i < 4:  # doses by band: mutually exclusive, so no two co-fire
        cond = "%s is a and %s is false and %s" % (agent, hold, band_cond(i, key))
        dose = amount or ("%s mg" % BANDS[i][1])
        act = 'then dose %s%s intravenous "dose for band %d"' % (s, dose, i)
    elif i < 7:  # holds under the guard the doses exclude
        cond = "%s is a and %s is true" % (agent, hold) + ("" if i == 4 else " and num%d > %d" % (i * 7 % N_NUM, i))
        act = 'then hold %s"withhold: finding %s"' % (s, hold)
    elif i == 7:  # overlaps the doses: declared
        cond = "%s is a and num%d > 50 and %s is false" % (agent, marker(g), hold)
        act = 'then hold %s"withhold: high marker"' % s
        if subjects:
            lines.append("  overrides %s" % ", ".join("R%d_%d" % (g, b) for b in range(4)))
    elif i == 8:  # the next dose of the schedule, or a start, when the doses do not apply
        if g < N_SCHED:
            cond = "%s is b and last%d is known" % (agent, g % 20)
            act = 'then dose per s%d "next dose"' % g
        else:
            cond = "%s is none and flag%d is true" % (agent, (g + 2) % N_BOOL)
            act = 'then recommend %s"start %s"' % (s, "drug%d" % g)
    elif i == 9:
        cond = "%s is a and %s is true" % (agent, hold)
        act = 'then defer %s"defer until the finding resolves"' % s
    else:
        cond, clamps = other_cond(g, i)
        act = 'then %s "advice %d"' % (VERBS[(g + i) % len(VERBS)], i)
    w('rule %s "rule %d of group %d"\n' % (rid, i, g))
    if clamps:
        w("  month end clamps\n")
    w("  when %s\n  %s\n" % (cond, act))
    for l in lines:
        w(l + "\n")
    w('  cite G at "%d.%d" quote "recommendation"\n' % (g, i))


def other_cond(g, i):
    """Conditions of every kind for the rules without a subject."""
    t = i % 10
    def n(k):  # an input of any unit
        return (g * 3 + i + k) % N_NUM
    c = clearance(g + i)
    stage = "stage%d" % (2 * ((g + i) % (N_ENUM // 2)) + 1)
    agent = "agent%d" % (2 * ((g + i) % (N_ENUM // 2)))
    flag = "flag%d" % ((g + i) % N_BOOL)
    d = (g + i) % 20
    if t == 0:
        return "ok%d and %s is one of early, advanced" % (g, stage), False
    if t == 1:
        return "num%d between 30 and %d or (if %s then num%d else k%d) >= %d mL/min" % (
            c, 60 + i % 40, flag, c, g, 20 + i % 30), False
    if t == 2:
        return "today within 3 months before review%d and start%d on or before today" % (d, d), True
    if t == 3:
        return "s%d is overdue or num%d is missing or %s is not metastatic" % ((g + i) % N_SCHED, n(0), stage), False
    if t == 4:
        return "num%d >= OLD and %s is false and %s is not none" % (3 + 7 * ((g + i) % 10), flag, agent), False
    if t == 5:
        return "k%d < LIM and not %s and %s is a" % (g, flag, agent), False
    if t == 6:
        return "num%d > %s and %s is true" % (n(1), inside(n(1), (i % 20) / 40), flag), False
    if t == 7:
        return "today after start%d + 12 months and %s is one of b, c" % (d, agent), True
    if t == 8:
        return "(num%d is missing or num%d < %s) and ok%d" % (n(2), n(2), inside(n(2), 0.2 + (i % 10) / 20),
                                                              (g + 1) % GROUPS), False
    return "%s is true or (%s is a and num%d < %d)" % (flag, agent, c, 30 + i % 30), False


# (clearance, dose) inside each band, for the examples.
BAND_VALUES = [("70", "4.0"), ("55", "3.5"), ("45", "3.3"), ("35", "3.0")]


def example(g):
    """Five examples per group, expectations by construction: for each
    band, that band's rule fires with the table's (or the fixed) dose and
    the neighbouring bands, the holds and the overriding hold do not (its
    marker is left at its lowest value); with the hold finding, both holds
    and the defer fire and no dose does."""
    agent = "agent%d" % (2 * (g % (N_ENUM // 2)))
    hold = "flag%d" % ((g + 1) % N_BOOL)
    c = clearance(g)
    m = marker(g)
    for b, (val, dose) in enumerate(BAND_VALUES):
        w('example E%d_%d "group %d: clearance %s mL/min"\n' % (g, b, g, val))
        w("  given today = 2025-03-01, %s = a, %s = false, num%d = %s mL/min, num%d = 0 mL/min\n"
          % (agent, hold, c, val, m))
        w("  expect R%d_%d dose %s mg\n" % (g, b, dose))
        for o in (b - 1, b + 1):
            if 0 <= o < 4:
                w("  expect not R%d_%d\n" % (g, o))
        w("  expect not R%d_4\n  expect not R%d_7\n" % (g, g))
    w('example E%d_hold "group %d: the hold finding"\n' % (g, g))
    w("  given today = 2025-03-01, %s = a, %s = true, num%d = 55 mL/min, num%d = 0 mL/min\n"
      % (agent, hold, c, m))
    w("  expect R%d_4\n  expect R%d_9\n  expect not R%d_1\n  expect not R%d_7\n" % (g, g, g, g))


def main():
    ap = argparse.ArgumentParser(description="a large rule set for the verify benchmark")
    ap.add_argument("--rules", type=int, default=10000)
    ap.add_argument("--tables", type=int, default=100)
    ap.add_argument("--subjects", choices=["yes", "no"], default="yes")
    a = ap.parse_args()
    if a.rules < GROUPS * 10 or a.tables < 0 or a.tables > GROUPS:
        print("gen_verify: need --rules >= %d and 0 <= --tables <= %d" % (GROUPS * 10, GROUPS), file=sys.stderr)
        return 2
    subjects = a.subjects == "yes"
    header()
    subject_decls(subjects)
    per = a.rules // GROUPS
    for g in range(GROUPS):
        nrules = per + (1 if g < a.rules % GROUPS else 0)
        w("## Group %d\n\nProse.\n\n```rule\n" % g)
        table(g, a.tables)
        for i in range(nrules):
            rule(g, i, "R%d_%d" % (g, i), subjects, a.tables, nrules)
        example(g)
        w("```\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
