/* The phrase index made cheaper for the report: records that borrow their
 * strings, a build without the search index, the top phrases of every theme
 * in one pass, and counting on a corpus large enough to grow the tables. */
#include "verbatim/phrase.h"
#include "t.h"

#include <stdlib.h>
#include <string.h>

static struct vb_date day(int y, int m, int d)
{
        struct vb_date x = {y, m, d};
        return x;
}

static void test_borrowing(void)
{
        char id[] = "n1", path[] = "calls/n1.md", seg[] = "buyer", theme[] = "fit";
        char text[] = "I wasn't sure about the size", qtheme[] = "fit-uncertainty";
        unsigned char oid[20];
        struct vb_pnote *n, *c;
        struct vb_pquote *q;
        memset(oid, 7, sizeof oid);
        n = vb_pnote_new_borrowing(id, path, oid, day(2026, 5, 1), seg);
        vb_pnote_add_theme(n, theme);
        q = vb_pnote_add_quote(n, text, 12);
        vb_pquote_add_theme(q, qtheme);
        T_INT(n->borrowed, 1);
        T_TRUE(n->id == id);
        T_TRUE(n->path == path);
        T_TRUE(n->segment == seg);
        T_TRUE(n->themes[0] == theme);
        T_INT(n->quotes[0].borrowed, 1);
        T_TRUE(n->quotes[0].text == text);
        T_TRUE(n->quotes[0].themes[0] == qtheme);
        T_INT(n->quotes[0].line, 12);
        T_INT(n->oid[19], 7);

        /* a clone owns copies */
        c = vb_pnote_clone(n);
        T_INT(c->borrowed, 0);
        T_INT(c->quotes[0].borrowed, 0);
        T_TRUE(c->id != id);
        T_STR(c->id, "n1");
        T_TRUE(c->quotes[0].text != text);
        T_STR(c->quotes[0].text, "I wasn't sure about the size");
        T_TRUE(c->quotes[0].themes[0] != qtheme);
        T_STR(c->quotes[0].themes[0], "fit-uncertainty");
        T_STR(c->segment, "buyer");
        vb_pnote_free(c);
        vb_pnote_free(n); /* frees the arrays only (ASan would see a bad free) */
        T_STR(text, "I wasn't sure about the size");

        /* an empty segment is absent, as with vb_pnote_new */
        n = vb_pnote_new_borrowing(NULL, NULL, NULL, day(0, 0, 0), "");
        T_TRUE(n->segment == NULL);
        T_STR(n->id, "");
        T_STR(n->path, "");
        vb_pnote_free(n);
}

/* The notes of test_phrase.c's cluster tests: n1, n2, n4 say the same about
 * the size; n5, n6 about shipping.  `borrow`: records borrowing the strings
 * (string literals, which outlive everything). */
static void cluster_notes(struct vb_pnotes *v, int borrow)
{
        static const struct {
                const char *id, *seg;
                int m, d;
                const char *text;
                unsigned line;
                const char *themes[2];
        } q[] = {
            {"n6", "abandoner", 5, 6, "Shipping cost more than the socks", 7, {"shipping-cost", 0}},
            {"n1", "abandoner", 5, 1, "I wasn't sure about the size", 12, {"fit-uncertainty", 0}},
            {"n2", "buyer", 5, 2, "wasn't sure about the size at all", 9, {"fit-uncertainty", 0}},
            {"n3", "abandoner", 5, 3, "not sure about the price", 9, {"price", 0}},
            {"n4", "returner", 4, 30, "Size? wasn't sure, honestly", 11, {"fit-uncertainty", 0}},
            {"n4", 0, 0, 0, "the of and", 13, {0, 0}},
            {"n5",
             "abandoner",
             5,
             5,
             "Shipping was more than the socks",
             8,
             {"shipping-cost", "price"}},
        };
        struct vb_pnote *n = NULL;
        size_t i, k;
        for (i = 0; i < sizeof q / sizeof *q; i++) {
                struct vb_pquote *pq;
                if (q[i].seg) {
                        unsigned char oid[20];
                        memset(oid, (int)(v->n + 1), sizeof oid);
                        n = borrow ? vb_pnote_new_borrowing(q[i].id, q[i].id, oid,
                                                            day(2026, q[i].m, q[i].d), q[i].seg)
                                   : vb_pnote_new(q[i].id, q[i].id, oid, day(2026, q[i].m, q[i].d),
                                                  q[i].seg);
                        vb_pnotes_add(v, n);
                }
                pq = vb_pnote_add_quote(n, q[i].text, q[i].line);
                for (k = 0; k < 2 && q[i].themes[k]; k++)
                        vb_pquote_add_theme(pq, q[i].themes[k]);
        }
}

static int same_date(struct vb_date a, struct vb_date b)
{
        return a.year == b.year && a.month == b.month && a.day == b.day;
}

/* 1 if the two indexes have the same phrases and clusters. */
static int same_index(const struct vb_phrase_index *a, const struct vb_phrase_index *b)
{
        size_t i, k;
        if (a->nphrases != b->nphrases || a->nclusters != b->nclusters)
                return 0;
        for (i = 0; i < a->nphrases; i++) {
                const struct vb_phrase *x = &a->phrases[i], *y = &b->phrases[i];
                if (strcmp(x->text, y->text) || x->nwords != y->nwords || x->nnotes != y->nnotes ||
                    x->nocc != y->nocc || !same_date(x->first, y->first) ||
                    !same_date(x->last, y->last))
                        return 0;
                for (k = 0; k < x->nocc; k++)
                        if (x->occ[k].note != y->occ[k].note || x->occ[k].quote != y->occ[k].quote)
                                return 0;
        }
        for (i = 0; i < a->nclusters; i++) {
                const struct vb_cluster *x = &a->clusters[i], *y = &b->clusters[i];
                if (x->nmembers != y->nmembers || x->nnotes != y->nnotes ||
                    x->rep.note != y->rep.note || x->rep.quote != y->rep.quote)
                        return 0;
                for (k = 0; k < x->nmembers; k++)
                        if (x->members[k].note != y->members[k].note ||
                            x->members[k].quote != y->members[k].quote)
                                return 0;
        }
        return 1;
}

static void test_no_search(void)
{
        struct vb_pnotes v = VB_PNOTES_INIT, w = VB_PNOTES_INIT;
        struct vb_phrase_index full, lean;
        struct vb_phrase_hits h = VB_PHRASE_HITS_INIT;
        struct vb_diags d = VB_DIAGS_INIT;
        cluster_notes(&v, 0);
        cluster_notes(&w, 1);
        T_INT(vb_phrase_index_build_flags(&full, &v, 0), VB_OK);
        T_INT(vb_phrase_index_build_flags(&lean, &w, VB_PHRASE_NO_SEARCH), VB_OK);
        T_INT(w.n, 0);
        T_TRUE(full.words != NULL);
        T_TRUE(lean.words == NULL);
        T_INT(lean.nphrases, 3);
        T_INT(lean.nclusters, 2);
        T_TRUE(same_index(&full, &lean));
        if (lean.nphrases == 3) {
                T_STR(lean.phrases[0].text, "wasnt sure");
                T_STR(lean.phrases[1].text, "wasnt sure about the size");
                T_STR(lean.phrases[2].text, "more than the socks");
        }
        T_TRUE(lean.notes.v[0]->borrowed);

        /* no search index: the same hits, found by reading every quote; an
         * empty query is an error */
        T_INT(vb_phrase_search(&h, &lean, "SIZE sure", NULL, &d), VB_OK);
        T_INT(h.n, 3);
        vb_phrase_hits_release(&h);
        T_INT(vb_phrase_search(&h, &lean, "...", NULL, &d), VB_ERR);
        T_INT(d.errors, 1);
        /* ... and with the search index once it is prepared */
        vb_phrase_index_prepare(&lean);
        T_TRUE(lean.words != NULL);
        T_INT(vb_phrase_search(&h, &lean, "SIZE sure", NULL, &d), VB_OK);
        T_INT(h.n, 3); /* by date: n4 (April), n1, n2 */
        if (h.n == 3) {
                T_STR(h.v[0].note->id, "n4");
                T_STR(h.v[1].note->id, "n1");
                T_STR(h.v[2].note->id, "n2");
        }
        vb_phrase_hits_release(&h);
        vb_diags_release(&d);
        vb_phrase_index_release(&full);
        vb_phrase_index_release(&lean);
}

/* 1 if `got` is what vb_phrase_top gives for the theme filter. */
static int same_as_filtered(const struct vb_phrase_index *ix, const char *theme,
                            const struct vb_phrase_tops *got)
{
        struct vb_phrase_tops want = VB_PHRASE_TOPS_INIT;
        struct vb_phrase_filter f;
        size_t i;
        int ok;
        memset(&f, 0, sizeof f);
        f.theme = theme;
        vb_phrase_top(&want, ix, &f);
        ok = want.n == got->n;
        for (i = 0; ok && i < want.n; i++) {
                const struct vb_phrase_top *x = &want.v[i], *y = &got->v[i];
                ok = x->phrase == y->phrase && x->nnotes == y->nnotes && x->nocc == y->nocc &&
                     same_date(x->first, y->first) && same_date(x->last, y->last);
        }
        free(want.v);
        return ok;
}

static void test_top_theme(void)
{
        struct vb_pnotes v = VB_PNOTES_INIT;
        struct vb_phrase_index ix;
        const struct vb_phrase_tops *t;
        cluster_notes(&v, 1);
        T_INT(vb_phrase_index_build_flags(&ix, &v, VB_PHRASE_NO_SEARCH), VB_OK);
        T_TRUE(ix.by_theme == NULL);

        t = vb_phrase_top_theme(&ix, "fit-uncertainty");
        T_TRUE(ix.by_theme != NULL);
        T_INT(t->n, 2);
        if (t->n == 2) {
                T_STR(t->v[0].phrase->text, "wasnt sure");
                T_INT(t->v[0].nnotes, 3);
                T_INT(t->v[0].nocc, 3);
                T_INT(t->v[0].first.month, 4);
                T_INT(t->v[0].first.day, 30);
                T_INT(t->v[0].last.month, 5);
                T_INT(t->v[0].last.day, 2);
                T_STR(t->v[1].phrase->text, "wasnt sure about the size");
                T_INT(t->v[1].nnotes, 2);
                T_INT(t->v[1].nocc, 2);
                T_INT(t->v[1].first.day, 1);
                T_INT(t->v[1].last.day, 2);
        }
        T_TRUE(vb_phrase_top_theme(&ix, "fit-uncertainty") == t); /* kept */
        T_TRUE(same_as_filtered(&ix, "fit-uncertainty", t));

        t = vb_phrase_top_theme(&ix, "shipping-cost");
        T_INT(t->n, 1);
        if (t->n == 1) {
                T_STR(t->v[0].phrase->text, "more than the socks");
                T_INT(t->v[0].nnotes, 2);
                T_INT(t->v[0].first.day, 5);
                T_INT(t->v[0].last.day, 6);
        }
        T_TRUE(same_as_filtered(&ix, "shipping-cost", t));
        /* price: "more than the socks" is in n5 only, "sure about" is no phrase */
        t = vb_phrase_top_theme(&ix, "price");
        T_INT(t->n, 0);
        T_TRUE(same_as_filtered(&ix, "price", t));
        t = vb_phrase_top_theme(&ix, "no-such-theme");
        T_INT(t->n, 0);
        T_TRUE(t->v == NULL);
        vb_phrase_index_release(&ix);
        T_TRUE(ix.by_theme == NULL);
}

/* A deterministic corpus of `nnotes` notes of 1 to 3 quotes from a small
 * vocabulary (so that phrases recur), with 0 to 3 of 6 themes per quote
 * (sometimes one twice). */
static void random_notes(struct vb_pnotes *v, size_t nnotes, int borrow, char ***texts,
                         size_t *ntexts)
{
        static const char *const words[] = {
            "the",   "size",  "was", "too",   "small", "wide", "feet",  "shipping", "cost", "more",
            "than",  "socks", "i",   "wasnt", "sure",  "fit",  "price", "return",   "box",  "late",
            "order", "again", ".",   "love",  "color", "but",  "not",   "comfy",    "!",    "ok"};
        static const char *const themes[] = {"fit",   "price",  "shipping",
                                             "color", "return", "comfort"};
        uint32_t x = 12345;
        size_t i, j, k, nw = sizeof words / sizeof *words;
#define NEXT() (x = x * 1103515245u + 12345u, (x >> 16) & 0x7fff)
        for (i = 0; i < nnotes; i++) {
                char id[32];
                unsigned char oid[20];
                struct vb_pnote *n;
                size_t nq = 1 + NEXT() % 3;
                snprintf(id, sizeof id, "r%04zu", i);
                memset(oid, (int)(i & 0xff), sizeof oid);
                if (borrow) {
                        *texts = realloc(*texts, (*ntexts + 1) * sizeof **texts);
                        (*texts)[(*ntexts)++] = strdup(id);
                        n = vb_pnote_new_borrowing((*texts)[*ntexts - 1], (*texts)[*ntexts - 1],
                                                   oid,
                                                   day(2026, 1 + (int)(i % 12), 1 + (int)(i % 28)),
                                                   i % 3 ? "buyer" : NULL);
                } else {
                        n = vb_pnote_new(id, id, oid,
                                         day(2026, 1 + (int)(i % 12), 1 + (int)(i % 28)),
                                         i % 3 ? "buyer" : NULL);
                }
                for (j = 0; j < nq; j++) {
                        char buf[512];
                        size_t len = 0, nt = 3 + NEXT() % 10, nth = NEXT() % 4;
                        struct vb_pquote *q;
                        for (k = 0; k < nt; k++)
                                len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s",
                                                        k ? " " : "", words[NEXT() % nw]);
                        if (borrow) {
                                *texts = realloc(*texts, (*ntexts + 1) * sizeof **texts);
                                (*texts)[(*ntexts)++] = strdup(buf);
                                q = vb_pnote_add_quote(n, (*texts)[*ntexts - 1], (unsigned)j + 1);
                        } else {
                                q = vb_pnote_add_quote(n, buf, (unsigned)j + 1);
                        }
                        for (k = 0; k < nth; k++)
                                vb_pquote_add_theme(q, themes[NEXT() % 6]);
                }
                vb_pnotes_add(v, n);
        }
#undef NEXT
}

/* Whether the normalized quote (runs separated by " | ") contains `phrase`. */
static int quote_has(const char *quote, const char *phrase)
{
        struct vb_buf n = VB_BUF_INIT, p = VB_BUF_INIT;
        int found;
        vb_buf_addc(&n, ' ');
        vb_phrase_normalize(&n, quote, strlen(quote));
        vb_buf_addc(&n, ' ');
        vb_buf_addf(&p, " %s ", phrase);
        found = strstr(n.ptr, p.ptr) != NULL;
        vb_buf_release(&n);
        vb_buf_release(&p);
        return found;
}

/* 600 notes: the level tables grow; every phrase's occurrences are exactly
 * the quotes that contain it, and the per-theme lists are the filtered ones. */
static void test_larger_corpus(void)
{
        struct vb_pnotes v = VB_PNOTES_INIT, w = VB_PNOTES_INIT;
        struct vb_phrase_index ix, lean;
        static const char *const themes[] = {"fit",    "price",   "shipping", "color",
                                             "return", "comfort", "none"};
        char **texts = NULL;
        size_t ntexts = 0, i, j, nq, bad = 0, badtheme = 0;
        random_notes(&v, 600, 0, NULL, NULL);
        random_notes(&w, 600, 1, &texts, &ntexts);
        T_INT(vb_phrase_index_build(&ix, &v), VB_OK);
        T_INT(vb_phrase_index_build_flags(&lean, &w, VB_PHRASE_NO_SEARCH), VB_OK);
        T_TRUE(same_index(&ix, &lean));
        T_INT(ix.notes.n, 600);
        T_INT(ix.nphrases, 821);
        /* at a Jaccard index of 1/2 the random quotes were one cluster; at 2/3
         * (vb_phrase_similar) they fall apart into many small ones */
        T_INT(ix.nclusters, 81);
        for (i = 0; i < ix.nphrases; i++) {
                const struct vb_phrase *p = &ix.phrases[i];
                size_t k = 0, notes = 0;
                uint32_t last = UINT32_MAX;
                for (j = 0; j < ix.notes.n; j++) {
                        for (nq = 0; nq < ix.notes.v[j]->nquotes; nq++) {
                                if (!quote_has(ix.notes.v[j]->quotes[nq].text, p->text))
                                        continue;
                                if (k >= p->nocc || p->occ[k].note != j || p->occ[k].quote != nq)
                                        bad++;
                                k++;
                                notes += last != j;
                                last = (uint32_t)j;
                        }
                }
                if (k != p->nocc || notes != p->nnotes || notes < 2)
                        bad++;
        }
        T_INT(bad, 0);
        for (i = 0; i < sizeof themes / sizeof *themes; i++)
                badtheme +=
                    !same_as_filtered(&lean, themes[i], vb_phrase_top_theme(&lean, themes[i]));
        T_INT(badtheme, 0);
        T_INT(vb_phrase_top_theme(&lean, "fit")->n, 278);
        vb_phrase_index_release(&ix);
        vb_phrase_index_release(&lean);
        for (i = 0; i < ntexts; i++)
                free(texts[i]);
        free(texts);
}

int main(void)
{
        T_RUN(test_borrowing);
        T_RUN(test_no_search);
        T_RUN(test_top_theme);
        T_RUN(test_larger_corpus);
        T_END();
}
