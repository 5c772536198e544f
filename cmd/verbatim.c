/* verbatim: the dispatcher.  One table maps each subcommand to its function
 * and its one-line summary; `verbatim --help` is printed from it. */
#include "cmds.h"

#include <stdio.h>
#include <string.h>

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
};

static void usage(FILE *f)
{
        fputs("usage: verbatim <command> [options] [args]\n\ncommands:\n", f);
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
                fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
        fputs("\n'verbatim help <command>' or 'verbatim <command> --help' shows a command's "
              "options.\n",
              f);
}

static const struct command *find(const char *name)
{
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
                if (!strcmp(commands[i].name, name))
                        return &commands[i];
        return NULL;
}

int main(int argc, char **argv)
{
        const struct command *c;
        if (argc < 2) {
                usage(stderr);
                return VB_EXIT_USAGE;
        }
        if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
                usage(stdout);
                return vb_cmd_finish(VB_EXIT_OK);
        }
        if (!strcmp(argv[1], "--version")) {
                puts("verbatim " VB_VERSION);
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
        return c->fn(argc - 1, argv + 1);
}
