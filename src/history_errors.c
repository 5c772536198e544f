/* The notes with errors at the revision a history shows, counted as every
 * command counts them (vb_kb_load: the parser's, check's rules on each note,
 * the rules across notes), without parsing again the notes that had no
 * error under the same vocabulary.
 *
 * .git/verbatim/history-errors.cache keeps, per blob id, what the rules
 * across notes need of a note that passed every rule on its own (customer,
 * follows: and its place, date, conversation).  Such a note stays clean as
 * the days pass (the only rule on time is "not in the future"), so the
 * records hold while the vocabulary files and the program are the same (the
 * key) and the clock does not go back (the day written).  A note with an
 * error is parsed every time: the count, and a date that stops being in the
 * future, are as a full read finds them.
 *
 * The file, little-endian: magic line, version, key (20 bytes), the day it
 * was written, the record count, the payload's length and checksum, then the
 * records: blob id, date (year, month, day), follows line and column,
 * conversation, customer and follows (u32 length + 1, 0 for none, then the
 * bytes).  Anything that does not fit is a damaged cache, ignored and
 * rewritten; it is rewritten atomically (temporary file, rename) whenever
 * the set of records changes. */
#include "verbatim/history.h"
#include "git.h"

#include "history_data.h"
#include "verbatim/check.h"
#include "verbatim/kb.h"
#include "verbatim/outdir.h"
#include "verbatim/version.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define ERR_MAGIC   "verbatim history errors cache\n"
#define ERR_VERSION 1u
#define ERR_HEAD    (sizeof(ERR_MAGIC) - 1 + 4 + 20 + 4 + 8 + 8 + 8)

struct clean_set {
        struct vb_hclean *v;
        size_t n, cap;
        uint32_t *slots; /* index + 1, by blob id */
        size_t nslots;
        struct vb_arena strings; /* of the records added in this run */
};

static size_t oid_slot(const unsigned char oid[20], size_t mask)
{
        uint64_t h;
        memcpy(&h, oid, sizeof(h));
        return (size_t)h & mask;
}

static void set_rehash(struct clean_set *s, size_t want)
{
        size_t n = 1024;
        while (n < want)
                n *= 2;
        free(s->slots);
        s->slots = vb_calloc(n, sizeof(*s->slots));
        s->nslots = n;
        for (size_t i = 0; i < s->n; i++) {
                size_t k = oid_slot(s->v[i].oid, n - 1);
                while (s->slots[k])
                        k = (k + 1) & (n - 1);
                s->slots[k] = (uint32_t)i + 1;
        }
}

static const struct vb_hclean *set_find(const struct clean_set *s, const unsigned char oid[20])
{
        if (!s->nslots)
                return NULL;
        size_t mask = s->nslots - 1;
        for (size_t k = oid_slot(oid, mask); s->slots[k]; k = (k + 1) & mask)
                if (!memcmp(s->v[s->slots[k] - 1].oid, oid, 20))
                        return &s->v[s->slots[k] - 1];
        return NULL;
}

/* Adds `c` unless its blob is there; 1 when added. */
static int set_add(struct clean_set *s, const struct vb_hclean *c)
{
        if (set_find(s, c->oid))
                return 0;
        s->v = vb_grow_array(s->v, &s->cap, s->n + 1, sizeof(*s->v));
        s->v[s->n++] = *c;
        if (s->n * 2 > s->nslots)
                set_rehash(s, s->n * 2);
        else {
                size_t mask = s->nslots - 1, k = oid_slot(c->oid, mask);
                while (s->slots[k])
                        k = (k + 1) & mask;
                s->slots[k] = (uint32_t)s->n;
        }
        return 1;
}

static void set_release(struct clean_set *s)
{
        free(s->v);
        free(s->slots);
        vb_arena_release(&s->strings);
        memset(s, 0, sizeof(*s));
}

/* ---- the file ---- */

static uint32_t ld32(const unsigned char *p)
{
        return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t ld64(const unsigned char *p)
{
        return (uint64_t)ld32(p) | (uint64_t)ld32(p + 4) << 32;
}

static void put32(struct vb_buf *b, uint32_t v)
{
        unsigned char p[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                              (unsigned char)(v >> 24)};
        vb_buf_add(b, (const char *)p, 4);
}

static void put64(struct vb_buf *b, uint64_t v)
{
        put32(b, (uint32_t)v);
        put32(b, (uint32_t)(v >> 32));
}

static void put_str(struct vb_buf *b, const char *s)
{
        size_t n = s ? strlen(s) : 0;
        put32(b, s ? (uint32_t)n + 1 : 0);
        vb_buf_add(b, s ? s : "", n);
}

/* A string of the record at *p (`end`: the payload's end) into *out, in
 * `strings`; 0, -1 when it does not fit. */
static int get_str(const unsigned char **p, const unsigned char *end, const char **out,
                   struct vb_arena *strings)
{
        if (end - *p < 4)
                return -1;
        uint32_t n = ld32(*p);
        *p += 4;
        *out = NULL;
        if (!n)
                return 0;
        if ((size_t)(end - *p) < n - 1 || memchr(*p, 0, n - 1))
                return -1;
        char *s = vb_arena_alloc(strings, n);
        memcpy(s, *p, n - 1);
        s[n - 1] = 0;
        *out = s;
        *p += n - 1;
        return 0;
}

/* The whole file at `path` into `b`; 0, -1 when it cannot be read. */
static int read_all(const char *path, struct vb_buf *b)
{
        struct stat st;
        int fd = open(path, O_RDONLY | O_CLOEXEC), rc = -1;
        if (fd < 0)
                return -1;
        if (fstat(fd, &st) == 0 && st.st_size > 0) {
                size_t want = (size_t)st.st_size;
                vb_buf_grow(b, want + 1);
                ssize_t got;
                while (b->len < want && (got = read(fd, b->ptr + b->len, want - b->len)) > 0)
                        b->len += (size_t)got;
                rc = b->len == want ? 0 : -1;
        }
        close(fd);
        return rc;
}

/* Reads the records of the file at `path` into `s` (empty) when its key is
 * `key` and it was written on or before `today`; 0, -1 when absent, stale
 * or damaged (`s` left empty). */
static int errors_read(struct clean_set *s, const char *path, const unsigned char key[20],
                       int64_t today)
{
        struct vb_buf b = VB_BUF_INIT;
        size_t m = strlen(ERR_MAGIC);
        int rc = -1;
        if (read_all(path, &b) < 0 || b.len < ERR_HEAD)
                goto done;
        const unsigned char *p = (const unsigned char *)b.ptr, *end = p + b.len;
        if (memcmp(p, ERR_MAGIC, m) || ld32(p + m) != ERR_VERSION || memcmp(p + m + 4, key, 20))
                goto done;
        p += m + 24;
        int64_t written = (int32_t)ld32(p);
        uint64_t n = ld64(p + 4), len = ld64(p + 12), sum = ld64(p + 20);
        p += 28;
        if (written > today || len != (uint64_t)(end - p) || vb_hcache_checksum(p, len) != sum ||
            n > len / 40)
                goto done;
        for (uint64_t i = 0; i < n; i++) {
                struct vb_hclean c;
                if (end - p < 45)
                        goto bad;
                memcpy(c.oid, p, 20);
                c.date.year = (int)(int32_t)ld32(p + 20);
                c.date.month = (int)(int32_t)ld32(p + 24);
                c.date.day = (int)(int32_t)ld32(p + 28);
                c.follows_pos.line = ld32(p + 32);
                c.follows_pos.col = ld32(p + 36);
                c.conversation = p[40];
                p += 41;
                if (c.conversation > 1 || get_str(&p, end, &c.customer, &s->strings) < 0 ||
                    get_str(&p, end, &c.follows, &s->strings) < 0 || !set_add(s, &c))
                        goto bad;
        }
        if (p != end)
                goto bad;
        rc = 0;
        goto done;
bad:
        set_release(s);
done:
        vb_buf_release(&b);
        return rc;
}

static int oid_cmp(const void *a, const void *b)
{
        return memcmp(((const struct vb_hclean *)a)->oid, ((const struct vb_hclean *)b)->oid, 20);
}

/* Writes the records in the order of their blob ids (the file does not
 * depend on the threads' scheduling); `s` is no longer searchable after. */
static int errors_write(struct clean_set *s, const char *path, const unsigned char key[20],
                        int64_t today)
{
        struct vb_buf head = VB_BUF_INIT, body = VB_BUF_INIT;
        struct vb_diags ignored = VB_DIAGS_INIT;
        if (s->n > 1)
                qsort(s->v, s->n, sizeof(*s->v), oid_cmp);
        for (size_t i = 0; i < s->n; i++) {
                const struct vb_hclean *c = &s->v[i];
                vb_buf_add(&body, (const char *)c->oid, 20);
                put32(&body, (uint32_t)c->date.year);
                put32(&body, (uint32_t)c->date.month);
                put32(&body, (uint32_t)c->date.day);
                put32(&body, c->follows_pos.line);
                put32(&body, c->follows_pos.col);
                vb_buf_addc(&body, (char)(c->conversation ? 1 : 0));
                put_str(&body, c->customer);
                put_str(&body, c->follows);
        }
        vb_buf_adds(&head, ERR_MAGIC);
        put32(&head, ERR_VERSION);
        vb_buf_add(&head, (const char *)key, 20);
        put32(&head, (uint32_t)today);
        put64(&head, s->n);
        put64(&head, body.len);
        put64(&head, vb_hcache_checksum((const unsigned char *)body.ptr, body.len));
        vb_buf_add(&head, body.ptr, body.len);
        int rc = vb_write_file_atomic(path, head.ptr, head.len, &ignored);
        vb_buf_release(&head);
        vb_buf_release(&body);
        vb_diags_release(&ignored);
        return rc;
}

/* ---- counting ---- */

struct count {
        pthread_mutex_t mu;
        const struct clean_set *old;
        size_t from_file;          /* old's first records: the file's */
        size_t used_from_file;     /* of those, in `now` */
        struct clean_set now;      /* the clean notes at the revision: the next cache */
        struct vb_note_ref *extra; /* the reused notes, for the rules across notes */
        size_t nextra, capextra;
        struct vb_buf ids;
};

/* The reuse hook (kb worker threads): a blob known clean is not parsed. */
static int reuse_clean(void *ctx, const char *path, const unsigned char oid[20])
{
        struct count *c = ctx;
        const struct vb_hclean *k = set_find(c->old, oid);
        if (!k)
                return 0;
        pthread_mutex_lock(&c->mu);
        if (set_add(&c->now, k) && (size_t)(k - c->old->v) < c->from_file)
                c->used_from_file++;
        c->extra = vb_grow_array(c->extra, &c->capextra, c->nextra + 1, sizeof(*c->extra));
        struct vb_note_ref *r = &c->extra[c->nextra++];
        memset(r, 0, sizeof(*r));
        r->path = vb_arena_strdup(&c->now.strings, path);
        vb_buf_reset(&c->ids);
        vb_note_id_of(&c->ids, path);
        r->id = vb_arena_strdup(&c->now.strings, c->ids.ptr);
        r->customer = k->customer;
        r->follows = k->follows;
        r->follows_pos = k->follows_pos;
        r->date = k->date;
        r->conversation = k->conversation;
        pthread_mutex_unlock(&c->mu);
        return 1;
}

static int drop_note(void *ctx, struct vb_note *n, const struct vb_vocab *v, struct vb_diags *d)
{
        return VB_KB_DROP;
}

void vb_hcheck_key(unsigned char key[20], struct vb_source *src)
{
        static const char *const files[] = {"verbatim.yml", "roadmap.yml", "copy.yml"};
        struct vb_buf all = VB_BUF_INIT, b = VB_BUF_INIT;
        struct vb_diags ignored = VB_DIAGS_INIT;
        vb_buf_addf(&all, "verbatim %s\n", vb_version);
        for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
                unsigned char oid[20] = {0};
                vb_buf_reset(&b);
                if (vb_source_read(src, files[i], &b, &ignored) == VB_OK)
                        vb_oid_hash_blob(src, oid, b.ptr, b.len);
                vb_buf_addf(&all, "%s ", files[i]);
                vb_buf_add(&all, (const char *)oid, 20);
        }
        vb_oid_hash_blob(src, key, all.ptr, all.len);
        vb_buf_release(&all);
        vb_buf_release(&b);
        vb_diags_release(&ignored);
}

int vb_history_count_errors(struct vb_history *h, const char *path, int no_cache)
{
        struct vb_source *src = NULL;
        struct vb_kb *kb = NULL;
        struct vb_diags ignored = VB_DIAGS_INIT;
        struct vb_kb_options kopt = {.on_note = drop_note};
        struct clean_set old = {0};
        struct count c = {.old = &old, .ids = VB_BUF_INIT};
        struct vb_buf cache = VB_BUF_INIT;
        unsigned char key[20];
        int64_t today = vb_date_days(vb_date_today());
        int rc = VB_OK;

        h->stats.error_files = h->stats.error_reused = 0;
        h->stats.errors_cache_read = h->stats.errors_cache_written = 0;
        if (!h->ncommits)
                return VB_OK;
        if (vb_source_open_rev(&src, path, h->commits[h->shown].id, &ignored) != VB_OK) {
                rc = VB_ERR_IO;
                goto done;
        }
        git_repository *repo = vb_source_repository(src);
        vb_buf_adds(&cache, git_repository_commondir(repo));
        if (cache.len && cache.ptr[cache.len - 1] != '/')
                vb_buf_addc(&cache, '/');
        vb_buf_adds(&cache, "verbatim/history-errors.cache");
        vb_hcheck_key(key, src);
        if (!no_cache)
                h->stats.errors_cache_read = errors_read(&old, cache.ptr, key, today) == 0;
        /* the blobs the history parsed and checked in this run (with the
         * same revision's vocabulary) */
        c.from_file = old.n;
        for (size_t i = 0; h->data && !memcmp(h->data->clean_key, key, 20) && i < h->data->nclean;
             i++)
                set_add(&old, &h->data->clean[i]);
        pthread_mutex_init(&c.mu, NULL);
        rc = vb_kb_load_reusing(&kb, src, &kopt, reuse_clean, &c, &ignored);
        pthread_mutex_destroy(&c.mu);
        if (rc != VB_OK)
                goto done;
        /* the notes parsed now that passed the rules on each note (before
         * the rules across notes add theirs) */
        for (size_t i = 0; i < kb->nrefs; i++) {
                const struct vb_note_ref *r = &kb->refs[i];
                if (r->errors || !r->has_oid)
                        continue;
                struct vb_hclean k = {{0}, r->date, r->follows_pos, r->conversation, NULL, NULL};
                memcpy(k.oid, r->oid, 20);
                if (r->customer)
                        k.customer = vb_arena_strdup(&c.now.strings, r->customer);
                if (r->follows)
                        k.follows = vb_arena_strdup(&c.now.strings, r->follows);
                set_add(&c.now, &k);
        }
        vb_kb_check_across(kb, c.extra, c.nextra, &ignored);
        h->notes_with_errors = kb->notes_with_errors;
        h->stats.error_files = kb->nfiles;
        h->stats.error_reused = kb->nreused;
        /* rewritten when the clean notes differ enough from those read: a
         * rerun after a few commits does not rewrite the whole file for
         * them (the next runs parse them again until then: at most 1/64 of
         * the notes), nor for a few notes gone */
        size_t missing = c.now.n - c.used_from_file, gone = c.from_file - c.used_from_file;
        if (!no_cache &&
            (!h->stats.errors_cache_read || missing * 64 > c.now.n || gone * 8 > c.from_file)) {
                struct stat st;
                struct vb_buf dir = VB_BUF_INIT;
                vb_buf_add(&dir, cache.ptr, cache.len - strlen("/history-errors.cache"));
                if (stat(dir.ptr, &st) < 0)
                        mkdir(dir.ptr, 0777);
                vb_buf_release(&dir);
                h->stats.errors_cache_written =
                    errors_write(&c.now, cache.ptr, key, today) == VB_OK;
        }
done:
        vb_kb_free(kb);
        vb_source_free(src);
        vb_diags_release(&ignored);
        free(c.extra);
        vb_buf_release(&c.ids);
        set_release(&c.now);
        set_release(&old);
        vb_buf_release(&cache);
        return rc;
}
