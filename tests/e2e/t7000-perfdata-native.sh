#!/bin/sh
# The native perf.data reader (profiler/perf-data.c) on recordings made by
# `perf record`: DWARF, frame-pointer, zstd-compressed and pipe-mode files
# give the known call chains, and the stack of every sample agrees with
# what `perf script` prints for the same file (sample by sample, keyed by
# thread and time), after the normalisations agree_with_perf documents.
# The fixtures work for a given amount of their own CPU time (milliseconds),
# so the sample counts do not depend on the machine's speed or load. Every
# test runs as root and again as the unprivileged test user
# (test_expect_rec), whose recordings have no kernel frames.
. "$(dirname "$0")/../lib.sh"

names='C dwarf: folded stacks hold the known chain
C dwarf: samples agree with perf script
Rust dwarf: folded stacks hold the known chain, samples agree with perf script
Rust debug info: samples agree with perf script, inline frames included
large stack copies (dwarf,65528): read in parts, samples agree with perf script
the fast unwinder and libdwfl agree on every sample
frame pointers (-g): samples agree with perf script
compressed (-z): chunks expanded, samples agree with perf script
pipe mode (-o -): read from a pipe and from a file
summary: event, frequency, call-graph mode
truncated and corrupt copies: an error, never a crash
unsupported files: a distinct exit status and a reason'

skip_all_perf() {
	printf '%s\n' "$names" | while IFS= read -r n; do
		test_skip "$n" "$1"
	done
	exit 0
}

command -v perf >/dev/null 2>&1 || skip_all_perf "perf is not installed"
perf_available || skip_all_perf "$("$TT" perf-check 2>&1 | head -n 1)"
# perf itself may still be refused (or miss a PMU and a fallback).
probe=$TMP_ROOT/probe.data
if ! perf record -q -F 99 -o "$probe" -- true >/dev/null 2>&1; then
	skip_all_perf "perf record is not permitted here"
fi

CHAIN=$(build_c_fixture chain gcc -fomit-frame-pointer) || exit 1
CHAIN_FP=$(build_c_fixture chain gcc -fno-omit-frame-pointer) || exit 1
REL=$(build_crate chain release) || exit 1
DBG=$(build_crate chain release-debug) || exit 1
DEEPREC=$(build_c_fixture deeprec gcc) || exit 1
THREADS=$(build_c_fixture threads gcc) || exit 1
export CHAIN CHAIN_FP REL DBG DEEPREC THREADS

# agree_with_perf DATA MS [--inline]: compare our per-sample stacks
# (test-tool perf-data --samples) with `perf script` on DATA, a recording
# of MS milliseconds of CPU time, both without inline frames (with them:
# --inline). Prints up to 10 mismatches and "agreement: SAME/TOTAL (P%),
# wildcard W, missing M", and sets $pct to the integer percentage; fails
# when we read fewer than a quarter of the samples MS ms give at 999 Hz
# (perf record may lose some). Normalisations, applied to both sides:
#  - glibc alias names are equal: a leading "__GI_", "__libc_" or "_"s,
#    a symbol version "@@GLIBC_2.34", an "_impl" suffix and "IO_new_"
#    (for "IO_") are dropped (__libc_start_main_impl is
#    __libc_start_main@@GLIBC_2.34, _IO_new_do_write is _IO_do_write);
#  - gcc clone suffixes (.constprop.0, .isra.0, .part.0, .cold) are
#    dropped: our symbolizer names the DWARF function;
#  - Rust closures, constants and shims are spelled the legacy way,
#    as we spell them in both manglings: perf writes v0 names'
#    {closure#0}, {constant#0}, {shim:vtable#0} (we write {{closure}},
#    {{constant}}, {{vtable.shim}});
#  - unnamed frames ("[unknown]", "[vdso]", "[ld-linux-x86-64.so.2]")
#    match any one frame at the same place ("wildcard"): perf names a few
#    ld.so labels (_start, _dl_start_user) we leave unnamed, and we put
#    one "[unknown]" frame under kernel-only stacks, where perf has none.
agree_with_perf() {
	if [ "${3:-}" = --inline ]; then
		"$TT" perf-data --samples "$1" > ours.txt
		perf script -F tid,time,ip,sym --ns -i "$1" > perf.txt 2> perf.err
	else
		"$TT" perf-data --samples --no-inline "$1" > ours.txt
		perf script -F tid,time,ip,sym --ns --no-inline -i "$1" > perf.txt 2> perf.err
	fi
	awk '
	function norm(f) {
		sub(/ \(inlined\)$/, "", f)
		if (f ~ /^\[.*\]$/) return "?"
		sub(/^__GI_/, "", f); sub(/^__libc_/, "", f); sub(/^_+/, "", f)
		sub(/@.*/, "", f); sub(/_impl$/, "", f); sub(/^IO_new_/, "IO_", f)
		sub(/\.(constprop|isra|part)\.[0-9]+.*$/, "", f); sub(/\.cold$/, "", f)
		gsub(/[{]closure#[0-9]+[}]/, "{{closure}}", f)
		gsub(/[{]constant#[0-9]+[}]/, "{{constant}}", f)
		gsub(/[{]shim:vtable#[0-9]+[}]/, "{{vtable.shim}}", f)
		return f
	}
	# 1: same, 2: same with wildcards, 0: different
	function same(a, b,   x, y, nx, ny, i, k, w) {
		nx = split(a, x, ";"); ny = split(b, y, ";")
		k = 0
		if (nx == ny + 1 && x[1] == "?") k = 1
		if (ny == nx + 1 && y[1] == "?") k = -1
		if (nx - (k > 0) != ny - (k < 0)) return 0
		w = k != 0
		for (i = 1; i <= nx - (k > 0); i++) {
			xa = x[i + (k > 0)]; yb = y[i + (k < 0)]
			if (xa == yb) continue
			if (xa != "?" && yb != "?") return 0
			w = 1
		}
		return w ? 2 : 1
	}
	FNR == NR {
		st = $0
		sub(/^[^ ]+ [^ ]+ /, "", st)
		n = split(st, of, ";")
		s = ""
		for (i = 1; i <= n; i++) s = s (i > 1 ? ";" : "") norm(of[i])
		ours[$1 " " $2] = s
		next
	}
	/^ *[0-9]+ +[0-9]+\.[0-9]+: *$/ {
		if (key != "") emit()
		key = $1 " " substr($2, 1, length($2) - 1)
		nf = 0
		next
	}
	/^[ \t]+[0-9a-f]+ / {
		sub(/^[ \t]+[0-9a-f]+ /, "")
		fr[++nf] = norm($0)
		next
	}
	/^$/ { if (key != "") emit(); key = "" }
	function emit(   s, i, r) {
		s = ""
		for (i = nf; i >= 1; i--) s = s (i < nf ? ";" : "") fr[i]
		total++
		if (!(key in ours)) {
			missing++
			if (shown++ < 10) print "missing: " key " " s
			return
		}
		r = same(ours[key], s)
		if (r) { ok++; wild += r == 2; return }
		if (shown++ < 10) { print "perf: " key " " s; print "ours: " key " " ours[key] }
	}
	END {
		if (key != "") emit()
		printf "agreement: %d/%d (%.2f%%), wildcard %d, missing %d\n", ok, total,
			total ? 100 * ok / total : 0, wild, missing
		printf "%d\n", total ? 100 * ok / total : 0 > "pct.txt"
	}' ours.txt perf.txt
	pct=$(cat pct.txt)
	check_ge "$(wc -l < ours.txt)" $(($2 / 4)) \
		"samples read from $1 (at least a quarter of $2 ms at 999 Hz)"
}
AGREE_FN=$(sed -n '/^agree_with_perf() {$/,/^}$/p' "$0")
export AGREE_FN

test_expect_rec 'C dwarf: folded stacks hold the known chain' '
	perf record -q -F 999 --call-graph dwarf -o x.data "$CHAIN" 400 >/dev/null 2>&1
	"$TT" perf-data --folded x.data > out.folded
	in_order out.folded _start main mid leaf_a
	in_order out.folded _start main mid leaf_b
	share_ge ";main;mid;" out.folded 90
'

test_expect_rec 'C dwarf: samples agree with perf script' '
	eval "$AGREE_FN"
	perf record -q -F 999 --call-graph dwarf -o x.data "$CHAIN" 400 >/dev/null 2>&1
	agree_with_perf x.data 400
	check_ge "$pct" 97 "samples agreeing with perf script" %
'

test_expect_rec 'Rust dwarf: folded stacks hold the known chain, samples agree with perf script' '
	eval "$AGREE_FN"
	perf record -q -F 999 --call-graph dwarf -o x.data "$REL/chain" 400 >/dev/null 2>&1
	"$TT" perf-data --folded x.data > out.folded
	in_order out.folded main chain::main chain::run chain::outer chain::middle chain::hot_three
	agree_with_perf x.data 400
	check_ge "$pct" 97 "samples agreeing with perf script" %
'

test_expect_rec 'Rust debug info: samples agree with perf script, inline frames included' '
	eval "$AGREE_FN"
	perf record -q -F 999 --call-graph dwarf -o x.data "$DBG/chain" 400 >/dev/null 2>&1
	"$TT" perf-data --folded x.data > out.folded
	in_order out.folded chain::middle chain::hot_three chain::spin_inlined
	agree_with_perf x.data 400 --inline
	check_ge "$pct" 97 "samples agreeing with perf script" %
'

test_expect_rec 'large stack copies (dwarf,65528): read in parts, samples agree with perf script' '
	eval "$AGREE_FN"
	# records of 64 KB: the reader takes their heads and the used part
	# of each stack, never the unused rest of the copy
	perf record -q -F 999 --call-graph dwarf,65528 -o x.data "$REL/chain" 400 >/dev/null 2>&1
	"$TT" perf-data --folded x.data > out.folded
	in_order out.folded main chain::main chain::run chain::outer chain::middle chain::hot_three
	agree_with_perf x.data 400
	check_ge "$pct" 97 "samples agreeing with perf script" %
	# cut inside a record: after its head, inside its stack, before its tail
	size=$(wc -c < x.data)
	for cut in $((size / 2)) $((size / 2 + 300)) $((size / 2 + 40000)); do
		head -c $cut x.data > cut.data
		fails "$TT" perf-data --folded cut.data > /dev/null 2> err
		grep -q "^error: .*truncated" err
	done
'

test_expect_rec 'the fast unwinder and libdwfl agree on every sample' '
	# C without frame pointers, with them, threads, Rust with and without
	# debug info, and stacks deeper than the copy (truncated walks); each
	# program (each thread) works for 300 ms of CPU time
	perf record -q -F 999 --call-graph dwarf -o c.data "$CHAIN" 300 >/dev/null 2>&1
	perf record -q -F 999 --call-graph dwarf -o fp.data "$CHAIN_FP" 300 >/dev/null 2>&1
	perf record -q -F 999 --call-graph dwarf -o th.data "$THREADS" 300 >/dev/null 2>&1
	perf record -q -F 999 --call-graph dwarf -o rel.data "$REL/chain" 300 >/dev/null 2>&1
	perf record -q -F 999 --call-graph dwarf -o dbg.data "$DBG/chain" 300 >/dev/null 2>&1
	perf record -q -F 999 --call-graph dwarf,4096 -o deep.data "$DEEPREC" 3000 300 >/dev/null 2>&1
	for f in c fp th rel dbg; do
		"$TT" perf-data --folded --check-unwind $f.data > $f.folded 2> $f.err
		cat $f.err
		grep -q "^unwind check: [0-9]* same, 0 differ" $f.err
		# most samples take the fast path: at least a quarter of the
		# samples 300 ms give, and four times those left to libdwfl
		same=$(sed -n "s/^unwind check: \([0-9]*\) same.*/\1/p" $f.err)
		slow=$(sed -n "s/.* \([0-9]*\) left to libdwfl/\1/p" $f.err)
		check_ge "$same" 75 "$f.data: samples unwound by the fast path"
		check_ge "$same" $((slow * 4)) "$f.data: samples unwound by the fast path (4 x those left to libdwfl)"
	done
	# walks that run off the stack copy are left to libdwfl whole
	"$TT" perf-data --folded --check-unwind deep.data > deep.folded 2> deep.err
	cat deep.err
	grep -q "^unwind check: [0-9]* same, 0 differ, [1-9][0-9]* left to libdwfl" deep.err
	same=$(sed -n "s/^unwind check: \([0-9]*\) same.*/\1/p" deep.err)
	slow=$(sed -n "s/.* \([0-9]*\) left to libdwfl/\1/p" deep.err)
	check_gt "$slow" $((same * 4)) "deep.data: walks left to libdwfl (4 x those of the fast path)"
	in_order deep.folded deep_recurse deep_recurse deep_bottom
'

test_expect_rec 'frame pointers (-g): samples agree with perf script' '
	eval "$AGREE_FN"
	perf record -q -F 999 -g -o x.data "$CHAIN_FP" 400 >/dev/null 2>&1
	"$TT" perf-data x.data > summary
	grep -qx "dwarf: 0" summary
	grep -qx "callchain: 1" summary
	"$TT" perf-data --folded x.data > out.folded
	in_order out.folded main leaf_a
	agree_with_perf x.data 400
	check_ge "$pct" 97 "samples agreeing with perf script" %
'

test_expect_rec 'compressed (-z): chunks expanded, samples agree with perf script' '
	eval "$AGREE_FN"
	perf record -q -z -F 999 --call-graph dwarf -o x.data "$CHAIN" 400 >/dev/null 2>&1
	"$TT" perf-data x.data > summary
	cat summary
	grep -qx "compressed: 1" summary
	if grep -qx "compressed-records: 0" summary; then exit 1; fi
	"$TT" perf-data --folded x.data > out.folded
	in_order out.folded _start main mid leaf_a
	agree_with_perf x.data 400
	check_ge "$pct" 97 "samples agreeing with perf script" %
'

test_expect_rec 'pipe mode (-o -): read from a pipe and from a file' '
	perf record -q -F 999 --call-graph dwarf -o - -- sh -c "\"$CHAIN\" 300 >/dev/null" \
		2>/dev/null > pipe.data
	"$TT" perf-data pipe.data > summary
	grep -qx "pipe-mode: 1" summary
	grep -q "^event: cpu-clock" summary
	"$TT" perf-data --folded pipe.data > file.folded
	in_order file.folded main mid leaf_a
	"$TT" perf-data --folded - < pipe.data > stdin.folded
	cat pipe.data | "$TT" perf-data --folded - > pipe.folded
	test_cmp file.folded stdin.folded
	test_cmp file.folded pipe.folded
'

test_expect_rec 'summary: event, frequency, call-graph mode' '
	perf record -q -F 499 --call-graph dwarf,16384 -o x.data "$CHAIN" 200 >/dev/null 2>&1
	"$TT" perf-data x.data > summary
	cat summary
	grep -q "^event: cpu-clock" summary
	grep -qx "frequency: 499" summary
	grep -qx "dwarf: 1" summary
	grep -qx "stack-size: 16384" summary
	grep -qx "pipe-mode: 0" summary
	grep -q "^cmdline: .*perf record" summary
	# stack copies are trimmed before they are held for reordering
	if grep -qx "trimmed-bytes: 0" summary; then exit 1; fi
	"$TT" perf-data --event cpu-clock x.data > /dev/null
	fails "$TT" perf-data --event page-faults x.data 2> err
	grep -q "has no event .page-faults.; it has: .cpu-clock" err
'

test_expect_rec 'truncated and corrupt copies: an error, never a crash' '
	perf record -q -z -F 999 --call-graph dwarf -o z.data "$CHAIN" 200 >/dev/null 2>&1
	perf record -q -F 999 --call-graph dwarf -o x.data "$CHAIN" 200 >/dev/null 2>&1
	for f in x.data z.data; do
		size=$(wc -c < $f)
		for cut in 8 50 104 300 1000 5000 $((size / 2)) $((size - 100)) $((size - 1)); do
			head -c $cut $f > cut.data
			fails "$TT" perf-data --folded cut.data > /dev/null 2> err
			grep -q "^error: " err
		done
		# overwrite a few bytes here and there: the tool ends normally
		for off in 16 40 110 200 400 1200 3000 $((size / 3)) $((size / 2)); do
			cp $f bad.data
			printf "\377\377\377\377\377\377\377\177" |
				dd of=bad.data bs=1 seek=$off conv=notrunc 2>/dev/null
			set +e
			"$TT" perf-data --folded bad.data > /dev/null 2> err
			st=$?
			set -e
			test $st -le 3 || { echo "status $st at $off"; cat err; exit 1; }
		done
	done
'

test_expect_rec 'unsupported files: a distinct exit status and a reason' '
	perf record -q -F 99 -o x.data "$CHAIN" 100 >/dev/null 2>&1
	# the other byte order: the magic reversed
	cp x.data swapped.data
	printf "2ELIFREP" | dd of=swapped.data bs=1 conv=notrunc 2>/dev/null
	set +e
	"$TT" perf-data swapped.data 2> err; st=$?
	set -e
	check_eq $st 3 "exit status for the other byte order"
	grep -q "other byte order" err
	printf "PERFFILE\020\0\0\0\0\0\0\0" > v1.data
	set +e
	"$TT" perf-data v1.data 2> err; st=$?
	set -e
	check_eq $st 3 "exit status for a version 1 file"
	grep -q "version 1" err
	# perf record --threads writes a directory (data, data.N): not read;
	# any other directory is not a perf.data file at all
	mkdir dir.data
	fails "$TT" perf-data dir.data 2> err
	grep -q "not a perf.data file" err
	: > dir.data/data
	set +e
	"$TT" perf-data dir.data 2> err; st=$?
	set -e
	check_eq $st 3 "exit status for a perf.data directory"
	grep -q "perf.data directory" err
	printf "not a perf file at all" > junk.data
	fails "$TT" perf-data junk.data 2> err
	grep -q "not a perf.data file" err
'

test_done
