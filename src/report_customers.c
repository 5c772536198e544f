/* A page per customer (customers/<name>.html): every call with that
 * customer in date order, the follow-up chain both ways, the roadmap items
 * their calls support and what they said after an item shipped.  Also the
 * index of follow-ups that note pages and customer pages read ("followed
 * by").  Everything is computed in one sort of the notes, never a scan of
 * all notes per customer. */
#include "report_site.h"
#include "verbatim/html.h"
#include "verbatim/pii.h"

#include <stdlib.h>
#include <string.h>

int rs_customer_linked(const char *customer)
{
        size_t len, start, end;
        if (!customer || !*customer)
                return 0;
        len = strlen(customer);
        /* an id that is personal data gets no page and gives no file name */
        return !vb_pii_possible(customer, len) ||
               vb_pii_find(customer, len, 0, &start, &end) == VB_PII_NONE;
}

void rs_customer_name(struct vb_buf *o, const char *customer)
{
        rs_page_name(o, "customers/", customer);
}

void rs_link_customer(struct rs_site *s, struct vb_buf *o, const char *root, const char *customer,
                      const char *lead)
{
        if (!rs_customer_linked(customer)) {
                vb_html_texts(o, customer ? customer : "");
                return;
        }
        vb_buf_reset(&s->tmp);
        rs_customer_name(&s->tmp, customer);
        vb_buf_adds(o, "<a href=\"");
        vb_buf_adds(o, root);
        vb_buf_add(o, s->tmp.ptr, s->tmp.len);
        vb_buf_adds(o, ".html\">");
        if (lead)
                vb_html_texts(o, lead);
        vb_html_texts(o, customer);
        vb_buf_adds(o, "</a>");
}

/* Date order: dated calls by date (undated last), then by id. */
static int call_cmp(const struct vb_note *x, const struct vb_note *y)
{
        int dx = vb_date_is_set(x->date), dy = vb_date_is_set(y->date);
        if (dx != dy)
                return dx ? -1 : 1;
        if (dx) {
                int c = vb_date_cmp(x->date, y->date);
                if (c)
                        return c;
        }
        return strcmp(x->id, y->id);
}

static int follower_cmp(const void *a, const void *b)
{
        const struct vb_note *x = *(const struct vb_note *const *)a;
        const struct vb_note *y = *(const struct vb_note *const *)b;
        int c = strcmp(x->follows.value, y->follows.value);
        return c ? c : call_cmp(x, y);
}

static int by_customer_cmp(const void *a, const void *b)
{
        const struct vb_note *x = *(const struct vb_note *const *)a;
        const struct vb_note *y = *(const struct vb_note *const *)b;
        int c = strcmp(x->customer.value, y->customer.value);
        return c ? c : call_cmp(x, y);
}

void rs_followers_build(struct rs_notes *ns, const struct vb_kb *kb)
{
        size_t n = 0;
        for (size_t i = 0; i < kb->nnotes; i++)
                n += kb->notes[i]->follows.value && *kb->notes[i]->follows.value;
        ns->followers = vb_calloc(n + 1, sizeof(*ns->followers));
        for (size_t i = 0, k = 0; i < kb->nnotes; i++)
                if (kb->notes[i]->follows.value && *kb->notes[i]->follows.value)
                        ns->followers[k++] = kb->notes[i];
        ns->nfollowers = n;
        qsort(ns->followers, n, sizeof(*ns->followers), follower_cmp);
}

size_t rs_followers(const struct rs_site *s, const char *id, const struct vb_note *const **first)
{
        const struct rs_notes *ns = s->notes;
        size_t lo = 0, hi = ns ? ns->nfollowers : 0, end;
        *first = NULL;
        if (!id)
                return 0;
        while (lo < hi) { /* the first whose follows: is not below id */
                size_t mid = lo + (hi - lo) / 2;
                if (strcmp(ns->followers[mid]->follows.value, id) < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        for (end = lo; end < ns->nfollowers && !strcmp(ns->followers[end]->follows.value, id);)
                end++;
        *first = ns->followers + lo;
        return end - lo;
}

static const char *verdict_name(unsigned char v)
{
        switch (v) {
        case VB_VERDICT_SOLVED:
                return "solved";
        case VB_VERDICT_PARTLY:
                return "partly";
        case VB_VERDICT_NOT_SOLVED:
                return "not solved";
        default:
                return NULL;
        }
}

/* A link to a note's page, or its id as text when it has none. */
static void call_link(struct rs_site *s, struct vb_buf *o, const char *id)
{
        if (rs_has_note_page(s, id))
                rs_link_note(s, o, "../", id);
        else
                vb_html_texts(o, id);
}

/* "2026-11-03, <link>" */
static void dated_call(struct rs_site *s, struct vb_buf *o, const struct vb_note *c)
{
        rs_date(o, c->date);
        vb_buf_adds(o, ", ");
        call_link(s, o, c->id);
}

static void chain_cells(struct rs_site *s, struct vb_buf *o, const struct vb_note *n)
{
        const struct vb_note *const *f;
        size_t nf = rs_followers(s, n->id, &f);
        vb_buf_adds(o, "<td>");
        if (n->follows.value && *n->follows.value)
                call_link(s, o, n->follows.value);
        vb_buf_adds(o, "</td><td>");
        for (size_t k = 0; k < nf; k++) {
                if (k)
                        vb_buf_adds(o, ", ");
                call_link(s, o, f[k]->id);
        }
        vb_buf_adds(o, "</td>");
}

static void calls_table(struct rs_site *s, struct vb_buf *o, const struct vb_note *const *calls,
                        size_t n)
{
        static const char *const head[] = {"Date",    "Call",        "Segment",
                                           "Outcome", "LTV tier",    "Themes",
                                           "Follows", "Followed by", "Verdict"};
        vb_buf_adds(o, "<h2 id=\"calls\">Calls</h2>\n");
        vb_html_table_begin(o, NULL, head, 9);
        for (size_t i = 0; i < n; i++) {
                const struct vb_note *c = calls[i];
                const char *verdict = verdict_name(c->verdict);
                vb_buf_adds(o, "<tr><td class=\"date\">");
                rs_date(o, c->date);
                vb_buf_adds(o, "</td><td>");
                call_link(s, o, c->id);
                vb_buf_adds(o, "</td><td>");
                if (rs_note_segment_linked(s->v, c)) {
                        const struct vb_segment *g = vb_vocab_segment(s->v, c->segment.value);
                        rs_link_segment(s, o, "../", c->segment.value,
                                        g && g->label ? g->label : c->segment.value);
                }
                vb_buf_adds(o, "</td><td>");
                vb_buf_adds(o, vb_note_is_conversation(c) ? "conversation" : "attempt: ");
                if (!vb_note_is_conversation(c))
                        vb_buf_adds(o, rs_outcome_name(c->outcome));
                vb_buf_adds(o, "</td><td>");
                vb_html_texts(o, vb_vocab_ltv_tier(s->v, c->has_ltv, c->ltv));
                vb_buf_adds(o, "</td><td>");
                for (size_t k = 0; vb_note_is_conversation(c) && k < c->nthemes; k++) {
                        if (k)
                                vb_buf_adds(o, ", ");
                        if (vb_agg_theme(s->a, c->themes[k]))
                                rs_link_theme(s, o, "../", c->themes[k],
                                              vb_vocab_theme_label(s->v, c->themes[k]));
                        else
                                vb_html_texts(o, c->themes[k]);
                }
                vb_buf_adds(o, "</td>");
                chain_cells(s, o, c);
                vb_buf_adds(o, "<td>");
                if (verdict)
                        vb_buf_adds(o, verdict);
                vb_buf_adds(o, "</td></tr>\n");
        }
        vb_html_table_end(o);
}

static void call_quotes(struct vb_buf *o, const struct vb_note *c)
{
        for (size_t q = 0; q < c->nquotes; q++) {
                vb_buf_adds(o, "<figure class=\"quote\"><blockquote><p>");
                vb_html_texts(o, c->quotes[q].text);
                vb_buf_adds(o, "</p></blockquote></figure>\n");
        }
}

static void said(struct rs_site *s, struct vb_buf *o, const struct vb_note *const *calls, size_t n)
{
        size_t shown = 0;
        for (size_t i = 0; i < n; i++) {
                const struct vb_note *c = calls[i];
                if (!vb_note_is_conversation(c) || !c->nquotes)
                        continue;
                if (!shown++)
                        vb_buf_adds(o, "<h2 id=\"quotes\">What they said</h2>\n");
                vb_buf_adds(o, "<h3>");
                dated_call(s, o, c);
                vb_buf_adds(o, "</h3>\n");
                call_quotes(o, c);
        }
        if (!shown)
                vb_buf_adds(o, "<h2 id=\"quotes\">What they said</h2>\n<p>No quote: no "
                               "conversation with this customer has a block quote.</p>\n");
}

/* The customer's calls dated after the item shipped, with their verdicts
 * and quotes. */
static void after_shipped(struct rs_site *s, struct vb_buf *o, const struct vb_roadmap_item *it,
                          const struct vb_note *const *calls, size_t n)
{
        size_t shown = 0;
        for (size_t i = 0; i < n; i++) {
                const struct vb_note *c = calls[i];
                const char *verdict = verdict_name(c->verdict);
                if (!vb_date_is_set(c->date) || vb_date_cmp(c->date, it->shipped) <= 0)
                        continue;
                if (!shown++) {
                        vb_buf_adds(o, "<p>After it shipped (");
                        rs_date(o, it->shipped);
                        vb_buf_adds(o, "):</p>\n<ul>\n");
                }
                vb_buf_adds(o, "<li>");
                dated_call(s, o, c);
                vb_buf_adds(o, ": ");
                vb_buf_adds(o, vb_note_is_conversation(c) ? "conversation"
                                                          : rs_outcome_name(c->outcome));
                vb_buf_addf(o, ", verdict: <strong>%s</strong>", verdict ? verdict : "not given");
                vb_buf_adds(o, "\n");
                if (vb_note_is_conversation(c))
                        call_quotes(o, c);
                vb_buf_adds(o, "</li>\n");
        }
        if (shown)
                vb_buf_adds(o, "</ul>\n");
        else {
                vb_buf_adds(o, "<p>Not heard since it shipped (");
                rs_date(o, it->shipped);
                vb_buf_adds(o, "): a customer to call back.</p>\n");
        }
}

static void roadmap(struct rs_site *s, struct vb_buf *o, const struct vb_note *const *calls,
                    size_t n)
{
        const struct vb_roadmap_item **items = NULL;
        size_t nitems = 0, cap = 0;
        for (size_t i = 0; i < n; i++)
                for (unsigned k = 0; k < calls[i]->nroadmap; k++) {
                        const char *id = calls[i]->roadmap[k].value;
                        const struct vb_roadmap_item *it =
                            id && *id ? vb_vocab_roadmap_item(s->v, id) : NULL;
                        size_t j = 0;
                        while (it && j < nitems && items[j] != it)
                                j++;
                        if (!it || j < nitems)
                                continue;
                        items = vb_grow_array(items, &cap, nitems + 1, sizeof(*items));
                        items[nitems++] = it;
                }
        vb_buf_adds(o, "<h2 id=\"roadmap\">Roadmap items their calls support</h2>\n");
        if (!nitems)
                vb_buf_adds(o, "<p>None: no call with this customer names a roadmap item in "
                               "<code>roadmap:</code>.</p>\n");
        for (size_t j = 0; j < nitems; j++) {
                const struct vb_roadmap_item *it = items[j];
                vb_buf_adds(o, "<h3><a href=\"../roadmap.html#item-");
                vb_safe_name(o, it->id);
                vb_buf_adds(o, "\">");
                vb_html_texts(o, it->title ? it->title : it->id);
                vb_buf_adds(o, "</a> <span class=\"muted\">(");
                vb_html_texts(o, it->status ? it->status : "no status");
                vb_buf_adds(o, ")</span></h3>\n<p>Named by: ");
                for (size_t i = 0, shown = 0; i < n; i++)
                        for (unsigned k = 0; k < calls[i]->nroadmap; k++) {
                                const char *id = calls[i]->roadmap[k].value;
                                if (!id || strcmp(id, it->id))
                                        continue;
                                if (shown++)
                                        vb_buf_adds(o, ", ");
                                call_link(s, o, calls[i]->id);
                                break;
                        }
                vb_buf_adds(o, ".</p>\n");
                if (vb_date_is_set(it->shipped))
                        after_shipped(s, o, it, calls, n);
        }
        free(items);
}

static int customer_page(struct rs_site *s, const struct vb_note *const *calls, size_t n,
                         struct vb_buf *path)
{
        struct vb_buf *o = &s->page;
        const char *who = calls[0]->customer.value;
        size_t conversations = 0;
        const struct vb_note *valued = NULL; /* the latest call with ltv: */
        for (size_t i = 0; i < n; i++) {
                conversations += vb_note_is_conversation(calls[i]) != 0;
                if (calls[i]->has_ltv)
                        valued = calls[i];
        }
        vb_buf_reset(path);
        rs_customer_name(path, who);
        vb_buf_adds(path, ".html");
        struct vb_buf title = VB_BUF_INIT;
        vb_buf_adds(&title, "Customer ");
        vb_buf_adds(&title, who);
        rs_begin(s, title.ptr, NULL, "../", RS_OTHER);
        vb_buf_release(&title);
        rs_long_page(s, path->ptr);
        vb_buf_addf(o, "<p class=\"lead\">%zu call%s, %zu conversation%s", n, n == 1 ? "" : "s",
                    conversations, conversations == 1 ? "" : "s");
        if (vb_date_is_set(calls[0]->date)) {
                vb_buf_adds(o, ", from ");
                rs_date(o, calls[0]->date);
                for (size_t i = n; i-- > 0;)
                        if (vb_date_is_set(calls[i]->date)) {
                                vb_buf_adds(o, " to ");
                                rs_date(o, calls[i]->date);
                                break;
                        }
        }
        vb_buf_adds(o, "; LTV tier: ");
        vb_html_texts(o, vb_vocab_ltv_tier(s->v, valued != NULL, valued ? valued->ltv : 0));
        vb_buf_adds(o, valued ? " (from the latest call with <code>ltv:</code>).</p>\n"
                              : " (no call gives <code>ltv:</code>).</p>\n");
        calls_table(s, o, calls, n);
        rs_row(s);
        said(s, o, calls, n);
        rs_row(s);
        roadmap(s, o, calls, n);
        return rs_end(s, path->ptr);
}

int rs_customer_pages(struct rs_site *s)
{
        const struct vb_kb *kb = s->kb;
        const struct vb_note **calls = vb_calloc(kb->nnotes + 1, sizeof(*calls));
        struct vb_buf path = VB_BUF_INIT;
        size_t n = 0;
        int rc = VB_OK;
        for (size_t i = 0; i < kb->nnotes; i++)
                if (rs_customer_linked(kb->notes[i]->customer.value))
                        calls[n++] = kb->notes[i];
        qsort(calls, n, sizeof(*calls), by_customer_cmp);
        for (size_t i = 0, j; rc == VB_OK && i < n; i = j) {
                for (j = i + 1;
                     j < n && !strcmp(calls[j]->customer.value, calls[i]->customer.value);)
                        j++;
                rc = customer_page(s, calls + i, j - i, &path);
        }
        vb_buf_release(&path);
        free(calls);
        return rc;
}
