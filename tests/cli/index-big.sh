#!/bin/sh
# On a generated corpus (gen-notes --notes 2000): the recurring phrases of
# gen-notes' quote templates are found with their true note counts, computed
# here by an independent script over the generated files; one changed note
# is the only one parsed again.
. "$(dirname "$0")/../lib.sh"

$GEN --notes 2000 --out "$T/kb" >/dev/null 2>&1
run_vb big index -C "$T/kb" -o "$T/idx"
expect_eq "index of 2000 notes: exit 0" "$rc" 0
expect_grep "summary" "$T/big.out" "indexed 2000 notes"
$VB phrases --index "$T/idx" --format=tsv --limit 100000 >"$T/top.tsv"

GEN_PATH=$(echo "$GEN" | cut -d' ' -f2)
python3 - "$GEN_PATH" "$T/kb" "$T/top.tsv" >"$T/truth.out" <<'PY'
import re, sys, glob, os
gen, kb, top = sys.argv[1:4]
src = open(gen).read()
ns = {}
exec(src[src.index("QUOTES = {"):src.index("NOTE_LINES = [")], ns)
QUOTES = ns["QUOTES"]
STOP = set("""a about above after again all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each for from had has have having he her here hers
herself him himself his how i id if ill im in into is it its itself ive just me my myself of off on once or our
ours ourselves out over she should so some such than that thats the their theirs them then there theres these
they theyre this those through to under until up us was we were what when where which while who whom why will
with would you your youre yours yourself""".split())
def runs(text):
    text = re.sub(r"(?<=\w)['\u2019](?=\w)", "", text.lower())
    return [r.split() for r in re.split(r"[.,;:!?]", re.sub(r"[^\w.,;:!?]+", " ", text))]
def contains(runs_, words):
    n = len(words)
    return any(r[i:i + n] == words for r in runs_ for i in range(len(r) - n + 1))
notes = []
for path in sorted(glob.glob(os.path.join(kb, "calls", "**", "*.md"), recursive=True)):
    text = open(path, encoding="utf-8").read()
    m = re.search(r"^outcome: (\S+)", text, re.M)
    if m and m.group(1) != "connected":
        continue
    quotes = [re.sub(r"\s#[\w-]+", "", l[2:]).strip().strip('"') for l in text.splitlines() if l.startswith("> ")]
    notes.append([runs(q) for q in quotes])
index = {}
for line in open(top, encoding="utf-8").read().splitlines()[1:]:
    f = line.split("\t")
    index[f[0]] = int(f[2])
checked = bad = 0
for tag, templates in sorted(QUOTES.items()):
    for t in templates:
        if "{" in t:
            continue
        words = [w for r in runs(t) for w in r]
        while words and words[0] in STOP: words = words[1:]
        while words and words[-1] in STOP: words = words[:-1]
        if not 2 <= len(words) <= 6:
            continue
        phrase = " ".join(words)
        truth = sum(1 for n in notes if any(contains(q, words) for q in n))
        if truth < 2:
            continue
        checked += 1
        got = index.get(phrase)
        if got != truth:
            bad += 1
            print(f"MISMATCH {phrase!r}: index {got}, truth {truth}")
print(f"checked {checked} template phrases, {bad} wrong")
PY
expect_grep "template phrases found with their true note counts" "$T/truth.out" " 0 wrong"
expect_eq "enough template phrases checked" "$(sed -n 's/^checked \([0-9]*\) .*/\1/p' "$T/truth.out" | awk '{print ($1 >= 20)}')" 1
grep -E "MISMATCH|^checked" "$T/truth.out" | head -6 | sed "s/^/# /"

# determinism and the cache on the big corpus
cp "$T/idx" "$T/idx1"
run_vb again index -C "$T/kb" -o "$T/idx"
expect_file "two builds, same bytes" "$T/idx" "$T/idx1"
expect_grep "unchanged rebuild parses nothing" "$T/again.out" "parsed 0, reused 2000 from the cache"
f=$(grep -l '^> ' "$T/kb"/calls/*/*.md | head -1)
printf '\n> "a brand new complaint about laces"\n' >>"$f"
run_vb one index -C "$T/kb" -o "$T/idx"
expect_grep "one changed note: exactly 1 parsed" "$T/one.out" "parsed 1, reused 1999 from the cache"
