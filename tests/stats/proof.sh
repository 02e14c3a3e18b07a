#!/bin/sh
# proof.sh DIR N SECONDS: N times, record the shares fixture 5 runs as the
# base (A), 5 runs again (A'), and 5 runs with hot slowed down by 15%
# (B, --knob 15), each run SECONDS of its CPU time; compare A' with A and B
# with A from the saved profiles (--from-pprof --diff-base --report), the
# reports in DIR/aa-I.json and DIR/ab-I.json; then tally them
# (tests/stats/tally.py), whose verdict is the exit status. $FG and
# $SHARES name the profiler and the fixture, $FREQ the sampling frequency.
set -eu
dir=$1
n=$2
secs=$3
i=1
start=$(date +%s)
while [ "$i" -le "$n" ]; do
	for side in a c b; do
		knob=0
		[ "$side" = b ] && knob=15
		if ! "$FG" -F "$FREQ" --repeat 5 --no-summary -o "$dir/$side-$i.pb.gz" -- \
			"$SHARES" --seconds "$secs" --knob "$knob" >"$dir/rec.out" 2>"$dir/rec.err"; then
			cat "$dir/rec.err"
			exit 1
		fi
	done
	"$FG" --from-pprof "$dir/c-$i.pb.gz" --diff-base "$dir/a-$i.pb.gz" \
		--report "$dir/aa-$i.json" -o "$dir/aa.svg" >/dev/null 2>&1
	"$FG" --from-pprof "$dir/b-$i.pb.gz" --diff-base "$dir/a-$i.pb.gz" \
		--report "$dir/ab-$i.json" -o "$dir/ab.svg" >/dev/null 2>&1
	rm -f "$dir"/[abc]-"$i".pb.gz
	i=$((i + 1))
done
# the tally is kept in DIR/tally.txt for the log, whatever it says
st=0
{
	echo "$n comparisons of 5 runs a side in $(($(date +%s) - start)) s"
	python3 "$(dirname "$0")/tally.py" "$dir" || st=$?
} >"$dir/tally.txt"
cat "$dir/tally.txt"
exit "$st"
