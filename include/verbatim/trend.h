/* Emerging and fading themes: the one test every output uses (agg, history,
 * report, stats, data.json), and its wording.
 *
 * notes-format.md, "Trends": a theme's count in the recent weeks (the last 8,
 * as-of week included) against its own earlier rate (the 26 weeks before).
 * The test is the exact conditional test of two rates: given that the theme
 * was raised k times over both windows, under "nothing changed" each of
 * those k is in the recent window with probability q = recent conversations
 * / (recent + earlier conversations), so the recent count is Binomial(k, q).
 * Emerging: P(X >= recent count) below the false-alarm level; fading:
 * P(X <= recent count) below it.  Both notes and distinct customers must
 * pass, so one talkative customer makes no trend.  A theme never heard
 * before the recent weeks is emerging ("new") once at least 3 distinct
 * customers raised it in them and the earlier weeks had enough
 * conversations to tell: at the rate those customers raise it (customers /
 * recent conversations), the chance that none of the earlier conversations
 * carried it is below the false-alarm level (without this, a rare theme
 * that a short history happened not to hear would be "new").
 *
 * The false-alarm level is 1 / (13 x the number of themes) per theme and per
 * weekly look, Bonferroni-like: over a quarter (13 weekly looks) and the whole
 * vocabulary, about one false flag in each direction on a knowledge base
 * where nothing changes.
 *
 * Too few conversations: fewer than VB_TREND_MIN_CONVERSATIONS in either
 * window (vb_trend_too_few, the one rule for every trend: the emerging and
 * fading test, the report's directions, stats, what to build next) give
 * "too few conversations to tell", never a flag or an arrow. */
#ifndef VERBATIM_TREND_H
#define VERBATIM_TREND_H

#include "verbatim/buf.h"

#include <stddef.h>

enum {
        VB_TREND_RECENT_WEEKS = 8,
        VB_TREND_BEFORE_WEEKS = 26,
        VB_TREND_NEW_CUSTOMERS = 3, /* a theme never heard before: customers in the recent weeks */
        VB_TREND_MIN_CONVERSATIONS = 20, /* conversations in each window to tell anything */
        VB_TREND_LOOKS_PER_QUARTER = 13,
};

enum vb_trend_verdict {
        VB_TREND_STEADY = 0, /* no significant change */
        VB_TREND_TOO_FEW,    /* too few conversations to tell */
        VB_TREND_NEW,        /* emerging: never heard before the recent weeks */
        VB_TREND_RISING,     /* emerging: significantly above its earlier rate */
        VB_TREND_FADING,     /* significantly below its earlier rate */
};

/* The counts a verdict rests on (conversations only). */
struct vb_trend_counts {
        size_t recent_conversations, before_conversations; /* all conversations in the windows */
        size_t recent_notes, before_notes;                 /* those carrying the theme */
        size_t recent_customers, before_customers;         /* distinct customers of those */
        int heard_before; /* 1: a conversation before the recent weeks carried it (any date) */
        size_t nthemes;   /* themes that can be flagged: sets the false-alarm level */
};

struct vb_trend {
        enum vb_trend_verdict verdict;
        struct vb_trend_counts counts;
        double expected_notes, expected_customers; /* the earlier rate x recent conversations */
        double p_notes, p_customers; /* one-sided tails (up for rising, down for fading) */
        double p;                    /* the larger of the two: the chance by luck */
        double alpha;                /* the false-alarm level used */
};

/* 1 when the windows hold too few conversations to tell any trend: fewer
 * than VB_TREND_MIN_CONVERSATIONS in the last 8 weeks or in the 26 before. */
int vb_trend_too_few(size_t recent_conversations, size_t before_conversations);

/* Appends "too few conversations to tell: 11 in the last 8 weeks and 3 in
 * the 26 before (20 needed in each)".  Plain text. */
void vb_trend_too_few_words(struct vb_buf *out, size_t recent_conversations,
                            size_t before_conversations);

/* Decides a theme's trend from its counts. */
void vb_trend_test(struct vb_trend *out, const struct vb_trend_counts *c);

/* 1 when the verdict is NEW or RISING. */
int vb_trend_is_emerging(const struct vb_trend *t);

/* "new", "rising", "fading", "steady" or "too-few" (static). */
const char *vb_trend_verdict_name(enum vb_trend_verdict v);

/* Appends the verdict in plain words with the counts and the probability,
 * e.g. "12 customers (14 notes) in 8 weeks; about 3 expected; chance by
 * luck 1 in 2,000" (expected: from its share of conversations in the 26
 * weeks before), "new: 4 customers (5 notes) in 8 weeks, never heard
 * in the 300 conversations before; chance by luck 1 in 3,000", "too few conversations to tell".
 * Plain text (escape it for HTML). */
void vb_trend_describe(struct vb_buf *out, const struct vb_trend *t);

/* Appends the verdict as a JSON object: its name, the counts, the expected
 * counts, the probability, the false-alarm level and the plain words. */
void vb_trend_json(struct vb_buf *out, const struct vb_trend *t);

/* Appends one sentence naming the test and its false-alarm level for
 * `nthemes` themes.  Plain text. */
void vb_trend_method(struct vb_buf *out, size_t nthemes);

/* Appends "1 in 2,000" for a probability (two significant digits; "less
 * than 1 in a million" below 1e-6; "about even" above 0.5). */
void vb_trend_chance(struct vb_buf *out, double p);

/* Binomial tails: P(X >= k) and P(X <= k) for X ~ Binomial(n, q): exact
 * sums (relative error about 1e-13); tails below about 1e-40 are 0. */
double vb_binom_upper(size_t k, size_t n, double q);
double vb_binom_lower(size_t k, size_t n, double q);

#endif
