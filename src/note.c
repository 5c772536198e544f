/* The note parser: front matter with libyaml (yaml.c), the body with md4c.
 *
 * md4c gives no source positions (mity/md4c#91), but its normal and code
 * texts point into the input, so a position is the text's offset mapped
 * through a table of line starts. */
#include "verbatim/note.h"
#include "verbatim/pii.h"
#include "verbatim/utf8.h"
#include "verbatim/vocab.h"

#include "markdown.h"
#include "swar.h"

#include <md4c.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A growable array of `type`, malloc'ed while parsing, copied into the
 * note's arena at the end. */
#define VEC(type)                                                                                  \
        struct {                                                                                   \
                type *v;                                                                           \
                size_t n, cap;                                                                     \
        }
#define VEC_PUSH(vec)                                                                              \
        ((vec).v = vb_grow_array((vec).v, &(vec).cap, (vec).n + 1, sizeof(*(vec).v)),              \
         memset(&(vec).v[(vec).n], 0, sizeof(*(vec).v)), &(vec).v[(vec).n++])

struct range {
        size_t start, end;
};

/* Where a piece of a block's visible text starts in it and came from: `src`
 * is its offset in the file (SIZE_MAX: none, a line break), `exact` whether
 * its bytes are the file's (normal and code text) or stand for them (an
 * entity, cleaned text). */
struct visible_piece {
        size_t at, src;
        bool exact;
};

_Static_assert(VB_NOTE_MAX_TAGS <= UINT16_MAX, "a quote's tag range is 16-bit");

/* A parsed note and the arena its strings and arrays live in, in one block
 * (note first: the note's address is the block's). */
struct parsed {
        struct vb_note n;
        struct vb_arena arena;
};

struct parser {
        struct vb_note *n;
        struct vb_diags *d;
        const char *buf; /* the whole file (sanitized copy) */
        size_t len;
        bool changed;      /* sanitizing changed bytes of the file */
        bool cr;           /* it has a CR */
        VEC(size_t) lines; /* offset of each line start */
        /* the last column pos_at counted: positions mostly come in order, so
         * the next one on the same line counts on from there, and a long line
         * full of hashtags is read once, not once per hashtag */
        size_t col_line, col_off;
        unsigned col_chars;

        VEC(struct vb_tag_ref) tags;
        VEC(struct vb_section) sections;
        VEC(struct vb_quote) quotes;
        VEC(struct vb_job) jobs;
        VEC(struct vb_why) whys;
        VEC(struct vb_pii_hit) pii;

        /* the text a reader sees in the current block, looked at for
         * personal data (only when the caller wants it: check) */
        bool want_pii;
        struct vb_buf visible;
        VEC(struct visible_piece) visible_pieces;

        bool raw_element;  /* inside a raw <style> or <script> element */
        int section;       /* current section, -1 before the first */
        int heading_level; /* level of the heading being read, 0 outside */
        struct vb_buf heading;
        struct vb_pos heading_pos;

        int quote_depth;
        struct vb_buf quote;
        struct vb_pos quote_pos;
        int quote_has_pos;
        size_t quote_tag_first;
        VEC(struct range) quote_tags; /* hashtag ranges in `quote`, removed at the end */

        int list_depth, list_is_ol[2];
        int in_item;
        struct vb_buf item;
        struct vb_pos item_pos;
        int item_has_pos;
        struct vb_job *job;    /* the job being filled, in jobs */
        size_t item_tag_first; /* the tags met since the list item began */
};

static struct vb_pos pos_at(struct parser *p, size_t off)
{
        size_t lo = 0, hi = p->lines.n;
        while (hi - lo > 1) {
                size_t mid = (lo + hi) / 2;
                if (p->lines.v[mid] <= off)
                        lo = mid;
                else
                        hi = mid;
        }
        /* the column counts characters (code points), as editors do: every
         * byte but UTF-8's continuation bytes starts one */
        size_t from = p->lines.v[lo];
        unsigned col = 1;
        if (p->col_line == lo + 1 && p->col_off <= off) {
                from = p->col_off;
                col = p->col_chars;
        }
        for (size_t i = from; i < off; i++)
                col += ((unsigned char)p->buf[i] & 0xc0) != 0x80;
        p->col_line = lo + 1;
        p->col_off = off;
        p->col_chars = col;
        struct vb_pos pos = {(unsigned)lo + 1, col};
        return pos;
}

/* Whether `s` points into the parsed buffer (md4c's normal text does). */
static int in_buf(const struct parser *p, const char *s)
{
        return s >= p->buf && s < p->buf + p->len;
}

static const char *dup_trim(struct vb_note *n, const char *s, size_t len)
{
        while (len && (unsigned char)*s <= ' ')
                s++, len--;
        while (len && (unsigned char)s[len - 1] <= ' ')
                len--;
        return vb_arena_strndup(n->arena, s, len);
}

/* ---- the body ---- */

static int is_hashtag_char(unsigned char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-' || c >= 0x80;
}

/* A hashtag starts a word: nothing before it, white space, or an opening
 * bracket or quotation mark. */
static int starts_word(const struct parser *p, size_t off)
{
        if (off == 0)
                return 1;
        unsigned char c = (unsigned char)p->buf[off - 1];
        if (c <= ' ' || strchr("([{\"'*_~>", c))
                return 1;
        /* “ ‘ « „ and the dashes end in these UTF-8 sequences */
        if (off >= 3 && (unsigned char)p->buf[off - 3] == 0xe2 &&
            (unsigned char)p->buf[off - 2] == 0x80 &&
            (c == 0x9c || c == 0x98 || c == 0x9e || c == 0x93 || c == 0x94))
                return 1;
        if (off >= 2 && (unsigned char)p->buf[off - 2] == 0xc2 && c == 0xab)
                return 1;
        return 0;
}

/* How far the tests below look around a '#', so that they stay linear. */
#define AROUND 1024

/* Whether the '#' at `off` is inside an HTML tag ('<span style="color:
 * #ccc">'): raw HTML is text in a note, but what is inside a tag is no
 * reader's word.  A '<' followed by a letter, '/' or '!' before it, a '>'
 * after it, neither tag end crossed nor a blank line. */
static bool in_html_tag(const struct parser *p, size_t off)
{
        size_t stop = off > AROUND ? off - AROUND : 0, q;
        for (q = off; q > stop; q--) {
                char c = p->buf[q - 1];
                if (c == '>' || (c == '\n' && q >= 2 && p->buf[q - 2] == '\n'))
                        return false;
                if (c == '<') {
                        char n = p->buf[q];
                        if (!((n >= 'a' && n <= 'z') || (n >= 'A' && n <= 'Z') || n == '/' ||
                              n == '!'))
                                return false;
                        break;
                }
        }
        if (q == stop)
                return false;
        for (q = off; q < p->len && q < off + AROUND; q++) {
                char c = p->buf[q];
                if (c == '<' || (c == '\n' && q + 1 < p->len && p->buf[q + 1] == '\n'))
                        return false;
                if (c == '>')
                        return true;
        }
        return false;
}

/* Whether the '#' at `off` opens an attribute block that ends its line:
 * "## API {#api}", "{: #id .class}" (heading ids, kramdown and pandoc). */
static bool in_attribute_block(const struct parser *p, size_t off)
{
        size_t q = off;
        while (q > 0 && off - q < 8 && (p->buf[q - 1] == ' ' || p->buf[q - 1] == ':'))
                q--;
        if (q == 0 || p->buf[q - 1] != '{')
                return false;
        for (q = off; q < p->len && q < off + AROUND && p->buf[q] != '}'; q++)
                if (p->buf[q] == '\n' || p->buf[q] == '{')
                        return false;
        if (q >= p->len || p->buf[q] != '}')
                return false;
        for (q++; q < p->len && (p->buf[q] == ' ' || p->buf[q] == '\t' || p->buf[q] == '\r'); q++)
                ;
        return q == p->len || p->buf[q] == '\n';
}

/* Follows raw <style> and <script> elements, whose content is CSS or code
 * ("color: #ccc"), not words: `text[i]` is a '<'. */
static void raw_element(struct parser *p, const char *text, size_t size, size_t i)
{
        bool close = i + 1 < size && text[i + 1] == '/';
        size_t n = i + 1 + close;
        if ((size - n >= 5 && !strncasecmp(text + n, "style", 5)) ||
            (size - n >= 6 && !strncasecmp(text + n, "script", 6)))
                p->raw_element = !close;
}

/* The first i from `from` on where text[i] is '#' or '<', else size. */
static size_t hash_or_lt(const char *text, size_t from, size_t size)
{
        size_t i = from;
        while (i + 8 <= size) {
                uint64_t w = vb_swar_load(text + i);
                if (vb_swar_has_byte(w, '#') || vb_swar_has_byte(w, '<'))
                        break;
                i += 8;
        }
        while (i < size && text[i] != '#' && text[i] != '<')
                i++;
        return i;
}

static void add_hashtags(struct parser *p, const char *text, size_t size)
{
        if (!in_buf(p, text))
                return;
        size_t base = (size_t)(text - p->buf);
        /* only a '#' or a '<' does anything: the loop goes from one to the next */
        for (size_t i = hash_or_lt(text, 0, size); i < size; i = hash_or_lt(text, i + 1, size)) {
                if (text[i] == '<')
                        raw_element(p, text, size, i);
                if (text[i] != '#' || p->raw_element || !starts_word(p, base + i) ||
                    in_html_tag(p, base + i) || in_attribute_block(p, base + i))
                        continue;
                size_t j = i + 1;
                while (j < size && is_hashtag_char((unsigned char)text[j]))
                        j++;
                /* trailing punctuation or symbols (”, ’, …, an emoji) are not part of the tag */
                size_t end = j;
                while (end > i + 1 && (unsigned char)text[end - 1] >= 0x80) {
                        size_t k = end - 1;
                        while (k > i + 1 && ((unsigned char)text[k] & 0xc0) == 0x80)
                                k--;
                        uint32_t cp;
                        vb_utf8_decode(text + k, end - k, &cp);
                        if (vb_utf8_is_word(cp))
                                break;
                        end = k;
                }
                size_t name_len = end - i - 1;
                int digits = 1;
                for (size_t k = i + 1; k < end; k++)
                        if (text[k] < '0' || text[k] > '9')
                                digits = 0;
                if (name_len == 0 || digits) {
                        i = j;
                        continue;
                }
                if (p->tags.n < VB_NOTE_MAX_TAGS) {
                        struct vb_tag_ref *t = VEC_PUSH(p->tags);
                        t->name = vb_arena_strndup(p->n->arena, text + i + 1, name_len);
                        t->pos = pos_at(p, base + i);
                        t->hashtag = 1;
                        if (p->section >= 0)
                                t->section_kind = (unsigned char)p->sections.v[p->section].kind;
                        t->quote = p->quote_depth ? (int)p->quotes.n : -1;
                        if (p->quote_depth) {
                                /* the offset of this text in the quote buffer was
                                 * recorded by the caller before appending */
                                struct range *r = VEC_PUSH(p->quote_tags);
                                r->start = p->quote.len + i;
                                r->end = p->quote.len + end;
                        }
                }
                i = j - 1;
        }
}

/* An entity in a quote, a heading or an item: as the note page shows it
 * (vb_md_entity), but a no-break space is a space between words. */
static void decode_entity(struct vb_buf *out, const char *s, size_t len)
{
        if (len == 6 && !memcmp(s, "&nbsp;", 6))
                vb_buf_addc(out, ' ');
        else
                vb_md_entity(out, s, len);
}

static void note_text_pos(struct parser *p, const char *text, struct vb_pos *pos, int *has)
{
        if (!*has && in_buf(p, text)) {
                *pos = pos_at(p, (size_t)(text - p->buf));
                *has = 1;
        }
}

/* What the note page drops from text: control characters but tab and
 * newline, and DEL. */
static bool is_control(unsigned char c)
{
        return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f;
}

/* How many bytes text starts with that are not is_control: eight at a
 * time while no byte is below a space or DEL. */
static size_t control_free(const char *text, size_t size)
{
        size_t i = 0;
        while (i < size) {
                if (i + 8 <= size) {
                        uint64_t w = vb_swar_load(text + i);
                        if (!vb_swar_has_below(w, 0x20) && !vb_swar_has_byte(w, 0x7f)) {
                                i += 8;
                                continue;
                        }
                }
                size_t end = i + 8 < size ? i + 8 : size;
                for (; i < end; i++)
                        if (is_control((unsigned char)text[i]))
                                return i;
        }
        return size;
}

/* Adds a text to the block's visible text as the note page shows it
 * (html.c): entities decoded, control characters dropped, line breaks as a
 * newline and soft breaks as a space. */
static void visible_add(struct parser *p, MD_TEXTTYPE type, const char *text, size_t size)
{
        struct visible_piece *v = VEC_PUSH(p->visible_pieces);
        v->at = p->visible.len;
        v->src = in_buf(p, text) ? (size_t)(text - p->buf) : SIZE_MAX;
        switch (type) {
        case MD_TEXT_NULLCHAR:
                vb_buf_adds(&p->visible, "\xef\xbf\xbd");
                break;
        case MD_TEXT_BR:
                vb_buf_addc(&p->visible, '\n');
                break;
        case MD_TEXT_SOFTBR:
                vb_buf_addc(&p->visible, ' ');
                break;
        case MD_TEXT_ENTITY:
                vb_md_entity(&p->visible, text, size);
                break;
        default: {
                size_t i = control_free(text, size);
                v->exact = v->src != SIZE_MAX;
                vb_buf_add(&p->visible, text, i);
                for (; i < size; i++) {
                        if (is_control((unsigned char)text[i]))
                                v->exact = false; /* dropped, as the page does */
                        else
                                vb_buf_addc(&p->visible, text[i]);
                }
        }
        }
}

/* The file offset of offset `at` of the visible text. */
static size_t visible_src(const struct parser *p, size_t at)
{
        size_t k = 0;
        while (k + 1 < p->visible_pieces.n && p->visible_pieces.v[k + 1].at <= at)
                k++;
        const struct visible_piece *v = &p->visible_pieces.v[k];
        if (v->src != SIZE_MAX)
                return v->exact ? v->src + (at - v->at) : v->src;
        /* a line break: the next piece that has a place, else the one before */
        for (size_t j = k + 1; j < p->visible_pieces.n; j++)
                if (p->visible_pieces.v[j].src != SIZE_MAX)
                        return p->visible_pieces.v[j].src;
        for (size_t j = k; j-- > 0;)
                if (p->visible_pieces.v[j].src != SIZE_MAX)
                        return p->visible_pieces.v[j].src;
        return SIZE_MAX;
}

/* Personal data in the block's visible text: a hit where each starts. */
static void visible_flush(struct parser *p)
{
        size_t start, end, at = 0;
        enum vb_pii_kind kind;
        if (!p->visible.len)
                goto done;
        if (!vb_pii_possible(p->visible.ptr, p->visible.len))
                goto done;
        while ((kind = vb_pii_find(p->visible.ptr, p->visible.len, at, &start, &end)) !=
               VB_PII_NONE) {
                size_t src = visible_src(p, start);
                if (src != SIZE_MAX) {
                        struct vb_pii_hit *h = VEC_PUSH(p->pii);
                        h->kind = (int)kind;
                        h->pos = pos_at(p, src);
                        h->in_quote = p->quote_depth > 0;
                }
                at = end > start ? end : start + 1;
        }
done:
        vb_buf_reset(&p->visible);
        p->visible_pieces.n = 0;
}

static int on_text(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *ud)
{
        struct parser *p = ud;
        struct vb_buf *sinks[3];
        size_t nsinks = 0;

        if (p->want_pii)
                visible_add(p, type, text, size);

        if (type == MD_TEXT_NORMAL)
                add_hashtags(p, text, size); /* before appending: ranges use quote.len */
        if (p->heading_level)
                sinks[nsinks++] = &p->heading;
        if (p->quote_depth) {
                sinks[nsinks++] = &p->quote;
                if (type == MD_TEXT_NORMAL || type == MD_TEXT_CODE)
                        note_text_pos(p, text, &p->quote_pos, &p->quote_has_pos);
        }
        if (p->in_item) {
                sinks[nsinks++] = &p->item;
                if (type == MD_TEXT_NORMAL || type == MD_TEXT_CODE)
                        note_text_pos(p, text, &p->item_pos, &p->item_has_pos);
        }
        if (p->heading_level && (type == MD_TEXT_NORMAL) && !p->heading_pos.line && in_buf(p, text))
                p->heading_pos = pos_at(p, (size_t)(text - p->buf));
        for (size_t i = 0; i < nsinks; i++) {
                switch (type) {
                case MD_TEXT_NULLCHAR:
                        vb_buf_adds(sinks[i], "\xef\xbf\xbd");
                        break;
                case MD_TEXT_BR:
                case MD_TEXT_SOFTBR:
                        vb_buf_addc(sinks[i], ' ');
                        break;
                case MD_TEXT_ENTITY:
                        decode_entity(sinks[i], text, size);
                        break;
                default:
                        vb_buf_add(sinks[i], text, size);
                }
        }
        return 0;
}

static enum vb_section_kind section_kind(const char *title)
{
        static const struct {
                const char *title;
                enum vb_section_kind kind;
        } known[] = {
            {"context", VB_SECTION_CONTEXT},
            {"what almost stopped them", VB_SECTION_ALMOST_STOPPED},
            {"what finally convinced them", VB_SECTION_CONVINCED},
            {"what would have convinced them", VB_SECTION_WOULD_HAVE_CONVINCED},
            {"why they returned it", VB_SECTION_RETURNED},
            {"what would have kept it", VB_SECTION_WOULD_HAVE_KEPT},
            {"job to be done", VB_SECTION_JOB},
            {"jobs to be done", VB_SECTION_JOB},
            {"five whys", VB_SECTION_WHYS},
        };
        size_t len = strlen(title);
        while (len && (title[len - 1] == ':' || title[len - 1] == '?' || title[len - 1] == ' '))
                len--;
        for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
                if (strlen(known[i].title) == len && !strncasecmp(known[i].title, title, len))
                        return known[i].kind;
        return VB_SECTION_OTHER;
}

static enum vb_section_kind current_kind(const struct parser *p)
{
        return p->section < 0 ? VB_SECTION_OTHER : p->sections.v[p->section].kind;
}

static int is_quote_mark(uint32_t cp)
{
        return cp == '"' || cp == '\'' || cp == 0x201c || cp == 0x201d || cp == 0x201e ||
               cp == 0x2018 || cp == 0x2019 || cp == 0xab || cp == 0xbb;
}

/* Collapses white space, trims, and removes one pair of enclosing quotation
 * marks: `"I love it" ` -> `I love it`. */
static const char *clean_quote(struct vb_note *n, const char *s, size_t len)
{
        struct vb_buf b = VB_BUF_INIT;
        int space = 0;
        for (size_t i = 0; i < len; i++) {
                unsigned char c = (unsigned char)s[i];
                if (c <= ' ') {
                        space = 1;
                        continue;
                }
                if (space && b.len)
                        vb_buf_addc(&b, ' ');
                space = 0;
                vb_buf_addc(&b, (char)c);
        }
        const char *t = b.ptr;
        size_t tl = b.len;
        uint32_t cp;
        size_t k = vb_utf8_decode(t, tl, &cp);
        if (tl && is_quote_mark(cp)) {
                t += k;
                tl -= k;
        }
        /* a closing mark, possibly before final punctuation: `"...!"` or `"...".` */
        for (size_t back = 1; back <= 4 && back <= tl; back++) {
                size_t st = tl - back;
                if (((unsigned char)t[st] & 0xc0) == 0x80)
                        continue;
                vb_utf8_decode(t + st, back, &cp);
                if (is_quote_mark(cp)) {
                        tl = st;
                }
                break;
        }
        const char *res = dup_trim(n, t, tl);
        vb_buf_release(&b);
        return res;
}

static void finish_quote(struct parser *p)
{
        struct vb_buf text = VB_BUF_INIT;
        size_t at = 0;
        for (size_t i = 0; i < p->quote_tags.n; i++) {
                struct range r = p->quote_tags.v[i];
                if (r.start < at || r.end > p->quote.len)
                        continue;
                vb_buf_add(&text, p->quote.ptr + at, r.start - at);
                at = r.end;
        }
        vb_buf_add(&text, p->quote.ptr + at, p->quote.len - at);
        const char *clean = clean_quote(p->n, text.ptr, text.len);
        vb_buf_release(&text);
        if (*clean) {
                struct vb_quote *q = VEC_PUSH(p->quotes);
                q->text = clean;
                q->pos = p->quote_pos;
                if (p->section >= 0)
                        q->section_kind = (unsigned char)p->sections.v[p->section].kind;
                /* tags stop at VB_NOTE_MAX_TAGS: both fit */
                q->tag_first = (uint16_t)p->quote_tag_first;
                q->tag_count = (uint16_t)(p->tags.n - p->quote_tag_first);
        } else {
                /* only hashtags: they tag the note, not a quote */
                for (size_t i = p->quote_tag_first; i < p->tags.n; i++)
                        p->tags.v[i].quote = -1;
        }
        vb_buf_reset(&p->quote);
        p->quote_tags.n = 0;
}

static int prefix(const char *s, const char *word, const char **rest)
{
        size_t n = strlen(word);
        while (*s == ' ')
                s++;
        if (strncasecmp(s, word, n))
                return 0;
        *rest = s + n;
        return 1;
}

/* A force of progress ("Push: ..."): its words, without hashtags, go to
 * the current job (a new one when there is none yet), and its hashtags are
 * marked with the force. */
static void force_item(struct parser *p, const char *s)
{
        static const char *const names[VB_NFORCES] = {"push:", "pull:", "anxiety:", "habit:"};
        const char *rest = NULL;
        int k = 0;
        struct vb_buf words = VB_BUF_INIT;
        while (k < VB_NFORCES && !prefix(s, names[k], &rest))
                k++;
        if (k == VB_NFORCES)
                return;
        for (size_t i = p->item_tag_first; i < p->tags.n; i++)
                p->tags.v[i].force = (unsigned char)(k + 1);
        /* the words without " #tag" hashtags */
        for (const char *c = rest; *c;) {
                if (*c == '#' && (c == rest || c[-1] == ' ') &&
                    ((c[1] >= 'a' && c[1] <= 'z') || (c[1] >= 'A' && c[1] <= 'Z') ||
                     (c[1] >= '0' && c[1] <= '9') || c[1] == '_')) {
                        while (*c && *c != ' ')
                                c++;
                        continue;
                }
                vb_buf_addc(&words, *c++);
        }
        if (!p->job) {
                p->job = VEC_PUSH(p->jobs);
                p->job->pos = p->item_pos;
        }
        const char *text = dup_trim(p->n, words.ptr ? words.ptr : "", words.len);
        if (*text) {
                const char *old = p->job->forces[k];
                if (old) {
                        struct vb_buf both = VB_BUF_INIT;
                        vb_buf_addf(&both, "%s; %s", old, text);
                        text = dup_trim(p->n, both.ptr, both.len);
                        vb_buf_release(&both);
                }
                p->job->forces[k] = text;
        }
        vb_buf_release(&words);
}

static void finish_item(struct parser *p)
{
        enum vb_section_kind kind = current_kind(p);
        const char *s = p->item.ptr, *rest;
        if (kind == VB_SECTION_JOB) {
                const char **slot = NULL;
                if (prefix(s, "job:", &rest)) {
                        p->job = VEC_PUSH(p->jobs);
                        p->job->pos = p->item_pos;
                        slot = &p->job->job;
                } else if (prefix(s, "before:", &rest) || prefix(s, "without it:", &rest)) {
                        int before = prefix(s, "before:", &rest);
                        if (!p->job || (before ? p->job->before : p->job->without_it)) {
                                p->job = VEC_PUSH(p->jobs);
                                p->job->pos = p->item_pos;
                        }
                        slot = before ? &p->job->before : &p->job->without_it;
                }
                if (slot)
                        *slot = dup_trim(p->n, rest, strlen(rest));
                else
                        force_item(p, s);
        } else if (kind == VB_SECTION_WHYS && p->list_is_ol[0]) {
                struct vb_why *w = VEC_PUSH(p->whys);
                const char *q = strchr(s, '?');
                w->pos = p->item_pos;
                if (prefix(s, "why", &rest) && q && q[1] && strspn(q + 1, " ") < strlen(q + 1))
                        w->text = dup_trim(p->n, q + 1, strlen(q + 1));
                else
                        w->text = dup_trim(p->n, s, p->item.len);
        }
        vb_buf_reset(&p->item);
}

static int on_enter(MD_BLOCKTYPE type, void *detail, void *ud)
{
        struct parser *p = ud;
        if (p->want_pii)
                visible_flush(p);
        switch (type) {
        case MD_BLOCK_H:
                p->heading_level = (int)((MD_BLOCK_H_DETAIL *)detail)->level;
                vb_buf_reset(&p->heading);
                memset(&p->heading_pos, 0, sizeof(p->heading_pos));
                break;
        case MD_BLOCK_QUOTE:
                if (p->quote_depth++ == 0) {
                        vb_buf_reset(&p->quote);
                        p->quote_has_pos = 0;
                        p->quote_tag_first = p->tags.n;
                }
                break;
        case MD_BLOCK_UL:
        case MD_BLOCK_OL:
                if (p->list_depth < 2)
                        p->list_is_ol[p->list_depth] = type == MD_BLOCK_OL;
                p->list_depth++;
                break;
        case MD_BLOCK_LI:
                if (p->list_depth == 1 && !p->in_item) {
                        enum vb_section_kind k = current_kind(p);
                        if (k == VB_SECTION_JOB || k == VB_SECTION_WHYS) {
                                p->in_item = 1;
                                p->item_has_pos = 0;
                                p->item_tag_first = p->tags.n;
                                vb_buf_reset(&p->item);
                        }
                }
                break;
        case MD_BLOCK_P:
                if (p->quote_depth && p->quote.len)
                        vb_buf_addc(&p->quote, ' ');
                if (p->in_item && p->item.len)
                        vb_buf_addc(&p->item, ' ');
                break;
        default:
                break;
        }
        return 0;
}

static int on_leave(MD_BLOCKTYPE type, void *detail, void *ud)
{
        struct parser *p = ud;
        (void)detail;
        if (p->want_pii)
                visible_flush(p);
        p->raw_element = false; /* "<script> is blocked" ends with its paragraph */
        switch (type) {
        case MD_BLOCK_H:
                if (p->heading_level == 2) {
                        struct vb_section *s = VEC_PUSH(p->sections);
                        s->title = dup_trim(p->n, p->heading.ptr, p->heading.len);
                        s->kind = section_kind(s->title);
                        s->pos = p->heading_pos;
                        p->section = (int)p->sections.n - 1;
                        p->job = NULL;
                }
                p->heading_level = 0;
                break;
        case MD_BLOCK_QUOTE:
                if (p->quote_depth && --p->quote_depth == 0)
                        finish_quote(p);
                break;
        case MD_BLOCK_UL:
        case MD_BLOCK_OL:
                if (p->list_depth)
                        p->list_depth--;
                break;
        case MD_BLOCK_LI:
                if (p->in_item && p->list_depth == 1) {
                        finish_item(p);
                        p->in_item = 0;
                }
                break;
        default:
                break;
        }
        return 0;
}

static int on_span(MD_SPANTYPE type, void *detail, void *ud)
{
        (void)type;
        (void)detail;
        (void)ud;
        return 0;
}

/* ---- the front matter ---- */

static struct vb_field field_of(struct parser *p, const struct vb_yaml *root, const char *key)
{
        struct vb_field f = {NULL, {0, 0}};
        const struct vb_yaml *v = vb_yaml_get(root, key);
        if (!v)
                return f;
        f.pos = v->pos;
        if (v->kind != VB_YAML_SCALAR) {
                vb_diags_add(p->d, p->n->path, v->pos.line, v->pos.col, VB_SEV_ERROR, "bad-type",
                             "'%s' must be a single value, not %s", key, vb_yaml_kind_name(v));
                return f;
        }
        f.value = vb_arena_strndup(p->n->arena, v->value, v->len);
        return f;
}

/* A list of scalars; a single value counts as a list of one.  With
 * `split`, a single value "a, b" is split at commas (tags written as a
 * string). */
static struct vb_field *list_of(struct parser *p, const struct vb_yaml *root, const char *key,
                                size_t *count, int split)
{
        const struct vb_yaml *v = vb_yaml_get(root, key);
        struct vb_field *out;
        size_t n = 0;
        *count = 0;
        if (!v)
                return NULL;
        if (v->kind == VB_YAML_MAP) {
                vb_diags_add(p->d, p->n->path, v->pos.line, v->pos.col, VB_SEV_ERROR, "bad-type",
                             "'%s' must be a list like [a, b], not a mapping", key);
                return NULL;
        }
        if (v->kind == VB_YAML_SCALAR) {
                if (!*v->value)
                        return NULL;
                if (!split) {
                        out = vb_arena_alloc(p->n->arena, sizeof(*out));
                        out->value = vb_arena_strndup(p->n->arena, v->value, v->len);
                        out->pos = v->pos;
                        *count = 1;
                        return out;
                }
                vb_diags_add(
                    p->d, p->n->path, v->pos.line, v->pos.col, VB_SEV_WARNING, "tags-not-list",
                    "'%s' is a single value; write it as a list: %s: [%s]", key, key, v->value);
                size_t commas = 1;
                for (const char *c = v->value; *c; c++)
                        commas += *c == ',';
                out = vb_arena_alloc(p->n->arena, commas * sizeof(*out));
                const char *s = v->value;
                while (*s) {
                        size_t len = strcspn(s, ",");
                        const char *item = dup_trim(p->n, s, len);
                        if (*item) {
                                out[n].value = item;
                                out[n].pos = v->pos;
                                for (const char *c = v->value; !v->quoted && c < s; c++)
                                        out[n].pos.col += ((unsigned char)*c & 0xc0) != 0x80;
                                n++;
                        }
                        s += len + (s[len] == ',');
                }
                *count = n;
                return out;
        }
        out = vb_arena_alloc(p->n->arena, (v->n ? v->n : 1) * sizeof(*out));
        for (size_t i = 0; i < v->n; i++) {
                const struct vb_yaml *item = v->items[i];
                if (item->kind != VB_YAML_SCALAR) {
                        vb_diags_add(p->d, p->n->path, item->pos.line, item->pos.col, VB_SEV_ERROR,
                                     "bad-type", "items of '%s' must be single values, not %s", key,
                                     vb_yaml_kind_name(item));
                        continue;
                }
                if (!*item->value)
                        continue;
                out[n].value = vb_arena_strndup(p->n->arena, item->value, item->len);
                out[n].pos = item->pos;
                n++;
        }
        *count = n;
        return out;
}

static enum vb_outcome outcome_of(const char *s)
{
        if (!s || !strcmp(s, "connected"))
                return VB_OUTCOME_CONNECTED;
        if (!strcmp(s, "voicemail"))
                return VB_OUTCOME_VOICEMAIL;
        if (!strcmp(s, "no-answer"))
                return VB_OUTCOME_NO_ANSWER;
        if (!strcmp(s, "declined"))
                return VB_OUTCOME_DECLINED;
        return VB_OUTCOME_OTHER;
}

static enum vb_verdict verdict_of(const char *s)
{
        if (!s || !*s)
                return VB_VERDICT_NONE;
        if (!strcmp(s, "solved"))
                return VB_VERDICT_SOLVED;
        if (!strcmp(s, "partly"))
                return VB_VERDICT_PARTLY;
        if (!strcmp(s, "not-solved"))
                return VB_VERDICT_NOT_SOLVED;
        return VB_VERDICT_OTHER;
}

static void read_front_matter(struct parser *p, const struct vb_yaml *root, const char *themes_key)
{
        struct vb_note *n = p->n;
        n->front_ok = 1;
        n->check->nfront_keys = root->n;
        n->check->front_keys =
            vb_arena_alloc(n->arena, (root->n + 1) * sizeof(*n->check->front_keys));
        for (size_t i = 0; i < root->n; i++) {
                const struct vb_yaml *v = root->items[i];
                n->check->front_keys[i].key =
                    vb_arena_strndup(n->arena, root->keys[i]->value, root->keys[i]->len);
                n->check->front_keys[i].pos = v->pos;
                n->check->front_keys[i].empty =
                    v->kind == VB_YAML_SCALAR ? !*v->value && !v->quoted : !v->n;
        }
        n->check->date_field = field_of(p, root, "date");
        n->segment = field_of(p, root, "segment");
        n->customer = field_of(p, root, "customer");
        n->check->interviewer = field_of(p, root, "interviewer");
        n->check->channel = field_of(p, root, "channel");
        n->follows = field_of(p, root, "follows");
        n->reason = field_of(p, root, "reason");
        n->check->outcome_field = field_of(p, root, "outcome");
        n->check->ltv_field = field_of(p, root, "ltv");
        if (n->check->date_field.value &&
            vb_date_parse(&n->date, n->check->date_field.value) != VB_DATE_OK)
                memset(&n->date, 0, sizeof(n->date));
        n->outcome = outcome_of(n->check->outcome_field.value);
        n->check->verdict_field = field_of(p, root, "verdict");
        n->verdict = verdict_of(n->check->verdict_field.value);
        if (n->check->ltv_field.value && *n->check->ltv_field.value) {
                char *end;
                n->ltv = strtod(n->check->ltv_field.value, &end);
                n->has_ltv = *end == '\0' && end != n->check->ltv_field.value && n->ltv == n->ltv;
        }
        size_t nproducts;
        n->products = list_of(p, root, "products", &nproducts, 0);
        n->nproducts = (unsigned)nproducts;
        size_t nroadmap;
        n->roadmap = list_of(p, root, "roadmap", &nroadmap, 0);
        n->nroadmap = (unsigned)nroadmap;

        size_t ntags;
        struct vb_field *tags = list_of(p, root, themes_key, &ntags, 1);
        for (size_t i = 0; i < ntags && p->tags.n < VB_NOTE_MAX_TAGS; i++) {
                struct vb_tag_ref *t = VEC_PUSH(p->tags);
                t->name = tags[i].value;
                t->pos = tags[i].pos;
                t->quote = -1;
        }
        if (ntags > VB_NOTE_MAX_TAGS)
                vb_diags_add(p->d, n->path, tags[VB_NOTE_MAX_TAGS].pos.line,
                             tags[VB_NOTE_MAX_TAGS].pos.col, VB_SEV_ERROR, "too-many-tags",
                             "more than %d tags; only the first %d are read", VB_NOTE_MAX_TAGS,
                             VB_NOTE_MAX_TAGS);
}

/* The end of line `i`'s content: without "\n" or "\r\n". */
static size_t line_end(const struct parser *p, size_t i)
{
        size_t e = i + 1 < p->lines.n ? p->lines.v[i + 1] : p->len;
        if (e > p->lines.v[i] && p->buf[e - 1] == '\n')
                e--;
        if (e > p->lines.v[i] && p->buf[e - 1] == '\r')
                e--;
        return e;
}

static int line_is(const struct parser *p, size_t i, const char *marker)
{
        size_t s = p->lines.v[i], e = line_end(p, i), m = strlen(marker);
        while (e > s + m && (p->buf[e - 1] == ' ' || p->buf[e - 1] == '\t'))
                e--;
        return e - s == m && !memcmp(p->buf + s, marker, m);
}

/* Line `i` holds only spaces, tabs or a CR. */
static int line_blank(const struct parser *p, size_t i)
{
        size_t s = p->lines.v[i], e = line_end(p, i);
        while (s < e && (p->buf[s] == ' ' || p->buf[s] == '\t' || p->buf[s] == '\r'))
                s++;
        return s == e;
}

/* Finds and parses the front matter; returns the offset where the body starts. */
static size_t parse_front_matter(struct parser *p, const struct vb_note_options *opt, size_t start)
{
        const char *themes_key = opt && opt->themes_key ? opt->themes_key : "tags";
        /* the tree lives in a scratch arena unless the caller keeps it */
        struct vb_arena scratch = VB_ARENA_INIT;
        struct vb_note *n = p->n;
        if (opt && opt->keep_front_matter)
                n->check->front_arena = vb_calloc(1, sizeof(*n->check->front_arena));
        struct vb_arena *tree = n->check->front_arena ? n->check->front_arena : &scratch;
        if (p->len == start) {
                vb_diags_add(p->d, n->path, 1, 1, VB_SEV_ERROR, "empty",
                             "empty file; a note starts with front matter between '---' lines "
                             "(see 'verbatim new')");
                return start;
        }
        if (line_is(p, 0, "+++")) {
                vb_diags_add(
                    p->d, n->path, 1, 1, VB_SEV_ERROR, "front-matter-not-yaml",
                    "front matter between '+++' lines is TOML; verbatim reads YAML between "
                    "'---' lines: convert it");
                return start;
        }
        /* blank lines before the '---': the front matter all the same (else
         * Markdown would render it as a rule and a heading), but an error */
        size_t open = 0;
        while (open + 1 < p->lines.n && line_blank(p, open))
                open++;
        if (!line_is(p, open, "---")) {
                vb_diags_add(p->d, n->path, 1, 1, VB_SEV_ERROR, "front-matter-missing",
                             "no front matter; start the note with a '---' line, the keys (date, "
                             "segment, customer, tags) and a closing '---' line");
                return start;
        }
        if (open)
                vb_diags_add(p->d, n->path, 1, 1, VB_SEV_ERROR, "front-matter-not-first",
                             "front matter must start on the first line; remove the blank "
                             "line(s) before '---'");
        n->has_front_matter = 1;
        size_t close = 0;
        for (size_t i = open + 1; i < p->lines.n; i++)
                if (line_is(p, i, "---") || line_is(p, i, "...")) {
                        close = i;
                        break;
                }
        if (!close) {
                vb_diags_add(p->d, n->path, (unsigned)open + 1, 1, VB_SEV_ERROR,
                             "front-matter-unterminated",
                             "the front matter that starts here has no closing '---' line; add one "
                             "after the last key");
                return p->len;
        }
        n->check->front_end_line = (unsigned)close + 1;
        size_t fm_start = p->lines.v[open + 1], fm_end = p->lines.v[close];
        const char *fm = p->buf + fm_start;
        size_t fm_len = fm_end - fm_start;
        size_t skip = strspn(fm, " \t\r\n");
        struct vb_yaml *root = NULL;
        if (skip < fm_len && fm_len - skip >= 2 && fm[skip] == '{' && fm[skip + 1] == '{') {
                struct vb_pos pos = pos_at(p, fm_start + skip);
                vb_diags_add(p->d, n->path, pos.line, pos.col, VB_SEV_ERROR,
                             "front-matter-not-yaml",
                             "the front matter is a template ({{ ... }}), not YAML; write plain "
                             "'key: value' lines");
        } else if (vb_yaml_parse(&root, tree, n->path, fm, fm_len, (unsigned)open + 2, p->d) ==
                   VB_OK) {
                if (root && root->kind != VB_YAML_MAP)
                        vb_diags_add(p->d, n->path, root->pos.line, root->pos.col, VB_SEV_ERROR,
                                     "front-matter-not-mapping",
                                     "the front matter is %s; write 'key: value' lines",
                                     vb_yaml_kind_name(root));
                else if (root)
                        read_front_matter(p, root, themes_key);
                else
                        n->front_ok = 1; /* an empty front matter */
                if (tree == n->check->front_arena)
                        n->check->front = root;
        }
        vb_arena_release(&scratch);
        return close + 1 < p->lines.n ? p->lines.v[close + 1] : p->len;
}

/* The first line of the body that is a template prompt: `_Ask:_` or
 * `*Ask:*` after at most three spaces (what the bundled templates write). */
static void find_prompt(struct parser *p, size_t body)
{
        for (size_t i = pos_at(p, body).line - 1; i < p->lines.n; i++) {
                size_t s = p->lines.v[i], e = line_end(p, i), k = 0;
                while (k < 3 && s + k < e && p->buf[s + k] == ' ')
                        k++;
                if (e - s - k >= 6 && (p->buf[s + k] == '_' || p->buf[s + k] == '*') &&
                    !memcmp(p->buf + s + k + 1, "Ask:", 4) && p->buf[s + k + 5] == p->buf[s + k]) {
                        p->n->check->prompt = pos_at(p, s + k);
                        return;
                }
        }
}

/* ---- bytes ---- */

/* Makes a copy safe to parse: invalid UTF-8 bytes become '?' and NUL bytes
 * spaces (offsets stay the same), each reported once with its position. */
static char *sanitize(struct parser *p, const char *buf, size_t len)
{
        char *copy = vb_malloc(len + 1);
        size_t bad = 0, nul = 0, first_bad = 0, first_nul = 0;
        memcpy(copy, buf, len);
        copy[len] = '\0';
        for (size_t i = 0; i < len;) {
                /* eight bytes at a time while they are ASCII and not NUL */
                uint64_t w;
                if (i + 8 <= len &&
                    (memcpy(&w, copy + i, 8),
                     !((w | ~((w | 0x8080808080808080ULL) - 0x0101010101010101ULL)) &
                       0x8080808080808080ULL))) {
                        i += 8;
                        continue;
                }
                unsigned char c = (unsigned char)copy[i];
                if (c == 0) {
                        if (!nul++)
                                first_nul = i;
                        copy[i++] = ' ';
                } else if (c < 0x80) {
                        i++;
                } else {
                        size_t k = vb_utf8_valid_prefix(copy + i, len - i);
                        /* NEL, LS and PS are line breaks to libyaml but not to md4c:
                         * read as spaces, so that positions agree */
                        if ((k == 2 && c == 0xc2 && (unsigned char)copy[i + 1] == 0x85) ||
                            (k == 3 && c == 0xe2 && (unsigned char)copy[i + 1] == 0x80 &&
                             ((unsigned char)copy[i + 2] == 0xa8 ||
                              (unsigned char)copy[i + 2] == 0xa9))) {
                                memset(copy + i, ' ', k);
                                p->changed = true;
                        }
                        if (k) {
                                i += k;
                                continue;
                        }
                        if (!bad++)
                                first_bad = i;
                        copy[i++] = '?';
                }
        }
        p->buf = copy;
        p->len = len;
        p->changed |= bad || nul;
        /* the line table, needed for positions from here on (sized for
         * lines of 32 bytes on average: notes rarely need it to grow) */
        p->lines.v = vb_grow_array(p->lines.v, &p->lines.cap, len / 32 + 16, sizeof(*p->lines.v));
        *VEC_PUSH(p->lines) = 0;
        size_t long_line = 0, nlong = 0;
        /* without a CR (most files), memchr finds the line ends */
        bool cr = p->cr = memchr(copy, '\r', len) != NULL;
        for (size_t i = 0; i < len; i++) {
                if (!cr) {
                        const char *nl = memchr(copy + i, '\n', len - i);
                        if (!nl)
                                break;
                        i = (size_t)(nl - copy);
                }
                /* a lone CR ends a line too (YAML and CommonMark say so) */
                if (copy[i] == '\n' || (copy[i] == '\r' && (i + 1 == len || copy[i + 1] != '\n'))) {
                        size_t ll = i - p->lines.v[p->lines.n - 1];
                        if (ll > VB_NOTE_MAX_LINE && !nlong++)
                                long_line = p->lines.n;
                        *VEC_PUSH(p->lines) = i + 1;
                }
        }
        if (len - p->lines.v[p->lines.n - 1] > VB_NOTE_MAX_LINE && !nlong++)
                long_line = p->lines.n;
        if (nul) {
                struct vb_pos pos = pos_at(p, first_nul);
                vb_diags_add(p->d, p->n->path, pos.line, pos.col, VB_SEV_ERROR, "nul-byte",
                             "%zu NUL byte%s in the text (read as spaces); save the file as plain "
                             "UTF-8 text",
                             nul, nul == 1 ? "" : "s");
        }
        if (bad) {
                struct vb_pos pos = pos_at(p, first_bad);
                vb_diags_add(p->d, p->n->path, pos.line, pos.col, VB_SEV_ERROR, "invalid-utf8",
                             "%zu byte%s of invalid UTF-8 (the first is 0x%02X); save the file as "
                             "UTF-8 (it may be Windows-1252 or Latin-1)",
                             bad, bad == 1 ? "" : "s", (unsigned char)buf[first_bad]);
        }
        if (nlong)
                vb_diags_add(p->d, p->n->path, (unsigned)long_line, 0, VB_SEV_ERROR, "long-line",
                             "line longer than %d bytes; break it into shorter paragraphs",
                             VB_NOTE_MAX_LINE);
        return copy;
}

/* Binary: NUL bytes in the first 8 KiB beyond a stray one, or mostly
 * control bytes. */
static int looks_binary(const char *buf, size_t len)
{
        size_t n = len < 8192 ? len : 8192, ctrl = 0, nul = 0;
        for (size_t i = 0; i < n; i++) {
                /* eight bytes at a time while none is below a space */
                while (i + 8 <= n && !vb_swar_has_below(vb_swar_load(buf + i), 0x20))
                        i += 8;
                if (i >= n)
                        break;
                unsigned char c = (unsigned char)buf[i];
                if (c >= 0x20)
                        continue; /* nearly every byte */
                nul += c == 0;
                ctrl += c != '\n' && c != '\r' && c != '\t' && c != '\f';
        }
        return nul > 8 || (n && ctrl * 10 > n);
}

void vb_note_id_of(struct vb_buf *out, const char *path)
{
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        size_t len = strlen(base);
        if (len > 3 && !strcmp(base + len - 3, ".md"))
                len -= 3;
        vb_buf_add(out, base, len);
}

static int hit_before(const void *a, const void *b)
{
        const struct vb_pii_hit *x = a, *y = b;
        if (x->pos.line != y->pos.line)
                return x->pos.line < y->pos.line ? -1 : 1;
        return x->pos.col < y->pos.col ? -1 : x->pos.col > y->pos.col;
}

/* Emails in the body's bytes that no reader sees (a link's target:
 * "mailto:jane@example.com") are personal data in the note too: added to
 * what the visible text gave (phone-like digits in URLs are not phone
 * numbers), then all in the file's order. */
static void scan_personal_data(struct parser *p, size_t from)
{
        size_t start, end, at = from, seen = p->pii.n;
        enum vb_pii_kind kind;
        if (from < p->len && memchr(p->buf + from, '@', p->len - from)) {
                while ((kind = vb_pii_find(p->buf, p->len, at, &start, &end)) != VB_PII_NONE) {
                        at = end > start ? end : start + 1;
                        if (kind != VB_PII_EMAIL)
                                continue;
                        struct vb_pos pos = pos_at(p, start);
                        size_t k = 0;
                        while (k < seen &&
                               (p->pii.v[k].pos.line != pos.line || p->pii.v[k].pos.col != pos.col))
                                k++;
                        if (k < seen)
                                continue;
                        struct vb_pii_hit *h = VEC_PUSH(p->pii);
                        h->kind = (int)kind;
                        h->pos = pos;
                }
        }
        if (p->pii.n > 1)
                qsort(p->pii.v, p->pii.n, sizeof(*p->pii.v), hit_before);
}

#define COPY_VEC(n, vec, field, count)                                                             \
        do {                                                                                       \
                (n)->count = (vec).n;                                                              \
                if ((vec).n) {                                                                     \
                        (n)->field = vb_arena_alloc((n)->arena, (vec).n * sizeof(*(vec).v));       \
                        memcpy((n)->field, (vec).v, (vec).n * sizeof(*(vec).v));                   \
                }                                                                                  \
                free((vec).v);                                                                     \
        } while (0)

int vb_note_parse(struct vb_note **out, const char *path, const char *buf, size_t len,
                  const struct vb_note_options *opt, struct vb_diags *d)
{
        struct parser p;
        struct vb_buf id = VB_BUF_INIT;
        size_t errors_before = d->errors;
        char *copy;
        struct vb_note_html *html = opt ? opt->html : NULL;

        *out = NULL;
        if (html) {
                vb_buf_reset(&html->buf);
                html->done = 0;
        }
        if (len > VB_NOTE_MAX_BYTES) {
                vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "too-large",
                             "the note is %.1f MB, more than the %d MB a note may have; it is not "
                             "read: split it or move attachments out",
                             (double)len / (1024.0 * 1024.0), VB_NOTE_MAX_BYTES / (1024 * 1024));
                return VB_ERR;
        }
        if (looks_binary(buf, len)) {
                vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "binary",
                             "this is a binary file, not a Markdown note; rename it or move it out "
                             "of the notes folder");
                return VB_ERR;
        }
        memset(&p, 0, sizeof(p));
        vb_buf_init(&p.heading);
        vb_buf_init(&p.quote);
        vb_buf_init(&p.item);
        vb_buf_init(&p.visible);
        p.d = d;
        p.section = -1;
        struct parsed *block = vb_calloc(1, sizeof(*block));
        p.n = &block->n;
        p.n->arena = &block->arena;
        p.n->arena->hint = len * 3 / 2 + 256; /* most notes then fit in one chunk */
        p.n->path = vb_arena_strdup(p.n->arena, path);
        vb_note_id_of(&id, path);
        p.n->id = vb_arena_strndup(p.n->arena, id.ptr, id.len);
        p.n->check = vb_arena_alloc(p.n->arena, sizeof(*p.n->check));
        vb_buf_release(&id);

        copy = sanitize(&p, buf, len);
        size_t start = 0;
        if (len >= 3 && !memcmp(copy, "\xef\xbb\xbf", 3)) {
                start = 3; /* a byte order mark: skip it */
                p.lines.v[0] = 3;
        }
        size_t body = parse_front_matter(&p, opt, start);
        p.n->nfront_tags = p.tags.n;
        p.n->body_line = pos_at(&p, body).line;
        p.want_pii = !(opt && opt->skip_personal_data);
        if (body < len) {
                MD_PARSER md = {0,       VB_MD_FLAGS, on_enter, on_leave, on_span,
                                on_span, on_text,     NULL,     NULL};
                /* the HTML in the same pass when the renderer would read the
                 * same bytes: the file's own, from line body_line on */
                if (html && !p.changed && !p.cr && start == 0)
                        html->done = vb_html_markdown_with(&html->buf, copy + body, len - body, &md,
                                                           &p) == VB_OK;
                else
                        md_parse(copy + body, (MD_SIZE)(len - body), &md, &p);
                if (p.want_pii) {
                        visible_flush(&p);
                        scan_personal_data(&p, body);
                }
        }
        struct vb_note *n = p.n;
        COPY_VEC(n, p.tags, tags, ntags);
        COPY_VEC(n, p.sections, sections, nsections);
        COPY_VEC(n, p.quotes, quotes, nquotes);
        COPY_VEC(n, p.jobs, jobs, njobs);
        COPY_VEC(n, p.whys, whys, nwhys);
        if (body < len)
                find_prompt(&p, body);
        n->unfilled = n->check->prompt.line && !n->nquotes && !n->ntags;
        n->check->npii = p.pii.n;
        if (p.pii.n) {
                n->check->pii = vb_arena_alloc(n->arena, p.pii.n * sizeof(*p.pii.v));
                memcpy(n->check->pii, p.pii.v, p.pii.n * sizeof(*p.pii.v));
        }
        free(p.pii.v);
        free(p.visible_pieces.v);
        vb_buf_release(&p.visible);
        free(p.lines.v);
        free(p.quote_tags.v);
        vb_buf_release(&p.heading);
        vb_buf_release(&p.quote);
        vb_buf_release(&p.item);
        free(copy);
        n->errors = d->errors - errors_before;
        *out = n;
        return VB_OK;
}

void vb_note_drop_front(struct vb_note *n)
{
        if (!n->check)
                return;
        if (n->check->front_arena) {
                vb_arena_release(n->check->front_arena);
                free(n->check->front_arena);
                n->check->front_arena = NULL;
        }
        n->check->front = NULL;
}

void vb_note_free(struct vb_note *n)
{
        if (!n)
                return;
        vb_note_drop_front(n);
        if (n->arena) /* parsed: the block is a struct parsed */
                vb_arena_release(n->arena);
        free(n);
}

/* ---- compaction ---- */

/* Lays the compacted note out in one block: the struct, then the arrays
 * (aligned), then the strings.  A first pass with `block` NULL only adds up
 * the sizes; the second copies into the block. */
struct copier {
        char *block;
        size_t arrays, strings; /* bytes taken (or needed) */
        size_t arrays_at;       /* where the arrays start: after the struct */
        size_t strings_at;      /* where the strings start: after the arrays */
        const struct vb_vocab *v;
};

static const char *copy_str(struct copier *c, const char *s)
{
        if (!s)
                return NULL;
        size_t n = strlen(s) + 1;
        char *p = c->block ? c->block + c->strings_at + c->strings : NULL;
        if (p)
                memcpy(p, s, n);
        c->strings += n;
        return p;
}

static void *copy_array(struct copier *c, const void *v, size_t count, size_t size, size_t align)
{
        if (!v || !count)
                return NULL;
        c->arrays = (c->arrays + align - 1) & ~(align - 1);
        char *p = c->block ? c->block + c->arrays_at + c->arrays : NULL;
        if (p)
                memcpy(p, v, count * size);
        c->arrays += count * size;
        return p;
}

#define COPY_ARRAY(c, field, count, type)                                                          \
        copy_array((c), (field), (count), sizeof(type), _Alignof(type))

/* The vocabulary's own copy of a theme when `s` is one (vb_note_resolve
 * points there), else a copy. */
static const char *share_theme(struct copier *c, const char *s)
{
        const struct vb_tag *t = s && c->v && c->v->has_tags ? vb_vocab_tag(c->v, s, NULL) : NULL;
        return t && t->key == s ? s : copy_str(c, s);
}

/* The vocabulary's copy of a segment key equal to `s`, else a copy. */
static const char *share_segment(struct copier *c, const char *s)
{
        const struct vb_segment *g = s && c->v ? vb_vocab_segment(c->v, s) : NULL;
        return g ? g->key : copy_str(c, s);
}

/* The vocabulary's copy of a roadmap id equal to `s`, else a copy. */
static const char *share_roadmap(struct copier *c, const char *s)
{
        const struct vb_roadmap_item *it = s && c->v ? vb_vocab_roadmap_item(c->v, s) : NULL;
        return it ? it->id : copy_str(c, s);
}

/* The catalog's copy of a product id equal to `s`, else a copy. */
static const char *share_product(struct copier *c, const char *s)
{
        const struct vb_product *p = s && c->v ? vb_vocab_product(c->v, s) : NULL;
        return p ? p->key : copy_str(c, s);
}

/* The vocabulary's key equal to `s` when it is a tag key, else a copy. */
static const char *share_key(struct copier *c, const char *s)
{
        const struct vb_tag *t = s && c->v && c->v->has_tags ? vb_vocab_tag(c->v, s, NULL) : NULL;
        return t && !strcmp(t->key, s) ? t->key : copy_str(c, s);
}

/* Fills `to` (a copy of `from` with the dropped parts cleared, see
 * vb_note_compact) with copies of what is kept. */
static void copy_note(struct copier *c, struct vb_note *to, const struct vb_note *from)
{
        /* arrays first, then the strings they point to */
        to->roadmap = COPY_ARRAY(c, from->roadmap, from->nroadmap, struct vb_field);
        to->products = COPY_ARRAY(c, from->products, from->nproducts, struct vb_field);
        to->tags = COPY_ARRAY(c, from->tags, from->ntags, struct vb_tag_ref);
        to->quotes = COPY_ARRAY(c, from->quotes, from->nquotes, struct vb_quote);
        to->jobs = COPY_ARRAY(c, from->jobs, from->njobs, struct vb_job);
        /* the last why only: the root cause, the one the report shows */
        to->whys = COPY_ARRAY(c, from->nwhys ? &from->whys[from->nwhys - 1] : NULL,
                              from->nwhys ? 1 : 0, struct vb_why);
        to->nwhys = from->nwhys ? 1 : 0;
        to->themes = COPY_ARRAY(c, from->themes, from->nthemes, const char *);
        to->path = copy_str(c, from->path);
        to->id = copy_str(c, from->id);
        to->segment.value = share_segment(c, from->segment.value);
        to->customer.value = copy_str(c, from->customer.value);
        to->follows.value = copy_str(c, from->follows.value);
        to->reason.value = share_key(c, from->reason.value);
        for (size_t i = 0; i < from->nroadmap; i++) {
                const char *s = share_roadmap(c, from->roadmap[i].value);
                if (c->block)
                        to->roadmap[i].value = s;
        }
        for (size_t i = 0; i < from->nproducts; i++) {
                const char *s = share_product(c, from->products[i].value);
                if (c->block)
                        to->products[i].value = s;
        }
        for (size_t i = 0; i < from->ntags; i++) {
                const char *s = share_theme(c, from->tags[i].theme);
                if (c->block) {
                        to->tags[i].theme = s;
                        to->tags[i].name = NULL;
                }
        }
        for (size_t i = 0; i < from->nquotes; i++) {
                const char *s = copy_str(c, from->quotes[i].text);
                if (c->block)
                        to->quotes[i].text = s;
        }
        for (size_t i = 0; i < from->njobs; i++) {
                const char *j = copy_str(c, from->jobs[i].job);
                const char *b = copy_str(c, from->jobs[i].before);
                const char *w = copy_str(c, from->jobs[i].without_it);
                const char *f[VB_NFORCES];
                for (int k = 0; k < VB_NFORCES; k++)
                        f[k] = copy_str(c, from->jobs[i].forces[k]);
                if (c->block) {
                        to->jobs[i].job = j;
                        to->jobs[i].before = b;
                        to->jobs[i].without_it = w;
                        for (int k = 0; k < VB_NFORCES; k++)
                                to->jobs[i].forces[k] = f[k];
                }
        }
        if (from->nwhys) {
                const char *s = copy_str(c, from->whys[from->nwhys - 1].text);
                if (c->block)
                        to->whys[0].text = s;
        }
        /* a theme is one of the tags' (vb_note_resolve): the same copy */
        for (size_t k = 0; k < from->nthemes; k++) {
                size_t i = 0;
                while (i < from->ntags && from->tags[i].theme != from->themes[k])
                        i++;
                const char *s = i < from->ntags ? (c->block ? to->tags[i].theme : NULL)
                                                : share_theme(c, from->themes[k]);
                if (c->block)
                        to->themes[k] = s;
        }
}

struct vb_note *vb_note_compact(struct vb_note *n, const struct vb_vocab *v)
{
        return vb_note_compact_in(n, v, NULL);
}

struct vb_note *vb_note_compact_in(struct vb_note *n, const struct vb_vocab *v,
                                   struct vb_arena *pool)
{
        struct vb_note shape;
        struct copier c;
        /* the arrays right after the struct: none needs more alignment than it */
        size_t head = (sizeof(shape) + _Alignof(struct vb_note) - 1) &
                      ~(size_t)(_Alignof(struct vb_note) - 1);

        memset(&c, 0, sizeof(c));
        c.v = v;
        copy_note(&c, &shape, n);
        c.arrays_at = head;
        c.strings_at = head + c.arrays;
        size_t size = c.strings_at + c.strings;
        c.block = pool ? vb_arena_alloc(pool, size) : vb_malloc(size);
        c.arrays = c.strings = 0;

        struct vb_note *out = (struct vb_note *)c.block;
        memset(out, 0, sizeof(*out));
        /* scalars and positions: as they are */
        out->segment.pos = n->segment.pos;
        out->customer.pos = n->customer.pos;
        out->follows.pos = n->follows.pos;
        out->reason.pos = n->reason.pos;
        out->front_ok = n->front_ok;
        out->has_front_matter = n->has_front_matter;
        out->unfilled = n->unfilled;
        out->body_line = n->body_line;
        out->date = n->date;
        out->outcome = n->outcome;
        out->verdict = n->verdict;
        out->ltv = n->ltv;
        out->has_ltv = n->has_ltv;
        out->nroadmap = n->nroadmap;
        out->nproducts = n->nproducts;
        out->ntags = n->ntags;
        out->nfront_tags = n->nfront_tags;
        out->nquotes = n->nquotes;
        out->njobs = n->njobs;
        out->nthemes = n->nthemes;
        out->errors = n->errors;
        copy_note(&c, out, n);
        vb_note_free(n);
        return out;
}

int vb_note_is_conversation(const struct vb_note *n)
{
        return n->outcome == VB_OUTCOME_CONNECTED && !n->unfilled;
}
