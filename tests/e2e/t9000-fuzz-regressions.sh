#!/bin/sh
# Fuzzing regressions: every input a fuzz target once crashed on
# (tests/fuzz/regressions/<target>/) and every seed of its corpus
# (tests/fuzz/corpus/<target>/) goes through the target again, built
# without libFuzzer ($BUILD/fuzz-replay/<target>: fuzz-<target>.c,
# replay.c and libfg.a; under `make asan` with the sanitizers). The target
# checks its invariants itself and aborts when one is broken.
. "$(dirname "$0")/../lib.sh"

REPLAY=$BUILD/fuzz-replay
FUZZ=$SRC/tests/fuzz
export REPLAY FUZZ

targets=$(cd "$FUZZ" && ls fuzz-*.c | sed -e 's/^fuzz-//' -e 's/\.c$//' | grep -v '^util$')

if [ ! -d "$REPLAY" ]; then
	for t in $targets; do
		test_skip "$t: regressions and seeds replay cleanly" \
			"no $REPLAY: the Makefile does not include tests/fuzz/fuzz.mk"
	done
	test_done
	exit
fi

for t in $targets; do
	T=$t
	export T
	test_expect "$t: regressions and seeds replay cleanly" '
		test -x "$REPLAY/$T" || { echo "no replay binary $REPLAY/$T"; exit 1; }
		set --
		for f in "$FUZZ/regressions/$T"/* "$FUZZ/corpus/$T"/*; do
			if [ -f "$f" ]; then set -- "$@" "$f"; fi
		done
		test $# -gt 0 || { echo "no inputs for $T"; exit 1; }
		"$REPLAY/$T" "$@" </dev/null >out.txt
		test "$(grep -c "^replayed " out.txt)" -eq $#
	'
done

test_expect 'the replay driver fails on an unreadable file' '
	fails "$REPLAY/demangle" /nonexistent/input
'

test_done
