#!/bin/sh
# tests/golden/run.sh: golden diagnostic tests for `litrule check`.
#
#   sh tests/golden/run.sh build/litrule        (make golden)
#
# Every tests/golden/NAME.md is checked with `litrule check` from the
# repository root, with the relative path tests/golden/NAME.md, so file
# names in messages are stable.  NAME.expected holds the expected result,
# written by hand: header lines first, then the exact expected output.
#
#   # exit N                 required: the expected exit status
#   # args WORD...           optional: options placed before the file name
#   # stream stdout          optional: the output compared is standard
#                            output (default: standard error); the other
#                            stream must then be empty
#
# The remaining lines are compared byte for byte (file:line:col, message,
# echoed source line and caret line, and the summary line).
#
# Then every tests/golden/valid/*.md must check clean: exit 0, nothing on
# either stream.  Those files are the examples of docs/language.md: each
# ```rule block of the manual must be a rule block of one of them, and
# each of them must appear in the manual, so the manual's examples are
# exactly the tested ones.
#
# Prints one line per failure, then "golden: N passed, N failed"; exits 1
# on any failure.

LITRULE=${1:-build/litrule}
case $LITRULE in
/*) ;;
*) LITRULE=$(pwd)/$LITRULE ;;
esac
cd "$(dirname "$0")/../.." || exit 1

if [ ! -x "$LITRULE" ]; then
	echo "golden: $LITRULE is not an executable" >&2
	exit 1
fi

TMP=${TMPDIR:-/tmp}/litrule-golden.$$
mkdir -p "$TMP" || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM

pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() {
	fail=$((fail + 1))
	echo "FAIL: $*"
}

# Shows the first differing lines, cut short: one fixture has a 10,000
# character line.
show_diff() {
	diff "$1" "$2" | cut -c1-200 | head -20 | sed 's/^/    /'
}

# ---- fixtures with expected diagnostics ----------------------------------
for md in tests/golden/*.md; do
	name=${md%.md}
	exp=$name.expected
	if [ ! -f "$exp" ]; then
		bad "$md has no $exp"
		continue
	fi
	want_status=$(sed -n 's/^# exit \([0-9]*\)$/\1/p' "$exp" | head -1)
	args=$(sed -n 's/^# args //p' "$exp" | head -1)
	stream=$(sed -n 's/^# stream //p' "$exp" | head -1)
	if [ -z "$want_status" ]; then
		bad "$exp has no '# exit N' line"
		continue
	fi
	# The expected text is everything after the header lines.
	awk 'h == 0 && /^# (exit|args|stream) / { next } { h = 1; print }' "$exp" > "$TMP/want"
	# shellcheck disable=SC2086 # args is a word list on purpose
	"$LITRULE" check $args "$md" > "$TMP/out" 2> "$TMP/err"
	status=$?
	if [ "$stream" = stdout ]; then
		got=$TMP/out
		other=$TMP/err
	else
		got=$TMP/err
		other=$TMP/out
	fi
	if [ "$status" != "$want_status" ]; then
		bad "$md: exit status $status, expected $want_status"
		show_diff "$TMP/want" "$got"
	elif ! cmp -s "$TMP/want" "$got"; then
		bad "$md: output differs (< expected, > actual)"
		show_diff "$TMP/want" "$got"
	elif [ -s "$other" ]; then
		bad "$md: unexpected output on the other stream"
		head -5 "$other" | sed 's/^/    /'
	else
		ok
	fi
done

# ---- valid fixtures: one per construct of the language -------------------
for md in tests/golden/valid/*.md; do
	"$LITRULE" check "$md" > "$TMP/out" 2> "$TMP/err"
	status=$?
	if [ "$status" != 0 ] || [ -s "$TMP/out" ] || [ -s "$TMP/err" ]; then
		bad "$md: expected a clean check, got exit $status"
		head -10 "$TMP/err" | sed 's/^/    /'
	else
		ok
	fi
done

# ---- the manual's examples are the valid fixtures ------------------------
# Writes each top-level ```rule block of $1 (fence lines excluded) to
# $2.N; blocks inside a longer ````markdown fence are not rule blocks.
split_blocks() {
	awk -v out="$2" '
		/^````/ && !inb { outer = !outer; next }
		outer { next }
		/^```rule[ \t]*$/ && !inb { inb = 1; n++; f = out "." n; printf "" > f; next }
		/^```[ \t]*$/ && inb { inb = 0; close(f); next }
		inb { print > f }
	' "$1"
}
# Writes each ````markdown block of $1 (a whole example file) to $2.N.
split_files() {
	awk -v out="$2" '
		/^````markdown[ \t]*$/ && !inb { inb = 1; n++; f = out "." n; printf "" > f; next }
		/^````[ \t]*$/ && inb { inb = 0; close(f); next }
		inb { print > f }
	' "$1"
}

DOC=docs/language.md
if [ -f "$DOC" ]; then
	split_blocks "$DOC" "$TMP/doc"
	split_files "$DOC" "$TMP/docfile"
	for md in tests/golden/valid/*.md; do
		base=$(basename "$md" .md)
		split_blocks "$md" "$TMP/fx-$base"
	done
	# Each rule block of the manual must equal a block of a valid fixture.
	for d in "$TMP"/doc.*; do
		[ -f "$d" ] || continue
		found=
		for f in "$TMP"/fx-*; do
			if [ -f "$f" ] && cmp -s "$d" "$f"; then
				found=1
				break
			fi
		done
		if [ -n "$found" ]; then
			ok
		else
			bad "$DOC: rule block $(basename "$d") is not a block of tests/golden/valid/*.md"
			head -3 "$d" | sed 's/^/    /'
		fi
	done
	# Each whole file shown in the manual must be a valid fixture.
	for d in "$TMP"/docfile.*; do
		[ -f "$d" ] || continue
		found=
		for md in tests/golden/valid/*.md; do
			if cmp -s "$d" "$md"; then
				found=1
				break
			fi
		done
		if [ -n "$found" ]; then
			ok
		else
			bad "$DOC: markdown example $(basename "$d") is not one of tests/golden/valid/*.md"
		fi
	done
	# Each valid fixture must be shown: whole, or one of its rule blocks.
	for md in tests/golden/valid/*.md; do
		base=$(basename "$md" .md)
		shown=
		for d in "$TMP"/docfile.*; do
			if [ -f "$d" ] && cmp -s "$d" "$md"; then
				shown=1
			fi
		done
		for f in "$TMP/fx-$base".*; do
			[ -f "$f" ] || continue
			for d in "$TMP"/doc.*; do
				if [ -f "$d" ] && cmp -s "$d" "$f"; then
					shown=1
				fi
			done
		done
		if [ -n "$shown" ]; then
			ok
		else
			bad "$md: it is not shown in $DOC"
		fi
	done
else
	bad "$DOC is missing"
fi

echo "golden: $pass passed, $fail failed"
[ "$fail" = 0 ]
