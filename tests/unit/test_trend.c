/* The trend test: binomial tails against exact values (sums of fractions,
 * worked out with Python's fractions.Fraction and math.comb), the verdicts
 * on hand-made counts, and their wording. */
#include "t.h"
#include "verbatim/trend.h"

#include <math.h>

/* relative error below 1e-9 (absolute for values near 0) */
static int close_to(double got, double want)
{
        return fabs(got - want) <= 1e-9 * (fabs(want) > 1e-300 ? fabs(want) : 1);
}

static void tails(void)
{
        /* P(X >= k), P(X <= k) */
        static const struct {
                size_t k, n;
                double q, up, lo;
        } v[] = {
            {8, 10, 0.5, 0.0546875, 0.9892578125},
            {5, 20, 0.1, 0.043174495284463384, 0.988746865835491},
            {1, 20, 0.1, 0.8784233454094307, 0.3917469981251677},
            {350, 1000, 0.3, 0.0003738701054403894, 0.9997075936252493},
            {250, 1000, 0.3, 0.999801452673767, 0.00025980303652893067},
            {300, 1000, 0.3, 0.5119274840071484, 0.5155935198141199},
            {12, 15, 8.0 / 34, 6.293743950280727e-06, 0.9999995653104293},
            {0, 40, 8.0 / 34, 1.0, 2.186639742176527e-05},
            {3, 3, 8.0 / 34, 0.013026663952778343, 1.0},
        };
        for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
                double up = vb_binom_upper(v[i].k, v[i].n, v[i].q);
                double lo = vb_binom_lower(v[i].k, v[i].n, v[i].q);
                if (!close_to(up, v[i].up))
                        T_FAIL("P(X >= %zu | %zu, %g) = %.17g, expected %.17g", v[i].k, v[i].n,
                               v[i].q, up, v[i].up);
                if (!close_to(lo, v[i].lo))
                        T_FAIL("P(X <= %zu | %zu, %g) = %.17g, expected %.17g", v[i].k, v[i].n,
                               v[i].q, lo, v[i].lo);
        }
        /* edges: nothing to count, certain events, k beyond n */
        T_TRUE(vb_binom_upper(0, 0, 0.5) == 1);
        T_TRUE(vb_binom_lower(0, 0, 0.5) == 1);
        T_TRUE(vb_binom_upper(1, 0, 0.5) == 0);
        T_TRUE(vb_binom_upper(3, 10, 0) == 0);
        T_TRUE(vb_binom_lower(3, 10, 1) == 0);
        T_TRUE(vb_binom_upper(3, 10, 1) == 1);
        /* a large n stays finite and in [0, 1] */
        T_TRUE(vb_binom_upper(60000, 200000, 0.3) >= 0 && vb_binom_upper(60000, 200000, 0.3) <= 1);
        T_TRUE(vb_binom_upper(70000, 200000, 0.3) < 1e-300);
}

static const char *describe(const struct vb_trend *t)
{
        static struct vb_buf b;
        vb_buf_reset(&b);
        vb_trend_describe(&b, t);
        return b.ptr;
}

static void verdicts(void)
{
        struct vb_trend t;
        /* 100 recent, 300 earlier conversations, 40 themes: alpha 1/520 */
        struct vb_trend_counts c = {100, 300, 12, 9, 12, 9, 1, 40};
        vb_trend_test(&t, &c);
        T_INT(t.verdict, VB_TREND_RISING);
        T_TRUE(close_to(t.alpha, 1.0 / 520));
        T_TRUE(close_to(t.expected_customers, 3.0));
        /* P(X >= 12 | 21, 1/4) */
        T_TRUE(close_to(t.p, 0.00168707910052035));
        T_STR(describe(&t),
              "12 customers (12 notes) in 8 weeks; about 3.0 expected; chance by luck 1 in 590");
        /* the same notes from 2 customers: one talkative customer is no trend */
        c.recent_customers = 2;
        vb_trend_test(&t, &c);
        T_INT(t.verdict, VB_TREND_STEADY);
        T_STR(describe(&t), "2 customers (12 notes) in 8 weeks; about 3.0 expected; no more than "
                            "chance gives");
        /* fading: 30 in the 300 before, 1 in the 100 recent */
        c = (struct vb_trend_counts){100, 300, 1, 30, 1, 30, 1, 40};
        vb_trend_test(&t, &c);
        T_INT(t.verdict, VB_TREND_FADING);
        /* P(X <= 1 | 31, 1/4) */
        T_TRUE(close_to(t.p, 0.0015179477664451252));
        T_STR(describe(&t),
              "1 customer (1 note) in 8 weeks; about 10 expected; chance by luck 1 in 660");
        /* never heard before: 3 customers make it new, 2 do not */
        c = (struct vb_trend_counts){100, 300, 4, 0, 3, 0, 0, 40};
        vb_trend_test(&t, &c);
        T_INT(t.verdict, VB_TREND_NEW);
        /* (1 - 3/100)^300 */
        T_TRUE(close_to(t.p, pow(0.97, 300)));
        T_STR(describe(&t), "new: 3 customers (4 notes) in 8 weeks, never heard in the 300 "
                            "conversations before; chance by luck 1 in 9,300");
        c.recent_customers = 2;
        vb_trend_test(&t, &c);
        T_INT(t.verdict, VB_TREND_STEADY);
        T_STR(describe(&t), "2 customers (4 notes) in 8 weeks, never heard in the 300 "
                            "conversations before (3 customers make it new)");
        /* 3 customers, but 30 earlier conversations could easily have missed it */
        c = (struct vb_trend_counts){100, 30, 4, 0, 3, 0, 0, 40};
        vb_trend_test(&t, &c);
        T_INT(t.verdict, VB_TREND_STEADY);
        T_STR(describe(&t), "3 customers (4 notes) in 8 weeks, never heard in the 30 conversations "
                            "before; too few earlier conversations to tell it is new");
        /* six notes of one customer about a new theme */
        c = (struct vb_trend_counts){100, 300, 6, 0, 1, 0, 0, 40};
        vb_trend_test(&t, &c);
        T_INT(t.verdict, VB_TREND_STEADY);
        /* too few: one week of notes (nothing before), or nothing recent */
        c = (struct vb_trend_counts){12, 0, 5, 0, 5, 0, 0, 40};
        vb_trend_test(&t, &c);
        T_INT(t.verdict, VB_TREND_TOO_FEW);
        T_STR(describe(&t), "too few conversations to tell");
        c = (struct vb_trend_counts){0, 300, 0, 30, 0, 30, 1, 40};
        vb_trend_test(&t, &c);
        T_INT(t.verdict, VB_TREND_TOO_FEW);
        c = (struct vb_trend_counts){100, VB_TREND_MIN_CONVERSATIONS - 1, 9, 0, 9, 0, 0, 40};
        vb_trend_test(&t, &c);
        T_INT(t.verdict, VB_TREND_TOO_FEW);
        /* the same minimum on the recent side: 19 recent conversations are too
         * few even against 300 before, 20 on each side are enough */
        c = (struct vb_trend_counts){VB_TREND_MIN_CONVERSATIONS - 1, 300, 15, 3, 15, 3, 1, 40};
        vb_trend_test(&t, &c);
        T_INT(t.verdict, VB_TREND_TOO_FEW);
        c = (struct vb_trend_counts){20, 20, 15, 3, 15, 3, 1, 2};
        vb_trend_test(&t, &c);
        T_INT(t.verdict, VB_TREND_RISING);
        T_INT(vb_trend_too_few(19, 300), 1);
        T_INT(vb_trend_too_few(300, 19), 1);
        T_INT(vb_trend_too_few(20, 20), 0);
        {
                struct vb_buf b = VB_BUF_INIT;
                vb_trend_too_few_words(&b, 11, 3);
                T_STR(b.ptr, "too few conversations to tell: 11 in the last 8 weeks and 3 in the "
                             "26 before (20 needed in each)");
                vb_buf_release(&b);
        }
        /* a theme with one note */
        c = (struct vb_trend_counts){100, 300, 1, 0, 1, 0, 1, 40};
        vb_trend_test(&t, &c);
        T_INT(t.verdict, VB_TREND_STEADY);
        /* no themes given: the level is that of one theme */
        c = (struct vb_trend_counts){100, 300, 0, 0, 0, 0, 1, 0};
        vb_trend_test(&t, &c);
        T_TRUE(close_to(t.alpha, 1.0 / 13));
        T_INT(t.verdict, VB_TREND_STEADY);
}

static void chance_words(void)
{
        static const struct {
                double p;
                const char *words;
        } v[] = {{0.9, "about even"},
                 {0.5, "1 in 2"},
                 {0.25, "1 in 4"},
                 {1.0 / 37, "1 in 37"},
                 {1.0 / 1949, "1 in 1,900"},
                 {1.0 / 123456, "1 in 120,000"},
                 {1e-7, "less than 1 in a million"},
                 {0, "less than 1 in a million"}};
        struct vb_buf b = VB_BUF_INIT;
        for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
                vb_buf_reset(&b);
                vb_trend_chance(&b, v[i].p);
                T_STR(b.ptr, v[i].words);
        }
        vb_buf_reset(&b);
        vb_trend_method(&b, 40);
        T_TRUE(strstr(b.ptr, "below 1 in 520 (13 weekly looks a quarter times 40 themes") != NULL);
        vb_buf_release(&b);
}

int main(void)
{
        T_RUN(tails);
        T_RUN(verdicts);
        T_RUN(chance_words);
        return t_failed != 0;
}
