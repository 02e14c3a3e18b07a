#!/bin/sh
# Fuzzing regressions: every input a fuzz target once crashed on
# (tests/fuzz/regressions/<target>/) and every seed of its corpus
# (tests/fuzz/corpus/<target>/) goes through the target again, built
# without libFuzzer ($BUILD/fuzz-replay/<target>: fuzz-<target>.c,
# replay.c and libfg.a; under `make asan` with the sanitizers). The target
# checks its invariants itself and aborts when one is broken. Reproducers
# of crashes not fixed yet wait in tests/fuzz/pending/<target>/.
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

# Crashes found in code whose owner has not fixed it yet (reported with the
# reproducer): a SKIP while they still crash, so that the suite stays
# green; once one no longer crashes, move it to regressions/.
for f in "$FUZZ"/pending/*/*; do
	[ -f "$f" ] || continue
	t=$(basename "$(dirname "$f")")
	name="$t: pending reproducer $(basename "$f")"
	if [ ! -x "$REPLAY/$t" ]; then
		test_skip "$name" "no replay binary"
	elif "$REPLAY/$t" "$f" </dev/null >/dev/null 2>&1; then
		test_expect "$name no longer crashes (move it to tests/fuzz/regressions/$t/)" true
	else
		test_skip "$name" "known crash, fix pending in the parser"
	fi
done

test_expect 'the replay driver fails on an unreadable file' '
	fails "$REPLAY/demangle" /nonexistent/input
'

test_done
