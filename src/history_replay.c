/* History: replay the tree changes with theme deltas, the weekly series and
 * trends of the result (see history.h; the shared structures in
 * history_int.h). */
#include "git.h"
#include "history_int.h"
#include "verbatim/note.h"

#include <stdlib.h>
#include <string.h>

/* ---- small helpers ---- */

static int64_t floor_div(int64_t a, int64_t b)
{
        return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static int64_t week_of_time(int64_t t)
{
        return vb_week_index(vb_date_from_days(floor_div(t, 86400)));
}

static struct vb_vocab *vocab_from_blob(git_repository *repo, const unsigned char oid[20])
{
        git_blob *blob = NULL;
        struct vb_vocab *v = NULL;
        struct vb_diags ignored = VB_DIAGS_INIT;
        git_oid id;
        git_oid_fromraw(&id, oid);
        if (git_blob_lookup(&blob, repo, &id) == 0)
                vb_vocab_load(&v, "verbatim.yml", git_blob_rawcontent(blob),
                              (size_t)git_blob_rawsize(blob), &ignored);
        git_blob_free(blob);
        vb_diags_release(&ignored);
        return v;
}

/* ---- replay: counts by deltas ---- */

struct theme_acc {
        size_t first_commit;
        int32_t first_call_days;
        uint32_t first_call_path; /* string id */
        struct vb_history_change *changes;
        size_t nchanges, capchanges;
        struct vb_history_change pending;
        int touched;
        struct vb_history_rename *renames;
        size_t nrenames, caprenames;
};

struct snapshot {
        int64_t week;
        size_t seq;
        unsigned *counts; /* nthemes at the time */
        size_t ncounts;
        unsigned notes;
};

/* The theme of a tag (string id), resolved once with the newest vocabulary. */
static int32_t tag_theme(struct replay *r, uint32_t tag)
{
        struct vb_history_data *h = r->h;
        if (h->tag_theme[tag] != -2)
                return h->tag_theme[tag];
        int alias = 0;
        const char *t = vb_vocab_theme(r->newest, r->arena, h->str.v[tag], &alias);
        int32_t id = -1;
        if (t) {
                size_t before = r->theme_tab.n ? r->theme_tab.n : 1;
                id = (int32_t)vb_strtab_intern(&r->theme_tab, t, strlen(t)) - 1;
                if ((size_t)id + 1 >= before) {
                        r->acc = vb_grow_array(r->acc, &r->capacc, r->nacc + 1, sizeof(*r->acc));
                        memset(&r->acc[r->nacc], 0, sizeof(*r->acc));
                        r->acc[r->nacc].first_commit = VB_HISTORY_NONE;
                        r->acc[r->nacc].first_call_days = INT32_MAX;
                        r->nacc++;
                        r->cur = vb_grow_array(r->cur, &r->capcur, r->nacc, sizeof(*r->cur));
                        r->cur[r->nacc - 1] = 0;
                }
        }
        h->tag_theme[tag] = id;
        h->tag_alias[tag] = (uint8_t)alias;
        return id;
}

/* The distinct themes of a blob (none unless a conversation) into *set. */
static size_t blob_themes(struct replay *r, uint32_t blob, uint32_t **set, size_t *cap)
{
        size_t n = 0;
        if (!blob)
                return 0;
        const struct vb_hblob *b = &r->h->blobs[blob - 1];
        if (!b->conversation)
                return 0;
        *set = vb_grow_array(*set, cap, b->ntags + 1, sizeof(**set));
        for (uint32_t i = 0; i < b->ntags; i++) {
                int32_t t = tag_theme(r, r->h->tagpool[b->tag_first + i]);
                if (t < 0)
                        continue;
                size_t k = 0;
                while (k < n && (*set)[k] != (uint32_t)t)
                        k++;
                if (k == n)
                        (*set)[n++] = (uint32_t)t;
        }
        return n;
}

static int in_set(const uint32_t *s, size_t n, uint32_t v)
{
        for (size_t i = 0; i < n; i++)
                if (s[i] == v)
                        return 1;
        return 0;
}

static struct vb_history_change *touch(struct replay *r, uint32_t t)
{
        if (!r->acc[t].touched) {
                r->acc[t].touched = 1;
                memset(&r->acc[t].pending, 0, sizeof(r->acc[t].pending));
                r->touched =
                    vb_grow_array(r->touched, &r->captouched, r->ntouched + 1, sizeof(*r->touched));
                r->touched[r->ntouched++] = t;
        }
        return &r->acc[t].pending;
}

static int id_cmp_paths(const char *a, const char *b)
{
        struct vb_buf x = VB_BUF_INIT, y = VB_BUF_INIT;
        vb_note_id_of(&x, a);
        vb_note_id_of(&y, b);
        int c = strcmp(x.ptr, y.ptr);
        vb_buf_release(&x);
        vb_buf_release(&y);
        return c;
}

static void add_rename(struct replay *r, uint32_t theme, const char *from, const char *to,
                       size_t commit, int vocab)
{
        struct theme_acc *a = &r->acc[theme];
        for (size_t i = 0; i < a->nrenames; i++)
                if (!strcmp(a->renames[i].from, from) && !strcmp(a->renames[i].to, to)) {
                        if (vocab)
                                a->renames[i].in_vocab = 1;
                        else
                                a->renames[i].in_notes = 1;
                        return;
                }
        a->renames =
            vb_grow_array(a->renames, &a->caprenames, a->nrenames + 1, sizeof(*a->renames));
        struct vb_history_rename *x = &a->renames[a->nrenames++];
        x->from = vb_arena_strdup(r->arena, from);
        x->to = vb_arena_strdup(r->arena, to);
        x->commit = commit;
        x->in_vocab = vocab;
        x->in_notes = !vocab;
}

/* A key of `old` that is no key of `new` but an alias of one: a rename. */
static void vocab_renames(struct replay *r, const struct vb_vocab *old, const struct vb_vocab *new,
                          size_t commit)
{
        if (!old || !new || !old->has_tags || !new->has_tags)
                return;
        for (size_t i = 0; i < old->ntags; i++) {
                int alias = 0;
                const struct vb_tag *t = vb_vocab_tag(new, old->tags[i].key, &alias);
                if (!t || !alias)
                        continue;
                int is_alias_now = 0;
                const char *theme = vb_vocab_theme(r->newest, r->arena, t->key, &is_alias_now);
                if (!theme)
                        continue;
                uint32_t tag = vb_strtab_intern(&r->h->str, t->key, strlen(t->key));
                r->h->tag_theme = vb_realloc(r->h->tag_theme, (r->h->str.n + 1) * sizeof(int32_t));
                r->h->tag_alias = vb_realloc(r->h->tag_alias, r->h->str.n + 1);
                r->h->tag_theme[tag] = -2;
                int32_t id = tag_theme(r, tag);
                if (id >= 0)
                        add_rename(r, (uint32_t)id, old->tags[i].key, t->key, commit, 1);
        }
}

/* A note whose tag went from an old key (an alias now, not before) to the key. */
static void note_renames(struct replay *r, const struct vb_hblob *o, const struct vb_hblob *n,
                         const struct vb_vocab *before, size_t commit)
{
        struct vb_history_data *h = r->h;
        for (uint32_t i = 0; i < o->ntags; i++) {
                uint32_t x = h->tagpool[o->tag_first + i];
                int gone = 1;
                for (uint32_t k = 0; gone && k < n->ntags; k++)
                        gone = h->tagpool[n->tag_first + k] != x;
                int32_t tx = gone ? tag_theme(r, x) : -1;
                if (tx < 0 || !h->tag_alias[x])
                        continue;
                if (before) {
                        int was_alias = 0;
                        if (vb_vocab_tag(before, h->str.v[x], &was_alias) && was_alias)
                                continue;
                }
                for (uint32_t k = 0; k < n->ntags; k++) {
                        uint32_t y = h->tagpool[n->tag_first + k];
                        if (tag_theme(r, y) == tx && !h->tag_alias[y] &&
                            !in_set(h->tagpool + o->tag_first, o->ntags, y))
                                add_rename(r, (uint32_t)tx, h->str.v[x], h->str.v[y], commit, 0);
                }
        }
}

static void apply_change(struct replay *r, const struct vb_hchange *c, size_t commit,
                         const struct vb_vocab *before)
{
        struct vb_history_data *h = r->h;
        size_t no = blob_themes(r, c->old_blob, &r->set_a, &r->cap_a);
        size_t nn = blob_themes(r, c->new_blob, &r->set_b, &r->cap_b);
        if (c->old_path) {
                r->live[c->old_path] = 0;
                r->live_notes--;
        }
        if (c->new_path) {
                r->live[c->new_path] = c->new_blob;
                r->live_notes++;
        }
        for (size_t i = 0; i < no; i++) {
                uint32_t t = r->set_a[i];
                if (c->new_blob && in_set(r->set_b, nn, t))
                        continue;
                r->cur[t]--;
                if (c->new_blob)
                        touch(r, t)->untagged++;
                else
                        touch(r, t)->removed++;
        }
        for (size_t i = 0; i < nn; i++) {
                uint32_t t = r->set_b[i];
                struct theme_acc *a = &r->acc[t];
                const struct vb_hblob *b = &h->blobs[c->new_blob - 1];
                if (b->days != INT32_MIN &&
                    (b->days < a->first_call_days ||
                     (b->days == a->first_call_days &&
                      id_cmp_paths(h->str.v[c->new_path], h->str.v[a->first_call_path]) < 0))) {
                        a->first_call_days = b->days;
                        a->first_call_path = c->new_path;
                }
                if (c->old_blob && in_set(r->set_a, no, t))
                        continue;
                r->cur[t]++;
                if (a->first_commit == VB_HISTORY_NONE)
                        a->first_commit = commit;
                if (c->old_blob)
                        touch(r, t)->tagged++;
                else
                        touch(r, t)->added++;
        }
        if (c->old_blob && c->new_blob && c->old_blob != c->new_blob)
                note_renames(r, &h->blobs[c->old_blob - 1], &h->blobs[c->new_blob - 1], before,
                             commit);
}

static void flush_commit(struct replay *r, size_t commit)
{
        for (size_t i = 0; i < r->ntouched; i++) {
                struct theme_acc *a = &r->acc[r->touched[i]];
                a->touched = 0;
                if (!a->pending.added && !a->pending.removed && !a->pending.tagged &&
                    !a->pending.untagged)
                        continue;
                a->pending.commit = commit;
                a->changes =
                    vb_grow_array(a->changes, &a->capchanges, a->nchanges + 1, sizeof(*a->changes));
                a->changes[a->nchanges++] = a->pending;
        }
        r->ntouched = 0;
}

static int snap_cmp(const void *a, const void *b)
{
        const struct snapshot *x = a, *y = b;
        if (x->week != y->week)
                return x->week < y->week ? -1 : 1;
        return x->seq < y->seq ? -1 : x->seq > y->seq;
}

struct theme_sort {
        const char *key;
        size_t index;
};

static int theme_sort_cmp(const void *a, const void *b)
{
        return strcmp(((const struct theme_sort *)a)->key, ((const struct theme_sort *)b)->key);
}

struct pair {
        uint32_t theme, customer;
        int64_t week;
};

/* Distinct customers counted with a mark per customer (string id): a new
 * stamp per count, no sorting. */
struct customer_marks {
        uint32_t *mark;
        uint32_t stamp;
};

static size_t distinct_customers(const struct pair *p, size_t n, uint32_t theme, int64_t from,
                                 int64_t to, struct customer_marks *m)
{
        size_t count = 0;
        uint32_t stamp = ++m->stamp;
        for (size_t i = 0; i < n; i++)
                if (p[i].theme == theme && p[i].week >= from && p[i].week <= to && p[i].customer &&
                    m->mark[p[i].customer] != stamp) {
                        m->mark[p[i].customer] = stamp;
                        count++;
                }
        return count;
}

static double share(const unsigned *theme, const unsigned *conv, long from, long to)
{
        unsigned long t = 0, c = 0;
        for (long i = from; i <= to; i++)
                if (i >= 0) {
                        t += theme[i];
                        c += conv[i];
                }
        return c ? (double)t / (double)c : 0.0;
}

void vb_hist_build_result(struct vb_history *res, struct replay *r,
                          const struct vb_history_options *opt, int boundary, git_repository *repo)
{
        struct vb_history_data *h = r->h;
        struct vb_arena *A = &res->arena;
        struct snapshot *snaps = NULL;
        size_t nsnaps = 0, capsnaps = 0;
        struct vb_vocab *before = NULL;

        /* replay every commit */
        r->live = vb_calloc(h->str.n + 1, sizeof(*r->live));
        h->tag_theme = vb_malloc((h->str.n + 1) * sizeof(*h->tag_theme));
        h->tag_alias = vb_calloc(h->str.n + 1, 1);
        for (size_t i = 0; i <= h->str.n; i++)
                h->tag_theme[i] = -2;
        res->commits = vb_arena_alloc(A, (h->ncommits + 1) * sizeof(*res->commits));
        res->ncommits = h->ncommits;
        for (size_t i = 0; i < h->ncommits; i++) {
                const struct vb_hcommit *c = &h->commits[i];
                struct vb_history_commit *o = &res->commits[i];
                git_oid id;
                git_oid_fromraw(&id, c->oid);
                git_oid_tostr(o->id, sizeof(o->id), &id);
                o->time = c->time;
                o->offset = c->offset;
                o->week = week_of_time(c->time);
                o->subject = c->subject ? h->str.v[c->subject] : "";
                o->author = c->author ? h->str.v[c->author] : "";
        }
        res->shown = h->ncommits ? h->ncommits - 1 : 0;
        if (boundary && h->ncommits)
                res->shallow_boundary = res->commits[0].id;

        for (size_t i = 0; i < h->ncommits; i++) {
                const struct vb_hcommit *c = &h->commits[i];
                struct vb_vocab *now = NULL;
                if (c->vocab_changed) {
                        static const unsigned char zero[20];
                        if (memcmp(c->vocab_oid, zero, 20))
                                now = vocab_from_blob(repo, c->vocab_oid);
                }
                for (uint64_t k = 0; k < c->nchanges; k++)
                        apply_change(r, &h->changes[c->change_first + k], i, before);
                if (c->vocab_changed) {
                        vocab_renames(r, before, now, i);
                        vb_vocab_free(before);
                        before = now;
                }
                flush_commit(r, i);
                int64_t w = res->commits[i].week;
                if (i + 1 == h->ncommits || res->commits[i + 1].week != w) {
                        snaps = vb_grow_array(snaps, &capsnaps, nsnaps + 1, sizeof(*snaps));
                        struct snapshot *s = &snaps[nsnaps++];
                        s->week = w;
                        s->seq = i;
                        s->ncounts = r->nacc;
                        s->counts = vb_calloc(r->nacc + 1, sizeof(*s->counts));
                        if (r->nacc)
                                memcpy(s->counts, r->cur, r->nacc * sizeof(*s->counts));
                        s->notes = r->live_notes;
                }
        }
        vb_vocab_free(before);
        if (nsnaps > 1)
                qsort(snaps, nsnaps, sizeof(*snaps), snap_cmp);

        /* the notes at the revision shown */
        res->as_of = vb_date_is_set(opt->as_of) ? opt->as_of
                     : h->ncommits
                         ? vb_date_from_days(floor_div(h->commits[h->ncommits - 1].time, 86400))
                         : vb_date_today();
        int64_t last_week = vb_week_index(res->as_of);
        int32_t as_of_days = (int32_t)vb_date_days(res->as_of);
        int64_t first_week = h->ncommits ? res->commits[0].week : last_week;
        struct pair *pairs = NULL;
        size_t npairs = 0, cappairs = 0;
        uint32_t *set = NULL;
        size_t capset = 0;
        for (size_t p = 1; p < h->str.n; p++) {
                if (!r->live[p])
                        continue;
                const struct vb_hblob *b = &h->blobs[r->live[p] - 1];
                res->notes_now++;
                res->notes_with_errors += b->errors;
                if (!b->conversation)
                        continue;
                res->conversations_now++;
                if (b->days == INT32_MIN || b->days > as_of_days)
                        continue;
                int64_t w = vb_week_index(vb_date_from_days(b->days));
                if (w < first_week && w > last_week - VB_MAX_WEEKS)
                        first_week = w;
        }
        if (vb_date_is_set(opt->since) && vb_week_index(opt->since) > first_week)
                first_week = vb_week_index(opt->since);
        size_t nweeks = last_week >= first_week ? (size_t)(last_week - first_week + 1) : 0;
        res->first_week = first_week;
        res->nweeks = nweeks;
        res->conversations_by_call = vb_arena_alloc(A, (nweeks + 1) * sizeof(unsigned));
        res->notes_by_commit = vb_arena_alloc(A, (nweeks + 1) * sizeof(unsigned));

        /* themes sorted by key */
        res->nthemes = r->nacc;
        res->themes = vb_arena_alloc(A, (r->nacc + 1) * sizeof(*res->themes));
        struct theme_sort *order = vb_calloc(r->nacc + 1, sizeof(*order));
        size_t *slot_of = vb_calloc(r->nacc + 1, sizeof(*slot_of));
        for (size_t t = 0; t < r->nacc; t++) {
                order[t].key = r->theme_tab.v[t + 1];
                order[t].index = t;
        }
        qsort(order, r->nacc, sizeof(*order), theme_sort_cmp);
        h->theme_keys = vb_calloc(r->nacc + 1, sizeof(*h->theme_keys));
        h->nthemes = r->nacc;
        for (size_t s = 0; s < r->nacc; s++) {
                size_t t = order[s].index;
                struct vb_history_theme *x = &res->themes[s];
                struct theme_acc *a = &r->acc[t];
                slot_of[t] = s;
                x->key = vb_arena_strdup(A, order[s].key);
                h->theme_keys[t] = x->key;
                x->label = vb_arena_strdup(A, vb_vocab_theme_label(r->newest, x->key));
                x->first_commit = a->first_commit;
                if (a->first_call_days != INT32_MAX) {
                        struct vb_buf id = VB_BUF_INIT;
                        vb_note_id_of(&id, h->str.v[a->first_call_path]);
                        x->first_call_id = vb_arena_strdup(A, id.ptr);
                        vb_buf_release(&id);
                        x->first_call_date = vb_date_from_days(a->first_call_days);
                }
                x->by_commit = vb_arena_alloc(A, (nweeks + 1) * sizeof(unsigned));
                x->by_call = vb_arena_alloc(A, (nweeks + 1) * sizeof(unsigned));
                x->changes = vb_arena_alloc(A, (a->nchanges + 1) * sizeof(*x->changes));
                if (a->nchanges)
                        memcpy(x->changes, a->changes, a->nchanges * sizeof(*x->changes));
                x->nchanges = a->nchanges;
                x->renames = vb_arena_alloc(A, (a->nrenames + 1) * sizeof(*x->renames));
                if (a->nrenames)
                        memcpy(x->renames, a->renames, a->nrenames * sizeof(*x->renames));
                x->nrenames = a->nrenames;
                x->notes_now = r->cur[t];
        }
        /* by commit: the last snapshot at or before each week */
        size_t sp = 0;
        const struct snapshot *carry = NULL;
        while (sp < nsnaps && snaps[sp].week < first_week)
                carry = &snaps[sp++];
        for (size_t w = 0; w < nweeks; w++) {
                while (sp < nsnaps && snaps[sp].week <= first_week + (int64_t)w)
                        carry = &snaps[sp++];
                if (!carry)
                        continue;
                res->notes_by_commit[w] = carry->notes;
                for (size_t t = 0; t < carry->ncounts; t++)
                        res->themes[slot_of[t]].by_commit[w] = carry->counts[t];
        }
        /* by call date, customers, first calls at the revision shown */
        int64_t *first_seen = vb_calloc(r->nacc + 1, sizeof(*first_seen));
        for (size_t t = 0; t < r->nacc; t++)
                first_seen[t] = INT64_MAX;
        struct pair *now_pairs = NULL;
        size_t nnow = 0, capnow = 0;
        for (size_t p = 1; p < h->str.n; p++) {
                if (!r->live[p])
                        continue;
                const struct vb_hblob *b = &h->blobs[r->live[p] - 1];
                size_t n = blob_themes(r, r->live[p], &set, &capset);
                for (size_t k = 0; k < n; k++) {
                        now_pairs = vb_grow_array(now_pairs, &capnow, nnow + 1, sizeof(*now_pairs));
                        now_pairs[nnow++] = (struct pair){set[k], b->customer, 0};
                }
                if (!b->conversation || b->days == INT32_MIN || b->days > as_of_days)
                        continue;
                int64_t w = vb_week_index(vb_date_from_days(b->days));
                long slot = vb_history_week_slot(res, w);
                if (slot >= 0)
                        res->conversations_by_call[slot]++;
                for (size_t k = 0; k < n; k++) {
                        if (slot >= 0)
                                res->themes[slot_of[set[k]]].by_call[slot]++;
                        if (w < first_seen[set[k]])
                                first_seen[set[k]] = w;
                        pairs = vb_grow_array(pairs, &cappairs, npairs + 1, sizeof(*pairs));
                        pairs[npairs++] = (struct pair){set[k], b->customer, w};
                }
        }
        struct customer_marks marks = {vb_calloc(h->str.n + 1, sizeof(uint32_t)), 0};
        {
                /* the customers of each theme, grouped by theme */
                size_t *at = vb_calloc(r->nacc + 2, sizeof(*at));
                uint32_t *cust = vb_malloc((nnow + 1) * sizeof(*cust));
                for (size_t i = 0; i < nnow; i++)
                        at[now_pairs[i].theme + 1]++;
                for (size_t t = 1; t <= r->nacc; t++)
                        at[t] += at[t - 1];
                for (size_t i = 0; i < nnow; i++)
                        cust[at[now_pairs[i].theme]++] = now_pairs[i].customer;
                for (size_t t = 0, i = 0; t < r->nacc; t++) {
                        uint32_t stamp = ++marks.stamp;
                        for (; i < at[t]; i++)
                                if (cust[i] && marks.mark[cust[i]] != stamp) {
                                        marks.mark[cust[i]] = stamp;
                                        res->themes[slot_of[t]].customers_now++;
                                }
                }
                free(cust);
                free(at);
        }
        /* emerging and trend: shares over whole weeks ending at the as-of week,
         * counted over every week (also before the series' first week) */
        {
                int64_t span_first = last_week - 33;
                size_t span = 34;
                unsigned *conv = vb_calloc(span, sizeof(*conv));
                unsigned *cnt = vb_calloc(span * (r->nacc + 1), sizeof(*cnt));
                for (size_t p = 1; p < h->str.n; p++) {
                        if (!r->live[p])
                                continue;
                        const struct vb_hblob *b = &h->blobs[r->live[p] - 1];
                        if (!b->conversation || b->days == INT32_MIN || b->days > as_of_days)
                                continue;
                        int64_t w = vb_week_index(vb_date_from_days(b->days));
                        if (w < span_first)
                                continue;
                        size_t s = (size_t)(w - span_first);
                        conv[s]++;
                        size_t n = blob_themes(r, r->live[p], &set, &capset);
                        for (size_t k = 0; k < n; k++)
                                cnt[set[k] * span + s]++;
                }
                size_t heard = 0, conv_recent = 0, conv_before = 0;
                for (size_t t = 0; t < r->nacc; t++)
                        heard += first_seen[t] != INT64_MAX;
                for (size_t i = 0; i < span; i++)
                        *(i >= span - VB_TREND_RECENT_WEEKS ? &conv_recent : &conv_before) +=
                            conv[i];
                for (size_t t = 0; t < r->nacc; t++) {
                        struct vb_history_theme *x = &res->themes[slot_of[t]];
                        const unsigned *c = cnt + t * span;
                        struct vb_trend_counts tc = {conv_recent, conv_before, 0, 0,
                                                     0,           0,           0, heard};
                        x->share_recent4 = share(c, conv, 30, 33);
                        x->share_prior12 = share(c, conv, 18, 29);
                        x->share_recent8 = share(c, conv, 26, 33);
                        x->share_prior26 = share(c, conv, 0, 25);
                        for (size_t i = 0; i < span; i++)
                                *(i >= span - VB_TREND_RECENT_WEEKS ? &tc.recent_notes
                                                                    : &tc.before_notes) += c[i];
                        tc.heard_before = first_seen[t] != INT64_MAX &&
                                          first_seen[t] < last_week - (VB_TREND_RECENT_WEEKS - 1);
                        tc.recent_customers = distinct_customers(
                            pairs, npairs, (uint32_t)t, last_week - (VB_TREND_RECENT_WEEKS - 1),
                            last_week, &marks);
                        tc.before_customers =
                            distinct_customers(pairs, npairs, (uint32_t)t, span_first,
                                               last_week - VB_TREND_RECENT_WEEKS, &marks);
                        vb_trend_test(&x->trend, &tc);
                        x->customers_recent = tc.recent_customers;
                        x->emerging = vb_trend_is_emerging(&x->trend);
                        x->fading = x->trend.verdict == VB_TREND_FADING;
                }
                free(conv);
                free(cnt);
        }
        free(marks.mark);
        free(first_seen);
        free(now_pairs);
        free(pairs);
        free(set);
        free(order);
        free(slot_of);
        for (size_t i = 0; i < nsnaps; i++)
                free(snaps[i].counts);
        free(snaps);
}

long vb_history_week_slot(const struct vb_history *h, int64_t week)
{
        if (week < h->first_week || week >= h->first_week + (int64_t)h->nweeks)
                return -1;
        return (long)(week - h->first_week);
}

const struct vb_history_theme *vb_history_theme(const struct vb_history *h, const char *key)
{
        for (size_t i = 0; i < h->nthemes; i++)
                if (!strcmp(h->themes[i].key, key))
                        return &h->themes[i];
        return NULL;
}

void vb_hist_replay_release(struct replay *r)
{
        for (size_t t = 0; t < r->nacc; t++) {
                free(r->acc[t].changes);
                free(r->acc[t].renames);
        }
        free(r->acc);
        free(r->cur);
        free(r->live);
        free(r->set_a);
        free(r->set_b);
        free(r->touched);
        vb_strtab_release(&r->theme_tab);
}
