#!/bin/sh
# verbatim index, incremental (issue 22, item 1): after random edits, renames,
# deletions, new notes, notes turned into no conversation and back, errors
# made and mended, same-size edits with the modification time set back, and
# vocabulary changes, the index a rebuild writes is byte for byte the one a
# build from scratch writes; unchanged files are not read; a damaged or
# foreign file cache is detected and not used.
. "$(dirname "$0")/../lib.sh"

KB=$T/kb
IX=$T/.kb.verbatim-index
$GEN --notes 300 --out "$KB" >/dev/null 2>&1
total=$(find "$KB/calls" -name '*.md' | wc -l)
sleep 3 # the files' change times older than the racy margin (2 s)
$VB index -C "$KB" -q
run_vb same index -C "$KB"
expect_grep "unchanged: no file read" "$T/same.out" "parsed 0, reused $total from the cache ($total files not read: unchanged)"
expect_eq "the file cache is beside the index" "$(head -1 "$IX.files")" "verbatim-file-cache 1"

# the incremental index is the one from scratch (another -o: no cache)
same_as_scratch() {
        rm -f "$T/scratch"
        $VB index -C "$KB" -o "$T/scratch" -q
        if cmp -s "$IX" "$T/scratch"; then
                ok "$1"
        else
                notok "$1"
                cmp "$IX" "$T/scratch" | sed 's/^/# /'
        fi
}

# one round of random changes (python, seeded), printing how many files it
# touched (changed, renamed, added: they are read again)
mutate() {
        python3 - "$KB" "$1" <<'PY'
import os, random, re, sys
kb, seed = sys.argv[1], int(sys.argv[2])
rnd = random.Random(seed)
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(kb + "/calls") for f in fs if f.endswith(".md"))
touched = 0
for path in rnd.sample(files, 12):
    op = rnd.choice(["append", "swap", "swap", "rename", "delete", "copy", "outcome", "error"])
    text = open(path, encoding="utf-8").read()
    st = os.stat(path)
    if op == "append":
        text += '\n> "the size chart was confusing, round %d"\n' % seed
    elif op == "swap":
        # same size, the modification time set back: the change time tells
        m = re.search(r'^> "(\w)(\w)', text, re.M)
        if not m or m.group(1) == m.group(2):
            continue
        text = text[:m.start(1)] + m.group(2) + m.group(1) + text[m.end(2):]
    elif op == "rename":
        new = os.path.join(os.path.dirname(path), "r%d-" % seed + os.path.basename(path))
        os.rename(path, new)
        touched += 1
        continue
    elif op == "delete":
        os.remove(path)
        continue
    elif op == "copy":
        new = os.path.join(os.path.dirname(path), "c%d-" % seed + os.path.basename(path))
        open(new, "w", encoding="utf-8").write(text.replace("customer: C-", "customer: C-9"))
        touched += 1
        continue
    elif op == "outcome":
        if "\noutcome: connected" in text:
            text = text.replace("\noutcome: connected", "\noutcome: voicemail")
        elif "\noutcome: " in text:
            text = re.sub(r"\noutcome: \S+", "\noutcome: connected", text)
        else:
            continue
    elif op == "error":
        if "#no-such-tag" in text:
            text = text.replace(" #no-such-tag", "")
        else:
            text += "\n> \"anything\" #no-such-tag\n"
    open(path, "w", encoding="utf-8").write(text)
    if op == "swap":
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    touched += 1
print(touched)
PY
}

prev_touched=0 prev_errors=0
for round in 1 2 3 4 5; do
        sleep 2 # the round before's files older than the racy margin
        touched=$(mutate "$round")
        run_vb "r$round" index -C "$KB"
        same_as_scratch "round $round: $touched files changed; the rebuild is the build from scratch"
        total=$(find "$KB/calls" -name '*.md' | wc -l)
        unread=$(sed -n 's/.*(\([0-9]*\) files* not read.*/\1/p' "$T/r$round.out")
        # unchanged files are not read; those of the round before may be
        # (racy: changed within 2 s of that build), and notes with errors are
        # (never reused, so that their errors are counted again)
        lo=$((total - touched - prev_touched - prev_errors))
        hi=$((total - touched))
        expect_eq "round $round: unchanged files not read ($lo <= ${unread:-0} <= $hi)" \
                "$([ "${unread:-0}" -ge "$lo" ] && [ "${unread:-0}" -le "$hi" ] && echo yes)" yes
        prev_touched=$touched
        prev_errors=$(sed -n 's/.*; \([0-9]*\) notes* with errors.*/\1/p' "$T/r$round.out")
done

# the vocabulary: a product's line, the LTV tiers and an alias change what
# the index holds; nothing indexed with the old one is reused
python3 - "$KB/verbatim.yml" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
s = s.replace("line: running}", "line: trail}", 1)
s = re.sub(r"below: 100\b", "below: 150", s)
open(p, "w").write(s)
PY
run_vb voc index -C "$KB"
expect_grep "vocabulary changed: every note parsed again" "$T/voc.out" "reused 0 from the cache"
same_as_scratch "vocabulary changed: the rebuild is the build from scratch"
expect_grep "vocabulary changed: the new product line is in the index" "$IX" "$(printf '\ttrail\t')"

# a damaged file cache is said, not used; the result is still exact
sleep 3
$VB index -C "$KB" -q
mutate 7 >/dev/null
python3 - "$IX.files" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
i = b.index(b"\nfile ") + 200  # inside the first entries
b[i] = ord("0") if b[i] != ord("0") else ord("1")
open(p, "wb").write(bytes(b))
PY
run_vb dmg index -C "$KB"
expect_eq "damaged cache: said" "$(cat "$T/dmg.err")" "verbatim: index: $IX.files: the file cache is damaged; every note is read"
expect_nogrep "damaged cache: every file read" "$T/dmg.out" "not read"
same_as_scratch "damaged cache: the rebuild is the build from scratch"
head -c 100 "$IX.files" >"$T/cut" && mv "$T/cut" "$IX.files"
run_vb cut index -C "$KB"
expect_eq "cut cache: said" "$(cat "$T/cut.err")" "verbatim: index: $IX.files: the file cache is damaged; every note is read"
same_as_scratch "cut cache: the rebuild is the build from scratch"

# a foreign cache (another index file's) is not used
mkdir "$T/other"
cp -R "$KB/calls" "$KB/verbatim.yml" "$T/other/"
sleep 3
$VB index -C "$T/other" -q
cp "$T/.other.verbatim-index.files" "$IX.files"
mutate 8 >/dev/null
run_vb frn index -C "$KB"
expect_eq "foreign cache: exit 0, nothing said" "$rc:$(cat "$T/frn.err")" "0:"
expect_nogrep "foreign cache: every file read" "$T/frn.out" "not read"
same_as_scratch "foreign cache: the rebuild is the build from scratch"

# an index file edited by hand: the cache no longer vouches for it, so it is
# read whole and checked (and found damaged)
sleep 3
$VB index -C "$KB" -q
sed -i 's/the size chart/the size chert/' "$IX"
run_vb hand index -C "$KB"
expect_grep "index edited by hand: found damaged" "$T/hand.err" "the previous index is damaged; indexing every note"
same_as_scratch "index edited by hand: the rebuild is the build from scratch"

# a git revision neither uses nor leaves a file cache
git -C "$KB" init -q && git -C "$KB" add -A && git -C "$KB" -c user.name=t -c user.email=t@e commit -qm x
$VB index -C "$KB" -q --rev HEAD
expect_eq "git revision: no file cache" "$(ls "$KB/.git/verbatim/")" "index"
