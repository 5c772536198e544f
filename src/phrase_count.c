/* The phrase index's phrases: recurring maximal n-grams counted level by
 * level, and the surface form each is shown in (rules in phrase.h).
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

static uint32_t gram_hash32(const struct vb_phr_corpus *c, size_t pos, unsigned k)
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
static struct lgram *ltable_get(struct ltable *t, const struct vb_phr_corpus *c, size_t pos,
                                unsigned k, int insert)
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
static size_t ctable_slot(const struct ctable *t, const struct cand *cand,
                          const struct vb_phr_corpus *c, size_t pos, unsigned k, uint32_t h)
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
static uint32_t ctable_find(const struct ctable *t, const struct cand *cand,
                            const struct vb_phr_corpus *c, size_t pos, unsigned k)
{
        return t->id[ctable_slot(t, cand, c, pos, k, gram_hash32(c, pos, k))] - 1;
}

static int gram_ok(const struct vb_phr_corpus *c, const uint8_t *mask, size_t p, unsigned k)
{
        if (c->run[p] < k)
                return 0;
        return k == 2 || ((mask[p] >> (k - 1) & 1) && (mask[p + 1] >> (k - 1) & 1));
}

int vb_phr_cmp_phrase_top(const struct vb_phrase *a, size_t an, const struct vb_phrase *b,
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
        return vb_phr_cmp_phrase_top(x, x->nnotes, y, y->nnotes);
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

static int cmp_surf(const void *a, const void *b)
{
        const struct vb_phr_surf *x = a, *y = b;
        return x->h < y->h ? -1 : x->h > y->h;
}

void vb_phr_surf_set(struct vb_phr_surf *v, const char *text, size_t start, size_t end)
{
        v->h = surface_hash(text, start, end);
        v->text = text;
        v->start = (uint32_t)start;
        v->end = (uint32_t)end;
}

char *vb_phr_surface_choose(struct vb_phr_surf *v, size_t n)
{
        struct vb_buf best = VB_BUF_INIT, cur = VB_BUF_INIT;
        size_t i, j, bestn = 0;
        vb_phr_sort_n(v, n, sizeof *v, cmp_surf);
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

void vb_phr_find_phrases(struct vb_phrase_index *ix, const struct vb_phr_corpus *c)
{
        const struct vb_phrase_words *w = ix->words;
        uint8_t *mask = vb_calloc(c->ntok ? c->ntok : 1, 1);
        struct ltable t;
        struct ctable all;
        struct cand *cand;
        size_t ncand = 0, nexpect = 0, nout = 0, q, p, i, nsurf, *sbase;
        struct vb_phr_surf *surfs;
        unsigned k;

        /* levels: mark the positions whose k-gram recurs, and count the
         * distinct recurring k-grams (the candidates) */
        for (k = VB_PHRASE_MIN_WORDS; k <= VB_PHRASE_MAX_WORDS; k++) {
                size_t expect = 0, pass;
                for (p = 0; p < c->ntok; p++)
                        expect += gram_ok(c, mask, p, k);
                if (!expect)
                        break;
                ltable_init(&t, vb_phr_pow2_at_least(expect < 1024 ? expect * 2 : 1024));
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
        all.cap = vb_phr_pow2_at_least(nexpect + nexpect / 2 + 1);
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
                const char *text = vb_phr_ref_text(ix, w->quotes[q]);
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
                                vb_phr_surf_set(&surfs[sbase[x->out] + ph->nocc], text,
                                                words.v[at].start, words.v[at + k - 1].end);
                                ph->occ[ph->nocc++] = w->quotes[q];
                                vb_date_widen(&ph->first, &ph->last,
                                              ix->notes.v[w->quotes[q].note]->date);
                        }
                }
        }
        vb_ptokens_release(&words);
        for (i = 0; i < nout; i++)
                ix->phrases[i].surface =
                    vb_phr_surface_choose(surfs + sbase[i], sbase[i + 1] - sbase[i]);
        free(surfs);
        free(sbase);
        vb_phr_sort_n(ix->phrases, ix->nphrases, sizeof *ix->phrases, cmp_phrase);
        free(all.h);
        free(all.id);
        free(cand);
        free(mask);
}
