#!/bin/sh
# Personal data in every form a note can hide it (issue 18): split by inline
# Markdown or entities, in front matter, in commit subjects and author names.
# check reports each where it starts; no output, cache or index holds any of
# it; ordinary text (ids in URLs, years, addresses) and CSS colours and
# heading ids are left alone.
. "$(dirname "$0")/../lib.sh"

R=$T/kb
cp -r "$FIX/pii/kb" "$R"

# ---- check: every form, where it starts ----
run_vb check check -C "$R"
expect_eq "check: exit 1" "$rc" 1
sed -E 's/^([^ ]*): error: .*(an email address|a phone number).*/\1 \2/; s/^([^ ]*): error: .*\[unknown-tag\]$/\1 unknown tag/' \
	"$T/check.err" >"$T/hits"
cat >"$T/hits.want" <<'HITS'
calls/2026-10-01-c1-buyer.md:4:11 an email address
calls/2026-10-01-c1-buyer.md:5:14 a phone number
calls/2026-10-01-c1-buyer.md:6:15 unknown tag
calls/2026-10-01-c1-buyer.md:12:3 an email address
calls/2026-10-01-c1-buyer.md:14:3 an email address
calls/2026-10-01-c1-buyer.md:16:4 an email address
calls/2026-10-01-c1-buyer.md:18:3 a phone number
calls/2026-10-01-c1-buyer.md:20:3 an email address
calls/2026-10-01-c1-buyer.md:22:3 an email address
calls/2026-10-01-c1-buyer.md:24:3 a phone number
calls/2026-10-01-c1-buyer.md:26:17 an email address
calls/2026-10-01-c1-buyer.md:28:11 a phone number
calls/2026-10-01-c1-buyer.md:30:7 an email address
calls/2026-10-01-c1-buyer.md:32:9 an email address
calls/2026-10-02-c2-buyer.md:12:14 a phone number
HITS
expect_file "check: each form where it starts" "$T/hits" "$T/hits.want"
expect_eq "check: the one unknown tag is the front-matter email" \
	"$(grep -c 'unknown-tag' "$T/check.err")" 1
expect_nogrep "check: a heading id is no hashtag" "$T/check.err" "'#api'"
expect_nogrep "check: a CSS colour is no hashtag" "$T/check.err" "'#ccc'"

# ---- every output of a git knowledge base ----
git init -q -b main "$R"
git -C "$R" add -A
GIT_AUTHOR_DATE="2026-10-03T10:00:00 +0000" GIT_COMMITTER_DATE="2026-10-03T10:00:00 +0000" \
	git -C "$R" -c user.name="Pat pat.author@example.com" -c user.email=pat@example.com \
	commit -q -m "calls with jane.subject@example.com, call 0171 9876543"
O=$T/out
mkdir -p "$O"
run_vb hist history -C "$R"
cp "$T/hist.out" "$O/history.txt"
run_vb histj history -C "$R" --format=json
cp "$T/histj.out" "$O/history.json"
expect_grep "history: the subject, redacted" "$O/history.json" \
	'"subject":"calls with [email removed], call [phone removed]"'
run_vb index index -C "$R"
expect_eq "index: exit 0" "$rc" 0
for f in text json tsv; do
	run_vb "ph$f" phrases -C "$R" --format "$f"
	cp "$T/ph$f.out" "$O/phrases.$f"
done
run_vb stats stats -C "$R" --format json
cp "$T/stats.out" "$O/stats.json"
run_vb report report -C "$R" --json -o "$O/site"
expect_eq "report: exit 0" "$rc" 0
expect_grep "report: data.json written" "$O/site/data.json" '"notes"'

# what each may not hold: the local parts and the numbers' last digits
for s in jane.d jane.front jane.subject bob.tag kim.front kim.ent pat.author 0132 0133 0134 0166 4568 \
	9876543; do
	expect_eq "no output, cache or index holds '$s'" \
		"$(grep -rlaF -- "$s" "$O" "$R/.git/verbatim" | sed "s|$T/||" | tr '\n' ' ')" ""
done
expect_eq "the history caches, the index and its file cache were written" \
	"$(ls "$R/.git/verbatim" | tr "\n" " ")" "history-errors.cache history.cache index index.files "

# ---- the note page: each form removed whole, ordinary text kept ----
P=$(grep -rl 'What almost stopped them' "$O/site/notes" | xargs grep -l 'A \[email')
for line in '<p>A [email removed]<em></em> here.</p>' \
	'<p>B [email removed]<strong></strong> here.</p>' \
	'<p>C <a href="x" rel="nofollow noopener noreferrer">[email removed]</a><a href="y" rel="nofollow noopener noreferrer"></a> here.</p>' \
	'<p>D [phone removed]<em></em> here.</p>' \
	'<p>E [email removed] here.</p>' \
	'<p>F [email removed] here.</p>' \
	'<p>G [phone removed] here.</p>' \
	'<p>&quot;I call [phone removed]<em></em> any time you like&quot; #fit</p>' \
	'<p>&quot;J <code>[email removed]</code> is my address, write to it&quot; #price</p>' \
	'<a href="https://youtu.be/12345678901" rel="nofollow noopener noreferrer">https://youtu.be/12345678901</a> from 2011-2013 at 192.168.100.200, max-age=31536000.</p>'; do
	expect_grep "note page: $(echo "$line" | cut -c1-40)" "$P" "$line"
done

# A note whose file name is an email is not read: no page, index or cache
# holds the name (check says why, at 1:1).
mkdir -p "$T/fn/calls"
printf 'notes: [calls]\n' >"$T/fn/verbatim.yml"
printf -- '---\ndate: 2026-11-02\n---\n> "hello there"\n' >"$T/fn/calls/jane.doe@example.com.md"
printf -- '---\ndate: 2026-11-02\n---\n> "hello there"\n' >"$T/fn/calls/ok.md"
git -C "$T/fn" init -q && git -C "$T/fn" add -A && git -C "$T/fn" -c user.name=T -c user.email=t@t commit -qm notes
run_vb fncheck check -C "$T/fn"
expect_grep "a file name that is an email is an error at 1:1" "$T/fncheck.err" \
	"calls/jane.doe@example.com.md:1:1: error: the file name holds an email address; rename the note"
run_vb fnindex index -C "$T/fn"
run_vb fnrep report -C "$T/fn" -o "$T/fnsite"
run_vb fnhist history -C "$T/fn"
expect_eq "the name is in no page, index or cache" \
	"$(grep -rl 'jane' "$T/fnsite" "$T/fn/.git/verbatim" "$T/fnhist.out" 2>/dev/null | wc -l | tr -d ' ')" 0
