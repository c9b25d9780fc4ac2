# tests/e2e/sections/verify-solver.sh: verify's Z3 analyses (sourced by
# tests/e2e/run.sh): dead-rule, unreachable-row, not-analysed, and the
# summary counts, on tests/verify/solver_dead.md (seeded defects, described
# in the fixture) and solver_dead_fixed.md (the same, corrected: clean).
# Every location below was counted by hand in the fixture.  Contradictions
# need action subjects (a separate change to the language); until then
# tests/unit/test_smt.c covers them with subjects set by hand.

SV=tests/verify

# ---- the seeded defects -------------------------------------------------------
run "$LITRULE" verify --coverage=off "$SV/solver_dead.md"
expect_status 0 "solver: dead rules and rows are warnings"
expect_grep err "^tests/verify/solver_dead.md:41:8: warning: rule 'Crossed' can never fire: no patient within the declared input ranges satisfies its condition" "solver: Crossed is dead, at its condition"
expect_grep err "^tests/verify/solver_dead.md:41:8: note: this part of the condition conflicts" "solver: Crossed: egfr > 100 conflicts"
expect_grep err "^tests/verify/solver_dead.md:41:36: note: this part of the condition conflicts" "solver: Crossed: egfr < 50 conflicts"
expect_true "solver: Crossed: 'dialysis' is not part of the conflict" \
	sh -c '! grep -q "^tests/verify/solver_dead.md:41:25: note" "$1"' sh "$TMP/err"
expect_grep err "^tests/verify/solver_dead.md:46:8: warning: rule 'Ancient' can never fire" "solver: Ancient is dead"
expect_grep err "^tests/verify/solver_dead.md:46:21: note: this part of the condition conflicts" "solver: Ancient: age > 130"
expect_grep err "^tests/verify/solver_dead.md:16:34: note: the declared range of 'age'" "solver: Ancient: age's range (18 to 120)"
expect_grep err "^tests/verify/solver_dead.md:37:3: warning: row 3 of table 'Band' is never reached: no key value within the declared input ranges lies in its interval" "solver: Band's row 3 lies beyond egfr's range"
expect_grep err "^tests/verify/solver_dead.md:14:36: note: the declared range of 'egfr'" "solver: Band: egfr's range"
expect_grep err "^tests/verify/solver_dead.md:31:3: warning: this row of table 'Dose' can never be chosen" "solver: Dose's masked row is check's"
expect_true "solver: the masked row is not reported twice" \
	sh -c '! grep -q "row 3 of table .Dose." "$1"' sh "$TMP/err"
expect_grep err "^tests/verify/solver_dead.md:67:8: warning: rule 'Late' not analysed by the solver checks (dead-rule, contradiction): a schedule's state ('is overdue')" "solver: a schedule's state is not analysed, and says so"
expect_true "solver: the live rules (missing data, rounding, months) are not reported" \
	sh -c '! grep -q "rule .\(Renal\|Rounding\|Month\)." "$1"' sh "$TMP/err"
expect_grep err "; dead-rule 0 errors, 2 warnings; unreachable-row 0 errors, 1 warning; always-overridden 0 errors, 0 warnings; contradiction 0 errors, 0 warnings; not-analysed 0 errors, 1 warning" "solver: the summary counts"
run "$LITRULE" verify --coverage=off --werror "$SV/solver_dead.md"
expect_status 1 "solver: --werror makes them fail"

# JSON carries the same findings with their ids.
run "$LITRULE" verify --coverage=off --format json "$SV/solver_dead.md"
expect_grep out '"id": "dead-rule"' "solver: json: dead-rule id"
expect_grep out '"id": "unreachable-row"' "solver: json: unreachable-row id"
expect_grep out '"not-analysed": {' "solver: json: the summary has not-analysed"

# ---- fixed ---------------------------------------------------------------------
run "$LITRULE" verify --coverage=off "$SV/solver_dead_fixed.md"
expect_status 0 "solver: the fixed fixture passes"
expect_grep err "; dead-rule 0 errors, 0 warnings; unreachable-row 0 errors, 0 warnings; always-overridden 0 errors, 0 warnings; contradiction 0 errors, 0 warnings; not-analysed 0 errors, 0 warnings" "solver: fixed: nothing found"
expect_true "solver: fixed: no rule or row reported" sh -c '! grep -q "never\|not analysed" "$1"' sh "$TMP/err"

# ---- the flagship --------------------------------------------------------------
run timeout 120 "$LITRULE" verify rules/
expect_grep err "; dead-rule 0 errors, 0 warnings; unreachable-row 0 errors, 0 warnings" "solver: the flagship has no dead rule or unreachable row"

# ---- contradictions (tests/verify/solver_contradict.md) ----------------------
run "$LITRULE" verify --coverage=off "$SV/solver_contradict.md"
expect_status 1 "solver: contradictions are errors"
expect_grep err "^tests/verify/solver_contradict.md:43:8: error: rules 'Start' and 'Renal' contradict on 'Bis': 'Start' recommends it and 'Renal' holds it, for the same patient" "solver: Start/Renal at Start's action"
expect_grep err "^tests/verify/solver_contradict.md:48:8: note: 'Renal' holds 'Bis' here" "solver: Start/Renal: a note at Renal's action"
expect_grep err "^tests/verify/solver_contradict.md:41:6: note: both fire for the patient {\"dialysis\": true}; " "solver: missing data: the one witness is dialysis alone"
expect_grep err "^tests/verify/solver_contradict.md:58:8: error: rules 'Third' and 'Take' contradict on 'Pill': 'Third' holds it and 'Take' recommends it" "solver: rounding: Third fires (x / 3 * 3 < x)"
expect_grep err "^tests/verify/solver_contradict.md:68:8: error: rules 'Give' and 'Fixed' both dose 'Drug' with different amounts for the same patient" "solver: two different doses"
expect_grep err "^tests/verify/solver_contradict.md:83:8: error: rules 'Early' and 'Late' contradict on 'Visit': 'Early' recommends it and 'Late' defers it" "solver: months: a 31-day month"
expect_grep err "^tests/verify/solver_contradict.md:92:6: warning: rule 'Hide' never fires without a rule that overrides it firing too" "solver: Hide is always overridden"
expect_grep err "^tests/verify/solver_contradict.md:98:6: note: 'Cover' overrides it" "solver: Hide: the note at Cover"
expect_grep err "; always-overridden 0 errors, 1 warning; contradiction 4 errors, 0 warnings; not-analysed 0 errors, 0 warnings" "solver: four contradictions, one shadowed rule, nothing else"
expect_true "solver: Same (same amount) and Alone (never together) are not reported" \
	sh -c '! grep -q "'"'"'\(Same\|Alone\)'"'"'" "$1"' sh "$TMP/err"
cp "$TMP/err" "$TMP/contradict.err"

# Every witness is a record litrule eval accepts, and both rules fire on it.
sv_witness() { # PAIR-LINE-PATTERN -> $TMP/w.json
	grep -A8 "$1" "$TMP/contradict.err" | sed -n 's/.*both fire for the patient \(.*\); declare.*/\1/p' | head -1 > "$TMP/w.json"
}
for pair in "Start Renal" "Third Take" "Give Fixed" "Early Late"; do
	r1=${pair% *}
	r2=${pair#* }
	sv_witness "rules '$r1' and '$r2'"
	expect_true "solver: witness for $r1/$r2 was printed" test -s "$TMP/w.json"
	run "$LITRULE" eval --rules "$SV/solver_contradict.md" "$TMP/w.json"
	expect_status 0 "solver: eval accepts the witness of $r1/$r2"
	expect_grep out "\"rule\": \"$r1\"" "solver: $r1 fires on its witness"
	expect_grep out "\"rule\": \"$r2\"" "solver: $r2 fires on its witness"
done
# The dose pair's witness gives different amounts (2 x against 4 mg).
sv_witness "rules 'Give' and 'Fixed'"
expect_true "solver: the dose witness's x is not 2" sh -c '! grep -q "\"x\": \"2\"" "$1"' sh "$TMP/w.json"

# JSON and SARIF carry the witness in the finding's properties.
run "$LITRULE" verify --coverage=off --format json "$SV/solver_contradict.md"
expect_grep out '"witness": {' "solver: json: witness in properties"
expect_grep out '"subject": "Bis"' "solver: json: the subject in properties"
run "$LITRULE" verify --coverage=off --format sarif "$SV/solver_contradict.md"
expect_grep out '"ruleId": "contradiction"' "solver: sarif: contradiction results"
expect_grep out '"relatedLocations"' "solver: sarif: the second rule as a related location"

# ---- fixed: every relation declared --------------------------------------------
run "$LITRULE" verify --coverage=off "$SV/solver_contradict_fixed.md"
expect_status 0 "solver: declared relations pass"
expect_grep err "; always-overridden 0 errors, 0 warnings; contradiction 0 errors, 0 warnings; not-analysed 0 errors, 0 warnings" "solver: fixed: nothing found"
