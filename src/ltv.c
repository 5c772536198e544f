/* The LTV dual track: which themes high-LTV customers raise more than
 * low-LTV ones, and the reverse (see include/verbatim/ltv.h). */
#include "verbatim/ltv.h"
#include "verbatim/json.h"

#include <stdlib.h>
#include <string.h>

static int by_ratio_desc(const void *pa, const void *pb)
{
        const struct vb_ltv_theme *a = pa, *b = pb;
        if (a->ratio != b->ratio)
                return a->ratio > b->ratio ? -1 : 1;
        return strcmp(a->theme->key, b->theme->key);
}

static int by_ratio_asc(const void *pa, const void *pb)
{
        const struct vb_ltv_theme *a = pa, *b = pb;
        if (a->ratio != b->ratio)
                return a->ratio < b->ratio ? -1 : 1;
        return strcmp(a->theme->key, b->theme->key);
}

static int by_notes(const void *pa, const void *pb)
{
        const struct vb_ltv_theme *a = pa, *b = pb;
        size_t na = a->high_notes + a->low_notes, nb = b->high_notes + b->low_notes;
        if (na != nb)
                return na > nb ? -1 : 1;
        return strcmp(a->theme->key, b->theme->key);
}

void vb_ltv_track_build(struct vb_ltv_track *out, const struct vb_agg *a)
{
        const struct vb_vocab *v = a->kb->vocab;
        size_t hi, lo;
        memset(out, 0, sizeof(*out));
        out->high_first = vb_calloc(a->nthemes + 1, sizeof(*out->high_first));
        out->low_first = vb_calloc(a->nthemes + 1, sizeof(*out->low_first));
        out->too_few = vb_calloc(a->nthemes + 1, sizeof(*out->too_few));
        if (v->nltv_tiers < 2 || a->ntiers < 3)
                return;
        lo = 0;
        hi = v->nltv_tiers - 1;
        out->low = a->tiers[lo];
        out->high = a->tiers[hi];
        for (size_t i = 0; i < a->kb->nnotes; i++) {
                const struct vb_note *n = a->kb->notes[i];
                const char *tier;
                if (!vb_note_is_conversation(n) || !vb_agg_note_counts(a, n))
                        continue;
                tier = vb_vocab_ltv_tier(v, n->has_ltv, n->ltv);
                out->high_conversations += !strcmp(tier, out->high);
                out->low_conversations += !strcmp(tier, out->low);
        }
        for (size_t i = 0; i < a->nthemes; i++) {
                const struct vb_theme_stats *t = &a->themes[i];
                struct vb_ltv_theme x;
                if (!strcmp(t->key, "unknown") || !t->tiers)
                        continue;
                memset(&x, 0, sizeof(x));
                x.theme = t;
                x.high_notes = t->tiers[hi].notes;
                x.low_notes = t->tiers[lo].notes;
                if (!x.high_notes && !x.low_notes)
                        continue;
                if (out->high_conversations)
                        x.high_share = (double)x.high_notes / (double)out->high_conversations;
                if (out->low_conversations)
                        x.low_share = (double)x.low_notes / (double)out->low_conversations;
                x.ranked = x.high_notes >= VB_LTV_MIN_NOTES && x.low_notes >= VB_LTV_MIN_NOTES;
                if (!x.ranked)
                        out->too_few[out->ntoo_few++] = x;
                else if ((x.ratio = x.high_share / x.low_share) >= 1.0)
                        out->high_first[out->nhigh_first++] = x;
                else
                        out->low_first[out->nlow_first++] = x;
        }
        qsort(out->high_first, out->nhigh_first, sizeof(*out->high_first), by_ratio_desc);
        qsort(out->low_first, out->nlow_first, sizeof(*out->low_first), by_ratio_asc);
        qsort(out->too_few, out->ntoo_few, sizeof(*out->too_few), by_notes);
}

void vb_ltv_track_release(struct vb_ltv_track *t)
{
        free(t->high_first);
        free(t->low_first);
        free(t->too_few);
        memset(t, 0, sizeof(*t));
}

static void json_themes(struct vb_buf *out, const struct vb_ltv_theme *v, size_t n)
{
        vb_buf_addc(out, '[');
        for (size_t i = 0; i < n; i++) {
                vb_buf_adds(out, i ? ",{\"theme\":" : "{\"theme\":");
                vb_json_str(out, v[i].theme->key);
                vb_buf_addf(out, ",\"high_notes\":%zu,\"low_notes\":%zu,\"high_share\":",
                            v[i].high_notes, v[i].low_notes);
                vb_json_num(out, v[i].high_share);
                vb_buf_adds(out, ",\"low_share\":");
                vb_json_num(out, v[i].low_share);
                vb_buf_adds(out, ",\"ratio\":");
                if (v[i].ranked)
                        vb_json_num(out, v[i].ratio);
                else
                        vb_buf_adds(out, "null");
                vb_buf_addc(out, '}');
        }
        vb_buf_addc(out, ']');
}

void vb_ltv_track_json(struct vb_buf *out, const struct vb_ltv_track *t)
{
        vb_buf_adds(out, "{\"high_tier\":");
        vb_json_str(out, t->high);
        vb_buf_adds(out, ",\"low_tier\":");
        vb_json_str(out, t->low);
        vb_buf_addf(out, ",\"high_conversations\":%zu,\"low_conversations\":%zu,\"min_notes\":%d",
                    t->high_conversations, t->low_conversations, VB_LTV_MIN_NOTES);
        vb_buf_adds(out, ",\"high_first\":");
        json_themes(out, t->high_first, t->nhigh_first);
        vb_buf_adds(out, ",\"low_first\":");
        json_themes(out, t->low_first, t->nlow_first);
        vb_buf_adds(out, ",\"too_few\":");
        json_themes(out, t->too_few, t->ntoo_few);
        vb_buf_addc(out, '}');
}
