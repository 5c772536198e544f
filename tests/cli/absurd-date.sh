#!/bin/sh
# One note with an absurd date (9999-12-31; 1900-01-01 and 0001-01-01, before
# 1970) is a note with errors: it never sets the as-of date, and the report
# and stats on the aggregation fixture plus that note finish at once, with
# the same as-of date, the same weeks and pages no larger than without it
# (but for its own page).  A valid but old date (1980) stays in the totals
# and the weekly series reach VB_MAX_WEEKS (520) weeks back at most.  The
# history of a git repository with a note dated 0001-01-01 has no more weeks.
. "$(dirname "$0")/../lib.sh"

K=$T/kb
cp -R "$FIX/agg/kb" "$K"

# site SITE OUT: "page bytes" per page, sorted (the site's own files only)
sizes() {
	(cd "$1" && find . -type f -name '*.html' -exec wc -c {} + | grep -v ' total$' |
		awk '{ print $2, $1 }' | sort) >"$2"
}
facts() { # data.json stats.json: as-of, weeks and the first week, of both
	python3 -c 'import json,sys
d=json.load(open(sys.argv[1])); s=json.load(open(sys.argv[2]))
print(d["as_of"], len(d["weeks"]), d["weeks"][0], s["as_of"], s["week"])' "$1" "$2"
}

run_vb base report -C "$K" -o "$T/base" --json --no-history
expect_eq "report without the note: exit 0" "$rc" 0
run_vb basest stats -C "$K" --format=json
sizes "$T/base" "$T/base.sizes"
base=$(facts "$T/base/data.json" "$T/basest.out")

for date in 9999-12-31 1900-01-01 0001-01-01; do
	f=$K/calls/2026/2026-11-01-absurd.md
	printf -- '---\ndate: %s\nsegment: buyer\ncustomer: C-99\n---\n\n# Call\n\n> "It did not fit" #fit-uncertainty\n' "$date" >"$f"
	run_vb chk check -C "$K" calls/2026/2026-11-01-absurd.md
	expect_grep "$date: check reports a date error" "$T/chk.err" "calls/2026/2026-11-01-absurd.md:2:7: error: date '$date' is "
	start=$(date +%s)
	timeout 300 $VB report -C "$K" -o "$T/s-$date" --json --no-history >"$T/rep.out" 2>&1
	rc=$?
	expect_eq "$date: report exits 0" "$rc" 0
	run_vb st stats -C "$K" --format=json
	expect_eq "$date: stats exits 0" "$rc" 0
	took=$(($(date +%s) - start))
	expect_eq "$date: report and stats finish in seconds" "$([ "$took" -lt 60 ] && echo yes)" yes
	expect_eq "$date: the same as-of date and weeks in the report and stats" \
		"$(facts "$T/s-$date/data.json" "$T/st.out")" "$base"
	sizes "$T/s-$date" "$T/new.sizes"
	# every page of the site without the note, no more than 1 KiB larger
	# (the notice of one more note with errors); one page more: the note's
	grown=$(join "$T/base.sizes" "$T/new.sizes" | awk '$3 > $2 + 1024 { print $1 }')
	expect_eq "$date: no page grows" "$grown" ""
	expect_eq "$date: one page more (the note's own)" \
		"$(join -v 2 "$T/base.sizes" "$T/new.sizes" | awk '{ print $1 }' | sed 's,.*/,,; s,-[0-9a-f]*\.html$,,')" \
		"2026-11-01-absurd"
	rm -f "$f"
done

# valid dates long ago: a note more than VB_MAX_WEEKS (520) weeks before the
# as-of week counts in the totals, in no week; one within them starts the
# weekly series at its week
weeks_attempts() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["weeks"]), d["weeks"][0], d["totals"]["attempts"])' "$1"
}
base_attempts=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["totals"]["attempts"])' "$T/base/data.json")
base_weeks=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["weeks"]))' "$T/base/data.json")
printf -- '---\ndate: 1980-06-02\nsegment: buyer\ncustomer: C-98\n---\n\n# Call\n\n> "It did not fit" #fit-uncertainty\n' >"$K/calls/2026/2026-11-01-old.md"
run_vb old report -C "$K" -o "$T/old" --json --no-history
expect_eq "1980: report exits 0" "$rc" 0
expect_eq "1980: no week more, the note counts in the totals" \
	"$(weeks_attempts "$T/old/data.json")" "$base_weeks 2026-W28 $((base_attempts + 1))"
rm -f "$K/calls/2026/2026-11-01-old.md"
# 2016-12-05 is a Monday: 519 weeks before 2026-W47's Monday (2026-11-16)
printf -- '---\ndate: 2016-12-05\nsegment: buyer\ncustomer: C-98\n---\n\n# Call\n\n> "It did not fit" #fit-uncertainty\n' >"$K/calls/2026/2026-11-01-old.md"
run_vb old2 report -C "$K" -o "$T/old2" --json --no-history
expect_eq "2016: the weekly series start at its week, 520 weeks" \
	"$(weeks_attempts "$T/old2/data.json")" "520 2016-W49 $((base_attempts + 1))"

# history: a note dated 0001-01-01 (a date error) adds no week either
rm -f "$K/calls/2026/2026-11-01-old.md"
R=$T/repo
cp -R "$K" "$R"
commit_all "$R" 2026-11-17T12:00:00Z notes
hweeks() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["as_of"], len(d["weeks"]))' "$1"; }
run_vb h0 history -C "$R" --format=json --no-cache
h0=$(hweeks "$T/h0.out")
printf -- '---\ndate: 0001-01-01\nsegment: buyer\ncustomer: C-99\n---\n\n# Call\n\n> "It did not fit" #fit-uncertainty\n' >"$R/calls/2026/2026-11-01-absurd.md"
commit_all "$R" 2026-11-17T13:00:00Z absurd
run_vb h1 history -C "$R" --format=json --no-cache
expect_eq "history: exit 0" "$rc" 0
expect_eq "0001-01-01: history has the same as-of date and weeks" "$(hweeks "$T/h1.out")" "$h0"
