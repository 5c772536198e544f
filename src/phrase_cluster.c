/* The phrase index's clusters of similar quotes (rules in phrase.h). */
#include "verbatim/phrase.h"
#include "phrase_int.h"
#include "verbatim/vocab.h"
#include "verbatim/utf8.h"

#include <stdlib.h>
#include <string.h>

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
        c = strcmp(vb_phr_ref_text(ix, w->quotes[x->q]), vb_phr_ref_text(ix, w->quotes[y->q]));
        if (c)
                return c < 0;
        c = strcmp(ix->notes.v[w->quotes[x->q].note]->id, ix->notes.v[w->quotes[y->q].note]->id);
        if (c)
                return c < 0;
        return vb_phr_cmp_ref(w->quotes[x->q], w->quotes[y->q]) < 0;
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
        c = strcmp(vb_phr_ref_text(ix, x->rep), vb_phr_ref_text(ix, y->rep));
        return c ? c : vb_phr_cmp_ref(x->rep, y->rep);
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

void vb_phr_find_clusters(struct vb_phrase_index *ix, const struct vb_phr_corpus *c)
{
        const struct vb_phrase_words *w = ix->words;
        size_t nq = w->nquotes, nsets = 0, capsets = 0, nids = 0, capids = 0, i, j;
        uint32_t *ids = NULL, *qset = vb_malloc((nq ? nq : 1) * sizeof *qset);
        struct tset *sets = NULL;
        uint32_t *slots, *df, *parent, *order, *post_off, *post, *seen;
        size_t nslots = vb_phr_pow2_at_least(nq * 2 + 16), nedges = 0, capedges = 0, nm = 0;
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
                        vb_phr_sort_n(ids + start, nids - start, sizeof *ids, vb_phr_cmp_u32);
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
                vb_phr_sort_r(order + sets[i].off, sets[i].n, sizeof *order, cmp_by_df, df);
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
        vb_phr_sort_n(m, nm, sizeof *m, cmp_member);
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
        vb_phr_sort_r(ix->clusters, ix->nclusters, sizeof *ix->clusters, cmp_cluster, ix);

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
