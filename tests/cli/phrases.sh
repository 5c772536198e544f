#!/bin/sh
# verbatim phrases: the top table, keyword-in-context lines, filters, formats,
# exit codes, Unicode and a missing or damaged index.
. "$(dirname "$0")/../lib.sh"

IX=$FIX/phrases/index.expected
run_vb top phrases --index "$IX"
expect_eq "top: exit 0" "$rc" 0
cat >"$T/want" <<'EOT'
PHRASE                            NOTES  SEGMENTS              TAGS
size would fit my wide feet           3  abandoner 2, buyer 1  fit-uncertainty 3
sure if the size would fit            3  abandoner 2, buyer 1  fit-uncertainty 3
WASN'T SURE IF THE SIZE               3  abandoner 2, buyer 1  fit-uncertainty 3
Shipping was more than the socks      2  buyer 2               shipping-cost 2
尺码偏小                              2  abandoner 1, buyer 1  fit-uncertainty 1, shipping-cost 1
café crème colour                     2  abandoner 1, buyer 1  fit-uncertainty 1, price 1, shipping-cost 1
EOT
expect_file "top: table" "$T/top.out" "$T/want"

run_vb kwic phrases --index "$IX" "wide feet"
cat >"$T/want" <<'EOT'
calls/2026-01-05-c00001-buyer.md:12:     ...he size would fit my [wide feet]
calls/2026-01-12-c00002-abandoner.md:12: ...he size would fit my [wide feet].
calls/2026-02-09-c00004-abandoner.md:14: ...HE SIZE WOULD FIT MY [WIDE FEET]
EOT
expect_file "exact phrase: keyword in context, match column aligned" "$T/kwic.out" "$T/want"
expect_eq "exact phrase: exit 0" "$rc" 0

run_vb cafe phrases --index "$IX" CAFÉ colour
cat >"$T/want" <<'EOT'
calls/2026-01-12-c00002-abandoner.md:14: ...ail removed] about the [café] crème [colour]
calls/2026-02-02-c00003-buyer.md:14:                           The [café] crème [colour] looked n...
EOT
expect_file "words: accents folded, redacted text, every matched word marked" "$T/cafe.out" "$T/want"

run_vb cjk phrases --index "$IX" 尺码
cat >"$T/want" <<'EOT'
calls/2026-02-02-c00003-buyer.md:16:                               [尺码]偏小，[尺码]偏小
calls/2026-02-09-c00004-abandoner.md:12:                           [尺码]偏小
EOT
expect_file "CJK: a run without spaces is an exact phrase" "$T/cjk.out" "$T/want"

run_vb curly phrases --index "$IX" --format=tsv "wasn't sure"
cat >"$T/want" <<'EOT'
path	line	date	segment	left	match	right
calls/2026-01-05-c00001-buyer.md	12	2026-01-05	buyer	I 	wasn’t sure	 if the size would fit my wide feet
calls/2026-01-12-c00002-abandoner.md	12	2026-01-12	abandoner	Honestly, I 	wasn't sure	 if the size would fit my wide feet.
calls/2026-02-09-c00004-abandoner.md	14	2026-02-09	abandoner	I 	WASN'T SURE	 IF THE SIZE WOULD FIT MY WIDE FEET
EOT
expect_file "tsv: straight and curly apostrophes match alike" "$T/curly.out" "$T/want"

# filters
run_vb seg phrases --index "$IX" --segment buyer --format=tsv socks
expect_eq "--segment: buyer quotes only" "$(cut -f1 "$T/seg.out" | tail -n +2 | tr '\n' ' ')" "calls/2026-01-05-c00001-buyer.md calls/2026-02-02-c00003-buyer.md "
run_vb tag phrases --index "$IX" -C "$FIX/phrases" --tag sizing --format=tsv
expect_eq "--tag by alias: phrases of fit-uncertainty quotes" "$(cut -f1,3 "$T/tag.out" | tr '\t\n' ':|')" "phrase:notes|size would fit my wide feet:3|sure if the size would fit:3|wasnt sure if the size:3|"
run_vb since phrases --index "$IX" --since 2026-01-10 --until 2026-02-05 --format=tsv feet
expect_eq "--since/--until: notes in range" "$(cut -f1 "$T/since.out" | tail -n +2)" "calls/2026-01-12-c00002-abandoner.md"
run_vb lim phrases --index "$IX" --limit 2 --format=tsv
expect_eq "--limit" "$(wc -l <"$T/lim.out")" 3
run_vb json phrases --index "$IX" --format=json
expect_eq "json: valid, 6 phrases, counts" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d), d[4]["phrase"], d[4]["segments"], d[0]["tags"])' "$T/json.out")" "6 尺 码 偏 小 {'abandoner': 1, 'buyer': 1} {'fit-uncertainty': 3}"
run_vb jsonq phrases --index "$IX" --format=json 尺码
expect_eq "json search: Unicode intact" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d[0]["quote"], d[0]["match"], d[1]["line"])' "$T/jsonq.out")" "尺码偏小，尺码偏小 尺码 12"

# the words as customers wrote them, beside the key (most frequent form; a
# tie goes to the smallest bytes)
run_vb tsvtop phrases --index "$IX" --format=tsv
expect_eq "tsv: key and words as written" "$(cut -f1,2 "$T/tsvtop.out" | sed -n '1p;4p;5p;6p' | tr '\t\n' ':|')" "phrase:text|wasnt sure if the size:WASN'T SURE IF THE SIZE|shipping was more than the socks:Shipping was more than the socks|尺 码 偏 小:尺码偏小|"
expect_eq "json: phrase and text" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print([(x["phrase"], x["text"]) for x in d if x["notes"] == 2])' "$T/json.out")" "[('shipping was more than the socks', 'Shipping was more than the socks'), ('尺 码 偏 小', '尺码偏小'), ('café crème colour', 'café crème colour')]"

# a KWIC line marks every matched word
run_vb every phrases --index "$IX" size WIDE
cat >"$T/want" <<'EOF2'
calls/2026-01-05-c00001-buyer.md:12:          I wasn’t sure if the [size] would fit my [wide] feet
calls/2026-01-12-c00002-abandoner.md:12: ..., I wasn't sure if the [size] would fit my [wide] feet.
calls/2026-02-09-c00004-abandoner.md:14:      I WASN'T SURE IF THE [SIZE] WOULD FIT MY [WIDE] FEET
EOF2
expect_file "every matched word marked, aligned on the leftmost" "$T/every.out" "$T/want"
run_vb everyj phrases --index "$IX" --format=json 尺码
expect_eq "json: every match" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d[0]["matches"])' "$T/everyj.out")" "['尺码', '尺码']"

# --complete: how customers go on
run_vb comp phrases --index "$IX" --complete "I wasn't sure"
cat >"$T/want" <<'EOF2'
CONTINUATION       NOTES  EXAMPLE
if the size would      3  I wasn’t sure if the size would fit my wide feet
EOF2
expect_file "--complete: the continuation as written, notes, an example" "$T/comp.out" "$T/want"
expect_eq "--complete: exit 0" "$rc" 0
run_vb compt phrases --index "$IX" --complete "SHIPPING WAS" --format=tsv
cat >"$T/want" <<'EOF2'
continuation	text	notes	quotes	path	line	quote
more than the socks	more than the socks	2	2	calls/2026-01-05-c00001-buyer.md	14	Shipping was more than the socks
EOF2
expect_file "--complete tsv: key, text, counts, the example's place" "$T/compt.out" "$T/want"
run_vb compj phrases --index "$IX" --complete "尺码" --format=json
expect_eq "--complete json: CJK continuation" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print([(x["continuation"], x["text"], x["notes"], x["example"]["line"]) for x in d])' "$T/compj.out")" "[('偏 小', '偏小', 2, 16)]"
run_vb compn phrases --index "$IX" --complete "wide feet"
expect_eq "--complete: nothing follows: exit 1, no output" "$rc:$(cat "$T/compn.out")" "1:"
run_vb comps phrases --index "$IX" --complete "I wasn't sure" --segment buyer --format=tsv
expect_eq "--complete with a filter" "$(cut -f1,3 "$T/comps.out" | tail -n +2)" "if the size would	1"
run_vb compq phrases --index "$IX" --complete "wide" feet
expect_eq "--complete with a QUERY: exit 2" "$rc:$(cat "$T/compq.err")" "2:verbatim: phrases: --complete takes no QUERY; put the words in its value"
run_vb compe phrases --index "$IX" --complete "..."
expect_eq "--complete without words: exit 2" "$rc" 2

# exit codes and errors
run_vb none phrases --index "$IX" blisters
expect_eq "nothing found: exit 1, no output" "$rc:$(cat "$T/none.out")" "1:"
run_vb nofilt phrases --index "$IX" --segment returner
expect_eq "no phrase under the filter: exit 1" "$rc" 1
run_vb empty phrases --index "$IX" '""'
expect_eq "a query without words: exit 2" "$rc" 2
run_vb badtag phrases --index "$IX" -C "$FIX/phrases" --tag nosuch
expect_grep "unknown tag: message" "$T/badtag.err" "verbatim: phrases: unknown tag 'nosuch'"
expect_eq "unknown tag: exit 2" "$rc" 2
run_vb baddate phrases --index "$IX" --since 2026-13-01
expect_eq "bad date: exit 2" "$rc" 2
run_vb noidx phrases --index "$T/missing"
expect_eq "no index: exit 2" "$rc" 2
expect_eq "no index: message" "$(cat "$T/noidx.err")" "$T/missing: error: no index file; run verbatim index [no-index]"
head -c 400 "$IX" >"$T/cut"
run_vb dmg phrases --index "$T/cut"
expect_eq "damaged index: exit 2" "$rc" 2
expect_eq "damaged index: message" "$(cat "$T/dmg.err")" "$T/cut:2:1: error: the index file is damaged (it ends too early); run verbatim index again [damaged-index]"

printf 'verbatim-index 1\nnotes 0\n' >"$T/old"
run_vb old phrases --index "$T/old" wide
expect_eq "an index of the older format: exit 2 and message" "$rc:$(cat "$T/old.err")" "2:$T/old:1:1: error: the index file is of an older format, without what this version reads; run verbatim index again [old-index]"

# the default index of -C (a plain folder: beside it)
cp -R "$FIX/phrases" "$T/kb"
$VB index -C "$T/kb" -q
run_vb def phrases -C "$T/kb" --timing "socks"
expect_eq "default index found: 2 quotes" "$(wc -l <"$T/def.out")" 2
expect_grep "--timing: the query's time on stderr" "$T/def.err" "query: "

# the report shows phrases as written: no space between Han, Hiragana or Katakana characters
run_vb rep report -C "$T/kb" -o "$T/site"
expect_eq "report: exit 0" "$rc" 0
expect_eq "report: the CJK phrase as written on the phrases page" "$(grep -c '<td>“尺码偏小”</td>' "$T/site/phrases.html")" 1
expect_eq "report: no spaced CJK phrase on any page" "$(grep -rl '尺 码' "$T/site" | wc -l)" 0
expect_eq "report: the words as written on the phrases page" "$(grep -c '<td>“WASN&#39;T SURE IF THE SIZE”</td>' "$T/site/phrases.html")" 1
theme=$(ls "$T/site/themes/" | grep '^fit-uncertainty')
expect_grep "report: a theme's most predictable sentence start" "$T/site/themes/$theme" '<tr><td>“I WASN&#39;T SURE …”</td><td class="num">3</td><td>“… if the size would”</td><td class="num">3</td><td class="num">100&#8239;%</td></tr>'
run_vb repj report -C "$T/kb" -o "$T/site2" --json
expect_eq "data.json: phrases with key and words as written" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print([(x["phrase"], x["text"], x["notes"]) for x in d["phrases"]][2:4])' "$T/site2/data.json")" "[('wasnt sure if the size', \"WASN'T SURE IF THE SIZE\", 3), ('shipping was more than the socks', 'Shipping was more than the socks', 2)]"
