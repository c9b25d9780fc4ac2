#!/bin/sh
# tests/ci/quiet.sh: runs one test group with its output kept in a log.
#
#   sh tests/ci/quiet.sh LOGDIR NAME CMD...
#
# Why: a passing group's details (hundreds of lines in make check) bury
# the verdict in CI logs.  The group's output goes to LOGDIR/NAME.log; when
# CMD succeeds only the log's last line is printed, as "NAME: LINE" (each
# group ends with its own summary line); when it fails the whole log is
# printed, then "NAME: FAIL (log: ...)", and the exit status is CMD's.
# V=1 in the environment (make V=1) prints everything as it runs.

logdir=$1
name=$2
shift 2
if [ "${V:-}" = 1 ]; then
	"$@"
	exit $?
fi
mkdir -p "$logdir" || exit 1
log=$logdir/$name.log
"$@" > "$log" 2>&1
status=$?
last=$(sed -e '/^[[:space:]]*$/d' "$log" | tail -n 1)
if [ "$status" = 0 ]; then
	case $last in
	"$name:"*) printf '%s\n' "$last" ;;
	*) printf '%s: %s\n' "$name" "${last:-passed}" ;;
	esac
else
	cat "$log"
	printf '%s: FAIL, exit status %s (log: %s)\n' "$name" "$status" "$log"
fi
exit "$status"
