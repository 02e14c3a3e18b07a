#!/bin/sh
# tests/run-one.sh RUNNER: run one test runner (an e2e script, or a unit
# test binary) for tests/run-tests.sh, keep its output in $work/NAME.out
# and print it whole when it ends. A runner that dies without reporting
# anything counts as one failure.
t=$1
name=$(basename "$t")
case $t in
*.sh) out=$(sh "$t" 2>&1 </dev/null) ;;
*) out=$("$t" 2>&1 </dev/null) ;;
esac
st=$?
if [ $st -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^not ok'; then
	out=$(printf '%s\nnot ok - %s: exited with status %s' "$out" "$name" "$st")
fi
printf '%s\n' "$out" >"$work/$name.out"
# one writer at a time on standard output
flock "$work/lock" cat "$work/$name.out"
