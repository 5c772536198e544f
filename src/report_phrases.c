/* The report's phrases: the phrases page and each theme's most frequent
 * phrases, from a phrase index built in memory over the conversations. */
#include "report_site.h"
#include "verbatim/html.h"
#include "verbatim/phrase.h"
#include "verbatim/pii.h"

#include <stdlib.h>
#include <string.h>

enum {
        TOP_PHRASES = 100,
        TOP_CLUSTERS = 50,
        THEME_PHRASES = 10,
        THEME_STARTS = 5,
        CLUSTER_EXAMPLES = 3
};

void rs_phrases_build(struct rs_site *s)
{
        struct vb_pnotes notes = VB_PNOTES_INIT;
        struct vb_pquote_in *quotes = NULL;
        size_t cap = 0;
        s->phrases = vb_calloc(1, sizeof(*s->phrases));
        for (size_t i = 0; i < s->kb->nnotes; i++) {
                const struct vb_note *n = s->kb->notes[i];
                struct vb_arena scratch = VB_ARENA_INIT;
                if (!vb_note_is_conversation(n))
                        continue;
                quotes = vb_grow_array(quotes, &cap, n->nquotes + 1, sizeof(*quotes));
                for (size_t q = 0; q < n->nquotes; q++) {
                        const char **themes = NULL;
                        quotes[q].nthemes = vb_quote_themes(n, q, &themes, &scratch);
                        quotes[q].themes = themes;
                        quotes[q].text = n->quotes[q].text;
                        quotes[q].line = n->quotes[q].pos.line;
                }
                /* the kb's notes outlive the index: borrow their strings */
                vb_pnotes_add(&notes, vb_pnote_new_block(n->id, n->path, n->date,
                                                         vb_phrase_segment(s->v, n), n->themes,
                                                         n->nthemes, quotes, n->nquotes));
                vb_arena_release(&scratch);
        }
        free(quotes);
        if (vb_phrase_index_build_flags(s->phrases, &notes, VB_PHRASE_NO_SEARCH) != VB_OK) {
                vb_phrase_index_release(s->phrases);
                free(s->phrases);
                s->phrases = NULL;
        }
        vb_pnotes_release(&notes);
}

void rs_phrases_free(struct rs_site *s)
{
        if (s->phrases) {
                vb_phrase_index_release(s->phrases);
                free(s->phrases);
                s->phrases = NULL;
        }
}

void rs_phrase_table(struct vb_buf *o, const struct vb_phrase_tops *tops, size_t max)
{
        static const char *const head[] = {"Phrase", "Notes", "Quotes", "First said", "Last said"};
        size_t n = tops->n < max ? tops->n : max;
        vb_html_table_begin(o, NULL, head, 5);
        for (size_t i = 0; i < n; i++) {
                const struct vb_phrase_top *t = &tops->v[i];
                /* the words as customers wrote them */
                vb_buf_adds(o, "<tr><td>\xE2\x80\x9C");
                vb_html_texts(o, t->phrase->surface);
                vb_buf_adds(o, "\xE2\x80\x9D</td>");
                rs_td_num(o, t->nnotes);
                rs_td_num(o, t->nocc);
                vb_buf_adds(o, "<td>");
                rs_date(o, t->first);
                vb_buf_adds(o, "</td><td>");
                rs_date(o, t->last);
                vb_buf_adds(o, "</td></tr>\n");
        }
        vb_html_table_end(o);
}

/* The theme's most predictable sentence starts: how its quotes begin, and
 * how they most often go on. */
static void theme_starts(struct vb_buf *o, const struct vb_phrase_index *ix, const char *theme)
{
        static const char *const head[] = {"Sentence start", "Notes", "Most often goes on", "Notes",
                                           "Share"};
        struct vb_phrase_starts st = VB_PHRASE_STARTS_INIT;
        vb_phrase_starts(&st, ix, theme, THEME_STARTS);
        vb_buf_adds(o, "<h2>How customers finish their sentences</h2>\n");
        if (!st.n) {
                vb_buf_adds(o, "<p>No sentence start recurs with the same ending in two or more "
                               "notes yet.</p>\n");
                vb_phrase_starts_release(&st);
                return;
        }
        vb_buf_adds(o, "<p class=\"muted\">The first words of the quotes' sentences said in "
                       "two or more notes, and the words that most often follow (share: of "
                       "the notes with that start).</p>\n");
        vb_html_table_begin(o, NULL, head, 5);
        for (size_t i = 0; i < st.n; i++) {
                const struct vb_phrase_start *x = &st.v[i];
                vb_buf_adds(o, "<tr><td>\xE2\x80\x9C");
                vb_html_texts(o, x->surface);
                vb_buf_adds(o, " \xE2\x80\xA6\xE2\x80\x9D</td>");
                rs_td_num(o, x->nnotes);
                vb_buf_adds(o, "<td>\xE2\x80\x9C\xE2\x80\xA6 ");
                vb_html_texts(o, x->next.surface);
                vb_buf_adds(o, "\xE2\x80\x9D</td>");
                rs_td_num(o, x->next.nnotes);
                vb_buf_addf(o, "<td class=\"num\">%zu&#8239;%%</td></tr>\n",
                            (x->next.nnotes * 100 + x->nnotes / 2) / x->nnotes);
        }
        vb_html_table_end(o);
        vb_phrase_starts_release(&st);
}

void rs_theme_phrases(struct rs_site *s, struct vb_buf *o, const char *theme)
{
        const struct vb_phrase_tops *tops;
        vb_buf_adds(o, "<h2>Customers' most frequent phrases</h2>\n");
        if (!s->phrases) {
                vb_buf_adds(o, "<p>The phrase index could not be built.</p>\n");
                return;
        }
        /* every theme's list is counted on the first call, in one pass */
        tops = vb_phrase_top_theme(s->phrases, theme);
        if (!tops->n)
                vb_buf_adds(o, "<p>No phrase recurs in two or more notes yet.</p>\n");
        else
                rs_phrase_table(o, tops, THEME_PHRASES);
        theme_starts(o, s->phrases, theme);
}

static void clusters(struct rs_site *s, struct vb_buf *o)
{
        const struct vb_phrase_index *ix = s->phrases;
        size_t n = ix->nclusters < TOP_CLUSTERS ? ix->nclusters : TOP_CLUSTERS;
        vb_buf_addf(o,
                    "<h2 id=\"clusters\">Similar quotes</h2>\n<p class=\"muted\">Groups of quotes "
                    "that share most of their words: %zu group%s; the largest %zu below.</p>\n",
                    ix->nclusters, ix->nclusters == 1 ? "" : "s", n);
        for (size_t i = 0; i < n; i++) {
                const struct vb_cluster *c = &ix->clusters[i];
                const struct vb_pnote *rn = ix->notes.v[c->rep.note];
                size_t shown = 0;
                vb_buf_adds(o, "<figure class=\"quote\"><blockquote><p>");
                vb_html_texts(o, rn->quotes[c->rep.quote].text);
                vb_buf_addf(o, "</p></blockquote><figcaption>%zu quote%s in %zu note%s, e.g. ",
                            c->nmembers, c->nmembers == 1 ? "" : "s", c->nnotes,
                            c->nnotes == 1 ? "" : "s");
                rs_link_note(s, o, "", rn->id);
                for (size_t k = 0; k < c->nmembers && shown < CLUSTER_EXAMPLES - 1; k++) {
                        const struct vb_pnote *mn = ix->notes.v[c->members[k].note];
                        if (c->members[k].note == c->rep.note)
                                continue;
                        vb_buf_adds(o, ", ");
                        rs_link_note(s, o, "", mn->id);
                        shown++;
                }
                vb_buf_adds(o, "</figcaption></figure>\n");
        }
}

int rs_phrases_page(struct rs_site *s)
{
        struct vb_buf *o = &s->page;
        rs_begin(s, "Phrases", NULL, "", RS_PHRASES);
        vb_buf_adds(o,
                    "<p class=\"lead\">The customers' own words, ready for copy: phrases of 2 to "
                    "6 words said in at least two conversations, and groups of similar "
                    "quotes.</p>\n");
        if (!s->phrases) {
                vb_buf_adds(o, "<p>The phrase index could not be built.</p>\n");
        } else {
                struct vb_phrase_tops tops = VB_PHRASE_TOPS_INIT;
                vb_phrase_top(&tops, s->phrases, NULL);
                vb_buf_addf(o,
                            "<h2 id=\"top\">Top phrases</h2>\n<p class=\"muted\">%zu recurring "
                            "phrase%s; the first %zu below.</p>\n",
                            tops.n, tops.n == 1 ? "" : "s",
                            tops.n < TOP_PHRASES ? tops.n : TOP_PHRASES);
                if (tops.n)
                        rs_phrase_table(o, &tops, TOP_PHRASES);
                free(tops.v);
                clusters(s, o);
        }
        return rs_end(s, "phrases.html");
}

void rs_phrases_json(const struct rs_site *s, struct vb_buf *out)
{
        struct vb_phrase_tops tops = VB_PHRASE_TOPS_INIT;
        struct vb_buf red = VB_BUF_INIT;
        char date[16];
        if (!s->phrases)
                return;
        vb_phrase_top(&tops, s->phrases, NULL);
        vb_buf_adds(out, "\"phrases\": [");
        for (size_t i = 0; i < tops.n; i++) {
                const struct vb_phrase_top *t = &tops.v[i];
                vb_buf_adds(out, i ? ",\n  {\"phrase\":" : "\n  {\"phrase\":");
                vb_buf_reset(&red);
                vb_pii_redact(&red, t->phrase->text, strlen(t->phrase->text));
                vb_buf_add_json(out, red.ptr, red.len);
                vb_buf_adds(out, ",\"text\":");
                vb_buf_reset(&red);
                vb_pii_redact(&red, t->phrase->surface, strlen(t->phrase->surface));
                vb_buf_add_json(out, red.ptr, red.len);
                vb_buf_addf(out, ",\"notes\":%zu,\"quotes\":%zu,\"first\":", t->nnotes, t->nocc);
                if (vb_date_is_set(t->first)) {
                        vb_date_format(t->first, date);
                        vb_buf_addf(out, "\"%s\",\"last\":", date);
                } else {
                        vb_buf_adds(out, "null,\"last\":");
                }
                if (vb_date_is_set(t->last)) {
                        vb_date_format(t->last, date);
                        vb_buf_addf(out, "\"%s\"}", date);
                } else {
                        vb_buf_adds(out, "null}");
                }
        }
        vb_buf_adds(out, "]");
        vb_buf_release(&red);
        free(tops.v);
}
