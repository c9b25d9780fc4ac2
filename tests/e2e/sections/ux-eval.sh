# tests/e2e/sections/ux-eval.sh: what `litrule eval` and `make demo` print
# for people (issue 13.5, 13.6): JSON Lines for several files, citations
# quoted once per run in text (--full: every time), a dose carried by two
# actions marked as the same dose, the one-line-per-decision summary, and
# the demo's real check counts without colour codes off a terminal.
# Sourced by tests/e2e/run.sh.

ux_p=examples/patients
run "$LITRULE" eval --rules rules "$ux_p"/*.json
expect_status 0 "eval: six example patients"
expect_true "eval: JSON Lines, one record per patient file" test "$(wc -l < "$TMP/out")" -eq "$(ls "$ux_p"/*.json | wc -l)"
expect_true "eval: each line is a JSON object naming its patient" python3 -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
for l, name in zip(lines, sys.argv[2:]):
    o = json.loads(l)
    assert o["patient"] == name, (o["patient"], name)
' "$TMP/out" "$ux_p"/*.json
printf '{"today": "2025-02-30"}' > "$TMP/ux-bad.json"
printf '{"today": ' > "$TMP/ux-broken.json"
run "$LITRULE" eval --rules rules "$TMP/ux-bad.json" "$TMP/ux-broken.json" "$ux_p/01-newly-diagnosed-denosumab.json"
expect_status 1 "eval: bad patients among good ones"
expect_true "eval: JSON Lines also for unreadable patients" test "$(wc -l < "$TMP/out")" -eq 3

# Text: each rule's citations quoted once per run.
run "$LITRULE" eval --rules rules --format text "$ux_p"/*.json
expect_status 0 "eval text: six patients"
cp "$TMP/out" "$TMP/ux-text.txt"
run "$LITRULE" eval --rules rules --format text --full "$ux_p"/*.json
expect_status 0 "eval text --full"
cp "$TMP/out" "$TMP/ux-full.txt"
# rule -> number of its decisions printed with quoted citations
ux_quoted() {
	awk '/^   \[[^]]*\]/ { r = substr($1, 2, length($1) - 2); q = 0; next }
	     /^      cites [^:]*:$/ && !q { n[r]++; q = 1 }
	     END { for (r in n) print r, n[r] }' "$1" | sort
}
expect_true "eval text: no rule's citations are quoted twice" test -z "$(ux_quoted "$TMP/ux-text.txt" | awk '$2 > 1')"
expect_true "eval text: some rules' citations are quoted" test -n "$(ux_quoted "$TMP/ux-text.txt")"
expect_true "eval text: R03 (three patients) quoted once" test "$(ux_quoted "$TMP/ux-text.txt" | grep '^R03 ')" = "R03 1"
expect_true "eval text --full: R03 quoted for each of its three patients" test "$(ux_quoted "$TMP/ux-full.txt" | grep '^R03 ')" = "R03 3"
expect_true "eval text: later R03 decisions refer to the quotes" \
	test "$(grep -c '^      cites: 4 passages, quoted above under R03$' "$TMP/ux-text.txt")" -eq 2
expect_true "eval text: shorter than --full" test "$(wc -l < "$TMP/ux-text.txt")" -lt "$(wc -l < "$TMP/ux-full.txt")"

# The table's dose (R10a) and the schedule's rule carrying it (R06a).
run "$LITRULE" eval --rules rules --format text "$ux_p/02-zoledronic-acid-crcl-55.json"
expect_grep out '^      dose: 3\.5 mg intravenous (the same dose as \[R06a\] above, not a second one)$' "eval text: the second 3.5 mg is marked the same dose"
expect_true "eval text: 3.5 mg printed plainly once" test "$(grep -c '^      dose: 3\.5 mg intravenous$' "$TMP/out")" -eq 1

run "$LITRULE" eval --rules rules --format summary "$ux_p/02-zoledronic-acid-crcl-55.json" "$ux_p/05-newly-diagnosed-missing-labs.json"
expect_status 0 "eval summary"
expect_grep out '^== examples/patients/02-zoledronic-acid-crcl-55.json$' "eval summary: patient header"
expect_grep out '^   R06a  dose za_schedule 3\.5 mg intravenous, next due 2025-03-03  "Zoledronic acid: infusion' "eval summary: dose and due date"
expect_grep out '^   R10a  dose za_schedule 3\.5 mg intravenous (same dose as R06a)  "Zoledronic acid dose by baseline' "eval summary: same dose"
expect_grep out '^   R03   recommend  "First 24 months' "eval summary: a recommendation"
expect_grep out '^   missing data: weight_kg (needed by R10a), ' "eval summary: missing data"
expect_true "eval summary: one line per decision" test "$(grep -c '^   R' "$TMP/out")" -eq 11
run "$LITRULE" eval --rules rules --format yaml "$ux_p/02-zoledronic-acid-crcl-55.json"
expect_status 2 "eval: unknown --format is a usage error"

# The demo: check's counts, no colour codes in a log, the summary last.
# The demo weaves the book inside this repository: libgit2 1.5.1's blame
# leaks there (tests/lsan-libgit2-blame.supp), which only ASan builds see.
run env LSAN_OPTIONS="suppressions=$(pwd)/tests/lsan-libgit2-blame.supp:print_suppressions=0" \
	timeout 600 sh examples/demo.sh "$LITRULE"
expect_status 0 "demo runs"
expect_grep out '^rules/: check found 0 error(s), 0 warning(s); 27 inputs' "demo: check's counts"
expect_true "demo: no escape codes off a terminal" sh -c "! grep -q \"\$(printf '\033')\" '$TMP/out'"
expect_grep out '^== Decisions, one line each' "demo: the decision summary"
expect_grep out '^The rule book: open file://.*/build/book/index.html' "demo: says where the woven book is"
expect_true "demo: the book's page exists" test -s build/book/index.html
expect_true "demo: no hard-coded verdict" sh -c "! grep -q 'no errors, no warnings' '$TMP/out'"
