/* Private to the phrase index (phrase.c and phrase_file.c): what the index
 * file's writer and its in-place reader (the view) share with the index. */
#ifndef VERBATIM_PHRASE_INT_H
#define VERBATIM_PHRASE_INT_H

#include "verbatim/phrase.h"

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

#endif
