#include "verbatim/arena.h"
#include "verbatim/buf.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

struct vb_arena_chunk {
        struct vb_arena_chunk *next;
        size_t size;
        alignas(max_align_t) unsigned char data[];
};

enum { FIRST_CHUNK = 1024 - 64, MAX_CHUNK = 64 * 1024 - 64 };

static void *alloc(struct vb_arena *a, size_t n, size_t align)
{
        size_t at = (a->used + align - 1) & ~(align - 1);
        n = n ? n : 1;
        if (a->head && at <= a->head->size && a->head->size - at >= n) {
                a->used = at;
        } else {
                size_t chunk = a->head ? 2 * a->head->size + 64 : a->hint ? a->hint : FIRST_CHUNK;
                if (chunk > MAX_CHUNK)
                        chunk = MAX_CHUNK;
                size_t size = n > chunk / 4 ? n : chunk;
                struct vb_arena_chunk *c = vb_malloc(sizeof(*c) + size);
                c->size = size;
                a->total += size;
                if (a->head && size != chunk) {
                        /* a big block goes behind the current chunk, which stays usable */
                        c->next = a->head->next;
                        a->head->next = c;
                        memset(c->data, 0, n);
                        return c->data;
                }
                c->next = a->head;
                a->head = c;
                a->used = 0;
        }
        void *p = a->head->data + a->used;
        a->used += n;
        memset(p, 0, n);
        return p;
}

void *vb_arena_alloc(struct vb_arena *a, size_t n)
{
        return alloc(a, n, alignof(max_align_t));
}

char *vb_arena_strndup(struct vb_arena *a, const char *s, size_t n)
{
        char *p = alloc(a, n + 1, 1); /* strings need no alignment */
        memcpy(p, s, n);
        p[n] = '\0';
        return p;
}

char *vb_arena_strdup(struct vb_arena *a, const char *s)
{
        return vb_arena_strndup(a, s, strlen(s));
}

void vb_arena_release(struct vb_arena *a)
{
        struct vb_arena_chunk *c = a->head;
        while (c) {
                struct vb_arena_chunk *next = c->next;
                free(c);
                c = next;
        }
        a->head = NULL;
        a->used = 0;
        a->total = 0;
}
