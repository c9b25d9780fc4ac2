#!/bin/sh
# tests/mutation/run.sh: mutation testing of the flagship rule set
# (make mutation).   sh tests/mutation/run.sh BUILD [OPTIONS]
#
# Runs tests/mutation/mutate.py with BUILD/litrule: every mutant of
# rules/ must make `litrule verify` or `litrule test` fail.  OPTIONS go to
# the script (--list, --only ID,..., --self-test).  Exit 0 when every
# applicable mutant is killed, 1 when one survives, 2 when the harness
# cannot judge (a mutant's text not found, the rule set already failing).
BUILD=${1:-build}
[ $# -gt 0 ] && shift
cd "$(dirname "$0")/../.." || exit 2
exec python3 tests/mutation/mutate.py --litrule "$BUILD/litrule" --rules rules "$@"
