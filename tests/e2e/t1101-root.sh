#!/bin/sh
# --root with the native engine: the same command runs again under sudo
# with --owner, so the files written stay the invoking user's.
. "$(dirname "$0")/../lib.sh"

skip_all_without_perf '--root runs the native engine again under sudo, files stay yours'

test_expect '--root runs the native engine again under sudo, files stay yours' '
	command -v setpriv >/dev/null || { echo "setpriv missing"; exit 1; }
	dir=$(mktemp -d /tmp/fg-root.XXXXXX)
	# outside the scratch directory of the test (nobody must reach it):
	# removed whether the test passes or not
	trap "cd / && rm -rf \"\$dir\"" EXIT
	cp "$FG" "$dir/flamegraph"
	gcc -O2 -g -o "$dir/chain" "$SRC/tests/fixtures/c/chain.c"
	mkdir "$dir/bin"
	# a sudo that logs its arguments and runs the command as the caller
	printf "%s\n" "#!/bin/sh" \
		"for a in \"\$@\"; do printf \"[%s]\" \"\$a\"; done >>\"$dir/sudo.log\"" \
		"echo >>\"$dir/sudo.log\"" \
		"while [ \"\${1#-}\" != \"\$1\" ]; do shift; done" \
		"exec \"\$@\"" >"$dir/bin/sudo"
	chmod -R a+rwx "$dir"
	cd "$dir"
	setpriv --reuid=nobody --regid=nogroup --clear-groups env PATH="$dir/bin:$PATH" \
		./flamegraph --root=-E --format folded -o out.folded -- ./chain 300 >/dev/null 2>err
	cat sudo.log
	self=$dir/flamegraph
	# under valgrind the copy is a wrapper: the program it runs is what
	# runs itself again
	[ -z "${FG_VALGRIND:-}" ] || self=$(grep -o "/[^ ]*/bin/flamegraph" "$FG" | tail -n 1)
	test "$(cat sudo.log)" = "[-E][$self][--owner=65534:65534][--format][folded][-o][out.folded][--][./chain][300]"
	in_order out.folded main mid leaf_a
	test "$(stat -c %U out.folded)" = nobody
'

test_done
