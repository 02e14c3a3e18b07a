#!/bin/sh
# Install what flamegraph needs, build it, and install the executables.
#
#   ./install.sh               packages, build, install
#   ./install.sh --deps-only   packages only (what `make check` runs)
#   PREFIX=/opt/fg ./install.sh
#
# Only missing Debian packages are installed ("apt-get update" first), with
# sudo when not root. The executables go to PREFIX/bin: by default
# ~/.cargo/bin when it exists (so `cargo flamegraph` finds them next to
# cargo), else /usr/local/bin. Running it again changes nothing.
set -eu

cd "$(dirname "$0")"

deps_only=0
for arg in "$@"; do
	case $arg in
	--deps-only) deps_only=1 ;;
	-h|--help)
		sed -n '2,12s/^# \{0,1\}//p' "$0"
		exit 0 ;;
	*)
		echo "install.sh: unknown argument '$arg' (try --help)" >&2
		exit 64 ;;
	esac
done

# Build: compilers, elfutils, cJSON. Tests: xmllint, valgrind, chromium (browser test),
# node/npm (playwright-core), perf (perf-backend tests and benchmarks).
PACKAGES="make gcc clang libclang-rt-14-dev pkg-config libdw-dev libelf-dev
libcjson-dev zlib1g-dev libdeflate-dev libzstd-dev libxml2-utils chromium linux-perf
elfutils time valgrind librust-criterion-dev"
command -v node >/dev/null 2>&1 || PACKAGES="$PACKAGES nodejs"
command -v npm >/dev/null 2>&1 || PACKAGES="$PACKAGES npm"

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
	echo "install.sh: installing$missing"
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
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
