#!/bin/sh
# tests/check_abs_paths.sh: fails if any tracked file names an absolute
# home or work directory of some machine (an absolute path whose first
# component is home, work, root or Users), listing every such file and line.  Such a path is
# meaningless anywhere else and leaks a build machine's layout into the
# repository (a source text's header once named one).  A path inside a
# URL (https://host followed by such a component) is not one: the character before the
# slash must not be part of a host or a path.
#
#   sh tests/check_abs_paths.sh [REPO]      (make test runs it on .)
#
# Exits 0 when clean (or when REPO is not a git work tree: nothing is
# tracked), 1 when a file names such a path.

repo=${1:-.}
if ! git -C "$repo" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	echo "check_abs_paths: $repo is not a git work tree; skipped"
	exit 0
fi
pattern='(^|[^A-Za-z0-9._~:/%-])/(home|work|root|Users)/'
found=$(cd "$repo" && git ls-files -z | xargs -0 grep -I -n -E -- "$pattern" 2>/dev/null)
if [ -n "$found" ]; then
	echo "check_abs_paths: tracked files name an absolute home or work path:"
	printf '%s\n' "$found" | cut -c1-200 | sed 's/^/  /'
	echo "check_abs_paths: name the document and a repository-relative path instead"
	exit 1
fi
echo "check_abs_paths: no absolute home or work paths in tracked files"
exit 0
