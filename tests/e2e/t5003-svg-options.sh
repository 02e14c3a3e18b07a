#!/bin/sh
# SVG renderer: options for text, fonts, UI colours, name attributes, and
# the escaping of hostile names and option values.
# Golden files: tests/data/svg/CASE/expected.svg, rewritten with FG_BLESS=1;
# the embedded JavaScript is cut out before comparing (it has its own tests).
. "$(dirname "$0")/../lib.sh"


test_expect 'font options' '
	golden fonts "$DATA/svg/simple/in.folded" --font-type "DejaVu Sans Mono" --font-size 14 --font-width 0.6 --frame-height 20
	grep -q "text { font-family:\"DejaVu Sans Mono\"; font-size:14px }" out.svg
	grep -q "#title { text-anchor:middle; font-size:19px; }" out.svg
	grep -q "var fontwidth = 0.6;" out.svg
'

test_expect 'generic font families stay unquoted' '
	printf "a 1\n" >in.folded
	"$FG" --from-folded in.folded --font-type sans-serif -o out.svg >/dev/null
	grep -q "text { font-family:sans-serif; font-size:12px }" out.svg
'

test_expect 'stroke, UI and search colours' '
	golden colors-ui "$DATA/svg/simple/in.folded" --stroke-color "#333333" --ui-color "#7f007f" --search-color "#00aa00"
	grep -q "stroke:#333333; stroke-width:1;" out.svg
	grep -q "<text id=\"title\" fill=\"rgb(127,0,127)\"" out.svg
	grep -q "var searchcolor = .#00aa00.;" out.svg
'

test_expect 'count name and factor' '
	golden count-factor "$DATA/svg/simple/in.folded" --count-name "µs of <cpu>" --factor 0.5
	grep -q "<title>all (49 µs of &lt;cpu&gt;, 100%)</title>" out.svg
	grep -q "<title>idle (3 µs of &lt;cpu&gt;, 5.15%)</title>" out.svg
'

test_expect 'name-attr file: href makes a link, attributes escaped and de-duplicated' '
	golden name-attr "$DATA/svg/simple/in.folded" --name-attr "$DATA/svg/name-attr/attrs.txt" 2>err.txt
	grep -q "^        <a xlink:href=\"https://example.com/docs?f=main&amp;v=1\" target=\"_top\">$" out.svg
	grep -q "<title>main: see the docs</title>" out.svg
	grep -q "<a xlink:href=\"https://example.com/lex\" target=\"_blank\" rel=\"noopener\" class=\"b\">" out.svg
	grep -q "<g class=\"slow\" id=\"parse-frame\" data-owner=\"team a\" data-level=\"2\">" out.svg
	grep -q "duplicate attribute" err.txt
'

test_expect 'unreadable name-attr file is an error' '
	printf "a 1\n" >in.folded
	fails "$FG" --from-folded in.folded --name-attr missing.txt -o out.svg 2>err.txt
	grep -q "missing.txt" err.txt
	test ! -e out.svg
'

test_expect 'hostile names, title, subtitle and notes stay text' '
	golden hostile "$DATA/svg/hostile/in.folded" --title "</text><script>alert(1)</script>" --subtitle "a & b <c>" --notes "x --> <!-- y - "
	if grep -q "<script>alert" out.svg; then exit 1; fi
	grep -q "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; (5 samples" out.svg
	grep -q "<!--NOTES: x -&#45;&gt; &lt;!-&#45; y - -->" out.svg
'

test_expect 'name type and right truncation go to the script settings' '
	printf "a 1\n" >in.folded
	"$FG" --from-folded in.folded --name-type "Frame '\''x'\'':" --truncate-text-right -o out.svg >/dev/null
	xml_check out.svg
	grep -q "var nametype = '\''Frame \\\\'\''x\\\\'\'':'\'';" out.svg
	grep -q "var truncate_text_right = true;" out.svg
'

test_expect 'the JavaScript is embedded after the settings' '
	printf "a 1\n" >in.folded
	"$FG" --from-folded in.folded -o out.svg >/dev/null
	grep -q "var truncate_text_right = false;" out.svg
	if [ -s "$SRC/svg/flamegraph.js" ]; then
		grep -q "^]]><!\[CDATA\[" out.svg
	fi
	grep -q "]]></script>" out.svg
'

test_done
