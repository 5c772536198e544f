/* verbatim report: the static HTML insight report. */
#include "cmds.h"
#include "verbatim/report.h"

#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

static int cmd_report(int argc, char **argv);

static const struct vb_cmd_opt options[] = {
    VB_CMD_OPT_DIR(VB_CMD_DIR_HELP),
    VB_CMD_OPT('o', "output", "DIR",
               "the site's folder, relative to DIR (default: public);\n"
               "never inside a notes folder"),
    VB_CMD_OPT_REV("report on the notes of a git revision"),
    VB_CMD_LONG('H', "no-history", NULL,
                "no history page, even when DIR is a git repository's\n"
                "root (history: the commits of HEAD, or of REV)"),
    VB_CMD_LONG('N', "no-cache", NULL, "neither read nor write .git/verbatim/history.cache"),
    VB_CMD_LONG('a', "as-of", "DATE", "the report's date (default: the newest note's date)"),
    VB_CMD_LONG('j', "json", NULL,
                "also write data.json and CSV files (themes, weekly,\n"
                "segments, quotes)"),
    VB_CMD_LONG('t', "title", "TITLE", "the site's title (default: title: of verbatim.yml)"),
    VB_CMD_LONG('S', "no-search", NULL,
                "no search page: a site without any script (the search\n"
                "page's small script of our own is the only one)"),
    {0}};

const struct vb_cmd_spec vb_cmd_report = {
    .name = "report",
    .run = cmd_report,
    .summary = "write the static HTML report",
    .setup = VB_SETUP_KB | VB_SETUP_WORKTREE | VB_SETUP_REV,
    .synopsis = "verbatim report [options]",
    .about = "Writes the insight report, a static site, to a folder (replaced whole\n"
             "and atomically: a failed run leaves the previous report).  Only its\n"
             "search page runs a script, the site's own (--no-search: none).\n",
    .options = options,
    .after = "Exit status: 0 written, 2 usage or I/O error.\n",
};

static int cmd_report(int argc, char **argv)
{
        struct vb_cmd_getopt g;
        char *root = NULL;
        const char *dir = NULL, *out = "public", *rev = NULL, *as_of = NULL, *title = NULL;
        int json = 0, no_search = 0, no_history = 0, no_cache = 0, c, status = VB_EXIT_ERROR, rc;
        struct vb_source *src = NULL;
        struct vb_history_options hopt;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_date as_of_date = {0};
        struct vb_report_options ropt;
        struct vb_report_stats st;
        struct vb_buf out_path = VB_BUF_INIT, errors = VB_BUF_INIT;

        vb_cmd_getopt_init(&g, &vb_cmd_report);
        while ((c = getopt_long(argc, argv, g.shorts, g.longs, NULL)) != -1) {
                switch (c) {
                case 'C':
                        dir = optarg;
                        break;
                case 'o':
                        out = optarg;
                        break;
                case VB_CMD_REV:
                        rev = optarg;
                        break;
                case 'a':
                        as_of = optarg;
                        break;
                case 'j':
                        json = 1;
                        break;
                case 't':
                        title = optarg;
                        break;
                case 'S':
                        no_search = 1;
                        break;
                case 'H':
                        no_history = 1;
                        break;
                case 'N':
                        no_cache = 1;
                        break;
                default: /* -h, --help, or an option it does not know */
                        return vb_cmd_usage(&vb_cmd_report, c);
                }
        }
        if (optind < argc || !*out)
                return vb_cmd_usage(&vb_cmd_report, '?');
        if (as_of && vb_cmd_date_option(&as_of_date, "report", "--as-of", as_of))
                return VB_EXIT_USAGE;
#ifdef M_MMAP_THRESHOLD
        /* Blocks of 64 KiB and more (page buffers, the phrase index's arrays)
         * come from the kernel and go back to it.  glibc's threshold would
         * grow with the first such block freed, and later ones would then
         * stay in the heap, resident: 0.4 MB of a 10k-note report's peak,
         * which README's benchmark holds to twice the notes' size. */
        mallopt(M_MMAP_THRESHOLD, 64 * 1024);
#endif
        rc = vb_cmd_open_source(&src, &root, "report", dir, rev, 0, &d);
        if (rc != VB_EXIT_OK) { /* said */
                status = rc;
                goto done;
        }
        dir = root;
        if (out[0] != '/' && strcmp(dir, ".")) {
                vb_buf_adds(&out_path, dir);
                vb_buf_addc(&out_path, '/');
        }
        vb_buf_adds(&out_path, out);

        /* --as-of, else the revision's commit date: the history's weeks end there */
        memset(&hopt, 0, sizeof(hopt));
        hopt.rev = rev;
        hopt.as_of = as_of_date;
        hopt.no_cache = no_cache;
        memset(&ropt, 0, sizeof(ropt));
        ropt.out_dir = out_path.ptr;
        ropt.title = title;
        ropt.json = json;
        ropt.no_search = no_search;
        ropt.load_history = no_history ? NULL : &hopt;
        ropt.as_of = as_of_date;
        rc = vb_report_build(&st, src, dir, &ropt, &d);
        if (rc != VB_OK)
                goto done;
        if (st.notes_with_errors)
                vb_buf_addf(&errors, ", %zu note%s with errors (run verbatim check)",
                            st.notes_with_errors, st.notes_with_errors == 1 ? "" : "s");
        vb_cmd_line(stdout, "wrote %s: %zu note%s, %zu theme%s%s", out_path.ptr, st.notes,
                    st.notes == 1 ? "" : "s", st.themes, st.themes == 1 ? "" : "s",
                    errors.len ? errors.ptr : "");
        status = VB_EXIT_OK;
done:
        vb_cmd_print_diags(&d, VB_FORMAT_TEXT);
        vb_source_free(src);
        vb_diags_release(&d);
        vb_buf_release(&out_path);
        free(root);
        vb_buf_release(&errors);
        return vb_cmd_finish(status);
}
