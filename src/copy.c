/* Customers' words as copy: the copy bank (see include/verbatim/copy.h). */
#include "verbatim/copy.h"
#include "verbatim/json.h"
#include "verbatim/pii.h"
#include "verbatim/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The customer of each note id, sorted by id (vb_kb_find is linear). */
struct customer_of {
        const char *id, *customer;
};

static int customer_of_cmp(const void *pa, const void *pb)
{
        return strcmp(((const struct customer_of *)pa)->id, ((const struct customer_of *)pb)->id);
}

/* One occurrence of a phrase in a theme and role. */
struct said {
        const char *theme, *customer, *note;
        enum vb_copy_role role;
        struct vb_date date;
};

static int said_cmp(const void *pa, const void *pb)
{
        const struct said *a = pa, *b = pb;
        int c = strcmp(a->theme, b->theme);
        if (c)
                return c;
        if (a->role != b->role)
                return a->role < b->role ? -1 : 1;
        if ((c = vb_strcmp_null(a->customer, b->customer)))
                return c;
        return strcmp(a->note, b->note);
}

static int row_cmp(const void *pa, const void *pb)
{
        const struct vb_copy_row *a = pa, *b = pb;
        int c = strcmp(a->theme, b->theme);
        if (c)
                return c;
        if (a->role != b->role)
                return a->role < b->role ? -1 : 1;
        if (a->customers != b->customers)
                return a->customers > b->customers ? -1 : 1;
        if (a->notes != b->notes)
                return a->notes > b->notes ? -1 : 1;
        return strcmp(a->text, b->text);
}

static size_t code_points(const char *s)
{
        size_t n = 0, len = strlen(s), at = 0;
        while (at < len) {
                uint32_t cp;
                at += vb_utf8_decode(s + at, len - at, &cp);
                n++;
        }
        return n;
}

static int role_of(const char *segment, enum vb_copy_role *out)
{
        if (!segment)
                return 0;
        if (!strcmp(segment, "buyer")) {
                *out = VB_COPY_BENEFIT;
                return 1;
        }
        if (!strcmp(segment, "abandoner") || !strcmp(segment, "returner")) {
                *out = VB_COPY_OBJECTION;
                return 1;
        }
        return 0;
}

/* The rows of one phrase: its occurrences grouped by theme and role. */
static void phrase_rows(struct vb_copy_bank *b, size_t *cap, const struct customer_of *cust,
                        size_t ncust, const struct vb_phrase_index *ix, const struct vb_phrase *p,
                        const char *theme, struct vb_date since, struct said **buf, size_t *bufcap)
{
        size_t n = 0;
        const char *text = NULL;
        for (size_t k = 0; k < p->nocc; k++) {
                const struct vb_pnote *pn = ix->notes.v[p->occ[k].note];
                const struct vb_pquote *q = &pn->quotes[p->occ[k].quote];
                struct customer_of key = {pn->id, NULL};
                const struct customer_of *c =
                    ncust ? bsearch(&key, cust, ncust, sizeof(*cust), customer_of_cmp) : NULL;
                enum vb_copy_role role;
                if (!role_of(pn->segment, &role) || !c)
                        continue;
                if (vb_date_is_set(since) &&
                    (!vb_date_is_set(pn->date) || vb_date_cmp(pn->date, since) < 0))
                        continue;
                for (size_t t = 0; t < q->nthemes; t++) {
                        if (theme && strcmp(theme, q->themes[t]))
                                continue;
                        *buf = vb_grow_array(*buf, bufcap, n + 1, sizeof(**buf));
                        (*buf)[n++] =
                            (struct said){q->themes[t], c->customer, pn->id, role, pn->date};
                }
        }
        if (!n)
                return;
        qsort(*buf, n, sizeof(**buf), said_cmp);
        for (size_t i = 0, j; i < n; i = j) {
                struct vb_copy_row r;
                memset(&r, 0, sizeof(r));
                r.theme = (*buf)[i].theme;
                r.role = (*buf)[i].role;
                for (j = i; j < n && !strcmp((*buf)[j].theme, r.theme) && (*buf)[j].role == r.role;
                     j++) {
                        const struct said *s = &(*buf)[j], *prev = j > i ? &(*buf)[j - 1] : NULL;
                        if (!prev || strcmp(prev->note, s->note) ||
                            vb_strcmp_null(prev->customer, s->customer))
                                r.notes++;
                        if (s->customer && (!prev || vb_strcmp_null(prev->customer, s->customer)))
                                r.customers++;
                        vb_date_widen(&r.first, &r.last, s->date);
                }
                if (r.customers < VB_COPY_MIN_CUSTOMERS)
                        continue;
                /* the newest notes that say it (occurrences are in note order) */
                for (size_t k = j; k-- > i && r.nexamples < 3;) {
                        int seen = 0;
                        for (size_t e = 0; e < r.nexamples; e++)
                                seen |= !strcmp(r.examples[e], (*buf)[k].note);
                        if (!seen)
                                r.examples[r.nexamples++] = (*buf)[k].note;
                }
                if (!text) {
                        /* as customers said it most often (phrase.h) */
                        const char *surface = p->surface ? p->surface : p->text;
                        struct vb_buf red = VB_BUF_INIT;
                        vb_pii_redact(&red, surface, strlen(surface));
                        text = vb_arena_strdup(&b->arena, red.ptr ? red.ptr : "");
                        vb_buf_release(&red);
                }
                r.text = text;
                r.key = p->text;
                r.chars = code_points(text);
                b->v = vb_grow_array(b->v, cap, b->n + 1, sizeof(*b->v));
                b->v[b->n++] = r;
        }
}

void vb_copy_bank_build(struct vb_copy_bank *out, const struct vb_agg *a,
                        const struct vb_phrase_index *ix, const char *theme, struct vb_date since)
{
        struct said *buf = NULL;
        size_t cap = 0, bufcap = 0, ncust = a->kb->nnotes;
        struct customer_of *cust = vb_calloc(ncust + 1, sizeof(*cust));
        memset(out, 0, sizeof(*out));
        for (size_t i = 0; i < ncust; i++)
                cust[i] =
                    (struct customer_of){a->kb->notes[i]->id, a->kb->notes[i]->customer.value};
        if (ncust)
                qsort(cust, ncust, sizeof(*cust), customer_of_cmp);
        for (size_t i = 0; ix && i < ix->nphrases; i++)
                phrase_rows(out, &cap, cust, ncust, ix, &ix->phrases[i], theme, since, &buf,
                            &bufcap);
        free(buf);
        free(cust);
        if (out->n)
                qsort(out->v, out->n, sizeof(*out->v), row_cmp);
}

void vb_copy_bank_release(struct vb_copy_bank *b)
{
        free(b->v);
        vb_arena_release(&b->arena);
        memset(b, 0, sizeof(*b));
}

const char *vb_copy_length_name(const struct vb_copy_row *r)
{
        return r->chars <= VB_COPY_HEADLINE      ? "headline"
               : r->chars <= VB_COPY_DESCRIPTION ? "description"
                                                 : "long";
}

const char *vb_copy_role_name(enum vb_copy_role r)
{
        return r == VB_COPY_BENEFIT ? "benefit" : "objection";
}

double vb_copy_lift(const struct vb_copy_test *t, int *ok)
{
        *ok = t->has_control && t->has_result && t->control != 0;
        return *ok ? (t->result - t->control) / t->control : 0.0;
}

/* Whether row i is among the first `limit` of its theme and role. */
static int within(const struct vb_copy_bank *b, size_t i, size_t limit, size_t *rank)
{
        if (!i || strcmp(b->v[i - 1].theme, b->v[i].theme) || b->v[i - 1].role != b->v[i].role)
                *rank = 0;
        return !limit || (*rank)++ < limit;
}

void vb_copy_bank_csv(struct vb_buf *out, const struct vb_copy_bank *b, size_t limit)
{
        size_t rank = 0;
        vb_buf_adds(out, "theme,role,text,phrase,length,characters,customers,notes,first_said,"
                         "last_said,notes_saying_it\r\n");
        for (size_t i = 0; i < b->n; i++) {
                const struct vb_copy_row *r = &b->v[i];
                char first[16] = "", last[16] = "", num[32];
                struct vb_buf ids = VB_BUF_INIT;
                if (!within(b, i, limit, &rank))
                        continue;
                if (vb_date_is_set(r->first))
                        vb_date_format(r->first, first);
                if (vb_date_is_set(r->last))
                        vb_date_format(r->last, last);
                vb_buf_add_csv(out, r->theme, 1);
                vb_buf_add_csv(out, vb_copy_role_name(r->role), 0);
                vb_buf_add_csv(out, r->text, 0);
                vb_buf_add_csv(out, r->key, 0);
                vb_buf_add_csv(out, vb_copy_length_name(r), 0);
                snprintf(num, sizeof(num), "%zu", r->chars);
                vb_buf_add_csv(out, num, 0);
                snprintf(num, sizeof(num), "%zu", r->customers);
                vb_buf_add_csv(out, num, 0);
                snprintf(num, sizeof(num), "%zu", r->notes);
                vb_buf_add_csv(out, num, 0);
                vb_buf_add_csv(out, first, 0);
                vb_buf_add_csv(out, last, 0);
                for (size_t e = 0; e < r->nexamples; e++)
                        vb_buf_addf(&ids, "%s%s", e ? " " : "", r->examples[e]);
                vb_buf_add_csv(out, ids.ptr ? ids.ptr : "", 0);
                vb_buf_adds(out, "\r\n");
                vb_buf_release(&ids);
        }
}

void vb_copy_bank_json(struct vb_buf *out, const struct vb_copy_bank *b, size_t limit)
{
        size_t rank = 0, shown = 0;
        vb_buf_adds(out, "[");
        for (size_t i = 0; i < b->n; i++) {
                const struct vb_copy_row *r = &b->v[i];
                if (!within(b, i, limit, &rank))
                        continue;
                vb_buf_adds(out, shown++ ? ",\n {\"theme\":" : "\n {\"theme\":");
                vb_json_str(out, r->theme);
                vb_buf_addf(out, ",\"role\":\"%s\",\"text\":", vb_copy_role_name(r->role));
                vb_json_str(out, r->text);
                vb_buf_adds(out, ",\"phrase\":");
                vb_json_redacted(out, r->key);
                vb_buf_addf(out,
                            ",\"length\":\"%s\",\"characters\":%zu,\"customers\":%zu,\"notes\":%zu,"
                            "\"first_said\":",
                            vb_copy_length_name(r), r->chars, r->customers, r->notes);
                vb_json_date(out, r->first);
                vb_buf_adds(out, ",\"last_said\":");
                vb_json_date(out, r->last);
                vb_buf_adds(out, ",\"notes_saying_it\":[");
                for (size_t e = 0; e < r->nexamples; e++) {
                        if (e)
                                vb_buf_addc(out, ',');
                        vb_json_str(out, r->examples[e]);
                }
                vb_buf_adds(out, "]}");
        }
        vb_buf_adds(out, shown ? "\n]\n" : "]\n");
}
