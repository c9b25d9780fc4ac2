#!/bin/sh
# tests/browser/run.sh: the browser test of the woven rule book (make browser).
#
#   sh tests/browser/run.sh BUILD
#
# Weaves rules/ into BUILD/book with `litrule weave`, then loads it in
# headless chromium and checks the rendered page (tests/browser/check_book.py:
# every rule's anchor and summary row, every name link, every citation's
# highlighted passage on its source page, no console error, no network)
# and writes full-page screenshots BUILD/book-phone.png (390 px wide) and
# BUILD/book-desktop.png (1280 px).  The rule list the page is checked
# against comes from the compiler (`litrule test --format json --coverage`).
#
#   BOOK=DIR   check an existing book instead of weaving one; with
#              BOOK=tests/browser/fixture (the hand-written book that follows
#              the weave contract) RULES defaults to its rule set
#   RULES=PATH the rule files the book was woven from (default rules/)
#
# Prints the checker's findings and one last line "browser: ..."; exit
# status 1 on any failure (including chromium missing or not answering).

BUILD=${1:-build}
cd "$(dirname "$0")/../.." || exit 1
LITRULE=$BUILD/litrule
TMP=$(mktemp -d "${TMPDIR:-/tmp}/litrule-browser.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM

if ! command -v "${CHROMIUM:-chromium}" > /dev/null 2>&1; then
	echo "browser: FAIL: chromium is not installed (.ci/setup installs it)"
	exit 1
fi
case ${BOOK:-} in
tests/browser/fixture | tests/browser/fixture/ | ./tests/browser/fixture) RULES=${RULES:-tests/browser/fixture-rules} ;;
esac
RULES=${RULES:-rules}

if [ -z "${BOOK:-}" ]; then
	BOOK=$BUILD/book
	if ! timeout 300 "$LITRULE" weave "$RULES" -o "$BOOK" > "$TMP/weave.log" 2>&1; then
		cat "$TMP/weave.log"
		echo "browser: FAIL: litrule weave $RULES -o $BOOK failed"
		exit 1
	fi
fi

# The rule ids, from the compiler.  `test` exits 1 when an example fails;
# the JSON is complete either way, and the page must then show the failure.
timeout 300 "$LITRULE" test --format json --coverage "$RULES" > "$TMP/rules.json" 2> "$TMP/test.log"
if ! python3 -c 'import json, sys; json.load(open(sys.argv[1]))["coverage"]["detail"]["rules"]["items"]' \
	"$TMP/rules.json" 2> /dev/null; then
	cat "$TMP/test.log"
	echo "browser: FAIL: litrule test --format json --coverage $RULES gave no rule list"
	exit 1
fi

TMPDIR=$TMP python3 tests/browser/check_book.py --book "$BOOK" --rules "$TMP/rules.json" --shots "$BUILD"
