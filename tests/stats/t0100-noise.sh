#!/bin/sh
# The proof that a comparison of repeated runs tells a change from noise
# (make check-stats, which CI runs): the shares fixture (hot 20% of its CPU
# time, work0..work7 10% each) recorded 5 runs a side, 20 times over
# (tests/stats/proof.sh):
#
#   A/A  the program against itself: at most 1 of the 20 comparisons may
#        flag anything (the false-alarm rate is at most 5%);
#   A/B  hot slowed down by 15% (--knob 15) against the program: hot
#        flagged as grown in at least 19 of the 20, never with the wrong
#        sign, and no other function flagged in more than 1 of the 20.
#
# As root and as the unprivileged test user, on a quiet machine and with
# the other core kept busy by a loop of our own. FG_STATS_N=N makes N
# comparisons instead of 20 (a quick look, not the proof).
. "$(dirname "$0")/../lib.sh"

skip_all_without_perf \
	'A/A and A/B, 20 comparisons each' \
	'A/A and A/B, 20 comparisons each, the other core busy'

SHARES=$(build_c_fixture shares gcc) || exit 1
N=${FG_STATS_N:-20}
# 2500 samples a run: at 997 Hz (500 a run) the noise of a busy virtual
# machine hid hot's 2.3 points in 2 of 20 comparisons
SECONDS_A_RUN=0.5
FREQ=4999
export SHARES N SECONDS_A_RUN FREQ

# busy CPU: a loop of our own on the last CPU, for the tests that say so
BUSY=
busy_start() {
	cpu=$(($(nproc) - 1))
	taskset -c "$cpu" sh -c 'while :; do :; done' &
	BUSY=$!
}
busy_stop() {
	[ -z "$BUSY" ] || kill "$BUSY" 2>/dev/null || true
	[ -z "$BUSY" ] || wait "$BUSY" 2>/dev/null || true
	BUSY=
}
trap 'busy_stop; rm -rf "$TMP_ROOT"' EXIT

test_expect_rec 'A/A and A/B, 20 comparisons each' '
	sh "$SRC/tests/stats/proof.sh" "$TMP" "$N" "$SECONDS_A_RUN"
'

busy_start
test_expect_rec 'A/A and A/B, 20 comparisons each, the other core busy' '
	sh "$SRC/tests/stats/proof.sh" "$TMP" "$N" "$SECONDS_A_RUN"
'
busy_stop

# the figures of every proof, passed or not, for the log
for f in "$TMP_ROOT"/*/tally.txt; do
	[ -f "$f" ] && sed "s/^/# $(basename "$(dirname "$f")"): /" "$f"
done
test_done
