/* The LTV dual track (notes-format.md, "LTV dual track"): the themes
 * over-represented among customers of the top LTV tier against those of the
 * lowest tier, and the reverse.
 *
 * A theme's share in a tier is its conversations in that tier over all the
 * tier's conversations (a note's tier comes from its own ltv:); the ratio is
 * the top tier's share over the lowest's.  A theme is ranked only with at
 * least VB_LTV_MIN_NOTES conversations in each of the two tiers; the others
 * are kept, with their counts, as "too few to tell". */
#ifndef VERBATIM_LTV_H
#define VERBATIM_LTV_H

#include "verbatim/agg.h"

enum { VB_LTV_MIN_NOTES = 5 };

struct vb_ltv_theme {
        const struct vb_theme_stats *theme; /* borrowed from the agg */
        size_t high_notes, low_notes;       /* its conversations in each tier */
        double high_share, low_share;
        double ratio; /* high_share / low_share; 0 when not ranked */
        int ranked;
};

struct vb_ltv_track {
        const char *high, *low; /* the tiers' labels; NULL when fewer than 2 tiers */
        size_t high_conversations, low_conversations;
        /* ranked themes over-represented among the top tier (ratio > 1, highest
         * first), among the lowest (ratio < 1, lowest first), then the themes
         * too few to tell (most conversations first) */
        struct vb_ltv_theme *high_first, *low_first, *too_few;
        size_t nhigh_first, nlow_first, ntoo_few;
};

/* Builds the dual track of `a` (the notes it counts).  Free with
 * vb_ltv_track_release. */
void vb_ltv_track_build(struct vb_ltv_track *out, const struct vb_agg *a);
void vb_ltv_track_release(struct vb_ltv_track *t);
/* Appends it as a JSON object (every theme with its counts). */
void vb_ltv_track_json(struct vb_buf *out, const struct vb_ltv_track *t);

#endif
