#!/bin/sh
# Demangling, symbol by symbol against c++filt (binutils): every symbol of
# a Rust program built with legacy and with v0 mangling (std's symbols come
# along) and of a C++ program. The comparison and its documented
# normalisations are in tests/fixtures/demangle/compare.sh.
. "$(dirname "$0")/../lib.sh"

missing=
for tool in rustc g++ c++filt nm perl; do
	command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done

test_expect 'test-tool demangle passes plain names through' '
	printf "main\n_RNvC1a1b\n\n_ZN3foo3barE\n" | "$TT" demangle >out
	printf "main\na::b\n\nfoo::bar\n" >expect
	test_cmp expect out
'

if [ -n "$missing" ]; then
	test_skip 'Rust legacy symbols match c++filt' "missing:$missing"
	test_skip 'Rust v0 symbols match c++filt' "missing:$missing"
	test_skip 'C++ symbols match c++filt' "missing:$missing"
	test_done
	exit
fi

test_expect 'Rust legacy symbols match c++filt' '
	rustc -O -o legacy "$FIXTURES/demangle/main.rs"
	sh "$FIXTURES/demangle/compare.sh" legacy
'

test_expect 'Rust v0 symbols match c++filt' '
	rustc -O -C symbol-mangling-version=v0 -o v0 "$FIXTURES/demangle/main.rs"
	sh "$FIXTURES/demangle/compare.sh" v0
'

test_expect 'C++ symbols match c++filt' '
	g++ -O2 -o cxx "$FIXTURES/demangle/cxx.cpp"
	sh "$FIXTURES/demangle/compare.sh" cxx
'

test_done
