/* verbatim copy: the copy bank, the customers' words best suited as copy. */
#include "cmds.h"
#include "verbatim/agg.h"
#include "verbatim/copy.h"
#include "verbatim/kb.h"
#include "verbatim/opportunity.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmd_copy(int argc, char **argv);

static const struct vb_cmd_opt options[] = {
    VB_CMD_OPT_DIR(VB_CMD_DIR_HELP),
    VB_CMD_OPT_SEGMENT("only calls of this segment"),
    VB_CMD_LONG('g', "tag", "TAG", "only this theme (a key or an alias)"),
    VB_CMD_OPT_PRODUCT("only calls about this product"),
    VB_CMD_LONG('S', "since", "DATE", "only calls on DATE or later (YYYY-MM-DD)"),
    VB_CMD_OPT('n', "limit", "N", "phrases per theme and role (default 5; 0 for all)"),
    VB_CMD_LONG('f', "format", "FORMAT", "text (default), csv or json (for ad tools)"),
    {0}};

const struct vb_cmd_spec vb_cmd_copy = {
    .name = "copy",
    .run = cmd_copy,
    .summary = "the customers' words best suited as copy, and positioning tests",
    .setup = VB_SETUP_KB,
    .synopsis = "verbatim copy [options]",
    .about = "Lists, per theme, the customers' own phrases best suited as copy: said\n"
             "by 2 customers or more, by buyers (benefits) or by cart abandoners and\n"
             "returners (objections to answer), each with its length class (headline\n"
             "<= 30 characters, description <= 90), customers, calls, first and last\n"
             "said; then the positioning tests of copy.yml with their lifts.\n",
    .options = options,
    .after = "Exit status: 0 ok, 2 usage or I/O error.\n",
};

static void text_tests(struct vb_buf *o, const struct vb_vocab *v)
{
        size_t won = 0, lost = 0;
        if (!v->ncopy_tests)
                return;
        vb_buf_addf(o, "\nPositioning tests (copy.yml): %zu\n", v->ncopy_tests);
        for (size_t i = 0; i < v->ncopy_tests; i++) {
                const struct vb_copy_test *t = &v->copy_tests[i];
                int ok;
                double lift = vb_copy_lift(t, &ok);
                vb_buf_addf(o, "  %s: \"%s\"", t->id, t->phrase);
                if (t->channel)
                        vb_buf_addf(o, " on %s", t->channel);
                if (ok) {
                        vb_buf_addf(o, ": %s %g against %g, %+.0f %% (%s)\n",
                                    t->metric ? t->metric : "metric", t->result, t->control,
                                    lift * 100.0, lift > 0 ? "won" : "lost");
                        won += lift > 0;
                        lost += lift <= 0;
                } else {
                        vb_buf_adds(o, ": no lift (no control, no result or a control of 0)\n");
                }
        }
        vb_buf_addf(o, "  the customers' words won %zu of %zu tests with a lift\n", won,
                    won + lost);
}

static void text_bank(struct vb_buf *o, const struct vb_agg *a, const struct vb_copy_bank *b,
                      size_t limit)
{
        char day[16], first[16], last[16];
        size_t rank = 0;
        vb_date_format(a->as_of, day);
        vb_buf_addf(o,
                    "The customers' own words as copy, as of %s (phrases said by %d customers "
                    "or more)\n",
                    day, VB_COPY_MIN_CUSTOMERS);
        if (!b->n)
                vb_buf_adds(o, "\nNo phrase was said by two customers yet: too few conversations "
                               "to tell.\n");
        for (size_t i = 0; i < b->n; i++) {
                const struct vb_copy_row *r = &b->v[i];
                int new_theme = !i || strcmp(b->v[i - 1].theme, r->theme);
                if (new_theme || b->v[i - 1].role != r->role)
                        rank = 0;
                if (limit && rank++ >= limit)
                        continue;
                if (new_theme)
                        vb_buf_addf(o, "\n%s (%s)\n", vb_vocab_theme_label(a->kb->vocab, r->theme),
                                    r->theme);
                if (new_theme || b->v[i - 1].role != r->role)
                        vb_buf_adds(o, r->role == VB_COPY_BENEFIT
                                           ? "  benefits, said by buyers\n"
                                           : "  objections to answer, said by abandoners and "
                                             "returners\n");
                vb_date_format(r->first, first);
                vb_date_format(r->last, last);
                vb_buf_addf(o, "    \"%s\"  %s, %zu customers, %zu calls, %s .. %s\n", r->text,
                            vb_copy_length_name(r), r->customers, r->notes, first, last);
        }
}

static int cmd_copy(int argc, char **argv)
{
        struct vb_cmd_getopt g;
        const char *dir = NULL, *format = "text", *tag = NULL, *theme = NULL;
        long limit = 5;
        int c, status = VB_EXIT_OK;
        struct vb_date since;
        struct vb_agg_options aopt;
        struct vb_source *src = NULL;
        struct vb_kb *kb = NULL;
        struct vb_agg *a = NULL;
        struct vb_phrase_index *ix = NULL;
        struct vb_copy_bank bank;
        struct vb_arena scratch = VB_ARENA_INIT;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_buf out = VB_BUF_INIT;

        memset(&aopt, 0, sizeof(aopt));
        memset(&since, 0, sizeof(since));
        memset(&bank, 0, sizeof(bank));
        vb_cmd_getopt_init(&g, &vb_cmd_copy);
        while ((c = getopt_long(argc, argv, g.shorts, g.longs, NULL)) != -1) {
                switch (c) {
                case 'C':
                        dir = optarg;
                        break;
                case 's':
                        aopt.filter.segment = optarg;
                        break;
                case 'g':
                        tag = optarg;
                        break;
                case 'p':
                        aopt.filter.product = optarg;
                        break;
                case 'S':
                        if (vb_cmd_date_option(&since, "copy", "--since", optarg))
                                return VB_EXIT_USAGE;
                        break;
                case 'n':
                        if (vb_cmd_count_option(&limit, "copy", "--limit", optarg))
                                return VB_EXIT_USAGE;
                        break;
                case 'f': {
                        static const char *const formats[] = {"text", "csv", "json", NULL};
                        int k = vb_cmd_format_option("copy", optarg, formats);
                        if (k < 0)
                                return VB_EXIT_USAGE;
                        format = formats[k];
                        break;
                }
                default: /* -h, --help, or an option it does not know */
                        return vb_cmd_usage(&vb_cmd_copy, c);
                }
        }
        if (vb_cmd_no_operands(&vb_cmd_copy, argc, argv, optind) != VB_EXIT_OK)
                return VB_EXIT_USAGE;
        if ((status = vb_cmd_load_kb("copy", dir, NULL, &src, &kb, &d)) != VB_EXIT_OK ||
            (status = vb_cmd_check_filter("copy", kb->vocab, &aopt.filter)) != VB_EXIT_OK)
                goto done;
        if (tag) {
                theme = vb_vocab_theme(kb->vocab, &scratch, tag, NULL);
                if (!theme || (kb->vocab->has_tags && !vb_vocab_tag(kb->vocab, tag, &c))) {
                        const char *best = vb_vocab_suggest_tag(kb->vocab, tag);
                        if (best)
                                vb_cmd_error("copy", "unknown tag '%s' (did you mean '%s'?)", tag,
                                             best);
                        else
                                vb_cmd_error("copy",
                                             "unknown tag '%s'; use a key of tags: in "
                                             "verbatim.yml",
                                             tag);
                        status = VB_EXIT_USAGE;
                        goto done;
                }
        }
        vb_agg_build(&a, kb, &aopt);
        ix = vb_opportunities_phrase_index(a);
        vb_copy_bank_build(&bank, a, ix, theme, since);
        if (!strcmp(format, "csv")) {
                vb_copy_bank_csv(&out, &bank, (size_t)limit);
        } else if (!strcmp(format, "json")) {
                vb_copy_bank_json(&out, &bank, (size_t)limit);
        } else {
                text_bank(&out, a, &bank, (size_t)limit);
                text_tests(&out, kb->vocab);
        }
        status = vb_cmd_write(stdout, out.ptr, out.len);
done:
        vb_buf_release(&out);
        vb_copy_bank_release(&bank);
        if (ix) {
                vb_phrase_index_release(ix);
                free(ix);
        }
        vb_agg_free(a);
        vb_kb_free(kb);
        vb_source_free(src);
        vb_diags_release(&d);
        vb_arena_release(&scratch);
        return vb_cmd_finish(status);
}
