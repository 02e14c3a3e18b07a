#!/bin/sh
# make bench: performance figures, each printed with its target.
#
# Inputs are generated deterministically (bench/gen-bench-input.c) into a
# scratch directory (FG_BENCH_DIR, default a temporary directory removed at
# the end). Each figure is the best of FG_BENCH_RUNS runs (default 3).
set -eu

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${FG_BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$SRC/$BUILD ;; esac
FG=$BUILD/bin/flamegraph
GEN=$BUILD/bin/gen-bench-input
MEASURE=$BUILD/bin/measure
RUNS=${FG_BENCH_RUNS:-3}
if [ -n "${FG_BENCH_DIR:-}" ]; then
	DIR=$FG_BENCH_DIR
	mkdir -p "$DIR"
else
	DIR=$(mktemp -d "${TMPDIR:-/tmp}/fg-bench.XXXXXX")
	trap 'rm -rf "$DIR"' EXIT
fi

# best FIELD CMD...: run CMD $RUNS times under measure, print the smallest
# wall_ms / cpu_ms and the largest maxrss_kb as "wall cpu rss".
best() {
	bw= bc= br=0
	i=0
	while [ $i -lt "$RUNS" ]; do
		"$MEASURE" -o "$DIR/m" "$@" || { echo "bench: command failed: $*" >&2; exit 1; }
		set -- "$@"
		w=$(sed 's/.*wall_ms=\([0-9.]*\).*/\1/' "$DIR/m")
		c=$(sed 's/.*cpu_ms=\([0-9.]*\).*/\1/' "$DIR/m")
		r=$(sed 's/.*maxrss_kb=\([0-9]*\).*/\1/' "$DIR/m")
		if [ -z "$bw" ] || awk "BEGIN{exit !($w < $bw)}"; then bw=$w; fi
		if [ -z "$bc" ] || awk "BEGIN{exit !($c < $bc)}"; then bc=$c; fi
		[ "$r" -gt "$br" ] && br=$r
		i=$((i + 1))
	done
	echo "$bw $bc $br"
}

verdict() {
	# verdict VALUE OP TARGET
	if awk "BEGIN{exit !($1 $2 $3)}"; then echo "met"; else echo "MISSED"; fi
}

echo "flamegraph benchmarks ($(nproc) cores, best of $RUNS runs)"
echo

# 1. perf-script collapse throughput (single-threaded by construction).
"$GEN" perf-script 60 >"$DIR/bench.perf"
"$GEN" perf-script 180 >"$DIR/bench3.perf"
size=$(wc -c <"$DIR/bench.perf")
size3=$(wc -c <"$DIR/bench3.perf")
set -- $(best -- taskset -c 0 "$FG" --from-perf-script "$DIR/bench.perf" --format folded -o "$DIR/out.folded")
cw=$1 crss=$3
mbs=$(awk "BEGIN{printf \"%.0f\", $size / 1048576 / ($cw / 1000)}")
set -- $(best -- taskset -c 0 "$FG" --from-perf-script "$DIR/bench3.perf" --format folded -o "$DIR/out3.folded")
crss3=$3
distinct=$(wc -l <"$DIR/out.folded")
distinct3=$(wc -l <"$DIR/out3.folded")
printf 'collapse perf script: %s MB in %s ms = %s MB/s on one core (target >= 500 MB/s: %s)\n' \
	"$(awk "BEGIN{printf \"%.1f\", $size/1048576}")" "$cw" "$mbs" "$(verdict "$mbs" '>=' 500)"
printf '  peak RSS: %s KB for %s MB (%s distinct stacks), %s KB for %s MB (%s distinct stacks)\n' \
	"$crss" "$(awk "BEGIN{printf \"%.0f\", $size/1048576}")" "$distinct" \
	"$crss3" "$(awk "BEGIN{printf \"%.0f\", $size3/1048576}")" "$distinct3"
printf '  memory follows distinct stacks, not input size: 3x the input -> %sx the RSS\n' \
	"$(awk "BEGIN{printf \"%.2f\", $crss3 / $crss}")"

# 2. Rendering folded stacks.
for n in 10000 100000; do
	"$GEN" folded $n >"$DIR/f$n.folded"
	set -- $(best -- "$FG" --from-folded "$DIR/f$n.folded" -o "$DIR/f$n.svg")
	rw=$1 rrss=$3
	frames=$(grep -c '^<g>\|<g><title>' "$DIR/f$n.svg" || true)
	frames=$(grep -o '<g><title>' "$DIR/f$n.svg" | wc -l)
	bytes=$(wc -c <"$DIR/f$n.svg")
	bpf=$(awk "BEGIN{printf \"%.0f\", $bytes / ($frames > 0 ? $frames : 1)}")
	if [ $n = 100000 ]; then
		tgt=" (target <= 150 ms: $(verdict "$rw" '<=' 150))"
	else
		tgt=
	fi
	printf 'render %s distinct stacks: %s ms (parse + render + write)%s\n' "$n" "$rw" "$tgt"
	printf '  %s frames drawn, %s bytes, %s bytes per frame; peak RSS %s KB\n' \
		"$frames" "$bytes" "$bpf" "$rrss"
done
