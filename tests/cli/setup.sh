#!/bin/sh
# Every command finds the knowledge base the same way: -C, else the nearest
# folder at or above the current one with verbatim.yml; outside any it says
# so and exits 2.  Regression: index run from a notes subfolder rebuilt the
# shared index without the vocabulary, and phrases then listed the alias
# 'sizing' as a theme of its own.
. "$(dirname "$0")/../lib.sh"
VBA=$(cd "$(dirname "$VB_BIN")" && pwd)/$(basename "$VB_BIN")
VB="$VB_WRAP $VBA"
kb=$T/kb
cp -R "$VB_TOP/examples/acme" "$kb"
git -C "$kb" init -q && git -C "$kb" add -A && git -C "$kb" -c user.name=T -c user.email=t@t commit -qm notes
sub=$kb/calls/2026

(cd "$sub" && $VB index >"$T/index.out" 2>"$T/index.err")
expect_eq "index from a subfolder exits 0" "$?" 0
(cd "$kb" && $VB phrases --format=tsv --limit 100 >"$T/ph.out" 2>"$T/ph.err")
expect_nogrep "the index of a subfolder run knows the aliases (no 'sizing' theme)" "$T/ph.out" "sizing="
expect_grep "... and files them under their theme" "$T/ph.out" "fit-uncertainty="
(cd "$sub" && $VB report >"$T/rep.out" 2>"$T/rep.err")
expect_eq "report from a subfolder writes the knowledge base's public/" \
	"$([ -f "$kb/public/index.html" ] && [ ! -e "$sub/public" ] && echo yes)" yes
(cd "$sub" && $VB stats --as-of 2026-11-13 >"$T/st.out" 2>"$T/st.err")
expect_grep "stats from a subfolder shows the knowledge base's title" "$T/st.out" \
	"$(sed -n 's/^title: //p' "$kb/verbatim.yml")"
for cmd in check next copy history; do
	(cd "$sub" && $VB $cmd >"$T/$cmd.out" 2>"$T/$cmd.err")
	rc=$?
	expect_eq "$cmd from a subfolder works on the knowledge base (exit 0 or findings)" \
		"$([ $rc -le 1 ] && echo yes)" yes
done
(cd "$sub" && $VB new --segment buyer --customer C-77 --date 2026-11-12 >"$T/new.out" 2>"$T/new.err")
expect_eq "new from a subfolder puts the note in the first notes folder" \
	"$(ls "$kb"/calls/2026/2026-11-12-c77-buyer.md 2>/dev/null | wc -l | tr -d ' ')" 1

mkdir -p "$T/outside/deeper"
for cmd in check index phrases report stats next copy history new; do
	args=
	[ $cmd = new ] && args="--segment buyer --customer C-1"
	(cd "$T/outside/deeper" && $VB $cmd $args >"$T/o-$cmd.out" 2>"$T/o-$cmd.err")
	rc=$?
	expect_eq "$cmd outside any knowledge base: exit 2" "$rc" 2
	expect_grep "$cmd outside any knowledge base says so" "$T/o-$cmd.err" \
		"no verbatim.yml here or above; run 'verbatim init'"
done
expect_eq "nothing written outside" "$(find "$T/outside" -mindepth 1 | wc -l | tr -d ' ')" 1
