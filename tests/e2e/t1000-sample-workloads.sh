#!/bin/sh
# The native recorder on the workloads users run: threads, child processes,
# exec, failing and crashing programs, running processes (-p), durations,
# interruptions, events, and the diagnostics when something is off.
#
# The fixtures work for a given amount of their own CPU time (their
# argument, in milliseconds), so the sample counts do not depend on the
# machine's speed or load. Every test runs as root and again as the
# unprivileged test user (test_expect_rec).
. "$(dirname "$0")/../lib.sh"

skip_all_without_perf \
	'threads: both workers sampled, stacks reach the thread start' \
	'fork: the child process is followed' \
	'exec: a wrapper that execs gets the new program frames' \
	'--include-pid and --include-tid roots' \
	'a panicking program still gets its flamegraph, exit status 1' \
	'--ignore-status makes a failing workload exit 0' \
	'a program killed by a signal: graph written, message says so' \
	'-p attaches to a running process, --duration stops' \
	'--duration ends a command that runs longer' \
	'SIGINT stops recording and the graph is still written' \
	'-e page-faults and task-clock sample; a missing PMU is explained' \
	'a program too short to be sampled gets a clear error' \
	'a command that does not exist' \
	'a pid that does not exist' \
	'--verbose tells what is recorded'

CHAIN=$(build_c_fixture chain gcc) || exit 1
THREADS=$(build_c_fixture threads gcc) || exit 1
FORKER=$(build_c_fixture forker gcc) || exit 1
LOOP=$(build_c_fixture loop gcc) || exit 1
REL=$(build_crate chain release) || exit 1
export CHAIN THREADS FORKER LOOP REL

test_expect_rec 'threads: both workers sampled, stacks reach the thread start' '
	# each worker works for 400 ms of its own CPU time: a 50/50 split
	# (at least 25% each: under valgrind lost samples skew it)
	"$FG" --format folded -o out.folded -- "$THREADS" 400 >/dev/null 2>err
	no_loss err
	enough_samples out.folded 800 "2 workers of 400 ms"
	share_ge worker_alpha out.folded 25
	share_ge worker_beta out.folded 25
	grep -E "(start_thread|clone3?);worker_alpha" out.folded
	grep -E "(start_thread|clone3?);worker_beta" out.folded
'

test_expect_rec 'fork: the child process is followed' '
	# parent and child work for 400 ms of CPU time each: a 50/50 split
	# (at least 25% each: under valgrind lost samples skew it)
	"$FG" --format folded -o out.folded -- "$FORKER" 400 >/dev/null 2>err
	no_loss err
	in_order out.folded main child_work spin
	in_order out.folded main parent_work spin
	enough_samples out.folded 800 "2 processes of 400 ms"
	share_ge child_work out.folded 25
	share_ge parent_work out.folded 25
'

test_expect_rec 'exec: a wrapper that execs gets the new program frames' '
	"$FG" --format folded -o out.folded -- sh -c "exec \"$CHAIN\" 300" >/dev/null 2>err
	no_loss err
	name=$(basename "$CHAIN" | cut -c1-15)
	grep -q "^$name;.*main;mid;leaf_a" out.folded
'

test_expect_rec '--include-pid and --include-tid roots' '
	"$FG" --include-pid --format folded -o pid.folded -- "$CHAIN" 200 >/dev/null 2>err
	grep -qE "^chain-gcc-[0-9]+;" pid.folded
	"$FG" --include-tid --format folded -o tid.folded -- "$THREADS" 200 >/dev/null 2>err
	check_ge "$(cut -d";" -f1 tid.folded | grep -E "^threads-gcc-[0-9]+/[0-9]+$" | sort -u | wc -l)" 2 \
		"threads-gcc-PID/TID roots"
'

test_expect_rec 'a panicking program still gets its flamegraph, exit status 1' '
	exit_status "$FG" -o out.svg --folded-output out.folded -- "$REL/chain" 300 panic >out 2>err
	no_loss err
	grep -q "status=1" out
	grep -q "exited with code 101" err
	xml_check out.svg
	in_order out.folded chain::main chain::run chain::outer
'

test_expect_rec '--ignore-status makes a failing workload exit 0' '
	"$FG" --ignore-status -o out.svg -- "$REL/chain" 200 panic >/dev/null 2>err
	grep -q "exited with code 101" err
	xml_check out.svg
'

test_expect_rec 'a program killed by a signal: graph written, message says so' '
	exit_status "$FG" -o out.svg -- sh -c "\"$CHAIN\" 300; kill -SEGV \$\$" >out 2>err
	grep -q "status=1" out
	grep -q "killed by signal 11" err
	xml_check out.svg
'

test_expect_rec '-p attaches to a running process, --duration stops' '
	"$LOOP" 30000 >ready &
	pid=$!
	trap "kill $pid 2>/dev/null || :" EXIT
	while [ ! -s ready ]; do sleep 0.05; done
	t0=$(date +%s%N)
	c0=$(cpu_ms "$pid")
	"$FG" -p "$pid" --duration 1 --format folded -o out.folded >/dev/null 2>err
	c1=$(cpu_ms "$pid")
	t1=$(date +%s%N)
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	grep -q "recording stopped after 1 s" err
	no_loss err
	in_order out.folded main busy_loop
	# One thread for 1 s at 997 Hz: about 997 samples at most, and one
	# per millisecond of CPU time it got in that second, however busy the
	# machine: about its share of a CPU while flamegraph ran, which also
	# covers flamegraph starting and ending.
	pct=$((100 * (c1 - c0) / ((t1 - t0) / 1000000)))
	echo "the loop had $pct% of a CPU while flamegraph ran"
	check_le "$(total out.folded)" 1300 "samples of one thread in 1 s"
	enough_samples out.folded $((10 * pct)) "1 s of a loop with $pct% of a CPU"
'

test_expect_rec '--duration ends a command that runs longer' '
	start=$(date +%s)
	"$FG" --duration 1 --format folded -o out.folded -- "$LOOP" 60000 >/dev/null 2>err
	end=$(date +%s)
	check_le $((end - start)) 10 "seconds taken by --duration 1"
	in_order out.folded main busy_loop
	if pgrep -f "$LOOP 60000"; then echo "the command was left running"; exit 1; fi
'

test_expect_rec 'SIGINT stops recording and the graph is still written' '
	"$FG" -o out.svg --folded-output out.folded -- "$LOOP" 60000 >/dev/null 2>err &
	fg=$!
	sleep 1.5
	kill -INT "$fg"
	wait "$fg"
	xml_check out.svg
	in_order out.folded main busy_loop
	grep -q "recording stopped by an interrupt" err
	sleep 0.2
	if pgrep -f "$LOOP 60000"; then echo "the command was left running"; exit 1; fi
'

test_expect_rec '-e page-faults and task-clock sample; a missing PMU is explained' '
	"$FG" -e page-faults --format folded -o pf.folded -- "$REL/chain" 50 >/dev/null 2>err
	test -s pf.folded
	"$FG" -e task-clock --format folded -o tc.folded -- "$CHAIN" 300 >/dev/null 2>err
	enough_samples tc.folded 300
	in_order tc.folded main mid leaf_a
	if exit_status "$FG" -e cycles --format folded -o cy.folded -- "$CHAIN" 100 >out 2>err &&
	   grep -q "status=2" out; then
		grep -q "event .cycles. is not supported on this machine" err
	fi
	exit_status "$FG" -e bogus -- "$CHAIN" >out 2>err
	grep -q "status=64" out
'

test_expect_rec 'a program too short to be sampled gets a clear error' '
	exit_status "$FG" -F 1 -o out.svg -- true >out 2>err
	grep -q "status=2" out
	grep -q "no samples were recorded" err
	grep -q "raise the frequency with -F" err
	test ! -e out.svg
'

test_expect_rec 'a command that does not exist' '
	exit_status "$FG" -o out.svg -- ./no-such-program >out 2>err
	grep -q "status=2" out
	grep -q "cannot run .\./no-such-program.: No such file or directory" err
	test ! -e out.svg
'

test_expect_rec 'a pid that does not exist' '
	exit_status "$FG" -p 999999999 -o out.svg >out 2>err
	grep -q "status=64\|status=2" out
	exit_status "$FG" -p 4194303 -o out.svg >out 2>err
	grep -q "status=2" out
	grep -q "process 4194303 does not exist" err
	exit_status "$FG" -p 12,x >out 2>err
	grep -q "status=64" out
'

test_expect_rec '--verbose tells what is recorded' '
	"$FG" -v -o out.svg -- "$CHAIN" 200 >/dev/null 2>err
	grep -q "recording cpu-clock at 997 Hz, DWARF stacks" err
	grep -q "distinct stacks" err
'

test_done
