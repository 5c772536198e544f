#include "verbatim/utf8.h"

size_t vb_utf8_valid_prefix(const char *str, size_t len)
{
        const unsigned char *s = (const unsigned char *)str;
        uint32_t cp;
        size_t n, i;
        if (!len)
                return 0;
        if (s[0] < 0x80)
                return 1;
        if (s[0] >= 0xc2 && s[0] <= 0xdf)
                n = 2, cp = s[0] & 0x1f;
        else if (s[0] >= 0xe0 && s[0] <= 0xef)
                n = 3, cp = s[0] & 0x0f;
        else if (s[0] >= 0xf0 && s[0] <= 0xf4)
                n = 4, cp = s[0] & 0x07;
        else
                return 0;
        if (len < n)
                return 0;
        for (i = 1; i < n; i++) {
                if ((s[i] & 0xc0) != 0x80)
                        return 0;
                cp = (cp << 6) | (s[i] & 0x3f);
        }
        if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
                return 0;
        return n;
}

size_t vb_utf8_check(const char *s, size_t len)
{
        size_t i = 0;
        while (i < len) {
                if ((unsigned char)s[i] < 0x80) {
                        i++;
                        continue;
                }
                size_t n = vb_utf8_valid_prefix(s + i, len - i);
                if (!n)
                        return i;
                i += n;
        }
        return len;
}

size_t vb_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
        const unsigned char *s = (const unsigned char *)str;
        size_t n = vb_utf8_valid_prefix(str, len);
        if (n == 0) {
                *cp = 0xfffd;
                return 1;
        }
        switch (n) {
        case 1:
                *cp = s[0];
                break;
        case 2:
                *cp = ((uint32_t)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
                break;
        case 3:
                *cp = ((uint32_t)(s[0] & 0x0f) << 12) | ((uint32_t)(s[1] & 0x3f) << 6) |
                      (s[2] & 0x3f);
                break;
        default:
                *cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3f) << 12) |
                      ((uint32_t)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
        }
        return n;
}

size_t vb_utf8_encode(uint32_t cp, char *out)
{
        if (cp < 0x80) {
                out[0] = (char)cp;
                return 1;
        }
        if (cp < 0x800) {
                out[0] = (char)(0xc0 | (cp >> 6));
                out[1] = (char)(0x80 | (cp & 0x3f));
                return 2;
        }
        if (cp < 0x10000) {
                out[0] = (char)(0xe0 | (cp >> 12));
                out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
                out[2] = (char)(0x80 | (cp & 0x3f));
                return 3;
        }
        out[0] = (char)(0xf0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[3] = (char)(0x80 | (cp & 0x3f));
        return 4;
}

uint32_t vb_utf8_fold(uint32_t cp)
{
        if (cp < 0x80)
                return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
        if ((cp >= 0xc0 && cp <= 0xde && cp != 0xd7))
                return cp + 32;           /* Latin-1 capitals */
        if (cp >= 0x100 && cp <= 0x17f) { /* Latin Extended-A: mostly pairs */
                if (cp == 0x130)
                        return 'i';
                if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17e))
                        return (cp & 1) ? cp + 1 : cp;
                if (cp == 0x178)
                        return 0xff;
                if (cp == 0x17f)
                        return 's';
                return (cp & 1) ? cp : cp + 1;
        }
        if (cp >= 0x391 && cp <= 0x3ab && cp != 0x3a2)
                return cp + 32; /* Greek capitals */
        if (cp == 0x3c2)
                return 0x3c3; /* final sigma */
        if (cp >= 0x410 && cp <= 0x42f)
                return cp + 32; /* Cyrillic capitals */
        if (cp >= 0x400 && cp <= 0x40f)
                return cp + 80;
        return cp;
}
