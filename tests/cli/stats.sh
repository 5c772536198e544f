#!/bin/sh
# verbatim stats on the aggregation fixture (tests/fixtures/agg/kb): the exact
# text for people, valid JSON for machines, --as-of, no colour when piped,
# and usage errors.
. "$(dirname "$0")/../lib.sh"

K=$FIX/agg/kb

run_vb st stats -C "$K"
expect_eq "stats exits 0" "$rc" 0
expect_file "stats text is the golden one" "$T/st.out" "$FIX/agg/stats.txt"
expect_eq "stats prints nothing on stderr" "$(cat "$T/st.err")" ""
expect_nogrep "no colour when stdout is not a terminal" "$T/st.out" "$(printf '\033')"
width=$(awk '{ if (length($0) > w) w = length($0) } END { print w }' "$T/st.out")
expect_eq "stats fits in 80 columns" "$([ "$width" -le 80 ] && echo yes)" yes

run_vb asof stats -C "$K" --as-of 2026-11-03
expect_eq "stats --as-of exits 0" "$rc" 0
expect_file "stats --as-of is the golden one" "$T/asof.out" "$FIX/agg/stats-as-of.txt"

run_vb js stats -C "$K" --format=json
expect_eq "stats --format=json exits 0" "$rc" 0
expect_file "stats json is the golden one" "$T/js.out" "$FIX/agg/stats.json"
if python3 -m json.tool "$T/js.out" >/dev/null 2>"$T/js.py"; then ok "stats json parses"; else
	notok "stats json parses"; sed 's/^/#   /' "$T/js.py"; fi
expect_eq "stats json numbers" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["attempts"], d["conversations"], d["this_week"], d["streak"], [t["key"] for t in d["top_themes"]][:2], d["notes_with_errors"])' "$T/js.out")" \
	"14 11 4 3 ['colour-choice', 'trail-grip'] 4"

# the same bytes on every run
run_vb st2 stats -C "$K"
expect_file "stats is deterministic" "$T/st2.out" "$T/st.out"

# colour only on a terminal, and never with NO_COLOR, CI or TERM=dumb
# (script(1) gives a terminal; CI sets CI itself, so the first run clears it)
if command -v script >/dev/null 2>&1; then
	env -u CI -u NO_COLOR TERM=xterm script -qec "$VB_BIN stats -C '$K'" /dev/null </dev/null >"$T/tty.out" 2>&1
	expect_grep "colour on a terminal" "$T/tty.out" "$(printf '\033[1m')"
	env -u CI NO_COLOR=1 TERM=xterm script -qec "$VB_BIN stats -C '$K'" /dev/null </dev/null >"$T/tty2.out" 2>&1
	expect_nogrep "no colour with NO_COLOR" "$T/tty2.out" "$(printf '\033')"
	env -u NO_COLOR CI=true TERM=xterm script -qec "$VB_BIN stats -C '$K'" /dev/null </dev/null >"$T/tty3.out" 2>&1
	expect_nogrep "no colour in CI" "$T/tty3.out" "$(printf '\033')"
	env -u CI -u NO_COLOR TERM=dumb script -qec "$VB_BIN stats -C '$K'" /dev/null </dev/null >"$T/tty4.out" 2>&1
	expect_nogrep "no colour on a dumb terminal" "$T/tty4.out" "$(printf '\033')"
fi

# an empty knowledge base
mkdir -p "$T/empty/calls"
printf 'notes: [calls]\n' >"$T/empty/verbatim.yml"
run_vb empty stats -C "$T/empty"
expect_eq "stats on no notes exits 0" "$rc" 0
expect_eq "stats on no notes says so" "$(cat "$T/empty.out")" "No calls yet: log one with 'verbatim new'."

run_vb bad stats -C "$K" --as-of yesterday
expect_eq "a bad --as-of is a usage error" "$rc" 2
expect_grep "a bad --as-of is explained" "$T/bad.err" "verbatim: stats: --as-of 'yesterday' is not a date; write YYYY-MM-DD"
run_vb fmt stats -C "$K" --format=xml
expect_eq "an unknown format is a usage error" "$rc" 2
run_vb opt stats --frobnicate
expect_eq "an unknown option is a usage error" "$rc" 2
expect_grep "an unknown option prints the usage" "$T/opt.err" "usage: verbatim stats"
run_vb nodir stats -C "$T/no-such-dir"
expect_eq "a missing folder is an I/O error" "$rc" 2
run_vb help stats --help
expect_eq "stats --help exits 0" "$rc" 0
expect_grep "stats --help names --as-of" "$T/help.out" "--as-of DATE"

# Relative to today: a ritual that lapsed three weeks ago says so.
(SOURCE_DATE_EPOCH=1796860800 && export SOURCE_DATE_EPOCH && run_vb lapsed stats -C "$K") # 2026-12-10
expect_grep "a lapsed ritual says so" "$T/lapsed.out" \
	"Streak         no calls this week yet; the last was on 2026-11-18, 3 weeks ago: the ritual lapsed"
expect_grep "stats: shipped items, their follow-ups and verdicts" "$T/lapsed.out" \
	"    1 follow-up: 0 solved, 0 partly, 0 not solved, 1 without a verdict"
run_vb today stats -C "$K" --as-of today --format=json
expect_grep "--as-of today is today" "$T/today.out" '"as_of":"2026-11-18"'
run_vb tier stats -C "$K" --tier unknown --format=json
expect_eq "--tier: only calls of that tier" \
	"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["attempts"])' "$T/tier.out")" \
	"$(grep -L '^ltv:' "$K"/calls/*/*.md | wc -l | tr -d ' ')"

# labels line up by terminal columns: a CJK character takes two (regression:
# stats counted code points, so CJK segment rows stuck out by their length)
cjk=$T/cjk
cp -R "$VB_TOP/examples/acme" "$cjk"
sed -e 's/{label: Recent buyers}/{label: 最近の購入者}/' \
	-e 's/^    label: Unsure about fit$/    label: サイズが合うかどうか分からない人たちの声/' \
	"$VB_TOP/examples/acme/verbatim.yml" >"$cjk/verbatim.yml"
run_vb cjk stats -C "$cjk" --as-of 2026-11-13
expect_grep "stats shows the CJK segment label" "$T/cjk.out" "最近の購入者"
python3 - "$T/cjk.out" >"$T/cjk.widths" <<'PY'
import sys, unicodedata
def cols(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
i = next(k for k, l in enumerate(lines) if l.startswith("Calls per segment"))
rows = []
for l in lines[i + 1:]:
    if not l.strip():
        break
    rows.append(cols(l))
print("segments", len(set(rows)), len(rows))
top = [l for l in lines if "サイズ" in l]
print("top", all(cols(l) <= 80 for l in top), all("..." in l for l in top) and len(top) > 0,
      max(cols(l.split("  ")[1]) for l in top) <= 30 if top else None)
PY
expect_eq "CJK: every segment row as wide as the others" "$(sed -n 1p "$T/cjk.widths")" "segments 1 3"
expect_eq "CJK: a long theme label cut to its columns" "$(sed -n 2p "$T/cjk.widths")" "top True True True"
