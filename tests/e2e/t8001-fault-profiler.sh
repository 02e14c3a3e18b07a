#!/bin/sh
# Faults of the profiler itself: it gets SIGTERM (while recording, after
# recording, while writing), its output directory does not exist, its
# output disk is full or the output is not a regular file, and its ring
# buffers overflow. The fixtures work for a given amount of their own CPU
# time (milliseconds). The tests run as root and again as the unprivileged
# test user (test_expect_rec), but for those that need root to make their
# output fail (a mount, a device node).
. "$(dirname "$0")/../lib.sh"

skip_all_without_perf \
	'SIGTERM while recording: a complete graph or none, no temp file, workload ended' \
	'SIGTERM after recording: no output, no temp file, workload not left running' \
	'SIGTERM while writing the graph: no partial output, no temp file' \
	'the output directory does not exist: clear error, status 2, nothing created' \
	'standard output on a full disk (/dev/full): clear error, status 2' \
	'a full file system: clear error, status 2, no partial file' \
	'an output that is a device: written to, not replaced' \
	'an output that is a FIFO: written to, not replaced' \
	'ring buffer overflow: lost samples counted and reported, graph written' \
	'a ring smaller than one sample: no misleading "too short" error'

CHAIN=$(build_c_fixture chain gcc) || exit 1
LOOP=$(build_c_fixture loop gcc) || exit 1
THREADS=$(build_c_fixture threads gcc) || exit 1
export CHAIN LOOP THREADS

# Helpers for the bodies of this script (eval "$HELPERS").
HELPERS='
# no_temp_files DIR: no ".NAME.tmpXXXXXX" file of ours is left in DIR.
no_temp_files() {
	if ls -A "$1" | grep "\.tmp"; then
		echo "temporary files left in $1"
		return 1
	fi
}
# running NAME: our ./NAME runs (any state but zombie).
running() {
	test -n "$(own_pids "$1")"
}
# stopped NAME: our ./NAME is stopped (T) or traced (t).
stopped() {
	for p in $(own_pids "$1"); do
		st=$(sed "s/.*) //" /proc/$p/stat 2>/dev/null | cut -c1)
		case $st in T|t) return 0 ;; esac
	done
	return 1
}
# kill_leftover NAME: kill what a failed test left running, by pid.
kill_leftover() {
	for p in $(own_pids "$1"); do kill -KILL $p; done
}
'
export HELPERS

test_expect_rec 'SIGTERM while recording: a complete graph or none, no temp file, workload ended' '
	eval "$HELPERS"
	cp "$LOOP" ./fg8001-term1
	"$FG" -o out.svg --folded-output out.folded -- ./fg8001-term1 60000 >ready 2>err &
	fg=$!
	wait_ready ready $fg
	sleep 1
	kill -TERM "$fg"
	set +e
	wait "$fg"
	st=$?
	set -e
	cat err
	sleep 0.3
	if running fg8001-term1; then
		stopped fg8001-term1 && echo "the workload was left stopped"
		kill_leftover fg8001-term1
		echo "the workload was left running"
		exit 1
	fi
	no_temp_files .
	# SIGTERM ends the recording like an interruption and is passed on
	# to the workload: the graph is written, complete (status 1 when the
	# workload died of it); or nothing is, but never a part of it
	if [ -e out.svg ]; then
		case $st in 0|1) ;; *) echo "status $st, yet a graph was written"; exit 1 ;; esac
		grep -q "recording stopped by SIGTERM\|recording stopped by an interrupt" err
		xml_check out.svg
		grep -q "</svg>" out.svg
		in_order out.folded main busy_loop
	else
		test ! -e out.folded
	fi
'

test_expect_rec 'SIGTERM after recording: no output, no temp file, workload not left running' '
	# The first SIGTERM stops the recording; a second one, while the
	# stacks are being processed (here: while the post-process command
	# runs), aborts: nothing is written, and the workload (still running:
	# a first SIGTERM does not reach it) must not be left behind.
	eval "$HELPERS"
	cp "$LOOP" ./fg8001-term2
	"$FG" -o out.svg --folded-output out.folded \
		--post-process "sh -c \"touch post-started; sleep 5; cat\"" \
		-- ./fg8001-term2 60000 >ready 2>err &
	fg=$!
	wait_ready ready $fg
	sleep 1
	kill -TERM "$fg"
	while [ ! -e post-started ]; do sleep 0.05; done
	kill -TERM "$fg"
	set +e
	wait "$fg"
	st=$?
	set -e
	cat err
	echo "status $st"
	test "$st" != 0
	test ! -e out.svg
	test ! -e out.folded
	no_temp_files .
	sleep 0.5
	if running fg8001-term2; then
		for p in $(own_pids fg8001-term2); do ps -o pid,stat,args -p $p; done
		kill_leftover fg8001-term2
		echo "the workload was left running after the profiler died"
		exit 1
	fi
'

test_expect_rec 'SIGTERM while writing the graph: no partial output, no temp file' '
	# A large post-processed graph takes a while to write: as soon as the
	# temporary file appears, stop the profiler, send SIGTERM, continue.
	eval "$HELPERS"
	awk "BEGIN { for (i = 0; i < 300000; i++) printf \"big;f%d;g%d;h%d %d\n\", i % 1000, i, i * 7, 1 + i % 5 }" >"$TMP/big.folded"
	"$FG" -o out.svg --min-width 0 --post-process "sh -c \"cat; cat $TMP/big.folded\"" \
		-- "$CHAIN" 200 >/dev/null 2>err &
	fg=$!
	found=
	while kill -0 "$fg" 2>/dev/null; do
		set -- .out.svg.tmp*
		if [ -e "$1" ]; then
			kill -STOP "$fg"
			found=$1
			break
		fi
	done
	rm -f "$TMP/big.folded"
	echo "temporary file: $found"
	test -n "$found"
	test -e "$found"
	kill -TERM "$fg"
	kill -CONT "$fg"
	set +e
	wait "$fg"
	st=$?
	set -e
	echo "status $st"
	test "$st" = 143
	test ! -e out.svg
	no_temp_files .
'

test_expect_rec 'the output directory does not exist: clear error, status 2, nothing created' '
	# (the directories are checked before anything is recorded)
	exit_status "$FG" -o no-such-dir/out.svg -- "$CHAIN" 100 >out 2>err
	cat err
	grep -q "status=2" out
	grep -q "^error: cannot write .no-such-dir/out.svg.: the directory .*/no-such-dir. does not exist" err
	test ! -e no-such-dir
	exit_status "$FG" --format folded -o no-such-dir/out.folded -- "$CHAIN" 100 >out 2>err
	grep -q "status=2" out
	grep -q "^error: cannot write .no-such-dir/out.folded.: the directory .*/no-such-dir. does not exist" err
	exit_status "$FG" -o out.svg --folded-output no-such-dir/out.folded -- "$CHAIN" 100 >out 2>err
	grep -q "status=2" out
	grep -q "^error: cannot write .no-such-dir/out.folded.: the directory .*/no-such-dir. does not exist" err
	test ! -e no-such-dir
	test "$(ls -A | sort | tr "\n" " ")" = "err out "
'

test_expect_rec 'standard output on a full disk (/dev/full): clear error, status 2' '
	test -c /dev/full
	exit_status sh -c "\"$FG\" --format folded -o - -- \"$CHAIN\" 100 >/dev/full 2>err" >out
	cat err
	grep -q "status=2" out
	grep -q "^error: cannot write to standard output: No space left on device" err
	exit_status sh -c "\"$FG\" -o - -- \"$CHAIN\" 100 >/dev/full 2>err" >out
	cat err
	grep -q "status=2" out
	grep -q "^error: .*No space left on device" err
	test -c /dev/full
'

# Root only: it mounts a small tmpfs.
test_expect 'a full file system: clear error, status 2, no partial file' '
	eval "$HELPERS"
	mkdir mnt
	if ! mount -t tmpfs -o size=64k tmpfs mnt 2>mount.err; then
		cat mount.err
		echo "mount not permitted: skipped"
		exit 0
	fi
	set +e
	(
		set -e
		# 16 KB left: the writes start, then fail
		dd if=/dev/zero of=mnt/fill bs=4k count=12 2>/dev/null
		exit_status "$FG" -o mnt/out.svg -- "$CHAIN" 200 >out 2>err
		cat err
		grep -q "status=2" out
		grep -q "^error: .*No space left on device" err
		test ! -e mnt/out.svg
		no_temp_files mnt
		# no room left at all
		dd if=/dev/zero of=mnt/fill2 bs=4k 2>/dev/null || true
		exit_status "$FG" --format folded -o mnt/out.folded -- "$CHAIN" 200 >out 2>err
		cat err
		grep -q "status=2" out
		# the file as given, or as resolved to an absolute path
		grep -q "^error: cannot write .\(/.*/\)\{0,1\}mnt/out.folded.: No space left on device" err
		test ! -e mnt/out.folded
		no_temp_files mnt
	)
	st=$?
	set -e
	umount mnt
	test "$st" = 0
'

# Root only: it makes a device node.
test_expect 'an output that is a device: written to, not replaced' '
	eval "$HELPERS"
	# Our own full device (as /dev/full), so that a wrong rename cannot
	# replace the system one.
	if ! mknod ./full c 1 7 2>/dev/null || ! sh -c ": >./full" 2>/dev/null; then
		echo "cannot make a device node here: skipped"
		exit 0
	fi
	exit_status "$FG" -o ./full -- "$CHAIN" 100 >out 2>err
	cat err
	test -c ./full
	grep -q "status=2" out
	grep -q "^error: .*No space left on device" err
	exit_status "$FG" --format folded -o ./full -- "$CHAIN" 100 >out 2>err
	test -c ./full
	grep -q "status=2" out
	grep -q "^error: .*No space left on device" err
	no_temp_files .
'

test_expect_rec 'an output that is a FIFO: written to, not replaced' '
	mkfifo out.fifo
	cat out.fifo >got &
	reader=$!
	set +e
	"$FG" --format folded -o out.fifo -- "$CHAIN" 200 >/dev/null 2>err
	st=$?
	set -e
	cat err
	if [ -p out.fifo ]; then
		# a profiler that failed before opening it leaves the reader
		# waiting: a writer that comes and goes gives it its end
		if [ "$st" != 0 ] && kill -0 "$reader" 2>/dev/null; then
			timeout 5 sh -c ": >out.fifo" || kill "$reader"
		fi
		wait "$reader" || :
	else
		# the FIFO was replaced: the reader waits for ever
		kill "$reader"
		echo "out.fifo was replaced by a regular file"
		exit 1
	fi
	test "$st" = 0
	in_order got main mid leaf_a
'

test_expect_rec 'ring buffer overflow: lost samples counted and reported, graph written' '
	# 8 KB rings, 2 KB stack copies: a few samples per ring, at 20 kHz
	exit_status "$FG" --ring-kb 8 -F 20000 --call-graph dwarf,2048 -o out.svg --folded-output out.folded \
		-- "$THREADS" 300 >out 2>err
	cat err
	grep -q "status=0" out
	lost=$(sed -n "s/^recorded [0-9]* samples in [0-9.]* s, \([0-9]*\) lost.*/\1/p" err)
	check_gt "${lost:-0}" 0 "samples lost"
	grep -q "^warning: the kernel dropped $lost samples: the ring buffers filled up" err
	xml_check out.svg
	grep -q worker_alpha out.folded
	grep -q worker_beta out.folded
'

test_expect_rec 'a ring smaller than one sample: no misleading "too short" error' '
	# With the default 64000-byte stack copies an 8 KB ring cannot hold a
	# single sample: the kernel drops them all. Either the recorder makes
	# room (the graph is written, the losses reported), or it says why
	# nothing was recorded; the program was not too short.
	exit_status "$FG" --ring-kb 8 -F 20000 -o out.svg -- "$THREADS" 300 >out 2>err
	cat err
	! grep -q "too short to be sampled" err || exit 1
	if grep -q "status=0" out; then
		xml_check out.svg
	else
		grep -q "status=2\|status=64" out
		grep -q "^error: .*ring" err
		test ! -e out.svg
	fi
'

test_done
