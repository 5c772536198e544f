/* The phrase index: its note records and how it is built (the rules are
 * documented in phrase.h).  Its words are in phrase_words.c, its phrases in
 * phrase_count.c, its clusters in phrase_cluster.c, the queries in
 * phrase_query.c, the index file in phrase_file.c. */
#include "verbatim/phrase.h"
#include "phrase_int.h"
#include "verbatim/vocab.h"
#include "verbatim/utf8.h"

#include <stdlib.h>
#include <string.h>

/* ---- note records ---- */

/* Appends `s` to v[0..n): a copy, or the pointer itself when `borrow`. */
static void add_string(char ***v, size_t *n, const char *s, int borrow)
{
        *v = vb_realloc(*v, (*n + 1) * sizeof **v);
        (*v)[(*n)++] = borrow ? (char *)s : vb_strdup(s);
}

/* A note record that copies its strings, or borrows them when `borrow`. */
static struct vb_pnote *pnote_new(const char *id, const char *path, const unsigned char oid[20],
                                  struct vb_date date, const char *segment, int borrow)
{
        struct vb_pnote *n = vb_calloc(1, sizeof *n);
        id = id ? id : "";
        path = path ? path : "";
        segment = segment && *segment ? segment : NULL;
        n->borrowed = borrow;
        n->id = borrow ? (char *)id : vb_strdup(id);
        n->path = borrow ? (char *)path : vb_strdup(path);
        n->segment = borrow || !segment ? (char *)segment : vb_strdup(segment);
        if (oid)
                memcpy(n->oid, oid, sizeof n->oid);
        n->date = date;
        return n;
}

const char *vb_phrase_segment(const struct vb_vocab *v, const struct vb_note *n)
{
        const char *s = n->segment.value;
        return s && *s ? vb_vocab_segment_key(v, s) : NULL;
}

struct vb_pnote *vb_pnote_new(const char *id, const char *path, const unsigned char oid[20],
                              struct vb_date date, const char *segment)
{
        return pnote_new(id, path, oid, date, segment, 0);
}

struct vb_pnote *vb_pnote_new_borrowing(const char *id, const char *path,
                                        const unsigned char oid[20], struct vb_date date,
                                        const char *segment)
{
        return pnote_new(id, path, oid, date, segment, 1);
}

struct vb_pnote *vb_pnote_new_block(const char *id, const char *path, struct vb_date date,
                                    const char *segment, const char *const *themes, size_t nthemes,
                                    const struct vb_pquote_in *quotes, size_t nquotes)
{
        /* the struct, the quotes, then every array of theme pointers */
        size_t nptr = nthemes;
        for (size_t i = 0; i < nquotes; i++)
                nptr += quotes[i].nthemes;
        size_t at_quotes = (sizeof(struct vb_pnote) + 15) & ~(size_t)15;
        size_t at_ptrs = at_quotes + nquotes * sizeof(struct vb_pquote);
        char *block = vb_calloc(1, at_ptrs + nptr * sizeof(char *));
        struct vb_pnote *n = (struct vb_pnote *)block;
        char **ptr = (char **)(block + at_ptrs);
        n->borrowed = n->block = 1;
        n->id = (char *)(id ? id : "");
        n->path = (char *)(path ? path : "");
        n->segment = segment && *segment ? (char *)segment : NULL;
        n->date = date;
        n->themes = nthemes ? ptr : NULL;
        for (size_t k = 0; k < nthemes; k++)
                *ptr++ = (char *)themes[k];
        n->nthemes = nthemes;
        n->quotes = nquotes ? (struct vb_pquote *)(block + at_quotes) : NULL;
        n->nquotes = nquotes;
        for (size_t i = 0; i < nquotes; i++) {
                struct vb_pquote *q = &n->quotes[i];
                q->text = (char *)(quotes[i].text ? quotes[i].text : "");
                q->line = quotes[i].line;
                q->borrowed = 1;
                q->themes = quotes[i].nthemes ? ptr : NULL;
                for (size_t k = 0; k < quotes[i].nthemes; k++)
                        *ptr++ = (char *)quotes[i].themes[k];
                q->nthemes = quotes[i].nthemes;
        }
        return n;
}

void vb_pnote_add_theme(struct vb_pnote *n, const char *theme)
{
        add_string(&n->themes, &n->nthemes, theme, n->borrowed);
}

void vb_pnote_set_tier(struct vb_pnote *n, const char *tier)
{
        if (!n->borrowed)
                free(n->tier);
        n->tier = n->borrowed || !tier ? (char *)tier : vb_strdup(tier);
}

void vb_pnote_set_follows(struct vb_pnote *n, const char *follows, unsigned line, unsigned col)
{
        if (!n->borrowed)
                free(n->follows);
        follows = follows && *follows ? follows : NULL;
        n->follows = n->borrowed || !follows ? (char *)follows : vb_strdup(follows);
        n->follows_line = follows ? line : 0;
        n->follows_col = follows ? col : 0;
}

void vb_pnote_add_product(struct vb_pnote *n, const char *id, const char *line)
{
        size_t k = n->nproducts;
        add_string(&n->products, &n->nproducts, id ? id : "", n->borrowed);
        add_string(&n->lines, &k, line ? line : "", n->borrowed);
}

struct vb_pquote *vb_pnote_add_quote(struct vb_pnote *n, const char *text, unsigned line)
{
        struct vb_pquote *q;
        n->quotes = vb_realloc(n->quotes, (n->nquotes + 1) * sizeof *n->quotes);
        q = &n->quotes[n->nquotes++];
        memset(q, 0, sizeof *q);
        q->borrowed = n->borrowed;
        text = text ? text : "";
        q->text = n->borrowed ? (char *)text : vb_strdup(text);
        q->line = line;
        return q;
}

void vb_pquote_add_theme(struct vb_pquote *q, const char *theme)
{
        add_string(&q->themes, &q->nthemes, theme, q->borrowed);
}

struct vb_pnote *vb_pnote_clone(const struct vb_pnote *n)
{
        struct vb_pnote *c = vb_pnote_new(n->id, n->path, n->oid, n->date, n->segment);
        size_t i, j;
        c->errors = n->errors;
        vb_pnote_set_tier(c, n->tier);
        vb_pnote_set_follows(c, n->follows, n->follows_line, n->follows_col);
        for (i = 0; i < n->nproducts; i++)
                vb_pnote_add_product(c, n->products[i], n->lines[i]);
        for (i = 0; i < n->nthemes; i++)
                vb_pnote_add_theme(c, n->themes[i]);
        for (i = 0; i < n->nquotes; i++) {
                struct vb_pquote *q = vb_pnote_add_quote(c, n->quotes[i].text, n->quotes[i].line);
                for (j = 0; j < n->quotes[i].nthemes; j++)
                        vb_pquote_add_theme(q, n->quotes[i].themes[j]);
        }
        return c;
}

/* Frees the array v[0..n), and its strings unless they are borrowed. */
static void free_strings(char **v, size_t n, int borrowed)
{
        size_t i;
        for (i = 0; i < n && !borrowed; i++)
                free(v[i]);
        free(v);
}

void vb_pnote_free(struct vb_pnote *n)
{
        size_t i;
        if (!n)
                return;
        if (n->block) {
                free(n);
                return;
        }
        for (i = 0; i < n->nquotes; i++) {
                if (!n->quotes[i].borrowed)
                        free(n->quotes[i].text);
                free_strings(n->quotes[i].themes, n->quotes[i].nthemes, n->quotes[i].borrowed);
        }
        free(n->quotes);
        free_strings(n->themes, n->nthemes, n->borrowed);
        free_strings(n->products, n->nproducts, n->borrowed);
        free_strings(n->lines, n->nproducts, n->borrowed);
        if (!n->borrowed) {
                free(n->tier);
                free(n->follows);
                free(n->id);
                free(n->path);
                free(n->segment);
        }
        free(n);
}

static size_t oid_hash(const unsigned char oid[20])
{
        size_t h = 0;
        memcpy(&h, oid, sizeof h < 20 ? sizeof h : 20);
        return h;
}

/* Inserts `n` unless a record with its oid is there (the first one wins). */
static void oid_insert(struct vb_pnote **slots, size_t nslots, struct vb_pnote *n)
{
        size_t mask = nslots - 1, i = oid_hash(n->oid) & mask;
        for (; slots[i]; i = (i + 1) & mask)
                if (!memcmp(slots[i]->oid, n->oid, 20))
                        return;
        slots[i] = n;
}

void vb_pnotes_add(struct vb_pnotes *v, struct vb_pnote *n)
{
        size_t i;
        v->v = vb_grow_array(v->v, &v->cap, v->n + 1, sizeof *v->v);
        v->v[v->n++] = n;
        if (v->n * 2 > v->nslots) {
                free(v->slots);
                v->nslots = v->nslots ? v->nslots * 4 : 64;
                v->slots = vb_calloc(v->nslots, sizeof *v->slots);
                for (i = 0; i < v->n; i++)
                        oid_insert(v->slots, v->nslots, v->v[i]);
        } else {
                oid_insert(v->slots, v->nslots, n);
        }
}

const struct vb_pnote *vb_pnotes_find_oid(const struct vb_pnotes *v, const unsigned char oid[20])
{
        size_t mask, i;
        if (!v->nslots)
                return NULL;
        mask = v->nslots - 1;
        for (i = oid_hash(oid) & mask; v->slots[i]; i = (i + 1) & mask)
                if (!memcmp(v->slots[i]->oid, oid, 20))
                        return v->slots[i];
        return NULL;
}

void vb_pnotes_release(struct vb_pnotes *v)
{
        size_t i;
        for (i = 0; i < v->n; i++)
                vb_pnote_free(v->v[i]);
        free(v->v);
        free(v->slots);
        v->v = NULL;
        v->slots = NULL;
        v->n = v->cap = v->nslots = 0;
}

/* ---- building ---- */

static int cmp_note(const void *a, const void *b)
{
        const struct vb_pnote *x = *(const struct vb_pnote *const *)a;
        const struct vb_pnote *y = *(const struct vb_pnote *const *)b;
        int c = strcmp(x->id, y->id);
        return c ? c : strcmp(x->path, y->path);
}

void vb_phrase_index_prepare(struct vb_phrase_index *ix)
{
        struct vb_phr_corpus c;
        if (ix->words || ix->view)
                return;
        ix->words = vb_calloc(1, sizeof *ix->words);
        vb_phr_corpus_build(&c, ix->words, &ix->notes);
        vb_phr_words_postings(ix->words, &c);
        vb_phr_corpus_free(&c);
}

int vb_phrase_index_build_flags(struct vb_phrase_index *out, struct vb_pnotes *notes,
                                unsigned flags)
{
        struct vb_phr_corpus c;
        int search = !(flags & VB_PHRASE_NO_SEARCH);
        memset(out, 0, sizeof *out);
        out->notes = *notes;
        memset(notes, 0, sizeof *notes);
        vb_phr_sort_n(out->notes.v, out->notes.n, sizeof *out->notes.v, cmp_note);
        out->words = vb_calloc(1, sizeof *out->words);
        vb_phr_corpus_build(&c, out->words, &out->notes);
        if (search)
                vb_phr_words_postings(out->words, &c);
        vb_phr_find_phrases(out, &c);
        vb_phr_find_clusters(out, &c);
        if (!search) {
                vb_phr_words_free(out->words);
                out->words = NULL;
        }
        vb_phr_corpus_free(&c);
        return VB_OK;
}

int vb_phrase_index_build(struct vb_phrase_index *out, struct vb_pnotes *notes)
{
        return vb_phrase_index_build_flags(out, notes, 0);
}

void vb_phrase_index_release(struct vb_phrase_index *ix)
{
        size_t i;
        vb_pnotes_release(&ix->notes);
        for (i = 0; i < ix->nphrases; i++) {
                free(ix->phrases[i].text);
                free(ix->phrases[i].surface);
                free(ix->phrases[i].occ);
                vb_phrase_stored_free(ix->phrases[i].stored);
        }
        free(ix->phrases);
        for (i = 0; i < ix->nclusters; i++)
                free(ix->clusters[i].members);
        free(ix->clusters);
        vb_phr_words_free(ix->words);
        vb_phr_by_theme_free(ix->by_theme);
        vb_pview_free(ix->view);
        vb_pnotes_release(&ix->skipped);
        memset(ix, 0, sizeof *ix);
}

static int cmp_pnote_oid(const void *a, const void *b)
{
        return memcmp((*(struct vb_pnote *const *)a)->oid, (*(struct vb_pnote *const *)b)->oid, 20);
}

void vb_phrase_index_set_skipped(struct vb_phrase_index *ix, struct vb_pnotes *v)
{
        vb_pnotes_release(&ix->skipped);
        vb_phr_sort_n(v->v, v->n, sizeof *v->v, cmp_pnote_oid);
        for (size_t i = 0; i < v->n; i++) {
                const struct vb_pnote *last =
                    ix->skipped.n ? ix->skipped.v[ix->skipped.n - 1] : NULL;
                if (last && !memcmp(last->oid, v->v[i]->oid, 20))
                        vb_pnote_free(v->v[i]);
                else
                        vb_pnotes_add(&ix->skipped, v->v[i]);
                v->v[i] = NULL;
        }
        v->n = 0;
        vb_pnotes_release(v);
}

const struct vb_pnote *vb_phrase_index_skipped(const struct vb_phrase_index *ix,
                                               const unsigned char oid[20])
{
        return vb_pnotes_find_oid(&ix->skipped, oid);
}

static int cmp_word_id(const void *a, const void *b, void *arg)
{
        const struct vb_phrase_words *w = arg;
        uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
        return strcmp(w->pool.ptr + w->off[x], w->pool.ptr + w->off[y]);
}

void vb_phrase_index_postings(const struct vb_phrase_index *ix,
                              void (*fn)(void *arg, const char *word, size_t len,
                                         const struct vb_phrase_ref *refs, size_t n),
                              void *arg)
{
        struct vb_phrase_words *own = NULL;
        const struct vb_phrase_words *w = ix->words;
        struct vb_phrase_ref *refs = NULL;
        uint32_t *order;
        size_t i, j, cap = 0;
        if (!w || !w->post_off) {
                struct vb_phr_corpus c;
                own = vb_calloc(1, sizeof *own);
                vb_phr_corpus_build(&c, own, &ix->notes);
                vb_phr_words_postings(own, &c);
                vb_phr_corpus_free(&c);
                w = own;
        }
        order = vb_malloc((w->n ? w->n : 1) * sizeof *order);
        for (i = 0; i < w->n; i++)
                order[i] = (uint32_t)i;
        vb_phr_sort_r(order, w->n, sizeof *order, cmp_word_id, (void *)w);
        for (i = 0; i < w->n; i++) {
                uint32_t id = order[i], b = w->post_off[id], n = w->post_off[id + 1] - b;
                refs = vb_grow_array(refs, &cap, n, sizeof *refs);
                for (j = 0; j < n; j++)
                        refs[j] = w->quotes[w->post[b + j]];
                fn(arg, w->pool.ptr + w->off[id], w->len[id], refs, n);
        }
        free(refs);
        free(order);
        vb_phr_words_free(own);
}
