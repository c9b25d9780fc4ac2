# tests/e2e/sections/mutation.sh: the mutation script itself
# (tests/mutation/, sourced by tests/e2e/run.sh).  `make mutation` runs
# every mutant; here: that the script cannot pass vacuously (a no-op
# mutant survives and the exit status is 1), that a stale target or an
# already failing rule set stops it with exit 2, and that single mutants
# are killed by what the report names (worked out by hand below).

MUT=tests/mutation/run.sh

# ---- a mutant that changes no rule survives: exit 1 ---------------------------
run sh "$MUT" "$BUILD" --self-test
expect_status 1 "mutation: --self-test (a no-op mutant) fails the run"
expect_grep out "^  SURVIVED  noop-self-test " "mutation: the no-op mutant is reported as survived"
expect_grep out "^mutation: 0 of 1 applicable mutants killed (kill rate 0%), 1 survived" "mutation: kill rate 0% for the no-op"

# ---- single mutants, killed by what the report says ------------------------------
# q8w instead of q12w after a confirmed step-down: dmab_step_down_confirmed
# expects the next dose 84 days after 2026-02-07 (2026-05-02, phase q12w);
# 56 days gives 2026-04-04.
run sh "$MUT" "$BUILD" --only q12w-to-q8w
expect_status 0 "mutation: q12w-to-q8w is killed"
expect_grep out "^  killed    q12w-to-q8w " "mutation: q12w-to-q8w reported killed"
expect_grep out "by test: example dmab_step_down_confirmed" "mutation: q12w-to-q8w killed by dmab_step_down_confirmed"
# One character of a quote: the quote check (verify runs check first).
run sh "$MUT" "$BUILD" --only quote-char
expect_status 0 "mutation: quote-char is killed"
expect_grep out "by verify: quote-mismatch" "mutation: quote-char killed by the quote check"
# R25a's citation is the only one that quotes the interview's MDT statement.
run sh "$MUT" "$BUILD" --only delete-citation-statement
expect_status 0 "mutation: delete-citation-statement is killed"
expect_grep out "by verify: prose-coverage$" "mutation: a statement's only citation deleted: prose-coverage"
# The schedule's dose: the example dmab_month23 asserts 120 mg.
run sh "$MUT" "$BUILD" --only dose-schedule-dmab
expect_status 0 "mutation: dose-schedule-dmab is killed"
expect_grep out "by test: example dmab_month23" "mutation: the denosumab dose is asserted by dmab_month23"

# ---- an overrides clause: dropped when there is one, else not applicable ----
run sh "$MUT" "$BUILD" --only drop-overrides
if grep -q '^[[:space:]]*overrides[[:space:]]' rules/mm-bone-protection.md; then
	expect_status 0 "mutation: drop-overrides is killed"
	expect_grep out "^  killed    drop-overrides " "mutation: drop-overrides reported killed"
else
	expect_status 1 "mutation: only a not-applicable mutant: nothing judged, exit 1"
	expect_grep out "^  n/a       drop-overrides             not applicable: no overrides clause in the rule set" "mutation: drop-overrides not applicable"
	expect_grep out "0 of 0 applicable mutants killed .* 1 not applicable" "mutation: not applicable counted apart, never as killed"
fi

# ---- the harness refuses what it cannot judge: exit 2 -------------------------------
run sh "$MUT" "$BUILD" --only no-such-mutant
expect_status 2 "mutation: an unknown mutant id"
expect_grep err "unknown mutant id: no-such-mutant" "mutation: the unknown id is named"
# A rule set without the texts two mutants change (the stepped-down denosumab
# schedule's q12w and R04's 24 months edited).
rm -rf "$TMP/mrules" && cp -R rules "$TMP/mrules"
sed -e 's/subcutaneous q12w$/subcutaneous q10w/' -e 's/today on or after first_dose + 24 months/today on or after first_dose + 25 months/' \
	rules/mm-bone-protection.md > "$TMP/mrules/mm-bone-protection.md"
run python3 tests/mutation/mutate.py --litrule "$LITRULE" --rules "$TMP/mrules"
expect_status 2 "mutation: a mutant's text not found stops the run"
expect_grep err "mutant q12w-to-q8w: the text to mutate was not found" "mutation: the stale mutant is named"
expect_grep err "mutant phase-length: the text to mutate was not found" "mutation: every stale mutant is named"
expect_true "mutation: nothing judged when a target is stale" sh -c '! grep -q "killed" "$1"' sh "$TMP/out"
# A rule set that already fails its examples: every mutant would look killed.
sed 's/^  expect R25b$/  expect R25a/' rules/mm-bone-protection.md > "$TMP/mrules/mm-bone-protection.md"
run python3 tests/mutation/mutate.py --litrule "$LITRULE" --rules "$TMP/mrules"
expect_status 2 "mutation: a failing unmutated rule set stops the run"
expect_grep err "the unmutated rule set already fails (.*test: example mdt_amyloid" "mutation: the baseline failure is named"
rm -rf "$TMP/mrules"
