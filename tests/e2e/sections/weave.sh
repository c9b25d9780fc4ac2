# tests/e2e/sections/weave.sh: `litrule weave PATH... -o DIR` (issue 11):
# the flagship's book (every rule, summary row, linked name and citation
# checked by tests/weave/check_book.py on the HTML text; the browser test
# checks the rendered DOM), escaping of everything from a rule file or a
# source text, the last change from git (and "not in a git repository"
# outside one), and the atomic write: a previous book is replaced, a
# directory weave did not write is refused, nothing is left half-written.
# Sourced by tests/e2e/run.sh (helpers and variables there).

wv_L=$(cd "$(dirname "$LITRULE")" && pwd)/$(basename "$LITRULE")
wv_check="python3 tests/weave/check_book.py"
wv_nrules=$(grep -c '^rule ' rules/mm-bone-protection.md)

# ---- section: weave usage -----------------------------------------------------
run "$LITRULE" weave rules/
expect_status 2 "weave without -o"
expect_grep err "^usage: litrule weave \[--no-verify\] PATH... -o DIR" "weave usage"
run "$LITRULE" weave --frob rules/ -o "$TMP/wv-x"
expect_status 2 "weave unknown option"
run "$LITRULE" --help
expect_grep out "^  weave PATH... -o DIR" "--help lists weave"

# ---- section: weave the flagship ---------------------------------------------
# From a copy outside git: libgit2 1.5.1's git_blame_file leaks memory on
# this repository's real history (a plain libgit2 program shows it), which
# check-sanitize's leak checker would report; blame is tested below on a
# small repository of its own.
mkdir -p "$TMP/wv-nogit"
cp -r rules "$TMP/wv-nogit/"
run timeout 120 "$wv_L" weave "$TMP/wv-nogit/rules" -o "$TMP/wv-book"
expect_status 0 "weave the flagship"
expect_grep err "^weave: wrote $TMP/wv-book/index.html and [1-9][0-9]* source pages; examples: [1-9][0-9]*, 0 failing" \
	"weave: flagship pages and examples"
expect_true "weave: flagship index.html, marker, a source page" \
	test -s "$TMP/wv-book/index.html" -a -f "$TMP/wv-book/.litrule-weave" -a -s "$TMP/wv-book/sources/imwg-2013-excerpts.html"
run $wv_check "$TMP/wv-book" "$wv_nrules"
expect_status 0 "weave: flagship book checks (every rule, links, marks, lang)"
expect_grep out "^ok: $wv_nrules rules" "weave: check_book says ok"
expect_true "weave outside git: every rule says so" \
	test "$(grep -c 'class="lr-change">Last change: not in a git repository' "$TMP/wv-book/index.html")" = "$wv_nrules"
expect_true "weave: every rule has its inputs and findings" \
	sh -c "test \$(grep -c 'class=\"lr-inputs-used\"' '$TMP/wv-book/index.html') = $wv_nrules && grep -q 'class=\"lr-findings' '$TMP/wv-book/index.html'"
expect_true "weave: examples shown as passing, none failing" \
	sh -c "grep -q 'class=\"lr-example\" data-status=\"pass\"' '$TMP/wv-book/index.html' && ! grep -q 'data-status=\"fail\"' '$TMP/wv-book/index.html'"
expect_true "weave: one form control per input" \
	test "$(grep -o 'id="lr-try-[a-z_0-9]*" name=' "$TMP/wv-book/index.html" | wc -l)" -eq "$(grep -c '^input ' rules/mm-bone-protection.md)"
expect_true "weave: no http(s) resource loaded" \
	sh -c "! grep -Eiq '<(script|link|img|iframe)[^>]*(src|href)=\"https?:' '$TMP/wv-book/index.html'"

# The checker itself catches a citation whose mark is gone.
cp -r "$TMP/wv-book" "$TMP/wv-broken"
sed -i 's/<mark class="lr-passage" id="q-1">//' "$TMP/wv-broken/sources/imwg-2013-excerpts.html"
run $wv_check "$TMP/wv-broken" "$wv_nrules"
expect_status 1 "weave: check_book fails on a missing mark"
expect_grep out "no mark" "weave: check_book names the missing mark"

run "$LITRULE" weave --no-verify "$TMP/wv-nogit/rules" -o "$TMP/wv-book"
expect_status 0 "weave --no-verify replaces the previous book"
expect_true "weave --no-verify: the page says verify was not run" \
	test "$(grep -c 'Not verified: verify was not run (weave --no-verify)' "$TMP/wv-book/index.html")" = "$wv_nrules"

# ---- section: weave escaping ---------------------------------------------------
mkdir -p "$TMP/wv-esc"
cat > "$TMP/wv-esc/book.md" <<'EOF'
# Book <script>alert(1)</script>

Prose with <b>raw html</b>, a [bad link](javascript:alert(1)) and a [good](https://example.org).

```rule
source S "Guide </style><script>alert(2)</script>"
  url "javascript:alert(3)"
  text "src.txt"
input x: number in mg, from 0 to 10 "the x <value>"
rule R1 "first <i>rule</i>"
  when x > 5
  then recommend "do <script>it</script>"
  cite S at "p. 1" quote "</style><script>x</script>"
example ex1 "R1 fires"
  given x = 6
  expect R1
```
EOF
printf 'Intro.\n</style><script>x</script>\n' > "$TMP/wv-esc/src.txt"
run "$LITRULE" weave "$TMP/wv-esc/book.md" -o "$TMP/wv-esc/out"
expect_status 0 "weave escaping: written"
expect_grep err "book.md:7:7: warning: the url of source 'S' is not an http or https address" "weave: javascript: url warned at file:line:col"
expect_true "weave escaping: one <script> and one </style> per page (the page's own)" \
	sh -c "test \$(grep -o '<script' '$TMP/wv-esc/out/index.html' | wc -l) = 1 && test \$(grep -o '</style>' '$TMP/wv-esc/out/index.html' | wc -l) = 1 && test \$(grep -o '<script' '$TMP/wv-esc/out/sources/src.html' | wc -l) = 1 && test \$(grep -o '</style>' '$TMP/wv-esc/out/sources/src.html' | wc -l) = 1"
expect_true "weave escaping: no javascript: link" sh -c "! grep -qi 'href=\"javascript' '$TMP/wv-esc/out/index.html'"
expect_true "weave escaping: the quote is shown as text" \
	grep -q '&lt;/style&gt;&lt;script&gt;x&lt;/script&gt;</mark>' "$TMP/wv-esc/out/sources/src.html"
run $wv_check "$TMP/wv-esc/out" 1
expect_status 0 "weave escaping: book checks"

# ---- section: weave and git ----------------------------------------------------
wv_r=$TMP/wv-repo
mkdir -p "$wv_r"
cp "$TMP/wv-esc/book.md" "$TMP/wv-esc/src.txt" "$wv_r/"
wv_git() {
	(cd "$wv_r" && HOME=$TMP GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_DATE="2024-03-04T10:00:00Z" \
		GIT_COMMITTER_DATE="2024-03-04T10:00:00Z" git -c user.name=Alice -c user.email=alice@example.org \
		-c init.defaultBranch=main -c commit.gpgsign=false "$@")
}
wv_git init -q
wv_git add book.md src.txt
wv_git commit -q -m "Add R1 <b>bold</b>" -m "Reviewed-by: Bob <bob@example.org>"
run "$wv_L" weave "$wv_r" -o "$TMP/wv-git-book"
expect_status 0 "weave in git"
expect_true "weave in git: last change with author, date, subject and reviewer" \
	grep -q 'class="lr-change">Last change: <code>[0-9a-f]\{12\}</code> 2024-03-04 by Alice &lt;alice@example.org&gt;, &ldquo;Add R1 &lt;b&gt;bold&lt;/b&gt;&rdquo;. Reviewed by: Bob &lt;bob@example.org&gt;.' \
	"$TMP/wv-git-book/index.html"
printf '\nMore prose.\n' >> "$wv_r/book.md"
run "$wv_L" weave "$wv_r" -o "$TMP/wv-git-book"
expect_status 0 "weave in git, file modified; previous book replaced"
expect_true "weave in git: a modified file has no blame" \
	grep -q 'Last change: the file has uncommitted changes' "$TMP/wv-git-book/index.html"

# ---- section: weave writes atomically -------------------------------------------
mkdir -p "$TMP/wv-foreign"
echo keep > "$TMP/wv-foreign/notes.txt"
run "$LITRULE" weave "$TMP/wv-esc/book.md" -o "$TMP/wv-foreign"
expect_status 1 "weave refuses a directory it did not write"
expect_grep err "not written by litrule weave" "weave: refusal says why"
expect_true "weave: the foreign directory is untouched" \
	sh -c "test \"\$(ls -A '$TMP/wv-foreign')\" = notes.txt"
echo x > "$TMP/wv-file"
run "$LITRULE" weave "$TMP/wv-esc/book.md" -o "$TMP/wv-file/book"
expect_status 1 "weave: parent is a file"
expect_grep err "^litrule: error: cannot use $TMP/wv-file/book: Not a directory" "weave: parent is a file, message"
# A rule set with errors: nothing is written.
printf '```rule\nrule R "r"\n  when nope\n  then alert "x"\n```\n' > "$TMP/wv-bad.md"
run "$LITRULE" weave "$TMP/wv-bad.md" -o "$TMP/wv-bad-book"
expect_status 1 "weave: errors in the rule set"
expect_true "weave: no book after errors" test ! -e "$TMP/wv-bad-book"
if [ "$(id -u)" != 0 ]; then
	mkdir -p "$TMP/wv-ro"
	chmod 555 "$TMP/wv-ro"
	run "$LITRULE" weave "$TMP/wv-esc/book.md" -o "$TMP/wv-ro/book"
	expect_status 1 "weave: unwritable parent"
	expect_true "weave: nothing in the unwritable parent" test -z "$(ls -A "$TMP/wv-ro")"
	chmod 755 "$TMP/wv-ro"
fi
expect_true "weave: no temporary directories left" \
	sh -c "! ls -d '$TMP'/*.tmp.* '$TMP'/*.old.* '$TMP'/*/*.tmp.* '$TMP'/*/*.old.* 2>/dev/null | grep -q ."
