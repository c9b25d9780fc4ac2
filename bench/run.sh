#!/bin/sh
# bench/run.sh: speed figures.       sh bench/run.sh BUILD   (make bench)
#
# A sequence of independent sections, each headed "== name" and ending
# with its figures.  Add a section at the end; keep each one self-contained
# (its own temporary files under $WORK) so sections can be run and read
# separately.  Exits 1 if a section fails.

BUILD=${1:-build}
CC=${CC:-cc}
cd "$(dirname "$0")/.." || exit 1
WORK=$BUILD/bench
mkdir -p "$WORK" || exit 1
LITRULE=$BUILD/litrule
failed=0

# Helpers shared by the sections.
# BENCH_SECTIONS="eval batch" runs only the sections named (all by default).
want() {
	[ -z "${BENCH_SECTIONS:-}" ] && return 0
	case " $BENCH_SECTIONS " in *" $1 "*) return 0 ;; esac
	return 1
}
"$CC" -std=c11 -O2 -Wall -Wextra -o "$WORK/timeit" bench/timeit.c || exit 1

# ---- section: check ------------------------------------------------------
# Times `litrule check` (whole front end: scan, parse, Markdown pass,
# semantic checks) on a generated file of N rules that uses every
# construct; best of 5 runs.
section_check() {
	n=${BENCH_RULES:-10000}
	echo "== check: $n generated rules, best of 5"
	"$CC" -std=c11 -O2 -Wall -Wextra -o "$WORK/gen_rules" bench/gen_rules.c || return 1
	"$WORK/gen_rules" "$n" > "$WORK/rules.md" || return 1
	# The benchmark only means something if the file checks clean.
	if ! "$LITRULE" check --werror "$WORK/rules.md" > /dev/null 2> "$WORK/check.err"; then
		echo "check: the generated file does not check clean:" >&2
		head -20 "$WORK/check.err" >&2
		return 1
	fi
	bytes=$(wc -c < "$WORK/rules.md")
	secs=$("$WORK/timeit" 5 "$LITRULE" check "$WORK/rules.md") || return 1
	awk -v n="$n" -v s="$secs" -v b="$bytes" 'BEGIN {
		printf "check: %d rules (%.1f MB) in %.3f s: %.0f rules/second\n", n, b / 1e6, s, n / s }'
}
! want check || section_check || failed=1

# ---- section: evaluation vs hand-written reference -------------------------
# Times the generated table of the flagship rule book, through lr_eval and
# through its typed API (rules_input, rules_eval: compact decisions),
# against bench/reference_mm.c, the same 48 rules written by hand in C
# (what the hardware can do), producing the same outputs: the actions,
# their doses and due dates, and the list of missing inputs with the rule
# that first needed each.  bench_eval first checks on 4096 random
# patients that the reference decides what the interpreter decides and
# that the native evaluator agrees with the interpreter (actions, missing
# inputs, errors), then times each, best of 3, and fails if the runtime
# allocated on the heap while timed.  BENCH_EVALS sets the count;
# BENCH_SECTIONS=eval runs only this section.
section_eval() {
	n=${BENCH_EVALS:-5000000}
	gen=$BUILD/bench-gen
	echo "== evaluation vs hand-written reference: rules/, $n evaluations, best of 3"
	mkdir -p "$gen" || return 1
	# --name fixes the file and symbol names (rules.c, lr_ruleset_rules).
	"$LITRULE" build --name=rules rules/ -o "$gen" || return 1
	# -D_POSIX_C_SOURCE on the command line: -include rules.h pulls in the
	# libc headers before bench_eval.c defines it, which would hide
	# clock_gettime under -std=c11.
	"$CC" -std=c11 -O2 -Wall -Wextra -Werror -pedantic -D_POSIX_C_SOURCE=200809L \
		-include "$gen/rules.h" -DRULESET=lr_ruleset_rules -DRULESET_NAME=rules -Iruntime/include -Ibench \
		-o "$WORK/bench_eval" bench/bench_eval.c bench/reference_mm.c "$gen/rules.c" \
		"$BUILD/liblitrule.a" -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free || return 1
	if ! "$WORK/bench_eval" "$n" > "$WORK/eval.out"; then
		cat "$WORK/eval.out"
		echo "evaluation: bench_eval failed (disagreement or heap allocation)" >&2
		return 1
	fi
	cat "$WORK/eval.out"
	# The targets: 5 M evaluations/s for the table, within 2x of the reference.
	awk '/^table \+ runtime:/ { gsub(/,/, ""); rate = $(NF - 2) + 0 }
	     /^ratio table\/reference:/ { r = $NF; sub(/x$/, "", r); ratio = r + 0 }
	     /^ratio typed\/reference:/ { r = $NF; sub(/x$/, "", r); tratio = r + 0 }
	     END { printf "targets: >= 5 M evaluations/s: %s (%.2f); table/reference <= 2x: %s (%.2fx); typed/reference <= 1.5x: %s (%.2fx)\n",
	                  (rate >= 5) ? "met" : "NOT met", rate, (ratio <= 2) ? "met" : "NOT met", ratio,
	                  (tratio <= 1.5) ? "met" : "NOT met", tratio }' "$WORK/eval.out"
}
! want eval || section_eval || failed=1

# ---- section: batch evaluation ----------------------------------------------
# Times `litrule eval --rules rules/ --jsonl` (docs/eval.md) over realistic
# generated patients (bench/gen_patients_mm.c, about 400 bytes a line)
# against `jq -c .` on the same file in the same run (skipped when jq is
# absent): the compact form with --jobs 1 and 2 (target: at least 5 times
# jq's lines per second) and the full form (at least 2 times).  Rates are
# given by wall time and by CPU time (user + system; on a shared machine
# the wall time carries other processes' load).  bench/peakrss gives the
# peak RSS, which must not grow from a tenth of the file to all of it;
# bench/malloc_count.c (LD_PRELOAD) counts heap allocations per patient
# (target: at most 1).  BENCH_PATIENTS sets the count (default 1,000,000).
batch_run() { # batch_run LABEL FILE COMMAND...: one timed run; "LABEL|N|wall|cpu|rss" into $WORK/batch.fig
	label=$1 f=$2
	shift 2
	count=$(wc -l < "$f" | tr -d " ")
	if ! "$WORK/peakrss" "$@" < "$f" > /dev/null 2> "$WORK/batch.err"; then
		tail -5 "$WORK/batch.err" >&2
		echo "batch: $label failed on $f" >&2
		return 1
	fi
	grep '^peak_rss_kib=' "$WORK/batch.err" | tr '=' ' ' | awk -v c="$count" -v l="$label" '{
		printf "batch: %-22s %8d lines: %6.2f s wall (%7.0f lines/s), %6.2f s CPU (%7.0f lines/s), peak RSS %d KiB\n",
		       l, c, $4, c / ($4 > 0 ? $4 : 1e-9), $6, c / ($6 > 0 ? $6 : 1e-9), $2
		print l "|" c "|" $4 "|" $6 "|" $2 >> "'"$WORK/batch.fig"'" }'
}
section_batch() {
	n=${BENCH_PATIENTS:-1000000}
	tenth=$((n / 10))
	big=$BUILD/bench-patients.jsonl
	echo "== batch: litrule eval --jsonl over $n patients"
	"$CC" -std=c11 -O2 -Wall -Wextra -Werror -pedantic -o "$WORK/gen_patients_mm" bench/gen_patients_mm.c || return 1
	"$CC" -std=c11 -O2 -Wall -Wextra -Werror -pedantic -o "$WORK/peakrss" bench/peakrss.c || return 1
	"$CC" -shared -fPIC -O2 -Wall -Wextra -o "$WORK/malloc_count.so" bench/malloc_count.c || return 1
	"$WORK/gen_patients_mm" 1 "$n" > "$big" || return 1
	head -n "$tenth" "$big" > "$WORK/patients-tenth.jsonl" || return 1
	: > "$WORK/patients-none.jsonl"
	: > "$WORK/batch.fig"
	# A bad patient would make eval exit 1: the generator must stay in range.
	batch_run start-up "$WORK/patients-none.jsonl" "$LITRULE" eval --rules rules/ --jsonl || return 1
	if command -v jq > /dev/null 2>&1; then
		batch_run "jq -c ." "$big" jq -c . || return 1
	else
		echo "batch: jq not found: the comparison with jq is skipped"
	fi
	for f in "$WORK/patients-tenth.jsonl" "$big"; do
		batch_run "compact --jobs 1" "$f" "$LITRULE" eval --rules rules/ --jsonl --output compact || return 1
		batch_run "compact --jobs 2" "$f" "$LITRULE" eval --rules rules/ --jsonl --output compact --jobs 2 || return 1
		batch_run "full" "$f" "$LITRULE" eval --rules rules/ --jsonl || return 1
	done
	# Allocations per patient: a tenth of the file against none.
	for f in none tenth; do
		MALLOC_COUNT_OUT="$WORK/allocs.$f" LD_PRELOAD="$WORK/malloc_count.so" \
			"$LITRULE" eval --rules rules/ --jsonl --output compact < "$WORK/patients-$f.jsonl" > /dev/null 2>&1
		MALLOC_COUNT_OUT="$WORK/allocs-full.$f" LD_PRELOAD="$WORK/malloc_count.so" \
			"$LITRULE" eval --rules rules/ --jsonl < "$WORK/patients-$f.jsonl" > /dev/null 2>&1
	done
	awk -F'|' -v t="$tenth" -v n="$n" '
	FILENAME ~ /allocs\.none$/ { split($0, a, "="); c0 = a[2]; next }
	FILENAME ~ /allocs\.tenth$/ { split($0, a, "="); c1 = a[2]; next }
	FILENAME ~ /allocs-full\.none$/ { split($0, a, "="); f0 = a[2]; next }
	FILENAME ~ /allocs-full\.tenth$/ { split($0, a, "="); f1 = a[2]; next }
	{ wall[$1 "|" $2] = $3; cpu[$1 "|" $2] = $4; rss[$1 "|" $2] = $5 }
	END {
		ok = 1
		pc = (c1 - c0) / (t > 0 ? t : 1); pf = (f1 - f0) / (t > 0 ? t : 1)
		printf "batch: heap allocations per patient: compact %.3f, full %.3f (target <= 1): %s\n", pc, pf,
		       (pc <= 1 && pf <= 1) ? "met" : "NOT met"
		if (pc > 1 || pf > 1) ok = 0
		split("compact --jobs 1|compact --jobs 2|full", modes, "|")
		for (m = 1; m <= 3; m++) {
			r1 = rss[modes[m] "|" t]; r2 = rss[modes[m] "|" n]
			flat = r2 + 0 <= (r1 + 0) * 1.05 + 1024
			printf "batch: %s: peak RSS %d KiB for %d patients, %d KiB for %d: %s\n", modes[m], r1, t, r2, n,
			       flat ? "flat" : "GROWS with patient count"
			if (!flat) ok = 0
		}
		jw = wall["jq -c .|" n]; jc = cpu["jq -c .|" n]
		if (jw > 0) {
			split("compact --jobs 1:5|compact --jobs 2:5|full:2", goals, "|")
			for (m = 1; m <= 3; m++) {
				split(goals[m], g, ":")
				rw = jw / wall[g[1] "|" n]; rc = jc / cpu[g[1] "|" n]
				printf "batch: %s vs jq -c .: %.1fx by wall time, %.1fx by CPU time (target >= %dx): %s\n",
				       g[1], rw, rc, g[2], (rw >= g[2]) ? "met" : "NOT met"
			}
		}
		exit !ok }' "$WORK/allocs.none" "$WORK/allocs.tenth" "$WORK/allocs-full.none" "$WORK/allocs-full.tenth" "$WORK/batch.fig"
}
! want batch || section_batch || failed=1

# ---- section: semantic diff -------------------------------------------------
# Times `litrule diff --patients 10000` between two commits of a scratch
# repository holding the flagship and a copy with one threshold moved
# (crcl >= 30 -> >= 35), best of 3; target under 5 s on one core.
section_diff() {
	r=$WORK/diffrepo
	echo "== diff: litrule diff over 10,000 generated patients, best of 3"
	rm -rf "$r" && mkdir -p "$r" && cp -R rules "$r/rules" || return 1
	g() { git -C "$r" -c user.name=bench -c user.email=bench@example.org -c commit.gpgsign=false "$@"; }
	{ g init -q && g add -A && g commit -q -m a; } || return 1
	sed -i "s/crcl >= 30$/crcl >= 35/" "$r/rules/mm-bone-protection.md" && g commit -q -a -m b || return 1
	"$LITRULE" diff --repo "$r" --patients 10000 HEAD~1 HEAD > "$WORK/diff.out" || return 1
	secs=$("$WORK/timeit" 3 "$LITRULE" diff --repo "$r" --patients 10000 HEAD~1 HEAD) || return 1
	grep "^Outcomes:" "$WORK/diff.out" | sed "s/^/diff: /"
	awk -v s="$secs" 'BEGIN { printf "diff: %.3f s (target < 5 s: %s)\n", s, s < 5 ? "met" : "NOT met"; exit !(s < 5) }'
}
! want diff || section_diff || failed=1

# audit: the flagship with this repository's full history, in a clone (the
# report goes onto the clone's refs/litrule/audit, never this checkout's).
# Each timed run deletes the ref first, so it writes a whole first report.
section_audit() {
	r=$WORK/auditrepo
	echo "== audit: litrule audit of rules/ with the full history, best of 3"
	if [ "$(git rev-parse --is-shallow-repository 2>/dev/null)" = true ]; then
		echo "audit: skipped: this checkout is a shallow clone (audit needs full history)"
		return 0
	fi
	rm -rf "$r" && git clone -q --no-local . "$r" || return 1
	echo "audit: $(git -C "$r" rev-list --count HEAD) commits"
	cat > "$WORK/audit-once.sh" <<EOS
git -C "$r" update-ref -d refs/litrule/audit 2>/dev/null
exec "$LITRULE" audit --repo "$r" rules > /dev/null
EOS
	secs=$("$WORK/timeit" 3 sh "$WORK/audit-once.sh") || return 1
	awk -v s="$secs" 'BEGIN { printf "audit: %.3f s (target < 5 s: %s)\n", s, s < 5 ? "met" : "NOT met"; exit !(s < 5) }' || return 1
	secs=$("$WORK/timeit" 3 "$LITRULE" audit verify --repo "$r") || return 1
	awk -v s="$secs" 'BEGIN { printf "audit verify (one report): %.3f s\n", s }'
}
! want audit || section_audit || failed=1

# ---- section: verify --------------------------------------------------------
# Times `litrule verify` (the front end, lowering, then every analysis of
# the check table, whatever it holds today) on one core (taskset -c 0 when
# available), best of BENCH_VERIFY_RUNS (3), on rule sets written by
# bench/gen_verify.py: BENCH_VERIFY_RULES (10,000) rules in one large
# guideline, with the issue's 100 tables, and with 64 (the table capacity
# the runtime once had; since issue 12 both lower, so every analysis runs
# on both).  Action
# subjects and `overrides` are generated when this litrule accepts them (a
# probe file).  Findings are fine (verify exits 1); a crash, a hang or a
# generated set that does not check clean fails the section.  Target:
# under 10 s on one core.
section_verify() {
	n=${BENCH_VERIFY_RULES:-10000}
	runs=${BENCH_VERIFY_RUNS:-3}
	echo "== verify: litrule verify on generated $n-rule sets, one core, best of $runs"
	pin=""
	if command -v taskset > /dev/null 2>&1 && taskset -c 0 true 2> /dev/null; then
		pin="taskset -c 0"
	else
		echo "verify: taskset not available: not pinned to one core"
	fi
	cat > "$WORK/verify-probe.md" <<'EOP'
```rule
source G "probe"
input x: number in mg, from 0 to 10 "x"
subject d "a drug"
rule A "a"
  when x > 1
  then hold d "hold"
  cite G at "1" quote "q"
rule B "b"
  when x > 2
  then dose d 1 mg oral "dose"
  overrides A
  cite G at "2" quote "q"
```
EOP
	subjects=no
	"$LITRULE" check "$WORK/verify-probe.md" > /dev/null 2>&1 && subjects=yes
	echo "verify: action subjects and overrides generated: $subjects"
	# Findings make verify exit 1; only a crash or a usage error fails.
	cat > "$WORK/verify-once.sh" <<'EOS'
"$@" > /dev/null 2>&1
[ $? -le 1 ]
EOS
	for tables in 100 64; do
		f=$WORK/verify-$tables.md
		gsecs=$("$WORK/timeit" 1 python3 bench/gen_verify.py --rules "$n" --tables "$tables" --subjects "$subjects") || return 1
		python3 bench/gen_verify.py --rules "$n" --tables "$tables" --subjects "$subjects" > "$f" || return 1
		if ! "$LITRULE" check --werror "$f" > /dev/null 2> "$WORK/verify.err"; then
			echo "verify: the generated file does not check clean:" >&2
			head -20 "$WORK/verify.err" >&2
			return 1
		fi
		# shellcheck disable=SC2086
		$pin "$LITRULE" verify "$f" > /dev/null 2> "$WORK/verify.err"
		st=$?
		if [ "$st" -gt 1 ]; then
			tail -5 "$WORK/verify.err" >&2
			echo "verify: litrule verify failed with status $st on $f" >&2
			return 1
		fi
		# shellcheck disable=SC2086
		secs=$("$WORK/timeit" "$runs" $pin sh "$WORK/verify-once.sh" "$LITRULE" verify "$f") || return 1
		bytes=$(wc -c < "$f")
		awk -v n="$n" -v t="$tables" -v s="$secs" -v g="$gsecs" -v b="$bytes" 'BEGIN {
			printf "verify: %d rules, %d tables (%.1f MB, generated in %.2f s): %.3f s (target < 10 s: %s)\n",
			       n, t, b / 1e6, g, s, s < 10 ? "met" : "NOT met" }'
		grep '^verify: check ' "$WORK/verify.err" | sed 's/^verify: /verify:   summary: /'
		if grep -q 'the runtime holds at most' "$WORK/verify.err"; then
			echo "verify:   not lowered: $(grep -o 'this rule set has .*' "$WORK/verify.err" | head -1)"
		fi
	done
}
! want verify || section_verify || failed=1

# ---- section: scale ---------------------------------------------------------
# The project's 10,000-rule benchmark file (bench/gen_rules.c; 10,000
# inputs, 4,000 lets, 1,000 tables, 1,000 schedules: past every capacity
# the runtime had before issue 12) through the whole chain: `litrule
# check` and `litrule build` (best of 3), the generated C's size, `gcc -O2
# -c` of it (wall time, peak memory by bench/peakrss), then BENCH_SCALE_
# PATIENTS (200) generated patients evaluated through the compiled table
# by tests/caps/caps_main.c, which also checks that the interpreter,
# lr_eval_scratch and the typed struct agree on each.  Targets (issue 12):
# check < 0.5 s, build < 1 s, compile < 10 s and < 500 MB.
section_scale() {
	n=${BENCH_SCALE_RULES:-10000}
	np=${BENCH_SCALE_PATIENTS:-200}
	sd=$WORK/scale
	echo "== scale: $n generated rules: check, build, gcc -O2, evaluation of $np patients"
	mkdir -p "$sd" || return 1
	"$CC" -std=c11 -O2 -Wall -Wextra -o "$sd/gen_rules" bench/gen_rules.c || return 1
	"$CC" -std=c11 -O2 -Wall -Wextra -Werror -pedantic -o "$sd/peakrss" bench/peakrss.c || return 1
	"$sd/gen_rules" "$n" > "$sd/scale.md" || return 1
	if ! "$LITRULE" check "$sd/scale.md" > /dev/null 2> "$sd/check.err"; then
		head -5 "$sd/check.err" >&2
		echo "scale: the generated file does not check clean" >&2
		return 1
	fi
	csecs=$("$WORK/timeit" 3 "$LITRULE" check "$sd/scale.md") || return 1
	bsecs=$("$WORK/timeit" 3 "$LITRULE" build "$sd/scale.md" -o "$sd") || return 1
	cbytes=$(wc -c < "$sd/scale.c")
	hbytes=$(wc -c < "$sd/scale.h")
	"$sd/peakrss" "$CC" -O2 -c -Iruntime/include -I"$sd" -o "$sd/scale.o" "$sd/scale.c" 2> "$sd/cc.err" || {
		tail -5 "$sd/cc.err" >&2
		echo "scale: the generated C does not compile" >&2
		return 1
	}
	ccs=$(sed -n 's/.*wall_s=\([0-9.]*\).*/\1/p' "$sd/cc.err")
	cckib=$(sed -n 's/.*peak_rss_kib=\([0-9]*\).*/\1/p' "$sd/cc.err")
	"$CC" -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Wall -Wextra -Werror -pedantic -Iruntime/include -I"$sd" \
		-DRULESET=lr_ruleset_scale -DTYPED=scale -include "$sd/scale.h" -o "$sd/caps_main" \
		tests/caps/caps_main.c "$sd/scale.o" "$BUILD/liblitrule.a" || return 1
	if ! "$sd/caps_main" bench "$np" > "$sd/eval.out"; then
		cat "$sd/eval.out"
		echo "scale: the evaluations disagree" >&2
		return 1
	fi
	scratch=$(sed -n 's/^#define LR_RULESET_SCALE_SCRATCH_BYTES \([0-9]*\)u$/\1/p' "$sd/scale.h")
	awk -v n="$n" -v c="$csecs" -v b="$bsecs" -v cb="$cbytes" -v hb="$hbytes" -v cc="$ccs" -v kib="$cckib" \
	    -v sc="$scratch" -v ev="$(cat "$sd/eval.out")" 'BEGIN {
		split(ev, e, " ")
		printf "scale: check %.3f s, build %.3f s; generated C %.1f MB (+ %.1f MB header)\n", c, b, cb / 1e6, hb / 1e6
		printf "scale: gcc -O2 -c %.2f s, peak %.0f MB; scratch %.1f MB per evaluation\n", cc, kib / 1024, sc / 1048576
		printf "scale: evaluation %s us/patient (%s patients, %s actions and %s missing inputs each, 3 ways agree)\n",
		       e[4], e[2], e[6], e[8]
		printf "targets: check < 0.5 s: %s; build < 1 s: %s; gcc -O2 < 10 s: %s; < 500 MB: %s\n",
		       c < 0.5 ? "met" : "NOT met", b < 1 ? "met" : "NOT met", cc < 10 ? "met" : "NOT met",
		       kib < 500 * 1024 ? "met" : "NOT met" }'
}
! want scale || section_scale || failed=1

exit $failed
