#!/bin/sh
# verbatim report: golden numbers on a small fixture, well-formed pages,
# determinism, --json, the output folder's safety.
. "$(dirname "$0")/../lib.sh"
SMALL=$FIX/report/small
CHECK_HTML="python3 $VB_TOP/tests/check_html.py"
NB=$(printf '\302\240')

run_vb small report -C "$SMALL" -o "$T/site" --json
expect_eq "report exits 0" "$rc" 0
expect_eq "report says what it wrote" "$(cat "$T/small.out")" "wrote $T/site: 10 notes, 4 themes"
expect_eq "report prints no diagnostics" "$(cat "$T/small.err")" ""

# golden numbers of the overview
I=$T/site/index.html
expect_grep "overview: calls, conversations, connect rate" "$I" \
	"<strong>10</strong> calls logged, <strong>6</strong> conversations (60.0$NB% of attempts connected); <strong>5</strong> of 7 customers reached (71.4$NB%)."
expect_grep "overview: connect rate of buyers per attempt and per customer" "$I" \
	"<tr><th scope=\"row\"><a href=\"segments/buyer-bd6d516a.html\">Recent buyers</a></th><td class=\"num\">4</td><td class=\"num\">3</td><td class=\"num\">75.0$NB%</td><td class=\"num\">3</td><td class=\"num\">2</td><td class=\"num\">66.7$NB%</td></tr>"
expect_grep "overview: connect rate of abandoners" "$I" \
	"Cart abandoners</a></th><td class=\"num\">6</td><td class=\"num\">3</td><td class=\"num\">50.0$NB%</td><td class=\"num\">4</td><td class=\"num\">3</td><td class=\"num\">75.0$NB%</td></tr>"
expect_grep "overview: the calls vs surveys context" "$I" "30-40&nbsp;% of customer calls, against 2-5&nbsp;% response to surveys"
expect_grep "overview: streak and weeks" "$I" \
	"Streak: <strong>5 weeks</strong> in a row with at least one call. This week: 2 calls; the week before: 1. Goal: 2 calls a week."
expect_grep "overview: weekly chart has the busiest week" "$I" "highest 3 (2026-W42)"
expect_grep "overview: top theme row" "$I" \
	"<tr><th scope=\"row\"><a href=\"themes/fit-22574ef4.html\">Unsure about fit</a></th><td>problem</td><td class=\"num\">2</td><td class=\"num\">33.3$NB%</td><td class=\"num\">2</td><td class=\"num\">1</td><td class=\"num\">1</td>"
expect_grep "overview: heat map cell of the largest share" "$I" "<td class=\"heat h5\">2 <span class=\"pct\">(66.7$NB%)</span></td>"
expect_grep "overview: heat map empty cell" "$I" "<td class=\"heat h0\">0 <span class=\"pct\">(0.0$NB%)</span></td>"
# the price key itself (1 of 3), its group beside it, named by its members
expect_grep "overview: price share of abandoners" "$I" \
	"3 of 3 cart abandoner conversations gave a main reason. <strong>33 % named price (price or shipping cost as a group: 67 %); 67 % something else: fit 33 %.</strong>"
expect_grep "overview: the 11 % context" "$I" "only about 11&nbsp;% of non-buyers cite price"
expect_nogrep "overview: no notice of errors when there are none" "$I" "had errors"
expect_eq "overview: top themes in order" \
	"$(sed -n '/<h2 id="themes"/,$p' "$I" | grep -o 'href="themes/[^"]*">[^<]*' | head -4 | sed 's/.*>//' | tr '\n' '|')" \
	"Unsure about fit|Wants wide sizes|Price|Shipping cost|"

W=$T/site/themes/wide-sizes-28ffbeef.html
expect_grep "theme: counts" "$W" "<tr><td>2 (33.3$NB% of all)</td><td>2</td><td>2</td><td>2026-10-12</td><td>2026-11-02</td>"
expect_grep "theme: a quote verbatim with a link to its note" "$W" \
	"<blockquote><p>The wide feet version fits at last</p></blockquote><figcaption><a href=\"../notes/98/2026-11-02-c1-buyer-98fcad3f.html\">2026-11-02-c1-buyer</a>, 2026-11-02, Recent buyers</figcaption>"
expect_grep "theme: the roadmap item it feeds" "$W" "<a href=\"../roadmap.html#item-wide-last-3354c21b\">Wide-fit last</a>"
expect_grep "theme: its most frequent phrase" "$W" "<tr><td>“wide feet”</td><td class=\"num\">2</td><td class=\"num\">2</td>"
expect_grep "theme: split by LTV tier" "$W" "<tr><th scope=\"row\">mid</th><td class=\"num\">1</td>"
expect_grep "segment page: connect rate" "$T/site/segments/abandoner-7d138feb.html" \
	"6 calls, 3 conversations (50.0$NB% connected); 3 of 4 customers reached (75.0$NB%)."
expect_grep "roadmap: supported linked and by theme" "$T/site/roadmap.html" \
	"<p>Supported by 2 linked calls (naming it in <code>roadmap:</code>) and by theme: 2 conversations (2 customers) carrying one of its themes.</p>"
expect_grep "roadmap: the validating call's verdict" "$T/site/roadmap.html" \
	"<p>1 validating follow-up call: <strong>1 without a verdict</strong>.</p>"
expect_grep "roadmap: too few conversations for before and after" "$T/site/roadmap.html" \
	"<p>Too few conversations to tell: 4 in the 2 weeks before it shipped, 1 in the 2 after.</p>"
expect_grep "roadmap: what customers said after it shipped" "$T/site/roadmap.html" \
	"<li><blockquote>The wide feet version fits at last</blockquote>"
expect_grep "roadmap: whom to call back" "$T/site/roadmap.html" \
	"<p>1 supporting customer not heard since it shipped, to call back: C-2.</p>"
expect_grep "roadmap: what to build next first" "$T/site/roadmap.html" \
	"<td>feature-request</td><td class=\"num\">2</td><td class=\"num\">0.0$NB% (&times;1.00)</td><td class=\"num\">0.0$NB% (&times;1.00)</td><td>too few to tell</td><td>wide-last, shipped (&times;0.30)</td><td class=\"num\">0.6</td>"
expect_nogrep "roadmap: reasons and emotions are never ranked" "$T/site/roadmap.html" "Most-mentioned themes with no roadmap item"
expect_grep "overview: what to build next on top" "$I" "<h2 id=\"next\">What to build next</h2>"
expect_grep "jobs: a job with before and without it" "$T/site/jobs.html" \
	"<tr><td>run trails twice a week without blisters</td><td>road shoes from a sports chain</td><td>would tape her heels</td>"
expect_grep "jobs: a root need" "$T/site/jobs.html" "<tr><td>Returns cost her money last time</td>"
expect_grep "phrases: the top phrase with its counts" "$T/site/phrases.html" \
	"<tr><td>“wide feet”</td><td class=\"num\">3</td><td class=\"num\">3</td><td>2026-10-05</td><td>2026-11-02</td></tr>"
N=$T/site/notes/b1/2026-10-05-c1-buyer-b18bc422.html
expect_grep "note: front matter as a table" "$N" "<tr><th scope=\"row\">ltv</th><td>420.50</td></tr>"
expect_grep "note: body rendered" "$N" "<p>She measured her feet twice.</p>"
expect_eq "site: every file" "$(cd "$T/site" && find . -type f | sort | tr '\n' ' ')" \
	"./.verbatim-output ./copy.html ./data.json ./index.html ./jobs.html ./ltv.csv ./ltv.html ./next.csv ./notes/15/2026-11-03-c6-abandoner-1555b501.html ./notes/3e/2026-10-28-c7-abandoner-3ede1e4a.html ./notes/41/2026-10-12-c2-buyer-41f3c5fc.html ./notes/48/2026-10-13-c5-abandoner-48425114.html ./notes/52/2026-10-14-c5-abandoner-52c5503e.html ./notes/7a/2026-10-21-c6-abandoner-7a0c9363.html ./notes/84/2026-10-20-c3-buyer-84668f2a.html ./notes/98/2026-11-02-c1-buyer-98fcad3f.html ./notes/b1/2026-10-05-c1-buyer-b18bc422.html ./notes/ec/2026-10-06-c4-abandoner-ec950802.html ./phrases.html ./product_themes.csv ./products.csv ./quotes.csv ./reasons.csv ./roadmap.csv ./roadmap.html ./search.html ./search/index.js ./search/q0.js ./search/search.js ./search/w0.js ./segments.csv ./segments/abandoner-7d138feb.html ./segments/buyer-bd6d516a.html ./style.css ./themes.csv ./themes/fit-22574ef4.html ./themes/price-a39347ce.html ./themes/shipping-cost-f6268ae1.html ./themes/wide-sizes-28ffbeef.html ./weekly.csv "
expect_eq "every note page is in the folder named by its hash's first two digits" \
	"$(cd "$T/site/notes" && ls -d */* | grep -cvE '^([0-9a-f]{2})/([a-z0-9_-]+-)?\1[0-9a-f]{6}\.html$')" 0
expect_eq "--json: data.json has the totals" \
	"$(grep -c '"attempts":10,"conversations":6' "$T/site/data.json")" 1
expect_eq "--json: themes.csv header and first row" "$(head -2 "$T/site/themes.csv" | cut -d, -f1-5 | tr -d '\r' | tr '\n' '|')" \
	"key,label,kind,notes,customers|fit,Unsure about fit,problem,2,2|"

$CHECK_HTML "$T/site" >"$T/check.out" 2>&1
expect_eq "every page is well-formed, safe and linked" "$(tail -1 "$T/check.out")" "checked 23 pages: 0 problems"
[ "$(tail -1 "$T/check.out")" = "checked 23 pages: 0 problems" ] || sed 's/^/#   /' "$T/check.out" | head -20
expect_eq "no JavaScript but the search page's own, and no external resource" "$(grep -rlE '<script|(href|src)="(https?:)?//|url\(' "$T/site" --include='*.html' --include='*.css' --exclude=search.html | wc -l) $(grep -c '<script' "$T/site/search.html")" "0 2"

# determinism: the same input gives the same bytes
run_vb again report -C "$SMALL" -o "$T/site2" --json
if diff -r "$T/site" "$T/site2" >"$T/diff" 2>&1; then ok "two runs give identical bytes"; else
	notok "two runs give identical bytes"; head -20 "$T/diff" | sed 's/^/#   /'; fi

# options
run_vb asof report -C "$SMALL" -o "$T/asof" --as-of 2026-10-18 --title "Our <b>calls</b>"
expect_grep "--as-of sets the date" "$T/asof/index.html" "<p class=\"lead\">As of 2026-10-18."
expect_grep "--as-of leaves later calls out" "$T/asof/index.html" "<strong>5</strong> calls logged"
expect_grep "--as-of says how many calls it left out" "$T/asof/index.html" "<p class=\"muted\">5 notes dated after 2026-10-18 left out.</p>"
expect_grep "--title is escaped" "$T/asof/index.html" "<h1>Our &lt;b&gt;calls&lt;/b&gt;</h1>"
# themes whose calls all come after --as-of: their note pages still link
# them, to a page that says why it has no figures
run_vb early report -C "$SMALL" -o "$T/early" --as-of 2026-10-06
expect_eq "an early --as-of report exits 0" "$rc" 0
expect_eq "an early --as-of report has no dead link" "$($CHECK_HTML "$T/early" | tail -1)" "checked 23 pages: 0 problems"
expect_grep "a theme only later calls carry has a page saying so" "$T/early/themes/shipping-cost-f6268ae1.html" \
	"<p>No call of this report carries this theme: the notes that do are dated after 2026-10-06, the report&#39;s date.</p>"
expect_eq "themes of calls up to --as-of get full pages" "$(grep -L 'No call of this report' "$T"/early/themes/*.html | sed 's,.*/,,' | tr '\n' ' ')" \
	"fit-22574ef4.html price-a39347ce.html "

# a file that cannot be parsed still has a page, so that links to it work
cp -r "$SMALL" "$T/broken-kb"
printf '\000\001\002binary' >"$T/broken-kb/calls/2026/2026-10-30-c9-buyer.md"
run_vb broken report -C "$T/broken-kb" -o "$T/broken"
expect_eq "a report with an unreadable note exits 0" "$rc" 0
page=$(cd "$T/broken/notes" && ls -d */* | grep '^[0-9a-f][0-9a-f]/2026-10-30-c9-buyer-[0-9a-f]*\.html$')
expect_grep "the unreadable note's page says so" "$T/broken/notes/$page" \
	"<p class=\"notice\" role=\"note\"><strong>This note could not be read</strong>: run <code>verbatim check</code> to see why.</p>"

run_vb badasof report -C "$SMALL" -o "$T/x" --as-of 2026-02-30
expect_eq "a bad --as-of is a usage error" "$rc" 2
expect_grep "a bad --as-of says why" "$T/badasof.err" "verbatim: report: --as-of '2026-02-30' is not a date; write YYYY-MM-DD"
run_vb badopt report -C "$SMALL" --bogus
expect_eq "an unknown option is a usage error" "$rc" 2
run_vb help report --help
$VB report --help >"$T/help.out" 2>&1
expect_grep "--help shows the usage" "$T/help.out" "usage: verbatim report [options]"

# never inside the notes, never over the knowledge base, never over other files
cp -R "$SMALL" "$T/kb"
sums() { (cd "$T/kb" && find . -type f | sort | xargs sha1sum); }
sums >"$T/before"
run_vb innotes report -C "$T/kb" -o calls/public
expect_eq "-o inside a notes folder is refused" "$rc" 2
expect_grep "-o inside a notes folder says why" "$T/innotes.err" "the output folder overlaps the notes folder 'calls'"
run_vb innotes2 report -C "$T/kb" -o "$T/kb/calls/2026/x"
expect_eq "-o deep inside a notes folder is refused" "$rc" 2
run_vb root report -C "$T/kb" -o .
expect_eq "-o on the knowledge base is refused" "$rc" 2
run_vb parent report -C "$T/kb" -o "$T"
expect_eq "-o on a parent of the knowledge base is refused" "$rc" 2
mkdir "$T/kb/mine" && echo keep >"$T/kb/mine/file.txt"
run_vb mine report -C "$T/kb" -o mine
expect_eq "-o on a folder that is no report is refused" "$rc" 2
expect_eq "that folder is left alone" "$(cat "$T/kb/mine/file.txt")" keep
rm -r "$T/kb/mine"
run_vb inkb report -C "$T/kb"
expect_eq "the default output is public/ in the knowledge base" "$(cat "$T/inkb.out")" "wrote $T/kb/public: 10 notes, 4 themes"
rm -r "$T/kb/public"
sums >"$T/after"
expect_file "the notes are never modified" "$T/after" "$T/before"

# a failed run leaves the previous report as it was
echo x >"$T/afile"
run_vb failed report -C "$SMALL" -o "$T/afile/sub"
expect_eq "an output under a file fails" "$rc" 2
cp -R "$T/site" "$T/keep"
run_vb over report -C "$SMALL" -o "$T/site" --as-of 2026-10-18
expect_grep "a second run replaces the report" "$T/site/index.html" "As of 2026-10-18."
expect_eq "the replaced report leaves no temporary folder" "$(ls -A "$T" | grep -c '\.tmp-')" 0

# --rev: the notes of a git revision, note pages read from it too
if command -v git >/dev/null 2>&1; then
	cp -R "$SMALL" "$T/git"
	(cd "$T/git" && git init -q && git add -A &&
		git -c user.name=t -c user.email=t@example.com commit -qm init) >/dev/null 2>&1
	rm "$T/git/calls/2026/2026-11-03-c6-abandoner.md"
	run_vb rev report -C "$T/git" --rev HEAD -o "$T/rev"
	expect_eq "--rev reports the committed notes" "$(cat "$T/rev.out")" "wrote $T/rev: 10 notes, 4 themes"
	expect_grep "--rev note pages come from the revision" "$T/rev/notes/15/2026-11-03-c6-abandoner-1555b501.html" "<p>Voicemail again.</p>"
	run_vb wt report -C "$T/git" -o "$T/wt"
	expect_eq "without --rev the working tree counts" "$(cat "$T/wt.out")" "wrote $T/wt: 9 notes, 4 themes"
	run_vb badrev report -C "$T/git" --rev nosuchrev -o "$T/badrev"
	expect_eq "an unknown --rev is an error" "$rc" 2
fi
