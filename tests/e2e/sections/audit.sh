# tests/e2e/sections/audit.sh: `litrule audit` and `litrule audit verify`
# on temporary repositories built here (sourced by tests/e2e/run.sh).
# Three authors change different rules, some commits carry Reviewed-by
# trailers; the reports must name the right people per rule, a second
# audit must list exactly the changed rules, the chain must verify, and
# every kind of tampering (rewrite, delete, reorder, insert, truncate,
# rebuild) must make verify fail naming the report.  Every command must
# leave the user's status, branches and index untouched.

AU=$TMP/audit
mkdir -p "$AU/home" "$AU/repo/rules"
# A private HOME: neither git nor libgit2 reads the user's configuration.
au_env() { env HOME="$AU/home" GIT_CONFIG_NOSYSTEM=1 SOURCE_DATE_EPOCH=1700000000 "$@"; }
au_git() { au_env git -C "$AU/repo" "$@"; }
# au_commit NAME DATE MESSAGE [TRAILER]: commit everything as NAME.
au_commit() {
	au_git add -A
	if [ -n "$4" ]; then
		GIT_AUTHOR_DATE="$2" GIT_COMMITTER_DATE="$2" au_git -c user.name="$1" \
			-c user.email="$(echo "$1" | tr 'A-Z' 'a-z')@example.org" commit -q -m "$3" -m "$4"
	else
		GIT_AUTHOR_DATE="$2" GIT_COMMITTER_DATE="$2" au_git -c user.name="$1" \
			-c user.email="$(echo "$1" | tr 'A-Z' 'a-z')@example.org" commit -q -m "$3"
	fi
}
# What no command may change: status, branches and HEAD, the index bytes.
au_snapshot() {
	(cd "$1" && au_env git status --porcelain && au_env git show-ref --heads --tags && cat .git/HEAD &&
		cksum < .git/index) > "$2" 2>&1
}
# au_rule_block FILE ID: the Markdown block of rule ID in a report.md.
au_rule_block() { awk -v id="### $2:" 'index($0, id) == 1 {p = 1; next} /^### |^---/ {p = 0} p' "$1"; }

cat > "$AU/repo/rules/a.md" <<'EOF'
# Kidney rules

```rule
source G "Guideline"
input crcl: number in mL/min, from 0 to 250 "creatinine clearance"
```

## Dosing

```rule
rule Low "low clearance"
  when crcl < 30
  then refer "see nephrology"
  cite G at "2.1" quote "below 30"

rule High "high clearance"
  when crcl > 200
  then alert "check the value"
  cite G at "2.2" quote "implausible"

rule Mid "middle"
  when crcl between 60 and 90
  then monitor "kidney function yearly"
  cite G at "2.3" quote "yearly"

example LowEx "low"
  given crcl = 20
  expect Low
```
EOF
echo "readme" > "$AU/repo/README.md"
au_git init -q -b main .
au_commit Alice "2024-01-10T09:00:00+01:00" "Add the kidney rules"
sed 's/crcl < 30/crcl < 35/' "$AU/repo/rules/a.md" > "$AU/a" && mv "$AU/a" "$AU/repo/rules/a.md"
au_commit Bob "2024-02-01T10:00:00+00:00" "Low: raise the threshold" "Reviewed-by: Carol <carol@example.org>"
sed 's/crcl > 200/crcl > 210/' "$AU/repo/rules/a.md" > "$AU/a" && mv "$AU/a" "$AU/repo/rules/a.md"
au_commit Carol "2024-02-05T10:00:00-05:00" "High: 210" "Reviewed-by: Carol <carol@example.org>"
AU_C3=$(au_git rev-parse HEAD)
au_snapshot "$AU/repo" "$AU/snapb"

# ---- first audit ----
run au_env "$LITRULE" audit --repo "$AU/repo"
expect_status 0 "audit: first report"
expect_grep out "^audited $AU_C3 (rules): report [0-9a-f]\{40\} on refs/litrule/audit" "audit: says what it wrote"
expect_grep err "warning: rule High (rules/a.md:16) is unreviewed: its last change [0-9a-f]* by Carol" \
	"audit: self-review counts as unreviewed"
au_git show refs/litrule/audit:report.md > "$AU/r1.md"
au_git show refs/litrule/audit:report.json > "$AU/r1.json"
AU_R1=$(au_git rev-parse refs/litrule/audit)
au_rule_block "$AU/r1.md" Low > "$AU/low"
au_rule_block "$AU/r1.md" High > "$AU/high"
au_rule_block "$AU/r1.md" Mid > "$AU/mid"
expect_true "audit: Low's last change is Bob's" grep -q "^- Last change: \`[0-9a-f]*\` by Bob <bob@example.org> on 2024-02-01T10:00:00+00:00: Low: raise the threshold" "$AU/low"
expect_true "audit: Low was touched by Bob and Alice" sh -c "grep -c '^  - .* by Alice\|^  - .* by Bob' '$AU/low' | grep -qx 2"
expect_true "audit: Low reviewed by Carol" grep -qx -- "- Reviewed by: Carol <carol@example.org>" "$AU/low"
expect_true "audit: Low is not unreviewed" sh -c "! grep -q Unreviewed '$AU/low'"
expect_true "audit: High's last change is Carol's, date in her zone" grep -q "by Carol <carol@example.org> on 2024-02-05T10:00:00-05:00: High: 210" "$AU/high"
expect_true "audit: High is unreviewed" grep -q "^- \*\*Unreviewed\*\*" "$AU/high"
expect_true "audit: Mid is Alice's alone" sh -c "grep -q 'Last change: .* by Alice' '$AU/mid' && ! grep -q 'by Bob\|by Carol' '$AU/mid'"
expect_true "audit: Mid's span" grep -q "^- Where: \`rules/a.md\`, lines 21 to 24, under Kidney rules > Dosing" "$AU/mid"
expect_true "audit: report.json is an in-toto statement" sh -c "grep -q '\"_type\": \"https://in-toto.io/Statement/v1\"' '$AU/r1.json' && grep -q '\"predicateType\": \"urn:litrule:audit-report:v1\"' '$AU/r1.json'"
expect_true "audit: two unreviewed rules in report.json" sh -c "grep -c '\"unreviewed\": true' '$AU/r1.json' | grep -qx 2"
expect_true "audit: first report has no previous" grep -q '"report_sha256": null' "$AU/r1.json"
expect_true "audit: report commit message" test "$(au_git log -1 --format=%s refs/litrule/audit)" = "litrule audit $AU_C3"
expect_true "audit: the report commit's time is SOURCE_DATE_EPOCH" test "$(au_git log -1 --format=%ct refs/litrule/audit)" = 1700000000
# The C digest is that of what `litrule build` writes from the checkout.
(cd "$AU/repo" && au_env "$OLDPWD/$LITRULE" build rules -o "$AU/c" > /dev/null 2>&1)
AU_CSHA=$(sha256sum "$AU/c/rules.c" | cut -c1-64)
expect_true "audit: c_sha256 is the digest of litrule build's C" grep -q "\"c_sha256\": \"$AU_CSHA\"" "$AU/r1.json"
AU_RSHA=$(sed -n 's/.*"ruleset_hash": "\([0-9a-f]*\)".*/\1/p' "$AU/r1.json")
echo "{}" > "$AU/p.json"
run au_env "$LITRULE" eval --rules "$AU/repo/rules" "$AU/p.json"
expect_true "audit: ruleset_hash is the hash eval records" grep -q "$AU_RSHA" "$TMP/out"

# ---- the same revision again: nothing written ----
run au_env "$LITRULE" audit --repo "$AU/repo"
expect_status 0 "audit: same revision again"
expect_grep out "already.*nothing written" "audit: same revision says so"
au_snapshot "$AU/repo" "$AU/snapa"
expect_true "audit: first audits leave status, branches, HEAD and index" cmp -s "$AU/snapa" "$AU/snapb"
expect_true "audit: same revision leaves the ref" test "$(au_git rev-parse refs/litrule/audit)" = "$AU_R1"

# ---- a dirty working tree: read committed objects, say so ----
echo "dirty" >> "$AU/repo/rules/a.md"
run au_env "$LITRULE" audit --repo "$AU/repo"
expect_status 0 "audit: dirty tree is not an error"
expect_grep err "uncommitted changes under 'rules'" "audit: dirty tree is said"
au_git checkout -q rules/a.md

# ---- a change to one rule: the next report lists exactly it ----
sed 's/kidney function yearly/kidney function twice a year/' "$AU/repo/rules/a.md" > "$AU/a" && mv "$AU/a" "$AU/repo/rules/a.md"
au_commit Dave "2024-03-01T12:00:00+00:00" "Mid: twice a year" "Reviewed-by: Bob <bob@example.org>"
run au_env "$LITRULE" audit --repo "$AU/repo"
expect_status 0 "audit: second report"
au_git show refs/litrule/audit:report.md > "$AU/r2.md"
au_git show refs/litrule/audit:report.json > "$AU/r2.json"
expect_true "audit: second report lists Mid as changed, alone" grep -qx -- "- Rules changed: \`Mid\`" "$AU/r2.md"
expect_true "audit: no rule added or removed" sh -c "grep -qx -- '- Rules added: none' '$AU/r2.md' && grep -qx -- '- Rules removed: none' '$AU/r2.md'"
expect_true "audit: second report links to the first" grep -q "\"commit\": \"$AU_R1\"" "$AU/r2.json"
expect_true "audit: link digest is the first report's sha256" grep -q "\"report_sha256\": \"$(sha256sum "$AU/r1.json" | cut -c1-64)\"" "$AU/r2.json"
# Outcomes come from the semantic diff against the previous report: only
# Mid's action text changed, so every differing patient is in the one
# group "Mid" (crcl from 60 to 90); the first report has none to show.
expect_true "audit: outcome changes grouped under Mid alone" sh -c "grep -q '^- [1-9][0-9]* patients: changed \`Mid\`\$' '$AU/r2.md' && test \$(grep -c 'patients: changed' '$AU/r2.md') = 1"
expect_true "audit: outcome summary in report.md" grep -q '^Outcome changes: [1-9][0-9]* of the patients evaluated decide differently' "$AU/r2.md"
expect_true "audit: boundary crcl = 60 decides differently" grep -q '"label": "boundary: crcl = 60"' "$AU/r2.json"
expect_true "audit: boundary crcl = 59.999999999 does not" sh -c "! grep -q '\"label\": \"boundary: crcl = 59.999999999\"' '$AU/r2.json'"
expect_true "audit: the first report has no outcomes" grep -q '"outcomes": null' "$AU/r1.json"
au_rule_block "$AU/r2.md" Mid > "$AU/mid2"
expect_true "audit: Mid now Dave's, reviewed by Bob" sh -c "grep -q 'Last change: .* by Dave' '$AU/mid2' && grep -qx -- '- Reviewed by: Bob <bob@example.org>' '$AU/mid2'"

# ---- rule removed and added ----
sed 's/^rule High "high clearance"/rule VeryHigh "high clearance"/' "$AU/repo/rules/a.md" > "$AU/a" && mv "$AU/a" "$AU/repo/rules/a.md"
au_commit Alice "2024-03-05T12:00:00+00:00" "Rename High"
au_snapshot "$AU/repo" "$AU/snap0"
run au_env "$LITRULE" audit --repo "$AU/repo"
au_git show refs/litrule/audit:report.md > "$AU/r3.md"
expect_true "audit: rename = one added, one removed" sh -c "grep -qx -- '- Rules added: \`VeryHigh\`' '$AU/r3.md' && grep -qx -- '- Rules removed: \`High\`' '$AU/r3.md' && grep -qx -- '- Rules changed: none' '$AU/r3.md'"
AU_TIP=$(au_git rev-parse refs/litrule/audit)

# ---- verify ----
run au_env "$LITRULE" audit verify --repo "$AU/repo"
expect_status 0 "verify: an honest chain"
expect_grep out "^audit verify: 3 reports verified" "verify: counts the reports"
run au_env "$LITRULE" audit verify --repo "$AU/repo" --expect-tip "$AU_R1"
expect_status 0 "verify: descends from an older expected tip"
au_snapshot "$AU/repo" "$AU/snap1"
expect_true "audit: status, branches, HEAD and index unchanged" cmp -s "$AU/snap0" "$AU/snap1"
expect_true "audit: the ref has a reflog" test -s "$AU/repo/.git/logs/refs/litrule/audit"

# au_tamper NAME: a copy of the repository to break.
au_tamper() { rm -rf "$AU/$1" && cp -a "$AU/repo" "$AU/$1"; }
au_tg() { d=$1; shift; au_env git -C "$AU/$d" "$@"; }
# au_recommit DIR TREE MSG_FROM [PARENT]: a report commit with that tree.
au_recommit() {
	if [ -n "$4" ]; then
		au_tg "$1" log -1 --format=%B "$3" | au_tg "$1" -c user.name=M -c user.email=m@x commit-tree "$2" -p "$4"
	else
		au_tg "$1" log -1 --format=%B "$3" | au_tg "$1" -c user.name=M -c user.email=m@x commit-tree "$2"
	fi
}
AU_P2=$(au_git rev-parse "$AU_TIP^")

# Rewrite the newest report (a reviewer's name), links intact.
au_tamper t1
au_tg t1 show "$AU_TIP:report.json" | sed 's/Carol <carol@example.org>/Eve <eve@example.org>/' > "$AU/j"
AU_B=$(au_tg t1 hash-object -w "$AU/j")
AU_M=$(au_tg t1 rev-parse "$AU_TIP:report.md")
AU_T=$(printf '100644 blob %s\treport.json\n100644 blob %s\treport.md\n' "$AU_B" "$AU_M" | au_tg t1 mktree)
AU_N=$(au_recommit t1 "$AU_T" "$AU_TIP" "$AU_P2")
au_tg t1 update-ref refs/litrule/audit "$AU_N"
run au_env "$LITRULE" audit verify --repo "$AU/t1"
expect_status 1 "verify: a rewritten newest report fails"
expect_grep err "report 3 of 3 (commit $AU_N) is bad: its report.json differs from the report regenerated" "verify: names the rewritten report"

# Rewrite the middle report, re-parent the tip on it.
au_tamper t2
AU_T=$(au_tg t2 rev-parse "$AU_P2^{tree}")
AU_M2=$(printf 'litrule audit %s\n\nsneaked\n' "$(au_tg t2 log -1 --format=%s "$AU_P2" | cut -d' ' -f3)" |
	au_tg t2 -c user.name=M -c user.email=m@x commit-tree "$AU_T" -p "$AU_R1")
AU_N=$(au_recommit t2 "$(au_tg t2 rev-parse "$AU_TIP^{tree}")" "$AU_TIP" "$AU_M2")
au_tg t2 update-ref refs/litrule/audit "$AU_N"
run au_env "$LITRULE" audit verify --repo "$AU/t2"
expect_status 1 "verify: a re-parented tip fails"
expect_grep err "report 3 of 3 (commit $AU_N) is bad: its previous.commit is $AU_P2, but the report before it is $AU_M2" \
	"verify: names the first bad link"

# Delete the middle report.
au_tamper t3
AU_N=$(au_recommit t3 "$(au_tg t3 rev-parse "$AU_TIP^{tree}")" "$AU_TIP" "$AU_R1")
au_tg t3 update-ref refs/litrule/audit "$AU_N"
run au_env "$LITRULE" audit verify --repo "$AU/t3"
expect_status 1 "verify: a deleted report fails"
expect_grep err "report 2 of 2 (commit $AU_N) is bad: its previous.commit" "verify: deletion names the report after the gap"

# Reorder the first two reports.
au_tamper t4
AU_A=$(au_recommit t4 "$(au_tg t4 rev-parse "$AU_P2^{tree}")" "$AU_P2")
AU_B=$(au_recommit t4 "$(au_tg t4 rev-parse "$AU_R1^{tree}")" "$AU_R1" "$AU_A")
AU_N=$(au_recommit t4 "$(au_tg t4 rev-parse "$AU_TIP^{tree}")" "$AU_TIP" "$AU_B")
au_tg t4 update-ref refs/litrule/audit "$AU_N"
run au_env "$LITRULE" audit verify --repo "$AU/t4"
expect_status 1 "verify: reordered reports fail"
expect_grep err "report 1 of 3 (commit $AU_A) is bad: it is the first report of the chain but links to a previous one" \
	"verify: reorder names the first report"

# Insert a copy of the first report after it.
au_tamper t5
AU_I=$(au_recommit t5 "$(au_tg t5 rev-parse "$AU_R1^{tree}")" "$AU_R1" "$AU_R1")
AU_B=$(au_recommit t5 "$(au_tg t5 rev-parse "$AU_P2^{tree}")" "$AU_P2" "$AU_I")
AU_N=$(au_recommit t5 "$(au_tg t5 rev-parse "$AU_TIP^{tree}")" "$AU_TIP" "$AU_B")
au_tg t5 update-ref refs/litrule/audit "$AU_N"
run au_env "$LITRULE" audit verify --repo "$AU/t5"
expect_status 1 "verify: an inserted report fails"
expect_grep err "report 2 of 4 (commit $AU_I) is bad: its previous" "verify: insertion names the inserted report"

# Truncate: the links that remain are fine; only a known tip catches it.
au_tamper t6
au_tg t6 update-ref refs/litrule/audit "$AU_P2"
run au_env "$LITRULE" audit verify --repo "$AU/t6"
expect_status 0 "verify: a truncated chain passes the link checks alone"
run au_env "$LITRULE" audit verify --repo "$AU/t6" --expect-tip "$AU_TIP"
expect_status 1 "verify --expect-tip: truncation caught"
expect_grep err "does not contain the expected tip $AU_TIP" "verify --expect-tip: names the tip"

# Rebuild the whole chain with consistent links (other commit times).
au_tamper t7
au_tg t7 update-ref -d refs/litrule/audit
run env HOME="$AU/home" SOURCE_DATE_EPOCH=1800000000 "$LITRULE" audit --repo "$AU/t7" --rev "$AU_C3"
run env HOME="$AU/home" SOURCE_DATE_EPOCH=1800000000 "$LITRULE" audit --repo "$AU/t7"
run au_env "$LITRULE" audit verify --repo "$AU/t7"
expect_status 0 "verify: a rebuilt chain passes the link and regeneration checks"
run au_env "$LITRULE" audit verify --repo "$AU/t7" --expect-tip "$AU_TIP"
expect_status 1 "verify --expect-tip: rebuilt chain caught"

# ---- two audits racing: both land, in order ----
au_tamper race
au_tg race update-ref -d refs/litrule/audit
(au_env "$LITRULE" audit --repo "$AU/race" --rev "$AU_C3" > "$AU/race1" 2>&1 &
 au_env "$LITRULE" audit --repo "$AU/race" --rev HEAD > "$AU/race2" 2>&1 &
 wait)
expect_true "race: two reports on the chain" sh -c "[ \"\$(env HOME='$AU/home' git -C '$AU/race' rev-list --count refs/litrule/audit)\" = 2 ]"
run au_env "$LITRULE" audit verify --repo "$AU/race"
expect_status 0 "race: the chain verifies"

# ---- signing ----
if command -v ssh-keygen > /dev/null 2>&1; then
	au_tamper sig
	au_tg sig update-ref -d refs/litrule/audit
	ssh-keygen -q -t ed25519 -N '' -C audit -f "$AU/key" > /dev/null
	ssh-keygen -q -t ed25519 -N '' -C other -f "$AU/key2" > /dev/null
	echo "audit@litrule.invalid $(cat "$AU/key.pub")" > "$AU/allowed"
	echo "audit@litrule.invalid $(cat "$AU/key2.pub")" > "$AU/allowed2"
	run au_env "$LITRULE" audit --repo "$AU/sig" --sign "$AU/key" --rev "$AU_C3"
	expect_status 0 "sign: first signed report"
	run au_env "$LITRULE" audit --repo "$AU/sig" --sign "$AU/key"
	expect_status 0 "sign: second signed report"
	run au_tg sig -c gpg.format=ssh -c gpg.ssh.allowedSignersFile="$AU/allowed" verify-commit refs/litrule/audit
	expect_status 0 "sign: git verify-commit accepts the report"
	run au_env "$LITRULE" audit verify --repo "$AU/sig" --allowed-signers "$AU/allowed"
	expect_status 0 "sign: verify --allowed-signers passes"
	expect_grep out "every one signed by an allowed signer" "sign: verify says so"
	run au_env "$LITRULE" audit verify --repo "$AU/sig" --allowed-signers "$AU/allowed2"
	expect_status 1 "sign: another key is refused"
	expect_grep err "report 1 of 2 .* is bad: its signature" "sign: names the report"
	run au_env "$LITRULE" audit verify --repo "$AU/t7" --allowed-signers "$AU/allowed"
	expect_status 1 "sign: an unsigned (rebuilt) chain is refused"
	expect_grep err "report 1 of 2 .* is bad: it is not signed" "sign: unsigned named"
fi

# ---- bad input: one line, exit 1 (2 for usage), nothing written ----
au_tamper bad
AU_BT=$(au_tg bad rev-parse refs/litrule/audit)
run au_env "$LITRULE" audit --repo "$AU/bad" --rev nosuchrev
expect_status 1 "audit: unknown revision"
expect_grep err "^litrule: error: " "audit: unknown revision says so"
run au_env "$LITRULE" audit --repo "$AU/bad" nosuchdir
expect_status 1 "audit: absent rule path"
run au_env "$LITRULE" audit --repo "$AU/home"
expect_status 1 "audit: not a repository"
run au_env "$LITRULE" audit --repo "$AU/bad" --frobnicate
expect_status 2 "audit: unknown option is usage"
run au_env "$LITRULE" audit --repo "$AU/bad" --require-review --rev "$AU_C3"
expect_status 1 "audit --require-review: unreviewed rules are an error"
expect_grep err "no report written" "audit --require-review: says nothing written"
expect_true "audit: nothing written on failure" test "$(au_tg bad rev-parse refs/litrule/audit)" = "$AU_BT"
run au_env "$LITRULE" audit verify --repo "$AU/t7" --expect-tip nosuchrev
expect_status 1 "verify: unknown expected tip"
au_tg bad update-ref -d refs/litrule/audit
run au_env "$LITRULE" audit verify --repo "$AU/bad"
expect_status 1 "verify: no chain"
expect_grep err "no audit chain" "verify: no chain says so"
au_env git clone -q --depth 1 "file://$AU/repo" "$AU/shallow" 2> /dev/null
run au_env "$LITRULE" audit --repo "$AU/shallow"
expect_status 1 "audit: a shallow clone is refused"
expect_grep err "unshallow" "audit: shallow clone says how to fix it"
au_snapshot "$AU/repo" "$AU/snap2"
expect_true "audit: nothing in the user's repository changed" cmp -s "$AU/snap0" "$AU/snap2"
