#!/bin/sh
# Every ranking uses distinct customers (notes-format.md): a theme from 8
# calls by 3 customers ("talk") ranks below one from 7 calls by 7 customers
# ("wide"), in data.json, the overview's themes table, the segment page and
# stats (text and JSON); "tie-b" and "tie-a" (2 calls, 2 customers each) are
# in key order.  Notes stand beside the customers.
. "$(dirname "$0")/../lib.sh"
K=$T/kb
mkdir -p "$K/calls"
cat >"$K/verbatim.yml" <<'EOF'
title: Rankings
notes: [calls]
segments:
  buyer: {label: Buyers}
tags:
  talk: {label: Talkative, kind: problem}
  wide: {label: Widely heard, kind: problem}
  tie-a: {label: Tie A, kind: problem}
  tie-b: {label: Tie B, kind: problem}
EOF
note() { # name date customer tag
	printf -- '---\ndate: %s\nsegment: buyer\ncustomer: %s\ntags: [%s]\n---\n\n# Call\n' \
		"$2" "$3" "$4" >"$K/calls/$1.md"
}
for i in 1 2 3 4 5 6 7; do note "wide-$i" "2026-11-0$i" "W-$i" wide; done
for i in 1 2 3 4 5 6; do note "talk-$i" "2026-11-0$i" T-1 talk; done
note talk-7 2026-11-07 T-2 talk
note talk-8 2026-11-08 T-3 talk
note tie-b-1 2026-11-02 B-1 tie-b
note tie-b-2 2026-11-03 B-2 tie-b
note tie-a-1 2026-11-04 A-1 tie-a
note tie-a-2 2026-11-05 A-2 tie-a

run_vb rep report -C "$K" -o "$T/site" --json --as-of 2026-11-08
expect_eq "report exits 0" "$rc" 0
expect_eq "data.json: themes by customers, then notes, then key" \
	"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(" ".join("%s:%d/%d" % (t["key"], t["customers"], t["notes"]) for t in d["themes"]))' "$T/site/data.json")" \
	"wide:7/7 talk:3/8 tie-a:2/2 tie-b:2/2"
# the order of the theme links in a page's themes table
order() { # file section-start-pattern
	sed -n "\\|$2|,\\|</table>|p" "$1" | grep -o 'themes/[a-z-]*-[0-9a-f]*\.html">[^<]*' | sed 's/.*">//' | tr '\n' ' '
}
expect_eq "overview: the themes table ranks by customers" \
	"$(order "$T/site/index.html" 'id="themes"')" "Widely heard Talkative Tie A Tie B "
expect_grep "overview: notes beside customers (Talkative: 8 notes, 42.1 %, 3 customers)" \
	"$T/site/index.html" \
	'Talkative</a></th><td>problem</td><td class="num">8</td><td class="num">42.1'"$(printf '\302\240')"'%</td><td class="num">3</td>'
seg=$(ls "$T"/site/segments/buyer-*.html)
expect_eq "segment page: its themes rank by customers" \
	"$(order "$seg" '<h2>Themes</h2>')" "Widely heard Talkative Tie A Tie B "

run_vb st stats -C "$K" --as-of 2026-11-08
expect_eq "stats exits 0" "$rc" 0
expect_eq "stats: top themes this month rank by customers, calls beside" \
	"$(sed -n '/^Top themes this month/,/^$/p' "$T/st.out" | sed 's/  */ /g')" \
	"Top themes this month (last 4 weeks)
 Widely heard 7 calls 7 customers
 Talkative 8 calls 3 customers
 Tie A 2 calls 2 customers
 Tie B 2 calls 2 customers"
run_vb js stats -C "$K" --as-of 2026-11-08 --format=json
expect_eq "stats json: top themes rank by customers" \
	"$(python3 -c 'import json,sys; print(" ".join(t["key"] for t in json.load(open(sys.argv[1]))["top_themes"]))' "$T/js.out")" \
	"wide talk tie-a tie-b"
