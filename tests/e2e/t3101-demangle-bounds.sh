#!/bin/sh
# Costly C++ symbols through the symbolizer: functions whose symbols
# would make __cxa_demangle() print gigabytes (template arguments that
# double at every level: 311 bytes, 2^28 copies) or work for hours (a pack
# looked for through nested postfix operators) are shown by their mangled
# names, at once; an ordinary C++ name next to them is demangled.
. "$(dirname "$0")/../lib.sh"

if ! command -v gcc >/dev/null 2>&1 || ! command -v nm >/dev/null 2>&1; then
	test_skip 'costly C++ symbols stay mangled' 'missing: gcc or nm'
	test_done
	exit
fi

test_expect 'costly C++ symbols stay mangled, others are demangled' '
	# void f<A<int, int>, A<A<int, int>, A<int, int> >, ...>(): 28 levels
	doubling=$(awk "BEGIN {
		d = \"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ\"
		s = \"_Z1fI1AIiiE\"
		for (k = 2; k <= 28; k++)
			s = s \"S0_IS\" substr(d, k, 1) \"_S\" substr(d, k, 1) \"_E\"
		print s \"Evv\"
	}")
	postfix=$(awk "BEGIN {
		s = \"_Z1fDTsp\"
		for (k = 0; k < 40; k++)
			s = s \"pp\"
		print s \"fp_E\"
	}")
	test ${#doubling} -eq 311
	cat >prog.c <<EOF
__attribute__((noinline, used)) void doubling(void) __asm__("$doubling");
__attribute__((noinline, used)) void postfix(int) __asm__("$postfix");
__attribute__((noinline, used)) void plain(void) __asm__("_ZN2fx5applyEv");
void doubling(void) { __asm__ volatile(""); }
void postfix(int x) { __asm__ volatile("" : : "r"(x)); }
void plain(void) { __asm__ volatile(""); }
int main(void) { doubling(); postfix(1); plain(); return 0; }
EOF
	gcc -O0 -o prog prog.c
	for sym in "$doubling" "$postfix" _ZN2fx5applyEv; do
		addr=$(nm prog | awk -v s="$sym" "\$3 == s { print \$1 }")
		test -n "$addr"
		timeout 60 "$TT" symbolize prog "$addr" >>out
	done
	printf "%s\n%s\nfx::apply()\n" "$doubling" "$postfix" >expect
	test_cmp expect out
'

test_done
