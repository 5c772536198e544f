#!/bin/sh
# Emerging and fading themes and the new-theme rate, end to end on a small
# hand-made knowledge base (the one of test_agg's trends_on_a_small_history):
# weeks 2026-W14 to W47, three conversations a week from distinct customers,
# plus eight notes of one customer (#talk) in W45 and six of another
# (#spike) in W46.  grip rises (2 before, 8 in the last 8 weeks), heel
# fades (20 before, none since), newbie is new (3 customers), spike (one
# customer) and talk (one customer) are not flagged.  The exact words are
# those worked out in tests/unit/test_trend.c's way: the chances are
# binomial tails checked there against exact fractions.
. "$(dirname "$0")/../lib.sh"
K=$T/kb
. "$FIX/trends/make-kb.sh"
trends_kb "$K"

# stats is relative to today; these checks are as of the newest call
last=$(sed -n 's/^date: //p' "$K"/calls/*.md | sort | tail -1)
run_vb st stats -C "$K" --as-of "$last"
expect_eq "stats exits 0" "$rc" 0
sed -n '/^Emerging themes/,/^What/p' "$T/st.out" >"$T/st.trends"
cat >"$T/st.expected" <<'EOF'
Emerging themes (last 8 weeks against the 26 before)
  grip
    8 customers (8 notes) in 8 weeks; about 1.0 expected; chance by luck 1 in
    330
  newbie
    new: 3 customers (3 notes) in 8 weeks, never heard in the 78 conversations
    before; chance by luck 1 in 610

Fading themes (last 8 weeks against the 26 before)
  heel
    0 customers (0 notes) in 8 weeks; about 9.7 expected; chance by luck 1 in
    2,800

What's new since last week
EOF
expect_file "stats: emerging and fading, with the counts and the chance" "$T/st.trends" "$T/st.expected"
expect_nogrep "stats: the one-customer spike is not flagged" "$T/st.trends" "spike"
expect_nogrep "stats: the talkative customer is not flagged" "$T/st.trends" "talk"
width=$(awk '{ if (length($0) > w) w = length($0) } END { print w }' "$T/st.out")
expect_eq "stats fits in 80 columns" "$([ "$width" -le 80 ] && echo yes)" yes
expect_grep "stats: the new-theme rate this week" "$T/st.out" \
	"  new-theme rate: 0 of 3 conversations this week brought something new"

run_vb js stats -C "$K" --format=json --as-of "$last"
expect_eq "stats json: emerging, fading, verdicts, counts" "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
e = [(t["key"], t["trend"]["verdict"], t["trend"]["recent_customers"]) for t in d["emerging"]]
f = [(t["key"], t["trend"]["verdict"], t["trend"]["before_notes"]) for t in d["fading"]]
print(e, f, d["trend_too_few"], d["novelty"]["since_new"] >= 1)' "$T/js.out")" \
	"[('grip', 'rising', 8), ('newbie', 'new', 3)] [('heel', 'fading', 20)] False True"

run_vb rep report -C "$K" -o "$T/site" --json
expect_eq "report exits 0" "$rc" 0
I=$T/site/index.html
expect_grep "overview: the test is named" "$I" "an exact one-sided binomial test on the recent count"
expect_grep "overview: the false-alarm level for 7 themes" "$I" "below 1 in 91 (13 weekly looks a quarter times 7 themes"
expect_grep "overview: a rising theme with its counts and chance" "$I" \
	"grip</a>: 8 customers (8 notes) in 8 weeks; about 1.0 expected; chance by luck 1 in 330</li>"
expect_grep "overview: a fading theme" "$I" "<h3>Fading</h3>"
expect_grep "overview: heel fades" "$I" "heel</a>: 0 customers (0 notes) in 8 weeks; about 9.7 expected; chance by luck 1 in 2,800</li>"
expect_grep "overview: the new-theme rate" "$I" "<h2 id=\"novelty\">Still hearing new things? The new-theme rate</h2>"
expect_grep "overview: the new-theme rate chart" "$I" "Share of conversations that brought something new (%), per week"
G=$(ls "$T/site/themes/" | grep '^grip-')
expect_grep "theme page: emerging, with the counts" "$T/site/themes/$G" \
	"<p class=\"trend\"><strong>Emerging</strong> (last 8 weeks against the 26 before): 8 customers (8 notes) in 8 weeks; about 1.0 expected; chance by luck 1 in 330.</p>"
S=$(ls "$T/site/themes/" | grep '^spike-')
expect_grep "theme page: the spike is neither" "$T/site/themes/$S" \
	"<strong>Neither emerging nor fading</strong> (last 8 weeks against the 26 before): 1 customer (6 notes) in 8 weeks, never heard in the 78 conversations before (3 customers make it new).</p>"
expect_eq "data.json: trends and novelty" "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
t = {x["key"]: x for x in d["themes"]}
print(d["trends"]["emerging"], d["trends"]["fading"], t["grip"]["trend"]["verdict"], t["spike"]["trend"]["verdict"], len(d["novelty"]["new"]) == len(d["weeks"]))' "$T/site/data.json")" \
	"['grip', 'newbie'] ['heel'] rising steady True"

# one week of notes: too few conversations to tell, no flag
mkdir -p "$T/one/calls"
for i in 1 2 3 4 5; do
	printf -- '---\ndate: 2026-11-17\ncustomer: C%s\ntags: [slow-delivery]\n---\n' "$i" >"$T/one/calls/n$i.md"
done
run_vb one stats -C "$T/one"
expect_eq "one week: too few conversations to tell" "$(sed -n '/^Emerging themes/,/^$/p' "$T/one.out")" \
	"Emerging themes (last 8 weeks against the 26 before)
    too few conversations to tell: 5 in the last 8 weeks and 0 in the 26
    before (20 needed in each)"
run_vb onerep report -C "$T/one" -o "$T/onesite"
expect_grep "one week: the overview says too few" "$T/onesite/index.html" "<li>Too few conversations to tell.</li>"
