/* verbatim: the dispatcher.  One table maps each subcommand to its function
 * and its one-line summary; `verbatim --help` is printed from it. */
#include "cmds.h"
#include "verbatim/version.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct command {
        const char *name;
        int (*fn)(int argc, char **argv);
        const char *summary;
};

static const struct command commands[] = {
    {"check", cmd_check, "check notes against the vocabulary"},
    {"index", cmd_index, "build the phrase index of the customers' words"},
    {"phrases", cmd_phrases, "show recurring phrases, or quotes containing words"},
    {"report", cmd_report, "write the static HTML report"},
    {"history", cmd_history, "themes over the git history"},
    {"new", cmd_new, "create a note from a template"},
    {"init", cmd_init, "scaffold a knowledge base"},
    {"hook", cmd_hook, "install the git pre-commit hook"},
    {"stats", cmd_stats, "the weekly ritual at a glance"},
    {"next", cmd_next, "what to build next: problems and requests ranked"},
    {"copy", cmd_copy, "the customers' words best suited as copy, and positioning tests"},
};

static void usage(FILE *f)
{
        fputs("usage: verbatim [-C DIR] <command> [options] [args]\n\ncommands:\n", f);
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
                fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
        fputs("\n'verbatim help <command>' or 'verbatim <command> --help' shows a command's "
              "options.\n-C DIR before the command is the command's own -C DIR: the "
              "knowledge base\n(for hook, the repository; for init, the folder to work in).\n",
              f);
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

static const struct command *find(const char *name)
{
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
                if (!strcmp(commands[i].name, name))
                        return &commands[i];
        return NULL;
}

/* Runs `c` with the global -C DIR as its own -C DIR (given after it, an
 * own -C wins); init, which takes its folder as an operand, runs in DIR. */
static int run_in(const struct command *c, const char *dir, int argc, char **argv)
{
        if (!dir)
                return c->fn(argc, argv);
        if (!strcmp(c->name, "init")) {
                if (chdir(dir) != 0) {
                        vb_cmd_line(stderr, "verbatim: cannot change to '%s': %s", dir,
                                    strerror(errno));
                        return VB_EXIT_USAGE;
                }
                return c->fn(argc, argv);
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
        int status = c->fn(argc + 2, args);
        free(args);
        return status;
}

int main(int argc, char **argv)
{
        const struct command *c;
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
                return c->fn(2, hargv);
        }
        c = find(argv[1]);
        if (!c) {
                vb_cmd_line(stderr, "verbatim: '%s' is not a command; see 'verbatim --help'",
                            argv[1]);
                return VB_EXIT_USAGE;
        }
        return run_in(c, dir, argc - 1, argv + 1);
}
