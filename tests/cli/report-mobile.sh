#!/bin/sh
# The report on a phone (390 px wide) in headless Chromium, light and dark:
# no page wider than the screen, every table scrolls inside its own box with
# its first column fixed, chart labels at least 11 px, heat-map cells at WCAG
# AA contrast (tests/tools/mobile-probe.html measures; see its comment).
. "$(dirname "$0")/../lib.sh"

if ! command -v chromium >/dev/null 2>&1; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q chromium >"$T/apt.log" 2>&1 ||
		{ apt-get update -q >>"$T/apt.log" 2>&1 && apt-get install -y -q chromium >>"$T/apt.log" 2>&1; }
fi
command -v chromium >/dev/null 2>&1 || { notok "chromium is installed (apt-get install chromium)"; exit 1; }

$GEN --notes 300 --seed 5 --out "$T/kb" >/dev/null 2>&1
run_vb example report -C "$VB_TOP/examples/acme" -o "$T/example" --as-of 2026-11-18
expect_eq "the example's report is written" "$rc" 0
run_vb gen report -C "$T/kb" -o "$T/gen"
expect_eq "a generated knowledge base's report is written" "$rc" 0
cp "$VB_TOP/tests/tools/mobile-probe.html" "$T/probe.html"

for site in example gen; do
	pages=$(cd "$T" && { ls "$site"/*.html; ls "$site"/themes/*.html | head -3;
		ls "$site"/segments/*.html | head -2; find "$site"/notes -name '*.html' | sort | head -2; } | tr '\n' ',')
	for scheme in light dark; do
		[ $scheme = light ] && blink=1 || blink=0
		profile=$(mktemp -d)
		timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
			--disable-background-networking --disable-component-update --disable-sync \
			--user-data-dir="$profile" --blink-settings=preferredColorScheme=$blink \
			--allow-file-access-from-files --virtual-time-budget=30000 \
			--dump-dom "file://$T/probe.html#${pages%,}" 2>"$T/log" >"$T/dom.html"
		rm -rf "$profile"
		sed -n '/<pre id="out">/,/<\/pre>/p' "$T/dom.html" | sed 's/<[^>]*>//g' >"$T/found"
		expect_eq "$site, $scheme: the probe finished" "$(grep -cx done "$T/found")" 1
		n=$(grep -c ': checked$' "$T/found")
		expect_eq "$site, $scheme: pages measured" "$n" "$(echo "${pages%,}" | tr ',' '\n' | wc -l)"
		grep -v -e ': checked$' -e '^done$' -e '^$' "$T/found" >"$T/bad"
		if [ -s "$T/bad" ]; then notok "$site, $scheme: nothing a phone user would miss"; sed 's/^/#   /' "$T/bad" | head -20
		else ok "$site, $scheme: nothing a phone user would miss"; fi
	done
done
