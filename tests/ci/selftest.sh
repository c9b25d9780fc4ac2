#!/bin/sh
# tests/ci/selftest.sh: the quiet test drivers still fail, and still show why.
#
#   sh tests/ci/selftest.sh            (make ci-selftest, part of make test)
#
# Runs tests/ci/quiet.sh, unit.sh and check.sh on stand-ins (shell
# functions and small scripts, no real test suite): a passing group prints
# only its summary line; a failing one prints its whole output and fails;
# make check's driver runs every suite after a failure, ends with the
# verdict naming the failed suite, and exits 1; V=1 prints everything.
# Last line "ci-selftest: N passed, N failed".

cd "$(dirname "$0")/../.." || exit 1
TMP=$(mktemp -d "${TMPDIR:-/tmp}/litrule-ci.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM
pass=0
fail=0
# expect WHAT STATUS WANT_STATUS FILE GREP_ARGS...: STATUS is WANT_STATUS
# and FILE matches.
expect() {
	what=$1 st=$2 want=$3 file=$4
	shift 4
	if [ "$st" = "$want" ] && grep -q "$@" "$file"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $what (status $st, expected $want; output:)"
		sed 's/^/    /' "$file"
	fi
}
lines() { sed -n '$=' "$1"; }

# quiet.sh: a passing group prints one line, its summary.
printf 'detail 1\ndetail 2\nok: 3 passed\n' > "$TMP/out3"
V= sh tests/ci/quiet.sh "$TMP/log" grp cat "$TMP/out3" > "$TMP/o" 2>&1
expect "quiet: pass prints the summary" $? 0 "$TMP/o" -x "grp: ok: 3 passed"
expect "quiet: pass prints one line" "$(lines "$TMP/o")" 1 "$TMP/o" .
expect "quiet: the log keeps the details" 0 0 "$TMP/log/grp.log" -x "detail 2"
V= sh tests/ci/quiet.sh "$TMP/log" grp sh -c 'echo "hidden detail"; echo "grp: 2 passed"' > "$TMP/o" 2>&1
expect "quiet: a summary already named is not named twice" $? 0 "$TMP/o" -x "grp: 2 passed"
# ...a failing one prints everything and keeps the status.
V= sh tests/ci/quiet.sh "$TMP/log" grp sh -c 'echo "the assertion that failed" >&2; exit 3' > "$TMP/o" 2>&1
expect "quiet: failure keeps the exit status" $? 3 "$TMP/o" "the assertion that failed"
expect "quiet: failure is named" 0 0 "$TMP/o" "^grp: FAIL, exit status 3"
V=1 sh tests/ci/quiet.sh "$TMP/log" grp cat "$TMP/out3" > "$TMP/o" 2>&1
expect "quiet: V=1 prints everything" $? 0 "$TMP/o" -x "detail 1"

# unit.sh: cmocka-like programs, one passing and one failing.
printf '#!/bin/sh\necho "[ RUN      ] t1"\necho "[  PASSED  ] 2 test(s)."\n' > "$TMP/test_good"
printf '#!/bin/sh\necho "[ RUN      ] t2"\necho "[  FAILED  ] t2: x == 1"\nexit 1\n' > "$TMP/test_bad"
chmod +x "$TMP/test_good" "$TMP/test_bad"
V= sh tests/ci/unit.sh "$TMP/log" "$TMP/test_good" "$TMP/test_good" > "$TMP/o" 2>&1
expect "unit: passing programs print one line" $? 0 "$TMP/o" -x "unit: 2 programs, 4 tests passed"
expect "unit: no per-test line" "$(lines "$TMP/o")" 1 "$TMP/o" .
V= sh tests/ci/unit.sh "$TMP/log" "$TMP/test_good" "$TMP/test_bad" > "$TMP/o" 2>&1
expect "unit: a failing program fails" $? 1 "$TMP/o" -x "unit: FAIL: test_bad"
expect "unit: the failing program's output is shown" 0 0 "$TMP/o" "FAILED  \] t2: x == 1"
V=1 sh tests/ci/unit.sh "$TMP/log" "$TMP/test_bad" > "$TMP/o" 2>&1
expect "unit: V=1 still fails" $? 1 "$TMP/o" "FAILED  \] t2"

# check.sh with a stand-in make: suite "valgrind" fails, the others pass.
cat > "$TMP/make" << 'MK'
#!/bin/sh
for a in "$@"; do t=$a; done
echo "details of $t"
case $t in
check-valgrind) echo "FAIL: leak in test_x"; echo "valgrind: 9 passed, 1 failed"; exit 2 ;;
esac
echo "$t: all passed"
MK
chmod +x "$TMP/make"
V= sh tests/ci/check.sh "$TMP/make" "$TMP/log" test valgrind clang > "$TMP/o" 2>&1
expect "check: a failed suite fails make check" $? 1 "$TMP/o" "FAIL: leak in test_x"
expect "check: the last line is the verdict" 0 0 "$TMP/o" -x "make check: FAIL: valgrind"
expect "check: the verdict is last" "$(tail -n 1 "$TMP/o")" "make check: FAIL: valgrind" "$TMP/o" .
expect "check: suites after the failure still run" 0 0 "$TMP/o" "^clang  *PASS  check-clang: all passed"
V= sh tests/ci/check.sh "$TMP/make" "$TMP/log" test clang > "$TMP/o" 2>&1
expect "check: all pass" $? 0 "$TMP/o" -x "make check: PASS (2 suites)"
expect "check: one line per suite and the verdict" "$(lines "$TMP/o")" 3 "$TMP/o" "^test  *PASS  test: all passed"

echo "ci-selftest: $pass passed, $fail failed"
[ "$fail" = 0 ]
