/* The file cache: what a folder's files' metadata says of their content, so
 * that a rebuild reads only the files that changed (as git's index does).
 *
 * Each entry maps a note's path and metadata (struct vb_file_stat: size,
 * modification and change times in nanoseconds, inode and device) to the
 * content id (git blob id) its bytes had.  When the file's metadata is the
 * same, its content id is taken from the cache instead of reading and
 * hashing the file.
 *
 * The cache belongs to one file (the index file written with it): it records
 * that file's metadata, and a cache whose file has other metadata now
 * (rewritten, replaced, copied from elsewhere) is foreign and not used.
 * Entries are written only for files whose times are at least two seconds
 * older than the build that saw them (a file written in the same tick as
 * the build could change again without its times moving: git's "racily
 * clean" entries).
 *
 * The file.  Lines ending in '\n':
 *
 *   verbatim-file-cache 1
 *   owner SIZE MTIME CTIME INO DEV              (the file it belongs to)
 *   file SIZE MTIME CTIME INO DEV OID LEN PATH  (N times, by path; PATH is
 *                                                LEN bytes, any bytes)
 *   sum HASH                                    (16 hex digits: FNV-1a 64
 *                                                of every byte before it)
 *
 * Numbers are decimal, OID 40 lower-case hex digits.  Anything else, a count
 * or a sum that does not match, is a damaged cache: it is not used. */
#ifndef VERBATIM_FILECACHE_H
#define VERBATIM_FILECACHE_H

#include "verbatim/diag.h"
#include "verbatim/source.h"

#include <stddef.h>
#include <stdint.h>

struct vb_filecache_entry {
        char *path; /* owned */
        struct vb_file_stat st;
        unsigned char oid[20];
};

struct vb_filecache {
        struct vb_filecache_entry *v; /* sorted by path (strcmp) once loaded or sorted */
        size_t n, cap;
};

#define VB_FILECACHE_INIT                                                                          \
        {                                                                                          \
                0, 0, 0                                                                            \
        }

/* Reads the cache at `path`, which must belong to the file `owner` (see
 * above).  VB_OK; VB_ERR_NOTFOUND when there is none; VB_ERR with a
 * `damaged-cache` diagnostic when it is damaged; VB_ERR_EXISTS with a
 * `foreign-cache` diagnostic when it belongs to another file (or `owner`
 * cannot be stat'ed).  `c` is empty unless VB_OK.  The caller frees `c` with
 * vb_filecache_release. */
int vb_filecache_load(struct vb_filecache *c, const char *path, const char *owner,
                      struct vb_diags *d);

/* The content id the cache holds for `path` with metadata `st`, or NULL when
 * it holds none or the metadata differ.  Borrowed from `c`.  Thread-safe
 * while nobody adds. */
const unsigned char *vb_filecache_find(const struct vb_filecache *c, const char *path,
                                       const struct vb_file_stat *st);

/* Appends an entry (`path` copied); vb_filecache_sort before writing. */
void vb_filecache_add(struct vb_filecache *c, const char *path, const struct vb_file_stat *st,
                      const unsigned char oid[20]);
/* Appends `e`, whose path `c` takes over (e->path is NULL after). */
void vb_filecache_take(struct vb_filecache *c, struct vb_filecache_entry *e);
/* Sorts the entries by path. */
void vb_filecache_sort(struct vb_filecache *c);

/* Writes `c` (sorted) at `path` atomically, belonging to the file `owner`
 * as it is now.  VB_OK, or VB_ERR_IO with a diagnostic. */
int vb_filecache_write(const struct vb_filecache *c, const char *path, const char *owner,
                       struct vb_diags *d);

void vb_filecache_release(struct vb_filecache *c);

#endif
