#!/usr/bin/env python3
# tests/mutation/mutate.py: mutation testing of the flagship rule set.
#
#   python3 tests/mutation/mutate.py [--litrule BIN] [--rules DIR] [--only ID,...]
#                                    [--list] [--self-test]
#   (tests/mutation/run.sh BUILD, make mutation)
#
# Each mutant is one small, deliberate defect in a copy of the rule set
# (the directory with its sources/, so quotes still resolve): a band edge
# shifted, a dose amount changed, a quote changed by one character, a
# citation or an example deleted, an `overrides` clause dropped, q12w made
# q8w...  A mutant is killed when `litrule verify` or `litrule test` fails
# on the copy; the script prints what killed each one (the ids of the
# errors verify reported, or the examples and coverage that test failed)
# and the kill rate.
#
# Every edit is exact: the text it changes must occur exactly once, or the
# run stops with exit 2, so an edit of the flagship cannot silently turn a
# mutant into a no-op.  The only exception is a mutant of a construct the
# rule set may not use yet (an `overrides` clause, a `for ID` on a
# citation): it is listed as "not applicable" and counted apart, never as
# killed.  Before any mutant, the unmutated copy must pass both commands
# (else every mutant would be "killed" by the same old failure).
#
# Exit status: 0 every applicable mutant killed; 1 some mutant survived;
# 2 the harness could not judge (text not found, baseline fails, litrule
# crashed or hung, bad usage).  --self-test runs one no-op mutant (a
# prose sentence appended) that must survive, so the script's exit
# status 1 shows that it cannot pass vacuously.
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

RULE_FILE = "mm-bone-protection.md"
TIMEOUT = 60  # seconds per litrule run; generous: the machine is shared


class HarnessError(Exception):
    """The run cannot judge a mutant: exit 2."""


class NotApplicable(Exception):
    """The mutant's construct does not occur in the rule set."""


# ---- edits: each returns the mutated text or raises --------------------------

def _once(text, old, mid):
    n = text.count(old)
    if n != 1:
        raise HarnessError("mutant %s: the text to mutate %s in %s: %r"
                           % (mid, "was not found" if n == 0 else "occurs %d times" % n, RULE_FILE, old))
    return text.index(old)


def replace(old, new):
    """Replace text that occurs exactly once."""
    def edit(text, mid):
        i = _once(text, old, mid)
        return text[:i] + new + text[i + len(old):]
    return edit


def _decl_lines(lines, header, mid):
    """The line range [start, end) of the declaration whose first line
    starts with header (exactly one): the header and the indented,
    non-blank lines that follow it."""
    starts = [i for i, l in enumerate(lines) if l.startswith(header)]
    if len(starts) != 1:
        raise HarnessError("mutant %s: the declaration %r %s in %s"
                           % (mid, header, "was not found" if not starts else "occurs %d times" % len(starts),
                              RULE_FILE))
    s = starts[0]
    e = s + 1
    while e < len(lines) and lines[e].strip() and lines[e][0] in " \t":
        e += 1
    return s, e


def replace_in_decl(header, old, new):
    """Replace text that occurs exactly once within one declaration: robust
    to edits elsewhere (an action gaining a subject does not move a
    condition's threshold)."""
    def edit(text, mid):
        lines = text.split("\n")
        s, e = _decl_lines(lines, header, mid)
        body = "\n".join(lines[s:e])
        n = body.count(old)
        if n != 1:
            raise HarnessError("mutant %s: the text to mutate %s in %r: %r"
                               % (mid, "was not found" if n == 0 else "occurs %d times" % n, header, old))
        return "\n".join(lines[:s] + [body.replace(old, new)] + lines[e:])
    return edit


def delete_decl(header):
    """Delete a whole declaration (an example, a rule...)."""
    def edit(text, mid):
        lines = text.split("\n")
        s, e = _decl_lines(lines, header, mid)
        # Also the blank line that separated it from the next one.
        if e < len(lines) and not lines[e].strip() and s > 0 and not lines[s - 1].strip():
            e += 1
        return "\n".join(lines[:s] + lines[e:])
    return edit


def delete_line_in_decl(header, line):
    """Delete one line (exact, stripped) of one declaration."""
    def edit(text, mid):
        lines = text.split("\n")
        s, e = _decl_lines(lines, header, mid)
        hits = [i for i in range(s + 1, e) if lines[i].strip() == line]
        if len(hits) != 1:
            raise HarnessError("mutant %s: the line %r %s in %r" % (
                mid, line, "was not found" if not hits else "occurs %d times" % len(hits), header))
        return "\n".join(lines[:hits[0]] + lines[hits[0] + 1:])
    return edit


def delete_citation(header, nth):
    """Delete the nth (1-based) `cite` clause of a declaration, with its
    continuation lines (the quote and its continued strings)."""
    def edit(text, mid):
        lines = text.split("\n")
        s, e = _decl_lines(lines, header, mid)
        cites = [i for i in range(s + 1, e) if lines[i].lstrip().startswith("cite ")]
        if len(cites) < nth:
            raise HarnessError("mutant %s: %r has %d citations, not %d" % (mid, header, len(cites), nth))
        c = cites[nth - 1]
        ind = len(lines[c]) - len(lines[c].lstrip())
        j = c + 1
        while j < e and len(lines[j]) - len(lines[j].lstrip()) > ind:
            j += 1
        return "\n".join(lines[:c] + lines[j:])
    return edit


OVERRIDES_RE = re.compile(r"^[ \t]+overrides[ \t]+[A-Za-z_]")
FOR_RE = re.compile(r'"([ \t]+for[ \t]+[A-Za-z_][A-Za-z0-9_]*(?:[ \t]*,[ \t]*[A-Za-z_][A-Za-z0-9_]*)*)[ \t]*$')


def _rule_block_lines(lines):
    """Indices of the lines inside ```rule blocks."""
    inside, out = False, []
    for i, l in enumerate(lines):
        if re.match(r"^ {0,3}(```|~~~)", l):
            inside = (not inside) and l.strip()[3:].strip().startswith("rule")
            continue
        if inside:
            out.append(i)
    return out


def drop_first_overrides():
    """Delete the first `overrides R1, ...` clause of a rule."""
    def edit(text, mid):
        lines = text.split("\n")
        hits = [i for i in _rule_block_lines(lines) if OVERRIDES_RE.match(lines[i])]
        if not hits:
            raise NotApplicable("no overrides clause in the rule set")
        return "\n".join(lines[:hits[0]] + lines[hits[0] + 1:])
    return edit


def drop_first_for():
    """Remove the `for ID` that names a statement from the first citation
    that has one (the quote may still cover the statement by overlap)."""
    def edit(text, mid):
        lines = text.split("\n")
        for i in _rule_block_lines(lines):
            m = FOR_RE.search(lines[i])
            if m and "quote" in "".join(lines[max(0, i - 3):i + 1]):
                lines[i] = lines[i][:m.start(1)] + lines[i][m.end(1):]
                return "\n".join(lines)
        raise NotApplicable("no citation names a statement with 'for ID' in the rule set")
    return edit


def append_prose(sentence):
    def edit(text, mid):
        return text.rstrip("\n") + "\n\n" + sentence + "\n"
    return edit


# ---- the mutants --------------------------------------------------------------
# (id, what the defect is, edit).  Keep the ids stable: reports quote them.

MUTANTS = [
    ("band-edge-row", "za_dose: the 40-49 row's upper bound moved from below 50 to below 51 (overlaps 50-60)",
     replace("  row 40 to below 50 gives 3.3 mg", "  row 40 to below 51 gives 3.3 mg")),
    ("band-edge-shift", "za_dose: the 50 mL/min edge moved to 51 in both adjacent rows (no gap, no overlap)",
     replace("  row 50 to 60 gives 3.5 mg\n  row 40 to below 50 gives 3.3 mg",
             "  row 51 to 60 gives 3.5 mg\n  row 40 to below 51 gives 3.3 mg")),
    ("band-edge-condition", "R10a: dose from crcl >= 31 instead of >= 30",
     replace_in_decl('rule R10a "', "crcl >= 30", "crcl >= 31")),
    ("lt-to-le-band", "R10b: crcl <= 30 instead of < 30 at the band edge",
     replace_in_decl('rule R10b "', "crcl < 30", "crcl <= 30")),
    ("lt-to-le-calcium", "R16a: corrected_calcium <= CA_LLN instead of < CA_LLN",
     replace_in_decl('rule R16a "', "corrected_calcium < CA_LLN", "corrected_calcium <= CA_LLN")),
    ("param-threshold", "SCR_RISE_NORMAL 0.5 mg/dL changed to 0.6 mg/dL",
     replace("param SCR_RISE_NORMAL = 0.5 mg/dL", "param SCR_RISE_NORMAL = 0.6 mg/dL")),
    ("dose-table", "za_dose: 3.0 mg for 30 to below 40 mL/min changed to 2.0 mg",
     replace("  row 30 to below 40 gives 3.0 mg", "  row 30 to below 40 gives 2.0 mg")),
    ("dose-schedule-dmab", "denosumab_schedule: 120 mg changed to 100 mg",
     replace("  denosumab 120 mg subcutaneous q4w\n",
             "  denosumab 100 mg subcutaneous q4w\n")),
    ("dose-schedule-pam", "pam_schedule: 90 mg changed to 60 mg",
     replace("  pamidronate 90 mg intravenous q1m\n",
             "  pamidronate 60 mg intravenous q1m\n")),
    ("quote-char", "R05a's XGEVA_PI quote: 'every 4 weeks' changed to 'every 5 weeks'",
     replace_in_decl('rule R05a "', 'subcutaneous injection every 4 weeks in the upper arm, upper thigh, or abdomen."',
                     'subcutaneous injection every 5 weeks in the upper arm, upper thigh, or abdomen."')),
    ("quote-char-cjk", "R04's interview quote: 三 (three) changed to 六 (six)",
     replace_in_decl('rule R04 "', 'quote "两年后可根据患者情况调整为每三个月一次,以实现对SREs的最大化预防。"',
                     'quote "两年后可根据患者情况调整为每六个月一次,以实现对SREs的最大化预防。"')),
    ("delete-citation-sole", "R25b's only citation deleted",
     delete_citation('rule R25b "', 1)),
    ("delete-citation-statement", "R25a's citation of the MDT statement (interview_mdt) deleted",
     delete_citation('rule R25a "', 1)),
    ("delete-example", "example mdt_amyloid deleted (the one example where R25b fires)",
     delete_decl('example mdt_amyloid "')),
    ("drop-overrides", "the first 'overrides' clause of a rule deleted",
     drop_first_overrides()),
    ("q12w-to-q8w", "denosumab_step_schedule: q12w (after a confirmed step-down) changed to q8w",
     replace("  denosumab 120 mg subcutaneous q12w\n",
             "  denosumab 120 mg subcutaneous q8w\n")),
    ("phase-length", "R04: the monthly phase's 24 months (the interval review) changed to 23 months",
     replace_in_decl('rule R04 "', "today on or after first_dose + 24 months",
                     "today on or after first_dose + 23 months")),
    ("and-to-or", "R01a: the first 'and' of its condition made 'or'",
     replace_in_decl('rule R01a "', "when newly_diagnosed is true and first_dose is missing",
                     "when newly_diagnosed is true or first_dose is missing")),
    ("or-to-and", "R21: 'or' between its two calcium limits made 'and'",
     replace_in_decl('rule R21 "', "(calcium_mg_dl > CA_ULN + 1 or calcium_mg_dl > 11)",
                     "(calcium_mg_dl > CA_ULN + 1 and calcium_mg_dl > 11)")),
    ("drop-guard", "R10a: 'renal_hold_clear' (no renal hold in place) deleted from its condition",
     replace_in_decl('rule R10a "', " and renal_hold_clear and", " and")),
    ("delete-month-end-schedule", "pam_schedule: its 'month end clamps' deleted",
     delete_line_in_decl('schedule pam_schedule "', "month end clamps")),
    ("delete-month-end-rule", "R08a: its 'month end clamps' deleted",
     delete_line_in_decl('rule R08a "', "month end clamps")),
    ("drop-statement-for", "the first citation's 'for ID' naming a statement deleted",
     drop_first_for()),
    ("drop-overrides-r16a-r01a", "R16a: R01a dropped from its 'overrides' (hold of denosumab_schedule vs the start "
     "of bone_protection, which covers it)",
     replace_in_decl('rule R16a "', "overrides R01a, R01b, R01c, R05a", "overrides R01b, R01c, R05a")),
]

SELF_TEST = [
    ("noop-self-test", "a prose sentence appended (changes no rule: must survive)",
     append_prose("Mutation self-test: this sentence changes no rule.")),
]


# ---- running litrule ----------------------------------------------------------

def run(cmd):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise HarnessError("%s did not finish in %d s (a hang is a bug)" % (" ".join(cmd), TIMEOUT))
    if p.returncode not in (0, 1):
        raise HarnessError("%s exited with status %d (a crash is a bug): %s"
                           % (" ".join(cmd), p.returncode, p.stderr.decode("utf-8", "replace")[-400:]))
    return p


def verify(litrule, d):
    """(failed, error ids, warning ids) of `litrule verify` on d."""
    p = run([litrule, "verify", "--format", "json", d])
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        raise HarnessError("verify printed no JSON document: " + p.stderr.decode("utf-8", "replace")[-400:])
    errs = sorted({g["id"] for g in doc["diagnostics"] if g["severity"] == "error"})
    warns = sorted({g["id"] for g in doc["diagnostics"] if g["severity"] == "warning"})
    return p.returncode != 0, errs, warns


def test(litrule, d):
    """(failed, what failed) of `litrule test` on d."""
    p = run([litrule, "test", "--format", "json", d])
    if p.returncode == 0:
        return False, []
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        return True, ["front end errors"]
    what = ["example " + e["name"] for e in doc.get("examples", []) if e.get("status") != "passed"]
    cov = doc.get("coverage") or {}
    if cov.get("uncovered"):
        what.append("coverage (no example fires %s)" % ", ".join(cov["uncovered"]))
    return True, what or ["exit status 1"]


def judge(litrule, d):
    vfail, verrs, vwarns = verify(litrule, d)
    tfail, twhat = test(litrule, d)
    by = []
    if vfail:
        by.append("verify: " + (", ".join(verrs) if verrs else "exit status 1"))
    if tfail:
        shown = twhat[:3] + (["%d more" % (len(twhat) - 3)] if len(twhat) > 3 else [])
        by.append("test: " + ", ".join(shown))
    return by, vwarns


def fresh_copy(src, dst):
    if os.path.exists(dst):
        shutil.rmtree(dst)
    shutil.copytree(src, dst)


def main():
    ap = argparse.ArgumentParser(description="mutation testing of the flagship rule set")
    ap.add_argument("--litrule", default="build/litrule")
    ap.add_argument("--rules", default="rules", help="the rule set directory (holds %s)" % RULE_FILE)
    ap.add_argument("--only", help="comma-separated mutant ids")
    ap.add_argument("--list", action="store_true", help="list the mutants and exit")
    ap.add_argument("--self-test", action="store_true", help="run a no-op mutant that must survive (exit 1)")
    a = ap.parse_args()

    mutants = SELF_TEST if a.self_test else MUTANTS
    if a.list:
        print("\n".join("%-26s %s" % (mid, what) for mid, what, _ in mutants))
        return 0
    if a.only:
        want = a.only.split(",")
        known = {m[0] for m in mutants}
        bad = [w for w in want if w not in known]
        if bad:
            print("mutation: unknown mutant id: %s (--list shows them)" % ", ".join(bad), file=sys.stderr)
            return 2
        mutants = [m for m in mutants if m[0] in want]
    src_file = os.path.join(a.rules, RULE_FILE)
    if not os.path.isfile(src_file) or not os.access(a.litrule, os.X_OK):
        print("mutation: need %s and an executable %s" % (src_file, a.litrule), file=sys.stderr)
        return 2
    with open(src_file, encoding="utf-8") as f:
        original = f.read()

    t0 = time.monotonic()
    work = tempfile.mkdtemp(prefix="litrule-mutation.")
    # One path for every copy, so messages that name the file compare alike.
    copy = os.path.join(work, "rules")
    try:
        return run_all(a.litrule, a.rules, original, mutants, copy, t0)
    except HarnessError as e:
        print("mutation: error: %s" % e, file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_all(litrule, rules, original, mutants, copy, t0):
    # Every edit first: a stale target stops the run before anything is
    # run, and every stale target is named at once.
    edited, stale = [], []
    for mid, what, edit in mutants:
        try:
            text = edit(original, mid)
            if text == original and mid not in {m[0] for m in SELF_TEST}:
                raise HarnessError("mutant %s changes nothing" % mid)
            edited.append((mid, what, text, None))
        except NotApplicable as e:
            edited.append((mid, what, None, str(e)))
        except HarnessError as e:
            stale.append(str(e))
    if stale:
        raise HarnessError("\n  ".join(["the rule set no longer has what these mutants change "
                                         "(update them in tests/mutation/mutate.py):"] + stale))

    fresh_copy(rules, copy)
    base_by, base_warns = judge(litrule, copy)
    if base_by:
        raise HarnessError("the unmutated rule set already fails (%s): mutants cannot be judged" % "; ".join(base_by))

    print("mutation: %s, %d mutants (each must make litrule verify or litrule test fail)"
          % (os.path.join(rules, RULE_FILE), len(edited)))
    killed = survived = na = 0
    for mid, what, text, why in edited:
        if text is None:
            na += 1
            print("  %-9s %-26s not applicable: %s" % ("n/a", mid, why))
            continue
        fresh_copy(rules, copy)
        with open(os.path.join(copy, RULE_FILE), "w", encoding="utf-8") as f:
            f.write(text)
        by, warns = judge(litrule, copy)
        if by:
            killed += 1
            print("  %-9s %-26s %s\n  %9s %-26s by %s" % ("killed", mid, what, "", "", "; ".join(by)))
        else:
            survived += 1
            new = sorted(set(warns) - set(base_warns))
            print("  %-9s %-26s %s\n  %9s %-26s verify and test pass%s" % (
                "SURVIVED", mid, what, "", "", " (new warnings: %s)" % ", ".join(new) if new else ""))
    applicable = killed + survived
    rate = 100.0 * killed / applicable if applicable else 0.0
    print("mutation: %d of %d applicable mutants killed (kill rate %.0f%%), %d survived, %d not applicable; %.1f s"
          % (killed, applicable, rate, survived, na, time.monotonic() - t0))
    return 1 if survived or not applicable else 0


if __name__ == "__main__":
    sys.exit(main())
