# tests/e2e/sections/layout.sh: the flagship's layout for the committee
# (issue 10, finding 9).  The book opens with the notice, how to read it and the
# clinical content, with its declarations in an appendix at the end; the
# summary table near the top ("The rules at a glance") names every rule
# exactly once, in reading order, with the rule's own actions and sources;
# rule ids increase in reading order.  Sourced by tests/e2e/run.sh.

lay_book=rules/mm-bone-protection.md

# lay_rules FILE: one line per rule in declaration order:
# "ID|ACTIONS|SOURCES", ACTIONS the rule's "verb [subject]" joined by "; ",
# SOURCES the cited source names, sorted, unique, joined by ", ".
lay_rules() {
	awk '
	function flush() {
		if (id == "") return
		n = split(srcs, a, " "); out = ""
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		for (i = 1; i <= n; i++) if (i == 1 || a[i] != a[i - 1]) out = out (out == "" ? "" : ", ") a[i]
		print id "|" acts "|" out
		id = ""
	}
	/^rule / { flush(); id = $2; acts = ""; srcs = ""; next }
	id != "" && !/^  / { flush(); next }
	id != "" && /^  then / {
		act = $2
		if ($3 == "per") act = act " " $4
		else if ($3 !~ /^"/) act = act " " $3
		acts = acts (acts == "" ? "" : "; ") act
	}
	id != "" && /^  cite / { srcs = srcs " " $2 }
	END { flush() }' "$1"
}

# lay_table FILE: the summary table rows in the same form as lay_rules.
lay_table() {
	awk '
	/<!-- rule-summary begin -->/ { on = 1; next }
	/<!-- rule-summary end -->/ { on = 0 }
	on && /^\| *R[0-9]/ {
		n = split($0, c, "|")
		for (i = 2; i <= 6; i++) { gsub(/^ +| +$/, "", c[i]); gsub(/`/, "", c[i]) }
		m = split(c[6], s, ", *"); out = ""
		for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (s[j] < s[i]) { t = s[i]; s[i] = s[j]; s[j] = t }
		for (i = 1; i <= m; i++) if (i == 1 || s[i] != s[i - 1]) out = out (out == "" ? "" : ", ") s[i]
		print c[2] "|" c[5] "|" out
	}' "$1"
}

# lay_check FILE: the summary table of FILE agrees with its rules; prints
# what disagrees and fails if anything does.
lay_check() {
	lay_rules "$1" > "$TMP/lay_r"
	lay_table "$1" > "$TMP/lay_t"
	cut -d'|' -f1 "$TMP/lay_r" > "$TMP/lay_rid"
	cut -d'|' -f1 "$TMP/lay_t" > "$TMP/lay_tid"
	lay_ok=0
	[ -s "$TMP/lay_rid" ] || { echo "    no rules in $1"; lay_ok=1; }
	[ -s "$TMP/lay_tid" ] || { echo "    no summary table in $1"; lay_ok=1; }
	for d in $(sort "$TMP/lay_tid" | uniq -d); do echo "    $d: more than once in the table"; lay_ok=1; done
	for r in $(cat "$TMP/lay_rid"); do
		grep -qx "$r" "$TMP/lay_tid" || { echo "    rule $r: not in the table"; lay_ok=1; }
	done
	for r in $(cat "$TMP/lay_tid"); do
		grep -qx "$r" "$TMP/lay_rid" || { echo "    table id $r: not a rule"; lay_ok=1; }
	done
	# Same order, same actions, same sources.
	if ! diff "$TMP/lay_r" "$TMP/lay_t" > "$TMP/lay_diff"; then
		sed 's/^/    /' "$TMP/lay_diff" | head -20
		lay_ok=1
	fi
	return $lay_ok
}

expect_true "layout: the flagship's summary table has every rule once, in order, with its actions and sources" \
	lay_check "$lay_book"
expect_true "layout: the flagship has 40 or more rules (the parse sees them)" \
	sh -c "[ \$(grep -c '^rule R' '$lay_book') -ge 40 ] && [ \$(grep -c '^| R[0-9]' '$lay_book') -ge 40 ]"

# The check itself fails on a table that disagrees with the rules.
mkdir -p "$TMP/lay"
lay_first=$(head -1 "$TMP/lay_tid")
lay_second=$(sed -n 2p "$TMP/lay_tid")
# A row deleted.
grep -v "^| $lay_first |" "$lay_book" > "$TMP/lay/del.md"
lay_fails() { ! lay_check "$1" > "$TMP/lay_msg"; }
expect_true "layout: a missing row is found" lay_fails "$TMP/lay/del.md"
expect_true "layout: ... and named" grep -q "rule $lay_first: not in the table" "$TMP/lay_msg"
# A row twice.
awk -v id="$lay_first" '{ print } index($0, "| " id " |") == 1 { print }' "$lay_book" > "$TMP/lay/dup.md"
expect_true "layout: a duplicated row is found" lay_fails "$TMP/lay/dup.md"
expect_true "layout: ... and named" grep -q "$lay_first: more than once in the table" "$TMP/lay_msg"
# A row naming no rule.
sed "s/^| $lay_first |/| R99z |/" "$lay_book" > "$TMP/lay/bad.md"
expect_true "layout: a table id that is no rule is found" lay_fails "$TMP/lay/bad.md"
expect_true "layout: ... and named" grep -q "table id R99z: not a rule" "$TMP/lay_msg"
# Two rows swapped (out of reading order).
awk -v a="$lay_first" -v b="$lay_second" '
	index($0, "| " a " |") == 1 { held = $0; next }
	{ print } index($0, "| " b " |") == 1 { print held }' "$lay_book" > "$TMP/lay/swap.md"
expect_true "layout: rows out of reading order are found" lay_fails "$TMP/lay/swap.md"
# A wrong action or a wrong source.
sed "/^| $lay_first |/s/\`[a-z]*/\`monitor/" "$lay_book" > "$TMP/lay/act.md"
expect_true "layout: a wrong action is found" lay_fails "$TMP/lay/act.md"
sed "/^| $lay_first |/s/| \([A-Z_0-9, ]*\) |\$/| \1, ENDO_2011 |/" "$lay_book" > "$TMP/lay/src.md"
expect_true "layout: a wrong source is found" lay_fails "$TMP/lay/src.md"

# The book opens with the notice, how to read it, then clinical content: no
# source, input, statement, subject or rule-set declaration before the appendix.
expect_true "layout: the book opens with the notice" sh -c "sed -n 3p '$lay_book' | grep -q 'Notice'"
expect_true "layout: no declaration of sources, inputs, statements or subjects before the appendix" sh -c "
	awk '/^## Appendix/ { exit } /^(ruleset|source|input|statement|subject) / { bad = 1; print FILENAME \":\" NR \": \" \$0 }
	     END { exit bad }' '$lay_book'"
expect_true "layout: the appendix declares the inputs" sh -c "
	awk '/^## Appendix/ { on = 1 } on && /^input / { n++ } END { exit !(n >= 20) }' '$lay_book'"
expect_true "layout: the first clinical rule comes within 250 lines of the top" sh -c "
	[ \$(grep -n '^rule ' '$lay_book' | head -1 | cut -d: -f1) -le 250 ]"

# Rule ids increase in reading order (number, then letter), none twice.
expect_true "layout: rule ids increase in reading order" sh -c "
	grep '^rule R' '$lay_book' | awk '{ print \$2 }' > '$TMP/lay_ids'
	LC_ALL=C sort -u '$TMP/lay_ids' | cmp -s - '$TMP/lay_ids'"
