/* The phrase index file: write and read (the format is specified at the top
 * of include/verbatim/phrase.h).
 *
 * The reader trusts nothing: every count, number, reference and derived
 * value is checked, counts never size an allocation up front, and any
 * mismatch gives one diagnostic "the index file is damaged (...)" instead of a
 * crash. */
#include "verbatim/phrase.h"
#include "phrase_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC      "verbatim-index 4"
#define MAGIC_HEAD "verbatim-index "

/* Sections whose header lines the table of contents locates. */
enum { S_NOTES, S_PHRASES, S_CLUSTERS, S_WORDS, S_CACHE, S_OFFSETS, NSECTIONS };
/* An offset is written as OFF_DIGITS hexadecimal digits spelled with the
 * letters a-p (a = 0 ... p = 15), most significant first: fixed width for
 * random access, and no run of decimal digits that could read as a phone
 * number in a file that must hold no personal data. */
enum { OFF_DIGITS = 12 };

static void put_off(char *out, size_t v)
{
        int i;
        for (i = OFF_DIGITS - 1; i >= 0; i--, v >>= 4)
                out[i] = (char)('a' + (v & 15));
}

static void add_off(struct vb_buf *b, size_t v)
{
        char s[OFF_DIGITS];
        put_off(s, v);
        vb_buf_add(b, s, OFF_DIGITS);
}

/* ---- writing ---- */

static void put_str(struct vb_buf *b, const char *s)
{
        const char *run = s;
        for (; *s; s++) {
                const char *esc = NULL;
                switch (*s) {
                case '\\':
                        esc = "\\\\";
                        break;
                case '\t':
                        esc = "\\t";
                        break;
                case '\n':
                        esc = "\\n";
                        break;
                case '\r':
                        esc = "\\r";
                        break;
                default:
                        continue;
                }
                vb_buf_add(b, run, (size_t)(s - run));
                vb_buf_adds(b, esc);
                run = s + 1;
        }
        vb_buf_add(b, run, (size_t)(s - run));
}

static void put_date(struct vb_buf *b, struct vb_date d)
{
        if (d.year || d.month || d.day)
                vb_buf_addf(b, "%04d-%02d-%02d", d.year, d.month, d.day);
}

static void put_themes(struct vb_buf *b, char *const *v, size_t n)
{
        size_t i;
        vb_buf_addf(b, "\t%zu", n);
        for (i = 0; i < n; i++) {
                vb_buf_addc(b, '\t');
                put_str(b, v[i]);
        }
}

static void put_oid(struct vb_buf *b, const unsigned char oid[20])
{
        static const char hex[] = "0123456789abcdef";
        size_t i;
        for (i = 0; i < 20; i++) {
                vb_buf_addc(b, hex[oid[i] >> 4]);
                vb_buf_addc(b, hex[oid[i] & 15]);
        }
}

/* "\tFOLLOWS\tFLINE\tFCOL" of a note. */
static void put_follows(struct vb_buf *b, const struct vb_pnote *n)
{
        vb_buf_addc(b, '\t');
        put_str(b, n->follows ? n->follows : "");
        vb_buf_addf(b, "\t%u\t%u", n->follows_line, n->follows_col);
}

/* Appends the decimal digits of v (no printf: millions of references). */
static void put_u32(struct vb_buf *b, uint32_t v)
{
        char d[10];
        size_t n = 0;
        do
                d[n++] = (char)('0' + v % 10);
        while ((v /= 10) != 0);
        while (n)
                vb_buf_addc(b, d[--n]);
}

static void put_ref(struct vb_buf *b, struct vb_phrase_ref r)
{
        vb_buf_addc(b, '\t');
        put_u32(b, r.note);
        vb_buf_addc(b, ':');
        put_u32(b, r.quote);
}

/* "\tN\tKEY\tCOUNT..." of the phrase's notes per segment or theme. */
static void put_counts(struct vb_buf *b, const struct vb_phrase_index *ix,
                       const struct vb_phrase *p, enum vb_phrase_by by)
{
        struct vb_phrase_counts c = {0, 0, 0};
        size_t i;
        vb_phrase_counts(&c, ix, p, NULL, by);
        vb_buf_addf(b, "\t%zu", c.n);
        for (i = 0; i < c.n; i++) {
                vb_buf_addc(b, '\t');
                put_str(b, c.v[i].key);
                vb_buf_addf(b, "\t%zu", c.v[i].nnotes);
        }
        free(c.v);
}

/* What the writer gathers of the words section. */
struct words_out {
        struct vb_buf lines; /* the word lines */
        size_t *off;         /* each word line's offset */
        size_t n, cap;
};

static void put_word(void *arg, const char *word, size_t len, const struct vb_phrase_ref *refs,
                     size_t n)
{
        struct words_out *w = arg;
        size_t i;
        w->off = vb_grow_array(w->off, &w->cap, w->n + 1, sizeof *w->off);
        w->off[w->n++] = w->lines.len;
        vb_buf_adds(&w->lines, "word\t");
        vb_buf_add(&w->lines, word, len); /* normalized words hold no TAB, newline or backslash */
        vb_buf_addf(&w->lines, "\t%zu", n);
        for (i = 0; i < n; i++)
                put_ref(&w->lines, refs[i]);
        vb_buf_addc(&w->lines, '\n');
}

/* Appends the words section of `ix` ("words N" and a line per word) to
 * `out`; the lines' offsets in `out` into wo (the caller frees wo->off). */
static void put_words(struct vb_buf *out, const struct vb_phrase_index *ix, struct words_out *wo)
{
        size_t i;
        memset(wo, 0, sizeof *wo);
        vb_buf_init(&wo->lines);
        vb_phrase_index_postings(ix, put_word, wo);
        vb_buf_addf(out, "words %zu\n", wo->n);
        for (i = 0; i < wo->n; i++)
                wo->off[i] += out->len;
        vb_buf_add(out, wo->lines.ptr, wo->lines.len);
        vb_buf_release(&wo->lines);
}

void vb_phrase_index_write(struct vb_buf *out, const struct vb_phrase_index *ix)
{
        size_t i, j, base = out->len, toc, sec[NSECTIONS], *noff;
        struct words_out wo;
        vb_buf_adds(out, MAGIC "\n");
        toc = out->len;
        vb_buf_adds(out, "toc");
        for (i = 0; i < NSECTIONS; i++) {
                vb_buf_addc(out, '\t');
                add_off(out, 0);
        }
        vb_buf_addc(out, '\n');
        sec[S_NOTES] = out->len - base;
        vb_buf_addf(out, "notes %zu\n", ix->notes.n);
        noff = vb_malloc((ix->notes.n ? ix->notes.n : 1) * sizeof *noff);
        for (i = 0; i < ix->notes.n; i++) {
                const struct vb_pnote *n = ix->notes.v[i];
                noff[i] = out->len - base;
                vb_buf_adds(out, "note\t");
                put_str(out, n->id);
                vb_buf_addc(out, '\t');
                put_str(out, n->path);
                vb_buf_addc(out, '\t');
                put_oid(out, n->oid);
                vb_buf_addc(out, '\t');
                put_date(out, n->date);
                vb_buf_addc(out, '\t');
                put_str(out, n->segment ? n->segment : "");
                vb_buf_addc(out, '\t');
                put_str(out, n->tier ? n->tier : "");
                put_follows(out, n);
                vb_buf_addf(out, "\t%u", n->errors);
                put_themes(out, n->themes, n->nthemes);
                vb_buf_addf(out, "\t%zu", n->nproducts);
                for (j = 0; j < n->nproducts; j++) {
                        vb_buf_addc(out, '\t');
                        put_str(out, n->products[j]);
                        vb_buf_addc(out, '\t');
                        put_str(out, n->lines[j]);
                }
                vb_buf_addf(out, "\t%zu\n", n->nquotes);
                for (j = 0; j < n->nquotes; j++) {
                        vb_buf_addf(out, "quote\t%u", n->quotes[j].line);
                        put_themes(out, n->quotes[j].themes, n->quotes[j].nthemes);
                        vb_buf_addc(out, '\t');
                        put_str(out, n->quotes[j].text);
                        vb_buf_addc(out, '\n');
                }
        }
        sec[S_PHRASES] = out->len - base;
        vb_buf_addf(out, "phrases %zu\n", ix->nphrases);
        for (i = 0; i < ix->nphrases; i++) {
                const struct vb_phrase *p = &ix->phrases[i];
                vb_buf_adds(out, "phrase\t");
                put_str(out, p->text);
                vb_buf_addc(out, '\t');
                put_str(out, p->surface ? p->surface : p->text);
                vb_buf_addf(out, "\t%zu\t", p->nnotes);
                put_date(out, p->first);
                vb_buf_addc(out, '\t');
                put_date(out, p->last);
                put_counts(out, ix, p, VB_PHRASE_BY_SEGMENT);
                put_counts(out, ix, p, VB_PHRASE_BY_THEME);
                vb_buf_addf(out, "\t%zu", p->nocc);
                for (j = 0; j < p->nocc; j++)
                        put_ref(out, p->occ[j]);
                vb_buf_addc(out, '\n');
        }
        sec[S_CLUSTERS] = out->len - base;
        vb_buf_addf(out, "clusters %zu\n", ix->nclusters);
        for (i = 0; i < ix->nclusters; i++) {
                const struct vb_cluster *c = &ix->clusters[i];
                vb_buf_addf(out, "cluster\t%zu\t%zu", c->nmembers, c->nnotes);
                put_ref(out, c->rep);
                for (j = 0; j < c->nmembers; j++)
                        put_ref(out, c->members[j]);
                vb_buf_addc(out, '\n');
        }
        sec[S_WORDS] = out->len - base;
        put_words(out, ix, &wo);
        for (i = 0; i < wo.n; i++)
                wo.off[i] -= base;
        sec[S_CACHE] = out->len - base;
        vb_buf_adds(out, "cache\t");
        put_oid(out, ix->vocab_oid);
        vb_buf_addf(out, "\t%zu\n", ix->skipped.n);
        for (i = 0; i < ix->skipped.n; i++) {
                vb_buf_adds(out, "skip\t");
                put_oid(out, ix->skipped.v[i]->oid);
                vb_buf_addc(out, '\t');
                put_date(out, ix->skipped.v[i]->date);
                put_follows(out, ix->skipped.v[i]);
                vb_buf_addc(out, '\n');
        }
        sec[S_OFFSETS] = out->len - base;
        vb_buf_addf(out, "offsets %zu %zu\n", ix->notes.n, wo.n);
        for (i = 0; i < ix->notes.n; i++) {
                add_off(out, noff[i]);
                vb_buf_addc(out, '\n');
        }
        for (i = 0; i < wo.n; i++) {
                add_off(out, wo.off[i]);
                vb_buf_addc(out, '\n');
        }
        vb_buf_adds(out, "end\n");
        for (i = 0; i < NSECTIONS; i++) {
                put_off(out->ptr + toc + 4 + i * (OFF_DIGITS + 1), sec[i]);
        }
        free(noff);
        free(wo.off);
}

/* ---- reading ---- */

struct reader {
        const char *base;    /* the file */
        const char *p, *end; /* the rest of the file (or of a section) */
        const char *f, *le;  /* the next field of the current line, its end */
        int more;            /* the current line has another field */
        unsigned line;
        const char *why; /* what is damaged */
        int old;         /* it is an index of an older format */
        struct vb_buf tmp;
};

static int fail(struct reader *r, const char *why)
{
        if (!r->why)
                r->why = why;
        return -1;
}

/* The next line; its first field is ready. */
static int next_line(struct reader *r)
{
        const char *nl;
        if (r->p >= r->end)
                return fail(r, "it ends too early");
        nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
        if (!nl)
                return fail(r, "its last line is cut off");
        if (memchr(r->p, '\0', (size_t)(nl - r->p)))
                return fail(r, "a line holds a NUL byte");
        r->line++;
        r->f = r->p;
        r->le = nl;
        r->more = 1;
        r->p = nl + 1;
        return 0;
}

static int field(struct reader *r, const char **s, size_t *n)
{
        const char *tab;
        if (!r->more)
                return fail(r, "a line has too few fields");
        tab = memchr(r->f, '\t', (size_t)(r->le - r->f));
        *s = r->f;
        *n = (size_t)((tab ? tab : r->le) - r->f);
        r->more = tab != NULL;
        r->f = tab ? tab + 1 : r->le;
        return 0;
}

static int line_end(struct reader *r)
{
        return r->more ? fail(r, "a line has too many fields") : 0;
}

static int read_str(struct reader *r, char **out)
{
        const char *s;
        size_t n, i;
        if (field(r, &s, &n))
                return -1;
        vb_buf_reset(&r->tmp);
        for (i = 0; i < n; i++) {
                char c = s[i];
                if (c == '\\') {
                        if (++i == n)
                                return fail(r, "a text ends in a lone backslash");
                        switch (s[i]) {
                        case '\\':
                                c = '\\';
                                break;
                        case 't':
                                c = '\t';
                                break;
                        case 'n':
                                c = '\n';
                                break;
                        case 'r':
                                c = '\r';
                                break;
                        default:
                                return fail(r, "a text has an unknown escape");
                        }
                } else if (c == '\r') {
                        return fail(r, "a text holds a raw carriage return");
                }
                vb_buf_addc(&r->tmp, c);
        }
        *out = vb_strndup(r->tmp.ptr, r->tmp.len);
        return 0;
}

static int parse_u32(const char *s, size_t n, uint32_t *v)
{
        uint64_t x = 0;
        size_t i;
        if (!n || n > 10 || (n > 1 && s[0] == '0'))
                return -1;
        for (i = 0; i < n; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return -1;
                x = x * 10 + (uint64_t)(s[i] - '0');
        }
        if (x > UINT32_MAX)
                return -1;
        *v = (uint32_t)x;
        return 0;
}

static int read_u32(struct reader *r, uint32_t *v)
{
        const char *s;
        size_t n;
        if (field(r, &s, &n))
                return -1;
        return parse_u32(s, n, v) ? fail(r, "a number is not valid") : 0;
}

static int read_keyword(struct reader *r, const char *kw)
{
        const char *s;
        size_t n;
        if (field(r, &s, &n))
                return -1;
        return n == strlen(kw) && !memcmp(s, kw, n) ? 0 : fail(r, "a record has the wrong kind");
}

/* "WORD N" on a line of its own. */
static int read_section(struct reader *r, const char *word, uint32_t *count)
{
        size_t wl = strlen(word), n;
        if (next_line(r))
                return -1;
        n = (size_t)(r->le - r->f);
        if (n <= wl + 1 || memcmp(r->f, word, wl) || r->f[wl] != ' ' ||
            parse_u32(r->f + wl + 1, n - wl - 1, count))
                return fail(r, "a section header is missing");
        /* every record is a line of at least 2 bytes: a count the rest of
         * the file cannot hold is refused before it is used */
        if (*count > (size_t)(r->end - r->p) / 2)
                return fail(r, "a count is larger than the file");
        return 0;
}

static int read_date(struct reader *r, struct vb_date *d)
{
        const char *s;
        size_t n, i;
        memset(d, 0, sizeof *d);
        if (field(r, &s, &n))
                return -1;
        if (!n)
                return 0;
        if (n != 10 || s[4] != '-' || s[7] != '-')
                return fail(r, "a date is not valid");
        for (i = 0; i < n; i++)
                if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
                        return fail(r, "a date is not valid");
        d->year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
        d->month = (s[5] - '0') * 10 + (s[6] - '0');
        d->day = (s[8] - '0') * 10 + (s[9] - '0');
        if (d->year < 1 || d->month < 1 || d->month > 12 || d->day < 1 || d->day > 31)
                return fail(r, "a date is not valid");
        return 0;
}

static int hexval(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        return -1;
}

static int read_oid(struct reader *r, unsigned char oid[20])
{
        const char *s;
        size_t n, i;
        if (field(r, &s, &n))
                return -1;
        if (n != 40)
                return fail(r, "a content id is not 40 hex digits");
        for (i = 0; i < 20; i++) {
                int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
                if (hi < 0 || lo < 0)
                        return fail(r, "a content id is not 40 hex digits");
                oid[i] = (unsigned char)(hi << 4 | lo);
        }
        return 0;
}

static int read_themes(struct reader *r, char ***v, size_t *n)
{
        uint32_t count, i;
        if (read_u32(r, &count))
                return -1;
        for (i = 0; i < count; i++) {
                char *s;
                if (read_str(r, &s))
                        return -1;
                *v = vb_realloc(*v, (*n + 1) * sizeof **v);
                (*v)[(*n)++] = s;
        }
        return 0;
}

static int read_ref(struct reader *r, const struct vb_phrase_index *ix, struct vb_phrase_ref *ref)
{
        const char *s, *colon;
        size_t n;
        if (field(r, &s, &n))
                return -1;
        colon = memchr(s, ':', n);
        if (!colon || parse_u32(s, (size_t)(colon - s), &ref->note) ||
            parse_u32(colon + 1, n - (size_t)(colon - s) - 1, &ref->quote))
                return fail(r, "a quote reference is not valid");
        if (ref->note >= ix->notes.n || ref->quote >= ix->notes.v[ref->note]->nquotes)
                return fail(r, "a quote reference points nowhere");
        return 0;
}

static int ref_less(struct vb_phrase_ref a, struct vb_phrase_ref b)
{
        return a.note < b.note || (a.note == b.note && a.quote < b.quote);
}

/* Reads `count` references, strictly ascending; counts distinct notes. */
static int read_refs(struct reader *r, const struct vb_phrase_index *ix, uint32_t count,
                     struct vb_phrase_ref **out, size_t *nout, size_t *nnotes)
{
        uint32_t i;
        *nnotes = 0;
        for (i = 0; i < count; i++) {
                struct vb_phrase_ref ref;
                if (read_ref(r, ix, &ref))
                        return -1;
                if (i && !ref_less((*out)[i - 1], ref))
                        return fail(r, "quote references are not in order");
                if (!i || (*out)[i - 1].note != ref.note)
                        (*nnotes)++;
                *out = vb_realloc(*out, (i + 1) * sizeof **out);
                (*out)[i] = ref;
                *nout = i + 1;
        }
        return 0;
}

static int note_less_eq(const struct vb_pnote *a, const struct vb_pnote *b)
{
        int c = strcmp(a->id, b->id);
        return c < 0 || (c == 0 && strcmp(a->path, b->path) <= 0);
}

/* "FOLLOWS FLINE FCOL" into n. */
static int read_follows(struct reader *r, struct vb_pnote *n)
{
        char *f = NULL;
        uint32_t line, col;
        if (read_str(r, &f) || read_u32(r, &line) || read_u32(r, &col)) {
                free(f);
                return -1;
        }
        if (!*f != !line) {
                free(f);
                return fail(r, "a follows: has no place, or a place without follows:");
        }
        vb_pnote_set_follows(n, f, line, col);
        free(f);
        return 0;
}

/* A note line and its quote lines into *out (owned by the caller). */
static int parse_note(struct reader *r, struct vb_pnote **out)
{
        struct vb_pnote *n = vb_calloc(1, sizeof *n);
        uint32_t nq, np, i, errors;
        char *seg = NULL;
        if (next_line(r) || read_keyword(r, "note") || read_str(r, &n->id) ||
            read_str(r, &n->path) || read_oid(r, n->oid) || read_date(r, &n->date) ||
            read_str(r, &seg) || read_str(r, &n->tier) || read_follows(r, n) ||
            read_u32(r, &errors))
                goto fail;
        n->errors = errors;
        if (*seg)
                n->segment = seg, seg = NULL;
        if (!*n->tier) {
                free(n->tier);
                n->tier = NULL;
        }
        if (read_themes(r, &n->themes, &n->nthemes) || read_u32(r, &np))
                goto fail;
        for (i = 0; i < np; i++) {
                char *id = NULL, *line = NULL;
                if (read_str(r, &id) || read_str(r, &line)) {
                        free(id);
                        goto fail;
                }
                vb_pnote_add_product(n, id, line);
                free(id);
                free(line);
        }
        if (read_u32(r, &nq) || line_end(r))
                goto fail;
        if (nq > (size_t)(r->end - r->p) / 2) {
                fail(r, "a count is larger than the file");
                goto fail;
        }
        for (i = 0; i < nq; i++) {
                struct vb_pquote *q;
                uint32_t line;
                if (next_line(r) || read_keyword(r, "quote") || read_u32(r, &line))
                        goto fail;
                q = vb_pnote_add_quote(n, "", line);
                free(q->text);
                q->text = NULL;
                if (read_themes(r, &q->themes, &q->nthemes) || read_str(r, &q->text) || line_end(r))
                        goto fail;
        }
        free(seg);
        *out = n;
        return 0;
fail:
        free(seg);
        vb_pnote_free(n);
        return -1;
}

static int read_note(struct reader *r, struct vb_phrase_index *ix)
{
        struct vb_pnote *n;
        if (parse_note(r, &n))
                return -1;
        if (ix->notes.n && !note_less_eq(ix->notes.v[ix->notes.n - 1], n)) {
                vb_pnote_free(n);
                return fail(r, "the notes are not in order");
        }
        vb_pnotes_add(&ix->notes, n); /* complete: its oid is known */
        return 0;
}

static int read_cache(struct reader *r, struct vb_phrase_index *ix)
{
        uint32_t count, i;
        if (next_line(r) || read_keyword(r, "cache") || read_oid(r, ix->vocab_oid) ||
            read_u32(r, &count) || line_end(r))
                return -1;
        for (i = 0; i < count; i++) {
                unsigned char oid[20];
                struct vb_date date;
                struct vb_pnote *n;
                if (next_line(r) || read_keyword(r, "skip") || read_oid(r, oid) ||
                    read_date(r, &date))
                        return -1;
                n = vb_pnote_new(NULL, NULL, oid, date, NULL);
                if (read_follows(r, n) || line_end(r)) {
                        vb_pnote_free(n);
                        return -1;
                }
                if (i && memcmp(ix->skipped.v[i - 1]->oid, oid, 20) >= 0) {
                        vb_pnote_free(n);
                        return fail(r, "the skipped content ids are not in order");
                }
                vb_pnotes_add(&ix->skipped, n);
        }
        return 0;
}

/* The first and last date of the dated notes of references. */
static void ref_dates(const struct vb_phrase_index *ix, const struct vb_phrase_ref *v, size_t n,
                      struct vb_date *first, struct vb_date *last)
{
        size_t i;
        memset(first, 0, sizeof *first);
        memset(last, 0, sizeof *last);
        for (i = 0; i < n; i++)
                vb_date_widen(first, last, ix->notes.v[v[i].note]->date);
}

/* Frees counts read by read_counts (their keys are owned). */
static void counts_free(struct vb_phrase_counts *c)
{
        size_t i;
        for (i = 0; i < c->n; i++)
                free((char *)c->v[i].key);
        free(c->v);
        memset(c, 0, sizeof *c);
}

/* "N (KEY COUNT)..." into c (keys owned: counts_free): keys distinct, ordered
 * by notes desc, key asc, every count at least 1. */
static int read_counts(struct reader *r, struct vb_phrase_counts *c)
{
        uint32_t n, i, v;
        if (read_u32(r, &n))
                return -1;
        if (n > (size_t)(r->le - r->f) / 2 + 1)
                return fail(r, "a count is larger than the file");
        c->v = vb_calloc(n ? n : 1, sizeof *c->v);
        c->cap = n;
        for (i = 0; i < n; i++) {
                char *key;
                if (read_str(r, &key))
                        return -1;
                c->v[c->n].key = key;
                c->n++;
                if (read_u32(r, &v))
                        return -1;
                c->v[i].nnotes = v;
                if (!v || (i && (c->v[i - 1].nnotes < v ||
                                 (c->v[i - 1].nnotes == v && strcmp(c->v[i - 1].key, key) >= 0))))
                        return fail(r, "a phrase's counts are not in order");
        }
        return 0;
}

static int same_counts(const struct vb_phrase_counts *a, const struct vb_phrase_counts *b)
{
        size_t i;
        if (a->n != b->n)
                return 0;
        for (i = 0; i < a->n; i++)
                if (a->v[i].nnotes != b->v[i].nnotes || strcmp(a->v[i].key, b->v[i].key))
                        return 0;
        return 1;
}

/* The key, surface, counts and dates of a phrase line (up to NOCC) into p,
 * checked against one another; the counts into c[2] (keys owned). */
static int read_phrase_head(struct reader *r, struct vb_phrase *p, uint32_t *nnotes, uint32_t *nocc,
                            struct vb_phrase_counts c[2])
{
        size_t i;
        if (next_line(r) || read_keyword(r, "phrase") || read_str(r, &p->text) ||
            read_str(r, &p->surface) || read_u32(r, nnotes) || read_date(r, &p->first) ||
            read_date(r, &p->last) || read_counts(r, &c[0]) || read_counts(r, &c[1]) ||
            read_u32(r, nocc))
                return -1;
        p->nnotes = *nnotes;
        p->nwords = 1;
        for (i = 0; p->text[i]; i++)
                p->nwords += p->text[i] == ' ';
        if (!p->text[0] || p->text[0] == ' ' || p->text[i - 1] == ' ' || strstr(p->text, "  ") ||
            p->nwords < VB_PHRASE_MIN_WORDS || p->nwords > VB_PHRASE_MAX_WORDS)
                return fail(r, "a phrase does not have 2 to 6 words");
        if (*nnotes < 2 || *nocc < *nnotes)
                return fail(r, "a phrase's note count does not match its quotes");
        vb_buf_reset(&r->tmp);
        vb_phrase_normalize(&r->tmp, p->surface, strlen(p->surface));
        if (strcmp(r->tmp.ptr, p->text))
                return fail(r, "a phrase's words as written are not its words");
        return 0;
}

static int read_phrase(struct reader *r, struct vb_phrase_index *ix)
{
        struct vb_phrase *p;
        struct vb_date first, last;
        uint32_t nnotes, nocc;
        size_t counted;
        struct vb_phrase_counts c[2], want = {0, 0, 0};
        int rc = -1, by;
        memset(c, 0, sizeof c);
        ix->phrases = vb_realloc(ix->phrases, (ix->nphrases + 1) * sizeof *ix->phrases);
        p = &ix->phrases[ix->nphrases++];
        memset(p, 0, sizeof *p);
        if (read_phrase_head(r, p, &nnotes, &nocc, c) ||
            read_refs(r, ix, nocc, &p->occ, &p->nocc, &counted) || line_end(r))
                goto done;
        if (counted != nnotes) {
                fail(r, "a phrase's note count does not match its quotes");
                goto done;
        }
        ref_dates(ix, p->occ, p->nocc, &first, &last);
        if (vb_date_cmp(first, p->first) || vb_date_cmp(last, p->last)) {
                fail(r, "a phrase's dates do not match its notes");
                goto done;
        }
        for (by = VB_PHRASE_BY_SEGMENT; by <= VB_PHRASE_BY_THEME; by++) {
                vb_phrase_counts(&want, ix, p, NULL, (enum vb_phrase_by)by);
                if (!same_counts(&want, &c[by])) {
                        free(want.v);
                        fail(r, "a phrase's counts do not match its quotes");
                        goto done;
                }
                free(want.v);
                memset(&want, 0, sizeof want);
        }
        rc = 0;
done:
        counts_free(&c[0]);
        counts_free(&c[1]);
        return rc;
}

static int read_cluster(struct reader *r, struct vb_phrase_index *ix)
{
        struct vb_cluster *c;
        uint32_t size, nnotes;
        size_t counted, i;
        ix->clusters = vb_realloc(ix->clusters, (ix->nclusters + 1) * sizeof *ix->clusters);
        c = &ix->clusters[ix->nclusters++];
        memset(c, 0, sizeof *c);
        if (next_line(r) || read_keyword(r, "cluster") || read_u32(r, &size) ||
            read_u32(r, &nnotes) || read_ref(r, ix, &c->rep) ||
            read_refs(r, ix, size, &c->members, &c->nmembers, &counted) || line_end(r))
                return -1;
        c->nnotes = nnotes;
        if (size < 2 || counted != nnotes)
                return fail(r, "a cluster's counts do not match its quotes");
        for (i = 0; i < c->nmembers; i++)
                if (c->members[i].note == c->rep.note && c->members[i].quote == c->rep.quote)
                        return 0;
        return fail(r, "a cluster's representative is not one of its quotes");
}

/* "word WORD NREFS REF..." into word (r->tmp) and, when `n`, its number of
 * references, and when `refs` too, the references (ascending, each note <
 * nnotes; the quote is checked where the note is read). */
static int read_word(struct reader *r, uint32_t nnotes, struct vb_phrase_ref **refs, size_t *n)
{
        const char *s;
        size_t len, i;
        uint32_t count;
        if (next_line(r) || read_keyword(r, "word") || field(r, &s, &len))
                return -1;
        if (!len || memchr(s, '\\', len))
                return fail(r, "a word is not valid");
        vb_buf_reset(&r->tmp);
        vb_buf_add(&r->tmp, s, len);
        if (!n)
                return 0;
        if (read_u32(r, &count))
                return -1;
        if (!count || count > (size_t)(r->le - r->f) / 4 + 1)
                return fail(r, "a count is larger than the file");
        if (!refs) {
                *n = count;
                return 0;
        }
        *refs = vb_malloc(count * sizeof **refs);
        *n = count;
        for (i = 0; i < count; i++) {
                const char *colon;
                struct vb_phrase_ref *ref = &(*refs)[i];
                if (field(r, &s, &len))
                        return -1;
                colon = memchr(s, ':', len);
                if (!colon || parse_u32(s, (size_t)(colon - s), &ref->note) ||
                    parse_u32(colon + 1, len - (size_t)(colon - s) - 1, &ref->quote))
                        return fail(r, "a quote reference is not valid");
                if (ref->note >= nnotes)
                        return fail(r, "a quote reference points nowhere");
                if (i && !ref_less((*refs)[i - 1], *ref))
                        return fail(r, "quote references are not in order");
        }
        return line_end(r);
}

/* The words section, checked whole: words in strictly ascending byte order,
 * references valid.  Their line offsets into *off (count words). */
static int read_words(struct reader *r, const struct vb_phrase_index *ix, size_t **off,
                      uint32_t *count)
{
        struct vb_buf prev = VB_BUF_INIT;
        uint32_t i;
        int rc = 0;
        if (read_section(r, "words", count))
                return -1;
        *off = vb_malloc((*count ? *count : 1) * sizeof **off);
        for (i = 0; i < *count && !rc; i++) {
                struct vb_phrase_ref *refs = NULL;
                size_t n = 0, j;
                (*off)[i] = (size_t)(r->p - r->base);
                rc = read_word(r, (uint32_t)ix->notes.n, &refs, &n);
                for (j = 0; !rc && j < n; j++)
                        if (refs[j].quote >= ix->notes.v[refs[j].note]->nquotes)
                                rc = fail(r, "a quote reference points nowhere");
                if (!rc && i && strcmp(prev.ptr, r->tmp.ptr) >= 0)
                        rc = fail(r, "the words are not in order");
                vb_buf_reset(&prev);
                vb_buf_add(&prev, r->tmp.ptr, r->tmp.len);
                free(refs);
        }
        vb_buf_release(&prev);
        return rc;
}

/* Parses an offset at s (put_off): 0, -1 when it is not one, -2 when it is
 * not below `max`. */
static int parse_off(const char *s, size_t max, size_t *v)
{
        size_t i, x = 0;
        for (i = 0; i < OFF_DIGITS; i++) {
                if (s[i] < 'a' || s[i] > 'p')
                        return -1;
                x = x << 4 | (size_t)(s[i] - 'a');
        }
        *v = x;
        return x < max ? 0 : -2;
}

/* "toc OFF..." of the second line: the section offsets, ascending, in the
 * file. */
static int read_toc(struct reader *r, size_t sec[NSECTIONS])
{
        size_t i, len = (size_t)(r->end - r->base);
        if (next_line(r))
                return -1;
        if ((size_t)(r->le - r->f) != 3 + NSECTIONS * (OFF_DIGITS + 1) || memcmp(r->f, "toc", 3))
                return fail(r, "the table of contents is missing");
        for (i = 0; i < NSECTIONS; i++) {
                const char *f = r->f + 3 + i * (OFF_DIGITS + 1);
                int rc = f[0] == '\t' ? parse_off(f + 1, len, &sec[i]) : -1;
                if (rc == -2)
                        return fail(r, "it ends too early");
                if (rc || sec[i] < (size_t)(r->p - r->base) || (i && sec[i] <= sec[i - 1]))
                        return fail(r, "the table of contents is not valid");
        }
        return 0;
}

/* The first line: the format's magic. */
static int read_magic(struct reader *r)
{
        if (next_line(r))
                return -1;
        if ((size_t)(r->le - r->f) == strlen(MAGIC) && r->f[strlen(MAGIC_HEAD)] >= '1' &&
            r->f[strlen(MAGIC_HEAD)] < MAGIC[strlen(MAGIC_HEAD)] &&
            !memcmp(r->f, MAGIC_HEAD, strlen(MAGIC_HEAD))) {
                r->old = 1;
                return fail(r, "an older format");
        }
        if ((size_t)(r->le - r->f) != strlen(MAGIC) || memcmp(r->f, MAGIC, strlen(MAGIC)))
                return fail(r, "it does not start with \"" MAGIC "\"");
        return 0;
}

static int at_section(struct reader *r, const size_t sec[NSECTIONS], int i)
{
        return (size_t)(r->p - r->base) == sec[i]
                   ? 0
                   : fail(r, "a section is not where the table of contents says");
}

static void damaged(const struct reader *r, const char *path, struct vb_diags *d)
{
        if (r->old)
                vb_diags_add(d, path ? path : "", 1, 0, VB_SEV_ERROR, "old-index",
                             "the index file is of an older format, without what this "
                             "version reads; run verbatim index again");
        else
                vb_diags_add(d, path ? path : "", r->line, 0, VB_SEV_ERROR, "damaged-index",
                             "the index file is damaged (%s); run verbatim index again",
                             r->why ? r->why : "it cannot be read");
}

/* The start of a file up to the phrases: the magic, the table of contents
 * and the notes (each note line's offset into *noff, which the caller frees,
 * when noff is not NULL).  0, or -1 when damaged. */
static int read_to_phrases(struct reader *r, struct vb_phrase_index *out, const char *buf,
                           size_t len, size_t sec[NSECTIONS], size_t **noff)
{
        uint32_t count, i;
        memset(out, 0, sizeof *out);
        memset(r, 0, sizeof *r);
        vb_buf_init(&r->tmp);
        r->base = r->p = buf;
        r->end = buf + len;
        if (read_magic(r) || read_toc(r, sec) || at_section(r, sec, S_NOTES) ||
            read_section(r, "notes", &count))
                return -1;
        if (noff)
                *noff = vb_malloc((count ? count : 1) * sizeof **noff);
        for (i = 0; i < count; i++) {
                if (noff)
                        (*noff)[i] = (size_t)(r->p - r->base);
                if (read_note(r, out))
                        return -1;
        }
        return at_section(r, sec, S_PHRASES);
}

int vb_phrase_index_read(struct vb_phrase_index *out, const char *buf, size_t len, const char *path,
                         struct vb_diags *d)
{
        struct reader r;
        uint32_t count, i, nwords = 0, nn, nw;
        size_t sec[NSECTIONS], *noff = NULL, *woff = NULL;
        if (read_to_phrases(&r, out, buf, len, sec, &noff) || read_section(&r, "phrases", &count))
                goto damaged;
        for (i = 0; i < count; i++)
                if (read_phrase(&r, out))
                        goto damaged;
        if (at_section(&r, sec, S_CLUSTERS) || read_section(&r, "clusters", &count))
                goto damaged;
        for (i = 0; i < count; i++)
                if (read_cluster(&r, out))
                        goto damaged;
        if (at_section(&r, sec, S_WORDS) || read_words(&r, out, &woff, &nwords))
                goto damaged;
        {
                /* the words must be those of the quotes: the view trusts them */
                struct vb_buf want = VB_BUF_INIT;
                struct words_out wo;
                int same;
                put_words(&want, out, &wo);
                same = want.len == sec[S_CACHE] - sec[S_WORDS] &&
                       !memcmp(want.ptr, buf + sec[S_WORDS], want.len);
                free(wo.off);
                vb_buf_release(&want);
                if (!same) {
                        fail(&r, "the words do not match the quotes");
                        goto damaged;
                }
        }
        if (at_section(&r, sec, S_CACHE) || read_cache(&r, out))
                goto damaged;
        if (at_section(&r, sec, S_OFFSETS) || next_line(&r))
                goto damaged;
        vb_buf_reset(&r.tmp);
        vb_buf_add(&r.tmp, r.f, (size_t)(r.le - r.f));
        if (sscanf(r.tmp.ptr, "offsets %u %u", &nn, &nw) != 2 || nn != out->notes.n ||
            nw != nwords) {
                fail(&r, "the offsets do not match the notes and words");
                goto damaged;
        }
        for (i = 0; i < nn + nw; i++) {
                size_t v;
                if (next_line(&r))
                        goto damaged;
                if (r.le - r.f != OFF_DIGITS || parse_off(r.f, len, &v) ||
                    v != (i < nn ? noff[i] : woff[i - nn])) {
                        fail(&r, "the offsets do not match the notes and words");
                        goto damaged;
                }
        }
        if (next_line(&r) || r.le - r.f != 3 || memcmp(r.f, "end", 3)) {
                fail(&r, "the end line is missing");
                goto damaged;
        }
        if (r.p != r.end) {
                fail(&r, "there is text after the end line");
                goto damaged;
        }
        free(noff);
        free(woff);
        vb_buf_release(&r.tmp);
        return VB_OK;
damaged:
        damaged(&r, path, d);
        free(noff);
        free(woff);
        vb_buf_release(&r.tmp);
        vb_phrase_index_release(out);
        return VB_ERR;
}

int vb_phrase_index_read_notes(struct vb_phrase_index *out, const char *buf, size_t len,
                               const char *path, struct vb_diags *d)
{
        struct reader r;
        size_t sec[NSECTIONS];
        if (read_to_phrases(&r, out, buf, len, sec, NULL))
                goto damaged;
        r.p = buf + sec[S_CACHE]; /* the phrases, clusters and words are not needed */
        if (read_cache(&r, out) || at_section(&r, sec, S_OFFSETS))
                goto damaged;
        vb_buf_release(&r.tmp);
        return VB_OK;
damaged:
        damaged(&r, path, d);
        vb_buf_release(&r.tmp);
        vb_phrase_index_release(out);
        return VB_ERR;
}

/* ---- the view: the file used in place ---- */

struct vb_phrase_view {
        const char *buf; /* borrowed: the file */
        size_t len;
        size_t sec[NSECTIONS];
        uint32_t nnotes, nwords;
        const char *offsets; /* the first offset line */
        const char *why;     /* what is damaged, found lazily */
        struct vb_buf tmp;
};

void vb_pview_damage(struct vb_phrase_view *v, const char *why)
{
        if (!v->why)
                v->why = why;
}

void vb_pview_free(struct vb_phrase_view *v)
{
        if (!v)
                return;
        vb_buf_release(&v->tmp);
        free(v);
}

/* A reader over the line at entry `i` of the offsets, which must lie in
 * section `s` (before the next one). */
static int view_reader(struct vb_phrase_view *v, struct reader *r, size_t i, int s)
{
        size_t off;
        memset(r, 0, sizeof *r);
        r->tmp = v->tmp;
        r->base = v->buf;
        if (parse_off(v->offsets + i * (OFF_DIGITS + 1), v->sec[s + 1], &off) || off <= v->sec[s]) {
                vb_pview_damage(v, "an offset points outside its section");
                return -1;
        }
        r->p = v->buf + off;
        r->end = v->buf + v->sec[s + 1];
        return 0;
}

const struct vb_pnote *vb_pview_note(struct vb_phrase_view *v, struct vb_pnotes *notes, uint32_t i)
{
        struct reader r;
        struct vb_pnote *n = NULL;
        if (i >= v->nnotes || i >= notes->n) {
                vb_pview_damage(v, "a quote reference points nowhere");
                return NULL;
        }
        if (notes->v[i])
                return notes->v[i];
        if (view_reader(v, &r, i, S_NOTES))
                return NULL;
        if (parse_note(&r, &n))
                vb_pview_damage(v, r.why);
        v->tmp = r.tmp;
        notes->v[i] = n;
        return n;
}

/* The unescaped text of the last field of the current line into r->tmp. */
static int last_field_text(struct reader *r)
{
        const char *tab = r->le;
        char *text;
        while (tab > r->f && tab[-1] != '\t')
                tab--;
        r->f = tab;
        r->more = 1;
        if (read_str(r, &text))
                return -1;
        free(text);
        return 0;
}

const char *vb_pview_quote_text(struct vb_phrase_view *v, const struct vb_pnotes *notes,
                                struct vb_phrase_ref ref)
{
        struct reader r;
        const char *tab;
        uint32_t nq, i;
        if (ref.note >= v->nnotes || ref.note >= notes->n) {
                vb_pview_damage(v, "a quote reference points nowhere");
                return NULL;
        }
        if (notes->v[ref.note]) {
                const struct vb_pnote *n = notes->v[ref.note];
                if (ref.quote < n->nquotes)
                        return n->quotes[ref.quote].text;
                vb_pview_damage(v, "a quote reference points nowhere");
                return NULL;
        }
        if (view_reader(v, &r, ref.note, S_NOTES))
                return NULL;
        if (next_line(&r) || read_keyword(&r, "note"))
                goto damaged;
        for (tab = r.le; tab > r.f && tab[-1] != '\t'; tab--)
                ;
        if (parse_u32(tab, (size_t)(r.le - tab), &nq) || ref.quote >= nq) {
                fail(&r, "a quote reference points nowhere");
                goto damaged;
        }
        for (i = 0; i <= ref.quote; i++)
                if (next_line(&r) || read_keyword(&r, "quote"))
                        goto damaged;
        if (last_field_text(&r))
                goto damaged;
        v->tmp = r.tmp;
        return v->tmp.ptr;
damaged:
        vb_pview_damage(v, r.why);
        v->tmp = r.tmp;
        return NULL;
}

int vb_pview_postings(struct vb_phrase_view *v, const char *word, size_t len,
                      struct vb_phrase_ref **out, size_t *n)
{
        uint32_t lo = 0, hi = v->nwords;
        if (out)
                *out = NULL;
        *n = 0;
        while (lo < hi) {
                uint32_t mid = lo + (hi - lo) / 2;
                struct reader r;
                int c;
                if (view_reader(v, &r, v->nnotes + (size_t)mid, S_WORDS))
                        return -1;
                if (read_word(&r, v->nnotes, NULL, NULL)) {
                        vb_pview_damage(v, r.why);
                        v->tmp = r.tmp;
                        return -1;
                }
                c = memcmp(r.tmp.ptr, word, r.tmp.len < len ? r.tmp.len : len);
                if (!c)
                        c = r.tmp.len < len ? -1 : r.tmp.len > len;
                v->tmp = r.tmp;
                if (c < 0) {
                        lo = mid + 1;
                } else if (c > 0) {
                        hi = mid;
                } else {
                        view_reader(v, &r, v->nnotes + (size_t)mid, S_WORDS);
                        if (read_word(&r, v->nnotes, out, n)) {
                                vb_pview_damage(v, r.why);
                                if (out) {
                                        free(*out);
                                        *out = NULL;
                                }
                                *n = 0;
                        }
                        v->tmp = r.tmp;
                        return v->why ? -1 : 0;
                }
        }
        return 0;
}

int vb_phrase_index_open(struct vb_phrase_index *out, const char *buf, size_t len, const char *path,
                         struct vb_diags *d)
{
        struct reader r;
        struct vb_phrase_view *v = vb_calloc(1, sizeof *v);
        uint32_t count, nn, nw;
        size_t need;
        memset(out, 0, sizeof *out);
        memset(&r, 0, sizeof r);
        vb_buf_init(&r.tmp);
        vb_buf_init(&v->tmp);
        r.base = r.p = buf;
        r.end = buf + len;
        v->buf = buf;
        v->len = len;
        if (read_magic(&r) || read_toc(&r, v->sec))
                goto damaged;
        r.p = buf + v->sec[S_NOTES];
        if (read_section(&r, "notes", &count))
                goto damaged;
        r.p = buf + v->sec[S_OFFSETS];
        if (next_line(&r))
                goto damaged;
        vb_buf_reset(&r.tmp);
        vb_buf_add(&r.tmp, r.f, (size_t)(r.le - r.f));
        if (sscanf(r.tmp.ptr, "offsets %u %u", &nn, &nw) != 2 || nn != count) {
                fail(&r, "the offsets do not match the notes and words");
                goto damaged;
        }
        /* the offsets, then "end\n", fill the rest of the file */
        need = ((size_t)nn + nw) * (OFF_DIGITS + 1) + 4;
        if ((size_t)(r.end - r.p) != need || memcmp(r.end - 4, "end\n", 4)) {
                fail(&r, "the offsets do not fill the end of the file");
                goto damaged;
        }
        v->nnotes = nn;
        v->nwords = nw;
        v->offsets = r.p;
        vb_buf_release(&r.tmp);
        out->view = v;
        out->notes.n = out->notes.cap = nn;
        out->notes.v = vb_calloc(nn ? nn : 1, sizeof *out->notes.v);
        return VB_OK;
damaged:
        damaged(&r, path, d);
        vb_buf_release(&r.tmp);
        vb_pview_free(v);
        return VB_ERR;
}

int vb_phrase_index_read_phrases(struct vb_phrase_index *ix, const char *path, struct vb_diags *d)
{
        struct vb_phrase_view *v = ix->view;
        struct reader r;
        uint32_t count, i, nnotes, nocc;
        if (!v || ix->phrases)
                return VB_OK;
        memset(&r, 0, sizeof r);
        r.tmp = v->tmp;
        r.base = v->buf;
        r.p = v->buf + v->sec[S_PHRASES];
        r.end = v->buf + v->sec[S_CLUSTERS];
        if (read_section(&r, "phrases", &count))
                goto damaged;
        ix->phrases = vb_calloc(count ? count : 1, sizeof *ix->phrases);
        for (i = 0; i < count; i++) {
                struct vb_phrase *p = &ix->phrases[i];
                ix->nphrases = i + 1;
                p->stored = vb_calloc(2, sizeof *p->stored);
                if (read_phrase_head(&r, p, &nnotes, &nocc, p->stored))
                        goto damaged;
                p->nocc = nocc; /* the references are not read */
        }
        v->tmp = r.tmp;
        return VB_OK;
damaged:
        v->tmp = r.tmp;
        vb_diags_add(d, path ? path : "", 0, 0, VB_SEV_ERROR, "damaged-index",
                     "the index file is damaged (%s); run verbatim index again",
                     r.why ? r.why : "it cannot be read");
        return VB_ERR;
}

void vb_phrase_stored_free(struct vb_phrase_counts *c)
{
        if (!c)
                return;
        counts_free(&c[0]);
        counts_free(&c[1]);
        free(c);
}

int vb_phrase_index_damaged(const struct vb_phrase_index *ix, const char *path, struct vb_diags *d)
{
        if (!ix->view || !ix->view->why)
                return VB_OK;
        vb_diags_add(d, path ? path : "", 0, 0, VB_SEV_ERROR, "damaged-index",
                     "the index file is damaged (%s); run verbatim index again", ix->view->why);
        return VB_ERR;
}
