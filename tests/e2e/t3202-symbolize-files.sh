#!/bin/sh
# The symbolizer's view of files: program headers and build-id against
# readelf, build-id mismatches, files that are not ELF, stripped files
# (.dynsym only), separate debug files through .gnu_debuglink and through
# build-id (compressed with zlib and zstd, as -dbgsym packages ship them),
# and a shared library without debug info.
. "$(dirname "$0")/../lib.sh"

if ! "$TT" symbolize >/dev/null 2>&1 && "$TT" symbolize 2>&1 | grep -q "unknown test-tool command"; then
	test_skip 'symbolizer file handling' 'test-tool has no symbolize command'
	test_done
	exit
fi

test_expect '--info: PT_LOAD segments and build-id as readelf shows them' '
	gcc -O2 -g -o prog "$FIXTURES/symbolize/inline.c"
	"$TT" symbolize --info prog >info
	grep -qx "type dyn" info
	grep -qx "debuginfo 1" info
	grep -qx "symtab 1" info
	id=$(readelf -n prog | sed -n "s/.*Build ID: *//p")
	grep -qx "build-id $id" info
	readelf -lW prog | awk "\$1 == \"LOAD\" { print \$3, \$2, \$5, \$6, \$NF }" |
		while read -r va off fs ms al; do
			printf "load 0x%x 0x%x 0x%x 0x%x 0x%x\n" $va $off $fs $ms $al
		done >expect
	grep "^load" info | cut -d" " -f1-6 >actual
	test_cmp expect actual
'

test_expect '--info: a non-PIE executable is ET_EXEC' '
	gcc -O2 -g -no-pie -o prog "$FIXTURES/symbolize/inline.c"
	"$TT" symbolize --info prog >info
	grep -qx "type exec" info
	start=$(nm prog | awk "\$3 == \"chain_a\" { print \$1 }")
	test "$("$TT" symbolize prog $start)" = chain_a
'

test_expect 'build-id: a matching one is accepted, another one rejected' '
	gcc -O2 -g -o prog "$FIXTURES/symbolize/inline.c"
	id=$(readelf -n prog | sed -n "s/.*Build ID: *//p")
	start=$(nm prog | awk "\$3 == \"chain_a\" { print \$1 }")
	test "$("$TT" symbolize --build-id $id prog $start)" = chain_a
	fails "$TT" symbolize --build-id 00112233445566778899aabbccddeeff00112233 prog $start 2>err
	grep -q "build-id of .prog. does not match" err
'

test_expect 'files that are not ELF are rejected' '
	printf "not an elf file\n" >text
	fails "$TT" symbolize text 1000 2>err
	grep -q "cannot read .text. as an ELF file" err
	fails "$TT" symbolize missing 1000 2>/dev/null
	: >empty
	fails "$TT" symbolize empty 1000 2>/dev/null
	head -c 100 "$TT" >truncated
	fails "$TT" symbolize truncated 1000 2>/dev/null
'

test_expect 'stripped: names from .dynsym' '
	gcc -O2 -g -rdynamic -o prog "$FIXTURES/symbolize/inline.c"
	strip -o stripped prog
	"$TT" symbolize --info stripped >info
	grep -qx "debuginfo 0" info
	grep -qx "symtab 0" info
	start=$(nm prog | awk "\$3 == \"chain_c\" { print \$1 }")
	"$TT" symbolize stripped $start $(printf "%x" $((0x$start + 20))) >actual
	printf "chain_c\nchain_c\n" >expect
	test_cmp expect actual
'

test_expect 'separate debug file through .gnu_debuglink' '
	. "$FIXTURES/symbolize/lib-symbolize.sh"
	gcc -O2 -g -o prog "$FIXTURES/symbolize/inline.c"
	func_addrs prog "^chain_" >addrs
	tt_frames prog <addrs >expect
	objcopy --only-keep-debug prog prog.debug
	strip -o stripped prog
	objcopy --add-gnu-debuglink=prog.debug stripped
	"$TT" symbolize --info stripped >info
	grep -qx "debuginfo 1" info
	grep -qx "symtab 1" info
	tt_frames stripped <addrs >actual
	test_cmp expect actual
	grep -qx "chain_c;middle;leaf" actual
'

if [ "$(id -u)" = 0 ] && mkdir -p /usr/lib/debug/.build-id 2>/dev/null; then
test_expect 'build-id debug files with compressed DWARF (zlib, zstd): same frames' '
	. "$FIXTURES/symbolize/lib-symbolize.sh"
	dbg= dir=
	# the file, and its directory when it is left empty
	trap '\''[ -z "$dbg" ] || rm -f "$dbg"; [ -z "$dir" ] || rmdir "$dir" 2>/dev/null || :'\'' EXIT
	for z in zlib zstd; do
		gcc -O2 -g -o prog "$FIXTURES/symbolize/inline.c" -DVARIANT_$z
		func_addrs prog "^chain_" >addrs
		tt_frames prog <addrs >expect
		grep -q "chain_c;middle;leaf" expect
		id=$(readelf -n prog | sed -n "s/.*Build ID: *//p")
		dir=/usr/lib/debug/.build-id/$(echo $id | cut -c1-2)
		dbg=$dir/$(echo $id | cut -c3-).debug
		test ! -e "$dbg"
		mkdir -p "$dir"
		objcopy --only-keep-debug --compress-debug-sections=$z prog "$dbg"
		readelf -SW "$dbg" | grep " \.debug_info " | grep -q " C "
		strip -o stripped prog
		# ours (only the needed sections inflated), then libdwfl (zlib only:
		# this libdw cannot read zstd sections)
		tt_frames stripped <addrs >actual
		FG_SYMBOLIZE_SLOW=1 tt_frames stripped <addrs >slow
		rm -f "$dbg"
		rmdir "$dir" 2>/dev/null || :
		test_cmp expect actual
		if [ $z = zlib ]; then test_cmp expect slow; fi
	done
'
fi

test_expect 'shared library: libc names from its symbol tables' '
	libc=$(gcc -print-file-name=libc.so.6)
	test -f "$libc" || libc=/lib/x86_64-linux-gnu/libc.so.6
	"$TT" symbolize --info "$libc" >info
	grep -qx "type dyn" info
	for fn in qsort getpid; do
		start=$(nm -D --defined-only "$libc" |
			awk -v f=$fn "\$3 == f || index(\$3, f \"@\") == 1 { print \$1; exit }")
		test -n "$start"
		# every alias at that address, any of which is a right answer
		nm -D --defined-only "$libc" | awk -v a=$start "\$1 == a { sub(/@.*/, \"\", \$3); print \$3 }" >aliases
		got=$("$TT" symbolize "$libc" $(printf "%x" $((0x$start + 1))))
		if grep -qx "debuginfo 0" info; then
			grep -qx "$got" aliases
		else
			test -n "$got"
			test "$got" != "??"
		fi
		case $got in *@*) false ;; esac
	done
'

test_done
