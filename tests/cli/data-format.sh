#!/bin/sh
# docs/data-format.md documents every field of `report --json`: each field
# of data.json (as a path like themes[].segments[].key) and each column of
# the CSV tables is in it, each field it names exists, and data.json
# carries the format version the document gives.
. "$(dirname "$0")/../lib.sh"
[ "$VB_SUITE" = valgrind ] && exit 0 # the report is run under valgrind elsewhere

DOC=$VB_TOP/docs/data-format.md
$GEN --notes 2000 --out "$T/kb" >/dev/null 2>&1
run_vb report report -C "$T/kb" -o "$T/site" --json
expect_eq "report --json: exit 0" "$rc" 0

python3 - "$T/site" "$DOC" >"$T/check.out" 2>&1 <<'EOP'
import csv, json, re, sys
site, doc = sys.argv[1], open(sys.argv[2], encoding="utf-8").read()
data = json.load(open(site + "/data.json", encoding="utf-8"))

paths = set()
def walk(x, p):
    if p and not p.endswith("[]"):
        paths.add(p)
    if isinstance(x, dict):
        for k, v in x.items():
            walk(v, p + ("." if p else "") + k)
    elif isinstance(x, list):
        for v in x:
            if isinstance(v, (dict, list)):
                walk(v, p + "[]")
walk(data, "")

json_part = doc[doc.index("## data.json"):doc.index("## The CSV tables")]
# the first column of the tables: `a`, `b` (several paths in one cell)
documented = set()
for row in re.findall(r"^\| ([^|]+) \|", json_part, re.M):
    documented.update(re.findall(r"`([a-z_.\[\]]+)`", row))
undocumented = sorted(p for p in paths if p not in documented)
print("undocumented:", " ".join(undocumented) or "none")
absent = sorted(p for p in documented if p not in paths)
print("absent:", " ".join(absent) or "none")

m = re.search(r'"format_version": (\d+)', doc)
print("version:", data.get("format_version"), "documented:", m and int(m.group(1)))
print("first key:", next(iter(data)))

segs = {s["key"] for s in data["segments"]}
import os
tables = sorted(f[:-4] for f in os.listdir(site) if f.endswith(".csv"))
print("tables:", " ".join(tables))
for table in tables:
    with open("%s/%s.csv" % (site, table), newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    if "### %s.csv" % table not in doc:
        print("%s.csv: not documented" % table)
        continue
    part = doc[doc.index("### %s.csv" % table):]
    part = part[:part.find("\n### ", 1) if "\n### " in part[1:] else len(part)]
    cols = set(re.findall(r"^\| `([a-z_]+)` \|", part, re.M))
    missing = [c for c in header if c not in cols and not (table == "weekly" and c in segs)]
    extra = sorted(cols - set(header))
    print("%s.csv: missing %s, not in the file %s" % (table, " ".join(missing) or "none", " ".join(extra) or "none"))
EOP
sed 's/^/# /' "$T/check.out"
expect_grep "every field of data.json is documented" "$T/check.out" "undocumented: none"
expect_grep "every documented field is in data.json" "$T/check.out" "absent: none"
expect_grep "data.json carries the documented format version" "$T/check.out" "version: 1 documented: 1"
expect_grep "the version comes first" "$T/check.out" "first key: format_version"
# every table the report writes (and at least the ones named here)
for t in themes weekly segments quotes next reasons ltv roadmap products product_themes; do
	expect_grep "$t.csv: its columns are the documented ones" "$T/check.out" "$t.csv: missing none, not in the file none"
done
