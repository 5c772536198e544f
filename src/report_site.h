/* Private to the report (src/report*.c): what every page writer shares. */
#ifndef VERBATIM_REPORT_SITE_H
#define VERBATIM_REPORT_SITE_H

#include "verbatim/agg.h"
#include "verbatim/buf.h"
#include "verbatim/diag.h"
#include "verbatim/kb.h"
#include "verbatim/output.h"
#include "verbatim/source.h"

#include <stddef.h>

struct vb_phrase_index;

enum rs_page {
        RS_OVERVIEW,
        RS_PHRASES,
        RS_JOBS,
        RS_ROADMAP,
        RS_HISTORY, /* in the navigation only when there is a history */
        RS_OTHER,
};

struct rs_site {
        const struct vb_kb *kb;
        const struct vb_agg *a;
        const struct vb_vocab *v;
        struct vb_source *src;
        struct vb_outdir *out;
        struct vb_diags *d;
        const char *title;
        char **weeks;                    /* a->nweeks labels "2026-W45" */
        struct vb_phrase_index *phrases; /* NULL when the index could not be built */
        const struct vb_note **by_id;    /* kb->notes sorted by id, then path */
        size_t nby_id;
        const struct vb_history *h; /* NULL: no history */
        char **hweeks;              /* h->nweeks labels */
        struct vb_buf page;         /* the page being written */
        struct vb_buf tmp;          /* scratch for names */
};

/* Starts s->page: the frame, the <h1> (`h1`, or the title when NULL) and the
 * notes-with-errors notice. */
void rs_begin(struct rs_site *s, const char *title, const char *h1, const char *root,
              enum rs_page current);
/* Ends s->page and writes it to `relpath`; 0 or a negative VB_ERR*. */
int rs_end(struct rs_site *s, const char *relpath);

/* Appends an <a href> to the page of a theme, segment or note (prefix "" from
 * the root, "../" from a subfolder) with `text` escaped. */
void rs_link_theme(struct rs_site *s, struct vb_buf *o, const char *root, const char *key,
                   const char *text);
void rs_link_segment(struct rs_site *s, struct vb_buf *o, const char *root, const char *key,
                     const char *text);
void rs_link_note(struct rs_site *s, struct vb_buf *o, const char *root, const char *id);
/* The first note (by path) with this id, or NULL. */
const struct vb_note *rs_find_note(const struct rs_site *s, const char *id);
/* "12.5 %" with one decimal, locale-independent. */
void rs_percent(struct vb_buf *o, double share);
void rs_date(struct vb_buf *o, struct vb_date d);
/* <td class="num">n</td> */
void rs_td_num(struct vb_buf *o, size_t n);
/* A table of themes with their conversations and customers: a row a count,
 * the theme linked when it has a page (`root` as for rs_link_theme). */
void rs_theme_counts(struct rs_site *s, struct vb_buf *o, const char *root, const char *caption,
                     const char *const head[3], const struct vb_count *counts, size_t n);
/* A weekly bar chart of a series of a->nweeks values. */
void rs_weekly_chart(struct rs_site *s, struct vb_buf *o, const char *id, const uint32_t *count,
                     const char *title);
/* A trend arrow with words: recent share against the share before. */
void rs_trend(struct vb_buf *o, const struct vb_theme_stats *t);

/* The pages (each returns 0 or a negative VB_ERR*). */
int rs_overview(struct rs_site *s);
int rs_theme_pages(struct rs_site *s);
int rs_segment_pages(struct rs_site *s);
int rs_note_pages(struct rs_site *s);
int rs_jobs_page(struct rs_site *s);
int rs_roadmap_page(struct rs_site *s);
int rs_phrases_page(struct rs_site *s);

/* The history (report_history.c): week labels, history.html, a theme
 * page's section, and the overview's emerging themes from the history. */
void rs_history_begin(struct rs_site *s);
void rs_history_end(struct rs_site *s);
int rs_history_page(struct rs_site *s);
void rs_theme_history(struct rs_site *s, struct vb_buf *o, const char *theme);
void rs_history_emerging(struct rs_site *s, struct vb_buf *o);

/* The phrase index of the kb's conversations (report_phrases.c). */
void rs_phrases_build(struct rs_site *s);
void rs_phrases_free(struct rs_site *s);
/* The most frequent phrases of a theme's quotes, as a section of its page. */
void rs_theme_phrases(struct rs_site *s, struct vb_buf *o, const char *theme);

#endif
