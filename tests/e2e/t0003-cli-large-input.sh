#!/bin/sh
# A 1 GB input is read in bounded memory: memory follows the number of
# distinct stacks, not the size of the input.
. "$(dirname "$0")/../lib.sh"

test_expect '1 GB of folded stacks through a pipe, in bounded memory' '
	# 4 distinct stacks repeated: 1 GiB of input
	awk "BEGIN { for (j = 0; j < 16384; j++) for (i = 0; i < 4; i++)
		printf \"main;work;leaf_%d %d\\n\", i, i + 1 }" >four
	/usr/bin/time -f "%M" -o rss.txt sh -c "while cat four; do :; done 2>/dev/null |
		head -c 1073741824 | \"$FG\" --from-folded - --format folded -o out.folded"
	test "$(wc -l <out.folded)" = 4
	grep -q "^main;work;leaf_3 " out.folded
	kb=$(tail -n 1 rss.txt)
	echo "peak RSS $kb KB"
	test "$kb" -lt 200000
'

test_expect '1 GB of perf script text through a pipe, in bounded memory' '
	"$BUILD/bin/gen-bench-input" perf-script 4 >small.perf
	/usr/bin/time -f "%M" -o rss.txt sh -c "while cat small.perf; do :; done 2>/dev/null |
		head -c 1073741824 | \"$FG\" --from-perf-script - --format folded -o out.folded"
	test -s out.folded
	kb=$(tail -n 1 rss.txt)
	echo "peak RSS $kb KB"
	test "$kb" -lt 200000
'

test_done
