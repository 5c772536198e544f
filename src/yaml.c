/* A bounded YAML tree from libyaml's event API (see yaml.h for why). */
#include "verbatim/yaml.h"

#include "bytetable.h"
#include "swar.h"

#include <stdbool.h>
#include <stdint.h>
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
        if (map->n <= 16) {
                /* a note's few keys: a look at each pair is quicker than a sort */
                bool dup = false;
                for (size_t i = 1; i < map->n && !dup; i++)
                        for (size_t j = 0; j < i && !dup; j++)
                                dup = map->keys[i]->len == map->keys[j]->len &&
                                      !memcmp(map->keys[i]->value, map->keys[j]->value,
                                              map->keys[i]->len);
                if (!dup)
                        return;
        }
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

/* The plain shape: the front matter nearly every note has, read without
 * libyaml, which takes about 6 us for eight keys (a sixth of a report's
 * work per note).  A document is in the plain shape when it is ASCII
 * without tabs or CRs, and each line is empty, a comment, or a key at the
 * start of the line ([A-Za-z0-9_][A-Za-z0-9_-]*), ':', spaces and either a
 * plain value or a flow list of plain values, on that line, then perhaps a
 * comment.  A value starts with no YAML indicator and holds no ':' and no
 * '#' but the one starting a comment; a list's values also hold no ",[]{}"
 * or quotes.  Anything else (an empty value, an indented line, quotes, a
 * block list, a key with other characters) is read by libyaml: the shape
 * is strict so that it gives the very tree libyaml's events give, down to
 * the positions: tests/unit/test_yaml.c and the fuzz target
 * tests/fuzz/fuzz_yaml.c compare both readers. */
enum { PLAIN_MAX_NODES = 4096 };

struct plain {
        const char *buf;
        size_t len, at;    /* the line being read starts at `at` */
        unsigned line;     /* its number, from 0 */
        struct builder *b; /* NULL in the first pass, which only checks and counts */
        struct vb_yaml *map;
        size_t keys, items;    /* counted by the first pass */
        struct vb_yaml **next; /* the second pass: the lists' values, one after the other */
};

/* Bytes of plain values: 1 may start one (not YAML indicators), 2 may be in
 * one without a second look (not NUL, ' ', '#', ':', flow indicators or
 * quotes). */
#define PLAIN_IND(c)                                                                               \
        ((c) == '-' || (c) == '?' || (c) == ':' || (c) == ',' || (c) == '[' || (c) == ']' ||       \
         (c) == '{' || (c) == '}' || (c) == '#' || (c) == '&' || (c) == '*' || (c) == '!' ||       \
         (c) == '|' || (c) == '>' || (c) == '\'' || (c) == '"' || (c) == '%' || (c) == '@' ||      \
         (c) == '`')
#define PLAIN_STOP(c)                                                                              \
        ((c) == ' ' || (c) == '#' || (c) == ':' || (c) == ',' || (c) == '[' || (c) == ']' ||       \
         (c) == '{' || (c) == '}' || (c) == '\'' || (c) == '"')
#define PLAIN_BYTE(c)                                                                              \
        (((c) > ' ' && (c) < 0x7f && !PLAIN_IND(c)) | ((c) == 0 || PLAIN_STOP(c) ? 0 : 2))
static const unsigned char plain_byte[256] = VB_BYTE_TABLE(PLAIN_BYTE);

static bool plain_first(unsigned char c)
{
        return plain_byte[c] & 1;
}

static bool key_char(unsigned char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
}

static struct vb_yaml *plain_node(struct plain *p, enum vb_yaml_kind kind, size_t at)
{
        struct vb_yaml *n = vb_arena_alloc(p->b->arena, sizeof(*n));
        n->kind = kind;
        n->pos.line = p->b->first_line + p->line;
        n->pos.col = (unsigned)(at - p->at) + 1;
        return n;
}

static struct vb_yaml *plain_scalar(struct plain *p, size_t start, size_t end)
{
        struct vb_yaml *n = plain_node(p, VB_YAML_SCALAR, start);
        n->value = vb_arena_strndup(p->b->arena, p->buf + start, end - start);
        n->len = end - start;
        return n;
}

/* A plain value from `i` (which plain_first accepts) to the end of the
 * line `end`, a comment or, in a list, a ',' or ']'; its end, without the
 * spaces before what ends it, into *vend.  Returns where reading goes on,
 * or 0 when the value is not plain. */
static size_t plain_value(const struct plain *p, size_t i, size_t end, bool flow, size_t *vend)
{
        const char *s = p->buf;
        size_t last = i; /* after the last non-space */
        for (; i < end; i++) {
                unsigned char c = (unsigned char)s[i];
                if (plain_byte[c] & 2) {
                        last = i + 1;
                        continue;
                }
                if (c == '#' && !flow && s[i - 1] == ' ')
                        break; /* a comment */
                if (flow && (c == ',' || c == ']'))
                        break;
                if (c == ':' || c == '#' || (flow && strchr("[]{}'\"", c)))
                        return 0;
                if (c != ' ')
                        last = i + 1;
        }
        *vend = last;
        return i;
}

/* Reads the flow list starting at '[' at `i`: 0 when it is not plain,
 * else its end.  Adds its values to `seq` when building, else counts
 * them in p->items. */
static size_t plain_list(struct plain *p, size_t i, size_t end, struct vb_yaml *seq)
{
        const char *s = p->buf;
        for (i++; i < end && s[i] == ' '; i++)
                ;
        if (i < end && s[i] == ']')
                return i + 1; /* [] */
        for (;;) {
                size_t vend;
                if (i >= end || !plain_first((unsigned char)s[i]))
                        return 0;
                size_t start = i;
                i = plain_value(p, i, end, true, &vend);
                if (!i || i >= end)
                        return 0;
                if (seq)
                        seq->items[seq->n++] = plain_scalar(p, start, vend);
                else
                        p->items++;
                if (s[i] == ']')
                        return i + 1;
                for (i++; i < end && s[i] == ' '; i++) /* after ',' */
                        ;
        }
}

/* Reads the line at p->at (ending at `end`): 1 when it is plain. */
static bool plain_line(struct plain *p, size_t end)
{
        const char *s = p->buf;
        size_t i = p->at;
        if (i == end || s[i] == '#')
                return true; /* empty, or a comment */
        while (i < end && key_char((unsigned char)s[i]))
                i++;
        size_t key_end = i;
        if (key_end == p->at || s[p->at] == '-' || i + 1 >= end || s[i] != ':' || s[i + 1] != ' ')
                return false;
        for (i += 2; i < end && s[i] == ' '; i++)
                ;
        if (i >= end || s[i] == '#')
                return false; /* no value: libyaml says where its null is */
        struct vb_yaml *value = NULL;
        if (s[i] == '[') {
                if (p->b) {
                        value = plain_node(p, VB_YAML_SEQ, i);
                        value->items = p->next;
                }
                i = plain_list(p, i, end, value);
                if (!i)
                        return false;
                if (value)
                        p->next += value->n;
        } else {
                size_t vend, start = i;
                if (!plain_first((unsigned char)s[i]))
                        return false;
                i = plain_value(p, i, end, false, &vend);
                if (!i)
                        return false;
                if (p->b)
                        value = plain_scalar(p, start, vend);
        }
        for (; i < end && s[i] == ' '; i++)
                ;
        if (i < end && (s[i] != '#' || s[i - 1] != ' '))
                return false; /* only a comment may follow */
        if (!p->b) {
                p->keys++;
                return true;
        }
        struct vb_yaml *key = plain_scalar(p, p->at, key_end);
        if (!p->map->n)
                p->map->pos = key->pos; /* a mapping starts at its first key */
        p->map->keys[p->map->n] = key;
        p->map->items[p->map->n++] = value;
        return true;
}

/* Reads every line: 1 when all are plain. */
static bool plain_lines(struct plain *p)
{
        p->at = 0;
        p->line = 0;
        while (p->at < p->len) {
                const char *nl = memchr(p->buf + p->at, '\n', p->len - p->at);
                size_t end = nl ? (size_t)(nl - p->buf) : p->len;
                if (!plain_line(p, end))
                        return false;
                p->at = end + 1;
                p->line++;
        }
        return true;
}

/* The first pass: whether buf[0..len) is in the plain shape, counting
 * its keys and list values into `p`. */
static bool plain_check(struct plain *p, const char *buf, size_t len)
{
        memset(p, 0, sizeof(*p));
        p->buf = buf;
        p->len = len;
        for (size_t i = 0; i < len; i++) {
                /* eight bytes at a time while all are printable ASCII */
                while (i + 8 <= len) {
                        uint64_t w = vb_swar_load(buf + i);
                        if (vb_swar_has_high(w) || vb_swar_has_below(w, ' ') ||
                            vb_swar_has_byte(w, 0x7f))
                                break;
                        i += 8;
                }
                if (i >= len)
                        break;
                unsigned char c = (unsigned char)buf[i];
                if ((c < ' ' && c != '\n') || c >= 0x7f)
                        return false;
        }
        return plain_lines(p) && p->keys && p->keys + p->items <= PLAIN_MAX_NODES;
}

/* The tree of a document in the plain shape into *out: 1; 0 (nothing
 * allocated, nothing said) when it is not in that shape. */
static int plain_parse(struct vb_yaml **out, struct builder *b, const char *buf, size_t len)
{
        struct plain p;
        if (!plain_check(&p, buf, len))
                return 0;
        p.b = b;
        p.map = vb_arena_alloc(b->arena, sizeof(*p.map));
        p.map->kind = VB_YAML_MAP;
        p.map->keys = vb_arena_alloc(b->arena, p.keys * sizeof(*p.map->keys));
        p.map->items = vb_arena_alloc(b->arena, p.keys * sizeof(*p.map->items));
        p.next = vb_arena_alloc(b->arena, (p.items ? p.items : 1) * sizeof(*p.next));
        plain_lines(&p);
        check_duplicate_keys(b, p.map);
        *out = p.map;
        return 1;
}

int vb_yaml_is_plain(const char *buf, size_t len)
{
        struct plain p;
        return plain_check(&p, buf, len);
}

int vb_yaml_parse(struct vb_yaml **out, struct vb_arena *arena, const char *path, const char *buf,
                  size_t len, unsigned first_line, struct vb_diags *d)
{
        struct builder b = {arena, path, first_line, d, NULL, 0, 0, 0, NULL};
        *out = NULL;
        if (plain_parse(out, &b, buf, len))
                return VB_OK;
        return vb_yaml_parse_libyaml(out, arena, path, buf, len, first_line, d);
}

int vb_yaml_parse_libyaml(struct vb_yaml **out, struct vb_arena *arena, const char *path,
                          const char *buf, size_t len, unsigned first_line, struct vb_diags *d)
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
