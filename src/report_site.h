/* Private to the report (src/report*.c): what every page writer shares.
 * The calls run one way: report.c (the orchestration) calls the page
 * writers (report_overview.c, report_pages.c, report_lists.c, ...), and they
 * call the frame and helpers of report_frame.c, which calls none of them. */
#ifndef VERBATIM_REPORT_SITE_H
#define VERBATIM_REPORT_SITE_H

#include "verbatim/agg.h"
#include "verbatim/arena.h"
#include "verbatim/buf.h"
#include "verbatim/diag.h"
#include "verbatim/kb.h"
#include "verbatim/outdir.h"
#include "verbatim/products.h"
#include "verbatim/source.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

struct vb_phrase_index;
struct vb_phrase_tops;
struct rs_notes;

/* The first notes whose quotes say a positioning test's words. */
enum { RS_COPY_SOURCES = 3 };
struct rs_copy_src {
        const char *ids[RS_COPY_SOURCES];
        size_t n;
};

enum rs_page {
        RS_OVERVIEW,
        RS_PHRASES,
        RS_JOBS,
        RS_ROADMAP,
        RS_COPY,
        RS_HISTORY, /* in the navigation only when there is a history */
        RS_SEARCH,  /* in the navigation only with the search (after the history) */
        RS_OTHER,
};

/* The site being written.  While the kb loads, note pages are written with
 * `kb` and `a` still NULL; the other pages come after. */
struct rs_site {
        const struct vb_kb *kb;
        const struct vb_agg *a;
        const struct vb_vocab *v;
        struct vb_source *src;
        struct vb_outdir *out;
        struct vb_diags *d;
        const char *title;
        char **weeks;                       /* a->nweeks labels "2026-W45" */
        struct vb_phrase_index *phrases;    /* NULL when the index could not be built */
        const struct vb_jobs *jobs;         /* the jobs grouped, forces per theme */
        struct rs_copy_src *copy_src;       /* per test of copy.yml: where its words were said */
        const struct rs_notes *notes;       /* every listed note file, for links */
        const struct vb_history *h;         /* NULL: no history */
        const struct vb_products *products; /* lines and products (rs_products_prepare) */
        /* per product of the catalog, what a note page shows of it: its link
         * and its line's (rs_products_links_init); NULL without a catalog */
        char **product_links;
        char **hweeks; /* h->nweeks labels */
        int search;    /* the site has search.html (not --no-search) */
        /* the frame after the title of pages in no navigation entry, in a
         * folder and in a note's folder (rs_frame_init; copies share them) */
        char *sub_rest, *note_rest;
        struct vb_buf page; /* the page being written */
        struct vb_buf tmp;  /* scratch for names */
        /* a long page (rs_long_page) goes out in pieces through `piece` */
        struct vb_buf long_path;
        struct vb_outfile piece;
        int pieces;    /* 0: written whole by rs_end; 1: `piece` is open; -1: it failed */
        int pieces_rc; /* the failure */
};

/* A page is written out in pieces of about this many bytes once it is longer. */
enum { RS_PIECE_BYTES = 256 * 1024 };

/* ---- the frame and shared helpers (report_frame.c) ---- */

/* A copy of `s` for another thread: its own page buffers, its diagnostics
 * going to `d`; everything else is shared and only read.  Free its buffers
 * with rs_site_copy_release. */
void rs_site_copy(struct rs_site *copy, const struct rs_site *s, struct vb_diags *d);
void rs_site_copy_release(struct rs_site *copy);

/* Makes s->sub_rest and s->note_rest once the title and history are
 * known; rs_frame_release frees them. */
void rs_frame_init(struct rs_site *s);
void rs_frame_release(struct rs_site *s);
/* Starts s->page: the frame, the <h1> (`h1`, or the title when NULL) and the
 * notes-with-errors notice. */
void rs_begin(struct rs_site *s, const char *title, const char *h1, const char *root,
              enum rs_page current);
/* Ends s->page and writes it to `relpath`; 0 or a negative VB_ERR*. */
int rs_end(struct rs_site *s, const char *relpath);
/* Declares the page begun a long one (a row per call or quote), to be
 * ended with rs_end(s, relpath): from then on rs_row writes what the page
 * holds to `relpath` whenever that passes RS_PIECE_BYTES, so that no page is
 * held whole in memory. */
void rs_long_page(struct rs_site *s, const char *relpath);
/* After each row of a long page (nothing for other pages). */
void rs_row(struct rs_site *s);

/* A note's page is notes/<hh>/<name>.html, <name> its id's vb_safe_name and
 * <hh> the first two hex digits of that name's hash: 256 folders, since
 * creating thousands of files in one folder is slower (they wait for each
 * other on the folder's lock, and a large folder is searched for every
 * name).  RS_NOTE_ROOT is the root seen from a note's page. */
#define RS_NOTE_ROOT "../../"
/* Appends "notes/<hh>/<name>" for a note id. */
void rs_note_name(struct vb_buf *o, const char *id);
/* Appends `folder` (ending in '/') and vb_safe_name of `key`. */
void rs_page_name(struct vb_buf *o, const char *folder, const char *key);
/* Appends an <a href> to the page of a theme, segment or note (prefix "" from
 * the root, "../" from a theme or segment page, RS_NOTE_ROOT from a note's)
 * with `text` escaped. */
void rs_link_theme(struct rs_site *s, struct vb_buf *o, const char *root, const char *key,
                   const char *text);
void rs_link_segment(struct rs_site *s, struct vb_buf *o, const char *root, const char *key,
                     const char *text);
void rs_link_note(struct rs_site *s, struct vb_buf *o, const char *root, const char *id);
/* Whether a note file with this id was listed: it has a page. */
int rs_has_note_page(const struct rs_site *s, const char *id);
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
/* A theme's direction, the verdict of the one trend test (trend.h): "too
 * few to tell" (vb_trend_too_few), "↑ new", "↑ rising", "↓ fading" or
 * "→ steady", so that the tables and the emerging and fading lists agree. */
void rs_direction(struct vb_buf *o, const struct vb_theme_stats *t);
/* rs_direction, then the recent share against the share before (not when
 * too few). */
void rs_trend(struct vb_buf *o, const struct vb_theme_stats *t);
/* The emerging and fading section (the overview's or the history's):
 * rs_trends_begin opens it and its muted paragraph with the test (the caller
 * ends the paragraph with where the counts come from); rs_trends_list opens
 * one list, with "too few" or "none" when so (the caller closes it);
 * rs_trend_words writes a verdict in plain words, escaped. */
void rs_trends_begin(struct vb_buf *o, size_t nthemes);
void rs_trends_list(struct vb_buf *o, const char *title, size_t n, int too_few);
void rs_trend_words(struct vb_buf *o, const struct vb_trend *t);

/* ---- long lists, newest first (report_quotes.c) ---- */

/* A long list (a theme's quotes, a segment's calls) is paged RS_PAGE_ITEMS
 * items a page: <base>.html, then <base>-2.html, <base>-3.html ... (a safe
 * name ends in 8 hex digits, so no other page is named so).  A theme opens
 * with its RS_BEST_QUOTES best quotes, chosen among its RS_BEST_CANDIDATES
 * newest; near-duplicates are folded with the RS_FOLD_WINDOW groups made
 * last. */
enum { RS_PAGE_ITEMS = 50, RS_BEST_QUOTES = 3, RS_BEST_CANDIDATES = 200, RS_FOLD_WINDOW = 64 };
/* Sets `path` to page `page` (from 1) of `base` ("themes/<name>"). */
void rs_paged_path(struct vb_buf *path, const char *base, size_t page);
size_t rs_page_count(size_t items);
/* "Page k of n" with plain links "Newer" and "Older" (nothing for one page). */
void rs_pager(struct vb_buf *o, const char *base, size_t page, size_t npages);
/* The i-th quote of a theme, newest first. */
const struct vb_quote_ref *rs_newest_quote(const struct vb_theme_stats *t, size_t i);
/* The theme's best quotes as newest-first positions, in the order shown:
 * among the RS_BEST_CANDIDATES newest quotes that have content words, the
 * most central (the mean, over its distinct content words, of how many other
 * candidates say that word), then the newest; one per customer; none
 * similar (vb_phrase_similar) to one already chosen.  Returns how many. */
size_t rs_best_quotes(const struct vb_theme_stats *t, size_t best[RS_BEST_QUOTES]);
/* The theme's quotes newest first, folded: each quote joins the first of
 * the RS_FOLD_WINDOW groups made last whose first (newest) quote it is
 * similar to, else starts a group.  Groups are in the order of their newest
 * quote; a group's quotes are chained head[k], next[head[k]], ... to SIZE_MAX. */
struct rs_groups {
        size_t *head, *count, *next;
        size_t n;
};
void rs_quote_groups(const struct vb_theme_stats *t, struct rs_groups *g);
void rs_groups_release(struct rs_groups *g);

/* ---- the pages (each returns 0 or a negative VB_ERR*) ---- */

/* The overview, index.html (report_overview.c). */
int rs_overview(struct rs_site *s);
/* Theme, segment, stub and note pages (report_pages.c). */
/* The theme pages not yet taken from `next` (a counter shared by the
 * threads writing them, from 0). */
int rs_theme_pages(struct rs_site *s, atomic_size_t *next);
int rs_segment_pages(struct rs_site *s);
/* Pages of themes and segments that note pages link to but that the
 * aggregates do not have (their notes are dated after the as-of date). */
int rs_stub_pages(struct rs_site *s);
int rs_jobs_page(struct rs_site *s);
int rs_roadmap_page(struct rs_site *s);
/* The four forces of progress as a 2 x 2 table of the customers' words
 * (nothing when none was said; report_lists.c). */
void rs_forces(struct vb_buf *o, const char *caption, struct vb_count *const forces[VB_NFORCES],
               const size_t nforces[VB_NFORCES]);
/* The LTV dual track: its own page (ltv.html) and the overview's summary
 * (report_ltv.c). */
int rs_ltv_page(struct rs_site *s);
/* The copy page (copy.html): positioning tests and the copy bank; a theme's
 * positioning tests on its page (report_copy.c). */
int rs_copy_page(struct rs_site *s);
/* Finds where the words of each test were said (s->copy_src), once for every
 * page; rs_copy_release frees it. */
void rs_copy_prepare(struct rs_site *s);
void rs_copy_release(struct rs_site *s);
void rs_theme_copy_tests(struct rs_site *s, struct vb_buf *o, const char *theme);
void rs_ltv_summary(struct rs_site *s, struct vb_buf *o);
/* The "what to build next" table (the first `limit` rows; 0: all), links
 * relative to `root` (report_lists.c). */
void rs_next_table(struct rs_site *s, struct vb_buf *o, const char *root, size_t limit);
int rs_phrases_page(struct rs_site *s);

/* Note pages, written as the kb loads (vb_kb_options hooks): the listing
 * gives every page's name and which of the notes sharing an id (the first
 * by path) has it; each page is written from the text just parsed. */
struct rs_notes {
        struct rs_site *site; /* borrowed; its kb and aggregates are not there yet */
        const char **ids;     /* per listed entry, in `id_arena` */
        struct vb_arena id_arena;
        size_t *by_id;        /* entry indexes by id, then path */
        unsigned char *owner; /* per entry: it has the page of its id */
        atomic_uchar *written;
        unsigned *page_errors; /* per entry: the errors its page says it has */
        size_t n;
        atomic_int failed;
        pthread_mutex_t mu; /* guards d */
        struct vb_diags d;  /* why writing failed */
};

/* Sets up `ns` for the listed entries and links it to `s`. */
int rs_notes_begin(struct rs_notes *ns, struct rs_site *s, const struct vb_entry *e, size_t n);
/* Writes the page of a parsed note (for the kb's on_text hook; `ns` is the
 * rs_notes). */
void rs_note_page(void *ctx, size_t index, const struct vb_note *n, const char *text, size_t len,
                  const struct vb_note_html *html, const struct vb_diags *nd);
/* After the load of `kb`: pages for the files that could not be parsed, and
 * again the pages of notes that the rules across notes (duplicate ids,
 * follows:) found errors in after their page was written;
 * VB_ERR_IO with the diagnostics in `d` when a page could not be written.
 * Then `ns` keeps only what links need, its ids borrowed from kb's notes
 * where it can (kb must outlive ns). */
int rs_notes_finish(struct rs_notes *ns, const struct vb_kb *kb, struct vb_diags *d);
void rs_notes_end(struct rs_notes *ns);
/* Whether a note page links its segment (a vocabulary segment, or any value
 * without a segments list). */
int rs_note_segment_linked(const struct vb_vocab *v, const struct vb_note *n);

/* The history (report_history.c): week labels, history.html (with the
 * emerging and fading themes over the git history) and a theme page's
 * section. */
void rs_history_begin(struct rs_site *s);
void rs_history_end(struct rs_site *s);
int rs_history_page(struct rs_site *s);
void rs_theme_history(struct rs_site *s, struct vb_buf *o, const char *theme);

/* Product lines and products (report_products.c): rs_products_prepare
 * builds `p` (the caller releases it with vb_products_release) and sets
 * s->products; rs_products_pages writes products.html, lines/<name>.html
 * and products/<name>.html (after the phrase index is built); the
 * overview's summary; the themes table's "heard most with" column (when
 * rs_theme_lines_column) and cell; a note page's products (with the
 * vocabulary only, before the aggregates). */
void rs_products_prepare(struct rs_site *s, struct vb_products *p);
/* Makes s->product_links from the vocabulary, before the note pages;
 * rs_products_links_release frees them. */
void rs_products_links_init(struct rs_site *s);
void rs_products_links_release(struct rs_site *s);
int rs_products_pages(struct rs_site *s);
void rs_products_summary(struct rs_site *s, struct vb_buf *o);
int rs_theme_lines_column(const struct rs_site *s);
void rs_theme_line_cell(struct rs_site *s, struct vb_buf *o, const struct vb_theme_stats *t);
void rs_note_products(struct rs_site *s, struct vb_buf *o, const struct vb_note *n);

/* The search page, search.html, and its index in search/ (report_search.c),
 * once the aggregates and the phrase index are there. */
int rs_search_write(struct rs_site *s);

/* The phrase index of the kb's conversations (report_phrases.c). */
void rs_phrases_build(struct rs_site *s);
void rs_phrases_free(struct rs_site *s);
/* A table of the first `max` phrases of `tops`: the words as customers
 * wrote them, notes, quotes, first and last said. */
void rs_phrase_table(struct vb_buf *o, const struct vb_phrase_tops *tops, size_t max);
/* The most frequent phrases of a theme's quotes, as a section of its page. */
void rs_theme_phrases(struct rs_site *s, struct vb_buf *o, const char *theme);
/* Appends "phrases": [...] (every recurring phrase: its key, its words as
 * written, counts and dates) for data.json; nothing when there is no index. */
void rs_phrases_json(const struct rs_site *s, struct vb_buf *out);

#endif
