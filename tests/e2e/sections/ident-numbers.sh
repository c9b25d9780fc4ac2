# tests/e2e/sections/ident-numbers.sh: patient numbers are read exactly as
# written or refused naming the field, never rounded (sourced by
# tests/e2e/run.sh).  jansson alone reads 60.000000000000001 as the double
# 60, so `m > 60` did not fire and nothing was said; every value below was
# worked out by hand from the decimal text.

idn_t=$TMP/ident-numbers
mkdir -p "$idn_t/r/sources"
printf 'Read m.\n' > "$idn_t/r/sources/s.txt"
cat > "$idn_t/r/r.md" <<'EOF_MD'
# Numbers read exactly

```rule
source S "A source"
  publisher "Example" year 2024
  text "sources/s.txt"

input m: number in mg, from -9000000000 to 9000000000 "m"

rule Seen "m is read"
  when m >= -9000000000
  then defer "m was read"
  cite S at "1" quote "Read m."

rule Above "m above 60"
  when m > 60
  then defer "m is above 60"
  cite S at "1" quote "Read m."
```
EOF_MD

# idn_ok JSON-NUMBER VALUE: the patient file {"m": N} is read as VALUE.
idn_ok() {
	printf '{"m": %s}\n' "$1" > "$idn_t/p.json"
	run "$LITRULE" eval --rules "$idn_t/r" --format text "$idn_t/p.json"
	expect_status 0 "numbers: $1 is accepted"
	expect_grep out "read: m=$2\$" "numbers: $1 is read as exactly $2"
}
# idn_bad JSON-NUMBER WHY: the patient file {"m": N} is refused, naming m.
idn_bad() {
	printf '{"m": %s}\n' "$1" > "$idn_t/p.json"
	run "$LITRULE" eval --rules "$idn_t/r" --format text "$idn_t/p.json"
	expect_status 1 "numbers: $1 is refused"
	expect_grep err "field 'm': the number $1 .*$2" "numbers: $1 is refused naming the field ($2)"
	expect_true "numbers: $1 fires nothing" sh -c "! grep -q 'defer' '$TMP/out'"
}

idn_ok 60 60
idn_ok 1e2 100
idn_ok 1E-9 0.000000001
idn_ok 1E+1 10
idn_ok 0.1 0.1
idn_ok -0 0
idn_ok -2.50 -2.5
idn_ok 0.123456789 0.123456789
idn_ok 12345678.123456789 12345678.123456789
idn_ok 1.0000000000000 1
idn_ok 0.00000000000000000001e20 1
idn_bad 60.000000000000001 "not exactly a decimal"
idn_bad 0.1234567891 "not exactly a decimal"
idn_bad 1.5e-9 "not exactly a decimal"
idn_bad 1e-400 "not exactly a decimal"
idn_bad 9999999999 "out of range"
idn_bad 1e19 "out of range"
idn_bad 99999999999999999999999 "out of range"
idn_bad 1e400 "out of range"

# The defect as reported: m = 60.000000000000001 must not quietly be 60.
printf '{"m": 60.000000000000001}\n' > "$idn_t/p.json"
run "$LITRULE" eval --rules "$idn_t/r" "$idn_t/p.json"
expect_status 1 "numbers: 60.000000000000001 in JSON output is an error"
expect_grep out '"field": "m"' "numbers: ... the JSON error names the field"
expect_grep out 'not exactly a decimal' "numbers: ... and says why"

# The same through --jsonl, line by line.
printf '{"m": 60.5}\n{"m": 60.000000000000001}\n{"m": 1e2}\n{"m": 1e400}\n' > "$idn_t/p.jsonl"
run sh -c "'$LITRULE' eval --rules '$idn_t/r' --jsonl < '$idn_t/p.jsonl'"
expect_status 1 "numbers: --jsonl with bad numbers exits 1"
expect_grep out '"patient":"line 1".*"m":"60.5"' "numbers: --jsonl line 1 read exactly"
expect_grep out '"patient":"line 2".*"field":"m".*not exactly a decimal' "numbers: --jsonl line 2 refused naming m"
expect_grep out '"patient":"line 3".*"m":"100"' "numbers: --jsonl line 3 (1e2) read as 100"
expect_grep err "<stdin>:4:.*field 'm': the number 1e400 is out of range" "numbers: --jsonl line 4 refused naming m"
# A number-looking string is still a string for text inputs, and a string
# holding a number is still accepted for number inputs.
printf '{"m": "61"}\n' > "$idn_t/p.json"
run "$LITRULE" eval --rules "$idn_t/r" --format text "$idn_t/p.json"
expect_grep out "read: m=61\$" "numbers: a decimal string is still accepted"
