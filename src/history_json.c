/* The JSON of verbatim history (vb_history_json, vb_note_history_json):
 * built here like the aggregates' (agg_export.c), so the command only
 * prints it. */
#include "verbatim/history.h"
#include "verbatim/json.h"
#include "verbatim/trend.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static void commit_time(char *out, size_t n, int64_t t)
{
        time_t tt = (time_t)t;
        struct tm tm;
        gmtime_r(&tt, &tm);
        strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

const char *vb_history_trend_word(const struct vb_history_theme *t)
{
        if (t->share_prior26 <= 0)
                return t->share_recent8 > 0 ? "new" : "-";
        double r = t->share_recent8 / t->share_prior26;
        return r >= 1.25 ? "rising" : r <= 0.8 ? "falling" : "steady";
}

const char *vb_note_event_kind_name(enum vb_note_event_kind kind)
{
        static const char *const names[] = {"added", "edited", "moved", "removed"};
        return names[kind];
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

void vb_history_json(struct vb_buf *b, const struct vb_history *h, const char *const *sel,
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
                    t->notes_now, t->customers_now, t->emerging ? "true" : "false",
                    vb_history_trend_word(t), t->share_recent4, t->share_prior12, t->share_recent8,
                    t->share_prior26, t->customers_recent);
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

void vb_note_history_json(struct vb_buf *b, const struct vb_history *h,
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
                vb_buf_addf(b, ",\"kind\":\"%s\",\"path\":", vb_note_event_kind_name(e->kind));
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
