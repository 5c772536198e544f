/* verbatim check: notes against the vocabulary, gcc-style diagnostics. */
#include "cmds.h"
#include "verbatim/check.h"
#include "verbatim/kb.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int cmd_check(int argc, char **argv);

static const struct vb_cmd_opt options[] = {
    VB_CMD_OPT_DIR("the knowledge base (default: found from PATH or .)"),
    VB_CMD_OPT_REV("check the notes of a git revision, not the files"),
    VB_CMD_OPT_STAGED("check the notes staged in the git index"),
    VB_CMD_LONG('c', "changed-since", "REV",
                "only findings in notes changed since the merge base\n"
                "of REV and HEAD (committed or not); every note when\n"
                "verbatim.yml, roadmap.yml or copy.yml changed"),
    VB_CMD_LONG('i', "stdin-filename", "PATH", "the name of the note read from stdin ('-')"),
    VB_CMD_LONG('f', "format", "FORMAT",
                "text (default), github (Actions annotations), json,\n"
                "tsv, sarif (code scanning) or gitlab (code quality);\n"
                "their paths are relative to the repository's top"),
    VB_CMD_LONG('S', "strict", NULL, "warnings count as findings (exit 1)"),
    VB_CMD_OPT('q', "quiet", NULL, "no summary line"),
    VB_CMD_OPT('v', "verbose", NULL, "say which files named as PATH are no notes"),
    {0}};

const struct vb_cmd_spec vb_cmd_check = {
    .name = "check",
    .run = cmd_check,
    .summary = "check notes against the vocabulary",
    .setup = VB_SETUP_KB | VB_SETUP_REV | VB_SETUP_STAGED,
    .synopsis = "verbatim check [options] [PATH...]",
    .about = "Checks notes against verbatim.yml and roadmap.yml and prints\n"
             "path:line:col: error|warning: message [rule] for each finding (columns\n"
             "count characters; a finding about a whole file is at 1:1).\n"
             "Without PATH: every note of the knowledge base (files git ignores are skipped).\n"
             "PATH: those notes, in the knowledge base found from each (the nearest folder\n"
             "upward with verbatim.yml); Markdown files outside its notes folders are no\n"
             "notes and are skipped; verbatim.yml, roadmap.yml or copy.yml: every note.\n"
             "'-' reads one note from stdin.\n",
    .options = options,
    .column = 27,
    .after = "Exit status: 0 clean, 1 findings, 2 usage or I/O error.\n",
};

/* The files whose change means every note must be checked again. */
static const char *const vocab_files[] = {"verbatim.yml", "roadmap.yml", "copy.yml"};

static int is_vocab_file(const char *path)
{
        for (size_t i = 0; i < sizeof(vocab_files) / sizeof(vocab_files[0]); i++)
                if (!strcmp(path, vocab_files[i]))
                        return 1;
        return 0;
}

struct options {
        const char *dir, *rev, *since, *stdin_name;
        int staged, verbose;
        enum vb_diag_format fmt;
        struct vb_date today;
};

/* One knowledge base of the run and what of it was asked for. */
struct target {
        char *root;        /* as opened */
        char *real;        /* realpath, to group the PATHs by knowledge base */
        const char **args; /* the PATHs in it, as given; none: every note */
        size_t nargs;
        int has_stdin; /* '-' is one of them */
};

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

/* The knowledge base of the PATH `arg`: the nearest folder at or above it
 * that holds verbatim.yml (not crossing the top of a git working tree), else
 * the one found from the current folder.  The caller frees the result. */
static char *kb_of(const char *arg)
{
        struct stat st;
        struct vb_buf start = VB_BUF_INIT;
        const char *slash = strrchr(arg, '/');
        char *found;
        if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode))
                vb_buf_adds(&start, arg);
        else if (slash)
                vb_buf_add(&start, arg, slash == arg ? 1 : (size_t)(slash - arg));
        else
                vb_buf_adds(&start, ".");
        found = vb_cmd_kb_root_from(start.ptr);
        vb_buf_release(&start);
        return found ? found : vb_cmd_kb_root(NULL);
}

/* Adds `arg` to the target of its knowledge base (a new one when it is the
 * first PATH there). */
static void add_target(struct target **t, size_t *n, size_t *cap, char *root, const char *arg)
{
        char *real = realpath(root, NULL);
        size_t i = 0;
        while (i < *n && !((real && (*t)[i].real && !strcmp(real, (*t)[i].real)) ||
                           (!real && !strcmp(root, (*t)[i].root))))
                i++;
        if (i == *n) {
                *t = vb_grow_array(*t, cap, *n + 1, sizeof(**t));
                memset(&(*t)[i], 0, sizeof(**t));
                (*t)[i].root = root;
                (*t)[i].real = real;
                (*n)++;
        } else {
                free(root);
                free(real);
        }
        if (!arg)
                return;
        if (!strcmp(arg, "-")) {
                (*t)[i].has_stdin = 1;
                return;
        }
        (*t)[i].args = vb_realloc((*t)[i].args, ((*t)[i].nargs + 1) * sizeof(*(*t)[i].args));
        (*t)[i].args[(*t)[i].nargs++] = arg;
}

/* Reads stdin whole into `out`; 0, or -1 on a read error. */
static int read_stdin(struct vb_buf *out)
{
        char chunk[65536];
        size_t got;
        while ((got = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
                vb_buf_add(out, chunk, got);
        return ferror(stdin) ? -1 : 0;
}

/* The note read from stdin, checked on its own (the rules across notes need
 * the saved files), as `rel`: its diagnostics go to `out`. */
static int check_stdin(const struct vb_kb *kb, const char *rel, struct vb_date today,
                       struct vb_diags *out)
{
        struct vb_buf text = VB_BUF_INIT;
        struct vb_note_options no = {.themes_key = kb->vocab->themes_key};
        struct vb_note *note = NULL;
        int rc = 0;
        if (read_stdin(&text) != 0) {
                vb_cmd_error("check", "cannot read the note from stdin");
                rc = -1;
        } else if (vb_note_parse(&note, rel, text.ptr ? text.ptr : "", text.len, &no, out) ==
                   VB_OK) {
                vb_note_resolve(note, kb->vocab);
                vb_check_note(note, kb->vocab, today, out);
        }
        vb_note_free(note);
        vb_buf_release(&text);
        return rc;
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

/* Checks one knowledge base; its findings in scope go to `shown`, the notes
 * checked are counted in *checked.  Returns an exit status. */
static int check_target(const struct target *t, const struct options *o, struct vb_diags *shown,
                        size_t *checked)
{
        struct vb_source *src = NULL, *base = NULL;
        struct vb_kb *kb = NULL;
        struct vb_diags d = VB_DIAGS_INIT, mine = VB_DIAGS_INIT, from_stdin = VB_DIAGS_INIT;
        struct listing l = {.check = {o->today}};
        struct vb_kb_options kopt = {
            .on_note = check_one, .ctx = &l, .on_list = on_list, .today = o->today};
        struct scope sc = {.vocab = 1};
        char **given = NULL, *stdin_rel = NULL;
        size_t ngiven = 0;
        int status = VB_EXIT_OK, whole = 0;

        int rc = vb_cmd_open_root(&src, t->root, o->rev, o->staged, &d);
        if (rc != VB_OK)
                goto fail;
        rc = vb_kb_load(&kb, src, &kopt, &d);
        if (rc != VB_OK)
                goto fail;

        /* the PATHs: notes, folders of notes, or the vocabulary (every note) */
        if (t->nargs || t->has_stdin) {
                given = vb_calloc(t->nargs + 1, sizeof(*given));
                sc.files = vb_calloc(t->nargs + 1, sizeof(*sc.files));
                sc.dirs = vb_calloc(t->nargs + 1, sizeof(*sc.dirs));
        }
        for (size_t i = 0; i < t->nargs; i++) {
                struct stat st;
                char *rel = relative_path(vb_source_root(src), t->args[i]);
                if (is_vocab_file(rel)) {
                        whole = 1;
                        free(rel);
                } else if (!vb_source_is_git(src) && stat(t->args[i], &st) == 0 &&
                           S_ISDIR(st.st_mode)) {
                        if (!strcmp(rel, "."))
                                rel[0] = '\0';
                        sc.dirs[sc.ndirs++] = rel;
                } else if (!in_notes(kb->vocab, rel) || !ends_md(rel)) {
                        if (o->verbose)
                                vb_cmd_line(stderr,
                                            "%s: not a note (outside the notes folders of %s); "
                                            "skipped",
                                            t->args[i], t->root);
                        free(rel);
                } else {
                        sc.files[sc.nfiles++] = rel;
                        given[ngiven++] = vb_strdup(rel);
                }
        }
        if (t->has_stdin) {
                stdin_rel =
                    o->stdin_name ? relative_path(vb_source_root(src), o->stdin_name) : NULL;
                if (stdin_rel && !in_notes(kb->vocab, stdin_rel)) {
                        if (o->verbose)
                                vb_cmd_line(stderr,
                                            "%s: not a note (outside the notes folders); skipped",
                                            o->stdin_name);
                        free(stdin_rel);
                        stdin_rel = NULL;
                } else {
                        if (check_stdin(kb, stdin_rel ? stdin_rel : "<stdin>", o->today,
                                        &from_stdin) != 0) {
                                status = VB_EXIT_ERROR;
                                goto done;
                        }
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
        keep_diags(&mine, &d, o->fmt == VB_FORMAT_TEXT ? NULL : vb_source_prefix(src), in_scope,
                   &sc);
        if (o->fmt == VB_FORMAT_TEXT && !o->dir) /* paths from here, as editors open them */
                vb_cmd_paths_from_cwd(&mine, t->root);
        vb_diags_move(shown, &mine);
        vb_diags_move(shown, &from_stdin); /* unnamed: no path to rewrite */

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
        vb_cmd_print_diags(&d, VB_FORMAT_TEXT);
        status = VB_EXIT_ERROR;
done:
        free_paths(given, ngiven);
        free_paths(sc.files, sc.nfiles);
        free_paths(sc.dirs, sc.ndirs);
        free_paths(sc.changed, sc.nchanged);
        free_paths(l.paths, l.n);
        free(stdin_rel);
        vb_kb_free(kb);
        vb_source_free(base);
        vb_source_free(src);
        vb_diags_release(&d);
        vb_diags_release(&mine);
        vb_diags_release(&from_stdin);
        return status;
}

static int cmd_check(int argc, char **argv)
{
        struct vb_cmd_getopt g;
        struct options o = {.fmt = VB_FORMAT_TEXT, .today = vb_date_today()};
        int strict = 0, quiet = 0, c, status = VB_EXIT_OK, nstdin = 0;
        struct target *t = NULL;
        size_t nt = 0, cap = 0, checked = 0;
        struct vb_diags shown = VB_DIAGS_INIT;

        vb_cmd_getopt_init(&g, &vb_cmd_check);
        while ((c = getopt_long(argc, argv, g.shorts, g.longs, NULL)) != -1) {
                switch (c) {
                case 'C':
                        o.dir = optarg;
                        break;
                case VB_CMD_REV:
                        o.rev = optarg;
                        break;
                case VB_CMD_STAGED:
                        o.staged = 1;
                        break;
                case 'c':
                        o.since = optarg;
                        break;
                case 'i':
                        o.stdin_name = optarg;
                        break;
                case 'S':
                        strict = 1;
                        break;
                case 'q':
                        quiet = 1;
                        break;
                case 'v':
                        o.verbose = 1;
                        break;
                case 'f':
                        c = vb_cmd_diag_format(optarg);
                        if (c < 0) {
                                vb_cmd_error("check",
                                             "unknown format '%s'; use text, github, json, tsv, "
                                             "sarif or gitlab",
                                             optarg);
                                return VB_EXIT_USAGE;
                        }
                        o.fmt = (enum vb_diag_format)c;
                        break;
                default: /* -h, --help, or an option it does not know */
                        return vb_cmd_usage(&vb_cmd_check, c);
                }
        }
        if (o.rev && o.staged) {
                vb_cmd_error("check", "--rev and --staged exclude each other");
                return VB_EXIT_USAGE;
        }
        for (int i = optind; i < argc; i++)
                nstdin += !strcmp(argv[i], "-");
        if (nstdin > 1 || (nstdin && (o.rev || o.staged))) {
                vb_cmd_error("check", nstdin > 1 ? "'-' (stdin) can be given once"
                                                 : "'-' (stdin) is a note of the working tree; "
                                                   "leave out --rev and --staged");
                return VB_EXIT_USAGE;
        }
        if (o.stdin_name && !nstdin) {
                vb_cmd_error("check", "--stdin-filename names the note read from '-'; give '-'");
                return VB_EXIT_USAGE;
        }

        if (optind == argc) {
                char *root = vb_cmd_find_kb("check", o.dir);
                if (!root)
                        return VB_EXIT_USAGE;
                add_target(&t, &nt, &cap, root, NULL);
        }
        for (int i = optind; i < argc; i++) {
                const char *from = !strcmp(argv[i], "-") ? o.stdin_name : argv[i];
                char *root = o.dir ? vb_strdup(o.dir) : from ? kb_of(from) : vb_cmd_kb_root(NULL);
                add_target(&t, &nt, &cap, root, argv[i]);
        }
        for (size_t i = 0; i < nt && status == VB_EXIT_OK; i++)
                status = check_target(&t[i], &o, &shown, &checked);
        if (status != VB_EXIT_OK)
                goto done;
        vb_diags_sort(&shown);
        status = vb_cmd_print_diags(&shown, o.fmt);
        if (!quiet)
                fprintf(o.fmt == VB_FORMAT_TEXT ? stdout : stderr,
                        "checked %zu note%s: %zu error%s, %zu warning%s\n", checked,
                        checked == 1 ? "" : "s", shown.errors, shown.errors == 1 ? "" : "s",
                        shown.warnings, shown.warnings == 1 ? "" : "s");
        if (status == VB_EXIT_OK)
                status = shown.errors || (strict && shown.warnings) ? VB_EXIT_FINDINGS : VB_EXIT_OK;
        for (size_t i = 0; i < shown.n; i++)
                if (vb_cmd_unreadable(&shown.v[i]))
                        status = VB_EXIT_ERROR; /* printed above */
done:
        for (size_t i = 0; i < nt; i++) {
                free(t[i].root);
                free(t[i].real);
                free(t[i].args);
        }
        free(t);
        vb_diags_release(&shown);
        return vb_cmd_finish(status);
}
