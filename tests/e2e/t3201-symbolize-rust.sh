#!/bin/sh
# Symbolization of a Rust program (rustc -C opt-level=3 -g): the
# #[inline(never)] chain, closures, generics and #[inline(always)] helpers
# nested two deep, for every byte of those functions, compared with
# binutils addr2line -f -i -C (which demangles Rust without the hash, as
# we do). eu-addr2line is not used: its dwarf_getscopes() walk misses the
# functions LLVM nests in DW_TAG_namespace, so it reports no inline frames
# and the symtab name with its hash. The frames' details (test-tool
# symbolize --frames): each function's mangled name, as nm lists it when
# it has a symbol, and the file and line of its "fn", found with grep.
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

test_expect 'rustc -O -g: --frames: mangled names, files and lines' '
	. "$FIXTURES/symbolize/lib-symbolize.sh"
	src=$FIXTURES/symbolize/inline.rs
	rustc -C opt-level=3 -g -o prog "$src"
	func_addrs prog "inline(7chain_|5outer5inner)" >addrs
	tt_frames prog --frames <addrs >frames
	# the names of the plain lookup, frame for frame
	awk -F "\t" "NF == 0 { print line; line = \"\"; next }
		{ line = (line == \"\" ? \$1 : \$1 \";\" line) }" frames >folded
	tt_frames prog <addrs >names
	test_cmp names folded
	# the fixture'"'"'s functions, inlined or not: legacy symbols with
	# their hash, the fixture, the line of each "fn"
	for fn in leaf middle chain_a chain_b chain_c hot total; do
		printf "%s\t%s\n" $fn $(grep -n "^ *\(pub \)\?fn $fn(" "$src" | cut -d: -f1)
	done >lines
	awk -F "\t" -v src="$src" "
		FILENAME == \"lines\" { line[\$1] = \$2; next }
		\$1 ~ /^inline::(.*::)?[a-z_]+\$/ {
			n = split(\$1, p, \"::\")
			if (!(p[n] in line)) next
			seen[p[n]] = 1
			if (\$2 !~ /^_ZN6inline.*17h[0-9a-f]+E\$/ || \$3 != src || \$4 != line[p[n]]) {
				print \"wrong: \" \$0; bad = 1
			}
		}
		END { for (f in line) if (!(f in seen)) { print \"missing: \" f; bad = 1 }
		      exit bad }" lines frames
	# the outermost frame: the function'"'"'s symbol, as nm lists it
	start=$(nm prog | awk "\$3 ~ /6inline7chain_b17h/ { print \$1 }")
	sym=$(nm prog | awk "\$3 ~ /6inline7chain_b17h/ { print \$3 }")
	"$TT" symbolize --frames prog $start | grep . | tail -n 1 | cut -f1,2 >actual
	printf "inline::chain_b\t%s\n" "$sym" >expect
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
