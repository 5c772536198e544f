/* Reading objects straight from the repository's pack files, with a cache of
 * delta bases: a history walk reads each version of a large tree once, and
 * each is a delta on the next.  libgit2 caches no delta base over 1 MiB (a
 * notes folder of 20,000 entries is a 2 MiB tree), so it would rebuild the
 * whole chain (up to 50 deltas) for every version.  Anything this reader
 * cannot serve (loose objects, another object store, an unknown index
 * format, damaged data) is left to libgit2 by the caller. */
#include "history_data.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define CACHE_BYTES   ((size_t)32 << 20) /* a third of git's core.deltaBaseCacheLimit */
#define CACHE_ENTRIES 1024
#define CACHE_SLOTS   2048 /* a power of two */
#define MAX_DEPTH     10000

struct pack {
        const unsigned char *idx, *data;
        size_t idxlen, datalen;
        uint32_t n;
        const unsigned char *oids, *off32, *off64;
        size_t n64;
};

/* A cached object: in a hash chain by (pack, offset) and in the list of
 * use, newest first (links are indexes + 1, 0: none). */
struct centry {
        const struct pack *p;
        uint64_t off;
        struct vb_hobj *o;
        uint32_t hnext, newer, older;
};

struct vb_hpack {
        struct pack *packs;
        size_t npacks, cap;
        int shared;              /* the packs are another reader's (vb_hpack_share) */
        struct centry *cache;    /* CACHE_ENTRIES, allocated when first used */
        uint32_t *slots;         /* CACHE_SLOTS chains */
        uint32_t newest, oldest; /* the list of use */
        uint32_t nfree, *free;   /* unused entries */
        size_t ncache, bytes, limit;
        int bases_only; /* cache only the bases of deltas */
        z_stream z;     /* reset for each object: no window allocated per object */
        int zready;
};

static uint32_t be32(const unsigned char *p)
{
        return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static const unsigned char *map_file(const char *path, size_t *len)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        struct stat st;
        void *m = MAP_FAILED;
        if (fd < 0)
                return NULL;
        if (fstat(fd, &st) == 0 && st.st_size > 0)
                m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        close(fd);
        if (m == MAP_FAILED)
                return NULL;
        *len = (size_t)st.st_size;
        return m;
}

/* Maps one pack and its index (version 2); 0, or -1 when unusable. */
static int pack_open(struct pack *p, const char *idx_path, const char *pack_path)
{
        memset(p, 0, sizeof(*p));
        p->idx = map_file(idx_path, &p->idxlen);
        p->data = map_file(pack_path, &p->datalen);
        if (!p->idx || !p->data || p->idxlen < 8 + 1024 || memcmp(p->idx, "\377tOc", 4) ||
            be32(p->idx + 4) != 2 || p->datalen < 12 + 20 || memcmp(p->data, "PACK", 4))
                return -1;
        p->n = be32(p->idx + 8 + 255 * 4);
        size_t need = 8 + 1024 + (size_t)p->n * (20 + 4 + 4) + 40;
        if (p->idxlen < need)
                return -1;
        p->oids = p->idx + 8 + 1024;
        p->off32 = p->oids + (size_t)p->n * 24;
        p->off64 = p->off32 + (size_t)p->n * 4;
        p->n64 = (p->idxlen - need) / 8;
        return 0;
}

static void pack_close(struct pack *p)
{
        if (p->idx)
                munmap((void *)p->idx, p->idxlen);
        if (p->data)
                munmap((void *)p->data, p->datalen);
}

static int name_cmp(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

int vb_hpack_open(struct vb_hpack **out, const char *objects_dir)
{
        struct vb_hpack *hp = vb_calloc(1, sizeof(*hp));
        struct vb_buf dir = VB_BUF_INIT, idx = VB_BUF_INIT, pk = VB_BUF_INIT;
        char **names = NULL;
        size_t nnames = 0, capnames = 0;
        vb_buf_adds(&dir, objects_dir);
        if (dir.len && dir.ptr[dir.len - 1] != '/')
                vb_buf_addc(&dir, '/');
        vb_buf_adds(&dir, "pack/");
        DIR *dh = opendir(dir.ptr);
        for (struct dirent *e; dh && (e = readdir(dh));) {
                size_t n = strlen(e->d_name);
                if (n > 4 && !strcmp(e->d_name + n - 4, ".idx")) {
                        names = vb_grow_array(names, &capnames, nnames + 1, sizeof(*names));
                        names[nnames++] = vb_strdup(e->d_name);
                }
        }
        if (dh)
                closedir(dh);
        if (nnames)
                qsort(names, nnames, sizeof(*names), name_cmp);
        for (size_t i = 0; i < nnames; i++) {
                size_t n = strlen(names[i]);
                vb_buf_truncate(&idx, 0);
                vb_buf_addf(&idx, "%s%s", dir.ptr, names[i]);
                vb_buf_truncate(&pk, 0);
                vb_buf_addf(&pk, "%s%.*s.pack", dir.ptr, (int)(n - 4), names[i]);
                hp->packs = vb_grow_array(hp->packs, &hp->cap, hp->npacks + 1, sizeof(*hp->packs));
                if (pack_open(&hp->packs[hp->npacks], idx.ptr, pk.ptr) == 0)
                        hp->npacks++;
                else
                        pack_close(&hp->packs[hp->npacks]);
                free(names[i]);
        }
        free(names);
        vb_buf_release(&dir);
        vb_buf_release(&idx);
        vb_buf_release(&pk);
        hp->limit = CACHE_BYTES;
        *out = hp;
        return 0;
}

struct vb_hpack *vb_hpack_share(const struct vb_hpack *base, size_t cache_bytes)
{
        struct vb_hpack *hp = vb_calloc(1, sizeof(*hp));
        hp->packs = base->packs;
        hp->npacks = base->npacks;
        hp->shared = 1;
        hp->limit = cache_bytes;
        hp->bases_only = 1;
        return hp;
}

void vb_hobj_release(struct vb_hobj *o)
{
        if (o && --o->refs == 0) {
                free(o->data);
                free(o);
        }
}

void vb_hpack_free(struct vb_hpack *hp)
{
        if (!hp)
                return;
        for (uint32_t e = hp->newest; e; e = hp->cache[e - 1].older)
                vb_hobj_release(hp->cache[e - 1].o);
        free(hp->cache);
        free(hp->slots);
        free(hp->free);
        if (hp->zready)
                inflateEnd(&hp->z);
        for (size_t i = 0; !hp->shared && i < hp->npacks; i++)
                pack_close(&hp->packs[i]);
        if (!hp->shared)
                free(hp->packs);
        free(hp);
}

/* The offset of `oid` in `p`, or 0 when absent. */
static uint64_t pack_find(const struct pack *p, const unsigned char oid[20])
{
        const unsigned char *fan = p->idx + 8;
        uint32_t lo = oid[0] ? be32(fan + (oid[0] - 1) * 4) : 0, hi = be32(fan + oid[0] * 4);
        if (hi > p->n || lo > hi)
                return 0;
        while (lo < hi) {
                uint32_t mid = lo + (hi - lo) / 2;
                int c = memcmp(p->oids + (size_t)mid * 20, oid, 20);
                if (c == 0) {
                        uint32_t v = be32(p->off32 + (size_t)mid * 4);
                        if (!(v & 0x80000000u))
                                return v;
                        v &= 0x7fffffffu;
                        if (v >= p->n64)
                                return 0;
                        return (uint64_t)be32(p->off64 + (size_t)v * 8) << 32 |
                               be32(p->off64 + (size_t)v * 8 + 4);
                }
                if (c < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return 0;
}

static size_t slot_of(const struct pack *p, uint64_t off)
{
        uint64_t h = (off ^ (uint64_t)(uintptr_t)p) * 0x9E3779B97F4A7C15ull;
        return (size_t)(h >> 40) & (CACHE_SLOTS - 1);
}

static void lru_unlink(struct vb_hpack *hp, uint32_t e)
{
        struct centry *c = &hp->cache[e - 1];
        if (c->newer)
                hp->cache[c->newer - 1].older = c->older;
        else
                hp->newest = c->older;
        if (c->older)
                hp->cache[c->older - 1].newer = c->newer;
        else
                hp->oldest = c->newer;
        c->newer = c->older = 0;
}

static void lru_push(struct vb_hpack *hp, uint32_t e)
{
        struct centry *c = &hp->cache[e - 1];
        c->older = hp->newest;
        c->newer = 0;
        if (hp->newest)
                hp->cache[hp->newest - 1].newer = e;
        hp->newest = e;
        if (!hp->oldest)
                hp->oldest = e;
}

static struct vb_hobj *cache_get(struct vb_hpack *hp, const struct pack *p, uint64_t off)
{
        if (!hp->cache)
                return NULL;
        for (uint32_t e = hp->slots[slot_of(p, off)]; e; e = hp->cache[e - 1].hnext) {
                struct centry *c = &hp->cache[e - 1];
                if (c->p == p && c->off == off) {
                        if (hp->newest != e) {
                                lru_unlink(hp, e);
                                lru_push(hp, e);
                        }
                        c->o->refs++;
                        return c->o;
                }
        }
        return NULL;
}

/* Drops the least recently used object. */
static void cache_evict(struct vb_hpack *hp)
{
        uint32_t e = hp->oldest;
        struct centry *c = &hp->cache[e - 1];
        uint32_t *link = &hp->slots[slot_of(c->p, c->off)];
        while (*link != e)
                link = &hp->cache[*link - 1].hnext;
        *link = c->hnext;
        lru_unlink(hp, e);
        hp->bytes -= c->o->len;
        vb_hobj_release(c->o);
        c->o = NULL;
        hp->free[hp->nfree++] = e;
        hp->ncache--;
}

static void cache_put(struct vb_hpack *hp, const struct pack *p, uint64_t off, struct vb_hobj *o)
{
        if (o->len > hp->limit / 4)
                return;
        if (!hp->cache) {
                hp->cache = vb_calloc(CACHE_ENTRIES, sizeof(*hp->cache));
                hp->slots = vb_calloc(CACHE_SLOTS, sizeof(*hp->slots));
                hp->free = vb_calloc(CACHE_ENTRIES, sizeof(*hp->free));
                for (uint32_t i = 0; i < CACHE_ENTRIES; i++)
                        hp->free[i] = CACHE_ENTRIES - i;
                hp->nfree = CACHE_ENTRIES;
        }
        while (hp->ncache && (!hp->nfree || hp->bytes + o->len > hp->limit))
                cache_evict(hp);
        uint32_t e = hp->free[--hp->nfree];
        size_t slot = slot_of(p, off);
        struct centry *c = &hp->cache[e - 1];
        o->refs++;
        c->p = p;
        c->off = off;
        c->o = o;
        c->hnext = hp->slots[slot];
        hp->slots[slot] = e;
        lru_push(hp, e);
        hp->bytes += o->len;
        hp->ncache++;
}

static int inflate_to(struct vb_hpack *hp, const struct pack *p, size_t pos, unsigned char *out,
                      size_t len)
{
        z_stream *z = &hp->z;
        if (!hp->zready) {
                memset(z, 0, sizeof(*z));
                if (inflateInit(z) != Z_OK)
                        return -1;
                hp->zready = 1;
        } else if (inflateReset(z) != Z_OK)
                return -1;
        z->next_in = (unsigned char *)p->data + pos;
        z->avail_in =
            (uInt)(p->datalen - 20 - pos > UINT32_MAX ? UINT32_MAX : p->datalen - 20 - pos);
        unsigned char dummy = 0;
        z->next_out = len ? out : &dummy;
        z->avail_out = len ? (uInt)len : 1;
        int zr = inflate(z, Z_FINISH);
        return zr == Z_STREAM_END && z->total_out == len ? 0 : -1;
}

static int varint(const unsigned char **d, const unsigned char *end, size_t *v)
{
        size_t r = 0;
        unsigned shift = 0;
        unsigned char c;
        do {
                if (*d >= end || shift > 56)
                        return -1;
                c = *(*d)++;
                r |= (size_t)(c & 0x7f) << shift;
                shift += 7;
        } while (c & 0x80);
        *v = r;
        return 0;
}

static struct vb_hobj *apply_delta(const struct vb_hobj *base, const unsigned char *d, size_t n)
{
        const unsigned char *end = d + n;
        size_t src, dst, at = 0;
        if (varint(&d, end, &src) < 0 || varint(&d, end, &dst) < 0 || src != base->len)
                return NULL;
        struct vb_hobj *o = vb_calloc(1, sizeof(*o));
        o->refs = 1;
        o->type = base->type;
        o->len = dst;
        o->data = vb_malloc(dst + 1);
        while (d < end) {
                unsigned char c = *d++;
                if (c & 0x80) {
                        size_t off = 0, len = 0;
                        for (int b = 0; b < 4; b++)
                                if (c & (1u << b)) {
                                        if (d >= end)
                                                goto bad;
                                        off |= (size_t)*d++ << (8 * b);
                                }
                        for (int b = 0; b < 3; b++)
                                if (c & (0x10u << b)) {
                                        if (d >= end)
                                                goto bad;
                                        len |= (size_t)*d++ << (8 * b);
                                }
                        if (!len)
                                len = 0x10000;
                        if (off > base->len || len > base->len - off || len > dst - at)
                                goto bad;
                        memcpy(o->data + at, base->data + off, len);
                        at += len;
                } else if (c) {
                        if (c > (size_t)(end - d) || c > dst - at)
                                goto bad;
                        memcpy(o->data + at, d, c);
                        d += c;
                        at += c;
                } else
                        goto bad;
        }
        if (at != dst)
                goto bad;
        o->data[dst] = 0;
        return o;
bad:
        vb_hobj_release(o);
        return NULL;
}

/* The object at `off` of `p` (a reference the caller releases), or NULL. */
static struct vb_hobj *read_at(struct vb_hpack *hp, const struct pack *p, uint64_t off, int depth)
{
        struct vb_hobj *o = cache_get(hp, p, off), *base = NULL;
        if (o || depth > MAX_DEPTH || off < 12 || off >= p->datalen - 20)
                return o;
        const unsigned char *d = p->data + off, *end = p->data + p->datalen - 20;
        unsigned char c = *d++;
        int type = (c >> 4) & 7;
        size_t size = c & 15;
        unsigned shift = 4;
        while (c & 0x80) {
                if (d >= end || shift > 56)
                        return NULL;
                c = *d++;
                size |= (size_t)(c & 0x7f) << shift;
                shift += 7;
        }
        if (type >= 1 && type <= 4) {
                o = vb_calloc(1, sizeof(*o));
                o->refs = 1;
                o->type = type;
                o->len = size;
                o->data = vb_malloc(size + 1);
                o->data[size] = 0;
                if (inflate_to(hp, p, (size_t)(d - p->data), o->data, size) < 0) {
                        vb_hobj_release(o);
                        return NULL;
                }
        } else if (type == 6 || type == 7) {
                uint64_t boff;
                if (type == 6) {
                        if (d >= end)
                                return NULL;
                        c = *d++;
                        uint64_t rel = c & 127;
                        while (c & 128) {
                                if (d >= end || rel >> 56)
                                        return NULL;
                                c = *d++;
                                rel = ((rel + 1) << 7) | (c & 127);
                        }
                        if (rel == 0 || rel > off)
                                return NULL;
                        boff = off - rel;
                } else {
                        if (end - d < 20)
                                return NULL;
                        boff = pack_find(p, d);
                        d += 20;
                        if (!boff)
                                return NULL;
                }
                base = read_at(hp, p, boff, depth + 1);
                if (!base)
                        return NULL;
                unsigned char *delta = vb_malloc(size + 1);
                if (inflate_to(hp, p, (size_t)(d - p->data), delta, size) == 0)
                        o = apply_delta(base, delta, size);
                free(delta);
                vb_hobj_release(base);
                if (!o)
                        return NULL;
        } else
                return NULL;
        if (depth > 0 || !hp->bases_only)
                cache_put(hp, p, off, o);
        return o;
}

struct vb_hobj *vb_hpack_read(struct vb_hpack *hp, const unsigned char oid[20])
{
        for (size_t i = 0; i < hp->npacks; i++) {
                uint64_t off = pack_find(&hp->packs[i], oid);
                if (off)
                        return read_at(hp, &hp->packs[i], off, 0);
        }
        return NULL;
}
