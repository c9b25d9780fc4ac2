# tests/e2e/sections/schema.sh: `litrule schema` and `litrule inputs`
# (issue 13.1).  The schema is checked with an independent validator
# (python3-jsonschema, Draft 2020-12) against the example patients, every
# example's `given`, and records that both the schema and `litrule eval`
# must refuse or accept (tests/e2e/schema_check.py).  Sourced by
# tests/e2e/run.sh.

mkdir -p "$TMP/schema"
run python3 tests/e2e/schema_check.py "$LITRULE" rules examples/patients "$TMP/schema"
expect_status 0 "schema: the flagship's schema validates its patients and examples, and agrees with eval"
expect_grep out '^schema: [0-9]* checks, 0 failed$' "schema: the checker's summary"
grep '^FAIL' "$TMP/out" | head -10

# A small rule set: each type's schema, by hand.
cat > "$TMP/schema/s.md" <<'MD'
```rule
source G "Guideline"
input dose_mg: number in mg, from 0.5 to 12.25 "dose given"
input seen: date "date seen"
input smoker: bool "smokes"
input arm: one of left, right "arm used"
input free: number in kg "no range"
rule R "r"
  when dose_mg > 1 mg and seen is known and smoker and arm is left and free > 1 kg
  then recommend "go"
  cite G at "1" quote "q"
```
MD
run "$LITRULE" schema "$TMP/schema/s.md"
expect_status 0 "schema: small rule set"
cp "$TMP/out" "$TMP/schema/s.json"
expect_true "schema: 2020-12, closed object, decimal range as numbers" python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema", s["$schema"]
assert s["type"] == "object" and s["additionalProperties"] is False
p = s["properties"]
assert list(p) == ["dose_mg", "seen", "smoker", "arm", "free"], list(p)
num = p["dose_mg"]["anyOf"]
assert num[0] == {"type": "number", "minimum": 0.5, "maximum": 12.25}, num[0]
assert num[1]["type"] == "string" and num[2] == {"type": "null"}
assert p["dose_mg"]["x-unit"] == "mg"
assert "number form only" in p["dose_mg"]["description"]
assert p["free"]["anyOf"][0] == {"type": "number"}, p["free"]
assert p["seen"]["type"] == ["string", "null"] and p["seen"]["format"] == "date"
assert p["smoker"]["type"] == ["boolean", "null"]
assert p["arm"]["enum"] == ["left", "right", None]
assert p["arm"]["description"] == "arm used"
' "$TMP/schema/s.json"

run "$LITRULE" schema
expect_status 2 "schema: no PATH is a usage error"
run "$LITRULE" schema --bogus "$TMP/schema/s.md"
expect_status 2 "schema: unknown option is a usage error"
expect_grep err "unknown option '--bogus'" "schema: names the unknown option"
printf '```rule\ninput x: nmber "x"\n```\n' > "$TMP/schema/bad.md"
run "$LITRULE" schema "$TMP/schema/bad.md"
expect_status 1 "schema: rule files with errors"
expect_empty out "schema: nothing on stdout when the rules do not compile"

# litrule inputs: the table and its JSON
run "$LITRULE" inputs "$TMP/schema/s.md"
expect_status 0 "inputs: table"
expect_grep out '^NAME  *TYPE  *UNIT  *RANGE  *DESCRIPTION$' "inputs: header"
expect_grep out '^dose_mg  *number  *mg  *0\.5 to 12\.25  *dose given$' "inputs: a number with unit and range"
expect_grep out '^arm  *choice  *arm used$' "inputs: a choice"
expect_grep out '^ *values: left, right$' "inputs: a choice's values"
expect_grep out '^ *read by: R$' "inputs: the rules reading it"
expect_grep out '^5 inputs$' "inputs: count"
run "$LITRULE" inputs --format json "$TMP/schema/s.md"
expect_status 0 "inputs: json"
cp "$TMP/out" "$TMP/schema/i.json"
expect_true "inputs: json fields" python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))
assert [i["name"] for i in a] == ["dose_mg", "seen", "smoker", "arm", "free"]
d = a[0]
assert d == {"name": "dose_mg", "type": "number", "unit": "mg", "range": {"from": "0.5", "to": "12.25"},
             "read_by": ["R"], "description": "dose given"}, d
assert a[3]["values"] == ["left", "right"] and a[3]["unit"] is None and a[3]["range"] is None
assert a[4]["range"] is None
' "$TMP/schema/i.json"
run "$LITRULE" inputs --format yaml "$TMP/schema/s.md"
expect_status 2 "inputs: bad --format is a usage error"
run "$LITRULE" inputs rules
expect_status 0 "inputs: the flagship"
expect_grep out '^scr_mg_dl  *number  *mg/dL  *0\.1 to 20  *serum creatinine' "inputs: flagship creatinine row"
