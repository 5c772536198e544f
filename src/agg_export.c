/* The aggregates as data: one JSON document, and CSV tables for
 * spreadsheets.  Customer texts have personal data redacted. */
#include "verbatim/agg.h"
#include "verbatim/json.h"
#include "verbatim/ltv.h"
#include "verbatim/opportunity.h"
#include "verbatim/products.h"
#include "verbatim/pii.h"

#include <string.h>

const char *const vb_agg_csv_tables[] = {"themes",   "weekly",         "segments", "quotes",
                                         "next",     "reasons",        "ltv",      "roadmap",
                                         "products", "product_themes", NULL};

static void json_series(struct vb_buf *out, const struct vb_agg *a, const struct vb_series *s)
{
        vb_buf_addc(out, '[');
        for (size_t i = 0; i < a->nweeks; i++)
                vb_buf_addf(out, "%s%u", i ? "," : "", (unsigned)s->count[i]);
        vb_buf_addc(out, ']');
}

void vb_agg_novelty_json(struct vb_buf *out, const struct vb_agg *a)
{
        const struct vb_novelty *nv = &a->novelty;
        struct vb_buf words = VB_BUF_INIT;
        char week[16];
        vb_agg_novelty_sentence(&words, a);
        vb_buf_adds(out, "{\"sentence\":");
        vb_buf_add_json(out, words.ptr, words.len);
        vb_buf_release(&words);
        vb_buf_addf(out,
                    ",\"conversations\":%zu,\"since_new\":%zu,\"last_new\":", nv->conversations,
                    nv->since_new);
        vb_json_date(out, nv->last_new);
        vb_buf_adds(out, ",\"saturated_since\":");
        if (nv->saturated_since >= 0) {
                vb_week_label(nv->saturated_since, week);
                vb_buf_addf(out, "\"%s\"", week);
        } else {
                vb_buf_adds(out, "null");
        }
        vb_buf_adds(out, ",\"first_week\":");
        if (a->nweeks) {
                vb_week_label(a->first_week, week);
                vb_buf_addf(out, "\"%s\"", week);
        } else {
                vb_buf_adds(out, "null");
        }
        vb_buf_adds(out, ",\"new\":");
        json_series(out, a, &nv->fresh);
        vb_buf_adds(out, ",\"segments\":[");
        for (size_t g = 0; g < a->nsegments; g++) {
                vb_buf_adds(out, g ? ",{\"key\":" : "{\"key\":");
                vb_json_str(out, a->segments[g].key);
                vb_buf_adds(out, ",\"conversations\":");
                json_series(out, a, &nv->seg_conversations[g]);
                vb_buf_adds(out, ",\"new\":");
                json_series(out, a, &nv->seg_fresh[g]);
                vb_buf_addc(out, '}');
        }
        vb_buf_adds(out, "]}");
}

static void json_counts(struct vb_buf *out, const struct vb_count *c, size_t n)
{
        vb_buf_addc(out, '[');
        for (size_t i = 0; i < n; i++) {
                vb_buf_adds(out, i ? ",{\"key\":" : "{\"key\":");
                vb_json_str(out, c[i].key);
                vb_buf_adds(out, ",\"label\":");
                vb_json_str(out, c[i].label);
                vb_buf_addf(out, ",\"notes\":%zu,\"customers\":%zu}", c[i].notes, c[i].customers);
        }
        vb_buf_addc(out, ']');
}

static void json_note_ids(struct vb_buf *out, const struct vb_note *const *notes, size_t n)
{
        vb_buf_addc(out, '[');
        for (size_t i = 0; i < n; i++) {
                if (i)
                        vb_buf_addc(out, ',');
                vb_json_str(out, notes[i]->id);
        }
        vb_buf_addc(out, ']');
}

static void json_quote(struct vb_buf *out, const struct vb_quote_ref *q)
{
        const struct vb_note *n = q->note;
        const struct vb_quote *quote = &n->quotes[q->quote];
        vb_buf_adds(out, "{\"note\":");
        vb_json_str(out, n->id);
        vb_buf_adds(out, ",\"path\":");
        vb_json_str(out, n->path);
        vb_buf_addf(out, ",\"line\":%u,\"date\":", quote->pos.line);
        vb_json_date(out, n->date);
        vb_buf_adds(out, ",\"segment\":");
        vb_json_str(out, n->segment.value);
        vb_buf_adds(out, ",\"text\":");
        vb_json_redacted(out, quote->text);
        vb_buf_addc(out, '}');
}

static void json_theme(struct vb_buf *out, const struct vb_agg *a, const struct vb_theme_stats *t)
{
        vb_buf_adds(out, "{\"key\":");
        vb_json_str(out, t->key);
        vb_buf_adds(out, ",\"label\":");
        vb_json_str(out, t->label);
        vb_buf_adds(out, ",\"kind\":");
        vb_json_str(out, t->kind);
        vb_buf_addf(out, ",\"notes\":%zu,\"customers\":%zu,\"share\":", t->notes, t->customers);
        vb_json_num(out, t->share);
        vb_buf_adds(out, ",\"share_recent\":");
        vb_json_num(out, t->share_recent);
        vb_buf_adds(out, ",\"share_before\":");
        vb_json_num(out, t->share_before);
        vb_buf_addf(out,
                    ",\"recent_notes\":%zu,\"recent_customers\":%zu,\"month_notes\":%zu,"
                    "\"month_customers\":%zu,\"first_seen\":",
                    t->recent_notes, t->recent_customers, t->month_notes, t->month_customers);
        vb_json_date(out, t->first_seen);
        vb_buf_adds(out, ",\"last_seen\":");
        vb_json_date(out, t->last_seen);
        vb_buf_addf(out, ",\"emerging\":%s,\"emerging_why\":", t->emerging ? "true" : "false");
        vb_json_str(out, t->emerging_why);
        vb_buf_addf(out, ",\"fading\":%s,\"trend\":", t->fading ? "true" : "false");
        vb_trend_json(out, &t->trend);
        vb_buf_adds(out, ",\"weekly\":");
        json_series(out, a, &t->weekly);
        vb_buf_adds(out, ",\"segments\":");
        json_counts(out, t->segments, a->nsegments);
        vb_buf_adds(out, ",\"tiers\":");
        json_counts(out, t->tiers, a->ntiers);
        vb_buf_adds(out, ",\"cooccurring\":");
        json_counts(out, t->cooccurring, t->ncooccurring);
        vb_buf_adds(out, ",\"roadmap\":[");
        for (size_t i = 0; i < t->nroadmap; i++) {
                if (i)
                        vb_buf_addc(out, ',');
                vb_json_str(out, t->roadmap[i]->id);
        }
        vb_buf_adds(out, "],\"quotes\":[");
        for (size_t i = 0; i < t->nquotes; i++) {
                vb_buf_adds(out, i ? ",\n    " : "\n    ");
                json_quote(out, &t->quotes[i]);
        }
        vb_buf_adds(out, "]}");
}

void vb_agg_json(struct vb_buf *out, const struct vb_agg *a)
{
        char w[16];
        const struct vb_vocab *v = a->kb->vocab;
        vb_buf_adds(out, "{\n\"format_version\": 1,\n\"as_of\": "); /* docs/data-format.md */
        vb_json_date(out, a->as_of);
        vb_buf_adds(out, ",\n\"title\": ");
        vb_json_str(out, v->title);
        vb_buf_addf(out,
                    ",\n\"totals\": {\"attempts\":%zu,\"conversations\":%zu,\"customers\":%zu,"
                    "\"customers_reached\":%zu,\"connect_rate\":",
                    a->attempts, a->conversations, a->customers, a->customers_reached);
        vb_json_num(out, a->connect_rate);
        vb_buf_adds(out, ",\"customer_rate\":");
        vb_json_num(out, a->customer_rate);
        vb_buf_addf(out,
                    ",\"streak\":%zu,\"this_week\":%zu,\"last_week\":%zu,\"weekly_goal\":%d,"
                    "\"unknown_tags\":%zu,\"undated\":%zu,\"after_as_of\":%zu},\n",
                    a->streak, a->this_week, a->last_week_attempts, v->weekly_goal, a->unknown_tags,
                    a->undated, a->after_as_of);
        vb_buf_adds(out, "\"weeks\": [");
        for (size_t i = 0; i < a->nweeks; i++) {
                vb_week_label(a->first_week + (int64_t)i, w);
                vb_buf_addf(out, "%s\"%s\"", i ? "," : "", w);
        }
        vb_buf_adds(out, "],\n\"weekly\": {\"attempts\":");
        json_series(out, a, &a->weekly_attempts);
        vb_buf_adds(out, ",\"conversations\":");
        json_series(out, a, &a->weekly_conversations);
        vb_buf_adds(out, "},\n\"segments\": [");
        for (size_t i = 0; i < a->nsegments; i++) {
                const struct vb_segment_stats *s = &a->segments[i];
                vb_buf_adds(out, i ? ",\n  {\"key\":" : "\n  {\"key\":");
                vb_json_str(out, s->key);
                vb_buf_adds(out, ",\"label\":");
                vb_json_str(out, s->label);
                vb_buf_addf(out,
                            ",\"attempts\":%zu,\"conversations\":%zu,\"customers\":%zu,"
                            "\"customers_reached\":%zu,\"connect_rate\":",
                            s->attempts, s->conversations, s->customers, s->customers_reached);
                vb_json_num(out, s->connect_rate);
                vb_buf_adds(out, ",\"customer_rate\":");
                vb_json_num(out, s->customer_rate);
                vb_buf_adds(out, ",\"weekly\":");
                json_series(out, a, &s->weekly);
                vb_buf_addc(out, '}');
        }
        vb_buf_adds(out, "],\n\"tiers\": [");
        for (size_t i = 0; i < a->ntiers; i++) {
                if (i)
                        vb_buf_addc(out, ',');
                vb_json_str(out, a->tiers[i]);
        }
        vb_buf_adds(out, "],\n\"trends\": {\"method\":");
        {
                struct vb_buf method = VB_BUF_INIT;
                vb_trend_method(&method, a->trend_themes);
                vb_buf_add_json(out, method.ptr, method.len);
                vb_buf_release(&method);
        }
        vb_buf_addf(out, ",\"too_few\":%s,\"emerging\":[", a->trend_too_few ? "true" : "false");
        for (size_t i = 0; i < a->nemerging; i++) {
                if (i)
                        vb_buf_addc(out, ',');
                vb_json_str(out, a->emerging[i]->key);
        }
        vb_buf_adds(out, "],\"fading\":[");
        for (size_t i = 0; i < a->nfading; i++) {
                if (i)
                        vb_buf_addc(out, ',');
                vb_json_str(out, a->fading[i]->key);
        }
        vb_buf_adds(out, "]},\n\"novelty\": ");
        vb_agg_novelty_json(out, a);
        vb_buf_adds(out, ",\n\"themes\": [");
        for (size_t i = 0; i < a->nthemes; i++) {
                vb_buf_adds(out, i ? ",\n  " : "\n  ");
                json_theme(out, a, &a->themes[i]);
        }
        vb_buf_addf(out,
                    "],\n\"reasons\": {\"abandoner_conversations\":%zu,\"with_reason\":%zu,"
                    "\"price_share\":",
                    a->abandoner_conversations, a->abandoners_with_reason);
        vb_json_num(out, a->price_share);
        vb_buf_addf(out, ",\"price_notes\":%zu,\"price_group\":", a->price_notes);
        vb_json_str(out, a->price_group);
        vb_buf_adds(out, ",\"price_group_name\":");
        vb_json_str(out, a->price_group_name);
        vb_buf_addf(out, ",\"price_group_notes\":%zu,\"price_group_share\":", a->price_group_notes);
        vb_json_num(out, a->price_group_share);
        vb_buf_adds(out, ",\"groups\":");
        json_counts(out, a->reasons, a->nreasons);
        vb_buf_adds(out, "},\n\"roadmap\": [");
        for (size_t i = 0; i < a->nroadmap; i++) {
                const struct vb_roadmap_stats *r = &a->roadmap[i];
                vb_buf_adds(out, i ? ",\n  {\"id\":" : "\n  {\"id\":");
                vb_json_str(out, r->item->id);
                vb_buf_adds(out, ",\"title\":");
                vb_json_str(out, r->item->title);
                vb_buf_adds(out, ",\"status\":");
                vb_json_str(out, r->item->status);
                vb_buf_adds(out, ",\"shipped\":");
                vb_json_date(out, r->item->shipped);
                vb_buf_adds(out, ",\"supporting\":");
                json_note_ids(out, r->supporting, r->nsupporting);
                vb_buf_adds(out, ",\"validating\":");
                json_note_ids(out, r->validating, r->nvalidating);
                vb_buf_adds(out, ",\"themes\":");
                json_counts(out, r->themes, r->nthemes);
                vb_buf_addf(out,
                            ",\"by_theme\":{\"notes\":%zu,\"customers\":%zu},"
                            "\"verdicts\":{\"solved\":%zu,\"partly\":%zu,\"not_solved\":%zu,"
                            "\"not_given\":%zu}",
                            r->theme_notes, r->theme_customers, r->verdicts[VB_VERDICT_SOLVED],
                            r->verdicts[VB_VERDICT_PARTLY], r->verdicts[VB_VERDICT_NOT_SOLVED],
                            r->verdicts[VB_VERDICT_NONE]);
                vb_buf_addf(out,
                            ",\"before_after\":{\"weeks\":%zu,\"before_conversations\":%zu,"
                            "\"after_conversations\":%zu,\"before_notes\":%zu,\"after_notes\":%zu,"
                            "\"themes\":[",
                            r->weeks, r->before_conversations, r->after_conversations,
                            r->before_notes, r->after_notes);
                for (size_t k = 0; k < r->nbefore_after; k++) {
                        vb_buf_adds(out, k ? ",{\"theme\":" : "{\"theme\":");
                        vb_json_str(out, r->before_after[k].theme);
                        vb_buf_addf(out, ",\"before_notes\":%zu,\"after_notes\":%zu}",
                                    r->before_after[k].before_notes,
                                    r->before_after[k].after_notes);
                }
                vb_buf_adds(out, "]},\"call_back\":[");
                for (size_t k = 0; k < r->ncall_back; k++) {
                        if (k)
                                vb_buf_addc(out, ',');
                        vb_json_redacted(out, r->call_back[k]);
                }
                vb_buf_adds(out, "]}");
        }
        vb_buf_adds(out, "],\n\"unplanned\": [");
        for (size_t i = 0; i < a->nunplanned; i++) {
                if (i)
                        vb_buf_addc(out, ',');
                vb_json_str(out, a->unplanned[i]->key);
        }
        vb_buf_adds(out, "],\n\"jobs\": [");
        for (size_t i = 0; i < a->njobs; i++) {
                const struct vb_job *j = a->jobs[i].job;
                vb_buf_adds(out, i ? ",\n  {\"note\":" : "\n  {\"note\":");
                vb_json_str(out, a->jobs[i].note->id);
                vb_buf_adds(out, ",\"job\":");
                vb_json_redacted(out, j->job);
                vb_buf_adds(out, ",\"before\":");
                vb_json_redacted(out, j->before);
                vb_buf_adds(out, ",\"without_it\":");
                vb_json_redacted(out, j->without_it);
                vb_buf_addc(out, '}');
        }
        vb_buf_adds(out, "],\n\"whys\": [");
        for (size_t i = 0; i < a->nwhys; i++) {
                vb_buf_adds(out, i ? ",\n  {\"note\":" : "\n  {\"note\":");
                vb_json_str(out, a->whys[i].note->id);
                vb_buf_adds(out, ",\"root\":");
                vb_json_redacted(out, a->whys[i].root);
                vb_buf_addc(out, '}');
        }
        vb_buf_adds(out, "],\n\"next\": ");
        {
                struct vb_opportunities ops;
                vb_opportunities_build(&ops, a, NULL);
                vb_opportunities_json(out, a, &ops, 0);
                vb_opportunities_release(&ops);
        }
        vb_buf_adds(out, ",\n\"ltv_dual_track\": ");
        {
                struct vb_ltv_track t;
                vb_ltv_track_build(&t, a);
                vb_ltv_track_json(out, &t);
                vb_ltv_track_release(&t);
        }
        vb_buf_adds(out, ",\n");
        {
                struct vb_products p;
                vb_products_build(&p, a);
                vb_products_json(out, a, &p);
                vb_products_release(&p);
        }
        vb_buf_addf(out, ",\n\"notes_with_errors\": %zu\n}\n", a->notes_with_errors);
}

/* One CSV cell: a leading = + - @ gets an apostrophe (spreadsheets would
 * run it as a formula); quoted when it holds a comma, quote or line end. */
static void csv_cell(struct vb_buf *out, const char *s, int first)
{
        vb_buf_add_csv(out, s, first);
}

static void csv_redacted(struct vb_buf *out, const char *s)
{
        struct vb_buf r = VB_BUF_INIT;
        if (s)
                vb_pii_redact(&r, s, strlen(s));
        csv_cell(out, r.ptr, 0);
        vb_buf_release(&r);
}

static void csv_date(struct vb_buf *out, struct vb_date d)
{
        char s[16] = "";
        if (vb_date_is_set(d))
                vb_date_format(d, s);
        csv_cell(out, s, 0);
}

static void csv_themes(struct vb_buf *out, const struct vb_agg *a)
{
        vb_buf_adds(out, "key,label,kind,notes,customers,share,share_recent,share_before,"
                         "first_seen,last_seen,emerging,trend\r\n");
        for (size_t i = 0; i < a->nthemes; i++) {
                const struct vb_theme_stats *t = &a->themes[i];
                csv_cell(out, t->key, 1);
                csv_cell(out, t->label, 0);
                csv_cell(out, t->kind ? t->kind : "", 0);
                vb_buf_addf(out, ",%zu,%zu,%.6g,%.6g,%.6g", t->notes, t->customers, t->share,
                            t->share_recent, t->share_before);
                csv_date(out, t->first_seen);
                csv_date(out, t->last_seen);
                csv_cell(out, t->emerging_why ? t->emerging_why : "", 0);
                csv_cell(out, vb_trend_verdict_name(t->trend.verdict), 0);
                vb_buf_adds(out, "\r\n");
        }
}

static void csv_weekly(struct vb_buf *out, const struct vb_agg *a)
{
        char w[16];
        vb_buf_adds(out, "week,attempts,conversations");
        for (size_t s = 0; s < a->nsegments; s++)
                csv_cell(out, a->segments[s].key, 0);
        vb_buf_adds(out, "\r\n");
        for (size_t i = 0; i < a->nweeks; i++) {
                vb_week_label(a->first_week + (int64_t)i, w);
                vb_buf_addf(out, "%s,%u,%u", w, (unsigned)a->weekly_attempts.count[i],
                            (unsigned)a->weekly_conversations.count[i]);
                for (size_t s = 0; s < a->nsegments; s++)
                        vb_buf_addf(out, ",%u", (unsigned)a->segments[s].weekly.count[i]);
                vb_buf_adds(out, "\r\n");
        }
}

static void csv_segments(struct vb_buf *out, const struct vb_agg *a)
{
        vb_buf_adds(out, "key,label,attempts,conversations,connect_rate,customers,"
                         "customers_reached,customer_rate\r\n");
        for (size_t i = 0; i < a->nsegments; i++) {
                const struct vb_segment_stats *s = &a->segments[i];
                csv_cell(out, s->key, 1);
                csv_cell(out, s->label, 0);
                vb_buf_addf(out, ",%zu,%zu,%.6g,%zu,%zu,%.6g\r\n", s->attempts, s->conversations,
                            s->connect_rate, s->customers, s->customers_reached, s->customer_rate);
        }
}

static void csv_quotes(struct vb_buf *out, const struct vb_agg *a)
{
        vb_buf_adds(out, "theme,note,path,line,date,segment,text\r\n");
        for (size_t i = 0; i < a->nthemes; i++) {
                const struct vb_theme_stats *t = &a->themes[i];
                for (size_t k = 0; k < t->nquotes; k++) {
                        const struct vb_note *n = t->quotes[k].note;
                        const struct vb_quote *q = &n->quotes[t->quotes[k].quote];
                        csv_cell(out, t->key, 1);
                        csv_cell(out, n->id, 0);
                        csv_cell(out, n->path, 0);
                        vb_buf_addf(out, ",%u", q->pos.line);
                        csv_date(out, n->date);
                        csv_cell(out, n->segment.value ? n->segment.value : "", 0);
                        csv_redacted(out, q->text);
                        vb_buf_adds(out, "\r\n");
                }
        }
}

static void csv_num(struct vb_buf *out, double x)
{
        vb_buf_addf(out, ",%.6g", x);
}

/* What to build next: data.json's "next", a row a ranked theme. */
static void csv_next(struct vb_buf *out, const struct vb_agg *a)
{
        struct vb_opportunities ops;
        vb_opportunities_build(&ops, a, NULL);
        vb_buf_adds(out, "rank,theme,label,kind,customers,notes,lost_revenue_notes,"
                         "lost_revenue_share,lost_revenue_factor,high_ltv_customers,high_ltv_share,"
                         "high_ltv_factor,trend,recent_notes,recent_conversations,before_notes,"
                         "before_conversations,trend_ratio,trend_factor,roadmap,roadmap_status,"
                         "roadmap_factor,score\r\n");
        for (size_t i = 0; i < ops.n; i++) {
                const struct vb_opportunity *r = &ops.v[i];
                vb_buf_addf(out, "%zu", i + 1);
                csv_cell(out, r->theme->key, 0);
                csv_cell(out, r->theme->label, 0);
                csv_cell(out, r->theme->kind ? r->theme->kind : "", 0);
                vb_buf_addf(out, ",%zu,%zu,%zu", r->customers, r->notes, r->lost_notes);
                csv_num(out, r->lost_share);
                csv_num(out, r->lost_factor);
                vb_buf_addf(out, ",%zu", r->high_customers);
                csv_num(out, r->high_share);
                csv_num(out, r->ltv_factor);
                csv_cell(out, vb_opportunity_trend_name(r->trend), 0);
                vb_buf_addf(out, ",%zu,%zu,%zu,%zu", r->recent_notes, r->recent_conversations,
                            r->before_notes, r->before_conversations);
                csv_num(out, r->trend_ratio);
                csv_num(out, r->trend_factor);
                csv_cell(out, r->roadmap ? r->roadmap->id : "", 0);
                csv_cell(out, r->roadmap ? r->roadmap->status : "", 0);
                csv_num(out, r->roadmap_factor);
                csv_num(out, r->score);
                vb_buf_adds(out, "\r\n");
        }
        vb_opportunities_release(&ops);
}

/* The abandoners' main reasons: the price key, the group holding it, then
 * every group, each over the abandoners' conversations. */
static void csv_reasons(struct vb_buf *out, const struct vb_agg *a)
{
        vb_buf_adds(out, "kind,key,label,notes,customers,share\r\n");
        vb_buf_addf(out, "price,price,price,%zu,", a->price_notes);
        csv_num(out, a->price_share);
        vb_buf_adds(out, "\r\n");
        if (a->price_group) {
                vb_buf_adds(out, "price_group");
                csv_cell(out, a->price_group, 0);
                csv_cell(out, a->price_group_name ? a->price_group_name : a->price_group, 0);
                vb_buf_addf(out, ",%zu,", a->price_group_notes);
                csv_num(out, a->price_group_share);
                vb_buf_adds(out, "\r\n");
        }
        for (size_t i = 0; i < a->nreasons; i++) {
                const struct vb_count *c = &a->reasons[i];
                vb_buf_adds(out, "group");
                csv_cell(out, c->key, 0);
                csv_cell(out, c->label ? c->label : c->key, 0);
                vb_buf_addf(out, ",%zu,%zu", c->notes, c->customers);
                csv_num(out, a->abandoner_conversations
                                 ? (double)c->notes / (double)a->abandoner_conversations
                                 : 0.0);
                vb_buf_adds(out, "\r\n");
        }
}

static void csv_ltv_rows(struct vb_buf *out, const char *track, const struct vb_ltv_theme *v,
                         size_t n)
{
        for (size_t i = 0; i < n; i++) {
                csv_cell(out, track, 1);
                csv_cell(out, v[i].theme->key, 0);
                csv_cell(out, v[i].theme->label, 0);
                vb_buf_addf(out, ",%zu", v[i].high_notes);
                csv_num(out, v[i].high_share);
                vb_buf_addf(out, ",%zu", v[i].low_notes);
                csv_num(out, v[i].low_share);
                if (v[i].ranked)
                        csv_num(out, v[i].ratio);
                else
                        vb_buf_addc(out, ',');
                vb_buf_adds(out, "\r\n");
        }
}

/* The LTV dual track: a row a theme, its track (high_first, low_first or
 * too_few), the counts and shares of the two tiers and the ratio (empty
 * when not ranked). */
static void csv_ltv(struct vb_buf *out, const struct vb_agg *a)
{
        struct vb_ltv_track t;
        vb_ltv_track_build(&t, a);
        vb_buf_adds(out, "track,theme,label,high_notes,high_share,low_notes,low_share,ratio\r\n");
        csv_ltv_rows(out, "high_first", t.high_first, t.nhigh_first);
        csv_ltv_rows(out, "low_first", t.low_first, t.nlow_first);
        csv_ltv_rows(out, "too_few", t.too_few, t.ntoo_few);
        vb_ltv_track_release(&t);
}

/* Roadmap items: support, verdict tallies, before and after. */
static void csv_roadmap(struct vb_buf *out, const struct vb_agg *a)
{
        vb_buf_adds(out, "id,title,status,shipped,supporting,validating,by_theme_notes,"
                         "by_theme_customers,solved,partly,not_solved,not_given,weeks,"
                         "before_conversations,after_conversations,before_notes,after_notes,"
                         "before_share,after_share\r\n");
        for (size_t i = 0; i < a->nroadmap; i++) {
                const struct vb_roadmap_stats *r = &a->roadmap[i];
                csv_cell(out, r->item->id, 1);
                csv_cell(out, r->item->title ? r->item->title : "", 0);
                csv_cell(out, r->item->status ? r->item->status : "", 0);
                csv_date(out, r->item->shipped);
                vb_buf_addf(out, ",%zu,%zu,%zu,%zu,%zu,%zu,%zu,%zu,%zu,%zu,%zu,%zu,%zu",
                            r->nsupporting, r->nvalidating, r->theme_notes, r->theme_customers,
                            r->verdicts[VB_VERDICT_SOLVED], r->verdicts[VB_VERDICT_PARTLY],
                            r->verdicts[VB_VERDICT_NOT_SOLVED], r->verdicts[VB_VERDICT_NONE],
                            r->weeks, r->before_conversations, r->after_conversations,
                            r->before_notes, r->after_notes);
                csv_num(out, r->before_conversations
                                 ? (double)r->before_notes / (double)r->before_conversations
                                 : 0.0);
                csv_num(out, r->after_conversations
                                 ? (double)r->after_notes / (double)r->after_conversations
                                 : 0.0);
                vb_buf_adds(out, "\r\n");
        }
}

static void csv_group(struct vb_buf *out, const char *kind, const struct vb_product_group *g)
{
        csv_cell(out, kind, 1);
        csv_cell(out, g->key, 0);
        csv_cell(out, g->label, 0);
        csv_cell(out, g->line ? g->line : "", 0);
        vb_buf_addf(out, ",%zu,%zu", g->attempts, g->conversations);
        csv_num(out, g->connect_rate);
        vb_buf_addf(out, ",%zu,%zu", g->customers, g->customers_reached);
        csv_num(out, g->customer_rate);
        vb_buf_addf(out, ",%s\r\n", vb_product_group_enough(g) ? "true" : "false");
}

static void csv_group_themes(struct vb_buf *out, const char *kind, const struct vb_product_group *g)
{
        for (size_t i = 0; i < g->nthemes; i++) {
                const struct vb_product_theme *x = &g->themes[i];
                csv_cell(out, kind, 1);
                csv_cell(out, g->key, 0);
                csv_cell(out, x->theme->key, 0);
                vb_buf_addf(out, ",%zu,%zu", x->notes, x->customers);
                csv_num(out, x->share);
                vb_buf_addf(out, ",%zu", x->other_notes);
                csv_num(out, x->other_share);
                if (x->ranked)
                        csv_num(out, x->ratio);
                else
                        vb_buf_addc(out, ',');
                vb_buf_adds(out, "\r\n");
        }
}

/* Product lines and products (`themes` 0), or their themes (1). */
static void csv_products(struct vb_buf *out, const struct vb_agg *a, int themes)
{
        struct vb_products p;
        vb_products_build(&p, a);
        if (themes)
                vb_buf_adds(out, "kind,key,theme,notes,customers,share,other_notes,other_share,"
                                 "ratio\r\n");
        else
                vb_buf_adds(out, "kind,key,label,line,attempts,conversations,connect_rate,"
                                 "customers,customers_reached,customer_rate,enough\r\n");
        for (size_t i = 0; i < p.nlines + p.nproducts; i++) {
                int line = i < p.nlines;
                const struct vb_product_group *g = line ? &p.lines[i] : &p.products[i - p.nlines];
                if (themes)
                        csv_group_themes(out, line ? "line" : "product", g);
                else
                        csv_group(out, line ? "line" : "product", g);
        }
        vb_products_release(&p);
}

int vb_agg_csv(struct vb_buf *out, const struct vb_agg *a, const char *table)
{
        if (!strcmp(table, "themes"))
                csv_themes(out, a);
        else if (!strcmp(table, "weekly"))
                csv_weekly(out, a);
        else if (!strcmp(table, "segments"))
                csv_segments(out, a);
        else if (!strcmp(table, "quotes"))
                csv_quotes(out, a);
        else if (!strcmp(table, "next"))
                csv_next(out, a);
        else if (!strcmp(table, "reasons"))
                csv_reasons(out, a);
        else if (!strcmp(table, "ltv"))
                csv_ltv(out, a);
        else if (!strcmp(table, "roadmap"))
                csv_roadmap(out, a);
        else if (!strcmp(table, "products"))
                csv_products(out, a, 0);
        else if (!strcmp(table, "product_themes"))
                csv_products(out, a, 1);
        else
                return VB_ERR_NOTFOUND;
        return VB_OK;
}
