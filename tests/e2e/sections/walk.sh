# tests/e2e/sections/walk.sh: the directory walk and unusual paths.
# Sourced by tests/e2e/run.sh.  Symbolic-link loops must end, every *.md
# entry that is not read must be named, and a FIFO must never block:
# every command here runs under `timeout` so a regression fails instead
# of hanging the suite.

W=$TMP/walk
mkdir -p "$W/r/sub"
printf '```rule\nsource G "G"\ninput age: number in years, from 0 to 130 "age"\nrule Old "old"\n  when age > 65\n  then monitor "falls"\n  cite G at "p1" quote "q"\n```\n' > "$W/r/a.md"

# Two links to '.' and one to '..': the walk ends, a.md is read once.
ln -s . "$W/r/loop1"
ln -s . "$W/r/loop2"
ln -s .. "$W/r/sub/up"
run timeout 20 "$LITRULE" check "$W/r"
expect_status 0 "symlink loops: check ends, no error"
expect_grep err "warning: '.*/r/loop1' is the directory '.*/r' again" "symlink loop: the second way in is a warning"
expect_grep err "warning: '.*/r/sub/up' is the directory '.*/r' again" "link to '..': a warning"
expect_grep err "^0 errors, 3 warnings" "symlink loops: no duplicate declarations"

# A second link to the same file: read once, both paths named.
ln -s a.md "$W/r/b.md"
run timeout 20 "$LITRULE" check "$W/r"
expect_status 0 "two names for one file"
expect_grep err "warning: '.*/r/b.md' is the same file as '.*/r/a.md'; it is read once" "two names for one file: a warning naming both"
# The same file named twice on the command line.
run timeout 20 "$LITRULE" check "$W/r/a.md" "$W/r/a.md"
expect_status 0 "a file named twice"
expect_grep err "warning: '.*/r/a.md' is named twice; it is read once" "a file named twice: a warning"
rm -f "$W/r/b.md"

# A dangling *.md link: an error naming it.
ln -s nowhere.md "$W/r/dangling.md"
run timeout 20 "$LITRULE" check "$W/r"
expect_status 1 "dangling *.md link"
expect_grep err "error: '.*/r/dangling.md' is a symbolic link to nothing" "dangling *.md link: named"
rm -f "$W/r/dangling.md"

# A FIFO named *.md inside the directory: refused, not opened, not blocking.
if mkfifo "$W/r/pipe.md" 2>/dev/null; then
	run timeout 10 "$LITRULE" check "$W/r"
	expect_status 1 "FIFO *.md in a directory"
	expect_grep err "error: '.*/r/pipe.md' is a FIFO (named pipe), not a rule file" "FIFO in a directory: named"
	# The same FIFO named on the command line: refused without blocking.
	run timeout 10 "$LITRULE" check "$W/r/pipe.md"
	expect_status 1 "FIFO named as a path"
	expect_grep err "cannot read '.*/r/pipe.md': it is a FIFO" "FIFO as a path: refused"
	rm -f "$W/r/pipe.md"
fi

# A directory deeper than the limit (32 levels): an error, not a silent skip.
d=$W/deep
i=0
while [ $i -lt 34 ]; do
	d=$d/d
	i=$((i + 1))
done
mkdir -p "$d"
cp "$W/r/a.md" "$d/x.md"
run timeout 20 "$LITRULE" check "$W/deep"
expect_status 1 "file below the depth limit"
expect_grep err "error: '.*/deep/d/d.*' is more than 32 directories deep; its files are not read" "depth limit: named"

# Dot entries are skipped on purpose (.git and the like), without a word.
mkdir -p "$W/dots/.hidden"
cp "$W/r/a.md" "$W/dots/a.md"
printf 'not rules\n```rule\nbroken (\n```\n' > "$W/dots/.hidden/x.md"
run timeout 20 "$LITRULE" check "$W/dots"
expect_status 0 "dot directories are skipped"
expect_empty err "dot directories: no message"

# A source text that is a FIFO: refused without blocking (sema checks the
# type first; src_load checks the opened descriptor as well).
mkdir -p "$W/src/sources"
if mkfifo "$W/src/sources/text.txt" 2>/dev/null; then
	printf '```rule\nsource G "G"\n  text "sources/text.txt"\ninput age: number in years, from 0 to 130 "age"\nrule Old "old"\n  when age > 65\n  then monitor "falls"\n  cite G at "p1" quote "q"\n```\n' > "$W/src/a.md"
	run timeout 10 "$LITRULE" check "$W/src/a.md"
	expect_status 1 "source text that is a FIFO"
	expect_grep err "not a regular file\|it is a FIFO" "source text that is a FIFO: refused, named"
	rm -f "$W/src/sources/text.txt"
fi
