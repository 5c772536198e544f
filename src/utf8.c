/* UTF-8 by hand (it is simple and hot); Unicode's tables through utf8proc. */
#include "verbatim/utf8.h"

#include <stdlib.h>
#include <utf8proc.h>

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
        utf8proc_int32_t f[4];
        int bound = 0;
        if (cp < 0x80)
                return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
        if (cp > 0x10ffff)
                return cp;
        if (utf8proc_decompose_char((utf8proc_int32_t)cp, f, 4, UTF8PROC_CASEFOLD, &bound) == 1)
                return (uint32_t)f[0];
        return (uint32_t)utf8proc_tolower((utf8proc_int32_t)cp);
}

/* Code points of b[from..len) decomposed with `opt` (canonical order), then
 * composed: the bytes from `from` on are replaced by the result. */
static void map_at(struct vb_buf *b, size_t from, utf8proc_option_t opt)
{
        enum { STACK = 256 };
        utf8proc_int32_t stack[STACK], *cps = stack;
        utf8proc_ssize_t n, cap = STACK, i;
        struct vb_buf clean = VB_BUF_INIT;
        const char *s = b->ptr + from;
        size_t len = b->len - from;

        if (vb_utf8_check(s, len) != len) { /* invalid bytes become U+FFFD */
                for (size_t at = 0; at < len;) {
                        uint32_t cp;
                        char enc[4];
                        at += vb_utf8_decode(s + at, len - at, &cp);
                        vb_buf_add(&clean, enc, vb_utf8_encode(cp, enc));
                }
                s = clean.ptr;
                len = clean.len;
        }
        for (;;) {
                n = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, cps, cap,
                                       opt);
                if (n <= cap)
                        break;
                if (cps != stack)
                        free(cps);
                cap = n;
                cps = vb_malloc((size_t)cap * sizeof *cps);
        }
        if (n >= 0)
                n = utf8proc_normalize_utf32(cps, n, opt);
        if (n >= 0) { /* never fails on valid UTF-8; else the text stays as it was */
                vb_buf_truncate(b, from);
                vb_buf_grow(b, (size_t)n * 4);
                for (i = 0; i < n; i++)
                        b->len += vb_utf8_encode((uint32_t)cps[i], b->ptr + b->len);
                b->ptr[b->len] = '\0';
        }
        if (cps != stack)
                free(cps);
        vb_buf_release(&clean);
}

void vb_utf8_fold_nfc_at(struct vb_buf *b, size_t from)
{
        size_t i;
        for (i = from; i < b->len; i++) {
                unsigned char c = (unsigned char)b->ptr[i];
                if (c >= 0x80)
                        break;
                if (c >= 'A' && c <= 'Z')
                        b->ptr[i] = (char)(c + 32);
        }
        if (i < b->len) /* ASCII before i is folded already and stays as it is */
                map_at(b, i > from ? i - 1 : from,
                       UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
}

void vb_utf8_fold_nfc(struct vb_buf *out, const char *s, size_t len)
{
        size_t from = out->len;
        vb_buf_add(out, s, len);
        vb_utf8_fold_nfc_at(out, from);
}

void vb_utf8_nfc(struct vb_buf *out, const char *s, size_t len)
{
        size_t from = out->len, i;
        vb_buf_add(out, s, len);
        for (i = from; i < out->len && (unsigned char)out->ptr[i] < 0x80; i++)
                ;
        if (i < out->len)
                map_at(out, i > from ? i - 1 : from, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
}

enum vb_uclass vb_utf8_class(uint32_t cp)
{
        if (cp > 0x10ffff)
                return VB_UCLASS_OTHER;
        switch (utf8proc_category((utf8proc_int32_t)cp)) {
        case UTF8PROC_CATEGORY_LU:
        case UTF8PROC_CATEGORY_LL:
        case UTF8PROC_CATEGORY_LT:
        case UTF8PROC_CATEGORY_LM:
        case UTF8PROC_CATEGORY_LO:
                return VB_UCLASS_LETTER;
        case UTF8PROC_CATEGORY_MN:
        case UTF8PROC_CATEGORY_MC:
        case UTF8PROC_CATEGORY_ME:
                return VB_UCLASS_MARK;
        case UTF8PROC_CATEGORY_ND:
        case UTF8PROC_CATEGORY_NL:
        case UTF8PROC_CATEGORY_NO:
                return VB_UCLASS_NUMBER;
        case UTF8PROC_CATEGORY_PC:
        case UTF8PROC_CATEGORY_PD:
        case UTF8PROC_CATEGORY_PS:
        case UTF8PROC_CATEGORY_PE:
        case UTF8PROC_CATEGORY_PI:
        case UTF8PROC_CATEGORY_PF:
        case UTF8PROC_CATEGORY_PO:
                return VB_UCLASS_PUNCT;
        case UTF8PROC_CATEGORY_SM:
        case UTF8PROC_CATEGORY_SC:
        case UTF8PROC_CATEGORY_SK:
        case UTF8PROC_CATEGORY_SO:
                return VB_UCLASS_SYMBOL;
        case UTF8PROC_CATEGORY_ZS:
        case UTF8PROC_CATEGORY_ZL:
        case UTF8PROC_CATEGORY_ZP:
                return VB_UCLASS_SPACE;
        default:
                return VB_UCLASS_OTHER;
        }
}

int vb_utf8_is_word(uint32_t cp)
{
        if (cp < 0x80)
                return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
                       (cp >= '0' && cp <= '9');
        enum vb_uclass c = vb_utf8_class(cp);
        return c == VB_UCLASS_LETTER || c == VB_UCLASS_MARK || c == VB_UCLASS_NUMBER;
}

const char *vb_utf8_library_version(void)
{
        return utf8proc_version();
}

int vb_utf8_width(uint32_t cp)
{
        if (cp < 0x80)
                return cp < 0x20 || cp == 0x7f ? 0 : 1;
        if (cp > 0x10ffff)
                return 1;
        return utf8proc_charwidth((utf8proc_int32_t)cp);
}

size_t vb_utf8_columns(const char *s, size_t len)
{
        size_t i = 0, w = 0;
        uint32_t c;
        while (i < len) {
                i += vb_utf8_decode(s + i, len - i, &c);
                w += (size_t)vb_utf8_width(c);
        }
        return w;
}
