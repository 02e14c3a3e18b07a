#!/bin/sh
# A workspace in a directory whose name has spaces, quotes and shell
# metacharacters: nothing goes through a shell, so it builds and profiles,
# and no stray file appears. It runs as root and again as the unprivileged
# test user (test_expect_rec).
. "$(dirname "$0")/../lib.sh"

skip_all_without_perf 'a crate under a hostile directory name builds and is profiled'

test_expect_rec 'a crate under a hostile directory name builds and is profiled' '
	dir="$TMP/we ird \"dir\" \$(touch pwned); \`touch pwned2\` & x"
	mkdir -p "$dir"
	cp -r "$SRC/tests/fixtures/crates/multi" "$dir/multi"
	rm -rf "$dir/multi/target"
	cd "$dir/multi"
	CARGO_TARGET_DIR="$dir/target" "$BUILD/bin/cargo-flamegraph" flamegraph --bin slow \
		--format folded -o "$TMP/out.folded" >"$TMP/out" 2>"$TMP/err" || { cat "$TMP/err"; exit 1; }
	cd "$TMP"
	test -s out.folded
	grep -q "main" out.folded
	if [ -n "$(find "$TMP" \( -name pwned -o -name pwned2 \) -print)" ]; then echo "a shell ran"; exit 1; fi
	# --manifest-path with the same name, from elsewhere
	CARGO_TARGET_DIR="$dir/target" "$BUILD/bin/cargo-flamegraph" --manifest-path "$dir/multi/Cargo.toml" \
		--bin slow --format folded -o "$TMP/out2.folded" >/dev/null 2>"$TMP/err2" || { cat "$TMP/err2"; exit 1; }
	test -s out2.folded
	if [ -n "$(find "$TMP" \( -name pwned -o -name pwned2 \) -print)" ]; then echo "a shell ran"; exit 1; fi
'

test_done
