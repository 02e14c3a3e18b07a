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
