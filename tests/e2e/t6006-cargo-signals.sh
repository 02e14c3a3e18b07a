#!/bin/sh
# cargo flamegraph interrupted while cargo runs: cargo, and what it
# started (compilers, build scripts), are ended for sure, even when they
# ignore signals; nothing is written. A stand-in for cargo (CARGO=...)
# starts such a process and waits, as cargo waits for rustc.
. "$(dirname "$0")/../lib.sh"

CFG=$BUILD/bin/cargo-flamegraph
LOOP=$(build_c_fixture loop gcc) || exit 1
export CFG LOOP

for sig in TERM INT HUP; do
	export sig
	test_expect_rec "SIG$sig while cargo runs: cargo and its children are ended" '
		cp "$LOOP" fg6006-rustc
		printf "%s\n" "#!/bin/sh" "trap \"\" INT TERM HUP" "./fg6006-rustc 60000 &" \
			"exec ./fg6006-cargo-wait" >fake-cargo
		printf "%s\n" "#!/bin/sh" "wait_forever() { while :; do sleep 1; done; }" \
			"wait_forever" >fg6006-cargo-wait
		chmod +x fake-cargo fg6006-cargo-wait
		mkdir -p crate/src
		printf "%s\n" "[package]" "name = \"x\"" "version = \"0.1.0\"" >crate/Cargo.toml
		CARGO=$PWD/fake-cargo "$CFG" flamegraph --manifest-path crate/Cargo.toml \
			-o out.svg >out 2>err &
		cfg=$!
		n=0
		while [ -z "$(own_pids fg6006-rustc)" ] && [ $n -lt 600 ]; do
			sleep 0.05
			n=$((n + 1))
		done
		sleep 0.2
		kill -$sig $cfg
		st=0
		wait $cfg || st=$?
		echo "status $st"
		cat err
		test "$st" -gt 128
		test ! -e out.svg
		sleep 0.3
		for name in fg6006-rustc fg6006-cargo-w; do
			left=$(own_pids "$name")
			if [ -n "$left" ]; then
				kill -KILL $left
				echo "$name was left running"
				exit 1
			fi
		done
	'
done

test_done
