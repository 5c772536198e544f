/* verbatim init: scaffold a knowledge base, never replacing a file. */
#include "cmds.h"
#include "verbatim/scaffold.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int cmd_init(int argc, char **argv);

const struct vb_cmd_spec vb_cmd_init = {
    .name = "init",
    .run = cmd_init,
    .summary = "scaffold a knowledge base",
    .setup = 0,
    .synopsis = "verbatim init [DIR]",
    .about = "Scaffolds a knowledge base in DIR (default: .): verbatim.yml (three segments\n"
             "and a starter vocabulary), roadmap.yml, templates/, calls/, a README for the\n"
             "team, .gitignore, a GitHub Actions workflow and a GitLab CI file that run\n"
             "this version of verbatim (its action and container image).  Makes DIR a\n"
             "git repository on branch main (or your init.defaultBranch) when it is in\n"
             "none.  Existing files are kept, never replaced; every file is listed as\n"
             "created or kept, then the next steps.\n",
    .options = NULL,
    .column = 15,
    .after = "Exit status: 0 done, 2 usage or I/O error.\n",
};

/* Creates one file unless it exists; prints what happened. */
static int create(const char *dir, const char *rel, const char *text, struct vb_diags *d)
{
        struct vb_buf path = VB_BUF_INIT;
        int rc;
        vb_buf_addf(&path, "%s/%s", dir, rel);
        rc = vb_file_create(path.ptr, text, strlen(text), 0666, d);
        if (rc == VB_OK)
                printf("created %s\n", rel);
        else if (rc == VB_ERR_EXISTS)
                printf("kept    %s\n", rel);
        vb_buf_release(&path);
        return rc == VB_ERR_EXISTS ? VB_OK : rc;
}

struct file {
        char *path;
        char *text;
};

static int file_cmp(const void *a, const void *b)
{
        return strcmp(((const struct file *)a)->path, ((const struct file *)b)->path);
}

/* What to do next, in order: a first note, a first push, Pages. */
static void print_next_steps(const char *dir, const char *branch)
{
        printf(
            "\nnext steps:\n"
            "  1. write a first note:  cd %s && verbatim new --segment buyer --customer C-10492 "
            "-e\n"
            "  2. push it:  git add -A && git commit -m 'first note' && git push -u origin %s\n"
            "  3. publish:  GitHub: Settings > Pages > Source: GitHub Actions (GitLab publishes by "
            "itself);\n"
            "     pull requests are then checked, and every push to %s updates the report\n",
            dir, branch, branch);
}

static int cmd_init(int argc, char **argv)
{
        struct vb_cmd_getopt g;
        const char *dir = ".";
        int c, created_repo = 0, status = VB_EXIT_ERROR;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_buf rel = VB_BUF_INIT, branch = VB_BUF_INIT;
        struct file *files = NULL;
        size_t n = 0;

        vb_cmd_getopt_init(&g, &vb_cmd_init);
        while ((c = getopt_long(argc, argv, g.shorts, g.longs, NULL)) != -1) {
                switch (c) {
                default: /* -h, --help, or an option it does not know */
                        return vb_cmd_usage(&vb_cmd_init, c);
                }
        }
        if (argc - optind > 1) {
                vb_cmd_error("init", "one folder at most");
                vb_cmd_print_usage(stderr, &vb_cmd_init);
                return VB_EXIT_USAGE;
        }
        if (optind < argc)
                dir = argv[optind];
        if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
                vb_cmd_error("init", "cannot create '%s': %s", dir, strerror(errno));
                return VB_EXIT_ERROR;
        }
        if (vb_git_init_if_needed(dir, &created_repo, &branch, &d) != VB_OK)
                goto done;
        if (created_repo)
                vb_cmd_line(stdout, "initialized an empty git repository in %s (branch %s)", dir,
                            branch.ptr);

        /* in path order (strcmp), so that the listing is the same every time */
        n = vb_ninit_files + vb_nbundled_templates + 1;
        files = vb_calloc(n, sizeof(*files));
        n = 0;
        for (size_t i = 0; i < vb_ninit_files; i++) {
                vb_buf_reset(&rel);
                vb_init_file_fill(&rel, vb_init_files[i].text);
                files[n++] =
                    (struct file){vb_strdup(vb_init_files[i].name), vb_buf_detach(&rel, NULL)};
        }
        for (size_t i = 0; i < vb_nbundled_templates; i++) {
                if (strcmp(vb_bundled_templates[i].name, "generic.md")) {
                        vb_buf_reset(&rel);
                        vb_buf_addf(&rel, "templates/%s", vb_bundled_templates[i].name);
                        files[n++] = (struct file){vb_buf_detach(&rel, NULL),
                                                   vb_strdup(vb_bundled_templates[i].text)};
                }
        }
        files[n++] = (struct file){vb_strdup("calls/.gitkeep"), vb_strdup("")};
        qsort(files, n, sizeof(*files), file_cmp);
        for (size_t i = 0; i < n; i++)
                if (create(dir, files[i].path, files[i].text, &d) != VB_OK)
                        goto done;
        print_next_steps(dir, branch.len ? branch.ptr : "main");
        status = VB_EXIT_OK;
done:
        if (d.n)
                vb_cmd_print_diags(&d, VB_FORMAT_TEXT);
        for (size_t i = 0; i < n; i++) {
                free(files[i].path);
                free(files[i].text);
        }
        free(files);
        vb_buf_release(&branch);
        vb_diags_release(&d);
        vb_buf_release(&rel);
        return vb_cmd_finish(status);
}
