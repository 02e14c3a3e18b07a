#!/bin/sh
# The summary after a recording: the top functions by self time, and by
# total time below the trunk every stack shares (start-up frames, the Rust
# runtime), where the time splits; long names shortened in the middle,
# never inside a word.
. "$(dirname "$0")/../lib.sh"

skip_all_without_perf \
	'C: the total-time rows start below the trunk, where the time splits' \
	'threads, one root or one per thread: below start_thread, each worker' \
	'Rust: no runtime frames by total time, long names shortened' \
	'--no-summary leaves it out'

CHAIN=$(build_c_fixture chain gcc) || exit 1
THREADS=$(build_c_fixture threads gcc) || exit 1
DBG=$(build_crate chain release-debug) || exit 1
export CHAIN THREADS DBG

# rows FILE: the rows of the total-time part of the summary in FILE
cat >"$TMP_ROOT/rows" <<'EOF'
sed -n '/^top functions by total time/,$p' "$1" | sed -n 's/^ *[0-9.]*%  //p'
EOF
ROWS="sh $TMP_ROOT/rows"
export ROWS

test_expect 'C: the total-time rows start below the trunk, where the time splits' '
	"$FG" -o out.svg -- "$CHAIN" 1500 >/dev/null 2>err
	sed -n "/by self time/,/by total/p" err | sed -n 2p | grep -q "  leaf_a$"
	# main calls mid, which splits between leaf_a (3/4) and leaf_b
	grep -Eq "^top functions by total time \(on the stack\), below mid \((9[5-9]|100)\.[0-9]+% of samples\):$" err ||
		{ cat err; exit 1; }
	$ROWS err >rows
	sed -n 1p rows | grep -qx leaf_a
	sed -n 2p rows | grep -qx leaf_b
	for f in _start __libc_start_main_impl __libc_start_call_main main mid; do
		if grep -qx "$f" rows; then echo "trunk frame $f listed"; exit 1; fi
	done
'

test_expect 'threads, one root or one per thread: below start_thread, each worker' '
	for opt in "" --include-tid; do
		# shellcheck disable=SC2086
		"$FG" $opt -o out.svg -- "$THREADS" 300 >/dev/null 2>err
		grep -Eq "^top functions by total time \(on the stack\), below start_thread \(" err ||
			{ cat err; exit 1; }
		$ROWS err >rows
		sed -n 1,2p rows | sort | tr "\n" " " | grep -qx "worker_alpha worker_beta " ||
			{ cat err; exit 1; }
		if grep -Eqx "clone3?|start_thread" rows; then cat err; exit 1; fi
	done
'

test_expect 'Rust: no runtime frames by total time, long names shortened' '
	"$FG" -o out.svg -- "$DBG/chain" 1500 >/dev/null 2>err
	grep -q "^top functions by total time (on the stack), below chain::middle (" err ||
		{ cat err; exit 1; }
	$ROWS err >rows
	grep -qx chain::hot_three rows
	grep -qx chain::hot_one rows
	if grep -Eq "lang_start|catch_unwind|__rust_begin_short_backtrace|^main$" rows; then
		cat err
		exit 1
	fi
	# the long generic names of the range iterator: shortened at a bracket
	grep -q "core::iter::range::<…>::next" rows || { cat err; exit 1; }
	# every name fits in 80 columns (100 bytes: the ellipses take 3)
	sed -n "/^top functions by/,\$p" err | sed -n "s/^ *[0-9.]*%  //p" |
		LC_ALL=C awk "length > 100" >long
	test ! -s long || { cat long; exit 1; }
'

test_expect '--no-summary leaves it out' '
	"$FG" --no-summary -o out.svg -- "$CHAIN" 300 >/dev/null 2>err
	if grep -q "top functions" err; then exit 1; fi
'

test_done
