#!/bin/sh
# cargo-flamegraph with the real cargo, where nothing gets profiled: a build
# that fails (cargo's diagnostics, then "cargo build failed", status 2, no
# SVG), a target name cargo does not know (cargo lists the valid ones), and
# "cargo flamegraph" finding our executable on PATH.
. "$(dirname "$0")/../lib.sh"

CFG=$BUILD/bin/cargo-flamegraph
MULTI=$SRC/tests/fixtures/crates/multi
WS=$SRC/tests/fixtures/crates/workspace
CARGO_TARGET_DIR=$FIXTURE_BIN/cargo-target-errors
unset CARGO
export CFG MULTI WS CARGO_TARGET_DIR

INDIR=$TMP_ROOT/in-dir
printf '%s\n' '#!/bin/sh' 'cd "$1" && shift && exec "$@"' >"$INDIR"
chmod +x "$INDIR"
export INDIR

test_expect 'build failure: cargo diagnostics, then "cargo build failed", status 2, no SVG' '
	mkdir -p broken/src
	printf "%s\n" "[package]" "name = \"broken\"" "version = \"0.1.0\"" "edition = \"2021\"" \
		>broken/Cargo.toml
	printf "%s\n" "fn main() {" "    let x: u32 = \"not a number\";" "    println!(\"{}\", x);" "}" \
		>broken/src/main.rs
	cd broken
	exit_status "$CFG" flamegraph -o "$TMP/out.svg" >"$TMP/out" 2>"$TMP/err"
	cat "$TMP/out" "$TMP/err"
	grep -q status=2 "$TMP/out"
	grep -q "error\[E0308\]: mismatched types" "$TMP/err"
	grep -q "src/main.rs:2" "$TMP/err"
	test "$(tail -n 1 "$TMP/err")" = "error: cargo build failed"
	test ! -e "$TMP/out.svg"
	test ! -e flamegraph.svg
'

test_expect 'unknown --bin: cargo lists the valid ones, status 2' '
	exit_status "$INDIR" "$MULTI" "$CFG" flamegraph --bin nope >out 2>err
	cat out err
	grep -q status=2 out
	grep -q "no bin target named .nope." err
	grep -A3 "available bin targets" err | grep -q fast
	grep -A3 "available bin targets" err | grep -q slow
	test "$(tail -n 1 err)" = "error: cargo build failed"
'

test_expect 'cargo flamegraph: cargo runs our cargo-flamegraph from PATH' '
	PATH=$BUILD/bin:$PATH cargo flamegraph --version >v
	"$CFG" --version >want
	test_cmp want v
	PATH=$BUILD/bin:$PATH exit_status "$INDIR" "$WS" cargo flamegraph -p nope >out 2>err
	grep -q status=2 out
	grep -q "^error: workspace has no package named nope$" err
'

test_done
