#!/bin/sh
# The same program recorded as root and as an unprivileged user gives the
# same stacks, kernel frames aside (the user's recording has none at
# kernel.perf_event_paranoid=2): every frame that carries weight in one
# recording carries weight in the other, or is a kernel function.
. "$(dirname "$0")/../lib.sh"

if [ -z "${FG_TEST_USER:-}" ]; then
	test_skip 'C chain: the same stacks as root and as a user' "${FG_TEST_USER_WHY:-no test user}"
	test_skip 'Rust chain: the same stacks as root and as a user' "${FG_TEST_USER_WHY:-no test user}"
	test_done
	exit 0
fi

CHAIN=$(build_c_fixture chain gcc) || exit 1
REL=$(build_crate chain release-debug) || exit 1
# The kernel's function names (root reads them), to tell kernel frames.
KSYMS=$TMP_ROOT/ksyms
awk '{ print $3 }' /proc/kallsyms | sort -u >"$KSYMS"
chmod 644 "$KSYMS"
SHARED=$TMP_ROOT/shared
mkdir -p "$SHARED"
chmod 1777 "$SHARED"
export CHAIN REL KSYMS SHARED

# frames FOLDED MIN: the frames on the stack in at least MIN% of FOLDED's
# samples (the root, the process name, left out), one per line, sorted.
FRAMES='
frames() {
	awk -v min="$2" "{
		c = \$NF; t += c; sub(/ [0-9]+\$/, \"\")
		n = split(\$0, f, \";\"); delete seen
		for (i = 2; i <= n; i++) if (!(f[i] in seen)) { seen[f[i]] = 1; w[f[i]] += c }
	} END { for (k in w) if (100 * w[k] >= min * t) print k }" "$1" | sort
}
# same_frames ROOT USER: compare the two, kernel functions aside.
same_frames() {
	frames "$1" 5 >root.5; frames "$1" 1 >root.1
	frames "$2" 5 >user.5; frames "$2" 1 >user.1
	echo "root: $(tr "\n" " " <root.5)"
	echo "user: $(tr "\n" " " <user.5)"
	# what weighs 5% for one weighs at least 1% for the other...
	missing=$(comm -23 root.5 user.1 | comm -23 - "$KSYMS")
	test -z "$missing" || { echo "only as root: $missing"; return 1; }
	missing=$(comm -23 user.5 root.1)
	test -z "$missing" || { echo "only as the user: $missing"; return 1; }
}
'
export FRAMES

test_expect 'C chain: the same stacks as root and as a user' '
	eval "$FRAMES"
	"$FG" --format folded -o root.folded -- "$CHAIN" 600 >/dev/null 2>err
	chmod 755 .
	as_test_user "$FG" --format folded -o "$SHARED/user-c.folded" -- "$CHAIN" 600 >/dev/null 2>err.user
	cat err.user
	no_loss err.user
	in_order root.folded main mid leaf_a
	in_order "$SHARED/user-c.folded" main mid leaf_a
	same_frames root.folded "$SHARED/user-c.folded"
'

test_expect 'Rust chain: the same stacks as root and as a user' '
	eval "$FRAMES"
	"$FG" --format folded -o root.folded -- "$REL/chain" 600 >/dev/null 2>err
	as_test_user "$FG" --format folded -o "$SHARED/user-rust.folded" -- "$REL/chain" 600 >/dev/null 2>err.user
	cat err.user
	no_loss err.user
	in_order "$SHARED/user-rust.folded" chain::main chain::run chain::outer chain::middle
	same_frames root.folded "$SHARED/user-rust.folded"
'

test_done
