/* Writing output safely: files replaced atomically, output folders swapped in
 * whole, and file names made from note ids and theme keys.
 *
 * A failed write never leaves a half-written file or folder behind: readers
 * see the old output or the new one.  Output folders carry a marker file,
 * .verbatim-output, and a non-empty folder without it is never replaced, so
 * that a mistyped `-o ~/` cannot delete anyone's files. */
#ifndef VERBATIM_OUTDIR_H
#define VERBATIM_OUTDIR_H

#include "verbatim/buf.h"
#include "verbatim/diag.h"

#include <stdatomic.h>
#include <stddef.h>

/* The name of the marker file in every output folder. */
#define VB_OUTPUT_MARKER ".verbatim-output"

/* Writes data[0..len) to `path` through a temporary file in the same folder,
 * ".<name>.tmp-XXXXXX", locked while it is written and renamed over `path`
 * (synced first only with VB_FSYNC=1, as below).  Temporary files of `path`
 * that killed writes left (no lock held) are removed first.  Returns 0, or
 * VB_ERR_IO with a `write-failed` diagnostic; the temporary file is removed
 * on failure. */
int vb_write_file_atomic(const char *path, const char *data, size_t len, struct vb_diags *d);

/* An output folder being written: files go to a temporary sibling folder that
 * replaces the final one on commit.  Zero it (or use VB_OUTDIR_INIT) before
 * vb_outdir_begin; every string in it is owned by it. */
struct vb_outdir {
        char *final_dir; /* where the output ends up */
        char *tmp_dir;   /* ".<name>.tmp-XXXXXX" beside it; NULL when not begun */
        char *parent;    /* the folder holding both */
        char *name;      /* the final folder's own name */
        int has_prev;    /* final_dir is an earlier output, open as prev_fd */
        int prev_fd;
        unsigned file_mode;  /* of the files written (0644 less the umask) */
        int tmp_fd;          /* tmp_dir, open: files are made relative to it */
        atomic_int no_flink; /* 1: unchanged files are linked by name (see outdir.c) */
};

#define VB_OUTDIR_INIT                                                                             \
        {                                                                                          \
                NULL, NULL, NULL, NULL, 0, -1, 0, -1, 0                                            \
        }

/* Starts an output folder that will replace `final_dir`: checks that
 * final_dir is absent, an empty folder or an earlier verbatim output (else
 * VB_ERR_EXISTS with an `output-refused` diagnostic), then creates the
 * temporary folder with its marker file (VB_ERR_IO and `write-failed` on
 * failure); the run holds a lock on it (flock on tmp_fd) until `o` is
 * released.  What killed runs left beside final_dir is removed in the
 * background: old outputs of vb_outdir_commit_detached (".<name>.old-*" with
 * the marker) and temporary folders (".<name>.tmp-XXXXXX", ours, with the
 * marker or empty) whose lock no run holds.  On success the caller ends with
 * vb_outdir_commit or vb_outdir_abort. */
int vb_outdir_begin(struct vb_outdir *o, const char *final_dir, struct vb_diags *d);
/* Writes a file at `relpath` inside the output, creating its folders.  When
 * the output being replaced has a regular file at `relpath` with exactly
 * these bytes (and the mode new files get), that file is hard-linked instead of written: a
 * rerun over unchanged notes allocates no inode and copies no data, and
 * removing the old output then frees nothing those pages use.  The
 * path must be relative, with '/' between non-empty components that are not
 * "." or "..", and no backslash (else VB_ERR and an `unsafe-path`
 * diagnostic).  Returns 0, VB_ERR or VB_ERR_IO. */
int vb_outdir_write(struct vb_outdir *o, const char *relpath, const char *data, size_t len,
                    struct vb_diags *d);
/* A file of the output written in pieces, for pages too large to hold in
 * memory whole.  The same rules as vb_outdir_write: a file of the output
 * being replaced with exactly the bytes written in the end (compared piece by
 * piece as they come) is hard-linked in place of the new one on close. */
struct vb_outfile {
        struct vb_outdir *o;
        char *relpath, *path;
        int fd;      /* the new file; -1 once failed */
        int prev_fd; /* the replaced output's file while it matches; -1 when not */
        int rc;      /* the first failure (VB_ERR*), reported on close */
        unsigned long long prev_ino, prev_dev;
};

/* Creates the file at `relpath` (checked as for vb_outdir_write, folders
 * created).  On success (0) the caller ends with vb_outfile_close; on
 * failure (VB_ERR or VB_ERR_IO, diagnosed in `d`) nothing is to be closed. */
int vb_outfile_open(struct vb_outfile *f, struct vb_outdir *o, const char *relpath,
                    struct vb_diags *d);
/* Appends data[0..len).  A failure is diagnosed in `d` once, and
 * vb_outfile_close returns it; later writes do nothing. */
void vb_outfile_write(struct vb_outfile *f, const char *data, size_t len, struct vb_diags *d);
/* Closes the file and releases `f`.  Returns 0, or the first failure of
 * the file (VB_ERR_IO); a failed file is removed. */
int vb_outfile_close(struct vb_outfile *f, struct vb_diags *d);

/* Swaps the new output in place of final_dir (an atomic exchange
 * where Linux offers renameat2, else rename aside, rename in), then removes
 * the old output.  The new files are not synced to disk first unless the
 * environment has VB_FSYNC=1 (the swap is atomic without it; only a power
 * loss right after a run could leave incomplete files).  Concurrent runs each have their own
 * temporary folder and the last commit wins.  Returns 0, VB_ERR_EXISTS (final_dir stopped looking
 * like an output meanwhile) or VB_ERR_IO; `o` is released either way. */
int vb_outdir_commit(struct vb_outdir *o, struct vb_diags *d);
/* vb_outdir_commit, but the old output, once swapped out, is renamed to a
 * hidden ".<name>.old-XXXXXX" beside final_dir and removed by a detached
 * child process, so that the caller does not wait for it.  A removal that is
 * killed leaves only that hidden folder, which vb_outdir_begin removes. */
int vb_outdir_commit_detached(struct vb_outdir *o, struct vb_diags *d);
/* Removes the temporary folder and releases `o`; final_dir is untouched.
 * Safe to call on a released or never begun vb_outdir. */
void vb_outdir_abort(struct vb_outdir *o);

/* Appends a file name made of [a-z0-9_-] for `id` (a note id or theme key,
 * which may hold anything: '/', "..", spaces, Unicode, control bytes).  The
 * name is a readable part, then '-' and 8 hex digits of a hash of all of
 * id's bytes, so that different ids ("A" and "a") get different names and the
 * same id always the same name.  The readable part keeps ASCII letters
 * (lower-cased), digits, '_' and '-'; every other run of bytes becomes one
 * '-'; it has no leading or trailing '-' and at most 60 bytes, and is left
 * out when empty (the name is then the 8 hex digits).  The hash is the
 * 64-bit FNV-1a of the bytes with its two halves xor-ed. */
void vb_safe_name(struct vb_buf *out, const char *id);

#endif
