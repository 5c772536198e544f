/* What the commands share: printing diagnostics and checked writes. */
#include "cmds.h"
#include "verbatim/version.h"

#include <errno.h>
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

int vb_cmd_usage(const char *usage, int help)
{
        fputs(usage, help ? stdout : stderr);
        return help ? vb_cmd_finish(VB_EXIT_OK) : VB_EXIT_USAGE;
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

int vb_cmd_no_operands(const char *cmd, int argc, char **argv, int first, const char *usage)
{
        if (first >= argc)
                return VB_EXIT_OK;
        vb_cmd_error(cmd, "unexpected argument '%s'", argv[first]);
        fputs(usage, stderr);
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
