/* verbatim history: themes over time from the git main line. */
#include "cmds.h"
#include "verbatim/json.h"
#include "verbatim/history.h"
#include "verbatim/kb.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] =
    "usage: verbatim history [options] [THEME...]\n"
    "       verbatim history --note ID [options]\n"
    "\n"
    "Themes over the first-parent history of the repository: first seen, notes\n"
    "now, trend, weekly series (by commit date and by call date), renames.\n"
    "\n"
    "  -C, --dir DIR        the knowledge base (default: found upward)\n"
    "      --rev REV        the revision shown (default: HEAD)\n"
    "      --as-of DATE     evaluate trends as of DATE (default: the revision's date)\n"
    "      --since DATE     series start at the week of DATE\n"
    "      --weeks N        the last N weeks (default: 26 in text, all in json)\n"
    "      --note ID        one note's changes over the commits\n"
    "      --format FORMAT  text (default) or json\n"
    "      --no-cache       neither read nor write .git/verbatim/history.cache\n"
    "      --stats          print the work done (commits, blobs parsed) to stderr\n"
    "  -h, --help           this help\n"
    "\n"
    "Exit status: 0 success, 2 usage or I/O error.\n";

static void commit_time(char *out, size_t n, int64_t t)
{
        time_t tt = (time_t)t;
        struct tm tm;
        gmtime_r(&tt, &tm);
        strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void commit_day(char *out, int64_t t)
{
        struct vb_date d = vb_date_from_days(t >= 0 ? t / 86400 : -((-t + 86399) / 86400));
        vb_date_format(d, out);
}

static const char *trend_word(const struct vb_history_theme *t)
{
        if (t->share_prior26 <= 0)
                return t->share_recent8 > 0 ? "new" : "-";
        double r = t->share_recent8 / t->share_prior26;
        return r >= 1.25 ? "rising" : r <= 0.8 ? "falling" : "steady";
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

static void json_series(struct vb_buf *b, const unsigned *v, size_t from, size_t n)
{
        vb_buf_addc(b, '[');
        for (size_t i = from; i < n; i++)
                vb_buf_addf(b, "%s%u", i > from ? "," : "", v[i]);
        vb_buf_addc(b, ']');
}

static void json_commit_ref(struct vb_buf *b, const struct vb_history *h, size_t c)
{
        char when[32];
        if (c == VB_HISTORY_NONE) {
                vb_buf_adds(b, "null");
                return;
        }
        commit_time(when, sizeof(when), h->commits[c].time);
        vb_buf_addf(b, "{\"id\":\"%s\",\"date\":\"%s\",\"subject\":", h->commits[c].id, when);
        vb_json_str(b, h->commits[c].subject);
        vb_buf_addc(b, '}');
}

/* `{"commit":"ID","date":"TIME",` of commit c, made once per commit: every
 * theme's changes repeat it. */
static const char *change_head(char ***heads, const struct vb_history *h, size_t c)
{
        char when[32];
        if (!*heads)
                *heads = vb_calloc(h->ncommits + 1, sizeof(**heads));
        if (!(*heads)[c]) {
                struct vb_buf x = VB_BUF_INIT;
                commit_time(when, sizeof(when), h->commits[c].time);
                vb_buf_addf(&x, "{\"commit\":\"%s\",\"date\":\"%s\",", h->commits[c].id, when);
                (*heads)[c] = vb_buf_detach(&x, NULL);
        }
        return (*heads)[c];
}

static void add_count(struct vb_buf *b, const char *key, unsigned v)
{
        char digits[16];
        size_t n = sizeof(digits);
        do
                digits[--n] = (char)('0' + v % 10);
        while ((v /= 10) && n);
        vb_buf_adds(b, key);
        vb_buf_add(b, digits + n, sizeof(digits) - n);
}

static void history_json(struct vb_buf *b, const struct vb_history *h, const char **sel,
                         size_t nsel, size_t from)
{
        char buf[32], **heads = NULL;
        vb_date_format(h->as_of, buf);
        vb_buf_addf(b, "{\n\"revision\":\"%s\",\n\"as_of\":\"%s\",\n\"shallow_boundary\":",
                    h->ncommits ? h->commits[h->shown].id : "", buf);
        if (h->shallow_boundary)
                vb_buf_addf(b, "\"%s\"", h->shallow_boundary);
        else
                vb_buf_adds(b, "null");
        vb_buf_addf(b,
                    ",\n\"commits\":%zu,\n\"notes\":%zu,\n\"conversations\":%zu,\n"
                    "\"notes_with_errors\":%zu,\n\"weeks\":[",
                    h->ncommits, h->notes_now, h->conversations_now, h->notes_with_errors);
        for (size_t i = from; i < h->nweeks; i++) {
                vb_week_label(h->first_week + (int64_t)i, buf);
                vb_buf_addf(b, "%s\"%s\"", i > from ? "," : "", buf);
        }
        vb_buf_adds(b, "],\n\"notes_by_commit\":");
        json_series(b, h->notes_by_commit, from, h->nweeks);
        vb_buf_adds(b, ",\n\"conversations_by_call\":");
        json_series(b, h->conversations_by_call, from, h->nweeks);
        vb_buf_adds(b, ",\n\"themes\":[");
        int first = 1;
        for (size_t i = 0; i < h->nthemes; i++) {
                const struct vb_history_theme *t = &h->themes[i];
                int keep = !nsel;
                for (size_t k = 0; !keep && k < nsel; k++)
                        keep = vb_history_theme(h, sel[k]) == t;
                if (!keep)
                        continue;
                vb_buf_adds(b, first ? "\n{\"key\":" : ",\n{\"key\":");
                first = 0;
                vb_json_str(b, t->key);
                vb_buf_adds(b, ",\"label\":");
                vb_json_str(b, t->label);
                vb_buf_adds(b, ",\"first_commit\":");
                json_commit_ref(b, h, t->first_commit);
                vb_buf_adds(b, ",\"first_call\":");
                if (t->first_call_id) {
                        vb_date_format(t->first_call_date, buf);
                        vb_buf_adds(b, "{\"id\":");
                        vb_json_str(b, t->first_call_id);
                        vb_buf_addf(b, ",\"date\":\"%s\"}", buf);
                } else
                        vb_buf_adds(b, "null");
                vb_buf_addf(
                    b,
                    ",\"notes_now\":%zu,\"customers_now\":%zu,\"emerging\":%s,"
                    "\"trend\":\"%s\",\"share_recent4\":%.4f,\"share_prior12\":%.4f,"
                    "\"share_recent8\":%.4f,\"share_prior26\":%.4f,\"customers_recent\":%zu",
                    t->notes_now, t->customers_now, t->emerging ? "true" : "false", trend_word(t),
                    t->share_recent4, t->share_prior12, t->share_recent8, t->share_prior26,
                    t->customers_recent);
                vb_buf_addf(b, ",\"fading\":%s,\"test\":", t->fading ? "true" : "false");
                vb_trend_json(b, &t->trend);
                vb_buf_adds(b, ",\n \"by_commit\":");
                json_series(b, t->by_commit, from, h->nweeks);
                vb_buf_adds(b, ",\n \"by_call\":");
                json_series(b, t->by_call, from, h->nweeks);
                vb_buf_adds(b, ",\n \"renames\":[");
                for (size_t k = 0; k < t->nrenames; k++) {
                        const struct vb_history_rename *r = &t->renames[k];
                        vb_buf_adds(b, k ? ",{\"from\":" : "{\"from\":");
                        vb_json_str(b, r->from);
                        vb_buf_adds(b, ",\"to\":");
                        vb_json_str(b, r->to);
                        vb_buf_adds(b, ",\"commit\":");
                        json_commit_ref(b, h, r->commit);
                        vb_buf_addf(b, ",\"in_vocab\":%s,\"in_notes\":%s}",
                                    r->in_vocab ? "true" : "false", r->in_notes ? "true" : "false");
                }
                vb_buf_adds(b, "],\n \"changes\":[");
                for (size_t k = 0; k < t->nchanges; k++) {
                        const struct vb_history_change *c = &t->changes[k];
                        vb_buf_adds(b, k ? ",\n  " : "\n  ");
                        vb_buf_adds(b, change_head(&heads, h, c->commit));
                        add_count(b, "\"added\":", c->added);
                        add_count(b, ",\"removed\":", c->removed);
                        add_count(b, ",\"tagged\":", c->tagged);
                        add_count(b, ",\"untagged\":", c->untagged);
                        vb_buf_addc(b, '}');
                }
                vb_buf_adds(b, "]}");
        }
        vb_buf_adds(b, "\n]\n}\n");
        for (size_t i = 0; heads && i < h->ncommits; i++)
                free(heads[i]);
        free(heads);
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
                            t->notes_now, trend_word(t));
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

static const char *const kind_names[] = {"added", "edited", "moved", "removed"};

static void note_text(struct vb_buf *b, const struct vb_history *h,
                      const struct vb_note_history *nh)
{
        char day[16];
        if (!nh->nevents)
                return;
        for (size_t i = 0; i < nh->nevents; i++) {
                const struct vb_note_event *e = &nh->events[i];
                commit_day(day, h->commits[e->commit].time);
                vb_buf_addf(b, "%s %.7s %-7s ", day, h->commits[e->commit].id, kind_names[e->kind]);
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

static void note_json(struct vb_buf *b, const struct vb_history *h,
                      const struct vb_note_history *nh)
{
        vb_buf_adds(b, "{\"id\":");
        vb_json_str(b, nh->id);
        vb_buf_adds(b, ",\"events\":[");
        for (size_t i = 0; i < nh->nevents; i++) {
                const struct vb_note_event *e = &nh->events[i];
                vb_buf_adds(b, i ? ",\n" : "\n");
                vb_buf_adds(b, "{\"commit\":");
                json_commit_ref(b, h, e->commit);
                vb_buf_addf(b, ",\"kind\":\"%s\",\"path\":", kind_names[e->kind]);
                vb_json_str(b, e->path);
                vb_buf_adds(b, ",\"old_path\":");
                if (e->old_path)
                        vb_json_str(b, e->old_path);
                else
                        vb_buf_adds(b, "null");
                vb_buf_addf(b, ",\"content_changed\":%s,\"themes_added\":[",
                            e->content_changed ? "true" : "false");
                for (size_t k = 0; k < e->nthemes_added; k++) {
                        vb_buf_adds(b, k ? "," : "");
                        vb_json_str(b, e->themes_added[k]);
                }
                vb_buf_adds(b, "],\"themes_removed\":[");
                for (size_t k = 0; k < e->nthemes_removed; k++) {
                        vb_buf_adds(b, k ? "," : "");
                        vb_json_str(b, e->themes_removed[k]);
                }
                vb_buf_adds(b, "],\"tags\":[");
                for (size_t k = 0; k < e->ntags; k++) {
                        vb_buf_adds(b, k ? "," : "");
                        vb_json_str(b, e->tags[k]);
                }
                vb_buf_adds(b, "]}");
        }
        vb_buf_adds(b, "\n]}\n");
}

/* The notes with errors at the revision shown, as every command counts
 * them (the kb's rules; the history's own parse sees the parser's only). */
static void count_errors(struct vb_history *h, const char *dir, int no_cache)
{
        char *root = vb_cmd_kb_root(dir);
        vb_history_count_errors(h, root, no_cache);
        free(root);
}

int cmd_history(int argc, char **argv)
{
        static const struct option opts[] = {{"dir", required_argument, NULL, 'C'},
                                             {"rev", required_argument, NULL, 'r'},
                                             {"as-of", required_argument, NULL, 'a'},
                                             {"since", required_argument, NULL, 's'},
                                             {"weeks", required_argument, NULL, 'w'},
                                             {"note", required_argument, NULL, 'n'},
                                             {"format", required_argument, NULL, 'f'},
                                             {"no-cache", no_argument, NULL, 'N'},
                                             {"stats", no_argument, NULL, 'S'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
        char *root = NULL;
        const char *dir = NULL, *note = NULL;
        int json = 0, stats = 0, c, status = VB_EXIT_OK;
        long weeks = -1;
        struct vb_history_options o = {0};
        struct vb_history *h = NULL;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_buf out = VB_BUF_INIT;

        optind = 1;
        while ((c = getopt_long(argc, argv, "C:h", opts, NULL)) != -1) {
                switch (c) {
                case 'C':
                        dir = optarg;
                        break;
                case 'r':
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
                case 'f':
                        if (!strcmp(optarg, "json"))
                                json = 1;
                        else if (strcmp(optarg, "text")) {
                                vb_cmd_error("history", "unknown format '%s'; use text or json",
                                             optarg);
                                return VB_EXIT_USAGE;
                        }
                        break;
                default: /* -h, --help, or an option it does not know */
                        return vb_cmd_usage(usage, c == 'h');
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
                        note_json(&out, h, nh);
                else
                        note_text(&out, h, nh);
                vb_note_history_free(nh);
        } else if (json)
                history_json(&out, h, sel, nsel, from);
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
