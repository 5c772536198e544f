#!/bin/sh
# docs/format.md, the user's reference of the files verbatim reads: every key
# its tables name (the first column, in backticks, of a table under a
# "<!-- keys: FILE -->" line) is in its examples ("<!-- example: PATH -->"
# before a fenced block), the examples make a knowledge base that `check
# --strict` accepts without a warning, and every key the code reads is in a
# table (the reverse: the loaders and the note parser in src/, and
# docs/verbatim.schema.json).
# The job items and five whys are read as documented (report --json).  Every
# relative link of README.md and docs/*.md reaches a file and a heading.
. "$(dirname "$0")/../lib.sh"

DOC=$VB_TOP/docs/format.md
if ! python3 -c 'import yaml' 2>/dev/null; then
	notok "python3's yaml module is missing (apt-get install python3-yaml)"
	exit 0
fi

# the examples as files of a knowledge base, the keys of the tables as
# KIND<TAB>KEY lines, and what the doc says the items hold
python3 - "$DOC" "$T/kb" "$T/keys" <<'EOP' >"$T/extract.out" 2>&1
import os, re, sys
doc, kb, keys = sys.argv[1:]
lines = open(doc, encoding="utf-8").read().split("\n")
out = open(keys, "w", encoding="utf-8")
kind = None
i = 0
while i < len(lines):
    line = lines[i]
    m = re.match(r"<!-- example: (\S+) -->$", line)
    if m:
        assert lines[i + 1].startswith("```"), "example " + m.group(1) + " has no fenced block"
        j = i + 2
        while not lines[j].startswith("```"):
            j += 1
        path = os.path.join(kb, m.group(1))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "w", encoding="utf-8").write("\n".join(lines[i + 2:j]) + "\n")
        i = j
    m = re.match(r"<!-- keys: (.+) -->$", line)
    if m:
        kind = m.group(1)
        assert lines[i + 1].startswith("| key |"), "keys: " + kind + " is not followed by a key table"
        i += 3
        while i < len(lines) and lines[i].startswith("|"):
            cell = lines[i].split("|")[1].strip()
            k = re.fullmatch(r"`([^`]+)`", cell)
            assert k, "not a key in backticks: " + cell
            out.write(kind + "\t" + k.group(1) + "\n")
            i += 1
        continue
    i += 1
EOP
expect_eq "format.md: examples and key tables read" "$?:$(cat "$T/extract.out")" "0:"
for kind in note sections items verbatim.yml "roadmap.yml item" "copy.yml item"; do
	n=$(grep -c "^$kind	" "$T/keys")
	[ "$n" -gt 2 ] && ok "format.md: a table of $kind keys ($n)" || notok "format.md: no table of $kind keys ($n)"
done

# 1. the examples check clean, strictly: no error, no warning (an unknown
# key of verbatim.yml, a key of a table in no example would show here)
run_vb check check --strict -C "$T/kb"
expect_eq "format.md's examples: check --strict accepts them" \
	"$rc:$(cat "$T/check.out"):$(cat "$T/check.err")" "0:checked 2 notes: 0 errors, 0 warnings:"

# and the same check does see an unknown key: a documented key misspelled
sed 's/^weekly-goal:/weekly-gaol:/' "$T/kb/verbatim.yml" >"$T/bad.yml"
cp -r "$T/kb" "$T/kb2" && cp "$T/bad.yml" "$T/kb2/verbatim.yml"
run_vb check2 check --strict -C "$T/kb2"
expect_grep "a misspelled key is warned about (the check above can fail)" "$T/check2.err" \
	"unknown key 'weekly-gaol' is ignored"

# 2. every key of a table is used by its example
python3 - "$T/kb" "$T/keys" <<'EOP' >"$T/used.out" 2>&1
import glob, os, sys, yaml
kb, keys = sys.argv[1:]
def load(p):
    return yaml.safe_load(open(os.path.join(kb, p), encoding="utf-8"))
def front(p):
    text = open(p, encoding="utf-8").read()
    return yaml.safe_load(text.split("\n---\n")[0][4:])
notes = [front(p) for p in sorted(glob.glob(kb + "/calls/**/*.md", recursive=True))]
body = "\n".join(open(p, encoding="utf-8").read() for p in glob.glob(kb + "/calls/**/*.md", recursive=True))
# a path of the verbatim.yml table: "a.<name>.b" (any key), "a[].b" (an item)
def has(node, parts):
    if not parts:
        return True
    p = parts[0]
    if p == "[]":
        return isinstance(node, list) and any(has(x, parts[1:]) for x in node)
    if p.startswith("<"):
        return isinstance(node, dict) and any(has(v, parts[1:]) for v in node.values())
    return isinstance(node, dict) and p in node and has(node[p], parts[1:])
def split(path):
    return [x for x in path.replace("[]", ".[]").split(".") if x]
files = {"roadmap.yml item": load("roadmap.yml"), "copy.yml item": load("copy.yml")}
vocab = load("verbatim.yml")
for line in open(keys, encoding="utf-8"):
    kind, key = line.rstrip("\n").split("\t")
    if kind == "note":
        used = any(key in n for n in notes)
    elif kind == "verbatim.yml":
        used = has(vocab, split(key))
    elif kind in files:
        used = any(key in item for item in files[kind].values())
    elif kind == "sections":
        used = True  # checked against the code below; the example has three
    elif kind == "items":
        used = ("- " + key) in body
    else:
        used = False
    if not used:
        print(kind + ": " + key)
EOP
expect_eq "every key of format.md's tables is in its examples" "$(cat "$T/used.out")" ""

# 3. the reverse: every key the code reads is in a table
keys_of() { grep "^$1	" "$T/keys" | cut -f2 | sort -u; }
# verbatim.yml: the schema (which schema.sh holds to src/vocab.c) and vocab.c's lists
python3 - "$VB_TOP/docs/verbatim.schema.json" <<'EOP' | sort -u >"$T/schema.keys"
import json, sys
s = json.load(open(sys.argv[1]))
defs = s.get("$defs", {})
def walk(n, p, seen):
    if not isinstance(n, dict):
        return
    if "$ref" in n:
        r = n["$ref"].split("/")[-1]
        if r not in seen:
            walk(defs[r], p, seen | {r})
    for k in ("oneOf", "anyOf", "allOf"):
        for x in n.get(k, []):
            walk(x, p, seen)
    for k, v in n.get("properties", {}).items():
        print(".".join(p + [k]).replace(".[]", "[]"))
        walk(v, p + [k], seen)
    ap = n.get("additionalProperties")
    if isinstance(ap, dict):
        walk(ap, p + ["*"], seen)
    for v in n.get("patternProperties", {}).values():
        walk(v, p + ["*"], seen)
    if isinstance(n.get("items"), dict):
        walk(n["items"], p + ["[]"], seen)
walk(s, [], set())
EOP
keys_of verbatim.yml | sed 's/<[^>]*>/*/g' | sort -u >"$T/doc.keys"
expect_eq "every key of verbatim.schema.json is in format.md" \
	"$(comm -23 "$T/schema.keys" "$T/doc.keys" | tr '\n' ' ')" ""
expect_eq "the schema has the keys (it was read)" "$(grep -c . "$T/schema.keys" | awk '{print ($1 > 20)}')" 1
# vocab.c's lists of the keys it knows (top level and opportunity:)
cat "$VB_TOP"/src/*.c | sed -n '/vocab_keys\[\] = {/,/};/p; /load_opportunity/,/^}/{/keys\[\] = {/,/};/p}' |
	grep -o '"[a-z-]*"' | tr -d '"' | sort -u >"$T/vocabc.keys"
keys_of verbatim.yml | sed 's/\..*//; s/\[\].*//' | sort -u >"$T/doc.top"
keys_of verbatim.yml | sed -n 's/^opportunity\.\([a-z-]*\).*/\1/p' | sort -u >>"$T/doc.top"
sort -u -o "$T/doc.top" "$T/doc.top"
expect_eq "every key src/vocab.c knows is in format.md" \
	"$(comm -23 "$T/vocabc.keys" "$T/doc.top" | tr '\n' ' ')" ""
expect_eq "src/vocab.c's key lists were read" "$(grep -c . "$T/vocabc.keys" | awk '{print ($1 > 15)}')" 1

# the note's front matter: what src/note.c reads by name, and the default themes key
{
	cat "$VB_TOP"/src/*.c | grep -o '\(field_of\|list_of\)(p, root, "[a-z-]*"'  | grep -o '"[a-z-]*"' | tr -d '"'
	sed -n 's/.*themes_key = "\([a-z-]*\)".*/\1/p' "$VB_TOP"/src/*.c
} | sort -u >"$T/notec.keys"
keys_of note >"$T/doc.note"
expect_eq "the front-matter keys src/note.c reads are the keys format.md names" \
	"$(comm -3 "$T/notec.keys" "$T/doc.note" | tr '\n' ' ')" ""
expect_eq "src/note.c's keys were read" "$(grep -c . "$T/notec.keys" | awk '{print ($1 > 10)}')" 1

# roadmap.yml and copy.yml: the keys their loaders ask an item for
keys_in() { cat "$VB_TOP"/src/*.c | sed -n "/^$1(/,/^}/p" |
	grep -o '\(vb_yaml_get(item\|copy_date(&l, item\|copy_number(&l, item\), "[a-z-]*"' |
	grep -o '"[a-z-]*"' | tr -d '"' | sort -u; }
keys_in 'int vb_vocab_load_roadmap' >"$T/roadmapc.keys"
keys_of "roadmap.yml item" >"$T/doc.roadmap"
expect_eq "roadmap.yml: the keys src/vocab.c reads are the keys format.md names" \
	"$(comm -3 "$T/roadmapc.keys" "$T/doc.roadmap" | tr '\n' ' ')" ""
keys_in 'int vb_vocab_load_copy' >"$T/copyc.keys"
keys_of "copy.yml item" >"$T/doc.copy"
expect_eq "copy.yml: the keys src/vocab.c reads are the keys format.md names" \
	"$(comm -3 "$T/copyc.keys" "$T/doc.copy" | tr '\n' ' ')" ""
expect_eq "the roadmap and copy loaders' keys were read" \
	"$(cat "$T/roadmapc.keys" "$T/copyc.keys" | grep -c . | awk '{print ($1 > 10)}')" 1

# sections: the headings src/note.c knows, as format.md names them (any case)
cat "$VB_TOP"/src/*.c | sed -n '/^static enum vb_section_kind section_kind/,/^}/p' |
	sed -n 's/.*{"\([a-z ]*\)", VB_SECTION_.*/\1/p' | sort -u >"$T/sectc.keys"
keys_of sections | tr 'A-Z' 'a-z' | sort -u >"$T/doc.sect"
expect_eq "sections: the headings src/note.c knows are the ones format.md names" \
	"$(comm -3 "$T/sectc.keys" "$T/doc.sect" | tr '\n' ' ')" ""
expect_eq "src/note.c's sections were read" "$(grep -c . "$T/sectc.keys" | awk '{print ($1 > 5)}')" 1

# job items: the labels src/note.c and src/jobs.c read
{
	cat "$VB_TOP"/src/*.c | grep -o 'prefix(s, "[a-z ]*:"' | grep -o '"[a-z ]*:"' | tr -d '"'
	cat "$VB_TOP"/src/*.c | grep -o 'names\[\] = {"", "Push", "Pull", "Anxiety", "Habit"}' |
		grep -o '"[A-Za-z]\+"' | tr -d '"' | sed 's/$/:/'
} | tr 'A-Z' 'a-z' | sort -u >"$T/itemc.keys"
keys_of items | tr 'A-Z' 'a-z' | sort -u >"$T/doc.items"
expect_eq "job items: the labels the code reads are the ones format.md names" \
	"$(comm -3 "$T/itemc.keys" "$T/doc.items" | tr '\n' ' ')" ""
expect_eq "the code's job labels were read" "$(grep -c . "$T/itemc.keys")" 7

# 4. the items and five whys are read as format.md says: each item's words
# (hashtags left out) in report --json's data.json or jobs.html, the root
# need the answer after the last why's "?"
run_vb report report -C "$T/kb" --json --no-history -o "$T/out"
expect_eq "report on the examples: exit 0" "$rc" 0
python3 - "$T/kb" "$T/out" "$T/keys" <<'EOP' >"$T/items.out" 2>&1
import glob, html, json, re, sys
kb, out, keys = sys.argv[1:]
data = json.load(open(out + "/data.json", encoding="utf-8"))
jobs_html = html.unescape(open(out + "/jobs.html", encoding="utf-8").read())
body = "\n".join(open(p, encoding="utf-8").read() for p in sorted(glob.glob(kb + "/calls/**/*.md", recursive=True)))
field = {"job:": "job", "before:": "before", "without it:": "without_it"}
for line in open(keys, encoding="utf-8"):
    kind, key = line.rstrip("\n").split("\t")
    if kind != "items":
        continue
    m = re.search(r"^- " + re.escape(key) + r" *(.*)$", body, re.M)
    words = re.sub(r" *#[\w-]+", "", m.group(1)).strip().strip('"')
    if key.lower() in field:
        seen = any(j.get(field[key.lower()]) == words for j in data["jobs"])
    else:
        seen = words in jobs_html
    print(key + (" read" if seen else " NOT read: " + words))
whys = re.findall(r"^\d+\. (.*)$", body, re.M)
root = whys[-1].split("?", 1)[1].strip()
print("root need " + ("read" if [w["root"] for w in data["whys"]] == [root] else "NOT read: " + root))
EOP
expect_eq "every job item and the root need are read as documented" "$(grep -c 'NOT' "$T/items.out"):$(grep -c ' read$' "$T/items.out")" "0:8"
grep NOT "$T/items.out" | sed 's/^/#   /'

# 5. links: every relative link of README.md and docs/*.md reaches a file,
# and a #fragment a heading of it (GitHub's anchors)
python3 - "$VB_TOP" <<'EOP' >"$T/links.out" 2>&1
import os, re, sys
top = sys.argv[1]
def slug(h):
    return re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-")
files = ["README.md"] + ["docs/" + f for f in sorted(os.listdir(top + "/docs")) if f.endswith(".md")]
anchors = {}
for f in files:
    fence, a = False, set()
    for line in open(os.path.join(top, f), encoding="utf-8"):
        if line.startswith("```"):
            fence = not fence
        elif not fence and re.match(r"#{1,6} ", line):
            a.add(slug(re.sub(r"^#+ ", "", line)))
    anchors[f] = a
n = 0
for f in files:
    for m in re.finditer(r"\]\(([^)\s]+)\)", open(os.path.join(top, f), encoding="utf-8").read()):
        target = m.group(1)
        if re.match(r"[a-z]+:", target):
            continue
        n += 1
        path, _, frag = target.partition("#")
        t = os.path.normpath(os.path.join(os.path.dirname(f), path)) if path else f
        if not os.path.exists(os.path.join(top, t)):
            print(f + ": no file " + target)
        elif frag and t in anchors and frag not in anchors[t]:
            print(f + ": no heading " + target)
print("links", n)
EOP
expect_eq "README and docs: every relative link reaches its file and heading" \
	"$(grep -v '^links' "$T/links.out")" ""
expect_eq "links were found" "$(sed -n 's/^links //p' "$T/links.out" | awk '{print ($1 > 20)}')" 1
