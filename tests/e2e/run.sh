#!/bin/sh
# tests/e2e/run.sh: end-to-end tests of the litrule command line.
#
#   sh tests/e2e/run.sh BUILD CC              (make e2e)
#
# A sequence of sections, each a group of commands run against
# BUILD/litrule from the repository root with their exit status and
# output checked.  Add a section at the end for a new command; use the
# helpers below so every check counts (or a file in tests/e2e/sections/,
# sourced at the end).  The last line is exactly
# "N passed, N failed"; the exit status is 1 on any failure.

BUILD=${1:-build}
CC=${2:-cc}
cd "$(dirname "$0")/../.." || exit 1
LITRULE=$BUILD/litrule
TMP=${TMPDIR:-/tmp}/litrule-e2e.$$
mkdir -p "$TMP" || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM

pass=0
fail=0

# run CMD...: runs a command, keeping its status, stdout and stderr.
run() {
	"$@" > "$TMP/out" 2> "$TMP/err"
	status=$?
}
# expect_status N WHAT: the last run exited with N.
expect_status() {
	if [ "$status" = "$1" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $2: exit status $status, expected $1"
		head -5 "$TMP/err" | sed 's/^/    /'
	fi
}
# expect_grep FILE PATTERN WHAT: FILE (out or err) has a line matching PATTERN.
expect_grep() {
	if grep -q -- "$2" "$TMP/$1"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $3: no line matching '$2' in std$1"
		head -5 "$TMP/$1" | sed 's/^/    /'
	fi
}
# expect_empty FILE WHAT: FILE (out or err) is empty.
expect_empty() {
	if [ ! -s "$TMP/$1" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $2: std$1 is not empty"
		head -5 "$TMP/$1" | sed 's/^/    /'
	fi
}
# expect_true WHAT CMD...: CMD succeeds.
expect_true() {
	what=$1
	shift
	if "$@"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $what"
	fi
}

# ---- section: command line ------------------------------------------------
run "$LITRULE" --help
expect_status 0 "--help"
expect_grep out "^usage: litrule" "--help prints usage"
run "$LITRULE" -h
expect_status 0 "-h"
run "$LITRULE" --version
expect_status 0 "--version"
expect_grep out "^litrule [0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*" "--version prints the version"
run "$LITRULE" frobnicate
expect_status 2 "unknown command"
expect_grep err "unknown command 'frobnicate'" "unknown command is named"
run "$LITRULE"
expect_status 2 "no command"

# ---- section: check -------------------------------------------------------
run "$LITRULE" check
expect_status 2 "check without paths"
expect_grep err "^usage: litrule check" "check usage"
run "$LITRULE" check --diagnostics=xml tests/golden/valid.md
expect_status 2 "check --diagnostics=xml"

run "$LITRULE" check tests/golden/valid.md
expect_status 0 "check a valid file"
expect_empty out "check a valid file"
expect_empty err "check a valid file"

# Files checked together form one rule set (names are shared).
mkdir -p "$TMP/ok"
cp tests/golden/valid.md tests/golden/valid/markdown.md "$TMP/ok/"
run "$LITRULE" check "$TMP/ok"
expect_status 0 "check a directory of valid files"
expect_empty err "check a directory of valid files"

# A directory: every *.md below it, in sorted order; other files ignored.
mkdir -p "$TMP/dir/sub"
cp tests/golden/unknown_source.md "$TMP/dir/b.md"
cp tests/golden/unused.md "$TMP/dir/sub/a.md"
cp tests/golden/unknown_source.md "$TMP/dir/notes.txt"
run "$LITRULE" check "$TMP/dir"
expect_status 1 "check a directory with errors"
expect_grep err "^$TMP/dir/b.md:9:8: error: no source named 'KDIGO2042'" "directory: error in b.md"
expect_grep err "^$TMP/dir/sub/a.md:6:7: warning:" "directory: warning in sub/a.md"
expect_grep err "^1 error, 2 warnings$" "directory: summary"
expect_true "directory: b.md before sub/a.md" \
	sh -c "grep -n '^$TMP/dir/' '$TMP/err' | head -1 | grep -q 'b.md'"

run "$LITRULE" check "$TMP/no-such-file.md"
expect_status 1 "missing file"
expect_grep err "^litrule: error: cannot read '$TMP/no-such-file.md': No such file or directory$" \
	"missing file is named"

mkdir -p "$TMP/empty"
run "$LITRULE" check "$TMP/empty"
expect_status 1 "directory without rule files"
expect_grep err "no rule files (\*\.md) found" "directory without rule files"

# A missing file does not stop the others from being checked.
run "$LITRULE" check "$TMP/no-such-file.md" tests/golden/unknown_source.md
expect_status 1 "missing file and a file with errors"
expect_grep err "unknown_source.md:9:8:" "the other file is still checked"

# JSON diagnostics: valid JSON of the documented shape, on stdout only.
"$CC" -std=c11 -O1 -o "$TMP/json_check" tests/e2e/json_check.c $(pkg-config --cflags --libs jansson) \
	> "$TMP/cc.log" 2>&1
expect_true "build tests/e2e/json_check.c" test -x "$TMP/json_check"
run "$LITRULE" check --diagnostics=json tests/golden/table_gap_overlap.md tests/golden/unused.md
expect_status 1 "--diagnostics=json with errors"
expect_empty err "--diagnostics=json writes nothing to stderr"
expect_true "--diagnostics=json is valid JSON of the documented shape" sh -c "'$TMP/json_check' 4 < '$TMP/out'"
run "$LITRULE" check --diagnostics=json tests/golden/valid.md
expect_status 0 "--diagnostics=json clean"
expect_true "--diagnostics=json clean prints []" sh -c "test \"\$(cat '$TMP/out')\" = '[]'"
run "$LITRULE" check --diagnostics=json "$TMP/no-such-file.md"
expect_true "--diagnostics=json: an io error has file null" sh -c "'$TMP/json_check' 1 < '$TMP/out' && grep -q '\"file\": null' '$TMP/out'"

# --werror: warnings become errors.
run "$LITRULE" check tests/golden/unused.md
expect_status 0 "warnings only"
expect_grep err "^0 errors, 2 warnings$" "warnings only: summary"
run "$LITRULE" check --werror tests/golden/unused.md
expect_status 1 "--werror"
expect_grep err "^tests/golden/unused.md:6:7: error: input 'weight'" "--werror: the warning is an error"
expect_grep err "^2 errors, 0 warnings$" "--werror: summary"
run "$LITRULE" check --werror --diagnostics=json tests/golden/unused.md
expect_status 1 "--werror with json"
expect_grep out '"severity": "error"' "--werror with json: severity error"

# Rule files are found relative to the rule file, not the working directory.
run sh -c "cd tests && ../$LITRULE check golden/quote_not_found.md"
expect_status 1 "check from another directory"
expect_grep err "golden/sources/quote_source.txt" "source text found relative to the rule file"

# ---- section: large and hostile inputs --------------------------------------
# A 50 MB file: 1,000,000 prose lines, then a rule block that never closes.
# The scanner must read it all and point at the opener's line.
yes "Prose that goes on and on, as a long guideline appendix would." | head -n 1000000 > "$TMP/big.md"
printf '```rule\ninput x: bool "x"\n' >> "$TMP/big.md"
run "$LITRULE" check "$TMP/big.md"
expect_status 1 "50 MB file with an unclosed rule block"
expect_grep err "big.md:1000001:1: error: this rule block is never closed" "50 MB file: the opener's line is named"
# 4 MB of bytes that are not UTF-8 (0xFF never is), without a newline.
head -c 4000000 /dev/zero | tr '\0' '\377' > "$TMP/binary.md"
run "$LITRULE" check "$TMP/binary.md"
expect_status 1 "binary file"
expect_grep err "binary.md:1:1: error: this byte is not valid UTF-8" "binary file: the first bad byte is named"

# ---- sections in their own files ---------------------------------------------
# tests/e2e/sections/*.sh are sourced in name order with the helpers above
# and the variables LITRULE, BUILD, CC and TMP; each counts into pass/fail.
for section in tests/e2e/sections/*.sh; do
	[ -f "$section" ] || continue
	# shellcheck disable=SC1090
	. "$section"
done

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
