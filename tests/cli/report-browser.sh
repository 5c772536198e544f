#!/bin/sh
# verbatim report in a real browser: headless Chromium (Debian's chromium,
# installed here when missing) opens the overview and a theme page, takes
# screenshots, and finds no console error and no failed load; on the hostile
# fixture no script from a note runs (the title stays, no script element).
. "$(dirname "$0")/../lib.sh"

if ! command -v chromium >/dev/null 2>&1; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q chromium >"$T/apt.log" 2>&1 ||
		{ apt-get update -q >>"$T/apt.log" 2>&1 && apt-get install -y -q chromium >>"$T/apt.log" 2>&1; }
fi
if ! command -v chromium >/dev/null 2>&1; then
	notok "chromium is installed (apt-get install chromium)"; tail -5 "$T/apt.log" | sed 's/^/#   /'; exit 1
fi
ok "chromium is installed"

SHOTS=${VB_SHOTS:-$T/shots}
mkdir -p "$SHOTS"
# browser ARGS...: one headless run with a fresh profile, log to $T/log
browser() {
	profile=$(mktemp -d)
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$profile" --enable-logging=stderr --v=0 "$@" 2>"$T/log"
	status=$?
	rm -rf "$profile"
	return $status
}
# page_ok WHAT: no error of the page in $T/log
page_ok() {
	if grep -E 'Uncaught|ERR_|Refused to|Failed to load|CONSOLE' "$T/log" >"$T/bad"; then
		notok "$1"; sed 's/^/#   /' "$T/bad" | head -10
	else ok "$1"; fi
}
png_size() { python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print("%dx%d" % struct.unpack(">II", d[16:24]) if d[:8]==b"\x89PNG\r\n\x1a\n" else "not a png")' "$1"; }

run_vb small report -C "$FIX/report/small" -o "$T/site"
expect_eq "the report is written" "$rc" 0
for page in index.html themes/wide-sizes-28ffbeef.html; do
	shot=$SHOTS/$(echo "$page" | tr '/' '_').png
	browser --screenshot="$shot" --window-size=1280,2000 "file://$T/site/$page" >/dev/null
	expect_eq "screenshot of $page taken" "$(png_size "$shot")" "1280x2000"
	page_ok "$page: no console error and no failed load"
	browser --dump-dom "file://$T/site/$page" >"$T/dom.html"
	page_ok "$page: no error when dumping the DOM"
	expect_grep "$page: the browser laid out the page" "$T/dom.html" "<h1>"
done
expect_eq "the overview screenshot is not blank" \
	"$(python3 -c 'import os,sys; print(os.path.getsize(sys.argv[1]) > 20000)' "$SHOTS/index.html.png")" True

# title as the page's source says, and as the browser has it after running
title_of() {
	python3 - "$1" <<'PY'
import html.parser, sys
class P(html.parser.HTMLParser):
    t, on, scripts = "", False, 0
    def handle_starttag(self, tag, a):
        if tag == "title": self.on = True
        if tag == "script": self.scripts += 1
    def handle_endtag(self, tag):
        if tag == "title": self.on = False
    def handle_data(self, d):
        if self.on: self.t += d
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
print("%d script elements, title: %s" % (p.scripts, p.t))
PY
}
run_vb hostile report -C "$FIX/report/hostile" -o "$T/evil"
for page in index.html notes/19/2026-10-05-script-19d3d5cc.html themes/frustrated-fda861fa.html \
	segments/script-document-title-pwned-script-85efc420.html roadmap.html \
	notes/ef/img-src-x-onerror-alert-1-ef30c62b.html; do
	browser --dump-dom "file://$T/evil/$page" >"$T/dom.html"
	expect_eq "hostile $page: no script element and the title unchanged in the browser" \
		"$(title_of "$T/dom.html")" "$(title_of "$T/evil/$page")"
	expect_nogrep "hostile $page: no script ran" "$T/dom.html" "<title>pwned</title>"
	page_ok "hostile $page: no console error, no blocked or failed load"
done
