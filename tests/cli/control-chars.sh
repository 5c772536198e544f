#!/bin/sh
# Control characters from file names, notes and verbatim.yml never reach the
# terminal raw: every text output writes them as \n, \r, \t or \xHH, as TSV
# and diagnostics do (issue 18, item 8).  A note file is named with a newline
# and an escape sequence; a segment label has an escape sequence.
. "$(dirname "$0")/../lib.sh"

esc=$(printf '\033')
nl='
'
cp -R "$FIX/phrases" "$T/kb"
# a label with ESC (YAML's \e) and a note named with a newline and ESC [31m
sed 's/buyer: {label: Recent buyers}/buyer: {label: "Recent \\e[31mbuyers"}/' "$FIX/phrases/verbatim.yml" >"$T/kb/verbatim.yml"
bad="2026-02-11-c00006${nl}${esc}[31mred-buyer"
sed -e 's/C-00001/C-00006/g' -e 's/2026-01-05/2026-02-11/' -e 's/#sizing/#sizing #pricee/' \
	-e "s/my wide feet/my wide${esc}[2J feet/" \
	"$FIX/phrases/calls/2026-01-05-c00001-buyer.md" >"$T/kb/calls/$bad.md"
shown='calls/2026-02-11-c00006\n\x1b[31mred-buyer.md'

# raw: no ESC byte, and no line that starts with what followed the newline
raw() { # WHAT FILE...
	what=$1; shift
	if cat "$@" | grep -q -e "$esc" -e '^\\x1b\[31mred' -e '^\[31mred'; then
		notok "$what: no raw control character"; cat "$@" | od -c | head -5 | sed 's/^/#   /'
	else ok "$what: no raw control character"; fi
}

run_vb check check -C "$T/kb"
expect_eq "check: exit 1 (the unknown tag)" "$rc" 1
expect_grep "check: the path escaped" "$T/check.err" "$shown:12:"
raw "check" "$T/check.out" "$T/check.err"

run_vb index index -C "$T/kb" -o "$T/idx${esc}[31m"
expect_eq "index: exit 0" "$rc" 0
expect_grep "index: the path it wrote, escaped" "$T/index.out" "wrote $T/idx\x1b[31m"
raw "index" "$T/index.out" "$T/index.err"

run_vb phrases phrases -C "$T/kb" --index "$T/idx${esc}[31m" wide feet
expect_eq "phrases: exit 0" "$rc" 0
expect_grep "phrases: the hit's path escaped" "$T/phrases.out" "$shown:"

raw "phrases (search)" "$T/phrases.out" "$T/phrases.err"
run_vb tsv phrases -C "$T/kb" --index "$T/idx${esc}[31m" --format tsv wide feet
expect_grep "phrases --format tsv: escaped as before" "$T/tsv.out" "calls/2026-02-11-c00006\n"

run_vb stats stats -C "$T/kb" --as-of 2026-02-12
expect_eq "stats: exit 0" "$rc" 0
expect_grep "stats: the label escaped" "$T/stats.out" 'Recent \x1b[31mbuyers'
raw "stats" "$T/stats.out" "$T/stats.err"

run_vb report report -C "$T/kb" -o "$T/site${esc}[31m" --no-history
expect_eq "report: exit 0" "$rc" 0
expect_grep "report: the folder it wrote, escaped" "$T/report.out" "wrote $T/site\x1b[31m:"
raw "report" "$T/report.out" "$T/report.err"

# history: the note's path in its events
(cd "$T/kb" && git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm "add${esc}[31m notes") >/dev/null 2>&1
run_vb history history -C "$T/kb" --note "2026-02-11-c00006${nl}${esc}[31mred-buyer"
expect_eq "history --note: exit 0" "$rc" 0
expect_grep "history: the path and the subject escaped" "$T/history.out" "$shown +fit-uncertainty +shipping-cost  # add\x1b[31m notes"
raw "history" "$T/history.out" "$T/history.err"

# new: the path it made
mkdir "$T/kb2${esc}[31m" && cp "$T/kb/verbatim.yml" "$T/kb2${esc}[31m/" && mkdir "$T/kb2${esc}[31m/calls"
run_vb new new -C "$T/kb2${esc}[31m" -s buyer -c C-7 --date 2026-02-12
expect_eq "new: exit 0" "$rc" 0
expect_grep "new: the path escaped" "$T/new.out" "$T/kb2\x1b[31m/calls/2026/2026-02-12-c7-buyer.md"
raw "new" "$T/new.out" "$T/new.err"

# C1 controls (U+009B is CSI to some terminals) as their UTF-8 bytes; other Unicode kept
csi=$(printf '\302\233')
run_vb c1 index -C "$T/kb" -o "$T/idx-${csi}-café"
expect_grep "C1 control escaped, other Unicode kept" "$T/c1.out" "wrote $T/idx-\xc2\x9b-café"

# check --format=github: GitHub's escapes for CR and LF, the others as in text
run_vb gh check -C "$T/kb" --format=github
expect_grep "check --format=github: the path escaped" "$T/gh.out" "file=calls/2026-02-11-c00006%0A\x1b[31mred-buyer.md"
raw "check --format=github" "$T/gh.out" "$T/gh.err"
