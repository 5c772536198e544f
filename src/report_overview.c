/* The overview page (index.html): what to build next, the connect rate,
 * calls per week, the themes and their heat by segment, emerging and
 * fading themes, the new-theme rate, why abandoners did not buy and the
 * LTV summary. */
#include "report_site.h"
#include "verbatim/html.h"
#include "verbatim/svg.h"

#include <math.h>
#include <stdlib.h>

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
