/* A bounded YAML tree from libyaml's event API (see yaml.h for why). */
#include "verbatim/yaml.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct frame {
        struct vb_yaml *node;
        struct vb_yaml *pending_key; /* maps: the key awaiting its value */
        size_t cap;
        size_t kcap;
};

struct builder {
        struct vb_arena *arena;
        const char *path;
        unsigned first_line;
        struct vb_diags *d;
        struct frame *stack;
        size_t depth, cap;
        size_t nodes;
        struct vb_yaml *root;
};

static struct vb_pos pos_of(const struct builder *b, yaml_mark_t m)
{
        struct vb_pos p = {b->first_line + (unsigned)m.line, (unsigned)m.column + 1};
        return p;
}

static void append(struct builder *b, struct frame *f, struct vb_yaml *item)
{
        if (f->node->n == f->cap) {
                size_t ncap = f->cap ? f->cap * 2 : 4;
                struct vb_yaml **items = vb_arena_alloc(b->arena, ncap * sizeof(*items));
                if (f->node->n)
                        memcpy(items, f->node->items, f->node->n * sizeof(*items));
                f->node->items = items;
                if (f->node->kind == VB_YAML_MAP) {
                        struct vb_yaml **keys = vb_arena_alloc(b->arena, ncap * sizeof(*keys));
                        if (f->node->n)
                                memcpy(keys, f->node->keys, f->node->n * sizeof(*keys));
                        f->node->keys = keys;
                }
                f->cap = ncap;
        }
        if (f->node->kind == VB_YAML_MAP)
                f->node->keys[f->node->n] = f->pending_key;
        f->node->items[f->node->n++] = item;
        f->pending_key = NULL;
}

/* Adds a finished node (scalar or the start of a collection) to its parent.
 * Returns 0, or -1 when it is a non-scalar key. */
static int attach(struct builder *b, struct vb_yaml *node)
{
        if (!b->depth) {
                b->root = node;
                return 0;
        }
        struct frame *f = &b->stack[b->depth - 1];
        if (f->node->kind == VB_YAML_MAP && !f->pending_key) {
                if (node->kind != VB_YAML_SCALAR) {
                        vb_diags_add(b->d, b->path, node->pos.line, node->pos.col, VB_SEV_ERROR,
                                     "yaml-syntax",
                                     "a key must be a plain word, not %s; write 'key: value'",
                                     vb_yaml_kind_name(node));
                        return -1;
                }
                f->pending_key = node;
                return 0;
        }
        append(b, f, node);
        return 0;
}

static int key_cmp(const void *a, const void *b)
{
        const struct vb_yaml *x = *(const struct vb_yaml *const *)a;
        const struct vb_yaml *y = *(const struct vb_yaml *const *)b;
        size_t n = x->len < y->len ? x->len : y->len;
        int c = memcmp(x->value, y->value, n);
        if (c)
                return c;
        if (x->len != y->len)
                return x->len < y->len ? -1 : 1;
        /* equal keys: the earlier one first */
        if (x->pos.line != y->pos.line)
                return x->pos.line < y->pos.line ? -1 : 1;
        return x->pos.col < y->pos.col ? -1 : (x->pos.col > y->pos.col);
}

static void check_duplicate_keys(struct builder *b, const struct vb_yaml *map)
{
        if (map->n < 2)
                return;
        struct vb_yaml **keys = vb_malloc(map->n * sizeof(*keys));
        memcpy(keys, map->keys, map->n * sizeof(*keys));
        qsort(keys, map->n, sizeof(*keys), key_cmp);
        for (size_t i = 1; i < map->n; i++) {
                const struct vb_yaml *k = keys[i], *prev = keys[i - 1];
                if (k->len == prev->len && !memcmp(k->value, prev->value, k->len))
                        vb_diags_add(b->d, b->path, k->pos.line, k->pos.col, VB_SEV_ERROR,
                                     "duplicate-key",
                                     "key '%s' is given twice (first at line %u); keep one of them",
                                     k->value, prev->pos.line);
        }
        free(keys);
}

static struct vb_yaml *new_node(struct builder *b, enum vb_yaml_kind kind, yaml_mark_t m)
{
        struct vb_yaml *n = vb_arena_alloc(b->arena, sizeof(*n));
        n->kind = kind;
        n->pos = pos_of(b, m);
        b->nodes++;
        return n;
}

static void yaml_error(struct builder *b, const yaml_parser_t *p)
{
        yaml_mark_t m = p->problem_mark;
        const char *problem = p->problem ? p->problem : "unreadable YAML";
        if (p->error == YAML_READER_ERROR) {
                /* the reader's mark has no line; its offset is in bytes */
                vb_diags_add(b->d, b->path, b->first_line, 0, VB_SEV_ERROR, "yaml-syntax",
                             "front matter is not valid YAML: %s at byte %zu; save the file as "
                             "UTF-8 text",
                             problem, p->problem_offset);
                return;
        }
        if (p->context)
                vb_diags_add(b->d, b->path, b->first_line + (unsigned)m.line,
                             (unsigned)m.column + 1, VB_SEV_ERROR, "yaml-syntax",
                             "not valid YAML: %s %s (line %u); check the indentation, colons and "
                             "quotes",
                             problem, p->context, b->first_line + (unsigned)p->context_mark.line);
        else
                vb_diags_add(b->d, b->path, b->first_line + (unsigned)m.line,
                             (unsigned)m.column + 1, VB_SEV_ERROR, "yaml-syntax",
                             "not valid YAML: %s; check the indentation, colons and quotes",
                             problem);
}

int vb_yaml_parse(struct vb_yaml **out, struct vb_arena *arena, const char *path, const char *buf,
                  size_t len, unsigned first_line, struct vb_diags *d)
{
        yaml_parser_t parser;
        yaml_event_t ev;
        struct builder b = {arena, path, first_line, d, NULL, 0, 0, 0, NULL};
        int rc = VB_ERR, done = 0, docs = 0;

        *out = NULL;
        if (!yaml_parser_initialize(&parser))
                return VB_ERR;
        yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
        while (!done) {
                if (!yaml_parser_parse(&parser, &ev)) {
                        yaml_error(&b, &parser);
                        goto fail;
                }
                struct vb_yaml *node = NULL;
                switch (ev.type) {
                case YAML_STREAM_END_EVENT:
                        done = 1;
                        break;
                case YAML_DOCUMENT_START_EVENT:
                        if (++docs > 1) {
                                struct vb_pos p = pos_of(&b, ev.start_mark);
                                vb_diags_add(
                                    d, path, p.line, p.col, VB_SEV_ERROR, "yaml-syntax",
                                    "a second YAML document starts here; keep one document");
                                yaml_event_delete(&ev);
                                goto fail;
                        }
                        break;
                case YAML_ALIAS_EVENT: {
                        struct vb_pos p = pos_of(&b, ev.start_mark);
                        vb_diags_add(d, path, p.line, p.col, VB_SEV_ERROR, "yaml-alias",
                                     "YAML aliases (*%s) are not supported; write the value out",
                                     (const char *)ev.data.alias.anchor);
                        yaml_event_delete(&ev);
                        goto fail;
                }
                case YAML_SCALAR_EVENT:
                        node = new_node(&b, VB_YAML_SCALAR, ev.start_mark);
                        node->len = ev.data.scalar.length;
                        node->value =
                            vb_arena_strndup(arena, (const char *)ev.data.scalar.value, node->len);
                        node->quoted = ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
                        if (!node->quoted && node->len == 0)
                                node->value = ""; /* `key:` with nothing: null */
                        if (attach(&b, node) < 0) {
                                yaml_event_delete(&ev);
                                goto fail;
                        }
                        break;
                case YAML_SEQUENCE_START_EVENT:
                case YAML_MAPPING_START_EVENT:
                        node = new_node(
                            &b, ev.type == YAML_SEQUENCE_START_EVENT ? VB_YAML_SEQ : VB_YAML_MAP,
                            ev.start_mark);
                        if (b.depth >= VB_YAML_MAX_DEPTH) {
                                vb_diags_add(d, path, node->pos.line, node->pos.col, VB_SEV_ERROR,
                                             "yaml-too-deep",
                                             "YAML nested deeper than %d levels; flatten it",
                                             VB_YAML_MAX_DEPTH);
                                yaml_event_delete(&ev);
                                goto fail;
                        }
                        if (attach(&b, node) < 0) {
                                yaml_event_delete(&ev);
                                goto fail;
                        }
                        b.stack = vb_grow_array(b.stack, &b.cap, b.depth + 1, sizeof(*b.stack));
                        memset(&b.stack[b.depth], 0, sizeof(b.stack[0]));
                        b.stack[b.depth++].node = node;
                        break;
                case YAML_SEQUENCE_END_EVENT:
                case YAML_MAPPING_END_EVENT:
                        if (b.depth) {
                                struct vb_yaml *n = b.stack[b.depth - 1].node;
                                if (n->kind == VB_YAML_MAP)
                                        check_duplicate_keys(&b, n);
                                b.depth--;
                        }
                        break;
                default:
                        break;
                }
                yaml_event_delete(&ev);
                if (b.nodes > VB_YAML_MAX_NODES) {
                        vb_diags_add(d, path, first_line, 0, VB_SEV_ERROR, "yaml-too-large",
                                     "YAML with more than %d values; keep it short",
                                     VB_YAML_MAX_NODES);
                        goto fail;
                }
        }
        *out = b.root;
        rc = VB_OK;
fail:
        free(b.stack);
        yaml_parser_delete(&parser);
        return rc;
}

const struct vb_yaml *vb_yaml_key(const struct vb_yaml *map, const char *key)
{
        if (!map || map->kind != VB_YAML_MAP)
                return NULL;
        size_t len = strlen(key);
        for (size_t i = 0; i < map->n; i++)
                if (map->keys[i]->len == len && !memcmp(map->keys[i]->value, key, len))
                        return map->keys[i];
        return NULL;
}

const struct vb_yaml *vb_yaml_get(const struct vb_yaml *map, const char *key)
{
        if (!map || map->kind != VB_YAML_MAP)
                return NULL;
        size_t len = strlen(key);
        for (size_t i = 0; i < map->n; i++)
                if (map->keys[i]->len == len && !memcmp(map->keys[i]->value, key, len))
                        return map->items[i];
        return NULL;
}

const char *vb_yaml_str(const struct vb_yaml *n)
{
        return n && n->kind == VB_YAML_SCALAR ? n->value : NULL;
}

const char *vb_yaml_kind_name(const struct vb_yaml *n)
{
        if (!n)
                return "nothing";
        switch (n->kind) {
        case VB_YAML_SCALAR:
                return "a single value";
        case VB_YAML_SEQ:
                return "a list";
        default:
                return "a mapping";
        }
}
