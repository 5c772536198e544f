/* Where notes come from: a folder (maybe a git working tree), the tree of a
 * git revision, or the git index.  Each lists .md files and reads bytes.
 *
 * libgit2 objects may not be used by two threads at once (its
 * docs/threading.md), so every libgit2 call on a source's repository, tree
 * or index holds the source's mutex.  Folder reads use no shared state. */
#include "verbatim/source.h"
#include "git.h"
#include "verbatim/pii.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum source_kind { SOURCE_DIR, SOURCE_REV, SOURCE_INDEX };

/* A path and its blob id, from the last listing of a revision. */
struct blob_ref {
        char *path;
        git_oid oid;
};

/* Folders (relative to the root, "" for the root) that a listing walked: they
 * are real folders inside the knowledge base, not symlinks, so a file in one
 * can be opened without resolving its path.  An open-addressing hash set. */
struct dir_set {
        char **v; /* NULL: a free slot */
        size_t n, cap;
};

struct vb_source {
        enum source_kind kind;
        char *root;      /* what vb_source_root returns */
        char *real_root; /* folders: the root with symlinks resolved */
        int root_fd;     /* folders: the root, for reads relative to it; -1: none */
        char *prefix;    /* folders in a work tree: root relative to the work dir, "" or "x/" */
        git_repository *repo;
        git_tree *tree; /* revisions */
        git_oid commit; /* revisions: the commit, when the revision names one */
        int has_commit;
        git_index *index;       /* the index */
        git_index *work_index;  /* folders in a work tree, while listing (see dir_tracked) */
        struct blob_ref *blobs; /* sorted by path */
        size_t nblobs;
        pthread_mutex_t lock; /* held around every libgit2 call on the objects above */
        int git_initialized;
        struct dir_set dirs;        /* folders: filled by listing, read by reads */
        pthread_rwlock_t dirs_lock; /* a listing may (rarely) overlap reads */
};

struct entry_list {
        struct vb_entry *v;
        size_t n, cap;
};

static const char *const missing_fix = "create it or fix notes: in verbatim.yml";

/* strerror is not thread-safe; strerror_r comes in a GNU and an XSI flavour. */
static const char *errtext_gnu(char *ret, char *buf)
{
        (void)buf;
        return ret;
}

static const char *errtext_xsi(int ret, char *buf)
{
        return ret ? "unknown error" : buf;
}

#define ERRTEXT(e, buf)                                                                            \
        _Generic(strerror_r((e), (buf), sizeof(buf)), char *: errtext_gnu, default: errtext_xsi)(  \
		strerror_r((e), (buf), sizeof(buf)), (buf))

static const char *git_errtext(void)
{
        const git_error *e = git_error_last();
        return e && e->message ? e->message : "unknown error";
}

static int git_acquire(struct vb_source *s)
{
        if (vb_git_start() < 0)
                return -1;
        s->git_initialized = 1;
        return 0;
}

static struct vb_source *source_new(enum source_kind kind)
{
        struct vb_source *s = vb_calloc(1, sizeof(*s));
        s->kind = kind;
        s->root_fd = -1;
        pthread_mutex_init(&s->lock, NULL);
        pthread_rwlock_init(&s->dirs_lock, NULL);
        return s;
}

static size_t dir_hash(const char *p, size_t len)
{
        uint64_t h = 0xcbf29ce484222325ULL;
        for (size_t i = 0; i < len; i++)
                h = (h ^ (unsigned char)p[i]) * 0x100000001b3ULL;
        return (size_t)(h ^ (h >> 32));
}

/* The slot of the folder p[0..len) or the free slot where it would go. */
static size_t dir_slot(const struct dir_set *set, const char *p, size_t len)
{
        size_t i = dir_hash(p, len) & (set->cap - 1);
        while (set->v[i] && (strncmp(set->v[i], p, len) || set->v[i][len]))
                i = (i + 1) & (set->cap - 1);
        return i;
}

static void dir_set_add(struct dir_set *set, const char *rel)
{
        size_t len = strlen(rel);
        if (2 * (set->n + 1) > set->cap) {
                struct dir_set bigger = {NULL, set->n, set->cap ? 2 * set->cap : 64};
                bigger.v = vb_calloc(bigger.cap, sizeof(*bigger.v));
                for (size_t i = 0; i < set->cap; i++)
                        if (set->v[i])
                                bigger.v[dir_slot(&bigger, set->v[i], strlen(set->v[i]))] =
                                    set->v[i];
                free(set->v);
                *set = bigger;
        }
        size_t i = dir_slot(set, rel, len);
        if (!set->v[i]) {
                set->v[i] = vb_strndup(rel, len);
                set->n++;
        }
}

static int dir_set_has(const struct dir_set *set, const char *p, size_t len)
{
        return set->cap && set->v[dir_slot(set, p, len)] != NULL;
}

static void dir_set_release(struct dir_set *set)
{
        for (size_t i = 0; i < set->cap; i++)
                free(set->v[i]);
        free(set->v);
        memset(set, 0, sizeof(*set));
}

static void blobs_release(struct vb_source *s)
{
        for (size_t i = 0; i < s->nblobs; i++)
                free(s->blobs[i].path);
        free(s->blobs);
        s->blobs = NULL;
        s->nblobs = 0;
}

void vb_source_free(struct vb_source *s)
{
        if (!s)
                return;
        blobs_release(s);
        if (s->git_initialized) { /* else libgit2 may not even be loaded */
                git_index_free(s->index);
                git_tree_free(s->tree);
                git_repository_free(s->repo);
                git_libgit2_shutdown();
        }
        pthread_mutex_destroy(&s->lock);
        dir_set_release(&s->dirs);
        pthread_rwlock_destroy(&s->dirs_lock);
        free(s->root);
        free(s->real_root);
        if (s->root_fd >= 0)
                close(s->root_fd);
        free(s->prefix);
        free(s);
}

const char *vb_source_root(const struct vb_source *s)
{
        return s->root;
}

int vb_source_is_git(const struct vb_source *s)
{
        return s->kind != SOURCE_DIR;
}

void *vb_source_repository(struct vb_source *s)
{
        return s->repo;
}

/* A copy of `path` without trailing slashes (but "/" stays "/"). */
static char *dup_trimmed(const char *path)
{
        size_t n = strlen(path);
        while (n > 1 && path[n - 1] == '/')
                n--;
        return vb_strndup(path, n);
}

/* Appends `in` to `out` without "." components, empty components and
 * trailing slashes ("." becomes "").  -1 when `in` is absolute or has a ".."
 * component: such a path could leave the knowledge base. */
static int normalize_rel(struct vb_buf *out, const char *in)
{
        if (in[0] == '/')
                return -1;
        size_t start = out->len;
        const char *p = in;
        while (*p) {
                const char *slash = strchr(p, '/');
                size_t n = slash ? (size_t)(slash - p) : strlen(p);
                if (n == 2 && p[0] == '.' && p[1] == '.')
                        return -1;
                if (n && !(n == 1 && p[0] == '.')) {
                        if (out->len > start)
                                vb_buf_addc(out, '/');
                        vb_buf_add(out, p, n);
                }
                p += n;
                if (*p == '/')
                        p++;
        }
        return 0;
}

int vb_is_note_name(const char *name)
{
        size_t n = strlen(name);
        return n > 3 && !strcmp(name + n - 3, ".md");
}

int vb_path_has_email(const char *path)
{
        size_t start, end;
        return strchr(path, '@') &&
               vb_pii_find(path, strlen(path), 0, &start, &end) == VB_PII_EMAIL;
}

enum vb_path_place vb_path_within(const char *path, const char *dir)
{
        size_t n = strlen(dir);
        while (n && dir[n - 1] == '/')
                n--; /* "/" is n == 0: every absolute path starts there */
        if (strncmp(path, dir, n))
                return VB_PATH_OUTSIDE;
        if (!path[n])
                return n ? VB_PATH_SAME : VB_PATH_OUTSIDE;
        if (path[n] != '/')
                return VB_PATH_OUTSIDE;
        return path[n + 1] ? VB_PATH_BELOW : VB_PATH_SAME;
}

/* An absolute path with "." and ".." parts and repeated slashes removed
 * lexically (for the parts that do not exist yet). */
static char *normalize(const char *abs)
{
        struct vb_buf out = VB_BUF_INIT;
        const char *p = abs;
        while (*p) {
                const char *end;
                size_t n;
                while (*p == '/')
                        p++;
                end = strchr(p, '/');
                n = end ? (size_t)(end - p) : strlen(p);
                if (n == 2 && p[0] == '.' && p[1] == '.') {
                        char *slash = strrchr(out.ptr, '/');
                        vb_buf_truncate(&out, slash ? (size_t)(slash - out.ptr) : 0);
                } else if (n && !(n == 1 && p[0] == '.')) {
                        vb_buf_addc(&out, '/');
                        vb_buf_add(&out, p, n);
                }
                p += n;
        }
        if (!out.len)
                vb_buf_addc(&out, '/');
        return vb_buf_detach(&out, NULL);
}

/* The absolute, symlink-free form of `path`, which need not exist: its
 * nearest existing ancestor is resolved and the rest appended. */
char *vb_path_resolve(const char *path)
{
        struct vb_buf b = VB_BUF_INIT, rest = VB_BUF_INIT;
        char *res = NULL, *cwd = NULL;
        if (path[0] != '/') {
                cwd = getcwd(NULL, 0);
                if (!cwd)
                        goto done;
                vb_buf_adds(&b, cwd);
                vb_buf_addc(&b, '/');
        }
        vb_buf_adds(&b, path);
        while (b.len > 1 && b.ptr[b.len - 1] == '/')
                vb_buf_truncate(&b, b.len - 1);
        for (;;) {
                char *r = realpath(b.ptr, NULL);
                char *slash;
                if (r) {
                        struct vb_buf full = VB_BUF_INIT;
                        vb_buf_adds(&full, r);
                        if (rest.len) {
                                if (full.len > 1)
                                        vb_buf_addc(&full, '/');
                                vb_buf_add(&full, rest.ptr, rest.len);
                        }
                        free(r);
                        res = normalize(full.ptr);
                        vb_buf_release(&full);
                        break;
                }
                slash = strrchr(b.ptr, '/');
                if (!slash || slash == b.ptr)
                        break;
                {
                        struct vb_buf nrest = VB_BUF_INIT;
                        vb_buf_adds(&nrest, slash + 1);
                        if (rest.len) {
                                vb_buf_addc(&nrest, '/');
                                vb_buf_add(&nrest, rest.ptr, rest.len);
                        }
                        vb_buf_release(&rest);
                        rest = nrest;
                }
                vb_buf_truncate(&b, (size_t)(slash - b.ptr));
        }
done:
        free(cwd);
        vb_buf_release(&b);
        vb_buf_release(&rest);
        return res;
}

/* Joins a relative path to its parent folder's relative path. */
static void join_rel(struct vb_buf *out, const char *parent, const char *name)
{
        vb_buf_reset(out);
        if (parent[0]) {
                vb_buf_adds(out, parent);
                vb_buf_addc(out, '/');
        }
        vb_buf_adds(out, name);
}

static void list_add(struct entry_list *l, const char *path, const git_oid *oid)
{
        l->v = vb_grow_array(l->v, &l->cap, l->n + 1, sizeof(*l->v));
        struct vb_entry *e = &l->v[l->n++];
        memset(e, 0, sizeof(*e));
        e->path = vb_strdup(path);
        if (oid) {
                memcpy(e->oid, oid->id, sizeof(e->oid));
                e->has_oid = 1;
        }
}

int vb_entry_cmp(const void *a, const void *b)
{
        return strcmp(((const struct vb_entry *)a)->path, ((const struct vb_entry *)b)->path);
}

/* Sorts and drops the second of two equal paths (overlapping notes folders). */
static void list_finish(struct entry_list *l)
{
        size_t sorted = 1; /* a walk mostly lists in order already */
        while (sorted < l->n && vb_entry_cmp(&l->v[sorted - 1], &l->v[sorted]) <= 0)
                sorted++;
        if (sorted < l->n)
                qsort(l->v, l->n, sizeof(*l->v), vb_entry_cmp);
        size_t w = 0;
        for (size_t r = 0; r < l->n; r++) {
                if (w && !strcmp(l->v[w - 1].path, l->v[r].path)) {
                        free(l->v[r].path);
                        continue;
                }
                l->v[w++] = l->v[r];
        }
        l->n = w;
}

void vb_entries_free(struct vb_entry *e, size_t n)
{
        for (size_t i = 0; i < n; i++)
                free(e[i].path);
        free(e);
}

/* Diagnoses a `notes:` entry that cannot be used; 0 when it is fine. */
static int check_notes_dir(const char *dir, struct vb_buf *norm, struct vb_diags *d)
{
        vb_buf_reset(norm);
        if (normalize_rel(norm, dir) < 0) {
                vb_diags_add(d, "verbatim.yml", 0, 0, VB_SEV_ERROR, "notes-folder-missing",
                             "folder '%s' listed in notes: is outside the knowledge base; give a "
                             "path relative to the folder of verbatim.yml",
                             dir);
                return -1;
        }
        return 0;
}

static void diag_missing(struct vb_diags *d, const char *dir)
{
        vb_diags_add(d, "verbatim.yml", 0, 0, VB_SEV_ERROR, "notes-folder-missing",
                     "folder '%s' listed in notes: does not exist; %s", dir, missing_fix);
}

/* ---- folders ---- */

/* 1 when `dir` (absolute, symlinks resolved) or a folder above it holds what
 * libgit2's discovery looks for: a .git (folder or gitlink file), or HEAD,
 * objects and refs (a bare repository).  Without any, the folder is in no
 * repository and libgit2 need not start: it would map and initialize its
 * TLS and SSH libraries (3 MB) and parse the system's CA bundle for nothing. */
static int maybe_in_repo(const char *dir)
{
        struct vb_buf p = VB_BUF_INIT;
        size_t len = strlen(dir);
        int found = 0;

        while (!found) {
                vb_buf_reset(&p);
                vb_buf_add(&p, dir, len);
                size_t at = p.len;
                static const char *const marks[] = {"/.git", "/HEAD", "/objects", "/refs"};
                int bare = 1;
                for (size_t i = 0; i < sizeof(marks) / sizeof(*marks); i++) {
                        vb_buf_truncate(&p, at);
                        vb_buf_adds(&p, marks[i]);
                        int there = access(p.ptr, F_OK) == 0;
                        if (i == 0)
                                found = there;
                        else
                                bare = bare && there;
                }
                found = found || bare;
                if (len <= 1)
                        break;
                while (len > 1 && dir[len - 1] != '/')
                        len--;
                if (len > 1)
                        len--; /* the slash, unless it is the root's */
        }
        vb_buf_release(&p);
        return found;
}

int vb_source_open_dir(struct vb_source **out, const char *root, struct vb_diags *d)
{
        char ebuf[256];
        struct stat st;
        struct vb_source *s = NULL;
        char *workdir = NULL;
        int rc = VB_OK;

        *out = NULL;
        errno = 0;
        if (stat(root, &st) != 0 || !S_ISDIR(st.st_mode)) {
                int e = errno;
                vb_diags_add(d, root, 0, 0, VB_SEV_ERROR, "unreadable",
                             "cannot open the knowledge base: %s; give the path of a folder",
                             e ? ERRTEXT(e, ebuf) : "not a folder");
                rc = VB_ERR_NOTFOUND;
                goto done;
        }
        /* a folder we may not list is no knowledge base either (not an empty one) */
        DIR *probe = opendir(root);
        if (!probe) {
                vb_diags_add(d, root, 0, 0, VB_SEV_ERROR, "unreadable",
                             "cannot read the knowledge base: %s; check its permissions "
                             "(chmod u+rx)",
                             ERRTEXT(errno, ebuf));
                rc = VB_ERR_IO;
                goto done;
        }
        closedir(probe);
        s = source_new(SOURCE_DIR);
        s->root = dup_trimmed(root);
        s->real_root = realpath(root, NULL);
        if (!s->real_root) {
                vb_diags_add(d, root, 0, 0, VB_SEV_ERROR, "unreadable",
                             "cannot open the knowledge base: %s; check its permissions",
                             ERRTEXT(errno, ebuf));
                rc = VB_ERR_IO;
                goto done;
        }
        /* reads open their paths from here: the kernel then walks only the
         * part below the root (when this fails, they give the whole path) */
        s->root_fd = open(s->real_root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (!maybe_in_repo(s->real_root))
                goto done; /* no repository: list everything */
        if (git_acquire(s) < 0) {
                vb_diags_add(d, root, 0, 0, VB_SEV_WARNING, "git-unavailable",
                             "%s; files git ignores are listed too, and there is no history",
                             vb_git_error());
                goto done;
        }

        int grc = git_repository_open_ext(&s->repo, s->real_root, 0, NULL);
        if (grc == GIT_ENOTFOUND)
                goto done;
        if (grc < 0) {
                vb_diags_add(d, root, 0, 0, VB_SEV_WARNING, "git-unavailable",
                             "cannot open the git repository around the knowledge base (%s); files "
                             "git ignores are listed too",
                             git_errtext());
                goto done;
        }
        const char *wd = git_repository_workdir(s->repo);
        workdir = wd ? realpath(wd, NULL) : NULL;
        if (!workdir)
                goto done;
        if (!strcmp(workdir, s->real_root)) {
                s->prefix = vb_strdup("");
        } else if (vb_path_within(s->real_root, workdir) == VB_PATH_BELOW) {
                size_t skip = strlen(workdir) + (strcmp(workdir, "/") ? 1 : 0);
                struct vb_buf p = VB_BUF_INIT;
                vb_buf_adds(&p, s->real_root + skip);
                vb_buf_addc(&p, '/');
                s->prefix = vb_buf_detach(&p, NULL);
        }
done:
        free(workdir);
        if (rc < 0)
                vb_source_free(s);
        else
                *out = s;
        return rc;
}

/* `rel` (a path relative to the root) as a path in the work tree, into `tmp`. */
static const char *work_path(const struct vb_source *s, struct vb_buf *tmp, const char *rel)
{
        vb_buf_reset(tmp);
        vb_buf_adds(tmp, s->prefix);
        vb_buf_adds(tmp, rel);
        return tmp->ptr;
}

/* 1 when git ignores `rel` (a path relative to the root). */
static int dir_ignored(struct vb_source *s, struct vb_buf *tmp, const char *rel, int is_dir)
{
        int ignored = 0;
        if (!s->prefix)
                return 0;
        work_path(s, tmp, rel);
        if (is_dir)
                vb_buf_addc(tmp, '/');
        if (git_ignore_path_is_ignored(&ignored, s->repo, tmp->ptr) < 0)
                ignored = 0;
        return ignored;
}

/* 1 when `rel` (a file's path relative to the root) is tracked: in the
 * repository's index, read once per listing.  Git ignores no tracked file,
 * so such a file needs no ignore check, which costs libgit2 a stat of every
 * .gitignore from its folder up (5 to 7 per note). */
static int dir_tracked(struct vb_source *s, struct vb_buf *tmp, const char *rel)
{
        if (!s->prefix || !s->work_index)
                return 0;
        return git_index_get_bypath(s->work_index, work_path(s, tmp, rel), 0) != NULL;
}

static void full_path(struct vb_buf *out, const struct vb_source *s, const char *rel)
{
        vb_buf_reset(out);
        vb_buf_adds(out, s->real_root);
        if (rel[0]) {
                if (strcmp(s->real_root, "/"))
                        vb_buf_addc(out, '/');
                vb_buf_adds(out, rel);
        }
}

/* A symlink met while listing: a regular .md file inside the root is listed
 * under the symlink's path; anything else is skipped, with a warning. */
static void visit_link(struct vb_source *s, const char *rel, const char *name, const char *full,
                       struct entry_list *l, struct vb_diags *d)
{
        char ebuf[256];
        struct stat st;
        char *target = realpath(full, NULL);
        if (!target || stat(target, &st) != 0) {
                int e = errno;
                if (vb_is_note_name(name))
                        vb_diags_add(d, rel, 0, 0, VB_SEV_WARNING, "symlink-broken",
                                     "symlink is broken (%s); it is not read; fix or remove it",
                                     e == ELOOP ? "it loops" : ERRTEXT(e, ebuf));
                goto done;
        }
        if (S_ISDIR(st.st_mode)) {
                vb_diags_add(d, rel, 0, 0, VB_SEV_WARNING, "symlink-dir",
                             "symlinked folders are not followed (to '%s'); move the notes into "
                             "the knowledge base instead",
                             target);
                goto done;
        }
        if (!vb_is_note_name(name) || !S_ISREG(st.st_mode))
                goto done;
        if (vb_path_within(target, s->real_root) != VB_PATH_BELOW) {
                vb_diags_add(d, rel, 0, 0, VB_SEV_WARNING, "symlink-outside",
                             "symlink points outside the knowledge base (to '%s'); it is not read",
                             target);
                goto done;
        }
        list_add(l, rel, NULL);
done:
        free(target);
}

/* A folder entry: its name and, when readdir tells it, its type. */
struct dent {
        char *name;
        unsigned char type; /* DT_REG, DT_DIR, DT_LNK, or DT_UNKNOWN: lstat tells */
};

static int dent_cmp(const void *a, const void *b)
{
        return strcmp(((const struct dent *)a)->name, ((const struct dent *)b)->name);
}

/* The file type of the entry `rel` at `full`, from readdir or else lstat
 * (DT_UNKNOWN when it is gone or, with a diagnostic, unreadable). */
static unsigned char dent_type(const struct dent *e, const char *rel, const char *full,
                               struct vb_diags *d)
{
        char ebuf[256];
        struct stat st;
        if (e->type == DT_REG || e->type == DT_DIR || e->type == DT_LNK)
                return e->type;
        if (lstat(full, &st) != 0) {
                if (errno != ENOENT)
                        vb_diags_add(d, rel, 0, 0, VB_SEV_ERROR, "unreadable",
                                     "cannot read: %s; check its permissions",
                                     ERRTEXT(errno, ebuf));
                return DT_UNKNOWN;
        }
        return S_ISDIR(st.st_mode)   ? DT_DIR
               : S_ISREG(st.st_mode) ? DT_REG
               : S_ISLNK(st.st_mode) ? DT_LNK
                                     : DT_UNKNOWN;
}

/* Lists the folder `rel` (relative to the root) and, recursively, its
 * subfolders that git does not ignore.  Names are visited sorted so that
 * diagnostics come in the same order on every file system.  The type
 * readdir gives saves a stat per file; file systems that give none get
 * one. */
static void walk_dir(struct vb_source *s, const char *rel, struct entry_list *l, struct vb_diags *d)
{
        char ebuf[256];
        struct vb_buf full = VB_BUF_INIT, child = VB_BUF_INIT, tmp = VB_BUF_INIT;
        struct dent *ents = NULL;
        size_t n = 0, cap = 0;
        struct dirent *de;

        full_path(&full, s, rel);
        DIR *dir = opendir(full.ptr);
        if (!dir) {
                vb_diags_add(d, rel[0] ? rel : ".", 0, 0, VB_SEV_ERROR, "unreadable",
                             "cannot read folder: %s; check its permissions", ERRTEXT(errno, ebuf));
                goto done;
        }
        /* a folder the walk reaches is no symlink (lstat below, or realpath
         * checked in dir_list_one): remember it for the reads' fast path */
        pthread_rwlock_wrlock(&s->dirs_lock);
        dir_set_add(&s->dirs, rel);
        pthread_rwlock_unlock(&s->dirs_lock);
        while ((de = readdir(dir))) {
                const char *nm = de->d_name;
                if (!strcmp(nm, ".") || !strcmp(nm, "..") || !strcmp(nm, ".git"))
                        continue;
                if (de->d_type == DT_REG && !vb_is_note_name(nm))
                        continue; /* not a note */
                ents = vb_grow_array(ents, &cap, n + 1, sizeof(*ents));
                ents[n].name = vb_strdup(nm);
                ents[n++].type = de->d_type;
        }
        closedir(dir);
        if (n > 1)
                qsort(ents, n, sizeof(*ents), dent_cmp);

        for (size_t i = 0; i < n; i++) {
                join_rel(&child, rel, ents[i].name);
                /* the whole path only where a call needs it */
                if (ents[i].type != DT_REG && ents[i].type != DT_DIR)
                        full_path(&full, s, child.ptr);
                switch (dent_type(&ents[i], child.ptr, full.ptr, d)) {
                case DT_DIR:
                        if (!dir_ignored(s, &tmp, child.ptr, 1))
                                walk_dir(s, child.ptr, l, d);
                        break;
                case DT_REG:
                        if (vb_is_note_name(ents[i].name) && (dir_tracked(s, &tmp, child.ptr) ||
                                                              !dir_ignored(s, &tmp, child.ptr, 0)))
                                list_add(l, child.ptr, NULL);
                        break;
                case DT_LNK:
                        if (!dir_ignored(s, &tmp, child.ptr, 0))
                                visit_link(s, child.ptr, ents[i].name, full.ptr, l, d);
                        break;
                default:
                        break; /* gone since, or a FIFO, socket or device: not a note */
                }
        }
done:
        for (size_t i = 0; i < n; i++)
                free(ents[i].name);
        free(ents);
        vb_buf_release(&full);
        vb_buf_release(&child);
        vb_buf_release(&tmp);
}

static void dir_list_one(struct vb_source *s, const char *dir, struct vb_buf *norm,
                         struct entry_list *l, struct vb_diags *d)
{
        struct vb_buf full = VB_BUF_INIT;
        struct stat st;
        char *real = NULL;

        full_path(&full, s, norm->ptr);
        if (lstat(full.ptr, &st) != 0) {
                diag_missing(d, dir);
                goto done;
        }
        if (!S_ISDIR(st.st_mode)) {
                if (S_ISLNK(st.st_mode))
                        vb_diags_add(d, "verbatim.yml", 0, 0, VB_SEV_WARNING, "symlink-dir",
                                     "folder '%s' listed in notes: is a symlink, which is not "
                                     "followed; list the folder it points to instead",
                                     dir);
                else
                        vb_diags_add(d, "verbatim.yml", 0, 0, VB_SEV_ERROR, "notes-folder-missing",
                                     "'%s' listed in notes: is not a folder; %s", dir, missing_fix);
                goto done;
        }
        /* a symlink higher up the path could lead out of the root */
        real = realpath(full.ptr, NULL);
        if (!real || (norm->len && vb_path_within(real, s->real_root) != VB_PATH_BELOW)) {
                vb_diags_add(d, "verbatim.yml", 0, 0, VB_SEV_WARNING, "symlink-outside",
                             "folder '%s' listed in notes: leads outside the knowledge base (to "
                             "'%s'); it is not read",
                             dir, real ? real : full.ptr);
                goto done;
        }
        walk_dir(s, norm->ptr, l, d);
done:
        free(real);
        vb_buf_release(&full);
}

/* ---- git revisions and the index ---- */

static int open_repo(struct vb_source *s, const char *path, struct vb_diags *d)
{
        if (git_acquire(s) < 0) {
                vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "no-repository", "%s", vb_git_error());
                return VB_ERR_IO;
        }
        if (git_repository_open_ext(&s->repo, path, 0, NULL) < 0) {
                vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "no-repository",
                             "no git repository at or above this folder (%s); run git init or "
                             "give the path of a repository",
                             git_errtext());
                return VB_ERR_IO;
        }
        const char *wd = git_repository_workdir(s->repo);
        s->root = dup_trimmed(wd ? wd : git_repository_path(s->repo));
        return VB_OK;
}

int vb_source_open_rev(struct vb_source **out, const char *path, const char *rev,
                       struct vb_diags *d)
{
        git_object *obj = NULL, *tree = NULL;
        struct vb_source *s = source_new(SOURCE_REV);
        int rc = open_repo(s, path, d);

        *out = NULL;
        if (rc < 0)
                goto done;
        if (git_revparse_single(&obj, s->repo, rev) < 0 ||
            git_object_peel(&tree, obj, GIT_OBJECT_TREE) < 0) {
                vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "bad-revision",
                             "'%s' names no revision of the repository (%s); give a branch, tag "
                             "or commit",
                             rev, git_errtext());
                rc = VB_ERR;
                goto done;
        }
        s->tree = (git_tree *)tree;
        tree = NULL;
        git_object *commit = NULL;
        if (git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) == 0) {
                git_oid_cpy(&s->commit, git_commit_id((git_commit *)commit));
                s->has_commit = 1;
                git_object_free(commit);
        }
done:
        if (s->git_initialized) { /* else libgit2 may not even be loaded */
                git_object_free(obj);
                git_object_free(tree);
        }
        if (rc < 0)
                vb_source_free(s);
        else
                *out = s;
        return rc;
}

int vb_source_open_index(struct vb_source **out, const char *path, struct vb_diags *d)
{
        struct vb_source *s = source_new(SOURCE_INDEX);
        int rc = open_repo(s, path, d);
        const char *env = getenv("GIT_INDEX_FILE");

        *out = NULL;
        if (rc < 0)
                goto done;
        /* a knowledge base in a folder of the repository (a monorepo): its
         * notes are the index entries under that folder */
        const char *wd = git_repository_workdir(s->repo);
        char *real_wd = wd ? realpath(wd, NULL) : NULL, *real = realpath(path, NULL);
        if (real_wd && real && vb_path_within(real, real_wd) == VB_PATH_BELOW) {
                struct vb_buf p = VB_BUF_INIT;
                vb_buf_addf(&p, "%s/", real + strlen(real_wd) + (strcmp(real_wd, "/") ? 1 : 0));
                s->prefix = vb_buf_detach(&p, NULL);
                free(s->root);
                s->root = dup_trimmed(path);
        }
        free(real_wd);
        free(real);
        if (env && env[0]) {
                if (git_index_open(&s->index, env) < 0)
                        goto fail;
        } else if (git_repository_is_bare(s->repo)) {
                vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "no-repository",
                             "a bare repository has no index; give a revision instead");
                rc = VB_ERR_IO;
                goto done;
        } else if (git_repository_index(&s->index, s->repo) < 0) {
                goto fail;
        }
        goto done;
fail:
        vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "unreadable", "cannot read the git index (%s)",
                     git_errtext());
        rc = VB_ERR_IO;
done:
        if (rc < 0)
                vb_source_free(s);
        else
                *out = s;
        return rc;
}

/* Adds a blob found in a tree or the index, or warns about what git holds
 * there that is not a file.  Called with the lock held. */
static int git_visit(const char *path, git_filemode_t mode, const git_oid *oid,
                     struct entry_list *l, struct vb_diags *d)
{
        switch (mode) {
        case GIT_FILEMODE_BLOB:
        case GIT_FILEMODE_BLOB_EXECUTABLE:
                /* a missing or damaged blob is said when it is read */
                if (vb_is_note_name(strrchr(path, '/') ? strrchr(path, '/') + 1 : path))
                        list_add(l, path, oid);
                return 0;
        case GIT_FILEMODE_LINK:
                vb_diags_add(d, path, 0, 0, VB_SEV_WARNING, "symlink-skipped",
                             "symlinks are not read from git; commit the file itself");
                return 0;
        case GIT_FILEMODE_COMMIT:
                vb_diags_add(d, path, 0, 0, VB_SEV_WARNING, "submodule-skipped",
                             "submodules are not read; keep notes in the knowledge base's own "
                             "repository");
                return 0;
        default:
                return 0;
        }
}

static int walk_tree(struct vb_source *s, const git_tree *tree, const char *rel,
                     struct entry_list *l, struct vb_diags *d)
{
        struct vb_buf child = VB_BUF_INIT;
        int rc = VB_OK;
        size_t n = git_tree_entrycount(tree);

        for (size_t i = 0; i < n && rc == VB_OK; i++) {
                const git_tree_entry *e = git_tree_entry_byindex(tree, i);
                git_filemode_t mode = git_tree_entry_filemode(e);
                join_rel(&child, rel, git_tree_entry_name(e));
                if (mode == GIT_FILEMODE_TREE) {
                        git_tree *sub = NULL;
                        if (git_tree_lookup(&sub, s->repo, git_tree_entry_id(e)) < 0) {
                                vb_diags_add(d, child.ptr, 0, 0, VB_SEV_ERROR, "unreadable",
                                             "cannot read the git tree (%s); the repository may be "
                                             "damaged: run git fsck",
                                             git_errtext());
                                rc = VB_ERR_IO;
                                break;
                        }
                        rc = walk_tree(s, sub, child.ptr, l, d);
                        git_tree_free(sub);
                } else {
                        git_visit(child.ptr, mode, git_tree_entry_id(e), l, d);
                }
        }
        vb_buf_release(&child);
        return rc;
}

static int rev_list_one(struct vb_source *s, const char *dir, const char *norm,
                        struct entry_list *l, struct vb_diags *d)
{
        git_tree_entry *te = NULL;
        git_tree *sub = NULL;
        int rc = VB_OK;

        if (!norm[0])
                return walk_tree(s, s->tree, "", l, d);
        if (git_tree_entry_bypath(&te, s->tree, norm) < 0) {
                diag_missing(d, dir);
                goto done;
        }
        if (git_tree_entry_filemode(te) != GIT_FILEMODE_TREE) {
                vb_diags_add(d, "verbatim.yml", 0, 0, VB_SEV_ERROR, "notes-folder-missing",
                             "'%s' listed in notes: is not a folder; %s", dir, missing_fix);
                goto done;
        }
        if (git_tree_lookup(&sub, s->repo, git_tree_entry_id(te)) < 0) {
                vb_diags_add(d, norm, 0, 0, VB_SEV_ERROR, "unreadable",
                             "cannot read the git tree (%s); the repository may be damaged: run "
                             "git fsck",
                             git_errtext());
                rc = VB_ERR_IO;
                goto done;
        }
        rc = walk_tree(s, sub, norm, l, d);
done:
        git_tree_free(sub);
        git_tree_entry_free(te);
        return rc;
}

static void index_list_one(struct vb_source *s, const char *dir, const char *norm_kb,
                           struct entry_list *l, struct vb_diags *d)
{
        /* the folder in the repository, and the part of an entry's path that
         * is the knowledge base's folder (stripped: paths are the root's) */
        struct vb_buf in_repo = VB_BUF_INIT;
        size_t skip = s->prefix ? strlen(s->prefix) : 0;
        vb_buf_adds(&in_repo, s->prefix ? s->prefix : "");
        vb_buf_adds(&in_repo, norm_kb);
        if (in_repo.len && in_repo.ptr[in_repo.len - 1] == '/')
                vb_buf_truncate(&in_repo, in_repo.len - 1);
        const char *norm = in_repo.ptr ? in_repo.ptr : "";
        size_t n = git_index_entrycount(s->index), len = in_repo.len, seen = 0;

        for (size_t i = 0; i < n; i++) {
                const git_index_entry *e = git_index_get_byindex(s->index, i);
                if (len && (strncmp(e->path, norm, len) || e->path[len] != '/'))
                        continue;
                seen++;
                if (GIT_INDEX_ENTRY_STAGE(e) != 0 ||
                    (e->flags_extended & GIT_INDEX_ENTRY_INTENT_TO_ADD))
                        continue;
                git_visit(e->path + skip, (git_filemode_t)e->mode, &e->id, l, d);
        }
        if (!seen && len) {
                /* git keeps no folders: an empty one on disk is not missing */
                const char *wd = git_repository_workdir(s->repo);
                struct vb_buf full = VB_BUF_INIT;
                struct stat st;
                vb_buf_adds(&full, wd ? wd : "");
                vb_buf_adds(&full, norm);
                if (!wd || stat(full.ptr, &st) != 0 || !S_ISDIR(st.st_mode))
                        diag_missing(d, dir);
                vb_buf_release(&full);
        }
        vb_buf_release(&in_repo);
}

/* Keeps path -> blob id of a revision's listing, so reads skip the tree. */
static void remember_blobs(struct vb_source *s, const struct entry_list *l)
{
        blobs_release(s);
        s->blobs = vb_calloc(l->n, sizeof(*s->blobs));
        for (size_t i = 0; i < l->n; i++) {
                s->blobs[i].path = vb_strdup(l->v[i].path);
                memcpy(s->blobs[i].oid.id, l->v[i].oid, sizeof(l->v[i].oid));
        }
        s->nblobs = l->n;
}

int vb_source_list(struct vb_source *s, const char *const *dirs, size_t ndirs,
                   struct vb_entry **out, size_t *n, struct vb_diags *d)
{
        struct entry_list l = {NULL, 0, 0};
        struct vb_buf norm = VB_BUF_INIT;
        int rc = VB_OK;

        if (s->kind != SOURCE_DIR)
                pthread_mutex_lock(&s->lock);
        if (s->kind == SOURCE_DIR && s->prefix) {
                /* the index as a file of its own: freed whole after the listing */
                struct vb_buf ix = VB_BUF_INIT;
                vb_buf_addf(&ix, "%sindex", git_repository_path(s->repo));
                if (git_index_open(&s->work_index, ix.ptr) < 0)
                        s->work_index = NULL; /* then every file gets the ignore check */
                vb_buf_release(&ix);
        }
        for (size_t i = 0; i < ndirs && rc == VB_OK; i++) {
                if (check_notes_dir(dirs[i], &norm, d) < 0)
                        continue;
                if (s->kind == SOURCE_DIR)
                        dir_list_one(s, dirs[i], &norm, &l, d);
                else if (s->kind == SOURCE_REV)
                        rc = rev_list_one(s, dirs[i], norm.ptr, &l, d);
                else
                        index_list_one(s, dirs[i], norm.ptr, &l, d);
        }
        if (s->work_index)
                git_index_free(s->work_index);
        s->work_index = NULL;
        list_finish(&l);
        if (rc == VB_OK && s->kind == SOURCE_REV)
                remember_blobs(s, &l);
        if (s->kind != SOURCE_DIR)
                pthread_mutex_unlock(&s->lock);
        vb_buf_release(&norm);
        if (rc < 0) {
                vb_entries_free(l.v, l.n);
                l.v = NULL;
                l.n = 0;
        }
        *out = l.v;
        *n = l.n;
        return rc;
}

/* ---- reading ---- */

static int blob_ref_cmp(const void *key, const void *elem)
{
        return strcmp(key, ((const struct blob_ref *)elem)->path);
}

/* Finds the blob id of `path` in a revision or the index; VB_ERR_NOTFOUND
 * when there is no file there.  Called with the lock held. */
static int git_find(struct vb_source *s, const char *path, git_oid *oid, struct vb_diags *d)
{
        git_filemode_t mode;
        git_tree_entry *te = NULL;

        if (s->kind == SOURCE_INDEX) {
                struct vb_buf in_repo = VB_BUF_INIT;
                vb_buf_addf(&in_repo, "%s%s", s->prefix ? s->prefix : "", path);
                const git_index_entry *e = git_index_get_bypath(s->index, in_repo.ptr, 0);
                vb_buf_release(&in_repo);
                if (!e)
                        return VB_ERR_NOTFOUND;
                mode = (git_filemode_t)e->mode;
                git_oid_cpy(oid, &e->id);
        } else {
                const struct blob_ref *b =
                    s->nblobs ? bsearch(path, s->blobs, s->nblobs, sizeof(*s->blobs), blob_ref_cmp)
                              : NULL;
                if (b) {
                        git_oid_cpy(oid, &b->oid);
                        return VB_OK;
                }
                if (git_tree_entry_bypath(&te, s->tree, path) < 0)
                        return VB_ERR_NOTFOUND;
                mode = git_tree_entry_filemode(te);
                git_oid_cpy(oid, git_tree_entry_id(te));
                git_tree_entry_free(te);
        }
        if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) {
                vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "unreadable",
                             "git holds a %s here, not a file; it is not read",
                             mode == GIT_FILEMODE_TREE   ? "folder"
                             : mode == GIT_FILEMODE_LINK ? "symlink"
                                                         : "submodule");
                return VB_ERR_IO;
        }
        return VB_OK;
}

static int git_read(struct vb_source *s, const char *path, struct vb_buf *out, struct vb_diags *d)
{
        git_oid oid;
        git_blob *blob = NULL;
        int rc;

        pthread_mutex_lock(&s->lock);
        rc = git_find(s, path, &oid, d);
        if (rc < 0)
                goto done;
        if (git_blob_lookup(&blob, s->repo, &oid) < 0) {
                vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "unreadable",
                             "cannot read the git object (%s); the repository may be damaged: run "
                             "git fsck",
                             git_errtext());
                rc = VB_ERR_IO;
                goto done;
        }
        vb_buf_add(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
done:
        git_blob_free(blob);
        pthread_mutex_unlock(&s->lock);
        return rc;
}

static int dir_read(struct vb_source *s, const char *path, struct vb_buf *out, struct vb_diags *d)
{
        char ebuf[256];
        struct vb_buf full = VB_BUF_INIT;
        char *real = NULL;
        int fd = -1, rc = VB_OK;
        size_t start = out->len;
        struct stat st;

        /* fast path: in a folder the listing walked, a file that is no
         * symlink is inside the knowledge base; one open tells (ELOOP: it
         * is a symlink) */
        const char *slash = strrchr(path, '/');
        pthread_rwlock_rdlock(&s->dirs_lock);
        int known = dir_set_has(&s->dirs, path, slash ? (size_t)(slash - path) : 0);
        pthread_rwlock_unlock(&s->dirs_lock);
        if (known) {
                /* O_NONBLOCK: opening a FIFO must not hang; it is refused below */
                int flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK;
                if (s->root_fd >= 0) {
                        fd = openat(s->root_fd, path, flags);
                } else {
                        full_path(&full, s, path);
                        fd = open(full.ptr, flags);
                }
                if (fd >= 0 && fstat(fd, &st) == 0)
                        goto opened;
                if (fd >= 0)
                        close(fd);
                fd = -1; /* anything unusual: the careful route says what */
        }
        full_path(&full, s, path);
        real = realpath(full.ptr, NULL);
        if (!real) {
                int e = errno;
                if (e == ENOENT || e == ENOTDIR)
                        rc = VB_ERR_NOTFOUND;
                else if (e == ELOOP)
                        vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "symlink-broken",
                                     "symlink loops; it is not read; fix or remove it");
                else
                        vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "unreadable",
                                     "cannot read: %s; check its permissions", ERRTEXT(e, ebuf));
                if (rc == VB_OK)
                        rc = VB_ERR_IO;
                goto done;
        }
        if (vb_path_within(real, s->real_root) != VB_PATH_BELOW) {
                vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "symlink-outside",
                             "symlink points outside the knowledge base (to '%s'); it is not read",
                             real);
                rc = VB_ERR_IO;
                goto done;
        }
        /* O_NONBLOCK: opening a FIFO must not hang; it is refused below */
        fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
        if (fd < 0 || fstat(fd, &st) != 0) {
                int e = errno;
                if (e == ENOENT) {
                        rc = VB_ERR_NOTFOUND;
                        goto done;
                }
                vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "unreadable",
                             "cannot read: %s; check its permissions", ERRTEXT(e, ebuf));
                rc = VB_ERR_IO;
                goto done;
        }
opened:
        if (!S_ISREG(st.st_mode)) {
                vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "unreadable",
                             "cannot read: not a regular file; notes must be plain files");
                rc = VB_ERR_IO;
                goto done;
        }
        vb_buf_grow(out, (size_t)st.st_size + 1);
        for (;;) {
                if (out->cap - out->len - 1 == 0)
                        vb_buf_grow(out, 65536);
                size_t want = out->cap - out->len - 1;
                ssize_t got = read(fd, out->ptr + out->len, want);
                if (got < 0 && errno == EINTR)
                        continue;
                if (got < 0) {
                        vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "unreadable", "cannot read: %s",
                                     ERRTEXT(errno, ebuf));
                        rc = VB_ERR_IO;
                        break;
                }
                if (got == 0)
                        break;
                out->len += (size_t)got;
                out->ptr[out->len] = '\0';
                /* all fstat saw, and less than asked: the end, without a read to say so */
                if ((size_t)got < want && out->len - start >= (size_t)st.st_size)
                        break;
        }
done:
        if (rc < 0)
                vb_buf_truncate(out, start);
        if (fd >= 0)
                close(fd);
        free(real);
        vb_buf_release(&full);
        return rc;
}

int vb_source_read(struct vb_source *s, const char *path, struct vb_buf *out, struct vb_diags *d)
{
        struct vb_buf norm = VB_BUF_INIT;
        int rc;

        if (normalize_rel(&norm, path) < 0 || !norm.len) {
                vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "unreadable",
                             "'%s' is not a path inside the knowledge base; it is not read", path);
                rc = VB_ERR_IO;
                goto done;
        }
        if (s->kind == SOURCE_DIR)
                rc = dir_read(s, norm.ptr, out, d);
        else
                rc = git_read(s, norm.ptr, out, d);
done:
        vb_buf_release(&norm);
        return rc;
}

int vb_oid_hash_blob(struct vb_source *s, unsigned char oid[20], const char *buf, size_t len)
{
        git_oid id;

        /* a folder outside any repository starts libgit2 only here, once */
        pthread_mutex_lock(&s->lock);
        int ready = s->git_initialized || git_acquire(s) == 0;
        pthread_mutex_unlock(&s->lock);
        if (!ready || git_odb_hash(&id, buf, len, GIT_OBJECT_BLOB) < 0)
                return VB_ERR;
        memcpy(oid, id.id, 20);
        return VB_OK;
}

/* ---- changed since a revision ---- */

const char *vb_source_prefix(const struct vb_source *s)
{
        return s->kind == SOURCE_DIR || s->prefix ? s->prefix : "";
}

/* The commit that `rev` names in `repo`; VB_ERR_NOTFOUND when it names none. */
static int rev_commit(git_oid *out, git_repository *repo, const char *rev)
{
        git_object *obj = NULL, *commit = NULL;
        int rc = VB_ERR_NOTFOUND;
        if (git_revparse_single(&obj, repo, rev) == 0 &&
            git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) == 0) {
                git_oid_cpy(out, git_commit_id((git_commit *)commit));
                rc = VB_OK;
        }
        git_object_free(commit);
        git_object_free(obj);
        return rc;
}

int vb_source_open_base(struct vb_source **out, struct vb_source *s, const char *rev,
                        struct vb_diags *d)
{
        struct vb_source *b = source_new(SOURCE_REV);
        git_oid from, head, base;
        git_commit *commit = NULL;
        int rc, have_head;

        *out = NULL;
        if (!s->repo) {
                vb_diags_add(d, s->root, 0, 0, VB_SEV_ERROR, "no-repository",
                             "--changed-since needs a git repository, and this knowledge base is "
                             "in none; check every note instead");
                rc = VB_ERR_IO;
                goto done;
        }
        rc = open_repo(b, s->kind == SOURCE_DIR ? s->real_root : s->root, d);
        if (rc < 0)
                goto done;
        if (s->kind == SOURCE_REV) {
                have_head = s->has_commit;
                git_oid_cpy(&head, &s->commit);
        } else {
                have_head = rev_commit(&head, b->repo, "HEAD") == VB_OK;
        }
        if (rev_commit(&from, b->repo, rev) != VB_OK) {
                if (!have_head && !strcmp(rev, "HEAD") && git_repository_head_unborn(b->repo) == 1)
                        goto done; /* no commit yet: everything is new (*out stays NULL) */
                vb_diags_add(d, rev, 0, 0, VB_SEV_ERROR, "bad-revision",
                             "'%s' names no commit of the repository (%s); give a branch, tag or "
                             "commit (in CI, fetch it: a shallow clone may lack it)",
                             rev, git_errtext());
                rc = VB_ERR;
                goto done;
        }
        /* no common history: compare with the revision itself */
        if (!have_head || git_merge_base(&base, b->repo, &from, &head) < 0)
                git_oid_cpy(&base, &from);
        if (git_commit_lookup(&commit, b->repo, &base) < 0 ||
            git_tree_lookup(&b->tree, b->repo, git_commit_tree_id(commit)) < 0) {
                vb_diags_add(d, rev, 0, 0, VB_SEV_ERROR, "unreadable",
                             "cannot read the tree of '%s' (%s); the repository may be damaged: "
                             "run git fsck",
                             rev, git_errtext());
                rc = VB_ERR_IO;
                goto done;
        }
        git_oid_cpy(&b->commit, &base);
        b->has_commit = 1;
        b->prefix = vb_strdup(vb_source_prefix(s) ? vb_source_prefix(s) : "");
done:
        if (b->git_initialized)
                git_commit_free(commit);
        if (rc < 0 || !b->tree) {
                vb_source_free(b);
                b = NULL;
        }
        *out = b;
        return rc;
}

/* The blob id of `path` in `s`: from git, or of the bytes on disk.  0, or
 * -1 when there is no such file. */
static int content_id(struct vb_source *s, const char *path, git_oid *oid)
{
        struct vb_diags ignored = VB_DIAGS_INIT;
        int rc;
        if (s->kind != SOURCE_DIR) {
                pthread_mutex_lock(&s->lock);
                rc = git_find(s, path, oid, &ignored);
                pthread_mutex_unlock(&s->lock);
        } else {
                struct vb_buf bytes = VB_BUF_INIT;
                rc = vb_source_read(s, path, &bytes, &ignored);
                if (rc == VB_OK)
                        rc = vb_oid_hash_blob(s, oid->id, bytes.ptr ? bytes.ptr : "", bytes.len);
                vb_buf_release(&bytes);
        }
        vb_diags_release(&ignored);
        return rc == VB_OK ? 0 : -1;
}

int vb_source_differs(struct vb_source *s, struct vb_source *base, const char *path)
{
        struct vb_buf in_base = VB_BUF_INIT;
        git_oid now, then;
        int differs = 1;
        if (!base)
                return 1;
        vb_buf_adds(&in_base, base->prefix);
        vb_buf_adds(&in_base, path);
        int here = content_id(s, path, &now) == 0;
        int there = content_id(base, in_base.ptr, &then) == 0;
        if (here && there)
                differs = !git_oid_equal(&now, &then);
        else if (!here && !there)
                differs = 0;
        vb_buf_release(&in_base);
        return differs;
}

static void file_stat(struct vb_file_stat *out, const struct stat *st)
{
        out->size = (uint64_t)st->st_size;
        out->mtime_ns = (uint64_t)st->st_mtim.tv_sec * 1000000000u + (uint64_t)st->st_mtim.tv_nsec;
        out->ctime_ns = (uint64_t)st->st_ctim.tv_sec * 1000000000u + (uint64_t)st->st_ctim.tv_nsec;
        out->ino = (uint64_t)st->st_ino;
        out->dev = (uint64_t)st->st_dev;
}

int vb_file_stat_path(struct vb_file_stat *out, const char *path)
{
        struct stat st;
        memset(out, 0, sizeof *out);
        if (stat(path, &st) != 0)
                return VB_ERR;
        file_stat(out, &st);
        return VB_OK;
}

int vb_source_stat(struct vb_source *s, const char *path, struct vb_file_stat *out)
{
        struct vb_buf full = VB_BUF_INIT;
        struct stat st;
        int rc;
        memset(out, 0, sizeof *out);
        if (s->kind != SOURCE_DIR || !path[0] || path[0] == '/' || strstr(path, ".."))
                return VB_ERR;
        if (s->root_fd >= 0) {
                rc = fstatat(s->root_fd, path, &st, 0);
        } else {
                full_path(&full, s, path);
                rc = stat(full.ptr, &st);
                vb_buf_release(&full);
        }
        if (rc != 0 || !S_ISREG(st.st_mode))
                return VB_ERR;
        file_stat(out, &st);
        return VB_OK;
}
