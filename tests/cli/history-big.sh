#!/bin/sh
# verbatim history on a generated git corpus: the emerging themes are flagged
# within 4 weeks of their first week, and the renamed theme is one series.
. "$(dirname "$0")/../lib.sh"
$GEN --notes 3000 --weeks 52 --end 2026-11-01 --git day --out "$T/kb" >/dev/null || { notok "gen-notes"; exit 0; }
# week k (from 0) of the range ends on the Sunday end - 7*(51-k) days
sunday() { python3 -c "import datetime as d; print(d.date(2026,11,1)-d.timedelta(days=7*(51-$1)))"; }
for theme in ai-size-advisor:20 buy-now-pay-later:32; do
	key=${theme%:*}; first=${theme#*:}; found=
	k=$first
	while [ $k -le $((first + 4)) ]; do
		run_vb em history -C "$T/kb" --as-of "$(sunday $k)" --format=json
		e=$(python3 -c "import json,sys; h=json.load(open(sys.argv[1])); print([t['emerging'] for t in h['themes'] if t['key']=='$key'])" "$T/em.out")
		if [ "$e" = "[True]" ]; then found=$k; break; fi
		k=$((k + 1))
	done
	expect_eq "$key emerging within 4 weeks of week $first" "${found:+yes}" yes
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
