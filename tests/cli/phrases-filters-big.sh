#!/bin/sh
# verbatim phrases --tier, --product and --line on a generated corpus (issue
# 16): the quotes found under a filter are exactly the unfiltered ones whose
# note passes it, computed here from the notes' front matter and verbatim.yml
# (fixture tests with exact counts: phrases-filters.sh).
. "$(dirname "$0")/../lib.sh"

# on a generated corpus: the quotes found under a filter are exactly the
# unfiltered ones whose note passes it, computed here from the notes' front
# matter and verbatim.yml
$GEN --notes 1500 --out "$T/gen" >/dev/null 2>&1
$VB index -C "$T/gen" -q
for opt in "--product trail-runner-2" "--product city-walker" "--line hiking" \
        "--line running" "--tier high" "--tier unknown" "--tier low"; do
        found=0
        for w in size shipping free; do
                $VB phrases -C "$T/gen" --format=tsv "$w" >"$T/all.tsv"
                # shellcheck disable=SC2086
                $VB phrases -C "$T/gen" --format=tsv $opt "$w" >"$T/some.tsv"
                got=$(python3 - "$T/gen" "$T/all.tsv" "$T/some.tsv" $opt <<'PY'
import re, sys
kb, all_tsv, some_tsv, opt, value = sys.argv[1:6]
vocab = open(kb + "/verbatim.yml").read()
lines = dict(re.findall(r"^  ([\w-]+): \{label: [^,]+, line: ([\w-]+)\}", vocab, re.M))
tiers = re.findall(r"\{label: (\w+)(?:, below: ([\d.]+))?\}", vocab.split("ltv-tiers:")[1]) \
    if "ltv-tiers:" in vocab else [("low", "100"), ("mid", "500"), ("high", "")]
def front(path):
    text = open(kb + "/" + path).read().split("\n---\n")[0]
    m = re.search(r"^products: \[(.*)\]$", text, re.M)
    products = [p.strip() for p in m.group(1).split(",")] if m and m.group(1).strip() else []
    m = re.search(r"^ltv: ([\d.]+)$", text, re.M)
    tier = "unknown"
    if m:
        for label, below in tiers:
            if not below or float(m.group(1)) < float(below):
                tier = label
                break
    return products, tier
def passes(path):
    products, tier = front(path)
    if opt == "--product":
        return value in products
    if opt == "--line":
        return any(lines.get(p) == value for p in products)
    return tier == value
rows = lambda f: [l.split("\t")[:2] for l in open(f).read().splitlines()[1:]]
want = [r for r in rows(all_tsv) if passes(r[0])]
got = rows(some_tsv)
print(want == got, len(got), len(want))
PY
)
                expect_eq "generated corpus: phrases $opt $w = the unfiltered hits that pass" \
                        "${got%% *}" True
                [ "${got%% *}" = True ] || echo "# $got"
                n=${got#* }
                found=$((found + ${n%% *}))
        done
        expect_eq "generated corpus: phrases $opt finds quotes" "$([ "$found" -gt 0 ] && echo yes)" yes
done
