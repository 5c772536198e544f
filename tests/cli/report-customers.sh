#!/bin/sh
# A page per customer (issue 21, item 2): every call with that customer in
# date order (attempts and conversations), the follow-up chain both ways, the
# roadmap items their calls support and what they said after one shipped;
# linked from note pages, segment call tables and the roadmap's call-back
# list.  Note pages link the calls that follow them (item 5).  A hostile
# customer id is escaped and gives a safe file name; a customer: that is
# personal data gets no page, and no email or phone appears anywhere.
. "$(dirname "$0")/../lib.sh"
K=$T/kb
S=$T/site
mkdir -p "$K/calls"
cat >"$K/verbatim.yml" <<'EOF'
notes: [calls]
segments:
  buyer: {label: Recent buyers}
  abandoner: {label: Cart abandoners}
tags:
  fit: {label: Unsure about fit, kind: problem}
  price: {label: Price, kind: reason}
EOF
cat >"$K/roadmap.yml" <<'EOF'
wide-last:
  title: Wide last
  status: shipped
  shipped: 2026-04-01
  tags: [fit]
EOF
# C-7: an attempt, a conversation, a follow-up after the item shipped; the
# file names are not in date order (z- is the oldest call)
printf -- '---\ndate: 2026-03-02\nsegment: abandoner\ncustomer: C-7\noutcome: no-answer\n---\n' \
	>"$K/calls/z-attempt.md"
printf -- '---\ndate: 2026-03-09\nsegment: abandoner\ncustomer: C-7\nltv: 80\ntags: [fit]\nroadmap: [wide-last]\n---\n\n> Never sure it fits. #fit\n' \
	>"$K/calls/b-first.md"
printf -- '---\ndate: 2026-04-20\nsegment: buyer\ncustomer: C-7\nltv: 900\nfollows: b-first\nverdict: solved\nroadmap: [wide-last]\ntags: [fit]\n---\n\n> It fits at last. #fit\n' \
	>"$K/calls/a-followup.md"
# C-8 supported the item before it shipped and was not heard since: to call back
printf -- '---\ndate: 2026-03-10\nsegment: abandoner\ncustomer: C-8\ntags: [fit]\nroadmap: [wide-last]\n---\n\n> Too narrow. #fit\n' \
	>"$K/calls/c-other.md"
# hostile and personal customer ids
printf -- '---\ndate: 2026-03-11\nsegment: buyer\ncustomer: "../../<script>alert(1)</script> &x"\ntags: [price]\n---\n\n> Too dear. #price\n' \
	>"$K/calls/d-hostile.md"
printf -- '---\ndate: 2026-03-12\nsegment: buyer\ncustomer: jane.doe@example.com\ntags: [price]\n---\n\n> Dear. #price\n' \
	>"$K/calls/e-email.md"
printf -- '---\ndate: 2026-03-13\nsegment: buyer\ncustomer: "+1 415 555 0132"\ntags: [price]\n---\n\n> Dear too. #price\n' \
	>"$K/calls/f-phone.md"

run_vb kb report -C "$K" -o "$S"
expect_eq "the report is written" "$rc" 0
C=$(ls "$S"/customers/c-7-*.html 2>/dev/null)
expect_eq "C-7 has one page, customers/c-7-<hash>.html" "$(echo "$C" | grep -c '/customers/c-7-[0-9a-f]*\.html$')" 1
expect_grep "the page is titled by the customer" "$C" '<h1>Customer C-7</h1>'
expect_grep "calls and conversations counted, the LTV tier of the latest call with ltv:" "$C" \
	'<p class="lead">3 calls, 2 conversations, from 2026-03-02 to 2026-04-20; LTV tier: high'
expect_eq "every call in date order, the attempt first" \
	"$(grep -o '<tr><td class="date">[^<]*</td><td><a href="[^"]*">[^<]*' "$C" | sed 's/.*date">//; s,</td><td><a href="[^"]*">, ,')" \
	"2026-03-02 z-attempt
2026-03-09 b-first
2026-04-20 a-followup"
# the pages' addresses, from the site root
FA=$(cd "$S" && ls notes/*/a-followup-*.html)
FB=$(cd "$S" && ls notes/*/b-first-*.html)
TF=$(cd "$S" && ls themes/fit-*.html)
expect_grep "the attempt says it was one, with its outcome" "$C" '<td>attempt: no answer</td><td>unknown</td>'
expect_grep "the conversation: its tier, theme, and the call that follows it" "$C" \
	"<td>conversation</td><td>low</td><td><a href=\"../$TF\">Unsure about fit</a></td><td></td><td><a href=\"../$FA\">a-followup</a></td><td></td></tr>"
expect_grep "the follow-up: the call it follows and its verdict" "$C" \
	"<td><a href=\"../$FB\">b-first</a></td><td></td><td>solved</td></tr>"
expect_grep "the roadmap item their calls support, linked" "$C" \
	"<h3><a href=\"../roadmap.html#item-$(grep -o 'id="item-wide-last-[0-9a-f]*"' "$S/roadmap.html" | sed 's/id="item-//; s/"//')\">Wide last</a> <span class=\"muted\">(shipped)</span></h3>"
expect_grep "what they said after it shipped, with the verdict" "$C" \
	"<li>2026-04-20, <a href=\"../$FA\">a-followup</a>: conversation, verdict: <strong>solved</strong>"
expect_grep "their words after it shipped" "$C" '<p>It fits at last.</p>'
expect_eq "only the call after the shipped date is listed after it" \
	"$(sed -n '/After it shipped/,/<\/ul>/p' "$C" | grep -c '<li>')" 1
O=$(ls "$S"/customers/c-8-*.html)
expect_grep "a customer not heard since it shipped: to call back" "$O" 'Not heard since it shipped (2026-04-01): a customer to call back.'

# the links to the page
F=$S/$FB
expect_grep "a note's page links its customer's page" "$F" \
	"<li>Customer: <a href=\"../../customers/$(basename "$C")\">All calls with C-7</a></li>"
expect_grep "a note's page links the calls that follow it" "$F" \
	"<li>Followed by: <a href=\"../../$FA\">a-followup</a></li>"
expect_nogrep "a call no one follows has no Followed by" "$S/$FA" 'Followed by'
expect_grep "the segment's call table links the customer" "$(ls "$S"/segments/abandoner-*.html)" \
	"<td><a href=\"../customers/$(basename "$C")\">C-7</a></td>"
expect_grep "the roadmap's customers to call back are linked" "$S/roadmap.html" \
	"to call back: <a href=\"customers/$(basename "$O")\">C-8</a>."

# hostile and personal ids
expect_eq "every customer page has a safe name inside customers/" \
	"$(ls "$S/customers" | grep -cvE '^[a-z0-9-]+\.html$')" 0
expect_eq "no file was written outside the site" "$(find "$T" -name '*.html' ! -path "$S/*" | wc -l)" 0
H=$(grep -l 'Customer ../../' "$S"/customers/*.html)
expect_grep "a hostile id is escaped in its page" "$H" '<h1>Customer ../../&lt;script&gt;alert(1)&lt;/script&gt; &amp;x</h1>'
expect_eq "three customers with pages (the email and the phone have none)" "$(ls "$S/customers" | wc -l)" 3
expect_eq "no email anywhere in the site" "$(grep -rl 'jane.doe@example.com' "$S" | wc -l)" 0
expect_eq "no phone anywhere in the site" "$(grep -rlE '415.?555.?0132' "$S" | wc -l)" 0

python3 "$VB_TOP/tests/check_html.py" "$S" >"$T/check.out" 2>&1
expect_eq "every page well-formed, every link resolves" "$(tail -1 "$T/check.out" | sed 's/checked [0-9]* pages: //')" "0 problems"
[ "$(tail -1 "$T/check.out" | sed 's/checked [0-9]* pages: //')" = "0 problems" ] || sed 's/^/#   /' "$T/check.out" | head -20

# a hashtag in the body is never broken across lines
expect_grep "a note's hashtag is one unbreakable span" "$F" '<p>Never sure it fits. <span class="tag">#fit</span></p>'
expect_grep "the stylesheet keeps a tag on one line" "$S/style.css" '.tag { white-space: nowrap; }'
