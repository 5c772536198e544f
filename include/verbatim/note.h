/* One call note: front matter and body, parsed from a byte buffer.
 *
 * The same parser serves files, git blobs and the git index.  Everything a
 * note holds lives in its own arena and is freed by vb_note_free. */
#ifndef VERBATIM_NOTE_H
#define VERBATIM_NOTE_H

#include "verbatim/arena.h"
#include "verbatim/buf.h"
#include "verbatim/date.h"
#include "verbatim/diag.h"
#include "verbatim/yaml.h"

#include <stddef.h>
#include <stdint.h>

struct vb_vocab;

/* Limits: a larger note or a longer line is diagnosed (see README). */
enum {
        VB_NOTE_MAX_BYTES = 2 * 1024 * 1024, /* larger notes are not parsed */
        VB_NOTE_MAX_LINE = 64 * 1024,        /* longer lines are an error, still parsed */
        VB_NOTE_MAX_TAGS = 1000,             /* tags after this many are ignored */
};

/* A front-matter scalar with its position; value NULL when absent. */
struct vb_field {
        const char *value;
        struct vb_pos pos;
};

enum vb_outcome {
        VB_OUTCOME_CONNECTED, /* also when outcome: is absent */
        VB_OUTCOME_VOICEMAIL,
        VB_OUTCOME_NO_ANSWER,
        VB_OUTCOME_DECLINED,
        VB_OUTCOME_OTHER, /* a value the format does not know */
};

/* `verdict:` of a follow-up call: did what shipped solve the problem? */
enum vb_verdict {
        VB_VERDICT_NONE, /* not given */
        VB_VERDICT_SOLVED,
        VB_VERDICT_PARTLY,
        VB_VERDICT_NOT_SOLVED,
        VB_VERDICT_OTHER, /* a value the format does not know (an error in check) */
};

enum vb_section_kind {
        VB_SECTION_OTHER,
        VB_SECTION_CONTEXT,
        VB_SECTION_ALMOST_STOPPED,       /* What almost stopped them */
        VB_SECTION_CONVINCED,            /* What finally convinced them */
        VB_SECTION_WOULD_HAVE_CONVINCED, /* What would have convinced them */
        VB_SECTION_RETURNED,             /* Why they returned it */
        VB_SECTION_WOULD_HAVE_KEPT,      /* What would have kept it */
        VB_SECTION_JOB,                  /* Job(s) to be done */
        VB_SECTION_WHYS,                 /* Five whys */
};

struct vb_section {
        const char *title;
        enum vb_section_kind kind;
        struct vb_pos pos;
};

/* A tag as written: from the front matter's themes key or a #hashtag. */
struct vb_tag_ref {
        const char *name;  /* as written, without '#' */
        const char *theme; /* the canonical theme after vb_note_resolve, or NULL */
        struct vb_pos pos;
        int quote;             /* index in quotes of the quote it tags, or -1 */
        unsigned char hashtag; /* 1: a #hashtag in the body; 0: front matter */
        unsigned char alias;   /* vb_note_resolve: written as an alias */
        /* enum vb_section_kind of the section it is in (OTHER: front matter,
         * or before any section) */
        unsigned char section_kind;
        unsigned char force; /* enum vb_force of the force item it is in */
};

struct vb_quote {
        const char *text; /* the customer's words: hashtags and enclosing quotation
                             marks removed, white space collapsed */
        struct vb_pos pos;
        /* its hashtags: tags[tag_first..] (at most VB_NOTE_MAX_TAGS) */
        uint16_t tag_first, tag_count;
        unsigned char section_kind; /* enum vb_section_kind of its section */
};

/* The four forces of progress (JTBD) under "Job to be done". */
enum vb_force {
        VB_FORCE_NONE,
        VB_FORCE_PUSH,    /* Push: what pushed them to look */
        VB_FORCE_PULL,    /* Pull: what drew them to this product */
        VB_FORCE_ANXIETY, /* Anxiety: what worried them about switching */
        VB_FORCE_HABIT,   /* Habit: what held them to what they had */
};
enum { VB_NFORCES = 4 };

struct vb_job {
        const char *job, *before, *without_it; /* NULL when not written */
        /* forces[VB_FORCE_PUSH - 1] ...: the item's words without its hashtags
         * (several items of one force joined by "; "), NULL when not written */
        const char *forces[VB_NFORCES];
        struct vb_pos pos;
};

struct vb_why {
        const char *text; /* the item; for "Why ...? answer", the answer */
        struct vb_pos pos;
};

struct vb_front_key {
        const char *key;
        struct vb_pos pos; /* of the value */
        int empty;         /* no value (`key:`), an empty list or mapping */
};

struct vb_pii_hit {
        int kind; /* enum vb_pii_kind */
        struct vb_pos pos;
        int in_quote;
};

/* The parts of a note that only `check` reads, and the front matter's tree:
 * behind a pointer, so that a compacted note (vb_note_compact) does not
 * carry them. */
struct vb_note_check {
        /* the whole tree only with vb_note_options.keep_front_matter (it costs
         * memory), else NULL; in its own arena, so that it can go first
         * (vb_note_drop_front) */
        const struct vb_yaml *front;
        struct vb_arena *front_arena;
        /* the front matter's keys (when it is a mapping) and closing line */
        struct vb_front_key *front_keys;
        size_t nfront_keys;
        unsigned front_end_line; /* the closing --- line, 0 when none */
        struct vb_field date_field, interviewer, channel, outcome_field, ltv_field, verdict_field;
        /* personal data found in the body */
        struct vb_pii_hit *pii;
        size_t npii;
        /* the first template prompt left in the body (a line starting
         * `_Ask:_`, as `verbatim new` writes them); line 0 when none */
        struct vb_pos prompt;
};

/* A note.  The report keeps one per call in memory (compacted), so the
 * layout is tight: counts are unsigned (a note is at most VB_NOTE_MAX_BYTES)
 * and grouped after the pointers. */
struct vb_note {
        const char *path; /* as given to vb_note_parse */
        const char *id;   /* file stem */
        /* what vb_note_parse allocated the note's strings and arrays in, and
         * what only check reads: both NULL after vb_note_compact */
        struct vb_arena *arena;
        struct vb_note_check *check;

        struct vb_field segment, customer, follows, reason;
        struct vb_date date; /* set when the date field parses */
        /* flags and small enums in a byte each (the report keeps 10,000s of
         * notes: the struct is most of a compacted note) */
        unsigned char outcome; /* enum vb_outcome */
        unsigned char verdict; /* enum vb_verdict */
        unsigned char has_ltv;
        unsigned char front_ok;         /* the front matter is a valid YAML mapping */
        unsigned char has_front_matter; /* a --- block was found (even if invalid) */
        /* a template never filled in: a prompt is left and the note has no
         * quote and no tag (it is no conversation, whatever its outcome) */
        unsigned char unfilled;
        unsigned body_line; /* first line of the body */
        double ltv;

        struct vb_field *roadmap;
        struct vb_field *products; /* products: as written (ids of the catalog, or any) */
        struct vb_tag_ref *tags;   /* front-matter tags first, then hashtags in body order */
        struct vb_section *sections;
        struct vb_quote *quotes;
        struct vb_job *jobs;
        struct vb_why *whys;
        const char **themes; /* the distinct themes after vb_note_resolve: front matter, then
                                hashtags */
        unsigned nroadmap, nproducts, ntags, nfront_tags, nsections, nquotes, njobs, nwhys, nthemes;
        /* error diagnostics the parser gave (vb_note_parse); after vb_kb_load,
         * every error of the note, check's rules too: a note has errors when
         * it is not 0 */
        unsigned errors;
};

/* The body's HTML, made in the parse's own pass of the Markdown. */
struct vb_note_html {
        /* what vb_html_markdown appends for the body (the text after the front
         * matter, line body_line on), when `done` */
        struct vb_buf buf;
        /* 0: not made, the caller renders the body itself: there is none, or
         * the parse had to change its bytes (NUL, invalid UTF-8, line
         * separators), read it from other offsets (a byte order mark, a CR
         * ending a line) or could not finish */
        int done;
};

struct vb_note_options {
        const char *themes_key;    /* front-matter key of the themes; NULL: "tags" */
        int keep_front_matter;     /* keep the YAML tree in note->front */
        int skip_personal_data;    /* leave note->check->pii empty (only check reads it) */
        struct vb_note_html *html; /* NULL: no HTML; else reset and filled */
};

/* Parses `len` bytes of `path` into a new note.  Problems go to `d`; a note
 * is returned whenever the bytes could be looked at (even with errors), so
 * that tools load what they can.  Returns VB_OK, or VB_ERR with *out NULL
 * when nothing could be parsed (binary, too large).  `buf` need not be
 * NUL-terminated and is not kept.  The caller frees with vb_note_free. */
int vb_note_parse(struct vb_note **out, const char *path, const char *buf, size_t len,
                  const struct vb_note_options *opt, struct vb_diags *d);
void vb_note_free(struct vb_note *n);

/* Frees note->front (kept with keep_front_matter) and sets it to NULL: a
 * caller that needed the tree only for a moment keeps the note without it. */
void vb_note_drop_front(struct vb_note *n);

/* The note as the report keeps it after writing its page: one block
 * (struct, arrays and strings), returned in place of `n`, which is freed.
 * Call it after vb_note_resolve.  The contract, what a compacted note keeps:
 *
 *   path, id; segment, customer, follows and reason (value and pos); date,
 *   outcome, ltv, has_ltv, errors, front_ok, has_front_matter, unfilled,
 *   body_line;
 *   roadmap (value and pos);
 *   products (value and pos);
 *   tags: every tag, in place (quotes' tag_first stay valid), with theme,
 *   pos, quote, hashtag, alias and section_kind, but name NULL;
 *   nfront_tags;
 *   quotes: all, every member;
 *   jobs: all, every member;
 *   whys: the last only (the root cause): nwhys is 0 or 1;
 *   themes: all.
 *
 * Dropped (NULL or 0): front and check (front-matter keys, the date,
 * interviewer, channel, outcome and ltv fields as written, personal
 * data); tags' names, the sections (nsections 0; tags and quotes
 * keep their section's kind), the whys before the last.
 * Only `check` and the note page read those, and they read the note before
 * it is compacted.
 *
 * Strings equal to a string of `v` are not copied but borrowed from `v`:
 * themes (tags[].theme, themes[]) that are tag keys, the segment when it is
 * a segment key, the reason when it is a tag key, roadmap ids that are
 * roadmap items, product ids of the catalog (so a note's products cost a
 * pointer and a position each).  `v` (NULL: copy everything) must then outlive the note; a
 * kb frees its notes before its vocabulary.  Pointers into `n` taken
 * before are invalid.  Free the result with vb_note_free. */
struct vb_note *vb_note_compact(struct vb_note *n, const struct vb_vocab *v);
/* vb_note_compact with the block taken from `pool` (NULL: malloc): many
 * notes in a few big blocks.  A note in a pool is not freed with
 * vb_note_free; vb_arena_release of the pool frees it. */
struct vb_note *vb_note_compact_in(struct vb_note *n, const struct vb_vocab *v,
                                   struct vb_arena *pool);

/* Whether the note is a conversation (outcome connected or absent). */
int vb_note_is_conversation(const struct vb_note *n);

/* The stem of a path: "calls/2026/a.md" -> "a" (written into `out`). */
void vb_note_id_of(struct vb_buf *out, const char *path);

#endif
