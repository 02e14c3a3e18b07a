#!/bin/sh
# bench/gen-bench-input: deterministic benchmark inputs of the asked size.

. "$(dirname "$0")/../lib.sh"

GEN=$BUILD/bin/gen-bench-input
export GEN

test_expect 'perf-script output is deterministic and of the asked size' '
	"$GEN" perf-script 2 > a.perf &&
	"$GEN" perf-script 2 > b.perf &&
	cmp a.perf b.perf &&
	size=$(wc -c < a.perf) &&
	test "$size" -ge 2000000 && test "$size" -lt 2100000 &&
	test "$(tail -c 2 a.perf | od -An -c | tr -d " ")" = "\n\n"
'

test_expect 'perf-script output has the expected shapes' '
	"$GEN" perf-script 1 > a.perf &&
	grep -q "^tokio-runtime-w  48213/48215 \[0[0-9][0-9]\] [0-9]*\.[0-9]\{6\}: *[0-9]* cpu-clock:ppp: $" a.perf &&
	grep -q "(\[kernel.kallsyms\])$" a.perf &&
	grep -q "(inlined)$" a.perf &&
	grep -q "\[unknown\] (\[unknown\])$" a.perf &&
	grep -q "::h[0-9a-f]\{16\}+0x[0-9a-f]* (/usr/local/bin/myapp)$" a.perf
'

test_expect 'folded output has exactly N distinct stacks' '
	"$GEN" folded 5000 > a.folded &&
	"$GEN" folded 5000 > b.folded &&
	cmp a.folded b.folded &&
	test "$(wc -l < a.folded)" -eq 5000 &&
	test "$(sed "s/ [0-9]*\$//" a.folded | sort -u | wc -l)" -eq 5000 &&
	awk -F";" "NF < 6 || NF > 31 { exit 1 }" a.folded
'

test_expect 'bad arguments are a usage error' '
	fails "$GEN" &&
	fails "$GEN" folded 0 &&
	fails "$GEN" folded x &&
	fails "$GEN" svg 3
'

test_done
