/* verbatim hook: install or remove the git pre-commit hook that checks the
 * staged notes. */
#include "cmds.h"
#include "verbatim/output.h"
#include "verbatim/scaffold.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
    "usage: verbatim hook install [-C DIR] [--force]\n"
    "       verbatim hook uninstall [-C DIR]\n"
    "\n"
    "install writes the git pre-commit hook (in core.hooksPath when set, else\n"
    ".git/hooks): before every commit it runs 'verbatim check --staged', which\n"
    "reads the notes from the git index (what the commit will hold, not the\n"
    "working tree), and blocks the commit when they have errors.  The hook\n"
    "runs this verbatim binary by its absolute path (else 'verbatim' in PATH).\n"
    "A different pre-commit hook is kept unless --force, which moves it to\n"
    "pre-commit.verbatim-backup.  uninstall removes verbatim's hook and puts a\n"
    "backup back.\n"
    "\n"
    "  -C, --dir DIR   the repository (default: .)\n"
    "  -f, --force     replace a pre-commit hook that is not verbatim's\n"
    "  -h, --help      this help\n"
    "\n"
    "Exit status: 0 done, 2 usage or I/O error, or a foreign hook in the way.\n";

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

static int install(const char *hooks, int force)
{
        struct vb_buf path = VB_BUF_INIT, backup = VB_BUF_INIT, old = VB_BUF_INIT,
                      script = VB_BUF_INIT;
        struct vb_diags d = VB_DIAGS_INIT;
        char *self = realpath("/proc/self/exe", NULL);
        int status = VB_EXIT_ERROR, exists;

        vb_buf_addf(&path, "%s/pre-commit", hooks);
        vb_buf_addf(&backup, "%s/pre-commit.verbatim-backup", hooks);
        vb_hook_script(&script, self ? self : "verbatim");
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
        vb_cmd_line(stdout, "installed %s (runs %s check --staged)", path.ptr,
                    self ? self : "verbatim");
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

int cmd_hook(int argc, char **argv)
{
        static const struct option opts[] = {{"dir", required_argument, NULL, 'C'},
                                             {"force", no_argument, NULL, 'f'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
        const char *dir = ".", *action;
        int force = 0, c, status;
        struct vb_buf hooks = VB_BUF_INIT;
        struct vb_diags d = VB_DIAGS_INIT;

        optind = 1;
        while ((c = getopt_long(argc, argv, "C:fh", opts, NULL)) != -1) {
                switch (c) {
                case 'C':
                        dir = optarg;
                        break;
                case 'f':
                        force = 1;
                        break;
                default: /* -h, --help, or an option it does not know */
                        return vb_cmd_usage(usage, c == 'h');
                }
        }
        if (argc - optind != 1 ||
            (strcmp(argv[optind], "install") && strcmp(argv[optind], "uninstall"))) {
                vb_cmd_error("hook", argc - optind < 1
                                         ? "say install or uninstall"
                                         : "unknown action; say install or uninstall");
                fputs(usage, stderr);
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
        } else {
                status =
                    !strcmp(action, "install") ? install(hooks.ptr, force) : uninstall(hooks.ptr);
        }
        vb_diags_release(&d);
        vb_buf_release(&hooks);
        return vb_cmd_finish(status);
}
