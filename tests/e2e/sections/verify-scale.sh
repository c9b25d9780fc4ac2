# tests/e2e/sections/verify-scale.sh: verify on a source that 20,000 rules
# quote (sourced by tests/e2e/run.sh).  The stale-source analysis names
# every declaration that quotes a source; it used to build that list by
# appending one name at a time into the arena, copying the list once per
# quoter: about 3.4 GB for 20,000 quoters, 700 MB for the 10,000-rule
# benchmark.  Here the run must fit in 1 GB of address space (not under
# ASan, which reserves terabytes of shadow memory up front) and 60 s.
# Rules without a condition, no examples: what other analyses report on
# them (an uncovered rule is an error) does not matter, only that verify
# finishes and prints its summary with the stale-source count.
awk 'BEGIN {
	print "```rule"
	print "source G \"guideline\""
	for (i = 0; i < 20000; i++)
		printf "rule R%d \"rule %d\"\n  then monitor \"advice\"\n  cite G at \"%d\" quote \"recommendation\"\n", i, i, i
	print "```" }' > "$TMP/scale.md"
if grep -q __asan_init "$LITRULE"; then
	scale_limit=""
else
	scale_limit="ulimit -v 1000000;"
fi
run sh -c "$scale_limit exec timeout 60 \"\$0\" verify \"\$1\"" "$LITRULE" "$TMP/scale.md"
expect_true "scale: verify on 20,000 rules quoting one source finishes (status $status)" [ "$status" -le 1 ]
expect_grep err "^verify: check 0 errors, 0 warnings; .*stale-source 0 errors, 0 warnings" "scale: the summary line, stale-source analysed"
rm -f "$TMP/scale.md"
