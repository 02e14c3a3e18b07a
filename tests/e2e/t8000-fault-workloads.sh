#!/bin/sh
# Faults of the profiled workload: it crashes, is killed, spawns many
# processes and threads, execs, dlopen()s, runs code from anonymous memory,
# recurses deeper than the stack copy, or its binary is deleted while it runs.
# The fixtures work for a given amount of their own CPU time (milliseconds),
# so the sample counts do not depend on the machine's speed or load. Every
# test runs as root and again as the unprivileged test user
# (test_expect_rec).
. "$(dirname "$0")/../lib.sh"

skip_all_without_perf \
	'a segfaulting workload: graph written, status 1, killed by signal 11' \
	'a workload killed with SIGKILL: graph written, status 1, signal 9' \
	'50 children and 200 threads: every one followed, no crash' \
	'exec of another program: its frames under its own name' \
	'dlopen after start: frames of the library function by name' \
	'code in anonymous executable memory: [anon] frame, callers resolve' \
	'recursion deeper than the stack copy: graph written, truncation counted' \
	'binary deleted while it runs (-- CMD): real names' \
	'binary deleted before attaching (-p): no crash, a graph, named frames'

CHAIN=$(build_c_fixture chain gcc) || exit 1
LOOP=$(build_c_fixture loop gcc) || exit 1
SEGV=$(build_c_fixture segv gcc) || exit 1
SPAWNER=$(build_c_fixture spawner gcc) || exit 1
EXECER=$(build_c_fixture execer gcc) || exit 1
DLOPENER=$(build_c_fixture dlopener gcc) || exit 1
ANONEXEC=$(build_c_fixture anonexec gcc) || exit 1
DEEPREC=$(build_c_fixture deeprec gcc) || exit 1
export CHAIN LOOP SEGV SPAWNER EXECER DLOPENER ANONEXEC DEEPREC

test_expect_rec 'a segfaulting workload: graph written, status 1, killed by signal 11' '
	ulimit -c 0
	exit_status "$FG" -o out.svg --folded-output out.folded -- "$SEGV" 500 >out 2>err
	cat err
	grep -q "status=1" out
	grep -q "the profiled command was killed by signal 11 (Segmentation fault)" err
	xml_check out.svg
	in_order out.folded main segv_work
	enough_samples out.folded 500
	share_ge segv_work out.folded 50
	# the run and the status are reported, nothing else is left behind
	test "$(ls -A | sort | tr "\n" " ")" = "err out out.folded out.svg "
'

test_expect_rec 'a workload killed with SIGKILL: graph written, status 1, signal 9' '
	cp "$LOOP" ./fg8000-sigkill
	"$FG" -o out.svg --folded-output out.folded -- ./fg8000-sigkill 60000 >ready 2>err &
	fg=$!
	wait_ready ready $fg
	sleep 1
	pid=$(own_pids fg8000-sigkill)
	test -n "$pid"
	kill -KILL $pid
	set +e
	wait "$fg"
	st=$?
	set -e
	cat err
	test "$st" = 1
	grep -q "the profiled command was killed by signal 9 (Killed)" err
	xml_check out.svg
	in_order out.folded main busy_loop
	test -z "$(own_pids fg8000-sigkill)"
'

test_expect_rec '50 children and 200 threads: every one followed, no crash' '
	# The workload runs at nice 19 so that, on a small machine, its 250
	# runnable tasks do not starve the recorder (samples would be lost).
	# Each child works for 40 ms of its own CPU time, each thread 20 ms.
	start=$(date +%s)
	exit_status "$FG" --include-tid --format folded -o out.folded -- \
		nice -n 19 "$SPAWNER" 50 200 40 20 >out 2>err
	end=$(date +%s)
	grep -v "^ " err
	grep -q "status=0" out
	grep -q "50 children, 200 threads, 0 failed" out
	check_le $((end - start)) 120 "seconds taken by 6 s of CPU time"
	children=$(grep spawned_child_work out.folded | cut -d";" -f1 | cut -d/ -f1 | sort -u | wc -l)
	threads=$(grep spawned_thread_work out.folded | cut -d";" -f1 | sort -u | wc -l)
	echo "children seen: $children, threads seen: $threads"
	in_order out.folded main spawned_child_work spawner_spin
	grep -qE "(start_thread|clone3?);spawned_thread_work;spawner_spin" out.folded
	# at 997 Hz, 40 ms and 20 ms of CPU time are about 40 and 20 samples:
	# every child and every thread is sampled unless samples were dropped
	if grep -q " lost" err; then
		if not_under_sanitizers "how many were seen, most samples being lost"; then
			check_ge "$children" 45 "children seen (samples were lost)"
			check_ge "$threads" 180 "threads seen (samples were lost)"
		fi
	else
		check_eq "$children" 50 "children seen"
		check_eq "$threads" 200 "threads seen"
	fi
	# 2 s of the children, 4 s of the threads: a third and two thirds
	if ! grep -q " lost" err || not_under_sanitizers "the shares, most samples being lost"; then
		share_ge spawned_child_work out.folded 15
		share_ge spawned_thread_work out.folded 30
	fi
'

test_expect_rec 'exec of another program: its frames under its own name' '
	cp "$CHAIN" ./fg8000-newprog
	# half the run in each program: 500 ms of CPU time each
	"$FG" --format folded -o out.folded -- "$EXECER" 500 ./fg8000-newprog 500 >/dev/null 2>err
	cut -c1-160 out.folded
	# before the exec: the first program, rooted at its name
	grep -q "^execer-gcc;.*main;execer_work [0-9]*$" out.folded
	# after it: the new program, rooted at its own name, with its own frames
	# (under the sanitizers the kernel may drop the samples of a phase)
	if not_under_sanitizers "that the new program was sampled"; then
		grep -q "^fg8000-newprog;.*main;mid;leaf_a [0-9]*$" out.folded
	fi
	! grep -q "^execer-gcc;.*leaf_a" out.folded || exit 1
	! grep -q "^fg8000-newprog;.*execer_work" out.folded || exit 1
	share_ge "fg8000-newprog;" out.folded 25
	share_ge "execer-gcc;" out.folded 25
'

test_expect_rec 'dlopen after start: frames of the library function by name' '
	gcc -O2 -g -shared -fPIC -o libfgplugin.so "$SRC/tests/fixtures/c/plugin.c"
	# 200 ms of CPU time in host_work, then 800 ms in the library
	"$FG" --format folded -o out.folded -- "$DLOPENER" "$PWD/libfgplugin.so" 800 >/dev/null 2>err
	cat err
	in_order out.folded main host_work
	in_order out.folded main call_plugin plugin_hot_function plugin_inner_loop
	# (80% and 20%)
	share_ge plugin_inner_loop out.folded 40
	share_ge host_work out.folded 5
	! grep -q "\[libfgplugin.so\]" out.folded || exit 1
'

test_expect_rec 'code in anonymous executable memory: [anon] frame, callers resolve' '
	exit_status "$FG" --format folded -o out.folded -- "$ANONEXEC" 500 >out 2>err
	if grep -q "x86-64 only" err; then echo "not x86-64: nothing to check"; exit 0; fi
	cat err
	grep -q "status=0" out
	# the anonymous code has no name: [anon] or [unknown] (as perf), never a
	# symbol of some file; its callers are unwound through it
	grep -qE "^anonexec-gcc;.*main;call_anon_code;\[(anon|unknown)[^;]*\] [0-9]+$" out.folded
	share_ge "call_anon_code;[" out.folded 50
	# (above call_anon_code itself only the clock it reads between calls)
	if grep "call_anon_code;[a-z_]" out.folded | grep -v "call_anon_code;thread_cpu_ms[; ]"; then
		echo "the anonymous code was named after a symbol"
		exit 1
	fi
'

test_expect_rec 'recursion deeper than the stack copy: graph written, truncation counted' '
	exit_status "$FG" -o out.svg --folded-output out.folded -- "$DEEPREC" 100000 1000 >out 2>err
	cat err
	grep -q "status=0" out
	xml_check out.svg
	line=$(grep -o "[0-9]* of [0-9]* stacks unwound to the end" err)
	n=${line%% of *}
	m=${line#* of }
	m=${m%% *}
	echo "unwound to the end: $n of $m"
	# 1000 ms of CPU time in deep_bottom: about 1000 samples
	check_ge "$m" 250 "stacks unwound (a quarter of 1000 ms at 997 Hz)"
	# the samples in deep_bottom are 100000 frames deep: none reaches main
	check_lt $((n * 2)) "$m" "twice the stacks unwound to the end, of all"
	share_ge deep_bottom out.folded 50
	! grep "deep_bottom" out.folded | grep -q ";main;" || exit 1
	# they are cut, not garbage: a long run of deep_recurse ending in deep_bottom
	grep "deep_bottom" out.folded | awk -F";" "{ if (NF < 200) exit 1 }"
	grep -q "^deeprec-gcc;deep_recurse;deep_recurse;.*;deep_recurse;deep_bottom [0-9]*$" out.folded
'

test_expect_rec 'binary deleted while it runs (-- CMD): real names' '
	# the file is read when it is mapped, before it is deleted
	cp "$LOOP" ./fg8000-deleted
	"$FG" --format folded -o out.folded -- ./fg8000-deleted 2000 >ready 2>err &
	fg=$!
	wait_ready ready $fg
	sleep 0.5
	rm ./fg8000-deleted
	wait "$fg"
	cat err
	in_order out.folded main busy_loop
	share_ge busy_loop out.folded 80
'

test_expect_rec 'binary deleted before attaching (-p): no crash, a graph, named frames' '
	# The file is gone from the directory, but the kernel still has it:
	# /proc/PID/exe and /proc/PID/map_files/ give it to root (and to the
	# owner through ptrace access), so the real names can be recovered.
	cp "$LOOP" ./fg8000-gone
	./fg8000-gone 60000 >ready &
	pid=$!
	wait_ready ready $pid
	rm ./fg8000-gone
	grep -q "fg8000-gone (deleted)" /proc/$pid/maps
	exit_status "$FG" -p $pid --duration 1 -o out.svg --folded-output out.folded >out 2>err
	# (gone already if flamegraph took longer than its CPU time, as under valgrind)
	kill $pid 2>/dev/null || :
	wait $pid 2>/dev/null || true
	cat err
	grep -q "status=0" out
	xml_check out.svg
	test -s out.folded
	# no frame named after a path that does not exist any more
	! grep -q "(deleted)" out.folded || exit 1
	nm "$LOOP" | grep -q busy_loop
	in_order out.folded main busy_loop
	share_ge busy_loop out.folded 80
'

test_done
