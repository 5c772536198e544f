/* The report's jobs-to-be-done and roadmap pages. */
#include "report_site.h"
#include "verbatim/html.h"

#include <string.h>

static void text_or_dash(struct vb_buf *o, const char *s)
{
        if (s && *s)
                vb_html_texts(o, s);
        else
                vb_buf_adds(o, "<span class=\"muted\">\xE2\x80\x94</span>");
}

int rs_jobs_page(struct rs_site *s)
{
        const struct vb_agg *a = s->a;
        struct vb_buf *o = &s->page;
        static const char *const jobs_head[] = {"Job", "Before", "Without it", "Call"};
        static const char *const whys_head[] = {"Root need", "Call"};
        rs_begin(s, "Jobs to be done", NULL, "", RS_JOBS);
        rs_long_page(s, "jobs.html");
        vb_buf_addf(o,
                    "<p class=\"lead\">What customers hire the product to do, what they used "
                    "before, and what they would do without it: %zu job%s from the calls.</p>\n"
                    "<h2 id=\"jobs\">Jobs</h2>\n",
                    a->njobs, a->njobs == 1 ? "" : "s");
        if (!a->njobs) {
                vb_buf_adds(o, "<p>No job to be done written yet.</p>\n");
        } else {
                vb_html_table_begin(o, NULL, jobs_head, 4);
                for (size_t i = 0; i < a->njobs; i++) {
                        const struct vb_job *j = a->jobs[i].job;
                        vb_buf_adds(o, "<tr><td>");
                        text_or_dash(o, j->job);
                        vb_buf_adds(o, "</td><td>");
                        text_or_dash(o, j->before);
                        vb_buf_adds(o, "</td><td>");
                        text_or_dash(o, j->without_it);
                        vb_buf_adds(o, "</td><td>");
                        rs_link_note(s, o, "", a->jobs[i].note->id);
                        vb_buf_adds(o, "</td></tr>\n");
                        rs_row(s);
                }
                vb_html_table_end(o);
        }
        vb_buf_addf(o,
                    "<h2 id=\"whys\">Root needs</h2>\n<p class=\"muted\">The last answer of each "
                    "five-whys chain: %zu.</p>\n",
                    a->nwhys);
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

static void unplanned(struct rs_site *s, struct vb_buf *o)
{
        const struct vb_agg *a = s->a;
        static const char *const head[] = {"Theme", "Kind", "Conversations", "Customers"};
        vb_buf_adds(o, "<h2 id=\"unplanned\">Most-mentioned themes with no roadmap item</h2>\n");
        if (!a->nunplanned) {
                vb_buf_adds(o, "<p>Every theme customers mention feeds a roadmap item.</p>\n");
                return;
        }
        vb_html_table_begin(o, NULL, head, 4);
        for (size_t i = 0; i < a->nunplanned; i++) {
                const struct vb_theme_stats *t = a->unplanned[i];
                vb_buf_adds(o, "<tr><th scope=\"row\">");
                rs_link_theme(s, o, "", t->key, t->label);
                vb_buf_adds(o, "</th><td>");
                vb_html_texts(o, t->kind ? t->kind : "");
                vb_buf_adds(o, "</td>");
                rs_td_num(o, t->notes);
                rs_td_num(o, t->customers);
                vb_buf_adds(o, "</tr>\n");
        }
        vb_html_table_end(o);
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
        vb_buf_addf(o, ".</p>\n<p>%zu supporting call%s, %zu validating follow-up call%s.</p>\n",
                    r->nsupporting, r->nsupporting == 1 ? "" : "s", r->nvalidating,
                    r->nvalidating == 1 ? "" : "s");
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

int rs_roadmap_page(struct rs_site *s)
{
        struct vb_buf *o = &s->page;
        rs_begin(s, "Roadmap", NULL, "", RS_ROADMAP);
        rs_long_page(s, "roadmap.html");
        vb_buf_addf(o,
                    "<p class=\"lead\">%zu roadmap item%s and the calls behind them. Themes "
                    "customers mention most that no item addresses come first.</p>\n",
                    s->a->nroadmap, s->a->nroadmap == 1 ? "" : "s");
        unplanned(s, o);
        vb_buf_adds(o, "<h2 id=\"items\">Roadmap items</h2>\n");
        if (!s->a->nroadmap)
                vb_buf_adds(o, "<p>No roadmap.yml, or no item in it.</p>\n");
        for (size_t i = 0; i < s->a->nroadmap; i++)
                item(s, o, &s->a->roadmap[i]);
        return rs_end(s, "roadmap.html");
}
