#!/bin/sh
# The perf backend: -c, PERF, -z, --root and --perfdata, with a fake perf
# that records its command lines, and with the real perf where it works.
# The tests that record for real run as root and again as the test user
# (test_expect_rec); the chain fixture takes milliseconds of CPU time.
. "$(dirname "$0")/../lib.sh"

FAKE=$SRC/tests/fixtures/fake-perf/perf
export FAKE

cat >"$TMP_ROOT/known.perf" <<'PERF'
prog 100 1.000: 250000 cpu-clock:
	1111 leaf (/usr/local/bin/prog)
	2222 main (/usr/local/bin/prog)

prog 100 1.001: 250000 cpu-clock:
	1111 leaf (/usr/local/bin/prog)
	2222 main (/usr/local/bin/prog)

PERF
KNOWN=$TMP_ROOT/known.perf
export KNOWN

test_expect '-c replaces the perf arguments and -o perf.data is added' '
	export FAKE_PERF_LOG=$PWD/log FAKE_PERF_SCRIPT=$KNOWN
	PERF=$FAKE "$FG" -c "record -e branch-misses -c 100 -g" --format folded -o out.folded -- ./prog a b >/dev/null 2>err
	test "$(head -n 1 log)" = "[record][-e][branch-misses][-c][100][-g][-o][perf.data][--][./prog][a][b]"
	grep -qx "prog;main;leaf 500000" out.folded
	test -f perf.data
	grep -q "perf data is in .perf.data." err
'

test_expect '-c with its own -o: that file is read' '
	export FAKE_PERF_LOG=$PWD/log FAKE_PERF_SCRIPT=$KNOWN
	PERF=$FAKE "$FG" -c "record -g -o my.data" --format folded -o out.folded -- ./prog >/dev/null 2>err
	test "$(head -n 1 log)" = "[record][-g][-o][my.data][--][./prog]"
	grep -q "^\[script\]\[--force\]\[-i\]\[my.data\]" log
	test -f my.data
	test ! -e perf.data
'

test_expect '-p with -c "... -- sleep 10": our arguments go before the --' '
	export FAKE_PERF_LOG=$PWD/log FAKE_PERF_SCRIPT=$KNOWN
	PERF=$FAKE "$FG" -p 123,456 -c "record -g -- sleep 10" --format folded -o out.folded >/dev/null 2>err
	test "$(head -n 1 log)" = "[record][-g][-o][perf.data][-p][123,456][--][sleep][10]"
'

test_expect '-c with -F is an error; a -o without a value is an error' '
	exit_status env PERF=$FAKE "$FG" -F 99 -c "record -g" -- ./prog >out 2>err
	grep -q "status=64" out
	grep -qx "error: Cannot pass both a custom command and a frequency." err
	export FAKE_PERF_LOG=$PWD/log
	exit_status env PERF=$FAKE "$FG" -c "record -g -o" -- ./prog >out 2>err
	grep -q "status=64" out
	grep -q "missing .-o. argument" err
'

test_expect '-z records with perf and compression, default level 1' '
	export FAKE_PERF_LOG=$PWD/log FAKE_PERF_SCRIPT=$KNOWN
	PERF=$FAKE "$FG" -z --format folded -o out.folded -- ./prog >/dev/null 2>err
	PERF=$FAKE "$FG" -z5 -F 499 --call-graph fp --format folded -o out.folded -- ./prog >/dev/null 2>err
	sed -n 1p log | grep -qx "\[record\]\[-F\]\[997\]\[--call-graph\]\[dwarf,64000\]\[-g\]\[--compression-level=1\]\[-o\]\[perf.data\]\[--\]\[./prog\]"
	sed -n 3p log | grep -qx "\[record\]\[-F\]\[499\]\[-g\]\[--compression-level=5\]\[-o\]\[perf.data\]\[--\]\[./prog\]"
'

test_expect '--root runs perf under sudo with the flags, one argument' '
	mkdir bin
	cat >bin/sudo <<-SUDO
	#!/bin/sh
	for a in "\$@"; do printf "[%s]" "\$a"; done >>"$PWD/sudo.log"
	echo >>"$PWD/sudo.log"
	while [ "\${1#-}" != "\$1" ]; do shift; done
	exec "\$@"
	SUDO
	chmod +x bin/sudo
	export FAKE_PERF_LOG=$PWD/log FAKE_PERF_SCRIPT=$KNOWN
	PATH=$PWD/bin:$PATH PERF=$FAKE "$FG" --root=-E -c "record -g" --format folded -o out.folded -- ./prog >/dev/null 2>err
	head -n 1 sudo.log | grep -q "^\[-E\]\[$FAKE\]\[record\]\[-g\]"
	grep -qx "prog;main;leaf 500000" out.folded
	test "$(stat -c %u out.folded)" = "$(id -u)"
'

test_expect 'a failing workload: the graph is still written, exit status 1' '
	export FAKE_PERF_LOG=$PWD/log FAKE_PERF_SCRIPT=$KNOWN FAKE_PERF_STATUS=3
	exit_status env PERF=$FAKE "$FG" -c "record -g" -o out.svg -- ./prog >out 2>err
	grep -q "status=1" out
	grep -q "perf record exited with code 3" err
	xml_check out.svg
	PERF=$FAKE "$FG" --ignore-status -c "record -g" -o out.svg -- ./prog >/dev/null 2>err
'

test_expect 'perf script failures report its status and stderr' '
	export FAKE_PERF_LOG=$PWD/log FAKE_PERF_SCRIPT=/dev/null FAKE_SCRIPT_STATUS=2 FAKE_SCRIPT_STDERR="bad things"
	exit_status env PERF=$FAKE "$FG" -c "record -g" -o out.svg -- ./prog >out 2>err
	grep -q "status=2" out
	grep -q "unable to run .perf script.: (exited with code 2) bad things" err
	test ! -e out.svg
'

test_expect 'PERF pointing nowhere, and perf missing from PATH' '
	exit_status env PERF=/nonexistent/perf "$FG" -c "record -g" -- ./prog >out 2>err
	grep -q "status=2" out
	grep -qx "error: perf not found at ./nonexistent/perf. (from the PERF environment variable)" err
	mkdir empty
	exit_status env -u PERF PATH=$PWD/empty "$FG" -c "record -g" -- ./prog >out 2>err
	grep -q "status=2" out
	grep -q "perf is not installed or not present in \$PATH; on Debian it comes with the package linux-perf" err
'

test_expect_rec 'the native engine needs no perf at all' '
	"$TT" perf-check >/dev/null || exit 0
	gcc -O2 -g -o chain "$SRC/tests/fixtures/c/chain.c"
	mkdir empty
	env -u PERF PATH=$PWD/empty "$FG" --format folded -o out.folded -- ./chain 300 >/dev/null 2>err
	in_order out.folded main mid leaf_a
'

test_expect '--perfdata conflicts with a command, --pid, -c' '
	exit_status "$FG" --perfdata x.data -- ./prog >out 2>err
	grep -q "status=64" out
	exit_status "$FG" --perfdata x.data -p 1 >out 2>err
	grep -q "status=64" out
	exit_status "$FG" --perfdata missing.data >out 2>err
	grep -q "status=2" out
	grep -q "missing.data" err
'

if perf_available && command -v perf >/dev/null 2>&1 &&
   perf record -o "$TMP_ROOT/probe.data" true >/dev/null 2>&1; then
	CHAIN=$(build_c_fixture chain gcc) || exit 1
	CHAIN_FP=$(build_c_fixture chain gcc -fno-omit-frame-pointer) || exit 1
	export CHAIN CHAIN_FP
	test_expect_rec 'real perf: -c "record -F 499 -g" and --perfdata of the data' '
		"$FG" -c "record -F 499 -g" --format folded -o out.folded -- "$CHAIN_FP" 400 >/dev/null 2>err
		test -f perf.data
		in_order out.folded main leaf_a
		"$FG" --perfdata perf.data --format folded -o again.folded >/dev/null 2>err
		test_cmp out.folded again.folded
	'
	test_expect_rec 'real perf: -z compressed recording read natively' '
		"$FG" -z --format folded -o out.folded -- "$CHAIN" 400 >/dev/null 2>err
		in_order out.folded main mid leaf_a
		if grep -q "with perf script" err; then exit 1; fi
	'
else
	test_skip 'real perf: -c "record -F 499 -g" and --perfdata of the data' 'perf is missing or not permitted'
	test_skip 'real perf: -z compressed recording read natively' 'perf is missing or not permitted'
fi

test_done
