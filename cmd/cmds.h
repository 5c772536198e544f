/* The subcommands of the verbatim binary: one file each in cmd/. */
#ifndef VERBATIM_CMDS_H
#define VERBATIM_CMDS_H

#include "verbatim/agg.h"
#include "verbatim/date.h"
#include "verbatim/diag.h"
#include "verbatim/kb.h"

#include <stdio.h>

int cmd_check(int argc, char **argv);
int cmd_index(int argc, char **argv);
int cmd_phrases(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_new(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_hook(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_next(int argc, char **argv);
int cmd_copy(int argc, char **argv);

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
/* The end of an option loop's -h or unknown option: the usage on stdout and
 * exit 0 when `help`, else on stderr and VB_EXIT_USAGE. */
int vb_cmd_usage(const char *usage, int help);
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
 * (argv[optind] on), else prints what is wrong and `usage`, and returns
 * VB_EXIT_USAGE. */
int vb_cmd_no_operands(const char *cmd, int argc, char **argv, int first, const char *usage);
/* Parses the date argument of an option ("--since", "--as-of"): YYYY-MM-DD or
 * "today" (UTC, or SOURCE_DATE_EPOCH); 0, or -1 after printing what is wrong. */
int vb_cmd_date_option(struct vb_date *out, const char *cmd, const char *opt, const char *arg);
/* The folder of the knowledge base: `dir` (-C) when given, else the nearest
 * folder at or above the current one that holds verbatim.yml (not above the
 * top of a git work tree); NULL after saying so ("no verbatim.yml here or
 * above; run verbatim init") when there is none.  The caller frees it. */
char *vb_cmd_find_kb(const char *cmd, const char *dir);
/* The knowledge base of a command: `dir` (-C) when given, else the nearest
 * folder at or above the current one that holds verbatim.yml.  Outside any
 * knowledge base it says so ("no verbatim.yml here or above; run verbatim
 * init") and returns VB_EXIT_USAGE; when it cannot be read it prints why and
 * returns VB_EXIT_ERROR.  On VB_EXIT_OK the caller frees *src and *kb. */
int vb_cmd_load_kb(const char *cmd, const char *dir, const struct vb_kb_options *opt,
                   struct vb_source **src, struct vb_kb **kb, struct vb_diags *d);
/* The options that choose calls (stats, next, copy): --segment, --tier,
 * --product, --line, as getopt_long entries 's', 't', 'p', 'l'. */
/* clang-format off */
#define VB_CMD_FILTER_OPTIONS \
        {"segment", required_argument, NULL, 's'}, {"tier", required_argument, NULL, 't'}, \
        {"product", required_argument, NULL, 'p'}, {"line", required_argument, NULL, 'l'}
/* clang-format on */
/* 1 if getopt's `c` is one of VB_CMD_FILTER_OPTIONS (its value now in `f`). */
int vb_cmd_filter_option(struct vb_agg_filter *f, int c, const char *arg);
/* VB_EXIT_OK when the vocabulary knows every value of `f`; else says which
 * is unknown and what to use, and returns VB_EXIT_USAGE. */
int vb_cmd_check_filter(const char *cmd, const struct vb_vocab *v, const struct vb_agg_filter *f);
/* Whether `x` says the knowledge base could not be read: its folder, a notes
 * folder, verbatim.yml or roadmap.yml (rule `unreadable`, on a path that is
 * not a note's).  That is an I/O error (exit 2), not a finding; an
 * unreadable note is a finding about that note. */
int vb_cmd_unreadable(const struct vb_diag *x);
/* Parses a count option ("--limit"): 0 or more; 0, or -1 after printing
 * what is wrong. */
int vb_cmd_count_option(long *out, const char *cmd, const char *opt, const char *arg);
/* Parses --format=NAME for diagnostics; -1 when unknown. */
int vb_cmd_diag_format(const char *name);

#endif
