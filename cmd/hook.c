/* verbatim hook: install or remove the git pre-commit hook that checks the
 * staged notes. */
#include "cmds.h"
#include "verbatim/outdir.h"
#include "verbatim/scaffold.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmd_hook(int argc, char **argv);

static const struct vb_cmd_opt options[] = {
    VB_CMD_OPT_DIR("the repository (default: .)"),
    VB_CMD_OPT('f', "force", NULL, "replace a pre-commit hook that is not verbatim's"),
    {0}};

const struct vb_cmd_spec vb_cmd_hook = {
    .name = "hook",
    .run = cmd_hook,
    .summary = "install the git pre-commit hook",
    .setup = VB_SETUP_KB | VB_SETUP_WORKTREE,
    .synopsis = "verbatim hook install [-C DIR] [--force]\n"
                "       verbatim hook uninstall [-C DIR]",
    .about = "install writes the git pre-commit hook (in core.hooksPath when set, else\n"
             ".git/hooks): before every commit it runs 'verbatim check --staged\n"
             "--changed-since HEAD', which reads the notes from the git index (what the\n"
             "commit will hold, not the working tree) and blocks the commit when the notes\n"
             "it adds or changes have errors (every note when it changes verbatim.yml,\n"
             "roadmap.yml or copy.yml); a commit that touches no note always passes.  The\n"
             "hook runs this verbatim binary by its absolute path (else 'verbatim' in\n"
             "PATH), and says so plainly when neither is there.\n"
             "A different pre-commit hook is kept unless --force, which moves it to\n"
             "pre-commit.verbatim-backup.  uninstall removes verbatim's hook and puts a\n"
             "backup back.\n",
    .options = options,
    .column = 18,
    .after = "Exit status: 0 done, 2 usage or I/O error, or a foreign hook in the way.\n",
};

/* Reads a whole file; 0, or -1 with errno set. */
static int read_file(const char *path, struct vb_buf *out)
{
        FILE *f = fopen(path, "rb");
        char chunk[4096];
        size_t n;
        if (!f)
                return -1;
        while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
                vb_buf_add(out, chunk, n);
        int bad = ferror(f);
        fclose(f);
        return bad ? -1 : 0;
}

static int is_ours(const struct vb_buf *script)
{
        return !strncmp(script->ptr, "#!/bin/sh\n" VB_HOOK_MARKER,
                        strlen("#!/bin/sh\n" VB_HOOK_MARKER));
}

/* The knowledge base found from `dir` (the nearest folder upward with
 * verbatim.yml), relative to the top of its working tree, where git runs
 * hooks; NULL when it is the top itself, or there is none.  The caller
 * frees the result. */
static char *kb_in_repo(const char *dir)
{
        char *found = vb_cmd_kb_root_from(dir), *kb = found ? realpath(found, NULL) : NULL;
        char *res = NULL;
        struct vb_buf top = VB_BUF_INIT;
        if (kb) {
                vb_buf_adds(&top, kb);
                for (;;) {
                        size_t len = top.len;
                        vb_buf_adds(&top, "/.git");
                        int here = access(top.ptr, F_OK) == 0;
                        vb_buf_truncate(&top, len);
                        if (here || len <= 1)
                                break;
                        while (top.len > 1 && top.ptr[top.len - 1] != '/')
                                vb_buf_truncate(&top, top.len - 1);
                        if (top.len > 1)
                                vb_buf_truncate(&top, top.len - 1);
                }
                if (top.len < strlen(kb) && kb[top.len] == '/')
                        res = vb_strdup(kb + top.len + 1);
        }
        vb_buf_release(&top);
        free(found);
        free(kb);
        return res;
}

static int install(const char *hooks, const char *kb, int force)
{
        struct vb_buf path = VB_BUF_INIT, backup = VB_BUF_INIT, old = VB_BUF_INIT,
                      script = VB_BUF_INIT;
        struct vb_diags d = VB_DIAGS_INIT;
        char *self = realpath("/proc/self/exe", NULL);
        int status = VB_EXIT_ERROR, exists;

        vb_buf_addf(&path, "%s/pre-commit", hooks);
        vb_buf_addf(&backup, "%s/pre-commit.verbatim-backup", hooks);
        vb_hook_script(&script, self ? self : "verbatim", kb);
        exists = read_file(path.ptr, &old) == 0;
        if (!exists && errno != ENOENT) {
                vb_cmd_error("hook", "cannot read %s: %s", path.ptr, strerror(errno));
                goto done;
        }
        if (exists && !is_ours(&old)) {
                if (!force) {
                        vb_cmd_error("hook",
                                     "%s exists and is not verbatim's; keep it, or use --force "
                                     "(it is moved to pre-commit.verbatim-backup)",
                                     path.ptr);
                        goto done;
                }
                if (access(backup.ptr, F_OK) == 0) {
                        vb_cmd_error("hook", "%s exists already; move it away first", backup.ptr);
                        goto done;
                }
                if (rename(path.ptr, backup.ptr) != 0) {
                        vb_cmd_error("hook", "cannot move %s aside: %s", path.ptr, strerror(errno));
                        goto done;
                }
                vb_cmd_line(stdout, "moved the old hook to %s", backup.ptr);
        }
        if (mkdir(hooks, 0777) != 0 && errno != EEXIST) {
                vb_cmd_error("hook", "cannot create %s: %s", hooks, strerror(errno));
                goto done;
        }
        if (vb_write_file_atomic(path.ptr, script.ptr, script.len, &d) != VB_OK) {
                vb_cmd_print_diags(&d, VB_FORMAT_TEXT);
                goto done;
        }
        if (chmod(path.ptr, 0755) != 0) {
                vb_cmd_error("hook", "cannot make %s executable: %s", path.ptr, strerror(errno));
                goto done;
        }
        vb_cmd_line(stdout, "installed %s (runs %s check%s%s --staged --changed-since HEAD)",
                    path.ptr, self ? self : "verbatim", kb ? " -C " : "", kb ? kb : "");
        status = VB_EXIT_OK;
done:
        free(self);
        vb_diags_release(&d);
        vb_buf_release(&path);
        vb_buf_release(&backup);
        vb_buf_release(&old);
        vb_buf_release(&script);
        return status;
}

static int uninstall(const char *hooks)
{
        struct vb_buf path = VB_BUF_INIT, backup = VB_BUF_INIT, old = VB_BUF_INIT;
        int status = VB_EXIT_ERROR;

        vb_buf_addf(&path, "%s/pre-commit", hooks);
        vb_buf_addf(&backup, "%s/pre-commit.verbatim-backup", hooks);
        if (read_file(path.ptr, &old) != 0) {
                if (errno != ENOENT) {
                        vb_cmd_error("hook", "cannot read %s: %s", path.ptr, strerror(errno));
                        goto done;
                }
                vb_cmd_line(stdout, "no pre-commit hook in %s", hooks);
                status = VB_EXIT_OK;
                goto done;
        }
        if (!is_ours(&old)) {
                vb_cmd_error("hook", "%s is not verbatim's; it is left alone", path.ptr);
                goto done;
        }
        if (unlink(path.ptr) != 0) {
                vb_cmd_error("hook", "cannot remove %s: %s", path.ptr, strerror(errno));
                goto done;
        }
        vb_cmd_line(stdout, "removed %s", path.ptr);
        if (access(backup.ptr, F_OK) == 0) {
                if (rename(backup.ptr, path.ptr) != 0) {
                        vb_cmd_error("hook", "cannot restore %s: %s", backup.ptr, strerror(errno));
                        goto done;
                }
                vb_cmd_line(stdout, "restored the earlier hook from %s", backup.ptr);
        }
        status = VB_EXIT_OK;
done:
        vb_buf_release(&path);
        vb_buf_release(&backup);
        vb_buf_release(&old);
        return status;
}

static int cmd_hook(int argc, char **argv)
{
        struct vb_cmd_getopt g;
        const char *dir = ".", *action;
        char *found = NULL;
        int force = 0, c, status;
        struct vb_buf hooks = VB_BUF_INIT;
        struct vb_diags d = VB_DIAGS_INIT;

        vb_cmd_getopt_init(&g, &vb_cmd_hook);
        while ((c = getopt_long(argc, argv, g.shorts, g.longs, NULL)) != -1) {
                switch (c) {
                case 'C':
                        dir = optarg;
                        break;
                case 'f':
                        force = 1;
                        break;
                default: /* -h, --help, or an option it does not know */
                        return vb_cmd_usage(&vb_cmd_hook, c);
                }
        }
        if (argc - optind != 1 ||
            (strcmp(argv[optind], "install") && strcmp(argv[optind], "uninstall"))) {
                vb_cmd_error("hook", argc - optind < 1
                                         ? "say install or uninstall"
                                         : "unknown action; say install or uninstall");
                vb_cmd_print_usage(stderr, &vb_cmd_hook);
                return VB_EXIT_USAGE;
        }
        action = argv[optind];
        if (!strcmp(action, "uninstall") && force) {
                vb_cmd_error("hook", "--force is for install");
                return VB_EXIT_USAGE;
        }
        if (vb_hooks_dir(&hooks, dir, &d) != VB_OK) {
                vb_cmd_print_diags(&d, VB_FORMAT_TEXT);
                status = VB_EXIT_ERROR;
        } else if (!strcmp(action, "install") && !(found = vb_cmd_kb_root_from(dir))) {
                /* the hook would refuse every commit that touches a note */
                vb_cmd_no_kb("hook");
                status = VB_EXIT_USAGE;
        } else {
                char *kb = kb_in_repo(dir);
                status = !strcmp(action, "install") ? install(hooks.ptr, kb, force)
                                                    : uninstall(hooks.ptr);
                free(kb);
        }
        free(found);
        vb_diags_release(&d);
        vb_buf_release(&hooks);
        return vb_cmd_finish(status);
}
