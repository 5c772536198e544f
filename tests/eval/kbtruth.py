"""Ground truth read from a knowledge base's files (for make eval and the
CLI tests): every note's date, customer, whether it is a conversation and
its themes (front-matter tags and hashtags, aliases resolved with the
verbatim.yml of the folder).  Only the shapes gen-notes writes are read:
flow lists, plain dates, one `tags:` block in verbatim.yml."""
import datetime
import os
import re

HASHTAG = re.compile(r"(?<![\w#&])#([A-Za-z0-9_][A-Za-z0-9_-]*)")


def aliases(kb):
    """{alias or key: key} from verbatim.yml's tags: block."""
    out, key, in_tags = {}, None, False
    with open(os.path.join(kb, "verbatim.yml"), encoding="utf-8") as f:
        for line in f:
            if not line.startswith(" "):
                in_tags = line.startswith("tags:")
                continue
            if not in_tags:
                continue
            m = re.match(r"^  ([A-Za-z0-9_-]+):", line)
            if m:
                key = m.group(1)
                out[key.lower()] = key
            m = re.match(r"^    aliases: \[(.*)\]", line)
            if m and key:
                for a in m.group(1).split(","):
                    if a.strip():
                        out[a.strip().lower()] = key
    return out


def monday(d):
    return d - datetime.timedelta(days=d.weekday())


def notes(kb):
    """[(date, customer, connected, frozenset(themes))], sorted by date."""
    names = aliases(kb)
    res = []
    for root, _, files in os.walk(kb):
        if "/.git" in root or root.endswith(".git"):
            continue
        for fn in files:
            if not fn.endswith(".md"):
                continue
            with open(os.path.join(root, fn), encoding="utf-8") as f:
                text = f.read()
            if not text.startswith("---\n"):
                continue
            end = text.index("\n---\n", 4)
            fm, body = text[4:end], text[end + 5:]
            field = lambda k: (re.search(r"^%s: *(.*)$" % k, fm, re.M) or [None, ""])[1].strip()
            date = datetime.date.fromisoformat(field("date"))
            outcome = field("outcome")
            tags = [t.strip() for t in field("tags").strip("[]").split(",") if t.strip()]
            tags += HASHTAG.findall(body)
            themes = frozenset(names.get(t.lower(), t.lower()) for t in tags
                               if not t.isdigit())
            res.append((date, field("customer"), outcome in ("", "connected"), themes))
    res.sort(key=lambda n: n[0])
    return res


def reach_monday(ns, theme, customers=5):
    """The Monday of the week in which `theme` reached `customers` distinct
    customers in conversations, or None."""
    seen = set()
    for date, cust, conv, themes in ns:
        if conv and theme in themes:
            seen.add(cust)
            if len(seen) >= customers:
                return monday(date)
    return None


def first_monday(ns, theme):
    """The Monday of the first conversation that carried `theme`, or None."""
    for date, _, conv, themes in ns:
        if conv and theme in themes:
            return monday(date)
    return None
