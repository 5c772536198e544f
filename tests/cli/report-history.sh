#!/bin/sh
# verbatim report with history: a scripted git history with fixed dates (as in
# history.sh) gives history.html, a history section per theme page and the
# history's emerging themes; no author email anywhere; same bytes twice;
# --no-history and a folder that is no repository root give no history.
. "$(dirname "$0")/../lib.sh"
CHECK_HTML="python3 $VB_TOP/tests/check_html.py"

R=$T/kb
git init -q -b main "$R"
git -C "$R" config user.name "Pat Example"
git -C "$R" config user.email pat@example.com
mkdir -p "$R/calls"

note() { # file date customer tags...
	f=$1; d=$2; c=$3; shift 3
	printf -- '---\ndate: %s\ncustomer: %s\nsegment: buyer\ntags: [%s]\n---\n\n# Call\n\n> It took me a while to decide.\n' \
		"$d" "$c" "$(echo "$*" | sed 's/ /, /g')" >"$R/calls/$f"
}
commit() { # "date" message
	GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" git -C "$R" commit -q -m "$2"
}
vocab() { # checkout key, aliases
	printf 'title: History fixture\nnotes: [calls]\nsegments:\n  buyer: {label: Buyers}\ntags:\n  price: {label: Price}\n  shipping: {label: Shipping}\n  %s: {label: Checkout%s}\n' "$1" "$2" >"$R/verbatim.yml"
}

vocab checkout-friction ""
note a.md 2026-01-05 C-1 price checkout-friction
git -C "$R" add -A && commit "2026-01-05T10:00:00 +0000" "Calls of Monday"
note b.md 2026-01-09 C-2 price
git -C "$R" add -A && commit "2026-01-11T23:59:59 +0000" "Sunday night call"
note c.md 2026-01-12 C-3 shipping checkout-friction
git -C "$R" add -A && commit "2026-01-12T00:00:00 +0000" "Monday midnight call <pat@example.com>"
note b.md 2026-01-09 C-2 shipping
git -C "$R" add -A && commit "2026-01-19T01:30:00 +0200" "Retag b"
git -C "$R" rm -q calls/c.md && commit "2026-01-22T10:00:00 +0000" "Remove c"
vocab checkout-hassle ", aliases: [checkout-friction]"
note a.md 2026-01-05 C-1 price checkout-hassle
git -C "$R" add -A && commit "2026-01-27T10:00:00 +0000" "Rename theme checkout-friction to checkout-hassle"

# an output folder that is refused is refused before the history is read (no cache made)
run_vb refused report -C "$R" -o calls/site
expect_eq "a refused -o: exit 2" "$rc" 2
expect_grep "a refused -o: said why" "$T/refused.err" "output-refused"
expect_eq "a refused -o: the history was not read" "$(test -e "$R/.git/verbatim/history.cache" && echo read || echo not)" not

run_vb site report -C "$R" -o "$T/site" --no-cache
expect_eq "report exits 0" "$rc" 0
expect_eq "report prints no diagnostics" "$(cat "$T/site.err")" ""
H=$T/site/history.html
expect_eq "history.html exists" "$(test -f "$H" && echo yes)" yes
id_of() { git -C "$R" log --format=%H --grep="$1" | cut -c1-7; }
FIRST=$(id_of "Calls of Monday"); MIDNIGHT=$(id_of "Monday midnight"); RETAG=$(id_of "Retag b"); RENAME=$(id_of "Rename theme")
expect_grep "history: the lead" "$H" \
	"<p class=\"lead\">6 commits on the main line (first parents), from 2026-01-05 to 2026-01-27; revision shown: <code>$RENAME</code>. 2 notes and 2 conversations at that revision; trends as of 2026-01-27.</p>"
expect_grep "history: a theme's first commit (Monday 00:00:00 UTC) and first call" "$H" \
	"<tr><th scope=\"row\"><a href=\"themes/shipping-e1dfc999.html\">Shipping</a></th><td class=\"date\">2026-01-12 <code>$MIDNIGHT</code></td><td class=\"date\">2026-01-09</td><td class=\"num\">1</td><td class=\"num\">1</td><td></td></tr>"
expect_grep "history: the rename, from verbatim.yml and the notes" "$H" \
	"<td class=\"date\">2026-01-05 <code>$FIRST</code></td><td class=\"date\">2026-01-05</td><td class=\"num\">1</td><td class=\"num\">1</td><td><code>checkout-friction</code> → <code>checkout-hassle</code> in <code>$RENAME</code> on 2026-01-27 (verbatim.yml and notes)</td></tr>"
expect_grep "history: a week's row sums its changes per theme, biggest first" "$H" \
	"</ul></details></td><td>+2 <a href=\"themes/shipping-e1dfc999.html\">Shipping</a>, +1 <a href=\"themes/checkout-hassle-addbd012.html\">Checkout</a>, −1 <a href=\"themes/price-a39347ce.html\">Price</a></td></tr>"
expect_grep "history: a week starts on Monday (UTC)" "$H" \
	"<tr><th scope=\"row\">2026-W03 <span class=\"muted\">from 2026-01-12</span></th><td><details><summary>2 commits by Pat Example</summary>"
expect_grep "history: its commits inside (a +0200 commit dated in UTC, name only)" "$H" \
	"<li>2026-01-18 <code>$RETAG</code> Retag b <span class=\"muted\">(Pat Example)</span></li>"
expect_grep "history: a rename in its week" "$H" \
	"<td>renamed <code>checkout-friction</code> → <code>checkout-hassle</code></td></tr>"
expect_grep "history: how many commits changed themes" "$H" "5 of 6 commits changed themes, in 4 weeks; each row sums a week's changes per theme. Newest first"
expect_eq "history: timeline rows, newest week first" "$(grep -o '^<tr><th scope="row">2026-W[0-9]*' "$H" | sed 's/.*>//' | tr '\n' ' ')" "2026-W05 2026-W04 2026-W03 2026-W02 "
expect_eq "history: one page, no pager" "$(ls "$T/site" | grep -c '^history')" 1
expect_grep "history: the chart's legend and weeks" "$H" "3 series over 4 points from 2026-W02 to 2026-W05, highest 2"
expect_grep "history: each line labelled at its end, no legend" "$H" '<text class="label s0" x="496.0" y="'
expect_nogrep "history: no legend" "$H" 'class="legend"'
expect_grep "history: an email in a subject is removed" "$H" "Monday midnight call &lt;[email removed]&gt;"
C=$T/site/themes/checkout-hassle-addbd012.html
expect_grep "theme page: first seen" "$C" \
	"<p>First seen in commit <code>$FIRST</code> on 2026-01-05 (“Calls of Monday”). First call: 2026-01-05 (<a href=\"../notes/29/a-296230c0.html\">a</a>). 3 changes over the commits;"
expect_grep "theme page: its series over the commits" "$C" "<title id=\"theme-history-title\">Notes with this theme over the commits</title>"
expect_grep "theme page: its rename" "$C" "<li><code>checkout-friction</code> → <code>checkout-hassle</code> in <code>$RENAME</code> on 2026-01-27 (verbatim.yml and notes)</li>"
expect_grep "navigation gains History" "$T/site/index.html" '<a href="history.html">History</a>'
# one rule, one answer: the overview's emerging and fading themes are the
# notes' (those of its themes table); the history page has the history's
expect_grep "history: emerging themes say they come from the history" "$H" \
	"; from the git history (call dates at revision <code>$RENAME</code>, as of 2026-01-27"
expect_grep "overview: emerging themes from the call dates, the history's linked" "$T/site/index.html" \
	"; from the notes' call dates (the same test over the git history: <a href=\"history.html#emerging\">History</a>)."
$CHECK_HTML "$T/site" >"$T/check.out" 2>&1
expect_eq "every page is well-formed, safe and linked" "$(tail -1 "$T/check.out")" "checked 14 pages: 0 problems"
[ "$(tail -1 "$T/check.out")" = "checked 14 pages: 0 problems" ] || sed 's/^/#   /' "$T/check.out" | head -20
expect_eq "no author email anywhere in the site" "$(grep -rl 'example\.com' "$T/site" | wc -l)" 0
expect_eq "no '@' in any page" "$(grep -rl '@' "$T/site" --include='*.html' | wc -l)" 0

# determinism: with the cache written, then read, the same bytes
run_vb c1 report -C "$R" -o "$T/site2"
run_vb c2 report -C "$R" -o "$T/site3"
expect_eq "the cache was written in the git dir" "$(ls "$R/.git/verbatim")" "history.cache"
for d in site2 site3; do
	if diff -r "$T/site" "$T/$d" >"$T/diff" 2>&1; then ok "$d: same bytes as without the cache"; else
		notok "$d: same bytes as without the cache"; head -20 "$T/diff" | sed 's/^/#   /'; fi
done

# --rev: the history of that revision
run_vb rev report -C "$R" --rev HEAD~1 -o "$T/rev"
expect_grep "--rev: the history ends at the revision" "$T/rev/history.html" "5 commits on the main line (first parents), from 2026-01-05 to 2026-01-22"

# --no-history
run_vb nohist report -C "$R" -o "$T/nohist" --no-history
expect_eq "--no-history: no history page" "$(ls "$T/nohist" | tr '\n' ' ')" "copy.html index.html jobs.html ltv.html notes phrases.html roadmap.html search search.html segments style.css themes "
expect_nogrep "--no-history: no History in the navigation" "$T/nohist/index.html" "history.html"
expect_grep "--no-history: emerging themes from the call dates" "$T/nohist/index.html" "; from the notes' call dates.</p>"
expect_nogrep "--no-history: theme pages have no history section" "$T/nohist/themes/checkout-hassle-addbd012.html" "<h2>History</h2>"

# a knowledge base in a subfolder of another repository has no history (the
# repository's history is not the notes' history)
O=$T/outer
git init -q -b main "$O"
cp -R "$R/calls" "$R/verbatim.yml" "$O/" && mkdir "$O/kb" && mv "$O/calls" "$O/verbatim.yml" "$O/kb/"
git -C "$O" add -A && GIT_AUTHOR_DATE="2026-02-01T10:00:00 +0000" GIT_COMMITTER_DATE="2026-02-01T10:00:00 +0000" \
	git -C "$O" -c user.name=O -c user.email=o@example.com commit -q -m outer
run_vb sub report -C "$O/kb" -o "$T/sub"
expect_eq "a kb below a repository's root: no history" "$(cat "$T/sub.out"; test -f "$T/sub/history.html" && echo history)" "wrote $T/sub: 2 notes, 3 themes"
if diff -r "$T/nohist" "$T/sub" >"$T/diff" 2>&1; then ok "a kb below a repository's root: same bytes as --no-history"; else
	notok "a kb below a repository's root: same bytes as --no-history"; head -20 "$T/diff" | sed 's/^/#   /'; fi

# a repository without a commit yet: no history, no error
E=$T/empty
git init -q -b main "$E"
cp -R "$R/calls" "$R/verbatim.yml" "$E/"
run_vb empty report -C "$E" -o "$T/empty-site"
expect_eq "a repository without commits: written, no history" "$rc $(cat "$T/empty.err")$(test -f "$T/empty-site/history.html" && echo history)" "0 "

# the timeline: 20 weeks a page, newest first; a week lists at most 25 commits
B=$T/big
git init -q -b main "$B"
{ # 203 commits in one git process, each adding one call: 30 in the week of
  # 2026-01-05, then one a week (173 weeks): 174 weeks, 9 pages
	printf 'blob\nmark :1\ndata <<EOF\nnotes: [calls]\ntags:\n  price: {label: Price}\nEOF\n'
	i=1
	while [ $i -le 203 ]; do
		if [ $i -le 30 ]; then t=$((1767607200 + i * 60)); else t=$((1767607200 + (i - 30) * 604800)); fi
		printf 'commit refs/heads/main\ncommitter B <b@example.com> %d +0000\ndata <<EOF\ncall %d\nEOF\n' $t $i
		[ $i -eq 1 ] && printf 'M 100644 :1 verbatim.yml\n'
		printf 'M 100644 inline calls/n%d.md\ndata <<EOF\n---\ndate: 2026-01-05\ncustomer: C-%d\ntags: [price]\n---\nEOF\n\n' $i $i
		i=$((i + 1))
	done
} | git -C "$B" fast-import --quiet
git -C "$B" checkout -q main
run_vb big report -C "$B" -o "$T/big-site"
BH=$T/big-site/history.html
expect_grep "timeline: paged, and says so" "$BH" "203 of 203 commits changed themes, in 174 weeks; each row sums a week's changes per theme; weeks 1 to 20 here, 20 a page."
expect_eq "timeline: 9 pages" "$(ls "$T/big-site" | grep '^history' | sort -V | tr '\n' ' ')" \
	"history.html history-2.html history-3.html history-4.html history-5.html history-6.html history-7.html history-8.html history-9.html "
expect_eq "timeline: 20 weeks on the first page, the newest first" \
	"$(grep -c '^<tr><th scope="row">20[0-9][0-9]-W' "$BH") $(grep -o '<li>[0-9-]* <code>[0-9a-f]*</code> call [0-9]*' "$BH" | sed -n '1p' | sed 's/.* //')" "20 203"
expect_grep "timeline: the first page links to the next" "$BH" '<a href="history-2.html#timeline" rel="next">Older weeks →</a>'
P9=$T/big-site/history-9.html
expect_eq "timeline: 14 weeks on the last page" "$(grep -c '^<tr><th scope="row">20[0-9][0-9]-W' "$P9")" 14
expect_grep "timeline: the last page links back, not on" "$P9" '<span>Page 9 of 9</span><a href="history-8.html#timeline" rel="prev">← Newer weeks</a></nav>'
expect_grep "timeline: the oldest week sums its 30 commits" "$P9" \
	'<tr><th scope="row">2026-W02 <span class="muted">from 2026-01-05</span></th><td><details><summary>30 commits by B</summary>'
expect_eq "timeline: a week lists 25 commits, then says how many more" \
	"$(sed -n '/2026-W02 /,/<\/tr>/p' "$P9" | grep -c '^<li>2026-01-05 <code>') $(grep -c '<li>and 5 more</li>' "$P9")" "25 1"
expect_grep "timeline: the week's change" "$P9" '+30 <a href="themes/price-a39347ce.html">Price</a></td></tr>'
$CHECK_HTML "$T/big-site" >"$T/check.out" 2>&1
expect_eq "paged timeline: every page well-formed and linked" "$(tail -1 "$T/check.out" | sed 's/checked [0-9]* pages: //')" "0 problems"

# many themes: five labelled lines, then one small chart for each other theme
$GEN --notes 300 --seed 3 --git day --out "$T/gen" >/dev/null 2>&1
run_vb gen report -C "$T/gen" -o "$T/gen-site"
GH=$T/gen-site/history.html
themes=$(grep -c '^<tr><th scope="row"><a href="themes/' "$GH")
expect_eq "many themes: five lines, each labelled" "$(grep -c '<text class="label s[0-4]"' "$GH")" 5
expect_eq "many themes: a small chart for each other theme" "$(grep -c '<svg class="spark"' "$GH")" "$((themes - 5))"
