/* The vocabulary (verbatim.yml) and the roadmap (roadmap.yml). */
#include "verbatim/vocab.h"
#include "verbatim/pii.h"
#include "verbatim/utf8.h"
#include "verbatim/yaml.h"

#include <stdlib.h>
#include <string.h>

/* Keys and aliases folded (lower case, spaces as hyphens) in an open
 * addressing table. */
struct slot {
        const char *folded;
        size_t tag;
        int alias;
};

struct vb_tag_table {
        struct slot *slots;
        size_t cap, n;
};

/* An ASCII byte of a name, folded. */
static char fold_ascii(unsigned char c)
{
        return c == ' ' || c == '_' ? '-' : (char)vb_utf8_fold(c);
}

/* Appends `s` folded: case-folded and in NFC (vb_utf8_fold_nfc), spaces and
 * underscores as hyphens. */
static void fold(struct vb_buf *out, const char *s)
{
        size_t from = out->len;
        vb_utf8_fold_nfc(out, s, strlen(s));
        for (size_t i = from; i < out->len; i++)
                if (out->ptr[i] == ' ' || out->ptr[i] == '_')
                        out->ptr[i] = '-';
}

/* 64-bit FNV-1a */
#define FNV_BASIS      1469598103934665603ULL
#define FNV_STEP(h, c) (((h) ^ (unsigned char)(c)) * 1099511628211ULL)

static uint64_t hash(const char *s)
{
        uint64_t h = FNV_BASIS;
        for (; *s; s++)
                h = FNV_STEP(h, *s);
        return h;
}

static struct slot *table_find_hashed(const struct vb_tag_table *t, const char *folded, uint64_t h)
{
        if (!t || !t->cap)
                return NULL;
        size_t i = h & (t->cap - 1);
        while (t->slots[i].folded) {
                if (!strcmp(t->slots[i].folded, folded))
                        return &t->slots[i];
                i = (i + 1) & (t->cap - 1);
        }
        return NULL;
}

static struct slot *table_find(const struct vb_tag_table *t, const char *folded)
{
        return table_find_hashed(t, folded, hash(folded));
}

/* Returns 0, or -1 when the name is already taken (by *taken). */
static int table_add(struct vb_vocab *v, const char *name, size_t tag, int alias, size_t *taken)
{
        struct vb_tag_table *t = v->table;
        struct vb_buf f = VB_BUF_INIT;
        fold(&f, name);
        struct slot *s = table_find(t, f.ptr);
        if (s) {
                *taken = s->tag;
                vb_buf_release(&f);
                return -1;
        }
        if ((t->n + 1) * 2 > t->cap) {
                struct vb_tag_table old = *t;
                t->cap = t->cap ? t->cap * 2 : 64;
                t->slots = vb_calloc(t->cap, sizeof(*t->slots));
                t->n = 0;
                for (size_t i = 0; i < old.cap; i++)
                        if (old.slots[i].folded) {
                                size_t j = hash(old.slots[i].folded) & (t->cap - 1);
                                while (t->slots[j].folded)
                                        j = (j + 1) & (t->cap - 1);
                                t->slots[j] = old.slots[i];
                                t->n++;
                        }
                free(old.slots);
        }
        size_t j = hash(f.ptr) & (t->cap - 1);
        while (t->slots[j].folded)
                j = (j + 1) & (t->cap - 1);
        t->slots[j].folded = vb_arena_strndup(&v->arena, f.ptr, f.len);
        t->slots[j].tag = tag;
        t->slots[j].alias = alias;
        t->n++;
        vb_buf_release(&f);
        return 0;
}

static struct vb_vocab *vocab_new(void)
{
        struct vb_vocab *v = vb_calloc(1, sizeof(*v));
        static const char *const dot[] = {"."};
        static const char *const required[] = {"date"};
        v->path = "";
        v->title = "Voice of the customer";
        v->notes = (const char **)vb_arena_alloc(&v->arena, sizeof(char *));
        v->notes[0] = dot[0];
        v->nnotes = 1;
        v->required = (const char **)vb_arena_alloc(&v->arena, sizeof(char *));
        v->required[0] = required[0];
        v->nrequired = 1;
        v->themes_key = "tags";
        {
                static const char *const lost[] = {"abandoner", "returner"};
                struct vb_opportunity_weights *w = &v->opportunity;
                w->lost_revenue = 1.0;
                w->high_ltv = 1.0;
                w->trend = 0.5;
                w->roadmap[0] = 0.9;
                w->roadmap[1] = 0.7;
                w->roadmap[2] = 0.5;
                w->roadmap[3] = 0.3;
                w->lost_segments = (const char **)vb_arena_alloc(&v->arena, 2 * sizeof(char *));
                w->lost_segments[0] = lost[0];
                w->lost_segments[1] = lost[1];
                w->nlost_segments = 2;
        }
        v->ltv_tiers = vb_arena_alloc(&v->arena, 3 * sizeof(*v->ltv_tiers));
        v->ltv_tiers[0] = (struct vb_ltv_tier){"low", 100, 1};
        v->ltv_tiers[1] = (struct vb_ltv_tier){"mid", 500, 1};
        v->ltv_tiers[2] = (struct vb_ltv_tier){"high", 0, 0};
        v->nltv_tiers = 3;
        v->table = vb_calloc(1, sizeof(*v->table));
        return v;
}

struct vb_vocab *vb_vocab_default(void)
{
        return vocab_new();
}

void vb_vocab_free(struct vb_vocab *v)
{
        if (!v)
                return;
        if (v->table)
                free(v->table->slots);
        free(v->table);
        vb_arena_release(&v->arena);
        free(v);
}

struct loader {
        struct vb_vocab *v;
        const char *path;
        struct vb_diags *d;
};

static void err(struct loader *l, const struct vb_yaml *at, const char *rule, const char *fmt,
                const char *a, const char *b)
{
        vb_diags_add(l->d, l->path, at ? at->pos.line : 0, at ? at->pos.col : 0, VB_SEV_ERROR, rule,
                     fmt, a, b);
}

/* A list of strings (a single value counts as one). */
static const char **strings(struct loader *l, const struct vb_yaml *n, const char *key,
                            size_t *count)
{
        *count = 0;
        if (!n)
                return NULL;
        if (n->kind == VB_YAML_SCALAR) {
                if (!*n->value)
                        return NULL;
                const char **out = vb_arena_alloc(&l->v->arena, sizeof(*out));
                out[0] = n->value;
                *count = 1;
                return out;
        }
        if (n->kind != VB_YAML_SEQ) {
                err(l, n, "vocab-bad-type", "'%s' must be a list like [a, b], not %s", key,
                    vb_yaml_kind_name(n));
                return NULL;
        }
        const char **out = vb_arena_alloc(&l->v->arena, (n->n + 1) * sizeof(*out));
        for (size_t i = 0; i < n->n; i++) {
                if (n->items[i]->kind != VB_YAML_SCALAR) {
                        err(l, n->items[i], "vocab-bad-type",
                            "items of '%s' must be single values, not %s", key,
                            vb_yaml_kind_name(n->items[i]));
                        continue;
                }
                out[(*count)++] = n->items[i]->value;
        }
        return out;
}

static const char *scalar(struct loader *l, const struct vb_yaml *n, const char *key)
{
        if (!n)
                return NULL;
        if (n->kind != VB_YAML_SCALAR) {
                err(l, n, "vocab-bad-type", "'%s' must be a single value, not %s", key,
                    vb_yaml_kind_name(n));
                return NULL;
        }
        return n->value;
}

static void load_segments(struct loader *l, const struct vb_yaml *n)
{
        struct vb_vocab *v = l->v;
        if (!n)
                return;
        if (n->kind == VB_YAML_SCALAR && !*n->value)
                return;
        if (n->kind == VB_YAML_SCALAR) {
                err(l, n, "vocab-bad-type", "'%s' must be a mapping of keys to labels, not %s",
                    "segments", vb_yaml_kind_name(n));
                return;
        }
        v->segments = vb_arena_alloc(&v->arena, (n->n + 1) * sizeof(*v->segments));
        v->has_segments = 1;
        for (size_t i = 0; i < n->n; i++) {
                struct vb_segment *s = &v->segments[v->nsegments];
                const struct vb_yaml *val = n->items[i];
                if (n->kind == VB_YAML_SEQ) { /* segments: [buyer, abandoner] */
                        s->key = scalar(l, val, "segments");
                        s->label = s->key;
                } else {
                        s->key = n->keys[i]->value;
                        s->label = s->key;
                        if (val->kind == VB_YAML_MAP) {
                                const char *label = scalar(l, vb_yaml_get(val, "label"), "label");
                                if (label && *label)
                                        s->label = label;
                        } else if (val->kind == VB_YAML_SCALAR && *val->value) {
                                s->label = val->value;
                        }
                }
                if (s->key && *s->key)
                        v->nsegments++;
        }
}

/* products: {id: {label: ..., line: ...}} or products: [id, ...] */
static void load_products(struct loader *l, const struct vb_yaml *n)
{
        struct vb_vocab *v = l->v;
        if (!n || (n->kind == VB_YAML_SCALAR && !*n->value))
                return;
        if (n->kind == VB_YAML_SCALAR) {
                err(l, n, "vocab-bad-type",
                    "'%s' must be a mapping of product ids to labels, not %s", "products",
                    vb_yaml_kind_name(n));
                return;
        }
        v->products = vb_arena_alloc(&v->arena, (n->n + 1) * sizeof(*v->products));
        v->has_products = 1;
        for (size_t i = 0; i < n->n; i++) {
                struct vb_product *p = &v->products[v->nproducts];
                const struct vb_yaml *val = n->items[i];
                memset(p, 0, sizeof(*p));
                if (n->kind == VB_YAML_SEQ) {
                        p->key = scalar(l, val, "products");
                } else {
                        p->key = n->keys[i]->value;
                        if (val->kind == VB_YAML_MAP) {
                                const char *label = scalar(l, vb_yaml_get(val, "label"), "label");
                                const char *line = scalar(l, vb_yaml_get(val, "line"), "line");
                                if (label && *label)
                                        p->label = label;
                                if (line && *line)
                                        p->line = line;
                        } else if (val->kind == VB_YAML_SCALAR && *val->value) {
                                p->label = val->value;
                        }
                }
                if (!p->label)
                        p->label = p->key;
                if (p->key && *p->key)
                        v->nproducts++;
        }
}

/* A weight of opportunity: a number from 0 to 100. */
static void weight(struct loader *l, const struct vb_yaml *n, const char *key, double *out)
{
        const char *s = scalar(l, n, key);
        char *end;
        double x;
        if (!s || !*s)
                return;
        x = strtod(s, &end);
        if (*end || end == s || !(x >= 0 && x <= 100)) {
                err(l, n, "vocab-bad-type", "weight '%s' must be a number from 0 to 100, not '%s'",
                    key, s);
                return;
        }
        *out = x;
}

/* opportunity: {lost-revenue: 1, high-ltv: 1, trend: 0.5, lost-revenue-segments: [...],
 *               roadmap: {idea: 0.9, planned: 0.7, building: 0.5, shipped: 0.3}} */
static void load_opportunity(struct loader *l, const struct vb_yaml *n)
{
        static const char *const keys[] = {"lost-revenue",          "high-ltv", "trend", "roadmap",
                                           "lost-revenue-segments", NULL};
        static const char *const statuses[] = {"idea", "planned", "building", "shipped", NULL};
        struct vb_opportunity_weights *w = &l->v->opportunity;
        const struct vb_yaml *r;
        if (!n || (n->kind == VB_YAML_SCALAR && !*n->value))
                return;
        if (n->kind != VB_YAML_MAP) {
                err(l, n, "vocab-bad-type", "'%s' must be a mapping of weights, not %s",
                    "opportunity", vb_yaml_kind_name(n));
                return;
        }
        for (size_t i = 0; i < n->n; i++) {
                size_t k = 0;
                while (keys[k] && strcmp(keys[k], n->keys[i]->value))
                        k++;
                if (!keys[k])
                        vb_diags_add(l->d, l->path, n->keys[i]->pos.line, n->keys[i]->pos.col,
                                     VB_SEV_WARNING, "vocab-unknown-key",
                                     "unknown weight '%s' of opportunity: is ignored; use "
                                     "lost-revenue, high-ltv, trend, roadmap or "
                                     "lost-revenue-segments",
                                     n->keys[i]->value);
        }
        weight(l, vb_yaml_get(n, "lost-revenue"), "lost-revenue", &w->lost_revenue);
        weight(l, vb_yaml_get(n, "high-ltv"), "high-ltv", &w->high_ltv);
        weight(l, vb_yaml_get(n, "trend"), "trend", &w->trend);
        r = vb_yaml_get(n, "roadmap");
        if (r && r->kind == VB_YAML_MAP) {
                for (size_t k = 0; statuses[k]; k++)
                        weight(l, vb_yaml_get(r, statuses[k]), statuses[k], &w->roadmap[k]);
        } else if (r && !(r->kind == VB_YAML_SCALAR && !*r->value)) {
                err(l, r, "vocab-bad-type", "'%s' must map each status to a weight, not %s",
                    "roadmap", vb_yaml_kind_name(r));
        }
        if (vb_yaml_get(n, "lost-revenue-segments")) {
                size_t count;
                const char **segs = strings(l, vb_yaml_get(n, "lost-revenue-segments"),
                                            "lost-revenue-segments", &count);
                w->lost_segments = segs;
                w->nlost_segments = count;
        }
}

static const char *const kinds[] = {"problem", "feature-request", "emotion", "reason"};

static void load_tags(struct loader *l, const struct vb_yaml *n)
{
        struct vb_vocab *v = l->v;
        if (!n || (n->kind == VB_YAML_SCALAR && !*n->value))
                return;
        if (n->kind == VB_YAML_SCALAR) {
                err(l, n, "vocab-bad-type", "'%s' must be a mapping of tag keys, not %s", "tags",
                    vb_yaml_kind_name(n));
                return;
        }
        v->has_tags = 1;
        v->tags = vb_arena_alloc(&v->arena, (n->n + 1) * sizeof(*v->tags));
        for (size_t i = 0; i < n->n; i++) {
                const struct vb_yaml *keynode = n->kind == VB_YAML_MAP ? n->keys[i] : n->items[i];
                const struct vb_yaml *val = n->kind == VB_YAML_MAP ? n->items[i] : NULL;
                struct vb_tag *t = &v->tags[v->ntags];
                size_t taken;
                if (keynode->kind != VB_YAML_SCALAR || !*keynode->value) {
                        err(l, keynode, "vocab-bad-type", "a tag key must be a non-empty word%s%s",
                            "", "");
                        continue;
                }
                t->key = keynode->value;
                t->label = t->key;
                t->pos = keynode->pos;
                if (val && val->kind == VB_YAML_MAP) {
                        const char *label = scalar(l, vb_yaml_get(val, "label"), "label");
                        if (label && *label)
                                t->label = label;
                        t->kind = scalar(l, vb_yaml_get(val, "kind"), "kind");
                        if (t->kind && !*t->kind)
                                t->kind = NULL;
                        if (t->kind) {
                                size_t k = 0;
                                while (k < 4 && strcmp(kinds[k], t->kind))
                                        k++;
                                if (k == 4)
                                        err(l, vb_yaml_get(val, "kind"), "vocab-bad-kind",
                                            "unknown kind '%s' of tag '%s'; use problem, "
                                            "feature-request, emotion or reason",
                                            t->kind, t->key);
                        }
                        t->aliases =
                            strings(l, vb_yaml_get(val, "aliases"), "aliases", &t->naliases);
                } else if (val && val->kind == VB_YAML_SCALAR && *val->value) {
                        t->label = val->value; /* tags: {price: Price} */
                }
                if (table_add(v, t->key, v->ntags, 0, &taken) < 0) {
                        err(l, keynode, "vocab-duplicate-tag",
                            "tag '%s' is the same as '%s' (case, spaces and hyphens do not count); "
                            "keep one",
                            t->key, v->tags[taken].key);
                        continue;
                }
                v->ntags++;
        }
        /* aliases after every key, so that an alias never hides a key */
        for (size_t i = 0; i < v->ntags; i++) {
                struct vb_tag *t = &v->tags[i];
                for (size_t a = 0; a < t->naliases; a++) {
                        size_t taken;
                        if (table_add(v, t->aliases[a], i, 1, &taken) < 0 && taken != i)
                                vb_diags_add(l->d, l->path, t->pos.line, t->pos.col, VB_SEV_ERROR,
                                             "vocab-duplicate-alias",
                                             "alias '%s' of tag '%s' is already a key or alias of "
                                             "'%s'; remove one",
                                             t->aliases[a], t->key, v->tags[taken].key);
                }
        }
}

static void load_reason_groups(struct loader *l, const struct vb_yaml *n)
{
        struct vb_vocab *v = l->v;
        if (!n || (n->kind == VB_YAML_SCALAR && !*n->value))
                return;
        if (n->kind != VB_YAML_MAP) {
                err(l, n, "vocab-bad-type",
                    "'%s' must be a mapping of group names to tag lists, not %s", "reason-groups",
                    vb_yaml_kind_name(n));
                return;
        }
        v->reason_groups = vb_arena_alloc(&v->arena, n->n * sizeof(*v->reason_groups));
        for (size_t i = 0; i < n->n; i++) {
                struct vb_reason_group *g = &v->reason_groups[v->nreason_groups++];
                g->name = n->keys[i]->value;
                g->tags = strings(l, n->items[i], "reason-groups", &g->ntags);
                for (size_t k = 0; k < g->ntags; k++) {
                        int alias;
                        if (v->has_tags && !vb_vocab_tag(v, g->tags[k], &alias))
                                err(l, n->items[i], "vocab-unknown-tag",
                                    "reason group '%s' names '%s', which is no tag; add it under "
                                    "tags: or fix the name",
                                    g->name, g->tags[k]);
                }
        }
}

static void load_ltv_tiers(struct loader *l, const struct vb_yaml *n)
{
        struct vb_vocab *v = l->v;
        if (!n)
                return;
        if (n->kind != VB_YAML_SEQ || !n->n) {
                err(l, n, "vocab-bad-type", "'%s' must be a list of {label, below}, not %s",
                    "ltv-tiers", vb_yaml_kind_name(n));
                return;
        }
        v->ltv_tiers = vb_arena_alloc(&v->arena, n->n * sizeof(*v->ltv_tiers));
        v->nltv_tiers = 0;
        for (size_t i = 0; i < n->n; i++) {
                const struct vb_yaml *t = n->items[i];
                struct vb_ltv_tier *tier = &v->ltv_tiers[v->nltv_tiers];
                tier->label = scalar(l, vb_yaml_get(t, "label"), "label");
                if (!tier->label || !*tier->label) {
                        err(l, t, "vocab-bad-type", "each LTV tier needs a label: %s%s",
                            "{label: low, below: 100}", "");
                        continue;
                }
                const char *below = scalar(l, vb_yaml_get(t, "below"), "below");
                if (below && *below) {
                        char *end;
                        tier->below = strtod(below, &end);
                        tier->has_below = 1;
                        if (*end)
                                err(l, vb_yaml_get(t, "below"), "vocab-bad-type",
                                    "'below' of tier '%s' must be a number, not '%s'", tier->label,
                                    below);
                }
                v->nltv_tiers++;
        }
}

static const char *const vocab_keys[] = {"title",      "notes",         "segments",  "tags",
                                         "required",   "reason-groups", "ltv-tiers", "weekly-goal",
                                         "themes-key", "templates",     "products",  "opportunity",
                                         NULL};

int vb_vocab_load(struct vb_vocab **out, const char *path, const char *buf, size_t len,
                  struct vb_diags *d)
{
        struct vb_vocab *v = vocab_new();
        struct loader l = {v, path, d};
        struct vb_yaml *root = NULL;
        v->path = vb_arena_strdup(&v->arena, path);
        l.path = v->path;
        *out = NULL;
        if (vb_yaml_parse(&root, &v->arena, path, buf, len, 1, d) != VB_OK) {
                vb_vocab_free(v);
                return VB_ERR;
        }
        if (!root) {
                *out = v;
                return VB_OK;
        }
        if (root->kind != VB_YAML_MAP) {
                err(&l, root, "vocab-bad-type", "%s must hold 'key: value' lines, not %s", path,
                    vb_yaml_kind_name(root));
                *out = v;
                return VB_OK;
        }
        for (size_t i = 0; i < root->n; i++) {
                size_t k = 0;
                while (vocab_keys[k] && strcmp(vocab_keys[k], root->keys[i]->value))
                        k++;
                if (!vocab_keys[k])
                        vb_diags_add(d, path, root->keys[i]->pos.line, root->keys[i]->pos.col,
                                     VB_SEV_WARNING, "vocab-unknown-key",
                                     "unknown key '%s' is ignored; see the README for the keys of "
                                     "verbatim.yml",
                                     root->keys[i]->value);
        }
        const char *title = scalar(&l, vb_yaml_get(root, "title"), "title");
        if (title && *title)
                v->title = title;
        size_t n;
        const char **notes = strings(&l, vb_yaml_get(root, "notes"), "notes", &n);
        if (n) {
                v->notes = notes;
                v->nnotes = n;
        }
        const struct vb_yaml *req = vb_yaml_get(root, "required");
        if (req) {
                v->required = strings(&l, req, "required", &v->nrequired);
        }
        const char *key = scalar(&l, vb_yaml_get(root, "themes-key"), "themes-key");
        if (key && *key)
                v->themes_key = key;
        const char *templates = scalar(&l, vb_yaml_get(root, "templates"), "templates");
        if (templates && *templates)
                v->templates = templates;
        const char *goal = scalar(&l, vb_yaml_get(root, "weekly-goal"), "weekly-goal");
        if (goal && *goal) {
                char *end;
                long g = strtol(goal, &end, 10);
                if (*end || g < 0 || g > 100000)
                        err(&l, vb_yaml_get(root, "weekly-goal"), "vocab-bad-type",
                            "'%s' must be a whole number of calls, not '%s'", "weekly-goal", goal);
                else
                        v->weekly_goal = (int)g;
        }
        load_segments(&l, vb_yaml_get(root, "segments"));
        load_tags(&l, vb_yaml_get(root, "tags"));
        load_reason_groups(&l, vb_yaml_get(root, "reason-groups"));
        load_ltv_tiers(&l, vb_yaml_get(root, "ltv-tiers"));
        load_products(&l, vb_yaml_get(root, "products"));
        load_opportunity(&l, vb_yaml_get(root, "opportunity"));
        *out = v;
        return VB_OK;
}

int vb_vocab_load_roadmap(struct vb_vocab *v, const char *path, const char *buf, size_t len,
                          struct vb_diags *d)
{
        struct loader l = {v, path, d};
        struct vb_yaml *root = NULL;
        static const char *const statuses[] = {"idea", "planned", "building", "shipped"};
        path = vb_arena_strdup(&v->arena, path);
        l.path = path;
        if (vb_yaml_parse(&root, &v->arena, path, buf, len, 1, d) != VB_OK)
                return VB_ERR;
        if (!root)
                return VB_OK;
        if (root->kind != VB_YAML_MAP) {
                err(&l, root, "roadmap-bad-type", "%s must map item ids to items, not %s", path,
                    vb_yaml_kind_name(root));
                return VB_ERR;
        }
        v->roadmap = vb_arena_alloc(&v->arena, root->n * sizeof(*v->roadmap));
        for (size_t i = 0; i < root->n; i++) {
                const struct vb_yaml *item = root->items[i];
                struct vb_roadmap_item *r = &v->roadmap[v->nroadmap];
                r->id = root->keys[i]->value;
                r->pos = root->keys[i]->pos;
                r->title = r->id;
                if (item->kind != VB_YAML_MAP) {
                        err(&l, item, "roadmap-bad-type",
                            "roadmap item '%s' must hold title, status and tags, not %s", r->id,
                            vb_yaml_kind_name(item));
                        continue;
                }
                const char *title = scalar(&l, vb_yaml_get(item, "title"), "title");
                if (title && *title)
                        r->title = title;
                r->status = scalar(&l, vb_yaml_get(item, "status"), "status");
                if (r->status && !*r->status)
                        r->status = NULL;
                if (r->status) {
                        size_t k = 0;
                        while (k < 4 && strcmp(statuses[k], r->status))
                                k++;
                        if (k == 4)
                                err(&l, vb_yaml_get(item, "status"), "roadmap-bad-status",
                                    "unknown status '%s' of roadmap item '%s'; use idea, planned, "
                                    "building or shipped",
                                    r->status, r->id);
                }
                const struct vb_yaml *shipped = vb_yaml_get(item, "shipped");
                const char *s = scalar(&l, shipped, "shipped");
                if (s && *s && vb_date_parse(&r->shipped, s) != VB_DATE_OK) {
                        memset(&r->shipped, 0, sizeof(r->shipped));
                        err(&l, shipped, "roadmap-bad-date",
                            "shipped date '%s' of '%s' is not a real date YYYY-MM-DD", s, r->id);
                } else if (r->status && !strcmp(r->status, "shipped") && !(s && *s)) {
                        err(&l, root->keys[i], "roadmap-shipped-date",
                            "roadmap item '%s' is shipped but has no shipped: date; add "
                            "'shipped: YYYY-MM-DD'%s",
                            r->id, "");
                }
                r->tags = strings(&l, vb_yaml_get(item, "tags"), "tags", &r->ntags);
                for (size_t k = 0; k < r->ntags; k++) {
                        int alias;
                        if (v->has_tags && !vb_vocab_tag(v, r->tags[k], &alias))
                                err(&l, vb_yaml_get(item, "tags"), "roadmap-unknown-tag",
                                    "roadmap item '%s' names tag '%s', which verbatim.yml does not "
                                    "list",
                                    r->id, r->tags[k]);
                }
                v->nroadmap++;
        }
        return VB_OK;
}

/* A number of copy.yml (control:, result:): 0 when absent or not a number
 * (said in `d`). */
static int copy_number(struct loader *l, const struct vb_yaml *item, const char *key,
                       const char *id, double *out)
{
        const struct vb_yaml *n = vb_yaml_get(item, key);
        const char *s = scalar(l, n, key);
        char *end;
        if (!s || !*s)
                return 0;
        *out = strtod(s, &end);
        if (*end || end == s || *out != *out) {
                vb_diags_add(l->d, l->path, n->pos.line, n->pos.col, VB_SEV_ERROR,
                             "copy-bad-number",
                             "%s '%s' of test '%s' is not a number; write the metric's value, "
                             "like 2.1",
                             key, s, id);
                return 0;
        }
        return 1;
}

static void copy_date(struct loader *l, const struct vb_yaml *item, const char *key, const char *id,
                      struct vb_date *out)
{
        const struct vb_yaml *n = vb_yaml_get(item, key);
        const char *s = scalar(l, n, key);
        if (s && *s && vb_date_parse(out, s) != VB_DATE_OK) {
                memset(out, 0, sizeof(*out));
                vb_diags_add(l->d, l->path, n->pos.line, n->pos.col, VB_SEV_ERROR, "copy-bad-date",
                             "%s '%s' of test '%s' is not a date; write YYYY-MM-DD", key, s, id);
        }
}

int vb_vocab_load_copy(struct vb_vocab *v, const char *path, const char *buf, size_t len,
                       struct vb_diags *d)
{
        struct loader l = {v, path, d};
        struct vb_yaml *root = NULL;
        path = vb_arena_strdup(&v->arena, path);
        l.path = path;
        if (vb_yaml_parse(&root, &v->arena, path, buf, len, 1, d) != VB_OK)
                return VB_ERR;
        if (!root)
                return VB_OK;
        if (root->kind != VB_YAML_MAP) {
                err(&l, root, "copy-bad-type",
                    "%s must map each test's id to its phrase, channel, dates and metrics, not %s",
                    path, vb_yaml_kind_name(root));
                return VB_OK;
        }
        v->copy_tests = vb_arena_alloc(&v->arena, (root->n + 1) * sizeof(*v->copy_tests));
        for (size_t i = 0; i < root->n; i++) {
                const struct vb_yaml *item = root->items[i];
                struct vb_copy_test *t = &v->copy_tests[v->ncopy_tests];
                const struct vb_yaml *ph;
                size_t start, end;
                memset(t, 0, sizeof(*t));
                t->id = root->keys[i]->value;
                t->pos = root->keys[i]->pos;
                if (item->kind != VB_YAML_MAP) {
                        err(&l, item, "copy-bad-type",
                            "test '%s' must hold phrase, tags, channel, start, end, metric, "
                            "control and result, not %s",
                            t->id, vb_yaml_kind_name(item));
                        continue;
                }
                ph = vb_yaml_get(item, "phrase");
                t->phrase = scalar(&l, ph, "phrase");
                if (!t->phrase || !*t->phrase) {
                        vb_diags_add(d, path, t->pos.line, t->pos.col, VB_SEV_ERROR,
                                     "copy-missing-phrase",
                                     "test '%s' has no phrase: add 'phrase: \"the customers' "
                                     "words\"'",
                                     t->id);
                        continue;
                }
                t->phrase_pos = ph->pos;
                if (vb_pii_find(t->phrase, strlen(t->phrase), 0, &start, &end) != VB_PII_NONE) {
                        vb_diags_add(d, path, ph->pos.line, ph->pos.col, VB_SEV_ERROR,
                                     "personal-data",
                                     "the phrase of test '%s' holds an email address or phone "
                                     "number; remove it (it is never published)",
                                     t->id);
                        continue;
                }
                t->channel = scalar(&l, vb_yaml_get(item, "channel"), "channel");
                t->metric = scalar(&l, vb_yaml_get(item, "metric"), "metric");
                t->tags = strings(&l, vb_yaml_get(item, "tags"), "tags", &t->ntags);
                for (size_t k = 0; k < t->ntags; k++) {
                        int alias;
                        const char *best;
                        if (!v->has_tags || vb_vocab_tag(v, t->tags[k], &alias))
                                continue;
                        best = vb_vocab_suggest_tag(v, t->tags[k]);
                        if (best)
                                vb_diags_add(d, path, vb_yaml_get(item, "tags")->pos.line,
                                             vb_yaml_get(item, "tags")->pos.col, VB_SEV_ERROR,
                                             "unknown-tag",
                                             "test '%s' names unknown tag '%s' (did you mean "
                                             "'%s'?)",
                                             t->id, t->tags[k], best);
                        else
                                vb_diags_add(d, path, vb_yaml_get(item, "tags")->pos.line,
                                             vb_yaml_get(item, "tags")->pos.col, VB_SEV_ERROR,
                                             "unknown-tag",
                                             "test '%s' names unknown tag '%s'; use a key of "
                                             "tags: in verbatim.yml",
                                             t->id, t->tags[k]);
                }
                copy_date(&l, item, "start", t->id, &t->start);
                copy_date(&l, item, "end", t->id, &t->end);
                if (vb_date_is_set(t->start) && vb_date_is_set(t->end) &&
                    vb_date_cmp(t->end, t->start) < 0) {
                        const struct vb_yaml *e = vb_yaml_get(item, "end");
                        vb_diags_add(
                            d, path, e->pos.line, e->pos.col, VB_SEV_ERROR, "copy-end-before-start",
                            "test '%s' ends before it starts; check start: and end:", t->id);
                }
                t->has_control = copy_number(&l, item, "control", t->id, &t->control);
                t->has_result = copy_number(&l, item, "result", t->id, &t->result);
                if (t->has_control && t->control == 0) {
                        const struct vb_yaml *c = vb_yaml_get(item, "control");
                        vb_diags_add(d, path, c->pos.line, c->pos.col, VB_SEV_WARNING,
                                     "copy-no-lift",
                                     "the control of test '%s' is 0: no lift can be computed "
                                     "against it",
                                     t->id);
                }
                v->ncopy_tests++;
        }
        return VB_OK;
}

const struct vb_tag *vb_vocab_tag(const struct vb_vocab *v, const char *name, int *is_alias)
{
        /* a short ASCII name, as tags are, folded and hashed on the stack:
         * this runs for every tag of every note */
        char small[64];
        uint64_t h = FNV_BASIS;
        size_t i = 0;
        const struct slot *s;
        for (; i + 1 < sizeof(small); i++) {
                unsigned char c = (unsigned char)name[i];
                if (!c || c >= 0x80)
                        break;
                small[i] = fold_ascii(c);
                h = FNV_STEP(h, small[i]);
        }
        if (!name[i]) {
                small[i] = '\0';
                s = table_find_hashed(v->table, small, h);
        } else {
                struct vb_buf f = VB_BUF_INIT;
                fold(&f, name);
                s = table_find(v->table, f.ptr);
                vb_buf_release(&f);
        }
        if (!s)
                return NULL;
        if (is_alias)
                *is_alias = s->alias;
        return &v->tags[s->tag];
}

/* The one "did you mean" rule, of tags, segments and products: the
 * candidate closest to the name, both case-folded (spaces and '_' as '-'),
 * within 1 edit for names of up to 4 characters, 2 up to 8, else 3; a
 * prefix of three characters or more counts as within reach ("pric" ->
 * "price").  The first of equally close candidates wins. */
struct suggestion {
        struct vb_buf name; /* folded */
        size_t max, best_dist;
        const char *best;
};

static void suggestion_begin(struct suggestion *s, const char *name)
{
        vb_buf_init(&s->name);
        fold(&s->name, name);
        s->max = s->name.len <= 4 ? 1 : s->name.len <= 8 ? 2 : 3;
        s->best_dist = s->max + 1;
        s->best = NULL;
}

/* Weighs the folded candidate `c`, which suggests `answer`. */
static void suggestion_weigh(struct suggestion *s, const struct vb_buf *c, const char *answer)
{
        const struct vb_buf *f = &s->name;
        size_t dist = vb_edit_distance(f->ptr, c->ptr, s->max);
        if (dist > s->max && f->len >= 3 && c->len > f->len && !memcmp(c->ptr, f->ptr, f->len))
                dist = s->max;
        if (dist < s->best_dist) {
                s->best_dist = dist;
                s->best = answer;
        }
}

const char *vb_vocab_suggest_tag(const struct vb_vocab *v, const char *name)
{
        struct suggestion s;
        struct vb_buf c = VB_BUF_INIT;
        suggestion_begin(&s, name);
        for (size_t i = 0; i < v->ntags; i++) {
                const struct vb_tag *t = &v->tags[i];
                /* the key, its aliases, and the key's first word ("shipping" of
                 * "shipping-cost") */
                for (size_t a = 0; a <= t->naliases + 1; a++) {
                        const char *cand = a == 0             ? t->key
                                           : a <= t->naliases ? t->aliases[a - 1]
                                                              : NULL;
                        vb_buf_reset(&c);
                        if (cand) {
                                fold(&c, cand);
                        } else {
                                fold(&c, t->key);
                                char *dash = strchr(c.ptr, '-');
                                if (!dash || dash == c.ptr)
                                        continue;
                                vb_buf_truncate(&c, (size_t)(dash - c.ptr));
                        }
                        suggestion_weigh(&s, &c, t->key);
                }
        }
        vb_buf_release(&c);
        vb_buf_release(&s.name);
        return s.best;
}

const struct vb_segment *vb_vocab_segment(const struct vb_vocab *v, const char *key)
{
        for (size_t i = 0; i < v->nsegments; i++)
                if (!strcmp(v->segments[i].key, key))
                        return &v->segments[i];
        return NULL;
}

const char *vb_vocab_segment_key(const struct vb_vocab *v, const char *value)
{
        if (!value || !*value || (v->has_segments && !vb_vocab_segment(v, value)))
                return "unknown";
        return value;
}

const struct vb_product *vb_vocab_product(const struct vb_vocab *v, const char *key)
{
        for (size_t i = 0; i < v->nproducts; i++)
                if (!strcmp(v->products[i].key, key))
                        return &v->products[i];
        return NULL;
}

const char *vb_vocab_suggest_key(const char *name, const void *items, size_t n, size_t stride)
{
        struct suggestion s;
        struct vb_buf c = VB_BUF_INIT;
        suggestion_begin(&s, name);
        for (size_t i = 0; i < n; i++) {
                const char *key = *(const char *const *)((const char *)items + i * stride);
                vb_buf_reset(&c);
                fold(&c, key);
                suggestion_weigh(&s, &c, key);
        }
        vb_buf_release(&c);
        vb_buf_release(&s.name);
        return s.best;
}

const char *vb_vocab_segment_label(const struct vb_vocab *v, const char *key)
{
        const struct vb_segment *s = vb_vocab_segment(v, key);
        return s ? s->label : key;
}

const struct vb_roadmap_item *vb_vocab_roadmap_item(const struct vb_vocab *v, const char *id)
{
        for (size_t i = 0; i < v->nroadmap; i++)
                if (!strcmp(v->roadmap[i].id, id))
                        return &v->roadmap[i];
        return NULL;
}

const char *vb_vocab_ltv_tier(const struct vb_vocab *v, int has_ltv, double ltv)
{
        if (!has_ltv)
                return "unknown";
        for (size_t i = 0; i < v->nltv_tiers; i++)
                if (!v->ltv_tiers[i].has_below || ltv < v->ltv_tiers[i].below)
                        return v->ltv_tiers[i].label;
        return v->nltv_tiers ? v->ltv_tiers[v->nltv_tiers - 1].label : "unknown";
}

const char *vb_vocab_reason_group(const struct vb_vocab *v, const char *theme)
{
        for (size_t i = 0; i < v->nreason_groups; i++)
                for (size_t k = 0; k < v->reason_groups[i].ntags; k++) {
                        const char *t = v->reason_groups[i].tags[k];
                        const struct vb_tag *tag = v->has_tags ? vb_vocab_tag(v, t, NULL) : NULL;
                        if (!strcmp(tag ? tag->key : t, theme))
                                return v->reason_groups[i].name;
                }
        return theme;
}

const char *vb_vocab_theme_label(const struct vb_vocab *v, const char *theme)
{
        const struct vb_tag *t = v->has_tags ? vb_vocab_tag(v, theme, NULL) : NULL;
        return t ? t->label : theme;
}

const char *vb_vocab_theme(const struct vb_vocab *v, struct vb_arena *arena, const char *name,
                           int *is_alias)
{
        int alias = 0;
        const char *res = NULL;
        if (v->has_tags) {
                const struct vb_tag *t = vb_vocab_tag(v, name, &alias);
                res = t ? t->key : NULL;
        } else {
                struct vb_buf f = VB_BUF_INIT;
                fold(&f, name);
                res = vb_arena_strndup(arena, f.ptr, f.len);
                vb_buf_release(&f);
        }
        if (is_alias)
                *is_alias = alias;
        return res;
}

void vb_note_resolve(struct vb_note *n, const struct vb_vocab *v)
{
        const char **themes = vb_arena_alloc(n->arena, (n->ntags + 1) * sizeof(*themes));
        size_t count = 0;
        for (size_t i = 0; i < n->ntags; i++) {
                int alias = 0;
                const char *t = vb_vocab_theme(v, n->arena, n->tags[i].name, &alias);
                n->tags[i].theme = t;
                n->tags[i].alias = (unsigned char)alias;
                if (!t)
                        continue;
                size_t k = 0;
                while (k < count && strcmp(themes[k], t))
                        k++;
                if (k == count)
                        themes[count++] = t;
        }
        n->themes = themes;
        n->nthemes = count;
}

size_t vb_quote_themes(const struct vb_note *n, size_t quote, const char ***out,
                       struct vb_arena *scratch)
{
        const struct vb_quote *q = &n->quotes[quote];
        size_t count = 0;
        const char **themes;
        if (!q->tag_count) {
                *out = (const char **)n->themes;
                return n->nthemes;
        }
        themes = vb_arena_alloc(scratch, q->tag_count * sizeof(*themes));
        for (size_t i = 0; i < q->tag_count; i++) {
                const char *t = n->tags[q->tag_first + i].theme;
                size_t k = 0;
                if (!t)
                        continue;
                while (k < count && strcmp(themes[k], t))
                        k++;
                if (k == count)
                        themes[count++] = t;
        }
        *out = themes;
        return count;
}

const char *vb_note_main_reason(const struct vb_note *n, const struct vb_vocab *v,
                                struct vb_arena *arena)
{
        if (n->reason.value && *n->reason.value)
                return vb_vocab_theme(v, arena, n->reason.value, NULL);
        for (size_t i = n->nfront_tags; i < n->ntags; i++) {
                const struct vb_tag_ref *t = &n->tags[i];
                if (t->theme && t->section_kind == VB_SECTION_ALMOST_STOPPED)
                        return t->theme;
        }
        return NULL;
}
