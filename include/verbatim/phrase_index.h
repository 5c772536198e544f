/* The phrase index of a knowledge base: its conversations' quotes turned into
 * note records (struct vb_pnote) and indexed (phrase.h), with a cache keyed
 * by content, and where the index file lives.
 *
 * What is indexed: every note whose outcome is connected or absent (a
 * conversation), with its id, path, date, segment, themes, LTV tier, products
 * (each with its product line in verbatim.yml's catalog) and content id,
 * and its quotes with their line and themes.  Quote text is stored with
 * personal data redacted (vb_pii_redact): the index file is build output that
 * reports are made from, so emails and phone numbers written in a quote
 * never reach it.  Each note is also checked (vb_check_note) so that the
 * number of notes with errors is known; cross-note rules are `check`'s.
 *
 * The cache.  A rebuild reads the previous index file: a note whose content
 * id (git blob id; for a folder, the blob id of its bytes) equals that of a
 * record of the previous index is not parsed again, its record is reused
 * (with the note's current path and id); a note that was no conversation is
 * remembered by content id and skipped the same way.  Nothing is reused when
 * verbatim.yml changed (its content id is in the file), nor a note that had
 * errors (so that they are counted again).
 *
 * Where the index file lives (vb_index_default_path): never among the notes.
 *   - in a git repository (a working tree, a revision or the index):
 *     <git dir>/verbatim/index, e.g. .git/verbatim/index;
 *   - in a plain folder: a hidden file beside it, <parent>/.<name>.verbatim-index
 *     (a plain folder is its own notes folder by default, notes: [.]).
 * An explicit -o inside a notes folder is refused (vb_index_check_path). */
#ifndef VERBATIM_PHRASE_INDEX_H
#define VERBATIM_PHRASE_INDEX_H

#include "verbatim/buf.h"
#include "verbatim/diag.h"
#include "verbatim/phrase.h"
#include "verbatim/source.h"
#include "verbatim/vocab.h"

#include <stddef.h>
#include <stdint.h>

/* What a build did. */
struct vb_index_stats {
        size_t files;             /* .md files found */
        size_t notes;             /* conversations in the index */
        size_t quotes;            /* quotes in the index */
        size_t parsed;            /* notes parsed by this build */
        size_t reused;            /* notes taken from the previous index */
        size_t notes_with_errors; /* notes (or files) with at least one error */
        size_t unread;            /* of the reused, files not even read (file cache, git) */
};

/* Builds the phrase index of the conversations of `src` into `out`.  `prev`
 * (NULL for none) is the previous index, whose records are reused for
 * unchanged content (see above).  Every diagnostic (of the vocabulary and of
 * each parsed note) goes to `d`.  Returns VB_OK, or VB_ERR_IO when the source
 * cannot be listed.  The caller frees `out` with vb_phrase_index_release. */
int vb_index_build(struct vb_phrase_index *out, struct vb_index_stats *stats, struct vb_source *src,
                   const struct vb_phrase_index *prev, struct vb_diags *d);

struct vb_filecache;

/* vb_index_build with the file cache (filecache.h), for a folder source:
 * a file whose metadata `files_in` (NULL: none) holds is not read, its
 * content id is the cache's; `files_out` (NULL: none made) receives the
 * metadata and content id of every file seen whose content id is known
 * (racy ones left out).  A git source (a revision, the git index) neither
 * uses nor makes one: its entries carry their blob ids. */
int vb_index_build_cached(struct vb_phrase_index *out, struct vb_index_stats *stats,
                          struct vb_source *src, const struct vb_phrase_index *prev,
                          const struct vb_filecache *files_in, struct vb_filecache *files_out,
                          struct vb_diags *d);

/* Appends the path of the file cache of the index file at `index_path`:
 * "<index_path>.files", beside it. */
void vb_index_cache_path(struct vb_buf *out, const char *index_path);

/* Reads the previous index file at `path` for a rebuild: only its notes and
 * cache (vb_phrase_index_read_notes) when `trusted` (the file cache vouches
 * that it is the file written), else whole and checked (vb_index_load).
 * Statuses and diagnostics as vb_index_load. */
int vb_index_load_previous(struct vb_phrase_index *out, const char *path, int trusted,
                           struct vb_diags *d);

/* Appends the default path of the index file of `src` (see above). */
void vb_index_default_path(struct vb_buf *out, struct vb_source *src);

/* VB_OK when an index file may be written at `path`; VB_ERR with an
 * `index-in-notes` diagnostic when `path` lies inside one of the notes folders
 * of `v` (on disk, under the source's working tree or root).  Paths inside
 * the git directory are always allowed. */
int vb_index_check_path(const char *path, struct vb_source *src, const struct vb_vocab *v,
                        struct vb_diags *d);

/* VB_OK when writing the index file at `path` replaces nothing but an
 * earlier index: `path` is absent, or a regular file that starts with the
 * index file's magic line (a damaged index included).  Anything else (a
 * verbatim.yml, a note, a folder, a device, a FIFO, a symbolic link) gives
 * VB_ERR_EXISTS with an `output-refused` diagnostic. */
int vb_index_check_replace(const char *path, struct vb_diags *d);

/* Writes the index file of `ix` at `path` atomically, creating its folder
 * when that folder's parent exists.  VB_OK or VB_ERR_IO with a diagnostic. */
int vb_index_write(const struct vb_phrase_index *ix, const char *path, struct vb_diags *d);

/* The largest index file read (a bound, so that a device or a huge file is
 * refused rather than read): 1 GiB, about five million notes. */
#define VB_INDEX_MAX_BYTES ((uint64_t)1 << 30)

/* An index file mapped read-only into memory (the bytes are borrowed from the
 * map; ptr is NULL for an empty file). */
struct vb_index_map {
        const char *ptr;
        size_t len;
};

/* Maps the index file at `path`.  Only a regular file of at most
 * VB_INDEX_MAX_BYTES is read (a FIFO, a device or a folder is refused at
 * once, with a `not-an-index` diagnostic, VB_ERR); VB_ERR_NOTFOUND with a
 * `no-index` diagnostic when there is none; VB_ERR_IO when it cannot be read.
 * The caller closes `m` with vb_index_map_close. */
int vb_index_map_open(struct vb_index_map *m, const char *path, struct vb_diags *d);
void vb_index_map_close(struct vb_index_map *m);

/* Reads the index file at `path` into `out` (through vb_index_map_open, so
 * with its refusals).  VB_ERR_NOTFOUND with a
 * `no-index` diagnostic when there is none, VB_ERR_IO when it cannot be read,
 * VB_ERR with a `damaged-index` diagnostic when it is damaged; `out` is empty
 * then.  The caller frees `out` with vb_phrase_index_release. */
int vb_index_load(struct vb_phrase_index *out, const char *path, struct vb_diags *d);

/* Opens the index file at `path` for queries in place (vb_phrase_index_open
 * over vb_index_map_open: only what a query touches is read), with the
 * refusals and statuses of vb_index_load.  The caller releases `out` with
 * vb_phrase_index_release, then closes `m` with vb_index_map_close. */
int vb_index_open(struct vb_phrase_index *out, struct vb_index_map *m, const char *path,
                  struct vb_diags *d);

#endif
