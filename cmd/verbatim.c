/* verbatim: the dispatcher.  One table maps each subcommand to its function
 * and its one-line summary; `verbatim --help` is printed from it. */
#include "cmds.h"
#include "verbatim/version.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The command table: each row (struct vb_cmd_spec, in the command's own
 * file) gives the command's function, summary, set-up flags and options. */
static const struct vb_cmd_spec *const commands[] = {
    &vb_cmd_check, &vb_cmd_index, &vb_cmd_phrases, &vb_cmd_report, &vb_cmd_history, &vb_cmd_new,
    &vb_cmd_init,  &vb_cmd_hook,  &vb_cmd_stats,   &vb_cmd_next,   &vb_cmd_copy,
};

static void usage(FILE *f)
{
        fputs("usage: verbatim [-C DIR] <command> [options] [args]\n\ncommands:\n", f);
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
                fprintf(f, "  %-9s %s\n", commands[i]->name, commands[i]->summary);
        fputs("\n'verbatim help <command>' or 'verbatim <command> --help' shows a command's "
              "options.\n-C DIR before the command is the command's own -C DIR: the "
              "knowledge base\n(for hook, the repository; for init, the folder to work in).\n",
              f);
}

/* The command table, one command a line with its set-up flags: "check\tkb
 * rev staged" (hidden: tests/cli/setup.sh runs each command by them). */
static void list_commands(void)
{
        static const struct {
                unsigned flag;
                const char *name;
        } flags[] = {{VB_SETUP_KB, "kb"},
                     {VB_SETUP_WORKTREE, "worktree"},
                     {VB_SETUP_REV, "rev"},
                     {VB_SETUP_STAGED, "staged"}};
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
                const char *sep = "\t";
                fputs(commands[i]->name, stdout);
                for (size_t k = 0; k < sizeof(flags) / sizeof(flags[0]); k++)
                        if (commands[i]->setup & flags[k].flag) {
                                printf("%s%s", sep, flags[k].name);
                                sep = " ";
                        }
                putchar('\n');
        }
}

/* verbatim's version, then the libraries' it runs with */
static void print_version(void)
{
        struct vb_versions v;
        vb_versions_get(&v);
        printf("verbatim %s\n", vb_version);
        printf("md4c %s\n", v.md4c ? v.md4c : "(version unknown)");
        printf("libyaml %s\n", v.libyaml);
        printf("libgit2 %s\n", v.libgit2[0] ? v.libgit2 : "not loaded");
        printf("utf8proc %s\n", v.utf8proc);
}

static const struct vb_cmd_spec *find(const char *name)
{
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
                if (!strcmp(commands[i]->name, name))
                        return commands[i];
        return NULL;
}

/* Runs `c` with the global -C DIR as its own -C DIR (given after it, an
 * own -C wins); a command without -C (init, which takes its folder as an
 * operand) runs in DIR. */
static int run_in(const struct vb_cmd_spec *c, const char *dir, int argc, char **argv)
{
        if (!dir)
                return c->run(argc, argv);
        if (!(c->setup & VB_SETUP_KB)) {
                if (chdir(dir) != 0) {
                        vb_cmd_line(stderr, "verbatim: cannot change to '%s': %s", dir,
                                    strerror(errno));
                        return VB_EXIT_USAGE;
                }
                return c->run(argc, argv);
        }
        char **args = calloc((size_t)argc + 3, sizeof(*args));
        if (!args) {
                fputs("verbatim: out of memory\n", stderr);
                return VB_EXIT_ERROR;
        }
        args[0] = argv[0];
        args[1] = "-C";
        args[2] = (char *)dir;
        for (int i = 1; i < argc; i++)
                args[i + 2] = argv[i];
        int status = c->run(argc + 2, args);
        free(args);
        return status;
}

int main(int argc, char **argv)
{
        const struct vb_cmd_spec *c;
        const char *dir = NULL;
        while (argc >= 2 && !strncmp(argv[1], "-C", 2)) { /* -C DIR or -CDIR */
                int used = argv[1][2] ? 1 : 2;
                if (argc <= used) {
                        fputs("verbatim: -C needs a folder and a command: verbatim -C DIR "
                              "<command>\n",
                              stderr);
                        return VB_EXIT_USAGE;
                }
                dir = used == 1 ? argv[1] + 2 : argv[2];
                argv[used] = argv[0];
                argv += used;
                argc -= used;
        }
        if (argc < 2) {
                usage(stderr);
                return VB_EXIT_USAGE;
        }
        if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
                usage(stdout);
                return vb_cmd_finish(VB_EXIT_OK);
        }
        if (!strcmp(argv[1], "--list-commands")) { /* for tests/cli/setup.sh */
                list_commands();
                return vb_cmd_finish(VB_EXIT_OK);
        }
        if (!strcmp(argv[1], "--version")) {
                print_version();
                return vb_cmd_finish(VB_EXIT_OK);
        }
        if (!strcmp(argv[1], "help")) {
                if (argc < 3) {
                        usage(stdout);
                        return vb_cmd_finish(VB_EXIT_OK);
                }
                c = find(argv[2]);
                if (!c) {
                        vb_cmd_line(stderr,
                                    "verbatim: '%s' is not a command; see 'verbatim --help'",
                                    argv[2]);
                        return VB_EXIT_USAGE;
                }
                char *hargv[] = {argv[2], "--help", NULL};
                return c->run(2, hargv);
        }
        c = find(argv[1]);
        if (!c) {
                vb_cmd_line(stderr, "verbatim: '%s' is not a command; see 'verbatim --help'",
                            argv[1]);
                return VB_EXIT_USAGE;
        }
        return run_in(c, dir, argc - 1, argv + 1);
}
