/* Personal data in free text: email addresses and phone numbers.
 *
 * One left-to-right pass: an email can only start where a run of local-part
 * characters starts, a phone number only at a digit, '+' or '(' that does not
 * continue a word.  Every run is scanned once and a rejected phone run is
 * skipped as a whole, so the search is linear in the input even on a line of
 * a million digits or '@' characters. */
#include "verbatim/pii.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

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

/* "10.1000/": the prefix of a DOI, which ends at s[slash] == '/'. */
static int doi_prefix_before(const char *s, size_t slash)
{
        size_t p = slash, n = 0;
        while (p > 0 && is_digit(s[p - 1]) && n < 10)
                p--, n++;
        return n >= 4 && n <= 9 && p >= 3 && s[p - 1] == '.' && s[p - 2] == '0' &&
               s[p - 3] == '1' && (p == 3 || !is_alnum(s[p - 4]));
}

/* Whether a phone-like run with digits enough for a phone number ends at
 * s[slash] == '/' ("555-123-4567/"; not "/2019/" nor "10.1000/"): the number
 * after the '/' is a second one.  Looks back over 24 bytes at most. */
static int number_before(const char *s, size_t slash)
{
        size_t p = slash, digits = 0;
        while (p > 0 && slash - p < 24 &&
               (is_digit(s[p - 1]) || (s[p - 1] && strchr(" .-()+", s[p - 1]))))
                digits += is_digit(s[--p]);
        return digits >= VB_PHONE_MIN_DIGITS && !doi_prefix_before(s, slash);
}

/* A phone number does not continue a word or an identifier ("C-10492",
 * "order_12345678"), a key ("max-age=31536000"), a path or a query
 * ("youtu.be/12345678901", "v2.12345678", "?id=12345678", "#12345678"),
 * nor the suffix of a DOI ("10.1000/123456789"); after a '/' that follows a
 * number it may be a second one ("555-123-4567/555-987-6543"). */
static int phone_may_start(const char *s, size_t i)
{
        if (!is_digit(s[i]) && s[i] != '+' && s[i] != '(')
                return 0;
        if (i == 0)
                return 1;
        char c = s[i - 1];
        if (is_alnum(c) || c == '=' || c == '?' || c == '&' || c == '#' || c == '%' || c == '@')
                return 0;
        if (c == '/')
                return number_before(s, i - 1);
        return !(i >= 2 && (c == '-' || c == '_' || c == '.') && is_alnum(s[i - 2]));
}

/* The longest stretch looked at backwards for the start of a URL or DOI. */
#define TOKEN_LOOKBACK 256

/* Whether s[i] is inside a URL ("https://...", "www....") or a DOI
 * ("10.1000/...", "doi:10..."): the run of text without white space that
 * holds it starts so, or holds "://" before it.  Only the last
 * TOKEN_LOOKBACK bytes are looked at, so that the search stays linear. */
static int in_url(const char *s, size_t i)
{
        size_t p = i, stop = i > TOKEN_LOOKBACK ? i - TOKEN_LOOKBACK : 0;
        while (p > stop && (unsigned char)s[p - 1] > ' ' && !strchr("(<[\"'", s[p - 1])) {
                p--;
                if (s[p] == '/' && ((p + 1 < i && s[p + 1] == '/' && p > 0 && s[p - 1] == ':') ||
                                    doi_prefix_before(s, p)))
                        return 1;
        }
        return i - p >= 4 && (s[p] == 'w' || s[p] == 'W') && !strncasecmp(s + p, "www.", 4);
}

/* The end of the run of text without white space that starts at or before
 * `i`. */
static size_t word_end(const char *s, size_t len, size_t i)
{
        while (i < len && (unsigned char)s[i] > ' ')
                i++;
        return i;
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

/* The length of the space at s[q] that may part the groups of a phone
 * number: ' ', or the no-break spaces a reader sees as one (U+00A0, U+202F,
 * U+2009: "415&nbsp;555&nbsp;0132"); 0 when there is none. */
static size_t space_len(const char *s, size_t len, size_t q)
{
        if (q < len && s[q] == ' ')
                return 1;
        if (q + 1 < len && s[q] == '\xC2' && s[q + 1] == '\xA0')
                return 2;
        if (q + 2 < len && s[q] == '\xE2' && s[q + 1] == '\x80' &&
            (s[q + 2] == '\xAF' || s[q + 2] == '\x89'))
                return 3;
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
        int quad = 1;    /* so far, groups of an IPv4 address: 0-255 joined by '.' */
        int hyphens = 1; /* so far, groups joined by single '-' (an ISBN's way) */
        size_t last_group = 0;

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
                if (p - g > 3 || v > 255 || (p - g > 1 && s[g] == '0'))
                        quad = 0;
                last_group = p - g;
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
                if (q < len && (s[q] == '.' || s[q] == '-'))
                        q++;
                else
                        q += space_len(s, len, q);
                if (q < len && s[q] == '(')
                        q++;
                if (q == p || q >= len || !is_digit(s[q]))
                        break;
                /* "555-123-4567 555-987-6543": two numbers side by side, not
                 * one too long to be a phone */
                if (space_len(s, len, p + close) && digits >= VB_PHONE_MIN_DIGITS &&
                    digits + digits_until_space(s, len, q) > VB_PHONE_MAX_DIGITS)
                        break;
                if (ngroups <= 2)
                        sep[ngroups - 1] = q - p == 1 ? s[p] : 'x';
                if (q - p != 1 || s[p] != '.')
                        quad = 0;
                if (q - p != 1 || s[p] != '-')
                        hyphens = 0;
                closed |= close;
                p = q;
        }
        *resume = last;
        if (digits < VB_PHONE_MIN_DIGITS || digits > VB_PHONE_MAX_DIGITS)
                return 0;
        /* 192.168.100.200: an IPv4 address */
        if (quad && ngroups == 4 && !prefixed && !opened)
                return 0;
        /* 978-3-16-148410-0, 3-16-148410-0: an ISBN ends in one check digit */
        if (hyphens && ngroups >= 4 && last_group == 1 && (digits == 10 || digits == 13) &&
            !prefixed && !opened)
                return 0;
        /* 2011-2013: a range of years, maybe followed by more numbers */
        if (ngroups >= 2 && group[0] == 4 && group[1] == 4 && sep[0] == '-' && !prefixed &&
            !opened && value[0] >= 1900 && value[0] < value[1] && value[1] <= 2100)
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
        const uint64_t low7 = 0x7f7f7f7f7f7f7f7fULL, high = 0x8080808080808080ULL;
        size_t digits = 0, i = 0;
        if (len && memchr(s, '@', len))
                return 1;
        /* eight bytes at a time: a byte is a digit when its low seven bits are
         * at least '0' and at most '9' and its high bit is clear */
        for (; i + 8 <= len && digits < VB_PHONE_MIN_DIGITS; i += 8) {
                uint64_t w, y;
                memcpy(&w, s + i, 8);
                y = w & low7;
                uint64_t at_least_0 = y + 0x5050505050505050ULL; /* 0x80 - '0' */
                uint64_t above_9 = y + 0x4646464646464646ULL;    /* 0x7f - '9' */
                uint64_t m = at_least_0 & ~above_9 & ~w & high;
                /* one bit a digit, each at the bottom of its byte: their sum */
                digits += (size_t)(((m >> 7) * 0x0101010101010101ULL) >> 56);
        }
        for (; i < len && digits < VB_PHONE_MIN_DIGITS; i++)
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
                        if (scan_phone(s, len, i, start, end, &resume)) {
                                if (!in_url(s, i))
                                        return VB_PII_PHONE;
                                resume = word_end(s, len, i); /* the rest of the URL too */
                        }
                        phone_from = resume > i ? resume : i + 1;
                }
        }
        return VB_PII_NONE;
}

/* Appends s[0..len) with what vb_pii_find finds replaced, and moves the
 * pieces' ends (see vb_pii_redact_pieces) from s to `out` (relative to where
 * it was): a replacement goes to the piece where what it replaces starts.
 * Returns how many it made. */
static size_t redact_once(struct vb_buf *out, const char *s, size_t len, size_t *ends, size_t nends)
{
        size_t from = 0, start, end, n = 0, k = 0, base = out->len;
        enum vb_pii_kind kind;
        while ((kind = vb_pii_find(s, len, from, &start, &end)) != VB_PII_NONE) {
                size_t before = out->len - base; /* where s[from] lands */
                for (; k < nends && ends[k] <= start; k++)
                        ends[k] = before + (ends[k] - from);
                vb_buf_add(out, s + from, start - from);
                vb_buf_adds(out, kind == VB_PII_EMAIL ? "[email removed]" : "[phone removed]");
                for (; k < nends && ends[k] <= end; k++)
                        ends[k] = out->len - base;
                from = end;
                n++;
        }
        size_t before = out->len - base;
        for (; k < nends; k++)
                ends[k] = before + (ends[k] - from);
        vb_buf_add(out, s + from, len - from);
        return n;
}

size_t vb_pii_redact_pieces(struct vb_buf *out, const char *s, size_t len, size_t *ends,
                            size_t nends)
{
        struct vb_buf a = VB_BUF_INIT, b = VB_BUF_INIT;
        size_t start, end, n;
        /* A removal can change the context of what follows: in
         * "a@b.uk_12345678" the digits join the word "uk_12345678", but in
         * "[email removed]_12345678" they are a phone number.  Redact again
         * until nothing is found (each pass removes digits or '@', so this
         * ends; in practice after two passes). */
        n = redact_once(&a, s, len, ends, nends);
        if (!n) {
                vb_buf_add(out, s, len);
                goto done;
        }
        while (vb_pii_find(a.ptr, a.len, 0, &start, &end) != VB_PII_NONE) {
                struct vb_buf t;
                vb_buf_reset(&b);
                n += redact_once(&b, a.ptr, a.len, ends, nends);
                t = a;
                a = b;
                b = t;
        }
        vb_buf_add(out, a.ptr, a.len);
done:
        vb_buf_release(&a);
        vb_buf_release(&b);
        return n;
}

void vb_pii_redact(struct vb_buf *out, const char *s, size_t len)
{
        vb_pii_redact_pieces(out, s, len, NULL, 0);
}
