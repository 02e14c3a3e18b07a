#!/bin/sh
# Diagnostics of the native engine: stripped binaries, missing debug info,
# binaries replaced while they run, and profiling as an unprivileged user.
# The tests that record run as root and again as the test user
# (test_expect_rec); fixtures take milliseconds of their own CPU time.
. "$(dirname "$0")/../lib.sh"

skip_all_without_perf \
	'a stripped binary: warning, frames named after the file, still unwound' \
	'no debug info: a warning that says how to get inline frames' \
	'a binary replaced on disk while it runs keeps its own names' \
	'an unprivileged user can profile their own program (user space only)'

CHAIN=$(build_c_fixture chain gcc) || exit 1
LOOP=$(build_c_fixture loop gcc) || exit 1
export CHAIN LOOP

test_expect_rec 'a stripped binary: warning, frames named after the file, still unwound' '
	cp "$CHAIN" ./stripped
	strip ./stripped
	"$FG" --format folded -o out.folded -- ./stripped 300 >/dev/null 2>err
	grep -q "^warning: .* of the samples have frames in .*/stripped. without a name (shown as \[stripped\]): it was stripped" err
	grep -q "^stripped;.*__libc_start_call_main;\[stripped\]" out.folded
'

test_expect_rec 'no debug info: a warning that says how to get inline frames' '
	gcc -O2 -o nodebug "$SRC/tests/fixtures/c/chain.c"
	"$FG" --format folded -o out.folded -- ./nodebug 300 >/dev/null 2>err
	grep -q "nodebug. has no debug info: inlined functions are not shown" err
	in_order out.folded main mid leaf_a
	"$FG" --format folded -o out2.folded -- "$CHAIN" 200 >/dev/null 2>err2
	if grep -q "has no debug info" err2; then exit 1; fi
'

test_expect_rec 'a binary replaced on disk while it runs keeps its own names' '
	# The files are read (and checked against the build-id the kernel
	# reports) as soon as they are mapped, so replacing the binary later
	# does not mix in the names of the new one.
	cp "$LOOP" ./prog
	"$FG" --format folded -o out.folded -- ./prog 2000 >ready 2>err &
	fg=$!
	# once it runs (it says so), and has been sampled a while
	n=0
	while ! grep -q ready ready && [ $n -lt 1200 ]; do
		sleep 0.05
		n=$((n + 1))
	done
	sleep 0.5
	cp "$CHAIN" ./prog.new
	mv ./prog.new ./prog
	wait "$fg"
	in_order out.folded main busy_loop
	if grep -q "leaf_a" out.folded; then exit 1; fi
'

# Root only: it switches to the user nobody itself.
test_expect 'an unprivileged user can profile their own program (user space only)' '
	command -v setpriv >/dev/null || { echo "no setpriv"; exit 0; }
	p=$(cat /proc/sys/kernel/perf_event_paranoid)
	dir=$(mktemp -d /tmp/fg-nobody.XXXXXX)
	# outside the scratch directory of the test (nobody must reach it):
	# removed whether the test passes or not
	trap "cd / && rm -rf \"\$dir\"" EXIT
	cp "$FG" "$CHAIN" "$dir/"
	chmod 755 "$dir" "$dir"/*
	chown nobody "$dir"
	cd "$dir"
	set +e
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		./flamegraph --format folded -o out.folded -- ./chain-gcc 300 >/dev/null 2>err
	st=$?
	set -e
	cat err
	if [ "$p" -ge 3 ]; then
		test "$st" = 2
		grep -q "perf_event_open denied (kernel.perf_event_paranoid is $p)" err
	else
		test "$st" = 0
		in_order out.folded main mid leaf_a
		# kernel frames need paranoid <= 1
		if [ "$p" -ge 2 ] && grep "entry_SYSCALL\|asm_" out.folded; then
			echo "kernel frames at perf_event_paranoid $p"
			exit 1
		fi
		test "$(stat -c %U out.folded)" = nobody
	fi
'

test_done
