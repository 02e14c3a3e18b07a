#!/bin/sh
# cargo flamegraph on the multi fixture (tests/fixtures/crates/multi): every
# kind of target builds, runs and shows its known functions in the folded
# stacks of an SVG; tests run in the package directory with the CARGO_*
# variables of cargo test; the debug-info warning names the profile really
# used; a stripped binary is reported. Builds go to one shared target
# directory ($FIXTURE_BIN/cargo-target-multi), so each profile is compiled
# once per build directory. Commands run from the test's $TMP with
# --manifest-path, or in the crate through in-dir, so output files never
# land in the source tree. Every test runs as root and again as the
# unprivileged test user (test_expect_rec), who builds a copy of the crate
# of its own (use_crate). The targets work for a given amount of their own
# CPU time (milliseconds, the binaries' argument).
. "$(dirname "$0")/../lib.sh"

skip_all_without_perf \
	'default target: the default-run binary' \
	'--bin with arguments, through cargo flamegraph on PATH' \
	'--example, output relative to the current directory' \
	'--test: package directory and CARGO_* variables as cargo test' \
	'--bench -- --bench: the bench profile in the warning' \
	'--unit-test -- filter: only the filtered test runs' \
	'--unit-test NAME --unit-test-kind lib' \
	'--unit-test of a bin' \
	'--profile: named in the warning; with debug info, no warning' \
	'stripped binary: a clear message'

CFG=$BUILD/bin/cargo-flamegraph
TARGET_MULTI=$FIXTURE_BIN/cargo-target-multi
INDIR=$TMP_ROOT/in-dir
printf '%s\n' '#!/bin/sh' 'cd "$1" && shift && exec "$@"' >"$INDIR"
chmod +x "$INDIR"
# The test user's copy of the crate and its builds (see use_crate).
USER_SHARE=$TMP_ROOT/user-share
mkdir "$USER_SHARE"
[ -z "${FG_TEST_USER:-}" ] || chown "$FG_TEST_USER:" "$USER_SHARE"
unset CARGO
export CFG TARGET_MULTI INDIR USER_SHARE

test_expect_rec 'default target: the default-run binary' '
	use_crate multi "$TARGET_MULTI"
	MULTI=$CRATE
	"$INDIR" "$MULTI" "$CFG" flamegraph -o "$TMP/out.svg" --folded-output "$TMP/out.folded" \
		>out 2>err
	xml_check out.svg
	in_order out.folded fast main fast::fast_main_work multi::multi_spin
	share_ge fast::fast_main_work out.folded 80
	# one package with default-run: chosen without a message
	if grep -q "automatically selected" err; then exit 1; fi
	grep -q "^\[profile.release\]$" err
'

test_expect_rec '--bin with arguments, through cargo flamegraph on PATH' '
	use_crate multi "$TARGET_MULTI"
	MULTI=$CRATE
	PATH=$BUILD/bin:$PATH "$INDIR" "$MULTI" cargo flamegraph --bin slow \
		-o "$TMP/out.svg" --folded-output "$TMP/out.folded" -- 300 >out 2>err
	xml_check out.svg
	in_order out.folded slow main slow::slow_main_work multi::multi_spin
	if grep -q fast_main_work out.folded; then exit 1; fi
'

test_expect_rec '--example, output relative to the current directory' '
	use_crate multi "$TARGET_MULTI"
	MULTI=$CRATE
	mkdir here && cd here
	"$CFG" flamegraph --manifest-path "$MULTI/Cargo.toml" --example ex \
		-o ex.svg --folded-output ex.folded >out 2>err
	xml_check ex.svg
	in_order ex.folded ex main ex::example_work multi::multi_spin
	test ! -e "$MULTI/ex.svg"
'

test_expect_rec '--test: package directory and CARGO_* variables as cargo test' '
	use_crate multi "$TARGET_MULTI"
	MULTI=$CRATE
	MULTI_ENV_OUT=$TMP/ours.env "$CFG" --manifest-path "$MULTI/Cargo.toml" --test integ \
		-o out.svg --folded-output out.folded >out 2>err
	xml_check out.svg
	grep -q "test integ_env_and_work ... ok" out
	grep -q "integ::integ_work;multi::multi_spin" out.folded
	# the same test under cargo test itself
	MULTI_ENV_OUT=$TMP/real.env "$INDIR" "$MULTI" cargo test --offline -q --release \
		--test integ >/dev/null 2>&1
	grep -E "^(CARGO_MANIFEST|CARGO_PKG|CWD)" ours.env >ours
	grep -E "^(CARGO_MANIFEST|CARGO_PKG|CWD)" real.env >real
	test_cmp real ours
	grep -q "^CWD=$MULTI$" ours
	grep -q "^CARGO_PKG_VERSION_PRE=beta.1$" ours
	grep -q "^CARGO_PKG_AUTHORS=Ada Lovelace <ada@example.com>:Charles Babbage$" ours
	grep -q "^CARGO=/" ours.env
	# integration tests build with --release: the release profile, not bench
	grep -q "^\[profile.release\]$" err
	grep -q "^CARGO_PROFILE_RELEASE_DEBUG=true$" err
'

test_expect_rec '--bench -- --bench: the bench profile in the warning' '
	use_crate multi "$TARGET_MULTI"
	MULTI=$CRATE
	"$CFG" --manifest-path "$MULTI/Cargo.toml" --bench plain -o out.svg \
		--folded-output out.folded -- --bench >out 2>err
	xml_check out.svg
	# the root is the file name cargo gives benches: plain-<hash>
	in_order out.folded main plain::plain_bench_work multi::multi_spin
	share_ge plain::plain_bench_work out.folded 80
	grep -q "^\[profile.bench\]$" err
	grep -q "^CARGO_PROFILE_BENCH_DEBUG=true$" err
'

test_expect_rec '--unit-test -- filter: only the filtered test runs' '
	use_crate multi "$TARGET_MULTI"
	MULTI=$CRATE
	"$INDIR" "$MULTI" "$CFG" flamegraph --unit-test --unit-test-kind lib \
		--format folded -o "$TMP/out.folded" -- lib_unit_heavy >out 2>err
	grep -q "test tests::lib_unit_heavy ... ok" out
	grep -q "1 filtered out" out
	grep -q "multi::lib_unit_heavy_work;multi::multi_spin" out.folded
	if grep -q lib_unit_other_work out.folded; then exit 1; fi
'

test_expect_rec '--unit-test NAME --unit-test-kind lib' '
	use_crate multi "$TARGET_MULTI"
	MULTI=$CRATE
	"$INDIR" "$MULTI" "$CFG" --unit-test multi --unit-test-kind lib \
		-o "$TMP/out.svg" --folded-output "$TMP/out.folded" >out 2>err
	xml_check out.svg
	grep -q "multi::lib_unit_heavy_work;multi::multi_spin" out.folded
	grep -q "multi::lib_unit_other_work;multi::multi_spin" out.folded
'

test_expect_rec '--unit-test of a bin' '
	use_crate multi "$TARGET_MULTI"
	MULTI=$CRATE
	"$INDIR" "$MULTI/src/bin" "$CFG" --unit-test slow -o "$TMP/out.svg" \
		--folded-output "$TMP/out.folded" >out 2>err
	xml_check out.svg
	grep -q "test tests::slow_unit ... ok" out
	grep -q "slow::slow_unit_work;multi::multi_spin" out.folded
'

test_expect_rec '--profile: named in the warning; with debug info, no warning' '
	use_crate multi "$TARGET_MULTI"
	MULTI=$CRATE
	"$CFG" --manifest-path "$MULTI/Cargo.toml" --profile prof --bin fast \
		--format folded -o out.folded -- 300 >out 2>err
	grep -q "^\[profile.prof\]$" err
	grep -q "^CARGO_PROFILE_PROF_DEBUG=true$" err
	grep -q "fast::fast_main_work" out.folded
	"$CFG" --manifest-path "$MULTI/Cargo.toml" --profile withdebug --bin fast \
		--format folded -o dbg.folded -- 300 >out 2>err
	if grep -q "WARNING: profiling without debuginfo" err; then exit 1; fi
	grep -q "fast::fast_main_work" dbg.folded
'

test_expect_rec 'stripped binary: a clear message' '
	use_crate multi "$TARGET_MULTI"
	MULTI=$CRATE
	exit_status "$CFG" --manifest-path "$MULTI/Cargo.toml" --profile stripped --bin fast \
		--format folded -o out.folded -- 300 >out 2>err
	grep -q "is stripped: it has no symbol table, so its functions cannot be named" err
	grep -q "set .strip = false. in \[profile.stripped\] of Cargo.toml (or CARGO_PROFILE_STRIPPED_STRIP=false)" err
	if grep -q "WARNING: profiling without debuginfo" err; then exit 1; fi
	if grep -q "fast_main_work" out.folded; then exit 1; fi
'

test_done
