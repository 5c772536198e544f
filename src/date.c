/* Calendar dates: parsing, day numbers (proleptic Gregorian) and ISO weeks.
 *
 * Day numbers use Howard Hinnant's days_from_civil / civil_from_days, which
 * need no timegm, no time zone and no locale. */
#include "verbatim/date.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

/* Keeps years inside an int: about +-2e9 years either way of 1970. */
#define VB_DAYS_LIMIT (146097LL * 5000000LL)

static int is_digit(char c)
{
        return c >= '0' && c <= '9';
}

static int is_space(char c)
{
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Reads exactly n digits at *p into *val; advances *p on success. */
static int read_digits(const char **p, int n, int *val)
{
        int v = 0;
        for (int i = 0; i < n; i++) {
                if (!is_digit((*p)[i]))
                        return 0;
                v = v * 10 + ((*p)[i] - '0');
        }
        *p += n;
        *val = v;
        return 1;
}

static int is_leap(int64_t y)
{
        return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int64_t y, int m)
{
        static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* The optional " 15:00:00.5 -05:00" after the date; returns 1 when p is at
 * the end of a well-formed suffix (trailing whitespace allowed). */
static int parse_time_suffix(const char *p)
{
        int h, m, sec;
        if (*p == ' ' || *p == 'T' || *p == 't') {
                if (*p == ' ' && !is_digit(p[1]))
                        goto rest;
                p++;
                if (!read_digits(&p, 2, &h) || *p++ != ':' || !read_digits(&p, 2, &m))
                        return 0;
                if (h > 23 || m > 59)
                        return 0;
                if (*p == ':') {
                        p++;
                        if (!read_digits(&p, 2, &sec) || sec > 60)
                                return 0;
                        if (*p == '.' || *p == ',') {
                                p++;
                                if (!is_digit(*p))
                                        return 0;
                                while (is_digit(*p))
                                        p++;
                        }
                }
                if (*p == ' ' && (p[1] == 'Z' || p[1] == 'z' || p[1] == '+' || p[1] == '-'))
                        p++;
                if (*p == 'Z' || *p == 'z') {
                        p++;
                } else if (*p == '+' || *p == '-') {
                        int oh, om;
                        p++;
                        if (!is_digit(*p))
                                return 0;
                        if (is_digit(p[1])) {
                                read_digits(&p, 2, &oh);
                                if (*p == ':') {
                                        p++;
                                        if (!read_digits(&p, 2, &om))
                                                return 0;
                                } else if (is_digit(*p)) {
                                        if (!read_digits(&p, 2, &om))
                                                return 0;
                                } else {
                                        om = 0;
                                }
                        } else {
                                oh = *p++ - '0';
                                om = 0;
                        }
                        if (oh > 23 || om > 59)
                                return 0;
                }
        }
rest:
        while (is_space(*p))
                p++;
        return *p == '\0';
}

int vb_date_parse(struct vb_date *out, const char *s)
{
        const char *p = s;
        int y, m, d;
        out->year = out->month = out->day = 0;
        while (is_space(*p))
                p++;
        if (!read_digits(&p, 4, &y) || *p++ != '-' || !read_digits(&p, 2, &m) || *p++ != '-' ||
            !read_digits(&p, 2, &d))
                return VB_DATE_SYNTAX;
        if (is_digit(*p) || !parse_time_suffix(p))
                return VB_DATE_SYNTAX;
        if (y < 1 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
                return VB_DATE_INVALID;
        out->year = y;
        out->month = m;
        out->day = d;
        return VB_DATE_OK;
}

int64_t vb_date_days(struct vb_date d)
{
        int64_t y = d.year;
        int64_t m = d.month, day = d.day;
        y -= m <= 2;
        int64_t era = (y >= 0 ? y : y - 399) / 400;
        int64_t yoe = y - era * 400;
        int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
}

struct vb_date vb_date_from_days(int64_t days)
{
        struct vb_date r;
        if (days > VB_DAYS_LIMIT)
                days = VB_DAYS_LIMIT;
        if (days < -VB_DAYS_LIMIT)
                days = -VB_DAYS_LIMIT;
        int64_t z = days + 719468;
        int64_t era = (z >= 0 ? z : z - 146096) / 146097;
        int64_t doe = z - era * 146097;
        int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        int64_t mp = (5 * doy + 2) / 153;
        int64_t m = mp < 10 ? mp + 3 : mp - 9;
        r.year = (int)(yoe + era * 400 + (m <= 2));
        r.month = (int)m;
        r.day = (int)(doy - (153 * mp + 2) / 5 + 1);
        return r;
}

struct vb_date vb_date_from_time(int64_t t)
{
        int64_t days = t / 86400;
        if (t % 86400 < 0)
                days--;
        return vb_date_from_days(days);
}

struct vb_date vb_date_today(void)
{
        const char *env = getenv("SOURCE_DATE_EPOCH");
        if (env && (is_digit(env[0]) || (env[0] == '-' && is_digit(env[1])))) {
                char *end;
                errno = 0;
                long long v = strtoll(env, &end, 10);
                if (!errno && *end == '\0')
                        return vb_date_from_time(v);
        }
        return vb_date_from_time((int64_t)time(NULL));
}

/* Monday = 0 ... Sunday = 6; 1970-01-01 was a Thursday. */
static int64_t weekday(int64_t days)
{
        int64_t w = (days + 3) % 7;
        return w < 0 ? w + 7 : w;
}

void vb_date_iso_week(struct vb_date d, int *year, int *week)
{
        int64_t days = vb_date_days(d);
        int64_t thursday = days - weekday(days) + 3;
        struct vb_date td = vb_date_from_days(thursday);
        struct vb_date jan1 = {td.year, 1, 1};
        *year = td.year;
        *week = (int)((thursday - vb_date_days(jan1)) / 7 + 1);
}

int64_t vb_week_index(struct vb_date d)
{
        int64_t monday = vb_date_days(d);
        monday -= weekday(monday);
        /* Mondays are 4 mod 7 (1970-01-05), so this floor is exact per week. */
        return monday >= 0 ? monday / 7 : -((-monday + 6) / 7);
}

void vb_week_label(int64_t week, char *out)
{
        int year, num;
        if (week > VB_DAYS_LIMIT / 7)
                week = VB_DAYS_LIMIT / 7;
        if (week < -VB_DAYS_LIMIT / 7)
                week = -VB_DAYS_LIMIT / 7;
        vb_date_iso_week(vb_date_from_days(week * 7 + 4), &year, &num);
        snprintf(out, 16, "%04d-W%02d", year, num);
}

void vb_date_format(struct vb_date d, char *out)
{
        if (d.year < 0 || d.year > 9999 || d.month < 0 || d.day < 0) {
                snprintf(out, 16, "%04d-%02d-%02d", d.year, d.month % 100, d.day % 100);
                return;
        }
        /* what that snprintf writes, without printf: a date is written per row */
        int f[3] = {d.year, d.month % 100, d.day % 100}, width[3] = {4, 2, 2};
        char *p = out;
        for (int k = 0; k < 3; k++) {
                if (k)
                        *p++ = '-';
                for (int i = width[k] - 1, v = f[k]; i >= 0; i--, v /= 10)
                        p[i] = (char)('0' + v % 10);
                p += width[k];
        }
        *p = '\0';
}

int vb_date_cmp(struct vb_date a, struct vb_date b)
{
        if (a.year != b.year)
                return a.year < b.year ? -1 : 1;
        if (a.month != b.month)
                return a.month < b.month ? -1 : 1;
        if (a.day != b.day)
                return a.day < b.day ? -1 : 1;
        return 0;
}

int vb_date_is_set(struct vb_date d)
{
        return d.year != 0 || d.month != 0 || d.day != 0;
}

void vb_date_widen(struct vb_date *first, struct vb_date *last, struct vb_date d)
{
        if (!vb_date_is_set(d))
                return;
        if (!vb_date_is_set(*first) || vb_date_cmp(d, *first) < 0)
                *first = d;
        if (!vb_date_is_set(*last) || vb_date_cmp(d, *last) > 0)
                *last = d;
}
