#!/bin/sh
# Best quotes first and long lists paged (issue 21, item 1): a theme page opens
# with its three best quotes (different customers, no near-duplicates), then
# its quotes newest first, near-duplicates folded, 50 a page; a segment's calls
# in date order, newest first, across folders, 50 a page.
. "$(dirname "$0")/../lib.sh"

# 120 distinct quotes of one theme, one a day, the newest last by path
mkdir -p "$T/kb/calls"
printf 'notes: [calls]\ntags:\n  price: {label: Price}\n' >"$T/kb/verbatim.yml"
python3 - "$T/kb/calls" <<'PY'
import datetime, sys
for i in range(1, 121):
    d = datetime.date(2026, 1, 1) + datetime.timedelta(days=i)
    with open(f"{sys.argv[1]}/n{i:03d}.md", "w") as f:
        f.write(f"---\ndate: {d}\ncustomer: C-{i}\nsegment: buyer\ntags: [price]\n---\n\n"
                f"> Price of item x{i}q y{i}q felt high.\n")
PY
run_vb big report -C "$T/kb" -o "$T/site" --as-of 2026-06-01
expect_eq "the report is written" "$rc" 0
P1=$(ls "$T/site/themes/"price-*.html | grep -v -- '-[0-9]\.html$')
base=$(basename "$P1" .html)
expect_eq "the theme's quotes take three pages" "$(ls "$T/site/themes/$base"*.html | wc -l)" 3
P2="$T/site/themes/$base-2.html"
P3="$T/site/themes/$base-3.html"
groups() { grep -o 'class="quote-group"' "$1" | wc -l; }
expect_eq "50 quotes on page 1" "$(groups "$P1")" 50
expect_eq "50 quotes on page 2" "$(groups "$P2")" 50
expect_eq "20 quotes on page 3" "$(groups "$P3")" 20
# the order of the x<i>q words on a page (the list after the best quotes)
order() { sed -n "/$2/,\$p" "$1" | grep -o 'item x[0-9]*q' | tr -dc '0-9\n' | tr '\n' ' '; }
expect_eq "page 1 newest first" "$(order "$P1" 'id=.quotes.')" "$(seq 120 -1 71 | tr '\n' ' ')"
expect_eq "page 2 continues" "$(order "$P2" '<body')" "$(seq 70 -1 21 | tr '\n' ' ')"
expect_eq "page 3 ends with the oldest" "$(order "$P3" '<body')" "$(seq 20 -1 1 | tr '\n' ' ')"
links() { grep -o '<a rel="[a-z]*" href="[^"]*">[A-Za-z]*</a>' "$1" | sort -u | tr '\n' ' '; }
expect_eq "page 1 links the older page" "$(links "$P1")" "<a rel=\"next\" href=\"$base-2.html\">Older</a> "
expect_eq "page 2 links both ways" "$(links "$P2")" \
	"<a rel=\"next\" href=\"$base-3.html\">Older</a> <a rel=\"prev\" href=\"$base.html\">Newer</a> "
expect_eq "page 3 links the newer page" "$(links "$P3")" "<a rel=\"prev\" href=\"$base-2.html\">Newer</a> "
S=$(ls "$T/site/segments/"buyer-*.html | grep -v -- '-[0-9]\.html$')
sbase=$(basename "$S" .html)
expect_eq "the segment's calls take three pages" "$(ls "$T/site/segments/$sbase"*.html | wc -l)" 3
calls() { grep -o '<tr><td>2026-[0-9-]*' "$1" | sed 's/<tr><td>//' | tr '\n' ' '; }
expect_eq "the segment's first page: the 50 newest calls, newest first" "$(calls "$S")" \
	"$(python3 -c 'import datetime
print(" ".join(str(datetime.date(2026,1,1)+datetime.timedelta(days=i)) for i in range(120,70,-1)), end=" ")')"
expect_eq "the segment's last page: the 20 oldest" "$(calls "$T/site/segments/$sbase-3.html" | wc -w)" 20

# a rebuild with fewer quotes: the pages no longer needed are gone
rm "$T/kb/calls/"n0[0-9]*.md
run_vb small report -C "$T/kb" -o "$T/site" --as-of 2026-06-01
expect_eq "a rebuild with 21 quotes has one theme page" "$(ls "$T/site/themes/$base"*.html | wc -l)" 1
expect_eq "and one segment page" "$(ls "$T/site/segments/$sbase"*.html | wc -l)" 1
expect_nogrep "with no page links" "$P1" 'rel="next"'

# best quotes: five near-identical quotes of one customer (the most central),
# distinct ones from three others
mkdir -p "$T/kb2/calls/archive"
printf 'notes: [calls]\ntags:\n  fit: {label: Fit}\n' >"$T/kb2/verbatim.yml"
n=0
for v in "" " really" " sadly" " honestly" " though"; do
	n=$((n + 1))
	printf -- '---\ndate: 2026-02-1%s\ncustomer: C-A\nsegment: buyer\ntags: [fit]\n---\n\n> The sizing chart never told me whether the boots would fit%s.\n' \
		"$n" "$v" >"$T/kb2/calls/a$n.md"
done
printf -- '---\ndate: 2026-01-05\ncustomer: C-B\nsegment: buyer\ntags: [fit]\n---\n\n> Shipping took three weeks to arrive.\n' >"$T/kb2/calls/b.md"
printf -- '---\ndate: 2026-03-05\ncustomer: C-C\nsegment: buyer\ntags: [fit]\n---\n\n> The checkout page crashed twice on my phone.\n' >"$T/kb2/calls/archive/c.md"
printf -- '---\ndate: 2026-02-01\ncustomer: C-D\nsegment: buyer\ntags: [fit]\n---\n\n> Returns cost more than the shoes themselves.\n' >"$T/kb2/calls/d.md"
run_vb best report -C "$T/kb2" -o "$T/site2" --as-of 2026-06-01
F=$(ls "$T/site2/themes/"fit-*.html)
best=$(sed -n '/class="best-quotes"/,/<\/div>/p' "$F")
expect_eq "three best quotes" "$(echo "$best" | grep -c '<figure')" 3
expect_eq "one of them from the customer who repeats herself" "$(echo "$best" | grep -c 'sizing chart')" 1
expect_eq "the others from three different customers" \
	"$(echo "$best" | grep -o 'Shipping took\|checkout page\|Returns cost' | sort -u | wc -l)" 2
expect_eq "the five near-duplicates folded under one" "$(grep -c 'and 4 more saying the same' "$F")" 1
expect_eq "four groups in all" "$(grep -o 'class="quote-group"' "$F" | wc -l)" 4
SG=$(ls "$T/site2/segments/"buyer-*.html)
expect_eq "the segment's calls newest first, the archived one included" \
	"$(grep -o '<tr><td>2026-[0-9-]*' "$SG" | sed 's/<tr><td>//' | tr '\n' ' ')" \
	"2026-03-05 2026-02-15 2026-02-14 2026-02-13 2026-02-12 2026-02-11 2026-02-01 2026-01-05 "

for site in site site2; do
	python3 "$VB_TOP/tests/check_html.py" "$T/$site" >"$T/check.out" 2>&1
	expect_eq "the pages of $site are well-formed and their links resolve" \
		"$(tail -1 "$T/check.out" | sed 's/checked [0-9]* pages: //')" "0 problems"
done
