# The unprivileged user of the test suite (sourced by tests/run-tests.sh).
#
# Most users are not root, so when the suite runs as root, every test that
# records runs a second time as a user it creates, fg-tester, with the
# system's own perf_event_paranoid (2 on Debian): tests/lib.sh's
# test_expect_user runs a body as that user. user_setup exports:
#
#   FG_TEST_USER      the user's name (unset: no second run, and why in
#                     FG_TEST_USER_WHY)
#   FG_USER_RUST_BIN  a directory with cargo and rustc the user can run
#                     (the toolchain, hard-linked where the user can reach
#                     it when it lives under /root), or unset
#
# The user must reach the build and the tests: when the source tree is out
# of its reach, user_setup mirrors the tree (without .git) into a directory
# it can read and runs the suite from there.

FG_USER_NAME=${FG_USER_NAME:-fg-tester}

# as_user CMD...: CMD as the test user, in a clean environment of its own.
as_user() {
	setpriv --reuid="$FG_TEST_USER" --regid="$FG_TEST_USER" --init-groups \
		--inh-caps=-all -- "$@"
}

user_setup() {
	unset FG_TEST_USER FG_USER_RUST_BIN
	if [ "$(id -u)" != 0 ]; then
		FG_TEST_USER_WHY="the suite already runs as an unprivileged user ($(id -un))"
		export FG_TEST_USER_WHY
		return 0
	fi
	if ! command -v setpriv >/dev/null 2>&1; then
		FG_TEST_USER_WHY="setpriv (util-linux) is not installed"
		export FG_TEST_USER_WHY
		return 0
	fi
	if ! id "$FG_USER_NAME" >/dev/null 2>&1; then
		useradd --system --user-group --no-create-home --home-dir /nonexistent \
			--shell /usr/sbin/nologin "$FG_USER_NAME" 2>/dev/null
		if ! id "$FG_USER_NAME" >/dev/null 2>&1; then
			FG_TEST_USER_WHY="cannot create the user $FG_USER_NAME (useradd failed)"
			export FG_TEST_USER_WHY
			return 0
		fi
	fi
	FG_TEST_USER=$FG_USER_NAME
	export FG_TEST_USER

	if [ -z "${FG_USER_TREE:-}" ] &&
	   ! as_user test -r "$SRC/tests/lib-body.sh" -a -x "$BUILD/bin/flamegraph"; then
		user_mirror
	fi

	# cargo and rustc for the user: rustup's toolchain is often under /root
	sysroot=$(rustc --print sysroot 2>/dev/null) || sysroot=
	if [ -n "$sysroot" ] && [ -x "$sysroot/bin/cargo" ]; then
		if as_user test -x "$sysroot/bin/cargo" -a -x "$sysroot/bin/rustc"; then
			FG_USER_RUST_BIN=$sysroot/bin
		else
			[ -n "$user_tree" ] || user_tree=$(mktemp -d /tmp/fg-user-tree.XXXXXX)
			chmod 755 "$user_tree"
			cp -al "$sysroot" "$user_tree/rust" 2>/dev/null ||
				cp -a "$sysroot" "$user_tree/rust"
			FG_USER_RUST_BIN=$user_tree/rust/bin
		fi
		export FG_USER_RUST_BIN
	fi
}

# The source tree and the build, copied where the test user can read them;
# the suite then runs from the copy (and removes it at the end).
user_mirror() {
	user_tree=$(mktemp -d /tmp/fg-user-tree.XXXXXX)
	chmod 755 "$user_tree"
	echo "# the test user cannot reach $SRC: running the suite from a copy in $user_tree" >&2
	mkdir "$user_tree/src"
	(cd "$SRC" && tar cf - --exclude=./.git --exclude='./build*' .) |
		(cd "$user_tree/src" && tar xf -)
	for b in "$SRC"/build*; do
		[ -d "$b" ] || continue
		# the build in use, and the real build the valgrind wrappers run
		case "$BUILD" in
		"$b"|"$b"/*) ;;
		*) [ "$(basename "$b")" = build ] && [ "${FG_VALGRIND:-}" = 1 ] || continue ;;
		esac
		cp -a "$b" "$user_tree/src/"
	done
	chmod -R a+rX "$user_tree/src"
	case "$BUILD" in
	"$SRC"/*) FG_BUILD=$user_tree/src/${BUILD#"$SRC"/} ;;
	esac
	export FG_BUILD FG_USER_TREE="$user_tree"
	# the copy runs the suite; this tree's copy goes when it ends
	"$user_tree/src/tests/run-tests.sh"
	st=$?
	rm -rf "$user_tree"
	exit $st
}
