/* The history's data (interned strings, blob records, commits and their tree
 * changes) and its cache file.
 *
 * The cache file is little-endian binary: a magic line, the format version,
 * the key (notes folders and themes key), then the strings, blobs, tag pool,
 * commits and changes, and an FNV-1a checksum of everything before it.  Any
 * mismatch, short read or bad index makes the whole file ignored. */
#include "hdata.h"

#include "verbatim/buf.h"
#include "verbatim/output.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_MAGIC   "verbatim history cache\n"
#define CACHE_VERSION 2u

static uint64_t fnv(const void *p, size_t n, uint64_t h)
{
        const unsigned char *s = p;
        for (size_t i = 0; i < n; i++) {
                h ^= s[i];
                h *= 1099511628211ull;
        }
        return h;
}

#define FNV_SEED 14695981039346656037ull

static void strtab_rehash(struct vb_strtab *t)
{
        size_t n = t->nslots ? t->nslots * 2 : 1024;
        free(t->slots);
        t->slots = vb_calloc(n, sizeof(*t->slots));
        t->nslots = n;
        for (size_t id = 1; id < t->n; id++) {
                size_t i = fnv(t->v[id], strlen(t->v[id]), FNV_SEED) & (n - 1);
                while (t->slots[i])
                        i = (i + 1) & (n - 1);
                t->slots[i] = (uint32_t)id;
        }
}

uint32_t vb_strtab_intern(struct vb_strtab *t, const char *s, size_t len)
{
        if (!t->n) {
                t->v = vb_grow_array(t->v, &t->cap, 1, sizeof(*t->v));
                t->v[0] = NULL;
                t->n = 1;
        }
        if ((t->n + 1) * 2 > t->nslots)
                strtab_rehash(t);
        size_t i = fnv(s, len, FNV_SEED) & (t->nslots - 1);
        while (t->slots[i]) {
                const char *o = t->v[t->slots[i]];
                if (!strncmp(o, s, len) && o[len] == '\0')
                        return t->slots[i];
                i = (i + 1) & (t->nslots - 1);
        }
        t->v = vb_grow_array(t->v, &t->cap, t->n + 1, sizeof(*t->v));
        t->v[t->n] = vb_strndup(s, len);
        t->slots[i] = (uint32_t)t->n;
        return (uint32_t)t->n++;
}

void vb_strtab_release(struct vb_strtab *t)
{
        for (size_t i = 1; i < t->n; i++)
                free(t->v[i]);
        free(t->v);
        free(t->slots);
        memset(t, 0, sizeof(*t));
}

static size_t oid_hash(const unsigned char oid[20], size_t mask)
{
        uint64_t h;
        memcpy(&h, oid, sizeof(h));
        return (size_t)h & mask;
}

static void blob_rehash(struct vb_history_data *h)
{
        size_t n = h->nblob_slots ? h->nblob_slots * 2 : 1024;
        free(h->blob_slots);
        h->blob_slots = vb_calloc(n, sizeof(*h->blob_slots));
        h->nblob_slots = n;
        for (size_t b = 0; b < h->nblobs; b++) {
                size_t i = oid_hash(h->blobs[b].oid, n - 1);
                while (h->blob_slots[i])
                        i = (i + 1) & (n - 1);
                h->blob_slots[i] = (uint32_t)(b + 1);
        }
}

size_t vb_hdata_blob(struct vb_history_data *h, const unsigned char oid[20])
{
        if ((h->nblobs + 1) * 2 > h->nblob_slots)
                blob_rehash(h);
        size_t mask = h->nblob_slots - 1, i = oid_hash(oid, mask);
        while (h->blob_slots[i]) {
                size_t b = h->blob_slots[i] - 1;
                if (!memcmp(h->blobs[b].oid, oid, 20))
                        return b;
                i = (i + 1) & mask;
        }
        h->blobs = vb_grow_array(h->blobs, &h->capblobs, h->nblobs + 1, sizeof(*h->blobs));
        struct vb_hblob *b = &h->blobs[h->nblobs];
        memset(b, 0, sizeof(*b));
        memcpy(b->oid, oid, 20);
        b->days = INT32_MIN;
        h->blob_slots[i] = (uint32_t)(h->nblobs + 1);
        return h->nblobs++;
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
        memset(h, 0, sizeof(*h));
}

/* ---- writing ---- */

static void put_u32(struct vb_buf *b, uint32_t v)
{
        unsigned char c[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                              (unsigned char)(v >> 24)};
        vb_buf_add(b, c, 4);
}

static void put_u64(struct vb_buf *b, uint64_t v)
{
        put_u32(b, (uint32_t)v);
        put_u32(b, (uint32_t)(v >> 32));
}

static void put_str(struct vb_buf *b, const char *s)
{
        size_t n = strlen(s);
        put_u32(b, (uint32_t)n);
        vb_buf_add(b, s, n);
}

int vb_hcache_write(const struct vb_history_data *h, const char *path, const char *key,
                    struct vb_diags *d)
{
        struct vb_buf b = VB_BUF_INIT;
        vb_buf_adds(&b, CACHE_MAGIC);
        put_u32(&b, CACHE_VERSION);
        put_str(&b, key);
        put_u32(&b, (uint32_t)(h->str.n ? h->str.n - 1 : 0));
        for (size_t i = 1; i < h->str.n; i++)
                put_str(&b, h->str.v[i]);
        put_u32(&b, (uint32_t)h->nblobs);
        for (size_t i = 0; i < h->nblobs; i++) {
                const struct vb_hblob *x = &h->blobs[i];
                vb_buf_add(&b, x->oid, 20);
                put_u32(&b, (uint32_t)x->days);
                put_u32(&b, (uint32_t)x->conversation | (uint32_t)x->errors << 8 |
                                (uint32_t)x->parsed << 16);
                put_u32(&b, x->customer);
                put_u32(&b, x->tag_first);
                put_u32(&b, x->ntags);
        }
        put_u32(&b, (uint32_t)h->ntagpool);
        for (size_t i = 0; i < h->ntagpool; i++)
                put_u32(&b, h->tagpool[i]);
        put_u32(&b, (uint32_t)h->ncommits);
        for (size_t i = 0; i < h->ncommits; i++) {
                const struct vb_hcommit *c = &h->commits[i];
                vb_buf_add(&b, c->oid, 20);
                put_u64(&b, (uint64_t)c->time);
                put_u32(&b, (uint32_t)c->offset);
                put_u32(&b, c->subject);
                put_u32(&b, c->author);
                put_u32(&b, c->nparents);
                put_u32(&b, c->vocab_changed);
                vb_buf_add(&b, c->vocab_oid, 20);
                put_u64(&b, c->change_first);
                put_u64(&b, c->nchanges);
        }
        put_u64(&b, (uint64_t)h->nchanges);
        for (size_t i = 0; i < h->nchanges; i++) {
                put_u32(&b, h->changes[i].old_path);
                put_u32(&b, h->changes[i].new_path);
                put_u32(&b, h->changes[i].old_blob);
                put_u32(&b, h->changes[i].new_blob);
        }
        put_u64(&b, fnv(b.ptr, b.len, FNV_SEED));
        int rc = vb_write_file_atomic(path, b.ptr, b.len, d);
        vb_buf_release(&b);
        return rc;
}

/* ---- reading ---- */

struct reader {
        const unsigned char *p, *end;
        int bad;
};

static uint32_t get_u32(struct reader *r)
{
        if (r->end - r->p < 4) {
                r->bad = 1;
                return 0;
        }
        uint32_t v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
                     (uint32_t)r->p[3] << 24;
        r->p += 4;
        return v;
}

static uint64_t get_u64(struct reader *r)
{
        uint64_t lo = get_u32(r);
        return lo | (uint64_t)get_u32(r) << 32;
}

static const unsigned char *get_bytes(struct reader *r, size_t n)
{
        if ((size_t)(r->end - r->p) < n) {
                r->bad = 1;
                return NULL;
        }
        const unsigned char *p = r->p;
        r->p += n;
        return p;
}

static int read_all(const char *path, struct vb_buf *out)
{
        FILE *f = fopen(path, "rb");
        char chunk[65536];
        size_t n;
        if (!f)
                return -1;
        while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
                vb_buf_add(out, chunk, n);
        int err = ferror(f);
        fclose(f);
        return err ? -1 : 0;
}

int vb_hcache_read(struct vb_history_data *h, const char *path, const char *key)
{
        struct vb_buf b = VB_BUF_INIT;
        struct reader r;
        int rc = -1;
        size_t magic = strlen(CACHE_MAGIC), n;

        if (read_all(path, &b) < 0 || b.len < magic + 8 || memcmp(b.ptr, CACHE_MAGIC, magic))
                goto done;
        r.p = (const unsigned char *)b.ptr + b.len - 8;
        r.end = r.p + 8;
        r.bad = 0;
        if (get_u64(&r) != fnv(b.ptr, b.len - 8, FNV_SEED))
                goto done;
        r.p = (const unsigned char *)b.ptr + magic;
        r.end = (const unsigned char *)b.ptr + b.len - 8;
        if (get_u32(&r) != CACHE_VERSION)
                goto done;
        n = get_u32(&r);
        const unsigned char *k = get_bytes(&r, n);
        if (r.bad || n != strlen(key) || memcmp(k, key, n))
                goto done;

        n = get_u32(&r);
        for (size_t i = 0; i < n && !r.bad; i++) {
                size_t len = get_u32(&r);
                const unsigned char *s = get_bytes(&r, len);
                if (!s || memchr(s, 0, len) ||
                    vb_strtab_intern(&h->str, (const char *)s, len) != i + 1)
                        r.bad = 1;
        }
        size_t nstr = h->str.n ? h->str.n : 1;
        n = get_u32(&r);
        for (size_t i = 0; i < n && !r.bad; i++) {
                const unsigned char *oid = get_bytes(&r, 20);
                if (!oid || vb_hdata_blob(h, oid) != i) {
                        r.bad = 1;
                        break;
                }
                struct vb_hblob *x = &h->blobs[i];
                x->days = (int32_t)get_u32(&r);
                uint32_t flags = get_u32(&r);
                x->conversation = flags & 1;
                x->errors = (flags >> 8) & 1;
                x->parsed = (flags >> 16) & 1;
                x->customer = get_u32(&r);
                x->tag_first = get_u32(&r);
                x->ntags = get_u32(&r);
                if (x->customer >= nstr)
                        r.bad = 1;
        }
        n = get_u32(&r);
        if (!r.bad && n > (size_t)(r.end - r.p) / 4)
                r.bad = 1;
        if (!r.bad) {
                h->tagpool = vb_grow_array(h->tagpool, &h->captagpool, n + 1, sizeof(*h->tagpool));
                h->ntagpool = n;
        }
        for (size_t i = 0; i < n && !r.bad; i++) {
                h->tagpool[i] = get_u32(&r);
                if (h->tagpool[i] == 0 || h->tagpool[i] >= nstr)
                        r.bad = 1;
        }
        for (size_t i = 0; i < h->nblobs && !r.bad; i++)
                if ((uint64_t)h->blobs[i].tag_first + h->blobs[i].ntags > h->ntagpool)
                        r.bad = 1;
        n = get_u32(&r);
        if (!r.bad && n > (size_t)(r.end - r.p) / 20)
                r.bad = 1;
        if (!r.bad)
                h->commits = vb_grow_array(h->commits, &h->capcommits, n + 1, sizeof(*h->commits));
        for (size_t i = 0; i < n && !r.bad; i++) {
                struct vb_hcommit *c = &h->commits[i];
                const unsigned char *oid = get_bytes(&r, 20);
                if (!oid)
                        break;
                memcpy(c->oid, oid, 20);
                c->time = (int64_t)get_u64(&r);
                c->offset = (int32_t)get_u32(&r);
                c->subject = get_u32(&r);
                c->author = get_u32(&r);
                c->nparents = get_u32(&r);
                c->vocab_changed = (uint8_t)get_u32(&r);
                oid = get_bytes(&r, 20);
                if (oid)
                        memcpy(c->vocab_oid, oid, 20);
                c->change_first = get_u64(&r);
                c->nchanges = get_u64(&r);
                if (c->subject >= nstr || c->author >= nstr)
                        r.bad = 1;
                h->ncommits = i + 1;
        }
        uint64_t nch = get_u64(&r);
        if (!r.bad && nch > (uint64_t)(r.end - r.p) / 16)
                r.bad = 1;
        if (!r.bad) {
                h->changes =
                    vb_grow_array(h->changes, &h->capchanges, (size_t)nch + 1, sizeof(*h->changes));
                h->nchanges = (size_t)nch;
        }
        for (size_t i = 0; i < h->nchanges && !r.bad; i++) {
                struct vb_hchange *c = &h->changes[i];
                c->old_path = get_u32(&r);
                c->new_path = get_u32(&r);
                c->old_blob = get_u32(&r);
                c->new_blob = get_u32(&r);
                if (c->old_path >= nstr || c->new_path >= nstr || c->old_blob > h->nblobs ||
                    c->new_blob > h->nblobs || (!c->old_blob && !c->new_blob) ||
                    (!c->old_path) != (!c->old_blob) || (!c->new_path) != (!c->new_blob))
                        r.bad = 1;
        }
        uint64_t next = 0;
        for (size_t i = 0; i < h->ncommits && !r.bad; i++) {
                if (h->commits[i].change_first != next ||
                    h->commits[i].nchanges > h->nchanges - next)
                        r.bad = 1;
                next += h->commits[i].nchanges;
        }
        if (r.bad || r.p != r.end || next != h->nchanges)
                goto done;
        rc = 0;
done:
        if (rc < 0)
                vb_hdata_release(h);
        vb_buf_release(&b);
        return rc;
}
