#!/bin/sh
# Run each libFuzzer target for SECONDS seconds on a scratch copy of its
# seed corpus (tests/fuzz/corpus/<target>/; new inputs stay in the scratch
# directory, never in the repository), one target at a time.
#
#	tests/fuzz/run-fuzz.sh SECONDS [TARGET...]
#
# Prints one line per target: the executions and "ok" or "CRASH" with the
# reproducer's path (crashes, leaks, timeouts and out-of-memory all
# count). Exits 1 when a target crashed (its scratch directory is kept,
# with the log), 2 on usage errors or missing binaries.
# Environment: FUZZ_BIN (directory of the fuzz-<target> binaries,
# default build-fuzz/fuzz), FUZZ_SCRATCH (where scratch directories go,
# default $TMPDIR or /tmp), FUZZ_ARGS (more libFuzzer options).

SRC=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${FUZZ_BIN:-build-fuzz/fuzz}
case $BIN in /*) ;; *) BIN=$SRC/$BIN ;; esac

if [ $# -lt 1 ] || ! [ "$1" -gt 0 ] 2>/dev/null; then
	echo "usage: tests/fuzz/run-fuzz.sh SECONDS [TARGET...]" >&2
	exit 2
fi
seconds=$1
shift
if [ $# -eq 0 ]; then
	set -- $(cd "$SRC/tests/fuzz" && ls fuzz-*.c | sed -e 's/^fuzz-//' -e 's/\.c$//' |
		grep -v '^util$')
fi

scratch=$(mktemp -d "${FUZZ_SCRATCH:-${TMPDIR:-/tmp}}/fg-fuzz.XXXXXX") || exit 2
crashed=0
total=0
for t in "$@"; do
	bin=$BIN/fuzz-$t
	if [ ! -x "$bin" ]; then
		echo "$t: no binary $bin (make fuzz-build)" >&2
		exit 2
	fi
	dir=$scratch/$t
	mkdir -p "$dir/corpus"
	if [ -d "$SRC/tests/fuzz/corpus/$t" ]; then
		cp -R "$SRC/tests/fuzz/corpus/$t/." "$dir/corpus/"
	fi
	dict=
	if [ -f "$SRC/tests/fuzz/dict/$t.dict" ]; then
		dict=-dict=$SRC/tests/fuzz/dict/$t.dict
	fi
	# stdin from /dev/null: parsers may be led to open /proc/self/fd/0
	(cd "$dir" && ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
		UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
		"$bin" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$dir/" $dict ${FUZZ_ARGS:-} \
		corpus </dev/null >"$dir/log" 2>&1)
	st=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n 1)
	if [ -z "$execs" ]; then
		execs=$(sed -n 's/^#\([0-9]*\).*/\1/p' "$dir/log" | tail -n 1)
	fi
	execs=${execs:-0}
	total=$((total + execs))
	repro=$(ls "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-* 2>/dev/null | head -n 1)
	if [ "$st" -ne 0 ] || [ -n "$repro" ]; then
		crashed=1
		echo "$t: $execs executions in ${seconds}s: CRASH (status $st)"
		echo "    reproducer: ${repro:-none written}"
		echo "    log: $dir/log"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz: )|runtime error' "$dir/log" |
			head -n 5 | sed 's/^/    /'
	else
		echo "$t: $execs executions in ${seconds}s: ok"
		rm -rf "$dir"
	fi
done
echo "total: $total executions"
if [ "$crashed" -ne 0 ]; then
	echo "crashes found; scratch directory kept: $scratch"
	exit 1
fi
rm -rf "$scratch"
exit 0
