/* A small YAML tree with source positions, read with libyaml's event API (or,
 * for front matter of the plain shape, by a small reader: see yaml.c).
 *
 * Depth and size are bounded (libyaml's own loader is quadratic in depth),
 * aliases are refused (no "billion laughs"), duplicate keys are reported. */
#ifndef VERBATIM_YAML_H
#define VERBATIM_YAML_H

#include "verbatim/arena.h"
#include "verbatim/diag.h"

#include <stddef.h>

enum { VB_YAML_MAX_DEPTH = 32, VB_YAML_MAX_NODES = 100000 };

struct vb_pos {
        unsigned line, col; /* 1-based, in the file */
};

enum vb_yaml_kind { VB_YAML_SCALAR, VB_YAML_SEQ, VB_YAML_MAP };

struct vb_yaml {
        enum vb_yaml_kind kind;
        struct vb_pos pos;
        /* scalar: the value (NUL-terminated, may contain NUL if len says so) */
        const char *value;
        size_t len;
        int quoted; /* written in quotes or as a block: a string, never a number */
        /* seq: items; map: keys[i] -> items[i] (keys are scalars) */
        struct vb_yaml **items;
        struct vb_yaml **keys;
        size_t n;
};

/* Parses one YAML document of `len` bytes, whose first line is line
 * `first_line` of `path`.  On success *out is the root (NULL for an empty
 * document), allocated in `arena`.  Errors go to `d` with the file's line and
 * column; returns VB_ERR then. */
int vb_yaml_parse(struct vb_yaml **out, struct vb_arena *arena, const char *path, const char *buf,
                  size_t len, unsigned first_line, struct vb_diags *d);
/* 1 when vb_yaml_parse reads `buf` without libyaml (the plain shape). */
int vb_yaml_is_plain(const char *buf, size_t len);
/* vb_yaml_parse always through libyaml: the same tree and diagnostics, for
 * tests of vb_yaml_parse's own reader of the plain shape (see yaml.c). */
int vb_yaml_parse_libyaml(struct vb_yaml **out, struct vb_arena *arena, const char *path,
                          const char *buf, size_t len, unsigned first_line, struct vb_diags *d);

/* The value of `key` in a mapping, or NULL (also when `map` is no mapping). */
const struct vb_yaml *vb_yaml_get(const struct vb_yaml *map, const char *key);
/* The key node of `key` in a mapping, for its position; NULL when absent. */
const struct vb_yaml *vb_yaml_key(const struct vb_yaml *map, const char *key);
/* The scalar's text, or NULL when `n` is NULL or no scalar. */
const char *vb_yaml_str(const struct vb_yaml *n);
/* "a scalar", "a list", "a mapping": for messages. */
const char *vb_yaml_kind_name(const struct vb_yaml *n);

#endif
