# bash completion for verbatim.  Installed by `make install` to
# $(PREFIX)/share/bash-completion/completions/verbatim.
#
# The commands and their options are read from the binary's own --help (the
# dispatcher's table and each command's usage), so the completion follows
# whatever the installed verbatim offers: commands, subcommands (hook
# install), long and short options, the values of --format, folders after
# -C and --output, files after FILE options and as PATH arguments.

# The parser of --help (see completions/facts.awk for what it prints).
# BEGIN facts.awk: written by completions/gen.sh from completions/facts.awk
_verbatim_awk='
function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
function flush(  d, n, i, parts, w) {
	if (long == "") return
	print "o\t" long "\t" short "\t" arg "\t" desc
	if (arg == "FORMAT" || arg == "FMT") {
		d = desc; gsub(/\([^)]*\)/, "", d)
		n = split(d, parts, /,| or /)
		for (i = 1; i <= n; i++) {
			w = trim(parts[i]); sub(/ .*/, "", w)
			if (w ~ /^[a-z][a-z0-9-]*$/) print "v\t" long "\t" w
		}
	}
	long = ""
}
/^commands:/ { incmd = 1; next }
incmd && /^  [a-z]/ { n = $1; $1 = ""; print "c\t" n "\t" trim($0); next }
incmd && NF == 0 { incmd = 0; next }
/^(usage: |       )verbatim / {
	flush()
	for (i = 1; i <= NF && $i != "verbatim"; i++) ;
	if ($(i + 2) ~ /^[a-z]+$/) print "s\t" $(i + 2)
	if ($0 ~ /PATH/) print "p\tfile"; else if ($0 ~ /\[DIR\]/) print "p\tdir"
	next
}
/^ +-/ {
	flush()
	n = split(trim($0), t, / +/); j = 1; short = ""; arg = ""
	if (t[j] ~ /^-[A-Za-z0-9],?$/) { short = substr(t[j], 1, 2); j++ }
	if (t[j] ~ /^--[a-z]/) {
		long = t[j]; j++
		if (long ~ /=/) { arg = long; sub(/^[^=]*=/, "", arg); sub(/=.*/, "", long) }
	} else if (short != "") { long = short; short = "" }
	if (arg == "" && t[j] ~ /^[A-Z][A-Z_]*(\.\.\.)?$/) { arg = t[j]; j++ }
	desc = ""
	for (; j <= n; j++) desc = desc (desc == "" ? "" : " ") t[j]
	next
}
long != "" && /^        +[^ -]/ { desc = desc " " trim($0); next }
{ flush() }
END { flush() }
'
# END facts.awk

# _verbatim_help BIN [CMD]: the facts of BIN's --help (or of BIN CMD --help)
_verbatim_help() {
	"$@" --help 2>/dev/null | awk "$_verbatim_awk"
}

_verbatim() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local bin=${COMP_WORDS[0]} cmd= i facts opt arg
	COMPREPLY=()
	# the command: the first word that is no option (a global -C DIR is skipped)
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-C | --dir) ((i++)) ;;
		-*) ;;
		*) cmd=${COMP_WORDS[i]} && break ;;
		esac
	done
	# --opt=value, split at '=' by COMP_WORDBREAKS or not
	opt=$prev
	if [[ $cur == "=" ]]; then
		cur=
	elif [[ $prev == "=" ]]; then
		opt=${COMP_WORDS[COMP_CWORD - 2]}
	elif [[ $cur == --*=* ]]; then
		opt=${cur%%=*} cur=${cur#*=}
	fi
	if [[ -z $cmd ]]; then
		case $opt in
		-C | --dir) COMPREPLY=($(compgen -d -- "$cur")) ;;
		*)
			if [[ $cur == -* ]]; then
				COMPREPLY=($(compgen -W "-C --dir --help --version" -- "$cur"))
			else
				COMPREPLY=($(compgen -W "$(_verbatim_help "$bin" | awk -F '\t' '$1 == "c" { print $2 }') help" -- "$cur"))
			fi
			;;
		esac
		return 0
	fi
	if [[ $cmd == help ]]; then
		COMPREPLY=($(compgen -W "$(_verbatim_help "$bin" | awk -F '\t' '$1 == "c" { print $2 }')" -- "$cur"))
		return 0
	fi
	facts=$(_verbatim_help "$bin" "$cmd")
	# the argument of an option
	if [[ $opt == -* ]]; then
		arg=$(awk -F '\t' -v o="$opt" '$1 == "o" && ($2 == o || $3 == o) { print $4; exit }' <<<"$facts")
		if [[ -n $arg ]]; then
			case $arg in
			DIR) COMPREPLY=($(compgen -d -- "$cur")) ;;
			FILE) COMPREPLY=($(compgen -f -- "$cur")) ;;
			*) COMPREPLY=($(compgen -W "$(awk -F '\t' -v o="$opt" '$1 == "v" && $2 == o { print $3 }' <<<"$facts")" -- "$cur")) ;;
			esac
			return 0
		fi
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(awk -F '\t' '$1 == "o" { print $2; if ($3 != "") print $3 }' <<<"$facts")" -- "$cur"))
		return 0
	fi
	# a subcommand (hook install), once
	local subs
	subs=$(awk -F '\t' '$1 == "s" { print $2 }' <<<"$facts")
	if [[ -n $subs && ${COMP_WORDS[COMP_CWORD - 1]} == "$cmd" ]]; then
		COMPREPLY=($(compgen -W "$subs" -- "$cur"))
		return 0
	fi
	case $(awk -F '\t' '$1 == "p" { print $2; exit }' <<<"$facts") in
	file) COMPREPLY=($(compgen -f -- "$cur")) ;;
	dir) COMPREPLY=($(compgen -d -- "$cur")) ;;
	esac
	return 0
}

complete -o filenames -o bashdefault -F _verbatim verbatim
