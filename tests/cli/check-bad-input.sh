#!/bin/sh
# verbatim check on bad input, built here because the bytes are awkward: each
# gets its diagnostic at the right line and checking goes on with the next
# note (the summary counts prove it); nothing crashes or hangs.
. "$(dirname "$0")/../lib.sh"

K=$T/kb
mkdir -p "$K/calls/sub" "$T/outside"
cp "$FIX/rules/verbatim.yml" "$FIX/rules/roadmap.yml" "$K/"
FM='\055--\ndate: 2026-10-03\nsegment: buyer\ncustomer: C-10100\n'
cd "$K/calls" || exit 2
printf "$FM---\n\n> \"fine\" #price\n" >a-clean.md
printf "${FM}tags: [pricee]\n---\n" >zz-last.md # a known finding after all the others
printf '' >empty.md
printf "$FM---\n" >front-only.md
printf "$FM---\n\nA\000B and C\000D\n" >nul.md
awk 'BEGIN { for (i = 0; i < 4000; i++) printf "%c", i % 32 }' >binary.md
printf "$FM---\n\nCaf\351 au lait, \223quoted\224 #pricee\n" >cp1252.md
printf "\357\273\277${FM}tags: [pricee]\n---\n\n> \"x\" #shiping-cost\n" >bom.md
printf "\055--\r\ndate: 2026-10-03\r\nsegment: buyer\r\ncustomer: C-10100\r\ntags: [pricee]\r\n---\r\n\r\n> \"x\" #shiping-cost\r\n" >crlf.md
printf "${FM}tags: price, shipping-cost\n---\n" >tags-string.md
# a 5 MiB note and a 1 MiB line
{ printf "$FM---\n\n"; awk 'BEGIN { for (i = 0; i < 67300; i++) print "word word word word word word word word word word word word word word word wo" }'; } >big.md
{ printf "$FM---\n\n"; awk 'BEGIN { for (i = 0; i < 16384; i++) printf "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx "; print "" }'; printf '\n> "after the long line" #pricee\n'; } >long-line.md
# YAML: billion laughs, 10,000-deep flow and block nesting, 100,001 values, 1,001 tags
printf '\055--\na: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n---\n' >alias-bomb.md
awk 'BEGIN { printf "---\ndate: 2026-10-03\nx: "; for (i = 0; i < 10000; i++) printf "["; for (i = 0; i < 10000; i++) printf "]"; print "\n---" }' >deep-flow.md
awk 'BEGIN { printf "---\ndate: 2026-10-03\nx:\n  "; for (i = 0; i < 10000; i++) printf "- "; print "deep\n---" }' >deep-block.md
awk 'BEGIN { printf "---\ndate: 2026-10-03\nsegment: buyer\ncustomer: C-10100\n---\n\n"; for (i = 0; i < 10000; i++) printf "> "; print "deep #pricee" }' >deep-quote.md
awk 'BEGIN { printf "---\ndate: 2026-10-03\nx: ["; for (i = 0; i < 20000; i++) printf "1,1,1,1,1,\n"; print "1]\n---" }' >many-values.md
awk 'BEGIN { printf "---\ndate: 2026-10-03\nsegment: buyer\ncustomer: C-10100\ntags:\n"; for (i = 0; i < 1001; i++) print "  - price"; print "---" }' >many-tags.md
# files that are not plain files, and symlinks
ln -s a-clean.md link-inside.md
printf "${FM}---\n" >"$T/outside/secret.md"
ln -s "$T/outside/secret.md" link-outside.md
ln -s "$T/outside" link-dir
ln -s loop-b.md loop-a.md
ln -s loop-a.md loop-b.md
ln -s no-such-file.md dangling.md
mkdir dir.md
printf "$FM---\n\n#pricee\n" >dir.md/inside.md
mkfifo fifo.md
printf "$FM---\n" >unreadable.md
chmod 000 unreadable.md
cd "$VB_TOP" || exit 2

timeout 20 $VB check -C "$K" >"$T/all.out" 2>"$T/all.err"
rc=$?
expect_eq "bad input: exit 1, no crash or hang" "$rc" 1
if [ "$(id -u)" = 0 ]; then
	UNREADABLE= NERR=20 NJSON=26 # root reads a chmod 000 file
else
	UNREADABLE="calls/unreadable.md:1:1: error: cannot read: Permission denied; check its permissions [unreadable]
" NERR=21 NJSON=27
fi
printf '%s' "calls/alias-bomb.md:3:8: error: YAML aliases (*a) are not supported; write the value out [yaml-alias]
calls/big.md:1:1: error: the note is 5.0 MB, more than the 2 MB a note may have; it is not read: split it or move attachments out [too-large]
calls/binary.md:1:1: error: this is a binary file, not a Markdown note; rename it or move it out of the notes folder [binary]
calls/bom.md:5:8: error: unknown tag 'pricee' (did you mean 'price'?) [unknown-tag]
calls/bom.md:8:7: error: unknown hashtag '#shiping-cost' (did you mean '#shipping-cost'?) [unknown-tag]
calls/cp1252.md:7:4: error: 3 bytes of invalid UTF-8 (the first is 0xE9); save the file as UTF-8 (it may be Windows-1252 or Latin-1) [invalid-utf8]
calls/cp1252.md:7:24: error: unknown hashtag '#pricee' (did you mean '#price'?) [unknown-tag]
calls/crlf.md:5:8: error: unknown tag 'pricee' (did you mean 'price'?) [unknown-tag]
calls/crlf.md:8:7: error: unknown hashtag '#shiping-cost' (did you mean '#shipping-cost'?) [unknown-tag]
calls/dangling.md:1:1: warning: symlink is broken (No such file or directory); it is not read; fix or remove it [symlink-broken]
calls/deep-block.md:4:65: error: YAML nested deeper than 32 levels; flatten it [yaml-too-deep]
calls/deep-flow.md:3:35: error: YAML nested deeper than 32 levels; flatten it [yaml-too-deep]
calls/deep-quote.md:7:20006: error: unknown hashtag '#pricee' (did you mean '#price'?) [unknown-tag]
calls/dir.md/inside.md:7:1: error: unknown hashtag '#pricee' (did you mean '#price'?) [unknown-tag]
calls/empty.md:1:1: error: empty file; a note starts with front matter between '---' lines (see 'verbatim new') [empty]
calls/link-dir: warning: symlinked folders are not followed (to '$T/outside'); move the notes into the knowledge base instead [symlink-dir]
calls/link-outside.md:1:1: warning: symlink points outside the knowledge base (to '$T/outside/secret.md'); it is not read [symlink-outside]
calls/long-line.md:7:1: error: line longer than 65536 bytes; break it into shorter paragraphs [long-line]
calls/long-line.md:9:25: error: unknown hashtag '#pricee' (did you mean '#price'?) [unknown-tag]
calls/loop-a.md:1:1: warning: symlink is broken (it loops); it is not read; fix or remove it [symlink-broken]
calls/loop-b.md:1:1: warning: symlink is broken (it loops); it is not read; fix or remove it [symlink-broken]
calls/many-tags.md:1006:5: error: more than 1000 tags; only the first 1000 are read [too-many-tags]
calls/many-values.md:2:1: error: YAML with more than 100000 values; keep it short [yaml-too-large]
calls/nul.md:7:2: error: 2 NUL bytes in the text (read as spaces); save the file as plain UTF-8 text [nul-byte]
calls/tags-string.md:5:7: warning: 'tags' is a single value; write it as a list: tags: [price, shipping-cost] [tags-not-list]
$UNREADABLE calls/zz-last.md:5:8: error: unknown tag 'pricee' (did you mean 'price'?) [unknown-tag]
" | sed 's/^ //' >"$T/all.exp"
expect_file "bad input: each diagnostic at its line" "$T/all.err" "$T/all.exp"
expect_eq "bad input: every note checked (summary)" "$(cat "$T/all.out")" \
	"checked 21 notes: $NERR errors, 6 warnings"

# the symlink inside is read under its own name: a-clean.md's content, clean
expect_nogrep "symlink inside: read, clean" "$T/all.err" "link-inside.md"
# front matter only is a clean note
expect_nogrep "front matter only: clean" "$T/all.err" "front-only.md"
# the FIFO is not listed (it would block); named on the command line it is refused
expect_nogrep "FIFO: skipped while listing" "$T/all.err" "fifo.md"
timeout 20 $VB check -C "$K" calls/fifo.md >"$T/fifo.out" 2>"$T/fifo.err"
rc=$?
expect_eq "FIFO as PATH: exit 1, no hang" "$rc" 1
expect_eq "FIFO as PATH: refused" "$(cat "$T/fifo.err")" \
	"calls/fifo.md:1:1: error: cannot read: not a regular file; notes must be plain files [unreadable]"
timeout 20 $VB check -C "$K" calls/dir.md >"$T/dir.out" 2>"$T/dir.err"
rc=$?
expect_eq "folder named x.md as PATH: exit 1" "$rc" 1
expect_eq "folder named x.md as PATH: refused" "$(cat "$T/dir.err")" \
	"calls/dir.md:1:1: error: cannot read: not a regular file; notes must be plain files [unreadable]"
timeout 20 $VB check -C "$K" calls/link-inside.md calls/link-outside.md calls/loop-a.md >"$T/links.out" 2>"$T/links.err"
rc=$?
expect_eq "symlinks as PATH: exit 0 (warnings)" "$rc" 0
printf '%s\n' "calls/link-outside.md:1:1: warning: symlink points outside the knowledge base (to '$T/outside/secret.md'); it is not read [symlink-outside]" \
	"calls/loop-a.md:1:1: warning: symlink is broken (it loops); it is not read; fix or remove it [symlink-broken]" >"$T/links.exp"
expect_file "symlinks as PATH: never followed outside, loops reported" "$T/links.err" "$T/links.exp"
expect_eq "symlinks as PATH: summary" "$(cat "$T/links.out")" "checked 3 notes: 0 errors, 2 warnings"

# a file outside the knowledge base named on the command line is not read
timeout 20 $VB check -C "$K" "$T/outside/secret.md" >"$T/out.out" 2>"$T/out.err"
rc=$?
expect_eq "PATH outside the knowledge base: exit 1" "$rc" 1
expect_eq "PATH outside the knowledge base: refused" "$(cat "$T/out.err")" \
	"$T/outside/secret.md:1:1: error: '$T/outside/secret.md' is not a path inside the knowledge base; it is not read [unreadable]"

# json output of bad bytes is still valid JSON
timeout 20 $VB check -C "$K" --format=json >"$T/json.out" 2>/dev/null
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d) == int(sys.argv[2])' "$T/json.out" "$NJSON" 2>"$T/py.err"; then
	ok "bad input: --format=json parses"
else notok "bad input: --format=json parses"; sed 's/^/#   /' "$T/py.err" | tail -3; fi
chmod 644 "$K/calls/unreadable.md"
