/* Options as data: each command's table of options (struct vb_cmd_opt)
 * builds getopt_long's arrays and prints the usage, so the two cannot drift;
 * the hidden --list-options prints the table for tests/cli/man.sh, which
 * holds each man page to it. */
#include "cmds.h"

#include <stdlib.h>
#include <string.h>

static const struct vb_cmd_opt help_row = VB_CMD_OPT('h', "help", NULL, "this help");

/* Aborts on a table at odds with the code: a programming error. */
static void bad_table(const struct vb_cmd_spec *spec, const char *what)
{
        fprintf(stderr, "verbatim: %s: its option table %s\n", spec->name, what);
        abort();
}

static const struct vb_cmd_opt *find_val(const struct vb_cmd_spec *spec, int val)
{
        for (const struct vb_cmd_opt *o = spec->options; o && o->name; o++)
                if (o->val == val)
                        return o;
        return NULL;
}

void vb_cmd_getopt_init(struct vb_cmd_getopt *g, const struct vb_cmd_spec *spec)
{
        size_t n = 0, s = 0;
        memset(g, 0, sizeof(*g));
        if (!(spec->setup & VB_SETUP_KB) != !find_val(spec, 'C'))
                bad_table(spec, "and VB_SETUP_KB disagree on -C");
        if (!(spec->setup & VB_SETUP_REV) != !find_val(spec, VB_CMD_REV))
                bad_table(spec, "and VB_SETUP_REV disagree on --rev");
        if (!(spec->setup & VB_SETUP_STAGED) != !find_val(spec, VB_CMD_STAGED))
                bad_table(spec, "and VB_SETUP_STAGED disagree on --staged");
        for (const struct vb_cmd_opt *o = spec->options; o && o->name; o++) {
                if (n == VB_CMD_MAX_OPTIONS)
                        bad_table(spec, "is longer than VB_CMD_MAX_OPTIONS");
                g->longs[n++] = (struct option){o->name, o->arg ? required_argument : no_argument,
                                                NULL, o->val};
                if (o->letter) {
                        g->shorts[s++] = (char)o->val;
                        if (o->arg)
                                g->shorts[s++] = ':';
                }
        }
        g->longs[n++] = (struct option){"help", no_argument, NULL, 'h'};
        g->longs[n++] = (struct option){"list-options", no_argument, NULL, VB_CMD_LIST_OPTIONS};
        g->shorts[s++] = 'h';
        optind = 1;
}

/* "  -X, --name ARG" or "      --name ARG" */
static size_t add_flags(struct vb_buf *b, const struct vb_cmd_opt *o)
{
        size_t start = b->len;
        if (o->letter)
                vb_buf_addf(b, "  -%c, --%s", o->val, o->name);
        else
                vb_buf_addf(b, "      --%s", o->name);
        if (o->arg)
                vb_buf_addf(b, " %s", o->arg);
        return b->len - start;
}

/* One option's lines: its flags, then its help at `column`, each '\n' of
 * the help starting a line indented to `column`. */
static void add_row(struct vb_buf *b, const struct vb_cmd_opt *o, size_t column)
{
        size_t w = add_flags(b, o);
        const char *h = o->help;
        /* at `column`, or two spaces after flags too long for it */
        for (size_t pad = w + 2 <= column ? column - w : 2; pad; pad--)
                vb_buf_addc(b, ' ');
        for (;;) {
                const char *nl = strchr(h, '\n');
                vb_buf_add(b, h, nl ? (size_t)(nl - h) : strlen(h));
                vb_buf_addc(b, '\n');
                if (!nl)
                        break;
                h = nl + 1;
                for (size_t i = 0; i < column; i++)
                        vb_buf_addc(b, ' ');
        }
}

void vb_cmd_print_usage(FILE *f, const struct vb_cmd_spec *spec)
{
        struct vb_buf b = VB_BUF_INIT, flags = VB_BUF_INIT;
        size_t column = (size_t)spec->column;
        if (!column) {
                for (const struct vb_cmd_opt *o = spec->options; o && o->name; o++) {
                        vb_buf_reset(&flags);
                        size_t w = add_flags(&flags, o) + 2;
                        column = w > column ? w : column;
                }
                vb_buf_reset(&flags);
                size_t w = add_flags(&flags, &help_row) + 2;
                column = w > column ? w : column;
        }
        vb_buf_addf(&b, "usage: %s\n\n", spec->synopsis);
        if (spec->about)
                vb_buf_addf(&b, "%s\n", spec->about);
        for (const struct vb_cmd_opt *o = spec->options; o && o->name; o++)
                add_row(&b, o, column);
        add_row(&b, &help_row, column);
        if (spec->after)
                vb_buf_addf(&b, "\n%s", spec->after);
        fwrite(b.ptr, 1, b.len, f);
        vb_buf_release(&b);
        vb_buf_release(&flags);
}

static void list_options(const struct vb_cmd_spec *spec)
{
        for (const struct vb_cmd_opt *o = spec->options; o && o->name; o++) {
                if (o->letter)
                        printf("-%c", o->val);
                printf("\t--%s\t%s\n", o->name, o->arg ? o->arg : "");
        }
        printf("-h\t--help\t\n");
}

int vb_cmd_usage(const struct vb_cmd_spec *spec, int c)
{
        if (c == VB_CMD_LIST_OPTIONS) {
                list_options(spec);
                return vb_cmd_finish(VB_EXIT_OK);
        }
        vb_cmd_print_usage(c == 'h' ? stdout : stderr, spec);
        return c == 'h' ? vb_cmd_finish(VB_EXIT_OK) : VB_EXIT_USAGE;
}
