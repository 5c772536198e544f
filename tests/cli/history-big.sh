#!/bin/sh
# verbatim history on a generated git corpus: each emerging theme of the
# gen-notes docstring (ai-size-advisor, buy-now-pay-later) is flagged within
# 4 weeks of the week it reached 5 distinct customers (computed from the
# generated files), never before its first conversation; and the renamed
# theme is one series.
. "$(dirname "$0")/../lib.sh"
$GEN --notes 3000 --weeks 52 --end 2026-11-01 --git day --out "$T/kb" >/dev/null || { notok "gen-notes"; exit 0; }
# the Sundays from the theme's first week to 4 weeks after it reached 5 customers
sundays() {
	python3 -c "
import datetime as d, sys
sys.path.insert(0, sys.argv[1])
import kbtruth
ns = kbtruth.notes(sys.argv[2])
first, five = kbtruth.first_monday(ns, sys.argv[3]), kbtruth.reach_monday(ns, sys.argv[3])
k = first + d.timedelta(days=6) - d.timedelta(days=7)
while k <= five + d.timedelta(days=6 + 28):
    print(k)
    k += d.timedelta(days=7)
" "$VB_TOP/tests/eval" "$T/kb" "$1"
}
for key in ai-size-advisor buy-now-pay-later; do
	sundays "$key" >"$T/sundays"
	first=$(head -1 "$T/sundays")
	found=
	while read -r day; do
		run_vb em history -C "$T/kb" --as-of "$day" --format=json
		e=$(python3 -c "import json,sys; h=json.load(open(sys.argv[1])); print([t['emerging'] for t in h['themes'] if t['key']=='$key'])" "$T/em.out")
		if [ "$e" = "[True]" ]; then found=$day; break; fi
	done <"$T/sundays"
	expect_eq "$key emerging within 4 weeks of reaching 5 customers (first flag: ${found:-none})" "${found:+yes}" yes
	expect_eq "$key not emerging the week before its first conversation" "$([ "$found" != "$first" ] && echo yes)" yes
done
run_vb full history -C "$T/kb" --format=json checkout-hassle
series=$(python3 -c "import json,sys; h=json.load(open(sys.argv[1])); t=h['themes'][0]; s=t['by_commit']; i=next(i for i,v in enumerate(s) if v); print(t['key'], min(s[i:]) > 0, len(t['renames']) > 0, t['renames'][0]['from'])" "$T/full.out")
expect_eq "checkout-friction/checkout-hassle is one continuous series, renamed" "$series" "checkout-hassle True True checkout-friction"
# the trees are read from the packs with a cache of delta bases: the same
# bytes from the generated pack, from a repack with long delta chains, from
# loose objects (read by libgit2), and from the cache
run_vb pk history -C "$T/kb" --format=json --no-cache
expect_eq "full history from the generated pack" "$rc $(head -c 1 "$T/pk.out")" "0 {"
git -C "$T/kb" repack -q -a -d -f --depth=50 --window=50
run_vb deep history -C "$T/kb" --format=json --no-cache
expect_file "full history from a repack with 50-deep delta chains is the same" "$T/deep.out" "$T/pk.out"
run_vb deep-note history -C "$T/kb" --note "$(git -C "$T/kb" ls-files calls | tail -1 | sed 's|.*/||; s|\.md$||')" --format=json --no-cache
mkdir "$T/packs" && mv "$T/kb/.git/objects/pack/"* "$T/packs/"
for p in "$T/packs/"*.pack; do git -C "$T/kb" unpack-objects -q <"$p"; done
expect_eq "loose objects only" "$(git -C "$T/kb" count-objects -v | sed -n 's/^in-pack: //p')" 0
run_vb loose history -C "$T/kb" --format=json --no-cache
expect_file "full history from loose objects is the same" "$T/loose.out" "$T/pk.out"
run_vb loose-note history -C "$T/kb" --note "$(git -C "$T/kb" ls-files calls | tail -1 | sed 's|.*/||; s|\.md$||')" --format=json --no-cache
expect_file "one note's history from loose objects is the same" "$T/loose-note.out" "$T/deep-note.out"
run_vb warm history -C "$T/kb" --format=json
run_vb cached history -C "$T/kb" --format=json
expect_file "cached history is the same" "$T/cached.out" "$T/pk.out"
