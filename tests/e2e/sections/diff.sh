# tests/e2e/sections/diff.sh: `litrule diff REV_A REV_B [PATH]` on a
# temporary repository with one change per commit (a threshold, a rule
# added and one removed, a quote, a dose, an input's range), checked in
# both formats; determinism; bad revisions, paths and repositories; and
# that the repository is never changed.  Sourced by tests/e2e/run.sh.

DR=$TMP/diffrepo
mkdir -p "$DR/rules"
dgit() {
	GIT_AUTHOR_DATE="2024-01-0$1T10:00:00Z" GIT_COMMITTER_DATE="2024-01-0$1T10:00:00Z" \
		git -C "$DR" -c user.name=Alice -c user.email=alice@example.org -c commit.gpgsign=false \
		commit -q -a -m "$2"
}
# The rule file with the parts each commit changes as arguments:
# threshold, quote, dose, age upper bound, and the middle rule's id.
dwrite() {
	cat > "$DR/rules/a.md" <<EOF
# Test rules

\`\`\`rule
source G "Guide"
input age: number in years, from 0 to $4 "age"
input sex: one of male, female "sex"
rule Old "old"
  when age > $1
  then monitor "falls"
  cite G at "p1" quote "$2"
rule $5 "women"
  when sex is female
  then recommend "screening"
  cite G at "p2" quote "women"
rule Dose "dose"
  when age > 18
  then dose $3 mg oral "a dose"
  cite G at "p3" quote "dose"
example E1 "old woman"
  given age = 68, sex = female
  expect Dose
\`\`\`
EOF
}
git init -q "$DR"
dwrite 65 q1 4 130 Women
git -C "$DR" add rules/a.md
dgit 1 "first"
dwrite 70 q1 4 130 Women && dgit 2 "threshold 65 -> 70"
dwrite 70 q1 4 130 Screen && dgit 3 "rename Women to Screen"
dwrite 70 q2 4 130 Screen && dgit 4 "quote"
dwrite 70 q2 5 130 Screen && dgit 5 "dose 4 -> 5 mg"
dwrite 70 q2 5 120 Screen && dgit 6 "age range to 120"
snap() {
	{ git -C "$DR" --no-optional-locks status --porcelain; git -C "$DR" show-ref; cksum < "$DR/.git/index"; cat "$DR/.git/HEAD"; } > "$1"
}
snap "$TMP/diff-before"

# A threshold: exactly the patients in (65, 70] change.
run "$LITRULE" diff --repo "$DR" HEAD~5 HEAD~4
expect_status 0 "diff: threshold change exits 0"
expect_grep out "^  changed rule Old  rules/a.md:7 -> rules/a.md:7" "diff: threshold: the changed rule with both locations"
expect_grep out "^    -   when age > 65$" "diff: threshold: old line"
expect_grep out "^    +   when age > 70$" "diff: threshold: new line"
expect_grep out "^  changed: Old  (" "diff: threshold: a group for rule Old"
expect_grep out "boundary: age = 65.000000001" "diff: threshold: the patient just above 65 differs"
expect_grep out '^      - action: Old monitor "falls"$' "diff: threshold: the decision before"
run "$LITRULE" diff --repo "$DR" --format json --patients 3000 --seed 7 HEAD~5 HEAD~4
expect_status 0 "diff --format json exits 0"
grep '^ *"age": "' "$TMP/out" | sed 's/.*"age": "\([^"]*\)".*/\1/' > "$TMP/diff-ages"
expect_true "diff: threshold: some patients differ" test -s "$TMP/diff-ages"
expect_true "diff: threshold: every differing patient has 65 < age <= 70" \
	awk '{ if (!($1 > 65 && $1 <= 70)) bad = 1 } END { exit bad }' "$TMP/diff-ages"
expect_true "diff: threshold: age 70 differs, 70.000000001 does not" \
	sh -c "grep -qx '70' '$TMP/diff-ages' && ! grep -qx '70.000000001' '$TMP/diff-ages' && ! grep -qx '65' '$TMP/diff-ages'"

# JSON shape, with a small jansson checker.
cat > "$TMP/diff_check.c" <<'EOF'
#include <jansson.h>
#include <stdio.h>
#include <string.h>
int main(void)
{
	json_error_t e;
	json_t *j = json_loadf(stdin, 0, &e), *o, *g;
	if (!j) { fprintf(stderr, "%s\n", e.text); return 1; }
	o = json_object_get(j, "outcomes");
	g = json_object_get(o, "groups");
	if (!json_is_array(json_object_get(j, "declarations")) || !json_is_array(g) ||
	    !json_is_string(json_object_get(json_object_get(j, "a"), "commit")) ||
	    !json_is_string(json_object_get(json_object_get(j, "b"), "hash")) ||
	    !json_is_integer(json_object_get(o, "differ")))
		return 1;
	if (json_array_size(g) &&
	    !json_is_array(json_object_get(json_array_get(json_object_get(json_array_get(g, 0), "patients"), 0), "before")))
		return 1;
	return 0;
}
EOF
"$CC" -std=c11 -o "$TMP/diff_check" "$TMP/diff_check.c" $(pkg-config --cflags --libs jansson) 2>/dev/null
expect_true "diff --format json has the documented shape" sh -c "'$TMP/diff_check' < '$TMP/out'"
expect_grep out '"change": "changed"' "diff json: a changed declaration"

# Determinism: the same output twice, in both formats.
"$LITRULE" diff --repo "$DR" --format json HEAD~5 HEAD > "$TMP/diff-j1" 2>&1
"$LITRULE" diff --repo "$DR" --format json HEAD~5 HEAD > "$TMP/diff-j2" 2>&1
expect_true "diff json: byte-identical on a second run" cmp -s "$TMP/diff-j1" "$TMP/diff-j2"
"$LITRULE" diff --repo "$DR" HEAD~5 HEAD > "$TMP/diff-t1" 2>&1
"$LITRULE" diff --repo "$DR" HEAD~5 HEAD > "$TMP/diff-t2" 2>&1
expect_true "diff text: byte-identical on a second run" cmp -s "$TMP/diff-t1" "$TMP/diff-t2"

# A rule removed and one added (renamed).
run "$LITRULE" diff --repo "$DR" HEAD~4 HEAD~3 rules
expect_grep out "^  added rule Screen  rules/a.md:11$" "diff: added rule with its location"
expect_grep out "^  removed rule Women  rules/a.md:11$" "diff: removed rule"
expect_grep out "^  changed: Screen, Women  (" "diff: the outcome group names both rules"
# A quote: named explicitly; outcomes unchanged.
run "$LITRULE" diff --repo "$DR" HEAD~3 HEAD~2
expect_grep out '^    citation G at "p1": quote changed from "q1" to "q2"$' "diff: changed quote listed"
expect_grep out ": 0 differ$" "diff: a quote changes no outcome"
# A dose.
run "$LITRULE" diff --repo "$DR" HEAD~2 HEAD~1
expect_grep out "^  changed: Dose  (" "diff: dose change grouped under the rule"
expect_grep out '^      - action: Dose dose "a dose" dose 4 mg route oral$' "diff: dose before"
expect_grep out '^      + action: Dose dose "a dose" dose 5 mg route oral$' "diff: dose after"
expect_grep out "example E1 (rules/a.md:19 at a)" "diff: the example is evaluated under both"
# An input's range: values above 120 are rejected by b.
run "$LITRULE" diff --repo "$DR" --show 100 HEAD~1 HEAD
expect_grep out "^    - input age: number in years, from 0 to 130 \"age\"$" "diff: range: old line"
expect_grep out "errors  (" "diff: range: a group of rejected patients"
expect_grep out "boundary: age = 120.000000001" "diff: range: just above the new bound differs"
expect_grep out "^      + error: age: " "diff: range: the rejection shown"
# Identical revisions; --exit-code.
run "$LITRULE" diff --repo "$DR" --exit-code HEAD HEAD
expect_status 0 "diff --exit-code: 0 without differences"
expect_grep out "^Declarations: 0 added, 0 removed, 0 changed$" "diff: same revision: no declaration changes"
run "$LITRULE" diff --repo "$DR" --exit-code HEAD~1 HEAD
expect_status 1 "diff --exit-code: 1 with differences"

# Bad input: one line on stderr, exit 1 (2 for usage), nothing on stdout.
run "$LITRULE" diff --repo "$DR" nosuchrev HEAD
expect_status 1 "diff: unknown revision exits 1"
expect_grep err "nosuchrev" "diff: unknown revision named"
expect_empty out "diff: unknown revision: no output"
run "$LITRULE" diff --repo "$DR" HEAD~1 HEAD nosuchdir
expect_status 1 "diff: path absent at a revision exits 1"
expect_grep err "nosuchdir" "diff: absent path named"
mkdir -p "$TMP/notrepo"
run "$LITRULE" diff --repo "$TMP/notrepo" HEAD~1 HEAD
expect_status 1 "diff: not a repository exits 1"
expect_grep err "litrule: error: " "diff: not a repository: one-line error"
run "$LITRULE" diff --repo "$DR" HEAD
expect_status 2 "diff: one revision is a usage error"
run "$LITRULE" diff --repo "$DR" --patients lots HEAD HEAD
expect_status 2 "diff: a bad --patients is a usage error"
git init -q "$TMP/unborn"
run "$LITRULE" diff --repo "$TMP/unborn" HEAD HEAD
expect_status 1 "diff: unborn branch exits 1"

# A dirty working tree is not read, and nothing is changed.
cp "$DR/rules/a.md" "$TMP/diff-a.md"
echo "garbage" >> "$DR/rules/a.md"
snap "$TMP/diff-dirty"
run "$LITRULE" diff --repo "$DR" HEAD~5 HEAD
expect_status 0 "diff: a dirty working tree is not read"
snap "$TMP/diff-dirty2"
expect_true "diff: repository unchanged (dirty tree)" cmp -s "$TMP/diff-dirty" "$TMP/diff-dirty2"
cp "$TMP/diff-a.md" "$DR/rules/a.md"
snap "$TMP/diff-after"
expect_true "diff: git status, refs, index and HEAD unchanged" cmp -s "$TMP/diff-before" "$TMP/diff-after"

# An input only b declares: dropped at a, and said so; an example of b
# that gives it is evaluated under a without it.
cat > "$DR/rules/b.md" <<'EOF2'
```rule
input weight: number in kg, from 1 to 300 "weight"
rule Heavy "heavy"
  when weight > 100
  then monitor "weight"
  cite G at "p4" quote "heavy"
example W1 "heavy"
  given weight = 120, age = 50
  expect Heavy
```
EOF2
git -C "$DR" add rules/b.md && dgit 7 "add weight and Heavy"
snap "$TMP/diff-before7"
run "$LITRULE" diff --repo "$DR" HEAD~1 HEAD
expect_grep out "^  added input weight  rules/b.md:2$" "diff: added input"
expect_grep out "^  added rule Heavy  rules/b.md:3$" "diff: added rule in a new file"
expect_grep out "example W1 (rules/b.md:7 at b)" "diff: an example only b has is evaluated under a too"
expect_grep out "weight=120 (unknown to a: dropped there)" "diff: an input unknown to a is dropped there, and said so"
expect_grep out '^      + action: Heavy monitor "weight"$' "diff: the new rule fires in b"
snap "$TMP/diff-after7"
expect_true "diff: repository unchanged (new input)" cmp -s "$TMP/diff-before7" "$TMP/diff-after7"

# A derived value that stands for an input ("x otherwise z"): its
# comparisons give boundary values of the input.
DL=$TMP/diffrepo-let
mkdir -p "$DL/rules"
dlet() {
	printf '```rule\nsource G "Guide"\ninput x: number in mg, from 0 to 100 "x"\ninput z: number in mg, from 0 to 100 "z"\nlet y in mg = x otherwise z\nrule Big "big"\n  when y > %s\n  then monitor "big"\n  cite G at "p" quote "q"\n```\n' "$1" > "$DL/rules/a.md"
}
git init -q "$DL"
dlet 50 && git -C "$DL" add rules && git -C "$DL" -c user.name=A -c user.email=a@example.org commit -q -m a
dlet 55 && git -C "$DL" -c user.name=A -c user.email=a@example.org commit -q -a -m b
run "$LITRULE" diff --repo "$DL" --show 1000 HEAD~1 HEAD
expect_grep out "boundary: x = 50.000000001$" "diff: boundary of a derived value, through its input"
expect_grep out "boundary: x = 55$" "diff: boundary of a derived value at b"
