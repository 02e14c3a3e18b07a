#!/bin/sh
# cargo flamegraph in the virtual workspace fixture
# (tests/fixtures/crates/workspace): selection by directory, by -p and by
# --manifest-path, and the unit tests of a lib and a bin sharing a name.
# (Its error cases are in t6000-cargo-cli.sh.) Every test runs as root and
# again as the unprivileged test user (test_expect_rec), who builds a copy
# of the workspace of its own (use_crate).
. "$(dirname "$0")/../lib.sh"

skip_all_without_perf \
	'member directory: its only binary, announced' \
	'workspace root with -p' \
	'--manifest-path from elsewhere' \
	'--unit-test NAME --unit-test-kind lib and bin'

CFG=$BUILD/bin/cargo-flamegraph
TARGET_WS=$FIXTURE_BIN/cargo-target-workspace
INDIR=$TMP_ROOT/in-dir
printf '%s\n' '#!/bin/sh' 'cd "$1" && shift && exec "$@"' >"$INDIR"
chmod +x "$INDIR"
# The test user's copy of the crate and its builds (see use_crate).
USER_SHARE=$TMP_ROOT/user-share
mkdir "$USER_SHARE"
[ -z "${FG_TEST_USER:-}" ] || chown "$FG_TEST_USER:" "$USER_SHARE"
unset CARGO
export CFG TARGET_WS INDIR USER_SHARE

test_expect_rec 'member directory: its only binary, announced' '
	use_crate workspace "$TARGET_WS"
	WS=$CRATE
	"$INDIR" "$WS/alpha/src" "$CFG" flamegraph -o "$TMP/out.svg" \
		--folded-output "$TMP/out.folded" >out 2>err
	xml_check out.svg
	grep -q "^automatically selected target alpha in package alpha as it is the only valid target$" err
	in_order out.folded alpha main alpha::alpha_main_work alpha::alpha_spin
'

test_expect_rec 'workspace root with -p' '
	use_crate workspace "$TARGET_WS"
	WS=$CRATE
	"$INDIR" "$WS" "$CFG" flamegraph -p beta -o "$TMP/out.svg" \
		--folded-output "$TMP/out.folded" >out 2>err
	xml_check out.svg
	grep -q "^automatically selected target beta in package beta as it is the only valid target$" err
	in_order out.folded beta main beta::beta_main_work
'

test_expect_rec '--manifest-path from elsewhere' '
	use_crate workspace "$TARGET_WS"
	WS=$CRATE
	"$CFG" --manifest-path "$WS/beta/Cargo.toml" --format folded -o out.folded >out 2>err
	grep -q "beta::beta_main_work" out.folded
'

test_expect_rec '--unit-test NAME --unit-test-kind lib and bin' '
	use_crate workspace "$TARGET_WS"
	WS=$CRATE
	"$INDIR" "$WS" "$CFG" --unit-test alpha --unit-test-kind lib \
		-o "$TMP/lib.svg" --folded-output "$TMP/lib.folded" >out 2>err
	xml_check lib.svg
	grep -q "test tests::alpha_lib_unit ... ok" out
	grep -q "alpha::alpha_lib_unit_work;alpha::alpha_spin" lib.folded
	if grep -q alpha_bin_unit_work lib.folded; then exit 1; fi
	"$INDIR" "$WS" "$CFG" --unit-test alpha --unit-test-kind bin \
		--format folded -o "$TMP/bin.folded" >out 2>err
	grep -q "test tests::alpha_bin_unit ... ok" out
	grep -q "alpha::alpha_bin_unit_work;alpha::alpha_spin" bin.folded
	if grep -q alpha_lib_unit_work bin.folded; then exit 1; fi
'

test_done
