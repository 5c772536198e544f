#!/bin/sh
# verbatim report killed mid-way (SIGKILL at 10% and 50% of the time a whole run takes,
# on a big corpus) leaves the previous report exactly as it was; the next run replaces it.
. "$(dirname "$0")/../lib.sh"
$GEN --notes 5000 --out "$T/kb" >/dev/null 2>&1 || { notok "generate the corpus"; exit 1; }

run_vb small report -C "$FIX/report/small" -o "$T/site"
expect_eq "a first report is written" "$rc" 0
cp -R "$T/site" "$T/before"

# how long a whole run takes here (into a scratch folder), to kill the runs below mid-way
$VB report -C "$T/kb" -o "$T/timing" >/dev/null 2>&1 # warm the caches
t0=$(date +%s.%N)
$VB report -C "$T/kb" -o "$T/timing" >/dev/null 2>&1
t1=$(date +%s.%N)
rm -rf "$T/timing"
early=$(awk "BEGIN{printf \"%.2f\", ($t1 - $t0) * 0.1}")
late=$(awk "BEGIN{printf \"%.2f\", ($t1 - $t0) * 0.5}")

for delay in $early $late; do
	$VB report -C "$T/kb" -o "$T/site" >"$T/big.out" 2>&1 &
	pid=$!
	sleep $delay
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
	rc=$?
	if [ "$rc" -eq 0 ]; then
		# a fast machine finished before the kill: then the new report is whole
		expect_eq "the run that finished before $delay s wrote every note page" \
			"$(find "$T/site/notes" -name '*.html' | wc -l)" 5000
		rm -rf "$T/site" && cp -R "$T/before" "$T/site"
		continue
	fi
	expect_eq "the run killed after $delay s was killed" "$rc" 137
	if diff -r "$T/before" "$T/site" >"$T/diff" 2>&1; then ok "the run killed after $delay s left the previous report intact"; else
		notok "the run killed after $delay s left the previous report intact"; head -10 "$T/diff" | sed 's/^/#   /'; fi
done

# a live run holds a lock on its temporary folder: no other run removes it
# (its folder is the one that was not there before: the killed runs' are)
ls -d "$T"/.site.tmp-* >"$T/before-live" 2>/dev/null
$VB report -C "$T/kb" -o "$T/site" >/dev/null 2>&1 &
pid=$!
live=
for i in $(seq 100); do
	live=$(ls -d "$T"/.site.tmp-* 2>/dev/null | grep -vxF -f "$T/before-live" | head -1)
	[ -n "$live" ] && break
	sleep 0.05
done
# (the folder exists a moment before its lock is taken, and is renamed away
# at the end: the lock must be seen held while the run lives)
if [ -n "$live" ] && kill -0 $pid 2>/dev/null; then
	seen=free
	for i in $(seq 40); do
		[ -d "$live" ] && kill -0 $pid 2>/dev/null || break
		flock -n "$live" true || { seen=held; break; }
		sleep 0.05
	done
	expect_eq "a live run's temporary folder is locked" "$seen" held
fi
kill -KILL $pid 2>/dev/null
wait $pid 2>/dev/null
left=$(ls -d "$T"/.site.tmp-* 2>/dev/null | wc -l)
run_vb again report -C "$T/kb" -o "$T/site"
expect_eq "the next run succeeds" "$rc" 0
# what the killed runs left is removed (in the background) by the next run
for i in $(seq 200); do [ "$(ls -d "$T"/.site.tmp-* "$T"/.site.old-* 2>/dev/null | wc -l)" = 0 ] && break; sleep 0.1; done
expect_eq "the killed runs' $left temporary folders are removed by the next run" \
	"$(ls -d "$T"/.site.tmp-* "$T"/.site.old-* 2>/dev/null | wc -l)" 0
expect_eq "the next run replaces the report" "$(cat "$T/again.out")" "wrote $T/site: 5000 notes, $(grep -o '[0-9]* themes' "$T/again.out" | head -1)"
expect_eq "the new report has every note page" "$(find "$T/site/notes" -name '*.html' | wc -l)" 5000
python3 "$VB_TOP/tests/check_html.py" "$T/site" >"$T/check.out" 2>&1
expect_eq "the big report's pages are well-formed" "$(tail -1 "$T/check.out" | sed 's/checked [0-9]* pages: //')" "0 problems"

# pages longer than the 256 KB held in memory are written in pieces: whole, and
# linked from the previous report when unchanged, like any page
# (a segment's calls are paged, 50 a page: together its pages list every call)
expect_eq "the buyer segment's pages list every buyer call" \
	"$(cat "$T/site/segments/"buyer-*.html | grep -o 'href="\.\./notes/' | wc -l)" \
	"$(grep -rl '^segment: buyer' "$T/kb/calls" | wc -l)"
page="$T/site/jobs.html"
size=$(wc -c <"$page")
expect_eq "the jobs page is long enough to be written in pieces" "$([ "$size" -gt 262144 ] && echo yes)" yes
expect_eq "the long page is whole" "$(tail -c 8 "$page" | tr -d '\n')" "</html>"
cp "$page" "$T/long.before"
ino=$(stat -c %i "$page")
run_vb rerun report -C "$T/kb" -o "$T/site"
expect_eq "a rerun keeps the long page's bytes" "$(cmp "$T/long.before" "$page" && echo same)" same
expect_eq "a rerun links the unchanged long page" "$(stat -c %i "$page")" "$ino"
