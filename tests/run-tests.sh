#!/bin/sh
# Run every unit test binary and every end-to-end script, then print one
# summary line: "N passed, N failed" (", N skipped" when tests were skipped).
# FG_TESTS=PATTERN runs only the scripts/binaries whose name matches.

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${FG_BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$SRC/$BUILD ;; esac
export FG_BUILD=$BUILD
pattern=${FG_TESTS:-}
log=$(mktemp "${TMPDIR:-/tmp}/fg-tests.XXXXXX")
trap 'rm -f "$log"' EXIT

run() {
	# Each runner prints ok/not ok/skip lines; a runner that dies without
	# reporting anything counts as one failure.
	name=$1
	shift
	if [ -n "$pattern" ] && ! printf '%s\n' "$name" | grep -q -- "$pattern"; then
		return
	fi
	out=$("$@" 2>&1 </dev/null)
	st=$?
	printf '%s\n' "$out"
	printf '%s\n' "$out" >> "$log"
	if [ $st -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^not ok'; then
		echo "not ok - $name: exited with status $st"
		echo "not ok - $name: exited with status $st" >> "$log"
	fi
}

for t in "$BUILD"/tests/t-*; do
	[ -x "$t" ] || continue
	run "$(basename "$t")" "$t"
done
for t in "$SRC"/tests/e2e/t[0-9]*.sh; do
	[ -f "$t" ] || continue
	run "$(basename "$t")" sh "$t"
done

passed=$(grep -c '^ok - ' "$log")
failed=$(grep -c '^not ok - ' "$log")
skipped=$(grep -c '^skip - ' "$log")
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
