/* What the commands share: printing diagnostics and checked writes. */
#include "cmds.h"
#include "verbatim/version.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int vb_cmd_write(FILE *f, const char *s, size_t len)
{
        if (len && fwrite(s, 1, len, f) != len)
                return VB_EXIT_ERROR;
        return VB_EXIT_OK;
}

int vb_cmd_print_diags(const struct vb_diags *d, enum vb_diag_format fmt)
{
        struct vb_buf out = VB_BUF_INIT;
        FILE *f = fmt == VB_FORMAT_TEXT ? stderr : stdout;
        int rc;
        vb_diags_format(&out, d, fmt, vb_version);
        rc = vb_cmd_write(f, out.ptr, out.len);
        vb_buf_release(&out);
        return rc;
}

int vb_cmd_finish(int status)
{
        if (fflush(stdout) != 0 || ferror(stdout)) {
                fprintf(stderr, "verbatim: cannot write the output: %s\n", strerror(errno));
                return VB_EXIT_ERROR;
        }
        return status;
}

/* One line of `f`: the text made of `fmt`, escaped, after `prefix`. */
static void put_line(FILE *f, const char *prefix, const char *fmt, va_list ap)
{
        struct vb_buf text = VB_BUF_INIT, line = VB_BUF_INIT;
        vb_buf_vaddf(&text, fmt, ap);
        vb_buf_adds(&line, prefix);
        vb_buf_add_visible(&line, text.ptr, text.len);
        vb_buf_addc(&line, '\n');
        fwrite(line.ptr, 1, line.len, f);
        vb_buf_release(&text);
        vb_buf_release(&line);
}

void vb_cmd_error(const char *cmd, const char *fmt, ...)
{
        struct vb_buf prefix = VB_BUF_INIT;
        va_list ap;
        vb_buf_addf(&prefix, "verbatim: %s: ", cmd);
        va_start(ap, fmt);
        put_line(stderr, prefix.ptr, fmt, ap);
        va_end(ap);
        vb_buf_release(&prefix);
}

void vb_cmd_line(FILE *f, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        put_line(f, "", fmt, ap);
        va_end(ap);
}

int vb_cmd_unreadable(const struct vb_diag *x)
{
        size_t n = strlen(x->path);
        return !strcmp(x->rule, "unreadable") && !(n > 3 && !strcmp(x->path + n - 3, ".md"));
}

int vb_cmd_diag_format(const char *name)
{
        static const struct {
                const char *name;
                enum vb_diag_format fmt;
        } formats[] = {{"text", VB_FORMAT_TEXT},   {"github", VB_FORMAT_GITHUB},
                       {"json", VB_FORMAT_JSON},   {"tsv", VB_FORMAT_TSV},
                       {"sarif", VB_FORMAT_SARIF}, {"gitlab", VB_FORMAT_GITLAB}};
        for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
                if (!strcmp(name, formats[i].name))
                        return (int)formats[i].fmt;
        return -1;
}

char *vb_cmd_kb_root_from(const char *start)
{
        struct vb_buf up = VB_BUF_INIT;
        struct stat st;
        vb_buf_adds(&up, start);
        for (int depth = 0; depth < 64; depth++) {
                size_t len = up.len;
                vb_buf_adds(&up, "/verbatim.yml");
                int found = stat(up.ptr, &st) == 0;
                vb_buf_truncate(&up, len);
                if (found)
                        return vb_buf_detach(&up, NULL);
                vb_buf_adds(&up, "/.git");
                int top = stat(up.ptr, &st) == 0;
                vb_buf_truncate(&up, len);
                if (top)
                        break;
                struct stat here, parent;
                int ok = stat(up.ptr, &here) == 0;
                vb_buf_adds(&up, "/..");
                if (!ok || stat(up.ptr, &parent) != 0 ||
                    (here.st_ino == parent.st_ino && here.st_dev == parent.st_dev))
                        break; /* the file system's root */
        }
        vb_buf_release(&up);
        return NULL;
}

char *vb_cmd_kb_root(const char *dir)
{
        char *found;
        if (dir)
                return vb_strdup(dir);
        found = vb_cmd_kb_root_from(".");
        return found ? found : vb_strdup(".");
}

int vb_cmd_count_option(long *out, const char *cmd, const char *opt, const char *arg)
{
        char *end;
        *out = strtol(arg, &end, 10);
        if (*end || end == arg || *out < 0) {
                vb_cmd_error(cmd, "%s '%s' is not a count; write 0 or more", opt, arg);
                return -1;
        }
        return 0;
}

int vb_cmd_format_option(const char *cmd, const char *arg, const char *const names[])
{
        struct vb_buf list = VB_BUF_INIT;
        size_t n = 0;
        for (; names[n]; n++)
                if (!strcmp(arg, names[n]))
                        return (int)n;
        for (size_t i = 0; i < n; i++)
                vb_buf_addf(&list, "%s%s", !i ? "" : i + 1 == n ? " or " : ", ", names[i]);
        vb_cmd_error(cmd, "unknown format '%s'; use %s", arg, list.ptr);
        vb_buf_release(&list);
        return -1;
}

int vb_cmd_date_option(struct vb_date *out, const char *cmd, const char *opt, const char *arg)
{
        if (!strcmp(arg, "today")) {
                *out = vb_date_today();
                return 0;
        }
        if (vb_date_parse(out, arg) != VB_DATE_OK) {
                vb_cmd_error(cmd, "%s '%s' is not a date; write YYYY-MM-DD or today", opt, arg);
                return -1;
        }
        return 0;
}

int vb_cmd_no_operands(const struct vb_cmd_spec *spec, int argc, char **argv, int first)
{
        if (first >= argc)
                return VB_EXIT_OK;
        vb_cmd_error(spec->name, "unexpected argument '%s'", argv[first]);
        vb_cmd_print_usage(stderr, spec);
        return VB_EXIT_USAGE;
}

/* `full` (absolute) relative to the folder `cwd` (absolute). */
static char *relative_to(const char *cwd, const char *full)
{
        struct vb_buf out = VB_BUF_INIT;
        size_t i = 0, last = 0;
        while (cwd[i] && cwd[i] == full[i]) {
                if (cwd[i] == '/')
                        last = i;
                i++;
        }
        if (!cwd[i] && full[i] == '/')
                last = i; /* cwd holds full */
        for (const char *p = cwd + last; *p; p++)
                if (*p == '/' && p[1])
                        vb_buf_adds(&out, "../");
        vb_buf_adds(&out, full + last + (full[last] == '/'));
        return vb_buf_detach(&out, NULL);
}

void vb_cmd_paths_from_cwd(struct vb_diags *d, const char *root)
{
        char *abs_root = realpath(root, NULL), *cwd = getcwd(NULL, 0);
        struct vb_buf full = VB_BUF_INIT;
        if (abs_root && cwd && strcmp(abs_root, cwd)) {
                for (size_t i = 0; i < d->n; i++) {
                        if (!*d->v[i].path || d->v[i].path[0] == '/')
                                continue;
                        vb_buf_reset(&full);
                        vb_buf_addf(&full, "%s/%s", strcmp(abs_root, "/") ? abs_root : "",
                                    d->v[i].path);
                        free(d->v[i].path);
                        d->v[i].path = relative_to(cwd, full.ptr);
                }
        }
        vb_buf_release(&full);
        free(abs_root);
        free(cwd);
}

void vb_cmd_no_kb(const char *cmd)
{
        vb_cmd_error(cmd, "no verbatim.yml here or above; run 'verbatim init' to start a "
                          "knowledge base, or give its folder with -C");
}

char *vb_cmd_find_kb(const char *cmd, const char *dir)
{
        char *root = dir ? vb_strdup(dir) : vb_cmd_kb_root_from(".");
        if (!root)
                vb_cmd_no_kb(cmd);
        return root;
}

int vb_cmd_open_root(struct vb_source **src, const char *root, const char *rev, int staged,
                     struct vb_diags *d)
{
        return rev      ? vb_source_open_rev(src, root, rev, d)
               : staged ? vb_source_open_index(src, root, d)
                        : vb_source_open_dir(src, root, d);
}

int vb_cmd_open_source(struct vb_source **src, char **root, const char *cmd, const char *dir,
                       const char *rev, int staged, struct vb_diags *d)
{
        int rc;
        *src = NULL;
        *root = NULL;
        if (rev && staged) {
                vb_cmd_error(cmd, "--rev and --staged exclude each other");
                return VB_EXIT_USAGE;
        }
        if (!(*root = vb_cmd_find_kb(cmd, dir)))
                return VB_EXIT_USAGE;
        rc = vb_cmd_open_root(src, *root, rev, staged, d);
        if (rc == VB_OK)
                return VB_EXIT_OK;
        vb_cmd_print_diags(d, VB_FORMAT_TEXT);
        vb_diags_release(d);
        free(*root);
        *root = NULL;
        return VB_EXIT_ERROR;
}

int vb_cmd_load_kb(const char *cmd, const char *dir, const struct vb_kb_options *opt,
                   struct vb_source **src, struct vb_kb **kb, struct vb_diags *d)
{
        char *root = NULL;
        int status = vb_cmd_open_source(src, &root, cmd, dir, NULL, 0, d);
        *kb = NULL;
        if (status != VB_EXIT_OK)
                return status; /* said */
        if (vb_kb_load(kb, *src, opt, d) != VB_OK) {
                vb_cmd_print_diags(d, VB_FORMAT_TEXT);
                status = VB_EXIT_ERROR;
        }
        /* a knowledge base read in part would give numbers silently short */
        for (size_t i = 0; status == VB_EXIT_OK && i < d->n; i++) {
                struct vb_buf out = VB_BUF_INIT;
                if (!vb_cmd_unreadable(&d->v[i]))
                        continue;
                for (size_t k = i; k < d->n; k++)
                        if (vb_cmd_unreadable(&d->v[k]))
                                vb_diag_format(&out, &d->v[k], VB_FORMAT_TEXT);
                fputs(out.ptr, stderr);
                vb_buf_release(&out);
                status = VB_EXIT_ERROR;
        }
        free(root);
        return status;
}

int vb_cmd_filter_option(struct vb_agg_filter *f, int c, const char *arg)
{
        switch (c) {
        case 's':
                f->segment = arg;
                return 1;
        case 't':
                f->tier = arg;
                return 1;
        case 'p':
                f->product = arg;
                return 1;
        case 'l':
                f->line = arg;
                return 1;
        default:
                return 0;
        }
}

/* A filter value that the vocabulary does not know: 0 after saying so. */
static int known(const char *cmd, const char *what, const char *value, int ok, const char *hint)
{
        if (!ok)
                vb_cmd_error(cmd, "unknown %s '%s'; %s", what, value, hint);
        return ok;
}

int vb_cmd_check_filter(const char *cmd, const struct vb_vocab *v, const struct vb_agg_filter *f)
{
        int ok = 1;
        if (f->segment && v->has_segments)
                ok &= known(cmd, "segment", f->segment,
                            vb_vocab_segment(v, f->segment) || !strcmp(f->segment, "unknown"),
                            "use a key of segments: in verbatim.yml");
        if (f->product && v->has_products)
                ok &= known(cmd, "product", f->product, vb_vocab_product(v, f->product) != NULL,
                            "use a key of products: in verbatim.yml");
        if (f->line && v->has_products) {
                int found = 0;
                for (size_t i = 0; i < v->nproducts; i++)
                        found |= v->products[i].line && !strcmp(v->products[i].line, f->line);
                ok &= known(cmd, "product line", f->line, found,
                            "use a line: of products: in verbatim.yml");
        }
        if (f->tier) {
                int found = !strcmp(f->tier, "unknown");
                for (size_t i = 0; i < v->nltv_tiers; i++)
                        found |= !strcmp(v->ltv_tiers[i].label, f->tier);
                ok &=
                    known(cmd, "LTV tier", f->tier, found, "use a label of ltv-tiers: or unknown");
        }
        return ok ? VB_EXIT_OK : VB_EXIT_USAGE;
}
