#!/bin/sh
# The history cache file is append-only: reruns append one segment, a torn or
# damaged end is ignored and repaired, a rewritten history appends correctly,
# concurrent runs do not corrupt it, an old format is rebuilt.  Every output
# equals the uncached one.
. "$(dirname "$0")/../lib.sh"

R=$T/kb
C=$R/.git/verbatim/history.cache
git init -q -b main "$R"
mkdir -p "$R/calls"
printf 'notes: [calls]\ntags:\n  price: {label: Price}\n  shipping: {label: Shipping}\n' >"$R/verbatim.yml"
n=0
# add_call: one new note in one new commit, a day later each time
add_call() {
	n=$((n + 1))
	d=$(printf '2026-02-%02d' "$n")
	printf -- '---\ndate: %s\ncustomer: C-%s\ntags: [%s]\n---\n\n# Call\n' "$d" "$n" \
		"$([ $((n % 2)) = 0 ] && echo price || echo shipping)" >"$R/calls/c$n.md"
	git -C "$R" add -A
	GIT_AUTHOR_DATE="${d}T10:00:00 +0000" GIT_COMMITTER_DATE="${d}T10:00:00 +0000" \
		git -C "$R" -c user.name=Pat -c user.email=p@example.com commit -q -m "Call $n$suffix"
}
suffix=
size() { wc -c <"$C" | tr -d ' '; }
# history_stats FILE: the history's --stats line (without the errors count's)
history_stats() { cat "$@" | grep -v '^history errors:'; }
# same_as_uncached WHAT: a cached run ($1.out) against --no-cache
same_as_uncached() {
	run_vb nc history -C "$R" --format=json --no-cache
	expect_file "$1: same bytes as --no-cache" "$T/$2.out" "$T/nc.out"
}

# a first commit large enough for a few appended segments before a rewrite
mkdir -p "$R/calls/old"
for i in $(seq 1 80); do
	printf -- '---\ndate: 2026-01-0%s\ncustomer: C-%s\ntags: [price]\n---\n\n# Call\n' $((i % 9 + 1)) "$i" >"$R/calls/old/n$i.md"
done
for i in 1 2 3 4 5; do add_call; done
run_vb r1 history -C "$R" --format=json --stats
same_as_uncached "first run" r1
expect_eq "first run: no note" "$(history_stats "$T/r1.err")" "history stats: 5 commits, 5 processed, 85 blobs, 85 parsed, cache not read, written"

# run, commit, run, commit, run: each rerun appends; the bytes before stay
for i in 2 3 4; do
	before=$(size)
	cp "$C" "$T/before.cache"
	add_call
	run_vb r$i history -C "$R" --format=json --stats
	same_as_uncached "append $i" r$i
	expect_eq "append $i: one commit processed, cache appended" "$(history_stats "$T/r$i.err")" \
		"history stats: $((i + 4)) commits, 1 processed, $((i + 84)) blobs, 1 parsed, cache read, written"
	expect_eq "append $i: the old bytes are unchanged, new ones after" \
		"$(cmp -n "$before" "$C" "$T/before.cache" && echo same) $([ "$(size)" -gt "$before" ] && echo grown)" "same grown"
done
run_vb r5 history -C "$R" --format=json --stats
same_as_uncached "after appends, nothing new" r5
expect_eq "nothing new: nothing written" "$(history_stats "$T/r5.err")" \
	"history stats: 8 commits, 0 processed, 88 blobs, 0 parsed, cache read"

# a torn end (a crash mid-append): the valid segments are used, the end is
# rewritten by the next append
whole=$(size)
add_call
run_vb t0 history -C "$R" --format=json
appended=$(size)
truncate -s $((appended - 5)) "$C"
run_vb t1 history -C "$R" --format=json --stats
same_as_uncached "torn end" t1
expect_eq "torn end: told once, the lost commit processed again" "$(history_stats "$T/t1.err")" \
	"$C: note: the end of the history cache is damaged (an interrupted run?); repairing it [cache]
history stats: 9 commits, 1 processed, 89 blobs, 1 parsed, cache read, written"
expect_eq "torn end: repaired to the same size" "$(size)" "$appended"
run_vb t2 history -C "$R" --format=json --stats
expect_eq "torn end: the next run reads it whole" "$(history_stats "$T/t2.err")" \
	"history stats: 9 commits, 0 processed, 89 blobs, 0 parsed, cache read"

# a flipped byte in the last segment: its checksum fails
python3 -c "
import sys
f = open(sys.argv[1], 'r+b'); f.seek(-12, 2); b = f.read(1); f.seek(-12, 2); f.write(bytes([b[0] ^ 0x10]))
" "$C"
run_vb f1 history -C "$R" --format=json --stats
same_as_uncached "flipped byte" f1
expect_eq "flipped byte: told once, repaired" "$(history_stats "$T/f1.err")" \
	"$C: note: the end of the history cache is damaged (an interrupted run?); repairing it [cache]
history stats: 9 commits, 1 processed, 89 blobs, 1 parsed, cache read, written"
run_vb f2 history -C "$R" --format=json --stats
expect_eq "flipped byte: the next run reads it whole" "$(history_stats "$T/f2.err")" \
	"history stats: 9 commits, 0 processed, 89 blobs, 0 parsed, cache read"
expect_eq "flipped byte: the file is the same as before" "$(size) $whole" "$appended $whole"

# a rewritten history: two commits dropped, a new one on top
git -C "$R" reset -q --hard HEAD~2
n=$((n - 2))
before=$(size)
cp "$C" "$T/before.cache"
suffix=" again"
add_call
run_vb w1 history -C "$R" --format=json --stats
same_as_uncached "reset --hard HEAD~2, one new commit" w1
expect_eq "rewritten history: only the new commit processed (its note blob was seen before)" "$(history_stats "$T/w1.err")" \
	"history stats: 8 commits, 1 processed, 89 blobs, 0 parsed, cache read, written"
expect_eq "rewritten history: appended" "$(cmp -n "$before" "$C" "$T/before.cache" && echo same)" same
run_vb w2 history -C "$R" --format=json --stats
same_as_uncached "rewritten history, rerun" w2
expect_eq "rewritten history: the next run reads it whole" "$(history_stats "$T/w2.err")" \
	"history stats: 8 commits, 0 processed, 89 blobs, 0 parsed, cache read"
# dropped only: the cache records that the commits are gone
git -C "$R" reset -q --hard HEAD~1
run_vb w3 history -C "$R" --format=json --stats
same_as_uncached "reset --hard HEAD~1 only" w3
expect_eq "dropped commits: nothing processed, the cache is appended" "$(history_stats "$T/w3.err")" \
	"history stats: 7 commits, 0 processed, 89 blobs, 0 parsed, cache read, written"
run_vb w4 history -C "$R" --format=json --stats
expect_eq "dropped commits: the next run reads it whole" "$(history_stats "$T/w4.err")" \
	"history stats: 7 commits, 0 processed, 89 blobs, 0 parsed, cache read"
n=$((n - 1))

# concurrent runs (the notes of rounds 1 and 2 were seen before the resets):
# both see the new commit, one appends, the other finds the
# file grown and leaves it; a third run reads it whole and processes nothing
for round in 1 2 3; do
	add_call
	$VB history -C "$R" --format=json >"$T/p1.out" 2>"$T/p1.err" &
	p1=$!
	$VB history -C "$R" --format=json >"$T/p2.out" 2>"$T/p2.err" &
	p2=$!
	wait $p1
	wait $p2
	run_vb p3 history -C "$R" --format=json --stats
	same_as_uncached "concurrent round $round: run 1" p1
	same_as_uncached "concurrent round $round: run 2" p2
	same_as_uncached "concurrent round $round: the run after" p3
	expect_eq "concurrent round $round: no note from either run" "$(history_stats "$T/p1.err" "$T/p2.err")" ""
	expect_eq "concurrent round $round: the run after reads the cache whole, no note" "$(history_stats "$T/p3.err")" \
		"history stats: $((7 + round)) commits, 0 processed, $((round < 3 ? 89 : 90)) blobs, 0 parsed, cache read"
done

# the old format (version 2): rebuilt, told once
printf 'verbatim history cache\n\002\000\000\000' >"$C"
head -c 4000 /dev/zero >>"$C"
run_vb o1 history -C "$R" --format=json --stats
same_as_uncached "old format" o1
expect_eq "old format: rebuilt, told once" "$(history_stats "$T/o1.err")" \
	"$C: note: the history cache is stale or damaged; rebuilding it [cache]
history stats: 10 commits, 10 processed, 90 blobs, 90 parsed, cache not read, written"
run_vb o2 history -C "$R" --format=json --stats
expect_eq "old format: the next run reads the new one" "$(history_stats "$T/o2.err")" \
	"history stats: 10 commits, 0 processed, 90 blobs, 0 parsed, cache read"
