# tests/e2e/sections/subjects.sh: what an action acts on, overrides and
# may-coexist notes (issue 9, item 1), through the command line: eval's
# text, JSON and JSONL show subjects and list overridden actions apart;
# a chain of overrides where every rule fires; `test` with `expect RULE
# overridden`; LR_EFULL with overrides in a generated table; and the
# generated table (native code) against `litrule eval` on the same
# patients.  Sourced by tests/e2e/run.sh (helpers and variables there).

# ---- section: subjects and overrides ----------------------------------------
mkdir -p "$TMP/subj"
# Rule order: C, A, B, Z, K.  A overrides B (declared after A), B overrides
# C (declared before B), Z overrides C too.  Expected layouts worked out by
# hand from docs/runtime.md.
cat > "$TMP/subj/ov.md" <<'EOF'
# Overrides

```rule
source G "Guideline"
input a: bool "a"
input b: bool "b"
input c: bool "c"
input z: bool "z"
subject care "bone-protective care"
subject drugx "drug x"

rule C "c"
  when c
  then hold drugx "hold drug x"
  then alert "c alert"
  cite G at "1" quote "q"

rule A "a"
  when a
  then recommend care "start care today"
  overrides B
  cite G at "2" quote "q"

rule B "b"
  when b
  then defer drugx "defer drug x"
  overrides C
  may coexist with K "k is routine"
  cite G at "3" quote "q"

rule Z "z"
  when z
  then monitor "watch z"
  overrides C
  cite G at "4" quote "q"

rule K "k"
  then order "routine test"
  cite G at "5" quote "q"

example AllFire "every rule fires"
  given a = true, b = true, c = true, z = true
  expect A
  expect B fires
  expect B overridden
  expect C overridden
  expect Z
  expect K
  expect not A overridden_typo_free
```
EOF
# The last expectation above is deliberately broken; a clean copy follows.
run "$LITRULE" check "$TMP/subj/ov.md"
expect_status 1 "subjects: expect with an unknown word is an error"
expect_grep err "ov.md:49:16: error: unexpected name 'overridden_typo_free'" "subjects: the bad expectation word is located"
sed '/overridden_typo_free/d' "$TMP/subj/ov.md" > "$TMP/subj/ov2.md"
mv "$TMP/subj/ov2.md" "$TMP/subj/ov.md"
run "$LITRULE" test "$TMP/subj/ov.md"
expect_status 0 "subjects: test passes with expect RULE overridden"
expect_grep out "^1 passed, 0 failed" "subjects: the example passes"

# A wrong expectation fails, with both parts of the decision named.
sed 's/^  expect Z$/  expect Z overridden/' "$TMP/subj/ov.md" > "$TMP/subj/ovbad.md"
run "$LITRULE" test "$TMP/subj/ovbad.md"
expect_status 1 "subjects: expect Z overridden fails when Z is live"
expect_grep out "expected Z to fire and be overridden, got A, Z, K, C (overridden by B), B (overridden by A)" \
	"subjects: the failure lists live and overridden rules"
sed 's/^  expect B fires$/  expect not B/' "$TMP/subj/ov.md" > "$TMP/subj/ovbad2.md"
run "$LITRULE" test "$TMP/subj/ovbad2.md"
expect_status 1 "subjects: expect not B fails: an overridden rule fired"

printf '{"a": true, "b": true, "c": true, "z": true}\n' > "$TMP/subj/all.json"
printf '{"a": false, "b": true, "c": true, "z": false}\n' > "$TMP/subj/bc.json"
printf '{"a": true, "b": false, "c": true, "z": false}\n' > "$TMP/subj/ac.json"

# Text: subjects after the verb; overridden actions apart, with their overrider.
run "$LITRULE" eval --rules "$TMP/subj/ov.md" --format text "$TMP/subj/all.json"
expect_status 0 "subjects: eval text"
expect_grep out '^   \[A\] recommend care: start care today$' "subjects: text shows the subject"
expect_grep out '^   \[Z\] monitor: watch z$' "subjects: text without a subject"
expect_grep out '^   overridden: B by A: defer drugx: defer drug x$' "subjects: B overridden by A (text)"
expect_grep out '^   overridden: C by B: hold drugx: hold drug x$' "subjects: C overridden by B, the first overrider (text)"
expect_grep out '^   overridden: C by B: alert: c alert$' "subjects: every action of C is overridden (text)"
expect_true "subjects: B and C are not in the decision (text)" \
	sh -c "! grep -q '^   \[[BC]\]' '$TMP/out'"

# JSON (pretty) and JSONL (compact): the same content.
run "$LITRULE" eval --rules "$TMP/subj/ov.md" --format json "$TMP/subj/all.json"
expect_status 0 "subjects: eval json"
expect_grep out '"subject": "care"' "subjects: json action subject"
expect_grep out '"overridden": \[' "subjects: json overridden array"
expect_true "subjects: json is valid and the parts are right" python3 -c "
import json,sys
d=json.load(open('$TMP/out'))
live=[a['rule'] for a in d['actions']]
ov=[(o['rule'],o['by'],o['verb'],o.get('subject'),o['text']) for o in d['overridden']]
assert live==['A','Z','K'], live
assert ov==[('C','B','hold','drugx','hold drug x'),('C','B','alert',None,'c alert'),('B','A','defer','drugx','defer drug x')], ov
assert d['actions'][0]['subject']=='care' and 'subject' not in d['actions'][1]
"
printf '{"a": true, "b": true, "c": true, "z": true}\n{"a": false, "b": true, "c": true, "z": false}\n{"a": true, "b": false, "c": true, "z": false}\n' \
	> "$TMP/subj/p.jsonl"
run sh -c "'$LITRULE' eval --rules '$TMP/subj/ov.md' --jsonl --no-record-inputs < '$TMP/subj/p.jsonl'"
expect_status 0 "subjects: eval jsonl"
expect_grep out '"overridden":\[{"rule":"C","by":"B","verb":"hold","subject":"drugx","text":"hold drug x"},{"rule":"C","by":"B","verb":"alert","text":"c alert"},{"rule":"B","by":"A","verb":"defer","subject":"drugx","text":"defer drug x"}\]' \
	"subjects: jsonl overridden array, all fire"
expect_grep out '"overridden":\[{"rule":"C","by":"B","verb":"hold","subject":"drugx","text":"hold drug x"},{"rule":"C","by":"B","verb":"alert","text":"c alert"}\],"missing"' \
	"subjects: jsonl, B and C fire: C overridden by B"
expect_grep out '"overridden":\[\],"missing"' "subjects: jsonl, A and C: nothing overridden (B did not fire)"
expect_true "subjects: jsonl, A and C: C stays live" sh -c "sed -n 3p '$TMP/out' | grep -q '\"rule\":\"C\",\"title\"'"

# ---- generated table: LR_EFULL with overrides, and native = interpreted ------
run "$LITRULE" build "$TMP/subj/ov.md" -o "$TMP/subj"
expect_status 0 "subjects: build a table with overrides"
expect_true "subjects: the table lists the overrides" grep -q 'lr_g_overrides\[3\]' "$TMP/subj/ov.c"
expect_true "subjects: the table carries the subjects" grep -q '\.subject = "drugx"' "$TMP/subj/ov.c"
# A sanitizer build's libraries need the same -fsanitize flags to link.
SANL_SUBJ=$(grep -o -- '-fsanitize=[^ ]*' "$BUILD/.cflags" 2>/dev/null | tr '\n' ' ')
cat > "$TMP/subj/efull.c" <<'EOF'
/* LR_EFULL with overrides: every rule fires, the buffer holds 3 of 6. */
#include <stdio.h>
#include <string.h>
#include "litrule.h"
int main(void)
{
	lr_record rec;
	lr_result res;
	lr_action buf[3];
	const char *in[] = {"a", "b", "c", "z"};
	uint32_t i, k;
	int rc;
	lr_record_init(&rec, &lr_ruleset_ov);
	for (k = 0; k < 4; k++) {
		lr_record_find(&i, &lr_ruleset_ov, in[k], 1);
		lr_record_set_text(&rec, i, "true", 4);
	}
	lr_result_init(&res, buf, 3);
	rc = lr_eval(&res, &lr_ruleset_ov, &rec);
	printf("rc=%d live=%u overridden=%u dropped=%u max=%u\n", rc, (unsigned)res.nactions,
	       (unsigned)res.noverridden, (unsigned)res.actions_dropped, (unsigned)lr_ruleset_max_actions(&lr_ruleset_ov));
	for (k = 0; k < res.nactions + res.noverridden; k++)
		printf("%s %s by %s\n", buf[k].rule_id, buf[k].text, buf[k].overridden_by_id ? buf[k].overridden_by_id : "-");
	return 0;
}
EOF
run "$CC" -std=c11 -Wall -Wextra -Werror -pedantic -Iruntime/include -I"$TMP/subj" -include "$TMP/subj/ov.h" \
	-o "$TMP/subj/efull" "$TMP/subj/efull.c" "$TMP/subj/ov.c" "$BUILD/liblitrule.a" $SANL_SUBJ
expect_status 0 "subjects: the LR_EFULL program builds"
run "$TMP/subj/efull"
expect_grep out "^rc=-7 live=1 overridden=2 dropped=3 max=6$" "subjects: LR_EFULL counts what did not fit"
expect_grep out "^A start care today by -$" "subjects: LR_EFULL: A live"
expect_grep out "^C hold drug x by B$" "subjects: LR_EFULL: B fired beyond the buffer and still overrides C"

PKGLIBS_SUBJ=$(pkg-config --libs jansson libcmark-gfm libutf8proc libgit2 libcrypto 2>/dev/null)
run "$CC" -std=c11 -D_POSIX_C_SOURCE=200809L -Iruntime/include -Icompiler -Icli -I"$TMP/subj" -DRULESET=lr_ruleset_ov \
	-include "$TMP/subj/ov.h" -o "$TMP/subj/equiv" tests/codegen/equiv_main.c "$TMP/subj/ov.c" \
	"$BUILD/libcli.a" "$BUILD/libcompiler.a" "$BUILD/liblitrule.a" $PKGLIBS_SUBJ $SANL_SUBJ
expect_status 0 "subjects: equiv_main builds against the table"
# Every combination of the four inputs (true, false, absent): 81 patients.
: > "$TMP/subj/combos.jsonl"
for va in true false null; do for vb in true false null; do for vc in true false null; do for vz in true false null; do
	printf '{"a": %s, "b": %s, "c": %s, "z": %s}\n' $va $vb $vc $vz >> "$TMP/subj/combos.jsonl"
done; done; done; done
"$LITRULE" eval --rules "$TMP/subj/ov.md" --jsonl --no-record-inputs < "$TMP/subj/combos.jsonl" > "$TMP/subj/mem.jsonl" 2>/dev/null
"$TMP/subj/equiv" < "$TMP/subj/combos.jsonl" > "$TMP/subj/gen.jsonl" 2>/dev/null
expect_true "subjects: 81 decisions" test "$(wc -l < "$TMP/subj/mem.jsonl")" -eq 81
expect_true "subjects: some decisions have overridden actions" grep -q '"overridden":\[{' "$TMP/subj/mem.jsonl"
expect_true "subjects: generated table (native code) = litrule eval on every combination" \
	cmp -s "$TMP/subj/mem.jsonl" "$TMP/subj/gen.jsonl"

# ---- the flagship: R16a overrides R01a (the issue's example) ------------------
printf '{"today": "2025-03-03", "newly_diagnosed": true, "anti_mm_start": "2025-03-03", "agent": "denosumab", "calcium_mg_dl": "8.0", "albumin_g_dl": "4.0", "vitamin_d_ng_ml": "32"}\n' \
	> "$TMP/subj/lowca.json"
run "$LITRULE" eval --rules rules/ --format text "$TMP/subj/lowca.json"
expect_grep out '^   \[R16a\] hold denosumab_schedule: Do not start denosumab yet' "subjects: flagship R16a holds denosumab"
expect_grep out '^   overridden: R01a by R16a: recommend bone_protection: Start bone-protective therapy' \
	"subjects: flagship R01a overridden by R16a"
expect_true "subjects: flagship R01a not in the decision" sh -c "! grep -q '^   \[R01a\]' '$TMP/out'"
