/* The purity of the clusters of similar quotes (issue "Patterns you can
 * trust"): for each cluster, the share of its quotes that carry its most
 * common theme.  Reads a knowledge base, builds the phrase index of its
 * conversations as the report does, prints one line per cluster of at least
 * MIN quotes and a summary:
 *
 *   purity KB [MIN]
 *
 * Not a test: make eval runs it on generated corpora, whose quotes each
 * carry one hashtag (their true theme). */
#include "verbatim/agg.h"
#include "verbatim/kb.h"
#include "verbatim/opportunity.h"
#include "verbatim/phrase.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
        struct vb_source *src = NULL;
        struct vb_kb *kb = NULL;
        struct vb_agg *a = NULL;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_phrase_index *ix;
        size_t min = argc > 2 ? (size_t)atol(argv[2]) : 10, n = 0, quotes = 0, pure_quotes = 0;
        double worst = 1.0;
        if (argc < 2) {
                fprintf(stderr, "usage: purity KB [MIN]\n");
                return 2;
        }
        if (vb_source_open_dir(&src, argv[1], &d) != VB_OK ||
            vb_kb_load(&kb, src, NULL, &d) != VB_OK) {
                fprintf(stderr, "purity: cannot load %s\n", argv[1]);
                return 2;
        }
        vb_agg_build(&a, kb, NULL);
        ix = vb_opportunities_phrase_index(a);
        for (size_t c = 0; ix && c < ix->nclusters; c++) {
                const struct vb_cluster *cl = &ix->clusters[c];
                const char **themes = calloc(cl->nmembers + 1, sizeof(*themes));
                size_t nthemes = 0, best = 0;
                const char *best_theme = "";
                if (cl->nmembers < min) {
                        free(themes);
                        continue;
                }
                /* the most common theme: a quote counts once per theme it has */
                for (size_t m = 0; m < cl->nmembers; m++) {
                        const struct vb_pquote *q =
                            &ix->notes.v[cl->members[m].note]->quotes[cl->members[m].quote];
                        for (size_t t = 0; t < q->nthemes; t++) {
                                size_t k = 0, count = 0;
                                while (k < nthemes && strcmp(themes[k], q->themes[t]))
                                        k++;
                                if (k < nthemes)
                                        continue;
                                themes = realloc(themes, (nthemes + 2) * sizeof(*themes));
                                themes[nthemes++] = q->themes[t];
                                for (size_t m2 = 0; m2 < cl->nmembers; m2++) {
                                        const struct vb_pquote *q2 =
                                            &ix->notes.v[cl->members[m2].note]
                                                 ->quotes[cl->members[m2].quote];
                                        for (size_t t2 = 0; t2 < q2->nthemes; t2++)
                                                if (!strcmp(q2->themes[t2], q->themes[t])) {
                                                        count++;
                                                        break;
                                                }
                                }
                                if (count > best ||
                                    (count == best && strcmp(q->themes[t], best_theme) < 0)) {
                                        best = count;
                                        best_theme = q->themes[t];
                                }
                        }
                }
                double p = (double)best / (double)cl->nmembers;
                if (getenv("PURITY_SHOW") && p < 0.9)
                        for (size_t m = 0; m < cl->nmembers; m++) {
                                const struct vb_pquote *q =
                                    &ix->notes.v[cl->members[m].note]->quotes[cl->members[m].quote];
                                printf("  %s [%s]\n", q->text, q->nthemes ? q->themes[0] : "");
                        }
                printf("cluster %zu: %zu quotes, %.3f carry %s\n", c + 1, cl->nmembers, p,
                       best_theme);
                n++;
                quotes += cl->nmembers;
                pure_quotes += best;
                if (p < worst)
                        worst = p;
                free(themes);
        }
        printf("clusters of %zu or more quotes: %zu; purity %.3f (weighted by size), lowest "
               "%.3f\n",
               min, n, quotes ? (double)pure_quotes / (double)quotes : 1.0, n ? worst : 1.0);
        if (ix) {
                vb_phrase_index_release(ix);
                free(ix);
        }
        vb_agg_free(a);
        vb_kb_free(kb);
        vb_source_free(src);
        vb_diags_release(&d);
        return 0;
}
