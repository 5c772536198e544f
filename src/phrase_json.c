/* The JSON of verbatim phrases (the top phrases, the quotes of a query, the
 * continuations of --complete): built here like the aggregates' JSON
 * (agg_export.c), so the command only prints it. */
#include "verbatim/json.h"
#include "verbatim/phrase.h"

#include <stdlib.h>
#include <string.h>

/* A date as a JSON string ("" when unset). */
static void add_date(struct vb_buf *out, struct vb_date d)
{
        char s[16];
        vb_buf_addc(out, '"');
        if (vb_date_is_set(d)) {
                vb_date_format(d, s);
                vb_buf_adds(out, s);
        }
        vb_buf_addc(out, '"');
}

/* {"key":notes,...} */
static void add_counts(struct vb_buf *out, const struct vb_phrase_counts *c)
{
        vb_buf_addc(out, '{');
        for (size_t i = 0; i < c->n; i++) {
                if (i)
                        vb_buf_addc(out, ',');
                vb_buf_add_json(out, c->v[i].key, strlen(c->v[i].key));
                vb_buf_addf(out, ":%zu", c->v[i].nnotes);
        }
        vb_buf_addc(out, '}');
}

void vb_phrase_tops_json(struct vb_buf *out, const struct vb_phrase_index *ix,
                         const struct vb_phrase_tops *tops, size_t n,
                         const struct vb_phrase_filter *f)
{
        vb_buf_addc(out, '[');
        for (size_t i = 0; i < n; i++) {
                const struct vb_phrase_top *t = &tops->v[i];
                struct vb_phrase_counts cs = {0, 0, 0}, ct = {0, 0, 0};
                vb_phrase_counts(&cs, ix, t->phrase, f, VB_PHRASE_BY_SEGMENT);
                vb_phrase_counts(&ct, ix, t->phrase, f, VB_PHRASE_BY_THEME);
                vb_buf_adds(out, i ? ",\n {\"phrase\":" : "\n {\"phrase\":");
                vb_buf_add_json(out, t->phrase->text, strlen(t->phrase->text));
                vb_buf_adds(out, ",\"text\":");
                vb_buf_add_json(out, t->phrase->surface, strlen(t->phrase->surface));
                vb_buf_addf(out, ",\"notes\":%zu,\"quotes\":%zu,\"first\":", t->nnotes, t->nocc);
                add_date(out, t->first);
                vb_buf_adds(out, ",\"last\":");
                add_date(out, t->last);
                vb_buf_adds(out, ",\"segments\":");
                add_counts(out, &cs);
                vb_buf_adds(out, ",\"tags\":");
                add_counts(out, &ct);
                vb_buf_addc(out, '}');
                free(cs.v);
                free(ct.v);
        }
        vb_buf_adds(out, n ? "\n]\n" : "]\n");
}

void vb_phrase_hits_json(struct vb_buf *out, const struct vb_phrase_hits *hits, size_t from,
                         size_t to, size_t n)
{
        if (!from)
                vb_buf_addc(out, '[');
        for (size_t i = from; i < to; i++) {
                const struct vb_phrase_hit *h = &hits->v[i];
                const char *text = h->quote->text;
                vb_buf_adds(out, i ? ",\n {\"path\":" : "\n {\"path\":");
                vb_buf_add_json(out, h->note->path, strlen(h->note->path));
                vb_buf_addf(out, ",\"line\":%u,\"note\":", h->quote->line);
                vb_buf_add_json(out, h->note->id, strlen(h->note->id));
                vb_buf_adds(out, ",\"date\":");
                add_date(out, h->note->date);
                vb_buf_adds(out, ",\"segment\":");
                if (h->note->segment)
                        vb_buf_add_json(out, h->note->segment, strlen(h->note->segment));
                else
                        vb_buf_adds(out, "null");
                vb_buf_adds(out, ",\"quote\":");
                vb_buf_add_json(out, text, strlen(text));
                vb_buf_adds(out, ",\"match\":");
                vb_buf_add_json(out, text + h->start, h->end - h->start);
                vb_buf_adds(out, ",\"matches\":[");
                for (size_t k = 0; k < h->nspans; k++) {
                        const struct vb_phrase_span *sp = &hits->spans[h->span + k];
                        if (k)
                                vb_buf_addc(out, ',');
                        vb_buf_add_json(out, text + sp->start, sp->end - sp->start);
                }
                vb_buf_adds(out, "]}");
        }
        if (to == n)
                vb_buf_adds(out, n ? "\n]\n" : "]\n");
}

void vb_phrase_nexts_json(struct vb_buf *out, const struct vb_phrase_index *ix,
                          const struct vb_phrase_nexts *nx, size_t n)
{
        vb_buf_addc(out, '[');
        for (size_t i = 0; i < n; i++) {
                const struct vb_phrase_next *x = &nx->v[i];
                const struct vb_pnote *note = vb_phrase_index_note(ix, x->example.note);
                const struct vb_pquote *q;
                if (!note || x->example.quote >= note->nquotes)
                        continue; /* damaged: vb_phrase_index_damaged says so */
                q = &note->quotes[x->example.quote];
                vb_buf_adds(out, i ? ",\n {\"continuation\":" : "\n {\"continuation\":");
                vb_buf_add_json(out, x->text, strlen(x->text));
                vb_buf_adds(out, ",\"text\":");
                vb_buf_add_json(out, x->surface, strlen(x->surface));
                vb_buf_addf(out, ",\"notes\":%zu,\"quotes\":%zu,\"example\":{\"path\":", x->nnotes,
                            x->nocc);
                vb_buf_add_json(out, note->path, strlen(note->path));
                vb_buf_addf(out, ",\"line\":%u,\"note\":", q->line);
                vb_buf_add_json(out, note->id, strlen(note->id));
                vb_buf_adds(out, ",\"quote\":");
                vb_buf_add_json(out, q->text, strlen(q->text));
                vb_buf_adds(out, "}}");
        }
        vb_buf_adds(out, n ? "\n]\n" : "]\n");
}
