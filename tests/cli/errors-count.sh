#!/bin/sh
# One definition of "a note with errors", one count in every output: the
# fixture tests/fixtures/errors/kb has one note per kind of error (unknown
# segment, personal data in customer: and in the body, a date that is not a
# date, in the future or before 1970, a missing key, a duplicate id, follows:
# naming a later call, an unknown hashtag, a bad type, a blank line before the
# front matter, an unfilled template) and four clean notes.  check, index,
# stats, report (stdout, pages, data.json) and history all count the same
# notes; a note's own page says it has errors; no bad date sets the as-of
# date; the unfilled template is no conversation.
. "$(dirname "$0")/../lib.sh"

K=$FIX/errors/kb
clean="calls/2026-11-02-c1-buyer.md calls/2026-11-03-c2-abandoner.md calls/2026-11-12-c4-buyer.md calls/a/2026-11-09-dup.md"

run_vb chk check -C "$K"
expect_eq "check: exit 1" "$rc" 1
sed -n 's/^\([^:]*\):.* error: .*/\1/p' "$T/chk.out" "$T/chk.err" | sort -u >"$T/flagged"
(cd "$K" && find calls -name '*.md') | sort >"$T/all"
for f in $clean; do echo "$f"; done | sort >"$T/clean"
comm -23 "$T/all" "$T/clean" >"$T/expected"
expect_file "check flags every note but the clean ones" "$T/flagged" "$T/expected"
n=$(wc -l <"$T/expected" | tr -d ' ')
for rule in unknown-segment personal-data bad-date future-date missing-key duplicate-id \
	follows-later unknown-tag bad-type front-matter-not-first unfilled-template; do
	expect_grep "check: a $rule error" "$T/chk.err" "[$rule]"
done

run_vb ix index -C "$K" -o "$T/ix.idx"
expect_eq "index: exit 0" "$rc" 0
expect_grep "index counts the same notes with errors" "$T/ix.out" "; $n notes with errors (see verbatim check)"
# again, the clean notes from the cache: the rules across notes (the
# duplicate id, follows:) still see them
run_vb ix2 index -C "$K" -o "$T/ix.idx"
expect_grep "index from its cache: some notes reused" "$T/ix2.out" "reused 4 from the cache"
expect_grep "index from its cache counts the same notes with errors" "$T/ix2.out" "; $n notes with errors (see verbatim check)"

run_vb st stats -C "$K" --format=json
expect_eq "stats: exit 0" "$rc" 0
expect_eq "stats json: the same count, the as-of date of a valid date, the unfilled template no conversation" \
	"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["notes_with_errors"], d["as_of"], d["attempts"] - d["conversations"])' "$T/st.out")" \
	"$n 2026-11-16 1"
run_vb stt stats -C "$K"
expect_grep "stats text: the same count" "$T/stt.out" "$n notes had errors: run 'verbatim check' to see them"

S=$T/site
run_vb rep report -C "$K" -o "$S" --json
expect_eq "report: exit 0" "$rc" 0
expect_grep "report: the same count on stdout" "$T/rep.out" ", $n notes with errors (run verbatim check)"
expect_eq "data.json: the same count, the as-of date, the unfilled template no conversation" \
	"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); t=d["totals"]; print(d["notes_with_errors"], d["as_of"], t["attempts"] - t["conversations"], t["undated"])' "$S/data.json")" \
	"$n 2026-11-16 1 3"
expect_eq "every page with figures says how many notes had errors" \
	"$(grep -L "<strong>$n notes had errors</strong>" "$S"/*.html "$S"/themes/*.html "$S"/segments/*.html | wc -l)" 0
# every note with errors has a page that says so, but the duplicate: its id's
# page is the first note's (a clean one)
pages=$(grep -l '<strong>This note has [0-9]* errors*</strong>' "$S"/notes/*/*.html | wc -l)
expect_eq "every note with errors says so on its own page" "$pages" "$((n - 1))"
page() { ls "$S"/notes/*/"$1"-*.html; }
expect_grep "a rule across notes (follows: a later call) is on the note's page" \
	"$(page 2026-11-10-c4-buyer)" "<strong>This note has 1 error</strong>"
expect_grep "the email note's page counts both of its errors" \
	"$(page 2026-11-05-email)" "<strong>This note has 2 errors</strong>"
expect_grep "the unfilled template's page says it has an error" \
	"$(page 2026-11-16-c14-buyer)" "<strong>This note has 1 error</strong>"
expect_nogrep "no error on a clean note's page" "$(page 2026-11-02-c1-buyer)" "This note has"

# a blank line before the front matter: read as front matter, never rendered
B=$(page 2026-11-15-blank)
expect_nogrep "blank line before the front matter: no rule on the page" "$B" "<hr"
expect_nogrep "blank line before the front matter: no heading of keys" "$B" "<h2>date:"
expect_grep "blank line before the front matter: the keys are read" "$B" "<tr><th scope=\"row\">customer</th><td>C-13</td></tr>"

# history, at the revision shown, counts the same notes
R=$T/repo
cp -R "$K" "$R"
commit_all "$R" 2026-11-17T12:00:00Z notes
run_vb hist history -C "$R" --format=json --no-cache
expect_eq "history: exit 0" "$rc" 0
expect_eq "history counts the same notes with errors" \
	"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["notes_with_errors"])' "$T/hist.out")" "$n"

# phrases: the unknown segment is filed under "unknown", as in the report
run_vb ph phrases -C "$K" --index "$T/ix.idx" --format=tsv
expect_eq "phrases: exit 0" "$rc" 0
expect_grep "phrases: the unknown segment counts as unknown" "$T/ph.out" "abandoner=1,unknown=1"
expect_nogrep "phrases: no segment of its own for an unknown segment" "$T/ph.out" "vip"
