#!/bin/sh
# verbatim phrases --tier, --product and --line (issue 16, items 3 and 4): the
# index carries each note's LTV tier and products (with their product lines),
# the filters mean what they mean for stats, and their counts agree with
# stats' where both count the same thing.
. "$(dirname "$0")/../lib.sh"

KB=$FIX/phrases-filters
$VB index -C "$KB" -o "$T/ix" -q

# the note records: tier, then products with their lines
grep "^note$(printf '\t')" "$T/ix" | cut -f1,2,7,12- >"$T/notes.out"
cat >"$T/want" <<'EOT'
note	2026-01-05-c00001-buyer	low	1	fit-uncertainty	1	trail-runner-2	running	1
note	2026-01-06-c00002-buyer	high	1	wide-sizes	2	trail-runner-2	running	hiking-boot-x	hiking	1
note	2026-01-07-c00003-abandoner	high	1	fit-uncertainty	1	road-glide	running	1
note	2026-01-08-c00004-abandoner	unknown	1	wide-sizes	1	hiking-boot-x	hiking	1
note	2026-01-09-c00005-buyer	low	1	fit-uncertainty	0	1
EOT
expect_file "index: each note's tier and products with their lines" "$T/notes.out" "$T/want"

# the top table under each filter (phrase, notes, segments, tags)
top() {
        name=$1
        shift
        run_vb "$name" phrases -C "$KB" --index "$T/ix" --format=tsv "$@"
        printf '%s|' "$rc" >"$T/$name.got"
        tail -n +2 "$T/$name.out" | cut -f1,3,7,8 | tr '\t\n' ':|' >>"$T/$name.got"
        cat "$T/$name.got"
}
expect_eq "--product: the product's conversations only" "$(top p1 --product trail-runner-2)" \
        "0|wide feet:2:buyer=2:fit-uncertainty=1,wide-sizes=1|"
expect_eq "--line: notes with a product of the line" "$(top l1 --line running)" \
        "0|wide feet:3:buyer=2,abandoner=1:fit-uncertainty=2,wide-sizes=1|"
expect_eq "--line hiking" "$(top l2 --line hiking)" \
        "0|wide feet:2:abandoner=1,buyer=1:wide-sizes=2|"
expect_eq "--tier high" "$(top t1 --tier high)" \
        "0|wide feet:2:abandoner=1,buyer=1:fit-uncertainty=1,wide-sizes=1|"
expect_eq "--tier low" "$(top t2 --tier low)" "0|wide feet:2:buyer=2:fit-uncertainty=2|"
expect_eq "--tier unknown: one note, no recurring phrase" "$(top t3 --tier unknown)" "1|"
expect_eq "--product and --line: one product must be both (as stats)" \
        "$(top pl --product hiking-boot-x --line running)" "1|"
expect_eq "--product with --segment" "$(top ps --product hiking-boot-x --segment buyer)" "1|"

# a search under a filter
run_vb s1 phrases -C "$KB" --index "$T/ix" --format=tsv --product road-glide "wide feet"
expect_eq "search --product: its notes' quotes only" "$rc:$(tail -n +2 "$T/s1.out" | cut -f1)" \
        "0:calls/2026-01-07-c00003-abandoner.md"
run_vb s2 phrases -C "$KB" --index "$T/ix" --format=tsv --tier low --complete "wide feet"
expect_eq "--complete --tier" "$rc:$(tail -n +2 "$T/s2.out" | cut -f5 | tr '\n' ' ')" \
        "0:calls/2026-01-09-c00005-buyer.md calls/2026-01-05-c00001-buyer.md "

# values the vocabulary does not know: usage errors, as in stats
run_vb u1 phrases -C "$KB" --index "$T/ix" --product nope
expect_eq "unknown product: exit 2, message" "$rc:$(cat "$T/u1.err")" \
        "2:verbatim: phrases: unknown product 'nope'; use a key of products: in verbatim.yml"
run_vb u2 phrases -C "$KB" --index "$T/ix" --line nope
expect_eq "unknown line: exit 2, message" "$rc:$(cat "$T/u2.err")" \
        "2:verbatim: phrases: unknown product line 'nope'; use a line: of products: in verbatim.yml"
run_vb u3 phrases -C "$KB" --index "$T/ix" --tier nope
expect_eq "unknown tier: exit 2, message" "$rc:$(cat "$T/u3.err")" \
        "2:verbatim: phrases: unknown LTV tier 'nope'; use a label of ltv-tiers: or unknown"

# cross-check with stats: every conversation of the fixture says "wide feet"
# in one quote without hashtags (so the quote's themes are the note's), so
# the phrase's notes, per segment and per tag, are stats' conversations, per
# segment and per theme, under the same filter
for opt in "--product trail-runner-2" "--product road-glide" "--product hiking-boot-x" \
        "--line running" "--line hiking" "--tier high" "--tier low" "--tier unknown" \
        "--product trail-runner-2 --line running" "--product hiking-boot-x --line running"; do
        # shellcheck disable=SC2086
        $VB phrases -C "$KB" --index "$T/ix" --format=json $opt "wide feet" >"$T/x.json"
        # shellcheck disable=SC2086
        $VB stats -C "$KB" --as-of 2026-01-31 --format=json $opt >"$T/s.json"
        got=$(python3 - "$T/x.json" "$T/s.json" <<'PY'
import json, sys
hits = json.load(open(sys.argv[1]))
stats = json.load(open(sys.argv[2]))
notes = {h["note"] for h in hits}
seg = {}
for h in hits:
    seg[h["segment"]] = seg.get(h["segment"], 0) + 1
stats_seg = {s["key"]: s["conversations"] for s in stats["segments"] if s["conversations"]}
# the tags of the phrase's notes, from the index (the JSON search gives none)
print(len(notes) == stats["conversations"] and seg == stats_seg,
      len(notes), stats["conversations"], sorted(seg.items()), sorted(stats_seg.items()))
PY
)
        expect_eq "phrases $opt agrees with stats $opt (notes, per segment)" "${got%% *}" True
        [ "${got%% *}" = True ] || echo "# $got"
        $VB phrases -C "$KB" --index "$T/ix" --format=json $opt >"$T/t.json"
        got=$(python3 - "$T/t.json" "$T/s.json" <<'PY'
import json, sys
top = json.load(open(sys.argv[1]))
stats = json.load(open(sys.argv[2]))
tags = top[0]["tags"] if top else {}
themes = {t["key"]: t["notes"] for t in stats["top_themes"]}
# a phrase is listed from 2 notes on: then its tags are stats' themes
print(not top and stats["conversations"] < 2 or tags == themes, tags, themes)
PY
)
        expect_eq "phrases $opt agrees with stats $opt (per theme)" "${got%% *}" True
        [ "${got%% *}" = True ] || echo "# $got"
done
