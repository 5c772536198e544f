#!/usr/bin/env python3
"""Counts the alias uses of a generated knowledge base, independently of verbatim.

    count-aliases.py KB     prints the number of tags written as an alias

A use is a front-matter tag or a body hashtag (a '#' at the start of a word, outside
code) whose name is an alias of verbatim.yml's tags: rather than a key.  Enough for the
generator's notes (flow lists, one hashtag at the end of a quote or force); not a
general Markdown parser.
"""
import os
import re
import sys

import yaml

kb = sys.argv[1]
vocab = yaml.safe_load(open(os.path.join(kb, "verbatim.yml"), encoding="utf-8"))
aliases = set()
for key, spec in (vocab.get("tags") or {}).items():
    for a in (spec or {}).get("aliases") or []:
        aliases.add(str(a).lower())
themes_key = vocab.get("themes-key", "tags")
hashtag = re.compile(r"(?:^|(?<=\s))#([\w-]+)")
total = 0
for folder in vocab.get("notes") or ["."]:
    for root, _, files in os.walk(os.path.join(kb, folder)):
        for f in files:
            if not f.endswith(".md"):
                continue
            text = open(os.path.join(root, f), encoding="utf-8").read()
            if not text.startswith("---\n"):
                continue
            end = text.index("\n---\n", 4)
            front = yaml.safe_load(text[4:end]) or {}
            total += sum(1 for t in front.get(themes_key) or [] if str(t).lower() in aliases)
            body = re.sub(r"`[^`]*`", "", text[end + 5:])
            total += sum(1 for m in hashtag.finditer(body) if m.group(1).lower().rstrip("-") in aliases)
print(total)
