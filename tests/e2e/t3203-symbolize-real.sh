#!/bin/sh
# Real programs where perf used to name frames and we did not: PLT entries
# (named FUNCTION@plt and unwound through), and a non-PIE executable that
# maps part of its code a second time elsewhere (node's V8 builtins).
. "$(dirname "$0")/../lib.sh"

skip_all_without_perf \
	'PLT entries: named FUNCTION@plt, stacks unwound through them' \
	'sqlite3: PLT frames named, every stack unwound past them' \
	'node: the builtins V8 maps again are named'

# share_leaf PATTERN FOLDED: % of samples whose leaf frame matches PATTERN.
LEAF='
share_leaf() {
	awk -v p="$1" "{ c = \$NF; t += c; sub(/ [0-9]+\$/, \"\"); n = split(\$0, f, \";\");
		if (f[n] ~ p) m += c } END { printf \"%d\\n\", t ? 100 * m / t : 0 }" "$2"
}
'
export LEAF

test_expect_rec 'PLT entries: named FUNCTION@plt, stacks unwound through them' '
	eval "$LEAF"
	gcc -O2 -g -shared -fPIC -o libwork.so "$FIXTURES/plt/lib.c"
	gcc -O2 -g -o plt "$FIXTURES/plt/main.c" -L. -lwork -Wl,-rpath,"$PWD"
	"$FG" --format folded -o out.folded -- ./plt >/dev/null 2>err
	cat err
	in_order out.folded main caller "work@plt"
	share_ge "caller;work@plt" out.folded 3
	# no stack stops at the PLT entry
	check_le "$(share_leaf "^\\[" out.folded)" 1 "samples ending in an unnamed frame" %
	grep -q "unwound to the end (99\\.[0-9]%)\\|(100\\.0%)" err
'

if command -v sqlite3 >/dev/null 2>&1; then
	test_expect_rec 'sqlite3: PLT frames named, every stack unwound past them' '
		eval "$LEAF"
		"$FG" --format folded -o out.folded -- sqlite3 :memory: -init "$FIXTURES/sql/work.sql" .quit \
			>/dev/null 2>err
		cat err
		grep -q "@plt" out.folded
		# no stack stops after the process name (it did in a PLT entry)
		awk "{ sub(/ [0-9]+\$/, \"\"); if (split(\$0, f, \";\") < 3) { print; bad = 1 } }
			END { exit bad }" out.folded
		grep -q "unwound to the end (99\\.[0-9]%)\\|(100\\.0%)" err
		# its stripped library: one warning, with the advice for a system file
		test "$(grep -c "^warning:.*libsqlite3" err)" = 1
		grep -q "^warning: [0-9.]*% of the samples have frames in .*libsqlite3.* without a name (shown as \\[libsqlite3.*\\]); install its debug symbols" err
	'
else
	test_skip 'sqlite3: PLT frames named, every stack unwound past them' \
		'sqlite3 is not installed (make check installs it)'
fi

if command -v node >/dev/null 2>&1 && ! file -L "$(command -v node)" | grep -q "pie executable"; then
	test_expect_rec 'node: the builtins V8 maps again are named' '
		eval "$LEAF"
		"$FG" --format folded -o out.folded -- node "$FIXTURES/js/builtins.js" >/dev/null 2>err
		cat err | head -n 3
		grep -q ";Builtins_[A-Za-z]*" out.folded
		share_ge "Builtins_" out.folded 20
		# V8 maps them again elsewhere: they used to end in [node]
		check_le "$(share_leaf "^\\[node\\]\$" out.folded)" 2 "samples ending in [node]" %
		# libstdc++ has no symbol table, but none of its frames is unnamed
		# in a visible share: no warning
		! grep -q "libstdc++" err
	'
else
	test_skip 'node: the builtins V8 maps again are named' \
		'node is not installed, or is a position-independent executable here'
fi

test_expect_rec 'a stripped program of the user: one warning, advice for its build' '
	gcc -O2 -o spin "$FIXTURES/c/loop.c"
	strip spin
	"$FG" --format folded -o out.folded -- ./spin 300 >/dev/null 2>err
	cat err
	# under the sanitizers the slowed recorder may also lose samples,
	# with a warning of its own: the stripped file is still warned of once
	if not_under_sanitizers "that no other warning came (samples lost to the slowdown)"; then
		test "$(grep -c "^warning:" err)" = 1
	else
		test "$(grep "^warning:" err | grep -vc "^warning: the kernel dropped [0-9]* samples")" = 1
	fi
	grep -q "^warning: [0-9.]*% of the samples have frames in .*/spin. without a name (shown as \\[spin\\]): it was stripped; build it with its symbols" err
'

test_done
