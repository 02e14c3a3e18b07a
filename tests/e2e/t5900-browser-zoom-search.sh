#!/bin/sh
# t5900: the SVG's embedded JavaScript (svg/flamegraph.js) in a real browser.
#
# tests/browser/browser-test.js drives Debian's Chromium (headless, through
# playwright-core) over a flame graph: click-to-zoom, Reset Zoom, search
# (URL, button, Ctrl-F, F3, invalid regex), hover details, ?x=&y= restore,
# label fitting, <a> frames and fluid width. It runs on the hand-written
# fixtures in tests/browser/ (with the current flamegraph.js spliced in)
# and on the real output of $FG.
#
# Needs node and chromium (install.sh installs them; as root, this script
# installs a missing Debian chromium itself) and playwright-core and
# speedscope, which it installs into tests/browser/node_modules with "npm
# ci" (node_modules_install of tests/lib-body.sh); FG_NO_INSTALL=1 turns
# both installs off. The tests are skipped only when Chromium cannot be
# installed or cannot start here, or when an install is turned off.
# Set FG_BROWSER_SCREENSHOT=/abs/path.png to keep a screenshot of $FG's graph.

. "$(dirname "$0")/../lib.sh"

BROWSER_DIR=$SRC/tests/browser
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
apt_failed=
SHOT=${FG_BROWSER_SCREENSHOT:-}
export BROWSER_DIR CHROMIUM SHOT

test_expect 'flamegraph.js has no CDATA terminator, is ASCII, and parses' '
	js=$SRC/svg/flamegraph.js
	if grep -n "]]>" "$js"; then
		echo "the CDATA terminator above would end the script block early"
		exit 1
	fi
	if LC_ALL=C grep -n "[^[:print:][:space:]]" "$js"; then
		echo "non-ASCII bytes above; use \\u escapes"
		exit 1
	fi
	if command -v node >/dev/null 2>&1; then
		node --check "$js"
	fi
'

test_expect 'browser fixtures are well-formed XML' '
	xml_check "$BROWSER_DIR/fixture.svg" &&
	xml_check "$BROWSER_DIR/fixture-icicle.svg"
'

# A fresh machine has no Chromium: install Debian's (install.sh should have).
if [ ! -x "$CHROMIUM" ] && [ "$CHROMIUM" = /usr/bin/chromium ] &&
   [ "${FG_NO_INSTALL:-}" != 1 ] && [ "$(id -u)" = 0 ] &&
   command -v apt-get >/dev/null 2>&1; then
	apt_log=$TMP_ROOT/apt.log
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >"$apt_log" 2>&1 || {
		apt-get update -q >>"$apt_log" 2>&1 &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >>"$apt_log" 2>&1
	} || apt_failed=$(tail -n 1 "$apt_log")
fi

# What is missing for the browser tests, if anything.
skip_reason=
if ! command -v node >/dev/null 2>&1; then
	skip_reason="node is not installed"
elif [ ! -x "$CHROMIUM" ]; then
	skip_reason="no chromium at '$CHROMIUM' (apt-get install chromium${apt_failed:+ failed: $apt_failed})"
else
	# Can this Chromium start at all here (a kernel or container that
	# refuses it)? That is a reason to skip; anything later is a failure.
	probe=$TMP_ROOT/chromium-probe
	mkdir -p "$probe/profile"
	if ! timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
		--disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync \
		--user-data-dir="$probe/profile" --dump-dom about:blank \
		>"$probe/out" 2>"$probe/err" || ! grep -q "<html" "$probe/out"; then
		skip_reason="chromium cannot run here: $(grep -v -e dbus -e 'unexpected operator' \
			"$probe/err" | head -n 1)"
	fi
fi
# playwright-core and speedscope: the packages of tests/browser, which
# t4200 uses too, running beside this script (see tests/lib-body.sh).
if [ -z "$skip_reason" ]; then
	skip_reason=$(sh -c '. "$LIB_SH"; node_modules_state playwright-core speedscope')
	if [ $? = 1 ]; then
		test_expect 'install the node packages of tests/browser (npm ci)' \
			'node_modules_install'
	fi
fi

browser_test() {
	name=$1
	shift
	if [ -n "$skip_reason" ]; then
		test_skip "$name" "$skip_reason"
	else
		test_expect "$name" "$*"
	fi
}

browser_test 'fixture: flame graph (fluid, ..tail labels, <a> frame)' '
	FG_BROWSER_SCREENSHOT= node "$BROWSER_DIR/browser-test.js" \
		"$BROWSER_DIR/fixture.svg" --js "$SRC/svg/flamegraph.js"
'

browser_test 'fixture: icicle graph (fixed width, head.. labels, custom search colour)' '
	FG_BROWSER_SCREENSHOT= node "$BROWSER_DIR/browser-test.js" \
		"$BROWSER_DIR/fixture-icicle.svg" --js "$SRC/svg/flamegraph.js"
'

# The same stacks as the fixtures.
write_folded() {
	cat <<-\EOF
	main;parse;lex 30
	main;parse;read 10
	main;render 50
	main;render;draw_a_rather_long_function_name_that_cannot_fit_in_a_small_box 4
	main;render;écrire_日本 2
	EOF
}
FOLDED=$TMP_ROOT/input.folded
write_folded >"$FOLDED"
export FOLDED

if [ ! -x "$FG" ]; then
	test_skip 'flamegraph output: zoom, search, hover, URL state' "'$FG' is not built"
else
	browser_test 'flamegraph output: zoom, search, hover, URL state' '
		"$FG" --from-folded "$FOLDED" -o out.svg &&
		xml_check out.svg &&
		if [ -n "$SHOT" ]; then
			node "$BROWSER_DIR/browser-test.js" out.svg --screenshot "$SHOT"
		else
			FG_BROWSER_SCREENSHOT= node "$BROWSER_DIR/browser-test.js" out.svg
		fi
	'

	# The other layout, and <a> frames: only once the CLI has these options.
	help=$("$FG" --help 2>&1 || true)
	missing=
	for opt in --inverted --image-width --truncate-text-right --search-color --name-attr; do
		case $help in
		*"$opt"*) ;;
		*) missing="$missing $opt" ;;
		esac
	done
	name='flamegraph --inverted --image-width --truncate-text-right --name-attr output'
	if [ -n "$missing" ]; then
		test_skip "$name" "flamegraph has no$missing yet"
	else
		browser_test "$name" '
			printf "read\thref=#read-docs\n" >attrs &&
			"$FG" --from-folded "$FOLDED" --inverted --image-width 1000 \
				--truncate-text-right --search-color "#00c000" \
				--name-attr attrs -o icicle.svg &&
			xml_check icicle.svg &&
			grep -q "var inverted = true" icicle.svg &&
			grep -q "var fluiddrawing = false" icicle.svg &&
			grep -q "<a xlink:href=\"#read-docs\"" icicle.svg &&
			FG_BROWSER_SCREENSHOT= node "$BROWSER_DIR/browser-test.js" icicle.svg
		'
	fi
fi

# speedscope's own app on our timeline: a recording of phases A, B, A.
if [ ! -x "$FG" ]; then
	test_skip 'speedscope app: threads, Time Order A|B|A, Sandwich' "'$FG' is not built"
else
	PHASES=$(build_c_fixture phases gcc) || exit 1
	export PHASES
	browser_test 'speedscope app: threads, Time Order A|B|A, Sandwich' '
		"$FG" --no-summary -o ph.speedscope.json -- "$PHASES" 150 >/dev/null &&
		tid=$(node -e "
			const d = JSON.parse(require(\"fs\").readFileSync(\"ph.speedscope.json\"));
			console.log(d.profiles[0].name);
		") &&
		node "$BROWSER_DIR/speedscope-test.js" ph.speedscope.json \
			--profile "$tid" --order phase_a --order phase_b --order phase_a \
			--hot phase_b
	'
fi

test_done
