/* Jobs to be done, aggregated: the jobs customers named grouped when they
 * say the same thing, with what they used before (the real competitors),
 * what they would do without it and the four forces of progress; the
 * five-whys root needs grouped the same way; the forces per theme.
 *
 * Grouping uses the similarity of the quote clusters (phrase.h): two texts
 * say the same thing when the sets of their content words (normalized words
 * that are not stop words) have a Jaccard index of at least 2/3, closed
 * transitively; texts without content words group only when their
 * normalized words are equal.  Past VB_JOBS_MAX_PAIRWISE distinct texts only
 * equal texts group (the pairwise test is quadratic). */
#ifndef VERBATIM_JOBS_H
#define VERBATIM_JOBS_H

#include "verbatim/agg.h"

enum { VB_JOBS_MAX_PAIRWISE = 4000 };

/* A group of texts that say the same thing. */
struct vb_text_group {
        const char *wording;      /* the wording most customers used (vb_count_cmp) */
        size_t notes, customers;  /* conversations and their distinct customers */
        size_t nwordings;         /* distinct wordings in it */
        struct vb_count *before;  /* jobs: what they used before, vb_count_cmp */
        size_t nbefore;           /* (key: normalized words; label: a wording) */
        struct vb_count *without; /* jobs: what they would do without it */
        size_t nwithout;
        struct vb_count *forces[VB_NFORCES]; /* jobs: each force's words, vb_count_cmp */
        size_t nforces[VB_NFORCES];
        struct vb_count *themes; /* the themes of its conversations, most first */
        size_t nthemes;
        const struct vb_note **notes_list; /* its conversations, by date then id */
};

/* The forces of progress whose hashtags name a theme. */
struct vb_theme_forces {
        const char *theme;
        struct vb_count *forces[VB_NFORCES]; /* the words, most first */
        size_t nforces[VB_NFORCES];
};

struct vb_jobs {
        struct vb_arena arena;      /* everything below lives here */
        struct vb_text_group *jobs; /* vb_rank_cmp: customers, conversations, wording */
        size_t njobs;
        struct vb_text_group *roots; /* five-whys root needs, the same way */
        size_t nroots;
        struct vb_theme_forces *themes; /* by theme key */
        size_t nthemes;
        size_t job_notes, root_notes; /* conversations with a job, with a root need */
};

/* Groups the jobs and root needs of the conversations `a` counts.  Free
 * with vb_jobs_release. */
void vb_jobs_build(struct vb_jobs *out, const struct vb_agg *a);
void vb_jobs_release(struct vb_jobs *j);
/* The forces naming `theme`, or NULL. */
const struct vb_theme_forces *vb_jobs_theme_forces(const struct vb_jobs *j, const char *theme);
/* "Push", "Pull", "Anxiety", "Habit" for VB_FORCE_PUSH ... (static). */
const char *vb_force_name(enum vb_force f);

#endif
