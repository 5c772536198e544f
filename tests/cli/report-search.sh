#!/bin/sh
# verbatim report's search page in headless Chromium: search.html?q=... finds
# the quotes (exact results on the small fixture), shows hostile quotes as
# text with nothing run, logs no console error and no policy violation;
# --no-search writes no script and the same pages but for the navigation
# entry; the index is deterministic.  Sizes on 20k notes: report-search-big.sh.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../browser.sh"
# results DOM: the search's status, then one line per quote found: its text
# (as the browser has it), its link and caption, and every element's tag
# inside the results (an <img> or <script> there would be markup from a note)
results() {
	python3 - "$1" <<'PY'
import html.parser, sys
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.cur, self.where, self.status, self.tags = [], None, None, None, []
        self.in_quotes = False
    def handle_starttag(self, tag, a):
        a = dict(a)
        if a.get("id") == "search-status": self.where = "status"; self.status = ""
        if self.in_quotes and tag not in ("h2", "ol", "li", "figure", "blockquote", "p", "figcaption", "a"):
            self.tags.append(tag)
        if a.get("id") == "search-quotes": self.in_quotes = True
        if self.in_quotes and tag == "li": self.cur = {"text": "", "cap": "", "href": ""}; self.out.append(self.cur)
        if self.cur is not None and tag == "p": self.where = "text"
        if self.cur is not None and tag == "figcaption": self.where = "cap"
        if self.cur is not None and tag == "a": self.cur["href"] = a.get("href")
    def handle_endtag(self, tag):
        if tag in ("p", "figcaption"): self.where = None
        if tag == "section": self.in_quotes = False; self.cur = None
    def handle_data(self, d):
        if self.where == "status": self.status += d
        elif self.where and self.cur is not None: self.cur[self.where] += d
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
print(p.status)
for r in p.out: print("%s | %s | %s" % (r["text"], r["href"], r["cap"]))
if p.tags: print("other elements:", " ".join(p.tags))
PY
}

S=$T/site
run_vb small report -C "$FIX/report/small" -o "$S"
expect_eq "the report is written with its search page" "$rc $(ls "$S/search.html") $(ls "$S/search" | tr '\n' ' ')" \
	"0 $S/search.html index.js q0.js search.js w0.js "
expect_grep "every page links the search page" "$S/themes/fit-22574ef4.html" '<li><a href="../search.html">Search</a></li>'
expect_grep "the search page alone lets the site's own scripts run" "$S/search.html" \
	"content=\"default-src 'none'; script-src 'self'; style-src 'self';"
expect_nogrep "other pages run no script" "$S/index.html" "script-src"

browser "file://$S/search.html?q=Wide%20FEET" >"$T/dom.html"
page_ok "search for two words: no console error, no policy violation, no failed load"
results "$T/dom.html" >"$T/got"
cat >"$T/want" <<'EOF'
0 themes, 1 phrase, 3 quotes with every word.
The wide feet version fits at last | notes/98/2026-11-02-c1-buyer-98fcad3f.html | 2026-11-02-c1-buyer, 2026-11-02
Wide feet need wide shoes | notes/41/2026-10-12-c2-buyer-41f3c5fc.html | 2026-10-12-c2-buyer, 2026-10-12
I wasn't sure the size would fit my wide feet | notes/b1/2026-10-05-c1-buyer-b18bc422.html | 2026-10-05-c1-buyer, 2026-10-05
EOF
expect_file "a query finds the quotes with every word, newest first, linked to their notes" "$T/got" "$T/want"
expect_grep "the phrase is found and links a search for it" "$T/dom.html" \
	'<a href="search.html?q=wide%20feet">“wide feet”</a> (3 notes)'
browser "file://$S/search.html?q=fit" >"$T/dom.html"
expect_grep "a theme is found by its label" "$T/dom.html" \
	'<li><a href="themes/fit-22574ef4.html">Unsure about fit</a> (2 conversations)</li>'
expect_eq "one word: every quote that has it (not 'fits')" "$(results "$T/dom.html" | cut -d'|' -f1)" \
	"1 theme, 1 phrase, 2 quotes.
Not sure the size would fit 
I wasn't sure the size would fit my wide feet "
browser "file://$S/search.html?q=zebra" >"$T/dom.html"
page_ok "a word no quote has: no error"
expect_eq "a word no quote has: nothing found" "$(results "$T/dom.html")" "0 themes, 0 phrases, 0 quotes."

# hostile quotes: shown as text, nothing runs, personal data as on the pages
H=$T/evil
run_vb hostile report -C "$FIX/report/hostile" -o "$H"
for q in script onerror; do
	browser "file://$H/search.html?q=$q" >"$T/dom.html"
	page_ok "hostile, $q: no console error, no policy violation, no failed load"
	expect_eq "hostile, $q: the quote's markup is shown as text, no element made from it" "$(results "$T/dom.html" | sed 1d)" \
		"<script>document.title='pwned'</script> it <img src=x onerror=alert(1)> broke | notes/19/2026-10-05-script-19d3d5cc.html | 2026-10-05-script, 2026-10-05"
	expect_eq "hostile, $q: the title is unchanged and no image was made" \
		"$(grep -c '<title>Search' "$T/dom.html") $(grep -c '<img' "$T/dom.html")" "1 0"
done
browser "file://$H/search.html?q=hostile" >"$T/dom.html"
expect_eq "hostile: a note id with markup is a caption, as text" "$(results "$T/dom.html")" \
	"0 themes, 0 phrases, 1 quote.
File names can be hostile too | notes/ef/img-src-x-onerror-alert-1-ef30c62b.html | \"><img src=x onerror=alert(1)>, 2026-10-06"
browser "file://$H/search.html?q=write%20please" >"$T/dom.html"
expect_eq "hostile: personal data is removed from the quotes as on the pages" "$(results "$T/dom.html" | sed -n 2p | cut -d'|' -f1)" \
	"Write to [email removed] or call [phone removed] please "
expect_eq "hostile: no email or phone number in the index" "$(cat "$H"/search/*.js | grep -cE 'jane|555')" 0
expect_eq "hostile: no < > & unescaped in the index's data" "$(cat "$H"/search/[ipqw]*.js | grep -c '[<>&]')" 0

# --no-search: no script anywhere, and every other page as with search but
# for the navigation entry
run_vb nosearch report -C "$FIX/report/hostile" -o "$T/plain" --no-search
expect_eq "--no-search: no search page, no script in any file" \
	"$rc $(ls "$T/plain/search.html" "$T/plain/search" 2>/dev/null | wc -l) $(grep -rlic '<script' "$T/plain" | wc -l)" "0 0 0"
(cd "$T/plain" && find . -type f | sort) >"$T/plain.files"
(cd "$H" && find . -type f ! -name search.html ! -path './search/*' | sort) >"$T/evil.files"
expect_file "--no-search: the same files but search.html and search/" "$T/evil.files" "$T/plain.files"
differ=0
while read -r f; do
	grep -vxF '<li><a href="search.html">Search</a></li>' "$H/$f" |
		grep -vxF '<li><a href="../search.html">Search</a></li>' |
		grep -vxF '<li><a href="../../search.html">Search</a></li>' | cmp -s - "$T/plain/$f" || {
		differ=$((differ + 1)); echo "# differs: $f"; }
done <"$T/plain.files"
expect_eq "--no-search: every other page the same bytes but for the Search entry" "$differ" 0

# deterministic: the same notes give the same bytes
run_vb again report -C "$FIX/report/hostile" -o "$T/again"
expect_eq "the search files are the same bytes on a rerun" "$(diff -r "$H/search" "$T/again/search" && cmp "$H/search.html" "$T/again/search.html" && echo same)" same
