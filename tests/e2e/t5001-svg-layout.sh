#!/bin/sh
# SVG renderer: geometry, ordering and the options that change which frames
# are drawn (inverted, flame chart, reverse, min-width, base, no-sort).
# Golden files: tests/data/svg/CASE/expected.svg, rewritten with FG_BLESS=1;
# the embedded JavaScript is cut out before comparing (it has its own tests).
. "$(dirname "$0")/../lib.sh"


test_expect 'simple flame graph' '
	golden simple "$DATA/svg/simple/in.folded"
'

test_expect 'inverted (icicle) graph' '
	golden inverted "$DATA/svg/simple/in.folded" --inverted
	grep -q ">Icicle Graph</text>" out.svg
'

test_expect 'flame chart keeps input order (last line leftmost), no merging' '
	golden flamechart "$DATA/svg/flamechart/in.folded" --flamechart
	test "$(grep -c "<title>step (" out.svg)" -eq 2
	grep -q ">Flame Chart</text>" out.svg
'

test_expect 'reverse stacks (leaf at the root), a leading space trimmed as inferno' '
	golden reverse "$DATA/svg/reverse/in.folded" --reverse
	grep -q "<title>malloc (10 samples, 45.45%)</title>" out.svg
	grep -q "<title>4]&gt; (2 samples" out.svg
'

test_expect 'min-width prunes narrow frames before the height is computed' '
	golden min-width "$DATA/svg/min-width/in.folded" --min-width 1
	if grep -q "tiny" out.svg; then exit 1; fi
	if grep -q "speck" out.svg; then exit 1; fi
	grep -q "<title>small (60 samples, 6.22%)</title>" out.svg
'

test_expect 'subtitle adds top padding' '
	golden subtitle "$DATA/svg/simple/in.folded" --subtitle "built on <host> & co" --title "My \"App\""
'

test_expect 'fixed image width turns fluid drawing off' '
	golden image-width "$DATA/svg/simple/in.folded" --image-width 800
	grep -q "var fluiddrawing = false;" out.svg
	grep -q "<svg version=\"1.1\" width=\"800\"" out.svg
'

test_expect 'base cuts stacks at the symbol closest to the leaf' '
	golden base "$DATA/svg/base/in.folded" --base dispatch --base init
	if grep -q "<title>other" out.svg; then exit 1; fi
	if grep -q "<title>start" out.svg; then exit 1; fi
'

test_expect 'frames merge only between adjacent lines (a;b / a;b!x / a;b;c)' '
	printf "a;b;c 3\na;b 1\na;b!x 2\n" >in.folded
	"$FG" --from-folded in.folded --deterministic -o out.svg >/dev/null
	xml_check out.svg
	test "$(grep -o "<title>b (" out.svg | wc -l)" -eq 2
'

test_expect 'no-sort accepts sorted input and rejects unsorted input' '
	printf "a;b 1\na;c 2\n" >sorted.folded
	"$FG" --from-folded sorted.folded --no-sort -o out.svg >/dev/null
	xml_check out.svg
	printf "b 1\na 2\n" >unsorted.folded
	fails "$FG" --from-folded unsorted.folded --no-sort -o bad.svg 2>err.txt
	# the message names the lines out of order, and what to do
	grep -q "stack 2 (.a.) sorts before stack 1 (.b.)" err.txt
	grep -q "leave out --no-sort" err.txt
	test ! -e bad.svg
'

test_expect 'no stacks: error, and no SVG left behind' '
	printf "# only a comment\n\nnot a line\nzero 0\n" >in.folded
	fails "$FG" --from-folded in.folded -o out.svg 2>err.txt
	grep -q "no stack counts" err.txt
	test ! -e out.svg
'

test_done
