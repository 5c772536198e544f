/* Fuzz target: the phrase normalizer and the index file.  The input is
 * tokenized and normalized (every word inside the text, in order, never
 * empty); read as an index file (a file that reads writes back the same
 * bytes); and its lines, as quotes of three notes, are built into an index
 * that writes, reads back and writes the same bytes again. */
#include "fuzz.h"
#include "verbatim/phrase.h"

#include <stdlib.h>
#include <string.h>

static void phrase_tokens(const char *s, size_t len)
{
        struct vb_ptokens t = VB_PTOKENS_INIT;
        struct vb_buf norm = VB_BUF_INIT;
        size_t prev_end = 0;
        vb_phrase_tokenize(&t, s, len);
        for (size_t i = 0; i < t.n; i++) {
                const struct vb_ptoken *k = &t.v[i];
                if (k->start < prev_end || k->end <= k->start || k->end > len || k->nlen == 0 ||
                    k->norm + k->nlen > t.norm.len || t.norm.ptr[k->norm + k->nlen] != '\0' ||
                    memchr(t.norm.ptr + k->norm, ' ', k->nlen))
                        abort();
                prev_end = k->end;
                (void)vb_phrase_is_stop_word(t.norm.ptr + k->norm, k->nlen);
        }
        vb_phrase_normalize(&norm, s, len);
        if (strlen(norm.ptr) != norm.len || (t.n == 0) != (norm.len == 0))
                abort();
        vb_ptokens_release(&t);
        vb_buf_release(&norm);
}

/* An index read from `s` writes back to the bytes it was read from. */
static void phrase_read(const char *s, size_t len)
{
        struct vb_phrase_index ix = VB_PHRASE_INDEX_INIT;
        struct vb_diags d = VB_DIAGS_INIT;
        if (vb_phrase_index_read(&ix, s, len, "index", &d) == VB_OK) {
                struct vb_buf w = VB_BUF_INIT;
                vb_phrase_index_write(&w, &ix);
                if (w.len != len || memcmp(w.ptr, s, len))
                        abort();
                vb_buf_release(&w);
        } else if (d.errors == 0) {
                abort(); /* a refusal says why */
        }
        vb_phrase_index_release(&ix);
        vb_diags_release(&d);
        /* used in place: queries read what they touch, or report damage */
        if (vb_phrase_index_open(&ix, s, len, "index", &d) == VB_OK) {
                struct vb_phrase_hits hits = VB_PHRASE_HITS_INIT;
                struct vb_phrase_nexts nx = VB_PHRASE_NEXTS_INIT;
                vb_phrase_search(&hits, &ix, "sure \"the size\"", NULL, &d);
                vb_phrase_complete(&nx, &ix, "wasnt sure", NULL, &d);
                vb_phrase_index_damaged(&ix, "index", &d);
                if (vb_phrase_index_read_phrases(&ix, "index", &d) == VB_OK) {
                        struct vb_phrase_tops tops = VB_PHRASE_TOPS_INIT;
                        vb_phrase_top(&tops, &ix, NULL);
                        free(tops.v);
                }
                vb_phrase_hits_release(&hits);
                vb_phrase_nexts_release(&nx);
        } else if (d.errors == 0) {
                abort();
        }
        vb_phrase_index_release(&ix);
        vb_diags_release(&d);
}

static void phrase_build(const char *s, size_t len)
{
        static const unsigned char oid[20];
        struct vb_pnotes notes = VB_PNOTES_INIT;
        struct vb_phrase_index ix = VB_PHRASE_INDEX_INIT, back = VB_PHRASE_INDEX_INIT;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_buf w1 = VB_BUF_INIT, w2 = VB_BUF_INIT, line = VB_BUF_INIT;
        struct vb_pnote *n[3];
        struct vb_date date = {2026, 11, 3};
        for (int i = 0; i < 3; i++) {
                char id[8] = {'n', 'o', 't', 'e', (char)('0' + i), 0};
                char path[16] = "calls/n0.md";
                path[7] = (char)('0' + i);
                date.day = 1 + i;
                n[i] = vb_pnote_new(id, path, oid, date, i == 2 ? NULL : "buyer");
                vb_pnote_add_theme(n[i], "price");
        }
        size_t at = 0, k = 0;
        while (at < len && k < 200) {
                const char *nl = memchr(s + at, '\n', len - at);
                size_t e = nl ? (size_t)(nl - s) : len;
                vb_buf_reset(&line);
                vb_buf_add(&line, s + at, e - at); /* NUL-terminated copy: quotes are C strings */
                struct vb_pquote *q = vb_pnote_add_quote(n[k % 3], line.ptr, (unsigned)(k + 1));
                if (k % 2)
                        vb_pquote_add_theme(q, "fit");
                at = e + 1;
                k++;
        }
        for (int i = 0; i < 3; i++)
                vb_pnotes_add(&notes, n[i]);
        if (vb_phrase_index_build(&ix, &notes) != VB_OK)
                abort();
        vb_phrase_index_write(&w1, &ix);
        if (vb_phrase_index_read(&back, w1.ptr, w1.len, "index", &d) != VB_OK)
                abort();
        vb_phrase_index_write(&w2, &back);
        if (w1.len != w2.len || memcmp(w1.ptr, w2.ptr, w1.len))
                abort();
        struct vb_phrase_tops tops = VB_PHRASE_TOPS_INIT;
        struct vb_phrase_filter f = {"buyer", "fit", {0, 0, 0}, {0, 0, 0}, NULL, NULL, NULL};
        vb_phrase_top(&tops, &ix, &f);
        free(tops.v);
        struct vb_phrase_hits hits = VB_PHRASE_HITS_INIT;
        if (len) {
                vb_buf_reset(&line);
                vb_buf_add(&line, s, len < 64 ? len : 64);
                vb_phrase_search(&hits, &ix, line.ptr, NULL, &d);
                for (size_t i = 0; i < hits.n; i++)
                        if (hits.v[i].start > hits.v[i].end ||
                            hits.v[i].end > strlen(hits.v[i].quote->text))
                                abort();
                vb_phrase_hits_release(&hits);
                struct vb_phrase_nexts nx = VB_PHRASE_NEXTS_INIT;
                vb_phrase_complete(&nx, &ix, line.ptr, NULL, &d);
                vb_phrase_nexts_release(&nx);
                struct vb_phrase_starts st = VB_PHRASE_STARTS_INIT;
                vb_phrase_starts(&st, &ix, NULL, 5);
                vb_phrase_starts_release(&st);
        }
        vb_phrase_index_release(&ix);
        vb_phrase_index_release(&back);
        vb_pnotes_release(&notes);
        vb_diags_release(&d);
        vb_buf_release(&w1);
        vb_buf_release(&w2);
        vb_buf_release(&line);
}

int vb_fuzz_phrase(const uint8_t *data, size_t size)
{
        const char *s = (const char *)data;
        phrase_tokens(s, size);
        phrase_read(s, size);
        phrase_build(s, size);
        return 0;
}

VB_FUZZ_ENTRY(vb_fuzz_phrase)
