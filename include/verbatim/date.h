/* Calendar dates and ISO 8601 weeks. */
#ifndef VERBATIM_DATE_H
#define VERBATIM_DATE_H

#include <stdint.h>
#include <time.h>

/* Weekly series reach this many weeks back from the as-of week at most (ten
 * years): an older note counts in totals, in no week, so one absurd date
 * cannot stretch a chart over centuries. */
#define VB_MAX_WEEKS 520

struct vb_date {
        int year, month, day; /* all 0 when absent */
};

enum vb_date_status {
        VB_DATE_OK = 0,
        VB_DATE_SYNTAX = -1,  /* not YYYY-MM-DD with an optional time and offset */
        VB_DATE_INVALID = -2, /* YYYY-MM-DD, but no such day (2026-02-30) */
};

/* Parses "2026-11-03", "2026-11-03 15:00:00 -5", "2026-11-03T12:00:00Z": the
 * calendar date as written counts, the time and offset are ignored. */
int vb_date_parse(struct vb_date *out, const char *s);
/* Days since 1970-01-01 (negative before). */
int64_t vb_date_days(struct vb_date d);
struct vb_date vb_date_from_days(int64_t days);
/* The calendar date (UTC) of a Unix time. */
struct vb_date vb_date_from_time(int64_t t);
/* Today (UTC), or the day of SOURCE_DATE_EPOCH when it is set. */
struct vb_date vb_date_today(void);
/* The ISO week: year and week number (1-53). */
void vb_date_iso_week(struct vb_date d, int *year, int *week);
/* A week as a number that orders and subtracts: days of its Monday / 7. */
int64_t vb_week_index(struct vb_date d);
/* "2026-W45" for a week index; `out` holds at least 16 bytes. */
void vb_week_label(int64_t week, char *out);
/* "2026-11-03"; `out` holds at least 16 bytes. */
void vb_date_format(struct vb_date d, char *out);
int vb_date_cmp(struct vb_date a, struct vb_date b);
int vb_date_is_set(struct vb_date d);
/* Widens the range [*first, *last] to hold `d` (an unset end is taken by the
 * first date); an unset `d` changes nothing. */
void vb_date_widen(struct vb_date *first, struct vb_date *last, struct vb_date d);

#endif
