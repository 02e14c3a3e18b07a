#!/bin/sh
# cargo flamegraph's messages, without profiling: they name the command as
# the user types it ("cargo flamegraph", not "cargo-flamegraph"); lists of
# candidate targets have one candidate a line, each with the options that
# select it; a directory where a program or a Cargo.toml should be is said
# to be one. Targets come from the real metadata of the fixture crates
# (cargo metadata builds nothing); builds come from a fake cargo ($CARGO)
# that prints the JSON messages a test gives it.
. "$(dirname "$0")/../lib.sh"

CFG=$BUILD/bin/cargo-flamegraph
CRATES=$SRC/tests/fixtures/crates
FAKE=$TMP_ROOT/fake-cargo
cat >"$FAKE" <<'EOF'
#!/bin/sh
# A stand-in for cargo: recorded metadata, and the build messages of
# $FAKE_BUILD_OUT.
case $1 in
metadata)
	cat "$FAKE_METADATA"
	exit 0
	;;
esac
cat "$FAKE_BUILD_OUT"
EOF
chmod +x "$FAKE"
(cd "$CRATES/unitpick" && cargo metadata --offline --format-version 1 --no-deps) \
	>"$TMP_ROOT/unitpick.json" || exit 1
FAKE_METADATA=$TMP_ROOT/unitpick.json
unset CARGO
export CFG CRATES FAKE FAKE_METADATA

test_expect 'usage errors and --help name the command "cargo flamegraph"' '
	exit_status "$CFG" flamegraph --frobnicate >out 2>err
	grep -q status=64 out
	test "$(cat err)" = "error: unknown option '"'"'--frobnicate'"'"' (see '"'"'cargo flamegraph --help'"'"')"
	exit_status "$CFG" -Q >out 2>err
	grep -q "(see .cargo flamegraph --help.)$" err
	exit_status "$CFG" --bin x stray >out 2>err
	grep -q status=64 out
	grep -q "^error: unexpected argument .stray.;.*(see .cargo flamegraph --help.)$" err
	# as cargo runs it
	PATH=$BUILD/bin:$PATH exit_status cargo flamegraph --frobnicate >out 2>err
	grep -q status=64 out
	grep -q "(see .cargo flamegraph --help.)$" err
	"$CFG" --help >help
	sed -n "1,2p" help >got
	printf "%s\n" "Usage: cargo flamegraph [OPTIONS] [-- ARGS...]" \
		"       cargo flamegraph --completions SHELL" >expected
	test_cmp expected got
	if grep -q "cargo-flamegraph" help; then exit 1; fi
'

test_expect 'several possible targets: one a line, with the options that select it' '
	exit_status "$CFG" --manifest-path "$CRATES/workspace/Cargo.toml" >out 2>err
	grep -q status=2 out
	cat >expected <<-\EOF
	error: several possible targets found, please pass an explicit target:
	  bin '"'"'alpha'"'"' in package alpha   -p alpha --bin alpha
	  bin '"'"'beta'"'"' in package beta     -p beta --bin beta
	EOF
	test_cmp expected err
	# unit tests: the lib too (default-run does not hide it), and the way out
	exit_status "$CFG" --manifest-path "$CRATES/multi/Cargo.toml" --unit-test >out 2>err
	grep -q status=2 out
	cat >expected <<-\EOF
	error: several possible targets found, please pass an explicit target:
	  lib '"'"'multi'"'"' in package multi   --unit-test multi
	  bin '"'"'fast'"'"' in package multi    --unit-test fast
	or give a test filter after '"'"'--'"'"' to profile the harnesses that hold matching tests
	EOF
	test_cmp expected err
	# a lib and a bin of one name: the kind too, only where it is needed
	exit_status "$CFG" --manifest-path "$CRATES/workspace/Cargo.toml" --unit-test >out 2>err
	cat >expected <<-\EOF
	error: several possible targets found, please pass an explicit target:
	  lib '"'"'alpha'"'"' in package alpha   -p alpha --unit-test alpha --unit-test-kind lib
	  bin '"'"'alpha'"'"' in package alpha   -p alpha --unit-test alpha --unit-test-kind bin
	  bin '"'"'beta'"'"' in package beta     -p beta --unit-test beta
	  lib '"'"'gamma'"'"' in package gamma   -p gamma --unit-test gamma
	or give a test filter after '"'"'--'"'"' to profile the harnesses that hold matching tests
	EOF
	test_cmp expected err
'

test_expect 'an unknown target name: the candidates, one a line' '
	exit_status "$CFG" --manifest-path "$CRATES/multi/Cargo.toml" --unit-test nope >out 2>err
	grep -q status=2 out
	cat >expected <<-\EOF
	error: no lib or bin target named '"'"'nope'"'"'; the candidates are:
	  lib '"'"'multi'"'"' in package multi   --unit-test multi
	  bin '"'"'fast'"'"' in package multi    --unit-test fast
	  bin '"'"'slow'"'"' in package multi    --unit-test slow
	EOF
	test_cmp expected err
'

test_expect 'the executable cargo reports is a directory, or missing: said so' '
	mkdir adir
	printf "%s\n" "{\"reason\":\"compiler-artifact\",\"target\":{\"kind\":[\"bin\"],\"name\":\"fast\"},\"profile\":{\"test\":false},\"executable\":\"$TMP/adir\"}" \
		"{\"reason\":\"build-finished\",\"success\":true}" >build.json
	FAKE_BUILD_OUT=build.json CARGO=$FAKE exit_status "$CFG" \
		--manifest-path "$CRATES/multi/Cargo.toml" --bin fast >out 2>err
	grep -q status=2 out
	test "$(cat err)" = "error: '"'"'$TMP/adir'"'"', the executable cargo reported for bin '"'"'fast'"'"', is a directory, not a program"
	test ! -e flamegraph.svg
	sed "s|$TMP/adir|$TMP/gone/fast|; s|\"bin\"|\"example\"|" build.json >gone.json
	FAKE_BUILD_OUT=gone.json CARGO=$FAKE exit_status "$CFG" \
		--manifest-path "$CRATES/multi/Cargo.toml" --example fast >out 2>err
	grep -q status=2 out
	test "$(cat err)" = "error: cannot run '"'"'$TMP/gone/fast'"'"', the executable cargo reported for example '"'"'fast'"'"': No such file or directory"
	test ! -e flamegraph.svg
'

test_expect 'a harness of the unit-test search is a directory: said so' '
	mkdir adir
	printf "%s\n" "{\"reason\":\"compiler-artifact\",\"target\":{\"kind\":[\"lib\"],\"name\":\"unitpick\"},\"profile\":{\"test\":true},\"executable\":\"$TMP/adir\"}" \
		"{\"reason\":\"compiler-artifact\",\"target\":{\"kind\":[\"bin\"],\"name\":\"unitpick\"},\"profile\":{\"test\":true},\"executable\":\"/bin/true\"}" >build.json
	FAKE_BUILD_OUT=build.json CARGO=$FAKE exit_status "$CFG" \
		--manifest-path "$CRATES/unitpick/Cargo.toml" --unit-test -- alpha >out 2>err
	grep -q status=2 out
	test "$(cat err)" = "error: '"'"'$TMP/adir'"'"', the executable cargo reported for lib '"'"'unitpick'"'"', is a directory, not a program"
	test ! -e flamegraph.svg
'

test_expect 'CARGO or --manifest-path naming a directory: said so' '
	mkdir adir
	CARGO=$TMP/adir exit_status "$CFG" --manifest-path "$CRATES/multi/Cargo.toml" \
		--bin fast >out 2>err
	grep -q status=2 out
	test "$(cat err)" = "error: cannot run '"'"'$TMP/adir'"'"': it is a directory, not a program (set CARGO to the path of cargo itself)"
	mkdir -p crate/Cargo.toml
	exit_status "$CFG" --manifest-path crate/Cargo.toml >out 2>err
	grep -q status=2 out
	test "$(cat err)" = "error: the manifest path '"'"'crate/Cargo.toml'"'"' is a directory, not a Cargo.toml file"
	cd crate
	exit_status "$CFG" --manifest-path Cargo.toml >out 2>err
	test "$(cat err)" = "error: the manifest path '"'"'Cargo.toml'"'"' is a directory, not a Cargo.toml file"
'

# One warning per cause: a build without debug info gets cargo
# flamegraph's advice, and not the engine's own warning about the same file.
if "$TT" perf-check >/dev/null 2>&1; then
	test_expect_rec 'no debug info: one warning, not two' '
		cp -r "$CRATES/chain" crate
		cd crate
		CARGO_TARGET_DIR=$PWD/target "$CFG" flamegraph -o ../out.svg -- 300 \
			>../out 2>../err
		cd ..
		cat err
		grep -q "WARNING: profiling without debuginfo" err
		! grep -q "has no debug info" err
		# (under valgrind the kernel drops samples, and says so: another cause)
		test "$(grep -v "the kernel dropped" err | grep -c "^warning:\|^WARNING:")" = 1
	'
else
	test_skip 'no debug info: one warning, not two' "$("$TT" perf-check 2>&1 | head -n 1)"
fi

test_done
