/* The report's product pages: products.html (every product line and
 * product), lines/<name>.html and products/<name>.html (themes, segments,
 * phrases, connect rate), the overview's summary, the themes table's
 * "heard most with" cell and a note page's products.  The figures are
 * vb_products_build's (include/verbatim/products.h); the phrases are counted
 * for every group in one pass over the phrase index. */
#include "report_site.h"
#include "verbatim/html.h"
#include "verbatim/phrase.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { GROUP_PHRASES = 10 };

void rs_products_prepare(struct rs_site *s, struct vb_products *p)
{
        vb_products_build(p, s->a);
        s->products = p;
}

static const struct vb_product_group *line_of(const struct rs_site *s, const char *line)
{
        return s->products ? vb_products_find(s->products, 'l', line) : NULL;
}

static void link_group(struct rs_site *s, struct vb_buf *o, const char *root, int kind,
                       const struct vb_product_group *g)
{
        vb_buf_reset(&s->tmp);
        rs_page_name(&s->tmp, kind == 'l' ? "lines/" : "products/", g->key);
        vb_buf_adds(o, "<a href=\"");
        vb_buf_adds(o, root);
        vb_html_attr(o, s->tmp.ptr, s->tmp.len);
        vb_buf_adds(o, ".html\">");
        vb_html_texts(o, g->label);
        vb_buf_adds(o, "</a>");
}

/* ---- phrases per group, one pass over the index ---- */

/* The groups (indexes: lines, then products) of each note of the index that
 * the aggregates count as a conversation. */
struct note_groups {
        uint32_t *first, *count; /* per index note */
        uint32_t *groups;
        size_t n, cap;
};

struct path_ref {
        const char *path;
        const struct vb_note *note;
};

static int path_cmp(const void *pa, const void *pb)
{
        return strcmp(((const struct path_ref *)pa)->path, ((const struct path_ref *)pb)->path);
}

static void add_group(struct note_groups *ng, uint32_t from, uint32_t g)
{
        for (size_t k = from; k < ng->n; k++)
                if (ng->groups[k] == g)
                        return;
        ng->groups = vb_grow_array(ng->groups, &ng->cap, ng->n + 1, sizeof(*ng->groups));
        ng->groups[ng->n++] = g;
}

static void note_groups_build(struct note_groups *ng, const struct rs_site *s)
{
        const struct vb_products *p = s->products;
        const struct vb_phrase_index *ix = s->phrases;
        const struct vb_kb *kb = s->kb;
        struct path_ref *refs = vb_calloc(kb->nnotes + 1, sizeof(*refs));
        size_t nrefs = 0;
        for (size_t i = 0; i < kb->nnotes; i++) {
                const struct vb_note *n = kb->notes[i];
                if (n->nproducts && vb_note_is_conversation(n) && vb_agg_note_counts(s->a, n))
                        refs[nrefs++] = (struct path_ref){n->path, n};
        }
        qsort(refs, nrefs, sizeof(*refs), path_cmp);
        ng->first = vb_calloc(ix->notes.n + 1, sizeof(*ng->first));
        ng->count = vb_calloc(ix->notes.n + 1, sizeof(*ng->count));
        for (size_t i = 0; i < ix->notes.n; i++) {
                struct path_ref key = {ix->notes.v[i]->path, NULL};
                const struct path_ref *r =
                    key.path ? bsearch(&key, refs, nrefs, sizeof(*refs), path_cmp) : NULL;
                ng->first[i] = (uint32_t)ng->n;
                for (size_t k = 0; r && k < r->note->nproducts; k++) {
                        const struct vb_product_group *pr =
                            vb_products_find(p, 'p', r->note->products[k].value);
                        if (!pr)
                                continue;
                        add_group(ng, ng->first[i], (uint32_t)(p->nlines + (pr - p->products)));
                        const struct vb_product_group *l = pr->line ? line_of(s, pr->line) : NULL;
                        if (l)
                                add_group(ng, ng->first[i], (uint32_t)(l - p->lines));
                }
                ng->count[i] = (uint32_t)(ng->n - ng->first[i]);
        }
        free(refs);
}

static int top_cmp(const void *pa, const void *pb)
{
        const struct vb_phrase_top *a = pa, *b = pb;
        if (a->nnotes != b->nnotes)
                return a->nnotes > b->nnotes ? -1 : 1;
        if (a->phrase->nwords != b->phrase->nwords)
                return a->phrase->nwords > b->phrase->nwords ? -1 : 1;
        return strcmp(a->phrase->text, b->phrase->text);
}

static void widen(struct vb_phrase_top *t, struct vb_date d)
{
        if (!vb_date_is_set(d))
                return;
        if (!vb_date_is_set(t->first) || vb_date_cmp(d, t->first) < 0)
                t->first = d;
        if (!vb_date_is_set(t->last) || vb_date_cmp(d, t->last) > 0)
                t->last = d;
}

/* Per group, the phrases said in at least 2 of its conversations, top
 * first, at most GROUP_PHRASES.  The caller frees each v and the array. */
static struct vb_phrase_tops *phrases_by_group(const struct rs_site *s)
{
        const struct vb_products *p = s->products;
        const struct vb_phrase_index *ix = s->phrases;
        size_t ng_all = p->nlines + p->nproducts;
        struct vb_phrase_tops *out = vb_calloc(ng_all + 1, sizeof(*out));
        struct vb_phrase_top *acc = vb_calloc(ng_all + 1, sizeof(*acc));
        uint32_t *last = vb_calloc(ng_all + 1, sizeof(*last));
        struct note_groups ng;
        memset(&ng, 0, sizeof(ng));
        if (!ix || !ng_all)
                goto done;
        note_groups_build(&ng, s);
        for (size_t i = 0; i < ix->nphrases; i++) {
                const struct vb_phrase *ph = &ix->phrases[i];
                for (size_t g = 0; g < ng_all; g++) {
                        memset(&acc[g], 0, sizeof(acc[g]));
                        acc[g].phrase = ph;
                        last[g] = UINT32_MAX;
                }
                for (size_t j = 0; ph->occ && j < ph->nocc; j++) {
                        uint32_t note = ph->occ[j].note;
                        for (uint32_t k = 0; k < ng.count[note]; k++) {
                                uint32_t g = ng.groups[ng.first[note] + k];
                                acc[g].nocc++;
                                if (last[g] != note) {
                                        acc[g].nnotes++;
                                        last[g] = note;
                                        widen(&acc[g], ix->notes.v[note]->date);
                                }
                        }
                }
                for (size_t g = 0; g < ng_all; g++) {
                        if (acc[g].nnotes < 2)
                                continue;
                        out[g].v =
                            vb_grow_array(out[g].v, &out[g].cap, out[g].n + 1, sizeof(*out[g].v));
                        out[g].v[out[g].n++] = acc[g];
                }
        }
        for (size_t g = 0; g < ng_all; g++) {
                if (out[g].n)
                        qsort(out[g].v, out[g].n, sizeof(*out[g].v), top_cmp);
        }
done:
        free(ng.first);
        free(ng.count);
        free(ng.groups);
        free(acc);
        free(last);
        return out;
}

/* ---- the pages ---- */

/* num / den as a percentage cell, a dash when there is nothing to divide */
static void rate_cell(struct vb_buf *o, size_t num, size_t den)
{
        vb_buf_adds(o, "<td class=\"num\">");
        if (den)
                rs_percent(o, (double)num / (double)den);
        else
                vb_buf_adds(o, "\xE2\x80\x94");
        vb_buf_adds(o, "</td>");
}

/* "Not enough calls: 4 conversations so far; ..." for a group without
 * enough conversations: the honest line instead of shares of nothing. */
static void not_enough(struct vb_buf *o, const struct vb_product_group *g)
{
        vb_buf_adds(o, "<p class=\"notice\">Not enough calls: ");
        if (!g->attempts)
                vb_buf_adds(o, "no call names it yet");
        else
                vb_buf_addf(o, "%zu conversation%s so far", g->conversations,
                            g->conversations == 1 ? "" : "s");
        vb_buf_addf(o,
                    "; shares of its themes and how they compare with other calls need at "
                    "least %d conversations.</p>\n",
                    VB_PRODUCTS_MIN_NOTES);
}

static void group_facts(struct vb_buf *o, const struct vb_product_group *g)
{
        vb_buf_addf(o, "<p class=\"lead\">%zu call%s, %zu conversation%s", g->attempts,
                    g->attempts == 1 ? "" : "s", g->conversations,
                    g->conversations == 1 ? "" : "s");
        if (g->attempts) {
                vb_buf_adds(o, " (connect rate ");
                rs_percent(o, g->connect_rate);
                vb_buf_addf(o, "); %zu customer%s, %zu reached (", g->customers,
                            g->customers == 1 ? "" : "s", g->customers_reached);
                rs_percent(o, g->customer_rate);
                vb_buf_adds(o, ")");
        }
        vb_buf_adds(o, ".</p>\n");
}

static void group_segments(struct rs_site *s, struct vb_buf *o, const struct vb_product_group *g)
{
        static const char *const head[] = {"Segment", "Calls", "Conversations", "Connect rate"};
        vb_buf_adds(o, "<h2>Segments</h2>\n");
        vb_html_table_begin(o, NULL, head, 4);
        for (size_t i = 0; i < s->a->nsegments; i++) {
                const struct vb_segment_stats *sg = &s->a->segments[i];
                vb_buf_adds(o, "<tr><th scope=\"row\">");
                rs_link_segment(s, o, "../", sg->key, sg->label);
                vb_buf_adds(o, "</th>");
                rs_td_num(o, g->seg_attempts[i]);
                rs_td_num(o, g->seg_conversations[i]);
                rate_cell(o, g->seg_conversations[i], g->seg_attempts[i]);
                vb_buf_adds(o, "</tr>\n");
        }
        vb_html_table_end(o);
}

static void group_themes(struct rs_site *s, struct vb_buf *o, const struct vb_product_group *g)
{
        static const char *const head[] = {"Theme", "Kind",      "Conversations", "Customers",
                                           "Share", "Elsewhere", "Ratio"};
        int enough = vb_product_group_enough(g);
        vb_buf_adds(o, "<h2>Themes</h2>\n");
        if (!g->nthemes) {
                vb_buf_adds(o, "<p>No themes yet.</p>\n");
                return;
        }
        if (enough)
                vb_buf_addf(o,
                            "<p class=\"muted\">Share: of its %zu conversations, those carrying "
                            "the theme; elsewhere: the same share among the %zu other "
                            "conversations; ratio: the first over the second (shown with at least "
                            "%d conversations on each side). Most customers first.</p>\n",
                            g->conversations, s->products->conversations - g->conversations,
                            VB_PRODUCTS_MIN_NOTES);
        vb_html_table_begin(o, NULL, head, enough ? 7 : 4);
        for (size_t i = 0; i < g->nthemes; i++) {
                const struct vb_product_theme *x = &g->themes[i];
                vb_buf_adds(o, "<tr><th scope=\"row\">");
                rs_link_theme(s, o, "../", x->theme->key, x->theme->label);
                vb_buf_adds(o, "</th><td>");
                vb_html_texts(o, x->theme->kind ? x->theme->kind : "");
                vb_buf_adds(o, "</td>");
                rs_td_num(o, x->notes);
                rs_td_num(o, x->customers);
                if (enough) {
                        vb_buf_adds(o, "<td class=\"num\">");
                        rs_percent(o, x->share);
                        vb_buf_adds(o, "</td><td class=\"num\">");
                        rs_percent(o, x->other_share);
                        if (x->ranked)
                                vb_buf_addf(o, "</td><td class=\"num\">&times;%.2f</td>", x->ratio);
                        else
                                vb_buf_adds(o, "</td><td class=\"muted\">too few to tell</td>");
                }
                vb_buf_adds(o, "</tr>\n");
        }
        vb_html_table_end(o);
}

static void group_phrases(struct vb_buf *o, const struct vb_phrase_tops *gp)
{
        vb_buf_adds(o, "<h2>In the customers&rsquo; words</h2>\n");
        if (gp->n)
                rs_phrase_table(o, gp, GROUP_PHRASES);
        else
                vb_buf_adds(o, "<p>No phrase said in two or more of its conversations.</p>\n");
}

static int group_page(struct rs_site *s, int kind, const struct vb_product_group *g,
                      const struct vb_phrase_tops *gp)
{
        struct vb_buf *o = &s->page, h1 = VB_BUF_INIT, path = VB_BUF_INIT;
        const struct vb_products *p = s->products;
        vb_buf_adds(&h1, kind == 'l' ? "Product line: " : "Product: ");
        vb_buf_adds(&h1, g->label);
        rs_begin(s, h1.ptr, h1.ptr, "../", RS_OTHER);
        if (kind == 'p' && g->line && line_of(s, g->line)) {
                vb_buf_adds(o, "<p>Product line: ");
                link_group(s, o, "../", 'l', line_of(s, g->line));
                vb_buf_adds(o, ".</p>\n");
        }
        if (kind == 'l') {
                vb_buf_adds(o, "<p>Products: ");
                size_t k = 0;
                for (size_t i = 0; i < p->nproducts; i++) {
                        if (!p->products[i].line || strcmp(p->products[i].line, g->key))
                                continue;
                        if (k++)
                                vb_buf_adds(o, ", ");
                        link_group(s, o, "../", 'p', &p->products[i]);
                }
                vb_buf_adds(o, ".</p>\n");
        }
        group_facts(o, g);
        if (!vb_product_group_enough(g))
                not_enough(o, g);
        if (g->attempts) {
                group_themes(s, o, g);
                group_segments(s, o, g);
                group_phrases(o, gp);
        }
        vb_buf_adds(o, "<p><a href=\"../products.html\">Every product line and product</a></p>\n");
        rs_page_name(&path, kind == 'l' ? "lines/" : "products/", g->key);
        vb_buf_adds(&path, ".html");
        int rc = rs_end(s, path.ptr);
        vb_buf_release(&h1);
        vb_buf_release(&path);
        return rc;
}

/* The theme a group's conversations raise most over the others (its highest
 * ranked ratio), "&mdash;" when none is ranked. */
static void top_theme_cell(struct rs_site *s, struct vb_buf *o, const char *root,
                           const struct vb_product_group *g)
{
        const struct vb_product_theme *best = NULL;
        for (size_t i = 0; i < g->nthemes; i++)
                if (g->themes[i].ranked && g->themes[i].ratio > 1 &&
                    (!best || g->themes[i].ratio > best->ratio))
                        best = &g->themes[i];
        vb_buf_adds(o, "<td>");
        if (best) {
                rs_link_theme(s, o, root, best->theme->key, best->theme->label);
                vb_buf_addf(o, " &times;%.2f", best->ratio);
        } else {
                vb_buf_adds(o, vb_product_group_enough(g) ? "\xE2\x80\x94" : "not enough calls");
        }
        vb_buf_adds(o, "</td>");
}

static void groups_table(struct rs_site *s, struct vb_buf *o, const char *root, const char *caption,
                         int kind, const struct vb_product_group *v, size_t n)
{
        static const char *const head[] = {"Product line", "Calls",     "Conversations",
                                           "Connect rate", "Customers", "Raised most over others"};
        static const char *const phead[] = {"Product",      "Calls",     "Conversations",
                                            "Connect rate", "Customers", "Raised most over others"};
        vb_html_table_begin(o, caption, kind == 'l' ? head : phead, 6);
        for (size_t i = 0; i < n; i++) {
                vb_buf_adds(o, "<tr><th scope=\"row\">");
                link_group(s, o, root, kind, &v[i]);
                vb_buf_adds(o, "</th>");
                rs_td_num(o, v[i].attempts);
                rs_td_num(o, v[i].conversations);
                rate_cell(o, v[i].conversations, v[i].attempts);
                rs_td_num(o, v[i].customers);
                top_theme_cell(s, o, root, &v[i]);
                vb_buf_adds(o, "</tr>\n");
        }
        vb_html_table_end(o);
}

int rs_products_pages(struct rs_site *s)
{
        const struct vb_products *p = s->products;
        struct vb_buf *o = &s->page;
        int rc = VB_OK;
        if (!p || (!p->nlines && !p->nproducts))
                return VB_OK; /* no catalog and no products: no page links here */
        struct vb_phrase_tops *gp = phrases_by_group(s);
        rs_begin(s, "Products", "Product lines and products", "", RS_OTHER);
        vb_buf_addf(o,
                    "<p class=\"lead\">What customers raise per product line and product "
                    "(<code>products:</code> of the notes). A call about several products of a "
                    "line counts once for the line. Ratios compare a theme&rsquo;s share of the "
                    "line&rsquo;s (or product&rsquo;s) conversations with its share of the other "
                    "conversations, shown with at least %d conversations on each side.</p>\n",
                    VB_PRODUCTS_MIN_NOTES);
        if (p->nlines)
                groups_table(s, o, "", "Product lines", 'l', p->lines, p->nlines);
        groups_table(s, o, "", "Products", 'p', p->products, p->nproducts);
        rc = rs_end(s, "products.html");
        for (size_t i = 0; rc == VB_OK && i < p->nlines; i++)
                rc = group_page(s, 'l', &p->lines[i], &gp[i]);
        for (size_t i = 0; rc == VB_OK && i < p->nproducts; i++)
                rc = group_page(s, 'p', &p->products[i], &gp[p->nlines + i]);
        for (size_t i = 0; i < p->nlines + p->nproducts; i++)
                free(gp[i].v);
        free(gp);
        return rc;
}

void rs_products_summary(struct rs_site *s, struct vb_buf *o)
{
        const struct vb_products *p = s->products;
        if (!p || (!p->nlines && !p->nproducts))
                return;
        vb_buf_adds(o, "<section aria-labelledby=\"products\">\n<h2 id=\"products\">Product "
                       "lines</h2>\n");
        if (p->nlines)
                groups_table(s, o, "", NULL, 'l', p->lines, p->nlines);
        else
                groups_table(s, o, "", NULL, 'p', p->products, p->nproducts);
        vb_buf_adds(o, "<p><a href=\"products.html\">Every product line and product</a></p>\n"
                       "</section>\n");
}

int rs_theme_lines_column(const struct rs_site *s)
{
        return s->products && s->products->nlines;
}

void rs_theme_line_cell(struct rs_site *s, struct vb_buf *o, const struct vb_theme_stats *t)
{
        const struct vb_products *p = s->products;
        size_t i = (size_t)(t - s->a->themes);
        vb_buf_adds(o, "<td>");
        if (i < s->a->nthemes && p->theme_line[i] && p->theme_line_ratio[i] >= VB_PRODUCTS_LEAN) {
                link_group(s, o, "", 'l', p->theme_line[i]);
                vb_buf_addf(o, " &times;%.2f", p->theme_line_ratio[i]);
        } else if (i < s->a->nthemes && p->theme_line[i]) {
                vb_buf_adds(o, "<span class=\"muted\">no line stands out</span>");
        } else {
                vb_buf_adds(o, "\xE2\x80\x94");
        }
        vb_buf_adds(o, "</td>");
}

/* A product's links from a note page: the product, and its line. */
static void note_product_link(struct rs_site *s, struct vb_buf *o, const char *id,
                              const struct vb_product *pr)
{
        struct vb_product_group g = {0};
        g.key = id;
        g.label = pr && pr->label ? pr->label : id;
        link_group(s, o, RS_NOTE_ROOT, 'p', &g);
        if (pr && pr->line && *pr->line) {
                struct vb_product_group l = {0};
                l.key = l.label = pr->line;
                vb_buf_adds(o, " (line ");
                link_group(s, o, RS_NOTE_ROOT, 'l', &l);
                vb_buf_adds(o, ")");
        }
}

void rs_products_links_init(struct rs_site *s)
{
        const struct vb_vocab *v = s->v;
        struct vb_buf b = VB_BUF_INIT;
        if (!v->has_products || !v->nproducts)
                return;
        s->product_links = vb_calloc(v->nproducts, sizeof(*s->product_links));
        for (size_t i = 0; i < v->nproducts; i++) {
                note_product_link(s, &b, v->products[i].key, &v->products[i]);
                s->product_links[i] = vb_buf_detach(&b, NULL);
        }
}

void rs_products_links_release(struct rs_site *s)
{
        for (size_t i = 0; s->product_links && i < s->v->nproducts; i++)
                free(s->product_links[i]);
        free(s->product_links);
        s->product_links = NULL;
}

void rs_note_products(struct rs_site *s, struct vb_buf *o, const struct vb_note *n)
{
        if (!n->nproducts)
                return;
        vb_buf_adds(o, "<li>Products: ");
        for (size_t k = 0; k < n->nproducts; k++) {
                const char *id = n->products[k].value;
                const struct vb_product *pr =
                    id && s->v->has_products ? vb_vocab_product(s->v, id) : NULL;
                if (k)
                        vb_buf_adds(o, ", ");
                if (!id || !*id)
                        continue;
                /* every catalog product has a page (its links made once), and
                 * without a catalog every id a note writes */
                if (pr && s->product_links)
                        vb_buf_adds(o, s->product_links[pr - s->v->products]);
                else if (!s->v->has_products)
                        note_product_link(s, o, id, NULL);
                else
                        vb_html_texts(o, id);
        }
        vb_buf_adds(o, "</li>\n");
}
