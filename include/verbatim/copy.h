/* Customers' words as copy: the copy bank and the positioning tests of
 * copy.yml (read by vocab.h, vb_vocab_load_copy).
 *
 * The copy bank lists, per theme, the recurring phrases of the phrase index
 * (phrase.h) said by at least VB_COPY_MIN_CUSTOMERS distinct customers, in
 * two roles: benefits, said by buyers (segment "buyer"), and objections to
 * answer, said by cart abandoners and returners ("abandoner", "returner").
 * A phrase's themes are those of the quotes it occurs in.  Each row has a
 * length class for common ad slots: a headline is at most 30 characters, a
 * description at most 90 (code points), longer is "long". */
#ifndef VERBATIM_COPY_H
#define VERBATIM_COPY_H

#include "verbatim/agg.h"
#include "verbatim/phrase.h"

enum { VB_COPY_MIN_CUSTOMERS = 2, VB_COPY_HEADLINE = 30, VB_COPY_DESCRIPTION = 90 };

enum vb_copy_role { VB_COPY_BENEFIT, VB_COPY_OBJECTION };

struct vb_copy_row {
        const char *theme;
        enum vb_copy_role role;
        const char *text; /* the words as shown (in the bank's arena) */
        const char *key;  /* the phrase's normalized words (borrowed from the index) */
        size_t chars;     /* code points of text */
        size_t notes, customers;
        struct vb_date first, last;
        const char *examples[3]; /* ids of notes that say it, newest first */
        size_t nexamples;
};

struct vb_copy_bank {
        struct vb_arena arena;
        struct vb_copy_row *v; /* by theme, role (benefits first), customers desc, text */
        size_t n;
};

/* The bank of the conversations in `ix` (built from `a`'s notes, e.g. with
 * vb_opportunities_phrase_index); `theme` (NULL: all) keeps one theme,
 * `since` (unset: all) leaves out notes dated before it.  Free with
 * vb_copy_bank_release. */
void vb_copy_bank_build(struct vb_copy_bank *out, const struct vb_agg *a,
                        const struct vb_phrase_index *ix, const char *theme, struct vb_date since);
void vb_copy_bank_release(struct vb_copy_bank *b);

/* "headline", "description" or "long" for a row. */
const char *vb_copy_length_name(const struct vb_copy_row *r);
/* "benefit" or "objection". */
const char *vb_copy_role_name(enum vb_copy_role r);

/* A test's lift, (result - control) / control: 0 and *ok 0 when it has no
 * control, no result or a control of 0. */
double vb_copy_lift(const struct vb_copy_test *t, int *ok);

/* The bank as CSV (RFC 4180, CRLF, cells starting with = + - @ prefixed with
 * an apostrophe) or JSON; `limit` rows per theme and role (0: all). */
void vb_copy_bank_csv(struct vb_buf *out, const struct vb_copy_bank *b, size_t limit);
void vb_copy_bank_json(struct vb_buf *out, const struct vb_copy_bank *b, size_t limit);

#endif
