#!/bin/sh
# The native engine unwinds known call chains: Rust release binaries
# without frame pointers (rust-lld, PIE), with and without debug info,
# through libc's qsort; C programs from gcc and clang without frame pointers.
. "$(dirname "$0")/../lib.sh"

skip_all_without_perf \
	'rust release: known chain in order, 3:1 split, stacks reach main' \
	'rust release: qsort frames with the Rust comparator above them' \
	'rust debug info: inline frames, and --no-inline removes them' \
	'rust with frame pointers: --call-graph fp unwinds' \
	'gcc -O2 without frame pointers: chain and split' \
	'clang -O2 without frame pointers: chain and split' \
	'gcc with frame pointers: --call-graph fp'

REL=$(build_crate chain release) || exit 1
DBG=$(build_crate chain release-debug) || exit 1
CHAIN_GCC=$(build_c_fixture chain gcc -fomit-frame-pointer) || exit 1
CHAIN_CLANG=$(build_c_fixture chain clang -fomit-frame-pointer) || exit 1
CHAIN_FP=$(build_c_fixture chain gcc -fno-omit-frame-pointer) || exit 1
export REL DBG CHAIN_GCC CHAIN_CLANG CHAIN_FP

test_expect 'rust release: known chain in order, 3:1 split, stacks reach main' '
	"$FG" --format folded -o out.folded -- "$REL/chain" 2000 >/dev/null 2>err
	in_order out.folded chain _start main chain::main chain::run chain::outer \
		chain::middle chain::hot_three
	in_order out.folded chain::outer chain::middle chain::hot_one
	three=$(share "chain::hot_three" out.folded)
	one=$(share "chain::hot_one" out.folded)
	echo "hot_three $three% hot_one $one%"
	# 3:1 within a few points: hot_three is 75% of the hot pair
	pair=$((three + one))
	test "$pair" -gt 80
	ratio=$((100 * three / pair))
	test "$ratio" -ge 69
	test "$ratio" -le 81
	reach=$(share ";main;" out.folded)
	echo "reaching main: $reach%"
	test "$reach" -ge 97
	if grep -q "^chain;\[chain\]" out.folded; then exit 1; fi
'

test_expect 'rust release: qsort frames with the Rust comparator above them' '
	"$FG" --format folded -o out.folded -- "$REL/chain" 1500 >/dev/null 2>err
	grep -E "chain::outer;(chain::sort_through_libc;)?[^;]*qsort[^;]*;.*chain::compare_u64" out.folded
'

test_expect 'rust debug info: inline frames, and --no-inline removes them' '
	"$FG" --format folded -o out.folded -- "$DBG/chain" 600 >/dev/null 2>err
	in_order out.folded chain::middle chain::hot_three chain::spin_inlined
	in_order out.folded chain::middle chain::hot_one chain::spin_inlined
	"$FG" --no-inline --format folded -o flat.folded -- "$DBG/chain" 300 >/dev/null 2>err
	in_order flat.folded chain::middle chain::hot_three
	if grep -q "chain::spin_inlined" flat.folded; then exit 1; fi
'

test_expect 'rust with frame pointers: --call-graph fp unwinds' '
	dir=$TMP/fp
	cp -r "$SRC/tests/fixtures/crates/chain" "$dir"
	rm -rf "$dir/target"
	(cd "$dir" && RUSTFLAGS="-C force-frame-pointers=yes" CARGO_TARGET_DIR=$dir/target \
		cargo build --offline -q --release)
	"$FG" --call-graph fp --format folded -o out.folded -- "$dir/target/release/chain" 600 >/dev/null 2>err
	in_order out.folded chain::outer chain::middle chain::hot_three
	test "$(share chain::middle out.folded)" -ge 80
'

for cc in gcc clang; do
	export cc
	test_expect "$cc -O2 without frame pointers: chain and split" '
		if [ "$cc" = gcc ]; then bin=$CHAIN_GCC; else bin=$CHAIN_CLANG; fi
		# about 800 samples: the split is known to +-1.5 points (one sigma)
		"$FG" --format folded -o out.folded -- "$bin" 4000 >/dev/null 2>err
		in_order out.folded "chain-$cc" main mid leaf_a || in_order out.folded chain main mid leaf_a ||
			in_order out.folded "$(basename "$bin" | cut -c1-15)" main mid leaf_a
		a=$(share ";leaf_a" out.folded)
		b=$(share ";leaf_b" out.folded)
		echo "leaf_a $a% leaf_b $b%"
		ratio=$((100 * a / (a + b)))
		test "$ratio" -ge 68
		test "$ratio" -le 82
		test "$(share ";main;mid;" out.folded)" -ge 90
	'
done

test_expect 'gcc with frame pointers: --call-graph fp' '
	"$FG" --call-graph fp --format folded -o out.folded -- "$CHAIN_FP" 1500 >/dev/null 2>err
	# A leaf that sets up no frame hides its caller from a frame-pointer
	# walk (perf shows the same), so mid may be missing above main.
	in_order out.folded main leaf_a
	test "$(share ";main;" out.folded)" -ge 90
'

test_done
