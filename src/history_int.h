/* Private to the history's files: history.c (loading, one note),
 * history_walk.c (the main line walked, tree changes, blobs parsed) and
 * history_replay.c (counts replayed by deltas, the result).  Not part of the
 * public API. */
#ifndef VERBATIM_HISTORY_INT_H
#define VERBATIM_HISTORY_INT_H

#include "git.h"
#include "history_data.h"
#include "verbatim/history.h"
#include "verbatim/vocab.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

static inline const char *vb_hist_git_errtext(void)
{
        const git_error *e = git_error_last();
        return e && e->message ? e->message : "unknown error";
}

/* ---- parsing blobs in parallel (history_walk.c) ---- */

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

/* The blobs to parse, queued by the walk as it finds them: parser threads
 * (each with its own reader of the packs) start
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

/* An empty queue for the blobs of the repository at `gitdir`, parsed with
 * `themes_key` (and checked as `check` says), read from the packs of `pack`
 * (NULL: by libgit2), by `threads` threads (0: one per processor; at most
 * 8). */
void vb_hist_parse_init(struct parse_queue *q, const char *gitdir, const char *themes_key,
                        const struct note_check *check, const struct vb_hpack *pack, int threads);
/* Parses what is left with the caller's thread too, waits for the parser
 * threads and stores the results in `h` (NULL: drops them, after an
 * error).  Returns how many blobs were parsed. */
size_t vb_hist_parse_finish(struct parse_queue *q, struct vb_history_data *h);

/* ---- walking the main line (history_walk.c) ---- */

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

/* Brings h->commits to the main line ending at `head`: keeps the cached
 * prefix, diffs the new commits.  *boundary is set for a shallow clone. */
int vb_hist_walk(struct walk *w, git_commit *head, struct parse_queue *q, size_t *processed,
                 int *boundary, struct vb_diags *d);
/* Releases the trees t[0..*n) and sets *n to 0. */
void vb_hist_release_held(struct held_tree *t, size_t *n);

/* ---- replay: counts by deltas (history_replay.c) ---- */

struct theme_acc;

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

/* Replays every commit of r->h (tree changes, vocabulary changes) and fills
 * `res`: commits, weekly series, themes and their trends; `repo` to read the
 * vocabularies of the past.  `res` owns what it holds (its arena). */
void vb_hist_build_result(struct vb_history *res, struct replay *r,
                          const struct vb_history_options *opt, int boundary, git_repository *repo);
/* Frees what the replay holds (not r->h, nor the result). */
void vb_hist_replay_release(struct replay *r);

#endif
