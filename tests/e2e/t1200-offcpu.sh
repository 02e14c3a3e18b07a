#!/bin/sh
# Off-CPU and wall-clock profiles (--off-cpu, --wall) against what the
# fixtures really did: the waits fixture (C, and Rust through cargo
# flamegraph) computes 2 units, sleeps 2, waits 1 on a pipe and 1 on a
# mutex, and prints the wall time each part took; the graph must give each
# part its measured share within 3 points, and the worker thread its
# measured life within 2%. On a busy machine computing takes longer than
# its CPU time (the thread waits for a CPU): the fixture measures that too,
# and the graph shows it as [preempted] under the part.
#
# Both modes need kernel samples: they run as root, as the unprivileged
# test user given CAP_PERFMON (how a user is let profile the kernel without
# being root), and the test user without it is refused with a clear
# message at kernel.perf_event_paranoid >= 2.
. "$(dirname "$0")/../lib.sh"

skip_all_without_perf \
	'--wall: the four parts of the worker at their measured shares, its life' \
	'--wall: the same as a user with CAP_PERFMON' \
	'--off-cpu: only the waiting parts, each under its call and state' \
	'--off-cpu-threshold leaves out the shorter blocks' \
	'--wall: parked threads of a pool are [futex] towers of their own' \
	'--wall, pprof: off-cpu, cpu and wall sample types, go tool pprof totals' \
	'--wall -p PID --duration: the time of a running thread over the recording' \
	'cargo flamegraph --wall: the Rust worker at its measured shares' \
	'an unprivileged user is told what to change' \
	'usage errors'

WAITS=$(build_c_fixture waits gcc) || exit 1
POOL=$(build_c_fixture pool gcc) || exit 1
export WAITS POOL

# parts FOLDED THREAD: for the stacks rooted at the thread named THREAD
# ("THREAD-PID/TID;..."), the nanoseconds under each part function (a C
# name or a Rust path ending in it) and in all, one "NAME NS" per line.
# check_shares GOT TIMES: the parts' shares of the worker's time in GOT
# (parts' output) and in TIMES (the fixture's: seconds per part, and the
# worker's life) are within 3 points, and the life within 2%.
SHARES='
parts() {
	awk -v th="$2" "
	BEGIN { split(\"compute_part sleep_part pipe_part lock_part\", names, \" \") }
	index(\$0, th \"-\") == 1 {
		c = \$NF; total += c
		for (i in names)
			if (\$0 ~ \"(;|::)\" names[i] \"(;| )\")
				w[names[i]] += c
	}
	END { for (i in names) print names[i], w[names[i]] + 0; print \"total\", total + 0 }" "$1"
}
# exact GOAL: true, unless samples were lost (the err file says so) under
# the sanitizers, where the recorder falls behind: a block whose sample is
# lost is missing, and the shares are left to make check.
exact() {
	! grep -q " lost" err || not_under_sanitizers "$1, samples being lost"
}
check_shares() {
	awk "NR == FNR { g[\$1] = \$2; next }
	{ m[\$1] = \$2 }
	END {
		if (g[\"total\"] <= 0 || m[\"worker\"] <= 0) { print \"no worker\"; exit 1 }
		bad = 0
		for (p in g) {
			if (p == \"total\")
				continue
			gs = 100 * g[p] / g[\"total\"]; ms = 100 * m[p] / m[\"worker\"]
			printf \"%s: %.1f%% in the graph, %.1f%% measured\n\", p, gs, ms
			if (gs - ms > 3 || ms - gs > 3)
				bad = 1
		}
		life = g[\"total\"] / 1e9
		printf \"worker: %.4f s in the graph, %.4f s measured\n\", life, m[\"worker\"]
		if (life > 1.02 * m[\"worker\"] || life < 0.98 * m[\"worker\"])
			bad = 1
		exit bad
	}" "$1" "$2"
}
'
export SHARES

# as_perfmon_user CMD...: CMD as the test user, with CAP_PERFMON.
PERFMON='
as_perfmon_user() {
	${FG_USER_LOCK:+flock "$FG_USER_LOCK"} \
		setpriv --reuid="$FG_TEST_USER" --regid="$FG_TEST_USER" --init-groups \
			--inh-caps=+perfmon --ambient-caps=+perfmon -- "$@"
}
'
export PERFMON

test_expect '--wall: the four parts of the worker at their measured shares, its life' '
	eval "$SHARES"
	"$FG" --wall --format folded -o out.folded -- "$WAITS" 200 >times 2>err
	cat err
	parts out.folded worker >got
	exact "the shares" || exit 0
	check_shares got times
	# the waits, each under its call, ending in its state
	grep -q "^worker-[0-9/]*;.*;sleep_part;.*;do_nanosleep;.*\[sleep\] [0-9]*$" out.folded
	grep -q "^worker-[0-9/]*;.*;pipe_part;.*\[io\] [0-9]*$" out.folded
	grep -q "^worker-[0-9/]*;.*;lock_part;.*futex_wait.*\[futex\] [0-9]*$" out.folded
	# the summary: the states, and the worker waiting two thirds of its
	# life (more on a busy machine, preempted as it computes)
	grep -q "^waiting, by state: .*\[sleep\]" err
	grep "^ *[0-9.]*% of [0-9.]* [mun]*s  worker (" err |
		awk "{ n++; if (\$1 + 0 < 60) bad = 1 } END { exit bad || n != 1 }"
'

if [ -n "${FG_TEST_USER:-}" ]; then
	test_expect '--wall: the same as a user with CAP_PERFMON' '
		eval "$SHARES"
		eval "$PERFMON"
		chown "$FG_TEST_USER" .
		as_perfmon_user "$FG" --wall --format folded -o out.folded -- "$WAITS" 200 \
			>times 2>err
		cat err
		parts out.folded worker >got
		exact "the shares" || exit 0
		check_shares got times
		grep -q "^worker-[0-9/]*;.*;sleep_part;.*\[sleep\] [0-9]*$" out.folded
		grep -q "^worker-[0-9/]*;.*;lock_part;.*\[futex\] [0-9]*$" out.folded
	'
else
	test_skip '--wall: the same as a user with CAP_PERFMON' "${FG_TEST_USER_WHY:-no test user}"
fi

test_expect '--off-cpu: only the waiting parts, each under its call and state' '
	eval "$SHARES"
	"$FG" --off-cpu --format folded -o out.folded --include-tid -- "$WAITS" 200 \
		>times 2>err
	cat err
	grep -q "^off the CPU: [0-9]* blocks" err
	parts out.folded worker >got
	cat got
	exact "the shares" || exit 0
	# computing is not waiting: at most preemptions, which are left out
	awk "\$1 == \"compute_part\" { c = \$2 } \$1 == \"total\" { t = \$2 }
	     END { exit !(t > 0 && c <= 0.01 * t) }" got
	# sleep 2 units, pipe 1, lock 1 of the worker waiting: 50/25/25
	awk "NR == FNR { g[\$1] = \$2; next } { m[\$1] = \$2 }
	     END {
		w = m[\"sleep_part\"] + m[\"pipe_part\"] + m[\"lock_part\"]
		for (p in g) if (p != \"total\" && p != \"compute_part\") {
			gs = 100 * g[p] / g[\"total\"]; ms = 100 * m[p] / w
			printf \"%s: %.1f%% of the waiting, %.1f%% measured\n\", p, gs, ms
			if (gs - ms > 3 || ms - gs > 3) bad = 1
		}
		exit bad
	     }" got times
	grep -q "^worker-[0-9/]*;.*;sleep_part;.*\[sleep\] [0-9]*$" out.folded
	grep -q "^worker-[0-9/]*;.*;pipe_part;.*\[io\] [0-9]*$" out.folded
	grep -q "^worker-[0-9/]*;.*;lock_part;.*\[futex\] [0-9]*$" out.folded
	if grep "\[preempted\]" out.folded; then exit 1; fi
'

test_expect '--off-cpu-threshold leaves out the shorter blocks' '
	eval "$SHARES"
	# sleeping takes 2 units (200 ms), the pipe and the mutex 1 (100 ms)
	"$FG" --off-cpu --off-cpu-threshold 150ms --format folded -o out.folded \
		--include-tid -- "$WAITS" 100 >times 2>err
	cat err
	exact "the blocks left" || exit 0
	grep -q "shorter than --off-cpu-threshold 150ms left out" err
	grep -q ";sleep_part;" out.folded
	if grep ";pipe_part;\|;lock_part;" out.folded; then exit 1; fi
'

test_expect '--wall: parked threads of a pool are [futex] towers of their own' '
	eval "$SHARES"
	"$FG" --wall --format folded -o out.folded -- "$POOL" 300 >/dev/null 2>err
	cat err
	exact "the towers" || exit 0
	# each parked thread: a root of its own, nearly all of it waiting in
	# park, in the futex of the condition variable
	awk "/^parked-[0-9]-/ {
		split(\$1, r, \";\"); t[r[1]] += \$NF
		if (\$0 ~ /;park;.*\[futex\] [0-9]+\$/) f[r[1]] += \$NF
	}
	END {
		for (k in t) { n++; printf \"%s %.1f%%\n\", k, 100 * f[k] / t[k]; if (f[k] < 0.9 * t[k]) bad = 1 }
		exit bad || n != 8
	}" out.folded
	grep -q "^busy-[0-9/]*;.*;busy_work [0-9]*$" out.folded
'

test_expect '--wall, pprof: off-cpu, cpu and wall sample types, go tool pprof totals' '
	command -v go >/dev/null || { echo "no go"; exit 1; }
	"$FG" --wall -o a.pb.gz -o a.folded -- "$WAITS" 100 >/dev/null 2>err
	go tool pprof -raw a.pb.gz >raw 2>&1
	grep -q "samples/count cpu/nanoseconds off-cpu/nanoseconds wall/nanoseconds" raw
	# the default type is the one drawn: wall, whose total is the folded total
	want=$(awk "{ t += \$NF } END { print t }" a.folded)
	go tool pprof -sample_index=wall -raw a.pb.gz | awk "
		/^Samples:/ { on = 1; next } /^Locations/ { on = 0 }
		on && \$1 ~ /^[0-9]+\$/ { t += \$4 }
		END { print t }" >got
	echo "folded $want, pprof $(cat got)"
	test "$(cat got)" = "$want"
'

test_expect '--wall -p PID --duration: the time of a running thread over the recording' '
	eval "$SHARES"
	cp "$WAITS" ./waits
	./waits 1000 >times &
	pid=$!
	sleep 0.3
	"$FG" --wall -p $pid --duration 2 --format folded -o out.folded >/dev/null 2>err || st=$?
	kill $pid 2>/dev/null || true
	wait $pid || true
	cat err
	test "${st:-0}" = 0
	grep -q "^recording stopped after 2 s" err
	exact "the time of the worker" || exit 0
	# the worker computes, then sleeps: 2 s of its time whichever it did
	parts out.folded worker >got
	cat got
	awk "\$1 == \"total\" { t = \$2 / 1e9 }
	     END { printf \"worker: %.3f s\n\", t; exit !(t > 1.9 && t < 2.1) }" got
	grep -q "^worker-[0-9/]*;.*;compute_part" out.folded
	# the threads waiting since before the recording (from what /proc
	# tells of their calls): 2 s each, in the futexes of the semaphores
	# and of the join
	for th in holder writer waits; do
		awk -v th="$th" "index(\$0, th \"-\") == 1 { t += \$NF }
			END { printf \"%s: %.3f s\n\", th, t / 1e9; exit !(t > 1.9e9 && t < 2.1e9) }" \
			out.folded
	done
	grep -q "^holder-[0-9/]*;.*;holder;.*\[futex\] [0-9]*$" out.folded
	grep -q "^waits-[0-9/]*;.*;main;.*\[futex\] [0-9]*$" out.folded
'

test_expect 'cargo flamegraph --wall: the Rust worker at its measured shares' '
	eval "$SHARES"
	"$BUILD/bin/cargo-flamegraph" flamegraph --wall \
		--manifest-path "$SRC/tests/fixtures/crates/waits/Cargo.toml" \
		--profile release-debug --format folded -o out.folded -- 200 >times 2>err ||
		{ cat err; exit 1; }
	cat err
	parts out.folded worker >got
	exact "the shares" || exit 0
	check_shares got times
	grep -q "^worker-[0-9/]*;.*waits::lock_part;.*\[futex\] [0-9]*$" out.folded
'

if [ -n "${FG_TEST_USER:-}" ] && [ "$(cat /proc/sys/kernel/perf_event_paranoid)" -ge 2 ]; then
	test_expect_user 'an unprivileged user is told what to change' '
		for mode in --off-cpu --wall; do
			if "$FG" $mode -o out.svg -- "$WAITS" 10 >out 2>err; then exit 1; fi
			cat err
			test "$(wc -l <err)" = 1
			grep -q "^error: .* profiles need kernel samples, which kernel.perf_event_paranoid=[0-9] refuses .*sudo sysctl kernel.perf_event_paranoid=1" err
			test ! -e out.svg
		done
	'
else
	test_skip 'an unprivileged user is told what to change' \
		"${FG_TEST_USER_WHY:-no test user, or kernel.perf_event_paranoid allows it}"
fi

test_expect 'usage errors' '
	bad() {
		if "$FG" "$@" -- true >out 2>err; then echo "accepted: $*"; exit 1; fi
		cat err
		test "$(wc -l <err)" = 1
	}
	bad --off-cpu --wall
	grep -q "cannot be used together" err
	bad --off-cpu --off-cpu-threshold 10
	grep -q "invalid value .10. for .--off-cpu-threshold.: expected a duration" err
	bad --off-cpu --off-cpu-threshold=-1ms
	bad --off-cpu-threshold 1ms
	grep -q "needs --off-cpu or --wall" err
	bad --off-cpu-include-preempted
	bad --wall --off-cpu-include-preempted
	bad --off-cpu -e page-faults
	grep -q "cannot be used with -e page-faults" err
	bad --wall -e page-faults
	bad --off-cpu -c "record -g"
	grep -q "native engine only" err
'

test_done
