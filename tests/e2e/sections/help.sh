# tests/e2e/sections/help.sh: `litrule help`, COMMAND --help, --version,
# did-you-mean for commands, exit codes of usage errors, and the README's
# command list against `litrule help` (issue 13.2).  Sourced by
# tests/e2e/run.sh.

run "$LITRULE" help
expect_status 0 "help: exit 0"
cp "$TMP/out" "$TMP/help.txt"
for opt in --name= --ruleset-version= --diagnostics= --werror --color= --version; do
	expect_grep out "^  $opt" "help: lists the option $opt"
done
expect_grep out '^  0  success$' "help: exit code 0"
expect_grep out '^  1  findings or errors in the input' "help: exit code 1"
expect_grep out '^  2  wrong usage' "help: exit code 2"

# Every command of the list has its help, by both routes, on stdout, exit 0.
cmds=$(sed -n '/^Commands:$/,/^$/p' "$TMP/help.txt" | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p')
expect_true "help: the list has the commands" test "$(echo "$cmds" | wc -w)" -ge 11
for c in $cmds; do
	run "$LITRULE" help "$c"
	expect_status 0 "help $c: exit 0"
	expect_grep out "^usage: litrule $c" "help $c: usage line"
	expect_grep out '^Exit status:$' "help $c: exit codes"
	cp "$TMP/out" "$TMP/help-$c.txt"
	[ "$c" = help ] && continue
	run "$LITRULE" "$c" --help
	expect_status 0 "$c --help: exit 0"
	expect_true "$c --help is help $c" cmp -s "$TMP/out" "$TMP/help-$c.txt"
	expect_empty err "$c --help: nothing on stderr"
	run "$LITRULE" "$c" -h
	expect_status 0 "$c -h: exit 0"
done
for c in check build eval test audit trace diff verify schema inputs help; do
	expect_true "help: lists $c" sh -c "echo '$cmds' | grep -qx '$c'"
done

# The README's command list is litrule help's.
readme=$(sed -n '/^## Commands$/,/^## /p' README.md | sed -n 's/^    build\/litrule \([a-z][a-z]*\).*/\1/p' | sort -u)
listed=$(echo "$cmds" | sort -u)
expect_true "help: README's commands ($(echo $readme)) are litrule help's ($(echo $listed))" \
	test "$readme" = "$listed"

run "$LITRULE" --version
expect_status 0 "--version"
expect_grep out '^litrule [0-9]*\.[0-9]*\.[0-9]* (table format [0-9]*)$' "--version: the version"

# Unknown commands: did-you-mean, exit 2.
run "$LITRULE" tset rules
expect_status 2 "unknown command: exit 2"
expect_grep err "^litrule: unknown command 'tset'; did you mean 'test'?$" "unknown command: did you mean test"
run "$LITRULE" verfy rules
expect_grep err "did you mean 'verify'?" "unknown command: did you mean verify"
run "$LITRULE" frobnicate
expect_status 2 "unknown command far from any: exit 2"
expect_grep err "^litrule: unknown command 'frobnicate'$" "unknown command: no suggestion when nothing is close"
run "$LITRULE" help frobnicate
expect_status 2 "help of an unknown command: exit 2"
run "$LITRULE"
expect_status 2 "no command: exit 2"
expect_grep err '^usage: litrule' "no command: usage on stderr"

# Usage errors exit 2 in every command.
run "$LITRULE" check
expect_status 2 "check without PATH: 2"
run "$LITRULE" check --bogus rules
expect_status 2 "check with an unknown option: 2"
expect_grep err "unknown option '--bogus'" "check: names the unknown option"
run "$LITRULE" test --bogus rules
expect_status 2 "test with an unknown option: 2"
run "$LITRULE" eval --rules rules --bogus examples/patients/01-newly-diagnosed-denosumab.json
expect_status 2 "eval with an unknown option: 2"
run "$LITRULE" build rules
expect_status 2 "build without -o: 2"
run "$LITRULE" --color=sometimes check rules
expect_status 2 "--color with a bad value: 2"

# Colour: never on a pipe by default; --color=always forces it, NO_COLOR
# turns auto off, --color=never wins.
printf '```rule\nsource G "g"\ninput x: number in mg "x"\nrule R "r" when y > 1 mg then recommend "go" cite G at "1" quote "q"\n```\n' > "$TMP/color.md"
run "$LITRULE" check "$TMP/color.md"
expect_status 1 "colour: check with an error"
expect_grep err "color.md:4:17: error: unknown name 'y'.* \[unknown-name\]$" "diagnostic shows its id"
expect_true "colour: none on a pipe" sh -c "! grep -q \"\$(printf '\033')\" '$TMP/err'"
run "$LITRULE" --color=always check "$TMP/color.md"
expect_true "colour: --color=always" grep -q "$(printf '\033')\[1;31merror:" "$TMP/err"
run "$LITRULE" check --color=always "$TMP/color.md"
expect_true "colour: --color=always after the command" grep -q "$(printf '\033')\[1;31merror:" "$TMP/err"
run "$LITRULE" --color=never check "$TMP/color.md"
expect_true "colour: --color=never" sh -c "! grep -q \"\$(printf '\033')\" '$TMP/err'"
if command -v script > /dev/null 2>&1; then
	# A terminal: script(1) gives the command a pty.
	run script -qec "$LITRULE check $TMP/color.md" /dev/null
	expect_true "colour: on a terminal by default" grep -q "$(printf '\033')\[1;31merror:" "$TMP/out"
	run env NO_COLOR=1 script -qec "$LITRULE check $TMP/color.md" /dev/null
	expect_true "colour: NO_COLOR=1 turns it off on a terminal" sh -c "! grep -q \"\$(printf '\033')\[1;31m\" '$TMP/out'"
	run env NO_COLOR= script -qec "$LITRULE check $TMP/color.md" /dev/null
	expect_true "colour: an empty NO_COLOR does not" grep -q "$(printf '\033')\[1;31merror:" "$TMP/out"
	run env NO_COLOR=1 script -qec "$LITRULE --color=always check $TMP/color.md" /dev/null
	expect_true "colour: --color=always wins over NO_COLOR" grep -q "$(printf '\033')\[1;31merror:" "$TMP/out"
else
	echo "note: script(1) not found: colour on a terminal not tested"
fi
run "$LITRULE" build rules -o "$TMP/help-out" --bogus
expect_status 2 "build with an unknown option: 2"
expect_grep err "unknown option '--bogus'" "build: names the unknown option"
