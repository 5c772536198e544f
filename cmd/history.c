/* verbatim history: themes over time from the git main line. */
#include "cmds.h"
#include "verbatim/history.h"
#include "verbatim/kb.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int cmd_history(int argc, char **argv);

static const struct vb_cmd_opt options[] = {
    VB_CMD_OPT_DIR(VB_CMD_DIR_HELP),
    VB_CMD_OPT_REV("the revision shown (default: HEAD)"),
    VB_CMD_LONG('a', "as-of", "DATE", "evaluate trends as of DATE (default: the revision's date)"),
    VB_CMD_LONG('s', "since", "DATE", "series start at the week of DATE"),
    VB_CMD_LONG('w', "weeks", "N", "the last N weeks (default: 26 in text, all in json)"),
    VB_CMD_LONG('n', "note", "ID", "one note's changes over the commits"),
    VB_CMD_LONG('f', "format", "FORMAT", "text (default) or json"),
    VB_CMD_LONG('N', "no-cache", NULL, "neither read nor write .git/verbatim/history.cache"),
    VB_CMD_LONG('S', "stats", NULL, "print the work done (commits, blobs parsed) to stderr"),
    {0}};

const struct vb_cmd_spec vb_cmd_history = {
    .name = "history",
    .run = cmd_history,
    .summary = "themes over the git history",
    .setup = VB_SETUP_KB | VB_SETUP_REV,
    .synopsis = "verbatim history [options] [THEME...]\n"
                "       verbatim history --note ID [options]",
    .about = "Themes over the first-parent history of the repository: first seen, notes\n"
             "now, trend, weekly series (by commit date and by call date), renames.\n",
    .options = options,
    .after = "Exit status: 0 success, 2 usage or I/O error.\n",
};

static void commit_day(char *out, int64_t t)
{
        struct vb_date d = vb_date_from_days(t >= 0 ? t / 86400 : -((-t + 86399) / 86400));
        vb_date_format(d, out);
}

static void sparkline(struct vb_buf *out, const unsigned *v, size_t from, size_t n)
{
        static const char *const bars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
        unsigned max = 0;
        for (size_t i = from; i < n; i++)
                if (v[i] > max)
                        max = v[i];
        for (size_t i = from; i < n; i++)
                vb_buf_adds(out, max ? bars[(size_t)v[i] * 7 / max] : bars[0]);
}

static int theme_order(const void *a, const void *b)
{
        const struct vb_history_theme *x = *(const struct vb_history_theme *const *)a;
        const struct vb_history_theme *y = *(const struct vb_history_theme *const *)b;
        if (x->notes_now != y->notes_now)
                return x->notes_now > y->notes_now ? -1 : 1;
        return strcmp(x->key, y->key);
}

/* A name, path or commit subject in the text output, control characters
 * escaped. */
static void add_shown(struct vb_buf *b, const char *s)
{
        vb_buf_add_visible(b, s, strlen(s));
}

static void history_text(struct vb_buf *b, const struct vb_history *h, const char **sel,
                         size_t nsel, size_t from)
{
        char asof[16], w1[16], w2[16], day[16];
        const struct vb_history_theme **v = vb_calloc(h->nthemes + 1, sizeof(*v));
        struct vb_buf key = VB_BUF_INIT;
        size_t n = 0;
        vb_date_format(h->as_of, asof);
        vb_buf_addf(b, "history of %.12s: %zu commit%s, %zu notes (%zu conversations), as of %s\n",
                    h->ncommits ? h->commits[h->shown].id : "-", h->ncommits,
                    h->ncommits == 1 ? "" : "s", h->notes_now, h->conversations_now, asof);
        if (h->nweeks > from) {
                vb_week_label(h->first_week + (int64_t)from, w1);
                vb_week_label(h->first_week + (int64_t)h->nweeks - 1, w2);
                vb_buf_addf(b, "weekly notes by commit date, %s to %s\n", w1, w2);
        }
        for (size_t i = 0; i < h->nthemes; i++) {
                int keep = !nsel;
                for (size_t k = 0; !keep && k < nsel; k++)
                        keep = vb_history_theme(h, sel[k]) == &h->themes[i];
                if (keep)
                        v[n++] = &h->themes[i];
        }
        qsort(v, n, sizeof(*v), theme_order);
        for (size_t i = 0; i < n; i++) {
                const struct vb_history_theme *t = v[i];
                if (t->first_commit != VB_HISTORY_NONE)
                        commit_day(day, h->commits[t->first_commit].time);
                else
                        strcpy(day, "-");
                vb_buf_reset(&key);
                vb_buf_add_visible(&key, t->key, strlen(t->key));
                vb_buf_addf(b, "%-24s first seen %-10s  %5zu notes  %-7s ", key.ptr, day,
                            t->notes_now, vb_history_trend_word(t));
                sparkline(b, t->by_commit, from, h->nweeks);
                if (t->emerging)
                        vb_buf_adds(b, "  EMERGING");
                if (t->fading)
                        vb_buf_adds(b, "  FADING");
                for (size_t k = 0; k < t->nrenames; k++) {
                        commit_day(day, h->commits[t->renames[k].commit].time);
                        vb_buf_adds(b, k ? ", " : "  renamed ");
                        add_shown(b, t->renames[k].from);
                        vb_buf_adds(b, " -> ");
                        add_shown(b, t->renames[k].to);
                        vb_buf_addf(b, " (%s %.7s)", day, h->commits[t->renames[k].commit].id);
                }
                vb_buf_addc(b, '\n');
        }
        vb_buf_release(&key);
        free(v);
}

static void note_text(struct vb_buf *b, const struct vb_history *h,
                      const struct vb_note_history *nh)
{
        char day[16];
        if (!nh->nevents)
                return;
        for (size_t i = 0; i < nh->nevents; i++) {
                const struct vb_note_event *e = &nh->events[i];
                commit_day(day, h->commits[e->commit].time);
                vb_buf_addf(b, "%s %.7s %-7s ", day, h->commits[e->commit].id,
                            vb_note_event_kind_name(e->kind));
                add_shown(b, e->path);
                if (e->old_path) {
                        vb_buf_adds(b, " (from ");
                        add_shown(b, e->old_path);
                        vb_buf_addc(b, ')');
                }
                for (size_t k = 0; k < e->nthemes_added; k++) {
                        vb_buf_adds(b, " +");
                        add_shown(b, e->themes_added[k]);
                }
                for (size_t k = 0; k < e->nthemes_removed; k++) {
                        vb_buf_adds(b, " -");
                        add_shown(b, e->themes_removed[k]);
                }
                vb_buf_adds(b, "  # ");
                add_shown(b, h->commits[e->commit].subject);
                vb_buf_addc(b, '\n');
        }
}

/* The notes with errors at the revision shown, as every command counts
 * them (the kb's rules; the history's own parse sees the parser's only),
 * without parsing again those that had none (vb_history_count_errors). */
static void count_errors(struct vb_history *h, const char *root, int no_cache)
{
        vb_history_count_errors(h, root, no_cache);
}

static int cmd_history(int argc, char **argv)
{
        struct vb_cmd_getopt g;
        char *root = NULL;
        const char *dir = NULL, *note = NULL;
        int json = 0, stats = 0, c, status = VB_EXIT_OK;
        long weeks = -1;
        struct vb_history_options o = {0};
        struct vb_history *h = NULL;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_buf out = VB_BUF_INIT;

        vb_cmd_getopt_init(&g, &vb_cmd_history);
        while ((c = getopt_long(argc, argv, g.shorts, g.longs, NULL)) != -1) {
                switch (c) {
                case 'C':
                        dir = optarg;
                        break;
                case VB_CMD_REV:
                        o.rev = optarg;
                        break;
                case 'a':
                        if (vb_cmd_date_option(&o.as_of, "history", "--as-of", optarg) < 0)
                                return VB_EXIT_USAGE;
                        break;
                case 's':
                        if (vb_cmd_date_option(&o.since, "history", "--since", optarg) < 0)
                                return VB_EXIT_USAGE;
                        break;
                case 'w': {
                        char *end;
                        weeks = strtol(optarg, &end, 10);
                        if (*end || weeks < 1) {
                                vb_cmd_error("history", "--weeks '%s' is not a positive number",
                                             optarg);
                                return VB_EXIT_USAGE;
                        }
                        break;
                }
                case 'n':
                        note = optarg;
                        break;
                case 'N':
                        o.no_cache = 1;
                        break;
                case 'S':
                        stats = 1;
                        break;
                case 'f': {
                        static const char *const formats[] = {"text", "json", NULL};
                        int k = vb_cmd_format_option("history", optarg, formats);
                        if (k < 0)
                                return VB_EXIT_USAGE;
                        json = k == 1;
                        break;
                }
                default: /* -h, --help, or an option it does not know */
                        return vb_cmd_usage(&vb_cmd_history, c);
                }
        }
        root = vb_cmd_find_kb("history", dir);
        if (!root)
                return VB_EXIT_USAGE;
        dir = root;
        o.check_notes = !note; /* for count_errors */
        if (vb_history_load(&h, dir, &o, &d) != VB_OK) {
                vb_cmd_print_diags(&d, VB_FORMAT_TEXT);
                status = VB_EXIT_ERROR;
                goto done;
        }
        if (!note)
                count_errors(h, dir, o.no_cache);
        /* notes of a successful run (the cache rebuilt or repaired) */
        if (d.n)
                vb_cmd_print_diags(&d, VB_FORMAT_TEXT);
        if (h->shallow_boundary)
                vb_cmd_error("history", "history starts at the shallow boundary %s",
                             h->shallow_boundary);
        if (stats)
                fprintf(stderr,
                        "history stats: %zu commits, %zu processed, %zu blobs, %zu parsed, cache "
                        "%s%s\n",
                        h->stats.commits, h->stats.commits_processed, h->stats.blobs,
                        h->stats.blobs_parsed, h->stats.cache_read ? "read" : "not read",
                        h->stats.cache_written ? ", written" : "");
        if (stats && !note)
                fprintf(stderr, "history errors: %zu files, %zu reused, cache %s%s\n",
                        h->stats.error_files, h->stats.error_reused,
                        h->stats.errors_cache_read ? "read" : "not read",
                        h->stats.errors_cache_written ? ", written" : "");
        const char **sel = (const char **)argv + optind;
        size_t nsel = (size_t)(argc - optind);
        for (size_t i = 0; i < nsel; i++)
                if (!vb_history_theme(h, sel[i])) {
                        vb_cmd_error("history", "no note ever carried the theme '%s'", sel[i]);
                        status = VB_EXIT_ERROR;
                        goto done;
                }
        if (weeks < 0 && !json)
                weeks = 26;
        size_t from = weeks > 0 && (size_t)weeks < h->nweeks ? h->nweeks - (size_t)weeks : 0;
        if (note) {
                struct vb_note_history *nh = NULL;
                vb_history_note(&nh, h, note);
                if (!nh->nevents && !json) {
                        vb_cmd_error("history", "no note '%s' in the history", note);
                        status = VB_EXIT_ERROR;
                }
                if (json)
                        vb_note_history_json(&out, h, nh);
                else
                        note_text(&out, h, nh);
                vb_note_history_free(nh);
        } else if (json)
                vb_history_json(&out, h, sel, nsel, from);
        else
                history_text(&out, h, sel, nsel, from);
        if (vb_cmd_write(stdout, out.ptr, out.len) != VB_EXIT_OK)
                status = VB_EXIT_ERROR;
done:
        vb_history_free(h);
        vb_diags_release(&d);
        vb_buf_release(&out);
        free(root);
        return vb_cmd_finish(status);
}
