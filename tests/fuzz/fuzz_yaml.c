/* Fuzz target: front matter.  vb_yaml_parse reads the plain shape itself
 * and everything else through libyaml: for any input both routes must give
 * the same tree, positions and diagnostics as libyaml alone. */
#include "fuzz.h"
#include "verbatim/yaml.h"

#include <stdlib.h>
#include <string.h>

static int yaml_same_tree(const struct vb_yaml *x, const struct vb_yaml *y)
{
        if (!x || !y)
                return x == y;
        if (x->kind != y->kind || x->pos.line != y->pos.line || x->pos.col != y->pos.col ||
            x->n != y->n)
                return 0;
        if (x->kind == VB_YAML_SCALAR)
                return x->len == y->len && x->quoted == y->quoted &&
                       !memcmp(x->value, y->value, x->len);
        for (size_t i = 0; i < x->n; i++)
                if (!yaml_same_tree(x->items[i], y->items[i]) ||
                    (x->kind == VB_YAML_MAP && !yaml_same_tree(x->keys[i], y->keys[i])))
                        return 0;
        return 1;
}

static int yaml_same_diags(const struct vb_diags *a, const struct vb_diags *b)
{
        if (a->n != b->n)
                return 0;
        for (size_t i = 0; i < a->n; i++)
                if (a->v[i].line != b->v[i].line || a->v[i].col != b->v[i].col ||
                    strcmp(a->v[i].rule, b->v[i].rule) || strcmp(a->v[i].message, b->v[i].message))
                        return 0;
        return 1;
}

/* 1 when vb_yaml_parse and libyaml alone read doc[0..len) the same. */
static int yaml_agree(const char *doc, size_t len)
{
        struct vb_arena a1 = VB_ARENA_INIT, a2 = VB_ARENA_INIT;
        struct vb_diags d1 = VB_DIAGS_INIT, d2 = VB_DIAGS_INIT;
        struct vb_yaml *t1 = NULL, *t2 = NULL;
        int r1 = vb_yaml_parse(&t1, &a1, "n.md", doc, len, 2, &d1);
        int r2 = vb_yaml_parse_libyaml(&t2, &a2, "n.md", doc, len, 2, &d2);
        int ok = r1 == r2 && yaml_same_tree(t1, t2) && yaml_same_diags(&d1, &d2);
        vb_arena_release(&a1);
        vb_arena_release(&a2);
        vb_diags_release(&d1);
        vb_diags_release(&d2);
        return ok;
}

int vb_fuzz_yaml(const uint8_t *data, size_t size)
{
        if (!yaml_agree((const char *)data, size))
                abort();
        return 0;
}

VB_FUZZ_ENTRY(vb_fuzz_yaml)
