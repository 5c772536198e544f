/* A growable byte string, the one string type of verbatim (like git's strbuf).
 *
 * The bytes are always NUL-terminated, so `ptr` can be passed where a C string
 * is expected when the content has no NUL of its own.  Out of memory aborts
 * the process: there is no sensible recovery for a command-line tool, and it
 * keeps every caller free of allocation checks. */
#ifndef VERBATIM_BUF_H
#define VERBATIM_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct vb_buf {
        char *ptr; /* never NULL after vb_buf_init: points at "" when empty */
        size_t len;
        size_t cap;
};

#define VB_BUF_INIT                                                                                \
        {                                                                                          \
                vb_buf_empty, 0, 0                                                                 \
        }
extern char vb_buf_empty[];

void vb_buf_init(struct vb_buf *b);
/* Frees the bytes and leaves `b` empty and reusable. */
void vb_buf_release(struct vb_buf *b);
/* Hands the bytes to the caller, who frees them with free(); `b` is left empty. */
char *vb_buf_detach(struct vb_buf *b, size_t *len);
/* Makes room for `extra` more bytes without changing the content. */
void vb_buf_grow(struct vb_buf *b, size_t extra);
void vb_buf_reset(struct vb_buf *b);
void vb_buf_truncate(struct vb_buf *b, size_t len);
void vb_buf_add(struct vb_buf *b, const void *data, size_t len);

/* Inline: the compiler counts a literal's length, and a byte is added
 * without a call on the pages' hot paths. */
static inline void vb_buf_adds(struct vb_buf *b, const char *s)
{
        vb_buf_add(b, s, strlen(s));
}

static inline void vb_buf_addc(struct vb_buf *b, char c)
{
        if (b->len + 1 >= b->cap)
                vb_buf_grow(b, 1);
        b->ptr[b->len++] = c;
        b->ptr[b->len] = '\0';
}

void vb_buf_addf(struct vb_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vb_buf_vaddf(struct vb_buf *b, const char *fmt, va_list ap);
/* Appends s[0..len) for a terminal or a one-line message: control characters
 * (from file names, notes, verbatim.yml) are written as \n, \r, \t or \xHH
 * (C0, DEL, and C1 as its UTF-8 bytes \xc2\xHH), so that nothing breaks a
 * line or drives the terminal.  Every other byte is kept. */
void vb_buf_add_visible(struct vb_buf *b, const char *s, size_t len);
/* Appends `s` as a JSON string literal, quotes included; invalid UTF-8 becomes U+FFFD. */
void vb_buf_add_json(struct vb_buf *b, const char *s, size_t len);
/* Appends `s` as one TSV cell: TAB, newline, carriage return and backslash
 * written \t, \n, \r and \\ (as in the index file). */
void vb_buf_add_tsv(struct vb_buf *b, const char *s, size_t len);
/* Appends `s` as one CSV cell (RFC 4180), after a comma unless `first`:
 * quoted when it holds a comma, quote or line end; a leading = + - @ gets an
 * apostrophe (spreadsheets would run it as a formula).  NULL is empty. */
void vb_buf_add_csv(struct vb_buf *b, const char *s, int first);

/* Allocation helpers that abort on failure.  The caller frees with free(). */
void *vb_malloc(size_t n);
void *vb_calloc(size_t n, size_t size);
void *vb_realloc(void *p, size_t n);
/* Grows an array of `*cap` elements of `size` bytes so that `need` fit. */
void *vb_grow_array(void *p, size_t *cap, size_t need, size_t size);
char *vb_strdup(const char *s);
char *vb_strndup(const char *s, size_t n);
/* strcmp where NULL sorts before every string (and equals NULL). */
int vb_strcmp_null(const char *a, const char *b);

#endif
