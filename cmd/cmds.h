/* The subcommands of the verbatim binary: one file each in cmd/. */
#ifndef VERBATIM_CMDS_H
#define VERBATIM_CMDS_H

#include "verbatim/agg.h"
#include "verbatim/date.h"
#include "verbatim/diag.h"
#include "verbatim/kb.h"

#include <getopt.h>
#include <stdio.h>

/* What a command needs set up before it runs: the flags of its row in the
 * command table (struct vb_cmd_spec's `setup`). */
enum vb_cmd_setup {
        /* works on a knowledge base: -C DIR, else the nearest folder at or
         * above the current one with verbatim.yml; outside any it says so
         * (vb_cmd_find_kb) and exits 2 */
        VB_SETUP_KB = 1 << 0,
        /* writes into the knowledge base's work tree or its repository (a
         * note, the report, the index, the hook), wherever it is run from:
         * never into the folder it was run from (tests/cli/setup.sh holds
         * every such command to it) */
        VB_SETUP_WORKTREE = 1 << 1,
        /* may take --rev REV: the notes of a git revision (vb_cmd_open_source) */
        VB_SETUP_REV = 1 << 2,
        /* may take --staged: the notes of the git index (vb_cmd_open_source) */
        VB_SETUP_STAGED = 1 << 3
};

/* One option of a command's table: it gives getopt_long's arrays (see
 * struct vb_cmd_getopt) and a line of the usage, so the two cannot differ. */
struct vb_cmd_opt {
        int val;          /* what getopt_long returns for it */
        int letter;       /* 1 when `val` is also its short option (-X) */
        const char *name; /* the long option, without "--" */
        const char *arg;  /* the argument's name in the usage; NULL: none */
        const char *help; /* the usage's text; each '\n' starts a line below */
};
/* -X, --name: `c` is both the short option and getopt's value */
#define VB_CMD_OPT(c, name, arg, help)                                                             \
        {                                                                                          \
                (c), 1, (name), (arg), (help)                                                      \
        }
/* --name only: getopt_long returns `c`, which is no short option */
#define VB_CMD_LONG(c, name, arg, help)                                                            \
        {                                                                                          \
                (c), 0, (name), (arg), (help)                                                      \
        }
/* The options every command with VB_SETUP_KB, REV or STAGED declares with
 * these rows (vb_cmd_getopt_init checks that they match the flags). */
#define VB_CMD_OPT_DIR(help) VB_CMD_OPT('C', "dir", "DIR", (help))
#define VB_CMD_DIR_HELP                                                                            \
        "the knowledge base (default: the nearest folder with\n"                                   \
        "verbatim.yml at or above the current one)"
#define VB_CMD_OPT_REV(help)    VB_CMD_LONG(VB_CMD_REV, "rev", "REV", (help))
#define VB_CMD_OPT_STAGED(help) VB_CMD_LONG(VB_CMD_STAGED, "staged", NULL, (help))
enum { VB_CMD_REV = 0x100, VB_CMD_STAGED, VB_CMD_LIST_OPTIONS };

/* A row of the command table (cmd/verbatim.c): the command, its set-up and
 * its options.  Its usage is printed from it: "usage: " and `synopsis`, a
 * blank line, `about`, a blank line, one line per option and then -h,
 * --help (the option's help at `column`, or two spaces after the longest
 * option when 0), a blank line, `after`. */
struct vb_cmd_spec {
        const char *name;
        int (*run)(int argc, char **argv);
        const char *summary; /* its line in verbatim --help */
        unsigned setup;      /* enum vb_cmd_setup */
        const char *synopsis, *about, *after;
        const struct vb_cmd_opt *options; /* ended by a row of zeros */
        int column;
};

extern const struct vb_cmd_spec vb_cmd_check, vb_cmd_index, vb_cmd_phrases, vb_cmd_report,
    vb_cmd_history, vb_cmd_new, vb_cmd_init, vb_cmd_hook, vb_cmd_stats, vb_cmd_next, vb_cmd_copy;

/* getopt_long's arrays built from a command's table, with -h, --help and the
 * hidden --list-options added. */
enum { VB_CMD_MAX_OPTIONS = 32 };
struct vb_cmd_getopt {
        struct option longs[VB_CMD_MAX_OPTIONS + 3];
        char shorts[2 * VB_CMD_MAX_OPTIONS + 3];
};
/* Fills `g` from `spec`'s table and resets getopt (optind = 1).  A table at
 * odds with its set-up flags (VB_SETUP_REV without the --rev row ...) or
 * too long is a programming error: it says so and aborts. */
void vb_cmd_getopt_init(struct vb_cmd_getopt *g, const struct vb_cmd_spec *spec);
/* Prints `spec`'s usage to `f`. */
void vb_cmd_print_usage(FILE *f, const struct vb_cmd_spec *spec);
/* The end of an option loop, for getopt's value `c` that the command does not
 * handle: -h gives the usage on stdout and exit 0; --list-options the table,
 * one option a line ("-C\t--dir\tDIR", an empty field when there is none),
 * and exit 0; anything else the usage on stderr and VB_EXIT_USAGE. */
int vb_cmd_usage(const struct vb_cmd_spec *spec, int c);

/* Shared by the commands (cmd/common.c). */

/* Prints every diagnostic of `d` to stderr (json and github go to stdout). */
int vb_cmd_print_diags(const struct vb_diags *d, enum vb_diag_format fmt);
/* Rewrites the paths of `d`, relative to the knowledge base at `root` (as
 * the library gives them), to be relative to the current folder, as editors
 * expect when the knowledge base was found above it. */
void vb_cmd_paths_from_cwd(struct vb_diags *d, const char *root);
/* Writes `len` bytes to `f` and reports a failed write (full disk, closed
 * pipe); returns VB_EXIT_ERROR on failure. */
int vb_cmd_write(FILE *f, const char *s, size_t len);
/* Flushes and checks stdout before exit: a short write is an error. */
int vb_cmd_finish(int status);
/* Prints "verbatim: CMD: message" and a newline to stderr, control
 * characters of the message escaped (vb_buf_add_visible): file names and
 * values from notes reach the terminal only that way. */
void vb_cmd_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints one line of text for people (a message with a path in it) to `f`:
 * the formatted text with its control characters escaped, then a newline. */
void vb_cmd_line(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The knowledge base to work on: `dir` when given (-C), else the nearest
 * folder at or above the current one that holds verbatim.yml, not crossing
 * the top of a git working tree; "." when there is none.  The caller frees
 * the result. */
char *vb_cmd_kb_root(const char *dir);
/* The nearest folder at or above `start` that holds verbatim.yml, not
 * crossing the top of a git working tree, as a path from `start`'s
 * ("start/../.."); NULL when there is none.  The caller frees the result. */
char *vb_cmd_kb_root_from(const char *start);
/* For commands that take no operands: 0 when none is left after the options
 * (argv[optind] on), else prints what is wrong and the usage, and returns
 * VB_EXIT_USAGE. */
int vb_cmd_no_operands(const struct vb_cmd_spec *spec, int argc, char **argv, int first);
/* Parses the date argument of an option ("--since", "--as-of"): YYYY-MM-DD or
 * "today" (UTC, or SOURCE_DATE_EPOCH); 0, or -1 after printing what is wrong. */
int vb_cmd_date_option(struct vb_date *out, const char *cmd, const char *opt, const char *arg);
/* The folder of the knowledge base: `dir` (-C) when given, else the nearest
 * folder at or above the current one that holds verbatim.yml (not above the
 * top of a git work tree); NULL after saying so ("no verbatim.yml here or
 * above; run verbatim init") when there is none.  The caller frees it. */
char *vb_cmd_find_kb(const char *cmd, const char *dir);
/* Says "verbatim: CMD: no verbatim.yml here or above; run 'verbatim init' ..." */
void vb_cmd_no_kb(const char *cmd);
/* The knowledge base of a command: `dir` (-C) when given, else the nearest
 * folder at or above the current one that holds verbatim.yml.  Outside any
 * knowledge base it says so ("no verbatim.yml here or above; run verbatim
 * init") and returns VB_EXIT_USAGE; when it cannot be read it prints why and
 * returns VB_EXIT_ERROR.  On VB_EXIT_OK the caller frees *src and *kb. */
int vb_cmd_load_kb(const char *cmd, const char *dir, const struct vb_kb_options *opt,
                   struct vb_source **src, struct vb_kb **kb, struct vb_diags *d);
/* The rows of the options that choose calls (stats, next, copy, phrases):
 * --segment, --tier, --product, --line, whose values vb_cmd_filter_option
 * takes. */
#define VB_CMD_OPT_SEGMENT(help) VB_CMD_LONG('s', "segment", "KEY", (help))
#define VB_CMD_OPT_TIER(help)    VB_CMD_LONG('t', "tier", "LABEL", (help))
#define VB_CMD_OPT_PRODUCT(help) VB_CMD_LONG('p', "product", "ID", (help))
#define VB_CMD_OPT_LINE(help)    VB_CMD_LONG('l', "line", "LINE", (help))
/* 1 if getopt's `c` is one of the VB_CMD_OPT_SEGMENT ... rows (its value now
 * in `f`). */
int vb_cmd_filter_option(struct vb_agg_filter *f, int c, const char *arg);
/* VB_EXIT_OK when the vocabulary knows every value of `f`; else says which
 * is unknown and what to use, and returns VB_EXIT_USAGE. */
int vb_cmd_check_filter(const char *cmd, const struct vb_vocab *v, const struct vb_agg_filter *f);
/* The source of the notes of a command with VB_SETUP_KB: the knowledge base
 * found as vb_cmd_find_kb does (its folder in *root), opened at the git
 * revision `rev` when given, else from the git index when `staged`, else
 * from its files.  Else it says what is wrong (outside any knowledge base,
 * both --rev and --staged, or the diagnostics of `d` when the source cannot
 * be opened; `d` is then emptied) and returns VB_EXIT_USAGE or
 * VB_EXIT_ERROR.  On VB_EXIT_OK the caller frees *src and *root. */
int vb_cmd_open_source(struct vb_source **src, char **root, const char *cmd, const char *dir,
                       const char *rev, int staged, struct vb_diags *d);
/* The same for a knowledge base already found at `root` (check's PATHs each
 * find their own): VB_OK, or the library's status with what is wrong in `d`. */
int vb_cmd_open_root(struct vb_source **src, const char *root, const char *rev, int staged,
                     struct vb_diags *d);
/* Whether `x` says the knowledge base could not be read: its folder, a notes
 * folder, verbatim.yml or roadmap.yml (rule `unreadable`, on a path that is
 * not a note's).  That is an I/O error (exit 2), not a finding; an
 * unreadable note is a finding about that note. */
int vb_cmd_unreadable(const struct vb_diag *x);
/* Parses a count option ("--limit"): 0 or more; 0, or -1 after printing
 * what is wrong. */
int vb_cmd_count_option(long *out, const char *cmd, const char *opt, const char *arg);
/* Parses --format: the index of `arg` in `names` (NULL-terminated), or -1
 * after printing "unknown format 'x'; use a, b or c" (the names in order). */
int vb_cmd_format_option(const char *cmd, const char *arg, const char *const names[]);
/* Parses --format=NAME for diagnostics; -1 when unknown. */
int vb_cmd_diag_format(const char *name);

#endif
