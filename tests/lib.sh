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
# the test user's scratch directories are in there
chmod 711 "$TMP_ROOT"
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

# test_expect_user NAME BODY: BODY as the unprivileged test user (see
# tests/test-user.sh), in a fresh scratch directory of its own that is
# also its HOME, with the same variables; reported as "NAME (as user
# fg-tester)". Where there is no such user (the suite runs unprivileged
# already), the test is reported as skipped with the reason.
test_expect_user() {
	if [ -z "${FG_TEST_USER:-}" ]; then
		test_skip "$1 (as an unprivileged user)" "${FG_TEST_USER_WHY:-no test user}"
		return 0
	fi
	name="$1 (as user $FG_TEST_USER)"
	body=$2
	test_count=$((test_count + 1))
	TMP=$TMP_ROOT/$test_count
	mkdir -p "$TMP"
	chown "$FG_TEST_USER:" "$TMP"
	# one such test at a time across the parallel scripts (run-tests.sh)
	if out=$(cd "$TMP" && ${FG_USER_LOCK:+flock "$FG_USER_LOCK"} \
			env -u CARGO_HOME -u RUSTUP_HOME -u RUSTUP_TOOLCHAIN \
			-u SUDO_UID -u SUDO_GID -u SUDO_USER \
			HOME="$TMP" USER="$FG_TEST_USER" LOGNAME="$FG_TEST_USER" TMP="$TMP" \
			TMPDIR="$TMP" PATH="${FG_USER_RUST_BIN:+$FG_USER_RUST_BIN:}$PATH" \
			setpriv --reuid="$FG_TEST_USER" --regid="$FG_TEST_USER" --init-groups \
			--inh-caps=-all -- sh -ec ". \"\$LIB_SH\"; $body" 2>&1); then
		echo "ok - $SCRIPT: $name"
	else
		echo "not ok - $SCRIPT: $name"
		printf '%s\n' "$out" | sed 's/^/#   /' | head -n 60
		test_failures=$((test_failures + 1))
	fi
}

# test_expect_rec NAME BODY: a test that records, run as root (or whoever
# runs the suite) and again as the unprivileged test user, with the same
# assertions.
test_expect_rec() {
	test_expect "$1" "$2"
	test_expect_user "$1" "$2"
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

# fixture_dir: $FIXTURE_BIN, or for the test user (who cannot write there)
# a directory in its scratch directory.
fixture_dir() {
	mkdir -p "$FIXTURE_BIN" 2>/dev/null
	if [ -w "$FIXTURE_BIN" ]; then
		echo "$FIXTURE_BIN"
	else
		mkdir -p "$TMP/fixtures" && echo "$TMP/fixtures"
	fi
}

# c_fixture_stale NAME BINARY: the fixture's source, or the header every
# fixture includes, is newer than BINARY.
c_fixture_stale() {
	[ "$SRC/tests/fixtures/c/$1.c" -nt "$2" ] ||
		[ "$SRC/tests/fixtures/c/cpu-time.h" -nt "$2" ]
}

# build_c_fixture NAME CC [CFLAGS...]: compile tests/fixtures/c/NAME.c into
# $FIXTURE_BIN/NAME-CC (the path is printed); -O2 -g unless CFLAGS say else.
# The test user finds there what root built, or builds its own.
build_c_fixture() {
	name=$1
	cc=$2
	shift 2
	suffix=$(printf '%s' "$*" | tr -c 'a-zA-Z0-9' '_')
	out=$FIXTURE_BIN/$name-$cc$suffix
	if [ ! -w "$FIXTURE_BIN" ] && [ -x "$out" ] && ! c_fixture_stale "$name" "$out"; then
		echo "$out"
		return 0
	fi
	out=$(fixture_dir)/$name-$cc$suffix
	if [ ! -x "$out" ] || c_fixture_stale "$name" "$out"; then
		# scripts run in parallel: build aside, then rename
		"$cc" -O2 -g "$@" -o "$out.$$" "$SRC/tests/fixtures/c/$name.c" -lpthread >&2 &&
			mv -f "$out.$$" "$out" || return 1
	fi
	echo "$out"
}

# build_crate NAME PROFILE: cargo build tests/fixtures/crates/NAME with
# PROFILE (release, release-debug, dev) into a shared target directory
# (offline); prints the target directory of that profile.
build_crate() {
	dir=$SRC/tests/fixtures/crates/$1
	target=$(fixture_dir)/cargo-target
	mkdir -p "$target"
	(cd "$dir" && CARGO_TARGET_DIR=$target cargo build --offline -q --profile "$2") >&2 || return 1
	case $2 in
	dev) echo "$target/debug" ;;
	*) echo "$target/$2" ;;
	esac
}
