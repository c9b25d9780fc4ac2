#!/bin/sh
# tests/ci/unit.sh: runs the cmocka unit test programs (make unit).
#
#   sh tests/ci/unit.sh LOGDIR TEST...
#
# Each program's output goes to LOGDIR/unit/NAME.log; a program that
# fails has its whole output printed (cmocka names the failing test and
# the assertion).  Passing programs print nothing: cmocka's per-test lines
# (over a thousand in make check) stay in the logs.  Last line
# "unit: N programs, N tests passed", or "unit: FAIL: NAME..." with exit
# status 1.  V=1 in the environment prints every program's output.

logdir=$1/unit
shift
mkdir -p "$logdir" || exit 1
programs=0
tests=0
failed=""
for t in "$@"; do
	name=$(basename "$t")
	log=$logdir/$name.log
	case $t in /*) run=$t ;; *) run=./$t ;; esac
	programs=$((programs + 1))
	if [ "${V:-}" = 1 ]; then
		echo "== $t"
		# tee hides the program's status: keep it in a file.
		{
			"$run"
			echo $? > "$log.status"
		} 2>&1 | tee "$log"
		[ "$(cat "$log.status")" = 0 ] || failed="$failed $name"
		rm -f "$log.status"
	elif ! "$run" > "$log" 2>&1; then
		echo "== $t (failed; its full output:)"
		cat "$log"
		failed="$failed $name"
	fi
	n=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' "$log" | tail -n 1)
	tests=$((tests + ${n:-0}))
done
if [ -n "$failed" ]; then
	echo "unit: FAIL:$failed"
	exit 1
fi
echo "unit: $programs programs, $tests tests passed"
