/* The report's search page (search.html) and its index (search/): a small
 * script of our own and precomputed files it loads on demand, each a
 * <script src> that registers itself (fetch() of file:// URLs is blocked
 * in browsers, scripts from the site itself are not), so that the search
 * works from file:// and from any static host under script-src 'self'.
 *
 *   search/search.js   the script (the C string below)
 *   search/index.js    themes, the top phrases, the word shards' prefixes
 *   search/w<k>.js     a word shard: the words with that prefix, each with
 *                      its number of quotes and the first PAGE1 of them
 *   search/p<k>.js     PAGE more quotes of a common word
 *   search/q<k>.js     CHUNK quotes, newest first: text, note page, note
 *                      id, date
 *
 * A word shard is split by a longer prefix while it passes SHARD_BYTES, so
 * that a first result costs index.js, one shard and one chunk whatever the
 * number of notes (docs/limits.md).  Every text is the one the pages show:
 * escaped and redacted by vb_html_text, decoded back to text and written
 * as a JavaScript string in which < > & and every control character are
 * escapes; the script inserts it with textContent only. */
#include "report_site.h"
#include "verbatim/html.h"
#include "verbatim/phrase.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum {
        CHUNK = 64,              /* quotes per q<k>.js */
        PAGE1 = 64,              /* quote ids of a word in its shard */
        PAGE = 4096,             /* quote ids per p<k>.js */
        SHARD_BYTES = 16 * 1024, /* a shard past this is split by a longer prefix */
        TOP_PHRASES = 200,
        MAX_WORD = 64 /* bytes; longer words are not indexed */
};

/* The script: written here rather than in a file of its own so that the
 * build needs nothing but the C compiler (docs/guide.md). */
static const char search_js[] =
    "/* verbatim report search: plain JavaScript, no library, nothing from\n"
    " * elsewhere.  The index is precomputed in search/: index.js (themes, top\n"
    " * phrases, the word shards' prefixes), w<k>.js (words with their first\n"
    " * quotes), p<k>.js (more quotes of common words), q<k>.js (the quotes,\n"
    " * newest first).  Each file calls vbSearch(kind, number, data) and is\n"
    " * loaded on demand with a <script src> (fetch() of file:// is blocked).\n"
    " * Text from notes is only ever inserted as text (textContent). */\n"
    "(function () {\n"
    "  \"use strict\";\n"
    "  var files = new Map(), waiting = new Map(), loaded = [], index = null, current = 0;\n"
    "  var PAGE = 20;\n"
    "  window.vbSearch = function (kind, n, data) {\n"
    "    var key = kind + n, w = waiting.get(key);\n"
    "    files.set(key, data);\n"
    "    if (kind === \"i\") index = data;\n"
    "    if (w) {\n"
    "      waiting.delete(key);\n"
    "      w.forEach(function (x) { x[0](data); });\n"
    "    }\n"
    "  };\n"
    "  function load(kind, n) {\n"
    "    var key = kind + n;\n"
    "    if (files.has(key)) return Promise.resolve(files.get(key));\n"
    "    return new Promise(function (resolve, reject) {\n"
    "      if (waiting.has(key)) { waiting.get(key).push([resolve, reject]); return; }\n"
    "      waiting.set(key, [[resolve, reject]]);\n"
    "      var s = document.createElement(\"script\"), src = \"search/\" + key + \".js\";\n"
    "      function fail() {\n"
    "        var w = waiting.get(key) || [];\n"
    "        waiting.delete(key);\n"
    "        w.forEach(function (x) { x[1](new Error(\"cannot load \" + src)); });\n"
    "      }\n"
    "      s.onerror = fail;\n"
    "      s.onload = function () { if (!files.has(key)) fail(); };\n"
    "      s.src = src;\n"
    "      loaded.push(src);\n"
    "      document.head.appendChild(s);\n"
    "    });\n"
    "  }\n"
    "  function utf8(w) {\n"
    "    var n = 0;\n"
    "    for (var i = 0; i < w.length; i++) {\n"
    "      var c = w.charCodeAt(i);\n"
    "      n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3;\n"
    "    }\n"
    "    return n;\n"
    "  }\n"
    "  /* The words of a text as the index has them: runs of ASCII letters and\n"
    "   * digits (lower-cased) and of other characters from U+00C0 on, except\n"
    "   * punctuation (U+2000-U+206F, U+3000-U+303F); not one ASCII character\n"
    "   * alone, at most 64 bytes.  Each word once, in order. */\n"
    "  function words(text) {\n"
    "    var out = [], seen = new Set(), w = \"\";\n"
    "    for (var i = 0; i <= text.length; i++) {\n"
    "      var c = i < text.length ? text.charCodeAt(i) : 32;\n"
    "      if (c >= 65 && c <= 90) { w += String.fromCharCode(c + 32); continue; }\n"
    "      if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) ||\n"
    "          (c >= 0xc0 && !(c >= 0x2000 && c <= 0x206f) && !(c >= 0x3000 && c <= 0x303f))) {\n"
    "        w += text[i];\n"
    "        continue;\n"
    "      }\n"
    "      if (w && !(w.length === 1 && w.charCodeAt(0) < 128) && utf8(w) <= 64 && !seen.has(w)) "
    "{\n"
    "        seen.add(w);\n"
    "        out.push(w);\n"
    "      }\n"
    "      w = \"\";\n"
    "    }\n"
    "    return out;\n"
    "  }\n"
    "  function ids(s) {\n"
    "    var out = [], v = 0;\n"
    "    if (s) s.split(\",\").forEach(function (x, i) { v = (i ? v : 0) + parseInt(x, 36); "
    "out.push(v); });\n"
    "    return out;\n"
    "  }\n"
    "  /* A word's entry [word, quotes, first ids, first more page, more pages], or null. */\n"
    "  function entry(w) {\n"
    "    var best = -1, len = -1, s = index.shards;\n"
    "    for (var i = 0; i < s.length; i++)\n"
    "      if (s[i].length > len && w.lastIndexOf(s[i], 0) === 0) { best = i; len = s[i].length; "
    "}\n"
    "    if (best < 0) return Promise.resolve(null);\n"
    "    return load(\"w\", best).then(function (list) {\n"
    "      for (var i = 0; i < list.length; i++) if (list[i][0] === w) return list[i];\n"
    "      return null;\n"
    "    });\n"
    "  }\n"
    "  function el(tag, text) {\n"
    "    var e = document.createElement(tag);\n"
    "    if (text !== undefined) e.textContent = text;\n"
    "    return e;\n"
    "  }\n"
    "  /* Only the report's own relative addresses become links. */\n"
    "  function link(href, text) {\n"
    "    if (!/^[A-Za-z0-9._~\\/-]+(#[A-Za-z0-9._-]+)?$/.test(href) || href.indexOf(\"..\") >= 0)\n"
    "      return el(\"span\", text);\n"
    "    var a = el(\"a\", text);\n"
    "    a.setAttribute(\"href\", href);\n"
    "    return a;\n"
    "  }\n"
    "  function $(id) { return document.getElementById(id); }\n"
    "  function clear(id) {\n"
    "    var s = $(id), l = s.querySelector(\"ul, ol\");\n"
    "    s.hidden = true;\n"
    "    while (l.firstChild) l.removeChild(l.firstChild);\n"
    "    return l;\n"
    "  }\n"
    "  /* quote: [text, note page, note id, date] */\n"
    "  function result(q) {\n"
    "    var li = el(\"li\"), f = el(\"figure\"), b = el(\"blockquote\"), c = el(\"figcaption\");\n"
    "    f.className = \"quote\";\n"
    "    b.appendChild(el(\"p\", q[0]));\n"
    "    c.appendChild(link(q[1], q[2]));\n"
    "    if (q[3]) c.appendChild(document.createTextNode(\", \" + q[3]));\n"
    "    f.appendChild(b);\n"
    "    f.appendChild(c);\n"
    "    li.appendChild(f);\n"
    "    return li;\n"
    "  }\n"
    "  function search(q) {\n"
    "    var my = ++current, low = q.trim().toLowerCase(), status = $(\"search-status\");\n"
    "    var more = $(\"search-more\"), tl = clear(\"search-themes\"), pl = "
    "clear(\"search-phrases\");\n"
    "    var ql = clear(\"search-quotes\"), nt = 0, np = 0, shown = 0;\n"
    "    more.hidden = true;\n"
    "    if (!low) { status.textContent = \"Type words to find themes, phrases and quotes.\"; "
    "return; }\n"
    "    index.themes.forEach(function (t) {\n"
    "      if ((t[0] + \" \" + t[1]).toLowerCase().indexOf(low) < 0) return;\n"
    "      var li = el(\"li\");\n"
    "      li.appendChild(link(t[2], t[0]));\n"
    "      li.appendChild(document.createTextNode(\" (\" + t[3] + \" conversation\" + (t[3] === 1 "
    "? \"\" : \"s\") + \")\"));\n"
    "      tl.appendChild(li);\n"
    "      nt++;\n"
    "    });\n"
    "    index.phrases.forEach(function (p) {\n"
    "      if (np >= PAGE || p[0].toLowerCase().indexOf(low) < 0) return;\n"
    "      var li = el(\"li\"), a = el(\"a\", \"\\u201c\" + p[0] + \"\\u201d\");\n"
    "      a.setAttribute(\"href\", \"search.html?q=\" + encodeURIComponent(p[0]));\n"
    "      li.appendChild(a);\n"
    "      li.appendChild(document.createTextNode(\" (\" + p[1] + \" notes)\"));\n"
    "      pl.appendChild(li);\n"
    "      np++;\n"
    "    });\n"
    "    $(\"search-themes\").hidden = !nt;\n"
    "    $(\"search-phrases\").hidden = !np;\n"
    "    var ws = words(q);\n"
    "    status.textContent = \"Searching\\u2026\";\n"
    "    function done(left, driver, all) {\n"
    "      if (my !== current) return;\n"
    "      more.hidden = !left;\n"
    "      var n = driver && ws.length === 1 ? driver[1] : shown;\n"
    "      status.textContent = nt + \" theme\" + (nt === 1 ? \"\" : \"s\") + \", \" + np + \" "
    "phrase\" + (np === 1 ? \"\" : \"s\") +\n"
    "        \", \" + n + (left && ws.length > 1 ? \"+\" : \"\") + \" quote\" + (n === 1 ? \"\" : "
    "\"s\") +\n"
    "        (all ? \" with every word.\" : \".\");\n"
    "    }\n"
    "    function failed(e) { if (my === current) status.textContent = e.message; }\n"
    "    Promise.all(ws.map(entry)).then(function (es) {\n"
    "      if (my !== current) return;\n"
    "      if (!ws.length || es.some(function (e) { return !e; })) { done(false, null, ws.length > "
    "1); return; }\n"
    "      es.sort(function (a, b) { return a[1] - b[1]; });\n"
    "      var driver = es[0], rest = es.slice(1).map(function (e) { return e[0]; });\n"
    "      var list = ids(driver[2]), pos = 0, page = 0;\n"
    "      /* the driver's quotes in order, kept when they have every other word */\n"
    "      function step(got) {\n"
    "        if (my !== current) return;\n"
    "        if (got >= PAGE) { done(pos < list.length || page < (driver[4] || 0), driver, "
    "rest.length); return; }\n"
    "        if (pos >= list.length) {\n"
    "          if (page >= (driver[4] || 0)) { done(false, driver, rest.length); return; }\n"
    "          load(\"p\", driver[3] + page++).then(function (d) { list = ids(d); pos = 0; "
    "step(got); }, failed);\n"
    "          return;\n"
    "        }\n"
    "        var id = list[pos++];\n"
    "        load(\"q\", Math.floor(id / index.chunk)).then(function (chunk) {\n"
    "          if (my !== current) return;\n"
    "          var qt = chunk[id % index.chunk], qw = new Set(words(qt[0]));\n"
    "          if (rest.every(function (w) { return qw.has(w); })) {\n"
    "            ql.appendChild(result(qt));\n"
    "            $(\"search-quotes\").hidden = false;\n"
    "            if (++shown === 1) status.setAttribute(\"data-loaded\", loaded.join(\" \"));\n"
    "            got++;\n"
    "          }\n"
    "          step(got);\n"
    "        }, failed);\n"
    "      }\n"
    "      more.onclick = function () { more.hidden = true; step(0); };\n"
    "      step(0);\n"
    "    }, failed);\n"
    "  }\n"
    "  document.addEventListener(\"DOMContentLoaded\", function () {\n"
    "    var input = $(\"search-q\"), timer = 0;\n"
    "    if (!index) { $(\"search-status\").textContent = \"The search index could not be "
    "loaded.\"; return; }\n"
    "    input.value = new URLSearchParams(location.search).get(\"q\") || \"\";\n"
    "    input.addEventListener(\"input\", function () {\n"
    "      clearTimeout(timer);\n"
    "      timer = setTimeout(function () { search(input.value); }, 150);\n"
    "    });\n"
    "    search(input.value);\n"
    "  });\n"
    "})();\n";

/* Appends s[0..len) (valid UTF-8) as a double-quoted JavaScript string in
 * which nothing could end a script or be read as markup. */
static void js_string(struct vb_buf *o, const char *s, size_t len)
{
        vb_buf_addc(o, '"');
        for (size_t i = 0; i < len; i++) {
                unsigned char c = (unsigned char)s[i];
                if (c == '"' || c == '\\') {
                        vb_buf_addc(o, '\\');
                        vb_buf_addc(o, (char)c);
                } else if (c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '&') {
                        vb_buf_addf(o, "\\u%04x", c);
                } else if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
                           ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9)) {
                        vb_buf_addf(o, "\\u%04x", 0x2000 + ((unsigned char)s[i + 2] & 0xff) - 0x80);
                        i += 2;
                } else {
                        vb_buf_addc(o, (char)c);
                }
        }
        vb_buf_addc(o, '"');
}

/* Replaces `plain` with the text a page shows for `s` (escaped and redacted
 * by vb_html_text), decoded back from HTML. */
static void shown(struct vb_buf *plain, struct vb_buf *html, const char *s)
{
        static const struct {
                const char *ent;
                char c;
        } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
        vb_buf_reset(html);
        vb_buf_reset(plain);
        vb_html_texts(html, s ? s : "");
        for (size_t i = 0; i < html->len; i++) {
                char c = html->ptr[i];
                if (c == '&') {
                        for (size_t k = 0; k < sizeof(ents) / sizeof(ents[0]); k++) {
                                size_t n = strlen(ents[k].ent);
                                if (html->len - i >= n && !memcmp(html->ptr + i, ents[k].ent, n)) {
                                        c = ents[k].c;
                                        i += n - 1;
                                        break;
                                }
                        }
                }
                vb_buf_addc(plain, c);
        }
}

/* The text shown for `s`, as a JavaScript string. */
static void js_shown(struct vb_buf *o, struct vb_buf *plain, struct vb_buf *html, const char *s)
{
        shown(plain, html, s);
        js_string(o, plain->ptr, plain->len);
}

/* The address (from the root) an <a href="..."> in `link` points to, as a
 * JavaScript string ("" when there is none). */
static void js_href(struct vb_buf *o, struct vb_buf *plain, const struct vb_buf *link)
{
        const char *a = link->len ? strstr(link->ptr, "href=\"") : NULL;
        const char *e = a ? strchr(a + 6, '"') : NULL;
        vb_buf_reset(plain);
        if (e) {
                for (const char *p = a + 6; p < e; p++) {
                        if (!strncmp(p, "&amp;", 5)) {
                                vb_buf_addc(plain, '&');
                                p += 4;
                        } else {
                                vb_buf_addc(plain, *p);
                        }
                }
        }
        js_string(o, plain->ptr, plain->len);
}

/* ---- words ---- */

/* A word and the quotes (ids, ascending) it is in. */
struct word {
        size_t at, len; /* in words.chars */
        uint32_t *ids;
        size_t n, cap;
};

struct words {
        struct vb_buf chars;
        struct word *v;
        size_t n, cap;
        uint32_t *slots; /* open addressing: index + 1, 0 empty */
        size_t nslots;
};

static uint64_t hash_bytes(const char *s, size_t n)
{
        uint64_t h = 1469598103934665603ULL;
        for (size_t i = 0; i < n; i++)
                h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
        return h;
}

static void words_rehash(struct words *w)
{
        size_t n = w->nslots ? w->nslots * 2 : 1024;
        free(w->slots);
        w->slots = vb_calloc(n, sizeof(*w->slots));
        w->nslots = n;
        for (size_t i = 0; i < w->n; i++) {
                size_t k = hash_bytes(w->chars.ptr + w->v[i].at, w->v[i].len) & (n - 1);
                while (w->slots[k])
                        k = (k + 1) & (n - 1);
                w->slots[k] = (uint32_t)i + 1;
        }
}

static void words_add(struct words *w, const char *s, size_t len, uint32_t id)
{
        if ((w->n + 1) * 2 > w->nslots)
                words_rehash(w);
        size_t k = hash_bytes(s, len) & (w->nslots - 1);
        struct word *x = NULL;
        for (; w->slots[k]; k = (k + 1) & (w->nslots - 1)) {
                struct word *y = &w->v[w->slots[k] - 1];
                if (y->len == len && !memcmp(w->chars.ptr + y->at, s, len)) {
                        x = y;
                        break;
                }
        }
        if (!x) {
                w->v = vb_grow_array(w->v, &w->cap, w->n + 1, sizeof(*w->v));
                x = &w->v[w->n++];
                memset(x, 0, sizeof(*x));
                x->at = w->chars.len;
                x->len = len;
                vb_buf_add(&w->chars, s, len);
                w->slots[k] = (uint32_t)w->n;
        }
        if (x->n && x->ids[x->n - 1] == id)
                return; /* twice in one quote */
        x->ids = vb_grow_array(x->ids, &x->cap, x->n + 1, sizeof(*x->ids));
        x->ids[x->n++] = id;
}

static void words_release(struct words *w)
{
        for (size_t i = 0; i < w->n; i++)
                free(w->v[i].ids);
        free(w->v);
        free(w->slots);
        vb_buf_release(&w->chars);
}

/* The code point at s[*i] (valid UTF-8), *i moved past it. */
static uint32_t next_cp(const char *s, size_t len, size_t *i)
{
        unsigned char c = (unsigned char)s[*i];
        size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        uint32_t cp = n == 1 ? c : n == 2 ? c & 0x1f : n == 3 ? c & 0x0f : c & 0x07;
        size_t k;
        for (k = 1; k < n && *i + k < len; k++)
                cp = (cp << 6) | ((unsigned char)s[*i + k] & 0x3f);
        *i += k;
        return cp;
}

/* Whether a code point belongs to a word (as words() in the script says). */
static int word_cp(uint32_t c)
{
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                return 1;
        return c >= 0xC0 && !(c >= 0x2000 && c <= 0x206F) && !(c >= 0x3000 && c <= 0x303F);
}

/* Adds the words of quote `id`, its text as shown in `text`. */
static void index_quote(struct words *w, struct vb_buf *word, const struct vb_buf *text,
                        uint32_t id)
{
        size_t i = 0;
        vb_buf_reset(word);
        while (i <= text->len) {
                size_t at = i;
                uint32_t c = i < text->len ? next_cp(text->ptr, text->len, &i) : (i++, ' ');
                if (c >= 'A' && c <= 'Z')
                        c += 'a' - 'A';
                if (word_cp(c)) {
                        if (c < 0x80)
                                vb_buf_addc(word, (char)c);
                        else
                                vb_buf_add(word, text->ptr + at, i - at);
                        continue;
                }
                /* one ASCII character is no word; any other character is 2+ bytes */
                if (word->len > 1 && word->len <= MAX_WORD)
                        words_add(w, word->ptr, word->len, id);
                vb_buf_reset(word);
        }
}

/* ---- the files ---- */

/* A word in the byte order of the shards. */
struct wref {
        const char *s; /* in words.chars, complete */
        const struct word *w;
};

struct writer {
        struct rs_site *s;
        struct words w;
        const struct wref *order; /* the words in byte order */
        size_t *bytes;            /* bytes[i]: estimated shard bytes of order[0..i) */
        struct vb_buf prefixes;   /* index.js's shard list */
        struct vb_buf file, name;
        size_t nshards, npages;
        int rc;
};

static const struct word *ordered(const struct writer *x, size_t i)
{
        return x->order[i].w;
}

static int write_file(struct writer *x, const char *kind, size_t n)
{
        vb_buf_reset(&x->name);
        vb_buf_addf(&x->name, "search/%s%zu.js", kind, n);
        if (x->rc == VB_OK)
                x->rc = vb_outdir_write(x->s->out, x->name.ptr, x->file.ptr, x->file.len, x->s->d);
        return x->rc;
}

/* ids[0..n) as base-36 numbers separated by ',', the first as is, the
 * others as the difference to the one before. */
static void add_ids(struct vb_buf *o, const uint32_t *ids, size_t n)
{
        vb_buf_addc(o, '"');
        for (size_t i = 0; i < n; i++) {
                char digits[16];
                size_t k = sizeof(digits);
                uint32_t v = i ? ids[i] - ids[i - 1] : ids[i];
                do {
                        digits[--k] = "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36];
                        v /= 36;
                } while (v);
                if (i)
                        vb_buf_addc(o, ',');
                vb_buf_add(o, digits + k, sizeof(digits) - k);
        }
        vb_buf_addc(o, '"');
}

/* Writes the shard of words order[lo..hi), which share the first `plen`
 * bytes, then the pages of its common words (numbered in the same order). */
static void write_shard(struct writer *x, size_t lo, size_t hi, size_t plen)
{
        struct vb_buf *o = &x->file;
        const struct word *first = ordered(x, lo);
        size_t page = x->npages;
        js_string(&x->prefixes, x->w.chars.ptr + first->at, plen);
        vb_buf_addc(&x->prefixes, ',');
        vb_buf_reset(o);
        vb_buf_addf(o, "vbSearch(\"w\",%zu,[", x->nshards);
        for (size_t i = lo; i < hi; i++) {
                const struct word *w = ordered(x, i);
                size_t head = w->n < PAGE1 ? w->n : PAGE1;
                vb_buf_adds(o, i > lo ? ",\n[" : "\n[");
                js_string(o, x->w.chars.ptr + w->at, w->len);
                vb_buf_addf(o, ",%zu,", w->n);
                add_ids(o, w->ids, head);
                if (w->n > head) {
                        size_t pages = (w->n - head + PAGE - 1) / PAGE;
                        vb_buf_addf(o, ",%zu,%zu", page, pages);
                        page += pages;
                }
                vb_buf_addc(o, ']');
        }
        vb_buf_adds(o, "]);\n");
        write_file(x, "w", x->nshards++);
        for (size_t i = lo; i < hi; i++) {
                const struct word *w = ordered(x, i);
                for (size_t at = PAGE1; at < w->n; at += PAGE) {
                        size_t n = w->n - at < PAGE ? w->n - at : PAGE;
                        vb_buf_reset(o);
                        vb_buf_addf(o, "vbSearch(\"p\",%zu,", x->npages);
                        add_ids(o, w->ids + at, n);
                        vb_buf_adds(o, ");\n");
                        write_file(x, "p", x->npages++);
                }
        }
}

/* Estimated bytes of a word's entry in its shard. */
static size_t entry_bytes(const struct word *w)
{
        return w->len + 24 + (w->n < PAGE1 ? w->n : PAGE1) * 3;
}

/* The words order[lo..hi), which share their first `plen` bytes: one shard
 * when small enough (or a single word), else the word that is the prefix
 * itself and a group per next character. */
static void shard_words(struct writer *x, size_t lo, size_t hi, size_t plen)
{
        size_t i = lo;
        if (x->bytes[hi] - x->bytes[lo] <= SHARD_BYTES || hi - lo == 1 ||
            ordered(x, hi - 1)->len <= plen) {
                write_shard(x, lo, hi, plen);
                return;
        }
        while (i < hi && ordered(x, i)->len == plen)
                i++;
        if (i > lo)
                write_shard(x, lo, i, plen);
        while (i < hi) {
                const struct word *w = ordered(x, i);
                const char *s = x->w.chars.ptr + w->at;
                size_t at = plen, j = i + 1;
                next_cp(s, w->len, &at);
                while (j < hi && ordered(x, j)->len >= at &&
                       !memcmp(x->w.chars.ptr + ordered(x, j)->at, s, at))
                        j++;
                shard_words(x, i, j, at);
                i = j;
        }
}

static int wref_cmp(const void *a, const void *b)
{
        const struct wref *x = a, *y = b;
        size_t xl = x->w->len, yl = y->w->len;
        int c = memcmp(x->s, y->s, xl < yl ? xl : yl);
        return c ? c : (xl > yl) - (xl < yl);
}

/* ---- the quotes ---- */

/* A quote of a theme page. */
struct squote {
        const struct vb_note *note;
        size_t quote;
};

/* Newest first; then by note id, path and place in the note. */
static int squote_cmp(const void *a, const void *b)
{
        const struct squote *x = a, *y = b;
        int c = vb_date_cmp(y->note->date, x->note->date);
        if (!c && x->note != y->note) {
                c = strcmp(x->note->id ? x->note->id : "", y->note->id ? y->note->id : "");
                if (!c)
                        c = strcmp(x->note->path ? x->note->path : "",
                                   y->note->path ? y->note->path : "");
        }
        return c ? c : (x->quote > y->quote) - (x->quote < y->quote);
}

/* Every quote a theme page shows, once, newest first; *n their number. */
static struct squote *theme_quotes(const struct vb_agg *a, size_t *n)
{
        struct squote *v = NULL;
        size_t cap = 0, k = 0;
        for (size_t t = 0; t < a->nthemes; t++) {
                const struct vb_theme_stats *th = &a->themes[t];
                v = vb_grow_array(v, &cap, k + th->nquotes + 1, sizeof(*v));
                for (size_t i = 0; i < th->nquotes; i++) {
                        v[k].note = th->quotes[i].note;
                        v[k++].quote = th->quotes[i].quote;
                }
        }
        if (k)
                qsort(v, k, sizeof(*v), squote_cmp);
        size_t u = 0;
        for (size_t i = 0; i < k; i++)
                if (!u || v[u - 1].note != v[i].note || v[u - 1].quote != v[i].quote)
                        v[u++] = v[i];
        *n = u;
        return v;
}

/* Writes the quote chunks (q<k>.js) and indexes the quotes' words. */
static void write_quotes(struct writer *x, const struct squote *q, size_t n)
{
        struct vb_buf plain = VB_BUF_INIT, html = VB_BUF_INIT, word = VB_BUF_INIT;
        struct vb_buf link = VB_BUF_INIT, cite = VB_BUF_INIT, *o = &x->file;
        const struct vb_note *cited = NULL;
        char date[16];
        for (size_t i = 0; i < n && x->rc == VB_OK; i++) {
                const struct vb_note *note = q[i].note;
                if (i % CHUNK == 0) {
                        vb_buf_reset(o);
                        vb_buf_addf(o, "vbSearch(\"q\",%zu,[", i / CHUNK);
                }
                vb_buf_adds(o, i % CHUNK ? ",\n[" : "\n[");
                shown(&plain, &html, note->quotes[q[i].quote].text);
                js_string(o, plain.ptr, plain.len);
                index_quote(&x->w, &word, &plain, (uint32_t)i);
                if (note != cited) { /* a note's quotes are next to each other */
                        vb_buf_reset(&cite);
                        vb_buf_reset(&link);
                        rs_link_note(x->s, &link, "", note->id);
                        vb_buf_addc(&cite, ',');
                        js_href(&cite, &plain, &link);
                        vb_buf_addc(&cite, ',');
                        js_shown(&cite, &plain, &html, note->id);
                        vb_buf_addc(&cite, ',');
                        if (vb_date_is_set(note->date)) {
                                vb_date_format(note->date, date);
                                js_string(&cite, date, strlen(date));
                        } else {
                                vb_buf_adds(&cite, "\"\"");
                        }
                        vb_buf_addc(&cite, ']');
                        cited = note;
                }
                vb_buf_add(o, cite.ptr, cite.len);
                if (i % CHUNK == CHUNK - 1 || i + 1 == n) {
                        vb_buf_adds(o, "]);\n");
                        write_file(x, "q", i / CHUNK);
                }
        }
        vb_buf_release(&plain);
        vb_buf_release(&html);
        vb_buf_release(&word);
        vb_buf_release(&link);
        vb_buf_release(&cite);
}

/* index.js: the number of quotes, the chunk size, the themes, the top
 * phrases and the shards' prefixes. */
static void write_index(struct writer *x, size_t nquotes)
{
        struct vb_buf plain = VB_BUF_INIT, html = VB_BUF_INIT, link = VB_BUF_INIT;
        struct vb_buf *o = &x->file;
        const struct vb_agg *a = x->s->a;
        vb_buf_reset(o);
        vb_buf_addf(o, "vbSearch(\"i\",0,{\"quotes\":%zu,\"chunk\":%d,\n\"themes\":[", nquotes,
                    CHUNK);
        for (size_t i = 0; i < a->nthemes; i++) {
                const struct vb_theme_stats *t = &a->themes[i];
                vb_buf_adds(o, i ? ",\n[" : "\n[");
                js_shown(o, &plain, &html, t->label ? t->label : t->key);
                vb_buf_addc(o, ',');
                js_shown(o, &plain, &html, t->key);
                vb_buf_addc(o, ',');
                vb_buf_reset(&link);
                rs_link_theme(x->s, &link, "", t->key, NULL);
                js_href(o, &plain, &link);
                vb_buf_addf(o, ",%zu]", t->notes);
        }
        vb_buf_adds(o, "],\n\"phrases\":[");
        if (x->s->phrases) {
                struct vb_phrase_tops tops = VB_PHRASE_TOPS_INIT;
                vb_phrase_top(&tops, x->s->phrases, NULL);
                for (size_t i = 0; i < tops.n && i < TOP_PHRASES; i++) {
                        vb_buf_adds(o, i ? ",\n[" : "\n[");
                        js_shown(o, &plain, &html, tops.v[i].phrase->surface);
                        vb_buf_addf(o, ",%zu]", tops.v[i].nnotes);
                }
                free(tops.v);
        }
        vb_buf_adds(o, "],\n\"shards\":[");
        if (x->prefixes.len)
                vb_buf_add(o, x->prefixes.ptr, x->prefixes.len - 1); /* its last ',' */
        vb_buf_adds(o, "]});\n");
        vb_buf_reset(&x->name);
        if (x->rc == VB_OK)
                x->rc = vb_outdir_write(x->s->out, "search/index.js", o->ptr, o->len, x->s->d);
        vb_buf_release(&plain);
        vb_buf_release(&html);
        vb_buf_release(&link);
}

/* search.html: the frame with a policy that lets the site's own scripts
 * run, a search box and the (empty) result lists. */
static int write_page(struct rs_site *s)
{
        static const char policy[] = "default-src 'none'; ";
        struct vb_buf *o = &s->page;
        rs_begin(s, "Search", NULL, "", RS_SEARCH);
        char *at = strstr(o->ptr, policy);
        if (at) { /* the one page with a script: the site's own only */
                size_t off = (size_t)(at - o->ptr) + sizeof(policy) - 1;
                static const char self[] = "script-src 'self'; ";
                vb_buf_grow(o, sizeof(self));
                memmove(o->ptr + off + sizeof(self) - 1, o->ptr + off, o->len - off + 1);
                memcpy(o->ptr + off, self, sizeof(self) - 1);
                o->len += sizeof(self) - 1;
        }
        vb_buf_adds(
            o, "<p class=\"lead\">Find themes, the customers' phrases and their quotes, "
               "newest first. Whole words; a quote must hold every word.</p>\n"
               "<p><label for=\"search-q\">Words to find</label>\n"
               "<input type=\"search\" id=\"search-q\" autocomplete=\"off\" "
               "spellcheck=\"false\"></p>\n"
               "<p id=\"search-status\" role=\"status\">The search needs JavaScript; every "
               "other page of the report works without it.</p>\n"
               "<section id=\"search-themes\" hidden>\n<h2>Themes</h2>\n<ul></ul>\n"
               "</section>\n<section id=\"search-phrases\" hidden>\n<h2>Phrases</h2>\n"
               "<ul></ul>\n</section>\n<section id=\"search-quotes\" hidden>\n"
               "<h2>Quotes</h2>\n<ol class=\"plain\"></ol>\n</section>\n"
               "<p><button type=\"button\" id=\"search-more\" hidden>More quotes</button></p>\n"
               "<script src=\"search/search.js\" defer></script>\n"
               "<script src=\"search/index.js\" defer></script>\n");
        return rs_end(s, "search.html");
}

int rs_search_write(struct rs_site *s)
{
        struct writer x;
        size_t nquotes = 0;
        struct squote *q = theme_quotes(s->a, &nquotes);
        memset(&x, 0, sizeof(x));
        x.s = s;
        x.rc = vb_outdir_write(s->out, "search/search.js", search_js, sizeof(search_js) - 1, s->d);
        write_quotes(&x, q, nquotes);
        struct wref *order = vb_calloc(x.w.n + 1, sizeof(*order));
        x.bytes = vb_calloc(x.w.n + 1, sizeof(*x.bytes));
        for (size_t i = 0; i < x.w.n; i++) {
                order[i].w = &x.w.v[i];
                order[i].s = x.w.chars.ptr + x.w.v[i].at;
        }
        if (x.w.n)
                qsort(order, x.w.n, sizeof(*order), wref_cmp);
        x.order = order;
        for (size_t i = 0; i < x.w.n; i++)
                x.bytes[i + 1] = x.bytes[i] + entry_bytes(order[i].w);
        if (x.w.n && x.rc == VB_OK)
                shard_words(&x, 0, x.w.n, 0);
        write_index(&x, nquotes);
        if (x.rc == VB_OK)
                x.rc = write_page(s);
        free(order);
        free(x.bytes);
        free(q);
        words_release(&x.w);
        vb_buf_release(&x.prefixes);
        vb_buf_release(&x.file);
        vb_buf_release(&x.name);
        return x.rc;
}
