/* The report's page frame and the helpers every page writer shares: the
 * navigation, beginning and ending a page (whole or in pieces), the names of
 * and links to pages, numbers, dates, trends and small tables.  It calls no
 * page writer: report.c orchestrates, the page writers (report_*.c) call
 * down into this file. */
#include "report_site.h"
#include "verbatim/html.h"
#include "verbatim/svg.h"
#include "verbatim/trend.h"

#include <stdlib.h>
#include <string.h>

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
        static const struct vb_html_nav search = {"search.html", "Search", false};
        struct vb_html_nav nav[sizeof(nav_template) / sizeof(nav_template[0]) + 1];
        size_t n = sizeof(nav_template) / sizeof(nav_template[0]) - (s->h ? 0 : 1);
        struct vb_html_page p = {NULL, root, s->title, nav, n};
        memcpy(nav, nav_template, sizeof(nav_template));
        if ((size_t)current < p.nav_n)
                nav[current].current = true;
        if (s->search) {
                nav[p.nav_n] = search;
                nav[p.nav_n++].current = current == RS_SEARCH;
        }
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

int rs_has_note_page(const struct rs_site *s, const char *id)
{
        const struct rs_notes *ns = s->notes;
        size_t lo = 0, hi = ns ? ns->n : 0;
        if (!id)
                return 0;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                int c = strcmp(ns->ids[ns->by_id[mid]], id);
                if (!c)
                        return 1;
                if (c < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return 0;
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

void rs_direction(struct vb_buf *o, const struct vb_theme_stats *t)
{
        switch (t->trend.verdict) {
        case VB_TREND_TOO_FEW:
                vb_buf_adds(o, "<span class=\"muted\">too few to tell</span>");
                return;
        case VB_TREND_NEW:
                vb_buf_adds(o, "<span class=\"up\">\xE2\x86\x91 new</span>");
                return;
        case VB_TREND_RISING:
                vb_buf_adds(o, "<span class=\"up\">\xE2\x86\x91 rising</span>");
                return;
        case VB_TREND_FADING:
                vb_buf_adds(o, "<span class=\"down\">\xE2\x86\x93 fading</span>");
                return;
        case VB_TREND_STEADY:
                break;
        }
        vb_buf_adds(o, "\xE2\x86\x92 steady");
}

void rs_trend(struct vb_buf *o, const struct vb_theme_stats *t)
{
        rs_direction(o, t);
        if (t->trend.verdict == VB_TREND_TOO_FEW)
                return;
        vb_buf_adds(o, " <span class=\"muted\">(");
        rs_percent(o, t->share_recent);
        vb_buf_adds(o, " vs ");
        rs_percent(o, t->share_before);
        vb_buf_adds(o, ")</span>");
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
