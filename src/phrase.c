/* The phrase index: words, recurring maximal phrases, clusters of similar
 * quotes and search (the rules are documented in phrase.h).
 *
 * Counting scales by levels (apriori): an n-gram can occur in 2 notes only if
 * both its (n-1)-word prefix and suffix do, so level n only counts the
 * positions whose two (n-1)-grams recur.  N-grams are sequences of interned
 * word ids, hashed to 64 bits and verified against the tokens of their first
 * occurrence, so no n-gram string is built until a phrase is kept. */
#include "verbatim/phrase.h"
#include "phrase_int.h"
#include "verbatim/vocab.h"
#include "verbatim/utf8.h"

#include <stdlib.h>
#include <string.h>

/* qsort that accepts an empty or NULL array. */
static void sort_n(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
        if (n > 1)
                qsort(base, n, size, cmp);
}

static void sort_r(void *base, size_t n, size_t size,
                   int (*cmp)(const void *, const void *, void *), void *arg)
{
        if (n > 1)
                qsort_r(base, n, size, cmp, arg);
}

/* ---- note records ---- */

/* Appends `s` to v[0..n): a copy, or the pointer itself when `borrow`. */
static void add_string(char ***v, size_t *n, const char *s, int borrow)
{
        *v = vb_realloc(*v, (*n + 1) * sizeof **v);
        (*v)[(*n)++] = borrow ? (char *)s : vb_strdup(s);
}

/* A note record that copies its strings, or borrows them when `borrow`. */
static struct vb_pnote *pnote_new(const char *id, const char *path, const unsigned char oid[20],
                                  struct vb_date date, const char *segment, int borrow)
{
        struct vb_pnote *n = vb_calloc(1, sizeof *n);
        id = id ? id : "";
        path = path ? path : "";
        segment = segment && *segment ? segment : NULL;
        n->borrowed = borrow;
        n->id = borrow ? (char *)id : vb_strdup(id);
        n->path = borrow ? (char *)path : vb_strdup(path);
        n->segment = borrow || !segment ? (char *)segment : vb_strdup(segment);
        if (oid)
                memcpy(n->oid, oid, sizeof n->oid);
        n->date = date;
        return n;
}

const char *vb_phrase_segment(const struct vb_vocab *v, const struct vb_note *n)
{
        const char *s = n->segment.value;
        return s && *s ? vb_vocab_segment_key(v, s) : NULL;
}

struct vb_pnote *vb_pnote_new(const char *id, const char *path, const unsigned char oid[20],
                              struct vb_date date, const char *segment)
{
        return pnote_new(id, path, oid, date, segment, 0);
}

struct vb_pnote *vb_pnote_new_borrowing(const char *id, const char *path,
                                        const unsigned char oid[20], struct vb_date date,
                                        const char *segment)
{
        return pnote_new(id, path, oid, date, segment, 1);
}

struct vb_pnote *vb_pnote_new_block(const char *id, const char *path, struct vb_date date,
                                    const char *segment, const char *const *themes, size_t nthemes,
                                    const struct vb_pquote_in *quotes, size_t nquotes)
{
        /* the struct, the quotes, then every array of theme pointers */
        size_t nptr = nthemes;
        for (size_t i = 0; i < nquotes; i++)
                nptr += quotes[i].nthemes;
        size_t at_quotes = (sizeof(struct vb_pnote) + 15) & ~(size_t)15;
        size_t at_ptrs = at_quotes + nquotes * sizeof(struct vb_pquote);
        char *block = vb_calloc(1, at_ptrs + nptr * sizeof(char *));
        struct vb_pnote *n = (struct vb_pnote *)block;
        char **ptr = (char **)(block + at_ptrs);
        n->borrowed = n->block = 1;
        n->id = (char *)(id ? id : "");
        n->path = (char *)(path ? path : "");
        n->segment = segment && *segment ? (char *)segment : NULL;
        n->date = date;
        n->themes = nthemes ? ptr : NULL;
        for (size_t k = 0; k < nthemes; k++)
                *ptr++ = (char *)themes[k];
        n->nthemes = nthemes;
        n->quotes = nquotes ? (struct vb_pquote *)(block + at_quotes) : NULL;
        n->nquotes = nquotes;
        for (size_t i = 0; i < nquotes; i++) {
                struct vb_pquote *q = &n->quotes[i];
                q->text = (char *)(quotes[i].text ? quotes[i].text : "");
                q->line = quotes[i].line;
                q->borrowed = 1;
                q->themes = quotes[i].nthemes ? ptr : NULL;
                for (size_t k = 0; k < quotes[i].nthemes; k++)
                        *ptr++ = (char *)quotes[i].themes[k];
                q->nthemes = quotes[i].nthemes;
        }
        return n;
}

void vb_pnote_add_theme(struct vb_pnote *n, const char *theme)
{
        add_string(&n->themes, &n->nthemes, theme, n->borrowed);
}

void vb_pnote_set_tier(struct vb_pnote *n, const char *tier)
{
        if (!n->borrowed)
                free(n->tier);
        n->tier = n->borrowed || !tier ? (char *)tier : vb_strdup(tier);
}

void vb_pnote_set_follows(struct vb_pnote *n, const char *follows, unsigned line, unsigned col)
{
        if (!n->borrowed)
                free(n->follows);
        follows = follows && *follows ? follows : NULL;
        n->follows = n->borrowed || !follows ? (char *)follows : vb_strdup(follows);
        n->follows_line = follows ? line : 0;
        n->follows_col = follows ? col : 0;
}

void vb_pnote_add_product(struct vb_pnote *n, const char *id, const char *line)
{
        size_t k = n->nproducts;
        add_string(&n->products, &n->nproducts, id ? id : "", n->borrowed);
        add_string(&n->lines, &k, line ? line : "", n->borrowed);
}

struct vb_pquote *vb_pnote_add_quote(struct vb_pnote *n, const char *text, unsigned line)
{
        struct vb_pquote *q;
        n->quotes = vb_realloc(n->quotes, (n->nquotes + 1) * sizeof *n->quotes);
        q = &n->quotes[n->nquotes++];
        memset(q, 0, sizeof *q);
        q->borrowed = n->borrowed;
        text = text ? text : "";
        q->text = n->borrowed ? (char *)text : vb_strdup(text);
        q->line = line;
        return q;
}

void vb_pquote_add_theme(struct vb_pquote *q, const char *theme)
{
        add_string(&q->themes, &q->nthemes, theme, q->borrowed);
}

struct vb_pnote *vb_pnote_clone(const struct vb_pnote *n)
{
        struct vb_pnote *c = vb_pnote_new(n->id, n->path, n->oid, n->date, n->segment);
        size_t i, j;
        c->errors = n->errors;
        vb_pnote_set_tier(c, n->tier);
        vb_pnote_set_follows(c, n->follows, n->follows_line, n->follows_col);
        for (i = 0; i < n->nproducts; i++)
                vb_pnote_add_product(c, n->products[i], n->lines[i]);
        for (i = 0; i < n->nthemes; i++)
                vb_pnote_add_theme(c, n->themes[i]);
        for (i = 0; i < n->nquotes; i++) {
                struct vb_pquote *q = vb_pnote_add_quote(c, n->quotes[i].text, n->quotes[i].line);
                for (j = 0; j < n->quotes[i].nthemes; j++)
                        vb_pquote_add_theme(q, n->quotes[i].themes[j]);
        }
        return c;
}

/* Frees the array v[0..n), and its strings unless they are borrowed. */
static void free_strings(char **v, size_t n, int borrowed)
{
        size_t i;
        for (i = 0; i < n && !borrowed; i++)
                free(v[i]);
        free(v);
}

void vb_pnote_free(struct vb_pnote *n)
{
        size_t i;
        if (!n)
                return;
        if (n->block) {
                free(n);
                return;
        }
        for (i = 0; i < n->nquotes; i++) {
                if (!n->quotes[i].borrowed)
                        free(n->quotes[i].text);
                free_strings(n->quotes[i].themes, n->quotes[i].nthemes, n->quotes[i].borrowed);
        }
        free(n->quotes);
        free_strings(n->themes, n->nthemes, n->borrowed);
        free_strings(n->products, n->nproducts, n->borrowed);
        free_strings(n->lines, n->nproducts, n->borrowed);
        if (!n->borrowed) {
                free(n->tier);
                free(n->follows);
                free(n->id);
                free(n->path);
                free(n->segment);
        }
        free(n);
}

static size_t oid_hash(const unsigned char oid[20])
{
        size_t h = 0;
        memcpy(&h, oid, sizeof h < 20 ? sizeof h : 20);
        return h;
}

/* Inserts `n` unless a record with its oid is there (the first one wins). */
static void oid_insert(struct vb_pnote **slots, size_t nslots, struct vb_pnote *n)
{
        size_t mask = nslots - 1, i = oid_hash(n->oid) & mask;
        for (; slots[i]; i = (i + 1) & mask)
                if (!memcmp(slots[i]->oid, n->oid, 20))
                        return;
        slots[i] = n;
}

void vb_pnotes_add(struct vb_pnotes *v, struct vb_pnote *n)
{
        size_t i;
        v->v = vb_grow_array(v->v, &v->cap, v->n + 1, sizeof *v->v);
        v->v[v->n++] = n;
        if (v->n * 2 > v->nslots) {
                free(v->slots);
                v->nslots = v->nslots ? v->nslots * 4 : 64;
                v->slots = vb_calloc(v->nslots, sizeof *v->slots);
                for (i = 0; i < v->n; i++)
                        oid_insert(v->slots, v->nslots, v->v[i]);
        } else {
                oid_insert(v->slots, v->nslots, n);
        }
}

const struct vb_pnote *vb_pnotes_find_oid(const struct vb_pnotes *v, const unsigned char oid[20])
{
        size_t mask, i;
        if (!v->nslots)
                return NULL;
        mask = v->nslots - 1;
        for (i = oid_hash(oid) & mask; v->slots[i]; i = (i + 1) & mask)
                if (!memcmp(v->slots[i]->oid, oid, 20))
                        return v->slots[i];
        return NULL;
}

void vb_pnotes_release(struct vb_pnotes *v)
{
        size_t i;
        for (i = 0; i < v->n; i++)
                vb_pnote_free(v->v[i]);
        free(v->v);
        free(v->slots);
        v->v = NULL;
        v->slots = NULL;
        v->n = v->cap = v->nslots = 0;
}

/* ---- words ---- */

enum cclass { C_SEP, C_SENT, C_APOS, C_HYPHEN, C_LETTER, C_DIGIT, C_CJK };

static enum cclass classify(uint32_t c)
{
        if (c < 0x80) {
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
                        return C_LETTER;
                if (c >= '0' && c <= '9')
                        return C_DIGIT;
                switch (c) {
                case '.':
                case ',':
                case ';':
                case ':':
                case '!':
                case '?':
                        return C_SENT;
                case '\'':
                        return C_APOS;
                case '-':
                        return C_HYPHEN;
                default:
                        return C_SEP;
                }
        }
        switch (c) {
        case 0x2018:
        case 0x2019:
                return C_APOS;
        case 0x2010:
        case 0x2011:
                return C_HYPHEN;
        case 0x2026:
        case 0x203c:
        case 0x2047:
        case 0x2048:
        case 0x2049: /* … ‼ ⁇ ⁈ ⁉ */
        case 0x037e:
        case 0x0589:
        case 0x060c:
        case 0x061b:
        case 0x061f:
        case 0x06d4:
        case 0x0964:
        case 0x0965: /* Greek ;, Armenian, Arabic, Devanagari */
        case 0x3001:
        case 0x3002:
        case 0xff01:
        case 0xff0c:
        case 0xff0e:
        case 0xff1a:
        case 0xff1b:
        case 0xff1f:
        case 0xff61:
        case 0xff64: /* CJK and fullwidth */
                return C_SENT;
        default:
                break;
        }
        if (!vb_utf8_is_word(c))
                return C_SEP; /* punctuation, symbols, spaces, emoji, controls */
        if ((c >= 0x3040 && c <= 0x30ff) || (c >= 0x31f0 && c <= 0x31ff) ||
            (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
            (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff66 && c <= 0xff9f) ||
            (c >= 0x20000 && c <= 0x3ffff))
                return C_CJK;
        return C_LETTER;
}

static int is_ascii_alnum(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int is_word_class(enum cclass c)
{
        return c == C_LETTER || c == C_DIGIT;
}

static void token_begin(struct vb_ptokens *t, size_t start, int *brk)
{
        struct vb_ptoken *k;
        t->v = vb_grow_array(t->v, &t->cap, t->n + 1, sizeof *t->v);
        k = &t->v[t->n++];
        k->start = k->end = start;
        k->norm = t->norm.len;
        k->nlen = 0;
        k->brk = *brk && t->n > 1;
        *brk = 0;
}

static void token_add(struct vb_ptokens *t, uint32_t c, size_t end)
{
        char enc[4];
        struct vb_ptoken *k = &t->v[t->n - 1];
        size_t n = vb_utf8_encode(c, enc);
        vb_buf_add(&t->norm, enc, n);
        k->nlen += n;
        k->end = end;
}

/* Ends the word being read: case-folded and in NFC (vb_utf8_fold_nfc). */
static void token_end(struct vb_ptokens *t, int *inword)
{
        if (*inword) {
                struct vb_ptoken *k = &t->v[t->n - 1];
                vb_utf8_fold_nfc_at(&t->norm, k->norm);
                k->nlen = t->norm.len - k->norm;
                vb_buf_addc(&t->norm, '\0');
        }
        *inword = 0;
}

void vb_phrase_tokenize(struct vb_ptokens *t, const char *s, size_t len)
{
        size_t i = 0, n;
        uint32_t c, next;
        enum cclass cl, prev = C_SEP, ncl;
        int inword = 0, brk = 0;

        t->n = 0;
        vb_buf_reset(&t->norm);
        while (i < len) {
                if (is_ascii_alnum(s[i])) {
                        /* a run of ASCII letters and digits, as one char at a
                         * time would add it (token_end folds it) */
                        size_t j = i + 1;
                        while (j < len && is_ascii_alnum(s[j]))
                                j++;
                        if (!inword) {
                                token_begin(t, i, &brk);
                                inword = 1;
                        }
                        struct vb_ptoken *k = &t->v[t->n - 1];
                        vb_buf_add(&t->norm, s + i, j - i);
                        k->nlen += j - i;
                        k->end = j;
                        prev = (unsigned char)s[j - 1] <= '9' ? C_DIGIT : C_LETTER;
                        i = j;
                        continue;
                }
                n = vb_utf8_decode(s + i, len - i, &c);
                cl = classify(c);
                ncl = C_SEP;
                if (i + n < len && (cl == C_APOS || cl == C_HYPHEN || cl == C_SENT)) {
                        vb_utf8_decode(s + i + n, len - i - n, &next);
                        ncl = classify(next);
                }
                switch (cl) {
                case C_LETTER:
                case C_DIGIT:
                        if (!inword) {
                                token_begin(t, i, &brk);
                                inword = 1;
                        }
                        token_add(t, c, i + n);
                        break;
                case C_CJK:
                        token_end(t, &inword);
                        token_begin(t, i, &brk);
                        token_add(t, c, i + n);
                        inword = 1;
                        token_end(t, &inword);
                        break;
                case C_APOS:
                        if (!(inword && is_word_class(ncl)))
                                token_end(t, &inword);
                        break;
                case C_HYPHEN:
                        if (inword && prev == C_LETTER && ncl == C_LETTER)
                                token_add(t, '-', i + n);
                        else
                                token_end(t, &inword);
                        break;
                case C_SENT:
                        if (inword && (c == '.' || c == ',') && prev == C_DIGIT && ncl == C_DIGIT) {
                                token_add(t, c, i + n);
                                break;
                        }
                        token_end(t, &inword);
                        brk = 1;
                        break;
                default:
                        token_end(t, &inword);
                        break;
                }
                prev = cl;
                i += n;
        }
        token_end(t, &inword);
}

void vb_phrase_display(struct vb_buf *out, const char *text)
{
        size_t len = strlen(text);
        int prev_cjk = 0;
        for (size_t i = 0; i < len;) {
                uint32_t c;
                size_t k = vb_utf8_decode(text + i, len - i, &c);
                if (c == ' ' && prev_cjk && i + 1 < len) {
                        uint32_t next;
                        vb_utf8_decode(text + i + 1, len - i - 1, &next);
                        if (classify(next) == C_CJK) {
                                i += k;
                                continue;
                        }
                }
                vb_buf_add(out, text + i, k);
                prev_cjk = classify(c) == C_CJK;
                i += k;
        }
}

void vb_ptokens_release(struct vb_ptokens *t)
{
        free(t->v);
        t->v = NULL;
        t->n = t->cap = 0;
        vb_buf_release(&t->norm);
}

void vb_phrase_padded(struct vb_buf *out, const char *text)
{
        vb_buf_addc(out, ' ');
        vb_phrase_normalize(out, text, strlen(text));
        vb_buf_addc(out, ' ');
}

void vb_phrase_normalize(struct vb_buf *out, const char *text, size_t len)
{
        struct vb_ptokens t = VB_PTOKENS_INIT;
        size_t i;
        vb_phrase_tokenize(&t, text, len);
        for (i = 0; i < t.n; i++) {
                if (i)
                        vb_buf_adds(out, t.v[i].brk ? " | " : " ");
                vb_buf_add(out, t.norm.ptr + t.v[i].norm, t.v[i].nlen);
        }
        vb_ptokens_release(&t);
}

/* English function words, sorted (normalized: apostrophes dropped). */
static const char *const stop_words[] = {
    "a",      "about",  "above",  "after",   "again",   "all",     "also",     "am",
    "an",     "and",    "any",    "are",     "as",      "at",      "be",       "because",
    "been",   "before", "being",  "below",   "between", "both",    "but",      "by",
    "can",    "could",  "did",    "do",      "does",    "doing",   "down",     "during",
    "each",   "for",    "from",   "had",     "has",     "have",    "having",   "he",
    "her",    "here",   "hers",   "herself", "him",     "himself", "his",      "how",
    "i",      "id",     "if",     "ill",     "im",      "in",      "into",     "is",
    "it",     "its",    "itself", "ive",     "just",    "me",      "my",       "myself",
    "of",     "off",    "on",     "once",    "or",      "our",     "ours",     "ourselves",
    "out",    "over",   "she",    "should",  "so",      "some",    "such",     "than",
    "that",   "thats",  "the",    "their",   "theirs",  "them",    "then",     "there",
    "theres", "these",  "they",   "theyre",  "this",    "those",   "through",  "to",
    "under",  "until",  "up",     "us",      "was",     "we",      "were",     "what",
    "when",   "where",  "which",  "while",   "who",     "whom",    "why",      "will",
    "with",   "would",  "you",    "your",    "youre",   "yours",   "yourself",
};

static int cmp_word(const void *a, const void *b)
{
        return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int vb_phrase_is_stop_word(const char *word, size_t len)
{
        char key[16];
        const char *k = key;
        if (len >= sizeof key)
                return 0;
        memcpy(key, word, len);
        key[len] = '\0';
        return bsearch(&k, stop_words, sizeof stop_words / sizeof *stop_words, sizeof *stop_words,
                       cmp_word) != NULL;
}

/* ---- interned words and the search index ---- */

static uint64_t hash_bytes(const char *s, size_t n)
{
        uint64_t h = 0xcbf29ce484222325ull;
        size_t i;
        for (i = 0; i < n; i++)
                h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
        return h ^ (h >> 29);
}

static size_t pow2_at_least(size_t n)
{
        size_t c = 16;
        while (c < n)
                c *= 2;
        return c;
}

struct vb_phrase_words {
        struct vb_buf pool; /* words, each followed by a NUL */
        uint32_t *off, *len;
        uint8_t *stop;
        size_t n, cap;
        uint32_t *slots; /* word id + 1, 0 when empty */
        size_t nslots;
        /* search: quotes (global numbering) and word -> quotes */
        struct vb_phrase_ref *quotes;
        size_t nquotes;
        uint32_t *post_off; /* n + 1 */
        uint32_t *post;
};

static uint32_t *word_slot(const struct vb_phrase_words *w, const char *s, size_t n)
{
        size_t mask = w->nslots - 1, i = hash_bytes(s, n) & mask;
        for (;; i = (i + 1) & mask) {
                uint32_t id = w->slots[i];
                if (!id || (w->len[id - 1] == n && !memcmp(w->pool.ptr + w->off[id - 1], s, n)))
                        return &w->slots[i];
        }
}

static int64_t word_find(const struct vb_phrase_words *w, const char *s, size_t n)
{
        uint32_t *slot;
        if (!w->nslots)
                return -1;
        slot = word_slot(w, s, n);
        return *slot ? (int64_t)*slot - 1 : -1;
}

static uint32_t word_intern(struct vb_phrase_words *w, const char *s, size_t n)
{
        uint32_t *slot, id;
        if ((w->n + 1) * 2 > w->nslots) {
                size_t i;
                free(w->slots);
                w->nslots = pow2_at_least((w->n + 1) * 4);
                w->slots = vb_calloc(w->nslots, sizeof *w->slots);
                for (i = 0; i < w->n; i++)
                        *word_slot(w, w->pool.ptr + w->off[i], w->len[i]) = (uint32_t)i + 1;
        }
        slot = word_slot(w, s, n);
        if (*slot)
                return *slot - 1;
        if (w->n == w->cap) {
                w->cap = w->cap ? w->cap * 2 : 256;
                w->off = vb_realloc(w->off, w->cap * sizeof *w->off);
                w->len = vb_realloc(w->len, w->cap * sizeof *w->len);
                w->stop = vb_realloc(w->stop, w->cap * sizeof *w->stop);
        }
        id = (uint32_t)w->n++;
        w->off[id] = (uint32_t)w->pool.len;
        w->len[id] = (uint32_t)n;
        w->stop[id] = (uint8_t)vb_phrase_is_stop_word(s, n);
        vb_buf_add(&w->pool, s, n);
        vb_buf_addc(&w->pool, '\0');
        *slot = id + 1;
        return id;
}

static void words_free(struct vb_phrase_words *w)
{
        if (!w)
                return;
        vb_buf_release(&w->pool);
        free(w->off);
        free(w->len);
        free(w->stop);
        free(w->slots);
        free(w->quotes);
        free(w->post_off);
        free(w->post);
        free(w);
}

/* The tokens of every quote, as word ids.  run[i] is the number of tokens
 * from i to the end of its run (capped at 255). */
/* The quotes' words, one array for all (a word's bytes in its quote are not
 * kept: find_phrases tokenizes again the few quotes it takes surfaces from). */
struct corpus {
        uint32_t *tok;
        uint8_t *run;
        size_t ntok;
        size_t *qstart; /* nquotes + 1 */
};

static void corpus_free(struct corpus *c)
{
        free(c->tok);
        free(c->run);
        free(c->qstart);
}

/* The corpus of `notes`, with the words interned in `w`. */
/* At least as many as vb_phrase_tokenize makes of `s`: a word starts at the
 * start of a run of ASCII letters and digits or at a character of more than
 * one byte (a lead byte; an invalid byte is no letter), never elsewhere. */
static size_t tokens_at_most(const char *s)
{
        size_t n = 0;
        int prev_alnum = 0;
        for (; *s; s++) {
                unsigned char b = (unsigned char)*s;
                int alnum = is_ascii_alnum((char)b);
                n += (alnum && !prev_alnum) || b >= 0xc0;
                prev_alnum = alnum;
        }
        return n;
}

static void corpus_build(struct corpus *c, struct vb_phrase_words *w, const struct vb_pnotes *notes)
{
        struct vb_ptokens t = VB_PTOKENS_INIT;
        size_t i, j, k, cap = 0, q = 0, nq = 0;
        for (i = 0; i < notes->n; i++) {
                nq += notes->v[i]->nquotes;
                for (j = 0; j < notes->v[i]->nquotes; j++)
                        cap += tokens_at_most(notes->v[i]->quotes[j].text);
        }
        memset(c, 0, sizeof *c);
        /* the arrays at their final size at once, not doubled as they fill */
        c->tok = vb_malloc((cap ? cap : 1) * sizeof *c->tok);
        c->run = vb_malloc(cap ? cap : 1);
        c->qstart = vb_malloc((nq + 1) * sizeof *c->qstart);
        w->quotes = vb_malloc((nq ? nq : 1) * sizeof *w->quotes);
        w->nquotes = nq;
        for (i = 0; i < notes->n; i++) {
                for (j = 0; j < notes->v[i]->nquotes; j++, q++) {
                        const char *text = notes->v[i]->quotes[j].text;
                        size_t base = c->ntok;
                        w->quotes[q].note = (uint32_t)i;
                        w->quotes[q].quote = (uint32_t)j;
                        c->qstart[q] = base;
                        vb_phrase_tokenize(&t, text, strlen(text));
                        for (k = 0; k < t.n; k++)
                                c->tok[base + k] =
                                    word_intern(w, t.norm.ptr + t.v[k].norm, t.v[k].nlen);
                        c->ntok += t.n;
                        for (k = t.n; k-- > 0;) {
                                size_t r = (k + 1 < t.n && !t.v[k + 1].brk)
                                               ? c->run[base + k + 1] + 1u
                                               : 1u;
                                c->run[base + k] = (uint8_t)(r > 255 ? 255 : r);
                        }
                }
        }
        c->qstart[nq] = c->ntok;
        vb_ptokens_release(&t);
}

/* Postings word -> distinct quotes, in quote order. */
static void words_postings(struct vb_phrase_words *w, const struct corpus *c)
{
        uint32_t *last = vb_malloc((w->n ? w->n : 1) * sizeof *last);
        size_t q, i, pass;
        w->post_off = vb_calloc(w->n + 1, sizeof *w->post_off);
        for (pass = 0; pass < 2; pass++) {
                memset(last, 0xff, (w->n ? w->n : 1) * sizeof *last);
                if (pass == 1) {
                        uint32_t sum = 0, x;
                        for (i = 0; i <= w->n; i++) {
                                x = w->post_off[i];
                                w->post_off[i] = sum;
                                sum += x;
                        }
                        w->post = vb_malloc((sum ? sum : 1) * sizeof *w->post);
                }
                for (q = 0; q < w->nquotes; q++) {
                        for (i = c->qstart[q]; i < c->qstart[q + 1]; i++) {
                                uint32_t id = c->tok[i];
                                if (last[id] == q)
                                        continue;
                                last[id] = (uint32_t)q;
                                if (pass == 0)
                                        w->post_off[id]++;
                                else
                                        w->post[w->post_off[id]++] = (uint32_t)q;
                        }
                }
        }
        /* post_off[id] now holds the end of id's list: shift back to starts */
        for (i = w->n; i > 0; i--)
                w->post_off[i] = w->post_off[i - 1];
        w->post_off[0] = 0;
        free(last);
}

/* ---- n-gram counting ---- */

static uint64_t hash_gram(const uint32_t *tok, unsigned k)
{
        uint64_t h = 0x9e3779b97f4a7c15ull * k;
        unsigned i;
        for (i = 0; i < k; i++) {
                h = (h ^ tok[i]) * 0xff51afd7ed558ccdull;
                h ^= h >> 32;
        }
        return h;
}

/* Level counting: a k-gram of the level being counted.  12 bytes, and the
 * table grows from a small start, so that it is sized by the distinct k-grams
 * rather than by the positions. */
struct lgram {
        uint32_t h;    /* hash_gram, low 32 bits */
        uint32_t pos1; /* a token position of it + 1; 0 when the slot is empty */
        uint32_t last; /* last note + 1 (LG_NOTE bits), LG_RECURS, LG_COUNTED */
};

#define LG_RECURS  0x80000000u /* in 2 notes or more */
#define LG_COUNTED 0x40000000u /* counted among the candidates */
#define LG_NOTE    0x3fffffffu

struct ltable {
        struct lgram *v;
        size_t cap, n;
};

static uint32_t gram_hash32(const struct corpus *c, size_t pos, unsigned k)
{
        return (uint32_t)hash_gram(c->tok + pos, k);
}

static void ltable_init(struct ltable *t, size_t cap)
{
        t->cap = cap;
        t->v = vb_calloc(t->cap, sizeof *t->v);
        t->n = 0;
}

static void ltable_grow(struct ltable *t)
{
        struct lgram *old = t->v;
        size_t oc = t->cap, j, m, mask;
        ltable_init(t, oc * 2);
        mask = t->cap - 1;
        for (j = 0; j < oc; j++) {
                if (!old[j].pos1)
                        continue;
                for (m = old[j].h & mask; t->v[m].pos1; m = (m + 1) & mask)
                        ;
                t->v[m] = old[j];
                t->n++;
        }
        free(old);
}

/* The k-gram at `pos`: its entry, a new one when `insert`, or else NULL. */
static struct lgram *ltable_get(struct ltable *t, const struct corpus *c, size_t pos, unsigned k,
                                int insert)
{
        uint32_t h = gram_hash32(c, pos, k);
        size_t mask, i;
        struct lgram *g;
        if (insert && (t->n + 1) * 10 > t->cap * 7)
                ltable_grow(t);
        mask = t->cap - 1;
        for (i = h & mask;; i = (i + 1) & mask) {
                g = &t->v[i];
                if (!g->pos1)
                        break;
                if (g->h == h && !memcmp(c->tok + g->pos1 - 1, c->tok + pos, k * sizeof *c->tok))
                        return g;
        }
        if (!insert)
                return NULL;
        g->h = h;
        g->pos1 = (uint32_t)pos + 1;
        g->last = 0;
        t->n++;
        return g;
}

/* Phrase candidates: recurring n-grams of every length. */
struct cand {
        uint32_t pos, nnotes, nocc, lastq, last;
        int32_t prefix, suffix;
        uint8_t k, valid, dom;
        int32_t out; /* index in the output, or -1 */
};

/* The candidates by content: a slot holds a hash and a candidate index + 1
 * (0 when empty); sized once, from the number of candidates. */
struct ctable {
        uint32_t *h, *id;
        size_t cap;
};

/* The slot of the k-gram at `pos`: its candidate's, or the empty one where it
 * goes. */
static size_t ctable_slot(const struct ctable *t, const struct cand *cand, const struct corpus *c,
                          size_t pos, unsigned k, uint32_t h)
{
        size_t mask = t->cap - 1, i;
        for (i = h & mask; t->id[i]; i = (i + 1) & mask) {
                const struct cand *x = &cand[t->id[i] - 1];
                if (t->h[i] == h && x->k == k &&
                    !memcmp(c->tok + x->pos, c->tok + pos, k * sizeof *c->tok))
                        break;
        }
        return i;
}

/* The candidate index of the k-gram at `pos`, which is in the table. */
static uint32_t ctable_find(const struct ctable *t, const struct cand *cand, const struct corpus *c,
                            size_t pos, unsigned k)
{
        return t->id[ctable_slot(t, cand, c, pos, k, gram_hash32(c, pos, k))] - 1;
}

static int gram_ok(const struct corpus *c, const uint8_t *mask, size_t p, unsigned k)
{
        if (c->run[p] < k)
                return 0;
        return k == 2 || ((mask[p] >> (k - 1) & 1) && (mask[p + 1] >> (k - 1) & 1));
}

static int cmp_phrase_top(const struct vb_phrase *a, size_t an, const struct vb_phrase *b,
                          size_t bn)
{
        if (an != bn)
                return an > bn ? -1 : 1;
        if (a->nwords != b->nwords)
                return a->nwords > b->nwords ? -1 : 1;
        return strcmp(a->text, b->text);
}

static int cmp_phrase(const void *a, const void *b)
{
        const struct vb_phrase *x = a, *y = b;
        return cmp_phrase_top(x, x->nnotes, y, y->nnotes);
}

/* ---- surface forms ---- */

static int is_space_byte(char c)
{
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Appends text[a..b) as written, each run of white space made one space. */
static void surface_add(struct vb_buf *out, const char *text, size_t a, size_t b)
{
        size_t i;
        for (i = a; i < b; i++) {
                if (!is_space_byte(text[i]))
                        vb_buf_addc(out, text[i]);
                else if (i == a || !is_space_byte(text[i - 1]))
                        vb_buf_addc(out, ' ');
        }
}

/* The hash of what surface_add appends, without building it. */
static uint64_t surface_hash(const char *text, size_t a, size_t b)
{
        uint64_t h = 0xcbf29ce484222325ull;
        size_t i;
        for (i = a; i < b; i++) {
                unsigned char c = (unsigned char)text[i];
                if (is_space_byte(text[i])) {
                        if (i > a && is_space_byte(text[i - 1]))
                                continue;
                        c = ' ';
                }
                h = (h ^ c) * 0x100000001b3ull;
        }
        return h;
}

/* One occurrence of words while their surface form is chosen: the hash of
 * the form and where it is written. */
struct surf {
        uint64_t h;
        const char *text;
        uint32_t start, end;
};

static int cmp_surf(const void *a, const void *b)
{
        const struct surf *x = a, *y = b;
        return x->h < y->h ? -1 : x->h > y->h;
}

static void surf_set(struct surf *v, const char *text, size_t start, size_t end)
{
        v->h = surface_hash(text, start, end);
        v->text = text;
        v->start = (uint32_t)start;
        v->end = (uint32_t)end;
}

static const char *ref_text(const struct vb_phrase_index *ix, struct vb_phrase_ref r)
{
        return ix->notes.v[r.note]->quotes[r.quote].text;
}

/* The most frequent of the surface forms v[0..n) (ties: the smallest bytes),
 * owned by the caller; v is reordered. */
static char *surface_choose(struct surf *v, size_t n)
{
        struct vb_buf best = VB_BUF_INIT, cur = VB_BUF_INIT;
        size_t i, j, bestn = 0;
        sort_n(v, n, sizeof *v, cmp_surf);
        for (i = 0; i < n; i = j) {
                for (j = i + 1; j < n && v[j].h == v[i].h; j++)
                        ;
                if (j - i < bestn)
                        continue;
                vb_buf_reset(&cur);
                surface_add(&cur, v[i].text, v[i].start, v[i].end);
                if (j - i > bestn || strcmp(cur.ptr, best.ptr) < 0) {
                        struct vb_buf t = best;
                        best = cur;
                        cur = t;
                        bestn = j - i;
                }
        }
        vb_buf_release(&cur);
        return vb_buf_detach(&best, NULL);
}

static void find_phrases(struct vb_phrase_index *ix, const struct corpus *c)
{
        const struct vb_phrase_words *w = ix->words;
        uint8_t *mask = vb_calloc(c->ntok ? c->ntok : 1, 1);
        struct ltable t;
        struct ctable all;
        struct cand *cand;
        size_t ncand = 0, nexpect = 0, nout = 0, q, p, i, nsurf, *sbase;
        struct surf *surfs;
        unsigned k;

        /* levels: mark the positions whose k-gram recurs, and count the
         * distinct recurring k-grams (the candidates) */
        for (k = VB_PHRASE_MIN_WORDS; k <= VB_PHRASE_MAX_WORDS; k++) {
                size_t expect = 0, pass;
                for (p = 0; p < c->ntok; p++)
                        expect += gram_ok(c, mask, p, k);
                if (!expect)
                        break;
                ltable_init(&t, pow2_at_least(expect < 1024 ? expect * 2 : 1024));
                for (pass = 0; pass < 2; pass++) {
                        for (q = 0; q < w->nquotes; q++) {
                                uint32_t note = w->quotes[q].note + 1;
                                for (p = c->qstart[q]; p < c->qstart[q + 1]; p++) {
                                        struct lgram *g;
                                        if (!gram_ok(c, mask, p, k))
                                                continue;
                                        g = ltable_get(&t, c, p, k, pass == 0);
                                        if (pass == 0) {
                                                if ((g->last & LG_NOTE) == note)
                                                        continue;
                                                if (g->last)
                                                        g->last |= LG_RECURS;
                                                g->last = (g->last & ~LG_NOTE) | note;
                                        } else if (g->last & LG_RECURS) {
                                                mask[p] |= (uint8_t)(1u << k);
                                                if (!(g->last & LG_COUNTED)) {
                                                        g->last |= LG_COUNTED;
                                                        nexpect++;
                                                }
                                        }
                                }
                        }
                }
                free(t.v);
        }

        /* candidates: one per distinct recurring n-gram, shorter first */
        cand = vb_malloc((nexpect ? nexpect : 1) * sizeof *cand);
        all.cap = pow2_at_least(nexpect + nexpect / 2 + 1);
        all.h = vb_malloc(all.cap * sizeof *all.h);
        all.id = vb_calloc(all.cap, sizeof *all.id);
        for (k = VB_PHRASE_MIN_WORDS; k <= VB_PHRASE_MAX_WORDS; k++) {
                for (q = 0; q < w->nquotes; q++) {
                        uint32_t note = w->quotes[q].note + 1;
                        for (p = c->qstart[q]; p < c->qstart[q + 1]; p++) {
                                uint32_t h;
                                size_t slot;
                                struct cand *x;
                                if (!(mask[p] >> k & 1))
                                        continue;
                                h = gram_hash32(c, p, k);
                                slot = ctable_slot(&all, cand, c, p, k, h);
                                if (!all.id[slot]) {
                                        x = &cand[ncand];
                                        memset(x, 0, sizeof *x);
                                        x->pos = (uint32_t)p;
                                        x->k = (uint8_t)k;
                                        x->prefix = x->suffix = -1;
                                        x->out = -1;
                                        x->valid =
                                            !w->stop[c->tok[p]] && !w->stop[c->tok[p + k - 1]];
                                        all.h[slot] = h;
                                        all.id[slot] = (uint32_t)++ncand;
                                        if (k > VB_PHRASE_MIN_WORDS) {
                                                x->prefix =
                                                    (int32_t)ctable_find(&all, cand, c, p, k - 1);
                                                x->suffix = (int32_t)ctable_find(&all, cand, c,
                                                                                 p + 1, k - 1);
                                        }
                                }
                                x = &cand[all.id[slot] - 1];
                                if (x->last != note) {
                                        x->last = note;
                                        x->nnotes++;
                                }
                                if (x->lastq != q + 1) {
                                        x->lastq = (uint32_t)q + 1;
                                        x->nocc++;
                                }
                        }
                }
        }

        /* maximality: a same-notes chain of longer n-grams reaching a valid one */
        for (i = ncand; i-- > 0;) {
                struct cand *x = &cand[i];
                if (x->prefix < 0 || !(x->valid || x->dom))
                        continue;
                if (cand[x->prefix].nnotes == x->nnotes)
                        cand[x->prefix].dom = 1;
                if (cand[x->suffix].nnotes == x->nnotes)
                        cand[x->suffix].dom = 1;
        }
        for (i = 0; i < ncand; i++)
                if (cand[i].valid && !cand[i].dom)
                        cand[i].out = (int32_t)nout++;

        ix->phrases = vb_calloc(nout ? nout : 1, sizeof *ix->phrases);
        ix->nphrases = nout;
        sbase = vb_malloc((nout + 1) * sizeof *sbase);
        for (i = 0; i < ncand; i++)
                if (cand[i].out >= 0)
                        sbase[cand[i].out] = cand[i].nocc;
        for (i = 0, nsurf = 0; i < nout; i++) {
                size_t x = sbase[i];
                sbase[i] = nsurf;
                nsurf += x;
        }
        sbase[nout] = nsurf;
        surfs = vb_malloc((nsurf ? nsurf : 1) * sizeof *surfs);
        for (i = 0; i < ncand; i++) {
                struct vb_phrase *ph;
                struct vb_buf b = VB_BUF_INIT;
                if (cand[i].out < 0)
                        continue;
                ph = &ix->phrases[cand[i].out];
                for (k = 0; k < cand[i].k; k++) {
                        uint32_t id = c->tok[cand[i].pos + k];
                        if (k)
                                vb_buf_addc(&b, ' ');
                        vb_buf_add(&b, w->pool.ptr + w->off[id], w->len[id]);
                }
                ph->text = vb_buf_detach(&b, NULL);
                ph->nwords = cand[i].k;
                ph->nnotes = cand[i].nnotes;
                ph->occ = vb_malloc(cand[i].nocc * sizeof *ph->occ);
                cand[i].lastq = 0;
        }

        /* occurrences, in quote order (each phrase has one length: taking
         * the quotes in turn keeps every phrase's own order), with the words'
         * bytes from the quote tokenized again */
        struct vb_ptokens words = VB_PTOKENS_INIT;
        for (q = 0; q < w->nquotes; q++) {
                const char *text = ref_text(ix, w->quotes[q]);
                int tokenized = 0;
                for (k = VB_PHRASE_MIN_WORDS; k <= VB_PHRASE_MAX_WORDS; k++) {
                        for (p = c->qstart[q]; p < c->qstart[q + 1]; p++) {
                                struct cand *x;
                                struct vb_phrase *ph;
                                if (!(mask[p] >> k & 1))
                                        continue;
                                x = &cand[ctable_find(&all, cand, c, p, k)];
                                if (x->out < 0 || x->lastq == q + 1)
                                        continue;
                                x->lastq = (uint32_t)q + 1;
                                ph = &ix->phrases[x->out];
                                if (!tokenized) {
                                        vb_phrase_tokenize(&words, text, strlen(text));
                                        tokenized = 1;
                                }
                                size_t at = p - c->qstart[q];
                                surf_set(&surfs[sbase[x->out] + ph->nocc], text, words.v[at].start,
                                         words.v[at + k - 1].end);
                                ph->occ[ph->nocc++] = w->quotes[q];
                                vb_date_widen(&ph->first, &ph->last,
                                              ix->notes.v[w->quotes[q].note]->date);
                        }
                }
        }
        vb_ptokens_release(&words);
        for (i = 0; i < nout; i++)
                ix->phrases[i].surface = surface_choose(surfs + sbase[i], sbase[i + 1] - sbase[i]);
        free(surfs);
        free(sbase);
        sort_n(ix->phrases, ix->nphrases, sizeof *ix->phrases, cmp_phrase);
        free(all.h);
        free(all.id);
        free(cand);
        free(mask);
}

/* ---- clusters ---- */

static uint32_t uf_find(uint32_t *parent, uint32_t x)
{
        while (parent[x] != x) {
                parent[x] = parent[parent[x]];
                x = parent[x];
        }
        return x;
}

static void uf_union(uint32_t *parent, uint32_t a, uint32_t b)
{
        a = uf_find(parent, a);
        b = uf_find(parent, b);
        if (a != b)
                parent[a < b ? b : a] = a < b ? a : b;
}

/* A distinct content token set: word ids sorted ascending. */
struct tset {
        uint64_t h;
        uint32_t off, n; /* in the ids array */
        uint32_t count;  /* quotes with this set */
        double score;
};

struct edge {
        uint32_t a, b;
        double j;
};

static int cmp_u32(const void *a, const void *b)
{
        uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
        return x < y ? -1 : x > y;
}

static int cmp_by_df(const void *a, const void *b, void *arg)
{
        const uint32_t *df = arg;
        uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
        if (df[x] != df[y])
                return df[x] < df[y] ? -1 : 1;
        return x < y ? -1 : x > y;
}

static size_t intersect(const uint32_t *a, size_t an, const uint32_t *b, size_t bn)
{
        size_t i = 0, j = 0, n = 0;
        while (i < an && j < bn) {
                if (a[i] < b[j])
                        i++;
                else if (a[i] > b[j])
                        j++;
                else
                        n++, i++, j++;
        }
        return n;
}

struct member {
        uint32_t comp; /* component root */
        uint32_t set;
        uint32_t q; /* global quote */
};

static int cmp_ref(struct vb_phrase_ref a, struct vb_phrase_ref b)
{
        if (a.note != b.note)
                return a.note < b.note ? -1 : 1;
        return a.quote < b.quote ? -1 : a.quote > b.quote;
}

static int cmp_member(const void *a, const void *b)
{
        const struct member *x = a, *y = b;
        if (x->comp != y->comp)
                return x->comp < y->comp ? -1 : 1;
        return x->q < y->q ? -1 : x->q > y->q;
}

/* better representative: higher score, then text, then position */
static int rep_better(const struct vb_phrase_index *ix, const struct tset *sets,
                      const struct member *x, const struct member *y)
{
        const struct vb_phrase_words *w = ix->words;
        int c;
        if (sets[x->set].score != sets[y->set].score)
                return sets[x->set].score > sets[y->set].score;
        c = strcmp(ref_text(ix, w->quotes[x->q]), ref_text(ix, w->quotes[y->q]));
        if (c)
                return c < 0;
        c = strcmp(ix->notes.v[w->quotes[x->q].note]->id, ix->notes.v[w->quotes[y->q].note]->id);
        if (c)
                return c < 0;
        return cmp_ref(w->quotes[x->q], w->quotes[y->q]) < 0;
}

static int cmp_cluster(const void *a, const void *b, void *arg)
{
        const struct vb_phrase_index *ix = arg;
        const struct vb_cluster *x = a, *y = b;
        int c;
        if (x->nmembers != y->nmembers)
                return x->nmembers > y->nmembers ? -1 : 1;
        if (x->nnotes != y->nnotes)
                return x->nnotes > y->nnotes ? -1 : 1;
        c = strcmp(ref_text(ix, x->rep), ref_text(ix, y->rep));
        return c ? c : cmp_ref(x->rep, y->rep);
}

/* The words of a phrase's text that are not stop words. */
static size_t content_words(const char *text)
{
        size_t n = 0;
        while (*text) {
                const char *end = strchr(text, ' ');
                size_t len = end ? (size_t)(end - text) : strlen(text);
                n += len && !vb_phrase_is_stop_word(text, len);
                text += len + (end != NULL);
        }
        return n;
}

/* The second rule: quotes that share a recurring phrase of at least
 * VB_PHRASE_CLUSTER_MIN_WORDS words are similar, for phrases shared by at
 * most VB_PHRASE_CLUSTER_PHRASE_CAP quotes; each such quote's set gains 1/2
 * per other quote sharing the phrase. */
static void link_by_phrases(const struct vb_phrase_index *ix, const uint32_t *qset,
                            uint32_t *parent, struct tset *sets)
{
        size_t *qbase = vb_malloc((ix->notes.n + 1) * sizeof *qbase), i, k;
        qbase[0] = 0;
        for (i = 0; i < ix->notes.n; i++)
                qbase[i + 1] = qbase[i] + ix->notes.v[i]->nquotes;
        for (i = 0; i < ix->nphrases; i++) {
                const struct vb_phrase *p = &ix->phrases[i];
                uint32_t first = UINT32_MAX;
                if (p->nwords < VB_PHRASE_CLUSTER_MIN_WORDS || p->nocc < 2 ||
                    p->nocc > VB_PHRASE_CLUSTER_PHRASE_CAP ||
                    content_words(p->text) < VB_PHRASE_CLUSTER_MIN_WORDS)
                        continue;
                for (k = 0; k < p->nocc; k++) {
                        uint32_t set = qset[qbase[p->occ[k].note] + p->occ[k].quote];
                        if (set == UINT32_MAX)
                                continue;
                        sets[set].score += 0.5 * (double)(p->nocc - 1);
                        if (first == UINT32_MAX)
                                first = set;
                        else
                                uf_union(parent, first, set);
                }
        }
        free(qbase);
}

int vb_phrase_similar(size_t common, size_t all)
{
        return common * 3 >= all * 2;
}

static void find_clusters(struct vb_phrase_index *ix, const struct corpus *c)
{
        const struct vb_phrase_words *w = ix->words;
        size_t nq = w->nquotes, nsets = 0, capsets = 0, nids = 0, capids = 0, i, j;
        uint32_t *ids = NULL, *qset = vb_malloc((nq ? nq : 1) * sizeof *qset);
        struct tset *sets = NULL;
        uint32_t *slots, *df, *parent, *order, *post_off, *post, *seen;
        size_t nslots = pow2_at_least(nq * 2 + 16), nedges = 0, capedges = 0, nm = 0;
        struct edge *edges = NULL;
        struct member *m;

        /* distinct content token sets */
        slots = vb_calloc(nslots, sizeof *slots);
        for (i = 0; i < nq; i++) {
                size_t start = nids, n, s;
                uint64_t h = 0x12345;
                qset[i] = UINT32_MAX;
                for (j = c->qstart[i]; j < c->qstart[i + 1]; j++) {
                        if (w->stop[c->tok[j]])
                                continue;
                        ids = vb_grow_array(ids, &capids, nids + 1, sizeof *ids);
                        ids[nids++] = c->tok[j];
                }
                if (nids > start) /* ids is still NULL when no quote had content words */
                        sort_n(ids + start, nids - start, sizeof *ids, cmp_u32);
                for (n = start, j = start; j < nids; j++)
                        if (j == start || ids[j] != ids[n - 1])
                                ids[n++] = ids[j];
                nids = n;
                if (nids == start)
                        continue;
                for (j = start; j < nids; j++)
                        h = (h ^ ids[j]) * 0xff51afd7ed558ccdull, h ^= h >> 32;
                for (s = h & (nslots - 1);; s = (s + 1) & (nslots - 1)) {
                        struct tset *x;
                        if (!slots[s]) {
                                sets = vb_grow_array(sets, &capsets, nsets + 1, sizeof *sets);
                                x = &sets[nsets];
                                x->h = h;
                                x->off = (uint32_t)start;
                                x->n = (uint32_t)(nids - start);
                                x->count = 0;
                                x->score = 0;
                                slots[s] = (uint32_t)++nsets;
                                break;
                        }
                        x = &sets[slots[s] - 1];
                        if (x->h == h && x->n == nids - start &&
                            !memcmp(ids + x->off, ids + start, x->n * sizeof *ids)) {
                                nids = start; /* a known set */
                                break;
                        }
                }
                qset[i] = slots[s] - 1;
                sets[qset[i]].count++;
        }
        free(slots);

        /* prefix filtering: the rarest |A| - ceil(|A| / 2) + 1 words of each set */
        df = vb_calloc(w->n ? w->n : 1, sizeof *df);
        for (i = 0; i < nsets; i++)
                for (j = 0; j < sets[i].n; j++)
                        df[ids[sets[i].off + j]]++;
        order = vb_malloc((nids ? nids : 1) * sizeof *order);
        if (nids)
                memcpy(order, ids, nids * sizeof *ids);
        for (i = 0; i < nsets; i++)
                sort_r(order + sets[i].off, sets[i].n, sizeof *order, cmp_by_df, df);
        post_off = vb_calloc(w->n + 1, sizeof *post_off);
        for (i = 0; i < nsets; i++) {
                size_t pre = sets[i].n - (sets[i].n + 1) / 2 + 1;
                for (j = 0; j < pre; j++)
                        post_off[order[sets[i].off + j] + 1]++;
        }
        for (i = 0; i < w->n; i++)
                post_off[i + 1] += post_off[i];
        post = vb_malloc((post_off[w->n] ? post_off[w->n] : 1) * sizeof *post);
        memset(df, 0, (w->n ? w->n : 1) * sizeof *df); /* reused as fill counters */
        for (i = 0; i < nsets; i++) {
                size_t pre = sets[i].n - (sets[i].n + 1) / 2 + 1;
                for (j = 0; j < pre; j++) {
                        uint32_t t = order[sets[i].off + j];
                        post[post_off[t] + df[t]++] = (uint32_t)i;
                }
        }
        parent = vb_malloc((nsets ? nsets : 1) * sizeof *parent);
        seen = vb_malloc((nsets ? nsets : 1) * sizeof *seen);
        for (i = 0; i < nsets; i++)
                parent[i] = (uint32_t)i, seen[i] = UINT32_MAX;
        for (i = 0; i < nsets; i++) {
                size_t pre = sets[i].n - (sets[i].n + 1) / 2 + 1;
                for (j = 0; j < pre; j++) {
                        uint32_t t = order[sets[i].off + j], e;
                        if (post_off[t + 1] - post_off[t] > VB_PHRASE_CLUSTER_CAP)
                                continue;
                        for (e = post_off[t]; e < post_off[t + 1] && post[e] < i; e++) {
                                uint32_t o = post[e];
                                size_t inter, uni;
                                if (seen[o] == i)
                                        continue;
                                seen[o] = (uint32_t)i;
                                inter = intersect(ids + sets[i].off, sets[i].n, ids + sets[o].off,
                                                  sets[o].n);
                                uni = sets[i].n + sets[o].n - inter;
                                if (!vb_phrase_similar(inter, uni))
                                        continue;
                                uf_union(parent, (uint32_t)i, o);
                                edges = vb_grow_array(edges, &capedges, nedges + 1, sizeof *edges);
                                edges[nedges].a = o;
                                edges[nedges].b = (uint32_t)i;
                                edges[nedges].j = (double)inter / (double)uni;
                                nedges++;
                        }
                }
        }
        for (i = 0; i < nsets; i++)
                sets[i].score = (double)(sets[i].count - 1);
        for (i = 0; i < nedges; i++) {
                sets[edges[i].a].score += edges[i].j * sets[edges[i].b].count;
                sets[edges[i].b].score += edges[i].j * sets[edges[i].a].count;
        }
        link_by_phrases(ix, qset, parent, sets);

        /* members grouped by component, in quote order */
        m = vb_malloc((nq ? nq : 1) * sizeof *m);
        for (i = 0; i < nq; i++) {
                if (qset[i] == UINT32_MAX)
                        continue;
                m[nm].comp = uf_find(parent, qset[i]);
                m[nm].set = qset[i];
                m[nm].q = (uint32_t)i;
                nm++;
        }
        sort_n(m, nm, sizeof *m, cmp_member);
        for (i = 0; i < nm; i = j) {
                struct vb_cluster *cl;
                size_t best = i, k;
                for (j = i; j < nm && m[j].comp == m[i].comp; j++)
                        if (rep_better(ix, sets, &m[j], &m[best]))
                                best = j;
                if (j - i < 2)
                        continue;
                ix->clusters = vb_realloc(ix->clusters, (ix->nclusters + 1) * sizeof *ix->clusters);
                cl = &ix->clusters[ix->nclusters++];
                cl->rep = w->quotes[m[best].q];
                cl->nmembers = j - i;
                cl->members = vb_malloc(cl->nmembers * sizeof *cl->members);
                cl->nnotes = 0;
                for (k = i; k < j; k++) {
                        cl->members[k - i] = w->quotes[m[k].q];
                        if (k == i || w->quotes[m[k].q].note != w->quotes[m[k - 1].q].note)
                                cl->nnotes++;
                }
        }
        sort_r(ix->clusters, ix->nclusters, sizeof *ix->clusters, cmp_cluster, ix);

        free(m);
        free(edges);
        free(seen);
        free(parent);
        free(post);
        free(post_off);
        free(order);
        free(df);
        free(sets);
        free(ids);
        free(qset);
}

/* ---- building ---- */

static void by_theme_free(struct vb_phrase_by_theme *bt);

static int cmp_note(const void *a, const void *b)
{
        const struct vb_pnote *x = *(const struct vb_pnote *const *)a;
        const struct vb_pnote *y = *(const struct vb_pnote *const *)b;
        int c = strcmp(x->id, y->id);
        return c ? c : strcmp(x->path, y->path);
}

void vb_phrase_index_prepare(struct vb_phrase_index *ix)
{
        struct corpus c;
        if (ix->words || ix->view)
                return;
        ix->words = vb_calloc(1, sizeof *ix->words);
        corpus_build(&c, ix->words, &ix->notes);
        words_postings(ix->words, &c);
        corpus_free(&c);
}

int vb_phrase_index_build_flags(struct vb_phrase_index *out, struct vb_pnotes *notes,
                                unsigned flags)
{
        struct corpus c;
        int search = !(flags & VB_PHRASE_NO_SEARCH);
        memset(out, 0, sizeof *out);
        out->notes = *notes;
        memset(notes, 0, sizeof *notes);
        sort_n(out->notes.v, out->notes.n, sizeof *out->notes.v, cmp_note);
        out->words = vb_calloc(1, sizeof *out->words);
        corpus_build(&c, out->words, &out->notes);
        if (search)
                words_postings(out->words, &c);
        find_phrases(out, &c);
        find_clusters(out, &c);
        if (!search) {
                words_free(out->words);
                out->words = NULL;
        }
        corpus_free(&c);
        return VB_OK;
}

int vb_phrase_index_build(struct vb_phrase_index *out, struct vb_pnotes *notes)
{
        return vb_phrase_index_build_flags(out, notes, 0);
}

void vb_phrase_index_release(struct vb_phrase_index *ix)
{
        size_t i;
        vb_pnotes_release(&ix->notes);
        for (i = 0; i < ix->nphrases; i++) {
                free(ix->phrases[i].text);
                free(ix->phrases[i].surface);
                free(ix->phrases[i].occ);
                vb_phrase_stored_free(ix->phrases[i].stored);
        }
        free(ix->phrases);
        for (i = 0; i < ix->nclusters; i++)
                free(ix->clusters[i].members);
        free(ix->clusters);
        words_free(ix->words);
        by_theme_free(ix->by_theme);
        vb_pview_free(ix->view);
        vb_pnotes_release(&ix->skipped);
        memset(ix, 0, sizeof *ix);
}

static int cmp_pnote_oid(const void *a, const void *b)
{
        return memcmp((*(struct vb_pnote *const *)a)->oid, (*(struct vb_pnote *const *)b)->oid, 20);
}

void vb_phrase_index_set_skipped(struct vb_phrase_index *ix, struct vb_pnotes *v)
{
        vb_pnotes_release(&ix->skipped);
        sort_n(v->v, v->n, sizeof *v->v, cmp_pnote_oid);
        for (size_t i = 0; i < v->n; i++) {
                const struct vb_pnote *last =
                    ix->skipped.n ? ix->skipped.v[ix->skipped.n - 1] : NULL;
                if (last && !memcmp(last->oid, v->v[i]->oid, 20))
                        vb_pnote_free(v->v[i]);
                else
                        vb_pnotes_add(&ix->skipped, v->v[i]);
                v->v[i] = NULL;
        }
        v->n = 0;
        vb_pnotes_release(v);
}

const struct vb_pnote *vb_phrase_index_skipped(const struct vb_phrase_index *ix,
                                               const unsigned char oid[20])
{
        return vb_pnotes_find_oid(&ix->skipped, oid);
}

static int cmp_word_id(const void *a, const void *b, void *arg)
{
        const struct vb_phrase_words *w = arg;
        uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
        return strcmp(w->pool.ptr + w->off[x], w->pool.ptr + w->off[y]);
}

void vb_phrase_index_postings(const struct vb_phrase_index *ix,
                              void (*fn)(void *arg, const char *word, size_t len,
                                         const struct vb_phrase_ref *refs, size_t n),
                              void *arg)
{
        struct vb_phrase_words *own = NULL;
        const struct vb_phrase_words *w = ix->words;
        struct vb_phrase_ref *refs = NULL;
        uint32_t *order;
        size_t i, j, cap = 0;
        if (!w || !w->post_off) {
                struct corpus c;
                own = vb_calloc(1, sizeof *own);
                corpus_build(&c, own, &ix->notes);
                words_postings(own, &c);
                corpus_free(&c);
                w = own;
        }
        order = vb_malloc((w->n ? w->n : 1) * sizeof *order);
        for (i = 0; i < w->n; i++)
                order[i] = (uint32_t)i;
        sort_r(order, w->n, sizeof *order, cmp_word_id, (void *)w);
        for (i = 0; i < w->n; i++) {
                uint32_t id = order[i], b = w->post_off[id], n = w->post_off[id + 1] - b;
                refs = vb_grow_array(refs, &cap, n, sizeof *refs);
                for (j = 0; j < n; j++)
                        refs[j] = w->quotes[w->post[b + j]];
                fn(arg, w->pool.ptr + w->off[id], w->len[id], refs, n);
        }
        free(refs);
        free(order);
        words_free(own);
}

/* ---- filters, top phrases, counts ---- */

static int has_string(char *const *v, size_t n, const char *s)
{
        size_t i;
        for (i = 0; i < n; i++)
                if (!strcmp(v[i], s))
                        return 1;
        return 0;
}

static const struct vb_pquote *quote_at(const struct vb_phrase_index *ix, struct vb_phrase_ref r,
                                        const struct vb_pnote **note);

/* 1 if `f` lets every quote pass. */
static int filter_none(const struct vb_phrase_filter *f)
{
        return !f || (!f->segment && !f->theme && !vb_date_is_set(f->since) &&
                      !vb_date_is_set(f->until) && !f->tier && !f->product && !f->line);
}

int vb_phrase_filter_match(const struct vb_phrase_index *ix, struct vb_phrase_ref r,
                           const struct vb_phrase_filter *f)
{
        const struct vb_pnote *n = NULL;
        const struct vb_pquote *q;
        if (!f)
                return 1;
        q = quote_at(ix, r, &n);
        if (!q)
                return 0;
        if (f->segment && (!n->segment || strcmp(f->segment, n->segment)))
                return 0;
        if (f->theme && !has_string(q->themes, q->nthemes, f->theme))
                return 0;
        if (vb_date_is_set(f->since) &&
            (!vb_date_is_set(n->date) || vb_date_cmp(n->date, f->since) < 0))
                return 0;
        if (vb_date_is_set(f->until) &&
            (!vb_date_is_set(n->date) || vb_date_cmp(n->date, f->until) > 0))
                return 0;
        if (f->tier && (!n->tier || strcmp(f->tier, n->tier)))
                return 0;
        if (f->product || f->line) {
                size_t i = 0;
                for (; i < n->nproducts; i++)
                        if ((!f->product || !strcmp(n->products[i], f->product)) &&
                            (!f->line || !strcmp(n->lines[i], f->line)))
                                break;
                if (i == n->nproducts)
                        return 0;
        }
        return 1;
}

static int cmp_top(const void *a, const void *b)
{
        const struct vb_phrase_top *x = a, *y = b;
        return cmp_phrase_top(x->phrase, x->nnotes, y->phrase, y->nnotes);
}

void vb_phrase_top(struct vb_phrase_tops *out, const struct vb_phrase_index *ix,
                   const struct vb_phrase_filter *f)
{
        size_t i, j;
        for (i = 0; i < ix->nphrases; i++) {
                const struct vb_phrase *p = &ix->phrases[i];
                struct vb_phrase_top t;
                uint32_t last = UINT32_MAX;
                memset(&t, 0, sizeof t);
                t.phrase = p;
                if (p->stored) { /* read in place: the file's top order, no filter */
                        if (!filter_none(f))
                                continue;
                        t.nnotes = p->nnotes;
                        t.nocc = p->nocc;
                        t.first = p->first;
                        t.last = p->last;
                        out->v = vb_grow_array(out->v, &out->cap, out->n + 1, sizeof *out->v);
                        out->v[out->n++] = t;
                        continue;
                }
                for (j = 0; j < p->nocc; j++) {
                        if (!vb_phrase_filter_match(ix, p->occ[j], f))
                                continue;
                        t.nocc++;
                        if (p->occ[j].note != last)
                                t.nnotes++;
                        last = p->occ[j].note;
                        vb_date_widen(&t.first, &t.last, ix->notes.v[last]->date);
                }
                if (t.nnotes < 2)
                        continue;
                out->v = vb_grow_array(out->v, &out->cap, out->n + 1, sizeof *out->v);
                out->v[out->n++] = t;
        }
        sort_n(out->v, out->n, sizeof *out->v, cmp_top);
}

/* ---- top phrases per theme ---- */

struct vb_phrase_by_theme {
        const char **themes;         /* sorted, distinct; borrowed from the notes */
        struct vb_phrase_tops *tops; /* of each theme */
        size_t n;
        struct vb_phrase_tops none; /* for a theme of no quote */
};

/* A theme's counts while one phrase is counted. */
struct theme_acc {
        size_t stamp; /* phrase + 1 these counts are of */
        uint32_t last;
        struct vb_phrase_top t;
};

static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int theme_id(const struct vb_phrase_by_theme *bt, const char *theme, uint32_t *id)
{
        const char **found = bsearch(&theme, bt->themes, bt->n, sizeof *bt->themes, cmp_str);
        if (!found)
                return 0;
        *id = (uint32_t)(found - bt->themes);
        return 1;
}

/* The distinct themes of the quotes of `ix`, and every quote's theme ids
 * (distinct): quote q of note i (global number g = qbase[i] + q) has
 * ids[off[g] .. off[g + 1]). */
static void theme_ids(struct vb_phrase_by_theme *bt, const struct vb_phrase_index *ix,
                      size_t *qbase, uint32_t **off_out, uint32_t **ids_out)
{
        size_t i, j, k, nq = 0, nall = 0, w;
        uint32_t *off, *ids;
        for (i = 0; i < ix->notes.n; i++) {
                const struct vb_pnote *n = ix->notes.v[i];
                qbase[i] = nq;
                nq += n->nquotes;
                for (j = 0; j < n->nquotes; j++)
                        nall += n->quotes[j].nthemes;
        }
        qbase[ix->notes.n] = nq;
        bt->themes = vb_malloc((nall ? nall : 1) * sizeof *bt->themes);
        for (i = 0; i < ix->notes.n; i++)
                for (j = 0; j < ix->notes.v[i]->nquotes; j++)
                        for (k = 0; k < ix->notes.v[i]->quotes[j].nthemes; k++)
                                bt->themes[bt->n++] = ix->notes.v[i]->quotes[j].themes[k];
        sort_n(bt->themes, bt->n, sizeof *bt->themes, cmp_str);
        for (i = 0, w = 0; i < bt->n; i++)
                if (!w || strcmp(bt->themes[w - 1], bt->themes[i]))
                        bt->themes[w++] = bt->themes[i];
        bt->n = w;
        off = vb_malloc((nq + 1) * sizeof *off);
        ids = vb_malloc((nall ? nall : 1) * sizeof *ids);
        w = 0;
        for (i = 0; i < ix->notes.n; i++) {
                for (j = 0; j < ix->notes.v[i]->nquotes; j++) {
                        const struct vb_pquote *q = &ix->notes.v[i]->quotes[j];
                        size_t start = w, m;
                        off[qbase[i] + j] = (uint32_t)w;
                        for (k = 0; k < q->nthemes; k++) {
                                uint32_t id = 0;
                                theme_id(bt, q->themes[k], &id);
                                for (m = start; m < w && ids[m] != id; m++)
                                        ;
                                if (m == w)
                                        ids[w++] = id;
                        }
                }
        }
        off[nq] = (uint32_t)w;
        *off_out = off;
        *ids_out = ids;
}

static struct vb_phrase_by_theme *by_theme_build(const struct vb_phrase_index *ix)
{
        struct vb_phrase_by_theme *bt = vb_calloc(1, sizeof *bt);
        size_t *qbase = vb_malloc((ix->notes.n + 1) * sizeof *qbase), *caps, i, j, m;
        uint32_t *off, *ids, *touched;
        struct theme_acc *acc;
        theme_ids(bt, ix, qbase, &off, &ids);
        bt->tops = vb_calloc(bt->n ? bt->n : 1, sizeof *bt->tops);
        caps = vb_calloc(bt->n ? bt->n : 1, sizeof *caps);
        acc = vb_calloc(bt->n ? bt->n : 1, sizeof *acc);
        touched = vb_malloc((bt->n ? bt->n : 1) * sizeof *touched);
        for (i = 0; i < ix->nphrases; i++) {
                const struct vb_phrase *p = &ix->phrases[i];
                size_t ntouched = 0;
                for (j = 0; j < p->nocc; j++) {
                        uint32_t note = p->occ[j].note;
                        size_t g = qbase[note] + p->occ[j].quote;
                        for (m = off[g]; m < off[g + 1]; m++) {
                                struct theme_acc *a = &acc[ids[m]];
                                if (a->stamp != i + 1) {
                                        a->stamp = i + 1;
                                        a->last = UINT32_MAX;
                                        memset(&a->t, 0, sizeof a->t);
                                        a->t.phrase = p;
                                        touched[ntouched++] = ids[m];
                                }
                                a->t.nocc++;
                                if (a->last != note)
                                        a->t.nnotes++;
                                a->last = note;
                                vb_date_widen(&a->t.first, &a->t.last, ix->notes.v[note]->date);
                        }
                }
                for (j = 0; j < ntouched; j++) {
                        struct vb_phrase_tops *out = &bt->tops[touched[j]];
                        if (acc[touched[j]].t.nnotes < 2)
                                continue;
                        out->v =
                            vb_grow_array(out->v, &caps[touched[j]], out->n + 1, sizeof *out->v);
                        out->v[out->n++] = acc[touched[j]].t;
                }
        }
        for (i = 0; i < bt->n; i++) {
                bt->tops[i].cap = caps[i];
                sort_n(bt->tops[i].v, bt->tops[i].n, sizeof *bt->tops[i].v, cmp_top);
        }
        free(touched);
        free(acc);
        free(caps);
        free(ids);
        free(off);
        free(qbase);
        return bt;
}

static void by_theme_free(struct vb_phrase_by_theme *bt)
{
        size_t i;
        if (!bt)
                return;
        for (i = 0; i < bt->n; i++)
                free(bt->tops[i].v);
        free(bt->tops);
        free(bt->themes);
        free(bt);
}

const struct vb_phrase_tops *vb_phrase_top_theme(struct vb_phrase_index *ix, const char *theme)
{
        uint32_t id;
        if (!ix->by_theme)
                ix->by_theme = by_theme_build(ix);
        if (!theme || !theme_id(ix->by_theme, theme, &id))
                return &ix->by_theme->none;
        return &ix->by_theme->tops[id];
}

static int cmp_count(const void *a, const void *b)
{
        const struct vb_phrase_count *x = a, *y = b;
        if (x->nnotes != y->nnotes)
                return x->nnotes > y->nnotes ? -1 : 1;
        return strcmp(x->key, y->key);
}

static void count_key(struct vb_phrase_counts *out, const char *key, uint32_t note,
                      uint32_t **lastv)
{
        size_t i;
        for (i = 0; i < out->n && strcmp(out->v[i].key, key); i++)
                ;
        if (i == out->n) {
                out->v = vb_grow_array(out->v, &out->cap, out->n + 1, sizeof *out->v);
                *lastv = vb_realloc(*lastv, out->cap * sizeof **lastv);
                out->v[i].key = key;
                out->v[i].nnotes = 0;
                (*lastv)[i] = UINT32_MAX;
                out->n++;
        }
        if ((*lastv)[i] != note) {
                (*lastv)[i] = note;
                out->v[i].nnotes++;
        }
}

void vb_phrase_counts(struct vb_phrase_counts *out, const struct vb_phrase_index *ix,
                      const struct vb_phrase *p, const struct vb_phrase_filter *f,
                      enum vb_phrase_by by)
{
        uint32_t *last = NULL;
        size_t i, j;
        if (p->stored) { /* read in place: as stored, and only without a filter */
                const struct vb_phrase_counts *c = &p->stored[by];
                if (!filter_none(f) || !c->n)
                        return;
                out->v = vb_grow_array(out->v, &out->cap, c->n, sizeof *out->v);
                memcpy(out->v, c->v, c->n * sizeof *out->v);
                out->n = c->n;
                return;
        }
        for (i = 0; i < p->nocc; i++) {
                const struct vb_pnote *n = ix->notes.v[p->occ[i].note];
                const struct vb_pquote *q = &n->quotes[p->occ[i].quote];
                if (!vb_phrase_filter_match(ix, p->occ[i], f))
                        continue;
                if (by == VB_PHRASE_BY_SEGMENT) {
                        if (n->segment)
                                count_key(out, n->segment, p->occ[i].note, &last);
                } else {
                        for (j = 0; j < q->nthemes; j++)
                                count_key(out, q->themes[j], p->occ[i].note, &last);
                }
        }
        free(last);
        sort_n(out->v, out->n, sizeof *out->v, cmp_count);
}

/* ---- search ---- */

/* The words of a query: normalized, in `pool` (each NUL-terminated). */
struct qwords {
        struct vb_buf pool;
        size_t *off, *len;
        size_t n, cap;
};

static void qwords_add(struct qwords *q, const char *s, size_t n)
{
        q->off = vb_grow_array(q->off, &q->cap, q->n + 1, sizeof *q->off);
        q->len = vb_realloc(q->len, q->cap * sizeof *q->len);
        q->off[q->n] = q->pool.len;
        q->len[q->n++] = n;
        vb_buf_add(&q->pool, s, n);
        vb_buf_addc(&q->pool, '\0');
}

static void qwords_release(struct qwords *q)
{
        vb_buf_release(&q->pool);
        free(q->off);
        free(q->len);
}

const struct vb_pnote *vb_phrase_index_note(const struct vb_phrase_index *ix, uint32_t i)
{
        if (ix->view) /* notes.v is filled in as notes are read */
                return vb_pview_note(ix->view, (struct vb_pnotes *)&ix->notes, i);
        return i < ix->notes.n ? ix->notes.v[i] : NULL;
}

/* The quote `r` of `ix`, NULL when the file is damaged there. */
static const struct vb_pquote *quote_at(const struct vb_phrase_index *ix, struct vb_phrase_ref r,
                                        const struct vb_pnote **note)
{
        const struct vb_pnote *n = vb_phrase_index_note(ix, r.note);
        if (!n)
                return NULL;
        if (r.quote >= n->nquotes) {
                if (ix->view)
                        vb_pview_damage(ix->view, "a quote reference points nowhere");
                return NULL;
        }
        *note = n;
        return &n->quotes[r.quote];
}

/* The quotes holding word s[0..n), ascending, into *out (caller frees); *all
 * set when `ix` has no word index (every quote may hold it). */
static void postings(const struct vb_phrase_index *ix, const char *s, size_t n,
                     struct vb_phrase_ref **out, size_t *nout, int *all)
{
        const struct vb_phrase_words *w = ix->words;
        *out = NULL;
        *nout = 0;
        *all = 0;
        if (ix->view) {
                vb_pview_postings(ix->view, s, n, out, nout);
        } else if (w && w->post_off) {
                int64_t id = word_find(w, s, n);
                size_t i, b;
                if (id < 0)
                        return;
                b = w->post_off[id];
                *nout = w->post_off[id + 1] - b;
                *out = vb_malloc((*nout ? *nout : 1) * sizeof **out);
                for (i = 0; i < *nout; i++)
                        (*out)[i] = w->quotes[w->post[b + i]];
        } else {
                *all = 1;
        }
}

/* The number of quotes that hold word s[0..n), or SIZE_MAX when `ix` has no
 * word index. */
static size_t word_count(const struct vb_phrase_index *ix, const char *s, size_t n)
{
        const struct vb_phrase_words *w = ix->words;
        size_t count = 0;
        if (ix->view) {
                vb_pview_postings(ix->view, s, n, NULL, &count);
        } else if (w && w->post_off) {
                int64_t id = word_find(w, s, n);
                if (id >= 0)
                        count = w->post_off[id + 1] - w->post_off[id];
        } else {
                count = SIZE_MAX;
        }
        return count;
}

/* The quotes that may hold every word of `q`, ascending, into *out (caller
 * frees): those of its rarest word (every quote without a word index).
 * Only these are read and tokenized, which checks the rest. */
static void candidates(const struct vb_phrase_index *ix, const struct qwords *q,
                       struct vb_phrase_ref **out, size_t *nout)
{
        size_t i, j, best = SIZE_MAX, bi = 0, cap = 0;
        int all;
        *out = NULL;
        *nout = 0;
        for (i = 0; i < q->n; i++) {
                size_t c = word_count(ix, q->pool.ptr + q->off[i], q->len[i]);
                if (c < best) {
                        best = c;
                        bi = i;
                }
        }
        if (best == 0)
                return;
        if (best != SIZE_MAX) {
                postings(ix, q->pool.ptr + q->off[bi], q->len[bi], out, nout, &all);
                return;
        }
        for (i = 0; i < ix->notes.n; i++)
                for (j = 0; j < ix->notes.v[i]->nquotes; j++) {
                        *out = vb_grow_array(*out, &cap, *nout + 1, sizeof **out);
                        (*out)[*nout].note = (uint32_t)i;
                        (*out)[(*nout)++].quote = (uint32_t)j;
                }
}

/* Whether the query words w[0..n) are the tokens at i (contiguous, in one run). */
static int words_at(const struct vb_ptokens *t, size_t i, const struct qwords *q, size_t w,
                    size_t n)
{
        size_t k;
        if (i + n > t->n)
                return 0;
        for (k = 0; k < n; k++) {
                const struct vb_ptoken *x = &t->v[i + k];
                if ((k && x->brk) || x->nlen != q->len[w + k] ||
                    memcmp(t->norm.ptr + x->norm, q->pool.ptr + q->off[w + k], x->nlen))
                        return 0;
        }
        return 1;
}

/* A term of a query: words w..w+n of the query; an exact phrase when quoted. */
struct term {
        size_t w, n;
        int quoted;
};

static int cmp_hit(const void *a, const void *b)
{
        const struct vb_phrase_hit *x = a, *y = b;
        int c = vb_date_cmp(x->note->date, y->note->date);
        if (c)
                return c;
        c = strcmp(x->note->id, y->note->id);
        return c ? c : cmp_ref(x->ref, y->ref);
}

static int cmp_span(const void *a, const void *b)
{
        const struct vb_phrase_span *x = a, *y = b;
        if (x->start != y->start)
                return x->start < y->start ? -1 : 1;
        return x->end < y->end ? -1 : x->end > y->end;
}

/* Matches the terms in the tokens `t` of a quote: 0 when a term is missing;
 * else appends every occurrence's span to out->spans (sorted, merged) and
 * sets the hit's match. */
static int match_terms(struct vb_phrase_hits *out, struct vb_phrase_hit *h,
                       const struct vb_ptokens *t, const struct qwords *q, const struct term *terms,
                       size_t nterms)
{
        size_t j, i, first = out->nspans, ws = (size_t)-1, we = 0, k, m;
        int have_phrase = 0;
        for (j = 0; j < nterms; j++) {
                int found = 0;
                for (i = 0; i < t->n; i++) {
                        struct vb_phrase_span sp;
                        if (!words_at(t, i, q, terms[j].w, terms[j].n))
                                continue;
                        sp.start = t->v[i].start;
                        sp.end = t->v[i + terms[j].n - 1].end;
                        if (!found && terms[j].quoted && !have_phrase) {
                                have_phrase = 1;
                                h->start = sp.start;
                                h->end = sp.end;
                        } else if (!found && !terms[j].quoted && sp.start < ws) {
                                ws = sp.start;
                                we = sp.end;
                        }
                        found = 1;
                        out->spans = vb_grow_array(out->spans, &out->spancap, out->nspans + 1,
                                                   sizeof *out->spans);
                        out->spans[out->nspans++] = sp;
                }
                if (!found) {
                        out->nspans = first;
                        return 0;
                }
        }
        if (!have_phrase) {
                h->start = ws;
                h->end = we;
        }
        sort_n(out->spans + first, out->nspans - first, sizeof *out->spans, cmp_span);
        for (k = first, m = first; k < out->nspans; k++) {
                if (m > first && out->spans[k].start <= out->spans[m - 1].end) {
                        if (out->spans[k].end > out->spans[m - 1].end)
                                out->spans[m - 1].end = out->spans[k].end;
                } else {
                        out->spans[m++] = out->spans[k];
                }
        }
        out->nspans = m;
        h->span = first;
        h->nspans = m - first;
        return 1;
}

/* Splits `query` into terms (each quoted part one phrase, each other word its
 * own term) over the words `q`. */
static void parse_query(struct qwords *q, struct term **terms, size_t *nterms, const char *query)
{
        struct vb_ptokens t = VB_PTOKENS_INIT;
        const char *s = query, *e;
        size_t i;
        while (*s) {
                int quoted = *s == '"';
                if (quoted)
                        s++;
                e = strchr(s, '"');
                if (!e)
                        e = s + strlen(s);
                vb_phrase_tokenize(&t, s, (size_t)(e - s));
                for (i = 0; i < t.n; i++) {
                        size_t n = quoted ? t.n : 1, j;
                        struct term *x;
                        *terms = vb_realloc(*terms, (*nterms + 1) * sizeof **terms);
                        x = &(*terms)[(*nterms)++];
                        x->w = q->n;
                        x->n = n;
                        x->quoted = quoted;
                        for (j = 0; j < n; j++)
                                qwords_add(q, t.norm.ptr + t.v[i + j].norm, t.v[i + j].nlen);
                        if (quoted)
                                break;
                }
                s = quoted && *e == '"' ? e + 1 : e;
        }
        vb_ptokens_release(&t);
}

int vb_phrase_search(struct vb_phrase_hits *out, const struct vb_phrase_index *ix,
                     const char *query, const struct vb_phrase_filter *f, struct vb_diags *d)
{
        struct vb_ptokens t = VB_PTOKENS_INIT;
        struct qwords q;
        struct term *terms = NULL;
        struct vb_phrase_ref *cand = NULL;
        size_t nterms = 0, ncand = 0, i;
        int ret = VB_OK;

        memset(&q, 0, sizeof q);
        vb_buf_init(&q.pool);
        parse_query(&q, &terms, &nterms, query);
        if (!q.n) {
                vb_diags_add(d, "", 0, 0, VB_SEV_ERROR, "empty-query",
                             "the query has no words: give words or an \"exact phrase\"");
                ret = VB_ERR;
                goto done;
        }
        candidates(ix, &q, &cand, &ncand);
        for (i = 0; i < ncand; i++) {
                const struct vb_pnote *n = NULL;
                const struct vb_pquote *qt = quote_at(ix, cand[i], &n);
                struct vb_phrase_hit h;
                if (!qt || !vb_phrase_filter_match(ix, cand[i], f))
                        continue;
                memset(&h, 0, sizeof h);
                h.ref = cand[i];
                h.note = n;
                h.quote = qt;
                vb_phrase_tokenize(&t, qt->text, strlen(qt->text));
                if (!match_terms(out, &h, &t, &q, terms, nterms))
                        continue;
                out->v = vb_grow_array(out->v, &out->cap, out->n + 1, sizeof *out->v);
                out->v[out->n++] = h;
        }
        sort_n(out->v, out->n, sizeof *out->v, cmp_hit);
done:
        free(cand);
        free(terms);
        qwords_release(&q);
        vb_ptokens_release(&t);
        return ret;
}

void vb_phrase_hits_release(struct vb_phrase_hits *h)
{
        free(h->v);
        free(h->spans);
        memset(h, 0, sizeof *h);
}

/* ---- continuations and sentence starts ---- */

/* A continuation seen after some words (a prefix, or a sentence start). */
struct nrec {
        size_t skey, sklen; /* the start's normalized words in the pool (starts) */
        size_t key, klen;   /* the continuation's normalized words in the pool */
        unsigned k;
        struct vb_phrase_ref ref;
        const char *text;      /* the quote's text */
        size_t toff;           /* (completions: its offset in nrecs.texts) */
        uint32_t start, end;   /* the continuation's bytes */
        uint32_t sstart, send; /* the start's bytes (starts) */
};

struct nrecs {
        struct nrec *v;
        size_t n, cap;
        struct vb_buf pool;
        struct vb_buf texts; /* completions: the quotes' texts, when borrowed ones may not last */
};

static void nrecs_release(struct nrecs *r)
{
        free(r->v);
        vb_buf_release(&r->pool);
        vb_buf_release(&r->texts);
}

static int cmp_pool(const char *pool, size_t a, size_t al, size_t b, size_t bl)
{
        int c = memcmp(pool + a, pool + b, al < bl ? al : bl);
        return c ? c : (al < bl ? -1 : al > bl);
}

static int cmp_nrec(const void *a, const void *b, void *arg)
{
        const struct nrec *x = a, *y = b;
        const char *pool = arg;
        int c = cmp_pool(pool, x->skey, x->sklen, y->skey, y->sklen);
        if (!c)
                c = cmp_pool(pool, x->key, x->klen, y->key, y->klen);
        return c ? c : cmp_ref(x->ref, y->ref);
}

/* Appends the normalized words t[i..i+n) joined by one space to the pool;
 * their offset. */
static size_t pool_words(struct vb_buf *pool, const struct vb_ptokens *t, size_t i, size_t n,
                         size_t *len)
{
        size_t off = pool->len, k;
        for (k = 0; k < n; k++) {
                if (k)
                        vb_buf_addc(pool, ' ');
                vb_buf_add(pool, t->norm.ptr + t->v[i + k].norm, t->v[i + k].nlen);
        }
        *len = pool->len - off;
        return off;
}

/* Records the continuations of 1 to VB_PHRASE_NEXT_WORDS words after token
 * `at` (up to the end of its run) in the quote `ref`; `proto` gives the
 * start. */
static void add_nexts(struct nrecs *r, const struct vb_ptokens *t, size_t at,
                      const struct nrec *proto)
{
        unsigned k;
        for (k = 1; k <= VB_PHRASE_NEXT_WORDS && at + k <= t->n; k++) {
                struct nrec *x;
                if (t->v[at + k - 1].brk)
                        break;
                r->v = vb_grow_array(r->v, &r->cap, r->n + 1, sizeof *r->v);
                x = &r->v[r->n++];
                *x = *proto;
                x->k = k;
                x->key = pool_words(&r->pool, t, at, k, &x->klen);
                x->start = (uint32_t)t->v[at].start;
                x->end = (uint32_t)t->v[at + k - 1].end;
        }
}

static int cmp_next(const void *a, const void *b)
{
        const struct vb_phrase_next *x = a, *y = b;
        if (x->nnotes != y->nnotes)
                return x->nnotes > y->nnotes ? -1 : 1;
        if (x->nwords != y->nwords)
                return x->nwords > y->nwords ? -1 : 1;
        return strcmp(x->text, y->text);
}

/* The maximal continuations of v[0..n) (one start, sorted by cmp_nrec) into
 * `out`, in order. */
static void nexts_of(struct vb_phrase_nexts *out, const char *pool, const struct nrec *v, size_t n)
{
        size_t i, j, first = out->n, keep;
        struct surf *sv = vb_malloc((n ? n : 1) * sizeof *sv);
        uint8_t *dom;
        for (i = 0; i < n; i = j) {
                struct vb_phrase_next *x;
                uint32_t last = UINT32_MAX;
                for (j = i; j < n && !cmp_pool(pool, v[j].key, v[j].klen, v[i].key, v[i].klen); j++)
                        surf_set(&sv[j - i], v[j].text, v[j].start, v[j].end);
                out->v = vb_grow_array(out->v, &out->cap, out->n + 1, sizeof *out->v);
                x = &out->v[out->n++];
                memset(x, 0, sizeof *x);
                x->text = vb_strndup(pool + v[i].key, v[i].klen);
                x->surface = surface_choose(sv, j - i);
                x->nwords = v[i].k;
                x->example = v[i].ref;
                for (size_t m = i; m < j; m++) {
                        if (m == i || cmp_ref(v[m].ref, v[m - 1].ref))
                                x->nocc++;
                        if (v[m].ref.note != last)
                                x->nnotes++;
                        last = v[m].ref.note;
                }
        }
        free(sv);
        /* maximality: the extensions of a continuation follow it in byte
         * order (a word never holds a byte below the space) */
        dom = vb_calloc(out->n - first + 1, 1);
        for (i = first; i < out->n; i++) {
                size_t len = strlen(out->v[i].text);
                for (j = i + 1; j < out->n && !strncmp(out->v[j].text, out->v[i].text, len) &&
                                out->v[j].text[len] == ' ';
                     j++)
                        if (out->v[j].nwords == out->v[i].nwords + 1 &&
                            out->v[j].nnotes == out->v[i].nnotes)
                                dom[i - first] = 1;
        }
        for (i = keep = first; i < out->n; i++) {
                if (dom[i - first]) {
                        free(out->v[i].text);
                        free(out->v[i].surface);
                } else {
                        out->v[keep++] = out->v[i];
                }
        }
        out->n = keep;
        free(dom);
        sort_n(out->v + first, out->n - first, sizeof *out->v, cmp_next);
}

void vb_phrase_nexts_release(struct vb_phrase_nexts *v)
{
        for (size_t i = 0; i < v->n; i++) {
                free(v->v[i].text);
                free(v->v[i].surface);
        }
        free(v->v);
        memset(v, 0, sizeof *v);
}

int vb_phrase_complete(struct vb_phrase_nexts *out, const struct vb_phrase_index *ix,
                       const char *prefix, const struct vb_phrase_filter *f, struct vb_diags *d)
{
        struct vb_ptokens t = VB_PTOKENS_INIT;
        struct qwords q;
        struct nrecs r;
        struct vb_phrase_ref *cand = NULL;
        size_t ncand = 0, i, p;

        memset(&q, 0, sizeof q);
        memset(&r, 0, sizeof r);
        vb_buf_init(&q.pool);
        vb_buf_init(&r.pool);
        vb_buf_init(&r.texts);
        vb_phrase_tokenize(&t, prefix, strlen(prefix));
        for (i = 0; i < t.n; i++)
                qwords_add(&q, t.norm.ptr + t.v[i].norm, t.v[i].nlen);
        if (!q.n) {
                vb_diags_add(d, "", 0, 0, VB_SEV_ERROR, "empty-query",
                             "the words to complete have no words: give the start of a sentence");
                qwords_release(&q);
                vb_ptokens_release(&t);
                return VB_ERR;
        }
        candidates(ix, &q, &cand, &ncand);
        for (i = 0; i < ncand; i++) {
                const struct vb_pnote *n = NULL;
                const char *text;
                struct nrec proto;
                size_t before = r.n;
                if (ix->view && filter_none(f)) {
                        /* only the quote's text: its note is read if shown */
                        text = vb_pview_quote_text(ix->view, &ix->notes, cand[i]);
                } else {
                        const struct vb_pquote *qt = quote_at(ix, cand[i], &n);
                        text = qt && vb_phrase_filter_match(ix, cand[i], f) ? qt->text : NULL;
                }
                if (!text)
                        continue;
                memset(&proto, 0, sizeof proto);
                proto.ref = cand[i];
                vb_phrase_tokenize(&t, text, strlen(text));
                for (p = 0; p + q.n <= t.n; p++)
                        if (words_at(&t, p, &q, 0, q.n))
                                add_nexts(&r, &t, p + q.n, &proto);
                if (r.n > before) { /* the surface forms need the text kept */
                        size_t off = r.texts.len;
                        vb_buf_add(&r.texts, text, strlen(text) + 1);
                        for (size_t k = before; k < r.n; k++)
                                r.v[k].toff = off;
                }
        }
        for (i = 0; i < r.n; i++)
                r.v[i].text = r.texts.ptr + r.v[i].toff;
        sort_r(r.v, r.n, sizeof *r.v, cmp_nrec, r.pool.ptr);
        nexts_of(out, r.pool.ptr, r.v, r.n);
        free(cand);
        nrecs_release(&r);
        qwords_release(&q);
        vb_ptokens_release(&t);
        return VB_OK;
}

static int cmp_start(const void *a, const void *b)
{
        const struct vb_phrase_start *x = a, *y = b;
        if (x->next.nnotes != y->next.nnotes)
                return x->next.nnotes > y->next.nnotes ? -1 : 1;
        if (x->nnotes != y->nnotes)
                return x->nnotes > y->nnotes ? -1 : 1;
        return strcmp(x->text, y->text);
}

void vb_phrase_starts(struct vb_phrase_starts *out, const struct vb_phrase_index *ix,
                      const char *theme, size_t max)
{
        struct vb_ptokens t = VB_PTOKENS_INIT;
        struct nrecs r;
        struct vb_phrase_nexts nx = VB_PHRASE_NEXTS_INIT;
        size_t i, j, p;
        memset(&r, 0, sizeof r);
        vb_buf_init(&r.pool);
        vb_buf_init(&r.texts);
        for (i = 0; i < ix->notes.n; i++) {
                const struct vb_pnote *n = vb_phrase_index_note(ix, (uint32_t)i);
                for (j = 0; n && j < n->nquotes; j++) {
                        const struct vb_pquote *qt = &n->quotes[j];
                        struct nrec proto;
                        if (theme && !has_string(qt->themes, qt->nthemes, theme))
                                continue;
                        vb_phrase_tokenize(&t, qt->text, strlen(qt->text));
                        memset(&proto, 0, sizeof proto);
                        proto.ref.note = (uint32_t)i;
                        proto.ref.quote = (uint32_t)j;
                        proto.text = qt->text;
                        for (p = 0; p + VB_PHRASE_START_WORDS < t.n; p++) {
                                size_t k;
                                if (p && !t.v[p].brk)
                                        continue; /* not the start of a run */
                                for (k = 1; k <= VB_PHRASE_START_WORDS && !t.v[p + k].brk; k++)
                                        ;
                                if (k <= VB_PHRASE_START_WORDS)
                                        continue; /* the run is too short to go on */
                                proto.skey =
                                    pool_words(&r.pool, &t, p, VB_PHRASE_START_WORDS, &proto.sklen);
                                proto.sstart = (uint32_t)t.v[p].start;
                                proto.send = (uint32_t)t.v[p + VB_PHRASE_START_WORDS - 1].end;
                                add_nexts(&r, &t, p + VB_PHRASE_START_WORDS, &proto);
                        }
                }
        }
        sort_r(r.v, r.n, sizeof *r.v, cmp_nrec, r.pool.ptr);
        for (i = 0; i < r.n; i = j) {
                size_t nnotes = 0, m, nfirst = 0;
                uint32_t *seen;
                struct surf *sv;
                for (j = i; j < r.n && !cmp_pool(r.pool.ptr, r.v[j].skey, r.v[j].sklen, r.v[i].skey,
                                                 r.v[i].sklen);
                     j++)
                        ;
                /* the start's notes: those of its one-word continuations */
                seen = vb_malloc((j - i) * sizeof *seen);
                sv = vb_malloc((j - i) * sizeof *sv);
                for (m = i; m < j; m++) {
                        if (r.v[m].k != 1)
                                continue;
                        seen[nfirst] = r.v[m].ref.note;
                        surf_set(&sv[nfirst++], r.v[m].text, r.v[m].sstart, r.v[m].send);
                }
                sort_n(seen, nfirst, sizeof *seen, cmp_u32);
                for (m = 0; m < nfirst; m++)
                        nnotes += !m || seen[m] != seen[m - 1];
                free(seen);
                if (nnotes >= 2) {
                        nexts_of(&nx, r.pool.ptr, r.v + i, j - i);
                        if (nx.n && nx.v[0].nnotes >= 2) {
                                struct vb_phrase_start *s;
                                out->v =
                                    vb_grow_array(out->v, &out->cap, out->n + 1, sizeof *out->v);
                                s = &out->v[out->n++];
                                s->text = vb_strndup(r.pool.ptr + r.v[i].skey, r.v[i].sklen);
                                s->surface = surface_choose(sv, nfirst);
                                s->nnotes = nnotes;
                                s->next = nx.v[0];
                                nx.v[0].text = nx.v[0].surface = NULL;
                        }
                        vb_phrase_nexts_release(&nx);
                }
                free(sv);
        }
        sort_n(out->v, out->n, sizeof *out->v, cmp_start);
        while (out->n > max) {
                struct vb_phrase_start *s = &out->v[--out->n];
                free(s->text);
                free(s->surface);
                free(s->next.text);
                free(s->next.surface);
        }
        nrecs_release(&r);
        vb_ptokens_release(&t);
}

void vb_phrase_starts_release(struct vb_phrase_starts *v)
{
        for (size_t i = 0; i < v->n; i++) {
                free(v->v[i].text);
                free(v->v[i].surface);
                free(v->v[i].next.text);
                free(v->v[i].next.surface);
        }
        free(v->v);
        memset(v, 0, sizeof *v);
}
