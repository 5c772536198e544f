#include "verbatim/buf.h"
#include "verbatim/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char vb_buf_empty[1];

/* A buffer's first allocation: most hold a name or a line, and growing
 * from 8 bytes a byte at a time cost a realloc per doubling. */
enum { VB_BUF_FIRST = 64 };

static void out_of_memory(void)
{
        fputs("verbatim: out of memory\n", stderr);
        abort();
}

void *vb_malloc(size_t n)
{
        void *p = malloc(n ? n : 1);
        if (!p)
                out_of_memory();
        return p;
}

void *vb_calloc(size_t n, size_t size)
{
        void *p = calloc(n ? n : 1, size ? size : 1);
        if (!p)
                out_of_memory();
        return p;
}

void *vb_realloc(void *p, size_t n)
{
        void *q = realloc(p, n ? n : 1);
        if (!q)
                out_of_memory();
        return q;
}

void *vb_grow_array(void *p, size_t *cap, size_t need, size_t size)
{
        size_t n = *cap;
        if (need <= n)
                return p;
        if (n < 8)
                n = 8;
        while (n < need) {
                if (n > ((size_t)-1) / 2)
                        out_of_memory();
                n *= 2;
        }
        if (n > ((size_t)-1) / size)
                out_of_memory();
        *cap = n;
        return vb_realloc(p, n * size);
}

char *vb_strndup(const char *s, size_t n)
{
        char *p = vb_malloc(n + 1);
        memcpy(p, s, n);
        p[n] = '\0';
        return p;
}

char *vb_strdup(const char *s)
{
        return vb_strndup(s, strlen(s));
}

void vb_buf_init(struct vb_buf *b)
{
        b->ptr = vb_buf_empty;
        b->len = 0;
        b->cap = 0;
}

void vb_buf_release(struct vb_buf *b)
{
        if (b->cap)
                free(b->ptr);
        vb_buf_init(b);
}

char *vb_buf_detach(struct vb_buf *b, size_t *len)
{
        char *p = b->cap ? b->ptr : vb_strndup("", 0);
        if (len)
                *len = b->len;
        vb_buf_init(b);
        return p;
}

void vb_buf_grow(struct vb_buf *b, size_t extra)
{
        size_t need;
        if (extra > ((size_t)-1) - b->len - 1)
                out_of_memory();
        need = b->len + extra + 1;
        if (need <= b->cap)
                return;
        if (!b->cap) {
                b->ptr = NULL;
                if (need < VB_BUF_FIRST)
                        need = VB_BUF_FIRST;
        }
        b->ptr = vb_grow_array(b->ptr, &b->cap, need, 1);
        if (b->len == 0)
                b->ptr[0] = '\0';
}

void vb_buf_reset(struct vb_buf *b)
{
        vb_buf_truncate(b, 0);
}

void vb_buf_truncate(struct vb_buf *b, size_t len)
{
        if (len >= b->len)
                return;
        b->len = len;
        b->ptr[len] = '\0';
}

void vb_buf_add(struct vb_buf *b, const void *data, size_t len)
{
        if (!len)
                return;
        vb_buf_grow(b, len);
        memmove(b->ptr + b->len, data, len);
        b->len += len;
        b->ptr[b->len] = '\0';
}

void vb_buf_vaddf(struct vb_buf *b, const char *fmt, va_list ap)
{
        va_list cp;
        int n;
        va_copy(cp, ap);
        n = vsnprintf(b->ptr + b->len, b->cap ? b->cap - b->len : 0, fmt, cp);
        va_end(cp);
        if (n < 0)
                return;
        if (b->len + (size_t)n + 1 > b->cap) {
                vb_buf_grow(b, (size_t)n);
                vsnprintf(b->ptr + b->len, b->cap - b->len, fmt, ap);
        }
        b->len += (size_t)n;
}

void vb_buf_addf(struct vb_buf *b, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        vb_buf_vaddf(b, fmt, ap);
        va_end(ap);
}

void vb_buf_add_visible(struct vb_buf *b, const char *s, size_t len)
{
        size_t i, from = 0;
        for (i = 0; i < len; i++) {
                unsigned char c = (unsigned char)s[i];
                int c1 = c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 &&
                         (unsigned char)s[i + 1] <= 0x9f;
                if (c >= 0x20 && c != 0x7f && !c1)
                        continue;
                vb_buf_add(b, s + from, i - from);
                if (c == '\n')
                        vb_buf_adds(b, "\\n");
                else if (c == '\r')
                        vb_buf_adds(b, "\\r");
                else if (c == '\t')
                        vb_buf_adds(b, "\\t");
                else if (c1)
                        vb_buf_addf(b, "\\xc2\\x%02x", (unsigned char)s[++i]);
                else
                        vb_buf_addf(b, "\\x%02x", c);
                from = i + 1;
        }
        vb_buf_add(b, s + from, len - from);
}

void vb_buf_add_json(struct vb_buf *b, const char *s, size_t len)
{
        size_t i = 0;
        vb_buf_addc(b, '"');
        while (i < len) {
                unsigned char c = (unsigned char)s[i];
                if (c < 0x80) {
                        switch (c) {
                        case '"':
                                vb_buf_adds(b, "\\\"");
                                break;
                        case '\\':
                                vb_buf_adds(b, "\\\\");
                                break;
                        case '\n':
                                vb_buf_adds(b, "\\n");
                                break;
                        case '\r':
                                vb_buf_adds(b, "\\r");
                                break;
                        case '\t':
                                vb_buf_adds(b, "\\t");
                                break;
                        default:
                                if (c < 0x20 || c == 0x7f)
                                        vb_buf_addf(b, "\\u%04x", c);
                                else if (c == '<')
                                        vb_buf_adds(b, "\\u003c"); /* safe inside <script> too */
                                else
                                        vb_buf_addc(b, (char)c);
                        }
                        i++;
                        continue;
                }
                size_t n = vb_utf8_valid_prefix(s + i, len - i);
                if (n) {
                        vb_buf_add(b, s + i, n);
                        i += n;
                } else {
                        vb_buf_adds(b, "\\ufffd");
                        i++;
                }
        }
        vb_buf_addc(b, '"');
}

void vb_buf_add_tsv(struct vb_buf *b, const char *s, size_t len)
{
        for (size_t i = 0; i < len; i++) {
                switch (s[i]) {
                case '\t':
                        vb_buf_adds(b, "\\t");
                        break;
                case '\n':
                        vb_buf_adds(b, "\\n");
                        break;
                case '\r':
                        vb_buf_adds(b, "\\r");
                        break;
                case '\\':
                        vb_buf_adds(b, "\\\\");
                        break;
                default:
                        vb_buf_addc(b, s[i]);
                }
        }
}

void vb_buf_add_csv(struct vb_buf *b, const char *s, int first)
{
        int quote;
        if (!first)
                vb_buf_addc(b, ',');
        if (!s)
                return;
        quote = strpbrk(s, ",\"\r\n") != NULL;
        if (quote)
                vb_buf_addc(b, '"');
        if (s[0] && strchr("=+-@", s[0]))
                vb_buf_addc(b, '\'');
        for (; *s; s++) {
                if (*s == '"')
                        vb_buf_addc(b, '"');
                vb_buf_addc(b, *s);
        }
        if (quote)
                vb_buf_addc(b, '"');
}

int vb_strcmp_null(const char *a, const char *b)
{
        if (!a || !b)
                return (a != NULL) - (b != NULL);
        return strcmp(a, b);
}
