# tests/e2e/sections/test-formats.sh: `litrule test` for CI: -v, --run
# PATTERN, --format json and --format junit, on a small rule file with
# passing and failing examples and an uncovered rule, whose path holds
# <, & and " so that every report must escape it; and the flagship in
# JUnit.  Sourced by tests/e2e/run.sh.

TF=$TMP/tf
mkdir -p "$TF"
TFF=$TF/'f<&"x.md'
cat > "$TFF" <<'EOF'
# Test formats fixture

```rule
ruleset tformats version "1.0"
source Label "Prescribing information"
  publisher "Example" year 2024

input crcl: number in mL/min, from 0 to 250 "creatinine clearance"
input dehydrated: bool "clinically dehydrated"

rule Give "dose for kidney function"
  when crcl >= 30 and not dehydrated
  then recommend "give it"
  cite Label at "1" quote "a passage"

rule Hydrate "hydrate first"
  when dehydrated
  then defer "rehydrate before the infusion"
  cite Label at "1" quote "a passage"

rule Never "no example shows it"
  when crcl > 240
  then recommend "odd"
  cite Label at "1" quote "a passage"
```

```rule
example pass_normal "normal"
  given crcl = 68, dehydrated = false
  expect Give
  expect not Hydrate

example pass_dry "dry"
  given crcl = 68, dehydrated = true
  expect Hydrate

example fail_low "crcl 20: Give does not fire, nor Hydrate"
  given crcl = 20, dehydrated = false
  expect Give
  expect Hydrate
```
EOF

# text: unchanged by default; -v adds an "ok" line per passing example.
run "$LITRULE" test "$TFF"
expect_status 1 "test: failing example and uncovered rule"
expect_grep out 'x\.md:39: example fail_low: expected Give to fire, got no rule$' "test: failure line"
expect_grep out 'x\.md:21: rule Never: no passing example shows this rule firing$' "test: uncovered rule"
expect_grep out '^2 passed, 1 failed$' "test: totals"
expect_true "test: no ok lines without -v" sh -c "! grep -q ': ok\$' '$TMP/out'"
run "$LITRULE" test -v "$TFF"
expect_status 1 "test -v: status as without -v"
expect_grep out 'x\.md:28: example pass_normal: ok$' "test -v lists pass_normal"
expect_grep out 'x\.md:33: example pass_dry: ok$' "test -v lists pass_dry"
expect_true "test -v: exactly two ok lines" sh -c "[ \$(grep -c ': ok\$' '$TMP/out') = 2 ]"

# --run: glob or substring; coverage not judged; no match is an error.
run "$LITRULE" test --run 'pass_*' "$TFF"
expect_status 0 "test --run glob selects the passing examples"
expect_grep out '^coverage: not judged (--run pass_\* selects examples)$' "test --run: coverage not judged"
expect_grep out '^2 passed, 0 failed$' "test --run glob: two examples"
run "$LITRULE" test --run low "$TFF"
expect_status 1 "test --run substring selects the failing example"
expect_grep out '^0 passed, 1 failed$' "test --run substring: one example"
run "$LITRULE" test --run 'nothing*here' "$TFF"
expect_status 1 "test --run without a match"
expect_grep err "no example's name matches 'nothing\*here'" "test --run without a match names the pattern"
run "$LITRULE" test --format xml "$TFF"
expect_status 2 "test --format xml is refused"

# JSON: well-formed, of the documented shape, with the right counts.
"$CC" -std=c11 -O1 -o "$TMP/test_report_check" tests/e2e/test_report_check.c \
	$(pkg-config --cflags --libs jansson) > "$TMP/cc.log" 2>&1
expect_true "build tests/e2e/test_report_check.c" test -x "$TMP/test_report_check"
run "$LITRULE" test --format json "$TFF"
expect_status 1 "test --format json: status as in text"
expect_true "test --format json: shape and counts" sh -c "'$TMP/test_report_check' 3 2 1 1 < '$TMP/out'"
expect_grep out '"uncovered": \[$' "test --format json: uncovered list"
expect_grep out '"Never"' "test --format json: the uncovered rule"
expect_grep out 'x.md:40: example fail_low: expected Hydrate to fire, got no rule"' "test --format json: a failure message"
expect_grep out '"name": "tformats"' "test --format json: rule set name"
run "$LITRULE" test --format json --run pass "$TFF"
expect_status 0 "test --format json --run: status"
expect_true "test --format json --run: two examples" sh -c "'$TMP/test_report_check' 2 2 0 1 < '$TMP/out'"
expect_grep out '"judged": false' "test --format json --run: coverage not judged"

# JUnit: structure (no xmllint here), escaping, counts.
run "$LITRULE" test --format junit "$TFF"
expect_status 1 "test --format junit: status as in text"
cp "$TMP/out" "$TMP/junit.xml"
expect_grep out '^<testsuites name="tformats" tests="4" failures="2" errors="0">$' "junit: testsuites totals"
expect_grep out '<testsuite name="tformats" tests="3" failures="1"' "junit: the examples' suite"
expect_grep out '<testsuite name="coverage" tests="1" failures="1"' "junit: the coverage suite"
expect_grep out '<testcase name="Never" classname="[^"]*/f&lt;&amp;&quot;x.md"' "junit: uncovered rule testcase, escaped"
expect_grep out '<testcase name="fail_low" classname="[^"]*f&lt;&amp;&quot;x.md" file="[^"]*" line="37">' "junit: failed testcase"
expect_grep out '<failure type="expectation" message="[^"<>]*x.md:39: example fail_low: expected Give to fire, got no rule&#10;[^"<>]*x.md:40: ' "junit: the failure carries both expectations"
expect_true "junit: nothing unescaped" sh -c "! grep -q 'f<&\"x' '$TMP/junit.xml'"
# Every element opened is closed in order, attributes are quoted, every
# '&' starts an entity; prints the first problem.
cat > "$TMP/xmlcheck.awk" <<'EOF'
{ doc = doc $0 "\n" }
END {
	if (doc !~ /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/) { print "no XML declaration"; exit 1 }
	sub(/^<\?xml[^>]*>\n/, "", doc)
	t = doc
	while (match(t, /&/)) {
		if (substr(t, RSTART) !~ /^&(amp|lt|gt|quot|apos|#[0-9]+);/) { print "bare &"; exit 1 }
		t = substr(t, RSTART + 1)
	}
	n = 0
	while (match(doc, /<[^>]*>/)) {
		text = substr(doc, 1, RSTART - 1); tag = substr(doc, RSTART + 1, RLENGTH - 2)
		doc = substr(doc, RSTART + RLENGTH)
		if (text ~ /[<>]/) { print "stray < or > in text"; exit 1 }
		if (tag ~ /^\//) {
			if (n == 0 || stack[n] != substr(tag, 2)) { print "unbalanced </" substr(tag, 2) ">"; exit 1 }
			n--
			continue
		}
		self = tag ~ /\/$/
		sub(/\/$/, "", tag)
		name = tag; sub(/[ \t\n].*/, "", name)
		rest = substr(tag, length(name) + 1)
		gsub(/[ \t\n]+[A-Za-z_:][A-Za-z0-9_:.-]*="[^"<]*"/, "", rest)
		if (rest !~ /^[ \t\n]*$/) { print "bad attributes in <" name ">: " rest; exit 1 }
		if (n == 0 && seen) { print "more than one root"; exit 1 }
		seen = 1
		if (!self) stack[++n] = name
	}
	if (n != 0 || doc !~ /^[ \t\n]*$/) { print "unclosed <" stack[n] ">"; exit 1 }
}
EOF
expect_true "junit: well-formed (tags balanced, attributes quoted, entities)" awk -f "$TMP/xmlcheck.awk" "$TMP/junit.xml"
printf '<a><b x="1"></a></b>\n' | sed '1i<?xml version="1.0" encoding="UTF-8"?>' > "$TMP/bad.xml"
expect_true "junit: the structure check rejects crossed tags" sh -c "! awk -f '$TMP/xmlcheck.awk' '$TMP/bad.xml' > /dev/null"
run "$LITRULE" test --format junit --run pass "$TFF"
expect_status 0 "junit --run: status"
expect_true "junit --run: no coverage suite" sh -c "! grep -q 'testsuite name=\"coverage\"' '$TMP/out'"

# The flagship: 85 testcases, 0 failures, identical on a second run.
run "$LITRULE" test --format junit rules/
expect_status 0 "junit: flagship passes"
expect_grep out '^<testsuites name="mm_bone_protection" tests="86" failures="0" errors="0">$' "junit: flagship 86 testcases, 0 failures"
expect_true "junit: flagship has 86 <testcase> elements" sh -c "[ \$(grep -c '<testcase ' '$TMP/out') = 86 ]"
expect_true "junit: flagship well-formed" awk -f "$TMP/xmlcheck.awk" "$TMP/out"
cp "$TMP/out" "$TMP/junit1.xml"
run "$LITRULE" test --format junit rules/
expect_true "junit: deterministic" cmp -s "$TMP/out" "$TMP/junit1.xml"
