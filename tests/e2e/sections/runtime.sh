# tests/e2e/sections/runtime.sh: no decision is cut short, no error list
# is cut without a count (sourced by tests/e2e/run.sh, with its helpers).
#
#  - 70 and 200 rules that all fire for one patient: `litrule eval` prints
#    every action in text, JSON and JSONL, and exits 0 (the result buffer
#    is sized by the compiler's bound, lr_ruleset_max_actions); the
#    generated header states the bound;
#  - a record with 40 out-of-range fields: 16 are listed and the rest are
#    counted ("and 24 more errors" in text, "more": 24 in JSON and JSONL),
#    with exit status 1.

# many_rules N FILE: N rules that all fire when x is absent, plus 40
# ranged inputs v01..v40 for the error count (read by rule V).
many_rules() {
	{
		printf '# Many rules\n\n```rule\nsource s "A source"\n'
		printf 'input x: number in mg, from 0 to 10 "x"\n'
		i=1
		while [ "$i" -le 40 ]; do
			printf 'input v%02d: number in mg, from 0 to 10 "v"\n' "$i"
			i=$((i + 1))
		done
		i=1
		while [ "$i" -le "$1" ]; do
			printf 'rule R%03d "r" when x is missing then alert "fires %d" cite s at "l" quote "q"\n' "$i" "$i"
			i=$((i + 1))
		done
		printf 'rule V "v" when'
		i=1
		while [ "$i" -le 40 ]; do
			printf '%s v%02d > 1 mg' "$([ "$i" -gt 1 ] && echo ' and')" "$i"
			i=$((i + 1))
		done
		printf ' then alert "v" cite s at "l" quote "q"\n```\n'
	} > "$2"
}

# count_in FILE PATTERN: occurrences of PATTERN in FILE (out or err).
count_in() {
	# occurrences, not lines: eval prints each JSON record on one line
	grep -o -- "$2" "$TMP/$1" | wc -l
}

echo '{}' > "$TMP/rt-empty.json"
for n in 70 200; do
	many_rules "$n" "$TMP/rt-many$n.md"
	run "$LITRULE" check "$TMP/rt-many$n.md"
	expect_status 0 "$n rules that all fire: check accepts them"
	run "$LITRULE" eval --rules "$TMP/rt-many$n.md" --format text "$TMP/rt-empty.json"
	expect_status 0 "$n rules that all fire: eval --format text exits 0"
	expect_true "$n rules that all fire: text lists all $n actions" test "$(count_in out '^   \[R[0-9]*\] alert: fires')" -eq "$n"
	expect_grep out "^   \[R$(printf %03d "$n")\] alert: fires $n\$" "$n rules: text lists the last rule"
	run "$LITRULE" eval --rules "$TMP/rt-many$n.md" --format json "$TMP/rt-empty.json"
	expect_status 0 "$n rules that all fire: eval --format json exits 0"
	expect_true "$n rules that all fire: JSON lists all $n actions" test "$(count_in out '"rule": "R[0-9]*",')" -eq "$n"
	expect_grep out '"errors": \[\]' "$n rules: no error in JSON"
	run sh -c "echo '{}' | \"$LITRULE\" eval --rules \"$TMP/rt-many$n.md\" --jsonl --no-record-inputs"
	expect_status 0 "$n rules that all fire: eval --jsonl exits 0"
	expect_true "$n rules that all fire: JSONL lists all $n actions" \
		test "$(grep -o '"rule":"R[0-9]*"' "$TMP/out" | sort -u | wc -l)" -eq "$n"
	expect_grep out '"errors":\[\]}$' "$n rules: no error in JSONL"
	run "$LITRULE" build "$TMP/rt-many$n.md" --name=many -o "$TMP"
	expect_status 0 "$n rules: build accepts them"
	# The bound: n rules, plus V, which cannot fire with them (not
	# disjoint by a guard, so it counts).
	expect_true "$n rules: the header defines the bound" grep -q "^#define LR_RULESET_MANY_MAX_ACTIONS $((n + 1))u\$" "$TMP/many.h"
done

# 40 fields out of range: 16 listed, 24 counted, in every output form.
{
	printf '{'
	i=1
	while [ "$i" -le 40 ]; do
		printf '%s"v%02d": 11' "$([ "$i" -gt 1 ] && echo ',')" "$i"
		i=$((i + 1))
	done
	printf '}\n'
} > "$TMP/rt-bad40.json"
run "$LITRULE" eval --rules "$TMP/rt-many70.md" --format text "$TMP/rt-bad40.json"
expect_status 1 "40 bad fields: text: exit status 1"
expect_true "40 bad fields: text lists 16" test "$(count_in out "^   error: field 'v[0-9]*' = 11")" -eq 16
expect_grep out '^   error: and 24 more errors$' "40 bad fields: text says and 24 more"
expect_grep err 'and 24 more errors' "40 bad fields: stderr says and 24 more"
run "$LITRULE" eval --rules "$TMP/rt-many70.md" --format json "$TMP/rt-bad40.json"
expect_status 1 "40 bad fields: JSON: exit status 1"
expect_true "40 bad fields: JSON lists 16" test "$(count_in out '"field": "v[0-9]*"')" -eq 16
expect_grep out '"more": 24' "40 bad fields: JSON counts the other 24"
run sh -c "\"$LITRULE\" eval --rules \"$TMP/rt-many70.md\" --jsonl --no-record-inputs < \"$TMP/rt-bad40.json\""
expect_status 1 "40 bad fields: JSONL: exit status 1"
expect_grep out '{"message":"and 24 more errors","more":24}\]}$' "40 bad fields: JSONL counts the other 24"
