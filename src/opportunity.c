/* What to build next: the opportunity ranking of the problems and feature
 * requests (see include/verbatim/opportunity.h for the score). */
#include "verbatim/opportunity.h"
#include "verbatim/json.h"
#include "verbatim/pii.h"

#include <stdlib.h>
#include <string.h>

static const char *const statuses[] = {"idea", "planned", "building", "shipped"};

static int status_rank(const char *status)
{
        for (int i = 0; i < 4; i++)
                if (status && !strcmp(status, statuses[i]))
                        return i;
        return -1;
}

static int is_lost_segment(const struct vb_opportunity_weights *w, const char *segment)
{
        for (size_t i = 0; i < w->nlost_segments; i++)
                if (!strcmp(w->lost_segments[i], segment))
                        return 1;
        return 0;
}

static int is_candidate(const struct vb_theme_stats *t)
{
        return t->kind && (!strcmp(t->kind, "problem") || !strcmp(t->kind, "feature-request"));
}

/* The trend of `t`: its share of conversations in the last 8 weeks against
 * the 26 before, each count smoothed by 0.5. */
static void trend(struct vb_opportunity *o, const struct vb_agg *a, const struct vb_theme_stats *t,
                  double weight)
{
        const size_t recent = VB_TREND_RECENT_WEEKS, both = recent + VB_TREND_BEFORE_WEEKS;
        o->recent_conversations = vb_agg_series_last(a, &a->weekly_conversations, recent);
        o->before_conversations =
            vb_agg_series_last(a, &a->weekly_conversations, both) - o->recent_conversations;
        o->recent_notes = vb_agg_series_last(a, &t->weekly, recent);
        o->before_notes = vb_agg_series_last(a, &t->weekly, both) - o->recent_notes;
        o->trend_factor = 1.0;
        if (vb_trend_too_few(o->recent_conversations, o->before_conversations)) {
                o->trend = VB_OPP_TOO_FEW;
                return;
        }
        double r = ((double)o->recent_notes + 0.5) / (double)o->recent_conversations /
                   (((double)o->before_notes + 0.5) / (double)o->before_conversations);
        o->trend_ratio = r;
        /* the direction is the trend test's verdict, as in every table */
        o->trend = vb_trend_is_emerging(&t->trend)        ? VB_OPP_UP
                   : t->trend.verdict == VB_TREND_FADING  ? VB_OPP_DOWN
                   : t->trend.verdict == VB_TREND_TOO_FEW ? VB_OPP_TOO_FEW
                                                          : VB_OPP_FLAT;
        o->trend_factor = 1.0 + weight * (r - 1.0) / (r + 1.0);
}

static void score(struct vb_opportunity *o, const struct vb_agg *a, const struct vb_theme_stats *t)
{
        const struct vb_vocab *v = a->kb->vocab;
        const struct vb_opportunity_weights *w = &v->opportunity;
        int best = -1;
        o->theme = t;
        o->customers = t->customers;
        o->notes = t->notes;
        for (size_t i = 0; i < a->nsegments; i++)
                if (is_lost_segment(w, a->segments[i].key))
                        o->lost_notes += t->segments[i].notes;
        o->lost_share = t->notes ? (double)o->lost_notes / (double)t->notes : 0.0;
        /* the top tier is the vocabulary's last; a->tiers ends with "unknown" */
        if (v->nltv_tiers && a->ntiers > 1)
                o->high_customers = t->tiers[v->nltv_tiers - 1].customers;
        if (o->high_customers > o->customers)
                o->high_customers = o->customers;
        o->high_share = t->customers ? (double)o->high_customers / (double)t->customers : 0.0;
        trend(o, a, t, w->trend);
        for (size_t i = 0; i < t->nroadmap; i++) {
                int r = status_rank(t->roadmap[i]->status);
                if (r > best || !o->roadmap) {
                        best = r;
                        o->roadmap = t->roadmap[i];
                }
        }
        o->lost_factor = 1.0 + w->lost_revenue * o->lost_share;
        o->ltv_factor = 1.0 + w->high_ltv * o->high_share;
        o->roadmap_factor = best >= 0 ? w->roadmap[best] : 1.0;
        o->score = (double)o->customers * o->lost_factor * o->ltv_factor * o->trend_factor *
                   o->roadmap_factor;
}

static int opportunity_cmp(const void *pa, const void *pb)
{
        const struct vb_opportunity *a = pa, *b = pb;
        if (a->score != b->score)
                return a->score > b->score ? -1 : 1;
        if (a->customers != b->customers)
                return a->customers > b->customers ? -1 : 1;
        return strcmp(a->theme->key, b->theme->key);
}

struct vb_phrase_index *vb_opportunities_phrase_index(const struct vb_agg *a)
{
        struct vb_pnotes notes = VB_PNOTES_INIT;
        struct vb_pquote_in *quotes = NULL;
        struct vb_phrase_index *ix = vb_calloc(1, sizeof(*ix));
        size_t cap = 0;
        for (size_t i = 0; i < a->kb->nnotes; i++) {
                const struct vb_note *n = a->kb->notes[i];
                struct vb_arena scratch = VB_ARENA_INIT;
                if (!vb_note_is_conversation(n) || !vb_agg_note_counts(a, n))
                        continue;
                quotes = vb_grow_array(quotes, &cap, n->nquotes + 1, sizeof(*quotes));
                for (size_t q = 0; q < n->nquotes; q++) {
                        const char **themes = NULL;
                        quotes[q].nthemes = vb_quote_themes(n, q, &themes, &scratch);
                        quotes[q].themes = themes;
                        quotes[q].text = n->quotes[q].text;
                        quotes[q].line = n->quotes[q].pos.line;
                }
                vb_pnotes_add(&notes,
                              vb_pnote_new_block(n->id, n->path, n->date, n->segment.value,
                                                 n->themes, n->nthemes, quotes, n->nquotes));
                vb_arena_release(&scratch);
        }
        free(quotes);
        if (vb_phrase_index_build_flags(ix, &notes, VB_PHRASE_NO_SEARCH) != VB_OK) {
                vb_phrase_index_release(ix);
                free(ix);
                ix = NULL;
        }
        vb_pnotes_release(&notes);
        return ix;
}

void vb_opportunities_build(struct vb_opportunities *out, const struct vb_agg *a,
                            struct vb_phrase_index *phrases)
{
        const struct vb_vocab *v = a->kb->vocab;
        memset(out, 0, sizeof(*out));
        out->top_tier = v->nltv_tiers ? v->ltv_tiers[v->nltv_tiers - 1].label : "high";
        out->v = vb_calloc(a->nthemes + 1, sizeof(*out->v));
        for (size_t i = 0; i < a->nthemes; i++) {
                const struct vb_theme_stats *t = &a->themes[i];
                if (!is_candidate(t))
                        continue;
                out->candidates++;
                if (t->customers < VB_OPPORTUNITY_MIN_CUSTOMERS) {
                        out->unranked++;
                        continue;
                }
                score(&out->v[out->n++], a, t);
        }
        qsort(out->v, out->n, sizeof(*out->v), opportunity_cmp);
        for (size_t i = 0; phrases && i < out->n; i++) {
                const struct vb_phrase_tops *tops =
                    vb_phrase_top_theme(phrases, out->v[i].theme->key);
                if (tops->n) {
                        out->v[i].phrase = tops->v[0].phrase->text;
                        out->v[i].phrase_text = tops->v[0].phrase->surface
                                                    ? tops->v[0].phrase->surface
                                                    : tops->v[0].phrase->text;
                        out->v[i].phrase_notes = tops->v[0].nnotes;
                }
        }
}

void vb_opportunities_release(struct vb_opportunities *o)
{
        free(o->v);
        memset(o, 0, sizeof(*o));
}

const char *vb_opportunity_trend_name(enum vb_opportunity_trend t)
{
        switch (t) {
        case VB_OPP_UP:
                return "up";
        case VB_OPP_DOWN:
                return "down";
        case VB_OPP_FLAT:
                return "flat";
        default:
                return "too few to tell";
        }
}

void vb_opportunities_json(struct vb_buf *out, const struct vb_agg *a,
                           const struct vb_opportunities *o, size_t limit)
{
        const struct vb_opportunity_weights *w = &a->kb->vocab->opportunity;
        size_t n = limit && limit < o->n ? limit : o->n;
        vb_buf_adds(out, "{\"as_of\":");
        vb_json_date(out, a->as_of);
        vb_buf_adds(out, ",\"weights\":{\"lost_revenue\":");
        vb_json_num(out, w->lost_revenue);
        vb_buf_adds(out, ",\"high_ltv\":");
        vb_json_num(out, w->high_ltv);
        vb_buf_adds(out, ",\"trend\":");
        vb_json_num(out, w->trend);
        vb_buf_adds(out, ",\"roadmap\":{");
        for (int i = 0; i < 4; i++) {
                vb_buf_addf(out, "%s\"%s\":", i ? "," : "", statuses[i]);
                vb_json_num(out, w->roadmap[i]);
        }
        vb_buf_adds(out, "},\"lost_revenue_segments\":[");
        for (size_t i = 0; i < w->nlost_segments; i++) {
                if (i)
                        vb_buf_addc(out, ',');
                vb_json_str(out, w->lost_segments[i]);
        }
        vb_buf_adds(out, "]},\"top_tier\":");
        vb_json_str(out, o->top_tier);
        vb_buf_addf(out, ",\"candidates\":%zu,\"unranked\":%zu,\"themes\":[", o->candidates,
                    o->unranked);
        for (size_t i = 0; i < n; i++) {
                const struct vb_opportunity *r = &o->v[i];
                vb_buf_adds(out, i ? ",{" : "{");
                vb_buf_addf(out, "\"rank\":%zu,\"theme\":", i + 1);
                vb_json_str(out, r->theme->key);
                vb_buf_adds(out, ",\"label\":");
                vb_json_str(out, r->theme->label);
                vb_buf_adds(out, ",\"kind\":");
                vb_json_str(out, r->theme->kind);
                vb_buf_addf(out, ",\"customers\":%zu,\"notes\":%zu", r->customers, r->notes);
                vb_buf_addf(out, ",\"lost_revenue\":{\"notes\":%zu,\"share\":", r->lost_notes);
                vb_json_num(out, r->lost_share);
                vb_buf_adds(out, ",\"factor\":");
                vb_json_num(out, r->lost_factor);
                vb_buf_addf(out, "},\"high_ltv\":{\"customers\":%zu,\"share\":", r->high_customers);
                vb_json_num(out, r->high_share);
                vb_buf_adds(out, ",\"factor\":");
                vb_json_num(out, r->ltv_factor);
                vb_buf_adds(out, "},\"trend\":{\"direction\":");
                vb_json_str(out, vb_opportunity_trend_name(r->trend));
                vb_buf_addf(out,
                            ",\"recent_notes\":%zu,\"recent_conversations\":%zu,"
                            "\"before_notes\":%zu,\"before_conversations\":%zu,\"ratio\":",
                            r->recent_notes, r->recent_conversations, r->before_notes,
                            r->before_conversations);
                if (r->trend == VB_OPP_TOO_FEW)
                        vb_buf_adds(out, "null");
                else
                        vb_json_num(out, r->trend_ratio);
                vb_buf_adds(out, ",\"factor\":");
                vb_json_num(out, r->trend_factor);
                vb_buf_adds(out, "},\"roadmap\":");
                if (r->roadmap) {
                        vb_buf_adds(out, "{\"id\":");
                        vb_json_str(out, r->roadmap->id);
                        vb_buf_adds(out, ",\"status\":");
                        vb_json_str(out, r->roadmap->status);
                        vb_buf_adds(out, ",\"factor\":");
                        vb_json_num(out, r->roadmap_factor);
                        vb_buf_addc(out, '}');
                } else {
                        vb_buf_adds(out, "null");
                }
                vb_buf_adds(out, ",\"score\":");
                vb_json_num(out, r->score);
                vb_buf_adds(out, ",\"phrase\":");
                vb_json_redacted(out, r->phrase);
                vb_buf_adds(out, ",\"phrase_text\":");
                vb_json_redacted(out, r->phrase_text);
                vb_buf_addf(out, ",\"phrase_notes\":%zu}", r->phrase_notes);
        }
        vb_buf_adds(out, "]}");
}

static void tsv_cell(struct vb_buf *out, const char *s)
{
        if (s)
                vb_buf_add_tsv(out, s, strlen(s));
}

static void tsv_num(struct vb_buf *out, double x)
{
        vb_buf_addf(out, "\t%.3f", x);
}

void vb_opportunities_tsv(struct vb_buf *out, const struct vb_opportunities *o, size_t limit)
{
        size_t n = limit && limit < o->n ? limit : o->n;
        vb_buf_adds(out, "rank\ttheme\tkind\tcustomers\tnotes\tlost_share\tlost_factor\thigh_ltv_"
                         "share\tltv_factor\ttrend\ttrend_factor\troadmap\troadmap_status\troadmap_"
                         "factor\tscore\tphrase\n");
        for (size_t i = 0; i < n; i++) {
                const struct vb_opportunity *r = &o->v[i];
                vb_buf_addf(out, "%zu\t", i + 1);
                tsv_cell(out, r->theme->key);
                vb_buf_addc(out, '\t');
                tsv_cell(out, r->theme->kind);
                vb_buf_addf(out, "\t%zu\t%zu", r->customers, r->notes);
                tsv_num(out, r->lost_share);
                tsv_num(out, r->lost_factor);
                tsv_num(out, r->high_share);
                tsv_num(out, r->ltv_factor);
                vb_buf_addf(out, "\t%s", vb_opportunity_trend_name(r->trend));
                tsv_num(out, r->trend_factor);
                vb_buf_addc(out, '\t');
                tsv_cell(out, r->roadmap ? r->roadmap->id : "");
                vb_buf_addc(out, '\t');
                tsv_cell(out, r->roadmap ? r->roadmap->status : "");
                tsv_num(out, r->roadmap_factor);
                tsv_num(out, r->score);
                vb_buf_addc(out, '\t');
                if (r->phrase_text) {
                        struct vb_buf red = VB_BUF_INIT;
                        vb_pii_redact(&red, r->phrase_text, strlen(r->phrase_text));
                        vb_buf_add_tsv(out, red.ptr, red.len);
                        vb_buf_release(&red);
                }
                vb_buf_addc(out, '\n');
        }
}
