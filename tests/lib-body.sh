# Helpers for test bodies (tests/lib.sh loads them before each body).

# test_cmp EXPECTED ACTUAL: fail with a diff when they differ.
test_cmp() {
	diff -u "$1" "$2"
}

# xml_check FILE: FILE must be well-formed XML.
xml_check() {
	xmllint --noout --nonet "$1"
}

# golden_cmp GOLDEN ACTUAL: compare with a golden file; FG_BLESS=1 rewrites it.
golden_cmp() {
	if [ "${FG_BLESS:-}" = 1 ]; then
		mkdir -p "$(dirname "$1")"
		cp "$2" "$1"
		return 0
	fi
	if ! diff -u "$1" "$2"; then
		echo "golden file '$1' differs; run with FG_BLESS=1 to update it"
		return 1
	fi
}

# fails CMD...: CMD must exit non-zero (and not crash with a signal).
fails() {
	set +e
	"$@"
	st=$?
	set -e
	if [ "$st" -eq 0 ]; then
		echo "expected failure: $*"
		return 1
	fi
	if [ "$st" -gt 128 ]; then
		echo "crashed with status $st: $*"
		return 1
	fi
	return 0
}

# exit_status CMD...: print the exit status of CMD.
exit_status() {
	set +e
	"$@"
	echo "status=$?"
	set -e
}

# share NEEDLE FOLDED: percentage (integer) of the samples in FOLDED whose
# stack contains NEEDLE (a substring of the stack).
share() {
	awk -v n="$1" '{ c = $NF; t += c; if (index($0, n)) m += c }
		END { if (!t) print 0; else printf "%d\n", 100 * m / t }' "$2"
}

# in_order FOLDED FRAME...: some stack in FOLDED has these frames in this
# order (not necessarily adjacent).
in_order() {
	f=$1
	shift
	awk -v want="$*" '
		BEGIN { n = split(want, w, " ") }
		{
			sub(/ [0-9]+$/, "")
			k = split($0, fr, ";")
			j = 1
			for (i = 1; i <= k && j <= n; i++)
				if (fr[i] == w[j]) j++
			if (j > n) { found = 1; exit }
		}
		END { exit !found }' "$f"
}

# golden CASE INPUT [OPTIONS...]: render the folded file INPUT (with
# --deterministic, or $MODE, and --pretty-xml) and compare it with the
# golden file tests/data/svg/CASE/expected.svg, leaving out the embedded
# JavaScript (it has tests of its own). FG_BLESS=1 rewrites the golden file.
golden() {
	case_=$1 in_=$2
	shift 2
	"$FG" --from-folded "$in_" ${MODE---deterministic} --pretty-xml -o out.svg "$@" >/dev/null
	xml_check out.svg
	sed -e '/^]]><!\[CDATA\[/{
/]]><\/script>/!{
:a
N
/]]><\/script>/!ba
}
s/^]]><!\[CDATA\[.*]]><\/script>/]]><\/script>/
}' out.svg >got.svg
	golden_cmp "$DATA/svg/$case_/expected.svg" got.svg
}
