#!/usr/bin/env python3
"""Counts, independently of verbatim, what the product-line, price, LTV and
before-and-after signals of a generated knowledge base rest on.

    product-signals.py KB     prints one JSON object (below)

Enough for the generator's notes (flow lists, plain dates, one hashtag at the
end of a quote or force); not a general Markdown parser.  A conversation is a
note whose outcome: is connected or absent; its themes are its front-matter
tags plus its body hashtags, aliases resolved.  Everything is as of the newest
note date, as verbatim's report is.

  lines:  {line: {"conversations", "fit"}} and "all": the same over every
          conversation (fit: conversations carrying fit-uncertainty)
  price:  {"abandoner_conversations", "price"} (reason: price)
  ltv:    {"high": {"conversations", "subscription", "try-on-video"}, "low": ...}
          by the note's own ltv: and the default tiers (low < 100, mid < 500)
  before_after: {"weeks", "before_conversations", "after_conversations",
          "before_notes", "after_notes"} of sturdier-packaging (its themes, in
          the same number of weeks before and after its shipped date, up to
          12, the shipped day in neither)
"""
import datetime
import json
import os
import re
import sys

import yaml

kb = sys.argv[1]
vocab = yaml.safe_load(open(os.path.join(kb, "verbatim.yml"), encoding="utf-8"))
roadmap = yaml.safe_load(open(os.path.join(kb, "roadmap.yml"), encoding="utf-8"))
canon = {}
for key, spec in (vocab.get("tags") or {}).items():
    canon[str(key).lower()] = key
    for a in (spec or {}).get("aliases") or []:
        canon[str(a).lower()] = key
line_of = {k: (v or {}).get("line") for k, v in (vocab.get("products") or {}).items()}
hashtag = re.compile(r"(?:^|(?<=\s))#([\w-]+)")

notes = []
for folder in vocab.get("notes") or ["."]:
    for root, _, files in os.walk(os.path.join(kb, folder)):
        for f in files:
            if not f.endswith(".md"):
                continue
            text = open(os.path.join(root, f), encoding="utf-8").read()
            _, front, body = text.split("---\n", 2)
            fm = yaml.load(front, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
            themes = {canon[str(t).lower()] for t in fm.get("tags") or []}
            themes |= {canon[h.lower()] for h in hashtag.findall(body) if h.lower() in canon}
            fm["themes"] = themes
            fm["conversation"] = fm.get("outcome", "connected") == "connected"
            notes.append(fm)

as_of = max(n["date"] for n in notes)
convs = [n for n in notes if n["conversation"]]
out = {"as_of": as_of.isoformat()}

lines = {"all": {"conversations": 0, "fit": 0}}
for n in convs:
    fit = "fit-uncertainty" in n["themes"]
    lines["all"]["conversations"] += 1
    lines["all"]["fit"] += fit
    for line in {line_of.get(p) for p in n.get("products") or []} - {None}:
        g = lines.setdefault(line, {"conversations": 0, "fit": 0})
        g["conversations"] += 1
        g["fit"] += fit
out["lines"] = lines

ab = [n for n in convs if n.get("segment") == "abandoner"]
out["price"] = {"abandoner_conversations": len(ab),
                "price": sum(1 for n in ab if n.get("reason") == "price")}

def tier(n):
    if "ltv" not in n or n["ltv"] is None:
        return "unknown"
    return "low" if n["ltv"] < 100 else "mid" if n["ltv"] < 500 else "high"

ltv = {}
for t in ("high", "low"):
    c = [n for n in convs if tier(n) == t]
    ltv[t] = {"conversations": len(c),
              "subscription": sum("subscription" in n["themes"] for n in c),
              "try-on-video": sum("try-on-video" in n["themes"] for n in c)}
out["ltv"] = ltv

item = roadmap["sturdier-packaging"]
shipped = item["shipped"]
if isinstance(shipped, str):
    shipped = datetime.date.fromisoformat(shipped)
weeks = min(max((as_of - shipped).days, 0) // 7, 12)
ba = {"weeks": weeks, "before_conversations": 0, "after_conversations": 0,
      "before_notes": 0, "after_notes": 0}
span = weeks * 7
for n in convs:
    d = (n["date"] - shipped).days
    if not span or d == 0 or abs(d) > span:
        continue
    side = "before" if d < 0 else "after"
    ba[side + "_conversations"] += 1
    ba[side + "_notes"] += bool(n["themes"] & set(item["tags"]))
out["before_after"] = ba
json.dump(out, sys.stdout, indent=1, sort_keys=True)
print()
