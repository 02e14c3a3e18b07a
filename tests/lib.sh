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

# perf_available: whether perf_event_open works here (else tests skip).
perf_available() {
	"$TT" perf-check >/dev/null 2>&1
}

# skip_all_without_perf NAME...: when perf_event_open is not permitted,
# report every named test as skipped, and end the script.
skip_all_without_perf() {
	if ! perf_available; then
		reason=$("$TT" perf-check 2>&1 | head -n 1)
		for n in "$@"; do
			test_skip "$n" "$reason"
		done
		exit 0
	fi
}

# Fixtures are built once per build directory and shared by the scripts.
FIXTURE_BIN=$BUILD/fixtures
export FIXTURE_BIN

# build_c_fixture NAME CC [CFLAGS...]: compile tests/fixtures/c/NAME.c into
# $FIXTURE_BIN/NAME-CC (the path is printed); -O2 -g unless CFLAGS say else.
build_c_fixture() {
	name=$1
	cc=$2
	shift 2
	suffix=$(printf '%s' "$*" | tr -c 'a-zA-Z0-9' '_')
	out=$FIXTURE_BIN/$name-$cc$suffix
	mkdir -p "$FIXTURE_BIN"
	if [ ! -x "$out" ] || [ "$SRC/tests/fixtures/c/$name.c" -nt "$out" ]; then
		"$cc" -O2 -g "$@" -o "$out" "$SRC/tests/fixtures/c/$name.c" -lpthread >&2 || return 1
	fi
	echo "$out"
}

# build_crate NAME PROFILE: cargo build tests/fixtures/crates/NAME with
# PROFILE (release, release-debug, dev) into a shared target directory
# (offline); prints the target directory of that profile.
build_crate() {
	dir=$SRC/tests/fixtures/crates/$1
	target=$FIXTURE_BIN/cargo-target
	mkdir -p "$target"
	(cd "$dir" && CARGO_TARGET_DIR=$target cargo build --offline -q --profile "$2") >&2 || return 1
	case $2 in
	dev) echo "$target/debug" ;;
	*) echo "$target/$2" ;;
	esac
}
