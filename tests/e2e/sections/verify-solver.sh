# tests/e2e/sections/verify-solver.sh: verify's Z3 analyses (sourced by
# tests/e2e/run.sh): dead-rule, unreachable-row, not-analysed, and the
# summary counts, on tests/verify/solver_dead.md (seeded defects, described
# in the fixture) and solver_dead_fixed.md (the same, corrected: clean).
# Every location below was counted by hand in the fixture.  Contradictions
# need action subjects (a separate change to the language); until then
# tests/unit/test_smt.c covers them with subjects set by hand.

SV=tests/verify

# ---- the seeded defects -------------------------------------------------------
run "$LITRULE" verify "$SV/solver_dead.md"
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
run "$LITRULE" verify --werror "$SV/solver_dead.md"
expect_status 1 "solver: --werror makes them fail"

# JSON carries the same findings with their ids.
run "$LITRULE" verify --format json "$SV/solver_dead.md"
expect_grep out '"id": "dead-rule"' "solver: json: dead-rule id"
expect_grep out '"id": "unreachable-row"' "solver: json: unreachable-row id"
expect_grep out '"not-analysed": {' "solver: json: the summary has not-analysed"

# ---- fixed ---------------------------------------------------------------------
run "$LITRULE" verify "$SV/solver_dead_fixed.md"
expect_status 0 "solver: the fixed fixture passes"
expect_grep err "; dead-rule 0 errors, 0 warnings; unreachable-row 0 errors, 0 warnings; always-overridden 0 errors, 0 warnings; contradiction 0 errors, 0 warnings; not-analysed 0 errors, 0 warnings" "solver: fixed: nothing found"
expect_true "solver: fixed: no rule or row reported" sh -c '! grep -q "never\|not analysed" "$1"' sh "$TMP/err"

# ---- the flagship --------------------------------------------------------------
run timeout 120 "$LITRULE" verify rules/
expect_grep err "; dead-rule 0 errors, 0 warnings; unreachable-row 0 errors, 0 warnings" "solver: the flagship has no dead rule or unreachable row"
