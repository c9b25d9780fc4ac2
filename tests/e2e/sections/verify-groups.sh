# tests/e2e/sections/verify-groups.sh: contradictions between a general
# subject and the subjects it covers ('subject S "..." covers A, B'),
# sourced by tests/e2e/run.sh.  Fixtures: tests/verify/groups.md (two
# seeded contradictions that only the covers reveal, described in the
# file) and groups_fixed.md (both declared: clean).  Every location below
# was counted by hand in the fixture; each witness is evaluated with
# `litrule eval` to confirm that both rules fire on it.  Then the flagship:
# R01a dropped from R16a's overrides must be killed by verify.

GV=tests/verify

# ---- the seeded contradictions ----------------------------------------------------
run "$LITRULE" verify --coverage=off "$GV/groups.md"
expect_status 1 "groups: contradictions through covers fail verify"
expect_grep err "^tests/verify/groups.md:46:8: error: rules 'Start' and 'LowCa' contradict on 'Therapy', which covers 'ZaSched': 'Start' recommends 'Therapy' and 'LowCa' holds 'ZaSched', for the same patient" "groups: Start/LowCa through Therapy > Bis > ZaSched (transitive)"
expect_grep err "^tests/verify/groups.md:51:8: note: 'LowCa' holds 'ZaSched' here" "groups: Start/LowCa: a note at LowCa's action"
expect_grep err "^tests/verify/groups.md:56:8: error: rules 'RenalHold' and 'ZaLow' contradict on 'Bis', which covers 'ZaSched': 'RenalHold' holds 'Bis' and 'ZaLow' doses 'ZaSched', for the same patient" "groups: RenalHold/ZaLow through Bis"
expect_grep err "^tests/verify/groups.md:61:8: note: 'ZaLow' doses 'ZaSched' here" "groups: RenalHold/ZaLow: a note at ZaLow's action"
expect_grep err "; contradiction 2 errors, 0 warnings; not-analysed 0 errors, 0 warnings" "groups: exactly two contradictions (siblings and uncovered subjects not paired)"
expect_true "groups: PamDose (a sibling schedule) and Other (an uncovered subject) are not reported" \
	sh -c '! grep -q "'"'"'\(PamDose\|Other\)'"'"'" "$1"' sh "$TMP/err"
cp "$TMP/err" "$TMP/groups.err"

gv_witness() { # PAIR-LINE-PATTERN -> $TMP/gw.json
	grep -A8 "$1" "$TMP/groups.err" | sed -n 's/.*both fire for the patient \(.*\); declare.*/\1/p' | head -1 > "$TMP/gw.json"
}
for pair in "Start LowCa" "RenalHold ZaLow"; do
	r1=${pair% *}
	r2=${pair#* }
	gv_witness "rules '$r1' and '$r2'"
	expect_true "groups: witness for $r1/$r2 was printed" test -s "$TMP/gw.json"
	run "$LITRULE" eval --rules "$GV/groups.md" "$TMP/gw.json"
	expect_status 0 "groups: eval accepts the witness of $r1/$r2"
	expect_grep out "\"rule\": \"$r1\"" "groups: $r1 fires on its witness"
	expect_grep out "\"rule\": \"$r2\"" "groups: $r2 fires on its witness"
done
# Start/LowCa needs a newly diagnosed patient with calcium below 8.5.
gv_witness "rules 'Start' and 'LowCa'"
expect_true "groups: the Start/LowCa witness is newly diagnosed" grep -q '"newly": true' "$TMP/gw.json"

# JSON carries the group and the covered subject.
run "$LITRULE" verify --coverage=off --format json "$GV/groups.md"
expect_grep out '^ *"subject": "Therapy",$' "groups: json: the covering subject"
expect_grep out '^ *"covers": "ZaSched"$' "groups: json: the covered subject"

# ---- fixed: both relations declared ---------------------------------------------------
run "$LITRULE" verify --coverage=off "$GV/groups_fixed.md"
expect_status 0 "groups: declared relations pass"
expect_grep err "; always-overridden 0 errors, 0 warnings; contradiction 0 errors, 0 warnings; not-analysed 0 errors, 0 warnings" "groups: fixed: nothing found"

# ---- the flagship -----------------------------------------------------------------------
run timeout 120 "$LITRULE" verify rules/
expect_status 0 "groups: the flagship verifies with its covers declared"
expect_grep err "; contradiction 0 errors, 0 warnings;" "groups: the flagship has no contradiction left"
run sh tests/mutation/run.sh "$BUILD" --only drop-overrides-r16a-r01a
expect_status 0 "groups: R01a dropped from R16a's overrides is killed"
expect_grep out "by verify: contradiction" "groups: ... and verify kills it (a contradiction through bone_protection's covers)"
