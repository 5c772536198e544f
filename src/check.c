/* The rules of `verbatim check`. */
#include "verbatim/check.h"
#include "verbatim/pii.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void check_add(struct vb_diags *d, const struct vb_note *n, struct vb_pos pos,
                      enum vb_severity sev, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void check_add(struct vb_diags *d, const struct vb_note *n, struct vb_pos pos,
                      enum vb_severity sev, const char *rule, const char *fmt, ...)
{
        struct vb_buf msg = VB_BUF_INIT;
        va_list ap;
        va_start(ap, fmt);
        vb_buf_vaddf(&msg, fmt, ap);
        va_end(ap);
        vb_diags_add(d, n->path, pos.line, pos.col, sev, rule, "%s", msg.ptr);
        vb_buf_release(&msg);
}

/* Where a missing key is best added: the closing --- line. */
static struct vb_pos front_end(const struct vb_note *n)
{
        struct vb_pos p = {n->check->front_end_line ? n->check->front_end_line : 1, 1};
        return p;
}

static void check_required(const struct vb_note *n, const struct vb_vocab *v, struct vb_diags *d)
{
        for (size_t i = 0; i < v->nrequired; i++) {
                const char *key = v->required[i];
                const struct vb_front_key *k = NULL;
                for (size_t j = 0; !k && j < n->check->nfront_keys; j++)
                        if (!strcmp(n->check->front_keys[j].key, key))
                                k = &n->check->front_keys[j];
                if (!k)
                        check_add(d, n, front_end(n), VB_SEV_ERROR, "missing-key",
                                  "required key '%s' is missing; add '%s: ...' to the front matter",
                                  key, key);
                else if (k->empty)
                        check_add(d, n, k->pos, VB_SEV_ERROR, "missing-key",
                                  "required key '%s' is empty; give it a value", key);
        }
}

int vb_check_date_future(struct vb_date date, struct vb_date today)
{
        return vb_date_is_set(date) && vb_date_days(date) > vb_date_days(today) + 1;
}

int vb_check_date_usable(struct vb_date date, struct vb_date today)
{
        return vb_date_is_set(date) && vb_date_days(date) >= 0 &&
               !vb_check_date_future(date, today);
}

static void check_date(const struct vb_note *n, struct vb_date today, struct vb_diags *d)
{
        struct vb_date date;
        if (!n->check->date_field.value || !*n->check->date_field.value)
                return;
        switch (vb_date_parse(&date, n->check->date_field.value)) {
        case VB_DATE_SYNTAX:
                check_add(d, n, n->check->date_field.pos, VB_SEV_ERROR, "bad-date",
                          "date '%s' is not a date; write it as YYYY-MM-DD",
                          n->check->date_field.value);
                return;
        case VB_DATE_INVALID:
                check_add(d, n, n->check->date_field.pos, VB_SEV_ERROR, "bad-date",
                          "date '%s' is not a real calendar date; check the month and day",
                          n->check->date_field.value);
                return;
        default:
                break;
        }
        if (vb_date_days(date) < 0) {
                check_add(
                    d, n, n->check->date_field.pos, VB_SEV_ERROR, "bad-date",
                    "date '%s' is before 1970, not the day of a call; use the day of the call",
                    n->check->date_field.value);
        } else if (vb_check_date_future(date, today)) {
                char t[16];
                vb_date_format(today, t);
                check_add(d, n, n->check->date_field.pos, VB_SEV_ERROR, "future-date",
                          "date '%s' is in the future (today is %s); use the day of the call",
                          n->check->date_field.value, t);
        }
}

static void check_segment(const struct vb_note *n, const struct vb_vocab *v, struct vb_diags *d)
{
        const char *s = n->segment.value;
        if (!s || !*s || !v->has_segments || vb_vocab_segment(v, s))
                return;
        const char *best = vb_vocab_suggest_key(s, v->segments, v->nsegments, sizeof(*v->segments));
        if (best)
                check_add(d, n, n->segment.pos, VB_SEV_ERROR, "unknown-segment",
                          "unknown segment '%s' (did you mean '%s'?)", s, best);
        else
                check_add(d, n, n->segment.pos, VB_SEV_ERROR, "unknown-segment",
                          "unknown segment '%s'; use one of the segments in verbatim.yml", s);
}

static void check_products(const struct vb_note *n, const struct vb_vocab *v, struct vb_diags *d)
{
        if (!v->has_products)
                return;
        for (size_t i = 0; i < n->nproducts; i++) {
                const struct vb_field *f = &n->products[i];
                if (!f->value || !*f->value || vb_vocab_product(v, f->value))
                        continue;
                const char *best =
                    vb_vocab_suggest_key(f->value, v->products, v->nproducts, sizeof(*v->products));
                if (best)
                        check_add(d, n, f->pos, VB_SEV_ERROR, "unknown-product",
                                  "unknown product '%s' (did you mean '%s'?)", f->value, best);
                else
                        check_add(d, n, f->pos, VB_SEV_ERROR, "unknown-product",
                                  "unknown product '%s'; add it to products: in verbatim.yml",
                                  f->value);
        }
}

static void check_tag(const struct vb_note *n, const struct vb_vocab *v, const char *name,
                      struct vb_pos pos, int hashtag, struct vb_diags *d)
{
        int alias = 0;
        const struct vb_tag *t;
        if (!v->has_tags)
                return;
        t = vb_vocab_tag(v, name, &alias);
        if (!t) {
                const char *best = vb_vocab_suggest_tag(v, name);
                if (best)
                        check_add(d, n, pos, VB_SEV_ERROR, "unknown-tag",
                                  "unknown %s '%s%s' (did you mean '%s%s'?)",
                                  hashtag ? "hashtag" : "tag", hashtag ? "#" : "", name,
                                  hashtag ? "#" : "", best);
                else
                        check_add(
                            d, n, pos, VB_SEV_ERROR, "unknown-tag",
                            "unknown %s '%s%s'; add it to tags: in verbatim.yml or use a known tag",
                            hashtag ? "hashtag" : "tag", hashtag ? "#" : "", name);
        } else if (alias) {
                check_add(d, n, pos, VB_SEV_WARNING, "alias",
                          "'%s' is an alias of '%s'; write '%s%s'", name, t->key,
                          hashtag ? "#" : "", t->key);
        }
}

static void check_personal_data(const struct vb_note *n, struct vb_diags *d)
{
        const struct vb_field *fields[] = {&n->customer, &n->check->interviewer};
        const char *names[] = {"customer", "interviewer"};
        for (size_t i = 0; i < 2; i++) {
                const char *s = fields[i]->value;
                size_t start, end;
                enum vb_pii_kind k;
                if (!s)
                        continue;
                k = vb_pii_find(s, strlen(s), 0, &start, &end);
                if (k == VB_PII_EMAIL)
                        check_add(d, n, fields[i]->pos, VB_SEV_ERROR, "personal-data",
                                  "%s '%s' is an email address; use a pseudonymous id like C-10492",
                                  names[i], s);
                else if (k == VB_PII_PHONE)
                        check_add(d, n, fields[i]->pos, VB_SEV_ERROR, "personal-data",
                                  "%s '%s' is a phone number; use a pseudonymous id like C-10492",
                                  names[i], s);
        }
        for (size_t i = 0; i < n->check->npii; i++)
                check_add(
                    d, n, n->check->pii[i].pos, VB_SEV_ERROR, "personal-data",
                    "%s in the note; remove it (customer data must not enter the knowledge base)",
                    n->check->pii[i].kind == VB_PII_EMAIL ? "an email address" : "a phone number");
}

void vb_check_note(const struct vb_note *n, const struct vb_vocab *v, struct vb_date today,
                   struct vb_diags *d)
{
        static const char *const channels[] = {"phone", "video", "in-person", "chat"};
        /* without front matter, or with one that is not a YAML mapping, the
         * parser said why; the rules on the body (hashtags, personal data) still
         * apply */
        if (n->front_ok)
                check_required(n, v, d);
        check_date(n, today, d);
        check_segment(n, v, d);
        check_products(n, v, d);
        for (size_t i = 0; i < n->ntags; i++)
                check_tag(n, v, n->tags[i].name, n->tags[i].pos, n->tags[i].hashtag, d);
        if (n->reason.value && *n->reason.value)
                check_tag(n, v, n->reason.value, n->reason.pos, 0, d);
        if (n->outcome == VB_OUTCOME_OTHER && *n->check->outcome_field.value)
                check_add(d, n, n->check->outcome_field.pos, VB_SEV_ERROR, "bad-outcome",
                          "unknown outcome '%s'; use connected, voicemail, no-answer or declined",
                          n->check->outcome_field.value);
        if (n->verdict == VB_VERDICT_OTHER)
                check_add(d, n, n->check->verdict_field.pos, VB_SEV_ERROR, "bad-verdict",
                          "unknown verdict '%s'; use solved, partly or not-solved",
                          n->check->verdict_field.value);
        if (n->verdict != VB_VERDICT_NONE && !(n->follows.value && *n->follows.value))
                check_add(
                    d, n, n->check->verdict_field.pos, VB_SEV_ERROR, "verdict-not-follow-up",
                    "verdict: is for follow-up calls; add 'follows: <id of the earlier call>' or "
                    "remove the verdict");
        if (n->check->channel.value && *n->check->channel.value) {
                size_t k = 0;
                while (k < 4 && strcmp(channels[k], n->check->channel.value))
                        k++;
                if (k == 4)
                        check_add(d, n, n->check->channel.pos, VB_SEV_WARNING, "bad-channel",
                                  "unknown channel '%s'; use phone, video, in-person or chat",
                                  n->check->channel.value);
        }
        if (n->check->ltv_field.value && *n->check->ltv_field.value && !n->has_ltv)
                check_add(d, n, n->check->ltv_field.pos, VB_SEV_ERROR, "bad-ltv",
                          "ltv '%s' is not a number; write it like 420.50",
                          n->check->ltv_field.value);
        for (size_t i = 0; i < n->nroadmap; i++)
                if (!vb_vocab_roadmap_item(v, n->roadmap[i].value))
                        check_add(
                            d, n, n->roadmap[i].pos, VB_SEV_ERROR, "unknown-roadmap-item",
                            "roadmap item '%s' is not in roadmap.yml; add it there or fix the id",
                            n->roadmap[i].value);
        check_personal_data(n, d);
        /* a prompt left in a note that has quotes or tags is harmless: only
         * a note never filled in is one */
        if (n->unfilled)
                check_add(
                    d, n, n->check->prompt, VB_SEV_ERROR, "unfilled-template",
                    "this note is an unfilled template (no quote, no tag); replace the _Ask:_ "
                    "prompts with what you heard, or delete the note if the call did not happen");
}

static int ref_by_id(const void *a, const void *b)
{
        const struct vb_note_ref *x = *(const struct vb_note_ref *const *)a;
        const struct vb_note_ref *y = *(const struct vb_note_ref *const *)b;
        int c = strcmp(x->id, y->id);
        return c ? c : strcmp(x->path, y->path);
}

static const struct vb_note_ref *find_id(const struct vb_note_ref **sorted, size_t n,
                                         const char *id)
{
        size_t lo = 0, hi = n;
        while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                int c = strcmp(sorted[mid]->id, id);
                if (c < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo < n && !strcmp(sorted[lo]->id, id) ? sorted[lo] : NULL;
}

/* Earlier: an earlier date, or the same date and a smaller id. */
static int earlier(const struct vb_note_ref *a, const struct vb_note_ref *b)
{
        int c = vb_date_cmp(a->date, b->date);
        return c < 0 || (c == 0 && strcmp(a->id, b->id) < 0);
}

void vb_check_kb(const struct vb_kb *kb, struct vb_diags *d)
{
        vb_check_refs(kb->refs, kb->nrefs, d);
}

void vb_check_refs(const struct vb_note_ref *refs, size_t nrefs, struct vb_diags *d)
{
        const struct vb_note_ref **sorted = vb_malloc((nrefs + 1) * sizeof(*sorted));
        struct vb_diags found = VB_DIAGS_INIT;
        for (size_t i = 0; i < nrefs; i++)
                sorted[i] = &refs[i];
        qsort(sorted, nrefs, sizeof(*sorted), ref_by_id);
        for (size_t i = 1; i < nrefs; i++)
                if (!strcmp(sorted[i]->id, sorted[i - 1]->id))
                        vb_diags_add(&found, sorted[i]->path, 0, 0, VB_SEV_ERROR, "duplicate-id",
                                     "note id '%s' is also the id of '%s'; rename one of the files",
                                     sorted[i]->id, sorted[i - 1]->path);
        for (size_t i = 0; i < nrefs; i++) {
                const struct vb_note_ref *r = &refs[i];
                if (!r->follows || !*r->follows)
                        continue;
                const struct vb_note_ref *t = find_id(sorted, nrefs, r->follows);
                unsigned line = r->follows_pos.line, col = r->follows_pos.col;
                if (!t)
                        vb_diags_add(&found, r->path, line, col, VB_SEV_ERROR, "follows-unknown",
                                     "follows: '%s' names no note; use the id (file name without "
                                     ".md) of an earlier call",
                                     r->follows);
                else if (t == r || !earlier(t, r))
                        vb_diags_add(&found, r->path, line, col, VB_SEV_ERROR, "follows-later",
                                     "follows: '%s' is not an earlier call; a follow-up names the "
                                     "call it follows",
                                     r->follows);
                else if (r->customer && t->customer && strcmp(r->customer, t->customer))
                        vb_diags_add(&found, r->path, line, col, VB_SEV_WARNING,
                                     "follows-other-customer",
                                     "follows: '%s' is a call with %s, not %s; check the id",
                                     r->follows, t->customer, r->customer);
                else if (!t->conversation)
                        vb_diags_add(
                            &found, r->path, line, col, VB_SEV_WARNING, "follows-not-connected",
                            "follows: '%s' was not a conversation (outcome not connected); "
                            "name the last connected call",
                            r->follows);
        }
        free(sorted);
        vb_diags_sort(&found);
        vb_diags_move(d, &found);
}
