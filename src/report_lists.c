/* The report's jobs-to-be-done and roadmap pages. */
#include "report_site.h"
#include "verbatim/html.h"
#include "verbatim/jobs.h"
#include "verbatim/opportunity.h"
#include "verbatim/svg.h"

#include <stdlib.h>
#include <string.h>

static void text_or_dash(struct vb_buf *o, const char *s)
{
        if (s && *s)
                vb_html_texts(o, s);
        else
                vb_buf_adds(o, "<span class=\"muted\">\xE2\x80\x94</span>");
}

static void count_list(struct vb_buf *o, const struct vb_count *c, size_t n, size_t max)
{
        if (!n) {
                vb_buf_adds(o, "<span class=\"muted\">none said</span>");
                return;
        }
        vb_buf_adds(o, "<ul>");
        for (size_t i = 0; i < n && i < max; i++) {
                vb_buf_adds(o, "<li>");
                vb_html_texts(o, c[i].label);
                vb_buf_addf(o, " <span class=\"muted\">(%zu)</span></li>", c[i].notes);
        }
        if (n > max)
                vb_buf_addf(o, "<li class=\"muted\">%zu more</li>", n - max);
        vb_buf_adds(o, "</ul>");
}

void rs_forces(struct vb_buf *o, const char *caption, struct vb_count *const forces[VB_NFORCES],
               const size_t nforces[VB_NFORCES])
{
        static const char *const what[] = {"what pushed them to look", "what drew them to it",
                                           "what worried them about switching",
                                           "what held them to what they had"};
        size_t total = 0;
        for (int f = 0; f < VB_NFORCES; f++)
                total += nforces[f];
        if (!total)
                return;
        vb_buf_adds(o, "<div class=\"table-wrap\"><table class=\"forces\">\n<caption>");
        vb_html_texts(o, caption);
        vb_buf_adds(o, "</caption>\n");
        for (int row = 0; row < 2; row++) {
                vb_buf_adds(o, "<tr>");
                for (int col = 0; col < 2; col++) {
                        int f = row * 2 + col;
                        vb_buf_addf(o,
                                    "<th scope=\"col\">%s <span class=\"muted\">(%s)</span></th>",
                                    vb_force_name((enum vb_force)(f + 1)), what[f]);
                }
                vb_buf_adds(o, "</tr>\n<tr>");
                for (int col = 0; col < 2; col++) {
                        int f = row * 2 + col;
                        vb_buf_adds(o, "<td>");
                        count_list(o, forces[f], nforces[f], 5);
                        vb_buf_adds(o, "</td>");
                }
                vb_buf_adds(o, "</tr>\n");
        }
        vb_buf_adds(o, "</table></div>\n");
}

static void theme_links(struct rs_site *s, struct vb_buf *o, const struct vb_count *c, size_t n,
                        size_t max)
{
        for (size_t i = 0; i < n && i < max; i++) {
                if (i)
                        vb_buf_adds(o, ", ");
                if (vb_agg_theme(s->a, c[i].key))
                        rs_link_theme(s, o, "", c[i].key, vb_vocab_theme_label(s->v, c[i].key));
                else
                        vb_html_texts(o, c[i].key);
                vb_buf_addf(o, " (%zu)", c[i].notes);
        }
}

static void job_group(struct rs_site *s, struct vb_buf *o, size_t k, const struct vb_text_group *g)
{
        vb_buf_addf(o, "<section aria-labelledby=\"job-%zu\">\n<h3 id=\"job-%zu\">", k + 1, k + 1);
        vb_html_texts(o, g->wording);
        vb_buf_addf(o, "</h3>\n<p>%zu conversation%s, %zu customer%s; %zu wording%s. Themes: ",
                    g->notes, g->notes == 1 ? "" : "s", g->customers, g->customers == 1 ? "" : "s",
                    g->nwordings, g->nwordings == 1 ? "" : "s");
        theme_links(s, o, g->themes, g->nthemes, 5);
        vb_buf_adds(o, ".</p>\n<div class=\"table-wrap\"><table>\n<tr><th scope=\"col\">What they "
                       "used before (the real competitors)</th><th scope=\"col\">What they would "
                       "do without it</th></tr>\n<tr><td>");
        count_list(o, g->before, g->nbefore, 5);
        vb_buf_adds(o, "</td><td>");
        count_list(o, g->without, g->nwithout, 5);
        vb_buf_adds(o, "</td></tr>\n</table></div>\n");
        rs_forces(o, "Forces of progress, in the customers' words", g->forces, g->nforces);
        vb_buf_adds(o, "</section>\n");
}

int rs_jobs_page(struct rs_site *s)
{
        const struct vb_agg *a = s->a;
        const struct vb_jobs *j = s->jobs;
        struct vb_buf *o = &s->page;
        static const char *const jobs_head[] = {"Job", "Before", "Without it", "Call"};
        static const char *const whys_head[] = {"Root need", "Call"};
        static const char *const roots_head[] = {"Root need", "Conversations", "Customers",
                                                 "Themes of its conversations"};
        rs_begin(s, "Jobs to be done", NULL, "", RS_JOBS);
        rs_long_page(s, "jobs.html");
        vb_buf_addf(o,
                    "<p class=\"lead\">What customers hire the product to do: %zu job%s in %zu "
                    "conversation%s, grouped when they say the same thing (two thirds of "
                    "their content words shared, as similar quotes are), each with what "
                    "customers used before, what they would do without it and the forces of "
                    "progress.</p>\n<h2 id=\"jobs\">Jobs</h2>\n",
                    j->njobs, j->njobs == 1 ? "" : "s", j->job_notes, j->job_notes == 1 ? "" : "s");
        if (!j->njobs)
                vb_buf_adds(o, "<p>No job to be done written yet.</p>\n");
        for (size_t i = 0; i < j->njobs; i++)
                job_group(s, o, i, &j->jobs[i]);
        vb_buf_addf(o,
                    "<h2 id=\"roots\">Root needs</h2>\n<p class=\"muted\">The last answer of each "
                    "five-whys chain, grouped the same way: %zu group%s from %zu "
                    "conversation%s.</p>\n",
                    j->nroots, j->nroots == 1 ? "" : "s", j->root_notes,
                    j->root_notes == 1 ? "" : "s");
        if (j->nroots) {
                vb_html_table_begin(o, NULL, roots_head, 4);
                for (size_t i = 0; i < j->nroots; i++) {
                        const struct vb_text_group *g = &j->roots[i];
                        vb_buf_adds(o, "<tr><td>");
                        vb_html_texts(o, g->wording);
                        vb_buf_adds(o, "</td>");
                        rs_td_num(o, g->notes);
                        rs_td_num(o, g->customers);
                        vb_buf_adds(o, "<td>");
                        theme_links(s, o, g->themes, g->nthemes, 5);
                        vb_buf_adds(o, "</td></tr>\n");
                        rs_row(s);
                }
                vb_html_table_end(o);
        }
        vb_buf_adds(o, "<h2 id=\"calls\">Every job and root need, call by call</h2>\n");
        if (a->njobs) {
                vb_html_table_begin(o, NULL, jobs_head, 4);
                for (size_t i = 0; i < a->njobs; i++) {
                        const struct vb_job *jb = a->jobs[i].job;
                        vb_buf_adds(o, "<tr><td>");
                        text_or_dash(o, jb->job);
                        vb_buf_adds(o, "</td><td>");
                        text_or_dash(o, jb->before);
                        vb_buf_adds(o, "</td><td>");
                        text_or_dash(o, jb->without_it);
                        vb_buf_adds(o, "</td><td>");
                        rs_link_note(s, o, "", a->jobs[i].note->id);
                        vb_buf_adds(o, "</td></tr>\n");
                        rs_row(s);
                }
                vb_html_table_end(o);
        }
        if (a->nwhys) {
                vb_html_table_begin(o, NULL, whys_head, 2);
                for (size_t i = 0; i < a->nwhys; i++) {
                        vb_buf_adds(o, "<tr><td>");
                        text_or_dash(o, a->whys[i].root);
                        vb_buf_adds(o, "</td><td>");
                        rs_link_note(s, o, "", a->whys[i].note->id);
                        vb_buf_adds(o, "</td></tr>\n");
                        rs_row(s);
                }
                vb_html_table_end(o);
        }
        return rs_end(s, "jobs.html");
}

static void note_list(struct rs_site *s, struct vb_buf *o, const struct vb_note *const *notes,
                      size_t n)
{
        vb_buf_adds(o, "<ul class=\"notes\">\n");
        for (size_t i = 0; i < n; i++) {
                vb_buf_adds(o, "<li>");
                rs_link_note(s, o, "", notes[i]->id);
                vb_buf_adds(o, " <span class=\"muted\">");
                rs_date(o, notes[i]->date);
                vb_buf_adds(o, "</span></li>\n");
                rs_row(s);
        }
        vb_buf_adds(o, "</ul>\n");
}

static void factor_cell(struct vb_buf *o, double share, double factor)
{
        vb_buf_adds(o, "<td class=\"num\">");
        rs_percent(o, share);
        vb_buf_addf(o, " (&times;%.2f)</td>", factor);
}

void rs_next_table(struct rs_site *s, struct vb_buf *o, const char *root, size_t limit)
{
        static const char *const head[] = {"Theme",        "Kind",     "Customers",
                                           "Lost revenue", "High LTV", "Trend",
                                           "Roadmap",      "Score",    "Customers say"};
        struct vb_opportunities ops;
        size_t n;
        vb_opportunities_build(&ops, s->a, s->phrases);
        n = limit && limit < ops.n ? limit : ops.n;
        if (!ops.candidates) {
                vb_buf_adds(o, "<p>No theme of kind <code>problem</code> or "
                               "<code>feature-request</code> has been heard: give tags a kind in "
                               "<code>verbatim.yml</code> to rank what to build next.</p>\n");
                goto done;
        }
        if (!ops.n) {
                vb_buf_adds(o, "<p>Not enough data yet: no problem or request was raised by two "
                               "customers or more.</p>\n");
                goto done;
        }
        vb_html_table_begin(o, "Problems and feature requests by opportunity score", head, 9);
        for (size_t i = 0; i < n; i++) {
                const struct vb_opportunity *r = &ops.v[i];
                vb_buf_adds(o, "<tr><th scope=\"row\">");
                rs_link_theme(s, o, root, r->theme->key, r->theme->label);
                vb_buf_adds(o, "</th><td>");
                vb_html_texts(o, r->theme->kind);
                vb_buf_adds(o, "</td>");
                rs_td_num(o, r->customers);
                factor_cell(o, r->lost_share, r->lost_factor);
                factor_cell(o, r->high_share, r->ltv_factor);
                vb_buf_adds(o, "<td>");
                vb_html_texts(o, vb_opportunity_trend_name(r->trend));
                if (r->trend != VB_OPP_TOO_FEW)
                        vb_buf_addf(o, " (&times;%.2f)", r->trend_factor);
                vb_buf_adds(o, "</td><td>");
                if (r->roadmap) {
                        vb_html_texts(o, r->roadmap->id);
                        vb_buf_adds(o, ", ");
                        vb_html_texts(o, r->roadmap->status ? r->roadmap->status : "no status");
                        vb_buf_addf(o, " (&times;%.2f)", r->roadmap_factor);
                } else {
                        vb_buf_adds(o, "<span class=\"muted\">none</span>");
                }
                vb_buf_addf(o, "</td><td class=\"num\">%.1f</td><td>", r->score);
                if (r->phrase_text) {
                        vb_buf_adds(o, "\xE2\x80\x9C");
                        vb_html_texts(o, r->phrase_text);
                        vb_buf_adds(o, "\xE2\x80\x9D");
                }
                vb_buf_adds(o, "</td></tr>\n");
        }
        vb_html_table_end(o);
        if (ops.unranked)
                vb_buf_addf(o,
                            "<p class=\"muted\">%zu theme%s raised by only one customer %s not "
                            "ranked.</p>\n",
                            ops.unranked, ops.unranked == 1 ? "" : "s",
                            ops.unranked == 1 ? "is" : "are");
done:
        vb_opportunities_release(&ops);
}

static void next_section(struct rs_site *s, struct vb_buf *o)
{
        vb_buf_adds(o, "<h2 id=\"next\">What to build next</h2>\n<p>Problems and feature requests "
                       "(never reasons or emotions), ranked by distinct customers, weighted up "
                       "for lost revenue (cart abandoners and returners), high-LTV customers and "
                       "a rising trend, down when a roadmap item already addresses them. Every "
                       "part of the score is shown; the weights are set by "
                       "<code>opportunity:</code> in <code>verbatim.yml</code>.</p>\n");
        rs_next_table(s, o, "", 0);
}

static void verdicts(struct vb_buf *o, const struct vb_roadmap_stats *r)
{
        static const char *const names[] = {"without a verdict", "solved", "partly solved",
                                            "not solved"};
        static const int order[] = {1, 2, 3, 0};
        size_t given = 0;
        vb_buf_addf(o, "<h4>Did it work?</h4>\n<p>%zu validating follow-up call%s", r->nvalidating,
                    r->nvalidating == 1 ? "" : "s");
        if (!r->nvalidating) {
                vb_buf_adds(o, " yet: call back the customers below and record a "
                               "<code>verdict:</code>.</p>\n");
                return;
        }
        vb_buf_adds(o, ": ");
        for (size_t k = 0; k < 4; k++) {
                size_t n = r->verdicts[order[k]];
                if (!n)
                        continue;
                vb_buf_addf(o, "%s<strong>%zu %s</strong>", given++ ? ", " : "", n,
                            names[order[k]]);
        }
        vb_buf_adds(o, ".</p>\n");
}

static void before_after(struct rs_site *s, struct vb_buf *o, const struct vb_roadmap_stats *r)
{
        static const char *const head[] = {"Theme", "Before", "After", "Change"};
        if (!vb_date_is_set(r->item->shipped))
                return;
        vb_buf_adds(o, "<h4>Before and after</h4>\n");
        if (!r->weeks) {
                vb_buf_adds(o, "<p>Not enough data yet: not a whole week of calls since it "
                               "shipped.</p>\n");
                return;
        }
        if (r->before_conversations < 10 || r->after_conversations < 10) {
                vb_buf_addf(o,
                            "<p>Too few conversations to tell: %zu in the %zu week%s before it "
                            "shipped, %zu in the %zu after.</p>\n",
                            r->before_conversations, r->weeks, r->weeks == 1 ? "" : "s",
                            r->after_conversations, r->weeks);
                return;
        }
        vb_buf_addf(o,
                    "<p>Share of conversations carrying its themes in the %zu week%s before and "
                    "after it shipped (%zu and %zu conversations; the day it shipped in "
                    "neither).</p>\n",
                    r->weeks, r->weeks == 1 ? "" : "s", r->before_conversations,
                    r->after_conversations);
        {
                static const char *const labels[] = {"before", "after"};
                double v[2];
                struct vb_svg_series series;
                v[0] = 100.0 * (double)r->before_notes / (double)r->before_conversations;
                v[1] = 100.0 * (double)r->after_notes / (double)r->after_conversations;
                series.name = "share";
                series.labels = labels;
                series.values = v;
                series.n = 2;
                vb_buf_reset(&s->tmp);
                vb_safe_name(&s->tmp, r->item->id);
                vb_buf_adds(&s->tmp, "-ba");
                vb_svg_bars(o, s->tmp.ptr, &series,
                            "Share of conversations with its themes, before and after (%)", NULL);
        }
        vb_html_table_begin(o, NULL, head, 4);
        for (size_t k = 0; k <= r->nbefore_after; k++) {
                size_t bn =
                    k < r->nbefore_after ? r->before_after[k].before_notes : r->before_notes;
                size_t an = k < r->nbefore_after ? r->before_after[k].after_notes : r->after_notes;
                double bs = (double)bn / (double)r->before_conversations;
                double as = (double)an / (double)r->after_conversations;
                if (k == r->nbefore_after && r->nbefore_after < 2)
                        break; /* one theme: the total is that row */
                vb_buf_adds(o, "<tr><th scope=\"row\">");
                if (k < r->nbefore_after)
                        rs_link_theme(s, o, "", r->before_after[k].theme, r->before_after[k].label);
                else
                        vb_buf_adds(o, "Any of its themes");
                vb_buf_adds(o, "</th><td class=\"num\">");
                rs_percent(o, bs);
                vb_buf_addf(o, " (%zu)</td><td class=\"num\">", bn);
                rs_percent(o, as);
                vb_buf_addf(o, " (%zu)</td><td class=\"num\">", an);
                if (bn)
                        vb_buf_addf(o, "&times;%.2f", as / bs);
                else
                        vb_buf_adds(o, "<span class=\"muted\">new</span>");
                vb_buf_adds(o, "</td></tr>\n");
        }
        vb_html_table_end(o);
}

/* What customers said on the validating calls, newest first. */
static void validating_quotes(struct rs_site *s, struct vb_buf *o, const struct vb_roadmap_stats *r)
{
        size_t shown = 0;
        for (size_t k = r->nvalidating; k-- > 0 && shown < 20;) {
                const struct vb_note *n = r->validating[k];
                for (size_t q = 0; q < n->nquotes && shown < 20; q++) {
                        if (!shown++)
                                vb_buf_adds(o, "<h4>What customers said after it shipped</h4>\n"
                                               "<ul class=\"quotes\">\n");
                        vb_buf_adds(o, "<li><blockquote>");
                        vb_html_texts(o, n->quotes[q].text);
                        vb_buf_adds(o, "</blockquote> ");
                        rs_link_note(s, o, "", n->id);
                        if (n->verdict >= VB_VERDICT_SOLVED && n->verdict <= VB_VERDICT_NOT_SOLVED)
                                vb_buf_addf(o, " <span class=\"muted\">(%s)</span>",
                                            n->verdict == VB_VERDICT_SOLVED   ? "solved"
                                            : n->verdict == VB_VERDICT_PARTLY ? "partly"
                                                                              : "not solved");
                        vb_buf_adds(o, "</li>\n");
                }
        }
        if (shown)
                vb_buf_adds(o, "</ul>\n");
}

static void item(struct rs_site *s, struct vb_buf *o, const struct vb_roadmap_stats *r)
{
        const struct vb_roadmap_item *it = r->item;
        static const char *const head[] = {"Theme", "Supporting conversations", "Customers"};
        vb_buf_reset(&s->tmp);
        vb_safe_name(&s->tmp, it->id);
        vb_buf_addf(o, "<section aria-labelledby=\"item-%s\">\n<h3 id=\"item-%s\">", s->tmp.ptr,
                    s->tmp.ptr);
        vb_html_texts(o, it->title ? it->title : it->id);
        vb_buf_adds(o, "</h3>\n<p><code>");
        vb_html_texts(o, it->id);
        vb_buf_adds(o, "</code>, status: ");
        vb_html_texts(o, it->status ? it->status : "none");
        if (vb_date_is_set(it->shipped)) {
                vb_buf_adds(o, ", shipped ");
                rs_date(o, it->shipped);
        }
        if (it->ntags) {
                vb_buf_adds(o, "; themes: ");
                for (size_t i = 0; i < it->ntags; i++) {
                        if (i)
                                vb_buf_adds(o, ", ");
                        if (vb_agg_theme(s->a, it->tags[i]))
                                rs_link_theme(s, o, "", it->tags[i],
                                              vb_vocab_theme_label(s->v, it->tags[i]));
                        else
                                vb_html_texts(o, it->tags[i]);
                }
        }
        vb_buf_addf(o,
                    ".</p>\n<p>Supported by %zu linked call%s (naming it in <code>roadmap:</code>) "
                    "and by theme: %zu conversation%s (%zu customer%s) carrying one of its "
                    "themes.</p>\n",
                    r->nsupporting, r->nsupporting == 1 ? "" : "s", r->theme_notes,
                    r->theme_notes == 1 ? "" : "s", r->theme_customers,
                    r->theme_customers == 1 ? "" : "s");
        if (it->status && !strcmp(it->status, "shipped")) {
                verdicts(o, r);
                before_after(s, o, r);
                validating_quotes(s, o, r);
                if (r->ncall_back) {
                        vb_buf_addf(o,
                                    "<p>%zu supporting customer%s not heard since it shipped, "
                                    "to call back: ",
                                    r->ncall_back, r->ncall_back == 1 ? "" : "s");
                        for (size_t k = 0; k < r->ncall_back; k++) {
                                if (k)
                                        vb_buf_adds(o, ", ");
                                vb_html_texts(o, r->call_back[k]);
                        }
                        vb_buf_adds(o, ".</p>\n");
                }
        }
        if (r->nthemes)
                rs_theme_counts(s, o, "", "Themes of the supporting calls", head, r->themes,
                                r->nthemes);
        if (r->nsupporting) {
                vb_buf_adds(o, "<h4>Supporting calls</h4>\n");
                note_list(s, o, r->supporting, r->nsupporting);
        }
        if (r->nvalidating) {
                vb_buf_adds(o, "<h4>Validating follow-up calls (after it shipped)</h4>\n");
                note_list(s, o, r->validating, r->nvalidating);
        }
        vb_buf_adds(o, "</section>\n");
}

/* A shipped item's share of validating calls that say it solved the
 * problem (partly counts half); -1 for items not shipped. */
static double solved_share(const struct vb_roadmap_stats *r)
{
        size_t given = r->verdicts[VB_VERDICT_SOLVED] + r->verdicts[VB_VERDICT_PARTLY] +
                       r->verdicts[VB_VERDICT_NOT_SOLVED];
        if (!r->item->status || strcmp(r->item->status, "shipped"))
                return -1.0;
        if (!given)
                return 0.0;
        return ((double)r->verdicts[VB_VERDICT_SOLVED] +
                0.5 * (double)r->verdicts[VB_VERDICT_PARTLY]) /
               (double)given;
}

/* Shipped items by verdict (most solved first), then the others; ties in
 * roadmap.yml order. */
static int item_cmp(const void *pa, const void *pb)
{
        const struct vb_roadmap_stats *a = *(const struct vb_roadmap_stats *const *)pa;
        const struct vb_roadmap_stats *b = *(const struct vb_roadmap_stats *const *)pb;
        double sa = solved_share(a), sb = solved_share(b);
        if (sa != sb)
                return sa > sb ? -1 : 1;
        return a < b ? -1 : a > b;
}

int rs_roadmap_page(struct rs_site *s)
{
        const struct vb_roadmap_stats **order;
        struct vb_buf *o = &s->page;
        rs_begin(s, "Roadmap", NULL, "", RS_ROADMAP);
        rs_long_page(s, "roadmap.html");
        vb_buf_addf(o,
                    "<p class=\"lead\">%zu roadmap item%s and the calls behind them, after what "
                    "to build next.</p>\n",
                    s->a->nroadmap, s->a->nroadmap == 1 ? "" : "s");
        next_section(s, o);
        vb_buf_adds(o, "<h2 id=\"items\">Roadmap items</h2>\n");
        if (!s->a->nroadmap)
                vb_buf_adds(o, "<p>No roadmap.yml, or no item in it.</p>\n");
        else
                vb_buf_adds(o, "<p>Shipped items first, those customers say it solved most "
                               "first; then the others in the order of roadmap.yml.</p>\n");
        order = vb_calloc(s->a->nroadmap + 1, sizeof(*order));
        for (size_t i = 0; i < s->a->nroadmap; i++)
                order[i] = &s->a->roadmap[i];
        qsort(order, s->a->nroadmap, sizeof(*order), item_cmp);
        for (size_t i = 0; i < s->a->nroadmap; i++)
                item(s, o, order[i]);
        free(order);
        return rs_end(s, "roadmap.html");
}
