/* verbatim next: what to build next, the opportunity ranking in the terminal. */
#include "cmds.h"
#include "verbatim/agg.h"
#include "verbatim/kb.h"
#include "verbatim/opportunity.h"
#include "verbatim/pii.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmd_next(int argc, char **argv);

static const struct vb_cmd_opt options[] = {
    VB_CMD_OPT_DIR(VB_CMD_DIR_HELP),
    VB_CMD_OPT_SEGMENT("only calls of this segment"),
    VB_CMD_OPT_PRODUCT("only calls about this product (products: of a note)"),
    VB_CMD_OPT_LINE("only calls about a product of this product line"),
    VB_CMD_OPT_TIER("only calls of customers in this LTV tier"),
    VB_CMD_LONG('n', "limit", "N", "the first N themes (default 10; 0 for all)"),
    VB_CMD_LONG('a', "as-of", "DATE", "the day to rank on (YYYY-MM-DD or today)"),
    VB_CMD_LONG('f', "format", "FORMAT", "text (default), json or tsv"),
    {0}};

const struct vb_cmd_spec vb_cmd_next = {
    .name = "next",
    .run = cmd_next,
    .summary = "what to build next: problems and requests ranked",
    .setup = VB_SETUP_KB,
    .synopsis = "verbatim next [options]",
    .about = "Ranks the problems and feature requests customers raised: what to build\n"
             "next.  The score starts from distinct customers and is weighted up for\n"
             "lost revenue (cart abandoners, returners), high-LTV customers and a rising\n"
             "trend, down when a roadmap item already addresses the theme; every part\n"
             "is shown.  Weights: 'opportunity:' in verbatim.yml (docs/format.md).\n",
    .options = options,
    .after = "Exit status: 0 ok, 2 usage or I/O error.\n",
};

static void text_row(struct vb_buf *o, size_t rank, const struct vb_opportunity *r,
                     const char *top_tier)
{
        vb_buf_addf(o, "%2zu. %s (%s, %s)  score %.1f\n", rank, r->theme->label, r->theme->key,
                    r->theme->kind, r->score);
        vb_buf_addf(o, "    %zu %s in %zu %s", r->customers,
                    r->customers == 1 ? "customer" : "customers", r->notes,
                    r->notes == 1 ? "conversation" : "conversations");
        vb_buf_addf(o, "; lost revenue %.0f %% (x%.2f); %s LTV %.0f %% (x%.2f)\n",
                    r->lost_share * 100.0, r->lost_factor, top_tier, r->high_share * 100.0,
                    r->ltv_factor);
        if (r->trend == VB_OPP_TOO_FEW)
                vb_buf_addf(o,
                            "    trend: too few conversations to tell (%zu in the last 8 weeks, "
                            "%zu in the 26 before)",
                            r->recent_conversations, r->before_conversations);
        else
                vb_buf_addf(o,
                            "    trend: %s, %zu of %zu conversations in the last 8 weeks, %zu of "
                            "%zu before (x%.2f)",
                            vb_opportunity_trend_name(r->trend), r->recent_notes,
                            r->recent_conversations, r->before_notes, r->before_conversations,
                            r->trend_factor);
        if (r->roadmap)
                vb_buf_addf(o, "\n    on the roadmap: %s, %s (x%.2f)\n", r->roadmap->id,
                            r->roadmap->status, r->roadmap_factor);
        else
                vb_buf_adds(o, "\n    not on the roadmap\n");
        if (r->phrase_text) {
                vb_buf_adds(o, "    customers say: \"");
                vb_pii_redact(o, r->phrase_text, strlen(r->phrase_text));
                vb_buf_addf(o, "\" (%zu %s)\n", r->phrase_notes,
                            r->phrase_notes == 1 ? "conversation" : "conversations");
        }
}

static void text_report(struct vb_buf *o, const struct vb_agg *a,
                        const struct vb_opportunities *ops, size_t limit)
{
        char day[16];
        size_t n = limit && limit < ops->n ? limit : ops->n;
        vb_date_format(a->as_of, day);
        vb_buf_addf(o, "What to build next, as of %s (%zu conversations)\n\n", day,
                    a->conversations);
        if (!ops->candidates) {
                vb_buf_adds(o, "No theme of kind problem or feature-request has been heard: give "
                               "tags a kind in verbatim.yml\n(kind: problem | feature-request).\n");
                return;
        }
        if (!ops->n) {
                vb_buf_addf(o,
                            "Too few conversations to rank: no problem or request was raised "
                            "by %d customers or more.\n",
                            VB_OPPORTUNITY_MIN_CUSTOMERS);
                return;
        }
        for (size_t i = 0; i < n; i++) {
                if (i)
                        vb_buf_addc(o, '\n');
                text_row(o, i + 1, &ops->v[i], ops->top_tier);
        }
        if (n < ops->n)
                vb_buf_addf(o, "\n%zu more: --limit 0 lists them all.\n", ops->n - n);
        if (ops->unranked)
                vb_buf_addf(o, "%zu %s raised by only one customer %s not ranked.\n", ops->unranked,
                            ops->unranked == 1 ? "theme" : "themes",
                            ops->unranked == 1 ? "is" : "are");
        if (a->notes_with_errors)
                vb_buf_addf(o, "%zu %s had errors: run 'verbatim check' to see them\n",
                            a->notes_with_errors, a->notes_with_errors == 1 ? "note" : "notes");
}

static int cmd_next(int argc, char **argv)
{
        struct vb_cmd_getopt g;
        const char *dir = NULL, *format = "text";
        long limit = 10;
        int c, status = VB_EXIT_OK;
        struct vb_agg_options aopt;
        struct vb_source *src = NULL;
        struct vb_kb *kb = NULL;
        struct vb_agg *a = NULL;
        struct vb_opportunities ops;
        struct vb_phrase_index *ix = NULL;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_buf out = VB_BUF_INIT;

        memset(&aopt, 0, sizeof(aopt));
        memset(&ops, 0, sizeof(ops));
        vb_cmd_getopt_init(&g, &vb_cmd_next);
        while ((c = getopt_long(argc, argv, g.shorts, g.longs, NULL)) != -1) {
                if (vb_cmd_filter_option(&aopt.filter, c, optarg))
                        continue;
                switch (c) {
                case 'C':
                        dir = optarg;
                        break;
                case 'n':
                        if (vb_cmd_count_option(&limit, "next", "--limit", optarg))
                                return VB_EXIT_USAGE;
                        break;
                case 'a':
                        if (vb_cmd_date_option(&aopt.as_of, "next", "--as-of", optarg))
                                return VB_EXIT_USAGE;
                        break;
                case 'f': {
                        static const char *const formats[] = {"text", "json", "tsv", NULL};
                        int k = vb_cmd_format_option("next", optarg, formats);
                        if (k < 0)
                                return VB_EXIT_USAGE;
                        format = formats[k];
                        break;
                }
                default: /* -h, --help, or an option it does not know */
                        return vb_cmd_usage(&vb_cmd_next, c);
                }
        }
        if (vb_cmd_no_operands(&vb_cmd_next, argc, argv, optind) != VB_EXIT_OK)
                return VB_EXIT_USAGE;
        if ((status = vb_cmd_load_kb("next", dir, NULL, &src, &kb, &d)) != VB_EXIT_OK ||
            (status = vb_cmd_check_filter("next", kb->vocab, &aopt.filter)) != VB_EXIT_OK)
                goto done;
        vb_agg_build(&a, kb, &aopt);
        ix = vb_opportunities_phrase_index(a);
        vb_opportunities_build(&ops, a, ix);
        if (!strcmp(format, "json")) {
                vb_opportunities_json(&out, a, &ops, (size_t)limit);
                vb_buf_addc(&out, '\n');
        } else if (!strcmp(format, "tsv"))
                vb_opportunities_tsv(&out, &ops, (size_t)limit);
        else
                text_report(&out, a, &ops, (size_t)limit);
        status = vb_cmd_write(stdout, out.ptr, out.len);
done:
        vb_buf_release(&out);
        vb_opportunities_release(&ops);
        if (ix) {
                vb_phrase_index_release(ix);
                free(ix);
        }
        vb_agg_free(a);
        vb_kb_free(kb);
        vb_source_free(src);
        vb_diags_release(&d);
        return vb_cmd_finish(status);
}
