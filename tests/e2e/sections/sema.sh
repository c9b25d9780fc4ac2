# tests/e2e/sections/sema.sh: long chains of lets (linear checking and
# lowering, no recursion per let) and the read sets that lowering
# memoises.  Sourced by tests/e2e/run.sh.  Time limits are generous on
# purpose: they catch exponential time or a hang, never a slow machine.

# sema_lets N ORDER: a rule file with N lets.  ORDER "double": let i reads
# let i-1 twice ((a + a) / 2 keeps the value); "reverse": let i reads let
# i+1, declared after it.  The rule R fires when the chain's value is known.
sema_lets() {
	awk -v n="$1" -v order="$2" 'BEGIN {
		print "```rule"
		print "source G \"g\""
		print "input x: number in mg, from 0 to 100 \"x\""
		if (order == "double") {
			print "let l0 in mg = x \"l0\""
			for (i = 1; i < n; i++)
				printf "let l%d in mg = (l%d + l%d) / 2 \"l%d\"\n", i, i - 1, i - 1, i
			top = n - 1
		} else {
			for (i = 0; i < n - 1; i++)
				printf "let l%d in mg = l%d + 0 mg \"l%d\"\n", i, i + 1, i
			printf "let l%d in mg = x \"last\"\n", n - 1
			top = 0
		}
		printf "rule R \"r\" when l%d >= 0 mg then recommend \"go\" cite G at \"1\" quote \"q\"\n", top
		print "example E \"e\" given x = 7 mg expect R"
		print "```"
	}'
}

# 10,000 lets each reading the previous one twice: check is linear, and
# so is build (it hung, 1.8x per let; the runtime has no fixed capacity
# of lets since issue 12: the scratch is sized by the rule set).
sema_lets 10000 double > "$TMP/double10k.md"
run timeout 30 "$LITRULE" check "$TMP/double10k.md"
expect_status 0 "10,000 doubling lets: check finishes and is clean"
run timeout 30 "$LITRULE" build "$TMP/double10k.md" -o "$TMP"
expect_status 0 "10,000 doubling lets: build finishes, and does not hang"
expect_true "10,000 doubling lets: the header states the scratch it needs" grep -q "_SCRATCH_BYTES [0-9]" "$TMP/double10k.h"

# 200 such lets fit the runtime: build, eval and test finish, with the
# input behind the whole chain in the trace's read set.
sema_lets 200 double > "$TMP/double200.md"
run timeout 30 "$LITRULE" build "$TMP/double200.md" -o "$TMP"
expect_status 0 "200 doubling lets: build finishes"
expect_true "200 doubling lets: build writes the C table" test -s "$TMP/double200.c"
printf '{"x": 7}\n' > "$TMP/double200.json"
run timeout 30 "$LITRULE" eval --rules "$TMP/double200.md" --format text "$TMP/double200.json"
expect_status 0 "200 doubling lets: eval finishes"
expect_grep out "\[R\] recommend: go" "200 doubling lets: R fires"
expect_grep out "read: x=7" "200 doubling lets: the chain's input is in the read set"
run timeout 30 "$LITRULE" test "$TMP/double200.md"
expect_status 0 "200 doubling lets: test finishes and passes"

# 30,000 lets, each declared before the one it reads: check overflowed the
# C stack (SIGSEGV); now it resolves them with its own work list.
sema_lets 30000 reverse > "$TMP/reverse30k.md"
run timeout 30 "$LITRULE" check "$TMP/reverse30k.md"
expect_status 0 "30,000 lets in reverse order: check passes, no crash"
# 256 (the runtime's limit) in reverse order build and evaluate: the
# runtime computes a let on first use, one C frame per let of the chain.
sema_lets 256 reverse > "$TMP/reverse256.md"
run timeout 30 "$LITRULE" eval --rules "$TMP/reverse256.md" --format text "$TMP/double200.json"
expect_status 0 "256 lets in reverse order: eval finishes"
expect_grep out "read: x=7" "256 lets in reverse order: R fires and reads x"

# A schedule counting doses through a let: the rule reads the input behind
# it (lowering looked the count up among inputs only).
cat > "$TMP/count_let.md" <<'RULES'
```rule
source G "g"
input start: date "start"
input last_dose: date "last dose"
input today: date "today"
input doses_given: number in doses, from 0 to 200 "doses given"
let given_so_far in doses = doses_given "doses given, as a let"
schedule S "s"
  drug 4 mg intravenous every 2 weeks for 3 doses then every 8 weeks
  anchored at start, last dose on last_dose, evaluated on today
  counting given_so_far
rule R "r" then dose per S "next dose" cite G at "1" quote "q"
```
RULES
printf '{"start": "2024-01-01", "last_dose": "2024-01-15", "today": "2024-01-20", "doses_given": 2}\n' > "$TMP/count_let.json"
run "$LITRULE" eval --rules "$TMP/count_let.md" --format text "$TMP/count_let.json"
expect_status 0 "schedule counting through a let: eval"
expect_grep out "read:.*doses_given=2" "schedule counting through a let: the count's input is read"

# sema_deep KIND N: a rule R whose condition nests KIND N levels deep, the
# most the parser (parentheses) or the tree's depth limit of 256 accepts;
# rule U reads every input.  The example expects both to fire.
sema_deep() {
	awk -v kind="$1" -v n="$2" 'BEGIN {
		print "```rule"
		print "source G \"g\""
		print "input x: number in mg, from 0 to 100 \"x\""
		print "input b: bool \"b\""
		print "input d: date \"d\""
		print "rule U \"u\" when x > 0 mg and b is known and d after 2000-01-01 then recommend \"u\" cite G at \"1\" quote \"q\""
		if (kind == "paren") { s = "b"; for (i = 0; i < n; i++) s = "(" s ")" }
		if (kind == "not") { s = "b"; for (i = 0; i < n; i++) s = "not " s }
		if (kind == "sum") { s = "x"; for (i = 0; i < n; i++) s = s " + x"; s = "(" s ") > 0 mg" }
		if (kind == "and") { s = "b"; for (i = 0; i < n; i++) s = s " and b" }
		if (kind == "neg") { s = "x"; for (i = 0; i < n; i++) s = "-(" s ")"; s = s " != 0 mg" }
		if (kind == "shift") { s = "d"; for (i = 0; i < n; i++) s = s " + 1 days"; s = s " after d" }
		if (kind == "if") { s = "1 mg"; for (i = 0; i < n; i++) s = "(if b then x else " s ")"; s = s " > 0 mg" }
		if (kind == "rsum") { s = "x"; for (i = 0; i < n; i++) s = "x + (" s ")"; s = "(" s ") > 0 mg" }
		print "rule R \"r\" when " s " then recommend \"go\" cite G at \"1\" quote \"q\""
		printf "example E \"e\" given x = 7 mg, b = %s, d = 2024-01-01\n", kind == "not" ? "false" : "true"
		print "  expect U"
		print "  expect R"
		print "```"
	}'
}

# The deepest input of each shape that is accepted goes through every
# pass (check, lowering, C generation, evaluation) without a crash; under
# make check-sanitize this runs with ASan's larger frames.
for shape in "paren 1988" "not 255" "sum 254" "and 255" "neg 254" "shift 254" "if 254"; do
	# shellcheck disable=SC2086 # two words on purpose
	set -- $shape
	sema_deep "$1" "$2" > "$TMP/deep_$1.md"
	run timeout 60 "$LITRULE" build "$TMP/deep_$1.md" -o "$TMP"
	expect_status 0 "deepest accepted '$1' ($2 levels): build"
	run timeout 60 "$LITRULE" test "$TMP/deep_$1.md"
	expect_status 0 "deepest accepted '$1' ($2 levels): test"
done
# One level more is refused with a diagnostic, not a crash.
for shape in "paren 1989" "not 256" "sum 255"; do
	# shellcheck disable=SC2086
	set -- $shape
	sema_deep "$1" "$2" > "$TMP/deep_$1.md"
	run timeout 60 "$LITRULE" check "$TMP/deep_$1.md"
	expect_status 1 "'$1' nested $2 levels: refused"
	expect_grep err "deep_$1.md:7:[0-9]*: error: .*nested" "'$1' nested $2 levels: the place is named"
done
# Right-nested sums of that depth need more evaluation slots than the
# runtime has: lowering says so.
sema_deep rsum 254 > "$TMP/deep_rsum.md"
run timeout 60 "$LITRULE" build "$TMP/deep_rsum.md" -o "$TMP"
expect_status 1 "right-nested sum 254 deep: build refuses"
expect_grep err "deep_rsum.md:7:17: error: this expression needs 255 evaluation slots" "right-nested sum: the slots are named"

# 256 lets in reverse order, each 250 levels deep with the next let at the
# bottom: every pass handles a let at a time.
awk 'BEGIN {
	print "```rule"
	print "source G \"g\""
	print "input x: number in mg, from 0 to 100 \"x\""
	for (i = 0; i < 255; i++) {
		s = "l" (i + 1)
		for (k = 0; k < 249; k++) s = s " + 0 mg"
		printf "let l%d in mg = %s \"l%d\"\n", i, s, i
	}
	print "let l255 in mg = x \"last\""
	print "rule R \"r\" when l0 >= 0 mg then recommend \"go\" cite G at \"1\" quote \"q\""
	print "example E \"e\" given x = 7 mg expect R"
	print "```"
}' > "$TMP/deeplets.md"
run timeout 60 "$LITRULE" build "$TMP/deeplets.md" -o "$TMP"
expect_status 0 "256 reversed lets, each 250 deep: build"
run timeout 60 "$LITRULE" test "$TMP/deeplets.md"
expect_status 0 "256 reversed lets, each 250 deep: test"

# ---- the decimal range, and the message that states it ----------------------
# The largest nine-decimal fixed-point number is 9,223,372,036.854775807;
# one unit beyond it is refused with the limit in the message.
for v in 9223372036.854775807 9223372036.854775808; do
	printf '```rule\nsource G "g"\ninput x: number in mg "x"\nrule R "r" when x > %s mg then recommend "go" cite G at "1" quote "q"\n```\n' "$v" > "$TMP/range-$v.md"
done
run "$LITRULE" check "$TMP/range-9223372036.854775807.md"
expect_status 0 "the largest decimal is accepted"
run "$LITRULE" check "$TMP/range-9223372036.854775808.md"
expect_status 1 "one unit beyond the largest decimal is refused"
expect_grep err "within +/-9,223,372,036.854775807" "the message states the real limit"
