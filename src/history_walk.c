/* History: walk the first-parent main line, diff trees, parse each blob once
 * (see history.h; the shared structures in history_int.h). */
#include "git.h"
#include "history_int.h"
#include "verbatim/check.h"
#include "verbatim/note.h"
#include "verbatim/pii.h"
#include "verbatim/source.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- small helpers ---- */

static int is_regular(uint16_t mode)
{
        return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE;
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

/* ---- parsing blobs in parallel ---- */

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

void vb_hist_parse_init(struct parse_queue *q, const char *gitdir, const char *themes_key,
                        const struct note_check *check, const struct vb_hpack *pack, int threads)
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

size_t vb_hist_parse_finish(struct parse_queue *q, struct vb_history_data *h)
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

static void add_change(struct vb_history_data *h, const struct vb_hchange *c)
{
        h->changes =
            vb_grow_array(h->changes, &h->capchanges, h->nchanges + 1, sizeof(*h->changes));
        h->changes[h->nchanges++] = *c;
}

void vb_hist_release_held(struct held_tree *t, size_t *n)
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
                             git_oid_tostr_s(&id), vb_hist_git_errtext());
                rc = VB_ERR_IO;
                goto done;
        }
        pair_moves(w);
        sort_changes(h, rec->change_first);
        rec->nchanges = h->nchanges - rec->change_first;
done:
        vb_hist_release_held(w->held, &w->nheld);
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

int vb_hist_walk(struct walk *w, git_commit *head, struct parse_queue *q, size_t *processed,
                 int *boundary, struct vb_diags *d)
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
                                     vb_hist_git_errtext());
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
                                     vb_hist_git_errtext());
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
                                     "cannot read the tree of a commit (%s)",
                                     vb_hist_git_errtext());
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
