/* Private to the phrase index (phrase*.c): what the index file's writer and
 * its in-place reader (the view, phrase_file.c) share with the index, and
 * what the index's files share with each other. */
#ifndef VERBATIM_PHRASE_INT_H
#define VERBATIM_PHRASE_INT_H

#include "verbatim/buf.h"
#include "verbatim/phrase.h"

#include <stdint.h>
#include <stdlib.h>

/* Calls fn for every word of the quotes of `ix`, in byte order, with the
 * quotes that hold it (ascending).  Builds the word index for the call when
 * `ix` has none. */
void vb_phrase_index_postings(const struct vb_phrase_index *ix,
                              void (*fn)(void *arg, const char *word, size_t len,
                                         const struct vb_phrase_ref *refs, size_t n),
                              void *arg);

/* The view: an index file used in place (vb_phrase_index_open). */

/* The quotes that hold the normalized word word[0..len), ascending, into *out
 * (the caller frees it; *n is 0 when none); only their number when `out` is
 * NULL.  0, or -1 when the file is damaged there (recorded in the view). */
int vb_pview_postings(struct vb_phrase_view *v, const char *word, size_t len,
                      struct vb_phrase_ref **out, size_t *n);
/* Note `i`, read on first use into ix->notes.v[i]; NULL when the file is
 * damaged there (recorded in the view). */
const struct vb_pnote *vb_pview_note(struct vb_phrase_view *v, struct vb_pnotes *notes, uint32_t i);
/* The text of quote `ref` without reading its note whole (the note's record
 * when it was read); borrowed, valid until the next call on `v`.  NULL when
 * the file is damaged there (recorded in the view). */
const char *vb_pview_quote_text(struct vb_phrase_view *v, const struct vb_pnotes *notes,
                                struct vb_phrase_ref ref);
/* Records that the file is damaged (`why`), unless something was already. */
void vb_pview_damage(struct vb_phrase_view *v, const char *why);
void vb_pview_free(struct vb_phrase_view *v);
/* Frees a phrase's stored counts (struct vb_phrase's `stored`). */
void vb_phrase_stored_free(struct vb_phrase_counts *c);

/* ---- shared by the index's own files: phrase.c (note records, building),
 * phrase_words.c (words, the word table, the corpus), phrase_count.c
 * (n-grams, phrases, surface forms), phrase_cluster.c (clusters of similar
 * quotes) and phrase_query.c (filters, top phrases, search, continuations).
 * The small helpers are inline: they run in the counting loops. ---- */

/* qsort that accepts an empty or NULL array. */
static inline void vb_phr_sort_n(void *base, size_t n, size_t size,
                                 int (*cmp)(const void *, const void *))
{
        if (n > 1)
                qsort(base, n, size, cmp);
}

static inline void vb_phr_sort_r(void *base, size_t n, size_t size,
                                 int (*cmp)(const void *, const void *, void *), void *arg)
{
        if (n > 1)
                qsort_r(base, n, size, cmp, arg);
}

static inline size_t vb_phr_pow2_at_least(size_t n)
{
        size_t c = 16;
        while (c < n)
                c *= 2;
        return c;
}

static inline const char *vb_phr_ref_text(const struct vb_phrase_index *ix, struct vb_phrase_ref r)
{
        return ix->notes.v[r.note]->quotes[r.quote].text;
}

static inline int vb_phr_cmp_u32(const void *a, const void *b)
{
        uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
        return x < y ? -1 : x > y;
}

static inline int vb_phr_cmp_ref(struct vb_phrase_ref a, struct vb_phrase_ref b)
{
        if (a.note != b.note)
                return a.note < b.note ? -1 : 1;
        return a.quote < b.quote ? -1 : a.quote > b.quote;
}

struct vb_phrase_words {
        struct vb_buf pool; /* words, each followed by a NUL */
        uint32_t *off, *len;
        uint8_t *stop;
        size_t n, cap;
        uint32_t *slots; /* word id + 1, 0 when empty */
        size_t nslots;
        /* search: quotes (global numbering) and word -> quotes */
        struct vb_phrase_ref *quotes;
        size_t nquotes;
        uint32_t *post_off; /* n + 1 */
        uint32_t *post;
};

/* The tokens of every quote, as word ids.  run[i] is the number of tokens
 * from i to the end of its run (capped at 255). */
/* The quotes' words, one array for all (a word's bytes in its quote are not
 * kept: vb_phr_find_phrases tokenizes again the few quotes it takes surfaces from). */
struct vb_phr_corpus {
        uint32_t *tok;
        uint8_t *run;
        size_t ntok;
        size_t *qstart; /* nquotes + 1 */
};

/* One occurrence of words while their surface form is chosen: the hash of
 * the form and where it is written. */
struct vb_phr_surf {
        uint64_t h;
        const char *text;
        uint32_t start, end;
};

/* phrase_words.c */
/* Frees what `c` holds. */
void vb_phr_corpus_free(struct vb_phr_corpus *c);
/* The corpus of `notes`, with the words interned in `w`. */
void vb_phr_corpus_build(struct vb_phr_corpus *c, struct vb_phrase_words *w,
                         const struct vb_pnotes *notes);
/* Frees `w` and what it holds (NULL is fine). */
void vb_phr_words_free(struct vb_phrase_words *w);
/* Postings word -> distinct quotes, in quote order. */
void vb_phr_words_postings(struct vb_phrase_words *w, const struct vb_phr_corpus *c);
/* The id of the word s[0..n) in `w`, -1 when it has none. */
int64_t vb_phr_word_find(const struct vb_phrase_words *w, const char *s, size_t n);

/* phrase_count.c */
/* The order of the top phrases: in more notes first (an, bn), then longer,
 * then by text. */
int vb_phr_cmp_phrase_top(const struct vb_phrase *a, size_t an, const struct vb_phrase *b,
                          size_t bn);
/* Sets v to text[start..end) and the hash of its surface form. */
void vb_phr_surf_set(struct vb_phr_surf *v, const char *text, size_t start, size_t end);
/* The most frequent of the surface forms v[0..n) (ties: the smallest bytes),
 * owned by the caller; v is reordered. */
char *vb_phr_surface_choose(struct vb_phr_surf *v, size_t n);
/* Finds the recurring maximal phrases of the corpus `c` into ix->phrases. */
void vb_phr_find_phrases(struct vb_phrase_index *ix, const struct vb_phr_corpus *c);

/* phrase_cluster.c */
/* Groups the similar quotes of the corpus `c` into ix->clusters. */
void vb_phr_find_clusters(struct vb_phrase_index *ix, const struct vb_phr_corpus *c);

/* phrase_query.c */
/* Frees the top phrases per theme (ix->by_theme; NULL is fine). */
void vb_phr_by_theme_free(struct vb_phrase_by_theme *bt);

#endif
