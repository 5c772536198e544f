/* The report site's orchestration: the output folder's checks, the note
 * pages as the kb loads, the aggregates, the pages in two threads, data.json
 * and the CSVs, and writing the whole site atomically (vb_outdir).  The
 * pages are written by report_overview.c, report_pages.c and the other
 * report_*.c files; the frame and helpers they share are in report_frame.c,
 * which calls none of them: the calls run one way, from here down. */
#include "verbatim/report.h"

#include "report_site.h"
#include "verbatim/html.h"
#include "verbatim/jobs.h"
#include "verbatim/phrase.h"

#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the output folder ---- */

int vb_report_check_out_dir(const char *kb_root, const struct vb_vocab *v, const char *out_dir,
                            struct vb_diags *d)
{
        char *root = vb_path_resolve(kb_root), *out = vb_path_resolve(out_dir);
        int rc = VB_OK;
        if (!root || !out) {
                vb_diags_add(d, out_dir, 0, 0, VB_SEV_ERROR, "output-refused",
                             "cannot resolve the output folder; give an existing parent folder");
                rc = VB_ERR;
                goto done;
        }
        if (vb_path_within(root, out)) {
                vb_diags_add(d, out_dir, 0, 0, VB_SEV_ERROR, "output-refused",
                             "the output folder would replace the knowledge base; choose a folder "
                             "inside it such as 'public'");
                rc = VB_ERR;
                goto done;
        }
        const char *notes = vb_kb_notes_overlap(out, kb_root, v, 1);
        if (notes) {
                vb_diags_add(d, out_dir, 0, 0, VB_SEV_ERROR, "output-refused",
                             "the output folder overlaps the notes folder '%s'; write the "
                             "report outside the notes (e.g. -o public)",
                             notes);
                rc = VB_ERR;
        }
done:
        free(root);
        free(out);
        return rc;
}

static int write_data(struct rs_site *s)
{
        struct vb_buf b = VB_BUF_INIT, name = VB_BUF_INIT;
        int rc;
        vb_agg_json(&b, s->a);
        if (s->phrases && b.len > 3 && !strcmp(b.ptr + b.len - 3, "\n}\n")) {
                /* the phrases, the words as customers wrote them, last */
                vb_buf_truncate(&b, b.len - 3);
                vb_buf_adds(&b, ",\n");
                rs_phrases_json(s, &b);
                vb_buf_adds(&b, "\n}\n");
        }
        rc = vb_outdir_write(s->out, "data.json", b.ptr, b.len, s->d);
        for (size_t i = 0; rc == VB_OK && vb_agg_csv_tables[i]; i++) {
                vb_buf_reset(&b);
                vb_buf_reset(&name);
                rc = vb_agg_csv(&b, s->a, vb_agg_csv_tables[i]);
                if (rc != VB_OK) {
                        vb_diags_add(s->d, "", 0, 0, VB_SEV_ERROR, "write-failed",
                                     "cannot make the %s table", vb_agg_csv_tables[i]);
                        break;
                }
                vb_buf_addf(&name, "%s.csv", vb_agg_csv_tables[i]);
                rc = vb_outdir_write(s->out, name.ptr, b.ptr, b.len, s->d);
        }
        vb_buf_release(&b);
        vb_buf_release(&name);
        return rc;
}

/* The kb hooks' context: the note pages. */
struct load_ctx {
        struct rs_site *site;
        struct rs_notes notes;
        int listed;
};

static int on_list(void *ctx, const struct vb_entry *e, size_t n, struct vb_diags *d)
{
        struct load_ctx *c = ctx;
        (void)d;
        c->listed = 1;
        return rs_notes_begin(&c->notes, c->site, e, n);
}

static void on_text(void *ctx, size_t index, const struct vb_note *n, const char *text, size_t len,
                    const struct vb_note_html *html, const struct vb_diags *nd)
{
        struct load_ctx *c = ctx;
        rs_note_page(&c->notes, index, n, text, len, html, nd);
}

static int on_note(void *ctx, struct vb_note *n, const struct vb_vocab *v, struct vb_diags *d)
{
        (void)ctx;
        (void)v;
        (void)d;
        (void)n;
        return VB_KB_KEEP_COMPACT; /* its page is written: keep only what the other pages read */
}

/* The site's second thread: the phrase index, which needs only the notes,
 * while this thread computes the aggregates; then, once they are there,
 * the pages that use the index (theme pages, taken in turn with this
 * thread once it has written the others, and the phrases page).  It works on a copy of the site
 * with its own buffers and diagnostics (the rest is only read). */
struct side {
        struct rs_site site;
        struct vb_diags d;
        pthread_mutex_t mu;
        pthread_cond_t cv;
        int ready; /* 0: the aggregates are coming; 1: they are in `site`; -1: none */
        int built; /* the phrase index is built (site.phrases, NULL if it could not be) */
        atomic_size_t next_theme; /* theme pages are taken in turn by both threads */
        int rc, started;
        pthread_t tid;
};

static void *side_main(void *arg)
{
        struct side *x = arg;
        rs_phrases_build(&x->site);
        /* every theme's phrases counted now, so that both threads only read */
        if (x->site.phrases)
                vb_phrase_top_theme(x->site.phrases, NULL);
        pthread_mutex_lock(&x->mu);
        x->built = 1;
        pthread_cond_broadcast(&x->cv);
        while (!x->ready)
                pthread_cond_wait(&x->cv, &x->mu);
        pthread_mutex_unlock(&x->mu);
        if (x->ready > 0)
                x->rc = rs_theme_pages(&x->site, &x->next_theme);
        if (x->ready > 0 && x->rc == VB_OK)
                x->rc = rs_phrases_page(&x->site);
        return NULL;
}

static void side_start(struct side *x, const struct rs_site *s)
{
        memset(x, 0, sizeof(*x));
        atomic_init(&x->next_theme, 0);
        rs_site_copy(&x->site, s, &x->d);
        pthread_mutex_init(&x->mu, NULL);
        pthread_cond_init(&x->cv, NULL);
        x->started = pthread_create(&x->tid, NULL, side_main, x) == 0;
}

/* Hands the aggregates and what is made from them over (`s` NULL: there
 * are none, the thread writes nothing); without a thread, its work is done
 * here and now. */
static void side_ready(struct side *x, const struct rs_site *s)
{
        pthread_mutex_lock(&x->mu);
        if (s) {
                x->site.a = s->a;
                x->site.jobs = s->jobs;
                x->site.copy_src = s->copy_src;
                x->site.weeks = s->weeks;
                x->site.hweeks = s->hweeks;
        }
        x->ready = s ? 1 : -1;
        pthread_cond_broadcast(&x->cv);
        pthread_mutex_unlock(&x->mu);
        if (!x->started)
                side_main(x);
}

/* Writes theme pages beside the thread once its phrase index is built
 * (this thread has written its own pages by then, and the index is what
 * the theme pages wait for). */
static int side_help(struct side *x, struct rs_site *s)
{
        pthread_mutex_lock(&x->mu);
        while (!x->built)
                pthread_cond_wait(&x->cv, &x->mu);
        pthread_mutex_unlock(&x->mu);
        struct vb_phrase_index *own = s->phrases;
        s->phrases = x->site.phrases; /* only read, by both */
        int rc = rs_theme_pages(s, &x->next_theme);
        s->phrases = own;
        return rc;
}

/* Waits for the thread; its diagnostics go to `d`, its phrase index to
 * s->phrases (to be freed).  Returns its status. */
static int side_join(struct side *x, struct rs_site *s, struct vb_diags *d)
{
        if (x->started)
                pthread_join(x->tid, NULL);
        pthread_mutex_destroy(&x->mu);
        pthread_cond_destroy(&x->cv);
        vb_diags_move(d, &x->d);
        s->phrases = x->site.phrases;
        rs_site_copy_release(&x->site);
        return x->rc;
}

/* Every page but the notes', those of the second thread and those that
 * read the phrase index. */
static int write_pages(struct rs_site *s)
{
        const char *css = vb_html_stylesheet();
        int rc = vb_outdir_write(s->out, "style.css", css, strlen(css), s->d);
        if (rc == VB_OK)
                rc = rs_segment_pages(s);
        if (rc == VB_OK)
                rc = rs_stub_pages(s);
        if (rc == VB_OK)
                rc = rs_jobs_page(s);
        if (rc == VB_OK)
                rc = rs_ltv_page(s);
        if (rc == VB_OK && s->h)
                rc = rs_history_page(s);
        return rc;
}

/* The pages that show the customers' phrases (what to build next, the copy
 * bank): after the join, when s->phrases is the built index. */
static int write_phrase_pages(struct rs_site *s)
{
        int rc = rs_overview(s);
        if (rc == VB_OK)
                rc = rs_roadmap_page(s);
        if (rc == VB_OK)
                rc = rs_copy_page(s);
        if (rc == VB_OK)
                rc = rs_products_pages(s);
        if (rc == VB_OK && s->search)
                rc = rs_search_write(s);
        return rc;
}

int vb_report_build(struct vb_report_stats *st, struct vb_source *src, const char *kb_root,
                    const struct vb_report_options *opt, struct vb_diags *d)
{
        struct vb_outdir out = VB_OUTDIR_INIT;
        struct vb_diags load = VB_DIAGS_INIT;
        struct vb_kb *kb = NULL;
        struct vb_history *own_history = NULL;
        struct vb_agg *a = NULL;
        struct vb_agg_options aopt;
        struct vb_jobs jobs;
        struct vb_products products;
        struct load_ctx ctx;
        struct vb_kb_options kopt;
        struct rs_site s;
        int rc;

        memset(&jobs, 0, sizeof(jobs));
        memset(&products, 0, sizeof(products));
        memset(st, 0, sizeof(*st));
        memset(&s, 0, sizeof(s));
        memset(&ctx, 0, sizeof(ctx));
        struct vb_vocab *v = vb_kb_load_vocab(src, &load);
        rc = vb_report_check_out_dir(kb_root, v, opt->out_dir, d);
        if (rc == VB_OK)
                rc = vb_outdir_begin(&out, opt->out_dir, d);
        if (rc != VB_OK) {
                vb_vocab_free(v);
                goto done;
        }
        s.v = v;
        s.src = src;
        s.out = &out;
        s.d = d;
        s.h = opt->history;
        if (!s.h && opt->load_history) {
                vb_report_history_load(&own_history, src, kb_root, opt->load_history, d);
                s.h = own_history;
        }
        s.title = opt->title && *opt->title ? opt->title
                  : v->title && *v->title   ? v->title
                                            : "Voice of the customer";
        s.search = !opt->no_search;
        rs_frame_init(&s);
        vb_buf_init(&s.page);
        vb_buf_init(&s.tmp);
        vb_buf_init(&s.long_path);
        rs_products_links_init(&s); /* after s.tmp, which it uses */

        /* the notes' own problems are check's business: the pages only count them */
        ctx.site = &s;
        memset(&kopt, 0, sizeof(kopt));
        kopt.vocab = v; /* the kb's from here on */
        kopt.keep_front_matter = 1;
        /* not skipped: personal data makes a note one with errors, in every
         * command alike (and every page redacts what it shows) */
        kopt.no_refs = 1; /* the pages read the notes only */
        kopt.on_list = on_list;
        kopt.on_text = on_text;
        kopt.html_bodies = 1; /* one Markdown pass per note, not two */
        kopt.on_note = on_note;
        kopt.ctx = &ctx;
        rc = vb_kb_load(&kb, src, &kopt, &load);
        if (rc != VB_OK) {
                vb_diags_move(d, &load);
                goto done;
        }
        vb_diags_release(&load); /* the notes' problems, counted: not kept to the peak */
#ifdef __GLIBC__
        /* what the parse used and freed goes back before the run's peak (the
         * aggregates and the phrase index, built at once), not left in holes
         * of the threads' heaps */
        malloc_trim(0);
#endif
        rc = rs_notes_finish(&ctx.notes, kb, d);
        if (rc != VB_OK)
                goto done;
        memset(&aopt, 0, sizeof(aopt));
        aopt.as_of = opt->as_of;
        s.kb = kb;
        struct side themes;
        side_start(&themes, &s);
        rc = vb_agg_build(&a, kb, &aopt);
        if (rc != VB_OK) {
                side_ready(&themes, NULL);
                side_join(&themes, &s, d);
                vb_diags_add(d, "", 0, 0, VB_SEV_ERROR, "aggregate-failed",
                             "cannot compute the aggregates");
                goto done;
        }
        s.a = a;
        vb_jobs_build(&jobs, a);
        s.jobs = &jobs;
        rs_products_prepare(&s, &products);
        rs_copy_prepare(&s);
        s.weeks = vb_calloc(a->nweeks ? a->nweeks : 1, sizeof(*s.weeks));
        for (size_t i = 0; i < a->nweeks; i++) {
                s.weeks[i] = vb_malloc(16);
                vb_week_label(a->first_week + (int64_t)i, s.weeks[i]);
        }
        rs_history_begin(&s);
        side_ready(&themes, &s);
        rc = write_pages(&s);
        if (rc == VB_OK)
                rc = side_help(&themes, &s);
        int trc = side_join(&themes, &s, d);
        if (rc == VB_OK)
                rc = trc;
        if (rc == VB_OK) /* after the join: it holds the phrases */
                rc = write_phrase_pages(&s);
        if (rc == VB_OK && opt->json)
                rc = write_data(&s);
        if (rc == VB_OK)
                rc = vb_outdir_commit_detached(&out, d); /* the old site goes in the background */
        st->notes = kb->nnotes;
        st->themes = a->nthemes;
        st->notes_with_errors = kb->notes_with_errors;
done:
        if (out.tmp_dir)
                vb_outdir_abort(&out);
        rs_phrases_free(&s);
        rs_history_end(&s);
        vb_history_free(own_history);
        if (ctx.listed)
                rs_notes_end(&ctx.notes);
        for (size_t i = 0; a && i < a->nweeks; i++)
                free(s.weeks[i]);
        free(s.weeks);
        rs_site_copy_release(&s);
        rs_frame_release(&s);
        rs_products_links_release(&s);
        vb_jobs_release(&jobs);
        vb_products_release(&products);
        rs_copy_release(&s);
        vb_agg_free(a);
        vb_kb_free(kb);
        vb_diags_release(&load);
        return rc;
}
