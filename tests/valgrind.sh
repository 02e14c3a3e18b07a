#!/bin/sh
# make valgrind: the test suite with every program of the build (flamegraph,
# cargo-flamegraph, test-tool, the unit tests) run under valgrind's
# memcheck. A memory error, or a leak valgrind calls definite, makes the
# program exit with status 97 and so fails its test.
#
# The programs are wrapped in FG_VALGRIND_DIR (default build-valgrind), a
# build directory whose executables (programs, unit tests, fuzz replay
# drivers) are scripts that exec valgrind on the real ones in $O (default
# build). FG_TESTS=PATTERN selects scripts as in
# tests/run-tests.sh; FG_VALGRIND_SKIP=PATTERN leaves out scripts that
# cannot run under valgrind's slowdown (default: the browser test).
set -eu

SRC=$(cd "$(dirname "$0")/.." && pwd)
REAL=$(cd "$SRC/${O:-build}" && pwd)
WRAP=${FG_VALGRIND_DIR:-$SRC/build-valgrind}
SUPP=$SRC/tests/valgrind.supp

VALGRIND=$(command -v valgrind) || { echo "valgrind is not installed" >&2; exit 1; }
# the wrappers run with whatever PATH a test gives (an empty one too)
READLINK=$(command -v readlink) DIRNAME=$(command -v dirname)
rm -rf "$WRAP"
mkdir -p "$WRAP/bin" "$WRAP/tests"

wrap() {
	# wrap REAL_PROGRAM WRAPPER (valgrind and the tools it uses by their
	# full paths: tests run programs with a PATH of their own, an empty
	# one too; the program by its path from the wrapper, so that a copy
	# of both trees still works, else by its full path, so that a copy
	# of the wrapper alone, which a test may make for another user, works)
	rel=$(realpath --relative-to="$(dirname "$2")" "$1")
	srel=$(realpath --relative-to="$(dirname "$2")" "$SUPP")
	cat >"$2" <<WRAPPER
#!/bin/sh
here=\$($DIRNAME "\$($READLINK -f "\$0")")
prog=\$here/$rel supp=\$here/$srel
[ -x "\$prog" ] || prog='$1' supp='$SUPP'
exec $VALGRIND -q --fair-sched=try --error-exitcode=97 --leak-check=full \\
	--show-leak-kinds=definite --errors-for-leak-kinds=definite \\
	--suppressions="\$supp" "\$prog" "\$@"
WRAPPER
	chmod +x "$2"
}

for p in "$REAL"/bin/*; do
	wrap "$p" "$WRAP/bin/$(basename "$p")"
done
for t in "$REAL"/tests/t-*; do
	[ -x "$t" ] && wrap "$t" "$WRAP/tests/$(basename "$t")"
done
if [ -d "$REAL/fuzz-replay" ]; then
	mkdir -p "$WRAP/fuzz-replay"
	for t in "$REAL"/fuzz-replay/*; do
		[ -x "$t" ] && wrap "$t" "$WRAP/fuzz-replay/$(basename "$t")"
	done
fi
# Man pages and other data are read from the real build.
[ -d "$REAL/man" ] && ln -s "$(realpath --relative-to="$WRAP" "$REAL/man")" "$WRAP/man"

FG_SKIP=${FG_VALGRIND_SKIP:-t5900}
FG_SKIP_REASON="not run under valgrind: the browser test drives Chromium against a timeout that valgrind's slowdown exceeds"
export FG_SKIP FG_SKIP_REASON
FG_BUILD=$WRAP FG_VALGRIND=1 exec "$SRC/tests/run-tests.sh"
