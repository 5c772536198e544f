#!/bin/sh
# Shell completions (completions/): bash is loaded and asked as readline
# would ask it (COMP_WORDS, COMP_CWORD); zsh and fish files are parsed and,
# where the shells are installed, asked too.  The completions read the
# commands and options from the binary's --help, so they follow the table.
. "$(dirname "$0")/../lib.sh"
[ "$VB_SUITE" = valgrind ] && exit 0 # the binary only prints its usage here

C=$VB_TOP/completions
mkdir -p "$T/bin" "$T/kb/calls"
ln -s "$VB_BIN" "$T/bin/verbatim"

# complete WORD...: what bash offers for the last word
complete_bash() {
	PATH="$T/bin:$PATH" bash -c '
		. "$1/verbatim.bash" || exit 3
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_verbatim
		printf "%s\n" "${COMPREPLY[@]}" | sort
	' sh "$C" "$@"
}

expect_eq "bash: verbatim ch<TAB> completes the command" "$(complete_bash verbatim ch)" "check"
expect_eq "bash: verbatim check --fo<TAB> completes the option" "$(complete_bash verbatim check --fo)" "--format"
expect_eq "bash: every command of --help, and help" \
	"$(complete_bash verbatim '' | tr '\n' ' ')" \
	"$("$VB_BIN" --help | awk '/^commands:/ { c = 1; next } c && !NF { exit } c { print $1 }' | { cat; echo help; } | sort | tr '\n' ' ')"
# --format's values: text, json and github at least, each a word of the
# option's lines in check --help
complete_bash verbatim check --format '' >"$T/fmt.out"
"$VB_BIN" check --help | sed -n '/--format/,/^  *-/p' >"$T/fmt.help"
bad=
for v in $(cat "$T/fmt.out"); do grep -qw -- "$v" "$T/fmt.help" || bad="$bad $v"; done
for v in text json github; do grep -qx -- "$v" "$T/fmt.out" || bad="$bad (no $v)"; done
expect_eq "bash: --format's values from the help text" "$bad" ""
expect_eq "bash: --format=<TAB> (split at =)" "$(complete_bash verbatim phrases --format = '' | tr '\n' ' ')" "json text tsv "
expect_eq "bash: --format=j (one word)" "$(complete_bash verbatim stats --format=j)" "json"
expect_eq "bash: short options too" "$(complete_bash verbatim index -q | tr '\n' ' ')" "-q "
expect_eq "bash: subcommands of hook" "$(complete_bash verbatim hook '' | tr '\n' ' ')" "install uninstall "
expect_eq "bash: a global -C DIR before the command" "$(complete_bash verbatim -C "$T/kb" rep)" "report"
(cd "$T/kb" && complete_bash verbatim check --dir ca >"$T/dir.out")
expect_eq "bash: folders after --dir" "$(cat "$T/dir.out")" "calls"
expect_eq "bash: help <command>" "$(complete_bash verbatim help st)" "stats"
expect_eq "bash: an unknown command offers nothing" "$(complete_bash verbatim nosuch --f)" ""

if command -v zsh >/dev/null 2>&1; then
	zsh -n "$C/_verbatim"
	expect_eq "zsh: _verbatim parses" "$?" 0
	# the facts _verbatim reads, from the same parser as bash
	PATH="$T/bin:$PATH" zsh -fc 'source "$1/_verbatim" 2>/dev/null; _verbatim_facts verbatim check' sh "$C" >"$T/zsh.out" 2>&1
	expect_grep "zsh: check's --format with its values" "$T/zsh.out" "v	--format	github"
else
	echo "# zsh is not installed: _verbatim not loaded"
fi
if command -v fish >/dev/null 2>&1; then
	fish --no-execute "$C/verbatim.fish"
	expect_eq "fish: verbatim.fish parses" "$?" 0
	PATH="$T/bin:$PATH" fish -c "source '$C/verbatim.fish'; complete -C 'verbatim ch'" >"$T/fish1.out" 2>&1
	expect_grep "fish: verbatim ch<TAB> completes the command" "$T/fish1.out" "check"
	PATH="$T/bin:$PATH" fish -c "source '$C/verbatim.fish'; complete -C 'verbatim check --fo'" >"$T/fish2.out" 2>&1
	expect_grep "fish: verbatim check --fo<TAB> completes the option" "$T/fish2.out" "--format"
	PATH="$T/bin:$PATH" fish -c "source '$C/verbatim.fish'; complete -C 'verbatim check --format='" >"$T/fish3.out" 2>&1
	expect_grep "fish: --format= values" "$T/fish3.out" "--format=github"
else
	echo "# fish is not installed: verbatim.fish not loaded"
fi

sh "$C/gen.sh" --check >"$T/gen.out" 2>&1
expect_eq "the three files hold completions/facts.awk as it is (gen.sh --check)" "$?$(cat "$T/gen.out")" 0
