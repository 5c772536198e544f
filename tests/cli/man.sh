#!/bin/sh
# The man pages: clean under `mandoc -T lint`, dated, with the sections a
# reader looks for, one page per command, every option of a command's --help
# documented, and SEE ALSO naming pages that exist.
. "$(dirname "$0")/../lib.sh"

MAN=$VB_TOP/cmd/man
if ! command -v mandoc >/dev/null 2>&1; then
	notok "mandoc is not installed (apt-get install mandoc, or make check installs it)"
	exit 0
fi

mandoc -T lint -W all "$MAN"/*.1 >"$T/lint" 2>&1
lrc=$?
expect_eq "mandoc -T lint -W all: exit 0" "$lrc" 0
expect_eq "mandoc -T lint -W all: no message" "$(cat "$T/lint")" ""

# one page per command of the dispatcher's table, and no page of no command
run_vb help --help
sed -n '/^commands:/,/^$/p' "$T/help.out" | awk 'NF && $1 != "commands:" { print "verbatim-" $1 ".1" }' | sort >"$T/want"
echo verbatim.1 >>"$T/want"
sort -o "$T/want" "$T/want"
(cd "$MAN" && ls *.1) | sort >"$T/have"
expect_file "a page for every command of verbatim --help" "$T/have" "$T/want"

# the option names on roff lines: -X and --long-name (\- unescaped)
man_options() {
	sed 's/\\-/-/g' | grep -oE -- '--?[A-Za-z][A-Za-z-]*' | grep -E -- '^(--..*|-.)$' | sort -u
}

for page in "$MAN"/*.1; do
	pg=$(basename "$page" .1)
	date=$(sed -n 's/^\.TH [^ ]* 1 \([0-9-]*\) .*/\1/p' "$page")
	case $date in
	[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]) ok "$pg: dated ($date)" ;;
	*) notok "$pg: no date in .TH" ;;
	esac
	missing=
	for sec in NAME SYNOPSIS DESCRIPTION FILES ENVIRONMENT "EXIT STATUS" EXAMPLES "SEE ALSO"; do
		grep -q "^\.SH \"*$sec\"*\$" "$page" || missing="$missing $sec"
	done
	expect_eq "$pg: has every section" "$missing" ""
	# SEE ALSO names verbatim(1) (the others from verbatim.1) and existing pages
	sed -n '/^\.SH SEE ALSO/,$p' "$page" | sed -n 's/^\.BR \(verbatim[a-z\\-]*\) (1).*/\1/p' |
		sed 's/\\-/-/g' >"$T/see"
	bad=
	while read -r ref; do
		[ -f "$MAN/$ref.1" ] || bad="$bad $ref"
		[ "$ref" = "$pg" ] && bad="$bad $ref(itself)"
	done <"$T/see"
	expect_eq "$pg: SEE ALSO names existing pages" "$bad" ""
	if [ "$pg" = verbatim ]; then
		expect_eq "verbatim.1: SEE ALSO names every command's page" \
			"$(sort "$T/see" | tr '\n' ' ')" "$(sed 's/\.1$//' "$T/want" | grep -v '^verbatim$' | tr '\n' ' ')"
	else
		expect_grep "$pg: SEE ALSO names verbatim(1)" "$T/see" "verbatim"
		# every long option of the command's --help is in its page
		cmd=${pg#verbatim-}
		run_vb "h-$cmd" "$cmd" --help
		undoc=
		for opt in $(grep -o -- '--[a-z][a-z-]*' "$T/h-$cmd.out" | sort -u); do
			esc=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
			grep -q -- "$esc" "$page" || undoc="$undoc $opt"
		done
		expect_eq "$pg: documents every option of '$cmd --help'" "$undoc" ""
		# the options of the page are exactly those of the command's table
		# (verbatim CMD --list-options, which also builds its getopt and
		# --help): the heads of OPTIONS name each one, short and long
		run_vb "l-$cmd" "$cmd" --list-options
		awk -F'\t' '{ if ($1 != "") print $1; print $2 }' "$T/l-$cmd.out" | sort -u >"$T/tab"
		awk '/^\.SH OPTIONS/ { o = 1; next } /^\.SH/ { o = 0 } o && prev == ".TP" { print } { prev = $0 }' "$page" |
			man_options >"$T/opts"
		expect_eq "$pg: OPTIONS names exactly the options of '$cmd --list-options'" \
			"$(tr '\n' ' ' <"$T/opts")" "$(tr '\n' ' ' <"$T/tab")"
		# SYNOPSIS says [options], or names every option but -h (short or
		# long) and none other
		sed -n '/^\.SH SYNOPSIS/,/^\.SH DESCRIPTION/p' "$page" >"$T/syn"
		man_options <"$T/syn" >"$T/synopts"
		bad=
		if ! grep -q '^\.RI \[ options \]' "$T/syn"; then
			awk -F'\t' '$2 != "--help" { print ($1 == "" ? "none" : $1), $2 }' "$T/l-$cmd.out" >"$T/pairs"
			while read -r short long; do
				grep -qx -- "$long" "$T/synopts" || grep -qx -- "$short" "$T/synopts" ||
					bad="$bad $long(missing)"
			done <"$T/pairs"
		fi
		while read -r o; do grep -qx -- "$o" "$T/tab" || bad="$bad $o(no such option)"; done <"$T/synopts"
		expect_eq "$pg: SYNOPSIS agrees with the table" "$bad" ""
	fi
done
