#!/usr/bin/env python3
"""Checks every .html file under a report folder and prints one line per problem.

    check_html.py SITE_DIR

For each page: tags of non-void elements balance (every one is closed, in
order); exactly one <h1>; <html> has a lang attribute; no <script> element
(except on the search page, search.html at the root: the site's own
search/search.js and search/index.js, by src, empty, under a policy of
script-src 'self' and nothing inline), no on* event-handler attribute, no javascript:/vbscript:/data: link target; every
local link (href, src) resolves to an existing file of the site, and a
#fragment to an id of that page.  Exit status 0 when no problem was found.
"""
import html.parser
import os
import sys
import urllib.parse

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}
# inside <svg>, self-closing elements such as <rect/> are balanced by themselves
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "data"}


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems, self.links, self.ids = [], [], [], set()
        self.h1 = 0
        self.lang = None
        self.title = ""
        self.in_title = False
        self.search_page = False  # set before feeding: scripts allowed as said above
        self.in_script = False
        self.policy = None

    def where(self):
        line, col = self.getpos()
        return "%d:%d" % (line, col + 1)

    def attrs_check(self, tag, attrs):
        for name, value in attrs:
            name = (name or "").lower()
            value = value or ""
            if name.startswith("on"):
                self.problems.append("%s: event-handler attribute %s on <%s>" % (self.where(), name, tag))
            if name == "id":
                self.ids.add(value)
            if name in URL_ATTRS:
                v = "".join(ch for ch in value if ch > " ").lower()
                if v.startswith(("javascript:", "vbscript:", "data:")):
                    self.problems.append("%s: unsafe URL %r in <%s %s>" % (self.where(), value, tag, name))
                else:
                    self.links.append((self.where(), value))
            if name == "style" and "url(" in value.lower():
                self.problems.append("%s: style with url() on <%s>" % (self.where(), tag))

    def script(self, attrs):
        a = dict(attrs)
        own = a.get("src") in ("search/search.js", "search/index.js") and set(a) == {"src", "defer"}
        if not (self.search_page and own):
            self.problems.append("%s: <script> element" % self.where())
        elif not self.policy or "script-src 'self';" not in self.policy or "unsafe" in self.policy:
            self.problems.append("%s: <script> without a policy of script-src 'self'" % self.where())

    def handle_starttag(self, tag, attrs):
        self.attrs_check(tag, attrs)
        if tag == "meta" and (dict(attrs).get("http-equiv") or "").lower() == "content-security-policy":
            self.policy = dict(attrs).get("content")
        if tag == "script":
            self.script(attrs)
            self.in_script = True
        if tag == "h1":
            self.h1 += 1
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        if tag == "title":
            self.in_title = True
        if tag not in VOID:
            self.stack.append((tag, self.where()))

    def handle_startendtag(self, tag, attrs):
        self.attrs_check(tag, attrs)
        if tag == "script":
            self.problems.append("%s: <script> element" % self.where())

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag == "script":
            self.in_script = False
        if tag in VOID:
            self.problems.append("%s: end tag of void element </%s>" % (self.where(), tag))
            return
        if not self.stack:
            self.problems.append("%s: </%s> without an open element" % (self.where(), tag))
            return
        top, pos = self.stack.pop()
        if top != tag:
            self.problems.append("%s: </%s> closes <%s> opened at %s" % (self.where(), tag, top, pos))

    def handle_data(self, data):
        if self.in_script and data.strip():
            self.problems.append("%s: inline script" % self.where())
        if self.in_title:
            self.title += data


def check_site(root):
    pages, problems = {}, []
    for dirpath, _, files in os.walk(root):
        for f in sorted(files):
            if f.endswith(".html"):
                path = os.path.join(dirpath, f)
                p = Page()
                p.search_page = os.path.normpath(path) == os.path.normpath(os.path.join(root, "search.html"))
                with open(path, encoding="utf-8") as fh:
                    p.feed(fh.read())
                p.close()
                pages[os.path.normpath(path)] = p
    for path in sorted(pages):
        p = pages[path]
        rel = os.path.relpath(path, root)
        out = list(p.problems)
        for tag, pos in p.stack:
            out.append("%s: <%s> never closed" % (pos, tag))
        if p.h1 != 1:
            out.append("%d <h1> elements, expected 1" % p.h1)
        if not p.lang:
            out.append("<html> without lang")
        for pos, url in p.links:
            u = urllib.parse.urlsplit(url)
            if u.scheme in ("http", "https") or u.netloc:
                continue
            if u.scheme:
                out.append("%s: link with scheme %r" % (pos, url))
                continue
            target = path if not u.path else os.path.normpath(
                os.path.join(os.path.dirname(path), urllib.parse.unquote(u.path)))
            if not os.path.realpath(target).startswith(os.path.realpath(root) + os.sep):
                out.append("%s: link %r leaves the site" % (pos, url))
            elif not os.path.isfile(target):
                out.append("%s: link %r: no such file" % (pos, url))
            elif u.fragment and target.endswith(".html"):
                tp = pages.get(target)
                if tp is not None and urllib.parse.unquote(u.fragment) not in tp.ids:
                    out.append("%s: link %r: no such id" % (pos, url))
        problems += ["%s:%s" % (rel, m) for m in out]
    return pages, problems


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    pages, problems = check_site(sys.argv[1])
    for m in problems:
        print(m)
    print("checked %d pages: %d problems" % (len(pages), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
