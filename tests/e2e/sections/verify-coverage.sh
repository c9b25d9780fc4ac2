# tests/e2e/sections/verify-coverage.sh: verify's coverage checks
# (uncovered-rule, uncovered-row, uncovered-branch), --coverage=LEVEL, and
# `litrule test --coverage` (sourced by tests/e2e/run.sh).
#
# tests/verify/coverage.md seeds three defects, worked out by hand from its
# three examples (Normal: crcl 68, calcium 9.4, not dehydrated; Moderate:
# 45, 9.0, not dehydrated; LowCalcium: 68, 8.0, not dehydrated):
#   - rule Hydrate (line 27, name at column 6) fires in none: error;
#   - row 3 of Dose, "row below 30 gives nothing" (line 19, column 3): no
#     clearance below 30: error;
#   - 'dehydrated is false' (line 23, column 27) is true in all three, false
#     in none: warning.  'calcium >= 8.5' (23:8) is true in Normal and
#     Moderate, false in LowCalcium: covered.
# Rows: row 1 (at least 60) by Normal and LowCalcium, row 2 by Moderate.
# coverage_fixed.md adds Dry (crcl 25, calcium 9.0, dehydrated), which
# covers all three.

VC=tests/verify

# ---- the seeded defects ---------------------------------------------------------
run "$LITRULE" verify "$VC/coverage.md"
expect_status 1 "coverage: an uncovered rule and row are errors"
expect_grep err "^tests/verify/coverage.md:27:6: error: no passing example shows rule 'Hydrate' firing" "coverage: the uncovered rule at its name"
expect_grep err "^tests/verify/coverage.md:19:3: error: row 3 of table 'Dose' (row below 30 gives nothing) is selected by no passing example" "coverage: the uncovered row at the row"
expect_grep err "^tests/verify/coverage.md:23:27: warning: operand 'dehydrated is false' of an 'and' in rule 'Give' is never false in the passing examples (true in 3, false in 0)" "coverage: the operand never false, at the operand"
expect_grep err "; uncovered-rule 1 error, 0 warnings; uncovered-row 1 error, 0 warnings; uncovered-branch 0 errors, 1 warning\(;.*\)\?$" "coverage: the summary counts each check"
expect_true "coverage: the operand shown both ways and the covered rows are not reported" \
	sh -c '! grep -q "operand .calcium >= 8.5\|row [12] of table" "$1"' sh "$TMP/err"
run "$LITRULE" test "$VC/coverage.md"
expect_status 1 "coverage: test also fails the uncovered rule (its own rule coverage)"

# ---- fixed ------------------------------------------------------------------------
run "$LITRULE" verify "$VC/coverage_fixed.md"
expect_status 0 "coverage: the fixed fixture passes verify"
expect_grep err "; uncovered-rule 0 errors, 0 warnings; uncovered-row 0 errors, 0 warnings; uncovered-branch 0 errors, 0 warnings\(;.*\)\?$" "coverage: fixed: no finding"

# ---- --coverage=LEVEL ---------------------------------------------------------------
run "$LITRULE" verify --coverage=warning "$VC/coverage.md"
expect_status 0 "coverage: --coverage=warning: uncovered rules and rows do not fail"
expect_grep err "^tests/verify/coverage.md:27:6: warning: no passing example shows rule 'Hydrate' firing" "coverage: --coverage=warning: the rule is a warning"
expect_grep err "^tests/verify/coverage.md:19:3: warning: row 3 of table 'Dose'" "coverage: --coverage=warning: the row is a warning"
expect_grep err "; uncovered-rule 0 errors, 1 warning; uncovered-row 0 errors, 1 warning; uncovered-branch 0 errors, 1 warning" "coverage: --coverage=warning: the summary"
run "$LITRULE" verify --coverage warning --werror "$VC/coverage.md"
expect_status 1 "coverage: --coverage warning (two words) with --werror fails again"
run "$LITRULE" verify --coverage=off "$VC/coverage.md"
expect_status 0 "coverage: --coverage=off passes"
expect_grep err "; uncovered-rule 0 errors, 0 warnings; uncovered-row 0 errors, 0 warnings; uncovered-branch 0 errors, 0 warnings" "coverage: --coverage=off: nothing reported"
run "$LITRULE" verify --coverage=error "$VC/coverage.md"
expect_status 1 "coverage: --coverage=error is the default"
run "$LITRULE" verify --coverage=sometimes "$VC/coverage.md"
expect_status 2 "coverage: a bad --coverage level is a usage error"
expect_grep err "--coverage takes error, warning or off, not 'sometimes'" "coverage: the bad level is named"
run "$LITRULE" verify
expect_grep err "--coverage=error|warning|off" "coverage: verify's usage names --coverage"
run "$LITRULE" --help
expect_grep out "^  verify .*\[--coverage=error|warning|off\]" "coverage: --help names verify --coverage"
expect_grep out "^  test .*\[--coverage\]" "coverage: --help names test --coverage"
run "$LITRULE" test
expect_grep err "\[--coverage\] PATH" "coverage: test's usage names --coverage"

# ---- JSON and SARIF ---------------------------------------------------------------
run "$LITRULE" verify --format json "$VC/coverage.md"
expect_status 1 "coverage: --format json exits 1"
expect_true "coverage: JSON findings and properties" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["diagnostics"]
cov = [x for x in d if x["id"].startswith("uncovered-")]
assert sorted(x["id"] for x in cov) == ["uncovered-branch", "uncovered-row", "uncovered-rule"], cov
b = [x for x in cov if x["id"] == "uncovered-branch"][0]
assert b["properties"] == {"rule": "Give", "operator": "and", "true": 3, "false": 0}, b
r = [x for x in cov if x["id"] == "uncovered-row"][0]
assert r["properties"] == {"table": "Dose", "row": 3}, r
assert json.load(open(sys.argv[1]))["summary"]["uncovered-rule"] == {"errors": 1, "warnings": 0}
' "$TMP/out"
run "$LITRULE" verify --format sarif "$VC/coverage.md"
cp "$TMP/out" "$TMP/cov.sarif"
expect_true "coverage: SARIF with coverage findings validates" python3 tests/sarif/validate.py "$TMP/cov.sarif"
expect_true "coverage: SARIF has a reporting descriptor per coverage check and the three results" python3 -c '
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
for c in ("uncovered-rule", "uncovered-row", "uncovered-branch"):
    assert c in ids, ids
res = {x["ruleId"]: x for x in run["results"] if x["ruleId"].startswith("uncovered-")}
assert res["uncovered-rule"]["level"] == "error"
assert res["uncovered-branch"]["level"] == "warning"
reg = res["uncovered-branch"]["locations"][0]["physicalLocation"]["region"]
assert (reg["startLine"], reg["startColumn"]) == (23, 27), reg
' "$TMP/cov.sarif"

# ---- examples that fail, and unknown operands ------------------------------------
# Dry expecting the wrong rule fails: it covers nothing, and verify says so.
sed 's/^  expect Hydrate$/  expect Give/' "$VC/coverage_fixed.md" > "$VC/coverage_fails.tmp.md"
run "$LITRULE" verify "$VC/coverage_fails.tmp.md"
expect_status 1 "coverage: a failing example covers nothing"
expect_grep err "^verify: coverage: 1 of 4 examples fail (litrule test says why); they count for no coverage" "coverage: the failing examples are counted on stderr"
expect_grep err "coverage_fails.tmp.md:26:6: error: no passing example shows rule 'Hydrate' firing" "coverage: the failing example's rule is uncovered"
# Dry without its calcium: 'calcium >= 8.5' is unknown there, neither true
# nor false (Give still does not fire: 'dehydrated is false' is false).
sed 's/^  given crcl = 25, calcium = 9.0, dehydrated = true$/  given crcl = 25, dehydrated = true/' "$VC/coverage_fixed.md" > "$VC/coverage_unknown.tmp.md"
run "$LITRULE" test --coverage "$VC/coverage_unknown.tmp.md"
expect_status 0 "coverage: an example with a missing input still passes"
expect_grep out "^tests/verify/coverage_unknown.tmp.md:22:8: rule Give: operand 'calcium >= 8.5' of 'and': true in 2, false in 1$" "coverage: a missing input counts as neither true nor false"
rm -f "$VC/coverage_fails.tmp.md" "$VC/coverage_unknown.tmp.md"

# ---- many constants --------------------------------------------------------------
# The operand probes are lowered after the table: with more than 128
# distinct constants the constants' hash index must grow with them (it
# once stayed at 256 slots and the lookup never ended).  300 constants.
{
	printf '```rule\nsource G "g"\ninput x: number in mg, from 0 to 100000 "x"\n'
	i=0
	while [ $i -lt 150 ]; do
		printf 'rule R%d "r"\n  when x > %d and x < %d\n  then alert "a"\n  cite G at "1" quote "q"\n' $i $i $((i + 5000))
		i=$((i + 1))
	done
	printf 'example E "e"\n  given x = 100\n  expect R0\n```\n'
} > "$TMP/many_consts.md"
run timeout 20 "$LITRULE" verify "$TMP/many_consts.md"
expect_status 1 "coverage: 300 constants: verify ends (rules R1.. are uncovered)"
expect_grep err "; uncovered-rule 149 errors, 0 warnings; uncovered-row 0 errors, 0 warnings; uncovered-branch 0 errors, 300 warnings" "coverage: 300 constants: x = 100 shows R0 only; one example shows each of the 300 operands one way only"

# ---- test --coverage: text ---------------------------------------------------------
run "$LITRULE" test --coverage "$VC/coverage.md"
expect_status 1 "test --coverage: the uncovered rule still fails test"
expect_grep out "^tests/verify/coverage.md:22: rule Give: shown firing by 2 examples$" "test --coverage: rule Give by Normal and Moderate"
expect_grep out "^tests/verify/coverage.md:27: rule Hydrate: shown firing by no example$" "test --coverage: rule Hydrate by none"
expect_grep out "^tests/verify/coverage.md:17: table Dose row 1 (row at least 60 gives 4 mg): selected by 2 examples$" "test --coverage: row 1 by Normal and LowCalcium"
expect_grep out "^tests/verify/coverage.md:18: table Dose row 2 (row 30 to below 60 gives 3 mg): selected by 1 example$" "test --coverage: row 2 by Moderate"
expect_grep out "^tests/verify/coverage.md:19: table Dose row 3 (row below 30 gives nothing): selected by no example$" "test --coverage: row 3 by none"
expect_grep out "^tests/verify/coverage.md:23:8: rule Give: operand 'calcium >= 8.5' of 'and': true in 2, false in 1$" "test --coverage: calcium operand both ways"
expect_grep out "^tests/verify/coverage.md:23:27: rule Give: operand 'dehydrated is false' of 'and': true in 3, false in 0 (never false)$" "test --coverage: the operand never false"
expect_grep out "^coverage: rules 1/2, rows 2/3, branches 3/4$" "test --coverage: the totals"
run "$LITRULE" test "$VC/coverage.md"
expect_true "test without --coverage prints no detail" sh -c '! grep -q "^coverage: rules\|: operand " "$1"' sh "$TMP/out"
run "$LITRULE" test --coverage "$VC/coverage_fixed.md"
expect_status 0 "test --coverage: the fixed fixture passes"
expect_grep out "^coverage: rules 2/2, rows 3/3, branches 4/4$" "test --coverage: fixed totals"
# Nested chains flatten: 4 'and' operands plus the 'or's 2 = 6 operands, 12 branches;
# x = y = z = 2 makes x > 1, y > 1, z > 1 true and the other three false.
run "$LITRULE" test --coverage "$VC/coverage_chain.md"
expect_grep out "^coverage: rules 1/2, rows 0/0, branches 6/12$" "test --coverage: a nested chain's operands"
expect_grep out "^tests/verify/coverage_chain.md:16:19: rule Chain: operand 'y > 1' of 'and': true in 1, false in 0 (never false)$" "test --coverage: a parenthesised 'and' joins the chain"
expect_grep out "^tests/verify/coverage_chain.md:16:41: rule Chain: operand 'y > 5 or z > 5' of 'and': true in 0, false in 1 (never true)$" "test --coverage: the 'or' is one operand of the 'and'"
expect_grep out "^tests/verify/coverage_chain.md:16:50: rule Chain: operand 'z > 5' of 'or': true in 0, false in 1 (never true)$" "test --coverage: and has operands of its own"
expect_true "test --coverage: exactly six operands" sh -c '[ "$(grep -c ": operand " "$1")" = 6 ]' sh "$TMP/out"

# ---- test --coverage: JSON -----------------------------------------------------------
run "$LITRULE" test --coverage --format json "$VC/coverage_fixed.md"
expect_status 0 "test --coverage --format json: exit 0"
expect_true "test --coverage --format json: the coverage detail" python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))["coverage"]
assert c["rules"] == 2 and c["covered"] == 2, c
d = c["detail"]
assert (d["rules"]["covered"], d["rules"]["total"]) == (2, 2), d["rules"]
assert (d["rows"]["covered"], d["rows"]["total"]) == (3, 3), d["rows"]
assert (d["branches"]["covered"], d["branches"]["total"]) == (4, 4), d["branches"]
assert [(r["rule"], r["examples"]) for r in d["rules"]["items"]] == [("Give", 2), ("Hydrate", 1)]
assert [(r["row"], r["examples"], r["line"]) for r in d["rows"]["items"]] == [(1, 2, 16), (2, 1, 17), (3, 1, 18)]
ops = d["branches"]["items"]
assert [(o["operand"], o["operator"], o["true"], o["false"], o["line"], o["column"]) for o in ops] == \
    [("calcium >= 8.5", "and", 3, 1, 22, 8), ("dehydrated is false", "and", 3, 1, 22, 27)], ops
' "$TMP/out"
run "$LITRULE" test --format json "$VC/coverage_fixed.md"
expect_true "test --format json without --coverage has no detail" python3 -c '
import json, sys
assert "detail" not in json.load(open(sys.argv[1]))["coverage"]
' "$TMP/out"

# ---- the flagship -------------------------------------------------------------------
run "$LITRULE" verify rules/
expect_grep err "; uncovered-rule 0 errors, 0 warnings; uncovered-row 0 errors, 0 warnings; uncovered-branch 0 errors, [0-9]* warnings\?\(;.*\)\?$" "coverage: every flagship rule and row is covered"
run "$LITRULE" test --coverage rules/
expect_status 0 "test --coverage rules/ passes"
expect_grep out "^coverage: rules [0-9]*/[0-9]*, rows [0-9]*/[0-9]*, branches [0-9]*/[0-9]*$" "test --coverage rules/: the totals"
expect_true "test --coverage rules/: every rule and row covered" sh -c 'grep "^coverage: rules" "$1" | grep -q "^coverage: rules \([0-9]*\)/\1, rows \([0-9]*\)/\2, "' sh "$TMP/out"
