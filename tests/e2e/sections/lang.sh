# tests/e2e/sections/lang.sh: the language additions of issue 12 item 5
# through the command line: 'months from A to B', 'day of month of D' and
# 'then VERB "..." due DATE'.  eval's JSON and text show the due date;
# a due date or a count that reads a missing input keeps the rule from
# firing and names the input; `test` checks `expect RULE due DATE` for
# computed dates (and fails on a wrong one); verify reports the month-end
# reading of a count of months and analyses rules using both constructs;
# `build` compiles them into native code that gives what `eval` gives.
# Expected values worked out by hand (docs/language.md section 13).
# Sourced by tests/e2e/run.sh (helpers and variables there).

# ---- section: months from, day of month, due dates ----------------------------
mkdir -p "$TMP/lang"
cat > "$TMP/lang/due.md" <<'EOF'
# Due dates

```rule
source G "Guideline"

input start: date "date of the first dose"
input today: date "date of this review"
input last_scan: date "date of the last scan"

let on_treatment in months = months from start to today month end clamps "months on treatment"

rule Scan "scan after two years"
  when on_treatment >= 24 months
  then order "bone density scan" due last_scan + 24 months
  then monitor "calcium" due start + 1 month
  month end clamps
  cite G at "1" quote "q"

rule LateInMonth "a dose late in the month"
  when day of month of start >= 29
  then recommend "give it on the last day of shorter months"
  cite G at "2" quote "q"

example Scanned "two whole years from a 31 January"
  given start = 2023-01-31, today = 2025-01-31, last_scan = 2024-02-29
  expect Scan due 2026-02-28
  expect Scan due 2023-02-28
  expect LateInMonth
```
EOF
printf '{"start": "2023-01-31", "today": "2025-01-31", "last_scan": "2024-02-29"}\n' > "$TMP/lang/p1.json"
# 2024-02-29 + 24 months = 2026-02-28 (clamped); 2023-01-31 + 1 month = 2023-02-28.
run "$LITRULE" eval --rules "$TMP/lang/due.md" "$TMP/lang/p1.json"
expect_status 0 "eval with due dates"
expect_grep out '"due": "2026-02-28"' "eval JSON: the computed due date (clamped)"
expect_grep out '"due": "2023-02-28"' "eval JSON: the second action's due date"
expect_grep out '"rule": "LateInMonth"' "eval: day of month of 2023-01-31 is 31"
run "$LITRULE" eval --rules "$TMP/lang/due.md" --format text "$TMP/lang/p1.json"
expect_grep out '^      due: 2026-02-28$' "eval text: the due date"
# A day short of 24 whole months: from 2023-01-31 to 2025-01-30 is 23.
printf '{"start": "2023-01-31", "today": "2025-01-30", "last_scan": "2024-02-29"}\n' > "$TMP/lang/p2.json"
run "$LITRULE" eval --rules "$TMP/lang/due.md" --format text "$TMP/lang/p2.json"
expect_true "eval: 23 months do not make 24" sh -c "! grep -q '\[Scan\]' '$TMP/out'"
# The count holds, but the first due date reads an absent input: the rule
# does not fire, and last_scan is named.
printf '{"start": "2023-01-31", "today": "2025-01-31"}\n' > "$TMP/lang/p3.json"
run "$LITRULE" eval --rules "$TMP/lang/due.md" --format text "$TMP/lang/p3.json"
expect_true "eval: a due date that cannot be computed keeps the rule from firing" \
	sh -c "! grep -q '\[Scan\]' '$TMP/out'"
expect_grep out 'missing data: last_scan (needed by Scan)' "eval: the due date's absent input is named"
# A count of months with an absent date is missing too.
printf '{"today": "2025-01-31", "last_scan": "2024-02-29"}\n' > "$TMP/lang/p4.json"
run "$LITRULE" eval --rules "$TMP/lang/due.md" --format text "$TMP/lang/p4.json"
expect_grep out 'missing data: start (needed by Scan)' "eval: months from a missing date is missing"
run "$LITRULE" eval --rules "$TMP/lang/due.md" --jsonl < "$TMP/lang/p1.json"
expect_grep out '"due":"2026-02-28"' "eval --jsonl: the due date"

run "$LITRULE" test "$TMP/lang/due.md"
expect_status 0 "test: expect RULE due DATE for computed dates"
expect_grep out '^1 passed, 0 failed' "test: the example passes"
sed 's/expect Scan due 2026-02-28/expect Scan due 2026-03-01/' "$TMP/lang/due.md" > "$TMP/lang/due_bad.md"
run "$LITRULE" test "$TMP/lang/due_bad.md"
expect_status 1 "test: a wrong expected due date fails"
expect_grep out 'expected Scan due 2026-03-01, got due' "test: the failure names the dates"

# verify: the count of months needs its month-end reading like a move by months.
sed 's/ month end clamps "months on treatment"/ "months on treatment"/' "$TMP/lang/due.md" > "$TMP/lang/me.md"
run "$LITRULE" verify --coverage=off "$TMP/lang/me.md"
expect_grep err "'months from start to today' counts months as month addition clamps: the month end decides the count from 11697 of the 146097" \
	"verify: months from needs its month-end reading (29 * 400 + 97 anchors)"
run "$LITRULE" verify --coverage=off "$TMP/lang/due.md"
expect_true "verify: 'month end clamps' states it" sh -c "! grep -q 'counts months as month addition clamps' '$TMP/err'"
expect_true "verify: the rules using the constructs are analysed" sh -c "! grep -q 'not analysed' '$TMP/err'"

cat > "$TMP/lang/dead.md" <<'EOF'
# Dead rules

```rule
source G "Guideline"

input start: date "date of the first dose"
input today: date "date of this review"

rule NoDay32 "a 32nd"
  when day of month of today > 31
  then alert "x"
  cite G at "1" quote "q"

rule TwoNotOne "two months, less than one"
  when months from start to today >= 2 months and today before start + 1 month
  then alert "x"
  month end clamps
  cite G at "1" quote "q"

rule Live "from a 29th to a 28th, thirteen months"
  when months from start to today = 13 months and day of month of start = 29 and day of month of today = 28
  then alert "x"
  month end clamps
  cite G at "1" quote "q"
```
EOF
run "$LITRULE" verify --coverage=off "$TMP/lang/dead.md"
expect_grep err "rule 'NoDay32' can never fire" "verify: no day of the month is above 31"
expect_grep err "rule 'TwoNotOne' can never fire" "verify: two whole months are more than one month later"
expect_true "verify: a live rule is not called dead" sh -c "! grep -q \"rule 'Live' can never fire\" '$TMP/err'"

# build: native code for the new opcodes and the due programs, and the
# generated table gives what eval gives.
run "$LITRULE" build "$TMP/lang/due.md" -o "$TMP/lang/gen"
expect_status 0 "build with the new constructs"
expect_true "build: LR_OP_MONTHS_BETWEEN and LR_OP_DAY_OF_MONTH in native code" \
	sh -c "grep -q lr__op_months_between '$TMP/lang/gen/'*.c && grep -q lr__op_day_of_month '$TMP/lang/gen/'*.c"
expect_true "build: the actions carry their due programs" sh -c "grep -q '\.due = {[0-9]*, [1-9]' '$TMP/lang/gen/'*.c"

# trace --against: a changed due date is a different decision, and both
# dates are shown (cli_trace.c's summary lines).
lg_r=$TMP/lang/repo
mkdir -p "$lg_r/rules"
lg_git() {
	(cd "$lg_r" && HOME=$TMP GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_DATE="2024-01-10T10:00:00Z" \
		GIT_COMMITTER_DATE="2024-01-10T10:00:00Z" git -c user.name=Ann -c user.email=ann@example.org \
		-c init.defaultBranch=main -c commit.gpgsign=false "$@")
}
lg_rules() {
	cat > "$lg_r/rules/a.md" <<EOF
# Due

\`\`\`rule
source G "Guideline"
input start: date "date of the first dose"

rule Review "review"
  when start is known
  then monitor "calcium" due start + $1
  cite G at "1" quote "q"
\`\`\`
EOF
}
lg_rules "30 days"
lg_git init -q
lg_git add rules
lg_git commit -q -m "review after 30 days"
printf '{"start": "2025-01-31"}\n' > "$TMP/lang/tp.json"
run "$LITRULE" eval --rules "$lg_r/rules" --record-inputs "$TMP/lang/tp.json"
cp "$TMP/out" "$TMP/lang/td.json"
lg_rules "6 weeks"
lg_git commit -q -a -m "review after 6 weeks"
run "$LITRULE" trace --repo "$lg_r" --against HEAD "$TMP/lang/td.json"
expect_grep out "would decide differently" "trace --against: another due date is another decision"
expect_grep out "recorded: Review monitor: calcium; due 2025-03-02" "trace --against: the recorded due date (2025-01-31 + 30 days)"
expect_grep out "Review monitor: calcium; due 2025-03-14" "trace --against: HEAD's due date (2025-01-31 + 42 days)"
