/* Unit tests for date.h: parsing, day numbers, ISO weeks. */
#include "verbatim/date.h"
#include "t.h"

#include <stdlib.h>

static struct vb_date D(int y, int m, int d) {
        struct vb_date r = {y, m, d};
        return r;
}

static int
parse(const char *s)
{
        struct vb_date d;
        return vb_date_parse(&d, s);
}

static const char *parsed(const char *s)
{
        static char out[16];
        struct vb_date d;
        if (vb_date_parse(&d, s))
                return "(error)";
        vb_date_format(d, out);
        return out;
}

/* vb_date_format writes what snprintf("%04d-%02d-%02d") would, whatever
 * the fields hold. */
static void test_format(void)
{
        static const int years[] = {0, 1, 9, 10, 99, 100, 999, 1000, 2026, 9999, 10000, -1, 123456};
        static const int small[] = {0, 1, 9, 10, 12, 31, 99, 100, 123, -1, -42};
        char got[16], want[16];
        for (size_t y = 0; y < sizeof(years) / sizeof(*years); y++)
                for (size_t m = 0; m < sizeof(small) / sizeof(*small); m++)
                        for (size_t k = 0; k < sizeof(small) / sizeof(*small); k++) {
                                struct vb_date d = {years[y], small[m], small[k]};
                                vb_date_format(d, got);
                                snprintf(want, sizeof(want), "%04d-%02d-%02d", d.year,
                                         d.month % 100, d.day % 100);
                                T_STR(got, want);
                        }
}

static void test_parse_ok(void)
{
        T_STR(parsed("2026-11-03"), "2026-11-03");
        T_STR(parsed("  2026-11-03 \n"), "2026-11-03");
        T_STR(parsed("2026-11-03 15:00:00 -5"), "2026-11-03");
        T_STR(parsed("2026-11-03T12:00:00Z"), "2026-11-03");
        T_STR(parsed("2026-11-03t12:00z"), "2026-11-03");
        T_STR(parsed("2026-11-03 23:30:00.123 +05:30"), "2026-11-03");
        T_STR(parsed("2026-11-03T23:30+0530"), "2026-11-03");
        T_STR(parsed("2026-11-03T23:30-09"), "2026-11-03");
        T_STR(parsed("2026-11-03 23:30:59 Z"), "2026-11-03");
        /* the date as written counts, not converted by the offset */
        T_STR(parsed("2026-11-03T23:30:00-12:00"), "2026-11-03");
        T_STR(parsed("2024-02-29"), "2024-02-29");
        T_STR(parsed("2000-02-29"), "2000-02-29");
        T_STR(parsed("0001-01-01"), "0001-01-01");
        T_STR(parsed("9999-12-31"), "9999-12-31");
}

static void test_parse_errors(void)
{
        T_INT(parse("03/11/2026"), VB_DATE_SYNTAX);
        T_INT(parse("2026-1-3"), VB_DATE_SYNTAX);
        T_INT(parse("tomorrow"), VB_DATE_SYNTAX);
        T_INT(parse(""), VB_DATE_SYNTAX);
        T_INT(parse("   "), VB_DATE_SYNTAX);
        T_INT(parse("2026-11-033"), VB_DATE_SYNTAX);
        T_INT(parse("2026-11-03x"), VB_DATE_SYNTAX);
        T_INT(parse("2026-11-03 15"), VB_DATE_SYNTAX);
        T_INT(parse("2026-11-03T"), VB_DATE_SYNTAX);
        T_INT(parse("2026-11-03T25:00"), VB_DATE_SYNTAX);
        T_INT(parse("2026-11-03T12:00+"), VB_DATE_SYNTAX);
        T_INT(parse("2026-11-03T12:00+053"), VB_DATE_SYNTAX);
        T_INT(parse("2026-11-03T12:00:00."), VB_DATE_SYNTAX);
        T_INT(parse("2026-02-29"), VB_DATE_INVALID);
        T_INT(parse("2026-13-01"), VB_DATE_INVALID);
        T_INT(parse("2026-04-31"), VB_DATE_INVALID);
        T_INT(parse("2026-00-10"), VB_DATE_INVALID);
        T_INT(parse("2026-01-00"), VB_DATE_INVALID);
        T_INT(parse("0000-01-01"), VB_DATE_INVALID);
        T_INT(parse("1900-02-29"), VB_DATE_INVALID);
        T_INT(parse("2026-02-29T12:00Z"), VB_DATE_INVALID);
        struct vb_date d = {1, 2, 3};
        T_INT(vb_date_parse(&d, "nope"), VB_DATE_SYNTAX);
        T_INT(vb_date_is_set(d), 0);
}

static void test_days(void)
{
        T_INT(vb_date_days(D(1970, 1, 1)), 0);
        T_INT(vb_date_days(D(1969, 12, 31)), -1);
        T_INT(vb_date_days(D(2000, 3, 1)), 11017);
        T_INT(vb_date_days(D(2026, 11, 3)), 20760);
        T_INT(vb_date_days(D(1, 1, 1)), -719162);
        T_INT(vb_date_days(D(9999, 12, 31)), 2932896);
        char buf[16];
        vb_date_format(vb_date_from_days(20760), buf);
        T_STR(buf, "2026-11-03");
        vb_date_format(vb_date_from_days(-719162), buf);
        T_STR(buf, "0001-01-01");
        vb_date_format(vb_date_from_days(-1), buf);
        T_STR(buf, "1969-12-31");
        /* every day of years 1..9999 round-trips and the days are consecutive */
        int bad = 0;
        int64_t prev = vb_date_days(D(1, 1, 1)) - 1;
        for (int64_t n = -719162; n <= 2932896; n++) {
                struct vb_date d = vb_date_from_days(n);
                if (vb_date_days(d) != n || n != prev + 1)
                        bad++;
                prev = n;
        }
        T_INT(bad, 0);
}

static void test_from_time(void)
{
        char buf[16];
        vb_date_format(vb_date_from_time(0), buf);
        T_STR(buf, "1970-01-01");
        vb_date_format(vb_date_from_time(-1), buf);
        T_STR(buf, "1969-12-31");
        vb_date_format(vb_date_from_time(-86400), buf);
        T_STR(buf, "1969-12-31");
        vb_date_format(vb_date_from_time(-86401), buf);
        T_STR(buf, "1969-12-30");
        vb_date_format(vb_date_from_time(1793750399), buf); /* 2026-11-03 23:59:59 UTC */
        T_STR(buf, "2026-11-03");
        vb_date_format(vb_date_from_time(1793750400), buf);
        T_STR(buf, "2026-11-04");
}

static void test_today(void)
{
        char buf[16];
        setenv("SOURCE_DATE_EPOCH", "1793750399", 1);
        vb_date_format(vb_date_today(), buf);
        T_STR(buf, "2026-11-03");
        setenv("SOURCE_DATE_EPOCH", "12abc", 1);
        T_TRUE(vb_date_cmp(vb_date_today(), D(2024, 1, 1)) > 0); /* the clock */
        setenv("SOURCE_DATE_EPOCH", "", 1);
        T_TRUE(vb_date_cmp(vb_date_today(), D(2024, 1, 1)) > 0);
        unsetenv("SOURCE_DATE_EPOCH");
        T_TRUE(vb_date_is_set(vb_date_today()));
}

static const char *iso(int y, int m, int d)
{
        static char out[32];
        int year, week;
        vb_date_iso_week(D(y, m, d), &year, &week);
        snprintf(out, sizeof out, "%04d-W%02d", year, week);
        return out;
}

static void test_iso_week(void)
{
        T_STR(iso(2026, 1, 1), "2026-W01");
        T_STR(iso(2027, 1, 1), "2026-W53");
        T_STR(iso(2024, 12, 30), "2025-W01");
        T_STR(iso(2021, 1, 3), "2020-W53");
        T_STR(iso(2021, 1, 4), "2021-W01");
        T_STR(iso(2026, 11, 3), "2026-W45");
        T_STR(iso(2026, 12, 31), "2026-W53");
        T_STR(iso(2008, 12, 29), "2009-W01");
}

static void test_week_index(void)
{
        char buf[16];
        /* Sunday 23:59 and Monday 00:00 are in consecutive weeks */
        T_INT(vb_week_index(D(2026, 11, 8)) + 1, vb_week_index(D(2026, 11, 9)));
        T_INT(vb_week_index(D(2026, 11, 2)), vb_week_index(D(2026, 11, 8)));
        T_INT(vb_week_index(D(1970, 1, 5)), 0);
        T_INT(vb_week_index(D(1970, 1, 4)), -1);
        T_INT(vb_week_index(D(1969, 12, 29)), -1);
        T_INT(vb_week_index(D(1969, 12, 28)), -2);
        T_INT(vb_week_index(D(2027, 1, 4)) - vb_week_index(D(2026, 12, 31)), 1);
        vb_week_label(vb_week_index(D(2026, 11, 3)), buf);
        T_STR(buf, "2026-W45");
        vb_week_label(vb_week_index(D(2027, 1, 1)), buf);
        T_STR(buf, "2026-W53");
        vb_week_label(vb_week_index(D(2024, 12, 30)), buf);
        T_STR(buf, "2025-W01");
        vb_week_label(-1, buf);
        T_STR(buf, "1970-W01");
        vb_week_label(INT64_MAX, buf); /* clamped, no overflow */
        T_TRUE(strlen(buf) < 16);
        /* labels of consecutive indexes over 30 years: W01 follows the last week */
        int bad = 0;
        for (int64_t w = vb_week_index(D(2000, 1, 3)); w < vb_week_index(D(2030, 1, 1)); w++) {
                int y0, n0, y1, n1;
                vb_date_iso_week(vb_date_from_days(w * 7 + 4), &y0, &n0);
                vb_date_iso_week(vb_date_from_days(w * 7 + 11), &y1, &n1);
                if (!((y1 == y0 && n1 == n0 + 1) || (y1 == y0 + 1 && n1 == 1 && n0 >= 52)))
                        bad++;
                if (vb_week_index(vb_date_from_days(w * 7 + 10)) != w ||
                    vb_week_index(vb_date_from_days(w * 7 + 11)) != w + 1)
                        bad++;
        }
        T_INT(bad, 0);
}

static void test_cmp_set(void)
{
        struct vb_date none = {0, 0, 0};
        T_INT(vb_date_cmp(D(2026, 11, 3), D(2026, 11, 3)), 0);
        T_INT(vb_date_cmp(D(2026, 11, 3), D(2026, 11, 4)), -1);
        T_INT(vb_date_cmp(D(2026, 12, 1), D(2026, 11, 30)), 1);
        T_INT(vb_date_cmp(D(2025, 12, 31), D(2026, 1, 1)), -1);
        T_INT(vb_date_is_set(none), 0);
        T_INT(vb_date_is_set(D(2026, 1, 1)), 1);
        T_INT(vb_date_cmp(none, D(1, 1, 1)), -1);
}

/* The one "first and last date" rule (phrases, copy bank, themes). */
static void test_widen(void)
{
        struct vb_date none = {0, 0, 0}, first = none, last = none;
        vb_date_widen(&first, &last, none);
        T_INT(vb_date_is_set(first) || vb_date_is_set(last), 0);
        vb_date_widen(&first, &last, D(2026, 3, 5));
        T_INT(vb_date_cmp(first, D(2026, 3, 5)) || vb_date_cmp(last, D(2026, 3, 5)), 0);
        vb_date_widen(&first, &last, D(2025, 12, 31));
        vb_date_widen(&first, &last, D(2026, 11, 2));
        vb_date_widen(&first, &last, none);
        vb_date_widen(&first, &last, D(2026, 6, 1));
        T_INT(vb_date_cmp(first, D(2025, 12, 31)), 0);
        T_INT(vb_date_cmp(last, D(2026, 11, 2)), 0);
}

int main(void)
{
        T_RUN(test_format);
        T_RUN(test_parse_ok);
        T_RUN(test_parse_errors);
        T_RUN(test_days);
        T_RUN(test_from_time);
        T_RUN(test_today);
        T_RUN(test_iso_week);
        T_RUN(test_week_index);
        T_RUN(test_cmp_set);
        T_RUN(test_widen);
        T_END();
}
