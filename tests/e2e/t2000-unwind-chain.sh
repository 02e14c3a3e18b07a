#!/bin/sh
# The native engine unwinds known call chains: Rust release binaries
# without frame pointers (rust-lld, PIE), with and without debug info,
# through libc's qsort; C programs from gcc and clang without frame
# pointers; the chain crate through cargo flamegraph. The fixtures work for
# a given amount of their own CPU time (milliseconds), so the sample counts
# and splits do not depend on the machine's speed or load. Every test runs
# as root and again as the unprivileged test user (test_expect_rec).
. "$(dirname "$0")/../lib.sh"

skip_all_without_perf \
	'rust release: known chain in order, 3:1 split, stacks reach main' \
	'rust release: qsort frames with the Rust comparator above them' \
	'rust debug info: inline frames, and --no-inline removes them' \
	'rust with frame pointers: --call-graph fp unwinds' \
	'cargo flamegraph of the chain crate: the chain, nothing lost' \
	'gcc -O2 without frame pointers: chain and split' \
	'clang -O2 without frame pointers: chain and split' \
	'gcc with frame pointers: --call-graph fp'

REL=$(build_crate chain release) || exit 1
DBG=$(build_crate chain release-debug) || exit 1
CHAIN_GCC=$(build_c_fixture chain gcc -fomit-frame-pointer) || exit 1
CHAIN_CLANG=$(build_c_fixture chain clang -fomit-frame-pointer) || exit 1
CHAIN_FP=$(build_c_fixture chain gcc -fno-omit-frame-pointer) || exit 1
# The test user's copy of the chain crate and its builds (see use_crate).
USER_SHARE=$TMP_ROOT/user-share
mkdir "$USER_SHARE"
[ -z "${FG_TEST_USER:-}" ] || chown "$FG_TEST_USER:" "$USER_SHARE"
export REL DBG CHAIN_GCC CHAIN_CLANG CHAIN_FP USER_SHARE

test_expect_rec 'rust release: known chain in order, 3:1 split, stacks reach main' '
	# about 2000 samples: the split is known to +-1 point (one sigma)
	"$FG" --format folded -o out.folded -- "$REL/chain" 2000 >/dev/null 2>err
	no_loss err
	enough_samples out.folded 2000
	in_order out.folded chain _start main chain::main chain::run chain::outer \
		chain::middle chain::hot_three
	in_order out.folded chain::outer chain::middle chain::hot_one
	three=$(share "chain::hot_three" out.folded)
	one=$(share "chain::hot_one" out.folded)
	echo "hot_three $three% hot_one $one%"
	# 3:1 within a few points: hot_three is 75% of the hot pair
	check_gt $((three + one)) 80 "share of hot_three and hot_one together" %
	ratio=$((100 * three / (three + one)))
	check_ge "$ratio" 69 "hot_three share of the pair" %
	check_le "$ratio" 81 "hot_three share of the pair" %
	share_ge ";main;" out.folded 97
	if grep "^chain;\[chain\]" out.folded; then echo "frames left unnamed"; exit 1; fi
'

test_expect_rec 'rust release: qsort frames with the Rust comparator above them' '
	"$FG" --format folded -o out.folded -- "$REL/chain" 1000 >/dev/null 2>err
	grep -E "chain::outer;(chain::sort_through_libc;)?[^;]*qsort[^;]*;.*chain::compare_u64" out.folded
'

test_expect_rec 'rust debug info: inline frames, and --no-inline removes them' '
	"$FG" --format folded -o out.folded -- "$DBG/chain" 600 >/dev/null 2>err
	in_order out.folded chain::middle chain::hot_three chain::spin_inlined
	in_order out.folded chain::middle chain::hot_one chain::spin_inlined
	"$FG" --no-inline --format folded -o flat.folded -- "$DBG/chain" 300 >/dev/null 2>err
	in_order flat.folded chain::middle chain::hot_three
	if grep -q "chain::spin_inlined" flat.folded; then echo "inline frames left"; exit 1; fi
'

test_expect_rec 'rust with frame pointers: --call-graph fp unwinds' '
	dir=$TMP/fp
	cp -r "$SRC/tests/fixtures/crates/chain" "$dir"
	rm -rf "$dir/target"
	(cd "$dir" && RUSTFLAGS="-C force-frame-pointers=yes" CARGO_TARGET_DIR=$dir/target \
		cargo build --offline -q --release)
	"$FG" --call-graph fp --format folded -o out.folded -- "$dir/target/release/chain" 600 >/dev/null 2>err
	in_order out.folded chain::outer chain::middle chain::hot_three
	share_ge chain::middle out.folded 80
'

test_expect_rec 'cargo flamegraph of the chain crate: the chain, nothing lost' '
	# as users run it: in the crate, default settings (a target directory
	# of its own, so that the shared build of the other scripts is not
	# rebuilt under them)
	use_crate chain "$FIXTURE_BIN/cargo-target-cfg-chain"
	cd "$CRATE"
	"$BUILD/bin/cargo-flamegraph" flamegraph -o "$TMP/out.svg" \
		--folded-output "$TMP/out.folded" -- 600 >"$TMP/out" 2>"$TMP/err"
	cd "$TMP"
	xml_check out.svg
	no_loss err
	enough_samples out.folded 600
	in_order out.folded chain main chain::main chain::run chain::outer chain::middle \
		chain::hot_three
	share_ge chain::middle out.folded 80
'

for cc in gcc clang; do
	export cc
	test_expect_rec "$cc -O2 without frame pointers: chain and split" '
		if [ "$cc" = gcc ]; then bin=$CHAIN_GCC; else bin=$CHAIN_CLANG; fi
		# about 800 samples: the split is known to +-1.5 points (one sigma)
		"$FG" --format folded -o out.folded -- "$bin" 800 >/dev/null 2>err
		no_loss err
		enough_samples out.folded 800
		in_order out.folded "chain-$cc" main mid leaf_a ||
			in_order out.folded chain main mid leaf_a ||
			in_order out.folded "$(basename "$bin" | cut -c1-15)" main mid leaf_a
		a=$(share ";leaf_a" out.folded)
		b=$(share ";leaf_b" out.folded)
		echo "leaf_a $a% leaf_b $b%"
		check_gt $((a + b)) 0 "share of leaf_a and leaf_b together" %
		ratio=$((100 * a / (a + b)))
		check_ge "$ratio" 68 "leaf_a share of the pair" %
		check_le "$ratio" 82 "leaf_a share of the pair" %
		share_ge ";main;mid;" out.folded 90
	'
done

test_expect_rec 'gcc with frame pointers: --call-graph fp' '
	"$FG" --call-graph fp --format folded -o out.folded -- "$CHAIN_FP" 400 >/dev/null 2>err
	# A leaf that sets up no frame hides its caller from a frame-pointer
	# walk (perf shows the same), so mid may be missing above main.
	in_order out.folded main leaf_a
	share_ge ";main;" out.folded 90
'

test_done
