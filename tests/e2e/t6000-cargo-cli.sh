#!/bin/sh
# cargo-flamegraph without profiling: options, --help, completions, usage
# errors, and the exact cargo command lines for every flag combination,
# checked with a fake cargo (set through $CARGO) that records its arguments,
# answers "cargo metadata" with the real metadata of the multi fixture and
# fails every build (so nothing gets profiled).
. "$(dirname "$0")/../lib.sh"

CFG=$BUILD/bin/cargo-flamegraph
MULTI=$SRC/tests/fixtures/crates/multi
WS=$SRC/tests/fixtures/crates/workspace
FAKE=$TMP_ROOT/fake-cargo
INDIR=$TMP_ROOT/in-dir
export CFG MULTI WS FAKE INDIR

# in-dir DIR CMD...: run CMD in DIR (output files stay in the test's $TMP).
printf '%s\n' '#!/bin/sh' 'cd "$1" && shift && exec "$@"' >"$INDIR"
chmod +x "$INDIR"

cat >"$FAKE" <<'EOF'
#!/bin/sh
# A stand-in for cargo: logs its arguments, serves recorded metadata.
printf '%s\n' "$*" >>"${FAKE_LOG:-/dev/null}"
case $1 in
metadata)
	cat "$FAKE_METADATA"
	exit 0
	;;
esac
if [ -n "${FAKE_BUILD_OUT:-}" ]; then
	cat "$FAKE_BUILD_OUT"
fi
if [ "${FAKE_STATUS:-101}" != 0 ]; then
	echo "fake cargo: build refused" >&2
fi
exit "${FAKE_STATUS:-101}"
EOF
chmod +x "$FAKE"
# Metadata comes from the real cargo (no build, fast, offline).
for c in multi workspace; do
	(cd "$SRC/tests/fixtures/crates/$c" && cargo metadata --offline --format-version 1 --no-deps) \
		>"$TMP_ROOT/$c.json" || exit 1
done
FAKE_METADATA=$TMP_ROOT/multi.json
WS_METADATA=$TMP_ROOT/workspace.json
export FAKE_METADATA WS_METADATA

test_expect '--help: usage, every target option, exit status' '
	"$CFG" --help >help.txt
	grep -q "^Usage: cargo flamegraph \[OPTIONS\] \[-- ARGS...\]" help.txt
	for o in "-b, --bin BIN" "--example EXAMPLE" "--test TEST" "--bench BENCH" \
		 "--unit-test \[NAME\]" "--unit-bench \[NAME\]" "--unit-test-kind KIND" \
		 "-p, --package PACKAGE" "--manifest-path PATH" "--dev" "--profile PROFILE" \
		 "--target TRIPLE" "-f, --features FEATURES" "--no-default-features" \
		 "--all-features" "-r, --release" "--completions SHELL" "-F, --freq HZ" \
		 "-o, --output PATH" "--palette PALETTE" "--skip-after FUNCTION" \
		 "--no-inline" "--ignore-status" "--post-process CMD" "-v, --verbose"; do
		grep -q -- "$o" help.txt || { echo "missing: $o"; exit 1; }
	done
	grep -q "Exit status:" help.txt
	if grep -q -- "--pid" help.txt; then exit 1; fi
	"$CFG" flamegraph --help >help2.txt
	test_cmp help.txt help2.txt
'

test_expect 'README section documents exactly the cargo options of --help' '
	readme=$SRC/README.md
	if ! grep -q "^## Options of .cargo flamegraph." "$readme"; then
		readme=$SRC/cargo-flamegraph/README-section.md
	fi
	# the options before the shared groups (Recording: and after), plus -h, -V;
	# the shared ones are documented once, in the flamegraph table
	"$CFG" --help | sed "/^Recording:/,/^  -h, --help/{/^  -h, --help/!d}" |
		grep -E "^ {2,6}(-[a-zA-Z], )?--[a-z]" |
		grep -oE -- "^ *(-[a-zA-Z], )?--[a-z][a-z-]*" | grep -oE -- "--[a-z][a-z-]*" |
		sort -u >help-opts
	sed -n "/^## Options of .cargo flamegraph./,/^## /p" "$readme" |
		grep "^| \`" | cut -d"|" -f2 |
		grep -oE -- "--[a-z][a-z-]*" | sort -u >readme-opts
	test_cmp help-opts readme-opts
'

test_expect '--version, with and without the "flamegraph" word' '
	"$CFG" --version >v1
	"$CFG" flamegraph -V >v2
	grep -Eq "^cargo-flamegraph [0-9]+\.[0-9]+\.[0-9]+$" v1
	test_cmp v1 v2
'

test_expect '--completions: every shell, for cargo-flamegraph, exclusive' '
	for sh in bash elvish fish powershell zsh; do
		"$CFG" flamegraph --completions $sh >c.$sh
		grep -q "unit-test-kind" c.$sh
		grep -q "cargo-flamegraph" c.$sh
	done
	bash -n c.bash
	exit_status "$CFG" --completions bash --bin x >out 2>err
	grep -q status=64 out
	grep -q "cannot be used with other options" err
'

test_expect 'conflicting target flags: one line, status 64' '
	for pair in "--bin a --example b" "--test a --bench b" "--unit-test --bin a" \
		    "--example a --unit-bench" "--unit-test x --unit-bench y"; do
		exit_status "$CFG" flamegraph $pair >out 2>err
		grep -q status=64 out
		test "$(wc -l <err)" = 1
		grep -q "^error: .--[a-z-]*. cannot be used with .--[a-z-]*.$" err
	done
'

test_expect 'usage errors: unknown option, bad kind, stray argument' '
	exit_status "$CFG" flamegraph --frobnicate >out 2>err
	grep -q status=64 out
	grep -q "unknown option .--frobnicate. (see .cargo flamegraph --help.)" err
	exit_status "$CFG" --unit-test --unit-test-kind proc >out 2>err
	grep -q status=64 out
	grep -q "possible values: bin, lib" err
	# the name after --unit-test is taken, a second word is stray
	exit_status "$CFG" --unit-test slow filter >out 2>err
	grep -q status=64 out
	grep -q "unexpected argument .filter." err
'

# args | the cargo command line expected after the metadata call (if any).
# The fake build fails, so each ends with "cargo build failed", status 2.
while IFS='|' read -r args want; do
	export args want
	test_expect "cargo command line: cargo flamegraph $args" '
		FAKE_LOG=$TMP/log CARGO=$FAKE exit_status "$INDIR" "$MULTI" "$CFG" flamegraph $args >out 2>err
		grep -q status=2 out
		grep -q "^error: cargo build failed$" err
		grep -q "fake cargo: build refused" err
		tail -n 1 "$TMP/log" >got
		echo "$want --message-format=json-render-diagnostics" >expected
		test_cmp expected got
	'
done <<'EOF'
|build --release --package multi --bin fast
--bin slow|build --release --bin slow
-b slow -r|build --release --bin slow
--dev --bin slow|build --bin slow
--bin slow --target x86_64-unknown-linux-gnu -p multi|build --release --package multi --bin slow --target x86_64-unknown-linux-gnu
--target x86_64-unknown-linux-gnu|build --release --package multi --bin fast --target x86_64-unknown-linux-gnu
--example ex|build --release --example ex
--test integ|build --release --test integ
--bench plain|bench --no-run --bench plain
--dev --bench plain|build --bench plain
--profile prof --bench plain|bench --no-run --profile prof --bench plain
--unit-test slow|test --no-run --release --package multi --bin slow
--unit-test slow -- some_filter|test --no-run --release --package multi --bin slow
--unit-test=slow|test --no-run --release --package multi --bin slow
--unit-test --unit-test-kind lib|test --no-run --release --package multi --lib
--unit-test multi --unit-test-kind lib|test --no-run --release --package multi --lib
--dev --unit-test slow|test --no-run --package multi --bin slow
--unit-bench slow|bench --no-run --package multi --bin slow
--unit-bench --unit-test-kind lib|bench --no-run --package multi --lib
--dev --unit-bench multi|test --no-run --package multi --lib
--profile prof --unit-test slow|test --no-run --profile prof --package multi --bin slow
--profile prof --bin fast -f a,b --no-default-features --all-features --manifest-path Cargo.toml|build --profile prof --bin fast --manifest-path Cargo.toml --features a,b --no-default-features --all-features
EOF

test_expect 'metadata is asked with --format-version 1 --no-deps [--manifest-path]' '
	FAKE_LOG=$TMP/log CARGO=$FAKE exit_status "$INDIR" "$MULTI" "$CFG" --manifest-path "$MULTI/Cargo.toml" >out 2>err
	head -n 1 "$TMP/log" >got
	echo "metadata --format-version 1 --no-deps --manifest-path $MULTI/Cargo.toml" >expected
	test_cmp expected got
	# explicit --bin: cargo resolves the name, no metadata before the build
	rm "$TMP/log"
	FAKE_LOG=$TMP/log CARGO=$FAKE exit_status "$INDIR" "$MULTI" "$CFG" --bin fast >out 2>err
	test "$(wc -l <"$TMP/log")" = 1
'

test_expect '-v prints the metadata and build commands' '
	CARGO=$FAKE exit_status "$INDIR" "$MULTI" "$CFG" flamegraph -v >out 2>err
	grep -q "^metadata command: \"$FAKE\" \"metadata\" \"--format-version\" \"1\" \"--no-deps\"$" out
	grep -q "^build command: \"$FAKE\" \"build\" \"--release\" \"--package\" \"multi\" \"--bin\" \"fast\" \"--message-format=json-render-diagnostics\"$" out
'

test_expect 'unit-test mode: default-run does not hide the lib' '
	CARGO=$FAKE exit_status "$INDIR" "$MULTI" "$CFG" --unit-test >out 2>err
	grep -q status=2 out
	grep -q "^error: several possible targets found, please pass an explicit target:$" err
	grep -q "^  lib .multi. in package multi   --unit-test multi$" err
	grep -q "^  bin .fast. in package multi    --unit-test fast$" err
'

test_expect 'unknown unit-test name lists the valid ones' '
	CARGO=$FAKE exit_status "$INDIR" "$MULTI" "$CFG" --unit-test nope >out 2>err
	grep -q status=2 out
	test "$(wc -l <err)" = 4
	grep -q "^error: no lib or bin target named .nope.; the candidates are:$" err
	grep -q "^  lib .multi. in package multi   --unit-test multi$" err
	grep -q "^  bin .fast. in package multi    --unit-test fast$" err
	grep -q "^  bin .slow. in package multi    --unit-test slow$" err
'

test_expect 'workspace root: several possible targets, with the flags to pick each' '
	exit_status "$INDIR" "$WS" "$CFG" flamegraph >out 2>err
	grep -q status=2 out
	test "$(wc -l <err)" = 3
	grep -q "^error: several possible targets found, please pass an explicit target:$" err
	grep -q "^  bin .alpha. in package alpha   -p alpha --bin alpha$" err
	grep -q "^  bin .beta. in package beta     -p beta --bin beta$" err
'

test_expect 'workspace: lib and bin of one name need --unit-test-kind' '
	exit_status "$INDIR" "$WS/alpha/src" "$CFG" --unit-test alpha >out 2>err
	grep -q status=2 out
	grep -q "^  lib .alpha. in package alpha   --unit-test alpha --unit-test-kind lib$" err
	grep -q "^  bin .alpha. in package alpha   --unit-test alpha --unit-test-kind bin$" err
'

test_expect 'workspace: selection in a member directory, by -p, by --manifest-path' '
	FAKE_METADATA=$WS_METADATA
	export FAKE_METADATA
	FAKE_LOG=$TMP/log CARGO=$FAKE exit_status "$INDIR" "$WS/beta/src" "$CFG" flamegraph >out 2>err
	grep -q "^automatically selected target beta in package beta as it is the only valid target$" err
	tail -n 1 "$TMP/log" | grep -q "^build --release --package beta --bin beta "
	FAKE_LOG=$TMP/log CARGO=$FAKE exit_status "$INDIR" "$WS" "$CFG" flamegraph -p alpha >out 2>err
	grep -q "^automatically selected target alpha in package alpha as it is the only valid target$" err
	tail -n 1 "$TMP/log" | grep -q "^build --release --package alpha --bin alpha "
	FAKE_LOG=$TMP/log CARGO=$FAKE exit_status "$INDIR" / "$CFG" --manifest-path "$WS/beta/Cargo.toml" >out 2>err
	tail -n 1 "$TMP/log" | grep -q "^build --release --package beta --bin beta --manifest-path $WS/beta/Cargo.toml "
'

test_expect 'workspace: unknown package, and a package with nothing to run' '
	exit_status "$INDIR" "$WS" "$CFG" -p nope >out 2>err
	grep -q status=2 out
	test "$(cat err)" = "error: workspace has no package named nope"
	exit_status "$INDIR" "$WS" "$CFG" -p gamma >out 2>err
	grep -q status=2 out
	printf "%s\n" "error: crate has no automatically selectable target:" \
		"Hint: try passing \`--example <example>\` or similar to choose a binary" >expected
	test_cmp expected err
'

test_expect 'no Cargo.toml: says where it looked' '
	mkdir -p empty/sub && cd empty/sub
	exit_status "$CFG" flamegraph --bin x >out 2>err
	grep -q status=2 out
	test "$(cat err)" = "error: could not find '"'"'Cargo.toml'"'"' in '"'"'$(pwd -P)'"'"' or any parent directory"
	test ! -e flamegraph.svg
'

test_expect '--manifest-path that is not a Cargo.toml, or does not exist' '
	exit_status "$CFG" --manifest-path foo.toml >out 2>err
	grep -q status=2 out
	grep -q "^error: the manifest path .foo.toml. must point to a Cargo.toml file$" err
	exit_status "$CFG" --manifest-path /nonexistent/Cargo.toml >out 2>err
	grep -q status=2 out
	grep -q "^error: cannot find the directory of the manifest path ./nonexistent/Cargo.toml." err
'

test_expect 'cargo missing from PATH: one line, status 2' '
	mkdir "$TMP/nobin"
	(unset CARGO; PATH=$TMP/nobin exit_status "$INDIR" "$MULTI" "$CFG" flamegraph >out 2>err)
	grep -q status=2 out
	test "$(wc -l <err)" = 1
	grep -q "^error: cannot run .cargo.: not found in PATH; install Rust" err
	(unset CARGO; PATH=$TMP/nobin exit_status "$INDIR" "$MULTI" "$CFG" --bin fast >out 2>err)
	grep -q "^error: cannot run .cargo.: not found in PATH" err
	CARGO=$TMP/nobin/cargo exit_status "$INDIR" "$MULTI" "$CFG" --bin fast >out 2>err
	grep -q "^error: cannot run .$TMP/nobin/cargo.: No such file or directory$" err
'

# Build output the fake cargo prints, and the error it must give.
test_expect 'build output without any executable' '
	echo "{\"reason\":\"compiler-artifact\",\"target\":{\"kind\":[\"lib\"],\"name\":\"multi\"},\"profile\":{\"test\":false},\"executable\":null}" >"$TMP/build.json"
	echo "{\"reason\":\"build-finished\",\"success\":true}" >>"$TMP/build.json"
	FAKE_BUILD_OUT=$TMP/build.json FAKE_STATUS=0 CARGO=$FAKE exit_status "$INDIR" "$MULTI" "$CFG" --bin fast >out 2>err
	grep -q status=2 out
	test "$(cat err)" = "error: build artifacts do not contain any executable to profile"
	test ! -e flamegraph.svg
'

test_expect 'build output with other executables only: lists them' '
	echo "{\"reason\":\"compiler-artifact\",\"target\":{\"kind\":[\"bin\"],\"name\":\"slow\"},\"profile\":{\"test\":false},\"executable\":\"/bin/true\"}" >"$TMP/build.json"
	echo "{\"reason\":\"compiler-artifact\",\"target\":{\"kind\":[\"bin\"],\"name\":\"fast\"},\"profile\":{\"test\":true},\"executable\":\"/bin/true\"}" >>"$TMP/build.json"
	FAKE_BUILD_OUT=$TMP/build.json FAKE_STATUS=0 CARGO=$FAKE exit_status "$INDIR" "$MULTI" "$CFG" --bin fast >out 2>err
	grep -q status=2 out
	test "$(cat err)" = "error: could not find desired target bin '"'"'fast'"'"' in the targets for this crate: bin '"'"'slow'"'"', bin '"'"'fast'"'"'"
'

test_expect 'build output that is not JSON' '
	printf "%s\n" "{\"reason\": oops" >"$TMP/build.json"
	FAKE_BUILD_OUT=$TMP/build.json FAKE_STATUS=0 CARGO=$FAKE exit_status "$INDIR" "$MULTI" "$CFG" --bin fast >out 2>err
	grep -q status=2 out
	grep -q "^error: failed to parse cargo build output: not JSON" err
'

test_done
