/* The report's pages per theme, per segment and per note. */
#include "report_site.h"
#include "verbatim/jobs.h"
#include "verbatim/html.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *plural(size_t n)
{
        return n == 1 ? "" : "s";
}

static const struct vb_segment_stats *segment_of(const struct vb_agg *a, const char *key)
{
        for (size_t i = 0; key && i < a->nsegments; i++)
                if (a->segments[i].key && !strcmp(a->segments[i].key, key))
                        return &a->segments[i];
        return NULL;
}

static void page_path(struct vb_buf *path, const char *folder, const char *key)
{
        vb_buf_reset(path);
        rs_page_name(path, folder, key);
        vb_buf_adds(path, ".html");
}

/* "<note link>, 2026-11-03, Cart abandoners" */
static void note_cite(struct rs_site *s, struct vb_buf *o, const struct vb_note *n)
{
        const struct vb_segment_stats *g = segment_of(s->a, n->segment.value);
        rs_link_note(s, o, "../", n->id);
        vb_buf_adds(o, ", ");
        rs_date(o, n->date);
        if (g) {
                vb_buf_adds(o, ", ");
                vb_html_texts(o, g->label ? g->label : g->key);
        }
}

/* ---- themes ---- */

static void theme_counts(struct rs_site *s, struct vb_buf *o, const struct vb_theme_stats *t)
{
        static const char *const head[] = {"Conversations", "Customers", "Quotes",
                                           "First seen",    "Last seen", "Trend"};
        vb_html_table_begin(o, NULL, head, 6);
        vb_buf_addf(o, "<tr><td>%zu (", t->notes);
        rs_percent(o, t->share);
        vb_buf_addf(o, " of all)</td><td>%zu</td><td>%zu</td><td>", t->customers, t->nquotes);
        rs_date(o, t->first_seen);
        vb_buf_adds(o, "</td><td>");
        rs_date(o, t->last_seen);
        vb_buf_adds(o, "</td><td>");
        rs_trend(o, t);
        vb_buf_adds(o, "</td></tr>\n");
        vb_html_table_end(o);
        if (strcmp(t->key, "unknown")) {
                vb_buf_addf(o,
                            "<p class=\"trend\"><strong>%s</strong> (last %d weeks against the %d "
                            "before): ",
                            t->emerging ? "Emerging"
                            : t->fading ? "Fading"
                                        : "Neither emerging nor fading",
                            VB_TREND_RECENT_WEEKS, VB_TREND_BEFORE_WEEKS);
                rs_trend_words(o, &t->trend);
                vb_buf_adds(o, ".</p>\n");
        }
        (void)s;
}

static void theme_splits(struct rs_site *s, struct vb_buf *o, const struct vb_theme_stats *t)
{
        const struct vb_agg *a = s->a;
        static const char *const seg_head[] = {"Segment", "Conversations", "Customers",
                                               "Share of the segment's conversations"};
        static const char *const tier_head[] = {"Customer value (LTV tier)", "Conversations",
                                                "Customers"};
        if (a->nsegments && t->segments) {
                vb_buf_adds(o, "<h2>By segment</h2>\n");
                vb_html_table_begin(o, NULL, seg_head, 4);
                for (size_t g = 0; g < a->nsegments; g++) {
                        const struct vb_segment_stats *seg = &a->segments[g];
                        vb_buf_adds(o, "<tr><th scope=\"row\">");
                        rs_link_segment(s, o, "../", seg->key, seg->label);
                        vb_buf_adds(o, "</th>");
                        rs_td_num(o, t->segments[g].notes);
                        rs_td_num(o, t->segments[g].customers);
                        vb_buf_adds(o, "<td class=\"num\">");
                        rs_percent(o, seg->conversations ? (double)t->segments[g].notes /
                                                               (double)seg->conversations
                                                         : 0);
                        vb_buf_adds(o, "</td></tr>\n");
                }
                vb_html_table_end(o);
        }
        if (a->ntiers && t->tiers) {
                vb_buf_adds(o, "<h2>By customer value</h2>\n");
                vb_html_table_begin(o, NULL, tier_head, 3);
                for (size_t i = 0; i < a->ntiers; i++) {
                        vb_buf_adds(o, "<tr><th scope=\"row\">");
                        vb_html_texts(o, a->tiers[i]);
                        vb_buf_adds(o, "</th>");
                        rs_td_num(o, t->tiers[i].notes);
                        rs_td_num(o, t->tiers[i].customers);
                        vb_buf_adds(o, "</tr>\n");
                }
                vb_html_table_end(o);
        }
}

enum { COOCCURRING_MAX = 15 };

static void theme_related(struct rs_site *s, struct vb_buf *o, const struct vb_theme_stats *t)
{
        static const char *const head[] = {"Theme", "Conversations with both", "Customers"};
        size_t n = t->ncooccurring < COOCCURRING_MAX ? t->ncooccurring : COOCCURRING_MAX;
        vb_buf_adds(o, "<h2>Often mentioned with</h2>\n");
        if (!n) {
                vb_buf_adds(o, "<p>No other theme in the same conversations.</p>\n");
        } else {
                rs_theme_counts(s, o, "../", NULL, head, t->cooccurring, n);
        }
        vb_buf_adds(o, "<h2>Roadmap items it feeds</h2>\n");
        if (!t->nroadmap) {
                vb_buf_adds(o, "<p>None: no roadmap item lists this theme.</p>\n");
                return;
        }
        vb_buf_adds(o, "<ul>\n");
        for (size_t i = 0; i < t->nroadmap; i++) {
                const struct vb_roadmap_item *it = t->roadmap[i];
                vb_buf_adds(o, "<li><a href=\"../roadmap.html#item-");
                vb_buf_reset(&s->tmp);
                vb_safe_name(&s->tmp, it->id);
                vb_buf_adds(o, s->tmp.ptr);
                vb_buf_adds(o, "\">");
                vb_html_texts(o, it->title ? it->title : it->id);
                vb_buf_adds(o, "</a> <span class=\"muted\">(");
                vb_html_texts(o, it->status ? it->status : "no status");
                vb_buf_adds(o, ")</span></li>\n");
        }
        vb_buf_adds(o, "</ul>\n");
}

static void quote_figure(struct rs_site *s, struct vb_buf *o, const struct vb_quote_ref *r)
{
        vb_buf_adds(o, "<figure class=\"quote\"><blockquote><p>");
        vb_html_texts(o, r->note->quotes[r->quote].text);
        vb_buf_adds(o, "</p></blockquote><figcaption>");
        note_cite(s, o, r->note);
        vb_buf_adds(o, "</figcaption></figure>\n");
}

/* The groups of page `page` of the theme's quotes (rs_quote_groups). */
static void theme_quote_groups(struct rs_site *s, struct vb_buf *o, const struct vb_theme_stats *t,
                               const struct rs_groups *g, size_t page)
{
        size_t from = (page - 1) * RS_PAGE_ITEMS;
        size_t to = from + RS_PAGE_ITEMS < g->n ? from + RS_PAGE_ITEMS : g->n;
        for (size_t k = from; k < to; k++) {
                size_t i = g->head[k];
                vb_buf_adds(o, "<div class=\"quote-group\">");
                quote_figure(s, o, rs_newest_quote(t, i));
                if (g->count[k] > 1) {
                        vb_buf_addf(o, "<details><summary>and %zu more saying the same</summary>\n",
                                    g->count[k] - 1);
                        for (i = g->next[i]; i != SIZE_MAX; i = g->next[i]) {
                                quote_figure(s, o, rs_newest_quote(t, i));
                                rs_row(s);
                        }
                        vb_buf_adds(o, "</details>");
                }
                vb_buf_adds(o, "</div>\n");
                rs_row(s);
        }
}

/* The best quotes, then the first page of the quotes folded. */
static void theme_quotes(struct rs_site *s, struct vb_buf *o, const struct vb_theme_stats *t,
                         const struct rs_groups *g, const char *base)
{
        size_t best[RS_BEST_QUOTES], nbest = rs_best_quotes(t, best);
        if (nbest) {
                vb_buf_adds(o, "<h2>Best quotes</h2>\n<p class=\"muted\">The most representative "
                               "of the newest quotes, from different customers.</p>\n"
                               "<div class=\"best-quotes\">\n");
                for (size_t k = 0; k < nbest; k++)
                        quote_figure(s, o, rs_newest_quote(t, best[k]));
                vb_buf_adds(o, "</div>\n");
        }
        vb_buf_addf(o,
                    "<h2 id=\"quotes\">What customers said</h2>\n<p class=\"muted\">%zu quote%s, "
                    "verbatim, newest first; %zu after folding those saying the same.</p>\n",
                    t->nquotes, plural(t->nquotes), g->n);
        rs_pager(o, base, 1, rs_page_count(g->n));
        theme_quote_groups(s, o, t, g, 1);
        rs_pager(o, base, 1, rs_page_count(g->n));
}

/* Pages 2, 3 ... of the theme's quotes. */
static int theme_quote_pages(struct rs_site *s, const struct vb_theme_stats *t,
                             const struct rs_groups *g, const char *base, struct vb_buf *path)
{
        struct vb_buf *o = &s->page;
        struct vb_buf title = VB_BUF_INIT;
        size_t npages = rs_page_count(g->n);
        int rc = VB_OK;
        for (size_t page = 2; rc == VB_OK && page <= npages; page++) {
                vb_buf_reset(&title);
                vb_buf_addf(&title, "%s: quotes, page %zu", t->label ? t->label : t->key, page);
                rs_paged_path(path, base, page);
                rs_begin(s, title.ptr, NULL, "../", RS_OTHER);
                rs_long_page(s, path->ptr);
                vb_buf_adds(o, "<p class=\"lead\">Quotes of theme ");
                rs_link_theme(s, o, "../", t->key, t->key);
                vb_buf_addf(o, ", newest first: %zu to %zu of %zu.</p>\n",
                            (page - 1) * RS_PAGE_ITEMS + 1,
                            page * RS_PAGE_ITEMS < g->n ? page * RS_PAGE_ITEMS : g->n, g->n);
                rs_pager(o, base, page, npages);
                theme_quote_groups(s, o, t, g, page);
                rs_pager(o, base, page, npages);
                rc = rs_end(s, path->ptr);
        }
        vb_buf_release(&title);
        return rc;
}

static int theme_page(struct rs_site *s, const struct vb_theme_stats *t, struct vb_buf *path)
{
        struct vb_buf *o = &s->page;
        struct vb_buf base = VB_BUF_INIT;
        struct rs_groups g;
        rs_page_name(&base, "themes/", t->key);
        rs_quote_groups(t, &g);
        page_path(path, "themes/", t->key);
        rs_begin(s, t->label ? t->label : t->key, NULL, "../", RS_OTHER);
        rs_long_page(s, path->ptr);
        vb_buf_adds(o, "<p class=\"lead\">Theme <code>");
        vb_html_texts(o, t->key);
        vb_buf_adds(o, "</code>");
        if (t->kind) {
                vb_buf_adds(o, ", kind: ");
                vb_html_texts(o, t->kind);
        }
        vb_buf_adds(o, ".</p>\n");
        theme_counts(s, o, t);
        vb_buf_adds(o, "<h2>Conversations per week</h2>\n");
        rs_weekly_chart(s, o, "theme-weekly", t->weekly.count,
                        "Conversations per week with this theme");
        if (s->h)
                rs_theme_history(s, o, t->key);
        theme_splits(s, o, t);
        rs_theme_copy_tests(s, o, t->key);
        if (s->jobs) {
                const struct vb_theme_forces *f = vb_jobs_theme_forces(s->jobs, t->key);
                if (f)
                        rs_forces(o,
                                  "Forces of progress that name it (hashtags in Push, Pull, "
                                  "Anxiety, Habit)",
                                  f->forces, f->nforces);
        }
        theme_related(s, o, t);
        rs_theme_phrases(s, o, t->key);
        theme_quotes(s, o, t, &g, base.ptr);
        int rc = rs_end(s, path->ptr);
        if (rc == VB_OK)
                rc = theme_quote_pages(s, t, &g, base.ptr, path);
        rs_groups_release(&g);
        vb_buf_release(&base);
        return rc;
}

int rs_theme_pages(struct rs_site *s, atomic_size_t *next)
{
        struct vb_buf path = VB_BUF_INIT;
        int rc = VB_OK;
        for (size_t i; rc == VB_OK && (i = atomic_fetch_add(next, 1)) < s->a->nthemes;)
                rc = theme_page(s, &s->a->themes[i], &path);
        vb_buf_release(&path);
        return rc;
}

/* ---- segments ---- */

struct ranked {
        size_t customers, notes, index;
        const char *key;
};

/* vb_rank_cmp on the segment's counts. */
static int cmp_ranked(const void *x, const void *y)
{
        const struct ranked *a = x, *b = y;
        return vb_rank_cmp(a->customers, a->notes, a->key, b->customers, b->notes, b->key);
}

static const char *outcome_name(enum vb_outcome oc)
{
        switch (oc) {
        case VB_OUTCOME_CONNECTED:
                return "connected";
        case VB_OUTCOME_VOICEMAIL:
                return "voicemail";
        case VB_OUTCOME_NO_ANSWER:
                return "no answer";
        case VB_OUTCOME_DECLINED:
                return "declined";
        default:
                return "other";
        }
}

static void segment_themes(struct rs_site *s, struct vb_buf *o, size_t g)
{
        const struct vb_agg *a = s->a;
        static const char *const head[] = {"Theme", "Conversations", "Customers", "Share"};
        struct ranked *r = vb_calloc(a->nthemes ? a->nthemes : 1, sizeof(*r));
        size_t n = 0;
        for (size_t i = 0; i < a->nthemes; i++)
                if (a->themes[i].segments && a->themes[i].segments[g].notes) {
                        r[n].customers = a->themes[i].segments[g].customers;
                        r[n].notes = a->themes[i].segments[g].notes;
                        r[n].key = a->themes[i].key;
                        r[n++].index = i;
                }
        qsort(r, n, sizeof(*r), cmp_ranked);
        vb_buf_adds(o, "<h2>Themes</h2>\n");
        if (!n) {
                vb_buf_adds(o, "<p>No themes in this segment's conversations.</p>\n");
        } else {
                vb_html_table_begin(o, NULL, head, 4);
                for (size_t k = 0; k < n; k++) {
                        const struct vb_theme_stats *t = &a->themes[r[k].index];
                        vb_buf_adds(o, "<tr><th scope=\"row\">");
                        rs_link_theme(s, o, "../", t->key, t->label);
                        vb_buf_adds(o, "</th>");
                        rs_td_num(o, t->segments[g].notes);
                        rs_td_num(o, t->segments[g].customers);
                        vb_buf_adds(o, "<td class=\"num\">");
                        rs_percent(o, a->segments[g].conversations
                                          ? (double)t->segments[g].notes /
                                                (double)a->segments[g].conversations
                                          : 0);
                        vb_buf_adds(o, "</td></tr>\n");
                }
                vb_html_table_end(o);
        }
        free(r);
}

/* Newest first, then by id (and kb order). */
static int call_newest_cmp(const void *x, const void *y)
{
        const struct vb_note *a = *(const struct vb_note *const *)x;
        const struct vb_note *b = *(const struct vb_note *const *)y;
        int c = vb_date_cmp(b->date, a->date);
        if (c)
                return c;
        c = strcmp(a->id ? a->id : "", b->id ? b->id : "");
        return c ? c : (a > b) - (a < b);
}

/* The calls of a segment, newest first: an array the caller frees. */
static const struct vb_note **segment_calls(const struct rs_site *s,
                                            const struct vb_segment_stats *g, size_t *n)
{
        const struct vb_note **v = vb_malloc((s->kb->nnotes ? s->kb->nnotes : 1) * sizeof *v);
        *n = 0;
        for (size_t i = 0; i < s->kb->nnotes; i++) {
                const struct vb_note *note = s->kb->notes[i];
                if (note->segment.value && !strcmp(note->segment.value, g->key))
                        v[(*n)++] = note;
        }
        qsort(v, *n, sizeof *v, call_newest_cmp);
        return v;
}

/* Page `page` of a segment's calls (newest first). */
static void segment_notes(struct rs_site *s, struct vb_buf *o, const struct vb_note **calls,
                          size_t ncalls, size_t page, const char *base)
{
        static const char *const head[] = {"Date", "Note", "Customer", "Outcome", "Themes"};
        size_t npages = rs_page_count(ncalls), from = (page - 1) * RS_PAGE_ITEMS;
        size_t to = from + RS_PAGE_ITEMS < ncalls ? from + RS_PAGE_ITEMS : ncalls;
        vb_buf_addf(o, "<h2 id=\"calls\">Calls</h2>\n<p class=\"muted\">Newest first");
        if (npages > 1)
                vb_buf_addf(o, ": %zu to %zu of %zu", from + 1, to, ncalls);
        vb_buf_adds(o, ".</p>\n");
        rs_pager(o, base, page, npages);
        vb_html_table_begin(o, NULL, head, 5);
        for (size_t i = from; i < to; i++) {
                const struct vb_note *n = calls[i];
                vb_buf_adds(o, "<tr><td>");
                rs_date(o, n->date);
                vb_buf_adds(o, "</td><td>");
                rs_link_note(s, o, "../", n->id);
                vb_buf_adds(o, "</td><td>");
                vb_html_texts(o, n->customer.value ? n->customer.value : "");
                vb_buf_adds(o, "</td><td>");
                vb_buf_adds(o, outcome_name(n->outcome));
                vb_buf_adds(o, "</td><td>");
                for (size_t k = 0; vb_note_is_conversation(n) && k < n->nthemes; k++) {
                        if (k)
                                vb_buf_adds(o, ", ");
                        if (vb_agg_theme(s->a, n->themes[k]))
                                rs_link_theme(s, o, "../", n->themes[k],
                                              vb_vocab_theme_label(s->v, n->themes[k]));
                        else
                                vb_html_texts(o, n->themes[k]);
                }
                vb_buf_adds(o, "</td></tr>\n");
                rs_row(s);
        }
        vb_html_table_end(o);
        rs_pager(o, base, page, npages);
}

static int segment_page(struct rs_site *s, size_t i, struct vb_buf *path, struct vb_buf *base)
{
        struct vb_buf *o = &s->page;
        const struct vb_segment_stats *g = &s->a->segments[i];
        size_t ncalls;
        const struct vb_note **calls = segment_calls(s, g, &ncalls);
        vb_buf_reset(base);
        rs_page_name(base, "segments/", g->key);
        page_path(path, "segments/", g->key);
        rs_begin(s, g->label ? g->label : g->key, NULL, "../", RS_OTHER);
        rs_long_page(s, path->ptr);
        vb_buf_adds(o, "<p class=\"lead\">Segment <code>");
        vb_html_texts(o, g->key);
        vb_buf_addf(o, "</code>: %zu call%s, %zu conversation%s (", g->attempts,
                    plural(g->attempts), g->conversations, plural(g->conversations));
        rs_percent(o, g->connect_rate);
        vb_buf_addf(o, " connected); %zu of %zu customer%s reached (", g->customers_reached,
                    g->customers, plural(g->customers));
        rs_percent(o, g->customer_rate);
        vb_buf_adds(o, ").</p>\n<h2>Calls per week</h2>\n");
        rs_weekly_chart(s, o, "segment-weekly", g->weekly.count, "Calls per week");
        segment_themes(s, o, i);
        segment_notes(s, o, calls, ncalls, 1, base->ptr);
        int rc = rs_end(s, path->ptr);
        struct vb_buf title = VB_BUF_INIT;
        for (size_t page = 2; rc == VB_OK && page <= rs_page_count(ncalls); page++) {
                vb_buf_reset(&title);
                vb_buf_addf(&title, "%s: calls, page %zu", g->label ? g->label : g->key, page);
                rs_paged_path(path, base->ptr, page);
                rs_begin(s, title.ptr, NULL, "../", RS_OTHER);
                rs_long_page(s, path->ptr);
                vb_buf_adds(o, "<p class=\"lead\">Calls of segment ");
                rs_link_segment(s, o, "../", g->key, g->key);
                vb_buf_adds(o, ".</p>\n");
                segment_notes(s, o, calls, ncalls, page, base->ptr);
                rc = rs_end(s, path->ptr);
        }
        vb_buf_release(&title);
        free(calls);
        return rc;
}

int rs_segment_pages(struct rs_site *s)
{
        struct vb_buf path = VB_BUF_INIT, base = VB_BUF_INIT;
        int rc = VB_OK;
        for (size_t i = 0; rc == VB_OK && i < s->a->nsegments; i++)
                rc = segment_page(s, i, &path, &base);
        vb_buf_release(&path);
        vb_buf_release(&base);
        return rc;
}

/* ---- notes: each page written while the kb loads, from the text just parsed ---- */

/* A front-matter value as words: a list "a, b, c", a map "key: value;
 * key: value", nested ones the same way (cut with "…" below 4 levels). */
static void yaml_value(struct vb_buf *o, const struct vb_yaml *y, int depth)
{
        if (!y)
                return;
        if (y->kind == VB_YAML_SCALAR) {
                vb_html_text(o, y->value ? y->value : "", y->value ? y->len : 0);
                return;
        }
        if (depth > 4) {
                vb_buf_adds(o, "\xE2\x80\xA6");
                return;
        }
        for (size_t i = 0; i < y->n; i++) {
                if (i)
                        vb_buf_adds(o, y->kind == VB_YAML_SEQ ? ", " : "; ");
                if (y->kind == VB_YAML_MAP) {
                        yaml_value(o, y->keys[i], depth + 1);
                        vb_buf_adds(o, ": ");
                }
                yaml_value(o, y->items[i], depth + 1);
        }
}

/* The front matter as a table, from the tree the note kept for the moment
 * (vb_kb_options.keep_front_matter). */
static void note_front(struct vb_buf *o, const struct vb_note *n)
{
        static const char *const head[] = {"Field", "Value"};
        const struct vb_yaml *f = n->front_ok && n->check ? n->check->front : NULL;
        vb_buf_adds(o, "<h2>Front matter</h2>\n");
        if (!f || f->kind != VB_YAML_MAP || !f->n) {
                vb_buf_adds(o, n->has_front_matter ? "<p>The front matter could not be read.</p>\n"
                                                   : "<p>No front matter.</p>\n");
                return;
        }
        vb_html_table_begin(o, NULL, head, 2);
        for (size_t i = 0; i < f->n; i++) {
                vb_buf_adds(o, "<tr><th scope=\"row\">");
                yaml_value(o, f->keys[i], 0);
                vb_buf_adds(o, "</th><td>");
                yaml_value(o, f->items[i], 0);
                vb_buf_adds(o, "</td></tr>\n");
        }
        vb_html_table_end(o);
}

int rs_note_segment_linked(const struct vb_vocab *v, const struct vb_note *n)
{
        const char *g = n->segment.value;
        return g && *g && (!v->has_segments || vb_vocab_segment(v, g));
}

static void note_links(struct rs_site *s, struct vb_buf *o, const struct vb_note *n)
{
        vb_buf_adds(o, "<ul class=\"facts\">\n<li>File: <code>");
        vb_html_texts(o, n->path);
        vb_buf_adds(o, "</code></li>\n");
        if (rs_note_segment_linked(s->v, n)) {
                const struct vb_segment *g = vb_vocab_segment(s->v, n->segment.value);
                vb_buf_adds(o, "<li>Segment: ");
                rs_link_segment(s, o, RS_NOTE_ROOT, n->segment.value,
                                g && g->label ? g->label : n->segment.value);
                vb_buf_adds(o, "</li>\n");
        }
        vb_buf_adds(o, "<li>Outcome: ");
        vb_buf_adds(o, outcome_name(n->outcome));
        vb_buf_adds(o, "</li>\n");
        rs_note_products(s, o, n);
        if (vb_note_is_conversation(n) && n->nthemes) {
                vb_buf_adds(o, "<li>Themes: ");
                for (size_t k = 0; k < n->nthemes; k++) {
                        if (k)
                                vb_buf_adds(o, ", ");
                        rs_link_theme(s, o, RS_NOTE_ROOT, n->themes[k],
                                      vb_vocab_theme_label(s->v, n->themes[k]));
                }
                vb_buf_adds(o, "</li>\n");
        }
        if (n->nroadmap) {
                vb_buf_adds(o, "<li>Roadmap: ");
                for (unsigned k = 0, shown = 0; k < n->nroadmap; k++) {
                        const char *id = n->roadmap[k].value;
                        const struct vb_roadmap_item *it =
                            id ? vb_vocab_roadmap_item(s->v, id) : NULL;
                        if (!id || !*id)
                                continue;
                        if (shown++)
                                vb_buf_adds(o, ", ");
                        if (!it) {
                                vb_html_texts(o, id);
                                continue;
                        }
                        vb_buf_adds(o, "<a href=\"" RS_NOTE_ROOT "roadmap.html#item-");
                        vb_safe_name(o, it->id);
                        vb_buf_adds(o, "\">");
                        vb_html_texts(o, it->title ? it->title : it->id);
                        vb_buf_adds(o, "</a>");
                }
                vb_buf_adds(o, "</li>\n");
        }
        if (n->follows.value && rs_has_note_page(s, n->follows.value)) {
                vb_buf_adds(o, "<li>Follows: ");
                rs_link_note(s, o, RS_NOTE_ROOT, n->follows.value);
                vb_buf_adds(o, "</li>\n");
        }
        vb_buf_adds(o, "</ul>\n");
}

/* The body of the note: its HTML when the parse made it, else
 * text[0..len) after the front matter rendered here. */
static void note_body(struct vb_buf *o, const struct vb_note *n, const char *text, size_t len,
                      const struct vb_note_html *html)
{
        size_t skip = 0;
        vb_buf_adds(o, "<h2>Notes</h2>\n<article class=\"note-body\">\n");
        if (html) {
                vb_buf_add(o, html->buf.ptr, html->buf.len);
        } else {
                for (unsigned line = 1; n->body_line > 1 && line < n->body_line && skip < len;
                     line++) {
                        const char *nl = memchr(text + skip, '\n', len - skip);
                        skip = nl ? (size_t)(nl - text) + 1 : len;
                }
                if (vb_html_markdown(o, text + skip, len - skip) != VB_OK)
                        vb_buf_adds(o, "<p>The note could not be rendered.</p>\n");
        }
        vb_buf_adds(o, "</article>\n");
}

static int by_id_cmp(const void *a, const void *b, void *ctx)
{
        const struct rs_notes *ns = ctx;
        size_t x = *(const size_t *)a, y = *(const size_t *)b;
        int c = strcmp(ns->ids[x], ns->ids[y]);
        return c ? c : (x > y) - (x < y); /* entries are in path order */
}

int rs_notes_begin(struct rs_notes *ns, struct rs_site *s, const struct vb_entry *e, size_t n)
{
        struct vb_buf id = VB_BUF_INIT;
        memset(ns, 0, sizeof(*ns));
        ns->site = s;
        ns->n = n;
        ns->ids = vb_calloc(n + 1, sizeof(*ns->ids));
        ns->by_id = vb_calloc(n + 1, sizeof(*ns->by_id));
        ns->owner = vb_calloc(n + 1, 1);
        ns->written = vb_calloc(n + 1, sizeof(*ns->written));
        ns->page_errors = vb_calloc(n + 1, sizeof(*ns->page_errors));
        for (size_t i = 0; i < n; i++) {
                vb_buf_reset(&id);
                vb_note_id_of(&id, e[i].path);
                ns->ids[i] = vb_arena_strndup(&ns->id_arena, id.ptr, id.len);
                ns->by_id[i] = i;
                atomic_init(&ns->written[i], 0);
        }
        vb_buf_release(&id);
        /* files listed in path order mostly have their ids in order too */
        size_t sorted = 1;
        while (sorted < n && by_id_cmp(&ns->by_id[sorted - 1], &ns->by_id[sorted], ns) < 0)
                sorted++;
        if (sorted < n)
                qsort_r(ns->by_id, n, sizeof(*ns->by_id), by_id_cmp, ns);
        /* of notes with the same id, the first by path has the page */
        for (size_t k = 0; k < n; k++)
                if (!k || strcmp(ns->ids[ns->by_id[k - 1]], ns->ids[ns->by_id[k]]))
                        ns->owner[ns->by_id[k]] = 1;
        pthread_mutex_init(&ns->mu, NULL);
        atomic_init(&ns->failed, 0);
        s->notes = ns;
        return VB_OK;
}

void rs_notes_end(struct rs_notes *ns)
{
        vb_arena_release(&ns->id_arena);
        free(ns->ids);
        free(ns->by_id);
        free(ns->owner);
        free(ns->written);
        free(ns->page_errors);
        vb_diags_release(&ns->d);
        pthread_mutex_destroy(&ns->mu);
        if (ns->site && ns->site->notes == ns)
                ns->site->notes = NULL;
        memset(ns, 0, sizeof(*ns));
}

/* Writes one page with a copy of the site that has its own buffers and
 * diagnostics (the hook runs in several threads); the first failure stops
 * every later page. */
static void note_page_write(struct rs_notes *ns, size_t index, const struct vb_note *n,
                            const char *text, size_t len, const struct vb_note_html *html,
                            size_t errors)
{
        struct rs_site s;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_buf path = VB_BUF_INIT;
        struct vb_buf *o = &s.page;
        rs_site_copy(&s, ns->site, &d);
        vb_buf_grow(o, 4096 + 2 * len); /* the frame and the note: one allocation */
        rs_begin(&s, n ? n->id : ns->ids[index], NULL, RS_NOTE_ROOT, RS_OTHER);
        if (!n) {
                vb_buf_adds(o,
                            "<p class=\"notice\" role=\"note\"><strong>This note could not "
                            "be read</strong>: run <code>verbatim check</code> to see why.</p>\n");
        } else {
                if (errors)
                        vb_buf_addf(o,
                                    "<p class=\"notice\" role=\"note\"><strong>This note has %zu "
                                    "error%s</strong>: its invalid values are left out of the "
                                    "figures (run <code>verbatim check</code>).</p>\n",
                                    errors, plural(errors));
                note_links(&s, o, n);
                note_front(o, n);
                note_body(o, n, text, len, html);
        }
        rs_note_name(&path, ns->ids[index]);
        vb_buf_adds(&path, ".html");
        if (rs_end(&s, path.ptr) == VB_OK) {
                ns->page_errors[index] = (unsigned)errors;
                atomic_store(&ns->written[index], 1);
        } else {
                pthread_mutex_lock(&ns->mu);
                if (!atomic_load(&ns->failed))
                        vb_diags_move(&ns->d, &d);
                atomic_store(&ns->failed, 1);
                pthread_mutex_unlock(&ns->mu);
        }
        vb_buf_release(&path);
        rs_site_copy_release(&s);
        vb_diags_release(&d);
}

void rs_note_page(void *ctx, size_t index, const struct vb_note *n, const char *text, size_t len,
                  const struct vb_note_html *html, const struct vb_diags *nd)
{
        struct rs_notes *ns = ctx;
        if (index >= ns->n || !ns->owner[index] || atomic_load(&ns->failed))
                return;
        note_page_write(ns, index, n, text, len, html, nd->errors);
}

/* Parses note `path` again and writes its page saying `errors`: for the few
 * notes that the rules across notes flag after their page was written. */
static void note_page_again(struct rs_notes *ns, size_t index, const char *path, unsigned errors)
{
        struct vb_buf text = VB_BUF_INIT;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_note *n = NULL;
        struct vb_note_options opt = {ns->site->v->themes_key, 1, 1, NULL};
        if (vb_source_read(ns->site->src, path, &text, &d) == VB_OK &&
            vb_note_parse(&n, path, text.ptr, text.len, &opt, &d) == VB_OK) {
                vb_note_resolve(n, ns->site->v);
                note_page_write(ns, index, n, text.ptr, text.len, NULL, errors);
        }
        vb_note_free(n);
        vb_buf_release(&text);
        vb_diags_release(&d);
}

int rs_notes_finish(struct rs_notes *ns, const struct vb_kb *kb, struct vb_diags *d)
{
        /* files that could not be read or parsed still get a page: links to them work */
        for (size_t i = 0; i < ns->n && !atomic_load(&ns->failed); i++)
                if (ns->owner[i] && !atomic_load(&ns->written[i]))
                        note_page_write(ns, i, NULL, NULL, 0, NULL, 0);
        /* the kb's notes are the listed files that parsed, in the same order */
        for (size_t i = 0, k = 0; i < ns->n && k < kb->nnotes && !atomic_load(&ns->failed); i++) {
                if (strcmp(ns->ids[i], kb->notes[k]->id))
                        continue;
                if (ns->owner[i] && ns->page_errors[i] != kb->notes[k]->errors)
                        note_page_again(ns, i, kb->notes[k]->path, kb->notes[k]->errors);
                k++;
        }
        if (atomic_load(&ns->failed)) {
                vb_diags_move(d, &ns->d);
                return VB_ERR_IO;
        }
        /* every page is written: links need the ids only.  The kb's notes are
         * the listed files that parsed, in the same order, and have the same
         * ids: borrow theirs (any equal string will do), copy the others. */
        struct vb_arena own = VB_ARENA_INIT;
        for (size_t i = 0, k = 0; i < ns->n; i++) {
                if (k < kb->nnotes && !strcmp(ns->ids[i], kb->notes[k]->id))
                        ns->ids[i] = kb->notes[k++]->id;
                else
                        ns->ids[i] = vb_arena_strdup(&own, ns->ids[i]);
        }
        vb_arena_release(&ns->id_arena);
        ns->id_arena = own;
        free(ns->owner);
        free(ns->written);
        free(ns->page_errors);
        ns->owner = NULL;
        ns->written = NULL;
        ns->page_errors = NULL;
        return VB_OK;
}

/* A page for a theme or segment that a note page links to but that no call
 * in the report's period carries (notes dated after the as-of date). */
static int stub_page(struct rs_site *s, const char *folder, const char *key, const char *label,
                     const char *what)
{
        struct vb_buf path = VB_BUF_INIT;
        rs_begin(s, label, NULL, "../", RS_OTHER);
        vb_buf_addf(&s->page,
                    "<p>No call of this report carries this %s: the notes that do are "
                    "dated after ",
                    what);
        rs_date(&s->page, s->a->as_of);
        vb_buf_adds(&s->page, ", the report&#39;s date.</p>\n");
        page_path(&path, folder, key);
        int rc = rs_end(s, path.ptr);
        vb_buf_release(&path);
        return rc;
}

static int key_cmp(const void *a, const void *b)
{
        return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Stub pages for theme or segment `keys` (sorted here), each key once. */
static int stub_pages(struct rs_site *s, const char **keys, size_t n, int themes)
{
        int rc = VB_OK;
        if (n > 1)
                qsort(keys, n, sizeof(*keys), key_cmp);
        for (size_t i = 0; rc == VB_OK && i < n; i++) {
                if (i && !strcmp(keys[i - 1], keys[i]))
                        continue;
                if (themes)
                        rc = stub_page(s, "themes/", keys[i], vb_vocab_theme_label(s->v, keys[i]),
                                       "theme");
                else
                        rc = stub_page(s, "segments/", keys[i], keys[i], "segment");
        }
        return rc;
}

int rs_stub_pages(struct rs_site *s)
{
        const char **themes = NULL, **segments = NULL;
        size_t nthemes = 0, nsegments = 0, capt = 0, caps = 0;
        for (size_t i = 0; i < s->kb->nnotes; i++) {
                const struct vb_note *n = s->kb->notes[i];
                for (size_t k = 0; vb_note_is_conversation(n) && k < n->nthemes; k++)
                        if (!vb_agg_theme(s->a, n->themes[k])) {
                                themes = vb_grow_array(themes, &capt, nthemes + 1, sizeof(*themes));
                                themes[nthemes++] = n->themes[k];
                        }
                if (rs_note_segment_linked(s->v, n) && !segment_of(s->a, n->segment.value)) {
                        segments = vb_grow_array(segments, &caps, nsegments + 1, sizeof(*segments));
                        segments[nsegments++] = n->segment.value;
                }
        }
        int rc = stub_pages(s, themes, nthemes, 1);
        if (rc == VB_OK)
                rc = stub_pages(s, segments, nsegments, 0);
        free(themes);
        free(segments);
        return rc;
}
