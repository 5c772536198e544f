/* The weekly ritual of verbatim stats as data: the top themes of the month,
 * the themes new this week, and the JSON of `stats --format=json`, built
 * here like the aggregates' JSON (agg_export.c), so the command only prints. */
#include "verbatim/agg.h"
#include "verbatim/json.h"
#include "verbatim/pii.h"
#include "verbatim/trend.h"

#include <stdlib.h>
#include <string.h>

int vb_agg_new_this_week(const struct vb_agg *a, const struct vb_theme_stats *t)
{
        return vb_date_is_set(t->first_seen) && vb_week_index(t->first_seen) == a->last_week &&
               strcmp(t->key, "unknown");
}

/* The themes heard in the last 4 weeks, most customers first
 * (vb_agg_month_top: "unknown" left out). */
size_t vb_agg_top_themes(const struct vb_agg *a, const struct vb_theme_stats ***out)
{
        *out = vb_calloc(VB_AGG_TOP_THEMES, sizeof(**out));
        return vb_agg_month_top(a, NULL, *out, VB_AGG_TOP_THEMES);
}

static void json_theme_head(struct vb_buf *o, const struct vb_theme_stats *t, size_t i)
{
        vb_buf_adds(o, i ? ",{\"key\":" : "{\"key\":");
        vb_buf_add_json(o, t->key, strlen(t->key));
        vb_buf_adds(o, ",\"label\":");
        vb_buf_add_json(o, t->label, strlen(t->label));
}

static void json_theme_list(struct vb_buf *o, const struct vb_theme_stats *const *t, size_t n,
                            int month)
{
        vb_buf_addc(o, '[');
        for (size_t i = 0; i < n; i++) {
                json_theme_head(o, t[i], i);
                vb_buf_addf(o, ",\"notes\":%zu,\"customers\":%zu,\"emerging\":",
                            month ? t[i]->month_notes : t[i]->notes,
                            month ? t[i]->month_customers : t[i]->customers);
                if (t[i]->emerging_why)
                        vb_buf_addf(o, "\"%s\"}", t[i]->emerging_why);
                else
                        vb_buf_adds(o, "null}");
        }
        vb_buf_addc(o, ']');
}

static void json_trend_list(struct vb_buf *o, const struct vb_theme_stats *const *t, size_t n)
{
        vb_buf_addc(o, '[');
        for (size_t i = 0; i < n; i++) {
                json_theme_head(o, t[i], i);
                vb_buf_adds(o, ",\"trend\":");
                vb_trend_json(o, &t[i]->trend);
                vb_buf_addc(o, '}');
        }
        vb_buf_addc(o, ']');
}

void vb_agg_stats_json(struct vb_buf *o, const struct vb_agg *a)
{
        const struct vb_theme_stats **top = NULL, **fresh;
        size_t ntop, nnew = 0;
        char week[16] = "", day[16] = "";
        if (a->nweeks) {
                vb_week_label(a->last_week, week);
                vb_date_format(a->as_of, day);
        }
        vb_buf_addf(o,
                    "{\"as_of\":\"%s\",\"week\":\"%s\",\"this_week\":%zu,\"weekly_goal\":%d,"
                    "\"last_week\":%zu,\"streak\":%zu,\"attempts\":%zu,\"conversations\":%zu,"
                    "\"connect_rate\":%.6g,\"customers\":%zu,\"customers_reached\":%zu,"
                    "\"customer_rate\":%.6g,\"segments\":[",
                    day, week, a->this_week, a->kb->vocab->weekly_goal, a->last_week_attempts,
                    a->streak, a->attempts, a->conversations, a->connect_rate, a->customers,
                    a->customers_reached, a->customer_rate);
        for (size_t i = 0; i < a->nsegments; i++) {
                const struct vb_segment_stats *s = &a->segments[i];
                vb_buf_adds(o, i ? ",{\"key\":" : "{\"key\":");
                vb_buf_add_json(o, s->key, strlen(s->key));
                vb_buf_adds(o, ",\"label\":");
                vb_buf_add_json(o, s->label, strlen(s->label));
                vb_buf_addf(o,
                            ",\"this_week\":%u,\"attempts\":%zu,\"conversations\":%zu,"
                            "\"connect_rate\":%.6g}",
                            a->nweeks ? (unsigned)s->weekly.count[a->nweeks - 1] : 0u, s->attempts,
                            s->conversations, s->connect_rate);
        }
        vb_buf_adds(o, "],\"top_themes\":");
        ntop = vb_agg_top_themes(a, &top);
        json_theme_list(o, top, ntop, 1);
        fresh = vb_calloc(a->nthemes + 1, sizeof(*fresh));
        for (size_t i = 0; i < a->nthemes; i++)
                if (vb_agg_new_this_week(a, &a->themes[i]))
                        fresh[nnew++] = &a->themes[i];
        vb_buf_adds(o, ",\"new_themes\":");
        json_theme_list(o, fresh, nnew, 0);
        vb_buf_addf(o, ",\"trend_too_few\":%s,\"emerging\":", a->trend_too_few ? "true" : "false");
        json_trend_list(o, a->emerging, a->nemerging);
        vb_buf_adds(o, ",\"fading\":");
        json_trend_list(o, a->fading, a->nfading);
        vb_buf_adds(o, ",\"novelty\":");
        vb_agg_novelty_json(o, a);
        vb_buf_adds(o, ",\"shipped\":[");
        for (size_t i = 0, n = 0; i < a->nroadmap; i++) {
                const struct vb_roadmap_stats *r = &a->roadmap[i];
                if (!r->item->status || strcmp(r->item->status, "shipped"))
                        continue;
                vb_buf_adds(o, n++ ? ",{\"id\":" : "{\"id\":");
                vb_json_str(o, r->item->id);
                vb_buf_adds(o, ",\"shipped\":");
                vb_json_date(o, r->item->shipped);
                vb_buf_addf(o,
                            ",\"validating\":%zu,\"solved\":%zu,\"partly\":%zu,\"not_solved\":%zu,"
                            "\"call_back\":[",
                            r->nvalidating, r->verdicts[VB_VERDICT_SOLVED],
                            r->verdicts[VB_VERDICT_PARTLY], r->verdicts[VB_VERDICT_NOT_SOLVED]);
                for (size_t k = 0; k < r->ncall_back; k++) {
                        if (k)
                                vb_buf_addc(o, ',');
                        vb_json_redacted(o, r->call_back[k]);
                }
                vb_buf_adds(o, "]}");
        }
        vb_buf_addf(o, "],\"notes_with_errors\":%zu}\n", a->notes_with_errors);
        free(top);
        free(fresh);
}
