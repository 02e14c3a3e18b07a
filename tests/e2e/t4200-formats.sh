#!/bin/sh
# Output formats and several outputs of one run: -o repeated, each in the
# format of its extension (or of --format when it is alone), pprof and
# speedscope beside the SVG and folded stacks, the usage errors, and
# --from-pprof (--sample-type, standard input, damaged files). Every pprof
# file written is read by the real client, go tool pprof (-raw, -traces),
# and its flat sample counts per function must be the self counts of the
# folded stacks of the same run; a second decoder, the npm package
# pprof-format (tests/browser/pprof-format-check.js), must read the same
# sample types and mappings from it, and the same self counts and total.
# A recording's mappings carry the build-ids readelf -n prints, and the
# program's comes first. Speedscope documents are parsed by node. The
# tests that record run as root and again as the unprivileged test user
# (test_expect_rec).
. "$(dirname "$0")/../lib.sh"

# pprof ARGS...: go tool pprof on our files alone (no symbolizing, no
# network), with a home and caches of its own.
PPROF=$SRC/tests/go-pprof.sh

# check-pprof FILE [FOLDED]: go tool pprof reads FILE (-raw, -traces);
# with FOLDED, the flat sample count of each function (-top, counted in
# samples) is its self count in FOLDED, the count of the lines it ends
# (pprof marks a function inlined where it is: "f (inline)"). Unless
# $PPROF_FORMAT_SKIP says why not, pprof-format reads FILE too: the
# sample types and the mappings go tool pprof -raw shows (less the empty
# mapping it makes up for locations without one, and its ids: it numbers
# mappings again), and with FOLDED the self counts and their total.
CHECK_PPROF=$TMP_ROOT/check-pprof
cat >"$CHECK_PPROF" <<'EOF'
#!/bin/sh
set -e
f=$1
if ! command -v go >/dev/null 2>&1; then
	echo "check-pprof: go is not installed (install.sh --test-deps installs golang-go)"
	exit 1
fi
for mode in -raw -traces; do
	if ! "$PPROF" $mode "$f" >pprof.out 2>pprof.err; then
		echo "go tool pprof $mode $f failed:"
		cat pprof.err
		exit 1
	fi
	[ $mode = -traces ] || mv pprof.out pprof.raw
done
grep -q -- "-----------+" pprof.out
grep -q "^Samples:" pprof.raw
if [ -z "$PPROF_FORMAT_SKIP" ]; then
	if ! node "$SRC/tests/browser/pprof-format-check.js" "$f" \
		${2:+--type samples --self self.js} >js.out 2>js.err; then
		echo "pprof-format does not read $f:"
		cat js.err
		exit 1
	fi
	sed -n "/^Samples:\$/{n;s/\[dflt\]//g;p;q;}" pprof.raw >types.go
	sed -n "s/^sample_types: //p" js.out >types.js
	if ! diff -u types.go types.js; then
		echo "sample types of $f: go tool pprof -raw, then pprof-format"
		exit 1
	fi
	sed "1,/^Mappings\$/d; s/^[0-9]*: //; /^0x0\/0x0\/0x0   \$/d" pprof.raw |
		LC_ALL=C sort >maps.go
	sed -n "s/^mapping: //p" js.out | LC_ALL=C sort >maps.js
	if ! diff -u maps.go maps.js; then
		echo "mappings of $f: go tool pprof -raw, then pprof-format"
		exit 1
	fi
fi
[ $# -ge 2 ] || exit 0
awk '{ c = $NF; sub(/ [0-9]+$/, ""); n = split($0, fr, ";"); s[fr[n]] += c }
	END { for (k in s) print k "\t" s[k] }' "$2" | LC_ALL=C sort >self.folded
"$PPROF" -sample_index=samples -top -nodecount=1000000 -nodefraction=0 \
	-edgefraction=0 "$f" 2>pprof.err |
	awk 'on && NF >= 6 {
		v = $1
		sub(/^ *[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ +/, "")
		sub(/ \(inline\)$/, "")
		if (v + 0 > 0) s[$0] += v
	}
	/^ *flat +flat% +sum% +cum +cum% *$/ { on = 1 }
	END { for (k in s) print k "\t" s[k] }' | LC_ALL=C sort >self.pprof
if ! diff -u self.folded self.pprof; then
	echo "flat counts of go tool pprof -top ($f) differ from the self counts of $2"
	exit 1
fi
[ -z "$PPROF_FORMAT_SKIP" ] || exit 0
LC_ALL=C sort self.js >self.pformat
if ! diff -u self.folded self.pformat; then
	echo "self counts of pprof-format ($f) differ from those of $2"
	exit 1
fi
want=$(awk '{ t += $NF } END { print t + 0 }' "$2")
if ! grep -qx "total: $want" js.out; then
	echo "pprof-format ($f): $(grep "^total: " js.out), not the $want samples of $2"
	exit 1
fi
EOF

# check-speedscope FILE [SAMPLES [THREADS]]: FILE is a speedscope document
# node parses: sampled profiles whose samples and weights have the same
# length, frame indexes in range; with SAMPLES, that many samples in all;
# with THREADS, the profiles are named "comm (tid)", one per thread, and
# their names, one a line, go to THREADS.
CHECK_SPEEDSCOPE=$TMP_ROOT/check-speedscope
cat >"$CHECK_SPEEDSCOPE" <<'EOF'
#!/bin/sh
exec node -e '
const fs = require("fs");
const [file, want, names] = process.argv.slice(1);
const d = JSON.parse(fs.readFileSync(file, "utf8"));
const fail = (m) => { console.error(file + ": " + m); process.exit(1); };
if (!d.$schema || !d.$schema.includes("speedscope")) fail("no speedscope $schema");
if (!d.profiles.length) fail("no profile");
let n = 0;
for (const p of d.profiles) {
	if (p.type !== "sampled") fail("profile " + p.name + " is " + p.type);
	if (p.samples.length !== p.weights.length)
		fail(p.name + ": " + p.samples.length + " samples, " + p.weights.length + " weights");
	for (const s of p.samples)
		for (const i of s)
			if (!(i >= 0 && i < d.shared.frames.length)) fail(p.name + ": frame " + i);
	const sum = p.weights.reduce((a, b) => a + b, 0);
	if (p.endValue - p.startValue !== sum)
		fail(p.name + ": endValue - startValue " + (p.endValue - p.startValue) + " != " + sum);
	n += p.samples.length;
}
if (want && n !== Number(want)) fail(n + " samples, not " + want);
if (names) {
	const seen = new Set();
	for (const p of d.profiles) {
		if (!/^.+ \(\d+\)$/.test(p.name)) fail("profile named " + JSON.stringify(p.name));
		if (seen.has(p.name)) fail("two profiles named " + p.name);
		seen.add(p.name);
	}
	fs.writeFileSync(names, [...seen].sort().join("\n") + "\n");
}
' "$@"
EOF
chmod 755 "$CHECK_PPROF" "$CHECK_SPEEDSCOPE"
export PPROF CHECK_PPROF CHECK_SPEEDSCOPE

# pprof-format, a package of tests/browser that t5900 shares: installed
# here unless FG_NO_INSTALL=1; without it check-pprof reads with go alone,
# and this says why.
PPROF_FORMAT_SKIP=$(sh -c '. "$LIB_SH"; node_modules_state pprof-format')
case $? in
1)
	test_expect 'install the node packages of tests/browser (npm ci)' \
		'node_modules_install'
	;;
2)
	test_skip 'every pprof file read by pprof-format too' "$PPROF_FORMAT_SKIP"
	;;
esac
export PPROF_FORMAT_SKIP

# the folded stacks most tests start from (a copy in each test's directory)
IN=$TMP_ROOT/in.folded
printf "main;parse;lex 30\nmain;parse;read 10\nmain;render 50\n" >"$IN"
chmod 644 "$IN"
export IN

test_expect 'one -o: its extension says the format, else svg' '
	cp "$IN" in.folded
	"$FG" --from-folded in.folded -o a.folded >out
	printf "main;parse;lex 30\nmain;parse;read 10\nmain;render 50\n" >expect
	test_cmp expect a.folded
	grep -qx "writing folded stacks to \"a.folded\"" out
	"$FG" --from-folded in.folded -o a.txt >/dev/null
	test_cmp expect a.txt
	"$FG" --from-folded in.folded -o a.PB.GZ >out
	grep -qx "writing pprof profile to \"a.PB.GZ\"" out
	test "$(od -An -tx1 -N2 a.PB.GZ)" = " 1f 8b"
	"$CHECK_PPROF" a.PB.GZ in.folded
	"$FG" --from-folded in.folded -o a.pprof >/dev/null
	test "$(od -An -tx1 -N2 a.pprof)" = " 1f 8b"
	"$CHECK_PPROF" a.pprof in.folded
	"$FG" --from-folded in.folded -o a.speedscope.json >out
	grep -qx "writing speedscope profile to \"a.speedscope.json\"" out
	"$CHECK_SPEEDSCOPE" a.speedscope.json 3
	# an extension that names no format: an SVG, as always
	"$FG" --from-folded in.folded -o a.out >out
	grep -qx "writing flamegraph to \"a.out\"" out
	xml_check a.out
	"$FG" --from-folded in.folded -o - >a.svg 2>err
	xml_check a.svg
	grep -q "writing flamegraph to \"-\"" err
'

test_expect '--format gives the one output its format, and its default name' '
	cp "$IN" in.folded
	"$FG" --from-folded in.folded --format pprof >out
	grep -qx "writing pprof profile to \"flamegraph.pb.gz\"" out
	test "$(od -An -tx1 -N2 flamegraph.pb.gz)" = " 1f 8b"
	"$CHECK_PPROF" flamegraph.pb.gz in.folded
	"$FG" --from-folded in.folded --format speedscope >/dev/null
	"$CHECK_SPEEDSCOPE" flamegraph.speedscope.json 3
	"$FG" --from-folded in.folded --format folded >/dev/null
	test -s flamegraph.folded
	test ! -e flamegraph.svg
	# --format wins over the extension of the one output
	"$FG" --from-folded in.folded --format svg -o x.folded >/dev/null
	xml_check x.folded
	# standard output: the data there, and no message on standard error
	# (data for another program: only an SVG there is announced)
	"$FG" --from-folded in.folded --format pprof -o - >std.pb.gz 2>err
	test "$(od -An -tx1 -N2 std.pb.gz)" = " 1f 8b"
	test ! -s err
	"$CHECK_PPROF" std.pb.gz in.folded
	"$FG" --from-folded in.folded --format speedscope -o - 2>/dev/null |
		node -e "JSON.parse(require(\"fs\").readFileSync(0, \"utf8\"))"
'

test_expect 'several -o from one input: every format, a line each' '
	cp "$IN" in.folded
	"$FG" --from-folded in.folded -o a.svg -o a.folded -o a.pb.gz \
		-o a.speedscope.json --folded-output b.folded >out
	cat >expect <<-\EOF
	writing folded stacks to "b.folded"
	writing flamegraph to "a.svg"
	writing folded stacks to "a.folded"
	writing pprof profile to "a.pb.gz"
	writing speedscope profile to "a.speedscope.json"
	EOF
	test_cmp expect out
	xml_check a.svg
	grep -q "lex (30 samples, 33.33%)" a.svg
	test_cmp a.folded b.folded
	"$CHECK_PPROF" a.pb.gz in.folded
	"$CHECK_SPEEDSCOPE" a.speedscope.json 3
	test -z "$(ls -A | grep tmp)"
'

test_expect 'usage errors: formats that cannot be told, outputs named twice' '
	cp "$IN" in.folded
	exit_status "$FG" --from-folded in.folded -o a.svg -o a.data >out 2>err
	grep -q "status=64" out
	test "$(wc -l <err)" = 1
	grep -q "cannot tell the format of .a.data. from its extension" err
	grep -q "\.svg, \.folded, \.txt, \.pb\.gz, \.pprof or \.speedscope\.json" err
	exit_status "$FG" --from-folded in.folded -o a.svg -o - >out 2>err
	grep -q "status=64" out
	grep -q "standard output" err
	exit_status "$FG" --from-folded in.folded --format svg -o a.svg -o b.folded >out 2>err
	grep -q "status=64" out
	grep -q "error: .--format. cannot be used with several outputs" err
	exit_status "$FG" --from-folded in.folded -o a.svg -o ./a.svg >out 2>err
	grep -q "status=64" out
	grep -q "error: .--output. names .\./a\.svg. twice" err
	exit_status "$FG" --from-folded in.folded -o x.folded --folded-output x.folded >out 2>err
	grep -q "status=64" out
	grep -q "cannot both write .x.folded." err
	exit_status "$FG" --from-folded in.folded --format folded -o - --folded-output - >out 2>err
	grep -q "status=64" out
	grep -q "cannot both write to standard output" err
	exit_status "$FG" --from-folded in.folded -o a.svg -o "" >out 2>err
	grep -q "status=64" out
	grep -q "invalid value .. for .--output." err
	# the unknown --format, as every choice
	exit_status "$FG" --from-folded in.folded --format png >out 2>err
	grep -q "status=64" out
	grep -q "possible values: svg, folded, pprof, speedscope" err
	test -z "$(ls -A | grep -v -e "^in.folded$" -e "^out$" -e "^err$")"
'

test_expect 'an output that cannot be written: nothing written, before any work' '
	cp "$IN" in.folded
	exit_status "$FG" --from-folded in.folded -o a.svg -o no/such/dir/a.pb.gz >out 2>err
	grep -q "status=2" out
	grep -q "no/such/dir/a.pb.gz" err
	test ! -e a.svg
'

test_expect '--post-process changes the SVG and folded outputs, not pprof or speedscope' '
	cp "$IN" in.folded
	"$FG" --from-folded in.folded --post-process "sed -e s/lex/LEX/" \
		-o a.svg -o a.folded -o a.pb.gz -o a.speedscope.json >/dev/null
	grep -q "LEX (30 samples" a.svg
	grep -q "^main;parse;LEX 30$" a.folded
	"$CHECK_PPROF" a.pb.gz in.folded
	"$FG" --from-pprof a.pb.gz -o back.folded >/dev/null
	grep -q ";lex 30$" back.folded
	if grep -q LEX back.folded a.speedscope.json; then exit 1; fi
	grep -q "\"lex\"" a.speedscope.json
'

test_expect 'input options: --from-pprof alone, --sample-type with it' '
	cp "$IN" in.folded
	"$FG" --from-folded in.folded -o a.pb.gz >/dev/null
	"$CHECK_PPROF" a.pb.gz in.folded
	for args in "--from-folded in.folded" "--from-perf-script in.folded" \
		    "--perfdata perf.data" "-p 1" "-- true"; do
		# shellcheck disable=SC2086
		exit_status "$FG" --from-pprof a.pb.gz -o x.svg $args >out 2>err
		grep -q "status=64" out || { echo "$args: $(cat out err)"; exit 1; }
		grep -q "error: .--from-pprof. cannot be used with" err
	done
	exit_status "$FG" --from-folded in.folded --sample-type cpu -o x.svg >out 2>err
	grep -q "status=64" out
	grep -q "error: .--sample-type. needs .--from-pprof." err
	test ! -e x.svg
'

test_expect 'pprof of folded input: read back, from a file, standard input, a FIFO' '
	cp "$IN" in.folded
	"$FG" --from-folded in.folded -o a.pb.gz >/dev/null
	"$FG" --from-pprof a.pb.gz -o back.folded >out
	grep -qx "writing folded stacks to \"back.folded\"" out
	# samples without a thread are rooted at the profile (pprof.h)
	sed "s/^[^;]*;//" back.folded >stacks
	test_cmp in.folded stacks
	cat a.pb.gz | "$FG" --from-pprof - -o stdin.folded >/dev/null
	test_cmp back.folded stdin.folded
	mkfifo fifo
	cat a.pb.gz >fifo &
	"$FG" --from-pprof fifo -o fifo.folded >/dev/null
	wait
	test_cmp back.folded fifo.folded
	# a bare message, not gzipped, and pprof again from pprof
	gzip -dc a.pb.gz >a.pb
	"$FG" --from-pprof a.pb -o bare.folded -o again.pb.gz >/dev/null
	test_cmp back.folded bare.folded
	"$CHECK_PPROF" a.pb.gz in.folded
	"$CHECK_PPROF" again.pb.gz in.folded
	"$FG" --from-pprof again.pb.gz -o again.folded >/dev/null
	test_cmp back.folded again.folded
	# every format from pprof input
	"$FG" --from-pprof a.pb.gz -o x.svg -o x.speedscope.json >/dev/null
	xml_check x.svg
	grep -q "lex (30 samples" x.svg
	grep -q "\"profiles\"" x.speedscope.json
'

test_expect '--from-pprof of damaged input: the file and the offset, status 2, nothing written' '
	cp "$IN" in.folded
	"$FG" --from-folded in.folded -o a.pb.gz >/dev/null
	"$CHECK_PPROF" a.pb.gz in.folded
	gzip -dc a.pb.gz >a.pb
	size=$(wc -c <a.pb)
	# a message cut short: the offset of the damage
	head -c $((size - 3)) a.pb >cut.pb
	exit_status "$FG" --from-pprof cut.pb -o x.svg -o x.folded >out 2>err
	grep -q "status=2" out
	test "$(wc -l <err)" = 1
	grep -Eq "^error: cannot read .cut\.pb.: pprof: .* at byte [0-9]+$" err
	test ! -e x.svg
	test ! -e x.folded
	# the same, gzipped: the offset in the message
	gzip -c cut.pb >cut.pb.gz
	exit_status "$FG" --from-pprof cut.pb.gz -o x.svg >out 2>err
	grep -q "status=2" out
	grep -Eq "^error: cannot read .cut\.pb\.gz.: pprof: .* at byte [0-9]+$" err
	# gzip data cut short, garbage, an empty file, a directory
	head -c $(($(wc -c <a.pb.gz) - 12)) a.pb.gz >trunc.pb.gz
	printf "\377\377\377\377 not a profile" >junk.pb
	: >empty.pb
	mkdir dir.pb
	for f in trunc.pb.gz junk.pb empty.pb dir.pb; do
		exit_status "$FG" --from-pprof $f -o x.svg >out 2>err
		grep -q "status=2" out || { echo "$f: $(cat out err)"; exit 1; }
		test "$(wc -l <err)" = 1
		grep -q "^error: cannot read .$f.: " err || { echo "$f: $(cat err)"; exit 1; }
		test ! -e x.svg
	done
	exit_status "$FG" --from-pprof missing.pb -o x.svg >out 2>err
	grep -q "status=2" out
	grep -q "cannot open .missing.pb." err
	test -z "$(ls -A | grep tmp)"
'

test_expect 'go tool pprof: frames with spaces, one-frame stacks, a differential input' '
	printf "main;parse;lex 30\nmain;parse;read 10\nmain;render 50\nmain;a b;c d 7\nx 1\n" \
		>in.folded
	"$FG" --from-folded in.folded -o a.pb.gz >/dev/null
	"$CHECK_PPROF" a.pb.gz in.folded
	"$FG" --from-pprof a.pb.gz -o again.pb.gz >/dev/null
	"$CHECK_PPROF" again.pb.gz in.folded
	# before and after counts: the after ones are the default type
	printf "main;a 5 7\nmain;b 3 0\nmain;c 0 2\n" >diff.folded
	"$FG" --from-folded diff.folded -o d.pb.gz -o d.folded >/dev/null
	"$CHECK_PPROF" d.pb.gz
	"$PPROF" -raw d.pb.gz | grep -q "^samples/count\[dflt\] before/count$"
	"$FG" --from-pprof d.pb.gz -o back.folded >/dev/null
	printf "pprof;main;a 5 7\npprof;main;b 3 0\npprof;main;c 0 2\n" >expect
	test_cmp expect back.folded
'

skip_all_without_perf \
	'several -o from one recording: each read by its client' \
	'mappings of a recording: build-ids as readelf -n prints them, the program first' \
	'functions of a recording: their source file and first line from DWARF' \
	'--from-pprof of a recording: the folded stacks of the same run' \
	'--sample-type: the CPU time, by default; the SVG shows durations' \
	'--flamechart on a recording: one band per thread, in time order' \
	'--flamechart and speedscope on a recording: phases A, B, A in the order they ran' \
	'a speedscope output leaves the SVG a sorted flamegraph' \
	'cargo flamegraph -o x.pb.gz -o x.speedscope.json'

CHAIN=$(build_c_fixture chain gcc) || exit 1
# chain with every call inlined (noinline made always_inline): the samples
# are all in inline frames of main, so its mapping has inline frames
CHAIN_INLINED=$(build_c_fixture chain gcc -Dnoinline=always_inline -Wno-attributes) ||
	exit 1
THREADS=$(build_c_fixture threads gcc) || exit 1
PHASES=$(build_c_fixture phases gcc) || exit 1
CFG=$BUILD/bin/cargo-flamegraph
TARGET_MULTI=$FIXTURE_BIN/cargo-target-multi
# The test user's copy of the crate and its builds (see use_crate).
USER_SHARE=$TMP_ROOT/user-share
mkdir "$USER_SHARE"
[ -z "${FG_TEST_USER:-}" ] || chown "$FG_TEST_USER:" "$USER_SHARE"
unset CARGO
export CHAIN CHAIN_INLINED THREADS PHASES CFG TARGET_MULTI USER_SHARE

test_expect_rec 'several -o from one recording: each read by its client' '
	"$FG" --include-tid -o a.svg -o a.folded -o a.pb.gz -o a.speedscope.json \
		-- "$THREADS" 200 >out 2>err
	grep -c "^writing " out | grep -qx 4
	xml_check a.svg
	grep -q "worker_alpha (" a.svg
	"$CHECK_PPROF" a.pb.gz a.folded
	# every sample of the recording, one profile per thread that has some
	"$CHECK_SPEEDSCOPE" a.speedscope.json "$(total a.folded)" names
	sed -n "s/^\([^;]*\)-[0-9]*\/\([0-9]*\);.*/\1 (\2)/p" a.folded |
		LC_ALL=C sort -u >tids
	grep -q "^$(basename "$THREADS") ([0-9]*)$" tids
	test_cmp tids names
	# the labels: pid, tid, thread
	"$PPROF" -tags a.pb.gz >tags
	grep -q "^ *tid: Total" tags
	grep -q ": $(basename "$THREADS")$" tags
	# the command line, as the comment
	"$PPROF" -raw a.pb.gz | grep -q "$(basename "$THREADS") 200"
'

test_expect_rec 'mappings of a recording: build-ids as readelf -n prints them, the program first' '
	# the GNU build-id note of a file in hex, as readelf -n prints it
	# (and as pprof wants it), or nothing
	build_id() {
		LC_ALL=C readelf -n "$1" | sed -n "s/^ *Build ID: *\([0-9a-f]*\)\$/\1/p"
	}
	prog=$CHAIN_INLINED
	"$FG" -o a.pb.gz -o a.folded -- "$prog" 200 >/dev/null 2>err
	"$CHECK_PPROF" a.pb.gz a.folded
	"$PPROF" -raw a.pb.gz | sed "1,/^Mappings\$/d" >maps
	libc=$(sed -n "s|^[0-9]*: [^ ]* \(/[^ ]*/libc\.so\.6\) .*|\1|p" maps)
	if [ -z "$libc" ]; then
		echo "no mapping of libc.so.6:"
		cat maps
		exit 1
	fi
	for file in "$prog" "$libc"; do
		want=$(build_id "$file")
		test -n "$want" || { echo "readelf -n $file: no build-id"; exit 1; }
		grep -q "^[0-9]*: [^ ]* $file $want " maps || {
			echo "no mapping of $file with its build-id $want:"
			cat maps
			exit 1
		}
	done
	# what the program has: function names, and inline frames from its DWARF
	grep "^[0-9]*: [^ ]* $prog " maps | grep -q "\[FN\].*\[IN\]\$" || {
		echo "the mapping of $prog has no [FN] or no [IN]:"
		cat maps
		exit 1
	}
	# pprof takes the first mapping for the program: go tool pprof names
	# it (the process is named after the first 15 bytes of its name)
	"$PPROF" -top a.pb.gz >top
	grep -qx "File: $(basename "$prog")" top || { head -n 3 top; exit 1; }
	grep -qx "Build ID: $(build_id "$prog")" top
	# a program that works in threads, whose code comes after that of
	# the loader and the kernel: named all the same
	"$FG" -o t.pb.gz -- "$THREADS" 100 >/dev/null 2>err
	"$PPROF" -top t.pb.gz >top
	grep -qx "File: $(basename "$THREADS")" top || { head -n 3 top; exit 1; }
	# read and written again, it stays first
	"$FG" --from-pprof t.pb.gz -o again.pb.gz >/dev/null
	"$PPROF" -top again.pb.gz | grep -qx "File: $(basename "$THREADS")"
'

test_expect_rec 'functions of a recording: their source file and first line from DWARF' '
	"$FG" -o a.pb.gz -o a.folded -- "$CHAIN" 200 >/dev/null 2>err
	"$CHECK_PPROF" a.pb.gz a.folded
	"$PPROF" -raw a.pb.gz >raw
	src=$SRC/tests/fixtures/c/chain.c
	# leaf_a, mid, main: "NAME FILE:0 s=LINE", the line of their definition
	for fn in leaf_a mid main; do
		line=$(grep -n "^[a-z_ ()]*[ *]$fn(" "$src" | head -n 1 | cut -d: -f1)
		test -n "$line" || { echo "no $fn in $src"; exit 1; }
		grep -q " $fn $src:0 s=$line\$" raw || {
			echo "no $fn at $src line $line:"
			grep " $fn " raw | head -n 3
			exit 1
		}
	done
	# and the mapping says it has file names
	grep "^[0-9]*: [^ ]* $CHAIN " raw | grep -q "\[FL\]"
	# read back and written again, they stay
	"$FG" --from-pprof a.pb.gz -o b.pb.gz >/dev/null
	"$PPROF" -raw b.pb.gz | grep -q " leaf_a $src:0 s="
'

test_expect_rec '--from-pprof of a recording: the folded stacks of the same run' '
	"$FG" --include-tid -o a.folded -o a.pb.gz -- "$CHAIN" 200 >/dev/null 2>err
	"$CHECK_PPROF" a.pb.gz a.folded
	"$FG" --from-pprof a.pb.gz --sample-type samples --include-tid -o b.folded >/dev/null
	test_cmp a.folded b.folded
	cat a.pb.gz | "$FG" --from-pprof - --sample-type samples --include-tid \
		-o c.folded >/dev/null
	test_cmp a.folded c.folded
	# roots without pid and tid: the same stacks, merged
	"$FG" --from-pprof a.pb.gz --sample-type samples -o d.folded >/dev/null
	sed "s/^\([^;]*\)-[0-9]*\/[0-9]*;/\1;/" a.folded |
		awk "{ c = \$NF; sub(/ [0-9]+\$/, \"\"); s[\$0] += c } END { for (k in s) print k, s[k] }" |
		LC_ALL=C sort >expect
	test_cmp expect d.folded
	# a type the file lacks: the ones it has
	exit_status "$FG" --from-pprof a.pb.gz --sample-type alloc_space -o e.svg >out 2>err
	grep -q "status=64" out
	grep -q "error: invalid value .alloc_space. for .--sample-type.: .a.pb.gz. has the sample types samples, cpu" err
	test ! -e e.svg
'

test_expect_rec '--sample-type: the CPU time, by default; the SVG shows durations' '
	"$FG" -o a.folded -o a.pb.gz -- "$CHAIN" 200 >/dev/null 2>err
	"$FG" --from-pprof a.pb.gz -o cpu.folded -o cpu.svg >/dev/null
	"$FG" --from-pprof a.pb.gz --sample-type cpu -o cpu2.folded >/dev/null
	test_cmp cpu.folded cpu2.folded
	# cpu-clock: every sample weighs about a period of 1/997 s
	check_ge "$(total cpu.folded)" "$(($(total a.folded) * 900000))" "CPU time in ns"
	check_le "$(total cpu.folded)" "$(($(total a.folded) * 1100000))" "CPU time in ns"
	grep -q "<title>leaf_a ([0-9.]* [mun]*s, " cpu.svg
	"$FG" --from-pprof a.pb.gz --count-name ticks -o n.svg >/dev/null
	grep -q "<title>leaf_a ([0-9,]* ticks, " n.svg
	# written again, the type drawn is the default one
	"$FG" --from-pprof a.pb.gz --sample-type samples -o s.pb.gz >/dev/null
	"$FG" --from-pprof s.pb.gz -o s.folded >/dev/null
	test_cmp a.folded s.folded
	"$CHECK_PPROF" a.pb.gz a.folded
	"$CHECK_PPROF" s.pb.gz a.folded
'

test_expect_rec '--flamechart on a recording: one band per thread, in time order' '
	comm=$(basename "$THREADS")
	"$FG" --flamechart --no-summary -o chart.svg -- "$THREADS" 200 >/dev/null 2>err
	xml_check chart.svg
	grep -q ">Flame Chart<" chart.svg
	grep -o "<title>$comm-[0-9]*/[0-9]* (" chart.svg | sort >roots
	# each thread once, its samples together; both workers ran
	test "$(sort -u roots | wc -l)" = "$(wc -l <roots)"
	check_ge "$(wc -l <roots)" 2 "thread bands"
	if grep -q "<title>$comm (" chart.svg; then exit 1; fi
	# merged: one time order, plain roots
	"$FG" --flamechart-merge-threads --no-summary -o merged.svg -- "$THREADS" 200 \
		>/dev/null 2>err
	xml_check merged.svg
	grep -q ">Flame Chart<" merged.svg
	grep -q "<title>$comm (" merged.svg
	if grep -q "<title>$comm-[0-9]" merged.svg; then exit 1; fi
	exit_status "$FG" --flamechart-merge-threads --reverse -- "$THREADS" 10 >out 2>err
	grep -q "status=64" out
	grep -q "error: .--reverse. cannot be used with .--flamechart-merge-threads." err
'

test_expect_rec '--flamechart and speedscope on a recording: phases A, B, A in the order they ran' '
	"$FG" --flamechart --no-summary -o chart.svg -o ph.speedscope.json \
		-- "$PHASES" 150 >/dev/null 2>err
	xml_check chart.svg
	# the phase frames left to right: x of each, in order of x
	grep -o "<g><title>phase_[ab] ([^<]*</title><rect x=\"[0-9.]*" chart.svg |
		sed "s/^<g><title>\(phase_[ab]\) .*x=\"\([0-9.]*\)$/\2 \1/" |
		sort -n | cut -d" " -f2 | uniq | tr "\n" " " >order
	cat order; echo
	test "$(cat order)" = "phase_a phase_b phase_a "
	# the timeline in speedscope: every sample of the thread, in time order
	node -e "
		const d = JSON.parse(require(\"fs\").readFileSync(\"ph.speedscope.json\"));
		const names = d.shared.frames.map((f) => f.name);
		const p = d.profiles[0];
		const seq = [];
		for (const s of p.samples) {
			const ph = s.map((i) => names[i]).find((n) => /^phase_[ab]$/.test(n));
			if (ph && seq[seq.length - 1] !== ph)
				seq.push(ph);
		}
		if (seq.join(\" \") !== \"phase_a phase_b phase_a\") {
			console.log(\"order: \" + seq.join(\" \"));
			process.exit(1);
		}
	"
'

test_expect_rec 'a speedscope output leaves the SVG a sorted flamegraph' '
	"$FG" --no-summary --deterministic -o a.svg -o a.folded -o a.speedscope.json \
		-- "$THREADS" 200 >/dev/null 2>err
	# the SVG of the same stacks sorted and merged, whatever their time order
	"$FG" --from-folded a.folded --deterministic -o b.svg >/dev/null
	test_cmp b.svg a.svg
	"$CHECK_SPEEDSCOPE" a.speedscope.json "$(total a.folded)" names
	grep -q "^$(basename "$THREADS") ([0-9]*)$" names
'

test_expect_rec 'cargo flamegraph -o x.pb.gz -o x.speedscope.json' '
	use_crate multi "$TARGET_MULTI"
	"$CFG" flamegraph --manifest-path "$CRATE/Cargo.toml" -o x.pb.gz \
		-o x.speedscope.json -o x.folded >out 2>err
	grep -qx "writing pprof profile to \"x.pb.gz\"" out
	grep -qx "writing speedscope profile to \"x.speedscope.json\"" out
	"$CHECK_PPROF" x.pb.gz x.folded
	"$PPROF" -top -nodecount=1000 x.pb.gz | grep -q "fast::fast_main_work"
	"$CHECK_SPEEDSCOPE" x.speedscope.json "$(total x.folded)" names
	grep -q "^fast ([0-9]*)$" names
	exit_status "$CFG" flamegraph --manifest-path "$CRATE/Cargo.toml" \
		-o x.svg -o y.data >out 2>err
	grep -q "status=64" out
	grep -q "cannot tell the format of .y.data." err
'

test_done
