/* History: themes over time, from the first-parent main line of a git
 * repository.
 *
 * The commits of the main line are walked once, oldest first; each is diffed
 * against the previous main-line commit (tree to tree, limited to the notes
 * folders and verbatim.yml), each distinct blob is parsed once, and theme
 * counts are updated by deltas.  Tags are resolved to themes with the
 * vocabulary of the revision shown (its verbatim.yml), for every commit: a
 * tag the team renamed, the old key kept as an alias, therefore stays one
 * series.  Only conversations (outcome connected or absent) carry themes.
 *
 * A cache in the git directory (`<git dir>/verbatim/history.cache`) keeps the
 * parsed blobs and the per-commit tree changes, so that a rerun after one new
 * commit diffs and parses only that commit.  Results are the same bytes with
 * or without it. */
#ifndef VERBATIM_HISTORY_H
#define VERBATIM_HISTORY_H

#include "verbatim/arena.h"
#include "verbatim/date.h"
#include "verbatim/diag.h"
#include "verbatim/trend.h"

#include <stddef.h>
#include <stdint.h>

/* "No commit" in the commit indexes below. */
#define VB_HISTORY_NONE ((size_t)-1)

struct vb_history_options {
        const char *rev;      /* the revision shown; NULL: HEAD */
        struct vb_date as_of; /* unset: the committer date (UTC) of `rev` */
        struct vb_date since; /* unset: the series start at the first week */
        int no_cache;         /* 1: neither read nor write the cache */
        int threads;          /* parser threads; 0: one per core (at most 8) */
        /* 1: the blobs parsed are also checked (check's rules on each note,
         * with the revision's vocabulary), so that vb_history_count_errors
         * need not parse them again */
        int check_notes;
};

/* A commit of the main line.  Authors' emails are never kept. */
struct vb_history_commit {
        char id[41];         /* hex */
        int64_t time;        /* committer time, Unix seconds */
        int offset;          /* committer's offset from UTC, minutes */
        int64_t week;        /* vb_week_index of the committer date in UTC */
        const char *subject; /* the first line of the message */
        const char *author;  /* the author's name */
};

/* What one commit did to one theme (notes, conversations only). */
struct vb_history_change {
        size_t commit;     /* index in vb_history.commits */
        unsigned added;    /* notes added that carry the theme */
        unsigned removed;  /* notes removed that carried it */
        unsigned tagged;   /* notes that gained the theme (retagged, or became a conversation) */
        unsigned untagged; /* notes that lost it */
};

/* A tag renamed by the team: `from` (the old key, now an alias) to `to`. */
struct vb_history_rename {
        const char *from, *to;
        size_t commit; /* where it happened first */
        int in_vocab;  /* 1: seen in verbatim.yml (a key became an alias of another) */
        int in_notes;  /* 1: seen in notes (written as the old key, then as the new) */
};

struct vb_history_theme {
        const char *key; /* the theme (a key of the newest vocabulary) */
        const char *label;
        size_t first_commit;       /* the commit that introduced it, or VB_HISTORY_NONE */
        const char *first_call_id; /* the earliest call that ever carried it (by date, then id) */
        struct vb_date first_call_date;
        /* per week of vb_history (nweeks values): */
        unsigned *by_commit; /* notes carrying it at the end of the week (commit dates) */
        unsigned *by_call;   /* notes at the revision shown, by their call week */
        size_t notes_now, customers_now;   /* at the revision shown */
        struct vb_history_change *changes; /* in commit order */
        size_t nchanges;
        struct vb_history_rename *renames; /* in commit order */
        size_t nrenames;
        /* relative to the as-of date, from call dates at the revision shown: */
        struct vb_trend trend;               /* emerging, fading or steady (trend.h) */
        int emerging;                        /* trend.verdict is new or rising */
        int fading;                          /* trend.verdict is fading */
        double share_recent4, share_prior12; /* share of conversations, weeks -3..0 and -15..-4 */
        double share_recent8, share_prior26; /* the trend: weeks -7..0 and -33..-8 */
        size_t customers_recent;             /* distinct customers in the last 8 weeks */
};

/* How much work a run did (to test and measure the cache). */
struct vb_history_stats {
        size_t commits;           /* main-line commits in the history */
        size_t commits_processed; /* diffed in this run (the rest came from the cache) */
        size_t blobs;             /* distinct note blobs */
        size_t blobs_parsed;      /* parsed in this run */
        int cache_read;           /* 1: a valid cache was used */
        int cache_written;        /* 1: the cache was (re)written */
        /* vb_history_count_errors: files at the revision shown, and those
         * taken from its cache (not parsed); its cache read, written */
        size_t error_files, error_reused;
        int errors_cache_read, errors_cache_written;
};

struct vb_history {
        struct vb_arena arena;             /* every string and array below */
        struct vb_history_commit *commits; /* the main line, oldest first */
        size_t ncommits;
        size_t shown;                 /* index of the revision shown (the last commit) */
        const char *shallow_boundary; /* id of the oldest commit of a shallow clone, or NULL */
        struct vb_date as_of;
        int64_t first_week; /* the series' weeks: first_week .. first_week + nweeks - 1 */
        size_t nweeks;
        unsigned *conversations_by_call; /* per week: conversations at the revision shown */
        unsigned *notes_by_commit;       /* per week: live notes at the end of the week */
        struct vb_history_theme *themes; /* sorted by key */
        size_t nthemes;
        size_t notes_now; /* notes at the revision shown */
        size_t conversations_now;
        /* notes at the revision shown with parse errors (`verbatim history`
         * counts them with the kb's rules instead, vb_kb_load) */
        size_t notes_with_errors;
        struct vb_history_stats stats;
        struct vb_history_data *data; /* private: blobs and tree changes, for vb_history_note */
};

/* Builds the history of the repository at or above `path`.  Returns VB_OK,
 * VB_ERR_IO with a `no-repository` diagnostic when there is none, VB_ERR
 * when the revision is unknown.  A damaged or stale cache is rebuilt (a
 * `cache` note in `d` says so).  The caller frees with vb_history_free. */
int vb_history_load(struct vb_history **out, const char *path, const struct vb_history_options *opt,
                    struct vb_diags *d);
void vb_history_free(struct vb_history *h);

/* Sets h->notes_with_errors to the notes with errors at the revision shown,
 * as every command counts them (vb_kb_load's rules) in the repository at or
 * above `path`.  A note that had no error under the same vocabulary files
 * (and program) is not parsed again: .git/verbatim/history-errors.cache keeps
 * what the rules across notes need of it, by blob id (`no_cache`: neither
 * read nor written; a damaged or stale one is ignored and rewritten).
 * Returns VB_OK, or VB_ERR_IO when the revision cannot be read. */
int vb_history_count_errors(struct vb_history *h, const char *path, int no_cache);

/* The theme `key` (a key or alias of the newest vocabulary), or NULL. */
const struct vb_history_theme *vb_history_theme(const struct vb_history *h, const char *key);
/* The index of `week` in the series, or -1 when outside. */
long vb_history_week_slot(const struct vb_history *h, int64_t week);

enum vb_note_event_kind {
        VB_NOTE_ADDED,
        VB_NOTE_EDITED, /* content changed (maybe its themes) */
        VB_NOTE_MOVED,  /* renamed or moved (maybe edited too) */
        VB_NOTE_REMOVED,
};

/* One change of a note in one commit. */
struct vb_note_event {
        size_t commit; /* index in vb_history.commits */
        enum vb_note_event_kind kind;
        const char *path;     /* the path after the commit (before it, for REMOVED) */
        const char *old_path; /* MOVED: the path before; else NULL */
        int content_changed;  /* the blob changed (always for ADDED and REMOVED) */
        const char **themes_added, **themes_removed; /* theme changes */
        size_t nthemes_added, nthemes_removed;
        const char **tags; /* the tags as written after the commit (none when REMOVED) */
        size_t ntags;
};

struct vb_note_history {
        struct vb_arena arena;
        const char *id;
        struct vb_note_event *events; /* in commit order */
        size_t nevents;
};

/* The changes of the note `id` (its file stem) over the main line: added,
 * edited, moved (renames followed, whatever the new name), removed.  Returns
 * VB_OK (no events when no note had that id) .  The caller frees with
 * vb_note_history_free. */
int vb_history_note(struct vb_note_history **out, const struct vb_history *h, const char *id);
void vb_note_history_free(struct vb_note_history *nh);

/* What verbatim history calls a theme's trend, its recent 8 weeks' share
 * against the 26 before: "rising", "falling", "steady", "new" or "-".
 * Static. */
const char *vb_history_trend_word(const struct vb_history_theme *t);
/* "added", "edited", "moved" or "removed"; static. */
const char *vb_note_event_kind_name(enum vb_note_event_kind kind);
/* Appends the JSON of `verbatim history --format=json` to `b`: the history,
 * its weekly series from week index `from` on, and the themes (only those
 * `sel` names, by key or alias, when nsel > 0). */
void vb_history_json(struct vb_buf *b, const struct vb_history *h, const char *const *sel,
                     size_t nsel, size_t from);
/* Appends the JSON of `verbatim history --note ID --format=json` to `b`. */
void vb_note_history_json(struct vb_buf *b, const struct vb_history *h,
                          const struct vb_note_history *nh);

#endif
