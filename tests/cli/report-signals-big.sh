#!/bin/sh
# On a generated corpus, the report finds the signals gen-notes documents
# (its docstring, "Ground truth"): the product line with about twice the fit
# problems of the others, the feature requests of high-LTV customers, the fix
# whose theme fell to about a third, the price share of about 11 %.
#
# Two kinds of checks.  Exact: the counts behind each signal in data.json
# equal those an independent script counts in the generated files
# (tests/tools/product-signals.py).  Signal: each figure is within 3 standard
# errors of the docstring's (measured there on 200,000 notes, so taken as
# exact): binomial errors computed from this corpus's own counts (for a ratio
# of shares, on the log scale: sqrt((1-p1)/(n1 p1) + (1-p2)/(n2 p2))).  The
# corpus is deterministic (same arguments, same bytes), so the test cannot
# flicker; 3 errors is the usual bound for "the same figure up to sampling
# noise".  8,000 notes: enough high-LTV conversations (about 140) and
# fading-theme conversations (about 50) for the errors to mean something.
# Skipped under valgrind (-big).
. "$(dirname "$0")/../lib.sh"

$GEN --notes 8000 --out "$T/kb" >/dev/null 2>&1 || { notok "gen-notes --notes 8000"; exit 1; }
python3 "$VB_TOP/tests/tools/product-signals.py" "$T/kb" >"$T/truth.json" 2>"$T/truth.err" ||
	{ notok "product-signals.py"; sed 's/^/#   /' "$T/truth.err" | tail -3; exit 1; }
run_vb rep report -C "$T/kb" -o "$T/site" --json
expect_eq "report exits 0" "$rc" 0

check() { # WHAT PYTHON: asserts over d (data.json) and truth (the script's counts)
	if python3 -c "
import json, math, sys
d = json.load(open(sys.argv[1]))
truth = json.load(open(sys.argv[2]))
def near(what, got, want, se):
    assert abs(got - want) <= 3 * se, '%s: %.4g, the docstring says %.4g (3 errors: %.3g)' % (what, got, want, 3 * se)
def log_se(k1, n1, k2, n2):
    return math.sqrt((n1 - k1) / (n1 * k1) + (n2 - k2) / (n2 * k2))
$2" "$T/site/data.json" "$T/truth.json" 2>"$T/py.err"; then ok "$1"; else
		notok "$1"; sed 's/^/#   /' "$T/py.err" | tail -4; fi
}

# Product lines: fit-uncertainty in about 44 % of running conversations
# against 21 % of the others (x2.1), and against each other line alike.
check "lines: the counts behind the fit signal are the files' (exact)" '
L = {g["key"]: g for g in d["lines"]}
assert sorted(L) == sorted(k for k in truth["lines"] if k != "all"), sorted(L)
for k, g in L.items():
    fit = [t for t in g["themes"] if t["theme"] == "fit-uncertainty"][0]
    want = truth["lines"][k]
    assert (g["conversations"], fit["notes"]) == (want["conversations"], want["fit"]), (k, g["conversations"], fit["notes"], want)
    assert fit["other_notes"] == truth["lines"]["all"]["fit"] - want["fit"], (k, fit)
'
check "lines: running has about 2.1 x the fit problems of the other conversations" '
L = {g["key"]: g for g in d["lines"]}
fit = [t for t in L["running"]["themes"] if t["theme"] == "fit-uncertainty"][0]
n1 = L["running"]["conversations"]; n2 = truth["lines"]["all"]["conversations"] - n1
near("running ratio (log)", math.log(fit["ratio"]), math.log(2.1), log_se(fit["notes"], n1, fit["other_notes"], n2))
best = max(L.values(), key=lambda g: [t for t in g["themes"] if t["theme"] == "fit-uncertainty"][0]["ratio"] or 0)
assert best["key"] == "running", best["key"]
'
check "lines: running against each other line: about 2.1 x (44 % against 21 %)" '
L = {g["key"]: g for g in d["lines"]}
def fit(k):
    t = [t for t in L[k]["themes"] if t["theme"] == "fit-uncertainty"][0]
    return t["notes"], L[k]["conversations"]
k1, n1 = fit("running")
for other in ("hiking", "everyday"):
    k2, n2 = fit(other)
    near("running / " + other + " (log)", math.log((k1 / n1) / (k2 / n2)), math.log(2.1), log_se(k1, n1, k2, n2))
'
run_page=$(grep -o '<a href="lines/running-[0-9a-f]*\.html">running</a>' "$T/site/products.html" | head -1)
if [ -n "$run_page" ] && grep -F "Unsure about fit</a></th>" "$T/site/index.html" | grep -qF "<td>$run_page &times;"; then
	ok "overview: the themes table's line column names running for fit-uncertainty"
else notok "overview: the themes table's line column names running for fit-uncertainty"; fi
run_vb st stats -C "$T/kb" --line running --format json
got=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["attempts"], d["conversations"])' "$T/st.out")
want=$(python3 -c 'import json,sys; g=[g for g in json.load(open(sys.argv[1]))["lines"] if g["key"] == "running"][0]; print(g["attempts"], g["conversations"])' "$T/site/data.json")
expect_eq "stats --line running: the line page's calls and conversations" "$got" "$want"

# Price: about 11 % of connected abandoners' reason: is price.
check "price: the share is the files' (exact) and about 11 %" '
r = d["reasons"]
assert (r["abandoner_conversations"], r["price_notes"]) == (truth["price"]["abandoner_conversations"], truth["price"]["price"]), r
n = r["abandoner_conversations"]
near("price share", r["price_share"], 0.11, math.sqrt(0.11 * 0.89 / n))
'

# LTV: subscription and try-on-video, each 3 to 3.8 x as high in the high
# tier as in the low: ranked first among what the top tier raises more.
check "ltv: high-tier feature requests lead the dual track, 3 to 3.8 x" '
t = d["ltv_dual_track"]
assert (t["high_conversations"], t["low_conversations"]) == (truth["ltv"]["high"]["conversations"], truth["ltv"]["low"]["conversations"]), t
top = [x["theme"] for x in t["high_first"][:2]]
assert sorted(top) == ["subscription", "try-on-video"], top
for x in t["high_first"][:2]:
    h, l = truth["ltv"]["high"][x["theme"]], truth["ltv"]["low"][x["theme"]]
    assert (x["high_notes"], x["low_notes"]) == (h, l), (x, h, l)
    se = log_se(h, t["high_conversations"], l, t["low_conversations"])
    lo, hi = math.log(3.0), math.log(3.8)
    r = math.log(x["ratio"])
    assert lo - 3 * se <= r <= hi + 3 * se, "%s: x%.2f, the docstring says 3 to 3.8 (3 errors: %.2f on the log scale)" % (x["theme"], x["ratio"], 3 * se)
'

# Did it work: damaged-in-transit fell to about a third after
# sturdier-packaging shipped.
check "roadmap: sturdier-packaging before and after are the files' (exact), its theme fell to about a third" '
r = [r for r in d["roadmap"] if r["id"] == "sturdier-packaging"][0]["before_after"]
want = truth["before_after"]
assert all(r[k] == want[k] for k in want), (r, want)
b, nb, a, na = r["before_notes"], r["before_conversations"], r["after_notes"], r["after_conversations"]
assert a / na < b / nb, "it did not fall"
near("after / before (log)", math.log((a / na) / (b / nb)), math.log(1 / 3), log_se(a, na, b, nb))
'
