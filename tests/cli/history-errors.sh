#!/bin/sh
# history counts the notes with errors at the revision shown as every command
# does; a rerun parses again only the notes that had errors on their own (the
# others come from .git/verbatim/history-errors.cache), and its output is the
# same bytes as a run without any cache, after edits, a duplicate id across
# folders, a fixed note, a vocabulary change and a damaged cache.
. "$(dirname "$0")/../lib.sh"

R=$T/kb
C=$R/.git/verbatim/history-errors.cache
mkdir -p "$R/calls/old"
printf 'notes: [calls]\ntags:\n  price: {label: Price}\n' >"$R/verbatim.yml"
# clean NAME DAY [EXTRA]: a note without error (EXTRA: one more front matter line)
clean() {
	printf -- '---\ndate: 2026-02-%02d\ncustomer: C-%s\ntags: [price]\n%s---\n\n# Call\n\n> "It costs too much."\n' \
		"$2" "$2" "${3:+$3
}" >"$R/calls/$1.md"
}
for i in 1 2 3 4 5 6; do clean "n$i" "$i"; done
clean "old/o1" 7
# errors on their own: an unknown outcome, a date in the future
clean bad 8 "outcome: maybe"
clean future 9
sed -i 's/^date: .*/date: 2027-05-01/' "$R/calls/future.md"
# an error across notes only: follows: names no note
clean follower 10 "follows: nobody"
commit_all "$R" "2026-02-10T10:00:00 +0000" "Calls"

files=$(find "$R/calls" -name '*.md' | wc -l | tr -d ' ')
own_errors=2 # bad, future: parsed again on every run

# step NAME: a cached run with --stats against a run without any cache
step() {
	run_vb "$1" history -C "$R" --format=json --stats
	run_vb "$1.nc" history -C "$R" --format=json --no-cache
	expect_file "$1: same bytes as a run without cache" "$T/$1.out" "$T/$1.nc.out"
}
errors_line() { grep '^history errors:' "$T/$1.err"; }
with_errors() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['notes_with_errors'])" "$T/$1.out"; }

step first
# the history's own parse checked the notes: only those with errors are
# parsed again to count them
expect_eq "first run: the history's parse checked the notes" "$(errors_line first)" \
	"history errors: $files files, $((files - own_errors)) reused, cache not read, written"
# bad, future and follower
expect_eq "first run: three notes with errors" "$(with_errors first)" "3"

step again
expect_eq "rerun: only the notes with errors of their own are parsed" "$(errors_line again)" \
	"history errors: $files files, $((files - own_errors)) reused, cache read"

# a note in another folder with the id of a cached note, before it by path:
# the cached one is the duplicate
mkdir -p "$R/calls/a"
clean a/n1 11
commit_all "$R" "2026-02-11T10:00:00 +0000" "Same id"
files=$((files + 1))
step dup
run_vb check check -C "$R" --rev HEAD
expect_eq "duplicate id: the cached note has the error" "$(with_errors dup)" "4"
cat "$T/check.out" "$T/check.err" >"$T/check.all"
expect_grep "duplicate id: as check says" "$T/check.all" "calls/n1.md:1:1: error: note id 'n1' is also the id of 'calls/a/n1.md'"
expect_eq "duplicate id: the new note checked by the history's parse" "$(errors_line dup)" \
	"history errors: $files files, $((files - own_errors)) reused, cache read, written"

# the bad note fixed: parsed once, then reused
clean bad 8
commit_all "$R" "2026-02-12T10:00:00 +0000" "Fix"
own_errors=1
step fixed
expect_eq "fixed note: one error fewer" "$(with_errors fixed)" "3"
step fixed2
expect_eq "fixed note: reused from then on" "$(errors_line fixed2)" \
	"history errors: $files files, $((files - own_errors)) reused, cache read"

# another vocabulary: the cache is not used, and rewritten
printf 'notes: [calls]\ntags:\n  price: {label: Price}\n  speed: {label: Speed}\n' >"$R/verbatim.yml"
commit_all "$R" "2026-02-13T10:00:00 +0000" "Vocabulary"
step vocab
expect_eq "vocabulary changed: every file parsed again" "$(errors_line vocab)" \
	"history errors: $files files, 0 reused, cache not read, written"

# a damaged cache (a flipped byte in the records): ignored and rewritten
size=$(wc -c <"$C" | tr -d ' ')
printf 'X' | dd of="$C" bs=1 seek=$((size - 3)) conv=notrunc 2>/dev/null
step damaged
expect_eq "damaged cache: not used, rewritten" "$(errors_line damaged)" \
	"history errors: $files files, 0 reused, cache not read, written"
step repaired
expect_eq "damaged cache: the next run reads it" "$(errors_line repaired)" \
	"history errors: $files files, $((files - own_errors)) reused, cache read"

# many notes, then one more: the file is not rewritten for one new note (at
# most 1/64 of the notes are missing from it); the runs after parse that
# one again, with the same output
mkdir -p "$R/calls/many"
for i in $(seq 1 70); do
	clean "many/m$i" $((i % 28 + 1))
	sed -i "s/^customer: .*/customer: C-m$i/" "$R/calls/many/m$i.md" # a blob each
done
commit_all "$R" "2026-02-14T10:00:00 +0000" "Many calls"
files=$((files + 70))
step many
expect_eq "many new notes: cache rewritten" "$(errors_line many)" \
	"history errors: $files files, $((files - own_errors)) reused, cache read, written"
clean "many/one-more" 15 "channel: phone" # a blob of its own
commit_all "$R" "2026-02-15T10:00:00 +0000" "One more call"
files=$((files + 1))
step onemore
expect_eq "one new note: checked by the history, the file not rewritten" "$(errors_line onemore)" \
	"history errors: $files files, $((files - own_errors)) reused, cache read"
step onemore2
expect_eq "one new note: parsed again by the next run" "$(errors_line onemore2)" \
	"history errors: $files files, $((files - own_errors - 1)) reused, cache read"

# a truncated cache
head -c 100 "$C" >"$T/short" && cp "$T/short" "$C"
step truncated
expect_eq "truncated cache: not used, rewritten" "$(errors_line truncated)" \
	"history errors: $files files, 0 reused, cache not read, written"

# --no-cache writes nothing
rm -f "$C"
run_vb nc history -C "$R" --format=json --no-cache
expect_eq "--no-cache: no errors cache written" "$([ -e "$C" ] && echo written || echo none)" "none"
