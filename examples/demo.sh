#!/bin/sh
# examples/demo.sh: the README's main job.  Checks the flagship rule set,
# runs the examples written in it, verifies it across rules (printing
# verify's summary line), compiles it to a C table, and evaluates the
# sample patients, printing each decision with its basis, then one line
# per decision.
set -eu
LITRULE=${1:-build/litrule}
cd "$(dirname "$0")/.."

# Bold headings on a terminal only, and not with NO_COLOR set: CI logs
# get plain text.
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
	step() { printf '\n\033[1m== %s\033[0m\n' "$1"; }
else
	step() { printf '\n== %s\n' "$1"; }
fi

step "1/6  litrule check rules/   (quotes, types, units, tables, schedules)"
"$LITRULE" check rules/
# What check found, counted from its JSON diagnostics (notes are nested
# in their message, so each count is of top-level messages).
diags=$("$LITRULE" check --diagnostics=json rules/ || true)
errors=$(printf '%s\n' "$diags" | grep -c '^    "severity": "error"' || true)
warnings=$(printf '%s\n' "$diags" | grep -c '^    "severity": "warning"' || true)
inputs=$("$LITRULE" inputs rules/ | tail -1)
echo "rules/: check found $errors error(s), $warnings warning(s); $inputs (litrule inputs rules/ lists them)"

step "2/6  litrule test rules/    (the worked examples written beside the rules)"
"$LITRULE" test rules/

step "3/6  litrule verify rules/  (across rules: month ends, sources, the interview's recommendations)"
# The summary line (counts per check) goes to standard error.
"$LITRULE" verify rules/ 2>&1

step "4/6  litrule build rules/ -o build/gen   (a static C table for the runtime)"
mkdir -p build/gen
"$LITRULE" build rules/ -o build/gen
ls -l build/gen

step "5/6  litrule eval           (sample patients in examples/patients/)"
# Each rule's citations are quoted the first time it fires; --full
# quotes them under every patient.
"$LITRULE" eval --rules rules/ --format text examples/patients/*.json

step "Decisions, one line each     (litrule eval --format summary)"
"$LITRULE" eval --rules rules/ --format summary examples/patients/*.json

step "6/6  litrule weave rules/ -o build/book   (the rule book as a web page, evidence beside each rule)"
"$LITRULE" weave rules/ -o build/book

cat <<'NOTE'
This rule set demonstrates the litrule toolchain. It is not validated for
clinical use until a guideline committee has reviewed it against the
primary sources.
NOTE

# Last, where the book is (make demo's last line).
echo
echo "The rule book: open file://$(pwd)/build/book/index.html in a browser"
echo "(one self-contained page; the quoted passages are in build/book/sources/)."
