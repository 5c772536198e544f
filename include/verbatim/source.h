/* Where notes come from: a folder, a git working tree, a git revision or
 * the git index, behind one interface that lists files and reads their bytes. */
#ifndef VERBATIM_SOURCE_H
#define VERBATIM_SOURCE_H

#include "verbatim/buf.h"
#include "verbatim/diag.h"

#include <stddef.h>
#include <stdint.h>

struct vb_source;

struct vb_entry {
        char *path;            /* relative to the root, '/'-separated; owned */
        unsigned char oid[20]; /* the git blob id (sources from git only) */
        int has_oid;
};

/* A folder on disk.  When it is inside a git working tree, files git ignores
 * are skipped; `.git` folders always are.  Symlinks are followed only to
 * files inside `root`; symlinked folders are never followed.  Returns
 * VB_ERR_NOTFOUND with a diagnostic when `root` is not a folder.  The caller
 * frees the result with vb_source_free (every open function). */
int vb_source_open_dir(struct vb_source **out, const char *root, struct vb_diags *d);

/* 1 if the file name `name` is a note's: it ends with .md. */
int vb_is_note_name(const char *name);
/* 1 if a note's path holds an email address: such a note is not read (the
 * kb says why), so that no page, index or cache holds its name.  (A note id
 * is never a phone number: notes-format.md, Personal data.) */
int vb_path_has_email(const char *path);
/* The tree of a revision (`rev` as git understands it, e.g. HEAD, main~3) of
 * the repository at or above `path`; bare repositories and shallow clones
 * work.  VB_ERR_IO when there is no repository, VB_ERR when `rev` names no
 * tree; both with a diagnostic. */
int vb_source_open_rev(struct vb_source **out, const char *path, const char *rev,
                       struct vb_diags *d);
/* The git index (the staged files, stage 0) of the repository at or above
 * `path`.  GIT_INDEX_FILE is honoured, as git sets it for hooks run by
 * `git commit -a` or `git commit <paths>`. */
int vb_source_open_index(struct vb_source **out, const char *path, struct vb_diags *d);
void vb_source_free(struct vb_source *s);

/* The root folder (for a folder or working tree) or the repository's work
 * directory or git directory; borrowed. */
const char *vb_source_root(const struct vb_source *s);

/* Lists the .md files under `dirs` (paths relative to the root; "." is the
 * whole tree), recursively, sorted by path (strcmp), each once.  Problems (a
 * notes folder that does not exist, a symlink out of the tree, an unreadable
 * folder) go to `d` and listing goes on; the return is 0 then, negative only
 * when the source itself cannot be read.  The caller frees with
 * vb_entries_free. */
int vb_source_list(struct vb_source *s, const char *const *dirs, size_t ndirs,
                   struct vb_entry **out, size_t *n, struct vb_diags *d);
void vb_entries_free(struct vb_entry *e, size_t n);
/* Orders two struct vb_entry by path (strcmp), the order of vb_source_list:
 * a qsort comparator. */
int vb_entry_cmp(const void *a, const void *b);

/* Reads the file at `path` (relative to the root) into `out` (appended).
 * Returns VB_ERR_NOTFOUND when there is none, VB_ERR_IO with a diagnostic
 * when it cannot be read.  Safe to call from several threads at once. */
int vb_source_read(struct vb_source *s, const char *path, struct vb_buf *out, struct vb_diags *d);

/* 1 when the source is a git revision or index, 0 for a folder. */
int vb_source_is_git(const struct vb_source *s);
/* The `git_repository *` the source reads from, or that contains the folder;
 * NULL when there is none.  Borrowed; valid while `s` lives.  Not safe to use
 * while other threads call vb_source_read on `s`. */
void *vb_source_repository(struct vb_source *s);

/* Where the root is in its git working tree: "" at its top, "kb/" for the
 * folder kb (a monorepo); NULL when the source is in no working tree (a
 * revision or the index: ""); borrowed.  Prefixed to a path relative to the
 * root, it gives the path relative to the repository. */
const char *vb_source_prefix(const struct vb_source *s);

/* For "what changed since REV": opens in *out the tree to compare `s` with,
 * the merge base of `rev` and HEAD (for a source of a revision: of `rev` and
 * that revision), or `rev` itself when they share no history.  With `rev`
 * "HEAD" in a repository without a commit yet, *out is NULL and VB_OK
 * (everything is new).  VB_ERR when `rev` names no commit, VB_ERR_IO when
 * `s` is in no repository; both with a diagnostic.  Free with
 * vb_source_free. */
int vb_source_open_base(struct vb_source **out, struct vb_source *s, const char *rev,
                        struct vb_diags *d);
/* 1 when the file `path` (relative to the root of `s`) holds other bytes in
 * `s` than in `base` (from vb_source_open_base), is in only one of them, or
 * `base` is NULL; 0 when it is the same in both (or in neither). */
int vb_source_differs(struct vb_source *s, struct vb_source *base, const char *path);

/* What a file's metadata says of its content, as git's index keeps it: when
 * none of these changed, the bytes are taken not to have changed either
 * (nanosecond times; a write also moves the change time, which nobody can
 * set back). */
struct vb_file_stat {
        uint64_t size, mtime_ns, ctime_ns, ino, dev;
};

/* The metadata of note `path` of a folder source (a symlink's target's), for
 * a cache that skips reading unchanged files.  VB_OK; VB_ERR for a git source
 * (whose entries carry their blob ids) or when the file cannot be stat'ed. */
int vb_source_stat(struct vb_source *s, const char *path, struct vb_file_stat *out);
/* The metadata of the file at `path` (any file, e.g. the index file);
 * VB_OK or VB_ERR. */
int vb_file_stat_path(struct vb_file_stat *out, const char *path);

/* Computes the git blob id of `len` bytes (what `git hash-object` prints),
 * so that caches can key plain-folder files like git blobs; `s` keeps
 * libgit2 started for the next call.  Thread-safe.  0 or VB_ERR. */
int vb_oid_hash_blob(struct vb_source *s, unsigned char oid[20], const char *buf, size_t len);

/* Where the absolute, resolved `path` lies against the folder `dir` (the
 * same form; a trailing '/' of `dir` is ignored, and "/" holds every path):
 * the one "path is inside folder" rule. */
enum vb_path_place { VB_PATH_OUTSIDE = 0, VB_PATH_SAME = 1, VB_PATH_BELOW = 2 };
enum vb_path_place vb_path_within(const char *path, const char *dir);
/* `path` made absolute and resolved as far as it exists (symlinks of its
 * existing part resolved, "." and ".." of the rest folded), for a path that
 * may not exist yet; NULL when the current folder cannot be known.  The
 * caller frees the result. */
char *vb_path_resolve(const char *path);

#endif
