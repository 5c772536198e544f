#!/bin/sh
# A note's page as a reader expects (issue 21, item 5): front-matter lists as
# words, not YAML ("a, b", never "[a, b]"), maps as "key: value", and the
# roadmap items it supports linked to their place on the roadmap page.
. "$(dirname "$0")/../lib.sh"

run_vb ex report -C "$VB_TOP/examples/acme" -o "$T/site" --as-of 2026-11-18
expect_eq "the example's report is written" "$rc" 0
P=$(grep -rl '<title>2026-11-02-c10391-abandoner ' "$T/site/notes")
expect_eq "the note has a page" "$(echo "$P" | wc -l)" 1
expect_grep "a list as words" "$P" '<tr><th scope="row">tags</th><td>fit-uncertainty, size-advisor, anxious</td></tr>'
expect_grep "a one-item list as a word" "$P" '<tr><th scope="row">products</th><td>road-glide</td></tr>'
expect_nogrep "no YAML brackets in the front matter" "$P" '<td>\['
expect_grep "the roadmap item linked to its place on the roadmap page" "$P" \
	'<li>Roadmap: <a href="../../roadmap.html#item-size-advisor-ebccf58f">Size advisor on product pages</a></li>'
expect_grep "the roadmap page has that place" "$T/site/roadmap.html" 'id="item-size-advisor-ebccf58f"'

# a map, nested lists and an unknown roadmap id
mkdir -p "$T/kb/calls"
printf 'notes: [calls]\ntags:\n  price: {label: Price}\n' >"$T/kb/verbatim.yml"
printf 'known-item:\n  title: A known item\n  status: planned\n' >"$T/kb/roadmap.yml"
printf -- '---\ndate: 2026-03-02\ncustomer: C-1\ntags: [price]\nroadmap: [known-item, not-an-item]\nextra: {size: 42, fits: [wide, long]}\n---\n\n> Too dear.\n' >"$T/kb/calls/a.md"
run_vb kb report -C "$T/kb" -o "$T/kb-site"
A=$(find "$T/kb-site/notes" -name 'a-*.html')
expect_grep "a map as key: value, its list as words" "$A" '<tr><th scope="row">extra</th><td>size: 42; fits: wide, long</td></tr>'
expect_grep "a known item linked, an unknown one as text" "$A" \
	'<li>Roadmap: <a href="../../roadmap.html#item-known-item-'
expect_grep "an unknown roadmap id as text" "$A" '</a>, not-an-item</li>'
