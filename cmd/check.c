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

/* Checks one knowledge base; its findings in scope go to `shown`, the notes
 * checked are counted in *checked.  Returns an exit status. */
static int check_target(const struct target *t, const struct options *o,
                        const struct vb_buf *stdin_text, struct vb_diags *shown, size_t *checked)
{
        struct vb_source *src = NULL;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_check_result res;
        struct vb_check_request req = {.paths = t->args,
                                       .npaths = t->nargs,
                                       .has_stdin = t->has_stdin,
                                       .stdin_text = stdin_text->ptr,
                                       .stdin_len = stdin_text->len,
                                       .stdin_name = o->stdin_name,
                                       .since = o->since,
                                       .from_top = o->fmt != VB_FORMAT_TEXT,
                                       .today = o->today};
        int status = VB_EXIT_OK;

        memset(&res, 0, sizeof(res));
        if (vb_cmd_open_root(&src, t->root, o->rev, o->staged, &d) != VB_OK ||
            vb_check_files(&res, src, &req, &d) != VB_OK) {
                vb_cmd_print_diags(&d, VB_FORMAT_TEXT);
                status = VB_EXIT_ERROR;
                goto done;
        }
        for (size_t i = 0; o->verbose && i < res.nskipped; i++)
                vb_cmd_line(stderr, "%s: not a note (outside the notes folders of %s); skipped",
                            res.skipped[i], t->root);
        if (o->verbose && res.stdin_skipped)
                vb_cmd_line(stderr, "%s: not a note (outside the notes folders); skipped",
                            o->stdin_name);
        if (o->fmt == VB_FORMAT_TEXT && !o->dir) /* paths from here, as editors open them */
                vb_cmd_paths_from_cwd(&res.findings, t->root);
        vb_diags_move(shown, &res.findings);
        vb_diags_move(shown, &res.from_stdin); /* unnamed: no path to rewrite */
        *checked += res.checked;
done:
        vb_check_result_release(&res);
        vb_source_free(src);
        vb_diags_release(&d);
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
        struct vb_buf stdin_text = VB_BUF_INIT;

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
        /* the note of '-', read before any knowledge base */
        if (nstdin && read_stdin(&stdin_text) != 0) {
                vb_cmd_error("check", "cannot read the note from stdin");
                status = VB_EXIT_ERROR;
                goto done;
        }
        for (size_t i = 0; i < nt && status == VB_EXIT_OK; i++)
                status = check_target(&t[i], &o, &stdin_text, &shown, &checked);
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
        vb_buf_release(&stdin_text);
        return vb_cmd_finish(status);
}
