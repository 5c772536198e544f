/* Diagnostics: what is wrong, where, and how to fix it.
 *
 * Library functions never print: they append to a struct vb_diags, and the
 * commands in cmd/ print them (vb_diag_format) in the gcc format
 * `path:line:col: error: message [rule-id]` that editors and CI understand. */
#ifndef VERBATIM_DIAG_H
#define VERBATIM_DIAG_H

#include "verbatim/buf.h"

#include <stddef.h>

/* Exit codes of every command. */
enum { VB_EXIT_OK = 0, VB_EXIT_FINDINGS = 1, VB_EXIT_USAGE = 2, VB_EXIT_ERROR = 2 };

/* Status codes of library functions: 0 is success. */
enum {
        VB_OK = 0,
        VB_ERR = -1,    /* the input is wrong: see the diagnostics */
        VB_ERR_IO = -2, /* a file or repository could not be read or written */
        VB_ERR_NOTFOUND = -3,
        VB_ERR_EXISTS = -4,
};

enum vb_severity { VB_SEV_ERROR, VB_SEV_WARNING, VB_SEV_NOTE };

struct vb_diag {
        char *path;    /* owned; may be "" for diagnostics about no file */
        unsigned line; /* 1-based; 0 when the whole file is meant */
        unsigned col;  /* 1-based; 0 when the whole line is meant */
        enum vb_severity severity;
        const char *rule; /* static string: the rule id, e.g. "unknown-tag" */
        char *message;    /* owned; lower-case, no trailing period */
};

struct vb_diags {
        struct vb_diag *v;
        size_t n, cap;
        size_t errors, warnings;
};

#define VB_DIAGS_INIT                                                                              \
        {                                                                                          \
                0, 0, 0, 0, 0                                                                      \
        }

void vb_diags_add(struct vb_diags *d, const char *path, unsigned line, unsigned col,
                  enum vb_severity sev, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* Moves every diagnostic of `from` to the end of `to`; `from` is left empty. */
void vb_diags_move(struct vb_diags *to, struct vb_diags *from);
/* Stable sort by path, line, column. */
void vb_diags_sort(struct vb_diags *d);
void vb_diags_release(struct vb_diags *d);

const char *vb_severity_name(enum vb_severity sev);

enum vb_diag_format {
        VB_FORMAT_TEXT,   /* path:line:col: severity: message [rule] */
        VB_FORMAT_GITHUB, /* GitHub Actions workflow commands (annotations) */
        VB_FORMAT_JSON,   /* an array of {path, line, column, severity, rule, message} */
        VB_FORMAT_TSV,    /* path, line, column, severity, rule, message */
        VB_FORMAT_SARIF,  /* SARIF 2.1.0, for code scanning */
        VB_FORMAT_GITLAB, /* a GitLab code quality report */
};

/* Appends one diagnostic as a line (text, github, tsv) or a JSON object
 * (json, no newline).  Columns count characters (code points), not bytes; a
 * finding about a whole file is placed at line 1, column 1. */
void vb_diag_format(struct vb_buf *out, const struct vb_diag *d, enum vb_diag_format fmt);
/* Appends every diagnostic of `d`: one line each (text, github, tsv), or
 * one JSON document (json, sarif, gitlab).  `version` is verbatim's, which
 * SARIF names as the tool's. */
void vb_diags_format(struct vb_buf *out, const struct vb_diags *d, enum vb_diag_format fmt,
                     const char *version);

/* Edit distance between two strings, capped at `max` + 1 (for "did you mean"). */
size_t vb_edit_distance(const char *a, const char *b, size_t max);

#endif
