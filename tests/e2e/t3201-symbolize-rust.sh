#!/bin/sh
# Symbolization of a Rust program (rustc -C opt-level=3 -g): the
# #[inline(never)] chain, closures, generics and #[inline(always)] helpers
# nested two deep, for every byte of those functions, compared with
# binutils addr2line -f -i -C (which demangles Rust without the hash, as
# we do). eu-addr2line is not used: its dwarf_getscopes() walk misses the
# functions LLVM nests in DW_TAG_namespace, so it reports no inline frames
# and the symtab name with its hash.
. "$(dirname "$0")/../lib.sh"

if ! "$TT" symbolize >/dev/null 2>&1 && "$TT" symbolize 2>&1 | grep -q "unknown test-tool command"; then
	test_skip 'symbolize Rust programs' 'test-tool has no symbolize command'
	test_done
	exit
fi
if ! command -v rustc >/dev/null 2>&1; then
	test_skip 'symbolize Rust programs' 'rustc not installed'
	test_done
	exit
fi

test_expect 'rustc -O -g: frames match binutils addr2line -i' '
	. "$FIXTURES/symbolize/lib-symbolize.sh"
	rustc -C opt-level=3 -g -o prog "$FIXTURES/symbolize/inline.rs"
	func_addrs prog "inline(7chain_|5outer5inner)" >addrs
	check_gt $(wc -l <addrs) 100 "addresses of the chain functions"
	a2l_frames prog <addrs >expect
	tt_frames prog <addrs >actual
	test_cmp expect actual
	# demangled, without hashes; the two-level inline chain is there
	grep -qx "inline::chain_a" actual
	grep -qx "inline::chain_b" actual
	grep -q "^inline::outer::inner::hot;.*inline::outer::inner::hot::{{closure}};inline::middle;inline::leaf" actual
	grep -q "^inline::outer::inner::Acc<T>::total;" actual
	if grep -q "::h[0-9a-f]\{16\}" actual; then exit 1; fi
'

test_expect 'rustc: --no-inline keeps the outermost function only' '
	. "$FIXTURES/symbolize/lib-symbolize.sh"
	rustc -C opt-level=3 -g -o prog "$FIXTURES/symbolize/inline.rs"
	func_addrs prog "inline(7chain_|5outer5inner)" >addrs
	tt_frames prog <addrs | sed "s/;.*//" >expect
	tt_frames prog --no-inline <addrs >actual
	test_cmp expect actual
'

test_expect 'rustc without debuginfo: demangled symbol table names' '
	rustc -C opt-level=3 -C strip=debuginfo -o prog "$FIXTURES/symbolize/inline.rs"
	"$TT" symbolize --info prog >info
	grep -qx "debuginfo 0" info
	start=$(nm prog | awk "\$3 ~ /7chain_b17h/ { print \$1 }")
	"$TT" symbolize prog $start $(printf "%x" $((0x$start + 3))) >actual
	printf "inline::chain_b\ninline::chain_b\n" >expect
	test_cmp expect actual
'

test_done
