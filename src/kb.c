/* Loading a knowledge base: the vocabulary, then every note, read and parsed
 * by one worker per core. */
#include "verbatim/kb.h"
#include "verbatim/phrase.h"
#include "verbatim/check.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct load {
        struct vb_source *src;
        const struct vb_vocab *vocab;
        const struct vb_kb_options *opt;
        vb_kb_reuse_fn reuse;
        void *reuse_ctx;
        struct vb_note_options note_opt;
        struct vb_date today; /* for the rules on dates */
        struct vb_entry *entries;
        size_t n;
        atomic_size_t next;
        atomic_size_t bytes;
        atomic_size_t reused, unread;
        struct vb_note_ref *refs; /* one per entry; path NULL when not parsed */
        struct vb_note **kept;    /* instead of refs with opt->no_refs: the kept notes */
        /* one per entry, NULL while it has no diagnostics (most have none:
         * a pointer each, not a whole list) */
        struct vb_diags **diags;
        /* copy.yml's phrases, normalized with a space at each end, and whether
         * a conversation's quote says them (NULL without positioning tests) */
        char **copy_words;
        atomic_int *copy_said;
        atomic_size_t copy_left;
};

/* Marks the positioning tests whose words a quote of `n` says. */
static void copy_said(struct load *l, const struct vb_note *n)
{
        struct vb_buf q = VB_BUF_INIT;
        if (!vb_note_is_conversation(n))
                return;
        for (size_t i = 0; i < n->nquotes && atomic_load(&l->copy_left); i++) {
                vb_buf_reset(&q);
                vb_phrase_padded(&q, n->quotes[i].text);
                for (size_t k = 0; k < l->vocab->ncopy_tests; k++)
                        if (l->copy_words[k] && !atomic_load(&l->copy_said[k]) &&
                            strstr(q.ptr, l->copy_words[k]) &&
                            !atomic_exchange(&l->copy_said[k], 1))
                                atomic_fetch_sub(&l->copy_left, 1);
        }
        vb_buf_release(&q);
}

/* copy.yml's phrases, ready for copy_said: " normalized words ". */
static void copy_begin(struct load *l)
{
        size_t n = l->vocab->ncopy_tests;
        if (!n)
                return;
        l->copy_words = vb_calloc(n, sizeof(*l->copy_words));
        l->copy_said = vb_calloc(n, sizeof(*l->copy_said));
        atomic_init(&l->copy_left, 0);
        for (size_t k = 0; k < n; k++) {
                struct vb_buf w = VB_BUF_INIT;
                const char *p = l->vocab->copy_tests[k].phrase;
                vb_phrase_padded(&w, p);
                atomic_init(&l->copy_said[k], 0);
                if (w.len > 2) {
                        l->copy_words[k] = vb_buf_detach(&w, NULL);
                        atomic_fetch_add(&l->copy_left, 1);
                } else {
                        vb_buf_release(&w);
                }
        }
}

/* A warning for each test whose words no conversation says; then frees. */
static void copy_end(struct load *l, int complete, struct vb_diags *d)
{
        for (size_t k = 0; l->copy_words && k < l->vocab->ncopy_tests; k++) {
                const struct vb_copy_test *t = &l->vocab->copy_tests[k];
                if (complete && l->copy_words[k] && !atomic_load(&l->copy_said[k]))
                        vb_diags_add(d, "copy.yml", t->phrase_pos.line, t->phrase_pos.col,
                                     VB_SEV_WARNING, "copy-not-said",
                                     "no customer said this: no quote of a conversation holds "
                                     "the words of test '%s'; use the customers' own words",
                                     t->id);
                free(l->copy_words[k]);
        }
        free(l->copy_words);
        free((void *)l->copy_said);
        l->copy_words = NULL;
        l->copy_said = NULL;
}

/* A ref's strings: the kept note's own (it lives as long as the kb), else
 * copies in one allocation, freed with the ref's path. */
static void make_ref(struct vb_note_ref *r, const struct vb_note *n, int keep)
{
        const char *s[4] = {n->path, n->id, n->customer.value, n->follows.value};
        size_t len[4], total = 0;
        r->follows_pos = n->follows.pos;
        r->date = n->date;
        r->conversation = vb_note_is_conversation(n);
        if (keep) {
                r->path = s[0];
                r->id = s[1];
                r->customer = s[2];
                r->follows = s[3];
                return;
        }
        for (int i = 0; i < 4; i++) {
                len[i] = s[i] ? strlen(s[i]) + 1 : 0;
                total += len[i];
        }
        char *block = vb_malloc(total), *at = block;
        const char **dst[4] = {&r->path, &r->id, &r->customer, &r->follows};
        for (int i = 0; i < 4; i++) {
                if (!s[i]) {
                        *dst[i] = NULL;
                        continue;
                }
                memcpy(at, s[i], len[i]);
                *dst[i] = at;
                at += len[i];
        }
}

/* The cache hook: before reading (git entries carry their blob id) when
 * `data` is NULL, after reading (folders: hash the bytes) otherwise. */
static int reuse(struct load *l, const struct vb_entry *e, const char *data, size_t len,
                 unsigned char oid[20], int *has_oid)
{
        if (!l->reuse || (data && (e->has_oid || *has_oid)))
                return 0; /* no cache, or the content id was tried before reading */
        if (!data && e->has_oid)
                memcpy(oid, e->oid, 20);
        else if (!data && !(l->opt && l->opt->oid_of && l->opt->oid_of(l->opt->ctx, e->path, oid)))
                return 0;
        else if (data && vb_oid_hash_blob(l->src, oid, data, len) != VB_OK)
                return 0;
        *has_oid = 1;
        if (!l->reuse(l->reuse_ctx, e->path, oid))
                return 0;
        atomic_fetch_add(&l->reused, 1);
        if (!data)
                atomic_fetch_add(&l->unread, 1);
        return 1;
}

/* A loading thread's own: its buffers and the pool of its compacted notes. */
struct worker {
        struct load *l;
        struct vb_arena *pool;
        struct vb_buf buf;
        struct vb_note_html html;
        bool want_html;
};

/* Reads, parses and hands over entry `i`; its diagnostics go to `d`. */
static void load_one(struct worker *w, size_t i, struct vb_diags *d)
{
        struct load *l = w->l;
        struct vb_buf *buf = &w->buf;
        struct vb_note_html *html = w->want_html ? &w->html : NULL;
        struct vb_note *note = NULL;
        unsigned char oid[20];
        int has_oid = 0;
        vb_buf_reset(buf);
        if (vb_path_has_email(l->entries[i].path)) {
                vb_diags_add(d, l->entries[i].path, 1, 1, VB_SEV_ERROR, "personal-data",
                             "the file name holds an email address; rename the note (it is not "
                             "read, so that no page, index or cache holds the name)");
                return;
        }
        if (reuse(l, &l->entries[i], NULL, 0, oid, &has_oid))
                return;
        int rc = vb_source_read(l->src, l->entries[i].path, buf, d);
        if (rc == VB_ERR_NOTFOUND)
                vb_diags_add(d, l->entries[i].path, 0, 0, VB_SEV_ERROR, "not-found",
                             "no such note; check the path");
        if (rc != VB_OK)
                return;
        atomic_fetch_add(&l->bytes, buf->len);
        if (reuse(l, &l->entries[i], buf->ptr, buf->len, oid, &has_oid))
                return;
        struct vb_note_options no = l->note_opt;
        no.html = html;
        if (vb_note_parse(&note, l->entries[i].path, buf->ptr, buf->len, &no, d) != VB_OK)
                return;
        vb_note_resolve(note, l->vocab);
        /* the one definition of a note with errors: check's rules, here for
         * every command; a date with an error sets nothing (it would move
         * the as-of date and stretch every weekly series) */
        vb_check_note(note, l->vocab, l->today, d);
        if (vb_date_is_set(note->date) && !vb_check_date_usable(note->date, l->today))
                memset(&note->date, 0, sizeof(note->date));
        note->errors = (unsigned)d->errors;
        if (l->copy_words && atomic_load(&l->copy_left))
                copy_said(l, note);
        if (l->opt && l->opt->on_text)
                l->opt->on_text(l->opt->ctx, i, note, buf->ptr, buf->len,
                                html && html->done ? html : NULL, d);
        int keep = l->opt && l->opt->on_note ? l->opt->on_note(l->opt->ctx, note, l->vocab, d)
                                             : VB_KB_KEEP;
        if (keep == VB_KB_KEEP_COMPACT)
                /* in the thread's pool: a few big blocks, not one per note
                 * (each small block grows the thread's heap a page at a time,
                 * an mprotect each) */
                note = vb_note_compact_in(note, l->vocab, w->pool);
        if (l->kept) {
                if (keep)
                        l->kept[i] = note;
                else
                        vb_note_free(note);
                return;
        }
        make_ref(&l->refs[i], note, keep);
        l->refs[i].errors = note->errors;
        if (has_oid)
                memcpy(l->refs[i].oid, oid, 20);
        l->refs[i].has_oid = has_oid;
        if (keep)
                l->refs[i].note = note;
        else
                vb_note_free(note);
}

static void *worker(void *arg)
{
        struct worker *w = arg;
        struct load *l = w->l;
        vb_buf_init(&w->buf);
        vb_buf_init(&w->html.buf);
        w->want_html = l->opt && l->opt->html_bodies && l->opt->on_text;
        for (;;) {
                size_t i = atomic_fetch_add(&l->next, 1);
                struct vb_diags d = VB_DIAGS_INIT;
                if (i >= l->n)
                        break;
                load_one(w, i, &d);
                if (l->kept) {
                        /* the note has its own copy: the name goes as the notes come */
                        free(l->entries[i].path);
                        l->entries[i].path = NULL;
                }
                if (d.n) {
                        l->diags[i] = vb_malloc(sizeof(d));
                        *l->diags[i] = d;
                }
        }
        vb_buf_release(&w->buf);
        vb_buf_release(&w->html.buf);
        return NULL;
}

static int cpu_count(void)
{
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        return n < 1 ? 1 : n > 16 ? 16 : (int)n;
}

struct vb_vocab *vb_kb_load_vocab(struct vb_source *src, struct vb_diags *d)
{
        struct vb_buf buf = VB_BUF_INIT;
        struct vb_vocab *v = NULL;
        int rc = vb_source_read(src, "verbatim.yml", &buf, d);
        if (rc == VB_OK)
                vb_vocab_load(&v, "verbatim.yml", buf.ptr, buf.len, d);
        if (!v)
                v = vb_vocab_default();
        vb_buf_reset(&buf);
        if (vb_source_read(src, "roadmap.yml", &buf, d) == VB_OK)
                vb_vocab_load_roadmap(v, "roadmap.yml", buf.ptr, buf.len, d);
        vb_buf_reset(&buf);
        if (vb_source_read(src, "copy.yml", &buf, d) == VB_OK)
                vb_vocab_load_copy(v, "copy.yml", buf.ptr, buf.len, d);
        vb_buf_release(&buf);
        return v;
}

static int ref_path_cmp(const void *key, const void *ref)
{
        return strcmp(key, ((const struct vb_note_ref *)ref)->path);
}

static int ref_cmp(const void *a, const void *b)
{
        return strcmp(((const struct vb_note_ref *)a)->path, ((const struct vb_note_ref *)b)->path);
}

void vb_kb_check_across(struct vb_kb *kb, struct vb_note_ref *extra, size_t nextra,
                        struct vb_diags *d)
{
        size_t own = kb->refs ? kb->nrefs : kb->nnotes, n = own + nextra;
        struct vb_note_ref *refs = vb_calloc(n + 1, sizeof(*refs));
        struct vb_diags found = VB_DIAGS_INIT;
        for (size_t i = 0; i < own; i++) {
                if (kb->refs) { /* copies: kb->refs stays as it is */
                        refs[i] = kb->refs[i];
                        continue;
                }
                /* loaded with no_refs: refs of the kept notes */
                make_ref(&refs[i], kb->notes[i], 1);
                refs[i].note = kb->notes[i];
                refs[i].errors = kb->notes[i]->errors;
        }
        if (nextra)
                memcpy(refs + own, extra, nextra * sizeof(*refs));
        if (nextra)
                qsort(refs, n, sizeof(*refs), ref_cmp); /* for the search by path */
        vb_check_refs(refs, n, &found);
        for (size_t i = 0; found.errors && i < found.n; i++) {
                struct vb_note_ref *r;
                if (found.v[i].severity != VB_SEV_ERROR)
                        continue;
                r = bsearch(found.v[i].path, refs, n, sizeof(*refs), ref_path_cmp);
                if (!r)
                        continue;
                if (!r->errors++)
                        kb->notes_with_errors++;
                if (r->note)
                        r->note->errors++;
        }
        /* the kb's own refs count their errors too */
        for (size_t i = 0; kb->refs && i < n; i++) {
                struct vb_note_ref *own_ref =
                    bsearch(refs[i].path, kb->refs, kb->nrefs, sizeof(*kb->refs), ref_path_cmp);
                if (own_ref)
                        own_ref->errors = refs[i].errors;
        }
        /* and the extra ones (refs is sorted by path when there are any) */
        for (size_t i = 0; i < nextra; i++) {
                const struct vb_note_ref *r =
                    bsearch(extra[i].path, refs, n, sizeof(*refs), ref_path_cmp);
                if (r)
                        extra[i].errors = r->errors;
        }
        free(refs);
        vb_diags_move(d, &found);
}

int vb_kb_load(struct vb_kb **out, struct vb_source *src, const struct vb_kb_options *opt,
               struct vb_diags *d)
{
        return vb_kb_load_reusing(out, src, opt, NULL, NULL, d);
}

int vb_kb_load_reusing(struct vb_kb **out, struct vb_source *src, const struct vb_kb_options *opt,
                       vb_kb_reuse_fn reuse_fn, void *reuse_ctx, struct vb_diags *d)
{
        struct vb_kb *kb = vb_calloc(1, sizeof(*kb));
        struct load l;
        struct vb_diags list_diags = VB_DIAGS_INIT;
        int rc = VB_OK;

        *out = NULL;
        memset(&l, 0, sizeof(l));
        kb->vocab = opt && opt->vocab ? opt->vocab : vb_kb_load_vocab(src, &list_diags);
        if (opt && opt->files) {
                /* the given files, as they are in the source (deduplicated, sorted) */
                l.entries = vb_calloc(opt->nfiles ? opt->nfiles : 1, sizeof(*l.entries));
                for (size_t i = 0; i < opt->nfiles; i++)
                        l.entries[l.n++].path = vb_strdup(opt->files[i]);
                qsort(l.entries, l.n, sizeof(*l.entries), vb_entry_cmp);
                size_t w = 0;
                for (size_t i = 0; i < l.n; i++) {
                        if (w && !strcmp(l.entries[w - 1].path, l.entries[i].path)) {
                                free(l.entries[i].path);
                                continue;
                        }
                        l.entries[w++] = l.entries[i];
                }
                l.n = w;
        } else if (vb_source_list(src, kb->vocab->notes, kb->vocab->nnotes, &l.entries, &l.n,
                                  &list_diags) != VB_OK) {
                rc = VB_ERR_IO;
                goto done;
        }
        if (opt && opt->on_list) {
                rc = opt->on_list(opt->ctx, l.entries, l.n, &list_diags);
                if (rc != VB_OK)
                        goto done;
        }
        l.src = src;
        l.vocab = kb->vocab;
        l.opt = opt;
        l.reuse = reuse_fn;
        l.reuse_ctx = reuse_ctx;
        l.today = opt && vb_date_is_set(opt->today) ? opt->today : vb_date_today();
        l.note_opt.themes_key = kb->vocab->themes_key;
        l.note_opt.keep_front_matter = opt && opt->keep_front_matter;
        l.note_opt.skip_personal_data = opt && opt->skip_personal_data;
        if (opt && opt->no_refs)
                l.kept = vb_calloc(l.n ? l.n : 1, sizeof(*l.kept));
        else
                l.refs = vb_calloc(l.n ? l.n : 1, sizeof(*l.refs));
        l.diags = vb_calloc(l.n ? l.n : 1, sizeof(*l.diags));
        atomic_init(&l.next, 0);
        atomic_init(&l.bytes, 0);
        atomic_init(&l.reused, 0);
        atomic_init(&l.unread, 0);
        copy_begin(&l);

        int threads = opt && opt->threads > 0 ? opt->threads : cpu_count();
        if ((size_t)threads > l.n)
                threads = l.n ? (int)l.n : 1;
        pthread_t *tids = vb_calloc((size_t)threads, sizeof(*tids));
        struct worker *workers = vb_calloc((size_t)threads, sizeof(*workers));
        kb->pools = vb_calloc((size_t)threads, sizeof(*kb->pools));
        kb->npools = (size_t)threads;
        for (int t = 0; t < threads; t++) {
                workers[t].l = &l;
                workers[t].pool = &kb->pools[t];
                kb->pools[t].hint = 16 * 1024; /* growing to 64 KiB blocks */
        }
        int started = 0;
        for (int t = 1; t < threads; t++) {
                if (pthread_create(&tids[t], NULL, worker, &workers[t]) != 0)
                        break;
                started++;
        }
        worker(&workers[0]); /* this thread works too */
        for (int t = 1; t <= started; t++)
                pthread_join(tids[t], NULL);
        free(workers);
        free(tids);

        kb->nfiles = l.n;
        kb->bytes = atomic_load(&l.bytes);
        kb->nreused = atomic_load(&l.reused);
        kb->nunread = atomic_load(&l.unread);
        for (size_t i = 0; i < l.n; i++) {
                if (l.diags[i]) {
                        if (l.diags[i]->errors)
                                kb->notes_with_errors++;
                        vb_diags_move(&list_diags, l.diags[i]);
                        vb_diags_release(l.diags[i]);
                        free(l.diags[i]);
                }
                if (l.kept ? l.kept[i] != NULL : l.refs[i].note != NULL)
                        kb->nnotes++;
        }
        if (l.kept) {
                /* the kept notes move into the kb in place */
                kb->nnotes = 0;
                for (size_t i = 0; i < l.n; i++)
                        if (l.kept[i])
                                l.kept[kb->nnotes++] = l.kept[i];
                kb->notes = vb_realloc(l.kept, (kb->nnotes ? kb->nnotes : 1) * sizeof(*kb->notes));
                l.kept = NULL;
        } else {
                /* the refs move into the kb in place (no second array at the peak) */
                kb->notes = vb_calloc(kb->nnotes ? kb->nnotes : 1, sizeof(*kb->notes));
                kb->nnotes = 0;
                for (size_t i = 0; i < l.n; i++) {
                        if (!l.refs[i].path)
                                continue;
                        if (l.refs[i].note)
                                kb->notes[kb->nnotes++] = l.refs[i].note;
                        l.refs[kb->nrefs++] = l.refs[i];
                }
                kb->refs = vb_realloc(l.refs, (kb->nrefs ? kb->nrefs : 1) * sizeof(*kb->refs));
                l.refs = NULL;
        }
        if (!(opt && opt->files) && !reuse_fn)
                vb_kb_check_across(kb, NULL, 0, &list_diags);
        /* only a load that read every note can tell that nobody said it */
        copy_end(&l, !(opt && opt->files) && !kb->nreused, &list_diags);
done:
        vb_diags_sort(&list_diags);
        vb_diags_move(d, &list_diags);
        vb_entries_free(l.entries, l.n);
        free(l.refs);
        free(l.kept);
        free(l.diags);
        if (rc != VB_OK) {
                vb_kb_free(kb);
                return rc;
        }
        *out = kb;
        return VB_OK;
}

void vb_kb_free(struct vb_kb *kb)
{
        if (!kb)
                return;
        /* a compacted note (no arena of its own) is in one of the pools */
        for (size_t i = 0; i < kb->nrefs; i++) {
                if (!kb->refs[i].note) /* else the strings are the note's */
                        free((char *)kb->refs[i].path);
                else if (kb->refs[i].note->arena)
                        vb_note_free(kb->refs[i].note);
        }
        for (size_t i = 0; !kb->refs && i < kb->nnotes; i++) /* loaded with no_refs */
                if (kb->notes[i]->arena)
                        vb_note_free(kb->notes[i]);
        for (size_t i = 0; i < kb->npools; i++)
                vb_arena_release(&kb->pools[i]);
        free(kb->pools);
        free(kb->refs);
        free(kb->notes);
        vb_vocab_free(kb->vocab); /* last: compacted notes borrow its strings */
        free(kb);
}

const struct vb_note *vb_kb_find(const struct vb_kb *kb, const char *id)
{
        for (size_t i = 0; i < kb->nnotes; i++)
                if (!strcmp(kb->notes[i]->id, id))
                        return kb->notes[i];
        return NULL;
}

const char *vb_kb_notes_overlap(const char *out, const char *root, const struct vb_vocab *v,
                                int replaced)
{
        const char *found = NULL;
        struct vb_buf p = VB_BUF_INIT;
        for (size_t i = 0; v && i < v->nnotes && !found; i++) {
                const char *f = v->notes[i];
                char *notes;
                while (!strncmp(f, "./", 2))
                        f += 2;
                if (replaced && (!*f || !strcmp(f, ".")))
                        continue;
                vb_buf_reset(&p);
                vb_buf_addf(&p, "%s/%s", root, f);
                notes = vb_path_resolve(p.ptr);
                if (notes &&
                    (vb_path_within(out, notes) || (replaced && vb_path_within(notes, out))))
                        found = v->notes[i];
                free(notes);
        }
        vb_buf_release(&p);
        return found;
}
