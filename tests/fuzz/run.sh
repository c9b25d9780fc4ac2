#!/bin/sh
# tests/fuzz/run.sh: builds and runs the libFuzzer targets: the front end
# (fuzz_frontend: any bytes as a rule file), the patient reader
# (fuzz_patient: any bytes as a patient record for the flagship rules),
# the whole pipeline (fuzz_pipeline: any bytes as a rule file, up to 1 MB,
# through the front end, lowering, C generation, evaluation and weave) and the
# generator (fuzz_gen: bytes as the choices that write a rule file from
# grammar fragments, then the same pipeline) and verify's analyses
# (fuzz_verify: any bytes as a rule file, through every analysis of
# `litrule verify`, the solver ones in process with a 200 ms limit).
#
#   sh tests/fuzz/run.sh [SECONDS] [TARGET...]   (make fuzz; default 60 seconds)
#
# Builds build/fuzz/TARGET with clang -fsanitize=fuzzer,address,undefined
# from the sources directly (the grammar is generated afresh into
# build/fuzz/grammar, so a target never links a stale parser), seeds a
# corpus per target (rule files: rules/*.md, tests/golden/*.md,
# tests/golden/valid/*.md, tests/codegen/all-constructs.md and
# tests/fuzz/seeds/*; patients: examples/patients/*.json; generator
# choices: tests/fuzz/seeds-gen/*), and runs each target for SECONDS, one
# after the other.  Corpora are kept between runs.  Crashes, leaks, UB
# reports, timeouts (-timeout=10) and out-of-memory (-rss_limit_mb=2048)
# are written to build/fuzz/crash-*, leak-*, timeout-*, oom-* and make the
# script exit non-zero; reproduce one with
#   (cd build/fuzz && ./fuzz_pipeline crash-...)
# and, for fuzz_gen, see the rule file it wrote with FZG_DUMP=file.md.
#
# Environment: CLANG (default clang), FUZZ_JOBS (parallel workers,
# default 1), FUZZ_TARGETS (targets to run when none is named; default
# all four), FZG_MAX_LET_CHAIN and FZG_SMALL_COUNTS (narrow fuzz_gen past
# known defects; see tests/fuzz/fuzz_gen.c), FUZZ_CFLAGS (extra compiler
# flags, e.g. -fno-sanitize=pointer-overflow to get past a known finding).

SECS=${1:-60}
[ $# -gt 0 ] && shift
TARGETS=${*:-${FUZZ_TARGETS:-fuzz_frontend fuzz_patient fuzz_pipeline fuzz_gen fuzz_verify}}
CLANG=${CLANG:-clang}
JOBS=${FUZZ_JOBS:-1}
cd "$(dirname "$0")/../.." || exit 1

OUT=build/fuzz
mkdir -p "$OUT/grammar" "$OUT/corpus" "$OUT/corpus-pipeline" "$OUT/corpus-gen" || exit 1
for target in $TARGETS; do
	case $target in
	fuzz_frontend | fuzz_patient | fuzz_pipeline | fuzz_gen | fuzz_verify) ;;
	*)
		echo "fuzz: unknown target '$target'" >&2
		exit 2
		;;
	esac
done

if ! command -v "$CLANG" > /dev/null 2>&1; then
	echo "fuzz: $CLANG not found; libFuzzer needs clang" >&2
	exit 1
fi

echo "fuzz: generating the grammar"
bison -Wall -Werror --defines="$OUT/grammar/parser.h" -o "$OUT/grammar/parser.c" grammar/parser.y || exit 1
flex --header-file="$OUT/grammar/lexer.h" -o "$OUT/grammar/lexer.c" grammar/lexer.l || exit 1

# The front end and everything it links: the compiler (the pipeline), the
# patient reader from cli/ (not the commands), the runtime, and the
# generated grammar.
SRCS="$(ls compiler/*.c) cli/patient.c cli/eval_text.c cli/jsonin.c cli/eb_print.c $(ls runtime/*.c) $OUT/grammar/parser.c $OUT/grammar/lexer.c"
PKGS="libgit2 jansson libcmark-gfm libutf8proc libcrypto z3"

for target in $TARGETS; do
	extra=
	case $target in
	fuzz_pipeline | fuzz_gen | fuzz_verify) extra=tests/fuzz/pipeline.c ;;
	esac
	echo "fuzz: building $OUT/$target"
	# shellcheck disable=SC2046,SC2086 # word lists on purpose
	"$CLANG" -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-fno-omit-frame-pointer -D_POSIX_C_SOURCE=200809L \
		-Iruntime/include -Icompiler -Icli -Itests/fuzz -I"$OUT/grammar" $(pkg-config --cflags $PKGS) \
		-Wno-unused-function -Wno-unneeded-internal-declaration ${FUZZ_CFLAGS:-} \
		-o "$OUT/$target" tests/fuzz/$target.c $extra $SRCS $(pkg-config --libs $PKGS) || exit 1
done

# Seeds: every rule file the project has, plus hand-made odd inputs.
for f in rules/*.md tests/golden/*.md tests/golden/valid/*.md tests/codegen/all-constructs.md tests/fuzz/seeds/*; do
	[ -f "$f" ] || continue
	cp "$f" "$OUT/corpus/seed-$(echo "$f" | tr '/' '_')"
	cp "$f" "$OUT/corpus-pipeline/seed-$(echo "$f" | tr '/' '_')"
done
for f in tests/fuzz/seeds-gen/*; do
	[ -f "$f" ] && cp "$f" "$OUT/corpus-gen/seed-$(basename "$f")"
done

# Patient seeds: the sample patients and some odd records.
mkdir -p "$OUT/corpus-patient" || exit 1
for f in examples/patients/*.json; do
	[ -f "$f" ] && cp "$f" "$OUT/corpus-patient/seed-$(basename "$f")"
done
printf '%s' '{"calcium_mg_dl":"1e5","today":"2024-02-30","agent":7}' > "$OUT/corpus-patient/seed-odd1"
printf '%s' '{"age_years":68,"weight_kg":72,"scr_mg_dl":1.2,"sex":"male","agent":"zoledronic_acid"}' \
	> "$OUT/corpus-patient/seed-cg60"

# Seeds cite stored texts at paths relative to the rule file (fuzz.md, so
# the working directory): run in $OUT with a copy of the golden sources.
# libFuzzer's -jobs writes fuzz-N.log there too, not in the source tree.
rm -rf "$OUT/sources"
cp -R tests/golden/sources "$OUT/sources" || exit 1
cp tests/codegen/sources/* "$OUT/sources/" || exit 1
cd "$OUT" || exit 1
status=0
for target in $TARGETS; do
	corpus=corpus
	dict=-dict=../../tests/fuzz/frontend.dict
	maxlen=65536
	case $target in
	fuzz_patient)
		corpus="corpus-patient"
		dict=
		;;
	fuzz_pipeline)
		corpus="corpus-pipeline"
		maxlen=1048576
		;;
	fuzz_verify)
		corpus="corpus-pipeline"
		;;
	fuzz_gen)
		corpus="corpus-gen"
		dict=
		maxlen=1048576
		;;
	esac
	echo "fuzz: running $target for $SECS seconds"
	# shellcheck disable=SC2086 # dict may be empty
	./$target -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
		-max_len=$maxlen $dict -jobs="$JOBS" -workers="$JOBS" \
		-artifact_prefix=./ -print_final_stats=1 $corpus || status=$?
	if [ $status -ne 0 ]; then
		[ "$JOBS" -gt 1 ] && tail -30 fuzz-*.log
		echo "fuzz: $target FAILED (status $status); see $OUT/crash-*, leak-*, timeout-*, oom-*" >&2
		exit 1
	fi
done
echo "fuzz: no crash, leak, UB, timeout or out-of-memory in $SECS seconds per target"
