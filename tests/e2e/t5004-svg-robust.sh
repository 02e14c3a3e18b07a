#!/bin/sh
# SVG renderer: deep stacks, very long names, huge counts, odd input lines.
# Every document must stay well-formed XML.
. "$(dirname "$0")/../lib.sh"

test_expect '10,000-frame stack' '
	awk "BEGIN { for (i = 0; i < 10000; i++) printf(i ? \";f%d\" : \"f%d\", i); print \" 5\"; print \"short 5\" }" >in.folded
	"$FG" --from-folded in.folded -o out.svg >/dev/null
	xmllint --noout --nonet --huge out.svg
	grep -q "height=\"160086\"" out.svg
	grep -q "<title>f9999 (5 samples, 50.00%)</title>" out.svg
'

test_expect '1 MB frame name' '
	awk "BEGIN { s = \"x\"; while (length(s) < 1048576) s = s s; print \"main;\" s \" 3\"; print \"main;y 1\" }" >in.folded
	"$FG" --from-folded in.folded -o out.svg >/dev/null
	xmllint --noout --nonet --huge out.svg
	grep -q "xxxxxxxxx (3 samples, 75.00%)</title>" out.svg
'

test_expect 'counts near 2^63 and a total past it' '
	printf "a;b 9223372036854775807\na;c 9223372036854775807\n" >in.folded
	"$FG" --from-folded in.folded --pretty-xml -o out.svg >/dev/null
	xml_check out.svg
	grep -q "total_samples=\"18446744073709551614\"" out.svg
	grep -q "<title>b (9,223,372,036,854,775,807 samples, 50.00%)</title>" out.svg
	grep -q "fg:x=\"9223372036854775807\" fg:w=\"9223372036854775807\"" out.svg
'

test_expect 'fractional counts are truncated' '
	printf "a;b 2.75\na;c 1.000\n" >in.folded
	"$FG" --from-folded in.folded -o out.svg >/dev/null 2>err.txt
	xml_check out.svg
	grep -q "<title>b (2 samples, 66.67%)</title>" out.svg
'

test_expect 'bad lines are skipped, CRLF and comments tolerated' '
	printf "# austin header\r\nmain;f 3\r\nnocount\r\nmain;g x\r\n\r\n   main;f 1   \r\n" >in.folded
	"$FG" --from-folded in.folded -o out.svg >/dev/null 2>err.txt
	xml_check out.svg
	grep -q "<title>f (4 samples, 100.00%)</title>" out.svg
'

test_expect 'control characters and invalid UTF-8 in every text' '
	printf "a\001b;\033[1mbold\033[0m 2\n\377\376;x\302 1\n" >in.folded
	"$FG" --from-folded in.folded --title "$(printf "t\001\033")" --notes "$(printf "n\002-")" -o out.svg >/dev/null
	xml_check out.svg
'

test_expect 'differential input with deltas beyond the total' '
	printf "a;b 9000000000000000000 1\na;c 0 5\n" >in.folded
	"$FG" --from-folded in.folded --pretty-xml -o out.svg >/dev/null
	xml_check out.svg
	grep -q "<title>c (5 samples, 83.33%; +83.33%)</title>" out.svg
	grep -q "<title>b (1 samples, 16.67%; -149999999999999999983.33%)</title>" out.svg
'

test_done
