# tests/e2e/sections/blocks.sh: rule blocks are where cmark says they are.
# Sourced by tests/e2e/run.sh.  Files that a heredoc cannot hold (a
# byte-order mark, CRLF, lone CR, no final newline) are written with
# printf; each case checks the exit status and the message's position.

B_SRC='source G "Guideline"\ninput age: number in years, from 0 to 130 "age"\n'
B_RULE='rule Old "old"\n  when age > 65\n  then monitor "falls"\n  cite G at "p1" quote "q"\n'

# A byte-order mark before ```rule on line 1: a rule block like any other.
printf '\357\273\277```rule\n'"$B_SRC$B_RULE"'```\n' > "$TMP/bom.md"
run "$LITRULE" check "$TMP/bom.md"
expect_status 0 "BOM before the first rule fence"
expect_empty err "BOM before the first rule fence: no message"

# A closing fence indented by 1 and by 3 spaces closes the block.
printf '```rule\n'"$B_SRC$B_RULE"' ```\n\nProse, not rules.\n' > "$TMP/indent1.md"
run "$LITRULE" check "$TMP/indent1.md"
expect_status 0 "closing fence indented by 1 space"
printf '```rule\n'"$B_SRC$B_RULE"'   ```\n\nProse, not rules.\n' > "$TMP/indent3.md"
run "$LITRULE" check "$TMP/indent3.md"
expect_status 0 "closing fence indented by 3 spaces"
expect_empty err "closing fence indented by 3 spaces: no message"

# CRLF and lone-CR line ends; no newline at the end of the file.
printf '# T\r\n\r\n```rule\r\n'"$(printf "$B_SRC$B_RULE" | sed 's/$/\r/')"'\n```' > "$TMP/crlf.md"
run "$LITRULE" check "$TMP/crlf.md"
expect_status 0 "CRLF file without a final newline"
printf '# T\r\r```rule\r'"$(printf "$B_SRC$B_RULE" | tr '\n' '\r')"'```\r\rbogus words\r' > "$TMP/cr.md"
run "$LITRULE" check "$TMP/cr.md"
expect_status 0 "lone-CR file: prose after the block is not read"
printf '# T\r\r```rule\r'"$(printf "$B_SRC$B_RULE" | tr '\n' '\r')"'rule Bad "b"\r  when nothere\r```\r' > "$TMP/cr2.md"
run "$LITRULE" check "$TMP/cr2.md"
expect_status 1 "lone-CR file with an error"
expect_grep err "cr2.md:11:8: error: unknown name 'nothere'" "lone-CR file: lines counted as cmark counts them"

# A tab-indented ```rule line: not a rule block in Markdown; an error, not exit 0.
printf '# T\n\n\t```rule\n'"$B_SRC$B_RULE"'```\n' > "$TMP/tab.md"
run "$LITRULE" check "$TMP/tab.md"
expect_status 1 "tab-indented rule fence"
expect_grep err "tab.md:3:2: error: this \`\`\`rule line is indented by a tab" "tab-indented rule fence: named at its line"
# Four spaces: the same.
printf '# T\n\n    ```rule\n    source G "g"\n    ```\n' > "$TMP/four.md"
run "$LITRULE" check "$TMP/four.md"
expect_status 1 "rule fence indented by 4 spaces"
expect_grep err "four.md:3:5: error: .*indented by 4 or more spaces" "rule fence indented by 4 spaces: named"

# The middle of three blocks unclosed: one error naming the next fence's
# line, and the third block still read (its error is reported).
printf '```rule\n'"$B_SRC"'```\n\nText.\n\n```rule\ninput w: number in kg "w"\n\nMore text.\n\n```rule\nrule R "r"\n  when w > 1 and zz\n  then monitor "m"\n  cite G at "p1" quote "q"\n```\n' > "$TMP/mid.md"
run "$LITRULE" check "$TMP/mid.md"
expect_status 1 "unclosed middle block"
expect_grep err "mid.md:8:1: error: this rule block is not closed before the \`\`\`rule fence on line 13" "unclosed middle block: one error at its opener"
expect_grep err "mid.md:15:18: error: unknown name 'zz'" "unclosed middle block: the next block is still checked"
expect_grep err "^2 errors, 0 warnings" "unclosed middle block: no cascade"

# An unclosed ```python block before a rule block.
printf '```python\nprint(1)\n\n```rule\n'"$B_SRC$B_RULE"'```\n' > "$TMP/py.md"
run "$LITRULE" check "$TMP/py.md"
expect_status 1 "unclosed code block before a rule block"
expect_grep err "py.md:1:1: error: this fenced block is not closed before the \`\`\`rule fence on line 4" "unclosed code block: named"
expect_grep err "^1 error, 0 warnings" "unclosed code block: the rule block is still read"

# An example inside a longer fence is not a rule block (and not an error).
printf '````markdown\n```rule\nnot rules at all\n```\n````\n```rule\n'"$B_SRC$B_RULE"'```\n' > "$TMP/example.md"
run "$LITRULE" check "$TMP/example.md"
expect_status 0 "rule block shown inside a longer fence"

# A rule fence inside a list: the nested-block error, as before.
printf -- '- item\n\n  ```rule\n  source G "g"\n  ```\n' > "$TMP/list.md"
run "$LITRULE" check "$TMP/list.md"
expect_status 1 "rule block inside a list"
expect_grep err "list.md:3:1: error: this rule block sits inside a list" "rule block inside a list: named"

# An empty rule block: a warning (an error with --werror).
printf '```rule\n'"$B_SRC$B_RULE"'```\n\n```rule\n```\n' > "$TMP/emptyblk.md"
run "$LITRULE" check "$TMP/emptyblk.md"
expect_status 0 "empty rule block"
expect_grep err "emptyblk.md:10:1: warning: this rule block declares nothing" "empty rule block: a warning"
