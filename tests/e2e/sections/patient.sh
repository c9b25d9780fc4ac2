# tests/e2e/sections/patient.sh: the claims of docs/patient.md, each
# through both readers: a patient file (jansson, cli/patient.c) and a
# JSON Lines batch (the streaming reader, cli/jsonin.c).  The JSON Lines
# specifics (BOM, CRLF, escapes, the line limit) are in batch.sh.
# (Sourced by tests/e2e/run.sh.)

pt=$TMP/patient-doc
mkdir -p "$pt/r/sources"
printf 'Read it.\n' > "$pt/r/sources/s.txt"
cat > "$pt/r/r.md" <<'EOF_MD'
# Patient record test

```rule
ruleset pd "patient doc"
  version "1"

source S "A source"
  publisher "Example" year 2024
  text "sources/s.txt"

input n: number in mg, from -9000000000 to 9000000000 "n"
input big: number in mg "a number without a declared range"
input age: number in years, from 18 to 110 "age"
input d: date "d"
input b: bool "b"
input sex: one of male, female "sex"

rule Always "fires whenever n is known"
  when n >= -9000000000
  then defer "n is known"
  cite S at "1" quote "Read it."
```
EOF_MD

# pd_ok JSON-VALUE FIELD TEXT: {FIELD: VALUE} is accepted by both readers
# and read as TEXT; pd_bad JSON-VALUE FIELD WORDS: refused by both, naming FIELD.
pd_both() {
	printf '{"%s": %s}\n' "$2" "$1" > "$pt/p.json"
	run "$LITRULE" eval --rules "$pt/r" --format text "$pt/p.json"
	pd_fs=$status
	cp "$TMP/out" "$pt/file.out"
	cp "$TMP/err" "$pt/file.err"
	run sh -c "'$LITRULE' eval --rules '$pt/r' --jsonl < '$pt/p.json'"
}
pd_ok() {
	pd_both "$1" "$2"
	expect_true "patient: $2 = $1 accepted (file)" test "$pd_fs" = 0
	expect_grep out "\"inputs\":{\"$2\":$3}" "patient: $2 = $1 read as $3 (JSON Lines)"
}
pd_bad() {
	pd_both "$1" "$2"
	expect_true "patient: $2 = $1 refused (file)" sh -c "test '$pd_fs' = 1 && grep -q \"field '$2'.*$3\" '$pt/file.err'"
	expect_status 1 "patient: $2 = $1 refused (JSON Lines)"
	expect_grep err "^<stdin>:1: error: field '$2'.*$3" "patient: $2 = $1: the error names $2 (JSON Lines)"
}

pd_ok 60 n '"60"'
pd_ok -0.5 n '"-0.5"'
pd_ok 2.50 n '"2.5"'
pd_ok 6.05e1 n '"60.5"'
pd_ok 1E+2 n '"100"'
pd_ok '"60.5"' n '"60.5"'
pd_ok 9223372036 big '"9223372036"'
pd_ok -9223372036 big '"-9223372036"'
pd_bad 0.1234567891 n 'not exactly a decimal'
pd_bad 1e-10 n 'not exactly a decimal'
pd_bad 60.000000000000001 n 'not exactly a decimal'
pd_bad 1e19 n 'out of range'
pd_bad 9223372037 big 'out of range'
pd_bad '"12,5"' n 'is not a decimal number'
pd_bad true n 'expected a number'
pd_bad '[63]' n 'expected a number'
pd_ok '"2024-02-29"' d '"2024-02-29"'
pd_ok '"0001-01-01"' d '"0001-01-01"'
pd_ok '"9999-12-31"' d '"9999-12-31"'
pd_bad '"2023-02-29"' d 'is not a date'
pd_bad '"2024-2-1"' d 'is not a date'
pd_bad '"0000-01-01"' d 'is not a date'
pd_bad 20240101 d 'expected a date'
pd_ok true b true
pd_ok false b false
pd_bad '"true"' b 'expected true or false'
pd_bad 1 b 'expected true or false'
pd_bad '"yes"' b 'expected true or false'
pd_ok '"male"' sex '"male"'
pd_bad '"Male"' sex 'is not one of: male, female'

# The declared range is checked at evaluation: an error naming the field,
# and no rule evaluated for that patient.
printf '{"n": 1, "age": 17}\n{"n": 1, "age": 18}\n' > "$pt/p.jsonl"
run sh -c "'$LITRULE' eval --rules '$pt/r' --jsonl < '$pt/p.jsonl'"
expect_status 1 "patient: a value outside its declared range is an error"
expect_grep err "^<stdin>:1: error: field 'age': value outside the input's declared range" "patient: ... naming the field"
expect_grep out '"patient":"line 1","ruleset":{[^}]*},"actions":\[\]' "patient: ... and no rule fired for it"
expect_grep out '"patient":"line 2".*"rule":"Always"' "patient: the next patient is evaluated"

# Missing and null are the same; the rule that needs it reports it.
printf '{}\n{"n": null}\n' > "$pt/p.jsonl"
run sh -c "'$LITRULE' eval --rules '$pt/r' --jsonl --output compact < '$pt/p.jsonl'"
expect_status 0 "patient: absent and null are not errors"
expect_true "patient: absent and null give the same record" sh -c \
	"test \"\$(sed -n 2p '$TMP/out' | sed 's/line 1/line N/')\" = \"\$(sed -n 3p '$TMP/out' | sed 's/line 2/line N/')\""
expect_grep out '"missing":\[{"input":"n","needed_by":"Always"}\]' "patient: the missing value and the rule that needed it"

# Unknown and repeated keys, in a file too.
printf '{"sx": "male"}\n' > "$pt/p.json"
run "$LITRULE" eval --rules "$pt/r" "$pt/p.json"
expect_status 1 "patient: an unknown key in a file is an error"
expect_grep err "^$pt/p.json: field 'sx': not an input of rule set 'pd'; did you mean 'sex'?" "patient: ... with the file name and a did-you-mean"
printf '{"n": 1, "n": 2}\n' > "$pt/p.json"
run "$LITRULE" eval --rules "$pt/r" "$pt/p.json"
expect_status 1 "patient: a repeated key in a file is an error"
expect_grep err 'duplicate object key' "patient: ... saying so"

# Text that is not UTF-8 is refused; the other patients still run.
printf '{"sex": "m\377le"}\n{"n": 4}\n' > "$pt/p.jsonl"
run sh -c "'$LITRULE' eval --rules '$pt/r' --jsonl < '$pt/p.jsonl'"
expect_status 1 "patient: a string that is not UTF-8 is refused"
expect_grep err '^<stdin>:1:[0-9]*: error: ' "patient: ... naming the line"
expect_grep out '"patient":"line 2".*"rule":"Always"' "patient: ... and line 2 still runs"
