# tests/e2e/sections/verify-prose.sh: statements of a source and verify's
# prose-coverage analysis (sourced by tests/e2e/run.sh).  The fixture
# tests/verify/prose.md declares four statements of its guideline: 'halve'
# is covered by a rule whose quote contains it, 'recheck' by a citation that
# names it ('for recheck'; the quotes do not overlap), 'diet' is declared
# not computable, and 'vaccine' is encoded by nothing: the one finding, at
# line 14, column 11 (the statement's name).  prose_fixed.md declares
# 'vaccine' not computable and is clean.

PV=tests/verify

# ---- the seeded uncovered statement ----------------------------------------
run "$LITRULE" verify "$PV/prose.md"
expect_status 1 "prose: an uncovered statement is an error"
expect_grep err "^tests/verify/prose.md:14:11: error: statement 'vaccine' of 'Guide' is encoded by no rule: \"Offer influenza vaccination every year.\"" "prose: the uncovered statement at its name, with its quote"
expect_grep err "; prose-coverage 1 error, 0 warnings\(;.*\)\?$" "prose: exactly one finding"
expect_true "prose: covered (overlap, for) and not-computable statements are not reported" \
	sh -c '! grep -q "statement .\(halve\|recheck\|diet\)." "$1"' sh "$TMP/err"
run "$LITRULE" check "$PV/prose.md"
expect_status 0 "prose: check alone accepts the fixture (coverage is verify's)"
expect_empty err "prose: check has nothing to say"

# ---- fixed: every statement covered or declared ------------------------------
run "$LITRULE" verify --coverage=off "$PV/prose_fixed.md"
expect_status 0 "prose: the fixed fixture passes verify"
expect_grep err "; prose-coverage 0 errors, 0 warnings\(;.*\)\?$" "prose: fixed: no finding"

# ---- each way of covering is needed ------------------------------------------
# Without 'for recheck' the Recheck rule's quote does not overlap the statement.
sed 's/ for recheck$//' "$PV/prose_fixed.md" > "$PV/prose_nofor.tmp.md"
run "$LITRULE" verify "$PV/prose_nofor.tmp.md"
expect_status 1 "prose: without 'for', 'recheck' is uncovered"
expect_grep err "prose_nofor.tmp.md:12:11: error: statement 'recheck' of 'Guide' is encoded by no rule" "prose: 'recheck' reported at 12:11"
# Without the Halve rule's quote containing it, 'halve' is uncovered.
sed 's/reduce the"$/reduce the dose"/; /^    " dose by half."$/d' "$PV/prose_fixed.md" > "$PV/prose_nohalve.tmp.md"
run "$LITRULE" verify "$PV/prose_nohalve.tmp.md"
expect_status 1 "prose: a quote that only starts the statement does not cover it"
expect_grep err "prose_nohalve.tmp.md:11:11: error: statement 'halve' of 'Guide' is encoded by no rule" "prose: 'halve' reported at 11:11"
# A statement quote wrapped over lines still overlaps (same normalisation).
sed 's/^statement halve in Guide quote "reduce the dose by half."$/statement halve in Guide quote "reduce the dose"\n  "  by half."/' "$PV/prose_fixed.md" > "$PV/prose_wrap.tmp.md"
run "$LITRULE" verify --coverage=off "$PV/prose_wrap.tmp.md"
expect_status 0 "prose: white space in quotes is normalised before the overlap test"
rm -f "$PV"/prose_*.tmp.md

# ---- the declaration is checked ---------------------------------------------
sed 's/Offer influenza vaccination every year./Offer influenza vaccination every month./' "$PV/prose_fixed.md" > "$PV/prose_badquote.tmp.md"
run "$LITRULE" check "$PV/prose_badquote.tmp.md"
expect_status 1 "prose: a statement quote not in the text is a check error"
expect_grep err "prose_badquote.tmp.md:14:34: error: this quote does not appear in the text of 'Guide' .*: it matches up to \"Offer influenza vaccination every \" and then differs" "prose: the quote mismatch at the quote"
run "$LITRULE" verify "$PV/prose_badquote.tmp.md"
expect_status 1 "prose: verify stops at the front end's error"
sed 's/ for recheck$/ for rechek/' "$PV/prose_fixed.md" > "$PV/prose_badfor.tmp.md"
run "$LITRULE" check "$PV/prose_badfor.tmp.md"
expect_status 1 "prose: 'for' naming no statement is an error"
expect_grep err "prose_badfor.tmp.md:27:74: error: no statement named 'rechek' is declared; did you mean 'recheck'?" "prose: unknown statement at its name"
sed 's/^statement diet in Guide/statement diet in Other/; s/^input egfr/source Other "Other" text "sources\/prose_source.txt"\ninput egfr/; s/ for recheck$/ for diet/' "$PV/prose_fixed.md" > "$PV/prose_badsrc.tmp.md"
run "$LITRULE" check "$PV/prose_badsrc.tmp.md"
expect_status 1 "prose: 'for' naming another source's statement is an error"
expect_grep err "prose_badsrc.tmp.md:28:74: error: statement 'diet' is a statement of 'Other', but this citation quotes 'Guide'" "prose: wrong source at the name"
sed 's/  not computable "diet/  not computed "diet/' "$PV/prose_fixed.md" > "$PV/prose_badnc.tmp.md"
run "$LITRULE" check "$PV/prose_badnc.tmp.md"
expect_status 1 "prose: 'not' must be followed by 'computable'"
expect_grep err "prose_badnc.tmp.md:17:7: error: unexpected name 'computed' after 'not'" "prose: the wrong word at its place"
sed 's/  not computable "diet advice[^"]*"/  not computable ""/' "$PV/prose_fixed.md" > "$PV/prose_emptync.tmp.md"
run "$LITRULE" check "$PV/prose_emptync.tmp.md"
expect_status 1 "prose: not computable needs a reason"
expect_grep err "prose_emptync.tmp.md:17:18: error: say why statement 'diet' cannot be computed" "prose: the empty reason at its place"
rm -f "$PV"/prose_*.tmp.md

# ---- the flagship: every statement covered or declared -------------------------
run "$LITRULE" verify rules/
expect_grep err "; prose-coverage 0 errors, 0 warnings\(;.*\)\?$" "prose: flagship: every statement is covered or declared not computable"
expect_true "prose: flagship declares the interview's statements" \
	sh -c '[ "$(grep -c "^statement " rules/mm-bone-protection.md)" -ge 4 ]'
# The flagship's coverage is not vacuous: without its 'not computable' the
# adverse-effects statement is reported at its name.
mkdir -p "$TMP/prose_flag" && cp -r rules/sources "$TMP/prose_flag/" &&
	grep -v '^  not computable "patient education and the management of adverse' rules/mm-bone-protection.md > "$TMP/prose_flag/mm.md"
run "$LITRULE" verify "$TMP/prose_flag/mm.md"
expect_grep err "mm.md:[0-9]*:11: error: statement 'interview_adverse_effects' of 'INTERVIEW' is encoded by no rule" "prose: flagship mutant: an undeclared, uncited statement is found"
expect_grep err "; prose-coverage 1 error, 0 warnings\(;.*\)\?$" "prose: flagship mutant: only that one"

# Statement names have their own namespace: one named like the schedule's
# anchor input must not be taken for it when the schedule is lowered (it was
# read as the constant 0: due 2024-03-25 in phase q12w instead of 2024-01-29).
run "$LITRULE" test "$PV/prose_name_clash.md"
expect_grep out "^1 passed, 0 failed$" "prose: a statement named like an input does not shadow it in a schedule's anchor"
