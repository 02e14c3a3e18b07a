#!/bin/sh
# Security: a hostile binary (symbol names with markup, quotes, newlines,
# terminal escapes, a 1 MB name) cannot inject markup into the SVG, lines
# into the folded stacks or escapes into the terminal; --post-process, -c
# and the command never go through a shell; files written under sudo belong
# to the invoking user; nothing is written outside the requested outputs.
# The tests that record run as root and again as the unprivileged test user
# (test_expect_rec), but for those about root itself; the fixtures take
# milliseconds of their own CPU time.
. "$(dirname "$0")/../lib.sh"

FAKE=$SRC/tests/fixtures/fake-perf/perf
export FAKE

test_expect '--post-process is split into words and run without a shell' '
	printf "a;b 3\na;c 2\n" >in.folded
	cat >rec <<-EOF
	#!/bin/sh
	for a in "\$@"; do printf "[%s]\n" "\$a"; done >"$PWD/args"
	exec cat
	EOF
	chmod +x rec
	"$FG" --from-folded in.folded --format folded -o out.folded \
		--post-process "./rec \$HOME; touch pwned \`touch pwned2\` \$(touch pwned3) \"a b\" c|d>e" \
		>/dev/null 2>err
	cat err
	printf "[%s]\n" "\$HOME;" touch pwned "\`touch" "pwned2\`" "\$(touch" "pwned3)" "a b" "c|d>e" >expect
	test_cmp expect args
	test ! -e pwned
	test ! -e pwned2
	test ! -e pwned3
	test ! -e e
	test_cmp in.folded out.folded
	# a shell runs only when the string asks for one
	"$FG" --from-folded in.folded --format folded -o sh.folded \
		--post-process "sh -c \"sed s/a/z/ | tee shell-ran\"" >/dev/null 2>err
	grep -qx "z;b 3" sh.folded
	test -s shell-ran
'

test_expect 'a failing --post-process: the words echo got, status 2, nothing written' '
	printf "a;b 3\n" >in.folded
	exit_status "$FG" --from-folded in.folded -o out.svg \
		--post-process "echo \$HOME; touch pwned" >out 2>err
	cat err
	grep -q "status=2" out
	test ! -e pwned
	test ! -e out.svg
'

test_expect '-c is split on whitespace and never run through a shell' '
	export FAKE_PERF_LOG=$PWD/log FAKE_PERF_SCRIPT=/dev/null
	exit_status env PERF=$FAKE "$FG" -c "record -g ; touch pwned \$(touch pwned2) \`id\` >x" \
		--format folded -o out.folded -- ./prog "a b" "\$(touch pwned3)" >out 2>err
	cat log
	head -n 1 log | grep -qxF "[record][-g][;][touch][pwned][\$(touch][pwned2)][\`id\`][>x][-o][perf.data][--][./prog][a b][\$(touch pwned3)]"
	test ! -e pwned
	test ! -e pwned2
	test ! -e pwned3
	test ! -e x
'

if perf_available; then
	LOOP=$(build_c_fixture loop gcc) || exit 1
	CHAIN=$(build_c_fixture chain gcc) || exit 1
	HOSTILE_SRC=$SRC/tests/fixtures/c/hostile.c
	export LOOP CHAIN HOSTILE_SRC

	# names.s: one spinning function per hostile name, and hostile_fns[].
	# In the names, @ stands for a newline and ~ for an escape (ESC), put
	# into the binary afterwards: the assembler does not take them.
	gen_hostile_asm() {
		printf '\t.text\n'
		for n in "$@"; do
			printf '\t.globl "%s"\n\t.type "%s", @function\n"%s":\n' "$n" "$n" "$n"
			printf '\t.cfi_startproc\n\tmov %%rdi, %%rax\n1:\tdec %%rax\n\tjnz 1b\n\tret\n\t.cfi_endproc\n'
			printf '\t.size "%s", .-"%s"\n' "$n" "$n"
		done
		printf '\t.section .data.rel.ro,"aw"\n\t.globl hostile_fns\n\t.p2align 3\nhostile_fns:\n'
		for n in "$@"; do
			printf '\t.quad "%s"\n' "$n"
		done
		printf '\t.quad 0\n\t.section .note.GNU-stack,"",@progbits\n'
	}
	HOSTILE=
	if [ "$(uname -m)" = x86_64 ]; then
		big=$(head -c 1048576 /dev/zero | tr '\0' B)
		gen_hostile_asm \
			'</title><script>alert(1)</script>' \
			'</text></g><script>window.pwned=1</script><g>' \
			'q\"uote'"'"'s&amp;<b>' \
			'line1@INJECTED;evil 999999@x' \
			'esc~[31mred~[0m' \
			"big${big}</text><script>x=2</script>" >"$TMP_ROOT/names.s"
		if gcc -O2 -g -o "$TMP_ROOT/hostile" "$HOSTILE_SRC" "$TMP_ROOT/names.s" &&
		   perl -0777 -pi -e 's/line1\@INJECTED;evil 999999\@x/line1\nINJECTED;evil 999999\nx/g; s/esc~\[31mred~\[0m/esc\033[31mred\033[0m/g' \
			"$TMP_ROOT/hostile" &&
		   nm "$TMP_ROOT/hostile" | grep -q "^INJECTED;evil 999999$"; then
			HOSTILE=$TMP_ROOT/hostile
		fi
		rm -f "$TMP_ROOT/names.s"
	fi
	export HOSTILE

	if [ -n "$HOSTILE" ]; then
	test_expect_rec 'hostile symbol names: no markup in the SVG, shown escaped' '
		exit_status "$FG" -o out.svg --folded-output out.folded -- "$HOSTILE" 400 >out 2>err
		grep -q "status=0" out
		xml_check out.svg
		# as many script elements as in the graph of a harmless program
		"$FG" -o plain.svg -- "$CHAIN" 200 >/dev/null 2>&1
		test "$(grep -o "<script" out.svg | wc -l)" = "$(grep -o "<script" plain.svg | wc -l)"
		! grep -q "<script>alert" out.svg || exit 1
		! grep -q "<script>window" out.svg || exit 1
		! grep -q "<script>x=2" out.svg || exit 1
		! grep -q "</g><script>" out.svg || exit 1
		# the names are there, escaped
		grep -q "&lt;/title&gt;&lt;script&gt;alert" out.svg
		grep -q "&lt;/text&gt;&lt;/g&gt;&lt;script&gt;window.pwned=1&lt;/script&gt;&lt;g&gt;" out.svg
		grep -q "q&quot;uote&apos;s&amp;amp" out.svg
		grep -q "bigBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB" out.svg
		grep -q "call_hostile;bigBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB" out.folded
	'

	test_expect_rec 'hostile symbol names: no line injected into the folded stacks' '
		"$FG" --format folded -o out.folded -- "$HOSTILE" 400 >/dev/null 2>err
		samples=$(sed -n "s/^recorded \([0-9]*\) samples.*/\1/p" err)
		total=$(awk "{ t += \$NF } END { print t }" out.folded)
		echo "recorded $samples, folded total $total"
		# every line is a stack and a count; a name with newlines stays on its line
		! grep -q "^INJECTED" out.folded || exit 1
		check_eq "$(grep -cv " [0-9][0-9]*$" out.folded)" 0 "lines of out.folded without a count"
		check_eq "$total" "$samples" "samples in out.folded (of those recorded)"
		grep -q "call_hostile;line1.INJECTED.evil 999999.x [0-9]*$" out.folded
		# read back, nothing was injected either
		"$FG" --from-folded out.folded --format folded -o back.folded >/dev/null 2>err2
		! grep -q "INJECTED.evil [0-9]*$" back.folded || exit 1
		test_cmp out.folded back.folded
	'

	test_expect_rec 'hostile symbol names: no escapes or raw newlines on the terminal' '
		"$FG" -o out.svg -- "$HOSTILE" 400 >out 2>err
		esc=$(printf "\033")
		! grep -q "$esc" err || exit 1
		! grep -q "$esc" out || exit 1
		! grep -q "^INJECTED" err || exit 1
		# and a 1 MB name does not become a 1 MB line
		check_lt "$(awk "{ if (length(\$0) > m) m = length(\$0) } END { print m + 0 }" err)" 4096 \
			"longest line on standard error"
	'
	else
		test_skip 'hostile symbol names: no markup in the SVG, shown escaped' 'cannot build the x86-64 hostile fixture'
		test_skip 'hostile symbol names: no line injected into the folded stacks' 'cannot build the x86-64 hostile fixture'
		test_skip 'hostile symbol names: no escapes or raw newlines on the terminal' 'cannot build the x86-64 hostile fixture'
	fi

	test_expect_rec 'a command with shell metacharacters is a program name, not a script' '
		exit_status "$FG" -o out.svg -- "./x;touch pwned" "\$(touch pwned2)" >out 2>err
		cat err
		grep -q "status=2" out
		grep -q "cannot run .\./x;touch pwned.: No such file or directory" err
		test ! -e pwned
		test ! -e pwned2
	'

	# Root only: it is about root giving its files away.
	test_expect 'under sudo: the files written belong to the invoking user' '
		# "sudo flamegraph ...": root, with SUDO_UID/SUDO_GID naming the user
		dir=$(mktemp -d /tmp/fg8002-sudo.XXXXXX)
		chown nobody:nogroup "$dir"
		cd "$dir"
		set +e
		(
			set -e
			uid=$(id -u nobody)
			gid=$(getent group nogroup | cut -d: -f3)
			SUDO_UID=$uid SUDO_GID=$gid SUDO_USER=nobody \
				"$FG" -o out.svg --folded-output out.folded -- "$CHAIN" 200 >/dev/null 2>err
			ls -ln
			test "$(stat -c %u:%g out.svg)" = "$uid:$gid"
			test "$(stat -c %u:%g out.folded)" = "$uid:$gid"
		)
		st=$?
		set -e
		cd /
		rm -rf "$dir"
		test "$st" = 0
	'

	test_expect_rec 'nothing is written outside the requested output paths' '
		mkdir work home tmp
		cd work
		HOME=$TMP/home TMPDIR=$TMP/tmp XDG_CACHE_HOME=$TMP/home/.cache \
			"$FG" -o out.svg --folded-output out.folded -- "$CHAIN" 200 >/dev/null 2>err
		rm err
		test "$(ls -A | sort | tr "\n" " ")" = "out.folded out.svg "
		test -z "$(ls -A "$TMP/home" "$TMP/tmp" | grep -v ":$" | grep .)" || {
			ls -lAR "$TMP/home" "$TMP/tmp"; exit 1; }
		# the perf backend adds its perf.data, and only that
		rm -f out.svg out.folded
		FAKE_PERF_LOG=$TMP/log FAKE_PERF_SCRIPT=/dev/null HOME=$TMP/home TMPDIR=$TMP/tmp \
			PERF=$FAKE "$FG" -c "record -g" -o out.svg -- ./prog >/dev/null 2>err || true
		rm err
		test "$(ls -A | sort | tr "\n" " ")" = "perf.data "
		test -z "$(ls -A "$TMP/home" "$TMP/tmp" | grep -v ":$" | grep .)"
	'
else
	for n in 'hostile symbol names: no markup in the SVG, shown escaped' \
		'hostile symbol names: no line injected into the folded stacks' \
		'hostile symbol names: no escapes or raw newlines on the terminal' \
		'a command with shell metacharacters is a program name, not a script' \
		'under sudo: the files written belong to the invoking user' \
		'nothing is written outside the requested output paths'; do
		test_skip "$n" "$("$TT" perf-check 2>&1 | head -n 1)"
	done
fi

# Root only: it switches to the user nobody itself.
test_expect '--root: perf.data is given back to the invoking user, not root' '
	# flamegraph runs as nobody; the fake sudo runs perf (and the chown)
	# as nobody too, and logs them: the chown must name nobody.
	command -v setpriv >/dev/null || { echo "no setpriv: skipped"; exit 0; }
	dir=$(mktemp -d /tmp/fg8002-root.XXXXXX)
	mkdir "$dir/bin"
	cp "$FAKE" "$dir/bin/perf"
	cat >"$dir/bin/sudo" <<-EOF
	#!/bin/sh
	for a in "\$@"; do printf "[%s]" "\$a"; done >>"$dir/sudo.log"
	echo >>"$dir/sudo.log"
	while [ "\${1#-}" != "\$1" ]; do shift; done
	exec "\$@"
	EOF
	printf "prog 1 1.0: 1 cpu-clock:\n\t1 leaf (/p)\n\t2 main (/p)\n\n" >"$dir/known.perf"
	chmod 755 "$dir" "$dir/bin" "$dir/bin/sudo" "$dir/bin/perf"
	chmod 644 "$dir/known.perf"
	chown -R nobody:nogroup "$dir"
	uid=$(id -u nobody)
	gid=$(getent group nogroup | cut -d: -f3)
	set +e
	(
		set -e
		cd "$dir"
		setpriv --reuid=nobody --regid=nogroup --clear-groups \
			env PATH="$dir/bin:$PATH" PERF="$dir/bin/perf" FAKE_PERF_LOG="$dir/perf.log" \
			FAKE_PERF_SCRIPT="$dir/known.perf" \
			"$FG" --root -c "record -g" --format folded -o out.folded -- ./prog >/dev/null 2>err
		cat sudo.log
		grep -q "^\[.*perf\]\[record\]\[-g\]" sudo.log
		grep -qx "\[chown\]\[$uid:$gid\]\[perf.data\]" sudo.log
		test "$(stat -c %u out.folded)" = "$uid"
		test "$(stat -c %u perf.data)" = "$uid"
	)
	st=$?
	set -e
	rm -rf "$dir"
	test "$st" = 0
'

test_done
