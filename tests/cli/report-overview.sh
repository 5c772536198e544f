#!/bin/sh
# The overview's first screen (src/report_overview.c): this month's top
# problems and requests with their direction and the customers' words,
# emerging and fading, calls against the weekly goal, the price sentence and
# the top of what to build next; directions and the emerging and fading
# lists give one answer (the one trend test, trend.h), and too few
# conversations on either side say so instead of an arrow.
. "$(dirname "$0")/../lib.sh"
NB=$(printf '\302\240')

# 1. The aggregation fixture (numbers worked out in tests/fixtures/agg/README.md):
# 8 conversations in the last 8 weeks and 3 in the 26 before: too few.
run_vb agg report -C "$FIX/agg/kb" -o "$T/agg"
expect_eq "agg: report exits 0" "$rc" 0
I=$T/agg/index.html
expect_grep "agg: top problems this month, by customers, with the direction" "$I" \
	'<li><span class="name"><a href="themes/heel-slip-750b4b78.html">Heel slips</a></span> <span class="counts">2 customers, 3 calls; <span class="muted">too few to tell</span></span></li>'
sed -n '/id="glance-requests"/,/<\/ol>/p' "$I" | grep -o 'themes/[a-z-]*-[0-9a-f]*\.html">[^<]*</a></span> <span class="counts">[^;]*' |
	sed 's/^themes[^"]*">//; s|</a></span> <span class="counts">| |' >"$T/requests"
printf '%s\n' "Wants more colours 3 customers, 3 calls" "Wants more grip 2 customers, 3 calls" \
	"Wants wide sizes 1 customer, 1 call" >"$T/requests.expected"
expect_file "agg: top requests this month (3 customers above 3 calls by 2)" "$T/requests" "$T/requests.expected"
expect_grep "agg: calls against the weekly goal" "$I" \
	'<p><strong>4</strong> of a goal of 3: reached. Streak: 3 weeks in a row.</p>'
expect_eq "agg: too few conversations to tell, with the counts and the minimum" \
	"$(sed -n '/id="glance-trends"/,/<\/div>/p' "$I" | sed -n 3p)" \
	'<p>Too few conversations to tell: 8 in the last 8 weeks and 3 in the 26 before (20 needed in each).</p>'
expect_grep "agg: the price sentence" "$I" \
	'<p>25 % named price (price or shipping cost as a group: 50 %); 75 % something else: fit 25 %, no reason given 25 %. <a href="#reasons">Reasons</a></p>'
sed -n '/id="glance-next"/,/<\/ol>/p' "$I" | grep -o '">[^<]*</a></span> <span class="counts">[^<]*' |
	sed 's/^">//; s|</a></span> <span class="counts">| |' >"$T/next"
printf '%s\n' "Wants more colours score 5.3; 3 customers" "Wants more grip score 3.7; 3 customers" \
	"Heel slips score 3.0; 2 customers" >"$T/next.expected"
expect_file "agg: the top three of what to build next" "$T/next" "$T/next.expected"
expect_grep "agg: the themes table says too few, no arrow" "$I" \
	'Heel slips</a></th><td>problem</td><td class="num">3</td><td class="num">27.3'"$NB"'%</td><td class="num">2</td><td class="num">3</td><td class="num">0</td><td class="num">0</td><td><span class="muted">too few to tell</span></td><td>2026-11-03</td></tr>'
expect_nogrep "agg: no arrow anywhere on the overview" "$I" "$(printf '\342\206\223')"
expect_nogrep "agg: no 'None at the moment' when too few" "$I" "None at the moment"
expect_grep "agg: the theme page says too few too" "$T/agg/themes/heel-slip-750b4b78.html" \
	'<td><span class="muted">too few to tell</span></td></tr>'

# 2. Enough conversations (the knowledge base of tests/cli/trends.sh, with
# kinds and quotes): grip rises, newbie is new, heel fades.
K=$T/kb
mkdir -p "$K/calls"
cat >"$K/verbatim.yml" <<'EOF'
notes: [calls]
tags:
  steady: {kind: problem}
  grip: {label: Wants more grip, kind: feature-request}
  talk: {kind: problem}
  heel: {label: Heel slips, kind: problem}
  lonely: {kind: problem}
  newbie: {label: Brand new problem, kind: problem}
  spike: {kind: problem}
EOF
. "$FIX/trends/make-kb.sh"
trends_kb "$K" quotes
run_vb kb report -C "$K" -o "$T/kbsite"
expect_eq "kb: report exits 0" "$rc" 0
I=$T/kbsite/index.html
sed -n '/id="glance-problems"/,/<\/ol>/p' "$I" | grep -o '">[^<]*</a></span> <span class="counts">.*</li>' |
	sed 's/^">//; s|</a></span> <span class="counts">| |; s/<[^>]*>//g' >"$T/problems"
printf '%s\n' "steady 4 customers, 4 calls; → steady“laces keep coming undone” in 34 conversations" \
	"Brand new problem 3 customers, 3 calls; ↑ new" \
	"talk 1 customer, 8 calls; → steady" >"$T/problems.expected"
expect_file "kb: top problems this month (8 calls by 1 customer third), directions, the customers' words" \
	"$T/problems" "$T/problems.expected"
expect_grep "kb: emerging, named (most recent customers first)" "$I" \
	'<p>Emerging: <a href="themes/grip-b888695f.html">Wants more grip</a>, <a href="themes/newbie-0b09cb53.html">Brand new problem</a>.</p>'
expect_grep "kb: fading, named" "$I" '<p>Fading: <a href="themes/heel-550d5f13.html">Heel slips</a>.</p>'
# one rule, one answer: the themes table marks exactly the emerging and fading themes
sed -n '/id="themes"/,/<\/table>/p' "$I" | grep -o '">[^<]*</a></th>.*<span[^>]*>[↑↓][^<]*</span>' |
	sed 's/^">//; s|</a></th>.*<span[^>]*>| |; s|</span>$||' >"$T/marked"
printf '%s\n' "Heel slips ↓ fading" "Wants more grip ↑ rising" "Brand new problem ↑ new" >"$T/marked.expected"
expect_file "kb: the themes table's arrows are the emerging and fading lists" "$T/marked" "$T/marked.expected"
expect_nogrep "kb: no 'None at the moment'" "$I" "None at the moment"
expect_nogrep "kb: no 'too few' direction when there are enough conversations" "$I" \
	'<span class="muted">too few to tell</span>'
expect_nogrep "kb: no 'too few' list when there are enough conversations" "$I" "Too few conversations"
# what to build next says the same direction (talk: 8 calls by one customer
# raise its share, but the test says steady: "flat", not "up")
sed -n '/aria-labelledby="next"/,/<\/table>/p' "$I" | python3 -c '
import re, sys
for row in re.findall(r"<tr><th scope=\"row\">.*?</tr>", sys.stdin.read()):
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
    print(re.sub(r"<[^>]*>", "", cells[0]), cells[5].split(" (")[0])' >"$T/next-trend"
printf '%s\n' "steady flat" "Wants more grip up" "Heel slips down" "Brand new problem up" "talk flat" >"$T/next-trend.expected"
expect_file "kb: what to build next gives the test's direction" "$T/next-trend" "$T/next-trend.expected"
