#!/bin/sh
# install.sh installs what the tools need to build and run, and only with
# --test-deps what the tests use; quietly (a line per step), apt's output
# only when it fails. apt-get and dpkg-query are stand-ins here that log
# what they are asked.
. "$(dirname "$0")/../lib.sh"

FAKE=$TMP_ROOT/fake
mkdir -p "$FAKE"
# every package is missing; apt-get logs its arguments, or fails on demand
printf '%s\n' '#!/bin/sh' 'exit 1' >"$FAKE/dpkg-query"
printf '%s\n' '#!/bin/sh' 'echo "$*" >>"$APT_LOG"' 'echo "apt chatter for $1"' \
	'[ -z "${APT_FAIL:-}" ] || { echo "E: Unable to locate package $APT_FAIL"; exit 100; }' \
	>"$FAKE/apt-get"
printf '%s\n' '#!/bin/sh' 'echo 0' >"$FAKE/id"
chmod +x "$FAKE"/*
export FAKE

test_expect 'install.sh --deps-only: what building and running needs, nothing of the tests' '
	APT_LOG=$PWD/apt.log PATH="$FAKE:$PATH" sh "$SRC/install.sh" --deps-only >out 2>&1
	cat out
	grep -q "^update" apt.log
	grep "^install" apt.log | grep -q " libdw-dev"
	grep "^install" apt.log | grep -q " libcjson-dev"
	for p in chromium valgrind linux-perf clang librust-criterion-dev nodejs; do
		if grep "^install" apt.log | grep -qw -- "$p"; then
			echo "$p installed for building"; exit 1
		fi
	done
	# a line per step, none of apt s chatter
	test "$(wc -l <out)" -le 2
	! grep -q "apt chatter" out
'

test_expect 'install.sh --test-deps: what the tests use too' '
	APT_LOG=$PWD/apt.log PATH="$FAKE:$PATH" sh "$SRC/install.sh" --test-deps >out 2>&1
	for p in libdw-dev chromium valgrind linux-perf clang util-linux; do
		grep "^install" apt.log | grep -qw -- "$p"
	done
'

test_expect 'install.sh: a failing apt-get shows its output and fails' '
	set +e
	APT_FAIL=nosuch APT_LOG=$PWD/apt.log PATH="$FAKE:$PATH" sh "$SRC/install.sh" --deps-only >out 2>&1
	st=$?
	set -e
	cat out
	test "$st" = 1
	grep -q "Unable to locate package nosuch" out
	grep -q "install.sh: apt-get update failed" out
'

test_done
