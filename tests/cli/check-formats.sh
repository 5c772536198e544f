#!/bin/sh
# verbatim check for CI and editors: SARIF (validated against the SARIF
# 2.1.0 schema), the GitLab code quality report, paths from the top of the
# repository in a monorepo, --changed-since, a note from stdin ('-'),
# columns in characters, whole-file findings at 1:1, the global -C.
. "$(dirname "$0")/../lib.sh"

SCHEMA=$FIX/sarif/sarif-schema-2.1.0.json
M=$T/mono
K=$M/kb
git init -q "$M"
git -C "$M" config user.name "Test"
git -C "$M" config user.email "test@example.com"
git -C "$M" checkout -q -b main 2>/dev/null
mkdir -p "$K/calls/2026" "$M/src"
printf 'int main(void) { return 0; }\n' >"$M/src/app.c"
cat >"$K/verbatim.yml" <<'EOF'
notes: [calls]
segments:
  buyer: {label: Recent buyers}
tags:
  price: {label: Price, kind: reason}
  fit-uncertainty: {label: Unsure about fit, kind: problem, aliases: [fit]}
EOF
note() { # note FILE CUSTOMER BODY-LINE
	printf -- '---\ndate: 2026-11-03\nsegment: buyer\ncustomer: %s\n---\n\n%s\n' "$2" "$3" >"$1"
}
# multibyte letters before the hashtag: its column in characters is not its byte column
MB='> "Ça coûte trop cher, où est la réduction ?" #pricee'
note "$K/calls/2026/multibyte.md" C-1 "$MB"
note "$K/calls/old-bad.md" C-2 '> "Too dear" #pricee'
note "$K/calls/good.md" C-3 '> "Too dear" #price'
note "$K/calls/alias.md" C-4 '> "Tight" #fit'
note "$K/calls/dup.md" C-5 '> "Fine" #price'
note "$K/calls/2026/dup.md" C-6 '> "Fine" #price'
note "$K/README.md" C-7 'A README with a #pricee hashtag is no note.'
git -C "$M" add -A
git -C "$M" commit -qm base

# ---- SARIF, validated against the schema ----
(cd "$M" && $VB -C kb check --format=sarif >"$T/sarif.out" 2>"$T/sarif.err")
rc=$?
expect_eq "sarif: exit 1 (errors)" "$rc" 1
if python3 - "$T/sarif.out" "$SCHEMA" >"$T/py.out" 2>&1 <<'EOF'
import json, sys, jsonschema
log = json.load(open(sys.argv[1]))
schema = json.load(open(sys.argv[2]))
jsonschema.validate(log, schema, format_checker=jsonschema.FormatChecker())
EOF
then ok "sarif: valid against the SARIF 2.1.0 schema"
else notok "sarif: valid against the SARIF 2.1.0 schema"; sed 's/^/#   /' "$T/py.out" | tail -5; fi
# the expected findings are computed from the files, not written down
if python3 - "$T/sarif.out" "$K/calls/2026/multibyte.md" >"$T/py.out" 2>&1 <<'EOF'
import json, sys
log = json.load(open(sys.argv[1]))
assert log["version"] == "2.1.0"
run = log["runs"][0]
driver = run["tool"]["driver"]
assert driver["name"] == "verbatim" and driver["version"], driver
rules = {r["id"]: r for r in driver["rules"]}
assert {"unknown-tag", "alias", "duplicate-id"} <= set(rules), rules
assert all(r["shortDescription"]["text"] for r in rules.values())
res = run["results"]
for r in res:
    assert r["level"] in ("error", "warning"), r
    assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"], r
    assert r["message"]["text"]
uris = sorted({r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in res})
assert uris == ["kb/calls/2026/multibyte.md", "kb/calls/alias.md", "kb/calls/dup.md",
                "kb/calls/old-bad.md"], uris
lines = open(sys.argv[2], encoding="utf-8").read().split("\n")
line = next(i for i, l in enumerate(lines) if "#pricee" in l)
mb = [r for r in res if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
      == "kb/calls/2026/multibyte.md"][0]
region = mb["locations"][0]["physicalLocation"]["region"]
assert region["startLine"] == line + 1, region
assert region["startColumn"] == lines[line].index("#pricee") + 1, region
assert region["startColumn"] != lines[line].encode().index(b"#pricee") + 1
assert mb["level"] == "error" and mb["ruleId"] == "unknown-tag"
al = [r for r in res if r["ruleId"] == "alias"][0]
assert al["level"] == "warning"
dup = [r for r in res if r["ruleId"] == "duplicate-id"][0]
assert dup["locations"][0]["physicalLocation"]["region"] == {"startLine": 1, "startColumn": 1}
assert run.get("columnKind") == "unicodeCodePoints"
EOF
then ok "sarif: tool, rules, levels, repository paths, character columns, 1:1"
else notok "sarif: tool, rules, levels, repository paths, character columns, 1:1"; sed 's/^/#   /' "$T/py.out" | tail -5; fi
(cd "$M" && $VB -C kb check --format=sarif kb/calls/good.md >"$T/sarif0.out" 2>/dev/null)
if python3 -c 'import json,sys,jsonschema; d=json.load(open(sys.argv[1])); jsonschema.validate(d, json.load(open(sys.argv[2]))); assert d["runs"][0]["results"] == []' "$T/sarif0.out" "$SCHEMA" 2>"$T/py.err"
then ok "sarif: no findings is a valid log with no results"
else notok "sarif: no findings is a valid log with no results"; sed 's/^/#   /' "$T/py.err" | tail -3; fi

# ---- GitLab code quality ----
(cd "$M" && $VB -C kb check --format=gitlab >"$T/gl.out" 2>/dev/null)
(cd "$M" && $VB -C kb check --format=gitlab >"$T/gl2.out" 2>/dev/null)
if python3 - "$T/gl.out" "$T/gl2.out" "$T/sarif.out" >"$T/py.out" 2>&1 <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
sarif = json.load(open(sys.argv[3]))["runs"][0]["results"]
assert isinstance(report, list) and len(report) == len(sarif), (len(report), len(sarif))
for x in report:
    assert set(x) >= {"description", "check_name", "fingerprint", "severity", "location"}, x
    assert isinstance(x["description"], str) and x["description"]
    assert x["severity"] in ("major", "minor"), x
    assert isinstance(x["location"]["path"], str) and x["location"]["path"].startswith("kb/calls/")
    assert isinstance(x["location"]["lines"]["begin"], int) and x["location"]["lines"]["begin"] >= 1
fps = [x["fingerprint"] for x in report]
assert len(set(fps)) == len(fps), "fingerprints must be unique"
assert fps == [x["fingerprint"] for x in json.load(open(sys.argv[2]))], "fingerprints must be stable"
assert {x["severity"] for x in report} == {"major", "minor"}
EOF
then ok "gitlab: required fields, repository paths, unique stable fingerprints"
else notok "gitlab: required fields, repository paths, unique stable fingerprints"; sed 's/^/#   /' "$T/py.out" | tail -5; fi

# ---- json, tsv and github: paths from the top of the repository ----
(cd "$M" && $VB -C kb check --format=json >"$T/json.out" 2>/dev/null)
(cd "$K/calls" && $VB check --format=json >"$T/json2.out" 2>/dev/null)
expect_file "json: the same paths from a subfolder" "$T/json2.out" "$T/json.out"
expect_grep "json: path from the repository's top" "$T/json.out" '"path":"kb/calls/old-bad.md"'
(cd "$M" && $VB -C kb check --format=tsv >"$T/tsv.out" 2>/dev/null)
expect_grep "tsv: path, line, column, severity, rule, message" "$T/tsv.out" \
	"$(printf 'kb/calls/old-bad.md\t7\t14\terror\tunknown-tag\t')"
expect_grep "tsv: whole-file finding at 1:1" "$T/tsv.out" \
	"$(printf 'kb/calls/dup.md\t1\t1\terror\tduplicate-id\t')"
(cd "$M" && $VB -C kb check --format=github >"$T/gh.out" 2>/dev/null)
expect_grep "github: path from the repository's top" "$T/gh.out" \
	"::error file=kb/calls/old-bad.md,line=7,col=14,title=unknown-tag::"

# ---- text: columns in characters, whole-file findings at 1:1 ----
COL=$(python3 -c 'import sys; l=sys.argv[1]; print(l.index("#pricee") + 1)' "$MB")
(cd "$M" && $VB check kb/calls/2026/multibyte.md kb/calls/dup.md kb/README.md >"$T/txt.out" 2>"$T/txt.err")
rc=$?
printf '%s\n' "kb/calls/2026/multibyte.md:7:$COL: error: unknown hashtag '#pricee' (did you mean '#price'?) [unknown-tag]" \
	"kb/calls/dup.md:1:1: error: note id 'dup' is also the id of 'calls/2026/dup.md'; rename one of the files [duplicate-id]" >"$T/txt.exp"
expect_file "PATHs from the repository's top: kb found, character column, 1:1, README skipped" "$T/txt.err" "$T/txt.exp"
expect_eq "PATHs: the README is no note" "$rc:$(cat "$T/txt.out")" "1:checked 2 notes: 2 errors, 0 warnings"
[ "$COL" != "$(printf '%s' "$MB" | LC_ALL=C awk '{ print index($0, "#pricee") }')" ] &&
	ok "the test line's character column differs from its byte column" ||
	notok "the test line's character column differs from its byte column"

# two knowledge bases in one run, each found from its PATH
mkdir -p "$M/kb2/calls"
printf 'notes: [calls]\ntags:\n  speed: {label: Speed, kind: problem}\n' >"$M/kb2/verbatim.yml"
note "$M/kb2/calls/slow.md" C-8 '> "Slow" #sped'
(cd "$M" && $VB check kb/calls/old-bad.md kb2/calls/slow.md >"$T/two.out" 2>"$T/two.err")
printf '%s\n' "kb/calls/old-bad.md:7:14: error: unknown hashtag '#pricee' (did you mean '#price'?) [unknown-tag]" \
	"kb2/calls/slow.md:7:10: error: unknown hashtag '#sped' (did you mean '#speed'?) [unknown-tag]" >"$T/two.exp"
expect_file "PATHs in two knowledge bases: each checked against its own vocabulary" "$T/two.err" "$T/two.exp"
rm -r "$M/kb2"

# ---- --changed-since: only the notes changed since the merge base ----
git -C "$M" checkout -q -b topic
note "$K/calls/new-bad.md" C-9 '> "New and dear" #pricee'   # committed on the branch
git -C "$M" add -A
git -C "$M" commit -qm "topic: a new note"
note "$K/calls/good.md" C-3 '> "Too dear" #pricy'           # changed, not committed
note "$K/calls/untracked.md" C-10 '> "Untracked" #priice'   # new, not added
# main moves on after the branch: old-bad.md is fixed there, which the
# merge base does not see (old-bad.md is no change of the branch)
git -C "$M" stash -q -u
git -C "$M" checkout -q main
note "$K/calls/old-bad.md" C-2 '> "Too dear" #price'
git -C "$M" commit -qam "main: fix old-bad"
git -C "$M" checkout -q topic
git -C "$M" stash pop -q
(cd "$M" && $VB -C kb check --changed-since main >"$T/since.out" 2>"$T/since.err")
rc=$?
printf '%s\n' "calls/good.md:7:14: error: unknown hashtag '#pricy' (did you mean '#price'?) [unknown-tag]" \
	"calls/new-bad.md:7:18: error: unknown hashtag '#pricee' (did you mean '#price'?) [unknown-tag]" \
	"calls/untracked.md:7:15: error: unknown hashtag '#priice' (did you mean '#price'?) [unknown-tag]" >"$T/since.exp"
expect_file "--changed-since: committed, changed and new notes since the merge base" "$T/since.err" "$T/since.exp"
expect_eq "--changed-since: exit 1, counts the changed notes" "$rc:$(cat "$T/since.out")" \
	"1:checked 3 notes: 3 errors, 0 warnings"
(cd "$M" && $VB -C kb check --changed-since main --format=sarif >"$T/since.sarif" 2>/dev/null)
if python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]["results"]; u=sorted(x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for x in r); assert u == ["kb/calls/good.md","kb/calls/new-bad.md","kb/calls/untracked.md"], u' "$T/since.sarif" 2>"$T/py.err"
then ok "--changed-since --format=sarif: the same notes, repository paths"
else notok "--changed-since --format=sarif: the same notes, repository paths"; sed 's/^/#   /' "$T/py.err" | tail -3; fi
(cd "$M" && $VB -C kb check --changed-since HEAD >/dev/null 2>"$T/head.err")
expect_eq "--changed-since HEAD: only what is not committed" "$(cut -d: -f1 "$T/head.err" | sort -u | tr '\n' ' ')" \
	"calls/good.md calls/untracked.md "
# a changed vocabulary checks every note
printf '  speed: {label: Speed, kind: problem}\n' >>"$K/verbatim.yml"
(cd "$M" && $VB -C kb check --changed-since main >/dev/null 2>"$T/vocab.err")
expect_grep "--changed-since: a changed verbatim.yml checks every note" "$T/vocab.err" "calls/2026/multibyte.md:7:$COL:"
git -C "$M" checkout -q -- kb/verbatim.yml
run_vb badrev check -C "$K" --changed-since no-such-branch
expect_eq "--changed-since: an unknown revision is a usage error" "$rc:$(head -1 "$T/badrev.err" | cut -d: -f1-2)" \
	"2:no-such-branch: error"
mkdir -p "$T/plain"
cp "$K/verbatim.yml" "$T/plain/"
run_vb norepo check -C "$T/plain" --changed-since main
expect_grep "--changed-since outside a repository: says so" "$T/norepo.err" "--changed-since needs a git repository"

# ---- '-': a note from stdin (editors) ----
note "$T/unsaved.md" C-3 '> "Still too dear" #prise'
(cd "$M" && $VB check - --stdin-filename kb/calls/good.md <"$T/unsaved.md" >"$T/stdin.out" 2>"$T/stdin.err")
rc=$?
expect_eq "stdin: the buffer, not the file, under the given name" "$rc:$(cat "$T/stdin.err")" \
	"1:kb/calls/good.md:7:20: error: unknown hashtag '#prise' (did you mean '#price'?) [unknown-tag]"
expect_eq "stdin: one note checked" "$(cat "$T/stdin.out")" "checked 1 note: 1 error, 0 warnings"
(cd "$K" && $VB check - <"$T/unsaved.md" >/dev/null 2>"$T/stdin2.err")
expect_eq "stdin without a name: <stdin>" "$(cat "$T/stdin2.err")" \
	"<stdin>:7:20: error: unknown hashtag '#prise' (did you mean '#price'?) [unknown-tag]"
(cd "$M" && $VB check - --stdin-filename kb/README.md <"$T/unsaved.md" >"$T/stdin3.out" 2>"$T/stdin3.err")
expect_eq "stdin named as a file outside the notes folders: no note" "$?:$(cat "$T/stdin3.err")" "0:"
run_vb stdin4 check - -
expect_eq "stdin twice: usage error" "$rc" 2

# ---- the global -C ----
(cd "$T" && $VB -C "$K" check --format=json >"$T/gc.out" 2>/dev/null)
(cd "$T" && $VB check -C "$K" --format=json >"$T/gc0.out" 2>/dev/null)
expect_file "global -C: as check -C" "$T/gc.out" "$T/gc0.out"
(cd "$T" && $VB -C "$K" check calls/good.md >/dev/null 2>"$T/gc2.err"; echo $? >"$T/gc2.rc")
expect_eq "global -C: PATHs relative to the knowledge base" "$(cat "$T/gc2.rc"):$(cat "$T/gc2.err")" \
	"1:calls/good.md:7:14: error: unknown hashtag '#pricy' (did you mean '#price'?) [unknown-tag]"
run_vb gc3 -C
expect_eq "global -C without a folder: usage error" "$rc" 2
