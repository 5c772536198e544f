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
        CHART_THEMES = 5, /* lines in the chart of history.html, labelled at their ends */
        WEEKS_PAGE = 20,  /* weeks of the timeline per page: history.html, history-2.html ... */
        AUTHORS_MAX = 3,  /* names in a week's row, then "and others" */
        COMMITS_MAX = 25, /* commits listed in a week's row, then "and N more" */
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
                         const struct vb_history_theme *const *themes, size_t n, const char *title,
                         int labelled)
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
        if (labelled)
                vb_svg_lines_labelled(o, id, series, n, title, NULL);
        else
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
        size_t n = 0, lines;
        for (size_t i = 0; i < h->nthemes; i++)
                t[n++] = &h->themes[i];
        if (n)
                qsort(t, n, sizeof(*t), cmp_by_customers);
        lines = n < CHART_THEMES ? n : CHART_THEMES;
        vb_buf_adds(o, "<section aria-labelledby=\"over-time\">\n<h2 id=\"over-time\">Themes over "
                       "time</h2>\n");
        vb_buf_addf(o,
                    "<p class=\"muted\">Notes carrying each theme at the end of each week, by "
                    "commit date (UTC): the %zu theme%s with the most customers now",
                    lines, plural(lines));
        if (n > lines)
                vb_buf_addf(o, " of %zu; the others below, one small chart each", n);
        vb_buf_adds(o, ".</p>\n");
        themes_chart(s, o, "history-themes", t, lines, "Notes per theme over the commits", 1);
        if (n > lines) {
                struct vb_buf id = VB_BUF_INIT, title = VB_BUF_INIT;
                size_t w = h->nweeks;
                double *values = vb_calloc(w ? w : 1, sizeof(*values));
                vb_buf_adds(o, "<div class=\"multiples\">\n");
                for (size_t k = lines; k < n; k++) {
                        const char *label = t[k]->label && *t[k]->label ? t[k]->label : t[k]->key;
                        for (size_t i = 0; i < w; i++)
                                values[i] = t[k]->by_commit ? t[k]->by_commit[i] : 0;
                        vb_buf_reset(&id);
                        vb_buf_addf(&id, "history-theme-%zu", k);
                        vb_buf_reset(&title);
                        vb_buf_addf(&title, "%s: notes over the commits", label);
                        vb_buf_adds(o, "<figure>");
                        vb_svg_sparkline(o, id.ptr, title.ptr, values, w);
                        vb_buf_adds(o, "<figcaption>");
                        theme_name(s, o, "", t[k]);
                        vb_buf_addf(o, ": %zu note%s, %zu customer%s now</figcaption></figure>\n",
                                    t[k]->notes_now, plural(t[k]->notes_now), t[k]->customers_now,
                                    plural(t[k]->customers_now));
                }
                vb_buf_adds(o, "</div>\n");
                free(values);
                vb_buf_release(&title);
                vb_buf_release(&id);
        }
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

/* ---- the timeline: one row per week, newest first, paged ---- */

/* One theme's change in one week, or a rename of it. */
struct week_item {
        int64_t week;
        size_t theme;
        unsigned plus, minus;
        const struct vb_history_rename *rename;
};

/* Newest week first; in a week the renames, then the biggest change, then
 * the theme (themes are in key order). */
static int cmp_week_item(const void *x, const void *y)
{
        const struct week_item *a = x, *b = y;
        if (a->week != b->week)
                return a->week > b->week ? -1 : 1;
        if (!a->rename != !b->rename)
                return a->rename ? -1 : 1;
        if (a->plus + a->minus != b->plus + b->minus)
                return a->plus + a->minus > b->plus + b->minus ? -1 : 1;
        return a->theme < b->theme ? -1 : a->theme > b->theme;
}

/* Week, then renames first, then theme: what is summed is adjacent. */
static int cmp_week_theme(const void *x, const void *y)
{
        const struct week_item *a = x, *b = y;
        if (a->week != b->week)
                return a->week > b->week ? -1 : 1;
        if (!a->rename != !b->rename)
                return a->rename ? -1 : 1;
        if (a->theme != b->theme)
                return a->theme < b->theme ? -1 : 1;
        return a->rename && b->rename ? (a->rename < b->rename ? -1 : a->rename > b->rename) : 0;
}

struct timeline {
        struct week_item *items; /* sorted by cmp_week_item, one per week and theme */
        size_t nitems;
        size_t *week_start; /* nweeks + 1 offsets into items: the weeks with a change */
        size_t nweeks;
        size_t changed; /* commits that changed a theme */
};

static void timeline_build(const struct vb_history *h, struct timeline *tl)
{
        size_t cap = 0, n = 0;
        unsigned char *changed = vb_calloc(h->ncommits ? h->ncommits : 1, 1);
        for (size_t i = 0; i < h->nthemes; i++)
                cap += h->themes[i].nchanges + h->themes[i].nrenames;
        tl->items = vb_calloc(cap ? cap : 1, sizeof(*tl->items));
        for (size_t i = 0; i < h->nthemes; i++) {
                const struct vb_history_theme *t = &h->themes[i];
                for (size_t k = 0; k < t->nchanges; k++) {
                        const struct vb_history_change *c = &t->changes[k];
                        unsigned plus = c->added + c->tagged, minus = c->removed + c->untagged;
                        if (c->commit >= h->ncommits || (!plus && !minus))
                                continue;
                        changed[c->commit] = 1;
                        tl->items[n++] =
                            (struct week_item){h->commits[c->commit].week, i, plus, minus, NULL};
                }
                for (size_t k = 0; k < t->nrenames; k++)
                        if (t->renames[k].commit < h->ncommits)
                                tl->items[n++] = (struct week_item){
                                    h->commits[t->renames[k].commit].week, i, 0, 0, &t->renames[k]};
        }
        for (size_t c = 0; c < h->ncommits; c++)
                tl->changed += changed[c];
        free(changed);
        /* one item per week and theme: group, sum, then sort for reading */
        if (n)
                qsort(tl->items, n, sizeof(*tl->items), cmp_week_theme);
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
                struct week_item *e = &tl->items[i], *prev = m ? &tl->items[m - 1] : NULL;
                if (prev && !e->rename && !prev->rename && prev->week == e->week &&
                    prev->theme == e->theme) {
                        prev->plus += e->plus;
                        prev->minus += e->minus;
                } else {
                        tl->items[m++] = *e;
                }
        }
        if (m)
                qsort(tl->items, m, sizeof(*tl->items), cmp_week_item);
        tl->nitems = m;
        tl->week_start = vb_calloc(m + 1, sizeof(*tl->week_start));
        for (size_t i = 0; i < m; i++)
                if (!i || tl->items[i].week != tl->items[i - 1].week)
                        tl->week_start[tl->nweeks++] = i;
        tl->week_start[tl->nweeks] = m;
}

static void timeline_release(struct timeline *tl)
{
        free(tl->items);
        free(tl->week_start);
}

static void history_page_name(struct vb_buf *o, size_t page)
{
        if (page == 0)
                vb_buf_adds(o, "history.html");
        else
                vb_buf_addf(o, "history-%zu.html", page + 1);
}

/* "Newer weeks" / "Older weeks" links between the pages of the timeline. */
static void timeline_pager(struct vb_buf *o, size_t page, size_t pages)
{
        if (pages < 2)
                return;
        vb_buf_addf(o,
                    "<nav class=\"pager\" aria-label=\"Timeline pages\"><span>Page %zu of %zu"
                    "</span>",
                    page + 1, pages);
        if (page > 0) {
                vb_buf_adds(o, "<a href=\"");
                history_page_name(o, page - 1);
                vb_buf_adds(o, "#timeline\" rel=\"prev\">\xE2\x86\x90 Newer weeks</a>");
        }
        if (page + 1 < pages) {
                vb_buf_adds(o, "<a href=\"");
                history_page_name(o, page + 1);
                vb_buf_adds(o, "#timeline\" rel=\"next\">Older weeks \xE2\x86\x92</a>");
        }
        vb_buf_adds(o, "</nav>\n");
}

/* The commits of `week`, newest first: how many and by whom in the summary,
 * each one's date, id, subject and author inside (at most COMMITS_MAX). */
static void week_commits(struct vb_buf *o, const struct vb_history *h, int64_t week)
{
        const char *names[AUTHORS_MAX];
        size_t n = 0, nnames = 0, listed = 0;
        int more = 0;
        for (size_t c = h->ncommits; c-- > 0;) {
                const char *a = h->commits[c].author ? h->commits[c].author : "";
                size_t k;
                if (h->commits[c].week != week)
                        continue;
                n++;
                for (k = 0; k < nnames && strcmp(names[k], a); k++)
                        ;
                if (k == nnames && nnames < AUTHORS_MAX)
                        names[nnames++] = a;
                else if (k == nnames)
                        more = 1;
        }
        vb_buf_addf(o, "<td><details><summary>%zu commit%s by ", n, plural(n));
        for (size_t k = 0; k < nnames; k++) {
                if (k)
                        vb_buf_adds(o, k + 1 == nnames && !more ? " and " : ", ");
                vb_html_texts(o, names[k]);
        }
        if (more)
                vb_buf_adds(o, " and others");
        vb_buf_adds(o, "</summary>\n<ul>\n");
        for (size_t c = h->ncommits; c-- > 0 && listed < COMMITS_MAX;) {
                const struct vb_history_commit *hc = &h->commits[c];
                if (hc->week != week)
                        continue;
                listed++;
                vb_buf_adds(o, "<li>");
                commit_date(o, hc);
                vb_buf_adds(o, " ");
                commit_short(o, hc);
                vb_buf_adds(o, " ");
                vb_html_texts(o, hc->subject ? hc->subject : "");
                vb_buf_adds(o, " <span class=\"muted\">(");
                vb_html_texts(o, hc->author ? hc->author : "");
                vb_buf_adds(o, ")</span></li>\n");
        }
        if (n > listed)
                vb_buf_addf(o, "<li>and %zu more</li>\n", n - listed);
        vb_buf_adds(o, "</ul></details></td>");
}

static void timeline_week(struct rs_site *s, struct vb_buf *o, const struct timeline *tl, size_t w)
{
        const struct vb_history *h = s->h;
        const struct week_item *e = &tl->items[tl->week_start[w]];
        char label[16];
        vb_week_label(e->week, label);
        vb_buf_addf(o, "<tr><th scope=\"row\">%s <span class=\"muted\">from ", label);
        rs_date(o, vb_date_from_days(e->week * 7 + 4));
        vb_buf_adds(o, "</span></th>");
        week_commits(o, h, e->week);
        vb_buf_adds(o, "<td>");
        for (size_t i = tl->week_start[w]; i < tl->week_start[w + 1]; i++) {
                const struct week_item *it = &tl->items[i];
                if (i > tl->week_start[w])
                        vb_buf_adds(o, ", ");
                if (it->rename) {
                        vb_buf_adds(o, "renamed <code>");
                        vb_html_texts(o, it->rename->from);
                        vb_buf_adds(o, "</code> \xE2\x86\x92 <code>");
                        vb_html_texts(o, it->rename->to);
                        vb_buf_adds(o, "</code>");
                        continue;
                }
                if (it->plus)
                        vb_buf_addf(o, "+%u ", it->plus);
                if (it->minus)
                        vb_buf_addf(o, "\xE2\x88\x92%u ", it->minus);
                theme_name(s, o, "", &h->themes[it->theme]);
        }
        vb_buf_adds(o, "</td></tr>\n");
}

/* Page `page` of the timeline: WEEKS_PAGE weeks, newest first. */
static void history_timeline(struct rs_site *s, struct vb_buf *o, const struct timeline *tl,
                             size_t page, size_t pages)
{
        const struct vb_history *h = s->h;
        static const char *const head[] = {"Week", "Commits",
                                           "Themes (notes added + / removed \xE2\x88\x92)"};
        size_t first = page * WEEKS_PAGE, last = first + WEEKS_PAGE;
        if (last > tl->nweeks)
                last = tl->nweeks;
        vb_buf_adds(o,
                    "<section aria-labelledby=\"timeline\">\n<h2 id=\"timeline\">Timeline</h2>\n");
        vb_buf_addf(o,
                    "<p class=\"muted\">%zu of %zu commit%s changed themes, in %zu week%s; each "
                    "row sums a week's changes per theme",
                    tl->changed, h->ncommits, plural(h->ncommits), tl->nweeks, plural(tl->nweeks));
        if (pages > 1)
                vb_buf_addf(o, "; weeks %zu to %zu here, %d a page", first + 1, last, WEEKS_PAGE);
        vb_buf_adds(o, ". Newest first; weeks of committer dates in UTC.</p>\n");
        timeline_pager(o, page, pages);
        if (first < last) {
                vb_html_table_begin(o, NULL, head, 3);
                for (size_t w = first; w < last; w++)
                        timeline_week(s, o, tl, w);
                vb_html_table_end(o);
        }
        timeline_pager(o, page, pages);
        vb_buf_adds(o, "</section>\n");
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
        struct vb_buf *o = &s->page, name = VB_BUF_INIT, title = VB_BUF_INIT;
        struct timeline tl = {0};
        size_t pages;
        int rc;
        timeline_build(h, &tl);
        pages = tl.nweeks ? (tl.nweeks + WEEKS_PAGE - 1) / WEEKS_PAGE : 1;
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
        history_timeline(s, o, &tl, 0, pages);
        rc = rs_end(s, "history.html");
        for (size_t p = 1; p < pages && rc == VB_OK; p++) {
                vb_buf_reset(&title);
                vb_buf_addf(&title, "History: timeline, page %zu of %zu", p + 1, pages);
                rs_begin(s, title.ptr, NULL, "", RS_HISTORY);
                vb_buf_adds(o, "<p><a href=\"history.html\">The history</a>: themes over time "
                               "and every theme's first commit.</p>\n");
                history_timeline(s, o, &tl, p, pages);
                vb_buf_reset(&name);
                history_page_name(&name, p);
                rc = rs_end(s, name.ptr);
        }
        vb_buf_release(&title);
        vb_buf_release(&name);
        timeline_release(&tl);
        return rc;
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
        themes_chart(s, o, "theme-history", &t, 1, "Notes with this theme over the commits", 0);
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
