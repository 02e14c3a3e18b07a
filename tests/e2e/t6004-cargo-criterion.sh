#!/bin/sh
# cargo flamegraph on a criterion benchmark (tests/fixtures/crates/crit):
# criterion 0.3 comes from Debian's librust-criterion-dev, read offline
# through the source replacement in the fixture's .cargo/config.toml (which
# cargo finds from the current directory, so commands run inside the crate).
# Every test runs as root and again as the unprivileged test user
# (test_expect_rec), who builds a copy of the crate of its own (use_crate).
. "$(dirname "$0")/../lib.sh"

names='--bench b -- --bench: criterion in benchmark mode
default target of the criterion crate
the CI step: --repeat, --diff-base, --fail-on-regression, --report'
if [ ! -d /usr/share/cargo/registry ] ||
   ! ls -d /usr/share/cargo/registry/criterion-0.3* >/dev/null 2>&1; then
	printf '%s\n' "$names" | while IFS= read -r n; do
		test_skip "$n" "librust-criterion-dev is not installed"
	done
	exit 0
fi
skip_all_without_perf \
	'--bench b -- --bench: criterion in benchmark mode' \
	'default target of the criterion crate' \
	'the CI step: --repeat, --diff-base, --fail-on-regression, --report'

CFG=$BUILD/bin/cargo-flamegraph
TARGET_CRIT=$FIXTURE_BIN/cargo-target-crit
INDIR=$TMP_ROOT/in-dir
printf '%s\n' '#!/bin/sh' 'cd "$1" && shift && exec "$@"' >"$INDIR"
chmod +x "$INDIR"
# The test user's copy of the crate and its builds (see use_crate).
USER_SHARE=$TMP_ROOT/user-share
mkdir "$USER_SHARE"
[ -z "${FG_TEST_USER:-}" ] || chown "$FG_TEST_USER:" "$USER_SHARE"
unset CARGO
export CFG TARGET_CRIT INDIR USER_SHARE

test_expect_rec '--bench b -- --bench: criterion in benchmark mode' '
	use_crate crit "$TARGET_CRIT"
	CRIT=$CRATE
	"$INDIR" "$CRIT" "$CFG" flamegraph --bench b -o "$TMP/out.svg" \
		--folded-output "$TMP/out.folded" -- --bench >out 2>err
	xml_check out.svg
	grep -q "Benchmarking crit_spin" out err
	grep -q "b::crit_bench_body;crit::crit_workload;crit::crit_spin" out.folded
	share_ge crit::crit_spin out.folded 50
	grep -q "^\[profile.bench\]$" err
'

test_expect_rec 'default target of the criterion crate' '
	use_crate crit "$TARGET_CRIT"
	CRIT=$CRATE
	"$INDIR" "$CRIT/src" "$CFG" -o "$TMP/out.svg" --folded-output "$TMP/out.folded" >out 2>err
	xml_check out.svg
	grep -q "^automatically selected target crit in package crit as it is the only valid target$" err
	in_order out.folded crit main crit::crit_main_loop crit::crit_workload crit::crit_spin
'

# README's CI job: the main branch's profile saved, a pull request's
# compared with it in one step (3 runs a side, the fewest that tell noise)
test_expect_rec 'the CI step: --repeat, --diff-base, --fail-on-regression, --report' '
	use_crate crit "$TARGET_CRIT"
	CRIT=$CRATE
	"$INDIR" "$CRIT" "$CFG" flamegraph --bench b --repeat 3 -o "$TMP/main.pb.gz" \
		-- --bench >out 2>err
	grep -q "^run 3 of 3: " err
	exit_status "$INDIR" "$CRIT" "$CFG" flamegraph --bench b --repeat 3 \
		--diff-base "$TMP/main.pb.gz" --fail-on-regression 50 --report "$TMP/diff.md" \
		-o "$TMP/diff.svg" -- --bench >out 2>err
	grep -q "^status=0$" out
	grep -q "^run 3 of 3: " err
	grep -q "^compared on shares: 3 runs (" err
	grep -q "^| base .*main.pb.gz. | 3 | " diff.md
	grep -q "^No share grew significantly by more than 50 points" diff.md
	xml_check diff.svg
	grep -q "crit::crit_spin" diff.svg
'

test_done
