#!/bin/sh
# docs/verbatim.schema.json, the JSON Schema editors validate verbatim.yml
# with: a valid schema; the contract's example, a generated corpus's
# verbatim.yml, the init scaffold and the clean fixtures pass it; the
# fixture of every vocabulary error fails it where verbatim check does; and
# every key src/vocab.c reads is in it.
. "$(dirname "$0")/../lib.sh"
[ "$VB_SUITE" = plain ] || exit 0 # no binary involved but the generator's

SCHEMA=$VB_TOP/docs/verbatim.schema.json
if ! python3 -c 'import jsonschema, yaml' 2>/dev/null; then
	notok "python3's jsonschema and yaml modules are missing (apt-get install python3-jsonschema python3-yaml)"
	exit 0
fi
FORMAT=$VB_TOP/../shared/design/notes-format.md
[ -f "$FORMAT" ] || FORMAT=${VB_SHARED:-/work/shared}/design/notes-format.md

# validate FILE...: one line per file, "FILE: ok" or "FILE: KEY/PATH: message"
validate() {
	python3 - "$SCHEMA" "$@" <<'EOP'
import json, sys, yaml, jsonschema
schema = json.load(open(sys.argv[1]))
v = jsonschema.Draft202012Validator(schema)
for f in sys.argv[2:]:
    errs = sorted(v.iter_errors(yaml.safe_load(open(f, encoding="utf-8"))), key=lambda e: list(map(str, e.absolute_path)))
    if not errs:
        print(f + ": ok")
    for e in errs:
        print(f + ": " + "/".join(map(str, e.absolute_path)) + ": " + e.message[:120])
EOP
}

python3 -c '
import json, sys, jsonschema
jsonschema.Draft202012Validator.check_schema(json.load(open(sys.argv[1])))
' "$SCHEMA" >"$T/meta" 2>&1
expect_eq "a valid JSON Schema (draft 2020-12)" "$?$(cat "$T/meta")" 0

# the example of notes-format.md's vocabulary section
awk '/^## The vocabulary/ { v = 1 } v && /^```yaml/ { y = 1; next } y && /^```/ { exit } y' "$FORMAT" >"$T/example.yml"
expect_grep "the contract's example was found" "$T/example.yml" "products:"
validate "$T/example.yml" >"$T/ex.out"
expect_eq "the contract's example passes" "$(cat "$T/ex.out")" "$T/example.yml: ok"

$GEN --notes 200 --out "$T/kb" >/dev/null 2>&1
validate "$T/kb/verbatim.yml" >"$T/gen.out"
expect_eq "a generated corpus's verbatim.yml passes" "$(cat "$T/gen.out")" "$T/kb/verbatim.yml: ok"

validate "$VB_TOP/notes-template/init/verbatim.yml" "$VB_TOP/examples/acme/verbatim.yml" \
	"$FIX/phrases/verbatim.yml" "$FIX/rules/verbatim.yml" "$FIX/report/small/verbatim.yml" \
	"$FIX/next/kb/verbatim.yml" >"$T/fix.out"
expect_eq "init's scaffold, the example and clean fixtures pass" "$(grep -vc ': ok$' "$T/fix.out")" 0

# what the schema can see of the vocabulary errors (not the ones across
# keys: duplicates and unknown tags), at the keys verbatim check names
validate "$FIX/vocab/verbatim.yml" | sed 's|^[^:]*: ||; s|: .*||' >"$T/bad.out"
cat >"$T/want" <<'EOT'

ltv-tiers/0/below
ltv-tiers/1
tags/price/kind
tags/shipping/aliases
weekly-goal
EOT
expect_file "the fixture of vocabulary errors fails at the keys check names" "$T/bad.out" "$T/want"
validate "$FIX/vocab/verbatim.yml" >"$T/bad2.out"
expect_grep "an unknown top-level key is flagged" "$T/bad2.out" "'colour' was unexpected"

# every key vocab.c reads is in the schema: the top-level keys of
# vocab_keys[] and the keys each load_X function reads inside X
python3 - "$VB_TOP/src/vocab.c" "$SCHEMA" >"$T/keys.out" <<'EOP'
import json, re, sys
src = open(sys.argv[1]).read()
schema = json.load(open(sys.argv[2]))
top = re.search(r"vocab_keys\[\]\s*=\s*\{(.*?)\}", src, re.S).group(1)
top = re.findall(r'"([^"]+)"', top)
props = schema["properties"]
missing = [k for k in top if k not in props]
def names(node, out):
    if isinstance(node, dict):
        for k, v in node.get("properties", {}).items():
            out.add(k)
        for v in node.values():
            names(v, out)
    elif isinstance(node, list):
        for v in node:
            names(v, out)
    return out
# load_X reads the key X (segments, ltv-tiers ...): the keys it reads with
# vb_yaml_get or lists in a static table must be in X's schema
for fn in re.findall(r"^static void (load_[a-z_]+)\(", src, re.M):
    key = fn[len("load_"):].replace("_", "-")
    body = re.search(r"static void " + fn + r"\(.*?\n}\n", src, re.S).group(0)
    inner = names(props.get(key, {}), set())
    keys = re.findall(r'vb_yaml_get\(\w+, "([^"]+)"\)', body)
    for table in re.findall(r"static const char \*const \w+\[\] = \{(.*?)\};", body, re.S):
        keys += re.findall(r'"([^"]+)"', table)
    for k in keys:
        if k not in inner:
            missing.append(key + "." + k)
print("tags found:", "tags" in top, "load_tags read:", "load_tags" in src)
print(len(top), "top-level keys;", "missing:", " ".join(missing) or "none")
EOP
expect_eq "every key src/vocab.c reads is in the schema" "$(sed -n 's/.*missing: //p' "$T/keys.out")" "none"
expect_grep "the keys were found in src/vocab.c" "$T/keys.out" "tags found: True load_tags read: True"
