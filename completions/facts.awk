# The parser of the shell completions: reads `verbatim --help` or
# `verbatim CMD --help` and prints one line per fact, fields separated by TAB:
#   c NAME SUMMARY          a command (from verbatim --help)
#   o LONG SHORT ARG DESC   an option; SHORT and ARG may be empty
#   v LONG VALUE            a value of an option (--format's)
#   s WORD                  a subcommand (verbatim hook install)
#   p KIND                  the positional arguments: file or dir
# completions/gen.sh copies it into verbatim.bash, _verbatim and
# verbatim.fish (each must stand alone), inside single quotes: no ' here.
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
