#!/bin/sh
# Repeated runs (--repeat) and comparisons that tell a change from noise
# (--diff-base on shares, the significance test, --report,
# --fail-on-regression), on the shares fixture: hot takes 20% of its CPU
# time and work0..work7 10% each; --knob 30 makes hot take 30% more. The
# 20-fold proofs of the false-alarm rate and of the power are in
# tests/stats/ (make check-stats); here each behaviour once, as root and as
# the unprivileged test user.
. "$(dirname "$0")/../lib.sh"

skip_all_without_perf \
	'--repeat 3: three runs, each a pprof run label and a speedscope profile' \
	'a grown function is flagged, with exit status 3 and every output written' \
	'the same program against itself flags nothing, exit status 0' \
	'saved profiles compare as the recording did; the Markdown report' \
	'fewer than 3 runs a side: no significance, and --fail-on-regression refuses' \
	'a run whose command fails ends the repetition' \
	'SIGTERM in the second run: the runs recorded so far are written'

SHARES=$(build_c_fixture shares gcc) || exit 1
export SHARES

# pprof ARGS...: go tool pprof on our files alone, with a home of its own.
PPROF=$SRC/tests/go-pprof.sh
# json FILE EXPR: a Python expression over the JSON document d, printed.
JSON=$TMP_ROOT/json
cat >"$JSON" <<'EOF'
#!/bin/sh
python3 -c "import json, sys; d = json.load(open(sys.argv[1])); print($2)" "$1"
EOF
chmod +x "$JSON"
# verdicts: true, unless under the sanitizers, whose recorder falls behind
# at 4999 Hz and loses samples: then which shares changed is left to make
# check (the files, the runs and the structure of the report are checked).
VERDICTS='
verdicts() {
	not_under_sanitizers "which shares changed, with samples lost to the slowdown"
}'
export PPROF JSON VERDICTS

test_expect_rec '--repeat 3: three runs, each a pprof run label and a speedscope profile' '
	"$FG" --repeat 3 -o r.pb.gz -o r.speedscope.json -o r.svg -- "$SHARES" --seconds 0.3 \
		>out 2>err
	for i in 1 2 3; do grep -q "^run $i of 3: [0-9]* samples in " err; done
	grep -q "^3 runs: [0-9]* samples a run on average, spread [0-9]* (" err
	xml_check r.svg
	# each run about a third of the samples (as much CPU time each; a
	# busy virtual machine loses some), told apart by the label run
	"$PPROF" -tags r.pb.gz >tags
	grep -A4 "^ run: Total" tags >runs
	test "$(grep -cE "%\): [0-9]+$" runs)" = 3
	if not_under_sanitizers "the shares of the runs, with samples lost to the slowdown"; then
		for i in 1 2 3; do grep -qE "\((2[5-9]|3[0-9]|4[0-2])\.[0-9]+%\): $i$" runs; done
	fi
	# speedscope: a profile per thread and run
	for i in 1 2 3; do grep -q "\"name\":\"shares[^\"]* ([0-9]*) run $i\"" r.speedscope.json; done
'

# The base: 5 runs of the program as it was.
test_expect_rec 'a grown function is flagged, with exit status 3 and every output written' '
	eval "$VERDICTS"
	"$FG" -F 4999 --repeat 5 -o base.pb.gz -- "$SHARES" --seconds 0.4 >/dev/null 2>&1
	exit_status "$FG" -F 4999 --repeat 5 --diff-base base.pb.gz --fail-on-regression 1 \
		--report r.json -o d.svg -o d.folded -o d.pb.gz -- "$SHARES" --seconds 0.4 \
		--knob 30 >out 2>err
	xml_check d.svg
	test -s d.folded && test -s d.pb.gz
	grep -q "^compared on shares: 5 runs (" err
	test "$("$JSON" r.json "d[\"tested\"]")" = True
	grep -qE "^status=(0|3)$" out
	verdicts || exit 0
	grep -q "^status=3$" out
	grep -qE "^regression: the (self|total) share of hot grew by [0-9.]+ points, more than the 1 allowed" err
	# hot: from 20% to 26/106 = 24.5%, flagged first (self or total share)
	test "$("$JSON" r.json "d[\"tested\"], d[\"regression\"], d[\"changes\"][0][\"function\"], d[\"changes\"][0][\"significant\"]")" = \
		"True True hot True"
	check_ge "$("$JSON" r.json "int(d[\"changes\"][0][\"change_points\"] * 100)")" 300 \
		"hot grew by 3 points or more (x100)"
	check_le "$("$JSON" r.json "int(d[\"changes\"][0][\"change_points\"] * 100)")" 600 \
		"hot grew by 6 points or less (x100)"
	# no work function grew significantly
	test "$("$JSON" r.json "[c[\"function\"] for c in d[\"changes\"] if c[\"significant\"] and c[\"change_points\"] > 0 and c[\"function\"].startswith(\"work\")]")" = "[]"
	# the graph: hot red with the figures in its title, work0 neutral
	# (a share that went wild in one run is set aside, and said so)
	aside="\( ([0-9] runs\{0,1\} set aside)\)\{0,1\}"
	grep -q "<title>hot ([^<]*) — [^<]*total share [0-9.]*% ± [0-9.]*$aside → [0-9.]*% ± [0-9.]*$aside, +[0-9.]* points, p = [^<]*</title><rect[^>]*fill=\"rgb(255," d.svg
	if grep -q "<title>work0 ([^<]*) — no significant[^<]*</title><rect[^>]*fill=\"rgb(250,250,250)\"" d.svg; then :; else
		# work0 shrank a little (its share is smaller when hot grows):
		# neutral, or blue when that was significant
		grep -q "<title>work0 ([^<]*) — [^<]*</title><rect[^>]*fill=\"rgb([0-9]*,[0-9]*,255)\"" d.svg
	fi
'

test_expect_rec 'the same program against itself flags nothing, exit status 0' '
	eval "$VERDICTS"
	"$FG" -F 4999 --repeat 5 -o base.pb.gz -- "$SHARES" --seconds 0.4 >/dev/null 2>&1
	# a tenth of the usual alpha: this is one comparison, not the proof of
	# the rate (tests/stats)
	exit_status "$FG" -F 4999 --repeat 5 --diff-base base.pb.gz --diff-alpha 0.001 \
		--fail-on-regression 1 --report r.md -o d.svg -- "$SHARES" --seconds 0.4 \
		>out 2>err
	xml_check d.svg
	grep -q "^No share grew significantly by more than 1 points\|^- .*grew by" r.md
	verdicts || exit 0
	grep -q "^status=0$" out
	grep -q "^no significant change in the [0-9]* shares tested (0.1% family-wise error rate)$" err
	grep -q "^\*\*No significant change\*\* of share in [0-9]* tested" r.md
	grep -q "^No share grew significantly by more than 1 points" r.md
	# nothing coloured but the neutral grey of no change
	if grep -o "</title><rect[^>]*fill=\"rgb([0-9,]*)\"" d.svg |
		grep -v "rgb(250,250,250)" | grep -q .; then exit 1; fi
'

test_expect_rec 'saved profiles compare as the recording did; the Markdown report' '
	eval "$VERDICTS"
	"$FG" -F 4999 --repeat 5 -o a.pb.gz -- "$SHARES" --seconds 0.4 >/dev/null 2>&1
	"$FG" -F 4999 --repeat 5 -o b.pb.gz -- "$SHARES" --seconds 0.4 --knob 30 >/dev/null 2>&1
	exit_status "$FG" --from-pprof b.pb.gz --diff-base a.pb.gz --report r.md \
		--fail-on-regression 2 -o d.svg >out 2>err
	grep -q "^| base .a.pb.gz. | 5 | [0-9]* ± [0-9]* |$" r.md
	if verdicts; then
		grep -q "^status=3$" out
		grep -q "^\*\*[0-9]* significant changes*\*\* of share in [0-9]* tested (Welch" r.md
		grep -qE "^\| .hot. \| (self|total) \| [0-9.]+% ± [0-9.]+( \([0-9] runs? set aside\))? \| [0-9.]+% ± [0-9.]+( \([0-9] runs? set aside\))? \| \+[0-9.]+ \| [0-9.e-]+ \|$" r.md
		grep -qE "^- .hot.: (self|total) share grew by [0-9.]+ points, more than the 2 allowed$" r.md
	fi
	# --diff-mode counts draws the base as it is, and compares the same
	"$FG" --from-pprof b.pb.gz --diff-base a.pb.gz --diff-mode counts -o c.folded \
		--sample-type samples >/dev/null 2>err
	"$FG" --from-pprof a.pb.gz --sample-type samples -o a.folded >/dev/null 2>&1
	awk "{ b += \$(NF - 1) } END { print b }" c.folded >before
	awk "{ b += \$NF } END { print b }" a.folded >expect
	test_cmp expect before
	grep -q "significant change" err
'

test_expect_rec 'fewer than 3 runs a side: no significance, and --fail-on-regression refuses' '
	"$FG" -o one.folded -- "$SHARES" --seconds 0.3 >/dev/null 2>&1
	"$FG" --repeat 3 --diff-base one.folded --report r.json -o d.svg -- \
		"$SHARES" --seconds 0.3 >out 2>err
	grep -q "^no significance can be given: at least 3 runs a side are needed (--repeat 3)$" err
	test "$("$JSON" r.json "d[\"tested\"], d[\"tests\"], d[\"changes\"][0][\"p\"]")" = "False 0 None"
	# refused before anything is recorded
	exit_status "$FG" --repeat 3 --diff-base one.folded --fail-on-regression 1 -o d2.svg -- \
		"$SHARES" --seconds 0.3 >out 2>err
	grep -q "^status=2$" out
	grep -q "^error: .--fail-on-regression. needs 3 runs a side to tell a regression from noise: .one.folded. has 1" err
	if grep -q "^run " err; then exit 1; fi
	test ! -e d2.svg
	exit_status "$FG" --repeat 2 --diff-base one.folded --fail-on-regression 1 -o d2.svg -- \
		"$SHARES" --seconds 0.3 >out 2>err
	grep -q "^status=64$" out
	grep -q "give .--repeat 3. or more" err
'

test_expect_rec 'a run whose command fails ends the repetition' '
	exit_status "$FG" --repeat 4 -o f.pb.gz -- sh -c "\"\$0\" --seconds 0.2; exit 7" \
		"$SHARES" >out 2>err
	grep -q "^status=1$" out
	grep -q "^the profiled command exited with code 7$" err
	grep -q "^the command failed in run 1: the 3 runs left were not made$" err
	"$PPROF" -tags f.pb.gz >tags
	if grep -q "^ run:" tags; then
		grep -A2 "^ run: Total" tags | grep -qE "\( *100%\): 1$"
	fi
	# with --ignore-status every run is made
	"$FG" --repeat 3 --ignore-status -o g.svg -- sh -c "\"\$0\" --seconds 0.1; exit 7" \
		"$SHARES" >out 2>err
	grep -q "^run 3 of 3: " err
'

test_expect_rec 'SIGTERM in the second run: the runs recorded so far are written' '
	"$FG" --repeat 5 -o t.pb.gz -o t.svg -- "$SHARES" --seconds 3 >out 2>err &
	pid=$!
	i=0
	until grep -q "^run 1 of 5" err; do
		i=$((i + 1)); [ $i -lt 600 ] || exit 1; sleep 0.05
	done
	sleep 0.5
	kill -TERM $pid
	wait $pid || true
	grep -q "^recording stopped by SIGTERM" err
	if grep -q "^run 3 of 5" err; then exit 1; fi
	xml_check t.svg
	"$PPROF" -tags t.pb.gz >tags
	grep -A3 "^ run: Total" tags | grep -qE "%\): 2$"
	if grep -A4 "^ run: Total" tags | grep -qE "%\): 3$"; then exit 1; fi
	test -z "$(own_pids shares)"
'

test_expect 'usage errors' '
	printf "main;a 1\n" >a.folded
	for args in "--report r.md" "--fail-on-regression 2"; do
		exit_status "$FG" --from-folded a.folded $args -o x.svg >out 2>err
		grep -q "^status=64$" out
		grep -q "needs .--diff-base." err
	done
	for args in "--report r.txt" "--diff-min-share 101" "--diff-alpha 1" \
		    "--diff-alpha 0" "--fail-on-regression -1" \
		    "--diff-mode counts --fail-on-regression 1" "--diff-mode ratio" \
		    "--diff-min-change -1"; do
		exit_status "$FG" --from-folded a.folded --diff-base a.folded $args -o x.svg \
			>out 2>err
		grep -q "^status=64$" out
		test "$(wc -l <err)" = 1
	done
	exit_status "$FG" --repeat 0 -- true >out 2>err
	grep -q "^status=64$" out
	grep -q "invalid value .0. for .--repeat." err
	exit_status "$FG" --repeat 2 --from-folded a.folded >out 2>err
	grep -q "^status=64$" out
	grep -q "give one after .--." err
	exit_status "$FG" --repeat 2 -p 1 >out 2>err
	grep -q "^status=64$" out
	grep -q "cannot be used with .--pid." err
	exit_status "$FG" --repeat 2 -c "record -g" -- true >out 2>err
	grep -q "^status=64$" out
	grep -q "native engine" err
	# the report and an output cannot be one file
	exit_status "$FG" --from-folded a.folded --diff-base a.folded --report x.md \
		-o x.md --format folded >out 2>err
	grep -q "^status=64$" out
	# a base that is no profile: one line, status 2
	printf "\037\213garbage" >bad.pb.gz
	exit_status "$FG" --from-folded a.folded --diff-base bad.pb.gz -o x.svg >out 2>err
	grep -q "^status=2$" out
	test "$(wc -l <err)" = 1
	test ! -e x.svg
'

test_done
