/* The history's data (interned strings, blob records, commits and their tree
 * changes) and its cache file.
 *
 * The cache file is append-only and made of segments, all little-endian:
 *
 *   header   magic line, format version, a layout check (a fixed 64-bit
 *            pattern and the record sizes), the key (notes folders, themes
 *            key)
 *   segment  112-byte head: magic, the counts it starts at (strings, blobs,
 *            tag pool, commits, changes), its own counts, the byte length of
 *            its strings and of its whole payload, and a checksum of the head
 *            and the payload; then the new strings (NUL-terminated, one
 *            block), blob records, tag pool ids, commits and changes
 *
 * Strings, blobs and the tag pool only ever grow.  Commits and changes may
 * shrink when the history was rewritten: a segment's commit base may be below
 * the count so far (the reader truncates, then appends), and its change base
 * must be where the kept commits' changes end.
 *
 * The reader takes the segments in order and stops at the first one that is
 * torn (shorter than its head says), fails its checksum, or whose bases or
 * indexes do not fit: the valid prefix is used and its length remembered.
 * A run that saw something new appends one segment: under flock(LOCK_EX) it
 * checks that the file is still the one it read, with the same size (else
 * another run appended meanwhile and this one writes nothing), writes at the
 * end of the valid prefix, which overwrites a damaged tail, and truncates
 * what is left after.  A crash mid-append leaves a torn last segment, which
 * the next reader ignores and the next writer overwrites.  Without a valid
 * cache, past 32 segments, or when the appended bytes would outgrow the
 * first segment, the whole file is rewritten as one segment atomically
 * (temporary file, then rename).  Readers take flock(LOCK_SH) so that they
 * never see a segment being appended.
 *
 * The reader maps the file and the strings stay in the mapping.  That is
 * safe because nothing shrinks a cache file below a valid prefix anyone has
 * read: appends only add, a writer truncates only after its own segment, and
 * rewrites replace the file (a new inode) instead of changing it. */
#include "history_data.h"

#include "verbatim/buf.h"
#include "verbatim/outdir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* version 4: personal data redacted or left out (history.c); 5: an unfilled
 * template is no conversation */
#define CACHE_MAGIC   "verbatim history cache\n"
#define CACHE_VERSION 5u
#define LAYOUT_CHECK  0x0807060504030201ull
#define SEG_MAGIC     0x47455356u /* "VSEG" */
#define SEG_HEAD      112u
#define BLOB_SIZE     40u
#define COMMIT_SIZE   84u
#define CHANGE_SIZE   16u
#define MAX_SEGMENTS  32u

/* ---- hashing ---- */

#define P1 0x9E3779B185EBCA87ull
#define P2 0xC2B2AE3D27D4EB4Full
#define P3 0x165667B19E3779F9ull

static uint64_t rotl(uint64_t x, int r)
{
        return (x << r) | (x >> (64 - r));
}

static uint64_t avalanche(uint64_t h)
{
        h ^= h >> 33;
        h *= P2;
        h ^= h >> 29;
        h *= P3;
        h ^= h >> 32;
        return h;
}

static uint32_t ld32(const unsigned char *p)
{
        return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t ld64(const unsigned char *p)
{
        return (uint64_t)ld32(p) | (uint64_t)ld32(p + 4) << 32;
}

static void st32(unsigned char *p, uint32_t v)
{
        p[0] = (unsigned char)v;
        p[1] = (unsigned char)(v >> 8);
        p[2] = (unsigned char)(v >> 16);
        p[3] = (unsigned char)(v >> 24);
}

static void st64(unsigned char *p, uint64_t v)
{
        st32(p, (uint32_t)v);
        st32(p + 4, (uint32_t)(v >> 32));
}

/* Damage detection, not security: four independent lanes over little-endian
 * 64-bit words, the same value on every host. */
static uint64_t checksum(const unsigned char *p, size_t n, uint64_t seed)
{
        uint64_t a = seed + P1 + P2, b = seed + P2, c = seed, d = seed - P1;
        size_t i = 0;
        for (; i + 32 <= n; i += 32) {
                a = rotl(a + ld64(p + i) * P2, 31) * P1;
                b = rotl(b + ld64(p + i + 8) * P2, 31) * P1;
                c = rotl(c + ld64(p + i + 16) * P2, 31) * P1;
                d = rotl(d + ld64(p + i + 24) * P2, 31) * P1;
        }
        uint64_t h = rotl(a, 1) + rotl(b, 7) + rotl(c, 12) + rotl(d, 18) + (uint64_t)n;
        for (; i + 8 <= n; i += 8)
                h = rotl(h ^ (rotl(ld64(p + i) * P2, 31) * P1), 27) * P1 + P3;
        for (; i < n; i++)
                h = rotl(h ^ (p[i] * P3), 11) * P1;
        return avalanche(h);
}

uint64_t vb_hcache_checksum(const unsigned char *p, size_t n)
{
        return checksum(p, n, 0);
}

/* The strings' slots: a word at a time, host order (never persisted). */
static uint64_t str_hash(const char *s, size_t len)
{
        uint64_t h = len * P1, w;
        for (; len >= 8; s += 8, len -= 8) {
                memcpy(&w, s, 8);
                h = rotl((h ^ w) * P2, 29);
        }
        w = 0;
        memcpy(&w, s, len);
        return avalanche(h ^ w);
}

/* ---- interned strings ---- */

#define SLOT_ID(x) ((uint32_t)(x))

static uint64_t slot_of(uint64_t hash, size_t id)
{
        return (hash & 0xFFFFFFFF00000000ull) | id;
}

/* Refills the slots, at least `want` of them (a power of two). */
static void strtab_rehash(struct vb_strtab *t, size_t want)
{
        size_t n = t->nslots ? t->nslots : 1024;
        while (n < want)
                n *= 2;
        free(t->slots);
        t->slots = vb_calloc(n, sizeof(*t->slots));
        t->nslots = n;
        for (size_t id = 1; id < t->n; id++) {
                uint64_t hash = str_hash(t->v[id], strlen(t->v[id]));
                size_t i = hash & (n - 1);
                while (t->slots[i])
                        i = (i + 1) & (n - 1);
                t->slots[i] = slot_of(hash, id);
        }
}

static void strtab_init(struct vb_strtab *t)
{
        if (!t->n) {
                t->v = vb_grow_array(t->v, &t->cap, 1, sizeof(*t->v));
                t->v[0] = NULL;
                t->n = 1;
        }
}

/* The slot where `s` (of hash `hash`) is or would go. */
static size_t strtab_slot(const struct vb_strtab *t, const char *s, size_t len, uint64_t hash)
{
        size_t mask = t->nslots - 1, i = hash & mask;
        uint64_t tag = slot_of(hash, 0);
        for (uint64_t x; (x = t->slots[i]) != 0; i = (i + 1) & mask) {
                if ((x & 0xFFFFFFFF00000000ull) != tag)
                        continue;
                const char *o = t->v[SLOT_ID(x)];
                if (!strncmp(o, s, len) && o[len] == '\0')
                        break;
        }
        return i;
}

uint32_t vb_strtab_intern(struct vb_strtab *t, const char *s, size_t len)
{
        strtab_init(t);
        if ((t->n + 1) * 2 > t->nslots)
                strtab_rehash(t, t->nslots * 2);
        uint64_t hash = str_hash(s, len);
        size_t i = strtab_slot(t, s, len, hash);
        if (t->slots[i])
                return SLOT_ID(t->slots[i]);
        t->v = vb_grow_array(t->v, &t->cap, t->n + 1, sizeof(*t->v));
        t->v[t->n] = vb_strndup(s, len);
        t->slots[i] = slot_of(hash, t->n);
        return (uint32_t)t->n++;
}

void vb_strtab_release(struct vb_strtab *t)
{
        for (size_t i = t->nborrowed + 1; i < t->n; i++)
                free(t->v[i]);
        free(t->v);
        free(t->slots);
        if (t->block)
                munmap(t->block, t->block_len);
        memset(t, 0, sizeof(*t));
}

/* ---- blobs, commits ---- */

static size_t oid_hash(const unsigned char oid[20], size_t mask)
{
        uint64_t h;
        memcpy(&h, oid, sizeof(h));
        return (size_t)h & mask;
}

/* A blob slot: the index + 1, and bytes the index did not use as a tag. */
static uint64_t blob_slot_of(const unsigned char oid[20], size_t index)
{
        uint32_t tag;
        memcpy(&tag, oid + 8, sizeof(tag));
        return (uint64_t)tag << 32 | (index + 1);
}

static void blob_rehash(struct vb_history_data *h, size_t want)
{
        size_t n = h->nblob_slots ? h->nblob_slots : 1024;
        while (n < want)
                n *= 2;
        free(h->blob_slots);
        h->blob_slots = vb_calloc(n, sizeof(*h->blob_slots));
        h->nblob_slots = n;
        for (size_t b = 0; b < h->nblobs; b++) {
                size_t i = oid_hash(h->blobs[b].oid, n - 1);
                while (h->blob_slots[i])
                        i = (i + 1) & (n - 1);
                h->blob_slots[i] = blob_slot_of(h->blobs[b].oid, b);
        }
}

/* The slot where `oid` is or would go. */
static size_t blob_slot(const struct vb_history_data *h, const unsigned char oid[20])
{
        size_t mask = h->nblob_slots - 1, i = oid_hash(oid, mask);
        uint64_t tag = blob_slot_of(oid, 0) & 0xFFFFFFFF00000000ull;
        for (uint64_t x; (x = h->blob_slots[i]) != 0; i = (i + 1) & mask)
                if ((x & 0xFFFFFFFF00000000ull) == tag &&
                    !memcmp(h->blobs[(uint32_t)x - 1].oid, oid, 20))
                        break;
        return i;
}

size_t vb_hdata_blob(struct vb_history_data *h, const unsigned char oid[20])
{
        if ((h->nblobs + 1) * 2 > h->nblob_slots)
                blob_rehash(h, h->nblob_slots * 2);
        size_t i = blob_slot(h, oid);
        if (h->blob_slots[i])
                return (uint32_t)h->blob_slots[i] - 1;
        h->blobs = vb_grow_array(h->blobs, &h->capblobs, h->nblobs + 1, sizeof(*h->blobs));
        struct vb_hblob *b = &h->blobs[h->nblobs];
        memset(b, 0, sizeof(*b));
        memcpy(b->oid, oid, 20);
        b->days = INT32_MIN;
        h->blob_slots[i] = blob_slot_of(oid, h->nblobs);
        return h->nblobs++;
}

void vb_hdata_truncate(struct vb_history_data *h, size_t ncommits)
{
        h->ncommits = ncommits;
        h->nchanges =
            ncommits ? h->commits[ncommits - 1].change_first + h->commits[ncommits - 1].nchanges
                     : 0;
        if (h->cache.kept_commits > ncommits)
                h->cache.kept_commits = ncommits;
}

void vb_hdata_release(struct vb_history_data *h)
{
        vb_strtab_release(&h->str);
        free(h->blobs);
        free(h->blob_slots);
        free(h->tagpool);
        free(h->commits);
        free(h->changes);
        free(h->tag_theme);
        free(h->tag_alias);
        free(h->theme_keys);
        free(h->clean);
        vb_arena_release(&h->clean_strings);
        memset(h, 0, sizeof(*h));
}

/* ---- filling the slots in bulk ---- */

/* Slots are filled in the order of their home slot, a 4 KiB stretch of the
 * table at a time, not at random: reading a large cache is bound by cache
 * misses otherwise.  Returns the order of the `n` keys of home slots `homes`
 * (a counting sort on the top bits; owned by the caller). */
#define BUCKET_SHIFT 9

static uint32_t *slot_order(size_t n, size_t nslots, const uint64_t *homes)
{
        size_t nbuckets = (nslots >> BUCKET_SHIFT) + 1;
        uint32_t *count = vb_calloc(nbuckets + 1, sizeof(*count));
        uint32_t *order = vb_malloc((n + 1) * sizeof(*order));
        for (size_t i = 0; i < n; i++)
                count[(homes[i] >> BUCKET_SHIFT) + 1]++;
        for (size_t b = 1; b <= nbuckets; b++)
                count[b] += count[b - 1];
        for (size_t i = 0; i < n; i++)
                order[count[homes[i] >> BUCKET_SHIFT]++] = (uint32_t)i;
        free(count);
        return order;
}

/* Slots the strings first..t->n-1 (already in t->v) of hashes `hashes`;
 * -1 when one of them is there twice. */
static int strtab_fill(struct vb_strtab *t, size_t first, const uint64_t *hashes)
{
        size_t n = t->n - first, mask = t->nslots - 1;
        uint64_t *homes = vb_malloc((n + 1) * sizeof(*homes));
        for (size_t i = 0; i < n; i++)
                homes[i] = hashes[i] & mask;
        uint32_t *order = slot_order(n, t->nslots, homes);
        int rc = 0;
        for (size_t k = 0; k < n && rc == 0; k++) {
                size_t i = order[k], j = homes[i];
                uint64_t tag = slot_of(hashes[i], 0);
                for (uint64_t x; (x = t->slots[j]) != 0; j = (j + 1) & mask)
                        if ((x & 0xFFFFFFFF00000000ull) == tag &&
                            !strcmp(t->v[SLOT_ID(x)], t->v[first + i]))
                                rc = -1;
                t->slots[j] = slot_of(hashes[i], first + i);
        }
        free(order);
        free(homes);
        return rc;
}

/* Slots the blobs first..h->nblobs-1; -1 when one of them is there twice. */
static int blobs_fill(struct vb_history_data *h, size_t first)
{
        size_t n = h->nblobs - first, mask = h->nblob_slots - 1;
        uint64_t *homes = vb_malloc((n + 1) * sizeof(*homes));
        for (size_t i = 0; i < n; i++)
                homes[i] = oid_hash(h->blobs[first + i].oid, mask);
        uint32_t *order = slot_order(n, h->nblob_slots, homes);
        int rc = 0;
        for (size_t k = 0; k < n && rc == 0; k++) {
                size_t i = order[k], j = homes[i];
                const unsigned char *oid = h->blobs[first + i].oid;
                uint64_t tag = blob_slot_of(oid, 0) & 0xFFFFFFFF00000000ull;
                for (uint64_t x; (x = h->blob_slots[j]) != 0; j = (j + 1) & mask)
                        if ((x & 0xFFFFFFFF00000000ull) == tag &&
                            !memcmp(h->blobs[(uint32_t)x - 1].oid, oid, 20))
                                rc = -1;
                h->blob_slots[j] = blob_slot_of(oid, first + i);
        }
        free(order);
        free(homes);
        return rc;
}

/* ---- segments ---- */

enum { C_STR, C_BLOB, C_TAG, C_COMMIT, C_CHANGE, NCOUNTS };

struct seg_head {
        uint64_t base[NCOUNTS], n[NCOUNTS];
        uint64_t str_bytes, len; /* len: of the payload */
};

static uint64_t payload_len(const struct seg_head *s)
{
        return s->str_bytes + s->n[C_BLOB] * BLOB_SIZE + s->n[C_TAG] * 4 +
               s->n[C_COMMIT] * COMMIT_SIZE + s->n[C_CHANGE] * CHANGE_SIZE;
}

static void put_head(unsigned char *p, const struct seg_head *s)
{
        st32(p, SEG_MAGIC);
        st32(p + 4, 0);
        for (int k = 0; k < NCOUNTS; k++) {
                st64(p + 8 + 8 * k, s->base[k]);
                st64(p + 48 + 8 * k, s->n[k]);
        }
        st64(p + 88, s->str_bytes);
        st64(p + 96, s->len);
        st64(p + 104, checksum(p + SEG_HEAD, (size_t)s->len, checksum(p, 104, 0)));
}

static size_t nstrings(const struct vb_strtab *t)
{
        return t->n ? t->n - 1 : 0;
}

/* Encodes the records of `h` from the counts `s->base` on at `p`, which
 * holds SEG_HEAD + payload_len(s) bytes (s->n and s->str_bytes set). */
static void encode_segment(unsigned char *p, const struct vb_history_data *h,
                           const struct seg_head *s)
{
        unsigned char *q = p + SEG_HEAD;
        for (size_t i = (size_t)s->base[C_STR] + 1; i < h->str.n; i++) {
                size_t len = strlen(h->str.v[i]) + 1;
                memcpy(q, h->str.v[i], len);
                q += len;
        }
        for (size_t i = (size_t)s->base[C_BLOB]; i < h->nblobs; i++, q += BLOB_SIZE) {
                const struct vb_hblob *x = &h->blobs[i];
                memcpy(q, x->oid, 20);
                st32(q + 20, (uint32_t)x->days);
                st32(q + 24, (uint32_t)x->conversation | (uint32_t)x->errors << 8 |
                                 (uint32_t)x->parsed << 16);
                st32(q + 28, x->customer);
                st32(q + 32, x->tag_first);
                st32(q + 36, x->ntags);
        }
        for (size_t i = (size_t)s->base[C_TAG]; i < h->ntagpool; i++, q += 4)
                st32(q, h->tagpool[i]);
        for (size_t i = (size_t)s->base[C_COMMIT]; i < h->ncommits; i++, q += COMMIT_SIZE) {
                const struct vb_hcommit *c = &h->commits[i];
                memcpy(q, c->oid, 20);
                st64(q + 20, (uint64_t)c->time);
                st32(q + 28, (uint32_t)c->offset);
                st32(q + 32, c->subject);
                st32(q + 36, c->author);
                st32(q + 40, c->nparents);
                st32(q + 44, c->vocab_changed);
                memcpy(q + 48, c->vocab_oid, 20);
                st64(q + 68, c->change_first);
                st64(q + 76, c->nchanges);
        }
        for (size_t i = (size_t)s->base[C_CHANGE]; i < h->nchanges; i++, q += CHANGE_SIZE) {
                const struct vb_hchange *c = &h->changes[i];
                st32(q, c->old_path);
                st32(q + 4, c->new_path);
                st32(q + 8, c->old_blob);
                st32(q + 12, c->new_blob);
        }
        put_head(p, s);
}

/* Fills the counts of the segment holding everything of `h` past `s->base`. */
static void size_segment(struct seg_head *s, const struct vb_history_data *h)
{
        s->n[C_STR] = nstrings(&h->str) - s->base[C_STR];
        s->n[C_BLOB] = h->nblobs - s->base[C_BLOB];
        s->n[C_TAG] = h->ntagpool - s->base[C_TAG];
        s->n[C_COMMIT] = h->ncommits - s->base[C_COMMIT];
        s->n[C_CHANGE] = h->nchanges - s->base[C_CHANGE];
        s->str_bytes = 0;
        for (size_t i = (size_t)s->base[C_STR] + 1; i < h->str.n; i++)
                s->str_bytes += strlen(h->str.v[i]) + 1;
        s->len = payload_len(s);
}

/* Decodes one commit record, checking what it can alone. */
static int decode_commit(struct vb_hcommit *c, const unsigned char *q, size_t nstr)
{
        memcpy(c->oid, q, 20);
        c->time = (int64_t)ld64(q + 20);
        c->offset = (int32_t)ld32(q + 28);
        c->subject = ld32(q + 32);
        c->author = ld32(q + 36);
        c->nparents = ld32(q + 40);
        uint32_t vocab = ld32(q + 44);
        c->vocab_changed = (uint8_t)vocab;
        memcpy(c->vocab_oid, q + 48, 20);
        c->change_first = ld64(q + 68);
        c->nchanges = ld64(q + 76);
        return vocab <= 1 && c->subject < nstr && c->author < nstr;
}

static int change_ok(const struct vb_hchange *c, size_t nstr, size_t nblobs)
{
        return c->old_path < nstr && c->new_path < nstr && c->old_blob <= nblobs &&
               c->new_blob <= nblobs && (c->old_blob || c->new_blob) &&
               (!c->old_path) == (!c->old_blob) && (!c->new_path) == (!c->new_blob);
}

/* Checks the commits and changes of a segment without storing them: a
 * segment that truncates must not touch the commits before it is known
 * good. */
static int commits_ok(const struct vb_history_data *h, const struct seg_head *s,
                      const unsigned char *q)
{
        size_t nstr = h->str.n, nc = (size_t)s->n[C_COMMIT];
        uint64_t next = s->base[C_CHANGE], end = s->base[C_CHANGE] + s->n[C_CHANGE];
        for (size_t i = 0; i < nc; i++, q += COMMIT_SIZE) {
                struct vb_hcommit c;
                if (!decode_commit(&c, q, nstr) || c.change_first != next ||
                    c.nchanges > end - next)
                        return 0;
                next += c.nchanges;
        }
        if (next != end)
                return 0;
        for (size_t i = 0; i < (size_t)s->n[C_CHANGE]; i++, q += CHANGE_SIZE) {
                struct vb_hchange c = {ld32(q), ld32(q + 4), ld32(q + 8), ld32(q + 12)};
                if (!change_ok(&c, nstr, h->nblobs))
                        return 0;
        }
        return 1;
}

/* Adds the segment's records at `p` (its payload) to `h`, whose counts are
 * its bases.  Returns 0, or -1 when they do not fit (`h` may hold part of
 * them: the caller rolls back). */
static int decode_segment(struct vb_history_data *h, const struct seg_head *s, unsigned char *p)
{
        /* strings: exactly n[C_STR] of them, the block ends with the last NUL */
        size_t ns = (size_t)s->n[C_STR], sb = (size_t)s->str_bytes;
        if ((sb == 0) != (ns == 0) || (sb && p[sb - 1] != '\0') || ns > sb)
                return -1;
        strtab_init(&h->str);
        h->str.v = vb_grow_array(h->str.v, &h->str.cap, h->str.n + ns, sizeof(*h->str.v));
        if ((h->str.n + ns + 1) * 2 > h->str.nslots)
                strtab_rehash(&h->str, (h->str.n + ns + 1) * 2);
        char *sp = (char *)p, *send = (char *)p + sb;
        uint64_t *hashes = vb_malloc((ns + 1) * sizeof(*hashes));
        size_t first = h->str.n;
        for (size_t i = 0; i < ns && sp < send; i++) {
                size_t len = strlen(sp);
                hashes[i] = str_hash(sp, len);
                h->str.v[h->str.n++] = sp;
                sp += len + 1;
        }
        h->str.nborrowed = h->str.n - 1;
        int bad = h->str.n != first + ns || sp != send || strtab_fill(&h->str, first, hashes) < 0;
        free(hashes);
        if (bad)
                return -1;
        p += sb;

        size_t nstr = h->str.n, nb = (size_t)s->n[C_BLOB], nt = (size_t)s->n[C_TAG];
        size_t ntags_after = h->ntagpool + nt;
        h->blobs = vb_grow_array(h->blobs, &h->capblobs, h->nblobs + nb, sizeof(*h->blobs));
        if ((h->nblobs + nb + 1) * 2 > h->nblob_slots)
                blob_rehash(h, (h->nblobs + nb + 1) * 2);
        first = h->nblobs;
        for (size_t i = 0; i < nb; i++, p += BLOB_SIZE) {
                struct vb_hblob *x = &h->blobs[h->nblobs];
                memcpy(x->oid, p, 20);
                x->days = (int32_t)ld32(p + 20);
                uint32_t flags = ld32(p + 24);
                x->conversation = flags & 1;
                x->errors = (flags >> 8) & 1;
                x->parsed = (flags >> 16) & 1;
                x->customer = ld32(p + 28);
                x->tag_first = ld32(p + 32);
                x->ntags = ld32(p + 36);
                if (flags & ~0x10101u || x->customer >= nstr ||
                    (uint64_t)x->tag_first + x->ntags > ntags_after)
                        return -1;
                if (!x->parsed)
                        h->cache.had_unparsed = 1;
                h->nblobs++;
        }
        if (blobs_fill(h, first) < 0)
                return -1;
        h->tagpool =
            vb_grow_array(h->tagpool, &h->captagpool, ntags_after + 1, sizeof(*h->tagpool));
        for (size_t i = 0; i < nt; i++, p += 4) {
                uint32_t id = ld32(p);
                if (id == 0 || id >= nstr)
                        return -1;
                h->tagpool[h->ntagpool++] = id;
        }

        size_t nc = (size_t)s->n[C_COMMIT], nch = (size_t)s->n[C_CHANGE];
        if (s->base[C_COMMIT] < h->ncommits && !commits_ok(h, s, p))
                return -1;
        vb_hdata_truncate(h, (size_t)s->base[C_COMMIT]);
        h->commits =
            vb_grow_array(h->commits, &h->capcommits, h->ncommits + nc + 1, sizeof(*h->commits));
        h->changes =
            vb_grow_array(h->changes, &h->capchanges, h->nchanges + nch + 1, sizeof(*h->changes));
        uint64_t next = h->nchanges, end = h->nchanges + nch;
        for (size_t i = 0; i < nc; i++, p += COMMIT_SIZE) {
                struct vb_hcommit *c = &h->commits[h->ncommits];
                if (!decode_commit(c, p, nstr) || c->change_first != next ||
                    c->nchanges > end - next)
                        return -1;
                next += c->nchanges;
                h->ncommits++;
        }
        if (next != end)
                return -1;
        for (size_t i = 0; i < nch; i++, p += CHANGE_SIZE) {
                struct vb_hchange *c = &h->changes[h->nchanges];
                c->old_path = ld32(p);
                c->new_path = ld32(p + 4);
                c->old_blob = ld32(p + 8);
                c->new_blob = ld32(p + 12);
                if (!change_ok(c, nstr, h->nblobs))
                        return -1;
                h->nchanges++;
        }
        return 0;
}

/* Reads the head at `p` (`avail` bytes from there to the end of the file);
 * 0 when the whole segment is there and its checksum and bases fit `h`. */
static int read_head(struct seg_head *s, const unsigned char *p, uint64_t avail,
                     const struct vb_history_data *h)
{
        if (avail < SEG_HEAD || ld32(p) != SEG_MAGIC || ld32(p + 4) != 0)
                return -1;
        for (int k = 0; k < NCOUNTS; k++) {
                s->base[k] = ld64(p + 8 + 8 * k);
                s->n[k] = ld64(p + 48 + 8 * k);
                /* every record takes at least one byte: no overflow below */
                if (s->n[k] > avail)
                        return -1;
        }
        s->str_bytes = ld64(p + 88);
        s->len = ld64(p + 96);
        if (s->str_bytes > avail || s->len > avail - SEG_HEAD || s->len != payload_len(s))
                return -1;
        if (ld64(p + 104) != checksum(p + SEG_HEAD, (size_t)s->len, checksum(p, 104, 0)))
                return -1;
        if (s->base[C_STR] != nstrings(&h->str) || s->base[C_BLOB] != h->nblobs ||
            s->base[C_TAG] != h->ntagpool || s->base[C_COMMIT] > h->ncommits)
                return -1;
        size_t kc = (size_t)s->base[C_COMMIT];
        uint64_t changes = kc ? h->commits[kc - 1].change_first + h->commits[kc - 1].nchanges : 0;
        return s->base[C_CHANGE] == changes ? 0 : -1;
}

/* ---- the file ---- */

static size_t header_len(const char *key)
{
        return strlen(CACHE_MAGIC) + 4 + 8 + 16 + 4 + strlen(key);
}

static void put_header(unsigned char *p, const char *key)
{
        size_t m = strlen(CACHE_MAGIC), k = strlen(key);
        memcpy(p, CACHE_MAGIC, m);
        p += m;
        st32(p, CACHE_VERSION);
        st64(p + 4, LAYOUT_CHECK);
        st32(p + 12, SEG_HEAD);
        st32(p + 16, BLOB_SIZE);
        st32(p + 20, COMMIT_SIZE);
        st32(p + 24, CHANGE_SIZE);
        st32(p + 28, (uint32_t)k);
        memcpy(p + 32, key, k);
}

int vb_hcache_read(struct vb_history_data *h, const char *path, const char *key)
{
        unsigned char *b = NULL;
        struct stat st;
        size_t len = 0, hl = header_len(key);
        int rc = -1;

        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                goto done;
        flock(fd, LOCK_SH); /* no segment half appended; without locks, as good as it gets */
        if (fstat(fd, &st) < 0 || st.st_size < (off_t)hl)
                goto done;
        /* mapped, not copied: the strings stay in the page cache */
        b = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
        if (b == MAP_FAILED) {
                b = NULL;
                goto done;
        }
        len = (size_t)st.st_size;
        {
                unsigned char want[256];
                unsigned char *w = hl <= sizeof(want) ? want : vb_malloc(hl);
                put_header(w, key);
                int same = len >= hl && !memcmp(b, w, hl);
                if (w != want)
                        free(w);
                if (!same)
                        goto done;
        }
        struct vb_hcache_state *c = &h->cache;
        size_t pos = hl;
        while (pos < len) {
                struct seg_head s;
                size_t nstr = h->str.n, nborrowed = h->str.nborrowed, nblobs = h->nblobs,
                       ntags = h->ntagpool, ncommits = h->ncommits, nchanges = h->nchanges;
                int unparsed = c->had_unparsed;
                if (read_head(&s, b + pos, len - pos, h) < 0)
                        break;
                if (decode_segment(h, &s, b + pos + SEG_HEAD) < 0) {
                        /* roll back to the segment before */
                        h->str.n = nstr;
                        h->str.nborrowed = nborrowed;
                        strtab_rehash(&h->str, 0);
                        h->nblobs = nblobs;
                        blob_rehash(h, 0);
                        h->ntagpool = ntags;
                        h->ncommits = ncommits;
                        h->nchanges = nchanges;
                        c->had_unparsed = unparsed;
                        break;
                }
                if (!c->nsegments)
                        c->first_len = SEG_HEAD + s.len;
                c->nsegments++;
                pos += SEG_HEAD + (size_t)s.len;
        }
        if (!c->nsegments)
                goto done;
        c->valid = 1;
        c->damaged_tail = pos < len;
        c->file_len = len;
        c->valid_len = pos;
        c->dev = (uint64_t)st.st_dev;
        c->ino = (uint64_t)st.st_ino;
        c->nstr = nstrings(&h->str);
        c->nblobs = h->nblobs;
        c->ntagpool = h->ntagpool;
        c->ncommits = c->kept_commits = h->ncommits;
        h->str.block = b;
        h->str.block_len = len;
        b = NULL;
        rc = c->damaged_tail ? 1 : 0;
done:
        if (fd >= 0) {
                /* the mapping keeps the open file and so the lock: drop it */
                flock(fd, LOCK_UN);
                close(fd);
        }
        if (rc < 0) {
                if (b)
                        munmap(b, len);
                vb_hdata_release(h);
        }
        return rc;
}

static int pwrite_all(int fd, const unsigned char *p, size_t n, off_t at)
{
        while (n > 0) {
                ssize_t w = pwrite(fd, p, n, at);
                if (w <= 0)
                        return -1;
                p += w;
                n -= (size_t)w;
                at += w;
        }
        return 0;
}

/* Appends the segment `seg` (`n` bytes) after the valid prefix read.
 * Returns 1 when written, 0 when the file changed since it was read,
 * VB_ERR_IO on failure. */
static int append_segment(const struct vb_hcache_state *c, const char *path,
                          const unsigned char *seg, size_t n, struct vb_diags *d)
{
        struct stat st;
        int rc = VB_ERR_IO;
        int fd = open(path, O_RDWR | O_CLOEXEC);
        if (fd < 0) {
                rc = 0; /* removed meanwhile: the next run rebuilds it */
                goto done;
        }
        if (flock(fd, LOCK_EX) < 0 || fstat(fd, &st) < 0)
                goto fail;
        if ((uint64_t)st.st_dev != c->dev || (uint64_t)st.st_ino != c->ino ||
            (uint64_t)st.st_size != c->file_len) {
                rc = 0;
                goto done;
        }
        if (pwrite_all(fd, seg, n, (off_t)c->valid_len) < 0)
                goto fail;
        if (c->file_len > c->valid_len + n && ftruncate(fd, (off_t)(c->valid_len + n)) < 0)
                goto fail;
        {
                const char *want = getenv("VB_FSYNC");
                if (want && !strcmp(want, "1") && fsync(fd) < 0)
                        goto fail;
        }
        rc = 1;
        goto done;
fail:
        vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "write-failed",
                     "cannot append to the history cache (%s); check permissions and free space",
                     strerror(errno));
done:
        if (fd >= 0)
                close(fd); /* unlocks */
        return rc;
}

int vb_hcache_write(const struct vb_history_data *h, const char *path, const char *key,
                    struct vb_diags *d)
{
        const struct vb_hcache_state *c = &h->cache;
        struct seg_head s = {{0}, {0}, 0, 0};
        unsigned char *buf = NULL;
        int rc;

        if (c->valid && !c->had_unparsed) {
                size_t kc = c->kept_commits;
                int fresh = nstrings(&h->str) > c->nstr || h->nblobs > c->nblobs ||
                            h->ntagpool > c->ntagpool || h->ncommits > kc || kc < c->ncommits;
                if (!fresh && !c->damaged_tail)
                        return 0;
                s.base[C_STR] = c->nstr;
                s.base[C_BLOB] = c->nblobs;
                s.base[C_TAG] = c->ntagpool;
                s.base[C_COMMIT] = kc;
                s.base[C_CHANGE] =
                    kc ? h->commits[kc - 1].change_first + h->commits[kc - 1].nchanges : 0;
                size_segment(&s, h);
                uint64_t appended = c->valid_len - header_len(key) - c->first_len;
                if (c->nsegments < MAX_SEGMENTS && appended + SEG_HEAD + s.len <= c->first_len) {
                        /* nothing new, only a damaged end: cut it */
                        size_t n = fresh ? SEG_HEAD + (size_t)s.len : 0;
                        buf = vb_malloc(n + 1);
                        if (fresh)
                                encode_segment(buf, h, &s);
                        rc = append_segment(c, path, buf, n, d);
                        goto done;
                }
                memset(&s, 0, sizeof(s));
        }
        size_segment(&s, h);
        size_t hl = header_len(key), n = hl + SEG_HEAD + (size_t)s.len;
        buf = vb_malloc(n);
        put_header(buf, key);
        encode_segment(buf + hl, h, &s);
        rc = vb_write_file_atomic(path, (const char *)buf, n, d) == VB_OK ? 1 : VB_ERR_IO;
done:
        free(buf);
        return rc;
}
