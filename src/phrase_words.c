/* The phrase index's words: tokens, normalisation, stop words; the word
 * table (interned words, each quote's words as ids: the corpus) and the
 * search index of word -> quotes (rules in phrase.h). */
#include "verbatim/phrase.h"
#include "phrase_int.h"
#include "verbatim/vocab.h"
#include "verbatim/utf8.h"

#include <stdlib.h>
#include <string.h>

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

static uint32_t *word_slot(const struct vb_phrase_words *w, const char *s, size_t n)
{
        size_t mask = w->nslots - 1, i = hash_bytes(s, n) & mask;
        for (;; i = (i + 1) & mask) {
                uint32_t id = w->slots[i];
                if (!id || (w->len[id - 1] == n && !memcmp(w->pool.ptr + w->off[id - 1], s, n)))
                        return &w->slots[i];
        }
}

int64_t vb_phr_word_find(const struct vb_phrase_words *w, const char *s, size_t n)
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
                w->nslots = vb_phr_pow2_at_least((w->n + 1) * 4);
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

void vb_phr_words_free(struct vb_phrase_words *w)
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

void vb_phr_corpus_free(struct vb_phr_corpus *c)
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

void vb_phr_corpus_build(struct vb_phr_corpus *c, struct vb_phrase_words *w,
                         const struct vb_pnotes *notes)
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

void vb_phr_words_postings(struct vb_phrase_words *w, const struct vb_phr_corpus *c)
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
