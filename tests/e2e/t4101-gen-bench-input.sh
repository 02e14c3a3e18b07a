#!/bin/sh
# bench/gen-bench-input: deterministic benchmark inputs of the asked size.

. "$(dirname "$0")/../lib.sh"

GEN=$BUILD/bin/gen-bench-input
export GEN

test_expect 'perf-script output is deterministic and of the asked size' '
	"$GEN" perf-script 2 > a.perf &&
	"$GEN" perf-script 2 > b.perf &&
	cmp a.perf b.perf &&
	size=$(wc -c < a.perf) &&
	test "$size" -ge 2000000 && test "$size" -lt 2100000 &&
	test "$(tail -c 2 a.perf | od -An -c | tr -d " ")" = "\n\n"
'

test_expect 'perf-script output has the expected shapes' '
	"$GEN" perf-script 1 > a.perf &&
	grep -q "^tokio-runtime-w  48213/48215 \[0[0-9][0-9]\] [0-9]*\.[0-9]\{6\}: *[0-9]* cpu-clock:ppp: $" a.perf &&
	grep -q "(\[kernel.kallsyms\])$" a.perf &&
	grep -q "(inlined)$" a.perf &&
	grep -q "\[unknown\] (\[unknown\])$" a.perf &&
	grep -q "::h[0-9a-f]\{16\}+0x[0-9a-f]* (/usr/local/bin/myapp)$" a.perf
'

test_expect 'folded output has exactly N distinct stacks' '
	"$GEN" folded 5000 > a.folded &&
	"$GEN" folded 5000 > b.folded &&
	cmp a.folded b.folded &&
	test "$(wc -l < a.folded)" -eq 5000 &&
	test "$(sed "s/ [0-9]*\$//" a.folded | sort -u | wc -l)" -eq 5000 &&
	awk -F";" "NF < 6 || NF > 31 { exit 1 }" a.folded
'

test_expect 'pprof output is deterministic and of the asked size' '
	"$GEN" pprof 2 > a.pb &&
	"$GEN" pprof 2 > b.pb &&
	cmp a.pb b.pb &&
	size=$(wc -c < a.pb) &&
	test "$size" -ge 2000000 && test "$size" -lt 2100000
'

test_expect 'pprof output is drawn by flamegraph --from-pprof' '
	"$GEN" pprof 2 > a.pb &&
	"$FG" --from-pprof a.pb -o a.svg &&
	xml_check a.svg &&
	"$FG" --from-pprof a.pb --include-tid --sample-type samples --format folded -o a.folded &&
	grep -q "^myapp-48213/48213;_start;__libc_start_main_impl;__libc_start_call_main;main;std::rt::lang_start_internal;std::panic::catch_unwind;std::rt::lang_start::{{closure}};std::sys_common::backtrace::__rust_begin_short_backtrace;myapp::main;" a.folded &&
	grep -q "^tokio-runtime-w-48213/48214;__clone3;start_thread;std::sys::unix::thread::Thread::new::thread_start;<alloc::boxed::Box<F,A> as core::ops::function::FnOnce<Args>>::call_once;" a.folded &&
	test "$(sed "s/;.*//" a.folded | sort -u | wc -l)" -eq 15 &&
	grep -q ";engine::[A-Za-z]*::[A-Za-z]*;" a.folded &&
	grep -q "::{{closure}};" a.folded &&
	test "$(total a.folded)" -gt "$(wc -l < a.folded)"
'

# go tool pprof on the generator's output alone (no symbolizing, no
# network), with a home and caches of its own.
if command -v go >/dev/null 2>&1; then
	test_expect 'pprof output is read by go tool pprof' '
		export HOME="$TMP" GOCACHE="$TMP/cache" GOPATH="$TMP/go" GOFLAGS= \
			GOPROXY=off GOTOOLCHAIN=local PPROF_TMPDIR="$TMP" &&
		"$GEN" pprof 2 > a.pb &&
		go tool pprof -symbolize=none -raw a.pb > raw.txt &&
		grep -q "^PeriodType: cpu nanoseconds$" raw.txt &&
		grep -q "^samples/count cpu/nanoseconds$" raw.txt &&
		grep -q "^1: 0x55d0c8a48000/0x55d0ca248000/0x48000 /usr/local/bin/myapp [0-9a-f]\{40\} \[FN\]\[FL\]\[LN\]\[IN\]$" raw.txt &&
		grep -q " /usr/lib/x86_64-linux-gnu/libc.so.6 [0-9a-f]\{40\} " raw.txt &&
		grep -q "pid:\[48213\] tid:\[48214\]" raw.txt &&
		grep -q "thread:\[rayon-worker-0\]" raw.txt &&
		awk "/^Samples:/ { on = 1; next } /^Locations/ { on = 0 }
			on && / [0-9]+: / { n++; if (NF - 2 < 7 || NF - 2 > 40) bad++ }
			END { exit !(n > 1000 && !bad) }" raw.txt &&
		go tool pprof -symbolize=none -traces a.pb > traces.txt &&
		grep -q "(inline)$" traces.txt
	'
else
	test_skip 'pprof output is read by go tool pprof' \
		'go is not installed (install.sh --test-deps installs golang-go)'
fi

test_expect 'bad arguments are a usage error' '
	fails "$GEN" &&
	fails "$GEN" folded 0 &&
	fails "$GEN" folded x &&
	fails "$GEN" pprof 0 &&
	fails "$GEN" pprof 1001 &&
	fails "$GEN" svg 3
'

test_done
