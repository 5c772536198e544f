#include "verbatim/outdir.h"

#include "bytetable.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/syscall.h>
#if defined(SYS_openat2) && __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#define HAVE_OPENAT2 1
#endif
#endif

/* Splits `path` (trailing slashes ignored) into its folder and its name, both
 * owned by the caller. */
static void split_path(const char *path, char **parent, char **name)
{
        size_t len = strlen(path);
        while (len > 1 && path[len - 1] == '/')
                len--;
        size_t slash = len;
        while (slash > 0 && path[slash - 1] != '/')
                slash--;
        *name = vb_strndup(path + slash, len - slash);
        if (slash == 0)
                *parent = vb_strdup(".");
        else if (slash == 1)
                *parent = vb_strdup("/");
        else
                *parent = vb_strndup(path, slash - 1);
}

static char *temp_name(const char *parent, const char *name, const char *kind)
{
        struct vb_buf b = VB_BUF_INIT;
        vb_buf_addf(&b, "%s/.%s.%s-XXXXXX", parent, name, kind);
        return vb_buf_detach(&b, NULL);
}

static int write_all(int fd, const char *data, size_t len)
{
        while (len) {
                ssize_t n = write(fd, data, len);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -1;
                }
                data += n;
                len -= (size_t)n;
        }
        return 0;
}

static int write_failed(struct vb_diags *d, const char *path, const char *what)
{
        vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "write-failed",
                     "cannot %s: %s (check that the folder exists, is writable and has space)",
                     what, strerror(errno));
        return VB_ERR_IO;
}

/* Durability is asked for with VB_FSYNC=1 (see sync_new); atomicity never
 * depends on it. */
static int want_fsync(void)
{
        const char *want = getenv("VB_FSYNC");
        return want && !strcmp(want, "1");
}

/* Makes a rename in `path` durable, with VB_FSYNC=1 only: on ext4 an fsync
 * of a folder commits the whole journal, new files' data included (80 ms
 * after a report of 100,000 pages), which the default does without. */
static void sync_folder(const char *path)
{
        if (!want_fsync())
                return;
        int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd >= 0) {
                (void)fsync(fd); /* best effort: some file systems refuse */
                close(fd);
        }
}

/* A temporary file or folder is in use while the run that made it holds
 * an flock on it (the lock goes with the run, however it ends); one that
 * nobody holds was left by a run that was killed (remove_stale).  Takes
 * that lock on `fd` and checks that `path` still names it (a cleanup may
 * have taken and removed it first).  0 when the caller holds it. */
static int lock_fresh(int fd, const char *path)
{
        struct stat a, b;
        if (flock(fd, LOCK_EX | LOCK_NB) < 0 || fstat(fd, &a) < 0 || lstat(path, &b) < 0)
                return -1;
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino ? 0 : -1;
}

static void remove_stale(const char *parent, const char *name);

int vb_write_file_atomic(const char *path, const char *data, size_t len, struct vb_diags *d)
{
        char *parent, *name, *tmp = NULL;
        int fd = -1, lock = -1, rc = VB_OK;
        split_path(path, &parent, &name);
        remove_stale(parent, name);
        for (int attempt = 0; lock < 0; attempt++) {
                free(tmp);
                tmp = temp_name(parent, name, "tmp");
                fd = mkstemp(tmp);
                if (fd < 0 || attempt == 8) {
                        if (fd >= 0) { /* a cleanup holds it: it removes it */
                                close(fd);
                                errno = EBUSY;
                        }
                        fd = -1;
                        free(tmp);
                        tmp = NULL;
                        rc = write_failed(d, path, "create a temporary file beside it");
                        goto done;
                }
                /* held through the rename: a copy of the descriptor keeps the lock */
                if (lock_fresh(fd, tmp) == 0 && (lock = dup(fd)) < 0) {
                        rc = write_failed(d, path, "create a temporary file beside it");
                        goto done;
                }
                if (lock < 0) {
                        close(fd);
                        fd = -1;
                }
        }
        if (write_all(fd, data, len) < 0 || fchmod(fd, 0644) < 0 ||
            (want_fsync() && fsync(fd) < 0)) {
                rc = write_failed(d, path, "write it");
                goto done;
        }
        int closed = close(fd);
        fd = -1;
        if (closed < 0) {
                rc = write_failed(d, path, "write it");
                goto done;
        }
        if (rename(tmp, path) < 0) {
                rc = write_failed(d, path, "replace it");
                goto done;
        }
        sync_folder(parent);
done:
        if (fd >= 0)
                close(fd);
        if (rc != VB_OK && tmp)
                unlink(tmp);
        if (lock >= 0)
                close(lock);
        free(tmp);
        free(parent);
        free(name);
        return rc;
}

static void remove_tree(const char *path);

/* Removes `path` (an old output moved aside) in a detached grandchild
 * process, so that the caller need not wait for the file system; the child
 * holds a lock on the folder while it works.  Removes it here when no
 * process can be made. */
static void remove_tree_detached(const char *path)
{
        pid_t pid = fork();
        if (pid < 0) {
                remove_tree(path);
                return;
        }
        if (pid == 0) {
                if (fork() == 0) {
                        /* detached for good: none of the caller's descriptors (a
                         * reader of its output would wait for the removal), no
                         * terminal */
                        int null = open("/dev/null", O_RDWR | O_CLOEXEC);
                        if (null >= 0) {
                                dup2(null, 0);
                                dup2(null, 1);
                                dup2(null, 2);
                        }
                        closefrom(3);
                        setsid();
                        int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
                                remove_tree(path);
                        _exit(0);
                }
                _exit(0);
        }
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
                ;
}

/* Whether `entry` (a name in the folder of the output `name`) is
 * ".<name>.<kind>-XXXXXX", as temp_name and mkstemp/mkdtemp make them. */
static bool temp_shape(const char *entry, const char *name, const char *kind)
{
        size_t n = strlen(name), k = strlen(kind);
        if (entry[0] != '.' || strncmp(entry + 1, name, n) || entry[1 + n] != '.' ||
            strncmp(entry + 2 + n, kind, k) || entry[2 + n + k] != '-')
                return false;
        const char *x = entry + 3 + n + k;
        return strlen(x) == 6 && strspn(x, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                           "0123456789") == 6;
}

/* Whether the folder `path` holds the output marker. */
static bool has_marker(const char *path)
{
        struct vb_buf marker = VB_BUF_INIT;
        struct stat st;
        vb_buf_addf(&marker, "%s/" VB_OUTPUT_MARKER, path);
        bool marked = lstat(marker.ptr, &st) == 0 && S_ISREG(st.st_mode);
        vb_buf_release(&marker);
        return marked;
}

/* Whether the folder `path` is empty. */
static bool is_empty(const char *path)
{
        DIR *dir = opendir(path);
        const struct dirent *e;
        bool empty = dir != NULL;
        while (empty && (e = readdir(dir)))
                empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
        if (dir)
                closedir(dir);
        return empty;
}

/* Removes what runs killed before their end left beside the output or file
 * `name` in `parent`, and only that:
 *   - old outputs ".<name>.old-XXXXXX" with the marker that a detached
 *     removal left (it was killed);
 *   - temporary folders ".<name>.tmp-XXXXXX" (a killed report: empty or with
 *     the marker) and temporary files of the same name (a killed atomic
 *     write), owned by this user.
 * A run holds a lock on its temporary folder or file while it lives
 * (lock_fresh): one whose lock can be taken is stale.  Folders are removed
 * in the background, files here. */
static void remove_stale(const char *parent, const char *name)
{
        struct vb_buf p = VB_BUF_INIT;
        DIR *dir = opendir(parent);
        const struct dirent *e;
        while (dir && (e = readdir(dir))) {
                bool old = temp_shape(e->d_name, name, "old");
                if (!old && !temp_shape(e->d_name, name, "tmp"))
                        continue;
                struct stat st, fst;
                vb_buf_reset(&p);
                vb_buf_addf(&p, "%s/%s", parent, e->d_name);
                if (lstat(p.ptr, &st) < 0 || st.st_uid != geteuid())
                        continue;
                bool folder = S_ISDIR(st.st_mode);
                /* ours: an old output has the marker; a temporary folder has
                 * it too, or nothing yet (killed right after mkdtemp) */
                if (folder ? !has_marker(p.ptr) && (old || !is_empty(p.ptr))
                           : old || !S_ISREG(st.st_mode))
                        continue;
                int fd = open(p.ptr, (folder ? O_DIRECTORY : O_NONBLOCK) | O_RDONLY | O_NOFOLLOW |
                                         O_CLOEXEC);
                if (fd < 0)
                        continue;
                if (fstat(fd, &fst) < 0 || fst.st_ino != st.st_ino || fst.st_dev != st.st_dev ||
                    flock(fd, LOCK_EX | LOCK_NB) < 0) {
                        close(fd); /* a run holds it, or it changed meanwhile */
                        continue;
                }
                if (!folder)
                        unlink(p.ptr); /* under the lock: no run can take it now */
                close(fd);             /* the lock goes with it */
                if (folder)
                        remove_tree_detached(p.ptr);
        }
        if (dir)
                closedir(dir);
        vb_buf_release(&p);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        (void)st;
        (void)flag;
        (void)ftw;
        return remove(path) < 0 ? -1 : 0;
}

/* Removes a tree we made, never following symbolic links. */
static void remove_tree(const char *path)
{
        (void)nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

enum final_state { FINAL_ABSENT, FINAL_REPLACEABLE };

/* Whether `path` may be replaced: absent, an empty folder, or a folder with
 * the marker.  Returns 0 and sets *state, or VB_ERR_EXISTS / VB_ERR_IO. */
static int check_final(const char *path, enum final_state *state, struct vb_diags *d)
{
        struct stat st;
        int rc = VB_OK;
        DIR *dir = NULL;
        if (lstat(path, &st) < 0) {
                if (errno == ENOENT) {
                        *state = FINAL_ABSENT;
                        return VB_OK;
                }
                return write_failed(d, path, "look at the output folder");
        }
        if (S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode)) {
                vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "output-refused",
                             "the output exists and is %s, not a folder; remove it or choose "
                             "another output folder",
                             S_ISLNK(st.st_mode) ? "a symbolic link" : "a file");
                return VB_ERR_EXISTS;
        }
        dir = opendir(path);
        if (!dir)
                return write_failed(d, path, "read the output folder");
        bool empty = true, marked = false;
        const struct dirent *e;
        while ((e = readdir(dir))) {
                if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                        continue;
                empty = false;
                if (!strcmp(e->d_name, VB_OUTPUT_MARKER))
                        marked = true;
        }
        closedir(dir);
        if (!empty && !marked) {
                vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "output-refused",
                             "the output folder is not empty and was not made by verbatim (it has "
                             "no " VB_OUTPUT_MARKER
                             " file), so it will not be replaced; choose a new "
                             "or empty folder");
                rc = VB_ERR_EXISTS;
        }
        *state = FINAL_REPLACEABLE;
        return rc;
}

static void outdir_release(struct vb_outdir *o)
{
        if (o->has_prev)
                close(o->prev_fd);
        if (o->tmp_fd >= 0)
                close(o->tmp_fd);
        free(o->final_dir);
        free(o->tmp_dir);
        free(o->parent);
        free(o->name);
        memset(o, 0, sizeof(*o));
        o->prev_fd = o->tmp_fd = -1;
}

/* Writes all of data into the open `fd` (of the new file `path`) and closes
 * it; on failure the file is removed. */
static int write_fd(int fd, const char *path, const char *data, size_t len, struct vb_diags *d)
{
        int err = write_all(fd, data, len) < 0 ? errno : 0;
        if (close(fd) < 0 && !err)
                err = errno;
        if (!err)
                return VB_OK;
        unlink(path);
        errno = err;
        return write_failed(d, path, "write it");
}

/* Creates `path` as a new file.  A file already there (written twice) is
 * replaced, never written through: it may be a hard link to a file of the
 * output being replaced, which must stay as it was until the swap. */
static int create_file(int dir_fd, const char *path)
{
        int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
        int fd = openat(dir_fd, path, flags, 0644);
        if (fd < 0 && errno == EEXIST && unlinkat(dir_fd, path, 0) == 0)
                fd = openat(dir_fd, path, flags, 0644);
        return fd;
}

static int write_plain(const char *path, const char *data, size_t len, struct vb_diags *d)
{
        int fd = create_file(AT_FDCWD, path);
        if (fd < 0)
                return write_failed(d, path, "create it");
        return write_fd(fd, path, data, len, d);
}

int vb_outdir_begin(struct vb_outdir *o, const char *final_dir, struct vb_diags *d)
{
        enum final_state state;
        struct vb_buf marker = VB_BUF_INIT;
        char *canonical = NULL;
        struct stat st;
        int rc;
        memset(o, 0, sizeof(*o));
        o->prev_fd = o->tmp_fd = -1;
        /* an existing folder by its real name, so that "." or "out/.." work */
        if (lstat(final_dir, &st) == 0 && S_ISDIR(st.st_mode))
                canonical = realpath(final_dir, NULL);
        o->final_dir = vb_strdup(canonical ? canonical : final_dir);
        free(canonical);
        split_path(o->final_dir, &o->parent, &o->name);
        if (!*o->name || !strcmp(o->name, ".") || !strcmp(o->name, "..") || !strcmp(o->name, "/")) {
                vb_diags_add(d, final_dir, 0, 0, VB_SEV_ERROR, "output-refused",
                             "cannot replace this folder; name a folder for the output");
                rc = VB_ERR_EXISTS;
                goto done;
        }
        rc = check_final(o->final_dir, &state, d);
        if (rc)
                goto done;
        remove_stale(o->parent, o->name);
        if (state == FINAL_REPLACEABLE) {
                o->prev_fd = open(o->final_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                o->has_prev = o->prev_fd >= 0;
        }
        /* the files are made relative to tmp_fd (the kernel walks only their
         * own paths), which holds the lock that marks the folder as in use */
        for (int attempt = 0; o->tmp_fd < 0; attempt++) {
                char *tmp = temp_name(o->parent, o->name, "tmp");
                if (attempt == 8 || !mkdtemp(tmp)) {
                        free(tmp);
                        if (attempt == 8)
                                errno = EBUSY;
                        rc = write_failed(d, final_dir, "create a temporary folder beside it");
                        goto done;
                }
                int fd = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (fd >= 0 && lock_fresh(fd, tmp) == 0) {
                        o->tmp_dir = tmp;
                        o->tmp_fd = fd;
                } else { /* a cleanup took it first: it removes it */
                        if (fd >= 0)
                                close(fd);
                        free(tmp);
                }
        }
        vb_buf_addf(&marker, "%s/%s", o->tmp_dir, VB_OUTPUT_MARKER);
        rc = write_plain(marker.ptr, "made by verbatim: this folder is replaced on every run\n", 55,
                         d);
        struct stat mst;
        if (rc == VB_OK && stat(marker.ptr, &mst) == 0)
                o->file_mode = mst.st_mode & 07777; /* 0644 less the umask */
done:
        vb_buf_release(&marker);
        if (rc)
                vb_outdir_abort(o);
        return rc;
}

static bool safe_relpath(const char *rel)
{
        if (!*rel || *rel == '/' || strchr(rel, '\\'))
                return false;
        for (const char *p = rel; *p;) {
                size_t n = strcspn(p, "/");
                if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
                        return false;
                p += n;
                if (*p == '/' && !*++p)
                        return false; /* a trailing slash: an empty last component */
        }
        return true;
}

/* `relpath` of the output being replaced, opened for reading without
 * following any symbolic link (also in its folders, which only openat2 can
 * promise: without it, nothing is reused) and without blocking on a FIFO;
 * -1 when absent or refused. */
static int open_prev(const struct vb_outdir *o, const char *relpath)
{
#ifdef HAVE_OPENAT2
        struct open_how how;
        if (!o->has_prev)
                return -1;
        memset(&how, 0, sizeof(how));
        /* O_NOATIME: reading a page written by the last run would else set its
         * access time, a write to the inode for every unchanged page (only
         * the file's owner may ask: others go on without it) */
        how.flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOATIME;
        how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV;
        int fd = (int)syscall(SYS_openat2, o->prev_fd, relpath, &how, sizeof(how));
        if (fd < 0 && errno == EPERM) {
                how.flags &= ~(uint64_t)O_NOATIME;
                fd = (int)syscall(SYS_openat2, o->prev_fd, relpath, &how, sizeof(how));
        }
        return fd;
#else
        (void)o;
        (void)relpath;
        return -1;
#endif
}

/* Whether the replaced file's next `len` bytes are data[0..len). */
static bool prev_continues(int fd, const char *data, size_t len)
{
        char chunk[16384];
        for (size_t at = 0; at < len;) {
                size_t want = len - at < sizeof(chunk) ? len - at : sizeof(chunk);
                ssize_t n = read(fd, chunk, want);
                if (n <= 0 || memcmp(chunk, data + at, (size_t)n))
                        return false;
                at += (size_t)n;
        }
        return true;
}

/* Whether `fd` (a file of the output being replaced) is a regular file of
 * the mode new files get; its identity goes to *st. */
static bool prev_usable(const struct vb_outdir *o, int fd, struct stat *st)
{
        return fstat(fd, st) == 0 && S_ISREG(st->st_mode) && (st->st_mode & 07777) == o->file_mode;
}

/* The file of the output being replaced at `relpath`, open, when it is
 * usable and holds exactly data[0..len) (its identity in *st); else -1. */
static int prev_same(const struct vb_outdir *o, const char *relpath, const char *data, size_t len,
                     struct stat *st)
{
        int fd = open_prev(o, relpath);
        if (fd < 0)
                return -1;
        if (prev_usable(o, fd, st) && (uint64_t)st->st_size == (uint64_t)len &&
            prev_continues(fd, data, len))
                return fd;
        close(fd);
        return -1;
}

/* Links the previous output's `relpath` (the file compared before, open as
 * `fd`, device `dev` and inode `ino`) to `to` in the temporary folder.  0
 * when linked; -1 with errno otherwise (ENOENT: a folder of `to` is
 * missing), and nothing is left at `to`. */
static int link_prev(struct vb_outdir *o, int fd, const char *relpath, const char *to, dev_t dev,
                     ino_t ino)
{
        struct stat st;
        /* the open file itself: no lookup of its name, and no race to check
         * for (Linux lets the opener link it since 6.10, and a process with
         * CAP_DAC_READ_SEARCH always; others say ENOENT or EPERM) */
        if (!atomic_load_explicit(&o->no_flink, memory_order_relaxed)) {
                if (linkat(fd, "", o->tmp_fd, to, AT_EMPTY_PATH) == 0)
                        return 0;
                if (errno != ENOENT && errno != EPERM)
                        return -1;
        }
        if (linkat(o->prev_fd, relpath, o->tmp_fd, to, 0) < 0)
                return -1;
        /* by name it worked where the file itself could not be linked */
        atomic_store_explicit(&o->no_flink, 1, memory_order_relaxed);
        /* replaced between the comparison and the link: write it instead */
        if (fstatat(o->tmp_fd, to, &st, AT_SYMLINK_NOFOLLOW) < 0 || st.st_ino != ino ||
            st.st_dev != dev) {
                unlinkat(o->tmp_fd, to, 0);
                errno = ESTALE;
                return -1;
        }
        return 0;
}

/* `relpath` in the temporary folder, for messages and the few calls that
 * take a whole path (without a format: it is made for every file). */
static void tmp_path(struct vb_buf *path, const struct vb_outdir *o, const char *relpath)
{
        vb_buf_adds(path, o->tmp_dir);
        vb_buf_addc(path, '/');
        vb_buf_adds(path, relpath);
}

/* Creates the folders of `relpath` inside the temporary folder: its own
 * first (its parent is mostly there already: notes/ for notes/3f/), then
 * every one from the top when that fails. */
static int make_folders(const struct vb_outdir *o, const char *relpath, struct vb_diags *d)
{
        struct vb_buf path = VB_BUF_INIT;
        int rc = VB_OK;
        const char *last = strrchr(relpath, '/');
        vb_buf_addf(&path, "%s/", o->tmp_dir);
        vb_buf_add(&path, relpath, (size_t)(last - relpath));
        if (mkdir(path.ptr, 0755) == 0 || errno == EEXIST) {
                vb_buf_release(&path);
                return VB_OK;
        }
        vb_buf_reset(&path);
        vb_buf_addf(&path, "%s/", o->tmp_dir);
        for (const char *p = relpath, *slash; (slash = strchr(p, '/')); p = slash + 1) {
                vb_buf_add(&path, p, (size_t)(slash - p));
                if (mkdir(path.ptr, 0755) < 0 && errno != EEXIST) {
                        rc = write_failed(d, path.ptr, "create the folder");
                        break;
                }
                vb_buf_addc(&path, '/');
        }
        vb_buf_release(&path);
        return rc;
}

/* Creates the new file `path` (`relpath` in the temporary folder), making
 * its folders when they are missing; -1 with a diagnostic in `d`. */
static int create_in(const struct vb_outdir *o, const char *relpath, const char *path,
                     struct vb_diags *d)
{
        /* most files go to folders made for earlier ones: try that first */
        int fd = create_file(o->tmp_fd, relpath);
        if (fd < 0 && errno == ENOENT && strchr(relpath, '/')) {
                if (make_folders(o, relpath, d) != VB_OK)
                        return -1;
                fd = create_file(o->tmp_fd, relpath);
        }
        if (fd < 0)
                write_failed(d, path, "create it");
        return fd;
}

/* VB_OK when `relpath` may be written into the open output `o`. */
static int check_relpath(const struct vb_outdir *o, const char *relpath, struct vb_diags *d)
{
        if (o->tmp_dir && safe_relpath(relpath))
                return VB_OK;
        vb_diags_add(d, relpath, 0, 0, VB_SEV_ERROR, "unsafe-path",
                     o->tmp_dir ? "refusing to write outside the output folder: the path must be "
                                  "relative, without empty, '.' or '..' parts or backslashes"
                                : "the output folder is not open (call vb_outdir_begin)");
        return VB_ERR;
}

int vb_outdir_write(struct vb_outdir *o, const char *relpath, const char *data, size_t len,
                    struct vb_diags *d)
{
        struct stat was;
        struct vb_buf path = VB_BUF_INIT;
        int rc = VB_OK;
        if (check_relpath(o, relpath, d) != VB_OK) {
                rc = VB_ERR;
                goto done;
        }
        tmp_path(&path, o, relpath);
        int prev = prev_same(o, relpath, data, len, &was);
        if (prev >= 0) {
                /* most files go to folders made for earlier ones: try that first */
                int linked = link_prev(o, prev, relpath, relpath, was.st_dev, was.st_ino);
                if (linked < 0 && errno == ENOENT && strchr(relpath, '/')) {
                        rc = make_folders(o, relpath, d);
                        if (rc == VB_OK)
                                linked =
                                    link_prev(o, prev, relpath, relpath, was.st_dev, was.st_ino);
                }
                close(prev);
                if (linked == 0 || rc != VB_OK)
                        goto done;
        }
        int fd = create_in(o, relpath, path.ptr, d);
        rc = fd < 0 ? VB_ERR_IO : write_fd(fd, path.ptr, data, len, d);
done:
        vb_buf_release(&path);
        return rc;
}

int vb_outfile_open(struct vb_outfile *f, struct vb_outdir *o, const char *relpath,
                    struct vb_diags *d)
{
        struct vb_buf path = VB_BUF_INIT;
        struct stat st;
        memset(f, 0, sizeof(*f));
        f->fd = f->prev_fd = -1;
        if (check_relpath(o, relpath, d) != VB_OK)
                return VB_ERR;
        tmp_path(&path, o, relpath);
        int fd = create_in(o, relpath, path.ptr, d);
        if (fd < 0) {
                vb_buf_release(&path);
                return VB_ERR_IO;
        }
        f->o = o;
        f->fd = fd;
        f->path = vb_buf_detach(&path, NULL);
        f->relpath = vb_strdup(relpath);
        f->prev_fd = open_prev(o, relpath);
        if (f->prev_fd >= 0 && !prev_usable(o, f->prev_fd, &st)) {
                close(f->prev_fd);
                f->prev_fd = -1;
        }
        if (f->prev_fd >= 0) {
                f->prev_ino = (unsigned long long)st.st_ino;
                f->prev_dev = (unsigned long long)st.st_dev;
        }
        return VB_OK;
}

static void outfile_drop_prev(struct vb_outfile *f)
{
        if (f->prev_fd >= 0)
                close(f->prev_fd);
        f->prev_fd = -1;
}

void vb_outfile_write(struct vb_outfile *f, const char *data, size_t len, struct vb_diags *d)
{
        if (f->fd < 0 || !len)
                return;
        if (f->prev_fd >= 0 && !prev_continues(f->prev_fd, data, len))
                outfile_drop_prev(f);
        if (write_all(f->fd, data, len) < 0) {
                f->rc = write_failed(d, f->path, "write it");
                close(f->fd);
                f->fd = -1;
        }
}

int vb_outfile_close(struct vb_outfile *f, struct vb_diags *d)
{
        int rc = f->rc;
        char end;
        if (f->fd >= 0 && close(f->fd) < 0 && rc == VB_OK)
                rc = write_failed(d, f->path, "write it");
        if (rc != VB_OK)
                unlink(f->path); /* after write_failed, which reads errno */
        /* the replaced file has the same bytes and no more: link it beside,
         * then rename it over the new one (which stays if anything fails) */
        if (rc == VB_OK && f->prev_fd >= 0 && read(f->prev_fd, &end, 1) == 0) {
                struct vb_buf side = VB_BUF_INIT;
                int dir = f->o->tmp_fd;
                vb_buf_addf(&side, "%s.link", f->relpath);
                if (link_prev(f->o, f->prev_fd, f->relpath, side.ptr, (dev_t)f->prev_dev,
                              (ino_t)f->prev_ino) == 0 &&
                    renameat(dir, side.ptr, dir, f->relpath) < 0)
                        unlinkat(dir, side.ptr, 0);
                vb_buf_release(&side);
        }
        outfile_drop_prev(f);
        free(f->path);
        free(f->relpath);
        memset(f, 0, sizeof(*f));
        f->fd = f->prev_fd = -1;
        return rc;
}

/* Swaps two paths atomically; -1 with errno ENOSYS where that is not
 * possible. */
static int exchange(const char *a, const char *b)
{
#if defined(__linux__) && defined(SYS_renameat2)
        return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, 2 /* RENAME_EXCHANGE */);
#else
        (void)a;
        (void)b;
        errno = ENOSYS;
        return -1;
#endif
}

/* The swap without renameat2: move the old output aside, move the new one in. */
static int swap_by_renames(struct vb_outdir *o, struct vb_diags *d, bool *retry, bool detached)
{
        char *old = temp_name(o->parent, o->name, "old");
        int rc = VB_OK;
        /* locked, so that no run takes it for a stale old output meanwhile */
        int lock = open(o->final_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (lock >= 0)
                (void)flock(lock, LOCK_EX);
        *retry = false;
        if (!mkdtemp(old)) {
                rc = write_failed(d, o->final_dir, "create a folder beside it");
                goto done;
        }
        if (rename(o->final_dir, old) < 0) {
                int err = errno;
                rmdir(old);
                errno = err;
                if (err == ENOENT)
                        *retry = true; /* another run moved it: start over */
                else
                        rc = write_failed(d, o->final_dir, "move the old output aside");
                goto done;
        }
        if (rename(o->tmp_dir, o->final_dir) < 0) {
                int err = errno;
                if (rename(old, o->final_dir) < 0)
                        remove_tree(old);
                errno = err;
                if (err == EEXIST || err == ENOTEMPTY)
                        *retry = true;
                else
                        rc = write_failed(d, o->final_dir, "move the new output in");
                goto done;
        }
        if (lock >= 0)
                close(lock);
        lock = -1;
        if (detached)
                remove_tree_detached(old);
        else
                remove_tree(old);
done:
        if (lock >= 0)
                close(lock);
        free(old);
        return rc;
}

/* After the exchange the temporary folder holds the old output: renamed to
 * ".<name>.old-XXXXXX" (so that a run killed meanwhile leaves what the next
 * one recognises) and removed in the background. */
static void drop_old_detached(struct vb_outdir *o)
{
        char *old = temp_name(o->parent, o->name, "old");
        if (mkdtemp(old) && rename(o->tmp_dir, old) == 0) {
                remove_tree_detached(old);
        } else {
                rmdir(old);
                remove_tree(o->tmp_dir);
        }
        free(old);
}

/* Makes the new output durable before it is swapped in, when VB_FSYNC=1.
 * Otherwise not: the swap is a rename, atomic for every reader and for a
 * run that is killed, and syncing costs a flush of the whole file system;
 * only a power loss just after a run may then leave its files incomplete. */
static int sync_new(struct vb_outdir *o, struct vb_diags *d)
{
        if (!want_fsync())
                return VB_OK;
        int fd = open(o->tmp_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return write_failed(d, o->tmp_dir, "open the new output");
#ifdef __linux__
        int synced = syncfs(fd);
#else
        sync();
        int synced = 0;
#endif
        close(fd);
        if (synced < 0)
                return write_failed(d, o->tmp_dir, "sync the new output");
        return VB_OK;
}

static int commit(struct vb_outdir *o, struct vb_diags *d, bool detached)
{
        int rc = VB_OK;
        if (!o->tmp_dir) {
                vb_diags_add(d, "", 0, 0, VB_SEV_ERROR, "write-failed",
                             "the output folder is not open (call vb_outdir_begin)");
                return VB_ERR;
        }
        if (chmod(o->tmp_dir, 0755) < 0) {
                rc = write_failed(d, o->tmp_dir, "make the output readable");
                goto done;
        }
        rc = sync_new(o, d);
        if (rc)
                goto done;
        for (int attempt = 0; attempt < 8; attempt++) {
                enum final_state state;
                bool retry = false;
                rc = check_final(o->final_dir, &state, d);
                if (rc)
                        goto done;
                if (state == FINAL_ABSENT) {
                        if (rename(o->tmp_dir, o->final_dir) == 0)
                                goto committed;
                        if (errno == EEXIST || errno == ENOTEMPTY)
                                continue; /* another run got there first */
                        rc = write_failed(d, o->final_dir, "move the new output in");
                        goto done;
                }
                if (exchange(o->tmp_dir, o->final_dir) == 0) {
                        if (detached) /* tmp_dir is now the old output */
                                drop_old_detached(o);
                        else
                                remove_tree(o->tmp_dir);
                        goto committed;
                }
                if (errno == ENOENT)
                        continue;
                if (errno != ENOSYS && errno != EINVAL) {
                        rc = write_failed(d, o->final_dir, "swap in the new output");
                        goto done;
                }
                rc = swap_by_renames(o, d, &retry, detached);
                if (rc)
                        goto done;
                if (!retry)
                        goto committed;
        }
        errno = EBUSY;
        rc = write_failed(d, o->final_dir, "replace the output (other runs keep replacing it)");
        goto done;
committed:
        rc = VB_OK;
        sync_folder(o->parent);
        free(o->tmp_dir);
        o->tmp_dir = NULL;
done:
        vb_outdir_abort(o);
        return rc;
}

int vb_outdir_commit(struct vb_outdir *o, struct vb_diags *d)
{
        return commit(o, d, false);
}

int vb_outdir_commit_detached(struct vb_outdir *o, struct vb_diags *d)
{
        return commit(o, d, true);
}

void vb_outdir_abort(struct vb_outdir *o)
{
        if (o->tmp_dir)
                remove_tree(o->tmp_dir);
        outdir_release(o);
}

/* A byte of a safe name: lower-case letters, digits and '_' as they are
 * (capitals lowered), 0 for any other byte.  Capitals are lowered with
 * `| 0x20`, which stays within a byte for every c (clang checks the
 * constant in both arms for all 256). */
#define NAME_CHAR(c)                                                                               \
        ((c) >= 'A' && (c) <= 'Z'                                                 ? (c) | 0x20     \
         : ((c) >= 'a' && (c) <= 'z') || ((c) >= '0' && (c) <= '9') || (c) == '_' ? (c)            \
                                                                                  : 0)
static const unsigned char name_char[256] = VB_BYTE_TABLE(NAME_CHAR);

void vb_safe_name(struct vb_buf *out, const char *id)
{
        enum { KEEP = 60, HEX = 8 }; /* at most KEEP bytes of the id, '-', the hash */
        uint64_t h = 0xcbf29ce484222325ULL;
        const unsigned char *p = (const unsigned char *)id;
        bool dash = false;

        /* written in place: a name is made for every link of every page */
        vb_buf_grow(out, KEEP + 1 + HEX);
        char *start = out->ptr + out->len, *w = start;
        for (; *p; p++) {
                h = (h ^ *p) * 0x100000001b3ULL;
                unsigned char c = name_char[*p];
                if (c) {
                        bool sep = dash && w > start;
                        if ((size_t)(w - start) + sep + 1 > KEEP) {
                                p++;
                                break; /* full: the rest only goes into the hash */
                        }
                        if (sep)
                                *w++ = '-';
                        dash = false;
                        *w++ = (char)c;
                } else {
                        dash = true; /* '-' and every other byte: one '-' per run */
                }
        }
        for (; *p; p++)
                h = (h ^ *p) * 0x100000001b3ULL;
        if (w > start)
                *w++ = '-';
        /* "%08x" of the folded hash */
        uint32_t x = (uint32_t)(h ^ (h >> 32));
        for (int i = HEX - 1; i >= 0; i--, x >>= 4)
                w[i] = "0123456789abcdef"[x & 15];
        w += HEX;
        *w = '\0';
        out->len = (size_t)(w - out->ptr);
}
