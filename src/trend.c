/* Emerging and fading themes: the exact binomial test and its wording (see
 * trend.h).  Without libm (whose loading alone costs every run of the report
 * 0.3 MB of resident memory, see svg.h): a tail is the sum of the terms
 * P(X = j) relative to the term at the mode, walked outwards with the ratio
 * of successive terms until they fall below 1e-40 of the sum; tails smaller
 * than that come out as 0, far below any false-alarm level. */
#include "verbatim/trend.h"

#include <stdio.h>
#include <string.h>

static double clamp01(double x)
{
        return x < 0 ? 0 : x > 1 ? 1 : x;
}

/* P(X >= k) and P(X <= k) for X ~ Binomial(n, q), 0 < q < 1, k <= n. */
static void binom_tails(size_t k, size_t n, double q, double *upper, double *lower)
{
        double m_real = ((double)n + 1.0) * q, odds = q / (1.0 - q);
        size_t m = m_real >= (double)n ? n : (size_t)m_real; /* the mode */
        double t = 1, total = 0, ge = 0, le = 0;
        for (size_t j = m;; j++) { /* up from the mode */
                total += t;
                ge += j >= k ? t : 0;
                le += j <= k ? t : 0;
                if (j == n)
                        break;
                t *= (double)(n - j) / (double)(j + 1) * odds;
                if (t < total * 1e-40)
                        break;
        }
        t = 1;
        for (size_t j = m; j > 0; j--) { /* down: term j - 1 from term j */
                t *= (double)j / ((double)(n - j + 1) * odds);
                if (t < total * 1e-40)
                        break;
                total += t;
                ge += j - 1 >= k ? t : 0;
                le += j - 1 <= k ? t : 0;
        }
        *upper = clamp01(ge / total);
        *lower = clamp01(le / total);
}

double vb_binom_upper(size_t k, size_t n, double q)
{
        double up, lo;
        if (k == 0)
                return 1;
        if (k > n || q <= 0)
                return 0;
        if (q >= 1)
                return 1;
        binom_tails(k, n, q, &up, &lo);
        return up;
}

double vb_binom_lower(size_t k, size_t n, double q)
{
        double up, lo;
        if (k >= n || q <= 0)
                return 1;
        if (q >= 1)
                return 0;
        binom_tails(k, n, q, &up, &lo);
        return lo;
}

/* x^e for a whole e >= 0, by squaring. */
static double power(double x, size_t e)
{
        double r = 1;
        for (; e; e >>= 1, x *= x)
                if (e & 1)
                        r *= x;
        return r;
}

static double larger(double a, double b)
{
        return a > b ? a : b;
}

int vb_trend_too_few(size_t recent_conversations, size_t before_conversations)
{
        return recent_conversations < VB_TREND_MIN_CONVERSATIONS ||
               before_conversations < VB_TREND_MIN_CONVERSATIONS;
}

void vb_trend_too_few_words(struct vb_buf *out, size_t recent_conversations,
                            size_t before_conversations)
{
        vb_buf_addf(out,
                    "too few conversations to tell: %zu in the last %d weeks and %zu in the %d "
                    "before (%d needed in each)",
                    recent_conversations, VB_TREND_RECENT_WEEKS, before_conversations,
                    VB_TREND_BEFORE_WEEKS, VB_TREND_MIN_CONVERSATIONS);
}

void vb_trend_test(struct vb_trend *out, const struct vb_trend_counts *c)
{
        size_t nr = c->recent_conversations, nb = c->before_conversations;
        size_t kn = c->recent_notes + c->before_notes;
        size_t kc = c->recent_customers + c->before_customers;
        double q, up, down;

        memset(out, 0, sizeof(*out));
        out->counts = *c;
        out->alpha =
            1.0 / ((double)VB_TREND_LOOKS_PER_QUARTER * (double)(c->nthemes ? c->nthemes : 1));
        out->p = out->p_notes = out->p_customers = 1;
        if (vb_trend_too_few(nr, nb)) {
                out->verdict = VB_TREND_TOO_FEW;
                return;
        }
        out->expected_notes = (double)c->before_notes * (double)nr / (double)nb;
        out->expected_customers = (double)c->before_customers * (double)nr / (double)nb;
        if (!c->heard_before) {
                /* at the rate its recent customers raise it, the chance that
                 * none of the earlier conversations would have carried it */
                double rate = (double)c->recent_customers / (double)nr;
                out->p = out->p_notes = out->p_customers = rate >= 1 ? 0 : power(1 - rate, nb);
                if (c->recent_notes && c->recent_customers >= VB_TREND_NEW_CUSTOMERS &&
                    out->p < out->alpha)
                        out->verdict = VB_TREND_NEW;
                return;
        }
        q = (double)nr / ((double)nr + (double)nb);
        up = larger(vb_binom_upper(c->recent_notes, kn, q),
                    vb_binom_upper(c->recent_customers, kc, q));
        down = larger(vb_binom_lower(c->recent_notes, kn, q),
                      vb_binom_lower(c->recent_customers, kc, q));
        if (up < out->alpha) {
                out->verdict = VB_TREND_RISING;
        } else if (down < out->alpha) {
                out->verdict = VB_TREND_FADING;
        }
        /* the tail in the direction of the change seen (rising when no change) */
        if (out->verdict == VB_TREND_FADING ||
            (out->verdict == VB_TREND_STEADY && (double)c->recent_notes < out->expected_notes)) {
                out->p_notes = vb_binom_lower(c->recent_notes, kn, q);
                out->p_customers = vb_binom_lower(c->recent_customers, kc, q);
                out->p = down;
        } else {
                out->p_notes = vb_binom_upper(c->recent_notes, kn, q);
                out->p_customers = vb_binom_upper(c->recent_customers, kc, q);
                out->p = up;
        }
}

int vb_trend_is_emerging(const struct vb_trend *t)
{
        return t->verdict == VB_TREND_NEW || t->verdict == VB_TREND_RISING;
}

const char *vb_trend_verdict_name(enum vb_trend_verdict v)
{
        switch (v) {
        case VB_TREND_TOO_FEW:
                return "too-few";
        case VB_TREND_NEW:
                return "new";
        case VB_TREND_RISING:
                return "rising";
        case VB_TREND_FADING:
                return "fading";
        case VB_TREND_STEADY:
                break;
        }
        return "steady";
}

/* An integer with thousands separators. */
static void add_thousands(struct vb_buf *out, unsigned long long v)
{
        char digits[32];
        int n = snprintf(digits, sizeof(digits), "%llu", v);
        for (int i = 0; i < n; i++) {
                if (i && (n - i) % 3 == 0)
                        vb_buf_addc(out, ',');
                vb_buf_addc(out, digits[i]);
        }
}

void vb_trend_chance(struct vb_buf *out, double p)
{
        double r, scale = 1;
        if (!(p < 1e-6)) {
                if (p > 0.5) {
                        vb_buf_adds(out, "about even");
                        return;
                }
        } else {
                vb_buf_adds(out, "less than 1 in a million");
                return;
        }
        r = 1.0 / p;
        while (r / scale >= 100)
                scale *= 10;
        vb_buf_adds(out, "1 in ");
        add_thousands(out, (unsigned long long)(r / scale + 0.5) * (unsigned long long)scale);
}

static const char *plural(size_t n)
{
        return n == 1 ? "" : "s";
}

/* "about 3", "about 0.4", "about 12" */
static void add_expected(struct vb_buf *out, double e)
{
        vb_buf_addf(out, e < 9.95 ? "about %.1f" : "about %.0f", e);
}

void vb_trend_describe(struct vb_buf *out, const struct vb_trend *t)
{
        const struct vb_trend_counts *c = &t->counts;
        if (t->verdict == VB_TREND_TOO_FEW) {
                vb_buf_adds(out, "too few conversations to tell");
                return;
        }
        if (t->verdict == VB_TREND_NEW)
                vb_buf_adds(out, "new: ");
        vb_buf_addf(out, "%zu customer%s (%zu note%s) in %d weeks", c->recent_customers,
                    plural(c->recent_customers), c->recent_notes, plural(c->recent_notes),
                    VB_TREND_RECENT_WEEKS);
        if (!c->heard_before) {
                vb_buf_addf(out, ", never heard in the %zu conversation%s before",
                            c->before_conversations, plural(c->before_conversations));
                if (t->verdict == VB_TREND_NEW) {
                        vb_buf_adds(out, "; chance by luck ");
                        vb_trend_chance(out, t->p);
                } else if (c->recent_customers >= VB_TREND_NEW_CUSTOMERS) {
                        vb_buf_adds(out, "; too few earlier conversations to tell it is new");
                } else {
                        vb_buf_addf(out, " (%d customers make it new)", VB_TREND_NEW_CUSTOMERS);
                }
                return;
        }
        vb_buf_adds(out, "; ");
        add_expected(out, t->expected_customers);
        vb_buf_adds(out, " expected");
        if (t->verdict == VB_TREND_RISING || t->verdict == VB_TREND_FADING) {
                vb_buf_adds(out, "; chance by luck ");
                vb_trend_chance(out, t->p);
        } else {
                vb_buf_adds(out, "; no more than chance gives");
        }
}

void vb_trend_method(struct vb_buf *out, size_t nthemes)
{
        size_t n = nthemes ? nthemes : 1;
        vb_buf_addf(out,
                    "A theme is emerging (or fading) when its notes and its distinct customers "
                    "in the last %d weeks are both significantly above (or below) what its share "
                    "of conversations in the %d weeks before predicts (an exact one-sided "
                    "binomial test on the recent count); significant means a chance by luck "
                    "below 1 in ",
                    VB_TREND_RECENT_WEEKS, VB_TREND_BEFORE_WEEKS);
        add_thousands(out, (unsigned long long)VB_TREND_LOOKS_PER_QUARTER * n);
        vb_buf_addf(out,
                    " (%d weekly looks a quarter times %zu theme%s: about one false flag a "
                    "quarter when nothing changes). A theme never heard before is emerging once "
                    "%d customers raised it in %d weeks and, at the rate they raise it, the "
                    "earlier conversations would have carried it but for the same chance. "
                    "Fewer than %d conversations in either window are too few to tell.",
                    VB_TREND_LOOKS_PER_QUARTER, n, plural(n), VB_TREND_NEW_CUSTOMERS,
                    VB_TREND_RECENT_WEEKS, VB_TREND_MIN_CONVERSATIONS);
}

void vb_trend_json(struct vb_buf *out, const struct vb_trend *t)
{
        const struct vb_trend_counts *c = &t->counts;
        struct vb_buf text = VB_BUF_INIT;
        vb_trend_describe(&text, t);
        vb_buf_addf(out,
                    "{\"verdict\":\"%s\",\"recent_conversations\":%zu,\"before_conversations\":%zu,"
                    "\"recent_notes\":%zu,\"before_notes\":%zu,\"recent_customers\":%zu,"
                    "\"before_customers\":%zu,\"heard_before\":%s,\"expected_notes\":%.4g,"
                    "\"expected_customers\":%.4g,\"p\":%.4g,\"alpha\":%.4g,\"text\":",
                    vb_trend_verdict_name(t->verdict), c->recent_conversations,
                    c->before_conversations, c->recent_notes, c->before_notes, c->recent_customers,
                    c->before_customers, c->heard_before ? "true" : "false", t->expected_notes,
                    t->expected_customers, t->p, t->alpha);
        vb_buf_add_json(out, text.ptr, text.len);
        vb_buf_addc(out, '}');
        vb_buf_release(&text);
}
