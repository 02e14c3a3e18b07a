#!/bin/sh
# What users expect around the graph: differential graphs in one step, the
# summary of top functions, --open, manual pages, make install.
. "$(dirname "$0")/../lib.sh"

test_expect '--diff-base makes a differential graph of two profiles' '
	printf "main;a 10\nmain;b 10\nmain;gone 5\n" >before.folded
	printf "main;a 30\nmain;b 5\nmain;new 7\n" >after.folded
	# on shares: the base (25 samples) drawn as if it had the 42 of the new
	"$FG" --from-folded after.folded --diff-base before.folded --format folded -o d.folded
	printf "main;a 17 30\nmain;b 17 5\nmain;gone 8 0\nmain;new 0 7\n" >expect
	test_cmp expect d.folded
	"$FG" --from-folded after.folded --diff-base before.folded -o d.svg >/dev/null
	xml_check d.svg
	# a grew: red; b shrank: blue
	grep -q "<title>a (30 samples, 71.43%; +30.95%)</title><rect[^>]*fill=\"rgb(255," d.svg
	grep -q "<title>b (5 samples, 11.90%; -28.57%)</title><rect[^>]*fill=\"rgb([0-9]*,[0-9]*,255)" d.svg
	# on counts: as they are
	"$FG" --from-folded after.folded --diff-base before.folded --diff-mode counts \
		--format folded -o c.folded
	printf "main;a 10 30\nmain;b 10 5\nmain;gone 5 0\nmain;new 0 7\n" >expect
	test_cmp expect c.folded
	"$FG" --from-folded after.folded --diff-base before.folded --diff-mode counts \
		-o c.svg >/dev/null
	grep -q "<title>a (30 samples, 71.43%; +47.62%)</title><rect[^>]*fill=\"rgb(255," c.svg
'

test_expect '--diff-base errors: missing file, differential base' '
	printf "main;a 1\n" >a.folded
	exit_status "$FG" --from-folded a.folded --diff-base nope.folded -o d.svg >out 2>err
	grep -q "status=2" out
	grep -q "cannot open .nope.folded." err
	printf "main;a 1 2\n" >diff.folded
	exit_status "$FG" --from-folded a.folded --diff-base diff.folded -o d.svg >out 2>err
	grep -q "status=2" out
	grep -q "already differential" err
	test ! -e d.svg
'

test_expect 'the summary after a recording names the hot functions' '
	"$TT" perf-check >/dev/null || exit 0
	gcc -O2 -g -o chain "$SRC/tests/fixtures/c/chain.c"
	"$FG" -o out.svg -- ./chain 1500 >/dev/null 2>err
	grep -q "^top functions by self time (on the CPU itself):" err
	sed -n "/by self time/,/by total/p" err | sed -n 2p | grep -q "leaf_a$"
	# the totals start below the trunk every stack shares
	grep -q "^top functions by total time (on the stack), below mid (" err
	sed -n "/by total time/,\$p" err | grep -qE "^ +[0-9.]+%  leaf_a$"
	"$FG" --no-summary -o out.svg -- ./chain 300 >/dev/null 2>err
	if grep -q "top functions" err; then exit 1; fi
'

test_expect '--open runs xdg-open on the SVG, or says why it cannot' '
	printf "main;a 1\n" >a.folded
	mkdir bin
	printf "#!/bin/sh\necho \"\$1\" >\"%s/opened\"\n" "$PWD" >bin/xdg-open
	chmod +x bin/xdg-open
	PATH=$PWD/bin:$PATH "$FG" --from-folded a.folded --open -o g.svg >/dev/null 2>err
	test "$(cat opened)" = g.svg
	mkdir empty
	PATH=$PWD/empty "$FG" --from-folded a.folded --open -o g.svg >/dev/null 2>err
	grep -q "cannot open .g.svg.: xdg-open is not installed" err
	xml_check g.svg
'

test_expect 'the manual page lists every option of --help' '
	"$FG" --man >fg.1
	grep -q "^\.TH \"flamegraph\" 1" fg.1
	"$FG" --help | grep -E "^ {2,6}(-[a-zA-Z], )?--[a-z]" |
		grep -oE -- "--[a-z][a-z-]*" | sort -u >help-opts
	while read -r opt; do
		grep -q -- "$(printf "%s" "$opt" | sed "s/-/\\\\\\\\-/g")" fg.1 || { echo "man lacks $opt"; exit 1; }
	done <help-opts
	if command -v man >/dev/null; then man -l fg.1 >/dev/null 2>&1; fi
'

test_expect 'make install: executables and manual pages under PREFIX and DESTDIR' '
	# the programs are built; nothing is rebuilt, nothing lands elsewhere
	make -s -C "$SRC" O="$BUILD" install PREFIX="$TMP/p" >out 2>&1 || { cat out; exit 1; }
	for p in flamegraph cargo-flamegraph; do
		test -x "$TMP/p/bin/$p"
		test -f "$TMP/p/share/man/man1/$p.1"
		grep -q "^\.TH" "$TMP/p/share/man/man1/$p.1"
	done
	"$TMP/p/bin/flamegraph" --version | grep -q "^flamegraph "
	make -s -C "$SRC" O="$BUILD" install DESTDIR="$TMP/d" PREFIX=/usr >out 2>&1 || { cat out; exit 1; }
	test -x "$TMP/d/usr/bin/flamegraph"
	test -f "$TMP/d/usr/share/man/man1/cargo-flamegraph.1"
	test "$(find "$TMP/d" -type f | wc -l)" = 4
'

test_done
