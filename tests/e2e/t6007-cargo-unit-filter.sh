#!/bin/sh
# cargo flamegraph --unit-test -- FILTER without a target name, in a
# package with a lib and a bin (tests/fixtures/crates/unitpick, the common
# layout): each harness is asked which of its tests match (--list, with
# the libtest options given), and those with matches are profiled, one
# after the other in the same recording; no match is an error naming the
# filter and the harnesses; no filter keeps the list of candidates.
#
# Each user builds a copy of the crate of its own, shared by the tests of
# this script (unitpick_crate); commands run from the test's $TMP with
# --manifest-path, so output files never land in the crate. The tests
# that record run as root and again as the unprivileged test user.
. "$(dirname "$0")/../lib.sh"

CFG=$BUILD/bin/cargo-flamegraph
UNITPICK=$SRC/tests/fixtures/crates/unitpick
ROOT_SHARE=$TMP_ROOT/root-share
USER_SHARE=$TMP_ROOT/user-share
mkdir "$ROOT_SHARE" "$USER_SHARE"
[ -z "${FG_TEST_USER:-}" ] || chown "$FG_TEST_USER:" "$USER_SHARE"
# Helpers for the bodies (which run in sh -c with tests/lib-body.sh).
HELPERS=$TMP_ROOT/unitpick.sh
cat >"$HELPERS" <<'EOF'
# unitpick_crate: CRATE, a copy of the unitpick fixture the current user
# may build in (one per user, kept between the tests), and its
# CARGO_TARGET_DIR (exported).
unitpick_crate() {
	if [ -w "$ROOT_SHARE" ]; then
		share=$ROOT_SHARE
	else
		share=$USER_SHARE
	fi
	if [ ! -d "$share/unitpick" ]; then
		cp -r "$UNITPICK" "$share/unitpick"
		rm -rf "$share/unitpick/target"
	fi
	CRATE=$share/unitpick
	CARGO_TARGET_DIR=$share/target
	export CARGO_TARGET_DIR
}

# samples NEEDLE FOLDED: the samples of the stacks with NEEDLE.
samples() {
	awk -v n="$1" 'index($0, n) { m += $NF } END { print m + 0 }' "$2"
}

# line_of PATTERN FILE: the number of the first line matching PATTERN.
line_of() {
	grep -n "$1" "$2" | head -n 1 | cut -d: -f1
}
EOF
unset CARGO CARGO_TARGET_DIR UNITPICK_FAIL UNITPICK_ENV_OUT
export CFG UNITPICK ROOT_SHARE USER_SHARE HELPERS

test_expect 'no filter: the candidates, one a line, with their options' '
	# metadata only: nothing is built in the source tree
	for args in "" "-- --exact" "-- --skip lib_ --test-threads 1"; do
		exit_status "$CFG" --manifest-path "$UNITPICK/Cargo.toml" --unit-test $args \
			>out 2>err
		grep -q status=2 out
		cat >expected <<-\EOF
		error: several possible targets found, please pass an explicit target:
		  lib '"'"'unitpick'"'"' in package unitpick   --unit-test unitpick --unit-test-kind lib
		  bin '"'"'unitpick'"'"' in package unitpick   --unit-test unitpick --unit-test-kind bin
		or give a test filter after '"'"'--'"'"' to profile the harnesses that hold matching tests
		EOF
		test_cmp expected err
	done
	test ! -e "$UNITPICK/target"
'

test_expect 'no test matches: an error naming the filter and the harnesses' '
	. "$HELPERS"
	unitpick_crate
	exit_status "$CFG" --manifest-path "$CRATE/Cargo.toml" --unit-test \
		-o out.svg -- nomatch >out 2>err
	grep -q status=2 out
	test "$(tail -n 1 err)" = "error: no unit test matches '"'"'nomatch'"'"' in the harnesses of lib '"'"'unitpick'"'"' and bin '"'"'unitpick'"'"'"
	test ! -e out.svg
	if grep -q "^recorded\|^running\|^profiling" err; then exit 1; fi
	# libtest options count: no test is named exactly "alpha"; two filters
	exit_status "$CFG" --manifest-path "$CRATE/Cargo.toml" --unit-test \
		-o out.svg -- --exact alpha beta >out 2>err
	grep -q status=2 out
	test "$(tail -n 1 err)" = "error: no unit test matches '"'"'alpha'"'"' or '"'"'beta'"'"' in the harnesses of lib '"'"'unitpick'"'"' and bin '"'"'unitpick'"'"'"
	test ! -e out.svg
'

test_expect 'a libtest option the harness refuses: says which harness, status 2' '
	. "$HELPERS"
	unitpick_crate
	exit_status "$CFG" --manifest-path "$CRATE/Cargo.toml" --unit-test \
		-o out.svg -- alpha --frobnicate >out 2>err
	grep -q status=2 out
	grep -q "^error: cannot list the unit tests of lib .unitpick.: .*unitpick-[0-9a-f]* --list. exited with code 101$" err
	test ! -e out.svg
'

if ! perf_available; then
	reason=$("$TT" perf-check 2>&1 | head -n 1)
	for n in 'a filter in the lib only: its harness alone' \
		 'a filter in the bin only, with --exact' \
		 'a filter in both: one harness after the other, in one graph' \
		 'a failing harness: the other still runs, status 1' \
		 '--duration: the running harness is ended, no other starts'; do
		test_skip "$n" "$reason"
	done
	test_done
	exit
fi

test_expect_rec 'a filter in the lib only: its harness alone' '
	. "$HELPERS"
	unitpick_crate
	"$CFG" flamegraph --manifest-path "$CRATE/Cargo.toml" --unit-test -v \
		-o out.svg --folded-output out.folded -- lib_ >out 2>err
	xml_check out.svg
	grep -q "^profiling the unit tests of lib .unitpick. (2 tests match .lib_.)$" err
	# -v: the build of both harnesses, and each one asked for its tests
	grep -q "^build command: \"cargo\" \"test\" \"--no-run\" \"--release\" \"--package\" \"unitpick\" \"--lib\" \"--bins\" " out
	test "$(grep -c "^list command: .*unitpick-[0-9a-f]*\" \"lib_\" \"--list\"$" out)" = 2
	grep -q "^lib .unitpick.: 2 tests match$" out
	grep -q "^bin .unitpick.: 0 tests match$" out
	grep -q "^test tests::lib_alpha ... ok$" out
	grep -q "^test tests::lib_beta ... ok$" out
	grep -q "unitpick::lib_alpha_work;unitpick::unitpick_spin" out.folded
	grep -q "unitpick::lib_beta_work;unitpick::unitpick_spin" out.folded
	if grep -q "bin_[a-z]*_work" out.folded; then exit 1; fi
	# one harness: no driver, no "running" line
	if grep -q "^running the unit tests" err; then exit 1; fi
'

test_expect_rec 'a filter in the bin only, with --exact' '
	. "$HELPERS"
	unitpick_crate
	"$CFG" --manifest-path "$CRATE/Cargo.toml" --unit-test \
		-o out.svg --folded-output out.folded -- --exact tests::bin_gamma >out 2>err
	xml_check out.svg
	grep -q "^profiling the unit tests of bin .unitpick. (1 test matches .tests::bin_gamma.)$" err
	grep -q "^test tests::bin_gamma ... ok$" out
	grep -q "unitpick::bin_gamma_work;unitpick::unitpick_spin" out.folded
	if grep -q "lib_[a-z]*_work\|bin_alpha_work" out.folded; then exit 1; fi
'

test_expect_rec 'a filter in both: one harness after the other, in one graph' '
	. "$HELPERS"
	unitpick_crate
	UNITPICK_ENV_OUT=$TMP/env.out "$CFG" --manifest-path "$CRATE/Cargo.toml" --unit-test \
		-o out.svg --folded-output out.folded -- alpha >out 2>err
	xml_check out.svg
	grep -q "^profiling the unit tests of lib .unitpick. (1 test matches .alpha.) and bin .unitpick. (1 test matches .alpha.), one after the other$" err
	# each is announced as it starts: the lib first
	lib=$(line_of "^running the unit tests of lib .unitpick.$" err)
	bin=$(line_of "^running the unit tests of bin .unitpick.$" err)
	test -n "$lib" && test -n "$bin" && test "$lib" -lt "$bin"
	grep -q "^test tests::lib_alpha ... ok$" out
	grep -q "^test tests::bin_alpha ... ok$" out
	# both in the graph, each with its own CPU time (300 ms each)
	for f in lib_alpha_work bin_alpha_work; do
		n=$(samples "unitpick::$f;unitpick::unitpick_spin" out.folded)
		test "$n" -gt 0 || { echo "no samples of $f"; exit 1; }
		not_under_sanitizers "the number of samples of $f" || continue
		test "$n" -ge 60 || { echo "only $n samples of $f"; exit 1; }
	done
	if grep -q "lib_beta_work\|bin_gamma_work" out.folded; then exit 1; fi
	# each ran in the package directory with the variables of cargo test
	printf "%s\n" "lib CWD=$CRATE CARGO_PKG_NAME=unitpick" \
		"bin CWD=$CRATE CARGO_PKG_NAME=unitpick" >expected
	test_cmp expected env.out
'

test_expect_rec 'a failing harness: the other still runs, status 1' '
	. "$HELPERS"
	unitpick_crate
	UNITPICK_FAIL=lib exit_status "$CFG" --manifest-path "$CRATE/Cargo.toml" --unit-test \
		-o out.svg --folded-output out.folded -- alpha >out 2>err
	grep -q status=1 out
	xml_check out.svg
	grep -q "^the unit tests of lib .unitpick. exited with code 101$" err
	grep -q "^test tests::lib_alpha ... FAILED$" out
	grep -q "^test tests::bin_alpha ... ok$" out
	grep -q "unitpick::bin_alpha_work;unitpick::unitpick_spin" out.folded
	# --ignore-status: the graph, status 0
	UNITPICK_FAIL=bin exit_status "$CFG" --manifest-path "$CRATE/Cargo.toml" --unit-test \
		--ignore-status -o out.svg -- alpha >out 2>err
	grep -q status=0 out
	grep -q "^the unit tests of bin .unitpick. exited with code 101$" err
'

test_expect_rec '--duration: the running harness is ended, no other starts' '
	. "$HELPERS"
	unitpick_crate
	exit_status "$CFG" --manifest-path "$CRATE/Cargo.toml" --unit-test --duration 0.15 \
		-o out.svg --folded-output out.folded -- alpha >out 2>err
	cat out err
	grep -q status=0 out
	xml_check out.svg
	grep -q "^recording stopped after 0.15 s$" err
	grep -q "^running the unit tests of lib .unitpick.$" err
	if grep -q "^running the unit tests of bin" err; then exit 1; fi
	if grep -q bin_alpha_work out.folded; then exit 1; fi
	# no harness is left running
	sleep 0.2
	if ps -eo args | grep -F "$CARGO_TARGET_DIR/release/deps/unitpick-" | grep -v grep; then
		exit 1
	fi
'

test_done
