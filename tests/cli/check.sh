#!/bin/sh
# verbatim check over the fixture knowledge bases: every rule with its exact
# message (golden files in tests/fixtures/expected/), the three formats, exit
# codes, --strict, -q and check PATH...  VB_BLESS=1 rewrites the golden files.
. "$(dirname "$0")/../lib.sh"
EXP=$FIX/expected

# golden NAME FILE: compares FILE with expected/NAME.txt
golden() {
	if [ -n "$VB_BLESS" ]; then cp "$2" "$EXP/$1.txt"; fi
	expect_file "golden $1" "$2" "$EXP/$1.txt"
}

# ---- the rules fixture: one note per rule ----
run_vb rules check -C "$FIX/rules"
expect_eq "rules: exit 1 (findings)" "$rc" 1
golden rules.text.err "$T/rules.err"
expect_eq "rules: summary on stdout" "$(cat "$T/rules.out")" \
	"checked 48 notes: 38 errors, 6 warnings"

# machine formats give paths from the top of the git repository: a copy of
# the fixture in no repository gives them from the knowledge base, the same
# in a checkout and in a release tarball
cp -R "$FIX/rules" "$T/rules"
run_vb gh check -C "$T/rules" --format=github
expect_eq "github: exit 1" "$rc" 1
golden rules.github.out "$T/gh.out"
expect_eq "github: summary on stderr" "$(cat "$T/gh.err")" "checked 48 notes: 38 errors, 6 warnings"

run_vb json check -C "$T/rules" --format json
expect_eq "json: exit 1" "$rc" 1
golden rules.json.out "$T/json.out"
expect_eq "json: summary on stderr" "$(cat "$T/json.err")" "checked 48 notes: 38 errors, 6 warnings"
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d)==44 and d[0]["rule"]=="alias" and d[0]["line"]==7 and d[0]["column"]==28' "$T/json.out" 2>"$T/py.err"; then
	ok "json: parses, 44 objects with line and column"
else notok "json: parses, 44 objects with line and column"; sed 's/^/#   /' "$T/py.err"; fi

# every rule id of the rules fixture appears in the golden text output
for rule in alias bad-channel bad-date bad-ltv bad-outcome bad-type duplicate-id duplicate-key \
	empty follows-later follows-not-connected follows-other-customer follows-unknown \
	front-matter-missing front-matter-not-mapping front-matter-not-yaml \
	front-matter-unterminated future-date missing-key personal-data tags-not-list \
	unknown-roadmap-item unknown-segment unknown-tag yaml-alias yaml-syntax; do
	expect_grep "rule $rule is covered" "$EXP/rules.text.err.txt" "[$rule]"
done

# the clean notes have no findings
for f in clean-a clean-b clean-voicemail clean-tomorrow clean-timestamp clean-front-only; do
	expect_nogrep "no finding in $f" "$T/rules.err" "calls/$f.md"
done

# ---- -q, --strict ----
run_vb quiet check -q -C "$FIX/rules"
expect_eq "-q: exit 1" "$rc" 1
expect_eq "-q: no summary" "$(cat "$T/quiet.out")" ""
expect_file "-q: same diagnostics" "$T/quiet.err" "$EXP/rules.text.err.txt"

run_vb warn check -C "$FIX/rules" calls/alias.md calls/bad-channel.md
expect_eq "warnings only: exit 0" "$rc" 0
expect_eq "warnings only: summary" "$(cat "$T/warn.out")" "checked 2 notes: 0 errors, 2 warnings"
run_vb strict check --strict -C "$FIX/rules" calls/alias.md calls/bad-channel.md
expect_eq "--strict: warnings give exit 1" "$rc" 1
expect_eq "--strict: same diagnostics" "$(cat "$T/strict.err")" "$(cat "$T/warn.err")"
run_vb strictclean check --strict -C "$FIX/rules" calls/clean-a.md
expect_eq "--strict on a clean note: exit 0" "$rc" 0
expect_eq "--strict on a clean note: summary" "$(cat "$T/strictclean.out")" \
	"checked 1 note: 0 errors, 0 warnings"
expect_eq "--strict on a clean note: no diagnostics" "$(cat "$T/strictclean.err")" ""

# ---- check PATH...: only the given files; rules across notes still see all ----
run_vb paths check -C "$FIX/rules" calls/follows-later.md calls/clean-b.md calls/unknown-tag.md
expect_eq "PATH: exit 1" "$rc" 1
cat >"$T/paths.exp" <<'X'
calls/follows-later.md:5:10: error: follows: 'clean-b' is not an earlier call; a follow-up names the call it follows [follows-later]
calls/unknown-tag.md:5:8: error: unknown tag 'pricee' (did you mean 'price'?) [unknown-tag]
X
expect_file "PATH: only the given files" "$T/paths.err" "$T/paths.exp"
expect_eq "PATH: summary counts the given files" "$(cat "$T/paths.out")" \
	"checked 3 notes: 2 errors, 0 warnings"

# paths relative to the current folder, as an editor or a hook gives them
(cd "$FIX/rules/calls" && $VB check -C .. ../calls/./duplicate-id.md 2025/duplicate-id.md >"$T/rel.out" 2>"$T/rel.err")
rc=$?
expect_eq "PATH from a subfolder: exit 1" "$rc" 1
cat >"$T/rel.exp" <<'X'
calls/duplicate-id.md:1:1: error: note id 'duplicate-id' is also the id of 'calls/2025/duplicate-id.md'; rename one of the files [duplicate-id]
X
expect_file "PATH from a subfolder: paths relative to the knowledge base" "$T/rel.err" "$T/rel.exp"
expect_eq "PATH from a subfolder: summary" "$(cat "$T/rel.out")" "checked 2 notes: 1 error, 0 warnings"

# without -C, the knowledge base is found above the current folder and the
# paths are printed from here, so that an editor opens the right file
(cd "$FIX/rules/calls" && $VB check duplicate-id.md unknown-tag.md >"$T/up.out" 2>"$T/up.err")
rc=$?
expect_eq "found above: exit 1" "$rc" 1
cat >"$T/up.exp" <<'X'
duplicate-id.md:1:1: error: note id 'duplicate-id' is also the id of 'calls/2025/duplicate-id.md'; rename one of the files [duplicate-id]
unknown-tag.md:5:8: error: unknown tag 'pricee' (did you mean 'price'?) [unknown-tag]
X
expect_file "found above: paths from the current folder" "$T/up.err" "$T/up.exp"
(cd "$FIX/rules/calls/2025" && $VB check ../unknown-tag.md >/dev/null 2>"$T/up2.err")
expect_eq "found above: a path with .. stays usable" "$(cat "$T/up2.err")" \
	"../unknown-tag.md:5:8: error: unknown tag 'pricee' (did you mean 'price'?) [unknown-tag]"

run_vb nofile check -C "$FIX/rules" calls/no-such-note.md
expect_eq "PATH that does not exist: exit 1" "$rc" 1
expect_eq "PATH that does not exist: message" "$(cat "$T/nofile.err")" \
	"calls/no-such-note.md:1:1: error: no such note; check the path [not-found]"

# a Markdown file outside the notes folders is no note (a README, a draft):
# named, it is skipped, and said so only with --verbose
mkdir -p "$T/kb/calls" "$T/kb/drafts"
cp "$FIX/rules/verbatim.yml" "$FIX/rules/roadmap.yml" "$T/kb/"
cp "$FIX/rules/calls/clean-a.md" "$T/kb/calls/"
cp "$FIX/rules/calls/unknown-segment.md" "$T/kb/drafts/"
cp "$FIX/rules/calls/unknown-segment.md" "$T/kb/README.md"
run_vb draft check -C "$T/kb" drafts/unknown-segment.md README.md calls/clean-a.md
expect_eq "PATH outside notes: folders: skipped, exit 0" "$rc" 0
expect_eq "PATH outside notes: folders: no finding" "$(cat "$T/draft.err")" ""
expect_eq "PATH outside notes: folders: not counted" "$(cat "$T/draft.out")" \
	"checked 1 note: 0 errors, 0 warnings"
run_vb draftv check -v -C "$T/kb" README.md
expect_eq "PATH outside notes: folders: --verbose says why" "$rc:$(cat "$T/draftv.err")" \
	"0:README.md: not a note (outside the notes folders of $T/kb); skipped"
run_vb whole check -C "$T/kb"
expect_eq "without PATH the drafts folder is not a notes folder" "$(cat "$T/whole.out")" \
	"checked 1 note: 0 errors, 0 warnings"
expect_eq "without PATH: exit 0" "$rc" 0

# ---- the vocabulary and roadmap loaders ----
run_vb vocab check -C "$FIX/vocab"
expect_eq "vocab: exit 1" "$rc" 1
golden vocab.text.err "$T/vocab.err"
expect_eq "vocab: summary" "$(cat "$T/vocab.out")" "checked 1 note: 13 errors, 1 warning"
for rule in vocab-unknown-key vocab-bad-kind vocab-duplicate-alias vocab-duplicate-tag \
	vocab-bad-type vocab-unknown-tag roadmap-shipped-date roadmap-unknown-tag \
	roadmap-bad-status roadmap-bad-date roadmap-bad-type; do
	expect_grep "rule $rule is covered" "$EXP/vocab.text.err.txt" "[$rule]"
done
run_vb vocabpath check -C "$FIX/vocab" calls/clean.md
expect_grep "PATH: verbatim.yml findings are still shown" "$T/vocabpath.err" \
	"verbatim.yml:4:1: warning: unknown key 'colour' is ignored"

# a verbatim.yml that is not YAML: reported at its line, notes still checked
# (with the defaults: any tag and segment)
mkdir -p "$T/badyaml"
printf 'title: x\ntags: [a, b\n' >"$T/badyaml/verbatim.yml"
printf -- '---\ndate: 2026-10-01\ntags: [anything]\n---\n' >"$T/badyaml/a.md"
printf -- '---\ndate: 2026-13-01\n---\n' >"$T/badyaml/b.md"
run_vb badyaml check -C "$T/badyaml"
expect_eq "verbatim.yml not YAML: exit 1" "$rc" 1
cat >"$T/badyaml.exp" <<'X'
b.md:2:7: error: date '2026-13-01' is not a real calendar date; check the month and day [bad-date]
verbatim.yml:3:1: error: not valid YAML: did not find expected ',' or ']' while parsing a flow sequence (line 2); check the indentation, colons and quotes [yaml-syntax]
X
expect_file "verbatim.yml not YAML: diagnostics" "$T/badyaml.err" "$T/badyaml.exp"
expect_eq "verbatim.yml not YAML: summary" "$(cat "$T/badyaml.out")" "checked 2 notes: 2 errors, 0 warnings"

# a notes folder that does not exist
mkdir -p "$T/nofolder"
printf 'notes: [calls, interviews]\n' >"$T/nofolder/verbatim.yml"
mkdir -p "$T/nofolder/calls"
cp "$FIX/rules/calls/clean-voicemail.md" "$T/nofolder/calls/"
run_vb nofolder check -C "$T/nofolder"
expect_eq "notes folder missing: diagnostic" "$(cat "$T/nofolder.err")" \
	"verbatim.yml:1:1: error: folder 'interviews' listed in notes: does not exist; create it or fix notes: in verbatim.yml [notes-folder-missing]"
expect_eq "notes folder missing: the others are checked" "$(cat "$T/nofolder.out")" \
	"checked 1 note: 1 error, 0 warnings"

# ---- usage and I/O errors: exit 2 ----
run_vb badopt check --no-such-option
expect_eq "unknown option: exit 2" "$rc" 2
expect_grep "unknown option: usage on stderr" "$T/badopt.err" "usage: verbatim check [options] [PATH...]"
expect_eq "unknown option: nothing on stdout" "$(cat "$T/badopt.out")" ""
run_vb badfmt check --format=xml -C "$FIX/rules"
expect_eq "unknown format: exit 2" "$rc" 2
expect_eq "unknown format: message" "$(cat "$T/badfmt.err")" \
	"verbatim: check: unknown format 'xml'; use text, github, json, tsv, sarif or gitlab"
run_vb nodir check -C "$T/no-such-folder"
expect_eq "missing folder: exit 2" "$rc" 2
expect_grep "missing folder: names it" "$T/nodir.err" "no-such-folder"
expect_eq "missing folder: no summary" "$(cat "$T/nodir.out")" ""
run_vb both check --rev HEAD --staged -C "$FIX/rules"
expect_eq "--rev with --staged: exit 2" "$rc" 2
expect_eq "--rev with --staged: message" "$(cat "$T/both.err")" \
	"verbatim: check: --rev and --staged exclude each other"
run_vb help check --help
expect_eq "--help: exit 0" "$rc" 0
expect_grep "--help: usage on stdout" "$T/help.out" "Exit status: 0 clean, 1 findings, 2 usage or I/O error."

# ---- the bundled example checks clean (aliases are warnings) ----
run_vb acme check -C "$VB_TOP/examples/acme"
expect_eq "examples/acme: exit 0" "$rc" 0
expect_eq "examples/acme: summary" "$(cat "$T/acme.out")" "checked 30 notes: 0 errors, 3 warnings"
expect_eq "examples/acme: only alias warnings" "$(grep -vc '\[alias\]$' "$T/acme.err")" 0

# ---- output is deterministic (parallel parse) ----
run_vb again check -C "$FIX/rules"
expect_file "same input, same bytes" "$T/again.err" "$T/rules.err"
