#include "verbatim/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void vb_diags_add(struct vb_diags *d, const char *path, unsigned line, unsigned col,
                  enum vb_severity sev, const char *rule, const char *fmt, ...)
{
        struct vb_buf msg = VB_BUF_INIT;
        va_list ap;
        va_start(ap, fmt);
        vb_buf_vaddf(&msg, fmt, ap);
        va_end(ap);
        d->v = vb_grow_array(d->v, &d->cap, d->n + 1, sizeof(*d->v));
        struct vb_diag *x = &d->v[d->n++];
        x->path = vb_strdup(path ? path : "");
        x->line = line;
        x->col = col;
        x->severity = sev;
        x->rule = rule;
        x->message = vb_buf_detach(&msg, NULL);
        if (sev == VB_SEV_ERROR)
                d->errors++;
        else if (sev == VB_SEV_WARNING)
                d->warnings++;
}

void vb_diags_move(struct vb_diags *to, struct vb_diags *from)
{
        if (!from->n)
                return;
        to->v = vb_grow_array(to->v, &to->cap, to->n + from->n, sizeof(*to->v));
        memcpy(to->v + to->n, from->v, from->n * sizeof(*from->v));
        to->n += from->n;
        to->errors += from->errors;
        to->warnings += from->warnings;
        free(from->v);
        memset(from, 0, sizeof(*from));
}

static int diag_cmp(const struct vb_diag *a, const struct vb_diag *b)
{
        int c = strcmp(a->path, b->path);
        if (c)
                return c;
        if (a->line != b->line)
                return a->line < b->line ? -1 : 1;
        if (a->col != b->col)
                return a->col < b->col ? -1 : 1;
        return 0;
}

void vb_diags_sort(struct vb_diags *d)
{
        /* insertion sort by runs would be quadratic; a merge sort keeps it stable */
        if (d->n < 2)
                return;
        struct vb_diag *tmp = vb_malloc(d->n * sizeof(*tmp));
        for (size_t width = 1; width < d->n; width *= 2) {
                for (size_t lo = 0; lo < d->n; lo += 2 * width) {
                        size_t mid = lo + width < d->n ? lo + width : d->n;
                        size_t hi = lo + 2 * width < d->n ? lo + 2 * width : d->n;
                        size_t i = lo, j = mid, k = lo;
                        while (i < mid && j < hi)
                                tmp[k++] = diag_cmp(&d->v[j], &d->v[i]) < 0 ? d->v[j++] : d->v[i++];
                        while (i < mid)
                                tmp[k++] = d->v[i++];
                        while (j < hi)
                                tmp[k++] = d->v[j++];
                }
                memcpy(d->v, tmp, d->n * sizeof(*tmp));
        }
        free(tmp);
}

void vb_diags_release(struct vb_diags *d)
{
        for (size_t i = 0; i < d->n; i++) {
                free(d->v[i].path);
                free(d->v[i].message);
        }
        free(d->v);
        memset(d, 0, sizeof(*d));
}

const char *vb_severity_name(enum vb_severity sev)
{
        switch (sev) {
        case VB_SEV_ERROR:
                return "error";
        case VB_SEV_WARNING:
                return "warning";
        default:
                return "note";
        }
}

/* GitHub workflow commands need %, CR and LF escaped, and in properties also : and , */
static void add_github_escaped(struct vb_buf *out, const char *s, int property)
{
        for (; *s; s++) {
                switch (*s) {
                case '%':
                        vb_buf_adds(out, "%25");
                        break;
                case '\r':
                        vb_buf_adds(out, "%0D");
                        break;
                case '\n':
                        vb_buf_adds(out, "%0A");
                        break;
                case ':':
                        vb_buf_adds(out, property ? "%3A" : ":");
                        break;
                case ',':
                        vb_buf_adds(out, property ? "%2C" : ",");
                        break;
                default:
                        vb_buf_addc(out, *s);
                }
        }
}

/* One diagnostic is one line: control characters from file names and notes
 * (a newline could forge a "::error" line that CI runners obey, an escape
 * sequence could drive the terminal) are written as \n, \r, \t or \xHH. */
static void add_text_escaped(struct vb_buf *out, const char *s)
{
        vb_buf_add_visible(out, s, strlen(s));
}

void vb_diag_format(struct vb_buf *out, const struct vb_diag *d, enum vb_diag_format fmt)
{
        const char *sev = vb_severity_name(d->severity);
        switch (fmt) {
        case VB_FORMAT_TEXT:
                if (*d->path) {
                        add_text_escaped(out, d->path);
                        if (d->line) {
                                vb_buf_addf(out, ":%u", d->line);
                                if (d->col)
                                        vb_buf_addf(out, ":%u", d->col);
                        }
                        vb_buf_adds(out, ": ");
                }
                vb_buf_addf(out, "%s: ", sev);
                add_text_escaped(out, d->message);
                vb_buf_addf(out, " [%s]\n", d->rule);
                break;
        case VB_FORMAT_GITHUB:
                vb_buf_addf(out, "::%s ", d->severity == VB_SEV_NOTE ? "notice" : sev);
                vb_buf_adds(out, "file=");
                add_github_escaped(out, d->path, 1);
                if (d->line)
                        vb_buf_addf(out, ",line=%u", d->line);
                if (d->col)
                        vb_buf_addf(out, ",col=%u", d->col);
                vb_buf_addf(out, ",title=%s::", d->rule);
                add_github_escaped(out, d->message, 0);
                vb_buf_addc(out, '\n');
                break;
        case VB_FORMAT_JSON:
                vb_buf_adds(out, "{\"path\":");
                vb_buf_add_json(out, d->path, strlen(d->path));
                vb_buf_addf(out,
                            ",\"line\":%u,\"column\":%u,\"severity\":\"%s\",\"rule\":\"%s\","
                            "\"message\":",
                            d->line, d->col, sev, d->rule);
                vb_buf_add_json(out, d->message, strlen(d->message));
                vb_buf_addc(out, '}');
                break;
        }
}

size_t vb_edit_distance(const char *a, const char *b, size_t max)
{
        size_t la = strlen(a), lb = strlen(b);
        if ((la > lb ? la - lb : lb - la) > max || la > 256 || lb > 256)
                return max + 1;
        size_t row[257];
        for (size_t j = 0; j <= lb; j++)
                row[j] = j;
        for (size_t i = 1; i <= la; i++) {
                size_t diag = row[0], best;
                row[0] = i;
                best = row[0];
                for (size_t j = 1; j <= lb; j++) {
                        size_t up = row[j];
                        size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
                        size_t v = diag + cost;
                        if (up + 1 < v)
                                v = up + 1;
                        if (row[j - 1] + 1 < v)
                                v = row[j - 1] + 1;
                        row[j] = v;
                        diag = up;
                        if (v < best)
                                best = v;
                }
                if (best > max)
                        return max + 1;
        }
        return row[lb] > max ? max + 1 : row[lb];
}
