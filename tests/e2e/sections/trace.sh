# tests/e2e/sections/trace.sh: decision records that carry their inputs
# (eval --record-inputs, --mask) and `litrule trace` on a temporary
# repository: two commits change a threshold; a decision made at the first
# is traced to that commit's rule text, quoted passage, blame and review,
# replayed, and compared with HEAD; tampered records fail clearly; the
# repository is never changed.  Sourced by tests/e2e/run.sh.

tr_L=$(cd "$(dirname "$LITRULE")" && pwd)/$(basename "$LITRULE")
tr_r=$TMP/tr-repo
mkdir -p "$tr_r/rules"
tr_git() {
	(cd "$tr_r" && HOME=$TMP GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_DATE="$tr_date" GIT_COMMITTER_DATE="$tr_date" \
		git -c user.name="$tr_who" -c user.email="$(echo "$tr_who" | tr A-Z a-z)@example.org" \
		-c init.defaultBranch=main -c commit.gpgsign=false "$@")
}
# tr_rules THRESHOLD: the rule file and its source text with that threshold.
tr_rules() {
	cat > "$tr_r/rules/a.md" <<EOF
# Trace test

## Kidney function

\`\`\`rule
ruleset tr "trace test"
  version "1"

source G "A guideline"
  text "g.txt"

input egfr: number in mL/min, from 0 to 200 "kidney function"
input sex: one of female, male "sex"
input smoker: bool "smokes"
input born: date "date of birth (read by no rule)"
\`\`\`

Kidney function below the threshold means the drug must be held.
The guideline says so in section 2.

\`\`\`rule
rule R_hold "hold when eGFR is low"
  when egfr < $1
  then hold "Hold the drug"
  cite G at "section 2" quote "hold the drug when eGFR is below $1"

rule R_smoke "smokers"
  when smoker and sex is male
  then alert "advise to stop smoking"
  cite G at "section 3" quote "Advise smokers to stop."
\`\`\`
EOF
	printf 'A guideline\n\nSection 1.\nGeneral remarks.\n\nSection 2.\nKidneys matter. You should\nhold the drug when eGFR is below %s\nmL/min, and check again.\n\nSection 3.\nAdvise smokers to stop.\n' \
		"$1" > "$tr_r/rules/g.txt"
}
tr_snapshot() {
	(cd "$tr_r" && git status --porcelain && git show-ref && cksum .git/index && cat .git/HEAD) 2>&1
}

tr_git init -q
tr_rules 40
tr_who=Alice tr_date="2024-01-10T10:00:00Z"
tr_who=Alice tr_date="2024-01-10T10:00:00Z" tr_git add rules
tr_who=Alice tr_date="2024-01-10T10:00:00Z" tr_git commit -q -m "Add the eGFR rule"
tr_c1=$(tr_git rev-parse HEAD)
printf '{"egfr": 35, "sex": "male", "smoker": false, "born": "1950-02-03"}\n' > "$TMP/tr-p.json"

# ---- eval: records carry their inputs ----------------------------------------
run "$tr_L" eval --rules "$tr_r/rules" "$TMP/tr-p.json"
expect_status 0 "trace: eval at commit 1"
expect_true "trace: eval to a file records no inputs by default" sh -c "! grep -q '\"dirty\"' '$TMP/out'"
run "$tr_L" eval --rules "$tr_r/rules" --record-inputs "$TMP/tr-p.json"
cp "$TMP/out" "$TMP/tr-d1.json"
expect_grep out '"path": "rules"' "trace: --record-inputs records the rule set's path in the repository"
expect_grep out '"dirty": false' "trace: --record-inputs records dirty"
expect_grep out '"egfr": "35"' "trace: the decimal is recorded as its text"
expect_grep out '"smoker": false' "trace: the boolean is recorded as a boolean"
expect_grep out "\"commit\": \"$tr_c1\"" "trace: the record names commit 1"
run sh -c "'$tr_L' eval --rules '$tr_r/rules' --jsonl < '$TMP/tr-p.json'"
cp "$TMP/out" "$TMP/tr-d1.jsonl"
expect_grep out '"inputs":{"egfr":"35","sex":"male","smoker":false,"born":"1950-02-03"}' "trace: --jsonl records inputs by default"
run sh -c "'$tr_L' eval --rules '$tr_r/rules' --jsonl --no-record-inputs < '$TMP/tr-p.json'"
expect_grep out '"errors":\[\]}$' "trace: --no-record-inputs keeps the old record"

# --mask: a salted hash everywhere the value would show
tr_h=$(printf 's3cret35' | sha256sum | cut -d' ' -f1)
run sh -c "'$tr_L' eval --rules '$tr_r/rules' --jsonl --mask egfr --mask-salt s3cret < '$TMP/tr-p.json'"
cp "$TMP/out" "$TMP/tr-masked.jsonl"
expect_grep out "\"inputs\":{\"egfr\":\"sha256:$tr_h\"" "trace: --mask records sha256(salt + value)"
expect_grep out '"masked":\["egfr"\]' "trace: --mask says which inputs are masked"
expect_true "trace: --mask leaves the value nowhere in the record" sh -c "! grep -q '\"35\"' '$TMP/out'"
run sh -c "LITRULE_MASK_SALT=s3cret '$tr_L' eval --rules '$tr_r/rules' --jsonl --mask egfr < '$TMP/tr-p.json'"
expect_grep out "sha256:$tr_h" "trace: the salt from LITRULE_MASK_SALT"
run sh -c "'$tr_L' eval --rules '$tr_r/rules' --jsonl --mask egfr < '$TMP/tr-p.json'"
expect_status 2 "trace: --mask without a salt is refused"
expect_grep err "needs a salt" "trace: --mask without a salt says why"
run sh -c "'$tr_L' eval --rules '$tr_r/rules' --jsonl --mask eGFR --mask-salt s < '$TMP/tr-p.json'"
expect_status 2 "trace: --mask of an unknown input is refused"
run sh -c "'$tr_L' eval --rules '$tr_r/rules' --jsonl --mask born --mask-salt s < '$TMP/tr-p.json'"
cp "$TMP/out" "$TMP/tr-masked-born.jsonl"

# ---- commit 2: Bob lowers the threshold, Carol reviews -------------------------
tr_rules 30
tr_who=Bob tr_date="2024-02-20T09:30:00Z" tr_git add rules
tr_who=Bob tr_date="2024-02-20T09:30:00Z" tr_git commit -q -m "Lower the eGFR threshold to 30" \
	-m "Reviewed-by: Carol <carol@example.org>"
tr_c2=$(tr_git rev-parse HEAD)
printf '{"egfr": 25, "sex": "male", "smoker": true}\n' > "$TMP/tr-p2.json"
run "$tr_L" eval --rules "$tr_r/rules" --record-inputs "$TMP/tr-p2.json"
cp "$TMP/out" "$TMP/tr-d2.json"
tr_before=$(tr_snapshot)

# ---- trace the first decision ------------------------------------------------
run "$tr_L" trace --repo "$tr_r" "$TMP/tr-d1.json"
expect_status 0 "trace: a decision at commit 1 traces and replays"
expect_grep out "^   at rules/a.md:22-25, commit ${tr_c1%????????????????????????????}" "trace: the rule's file and lines at commit 1"
expect_grep out "23 |   when egfr < 40" "trace: commit 1's rule text, not HEAD's"
expect_true "trace: HEAD's text is not shown" sh -c "! grep -q 'egfr < 30' '$TMP/out'"
expect_grep out "headings: Trace test > Kidney function" "trace: the heading path"
expect_grep out "19 | The guideline says so in section 2." "trace: the prose paragraph before the rule block"
expect_grep out "> .* | »hold the drug when eGFR is below 40«" "trace: the quote marked in its passage"
expect_grep out "7 | Kidneys matter. You should" "trace: the passage's context before the quote"
expect_grep out "9 | mL/min, and check again." "trace: the passage's context after the quote"
expect_grep out "last change: $tr_c1 Alice <alice@example.org> 2024-01-10 10:00:00 +0000" "trace: blame names Alice"
expect_grep out "UNREVIEWED" "trace: commit 1 had no reviewer"
expect_grep out "commit $tr_c1 was never audited" "trace: the never-audited warning"
expect_grep out "replay at .*: reproduces exactly (1 actions, 0 missing, 0 errors)" "trace: replay reproduces"
expect_true "trace: a rule that did not fire is not shown" sh -c "! grep -q 'R_smoke' '$TMP/out'"

run "$tr_L" trace --repo "$tr_r" --against HEAD "$TMP/tr-d1.json"
expect_status 0 "trace --against HEAD"
expect_grep out "against HEAD (${tr_c2%????????????????????????????}): would decide differently" "trace --against: HEAD decides differently"
expect_grep out "^   - recorded: R_hold hold: Hold the drug" "trace --against: the recorded hold is gone at HEAD"
run "$tr_L" trace --repo "$tr_r" --against "$tr_c1" "$TMP/tr-d1.json"
expect_grep out "would decide the same" "trace --against the same commit: the same decision"
run sh -c "cd '$tr_r' && '$tr_L' trace - < '$TMP/tr-d1.jsonl'"
expect_status 0 "trace: a --jsonl line on stdin, repository from the working directory"
expect_grep out "reproduces exactly" "trace: the --jsonl line replays"

# ---- the second decision: Bob's change, Carol's review, an audit report ----------
tr_tree=$(printf 'litrule audit\n' | tr_git hash-object -w --stdin)
tr_tree=$(printf '100644 blob %s\treport.json\n' "$tr_tree" | tr_git mktree)
tr_rep=$(tr_who=Auditor tr_date="2024-03-01T00:00:00Z" tr_git commit-tree "$tr_tree" -m "litrule audit $tr_c2")
tr_git update-ref refs/litrule/audit "$tr_rep"
tr_before=$(tr_snapshot)
run "$tr_L" trace --repo "$tr_r" "$TMP/tr-d2.json"
expect_status 0 "trace: a decision at commit 2"
expect_grep out "last change: $tr_c2 Bob <bob@example.org> 2024-02-20" "trace: blame names Bob for the changed rule"
expect_grep out "Reviewed-by Carol <carol@example.org>" "trace: review names Carol"
expect_grep out "== rule R_smoke" "trace: every fired rule is shown"
expect_grep out "»Advise smokers to stop.«" "trace: the second rule's quote"
expect_grep out "audit: report $tr_rep on refs/litrule/audit covers commit" "trace: the audit report covering the commit"

# ---- masked inputs -------------------------------------------------------------
run "$tr_L" trace --repo "$tr_r" "$TMP/tr-masked.jsonl"
expect_status 0 "trace: a masked decision still traces"
expect_grep out "replay: not possible: the input 'egfr' is masked in the record, and rules read it: R_hold" \
	"trace: a masked input that a rule reads blocks the replay, named"
run "$tr_L" trace --repo "$tr_r" "$TMP/tr-masked-born.jsonl"
expect_grep out "reproduces exactly" "trace: a masked input that no rule reads does not block the replay"
expect_true "trace: ... and the date was recorded masked" grep -q '"born":"sha256:' "$TMP/tr-masked-born.jsonl"

# ---- bad records: one line, exit 1 ------------------------------------------------
sed "s/\"hash\": \"\(.\)/\"hash\": \"0\1/; s/\"hash\": \"0\(.\)\(.*\)\(.\)\"/\"hash\": \"0\2\"/" "$TMP/tr-d1.json" > "$TMP/tr-bad-hash.json"
run "$tr_L" trace --repo "$tr_r" "$TMP/tr-bad-hash.json"
expect_status 1 "trace: a changed hash fails"
expect_grep err "the decision's rule-set hash does not match the rule files at $tr_c1" "trace: the hash mismatch is named"
expect_empty out "trace: nothing is traced from a record whose hash does not match"
sed 's/"name": "tr"/"name": "other"/' "$TMP/tr-d1.json" > "$TMP/tr-bad-name.json"
run "$tr_L" trace --repo "$tr_r" "$TMP/tr-bad-name.json"
expect_status 1 "trace: a record from another rule set fails"
expect_grep err "comes from rule set 'other'" "trace: the rule-set name mismatch is named"
sed 's/"egfr": "35"/"egfr": "45"/g' "$TMP/tr-d1.json" > "$TMP/tr-bad-inputs.json"
run "$tr_L" trace --repo "$tr_r" "$TMP/tr-bad-inputs.json"
expect_status 1 "trace: changed inputs do not reproduce"
expect_grep out "DOES NOT reproduce" "trace: the replay says so"
expect_grep out "^   - recorded: R_hold hold: Hold the drug" "trace: ... and shows what differs"
sed "s/$tr_c1/0123456789012345678901234567890123456789/" "$TMP/tr-d1.json" > "$TMP/tr-bad-commit.json"
run "$tr_L" trace --repo "$tr_r" "$TMP/tr-bad-commit.json"
expect_status 1 "trace: an unknown commit fails"
expect_grep err "commit 0123456789012345678901234567890123456789 is not in the repository" "trace: the unknown commit is named"
sed 's/"ruleset"/"rules3t"/' "$TMP/tr-d1.json" > "$TMP/tr-bad-field.json"
run "$tr_L" trace --repo "$tr_r" "$TMP/tr-bad-field.json"
expect_status 1 "trace: a malformed record fails"
expect_grep err "field 'ruleset' is missing" "trace: the malformed record names the field"
sed 's/"rule": "R_hold"/"rule": 7/' "$TMP/tr-d1.json" > "$TMP/tr-bad-rule.json"
run "$tr_L" trace --repo "$tr_r" "$TMP/tr-bad-rule.json"
expect_grep err "field 'actions\[0\].rule'" "trace: a bad action names the field"
printf '{"a": 1}\n{"b": 2}\n' > "$TMP/tr-two.json"
run "$tr_L" trace --repo "$tr_r" "$TMP/tr-two.json"
expect_status 1 "trace: two records are not one"
mkdir -p "$TMP/tr-notrepo"
run "$tr_L" trace --repo "$TMP/tr-notrepo" "$TMP/tr-d1.json"
expect_status 1 "trace: not a repository"
expect_grep err "litrule: error: " "trace: not a repository: one line"
run "$tr_L" trace
expect_status 2 "trace: no record is a usage error"

# ---- nothing in the repository changed ---------------------------------------------
expect_true "trace: git status, refs, index and HEAD unchanged" test "$tr_before" = "$(tr_snapshot)"

# ---- a dirty build: recorded, and refused for replay ---------------------------------
sed -i 's/Hold the drug/Hold the drug now/' "$tr_r/rules/a.md"
run "$tr_L" eval --rules "$tr_r/rules" --record-inputs "$TMP/tr-p2.json"
cp "$TMP/out" "$TMP/tr-dirty.json"
expect_grep out '"dirty": true' "trace: eval records a dirty build"
tr_before=$(tr_snapshot)
run "$tr_L" trace --repo "$tr_r" "$TMP/tr-dirty.json"
expect_status 1 "trace: a dirty decision fails"
expect_grep err "modified after commit $tr_c2" "trace: a dirty decision: one-line error"
expect_grep out "WARNING: the decision was made from rule files MODIFIED" "trace: what is shown is clearly marked"
expect_grep out "== rule R_hold" "trace: a dirty decision still shows the rules"
expect_grep out "replay: refused" "trace: a dirty decision is not replayed"
expect_true "trace: a dirty working tree is left as it was" test "$tr_before" = "$(tr_snapshot)"
(cd "$tr_r" && git checkout -q -- rules/a.md)

# A masked value that cannot be read is not quoted in the error either.
run sh -c "printf '{\"egfr\": \"12x34\"}\n' | '$tr_L' eval --rules '$tr_r/rules' --jsonl --mask egfr --mask-salt s"
expect_status 1 "trace: --mask, an unreadable masked value fails as before"
expect_grep out "field 'egfr': not a valid value (the value is masked)" "trace: --mask, the error names the field only"
expect_true "trace: --mask, the unreadable value shows nowhere" sh -c "! grep -q 12x34 '$TMP/out' '$TMP/err'"

# One rule file named (not the directory): the record names that file.
run "$tr_L" eval --rules "$tr_r/rules/a.md" --record-inputs "$TMP/tr-p2.json"
cp "$TMP/out" "$TMP/tr-single.json"
expect_grep out '"path": "rules/a.md"' "trace: a single rule file is recorded as that file"
run "$tr_L" trace --repo "$tr_r" "$TMP/tr-single.json"
expect_status 0 "trace: a decision from a single rule file"
expect_grep out "reproduces exactly (2 actions" "trace: ... replays"
