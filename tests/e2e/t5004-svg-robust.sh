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

test_expect 'name-attr: 200,000 functions, and 200,000 attributes of one, in linear time' '
	# one attribute for each of 200,000 functions: the linear baseline
	awk "BEGIN { for (i = 0; i < 200000; i++) printf(\"f%d\\tg_extra=data-a%d=%d\\n\", i, i, i) }" >funcs.txt
	# the same 200,000 attributes for one function
	awk "BEGIN { for (i = 0; i < 200000; i++) printf(\"f0\\tg_extra=data-a%d=%d\\n\", i, i) }" >one.txt
	printf "main;f0 1\nmain;f199999 1\n" >in.folded
	t0=$(($(date +%s%N) / 1000000))
	timeout 600 "$FG" --from-folded in.folded --name-attr funcs.txt -o base.svg >/dev/null 2>err.txt
	t1=$(($(date +%s%N) / 1000000))
	grep -q "<g data-a0=\"0\"><title>f0 (" base.svg
	grep -q "<g data-a199999=\"199999\"><title>f199999 (" base.svg
	test ! -s err.txt
	xml_check base.svg
	# A quadratic load takes minutes natively (hours under valgrind);
	# a linear one about as long as the baseline. Allow 10 times it.
	limit=$(( (10 * (t1 - t0) + 5999) / 1000 ))
	echo "baseline $((t1 - t0)) ms, limit $limit s" >&2
	timeout "$limit" "$FG" --from-folded in.folded --name-attr one.txt -o out.svg >/dev/null 2>err.txt
	test ! -s err.txt
	test "$(grep -o " data-a[0-9]*=\"[0-9]*\"" out.svg | wc -l)" -eq 200000
	grep -q "<g data-a0=\"0\" data-a1=\"1\" data-a2=\"2\" " out.svg
	grep -q " data-a199998=\"199998\" data-a199999=\"199999\"><title>f0 (" out.svg
	# and 200,000 duplicates: a warning each, but ten lines printed
	awk "BEGIN { for (i = 0; i < 200000; i++) printf(\"f0\\tclass=c%d\\n\", i) }" >dup.txt
	timeout "$limit" "$FG" --from-folded in.folded --name-attr dup.txt -o out.svg >/dev/null 2>err.txt
	grep -q "<g class=\"c199999\"><title>f0 (" out.svg
	test "$(wc -l <err.txt)" -le 12
	grep -q "replacing value \"c9\" with \"c10\"" err.txt
	grep -q "\.\.\. and 199989 more warnings about name-attr file .dup\.txt." err.txt
'

test_expect '--factor 1e300 and 1e-300: the percentages of --factor 1, exact counts' '
	printf "main;a 3\nmain;b 1\nc 2\n" >in.folded
	printf "m;a 10 20\nm;b 30 20\n" >diff.folded
	for f in 1 1e300 1e-300 2.5 1.7976931348623157e308; do
		"$FG" --from-folded in.folded --pretty-xml --factor $f -o $f.svg >/dev/null
		"$FG" --from-folded diff.folded --pretty-xml --factor $f -o d$f.svg >/dev/null
		xml_check $f.svg
		# each title without its count: name and percentage (delta dropped)
		for g in $f d$f; do
			sed -n "s/.*<title>\([^ ]*\) ([0-9,]* samples, \([0-9.]*%\)[;)].*/\1 \2/p" $g.svg |
				sort >$g.pct
		done
	done
	cat >want.pct <<-\EOF
	a 50.00%
	all 100%
	b 16.67%
	c 33.33%
	main 66.67%
	EOF
	test_cmp want.pct 1.pct
	grep -q "^m 100.00%$" d1.pct
	for f in 1e300 1e-300 2.5 1.7976931348623157e308; do
		test_cmp 1.pct $f.pct
		test_cmp d1.pct d$f.pct
	done
	# counts: 1e-300 makes them 0; 1e300 the exact multiple of the double
	grep -q "<title>all (0 samples, 100%)</title>" 1e-300.svg
	grep -q "<title>b (1,000,000,000,000,000,052,504,760,255,204,420,248,704,468,581,108,159,154,915,854,115,511,802,457,988,908,195,786,371,375,080,447,864,043,704,443,832,883,878,176,942,523,235,360,430,575,644,792,184,786,706,982,848,387,200,926,575,803,737,830,233,794,788,090,059,368,953,234,970,799,945,081,119,038,967,640,880,074,652,742,780,142,494,579,258,788,820,056,842,838,115,669,472,196,386,865,459,400,540,160 samples, 16.67%)</title>" 1e300.svg
	grep -q "<title>b (3 samples, 16.67%)</title>" 2.5.svg
	# the delta (25% at factor 1) is divided by the factor, never saturated
	grep -q "<title>a (20 samples, 50.00%; +25.00%)</title>" d1.svg
	grep -q "<title>a (50 samples, 50.00%; +10.00%)</title>" d2.5.svg
	grep -q "samples, 50.00%; +0.00%)</title>" d1e300.svg
	grep -q "<title>a (0 samples, 50.00%; +24999999999999999373522704119781023556548419943065062741747751904296899442202085919224667428931119606090275767742543909021534456103405938342108615931940318642798990579799713136446196304731005109734442919265207821046995147984251063312685512325323636213457139151402170242374357607593427498850564453076272.41%)</title>" d1e-300.svg
'

test_done
