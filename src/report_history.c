/* The report's history: whether a knowledge base has one, history.html
 * (themes over the commits of the main line), the history section of a theme
 * page and the overview's emerging themes from the history.  Authors are
 * shown by name only (the history keeps no emails; names go through
 * vb_html_text, which redacts an email written as a name). */
#include "verbatim/report.h"
#include "git.h"

#include "report_site.h"
#include "verbatim/html.h"
#include "verbatim/svg.h"

#include <stdlib.h>
#include <string.h>

enum {
        CHART_THEMES = 6,   /* lines in the chart of history.html (classes s0 to s5) */
        TIMELINE_MAX = 200, /* newest commits in the timeline */
};

static const char *plural(size_t n)
{
        return n == 1 ? "" : "s";
}

/* Whether `kb_root` is the work directory root of `repo`. */
static int is_workdir_root(git_repository *repo, const char *kb_root)
{
        const char *wd = git_repository_workdir(repo);
        char *a = wd ? realpath(wd, NULL) : NULL, *b = realpath(kb_root, NULL);
        int same = a && b && !strcmp(a, b);
        free(a);
        free(b);
        return same;
}

int vb_report_history_load(struct vb_history **out, struct vb_source *src, const char *kb_root,
                           const struct vb_history_options *opt, struct vb_diags *d)
{
        struct vb_diags hd = VB_DIAGS_INIT;
        git_repository *repo = vb_source_repository(src);
        int rc;

        *out = NULL;
        if (!repo)
                return VB_OK;
        if (!vb_source_is_git(src) &&
            (!is_workdir_root(repo, kb_root) || git_repository_head_unborn(repo) != 0))
                return VB_OK;
        rc = vb_history_load(out, kb_root, opt, &hd);
        if (rc != VB_OK) {
                const char *why = "unknown error";
                for (size_t i = 0; i < hd.n; i++)
                        if (hd.v[i].severity == VB_SEV_ERROR) {
                                why = hd.v[i].message;
                                break;
                        }
                vb_diags_add(d, kb_root, 0, 0, VB_SEV_WARNING, "history-skipped",
                             "cannot read the git history (%s); the report has no history page, "
                             "or use --no-history",
                             why);
                vb_history_free(*out);
                *out = NULL;
        }
        vb_diags_release(&hd);
        return VB_OK;
}

/* ---- shared ---- */

void rs_history_begin(struct rs_site *s)
{
        const struct vb_history *h = s->h;
        if (!h)
                return;
        s->hweeks = vb_calloc(h->nweeks ? h->nweeks : 1, sizeof(*s->hweeks));
        for (size_t i = 0; i < h->nweeks; i++) {
                s->hweeks[i] = vb_malloc(16);
                vb_week_label(h->first_week + (int64_t)i, s->hweeks[i]);
        }
}

void rs_history_end(struct rs_site *s)
{
        for (size_t i = 0; s->h && s->hweeks && i < s->h->nweeks; i++)
                free(s->hweeks[i]);
        free(s->hweeks);
        s->hweeks = NULL;
}

/* The committer date in UTC, as the weeks count it. */
static void commit_date(struct vb_buf *o, const struct vb_history_commit *c)
{
        int64_t t = c->time;
        rs_date(o, vb_date_from_days(t >= 0 ? t / 86400 : -((-t + 86399) / 86400)));
}

static void commit_short(struct vb_buf *o, const struct vb_history_commit *c)
{
        vb_buf_adds(o, "<code>");
        vb_buf_add(o, c->id, 7);
        vb_buf_adds(o, "</code>");
}

/* A theme's label linked to its page when the report has one. */
static void theme_name(struct rs_site *s, struct vb_buf *o, const char *root,
                       const struct vb_history_theme *t)
{
        const char *label = t->label && *t->label ? t->label : t->key;
        if (vb_agg_theme(s->a, t->key))
                rs_link_theme(s, o, root, t->key, label);
        else
                vb_html_texts(o, label);
}

/* A line chart of `n` themes' series by commit date. */
static void themes_chart(struct rs_site *s, struct vb_buf *o, const char *id,
                         const struct vb_history_theme *const *themes, size_t n, const char *title)
{
        const struct vb_history *h = s->h;
        size_t w = h->nweeks ? h->nweeks : 1;
        double *values = vb_calloc(w * (n ? n : 1), sizeof(*values));
        struct vb_svg_series *series = vb_calloc(n ? n : 1, sizeof(*series));
        for (size_t k = 0; k < n; k++) {
                for (size_t i = 0; i < h->nweeks; i++)
                        values[k * w + i] = themes[k]->by_commit ? themes[k]->by_commit[i] : 0;
                series[k].name =
                    themes[k]->label && *themes[k]->label ? themes[k]->label : themes[k]->key;
                series[k].labels = (const char *const *)s->hweeks;
                series[k].values = values + k * w;
                series[k].n = h->nweeks;
        }
        vb_buf_adds(o, "<figure>\n");
        vb_svg_lines(o, id, series, n, title, NULL);
        vb_buf_adds(o, "</figure>\n");
        free(series);
        free(values);
}

static void rename_text(struct rs_site *s, struct vb_buf *o, const struct vb_history_rename *r)
{
        const struct vb_history *h = s->h;
        vb_buf_adds(o, "<code>");
        vb_html_texts(o, r->from);
        vb_buf_adds(o, "</code> \xE2\x86\x92 <code>");
        vb_html_texts(o, r->to);
        vb_buf_adds(o, "</code>");
        if (r->commit < h->ncommits) {
                vb_buf_adds(o, " in ");
                commit_short(o, &h->commits[r->commit]);
                vb_buf_adds(o, " on ");
                commit_date(o, &h->commits[r->commit]);
        }
        if (r->in_vocab || r->in_notes)
                vb_buf_addf(o, " (%s%s%s)", r->in_vocab ? "verbatim.yml" : "",
                            r->in_vocab && r->in_notes ? " and " : "", r->in_notes ? "notes" : "");
}

/* ---- history.html ---- */

static int cmp_by_customers(const void *x, const void *y)
{
        const struct vb_history_theme *a = *(const struct vb_history_theme *const *)x,
                                      *b = *(const struct vb_history_theme *const *)y;
        return vb_rank_cmp(a->customers_now, a->notes_now, a->key, b->customers_now, b->notes_now,
                           b->key);
}

/* First commit (themes never committed last), then key. */
static int cmp_by_first(const void *x, const void *y)
{
        const struct vb_history_theme *a = *(const struct vb_history_theme *const *)x,
                                      *b = *(const struct vb_history_theme *const *)y;
        if (a->first_commit != b->first_commit)
                return a->first_commit < b->first_commit ? -1 : 1;
        return strcmp(a->key, b->key);
}

static void history_chart(struct rs_site *s, struct vb_buf *o)
{
        const struct vb_history *h = s->h;
        const struct vb_history_theme **t = vb_calloc(h->nthemes ? h->nthemes : 1, sizeof(*t));
        size_t n = 0;
        for (size_t i = 0; i < h->nthemes; i++)
                t[n++] = &h->themes[i];
        if (n)
                qsort(t, n, sizeof(*t), cmp_by_customers);
        if (n > CHART_THEMES)
                n = CHART_THEMES;
        vb_buf_adds(o, "<section aria-labelledby=\"over-time\">\n<h2 id=\"over-time\">Themes over "
                       "time</h2>\n");
        vb_buf_addf(o,
                    "<p class=\"muted\">Notes carrying each theme at the end of each week, by "
                    "commit date (UTC): the %zu theme%s with the most customers now",
                    n, plural(n));
        if (h->nthemes > n)
                vb_buf_addf(o, " of %zu", h->nthemes);
        vb_buf_adds(o, ".</p>\n");
        themes_chart(s, o, "history-themes", t, n, "Notes per theme over the commits");
        vb_buf_adds(o, "</section>\n");
        free(t);
}

static void history_themes(struct rs_site *s, struct vb_buf *o)
{
        const struct vb_history *h = s->h;
        static const char *const head[] = {"Theme",     "First commit",  "First call",
                                           "Notes now", "Customers now", "Renames"};
        const struct vb_history_theme **t = vb_calloc(h->nthemes ? h->nthemes : 1, sizeof(*t));
        for (size_t i = 0; i < h->nthemes; i++)
                t[i] = &h->themes[i];
        if (h->nthemes)
                qsort(t, h->nthemes, sizeof(*t), cmp_by_first);
        vb_buf_adds(o, "<section aria-labelledby=\"every-theme\">\n<h2 id=\"every-theme\">Every "
                       "theme</h2>\n");
        vb_html_table_begin(o, "Themes in the order they were first committed", head, 6);
        for (size_t i = 0; i < h->nthemes; i++) {
                vb_buf_adds(o, "<tr><th scope=\"row\">");
                theme_name(s, o, "", t[i]);
                vb_buf_adds(o, "</th><td class=\"date\">");
                if (t[i]->first_commit < h->ncommits) {
                        commit_date(o, &h->commits[t[i]->first_commit]);
                        vb_buf_adds(o, " ");
                        commit_short(o, &h->commits[t[i]->first_commit]);
                } else {
                        rs_date(o, (struct vb_date){0});
                }
                vb_buf_adds(o, "</td><td class=\"date\">");
                rs_date(o, t[i]->first_call_id ? t[i]->first_call_date : (struct vb_date){0});
                vb_buf_adds(o, "</td>");
                rs_td_num(o, t[i]->notes_now);
                rs_td_num(o, t[i]->customers_now);
                vb_buf_adds(o, "<td>");
                for (size_t k = 0; k < t[i]->nrenames; k++) {
                        if (k)
                                vb_buf_adds(o, "; ");
                        rename_text(s, o, &t[i]->renames[k]);
                }
                vb_buf_adds(o, "</td></tr>\n");
        }
        vb_html_table_end(o);
        vb_buf_adds(o, "</section>\n");
        free(t);
}

/* One theme's change in one commit (for the timeline). */
struct commit_change {
        size_t theme;
        unsigned plus, minus;
};

static void history_timeline(struct rs_site *s, struct vb_buf *o)
{
        const struct vb_history *h = s->h;
        static const char *const head[] = {"Date", "Commit", "Subject", "Author",
                                           "Themes (notes added + / removed \xE2\x88\x92)"};
        size_t *start = vb_calloc(h->ncommits + 1, sizeof(*start)), total = 0, changed = 0,
               shown = 0;
        struct commit_change *ch;
        size_t *fill;

        for (size_t i = 0; i < h->nthemes; i++)
                for (size_t k = 0; k < h->themes[i].nchanges; k++)
                        if (h->themes[i].changes[k].commit < h->ncommits)
                                start[h->themes[i].changes[k].commit + 1]++;
        for (size_t c = 0; c < h->ncommits; c++) {
                if (start[c + 1])
                        changed++;
                start[c + 1] += start[c];
        }
        total = start[h->ncommits];
        ch = vb_calloc(total ? total : 1, sizeof(*ch));
        fill = vb_calloc(h->ncommits ? h->ncommits : 1, sizeof(*fill));
        for (size_t i = 0; i < h->nthemes; i++) /* themes by key: each commit's list is too */
                for (size_t k = 0; k < h->themes[i].nchanges; k++) {
                        const struct vb_history_change *c = &h->themes[i].changes[k];
                        struct commit_change *e;
                        if (c->commit >= h->ncommits)
                                continue;
                        e = &ch[start[c->commit] + fill[c->commit]++];
                        e->theme = i;
                        e->plus = c->added + c->tagged;
                        e->minus = c->removed + c->untagged;
                }

        vb_buf_adds(o,
                    "<section aria-labelledby=\"timeline\">\n<h2 id=\"timeline\">Timeline</h2>\n");
        vb_buf_addf(o, "<p class=\"muted\">%zu of %zu commit%s changed themes", changed,
                    h->ncommits, plural(h->ncommits));
        if (changed > TIMELINE_MAX)
                vb_buf_addf(o, "; the %d newest are shown", TIMELINE_MAX);
        vb_buf_adds(o, ". Newest first; dates are committer dates in UTC.</p>\n");
        if (changed) {
                vb_html_table_begin(o, NULL, head, 5);
                for (size_t c = h->ncommits; c-- > 0 && shown < TIMELINE_MAX;) {
                        const struct vb_history_commit *hc = &h->commits[c];
                        int first = 1;
                        if (start[c] == start[c + 1])
                                continue;
                        shown++;
                        vb_buf_adds(o, "<tr><td class=\"date\">");
                        commit_date(o, hc);
                        vb_buf_adds(o, "</td><td>");
                        commit_short(o, hc);
                        vb_buf_adds(o, "</td><td>");
                        vb_html_texts(o, hc->subject ? hc->subject : "");
                        vb_buf_adds(o, "</td><td>");
                        vb_html_texts(o, hc->author ? hc->author : "");
                        vb_buf_adds(o, "</td><td>");
                        for (size_t k = start[c]; k < start[c + 1]; k++) {
                                if (!ch[k].plus && !ch[k].minus)
                                        continue;
                                if (!first)
                                        vb_buf_adds(o, ", ");
                                first = 0;
                                theme_name(s, o, "", &h->themes[ch[k].theme]);
                                if (ch[k].plus)
                                        vb_buf_addf(o, " +%u", ch[k].plus);
                                if (ch[k].minus)
                                        vb_buf_addf(o, " \xE2\x88\x92%u", ch[k].minus);
                        }
                        vb_buf_adds(o, "</td></tr>\n");
                }
                vb_html_table_end(o);
        }
        vb_buf_adds(o, "</section>\n");
        free(fill);
        free(ch);
        free(start);
}

/* The emerging and fading themes from the history (call dates at the revision
 * shown, themes as renamed since). */
static void history_emerging(struct rs_site *s, struct vb_buf *o)
{
        const struct vb_history *h = s->h;
        size_t nthemes = 0, n[2] = {0, 0};
        int too_few = 0;
        for (size_t i = 0; i < h->nthemes; i++) {
                const struct vb_history_theme *t = &h->themes[i];
                nthemes = t->trend.counts.nthemes;
                too_few |= t->trend.verdict == VB_TREND_TOO_FEW;
                n[0] += t->emerging;
                n[1] += t->fading;
        }
        if (!h->nthemes)
                too_few = 1;
        rs_trends_begin(o, nthemes);
        vb_buf_adds(o, "; from the git history (call dates at revision ");
        if (h->ncommits)
                commit_short(o, &h->commits[h->shown]);
        vb_buf_adds(o, ", as of ");
        rs_date(o, h->as_of);
        vb_buf_adds(o, ", themes as renamed since).</p>\n");
        for (int fading = 0; fading < 2; fading++) {
                rs_trends_list(o, fading ? "Fading" : "Emerging", n[fading], too_few);
                for (size_t i = 0; i < h->nthemes && !too_few; i++) {
                        const struct vb_history_theme *t = &h->themes[i];
                        if (!(fading ? t->fading : t->emerging))
                                continue;
                        vb_buf_adds(o, "<li>");
                        theme_name(s, o, "", t);
                        vb_buf_adds(o, ": ");
                        rs_trend_words(o, &t->trend);
                        vb_buf_adds(o, "</li>\n");
                }
                vb_buf_adds(o, "</ul>\n");
        }
        vb_buf_adds(o, "</section>\n");
}

int rs_history_page(struct rs_site *s)
{
        const struct vb_history *h = s->h;
        struct vb_buf *o = &s->page;
        rs_begin(s, "History", NULL, "", RS_HISTORY);
        vb_buf_addf(o, "<p class=\"lead\">%zu commit%s on the main line (first parents)",
                    h->ncommits, plural(h->ncommits));
        if (h->ncommits) {
                vb_buf_adds(o, ", from ");
                commit_date(o, &h->commits[0]);
                vb_buf_adds(o, " to ");
                commit_date(o, &h->commits[h->ncommits - 1]);
                vb_buf_adds(o, "; revision shown: ");
                commit_short(o, &h->commits[h->shown]);
        }
        vb_buf_addf(o, ". %zu note%s and %zu conversation%s at that revision; trends as of ",
                    h->notes_now, plural(h->notes_now), h->conversations_now,
                    plural(h->conversations_now));
        rs_date(o, h->as_of);
        vb_buf_adds(o, ".</p>\n");
        if (h->shallow_boundary)
                vb_buf_addf(o,
                            "<p class=\"notice\" role=\"note\">A shallow clone: the history "
                            "starts at commit <code>%.7s</code>; fetch the whole history for "
                            "the earlier commits.</p>\n",
                            h->shallow_boundary);
        history_chart(s, o);
        history_emerging(s, o);
        history_themes(s, o);
        history_timeline(s, o);
        return rs_end(s, "history.html");
}

/* ---- a theme page's section ---- */

void rs_theme_history(struct rs_site *s, struct vb_buf *o, const char *theme)
{
        const struct vb_history *h = s->h;
        const struct vb_history_theme *t = vb_history_theme(h, theme);
        vb_buf_adds(o, "<h2>History</h2>\n");
        if (!t) {
                vb_buf_adds(o, "<p>Not in the git history of the revision shown.</p>\n");
                return;
        }
        vb_buf_adds(o, "<p>");
        if (t->first_commit < h->ncommits) {
                const struct vb_history_commit *c = &h->commits[t->first_commit];
                vb_buf_adds(o, "First seen in commit ");
                commit_short(o, c);
                vb_buf_adds(o, " on ");
                commit_date(o, c);
                vb_buf_adds(o, " (\xE2\x80\x9C");
                vb_html_texts(o, c->subject ? c->subject : "");
                vb_buf_adds(o, "\xE2\x80\x9D).");
        } else {
                vb_buf_adds(o, "Never committed on the main line.");
        }
        if (t->first_call_id) {
                vb_buf_adds(o, " First call: ");
                rs_date(o, t->first_call_date);
                if (rs_has_note_page(s, t->first_call_id)) {
                        vb_buf_adds(o, " (");
                        rs_link_note(s, o, "../", t->first_call_id);
                        vb_buf_adds(o, ")");
                }
                vb_buf_adds(o, ".");
        }
        vb_buf_addf(o,
                    " %zu change%s over the commits; see <a href=\"../history.html\">the "
                    "history</a>.</p>\n",
                    t->nchanges, plural(t->nchanges));
        themes_chart(s, o, "theme-history", &t, 1, "Notes with this theme over the commits");
        if (t->nrenames) {
                vb_buf_adds(o, "<p>Renamed:</p>\n<ul>\n");
                for (size_t k = 0; k < t->nrenames; k++) {
                        vb_buf_adds(o, "<li>");
                        rename_text(s, o, &t->renames[k]);
                        vb_buf_adds(o, "</li>\n");
                }
                vb_buf_adds(o, "</ul>\n");
        }
}

/* ---- the overview's emerging themes ---- */
