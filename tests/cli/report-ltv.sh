#!/bin/sh
# The LTV dual track: themes over-represented among the top LTV tier against
# the lowest, and the reverse, with counts; small counts not ranked.
. "$(dirname "$0")/../lib.sh"

# 10 conversations of the high tier (ltv 600), 20 of the low tier (ltv 50).
#   a: high 6/10 = 60 %, low 6/20 = 30 %: x2.00, raised more by the high tier
#   b: high 5/10 = 50 %, low 16/20 = 80 %: x0.625, raised more by the low tier
#   c: high 1, low 2: too few to tell
mkdir -p "$T/kb/calls"
printf 'notes: [calls]\ntags:\n  a: {label: Theme A, kind: problem}\n  b: {label: Theme B, kind: problem}\n  c: {label: Theme C, kind: problem}\n' >"$T/kb/verbatim.yml"
note() { # id ltv tags
	printf -- '---\ndate: 2026-11-02\ncustomer: C-%s\nltv: %s\ntags: [%s]\n---\n' "$1" "$2" "$3" >"$T/kb/calls/$1.md"
}
i=0
while [ $i -lt 10 ]; do
	t=""
	[ $i -lt 6 ] && t="a"
	[ $i -ge 5 ] && t="${t:+$t, }b"
	[ $i -eq 9 ] && t="$t, c"
	note "h$i" 600 "$t"
	i=$((i + 1))
done
i=0
while [ $i -lt 20 ]; do
	t=""
	[ $i -lt 6 ] && t="a"
	[ $i -ge 4 ] && t="${t:+$t, }b"
	[ $i -ge 18 ] && t="$t, c"
	note "l$i" 50 "$t"
	i=$((i + 1))
done
run_vb rep report -C "$T/kb" -o "$T/site" --json
expect_eq "report exits 0" "$rc" 0
if python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))["ltv_dual_track"]
assert (t["high_tier"], t["low_tier"], t["high_conversations"], t["low_conversations"]) == ("high", "low", 10, 20), t
assert [(x["theme"], x["high_notes"], x["low_notes"], x["ratio"]) for x in t["high_first"]] == [("a", 6, 6, 2)], t["high_first"]
assert [(x["theme"], x["high_notes"], x["low_notes"], x["ratio"]) for x in t["low_first"]] == [("b", 5, 16, 0.625)], t["low_first"]
assert [(x["theme"], x["high_notes"], x["low_notes"], x["ratio"]) for x in t["too_few"]] == [("c", 1, 2, None)], t["too_few"]
' "$T/site/data.json" 2>"$T/py.err"; then ok "data.json: the dual track with its counts and ratios"; else
	notok "data.json: the dual track with its counts and ratios"; sed 's/^/#   /' "$T/py.err" | tail -4; fi
NB=$(printf '\302\240')
expect_grep "ltv.html: a theme raised more by the top tier" "$T/site/ltv.html" \
	"Theme A</a></th><td class=\"num\">6</td><td class=\"num\">60.0$NB%</td><td class=\"num\">6</td><td class=\"num\">30.0$NB%</td><td class=\"num\">&times;2.00</td>"
expect_grep "ltv.html: small counts shown, not ranked" "$T/site/ltv.html" \
	"Theme C</a></th><td class=\"num\">1</td><td class=\"num\">10.0$NB%</td><td class=\"num\">2</td><td class=\"num\">10.0$NB%</td><td class=\"muted\">too few to tell</td>"
expect_grep "overview: the dual track summary links its page" "$T/site/index.html" "<a href=\"ltv.html\">Every theme by customer value</a>"

# No ltv: at all: an honest "not enough data".
mkdir -p "$T/none/calls"
printf 'notes: [calls]\n' >"$T/none/verbatim.yml"
printf -- '---\ndate: 2026-11-02\ntags: [a]\n---\n' >"$T/none/calls/x.md"
run_vb none report -C "$T/none" -o "$T/nsite"
expect_grep "no LTV at all: not enough data" "$T/nsite/ltv.html" \
	"<p>Not enough data: no conversation yet with a customer of the high LTV tier (<code>ltv:</code> in the notes).</p>"
