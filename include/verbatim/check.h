/* The rules of `verbatim check`: a note against the vocabulary, and the rules
 * that need every note (duplicate ids, follows:). */
#ifndef VERBATIM_CHECK_H
#define VERBATIM_CHECK_H

#include "verbatim/diag.h"
#include "verbatim/kb.h"

/* Checks one parsed note; `today` is the date after which (plus one day) a
 * call date is in the future. */
void vb_check_note(const struct vb_note *n, const struct vb_vocab *v, struct vb_date today,
                   struct vb_diags *d);
/* Checks what needs the whole knowledge base: duplicate ids and follows:.
 * vb_kb_load runs these rules (and vb_check_note on every note) itself when
 * it loads the whole knowledge base: a caller of vb_kb_load needs neither. */
void vb_check_kb(const struct vb_kb *kb, struct vb_diags *d);
/* The same rules on `nrefs` refs (of every note). */
void vb_check_refs(const struct vb_note_ref *refs, size_t nrefs, struct vb_diags *d);
/* 1 when `date` (set) is in the future: after `today` plus one day. */
int vb_check_date_future(struct vb_date date, struct vb_date today);
/* 1 when `date` is set and check finds no error in it: from 1970-01-01 to
 * `today` plus one day. */
int vb_check_date_usable(struct vb_date date, struct vb_date today);

#endif
