#!/bin/sh
# examples/demo.sh: the README's main job.  Checks the flagship rule set,
# runs the examples written in it, verifies it across rules (printing
# verify's summary line), compiles it to a C table, and evaluates the
# sample patients, printing each decision with its basis.
set -eu
LITRULE=${1:-build/litrule}
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$1"; }

step "1/5  litrule check rules/   (quotes, types, units, tables, schedules)"
"$LITRULE" check rules/
echo "rules/: no errors, no warnings"

step "2/5  litrule test rules/    (the worked examples written beside the rules)"
"$LITRULE" test rules/

step "3/5  litrule verify rules/  (across rules: month ends, sources, the interview's recommendations)"
# The summary line (counts per check) goes to standard error.
"$LITRULE" verify rules/ 2>&1

step "4/5  litrule build rules/ -o build/gen   (a static C table for the runtime)"
mkdir -p build/gen
"$LITRULE" build rules/ -o build/gen
ls -l build/gen

step "5/5  litrule eval           (sample patients in examples/patients/)"
"$LITRULE" eval --rules rules/ --format text examples/patients/*.json

cat <<'NOTE'
This rule set demonstrates the litrule toolchain. It is not validated for
clinical use until a guideline committee has reviewed it against the
primary sources.
NOTE
