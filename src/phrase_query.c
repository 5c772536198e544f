/* Queries on a phrase index: filters, top phrases (overall and per theme),
 * counts, search, continuations and sentence starts (rules in phrase.h). */
#include "verbatim/phrase.h"
#include "phrase_int.h"
#include "verbatim/vocab.h"
#include "verbatim/utf8.h"

#include <stdlib.h>
#include <string.h>

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
        return vb_phr_cmp_phrase_top(x->phrase, x->nnotes, y->phrase, y->nnotes);
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
        vb_phr_sort_n(out->v, out->n, sizeof *out->v, cmp_top);
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
        vb_phr_sort_n(bt->themes, bt->n, sizeof *bt->themes, cmp_str);
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
                vb_phr_sort_n(bt->tops[i].v, bt->tops[i].n, sizeof *bt->tops[i].v, cmp_top);
        }
        free(touched);
        free(acc);
        free(caps);
        free(ids);
        free(off);
        free(qbase);
        return bt;
}

void vb_phr_by_theme_free(struct vb_phrase_by_theme *bt)
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
        vb_phr_sort_n(out->v, out->n, sizeof *out->v, cmp_count);
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
                int64_t id = vb_phr_word_find(w, s, n);
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
                int64_t id = vb_phr_word_find(w, s, n);
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
        return c ? c : vb_phr_cmp_ref(x->ref, y->ref);
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
        vb_phr_sort_n(out->spans + first, out->nspans - first, sizeof *out->spans, cmp_span);
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
        vb_phr_sort_n(out->v, out->n, sizeof *out->v, cmp_hit);
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
        return c ? c : vb_phr_cmp_ref(x->ref, y->ref);
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
        struct vb_phr_surf *sv = vb_malloc((n ? n : 1) * sizeof *sv);
        uint8_t *dom;
        for (i = 0; i < n; i = j) {
                struct vb_phrase_next *x;
                uint32_t last = UINT32_MAX;
                for (j = i; j < n && !cmp_pool(pool, v[j].key, v[j].klen, v[i].key, v[i].klen); j++)
                        vb_phr_surf_set(&sv[j - i], v[j].text, v[j].start, v[j].end);
                out->v = vb_grow_array(out->v, &out->cap, out->n + 1, sizeof *out->v);
                x = &out->v[out->n++];
                memset(x, 0, sizeof *x);
                x->text = vb_strndup(pool + v[i].key, v[i].klen);
                x->surface = vb_phr_surface_choose(sv, j - i);
                x->nwords = v[i].k;
                x->example = v[i].ref;
                for (size_t m = i; m < j; m++) {
                        if (m == i || vb_phr_cmp_ref(v[m].ref, v[m - 1].ref))
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
        vb_phr_sort_n(out->v + first, out->n - first, sizeof *out->v, cmp_next);
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
        vb_phr_sort_r(r.v, r.n, sizeof *r.v, cmp_nrec, r.pool.ptr);
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
        vb_phr_sort_r(r.v, r.n, sizeof *r.v, cmp_nrec, r.pool.ptr);
        for (i = 0; i < r.n; i = j) {
                size_t nnotes = 0, m, nfirst = 0;
                uint32_t *seen;
                struct vb_phr_surf *sv;
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
                        vb_phr_surf_set(&sv[nfirst++], r.v[m].text, r.v[m].sstart, r.v[m].send);
                }
                vb_phr_sort_n(seen, nfirst, sizeof *seen, vb_phr_cmp_u32);
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
                                s->surface = vb_phr_surface_choose(sv, nfirst);
                                s->nnotes = nnotes;
                                s->next = nx.v[0];
                                nx.v[0].text = nx.v[0].surface = NULL;
                        }
                        vb_phrase_nexts_release(&nx);
                }
                free(sv);
        }
        vb_phr_sort_n(out->v, out->n, sizeof *out->v, cmp_start);
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
