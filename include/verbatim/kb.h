/* A knowledge base: the vocabulary and every note, loaded from a source.
 *
 * Notes are read and parsed in parallel (one worker per core); the result is
 * in path order whatever the scheduling, so output is deterministic. */
#ifndef VERBATIM_KB_H
#define VERBATIM_KB_H

#include "verbatim/diag.h"
#include "verbatim/note.h"
#include "verbatim/source.h"
#include "verbatim/vocab.h"

#include <stddef.h>

/* What the rules across notes need of every note, kept even when the note
 * itself is not (vb_kb_options.on_note returning 0). */
struct vb_note_ref {
        const char *path, *id, *customer, *follows; /* owned by the kb; NULL when absent */
        struct vb_pos follows_pos;
        struct vb_date date;
        int conversation;
        unsigned errors;       /* as the note's (struct vb_note.errors) */
        struct vb_note *note;  /* the note when kept, else NULL */
        unsigned char oid[20]; /* content id, set when a reuse hook was given */
        int has_oid;
};

struct vb_kb {
        struct vb_vocab *vocab;   /* freed after the notes, which may borrow from it */
        struct vb_note_ref *refs; /* every parsed note, in path order */
        size_t nrefs;
        struct vb_note **notes; /* in path order; parse failures are left out */
        size_t nnotes;
        size_t nfiles; /* .md files found */
        /* notes (or files) with at least one error: the parser's, check's
         * rules on each note (vb_check_note) and, when every note is loaded
         * (no `files`), across notes (vb_check_kb).  The one count every
         * command shows. */
        size_t notes_with_errors;
        size_t bytes;   /* bytes read */
        size_t nreused; /* files the reuse hook took from a cache (not parsed) */
        size_t nunread; /* of those, files not even read (a git blob id, or oid_of) */
        /* the compacted notes' blocks, one pool per loading thread (a
         * compacted note is not freed on its own) */
        struct vb_arena *pools;
        size_t npools;
};

/* What a vb_kb_note_fn returns. */
enum vb_kb_keep {
        VB_KB_DROP = 0, /* free the note (its ref stays) */
        VB_KB_KEEP = 1, /* keep it in kb->notes as it is */
        /* keep it compacted (vb_note_compact_in with kb->vocab and one of
         * kb->pools): it then borrows strings of the vocabulary, which
         * vb_kb_free frees after the notes */
        VB_KB_KEEP_COMPACT = 2,
};

/* Called in a worker thread for each parsed note, with the note's own
 * diagnostics list.  Returns an enum vb_kb_keep: whether and how the note
 * is kept in kb->notes. */
typedef int (*vb_kb_note_fn)(void *ctx, struct vb_note *n, const struct vb_vocab *v,
                             struct vb_diags *d);

struct vb_kb_options {
        /* only these files (paths relative to the root), instead of the
         * vocabulary's notes folders; NULL for all */
        const char *const *files;
        size_t nfiles;
        vb_kb_note_fn on_note; /* NULL: keep every note */
        void *ctx;
        int threads; /* 0: one per core */
        /* the vocabulary (from vb_kb_load_vocab), which the kb takes over
         * even when loading fails; NULL: loaded from the source */
        struct vb_vocab *vocab;
        int keep_front_matter;  /* notes keep their YAML tree (vb_note_options) */
        int skip_personal_data; /* notes are not scanned for it (vb_note_options) */
        /* kb->refs stays NULL (nrefs 0): only the kept notes are there, in
         * kb->notes, which saves a ref per file (for callers that read only
         * the notes, like the report) */
        int no_refs;
        /* Called once the files are listed, before any is read, with the
         * entries in path order (the indexes on_text gives).  Return VB_OK to
         * go on; anything else stops the load, which returns it (the hook
         * says why in `d`). */
        int (*on_list)(void *ctx, const struct vb_entry *entries, size_t n, struct vb_diags *d);
        /* Called in a worker thread for each parsed and resolved note, before
         * on_note, with the bytes it was parsed from, the index of its entry,
         * its body's HTML (with html_bodies, when the parse could make it:
         * vb_note_html; else NULL) and its diagnostics: to use the text while
         * it is at hand. */
        void (*on_text)(void *ctx, size_t index, const struct vb_note *n, const char *text,
                        size_t len, const struct vb_note_html *html, const struct vb_diags *nd);
        /* notes' bodies are rendered to HTML as they are parsed, for on_text */
        int html_bodies;
        /* the day the rules on dates count from (a date after it plus one
         * day is in the future); unset: vb_date_today() */
        struct vb_date today;
        /* With a reuse hook (vb_kb_load_reusing), called in a worker thread
         * before a file of a folder source is read: fills `oid` with its
         * content id and returns 1 when the caller knows it without the bytes
         * (a cache keyed by the file's metadata, vb_source_stat), else 0.
         * A known file is offered to the reuse hook unread, as a git entry. */
        int (*oid_of)(void *ctx, const char *path, unsigned char oid[20]);
};

/* verbatim.yml and roadmap.yml of `src` (the default vocabulary when there
 * is no verbatim.yml, or it cannot be read); problems go to `d`.  The caller
 * frees the result with vb_vocab_free, or passes it to vb_kb_load. */
struct vb_vocab *vb_kb_load_vocab(struct vb_source *src, struct vb_diags *d);

/* Loads verbatim.yml, roadmap.yml and the notes of `src`.  Every note is
 * checked (vb_check_note; across notes too, vb_kb_check_across, when no
 * `files` and no reuse hook are given: with no_refs, across the kept notes)
 * and its `errors` counts them all; a date with an error (in the future,
 * before 1970) is cleared: the note is undated, so it sets no as-of date
 * and no week.  Diagnostics of every file go to `d`, sorted by path and
 * line.  Returns VB_OK (even when notes had errors: see
 * kb->notes_with_errors), or VB_ERR_IO when the source cannot be listed.
 * The caller frees with vb_kb_free. */
int vb_kb_load(struct vb_kb **out, struct vb_source *src, const struct vb_kb_options *opt,
               struct vb_diags *d);
void vb_kb_free(struct vb_kb *kb);

/* The cache hook.  Called in a worker thread for each file before it is
 * parsed, with its content id: the git blob id (from the source's listing,
 * before reading), or for a folder the blob id of the bytes read
 * (vb_oid_hash_blob).  Return 1 when the caller has what it needs of this
 * content from a cache: the file is then not parsed and has no ref, note or
 * diagnostics; it counts in kb->nreused. */
typedef int (*vb_kb_reuse_fn)(void *ctx, const char *path, const unsigned char oid[20]);

/* vb_kb_load with a cache hook (`reuse` NULL: parse every file). */
int vb_kb_load_reusing(struct vb_kb **out, struct vb_source *src, const struct vb_kb_options *opt,
                       vb_kb_reuse_fn reuse, void *reuse_ctx, struct vb_diags *d);

/* The rules across notes (duplicate ids, follows:, vb_check_refs) over the
 * kb's refs (with no_refs: its notes) and `nextra` refs of notes the kb
 * did not parse (a cache's): their error diagnostics go to `d` and count in
 * the refs' and notes' `errors` (the extra refs' too: the caller's records
 * of them must say so) and in kb->notes_with_errors.  vb_kb_load runs it when it loads every note
 * and has no reuse hook; with one, the caller runs it with the reused notes. */
void vb_kb_check_across(struct vb_kb *kb, struct vb_note_ref *extra, size_t nextra,
                        struct vb_diags *d);

/* The notes folder of `v` (as verbatim.yml names it; borrowed) that an
 * output at `out` would be among, the notes folders being under `root`: the
 * one "never among the notes" guard of index and report.  `out` (absolute
 * and resolved: vb_path_resolve) is a folder that will hold the output (the
 * index file's) or, with `replaced`, a folder replaced whole (the report's):
 * it is among the notes when it is a notes folder or inside one, and a
 * replaced folder also when it holds one.  A replaced folder is never among
 * the notes folder "." (the whole tree: only the root itself would be, which
 * the caller refuses).  NULL when it is among none. */
const char *vb_kb_notes_overlap(const char *out, const char *root, const struct vb_vocab *v,
                                int replaced);

/* The note with this id, or NULL (the first by path when ids repeat). */
const struct vb_note *vb_kb_find(const struct vb_kb *kb, const char *id);

#endif
