/* What to build next: the opportunity ranking (notes-format.md,
 * "Opportunity").
 *
 * Only problems and feature requests are ranked (never reasons or
 * emotions).  A theme's score starts from its distinct customers, so one
 * talkative customer does not make a priority, and is then weighted by
 * factors that are each shown beside it, never only the total:
 *
 *   score = customers
 *         x (1 + lost-revenue x share of its conversations from lost-revenue
 *                segments: cart abandoners and returners by default)
 *         x (1 + high-ltv x share of its customers in the top LTV tier)
 *         x (1 + trend x t), t in -1..1: (r - 1) / (r + 1) where r is its share
 *                of conversations in the last 8 weeks over the 26 before
 *                (each count + 0.5); t = 0 when either window has too few
 *                conversations (vb_trend_too_few: "too few to tell")
 *         x roadmap[status] of the most advanced roadmap item that lists it
 *                (idea 0.9, planned 0.7, building 0.5, shipped 0.3), 1 without
 *
 * The weights are those of `opportunity:` in verbatim.yml (struct
 * vb_opportunity_weights).  Themes heard from fewer than
 * VB_OPPORTUNITY_MIN_CUSTOMERS customers are not ranked. */
#ifndef VERBATIM_OPPORTUNITY_H
#define VERBATIM_OPPORTUNITY_H

#include "verbatim/agg.h"
#include "verbatim/phrase.h"

#include <stddef.h>

enum { VB_OPPORTUNITY_MIN_CUSTOMERS = 2 };

enum vb_opportunity_trend {
        VB_OPP_TOO_FEW = 0, /* too few conversations on either side to tell */
        VB_OPP_FLAT,        /* the trend test (trend.h) says steady */
        VB_OPP_UP,          /* it says new or rising */
        VB_OPP_DOWN,        /* it says fading */
};

struct vb_opportunity {
        const struct vb_theme_stats *theme; /* borrowed from the agg */
        size_t customers, notes;
        size_t lost_notes;     /* its conversations from lost-revenue segments */
        double lost_share;     /* lost_notes / notes */
        size_t high_customers; /* its customers in the top LTV tier */
        double high_share;     /* high_customers / customers */
        enum vb_opportunity_trend trend;
        size_t recent_notes, recent_conversations; /* the last 8 weeks */
        size_t before_notes, before_conversations; /* the 26 weeks before */
        double trend_ratio;                        /* smoothed share ratio; 0 when too few */
        const struct vb_roadmap_item *roadmap;     /* the most advanced item listing it, or NULL */
        double lost_factor, ltv_factor, trend_factor, roadmap_factor;
        double score;
        /* the customers' most frequent phrase for it (normalized words, borrowed
         * from the phrase index given), NULL when none recurs */
        const char *phrase;
        const char *phrase_text; /* the same as customers said it most often */
        size_t phrase_notes;
};

struct vb_opportunities {
        struct vb_opportunity *v; /* by score desc, customers desc, key asc */
        size_t n;
        size_t unranked;      /* problems and requests below the customer minimum */
        size_t candidates;    /* themes of kind problem or feature-request */
        const char *top_tier; /* the label of the top LTV tier */
};

/* Ranks the problems and feature requests of `a`.  With `phrases` (may be
 * NULL; vb_phrase_top_theme is called on it), each row gets its theme's most
 * frequent phrase, borrowed from it.  Free with vb_opportunities_release. */
void vb_opportunities_build(struct vb_opportunities *out, const struct vb_agg *a,
                            struct vb_phrase_index *phrases);
/* A phrase index of the conversations `a` counts (its filter and as-of
 * date), or NULL when it cannot be built.  The caller frees it with
 * vb_phrase_index_release and free(). */
struct vb_phrase_index *vb_opportunities_phrase_index(const struct vb_agg *a);
void vb_opportunities_release(struct vb_opportunities *o);

/* "up", "down", "flat" or "too few to tell" (static). */
const char *vb_opportunity_trend_name(enum vb_opportunity_trend t);

/* Appends the ranking as JSON (an object: as_of, weights, rows with every part
 * of the score) or as TSV (a header line, then a row per theme). */
void vb_opportunities_json(struct vb_buf *out, const struct vb_agg *a,
                           const struct vb_opportunities *o, size_t limit);
void vb_opportunities_tsv(struct vb_buf *out, const struct vb_opportunities *o, size_t limit);

#endif
