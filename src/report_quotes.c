/* Long lists of the report read newest first: a theme's best quotes, its
 * quotes folded by similarity, and pages of RS_PAGE_ITEMS items. */
#include "report_site.h"
#include "verbatim/html.h"
#include "verbatim/phrase.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- pages of a long list ---- */

void rs_paged_path(struct vb_buf *path, const char *base, size_t page)
{
        vb_buf_reset(path);
        vb_buf_adds(path, base);
        if (page > 1)
                vb_buf_addf(path, "-%zu", page);
        vb_buf_adds(path, ".html");
}

size_t rs_page_count(size_t items)
{
        return items ? (items + RS_PAGE_ITEMS - 1) / RS_PAGE_ITEMS : 1;
}

void rs_pager(struct vb_buf *o, const char *base, size_t page, size_t npages)
{
        if (npages < 2)
                return;
        const char *name = strrchr(base, '/');
        name = name ? name + 1 : base;
        vb_buf_addf(o, "<nav class=\"pager\" aria-label=\"Pages\"><p>Page %zu of %zu", page,
                    npages);
        if (page > 1) {
                vb_buf_adds(o, " · <a rel=\"prev\" href=\"");
                vb_buf_adds(o, name); /* [a-z0-9_-] */
                if (page > 2)
                        vb_buf_addf(o, "-%zu", page - 1);
                vb_buf_adds(o, ".html\">Newer</a>");
        }
        if (page < npages) {
                vb_buf_adds(o, " · <a rel=\"next\" href=\"");
                vb_buf_adds(o, name);
                vb_buf_addf(o, "-%zu.html\">Older</a>", page + 1);
        }
        vb_buf_adds(o, "</p></nav>\n");
}

/* ---- content words ---- */

struct qwords {
        uint64_t *w; /* every quote's sorted distinct content words (hashes) */
        size_t n, cap;
        size_t *off; /* quote i: w[off[i]..off[i + 1]) */
};

static int u64_cmp(const void *x, const void *y)
{
        uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
        return (a > b) - (a < b);
}

static int word_byte(unsigned char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c >= 0x80;
}

/* Appends the content words of `text`: runs of letters, digits and non-ASCII
 * bytes, lower-cased, apostrophes dropped ("didn't" is "didnt"), stop words
 * (vb_phrase_is_stop_word) left out; sorted, each once. */
static void add_words(struct qwords *q, const char *text)
{
        char word[64];
        size_t start = q->n;
        const unsigned char *p = (const unsigned char *)text;
        while (*p) {
                size_t len = 0;
                uint64_t h = 1469598103934665603u;
                while (*p && (word_byte(*p) || *p == '\'')) {
                        if (*p != '\'') {
                                unsigned char c = *p >= 'A' && *p <= 'Z' ? *p + 32 : *p;
                                if (len < sizeof word)
                                        word[len] = (char)c;
                                len++;
                                h = (h ^ c) * 1099511628211u;
                        }
                        p++;
                }
                if (len && (len > sizeof word || !vb_phrase_is_stop_word(word, len))) {
                        if (q->n == q->cap) {
                                q->cap = q->cap ? q->cap * 2 : 256;
                                q->w = vb_realloc(q->w, q->cap * sizeof *q->w);
                        }
                        q->w[q->n++] = h;
                }
                while (*p && !word_byte(*p) && *p != '\'')
                        p++;
        }
        if (q->n > start) /* q->w is NULL until the first word */
                qsort(q->w + start, q->n - start, sizeof *q->w, u64_cmp);
        size_t k = start;
        for (size_t i = start; i < q->n; i++)
                if (k == start || q->w[k - 1] != q->w[i])
                        q->w[k++] = q->w[i];
        q->n = k;
}

static int similar(const struct qwords *q, size_t a, size_t b)
{
        size_t i = q->off[a], ie = q->off[a + 1], j = q->off[b], je = q->off[b + 1];
        size_t na = ie - i, nb = je - j, common = 0;
        if (!na || !nb)
                return 0;
        while (i < ie && j < je) {
                common += q->w[i] == q->w[j];
                size_t wi = i;
                i += q->w[wi] <= q->w[j];
                j += q->w[wi] >= q->w[j];
        }
        return vb_phrase_similar(common, na + nb - common);
}

/* ---- a theme's quotes ---- */

/* The theme's quotes newest first (t->quotes is oldest first). */
static const struct vb_quote_ref *newest(const struct vb_theme_stats *t, size_t i)
{
        return &t->quotes[t->nquotes - 1 - i];
}

static void quote_words(struct qwords *q, const struct vb_theme_stats *t, size_t n)
{
        q->off = vb_malloc((n + 1) * sizeof *q->off);
        for (size_t i = 0; i < n; i++) {
                const struct vb_quote_ref *r = newest(t, i);
                q->off[i] = q->n;
                add_words(q, r->note->quotes[r->quote].text);
        }
        q->off[n] = q->n;
}

struct scored {
        double score;
        size_t i; /* newest-first position */
};

static int scored_cmp(const void *x, const void *y)
{
        const struct scored *a = x, *b = y;
        if (a->score != b->score)
                return a->score < b->score ? 1 : -1;
        return (a->i > b->i) - (a->i < b->i);
}

static size_t count_of(const uint64_t *all, size_t n, uint64_t w)
{
        size_t lo = 0, hi = n;
        while (lo < hi) { /* first >= w */
                size_t mid = lo + (hi - lo) / 2;
                if (all[mid] < w)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        size_t k = lo;
        while (k < n && all[k] == w)
                k++;
        return k - lo;
}

static int same_customer(const struct vb_note *a, const struct vb_note *b)
{
        return a->customer.value && b->customer.value &&
               !strcmp(a->customer.value, b->customer.value);
}

size_t rs_best_quotes(const struct vb_theme_stats *t, size_t best[RS_BEST_QUOTES])
{
        size_t n = t->nquotes < RS_BEST_CANDIDATES ? t->nquotes : RS_BEST_CANDIDATES, nbest = 0;
        struct qwords q = {0};
        quote_words(&q, t, n);
        uint64_t *all = vb_malloc((q.n ? q.n : 1) * sizeof *all);
        if (q.n) /* q.w is NULL when no quote has a content word */
                memcpy(all, q.w, q.n * sizeof *all);
        qsort(all, q.n, sizeof *all, u64_cmp);
        struct scored *sc = vb_malloc((n ? n : 1) * sizeof *sc);
        size_t nsc = 0;
        for (size_t i = 0; i < n; i++) {
                size_t nw = q.off[i + 1] - q.off[i], shared = 0;
                if (!nw)
                        continue; /* no content words: says nothing of its own */
                for (size_t k = q.off[i]; k < q.off[i + 1]; k++)
                        shared += count_of(all, q.n, q.w[k]) - 1;
                sc[nsc].score = (double)shared / (double)nw;
                sc[nsc++].i = i;
        }
        qsort(sc, nsc, sizeof *sc, scored_cmp);
        for (size_t k = 0; k < nsc && nbest < RS_BEST_QUOTES; k++) {
                size_t i = sc[k].i, j;
                for (j = 0; j < nbest; j++)
                        if (same_customer(newest(t, i)->note, newest(t, best[j])->note) ||
                            similar(&q, i, best[j]))
                                break;
                if (j == nbest)
                        best[nbest++] = i;
        }
        free(sc);
        free(all);
        free(q.w);
        free(q.off);
        return nbest;
}

void rs_quote_groups(const struct vb_theme_stats *t, struct rs_groups *g)
{
        size_t n = t->nquotes;
        struct qwords q = {0};
        quote_words(&q, t, n);
        g->next = vb_malloc((n ? n : 1) * sizeof *g->next);
        g->count = vb_malloc((n ? n : 1) * sizeof *g->count);
        g->head = vb_malloc((n ? n : 1) * sizeof *g->head);
        size_t *tail = vb_malloc((n ? n : 1) * sizeof *tail);
        g->n = 0;
        for (size_t i = 0; i < n; i++) {
                size_t k = g->n, lo = g->n > RS_FOLD_WINDOW ? g->n - RS_FOLD_WINDOW : 0;
                g->next[i] = SIZE_MAX;
                while (k > lo && !similar(&q, g->head[k - 1], i))
                        k--;
                if (k > lo) {
                        g->next[tail[k - 1]] = i;
                        tail[k - 1] = i;
                        g->count[k - 1]++;
                } else {
                        g->head[g->n] = tail[g->n] = i;
                        g->count[g->n++] = 1;
                }
        }
        free(tail);
        free(q.w);
        free(q.off);
}

void rs_groups_release(struct rs_groups *g)
{
        free(g->next);
        free(g->count);
        free(g->head);
}

const struct vb_quote_ref *rs_newest_quote(const struct vb_theme_stats *t, size_t i)
{
        return newest(t, i);
}
