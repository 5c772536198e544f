/* verbatim check: notes against the vocabulary, gcc-style diagnostics. */
#include "cmds.h"
#include "verbatim/check.h"
#include "verbatim/kb.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: verbatim check [options] [PATH...]\n"
    "\n"
    "Checks notes against verbatim.yml and roadmap.yml and prints\n"
    "path:line:col: error|warning: message [rule] for each finding.\n"
    "Without PATH: every note of the knowledge base (files git ignores are skipped).\n"
    "\n"
    "  -C, --dir DIR        the knowledge base (default: .)\n"
    "      --rev REV        check the notes of a git revision instead of the files\n"
    "      --staged         check the notes staged in the git index (pre-commit hook)\n"
    "      --format FORMAT  text (default), github (Actions annotations) or json\n"
    "      --strict         warnings count as findings (exit 1)\n"
    "  -q, --quiet          no summary line\n"
    "  -h, --help           this help\n"
    "\n"
    "Exit status: 0 clean, 1 findings, 2 usage or I/O error.\n";

struct check_ctx {
        struct vb_date today;
};

static int check_one(void *ctx, struct vb_note *n, const struct vb_vocab *v, struct vb_diags *d)
{
        const struct check_ctx *c = ctx;
        vb_check_note(n, v, c->today, d);
        return 0; /* the rules across notes need only the refs */
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

int cmd_check(int argc, char **argv)
{
        static const struct option opts[] = {
            {"dir", required_argument, NULL, 'C'}, {"rev", required_argument, NULL, 'r'},
            {"staged", no_argument, NULL, 's'},    {"format", required_argument, NULL, 'f'},
            {"strict", no_argument, NULL, 'S'},    {"quiet", no_argument, NULL, 'q'},
            {"help", no_argument, NULL, 'h'},      {NULL, 0, NULL, 0}};
        const char *dir = NULL, *rev = NULL;
        char *root = NULL;
        int staged = 0, strict = 0, quiet = 0, fmt = VB_FORMAT_TEXT, c, status;
        struct vb_source *src = NULL;
        struct vb_kb *kb = NULL;
        struct vb_diags d = VB_DIAGS_INIT, shown = VB_DIAGS_INIT;
        struct check_ctx ctx = {vb_date_today()};
        struct vb_kb_options kopt = {.on_note = check_one, .ctx = &ctx};
        char **files = NULL;
        size_t nfiles = 0;

        optind = 1;
        while ((c = getopt_long(argc, argv, "C:qh", opts, NULL)) != -1) {
                switch (c) {
                case 'C':
                        dir = optarg;
                        break;
                case 'r':
                        rev = optarg;
                        break;
                case 's':
                        staged = 1;
                        break;
                case 'S':
                        strict = 1;
                        break;
                case 'q':
                        quiet = 1;
                        break;
                case 'f':
                        fmt = vb_cmd_diag_format(optarg);
                        if (fmt < 0) {
                                vb_cmd_error("check",
                                             "unknown format '%s'; use text, github or json",
                                             optarg);
                                return VB_EXIT_USAGE;
                        }
                        break;
                default: /* -h, --help, or an option it does not know */
                        return vb_cmd_usage(usage, c == 'h');
                }
        }
        if (rev && staged) {
                vb_cmd_error("check", "--rev and --staged exclude each other");
                return VB_EXIT_USAGE;
        }
        root = vb_cmd_kb_root(dir);
        int rc = rev      ? vb_source_open_rev(&src, root, rev, &d)
                 : staged ? vb_source_open_index(&src, root, &d)
                          : vb_source_open_dir(&src, root, &d);
        if (rc != VB_OK) {
                vb_cmd_print_diags(&d, VB_FORMAT_TEXT);
                status = VB_EXIT_ERROR;
                goto done;
        }
        if (optind < argc) {
                nfiles = (size_t)(argc - optind);
                files = vb_calloc(nfiles, sizeof(*files));
                for (size_t i = 0; i < nfiles; i++)
                        files[i] = relative_path(vb_source_root(src), argv[optind + (int)i]);
        }
        rc = vb_kb_load(&kb, src, &kopt, &d);
        if (rc != VB_OK) {
                vb_cmd_print_diags(&d, VB_FORMAT_TEXT);
                status = VB_EXIT_ERROR;
                goto done;
        }
        vb_check_kb(kb, &d);
        vb_diags_sort(&d);
        /* with PATHs, every note is loaded (for follows: and duplicate ids) but
         * only the findings in the given files are shown */
        for (size_t i = 0; i < d.n; i++) {
                int keep = !files;
                for (size_t k = 0; !keep && k < nfiles; k++)
                        keep = !strcmp(d.v[i].path, files[k]) ||
                               !strcmp(d.v[i].path, "verbatim.yml") ||
                               !strcmp(d.v[i].path, "roadmap.yml");
                if (keep)
                        vb_diags_add(&shown, d.v[i].path, d.v[i].line, d.v[i].col, d.v[i].severity,
                                     d.v[i].rule, "%s", d.v[i].message);
        }
        if (files) {
                struct vb_kb_options only = {.files = (const char *const *)files,
                                             .nfiles = nfiles,
                                             .on_note = check_one,
                                             .ctx = &ctx};
                struct vb_kb *given = NULL;
                struct vb_diags ignored = VB_DIAGS_INIT;
                /* the given files may lie outside the notes folders: check them too */
                if (vb_kb_load(&given, src, &only, &ignored) == VB_OK) {
                        for (size_t i = 0; i < ignored.n; i++) {
                                int dup = 0;
                                for (size_t k = 0; !dup && k < shown.n; k++)
                                        dup = !strcmp(shown.v[k].path, ignored.v[i].path) &&
                                              shown.v[k].line == ignored.v[i].line &&
                                              shown.v[k].col == ignored.v[i].col &&
                                              !strcmp(shown.v[k].rule, ignored.v[i].rule);
                                if (!dup && strcmp(ignored.v[i].path, "verbatim.yml") &&
                                    strcmp(ignored.v[i].path, "roadmap.yml"))
                                        vb_diags_add(&shown, ignored.v[i].path, ignored.v[i].line,
                                                     ignored.v[i].col, ignored.v[i].severity,
                                                     ignored.v[i].rule, "%s", ignored.v[i].message);
                        }
                        vb_kb_free(given);
                }
                vb_diags_release(&ignored);
                vb_diags_sort(&shown);
        }
        if (!dir) /* found above the current folder: print paths from here */
                vb_cmd_paths_from_cwd(&shown, root);
        status = vb_cmd_print_diags(&shown, (enum vb_diag_format)fmt);
        if (!quiet) {
                size_t checked = files ? nfiles : kb->nfiles;
                fprintf(fmt == VB_FORMAT_TEXT ? stdout : stderr,
                        "checked %zu note%s: %zu error%s, %zu warning%s\n", checked,
                        checked == 1 ? "" : "s", shown.errors, shown.errors == 1 ? "" : "s",
                        shown.warnings, shown.warnings == 1 ? "" : "s");
        }
        if (status == VB_EXIT_OK)
                status = shown.errors || (strict && shown.warnings) ? VB_EXIT_FINDINGS : VB_EXIT_OK;
        for (size_t i = 0; i < shown.n; i++)
                if (vb_cmd_unreadable(&shown.v[i]))
                        status = VB_EXIT_ERROR; /* printed above */
done:
        for (size_t i = 0; i < nfiles; i++)
                free(files[i]);
        free(files);
        free(root);
        vb_kb_free(kb);
        vb_source_free(src);
        vb_diags_release(&d);
        vb_diags_release(&shown);
        return vb_cmd_finish(status);
}
