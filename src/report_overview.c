/* The overview page (index.html).  Its first screen (1280 x 800, no
 * scrolling) answers Monday's questions: this month's top problems and
 * requests with their direction and the customers' words, what is emerging
 * or fading, calls against the weekly goal, the price sentence and the top
 * of what to build next.  The long tables follow: what to build next, the
 * connect rate, calls per week, the themes and their heat by segment,
 * emerging and fading themes, the new-theme rate, why abandoners did not
 * buy and the LTV summary. */
#include "report_site.h"
#include "verbatim/html.h"
#include "verbatim/opportunity.h"
#include "verbatim/phrase.h"
#include "verbatim/svg.h"

#include <math.h>
#include <stdlib.h>

/* ---- the first screen ---- */

enum { GLANCE_THEMES = 3, GLANCE_NEXT = 3 };

/* "Too few conversations to tell: 11 in the last 8 weeks and ..." */
static void too_few_words(struct rs_site *s, struct vb_buf *o)
{
        vb_buf_reset(&s->tmp);
        vb_trend_too_few_words(&s->tmp, s->a->trend_recent_conversations,
                               s->a->trend_before_conversations);
        if (s->tmp.len)
                s->tmp.ptr[0] = 'T';
        vb_html_text(o, s->tmp.ptr, s->tmp.len);
}

/* The customers' most frequent phrase for a theme, as they said it. */
static void said(struct rs_site *s, struct vb_buf *o, const char *theme)
{
        const struct vb_phrase_tops *tops =
            s->phrases ? vb_phrase_top_theme(s->phrases, theme) : NULL;
        if (!tops || !tops->n)
                return;
        const struct vb_phrase *p = tops->v[0].phrase;
        vb_buf_adds(o, "<span class=\"said\">\xE2\x80\x9C");
        vb_html_texts(o, p->surface ? p->surface : p->text);
        vb_buf_addf(o, "\xE2\x80\x9D in %zu conversation%s</span>", tops->v[0].nnotes,
                    tops->v[0].nnotes == 1 ? "" : "s");
}

/* This month's top themes of a kind: customers and notes this month, the
 * direction, the customers' words. */
static void glance_month(struct rs_site *s, struct vb_buf *o, const char *id, const char *title,
                         const char *kind, const char *none)
{
        const struct vb_theme_stats *top[GLANCE_THEMES];
        size_t n = vb_agg_month_top(s->a, kind, top, GLANCE_THEMES);
        vb_buf_addf(o, "<div id=\"%s\">\n<h2>%s</h2>\n", id, title);
        if (!n)
                vb_buf_addf(o, "<p class=\"muted\">%s</p>\n", none);
        else
                vb_buf_adds(o, "<ol>\n");
        for (size_t i = 0; i < n; i++) {
                const struct vb_theme_stats *t = top[i];
                vb_buf_adds(o, "<li><span class=\"name\">");
                rs_link_theme(s, o, "", t->key, t->label);
                vb_buf_addf(o, "</span> <span class=\"counts\">%zu customer%s, %zu call%s; ",
                            t->month_customers, t->month_customers == 1 ? "" : "s", t->month_notes,
                            t->month_notes == 1 ? "" : "s");
                rs_direction(o, t);
                vb_buf_adds(o, "</span>");
                said(s, o, t->key);
                vb_buf_adds(o, "</li>\n");
        }
        if (n)
                vb_buf_adds(o, "</ol>\n");
        vb_buf_adds(o, "</div>\n");
}

/* Calls this week against the weekly goal, and the streak. */
static void glance_calls(struct rs_site *s, struct vb_buf *o)
{
        const struct vb_agg *a = s->a;
        int goal = s->v->weekly_goal;
        vb_buf_addf(o,
                    "<div id=\"glance-calls\">\n<h2>Calls this week</h2>\n<p><strong>%zu</strong>",
                    a->this_week);
        if (goal > 0 && a->this_week >= (size_t)goal)
                vb_buf_addf(o, " of a goal of %d: reached.", goal);
        else if (goal > 0)
                vb_buf_addf(o, " of a goal of %d: %zu to go.", goal, (size_t)goal - a->this_week);
        else
                vb_buf_addf(o,
                            " call%s (no goal: set <code>weekly-goal:</code> in "
                            "<code>verbatim.yml</code>).",
                            a->this_week == 1 ? "" : "s");
        vb_buf_addf(o, " Streak: %zu week%s in a row.</p>\n</div>\n", a->streak,
                    a->streak == 1 ? "" : "s");
}

/* What is emerging and what is fading: the names, or why none can be told. */
static void glance_trends(struct rs_site *s, struct vb_buf *o)
{
        const struct vb_agg *a = s->a;
        vb_buf_adds(o, "<div id=\"glance-trends\">\n<h2>Emerging and fading</h2>\n");
        if (a->trend_too_few) {
                vb_buf_adds(o, "<p>");
                too_few_words(s, o);
                vb_buf_adds(o, ".</p>\n</div>\n");
                return;
        }
        for (int fading = 0; fading < 2; fading++) {
                const struct vb_theme_stats *const *t = fading ? a->fading : a->emerging;
                size_t n = fading ? a->nfading : a->nemerging;
                vb_buf_addf(o, "<p>%s: ", fading ? "Fading" : "Emerging");
                for (size_t i = 0; i < n && i < GLANCE_THEMES; i++) {
                        if (i)
                                vb_buf_adds(o, ", ");
                        rs_link_theme(s, o, "", t[i]->key, t[i]->label);
                }
                if (n > GLANCE_THEMES)
                        vb_buf_addf(o, " and <a href=\"#emerging\">%zu more</a>",
                                    n - GLANCE_THEMES);
                vb_buf_adds(o, n ? ".</p>\n" : "none flagged by the test.</p>\n");
        }
        vb_buf_adds(o, "</div>\n");
}

/* The price sentence. */
static void glance_price(struct rs_site *s, struct vb_buf *o)
{
        const struct vb_agg *a = s->a;
        vb_buf_adds(o, "<div id=\"glance-price\">\n<h2>Why abandoners did not buy</h2>\n<p>");
        if (a->abandoner_conversations) {
                vb_buf_reset(&s->tmp);
                vb_agg_price_sentence(&s->tmp, a);
                vb_html_text(o, s->tmp.ptr, s->tmp.len);
                vb_buf_adds(o, ". <a href=\"#reasons\">Reasons</a>");
        } else {
                vb_buf_adds(o, "<span class=\"muted\">No cart abandoner heard yet.</span>");
        }
        vb_buf_adds(o, "</p>\n</div>\n");
}

/* The top of what to build next: theme, score, customers. */
static void glance_next(struct rs_site *s, struct vb_buf *o)
{
        struct vb_opportunities ops;
        size_t n;
        vb_opportunities_build(&ops, s->a, s->phrases);
        n = ops.n < GLANCE_NEXT ? ops.n : GLANCE_NEXT;
        vb_buf_adds(o, "<div id=\"glance-next\">\n<h2>What to build next</h2>\n");
        if (!n)
                vb_buf_adds(o, "<p class=\"muted\">Not enough data yet: no problem or request "
                               "was raised by two customers or more.</p>\n");
        else
                vb_buf_adds(o, "<ol>\n");
        for (size_t i = 0; i < n; i++) {
                const struct vb_opportunity *r = &ops.v[i];
                vb_buf_adds(o, "<li><span class=\"name\">");
                rs_link_theme(s, o, "", r->theme->key, r->theme->label);
                vb_buf_addf(o, "</span> <span class=\"counts\">score %.1f; %zu customers</span>",
                            r->score, r->customers);
                vb_buf_adds(o, "</li>\n");
        }
        if (n)
                vb_buf_adds(o, "</ol>\n");
        vb_buf_adds(o, "<p><a href=\"#next\">Every part of the score</a></p>\n</div>\n");
        vb_opportunities_release(&ops);
}

/* The first screen: three columns on a wide screen. */
static void overview_glance(struct rs_site *s, struct vb_buf *o)
{
        vb_buf_adds(o, "<div class=\"glance\" id=\"glance\">\n<div>\n");
        glance_month(s, o, "glance-problems", "Top problems this month", "problem",
                     "No problem heard in the last 4 weeks.");
        glance_month(s, o, "glance-requests", "Top requests this month", "feature-request",
                     "No feature request heard in the last 4 weeks.");
        vb_buf_adds(o, "</div>\n<div>\n");
        glance_calls(s, o);
        glance_trends(s, o);
        glance_price(s, o);
        vb_buf_adds(o, "</div>\n<div>\n");
        glance_next(s, o);
        vb_buf_adds(o, "</div>\n</div>\n");
}

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
        size_t nh = 7 + a->nsegments + (size_t)rs_theme_lines_column(s), k = 0;
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
        if (rs_theme_lines_column(s))
                head[k++] = "Heard most with";
        vb_buf_adds(o, "<section aria-labelledby=\"themes\">\n<h2 id=\"themes\">Top themes</h2>\n");
        if (!a->nthemes) {
                vb_buf_adds(o, "<p>No themes yet.</p>\n</section>\n");
                free(head);
                return;
        }
        vb_html_table_begin(o,
                            "Themes by distinct customers, then conversations; trend: share of "
                            "the last 8 weeks against the 26 before",
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
                vb_buf_adds(o, "</td>");
                if (rs_theme_lines_column(s))
                        rs_theme_line_cell(s, o, t);
                vb_buf_adds(o, "</tr>\n");
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
        rs_trends_begin(o, a->trend_themes);
        vb_buf_adds(o, "; from the notes' call dates");
        if (s->h)
                vb_buf_adds(o, " (the same test over the git history: "
                               "<a href=\"history.html#emerging\">History</a>)");
        vb_buf_adds(o, ".</p>\n");
        if (a->trend_too_few) {
                vb_buf_adds(o, "<p>");
                too_few_words(s, o);
                vb_buf_adds(o, ".</p>\n");
        }
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
        overview_glance(s, o);
        overview_next(s, o);
        overview_connect(s, o);
        overview_weekly(s, o);
        overview_themes(s, o);
        overview_heat(s, o);
        overview_emerging(s, o);
        overview_novelty(s, o);
        overview_reasons(s, o);
        rs_ltv_summary(s, o);
        rs_products_summary(s, o);
        return rs_end(s, "index.html");
}
