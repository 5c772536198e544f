/* History: walk the first-parent main line, diff trees, parse each blob once,
 * replay the changes with theme deltas (see history.h). */
#include "verbatim/history.h"
#include "git.h"

#include "history_data.h"
#include "verbatim/check.h"
#include "verbatim/kb.h"
#include "verbatim/note.h"
#include "verbatim/pii.h"
#include "verbatim/source.h"
#include "verbatim/vocab.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- small helpers ---- */

static const char *git_errtext(void)
{
        const git_error *e = git_error_last();
        return e && e->message ? e->message : "unknown error";
}

static int is_regular(uint16_t mode)
{
        return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

static int64_t floor_div(int64_t a, int64_t b)
{
        return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static int64_t week_of_time(int64_t t)
{
        return vb_week_index(vb_date_from_days(floor_div(t, 86400)));
}

/* In a notes folder (already normalized: no "./", no trailing '/'). */
static int in_dirs(const char *path, char **dirs, size_t ndirs)
{
        for (size_t i = 0; i < ndirs; i++) {
                size_t n = strlen(dirs[i]);
                if (!strcmp(dirs[i], ".") || (!strncmp(path, dirs[i], n) && path[n] == '/'))
                        return 1;
        }
        return 0;
}

static struct vb_vocab *vocab_from_blob(git_repository *repo, const unsigned char oid[20])
{
        git_blob *blob = NULL;
        struct vb_vocab *v = NULL;
        struct vb_diags ignored = VB_DIAGS_INIT;
        git_oid id;
        git_oid_fromraw(&id, oid);
        if (git_blob_lookup(&blob, repo, &id) == 0)
                vb_vocab_load(&v, "verbatim.yml", git_blob_rawcontent(blob),
                              (size_t)git_blob_rawsize(blob), &ignored);
        git_blob_free(blob);
        vb_diags_release(&ignored);
        return v;
}

/* ---- parsing blobs in parallel ---- */

struct parsed {
        int32_t days;
        uint8_t conversation, errors;
        char *customer;
        char **tags;
        size_t ntags;
        /* with a check: no error under check's rules on each note, and what
         * the rules across notes need (customer and follows: as written) */
        int clean;
        struct vb_hclean ref;
        char *ref_customer, *ref_follows;
};

/* What parse_one checks a note with (vb_history_options.check_notes). */
struct note_check {
        const struct vb_vocab *vocab; /* NULL: no check */
        struct vb_date today;
};

static bool has_personal_data(const char *s)
{
        size_t start, end;
        return vb_pii_find(s, strlen(s), 0, &start, &end) != VB_PII_NONE;
}

/* Interns s[0..len) with personal data removed (vb_pii_redact): the cache
 * file, and every output made from it, hold no more than a report may
 * show. */
static uint32_t intern_redacted(struct vb_strtab *t, const char *s, size_t len)
{
        struct vb_buf b = VB_BUF_INIT;
        if (!vb_pii_possible(s, len))
                return vb_strtab_intern(t, s, len);
        vb_pii_redact(&b, s, len);
        uint32_t id = vb_strtab_intern(t, b.ptr, b.len);
        vb_buf_release(&b);
        return id;
}

static void parse_one(struct parsed *p, const char *buf, size_t len, const char *themes_key,
                      const struct note_check *check)
{
        struct vb_note *n = NULL;
        struct vb_diags d = VB_DIAGS_INIT;
        /* personal data is check's business: scanned only for a check */
        struct vb_note_options opt = {themes_key, 0, !check->vocab, NULL};
        p->days = INT32_MIN;
        p->errors = 1;
        if (vb_note_parse(&n, "", buf, len, &opt, &d) == VB_OK && n) {
                p->errors = n->errors > 0;
                if (vb_date_is_set(n->date))
                        p->days = (int32_t)vb_date_days(n->date);
                p->conversation = (uint8_t)vb_note_is_conversation(n);
                /* a customer that is personal data is an invalid value: left
                 * out, never written to the cache */
                if (n->customer.value && !has_personal_data(n->customer.value))
                        p->customer = vb_strdup(n->customer.value);
                p->tags = vb_calloc(n->ntags + 1, sizeof(*p->tags));
                for (size_t i = 0; i < n->ntags; i++) {
                        size_t k = 0;
                        while (k < p->ntags && strcmp(p->tags[k], n->tags[i].name))
                                k++;
                        if (k == p->ntags)
                                p->tags[p->ntags++] = vb_strdup(n->tags[i].name);
                }
                if (check->vocab) {
                        /* as vb_kb_load checks each note */
                        vb_note_resolve(n, check->vocab);
                        vb_check_note(n, check->vocab, check->today, &d);
                        if (!d.errors) {
                                p->clean = 1;
                                p->ref.date = n->date;
                                p->ref.follows_pos = n->follows.pos;
                                p->ref.conversation = vb_note_is_conversation(n);
                                if (n->customer.value)
                                        p->ref_customer = vb_strdup(n->customer.value);
                                if (n->follows.value)
                                        p->ref_follows = vb_strdup(n->follows.value);
                        }
                }
        }
        vb_note_free(n);
        vb_diags_release(&d);
}

static int thread_count(int want)
{
        long n = want > 0 ? want : sysconf(_SC_NPROCESSORS_ONLN);
        return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

/* The blobs to parse, queued by the walk as it finds them: parser threads
 * (each with its own repository, libgit2 objects being per thread) start
 * once there is enough work and overlap the walk; the walking thread joins
 * them at the end.  Results are applied in queue order (blob order), so the
 * interned strings do not depend on the scheduling. */
struct parse_item {
        size_t blob; /* index */
        unsigned char oid[20];
        struct parsed res;
};

struct parse_queue {
        pthread_mutex_t mu;
        pthread_cond_t cv;
        const char *gitdir;
        const char *themes_key;
        struct note_check check;
        const struct vb_hpack *pack; /* blobs straight from the packs, NULL: libgit2 only */
        struct parse_item *items;
        size_t n, cap, next, queued_upto;
        int closed, want, started;
        pthread_t tid[8];
};

static void parse_queue_init(struct parse_queue *q, const char *gitdir, const char *themes_key,
                             const struct note_check *check, const struct vb_hpack *pack,
                             int threads)
{
        memset(q, 0, sizeof(*q));
        pthread_mutex_init(&q->mu, NULL);
        pthread_cond_init(&q->cv, NULL);
        q->gitdir = gitdir;
        q->pack = pack;
        q->themes_key = themes_key;
        q->check = *check;
        q->want = thread_count(threads);
}

/* Blobs are read from the packs by the thread's own reader (a small cache:
 * a blob is read once, only a delta base may be wanted again), else by
 * libgit2 (loose objects, another object store), opened when first needed. */
struct blob_reader {
        const struct parse_queue *q;
        struct vb_hpack *pack;
        git_repository *repo;
        git_odb *odb;
        int tried;
};

#define BLOB_CACHE_BYTES ((size_t)4 << 20)

static void parse_blob(struct blob_reader *br, struct parsed *p, const unsigned char oid[20])
{
        struct vb_hobj *o = br->pack ? vb_hpack_read(br->pack, oid) : NULL;
        if (o && o->type == GIT_OBJECT_BLOB) {
                parse_one(p, (const char *)o->data, o->len, br->q->themes_key, &br->q->check);
                vb_hobj_release(o);
                return;
        }
        vb_hobj_release(o);
        if (!br->tried) {
                br->tried = 1;
                if (git_repository_open(&br->repo, br->q->gitdir) < 0 ||
                    git_repository_odb(&br->odb, br->repo) < 0) {
                        git_odb_free(br->odb);
                        br->odb = NULL;
                }
        }
        git_oid id;
        git_oid_fromraw(&id, oid);
        git_odb_object *obj = NULL;
        if (br->odb && git_odb_read(&obj, br->odb, &id) == 0)
                parse_one(p, git_odb_object_data(obj), git_odb_object_size(obj), br->q->themes_key,
                          &br->q->check);
        git_odb_object_free(obj);
}

static void *parse_worker(void *arg)
{
        struct parse_queue *q = arg;
        struct blob_reader br = {q, q->pack ? vb_hpack_share(q->pack, BLOB_CACHE_BYTES) : NULL,
                                 NULL, NULL, 0};
        pthread_mutex_lock(&q->mu);
        for (;;) {
                while (q->next >= q->n && !q->closed)
                        pthread_cond_wait(&q->cv, &q->mu);
                if (q->next >= q->n)
                        break;
                size_t k = q->next++;
                unsigned char oid[20];
                memcpy(oid, q->items[k].oid, 20);
                pthread_mutex_unlock(&q->mu);
                struct parsed p = {.days = INT32_MIN, .errors = 1};
                parse_blob(&br, &p, oid);
                pthread_mutex_lock(&q->mu);
                q->items[k].res = p;
        }
        pthread_mutex_unlock(&q->mu);
        vb_hpack_free(br.pack);
        git_odb_free(br.odb);
        git_repository_free(br.repo);
        return NULL;
}

/* Queues the blobs found since the last call; starts the parser threads
 * (all but the caller's share) once there are 64. */
static void parse_queue_push(struct parse_queue *q, const struct vb_history_data *h)
{
        if (q->queued_upto >= h->nblobs)
                return;
        pthread_mutex_lock(&q->mu);
        for (size_t i = q->queued_upto; i < h->nblobs; i++) {
                if (h->blobs[i].parsed)
                        continue;
                q->items = vb_grow_array(q->items, &q->cap, q->n + 1, sizeof(*q->items));
                memset(&q->items[q->n], 0, sizeof(*q->items));
                q->items[q->n].blob = i;
                memcpy(q->items[q->n].oid, h->blobs[i].oid, 20);
                q->n++;
        }
        q->queued_upto = h->nblobs;
        pthread_cond_broadcast(&q->cv);
        pthread_mutex_unlock(&q->mu);
        if (!q->started && q->n >= 64)
                for (int t = 1; t < q->want; t++)
                        if (pthread_create(&q->tid[q->started], NULL, parse_worker, q) == 0)
                                q->started++;
}

/* Parses what is left with the caller's thread too, waits for the parser
 * threads and stores the results in `h` (NULL: drops them, after an
 * error).  Returns how many blobs were parsed. */
static size_t parse_queue_finish(struct parse_queue *q, struct vb_history_data *h)
{
        if (h)
                parse_queue_push(q, h);
        pthread_mutex_lock(&q->mu);
        q->closed = 1;
        if (!h)
                q->next = q->n;
        pthread_cond_broadcast(&q->cv);
        pthread_mutex_unlock(&q->mu);
        if (h && q->n)
                parse_worker(q);
        for (int t = 0; t < q->started; t++)
                pthread_join(q->tid[t], NULL);
        size_t parsed = 0;
        /* interned in blob order, whatever the scheduling */
        for (size_t i = 0; h && i < q->n; i++) {
                struct parsed *p = &q->items[i].res;
                struct vb_hblob *b = &h->blobs[q->items[i].blob];
                b->days = p->days;
                b->conversation = p->conversation;
                b->errors = p->errors;
                b->customer =
                    p->customer ? vb_strtab_intern(&h->str, p->customer, strlen(p->customer)) : 0;
                h->tagpool = vb_grow_array(h->tagpool, &h->captagpool, h->ntagpool + p->ntags + 1,
                                           sizeof(*h->tagpool));
                b->tag_first = (uint32_t)h->ntagpool;
                b->ntags = (uint32_t)p->ntags;
                for (size_t k = 0; k < p->ntags; k++)
                        h->tagpool[h->ntagpool++] =
                            intern_redacted(&h->str, p->tags[k], strlen(p->tags[k]));
                b->parsed = 1;
                parsed++;
                if (p->clean) {
                        struct vb_hclean *c;
                        h->clean =
                            vb_grow_array(h->clean, &h->capclean, h->nclean + 1, sizeof(*h->clean));
                        c = &h->clean[h->nclean++];
                        *c = p->ref;
                        memcpy(c->oid, b->oid, 20);
                        c->customer = p->ref_customer
                                          ? vb_arena_strdup(&h->clean_strings, p->ref_customer)
                                          : NULL;
                        c->follows = p->ref_follows
                                         ? vb_arena_strdup(&h->clean_strings, p->ref_follows)
                                         : NULL;
                }
        }
        for (size_t i = 0; i < q->n; i++) {
                struct parsed *p = &q->items[i].res;
                for (size_t k = 0; k < p->ntags; k++)
                        free(p->tags[k]);
                free(p->tags);
                free(p->customer);
                free(p->ref_customer);
                free(p->ref_follows);
        }
        free(q->items);
        pthread_cond_destroy(&q->cv);
        pthread_mutex_destroy(&q->mu);
        return parsed;
}

/* ---- walking the main line ---- */

/* A tree read for the new side of one commit, kept (a reference) because it
 * is the old side of the next. */
struct held_tree {
        git_oid id;
        struct vb_hobj *tree;
};

/* A note file deleted or added by one commit, before moves are paired. */
struct side {
        uint32_t path;   /* string id */
        uint32_t blob;   /* index + 1 */
        const char *key; /* path, or file stem when pairing by note id */
        char *stem;      /* owned, when computed */
        int used;
};

struct walk {
        git_repository *repo;
        git_odb *odb;
        struct vb_hpack *pack; /* trees straight from the packs, NULL: libgit2 only */
        char **dirs;
        size_t ndirs;
        struct vb_history_data *h;
        struct held_tree *held, *next; /* the previous commit's new-side trees; this commit's */
        size_t nheld, nnext, capheld, capnext;
        struct side *del, *add; /* of the commit being diffed */
        size_t ndel, nadd, capdel, capadd;
        struct vb_buf path; /* of the tree being diffed, with a trailing '/' */
};

static void add_change(struct vb_history_data *h, const struct vb_hchange *c)
{
        h->changes =
            vb_grow_array(h->changes, &h->capchanges, h->nchanges + 1, sizeof(*h->changes));
        h->changes[h->nchanges++] = *c;
}

static void release_held(struct held_tree *t, size_t *n)
{
        for (size_t i = 0; i < *n; i++)
                vb_hobj_release(t[i].tree);
        *n = 0;
}

/* The raw tree object `id` (a reference the caller releases), from the
 * packs, else from libgit2's object database; NULL when unreadable. */
static struct vb_hobj *read_tree(struct walk *w, const git_oid *id)
{
        struct vb_hobj *o = w->pack ? vb_hpack_read(w->pack, id->id) : NULL;
        if (o && o->type != GIT_OBJECT_TREE) {
                vb_hobj_release(o);
                o = NULL;
        }
        if (o)
                return o;
        git_odb_object *obj = NULL;
        if (git_odb_read(&obj, w->odb, id) < 0)
                return NULL;
        if (git_odb_object_type(obj) == GIT_OBJECT_TREE) {
                o = vb_calloc(1, sizeof(*o));
                o->refs = 1;
                o->type = GIT_OBJECT_TREE;
                o->len = git_odb_object_size(obj);
                o->data = vb_malloc(o->len + 1);
                memcpy(o->data, git_odb_object_data(obj), o->len);
                o->data[o->len] = 0;
        } else
                git_error_set_str(GIT_ERROR_OBJECT, "the object is no tree");
        git_odb_object_free(obj);
        return o;
}

/* The tree `id` (the caller releases it): one held from the previous commit
 * or read earlier in this one, else read; a tree of the new side is kept
 * for the next commit. */
static int tree_lookup(struct vb_hobj **out, struct walk *w, const git_oid *id, int new_side)
{
        struct vb_hobj *found = NULL;
        for (size_t i = 0; !found && i < w->nheld; i++)
                if (git_oid_equal(&w->held[i].id, id))
                        found = w->held[i].tree;
        for (size_t i = 0; !found && i < w->nnext; i++)
                if (git_oid_equal(&w->next[i].id, id))
                        found = w->next[i].tree;
        if (found)
                found->refs++;
        else if (!(found = read_tree(w, id)))
                return -1;
        *out = found;
        if (new_side) {
                for (size_t i = 0; i < w->nnext; i++)
                        if (w->next[i].tree == found)
                                return 0;
                w->next = vb_grow_array(w->next, &w->capnext, w->nnext + 1, sizeof(*w->next));
                git_oid_cpy(&w->next[w->nnext].id, id);
                found->refs++;
                w->next[w->nnext++].tree = found;
        }
        return 0;
}

/* One entry of a raw tree object: "mode SP name NUL oid[20]". */
struct rentry {
        const char *name;
        const unsigned char *oid;
        const unsigned char *rec; /* the whole record */
        size_t reclen;
        uint16_t mode; /* normalized as libgit2 does */
};

/* The entry at *pos of `t` (NULL: empty), advancing *pos: 1, 0 at the end,
 * -1 when the tree is malformed. */
static int rentry_next(const struct vb_hobj *t, size_t *pos, struct rentry *e)
{
        if (!t || *pos >= t->len)
                return 0;
        const unsigned char *p = t->data + *pos, *end = t->data + t->len;
        unsigned mode = 0;
        e->rec = p;
        while (p < end && *p >= '0' && *p <= '7')
                mode = mode * 8 + (unsigned)(*p++ - '0');
        if (p == end || *p != ' ' || p == e->rec)
                return -1;
        e->name = (const char *)++p;
        p = memchr(p, 0, (size_t)(end - p));
        if (!p || (const char *)p == e->name || end - p < 21)
                return -1;
        e->oid = p + 1;
        e->reclen = (size_t)(p + 21 - e->rec);
        *pos += e->reclen;
        if ((mode & 0170000) == 0040000)
                mode = GIT_FILEMODE_TREE;
        else if ((mode & 0170000) == 0100000)
                mode = mode & 0111 ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
        e->mode = (uint16_t)mode;
        return 1;
}

/* git's tree order: names compared as bytes, a directory's as if it ended
 * in '/' (the order of the entries in a tree object). */
static int tree_entry_cmp(const struct rentry *x, const struct rentry *y)
{
        const unsigned char *a = (const unsigned char *)x->name;
        const unsigned char *b = (const unsigned char *)y->name;
        int tx = x->mode == GIT_FILEMODE_TREE, ty = y->mode == GIT_FILEMODE_TREE;
        while (*a && *a == *b)
                a++, b++;
        unsigned ca = *a ? *a : tx ? '/' : 0, cb = *b ? *b : ty ? '/' : 0;
        return ca < cb ? -1 : ca > cb;
}

/* A directory that is, or leads to, a notes folder. */
static int dir_wanted(const char *path, size_t len, char **dirs, size_t ndirs)
{
        for (size_t i = 0; i < ndirs; i++) {
                size_t n = strlen(dirs[i]);
                if (!strcmp(dirs[i], "."))
                        return 1;
                if (n <= len && !memcmp(path, dirs[i], n) && (n == len || path[n] == '/'))
                        return 1; /* in a notes folder */
                if (n > len && !memcmp(path, dirs[i], len) && dirs[i][len] == '/')
                        return 1; /* above one */
        }
        return 0;
}

static void add_side(struct side **v, size_t *n, size_t *cap, uint32_t path, uint32_t blob)
{
        *v = vb_grow_array(*v, cap, *n + 1, sizeof(**v));
        (*v)[(*n)++] = (struct side){path, blob, NULL, NULL, 0};
}

static int diff_level(struct walk *w, const struct vb_hobj *a, const struct vb_hobj *b,
                      struct vb_hcommit *rec);

/* One name present on either side or both (of the same kind: two trees, or
 * two non-trees); `e` is x when present, else y. */
static int diff_entry(struct walk *w, const struct rentry *e, const struct rentry *x,
                      const struct rentry *y, struct vb_hcommit *rec)
{
        struct vb_history_data *h = w->h;
        const char *name = e->name;
        size_t base = w->path.len;
        int rc = 0;

        vb_buf_adds(&w->path, name);
        if (e->mode == GIT_FILEMODE_TREE) {
                struct vb_hobj *ta = NULL, *tb = NULL;
                if (dir_wanted(w->path.ptr, w->path.len, w->dirs, w->ndirs)) {
                        git_oid ia, ib;
                        vb_buf_addc(&w->path, '/');
                        if (x)
                                git_oid_fromraw(&ia, x->oid);
                        if (y)
                                git_oid_fromraw(&ib, y->oid);
                        if ((x && tree_lookup(&ta, w, &ia, 0) < 0) ||
                            (y && tree_lookup(&tb, w, &ib, 1) < 0))
                                rc = -1;
                        else
                                rc = diff_level(w, ta, tb, rec);
                }
                vb_hobj_release(ta);
                vb_hobj_release(tb);
                goto done;
        }
        if (base == 0 && !strcmp(name, "verbatim.yml")) {
                rec->vocab_changed = 1;
                if (y && is_regular(y->mode))
                        memcpy(rec->vocab_oid, y->oid, 20);
                else
                        memset(rec->vocab_oid, 0, 20);
        }
        /* a note whose name is an email is not read (vb_path_has_email) */
        if (!vb_is_note_name(name) || !in_dirs(w->path.ptr, w->dirs, w->ndirs) ||
            vb_path_has_email(w->path.ptr))
                goto done;
        int old_note = x && is_regular(x->mode);
        int new_note = y && is_regular(y->mode);
        if (!old_note && !new_note)
                goto done;
        uint32_t path = vb_strtab_intern(&h->str, w->path.ptr, w->path.len);
        uint32_t ob = old_note ? (uint32_t)vb_hdata_blob(h, x->oid) + 1 : 0;
        uint32_t nb = new_note ? (uint32_t)vb_hdata_blob(h, y->oid) + 1 : 0;
        if (old_note && new_note) {
                if (ob != nb) /* else a mode change */
                        add_change(h, &(struct vb_hchange){path, path, ob, nb});
        } else if (old_note)
                add_side(&w->del, &w->ndel, &w->capdel, path, ob);
        else
                add_side(&w->add, &w->nadd, &w->capadd, path, nb);
done:
        vb_buf_truncate(&w->path, base);
        return rc;
}

/* Merges the sorted entries of two raw trees (either NULL: empty), skipping
 * equal entries (the same record bytes, or the same name, mode and id), so
 * an unchanged folder costs one comparison. */
/* The bytes of the whole records that `a` from `i` and `b` from `j` have
 * in common (both offsets at a record's start): found with memcmp, then
 * cut to a record boundary by walking the records of `a` only. */
static size_t equal_run(const struct vb_hobj *a, size_t i, const struct vb_hobj *b, size_t j)
{
        size_t n = a->len - i < b->len - j ? a->len - i : b->len - j, k = 0;
        const unsigned char *p = a->data + i, *q = b->data + j;
        while (k + 256 <= n && !memcmp(p + k, q + k, 256))
                k += 256;
        while (k < n && p[k] == q[k])
                k++;
        size_t at = 0;
        for (;;) {
                const unsigned char *z = memchr(p + at, 0, k - at);
                if (!z || (size_t)(z - p) + 21 > k)
                        return at;
                at = (size_t)(z - p) + 21;
        }
}

static int diff_level(struct walk *w, const struct vb_hobj *a, const struct vb_hobj *b,
                      struct vb_hcommit *rec)
{
        size_t i = 0, j = 0;
        struct rentry x, y;
        int hx = rentry_next(a, &i, &x), hy = rentry_next(b, &j, &y);
        for (;;) {
                if (hx < 0 || hy < 0) {
                        git_error_set_str(GIT_ERROR_OBJECT, "malformed tree");
                        return -1;
                }
                if (!hx && !hy)
                        return 0;
                int c;
                if (hx && hy && x.reclen == y.reclen && !memcmp(x.rec, y.rec, x.reclen)) {
                        /* equal: skip the whole run of equal records at once */
                        size_t skip = equal_run(a, i, b, j);
                        i += skip, j += skip;
                        c = 2;
                } else {
                        c = !hx ? 1 : !hy ? -1 : tree_entry_cmp(&x, &y);
                        if (c == 0 && !memcmp(x.oid, y.oid, 20) && x.mode == y.mode)
                                c = 2;
                }
                if (c != 2 && diff_entry(w, c <= 0 ? &x : &y, c <= 0 ? &x : NULL,
                                         c >= 0 ? &y : NULL, rec) < 0)
                        return -1;
                if (c <= 0 || c == 2)
                        hx = rentry_next(a, &i, &x);
                if (c >= 0)
                        hy = rentry_next(b, &j, &y);
        }
}
static int side_cmp(const void *p, const void *q)
{
        const struct side *a = p, *b = q;
        if (a->blob != b->blob)
                return a->blob < b->blob ? -1 : 1;
        return strcmp(a->key, b->key);
}

static int stem_cmp(const void *p, const void *q)
{
        const struct side *a = p, *b = q;
        int c = strcmp(a->stem, b->stem);
        return c ? c : strcmp(a->key, b->key);
}

/* Pairs deleted and added notes as moves: first those with the same blob,
 * then those with the same file stem (note id): a note moved and edited in
 * one commit.  Adds the moves, then the rest as removals and additions. */
static void pair_moves(struct walk *w)
{
        struct vb_history_data *h = w->h;
        for (size_t i = 0; i < w->ndel; i++)
                w->del[i].key = h->str.v[w->del[i].path];
        for (size_t i = 0; i < w->nadd; i++)
                w->add[i].key = h->str.v[w->add[i].path];
        if (w->ndel && w->nadd) {
                qsort(w->del, w->ndel, sizeof(*w->del), side_cmp);
                qsort(w->add, w->nadd, sizeof(*w->add), side_cmp);
                for (size_t i = 0, j = 0; i < w->ndel && j < w->nadd;) {
                        if (w->del[i].blob != w->add[j].blob) {
                                w->del[i].blob < w->add[j].blob ? i++ : j++;
                                continue;
                        }
                        w->del[i].used = w->add[j].used = 1;
                        add_change(h, &(struct vb_hchange){w->del[i].path, w->add[j].path,
                                                           w->del[i].blob, w->add[j].blob});
                        i++, j++;
                }
        }
        /* the rest by note id, in the order of their paths */
        size_t nd = 0, na = 0;
        for (size_t i = 0; i < w->ndel; i++)
                if (!w->del[i].used)
                        w->del[nd++] = w->del[i];
        for (size_t i = 0; i < w->nadd; i++)
                if (!w->add[i].used)
                        w->add[na++] = w->add[i];
        w->ndel = nd;
        w->nadd = na;
        if (nd && na) {
                struct vb_buf s = VB_BUF_INIT;
                for (size_t i = 0; i < nd + na; i++) {
                        struct side *x = i < nd ? &w->del[i] : &w->add[i - nd];
                        vb_buf_truncate(&s, 0);
                        vb_note_id_of(&s, x->key);
                        x->stem = vb_strdup(s.ptr);
                }
                vb_buf_release(&s);
                qsort(w->del, nd, sizeof(*w->del), stem_cmp);
                qsort(w->add, na, sizeof(*w->add), stem_cmp);
                for (size_t i = 0, j = 0; i < nd && j < na;) {
                        int c = strcmp(w->del[i].stem, w->add[j].stem);
                        if (c) {
                                c < 0 ? i++ : j++;
                                continue;
                        }
                        w->del[i].used = w->add[j].used = 1;
                        add_change(h, &(struct vb_hchange){w->del[i].path, w->add[j].path,
                                                           w->del[i].blob, w->add[j].blob});
                        i++, j++;
                }
                for (size_t i = 0; i < nd + na; i++) {
                        struct side *x = i < nd ? &w->del[i] : &w->add[i - nd];
                        free(x->stem);
                        x->stem = NULL;
                }
        }
        for (size_t i = 0; i < nd; i++)
                if (!w->del[i].used)
                        add_change(h, &(struct vb_hchange){w->del[i].path, 0, w->del[i].blob, 0});
        for (size_t i = 0; i < na; i++)
                if (!w->add[i].used)
                        add_change(h, &(struct vb_hchange){0, w->add[i].path, 0, w->add[i].blob});
        w->ndel = w->nadd = 0;
}

struct change_order {
        const char *path;
        struct vb_hchange c;
};

static int change_order_cmp(const void *p, const void *q)
{
        const struct change_order *a = p, *b = q;
        return strcmp(a->path, b->path);
}

/* The changes of one commit in the order of their paths (after the commit;
 * before it, for a removal), whatever the order they were found in. */
static void sort_changes(struct vb_history_data *h, size_t first)
{
        size_t n = h->nchanges - first;
        if (n < 2)
                return;
        struct change_order *v = vb_calloc(n, sizeof(*v));
        for (size_t i = 0; i < n; i++) {
                v[i].c = h->changes[first + i];
                v[i].path = h->str.v[v[i].c.new_path ? v[i].c.new_path : v[i].c.old_path];
        }
        qsort(v, n, sizeof(*v), change_order_cmp);
        for (size_t i = 0; i < n; i++)
                h->changes[first + i] = v[i].c;
        free(v);
}

/* The note changes of one commit against the previous tree (NULL: none):
 * notes added, removed, edited (same path, new blob) and moved (a removed
 * and an added note with the same blob, or else the same file stem; a note
 * moved and renamed and edited at once counts as removed plus added). */
static int diff_commit(struct walk *w, const struct vb_hobj *prev, const struct vb_hobj *tree,
                       struct vb_hcommit *rec, struct vb_diags *d)
{
        struct vb_history_data *h = w->h;
        int rc = VB_OK;

        rec->change_first = h->nchanges;
        vb_buf_truncate(&w->path, 0);
        w->ndel = w->nadd = 0;
        if (diff_level(w, prev, tree, rec) < 0) {
                git_oid id;
                git_oid_fromraw(&id, rec->oid);
                vb_diags_add(d, "", 0, 0, VB_SEV_ERROR, "unreadable",
                             "cannot read a tree of commit %s (%s); run git fsck",
                             git_oid_tostr_s(&id), git_errtext());
                rc = VB_ERR_IO;
                goto done;
        }
        pair_moves(w);
        sort_changes(h, rec->change_first);
        rec->nchanges = h->nchanges - rec->change_first;
done:
        release_held(w->held, &w->nheld);
        {
                struct held_tree *t = w->held;
                size_t cap = w->capheld;
                w->held = w->next, w->nheld = w->nnext, w->capheld = w->capnext;
                w->next = t, w->nnext = 0, w->capnext = cap;
        }
        return rc;
}

static void commit_record(struct vb_history_data *h, struct vb_hcommit *rec, const git_commit *c)
{
        const git_signature *a = git_commit_author(c);
        const char *summary = git_commit_summary((git_commit *)c);
        memset(rec, 0, sizeof(*rec));
        memcpy(rec->oid, git_commit_id(c)->id, 20);
        rec->time = (int64_t)git_commit_time(c);
        rec->offset = git_commit_time_offset(c);
        rec->subject =
            intern_redacted(&h->str, summary ? summary : "", summary ? strlen(summary) : 0);
        rec->author = a && a->name ? intern_redacted(&h->str, a->name, strlen(a->name)) : 0;
        rec->nparents = git_commit_parentcount(c);
}

static long cached_commit(const struct vb_history_data *h, const git_oid *id)
{
        /* newest first: a rerun finds its last commit at once */
        for (size_t i = h->ncommits; i-- > 0;)
                if (!memcmp(h->commits[i].oid, id->id, 20))
                        return (long)i;
        return -1;
}

/* Brings h->commits to the main line ending at `head`: keeps the cached
 * prefix, diffs the new commits.  *boundary is set for a shallow clone. */
static int walk_main_line(struct walk *w, git_commit *head, struct parse_queue *q,
                          size_t *processed, int *boundary, struct vb_diags *d)
{
        struct vb_history_data *h = w->h;
        git_commit **fresh = NULL, *c = NULL, *p = NULL;
        size_t nfresh = 0, capfresh = 0, keep = 0;
        struct vb_hobj *prev = NULL, *tree = NULL;
        int rc = VB_OK;

        *boundary = 0;
        /* a cached shallow history whose boundary has been deepened is stale */
        if (h->ncommits && h->commits[0].nparents > 0) {
                git_commit *first = NULL, *parent = NULL;
                git_oid id;
                git_oid_fromraw(&id, h->commits[0].oid);
                if (git_commit_lookup(&first, w->repo, &id) < 0 ||
                    git_commit_parent(&parent, first, 0) == 0)
                        vb_hdata_truncate(h, 0);
                git_commit_free(parent);
                git_commit_free(first);
        }
        if (git_commit_dup(&c, head) < 0) {
                rc = VB_ERR_IO;
                goto done;
        }
        for (;;) {
                long k = cached_commit(h, git_commit_id(c));
                if (k >= 0) {
                        keep = (size_t)k + 1;
                        git_commit_free(c);
                        c = NULL;
                        break;
                }
                fresh = vb_grow_array(fresh, &capfresh, nfresh + 1, sizeof(*fresh));
                fresh[nfresh++] = c;
                if (git_commit_parentcount(c) == 0) {
                        c = NULL;
                        break;
                }
                if (git_commit_parent(&p, c, 0) < 0) {
                        c = NULL;
                        if (git_repository_is_shallow(w->repo)) {
                                *boundary = 1;
                                break;
                        }
                        vb_diags_add(d, "", 0, 0, VB_SEV_ERROR, "unreadable",
                                     "a parent of commit %s is missing (%s); run git fsck",
                                     git_oid_tostr_s(git_commit_id(fresh[nfresh - 1])),
                                     git_errtext());
                        rc = VB_ERR_IO;
                        goto done;
                }
                c = p;
                p = NULL;
        }
        /* only the cached prefix still on the main line is kept (and persisted) */
        vb_hdata_truncate(h, keep);
        if (keep > 0) {
                git_commit *last = NULL;
                git_oid id;
                git_oid_fromraw(&id, h->commits[keep - 1].oid);
                if (git_commit_lookup(&last, w->repo, &id) < 0 ||
                    !(prev = read_tree(w, git_commit_tree_id(last)))) {
                        git_commit_free(last);
                        vb_diags_add(d, "", 0, 0, VB_SEV_ERROR, "unreadable",
                                     "cannot read commit %s (%s)", git_oid_tostr_s(&id),
                                     git_errtext());
                        rc = VB_ERR_IO;
                        goto done;
                }
                git_commit_free(last);
        }
        while (nfresh > 0) {
                git_commit *cur = fresh[--nfresh];
                struct vb_hcommit rec;
                commit_record(h, &rec, cur);
                if (!(tree = read_tree(w, git_commit_tree_id(cur)))) {
                        git_commit_free(cur);
                        vb_diags_add(d, "", 0, 0, VB_SEV_ERROR, "unreadable",
                                     "cannot read the tree of a commit (%s)", git_errtext());
                        rc = VB_ERR_IO;
                        goto done;
                }
                git_commit_free(cur);
                rc = diff_commit(w, prev, tree, &rec, d);
                if (rc < 0)
                        goto done;
                h->commits =
                    vb_grow_array(h->commits, &h->capcommits, h->ncommits + 1, sizeof(*h->commits));
                h->commits[h->ncommits++] = rec;
                vb_hobj_release(prev);
                prev = tree;
                tree = NULL;
                (*processed)++;
                parse_queue_push(q, h);
        }
done:
        while (nfresh > 0)
                git_commit_free(fresh[--nfresh]);
        free(fresh);
        git_commit_free(c);
        vb_hobj_release(prev);
        vb_hobj_release(tree);
        return rc;
}

/* ---- replay: counts by deltas ---- */

struct theme_acc {
        size_t first_commit;
        int32_t first_call_days;
        uint32_t first_call_path; /* string id */
        struct vb_history_change *changes;
        size_t nchanges, capchanges;
        struct vb_history_change pending;
        int touched;
        struct vb_history_rename *renames;
        size_t nrenames, caprenames;
};

struct snapshot {
        int64_t week;
        size_t seq;
        unsigned *counts; /* nthemes at the time */
        size_t ncounts;
        unsigned notes;
};

struct replay {
        struct vb_history_data *h;
        const struct vb_vocab *newest;
        struct vb_arena *arena;     /* the result's */
        struct vb_strtab theme_tab; /* theme key -> index + 1 */
        struct theme_acc *acc;
        size_t nacc, capacc;
        unsigned *cur;
        size_t capcur;
        uint32_t *live; /* per path string id: blob index + 1 */
        size_t nlive_slots;
        unsigned live_notes;
        uint32_t *set_a, *set_b; /* scratch theme sets */
        size_t cap_a, cap_b;
        uint32_t *touched;
        size_t ntouched, captouched;
};

/* The theme of a tag (string id), resolved once with the newest vocabulary. */
static int32_t tag_theme(struct replay *r, uint32_t tag)
{
        struct vb_history_data *h = r->h;
        if (h->tag_theme[tag] != -2)
                return h->tag_theme[tag];
        int alias = 0;
        const char *t = vb_vocab_theme(r->newest, r->arena, h->str.v[tag], &alias);
        int32_t id = -1;
        if (t) {
                size_t before = r->theme_tab.n ? r->theme_tab.n : 1;
                id = (int32_t)vb_strtab_intern(&r->theme_tab, t, strlen(t)) - 1;
                if ((size_t)id + 1 >= before) {
                        r->acc = vb_grow_array(r->acc, &r->capacc, r->nacc + 1, sizeof(*r->acc));
                        memset(&r->acc[r->nacc], 0, sizeof(*r->acc));
                        r->acc[r->nacc].first_commit = VB_HISTORY_NONE;
                        r->acc[r->nacc].first_call_days = INT32_MAX;
                        r->nacc++;
                        r->cur = vb_grow_array(r->cur, &r->capcur, r->nacc, sizeof(*r->cur));
                        r->cur[r->nacc - 1] = 0;
                }
        }
        h->tag_theme[tag] = id;
        h->tag_alias[tag] = (uint8_t)alias;
        return id;
}

/* The distinct themes of a blob (none unless a conversation) into *set. */
static size_t blob_themes(struct replay *r, uint32_t blob, uint32_t **set, size_t *cap)
{
        size_t n = 0;
        if (!blob)
                return 0;
        const struct vb_hblob *b = &r->h->blobs[blob - 1];
        if (!b->conversation)
                return 0;
        *set = vb_grow_array(*set, cap, b->ntags + 1, sizeof(**set));
        for (uint32_t i = 0; i < b->ntags; i++) {
                int32_t t = tag_theme(r, r->h->tagpool[b->tag_first + i]);
                if (t < 0)
                        continue;
                size_t k = 0;
                while (k < n && (*set)[k] != (uint32_t)t)
                        k++;
                if (k == n)
                        (*set)[n++] = (uint32_t)t;
        }
        return n;
}

static int in_set(const uint32_t *s, size_t n, uint32_t v)
{
        for (size_t i = 0; i < n; i++)
                if (s[i] == v)
                        return 1;
        return 0;
}

static struct vb_history_change *touch(struct replay *r, uint32_t t)
{
        if (!r->acc[t].touched) {
                r->acc[t].touched = 1;
                memset(&r->acc[t].pending, 0, sizeof(r->acc[t].pending));
                r->touched =
                    vb_grow_array(r->touched, &r->captouched, r->ntouched + 1, sizeof(*r->touched));
                r->touched[r->ntouched++] = t;
        }
        return &r->acc[t].pending;
}

static int id_cmp_paths(const char *a, const char *b)
{
        struct vb_buf x = VB_BUF_INIT, y = VB_BUF_INIT;
        vb_note_id_of(&x, a);
        vb_note_id_of(&y, b);
        int c = strcmp(x.ptr, y.ptr);
        vb_buf_release(&x);
        vb_buf_release(&y);
        return c;
}

static void add_rename(struct replay *r, uint32_t theme, const char *from, const char *to,
                       size_t commit, int vocab)
{
        struct theme_acc *a = &r->acc[theme];
        for (size_t i = 0; i < a->nrenames; i++)
                if (!strcmp(a->renames[i].from, from) && !strcmp(a->renames[i].to, to)) {
                        if (vocab)
                                a->renames[i].in_vocab = 1;
                        else
                                a->renames[i].in_notes = 1;
                        return;
                }
        a->renames =
            vb_grow_array(a->renames, &a->caprenames, a->nrenames + 1, sizeof(*a->renames));
        struct vb_history_rename *x = &a->renames[a->nrenames++];
        x->from = vb_arena_strdup(r->arena, from);
        x->to = vb_arena_strdup(r->arena, to);
        x->commit = commit;
        x->in_vocab = vocab;
        x->in_notes = !vocab;
}

/* A key of `old` that is no key of `new` but an alias of one: a rename. */
static void vocab_renames(struct replay *r, const struct vb_vocab *old, const struct vb_vocab *new,
                          size_t commit)
{
        if (!old || !new || !old->has_tags || !new->has_tags)
                return;
        for (size_t i = 0; i < old->ntags; i++) {
                int alias = 0;
                const struct vb_tag *t = vb_vocab_tag(new, old->tags[i].key, &alias);
                if (!t || !alias)
                        continue;
                int is_alias_now = 0;
                const char *theme = vb_vocab_theme(r->newest, r->arena, t->key, &is_alias_now);
                if (!theme)
                        continue;
                uint32_t tag = vb_strtab_intern(&r->h->str, t->key, strlen(t->key));
                r->h->tag_theme = vb_realloc(r->h->tag_theme, (r->h->str.n + 1) * sizeof(int32_t));
                r->h->tag_alias = vb_realloc(r->h->tag_alias, r->h->str.n + 1);
                r->h->tag_theme[tag] = -2;
                int32_t id = tag_theme(r, tag);
                if (id >= 0)
                        add_rename(r, (uint32_t)id, old->tags[i].key, t->key, commit, 1);
        }
}

/* A note whose tag went from an old key (an alias now, not before) to the key. */
static void note_renames(struct replay *r, const struct vb_hblob *o, const struct vb_hblob *n,
                         const struct vb_vocab *before, size_t commit)
{
        struct vb_history_data *h = r->h;
        for (uint32_t i = 0; i < o->ntags; i++) {
                uint32_t x = h->tagpool[o->tag_first + i];
                int gone = 1;
                for (uint32_t k = 0; gone && k < n->ntags; k++)
                        gone = h->tagpool[n->tag_first + k] != x;
                int32_t tx = gone ? tag_theme(r, x) : -1;
                if (tx < 0 || !h->tag_alias[x])
                        continue;
                if (before) {
                        int was_alias = 0;
                        if (vb_vocab_tag(before, h->str.v[x], &was_alias) && was_alias)
                                continue;
                }
                for (uint32_t k = 0; k < n->ntags; k++) {
                        uint32_t y = h->tagpool[n->tag_first + k];
                        if (tag_theme(r, y) == tx && !h->tag_alias[y] &&
                            !in_set(h->tagpool + o->tag_first, o->ntags, y))
                                add_rename(r, (uint32_t)tx, h->str.v[x], h->str.v[y], commit, 0);
                }
        }
}

static void apply_change(struct replay *r, const struct vb_hchange *c, size_t commit,
                         const struct vb_vocab *before)
{
        struct vb_history_data *h = r->h;
        size_t no = blob_themes(r, c->old_blob, &r->set_a, &r->cap_a);
        size_t nn = blob_themes(r, c->new_blob, &r->set_b, &r->cap_b);
        if (c->old_path) {
                r->live[c->old_path] = 0;
                r->live_notes--;
        }
        if (c->new_path) {
                r->live[c->new_path] = c->new_blob;
                r->live_notes++;
        }
        for (size_t i = 0; i < no; i++) {
                uint32_t t = r->set_a[i];
                if (c->new_blob && in_set(r->set_b, nn, t))
                        continue;
                r->cur[t]--;
                if (c->new_blob)
                        touch(r, t)->untagged++;
                else
                        touch(r, t)->removed++;
        }
        for (size_t i = 0; i < nn; i++) {
                uint32_t t = r->set_b[i];
                struct theme_acc *a = &r->acc[t];
                const struct vb_hblob *b = &h->blobs[c->new_blob - 1];
                if (b->days != INT32_MIN &&
                    (b->days < a->first_call_days ||
                     (b->days == a->first_call_days &&
                      id_cmp_paths(h->str.v[c->new_path], h->str.v[a->first_call_path]) < 0))) {
                        a->first_call_days = b->days;
                        a->first_call_path = c->new_path;
                }
                if (c->old_blob && in_set(r->set_a, no, t))
                        continue;
                r->cur[t]++;
                if (a->first_commit == VB_HISTORY_NONE)
                        a->first_commit = commit;
                if (c->old_blob)
                        touch(r, t)->tagged++;
                else
                        touch(r, t)->added++;
        }
        if (c->old_blob && c->new_blob && c->old_blob != c->new_blob)
                note_renames(r, &h->blobs[c->old_blob - 1], &h->blobs[c->new_blob - 1], before,
                             commit);
}

static void flush_commit(struct replay *r, size_t commit)
{
        for (size_t i = 0; i < r->ntouched; i++) {
                struct theme_acc *a = &r->acc[r->touched[i]];
                a->touched = 0;
                if (!a->pending.added && !a->pending.removed && !a->pending.tagged &&
                    !a->pending.untagged)
                        continue;
                a->pending.commit = commit;
                a->changes =
                    vb_grow_array(a->changes, &a->capchanges, a->nchanges + 1, sizeof(*a->changes));
                a->changes[a->nchanges++] = a->pending;
        }
        r->ntouched = 0;
}

static int snap_cmp(const void *a, const void *b)
{
        const struct snapshot *x = a, *y = b;
        if (x->week != y->week)
                return x->week < y->week ? -1 : 1;
        return x->seq < y->seq ? -1 : x->seq > y->seq;
}

struct theme_sort {
        const char *key;
        size_t index;
};

static int theme_sort_cmp(const void *a, const void *b)
{
        return strcmp(((const struct theme_sort *)a)->key, ((const struct theme_sort *)b)->key);
}

struct pair {
        uint32_t theme, customer;
        int64_t week;
};

/* Distinct customers counted with a mark per customer (string id): a new
 * stamp per count, no sorting. */
struct customer_marks {
        uint32_t *mark;
        uint32_t stamp;
};

static size_t distinct_customers(const struct pair *p, size_t n, uint32_t theme, int64_t from,
                                 int64_t to, struct customer_marks *m)
{
        size_t count = 0;
        uint32_t stamp = ++m->stamp;
        for (size_t i = 0; i < n; i++)
                if (p[i].theme == theme && p[i].week >= from && p[i].week <= to && p[i].customer &&
                    m->mark[p[i].customer] != stamp) {
                        m->mark[p[i].customer] = stamp;
                        count++;
                }
        return count;
}

static double share(const unsigned *theme, const unsigned *conv, long from, long to)
{
        unsigned long t = 0, c = 0;
        for (long i = from; i <= to; i++)
                if (i >= 0) {
                        t += theme[i];
                        c += conv[i];
                }
        return c ? (double)t / (double)c : 0.0;
}

static void build_result(struct vb_history *res, struct replay *r,
                         const struct vb_history_options *opt, int boundary, git_repository *repo)
{
        struct vb_history_data *h = r->h;
        struct vb_arena *A = &res->arena;
        struct snapshot *snaps = NULL;
        size_t nsnaps = 0, capsnaps = 0;
        struct vb_vocab *before = NULL;

        /* replay every commit */
        r->live = vb_calloc(h->str.n + 1, sizeof(*r->live));
        h->tag_theme = vb_malloc((h->str.n + 1) * sizeof(*h->tag_theme));
        h->tag_alias = vb_calloc(h->str.n + 1, 1);
        for (size_t i = 0; i <= h->str.n; i++)
                h->tag_theme[i] = -2;
        res->commits = vb_arena_alloc(A, (h->ncommits + 1) * sizeof(*res->commits));
        res->ncommits = h->ncommits;
        for (size_t i = 0; i < h->ncommits; i++) {
                const struct vb_hcommit *c = &h->commits[i];
                struct vb_history_commit *o = &res->commits[i];
                git_oid id;
                git_oid_fromraw(&id, c->oid);
                git_oid_tostr(o->id, sizeof(o->id), &id);
                o->time = c->time;
                o->offset = c->offset;
                o->week = week_of_time(c->time);
                o->subject = c->subject ? h->str.v[c->subject] : "";
                o->author = c->author ? h->str.v[c->author] : "";
        }
        res->shown = h->ncommits ? h->ncommits - 1 : 0;
        if (boundary && h->ncommits)
                res->shallow_boundary = res->commits[0].id;

        for (size_t i = 0; i < h->ncommits; i++) {
                const struct vb_hcommit *c = &h->commits[i];
                struct vb_vocab *now = NULL;
                if (c->vocab_changed) {
                        static const unsigned char zero[20];
                        if (memcmp(c->vocab_oid, zero, 20))
                                now = vocab_from_blob(repo, c->vocab_oid);
                }
                for (uint64_t k = 0; k < c->nchanges; k++)
                        apply_change(r, &h->changes[c->change_first + k], i, before);
                if (c->vocab_changed) {
                        vocab_renames(r, before, now, i);
                        vb_vocab_free(before);
                        before = now;
                }
                flush_commit(r, i);
                int64_t w = res->commits[i].week;
                if (i + 1 == h->ncommits || res->commits[i + 1].week != w) {
                        snaps = vb_grow_array(snaps, &capsnaps, nsnaps + 1, sizeof(*snaps));
                        struct snapshot *s = &snaps[nsnaps++];
                        s->week = w;
                        s->seq = i;
                        s->ncounts = r->nacc;
                        s->counts = vb_calloc(r->nacc + 1, sizeof(*s->counts));
                        if (r->nacc)
                                memcpy(s->counts, r->cur, r->nacc * sizeof(*s->counts));
                        s->notes = r->live_notes;
                }
        }
        vb_vocab_free(before);
        if (nsnaps > 1)
                qsort(snaps, nsnaps, sizeof(*snaps), snap_cmp);

        /* the notes at the revision shown */
        res->as_of = vb_date_is_set(opt->as_of) ? opt->as_of
                     : h->ncommits
                         ? vb_date_from_days(floor_div(h->commits[h->ncommits - 1].time, 86400))
                         : vb_date_today();
        int64_t last_week = vb_week_index(res->as_of);
        int32_t as_of_days = (int32_t)vb_date_days(res->as_of);
        int64_t first_week = h->ncommits ? res->commits[0].week : last_week;
        struct pair *pairs = NULL;
        size_t npairs = 0, cappairs = 0;
        uint32_t *set = NULL;
        size_t capset = 0;
        for (size_t p = 1; p < h->str.n; p++) {
                if (!r->live[p])
                        continue;
                const struct vb_hblob *b = &h->blobs[r->live[p] - 1];
                res->notes_now++;
                res->notes_with_errors += b->errors;
                if (!b->conversation)
                        continue;
                res->conversations_now++;
                if (b->days == INT32_MIN || b->days > as_of_days)
                        continue;
                int64_t w = vb_week_index(vb_date_from_days(b->days));
                if (w < first_week && w > last_week - VB_MAX_WEEKS)
                        first_week = w;
        }
        if (vb_date_is_set(opt->since) && vb_week_index(opt->since) > first_week)
                first_week = vb_week_index(opt->since);
        size_t nweeks = last_week >= first_week ? (size_t)(last_week - first_week + 1) : 0;
        res->first_week = first_week;
        res->nweeks = nweeks;
        res->conversations_by_call = vb_arena_alloc(A, (nweeks + 1) * sizeof(unsigned));
        res->notes_by_commit = vb_arena_alloc(A, (nweeks + 1) * sizeof(unsigned));

        /* themes sorted by key */
        res->nthemes = r->nacc;
        res->themes = vb_arena_alloc(A, (r->nacc + 1) * sizeof(*res->themes));
        struct theme_sort *order = vb_calloc(r->nacc + 1, sizeof(*order));
        size_t *slot_of = vb_calloc(r->nacc + 1, sizeof(*slot_of));
        for (size_t t = 0; t < r->nacc; t++) {
                order[t].key = r->theme_tab.v[t + 1];
                order[t].index = t;
        }
        qsort(order, r->nacc, sizeof(*order), theme_sort_cmp);
        h->theme_keys = vb_calloc(r->nacc + 1, sizeof(*h->theme_keys));
        h->nthemes = r->nacc;
        for (size_t s = 0; s < r->nacc; s++) {
                size_t t = order[s].index;
                struct vb_history_theme *x = &res->themes[s];
                struct theme_acc *a = &r->acc[t];
                slot_of[t] = s;
                x->key = vb_arena_strdup(A, order[s].key);
                h->theme_keys[t] = x->key;
                x->label = vb_arena_strdup(A, vb_vocab_theme_label(r->newest, x->key));
                x->first_commit = a->first_commit;
                if (a->first_call_days != INT32_MAX) {
                        struct vb_buf id = VB_BUF_INIT;
                        vb_note_id_of(&id, h->str.v[a->first_call_path]);
                        x->first_call_id = vb_arena_strdup(A, id.ptr);
                        vb_buf_release(&id);
                        x->first_call_date = vb_date_from_days(a->first_call_days);
                }
                x->by_commit = vb_arena_alloc(A, (nweeks + 1) * sizeof(unsigned));
                x->by_call = vb_arena_alloc(A, (nweeks + 1) * sizeof(unsigned));
                x->changes = vb_arena_alloc(A, (a->nchanges + 1) * sizeof(*x->changes));
                if (a->nchanges)
                        memcpy(x->changes, a->changes, a->nchanges * sizeof(*x->changes));
                x->nchanges = a->nchanges;
                x->renames = vb_arena_alloc(A, (a->nrenames + 1) * sizeof(*x->renames));
                if (a->nrenames)
                        memcpy(x->renames, a->renames, a->nrenames * sizeof(*x->renames));
                x->nrenames = a->nrenames;
                x->notes_now = r->cur[t];
        }
        /* by commit: the last snapshot at or before each week */
        size_t sp = 0;
        const struct snapshot *carry = NULL;
        while (sp < nsnaps && snaps[sp].week < first_week)
                carry = &snaps[sp++];
        for (size_t w = 0; w < nweeks; w++) {
                while (sp < nsnaps && snaps[sp].week <= first_week + (int64_t)w)
                        carry = &snaps[sp++];
                if (!carry)
                        continue;
                res->notes_by_commit[w] = carry->notes;
                for (size_t t = 0; t < carry->ncounts; t++)
                        res->themes[slot_of[t]].by_commit[w] = carry->counts[t];
        }
        /* by call date, customers, first calls at the revision shown */
        int64_t *first_seen = vb_calloc(r->nacc + 1, sizeof(*first_seen));
        for (size_t t = 0; t < r->nacc; t++)
                first_seen[t] = INT64_MAX;
        struct pair *now_pairs = NULL;
        size_t nnow = 0, capnow = 0;
        for (size_t p = 1; p < h->str.n; p++) {
                if (!r->live[p])
                        continue;
                const struct vb_hblob *b = &h->blobs[r->live[p] - 1];
                size_t n = blob_themes(r, r->live[p], &set, &capset);
                for (size_t k = 0; k < n; k++) {
                        now_pairs = vb_grow_array(now_pairs, &capnow, nnow + 1, sizeof(*now_pairs));
                        now_pairs[nnow++] = (struct pair){set[k], b->customer, 0};
                }
                if (!b->conversation || b->days == INT32_MIN || b->days > as_of_days)
                        continue;
                int64_t w = vb_week_index(vb_date_from_days(b->days));
                long slot = vb_history_week_slot(res, w);
                if (slot >= 0)
                        res->conversations_by_call[slot]++;
                for (size_t k = 0; k < n; k++) {
                        if (slot >= 0)
                                res->themes[slot_of[set[k]]].by_call[slot]++;
                        if (w < first_seen[set[k]])
                                first_seen[set[k]] = w;
                        pairs = vb_grow_array(pairs, &cappairs, npairs + 1, sizeof(*pairs));
                        pairs[npairs++] = (struct pair){set[k], b->customer, w};
                }
        }
        struct customer_marks marks = {vb_calloc(h->str.n + 1, sizeof(uint32_t)), 0};
        {
                /* the customers of each theme, grouped by theme */
                size_t *at = vb_calloc(r->nacc + 2, sizeof(*at));
                uint32_t *cust = vb_malloc((nnow + 1) * sizeof(*cust));
                for (size_t i = 0; i < nnow; i++)
                        at[now_pairs[i].theme + 1]++;
                for (size_t t = 1; t <= r->nacc; t++)
                        at[t] += at[t - 1];
                for (size_t i = 0; i < nnow; i++)
                        cust[at[now_pairs[i].theme]++] = now_pairs[i].customer;
                for (size_t t = 0, i = 0; t < r->nacc; t++) {
                        uint32_t stamp = ++marks.stamp;
                        for (; i < at[t]; i++)
                                if (cust[i] && marks.mark[cust[i]] != stamp) {
                                        marks.mark[cust[i]] = stamp;
                                        res->themes[slot_of[t]].customers_now++;
                                }
                }
                free(cust);
                free(at);
        }
        /* emerging and trend: shares over whole weeks ending at the as-of week,
         * counted over every week (also before the series' first week) */
        {
                int64_t span_first = last_week - 33;
                size_t span = 34;
                unsigned *conv = vb_calloc(span, sizeof(*conv));
                unsigned *cnt = vb_calloc(span * (r->nacc + 1), sizeof(*cnt));
                for (size_t p = 1; p < h->str.n; p++) {
                        if (!r->live[p])
                                continue;
                        const struct vb_hblob *b = &h->blobs[r->live[p] - 1];
                        if (!b->conversation || b->days == INT32_MIN || b->days > as_of_days)
                                continue;
                        int64_t w = vb_week_index(vb_date_from_days(b->days));
                        if (w < span_first)
                                continue;
                        size_t s = (size_t)(w - span_first);
                        conv[s]++;
                        size_t n = blob_themes(r, r->live[p], &set, &capset);
                        for (size_t k = 0; k < n; k++)
                                cnt[set[k] * span + s]++;
                }
                size_t heard = 0, conv_recent = 0, conv_before = 0;
                for (size_t t = 0; t < r->nacc; t++)
                        heard += first_seen[t] != INT64_MAX;
                for (size_t i = 0; i < span; i++)
                        *(i >= span - VB_TREND_RECENT_WEEKS ? &conv_recent : &conv_before) +=
                            conv[i];
                for (size_t t = 0; t < r->nacc; t++) {
                        struct vb_history_theme *x = &res->themes[slot_of[t]];
                        const unsigned *c = cnt + t * span;
                        struct vb_trend_counts tc = {conv_recent, conv_before, 0, 0,
                                                     0,           0,           0, heard};
                        x->share_recent4 = share(c, conv, 30, 33);
                        x->share_prior12 = share(c, conv, 18, 29);
                        x->share_recent8 = share(c, conv, 26, 33);
                        x->share_prior26 = share(c, conv, 0, 25);
                        for (size_t i = 0; i < span; i++)
                                *(i >= span - VB_TREND_RECENT_WEEKS ? &tc.recent_notes
                                                                    : &tc.before_notes) += c[i];
                        tc.heard_before = first_seen[t] != INT64_MAX &&
                                          first_seen[t] < last_week - (VB_TREND_RECENT_WEEKS - 1);
                        tc.recent_customers = distinct_customers(
                            pairs, npairs, (uint32_t)t, last_week - (VB_TREND_RECENT_WEEKS - 1),
                            last_week, &marks);
                        tc.before_customers =
                            distinct_customers(pairs, npairs, (uint32_t)t, span_first,
                                               last_week - VB_TREND_RECENT_WEEKS, &marks);
                        vb_trend_test(&x->trend, &tc);
                        x->customers_recent = tc.recent_customers;
                        x->emerging = vb_trend_is_emerging(&x->trend);
                        x->fading = x->trend.verdict == VB_TREND_FADING;
                }
                free(conv);
                free(cnt);
        }
        free(marks.mark);
        free(first_seen);
        free(now_pairs);
        free(pairs);
        free(set);
        free(order);
        free(slot_of);
        for (size_t i = 0; i < nsnaps; i++)
                free(snaps[i].counts);
        free(snaps);
}

long vb_history_week_slot(const struct vb_history *h, int64_t week)
{
        if (week < h->first_week || week >= h->first_week + (int64_t)h->nweeks)
                return -1;
        return (long)(week - h->first_week);
}

const struct vb_history_theme *vb_history_theme(const struct vb_history *h, const char *key)
{
        for (size_t i = 0; i < h->nthemes; i++)
                if (!strcmp(h->themes[i].key, key))
                        return &h->themes[i];
        return NULL;
}

static void replay_release(struct replay *r)
{
        for (size_t t = 0; t < r->nacc; t++) {
                free(r->acc[t].changes);
                free(r->acc[t].renames);
        }
        free(r->acc);
        free(r->cur);
        free(r->live);
        free(r->set_a);
        free(r->set_b);
        free(r->touched);
        vb_strtab_release(&r->theme_tab);
}

/* ---- the entry point ---- */

static void normalize_dir(struct vb_buf *out, const char *dir)
{
        while (!strncmp(dir, "./", 2))
                dir += 2;
        vb_buf_adds(out, *dir ? dir : ".");
        while (out->len > 1 && out->ptr[out->len - 1] == '/')
                vb_buf_truncate(out, out->len - 1);
}

int vb_history_load(struct vb_history **out, const char *path, const struct vb_history_options *opt,
                    struct vb_diags *d)
{
        static const struct vb_history_options defaults = {0};
        struct vb_source *src = NULL;
        struct vb_history *res = NULL;
        struct vb_history_data *h = vb_calloc(1, sizeof(*h));
        struct vb_vocab *newest = NULL, *check_vocab = NULL;
        git_object *obj = NULL;
        git_commit *head = NULL;
        struct vb_buf buf = VB_BUF_INIT, key = VB_BUF_INIT, cache_path = VB_BUF_INIT;
        struct walk w = {.path = VB_BUF_INIT};
        struct replay r = {0};
        int rc, boundary = 0;
        size_t processed = 0;

        *out = NULL;
        if (!opt)
                opt = &defaults;
        const char *rev = opt->rev ? opt->rev : "HEAD";
        rc = vb_source_open_rev(&src, path, rev, d);
        if (rc < 0)
                goto done;
        git_repository *repo = vb_source_repository(src);
        if (git_revparse_single(&obj, repo, rev) < 0 ||
            git_object_peel((git_object **)&head, obj, GIT_OBJECT_COMMIT) < 0) {
                vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "bad-revision",
                             "'%s' names no commit (%s); give a branch, tag or commit", rev,
                             git_errtext());
                rc = VB_ERR;
                goto done;
        }
        if (vb_source_read(src, "verbatim.yml", &buf, d) == VB_OK)
                vb_vocab_load(&newest, "verbatim.yml", buf.ptr, buf.len, d);
        if (!newest)
                newest = vb_vocab_default();

        /* what the cached data depends on */
        vb_buf_addf(&key, "themes-key=%s\n", newest->themes_key ? newest->themes_key : "tags");
        w.repo = repo;
        if (git_repository_odb(&w.odb, repo) < 0) {
                vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "unreadable",
                             "cannot open the object database (%s)", git_errtext());
                rc = VB_ERR_IO;
                goto done;
        }
        w.h = h;
        w.dirs = vb_calloc(newest->nnotes + 2, sizeof(*w.dirs));
        for (size_t i = 0; i < newest->nnotes; i++) {
                struct vb_buf n = VB_BUF_INIT;
                normalize_dir(&n, newest->notes[i]);
                vb_buf_addf(&key, "notes=%s\n", n.ptr);
                w.dirs[w.ndirs++] = vb_buf_detach(&n, NULL);
        }
        if (!w.ndirs)
                w.dirs[w.ndirs++] = vb_strdup(".");

        vb_buf_adds(&cache_path, git_repository_commondir(repo));
        if (cache_path.len && cache_path.ptr[cache_path.len - 1] != '/')
                vb_buf_addc(&cache_path, '/');
        vb_buf_adds(&cache_path, "verbatim/history.cache");
        res = vb_calloc(1, sizeof(*res));
        if (!opt->no_cache) {
                int read = vb_hcache_read(h, cache_path.ptr, key.ptr);
                res->stats.cache_read = read >= 0;
                if (read < 0 && access(cache_path.ptr, F_OK) == 0)
                        vb_diags_add(d, cache_path.ptr, 0, 0, VB_SEV_NOTE, "cache",
                                     "the history cache is stale or damaged; rebuilding it");
                else if (read > 0)
                        vb_diags_add(d, cache_path.ptr, 0, 0, VB_SEV_NOTE, "cache",
                                     "the end of the history cache is damaged (an interrupted "
                                     "run?); repairing it");
        }
        /* git itself does not hash every object it reads, and libgit2's check
         * would cost a third of the run (each notes folder is a large tree) */
        git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
        {
                struct vb_buf objects = VB_BUF_INIT;
                vb_buf_adds(&objects, git_repository_commondir(repo));
                if (objects.len && objects.ptr[objects.len - 1] != '/')
                        vb_buf_addc(&objects, '/');
                vb_buf_adds(&objects, "objects");
                vb_hpack_open(&w.pack, objects.ptr);
                vb_buf_release(&objects);
        }
        struct parse_queue q;
        struct note_check check = {NULL, vb_date_today()};
        if (opt->check_notes) {
                struct vb_diags ignored = VB_DIAGS_INIT;
                check_vocab = vb_kb_load_vocab(src, &ignored);
                check.vocab = check_vocab;
                vb_hcheck_key(h->clean_key, src);
                vb_diags_release(&ignored);
        }
        parse_queue_init(&q, git_repository_path(repo), newest->themes_key, &check, w.pack,
                         opt->threads);
        rc = walk_main_line(&w, head, &q, &processed, &boundary, d);
        res->stats.blobs_parsed = parse_queue_finish(&q, rc == VB_OK ? h : NULL);
        /* the trees and delta bases are no longer needed: freed before the
         * replay, not kept to the end */
        vb_hpack_free(w.pack);
        w.pack = NULL;
        release_held(w.held, &w.nheld);
        release_held(w.next, &w.nnext);
        git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 1);
        if (rc < 0)
                goto done;
        res->stats.commits = h->ncommits;
        res->stats.commits_processed = processed;
        res->stats.blobs = h->nblobs;
        if (!opt->no_cache) {
                if (!res->stats.cache_read) {
                        struct vb_buf dir = VB_BUF_INIT;
                        vb_buf_add(&dir, cache_path.ptr, cache_path.len - strlen("/history.cache"));
                        mkdir(dir.ptr, 0777);
                        vb_buf_release(&dir);
                }
                struct vb_diags ignored = VB_DIAGS_INIT;
                /* writes nothing when nothing is new; a read-only repository
                 * still gets its history, uncached */
                res->stats.cache_written =
                    vb_hcache_write(h, cache_path.ptr, key.ptr, &ignored) > 0;
                vb_diags_release(&ignored);
        }

        r.h = h;
        r.newest = newest;
        r.arena = &res->arena;
        build_result(res, &r, opt, boundary, repo);
        res->data = h;
        h = NULL;
        *out = res;
        res = NULL;
        rc = VB_OK;
done:
        replay_release(&r);
        if (h)
                vb_hdata_release(h);
        free(h);
        if (res)
                vb_history_free(res);
        for (size_t i = 0; i < w.ndirs; i++)
                free(w.dirs[i]);
        free(w.dirs);
        release_held(w.held, &w.nheld);
        release_held(w.next, &w.nnext);
        free(w.held);
        vb_hpack_free(w.pack);
        if (src) /* else libgit2 may not even be loaded */
                git_odb_free(w.odb);
        free(w.next);
        free(w.del);
        free(w.add);
        vb_buf_release(&w.path);
        vb_vocab_free(newest);
        vb_vocab_free(check_vocab);
        if (src) {
                git_commit_free(head);
                git_object_free(obj);
        }
        vb_source_free(src);
        vb_buf_release(&buf);
        vb_buf_release(&key);
        vb_buf_release(&cache_path);
        return rc;
}

void vb_history_free(struct vb_history *h)
{
        if (!h)
                return;
        if (h->data) {
                vb_hdata_release(h->data);
                free(h->data);
        }
        vb_arena_release(&h->arena);
        free(h);
}

/* ---- one note ---- */

static int stem_is(const char *path, const char *id)
{
        struct vb_buf s = VB_BUF_INIT;
        vb_note_id_of(&s, path);
        int eq = !strcmp(s.ptr, id);
        vb_buf_release(&s);
        return eq;
}

static size_t resolved(const struct vb_history_data *h, uint32_t blob, const char ***out,
                       struct vb_arena *a)
{
        size_t n = 0;
        *out = NULL;
        if (!blob)
                return 0;
        const struct vb_hblob *b = &h->blobs[blob - 1];
        *out = vb_arena_alloc(a, (b->ntags + 1) * sizeof(**out));
        if (!b->conversation)
                return 0;
        for (uint32_t i = 0; i < b->ntags; i++) {
                uint32_t tag = h->tagpool[b->tag_first + i];
                int32_t t = h->tag_theme ? h->tag_theme[tag] : -1;
                if (t < 0)
                        continue;
                const char *key = h->theme_keys[t];
                size_t k = 0;
                while (k < n && strcmp((*out)[k], key))
                        k++;
                if (k == n)
                        (*out)[n++] = key;
        }
        return n;
}

static int has(const char **v, size_t n, const char *s)
{
        for (size_t i = 0; i < n; i++)
                if (!strcmp(v[i], s))
                        return 1;
        return 0;
}

int vb_history_note(struct vb_note_history **out, const struct vb_history *hist, const char *id)
{
        const struct vb_history_data *h = hist->data;
        struct vb_note_history *nh = vb_calloc(1, sizeof(*nh));
        uint8_t *tracked = vb_calloc(h->str.n + 1, 1);
        size_t cap = 0;
        nh->id = vb_arena_strdup(&nh->arena, id);
        for (size_t i = 0; i < h->ncommits; i++) {
                const struct vb_hcommit *c = &h->commits[i];
                for (uint64_t k = 0; k < c->nchanges; k++) {
                        const struct vb_hchange *ch = &h->changes[c->change_first + k];
                        int old_t = ch->old_path && tracked[ch->old_path];
                        int new_t = ch->new_path && (old_t || stem_is(h->str.v[ch->new_path], id));
                        if (!old_t && !new_t)
                                continue;
                        struct vb_note_event e = {0};
                        e.commit = i;
                        if (old_t)
                                tracked[ch->old_path] = 0;
                        if (new_t)
                                tracked[ch->new_path] = 1;
                        if (!ch->new_path) {
                                e.kind = VB_NOTE_REMOVED;
                                e.path = h->str.v[ch->old_path];
                        } else if (!old_t) {
                                e.kind = VB_NOTE_ADDED;
                                e.path = h->str.v[ch->new_path];
                        } else if (ch->old_path != ch->new_path) {
                                e.kind = VB_NOTE_MOVED;
                                e.path = h->str.v[ch->new_path];
                                e.old_path = h->str.v[ch->old_path];
                        } else {
                                e.kind = VB_NOTE_EDITED;
                                e.path = h->str.v[ch->new_path];
                        }
                        e.content_changed = ch->old_blob != ch->new_blob || !old_t;
                        const char **before, **after;
                        size_t nb = resolved(h, old_t ? ch->old_blob : 0, &before, &nh->arena);
                        size_t na = resolved(h, ch->new_blob, &after, &nh->arena);
                        e.themes_added = vb_arena_alloc(&nh->arena, (na + 1) * sizeof(char *));
                        e.themes_removed = vb_arena_alloc(&nh->arena, (nb + 1) * sizeof(char *));
                        for (size_t x = 0; x < na; x++)
                                if (!has(before, nb, after[x]))
                                        e.themes_added[e.nthemes_added++] = after[x];
                        for (size_t x = 0; x < nb; x++)
                                if (!has(after, na, before[x]))
                                        e.themes_removed[e.nthemes_removed++] = before[x];
                        if (ch->new_blob) {
                                const struct vb_hblob *b = &h->blobs[ch->new_blob - 1];
                                e.tags =
                                    vb_arena_alloc(&nh->arena, (b->ntags + 1) * sizeof(char *));
                                for (uint32_t x = 0; x < b->ntags; x++)
                                        e.tags[e.ntags++] = h->str.v[h->tagpool[b->tag_first + x]];
                        }
                        nh->events =
                            vb_grow_array(nh->events, &cap, nh->nevents + 1, sizeof(*nh->events));
                        nh->events[nh->nevents++] = e;
                }
        }
        free(tracked);
        *out = nh;
        return VB_OK;
}

void vb_note_history_free(struct vb_note_history *nh)
{
        if (!nh)
                return;
        free(nh->events);
        vb_arena_release(&nh->arena);
        free(nh);
}
