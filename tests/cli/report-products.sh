#!/bin/sh
# Product lines and products: a page per line and per product (themes with
# their share against the other conversations, segments, phrases, connect
# rate), the overview's summary and the themes table's "heard most with"
# column, the products on a note's page; exact figures on a fixture, the
# same counts as stats --line/--product, honest "not enough calls", escaped
# labels and safe file names.
. "$(dirname "$0")/../lib.sh"

# Catalog: line run (p1, p2), line "hike & trek" (h1, label "Boot <X>"),
# line solo (lonely, 1 conversation), line empty (unused, no call).
# Conversations (21):
#   run  r0..r9 [p1] (r6..r9 [p1, p2]: once for the line); a on r0..r7, b on r8, r9;
#        r0 and r1 the same customer; r0..r4 buyers, r5..r9 abandoners;
#        plus v0, v1 [p2] voicemails (abandoners): 12 calls, 10 conversations
#   hike h0..h9 [h1]: a on h0..h4, b on h5..h9 (buyers)
#   solo s0 [lonely]: a
# Theme a (14 conversations): run 8/10 = 80 %, elsewhere 6/11 = 54.5 %: x1.47;
#   hike 5/10 = 50 %, elsewhere 9/11 = 81.8 %: x0.61; solo 1: too few.
# Theme b (7): run 2/10 = 20 %, elsewhere 5/11 = 45.5 % (too few in run to
# rank); hike 5/10 with 2 elsewhere (too few).
# p2: 6 calls, 4 conversations: not enough calls.  x1 is no catalog id (an
# error of its note, left out).
K=$T/kb
mkdir -p "$K/calls"
cat >"$K/verbatim.yml" <<'EOF'
notes: [calls]
segments:
  buyer: {label: Recent buyers}
  abandoner: {label: Cart abandoners}
tags:
  a: {label: Theme A, kind: problem}
  b: {label: Theme B, kind: feature-request}
products:
  p1: {label: Shoe One, line: run}
  p2: {label: Shoe Two, line: run}
  h1: {label: "Boot <X>", line: "hike & trek"}
  lonely: {label: Lonely, line: solo}
  unused: {label: Unused, line: empty}
  "<i>z/../..</i>": {label: "<b>Z</b>", line: "<s>l/..</s>"}
EOF
note() { # id segment customer products tags [outcome] [body]
	{
		printf -- '---\ndate: 2026-11-02\nsegment: %s\ncustomer: C-%s\n' "$2" "$3"
		[ -n "$6" ] && printf 'outcome: %s\n' "$6"
		printf 'products: [%s]\ntags: [%s]\n---\n# Call\n\n%s\n' "$4" "$5" "$7"
	} >"$K/calls/$1.md"
}
i=0
while [ $i -lt 10 ]; do
	seg=buyer
	[ $i -ge 5 ] && seg=abandoner
	prod=p1
	[ $i -ge 6 ] && prod="p1, p2"
	tag=a
	[ $i -ge 8 ] && tag=b
	cust=r$i
	[ $i -eq 1 ] && cust=r0
	note "r$i" $seg "$cust" "$prod" $tag "" '> "the laces keep coming undone"'
	tag=a
	[ $i -ge 5 ] && tag=b
	note "h$i" buyer "h$i" h1 $tag "" '> "the sole wore through"'
	i=$((i + 1))
done
note v0 abandoner v0 p2 "" voicemail
note v1 abandoner v1 p2 "" voicemail
note s0 buyer s0 lonely a
note x0 buyer x0 x1 a no-answer
# a hostile id, label and line: escaped everywhere, safe file names (a
# voicemail, so that it changes no share)
note z0 buyer z0 '"<i>z/../..</i>"' "" voicemail

run_vb rep report -C "$K" -o "$T/site" --json
expect_eq "report exits 0" "$rc" 0

# data.json: the exact figures
if python3 - "$T/site/data.json" 2>"$T/py.err" <<'EOP'; then ok "data.json: lines and products with their counts, shares and ratios"; else
import json, sys
d = json.load(open(sys.argv[1]))
L = {g["key"]: g for g in d["lines"]}
P = {g["key"]: g for g in d["products"]}
assert [g["key"] for g in d["lines"]] == ["run", "hike & trek", "solo", "empty", "<s>l/..</s>"], list(L)
assert [g["key"] for g in d["products"]] == ["p1", "p2", "h1", "lonely", "unused", "<i>z/../..</i>"], list(P)
assert (P["<i>z/../..</i>"]["attempts"], P["<i>z/../..</i>"]["conversations"]) == (1, 0), P["<i>z/../..</i>"]
r = L["run"]
assert (r["attempts"], r["conversations"], r["customers"], r["customers_reached"], r["enough"]) == (12, 10, 11, 9, True), r
assert abs(r["connect_rate"] - 10 / 12) < 1e-6, r["connect_rate"]
assert [(s["key"], s["attempts"], s["conversations"]) for s in r["segments"]] == [("buyer", 5, 5), ("abandoner", 7, 5)], r["segments"]
t = {x["theme"]: x for x in r["themes"]}
assert (t["a"]["notes"], t["a"]["customers"], t["a"]["other_notes"]) == (8, 7, 6), t["a"]
assert abs(t["a"]["share"] - 0.8) < 1e-6 and abs(t["a"]["other_share"] - 6 / 11) < 1e-6, t["a"]
assert abs(t["a"]["ratio"] - 0.8 / (6 / 11)) < 1e-5, t["a"]
assert (t["b"]["notes"], t["b"]["ratio"]) == (2, None), t["b"]
h = {x["theme"]: x for x in L["hike & trek"]["themes"]}
assert abs(h["a"]["ratio"] - 0.5 / (9 / 11)) < 1e-5 and h["b"]["ratio"] is None, h
assert (P["p2"]["attempts"], P["p2"]["conversations"], P["p2"]["enough"]) == (6, 4, False), P["p2"]
assert P["p2"]["line"] == "run" and P["h1"]["label"] == "Boot <X>", P
assert (L["solo"]["conversations"], L["solo"]["enough"]) == (1, False), L["solo"]
assert (L["empty"]["attempts"], L["empty"]["themes"]) == (0, []), L["empty"]
EOP
	notok "data.json: lines and products with their counts, shares and ratios"; sed 's/^/#   /' "$T/py.err" | tail -4; fi

# the pages, found by their links (safe names)
link() { # FILE TEXT: the href of the link with this text
	grep -o "<a href=\"[^\"]*\">$2</a>" "$1" | head -1 | sed 's/<a href="\([^"]*\)".*/\1/'
}
run_page=$(link "$T/site/products.html" run)
hike_page=$(link "$T/site/products.html" 'hike &amp; trek')
p2_page=$(link "$T/site/products.html" 'Shoe Two')
solo_page=$(link "$T/site/products.html" solo)
empty_page=$(link "$T/site/products.html" empty)
case "$hike_page" in
lines/hike-trek-*.html) ok "a line's page has a safe file name ($hike_page)" ;;
*) notok "a line's page has a safe file name ($hike_page)" ;;
esac
for p in "$run_page" "$hike_page" "$p2_page" "$solo_page" "$empty_page"; do
	[ -n "$p" ] && [ -f "$T/site/$p" ] || notok "page $p of products.html exists"
done
NB=$(printf '\302\240')
LQ=$(printf '\342\200\234')
RQ=$(printf '\342\200\235')
expect_grep "line page: calls, conversations and connect rate" "$T/site/$run_page" \
	"<p class=\"lead\">12 calls, 10 conversations (connect rate 83.3${NB}%); 11 customers, 9 reached (81.8${NB}%).</p>"
expect_grep "line page: a theme's share against elsewhere, and the ratio" "$T/site/$run_page" \
	"Theme A</a></th><td>problem</td><td class=\"num\">8</td><td class=\"num\">7</td><td class=\"num\">80.0${NB}%</td><td class=\"num\">54.5${NB}%</td><td class=\"num\">&times;1.47</td>"
expect_grep "line page: small counts are not ranked" "$T/site/$run_page" \
	"Theme B</a></th><td>feature-request</td><td class=\"num\">2</td><td class=\"num\">2</td><td class=\"num\">20.0${NB}%</td><td class=\"num\">45.5${NB}%</td><td class=\"muted\">too few to tell</td>"
expect_grep "line page: segments with their connect rate" "$T/site/$run_page" \
	"Cart abandoners</a></th><td class=\"num\">7</td><td class=\"num\">5</td><td class=\"num\">71.4${NB}%</td>"
expect_grep "line page: the customers' phrases" "$T/site/$run_page" \
	"<tr><td>${LQ}laces keep coming undone${RQ}</td><td class=\"num\">10</td><td class=\"num\">10</td>"
expect_grep "line page: its products linked" "$T/site/$run_page" ">Shoe Two</a>"
expect_grep "product page: a product with 4 conversations says not enough calls" "$T/site/$p2_page" \
	"<p class=\"notice\">Not enough calls: 4 conversations so far; shares of its themes and how they compare with other calls need at least 5 conversations.</p>"
expect_nogrep "product page: no ratio on too few" "$T/site/$p2_page" "&times;"
expect_grep "product page: its line linked" "$T/site/$p2_page" "<p>Product line: <a href=\"../$run_page\">run</a>.</p>"
expect_grep "a line with one conversation: not enough calls" "$T/site/$solo_page" "Not enough calls: 1 conversation so far"
expect_grep "a line with no call: not enough calls, no call yet" "$T/site/$empty_page" "Not enough calls: no call names it yet"
expect_nogrep "a line with no call: no table of nothing" "$T/site/$empty_page" "<table"
expect_grep "a hostile label is escaped" "$T/site/products.html" ">Boot &lt;X&gt;</a>"
if grep -rqE "Boot <X>|<i>z|<b>Z|<s>l" "$T/site" --include='*.html'; then notok "no id, label or line reaches HTML unescaped"; else ok "no id, label or line reaches HTML unescaped"; fi
expect_eq "every product and line page is a safe name in its folder" \
	"$(cd "$T/site" && ls lines products | grep -vcE '^(lines:|products:|)$|^[a-z0-9-]+-[0-9a-f]{8}\.html$')" 0
expect_eq "nothing written outside the site" "$(find "$T" -name '*.html' ! -path "$T/site/*" | wc -l)" 0
expect_grep "a hostile line's page is linked, escaped" "$T/site/products.html" ">&lt;s&gt;l/..&lt;/s&gt;</a>"
expect_grep "overview: the themes table says the line a theme is heard with most" "$T/site/index.html" \
	"<td><a href=\"$run_page\">run</a> &times;1.47</td></tr>"
expect_grep "overview: the product lines summary links the products page" "$T/site/index.html" \
	"<a href=\"products.html\">Every product line and product</a>"
note_page=$(grep -l "calls/r6.md" -r "$T/site/notes" | head -1)
expect_grep "note page: its products linked, with their line" "$note_page" \
	"<li>Products: <a href=\"../../products/p1-"
expect_grep "note page: a product's line linked" "$note_page" "(line <a href=\"../../$run_page\">run</a>)"
x_page=$(grep -l "calls/x0.md" -r "$T/site/notes" | head -1)
expect_grep "note page: an id missing from the catalog is shown, not linked" "$x_page" "<li>Products: x1</li>"

# stats --line and --product count the same calls as the pages
for f in "--line run:12:10" "--product p2:6:4" "--line hike & trek:10:10" "--line solo:1:1"; do
	opt=${f%%:*}
	want=${f#*:}
	run_vb st stats -C "$K" --format json ${opt%% *} "${opt#* }"
	got=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%d:%d" % (d["attempts"], d["conversations"]))' "$T/st.out" 2>&1)
	expect_eq "stats $opt: the page's calls and conversations" "$got" "$want"
done

# every page, the new ones too, is well-formed, safe and its links resolve
python3 "$VB_TOP/tests/check_html.py" "$T/site" >"$T/check.out" 2>&1
if tail -1 "$T/check.out" | grep -q ": 0 problems$"; then ok "every page is well-formed, safe and linked"; else
	notok "every page is well-formed, safe and linked"; tail -5 "$T/check.out" | sed 's/^/#   /'; fi

# next --line counts a theme's customers and conversations as the line page does
run_vb nx next -C "$K" --line run --format json
got=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join("%s:%d:%d" % (t["theme"], t["customers"], t["notes"]) for t in sorted(d["themes"], key=lambda t: t["theme"])))' "$T/nx.out" 2>&1)
want=$(python3 -c '
import json, sys
g = [g for g in json.load(open(sys.argv[1]))["lines"] if g["key"] == "run"][0]
print(" ".join("%s:%d:%d" % (t["theme"], t["customers"], t["notes"]) for t in sorted(g["themes"], key=lambda t: t["theme"])))' "$T/site/data.json")
expect_eq "next --line run: the line page's customers and conversations per theme" "$got" "$want"
expect_eq "next --line run: the figures of the fixture" "$got" "a:7:8 b:2:2"

# No catalog: every id a note names is a product (sorted), no lines, and
# the themes table has no line column.
N=$T/nocat
mkdir -p "$N/calls"
printf 'notes: [calls]\n' >"$N/verbatim.yml"
printf -- '---\ndate: 2026-11-02\ncustomer: C-1\nproducts: [socks, "Shoes/X"]\ntags: [a]\n---\n' >"$N/calls/n1.md"
printf -- '---\ndate: 2026-11-03\ncustomer: C-2\nproducts: [socks]\ntags: [a]\n---\n' >"$N/calls/n2.md"
run_vb nocat report -C "$N" -o "$T/nsite" --json
expect_eq "no catalog: report exits 0" "$rc" 0
got=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(len(d["lines"]), " ".join("%s:%d" % (p["key"], p["attempts"]) for p in d["products"]))' "$T/nsite/data.json" 2>&1)
expect_eq "no catalog: every id a product, sorted, no lines" "$got" "0 Shoes/X:1 socks:2"
expect_eq "no catalog: no line pages" "$(ls "$T/nsite/lines" 2>/dev/null | wc -l)" 0
expect_nogrep "no catalog: no line column" "$T/nsite/index.html" "Heard most with"
expect_grep "no catalog: the overview lists the products" "$T/nsite/index.html" ">Shoes/X</a>"
python3 "$VB_TOP/tests/check_html.py" "$T/nsite" >"$T/ncheck.out" 2>&1
if tail -1 "$T/ncheck.out" | grep -q ": 0 problems$"; then ok "no catalog: every page is well-formed and linked"; else
	notok "no catalog: every page is well-formed and linked"; tail -5 "$T/ncheck.out" | sed 's/^/#   /'; fi
