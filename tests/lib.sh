# Shell library for the end-to-end tests (tests/e2e/tNNNN-area-detail.sh).
#
#	. "$(dirname "$0")/../lib.sh"
#	test_expect 'what it checks' '
#		"$FG" --from-folded in.folded -o out.svg &&
#		xml_check out.svg
#	'
#	test_done
#
# Each test_expect body runs in a subshell inside a fresh scratch directory
# ($TMP, removed at the end) with "set -e"; it passes when it exits 0. Each
# prints "ok - SCRIPT: NAME", "not ok - SCRIPT: NAME" (followed by the
# body's output) or "skip - SCRIPT: NAME (reason)": the lines
# tests/run-tests.sh counts. Variables: $FG (the flamegraph binary),
# $TT (test-tool), $SRC (source root), $DATA (tests/data), $FIXTURES.

set -u
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${FG_BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$SRC/$BUILD ;; esac
FG=$BUILD/bin/flamegraph
TT=$BUILD/bin/test-tool
DATA=$SRC/tests/data
FIXTURES=$SRC/tests/fixtures
SCRIPT=$(basename "$0" .sh)
TMP_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/fg-$SCRIPT.XXXXXX")
trap 'rm -rf "$TMP_ROOT"' EXIT
test_failures=0
test_count=0
# Bodies run in "sh -c" with the helpers of tests/lib-body.sh loaded.
LIB_SH=$SRC/tests/lib-body.sh
export FG TT SRC DATA FIXTURES BUILD LIB_SH

test_expect() {
	name=$1
	body=$2
	test_count=$((test_count + 1))
	TMP=$TMP_ROOT/$test_count
	mkdir -p "$TMP"
	if out=$(cd "$TMP" && TMP=$TMP sh -ec ". \"\$LIB_SH\"; $body" 2>&1); then
		echo "ok - $SCRIPT: $name"
	else
		echo "not ok - $SCRIPT: $name"
		printf '%s\n' "$out" | sed 's/^/#   /' | head -n 60
		test_failures=$((test_failures + 1))
	fi
}

# test_skip NAME REASON: a test that cannot run here, and why.
test_skip() {
	test_count=$((test_count + 1))
	echo "skip - $SCRIPT: $1 ($2)"
}

test_done() {
	[ "$test_failures" -eq 0 ]
}
