#!/bin/sh
# The first hour: a mistyped option gets the nearest one suggested, and
# shell completion works as README sets it up on a fresh account, for
# options and their values, for flamegraph and "cargo flamegraph". The
# completions are run for real: bash by calling the completion function
# with COMP_WORDS set as bash sets them, zsh through a pseudo-terminal
# (zsh's zpty), fish with "complete -C".
. "$(dirname "$0")/../lib.sh"

CFG=$BUILD/bin/cargo-flamegraph
COMP=$TMP_ROOT/comp.bash
ZCOMP=$TMP_ROOT/zcomp.zsh
README_SETUP=$TMP_ROOT/readme-setup.sh
# rustup keeps its toolchains under the real home; the tests use fresh ones
RUSTUP_HOME=${RUSTUP_HOME:-${HOME:-/root}/.rustup}
CARGO_HOME=${CARGO_HOME:-${HOME:-/root}/.cargo}
export CFG COMP ZCOMP README_SETUP RUSTUP_HOME CARGO_HOME

cat >"$COMP" <<'EOF'
# comp WORD...: complete the last word as bash does (its default
# completion first, when the command has none: bash-completion's loader),
# and print what COMPREPLY holds, one per line.
comp() {
    local spec fn
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    if ! spec=$(complete -p "$1" 2>/dev/null); then
        spec=$(complete -p -D 2>/dev/null) || return 1
        fn=${spec#* -F }
        "${fn%% *}" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        spec=$(complete -p "$1") || return 1
    fi
    fn=${spec#* -F }
    "${fn%% *}" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf '%s\n' "${COMPREPLY[@]}"
}
# expect WORD... : REPLY...: what comp prints, in any order (readline
# sorts them), else the shell exits 1
expect() {
    local -a words=() want=()
    while (($#)) && [[ $1 != : ]]; do words+=("$1"); shift; done
    (($#)) || { echo "expect: no ':' in $*"; exit 1; }
    shift
    want=("$@")
    local got
    got=$(comp "${words[@]}" | LC_ALL=C sort)
    if [[ $got != "$(printf '%s\n' "${want[@]}" | LC_ALL=C sort)" ]]; then
        printf 'completing "%s": got:\n%s\nwanted:\n%s\n' "${words[*]}" "$got" \
            "$(printf '%s\n' "${want[@]}")"
        exit 1
    fi
}
EOF

cat >"$ZCOMP" <<'EOF'
# zsh -f zcomp.zsh LINE: what an interactive zsh (reading ~/.zshrc) shows
# when LINE is typed and TAB pressed, escape sequences left out.
zmodload zsh/zpty || exit 1
zpty z zsh -i
zpty -w z 'PS1="%% "; unsetopt beep'
zpty -w -n z "$1"$'\t'
out=
integer i
for ((i = 0; i < 40; i++)); do
    zpty -r -t z chunk && out+=$chunk || sleep 0.1
done
zpty -d z
print -r -- "${out//$'\r'/}" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g'
EOF

# sh "$README_SETUP" SHELL: the commands README gives to set up the
# completions for SHELL: the lines after "# SHELL" in the sh block under
# "## Shell completions", up to the next shell's name.
cat >"$README_SETUP" <<'EOF'
sed -n '/^## Shell completions/,/^## /p' "$SRC/README.md" |
	sed -n '/^```sh$/,/^```$/p' |
	awk -v sh="$1" '
		/^```/ { next }
		/^# (bash|zsh|fish|elvish|powershell)$/ { on = ($2 == sh); next }
		/^#/ { next }
		on && NF'
EOF

# try_install PROGRAM: install the Debian package PROGRAM when it is
# missing and apt-get works without asking (as root); else leave it.
try_install() {
	command -v "$1" >/dev/null && return 0
	[ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || return 1
	DEBIAN_FRONTEND=noninteractive timeout 120 apt-get install -y -qq \
		--no-install-recommends "$1" >/dev/null 2>&1
	command -v "$1" >/dev/null
}
try_install zsh || true
try_install fish || true

test_expect 'a mistyped option: the nearest suggested, on one line, status 64' '
	exit_status "$FG" --pallete red --from-folded x >out 2>err
	grep -q status=64 out
	test "$(wc -l <err)" = 1
	grep -qx "error: unknown option .--pallete. (did you mean .--palette.?; see .flamegraph --help.)" err
	exit_status "$CFG" flamegraph --bni x >out 2>err
	grep -q status=64 out
	grep -qx "error: unknown option .--bni. (did you mean .--bin.?; see .cargo flamegraph --help.)" err
	exit_status "$CFG" --unit >out 2>err
	grep -q "did you mean .--unit-test., .--unit-bench. or .--unit-test-kind.?" err
	exit_status "$FG" -help >out 2>err
	grep -q "unknown option .-help. (did you mean .--help.?" err
	# far from everything: no guess
	exit_status "$FG" --frobnicate >out 2>err
	grep -qx "error: unknown option .--frobnicate. (see .flamegraph --help.)" err
'

test_expect 'bash: options and their values complete' '
	"$FG" --completions bash >fg.bash
	"$CFG" --completions bash >cfg.bash
	# file names: those of this directory
	mkdir w w/sub
	touch w/a.folded "w/b c.folded"
	cd w
	bash -c ". \"\$COMP\"; . ../fg.bash; . ../cfg.bash
		expect flamegraph --pal : --palette
		expect flamegraph --palette r : red rust
		expect flamegraph --palette = r : red rust
		expect flamegraph --format \"\" : svg folded pprof speedscope
		expect flamegraph -e c : cpu-clock context-switches cycles cache-misses
		expect flamegraph --call-graph d : dwarf dwarf,16384 dwarf,32768 dwarf,65528
		expect flamegraph --completions z : zsh
		expect flamegraph --from-folded \"\" : a.folded \"b c.folded\" sub
		expect flamegraph -o b : \"b c.folded\"
		expect flamegraph --title \"\" :
		expect flamegraph --no-inl : --no-inline
		expect flamegraph -- ./a : ./a.folded
		expect cargo-flamegraph --unit-test-kind \"\" : bin lib
		expect cargo-flamegraph flamegraph --bi : --bin
		expect cargo-flamegraph --manifest-path s : sub
	"
'

test_expect 'bash: cargo flamegraph completes; cargo keeps its own completion' '
	"$CFG" --completions bash >cfg.bash
	# cargo'\''s completion, loaded before ours or on demand (bash-completion)
	cat >fake-cargo.bash <<-\EOF
	_fake_cargo() { COMPREPLY=(cargo-said:${COMP_WORDS[COMP_CWORD]}); }
	complete -F _fake_cargo cargo
	EOF
	bash -c ". \"\$COMP\"; . ./fake-cargo.bash; . ./cfg.bash
		expect cargo flamegraph --pal : --palette
		expect cargo +nightly flamegraph --palette r : red rust
		expect cargo -v flamegraph --unit-test-kind l : lib
		expect cargo bu : cargo-said:bu
		expect cargo build --rel : cargo-said:--rel
	"
	bash -c ". \"\$COMP\"; . ./cfg.bash
		_completion_loader() { . ./fake-cargo.bash; }
		expect cargo flamegraph --pal : --palette
		expect cargo bu : cargo-said:bu
		expect cargo flamegraph --format \"\" : svg folded pprof speedscope
	"
'

test_expect 'bash: README set-up on a fresh account, with bash-completion and rustup' '
	mkdir home
	sh "$README_SETUP" bash >setup.sh
	grep -q "mkdir -p" setup.sh || { echo "README: no bash set-up"; exit 1; }
	HOME=$TMP/home PATH=$BUILD/bin:$PATH sh -e setup.sh
	test -f home/.bashrc
	HOME=$TMP/home PATH=$BUILD/bin:$PATH bash -c ". ~/.bashrc; . \"\$COMP\"
		expect flamegraph --pal : --palette
		expect cargo flamegraph --pal : --palette
		expect cargo-flamegraph --unit-test-k : --unit-test-kind
	"
	# with bash-completion and cargo'\''s completion from rustup
	if [ -f /usr/share/bash-completion/bash_completion ] && command -v rustup >/dev/null &&
	   rustup completions bash cargo >cargo.bash 2>/dev/null; then
		mkdir -p home/.local/share/bash-completion/completions
		cp cargo.bash home/.local/share/bash-completion/completions/cargo
		HOME=$TMP/home PATH=$BUILD/bin:$PATH bash -c "
			. /usr/share/bash-completion/bash_completion; . ~/.bashrc; . \"\$COMP\"
			expect cargo flamegraph --palette r : red rust
			expect cargo bu : build
			expect cargo build --rel : --release
			expect cargo flamegraph --pal : --palette
		" || exit 1
	fi
'

if command -v zsh >/dev/null; then
	test_expect 'zsh: README set-up on a fresh account; options, values, cargo flamegraph' '
		mkdir home
		sh "$README_SETUP" zsh >setup.sh
		grep -q "mkdir -p" setup.sh || { echo "README: no zsh set-up"; exit 1; }
		if ! command -v rustup >/dev/null || ! rustup completions zsh cargo >/dev/null 2>&1; then
			# no rustup: a stand-in for its _cargo, which hands the words
			# from an external subcommand NAME on to _cargo-NAME
			grep -v "rustup completions" setup.sh >s && mv s setup.sh
			mkdir -p home/.zfunc
			printf "%s\n" "#compdef cargo" "(( CURRENT > 2 )) || return 1" \
				"shift words; (( CURRENT-- ))" "_call_function ret _cargo-\$words[1]" \
				>home/.zfunc/_cargo
		fi
		HOME=$TMP/home PATH=$BUILD/bin:$PATH sh -e setup.sh
		for f in home/.zfunc/_flamegraph home/.zfunc/_cargo-flamegraph; do
			zsh -n "$f"
		done
		z() { HOME=$TMP/home PATH=$BUILD/bin:$PATH zsh -f "$ZCOMP" "$1"; }
		z "flamegraph --pal" >o1
		grep -q "flamegraph --palette=" o1 || { cat o1; exit 1; }
		z "flamegraph --format " >o2
		grep -q "folded  *pprof  *speedscope  *svg" o2 || { cat o2; exit 1; }
		z "cargo-flamegraph --unit-test-k" >o3
		grep -q "cargo-flamegraph --unit-test-kind=" o3 || { cat o3; exit 1; }
		z "cargo flamegraph --pal" >o4
		grep -q "cargo flamegraph --palette=" o4 || { cat o4; exit 1; }
		z "cargo flamegraph --palette r" >o5
		grep -q "red  *rust" o5 || { cat o5; exit 1; }
	'
else
	test_skip 'zsh: README set-up on a fresh account; options, values, cargo flamegraph' \
		'zsh is not installed'
fi

if command -v fish >/dev/null; then
	test_expect 'fish: README set-up on a fresh account; options, values, cargo flamegraph' '
		mkdir home
		sh "$README_SETUP" fish >setup.sh
		grep -q "mkdir -p" setup.sh || { echo "README: no fish set-up"; exit 1; }
		HOME=$TMP/home PATH=$BUILD/bin:$PATH sh -e setup.sh
		f() { HOME=$TMP/home PATH=$BUILD/bin:$PATH fish -c "complete -C \"$1\"" | cut -f1; }
		test "$(f "flamegraph --pal")" = --palette
		test "$(f "flamegraph --palette r" | tr "\n" " ")" = "red rust "
		test "$(f "cargo flamegraph --pal")" = --palette
		test "$(f "cargo flamegraph --unit-test-kind " | tr "\n" " ")" = "bin lib "
		test "$(f "cargo-flamegraph --format " | tr "\n" " ")" = "folded pprof speedscope svg "
	'
else
	test_skip 'fish: README set-up on a fresh account; options, values, cargo flamegraph' \
		'fish is not installed'
fi

test_expect 'every completion script is valid for its shell (where the shell is here)' '
	for c in "$FG" "$CFG"; do
		"$c" --completions bash >s.bash
		bash -n s.bash
		if command -v zsh >/dev/null; then
			"$c" --completions zsh >s.zsh
			zsh -n s.zsh
		fi
		if command -v fish >/dev/null; then
			"$c" --completions fish >s.fish
			fish -n s.fish
		fi
	done
'

test_done
