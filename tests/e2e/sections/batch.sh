# tests/e2e/sections/batch.sh: `litrule eval --jsonl`, the batch path
# (cli/jsonin.c, cli/eval_batch.c, cli/eb_print.c): the streaming reader
# accepts and refuses what docs/patient.md says, the full form is the
# JSON of `eval FILE` record for record, --jobs keeps input order, and the
# compact form is as docs/eval.md shows (sourced by tests/e2e/run.sh).
# Every expected value below was worked out by hand from the rule file.

bt=$TMP/batch
mkdir -p "$bt/r/sources"
printf 'Read m.\n' > "$bt/r/sources/s.txt"
cat > "$bt/r/r.md" <<'EOF_MD'
# Batch test

```rule
ruleset bt "batch test"
  version "1"

source S "A source"
  publisher "Example" year 2024
  text "sources/s.txt"

input m: number in mg, from -9000000000 to 9000000000 "m"
input d: date "d"
input k: one of low, high "k"
input smoker: bool "smokes"

rule Seen "m is read"
  when m >= -9000000000
  then defer "m was read"
  cite S at "1" quote "Read m."

rule Hi "k high in a smoker"
  when k is high and smoker
  then alert "k is high"
  cite S at "1" quote "Read m."
```
EOF_MD
btl() { # btl 'LINES' [OPTIONS]: the lines (printf format) through eval --jsonl
	printf "$1" > "$bt/in.jsonl"
	shift
	run sh -c "'$LITRULE' eval --rules '$bt/r' --jsonl $* < '$bt/in.jsonl'"
}

# ---- the reader ------------------------------------------------------------
btl '{"m": 5, "d": "2024-02-29", "k": "high", "smoker": true}\n'
expect_status 0 "batch: a clean patient"
expect_grep out '"inputs":{"m":"5","d":"2024-02-29","k":"high","smoker":true}' "batch: its inputs as given"
expect_grep out '"rule":"Hi"' "batch: Hi fires for k high in a smoker"

# A misspelt key: the error names the line and the field, with a did-you-mean.
btl '{"m": 5}\n{"smokr": true}\n'
expect_status 1 "batch: an unknown key is an error"
expect_grep err "^<stdin>:2: error: field 'smokr': not an input of rule set 'bt'; did you mean 'smoker'?\$" \
	"batch: unknown key: line, field and did-you-mean on stderr"
expect_grep out '"patient":"line 2".*"field":"smokr","message":"field .smokr.: not an input of rule set .bt.; did you mean .smoker.?"' \
	"batch: unknown key: the record names the field"
printf '{"smokr": true}\n' > "$bt/p.json"
run "$LITRULE" eval --rules "$bt/r" "$bt/p.json"
expect_grep err "did you mean 'smoker'?" "batch: the file reader (jansson) suggests too"
btl '{"zzzzzz": 1}\n'
expect_true "batch: no suggestion when nothing is close" sh -c "! grep -q 'did you mean' '$TMP/err'"

# Escapes: \\u in keys and values, surrogate pairs, a lone surrogate.
btl '{"\\u006b": "hi\\u0067h", "smoker": true, "m": 1}\n'
expect_status 0 "batch: \\\\u escapes in a key and a value"
expect_grep out '"k":"high"' "batch: \\\\u0067 read as g"
btl '{"\\ud83d\\ude00": 1}\n'
expect_grep err "field '😀': not an input" "batch: a surrogate pair is one character (U+1F600)"
btl '{"k": "\\ud83d"}\n{"m": 1}\n'
expect_status 1 "batch: a lone surrogate is refused"
expect_grep err '^<stdin>:1:[0-9]*: error: .*\\uD83D' "batch: ... as jansson words it, with its column"
expect_grep out '"patient":"line 2".*"rule":"Seen"' "batch: ... and the next line still runs"
btl '{"k": "hi\tgh"}\n'
expect_status 1 "batch: a raw control character in a string is refused"

# Duplicate keys, nested values, null, whitespace, BOM, CRLF.
btl '{"m": 1, "m": 2}\n'
expect_status 1 "batch: a duplicate key is refused"
expect_grep err '^<stdin>:1:[0-9]*: error: duplicate object key' "batch: ... naming the line"
btl '{"m": [1]}\n{"m": {"a": 1}}\n{"x": [1, {"y": null}]}\n'
expect_grep err "^<stdin>:1: error: field 'm': expected a number (or a decimal string)\$" "batch: an array value is an error naming the field"
expect_grep err "^<stdin>:2: error: field 'm': expected a number" "batch: an object value too"
expect_grep err "^<stdin>:3: error: field 'x': not an input" "batch: a nested value under an unknown key"
btl '{"m": null, "k": null}\n'
expect_status 0 "batch: null is missing, not an error"
expect_grep out '"missing":\[{"input":"m","needed_by":"Seen"}' "batch: ... and m is reported missing"
btl ' \t{ "m" :\t7 , "smoker" : false }  \n'
expect_grep out '"inputs":{"m":"7","smoker":false}' "batch: JSON whitespace anywhere"
btl '\357\273\277{"m": 8}\n'
expect_status 0 "batch: a byte-order mark opening the stream is skipped"
expect_grep out '"inputs":{"m":"8"}' "batch: ... and the first line read"
btl '{"m": 1}\r\n\r\n{"m": 2}'
expect_status 0 "batch: CRLF lines, a blank line and no final newline"
expect_grep out '"patient":"line 3".*"inputs":{"m":"2"}' "batch: ... the last line is line 3"

# Numbers in every JSON form, exactly or refused naming the field.
btl '{"m": 1E+2}\n{"m": 0.5e1}\n{"m": -0}\n{"m": 2.50}\n{"m": "12.000000001"}\n{"m": 123456789e-9}\n'
expect_status 0 "batch: numbers in every form"
expect_grep out '"patient":"line 1".*"inputs":{"m":"100"}' "batch: 1E+2 is 100"
expect_grep out '"patient":"line 2".*"inputs":{"m":"5"}' "batch: 0.5e1 is 5"
expect_grep out '"patient":"line 3".*"inputs":{"m":"0"}' "batch: -0 is 0"
expect_grep out '"patient":"line 4".*"inputs":{"m":"2.5"}' "batch: 2.50 is 2.5"
expect_grep out '"patient":"line 5".*"inputs":{"m":"12.000000001"}' "batch: a decimal string keeps 9 places"
expect_grep out '"patient":"line 6".*"inputs":{"m":"0.123456789"}' "batch: 123456789e-9 is 0.123456789"
btl '{"m": 1e-10}\n{"m": 1e400}\n{"m": 01}\n{"m": 1.}\n{"m": .5}\n'
expect_status 1 "batch: bad numbers"
expect_grep err "^<stdin>:1: error: field 'm': the number 1e-10 is not exactly a decimal" "batch: 1e-10 refused naming m"
expect_grep err "^<stdin>:2: error: field 'm': the number 1e400 is out of range" "batch: 1e400 refused naming m"
expect_grep err '^<stdin>:3:[0-9]*: error: ' "batch: 01 is not JSON"
expect_grep err '^<stdin>:4:[0-9]*: error: ' "batch: 1. is not JSON"
expect_grep err '^<stdin>:5:[0-9]*: error: ' "batch: .5 is not JSON"

# A line longer than the limit is an error naming it; the next line runs.
python3 -c "import sys; sys.stdout.write('{\"m\": 1' + ' ' * (1 << 20) + '}\n{\"m\": 3}\n')" > "$bt/long.jsonl"
run sh -c "'$LITRULE' eval --rules '$bt/r' --jsonl < '$bt/long.jsonl'"
expect_status 1 "batch: a line over 1 MiB is refused"
expect_grep err '^<stdin>:1: error: the line is longer than 1048576 bytes' "batch: ... naming line 1"
expect_grep out '"patient":"line 2".*"inputs":{"m":"3"}' "batch: ... and line 2 still runs"
python3 -c "import sys; sys.stdout.write('{\"m\": 1' + ' ' * ((1 << 20) - 8) + '}\n')" > "$bt/edge.jsonl"
run sh -c "'$LITRULE' eval --rules '$bt/r' --jsonl < '$bt/edge.jsonl'"
expect_status 0 "batch: a line of exactly 1 MiB is read"
expect_true "batch: ... (the test line is 1048576 bytes)" test "$(head -n 1 "$bt/edge.jsonl" | tr -d '\n' | wc -c)" -eq 1048576
run sh -c "'$LITRULE' eval --rules '$bt/r' --jsonl < '$bt/edge.jsonl' > /dev/full"
expect_status 1 "batch: a failed write is an error"
expect_grep err 'writing the output' "batch: ... saying so"

# ---- the full form is eval FILE's JSON, record for record ----------------------
: > "$bt/ex.jsonl"
for f in examples/patients/*.json; do
	tr -d '\n' < "$f" >> "$bt/ex.jsonl"
	echo >> "$bt/ex.jsonl"
done
"$LITRULE" eval --rules rules/ --jsonl --no-record-inputs < "$bt/ex.jsonl" > "$bt/ex.out" 2> /dev/null
for f in examples/patients/*.json; do
	"$LITRULE" eval --rules rules/ "$f" 2> /dev/null
done > "$bt/files.out"
expect_true "batch: the full form equals eval FILE's JSON for every example patient" python3 -c "
import json, sys
dec = json.JSONDecoder()
text = open('$bt/files.out').read()
files, i = [], 0
while i < len(text):
    while i < len(text) and text[i].isspace(): i += 1
    if i == len(text): break
    o, i = dec.raw_decode(text, i)
    files.append(o)
lines = [json.loads(l) for l in open('$bt/ex.out')]
if len(files) != len(lines) or not files: sys.exit('counts %d %d' % (len(files), len(lines)))
for a, b in zip(files, lines):
    del a['patient'], b['patient']
    if json.dumps(a) != json.dumps(b): sys.exit('differs: ' + json.dumps(a)[:200])
"

# ---- --jobs keeps input order; the compact form ---------------------------------
"$CC" -std=c11 -O2 -o "$bt/gen" bench/gen_patients_mm.c
"$bt/gen" 7 3000 > "$bt/many.jsonl"
printf '{"agent": "denosumb"}\n' >> "$bt/many.jsonl"
"$bt/gen" 8 500 >> "$bt/many.jsonl"
for form in full compact; do
	"$LITRULE" eval --rules rules/ --jsonl --output $form < "$bt/many.jsonl" > "$bt/j1.$form" 2> "$bt/j1.err"
	"$LITRULE" eval --rules rules/ --jsonl --output $form --jobs 2 < "$bt/many.jsonl" > "$bt/j2.$form" 2> "$bt/j2.err"
	"$LITRULE" eval --rules rules/ --jsonl --output $form --jobs 3 < "$bt/many.jsonl" > "$bt/j3.$form" 2> /dev/null
	expect_true "batch: --jobs 2 and 3 print the same $form records in the same order" \
		sh -c "cmp -s '$bt/j1.$form' '$bt/j2.$form' && cmp -s '$bt/j1.$form' '$bt/j3.$form'"
done
expect_true "batch: 3501 full records" test "$(wc -l < "$bt/j1.full")" -eq 3501
expect_true "batch: a header and 3501 compact records" test "$(wc -l < "$bt/j1.compact")" -eq 3502
expect_true "batch: --jobs 2 reports the bad line 3001 on stderr" grep -q "^<stdin>:3001: error: field 'agent': \"denosumb\" is not one of" "$bt/j2.err"
expect_true "batch: the full form records the inputs by default" grep -q '"dirty":' "$bt/j1.full"

btl '{"m": 5, "k": "high", "smoker": true}\n{}\n{"m": true}\n' --output compact
expect_status 1 "batch: compact output (a bad line exits 1)"
expect_true "batch: compact: the header first, with the rules' static parts keyed by id" sh -c \
	"head -n 1 '$TMP/out' | grep -q '^{\"format\":\"litrule-eval-compact/1\",\"ruleset\":{\"name\":\"bt\".*\"rules\":{\"Seen\":{\"title\":\"m is read\",\"citations\":\[{\"source\":\"S\".*\"actions\":\[{\"verb\":\"defer\",\"text\":\"m was read\"}\]}'"
expect_true "batch: compact: line 1, two actions" sh -c \
	"sed -n 2p '$TMP/out' | grep -qx '{\"patient\":\"line 1\",\"actions\":\[{\"rule\":\"Seen\",\"verb\":\"defer\"},{\"rule\":\"Hi\",\"verb\":\"alert\"}\]}'"
expect_true "batch: compact: line 2, nothing known: m missing" sh -c \
	"sed -n 3p '$TMP/out' | grep -q '^{\"patient\":\"line 2\",\"actions\":\[\],\"missing\":\[{\"input\":\"m\",\"needed_by\":\"Seen\"}'"
expect_true "batch: compact: line 3, unreadable" sh -c \
	"sed -n 4p '$TMP/out' | grep -qx '{\"patient\":\"line 3\",\"actions\":\[\],\"errors\":\[{\"field\":\"m\",\"message\":\"field .m.: expected a number (or a decimal string)\"}\]}'"
expect_true "batch: compact: no inputs unless asked" sh -c "! grep -q '\"inputs\"' '$TMP/out'"
btl '{"m": 5}\n' --output compact --record-inputs
expect_grep out '^{"patient":"line 1","actions":\[{"rule":"Seen","verb":"defer"}\],"missing":\[{"input":"k","needed_by":"Hi"},{"input":"smoker","needed_by":"Hi"}\],"inputs":{"m":"5"}}$' \
	"batch: compact --record-inputs: the inputs per record"
expect_grep out '^{"format":.*,"dirty":\(true\|false\)}$' "batch: ... and the shared members in the header"
expect_true "batch: compact flagship records carry doses and due dates" grep -q '"verb":"dose","dose":{"amount":"[0-9.]*","unit":"mg"' "$bt/j1.compact"

# Usage.
btl '{}\n' --jobs 0
expect_status 2 "batch: --jobs 0 is a usage error"
btl '{}\n' --output bogus
expect_status 2 "batch: --output bogus is a usage error"
run "$LITRULE" eval --rules "$bt/r" --output compact "$bt/p.json"
expect_status 2 "batch: --output without --jsonl is a usage error"
btl '{}\n' --format text --jobs 2
expect_status 2 "batch: --jobs with text output is a usage error"
btl '{}\n' --mask m --mask-salt s --output compact
expect_status 2 "batch: --output with --mask is a usage error"
