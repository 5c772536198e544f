# fish completion for verbatim.  Installed by `make install` to
# $(PREFIX)/share/fish/vendor_completions.d/verbatim.fish.
#
# The commands and their options are read from the binary's own --help (the
# dispatcher's table and each command's usage) with completions/facts.awk,
# so the completion follows whatever the installed verbatim offers.

# BEGIN facts.awk: written by completions/gen.sh from completions/facts.awk
set -g __verbatim_awk '
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

# __verbatim_facts [CMD]: the facts of `verbatim [CMD] --help`, one per line
# (see completions/facts.awk).
function __verbatim_facts
    set -l bin (commandline -opc)[1]
    test -n "$bin"; or set bin verbatim
    $bin $argv --help 2>/dev/null | awk $__verbatim_awk
end

# The command on the line: the first word after verbatim that is no option
# (a global -C DIR is skipped); nothing while it is being typed.
function __verbatim_command
    set -l words (commandline -opc)
    set -l i 2
    while test $i -le (count $words)
        switch $words[$i]
            case -C --dir
                set i (math $i + 1)
            case '-*'
            case '*'
                echo $words[$i]
                return 0
        end
        set i (math $i + 1)
    end
    return 1
end

function __verbatim_no_command
    not __verbatim_command >/dev/null
end

# Completions of the current token for the command on the line.
function __verbatim_complete
    set -l cmd (__verbatim_command)
    or return
    if test "$cmd" = help
        __verbatim_facts | awk -F '\t' '$1 == "c" { print $2 "\t" $3 }'
        return
    end
    set -l facts (__verbatim_facts $cmd)
    set -l words (commandline -opc)
    set -l token (commandline -ct)
    set -l prev $words[-1]
    # --opt=value: the value of the option before '='
    if string match -q -- '--*=*' $token
        set -l opt (string replace -r -- '=.*' '' $token)
        for v in (printf '%s\n' $facts | awk -F '\t' -v o=$opt '$1 == "v" && $2 == o { print $3 }')
            echo "$opt=$v"
        end
        return
    end
    # the argument of an option
    set -l arg (printf '%s\n' $facts | awk -F '\t' -v o=$prev '$1 == "o" && ($2 == o || $3 == o) { print $4; exit }')
    if test -n "$arg"
        switch $arg
            case DIR
                __fish_complete_directories $token
            case FILE
                __fish_complete_path $token
            case '*'
                printf '%s\n' $facts | awk -F '\t' -v o=$prev '$1 == "v" && $2 == o { print $3 }'
        end
        return
    end
    if string match -q -- '-*' $token
        printf '%s\n' $facts | awk -F '\t' '$1 == "o" { print $2 "\t" $5; if ($3 != "") print $3 "\t" $5 }'
        return
    end
    set -l subs (printf '%s\n' $facts | awk -F '\t' '$1 == "s" { print $2 }')
    if test -n "$subs"; and test "$prev" = "$cmd"
        printf '%s\n' $subs
        return
    end
    switch (printf '%s\n' $facts | awk -F '\t' '$1 == "p" { print $2; exit }')
        case file
            __fish_complete_path $token
        case dir
            __fish_complete_directories $token
    end
end

complete -c verbatim -f
complete -c verbatim -n __verbatim_no_command -a '(__verbatim_facts | awk -F "\t" \'$1 == "c" { print $2 "\t" $3 }\')'
complete -c verbatim -n __verbatim_no_command -a help -d "show a command's options"
complete -c verbatim -n __verbatim_no_command -s C -l dir -r -a '(__fish_complete_directories)' -d 'the knowledge base'
complete -c verbatim -n __verbatim_no_command -l help -d 'the commands'
complete -c verbatim -n __verbatim_no_command -l version -d 'the version'
complete -c verbatim -n __verbatim_command -a '(__verbatim_complete)'
