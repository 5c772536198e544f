/* Checking a set of notes, as `verbatim check` and `verbatim new --edit`
 * do (vb_check_files): the whole knowledge base is loaded with every rule,
 * and the findings about what was asked for are kept. */
#include "verbatim/check.h"
#include "verbatim/kb.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The files whose change means every note must be checked again. */
static const char *const vocab_files[] = {"verbatim.yml", "roadmap.yml", "copy.yml"};

static int is_vocab_file(const char *path)
{
        for (size_t i = 0; i < sizeof(vocab_files) / sizeof(vocab_files[0]); i++)
                if (!strcmp(path, vocab_files[i]))
                        return 1;
        return 0;
}

struct check_ctx {
        struct vb_date today;
};

/* The kb runs the rules (vb_kb_load: every command counts notes with errors
 * alike, from kb options' `today`); the notes are not kept, the rules across
 * notes need only the refs. */
static int check_one(void *ctx, struct vb_note *n, const struct vb_vocab *v, struct vb_diags *d)
{
        return VB_KB_DROP;
}

/* A path as given on the command line, relative to the knowledge base.  Only
 * its folder is resolved: a symlinked note keeps its own name (the source
 * decides whether its target may be read). */
static char *relative_path(const char *root, const char *arg)
{
        const char *slash = strrchr(arg, '/');
        struct vb_buf dir = VB_BUF_INIT;
        char *abs_root = realpath(root, NULL), *abs_dir, *res = NULL;
        if (slash)
                vb_buf_add(&dir, arg, slash == arg ? 1 : (size_t)(slash - arg));
        else
                vb_buf_adds(&dir, ".");
        abs_dir = realpath(dir.ptr, NULL);
        if (abs_root && abs_dir) {
                size_t n = strlen(abs_root);
                const char *base = slash ? slash + 1 : arg;
                if (!strcmp(abs_dir, abs_root))
                        res = vb_strdup(base);
                else if (!strncmp(abs_dir, abs_root, n) && abs_dir[n] == '/') {
                        struct vb_buf rel = VB_BUF_INIT;
                        vb_buf_addf(&rel, "%s/%s", abs_dir + n + 1, base);
                        res = vb_buf_detach(&rel, NULL);
                }
        }
        if (!res) {
                while (!strncmp(arg, "./", 2))
                        arg += 2;
                res = vb_strdup(arg);
        }
        vb_buf_release(&dir);
        free(abs_root);
        free(abs_dir);
        return res;
}

/* 1 when `rel` (relative to the knowledge base) lies in one of its notes
 * folders, or outside the knowledge base (where reading it is refused, with
 * a message).  A Markdown file elsewhere in it (a README) is no note. */
static int in_notes(const struct vb_vocab *v, const char *rel)
{
        if (rel[0] == '/' || !strncmp(rel, "../", 3))
                return 1;
        for (size_t i = 0; i < v->nnotes; i++) {
                const char *dir = v->notes[i];
                while (!strncmp(dir, "./", 2))
                        dir += 2;
                size_t n = strlen(dir);
                while (n && dir[n - 1] == '/')
                        n--;
                if (!n || (n == 1 && dir[0] == '.'))
                        return 1;
                if (!strncmp(rel, dir, n) && rel[n] == '/')
                        return 1;
        }
        return 0;
}

static int ends_md(const char *path)
{
        size_t n = strlen(path);
        return n > 3 && !strcmp(path + n - 3, ".md");
}

static int path_cmp(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

/* 1 when `path` is one of the `n` paths of `sorted` (sorted by strcmp). */
static int has_path(char *const *sorted, size_t n, const char *path)
{
        return n && bsearch(&path, sorted, n, sizeof(*sorted), path_cmp) != NULL;
}

/* The note read from stdin, checked on its own (the rules across notes need
 * the saved files), as `rel`: its diagnostics go to `out`. */
static void check_text(const struct vb_kb *kb, const char *rel, const char *text, size_t len,
                       struct vb_date today, struct vb_diags *out)
{
        struct vb_note_options no = {.themes_key = kb->vocab->themes_key};
        struct vb_note *note = NULL;
        if (vb_note_parse(&note, rel, text ? text : "", len, &no, out) == VB_OK) {
                vb_note_resolve(note, kb->vocab);
                vb_check_note(note, kb->vocab, today, out);
        }
        vb_note_free(note);
}

/* Replaces the diagnostics of `path` in `d` by those of `with`. */
static void replace_diags(struct vb_diags *d, const char *path, struct vb_diags *with)
{
        struct vb_diags rest = VB_DIAGS_INIT;
        for (size_t i = 0; i < d->n; i++)
                if (strcmp(d->v[i].path, path))
                        vb_diags_add(&rest, d->v[i].path, d->v[i].line, d->v[i].col,
                                     d->v[i].severity, d->v[i].rule, "%s", d->v[i].message);
        vb_diags_move(&rest, with);
        vb_diags_release(d);
        *d = rest;
}

/* Copies to `out` the diagnostics of `d` that `keep` keeps, their paths
 * prefixed with `prefix` (the knowledge base's folder in its repository). */
static void keep_diags(struct vb_diags *out, const struct vb_diags *d, const char *prefix,
                       int (*keep)(const void *ctx, const char *path), const void *ctx)
{
        struct vb_buf p = VB_BUF_INIT;
        for (size_t i = 0; i < d->n; i++) {
                const struct vb_diag *x = &d->v[i];
                if (!keep(ctx, x->path))
                        continue;
                vb_buf_reset(&p);
                if (prefix && *x->path && x->path[0] != '/')
                        vb_buf_adds(&p, prefix);
                vb_buf_adds(&p, x->path);
                vb_diags_add(out, p.ptr, x->line, x->col, x->severity, x->rule, "%s", x->message);
        }
        vb_buf_release(&p);
}

/* What of a knowledge base's findings is shown. */
struct scope {
        char **files; /* the notes asked for (PATHs), relative to the root; NULL: all */
        size_t nfiles;
        char **dirs; /* folders asked for, relative to the root ("" the whole) */
        size_t ndirs;
        char **changed; /* with --changed-since: the notes changed; NULL: all */
        size_t nchanged;
        int vocab; /* the vocabulary's own findings are shown */
};

static int in_scope(const void *ctx, const char *path)
{
        const struct scope *s = ctx;
        if (!*path || is_vocab_file(path))
                return s->vocab;
        if (s->changed && !has_path(s->changed, s->nchanged, path))
                return 0;
        if (!s->files && !s->dirs)
                return 1;
        if (has_path(s->files, s->nfiles, path))
                return 1;
        for (size_t i = 0; i < s->ndirs; i++) {
                size_t n = strlen(s->dirs[i]);
                if (!n || (!strncmp(path, s->dirs[i], n) && path[n] == '/'))
                        return 1;
        }
        return 0;
}

struct listing {
        struct check_ctx check;
        char **paths; /* the notes the knowledge base lists, in path order */
        size_t n;
};

static int on_list(void *ctx, const struct vb_entry *e, size_t n, struct vb_diags *d)
{
        struct listing *l = ctx;
        l->paths = vb_calloc(n + 1, sizeof(*l->paths));
        for (size_t i = 0; i < n; i++)
                l->paths[i] = vb_strdup(e[i].path);
        l->n = n;
        return VB_OK;
}

static void free_paths(char **v, size_t n)
{
        for (size_t i = 0; i < n; i++)
                free(v[i]);
        free(v);
}

int vb_check_files(struct vb_check_result *res, struct vb_source *src,
                   const struct vb_check_request *o, struct vb_diags *err)
{
        struct vb_source *base = NULL;
        struct vb_kb *kb = NULL;
        struct vb_diags d = VB_DIAGS_INIT, from_stdin = VB_DIAGS_INIT;
        struct listing l = {.check = {o->today}};
        struct vb_kb_options kopt = {
            .on_note = check_one, .ctx = &l, .on_list = on_list, .today = o->today};
        struct scope sc = {.vocab = 1};
        char **given = NULL, *stdin_rel = NULL;
        size_t ngiven = 0;
        int status = VB_OK, whole = 0, rc;
        size_t *checked = &res->checked;

        memset(res, 0, sizeof(*res));
        rc = vb_kb_load(&kb, src, &kopt, &d);
        if (rc != VB_OK)
                goto fail;

        /* the PATHs: notes, folders of notes, or the vocabulary (every note) */
        if (o->npaths || o->has_stdin) {
                given = vb_calloc(o->npaths + 1, sizeof(*given));
                sc.files = vb_calloc(o->npaths + 1, sizeof(*sc.files));
                sc.dirs = vb_calloc(o->npaths + 1, sizeof(*sc.dirs));
        }
        for (size_t i = 0; i < o->npaths; i++) {
                struct stat st;
                char *rel = relative_path(vb_source_root(src), o->paths[i]);
                if (is_vocab_file(rel)) {
                        whole = 1;
                        free(rel);
                } else if (!vb_source_is_git(src) && stat(o->paths[i], &st) == 0 &&
                           S_ISDIR(st.st_mode)) {
                        if (!strcmp(rel, "."))
                                rel[0] = '\0';
                        sc.dirs[sc.ndirs++] = rel;
                } else if (!in_notes(kb->vocab, rel) || !ends_md(rel)) {
                        res->skipped =
                            vb_realloc(res->skipped, (res->nskipped + 1) * sizeof(*res->skipped));
                        res->skipped[res->nskipped++] = o->paths[i];
                        free(rel);
                } else {
                        sc.files[sc.nfiles++] = rel;
                        given[ngiven++] = vb_strdup(rel);
                }
        }
        if (o->has_stdin) {
                stdin_rel =
                    o->stdin_name ? relative_path(vb_source_root(src), o->stdin_name) : NULL;
                if (stdin_rel && !in_notes(kb->vocab, stdin_rel)) {
                        res->stdin_skipped = 1;
                        free(stdin_rel);
                        stdin_rel = NULL;
                } else {
                        check_text(kb, stdin_rel ? stdin_rel : "<stdin>", o->stdin_text,
                                   o->stdin_len, o->today, &from_stdin);
                        if (stdin_rel) { /* named: it stands for the file of that name */
                                replace_diags(&d, stdin_rel, &from_stdin);
                                sc.files[sc.nfiles++] = vb_strdup(stdin_rel);
                        } else {
                                (*checked)++;
                        }
                }
        }
        if (sc.nfiles > 1)
                qsort(sc.files, sc.nfiles, sizeof(*sc.files), path_cmp);
        if (whole) {
                free_paths(sc.files, sc.nfiles);
                free_paths(sc.dirs, sc.ndirs);
                sc.files = sc.dirs = NULL;
                sc.nfiles = sc.ndirs = 0;
        }
        /* the named notes that no notes folder lists (symlinks, FIFOs, files
         * that do not exist or lie outside): read them to say why they are no
         * notes */
        if (ngiven && !whole) {
                size_t k = 0;
                for (size_t i = 0; i < ngiven; i++) {
                        int said = 0; /* the listing said why it is not read */
                        for (size_t j = 0; !said && j < d.n; j++)
                                said = !strcmp(d.v[j].path, given[i]);
                        if (said || has_path(l.paths, l.n, given[i]))
                                free(given[i]);
                        else
                                given[k++] = given[i];
                }
                ngiven = k;
        }
        if (ngiven && !whole) {
                struct vb_kb_options only = {.files = (const char *const *)given,
                                             .nfiles = ngiven,
                                             .on_note = check_one,
                                             .ctx = &l.check,
                                             .today = o->today};
                struct vb_kb *named = NULL;
                struct vb_diags extra = VB_DIAGS_INIT;
                if (vb_kb_load(&named, src, &only, &extra) == VB_OK) {
                        for (size_t i = 0; i < extra.n; i++)
                                if (!is_vocab_file(extra.v[i].path))
                                        vb_diags_add(&d, extra.v[i].path, extra.v[i].line,
                                                     extra.v[i].col, extra.v[i].severity,
                                                     extra.v[i].rule, "%s", extra.v[i].message);
                        vb_kb_free(named);
                }
                vb_diags_release(&extra);
        }

        if (o->since) {
                int vocab_changed = 0;
                struct vb_diags why = VB_DIAGS_INIT;
                rc = vb_source_open_base(&base, src, o->since, &why);
                if (rc != VB_OK) {
                        vb_diags_release(&d);
                        d = why; /* only why: the findings are not asked for */
                        goto fail;
                }
                for (size_t i = 0; i < sizeof(vocab_files) / sizeof(vocab_files[0]); i++)
                        vocab_changed |= vb_source_differs(src, base, vocab_files[i]);
                if (!vocab_changed) {
                        sc.vocab = 0; /* an old problem there is no news either */
                        sc.changed = vb_calloc(l.n + 2, sizeof(*sc.changed));
                        for (size_t i = 0; i < l.n; i++)
                                if (vb_source_differs(src, base, l.paths[i]))
                                        sc.changed[sc.nchanged++] = vb_strdup(l.paths[i]);
                        if (stdin_rel && !has_path(sc.changed, sc.nchanged, stdin_rel)) {
                                sc.changed[sc.nchanged++] = vb_strdup(stdin_rel);
                                qsort(sc.changed, sc.nchanged, sizeof(*sc.changed), path_cmp);
                        }
                }
        }

        vb_diags_sort(&d);
        keep_diags(&res->findings, &d, o->from_top ? vb_source_prefix(src) : NULL, in_scope, &sc);
        vb_diags_move(&res->from_stdin, &from_stdin);

        if (!sc.files && !sc.dirs)
                *checked += sc.changed ? sc.nchanged : kb->nfiles;
        for (size_t i = 0; sc.files && i < sc.nfiles; i++)
                *checked += !sc.changed || has_path(sc.changed, sc.nchanged, sc.files[i]);
        for (size_t i = 0; sc.dirs && i < l.n; i++) {
                for (size_t k = 0; k < sc.ndirs; k++) {
                        size_t n = strlen(sc.dirs[k]);
                        if ((!n || (!strncmp(l.paths[i], sc.dirs[k], n) && l.paths[i][n] == '/')) &&
                            (!sc.changed || has_path(sc.changed, sc.nchanged, l.paths[i]))) {
                                (*checked)++;
                                break;
                        }
                }
        }
        goto done;
fail:
        vb_diags_move(err, &d);
        status = rc;
done:
        free_paths(given, ngiven);
        free_paths(sc.files, sc.nfiles);
        free_paths(sc.dirs, sc.ndirs);
        free_paths(sc.changed, sc.nchanged);
        free_paths(l.paths, l.n);
        free(stdin_rel);
        vb_kb_free(kb);
        vb_source_free(base);
        vb_diags_release(&d);
        vb_diags_release(&from_stdin);
        return status;
}

void vb_check_result_release(struct vb_check_result *res)
{
        vb_diags_release(&res->findings);
        vb_diags_release(&res->from_stdin);
        free(res->skipped);
        memset(res, 0, sizeof(*res));
}
