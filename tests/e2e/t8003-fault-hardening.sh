#!/bin/sh
# Hardening as users run it: signals at every phase and the fate of the
# workload, closed pipes, files nobody expects (a FIFO where a library
# was, planted symbolic links, long names), bounded time and memory on
# endless input, and the messages that name the real cause. The tests that
# record run as root and again as an unprivileged user.
. "$(dirname "$0")/../lib.sh"

LOOP=$(build_c_fixture loop gcc) || exit 1
export LOOP

# Helpers for the bodies of this script (eval "$HELPERS").
HELPERS='
# alive NAME: such a process exists.
alive() {
	test -n "$(own_pids "$1")"
}
# ended NAME: no such process is left (what a failing test left behind
# is killed, and the test fails).
ended() {
	sleep 0.2
	if alive "$1"; then
		left=$(own_pids "$1")
		echo "left running: $left ($1)"
		kill -KILL $left 2>/dev/null
		return 1
	fi
}
# no_temp_files DIR: no temporary output file is left in DIR.
no_temp_files() {
	if ls -A "$1" | grep "\.tmp"; then
		echo "temporary files left in $1"
		return 1
	fi
}
# wait_for FILE: until FILE exists (or 60 s).
wait_for() {
	n=0
	while [ ! -e "$1" ]; do
		sleep 0.05
		n=$((n + 1))
		[ $n -lt 1200 ] || { echo "no $1 after 60 s"; return 1; }
	done
}
# status_of CMD...: run CMD (its standard output to status.out), print
# its exit status.
status_of() {
	set +e
	"$@" >status.out
	echo $?
	set -e
}
# record_in_background NAME SHELL_CMD: record "sh -c SHELL_CMD" (a copy of
# the loop fixture is ./NAME) in the background, into out.svg and
# out.folded, its pid in $fg; returns once the workload runs.
record_in_background() {
	cp "$LOOP" "./$1"
	"$FG" -o out.svg --folded-output out.folded -- sh -c "$2" >ready 2>err &
	fg=$!
	wait_ready ready $fg
	sleep 0.5
}
# many_stacks N: N distinct folded stacks (a render that takes a while).
many_stacks() {
	awk -v n="$1" "BEGIN { for (i = 0; i < n; i++) printf \"main;f%d;g%d;h%d %d\\n\", i % 97, i, i * 7, 1 + i % 5 }"
}
'
export HELPERS

# --- signals while recording ---------------------------------------------

test_expect_rec 'SIGHUP while recording: the outputs are written, the workload ended' '
	eval "$HELPERS"
	record_in_background fg8003-hup "exec ./fg8003-hup 60000"
	kill -HUP $fg
	st=0; wait $fg || st=$?
	cat err
	test "$st" = 0
	grep -q "recording stopped by SIGHUP" err
	xml_check out.svg
	in_order out.folded main busy_loop
	no_temp_files .
	ended fg8003-hup
'

test_expect_rec 'SIGTERM, the workload ignoring every signal: ended for sure, graph written' '
	eval "$HELPERS"
	record_in_background fg8003-deaf "trap \"\" INT TERM HUP QUIT; exec ./fg8003-deaf 60000"
	kill -TERM $fg
	st=0; wait $fg || st=$?
	cat err
	test "$st" = 0
	grep -q "killed by signal 9" err
	xml_check out.svg
	ended fg8003-deaf
'

test_expect_rec 'a second Ctrl-C ends the workload at once' '
	eval "$HELPERS"
	record_in_background fg8003-twice "trap \"\" INT TERM HUP QUIT; exec ./fg8003-twice 60000"
	kill -INT $fg
	signal_taken $fg INT
	# under valgrind a signal taken from the kernel still waits for its
	# handler, and a second one sent meanwhile is lost with the first; a
	# profiler that ignored the second would end the workload 2 s after
	# the first (its grace periods), so 1.5 s after the second
	if [ -n "${FG_VALGRIND:-}" ]; then sleep 0.5; else sleep 0.1; fi
	t0=$(date +%s%N)
	kill -INT $fg
	# how long the workload outlives the second Ctrl-C (the profiler then
	# goes on to name frames and write the graph, which takes its time)
	while alive fg8003-twice && [ $(( ($(date +%s%N) - t0) / 1000000 )) -lt 5000 ]; do
		sleep 0.01
	done
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	st=0; wait $fg || st=$?
	cat err
	echo "the workload ended $ms ms after the second Ctrl-C"
	test "$st" = 0
	grep -q "recording stopped by an interrupt" err
	grep -q "killed by signal 9" err
	xml_check out.svg
	ended fg8003-twice
	# at once: not after the grace periods (1 s, then 1 s more)
	test "$ms" -lt 900
'

test_expect_rec 'what the workload started and left behind is ended too' '
	eval "$HELPERS"
	record_in_background fg8003-orphan "trap \"\" INT TERM HUP QUIT; ./fg8003-orphan 60000 & wait"
	kill -TERM $fg
	st=0; wait $fg || st=$?
	cat err
	test "$st" = 0
	xml_check out.svg
	ended fg8003-orphan
'

# --- signals while processing, in every mode --------------------------------

# A large post-processed graph makes the SVG take long enough to be
# interrupted while its temporary file exists.
test_expect_rec 'SIGTERM, SIGHUP, SIGQUIT while writing: no temporary file, in every mode' '
	eval "$HELPERS"
	ulimit -c 0
	many_stacks 300000 >big.folded
	cp "$LOOP" ./fg8003-proc
	modes="folded script record palette"
	if command -v perf >/dev/null 2>&1 &&
	   perf record -q -F 99 -g -o p.data ./fg8003-proc 100 >/dev/null 2>&1; then
		modes="$modes perfdata"
	fi
	for sig in TERM HUP QUIT; do
		for mode in $modes; do
			rm -f out.svg
			case $mode in
			folded) set -- --from-folded big.folded ;;
			script) set -- --from-perf-script "$DATA/collapse/real-frame-pointers.perf" \
				--post-process "cat big.folded" ;;
			record) set -- --post-process "cat big.folded" -- ./fg8003-proc 100 ;;
			palette) set -- --from-folded big.folded --consistent-palette ;;
			perfdata) set -- --perfdata p.data --post-process "cat big.folded" ;;
			esac
			"$FG" --no-summary -o out.svg "$@" >/dev/null 2>err &
			fg=$!
			n=0
			# until the temporary output is there (or the run is
			# over: a fast run may rename it before we look)
			while ! ls -A | grep -q "^\.out\.svg\.tmp" && [ $n -lt 2400 ] &&
			      kill -0 $fg 2>/dev/null; do
				sleep 0.025
				n=$((n + 1))
			done
			kill -$sig $fg 2>/dev/null || :
			st=0; wait $fg || st=$?
			echo "$sig $mode: status $st"
			# killed by the signal (or done before it came)
			test "$st" -gt 128 || test "$st" = 0
			no_temp_files .
			# an output there is whole (the signal may come right
			# after it was renamed into place), never a part of one
			if [ -e out.svg ]; then xml_check out.svg; fi
		done
	done
	ended fg8003-proc
'

# --- closed pipes ------------------------------------------------------------

test_expect_rec 'a closed pipe on standard output: one line, status 2, in every mode' '
	eval "$HELPERS"
	many_stacks 20000 >big.folded
	cp "$LOOP" ./fg8003-pipe
	perf_text="$DATA/collapse/real-frame-pointers.perf"
	modes="svg folded script record"
	if command -v perf >/dev/null 2>&1 &&
	   perf record -q -F 99 -g -o p.data ./fg8003-pipe 100 >/dev/null 2>&1; then
		modes="$modes perfdata"
	fi
	for mode in $modes; do
		case $mode in
		perfdata) set -- --perfdata p.data --post-process "cat big.folded" ;;
		svg) set -- --from-folded big.folded ;;
		folded) set -- --from-folded big.folded --format folded ;;
		script) set -- --from-perf-script "$perf_text" --post-process "cat big.folded" ;;
		record) set -- --post-process "cat big.folded" -- ./fg8003-pipe 100 ;;
		esac
		echo 0 >st
		{ "$FG" --no-summary --min-width 0 -o - "$@" 2>err || echo $? >st; } |
			head -c 10 >/dev/null
		echo "$mode: status $(cat st)"; cat err
		test "$(cat st)" = 2
		test "$(grep -c "^error:" err)" = 1
		grep -q "Broken pipe" err
	done
'

test_expect 'a message nobody reads (stdout closed) is no failure' '
	eval "$HELPERS"
	printf "main;a 1\n" >in.folded
	echo 0 >st
	{ "$FG" --from-folded in.folded -o out.svg 2>err || echo $? >st; } | true
	test "$(cat st)" = 0
	xml_check out.svg
'

# --- files nobody expects ---------------------------------------------------

test_expect_rec 'a FIFO put where a mapped library was: no hang, the file is skipped with a note' '
	eval "$HELPERS"
	printf "int lib_work(int x) { return x * 2; }\n" >lib.c
	gcc -shared -fPIC -o libfg8003.so lib.c
	cat >fifo.c <<-EOF
	#include <dlfcn.h>
	#include <stdio.h>
	#include <sys/stat.h>
	#include <time.h>
	#include <unistd.h>
	static volatile unsigned long sink;
	int main(void)
	{
		struct timespec ts;
		char path[4096];
		if (!getcwd(path, sizeof(path) - 20) || !dlopen(strcat(path, "/libfg8003.so"), RTLD_NOW))
			return 1;
		unlink(path);
		mkfifo(path, 0600);
		do {
			for (int i = 0; i < 100000; i++)
				sink += i;
			clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
		} while (ts.tv_sec < 1 && ts.tv_nsec < 300000000);
		return 0;
	}
	EOF
	gcc -O1 -include string.h -o fg8003-fifo fifo.c -ldl
	st=$(status_of timeout -s KILL 60 "$FG" -o out.svg -- ./fg8003-fifo 2>err)
	cat err
	test "$st" = 0
	xml_check out.svg
	test -p libfg8003.so
	grep -q "libfg8003.so. is a FIFO, not a regular file: it was not read" err
'

test_expect 'a symbolic link another user planted in a sticky directory is not followed' '
	eval "$HELPERS"
	other=${FG_TEST_USER:-nobody}
	mkdir shared && chmod 1777 shared
	echo precious >shared/victim
	ln -s "$PWD/shared/victim" shared/out.svg
	chown -h "$other" shared/out.svg
	printf "main;a 1\n" >in.folded
	fails "$FG" --from-folded in.folded -o shared/out.svg 2>err
	cat err
	grep -q "refusing to follow the symbolic link" err
	test "$(cat shared/victim)" = precious
	# our own link there is followed, and its target replaced atomically
	ln -s "$PWD/shared/victim" shared/mine.svg
	"$FG" --from-folded in.folded -o shared/mine.svg >/dev/null
	xml_check shared/victim
	test -L shared/mine.svg
'

test_expect 'output names of NAME_MAX bytes work' '
	eval "$HELPERS"
	name=$(printf "%0255d" 0 | tr 0 a)
	printf "main;a 1\n" >in.folded
	"$FG" --from-folded in.folded -o "$name" >/dev/null
	xml_check "$name"
	"$FG" --from-folded in.folded --format folded -o "$name" >/dev/null
	grep -q "main;a 1" "$name"
'

test_expect 'a directory as the command is told as such' '
	eval "$HELPERS"
	mkdir prog
	test "$(status_of "$FG" -o out.svg -- ./prog 2>err)" = 2
	cat err
	grep -q "cannot run .\\./prog.: it is a directory, not a program" err
'

test_expect 'outputs: empty, twice the same, stdout twice are usage errors; -o=PATH, -F=N' '
	eval "$HELPERS"
	printf "main;a 1\n" >in.folded
	test "$(status_of "$FG" --from-folded in.folded -o "" 2>err)" = 64
	grep -q "expected a path" err
	test "$(status_of "$FG" --from-folded in.folded -o x.svg --folded-output ./x.svg 2>err)" = 64
	grep -q "cannot both write" err
	test "$(status_of "$FG" --from-folded in.folded -o - --folded-output - 2>err)" = 64
	grep -q "standard output" err
	"$FG" --from-folded in.folded -o=eq.svg >/dev/null
	xml_check eq.svg
	test "$(status_of "$FG" -F=99 --from-folded in.folded -o f.svg)" = 0
'

test_expect_rec 'a missing output directory is an error before anything is recorded' '
	eval "$HELPERS"
	cp "$(command -v sleep)" fg8003-sleep
	start=$(date +%s)
	test "$(status_of "$FG" -o missing/out.svg -- ./fg8003-sleep 30 2>err)" = 2
	grep -q "the directory .*missing. does not exist" err
	test $(( $(date +%s) - start )) -lt 10
	ended fg8003-sleep
'

# --- messages ----------------------------------------------------------------

test_expect 'messages escape control characters and are never cut short' '
	eval "$HELPERS"
	esc=$(printf "\033")
	printf "main;evil${esc}[31mred 18446744073709551615\nmain;evil${esc}[31mred 1\n" >in.folded
	fails "$FG" --from-folded in.folded -o out.svg 2>err
	cat err
	grep -q "overflow" err
	grep -q "x1b" err
	! grep -q "$esc" err
	long=$(printf "%04000d" 0 | tr 0 d)
	fails "$FG" --from-folded "/$long/in.folded" -o out.svg 2>err
	test "$(head -n 1 err | wc -c)" -gt 4000
	grep -q "File name too long" err
'

# --- bounded time and memory --------------------------------------------------

if [ -n "${FG_ASAN:-}" ] || [ -n "${FG_VALGRIND:-}" ]; then
	test_skip 'out of memory: an error with status 2, no core dump, no temporary file' \
		"a memory limit (ulimit -v) cannot apply under $( [ -n "${FG_ASAN:-}" ] && echo AddressSanitizer, which reserves terabytes of address space || echo valgrind, which runs its own allocator)"
else
	test_expect 'out of memory: an error with status 2, no core dump, no temporary file' '
		eval "$HELPERS"
		many_stacks 3000000 >big.folded
		st=$(status_of sh -c "ulimit -c 0; ulimit -v 150000; exec \"$FG\" --from-folded big.folded -o out.svg 2>err")
		cat err
		test "$st" = 2
		grep -q "^error: out of memory" err
		no_temp_files .
		test ! -e out.svg
	'
fi

test_expect 'endless input without a newline: an error naming the file and the line' '
	eval "$HELPERS"
	st=$(status_of timeout -s KILL 120 "$FG" --from-folded /dev/zero -o out.svg 2>err)
	cat err
	test "$st" = 2
	grep -q "cannot read ./dev/zero.: line 1 is longer than 64 MB" err
	{ printf "main;a 1\nmain;b 2\n"; head -c 70000000 /dev/zero; } |
		{ status_of "$FG" --from-perf-script - -o out.svg >st 2>err || true; }
	test "$(cat st)" = 2
	grep -q "line 3 is longer than 64 MB" err
'

test_expect_rec 'a post-process command printing forever: memory stays bounded, it is ended with us' '
	eval "$HELPERS"
	printf "main;a 1\n" >in.folded
	cp "$(command -v yes)" fg8003-yes
	"$FG" --from-folded in.folded --post-process "./fg8003-yes main;endless 1" -o out.svg 2>err &
	fg=$!
	sleep 3
	rss=$(awk "/^VmHWM/ { print \$2 }" /proc/$fg/status)
	echo "peak RSS after 3 s: $rss KB"
	kill -TERM $fg
	st=0; wait $fg || st=$?
	test "$st" -gt 128
	test "$rss" -lt 400000
	ended fg8003-yes
'

test_expect_rec 'a C++ name too costly to demangle: shown mangled, with a note, at once' '
	eval "$HELPERS"
	# f<A<int, int>, A<A<int, int>, A<int, int> >, ...>(): 2^28 copies
	bomb=$(awk "BEGIN {
		d = \"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ\"
		s = \"_Z1fI1AIiiE\"
		for (k = 2; k <= 28; k++)
			s = s \"S0_IS\" substr(d, k, 1) \"_S\" substr(d, k, 1) \"_E\"
		print s \"Evv\"
	}")
	cat >bomb.c <<-EOF
	#include <time.h>
	__attribute__((noinline)) void hot(void) __asm__("$bomb");
	static volatile unsigned long sink;
	void hot(void)
	{
		struct timespec ts;
		do {
			for (int i = 0; i < 100000; i++)
				sink += i;
			clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
		} while (ts.tv_sec < 1 && ts.tv_nsec < 300000000);
	}
	int main(void) { hot(); return 0; }
	EOF
	gcc -O1 -o fg8003-bomb bomb.c
	st=$(status_of timeout -s KILL 120 "$FG" --format folded -o out.folded -- ./fg8003-bomb 2>err)
	cat err
	test "$st" = 0
	grep -q "1 C++ names would cost too much to demangle: they are shown mangled" err
	grep -q "main;$bomb " out.folded
'

test_expect 'a post-process command that prints nothing is told' '
	eval "$HELPERS"
	printf "main;a 1\n" >in.folded
	fails "$FG" --from-folded in.folded --post-process true -o out.svg 2>err
	grep -q "printed no stacks" err
'

# --- -p, --perfdata: the real cause -------------------------------------------

test_expect_rec '-p: an empty list, a zombie, an idle process each get their cause' '
	eval "$HELPERS"
	test "$(status_of "$FG" -p "" 2>err)" = 64
	grep -q "no process id given" err
	sh -c "sleep 0.1 & exec sleep 20" &
	parent=$!
	sleep 1
	zombie=$(pgrep -P $parent)
	test "$(status_of "$FG" -p "$zombie" -o z.svg 2>err)" = 2
	grep -q "is a zombie" err
	kill $parent
	sleep 30 &
	idle=$!
	test "$(status_of "$FG" -p $idle --duration 1 -o i.svg 2>err)" = 2
	cat err
	grep -q "used no CPU time" err
	kill $idle
'

test_expect '-p of a kernel thread is told' '
	eval "$HELPERS"
	kt=
	for s in /proc/[0-9]*/stat; do
		flags=$(sed "s/.*) //" "$s" 2>/dev/null | cut -d" " -f7)
		if [ -n "$flags" ] && [ $((flags & 0x200000)) != 0 ]; then
			kt=$(basename "$(dirname "$s")")
			break
		fi
	done
	if [ -z "$kt" ]; then
		echo "no kernel thread is visible here"
		exit 1
	fi
	test "$(status_of "$FG" -p "$kt" -o k.svg 2>err)" = 2
	grep -q "is a kernel thread" err
'

# A process of root's, for the unprivileged user to try.
sleep 600 &
ROOT_SLEEP=$!
export ROOT_SLEEP
test_expect_user '-p of another user'"'"'s process: permission explained' '
	eval "$HELPERS"
	test "$(status_of "$FG" -p $ROOT_SLEEP --duration 1 -o o.svg 2>err)" = 2
	cat err
	grep -q "belongs to another user" err
'
kill $ROOT_SLEEP

# A setuid-root copy of the loop fixture, for the unprivileged user.
SUID_DIR=$TMP_ROOT/suid
mkdir -p "$SUID_DIR"
cp "$LOOP" "$SUID_DIR/fg8003-suid"
chmod 4755 "$SUID_DIR/fg8003-suid"
chmod 755 "$SUID_DIR"
export SUID_DIR
test_expect_user 'a setuid workload: the kernel drops its samples, and the message says so' '
	eval "$HELPERS"
	test "$(status_of "$FG" -o s.svg -- "$SUID_DIR/fg8003-suid" 300 2>err)" = 2
	cat err
	grep -q "is setuid root" err
	grep -q "gains privileges" err
'

test_expect_user 'unprivileged: the summary says kernel frames are left out' '
	eval "$HELPERS"
	"$FG" -o out.svg -- "$LOOP" 200 >/dev/null 2>err
	grep -q "user space only: kernel frames need root" err
	no_loss err
'

test_expect '--perfdata of a directory, of a FIFO: the cause' '
	eval "$HELPERS"
	mkdir d
	test "$(status_of "$FG" --perfdata d -o d.svg 2>err)" = 2
	grep -q "it is a directory, not a perf.data file" err
	mkfifo f
	test "$(status_of timeout -s KILL 30 "$FG" --perfdata f -o f.svg 2>err)" = 2
	grep -q "it is a FIFO" err
'

if command -v perf >/dev/null 2>&1; then
	test_expect '-c: an old perf.data is never rendered; perf stat is refused' '
		eval "$HELPERS"
		perf record -q -F 99 -o perf.data "$LOOP" 100 >/dev/null 2>&1
		test -s perf.data
		test "$(status_of "$FG" -c "record --no-such-option" -o out.svg -- true 2>err)" = 2
		cat err
		grep -q "perf wrote no data file" err
		test -s perf.data.old
		test ! -e out.svg
		test "$(status_of "$FG" -c stat -o out.svg -- true 2>err)" = 64
		grep -q "writes no perf.data" err
	'
else
	test_skip '-c: an old perf.data is never rendered; perf stat is refused' \
		"perf is not installed"
fi

test_done
