#!/bin/sh
# tests/valgrind.sh: memory checks under valgrind.
#
#   sh tests/valgrind.sh BUILD                 (make check-valgrind)
#
# Runs every BUILD/tests/test_* unit test, `litrule check` on rules/
# and on each golden fixture, and `litrule verify` on the solver fixtures
# (each forked worker with its own log), under
#   valgrind --error-exitcode=1 --leak-check=full
#            --errors-for-leak-kinds=definite,indirect
# A run fails when valgrind reports an error or a definite or indirect
# leak.  `litrule check` exits 1 by design on the fixtures that contain
# errors, so valgrind's verdict is read from its log ("ERROR SUMMARY: 0
# errors") rather than from the exit status alone; a fixture expected to
# check clean must also exit 0.  Exits 1 on any failure.

BUILD=${1:-build}
cd "$(dirname "$0")/.." || exit 1
TMP=${TMPDIR:-/tmp}/litrule-valgrind.$$
mkdir -p "$TMP" || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM

if ! command -v valgrind > /dev/null 2>&1; then
	echo "valgrind: not installed" >&2
	exit 1
fi

pass=0
fail=0
VG="valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect --log-file=$TMP/vg.log"

# vg WHAT EXPECTED_STATUS CMD...: EXPECTED_STATUS is a number, or "any".
vg() {
	what=$1
	want=$2
	shift 2
	# shellcheck disable=SC2086 # VG is a word list
	$VG "$@" > /dev/null 2>&1
	status=$?
	if ! grep -q "ERROR SUMMARY: 0 errors" "$TMP/vg.log"; then
		fail=$((fail + 1))
		echo "FAIL: $what: valgrind reports errors"
		grep -E "ERROR SUMMARY|definitely|indirectly|Invalid|uninitialised" "$TMP/vg.log" | head -10 | sed 's/^/    /'
	elif [ "$want" != any ] && [ "$status" != "$want" ]; then
		fail=$((fail + 1))
		echo "FAIL: $what: exit status $status, expected $want"
	else
		pass=$((pass + 1))
	fi
}

for t in "$BUILD"/tests/test_*; do
	case $t in *.o | *.d) continue ;; esac
	[ -x "$t" ] || continue
	vg "$t" 0 "$t"
done

if ls rules/*.md > /dev/null 2>&1; then
	vg "check rules/" any "$BUILD/litrule" check rules
fi
for md in tests/golden/*.md; do
	want=$(sed -n 's/^# exit \([0-9]*\)$/\1/p' "${md%.md}.expected" 2> /dev/null | head -1)
	args=$(sed -n 's/^# args //p' "${md%.md}.expected" 2> /dev/null | head -1)
	# shellcheck disable=SC2086 # args is a word list
	vg "check $md" "${want:-any}" "$BUILD/litrule" check $args "$md"
done
for md in tests/golden/valid/*.md; do
	vg "check $md" 0 "$BUILD/litrule" check "$md"
done

# The back end: tests of the examples, code generation, evaluation of the
# sample patients (files and a --jsonl stream with a malformed line).
if ls rules/*.md > /dev/null 2>&1; then
	vg "test rules/" 0 "$BUILD/litrule" test rules
	vg "build rules/" 0 "$BUILD/litrule" build rules -o "$TMP"
	vg "eval sample patients (text)" 0 "$BUILD/litrule" eval --rules rules --format text examples/patients/*.json
	vg "eval sample patients (json)" 0 "$BUILD/litrule" eval --rules rules examples/patients/*.json
	printf '%s\n' '{"agent":"denosumab","first_dose":"2024-02-29","last_dose":"2026-02-28","today":"2026-03-01"}' \
		'not json' '{"calcium_mg_dl":50}' > "$TMP/p.jsonl"
	# shellcheck disable=SC2086 # VG is a word list
	$VG "$BUILD/litrule" eval --rules rules --jsonl < "$TMP/p.jsonl" > /dev/null 2>&1
	if grep -q "ERROR SUMMARY: 0 errors" "$TMP/vg.log"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: eval --jsonl: valgrind reports errors"
	fi
fi

# verify's solver analyses run in forked worker processes (Z3 in each):
# every process writes its own log, and every log must be clean.
for md in tests/verify/solver_contradict.md tests/verify/solver_dead.md; do
	rm -f "$TMP"/vgp.*.log
	valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --log-file="$TMP/vgp.%p.log" \
		"$BUILD/litrule" verify "$md" > /dev/null 2>&1
	if ls "$TMP"/vgp.*.log > /dev/null 2>&1 && ! grep -L "ERROR SUMMARY: 0 errors" "$TMP"/vgp.*.log | grep -q .; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: verify $md: valgrind reports errors in a process"
		grep -h -E "ERROR SUMMARY|definitely|indirectly|Invalid|uninitialised" "$TMP"/vgp.*.log | head -10 | sed 's/^/    /'
	fi
done

echo "valgrind: $pass passed, $fail failed"
[ "$fail" = 0 ]
