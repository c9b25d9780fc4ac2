#!/bin/sh
# tests/ci/check.sh: make check's driver.
#
#   sh tests/ci/check.sh MAKE LOGDIR SUITE...
#
# Runs each suite (test, sanitize, valgrind, clang, browser: the make
# targets test, check-sanitize, check-valgrind, check-clang, browser) one
# after the other, every one even after a failure, each with its whole
# output in LOGDIR/check-SUITE.log.  A passing suite prints one line, its
# own last line (its summary) and how long it took; a failing suite's
# whole log is printed.  The output ends with one line per suite and a
# verdict, "make check: PASS (5 suites)" or "make check: FAIL: SUITE...",
# as the last line; the exit status is 1 when a suite failed.  V=1 in the
# environment shows every suite's output as it runs.

MAKE=$1
logdir=$2
shift 2
mkdir -p "$logdir" || exit 1
lines=""
failed=""
nl='
'
for suite in "$@"; do
	case $suite in
	test | browser) target=$suite ;;
	*) target=check-$suite ;;
	esac
	log=$logdir/check-$suite.log
	start=$(date +%s)
	if [ "${V:-}" = 1 ]; then
		# tee hides make's status: keep it in a file.
		{
			$MAKE --no-print-directory "$target"
			echo $? > "$log.status"
		} 2>&1 | tee "$log"
		status=$(cat "$log.status")
		rm -f "$log.status"
	else
		$MAKE --no-print-directory "$target" > "$log" 2>&1
		status=$?
	fi
	secs=$(($(date +%s) - start))
	last=$(sed -e '/^[[:space:]]*$/d' -e '/^make\(\[[0-9]*\]\)\{0,1\}: \*\*\*/d' "$log" | tail -n 1 | cut -c1-240)
	if [ "$status" = 0 ]; then
		line=$(printf '%-9s PASS  %s (%ss)' "$suite" "$last" "$secs")
	else
		[ "${V:-}" = 1 ] || cat "$log"
		failed="$failed $suite"
		line=$(printf '%-9s FAIL  exit status %s after %ss; log: %s' "$suite" "$status" "$secs" "$log")
	fi
	# Shown as each suite ends (CI shows progress); shown again together
	# at the end when failure output came in between.
	echo "$line"
	lines="$lines$line$nl"
done
if [ -n "$failed" ]; then
	echo
	printf '%s' "$lines"
	echo "make check: FAIL:$failed"
	exit 1
fi
echo "make check: PASS ($# suites)"
