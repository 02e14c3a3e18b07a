#!/bin/sh
# Install what flamegraph needs, build it, and install the executables.
#
#   ./install.sh               the packages it needs to build and run, build, install
#   ./install.sh --deps-only   those packages only
#   ./install.sh --test-deps   those and what the tests use (what `make check` runs)
#   PREFIX=/opt/fg ./install.sh
#
# Only missing Debian packages are installed ("apt-get update" first), with
# sudo when not root; a line per step, apt's own output only when it fails.
# The executables go to PREFIX/bin: by default ~/.cargo/bin when it exists
# (so `cargo flamegraph` finds them next to cargo), else /usr/local/bin.
# Running it again changes nothing.
set -eu

cd "$(dirname "$0")"

deps_only=0
test_deps=0
for arg in "$@"; do
	case $arg in
	--deps-only) deps_only=1 ;;
	--test-deps) deps_only=1 test_deps=1 ;;
	-h|--help)
		sed -n '2,14s/^# \{0,1\}//p' "$0"
		exit 0 ;;
	*)
		echo "install.sh: unknown argument '$arg' (try --help)" >&2
		exit 64 ;;
	esac
done

# To build and run: a C compiler and make, elfutils (libdw), cJSON,
# libdeflate and libzstd (compressed debug sections), libstdc++ (C++ names).
PACKAGES="make gcc libc6-dev libstdc++-12-dev pkg-config libdw-dev libelf-dev
libcjson-dev libdeflate-dev libzstd-dev"
# The tests: clang and its fuzzing runtime (make asan, make fuzz), xmllint,
# valgrind, perf (the perf back-end, benchmarks), eu-* tools, GNU time,
# setpriv (the unprivileged runs), Chromium and node/npm (the browser
# test, node's builtins and JIT), criterion's sources (a fixture crate),
# sqlite3 (a real program with PLT calls), bash-completion, zsh and fish
# (the completion scripts, in the shells that run them), Go (its go tool
# pprof reads every pprof file the tests write), python3 (reads the JSON
# reports of comparisons).
if [ "$test_deps" -eq 1 ]; then
	PACKAGES="$PACKAGES clang libclang-rt-14-dev libxml2-utils valgrind linux-perf
elfutils time util-linux chromium librust-criterion-dev sqlite3 bash-completion
zsh fish golang-go python3"
	command -v node >/dev/null 2>&1 || PACKAGES="$PACKAGES nodejs"
	command -v npm >/dev/null 2>&1 || PACKAGES="$PACKAGES npm"
fi

missing=
for p in $PACKAGES; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case $st in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done

if [ -n "$missing" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		SUDO=
	elif command -v sudo >/dev/null 2>&1; then
		SUDO=sudo
	else
		echo "install.sh: need root (or sudo) to install:$missing" >&2
		exit 1
	fi
	log=$(mktemp "${TMPDIR:-/tmp}/install-sh.XXXXXX")
	trap 'rm -f "$log"' EXIT
	echo "install.sh: updating the package lists"
	if ! $SUDO apt-get update >"$log" 2>&1; then
		cat "$log" >&2
		echo "install.sh: apt-get update failed" >&2
		exit 1
	fi
	echo "install.sh: installing$missing"
	# shellcheck disable=SC2086
	if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends \
		$missing >"$log" 2>&1; then
		cat "$log" >&2
		echo "install.sh: apt-get install failed" >&2
		exit 1
	fi
fi

[ "$deps_only" -eq 1 ] && exit 0

if [ -z "${PREFIX:-}" ]; then
	if [ -d "$HOME/.cargo/bin" ]; then
		PREFIX=$HOME/.cargo
	else
		PREFIX=/usr/local
	fi
fi

make -j"$(nproc 2>/dev/null || echo 2)"
if [ -w "$PREFIX" ] || { [ ! -e "$PREFIX" ] && [ -w "$(dirname "$PREFIX")" ]; }; then
	make install PREFIX="$PREFIX"
else
	sudo make install PREFIX="$PREFIX"
fi
echo "install.sh: installed into $PREFIX/bin"
