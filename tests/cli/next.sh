#!/bin/sh
# verbatim next: the opportunity ranking, with every part of the score, on a
# fixture whose scores are worked out by hand in the comments below.
. "$(dirname "$0")/../lib.sh"
KB=$FIX/next/kb

# fit:  customers C-1 C-2 C-3, 4 conversations, 2 from abandoners/returners
#       (x1.5), C-1 in the high tier (x1.333): 3 x 1.5 x 1.333 = 6.0
# wide: customers C-4 C-5 C-6, 1 of 3 lost (x1.333), C-4 high (x1.333),
#       planned on the roadmap (x0.7): 3 x 1.333 x 1.333 x 0.7 = 3.733
# slow: one customer, not ranked; price (reason), happy (emotion): never.
run_vb tsv next -C "$KB" --format=tsv
expect_eq "next --format=tsv exits 0" "$rc" 0
printf 'rank\ttheme\tkind\tcustomers\tnotes\tlost_share\tlost_factor\thigh_ltv_share\tltv_factor\ttrend\ttrend_factor\troadmap\troadmap_status\troadmap_factor\tscore\tphrase
1\tfit\tproblem\t3\t4\t0.500\t1.500\t0.333\t1.333\ttoo few to tell\t1.000\t\t\t1.000\t6.000\t
2\twide\tfeature-request\t3\t3\t0.333\t1.333\t0.333\t1.333\ttoo few to tell\t1.000\twide-item\tplanned\t0.700\t3.733\t
' >"$T/tsv.expected"
expect_file "the ranking and each part of the score" "$T/tsv.out" "$T/tsv.expected"

# --segment buyer: fit C-2 and C-1's buyer call (no ltv): 2; wide C-5 C-6 x0.7: 1.4
run_vb seg next -C "$KB" --format=tsv --segment buyer
expect_eq "--segment buyer ranks on the buyers' calls only" \
	"$(cut -f2,4,15 "$T/seg.out" | tail -n +2 | tr '\t\n' ' ;')" "fit 2 2.000;wide 2 1.400;"
run_vb tier next -C "$KB" --format=tsv --tier high
expect_eq "--tier high: no theme of two customers" "$(tail -n +2 "$T/tier.out" | wc -l | tr -d ' ')" 0
run_vb lim next -C "$KB" --format=tsv --limit 1
expect_eq "--limit 1" "$(tail -n +2 "$T/lim.out" | cut -f2)" "fit"

run_vb text next -C "$KB"
cat >"$T/text.expected" <<'EOT'
What to build next, as of 2026-11-09 (8 conversations)

 1. Unsure about fit (fit, problem)  score 6.0
    3 customers in 4 conversations; lost revenue 50 % (x1.50); high LTV 33 % (x1.33)
    trend: too few conversations to tell (8 in the last 8 weeks, 0 in the 26 before)
    not on the roadmap

 2. Wants wide sizes (wide, feature-request)  score 3.7
    3 customers in 3 conversations; lost revenue 33 % (x1.33); high LTV 33 % (x1.33)
    trend: too few conversations to tell (8 in the last 8 weeks, 0 in the 26 before)
    on the roadmap: wide-item, planned (x0.70)
1 theme raised by only one customer is not ranked.
EOT
expect_file "the text ranking says every part in words" "$T/text.out" "$T/text.expected"

run_vb json next -C "$KB" --format=json
if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["as_of"] == "2026-11-09", d["as_of"]
assert [t["theme"] for t in d["themes"]] == ["fit", "wide"]
w = d["themes"][1]
assert w["customers"] == 3 and w["roadmap"] == {"id": "wide-item", "status": "planned", "factor": 0.7}, w
assert abs(w["score"] - 3.73333) < 1e-4 and w["trend"]["direction"] == "too few to tell"
assert d["weights"]["lost_revenue_segments"] == ["abandoner", "returner"]
assert d["unranked"] == 1 and d["candidates"] == 3
' "$T/json.out" 2>"$T/py.err"; then ok "next --format=json carries every part"; else
	notok "next --format=json carries every part"; sed 's/^/#   /' "$T/py.err" | tail -5; fi

# Weights from verbatim.yml: lost revenue 2, planned items not weighed down.
cp -R "$KB" "$T/w"
printf 'opportunity:\n  lost-revenue: 2\n  roadmap: {planned: 1}\n' >>"$T/w/verbatim.yml"
run_vb w next -C "$T/w" --format=tsv
expect_eq "weights from verbatim.yml: fit 3 x 2 x 1.333 = 8, wide 3 x 1.667 x 1.333 = 6.667" \
	"$(cut -f2,15 "$T/w.out" | tail -n +2 | tr '\t\n' ' ;')" "fit 8.000;wide 6.667;"
cp "$KB/verbatim.yml" "$T/w/verbatim.yml"
printf 'opportunity:\n  trend: lots\n' >>"$T/w/verbatim.yml"
run_vb wbad check -C "$T/w"
expect_grep "a weight that is not a number is an error in check" "$T/wbad.err" \
	"error: weight 'trend' must be a number from 0 to 100, not 'lots'"

# A rising theme: 30 conversations 20 weeks before the as-of date, 3 of them
# about fit; 30 in the last 8 weeks, 15 about fit.  r = (15.5/30)/(3.5/30) =
# 4.4286, factor 1 + 0.5 x (r-1)/(r+1) = 1.31579.
mkdir -p "$T/t/calls"
printf 'notes: [calls]\ntags:\n  fit: {kind: problem}\n  other: {kind: problem}\n' >"$T/t/verbatim.yml"
i=0
while [ $i -lt 30 ]; do
	tag=other; [ $i -lt 3 ] && tag=fit
	printf -- '---\ndate: 2026-06-%02d\ncustomer: C-%d\ntags: [%s]\n---\n' $((i % 28 + 1)) $i $tag >"$T/t/calls/old$i.md"
	tag=other; [ $i -lt 15 ] && tag=fit
	printf -- '---\ndate: 2026-11-%02d\ncustomer: C-%d\ntags: [%s]\n---\n' $((i % 9 + 1)) $((i + 100)) $tag >"$T/t/calls/new$i.md"
	i=$((i + 1))
done
run_vb trend next -C "$T/t" --format=json
if python3 -c '
import json, sys
t = {x["theme"]: x for x in json.load(open(sys.argv[1]))["themes"]}["fit"]["trend"]
assert t["direction"] == "up" and t["recent_notes"] == 15 and t["before_notes"] == 3, t
assert t["recent_conversations"] == 30 and t["before_conversations"] == 30, t
assert t["factor"] == 1.31579, t
' "$T/trend.out" 2>"$T/py.err"; then ok "a rising theme is weighted up by its trend"; else
	notok "a rising theme is weighted up by its trend"; sed 's/^/#   /' "$T/py.err" | tail -5; fi

# Bad input: unknown filter values, bad options, no kinds at all.
run_vb badseg next -C "$KB" --segment vip
expect_eq "an unknown segment is a usage error" "$rc" 2
expect_grep "an unknown segment is explained" "$T/badseg.err" \
	"verbatim: next: unknown segment 'vip'; use a key of segments: in verbatim.yml"
run_vb badtier next -C "$KB" --tier gold
expect_grep "an unknown tier is explained" "$T/badtier.err" \
	"verbatim: next: unknown LTV tier 'gold'; use a label of ltv-tiers: or unknown"
run_vb badlim next -C "$KB" --limit many
expect_eq "a bad --limit is a usage error" "$rc" 2
run_vb badfmt next -C "$KB" --format=xml
expect_eq "an unknown format is a usage error" "$rc" 2
mkdir -p "$T/nokind/calls"
printf 'notes: [calls]\n' >"$T/nokind/verbatim.yml"
printf -- '---\ndate: 2026-11-02\ntags: [fit]\n---\n' >"$T/nokind/calls/a.md"
run_vb nokind next -C "$T/nokind"
expect_grep "without kinds it says what to do" "$T/nokind.out" \
	"No theme of kind problem or feature-request has been heard: give tags a kind in verbatim.yml"
run_vb today next -C "$KB" --as-of today --format=json
expect_grep "--as-of today is today (SOURCE_DATE_EPOCH)" "$T/today.out" '"as_of":"2026-11-18"'
