# tests/e2e/sections/verify.sh: `litrule verify` (sourced by tests/e2e/run.sh).
# The month-end fixture's findings at their exact places, with counts
# worked out by hand over the 400-year cycle (146,097 anchor dates):
#   + 1 month:   per year Jan 29-31 (Jan 30-31 in a leap year), Mar 31,
#                May 31, Aug 31, Oct 31 clamp: 303 * 7 + 97 * 6 = 2703;
#   + 24 months: only 29 February clamps (two years on is never leap): 97;
#   + 3 months:  Jan 31, Mar 31, Aug 31, Nov 29-30 (Nov 30 when the next
#                year is leap): 303 * 5 + 97 * 4 = 1903.
# Then the same fixture with 'month end clamps' passes; the outputs (JSON,
# SARIF against the OASIS schema), fingerprints that survive inserted
# lines, --werror and usage.

VF=tests/verify

# ---- seeded defects, text ---------------------------------------------------
run "$LITRULE" verify "$VF/month_end.md"
expect_status 1 "verify: month-end findings are errors"
expect_grep err "^tests/verify/month_end.md:15:17: error: 'surgery + 1 month': the month-end clamp decides the date for 2703 of the 146097 anchor dates" "verify: let + 1 month at 15:17, 2703 anchors"
expect_grep err "(first: 2000-01-30 + 1 month = 2000-02-29, 2000-01-31 + 1 month = 2000-02-29, 2000-03-31 + 1 month = 2000-04-30)" "verify: the first clamped anchors of + 1 month"
expect_grep err "^tests/verify/month_end.md:18:8: error: 'today within 2 years after start': .* for 97 of the 146097 .*2000-02-29 + 24 months = 2002-02-28" "verify: within 2 years at 18:8, 97 anchors"
expect_grep err "^tests/verify/month_end.md:23:31: error: 'start + 1 month': .* 2703 of" "verify: rule's start + 1 month at 23:31"
expect_grep err "^tests/verify/month_end.md:23:8: warning: this comparison mixes a duration in weeks with one in months" "verify: weeks against months at 23:8"
expect_grep err "^tests/verify/month_end.md:28:33: error: an interval of 1 month: .* 2703 of" "verify: schedule interval q1m at 28:33"
expect_grep err "^tests/verify/month_end.md:28:41: error: the end of phase 1, 24 months after the anchor: .* 97 of" "verify: phase boundary at 28:41"
expect_grep err "^tests/verify/month_end.md:28:56: error: an interval of 3 months: .* 1903 of .*2000-01-31 + 3 months = 2000-04-30" "verify: schedule interval q3m at 28:56, 1903 anchors"
expect_grep err "^verify: check 0 errors, 0 warnings; month-end 6 errors, 0 warnings; mixed-durations 0 errors, 1 warning; stale-source 0 errors, 0 warnings; prose-coverage 0 errors, 0 warnings\(;.*\)\?$" "verify: the summary counts per check"
run "$LITRULE" check "$VF/month_end.md"
expect_status 0 "verify fixture: check alone accepts it (the analyses are verify's)"

# ---- the reading stated -------------------------------------------------------
run "$LITRULE" verify --coverage=off "$VF/month_end_stated.md"
expect_status 0 "verify: 'month end clamps' silences every month-end finding"
expect_grep err "^verify: check 0 errors, 0 warnings; month-end 0 errors, 0 warnings; mixed-durations 0 errors, 1 warning; stale-source 0 errors, 0 warnings; prose-coverage 0 errors, 0 warnings\(;.*\)\?$" "verify: stated: only the mixed comparison is left"
run "$LITRULE" verify --werror "$VF/month_end_stated.md"
expect_status 1 "verify --werror: the mixed-durations warning is an error"
expect_grep err "^tests/verify/month_end_stated.md:24:8: error: this comparison mixes" "verify --werror: shown as an error"

# The clause is checked: other words, or a clause with nothing to say.
printf '```rule\nsource G "g"\ninput d: date "d"\nlet x = d + 1 month month end rolls "x"\n```\n' > "$TMP/me_bad.md"
run "$LITRULE" check "$TMP/me_bad.md"
expect_status 1 "month-end clause: wrong words"
expect_grep err "me_bad.md:4:21: error: unexpected name 'month'" "month-end clause: wrong words are a syntax error there"
printf '```rule\nsource G "g"\ninput d: date "d"\nlet x = d + 30 days month end clamps "x"\n```\n' > "$TMP/me_unused.md"
run "$LITRULE" check "$TMP/me_unused.md"
expect_status 0 "month-end clause without months: a warning"
expect_grep err "me_unused.md:4:21: warning: 'month end clamps' is stated, but let 'x' moves no date by months or years" "month-end clause without months: said"
# month, end and clamps stay names.
printf '```rule\nsource G "g"\ninput month: number in days "m"\nlet end in days = month + 1 days\nlet clamps in days = end\nlet month_end in days = clamps month end clamps\n```\n' > "$TMP/me_names.md"
run "$LITRULE" check "$TMP/me_names.md"
expect_status 0 "month-end clause: month, end and clamps are still names"
expect_grep err "me_names.md:6:32: warning: 'month end clamps' is stated, but let 'month_end' moves no date by months or years" "month-end clause after a name that ends a let"

# ---- JSON ---------------------------------------------------------------------
run "$LITRULE" verify --format json "$VF/month_end.md"
expect_status 1 "verify --format json: exit 1 on errors"
expect_true "verify --format json: one JSON document with diagnostics and summary" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["summary"]["month-end"] == {"errors": 6, "warnings": 0}, d["summary"]
assert d["summary"]["mixed-durations"] == {"errors": 0, "warnings": 1}
assert d["summary"]["check"] == {"errors": 0, "warnings": 0}
first = d["diagnostics"][0]
assert (first["line"], first["column"], first["id"]) == (15, 17, "month-end"), first
assert first["properties"]["clampedAnchorDates"] == 2703
assert first["properties"]["examples"][0] == {"anchor": "2000-01-30", "result": "2000-02-29"}
' "$TMP/out"
expect_true "verify --format json: diagnostics are check's shape" sh -c "python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))[\"diagnostics\"]))' '$TMP/out' | '$TMP/json_check' 7"

# ---- SARIF --------------------------------------------------------------------
run "$LITRULE" verify --coverage=off --format sarif "$VF/month_end.md"
expect_status 1 "verify --format sarif: exit 1 on errors"
cp "$TMP/out" "$TMP/a.sarif"
expect_true "verify --format sarif: valid against the OASIS SARIF 2.1.0 schema" python3 tests/sarif/validate.py "$TMP/a.sarif"
# The validator must be able to fail: a wrong level is refused.
sed 's/"level": "error"/"level": "fatal"/' "$TMP/a.sarif" > "$TMP/bad.sarif"
expect_true "tests/sarif/validate.py refuses an invalid log" sh -c "! python3 tests/sarif/validate.py '$TMP/bad.sarif' 2>/dev/null"
expect_true "verify --format sarif: rules, results, locations, fingerprints" python3 -c '
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
rules = run["tool"]["driver"]["rules"]
assert [r["id"] for r in rules][:4] == ["month-end", "mixed-durations", "stale-source", "prose-coverage"], rules
for r in rules:
    assert r["shortDescription"]["text"] and r["fullDescription"]["text"] and r["help"]["text"]
assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file:///")
assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")
res = run["results"]
assert len(res) == 7, len(res)
r = res[0]
assert r["ruleId"] == "month-end" and r["ruleIndex"] == 0 and r["level"] == "error"
loc = r["locations"][0]["physicalLocation"]
assert loc["artifactLocation"] == {"uri": "tests/verify/month_end.md", "uriBaseId": "%SRCROOT%"}, loc
assert loc["region"] == {"startLine": 15, "startColumn": 17, "endLine": 15, "endColumn": 34}, loc["region"]
assert r["properties"]["months"] == 1
w = [x for x in res if x["ruleId"] == "mixed-durations"]
assert len(w) == 1 and w[0]["level"] == "warning"
fps = [x["partialFingerprints"]["litruleFinding/v1"] for x in res]
assert len(set(fps)) == len(fps), fps
' "$TMP/a.sarif"
# Lines inserted above every finding move them all; fingerprints stay.
{ sed -n 1,6p "$VF/month_end.md"; printf 'More prose.\n\nAnd more.\n'; sed -n '7,$p' "$VF/month_end.md"; } > "$TMP/month_end.md"
mkdir -p "$TMP/tests/verify" && cp "$TMP/month_end.md" "$TMP/tests/verify/month_end.md"
run sh -c "cd '$TMP' && '$(pwd)/$LITRULE' verify --coverage=off --format sarif tests/verify/month_end.md"
cp "$TMP/out" "$TMP/b.sarif"
expect_true "verify --format sarif: the findings moved down 3 lines" python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))["runs"][0]["results"]
b = json.load(open(sys.argv[2]))["runs"][0]["results"]
la = [x["locations"][0]["physicalLocation"]["region"]["startLine"] for x in a]
lb = [x["locations"][0]["physicalLocation"]["region"]["startLine"] for x in b]
assert lb == [n + 3 for n in la], (la, lb)
' "$TMP/a.sarif" "$TMP/b.sarif"
expect_true "verify --format sarif: partialFingerprints unchanged when lines move" python3 -c '
import json, sys
fp = lambda p: [x["partialFingerprints"] for x in json.load(open(p))["runs"][0]["results"]]
assert fp(sys.argv[1]) == fp(sys.argv[2])
' "$TMP/a.sarif" "$TMP/b.sarif"
run "$LITRULE" verify --format sarif --srcroot "$(pwd)/tests" "$(pwd)/$VF/month_end.md"
expect_true "verify --srcroot: URIs relative to it" grep -q '"uri": "verify/month_end.md"' "$TMP/out"

# ---- front-end errors, usage ---------------------------------------------------
printf '```rule\ninput x: number in mg "x"\nrule R "r"\n  when y > 1 mg\n  then alert "a"\n```\n' > "$TMP/vf_bad.md"
run "$LITRULE" verify "$TMP/vf_bad.md"
expect_status 1 "verify: front-end errors are errors"
expect_grep err "vf_bad.md:4:8: error: unknown name 'y'" "verify: the front end's diagnostics, as check gives them"
expect_grep err "^verify: check [1-9][0-9]* errors\?, [0-9]* warnings\?; month-end 0 errors" "verify: front-end errors counted under check"
expect_grep err "^verify: the front end found errors; the analyses did not run$" "verify: says the analyses did not run"
run "$LITRULE" verify --format sarif "$TMP/vf_bad.md"
cp "$TMP/out" "$TMP/c.sarif"
expect_true "verify --format sarif: front-end errors validate too" python3 tests/sarif/validate.py "$TMP/c.sarif"
run "$LITRULE" verify
expect_status 2 "verify: no path is a usage error"
run "$LITRULE" verify --format xml "$VF/month_end.md"
expect_status 2 "verify: an unknown format is a usage error"
expect_grep err "takes text, json or sarif" "verify: the formats are named"
run "$LITRULE" verify --bogus "$VF/month_end.md"
expect_status 2 "verify: an unknown option is a usage error"

# The flagship: whatever it reports (another issue revises it), verify
# ends normally with its summary, in every format.
run "$LITRULE" verify rules/
expect_true "verify rules/: exit 0 or 1" test "$status" -le 1
expect_grep err "^verify: check 0 errors" "verify rules/: the summary line"
run "$LITRULE" verify --format sarif rules/
cp "$TMP/out" "$TMP/flagship.sarif"
expect_true "verify --format sarif rules/: valid SARIF" python3 tests/sarif/validate.py "$TMP/flagship.sarif"
