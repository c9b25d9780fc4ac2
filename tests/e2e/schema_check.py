#!/usr/bin/env python3
"""tests/e2e/schema_check.py: checks `litrule schema` with an independent
validator (Debian's python3-jsonschema, Draft 2020-12).

    python3 tests/e2e/schema_check.py LITRULE RULES PATIENTS_DIR SCRATCH

1. The schema is a valid 2020-12 schema (check_schema).
2. Every example patient (PATIENTS_DIR/*.json) is valid, and eval accepts it.
3. Every example's `given` (litrule schema --examples) is valid, except
   those of examples that expect eval to refuse an input (`expect error
   X`): those are invalid, at X.
4. Agreement both ways on hand-written records: each bad record is refused
   by the schema and by `litrule eval`, each good one accepted by both,
   and the documented gaps (what a JSON Schema cannot express) are
   accepted by the schema and refused by eval, exactly as
   docs/patient.md says.

The records are written as text, so eval reads the numbers exactly as
written.  Prints one line per failure and "schema: N checks, N failed";
exits 1 on any failure.
"""
import glob
import json
import os
import subprocess
import sys

from jsonschema import Draft202012Validator

LITRULE, RULES, PATIENTS, SCRATCH = sys.argv[1:5]
checks = 0
failed = 0


def check(ok, what):
    global checks, failed
    checks += 1
    if not ok:
        failed += 1
        print("FAIL: schema: " + what)


def run(*args):
    return subprocess.run([LITRULE, *args], capture_output=True, text=True)


def eval_verdicts(paths):
    """{path: list of eval's errors} for patient files, in one eval run."""
    r = run("eval", "--rules", RULES, *paths)
    out, dec, i, got = r.stdout, json.JSONDecoder(), 0, {}
    while True:
        while i < len(out) and out[i].isspace():
            i += 1
        if i >= len(out):
            break
        o, i = dec.raw_decode(out, i)
        got[o["patient"]] = o["errors"]
    return got


r = run("schema", RULES)
check(r.returncode == 0, "litrule schema exits 0 (got %d: %s)" % (r.returncode, r.stderr[:200]))
schema = json.loads(r.stdout)
try:
    Draft202012Validator.check_schema(schema)
    check(True, "")
except Exception as e:  # noqa: BLE001 - any schema error is a failure
    check(False, "not a valid 2020-12 schema: %s" % e)
v = Draft202012Validator(schema)
check(schema.get("additionalProperties") is False, "unknown keys are refused")

# 2. the example patients
files = sorted(glob.glob(os.path.join(PATIENTS, "*.json")))
check(len(files) >= 3, "found example patients in " + PATIENTS)
verdicts = eval_verdicts(files)
for f in files:
    with open(f, encoding="utf-8") as fh:
        rec = json.load(fh)
    errs = [e.message for e in v.iter_errors(rec)]
    check(not errs, "%s is invalid: %s" % (f, errs[:2]))
    check(verdicts.get(f) == [], "%s: eval reports errors: %s" % (f, verdicts.get(f)))

# 3. the examples' given clauses
r = run("schema", "--examples", RULES)
check(r.returncode == 0, "litrule schema --examples exits 0")
lines = [json.loads(line) for line in r.stdout.splitlines()]
check(len(lines) >= 10, "schema --examples printed the examples (%d)" % len(lines))
refused = 0
for ex in lines:
    errs = list(v.iter_errors(ex["patient"]))
    where = "%s:%d: example %s" % (ex["file"], ex["line"], ex["example"])
    if ex["expect_error"]:
        refused += 1
        at = {str(e.absolute_path[0]) for e in errs if e.absolute_path}
        check(set(ex["expect_error"]) <= at, "%s expects eval to refuse %s; the schema refuses %s"
              % (where, ex["expect_error"], sorted(at)))
    else:
        check(not errs, "%s: its given is invalid: %s" % (where, [e.message for e in errs][:2]))
check(refused >= 1, "some example expects an input refused (expect error)")

# 4. agreement on hand-written records (text, as eval reads it)
BAD = [
    '{"no_such_input": 1}',
    '{"age_years": "abc"}',
    '{"age_years": 17}',
    '{"age_years": 110.5}',
    '{"age_years": true}',
    '{"scr_mg_dl": "1e2"}',
    '{"scr_mg_dl": "+1"}',
    '{"scr_mg_dl": ".5"}',
    '{"scr_mg_dl": "1."}',
    '{"scr_mg_dl": " 1"}',
    '{"scr_mg_dl": "1.1234567891"}',
    '{"scr_mg_dl": 0.09}',
    '{"today": "2025-13-01"}',
    '{"today": "2025-3-1"}',
    '{"today": "2025-03-00"}',
    '{"today": "0000-01-01"}',
    '{"today": 20250301}',
    '{"today": "2025-03-01T00:00:00Z"}',
    '{"newly_diagnosed": "true"}',
    '{"newly_diagnosed": 1}',
    '{"agent": "Denosumab"}',
    '{"agent": 1}',
    '{"agent": ["denosumab"]}',
    '[]',
    '"a patient"',
]
GOOD = [
    '{}',
    '{"today": null, "agent": null, "age_years": null, "dialysis": null}',
    '{"age_years": 18}',
    '{"age_years": 110}',
    '{"age_years": "65"}',
    '{"scr_mg_dl": 0.1}',
    '{"scr_mg_dl": "0.1"}',
    '{"scr_mg_dl": 1.5}',
    '{"scr_mg_dl": "1.500000000000"}',
    '{"weight_kg": 1e2}',
    '{"weight_kg": "0070"}',
    '{"today": "2024-02-29"}',
    '{"newly_diagnosed": false, "agent": "zoledronic_acid", "sex": "female"}',
]
# What the schema cannot express (docs/patient.md): it accepts, eval refuses.
GAPS = [
    '{"today": "2025-02-30"}',
    '{"age_years": "17"}',
    '{"scr_mg_dl": 1.0000000001}',
    '{"age_years": 65, "age_years": 66}',
]
paths = {}
for kind, recs in (("bad", BAD), ("good", GOOD), ("gap", GAPS)):
    for k, text in enumerate(recs):
        p = os.path.join(SCRATCH, "schema-%s-%02d.json" % (kind, k))
        with open(p, "w", encoding="utf-8") as fh:
            fh.write(text)
        paths[p] = (kind, text)
verdicts = eval_verdicts(sorted(paths))
for p, (kind, text) in sorted(paths.items()):
    schema_ok = v.is_valid(json.loads(text))
    eval_ok = verdicts.get(p) == []
    check(p in verdicts, "eval printed no record for %s" % text)
    if kind == "bad":
        check(not schema_ok, "the schema accepts the bad record %s" % text)
        check(not eval_ok, "eval accepts the bad record %s" % text)
    elif kind == "good":
        check(schema_ok, "the schema refuses the good record %s" % text)
        check(eval_ok, "eval refuses the good record %s: %s" % (text, verdicts.get(p)))
    else:
        check(schema_ok and not eval_ok, "documented gap %s: schema %s, eval %s (expected: schema accepts, eval refuses)"
              % (text, "accepts" if schema_ok else "refuses", "accepts" if eval_ok else "refuses"))

print("schema: %d checks, %d failed" % (checks, failed))
sys.exit(1 if failed else 0)
