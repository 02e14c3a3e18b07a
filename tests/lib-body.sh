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

# total FOLDED: the number of samples in FOLDED.
total() {
	awk '{ t += $NF } END { print t + 0 }' "$1"
}

# count NEEDLE FOLDED: the number of samples in FOLDED whose stack contains
# NEEDLE.
count() {
	awk -v n="$1" 'index($0, n) { m += $NF } END { print m + 0 }' "$2"
}

# in_order FOLDED FRAME...: some stack in FOLDED has these frames in this
# order (not necessarily adjacent); else says which frames were looked for.
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
		END { exit !found }' "$f" && return 0
	echo "in_order: no stack in $f has the frames $* in this order"
	return 1
}

# Numeric checks. Each compares two integers and, when the condition does
# not hold, says which one failed ("WHAT VALUE < MIN") and fails; UNIT
# (say %) follows both numbers. A value that is not a number fails too.
#
#   check_ge VALUE MIN WHAT [UNIT]    VALUE >= MIN
#   check_gt VALUE MIN WHAT [UNIT]    VALUE > MIN
#   check_le VALUE MAX WHAT [UNIT]    VALUE <= MAX
#   check_lt VALUE MAX WHAT [UNIT]    VALUE < MAX
#   check_eq VALUE WANT WHAT [UNIT]   VALUE = WANT
check_ge() { check_ "$1" -ge "$2" "$3" "<" "${4:-}"; }
check_gt() { check_ "$1" -gt "$2" "$3" "<=" "${4:-}"; }
check_le() { check_ "$1" -le "$2" "$3" ">" "${4:-}"; }
check_lt() { check_ "$1" -lt "$2" "$3" ">=" "${4:-}"; }
check_eq() { check_ "$1" -eq "$2" "$3" "!=" "${4:-}"; }

# check_ VALUE OP LIMIT WHAT NEGATED-OP UNIT: the body of the checks above.
check_() {
	for check_n_ in "$1" "$3"; do
		case $check_n_ in
		''|-|*[!0-9-]*|?*-*)
			echo "$4: not a number: '$check_n_'"
			return 1
			;;
		esac
	done
	[ "$1" "$2" "$3" ] && return 0
	echo "$4 $1$6 $5 $3$6"
	return 1
}

# share_ge NEEDLE FOLDED MIN: at least MIN% of the samples in FOLDED have
# NEEDLE on their stack; else says what the share was, and of how many
# samples. Not checked under the sanitizers (samples may be lost there).
share_ge() {
	not_under_sanitizers "the share of '$1'" || return 0
	check_ge "$(share "$1" "$2")" "$3" "share of '$1' in $2 ($(total "$2") samples)" %
}

# not_under_sanitizers WHAT: true, unless the programs run under valgrind
# (make valgrind, some 30 times slower) or are built with ASan (make asan,
# a few times slower), where the recorder may fall behind a busy machine
# and the kernel drop samples: then says that WHAT is not checked. Counts,
# shares and losses are make check's to prove; the sanitizer runs prove
# the memory.
not_under_sanitizers() {
	[ "${FG_VALGRIND:-}" = 1 ] || [ -n "${FG_ASAN:-}" ] || return 0
	echo "not checked under ${FG_VALGRIND:+valgrind}${FG_ASAN:+ASan}: $1"
	return 1
}

# enough_samples FOLDED MS [WHAT]: FOLDED holds at least half the samples
# that MS milliseconds of CPU time give at 997 Hz. The fixtures work for
# an amount of their own CPU time, and cpu-clock samples a thread once per
# period of its own CPU time, so about MS samples are expected whatever the
# machine's speed and load; half leaves room for start-up and exit. WHAT
# names the workload in the message. Not checked under the sanitizers.
enough_samples() {
	not_under_sanitizers "the number of samples" || return 0
	check_ge "$(total "$1")" $(($2 * 997 / 1000 / 2)) \
		"samples in $1 for ${3:-$2 ms of CPU} (at least half of $2 ms at 997 Hz)"
}

# cpu_ms PID: the CPU time process PID has used so far (user and system,
# all its threads), in milliseconds, at the clock tick's resolution.
cpu_ms() {
	sed "s/.*) //" "/proc/$1/stat" |
		awk -v hz="$(getconf CLK_TCK)" '{ printf "%d\n", ($12 + $13) * 1000 / hz }'
}

# no_loss ERRFILE: the profiler's standard error, in ERRFILE, reports a
# recording without lost samples: its summary line "recorded N samples in
# S s" has no ", M lost", and there is no "the kernel dropped" warning.
# Under the sanitizers only the summary line is checked.
no_loss() {
	if ! grep -q "^recorded [0-9]* samples in " "$1"; then
		echo "no_loss: no \"recorded N samples\" line in $1:"
		cat "$1"
		return 1
	fi
	not_under_sanitizers "lost samples" || return 0
	if grep -q "^recorded [0-9]* samples in [0-9.]* s, [0-9]* lost" "$1" ||
	   grep -q "the kernel dropped" "$1"; then
		echo "no_loss: samples were lost (as $(id -un)):"
		grep "^recorded \|dropped" "$1"
		return 1
	fi
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

# use_crate NAME TARGET: where a test builds fixture crate NAME with cargo:
# sets CRATE to the crate's directory and exports CARGO_TARGET_DIR, TARGET
# (shared by the tests of a script, so each profile is built once). The
# test user can write neither the source tree nor root's target
# directories: it gets a copy of the crate and a target directory of its
# own in $USER_SHARE, a directory the script made for it (kept between its
# tests, so the user's builds are reused too), else in its scratch
# directory.
use_crate() {
	if mkdir -p "$2" 2>/dev/null && [ -w "$2" ]; then
		CRATE=$SRC/tests/fixtures/crates/$1
		CARGO_TARGET_DIR=$2
	else
		use_crate_dir_=${USER_SHARE:-$TMP}
		if [ ! -d "$use_crate_dir_/$1" ]; then
			cp -r "$SRC/tests/fixtures/crates/$1" "$use_crate_dir_/$1"
			rm -rf "$use_crate_dir_/$1/target"
		fi
		CRATE=$use_crate_dir_/$1
		CARGO_TARGET_DIR=$use_crate_dir_/target-$1
	fi
	export CARGO_TARGET_DIR
}

# own_pids NAME: the pids of live processes (zombies aside) named NAME
# that run ./NAME, the copy of a program in this test's directory, or work
# in that directory (scripts). Tests name their workloads so, and other
# test runs beside this one (the other user's, another clone's) are never
# counted, nor killed.
own_pids() {
	here=$(pwd -P)
	for p in $(pgrep -x -- "$1"); do
		case $(readlink /proc/$p/exe 2>/dev/null) in
		"$here/$1") ;;
		*) case $(readlink /proc/$p/cwd 2>/dev/null) in
		   "$here"|"$here"/*) ;;
		   *) continue ;;
		   esac ;;
		esac
		st=$(sed "s/.*) //" /proc/$p/stat 2>/dev/null | cut -c1)
		[ -n "$st" ] && [ "$st" != Z ] && echo $p
	done
	return 0
}

# as_test_user CMD...: run CMD as the unprivileged test user, taking turns
# with the other tests run as that user (see FG_USER_LOCK, run-tests.sh).
as_test_user() {
	${FG_USER_LOCK:+flock "$FG_USER_LOCK"} \
		setpriv --reuid="$FG_TEST_USER" --regid="$FG_TEST_USER" --init-groups -- "$@"
}

# signal_taken PID SIG: until the process PID has taken the signal SIG
# sent to it (it is no longer pending in any of its threads), or 60 s. Two
# signals of a kind sent before the first is taken are one signal: a slow
# process (under valgrind, say) may take its time to take one.
signal_taken() {
	case $2 in
	HUP) bit=1 ;; INT) bit=2 ;; QUIT) bit=4 ;; TERM) bit=16384 ;;
	*) echo "signal_taken: unknown signal $2"; return 1 ;;
	esac
	n=0
	while :; do
		pending=0
		for st in /proc/"$1"/task/*/status; do
			for m in $(sed -n "s/^\(ShdPnd\|SigPnd\):[[:space:]]*//p" "$st" 2>/dev/null); do
				pending=$((pending | 0x$m))
			done
		done
		[ $((pending & bit)) = 0 ] && return 0
		n=$((n + 1))
		[ $n -lt 6000 ] || { echo "signal_taken: $2 still pending after 60 s"; return 1; }
		sleep 0.01
	done
}

# wait_ready FILE PID: until FILE, the standard output of the background
# process PID (or of its workload), says "ready"; fails if PID ended
# first, or after 60 s (a test never hangs on a program that did not start).
wait_ready() {
	n=0
	while ! grep -q ready "$1" 2>/dev/null; do
		if ! kill -0 "$2" 2>/dev/null; then
			echo "wait_ready: process $2 ended before it was ready"
			cat err 2>/dev/null
			return 1
		fi
		n=$((n + 1))
		[ $n -lt 1200 ] || { echo "wait_ready: not ready after 60 s"; return 1; }
		sleep 0.05
	done
}

# The node packages of tests/browser (package.json, package-lock.json):
# the browser test's (t5900) and the second pprof decoder of t4200. Those
# scripts run at the same time, and "npm ci" starts by removing
# node_modules, so the packages are looked at and installed under a lock
# (flock on the directory tests/browser itself, so that no lock file is
# left there): a script that finds them there finds them whole. Where
# installs can happen, every script judges by every package, so that no
# install starts once a script uses them; where none can, by the ones it
# needs.

# node_modules_check_ [PACKAGE...]: whether these packages (default:
# every package of package.json) are in node_modules at the versions
# package.json pins; else prints the first one that is not. Without the
# lock: for the helpers below.
node_modules_check_() {
	node -e '
		const fs = require("fs");
		const [dir, ...want] = process.argv.slice(1);
		const read = (f) => JSON.parse(fs.readFileSync(dir + "/" + f, "utf8"));
		const deps = read("package.json").dependencies;
		for (const name of want.length ? want : Object.keys(deps)) {
			let got = null;
			try {
				got = read("node_modules/" + name + "/package.json").version;
			} catch (e) {
			}
			if (got !== deps[name]) {
				console.log(name + " " + deps[name] +
					    (got ? " (" + got + " is there)" : ""));
				process.exit(1);
			}
		}
	' "$SRC/tests/browser" "$@"
}

# node_modules_state PACKAGE...: can the tests that need these packages
# run? Exit status 0 when they can; 1 when node_modules_install should
# install the packages first (some are missing, and installs are on);
# 2 when the tests cannot run, with the reason on standard output (no
# node, no npm, or FG_NO_INSTALL=1, which turns installs off). Waits for
# an install another script runs.
node_modules_state() {
	if ! command -v node >/dev/null 2>&1; then
		echo "node is not installed"
		return 2
	fi
	if missing_=$( (flock 9 && node_modules_check_) 9<"$SRC/tests/browser"); then
		return 0
	fi
	if [ "${FG_NO_INSTALL:-}" != 1 ] && command -v npm >/dev/null 2>&1; then
		return 1
	fi
	# nothing installs: what this script needs is enough
	if missing_=$( (flock 9 && node_modules_check_ "$@") 9<"$SRC/tests/browser"); then
		return 0
	fi
	if [ "${FG_NO_INSTALL:-}" = 1 ]; then
		echo "$missing_ is not installed in tests/browser and FG_NO_INSTALL=1"
	else
		echo "$missing_ is not installed in tests/browser and npm is not installed"
	fi
	return 2
}

# node_modules_install: "npm ci" in tests/browser, unless another script
# installed the packages meanwhile. npm's output goes to standard output,
# which a test shows only when it fails.
node_modules_install() {
	(
		flock 9 || exit 1
		node_modules_check_ >/dev/null && exit 0
		cd "$SRC/tests/browser" && npm ci --no-audit --no-fund
	) 9<"$SRC/tests/browser"
}
