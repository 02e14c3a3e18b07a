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
#
# The frames' details (test-tool symbolize --frames, sym_lookup_frames()):
# the same names as the plain lookup, each with its linkage name (C++
# here: C has none), and the file and line where its function is defined,
# found with grep in the source; none without DWARF (strip).
. "$(dirname "$0")/../lib.sh"

# Helpers for the --frames tests (eval'd in their bodies).
FRAMES_LIB='
# fr_folded < FRAMES: the names of --frames output as the plain lookup
# prints them (outermost first, joined by ";", "??" for none).
fr_folded() {
	awk -F "\t" "NF == 0 { print line; line = \"\"; next }
		{ line = (line == \"\" ? \$1 : \$1 \";\" line) }"
}
# decl_line SOURCE NAME: the line where function NAME is defined: the
# first line that starts with a type and holds NAME( with no ";" after.
decl_line() {
	grep -n "^[A-Za-z_].*[ *:]$2(" "$1" | grep -v ";\$" | head -n 1 | cut -d: -f1
}
'
export FRAMES_LIB

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

for cc in gcc clang; do
	if ! command -v $cc >/dev/null 2>&1; then
		test_skip "$cc: --frames: declaration file and line of each frame" "$cc not installed"
		continue
	fi
	test_expect "$cc: --frames: declaration file and line of each frame" "
		. \"\$FIXTURES/symbolize/lib-symbolize.sh\"
		eval \"\$FRAMES_LIB\"
		src=\$FIXTURES/symbolize/inline.c
		$cc -O2 -g -o prog \"\$src\"
		func_addrs prog '^chain_' >addrs
		tt_frames prog --frames <addrs >frames
		# the names of the plain lookup, frame for frame
		fr_folded <frames >folded
		tt_frames prog <addrs >names
		test_cmp names folded
		# every function of the chains, where it is defined
		for fn in leaf middle chain_a chain_b chain_c; do
			printf '%s\t-\t%s\t%s\n' \$fn \"\$src\" \$(decl_line \"\$src\" \$fn)
		done | sort >expect
		grep . frames | sort -u >actual
		test_cmp expect actual
	"
done

if command -v g++ >/dev/null 2>&1; then
test_expect 'g++ -O2 -g: --frames: mangled names, files and lines' '
	. "$FIXTURES/symbolize/lib-symbolize.sh"
	eval "$FRAMES_LIB"
	cat >cx.cc <<-EOF
	namespace fgt {
	struct Acc {
	    unsigned v;
	    inline __attribute__((always_inline)) unsigned add(unsigned x);
	    __attribute__((noinline)) unsigned run(unsigned n);
	};

	inline __attribute__((always_inline)) unsigned Acc::add(unsigned x)
	{
	    v = v * 31 + x;
	    return v;
	}

	__attribute__((noinline)) unsigned Acc::run(unsigned n)
	{
	    for (unsigned i = 0; i < n; i++)
	        add(i);
	    return v;
	}

	template <typename T> __attribute__((noinline)) T twice(T x)
	{
	    return x + x;
	}
	}

	int main(int argc, char **argv)
	{
	    fgt::Acc a = { 1 };
	    (void)argv;
	    return (int)(a.run((unsigned)argc * 100) + fgt::twice<long>(argc));
	}
	EOF
	g++ -O2 -g -rdynamic -o prog cx.cc
	func_addrs prog "^_ZN3fgt" >addrs
	# and the template instance (a weak symbol)
	nm prog | awk "\$3 ~ /^_ZN3fgt5twice/ { print \$1 }" >>addrs
	tt_frames prog --frames <addrs >frames
	fr_folded <frames >folded
	tt_frames prog <addrs >names
	test_cmp names folded
	# the member function inlined into the other, each where it is
	# defined; the file as compiled (relative) joined with the directory
	# of the compilation
	awk -F "\t" -v OFS="\t" "NF { if (\$3 !~ /^\/.*\/cx\.cc\$/) exit 1; \$3 = \"cx.cc\"; print }" \
		frames | sort -u >actual
	{
		printf "fgt::Acc::add(unsigned int)\t_ZN3fgt3Acc3addEj\tcx.cc\t%s\n" \
			$(decl_line cx.cc Acc::add)
		printf "fgt::Acc::run(unsigned int)\t_ZN3fgt3Acc3runEj\tcx.cc\t%s\n" \
			$(decl_line cx.cc Acc::run)
		printf "fgt::twice<long>(long)\t_ZN3fgt5twiceIlEET_S1_\tcx.cc\t%s\n" \
			$(decl_line cx.cc twice)
	} | sort >expect
	test_cmp expect actual
	# without DWARF: the .dynsym symbol, no file, no line
	strip -o stripped prog
	start=$(nm prog | awk "\$3 == \"_ZN3fgt3Acc3runEj\" { print \$1 }")
	"$TT" symbolize --frames stripped $start >actual
	printf "fgt::Acc::run(unsigned int)\t_ZN3fgt3Acc3runEj\t-\t0\n\n" >expect
	test_cmp expect actual
'
else
	test_skip 'g++ -O2 -g: --frames: mangled names, files and lines' 'g++ not installed'
fi

test_expect 'stripped: --frames gives names, no file, no line' '
	gcc -O2 -g -rdynamic -o prog "$FIXTURES/symbolize/inline.c"
	strip -o stripped prog
	start=$(nm prog | awk "\$3 == \"chain_c\" { print \$1 }")
	"$TT" symbolize --frames stripped $start 0 >actual
	printf "chain_c\t-\t-\t0\n\n??\n\n" >expect
	test_cmp expect actual
'

if [ "$(id -u)" = 0 ] && mkdir -p /usr/lib/debug/.build-id 2>/dev/null; then
test_expect 'build-id debug files with compressed DWARF (zlib, zstd): the same --frames' '
	. "$FIXTURES/symbolize/lib-symbolize.sh"
	dbg= dir=
	# the file, and its directory when it is left empty
	trap '\''[ -z "$dbg" ] || rm -f "$dbg"; [ -z "$dir" ] || rmdir "$dir" 2>/dev/null || :'\'' EXIT
	gcc -O2 -g -o prog "$FIXTURES/symbolize/inline.c"
	func_addrs prog "^chain_" >addrs
	tt_frames prog --frames <addrs >expect
	grep -q "^leaf	-	/" expect
	id=$(readelf -n prog | sed -n "s/.*Build ID: *//p")
	dir=/usr/lib/debug/.build-id/$(echo $id | cut -c1-2)
	dbg=$dir/$(echo $id | cut -c3-).debug
	strip -o stripped prog
	for z in zlib zstd; do
		test ! -e "$dbg"
		mkdir -p "$dir"
		objcopy --only-keep-debug --compress-debug-sections=$z prog "$dbg"
		readelf -SW "$dbg" | grep " \.debug_line " | grep -q " C "
		# the line tables inflated only for the file names, then by
		# libdwfl (zlib only: this libdw cannot read zstd sections)
		tt_frames stripped --frames <addrs >actual
		FG_SYMBOLIZE_SLOW=1 tt_frames stripped --frames <addrs >slow
		rm -f "$dbg"
		rmdir "$dir" 2>/dev/null || :
		test_cmp expect actual
		if [ $z = zlib ]; then test_cmp expect slow; fi
	done
'
fi

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
