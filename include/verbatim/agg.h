/* Aggregation: the counts, rates, weekly series and trends every report,
 * data export and `stats` show, computed once from a loaded knowledge base.
 *
 * The meaning of every number is the one of notes-format.md ("Terms, counts
 * and time"): calls are attempts (notes), conversations are connected notes,
 * themes and quotes come from conversations only, weeks are ISO weeks, and
 * everything is relative to the as-of date, never the clock. */
#ifndef VERBATIM_AGG_H
#define VERBATIM_AGG_H

#include "verbatim/arena.h"
#include "verbatim/date.h"
#include "verbatim/kb.h"
#include "verbatim/trend.h"

#include <stddef.h>
#include <stdint.h>

/* A weekly series from agg->first_week to agg->last_week (inclusive). */
struct vb_series {
        uint32_t *count; /* nweeks values; empty weeks are 0 */
};

struct vb_count {
        const char *key; /* a segment key, LTV tier label, theme or reason group */
        const char *label;
        size_t notes;
        size_t customers; /* distinct customers */
};

/* The one order of every ranking (notes-format.md: rankings use distinct
 * customers, so that one talkative customer does not lead): most distinct
 * customers first, then most notes, then key in byte order.  Negative when
 * a ranks before b, as for qsort. */
int vb_rank_cmp(size_t a_customers, size_t a_notes, const char *a_key, size_t b_customers,
                size_t b_notes, const char *b_key);
/* The order of counts: vb_rank_cmp (for qsort). */
int vb_count_cmp(const void *a, const void *b);

/* Sorts `n` keys ascending: the radix sort the aggregates count distinct
 * customers with (keys like group << 32 | customer), for other counters of
 * distinct customers (products.c). */
void vb_sort_keys(uint64_t *v, size_t n);

struct vb_quote_ref {
        const struct vb_note *note; /* borrowed from the kb */
        size_t quote;               /* index in note->quotes */
};

struct vb_theme_stats {
        const char *key; /* the canonical theme, or "unknown" for unknown tags */
        const char *label;
        const char *kind;                     /* NULL when the vocabulary gives none */
        size_t notes;                         /* conversations that carry the theme */
        size_t customers;                     /* distinct customers of those */
        double share;                         /* notes / all conversations */
        struct vb_count *segments;            /* one per agg->segments entry, same order */
        struct vb_count *tiers;               /* one per agg->tiers entry, same order */
        struct vb_series weekly;              /* conversations per week carrying it (call date) */
        struct vb_date first_seen, last_seen; /* call dates */
        /* trend: share of conversations in the last 8 weeks vs the 26 before */
        double share_recent, share_before;
        size_t recent_notes, recent_customers; /* in the last 8 weeks */
        size_t month_notes, month_customers;   /* in the last 4 weeks (as-of week included) */
        struct vb_trend trend;                 /* emerging, fading or steady, and why (trend.h) */
        int emerging;                          /* trend.verdict is new or rising */
        int fading;                            /* trend.verdict is fading */
        const char *emerging_why;     /* "new" or "rising", static; NULL when not emerging */
        struct vb_count *cooccurring; /* other themes of the same notes, vb_count_cmp */
        size_t ncooccurring;
        struct vb_quote_ref *quotes; /* the quotes whose themes include this one, by date */
        size_t nquotes;
        const struct vb_roadmap_item **roadmap; /* items that list this theme */
        size_t nroadmap;
};

/* The new-theme rate (notes-format.md): a conversation brings something new
 * when it carries a theme no earlier conversation carried, or a quote none
 * of whose phrases (2-6 words, phrase.h) any earlier quote holds; a quote
 * without any phrase (one word, stop words only) brings nothing new.
 * Earlier: an earlier date, or the same date and a smaller note id (as for
 * follows:).  Dated conversations up to the as-of date only. */
enum { VB_SATURATION_WEEKS = 4 }; /* weeks at or below the share below make saturation */
#define VB_SATURATION_SHARE 0.1

struct vb_novelty {
        struct vb_series fresh;      /* per week: conversations that brought something new */
        struct vb_series *seg_fresh; /* the same per segment (agg->segments order) */
        struct vb_series *seg_conversations; /* conversations per week and segment */
        size_t since_new;        /* conversations since the last that brought something new */
        size_t conversations;    /* dated conversations counted */
        struct vb_date last_new; /* the last that brought something new (unset: none) */
        int64_t saturated_since; /* first week of the trailing run of >= VB_SATURATION_WEEKS weeks
                                    with conversations, each at most VB_SATURATION_SHARE new;
                                    -1 when there is none */
};

struct vb_segment_stats {
        const char *key, *label;
        size_t attempts, conversations;
        size_t customers, customers_reached;
        double connect_rate;     /* conversations / attempts (0 when no attempt) */
        double customer_rate;    /* customers_reached / customers */
        struct vb_series weekly; /* attempts per week */
};

struct vb_job_ref {
        const struct vb_note *note;
        const struct vb_job *job;
};

struct vb_why_ref {
        const struct vb_note *note;
        const char *root; /* the last five-whys item (its answer) */
};

/* One theme of a shipped roadmap item, before and after (notes-format.md,
 * "Before and after"). */
struct vb_before_after {
        const char *theme, *label;
        size_t before_notes, after_notes; /* conversations carrying it */
};

struct vb_roadmap_stats {
        const struct vb_roadmap_item *item;
        const struct vb_note **supporting; /* conversations whose roadmap: names it, by date */
        size_t nsupporting;
        const struct vb_note **validating; /* connected, after shipped, naming it, with follows: */
        size_t nvalidating;
        struct vb_count *themes; /* themes of the supporting notes, vb_count_cmp */
        size_t nthemes;
        /* supported by theme: conversations carrying one of its themes, and
         * their distinct customers (the linked ones are `supporting`) */
        size_t theme_notes, theme_customers;
        /* the validating calls' verdicts, by enum vb_verdict: [0] not given,
         * [1] solved, [2] partly, [3] not solved */
        size_t verdicts[4];
        /* Before and after, for an item shipped on a date: `weeks` weeks (as
         * many as the as-of date allows after it, up to 12; 0: none) before and
         * after the shipped date, the shipped day itself in neither; the
         * conversations in each window, those carrying one of its themes, and
         * each theme's counts (the item's order) */
        size_t weeks;
        size_t before_conversations, after_conversations;
        size_t before_notes, after_notes;
        struct vb_before_after *before_after;
        size_t nbefore_after;
        /* customers to call back, for a shipped item: those of its supporting
         * calls with no conversation after the shipped date (ids, sorted) */
        const char **call_back;
        size_t ncall_back;
};

enum { VB_BEFORE_AFTER_MAX_WEEKS = 12 };

/* Which notes count: NULL fields match every note.  `product` and `line`
 * match a note that names the product, or a product of the line; `tier` is an LTV tier label
 * ("unknown" for notes without ltv:). */
struct vb_agg_filter {
        const char *segment, *product, *line, *tier;
};

struct vb_agg {
        struct vb_arena arena;  /* everything below lives here */
        const struct vb_kb *kb; /* borrowed */
        struct vb_date as_of;
        struct vb_agg_filter filter;   /* the options' (strings borrowed) */
        int64_t first_week, last_week; /* week indexes (vb_week_index); last = as-of week */
        size_t nweeks;

        size_t attempts, conversations, customers, customers_reached;
        double connect_rate, customer_rate;
        size_t notes_with_errors; /* from the kb: every output says it */
        size_t unknown_tags;      /* tags that are no key or alias */
        struct vb_series weekly_attempts, weekly_conversations;
        size_t streak; /* consecutive weeks with >= 1 attempt, ending at the as-of week */
        size_t this_week, last_week_attempts; /* attempts in the as-of week and the one before */
        size_t undated;     /* notes without a valid date: in the totals, in no week */
        size_t after_as_of; /* notes dated after the as-of date: left out of everything */
        /* notes dated VB_MAX_WEEKS weeks or more before the as-of week: in
         * the totals, in no week */
        size_t before_weeks;

        struct vb_segment_stats *segments; /* vocabulary order, then others by key */
        size_t nsegments;
        const char **tiers; /* LTV tier labels, then "unknown" */
        size_t ntiers;
        struct vb_theme_stats *themes; /* vb_rank_cmp: customers, notes, key */
        size_t nthemes;
        const struct vb_theme_stats **themes_by_key; /* the same, by key (vb_agg_theme) */

        /* cart abandoners' main reasons, grouped by reason-groups */
        struct vb_count *reasons; /* vb_count_cmp: customers, notes, key */
        size_t nreasons;
        size_t abandoner_conversations, abandoners_with_reason;
        /* notes-format.md, "The price share": abandoners' conversations whose
         * main reason is the `price` key itself, over all abandoners'
         * conversations; beside it the group that holds `price` (NULL when
         * price is in no group), named by its members ("price or shipping
         * cost"), and its share */
        size_t price_notes;
        double price_share;
        const char *price_group, *price_group_name;
        size_t price_group_notes;
        double price_group_share;

        struct vb_job_ref *jobs;
        size_t njobs;
        struct vb_why_ref *whys;
        size_t nwhys;
        struct vb_roadmap_stats *roadmap; /* roadmap.yml order */
        size_t nroadmap;
        /* emerging and fading themes ("unknown" never), most recent customers first */
        const struct vb_theme_stats **emerging, **fading;
        size_t nemerging, nfading;
        size_t trend_themes; /* themes the trend test looks at (its false-alarm level) */
        int trend_too_few;   /* too few conversations to tell any trend (vb_trend_too_few) */
        size_t trend_recent_conversations, trend_before_conversations; /* its two windows */
        struct vb_novelty novelty;                                     /* the new-theme rate */
        /* themes with notes but no roadmap item, most-mentioned first */
        const struct vb_theme_stats **unplanned;
        size_t nunplanned;
};

struct vb_agg_options {
        struct vb_date as_of; /* unset: the newest note date */
        /* only these notes count (the as-of date is still that of every
         * note, so that filtered views share their weeks) */
        struct vb_agg_filter filter;
};

/* 1 if `n` passes `f`. */
int vb_agg_note_matches(const struct vb_vocab *v, const struct vb_note *n,
                        const struct vb_agg_filter *f);
/* 1 if `n` is among the notes `a` counts: dated up to the as-of date (or
 * undated) and passing its filter. */
int vb_agg_note_counts(const struct vb_agg *a, const struct vb_note *n);

/* Computes every aggregate of `kb` (whose notes must have been kept).  Notes
 * dated after the as-of date are left out; notes without a valid date count
 * in the totals and themes but in no week.  A note's unknown tags give it
 * the theme "unknown" (a quote's, when one of its hashtags is unknown);
 * roadmap items, emerging and unplanned themes leave "unknown" out.
 * Emerging and fading: vb_trend_test on the last 8 weeks against the 26
 * before (dated conversations; see trend.h).  Supporting notes are
 * conversations.  `opt` may be NULL.  Returns VB_OK; the result borrows the
 * kb's notes and vocabulary: free it with vb_agg_free before the kb. */
int vb_agg_build(struct vb_agg **out, const struct vb_kb *kb, const struct vb_agg_options *opt);
void vb_agg_free(struct vb_agg *a);

/* Appends the new-theme rate in one or two plain sentences ("The last 40
 * conversations raised no theme or words you had not heard (the last new
 * one on 2026-09-14). Saturated since 2026-W30: ...").  Plain text. */
void vb_agg_novelty_sentence(struct vb_buf *out, const struct vb_agg *a);

/* Appends the new-theme rate as a JSON object: the sentence, since_new,
 * last_new, saturated_since, first_week and the weekly series `new`
 * (overall) and, per segment, `conversations` and `new`. */
void vb_agg_novelty_json(struct vb_buf *out, const struct vb_agg *a);

/* The weekly ritual (verbatim stats; src/agg_ritual.c). */
#define VB_AGG_TOP_THEMES 5
/* The themes heard in the last 4 weeks, most first ("unknown" left out), in
 * *out (the caller frees the array); returns how many to show, at most
 * VB_AGG_TOP_THEMES. */
size_t vb_agg_top_themes(const struct vb_agg *a, const struct vb_theme_stats ***out);
/* 1 when theme `t` was first heard in the as-of week (never "unknown"). */
int vb_agg_new_this_week(const struct vb_agg *a, const struct vb_theme_stats *t);
/* Appends the JSON document of `verbatim stats --format=json`. */
void vb_agg_stats_json(struct vb_buf *out, const struct vb_agg *a);

/* The theme's stats, or NULL (a binary search by key). */
const struct vb_theme_stats *vb_agg_theme(const struct vb_agg *a, const char *key);
/* Index of a week in the series (week index - first_week), or -1 outside. */
long vb_agg_week_slot(const struct vb_agg *a, struct vb_date d);

/* Sum of the last `weeks` values of a series (the as-of week and the ones
 * before it). */
size_t vb_agg_series_last(const struct vb_agg *a, const struct vb_series *s, size_t weeks);

/* This month's top themes: those heard in the last 4 weeks ("unknown" left
 * out), of kind `kind` (NULL: any), ranked by vb_rank_cmp on this month's
 * customers and notes, ties by the overall rank.  Puts the first `max`
 * (borrowed from `a`) in `out` and returns how many. */
size_t vb_agg_month_top(const struct vb_agg *a, const char *kind, const struct vb_theme_stats **out,
                        size_t max);

/* Appends the price sentence a product manager can repeat: "13 % named price
 * (price or shipping cost as a group: 26 %); 87 % something else: fit 21 %,
 * ..." (plain text, no markup; "" when no cart abandoner was heard). */
void vb_agg_price_sentence(struct vb_buf *out, const struct vb_agg *a);

/* Appends the aggregates as one JSON document (deterministic); quote, job
 * and five-whys texts have personal data redacted (vb_pii_redact). */
void vb_agg_json(struct vb_buf *out, const struct vb_agg *a);
/* Appends a CSV table for spreadsheets (RFC 4180, CRLF line ends, redacted
 * texts, cells starting with = + - @ prefixed with an apostrophe):
 * one of vb_agg_csv_tables (docs/data-format.md).  VB_ERR_NOTFOUND for another
 * name (nothing appended). */
int vb_agg_csv(struct vb_buf *out, const struct vb_agg *a, const char *table);
/* The names of the CSV tables, NULL-terminated (static). */
extern const char *const vb_agg_csv_tables[];

#endif
