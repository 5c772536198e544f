#!/bin/sh
# verbatim history over a scripted git history with fixed dates: notes added,
# retagged, moved, deleted, a merge, a theme renamed (old key kept as alias),
# commits at Sunday 23:59:59, Monday 00:00:00 UTC and at +0200; the cache.
. "$(dirname "$0")/../lib.sh"

R=$T/kb
git init -q -b main "$R"
git -C "$R" config user.name "Pat Example"
git -C "$R" config user.email pat@example.com
mkdir -p "$R/calls"

note() { # file date customer tags...
	f=$1; d=$2; c=$3; shift 3
	printf -- '---\ndate: %s\ncustomer: %s\ntags: [%s]\n---\n\n# Call\n' "$d" "$c" "$(echo "$*" | sed 's/ /, /g')" >"$R/calls/$f"
}
commit() { # "date" message
	GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" git -C "$R" commit -q -m "$2"
}
vocab1() {
	printf 'notes: [calls]\ntags:\n  price: {label: Price}\n  shipping: {label: Shipping}\n  checkout-friction: {label: Checkout}\n' >"$R/verbatim.yml"
}
vocab2() {
	printf 'notes: [calls]\ntags:\n  price: {label: Price}\n  shipping: {label: Shipping}\n  checkout-hassle: {label: Checkout, aliases: [checkout-friction]}\n' >"$R/verbatim.yml"
}

vocab1
note a.md 2026-01-05 C-1 price checkout-friction
git -C "$R" add -A && commit "2026-01-05T10:00:00 +0000" "Calls of Monday"
note b.md 2026-01-09 C-2 price
git -C "$R" add -A && commit "2026-01-11T23:59:59 +0000" "Sunday night call"
note c.md 2026-01-12 C-3 shipping checkout-friction
git -C "$R" add -A && commit "2026-01-12T00:00:00 +0000" "Monday midnight call"
note b.md 2026-01-09 C-2 shipping
git -C "$R" add -A && commit "2026-01-19T01:30:00 +0200" "Retag b"
mkdir -p "$R/calls/2026" && git -C "$R" mv calls/a.md calls/2026/a.md && commit "2026-01-20T10:00:00 +0000" "Archive a"
git -C "$R" checkout -q -b side
note d.md 2026-01-21 C-4 price
git -C "$R" add -A && commit "2026-01-21T10:00:00 +0000" "Side call"
git -C "$R" checkout -q main
git -C "$R" rm -q calls/c.md && commit "2026-01-22T10:00:00 +0000" "Remove c"
GIT_AUTHOR_DATE="2026-01-23T10:00:00 +0000" GIT_COMMITTER_DATE="2026-01-23T10:00:00 +0000" git -C "$R" merge -q --no-ff -m "Merge side" side
vocab2
printf -- '---\ndate: 2026-01-05\ncustomer: C-1\ntags: [price, checkout-hassle]\n---\n\n# Call\n' >"$R/calls/2026/a.md"
git -C "$R" add -A && commit "2026-01-27T10:00:00 +0000" "Rename theme checkout-friction to checkout-hassle"

run_vb full history -C "$R" --format=json --no-cache
expect_eq "history json exits 0" "$rc" 0
q() { python3 -c "import json,sys; h=json.load(open(sys.argv[1])); print($2)" "$1"; }
J=$T/full.out
expect_eq "weeks are W02..W05" "$(q $J "' '.join(h['weeks'])")" "2026-W02 2026-W03 2026-W04 2026-W05"
th() { q $J "[t for t in h['themes'] if t['key']=='$1'][0]$2"; }
expect_eq "themes (one series for the renamed tag)" "$(q $J "' '.join(t['key'] for t in h['themes'])")" "checkout-hassle price shipping"
expect_eq "price by commit week (Sun 23:59:59 in W02, +0200 retag in W03, merge in W04)" "$(th price "['by_commit']")" "[2, 1, 2, 2]"
expect_eq "shipping by commit week" "$(th shipping "['by_commit']")" "[0, 2, 1, 1]"
expect_eq "checkout-hassle by commit week: continuous across the rename" "$(th checkout-hassle "['by_commit']")" "[1, 2, 1, 1]"
expect_eq "price by call week" "$(th price "['by_call']")" "[1, 0, 1, 0]"
expect_eq "conversations by call week" "$(q $J "h['conversations_by_call']")" "[2, 0, 1, 0]"
expect_eq "notes by commit week" "$(q $J "h['notes_by_commit']")" "[2, 3, 3, 3]"
expect_eq "price changes: added, added, untagged (retag), added (merge)" \
	"$(th price "['changes']" | python3 -c "import sys,ast; print([(c['date'][:10],c['added'],c['removed'],c['tagged'],c['untagged']) for c in ast.literal_eval(sys.stdin.read())])")" \
	"[('2026-01-05', 1, 0, 0, 0), ('2026-01-11', 1, 0, 0, 0), ('2026-01-18', 0, 0, 0, 1), ('2026-01-23', 1, 0, 0, 0)]"
expect_eq "shipping removed by the delete commit" "$(th shipping "['changes'][-1]['removed']")" "1"
expect_eq "rename from verbatim.yml and notes" \
	"$(th checkout-hassle "['renames']" | python3 -c "import sys,ast; print([(r['from'],r['to'],r['commit']['subject'],r['in_vocab'],r['in_notes']) for r in ast.literal_eval(sys.stdin.read())])")" \
	"[('checkout-friction', 'checkout-hassle', 'Rename theme checkout-friction to checkout-hassle', True, True)]"
expect_eq "first commit and first call of shipping" "$(th shipping "['first_commit']['subject']"), $(th shipping "['first_call']")" \
	"Monday midnight call, {'id': 'b', 'date': '2026-01-09'}"
expect_nogrep "no author email" "$J" "example.com"

# the cache: same bytes, then only the new commit is processed
run_vb c1 history -C "$R" --format=json --stats
run_vb c2 history -C "$R" --format=json --stats
expect_file "first cached run equals the uncached run" "$T/c1.out" "$J"
expect_file "second cached run equals the uncached run" "$T/c2.out" "$J"
expect_grep "second run reads the cache, processes nothing" "$T/c2.err" "history stats: 8 commits, 0 processed, 6 blobs, 0 parsed, cache read"
expect_eq "caches live in the git dir" "$(ls "$R/.git/verbatim" | tr '\n' ' ')" "history-errors.cache history.cache "
note e.md 2026-01-28 C-5 price
git -C "$R" add -A && commit "2026-01-28T10:00:00 +0000" "One more call"
run_vb c3 history -C "$R" --format=json --stats
run_vb c4 history -C "$R" --format=json --no-cache
expect_grep "after one commit only it is processed" "$T/c3.err" "history stats: 9 commits, 1 processed, 7 blobs, 1 parsed, cache read, written"
expect_file "incremental run equals a full run" "$T/c3.out" "$T/c4.out"
printf 'verbatim history cache\ngarbage' >"$R/.git/verbatim/history.cache"
run_vb c5 history -C "$R" --format=json --stats
expect_file "a damaged cache is rebuilt" "$T/c5.out" "$T/c4.out"
expect_eq "damaged cache: exit 0" "$rc" 0
head -c 300 "$T/c4.out" >/dev/null
dd if=/dev/zero of="$R/.git/verbatim/history.cache" bs=1 count=8 seek=100 conv=notrunc 2>/dev/null
run_vb c6 history -C "$R" --format=json
expect_file "a corrupted cache (checksum) is rebuilt" "$T/c6.out" "$T/c4.out"

# as of an older revision: the series end at its week
run_vb old history -C "$R" --rev main~2 --format=json --no-cache
expect_eq "--rev main~2 ends at W04" "$(q $T/old.out "h['weeks'][-1]")" "2026-W04"

# one note: added, retagged; moved notes followed
run_vb nb history -C "$R" --note b
expect_eq "--note b" "$(cut -d' ' -f3- "$T/nb.out")" "added   calls/b.md +price  # Sunday night call
edited  calls/b.md +shipping -price  # Retag b"
run_vb na history -C "$R" --note a --format=json
expect_eq "--note a follows the move" "$(q $T/na.out "[(e['kind'], e['path'], e['old_path']) for e in h['events']]")" \
	"[('added', 'calls/a.md', None), ('moved', 'calls/2026/a.md', 'calls/a.md'), ('edited', 'calls/2026/a.md', None)]"

# text output
run_vb txt history -C "$R" --weeks 4 --no-cache
expect_grep "text line with sparkline and rename" "$T/txt.out" "checkout-hassle          first seen 2026-01-05      1 notes  new     ▄█▄▄  renamed checkout-friction -> checkout-hassle (2026-01-27"

# bare and shallow clones
git clone -q --bare "$R" "$T/bare.git"
run_vb bare history -C "$T/bare.git" --format=json
expect_file "bare repository: same history" "$T/bare.out" "$T/c4.out"
# trees read from a pack (deltified), not from loose objects
git clone -q --bare --no-local "$R" "$T/packed.git"
git -C "$T/packed.git" repack -q -a -d -f --depth=50 --window=50
expect_eq "packed clone: no loose objects" "$(git -C "$T/packed.git" count-objects -v | sed -n 's/^count: //p')" 0
run_vb packed history -C "$T/packed.git" --format=json --no-cache
expect_file "packed repository: same history" "$T/packed.out" "$T/c4.out"
git clone -q --depth 3 "file://$R" "$T/shallow"
run_vb sh history -C "$T/shallow" --format=json
expect_eq "shallow: told once" "$(grep -c 'history starts at the shallow boundary' "$T/sh.err")" 1
expect_eq "shallow: 3 commits" "$(q $T/sh.out "h['commits']")" 3

# no repository
mkdir "$T/empty"
run_vb none history -C "$T/empty"
expect_eq "no repository: exit 2" "$rc" 2
expect_grep "no repository: says so" "$T/none.err" "no git repository"
run_vb bad history -C "$R" nosuchtheme
expect_eq "unknown theme: exit 2" "$rc" 2
