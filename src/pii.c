/* Personal data in free text: email addresses and phone numbers.
 *
 * One left-to-right pass: an email can only start where a run of local-part
 * characters starts, a phone number only at a digit, '+' or '(' that does not
 * continue a word.  Every run is scanned once and a rejected phone run is
 * skipped as a whole, so the search is linear in the input even on a line of
 * a million digits or '@' characters. */
#include "verbatim/pii.h"

#include <stdbool.h>
#include <string.h>

#define VB_PHONE_MIN_DIGITS VB_PII_PHONE_MIN_DIGITS
#define VB_PHONE_MAX_DIGITS 15

static int is_digit(char c)
{
        return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alnum(char c)
{
        return is_digit(c) || is_alpha(c);
}

static int is_local(char c)
{
        return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

static int is_domain(char c)
{
        return is_alnum(c) || c == '-';
}

/* The end of the domain after the '@' at `at`, or 0: labels of letters, digits
 * and '-' separated by single dots, at least one dot, the last label two or
 * more letters and not followed by a letter or digit. */
static size_t domain_end(const char *s, size_t len, size_t at)
{
        size_t p = at + 1, best = 0, dots = 0;
        for (;;) {
                size_t label = p;
                int letters = 1;
                while (p < len && is_domain(s[p])) {
                        if (!is_alpha(s[p]))
                                letters = 0;
                        p++;
                        if (dots && letters && p - label >= 2 && !(p < len && is_alnum(s[p])))
                                best = p;
                }
                if (p == label || p + 1 >= len || s[p] != '.')
                        break;
                dots++;
                p++;
        }
        return best;
}

/* An identifier joiner: "C-10492", "order_12345678". */
static int joins_word(const char *s, size_t len, size_t joiner)
{
        return (s[joiner] == '-' || s[joiner] == '_') && joiner + 1 < len &&
               is_alnum(s[joiner + 1]);
}

static int phone_may_start(const char *s, size_t i)
{
        if (!is_digit(s[i]) && s[i] != '+' && s[i] != '(')
                return 0;
        if (i == 0)
                return 1;
        if (is_alnum(s[i - 1]))
                return 0;
        return !(i >= 2 && (s[i - 1] == '-' || s[i - 1] == '_') && is_alnum(s[i - 2]));
}

/* 2026-11-03, 2026.11.3, 03.11.2026, 11-03-2026: three groups of digits
 * joined by the same single '-' or '.', one of them a year. */
static int looks_like_date(const size_t *group, const char *sep, const int *value)
{
        if (sep[0] != sep[1] || (sep[0] != '-' && sep[0] != '.'))
                return 0;
        if (group[0] == 4 && group[1] <= 2 && group[2] <= 2)
                return value[1] >= 1 && value[1] <= 12 && value[2] >= 1 && value[2] <= 31;
        if (group[0] <= 2 && group[1] <= 2 && group[2] == 4)
                return value[0] >= 1 && value[0] <= 31 && value[1] >= 1 && value[1] <= 31 &&
                       (value[0] <= 12 || value[1] <= 12);
        return 0;
}

/* Digits from `q` up to the next space or the end of the phone-like run. */
static size_t digits_until_space(const char *s, size_t len, size_t q)
{
        size_t n = 0;
        for (; q < len &&
               (is_digit(s[q]) || s[q] == '-' || s[q] == '.' || s[q] == '(' || s[q] == ')');
             q++)
                n += is_digit(s[q]);
        return n;
}

/* Scans the phone-like run at `i` (phone_may_start is true there).  Returns 1
 * with [*start, *end) for a phone number; else 0 with *resume where the search
 * for the next phone number goes on. */
static int scan_phone(const char *s, size_t len, size_t i, size_t *start, size_t *end,
                      size_t *resume)
{
        size_t p = i, digits = 0, ngroups = 0, last = i;
        size_t group[3] = {0, 0, 0};
        char sep[2] = {0, 0};
        int value[3] = {0, 0, 0};
        int opened = 0, closed = 0, prefixed = 0;

        if (s[p] == '+')
                p++, prefixed = 1;
        if (p < len && s[p] == '(')
                p++, opened = 1;
        if (p >= len || !is_digit(s[p])) {
                *resume = i + 1;
                return 0;
        }
        for (;;) {
                size_t g = p;
                int v = 0;
                while (p < len && is_digit(s[p])) {
                        if (p - g < 5)
                                v = v * 10 + (s[p] - '0');
                        p++;
                }
                digits += p - g;
                last = p;
                if (ngroups < 3) {
                        group[ngroups] = p - g;
                        value[ngroups] = v;
                }
                ngroups++;
                /* "(2026-11-03)": a date in parentheses is still a date */
                if (ngroups == 3 && !prefixed && looks_like_date(group, sep, value)) {
                        *resume = p; /* the date is cut off; what follows is looked at anew */
                        return 0;
                }
                size_t q = p;
                int close = 0;
                if (q < len && s[q] == ')')
                        q++, close = 1;
                if (q < len && (s[q] == ' ' || s[q] == '.' || s[q] == '-'))
                        q++;
                if (q < len && s[q] == '(')
                        q++;
                if (q == p || q >= len || !is_digit(s[q]))
                        break;
                /* "555-123-4567 555-987-6543": two numbers side by side, not
                 * one too long to be a phone */
                if (s[p + close] == ' ' && digits >= VB_PHONE_MIN_DIGITS &&
                    digits + digits_until_space(s, len, q) > VB_PHONE_MAX_DIGITS)
                        break;
                if (ngroups <= 2)
                        sep[ngroups - 1] = q - p == 1 ? s[p] : 'x';
                closed |= close;
                p = q;
        }
        *resume = last;
        if (digits < VB_PHONE_MIN_DIGITS || digits > VB_PHONE_MAX_DIGITS)
                return 0;
        if (last < len && (is_alnum(s[last]) || joins_word(s, len, last)))
                return 0;
        /* In "(0171 1234567)" the parentheses belong to the text, not the number. */
        *start = opened && !closed && !prefixed ? i + 1 : i;
        *end = last;
        return 1;
}

/* An email needs an '@', a phone number VB_PHONE_MIN_DIGITS digits.  Most
 * text has neither, and this costs a fraction of the scan. */
int vb_pii_possible(const char *s, size_t len)
{
        size_t digits = 0;
        if (len && memchr(s, '@', len))
                return 1;
        for (size_t i = 0; i < len && digits < VB_PHONE_MIN_DIGITS; i++)
                digits += (unsigned)(s[i] - '0') < 10;
        return digits >= VB_PHONE_MIN_DIGITS;
}

enum vb_pii_kind vb_pii_find(const char *s, size_t len, size_t from, size_t *start, size_t *end)
{
        size_t i, phone_from = from;
        /* once per text: later calls go on from a previous find */
        if (from == 0 && !vb_pii_possible(s, len))
                return VB_PII_NONE;
        /* without an '@' ahead, no email: only phone numbers are looked for */
        bool emails = from < len && memchr(s + from, '@', len - from);
        for (i = from; i < len; i++) {
                /* Each run of local-part characters is scanned once, from its start. */
                if (emails && is_local(s[i]) && (i == 0 || !is_local(s[i - 1]))) {
                        size_t j = i;
                        while (j < len && is_local(s[j]))
                                j++;
                        if (s[i] != '.' && j < len && s[j] == '@') {
                                size_t d = domain_end(s, len, j);
                                if (d) {
                                        *start = i;
                                        *end = d;
                                        return VB_PII_EMAIL;
                                }
                        }
                }
                if (i >= phone_from && phone_may_start(s, i)) {
                        size_t resume;
                        if (scan_phone(s, len, i, start, end, &resume))
                                return VB_PII_PHONE;
                        phone_from = resume > i ? resume : i + 1;
                }
        }
        return VB_PII_NONE;
}

static size_t redact_once(struct vb_buf *out, const char *s, size_t len)
{
        size_t from = 0, start, end, n = 0;
        enum vb_pii_kind kind;
        while ((kind = vb_pii_find(s, len, from, &start, &end)) != VB_PII_NONE) {
                vb_buf_add(out, s + from, start - from);
                vb_buf_adds(out, kind == VB_PII_EMAIL ? "[email removed]" : "[phone removed]");
                from = end;
                n++;
        }
        vb_buf_add(out, s + from, len - from);
        return n;
}

void vb_pii_redact(struct vb_buf *out, const char *s, size_t len)
{
        struct vb_buf a = VB_BUF_INIT, b = VB_BUF_INIT;
        size_t start, end;
        /* A removal can change the context of what follows: in
         * "a@b.uk_12345678" the digits join the word "uk_12345678", but in
         * "[email removed]_12345678" they are a phone number.  Redact again
         * until nothing is found (each pass removes digits or '@', so this
         * ends; in practice after two passes). */
        if (!redact_once(&a, s, len)) {
                vb_buf_add(out, s, len);
                goto done;
        }
        while (vb_pii_find(a.ptr, a.len, 0, &start, &end) != VB_PII_NONE) {
                struct vb_buf t;
                vb_buf_reset(&b);
                redact_once(&b, a.ptr, a.len);
                t = a;
                a = b;
                b = t;
        }
        vb_buf_add(out, a.ptr, a.len);
done:
        vb_buf_release(&a);
        vb_buf_release(&b);
}
