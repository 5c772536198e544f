/* Unit tests for pii.h: finding and redacting emails and phone numbers. */
#include "verbatim/pii.h"
#include "t.h"

#include <stdlib.h>
#include <time.h>

/* "E:text" or "P:text" for the first match in s, or "-". */
static const char *first(const char *s)
{
        static char out[256];
        size_t start, end;
        enum vb_pii_kind k = vb_pii_find(s, strlen(s), 0, &start, &end);
        if (k == VB_PII_NONE)
                return "-";
        snprintf(out, sizeof out, "%c:%.*s", k == VB_PII_EMAIL ? 'E' : 'P', (int)(end - start),
                 s + start);
        return out;
}

static const char *redact(const char *s)
{
        static char out[1024];
        struct vb_buf b = VB_BUF_INIT;
        vb_pii_redact(&b, s, strlen(s));
        snprintf(out, sizeof out, "%s", b.ptr);
        vb_buf_release(&b);
        return out;
}

static void test_email(void)
{
        T_STR(first("mail jane.doe+shop@example.com today"), "E:jane.doe+shop@example.com");
        T_STR(first("a@b.co"), "E:a@b.co");
        T_STR(first("x_1%y-z@mail.example.co.uk."), "E:x_1%y-z@mail.example.co.uk");
        T_STR(first("(jane@example.com)"), "E:jane@example.com");
        T_STR(first("jane@example.com-ok"), "E:jane@example.com");
        T_STR(first("jane@my-shop.de"), "E:jane@my-shop.de");
        T_STR(first("jane@localhost"), "-");
        T_STR(first("jane@example.c"), "-");
        T_STR(first("jane@example.c0m"), "-");
        T_STR(first("jane@example..com"), "-");
        T_STR(first("jane@.com"), "-");
        T_STR(first("@example.com"), "-");
        T_STR(first(".jane@example.com"), "-");
        T_STR(first("a@b@example.com"), "E:b@example.com");
        T_STR(first("jane @example.com"), "-");
}

static void test_email_from(void)
{
        const char *s = "jane@example.com and bob@example.org";
        size_t start = 0, end = 0;
        T_INT(vb_pii_find(s, strlen(s), 1, &start, &end), VB_PII_EMAIL);
        T_INT(start, 21);
        T_INT(end, 36);
        T_INT(vb_pii_find(s, strlen(s), 22, &start, &end), VB_PII_NONE);
        T_INT(vb_pii_find(s, 20, 0, &start, &end), VB_PII_EMAIL);
        T_INT(end, 16);
        T_INT(vb_pii_find(s, 14, 0, &start, &end), VB_PII_NONE); /* "jane@example.c" */
}

static void test_phone(void)
{
        T_STR(first("call +49 30 1234567 now"), "P:+49 30 1234567");
        T_STR(first("(555) 123-4567"), "P:(555) 123-4567");
        T_STR(first("555.123.4567."), "P:555.123.4567");
        T_STR(first("0171-1234567"), "P:0171-1234567");
        T_STR(first("tel: +1-202-555-0143;"), "P:+1-202-555-0143");
        T_STR(first("02079460958"), "P:02079460958");
        T_STR(first("+1 (202) 555-0143"), "P:+1 (202) 555-0143");
        T_STR(first("call me (0171 1234567)"), "P:0171 1234567");
        T_STR(first("12345678"), "P:12345678");
        T_STR(first("123456789012345"), "P:123456789012345");
        T_STR(first("2026-11-03 030 1234567"), "P:030 1234567");
        /* no-break spaces, as "&nbsp;" shows them */
        T_STR(first("call 415\xC2\xA0"
                    "555\xC2\xA0"
                    "0132 now"),
              "P:415\xC2\xA0"
              "555\xC2\xA0"
              "0132");
        T_STR(first("06\xE2\x80\xAF"
                    "12\xE2\x80\xAF"
                    "34\xE2\x80\xAF"
                    "56\xE2\x80\xAF"
                    "78"),
              "P:06\xE2\x80\xAF"
              "12\xE2\x80\xAF"
              "34\xE2\x80\xAF"
              "56\xE2\x80\xAF"
              "78");
        T_STR(first("0171\xE2\x80\x89"
                    "1234567"),
              "P:0171\xE2\x80\x89"
              "1234567");
}

static void test_not_phone(void)
{
        T_STR(first("C-10492"), "-");
        T_STR(first("customer C-1049212345"), "-");
        T_STR(first("2026-11-03"), "-");
        T_STR(first("2026-11-03 15"), "-");
        T_STR(first("2026-11-03 15:00:00 -5"), "-");
        T_STR(first("2026/11/03"), "-");
        T_STR(first("03.11.2026"), "-");
        T_STR(first("3.11.2026 12"), "-");
        T_STR(first("2026.11.03"), "-");
        T_STR(first("today (2026-11-18)."), "-");
        T_STR(first("(03.11.2026)"), "-");
        T_STR(first("2026-11-03-c10492-buyer-000012"), "-");
        T_STR(first("2026-11-03T15:00:00Z"), "-");
        T_STR(first("order 1234567"), "-");
        T_STR(first("1234567890123456"), "-");
        T_STR(first("ltv: 420.50"), "-");
        T_STR(first("paid 1,299.00"), "-");
        T_STR(first("12345678abc"), "-");
        T_STR(first("abc12345678"), "-");
        T_STR(first("1234  5678"), "-");
        T_STR(first("12345678-abc"), "-");
        T_STR(first("1234:5678"), "-");
}

static void test_redact(void)
{
        T_STR(redact("Reach jane@example.com or +49 30 1234567, not C-10492 on 2026-11-03."),
              "Reach [email removed] or [phone removed], not C-10492 on 2026-11-03.");
        T_STR(redact("(555) 123-4567 / 555.123.4567 / a@b.io"),
              "[phone removed] / [phone removed] / [email removed]");
        T_STR(redact("nothing here"), "nothing here");
        T_STR(redact(""), "");
        T_STR(redact("x@y.zz"), "[email removed]");
        T_STR(redact("call 555-123-4567 555-987-6543 today"),
              "call [phone removed] [phone removed] today");
        T_STR(redact("card 4111 1111 1111 1111"), "card [phone removed] 1111");
        struct vb_buf b = VB_BUF_INIT;
        vb_buf_adds(&b, ">");
        vb_pii_redact(&b, "02079460958!", 12);
        T_STR(b.ptr, ">[phone removed]!");
        vb_buf_release(&b);
}

/* Runs find over a whole adversarial string, as redact does. */
static double seconds_to_redact(const char *s, size_t len, size_t *out_len)
{
        struct vb_buf b = VB_BUF_INIT;
        clock_t t0 = clock();
        vb_pii_redact(&b, s, len);
        double sec = (double)(clock() - t0) / CLOCKS_PER_SEC;
        *out_len = b.len;
        vb_buf_release(&b);
        return sec;
}

static void test_linear(void)
{
        const size_t n = 1 << 20;
        const char *patterns[] = {"0",        "@",           "1-",       "a@", "a.",
                                  "1 ",       "2026-11-03 ", "a@b.",     "+(", "a@b.co",
                                  "a@b.com-", "1@",          "12345678 "};
        char *s = vb_malloc(n + 1);
        for (size_t k = 0; k < sizeof patterns / sizeof *patterns; k++) {
                size_t plen = strlen(patterns[k]), out_len;
                for (size_t i = 0; i < n; i++)
                        s[i] = patterns[k][i % plen];
                s[n] = '\0';
                double sec = seconds_to_redact(s, n, &out_len);
                if (sec > 2.0) /* quadratic would take minutes */
                        T_FAIL("pattern \"%s\" took %.2f s", patterns[k], sec);
                T_TRUE(out_len > 0);
        }
        free(s);
}

/* Each line of a fixture file that is no comment, NUL-terminated in place;
 * returns how many, or 0 when the file cannot be read. */
static size_t fixture_lines(const char *path, char **text, char **lines, size_t max)
{
        FILE *f = fopen(path, "rb");
        size_t n = 0, len;
        if (!f)
                return 0;
        *text = vb_malloc(1 << 16);
        len = fread(*text, 1, (1 << 16) - 1, f);
        fclose(f);
        (*text)[len] = '\0';
        for (char *line = strtok(*text, "\n"); line && n < max; line = strtok(NULL, "\n"))
                if (*line != '#')
                        lines[n++] = line;
        return n;
}

/* Ordinary text with ids in URLs, year ranges, IPv4 addresses, DOIs and
 * "key=digits": no match, nothing redacted (issue 18, item 10). */
static void test_ordinary_corpus(void)
{
        char *text = NULL, *lines[256];
        size_t n = fixture_lines("tests/fixtures/pii/ordinary.txt", &text, lines, 256);
        T_TRUE(n >= 25);
        for (size_t i = 0; i < n; i++) {
                if (strcmp(first(lines[i]), "-"))
                        T_FAIL("\"%s\": found %s", lines[i], first(lines[i]));
                T_STR(redact(lines[i]), lines[i]);
        }
        free(text);
}

/* The numbers still found, exactly. */
static void test_phone_corpus(void)
{
        char *text = NULL, *lines[256], want[256];
        size_t n = fixture_lines("tests/fixtures/pii/phones.txt", &text, lines, 256);
        T_TRUE(n >= 15);
        for (size_t i = 0; i < n; i++) {
                char *bar = strchr(lines[i], '|');
                T_TRUE(bar != NULL);
                if (!bar)
                        continue;
                *bar = '\0';
                snprintf(want, sizeof want, "P:%s", bar + 1);
                T_STR(first(lines[i]), want);
        }
        free(text);
}

static void test_not_phone_tightened(void)
{
        T_STR(first("https://youtu.be/12345678901"), "-");
        T_STR(first("see /photos/12345678901/"), "-");
        T_STR(first("2011-2013"), "-");
        T_STR(first("2011-2013 12 people"), "-");
        T_STR(first("192.168.100.200"), "-");
        T_STR(first("10.1000/123456789"), "-");
        T_STR(first("max-age=31536000"), "-");
        T_STR(first("#12345678"), "-");
        /* not every near miss is ordinary text */
        T_STR(first("2013-2011"), "P:2013-2011");
        T_STR(first("192.168.100.256"), "P:192.168.100.256");
        T_STR(first("019.168.100.200"), "P:019.168.100.200");
        T_STR(first("1234/12345678"), "-");
        T_STR(redact("555-123-4567/555-987-6543"), "[phone removed]/[phone removed]");
        T_STR(first("https://example.com/?mail=jane@example.com"), "E:jane@example.com");
        T_STR(redact("https://youtu.be/12345678901 or 555-123-4567"),
              "https://youtu.be/12345678901 or [phone removed]");
}

/* vb_pii_redact_pieces of s in pieces ending at ends[0..n), after "<p>":
 * "text|end,end,..." (ends counted from after the "<p>"), or "changed: N". */
static const char *pieces(const char *s, const size_t *ends, size_t n, size_t want)
{
        static char out[512];
        struct vb_buf b = VB_BUF_INIT;
        size_t e[8], k;
        memcpy(e, ends, n * sizeof(*e));
        vb_buf_adds(&b, "<p>");
        size_t made = vb_pii_redact_pieces(&b, s, strlen(s), e, n);
        k = (size_t)snprintf(out, sizeof out, "%s|", b.ptr + 3);
        for (size_t i = 0; i < n; i++)
                k += (size_t)snprintf(out + k, sizeof out - k, "%s%zu", i ? "," : "", e[i]);
        if (made != want)
                snprintf(out, sizeof out, "changed: %zu", made);
        vb_buf_release(&b);
        return out;
}

/* vb_pii_redact_pieces: "jane.doe@example.<em>com</em>" and friends. */
static void test_redact_pieces(void)
{
        /* "jane.doe@example." + "com" + " here" */
        T_STR(pieces("jane.doe@example.com here", (size_t[]){17, 20, 25}, 3, 1),
              "[email removed] here|15,15,20");
        /* "+1 415 " + "555" + " 0132 ok" */
        T_STR(pieces("+1 415 555 0132 ok", (size_t[]){7, 10, 18}, 3, 1),
              "[phone removed] ok|15,15,18");
        /* a piece that ends where a match starts keeps what is before it */
        T_STR(pieces("mail jane@example.com", (size_t[]){5, 21}, 2, 1),
              "mail [email removed]|5,20");
        /* nothing found: nothing moves */
        T_STR(pieces("abcdef", (size_t[]){3, 6}, 2, 0), "abcdef|3,6");
        /* a second pass: "a@b.uk" + "_12345678" */
        T_STR(pieces("a@b.uk_12345678", (size_t[]){6, 15}, 2, 2),
              "[email removed]_[phone removed]|15,31");
}

/* vb_pii_possible counts digits eight bytes at a time: the same answer as
 * one byte at a time, whatever the bytes around the digits (bytes with the
 * high bit set whose low bits are a digit's, ':' and '/' next to '0'-'9')
 * and wherever the digits fall (across words, in the tail). */
static int possible_bytewise(const char *s, size_t len)
{
        size_t digits = 0;
        if (memchr(s, '@', len))
                return 1;
        for (size_t i = 0; i < len; i++)
                digits += s[i] >= '0' && s[i] <= '9';
        return digits >= VB_PII_PHONE_MIN_DIGITS;
}

static void test_possible(void)
{
        static const char alphabet[] = "0123456789/:\xb0\xb9\x80\xff a";
        char s[40];
        unsigned seed = 1;
        for (int t = 0; t < 200000; t++) {
                size_t len = (size_t)(t % 37);
                for (size_t i = 0; i < len; i++) {
                        seed = seed * 1103515245u + 12345u;
                        s[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
                }
                if (vb_pii_possible(s, len) != possible_bytewise(s, len)) {
                        T_FAIL("vb_pii_possible differs on a %zu-byte text (case %d)", len, t);
                        return;
                }
        }
        T_INT(vb_pii_possible("1234567", 7), 0);
        T_INT(vb_pii_possible("abcdefgh1234567", 15), 0);
        T_INT(vb_pii_possible("abcdefgh12345678", 16), 1);
        T_INT(vb_pii_possible("1a2b3c4d5e6f7g8h", 16), 1);
        T_INT(vb_pii_possible("\xb0\xb1\xb2\xb3\xb4\xb5\xb6\xb7\xb8", 9), 0);
        T_INT(vb_pii_possible("no digits, but x@y", 18), 1);
}

int main(void)
{
        T_RUN(test_email);
        T_RUN(test_email_from);
        T_RUN(test_phone);
        T_RUN(test_not_phone);
        T_RUN(test_redact);
        T_RUN(test_linear);
        T_RUN(test_ordinary_corpus);
        T_RUN(test_phone_corpus);
        T_RUN(test_not_phone_tightened);
        T_RUN(test_redact_pieces);
        T_RUN(test_possible);
        T_END();
}
