#!/bin/sh
# The perf-script collapser against hand-checked expectations: each
# tests/data/collapse/CASE.perf must fold to CASE.folded, with the options
# in CASE.args if there is one. The real-*.perf cases are unedited
# `perf script` output of this project's machines (paths renamed).
# FG_BLESS=1 rewrites the .folded files: review the diff before committing.

. "$(dirname "$0")/../lib.sh"

for input in "$DATA"/collapse/*.perf; do
	case=$(basename "$input" .perf)
	test_expect "folds $case" "
		args=\$(cat \"\$DATA/collapse/$case.args\" 2>/dev/null || true)
		\"\$FG\" --from-perf-script \"\$DATA/collapse/$case.perf\" --format folded \
			-o out.folded \$args &&
		golden_cmp \"\$DATA/collapse/$case.folded\" out.folded
	"
done

test_expect 'standard input folds like a file' '
	args=$(cat "$DATA/collapse/real-kernel.args")
	"$FG" --from-perf-script - --format folded -o out.folded $args \
		< "$DATA/collapse/real-kernel.perf" &&
	test_cmp "$DATA/collapse/real-kernel.folded" out.folded
'

test_expect 'a generated profile folds the same from a file and a pipe' '
	"$BUILD/bin/gen-bench-input" perf-script 3 > in.perf &&
	"$FG" --from-perf-script in.perf --format folded -o file.folded &&
	cat in.perf | "$FG" --from-perf-script - --format folded -o pipe.folded &&
	test_cmp file.folded pipe.folded &&
	test "$(wc -l < file.folded)" -gt 100
'

test_done
