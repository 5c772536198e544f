/* The report's copy page: the positioning tests of copy.yml (words, where
 * they came from, channel, dates, control against result as a lift) and the
 * copy bank; a theme page's own positioning tests. */
#include "report_site.h"
#include "verbatim/copy.h"
#include "verbatim/html.h"

#include <stdlib.h>
#include <string.h>

enum { BANK_ROWS = 3 };

static int names_theme(const struct vb_vocab *v, const struct vb_copy_test *t, const char *theme)
{
        struct vb_arena scratch = VB_ARENA_INIT;
        int found = 0;
        for (size_t k = 0; k < t->ntags && !found; k++) {
                const char *key = vb_vocab_theme(v, &scratch, t->tags[k], NULL);
                found = key && !strcmp(key, theme);
        }
        vb_arena_release(&scratch);
        return found;
}

void rs_copy_prepare(struct rs_site *s)
{
        const struct vb_vocab *v = s->v;
        struct vb_buf q = VB_BUF_INIT;
        char **want;
        size_t left = 0;
        s->copy_src = vb_calloc(v->ncopy_tests + 1, sizeof(*s->copy_src));
        if (!v->ncopy_tests)
                return;
        want = vb_calloc(v->ncopy_tests, sizeof(*want));
        for (size_t k = 0; k < v->ncopy_tests; k++) {
                struct vb_buf w = VB_BUF_INIT;
                vb_phrase_padded(&w, v->copy_tests[k].phrase);
                want[k] = vb_buf_detach(&w, NULL);
                left++;
        }
        /* one pass over the quotes, each normalized once */
        for (size_t i = 0; i < s->kb->nnotes && left; i++) {
                const struct vb_note *n = s->kb->notes[i];
                if (!vb_note_is_conversation(n))
                        continue;
                for (size_t qi = 0; qi < n->nquotes && left; qi++) {
                        vb_buf_reset(&q);
                        vb_phrase_padded(&q, n->quotes[qi].text);
                        for (size_t k = 0; k < v->ncopy_tests; k++) {
                                struct rs_copy_src *c = &s->copy_src[k];
                                if (c->n == RS_COPY_SOURCES ||
                                    (c->n && c->ids[c->n - 1] == n->id) || !strstr(q.ptr, want[k]))
                                        continue;
                                c->ids[c->n++] = n->id;
                                left -= c->n == RS_COPY_SOURCES;
                        }
                }
        }
        for (size_t k = 0; k < v->ncopy_tests; k++)
                free(want[k]);
        free(want);
        vb_buf_release(&q);
}

void rs_copy_release(struct rs_site *s)
{
        free(s->copy_src);
        s->copy_src = NULL;
}

/* Links to the first notes whose quotes say the test's words. */
static void sources(struct rs_site *s, struct vb_buf *o, size_t k, const char *root)
{
        const struct rs_copy_src *c = s->copy_src ? &s->copy_src[k] : NULL;
        for (size_t i = 0; c && i < c->n; i++) {
                vb_buf_adds(o, i ? ", " : "");
                rs_link_note(s, o, root, c->ids[i]);
        }
        if (!c || !c->n)
                vb_buf_adds(o, "<span class=\"muted\">no customer said this</span>");
}

static void tests_table(struct rs_site *s, struct vb_buf *o, const char *theme, const char *root)
{
        static const char *const head[] = {"The customers' words",
                                           "Said in",
                                           "Themes",
                                           "Channel",
                                           "Dates",
                                           "Control",
                                           "Result",
                                           "Lift"};
        const struct vb_vocab *v = s->v;
        vb_html_table_begin(o, NULL, head, 8);
        for (size_t i = 0; i < v->ncopy_tests; i++) {
                const struct vb_copy_test *t = &v->copy_tests[i];
                int ok;
                double lift = vb_copy_lift(t, &ok);
                if (theme && !names_theme(v, t, theme))
                        continue;
                vb_buf_adds(o, "<tr><td>\xE2\x80\x9C");
                vb_html_texts(o, t->phrase);
                vb_buf_adds(o, "\xE2\x80\x9D <span class=\"muted\">(");
                vb_html_texts(o, t->id);
                vb_buf_adds(o, ")</span></td><td>");
                sources(s, o, i, root);
                vb_buf_adds(o, "</td><td>");
                for (size_t k = 0; k < t->ntags; k++) {
                        if (k)
                                vb_buf_adds(o, ", ");
                        if (vb_agg_theme(s->a, t->tags[k]))
                                rs_link_theme(s, o, root, t->tags[k],
                                              vb_vocab_theme_label(v, t->tags[k]));
                        else
                                vb_html_texts(o, t->tags[k]);
                }
                vb_buf_adds(o, "</td><td>");
                vb_html_texts(o, t->channel ? t->channel : "");
                vb_buf_adds(o, "</td><td>");
                rs_date(o, t->start);
                vb_buf_adds(o, " \xE2\x80\x93 ");
                if (vb_date_is_set(t->end))
                        rs_date(o, t->end);
                else
                        vb_buf_adds(o, "running");
                vb_buf_adds(o, "</td><td class=\"num\">");
                if (t->has_control)
                        vb_buf_addf(o, "%g", t->control);
                vb_buf_adds(o, "</td><td class=\"num\">");
                if (t->has_result)
                        vb_buf_addf(o, "%g", t->result);
                if (t->metric) {
                        vb_buf_adds(o, " ");
                        vb_html_texts(o, t->metric);
                }
                vb_buf_adds(o, "</td><td class=\"num\">");
                if (ok)
                        vb_buf_addf(o, "%+.0f&nbsp;%% (%s)", lift * 100.0,
                                    lift > 0 ? "won" : "lost");
                else
                        vb_buf_adds(o, "<span class=\"muted\">no lift</span>");
                vb_buf_adds(o, "</td></tr>\n");
        }
        vb_html_table_end(o);
}

void rs_theme_copy_tests(struct rs_site *s, struct vb_buf *o, const char *theme)
{
        int any = 0;
        for (size_t i = 0; i < s->v->ncopy_tests && !any; i++)
                any = names_theme(s->v, &s->v->copy_tests[i], theme);
        if (!any)
                return;
        vb_buf_adds(o, "<h2>Its words tested as copy</h2>\n");
        tests_table(s, o, theme, "../");
}

static void summary(struct vb_buf *o, const struct vb_vocab *v)
{
        size_t won = 0, with = 0;
        double sum = 0;
        for (size_t i = 0; i < v->ncopy_tests; i++) {
                int ok;
                double lift = vb_copy_lift(&v->copy_tests[i], &ok);
                if (!ok)
                        continue;
                with++;
                won += lift > 0;
                sum += lift;
        }
        if (!with) {
                vb_buf_adds(o, "<p>No test has both a control and a result yet: no lift to "
                               "show.</p>\n");
                return;
        }
        vb_buf_addf(o,
                    "<p><strong>The customers' words won %zu of %zu test%s</strong> against "
                    "their control; the mean lift is %+.0f&nbsp;%%.</p>\n",
                    won, with, with == 1 ? "" : "s", sum / (double)with * 100.0);
}

static void bank(struct rs_site *s, struct vb_buf *o)
{
        static const char *const head[] = {"Theme",      "Role",      "The customers' words",
                                           "Length",     "Customers", "Calls",
                                           "First said", "Last said", "Said in"};
        struct vb_copy_bank b;
        struct vb_date unset;
        size_t rank = 0;
        memset(&unset, 0, sizeof(unset));
        vb_copy_bank_build(&b, s->a, s->phrases, NULL, unset);
        vb_buf_addf(o,
                    "<h2 id=\"bank\">Copy bank</h2>\n<p>Per theme, the phrases said by %d "
                    "customers or more: benefits in buyers' words, objections to answer in cart "
                    "abandoners' and returners' words; a headline is at most %d characters, a "
                    "description at most %d (<code>verbatim copy --format=csv</code> gives them "
                    "all for ad tools).</p>\n",
                    VB_COPY_MIN_CUSTOMERS, VB_COPY_HEADLINE, VB_COPY_DESCRIPTION);
        if (!b.n) {
                vb_buf_adds(o, "<p>No phrase was said by two customers yet: too few "
                               "conversations to tell.</p>\n");
                vb_copy_bank_release(&b);
                return;
        }
        vb_html_table_begin(o, NULL, head, 9);
        for (size_t i = 0; i < b.n; i++) {
                const struct vb_copy_row *r = &b.v[i];
                if (!i || strcmp(b.v[i - 1].theme, r->theme) || b.v[i - 1].role != r->role)
                        rank = 0;
                if (rank++ >= BANK_ROWS)
                        continue;
                vb_buf_adds(o, "<tr><th scope=\"row\">");
                if (vb_agg_theme(s->a, r->theme))
                        rs_link_theme(s, o, "", r->theme, vb_vocab_theme_label(s->v, r->theme));
                else
                        vb_html_texts(o, r->theme);
                vb_buf_addf(o, "</th><td>%s</td><td>\xE2\x80\x9C", vb_copy_role_name(r->role));
                vb_html_texts(o, r->text);
                vb_buf_addf(o, "\xE2\x80\x9D</td><td>%s</td>", vb_copy_length_name(r));
                rs_td_num(o, r->customers);
                rs_td_num(o, r->notes);
                vb_buf_adds(o, "<td>");
                rs_date(o, r->first);
                vb_buf_adds(o, "</td><td>");
                rs_date(o, r->last);
                vb_buf_adds(o, "</td><td>");
                for (size_t e = 0; e < r->nexamples; e++) {
                        vb_buf_adds(o, e ? ", " : "");
                        rs_link_note(s, o, "", r->examples[e]);
                }
                vb_buf_adds(o, "</td></tr>\n");
                rs_row(s);
        }
        vb_html_table_end(o);
        vb_copy_bank_release(&b);
}

int rs_copy_page(struct rs_site *s)
{
        struct vb_buf *o = &s->page;
        rs_begin(s, "Copy", "The customers' words as copy", "", RS_COPY);
        rs_long_page(s, "copy.html");
        vb_buf_adds(o, "<h2 id=\"tests\">Positioning tests</h2>\n");
        if (!s->v->ncopy_tests) {
                vb_buf_adds(o, "<p>No positioning test yet: record one in <code>copy.yml</code> "
                               "(see README: the words, where they came from, channel, dates, "
                               "metric, control and result).</p>\n");
        } else {
                summary(o, s->v);
                tests_table(s, o, NULL, "");
        }
        bank(s, o);
        return rs_end(s, "copy.html");
}
