#!/bin/sh
# verbatim report's search on a generated 20k-note corpus, in headless
# Chromium: the first result of the word most quotes have costs under
# 100 KB (the files the script says it loaded, and the page, stylesheet,
# script and index.js), and the search grows the site by less than 30 %.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../browser.sh"

# 20k notes: the bytes loaded before the first result of a common word, and
# the site's growth
$GEN --notes 20000 --out "$T/big" >/dev/null 2>&1 || { notok "gen-notes --notes 20000"; exit 1; }
run_vb big report -C "$T/big" -o "$T/big-site"
run_vb bigplain report -C "$T/big" -o "$T/big-plain" --no-search
# the word most quotes have (from the shards: [word, quotes, ...])
word=$(python3 - "$T/big-site/search" <<'PY'
import glob, json, os, sys
best = ("", 0)
for f in glob.glob(os.path.join(sys.argv[1], "w*.js")):
    t = open(f, encoding="utf-8").read()
    for e in json.loads(t[t.index("[") : t.rindex("]") + 1]):
        if e[1] > best[1] or (e[1] == best[1] and e[0] < best[0]):
            best = (e[0], e[1])
print(best[0])
PY
)
browser "file://$T/big-site/search.html?q=$word" >"$T/dom.html"
page_ok "20k notes, '$word': no console error"
loaded=$(python3 - "$T/dom.html" <<'PY'
import re, sys
m = re.search(r'id="search-status"[^>]*data-loaded="([^"]*)"', open(sys.argv[1], encoding="utf-8").read())
print(m.group(1) if m else "")
PY
)
expect_eq "20k notes, '$word': a first result was shown, linked to its note" \
	"$(grep -c '<ol class="plain"><li><figure class="quote"><blockquote><p>[^<]*</p></blockquote><figcaption><a href="notes/' "$T/dom.html")" 1
bytes=$(cd "$T/big-site" && cat search.html style.css search/search.js search/index.js $loaded | wc -c)
expect_eq "20k notes: a first result of '$word' costs under 100 KB (search.html, style.css, search.js, index.js, $loaded: $bytes bytes)" \
	"$([ "$bytes" -lt 102400 ] && echo under)" under
with=$(du -sb "$T/big-site" | cut -f1)
without=$(du -sb "$T/big-plain" | cut -f1)
expect_eq "20k notes: the search grows the site by less than 30 % ($without to $with bytes)" \
	"$([ $((with * 100)) -lt $((without * 130)) ] && echo less)" less
