#!/bin/sh
# The options table: --help, --version, README agreement, usage errors.
. "$(dirname "$0")/../lib.sh"

test_expect '--help lists options with defaults and exits 0' '
	"$FG" --help >help.txt
	grep -q "^Usage: flamegraph" help.txt
	grep -q -- "-o, --output PATH" help.txt
	grep -q -- "--min-width PERCENT" help.txt
	grep -q "\[default: 0.01\]" help.txt
	grep -q "Exit status:" help.txt
	if grep -q -- "--no-javascript" help.txt; then exit 1; fi
'

test_expect '--version prints the version' '
	"$FG" --version >v.txt
	grep -Eq "^flamegraph [0-9]+\.[0-9]+\.[0-9]+$" v.txt
'

test_expect 'README documents exactly the options of --help' '
	"$FG" --help | grep -E "^ {2,6}(-[a-zA-Z], )?--[a-z]" |
		grep -oE -- "--[a-z][a-z-]*" | sort -u >help-opts
	sed -n "/^## Options of .flamegraph./,/^## /p" "$SRC/README.md" |
		grep "^| \`" | cut -d"|" -f2 |
		grep -oE -- "--[a-z][a-z-]*" | sort -u >readme-opts
	test_cmp help-opts readme-opts
	test "$(wc -l <help-opts)" -gt 40
'

test_expect 'unknown option: one line naming it, status 64' '
	exit_status "$FG" --frobnicate >out 2>err
	grep -q "status=64" out
	test "$(wc -l <err)" = 1
	grep -q "unknown option .--frobnicate." err
'

test_expect 'bad values are usage errors naming the option' '
	for args in "--min-width abc" "--image-width -3" "--palette nope" \
		    "--format png" "--search-color red" "--bg-colors pink" \
		    "--frame-height 0" "--font-size 0" "--factor 0" "--completions tcsh"; do
		# shellcheck disable=SC2086
		exit_status "$FG" $args --from-folded x >out 2>err
		grep -q "status=64" out || { echo "$args: $(cat out)"; exit 1; }
		opt=${args%% *}
		grep -q -- "$opt" err || { echo "$args: $(cat err)"; exit 1; }
	done
'

test_expect 'conflicting options are usage errors' '
	for args in "--hash --deterministic" "--reverse --flamechart" \
		    "--reverse --no-sort" "--color-diffusion --palette red"; do
		# shellcheck disable=SC2086
		exit_status "$FG" $args --from-folded x >out 2>err
		grep -q "status=64" out || { echo "$args"; exit 1; }
		grep -q "cannot be used with" err
	done
	printf "a 1\n" >in.folded
	exit_status "$FG" --from-folded in.folded --from-perf-script in.folded >out 2>err
	grep -q "status=64" out
'

test_expect 'no input is a usage error' '
	exit_status "$FG" >out 2>err
	grep -q "status=64" out
	grep -q "no workload given" err
'

test_expect 'a positional argument without -- is explained' '
	exit_status "$FG" ./prog >out 2>err
	grep -q "status=64" out
	grep -q "after .--." err
'

test_expect 'completions for every shell name every option' '
	"$FG" --help | grep -E "^ {2,6}(-[a-zA-Z], )?--[a-z]" |
		grep -oE -- "--[a-z][a-z-]*" | sort -u >help-opts
	for sh in bash fish zsh powershell elvish; do
		"$FG" --completions $sh >comp.$sh
		while read -r opt; do
			name=${opt#--}
			grep -q -- "$name" comp.$sh || { echo "$sh lacks $opt"; exit 1; }
		done <help-opts
	done
	bash -n comp.bash
	bash -c ". ./comp.bash; complete -p flamegraph" | grep -q _fg_complete_flamegraph
'

test_expect '--completions cannot be combined' '
	exit_status "$FG" --completions bash --title x >out 2>err
	grep -q "status=64" out
'

test_done
