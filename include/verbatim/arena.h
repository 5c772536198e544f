/* A bump allocator: many small allocations freed in one call.
 *
 * A note is parsed into one arena; vb_arena_release frees all it holds. */
#ifndef VERBATIM_ARENA_H
#define VERBATIM_ARENA_H

#include <stddef.h>

struct vb_arena_chunk;

struct vb_arena {
        struct vb_arena_chunk *head;
        size_t used;  /* bytes taken from head */
        size_t total; /* bytes of all chunks, for memory accounting */
        size_t hint;  /* size of the first chunk (0: 1 KiB) */
};

#define VB_ARENA_INIT                                                                              \
        {                                                                                          \
                0, 0, 0, 0                                                                         \
        }

/* Zeroed memory, aligned for any type, valid until vb_arena_release. */
void *vb_arena_alloc(struct vb_arena *a, size_t n);
/* A NUL-terminated copy of `n` bytes of `s`. */
char *vb_arena_strndup(struct vb_arena *a, const char *s, size_t n);
char *vb_arena_strdup(struct vb_arena *a, const char *s);
void vb_arena_release(struct vb_arena *a);

#endif
