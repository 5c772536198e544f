/* The team's vocabulary (verbatim.yml) and roadmap (roadmap.yml). */
#ifndef VERBATIM_VOCAB_H
#define VERBATIM_VOCAB_H

#include "verbatim/arena.h"
#include "verbatim/date.h"
#include "verbatim/diag.h"
#include "verbatim/note.h"

#include <stddef.h>

struct vb_tag {
        const char *key;   /* canonical theme */
        const char *label; /* the key when no label is given */
        const char *kind;  /* problem | feature-request | emotion | reason | NULL */
        const char **aliases;
        size_t naliases;
        struct vb_pos pos;
};

struct vb_segment {
        const char *key;
        const char *label;
};

/* A product of the optional `products:` catalog; `line` is its product line
 * (NULL when not given). */
struct vb_product {
        const char *key;
        const char *label;
        const char *line;
};

/* The weights of the opportunity score (`opportunity:` in verbatim.yml; see
 * include/verbatim/opportunity.h and README for their meaning). */
struct vb_opportunity_weights {
        double lost_revenue; /* x (1 + this x share of lost-revenue conversations) */
        double high_ltv;     /* x (1 + this x share of customers in the top LTV tier) */
        double trend;        /* x (1 + this x the trend, -1 .. 1) */
        /* x this when a roadmap item addresses the theme, by its status:
         * idea, planned, building, shipped */
        double roadmap[4];
        const char **lost_segments; /* default: abandoner, returner */
        size_t nlost_segments;
};

/* A positioning test of copy.yml: customers' words tried as copy. */
struct vb_copy_test {
        const char *id, *phrase, *channel, *metric; /* NULL when not given */
        const char **tags;
        size_t ntags;
        struct vb_date start, end; /* end unset while it runs */
        double control, result;
        int has_control, has_result;
        struct vb_pos pos, phrase_pos; /* of its id, of its phrase */
};

struct vb_reason_group {
        const char *name;
        const char **tags;
        size_t ntags;
};

struct vb_ltv_tier {
        const char *label;
        double below;
        int has_below; /* the last tier has none */
};

struct vb_roadmap_item {
        const char *id, *title, *status; /* status: idea|planned|building|shipped */
        struct vb_date shipped;
        const char **tags;
        size_t ntags;
        struct vb_pos pos;
};

struct vb_tag_table; /* private: key/alias lookup */

struct vb_vocab {
        struct vb_arena arena;
        const char *path; /* "verbatim.yml", or "" for the defaults */
        const char *title;
        const char **notes; /* folders that hold notes; default "." */
        size_t nnotes;
        struct vb_segment *segments;
        size_t nsegments;
        int has_segments; /* no segments: any value is accepted */
        struct vb_tag *tags;
        size_t ntags;
        int has_tags; /* no tags: any tag is accepted */
        const char **required;
        size_t nrequired;
        struct vb_reason_group *reason_groups;
        size_t nreason_groups;
        struct vb_ltv_tier *ltv_tiers;
        size_t nltv_tiers;
        int weekly_goal;        /* 0 when not set */
        const char *themes_key; /* default "tags" */
        const char *templates;  /* NULL when not set */
        struct vb_product *products;
        size_t nproducts;
        int has_products; /* no catalog: any product id is accepted */
        struct vb_opportunity_weights opportunity;
        struct vb_roadmap_item *roadmap;
        size_t nroadmap;
        struct vb_copy_test *copy_tests; /* copy.yml, in its order */
        size_t ncopy_tests;
        struct vb_tag_table *table;
};

/* The vocabulary when there is no verbatim.yml: every default of the format. */
struct vb_vocab *vb_vocab_default(void);
/* Parses verbatim.yml.  Problems go to `d` at file:line:col; a vocabulary is
 * returned even with errors (defaults where a key is wrong) unless the YAML
 * itself is unreadable (VB_ERR, *out NULL).  Free with vb_vocab_free. */
int vb_vocab_load(struct vb_vocab **out, const char *path, const char *buf, size_t len,
                  struct vb_diags *d);
/* Adds the items of roadmap.yml to `v`. */
int vb_vocab_load_roadmap(struct vb_vocab *v, const char *path, const char *buf, size_t len,
                          struct vb_diags *d);
/* Adds the positioning tests of copy.yml to `v`; problems (not a mapping, a
 * missing phrase, unknown tags, bad dates or numbers, an end before the
 * start, personal data in a phrase) go to `d` at copy.yml:line:col. */
int vb_vocab_load_copy(struct vb_vocab *v, const char *path, const char *buf, size_t len,
                       struct vb_diags *d);
void vb_vocab_free(struct vb_vocab *v);

/* The tag whose key or alias is `name` (case-insensitive; spaces and hyphens
 * alike), or NULL.  *is_alias tells whether an alias matched. */
const struct vb_tag *vb_vocab_tag(const struct vb_vocab *v, const char *name, int *is_alias);
/* The tag whose key, alias or key's first word is closest to `name`, for
 * "did you mean" (the rule of vb_vocab_suggest_key), or NULL.  Borrowed. */
const char *vb_vocab_suggest_tag(const struct vb_vocab *v, const char *name);
const struct vb_segment *vb_vocab_segment(const struct vb_vocab *v, const char *key);
const char *vb_vocab_segment_label(const struct vb_vocab *v, const char *key);
/* The segment a note's `segment:` value counts under: the value, or
 * "unknown" when it is absent, empty or (with segments:) no segment key.
 * Borrowed: `value` or a static string. */
const char *vb_vocab_segment_key(const struct vb_vocab *v, const char *value);
/* The product `key` of the catalog, or NULL. */
const struct vb_product *vb_vocab_product(const struct vb_vocab *v, const char *key);
/* The key among `n` items of `stride` bytes, each starting with its key
 * (struct vb_segment, struct vb_product), closest to `name`, or NULL: "did
 * you mean" of segments and products, by the rule of tags (case folded;
 * within 1 edit for names of up to 4 characters, 2 up to 8, else 3; or a
 * prefix of 3 or more).  Borrowed from `items`. */
const char *vb_vocab_suggest_key(const char *name, const void *items, size_t n, size_t stride);
const struct vb_roadmap_item *vb_vocab_roadmap_item(const struct vb_vocab *v, const char *id);
/* The LTV tier label of a note ("unknown" without ltv). */
const char *vb_vocab_ltv_tier(const struct vb_vocab *v, int has_ltv, double ltv);
/* The reason group of a theme, or the theme itself when in no group. */
const char *vb_vocab_reason_group(const struct vb_vocab *v, const char *theme);
/* The label of a theme ("Unsure about fit"), or the theme itself. */
const char *vb_vocab_theme_label(const struct vb_vocab *v, const char *theme);
/* The theme a tag as written stands for: the canonical key, or when the
 * vocabulary has no tags, the tag folded (lower case, spaces as hyphens);
 * NULL when the vocabulary does not know it.  The result lives as long as
 * `v` or `arena`. */
const char *vb_vocab_theme(const struct vb_vocab *v, struct vb_arena *arena, const char *name,
                           int *is_alias);

/* Resolves a note's tags to themes: fills tags[i].theme, .alias and
 * n->themes (distinct, front matter first). */
void vb_note_resolve(struct vb_note *n, const struct vb_vocab *v);
/* The themes of a quote: its own hashtags' themes, or the note's themes
 * when it has none.  Returns the count; *out points into the note. */
size_t vb_quote_themes(const struct vb_note *n, size_t quote, const char ***out,
                       struct vb_arena *scratch);
/* The main reason of a cart abandoner: reason:, else the first theme under
 * "What almost stopped them", else NULL.  A theme it has to make (a
 * vocabulary without tags folds reason:) goes in `arena`. */
const char *vb_note_main_reason(const struct vb_note *n, const struct vb_vocab *v,
                                struct vb_arena *arena);

#endif
