/* The report site: its frame, shared helpers, the overview page, and writing
 * the whole site atomically (vb_outdir). */
#include "verbatim/report.h"

#include "report_site.h"
#include "verbatim/jobs.h"
#include "verbatim/html.h"
#include "verbatim/phrase.h"
#include "verbatim/svg.h"

#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct vb_html_nav nav_template[] = {
    {"index.html", "Overview", false},
    {"phrases.html", "Phrases", false},
    {"jobs.html", "Jobs to be done", false},
    {"roadmap.html", "Roadmap", false},
    {"copy.html", "Copy", false},
    {"history.html", "History", false}, /* only with a history */
};

void rs_site_copy(struct rs_site *copy, const struct rs_site *s, struct vb_diags *d)
{
        *copy = *s;
        vb_buf_init(&copy->page);
        vb_buf_init(&copy->tmp);
        vb_buf_init(&copy->long_path);
        copy->pieces = 0;
        copy->d = d;
}

void rs_site_copy_release(struct rs_site *copy)
{
        vb_buf_release(&copy->page);
        vb_buf_release(&copy->tmp);
        vb_buf_release(&copy->long_path);
}

/* The rest of the frame (vb_html_page_rest) of a page at `root` whose
 * navigation entry is `current`. */
static void frame_rest(const struct rs_site *s, struct vb_buf *out, const char *root,
                       enum rs_page current)
{
        struct vb_html_nav nav[sizeof(nav_template) / sizeof(nav_template[0])];
        size_t n = sizeof(nav) / sizeof(nav[0]) - (s->h ? 0 : 1);
        struct vb_html_page p = {NULL, root, s->title, nav, n};
        memcpy(nav, nav_template, sizeof(nav));
        if ((size_t)current < p.nav_n)
                nav[current].current = true;
        vb_html_page_rest(out, &p);
}

void rs_frame_init(struct rs_site *s)
{
        struct vb_buf b = VB_BUF_INIT;
        frame_rest(s, &b, "../", RS_OTHER);
        s->sub_rest = vb_buf_detach(&b, NULL);
        frame_rest(s, &b, RS_NOTE_ROOT, RS_OTHER);
        s->note_rest = vb_buf_detach(&b, NULL);
}

void rs_frame_release(struct rs_site *s)
{
        free(s->sub_rest);
        free(s->note_rest);
        s->sub_rest = s->note_rest = NULL;
}

void rs_begin(struct rs_site *s, const char *title, const char *h1, const char *root,
              enum rs_page current)
{
        vb_buf_reset(&s->page);
        size_t n = vb_html_page_head(&s->page, title), at = s->page.len - n;
        if (current == RS_OTHER && s->sub_rest && !strcmp(root, "../"))
                vb_buf_adds(&s->page, s->sub_rest); /* a theme or segment page */
        else if (current == RS_OTHER && s->note_rest && !strcmp(root, RS_NOTE_ROOT))
                vb_buf_adds(&s->page, s->note_rest);
        else
                frame_rest(s, &s->page, root, current);
        vb_buf_adds(&s->page, "<h1>");
        if (h1) {
                vb_html_texts(&s->page, h1);
        } else { /* the title, escaped once: page.ptr may move as it grows */
                vb_buf_grow(&s->page, n);
                vb_buf_add(&s->page, s->page.ptr + at, n);
        }
        vb_buf_adds(&s->page, "</h1>\n");
        if (s->a && s->a->notes_with_errors)
                vb_buf_addf(
                    &s->page,
                    "<p class=\"notice\" role=\"note\"><strong>%zu note%s had errors</strong>: "
                    "their invalid values are left out of these figures "
                    "(run <code>verbatim check</code>).</p>\n",
                    s->a->notes_with_errors, s->a->notes_with_errors == 1 ? "" : "s");
}

int rs_end(struct rs_site *s, const char *relpath)
{
        int rc;
        vb_html_page_end(&s->page);
        if (!s->pieces) {
                rc = vb_outdir_write(s->out, relpath, s->page.ptr, s->page.len, s->d);
        } else if (s->pieces < 0) {
                rc = s->pieces_rc;
        } else {
                vb_outfile_write(&s->piece, s->page.ptr, s->page.len, s->d);
                rc = vb_outfile_close(&s->piece, s->d);
        }
        s->pieces = 0;
        vb_buf_reset(&s->long_path);
        return rc;
}

void rs_long_page(struct rs_site *s, const char *relpath)
{
        vb_buf_reset(&s->long_path);
        vb_buf_adds(&s->long_path, relpath);
        s->pieces = 0;
}

void rs_row(struct rs_site *s)
{
        if (s->page.len < RS_PIECE_BYTES || !s->long_path.len)
                return;
        if (!s->pieces) {
                int rc = vb_outfile_open(&s->piece, s->out, s->long_path.ptr, s->d);
                s->pieces = rc == VB_OK ? 1 : -1;
                s->pieces_rc = rc;
        }
        if (s->pieces > 0)
                vb_outfile_write(&s->piece, s->page.ptr, s->page.len, s->d);
        vb_buf_reset(&s->page); /* after a failure, what follows is dropped too */
}

/* An <a href> to the page at s->tmp (its path from the root, without
 * ".html") from a page at `root`. */
static void link_to(struct rs_site *s, struct vb_buf *o, const char *root, const char *text)
{
        vb_buf_adds(o, "<a href=\"");
        vb_buf_adds(o, root);
        vb_buf_add(o, s->tmp.ptr, s->tmp.len);
        vb_buf_adds(o, ".html\">");
        vb_html_texts(o, text);
        vb_buf_adds(o, "</a>");
}

void rs_page_name(struct vb_buf *o, const char *folder, const char *key)
{
        vb_buf_adds(o, folder);
        vb_safe_name(o, key);
}

void rs_note_name(struct vb_buf *o, const char *id)
{
        vb_buf_adds(o, "notes/xx/");
        size_t bucket = o->len - 3;
        vb_safe_name(o, id);
        memcpy(o->ptr + bucket, o->ptr + o->len - 8, 2); /* the hash's first two digits */
}

void rs_link_theme(struct rs_site *s, struct vb_buf *o, const char *root, const char *key,
                   const char *text)
{
        vb_buf_reset(&s->tmp);
        rs_page_name(&s->tmp, "themes/", key);
        link_to(s, o, root, text ? text : key);
}

void rs_link_segment(struct rs_site *s, struct vb_buf *o, const char *root, const char *key,
                     const char *text)
{
        vb_buf_reset(&s->tmp);
        rs_page_name(&s->tmp, "segments/", key);
        link_to(s, o, root, text ? text : key);
}

void rs_link_note(struct rs_site *s, struct vb_buf *o, const char *root, const char *id)
{
        vb_buf_reset(&s->tmp);
        rs_note_name(&s->tmp, id);
        link_to(s, o, root, id);
}

void rs_percent(struct vb_buf *o, double share)
{
        long long tenths;
        if (!(share > 0)) /* also NaN */
                share = 0;
        if (share > 1e6)
                share = 1e6;
        tenths = vb_round(share * 1000.0);
        vb_buf_addf(o, "%lld.%lld\xC2\xA0%%", tenths / 10, tenths % 10);
}

void rs_date(struct vb_buf *o, struct vb_date d)
{
        char b[16];
        if (!vb_date_is_set(d)) {
                vb_buf_adds(o, "\xE2\x80\x94");
                return;
        }
        vb_date_format(d, b);
        vb_buf_adds(o, b);
}

void rs_td_num(struct vb_buf *o, size_t n)
{
        vb_buf_addf(o, "<td class=\"num\">%zu</td>", n);
}

void rs_theme_counts(struct rs_site *s, struct vb_buf *o, const char *root, const char *caption,
                     const char *const head[3], const struct vb_count *counts, size_t n)
{
        vb_html_table_begin(o, caption, head, 3);
        for (size_t i = 0; i < n; i++) {
                const struct vb_count *c = &counts[i];
                const char *label = c->label ? c->label : c->key;
                vb_buf_adds(o, "<tr><th scope=\"row\">");
                if (vb_agg_theme(s->a, c->key))
                        rs_link_theme(s, o, root, c->key, label);
                else
                        vb_html_texts(o, label);
                vb_buf_adds(o, "</th>");
                rs_td_num(o, c->notes);
                rs_td_num(o, c->customers);
                vb_buf_adds(o, "</tr>\n");
        }
        vb_html_table_end(o);
}

void rs_weekly_chart(struct rs_site *s, struct vb_buf *o, const char *id, const uint32_t *count,
                     const char *title)
{
        double *values = vb_calloc(s->a->nweeks ? s->a->nweeks : 1, sizeof(*values));
        struct vb_svg_series series = {title, (const char *const *)s->weeks, values, s->a->nweeks};
        for (size_t i = 0; i < s->a->nweeks; i++)
                values[i] = count ? count[i] : 0;
        vb_buf_adds(o, "<figure>\n");
        vb_svg_bars(o, id, &series, title, NULL);
        vb_buf_adds(o, "</figure>\n");
        free(values);
}

void rs_trend(struct vb_buf *o, const struct vb_theme_stats *t)
{
        double r = t->share_recent, b = t->share_before;
        if (r > 0 && b <= 0)
                vb_buf_adds(o, "<span title=\"only in the last 8 weeks\">\xE2\x86\x91 new</span>");
        else if (r > b * 1.25)
                vb_buf_adds(o, "\xE2\x86\x91 up");
        else if (r < b * 0.8)
                vb_buf_adds(o, "\xE2\x86\x93 down");
        else
                vb_buf_adds(o, "\xE2\x86\x92 steady");
        vb_buf_adds(o, " <span class=\"muted\">(");
        rs_percent(o, r);
        vb_buf_adds(o, " vs ");
        rs_percent(o, b);
        vb_buf_adds(o, ")</span>");
}

/* ---- the overview ---- */

/* The cells of a connect-rate row after its header cell: attempts,
 * conversations, rate; customers, reached, rate. */
static void connect_cells(struct vb_buf *o, size_t attempts, size_t conversations, double rate,
                          size_t customers, size_t reached, double customer_rate)
{
        rs_td_num(o, attempts);
        rs_td_num(o, conversations);
        vb_buf_adds(o, "<td class=\"num\">");
        rs_percent(o, rate);
        vb_buf_adds(o, "</td>");
        rs_td_num(o, customers);
        rs_td_num(o, reached);
        vb_buf_adds(o, "<td class=\"num\">");
        rs_percent(o, customer_rate);
        vb_buf_adds(o, "</td></tr>\n");
}

static void overview_connect(struct rs_site *s, struct vb_buf *o)
{
        const struct vb_agg *a = s->a;
        static const char *const head[] = {"Segment",   "Calls",   "Conversations", "Connect rate",
                                           "Customers", "Reached", "Per customer"};
        vb_buf_adds(
            o, "<section aria-labelledby=\"connect\">\n<h2 id=\"connect\">Connect rate</h2>\n");
        vb_buf_addf(o,
                    "<p><strong>%zu</strong> call%s logged, <strong>%zu</strong> conversation%s (",
                    a->attempts, a->attempts == 1 ? "" : "s", a->conversations,
                    a->conversations == 1 ? "" : "s");
        rs_percent(o, a->connect_rate);
        vb_buf_addf(o, " of attempts connected); <strong>%zu</strong> of %zu customer%s reached (",
                    a->customers_reached, a->customers, a->customers == 1 ? "" : "s");
        rs_percent(o, a->customer_rate);
        vb_buf_adds(o,
                    ").</p>\n<p class=\"muted\">For context: teams usually connect on 30-40&nbsp;% "
                    "of customer calls, against 2-5&nbsp;% response to surveys.</p>\n");
        vb_html_table_begin(o, "Connect rate by segment, per attempt and per customer", head, 7);
        for (size_t i = 0; i < a->nsegments; i++) {
                const struct vb_segment_stats *g = &a->segments[i];
                vb_buf_adds(o, "<tr><th scope=\"row\">");
                rs_link_segment(s, o, "", g->key, g->label);
                vb_buf_adds(o, "</th>");
                connect_cells(o, g->attempts, g->conversations, g->connect_rate, g->customers,
                              g->customers_reached, g->customer_rate);
        }
        vb_buf_adds(o, "<tr><th scope=\"row\">All</th>");
        connect_cells(o, a->attempts, a->conversations, a->connect_rate, a->customers,
                      a->customers_reached, a->customer_rate);
        vb_html_table_end(o);
        vb_buf_adds(o, "</section>\n");
}

static void overview_weekly(struct rs_site *s, struct vb_buf *o)
{
        const struct vb_agg *a = s->a;
        vb_buf_adds(
            o, "<section aria-labelledby=\"weekly\">\n<h2 id=\"weekly\">Calls per week</h2>\n");
        vb_buf_addf(o,
                    "<p>Streak: <strong>%zu week%s</strong> in a row with at least one call. "
                    "This week: %zu call%s; the week before: %zu.",
                    a->streak, a->streak == 1 ? "" : "s", a->this_week,
                    a->this_week == 1 ? "" : "s", a->last_week_attempts);
        if (s->v->weekly_goal > 0)
                vb_buf_addf(o, " Goal: %d calls a week.", s->v->weekly_goal);
        vb_buf_adds(o,
                    "</p>\n<p class=\"muted\">Customer calls work best as a weekly ritual, not a "
                    "quarterly project.</p>\n");
        rs_weekly_chart(s, o, "calls-per-week", a->weekly_attempts.count, "Calls per week");
        vb_buf_adds(o, "</section>\n");
}

static void overview_themes(struct rs_site *s, struct vb_buf *o)
{
        const struct vb_agg *a = s->a;
        size_t nh = 7 + a->nsegments, k = 0;
        const char **head = vb_calloc(nh, sizeof(*head));
        head[k++] = "Theme";
        head[k++] = "Kind";
        head[k++] = "Notes";
        head[k++] = "Share";
        head[k++] = "Customers";
        for (size_t i = 0; i < a->nsegments; i++)
                head[k++] = a->segments[i].label;
        head[k++] = "Trend";
        head[k++] = "First seen";
        vb_buf_adds(o, "<section aria-labelledby=\"themes\">\n<h2 id=\"themes\">Top themes</h2>\n");
        if (!a->nthemes) {
                vb_buf_adds(o, "<p>No themes yet.</p>\n</section>\n");
                free(head);
                return;
        }
        vb_html_table_begin(o,
                            "Themes by conversations that carry them; trend: share of the last 8 "
                            "weeks against the 26 before",
                            head, nh);
        for (size_t i = 0; i < a->nthemes; i++) {
                const struct vb_theme_stats *t = &a->themes[i];
                vb_buf_adds(o, "<tr><th scope=\"row\">");
                rs_link_theme(s, o, "", t->key, t->label);
                vb_buf_adds(o, "</th><td>");
                vb_html_texts(o, t->kind ? t->kind : "");
                vb_buf_adds(o, "</td>");
                rs_td_num(o, t->notes);
                vb_buf_adds(o, "<td class=\"num\">");
                rs_percent(o, t->share);
                vb_buf_adds(o, "</td>");
                rs_td_num(o, t->customers);
                for (size_t g = 0; g < a->nsegments; g++)
                        rs_td_num(o, t->segments ? t->segments[g].notes : 0);
                vb_buf_adds(o, "<td>");
                rs_trend(o, t);
                vb_buf_adds(o, "</td><td>");
                rs_date(o, t->first_seen);
                vb_buf_adds(o, "</td></tr>\n");
        }
        vb_html_table_end(o);
        vb_buf_adds(o, "</section>\n");
        free(head);
}

enum { HEAT_THEMES = 15 };

static void overview_heat(struct rs_site *s, struct vb_buf *o)
{
        const struct vb_agg *a = s->a;
        size_t nt = a->nthemes < HEAT_THEMES ? a->nthemes : HEAT_THEMES, nh = 1 + a->nsegments;
        const char **head;
        double max = 0;
        if (!nt || !a->nsegments)
                return;
        head = vb_calloc(nh, sizeof(*head));
        head[0] = "Theme";
        for (size_t g = 0; g < a->nsegments; g++)
                head[1 + g] = a->segments[g].label;
        for (size_t i = 0; i < nt; i++)
                for (size_t g = 0; g < a->nsegments; g++)
                        if (a->segments[g].conversations && a->themes[i].segments) {
                                double v = (double)a->themes[i].segments[g].notes /
                                           (double)a->segments[g].conversations;
                                if (v > max)
                                        max = v;
                        }
        vb_buf_adds(o,
                    "<section aria-labelledby=\"heat\">\n<h2 id=\"heat\">Themes by segment</h2>\n"
                    "<p class=\"muted\">Each cell: the conversations of the segment that carry "
                    "the theme, and their share; darker is a larger share.</p>\n");
        vb_html_table_begin(o, "Segment by theme heat map", head, nh);
        for (size_t i = 0; i < nt; i++) {
                const struct vb_theme_stats *t = &a->themes[i];
                vb_buf_adds(o, "<tr><th scope=\"row\">");
                rs_link_theme(s, o, "", t->key, t->label);
                vb_buf_adds(o, "</th>");
                for (size_t g = 0; g < a->nsegments; g++) {
                        size_t n = t->segments ? t->segments[g].notes : 0,
                               conv = a->segments[g].conversations;
                        double v = conv ? (double)n / (double)conv : 0;
                        int level = max > 0 && v > 0 ? (int)ceil(5.0 * v / max - 1e-9) : 0;
                        if (level > 5)
                                level = 5;
                        if (v > 0 && level < 1)
                                level = 1;
                        vb_buf_addf(o, "<td class=\"heat h%d\">%zu <span class=\"pct\">(", level,
                                    n);
                        rs_percent(o, v);
                        vb_buf_adds(o, ")</span></td>");
                }
                vb_buf_adds(o, "</tr>\n");
        }
        vb_html_table_end(o);
        vb_buf_adds(o, "</section>\n");
        free(head);
}

void rs_trends_begin(struct vb_buf *o, size_t nthemes)
{
        struct vb_buf method = VB_BUF_INIT;
        vb_trend_method(&method, nthemes);
        vb_buf_adds(o, "<section aria-labelledby=\"emerging\">\n<h2 id=\"emerging\">Emerging and "
                       "fading themes</h2>\n<p class=\"muted\">");
        vb_html_texts(o, method.ptr);
        vb_buf_adds(o, " Counts are of conversations");
        vb_buf_release(&method);
}

void rs_trends_list(struct vb_buf *o, const char *title, size_t n, int too_few)
{
        vb_buf_addf(o, "<h3>%s</h3>\n<ul>\n", title);
        if (too_few)
                vb_buf_adds(o, "<li>Too few conversations to tell.</li>\n");
        else if (!n)
                vb_buf_adds(o, "<li>None at the moment.</li>\n");
}

void rs_trend_words(struct vb_buf *o, const struct vb_trend *t)
{
        struct vb_buf words = VB_BUF_INIT;
        vb_trend_describe(&words, t);
        vb_html_texts(o, words.ptr);
        vb_buf_release(&words);
}

static void overview_emerging(struct rs_site *s, struct vb_buf *o)
{
        const struct vb_agg *a = s->a;
        if (s->h) {
                rs_history_emerging(s, o);
                return;
        }
        rs_trends_begin(o, a->trend_themes);
        vb_buf_adds(o, "; from the notes' call dates (no git history).</p>\n");
        for (int fading = 0; fading < 2; fading++) {
                const struct vb_theme_stats *const *t = fading ? a->fading : a->emerging;
                size_t n = fading ? a->nfading : a->nemerging;
                rs_trends_list(o, fading ? "Fading" : "Emerging", n, a->trend_too_few);
                for (size_t i = 0; i < n; i++) {
                        vb_buf_adds(o, "<li>");
                        rs_link_theme(s, o, "", t[i]->key, t[i]->label);
                        vb_buf_adds(o, ": ");
                        rs_trend_words(o, &t[i]->trend);
                        vb_buf_adds(o, "</li>\n");
                }
                vb_buf_adds(o, "</ul>\n");
        }
        vb_buf_adds(o, "</section>\n");
}

/* The new-theme rate: the sentence, then the weekly share of conversations
 * that brought something new, overall and per segment. */
static void overview_novelty(struct rs_site *s, struct vb_buf *o)
{
        const struct vb_agg *a = s->a;
        const struct vb_novelty *nv = &a->novelty;
        size_t nw = a->nweeks ? a->nweeks : 1, nseries = 1 + a->nsegments;
        double *values = vb_calloc(nw * nseries, sizeof(*values));
        struct vb_svg_series *series = vb_calloc(nseries, sizeof(*series));
        struct vb_buf words = VB_BUF_INIT;
        if (nseries > 6)
                nseries = 6; /* the chart tells 6 lines apart */
        for (size_t k = 0; k < nseries; k++) {
                const struct vb_series *fresh = k ? &nv->seg_fresh[k - 1] : &nv->fresh;
                const struct vb_series *conv =
                    k ? &nv->seg_conversations[k - 1] : &a->weekly_conversations;
                for (size_t w = 0; w < a->nweeks; w++)
                        values[k * nw + w] =
                            conv->count[w] ? 100.0 * fresh->count[w] / conv->count[w] : 0;
                series[k] = (struct vb_svg_series){
                    k ? a->segments[k - 1].label : "All conversations",
                    (const char *const *)s->weeks, values + k * nw, a->nweeks};
        }
        vb_agg_novelty_sentence(&words, a);
        vb_buf_adds(o,
                    "<section aria-labelledby=\"novelty\">\n<h2 id=\"novelty\">Still hearing new "
                    "things? The new-theme rate</h2>\n<p>");
        vb_html_texts(o, words.ptr);
        vb_buf_adds(o, "</p>\n<p class=\"muted\">A conversation brings something new when it "
                       "carries a theme no earlier conversation carried, or a quote that shares no "
                       "phrase with any earlier quote. When that share stays low, you can predict "
                       "what customers will say: the product-market-fit test.</p>\n<figure>\n");
        vb_svg_lines(o, "novelty", series, a->nweeks ? nseries : 0,
                     "Share of conversations that brought something new (%), per week", NULL);
        vb_buf_adds(o, "</figure>\n</section>\n");
        vb_buf_release(&words);
        free(values);
        free(series);
}

static void overview_reasons(struct rs_site *s, struct vb_buf *o)
{
        const struct vb_agg *a = s->a;
        static const char *const head[] = {"Main reason", "Abandoners", "Customers", "Share"};
        if (!a->abandoner_conversations && !a->nreasons)
                return;
        vb_buf_adds(o,
                    "<section aria-labelledby=\"reasons\">\n<h2 id=\"reasons\">Why cart abandoners "
                    "did not buy</h2>\n");
        vb_buf_addf(o, "<p>%zu of %zu cart abandoner conversation%s gave a main reason. ",
                    a->abandoners_with_reason, a->abandoner_conversations,
                    a->abandoner_conversations == 1 ? "" : "s");
        if (a->abandoner_conversations) {
                vb_buf_reset(&s->tmp);
                vb_agg_price_sentence(&s->tmp, a);
                vb_buf_adds(o, "<strong>");
                vb_html_text(o, s->tmp.ptr, s->tmp.len);
                vb_buf_adds(o, ".</strong>");
        }
        vb_buf_adds(o, "</p>\n<p class=\"muted\">For context: a common finding is that only about "
                       "11&nbsp;% of non-buyers cite price as the main reason (the price key "
                       "alone, not its group).</p>\n");
        if (a->nreasons) {
                vb_html_table_begin(o, "Main reasons, grouped", head, 4);
                for (size_t i = 0; i < a->nreasons; i++) {
                        const struct vb_count *r = &a->reasons[i];
                        vb_buf_adds(o, "<tr><th scope=\"row\">");
                        if (vb_agg_theme(a, r->key))
                                rs_link_theme(s, o, "", r->key, r->label ? r->label : r->key);
                        else
                                vb_html_texts(o, r->label ? r->label : r->key);
                        vb_buf_adds(o, "</th>");
                        rs_td_num(o, r->notes);
                        rs_td_num(o, r->customers);
                        vb_buf_adds(o, "<td class=\"num\">");
                        rs_percent(o, a->abandoners_with_reason
                                          ? (double)r->notes / (double)a->abandoners_with_reason
                                          : 0);
                        vb_buf_adds(o, "</td></tr>\n");
                }
                vb_html_table_end(o);
        }
        vb_buf_adds(o, "</section>\n");
}

static void overview_next(struct rs_site *s, struct vb_buf *o)
{
        vb_buf_adds(o, "<section aria-labelledby=\"next\">\n<h2 id=\"next\">What to build "
                       "next</h2>\n");
        rs_next_table(s, o, "", 5);
        vb_buf_adds(o, "<p><a href=\"roadmap.html#next\">The whole ranking and how it is "
                       "scored</a></p>\n</section>\n");
}

int rs_overview(struct rs_site *s)
{
        struct vb_buf *o = &s->page;
        rs_begin(s, "Overview", s->title, "", RS_OVERVIEW);
        vb_buf_adds(o, "<p class=\"lead\">As of ");
        rs_date(o, s->a->as_of);
        vb_buf_adds(o, ". Segments: ");
        for (size_t i = 0; i < s->a->nsegments; i++) {
                if (i)
                        vb_buf_adds(o, ", ");
                rs_link_segment(s, o, "", s->a->segments[i].key, s->a->segments[i].label);
        }
        if (!s->a->nsegments)
                vb_buf_adds(o, "none");
        vb_buf_adds(o, ".</p>\n");
        if (s->a->after_as_of) {
                vb_buf_addf(o, "<p class=\"muted\">%zu note%s dated after ", s->a->after_as_of,
                            s->a->after_as_of == 1 ? "" : "s");
                rs_date(o, s->a->as_of);
                vb_buf_adds(o, " left out.</p>\n");
        }
        if (s->a->undated)
                vb_buf_addf(o,
                            "<p class=\"muted\">%zu note%s without a valid date: in the totals, "
                            "in no week.</p>\n",
                            s->a->undated, s->a->undated == 1 ? "" : "s");
        overview_next(s, o);
        overview_connect(s, o);
        overview_weekly(s, o);
        overview_themes(s, o);
        overview_heat(s, o);
        overview_emerging(s, o);
        overview_novelty(s, o);
        overview_reasons(s, o);
        rs_ltv_summary(s, o);
        return rs_end(s, "index.html");
}

/* ---- the output folder ---- */

/* An absolute path with "." and ".." parts and repeated slashes removed
 * lexically (for the parts that do not exist yet). */
static char *normalize(const char *abs)
{
        struct vb_buf out = VB_BUF_INIT;
        const char *p = abs;
        while (*p) {
                const char *end;
                size_t n;
                while (*p == '/')
                        p++;
                end = strchr(p, '/');
                n = end ? (size_t)(end - p) : strlen(p);
                if (n == 2 && p[0] == '.' && p[1] == '.') {
                        char *slash = strrchr(out.ptr, '/');
                        vb_buf_truncate(&out, slash ? (size_t)(slash - out.ptr) : 0);
                } else if (n && !(n == 1 && p[0] == '.')) {
                        vb_buf_addc(&out, '/');
                        vb_buf_add(&out, p, n);
                }
                p += n;
        }
        if (!out.len)
                vb_buf_addc(&out, '/');
        return vb_buf_detach(&out, NULL);
}

/* The absolute, symlink-free form of `path`, which need not exist: its
 * nearest existing ancestor is resolved and the rest appended. */
static char *resolve(const char *path)
{
        struct vb_buf b = VB_BUF_INIT, rest = VB_BUF_INIT;
        char *res = NULL, *cwd = NULL;
        if (path[0] != '/') {
                cwd = getcwd(NULL, 0);
                if (!cwd)
                        goto done;
                vb_buf_adds(&b, cwd);
                vb_buf_addc(&b, '/');
        }
        vb_buf_adds(&b, path);
        while (b.len > 1 && b.ptr[b.len - 1] == '/')
                vb_buf_truncate(&b, b.len - 1);
        for (;;) {
                char *r = realpath(b.ptr, NULL);
                char *slash;
                if (r) {
                        struct vb_buf full = VB_BUF_INIT;
                        vb_buf_adds(&full, r);
                        if (rest.len) {
                                if (full.len > 1)
                                        vb_buf_addc(&full, '/');
                                vb_buf_add(&full, rest.ptr, rest.len);
                        }
                        free(r);
                        res = normalize(full.ptr);
                        vb_buf_release(&full);
                        break;
                }
                slash = strrchr(b.ptr, '/');
                if (!slash || slash == b.ptr)
                        break;
                {
                        struct vb_buf nrest = VB_BUF_INIT;
                        vb_buf_adds(&nrest, slash + 1);
                        if (rest.len) {
                                vb_buf_addc(&nrest, '/');
                                vb_buf_add(&nrest, rest.ptr, rest.len);
                        }
                        vb_buf_release(&rest);
                        rest = nrest;
                }
                vb_buf_truncate(&b, (size_t)(slash - b.ptr));
        }
done:
        free(cwd);
        vb_buf_release(&b);
        vb_buf_release(&rest);
        return res;
}

/* Whether `path` is `dir` or inside it (both absolute and resolved). */
static int is_within(const char *path, const char *dir)
{
        size_t n = strlen(dir);
        if (n == 1 && dir[0] == '/')
                return 1;
        return !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

int vb_report_check_out_dir(const char *kb_root, const struct vb_vocab *v, const char *out_dir,
                            struct vb_diags *d)
{
        char *root = resolve(kb_root), *out = resolve(out_dir);
        int rc = VB_OK;
        if (!root || !out) {
                vb_diags_add(d, out_dir, 0, 0, VB_SEV_ERROR, "output-refused",
                             "cannot resolve the output folder; give an existing parent folder");
                rc = VB_ERR;
                goto done;
        }
        if (is_within(root, out)) {
                vb_diags_add(d, out_dir, 0, 0, VB_SEV_ERROR, "output-refused",
                             "the output folder would replace the knowledge base; choose a folder "
                             "inside it such as 'public'");
                rc = VB_ERR;
                goto done;
        }
        for (size_t i = 0; v && i < v->nnotes && rc == VB_OK; i++) {
                struct vb_buf p = VB_BUF_INIT;
                char *notes;
                const char *f = v->notes[i];
                while (!strncmp(f, "./", 2))
                        f += 2;
                if (!*f || !strcmp(f, "."))
                        continue; /* the whole tree: only the root itself is refused */
                vb_buf_adds(&p, kb_root);
                vb_buf_addc(&p, '/');
                vb_buf_adds(&p, f);
                notes = resolve(p.ptr);
                if (notes && (is_within(out, notes) || is_within(notes, out))) {
                        vb_diags_add(d, out_dir, 0, 0, VB_SEV_ERROR, "output-refused",
                                     "the output folder overlaps the notes folder '%s'; write the "
                                     "report outside the notes (e.g. -o public)",
                                     v->notes[i]);
                        rc = VB_ERR;
                }
                free(notes);
                vb_buf_release(&p);
        }
done:
        free(root);
        free(out);
        return rc;
}

static int write_data(struct rs_site *s)
{
        static const char *const tables[] = {"themes", "weekly", "segments", "quotes"};
        struct vb_buf b = VB_BUF_INIT, name = VB_BUF_INIT;
        int rc;
        vb_agg_json(&b, s->a);
        if (s->phrases && b.len > 3 && !strcmp(b.ptr + b.len - 3, "\n}\n")) {
                /* the phrases, the words as customers wrote them, last */
                vb_buf_truncate(&b, b.len - 3);
                vb_buf_adds(&b, ",\n");
                rs_phrases_json(s, &b);
                vb_buf_adds(&b, "\n}\n");
        }
        rc = vb_outdir_write(s->out, "data.json", b.ptr, b.len, s->d);
        for (size_t i = 0; rc == VB_OK && i < sizeof(tables) / sizeof(tables[0]); i++) {
                vb_buf_reset(&b);
                vb_buf_reset(&name);
                rc = vb_agg_csv(&b, s->a, tables[i]);
                if (rc != VB_OK) {
                        vb_diags_add(s->d, "", 0, 0, VB_SEV_ERROR, "write-failed",
                                     "cannot make the %s table", tables[i]);
                        break;
                }
                vb_buf_addf(&name, "%s.csv", tables[i]);
                rc = vb_outdir_write(s->out, name.ptr, b.ptr, b.len, s->d);
        }
        vb_buf_release(&b);
        vb_buf_release(&name);
        return rc;
}

/* The kb hooks' context: the note pages. */
struct load_ctx {
        struct rs_site *site;
        struct rs_notes notes;
        int listed;
};

static int on_list(void *ctx, const struct vb_entry *e, size_t n, struct vb_diags *d)
{
        struct load_ctx *c = ctx;
        (void)d;
        c->listed = 1;
        return rs_notes_begin(&c->notes, c->site, e, n);
}

static void on_text(void *ctx, size_t index, const struct vb_note *n, const char *text, size_t len,
                    const struct vb_note_html *html, const struct vb_diags *nd)
{
        struct load_ctx *c = ctx;
        rs_note_page(&c->notes, index, n, text, len, html, nd);
}

static int on_note(void *ctx, struct vb_note *n, const struct vb_vocab *v, struct vb_diags *d)
{
        (void)ctx;
        (void)v;
        (void)d;
        (void)n;
        return VB_KB_KEEP_COMPACT; /* its page is written: keep only what the other pages read */
}

/* The site's second thread: the phrase index, which needs only the notes,
 * while this thread computes the aggregates; then, once they are there,
 * the pages that use the index (theme pages, taken in turn with this
 * thread once it has written the others, and the phrases page).  It works on a copy of the site
 * with its own buffers and diagnostics (the rest is only read). */
struct side {
        struct rs_site site;
        struct vb_diags d;
        pthread_mutex_t mu;
        pthread_cond_t cv;
        int ready; /* 0: the aggregates are coming; 1: they are in `site`; -1: none */
        int built; /* the phrase index is built (site.phrases, NULL if it could not be) */
        atomic_size_t next_theme; /* theme pages are taken in turn by both threads */
        int rc, started;
        pthread_t tid;
};

static void *side_main(void *arg)
{
        struct side *x = arg;
        rs_phrases_build(&x->site);
        /* every theme's phrases counted now, so that both threads only read */
        if (x->site.phrases)
                vb_phrase_top_theme(x->site.phrases, NULL);
        pthread_mutex_lock(&x->mu);
        x->built = 1;
        pthread_cond_broadcast(&x->cv);
        while (!x->ready)
                pthread_cond_wait(&x->cv, &x->mu);
        pthread_mutex_unlock(&x->mu);
        if (x->ready > 0)
                x->rc = rs_theme_pages(&x->site, &x->next_theme);
        if (x->ready > 0 && x->rc == VB_OK)
                x->rc = rs_phrases_page(&x->site);
        return NULL;
}

static void side_start(struct side *x, const struct rs_site *s)
{
        memset(x, 0, sizeof(*x));
        atomic_init(&x->next_theme, 0);
        rs_site_copy(&x->site, s, &x->d);
        pthread_mutex_init(&x->mu, NULL);
        pthread_cond_init(&x->cv, NULL);
        x->started = pthread_create(&x->tid, NULL, side_main, x) == 0;
}

/* Hands the aggregates and what is made from them over (`s` NULL: there
 * are none, the thread writes nothing); without a thread, its work is done
 * here and now. */
static void side_ready(struct side *x, const struct rs_site *s)
{
        pthread_mutex_lock(&x->mu);
        if (s) {
                x->site.a = s->a;
                x->site.jobs = s->jobs;
                x->site.copy_src = s->copy_src;
                x->site.weeks = s->weeks;
                x->site.hweeks = s->hweeks;
        }
        x->ready = s ? 1 : -1;
        pthread_cond_broadcast(&x->cv);
        pthread_mutex_unlock(&x->mu);
        if (!x->started)
                side_main(x);
}

/* Writes theme pages beside the thread once its phrase index is built
 * (this thread has written its own pages by then, and the index is what
 * the theme pages wait for). */
static int side_help(struct side *x, struct rs_site *s)
{
        pthread_mutex_lock(&x->mu);
        while (!x->built)
                pthread_cond_wait(&x->cv, &x->mu);
        pthread_mutex_unlock(&x->mu);
        struct vb_phrase_index *own = s->phrases;
        s->phrases = x->site.phrases; /* only read, by both */
        int rc = rs_theme_pages(s, &x->next_theme);
        s->phrases = own;
        return rc;
}

/* Waits for the thread; its diagnostics go to `d`, its phrase index to
 * s->phrases (to be freed).  Returns its status. */
static int side_join(struct side *x, struct rs_site *s, struct vb_diags *d)
{
        if (x->started)
                pthread_join(x->tid, NULL);
        pthread_mutex_destroy(&x->mu);
        pthread_cond_destroy(&x->cv);
        vb_diags_move(d, &x->d);
        s->phrases = x->site.phrases;
        rs_site_copy_release(&x->site);
        return x->rc;
}

/* Every page but the notes', those of the second thread and those that
 * read the phrase index. */
static int write_pages(struct rs_site *s)
{
        const char *css = vb_html_stylesheet();
        int rc = vb_outdir_write(s->out, "style.css", css, strlen(css), s->d);
        if (rc == VB_OK)
                rc = rs_segment_pages(s);
        if (rc == VB_OK)
                rc = rs_stub_pages(s);
        if (rc == VB_OK)
                rc = rs_jobs_page(s);
        if (rc == VB_OK)
                rc = rs_ltv_page(s);
        if (rc == VB_OK && s->h)
                rc = rs_history_page(s);
        return rc;
}

/* The pages that show the customers' phrases (what to build next, the copy
 * bank): after the join, when s->phrases is the built index. */
static int write_phrase_pages(struct rs_site *s)
{
        int rc = rs_overview(s);
        if (rc == VB_OK)
                rc = rs_roadmap_page(s);
        if (rc == VB_OK)
                rc = rs_copy_page(s);
        return rc;
}

int vb_report_build(struct vb_report_stats *st, struct vb_source *src, const char *kb_root,
                    const struct vb_report_options *opt, struct vb_diags *d)
{
        struct vb_outdir out = VB_OUTDIR_INIT;
        struct vb_diags load = VB_DIAGS_INIT;
        struct vb_kb *kb = NULL;
        struct vb_history *own_history = NULL;
        struct vb_agg *a = NULL;
        struct vb_agg_options aopt;
        struct vb_jobs jobs;
        struct load_ctx ctx;
        struct vb_kb_options kopt;
        struct rs_site s;
        int rc;

        memset(&jobs, 0, sizeof(jobs));
        memset(st, 0, sizeof(*st));
        memset(&s, 0, sizeof(s));
        memset(&ctx, 0, sizeof(ctx));
        struct vb_vocab *v = vb_kb_load_vocab(src, &load);
        rc = vb_report_check_out_dir(kb_root, v, opt->out_dir, d);
        if (rc == VB_OK)
                rc = vb_outdir_begin(&out, opt->out_dir, d);
        if (rc != VB_OK) {
                vb_vocab_free(v);
                goto done;
        }
        s.v = v;
        s.src = src;
        s.out = &out;
        s.d = d;
        s.h = opt->history;
        if (!s.h && opt->load_history) {
                vb_report_history_load(&own_history, src, kb_root, opt->load_history, d);
                s.h = own_history;
        }
        s.title = opt->title && *opt->title ? opt->title
                  : v->title && *v->title   ? v->title
                                            : "Voice of the customer";
        rs_frame_init(&s);
        vb_buf_init(&s.page);
        vb_buf_init(&s.tmp);
        vb_buf_init(&s.long_path);

        /* the notes' own problems are check's business: the pages only count them */
        ctx.site = &s;
        memset(&kopt, 0, sizeof(kopt));
        kopt.vocab = v; /* the kb's from here on */
        kopt.keep_front_matter = 1;
        /* not skipped: personal data makes a note one with errors, in every
         * command alike (and every page redacts what it shows) */
        kopt.no_refs = 1; /* the pages read the notes only */
        kopt.on_list = on_list;
        kopt.on_text = on_text;
        kopt.html_bodies = 1; /* one Markdown pass per note, not two */
        kopt.on_note = on_note;
        kopt.ctx = &ctx;
        rc = vb_kb_load(&kb, src, &kopt, &load);
        if (rc != VB_OK) {
                vb_diags_move(d, &load);
                goto done;
        }
        vb_diags_release(&load); /* the notes' problems, counted: not kept to the peak */
#ifdef __GLIBC__
        /* what the parse used and freed goes back before the run's peak (the
         * aggregates and the phrase index, built at once), not left in holes
         * of the threads' heaps */
        malloc_trim(0);
#endif
        rc = rs_notes_finish(&ctx.notes, kb, d);
        if (rc != VB_OK)
                goto done;
        memset(&aopt, 0, sizeof(aopt));
        aopt.as_of = opt->as_of;
        s.kb = kb;
        struct side themes;
        side_start(&themes, &s);
        rc = vb_agg_build(&a, kb, &aopt);
        if (rc != VB_OK) {
                side_ready(&themes, NULL);
                side_join(&themes, &s, d);
                vb_diags_add(d, "", 0, 0, VB_SEV_ERROR, "aggregate-failed",
                             "cannot compute the aggregates");
                goto done;
        }
        s.a = a;
        vb_jobs_build(&jobs, a);
        s.jobs = &jobs;
        rs_copy_prepare(&s);
        s.weeks = vb_calloc(a->nweeks ? a->nweeks : 1, sizeof(*s.weeks));
        for (size_t i = 0; i < a->nweeks; i++) {
                s.weeks[i] = vb_malloc(16);
                vb_week_label(a->first_week + (int64_t)i, s.weeks[i]);
        }
        rs_history_begin(&s);
        side_ready(&themes, &s);
        rc = write_pages(&s);
        if (rc == VB_OK)
                rc = side_help(&themes, &s);
        int trc = side_join(&themes, &s, d);
        if (rc == VB_OK)
                rc = trc;
        if (rc == VB_OK) /* after the join: it holds the phrases */
                rc = write_phrase_pages(&s);
        if (rc == VB_OK && opt->json)
                rc = write_data(&s);
        if (rc == VB_OK)
                rc = vb_outdir_commit_detached(&out, d); /* the old site goes in the background */
        st->notes = kb->nnotes;
        st->themes = a->nthemes;
        st->notes_with_errors = kb->notes_with_errors;
done:
        if (out.tmp_dir)
                vb_outdir_abort(&out);
        rs_phrases_free(&s);
        rs_history_end(&s);
        vb_history_free(own_history);
        if (ctx.listed)
                rs_notes_end(&ctx.notes);
        for (size_t i = 0; a && i < a->nweeks; i++)
                free(s.weeks[i]);
        free(s.weeks);
        rs_site_copy_release(&s);
        rs_frame_release(&s);
        vb_jobs_release(&jobs);
        rs_copy_release(&s);
        vb_agg_free(a);
        vb_kb_free(kb);
        vb_diags_release(&load);
        return rc;
}
