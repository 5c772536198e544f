/* Aggregation: counts, rates, weekly series, trends, roadmap and reasons of
 * a loaded knowledge base (see agg.h and notes-format.md, "Terms, counts and
 * time").  Linear in the notes, apart from sorts; themes and customers are
 * found through hash tables. */
#include "verbatim/agg.h"
#include "verbatim/phrase.h"

#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX

/* A string -> index hash table (open addressing); keys are borrowed. */
struct strmap {
        const char **keys;
        uint32_t *vals;
        size_t cap, n;
};

static uint64_t hash_str(const char *s)
{
        uint64_t h = 1469598103934665603ULL;
        while (*s) {
                h ^= (unsigned char)*s++;
                h *= 1099511628211ULL;
        }
        return h;
}

static void strmap_grow(struct strmap *m)
{
        size_t cap = m->cap ? m->cap * 2 : 64;
        const char **keys = vb_calloc(cap, sizeof(*keys));
        uint32_t *vals = vb_calloc(cap, sizeof(*vals));
        for (size_t i = 0; i < m->cap; i++) {
                if (!m->keys[i])
                        continue;
                size_t h = hash_str(m->keys[i]) & (cap - 1);
                while (keys[h])
                        h = (h + 1) & (cap - 1);
                keys[h] = m->keys[i];
                vals[h] = m->vals[i];
        }
        free(m->keys);
        free(m->vals);
        m->keys = keys;
        m->vals = vals;
        m->cap = cap;
}

static uint32_t strmap_get(const struct strmap *m, const char *key)
{
        if (!m->cap)
                return NONE;
        size_t h = hash_str(key) & (m->cap - 1);
        while (m->keys[h]) {
                if (!strcmp(m->keys[h], key))
                        return m->vals[h];
                h = (h + 1) & (m->cap - 1);
        }
        return NONE;
}

/* The value of `key`; when absent, inserts it with `val` and sets *added. */
static uint32_t strmap_put(struct strmap *m, const char *key, uint32_t val, int *added)
{
        *added = 0;
        if ((m->n + 1) * 2 > m->cap)
                strmap_grow(m);
        size_t h = hash_str(key) & (m->cap - 1);
        while (m->keys[h]) {
                if (!strcmp(m->keys[h], key))
                        return m->vals[h];
                h = (h + 1) & (m->cap - 1);
        }
        m->keys[h] = key;
        m->vals[h] = val;
        m->n++;
        *added = 1;
        return val;
}

static void strmap_free(struct strmap *m)
{
        free(m->keys);
        free(m->vals);
}

/* A growable array of uint32_t or uint64_t. */
struct u32v {
        uint32_t *v;
        size_t n, cap;
};

static void u32_push(struct u32v *a, uint32_t x)
{
        a->v = vb_grow_array(a->v, &a->cap, a->n + 1, sizeof(*a->v));
        a->v[a->n++] = x;
}

struct u64v {
        uint64_t *v;
        size_t n, cap;
};

static void u64_push(struct u64v *a, uint64_t x)
{
        a->v = vb_grow_array(a->v, &a->cap, a->n + 1, sizeof(*a->v));
        a->v[a->n++] = x;
}

/* qsort, which must not be given NULL even for no elements. */
static void sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
        if (n > 1)
                qsort(base, n, size, cmp);
}

static int u64_cmp(const void *pa, const void *pb)
{
        uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
        return a < b ? -1 : a > b;
}

/* Sorts k->v ascending.  A radix sort, byte by byte from the lowest, that
 * skips the bytes every key shares: keys are a small group index and a
 * customer index, so three or four passes do (qsort took half the
 * aggregates' time at 100k notes).  qsort for a few keys. */
static void sort_u64(struct u64v *k)
{
        size_t n = k->n, count[8][256];
        if (n < 64) {
                sort(k->v, n, sizeof(*k->v), u64_cmp);
                return;
        }
        memset(count, 0, sizeof(count));
        for (size_t i = 0; i < n; i++)
                for (int d = 0; d < 8; d++)
                        count[d][(k->v[i] >> (8 * d)) & 255]++;
        uint64_t *src = k->v, *dst = vb_malloc(n * sizeof(*dst));
        for (int d = 0; d < 8; d++) {
                size_t *c = count[d], sum = 0;
                if (c[(src[0] >> (8 * d)) & 255] == n)
                        continue; /* the same byte in every key */
                for (int b = 0; b < 256; b++) {
                        size_t here = c[b];
                        c[b] = sum;
                        sum += here;
                }
                for (size_t i = 0; i < n; i++)
                        dst[c[(src[i] >> (8 * d)) & 255]++] = src[i];
                uint64_t *t = src;
                src = dst;
                dst = t;
        }
        if (src != k->v) {
                memcpy(k->v, src, n * sizeof(*src));
                dst = src;
        }
        free(dst);
}

void vb_sort_keys(uint64_t *v, size_t n)
{
        struct u64v k = {v, n, n};
        sort_u64(&k);
}

/* Keys are (group << 32 | customer).  Sorts them, then adds to notes[group]
 * one per key and to customers[group] one per distinct customer (NONE
 * customers are not counted).  Either array may be NULL. */
static void count_groups(struct u64v *k, size_t *notes, size_t *customers)
{
        sort_u64(k);
        for (size_t i = 0; i < k->n; i++) {
                uint32_t g = (uint32_t)(k->v[i] >> 32), c = (uint32_t)k->v[i];
                if (notes)
                        notes[g]++;
                if (customers && c != NONE && (i == 0 || k->v[i - 1] != k->v[i]))
                        customers[g]++;
        }
}

/* One note in the aggregates. */
struct row {
        const struct vb_note *n;
        uint32_t cust, seg, tier;
        long slot; /* week slot, -1 when undated */
        int conv;
        uint32_t tfirst, tcount; /* its themes in build.row_themes */
};

struct build {
        struct vb_agg *a;
        const struct vb_vocab *v;
        struct row *rows;
        size_t nrows;
        struct strmap segmap, custmap, themap;
        struct u32v row_themes;
        const char **theme_keys; /* by theme index, borrowed while building */
        size_t nthemes, theme_cap;
        uint32_t unknown; /* index of "unknown", or NONE */
};

static int row_cmp(const struct row *a, const struct row *b)
{
        int c = vb_date_cmp(a->n->date, b->n->date);
        if (!c)
                c = strcmp(a->n->id ? a->n->id : "", b->n->id ? b->n->id : "");
        if (!c)
                c = strcmp(a->n->path ? a->n->path : "", b->n->path ? b->n->path : "");
        return c;
}

/* Sorting row indices by row_cmp needs the rows: qsort has no context, so
 * sort pairs that carry a pointer. */
struct row_ptr {
        const struct row *r;
        uint32_t index;
        uint32_t extra; /* quote index or group */
};

static int row_ptr_cmp(const void *pa, const void *pb)
{
        const struct row_ptr *a = pa, *b = pb;
        int c = a->extra < b->extra ? -1 : a->extra > b->extra;
        if (c)
                return c;
        c = row_cmp(a->r, b->r);
        if (c)
                return c;
        return a->index < b->index ? -1 : a->index > b->index;
}

/* Quotes sort by theme, then date, note id, path, quote index. */
struct quote_ent {
        const struct row *r;
        uint32_t theme, quote;
};

static int quote_ent_cmp(const void *pa, const void *pb)
{
        const struct quote_ent *a = pa, *b = pb;
        if (a->theme != b->theme)
                return a->theme < b->theme ? -1 : 1;
        int c = row_cmp(a->r, b->r);
        if (c)
                return c;
        return a->quote < b->quote ? -1 : a->quote > b->quote;
}

int vb_rank_cmp(size_t a_customers, size_t a_notes, const char *a_key, size_t b_customers,
                size_t b_notes, const char *b_key)
{
        if (a_customers != b_customers)
                return a_customers > b_customers ? -1 : 1;
        if (a_notes != b_notes)
                return a_notes > b_notes ? -1 : 1;
        return strcmp(a_key, b_key);
}

int vb_count_cmp(const void *pa, const void *pb)
{
        const struct vb_count *a = pa, *b = pb;
        return vb_rank_cmp(a->customers, a->notes, a->key, b->customers, b->notes, b->key);
}

static int theme_cmp(const void *pa, const void *pb)
{
        const struct vb_theme_stats *a = pa, *b = pb;
        return vb_rank_cmp(a->customers, a->notes, a->key, b->customers, b->notes, b->key);
}

static int str_ptr_cmp(const void *pa, const void *pb)
{
        return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

static int theme_ptr_key_cmp(const void *pa, const void *pb)
{
        return strcmp((*(const struct vb_theme_stats *const *)pa)->key,
                      (*(const struct vb_theme_stats *const *)pb)->key);
}

static void series_init(struct vb_agg *a, struct vb_series *s)
{
        s->count = vb_arena_alloc(&a->arena, (a->nweeks ? a->nweeks : 1) * sizeof(*s->count));
}

long vb_agg_week_slot(const struct vb_agg *a, struct vb_date d)
{
        if (!vb_date_is_set(d) || !a->nweeks)
                return -1;
        int64_t w = vb_week_index(d) - a->first_week;
        return w < 0 || w >= (int64_t)a->nweeks ? -1 : (long)w;
}

size_t vb_agg_series_last(const struct vb_agg *a, const struct vb_series *s, size_t weeks)
{
        size_t sum = 0;
        for (size_t i = 0; i < weeks && i < a->nweeks; i++)
                sum += s->count[a->nweeks - 1 - i];
        return sum;
}

/* Sum of series values in slots [from, to), clamped to the series. */
static size_t series_sum(const struct vb_agg *a, const uint32_t *s, long from, long to)
{
        size_t sum = 0;
        if (from < 0)
                from = 0;
        for (long i = from; i < to && i < (long)a->nweeks; i++)
                sum += s[i];
        return sum;
}

static double ratio(size_t num, size_t den)
{
        return den ? (double)num / (double)den : 0.0;
}

static const char *segment_key(const struct vb_vocab *v, const struct vb_note *n)
{
        return vb_vocab_segment_key(v, n->segment.value);
}

int vb_agg_note_matches(const struct vb_vocab *v, const struct vb_note *n,
                        const struct vb_agg_filter *f)
{
        if (f->segment && strcmp(segment_key(v, n), f->segment))
                return 0;
        if (f->tier && strcmp(vb_vocab_ltv_tier(v, n->has_ltv, n->ltv), f->tier))
                return 0;
        if (f->product || f->line) {
                size_t i = 0, np = n->nproducts;
                for (; i < np; i++) {
                        const char *id = n->products[i].value;
                        const struct vb_product *p = id ? vb_vocab_product(v, id) : NULL;
                        if ((!f->product || (id && !strcmp(id, f->product))) &&
                            (!f->line || (p && p->line && !strcmp(p->line, f->line))))
                                break;
                }
                if (i == np)
                        return 0;
        }
        return 1;
}

int vb_agg_note_counts(const struct vb_agg *a, const struct vb_note *n)
{
        if (vb_date_is_set(n->date) && vb_date_cmp(n->date, a->as_of) > 0)
                return 0;
        return vb_agg_note_matches(a->kb->vocab, n, &a->filter);
}

/* The as-of date, the rows (notes up to the as-of date that pass the
 * filter) and the weeks. */
static void build_rows(struct build *b, const struct vb_kb *kb, const struct vb_agg_options *opt)
{
        struct vb_agg *a = b->a;
        int have_first = 0;
        if (opt)
                a->filter = opt->filter;
        if (opt && vb_date_is_set(opt->as_of)) {
                a->as_of = opt->as_of;
        } else {
                for (size_t i = 0; i < kb->nnotes; i++)
                        if (vb_date_is_set(kb->notes[i]->date) &&
                            vb_date_cmp(kb->notes[i]->date, a->as_of) > 0)
                                a->as_of = kb->notes[i]->date;
        }
        b->rows = vb_calloc(kb->nnotes ? kb->nnotes : 1, sizeof(*b->rows));
        int64_t as_of_week = vb_date_is_set(a->as_of) ? vb_week_index(a->as_of) : 0;
        for (size_t i = 0; i < kb->nnotes; i++) {
                const struct vb_note *n = kb->notes[i];
                if (vb_date_is_set(n->date) && vb_date_cmp(n->date, a->as_of) > 0) {
                        a->after_as_of++;
                        continue;
                }
                if (!vb_agg_note_matches(kb->vocab, n, &a->filter))
                        continue;
                b->rows[b->nrows++].n = n;
                if (!vb_date_is_set(n->date)) {
                        a->undated++;
                        continue;
                }
                int64_t w = vb_week_index(n->date);
                if (w <= as_of_week - VB_MAX_WEEKS) { /* in no week (slot -1) */
                        a->before_weeks++;
                        continue;
                }
                if (!have_first || w < a->first_week)
                        a->first_week = w;
                have_first = 1;
        }
        if (vb_date_is_set(a->as_of)) {
                a->last_week = vb_week_index(a->as_of);
                if (!have_first)
                        a->first_week = a->last_week;
                a->nweeks = (size_t)(a->last_week - a->first_week + 1);
        }
        for (size_t i = 0; i < b->nrows; i++) {
                b->rows[i].slot = vb_agg_week_slot(a, b->rows[i].n->date);
                b->rows[i].conv = vb_note_is_conversation(b->rows[i].n);
        }
}

/* Segments (vocabulary order, then the others by key), tiers, customers. */
static void build_dimensions(struct build *b)
{
        struct vb_agg *a = b->a;
        const struct vb_vocab *v = b->v;
        struct strmap others = {0};
        const char **other = NULL;
        size_t nother = 0, cap = 0;
        int added;

        for (size_t i = 0; i < b->nrows; i++) {
                const char *k = segment_key(v, b->rows[i].n);
                if (vb_vocab_segment(v, k))
                        continue;
                strmap_put(&others, k, 0, &added);
                if (added) {
                        other = vb_grow_array(other, &cap, nother + 1, sizeof(*other));
                        other[nother++] = k;
                }
        }
        sort(other, nother, sizeof(*other), str_ptr_cmp);
        a->nsegments = v->nsegments + nother;
        a->segments = vb_arena_alloc(&a->arena, (a->nsegments + 1) * sizeof(*a->segments));
        for (size_t i = 0; i < a->nsegments; i++) {
                struct vb_segment_stats *s = &a->segments[i];
                if (i < v->nsegments) {
                        s->key = v->segments[i].key;
                        s->label = v->segments[i].label;
                } else {
                        s->key = vb_arena_strdup(&a->arena, other[i - v->nsegments]);
                        s->label = s->key;
                }
                series_init(a, &s->weekly);
                strmap_put(&b->segmap, s->key, (uint32_t)i, &added);
        }
        free(other);
        strmap_free(&others);

        a->ntiers = v->nltv_tiers + 1;
        a->tiers = vb_arena_alloc(&a->arena, a->ntiers * sizeof(*a->tiers));
        for (size_t i = 0; i < v->nltv_tiers; i++)
                a->tiers[i] = v->ltv_tiers[i].label;
        a->tiers[v->nltv_tiers] = "unknown";

        for (size_t i = 0; i < b->nrows; i++) {
                struct row *r = &b->rows[i];
                const char *tier = vb_vocab_ltv_tier(v, r->n->has_ltv, r->n->ltv);
                r->seg = strmap_get(&b->segmap, segment_key(v, r->n));
                r->tier = (uint32_t)(a->ntiers - 1);
                for (size_t t = 0; t < a->ntiers; t++)
                        if (!strcmp(a->tiers[t], tier)) {
                                r->tier = (uint32_t)t;
                                break;
                        }
                r->cust = NONE;
                if (r->n->customer.value && *r->n->customer.value)
                        r->cust = strmap_put(&b->custmap, r->n->customer.value,
                                             (uint32_t)b->custmap.n, &added);
        }
}

/* Attempts, conversations, connect rates, weekly series and the streak. */
static void build_totals(struct build *b)
{
        struct vb_agg *a = b->a;
        struct u64v all = {0}, reached = {0};
        size_t *seg_customers = vb_calloc(a->nsegments + 1, sizeof(size_t));
        size_t *seg_reached = vb_calloc(a->nsegments + 1, sizeof(size_t));
        unsigned char *cust_reached = vb_calloc(b->custmap.n + 1, 1);

        series_init(a, &a->weekly_attempts);
        series_init(a, &a->weekly_conversations);
        for (size_t i = 0; i < b->nrows; i++) {
                const struct row *r = &b->rows[i];
                struct vb_segment_stats *s = &a->segments[r->seg];
                a->attempts++;
                s->attempts++;
                if (r->conv) {
                        a->conversations++;
                        s->conversations++;
                }
                if (r->slot >= 0) {
                        a->weekly_attempts.count[r->slot]++;
                        s->weekly.count[r->slot]++;
                        if (r->conv)
                                a->weekly_conversations.count[r->slot]++;
                }
                if (r->cust == NONE)
                        continue;
                u64_push(&all, (uint64_t)r->seg << 32 | r->cust);
                if (r->conv) {
                        u64_push(&reached, (uint64_t)r->seg << 32 | r->cust);
                        cust_reached[r->cust] = 1;
                }
        }
        count_groups(&all, NULL, seg_customers);
        count_groups(&reached, NULL, seg_reached);
        a->customers = b->custmap.n;
        for (size_t i = 0; i < b->custmap.n; i++)
                a->customers_reached += cust_reached[i];
        a->connect_rate = ratio(a->conversations, a->attempts);
        a->customer_rate = ratio(a->customers_reached, a->customers);
        for (size_t i = 0; i < a->nsegments; i++) {
                struct vb_segment_stats *s = &a->segments[i];
                s->customers = seg_customers[i];
                s->customers_reached = seg_reached[i];
                s->connect_rate = ratio(s->conversations, s->attempts);
                s->customer_rate = ratio(s->customers_reached, s->customers);
        }
        for (size_t i = a->nweeks; i > 0 && a->weekly_attempts.count[i - 1]; i--)
                a->streak++;
        if (a->nweeks)
                a->this_week = a->weekly_attempts.count[a->nweeks - 1];
        if (a->nweeks > 1)
                a->last_week_attempts = a->weekly_attempts.count[a->nweeks - 2];
        free(all.v);
        free(reached.v);
        free(seg_customers);
        free(seg_reached);
        free(cust_reached);
}

static uint32_t theme_index(struct build *b, const char *key)
{
        int added;
        uint32_t t = strmap_put(&b->themap, key, (uint32_t)b->nthemes, &added);
        if (added) {
                b->theme_keys = vb_grow_array(b->theme_keys, &b->theme_cap, b->nthemes + 1,
                                              sizeof(*b->theme_keys));
                b->theme_keys[b->nthemes++] = key;
                if (!strcmp(key, "unknown") && b->unknown == NONE)
                        b->unknown = t;
        }
        return t;
}

/* The themes of every conversation: its resolved themes, plus "unknown"
 * when a tag is no key or alias. */
static void build_row_themes(struct build *b)
{
        for (size_t i = 0; i < b->nrows; i++) {
                struct row *r = &b->rows[i];
                size_t unknown = 0;
                r->tfirst = (uint32_t)b->row_themes.n;
                if (!r->conv)
                        continue;
                for (size_t k = 0; k < r->n->nthemes; k++)
                        u32_push(&b->row_themes, theme_index(b, r->n->themes[k]));
                for (size_t k = 0; k < r->n->ntags; k++)
                        unknown += !r->n->tags[k].theme;
                b->a->unknown_tags += unknown;
                if (unknown) {
                        uint32_t t = theme_index(b, "unknown");
                        int seen = 0;
                        for (size_t k = r->tfirst; k < b->row_themes.n; k++)
                                seen |= b->row_themes.v[k] == t;
                        if (!seen)
                                u32_push(&b->row_themes, t);
                }
                r->tcount = (uint32_t)(b->row_themes.n - r->tfirst);
        }
}

/* The distinct theme indexes of a quote into `out`. */
static void quote_theme_indexes(struct build *b, const struct row *r, size_t q, struct u32v *out)
{
        const struct vb_quote *quote = &r->n->quotes[q];
        out->n = 0;
        if (!quote->tag_count) {
                for (size_t k = 0; k < r->tcount; k++)
                        u32_push(out, b->row_themes.v[r->tfirst + k]);
                return;
        }
        for (size_t k = 0; k < quote->tag_count && quote->tag_first + k < r->n->ntags; k++) {
                const char *th = r->n->tags[quote->tag_first + k].theme;
                uint32_t t = th ? strmap_get(&b->themap, th) : b->unknown;
                int seen = 0;
                if (t == NONE)
                        continue;
                for (size_t j = 0; j < out->n; j++)
                        seen |= out->v[j] == t;
                if (!seen)
                        u32_push(out, t);
        }
}

/* Counts per group of keys (group << 32 | customer), vb_count_cmp;
 * time proportional to the keys, not to the groups. */
static struct vb_count *counts_from_groups(struct vb_agg *a, struct u64v *keys,
                                           const char *const *gkeys, const char *const *glabels,
                                           size_t *nout)
{
        size_t n = 0;
        struct vb_count *res;
        sort_u64(keys);
        for (size_t i = 0; i < keys->n; i++)
                n += i == 0 || keys->v[i - 1] >> 32 != keys->v[i] >> 32;
        res = vb_arena_alloc(&a->arena, (n + 1) * sizeof(*res));
        n = 0;
        for (size_t i = 0; i < keys->n; i++) {
                uint32_t g = (uint32_t)(keys->v[i] >> 32), c = (uint32_t)keys->v[i];
                if (i == 0 || keys->v[i - 1] >> 32 != g)
                        res[n++] = (struct vb_count){gkeys[g], glabels[g], 0, 0};
                res[n - 1].notes++;
                if (c != NONE && (i == 0 || keys->v[i - 1] != keys->v[i]))
                        res[n - 1].customers++;
        }
        sort(res, n, sizeof(*res), vb_count_cmp);
        *nout = n;
        return res;
}

/* Every theme's counts, segments, tiers, weeks, trend, co-occurring themes
 * and quotes (vb_agg_build sorts the themes: vb_rank_cmp). */
static void build_themes(struct build *b)
{
        struct vb_agg *a = b->a;
        const struct vb_vocab *v = b->v;
        size_t nt = b->nthemes, *start = vb_calloc(nt + 1, sizeof(size_t));
        uint32_t *ent = vb_calloc(b->row_themes.n + 1, sizeof(uint32_t));
        size_t *fill = vb_calloc(nt + 1, sizeof(size_t));
        size_t *gnotes = vb_calloc(a->nsegments + a->ntiers + 1, sizeof(size_t));
        size_t *gcust = vb_calloc(a->nsegments + a->ntiers + 1, sizeof(size_t));
        const char **labels = vb_calloc(nt + 1, sizeof(*labels));
        const char **tkeys = vb_calloc(nt + 1, sizeof(*tkeys));
        struct u64v keys = {0}, keys2 = {0};
        struct u32v qt = {0};
        struct quote_ent *qents = NULL;
        size_t nq = 0, qcap = 0;
        long last = (long)a->nweeks;
        const long recent = VB_TREND_RECENT_WEEKS, before = VB_TREND_BEFORE_WEEKS;
        size_t conv_recent = series_sum(a, a->weekly_conversations.count, last - recent, last);
        size_t conv_before =
            series_sum(a, a->weekly_conversations.count, last - recent - before, last - recent);

        a->trend_too_few = vb_trend_too_few(conv_recent, conv_before);
        a->trend_recent_conversations = conv_recent;
        a->trend_before_conversations = conv_before;

        /* the notes of each theme, in row order */
        for (size_t i = 0; i < b->row_themes.n; i++)
                start[b->row_themes.v[i] + 1]++;
        for (size_t t = 0; t < nt; t++)
                start[t + 1] += start[t];
        for (size_t i = 0; i < b->nrows; i++)
                for (size_t k = 0; k < b->rows[i].tcount; k++) {
                        uint32_t t = b->row_themes.v[b->rows[i].tfirst + k];
                        ent[start[t] + fill[t]++] = (uint32_t)i;
                }

        a->nthemes = nt;
        a->themes = vb_arena_alloc(&a->arena, (nt + 1) * sizeof(*a->themes));
        for (size_t t = 0; t < nt; t++) {
                struct vb_theme_stats *s = &a->themes[t];
                const struct vb_tag *tag;
                s->key = vb_arena_strdup(&a->arena, b->theme_keys[t]);
                if (t == b->unknown) {
                        s->label = "Unknown tags";
                } else {
                        s->label = vb_vocab_theme_label(v, s->key);
                        tag = v->has_tags ? vb_vocab_tag(v, s->key, NULL) : NULL;
                        s->kind = tag ? tag->kind : NULL;
                }
                labels[t] = s->label;
                tkeys[t] = s->key;
        }

        for (size_t t = 0; t < nt; t++) {
                struct vb_theme_stats *s = &a->themes[t];
                s->notes = start[t + 1] - start[t];
                s->share = ratio(s->notes, a->conversations);
                series_init(a, &s->weekly);
                s->segments = vb_arena_alloc(&a->arena, (a->nsegments + 1) * sizeof(*s->segments));
                s->tiers = vb_arena_alloc(&a->arena, a->ntiers * sizeof(*s->tiers));
                memset(gnotes, 0, (a->nsegments + a->ntiers + 1) * sizeof(size_t));
                memset(gcust, 0, (a->nsegments + a->ntiers + 1) * sizeof(size_t));
                keys.n = keys2.n = 0;
                for (size_t e = start[t]; e < start[t + 1]; e++) {
                        const struct row *r = &b->rows[ent[e]];
                        struct vb_date d = r->n->date;
                        u64_push(&keys, (uint64_t)r->seg << 32 | r->cust);
                        u64_push(&keys, (uint64_t)(a->nsegments + r->tier) << 32 | r->cust);
                        vb_date_widen(&s->first_seen, &s->last_seen, d);
                        if (r->slot < 0)
                                continue;
                        s->weekly.count[r->slot]++;
                        /* group 0: all, 1: last 8 weeks, 2: last 4 weeks, 3: the 26
                         * weeks before the last 8 */
                        u64_push(&keys2, (uint64_t)0 << 32 | r->cust);
                        if (r->slot >= last - recent)
                                u64_push(&keys2, (uint64_t)1 << 32 | r->cust);
                        else if (r->slot >= last - recent - before)
                                u64_push(&keys2, (uint64_t)3 << 32 | r->cust);
                        if (r->slot >= last - 4)
                                u64_push(&keys2, (uint64_t)2 << 32 | r->cust);
                }
                /* undated notes count for the theme's customers too */
                for (size_t e = start[t]; e < start[t + 1]; e++)
                        if (b->rows[ent[e]].slot < 0)
                                u64_push(&keys2, (uint64_t)0 << 32 | b->rows[ent[e]].cust);
                count_groups(&keys, gnotes, gcust);
                for (size_t g = 0; g < a->nsegments; g++)
                        s->segments[g] = (struct vb_count){a->segments[g].key, a->segments[g].label,
                                                           gnotes[g], gcust[g]};
                for (size_t g = 0; g < a->ntiers; g++)
                        s->tiers[g] =
                            (struct vb_count){a->tiers[g], a->tiers[g], gnotes[a->nsegments + g],
                                              gcust[a->nsegments + g]};
                {
                        size_t wn[4] = {0, 0, 0, 0}, wc[4] = {0, 0, 0, 0};
                        count_groups(&keys2, wn, wc);
                        s->customers = wc[0];
                        s->recent_notes = wn[1];
                        s->recent_customers = wc[1];
                        s->month_notes = wn[2];
                        s->month_customers = wc[2];
                        s->share_recent = ratio(s->recent_notes, conv_recent);
                        s->share_before = ratio(wn[3], conv_before);
                        if ((uint32_t)t != b->unknown) {
                                struct vb_trend_counts tc = {conv_recent,
                                                             conv_before,
                                                             wn[1],
                                                             wn[3],
                                                             wc[1],
                                                             wc[3],
                                                             vb_date_is_set(s->first_seen) &&
                                                                 vb_week_index(s->first_seen) <
                                                                     a->last_week - (recent - 1),
                                                             nt - (b->unknown != NONE)};
                                vb_trend_test(&s->trend, &tc);
                        } else {
                                s->trend.verdict = VB_TREND_STEADY;
                        }
                        s->emerging = vb_trend_is_emerging(&s->trend);
                        s->fading = s->trend.verdict == VB_TREND_FADING;
                        s->emerging_why =
                            s->emerging ? vb_trend_verdict_name(s->trend.verdict) : NULL;
                }

                /* co-occurring themes: (other theme << 32 | customer) */
                keys.n = 0;
                for (size_t e = start[t]; e < start[t + 1]; e++) {
                        const struct row *r = &b->rows[ent[e]];
                        for (size_t k = 0; k < r->tcount; k++) {
                                uint32_t u = b->row_themes.v[r->tfirst + k];
                                if (u != t)
                                        u64_push(&keys, (uint64_t)u << 32 | r->cust);
                        }
                }
                s->cooccurring = counts_from_groups(a, &keys, tkeys, labels, &s->ncooccurring);
        }

        /* quotes: every (theme, quote) pair, sorted by theme, date, id, index */
        for (size_t i = 0; i < b->nrows; i++) {
                const struct row *r = &b->rows[i];
                if (!r->conv)
                        continue;
                for (size_t q = 0; q < r->n->nquotes; q++) {
                        quote_theme_indexes(b, r, q, &qt);
                        for (size_t k = 0; k < qt.n; k++) {
                                qents = vb_grow_array(qents, &qcap, nq + 1, sizeof(*qents));
                                qents[nq++] = (struct quote_ent){r, qt.v[k], (uint32_t)q};
                        }
                }
        }
        sort(qents, nq, sizeof(*qents), quote_ent_cmp);
        for (size_t i = 0; i < nq;) {
                size_t j = i;
                struct vb_theme_stats *s = &a->themes[qents[i].theme];
                while (j < nq && qents[j].theme == qents[i].theme)
                        j++;
                s->quotes = vb_arena_alloc(&a->arena, (j - i) * sizeof(*s->quotes));
                for (size_t k = i; k < j; k++)
                        s->quotes[s->nquotes++] =
                            (struct vb_quote_ref){qents[k].r->n, qents[k].quote};
                i = j;
        }

        free(start);
        free(ent);
        free(fill);
        free(gnotes);
        free(gcust);
        free(labels);
        free(tkeys);
        free(keys.v);
        free(keys2.v);
        free(qt.v);
        free(qents);
}

/* Roadmap items: the themes they list, their supporting and validating
 * notes and the themes of those. */
static int u32_cmp(const void *pa, const void *pb)
{
        uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
        return a < b ? -1 : a > b;
}

static int str_cmp(const void *pa, const void *pb)
{
        return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* The distinct values of v[0..n) (sorted in place). */
static size_t distinct_u32(uint32_t *v, size_t n)
{
        size_t k = 0;
        sort(v, n, sizeof(*v), u32_cmp);
        for (size_t i = 0; i < n; i++)
                if (!k || v[k - 1] != v[i])
                        v[k++] = v[i];
        return k;
}

/* 1 if row `r` carries one of themes[0..n). */
static int row_has_theme(const struct build *b, const struct row *r, const uint32_t *themes,
                         size_t n)
{
        for (size_t j = 0; j < r->tcount; j++)
                for (size_t k = 0; k < n; k++)
                        if (b->row_themes.v[r->tfirst + j] == themes[k])
                                return 1;
        return 0;
}

/* An item's support by theme, its before and after, and whom to call back. */
static void by_theme(struct build *b, struct vb_roadmap_stats *rs, const uint32_t *themes,
                     size_t nthemes)
{
        struct vb_agg *a = b->a;
        const struct vb_roadmap_item *it = rs->item;
        struct u32v custs = {0};
        const char **after = NULL; /* customers heard after the shipped date */
        size_t nafter = 0, cap = 0;
        int64_t ship = 0, span = 0;
        int shipped = vb_date_is_set(it->shipped) && vb_date_is_set(a->as_of);

        rs->before_after = vb_arena_alloc(&a->arena, (nthemes + 1) * sizeof(*rs->before_after));
        rs->nbefore_after = nthemes;
        for (size_t k = 0; k < nthemes; k++) {
                rs->before_after[k].theme = a->themes[themes[k]].key;
                rs->before_after[k].label = a->themes[themes[k]].label;
        }
        if (shipped) {
                ship = vb_date_days(it->shipped);
                int64_t days = vb_date_days(a->as_of) - ship;
                rs->weeks = days > 0 ? (size_t)(days / 7) : 0;
                if (rs->weeks > VB_BEFORE_AFTER_MAX_WEEKS)
                        rs->weeks = VB_BEFORE_AFTER_MAX_WEEKS;
                span = (int64_t)rs->weeks * 7;
        }
        for (size_t i = 0; i < b->nrows; i++) {
                const struct row *r = &b->rows[i];
                if (!r->conv)
                        continue;
                if (row_has_theme(b, r, themes, nthemes)) {
                        rs->theme_notes++;
                        if (r->cust != NONE)
                                u32_push(&custs, r->cust);
                }
                if (!shipped || !vb_date_is_set(r->n->date))
                        continue;
                int64_t d = vb_date_days(r->n->date) - ship;
                if (d > 0 && r->n->customer.value) {
                        after = vb_grow_array(after, &cap, nafter + 1, sizeof(*after));
                        after[nafter++] = r->n->customer.value;
                }
                if (!span || d == 0 || d < -span || d > span)
                        continue;
                if (d < 0)
                        rs->before_conversations++;
                else
                        rs->after_conversations++;
                int any = 0;
                for (size_t j = 0; j < r->tcount; j++)
                        for (size_t k = 0; k < nthemes; k++)
                                if (b->row_themes.v[r->tfirst + j] == themes[k]) {
                                        any = 1;
                                        if (d < 0)
                                                rs->before_after[k].before_notes++;
                                        else
                                                rs->before_after[k].after_notes++;
                                }
                if (any && d < 0)
                        rs->before_notes++;
                else if (any)
                        rs->after_notes++;
        }
        rs->theme_customers = distinct_u32(custs.v, custs.n);
        if (shipped) {
                /* the supporting customers (linked, up to the shipped date) not
                 * heard in a conversation since */
                size_t n = 0;
                sort(after, nafter, sizeof(*after), str_cmp);
                rs->call_back = vb_arena_alloc(&a->arena, (rs->nsupporting + 1) * sizeof(char *));
                for (size_t k = 0; k < rs->nsupporting; k++) {
                        const struct vb_note *sn = rs->supporting[k];
                        const char *c = sn->customer.value;
                        if (!c || !*c || !vb_date_is_set(sn->date) || vb_date_days(sn->date) > ship)
                                continue;
                        if (!nafter || !bsearch(&c, after, nafter, sizeof(*after), str_cmp))
                                rs->call_back[n++] = c;
                }
                sort(rs->call_back, n, sizeof(char *), str_cmp);
                rs->ncall_back = 0;
                for (size_t k = 0; k < n; k++)
                        if (!rs->ncall_back ||
                            strcmp(rs->call_back[rs->ncall_back - 1], rs->call_back[k]))
                                rs->call_back[rs->ncall_back++] = rs->call_back[k];
        }
        free(custs.v);
        free(after);
}

static void build_roadmap(struct build *b)
{
        struct vb_agg *a = b->a;
        const struct vb_vocab *v = b->v;
        size_t ni = v->nroadmap, nt = b->nthemes;
        struct row_ptr *sup = NULL;
        size_t nsup = 0, cap = 0;
        size_t *per_theme = vb_calloc(nt + 1, sizeof(size_t));
        uint32_t **item_themes = vb_calloc(ni + 1, sizeof(*item_themes));
        size_t *nitem_themes = vb_calloc(ni + 1, sizeof(size_t));
        const char **tkeys = vb_calloc(nt + 1, sizeof(*tkeys));
        const char **tlabels = vb_calloc(nt + 1, sizeof(*tlabels));
        struct u64v keys = {0};

        for (size_t t = 0; t < nt; t++) {
                tkeys[t] = a->themes[t].key;
                tlabels[t] = a->themes[t].label;
        }
        /* the themes each item lists (distinct, known to the notes) */
        for (size_t i = 0; i < ni; i++) {
                const struct vb_roadmap_item *it = &v->roadmap[i];
                item_themes[i] = vb_calloc(it->ntags + 1, sizeof(uint32_t));
                for (size_t k = 0; k < it->ntags; k++) {
                        const char *key = vb_vocab_theme(v, &a->arena, it->tags[k], NULL);
                        uint32_t t = key ? strmap_get(&b->themap, key) : NONE;
                        int seen = 0;
                        if (t == NONE || t == b->unknown)
                                continue;
                        for (size_t j = 0; j < nitem_themes[i]; j++)
                                seen |= item_themes[i][j] == t;
                        if (!seen) {
                                item_themes[i][nitem_themes[i]++] = t;
                                per_theme[t]++;
                        }
                }
        }
        for (size_t t = 0; t < nt; t++)
                a->themes[t].roadmap =
                    vb_arena_alloc(&a->arena, (per_theme[t] + 1) * sizeof(*a->themes[t].roadmap));
        for (size_t i = 0; i < ni; i++)
                for (size_t j = 0; j < nitem_themes[i]; j++) {
                        struct vb_theme_stats *s = &a->themes[item_themes[i][j]];
                        s->roadmap[s->nroadmap++] = &v->roadmap[i];
                }

        /* supporting notes: (item, row) pairs sorted by item, date, id */
        for (size_t i = 0; i < b->nrows; i++) {
                const struct row *r = &b->rows[i];
                if (!r->conv)
                        continue;
                for (size_t k = 0; k < r->n->nroadmap; k++) {
                        const char *id = r->n->roadmap[k].value;
                        const struct vb_roadmap_item *it = id ? vb_vocab_roadmap_item(v, id) : NULL;
                        if (!it)
                                continue;
                        sup = vb_grow_array(sup, &cap, nsup + 1, sizeof(*sup));
                        sup[nsup++] = (struct row_ptr){r, (uint32_t)i, (uint32_t)(it - v->roadmap)};
                }
        }
        sort(sup, nsup, sizeof(*sup), row_ptr_cmp);
        a->nroadmap = ni;
        a->roadmap = vb_arena_alloc(&a->arena, (ni + 1) * sizeof(*a->roadmap));
        for (size_t i = 0, p = 0; i < ni; i++) {
                struct vb_roadmap_stats *rs = &a->roadmap[i];
                const struct vb_roadmap_item *it = &v->roadmap[i];
                size_t q = p;
                while (q < nsup && sup[q].extra == i)
                        q++;
                rs->item = it;
                rs->supporting = vb_arena_alloc(&a->arena, (q - p + 1) * sizeof(*rs->supporting));
                rs->validating = vb_arena_alloc(&a->arena, (q - p + 1) * sizeof(*rs->validating));
                keys.n = 0;
                for (size_t k = p; k < q; k++) {
                        const struct row *r = sup[k].r;
                        if (k > p && sup[k - 1].index == sup[k].index)
                                continue; /* named twice */
                        rs->supporting[rs->nsupporting++] = r->n;
                        if (vb_date_is_set(it->shipped) && vb_date_is_set(r->n->date) &&
                            vb_date_cmp(r->n->date, it->shipped) > 0 && r->n->follows.value &&
                            *r->n->follows.value)
                                rs->validating[rs->nvalidating++] = r->n;
                        for (size_t j = 0; j < r->tcount; j++)
                                u64_push(&keys,
                                         (uint64_t)b->row_themes.v[r->tfirst + j] << 32 | r->cust);
                }
                rs->themes = counts_from_groups(a, &keys, tkeys, tlabels, &rs->nthemes);
                for (size_t k = 0; k < rs->nvalidating; k++)
                        rs->verdicts[rs->validating[k]->verdict < 4 ? rs->validating[k]->verdict
                                                                    : 0]++;
                by_theme(b, rs, item_themes[i], nitem_themes[i]);
                p = q;
        }

        free(sup);
        free(per_theme);
        for (size_t i = 0; i < ni; i++)
                free(item_themes[i]);
        free(item_themes);
        free(nitem_themes);
        free(tkeys);
        free(tlabels);
        free(keys.v);
}

static int reason_group_named(const struct vb_vocab *v, const char *name)
{
        for (size_t k = 0; k < v->nreason_groups; k++)
                if (!strcmp(v->reason_groups[k].name, name))
                        return 1;
        return 0;
}

/* A theme's label as a word inside a sentence: "Shipping cost" becomes
 * "shipping cost" (an acronym like "UX issues" stays). */
static void add_label_word(struct vb_buf *out, const char *label)
{
        if (label[0] >= 'A' && label[0] <= 'Z' && label[1] >= 'a' && label[1] <= 'z') {
                vb_buf_addc(out, (char)(label[0] - 'A' + 'a'));
                label++;
        }
        vb_buf_adds(out, label);
}

/* A reason group named by its members: "price or shipping cost". */
static const char *group_name(struct vb_agg *a, const struct vb_vocab *v, const char *group)
{
        struct vb_buf name = VB_BUF_INIT;
        const char *out;
        for (size_t k = 0; k < v->nreason_groups; k++) {
                const struct vb_reason_group *g = &v->reason_groups[k];
                if (strcmp(g->name, group))
                        continue;
                for (size_t i = 0; i < g->ntags; i++) {
                        if (i)
                                vb_buf_adds(&name, i + 1 == g->ntags ? " or " : ", ");
                        add_label_word(&name, vb_vocab_theme_label(v, g->tags[i]));
                }
        }
        if (!name.len)
                vb_buf_adds(&name, group);
        out = vb_arena_strdup(&a->arena, name.ptr);
        vb_buf_release(&name);
        return out;
}

static void add_percent(struct vb_buf *out, double share)
{
        vb_buf_addf(out, "%.0f %%", share * 100.0);
}

void vb_agg_price_sentence(struct vb_buf *out, const struct vb_agg *a)
{
        size_t others = 0;
        if (!a->abandoner_conversations)
                return;
        add_percent(out, a->price_share);
        vb_buf_adds(out, " named price");
        if (a->price_group) {
                vb_buf_addf(out, " (%s as a group: ", a->price_group_name);
                add_percent(out, a->price_group_share);
                vb_buf_addc(out, ')');
        }
        vb_buf_adds(out, "; ");
        add_percent(out, 1.0 - a->price_share);
        vb_buf_adds(out, " something else");
        for (size_t i = 0; i < a->nreasons; i++) {
                const struct vb_count *r = &a->reasons[i];
                if (a->price_group ? !strcmp(r->key, a->price_group) : !strcmp(r->key, "price"))
                        continue;
                vb_buf_adds(out, others++ ? ", " : ": ");
                add_label_word(out, r->label ? r->label : r->key);
                vb_buf_addc(out, ' ');
                add_percent(out, ratio(r->notes, a->abandoner_conversations));
        }
        if (a->abandoner_conversations > a->abandoners_with_reason) {
                vb_buf_adds(out, others++ ? ", " : ": ");
                vb_buf_adds(out, "no reason given ");
                add_percent(out, ratio(a->abandoner_conversations - a->abandoners_with_reason,
                                       a->abandoner_conversations));
        }
}

/* Cart abandoners' main reasons, grouped by reason-groups. */
static void build_reasons(struct build *b)
{
        struct vb_agg *a = b->a;
        const struct vb_vocab *v = b->v;
        struct strmap groups = {0};
        const char **gkeys = NULL, **glabels = NULL;
        size_t ng = 0, cap = 0, cap2 = 0;
        struct u64v keys = {0};
        int added;

        if (v->has_segments && !vb_vocab_segment(v, "abandoner"))
                return;
        for (size_t i = 0; i < b->nrows; i++) {
                const struct row *r = &b->rows[i];
                const char *reason, *group;
                if (!r->conv || strcmp(a->segments[r->seg].key, "abandoner"))
                        continue;
                a->abandoner_conversations++;
                reason = vb_note_main_reason(r->n, v, &a->arena);
                if (!reason)
                        continue;
                a->abandoners_with_reason++;
                if (!strcmp(reason, "price"))
                        a->price_notes++;
                group = vb_vocab_reason_group(v, reason);
                uint32_t g = strmap_put(&groups, group, (uint32_t)ng, &added);
                if (added) {
                        int named = 0;
                        gkeys = vb_grow_array(gkeys, &cap, ng + 1, sizeof(*gkeys));
                        glabels = vb_grow_array(glabels, &cap2, ng + 1, sizeof(*glabels));
                        for (size_t k = 0; k < v->nreason_groups; k++)
                                named |= !strcmp(v->reason_groups[k].name, group);
                        gkeys[ng] = vb_arena_strdup(&a->arena, group);
                        glabels[ng] = named ? gkeys[ng] : vb_vocab_theme_label(v, gkeys[ng]);
                        ng++;
                }
                u64_push(&keys, (uint64_t)g << 32 | r->cust);
        }
        a->reasons = counts_from_groups(a, &keys, gkeys, glabels, &a->nreasons);
        a->price_share = ratio(a->price_notes, a->abandoner_conversations);
        a->price_group = vb_vocab_reason_group(v, "price");
        if (!strcmp(a->price_group, "price") && !reason_group_named(v, "price"))
                a->price_group = NULL; /* price stands alone */
        for (size_t i = 0; a->price_group && i < a->nreasons; i++)
                if (!strcmp(a->reasons[i].key, a->price_group))
                        a->price_group_notes = a->reasons[i].notes;
        a->price_group_share = ratio(a->price_group_notes, a->abandoner_conversations);
        if (a->price_group)
                a->price_group_name = group_name(a, v, a->price_group);
        strmap_free(&groups);
        free(gkeys);
        free(glabels);
        free(keys.v);
}

/* Jobs and five-whys roots of the conversations, by date and id. */
static void build_jobs(struct build *b)
{
        struct vb_agg *a = b->a;
        struct row_ptr *order = vb_calloc(b->nrows + 1, sizeof(*order));
        size_t n = 0, njobs = 0, nwhys = 0;
        for (size_t i = 0; i < b->nrows; i++) {
                if (!b->rows[i].conv)
                        continue;
                order[n++] = (struct row_ptr){&b->rows[i], (uint32_t)i, 0};
                njobs += b->rows[i].n->njobs;
                nwhys += b->rows[i].n->nwhys > 0;
        }
        sort(order, n, sizeof(*order), row_ptr_cmp);
        a->jobs = vb_arena_alloc(&a->arena, (njobs + 1) * sizeof(*a->jobs));
        a->whys = vb_arena_alloc(&a->arena, (nwhys + 1) * sizeof(*a->whys));
        for (size_t i = 0; i < n; i++) {
                const struct vb_note *note = order[i].r->n;
                for (size_t k = 0; k < note->njobs; k++)
                        a->jobs[a->njobs++] = (struct vb_job_ref){note, &note->jobs[k]};
                if (note->nwhys && note->whys[note->nwhys - 1].text)
                        a->whys[a->nwhys++] =
                            (struct vb_why_ref){note, note->whys[note->nwhys - 1].text};
        }
        free(order);
}

/* A set of 64-bit hashes (open addressing; 0 marks an empty slot). */
struct hashset {
        uint64_t *v;
        size_t cap, n;
};

static uint64_t hash_key(uint64_t h)
{
        return h ? h : 1;
}

static int hashset_has(const struct hashset *s, uint64_t h)
{
        h = hash_key(h);
        if (!s->cap)
                return 0;
        for (size_t i = h & (s->cap - 1); s->v[i]; i = (i + 1) & (s->cap - 1))
                if (s->v[i] == h)
                        return 1;
        return 0;
}

static void hashset_add(struct hashset *s, uint64_t h)
{
        h = hash_key(h);
        if ((s->n + 1) * 2 > s->cap) {
                struct hashset g = {vb_calloc(s->cap ? s->cap * 2 : 1024, sizeof(uint64_t)),
                                    s->cap ? s->cap * 2 : 1024, 0};
                for (size_t i = 0; i < s->cap; i++)
                        if (s->v[i])
                                hashset_add(&g, s->v[i]);
                free(s->v);
                *s = g;
        }
        size_t i = h & (s->cap - 1);
        for (; s->v[i]; i = (i + 1) & (s->cap - 1))
                if (s->v[i] == h)
                        return;
        s->v[i] = h;
        s->n++;
}

/* The hashes of a quote's phrases (2-6 words within one run, not starting
 * or ending with a stop word) into `out`. */
static void phrase_hashes(struct vb_ptokens *tok, const char *text, struct u64v *out)
{
        out->n = 0;
        vb_phrase_tokenize(tok, text, strlen(text));
        for (size_t i = 0; i < tok->n; i++) {
                const char *w = tok->norm.ptr + tok->v[i].norm;
                uint64_t h = 1469598103934665603ULL;
                if (vb_phrase_is_stop_word(w, tok->v[i].nlen))
                        continue;
                for (size_t j = i; j < tok->n && j < i + 6; j++) {
                        const char *x = tok->norm.ptr + tok->v[j].norm;
                        if (j > i && tok->v[j].brk)
                                break;
                        for (size_t k = 0; k < tok->v[j].nlen; k++) {
                                h ^= (unsigned char)x[k];
                                h *= 1099511628211ULL;
                        }
                        h ^= ' ';
                        h *= 1099511628211ULL;
                        if (j > i && !vb_phrase_is_stop_word(x, tok->v[j].nlen))
                                u64_push(out, h);
                }
        }
}

/* The new-theme rate: the conversations in date order (then id), each
 * checked against the themes and phrases of all before it. */
static void build_novelty(struct build *b)
{
        struct vb_agg *a = b->a;
        struct vb_novelty *nv = &a->novelty;
        struct row_ptr *order = vb_calloc(b->nrows + 1, sizeof(*order));
        unsigned char *heard = vb_calloc(b->nthemes + 1, 1);
        struct hashset phrases = {0};
        struct u64v mine = {0}, quote = {0};
        struct vb_ptokens tok = VB_PTOKENS_INIT;
        size_t n = 0, run = 0;

        series_init(a, &nv->fresh);
        nv->seg_fresh = vb_arena_alloc(&a->arena, (a->nsegments + 1) * sizeof(*nv->seg_fresh));
        nv->seg_conversations =
            vb_arena_alloc(&a->arena, (a->nsegments + 1) * sizeof(*nv->seg_conversations));
        for (size_t g = 0; g < a->nsegments; g++) {
                series_init(a, &nv->seg_fresh[g]);
                series_init(a, &nv->seg_conversations[g]);
        }
        nv->saturated_since = -1;
        for (size_t i = 0; i < b->nrows; i++)
                if (b->rows[i].conv && b->rows[i].slot >= 0)
                        order[n++] = (struct row_ptr){&b->rows[i], (uint32_t)i, 0};
        sort(order, n, sizeof(*order), row_ptr_cmp);
        for (size_t i = 0; i < n; i++) {
                const struct row *r = order[i].r;
                int fresh = 0;
                for (size_t k = 0; k < r->tcount; k++) {
                        uint32_t t = b->row_themes.v[r->tfirst + k];
                        if (t != b->unknown && !heard[t])
                                fresh = 1;
                }
                mine.n = 0;
                for (size_t q = 0; q < r->n->nquotes; q++) {
                        int shared = 0;
                        if (!r->n->quotes[q].text)
                                continue;
                        phrase_hashes(&tok, r->n->quotes[q].text, &quote);
                        for (size_t k = 0; k < quote.n; k++) {
                                shared |= hashset_has(&phrases, quote.v[k]);
                                u64_push(&mine, quote.v[k]);
                        }
                        if (quote.n && !shared)
                                fresh = 1;
                }
                for (size_t k = 0; k < r->tcount; k++)
                        heard[b->row_themes.v[r->tfirst + k]] = 1;
                for (size_t k = 0; k < mine.n; k++)
                        hashset_add(&phrases, mine.v[k]);
                nv->conversations++;
                nv->seg_conversations[r->seg].count[r->slot]++;
                if (fresh) {
                        nv->fresh.count[r->slot]++;
                        nv->seg_fresh[r->seg].count[r->slot]++;
                        nv->last_new = r->n->date;
                        nv->since_new = 0;
                } else {
                        nv->since_new++;
                }
        }
        /* saturation: the trailing weeks with conversations, each mostly not new */
        for (size_t w = a->nweeks; w > 0; w--) {
                uint32_t conv = a->weekly_conversations.count[w - 1];
                if (!conv)
                        continue;
                if ((double)nv->fresh.count[w - 1] > VB_SATURATION_SHARE * (double)conv)
                        break;
                if (++run >= VB_SATURATION_WEEKS)
                        nv->saturated_since = a->first_week + (int64_t)(w - 1);
        }
        free(order);
        free(heard);
        free(phrases.v);
        free(mine.v);
        free(quote.v);
        vb_ptokens_release(&tok);
}

void vb_agg_novelty_sentence(struct vb_buf *out, const struct vb_agg *a)
{
        const struct vb_novelty *nv = &a->novelty;
        char day[16], week[16];
        if (!nv->conversations) {
                vb_buf_adds(out, "No dated conversations yet.");
                return;
        }
        if (!nv->since_new) {
                vb_buf_adds(out, "The latest conversation brought something new (a theme or "
                                 "words no earlier conversation had).");
        } else if (vb_date_is_set(nv->last_new)) {
                vb_date_format(nv->last_new, day);
                vb_buf_addf(out,
                            "The last %zu conversation%s raised no theme or words you had not "
                            "heard (the last new one on %s).",
                            nv->since_new, nv->since_new == 1 ? "" : "s", day);
        } else {
                vb_buf_addf(out, "None of the %zu conversations brought anything new.",
                            nv->since_new);
        }
        if (nv->saturated_since >= 0) {
                vb_week_label(nv->saturated_since, week);
                vb_buf_addf(out,
                            " Saturated since %s: at most %d %% of each week's conversations "
                            "brought something new.",
                            week, (int)(VB_SATURATION_SHARE * 100 + 0.5));
        }
}

static int trend_rank_cmp(const void *pa, const void *pb)
{
        const struct vb_theme_stats *a = *(const struct vb_theme_stats *const *)pa;
        const struct vb_theme_stats *b = *(const struct vb_theme_stats *const *)pb;
        return vb_rank_cmp(a->recent_customers, a->recent_notes, a->key, b->recent_customers,
                           b->recent_notes, b->key);
}

/* The emerging and fading themes, most customers in the recent weeks first. */
static void build_trend_lists(struct vb_agg *a, size_t trend_themes)
{
        a->trend_themes = trend_themes;
        a->emerging = vb_arena_alloc(&a->arena, (a->nthemes + 1) * sizeof(*a->emerging));
        a->fading = vb_arena_alloc(&a->arena, (a->nthemes + 1) * sizeof(*a->fading));
        for (size_t t = 0; t < a->nthemes; t++) {
                if (a->themes[t].emerging)
                        a->emerging[a->nemerging++] = &a->themes[t];
                if (a->themes[t].fading)
                        a->fading[a->nfading++] = &a->themes[t];
        }
        sort(a->emerging, a->nemerging, sizeof(*a->emerging), trend_rank_cmp);
        sort(a->fading, a->nfading, sizeof(*a->fading), trend_rank_cmp);
}

static void build_unplanned(struct vb_agg *a)
{
        size_t n = 0;
        a->unplanned = vb_arena_alloc(&a->arena, (a->nthemes + 1) * sizeof(*a->unplanned));
        for (size_t t = 0; t < a->nthemes; t++) {
                const struct vb_theme_stats *s = &a->themes[t];
                if (s->notes && !s->nroadmap && strcmp(s->key, "unknown"))
                        a->unplanned[n++] = s;
        }
        a->nunplanned = n;
}

int vb_agg_build(struct vb_agg **out, const struct vb_kb *kb, const struct vb_agg_options *opt)
{
        struct vb_agg *a = vb_calloc(1, sizeof(*a));
        struct build b;

        memset(&b, 0, sizeof(b));
        b.a = a;
        b.v = kb->vocab;
        b.unknown = NONE;
        a->kb = kb;
        a->notes_with_errors = kb->notes_with_errors;

        build_rows(&b, kb, opt);
        build_dimensions(&b);
        build_totals(&b);
        build_row_themes(&b);
        build_themes(&b);
        build_roadmap(&b);
        build_reasons(&b);
        build_jobs(&b);
        build_novelty(&b);
        sort(a->themes, a->nthemes, sizeof(*a->themes), theme_cmp);
        build_unplanned(a);
        build_trend_lists(a, b.nthemes - (b.unknown != NONE));
        a->themes_by_key = vb_arena_alloc(&a->arena, (a->nthemes + 1) * sizeof(*a->themes_by_key));
        for (size_t i = 0; i < a->nthemes; i++)
                a->themes_by_key[i] = &a->themes[i];
        sort(a->themes_by_key, a->nthemes, sizeof(*a->themes_by_key), theme_ptr_key_cmp);

        free(b.rows);
        strmap_free(&b.segmap);
        strmap_free(&b.custmap);
        strmap_free(&b.themap);
        free(b.row_themes.v);
        free(b.theme_keys);
        *out = a;
        return VB_OK;
}

void vb_agg_free(struct vb_agg *a)
{
        if (!a)
                return;
        vb_arena_release(&a->arena);
        free(a);
}

const struct vb_theme_stats *vb_agg_theme(const struct vb_agg *a, const char *key)
{
        size_t lo = 0, hi = a->nthemes;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                int c = strcmp(a->themes_by_key[mid]->key, key);
                if (!c)
                        return a->themes_by_key[mid];
                if (c < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return NULL;
}

static int month_cmp(const void *pa, const void *pb)
{
        const struct vb_theme_stats *a = *(const struct vb_theme_stats *const *)pa;
        const struct vb_theme_stats *b = *(const struct vb_theme_stats *const *)pb;
        if (a->month_customers != b->month_customers || a->month_notes != b->month_notes)
                return vb_rank_cmp(a->month_customers, a->month_notes, a->key, b->month_customers,
                                   b->month_notes, b->key);
        return vb_rank_cmp(a->customers, a->notes, a->key, b->customers, b->notes, b->key);
}

size_t vb_agg_month_top(const struct vb_agg *a, const char *kind, const struct vb_theme_stats **out,
                        size_t max)
{
        const struct vb_theme_stats **all = vb_calloc(a->nthemes + 1, sizeof(*all));
        size_t n = 0;
        for (size_t i = 0; i < a->nthemes; i++) {
                const struct vb_theme_stats *t = &a->themes[i];
                if (t->month_notes && strcmp(t->key, "unknown") &&
                    (!kind || (t->kind && !strcmp(t->kind, kind))))
                        all[n++] = t;
        }
        sort(all, n, sizeof(*all), month_cmp);
        if (n > max)
                n = max;
        memcpy(out, all, n * sizeof(*out));
        free(all);
        return n;
}
