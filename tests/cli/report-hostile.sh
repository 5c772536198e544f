#!/bin/sh
# verbatim report on hostile notes: script and event-handler HTML in the body,
# a quote, tags, the customer and segment fields, file names and the
# vocabulary; javascript: links, images with onerror, ids with "..", spaces
# and Unicode.  No page may carry markup or a link target from a note.
. "$(dirname "$0")/../lib.sh"
H=$FIX/report/hostile
S=$T/site

run_vb hostile report -C "$H" -o "$S"
expect_eq "report on hostile notes exits 0" "$rc" 0
expect_eq "report counts the note with errors" "$(cat "$T/hostile.out")" \
	"wrote $S: 5 notes, 7 themes, 2 notes with errors (run verbatim check)"

python3 "$VB_TOP/tests/check_html.py" "$S" >"$T/check.out" 2>&1
expect_eq "every page well-formed: no script, no on* attribute, no javascript: URL, links resolve" \
	"$(tail -1 "$T/check.out")" "checked 21 pages: 0 problems"
[ "$(tail -1 "$T/check.out")" = "checked 21 pages: 0 problems" ] || sed 's/^/#   /' "$T/check.out" | head -20

expect_eq "no <script>, <img>, <iframe> or <style> element in any page but the search page's own scripts" \
	"$(grep -rliE '<(script|img|iframe|style)[ >]' "$S" --include='*.html' --exclude=search.html | wc -l) $(grep -oE '<(script|img|iframe|style)[ >][^>]*>' "$S/search.html" | tr '\n' ' ')" \
	"0 <script src=\"search/search.js\" defer> <script src=\"search/index.js\" defer> "
expect_eq "no attribute value carries javascript:" "$(grep -rliE '="[^"]*javascript:' "$S" | wc -l)" 0
expect_eq "nothing is loaded from elsewhere" "$(grep -rlE '<[a-z]+ [^>]*(src|srcset)=|<link [^>]*href="(https?:)?//' "$S" --include='*.html' --exclude=search.html | wc -l) $(grep -oE '(src|srcset)="[^"]*"' "$S/search.html" | tr '\n' ' ')" \
	"0 src=\"search/search.js\" src=\"search/index.js\" "
expect_eq "every page with figures says that a note had errors" \
	"$(grep -L '<strong>2 notes had errors</strong>' "$S"/*.html "$S"/themes/*.html "$S"/segments/*.html | wc -l)" 0
# every error check finds: a bad date and a bad type; personal data (twice)
# and a follows: that names no note (a rule across notes)
expect_eq "a note page says whether its own note had errors, and how many" \
	"$(grep -o '<strong>This note has [0-9]* errors*</strong>' "$S"/notes/*/*.html | sed 's,.*/notes/,,')" "00/2026-10-09-bad-00f252b2.html:<strong>This note has 2 errors</strong>
19/2026-10-05-script-19d3d5cc.html:<strong>This note has 3 errors</strong>"

N=$S/notes/19/2026-10-05-script-19d3d5cc.html
expect_grep "body HTML shown as text" "$N" "<p>&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;</p>"
expect_grep "onerror shown as text" "$N" "<p>&lt;img src=x onerror=&quot;document.title=&#39;pwned&#39;&quot;&gt;</p>"
expect_grep "javascript: links become text" "$N" "<p>click and enc and ent and <span class=\"img-alt\">img</span> and &lt;a href="
expect_grep "customer field escaped" "$N" "<tr><th scope=\"row\">customer</th><td>&lt;img src=x onerror=document.title=&#39;pwned&#39;&gt;</td></tr>"
expect_grep "attribute breakout escaped" "$N" "<td>&quot; onmouseover=&quot;document.title=&#39;pwned&#39;</td>"
expect_grep "a follows: outside the knowledge base is no link" "$N" "<tr><th scope=\"row\">follows</th><td>../../etc/passwd</td></tr>"
expect_grep "personal data redacted" "$N" "Write to [email removed] or call [phone removed] please"
expect_eq "the email is on no page" "$(grep -rl 'jane.doe' "$S" | wc -l)" 0
expect_eq "the phone number is on no page" "$(grep -rl '555' "$S" | wc -l)" 0
expect_grep "vocabulary title escaped" "$S/index.html" "<title>Overview — Hostile &lt;/title&gt;&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;</title>"
expect_grep "a tag with markup is a theme page with an escaped title" "$S/themes/script-document-title-pwned-script-85efc420.html" \
	"<h1>&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;</h1>"
expect_grep "a quote with markup is escaped" "$S/themes/frustrated-fda861fa.html" \
	"<blockquote><p>&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt; it &lt;img src=x onerror=alert(1)&gt; broke</p></blockquote>"
expect_grep "a roadmap title with markup is escaped" "$S/roadmap.html" "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt; item</h3>"

expect_eq "note pages are named safely from hostile ids, in the folder of their hash" \
	"$(cd "$S/notes" && ls -d */* | tr '\n' ' ')" \
	"00/2026-10-09-bad-00f252b2.html 19/2026-10-05-script-19d3d5cc.html 29/296228fd.html cf/n-c-d-spaced-2f-2fetc-cfac63ee.html ef/img-src-x-onerror-alert-1-ef30c62b.html "
expect_eq "every file name of the site is safe" \
	"$(cd "$S" && find . -type f | grep -vcE '^\./(\.verbatim-output|[a-z]+\.(html|css)|search/[a-z]+[0-9]*\.js|(themes|segments)/[a-z0-9_-]+\.html|notes/[0-9a-f]{2}/[a-z0-9_-]+\.html)$')" 0
expect_eq "nothing was written outside the site" "$(ls -A "$T" | tr '\n' ' ')" "check.out hostile.err hostile.out site "
expect_grep "the id with a dot is escaped in its page" "$S/notes/29/296228fd.html" "<h1>.</h1>"
expect_grep "the Unicode id keeps its characters" "$S/notes/cf/n-c-d-spaced-2f-2fetc-cfac63ee.html" "<h1>ünïcödé spaced ..%2F..%2Fetc</h1>"
