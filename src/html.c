#include "verbatim/html.h"
#include "verbatim/diag.h"
#include "verbatim/pii.h"
#include "verbatim/utf8.h"

#include "bytetable.h"
#include "markdown.h"
#include "swar.h"

#include <md4c.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Containers (block quotes and lists) nested deeper than this are flattened:
 * hostile notes must not make pages that browsers choke on. */
#define MAX_DEPTH 32

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* The length of the leading run of s[0..len) that add_clean keeps as it is:
 * up to a NUL, a control character other than tab and newline, DEL, or an
 * invalid UTF-8 byte. */
static size_t clean_run(const char *s, size_t len)
{
        size_t i = 0;
        while (i < len) {
                /* eight printable ASCII bytes at a time */
                if (i + 8 <= len) {
                        uint64_t w = vb_swar_load(s + i);
                        if (!vb_swar_has_high(w) && !vb_swar_has_below(w, 0x20) &&
                            !vb_swar_has_byte(w, 0x7f)) {
                                i += 8;
                                continue;
                        }
                }
                unsigned char c = (unsigned char)s[i];
                if (c < 0x80) {
                        if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
                                break;
                        i++;
                        continue;
                }
                size_t n = vb_utf8_valid_prefix(s + i, len - i);
                if (!n)
                        break;
                i += n;
        }
        return i;
}

/* Copies s[0..len) dropping NUL, control characters other than tab and
 * newline, and DEL, and replacing invalid UTF-8 bytes by U+FFFD. */
static void add_clean(struct vb_buf *out, const char *s, size_t len)
{
        size_t i = 0;
        while (i < len) {
                size_t run = clean_run(s + i, len - i);
                vb_buf_add(out, s + i, run);
                i += run;
                if (i == len)
                        break;
                if ((unsigned char)s[i] >= 0x80)
                        vb_buf_adds(out, replacement);
                i++;
        }
}

/* The character reference that stands for `c` in HTML text and attribute
 * values, or NULL when `c` stands for itself. */
static const char *entity(char c)
{
        switch (c) {
        case '&':
                return "&amp;";
        case '<':
                return "&lt;";
        case '>':
                return "&gt;";
        case '"':
                return "&quot;";
        case '\'':
                return "&#39;";
        default:
                return NULL;
        }
}

static void add_escaped(struct vb_buf *out, const char *s, size_t len)
{
        size_t run = 0;
        for (size_t i = 0; i < len; i++) {
                const char *e = entity(s[i]);
                if (!e)
                        continue;
                vb_buf_add(out, s + run, i - run);
                vb_buf_adds(out, e);
                run = i + 1;
        }
        vb_buf_add(out, s + run, len - run);
}

/* What add_plain does with each byte: copy it (0), count it as a digit (1),
 * escape it (2), or leave the text to the general path (3). */
#define PLAIN_CLASS(c)                                                                             \
        ((c) < 0x20                  ? ((c) == '\t' || (c) == '\n' ? 0 : 3)                        \
         : (c) >= 0x7f || (c) == '@' ? 3                                                           \
         : (c) >= '0' && (c) <= '9'  ? 1                                                           \
         : (c) == '&' || (c) == '<' || (c) == '>' || (c) == '"' || (c) == '\'' ? 2                 \
                                                                               : 0)
static const unsigned char plain_class[256] = VB_BYTE_TABLE(PLAIN_CLASS);

/* Appends s[0..len) escaped when it is text as most is: printable ASCII,
 * tabs and newlines (nothing for add_clean to do), without an '@' and without
 * a phone number (no digits enough for one, as vb_pii_possible would say, or
 * none found by vb_pii_find: ids and dates have digits enough); returns
 * false, having appended nothing, for any other text.  One pass, or two
 * with the phone scan, where the general path takes three or four. */
static bool add_plain(struct vb_buf *out, const char *s, size_t len)
{
        size_t digits = 0, at = out->len, run = 0;
        for (size_t i = 0; i < len; i++) {
                unsigned char c = (unsigned char)s[i];
                unsigned k = plain_class[c];
                if (k == 0)
                        continue;
                if (k == 1) {
                        digits++;
                        continue;
                }
                if (k != 2) {
                        vb_buf_truncate(out, at);
                        return false;
                }
                vb_buf_add(out, s + run, i - run);
                vb_buf_adds(out, entity((char)c));
                run = i + 1;
        }
        size_t start, end;
        if (digits >= VB_PII_PHONE_MIN_DIGITS &&
            vb_pii_find(s, len, 0, &start, &end) != VB_PII_NONE) {
                vb_buf_truncate(out, at);
                return false;
        }
        vb_buf_add(out, s + run, len - run);
        return true;
}

void vb_html_text(struct vb_buf *out, const char *s, size_t len)
{
        struct vb_buf clean = VB_BUF_INIT, redacted = VB_BUF_INIT;
        size_t start, end;
        if (add_plain(out, s, len))
                return;
        /* most of the rest needs neither copy */
        if (clean_run(s, len) < len) {
                add_clean(&clean, s, len);
                s = clean.ptr;
                len = clean.len;
        }
        if (vb_pii_find(s, len, 0, &start, &end) != VB_PII_NONE) {
                vb_pii_redact(&redacted, s, len);
                s = redacted.ptr;
                len = redacted.len;
        }
        add_escaped(out, s, len);
        vb_buf_release(&clean);
        vb_buf_release(&redacted);
}

void vb_html_texts(struct vb_buf *out, const char *s)
{
        vb_html_text(out, s, strlen(s));
}

void vb_html_attr(struct vb_buf *out, const char *s, size_t len)
{
        vb_html_text(out, s, len);
}

void vb_html_raw(struct vb_buf *out, const char *markup)
{
        vb_buf_adds(out, markup);
}

/* Character references: the common named ones, those that can hide URL
 * syntax or personal data ("&commat;", "&plus;"), and every numeric form. */
static const struct {
        const char *name;
        const char *utf8;
} entities[] = {
    {"Tab", "\t"},
    {"NewLine", "\n"},
    {"amp", "&"},
    {"apos", "'"},
    {"bull", "\xE2\x80\xA2"},
    {"cent", "\xC2\xA2"},
    {"colon", ":"},
    {"comma", ","},
    {"commat", "@"},
    {"copy", "\xC2\xA9"},
    {"deg", "\xC2\xB0"},
    {"dash", "\xE2\x80\x90"},
    {"divide", "\xC3\xB7"},
    {"euro", "\xE2\x82\xAC"},
    {"excl", "!"},
    {"gt", ">"},
    {"hellip", "\xE2\x80\xA6"},
    {"hyphen", "\xE2\x80\x90"},
    {"laquo", "\xC2\xAB"},
    {"ldquo", "\xE2\x80\x9C"},
    {"lowbar", "_"},
    {"lpar", "("},
    {"lsquo", "\xE2\x80\x98"},
    {"lt", "<"},
    {"mdash", "\xE2\x80\x94"},
    {"middot", "\xC2\xB7"},
    {"minus", "\xE2\x88\x92"},
    {"nbsp", "\xC2\xA0"},
    {"ndash", "\xE2\x80\x93"},
    {"num", "#"},
    {"para", "\xC2\xB6"},
    {"percnt", "%"},
    {"period", "."},
    {"plus", "+"},
    {"plusmn", "\xC2\xB1"},
    {"pound", "\xC2\xA3"},
    {"quest", "?"},
    {"quot", "\""},
    {"raquo", "\xC2\xBB"},
    {"rdquo", "\xE2\x80\x9D"},
    {"reg", "\xC2\xAE"},
    {"rpar", ")"},
    {"rsquo", "\xE2\x80\x99"},
    {"sect", "\xC2\xA7"},
    {"semi", ";"},
    {"shy", "\xC2\xAD"},
    {"sol", "/"},
    {"times", "\xC3\x97"},
    {"trade", "\xE2\x84\xA2"},
    {"yen", "\xC2\xA5"},
};

static bool is_alnum(unsigned char c)
{
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int hex_value(unsigned char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

/* Decodes the character reference at s[0] == '&' into `out`; returns the
 * number of bytes it took, or 0 if it is none.  The ';' may be missing, as
 * browsers also accept. */
static size_t decode_entity(struct vb_buf *out, const char *s, size_t len)
{
        size_t i = 1;
        if (i < len && s[i] == '#') {
                uint32_t cp = 0;
                bool hex = false, any = false;
                i++;
                if (i < len && (s[i] == 'x' || s[i] == 'X')) {
                        hex = true;
                        i++;
                }
                for (; i < len; i++) {
                        int v = hex ? hex_value((unsigned char)s[i])
                                    : (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);
                        if (v < 0)
                                break;
                        any = true;
                        cp = cp * (hex ? 16 : 10) + (uint32_t)v;
                        if (cp > 0x10FFFF)
                                cp = 0x110000; /* stays out of range, never overflows */
                }
                if (!any)
                        return 0;
                if (i < len && s[i] == ';')
                        i++;
                if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                        vb_buf_adds(out, replacement);
                } else {
                        char u[4];
                        vb_buf_add(out, u, vb_utf8_encode(cp, u));
                }
                return i;
        }
        while (i < len && i < 34 && is_alnum((unsigned char)s[i]))
                i++;
        for (size_t k = 0; k < sizeof(entities) / sizeof(entities[0]); k++) {
                if (strlen(entities[k].name) == i - 1 && !memcmp(entities[k].name, s + 1, i - 1)) {
                        vb_buf_adds(out, entities[k].utf8);
                        return i < len && s[i] == ';' ? i + 1 : i;
                }
        }
        return 0;
}

bool vb_md_entity(struct vb_buf *out, const char *s, size_t len)
{
        size_t start = out->len;
        if (decode_entity(out, s, len) == len)
                return true;
        vb_buf_truncate(out, start);
        vb_buf_add(out, s, len);
        return false;
}

/* One pass of entity and percent decoding; returns whether anything changed. */
static bool decode_url_once(struct vb_buf *out, const char *s, size_t len)
{
        bool changed = false;
        for (size_t i = 0; i < len;) {
                if (s[i] == '&') {
                        size_t n = decode_entity(out, s + i, len - i);
                        if (n) {
                                i += n;
                                changed = true;
                                continue;
                        }
                } else if (s[i] == '%' && i + 2 < len && hex_value((unsigned char)s[i + 1]) >= 0 &&
                           hex_value((unsigned char)s[i + 2]) >= 0) {
                        vb_buf_addc(out, (char)(hex_value((unsigned char)s[i + 1]) * 16 +
                                                hex_value((unsigned char)s[i + 2])));
                        i += 3;
                        changed = true;
                        continue;
                }
                vb_buf_addc(out, s[i++]);
        }
        return changed;
}

static bool same_scheme(const char *s, size_t len, const char *scheme)
{
        if (strlen(scheme) != len)
                return false;
        for (size_t i = 0; i < len; i++) {
                char c = s[i];
                if (c >= 'A' && c <= 'Z')
                        c = (char)(c - 'A' + 'a');
                if (c != scheme[i])
                        return false;
        }
        return true;
}

bool vb_html_safe_url(const char *s, size_t len)
{
        struct vb_buf a = VB_BUF_INIT, b = VB_BUF_INIT;
        bool ok = false, changed = true;
        vb_buf_add(&a, s, len);
        /* Each pass that changes something makes the string shorter; a string
         * still changing after a few passes is hostile. */
        for (int pass = 0; pass < 8 && changed; pass++) {
                vb_buf_reset(&b);
                changed = decode_url_once(&b, a.ptr, a.len);
                struct vb_buf t = a;
                a = b;
                b = t;
        }
        if (changed)
                goto done;
        size_t n = 0;
        for (size_t i = 0; i < a.len; i++) {
                unsigned char c = (unsigned char)a.ptr[i];
                if (c > ' ' && c != 0x7f)
                        a.ptr[n++] = (char)c;
        }
        if (n == 0)
                goto done;
        size_t end = 0;
        while (end < n && !strchr(":/?#", a.ptr[end]))
                end++;
        if (end == n || a.ptr[end] != ':')
                ok = true; /* relative */
        else
                ok = same_scheme(a.ptr, end, "http") || same_scheme(a.ptr, end, "https");
done:
        vb_buf_release(&a);
        vb_buf_release(&b);
        return ok;
}

/* The Markdown renderer.  Block tags go straight to `out`.  Within a block
 * (a paragraph, a heading, a list item's text, a table cell), what a reader
 * sees as one run of text is gathered whole in `text`, in pieces with the
 * inline markup between them kept aside in `marks`, and written when the
 * block ends: personal data split by emphasis, code spans, links, entities
 * or line breaks ("jane.doe@example.<em>com</em>") is found in the whole and
 * every piece of it removed. */
enum { PIECE_TEXT, PIECE_HIDDEN, PIECE_RAW };

/* A piece: text up to text_end (from the previous piece's), then the markup
 * from mark_start up to the next piece's mark_start. */
struct piece {
        size_t text_end, mark_start;
        unsigned char kind; /* PIECE_HIDDEN: its text is read, not written (a
                               line break's "\n"); PIECE_RAW: written as it is
                               (an entity the browser resolves) */
};

struct render {
        struct vb_buf *out;
        struct vb_buf text;  /* the block's text so far: clean UTF-8, not escaped */
        struct vb_buf marks; /* the block's inline markup so far */
        struct piece *pieces;
        size_t npieces, cappieces;
        struct vb_buf links; /* one byte per open link: '1' if <a> was written */
        unsigned depth;      /* open block quotes and lists */
        unsigned image;      /* open images: their content is alt text, no tags */
};

/* Ends the piece of text so far (with `kind`), unless nothing came since the
 * last piece and the kind is plain: markup then follows that piece's. */
static void cut(struct render *r, unsigned char kind)
{
        if (kind == PIECE_TEXT && r->npieces && r->pieces[r->npieces - 1].text_end == r->text.len)
                return;
        r->pieces = vb_grow_array(r->pieces, &r->cappieces, r->npieces + 1, sizeof(*r->pieces));
        r->pieces[r->npieces++] = (struct piece){r->text.len, r->marks.len, kind};
}

/* Where inline markup goes: after the text so far. */
static struct vb_buf *markup(struct render *r)
{
        cut(r, PIECE_TEXT);
        return &r->marks;
}

/* Appends text as the reader sees it: NUL, control characters and invalid
 * UTF-8 cleaned first, so that personal data is looked for in what is
 * shown. */
static void add_text(struct render *r, const char *s, size_t len)
{
        if (clean_run(s, len) == len)
                vb_buf_add(&r->text, s, len);
        else
                add_clean(&r->text, s, len);
}

/* What add_text_escaped does with a byte: 1 to escape it. */
#define ESCAPE_CLASS(c) ((c) == '&' || (c) == '<' || (c) == '>' || (c) == '"' || (c) == '\'')
static const unsigned char escape_class[256] = VB_BYTE_TABLE(ESCAPE_CLASS);

static void add_text_escaped(struct vb_buf *out, const char *s, size_t len)
{
        size_t run = 0;
        for (size_t i = 0; i < len; i++) {
                /* the bytes to escape are all between '!' and '?' */
                while (i + 8 <= len && !vb_swar_has_between(vb_swar_load(s + i), '!', '?'))
                        i += 8;
                if (i >= len)
                        break;
                if (!escape_class[(unsigned char)s[i]])
                        continue;
                vb_buf_add(out, s + run, i - run);
                vb_buf_adds(out, entity(s[i]));
                run = i + 1;
        }
        vb_buf_add(out, s + run, len - run);
}

/* Writes the block gathered so far: its text with personal data removed
 * (vb_pii_redact_pieces over the whole), its pieces in order with their
 * markup between them. */
static void flush(struct render *r)
{
        struct vb_buf redacted = VB_BUF_INIT;
        size_t start, end, n = r->npieces;
        const char *s = r->text.ptr;
        size_t *ends = NULL;
        if (!r->text.len && !n)
                return;
        if (vb_pii_possible(r->text.ptr, r->text.len) &&
            vb_pii_find(r->text.ptr, r->text.len, 0, &start, &end) != VB_PII_NONE) {
                ends = vb_malloc((n + 1) * sizeof(*ends));
                for (size_t i = 0; i < n; i++)
                        ends[i] = r->pieces[i].text_end;
                ends[n] = r->text.len;
                vb_pii_redact_pieces(&redacted, r->text.ptr, r->text.len, ends, n + 1);
                s = redacted.ptr;
        }
        size_t from = 0, orig_from = 0;
        for (size_t i = 0; i <= n; i++) {
                size_t to = ends ? ends[i] : i < n ? r->pieces[i].text_end : r->text.len;
                size_t orig_to = i < n ? r->pieces[i].text_end : r->text.len;
                unsigned char kind = i < n ? r->pieces[i].kind : PIECE_TEXT;
                /* a raw piece that the redaction changed is text like any */
                if (kind == PIECE_RAW && to - from == orig_to - orig_from &&
                    !memcmp(s + from, r->text.ptr + orig_from, to - from))
                        vb_buf_add(r->out, s + from, to - from);
                else if (kind != PIECE_HIDDEN)
                        add_text_escaped(r->out, s + from, to - from);
                if (i < n) {
                        size_t m = i + 1 < n ? r->pieces[i + 1].mark_start : r->marks.len;
                        vb_buf_add(r->out, r->marks.ptr + r->pieces[i].mark_start,
                                   m - r->pieces[i].mark_start);
                }
                from = to;
                orig_from = orig_to;
        }
        free(ends);
        vb_buf_release(&redacted);
        vb_buf_reset(&r->text);
        vb_buf_reset(&r->marks);
        r->npieces = 0;
}

/* Block markup: the block so far first. */
static void tag(struct render *r, const char *markup_text)
{
        flush(r);
        vb_buf_adds(r->out, markup_text);
}

/* Inline markup, between pieces of the block's text. */
static void span_markup(struct render *r, const char *markup_text)
{
        vb_buf_adds(markup(r), markup_text);
}

/* The value of an md4c attribute with its entities decoded. */
static void attribute(struct vb_buf *out, const MD_ATTRIBUTE *a)
{
        /* an indented code block's info string is all NULL (md4c 0.4.8) */
        if (!a->size || !a->substr_offsets)
                return;
        for (unsigned k = 0; a->substr_offsets[k] < a->size; k++) {
                const char *s = a->text + a->substr_offsets[k];
                size_t n = a->substr_offsets[k + 1] - a->substr_offsets[k];
                if (a->substr_types[k] == MD_TEXT_NULLCHAR)
                        vb_buf_adds(out, replacement);
                else if (a->substr_types[k] != MD_TEXT_ENTITY)
                        vb_buf_add(out, s, n);
                else
                        vb_md_entity(out, s, n);
        }
}

static const char *align_class(MD_ALIGN align)
{
        switch (align) {
        case MD_ALIGN_LEFT:
                return " class=\"left\"";
        case MD_ALIGN_CENTER:
                return " class=\"center\"";
        case MD_ALIGN_RIGHT:
                return " class=\"right\"";
        default:
                return "";
        }
}

static void code_block_open(struct render *r, const MD_BLOCK_CODE_DETAIL *c)
{
        struct vb_buf lang = VB_BUF_INIT;
        bool plain = true;
        attribute(&lang, &c->lang);
        for (size_t i = 0; i < lang.len; i++)
                if (!is_alnum((unsigned char)lang.ptr[i]) && !strchr("+-_", lang.ptr[i]))
                        plain = false;
        tag(r, "<pre><code");
        if (lang.len && plain && lang.len <= 40)
                vb_buf_addf(r->out, " class=\"language-%s\"", lang.ptr);
        vb_buf_addc(r->out, '>');
        vb_buf_release(&lang);
}

static int enter_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
        struct render *r = userdata;
        flush(r);
        switch (type) {
        case MD_BLOCK_QUOTE:
                if (++r->depth <= MAX_DEPTH)
                        tag(r, "<blockquote>\n");
                break;
        case MD_BLOCK_UL:
                if (++r->depth <= MAX_DEPTH)
                        tag(r, "<ul>\n");
                break;
        case MD_BLOCK_OL: {
                const MD_BLOCK_OL_DETAIL *ol = detail;
                if (++r->depth > MAX_DEPTH)
                        break;
                if (ol->start != 1)
                        vb_buf_addf(r->out, "<ol start=\"%u\">\n", ol->start);
                else
                        tag(r, "<ol>\n");
                break;
        }
        case MD_BLOCK_LI: {
                const MD_BLOCK_LI_DETAIL *li = detail;
                if (r->depth > MAX_DEPTH)
                        break;
                if (!li->is_task)
                        tag(r, "<li>");
                else if (li->task_mark == ' ')
                        tag(r, "<li class=\"task\"><span class=\"box\" role=\"img\" "
                               "aria-label=\"to do\">\xE2\x98\x90</span> ");
                else
                        tag(r, "<li class=\"task\"><span class=\"box\" role=\"img\" "
                               "aria-label=\"done\">\xE2\x98\x91</span> ");
                break;
        }
        case MD_BLOCK_HR:
                tag(r, "<hr>\n");
                break;
        case MD_BLOCK_H: {
                unsigned level = ((const MD_BLOCK_H_DETAIL *)detail)->level + 1;
                vb_buf_adds(r->out, "<h");
                vb_buf_addc(r->out, (char)('0' + (level > 6 ? 6 : level)));
                vb_buf_addc(r->out, '>');
                break;
        }
        case MD_BLOCK_CODE:
                code_block_open(r, detail);
                break;
        case MD_BLOCK_P:
                tag(r, "<p>");
                break;
        case MD_BLOCK_TABLE:
                tag(r, "<div class=\"table-wrap\"><table>\n");
                break;
        case MD_BLOCK_THEAD:
                tag(r, "<thead>\n");
                break;
        case MD_BLOCK_TBODY:
                tag(r, "<tbody>\n");
                break;
        case MD_BLOCK_TR:
                tag(r, "<tr>");
                break;
        case MD_BLOCK_TH:
                vb_buf_addf(r->out, "<th scope=\"col\"%s>",
                            align_class(((const MD_BLOCK_TD_DETAIL *)detail)->align));
                break;
        case MD_BLOCK_TD:
                vb_buf_addf(r->out, "<td%s>",
                            align_class(((const MD_BLOCK_TD_DETAIL *)detail)->align));
                break;
        default: /* MD_BLOCK_DOC, and MD_BLOCK_HTML that MD_FLAG_NOHTML rules out */
                break;
        }
        return 0;
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
        struct render *r = userdata;
        flush(r);
        switch (type) {
        case MD_BLOCK_QUOTE:
                if (r->depth-- <= MAX_DEPTH)
                        tag(r, "</blockquote>\n");
                break;
        case MD_BLOCK_UL:
                if (r->depth-- <= MAX_DEPTH)
                        tag(r, "</ul>\n");
                break;
        case MD_BLOCK_OL:
                if (r->depth-- <= MAX_DEPTH)
                        tag(r, "</ol>\n");
                break;
        case MD_BLOCK_LI:
                if (r->depth <= MAX_DEPTH)
                        tag(r, "</li>\n");
                break;
        case MD_BLOCK_H: {
                unsigned level = ((const MD_BLOCK_H_DETAIL *)detail)->level + 1;
                vb_buf_adds(r->out, "</h");
                vb_buf_addc(r->out, (char)('0' + (level > 6 ? 6 : level)));
                vb_buf_adds(r->out, ">\n");
                break;
        }
        case MD_BLOCK_CODE:
                tag(r, "</code></pre>\n");
                break;
        case MD_BLOCK_P:
                tag(r, "</p>\n");
                break;
        case MD_BLOCK_TABLE:
                tag(r, "</table></div>\n");
                break;
        case MD_BLOCK_THEAD:
                tag(r, "</thead>\n");
                break;
        case MD_BLOCK_TBODY:
                tag(r, "</tbody>\n");
                break;
        case MD_BLOCK_TR:
                tag(r, "</tr>\n");
                break;
        case MD_BLOCK_TH:
                tag(r, "</th>");
                break;
        case MD_BLOCK_TD:
                tag(r, "</td>");
                break;
        default:
                break;
        }
        return 0;
}

static void link_open(struct render *r, const MD_SPAN_A_DETAIL *a)
{
        struct vb_buf href = VB_BUF_INIT, title = VB_BUF_INIT;
        attribute(&href, &a->href);
        bool ok = r->image == 0 && vb_html_safe_url(href.ptr, href.len);
        vb_buf_addc(&r->links, ok ? '1' : '0');
        if (!ok)
                goto done;
        struct vb_buf *m = markup(r);
        vb_buf_adds(m, "<a href=\"");
        vb_html_attr(m, href.ptr, href.len);
        vb_buf_addc(m, '"');
        attribute(&title, &a->title);
        if (title.len) {
                vb_buf_adds(m, " title=\"");
                vb_html_attr(m, title.ptr, title.len);
                vb_buf_addc(m, '"');
        }
        vb_buf_adds(m, " rel=\"nofollow noopener noreferrer\">");
done:
        vb_buf_release(&href);
        vb_buf_release(&title);
}

static const char *span_tag(MD_SPANTYPE type, bool open)
{
        switch (type) {
        case MD_SPAN_EM:
                return open ? "<em>" : "</em>";
        case MD_SPAN_STRONG:
                return open ? "<strong>" : "</strong>";
        case MD_SPAN_DEL:
                return open ? "<del>" : "</del>";
        case MD_SPAN_CODE:
                return open ? "<code>" : "</code>";
        case MD_SPAN_U:
                return open ? "<u>" : "</u>";
        default:
                return "";
        }
}

static int enter_span(MD_SPANTYPE type, void *detail, void *userdata)
{
        struct render *r = userdata;
        if (type == MD_SPAN_A) {
                link_open(r, detail);
        } else if (type == MD_SPAN_IMG) {
                /* a published report must not fetch anything: show the alt text */
                if (r->image++ == 0)
                        span_markup(r, "<span class=\"img-alt\">");
        } else if (r->image == 0) {
                span_markup(r, span_tag(type, true));
        }
        return 0;
}

static int leave_span(MD_SPANTYPE type, void *detail, void *userdata)
{
        struct render *r = userdata;
        if (type == MD_SPAN_A) {
                if (r->links.len && r->links.ptr[--r->links.len] == '1')
                        span_markup(r, "</a>");
                r->links.ptr[r->links.len] = '\0';
        } else if (type == MD_SPAN_IMG) {
                if (r->image && --r->image == 0)
                        span_markup(r, "</span>");
        } else if (r->image == 0) {
                span_markup(r, span_tag(type, false));
        }
        return 0;
}

/* Whether s[0..len) has the shape of a named character reference. */
static bool entity_shaped(const char *s, size_t len)
{
        if (len < 3 || s[0] != '&' || s[len - 1] != ';')
                return false;
        for (size_t i = 1; i + 1 < len; i++)
                if (!is_alnum((unsigned char)s[i]) && s[i] != '#')
                        return false;
        return true;
}

static int text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE size, void *userdata)
{
        struct render *r = userdata;
        switch (type) {
        case MD_TEXT_NULLCHAR:
                vb_buf_adds(&r->text, replacement);
                break;
        case MD_TEXT_BR:
                if (r->image) {
                        vb_buf_addc(&r->text, ' ');
                        break;
                }
                /* read as a line break (no phone number or email goes on
                 * across it), written as <br> */
                cut(r, PIECE_TEXT);
                vb_buf_addc(&r->text, '\n');
                cut(r, PIECE_HIDDEN);
                vb_buf_adds(&r->marks, "<br>\n");
                break;
        case MD_TEXT_SOFTBR:
                /* a space, not a newline, so that a phone number broken over
                 * two lines is still one run of text for the redaction */
                vb_buf_addc(&r->text, ' ');
                break;
        case MD_TEXT_ENTITY:
                if (vb_md_entity(&r->text, s, size))
                        break;
                if (entity_shaped(s, size) && s[1] != '#') {
                        /* a named entity we do not know: the browser shows it */
                        vb_buf_truncate(&r->text, r->text.len - size);
                        cut(r, PIECE_TEXT);
                        vb_buf_add(&r->text, s, size);
                        cut(r, PIECE_RAW);
                }
                break;
        default: /* normal, code, HTML shown as text, math */
                add_text(r, s, size);
                break;
        }
        return 0;
}

/* The renderer and, when `also` is set, another reader of the same md4c
 * events (vb_html_markdown_with), which the renderer never stops. */
struct tee {
        struct render r;
        const MD_PARSER *also;
        void *also_ud;
};

static int tee_enter_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
        struct tee *t = ud;
        enter_block(type, detail, &t->r);
        return t->also && t->also->enter_block ? t->also->enter_block(type, detail, t->also_ud) : 0;
}

static int tee_leave_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
        struct tee *t = ud;
        leave_block(type, detail, &t->r);
        return t->also && t->also->leave_block ? t->also->leave_block(type, detail, t->also_ud) : 0;
}

static int tee_enter_span(MD_SPANTYPE type, void *detail, void *ud)
{
        struct tee *t = ud;
        enter_span(type, detail, &t->r);
        return t->also && t->also->enter_span ? t->also->enter_span(type, detail, t->also_ud) : 0;
}

static int tee_leave_span(MD_SPANTYPE type, void *detail, void *ud)
{
        struct tee *t = ud;
        leave_span(type, detail, &t->r);
        return t->also && t->also->leave_span ? t->also->leave_span(type, detail, t->also_ud) : 0;
}

static int tee_text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE size, void *ud)
{
        struct tee *t = ud;
        text(type, s, size, &t->r);
        return t->also && t->also->text ? t->also->text(type, s, size, t->also_ud) : 0;
}

int vb_html_markdown_with(struct vb_buf *out, const char *md, size_t len, const MD_PARSER *also,
                          void *also_ud)
{
        struct tee t = {
            {out, VB_BUF_INIT, VB_BUF_INIT, NULL, 0, 0, VB_BUF_INIT, 0, 0}, also, also_ud};
        MD_PARSER parser;
        size_t start = out->len;
        int rc = VB_OK;
        memset(&parser, 0, sizeof(parser));
        parser.abi_version = 0;
        parser.flags = VB_MD_FLAGS;
        parser.enter_block = tee_enter_block;
        parser.leave_block = tee_leave_block;
        parser.enter_span = tee_enter_span;
        parser.leave_span = tee_leave_span;
        parser.text = tee_text;
        if (len > (MD_SIZE)-1 || md_parse(md, (MD_SIZE)len, &parser, &t) != 0) {
                vb_buf_truncate(out, start);
                rc = VB_ERR;
        } else {
                flush(&t.r);
        }
        vb_buf_release(&t.r.text);
        vb_buf_release(&t.r.marks);
        free(t.r.pieces);
        vb_buf_release(&t.r.links);
        return rc;
}

int vb_html_markdown(struct vb_buf *out, const char *md, size_t len)
{
        /* md4c 0.4.8 reads one byte past the end of an unfinished link ("[](" at
         * the end): it gets a copy that ends in a NUL byte */
        char *copy = vb_malloc(len + 1);
        memcpy(copy, md, len);
        copy[len] = '\0';
        int rc = vb_html_markdown_with(out, copy, len, NULL, NULL);
        free(copy);
        return rc;
}

void vb_html_page_begin(struct vb_buf *out, const struct vb_html_page *p)
{
        vb_html_page_head(out, p->title);
        vb_html_page_rest(out, p);
}

size_t vb_html_page_head(struct vb_buf *out, const char *title)
{
        vb_buf_adds(out,
                    "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                    "style-src 'self'; img-src 'self' data:; base-uri 'none'; "
                    "form-action 'none'\">\n"
                    "<meta name=\"referrer\" content=\"no-referrer\">\n"
                    "<meta name=\"color-scheme\" content=\"light dark\">\n<title>");
        size_t start = out->len;
        vb_html_texts(out, title ? title : "");
        return out->len - start;
}

void vb_html_page_rest(struct vb_buf *out, const struct vb_html_page *p)
{
        const char *root = p->root ? p->root : "";
        if (p->site_title && *p->site_title) {
                vb_buf_adds(out, " \xE2\x80\x94 ");
                vb_html_texts(out, p->site_title);
        }
        vb_buf_adds(out, "</title>\n<link rel=\"stylesheet\" href=\"");
        vb_html_attr(out, root, strlen(root));
        vb_buf_adds(out, "style.css\">\n</head>\n<body>\n"
                         "<a class=\"skip\" href=\"#main\">Skip to content</a>\n"
                         "<header>\n<p class=\"site\"><a href=\"");
        vb_html_attr(out, root, strlen(root));
        vb_buf_adds(out, "index.html\">");
        vb_html_texts(out, p->site_title ? p->site_title : "");
        vb_buf_adds(out, "</a></p>\n<nav aria-label=\"Main\">\n<ul>\n");
        for (size_t i = 0; i < p->nav_n; i++) {
                const struct vb_html_nav *n = &p->nav[i];
                vb_buf_adds(out, "<li><a href=\"");
                vb_html_attr(out, root, strlen(root));
                vb_html_attr(out, n->href, strlen(n->href));
                vb_buf_adds(out, n->current ? "\" aria-current=\"page\">" : "\">");
                vb_html_texts(out, n->label);
                vb_buf_adds(out, "</a></li>\n");
        }
        vb_buf_adds(out, "</ul>\n</nav>\n</header>\n<main id=\"main\">\n");
}

void vb_html_page_end(struct vb_buf *out)
{
        vb_buf_adds(out, "</main>\n<footer>\n<p>Made with verbatim from the call notes. Emails and "
                         "phone numbers are removed.</p>\n</footer>\n</body>\n</html>\n");
}

void vb_html_table_begin(struct vb_buf *out, const char *caption, const char *const headers[],
                         size_t n)
{
        vb_buf_adds(out, "<div class=\"table-wrap\"><table>\n");
        if (caption) {
                vb_buf_adds(out, "<caption>");
                vb_html_texts(out, caption);
                vb_buf_adds(out, "</caption>\n");
        }
        vb_buf_adds(out, "<thead>\n<tr>");
        for (size_t i = 0; i < n; i++) {
                vb_buf_adds(out, "<th scope=\"col\">");
                vb_html_texts(out, headers[i]);
                vb_buf_adds(out, "</th>");
        }
        vb_buf_adds(out, "</tr>\n</thead>\n<tbody>\n");
}

void vb_html_table_end(struct vb_buf *out)
{
        vb_buf_adds(out, "</tbody>\n</table></div>\n");
}

static const char stylesheet[] =
    "/* verbatim report: light and dark, screen and print; no scripts */\n"
    ":root {\n"
    "  color-scheme: light dark;\n"
    "  --bg: #ffffff; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de;\n"
    "  --soft: #f3f5f7; --link: #0a58ca; --focus: #bf4b00; --accent: 9, 105, 218;\n"
    "  --heat5: #0550ae; --heat5-fg: #ffffff;\n"
    "  --s0: #0969da; --s1: #bc4c00; --s2: #1a7f37; --s3: #8250df; --s4: #cf222e; "
    "--s5: #4d5a66;\n"
    "}\n"
    "@media (prefers-color-scheme: dark) {\n"
    "  :root {\n"
    "    --bg: #0d1117; --fg: #e6edf3; --muted: #9da7b3; --line: #30363d;\n"
    "    --soft: #161b22; --link: #6cb6ff; --focus: #ffa657; --accent: 56, 139, 253;\n"
    "    --heat5: #388bfd; --heat5-fg: #0d1117;\n"
    "    --s0: #6cb6ff; --s1: #ffa657; --s2: #57d364; --s3: #d2a8ff; --s4: #ff7b72; "
    "--s5: #adbac7;\n"
    "  }\n"
    "}\n"
    "*, *::before, *::after { box-sizing: border-box; }\n"
    "html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }\n"
    "body {\n"
    "  margin: 0; background: var(--bg); color: var(--fg);\n"
    "  font: 1rem/1.55 system-ui, -apple-system, \"Segoe UI\", Roboto, \"Noto Sans\", "
    "sans-serif;\n"
    "}\n"
    "header, main, footer { max-width: 80rem; margin: 0 auto; padding: 0 1rem; }\n"
    "header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 2rem;\n"
    "  border-bottom: 1px solid var(--line); }\n"
    "header .site { margin: .75rem 0; font-weight: 700; font-size: 1.1rem; }\n"
    "header .site a { color: inherit; text-decoration: none; }\n"
    "nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; margin: 0;\n"
    "  padding: .5rem 0; }\n"
    "nav a[aria-current=\"page\"] { font-weight: 700; color: var(--fg);\n"
    "  text-decoration: underline; text-underline-offset: .3em; }\n"
    "main { padding-top: 1rem; padding-bottom: 2rem; }\n"
    "footer { border-top: 1px solid var(--line); color: var(--muted); font-size: .875rem; }\n"
    "h1, h2, h3, h4, h5, h6 { line-height: 1.25; margin: 1.5em 0 .5em; }\n"
    "h1 { font-size: 1.9rem; margin-top: .5em; }\n"
    "h2 { font-size: 1.4rem; }\n"
    "h3 { font-size: 1.15rem; }\n"
    "h4, h5, h6 { font-size: 1rem; }\n"
    "p, ul, ol, blockquote, pre, table { margin: 0 0 1rem; }\n"
    "p, li, blockquote, figcaption { max-width: 48rem; }\n"
    "a { color: var(--link); }\n"
    "a:focus-visible, summary:focus-visible, [tabindex]:focus-visible {\n"
    "  outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 2px; }\n"
    ".skip { position: absolute; left: -999rem; }\n"
    ".skip:focus { left: 1rem; top: .5rem; background: var(--bg); padding: .25rem .5rem; "
    "z-index: 1; }\n"
    "blockquote { margin-left: 0; padding: .25rem 1rem; border-left: 4px solid var(--line);\n"
    "  background: var(--soft); }\n"
    "blockquote > :last-child { margin-bottom: 0; }\n"
    "code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;\n"
    "  font-size: .9em; background: var(--soft); border-radius: 4px; }\n"
    "code { padding: .1em .3em; }\n"
    "pre { padding: .75rem 1rem; overflow-x: auto; }\n"
    "pre code { padding: 0; background: none; }\n"
    "hr { border: 0; border-top: 1px solid var(--line); margin: 1.5rem 0; }\n"
    "li.task { list-style: none; }\n"
    ".img-alt { font-style: italic; color: var(--muted); }\n"
    ".img-alt::before { content: \"[image: \"; }\n"
    ".img-alt::after { content: \"]\"; }\n"
    ".muted { color: var(--muted); }\n"
    ".glance { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 0 1.5rem;\n"
    "  margin: 0 0 1rem; line-height: 1.4; }\n"
    ".glance h2 { font-size: 1.05rem; margin: 0 0 .3rem; }\n"
    ".glance p, .glance ol { margin: 0 0 .75rem; }\n"
    ".glance ol { padding-left: 1.25rem; }\n"
    ".glance li { margin: 0 0 .3rem; }\n"
    ".glance .name, .glance .said { display: block; overflow: hidden; text-overflow: ellipsis;\n"
    "  white-space: nowrap; }\n"
    ".glance .counts, .glance .said { font-size: .875rem; }\n"
    ".glance .said { color: var(--muted); }\n"
    "@media (max-width: 60rem) { .glance { grid-template-columns: 1fr; } }\n"
    ".table-wrap { overflow-x: auto; margin: 0 0 1rem; }\n"
    "table { border-collapse: collapse; min-width: 50%; font-variant-numeric: tabular-nums; }\n"
    "caption { text-align: left; font-weight: 600; padding: .25rem 0; }\n"
    "th, td { padding: .35rem .6rem; border-bottom: 1px solid var(--line); text-align: left;\n"
    "  vertical-align: top; }\n"
    "thead th { border-bottom: 2px solid var(--fg); white-space: nowrap; }\n"
    "tbody tr:hover { background: var(--soft); }\n"
    "th.right, td.right, td.num { text-align: right; }\n"
    "td.num, td.heat, td.date { white-space: nowrap; }\n"
    "th.center, td.center { text-align: center; }\n"
    "td.heat { text-align: right; }\n"
    "td.heat.h0 { background: transparent; }\n"
    "td.heat.h1 { background: rgba(var(--accent), .12); }\n"
    "td.heat.h2 { background: rgba(var(--accent), .25); }\n"
    "td.heat.h3 { background: rgba(var(--accent), .42); }\n"
    "td.heat.h4 { background: rgba(var(--accent), .62); }\n"
    "td.heat.h5 { background: var(--heat5); color: var(--heat5-fg); }\n"
    "figure { margin: 0 0 1.5rem; }\n"
    "figcaption { color: var(--muted); font-size: .875rem; }\n"
    "svg.chart { display: block; width: 100%; height: auto; max-width: 60rem; color: var(--fg); "
    "}\n"
    "svg.chart text { font-size: 11px; fill: var(--muted); }\n"
    "svg.chart .axis { stroke: var(--line); stroke-width: 1; }\n"
    "svg.chart text.label { stroke: none; stroke-dasharray: none; font-weight: 600; }\n"
    "svg.chart text.s0 { fill: var(--s0); } svg.chart text.s1 { fill: var(--s1); }\n"
    "svg.chart text.s2 { fill: var(--s2); } svg.chart text.s3 { fill: var(--s3); }\n"
    "svg.chart text.s4 { fill: var(--s4); } svg.chart text.s5 { fill: var(--s5); }\n"
    ".multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr));\n"
    "  gap: .75rem 1.5rem; margin: 0 0 1.5rem; }\n"
    ".multiples figure { margin: 0; }\n"
    ".multiples svg.spark { display: block; width: 100%; height: 2.5rem; }\n"
    ".pager { display: flex; flex-wrap: wrap; gap: .25rem 1.5rem; }\n"
    "svg.chart .bar { fill: var(--s0); }\n"
    "svg.chart .line { fill: none; stroke-width: 2; }\n"
    "svg.chart .dot { stroke: none; }\n"
    ".s0 { stroke: var(--s0); fill: var(--s0); }\n"
    ".s1 { stroke: var(--s1); fill: var(--s1); stroke-dasharray: 6 3; }\n"
    ".s2 { stroke: var(--s2); fill: var(--s2); stroke-dasharray: 2 3; }\n"
    ".s3 { stroke: var(--s3); fill: var(--s3); stroke-dasharray: 8 3 2 3; }\n"
    ".s4 { stroke: var(--s4); fill: var(--s4); stroke-dasharray: 1 2; }\n"
    ".s5 { stroke: var(--s5); fill: var(--s5); stroke-dasharray: 10 4; }\n"
    "svg.chart .line.s0, svg.chart .line.s1, svg.chart .line.s2, svg.chart .line.s3,\n"
    "svg.chart .line.s4, svg.chart .line.s5 { fill: none; }\n"
    "svg.spark { display: inline-block; width: 6em; height: 1.2em; vertical-align: middle;\n"
    "  color: var(--s0); }\n"
    "svg.spark .line { fill: none; stroke: currentColor; stroke-width: 1.5; }\n"
    "@media (max-width: 40rem) {\n"
    "  body { font-size: .95rem; }\n"
    "  header { display: block; }\n"
    "  h1 { font-size: 1.5rem; }\n"
    "  .table-wrap > table > * > tr > :first-child { position: sticky; left: 0; z-index: 1;\n"
    "    background: var(--bg); max-width: 45vw; overflow-wrap: anywhere; }\n"
    "  svg.chart text { font-size: 16px; }\n"
    "}\n"
    "@media (max-width: 30rem) { svg.chart text { font-size: 21px; } }\n"
    "@media (max-width: 22.5rem) { svg.chart text { font-size: 25px; } }\n"
    "@media (prefers-reduced-motion: reduce) { * { transition: none !important; } }\n"
    "@media print {\n"
    "  :root { --bg: #ffffff; --fg: #000000; --muted: #333333; --line: #999999; --soft: "
    "#ffffff;\n"
    "    --link: #000000; --heat5: #0550ae; --heat5-fg: #ffffff; }\n"
    "  body { background: #ffffff; color: #000000; font-size: 11pt; }\n"
    "  nav, .skip { display: none; }\n"
    "  header, main, footer { max-width: none; padding: 0; }\n"
    "  a { color: #000000; text-decoration: underline; }\n"
    "  table, figure, svg, blockquote, pre, tr { break-inside: avoid; page-break-inside: avoid; "
    "}\n"
    "  h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }\n"
    "  .table-wrap { overflow: visible; }\n"
    "  td.heat { print-color-adjust: exact; -webkit-print-color-adjust: exact; }\n"
    "}\n";

const char *vb_html_stylesheet(void)
{
        return stylesheet;
}
