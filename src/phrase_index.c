/* The phrase index of a knowledge base: notes to records, the cache, and the
 * index file's place (rules in include/verbatim/phrase_index.h). */
#include "verbatim/phrase_index.h"
#include "git.h"
#include "verbatim/filecache.h"
#include "verbatim/kb.h"
#include "verbatim/outdir.h"
#include "verbatim/pii.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A note seen by a worker: its record, and whether it is a conversation. */
struct seen {
        struct vb_pnote *rec;
        int conversation;
};

struct build {
        pthread_mutex_t lock;
        const struct vb_phrase_index *prev; /* NULL: nothing to reuse */
        struct seen *seen;                  /* parsed notes, in no particular order */
        size_t nseen, capseen;
        struct vb_pnotes reused;         /* records taken from prev */
        struct vb_pnotes skipped;        /* notes that are no conversation (oid, date, follows) */
        struct vb_pnotes reused_skipped; /* those taken from prev, with their path and id */
        /* the file cache (filecache.h): the one read (NULL: none), the one
         * made (NULL: none is made, not a folder source) */
        struct vb_source *src;
        const struct vb_filecache *files_in;
        struct vb_filecache *files_out;
        uint64_t racy_ns;              /* files with times from then on are not cached */
        struct vb_filecache seen_stat; /* every file's metadata (oid unset) */
};

/* The reading hook (kb worker threads): a file whose metadata the file
 * cache holds is not read. */
static int known_oid(void *ctx, const char *path, unsigned char oid[20])
{
        struct build *b = ctx;
        struct vb_file_stat st;
        static const unsigned char none[20];
        const unsigned char *o;
        if (vb_source_stat(b->src, path, &st) != VB_OK)
                return 0;
        o = b->files_in ? vb_filecache_find(b->files_in, path, &st) : NULL;
        pthread_mutex_lock(&b->lock);
        vb_filecache_add(&b->seen_stat, path, &st, none);
        pthread_mutex_unlock(&b->lock);
        if (!o)
                return 0;
        memcpy(oid, o, 20);
        return 1;
}

/* What the index keeps of a note that is no conversation. */
static struct vb_pnote *skip_record(const struct vb_pnote *rec)
{
        struct vb_pnote *n = vb_pnote_new(NULL, NULL, rec->oid, rec->date, NULL);
        vb_pnote_set_follows(n, rec->follows, rec->follows_line, rec->follows_col);
        return n;
}

/* A copy of a previous record under the note's current path and id. */
static struct vb_pnote *moved_clone(const struct vb_pnote *rec, const char *path)
{
        struct vb_pnote *copy = vb_pnote_clone(rec);
        struct vb_buf id = VB_BUF_INIT;
        vb_note_id_of(&id, path);
        free(copy->id);
        free(copy->path);
        copy->id = vb_buf_detach(&id, NULL);
        copy->path = vb_strdup(path);
        return copy;
}

/* The cache hook (kb worker threads). */
static int reuse_note(void *ctx, const char *path, const unsigned char oid[20])
{
        struct build *b = ctx;
        const struct vb_pnote *rec;
        struct vb_pnotes *into;
        if (!b->prev)
                return 0; /* called all the same: the kb records content ids */
        rec = vb_pnotes_find_oid(&b->prev->notes, oid);
        into = &b->reused;
        if (!rec) {
                rec = vb_phrase_index_skipped(b->prev, oid);
                into = &b->reused_skipped;
        }
        if (!rec || rec->errors)
                return 0;
        struct vb_pnote *copy = moved_clone(rec, path);
        pthread_mutex_lock(&b->lock);
        vb_pnotes_add(into, copy);
        pthread_mutex_unlock(&b->lock);
        return 1;
}

/* A parsed note to its record (kb worker threads); the note is not kept. */
static int record_note(void *ctx, struct vb_note *n, const struct vb_vocab *v, struct vb_diags *d)
{
        struct build *b = ctx;
        struct vb_pnote *rec;
        struct vb_buf text = VB_BUF_INIT;
        size_t i, j;
        int conversation = vb_note_is_conversation(n);

        /* an unknown segment counts as "unknown", as in the report */
        rec = vb_pnote_new(n->id, n->path, NULL, n->date, vb_phrase_segment(v, n));
        rec->errors = (unsigned)d->errors;
        vb_pnote_set_follows(rec, n->follows.value, n->follows.pos.line, n->follows.pos.col);
        vb_pnote_set_tier(rec, vb_vocab_ltv_tier(v, n->has_ltv, n->ltv));
        for (i = 0; i < n->nproducts; i++) {
                const char *id = n->products[i].value;
                const struct vb_product *p = id ? vb_vocab_product(v, id) : NULL;
                vb_pnote_add_product(rec, id, p ? p->line : NULL);
        }
        if (conversation) {
                for (i = 0; i < n->nthemes; i++)
                        vb_pnote_add_theme(rec, n->themes[i]);
                for (i = 0; i < n->nquotes; i++) {
                        const char **themes;
                        size_t nthemes = vb_quote_themes(n, i, &themes, n->arena);
                        struct vb_pquote *q;
                        vb_buf_reset(&text);
                        vb_pii_redact(&text, n->quotes[i].text, strlen(n->quotes[i].text));
                        q = vb_pnote_add_quote(rec, text.ptr, n->quotes[i].pos.line);
                        for (j = 0; j < nthemes; j++)
                                vb_pquote_add_theme(q, themes[j]);
                }
        }
        vb_buf_release(&text);
        pthread_mutex_lock(&b->lock);
        b->seen = vb_grow_array(b->seen, &b->capseen, b->nseen + 1, sizeof *b->seen);
        b->seen[b->nseen].rec = rec;
        b->seen[b->nseen].conversation = conversation;
        b->nseen++;
        pthread_mutex_unlock(&b->lock);
        return 0;
}

static int cmp_seen(const void *a, const void *b)
{
        return strcmp(((const struct seen *)a)->rec->path, ((const struct seen *)b)->rec->path);
}

/* The rules across notes, over the parsed notes and those reused from the
 * cache (which the kb did not see): their id, path, date and follows:.  A
 * reused note found with errors now says so in its record, as a parsed one
 * would; a reused one that is no conversation is kept as skipped only
 * without errors (as a parsed one). */
static void check_across(struct build *b, struct vb_kb *kb, struct vb_diags *d)
{
        size_t n = b->reused.n + b->reused_skipped.n, k = 0;
        struct vb_note_ref *extra = vb_calloc(n + 1, sizeof(*extra));
        for (size_t i = 0; i < n; i++, k++) {
                int conversation = i < b->reused.n;
                const struct vb_pnote *rec =
                    conversation ? b->reused.v[i] : b->reused_skipped.v[i - b->reused.n];
                extra[k].path = rec->path;
                extra[k].id = rec->id;
                extra[k].date = rec->date;
                extra[k].follows = rec->follows;
                extra[k].follows_pos.line = rec->follows_line;
                extra[k].follows_pos.col = rec->follows_col;
                extra[k].conversation = conversation;
        }
        vb_kb_check_across(kb, extra, n, d);
        for (size_t i = 0; i < b->reused.n; i++)
                b->reused.v[i]->errors = extra[i].errors;
        for (size_t i = 0; i < b->reused_skipped.n; i++)
                if (!extra[b->reused.n + i].errors)
                        vb_pnotes_add(&b->skipped, skip_record(b->reused_skipped.v[i]));
        free(extra);
}

/* The content id of verbatim.yml as read (all zeros when there is none). */
static void vocab_oid(unsigned char oid[20], struct vb_source *src)
{
        struct vb_buf buf = VB_BUF_INIT;
        struct vb_diags ignored = VB_DIAGS_INIT;
        memset(oid, 0, 20);
        if (vb_source_read(src, "verbatim.yml", &buf, &ignored) == VB_OK)
                vb_oid_hash_blob(src, oid, buf.ptr, buf.len);
        vb_buf_release(&buf);
        vb_diags_release(&ignored);
}

/* The file cache made by this build: every file seen whose content id is
 * known (parsed: the kb's; reused: the cache's), but the racy ones. */
static int cmp_pnote_path(const void *a, const void *b)
{
        return strcmp((*(const struct vb_pnote *const *)a)->path,
                      (*(const struct vb_pnote *const *)b)->path);
}

static void make_file_cache(struct build *b, const struct vb_kb *kb, const unsigned char vocab[20])
{
        /* the records reused (their path and oid), by path */
        size_t nr = b->reused.n + b->reused_skipped.n, r = 0, u = 0;
        const struct vb_pnote **reused = vb_malloc((nr ? nr : 1) * sizeof *reused);
        for (size_t i = 0; i < nr; i++)
                reused[i] = i < b->reused.n ? b->reused.v[i] : b->reused_skipped.v[i - b->reused.n];
        qsort(reused, nr, sizeof *reused, cmp_pnote_path);
        vb_filecache_sort(&b->seen_stat);
        for (size_t i = 0; i < b->seen_stat.n; i++) {
                struct vb_filecache_entry *e = &b->seen_stat.v[i];
                const unsigned char *oid = NULL;
                while (r < kb->nrefs && strcmp(kb->refs[r].path, e->path) < 0)
                        r++;
                if (r < kb->nrefs && !strcmp(kb->refs[r].path, e->path) && kb->refs[r].has_oid)
                        oid = kb->refs[r].oid;
                while (u < nr && strcmp(reused[u]->path, e->path) < 0)
                        u++;
                if (!oid && u < nr && !strcmp(reused[u]->path, e->path))
                        oid = reused[u]->oid;
                if (!oid && !strcmp(e->path, "verbatim.yml"))
                        oid = vocab;
                if (oid && e->st.mtime_ns < b->racy_ns && e->st.ctime_ns < b->racy_ns) {
                        memcpy(e->oid, oid, 20);
                        vb_filecache_take(b->files_out, e); /* the path moves */
                }
        }
        free(reused);
}

int vb_index_build(struct vb_phrase_index *out, struct vb_index_stats *stats, struct vb_source *src,
                   const struct vb_phrase_index *prev, struct vb_diags *d)
{
        return vb_index_build_cached(out, stats, src, prev, NULL, NULL, d);
}

int vb_index_build_cached(struct vb_phrase_index *out, struct vb_index_stats *stats,
                          struct vb_source *src, const struct vb_phrase_index *prev,
                          const struct vb_filecache *files_in, struct vb_filecache *files_out,
                          struct vb_diags *d)
{
        struct build b;
        struct vb_kb_options opt;
        struct vb_kb *kb = NULL;
        struct vb_pnotes notes = VB_PNOTES_INIT;
        unsigned char voc[20];
        size_t i, r;
        int rc;

        memset(out, 0, sizeof *out);
        memset(stats, 0, sizeof *stats);
        memset(&b, 0, sizeof b);
        memset(&opt, 0, sizeof opt);
        pthread_mutex_init(&b.lock, NULL);
        opt.on_note = record_note;
        opt.ctx = &b;
        if (files_out && !vb_source_is_git(src)) {
                struct timespec now;
                clock_gettime(CLOCK_REALTIME, &now);
                /* two seconds: file systems whose times tick by the second (or two) */
                b.racy_ns = ((uint64_t)now.tv_sec - 2) * 1000000000u + (uint64_t)now.tv_nsec;
                b.src = src;
                b.files_in = files_in;
                b.files_out = files_out;
                opt.oid_of = known_oid;
        }
        /* verbatim.yml's content id: the file cache's too, when it holds it
         * (no path of a note is "verbatim.yml") */
        if (!b.files_out || !known_oid(&b, "verbatim.yml", voc))
                vocab_oid(voc, src);
        if (prev && !memcmp(prev->vocab_oid, voc, 20))
                b.prev = prev;
        rc = vb_kb_load_reusing(&kb, src, &opt, reuse_note, &b, d);
        if (rc != VB_OK)
                goto done;
        if (b.files_out)
                make_file_cache(&b, kb, voc);

        check_across(&b, kb, d);
        /* content ids from the kb's refs (both in path order) */
        if (b.nseen > 1)
                qsort(b.seen, b.nseen, sizeof *b.seen, cmp_seen);
        for (i = 0, r = 0; i < b.nseen; i++) {
                struct vb_pnote *rec = b.seen[i].rec;
                while (r < kb->nrefs && strcmp(kb->refs[r].path, rec->path) < 0)
                        r++;
                if (r < kb->nrefs && !strcmp(kb->refs[r].path, rec->path)) {
                        if (kb->refs[r].has_oid)
                                memcpy(rec->oid, kb->refs[r].oid, 20);
                        rec->errors = kb->refs[r].errors; /* the rules across notes' too */
                }
                if (b.seen[i].conversation) {
                        vb_pnotes_add(&notes, rec);
                } else {
                        if (!rec->errors)
                                vb_pnotes_add(&b.skipped, skip_record(rec));
                        vb_pnote_free(rec);
                }
                b.seen[i].rec = NULL;
        }
        stats->files = kb->nfiles;
        stats->parsed = kb->nfiles - kb->nreused;
        stats->reused = kb->nreused;
        stats->unread = kb->nunread;
        stats->notes_with_errors = kb->notes_with_errors;
        for (i = 0; i < b.reused.n; i++) {
                vb_pnotes_add(&notes, b.reused.v[i]);
                b.reused.v[i] = NULL;
        }
        b.reused.n = 0;
        vb_phrase_index_build(out, &notes);
        memcpy(out->vocab_oid, voc, 20);
        vb_phrase_index_set_skipped(out, &b.skipped);
        stats->notes = out->notes.n;
        for (i = 0; i < out->notes.n; i++)
                stats->quotes += out->notes.v[i]->nquotes;
done:
        for (i = 0; i < b.nseen; i++)
                vb_pnote_free(b.seen[i].rec);
        free(b.seen);
        vb_pnotes_release(&b.skipped);
        vb_pnotes_release(&b.reused_skipped);
        vb_pnotes_release(&b.reused);
        vb_filecache_release(&b.seen_stat);
        vb_pnotes_release(&notes);
        vb_kb_free(kb);
        pthread_mutex_destroy(&b.lock);
        return rc;
}

/* ---- where the file lives ---- */

void vb_index_default_path(struct vb_buf *out, struct vb_source *src)
{
        git_repository *repo = vb_source_repository(src);
        char *abs;
        const char *slash;
        if (repo) {
                const char *gitdir = git_repository_path(repo);
                size_t n = strlen(gitdir);
                vb_buf_adds(out, gitdir);
                if (n && gitdir[n - 1] != '/')
                        vb_buf_addc(out, '/');
                vb_buf_adds(out, "verbatim/index");
                return;
        }
        abs = realpath(vb_source_root(src), NULL);
        if (!abs)
                abs = vb_strdup(vb_source_root(src));
        slash = strrchr(abs, '/');
        if (!slash || !slash[1]) {
                vb_buf_adds(out, ".verbatim-index");
        } else {
                vb_buf_add(out, abs, (size_t)(slash - abs) + 1);
                vb_buf_addf(out, ".%s.verbatim-index", slash + 1);
        }
        free(abs);
}

/* The absolute path of `path`'s folder (which must exist), or NULL. */
static char *real_parent(const char *path)
{
        const char *slash = strrchr(path, '/');
        char *dir, *res;
        if (!slash)
                return realpath(".", NULL);
        dir = vb_strndup(path, slash == path ? 1 : (size_t)(slash - path));
        res = realpath(dir, NULL);
        free(dir);
        return res;
}

int vb_index_check_path(const char *path, struct vb_source *src, const struct vb_vocab *v,
                        struct vb_diags *d)
{
        git_repository *repo = vb_source_repository(src);
        const char *root = vb_source_root(src);
        char *parent = real_parent(path), *gitdir = NULL;
        const char *notes;
        int rc = VB_OK;

        if (!parent)
                return VB_OK; /* no folder there: writing will say so */
        if (repo) {
                gitdir = realpath(git_repository_path(repo), NULL);
                if (gitdir && vb_path_within(parent, gitdir))
                        goto done;
                if (vb_source_is_git(src)) {
                        const char *wd = git_repository_workdir(repo);
                        if (!wd)
                                goto done; /* bare: no notes on disk */
                        root = wd;
                }
        }
        notes = vb_kb_notes_overlap(parent, root, v, 0);
        if (notes) {
                vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "index-in-notes",
                             "the index file would be among the notes (notes folder "
                             "'%s'); write it elsewhere or leave out -o",
                             notes);
                rc = VB_ERR;
        }
done:
        free(gitdir);
        free(parent);
        return rc;
}

int vb_index_check_replace(const char *path, struct vb_diags *d)
{
        static const char magic[] = "verbatim-index ";
        char head[sizeof magic - 1] = {0};
        struct stat st;
        const char *what = NULL;
        ssize_t n = 0;
        int fd;
        if (lstat(path, &st) < 0)
                return VB_OK; /* nothing there (or no folder: writing will say so) */
        if (S_ISLNK(st.st_mode))
                what = "a symbolic link";
        else if (S_ISDIR(st.st_mode))
                what = "a folder";
        else if (!S_ISREG(st.st_mode))
                what = "a special file (a device, FIFO or socket)";
        if (!what) {
                /* O_NONBLOCK: the file may have become a FIFO since lstat */
                fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
                if (fd >= 0) {
                        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
                                n = read(fd, head, sizeof head);
                        close(fd);
                }
                if (n != (ssize_t)sizeof head || memcmp(head, magic, sizeof head))
                        what = "a file that is not a verbatim index";
        }
        if (!what)
                return VB_OK;
        vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "output-refused",
                     "the index file would replace %s, which is never done; remove it or "
                     "choose another file with -o",
                     what);
        return VB_ERR_EXISTS;
}

int vb_index_write(const struct vb_phrase_index *ix, const char *path, struct vb_diags *d)
{
        struct vb_buf buf = VB_BUF_INIT;
        const char *slash = strrchr(path, '/');
        int rc;
        if (slash && slash != path) {
                char *dir = vb_strndup(path, (size_t)(slash - path));
                if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
                        vb_diags_add(d, dir, 0, 0, VB_SEV_ERROR, "write-failed",
                                     "cannot create the folder of the index file: %s",
                                     strerror(errno));
                        free(dir);
                        return VB_ERR_IO;
                }
                free(dir);
        }
        vb_phrase_index_write(&buf, ix);
        rc = vb_write_file_atomic(path, buf.ptr, buf.len, d);
        vb_buf_release(&buf);
        return rc;
}

int vb_index_map_open(struct vb_index_map *m, const char *path, struct vb_diags *d)
{
        struct stat st;
        int fd;
        memset(m, 0, sizeof *m);
        /* O_NONBLOCK: opening a FIFO must not wait for a writer */
        fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
                if (errno == ENOENT) {
                        vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "no-index",
                                     "no index file; run verbatim index");
                        return VB_ERR_NOTFOUND;
                }
                vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "read-failed",
                             "cannot read the index file: %s", strerror(errno));
                return VB_ERR_IO;
        }
        if (fstat(fd, &st) != 0) {
                vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "read-failed",
                             "cannot read the index file: %s", strerror(errno));
                close(fd);
                return VB_ERR_IO;
        }
        if (!S_ISREG(st.st_mode)) {
                vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "not-an-index",
                             "not a regular file, so not an index file; give the file that "
                             "verbatim index writes");
                close(fd);
                return VB_ERR;
        }
        if ((uint64_t)st.st_size > VB_INDEX_MAX_BYTES) {
                vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "not-an-index",
                             "the file is larger than %u MiB, more than any index file; give "
                             "the file that verbatim index writes",
                             (unsigned)(VB_INDEX_MAX_BYTES >> 20));
                close(fd);
                return VB_ERR;
        }
        m->len = (size_t)st.st_size;
        if (m->len) {
                void *p = mmap(NULL, m->len, PROT_READ, MAP_PRIVATE, fd, 0);
                if (p == MAP_FAILED) {
                        vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "read-failed",
                                     "cannot read the index file: %s", strerror(errno));
                        close(fd);
                        m->len = 0;
                        return VB_ERR_IO;
                }
                m->ptr = p;
        }
        close(fd);
        return VB_OK;
}

void vb_index_map_close(struct vb_index_map *m)
{
        if (m->ptr)
                munmap((void *)m->ptr, m->len);
        memset(m, 0, sizeof *m);
}

/* Reads the index file at `path` with `read` (the whole file, or its notes). */
static int load_with(struct vb_phrase_index *out, const char *path,
                     int (*read)(struct vb_phrase_index *, const char *, size_t, const char *,
                                 struct vb_diags *),
                     struct vb_diags *d)
{
        struct vb_index_map m;
        int rc;
        memset(out, 0, sizeof *out);
        rc = vb_index_map_open(&m, path, d);
        if (rc != VB_OK)
                return rc;
        rc = read(out, m.ptr ? m.ptr : "", m.len, path, d);
        vb_index_map_close(&m);
        return rc;
}

int vb_index_load(struct vb_phrase_index *out, const char *path, struct vb_diags *d)
{
        return load_with(out, path, vb_phrase_index_read, d);
}

int vb_index_open(struct vb_phrase_index *out, struct vb_index_map *m, const char *path,
                  struct vb_diags *d)
{
        int rc;
        memset(out, 0, sizeof *out);
        rc = vb_index_map_open(m, path, d);
        if (rc != VB_OK)
                return rc;
        rc = vb_phrase_index_open(out, m->ptr ? m->ptr : "", m->len, path, d);
        if (rc != VB_OK)
                vb_index_map_close(m);
        return rc;
}

void vb_index_cache_path(struct vb_buf *out, const char *index_path)
{
        vb_buf_addf(out, "%s.files", index_path);
}

int vb_index_load_previous(struct vb_phrase_index *out, const char *path, int trusted,
                           struct vb_diags *d)
{
        return load_with(out, path, trusted ? vb_phrase_index_read_notes : vb_phrase_index_read, d);
}
