#!/bin/sh
# tests/fuzz/replay.sh: replays the fuzz seeds and saved reproducers
# through the whole-pipeline and generator targets built without
# libFuzzer (make fuzz-replay, part of make test).
#
#   sh tests/fuzz/replay.sh BUILD
#
# BUILD/tests/fuzz_replay_pipeline reads every rule file the fuzzer is
# seeded with and tests/fuzz/regressions/pipeline/*.md;
# BUILD/tests/fuzz_replay_gen reads tests/fuzz/seeds-gen/* and
# tests/fuzz/regressions/gen/*.bin.  A violated invariant aborts (and a
# hang is stopped after 60 seconds): the script then fails.  Reproducers
# of defects not fixed yet wait in tests/fuzz/regressions/open/, which is
# not replayed.  The rule file generated from each generator seed must
# also pass `litrule check`.  Runs in a scratch directory holding the stored source
# texts that seeds cite (sources/...).

BUILD=${1:-build}
cd "$(dirname "$0")/../.." || exit 1
ROOT=$(pwd)
case $BUILD in
/*) ;;
*) BUILD=$ROOT/$BUILD ;;
esac
TMP=${TMPDIR:-/tmp}/litrule-fuzz-replay.$$
mkdir -p "$TMP/sources" || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM
cp tests/golden/sources/* tests/codegen/sources/* "$TMP/sources/" || exit 1

pipeline_files=
for f in rules/*.md tests/golden/*.md tests/golden/valid/*.md tests/codegen/all-constructs.md \
	tests/fuzz/seeds/* tests/fuzz/regressions/pipeline/*.md; do
	[ -f "$f" ] && pipeline_files="$pipeline_files $ROOT/$f"
done
gen_files=
for f in tests/fuzz/seeds-gen/* tests/fuzz/regressions/gen/*.bin; do
	[ -f "$f" ] && gen_files="$gen_files $ROOT/$f"
done

status=0
cd "$TMP" || exit 1
echo "fuzz-replay: pipeline"
# shellcheck disable=SC2086 # file lists on purpose
timeout 60 "$BUILD/tests/fuzz_replay_pipeline" -v $pipeline_files || status=1
echo "fuzz-replay: verify"
# shellcheck disable=SC2086
timeout 120 "$BUILD/tests/fuzz_replay_verify" -v $pipeline_files || status=1
if [ -n "$gen_files" ]; then
	echo "fuzz-replay: generator"
	# shellcheck disable=SC2086
	timeout 60 "$BUILD/tests/fuzz_replay_gen" -v $gen_files || status=1
fi
# The generator must keep writing rule files that check clean: its seeds
# are chosen to (else lowering and evaluation are not reached).
for f in $gen_files; do
	case $f in */seeds-gen/*) ;; *) continue ;; esac
	FZG_DUMP="$TMP/gen.md" "$BUILD/tests/fuzz_replay_gen" "$f" > /dev/null 2>&1
	if ! "$BUILD/litrule" check "$TMP/gen.md" > /dev/null 2>&1; then
		echo "fuzz-replay: the rule file generated from $f does not check clean:" >&2
		"$BUILD/litrule" check "$TMP/gen.md" 2>&1 | head -5 >&2
		status=1
	fi
done
[ $status = 0 ] || echo "fuzz-replay: FAILED" >&2
exit $status
