/* The phrase index: words, phrases, clusters, search and the index file. */
#include "verbatim/phrase.h"
#include "t.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The notes of "wasnt sure" per segment and per theme in the index file of
 * cluster_notes. */
#define WASNT_COUNTS "\t3\tabandoner\t1\tbuyer\t1\treturner\t1\t1\tfit-uncertainty\t3"

static char *norm(const char *s)
{
        struct vb_buf b = VB_BUF_INIT;
        vb_phrase_normalize(&b, s, strlen(s));
        return vb_buf_detach(&b, NULL);
}

#define T_NORM(in, want)                                                                           \
        do {                                                                                       \
                char *t_n = norm(in);                                                              \
                T_STR(t_n, want);                                                                  \
                free(t_n);                                                                         \
        } while (0)

static struct vb_date day(int y, int m, int d)
{
        struct vb_date x = {y, m, d};
        return x;
}

/* A note with one quote per text; oid is the note number in every byte. */
static struct vb_pnote *note(struct vb_pnotes *v, const char *id, struct vb_date date,
                             const char *segment, const char *const *quotes, size_t n)
{
        unsigned char oid[20];
        struct vb_pnote *p;
        size_t i;
        memset(oid, (int)(v->n + 1), sizeof oid);
        p = vb_pnote_new(id, id, oid, date, segment);
        for (i = 0; i < n; i++)
                vb_pnote_add_quote(p, quotes[i], (unsigned)(10 + i));
        vb_pnotes_add(v, p);
        return p;
}

static struct vb_pnote *note1(struct vb_pnotes *v, const char *id, const char *quote)
{
        return note(v, id, day(2026, 1, (int)v->n + 1), NULL, &quote, 1);
}

static void test_words(void)
{
        T_NORM("I wasn't sure about the SIZE", "i wasnt sure about the size");
        T_NORM("I wasn\xe2\x80\x99t sure, it\xe2\x80\x98s fine", "i wasnt sure | its fine");
        T_NORM("\xe2\x80\x9cToo big\xe2\x80\x9d \"way\" \xc2\xabtrop\xc2\xbb "
               "\xe2\x80\x9eja\xe2\x80\x9c",
               "too big way trop ja");
        T_NORM("\xc3\x89T\xc3\x89 chaud", "\xc3\xa9t\xc3\xa9 chaud");
        T_NORM("a t-shirt - covid-19 / x\xe2\x80\x94y (z)", "a t-shirt covid 19 x y z");
        T_NORM("costs 3.5 or 1,000. Then", "costs 3.5 or 1,000 | then");
        T_NORM("one; two: three! four? five\xe2\x80\xa6 six",
               "one | two | three | four | five | six");
        T_NORM("'quoted' students' '90s", "quoted students 90s");
        /* CJK: one word per character, 。 and ， end runs */
        T_NORM("\xe5\xb0\xba\xe7\xa0\x81\xe5\x81\x8f\xe5\xb0\x8f\xe3\x80\x82\xe5\xa5\xbd",
               "\xe5\xb0\xba \xe7\xa0\x81 \xe5\x81\x8f \xe5\xb0\x8f | \xe5\xa5\xbd");
        T_NORM("\xe3\x82\xb5\xe3\x82\xa4\xe3\x82\xba\xef\xbc\x8cok", "\xe3\x82\xb5 \xe3\x82\xa4 "
                                                                     "\xe3\x82\xba | ok");
        T_NORM("", "");
        T_NORM("!!! ... ", "");
        T_INT(vb_phrase_is_stop_word("the", 3), 1);
        T_INT(vb_phrase_is_stop_word("i", 1), 1);
        T_INT(vb_phrase_is_stop_word("yourself", 8), 1);
        T_INT(vb_phrase_is_stop_word("a", 1), 1);
        T_INT(vb_phrase_is_stop_word("wasnt", 5), 0);
        T_INT(vb_phrase_is_stop_word("not", 3), 0);
        T_INT(vb_phrase_is_stop_word("size", 4), 0);
}

static void test_token_offsets(void)
{
        struct vb_ptokens t = VB_PTOKENS_INIT;
        const char *s = "Hi \xe2\x80\x9cw\xc3\xa9\xe2\x80\x99re\xe2\x80\x9d. ok";
        vb_phrase_tokenize(&t, s, strlen(s));
        T_INT(t.n, 3);
        T_INT(t.v[1].start, 6);
        T_INT(t.v[1].end, 14);
        T_STR(t.norm.ptr + t.v[1].norm, "w\xc3\xa9re");
        T_INT(t.v[1].brk, 0);
        T_INT(t.v[2].brk, 1);
        vb_ptokens_release(&t);
}

static void build(struct vb_phrase_index *ix, struct vb_pnotes *v)
{
        T_INT(vb_phrase_index_build(ix, v), VB_OK);
        T_INT(v->n, 0);
}

static void test_phrases_basic(void)
{
        struct vb_pnotes v = VB_PNOTES_INIT;
        struct vb_phrase_index ix;
        note1(&v, "c", "not sure about the price");
        note1(&v, "a", "I wasn't sure about the size");
        note1(&v, "b", "wasn't sure about the size at all");
        build(&ix, &v);
        T_STR(ix.notes.v[0]->id, "a");
        T_STR(ix.notes.v[2]->id, "c");
        /* "wasnt sure" and "sure about the size" have the same notes: not maximal;
         * "sure about", "the size" touch stop words */
        T_INT(ix.nphrases, 1);
        if (ix.nphrases == 1) {
                const struct vb_phrase *p = &ix.phrases[0];
                T_STR(p->text, "wasnt sure about the size");
                T_INT(p->nwords, 5);
                T_INT(p->nnotes, 2);
                T_INT(p->nocc, 2);
                T_INT(p->occ[0].note, 0);
                T_INT(p->occ[1].note, 1);
                T_INT(p->first.day, 2);
                T_INT(p->last.day, 3);
        }
        vb_phrase_index_release(&ix);
}

static void test_phrases_maximal(void)
{
        struct vb_pnotes v = VB_PNOTES_INIT;
        struct vb_phrase_index ix;
        const char *two[] = {"wide feet hurt", "wide feet hurt again"};
        note(&v, "n1", day(2026, 3, 1), "buyer", two, 2);
        note1(&v, "n2", "My wide feet hurt.");
        note1(&v, "n3", "my wide feet");
        note1(&v, "n4", "Wide-feet");
        build(&ix, &v);
        T_INT(ix.nphrases, 2);
        if (ix.nphrases == 2) {
                T_STR(ix.phrases[0].text, "wide feet");
                T_INT(ix.phrases[0].nnotes, 3);
                T_INT(ix.phrases[0].nocc, 4);
                T_STR(ix.phrases[1].text, "wide feet hurt");
                T_INT(ix.phrases[1].nnotes, 2);
                T_INT(ix.phrases[1].nocc, 3);
        }
        vb_phrase_index_release(&ix);
}

static void test_phrases_boundaries(void)
{
        struct vb_pnotes v = VB_PNOTES_INIT;
        struct vb_phrase_index ix;
        const char *same[] = {"shoes run small", "the shoes run small"};
        note1(&v, "a", "way too small, honestly");
        note1(&v, "b", "Way too small! Honestly.");
        note1(&v, "c", "too small");
        note(&v, "d", day(2026, 2, 1), NULL, same, 2); /* one note: not recurring */
        note1(&v, "e", "the the the of the");
        note1(&v, "f", "the the the of the");
        build(&ix, &v);
        T_INT(ix.nphrases, 2);
        if (ix.nphrases == 2) {
                T_STR(ix.phrases[0].text, "too small");
                T_INT(ix.phrases[0].nnotes, 3);
                T_STR(ix.phrases[1].text, "way too small");
                T_INT(ix.phrases[1].nnotes, 2);
        }
        vb_phrase_index_release(&ix);
}

static void test_phrases_unicode(void)
{
        struct vb_pnotes v = VB_PNOTES_INIT;
        struct vb_phrase_index ix;
        note1(&v, "a", "\xc3\x89T\xc3\x89 CHAUD. I wasn\xe2\x80\x99t sure");
        note1(&v, "b", "\xc3\xa9t\xc3\xa9 chaud, wasn't sure");
        note1(&v, "c", "\xe5\xb0\xba\xe7\xa0\x81\xe5\x81\x8f\xe5\xb0\x8f\xef\xbc\x81");
        note1(&v, "d", "\xe8\xbf\x99\xe4\xb8\xaa\xe5\xb0\xba\xe7\xa0\x81\xe5\x81\x8f\xe5\xb0\x8f");
        build(&ix, &v);
        T_INT(ix.nphrases, 3);
        if (ix.nphrases == 3) {
                T_STR(ix.phrases[0].text, "\xe5\xb0\xba \xe7\xa0\x81 \xe5\x81\x8f \xe5\xb0\x8f");
                T_STR(ix.phrases[1].text, "wasnt sure");
                T_STR(ix.phrases[2].text, "\xc3\xa9t\xc3\xa9 chaud");
        }
        vb_phrase_index_release(&ix);
}

/* n1, n2, n4 say the same about the size; n5, n6 about shipping */
static void cluster_notes(struct vb_pnotes *v)
{
        struct vb_pnote *n;
        n = note(v, "n6", day(2026, 5, 6), "abandoner", NULL, 0);
        vb_pquote_add_theme(vb_pnote_add_quote(n, "Shipping cost more than the socks", 7),
                            "shipping-cost");
        n = note(v, "n1", day(2026, 5, 1), "abandoner", NULL, 0);
        vb_pquote_add_theme(vb_pnote_add_quote(n, "I wasn't sure about the size", 12),
                            "fit-uncertainty");
        n = note(v, "n2", day(2026, 5, 2), "buyer", NULL, 0);
        vb_pquote_add_theme(vb_pnote_add_quote(n, "wasn't sure about the size at all", 9),
                            "fit-uncertainty");
        n = note(v, "n3", day(2026, 5, 3), "abandoner", NULL, 0);
        vb_pquote_add_theme(vb_pnote_add_quote(n, "not sure about the price", 9), "price");
        n = note(v, "n4", day(2026, 4, 30), "returner", NULL, 0);
        vb_pquote_add_theme(vb_pnote_add_quote(n, "Size? wasn't sure, honestly", 11),
                            "fit-uncertainty");
        vb_pnote_add_quote(n, "the of and", 13);
        n = note(v, "n5", day(2026, 5, 5), "abandoner", NULL, 0);
        vb_pquote_add_theme(vb_pnote_add_quote(n, "Shipping was more than the socks", 8),
                            "shipping-cost");
        vb_pquote_add_theme(&n->quotes[0], "price");
}

static void test_clusters(void)
{
        struct vb_pnotes v = VB_PNOTES_INIT;
        struct vb_phrase_index ix;
        cluster_notes(&v);
        build(&ix, &v);
        T_INT(ix.nclusters, 2);
        if (ix.nclusters == 2) {
                const struct vb_cluster *c = &ix.clusters[0];
                T_INT(c->nmembers, 3);
                T_INT(c->nnotes, 3);
                T_STR(ix.notes.v[c->members[0].note]->id, "n1");
                T_STR(ix.notes.v[c->members[1].note]->id, "n2");
                T_STR(ix.notes.v[c->members[2].note]->id, "n4");
                T_STR(ix.notes.v[c->rep.note]->id, "n1");
                c = &ix.clusters[1];
                T_INT(c->nmembers, 2);
                T_STR(ix.notes.v[c->members[0].note]->id, "n5");
                T_STR(ix.notes.v[c->members[1].note]->id, "n6");
                T_STR(ix.notes.v[c->rep.note]->quotes[c->rep.quote].text,
                      "Shipping cost more than the socks");
        }
        vb_phrase_index_release(&ix);
}

/* The second rule: a shared recurring phrase of >= 3 words links quotes whose
 * words overlap too little for the Jaccard rule; a 2-word one does not. */
static void test_clusters_by_phrase(void)
{
        struct vb_pnotes v = VB_PNOTES_INIT;
        struct vb_phrase_index ix;
        const struct vb_pnote *found;
        unsigned char oid[20];
        note1(&v, "p1", "the size chart was confusing when I ordered boots for hiking in winter");
        note1(&v, "p2", "size chart was confusing, my partner laughed at the entire ordeal");
        note1(&v, "p3", "wide feet hurt after long downhill trail runs every weekend");
        note1(&v, "p4", "wide feet problems, nothing else comes close honestly today");
        memset(oid, 3, sizeof oid);
        found = vb_pnotes_find_oid(&v, oid);
        T_TRUE(found != NULL && !strcmp(found->id, "p3"));
        memset(oid, 9, sizeof oid);
        T_TRUE(vb_pnotes_find_oid(&v, oid) == NULL);
        build(&ix, &v);
        T_INT(ix.nclusters, 1);
        if (ix.nclusters == 1) {
                T_INT(ix.clusters[0].nmembers, 2);
                T_STR(ix.notes.v[ix.clusters[0].members[0].note]->id, "p1");
                T_STR(ix.notes.v[ix.clusters[0].members[1].note]->id, "p2");
        }
        vb_phrase_index_release(&ix);
}

/* Clusters that must not mix themes: a filler word ("honestly") and a way of
 * speaking ("i wanted to see": two content words) link nothing; the same
 * complaint with a filler still joins its cluster. */
static void test_clusters_do_not_mix(void)
{
        struct vb_pnotes v = VB_PNOTES_INIT;
        struct vb_phrase_index ix;
        note1(&v, "m1", "I couldn't tell if it would fit");
        note1(&v, "m2", "Honestly, I couldn't tell if it would fit");
        note1(&v, "m3", "Honestly, I couldn't tell if it does what I need");
        note1(&v, "m4", "I couldn't tell if it does what I need");
        note1(&v, "m5", "I wanted to see reviews somewhere other than your site");
        note1(&v, "m6", "Well, I wanted to see someone actually wearing it");
        note1(&v, "m7", "I wanted to see someone actually wearing it");
        build(&ix, &v);
        T_INT(ix.nclusters, 3);
        for (size_t c = 0; c < ix.nclusters; c++) {
                const struct vb_cluster *cl = &ix.clusters[c];
                struct vb_buf ids = VB_BUF_INIT;
                for (size_t m = 0; m < cl->nmembers; m++)
                        vb_buf_addf(&ids, "%s%s", m ? " " : "",
                                    ix.notes.v[cl->members[m].note]->id);
                T_STR(ids.ptr, c == 0 ? "m3 m4" : c == 1 ? "m1 m2" : "m6 m7");
                vb_buf_release(&ids);
        }
        vb_phrase_index_release(&ix);
}

static void test_top_and_counts(void)
{
        struct vb_pnotes v = VB_PNOTES_INIT;
        struct vb_phrase_index ix;
        struct vb_phrase_tops top = VB_PHRASE_TOPS_INIT;
        struct vb_phrase_counts cnt = {0, 0, 0};
        struct vb_phrase_filter f;
        cluster_notes(&v);
        build(&ix, &v);
        /* "wasnt sure" (n1 n2 n4) keeps its own note set; "more than the socks" */
        T_INT(ix.nphrases, 3);
        if (ix.nphrases == 3) {
                T_STR(ix.phrases[0].text, "wasnt sure");
                T_INT(ix.phrases[0].nnotes, 3);
                T_STR(ix.phrases[1].text, "wasnt sure about the size");
                T_STR(ix.phrases[2].text, "more than the socks");
                T_INT(ix.phrases[0].first.month, 4);
                T_INT(ix.phrases[0].last.day, 2);
                vb_phrase_counts(&cnt, &ix, &ix.phrases[0], NULL, VB_PHRASE_BY_SEGMENT);
                T_INT(cnt.n, 3);
                if (cnt.n == 3) {
                        T_STR(cnt.v[0].key, "abandoner");
                        T_STR(cnt.v[1].key, "buyer");
                        T_STR(cnt.v[2].key, "returner");
                        T_INT(cnt.v[2].nnotes, 1);
                }
                free(cnt.v);
                memset(&cnt, 0, sizeof cnt);
                vb_phrase_counts(&cnt, &ix, &ix.phrases[2], NULL, VB_PHRASE_BY_THEME);
                T_INT(cnt.n, 2);
                if (cnt.n == 2) {
                        T_STR(cnt.v[0].key, "shipping-cost");
                        T_INT(cnt.v[0].nnotes, 2);
                        T_STR(cnt.v[1].key, "price");
                        T_INT(cnt.v[1].nnotes, 1);
                }
                free(cnt.v);
        }
        vb_phrase_top(&top, &ix, NULL);
        T_INT(top.n, 3);
        free(top.v);
        memset(&top, 0, sizeof top);
        memset(&f, 0, sizeof f);
        f.since = day(2026, 5, 1);
        vb_phrase_top(&top, &ix, &f); /* n4 (April) drops out: 2 phrases now tie */
        T_INT(top.n, 3);
        if (top.n == 3) {
                T_STR(top.v[0].phrase->text, "wasnt sure about the size");
                T_INT(top.v[0].nnotes, 2);
                T_STR(top.v[1].phrase->text, "more than the socks");
                T_STR(top.v[2].phrase->text, "wasnt sure");
                T_INT(top.v[2].first.day, 1);
        }
        free(top.v);
        memset(&top, 0, sizeof top);
        f.segment = "abandoner";
        vb_phrase_top(&top, &ix, &f);
        T_INT(top.n, 1);
        if (top.n == 1)
                T_STR(top.v[0].phrase->text, "more than the socks");
        free(top.v);
        vb_phrase_index_release(&ix);
}

static void test_search(void)
{
        struct vb_pnotes v = VB_PNOTES_INIT;
        struct vb_phrase_index ix;
        struct vb_phrase_hits h = VB_PHRASE_HITS_INIT;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_phrase_filter f;
        cluster_notes(&v);
        build(&ix, &v);

        T_INT(vb_phrase_search(&h, &ix, "SIZE sure", NULL, &d), VB_OK);
        T_INT(h.n, 3); /* by date: n4 (April), n1, n2 */
        if (h.n == 3) {
                T_STR(h.v[0].note->id, "n4");
                T_INT(h.v[0].start, 0);
                T_INT(h.v[0].end, 4);
                T_INT(h.v[0].quote->line, 11);
                T_STR(h.v[1].note->id, "n1");
                T_INT(h.v[1].start, 9); /* "sure" comes first */
                T_INT(h.v[1].end, 13);
                T_STR(h.v[2].note->path, "n2");
        }
        h.n = 0;
        T_INT(vb_phrase_search(&h, &ix, "\"Sure about the\"", NULL, &d), VB_OK);
        T_INT(h.n, 3);
        if (h.n == 3) {
                T_STR(h.v[2].note->id, "n3");
                T_INT(h.v[2].start, 4);
                T_INT(h.v[2].end, 18);
        }
        h.n = 0;
        T_INT(vb_phrase_search(&h, &ix, "\"size wasnt\"", NULL, &d), VB_OK);
        T_INT(h.n, 0); /* "Size? wasn't" crosses sentence punctuation */
        T_INT(vb_phrase_search(&h, &ix, "socks \"was more\"", NULL, &d), VB_OK);
        T_INT(h.n, 1);
        if (h.n == 1) {
                T_STR(h.v[0].note->id, "n5");
                T_INT(h.v[0].start, 9);
                T_INT(h.v[0].end, 17);
        }
        h.n = 0;
        T_INT(vb_phrase_search(&h, &ix, "sure zebra", NULL, &d), VB_OK);
        T_INT(h.n, 0);
        memset(&f, 0, sizeof f);
        f.theme = "price";
        T_INT(vb_phrase_search(&h, &ix, "the", &f, &d), VB_OK);
        T_INT(h.n, 2);
        if (h.n == 2) {
                T_STR(h.v[0].note->id, "n3");
                T_STR(h.v[1].note->id, "n5");
        }
        h.n = 0;
        f.theme = NULL;
        f.segment = "abandoner";
        f.until = day(2026, 5, 3);
        T_INT(vb_phrase_search(&h, &ix, "sure", &f, &d), VB_OK);
        T_INT(h.n, 2);
        if (h.n == 2) {
                T_STR(h.v[0].note->id, "n1");
                T_STR(h.v[1].note->id, "n3");
        }
        T_INT(d.n, 0);
        h.n = 0;
        T_INT(vb_phrase_search(&h, &ix, " \"\" ...", NULL, &d), VB_ERR);
        T_INT(d.n, 1);
        if (d.n == 1)
                T_STR(d.v[0].rule, "empty-query");
        vb_phrase_hits_release(&h);
        vb_diags_release(&d);
        vb_phrase_index_release(&ix);
}

static void index_bytes(struct vb_buf *out, struct vb_pnotes *v)
{
        struct vb_phrase_index ix;
        build(&ix, v);
        vb_phrase_index_write(out, &ix);
        vb_phrase_index_release(&ix);
}

/* Records made whole by vb_pnote_new_block index as those made piece by
 * piece. */
static void test_block_records(void)
{
        struct vb_pnotes v = VB_PNOTES_INIT, w = VB_PNOTES_INIT, own = VB_PNOTES_INIT;
        struct vb_buf a = VB_BUF_INIT, b = VB_BUF_INIT;
        cluster_notes(&v);
        vb_pnote_add_theme(v.v[0], "shipping-cost");
        vb_pnote_add_theme(v.v[0], "price");
        /* w's records borrow from copies that outlive both indexes */
        for (size_t i = 0; i < v.n; i++) {
                const struct vb_pnote *n = v.v[i];
                struct vb_pnote *o = vb_pnote_clone(n);
                struct vb_pquote_in q[4];
                T_TRUE(o->nquotes <= 4);
                for (size_t k = 0; k < o->nquotes && k < 4; k++) {
                        q[k].text = o->quotes[k].text;
                        q[k].line = o->quotes[k].line;
                        q[k].themes = (const char *const *)o->quotes[k].themes;
                        q[k].nthemes = o->quotes[k].nthemes;
                }
                struct vb_pnote *c = vb_pnote_new_block(o->id, o->path, o->date, o->segment,
                                                        (const char *const *)o->themes, o->nthemes,
                                                        q, o->nquotes < 4 ? o->nquotes : 4);
                T_TRUE(c->borrowed && c->block);
                memcpy(c->oid, n->oid, sizeof c->oid);
                vb_pnotes_add(&own, o);
                vb_pnotes_add(&w, c);
        }
        index_bytes(&a, &v);
        index_bytes(&b, &w);
        T_INT(b.len, a.len);
        T_TRUE(a.len && a.len == b.len && !memcmp(a.ptr, b.ptr, a.len));
        vb_pnotes_release(&own);
        vb_buf_release(&a);
        vb_buf_release(&b);
}

static void test_file_round_trip(void)
{
        struct vb_pnotes v = VB_PNOTES_INIT;
        struct vb_phrase_index ix;
        struct vb_buf a = VB_BUF_INIT, b = VB_BUF_INIT;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_pnote *n;
        const struct vb_pnote *found;
        unsigned char oid[20];
        cluster_notes(&v);
        n = note1(&v, "zh",
                  "\xe5\xb0\xba\xe7\xa0\x81\xe5\x81\x8f\xe5\xb0\x8f\xef\xbc\x81 tab\there"
                  "\\back\nline\rcr");
        vb_pnote_add_theme(n, "how we work");
        note(&v, "undated", day(0, 0, 0), NULL, NULL, 0);
        index_bytes(&a, &v);
        T_TRUE(!strncmp(a.ptr, "verbatim-index 4\ntoc\t", 21));
        T_TRUE(strstr(a.ptr, "\nnotes 8\nnote\tn1\tn1\t") != NULL);
        /* the key, then the words as written */
        T_TRUE(strstr(a.ptr,
                      "\nphrase\twasnt sure\twasn't sure\t3\t2026-04-30\t2026-05-02" WASNT_COUNTS
                      "\t3\t0:"
                      "0\t1:0\t3:0\n") != NULL);
        T_TRUE(strstr(a.ptr, "\nword\twasnt\t3\t0:0\t1:0\t3:0\n") != NULL);
        T_TRUE(strstr(a.ptr, "tab\\there\\\\back\\nline\\rcr\n") != NULL);
        T_TRUE(strstr(a.ptr, "\nnote\tundated\tundated\t0808080808080808080808080808080808080808"
                             "\t\t\t\t\t0\t0\t0\t0\t0\t0\n") != NULL);
        T_INT(vb_phrase_index_read(&ix, a.ptr, a.len, "build/index", &d), VB_OK);
        T_INT(d.n, 0);
        T_INT(ix.nphrases, 3);
        T_INT(ix.nclusters, 2);
        T_STR(ix.notes.v[7]->quotes[0].text, "\xe5\xb0\xba\xe7\xa0\x81\xe5\x81\x8f\xe5\xb0\x8f"
                                             "\xef\xbc\x81 tab\there\\back\nline\rcr");
        T_STR(ix.notes.v[7]->themes[0], "how we work");
        T_TRUE(ix.notes.v[6]->segment == NULL);
        vb_phrase_index_write(&b, &ix);
        T_INT(b.len, a.len);
        T_TRUE(a.len == b.len && !memcmp(a.ptr, b.ptr, a.len));
        /* search works on a loaded index */
        {
                struct vb_phrase_hits h = VB_PHRASE_HITS_INIT;
                T_INT(vb_phrase_search(&h, &ix, "\"\xe7\xa0\x81\xe5\x81\x8f\"", NULL, &d), VB_OK);
                T_INT(h.n, 1);
                if (h.n == 1) {
                        T_INT(h.v[0].start, 3);
                        T_INT(h.v[0].end, 9);
                }
                vb_phrase_hits_release(&h);
        }
        memset(oid, 5, sizeof oid);
        found = vb_pnotes_find_oid(&ix.notes, oid);
        T_TRUE(found != NULL);
        if (found)
                T_STR(found->id, "n4");
        /* a rebuild from cached records gives the same bytes */
        {
                struct vb_pnotes again = VB_PNOTES_INIT;
                struct vb_buf c = VB_BUF_INIT;
                size_t i;
                for (i = ix.notes.n; i-- > 0;)
                        vb_pnotes_add(&again, vb_pnote_clone(ix.notes.v[i]));
                index_bytes(&c, &again);
                T_TRUE(c.len == a.len && !memcmp(c.ptr, a.ptr, a.len));
                vb_buf_release(&c);
        }
        memset(oid, 9, sizeof oid);
        T_TRUE(vb_pnotes_find_oid(&ix.notes, oid) == NULL);
        vb_phrase_index_release(&ix);
        vb_buf_release(&a);
        vb_buf_release(&b);
        vb_diags_release(&d);
}

static int damaged(const char *s, size_t len, const char *why)
{
        struct vb_phrase_index ix;
        struct vb_diags d = VB_DIAGS_INIT;
        int ok = vb_phrase_index_read(&ix, s, len, "out/index", &d) == VB_ERR && d.n == 1 &&
                 ix.notes.n == 0 && ix.nphrases == 0 && !strcmp(d.v[0].path, "out/index") &&
                 strstr(d.v[0].message, "the index file is damaged") &&
                 strstr(d.v[0].message, "run verbatim index again") &&
                 (!why || strstr(d.v[0].message, why));
        vb_diags_release(&d);
        vb_phrase_index_release(&ix);
        return ok;
}

static void edit(struct vb_buf *out, const struct vb_buf *in, const char *from, const char *to)
{
        const char *p = strstr(in->ptr, from);
        vb_buf_reset(out);
        if (!p) {
                vb_buf_add(out, in->ptr, in->len);
                return;
        }
        vb_buf_add(out, in->ptr, (size_t)(p - in->ptr));
        vb_buf_adds(out, to);
        vb_buf_adds(out, p + strlen(from));
}

static void test_file_damaged(void)
{
        struct vb_pnotes v = VB_PNOTES_INIT;
        struct vb_buf a = VB_BUF_INIT, b = VB_BUF_INIT;
        size_t i, bad = 0;
        cluster_notes(&v);
        index_bytes(&a, &v);
        /* every truncation is an error, never a crash */
        for (i = 0; i < a.len; i++)
                bad += !damaged(a.ptr, i, NULL);
        T_INT(bad, 0);
        /* every single-byte change is read or refused without a crash (sanitizers) */
        for (i = 0; i < a.len; i++) {
                struct vb_phrase_index ix;
                struct vb_diags d = VB_DIAGS_INIT;
                char *copy = vb_strndup(a.ptr, a.len);
                int rc;
                copy[i] = copy[i] == '9' ? '\t' : '9';
                rc = vb_phrase_index_read(&ix, copy, a.len, "x", &d);
                T_TRUE(rc == VB_OK || d.n == 1);
                vb_phrase_index_release(&ix);
                vb_diags_release(&d);
                free(copy);
        }
        T_TRUE(damaged("", 0, "ends too early"));
        T_TRUE(damaged("verbatim-index 5\n", 17, "does not start with"));
        edit(&b, &a, "\nphrases 3\n", "\nphrases 4\n");
        T_TRUE(damaged(b.ptr, b.len, "wrong kind"));
        edit(&b, &a, "\t3\t2026-04-30\t2026-05-02" WASNT_COUNTS "\t3\t0:0\t1:0\t3:0",
             "\t3\t2026-04-30\t2026-05-02" WASNT_COUNTS "\t3\t0:0\t1:0\t9:0");
        T_TRUE(damaged(b.ptr, b.len, "points nowhere"));
        edit(&b, &a, "\t3\t2026-04-30\t2026-05-02" WASNT_COUNTS "\t3\t0:0\t1:0\t3:0",
             "\t2\t2026-04-30\t2026-05-02" WASNT_COUNTS "\t3\t0:0\t1:0\t3:0");
        T_TRUE(damaged(b.ptr, b.len, "note count"));
        edit(&b, &a, "\t3\t2026-04-30\t2026-05-02" WASNT_COUNTS "\t3\t0:0\t1:0\t3:0",
             "\t3\t2026-04-29\t2026-05-02" WASNT_COUNTS "\t3\t0:0\t1:0\t3:0");
        T_TRUE(damaged(b.ptr, b.len, "dates"));
        edit(&b, &a, "\t3\t2026-04-30\t2026-05-02" WASNT_COUNTS "\t3\t0:0\t1:0\t3:0",
             "\t3\t2026-04-30\t2026-05-02" WASNT_COUNTS "\t3\t1:0\t0:0\t3:0");
        T_TRUE(damaged(b.ptr, b.len, "not in order"));
        edit(&b, &a, "note\tn2", "note\tn0");
        T_TRUE(damaged(b.ptr, b.len, "notes are not in order"));
        edit(&b, &a, "\nend\n", "\nend\nmore\n");
        T_TRUE(damaged(b.ptr, b.len, "after the end"));
        edit(&b, &a, "\nword\twasnt\t3\t0:0\t1:0\t3:0\n", "\nword\twasnt\t2\t0:0\t1:0\n");
        T_TRUE(damaged(b.ptr, b.len, "words do not match the quotes"));
        edit(&b, &a, "\tbuyer\t1\treturner\t1\t1\tfit", "\tbuyer\t1\tretailer\t1\t1\tfit");
        T_TRUE(damaged(b.ptr, b.len, "counts do not match"));
        edit(&b, &a, "\tbuyer\t1\treturner\t1\t1\tfit", "\treturner\t1\tbuyer\t1\t1\tfit");
        T_TRUE(damaged(b.ptr, b.len, "counts are not in order"));
        edit(&b, &a, "shipping-cost", "ship\\ping");
        T_TRUE(damaged(b.ptr, b.len, "unknown escape"));
        vb_buf_release(&a);
        vb_buf_release(&b);
}

static void test_empty_index(void)
{
        struct vb_pnotes v = VB_PNOTES_INIT;
        struct vb_phrase_index ix;
        struct vb_buf a = VB_BUF_INIT;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_phrase_hits h = VB_PHRASE_HITS_INIT;
        index_bytes(&a, &v);
        T_STR(a.ptr, "verbatim-index 4\ntoc\taaaaaaaaaagd\taaaaaaaaaagl\taaaaaaaaaahf\t"
                     "aaaaaaaaaaia\taaaaaaaaaaii\taaaaaaaaaalj\nnotes 0\nphrases 0\nclusters "
                     "0\nwords 0\ncache\t0000000000000000000000000000000000000000\t0\noffsets 0 "
                     "0\nend\n");
        T_INT(vb_phrase_index_read(&ix, a.ptr, a.len, "i", &d), VB_OK);
        T_INT(vb_phrase_search(&h, &ix, "anything", NULL, &d), VB_OK);
        T_INT(h.n, 0);
        vb_phrase_index_release(&ix);
        vb_buf_release(&a);
        vb_diags_release(&d);
}

/* The phrase with key `key` in `ix`, or NULL. */
static const struct vb_phrase *phrase_of(const struct vb_phrase_index *ix, const char *key)
{
        for (size_t i = 0; i < ix->nphrases; i++)
                if (!strcmp(ix->phrases[i].text, key))
                        return &ix->phrases[i];
        return NULL;
}

#define T_SURFACE(ix, key, want)                                                                   \
        do {                                                                                       \
                const struct vb_phrase *t_p = phrase_of(ix, key);                                  \
                T_TRUE(t_p != NULL);                                                               \
                if (t_p)                                                                           \
                        T_STR(t_p->surface, want);                                                 \
        } while (0)

/* Each phrase keeps its most frequent form as written. */
static void test_surface_forms(void)
{
        struct vb_pnotes v = VB_PNOTES_INIT;
        struct vb_phrase_index ix;
        /* curly apostrophes twice (one with a double space and a line
         * break), straight once: the curly form, white space made one */
        note1(&v, "a", "I wasn\xe2\x80\x99t sure about the fit");
        note1(&v, "b", "i wasn't sure about the fit");
        note1(&v, "c", "Honestly I wasn\xe2\x80\x99t  sure\nabout the fit.");
        /* capitals and accents as written; a tie goes to the smaller bytes */
        note1(&v, "d", "The Caf\xc3\xa9 Cr\xc3\xa8me colour");
        note1(&v, "e", "the caf\xc3\xa9 cr\xc3\xa8me colour");
        /* CJK: as written, without spaces */
        note1(&v, "f",
              "\xe5\xb0\xba\xe7\xa0\x81\xe5\x81\x8f\xe5\xb0\x8f\xef\xbc\x8c\xe7\x9c\x9f\xe7"
              "\x9a\x84");
        note1(&v, "g", "\xe5\xb0\xba\xe7\xa0\x81\xe5\x81\x8f\xe5\xb0\x8f");
        /* three forms, one each: the smallest bytes */
        note1(&v, "h", "SHIPPING COST too much");
        note1(&v, "i", "Shipping cost too much");
        note1(&v, "j", "shipping cost too much");
        build(&ix, &v);
        T_SURFACE(&ix, "wasnt sure about the fit", "wasn\xe2\x80\x99t sure about the fit");
        T_SURFACE(&ix, "caf\xc3\xa9 cr\xc3\xa8me colour", "Caf\xc3\xa9 Cr\xc3\xa8me colour");
        T_SURFACE(&ix, "\xe5\xb0\xba \xe7\xa0\x81 \xe5\x81\x8f \xe5\xb0\x8f",
                  "\xe5\xb0\xba\xe7\xa0\x81\xe5\x81\x8f\xe5\xb0\x8f");
        T_SURFACE(&ix, "shipping cost too much", "SHIPPING COST too much");
        /* the index file keeps them, and reads them back */
        {
                struct vb_buf a = VB_BUF_INIT;
                struct vb_phrase_index back;
                struct vb_diags d = VB_DIAGS_INIT;
                vb_phrase_index_write(&a, &ix);
                T_TRUE(strstr(a.ptr, "\nphrase\twasnt sure about the fit\twasn\xe2\x80\x99t sure "
                                     "about the fit\t3\t") != NULL);
                T_INT(vb_phrase_index_read(&back, a.ptr, a.len, "i", &d), VB_OK);
                T_SURFACE(&back, "wasnt sure about the fit",
                          "wasn\xe2\x80\x99t sure about the fit");
                vb_phrase_index_release(&back);
                /* a form whose words are not the key is damage */
                {
                        char *p = strstr(a.ptr, "\tSHIPPING COST too much\t");
                        T_TRUE(p != NULL);
                        if (p) {
                                memcpy(p + 1, "SHOPPING", 8);
                                T_INT(vb_phrase_index_read(&back, a.ptr, a.len, "i", &d), VB_ERR);
                                T_TRUE(d.n == 1 && strstr(d.v[0].message, "words as written"));
                        }
                }
                vb_buf_release(&a);
                vb_diags_release(&d);
        }
        vb_phrase_index_release(&ix);
}

/* Notes for completions: how "I wasn't sure" goes on. */
static void complete_notes(struct vb_pnotes *v)
{
        const char *a = "I wasn't sure if the size would fit";
        const char *b = "i wasn\xe2\x80\x99t sure if the size was right";
        const char *c = "I WASN'T SURE It Was Worth It";
        const char *dq = "Honestly I wasn't sure. If only";
        note(v, "a", day(2026, 3, 1), "buyer", &a, 1);
        note(v, "b", day(2026, 3, 2), "abandoner", &b, 1);
        note(v, "c", day(2026, 3, 3), "buyer", &c, 1);
        note(v, "d", day(2026, 3, 4), "buyer", &dq, 1);
}

static void check_completions(const struct vb_phrase_index *ix)
{
        struct vb_phrase_nexts nx = VB_PHRASE_NEXTS_INIT;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_phrase_filter f;
        T_INT(vb_phrase_complete(&nx, ix, "I wasn\xe2\x80\x99t SURE", NULL, &d), VB_OK);
        /* "if" and "if the" go on as "if the size" in both notes: only the
         * longest is kept; a sentence end stops a continuation */
        T_INT(nx.n, 4);
        if (nx.n == 4) {
                T_STR(nx.v[0].text, "if the size");
                T_STR(nx.v[0].surface, "if the size");
                T_INT(nx.v[0].nnotes, 2);
                T_INT(nx.v[0].nocc, 2);
                T_INT(nx.v[0].nwords, 3);
                T_INT(nx.v[0].example.note, 0);
                T_STR(nx.v[1].text, "if the size was");
                T_STR(nx.v[2].text, "if the size would");
                T_STR(nx.v[3].text, "it was worth it");
                T_STR(nx.v[3].surface, "It Was Worth It");
                T_INT(nx.v[3].nnotes, 1);
                T_INT(nx.v[3].example.note, 2);
        }
        vb_phrase_nexts_release(&nx);
        memset(&f, 0, sizeof f);
        f.segment = "buyer";
        T_INT(vb_phrase_complete(&nx, ix, "wasnt sure if", &f, &d), VB_OK);
        T_INT(nx.n, 1);
        if (nx.n == 1) {
                T_STR(nx.v[0].text, "the size would fit");
                T_INT(nx.v[0].nnotes, 1);
        }
        vb_phrase_nexts_release(&nx);
        T_INT(vb_phrase_complete(&nx, ix, "zebra crossing", NULL, &d), VB_OK);
        T_INT(nx.n, 0);
        T_INT(d.n, 0);
        T_INT(vb_phrase_complete(&nx, ix, " ... ", NULL, &d), VB_ERR);
        T_INT(d.n, 1);
        vb_phrase_nexts_release(&nx);
        vb_diags_release(&d);
}

static void test_complete(void)
{
        struct vb_pnotes v = VB_PNOTES_INIT;
        struct vb_phrase_index ix;
        complete_notes(&v);
        build(&ix, &v);
        check_completions(&ix);
        vb_phrase_index_release(&ix);
}

/* Sentence starts per theme, and how they most often go on. */
static void test_starts(void)
{
        struct vb_pnotes v = VB_PNOTES_INIT;
        struct vb_phrase_index ix;
        struct vb_phrase_starts st = VB_PHRASE_STARTS_INIT;
        static const char *const texts[] = {
            "The size chart was confusing", "The size chart was confusing. Really",
            "the size chart was wrong",     "Too big for me",
            "too big for me, honestly",     "The size chart was a joke",
        };
        static const char *const themes[] = {"fit", "fit", "fit", "fit", "price", "price"};
        for (size_t i = 0; i < 6; i++) {
                char id[8];
                snprintf(id, sizeof id, "n%zu", i);
                struct vb_pnote *n = note(&v, id, day(2026, 2, (int)i + 1), NULL, &texts[i], 1);
                vb_pquote_add_theme(&n->quotes[0], themes[i]);
        }
        build(&ix, &v);
        vb_phrase_starts(&st, &ix, "fit", 5);
        /* "too big for" is in one fit note only; "the size chart" in three,
         * going on with "was" in all three */
        T_INT(st.n, 1);
        if (st.n == 1) {
                T_STR(st.v[0].text, "the size chart");
                T_STR(st.v[0].surface, "The size chart");
                T_INT(st.v[0].nnotes, 3);
                T_STR(st.v[0].next.text, "was");
                T_INT(st.v[0].next.nnotes, 3);
        }
        vb_phrase_starts_release(&st);
        vb_phrase_starts(&st, &ix, NULL, 5);
        T_INT(st.n, 2);
        if (st.n == 2) {
                T_STR(st.v[0].text, "the size chart");
                T_INT(st.v[0].nnotes, 4);
                T_STR(st.v[1].text, "too big for");
                T_STR(st.v[1].surface, "Too big for");
                T_STR(st.v[1].next.text, "me");
        }
        vb_phrase_starts_release(&st);
        vb_phrase_starts(&st, &ix, "price", 5);
        T_INT(st.n, 0);
        vb_phrase_starts_release(&st);
        vb_phrase_index_release(&ix);
}

/* An index file used in place answers as the whole index does, and damage
 * in it never crashes a query. */
static void test_view(void)
{
        struct vb_pnotes v = VB_PNOTES_INIT;
        struct vb_phrase_index ix, full;
        struct vb_buf a = VB_BUF_INIT;
        struct vb_diags d = VB_DIAGS_INIT;
        static const char *const queries[] = {
            "SIZE sure", "\"Sure about the\"", "socks \"was more\"", "sure zebra", "the", "wasn't"};
        size_t i, bad = 0;
        cluster_notes(&v);
        complete_notes(&v);
        index_bytes(&a, &v);
        T_INT(vb_phrase_index_read(&full, a.ptr, a.len, "i", &d), VB_OK);
        vb_phrase_index_prepare(&full);
        T_INT(vb_phrase_index_open(&ix, a.ptr, a.len, "i", &d), VB_OK);
        T_INT(d.n, 0);
        T_INT(ix.notes.n, full.notes.n);
        T_TRUE(ix.notes.v[0] == NULL); /* nothing read yet */
        for (i = 0; i < sizeof queries / sizeof *queries; i++) {
                struct vb_phrase_hits h1 = VB_PHRASE_HITS_INIT, h2 = VB_PHRASE_HITS_INIT;
                T_INT(vb_phrase_search(&h1, &full, queries[i], NULL, &d), VB_OK);
                T_INT(vb_phrase_search(&h2, &ix, queries[i], NULL, &d), VB_OK);
                T_INT(h2.n, h1.n);
                for (size_t k = 0; k < h1.n && k < h2.n; k++) {
                        T_STR(h2.v[k].note->id, h1.v[k].note->id);
                        T_INT(h2.v[k].start, h1.v[k].start);
                        T_INT(h2.v[k].end, h1.v[k].end);
                        T_INT(h2.v[k].nspans, h1.v[k].nspans);
                }
                vb_phrase_hits_release(&h1);
                vb_phrase_hits_release(&h2);
        }
        /* the top table in place: the same phrases, counts and order */
        T_INT(vb_phrase_index_read_phrases(&ix, "i", &d), VB_OK);
        {
                struct vb_phrase_tops t1 = VB_PHRASE_TOPS_INIT, t2 = VB_PHRASE_TOPS_INIT;
                vb_phrase_top(&t1, &full, NULL);
                vb_phrase_top(&t2, &ix, NULL);
                T_INT(t2.n, t1.n);
                T_TRUE(t1.n > 0);
                for (size_t k = 0; k < t1.n && k < t2.n; k++) {
                        int by;
                        T_STR(t2.v[k].phrase->text, t1.v[k].phrase->text);
                        T_STR(t2.v[k].phrase->surface, t1.v[k].phrase->surface);
                        T_INT(t2.v[k].nnotes, t1.v[k].nnotes);
                        T_INT(t2.v[k].nocc, t1.v[k].nocc);
                        T_INT(t2.v[k].last.day, t1.v[k].last.day);
                        for (by = VB_PHRASE_BY_SEGMENT; by <= VB_PHRASE_BY_THEME; by++) {
                                struct vb_phrase_counts c1 = {0, 0, 0}, c2 = {0, 0, 0};
                                vb_phrase_counts(&c1, &full, t1.v[k].phrase, NULL,
                                                 (enum vb_phrase_by)by);
                                vb_phrase_counts(&c2, &ix, t2.v[k].phrase, NULL,
                                                 (enum vb_phrase_by)by);
                                T_INT(c2.n, c1.n);
                                for (size_t m = 0; m < c1.n && m < c2.n; m++) {
                                        T_STR(c2.v[m].key, c1.v[m].key);
                                        T_INT(c2.v[m].nnotes, c1.v[m].nnotes);
                                }
                                free(c1.v);
                                free(c2.v);
                        }
                }
                free(t1.v);
                free(t2.v);
        }
        T_INT(vb_phrase_index_damaged(&ix, "i", &d), VB_OK);
        vb_phrase_index_release(&ix);
        {
                struct vb_pnotes w = VB_PNOTES_INIT;
                struct vb_buf b = VB_BUF_INIT;
                complete_notes(&w);
                index_bytes(&b, &w);
                T_INT(vb_phrase_index_open(&ix, b.ptr, b.len, "i", &d), VB_OK);
                check_completions(&ix);
                T_INT(vb_phrase_index_damaged(&ix, "i", &d), VB_OK);
                vb_phrase_index_release(&ix);
                vb_buf_release(&b);
        }
        /* every truncation is refused when opened */
        for (i = 0; i < a.len; i++) {
                struct vb_diags dd = VB_DIAGS_INIT;
                bad += vb_phrase_index_open(&ix, a.ptr, i, "i", &dd) != VB_ERR || dd.n != 1;
                vb_phrase_index_release(&ix);
                vb_diags_release(&dd);
        }
        T_INT(bad, 0);
        /* every single-byte change: refused, or queries that read or report
         * the damage (sanitizers watch) */
        for (i = 0; i < a.len; i++) {
                struct vb_diags dd = VB_DIAGS_INIT;
                char *copy = vb_strndup(a.ptr, a.len);
                copy[i] = copy[i] == '9' ? '\t' : '9';
                if (vb_phrase_index_open(&ix, copy, a.len, "x", &dd) == VB_OK) {
                        struct vb_phrase_hits h = VB_PHRASE_HITS_INIT;
                        struct vb_phrase_nexts nx = VB_PHRASE_NEXTS_INIT;
                        vb_phrase_search(&h, &ix, "sure the size", NULL, &dd);
                        vb_phrase_complete(&nx, &ix, "wasnt sure", NULL, &dd);
                        vb_phrase_index_damaged(&ix, "x", &dd);
                        if (vb_phrase_index_read_phrases(&ix, "x", &dd) == VB_OK) {
                                struct vb_phrase_tops tt = VB_PHRASE_TOPS_INIT;
                                vb_phrase_top(&tt, &ix, NULL);
                                free(tt.v);
                        }
                        vb_phrase_hits_release(&h);
                        vb_phrase_nexts_release(&nx);
                }
                vb_phrase_index_release(&ix);
                vb_diags_release(&dd);
                free(copy);
        }
        vb_phrase_index_release(&full);
        vb_buf_release(&a);
        vb_diags_release(&d);
}

/* vb_phrase_display of `text` into `b` (reset first). */
static const char *display(struct vb_buf *b, const char *text)
{
        vb_buf_reset(b);
        vb_phrase_display(b, text);
        return b->ptr ? b->ptr : "";
}

static void test_display(void)
{
        struct vb_buf b = VB_BUF_INIT;
        T_STR(display(&b, "wide feet"), "wide feet");
        T_STR(display(&b, "尺 码 偏 小"), "尺码偏小");
        T_STR(display(&b, "size 偏 小"), "size 偏小");
        T_STR(display(&b, "偏 小 size"), "偏小 size");
        T_STR(display(&b, "サイズ が 小さい"), "サイズが小さい");
        T_STR(display(&b, "너무 작아요"), "너무 작아요"); /* Hangul is written with spaces */
        T_STR(display(&b, "偏 3"), "偏 3");
        T_STR(display(&b, ""), "");
        vb_buf_release(&b);
}

int main(void)
{
        T_RUN(test_words);
        T_RUN(test_display);
        T_RUN(test_token_offsets);
        T_RUN(test_phrases_basic);
        T_RUN(test_phrases_maximal);
        T_RUN(test_phrases_boundaries);
        T_RUN(test_phrases_unicode);
        T_RUN(test_clusters);
        T_RUN(test_clusters_by_phrase);
        T_RUN(test_clusters_do_not_mix);
        T_RUN(test_top_and_counts);
        T_RUN(test_search);
        T_RUN(test_block_records);
        T_RUN(test_file_round_trip);
        T_RUN(test_file_damaged);
        T_RUN(test_empty_index);
        T_RUN(test_surface_forms);
        T_RUN(test_complete);
        T_RUN(test_starts);
        T_RUN(test_view);
        T_END();
}
