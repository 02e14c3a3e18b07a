#!/bin/sh
# Demangling, symbol by symbol against c++filt (binutils): every symbol of
# a Rust program built with legacy and with v0 mangling (std's symbols come
# along) and of a C++ program. The comparison and its documented
# normalisations are in tests/fixtures/demangle/compare.sh, with one more
# made here: c++filt's v0 closures, anonymous constants and shims are
# spelled as legacy spells them, as we do (profiler/demangle.h).
#
# C++ names lose a function template's return type (demangle.h), so they
# are checked against two c++filt outputs: "c++filt -p" (the name without
# return type and parameters: what perf script shows) must begin ours,
# followed by the parameter list or nothing; and ours, clone suffixes
# aside, must be part of what "c++filt" prints, with the same clone
# suffixes. c++filt expands std::string, std::istream, std::ostream and
# std::iostream (DMGL_VERBOSE) where __cxa_demangle() and perf do not:
# those expansions are folded back on both sides first.
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
	test_skip 'C++ names are c++filt'"'"'s without the return type' "missing:$missing"
	test_done
	exit
fi

# c++filt as we spell Rust closures and shims (see the script)
CXXFILT_SPELLING='
	CXXFILT_REAL=$(command -v c++filt)
	export CXXFILT_REAL
	PATH=$DATA/demangle/bin:$PATH
'
export CXXFILT_SPELLING

test_expect 'Rust legacy symbols match c++filt' '
	eval "$CXXFILT_SPELLING"
	rustc -O -o legacy "$FIXTURES/demangle/main.rs"
	sh "$FIXTURES/demangle/compare.sh" legacy
'

test_expect 'Rust v0 symbols match c++filt' '
	eval "$CXXFILT_SPELLING"
	rustc -O -C symbol-mangling-version=v0 -o v0 "$FIXTURES/demangle/main.rs"
	sh "$FIXTURES/demangle/compare.sh" v0
	# the spelling is ours, not the wrapper'"'"'s: closures were there
	grep -q "{{closure}}" v0.ours
	! grep -q "{closure#" v0.ours
'

test_expect 'C++ names are c++filt'"'"'s without the return type' '
	g++ -O2 -o cxx "$FIXTURES/demangle/cxx.cpp"
	libstdcxx=$(ldd cxx | awk "/libstdc\\+\\+/ { print \$3 }")
	test -f "$libstdcxx"
	{
		nm --without-symbol-versions cxx
		nm -D --defined-only --without-symbol-versions "$libstdcxx"
	} | awk "NF >= 2 && \$NF ~ /^_Z/ { print \$NF }" | sort -u >syms
	"$TT" demangle <syms >ours
	c++filt <syms >full
	c++filt -p <syms >name
	perl -e '\''
		sub terse {
			my $s = shift;
			$s =~ s/std::basic_string<char, std::char_traits<char>, std::allocator<char> >/std::string/g;
			$s =~ s/std::basic_(i|o|io)stream<char, std::char_traits<char> >/std::$1stream/g;
			$s =~ s/(std::(?:string|istream|ostream|iostream)) >/$1>/g;
			return $s;
		}
		sub clones {
			my $s = shift;
			my $suf = "";
			$suf = $1 . $suf while $s =~ s/( \[clone [^\]]*\])$//;
			return ($s, $suf);
		}
		my @f = map { open(my $fh, "<", $_) or die; [<$fh>] } @ARGV;
		my ($n, $left_out, $bad, @shown) = (0, 0, 0);
		for my $i (0 .. $#{$f[0]}) {
			my ($s, $o, $full, $p) = map { my $l = $_->[$i]; chomp $l; $l } @f;
			# not demangled by one of the two: nothing to compare
			next if $o eq $s || $full eq $s;
			$n++;
			($o, $full, $p) = map { terse($_) } ($o, $full, $p);
			my ($ocore, $osuf) = clones($o);
			my ($fcore, $fsuf) = clones($full);
			my $next = substr($o, length($p), 1);
			if (substr($o, 0, length($p)) eq $p && ($next eq "" || $next eq "(") &&
			    index($fcore, $ocore) >= 0 && $osuf eq $fsuf) {
				$left_out++ if $ocore ne $fcore;
				next;
			}
			push @shown, "symbol:     $s\nc++filt:    $full\nc++filt -p: $p\nours:       $o\n"
				if $bad++ < 12;
		}
		print "$n C++ names, $left_out without their return type, $bad mismatches\n", @shown;
		exit($bad || $left_out < 100 ? 1 : 0);
	'\'' syms ours full name
'

test_done
