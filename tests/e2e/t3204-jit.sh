#!/bin/sh
# JIT-compiled code named from what the runtimes write for profilers: the
# perf map (/tmp/perf-PID.map: node --perf-basic-prof, Java with
# -XX:+DumpPerfMapAtExit) and jitdump files (node --perf-prof), read after
# the recording. Without them the code stays [anon].
. "$(dirname "$0")/../lib.sh"

skip_all_without_perf \
	'node --perf-basic-prof: JavaScript functions named from the perf map' \
	'node --perf-prof: JavaScript functions named from the jitdump file' \
	'Java with a perf map written at exit: its methods are named'

# Each runtime's files are removed afterwards (the pid comes from the
# --include-pid roots).
CLEAN='
remove_perf_maps() {
	for pid in $(cut -d";" -f1 "$1" | sed -n "s/^[^-]*-\([0-9][0-9]*\)\$/\1/p" | sort -u); do
		rm -f "/tmp/perf-$pid.map"
	done
}
'
export CLEAN

if command -v node >/dev/null 2>&1; then
	test_expect_rec 'node --perf-basic-prof: JavaScript functions named from the perf map' '
		eval "$CLEAN"
		"$FG" --include-pid --format folded -o plain.folded -- node "$FIXTURES/js/builtins.js" \
			>/dev/null 2>err
		! grep -q "JS:" plain.folded
		grep -q "\\[anon\\]" plain.folded
		"$FG" --include-pid --format folded -o out.folded -- \
			node --perf-basic-prof "$FIXTURES/js/builtins.js" >/dev/null 2>err
		remove_perf_maps out.folded
		cat err | head -n 3
		grep -q ";JS:\\*work .*builtins.js:" out.folded
		share_ge "JS:" out.folded 30
		check_le "$(share "[anon]" out.folded)" 2 "samples in unnamed JIT code" %
	'
	test_expect_rec 'node --perf-prof: JavaScript functions named from the jitdump file' '
		eval "$CLEAN"
		"$FG" --include-pid --format folded -o out.folded -- \
			node --perf-prof "$FIXTURES/js/builtins.js" >/dev/null 2>err
		cat err | head -n 3
		ls jit-*.dump
		grep -q ";JS:\\*work .*builtins.js:" out.folded
		share_ge "JS:" out.folded 30
		rm -f jit-*.dump isolate-*.log
	'
else
	test_skip 'node --perf-basic-prof: JavaScript functions named from the perf map' 'node is not installed'
	test_skip 'node --perf-prof: JavaScript functions named from the jitdump file' 'node is not installed'
fi

if command -v java >/dev/null 2>&1 && command -v javac >/dev/null 2>&1; then
	test_expect_rec 'Java with a perf map written at exit: its methods are named' '
		eval "$CLEAN"
		cp "$FIXTURES/java/Spin.java" .
		javac Spin.java
		"$FG" --include-pid --format folded -o out.folded -- java \
			-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit Spin >/dev/null 2>err
		remove_perf_maps out.folded
		cat err | tail -n 2
		grep -q "Spin.hotLoop" out.folded
		share_ge "Spin.hotLoop" out.folded 30
	'
else
	test_skip 'Java with a perf map written at exit: its methods are named' \
		'no JDK (java and javac) here'
fi

test_done
