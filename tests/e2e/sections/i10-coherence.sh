# tests/e2e/sections/i10-coherence.sh: the flagship's second edition, issue 10
# findings 5, 7 and 8, seen through `litrule eval` (what a clinician reads):
# one instruction per patient when a hold meets a start rule, the resume dose
# after a renal hold, the dental rules reading the procedure's date, and R21
# on the serum calcium.  Sourced by tests/e2e/run.sh.

mkdir -p "$TMP/i10c"

# ---- finding 5: R14 wins over R01a; the decision holds, it does not say "start" ----
printf '{"today": "2025-03-03", "newly_diagnosed": true, "anti_mm_start": "2025-03-03", "agent": "zoledronic_acid", "albumin_g_dl": "4.0"}\n' \
	> "$TMP/i10c/nolabs.json"
run "$LITRULE" eval --rules rules/ --format text "$TMP/i10c/nolabs.json"
expect_status 0 "i10c: eval without baseline labs"
expect_grep out '^   \[R14\] hold bone_protection: Hold the first bone-protection dose until these results are back' \
	"i10c: R14 holds the first dose"
expect_grep out '^   overridden: R01a by R14: recommend bone_protection: Start bone-protective therapy' \
	"i10c: R01a overridden by R14"
expect_true "i10c: R01a not in the decision" sh -c "! grep -q '^   \[R01a\]' '$TMP/out'"

# ---- finding 5: R16a wins over R01b once the start day has passed ----
printf '{"today": "2025-03-05", "newly_diagnosed": true, "anti_mm_start": "2025-03-03", "agent": "denosumab", "calcium_mg_dl": "8.0", "albumin_g_dl": "4.0", "vitamin_d_ng_ml": "32"}\n' \
	> "$TMP/i10c/lowca_late.json"
run "$LITRULE" eval --rules rules/ --format text "$TMP/i10c/lowca_late.json"
expect_grep out '^   overridden: R01b by R16a: alert bone_protection: Bone protection is overdue' "i10c: R01b overridden by R16a"
expect_true "i10c: R01b not in the decision" sh -c "! grep -q '^   \[R01b\]' '$TMP/out'"
expect_grep out '^   \[R16a\] hold denosumab_schedule: .*record the low calcium as the reason the start is deferred' \
	"i10c: R16a says what happens to the start"

# ---- finding 7: the dose to resume with after a renal hold ----
# The baseline tests are back: before the first dose R14 would otherwise hold the dose (it overrides R12c).
printf '{"today": "2025-07-07", "agent": "zoledronic_acid", "crcl_ml_min": "55", "baseline_scr_mg_dl": "1.2", "scr_mg_dl": "1.3", "renal_hold": true, "calcium_mg_dl": "9.4", "albumin_g_dl": "4.0", "vitamin_d_ng_ml": "32"}\n' \
	> "$TMP/i10c/resume.json"
run "$LITRULE" eval --rules rules/ --format text "$TMP/i10c/resume.json"
expect_grep out '^   \[R12c\] dose za_schedule: Resume zoledronic acid at the same dose' "i10c: R12c resumes zoledronic acid"
expect_grep out '^      dose: 3.5 mg intravenous' "i10c: the resume dose is 3.5 mg (CrCl 55: the 50-60 band)"

# ---- finding 7: the procedure date, not today, decides the dental window ----
# On treatment today, stop planned 2025-04-01, extraction on 2025-12-01: past
# 2025-04-01 + 6 months = 2025-10-01, so nothing to postpone.
printf '{"today": "2025-03-03", "agent": "zoledronic_acid", "first_dose": "2024-01-08", "stop_date": "2025-04-01", "invasive_dental_planned": true, "dental_emergency": false, "dental_procedure_date": "2025-12-01"}\n' \
	> "$TMP/i10c/dental_late.json"
run "$LITRULE" eval --rules rules/ --format text "$TMP/i10c/dental_late.json"
expect_true "i10c: no postponement for a procedure after the post-stop period" sh -c "! grep -q '^   \[R23a\]' '$TMP/out'"
# The same patient with the procedure on 2025-09-30: inside the period.
sed 's/2025-12-01/2025-09-30/' "$TMP/i10c/dental_late.json" > "$TMP/i10c/dental_in.json"
run "$LITRULE" eval --rules rules/ --format text "$TMP/i10c/dental_in.json"
expect_grep out '^   \[R23a\] defer: Postpone this non-emergency invasive dental procedure' \
	"i10c: postponement for a procedure inside the post-stop period"

# ---- finding 8: R21 reads the serum calcium, and claims no treatment ----
printf '{"today": "2025-03-03", "agent": "zoledronic_acid", "first_dose": "2025-01-06", "calcium_mg_dl": "11.2", "albumin_g_dl": "5.0"}\n' \
	> "$TMP/i10c/crab.json"
run "$LITRULE" eval --rules rules/ --format text "$TMP/i10c/crab.json"
expect_grep out '^   \[R21\] alert: Serum calcium meets the hypercalcaemia criterion' "i10c: R21 on serum calcium 11.2"
expect_true "i10c: R21 no longer says 'Treat the hypercalcaemia'" sh -c "! grep -q 'Treat the hypercalcaemia' '$TMP/out'"
