#!/bin/sh
# Symbolization of C programs (gcc and clang, -O2 -g): function names and
# inline chains for every byte of a noinline call chain, compared with
# binutils addr2line -f -i -C and elfutils eu-addr2line -f -i -C.
#
# Differences normalised: both tools print one "name" and one "file:line"
# line per frame, innermost first; we print names only, outermost first,
# joined by ";". eu-addr2line's " inlined at FILE:LINE in CALLER" suffix
# is dropped. GCC clones (chain_b.constprop.0) are named by their DWARF
# function ("chain_b") by all three. eu-addr2line (0.188) is compared on
# the gcc build only: on clang's it drops the middle;leaf inline frames of
# the loop in chain_c that binutils and we both report.
. "$(dirname "$0")/../lib.sh"

if ! "$TT" symbolize >/dev/null 2>&1 && "$TT" symbolize 2>&1 | grep -q "unknown test-tool command"; then
	test_skip 'symbolize C programs' 'test-tool has no symbolize command'
	test_done
	exit
fi

for cc in gcc clang; do
	if ! command -v $cc >/dev/null 2>&1; then
		test_skip "$cc -O2 -g: frames match addr2line" "$cc not installed"
		continue
	fi
	test_expect "$cc -O2 -g: frames match binutils addr2line -i" "
		. \"\$FIXTURES/symbolize/lib-symbolize.sh\"
		$cc -O2 -g -o prog \"\$FIXTURES/symbolize/inline.c\"
		func_addrs prog '^chain_' >addrs
		check_gt \$(wc -l <addrs) 50 "addresses of chain_ functions"
		a2l_frames prog <addrs >expect
		tt_frames prog <addrs >actual
		test_cmp expect actual
		grep -qx 'chain_c;middle;leaf' actual
		grep -qx 'chain_c' actual
		grep -qx 'chain_b' actual
	"

	test_expect "$cc: --no-inline keeps the outermost function only" "
		. \"\$FIXTURES/symbolize/lib-symbolize.sh\"
		$cc -O2 -g -o prog \"\$FIXTURES/symbolize/inline.c\"
		func_addrs prog '^chain_' >addrs
		tt_frames prog <addrs | sed 's/;.*//' >expect
		tt_frames prog --no-inline <addrs >actual
		test_cmp expect actual
	"
done

test_expect 'gcc -O2 -g: frames match elfutils eu-addr2line -i' '
	. "$FIXTURES/symbolize/lib-symbolize.sh"
	gcc -O2 -g -o prog "$FIXTURES/symbolize/inline.c"
	func_addrs prog "^chain_" >addrs
	eu_frames prog <addrs >expect
	tt_frames prog <addrs >actual
	test_cmp expect actual
'

test_expect 'sizeless assembly symbol: the nearest preceding symbol' '
	gcc -O2 -g -o prog "$FIXTURES/symbolize/inline.c"
	start=$(nm prog | awk "\$3 == \"sizeless_fn\" { print \$1 }")
	"$TT" symbolize prog $start $(printf "%x" $((0x$start + 5))) >actual
	printf "sizeless_fn\nsizeless_fn\n" >expect
	test_cmp expect actual
'

test_expect 'unknown addresses print ??' '
	gcc -O2 -g -o prog "$FIXTURES/symbolize/inline.c"
	"$TT" symbolize prog 0 1 ffffffffffff >actual
	printf "??\n??\n??\n" >expect
	test_cmp expect actual
'

test_done
