/* verbatim stats: the weekly ritual at a glance in the terminal. */
#include "cmds.h"
#include "verbatim/agg.h"
#include "verbatim/kb.h"
#include "verbatim/pii.h"
#include "verbatim/json.h"
#include "verbatim/utf8.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cmd_stats(int argc, char **argv);

static const struct vb_cmd_opt options[] = {
    VB_CMD_OPT_DIR(VB_CMD_DIR_HELP),
    VB_CMD_LONG('a', "as-of", "DATE", "the day to report on (YYYY-MM-DD, or today)"),
    VB_CMD_OPT_SEGMENT("only calls of this segment"),
    VB_CMD_OPT_TIER("only calls of customers in this LTV tier"),
    VB_CMD_OPT_PRODUCT("only calls about this product"),
    VB_CMD_OPT_LINE("only calls about a product of this product line"),
    VB_CMD_LONG('f', "format", "FORMAT", "text (default) or json"),
    {0}};

const struct vb_cmd_spec vb_cmd_stats = {
    .name = "stats",
    .run = cmd_stats,
    .summary = "the weekly ritual at a glance",
    .setup = VB_SETUP_KB,
    .synopsis = "verbatim stats [options]",
    .about = "Shows the weekly ritual at a glance: calls this week against the weekly\n"
             "goal, the streak of weeks with calls, connect rates, calls per segment,\n"
             "the top themes of the last 4 weeks, the emerging and fading themes (the\n"
             "last 8 weeks against the 26 before) and what is new since last week.\n"
             "Everything is relative to today (UTC, or SOURCE_DATE_EPOCH), so a lapsed\n"
             "ritual shows as lapsed; --as-of gives another day.\n",
    .options = options,
    .after = "Exit status: 0 ok, 2 usage or I/O error.\n",
};

enum { LABEL_COLS = 26 };

struct style {
        const char *bold, *good, *warn, *off;
};

static int use_colour(void)
{
        const char *ci = getenv("CI"), *nc = getenv("NO_COLOR");
        const char *term = getenv("TERM");
        return isatty(STDOUT_FILENO) && !(ci && *ci) && !(nc && *nc) &&
               !(term && strcmp(term, "dumb") == 0);
}

static double percent(double rate)
{
        return rate * 100.0;
}

static const char *plural(size_t n, const char *one, const char *many)
{
        return n == 1 ? one : many;
}

/* `label` (control characters escaped) cut to `cols` terminal columns
 * ("..." at the end when cut), padded with spaces to `cols` when `pad`:
 * wide (CJK) characters take two columns, so the tables line up. */
static void add_label(struct vb_buf *out, const char *label, size_t cols, int pad)
{
        struct vb_buf shown = VB_BUF_INIT; /* control characters escaped */
        vb_buf_add_visible(&shown, label, strlen(label));
        const char *s = shown.ptr;
        size_t len = shown.len, at = 0, n = vb_utf8_columns(s, len);
        if (n > cols) {
                /* too wide: what fits in cols - 3 columns, and "..." */
                n = 0;
                for (;;) {
                        uint32_t cp;
                        size_t step = vb_utf8_decode(s + at, len - at, &cp);
                        size_t w = (size_t)vb_utf8_width(cp);
                        if (n + w + 3 > cols)
                                break;
                        at += step;
                        n += w;
                }
                vb_buf_add(out, s, at);
                vb_buf_adds(out, "...");
                n += 3;
        } else {
                vb_buf_add(out, s, len);
        }
        while (pad && n++ < cols)
                vb_buf_addc(out, ' ');
        vb_buf_release(&shown);
}

/* `text` indented by 4 and word-wrapped to 78 columns. */
static void add_wrapped(struct vb_buf *o, const char *text)
{
        size_t col = 4;
        vb_buf_adds(o, "    ");
        while (*text) {
                const char *space = strchr(text, ' ');
                size_t len = space ? (size_t)(space - text) : strlen(text);
                if (col > 4 && col + 1 + len > 78) {
                        vb_buf_adds(o, "\n    ");
                        col = 4;
                } else if (col > 4) {
                        vb_buf_addc(o, ' ');
                        col++;
                }
                vb_buf_add(o, text, len);
                col += len;
                text += space ? len + 1 : len;
        }
        vb_buf_addc(o, '\n');
}

/* The emerging or the fading themes, each with the counts it rests on. */
static void text_trends(struct vb_buf *o, const struct vb_agg *a, const struct style *st,
                        int fading)
{
        const struct vb_theme_stats *const *t = fading ? a->fading : a->emerging;
        size_t n = fading ? a->nfading : a->nemerging;
        struct vb_buf why = VB_BUF_INIT;
        vb_buf_addf(o, "\n%s%s themes (last %d weeks against the %d before)%s\n", st->bold,
                    fading ? "Fading" : "Emerging", VB_TREND_RECENT_WEEKS, VB_TREND_BEFORE_WEEKS,
                    st->off);
        if (a->trend_too_few) { /* the report's words (trend.h) */
                vb_trend_too_few_words(&why, a->trend_recent_conversations,
                                       a->trend_before_conversations);
                add_wrapped(o, why.ptr);
        } else if (!n)
                vb_buf_adds(o, "  none\n");
        for (size_t i = 0; i < n; i++) {
                vb_buf_adds(o, "  ");
                add_label(o, t[i]->label, 76, 0);
                vb_buf_addc(o, '\n');
                vb_buf_reset(&why);
                vb_trend_describe(&why, &t[i]->trend);
                add_wrapped(o, why.ptr);
        }
        vb_buf_release(&why);
}

/* The new-theme rate: this week's share, then the sentence. */
static void text_novelty(struct vb_buf *o, const struct vb_agg *a)
{
        size_t conv = a->nweeks ? a->weekly_conversations.count[a->nweeks - 1] : 0;
        size_t fresh = a->nweeks ? a->novelty.fresh.count[a->nweeks - 1] : 0;
        struct vb_buf words = VB_BUF_INIT;
        vb_buf_addf(o, "  new-theme rate: %zu of %zu %s this week brought something new\n", fresh,
                    conv, plural(conv, "conversation", "conversations"));
        vb_agg_novelty_sentence(&words, a);
        add_wrapped(o, words.ptr);
        vb_buf_release(&words);
}

/* The newest call the aggregates count, unset when none is dated. */
static struct vb_date last_call(const struct vb_agg *a)
{
        struct vb_date last;
        memset(&last, 0, sizeof(last));
        for (size_t i = 0; i < a->kb->nnotes; i++) {
                const struct vb_note *n = a->kb->notes[i];
                if (vb_date_is_set(n->date) && vb_agg_note_counts(a, n) &&
                    (!vb_date_is_set(last) || vb_date_cmp(n->date, last) > 0))
                        last = n->date;
        }
        return last;
}

/* "on 2026-10-12, 3 weeks ago" (in `buf`, 128 bytes). */
static const char *ago(const struct vb_agg *a, char *buf)
{
        struct vb_date last = last_call(a);
        char day[16];
        int64_t weeks = a->last_week - vb_week_index(last);
        vb_date_format(last, day);
        if (weeks <= 1)
                snprintf(buf, 128, "on %s, last week", day);
        else
                snprintf(buf, 128, "on %s, %lld weeks ago: the ritual lapsed", day,
                         (long long)weeks);
        return buf;
}

/* Shipped roadmap items: did it work, and whom to call back. */
static void text_shipped(struct vb_buf *o, const struct vb_agg *a, const struct style *st)
{
        size_t n = 0;
        for (size_t i = 0; i < a->nroadmap; i++) {
                const struct vb_roadmap_stats *r = &a->roadmap[i];
                char day[16] = "";
                if (!r->item->status || strcmp(r->item->status, "shipped"))
                        continue;
                if (!n++)
                        vb_buf_addf(o, "\n%sShipped: did it work?%s\n", st->bold, st->off);
                if (vb_date_is_set(r->item->shipped))
                        vb_date_format(r->item->shipped, day);
                vb_buf_addf(o, "  %s (shipped %s)\n    ", r->item->id, *day ? day : "no date");
                if (r->nvalidating)
                        vb_buf_addf(
                            o,
                            "%zu %s: %zu solved, %zu partly, %zu not solved, %zu "
                            "without a verdict\n",
                            r->nvalidating, plural(r->nvalidating, "follow-up", "follow-ups"),
                            r->verdicts[VB_VERDICT_SOLVED], r->verdicts[VB_VERDICT_PARTLY],
                            r->verdicts[VB_VERDICT_NOT_SOLVED], r->verdicts[VB_VERDICT_NONE]);
                else
                        vb_buf_addf(o, "%sno validating follow-up yet%s\n", st->warn, st->off);
                if (!r->ncall_back)
                        continue;
                vb_buf_addf(o, "    call back %zu %s:", r->ncall_back,
                            plural(r->ncall_back, "customer", "customers"));
                for (size_t k = 0; k < r->ncall_back && k < 10; k++) {
                        vb_buf_adds(o, k ? ", " : " ");
                        vb_pii_redact(o, r->call_back[k], strlen(r->call_back[k]));
                }
                if (r->ncall_back > 10)
                        vb_buf_addf(o, " and %zu more", r->ncall_back - 10);
                vb_buf_addc(o, '\n');
        }
}

static void text_report(struct vb_buf *o, const struct vb_agg *a, const struct style *st)
{
        const struct vb_vocab *v = a->kb->vocab;
        const struct vb_theme_stats **top = NULL;
        size_t ntop, nnew = 0;
        char week[16], day[16], day_buf[128];
        int goal = v->weekly_goal;

        vb_week_label(a->last_week, week);
        vb_date_format(a->as_of, day);
        vb_buf_addf(o, "%s", st->bold);
        add_label(o, v->title && *v->title ? v->title : "verbatim", 40, 0);
        vb_buf_addf(o, ": week %s (as of %s)%s\n\n", week, day, st->off);

        vb_buf_addf(o, "This week      %zu %s", a->this_week,
                    plural(a->this_week, "call", "calls"));
        if (goal > 0 && a->this_week >= (size_t)goal)
                vb_buf_addf(o, ", goal %d: %sreached%s\n", goal, st->good, st->off);
        else if (goal > 0)
                vb_buf_addf(o, ", goal %d: %s%zu to go%s\n", goal, st->warn,
                            (size_t)goal - a->this_week, st->off);
        else
                vb_buf_adds(o, " (set weekly-goal: in verbatim.yml for a goal)\n");
        vb_buf_addf(o, "Last week      %zu %s\n", a->last_week_attempts,
                    plural(a->last_week_attempts, "call", "calls"));
        if (a->streak)
                vb_buf_addf(o, "Streak         %zu %s in a row with calls\n", a->streak,
                            plural(a->streak, "week", "weeks"));
        else if (vb_date_is_set(last_call(a)))
                vb_buf_addf(o, "Streak         %sno calls this week yet; the last was %s%s\n",
                            st->warn, ago(a, day_buf), st->off);
        else
                vb_buf_addf(o, "Streak         %sno calls this week yet%s\n", st->warn, st->off);
        vb_buf_addf(o, "Connect rate   %.0f%% of calls (%zu of %zu)\n", percent(a->connect_rate),
                    a->conversations, a->attempts);
        vb_buf_addf(o, "Customers      %.0f%% reached at least once (%zu of %zu)\n",
                    percent(a->customer_rate), a->customers_reached, a->customers);

        vb_buf_addf(o, "\n%s%-30s%9s%10s%12s%s\n", st->bold, "Calls per segment", "this week",
                    "overall", "connected", st->off);
        for (size_t i = 0; i < a->nsegments; i++) {
                const struct vb_segment_stats *s = &a->segments[i];
                size_t now = a->nweeks ? s->weekly.count[a->nweeks - 1] : 0;
                vb_buf_adds(o, "  ");
                add_label(o, s->label, LABEL_COLS, 1);
                vb_buf_addf(o, "%11zu %9zu %10.0f%%\n", now, s->attempts, percent(s->connect_rate));
        }

        vb_buf_addf(o, "\n%sTop themes this month (last 4 weeks)%s\n", st->bold, st->off);
        ntop = vb_agg_top_themes(a, &top);
        if (!ntop)
                vb_buf_adds(o, "  none yet\n");
        for (size_t i = 0; i < ntop; i++) {
                const struct vb_theme_stats *t = top[i];
                vb_buf_adds(o, "  ");
                add_label(o, t->label, LABEL_COLS, 1);
                const char *word = plural(t->month_customers, "customer", "customers");
                vb_buf_addf(o, "%5zu %-5s %6zu %s", t->month_notes,
                            plural(t->month_notes, "call", "calls"), t->month_customers, word);
                if (t->emerging)
                        vb_buf_addf(o, "%*s%s%s%s", (int)(11 - strlen(word)), "", st->good,
                                    t->emerging_why, st->off);
                vb_buf_addc(o, '\n');
        }
        free(top);
        text_trends(o, a, st, 0);
        text_trends(o, a, st, 1);

        vb_buf_addf(o, "\n%sWhat's new since last week%s\n", st->bold, st->off);
        if (a->this_week > a->last_week_attempts)
                vb_buf_addf(o, "  %zu more %s than last week (%zu against %zu)\n",
                            a->this_week - a->last_week_attempts,
                            plural(a->this_week - a->last_week_attempts, "call", "calls"),
                            a->this_week, a->last_week_attempts);
        else if (a->this_week < a->last_week_attempts)
                vb_buf_addf(o, "  %zu fewer %s than last week (%zu against %zu)\n",
                            a->last_week_attempts - a->this_week,
                            plural(a->last_week_attempts - a->this_week, "call", "calls"),
                            a->this_week, a->last_week_attempts);
        else
                vb_buf_addf(o, "  as many calls as last week (%zu)\n", a->this_week);
        for (size_t i = 0; i < a->nthemes; i++) {
                const struct vb_theme_stats *t = &a->themes[i];
                if (!vb_agg_new_this_week(a, t))
                        continue;
                vb_buf_adds(o, nnew++ ? "    " : "  first heard this week:\n    ");
                add_label(o, t->label, LABEL_COLS, 1);
                vb_buf_addf(o, "%1zu %s, %zu %s\n", t->notes, plural(t->notes, "call", "calls"),
                            t->customers, plural(t->customers, "customer", "customers"));
        }
        if (!nnew)
                vb_buf_adds(o, "  no theme heard for the first time this week\n");
        text_novelty(o, a);
        text_shipped(o, a, st);

        if (a->notes_with_errors)
                vb_buf_addf(o, "\n%s%zu %s had errors%s: run 'verbatim check' to see them\n",
                            st->warn, a->notes_with_errors,
                            plural(a->notes_with_errors, "note", "notes"), st->off);
}

/* `{"key":...,"label":...` of the i-th theme of a list (a comma before all
 * but the first). */
static int cmd_stats(int argc, char **argv)
{
        struct vb_cmd_getopt g;
        const char *dir = NULL;
        int json = 0, c, status = VB_EXIT_OK;
        struct vb_agg_options aopt;
        struct vb_source *src = NULL;
        struct vb_kb *kb = NULL;
        struct vb_agg *a = NULL;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_buf out = VB_BUF_INIT;

        memset(&aopt, 0, sizeof(aopt));
        vb_cmd_getopt_init(&g, &vb_cmd_stats);
        while ((c = getopt_long(argc, argv, g.shorts, g.longs, NULL)) != -1) {
                if (vb_cmd_filter_option(&aopt.filter, c, optarg))
                        continue;
                switch (c) {
                case 'C':
                        dir = optarg;
                        break;
                case 'a':
                        if (vb_cmd_date_option(&aopt.as_of, "stats", "--as-of", optarg))
                                return VB_EXIT_USAGE;
                        break;

                case 'f': {
                        static const char *const formats[] = {"text", "json", NULL};
                        int k = vb_cmd_format_option("stats", optarg, formats);
                        if (k < 0)
                                return VB_EXIT_USAGE;
                        json = k == 1;
                        break;
                }
                default: /* -h, --help, or an option it does not know */
                        return vb_cmd_usage(&vb_cmd_stats, c);
                }
        }
        if (vb_cmd_no_operands(&vb_cmd_stats, argc, argv, optind) != VB_EXIT_OK)
                return VB_EXIT_USAGE;
        if ((status = vb_cmd_load_kb("stats", dir, NULL, &src, &kb, &d)) != VB_EXIT_OK ||
            (status = vb_cmd_check_filter("stats", kb->vocab, &aopt.filter)) != VB_EXIT_OK)
                goto done;
        /* the ritual is relative to today (notes-format.md, As-of date) */
        if (!vb_date_is_set(aopt.as_of))
                aopt.as_of = vb_date_today();
        vb_agg_build(&a, kb, &aopt);
        if (json) {
                vb_agg_stats_json(&out, a);
        } else if (!a->attempts) {
                vb_buf_adds(&out, "No calls yet: log one with 'verbatim new'.\n");
        } else {
                static const struct style plain = {"", "", "", ""};
                static const struct style colour = {"\033[1m", "\033[32m", "\033[33m", "\033[0m"};
                text_report(&out, a, use_colour() ? &colour : &plain);
        }
        status = vb_cmd_write(stdout, out.ptr, out.len);
done:
        vb_buf_release(&out);
        vb_agg_free(a);
        vb_kb_free(kb);
        vb_source_free(src);
        vb_diags_release(&d);
        return vb_cmd_finish(status);
}
