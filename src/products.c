/* Product lines and products: calls, connect rate, segments and themes per
 * group, in one pass over the notes (see include/verbatim/products.h). */
#include "verbatim/products.h"
#include "history_data.h" /* vb_strtab: customer ids */
#include "verbatim/json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NO_CUSTOMER UINT32_MAX

struct u64s {
        uint64_t *v;
        size_t n, cap;
};

static void push(struct u64s *a, uint64_t x)
{
        a->v = vb_grow_array(a->v, &a->cap, a->n + 1, sizeof(*a->v));
        a->v[a->n++] = x;
}

static int str_cmp(const void *pa, const void *pb)
{
        return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

static double ratio(size_t num, size_t den)
{
        return den ? (double)num / (double)den : 0.0;
}

static int theme_cmp(const void *pa, const void *pb)
{
        const struct vb_product_theme *a = pa, *b = pb;
        return vb_rank_cmp(a->customers, a->notes, a->theme->key, b->customers, b->notes,
                           b->theme->key);
}

/* The groups: lines (catalog order of first appearance), then products
 * (the catalog's, or without one every id the counted notes write).
 * `line_of[i]` is the line index of product i (SIZE_MAX: none). */
struct layout {
        const char **ids; /* without a catalog: the distinct ids, sorted */
        size_t nids;
        size_t *line_of;
};

static void make_groups(struct vb_products *p, struct layout *l, const struct vb_agg *a)
{
        const struct vb_vocab *v = a->kb->vocab;
        size_t nseg = a->nsegments + 1;
        if (v->has_products) {
                p->nproducts = v->nproducts;
        } else {
                size_t cap = 0;
                for (size_t i = 0; i < a->kb->nnotes; i++) {
                        /* every note's, counted or not: each id a note page
                         * shows has a page */
                        const struct vb_note *n = a->kb->notes[i];
                        for (size_t k = 0; k < n->nproducts; k++)
                                if (n->products[k].value && *n->products[k].value) {
                                        l->ids = vb_grow_array(l->ids, &cap, l->nids + 1,
                                                               sizeof(*l->ids));
                                        l->ids[l->nids++] = n->products[k].value;
                                }
                }
                if (l->nids)
                        qsort(l->ids, l->nids, sizeof(*l->ids), str_cmp);
                size_t w = 0;
                for (size_t i = 0; i < l->nids; i++)
                        if (!w || strcmp(l->ids[w - 1], l->ids[i]))
                                l->ids[w++] = l->ids[i];
                l->nids = w;
                p->nproducts = w;
        }
        p->products = vb_arena_alloc(&p->arena, (p->nproducts + 1) * sizeof(*p->products));
        p->lines = vb_arena_alloc(&p->arena, (p->nproducts + 1) * sizeof(*p->lines));
        l->line_of = vb_calloc(p->nproducts + 1, sizeof(*l->line_of));
        for (size_t i = 0; i < p->nproducts; i++) {
                struct vb_product_group *g = &p->products[i];
                l->line_of[i] = SIZE_MAX;
                if (!v->has_products) {
                        g->key = g->label = l->ids[i];
                        continue;
                }
                g->key = v->products[i].key;
                g->label = v->products[i].label ? v->products[i].label : g->key;
                g->line = v->products[i].line && *v->products[i].line ? v->products[i].line : NULL;
                if (!g->line)
                        continue;
                size_t k = 0;
                while (k < p->nlines && strcmp(p->lines[k].key, g->line))
                        k++;
                if (k == p->nlines) {
                        p->lines[k].key = p->lines[k].label = g->line;
                        p->nlines++;
                }
                l->line_of[i] = k;
        }
        for (size_t i = 0; i < p->nlines + p->nproducts; i++) {
                struct vb_product_group *g =
                    i < p->nlines ? &p->lines[i] : &p->products[i - p->nlines];
                g->seg_attempts = vb_arena_alloc(&p->arena, nseg * sizeof(size_t));
                g->seg_conversations = vb_arena_alloc(&p->arena, nseg * sizeof(size_t));
        }
}

/* The product index of an id, or SIZE_MAX. */
static size_t product_index(const struct vb_vocab *v, const struct layout *l, const char *id)
{
        if (!id || !*id)
                return SIZE_MAX;
        if (v->has_products) {
                const struct vb_product *pr = vb_vocab_product(v, id);
                return pr ? (size_t)(pr - v->products) : SIZE_MAX;
        }
        const char **at = bsearch(&id, l->ids, l->nids, sizeof(*l->ids), str_cmp);
        return at ? (size_t)(at - l->ids) : SIZE_MAX;
}

static size_t segment_index(const struct vb_agg *a, const struct vb_note *n)
{
        const char *k = vb_vocab_segment_key(a->kb->vocab, n->segment.value);
        for (size_t i = 0; k && i < a->nsegments; i++)
                if (!strcmp(a->segments[i].key, k))
                        return i;
        return a->nsegments; /* a spare slot, shown nowhere */
}

static int has_group(const size_t *gs, size_t n, size_t g)
{
        for (size_t i = 0; i < n; i++)
                if (gs[i] == g)
                        return 1;
        return 0;
}

/* Distinct customers (and of those, reached) per group, from the keys
 * (group << 33 | customer << 1 | conversation), sorted here. */
static void count_customers(struct u64s *k, struct vb_products *p)
{
        vb_sort_keys(k->v, k->n);
        for (size_t i = 0; i < k->n; i++) {
                uint64_t pair = k->v[i] >> 1;
                if (i + 1 < k->n && k->v[i + 1] >> 1 == pair)
                        continue; /* the last of its run: a conversation if any is */
                size_t g = (size_t)(k->v[i] >> 33);
                if ((uint32_t)pair == NO_CUSTOMER)
                        continue;
                struct vb_product_group *gr =
                    g < p->nlines ? &p->lines[g] : &p->products[g - p->nlines];
                gr->customers++;
                gr->customers_reached += k->v[i] & 1;
        }
}

/* The themes of each group from the sorted keys ((group x T + theme) << 32 |
 * customer). */
static void group_themes(struct vb_products *p, const struct vb_agg *a, struct u64s *k)
{
        size_t T = a->nthemes ? a->nthemes : 1;
        vb_sort_keys(k->v, k->n);
        size_t i = 0;
        while (i < k->n) {
                size_t cell = (size_t)(k->v[i] >> 32), g = cell / T, t = cell % T, j = i;
                struct vb_product_group *gr =
                    g < p->nlines ? &p->lines[g] : &p->products[g - p->nlines];
                size_t cells = 0; /* the group's distinct themes, from i on */
                for (size_t e = i; e < k->n && (size_t)(k->v[e] >> 32) / T == g; e++)
                        cells += e == i || (k->v[e] >> 32) != (k->v[e - 1] >> 32);
                gr->themes = vb_arena_alloc(&p->arena, cells * sizeof(*gr->themes));
                while (j < k->n && (size_t)(k->v[j] >> 32) / T == g) {
                        struct vb_product_theme *x = &gr->themes[gr->nthemes++];
                        cell = (size_t)(k->v[j] >> 32);
                        t = cell % T;
                        x->theme = &a->themes[t];
                        for (; j < k->n && (size_t)(k->v[j] >> 32) == cell; j++) {
                                x->notes++;
                                if ((uint32_t)k->v[j] != NO_CUSTOMER &&
                                    (j == 0 || k->v[j - 1] != k->v[j]))
                                        x->customers++;
                        }
                        size_t others = p->conversations - gr->conversations;
                        x->other_notes = x->theme->notes - x->notes;
                        x->share = ratio(x->notes, gr->conversations);
                        x->other_share = ratio(x->other_notes, others);
                        x->ranked = x->notes >= VB_PRODUCTS_MIN_NOTES &&
                                    x->other_notes >= VB_PRODUCTS_MIN_NOTES;
                        x->ratio = x->ranked ? x->share / x->other_share : 0.0;
                }
                qsort(gr->themes, gr->nthemes, sizeof(*gr->themes), theme_cmp);
                i = j;
        }
}

void vb_products_build(struct vb_products *out, const struct vb_agg *a)
{
        const struct vb_vocab *v = a->kb->vocab;
        struct layout l = {0};
        struct vb_strtab cust;
        struct u64s calls = {0}, themes = {0};
        size_t *gs = NULL, gcap = 0;
        size_t T = a->nthemes ? a->nthemes : 1;

        memset(out, 0, sizeof(*out));
        memset(&cust, 0, sizeof(cust));
        make_groups(out, &l, a);
        for (size_t i = 0; i < a->kb->nnotes; i++) {
                const struct vb_note *n = a->kb->notes[i];
                if (!vb_agg_note_counts(a, n))
                        continue;
                int conv = vb_note_is_conversation(n);
                out->conversations += conv;
                size_t ng = 0;
                for (size_t k = 0; k < n->nproducts; k++) {
                        size_t pi = product_index(v, &l, n->products[k].value);
                        if (pi == SIZE_MAX)
                                continue;
                        gs = vb_grow_array(gs, &gcap, ng + 2, sizeof(*gs));
                        if (!has_group(gs, ng, out->nlines + pi))
                                gs[ng++] = out->nlines + pi;
                        if (l.line_of[pi] != SIZE_MAX && !has_group(gs, ng, l.line_of[pi]))
                                gs[ng++] = l.line_of[pi];
                }
                if (!ng)
                        continue;
                uint32_t c =
                    n->customer.value && *n->customer.value
                        ? vb_strtab_intern(&cust, n->customer.value, strlen(n->customer.value))
                        : NO_CUSTOMER;
                size_t seg = segment_index(a, n);
                int unknown = 0;
                for (size_t k = 0; conv && k < n->ntags; k++)
                        unknown |= !n->tags[k].theme;
                for (size_t k = 0; k < ng; k++) {
                        size_t g = gs[k];
                        struct vb_product_group *gr =
                            g < out->nlines ? &out->lines[g] : &out->products[g - out->nlines];
                        gr->attempts++;
                        gr->seg_attempts[seg]++;
                        push(&calls, (uint64_t)g << 33 | (uint64_t)c << 1 | (uint64_t)conv);
                        if (!conv)
                                continue;
                        gr->conversations++;
                        gr->seg_conversations[seg]++;
                        for (size_t t = 0; t <= n->nthemes; t++) {
                                const char *key = t < n->nthemes ? n->themes[t]
                                                  : unknown      ? "unknown"
                                                                 : NULL;
                                const struct vb_theme_stats *ts = key ? vb_agg_theme(a, key) : NULL;
                                if (ts)
                                        push(&themes, (uint64_t)(g * T + (size_t)(ts - a->themes))
                                                              << 32 |
                                                          c);
                        }
                }
        }
        count_customers(&calls, out);
        for (size_t i = 0; i < out->nlines + out->nproducts; i++) {
                struct vb_product_group *g =
                    i < out->nlines ? &out->lines[i] : &out->products[i - out->nlines];
                g->connect_rate = ratio(g->conversations, g->attempts);
                g->customer_rate = ratio(g->customers_reached, g->customers);
        }
        group_themes(out, a, &themes);
        out->theme_line = vb_arena_alloc(&out->arena, T * sizeof(*out->theme_line));
        out->theme_line_ratio = vb_arena_alloc(&out->arena, T * sizeof(double));
        for (size_t i = 0; i < out->nlines; i++)
                for (size_t k = 0; k < out->lines[i].nthemes; k++) {
                        const struct vb_product_theme *x = &out->lines[i].themes[k];
                        size_t t = (size_t)(x->theme - a->themes);
                        if (x->ranked && x->ratio > out->theme_line_ratio[t]) {
                                out->theme_line[t] = &out->lines[i];
                                out->theme_line_ratio[t] = x->ratio;
                        }
                }
        free(gs);
        free(calls.v);
        free(themes.v);
        vb_strtab_release(&cust);
        free(l.ids);
        free(l.line_of);
}

void vb_products_release(struct vb_products *p)
{
        vb_arena_release(&p->arena);
        memset(p, 0, sizeof(*p));
}

int vb_product_group_enough(const struct vb_product_group *g)
{
        return g->conversations >= VB_PRODUCTS_MIN_NOTES;
}

const struct vb_product_group *vb_products_find(const struct vb_products *p, int kind,
                                                const char *key)
{
        const struct vb_product_group *v = kind == 'l' ? p->lines : p->products;
        size_t n = kind == 'l' ? p->nlines : p->nproducts;
        for (size_t i = 0; key && i < n; i++)
                if (!strcmp(v[i].key, key))
                        return &v[i];
        return NULL;
}

static void json_group(struct vb_buf *out, const struct vb_agg *a, const struct vb_product_group *g,
                       int product)
{
        vb_buf_adds(out, "{\"key\":");
        vb_json_str(out, g->key);
        vb_buf_adds(out, ",\"label\":");
        vb_json_str(out, g->label);
        if (product) {
                vb_buf_adds(out, ",\"line\":");
                vb_json_str(out, g->line);
        }
        vb_buf_addf(out, ",\"attempts\":%zu,\"conversations\":%zu,\"connect_rate\":", g->attempts,
                    g->conversations);
        vb_json_num(out, g->connect_rate);
        vb_buf_addf(out,
                    ",\"customers\":%zu,\"customers_reached\":%zu,\"customer_rate\":", g->customers,
                    g->customers_reached);
        vb_json_num(out, g->customer_rate);
        vb_buf_addf(out, ",\"enough\":%s,\"segments\":[",
                    vb_product_group_enough(g) ? "true" : "false");
        for (size_t i = 0; i < a->nsegments; i++) {
                vb_buf_adds(out, i ? ",{\"key\":" : "{\"key\":");
                vb_json_str(out, a->segments[i].key);
                vb_buf_addf(out, ",\"attempts\":%zu,\"conversations\":%zu}", g->seg_attempts[i],
                            g->seg_conversations[i]);
        }
        vb_buf_adds(out, "],\"themes\":[");
        for (size_t i = 0; i < g->nthemes; i++) {
                const struct vb_product_theme *x = &g->themes[i];
                vb_buf_adds(out, i ? ",{\"theme\":" : "{\"theme\":");
                vb_json_str(out, x->theme->key);
                vb_buf_addf(out, ",\"notes\":%zu,\"customers\":%zu,\"share\":", x->notes,
                            x->customers);
                vb_json_num(out, x->share);
                vb_buf_addf(out, ",\"other_notes\":%zu,\"other_share\":", x->other_notes);
                vb_json_num(out, x->other_share);
                vb_buf_adds(out, ",\"ratio\":");
                if (x->ranked)
                        vb_json_num(out, x->ratio);
                else
                        vb_buf_adds(out, "null");
                vb_buf_addc(out, '}');
        }
        vb_buf_adds(out, "]}");
}

void vb_products_json(struct vb_buf *out, const struct vb_agg *a, const struct vb_products *p)
{
        vb_buf_adds(out, "\"lines\": [");
        for (size_t i = 0; i < p->nlines; i++) {
                vb_buf_adds(out, i ? ",\n  " : "\n  ");
                json_group(out, a, &p->lines[i], 0);
        }
        vb_buf_adds(out, "],\n\"products\": [");
        for (size_t i = 0; i < p->nproducts; i++) {
                vb_buf_adds(out, i ? ",\n  " : "\n  ");
                json_group(out, a, &p->products[i], 1);
        }
        vb_buf_addc(out, ']');
}
