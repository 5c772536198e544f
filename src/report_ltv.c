/* The report's customer-value pages: the LTV dual track, on the overview
 * (the top three each way) and on its own page, ltv.html. */
#include "report_site.h"
#include "verbatim/html.h"
#include "verbatim/ltv.h"

#include <string.h>

static void rows(struct rs_site *s, struct vb_buf *o, const char *caption,
                 const struct vb_ltv_track *t, const struct vb_ltv_theme *v, size_t n)
{
        const char *head[] = {
            "Theme", "Conversations in the top tier", "Share", "In the lowest", "Share", "Ratio"};
        vb_html_table_begin(o, caption, head, 6);
        for (size_t i = 0; i < n; i++) {
                vb_buf_adds(o, "<tr><th scope=\"row\">");
                rs_link_theme(s, o, "", v[i].theme->key, v[i].theme->label);
                vb_buf_adds(o, "</th>");
                rs_td_num(o, v[i].high_notes);
                vb_buf_adds(o, "<td class=\"num\">");
                rs_percent(o, v[i].high_share);
                vb_buf_adds(o, "</td>");
                rs_td_num(o, v[i].low_notes);
                vb_buf_adds(o, "<td class=\"num\">");
                rs_percent(o, v[i].low_share);
                if (v[i].ranked)
                        vb_buf_addf(o, "</td><td class=\"num\">&times;%.2f</td></tr>\n",
                                    v[i].ratio);
                else
                        vb_buf_adds(o, "</td><td class=\"muted\">too few to tell</td></tr>\n");
        }
        vb_html_table_end(o);
        (void)t;
}

/* "high" (180 conversations) against "low" (920 conversations). */
static void tiers_sentence(struct vb_buf *o, const struct vb_ltv_track *t)
{
        vb_buf_adds(o, "<p>Customers of the top LTV tier (<strong>");
        vb_html_texts(o, t->high);
        vb_buf_addf(o, "</strong>, %zu conversations) against the lowest (<strong>",
                    t->high_conversations);
        vb_html_texts(o, t->low);
        vb_buf_addf(o,
                    "</strong>, %zu conversations): each theme's share of the tier's "
                    "conversations, and the ratio of the two shares. Themes with fewer than %d "
                    "conversations in either tier are not ranked.</p>\n",
                    t->low_conversations, VB_LTV_MIN_NOTES);
}

static int enough(struct vb_buf *o, const struct vb_ltv_track *t)
{
        if (!t->high) {
                vb_buf_adds(o, "<p>Not enough data: <code>ltv-tiers:</code> in verbatim.yml has "
                               "fewer than two tiers.</p>\n");
                return 0;
        }
        if (!t->high_conversations || !t->low_conversations) {
                vb_buf_adds(o, "<p>Not enough data: no conversation yet with a customer of the ");
                vb_html_texts(o, !t->high_conversations ? t->high : t->low);
                vb_buf_adds(o, " LTV tier (<code>ltv:</code> in the notes).</p>\n");
                return 0;
        }
        return 1;
}

void rs_ltv_summary(struct rs_site *s, struct vb_buf *o)
{
        struct vb_ltv_track t;
        vb_ltv_track_build(&t, s->a);
        vb_buf_adds(o, "<section aria-labelledby=\"ltv\">\n<h2 id=\"ltv\">Customer value: what "
                       "high- and low-LTV customers raise</h2>\n");
        if (enough(o, &t)) {
                tiers_sentence(o, &t);
                if (t.nhigh_first)
                        rows(s, o, "Raised more by the top tier", &t, t.high_first,
                             t.nhigh_first < 3 ? t.nhigh_first : 3);
                if (t.nlow_first)
                        rows(s, o, "Raised more by the lowest tier", &t, t.low_first,
                             t.nlow_first < 3 ? t.nlow_first : 3);
                if (!t.nhigh_first && !t.nlow_first)
                        vb_buf_adds(o, "<p>Too few conversations in the two tiers to rank a "
                                       "theme.</p>\n");
        }
        vb_buf_adds(o,
                    "<p><a href=\"ltv.html\">Every theme by customer value</a></p>\n</section>\n");
        vb_ltv_track_release(&t);
}

int rs_ltv_page(struct rs_site *s)
{
        struct vb_buf *o = &s->page;
        struct vb_ltv_track t;
        rs_begin(s, "Customer value", NULL, "", RS_OTHER);
        vb_ltv_track_build(&t, s->a);
        if (enough(o, &t)) {
                tiers_sentence(o, &t);
                vb_buf_adds(o, "<h2>Raised more by the top tier</h2>\n");
                if (t.nhigh_first)
                        rows(s, o, NULL, &t, t.high_first, t.nhigh_first);
                else
                        vb_buf_adds(o, "<p>None.</p>\n");
                vb_buf_adds(o, "<h2>Raised more by the lowest tier</h2>\n");
                if (t.nlow_first)
                        rows(s, o, NULL, &t, t.low_first, t.nlow_first);
                else
                        vb_buf_adds(o, "<p>None.</p>\n");
                vb_buf_adds(o, "<h2>Too few to tell</h2>\n");
                if (t.ntoo_few)
                        rows(s, o, NULL, &t, t.too_few, t.ntoo_few);
                else
                        vb_buf_adds(o, "<p>None.</p>\n");
        }
        vb_ltv_track_release(&t);
        return rs_end(s, "ltv.html");
}
