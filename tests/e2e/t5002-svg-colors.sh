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

test_done
