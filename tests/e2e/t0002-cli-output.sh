#!/bin/sh
# Outputs: atomic files, stdout, folded format, post-process, empty input.
. "$(dirname "$0")/../lib.sh"

write_input() {
	printf "main;parse;lex 30\nmain;parse;read 10\nmain;render 50\n" >in.folded
}

test_expect 'default output is flamegraph.svg, message on stdout' '
	printf "main;parse;lex 30\nmain;render 50\n" >in.folded
	"$FG" --from-folded in.folded >out.txt
	grep -qx "writing flamegraph to \"flamegraph.svg\"" out.txt
	xml_check flamegraph.svg
	grep -q "main (80 samples, 100.00%)" flamegraph.svg
	test -z "$(ls -A | grep tmp)"
'

test_expect '-o - writes the SVG to stdout and the message to stderr' '
	printf "a;b 3\n" >in.folded
	"$FG" --from-folded in.folded -o - >out.svg 2>err.txt
	xml_check out.svg
	grep -q "writing flamegraph" err.txt
'

test_expect 'stdin input with -' '
	printf "a;b 3\na;c 1\n" | "$FG" --from-folded - -o out.svg >/dev/null
	grep -q "b (3 samples, 75.00%)" out.svg
'

test_expect '--format folded writes sorted, merged folded text' '
	printf "b;x 1\na;y 2\nb;x 4\n# comment\n\n" >in.folded
	"$FG" --from-folded in.folded --format folded -o out.folded
	printf "a;y 2\nb;x 5\n" >expect
	test_cmp expect out.folded
	"$FG" --from-folded in.folded --format folded >/dev/null
	test_cmp expect flamegraph.folded
	test ! -e flamegraph.svg
'

test_expect '--folded-output writes the stacks beside the SVG' '
	printf "b;x 1\na;y 2\n" >in.folded
	"$FG" --from-folded in.folded --folded-output st.folded -o g.svg >/dev/null
	printf "a;y 2\nb;x 1\n" >expect
	test_cmp expect st.folded
	xml_check g.svg
'

test_expect '--folded-output of a flame chart is still merged and sorted' '
	printf "b;x 1\na;y 2\nb;x 4\n" >in.folded
	"$FG" --from-folded in.folded --flamechart --folded-output st.folded -o g.svg >/dev/null
	printf "a;y 2\nb;x 5\n" >expect
	test_cmp expect st.folded
'

test_expect '--post-process filters the folded stacks (no shell)' '
	printf "main;slow 9\nmain;fast 1\n" >in.folded
	"$FG" --from-folded in.folded --post-process "sed -e s/slow/SLOW/" -o g.svg >/dev/null
	grep -q "SLOW (9 samples" g.svg
	"$FG" --from-folded in.folded --post-process "tee copy.folded" --format folded -o o.folded
	printf "main;fast 1\nmain;slow 9\n" >expect
	test_cmp expect copy.folded
	# a semicolon is an argument, not a shell command separator
	"$FG" --from-folded in.folded --post-process "echo main;evil 1" --format folded -o o2.folded
	grep -qx "main;evil 1 1" o2.folded || grep -q "main;evil" o2.folded
'

test_expect '--post-process failures: non-zero exit, no output file' '
	printf "a 1\n" >in.folded
	exit_status "$FG" --from-folded in.folded --post-process false -o g.svg >out 2>err
	grep -q "status=2" out
	grep -q "post-process command .false. failed: it exited with code 1" err
	test ! -e g.svg
	exit_status "$FG" --from-folded in.folded --post-process /nonexistent/x -o g.svg >out 2>err
	grep -q "status=2" out
	grep -q "cannot run ./nonexistent/x." err
	exit_status "$FG" --from-folded in.folded --post-process "tee \"x" -o g.svg >out 2>err
	grep -q "status=2" out
	grep -q "unterminated quote" err
	test ! -e g.svg
'

test_expect 'empty input: error naming the file, status 2, no output' '
	: >empty.folded
	exit_status "$FG" --from-folded empty.folded -o g.svg >out 2>err
	grep -q "status=2" out
	grep -q "error: no stack counts found in .empty.folded." err
	test ! -e g.svg
	printf "a 0\nb 0\n" >zero.folded
	exit_status "$FG" --from-folded zero.folded -o g.svg >out 2>err
	grep -q "status=2" out
	test ! -e g.svg
'

test_expect 'malformed lines are skipped and counted in one warning' '
	printf "a;b 1\nnonsense\n;\nc x\n a;c 2 \n" >in.folded
	"$FG" --from-folded in.folded -o g.svg >/dev/null 2>err
	test "$(grep -c warning err)" = 1
	grep -q "ignored 3 lines with invalid format" err
	grep -q "c (2 samples" g.svg
'

test_expect 'missing input file and missing output directory fail cleanly' '
	exit_status "$FG" --from-folded nope.folded >out 2>err
	grep -q "status=2" out
	grep -q "cannot open .nope.folded." err
	printf "a 1\n" >in.folded
	exit_status "$FG" --from-folded in.folded -o no/such/dir/g.svg >out 2>err
	grep -q "status=2" out
	grep -q "no/such/dir/g.svg" err
'

test_expect 'a full disk is reported, not ignored' '
	test -w /dev/full || exit 0
	printf "a 1\n" >in.folded
	set +e
	"$FG" --from-folded in.folded -o - >/dev/full 2>err
	st=$?
	set -e
	test "$st" = 2
	grep -q "No space left on device" err
'

test_expect 'an existing output is replaced only when the new one is complete' '
	printf "old\n" >g.svg
	: >empty.folded
	fails "$FG" --from-folded empty.folded -o g.svg 2>/dev/null
	test "$(cat g.svg)" = old
	printf "a 1\n" >in.folded
	"$FG" --from-folded in.folded -o g.svg >/dev/null
	xml_check g.svg
'

test_expect 'atomic writer helper leaves no temporary files' '
	"$TT" outfile o.txt hello
	test "$(cat o.txt)" = hello
	test "$(ls -A | wc -l)" = 1
	fails "$TT" outfile missing/o.txt hello 2>/dev/null
'

test_done
