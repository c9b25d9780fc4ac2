# tests/e2e/sections/verify-stale.sh: `litrule verify`'s stale-source check
# (sourced by tests/e2e/run.sh): a passed review_by date, a future one,
# --today and its validation, malformed dates in check, and a source's
# stored text compared with the one at the last audit in a temporary repo.

VS=tests/verify
# Review dates, worked out by hand: G is due 2025-01-01 (line 10, column
# 13 is the opening quote), quoted by Old (line 21) and Older (line 27);
# H is due 2099-01-01.
run "$LITRULE" verify --coverage=off --today 2025-06-01 "$VS/stale_review.md"
expect_status 0 "verify-stale: a stale source is a warning, not an error"
expect_grep err "^tests/verify/stale_review.md:10:13: warning: source 'G' was due for review on 2025-01-01 (today is 2025-06-01); quoted by rule Old, rule Older \[stale-source\]$" \
	"verify-stale: passed review date found at its field, both rules named"
expect_grep err "^tests/verify/stale_review.md:21:8: note: rule 'Old' quotes 'G' here$" "verify-stale: note at Old's citation"
expect_grep err "^tests/verify/stale_review.md:27:8: note: rule 'Older' quotes 'G' here$" "verify-stale: note at Older's citation"
expect_grep err "; stale-source 0 errors, 1 warning; prose-coverage 0 errors, 0 warnings\(;.*\)\?$" "verify-stale: one finding in the summary"
expect_true "verify-stale: H (review in 2099) is not reported" sh -c "! grep -q \"source 'H'\" '$TMP/err'"
run "$LITRULE" verify --werror --today 2025-06-01 "$VS/stale_review.md"
expect_status 1 "verify-stale: --werror makes it an error"

# The day itself is not past; the next day is.
run "$LITRULE" verify --today 2025-01-01 "$VS/stale_review.md"
expect_grep err "; stale-source 0 errors, 0 warnings; prose-coverage 0 errors, 0 warnings\(;.*\)\?$" "verify-stale: due today is not stale yet"
run "$LITRULE" verify --today=2025-01-02 "$VS/stale_review.md"
expect_grep err "; stale-source 0 errors, 1 warning; prose-coverage 0 errors, 0 warnings\(;.*\)\?$" "verify-stale: --today=DATE, one day late"
run "$LITRULE" verify --today 2099-01-02 "$VS/stale_review.md"
expect_grep err "; stale-source 0 errors, 2 warnings; prose-coverage 0 errors, 0 warnings\(;.*\)\?$" "verify-stale: both due by 2099-01-02"
expect_grep err "source 'H' was due for review on 2099-01-01 .*; quoted by rule Older \[stale-source\]$" "verify-stale: H quoted by Older only"
run "$LITRULE" verify --today 2025-02-30 "$VS/stale_review.md"
expect_status 2 "verify-stale: --today must be a date"
expect_grep err "--today takes a date YYYY-MM-DD, not '2025-02-30'" "verify-stale: --today's message"
# Without --today the clock decides: 2025-01-01 has passed on any machine running this.
run "$LITRULE" verify "$VS/stale_review.md"
expect_grep err "source 'G' was due for review on 2025-01-01 (today is 20" "verify-stale: default today is the clock"

# Malformed dates are check's errors, at the value.
run "$LITRULE" check "$VS/stale_bad_dates.md"
expect_status 1 "verify-stale: malformed source dates are errors"
expect_grep err "^tests/verify/stale_bad_dates.md:5:13: error: 2024-02-30 is not a date: February 2024 has 29 days \[impossible-date\]$" "verify-stale: impossible retrieved date"
expect_grep err "^tests/verify/stale_bad_dates.md:6:13: error: the review_by date is written \"YYYY-MM-DD\", not \"2025/01/01\" \[source-field\]$" "verify-stale: review_by's format"

# Stored texts against the last audit, in a temporary repository.
VR=$TMP/vstale
mkdir -p "$VR/home" "$VR/repo/rules/sources"
vs_git() { env HOME="$VR/home" GIT_CONFIG_NOSYSTEM=1 git -C "$VR/repo" -c user.name=A -c user.email=a@example.org "$@"; }
cat > "$VR/repo/rules/r.md" <<'EOR'
# Stale text

```rule
source G "Example guideline"
  text "sources/g.txt"

input age: number in years, from 0 to 120 "age"

rule Old "old"
  when age > 80
  then alert "old"
  cite G at "1" quote "old people"

example E "old"
  given age = 85
  expect Old
```
EOR
echo "Advice for old people and others." > "$VR/repo/rules/sources/g.txt"
vs_git init -q && vs_git add -A && vs_git commit -q -m init
run env HOME="$VR/home" GIT_CONFIG_NOSYSTEM=1 "$LITRULE" verify --today 2025-01-01 "$VR/repo/rules/r.md"
expect_grep err "^verify: stale-source: stored source texts not compared with the last audit: no audit report on refs/litrule/audit$" \
	"verify-stale: no audit yet: not compared"
case $LITRULE in /*) VS_L=$LITRULE ;; *) VS_L=$PWD/$LITRULE ;; esac
(cd "$VR/repo" && env HOME="$VR/home" GIT_CONFIG_NOSYSTEM=1 SOURCE_DATE_EPOCH=1700000000 "$VS_L" audit rules) > "$TMP/out" 2> "$TMP/err"
status=$?
expect_status 0 "verify-stale: the audit is written"
run env HOME="$VR/home" GIT_CONFIG_NOSYSTEM=1 "$LITRULE" verify --today 2025-01-01 "$VR/repo/rules/r.md"
expect_grep err "; stale-source 0 errors, 0 warnings; prose-coverage 0 errors, 0 warnings\(;.*\)\?$" "verify-stale: unchanged text after the audit: clean"
expect_true "verify-stale: compared, so no 'not compared'" sh -c "! grep -q 'not compared' '$TMP/err'"
echo "Advice for old people and more." > "$VR/repo/rules/sources/g.txt"
run env HOME="$VR/home" GIT_CONFIG_NOSYSTEM=1 "$LITRULE" verify --today 2025-01-01 "$VR/repo/rules/r.md"
expect_grep err "^$VR/repo/rules/r.md:5:8: warning: the stored text of source 'G' (sources/g.txt) differs from the one audited at [0-9a-f]\{12\}; quoted by rule Old \[stale-source\]$" \
	"verify-stale: changed text found at its 'text' field, rule named"
expect_grep err "^$VR/repo/rules/r.md:12:8: note: rule 'Old' quotes 'G' here$" "verify-stale: note at Old's citation"
# A directory path and --repo find the same repository.
run env HOME="$VR/home" GIT_CONFIG_NOSYSTEM=1 "$LITRULE" verify --today 2025-01-01 "$VR/repo/rules"
expect_grep err "; stale-source 0 errors, 1 warning; prose-coverage 0 errors, 0 warnings\(;.*\)\?$" "verify-stale: the repository of a directory path"
cp -r "$VR/repo/rules" "$VR/outside"
run env HOME="$VR/home" GIT_CONFIG_NOSYSTEM=1 "$LITRULE" verify --repo "$VR/repo" --today 2025-01-01 "$VR/outside/r.md"
expect_grep err "1 stored source text not compared with the audit" "verify-stale: a text outside --repo's work tree is not compared"
# Outside any repository: said once, not an error.
run env HOME="$VR/home" GIT_CONFIG_NOSYSTEM=1 GIT_CEILING_DIRECTORIES="$VR" "$LITRULE" verify --today 2025-01-01 "$VR/outside/r.md"
expect_status 0 "verify-stale: outside a repository is not an error"
expect_grep err "not compared with the last audit: not in a git repository$" "verify-stale: outside a repository: not compared"
expect_true "verify-stale: said once" test "$(grep -c 'not compared' "$TMP/err")" = 1
# Restored: clean again.
echo "Advice for old people and others." > "$VR/repo/rules/sources/g.txt"
run env HOME="$VR/home" GIT_CONFIG_NOSYSTEM=1 "$LITRULE" verify --today 2025-01-01 "$VR/repo/rules/r.md"
expect_grep err "; stale-source 0 errors, 0 warnings; prose-coverage 0 errors, 0 warnings\(;.*\)\?$" "verify-stale: restored text: clean"
