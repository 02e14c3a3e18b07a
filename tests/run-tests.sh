#!/bin/sh
# Run every unit test binary and every end-to-end script, then print one
# summary line: "N passed, N failed" (", N skipped" when tests were skipped).
#
# Scripts run in parallel, one per CPU (FG_JOBS=N to choose); each one's
# output is printed whole when it ends, so lines of two scripts never mix.
#
#   FG_SUITE=stats       run the statistical proofs (tests/stats/t*.sh, make
#                        check-stats) instead of the unit and e2e tests
#   FG_TESTS=PATTERN     run only the scripts/binaries whose name matches
#   FG_SKIP=PATTERN      leave out the scripts whose name matches, counted
#   FG_SKIP_REASON=TEXT  as skipped with this reason (make valgrind does so)
#
# Run as root, the suite also runs the tests that record as an unprivileged
# user it creates (fg-tester; see tests/lib.sh, test_expect_user). That user
# must be able to reach the build and the tests: when the source tree is
# out of its reach (a clone in /root), the tree is mirrored where it can.

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${FG_BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$SRC/$BUILD ;; esac
export FG_BUILD=$BUILD
pattern=${FG_TESTS:-}
skip_pattern=${FG_SKIP:-}
jobs=${FG_JOBS:-$(nproc 2>/dev/null || echo 2)}
work=$(mktemp -d "${TMPDIR:-/tmp}/fg-tests.XXXXXX")
user_tree=
cleanup() {
	rm -rf "$work"
	[ -n "$user_tree" ] && rm -rf "$user_tree"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

. "$SRC/tests/test-user.sh"
user_setup

selected() {
	[ -z "$pattern" ] || printf '%s\n' "$1" | grep -q -- "$pattern"
}

# The runners, longest first (the cargo and recording scripts), so that
# the two cores stay busy to the end.
list=$work/list
: >"$list"
suite=$SRC/tests/e2e
[ "${FG_SUITE:-}" = stats ] && suite=$SRC/tests/stats
for t in "$suite"/t[0-9]*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t")
	selected "$name" || continue
	if [ -n "$skip_pattern" ] && printf '%s\n' "$name" | grep -q -- "$skip_pattern"; then
		echo "skip - ${name%.sh}: (${FG_SKIP_REASON:-left out of this run})" >"$work/$name.out"
		cat "$work/$name.out"
		continue
	fi
	case $name in
	t6*|t7*|t2*|t1*|t8*) rank=0 ;;
	*) rank=1 ;;
	esac
	echo "$rank $t" >>"$list"
done
[ "${FG_SUITE:-}" = stats ] || for t in "$BUILD"/tests/t-*; do
	[ -x "$t" ] || continue
	selected "$(basename "$t")" || continue
	echo "2 $t" >>"$list"
done

export work
# The tests run as the unprivileged user take turns (tests/lib.sh): the
# kernel's locked-memory budget for perf rings is per user, and two
# recordings of one user at once would each get half of it.
export FG_USER_LOCK="$work/user.lock"
sort -s -k1,1n "$list" | cut -d' ' -f2- | tr '\n' '\0' |
	xargs -0 -n 1 -P "$jobs" "$SRC/tests/run-one.sh"

cat "$work"/*.out >"$work/all" 2>/dev/null
passed=$(grep -c '^ok - ' "$work/all")
failed=$(grep -c '^not ok - ' "$work/all")
skipped=$(grep -c '^skip - ' "$work/all")
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
