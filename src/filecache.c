/* The file cache: files' content ids keyed by their metadata (rules and
 * format in include/verbatim/filecache.h). */
#include "verbatim/filecache.h"
#include "verbatim/buf.h"
#include "verbatim/outdir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "verbatim-file-cache 1\n"

static int same_stat(const struct vb_file_stat *a, const struct vb_file_stat *b)
{
        return a->size == b->size && a->mtime_ns == b->mtime_ns && a->ctime_ns == b->ctime_ns &&
               a->ino == b->ino && a->dev == b->dev;
}

static uint64_t fnv(const char *s, size_t n)
{
        uint64_t h = 0xcbf29ce484222325u;
        for (size_t i = 0; i < n; i++) {
                h ^= (unsigned char)s[i];
                h *= 0x100000001b3u;
        }
        return h;
}

/* ---- reading: every field checked ---- */

struct reader {
        const char *p, *end;
};

static int num(struct reader *r, uint64_t *v, char after)
{
        uint64_t x = 0;
        const char *start = r->p;
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
                if (x > (UINT64_MAX - 9) / 10)
                        return -1;
                x = x * 10 + (uint64_t)(*r->p++ - '0');
        }
        if (r->p == start || r->p - start > 20 || r->p >= r->end || *r->p != after)
                return -1;
        r->p++;
        *v = x;
        return 0;
}

static int word(struct reader *r, const char *w)
{
        size_t n = strlen(w);
        if ((size_t)(r->end - r->p) < n || memcmp(r->p, w, n))
                return -1;
        r->p += n;
        return 0;
}

static int stat_fields(struct reader *r, struct vb_file_stat *st, char last)
{
        return num(r, &st->size, ' ') || num(r, &st->mtime_ns, ' ') || num(r, &st->ctime_ns, ' ') ||
               num(r, &st->ino, ' ') || num(r, &st->dev, last);
}

static int hexval(char c)
{
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int oid_field(struct reader *r, unsigned char oid[20])
{
        if (r->end - r->p < 41 || r->p[40] != ' ')
                return -1;
        for (int i = 0; i < 20; i++) {
                int hi = hexval(r->p[2 * i]), lo = hexval(r->p[2 * i + 1]);
                if (hi < 0 || lo < 0)
                        return -1;
                oid[i] = (unsigned char)(hi << 4 | lo);
        }
        r->p += 41;
        return 0;
}

/* The entries of buf[0..len) into c; 0, or -1 when damaged. */
static int parse(struct vb_filecache *c, const char *buf, size_t len, struct vb_file_stat *owner)
{
        struct reader r = {buf, buf + len};
        const char *sum;
        uint64_t want = 0, n;
        if (word(&r, MAGIC) || word(&r, "owner ") || stat_fields(&r, owner, '\n'))
                return -1;
        while (!word(&r, "file ")) {
                struct vb_filecache_entry e;
                memset(&e, 0, sizeof e);
                if (stat_fields(&r, &e.st, ' ') || oid_field(&r, e.oid) || num(&r, &n, ' ') ||
                    n == 0 || n > (uint64_t)(r.end - r.p) || n + 1 > (uint64_t)(r.end - r.p) ||
                    r.p[n] != '\n' || memchr(r.p, '\0', (size_t)n))
                        return -1;
                e.path = vb_strndup(r.p, (size_t)n);
                r.p += n + 1;
                if (c->n && strcmp(c->v[c->n - 1].path, e.path) >= 0) {
                        free(e.path);
                        return -1; /* not sorted, or twice */
                }
                c->v = vb_grow_array(c->v, &c->cap, c->n + 1, sizeof *c->v);
                c->v[c->n++] = e;
        }
        sum = r.p;
        if (word(&r, "sum ") || r.end - r.p != 17 || r.p[16] != '\n')
                return -1;
        for (int i = 0; i < 16; i++) {
                int v = hexval(r.p[i]);
                if (v < 0)
                        return -1;
                want = want << 4 | (uint64_t)v;
        }
        return fnv(buf, (size_t)(sum - buf)) == want ? 0 : -1;
}

int vb_filecache_load(struct vb_filecache *c, const char *path, const char *owner,
                      struct vb_diags *d)
{
        struct vb_file_stat was, now;
        struct stat st;
        void *map = NULL;
        int fd, rc = VB_OK;
        memset(c, 0, sizeof *c);
        fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
                return errno == ENOENT ? VB_ERR_NOTFOUND : VB_ERR_IO;
        if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
            (map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED) {
                map = NULL;
                rc = VB_ERR;
        }
        close(fd);
        if (rc == VB_OK && parse(c, map, (size_t)st.st_size, &was) != 0)
                rc = VB_ERR;
        if (map)
                munmap(map, (size_t)st.st_size);
        if (rc != VB_OK) {
                vb_diags_add(d, path, 0, 0, VB_SEV_NOTE, "damaged-cache",
                             "the file cache is damaged; every note is read");
        } else if (vb_file_stat_path(&now, owner) != VB_OK || !same_stat(&was, &now)) {
                vb_diags_add(d, path, 0, 0, VB_SEV_NOTE, "foreign-cache",
                             "the file cache is not that of the index file; every note is read");
                rc = VB_ERR_EXISTS;
        }
        if (rc != VB_OK)
                vb_filecache_release(c);
        return rc;
}

const unsigned char *vb_filecache_find(const struct vb_filecache *c, const char *path,
                                       const struct vb_file_stat *st)
{
        size_t lo = 0, hi = c->n;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                int cmp = strcmp(c->v[mid].path, path);
                if (!cmp)
                        return same_stat(&c->v[mid].st, st) ? c->v[mid].oid : NULL;
                if (cmp < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return NULL;
}

void vb_filecache_add(struct vb_filecache *c, const char *path, const struct vb_file_stat *st,
                      const unsigned char oid[20])
{
        c->v = vb_grow_array(c->v, &c->cap, c->n + 1, sizeof *c->v);
        c->v[c->n].path = vb_strdup(path);
        c->v[c->n].st = *st;
        memcpy(c->v[c->n].oid, oid, 20);
        c->n++;
}

void vb_filecache_take(struct vb_filecache *c, struct vb_filecache_entry *e)
{
        c->v = vb_grow_array(c->v, &c->cap, c->n + 1, sizeof *c->v);
        c->v[c->n++] = *e;
        e->path = NULL;
}

static int cmp_entry(const void *a, const void *b)
{
        return strcmp(((const struct vb_filecache_entry *)a)->path,
                      ((const struct vb_filecache_entry *)b)->path);
}

void vb_filecache_sort(struct vb_filecache *c)
{
        if (c->n > 1)
                qsort(c->v, c->n, sizeof *c->v, cmp_entry);
}

/* Appends the decimal digits of v (no printf: one line per note). */
static void put_u64(struct vb_buf *b, uint64_t v)
{
        char d[20];
        size_t n = 0;
        do
                d[n++] = (char)('0' + v % 10);
        while ((v /= 10) != 0);
        while (n)
                vb_buf_addc(b, d[--n]);
}

static void put_stat(struct vb_buf *b, const struct vb_file_stat *st)
{
        const uint64_t v[5] = {st->size, st->mtime_ns, st->ctime_ns, st->ino, st->dev};
        for (int i = 0; i < 5; i++) {
                if (i)
                        vb_buf_addc(b, ' ');
                put_u64(b, v[i]);
        }
}

int vb_filecache_write(const struct vb_filecache *c, const char *path, const char *owner,
                       struct vb_diags *d)
{
        static const char hex[] = "0123456789abcdef";
        struct vb_buf b = VB_BUF_INIT;
        struct vb_file_stat st;
        int rc;
        if (vb_file_stat_path(&st, owner) != VB_OK) {
                vb_diags_add(d, owner, 0, 0, VB_SEV_ERROR, "write-failed",
                             "cannot read what the file cache belongs to: %s", strerror(errno));
                return VB_ERR_IO;
        }
        vb_buf_adds(&b, MAGIC "owner ");
        put_stat(&b, &st);
        vb_buf_addc(&b, '\n');
        for (size_t i = 0; i < c->n; i++) {
                const struct vb_filecache_entry *e = &c->v[i];
                if (i && !strcmp(c->v[i - 1].path, e->path))
                        continue; /* one entry per path */
                vb_buf_adds(&b, "file ");
                put_stat(&b, &e->st);
                vb_buf_addc(&b, ' ');
                for (int k = 0; k < 20; k++) {
                        vb_buf_addc(&b, hex[e->oid[k] >> 4]);
                        vb_buf_addc(&b, hex[e->oid[k] & 15]);
                }
                vb_buf_addc(&b, ' ');
                put_u64(&b, strlen(e->path));
                vb_buf_addc(&b, ' ');
                vb_buf_adds(&b, e->path);
                vb_buf_addc(&b, '\n');
        }
        vb_buf_addf(&b, "sum %016llx\n", (unsigned long long)fnv(b.ptr, b.len));
        rc = vb_write_file_atomic(path, b.ptr, b.len, d);
        vb_buf_release(&b);
        return rc;
}

void vb_filecache_release(struct vb_filecache *c)
{
        for (size_t i = 0; i < c->n; i++)
                free(c->v[i].path);
        free(c->v);
        memset(c, 0, sizeof *c);
}
