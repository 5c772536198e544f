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
/* Checks what needs the whole knowledge base. */
void vb_check_kb(const struct vb_kb *kb, struct vb_diags *d);

#endif
