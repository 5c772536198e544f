/* The static HTML insight report: a self-contained site (no scripts, nothing
 * loaded from elsewhere) built from a knowledge base and its aggregates.
 *
 * Pages: index.html (overview), themes/<name>.html, segments/<name>.html,
 * notes/<hh>/<name>.html, phrases.html, jobs.html, roadmap.html, ltv.html,
 * copy.html and style.css, where <name> is vb_safe_name of the theme key,
 * segment key or note id, and <hh> the first two of the hex digits that end
 * <name>; when notes name products, products.html, lines/<name>.html and
 * products/<name>.html (<name> of the line or product id).
 * With a history (vb_report_history_load), also history.html (themes over
 * the commits of the main line), a history section on each theme page and
 * the history's emerging themes on the overview.
 * With `json`, also data.json (vb_agg_json) and a CSV file per table of
 * vb_agg_csv_tables (vb_agg_csv).  The same input gives the same
 * bytes: nothing depends on the clock, the locale or thread scheduling. */
#ifndef VERBATIM_REPORT_H
#define VERBATIM_REPORT_H

#include "verbatim/agg.h"
#include "verbatim/diag.h"
#include "verbatim/history.h"
#include "verbatim/kb.h"
#include "verbatim/source.h"

struct vb_report_options {
        const char *out_dir; /* the folder the site replaces (see vb_outdir_begin) */
        const char *title;   /* NULL: the vocabulary's title, else "Voice of the customer" */
        int json;            /* also write data.json and the CSV files */
        const struct vb_history *history; /* NULL: no history in the site; borrowed */
        /* when `history` is NULL: load the history with these options
         * (vb_report_history_load), once the output folder passed its checks
         * (a refused -o costs no history); NULL: no history */
        const struct vb_history_options *load_history;
        struct vb_date as_of; /* the report's date; unset: the newest note's */
        int no_search;        /* no search.html and no script anywhere (--no-search) */
};

/* What a report was made of. */
struct vb_report_stats {
        size_t notes, themes, notes_with_errors;
};

/* Writes the whole site of the knowledge base in `src` (at `kb_root`, for
 * the output folder rule of vb_report_check_out_dir): each note's page as
 * the note is parsed, from the text just read (every note is read once),
 * then the aggregates and every other page.  Files go to a temporary folder
 * swapped in place of opt->out_dir only when every file was written; on any
 * failure the previous report is left as it was.  Returns 0 with *st
 * filled, or a negative VB_ERR* with diagnostics in `d` (the notes' own
 * problems are check's: they are only counted). */
int vb_report_build(struct vb_report_stats *st, struct vb_source *src, const char *kb_root,
                    const struct vb_report_options *opt, struct vb_diags *d);

/* The history to show in the report of the knowledge base at `kb_root`,
 * loaded from `src` (the source the kb was read from) with vb_history_load
 * and `opt` (the cache is used unless opt->no_cache).  There is history only
 * when the notes come from a git revision, or when `kb_root` is the work
 * directory root of the repository that contains it and its HEAD has a
 * commit: a folder that merely lies somewhere inside another repository (a
 * fixture inside a project's own tree) has none.  *out is NULL then, and
 * also when the history cannot be read (a `history-skipped` warning in `d`
 * says why).  Returns 0; the caller frees *out with vb_history_free. */
int vb_report_history_load(struct vb_history **out, struct vb_source *src, const char *kb_root,
                           const struct vb_history_options *opt, struct vb_diags *d);

/* Refuses (VB_ERR with an `output-refused` diagnostic) an output folder that
 * would lie inside one of the vocabulary's notes folders under `kb_root`, or
 * that is `kb_root` itself or one of its ancestors.  A notes folder "." (the
 * whole tree, the default) only forbids the root itself.  Paths that do not
 * exist yet are judged by their nearest existing ancestor.  Returns 0 when
 * the folder is fine. */
int vb_report_check_out_dir(const char *kb_root, const struct vb_vocab *v, const char *out_dir,
                            struct vb_diags *d);

#endif
