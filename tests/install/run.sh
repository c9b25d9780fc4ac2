#!/bin/sh
# tests/install/run.sh: `make install` end to end (make install-test, part of make test).
#
#   sh tests/install/run.sh BUILD CC MAKE [LINKFLAGS]
#
# Installs into a temporary DESTDIR with PREFIX=/opt/litrule, checks the
# files, then does what docs/runtime.md tells an integrator to do, using
# only the installed tree: the installed litrule compiles a rule set to C,
# and the embedding example (runtime/examples/embed.c) is compiled against
# it with nothing but `pkg-config --cflags --libs litrule` (PKG_CONFIG_PATH
# pointing into the install), from a directory outside the repository,
# then run and its decision checked.  The tree is then moved elsewhere and
# the build repeated (litrule.pc is relocatable), and `make uninstall`
# must leave no file behind.  LINKFLAGS: the sanitizer flags the library
# was built with (make check-sanitize).  Last line "install: N passed,
# N failed"; exit status 1 on any failure.

BUILD=${1:-build}
CC=${2:-cc}
MAKE=${3:-make}
LINKFLAGS=${4:-}
cd "$(dirname "$0")/../.." || exit 1
ROOT=$(pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/litrule-install.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() {
	fail=$((fail + 1))
	echo "FAIL: $*"
}
check() {
	what=$1
	shift
	if "$@"; then ok; else bad "$what"; fi
}

# The make variables (BUILD, CC, SANITIZE...) reach this make through
# MAKEFLAGS, so it installs what the calling make built, without rebuilding.
if ! $MAKE -s --no-print-directory -C "$ROOT" BUILD="$BUILD" install \
	DESTDIR="$TMP/dest" PREFIX=/opt/litrule > "$TMP/install.log" 2>&1; then
	cat "$TMP/install.log"
	bad "make install DESTDIR=$TMP/dest PREFIX=/opt/litrule"
	echo "install: $pass passed, $fail failed"
	exit 1
fi
P=$TMP/dest/opt/litrule
check "installed: bin/litrule is executable" test -x "$P/bin/litrule"
for f in lib/liblitrule.a lib/pkgconfig/litrule.pc include/litrule.h include/litrule_table.h include/litrule_vm.h; do
	check "installed: $f" test -f "$P/$f"
done
check "litrule.pc names no build or source directory" sh -c "! grep -q -e '$ROOT' -e '$TMP' '$P/lib/pkgconfig/litrule.pc'"

# build_embed PREFIX TAG: compiles rules with PREFIX/bin/litrule, then
# embed.c against PREFIX through pkg-config alone, in $TMP/TAG.
build_embed() {
	pfx=$1
	dir=$TMP/$2
	mkdir -p "$dir"
	cp tests/codegen/all-constructs.md "$dir/"
	cp -R tests/codegen/sources "$dir/"
	cp runtime/examples/embed.c "$dir/"
	(
		cd "$dir" || exit 1
		unset PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_LIBDIR
		export PKG_CONFIG_PATH="$pfx/lib/pkgconfig"
		"$pfx/bin/litrule" build all-constructs.md -o gen > build.log 2>&1 || { cat build.log; exit 1; }
		flags=$(pkg-config --cflags --libs litrule) || exit 1
		case $flags in *"$ROOT"*) echo "pkg-config points into the repository: $flags"; exit 1 ;; esac
		# shellcheck disable=SC2086 # flags and LINKFLAGS are word lists
		$CC -std=c11 -Wall -Wextra -Werror -pedantic $LINKFLAGS -Igen -o embed embed.c gen/all_constructs.c \
			$flags > cc.log 2>&1 || { cat cc.log; exit 1; }
		./embed > out.txt 2>&1 || { cat out.txt; exit 1; }
	)
}
# expect_out TAG TEXT: the example's output has the line TEXT.
expect_out() {
	if grep -q -F -x -- "$2" "$TMP/$1/out.txt"; then ok; else
		bad "$1: embed prints no line '$2'"
		head -20 "$TMP/$1/out.txt" | sed 's/^/    /'
	fi
}

# CrCl for age 80, 72 kg, creatinine 1 mg/dL, male: (140-80)*72/(72*1) =
# 60 mL/min, the "50 to 60" row of ZolDose: 3.5 mg.
if build_embed "$P" destdir; then
	ok
	expect_out destdir "[R_zol_dose] dose: give zoledronic acid at the dose for this CrCl"
	expect_out destdir "  dose 3.5 mg intravenous"
else
	bad "the embedding example does not build or run against DESTDIR/PREFIX with pkg-config only"
fi

# Relocated: the same tree, moved, still works (prefix=${pcfiledir}/../..).
mv "$P" "$TMP/moved"
if build_embed "$TMP/moved" moved; then
	ok
	expect_out moved "  dose 3.5 mg intravenous"
else
	bad "the embedding example does not build against the moved install tree"
fi

# make uninstall removes every file make install wrote.
if $MAKE -s --no-print-directory -C "$ROOT" BUILD="$BUILD" install DESTDIR="$TMP/again" PREFIX=/usr/local \
	> "$TMP/install.log" 2>&1 &&
	$MAKE -s --no-print-directory -C "$ROOT" BUILD="$BUILD" uninstall DESTDIR="$TMP/again" PREFIX=/usr/local \
		>> "$TMP/install.log" 2>&1; then
	left=$(find "$TMP/again" -type f)
	check "make uninstall leaves no file ($left)" test -z "$left"
else
	cat "$TMP/install.log"
	bad "make install/uninstall DESTDIR=$TMP/again"
fi

echo "install: $pass passed, $fail failed"
[ "$fail" = 0 ]
