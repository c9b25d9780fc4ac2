# tests/e2e/sections/caps.sh: no fixed capacities (issue 12, item 3).  A
# generated rule set past every old cap (256 inputs, 256 lets, 64 tables,
# 32 schedules) checks, builds, compiles and evaluates through its
# compiled table, three ways that must agree (tests/caps/caps_main.c), with
# a decision and a missing input past index 256 checked by hand.  Sourced
# by tests/e2e/run.sh.  Time limits are generous: they catch a hang.

cp_dir="$TMP/caps"
mkdir -p "$cp_dir"
"$CC" -std=c11 -O2 -o "$cp_dir/gen_rules" bench/gen_rules.c
"$cp_dir/gen_rules" 700 > "$cp_dir/r700.md"
run timeout 60 "$LITRULE" check "$cp_dir/r700.md"
expect_status 0 "caps: 700 generated rules (700 inputs, 280 lets, 70 tables, 70 schedules) check clean"
run timeout 60 "$LITRULE" build "$cp_dir/r700.md" -o "$cp_dir"
expect_status 0 "caps: 700 generated rules build (the runtime refused more than 256 inputs before)"
expect_true "caps: the table has 280 lets" grep -q 'lr_g_lets\[280\]' "$cp_dir/r700.c"
expect_true "caps: the table has 70 tables" grep -q 'lr_g_tables\[70\]' "$cp_dir/r700.c"
expect_true "caps: the table has 70 schedules" grep -q 'lr_g_schedules\[70\]' "$cp_dir/r700.c"
expect_true "caps: the header states the scratch the rule set needs" \
	grep -q '^#define LR_RULESET_R700_SCRATCH_BYTES [0-9]*u$' "$cp_dir/r700.h"
expect_true "caps: and the typed entry's" grep -q '^#define LR_RULESET_R700_EVAL_SCRATCH_BYTES [0-9]*u$' "$cp_dir/r700.h"
expect_true "caps: a rule set this large is data, not native code" grep -q '^/\* No native code' "$cp_dir/r700.c"

# A sanitizer build's libraries need the same -fsanitize flags to link.
cp_san=$(grep -o -- '-fsanitize=[^ ]*' "$BUILD/.cflags" 2>/dev/null | tr '\n' ' ')
run timeout 120 "$CC" -std=c11 -D_POSIX_C_SOURCE=200809L -O1 -Wall -Wextra -Werror -pedantic -Iruntime/include \
	-I"$cp_dir" -DRULESET=lr_ruleset_r700 -DTYPED=r700 -include "$cp_dir/r700.h" -o "$cp_dir/caps_main" \
	tests/caps/caps_main.c "$cp_dir/r700.c" "$BUILD/liblitrule.a" $cp_san
expect_status 0 "caps: the generated C compiles warning-free and links"

# Section 30's inputs are 300..309 (ten per section, in order).  crcl30 20
# mL/min is below lim30 (30): low30 holds, and with preg30 false and
# stage30 early, R305 fires its fixed dose, 6 mg oral.  age30 (input 301)
# is absent: R301 ("age30 between 18 and 61 or (if preg30 then k30 else
# cg30) >= 31 mL/min") is the first rule that needs it, and cg30 (the
# Cockcroft-Gault estimate) needs wt30 and scr30 too.  scr30 is missing,
# so R308 ("... or scr30 is missing ...") fires.
run timeout 60 "$cp_dir/caps_main" show crcl30=20 preg30=false stage30=early
expect_status 0 "caps: one patient, three evaluations agree"
expect_grep out "^inputs 700 scratch $(sed -n 's/^#define LR_RULESET_R700_SCRATCH_BYTES \([0-9]*\)u$/\1/p' "$cp_dir/r700.h") rc 0$" \
	"caps: lr_scratch_size is the header's constant, and the evaluation succeeds"
expect_grep out "^fire R305 dose 6 mg$" "caps: a decision past input 256 (R305: crcl30 below the limit)"
expect_grep out "^missing age30 301 R301$" "caps: a missing input past 256 (age30, input 301, first needed by R301)"
expect_grep out "^missing scr30 303 R301$" "caps: scr30 (303) too, through cg30"
expect_grep out "^fire R308 dose 9 mg$" "caps: R308 fires on scr30 is missing"
expect_grep out "^agree$" "caps: interpreter, lr_eval_scratch and the typed struct agree"
# lr_eval's stack buffer cannot hold this rule set's scratch: a clear
# code (after the missing list's own check), never a silent cut.
expect_grep out "^lr_eval -7$" "caps: lr_eval refuses a missing list shorter than the inputs (LR_EFULL)"
expect_grep out "^lr_eval with a long missing list -8$" "caps: lr_eval refuses a scratch too small (LR_ESCRATCH)"

run timeout 120 "$cp_dir/caps_main" bench 300
expect_status 0 "caps: 300 generated patients"
expect_grep out "disagree 0$" "caps: on 300 generated patients, the three evaluations agree"

# A rule set of 257 inputs reading the last one: the record, the missing
# list and the typed struct past 256 (lr_record_init refuses it: LR_EFULL).
awk 'BEGIN {
	print "```rule"
	print "source G \"g\""
	for (i = 0; i < 257; i++)
		printf "input x%d: number in mg, from 0 to 100 \"x%d\"\n", i, i
	print "rule R \"r\" when x256 > 50 mg then recommend \"high\" cite G at \"1\" quote \"q\""
	print "rule S \"s\" when x255 > 50 mg and x256 < 10 mg then recommend \"odd\" cite G at \"1\" quote \"q\""
	print "```"
}' > "$cp_dir/w257.md"
run timeout 60 "$LITRULE" build "$cp_dir/w257.md" -o "$cp_dir"
expect_status 0 "caps: 257 inputs build"
run timeout 120 "$CC" -std=c11 -D_POSIX_C_SOURCE=200809L -O1 -Wall -Wextra -Werror -pedantic -Iruntime/include \
	-I"$cp_dir" -DRULESET=lr_ruleset_w257 -DTYPED=w257 -include "$cp_dir/w257.h" -o "$cp_dir/w257_main" \
	tests/caps/caps_main.c "$cp_dir/w257.c" "$BUILD/liblitrule.a" $cp_san
expect_status 0 "caps: 257 inputs compile"
run "$cp_dir/w257_main" show x256=60
expect_grep out "^fire R recommend$" "caps: x256 (input 256) decides R"
# S is "x255 > 50 and x256 < 10": x256 60 makes it false whatever x255
# is, so the absent x255 is not reported (false and missing is false).
expect_true "caps: nothing reported missing when it did not matter" sh -c "! grep -q '^missing' '$TMP/out'"
run "$cp_dir/w257_main" show x255=60
expect_grep out "^missing x256 256 R$" "caps: input 256 reported missing, by R"
expect_grep out "^agree$" "caps: 257 inputs: three evaluations agree"

# The command line on rule sets past 256 inputs: `litrule eval` (one
# patient, heap scratch; and --jsonl, each worker's scratch) decides as
# the compiled table does above.
printf '{"crcl30": 20, "preg30": false, "stage30": "early"}\n' > "$cp_dir/p700.json"
run timeout 60 "$LITRULE" eval --rules "$cp_dir/r700.md" "$cp_dir/p700.json"
expect_status 0 "caps: litrule eval on 700 inputs"
expect_grep out '"rule": "R305", "title": "rule 305", "verb": "dose"' "caps: eval: R305 fires"
expect_grep out '{"input": "age30", "needed_by": "R301"}' "caps: eval: age30 missing, first needed by R301"
run timeout 60 "$LITRULE" eval --rules "$cp_dir/r700.md" --jsonl < "$cp_dir/p700.json"
expect_status 0 "caps: litrule eval --jsonl on 700 inputs"
expect_grep out '{"input":"age30","needed_by":"R301"}' "caps: eval --jsonl: the same missing input"
expect_true "caps: eval --jsonl: no error" sh -c "! grep -q 'scratch' '$TMP/err'"
printf '{"x256": 60}\n' > "$cp_dir/p257.json"
run timeout 60 "$LITRULE" eval --rules "$cp_dir/w257.md" "$cp_dir/p257.json"
expect_grep out '"rule": "R", "title": "r", "verb": "recommend", "text": "high"' "caps: eval: input 256 decides R"
