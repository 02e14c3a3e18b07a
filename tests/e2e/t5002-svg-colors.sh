#!/bin/sh
# SVG renderer: colours (palettes, hash, differential, diffusion,
# backgrounds, the consistent palette file).
# Golden files: tests/data/svg/CASE/expected.svg, rewritten with FG_BLESS=1;
# the embedded JavaScript is cut out before comparing (it has its own tests).
. "$(dirname "$0")/../lib.sh"


test_expect 'hash palette (name-weighted colours)' '
	MODE=--hash golden hash "$DATA/svg/simple/in.folded"
'

for pal in java js rust perl python; do
	test_expect "$pal palette chooses hues from the names" "
		golden palette-$pal \"\$DATA/svg/palette-$pal/in.folded\" --palette $pal
	"
done

test_expect 'differential: width from the second count, colour from the leaf delta' '
	golden differential "$DATA/svg/differential/in.folded"
	grep -q "<title>draw_text (40 samples, 53.33%; +40.00%)</title>" out.svg
	grep -q "<title>render (45 samples, 60.00%; 0.00%)</title>" out.svg
'

test_expect 'differential with negate swaps the hues and signs' '
	golden differential-negate "$DATA/svg/differential/in.folded" --negate
	grep -q "<title>draw_text (40 samples, 53.33%; -40.00%)</title>" out.svg
'

test_expect 'colour diffusion: wider frames are redder' '
	golden color-diffusion "$DATA/svg/simple/in.folded" --color-diffusion
'

test_expect 'default and chosen backgrounds' '
	printf "a;b 1\n" >in.folded
	"$FG" --from-folded in.folded -o def.svg >/dev/null
	grep -q "<stop stop-color=\"#eeeeb0\" offset=\"95%\"/>" def.svg
	"$FG" --from-folded in.folded --palette mem -o mem.svg >/dev/null
	grep -q "<stop stop-color=\"#e0ffe0\"" mem.svg
	"$FG" --from-folded in.folded --palette aqua -o aqua.svg >/dev/null
	grep -q "<stop stop-color=\"#f8f8f8\"" aqua.svg
	"$FG" --from-folded in.folded --bg-colors blue -o blue.svg >/dev/null
	grep -q "<stop stop-color=\"#e0e0ff\"" blue.svg
	"$FG" --from-folded in.folded --bg-colors "#123abc" -o flat.svg >/dev/null
	test "$(grep -o "stop-color=\"#123abc\"" flat.svg | wc -l)" -eq 2
'

test_expect 'default colours are reproducible from run to run' '
	"$FG" --from-folded "$DATA/svg/simple/in.folded" -o a.svg >/dev/null
	"$FG" --from-folded "$DATA/svg/simple/in.folded" -o b.svg >/dev/null
	cmp a.svg b.svg
'

test_expect 'grey separator frames' '
	printf "a;--;b 1\na;-;c 1\n" >in.folded
	"$FG" --from-folded in.folded -o out.svg >/dev/null
	grep -q "fill=\"rgb(160,160,160)\"" out.svg
	grep -q "fill=\"rgb(200,200,200)\"" out.svg
'

test_expect 'consistent palette: palette.map written sorted and reused' '
	printf "main;zeta 2\nmain;alpha 1\n" >one.folded
	"$FG" --from-folded one.folded --consistent-palette --pretty-xml -o one.svg >/dev/null
	test -f palette.map
	test "$(wc -l <palette.map)" -eq 4
	sort palette.map | cmp - palette.map
	grep -q "^alpha->rgb([0-9]*,[0-9]*,[0-9]*)$" palette.map
	grep "<title>alpha" -A1 one.svg | grep -o "fill=\"[^\"]*\"" >c1
	printf "main;beta 5\nmain;alpha 1\nnew;alpha 2\n" >two.folded
	"$FG" --from-folded two.folded --consistent-palette --pretty-xml -o two.svg >/dev/null
	grep "<title>alpha" -A1 two.svg | grep -o "fill=\"[^\"]*\"" | sort -u >c2
	cmp c1 c2
	grep -q "^beta->" palette.map
	grep -q "^zeta->" palette.map
	grep -q "^new->" palette.map
'

test_expect 'off-CPU states in the blues of io whatever the palette; durations in titles' '
	printf "%s\n" "app;main;work 1200000000" "app;main;lock;[futex] 600120000" \
		"app;main;nap;[sleep] 300000000" >in.folded
	# fill FRAME: the "r g b" of the frame titled FRAME (a grep pattern)
	fill() {
		grep -o "<title>$1 ([^<]*</title><rect [^>]*fill=\"rgb([0-9,]*)\"" out.svg |
			sed -e "s/.*rgb(\([0-9,]*\))\"\$/\1/" -e "s/,/ /g"
	}
	# io_blue R G B: r = g in 80..140, b in 190..245, as io draws them
	io_blue() {
		test "$1" = "$2" && test "$1" -ge 80 && test "$1" -le 140 &&
			test "$3" -ge 190 && test "$3" -le 245
	}
	for mode in "--palette hot" "--palette rust" "--palette java --hash" "--deterministic"; do
		"$FG" --from-folded in.folded --count-name ns $mode -o out.svg >/dev/null
		xml_check out.svg
		futex=$(fill "\[futex\]") sleep=$(fill "\[sleep\]") work=$(fill work)
		test -n "$work"
		echo "$mode: [futex] $futex, [sleep] $sleep, work $work"
		io_blue $futex
		io_blue $sleep
		test "$futex" != "$sleep"
		if io_blue $work; then exit 1; fi
	done
	grep -q "<title>\[futex\] (600 ms, 28.58%)</title>" out.svg
	grep -q "<title>app (2.10 s, 100.00%)</title>" out.svg
	grep -q "<title>all (2.10 s, 100%)</title>" out.svg
	# without --count-name ns, counts as they are
	"$FG" --from-folded in.folded -o out.svg >/dev/null
	grep -q "<title>\[futex\] (600,120,000 samples, 28.58%)</title>" out.svg
	io_blue $(fill "\[futex\]")
	# differential graphs keep their red and blue, a palette map its colours
	printf "%s\n" "main;[futex] 10 30" "main;work 30 10" >diff.folded
	"$FG" --from-folded diff.folded --count-name ns -o out.svg >/dev/null
	test "$(fill "\[futex\]")" = "255 100 100"
	printf "[futex]->rgb(1,2,3)\n" >palette.map
	"$FG" --from-folded in.folded --consistent-palette --count-name ns -o out.svg >/dev/null
	test "$(fill "\[futex\]")" = "1 2 3"
	grep -q "^\[futex\]->rgb(1,2,3)\$" palette.map
	io_blue $(sed -n "s/^\[sleep\]->rgb(\(.*\))\$/\1/p" palette.map | tr , " ")
'

test_done
