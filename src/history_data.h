/* Private to history.c and history_cache.c: what the history keeps of the main line
 * (commits, per-commit tree changes, parsed blobs) and what the cache file
 * stores.  Not part of the public API. */
#ifndef VERBATIM_HISTORY_DATA_H
#define VERBATIM_HISTORY_DATA_H

#include "verbatim/arena.h"
#include "verbatim/buf.h"
#include "verbatim/date.h"
#include "verbatim/yaml.h"
#include "verbatim/diag.h"

#include <stddef.h>
#include <stdint.h>

/* Interned strings: id 0 is "none"; ids start at 1.  Strings 1..nborrowed
 * point into `block` (the cache file as read, mapped, owned); later ones are
 * allocated one by one. */
struct vb_strtab {
        char **v;
        size_t n, cap;
        uint64_t *slots; /* open addressing: id | the hash's high half << 32, 0 empty */
        size_t nslots;
        void *block;
        size_t block_len, nborrowed;
};

/* The compact record of one parsed note blob. */
struct vb_hblob {
        unsigned char oid[20];
        int32_t days; /* call date (days since 1970), INT32_MIN when none */
        uint8_t conversation, errors, parsed;
        uint32_t customer;         /* string id, 0 when none */
        uint32_t tag_first, ntags; /* tags as written (distinct): tagpool[tag_first..] */
};

/* One note file changed by a commit: paths are string ids, blobs indexes + 1
 * (0: the side does not exist or is no note). */
struct vb_hchange {
        uint32_t old_path, new_path, old_blob, new_blob;
};

struct vb_hcommit {
        unsigned char oid[20];
        int64_t time;
        int32_t offset;
        uint32_t subject, author, nparents;
        uint8_t vocab_changed; /* verbatim.yml changed: vocab_oid is the new blob (zero: removed) */
        unsigned char vocab_oid[20];
        uint64_t change_first, nchanges;
};

/* What the cache file held when it was read: the writer appends only what is
 * beyond it.  All zero when no valid cache was read. */
struct vb_hcache_state {
        int valid;        /* a cache file was read: at least one segment */
        int damaged_tail; /* bytes after the valid segments were ignored */
        int had_unparsed; /* a cached blob was unparsed: this run may change it */
        size_t nsegments;
        uint64_t file_len, valid_len, first_len; /* first_len: the first segment's */
        uint64_t dev, ino;                       /* of the file read */
        size_t nstr, nblobs, ntagpool, ncommits; /* what the valid segments hold */
        size_t kept_commits; /* of those, still on the main line (walk_main_line lowers it) */
};

/* A note blob that passed check's rules on its own (the parser's, check's
 * on each note), with what the rules across notes need of it. */
struct vb_hclean {
        unsigned char oid[20];
        struct vb_date date;
        struct vb_pos follows_pos;
        int conversation;
        const char *customer, *follows; /* in the history data's arena, or NULL */
};

struct vb_history_data {
        struct vb_strtab str;
        struct vb_hblob *blobs;
        size_t nblobs, capblobs;
        uint64_t *blob_slots; /* oid -> index + 1 | 4 more bytes of the oid << 32 */
        size_t nblob_slots;
        uint32_t *tagpool;
        size_t ntagpool, captagpool;
        struct vb_hcommit *commits;
        size_t ncommits, capcommits;
        struct vb_hchange *changes;
        size_t nchanges, capchanges;
        /* after the replay: tags resolved with the newest vocabulary */
        int32_t *tag_theme;      /* per string id: theme index, -1 when unknown */
        uint8_t *tag_alias;      /* per string id: written as an alias */
        const char **theme_keys; /* per theme index */
        size_t nthemes;
        struct vb_hcache_state cache;
        /* the blobs parsed in this run and found clean (check_notes), with
         * the vocabulary of key clean_key (vb_hcheck_key) */
        unsigned char clean_key[20];
        struct vb_hclean *clean;
        size_t nclean, capclean;
        struct vb_arena clean_strings;
};

uint32_t vb_strtab_intern(struct vb_strtab *t, const char *s, size_t len);
void vb_strtab_release(struct vb_strtab *t);

/* Blob index of `oid`, adding an unparsed record when new. */
size_t vb_hdata_blob(struct vb_history_data *h, const unsigned char oid[20]);
void vb_hdata_release(struct vb_history_data *h);
/* Keeps the first `ncommits` commits and their changes (a rewritten history
 * keeps only the prefix still on the main line); the cache writer learns
 * that the records beyond are gone. */
void vb_hdata_truncate(struct vb_history_data *h, size_t ncommits);

/* Reads the cache file at `path` into `h` (empty) and notes in h->cache what
 * it held.  `key` is what the cached data depends on (notes folders, themes
 * key).  Returns 0; 1 when only a valid prefix of the segments was used (a
 * torn or damaged end, repaired by the next write); -1 when the file is
 * absent, of another version or key, or its first segment is damaged (`h`
 * is left empty then). */
struct vb_source;
/* What check's verdict on a note depends on besides its bytes: the
 * program's version and the vocabulary files of `src` (history_errors.c). */
void vb_hcheck_key(unsigned char key[20], struct vb_source *src);
/* A checksum of `n` bytes (damage detection, the same on every host). */
uint64_t vb_hcache_checksum(const unsigned char *p, size_t n);
int vb_hcache_read(struct vb_history_data *h, const char *path, const char *key);
/* Brings the cache file at `path` up to `h`: nothing when nothing is new,
 * else one segment appended under a lock, else (no valid cache read, too many
 * segments, a changed file) the whole file rewritten atomically.  Returns 1
 * when written, 0 when nothing was written (nothing new, or another run
 * changed the file meanwhile), negative with a diagnostic on failure. */
int vb_hcache_write(const struct vb_history_data *h, const char *path, const char *key,
                    struct vb_diags *d);

/* Objects read straight from the pack files, with a cache of delta bases
 * (git_pack.c).  Single-threaded: one reader per thread. */
struct vb_hpack;
struct vb_hobj {
        size_t refs;
        size_t len;
        int type;            /* 1 commit, 2 tree, 3 blob, 4 tag */
        unsigned char *data; /* len bytes and a NUL */
};

/* Maps the packs of `objects_dir` (none is fine); the caller frees. */
int vb_hpack_open(struct vb_hpack **out, const char *objects_dir);
void vb_hpack_free(struct vb_hpack *hp);
/* A reader of the packs of `base` (which must outlive it) with its own cache
 * of at most `cache_bytes` (the default: git's 96 MiB): one per thread. */
struct vb_hpack *vb_hpack_share(const struct vb_hpack *base, size_t cache_bytes);
/* The object `oid` (a reference the caller releases), or NULL when no pack
 * has it or it cannot be read: the caller asks libgit2 then. */
struct vb_hobj *vb_hpack_read(struct vb_hpack *hp, const unsigned char oid[20]);
void vb_hobj_release(struct vb_hobj *o);

#endif
