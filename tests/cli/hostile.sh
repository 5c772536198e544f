#!/bin/sh
# Hostile notes: markup and script in every field, links that run code, file
# names with markup, dots, spaces, Unicode, quotes and newlines, control
# characters in tags, symlinks out of the repository and in a loop, YAML
# bombs, 10,000-deep lists and quotes, a 5 MB note, a 1 MB line, invalid
# UTF-8, NUL bytes and Windows-1252.  `verbatim check` gives exact
# diagnostics, one line each (a newline in a name never forges a line); every
# other command that exists must neither crash nor hang, and no page it
# writes contains a live <script, an on...= handler or a javascript: link.
. "$(dirname "$0")/../lib.sh"

K=$T/kb
cp -R "$FIX/hostile" "$K"
mkdir -p "$T/outside"
FM='\055--\ndate: 2026-11-02\nsegment: buyer\ncustomer: C-3\n'
cd "$K/calls" || exit 2
printf "$FM---\n\n> \"name\" #nope\n" >'<img src=x onerror=alert(1)>.md'
printf "$FM---\n\n> \"dots\" #price\n" >'...md'
printf "${FM}follows: ../../etc/passwd\n---\n" >'a b ü 漢字.md'
printf "$FM---\n\n#nope\n" >"$(printf 'evil\n::error file=x.md,line=1::forged.md')"
printf "$FM---\n\n#nope\n" >'q"uote\x.md'
printf "${FM}tags: [\"red\\\\e[31m\\\\nline\"]\n---\n" >ctrl.md
# symlinks: out of the repository, and a loop
printf "$FM---\n\n> \"secret\" #price\n" >"$T/outside/secret.md"
ln -s "$T/outside/secret.md" link-outside.md
ln -s loop-b.md loop-a.md
ln -s loop-a.md loop-b.md
# YAML: an alias bomb, 10,000-deep flow lists; a 10,000-deep Markdown list and quote
printf '\055--\na: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n---\n' >bomb.md
awk 'BEGIN { printf "---\ndate: 2026-11-02\nx: "; for (i = 0; i < 10000; i++) printf "["; for (i = 0; i < 10000; i++) printf "]"; print "\n---" }' >deep-yaml.md
awk 'BEGIN { printf "---\ndate: 2026-11-02\nsegment: buyer\ncustomer: C-4\n---\n\n"; for (i = 0; i < 10000; i++) { for (k = 0; k < i % 40; k++) printf "  "; print "- <script>x</script>" } }' >deep-list.md
awk 'BEGIN { printf "---\ndate: 2026-11-02\nsegment: buyer\ncustomer: C-5\n---\n\n"; for (i = 0; i < 10000; i++) printf "> "; print "<script>alert(1)</script> #price" }' >deep-quote.md
# sizes: a 5 MB note (not read), a 1 MB line (read, diagnosed)
{ printf "$FM---\n\n"; awk 'BEGIN { for (i = 0; i < 67300; i++) print "<script>alert(1)</script> word word word word word word word word word word word" }'; } >big.md
{ printf "$FM---\n\n> \""; awk 'BEGIN { for (i = 0; i < 16384; i++) printf "<img src=x onerror=alert(1)>yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy " }'; printf '" #price\n'; } >long-line.md
# bytes: invalid UTF-8, NUL, Windows-1252 with markup
printf "$FM---\n\n> \"A\000B <scr\000ipt>alert(1)</script>\" #price\n" >nul.md
printf "$FM---\n\n> \"Caf\351 \223<script>alert(1)</script>\224 na\357ve\" #price\n" >cp1252.md
printf "$FM---\n\n> \"\300\274script\300\276alert(1)\" #price\n" >overlong.md
cd "$VB_TOP" || exit 2

# --- check: exact diagnostics, in each format
timeout 60 $VB check -C "$K" >"$T/c.out" 2>"$T/c.err"
rc=$?
expect_eq "check: exit 1 (findings), no crash or hang" "$rc" 1
sed "s|\$T|$T|g" "$FIX/hostile/expected/check.text.err" >"$T/c.exp"
expect_file "check: exact diagnostics, one line each" "$T/c.err" "$T/c.exp"
expect_eq "check: summary" "$(cat "$T/c.out")" "checked 17 notes: 13 errors, 3 warnings"
expect_eq "check: no line starts a forged workflow command" "$(grep -c '^::' "$T/c.err")" 0
expect_eq "check: no raw control character in the text output" \
	"$(tr -d '\n\t' <"$T/c.err" | LC_ALL=C grep -c '[[:cntrl:]]')" 0

timeout 60 $VB check -C "$K" --format=github >"$T/g.out" 2>"$T/g.err"
rc=$?
expect_eq "check --format=github: exit 1" "$rc" 1
expect_eq "check --format=github: one workflow command per finding" \
	"$(grep -c '^::' "$T/g.out") $(wc -l <"$T/g.out" | tr -d ' ')" "16 16"
expect_grep "check --format=github: newline in a file name escaped" "$T/g.out" \
	"::error file=calls/evil%0A%3A%3Aerror file=x.md%2Cline=1%3A%3Aforged.md,line=7,col=1,title=unknown-tag::"

timeout 60 $VB check -C "$K" --format=json >"$T/j.out" 2>"$T/j.err"
rc=$?
expect_eq "check --format=json: exit 1" "$rc" 1
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d)); print(sorted({x["path"] for x in d if "\n" in x["path"] or "\"" in x["path"]}))' "$T/j.out" >"$T/j.py" 2>&1; then
	expect_eq "check --format=json: parses, names kept exactly" "$(cat "$T/j.py")" \
		"16
['calls/evil\n::error file=x.md,line=1::forged.md', 'calls/q\"uote\\\\x.md']"
else notok "check --format=json: parses"; sed 's/^/#   /' "$T/j.py" | tail -3; fi

# --- every other command that exists: no crash, no hang, no live script
(cd "$K" && git init -q && git add -A && git -c user.name=t -c user.email=t@example.com \
	commit -q -m hostile --date=2026-11-01T12:00:00Z) || notok "git init"
set -- "index" "index -q -C $K -o $T/out/index" \
	"phrases" "phrases -C $K --index $T/out/index" \
	"phrases-query" "phrases -C $K --index $T/out/index script alert" \
	"stats" "stats -C $K --as-of 2026-11-18" \
	"history" "history -C $K --format=json" \
	"report" "report -C $K -o $T/out/report"
mkdir -p "$T/out"
while [ $# -ge 2 ]; do
	name=$1; args=$2; shift 2
	# shellcheck disable=SC2086
	timeout 120 $VB $args >"$T/$name.out" 2>"$T/$name.err"
	rc=$?
	if [ $rc -eq 2 ] && grep -q 'not implemented' "$T/$name.err"; then
		echo "# $name: not implemented yet, skipped"
		continue
	fi
	case $rc in
	0 | 1) ok "$name: exit $rc, no crash or hang" ;;
	*) notok "$name: exit $rc"; head -5 "$T/$name.err" | sed 's/^/#   /' ;;
	esac
	expect_eq "$name: no raw control character on stdout" \
		"$(tr -d '\n\t' <"$T/$name.out" | LC_ALL=C grep -c '[[:cntrl:]]')" 0
done
# pages: parsed as a browser would; text is escaped, so only tags count
if [ -d "$T/out/report" ]; then
	cat >"$T/live.py" <<'PY'
import html.parser, os, re, sys
bad = []
where = ""
class P(html.parser.HTMLParser):
    def handle_starttag(self, tag, attrs):
        own = where == "search.html" and tag == "script" and sorted(attrs) in (
            [("defer", None), ("src", "search/search.js")], [("defer", None), ("src", "search/index.js")])
        if tag in ("script", "iframe", "object", "embed", "frame", "base", "form") and not own:
            bad.append("%s: <%s>" % (where, tag))
        if tag == "meta" and any(n == "http-equiv" and (v or "").lower() == "refresh" for n, v in attrs):
            bad.append("%s: <meta refresh>" % where)
        for name, value in attrs:
            if name.startswith("on"):
                bad.append("%s: %s=" % (where, name))
            if name in ("href", "src", "action", "formaction", "xlink:href") and value:
                v = re.sub(r"[\t\n\r]", "", value).lstrip(" \x00-\x1f").lower()
                if re.match(r"(javascript|vbscript|data):", v):
                    bad.append("%s: %s=%s" % (where, name, value[:40]))
    handle_startendtag = handle_starttag
n = 0
for root, dirs, files in os.walk(sys.argv[1]):
    for f in sorted(files):
        if f.endswith((".html", ".svg")):
            n += 1
            where = os.path.relpath(os.path.join(root, f), sys.argv[1])
            p = P()
            p.feed(open(os.path.join(root, f), encoding="utf-8", errors="replace").read())
print(n, len(bad))
for b in bad[:10]:
    print(b)
PY
	python3 "$T/live.py" "$T/out/report" >"$T/live.out" 2>&1
	if [ "$(head -1 "$T/live.out" | cut -d' ' -f2)" = 0 ] && [ "$(head -1 "$T/live.out" | cut -d' ' -f1)" -gt 0 ]; then
		ok "report: no live script, handler or script link in any of $(head -1 "$T/live.out" | cut -d' ' -f1) pages"
	else
		notok "report: no live script in any page"; sed 's/^/#   /' "$T/live.out" | head -12
	fi
	# the customers' hostile words are there, as text
	expect_eq "report: hostile quote shown as text" \
		"$(grep -rl -F '&lt;script&gt;alert(&#39;quote&#39;)&lt;/script&gt;' "$T/out/report" | wc -l | tr -d ' ' | sed 's/^0$/none/;s/^[1-9][0-9]*$/some/')" some
fi
expect_eq "no command wrote among the notes" "$(cd "$K" && git status --porcelain | wc -l | tr -d ' ')" 0
