#!/bin/sh
# The native recorder on the workloads users run: threads, child processes,
# exec, failing and crashing programs, running processes (-p), durations,
# interruptions, events, and the diagnostics when something is off.
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

test_expect 'threads: both workers sampled, stacks reach the thread start' '
	"$FG" --format folded -o out.folded -- "$THREADS" 400 >/dev/null 2>err
	a=$(share worker_alpha out.folded)
	b=$(share worker_beta out.folded)
	echo "alpha $a% beta $b%"
	test "$a" -ge 25
	test "$b" -ge 25
	grep -E "(start_thread|clone3?);worker_alpha" out.folded
	grep -E "(start_thread|clone3?);worker_beta" out.folded
'

test_expect 'fork: the child process is followed' '
	"$FG" --format folded -o out.folded -- "$FORKER" 3000 >/dev/null 2>err
	in_order out.folded main child_work spin
	in_order out.folded main parent_work spin
	test "$(share child_work out.folded)" -ge 25
'

test_expect 'exec: a wrapper that execs gets the new program frames' '
	"$FG" --format folded -o out.folded -- sh -c "exec \"$CHAIN\" 800" >/dev/null 2>err
	name=$(basename "$CHAIN" | cut -c1-15)
	grep -q "^$name;.*main;mid;leaf_a" out.folded
'

test_expect '--include-pid and --include-tid roots' '
	"$FG" --include-pid --format folded -o pid.folded -- "$CHAIN" 300 >/dev/null 2>err
	grep -qE "^chain-gcc-[0-9]+;" pid.folded
	"$FG" --include-tid --format folded -o tid.folded -- "$THREADS" 200 >/dev/null 2>err
	test "$(cut -d";" -f1 tid.folded | grep -E "^threads-gcc-[0-9]+/[0-9]+$" | sort -u | wc -l)" -ge 2
'

test_expect 'a panicking program still gets its flamegraph, exit status 1' '
	exit_status "$FG" -o out.svg --folded-output out.folded -- "$REL/chain" 400 panic >out 2>err
	grep -q "status=1" out
	grep -q "exited with code 101" err
	xml_check out.svg
	in_order out.folded chain::main chain::run chain::outer
'

test_expect '--ignore-status makes a failing workload exit 0' '
	"$FG" --ignore-status -o out.svg -- "$REL/chain" 300 panic >/dev/null 2>err
	grep -q "exited with code 101" err
	xml_check out.svg
'

test_expect 'a program killed by a signal: graph written, message says so' '
	exit_status "$FG" -o out.svg -- sh -c "\"$CHAIN\" 600; kill -SEGV \$\$" >out 2>err
	grep -q "status=1" out
	grep -q "killed by signal 11" err
	xml_check out.svg
'

test_expect '-p attaches to a running process, --duration stops' '
	"$LOOP" 30 >ready &
	pid=$!
	while [ ! -s ready ]; do sleep 0.05; done
	"$FG" -p "$pid" --duration 1 --format folded -o out.folded >/dev/null 2>err
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	grep -q "recording stopped after 1 s" err
	in_order out.folded main busy_loop
	total=$(awk "{t += \$NF} END {print t}" out.folded)
	echo "samples: $total"
	test "$total" -ge 500
	test "$total" -le 1300
'

test_expect '--duration ends a command that runs longer' '
	start=$(date +%s)
	"$FG" --duration 1 --format folded -o out.folded -- "$LOOP" 60 >/dev/null 2>err
	end=$(date +%s)
	test $((end - start)) -le 10
	in_order out.folded main busy_loop
	if pgrep -f "$LOOP 60"; then exit 1; fi
'

test_expect 'SIGINT stops recording and the graph is still written' '
	"$FG" -o out.svg --folded-output out.folded -- "$LOOP" 60 >/dev/null 2>err &
	fg=$!
	sleep 1.5
	kill -INT "$fg"
	wait "$fg"
	xml_check out.svg
	in_order out.folded main busy_loop
	grep -q "recording stopped by an interrupt" err
	sleep 0.2
	if pgrep -f "$LOOP 60"; then exit 1; fi
'

test_expect '-e page-faults and task-clock sample; a missing PMU is explained' '
	"$FG" -e page-faults --format folded -o pf.folded -- "$REL/chain" 50 >/dev/null 2>err
	test -s pf.folded
	"$FG" -e task-clock --format folded -o tc.folded -- "$CHAIN" 300 >/dev/null 2>err
	in_order tc.folded main mid leaf_a
	if exit_status "$FG" -e cycles --format folded -o cy.folded -- "$CHAIN" 100 >out 2>err &&
	   grep -q "status=2" out; then
		grep -q "event .cycles. is not supported on this machine" err
	fi
	exit_status "$FG" -e bogus -- "$CHAIN" >out 2>err
	grep -q "status=64" out
'

test_expect 'a program too short to be sampled gets a clear error' '
	exit_status "$FG" -F 1 -o out.svg -- true >out 2>err
	grep -q "status=2" out
	grep -q "no samples were recorded" err
	grep -q "raise the frequency with -F" err
	test ! -e out.svg
'

test_expect 'a command that does not exist' '
	exit_status "$FG" -o out.svg -- ./no-such-program >out 2>err
	grep -q "status=2" out
	grep -q "cannot run .\./no-such-program.: No such file or directory" err
	test ! -e out.svg
'

test_expect 'a pid that does not exist' '
	exit_status "$FG" -p 999999999 -o out.svg >out 2>err
	grep -q "status=64\|status=2" out
	exit_status "$FG" -p 4194303 -o out.svg >out 2>err
	grep -q "status=2" out
	grep -q "process 4194303 does not exist" err
	exit_status "$FG" -p 12,x >out 2>err
	grep -q "status=64" out
'

test_expect '--verbose tells what is recorded' '
	"$FG" -v -o out.svg -- "$CHAIN" 200 >/dev/null 2>err
	grep -q "recording cpu-clock at 997 Hz, DWARF stacks" err
	grep -q "distinct stacks" err
'

test_done
