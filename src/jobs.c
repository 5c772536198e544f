/* Jobs to be done, aggregated (see include/verbatim/jobs.h). */
#include "verbatim/jobs.h"
#include "verbatim/phrase.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* One text of a conversation: a job, a root need. */
struct entry {
        const char *text;
        const struct vb_note *note;
        const struct vb_job *job; /* for jobs, else NULL */
        const char *key;          /* normalized words joined by spaces (the memo's) */
        uint32_t group;
};

/* One thing counted in a group: a wording, a theme, a competitor. */
struct tuple {
        uint32_t group;
        const char *key, *label, *customer;
        const struct vb_note *note;
};

struct tuples {
        struct tuple *v;
        size_t n, cap;
};

static void push(struct tuples *t, uint32_t group, const char *key, const char *label,
                 const struct vb_note *n)
{
        t->v = vb_grow_array(t->v, &t->cap, t->n + 1, sizeof(*t->v));
        t->v[t->n++] = (struct tuple){group, key, label, n->customer.value, n};
}

static int tuple_cmp(const void *pa, const void *pb)
{
        const struct tuple *a = pa, *b = pb;
        int c;
        if (a->group != b->group)
                return a->group < b->group ? -1 : 1;
        if ((c = strcmp(a->key, b->key)))
                return c;
        if ((c = vb_strcmp_null(a->customer, b->customer)))
                return c;
        if (a->note != b->note)
                return strcmp(a->note->path, b->note->path);
        return 0;
}

/* Counts the tuples per group and key: distinct notes and customers, in
 * vb_count_cmp order.  out[g] and nout[g] for each of `ngroups` groups. */
static void count_tuples(struct vb_arena *arena, struct tuples *t, size_t ngroups,
                         struct vb_count **out, size_t *nout, size_t stride)
{
        size_t i = 0;
        if (t->n)
                qsort(t->v, t->n, sizeof(*t->v), tuple_cmp);
        while (i < t->n) {
                size_t g = t->v[i].group, j = i, n = 0;
                while (j < t->n && t->v[j].group == g)
                        j++;
                for (size_t k = i; k < j; k++)
                        n += k == i || strcmp(t->v[k - 1].key, t->v[k].key);
                struct vb_count *c = vb_arena_alloc(arena, (n + 1) * sizeof(*c));
                n = 0;
                for (size_t k = i; k < j; k++) {
                        const struct tuple *x = &t->v[k], *prev = k > i ? &t->v[k - 1] : NULL;
                        int same_key = prev && !strcmp(prev->key, x->key);
                        if (!same_key)
                                c[n++] = (struct vb_count){x->key, x->label, 0, 0};
                        /* one note may name a thing twice: count it once */
                        if (!same_key || prev->note != x->note)
                                c[n - 1].notes++;
                        if (x->customer &&
                            (!same_key || vb_strcmp_null(prev->customer, x->customer)))
                                c[n - 1].customers++;
                }
                qsort(c, n, sizeof(*c), vb_count_cmp);
                *(struct vb_count **)((char *)out + g * stride) = c;
                *(size_t *)((char *)nout + g * stride) = n;
                i = j;
        }
        (void)ngroups;
        t->n = 0;
}

/* The normalized words of texts joined by spaces, each text normalized once:
 * the same words come back in many notes.  Keys live in `arena`. */
struct memo {
        const char **text;
        const char **key;
        size_t cap, n; /* cap: a power of two, at most half full */
        struct vb_ptokens tok;
        struct vb_arena *arena;
};

static uint64_t str_hash(const char *s)
{
        uint64_t h = 1469598103934665603ull;
        for (; *s; s++)
                h = (h ^ (unsigned char)*s) * 1099511628211ull;
        return h;
}

static void memo_grow(struct memo *m)
{
        size_t cap = m->cap ? m->cap * 2 : 64, i;
        const char **t = vb_calloc(cap, sizeof(*t)), **k = vb_calloc(cap, sizeof(*k));
        for (size_t o = 0; o < m->cap; o++) {
                if (!m->text[o])
                        continue;
                for (i = str_hash(m->text[o]) & (cap - 1); t[i]; i = (i + 1) & (cap - 1))
                        ;
                t[i] = m->text[o];
                k[i] = m->key[o];
        }
        free(m->text);
        free(m->key);
        m->text = t;
        m->key = k;
        m->cap = cap;
}

static const char *memo_key(struct memo *m, const char *text)
{
        struct vb_buf key = VB_BUF_INIT;
        size_t i;
        if (2 * (m->n + 1) > m->cap)
                memo_grow(m);
        for (i = str_hash(text) & (m->cap - 1); m->text[i]; i = (i + 1) & (m->cap - 1))
                if (!strcmp(m->text[i], text))
                        return m->key[i];
        vb_phrase_tokenize(&m->tok, text, strlen(text));
        for (size_t w = 0; w < m->tok.n; w++) {
                if (w)
                        vb_buf_addc(&key, ' ');
                vb_buf_add(&key, m->tok.norm.ptr + m->tok.v[w].norm, m->tok.v[w].nlen);
        }
        m->text[i] = text;
        m->key[i] = vb_arena_strdup(m->arena, key.ptr ? key.ptr : "");
        m->n++;
        vb_buf_release(&key);
        return m->key[i];
}

static void memo_release(struct memo *m)
{
        free(m->text);
        free(m->key);
        vb_ptokens_release(&m->tok);
}

struct words {
        char **w; /* distinct content words, sorted */
        size_t n;
};

static int cstr_cmp(const void *pa, const void *pb)
{
        return strcmp(*(char *const *)pa, *(char *const *)pb);
}

static void content_words(struct words *out, const char *key)
{
        const char *s = key;
        size_t n = 0;
        memset(out, 0, sizeof(*out));
        while (*s) {
                const char *e = strchr(s, ' ');
                size_t len = e ? (size_t)(e - s) : strlen(s);
                if (len && !vb_phrase_is_stop_word(s, len)) {
                        out->w = vb_grow_array(out->w, &n, out->n + 1, sizeof(*out->w));
                        out->w[out->n++] = vb_strndup(s, len);
                }
                s += len + (e != NULL);
        }
        if (out->n)
                qsort(out->w, out->n, sizeof(*out->w), cstr_cmp);
        size_t k = 0;
        for (size_t i = 0; i < out->n; i++) {
                if (k && !strcmp(out->w[k - 1], out->w[i]))
                        free(out->w[i]);
                else
                        out->w[k++] = out->w[i];
        }
        out->n = k;
}

/* Two sorted sets say the same thing (vb_phrase_similar). */
static int similar(const struct words *a, const struct words *b)
{
        size_t i = 0, j = 0, common = 0;
        if (!a->n || !b->n)
                return 0;
        while (i < a->n && j < b->n) {
                int c = strcmp(a->w[i], b->w[j]);
                common += c == 0;
                i += c <= 0;
                j += c >= 0;
        }
        return vb_phrase_similar(common, a->n + b->n - common);
}

static uint32_t group_root(uint32_t *parent, uint32_t x)
{
        while (parent[x] != x)
                x = parent[x] = parent[parent[x]];
        return x;
}

static int entry_key_cmp(const void *pa, const void *pb)
{
        const struct entry *a = *(const struct entry *const *)pa;
        const struct entry *b = *(const struct entry *const *)pb;
        int c = strcmp(a->key, b->key);
        return c ? c : strcmp(a->note->path, b->note->path);
}

/* Sets e[].group to groups of texts that say the same thing, numbered from
 * 0; returns the number of groups. */
static size_t group_entries(struct entry *e, size_t n, struct memo *memo)
{
        struct entry **by = vb_calloc(n + 1, sizeof(*by));
        size_t ndistinct = 0, ngroups = 0;
        uint32_t *distinct_of = vb_calloc(n + 1, sizeof(uint32_t));
        for (size_t i = 0; i < n; i++) {
                e[i].key = memo_key(memo, e[i].text);
                by[i] = &e[i];
        }
        if (n)
                qsort(by, n, sizeof(*by), entry_key_cmp);
        /* the distinct keys, and the first entry of each */
        size_t *first = vb_calloc(n + 1, sizeof(size_t));
        for (size_t i = 0; i < n; i++) {
                if (!i || strcmp(by[i - 1]->key, by[i]->key))
                        first[ndistinct++] = i;
                distinct_of[i] = (uint32_t)(ndistinct - 1);
        }
        uint32_t *parent = vb_calloc(ndistinct + 1, sizeof(uint32_t));
        struct words *sets = vb_calloc(ndistinct + 1, sizeof(*sets));
        for (size_t d = 0; d < ndistinct; d++) {
                parent[d] = (uint32_t)d;
                content_words(&sets[d], by[first[d]]->key);
        }
        if (ndistinct <= VB_JOBS_MAX_PAIRWISE)
                for (size_t a = 0; a < ndistinct; a++)
                        for (size_t b = a + 1; b < ndistinct; b++)
                                if (similar(&sets[a], &sets[b])) {
                                        uint32_t ra = group_root(parent, (uint32_t)a);
                                        uint32_t rb = group_root(parent, (uint32_t)b);
                                        if (ra != rb)
                                                parent[rb > ra ? rb : ra] = rb > ra ? ra : rb;
                                }
        /* number the groups in key order of their first text */
        uint32_t *number = vb_calloc(ndistinct + 1, sizeof(uint32_t));
        for (size_t d = 0; d < ndistinct; d++)
                number[d] = UINT32_MAX;
        for (size_t d = 0; d < ndistinct; d++) {
                uint32_t r = group_root(parent, (uint32_t)d);
                if (number[r] == UINT32_MAX)
                        number[r] = (uint32_t)ngroups++;
        }
        for (size_t i = 0; i < n; i++)
                by[i]->group = number[group_root(parent, distinct_of[i])];
        for (size_t d = 0; d < ndistinct; d++) {
                for (size_t k = 0; k < sets[d].n; k++)
                        free(sets[d].w[k]);
                free(sets[d].w);
        }
        free(sets);
        free(number);
        free(parent);
        free(first);
        free(distinct_of);
        free(by);
        return ngroups;
}

static int note_date_cmp(const void *pa, const void *pb)
{
        const struct vb_note *a = *(const struct vb_note *const *)pa;
        const struct vb_note *b = *(const struct vb_note *const *)pb;
        int c = vb_date_cmp(a->date, b->date);
        return c ? c : strcmp(a->id, b->id);
}

static int group_cmp(const void *pa, const void *pb)
{
        const struct vb_text_group *a = pa, *b = pb;
        return vb_rank_cmp(a->customers, a->notes, a->wording, b->customers, b->notes, b->wording);
}

/* The groups of `e` (grouped): counts, wording, themes, and for jobs what
 * came before, what comes without and the forces. */
static struct vb_text_group *make_groups(struct vb_jobs *j, struct entry *e, size_t n,
                                         size_t ngroups, struct memo *memo)
{
        struct vb_text_group *g = vb_arena_alloc(&j->arena, (ngroups + 1) * sizeof(*g));
        struct tuples t = {0};
        size_t stride = sizeof(*g);
        struct vb_count **wordings = vb_calloc(ngroups + 1, sizeof(*wordings));
        size_t *nwordings = vb_calloc(ngroups + 1, sizeof(size_t));
        memset(g, 0, (ngroups + 1) * sizeof(*g));

        /* conversations and customers: one key per group */
        for (size_t i = 0; i < n; i++)
                push(&t, e[i].group, "", "", e[i].note);
        {
                struct vb_count **c = vb_calloc(ngroups + 1, sizeof(*c));
                size_t *nc = vb_calloc(ngroups + 1, sizeof(size_t));
                count_tuples(&j->arena, &t, ngroups, c, nc, sizeof(*c));
                for (size_t k = 0; k < ngroups; k++)
                        if (nc[k]) {
                                g[k].notes = c[k][0].notes;
                                g[k].customers = c[k][0].customers;
                        }
                free(c);
                free(nc);
        }
        for (size_t i = 0; i < n; i++)
                push(&t, e[i].group, e[i].text, e[i].text, e[i].note);
        count_tuples(&j->arena, &t, ngroups, wordings, nwordings, sizeof(*wordings));
        for (size_t k = 0; k < ngroups; k++) {
                g[k].wording = nwordings[k] ? wordings[k][0].key : "";
                g[k].nwordings = nwordings[k];
        }
        for (size_t i = 0; i < n; i++)
                for (size_t k = 0; k < e[i].note->nthemes; k++)
                        push(&t, e[i].group, e[i].note->themes[k], e[i].note->themes[k], e[i].note);
        count_tuples(&j->arena, &t, ngroups, &g[0].themes, &g[0].nthemes, stride);
        if (n && e[0].job) {
                for (int which = 0; which < 2 + VB_NFORCES; which++) {
                        for (size_t i = 0; i < n; i++) {
                                const struct vb_job *jb = e[i].job;
                                const char *s = which == 0   ? jb->before
                                                : which == 1 ? jb->without_it
                                                             : jb->forces[which - 2];
                                if (!s || !*s)
                                        continue;
                                push(&t, e[i].group, memo_key(memo, s), s, e[i].note);
                        }
                        if (which == 0)
                                count_tuples(&j->arena, &t, ngroups, &g[0].before, &g[0].nbefore,
                                             stride);
                        else if (which == 1)
                                count_tuples(&j->arena, &t, ngroups, &g[0].without, &g[0].nwithout,
                                             stride);
                        else
                                count_tuples(&j->arena, &t, ngroups, &g[0].forces[which - 2],
                                             &g[0].nforces[which - 2], stride);
                }
        }
        /* the conversations of each group, by date */
        for (size_t k = 0; k < ngroups; k++)
                g[k].notes_list = vb_arena_alloc(&j->arena, (g[k].notes + 1) * sizeof(void *));
        {
                size_t *filled = vb_calloc(ngroups + 1, sizeof(size_t));
                for (size_t i = 0; i < n; i++) {
                        struct vb_text_group *x = &g[e[i].group];
                        size_t f = filled[e[i].group];
                        /* e is in note order: a note's texts are side by side */
                        if ((f && x->notes_list[f - 1] == e[i].note) || f >= x->notes)
                                continue;
                        x->notes_list[filled[e[i].group]++] = e[i].note;
                }
                for (size_t k = 0; k < ngroups; k++)
                        if (filled[k])
                                qsort(g[k].notes_list, filled[k], sizeof(void *), note_date_cmp);
                free(filled);
        }
        free(t.v);
        free(wordings);
        free(nwordings);
        return g;
}

static int theme_forces_cmp(const void *pa, const void *pb)
{
        return strcmp(((const struct vb_theme_forces *)pa)->theme,
                      ((const struct vb_theme_forces *)pb)->theme);
}

/* The forces whose hashtags name each theme. */
static void theme_forces(struct vb_jobs *j, const struct vb_agg *a, struct memo *memo)
{
        struct tuples t[VB_NFORCES] = {{0}};
        j->themes = vb_arena_alloc(&j->arena, (a->nthemes + 1) * sizeof(*j->themes));
        memset(j->themes, 0, (a->nthemes + 1) * sizeof(*j->themes));
        j->nthemes = a->nthemes;
        for (size_t i = 0; i < a->nthemes; i++)
                j->themes[i].theme = a->themes[i].key;
        qsort(j->themes, j->nthemes, sizeof(*j->themes), theme_forces_cmp);
        for (size_t i = 0; i < a->kb->nnotes; i++) {
                const struct vb_note *n = a->kb->notes[i];
                if (!vb_note_is_conversation(n) || !vb_agg_note_counts(a, n))
                        continue;
                for (size_t k = 0; k < n->ntags; k++) {
                        const struct vb_tag_ref *tg = &n->tags[k];
                        const char *words = NULL;
                        struct vb_theme_forces key, *hit;
                        if (!tg->force || tg->force > VB_NFORCES || !tg->theme)
                                continue;
                        for (size_t b = 0; b < n->njobs && !words; b++)
                                words = n->jobs[b].forces[tg->force - 1];
                        key.theme = tg->theme;
                        hit = bsearch(&key, j->themes, j->nthemes, sizeof(key), theme_forces_cmp);
                        if (!words || !hit)
                                continue;
                        push(&t[tg->force - 1], (uint32_t)(hit - j->themes), memo_key(memo, words),
                             words, n);
                }
        }
        for (int f = 0; f < VB_NFORCES; f++) {
                count_tuples(&j->arena, &t[f], j->nthemes, &j->themes[0].forces[f],
                             &j->themes[0].nforces[f], sizeof(*j->themes));
                free(t[f].v);
        }
}

void vb_jobs_build(struct vb_jobs *out, const struct vb_agg *a)
{
        struct entry *jobs = NULL, *roots = NULL;
        size_t njobs = 0, nroots = 0, cj = 0, cr = 0, ngroups;
        struct memo memo = {NULL, NULL, 0, 0, VB_PTOKENS_INIT, NULL};
        memset(out, 0, sizeof(*out));
        for (size_t i = 0; i < a->kb->nnotes; i++) {
                const struct vb_note *n = a->kb->notes[i];
                int had_job = 0;
                if (!vb_note_is_conversation(n) || !vb_agg_note_counts(a, n))
                        continue;
                for (size_t k = 0; k < n->njobs; k++) {
                        const struct vb_job *jb = &n->jobs[k];
                        if (!jb->job || !*jb->job)
                                continue;
                        jobs = vb_grow_array(jobs, &cj, njobs + 1, sizeof(*jobs));
                        jobs[njobs++] = (struct entry){jb->job, n, jb, NULL, 0};
                        had_job = 1;
                }
                out->job_notes += had_job;
                if (n->nwhys && n->whys[n->nwhys - 1].text && *n->whys[n->nwhys - 1].text) {
                        roots = vb_grow_array(roots, &cr, nroots + 1, sizeof(*roots));
                        roots[nroots++] =
                            (struct entry){n->whys[n->nwhys - 1].text, n, NULL, NULL, 0};
                        out->root_notes++;
                }
        }
        memo.arena = &out->arena;
        ngroups = group_entries(jobs, njobs, &memo);
        out->jobs = make_groups(out, jobs, njobs, ngroups, &memo);
        out->njobs = ngroups;
        qsort(out->jobs, out->njobs, sizeof(*out->jobs), group_cmp);
        ngroups = group_entries(roots, nroots, &memo);
        out->roots = make_groups(out, roots, nroots, ngroups, &memo);
        out->nroots = ngroups;
        qsort(out->roots, out->nroots, sizeof(*out->roots), group_cmp);
        theme_forces(out, a, &memo);
        memo_release(&memo);
        free(jobs);
        free(roots);
}

void vb_jobs_release(struct vb_jobs *j)
{
        vb_arena_release(&j->arena);
        memset(j, 0, sizeof(*j));
}

const struct vb_theme_forces *vb_jobs_theme_forces(const struct vb_jobs *j, const char *theme)
{
        struct vb_theme_forces key;
        key.theme = theme;
        if (!j->nthemes)
                return NULL;
        return bsearch(&key, j->themes, j->nthemes, sizeof(key), theme_forces_cmp);
}

const char *vb_force_name(enum vb_force f)
{
        static const char *const names[] = {"", "Push", "Pull", "Anxiety", "Habit"};
        return f <= VB_FORCE_HABIT ? names[f] : "";
}
