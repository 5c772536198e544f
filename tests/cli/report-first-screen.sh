#!/bin/sh
# The overview's first screen in a real browser (headless Chromium, as
# tests/cli/report-browser.sh drives it): at 1280 x 800 the answers to
# Monday's questions -- this month's top problems and requests, emerging
# and fading, calls against the goal, the price sentence, the top of what to
# build next -- lie within the first screen, without scrolling, and the long
# tables begin below them.  The page forbids scripts (its
# Content-Security-Policy), so a copy without that line gets a script that
# measures the boxes; the layout depends on the width only (no vh units).
. "$(dirname "$0")/../lib.sh"

if ! command -v chromium >/dev/null 2>&1; then
	notok "chromium is installed (apt-get install chromium)"; exit 1
fi
ok "chromium is installed"

# probe SITE NAME: the boxes of the first screen's parts in $T/NAME.probe
probe() {
	mkdir -p "$T/probe-$2"
	cp "$1/style.css" "$T/probe-$2/"
	python3 - "$1/index.html" "$T/probe-$2/index.html" <<'PY'
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
s = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", s)
js = """<script>
var ids = ["glance-problems", "glance-requests", "glance-calls", "glance-trends",
           "glance-price", "glance-next"], out = [];
ids.forEach(function (id) {
  var e = document.getElementById(id);
  if (!e) { out.push(id + " missing"); return; }
  var r = e.getBoundingClientRect(), top = r.top + scrollY, bottom = r.bottom + scrollY;
  out.push(id + (top >= 0 && r.left >= 0 && bottom <= 800 && r.right <= 1280 ? " in" : " out") +
           " " + Math.round(top) + "-" + Math.round(bottom));
});
var t = document.getElementById("next").getBoundingClientRect().top + scrollY,
    g = document.getElementById("glance").getBoundingClientRect().bottom + scrollY;
out.push("tables " + (t >= g ? "below" : "above"));
var d = document.documentElement;
out.push("sideways " + (d.scrollWidth > d.clientWidth ? "scrolls" : "fits"));
document.body.setAttribute("data-probe", out.join("; "));
</script>"""
open(sys.argv[2], "w", encoding="utf-8").write(s.replace("</body>", js + "</body>"))
PY
	profile=$(mktemp -d)
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$profile" --window-size=1280,800 --dump-dom "file://$T/probe-$2/index.html" \
		2>"$T/$2.log" | grep -o 'data-probe="[^"]*"' | sed 's/^data-probe="//; s/"$//' | tr ';' '\n' |
		sed 's/^ //' >"$T/$2.probe"
	rm -rf "$profile"
}
# first_screen NAME: every part within 1280 x 800, the tables below, no sideways scroll
first_screen() {
	expect_eq "$1: six parts measured" "$(grep -c '^glance-' "$T/$1.probe")" 6
	if grep '^glance-' "$T/$1.probe" | grep -qv ' in '; then
		notok "$1: every part is within the first screen (1280 x 800)"; sed 's/^/#   /' "$T/$1.probe"
	else ok "$1: every part is within the first screen (1280 x 800)"; fi
	expect_eq "$1: the long tables follow the first screen" "$(grep '^tables' "$T/$1.probe")" "tables below"
	expect_eq "$1: no sideways scrolling" "$(grep '^sideways' "$T/$1.probe")" "sideways fits"
}

run_vb ex report -C "$VB_TOP/examples/acme" -o "$T/ex"
expect_eq "the example's report is written" "$rc" 0
probe "$T/ex" ex
first_screen ex

# notices above the first screen (notes with errors) and no phrases
run_vb agg report -C "$FIX/agg/kb" -o "$T/agg"
probe "$T/agg" agg
first_screen agg

# a generated knowledge base: full lists, the customers' words, long labels
$GEN --notes 2000 --out "$T/big" >/dev/null 2>&1 || { notok "gen-notes --notes 2000"; exit 1; }
run_vb big report -C "$T/big" -o "$T/bigsite"
expect_eq "the generated report is written" "$rc" 0
expect_eq "big: the lists are full (3 problems, 3 requests, 3 to build)" \
	"$(grep -c '<li><span class="name">' "$T/bigsite/index.html")" 9
probe "$T/bigsite" big
first_screen big
