# tests/e2e/sections/ident.sh: the rule set's identity and the build's
# output handling (sourced by tests/e2e/run.sh, from the repository root).
#
#   - the hash is a function of content alone: every spelling of the path,
#     another working directory and a copy elsewhere give the same hash, a
#     byte changed in a source text changes it, and the shell recipe in
#     docs/runtime.md, run verbatim, gives the same hash;
#   - the generated banner lists rule files and source texts;
#   - names come from the normalised path; bad names are refused or
#     sanitised with a note, never silently;
#   - build -o creates DIR; racing builds leave a matching .c/.h pair; a
#     killed build's temporaries are removed by the next build.

id_lr=$(cd "$(dirname "$LITRULE")" && pwd)/$(basename "$LITRULE")
id_root=$(pwd)
id_t=$TMP/ident
mkdir -p "$id_t"

# The "Hash:" of the header that `build ARGS -o DIR` writes ("" if none).
id_hash_of() {
	sed -n 's/^\*\* Hash: *\([0-9a-f]\{64\}\) .*/\1/p' "$1"/*.h 2>/dev/null | head -1
}

# ---- the flagship's hash, whatever the spelling --------------------------
run "$LITRULE" build rules/ -o "$id_t/h0"
expect_status 0 "ident: build rules/"
id_h0=$(id_hash_of "$id_t/h0")
expect_true "ident: the header carries a hash" test -n "$id_h0"
id_n=1
for id_p in rules ./rules/ rules// "$id_root/rules" rules/mm-bone-protection.md ./rules/../rules/./mm-bone-protection.md; do
	run "$LITRULE" build "$id_p" -o "$id_t/h$id_n"
	expect_status 0 "ident: build $id_p"
	expect_true "ident: hash of '$id_p' equals hash of 'rules/'" test "$(id_hash_of "$id_t/h$id_n")" = "$id_h0"
	id_n=$((id_n + 1))
done
run sh -c "cd tests && '$id_lr' build ../rules -o '$id_t/hcwd'"
expect_status 0 "ident: build from another directory"
expect_true "ident: hash from another directory is the same" test "$(id_hash_of "$id_t/hcwd")" = "$id_h0"
# eval reports the same hash.
run "$LITRULE" eval --rules ./rules// examples/patients/01-newly-diagnosed-denosumab.json
expect_grep out "\"hash\": \"$id_h0\"" "ident: eval JSON reports the same hash"

# A copy elsewhere hashes the same; one byte more in one source text does not.
cp -R rules "$id_t/copy"
run "$LITRULE" build "$id_t/copy" -o "$id_t/hcopy"
expect_true "ident: a copy elsewhere hashes the same" test "$(id_hash_of "$id_t/hcopy")" = "$id_h0"
printf ' ' >> "$id_t/copy/sources/cockcroft-gault-excerpt.txt"
run "$LITRULE" build "$id_t/copy" -o "$id_t/hmod"
expect_status 0 "ident: build of the changed copy"
id_hm=$(id_hash_of "$id_t/hmod")
expect_true "ident: a byte changed in a source text changes the hash" test -n "$id_hm" -a "$id_hm" != "$id_h0"

# The auditor's recipe, taken verbatim from docs/runtime.md.
sed -n '/^<!-- hash-recipe:/,/^```$/p' docs/runtime.md | sed '1,2d;$d' > "$id_t/recipe.sh"
expect_true "ident: the recipe is in docs/runtime.md" grep -q sha256sum "$id_t/recipe.sh"
id_hr=$(sh "$id_t/recipe.sh" | cut -d' ' -f1)
expect_true "ident: the documented recipe gives the flagship's hash ($id_hr)" test "$id_hr" = "$id_h0"

# The banner lists rule files and source texts, relative to the root.
expect_true "ident: banner lists the rule file" grep -q '^\*\*   mm-bone-protection\.md$' "$id_t/h0/mm_bone_protection.h"
expect_true "ident: banner lists a source text" \
	grep -q '^\*\*   sources/mm-bone-protection-interview\.zh\.txt$' "$id_t/h0/mm_bone_protection.h"
expect_true "ident: banner lists all 28 source texts" \
	test "$(grep -c '^\*\*   sources/' "$id_t/h0/mm_bone_protection.h")" = 28

# ---- names ------------------------------------------------------------------
# A tiny rule set without a ruleset declaration, named by its directory.
mkdir -p "$id_t/w/a/sources"
printf 'Source text. The value of m above sixty matters.\n' > "$id_t/w/a/sources/s.txt"
cat > "$id_t/w/a/r.md" <<'EOF_MD'
# A tiny rule set

```rule
source S "A source"
  publisher "Example" year 2024
  text "sources/s.txt"

input m: number in mg, from 0 to 1000 "m"

rule Big "big m"
  when m > 60
  then defer "m above 60"
  cite S at "1" quote "m above sixty"
```
EOF_MD
run sh -c "cd '$id_t/w' && '$id_lr' build a// -o D"
expect_status 0 "ident: build a// -o D"
expect_true "ident: a// is named 'a' (D/a.c)" test -f "$id_t/w/D/a.c" -a -f "$id_t/w/D/a.h"
expect_true "ident: ... with the symbol lr_ruleset_a" grep -q '^extern const lr_ruleset lr_ruleset_a;' "$id_t/w/D/a.h"
expect_true "ident: ... and no rules_ name" test ! -e "$id_t/w/D/rules_.c"
run sh -c "cd '$id_t/w/a' && '$id_lr' build . -o ../D2"
expect_true "ident: build . is named after the directory" test -f "$id_t/w/D2/a.c"
cp -R "$id_t/w/a" "$id_t/w/my-rules"
run sh -c "cd '$id_t/w' && '$id_lr' build my-rules/ -o D3"
expect_status 0 "ident: a name that is not a C identifier is sanitised"
expect_grep err "note: the name 'my-rules'.*named 'my_rules'" "ident: ... with a note saying so"
expect_true "ident: ... to my_rules" test -f "$id_t/w/D3/my_rules.c"
run "$LITRULE" build "$id_t/w/a" -o "$id_t/w/D4" --name=bad-name
expect_status 2 "ident: --name that is not a C identifier is refused"
expect_grep err "name must be a C identifier" "ident: ... saying why"
expect_true "ident: ... before writing anything" test ! -e "$id_t/w/D4"

# ---- output directory ----------------------------------------------------
run "$LITRULE" build "$id_t/w/a" -o "$id_t/w/new/deeper/dir"
expect_status 0 "ident: build -o a missing directory"
expect_true "ident: ... creates it with its parents" test -f "$id_t/w/new/deeper/dir/a.c" -a -f "$id_t/w/new/deeper/dir/a.h"
: > "$id_t/w/plainfile"
run "$LITRULE" build "$id_t/w/a" -o "$id_t/w/plainfile/sub"
expect_status 1 "ident: build -o under a plain file fails"
expect_grep err "cannot create the output directory '.*plainfile'" "ident: ... naming the path"

# Stale temporaries of a killed build go; other names' files stay.
mkdir -p "$id_t/w/S"
: > "$id_t/w/S/.a.c.tmpAbC123"
: > "$id_t/w/S/.a.h.tmpXyZ789"
: > "$id_t/w/S/.other.c.tmpAbC123"
run "$LITRULE" build "$id_t/w/a" -o "$id_t/w/S"
expect_status 0 "ident: build next to stale temporaries"
expect_true "ident: stale .a.c.tmp* removed" test ! -e "$id_t/w/S/.a.c.tmpAbC123"
expect_true "ident: stale .a.h.tmp* removed" test ! -e "$id_t/w/S/.a.h.tmpXyZ789"
expect_true "ident: another name's temporary kept" test -e "$id_t/w/S/.other.c.tmpAbC123"
expect_true "ident: no lock file left" test ! -e "$id_t/w/S/.a.lock"

# Two different rule sets with one --name racing into one directory: after
# every round the .c and .h come from the same build (same hash).  Without
# the lock about one round in ten mismatched here, so 40 rounds catch it.
cp -R "$id_t/w/a" "$id_t/w/b"
printf 'Another line.\n' >> "$id_t/w/b/sources/s.txt"
id_bad=0
id_i=0
while [ $id_i -lt 40 ]; do
	"$LITRULE" build "$id_t/w/a" -o "$id_t/w/R" --name=race 2>/dev/null &
	id_pa=$!
	"$LITRULE" build "$id_t/w/b" -o "$id_t/w/R" --name=race 2>/dev/null &
	id_pb=$!
	"$LITRULE" build "$id_t/w/a" -o "$id_t/w/R" --name=race 2>/dev/null
	wait $id_pa
	wait $id_pb
	id_hc=$(sed -n 's/^\*\* Hash: *\([0-9a-f]\{64\}\) .*/\1/p' "$id_t/w/R/race.c" 2>/dev/null)
	id_hh=$(sed -n 's/^\*\* Hash: *\([0-9a-f]\{64\}\) .*/\1/p' "$id_t/w/R/race.h" 2>/dev/null)
	if [ -z "$id_hc" ] || [ "$id_hc" != "$id_hh" ]; then
		id_bad=$((id_bad + 1))
	fi
	id_i=$((id_i + 1))
done
expect_true "ident: racing builds always leave a matching .c/.h pair ($id_bad mismatches in 40)" test $id_bad -eq 0
expect_true "ident: racing builds leave nothing else" test "$(ls -A "$id_t/w/R" | tr '\n' ' ')" = "race.c race.h "

# ---- file names that are not UTF-8 in JSON output ----------------------------
# jansson refuses such strings, and the member used to vanish; now each
# invalid byte is written \xHH (in JSON text: "\\xFF").
id_ff=$(printf '\377')
mkdir -p "$id_t/u/r$id_ff"
cp -R "$id_t/w/a/." "$id_t/u/r$id_ff/"
printf '{"m": 61}\n' > "$id_t/u/p$id_ff.json"
run "$LITRULE" eval --rules "$id_t/u/r$id_ff" "$id_t/u/p$id_ff.json"
expect_status 0 "ident: eval with non-UTF-8 file names"
expect_grep out '"patient": ".*/p\\\\xFF\.json"' "ident: eval JSON keeps a non-UTF-8 patient file name, escaped"
expect_grep out '"file": ".*/r\\\\xFF/r\.md"' "ident: eval JSON keeps a non-UTF-8 rule file name, escaped"
printf '{"m": 61}\n' | "$LITRULE" eval --rules "$id_t/u/r$id_ff" --jsonl > "$TMP/out" 2> "$TMP/err"
expect_grep out '"file":".*/r\\\\xFF/r\.md"' "ident: --jsonl JSON keeps a non-UTF-8 rule file name"
printf '{"m": "x"}\n' > "$id_t/u/q$id_ff.json"
run "$LITRULE" eval --rules "$id_t/u/r$id_ff" "$id_t/u/q$id_ff.json"
expect_grep out '"patient": ".*/q\\\\xFF\.json"' "ident: an unreadable patient keeps its non-UTF-8 name"
printf '```rule\ninput x: bool\n' > "$id_t/u/bad$id_ff.md"
run "$LITRULE" check --diagnostics=json "$id_t/u/bad$id_ff.md"
expect_grep out '"file": ".*/bad\\\\xFF\.md"' "ident: diagnostics JSON keeps a non-UTF-8 file name"
expect_true "ident: ... in every diagnostic" test "$(grep -c '"file": ".*bad\\\\xFF' "$TMP/out")" = 3
run "$LITRULE" check --diagnostics=json "$id_t/u/missing$id_ff.md"
expect_grep out "\"message\": \"cannot read '.*/missing\\\\\\\\xFF\\.md'" "ident: diagnostics JSON keeps a message naming a non-UTF-8 path"

# ---- the absolute-path check (make test runs it on the repository) ---------
# Built from parts so that this file does not trip the check itself.
id_g=$TMP/ident-abs
mkdir -p "$id_g/docs"
git init -q "$id_g"
printf 'see https://example.org/%s/page for details\n' home > "$id_g/url.txt"
printf 'clean text\n' > "$id_g/docs/clean.md"
(cd "$id_g" && git add url.txt docs/clean.md)
run sh tests/check_abs_paths.sh "$id_g"
expect_status 0 "ident: abs-path check passes a clean repository (a URL path is not flagged)"
printf 'copied from /%s/alice/notes.txt\n' home > "$id_g/docs/leak.md"
printf 'built in (/%s/shared/x)\n' work > "$id_g/leak2.txt"
printf 'untracked /%s/x\n' root > "$id_g/untracked.txt"
(cd "$id_g" && git add docs/leak.md leak2.txt)
run sh tests/check_abs_paths.sh "$id_g"
expect_status 1 "ident: abs-path check fails on a tracked absolute home path"
expect_grep out "docs/leak.md:1:" "ident: ... listing the first file and line"
expect_grep out "leak2.txt:1:" "ident: ... and every other file"
expect_true "ident: ... but not untracked files" sh -c "! grep -q untracked.txt '$TMP/out'"
expect_true "ident: ... nor the clean ones" sh -c "! grep -q 'clean.md\|url.txt' '$TMP/out'"
