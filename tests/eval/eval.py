#!/usr/bin/env python3
"""make eval: how well `verbatim stats` finds emerging and fading themes.

For each seed: a gen-notes corpus as it is, and a copy with known changes
injected (a new theme rising from a random week, an existing theme fading
from a random week, one customer calling six times in one week about a new
theme).  `verbatim stats --as-of SUNDAY --format=json` runs at every weekly
as-of date; every flag (week, theme, direction) is checked against the
ground truth:

  emerging, truly: ai-size-advisor and buy-now-pay-later from the week the
    gen-notes docstring gives (rising to full weight over the weeks it
    gives), the injected rising theme from its week;
  fading, truly: damaged-in-transit from sturdier-packaging's shipped date
    (roadmap.yml), the injected fading theme from its week;
  a flag is true while the change lies inside the weeks the test looks at
  (the last 8 and the 26 before); every other flag is false (stable
  themes, the one-customer spike, the wrong direction).

Prints precision (true flags / all flags), per truly new theme the delay
between the week it reached 5 distinct customers (counted in the files)
and its first flag, and the flags on the spike and on stable themes.
Targets: precision >= 0.9, every new theme flagged within 4 weeks of
reaching 5 customers, no flag on the spike.  Exit status 1 when one is
missed."""
import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kbtruth  # noqa: E402

RECENT, BEFORE = 8, 26
WINDOW = RECENT + BEFORE
FADING_CANDIDATES = ["functionality-doubt", "value-doubt", "quality-issue", "size-chart",
                     "frustrated", "delighted", "anxious", "more-colors", "color-mismatch",
                     "too-small", "too-large", "confused"]


def docstring_truth(gen):
    """(first week of ai-size-advisor, of buy-now-pay-later, ramp weeks) from
    the gen-notes docstring."""
    text = subprocess.run([sys.executable, gen, "--help"], capture_output=True, text=True,
                          check=True).stdout
    text = " ".join(text.split())
    m = re.search(r"Emerging: ai-size-advisor from week (\d+) and buy-now-pay-later from "
                  r"week (\d+), rising to full weight over (\d+) weeks", text)
    if not m:
        sys.exit("eval: the gen-notes docstring no longer says when the emerging themes start")
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def shipped(kb, item):
    with open(os.path.join(kb, "roadmap.yml"), encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"^%s:\n(?:  .*\n)*?  shipped: (\S+)" % re.escape(item), text, re.M)
    return dt.date.fromisoformat(m.group(1)) if m else None


def note_files(kb):
    for root, _, files in os.walk(kb):
        for fn in files:
            if fn.endswith(".md"):
                yield os.path.join(root, fn)


def split_note(text):
    end = text.index("\n---\n", 4)
    return text[4:end], text[end + 5:]


def field(fm, key):
    m = re.search(r"^%s: *(.*)$" % key, fm, re.M)
    return m.group(1).strip() if m else None


def add_tag_block(kb, entries):
    """Adds tags (key, label, kind) to verbatim.yml's tags: block."""
    path = os.path.join(kb, "verbatim.yml")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    add = "".join("  %s:\n    label: %s\n    kind: %s\n" % e for e in entries)
    text = text.replace("\ntags:\n", "\ntags:\n" + add, 1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def inject(kb, rng, start, weeks, ramp):
    """Injects the three changes into the corpus at `kb` (a copy); returns
    their ground truth."""
    names = kbtruth.aliases(kb)
    rise_week = rng.randint(12, weeks - 8)
    fade_week = rng.randint(16, weeks - 6)
    spike_week = rng.randint(20, weeks - 2)
    ns = kbtruth.notes(kb)
    conv = [n for n in ns if n[2]]
    share = {t: sum(t in n[3] for n in conv) / len(conv) for t in FADING_CANDIDATES}
    fading = rng.choice(sorted(t for t in FADING_CANDIDATES if share.get(t, 0) >= 0.03))
    fading_tags = {a for a, k in names.items() if k == fading}
    add_tag_block(kb, [("eval-rising", "Eval rising theme", "feature-request"),
                       ("eval-spike", "Eval one-customer spike", "problem")])
    template = None
    for path in sorted(note_files(kb)):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        fm, body = split_note(text)
        date = dt.date.fromisoformat(field(fm, "date"))
        week = (kbtruth.monday(date) - start).days // 7
        outcome = field(fm, "outcome")
        if outcome not in (None, "connected"):
            continue
        tags = [t.strip() for t in (field(fm, "tags") or "[]").strip("[]").split(",") if t.strip()]
        changed = False
        if week >= rise_week and rng.random() < 0.08 * min(1.0, (week - rise_week + 1) / ramp):
            tags.append("eval-rising")
            changed = True
        if week >= fade_week and rng.random() < 0.75 and (
                fading_tags & {t.lower() for t in tags} or
                any("#" + a in body.lower() for a in fading_tags)):
            tags = [t for t in tags if t.lower() not in fading_tags]
            for a in sorted(fading_tags, key=len, reverse=True):
                body = re.sub(r"(?i)\s#%s\b(?![\w-])" % re.escape(a), "", body)
            changed = True
        if changed:
            fm = re.sub(r"^tags:.*$", "tags: [%s]" % ", ".join(tags), fm, flags=re.M)
            if "\ntags:" not in "\n" + fm:
                fm += "\ntags: [%s]" % ", ".join(tags)
            with open(path, "w", encoding="utf-8") as f:
                f.write("---\n" + fm + "\n---\n" + body)
        if template is None and not any(field(fm, k) for k in ("follows", "roadmap", "verdict",
                                                                "reason")):
            template = (fm, body)
    # one customer, six calls in one week, about one new theme
    fm, body = template
    for i in range(6):
        day = start + dt.timedelta(days=7 * spike_week + i)
        new = re.sub(r"^date:.*$", "date: %s" % day, fm, flags=re.M)
        new = re.sub(r"^customer:.*$", "customer: C-99999", new, flags=re.M)
        new = re.sub(r"^tags:.*$", "tags: [eval-spike]", new, flags=re.M)
        body2 = re.sub(r"C-\d{5}", "C-99999", body)
        folder = os.path.join(kb, "calls", str(day.year))
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "%s-c99999-eval-%d.md" % (day, i)), "w",
                  encoding="utf-8") as f:
            f.write("---\n" + new + "\n---\n" + body2)
    return {"rise": ("eval-rising", rise_week), "fade": (fading, fade_week),
            "spike": ("eval-spike", spike_week)}


def run_stats(vb, kb, day):
    out = subprocess.run([vb, "stats", "-C", kb, "--as-of", str(day), "--format=json"],
                         capture_output=True, text=True, check=True).stdout
    d = json.loads(out)
    return ([t["key"] for t in d["emerging"]], [t["key"] for t in d["fading"]])


def evaluate(vb, kb, name, start, weeks, truth, jobs):
    """Runs stats at every Sunday; returns per-corpus figures."""
    ns = kbtruth.notes(kb)
    sundays = [start + dt.timedelta(days=7 * w + 6) for w in range(weeks)]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        flags = list(pool.map(lambda d: run_stats(vb, kb, d), sundays))
    emerging_true = {}  # theme -> (first week of the change, weeks it lasts)
    fading_true = {}
    for key, week, ramp in truth["emerging"]:
        emerging_true[key] = (week, ramp)
    for key, week in truth["fading"]:
        fading_true[key] = (week, 0)

    def is_true(table, key, week):
        if key not in table:
            return False
        first, ramp = table[key]
        return first <= week < first + ramp + WINDOW

    res = {"name": name, "flags": 0, "true": 0, "false": [], "delays": {}, "spike": 0,
           "fading": {key: (week, None) for key, week in truth["fading"]}}
    first_flag = {}
    for week, (em, fa) in enumerate(flags):
        for key in em:
            res["flags"] += 1
            first_flag.setdefault(key, week)
            if is_true(emerging_true, key, week):
                res["true"] += 1
            else:
                res["false"].append((week, key, "emerging"))
        for key in fa:
            res["flags"] += 1
            if key in res["fading"] and res["fading"][key][1] is None:
                res["fading"][key] = (res["fading"][key][0], week)
            if is_true(fading_true, key, week):
                res["true"] += 1
            else:
                res["false"].append((week, key, "fading"))
        res["spike"] += sum(k == truth.get("spike") for k in em + fa)
    for key, _, _ in truth["emerging"]:
        five = kbtruth.reach_monday(ns, key)
        if five is None:
            res["delays"][key] = None
            continue
        five_week = (five - start).days // 7
        res["delays"][key] = (five_week, first_flag.get(key))
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--vb", required=True)
    ap.add_argument("--gen", required=True)
    ap.add_argument("--seeds", default="1,2,3,4")
    ap.add_argument("--notes", type=int, default=4000)
    ap.add_argument("--weeks", type=int, default=52)
    ap.add_argument("--end", default="2026-11-01", help="the corpus' last Sunday")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--purity", help="the purity program (tests/eval/purity.c), built")
    args = ap.parse_args()
    ai_week, bnpl_week, ramp = docstring_truth(args.gen)
    tmp = tempfile.mkdtemp(prefix="verbatim-eval-")
    results = []
    purities = []
    try:
        # a copy of the binary: a rebuild during the run must not change it
        shutil.copy2(args.vb, os.path.join(tmp, "verbatim"))
        args.vb = os.path.join(tmp, "verbatim")
        for seed in [int(s) for s in args.seeds.split(",")]:
            base = os.path.join(tmp, "s%d" % seed)
            subprocess.run([sys.executable, args.gen, "--notes", str(args.notes), "--weeks",
                            str(args.weeks), "--end", args.end, "--seed", str(seed), "--out",
                            base], check=True, capture_output=True)
            start = dt.date.fromisoformat(args.end) - dt.timedelta(days=7 * args.weeks - 1)
            ship = shipped(base, "sturdier-packaging")
            ship_week = (kbtruth.monday(ship) - start).days // 7
            truth = {"emerging": [("ai-size-advisor", ai_week, ramp),
                                  ("buy-now-pay-later", bnpl_week, ramp)],
                     "fading": [("damaged-in-transit", ship_week)]}
            results.append(evaluate(args.vb, base, "seed %d" % seed, start, args.weeks, truth,
                                    args.jobs))
            if args.purity:
                out = subprocess.run([args.purity, base, "10"], check=True, capture_output=True,
                                     text=True).stdout.splitlines()[-1]
                # "clusters of 10 or more quotes: N; purity P (weighted by size), lowest L"
                n = int(out.split(": ")[1].split(";")[0])
                weighted = float(out.split("purity ")[1].split(" ")[0])
                lowest = float(out.split("lowest ")[1])
                purities.append((seed, n, weighted, lowest))
            copy = base + "-injected"
            shutil.copytree(base, copy)
            inj = inject(copy, random.Random(seed), start, args.weeks, ramp)
            truth2 = {"emerging": truth["emerging"] + [(inj["rise"][0], inj["rise"][1], ramp)],
                      "fading": truth["fading"] + [inj["fade"]],
                      "spike": inj["spike"][0]}
            r = evaluate(args.vb, copy, "seed %d injected (rise wk %d, %s fades wk %d, spike wk %d)"
                         % (seed, inj["rise"][1], inj["fade"][0], inj["fade"][1],
                            inj["spike"][1]), start, args.weeks, truth2, args.jobs)
            results.append(r)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    flags = sum(r["flags"] for r in results)
    true = sum(r["true"] for r in results)
    precision = true / flags if flags else 1.0
    worst_delay, missed, spike = None, [], 0
    print("%-62s %6s %6s %9s" % ("corpus", "flags", "true", "precision"))
    for r in results:
        print("%-62s %6d %6d %9s" % (r["name"], r["flags"], r["true"],
                                     "%.3f" % (r["true"] / r["flags"]) if r["flags"] else "-"))
        for key, d in sorted(r["delays"].items()):
            if d is None:
                print("    %-24s never reached 5 customers" % key)
                continue
            five, flag = d
            if flag is None:
                missed.append((r["name"], key))
                print("    %-24s 5 customers in week %d, never flagged" % (key, five))
                continue
            delay = flag - five
            worst_delay = delay if worst_delay is None else max(worst_delay, delay)
            print("    %-24s 5 customers in week %d, first flag week %d: delay %+d" %
                  (key, five, flag, delay))
        for key, (since, flag) in sorted(r["fading"].items()):
            print("    %-24s fades from week %d: %s" %
                  (key, since, "first flag week %d" % flag if flag is not None else "not flagged"))
        for week, key, how in r["false"]:
            print("    false flag: week %d, %s %s" % (week, key, how))
        spike += r["spike"]
    print()
    print("precision: %d of %d flags on truly changing themes = %.3f (target >= 0.9)" %
          (true, flags, precision))
    print("worst delay after reaching 5 customers: %s weeks (target <= 4); never flagged: %d" %
          (worst_delay, len(missed)))
    print("flags on the one-customer spike: %d (target 0); false flags: %d" %
          (spike, flags - true))
    ok = precision >= 0.9 and not missed and (worst_delay is None or worst_delay <= 4) \
        and spike == 0
    for seed, n, weighted, lowest in purities:
        print("clusters of similar quotes, seed %d: %d of 10+ quotes, purity %.3f (by size), "
              "lowest %.3f (target >= 0.9)" % (seed, n, weighted, lowest))
        ok = ok and lowest >= 0.9
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
