#!/bin/sh
# The customers' words as copy: verbatim copy (the copy bank, positioning
# tests), the report's copy page, and copy.yml checked with file:line:col.
. "$(dirname "$0")/../lib.sh"
KB=$FIX/copy/kb

# "Wasn't sure about the size" is said by 3 customers (abandoners and a
# returner: an objection), each form once: the smallest bytes win the tie
# (capital W); "Free returns made it a no-brainer" by 2 buyers in 3 calls
# (a benefit), written so twice.  33 characters: a description.
run_vb text copy -C "$KB"
expect_eq "copy exits 0" "$rc" 0
cat >"$T/text.expected" <<'EOT'
The customers' own words as copy, as of 2026-10-08 (phrases said by 2 customers or more)

Unsure about fit (fit)
  objections to answer, said by abandoners and returners
    "Wasn't sure about the size"  headline, 3 customers, 3 calls, 2026-10-02 .. 2026-10-08

Free returns convinced them (free-returns)
  benefits, said by buyers
    "Free returns made it a no-brainer"  description, 2 customers, 3 calls, 2026-10-01 .. 2026-10-06

Positioning tests (copy.yml): 2
  returns-headline: "free returns made it a no-brainer" on meta: roas 3 against 2, +50 % (won)
  size-test: "wasn't sure about the size" on google: no lift (no control, no result or a control of 0)
  the customers' words won 1 of 1 tests with a lift
EOT
expect_file "copy: the bank and the tests, as customers said it" "$T/text.out" "$T/text.expected"

run_vb csv copy -C "$KB" --format=csv
printf 'theme,role,text,phrase,length,characters,customers,notes,first_said,last_said,notes_saying_it\r
fit,objection,Wasn'"'"'t sure about the size,wasnt sure about the size,headline,26,3,3,2026-10-02,2026-10-08,a3 a2 a1\r
free-returns,benefit,Free returns made it a no-brainer,free returns made it a no-brainer,description,33,2,3,2026-10-01,2026-10-06,b3 b2 b1\r
' >"$T/csv.expected"
expect_file "copy --format=csv for ad tools" "$T/csv.out" "$T/csv.expected"

run_vb json copy -C "$KB" --format=json
if python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))
assert [(r["theme"], r["role"], r["text"], r["customers"]) for r in rows] == [
    ("fit", "objection", "Wasn'"'"'t sure about the size", 3),
    ("free-returns", "benefit", "Free returns made it a no-brainer", 2)], rows
' "$T/json.out" 2>"$T/py.err"; then ok "copy --format=json"; else
	notok "copy --format=json"; sed 's/^/#   /' "$T/py.err" | tail -3; fi

run_vb tag copy -C "$KB" --tag fit --format=csv
expect_eq "--tag keeps one theme" "$(tail -n +2 "$T/tag.out" | cut -d, -f1 | tr -d '\r')" "fit"
run_vb seg copy -C "$KB" --segment buyer --format=csv
expect_eq "--segment buyer: the buyers' words only" "$(tail -n +2 "$T/seg.out" | cut -d, -f1 | tr -d '\r')" "free-returns"
run_vb since copy -C "$KB" --since 2026-10-05 --format=csv
expect_eq "--since: the fit objection said by 2 customers since" \
	"$(grep '^fit' "$T/since.out" | cut -d, -f7,8)" "2,2"
run_vb badtag copy -C "$KB" --tag fitt
expect_eq "an unknown --tag is a usage error" "$rc" 2
expect_grep "an unknown --tag says did you mean" "$T/badtag.err" "verbatim: copy: unknown tag 'fitt' (did you mean 'fit'?)"

# The report's copy page and a theme page's tests.
run_vb rep report -C "$KB" -o "$T/site"
C=$T/site/copy.html
expect_grep "copy page: the summary of lifts" "$C" "<strong>The customers' words won 1 of 1 test</strong> against their control; the mean lift is +50&nbsp;%."
expect_grep "copy page: a test won, with where its words came from" "$C" "+50&nbsp;% (won)"
expect_grep "copy page: no lift against a control of 0" "$C" "<span class=\"muted\">no lift</span>"
LQ=$(printf '\342\200\234') RQ=$(printf '\342\200\235')
expect_grep "copy page: the bank" "$C" "<td>objection</td><td>${LQ}Wasn&#39;t sure about the size${RQ}</td><td>headline</td>"
expect_grep "theme page: its words tested as copy" "$T/site/themes/fit-22574ef4.html" "<h2>Its words tested as copy</h2>"

# copy.yml's bad input, each at its line and column.
mkdir -p "$T/bad"
cp -R "$KB/." "$T/bad/"
cat >"$T/bad/copy.yml" <<'EOY'
made-up:
  phrase: "best shoes in the universe"
  tags: [fitt]
  start: 2026-10-20
  end: 2026-10-01
  control: 1.5
  result: lots
leaky:
  phrase: "write to jane.doe@example.com"
no-words:
  channel: meta
EOY
run_vb bad check -C "$T/bad"
expect_eq "copy.yml errors fail check" "$rc" 1
cat >"$T/bad.expected" <<'EOE'
copy.yml:2:11: warning: no customer said this: no quote of a conversation holds the words of test 'made-up'; use the customers' own words [copy-not-said]
copy.yml:3:9: error: test 'made-up' names unknown tag 'fitt' (did you mean 'fit'?) [unknown-tag]
copy.yml:5:8: error: test 'made-up' ends before it starts; check start: and end: [copy-end-before-start]
copy.yml:7:11: error: result 'lots' of test 'made-up' is not a number; write the metric's value, like 2.1 [copy-bad-number]
copy.yml:9:11: error: the phrase of test 'leaky' holds an email address or phone number; remove it (it is never published) [personal-data]
copy.yml:10:1: error: test 'no-words' has no phrase: add 'phrase: "the customers' words"' [copy-missing-phrase]
EOE
expect_file "copy.yml: every problem at its line and column" "$T/bad.err" "$T/bad.expected"
printf -- '- a list\n- not a mapping\n' >"$T/bad/copy.yml"
run_vb list check -C "$T/bad"
expect_grep "copy.yml that is not a mapping" "$T/list.err" "copy.yml:1:1: error: copy.yml must map each test's id to its phrase, channel, dates and metrics, not a list [copy-bad-type]"
run_vb leak report -C "$T/bad" -o "$T/badsite"
expect_nogrep "a phrase with personal data is never published" "$T/badsite/copy.html" "jane.doe"
expect_grep "copy page: the bank links the notes that say the words" "$C" \
	"<td>objection</td><td>${LQ}Wasn&#39;t sure about the size${RQ}</td><td>headline</td><td class=\"num\">3</td><td class=\"num\">3</td><td>2026-10-02</td><td>2026-10-08</td><td><a href=\"notes/"
expect_eq "copy page: every bank row links its notes" \
	"$(sed -n '/id="bank"/,$p' "$C" | grep -c 'href="notes/')" 2
