#!/bin/sh
# Jobs to be done, aggregated: two wordings of one job group, a different
# job does not; what came before ranked; the forces of progress per job group
# and per theme; root needs grouped; empty fields and an empty force ignored.
. "$(dirname "$0")/../lib.sh"
KB=$FIX/jobs/kb
run_vb rep report -C "$KB" -o "$T/site"
expect_eq "report exits 0" "$rc" 0
J=$T/site/jobs.html
expect_grep "lead: 2 jobs in 4 conversations (an empty Job: is none)" "$J" "What customers hire the product to do: 2 jobs in 4 conversations"
expect_grep "two wordings of one job are one group, its most frequent wording first" "$J" \
	"<h3 id=\"job-1\">run trails twice a week without blisters</h3>
<p>3 conversations, 2 customers; 2 wordings. Themes: "
expect_grep "the other job stands alone" "$J" "<h3 id=\"job-2\">walk to work in the rain with dry feet</h3>
<p>1 conversation, 1 customer; 1 wording."
expect_grep "what came before, one competitor however capitalised" "$J" "<li>road shoes <span class=\"muted\">(3)</span></li>"
expect_grep "a force said by two customers" "$J" "<li>blisters after every long run <span class=\"muted\">(2)</span></li>"
expect_grep "the force's hashtag is not part of its words" "$J" "<li>what if the size is wrong <span class=\"muted\">(1)</span></li>"
expect_eq "an empty Habit: is no force: the second job has no forces table" \
	"$(grep -c 'class="forces"' "$J")" 1
expect_grep "root needs grouped, linked to their themes" "$J" \
	"<tr><td>She wants to keep racing.</td><td class=\"num\">3</td><td class=\"num\">3</td><td><a href=\"themes/fit-22574ef4.html\">Unsure about fit</a> (3), <a href=\"themes/grip-"
F=$T/site/themes/fit-22574ef4.html
expect_grep "theme page: the forces whose hashtags name it" "$F" "Forces of progress that name it"
expect_grep "theme page: its Push in the customers' words" "$F" "<li>blisters after every long run <span class=\"muted\">(1)</span></li>"
expect_grep "theme page: its Anxiety" "$F" "<li>what if the size is wrong <span class=\"muted\">(1)</span></li>"
G=$(ls "$T/site/themes/"grip-*.html)
expect_grep "theme page: a Pull names the other theme" "$G" "<li>a grippy sole <span class=\"muted\">(1)</span></li>"
expect_nogrep "theme page: no force of another theme" "$G" "blisters after every long run"
