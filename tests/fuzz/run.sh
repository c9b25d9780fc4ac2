#!/bin/sh
# tests/fuzz/run.sh: builds and runs the libFuzzer targets: the front end
# (fuzz_frontend: any bytes as a rule file) and the patient reader
# (fuzz_patient: any bytes as a patient record for the flagship rules).
#
#   sh tests/fuzz/run.sh [SECONDS]         (make fuzz; default 60 seconds)
#
# Builds build/fuzz/fuzz_frontend with clang -fsanitize=fuzzer,address,
# undefined from the sources directly (the grammar is generated afresh
# into build/fuzz/grammar, so the target never links a stale parser),
# seeds build/fuzz/corpus from rules/*.md, tests/golden/*.md,
# tests/golden/valid/*.md and tests/fuzz/seeds/*, and runs for SECONDS.
# The corpus is kept between runs.  Crashes, leaks, UB reports and
# timeouts are written to build/fuzz/crash-*, leak-*, timeout-* and make
# the script exit non-zero; reproduce one with
#   build/fuzz/fuzz_frontend build/fuzz/crash-...
#
# Environment: CLANG (default clang), FUZZ_JOBS (parallel workers, default 1).

SECS=${1:-60}
CLANG=${CLANG:-clang}
JOBS=${FUZZ_JOBS:-1}
cd "$(dirname "$0")/../.." || exit 1

OUT=build/fuzz
mkdir -p "$OUT/grammar" "$OUT/corpus" || exit 1

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
SRCS="$(ls compiler/*.c) cli/patient.c $(ls runtime/*.c) $OUT/grammar/parser.c $OUT/grammar/lexer.c"
PKGS="libgit2 jansson libcmark libutf8proc libcrypto"

for target in fuzz_frontend fuzz_patient; do
	echo "fuzz: building $OUT/$target"
	# shellcheck disable=SC2046,SC2086 # word lists on purpose
	"$CLANG" -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-fno-omit-frame-pointer -D_POSIX_C_SOURCE=200809L \
		-Iruntime/include -Icompiler -Icli -I"$OUT/grammar" $(pkg-config --cflags $PKGS) \
		-Wno-unused-function -Wno-unneeded-internal-declaration \
		-o "$OUT/$target" tests/fuzz/$target.c $SRCS $(pkg-config --libs $PKGS) || exit 1
done

# Seeds: every rule file the project has, plus hand-made odd inputs.
for f in rules/*.md tests/golden/*.md tests/golden/valid/*.md tests/fuzz/seeds/*; do
	[ -f "$f" ] || continue
	cp "$f" "$OUT/corpus/seed-$(echo "$f" | tr '/' '_')"
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
cd "$OUT" || exit 1
status=0
for target in fuzz_frontend fuzz_patient; do
	corpus=corpus
	dict=-dict=../../tests/fuzz/frontend.dict
	if [ $target = fuzz_patient ]; then
		corpus=corpus-patient
		dict=
	fi
	echo "fuzz: running $target for $SECS seconds"
	# shellcheck disable=SC2086 # dict may be empty
	./$target -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 $dict -jobs="$JOBS" -workers="$JOBS" \
		-artifact_prefix=./ -print_final_stats=1 $corpus || status=$?
	if [ $status -ne 0 ]; then
		[ "$JOBS" -gt 1 ] && tail -30 fuzz-*.log
		echo "fuzz: $target FAILED (status $status); see $OUT/crash-*, leak-*, timeout-*" >&2
		exit 1
	fi
done
echo "fuzz: no crash, leak, UB or timeout in $SECS seconds per target"
