/* verbatim.yml and roadmap.yml: defaults, lookups and errors. */
#include "t.h"
#include "verbatim/vocab.h"

static struct vb_diags d;

static struct vb_vocab *load(const char *text)
{
        struct vb_vocab *v = NULL;
        vb_diags_release(&d);
        vb_vocab_load(&v, "verbatim.yml", text, strlen(text), &d);
        return v;
}

static const char *diag(size_t i)
{
        static struct vb_buf b;
        vb_buf_release(&b);
        if (i >= d.n)
                return "(none)";
        vb_buf_addf(&b, "%u:%u: %s [%s]", d.v[i].line, d.v[i].col, d.v[i].message, d.v[i].rule);
        return b.ptr;
}

static const char yml[] = "title: ACME\n"
                          "notes: [calls]\n"
                          "segments:\n"
                          "  buyer: {label: Recent buyers}\n"
                          "  abandoner: {label: Cart abandoners}\n"
                          "tags:\n"
                          "  fit-uncertainty:\n"
                          "    label: Unsure about fit\n"
                          "    kind: problem\n"
                          "    aliases: [sizing, fit]\n"
                          "  price: {label: Price, kind: reason}\n"
                          "  shipping-cost: {label: Shipping cost, kind: reason}\n"
                          "  how we work: {kind: emotion}\n"
                          "required: [date, segment, customer]\n"
                          "reason-groups:\n"
                          "  price: [price, shipping-cost]\n"
                          "ltv-tiers: [{label: low, below: 100}, {label: high}]\n"
                          "weekly-goal: 5\n";

/* The key of the tag `name` names, or "(none)". */
static const char *tag_key(const struct vb_vocab *v, const char *name, int *alias)
{
        const struct vb_tag *t = vb_vocab_tag(v, name, alias);
        return t ? t->key : "(none)";
}

static void full_vocabulary(void)
{
        struct vb_vocab *v = load(yml);
        int alias = -1;
        T_INT(d.n, 0);
        T_STR(v->title, "ACME");
        T_INT(v->nnotes, 1);
        T_STR(v->notes[0], "calls");
        T_INT(v->nsegments, 2);
        T_STR(vb_vocab_segment_label(v, "abandoner"), "Cart abandoners");
        T_INT(v->ntags, 4);
        T_STR(vb_vocab_tag(v, "Sizing", &alias)->key, "fit-uncertainty");
        T_INT(alias, 1);
        T_STR(vb_vocab_tag(v, "PRICE", &alias)->key, "price");
        T_INT(alias, 0);
        T_STR(vb_vocab_tag(v, "how-we-work", &alias)->key, "how we work");
        T_STR(tag_key(v, "How_We Work", &alias), "how we work");
        T_TRUE(vb_vocab_tag(v, "pricey", &alias) == NULL);
        T_STR(vb_vocab_suggest_tag(v, "pricee"), "price");
        T_STR(vb_vocab_suggest_tag(v, "shiping-cost"), "shipping-cost");
        T_STR(vb_vocab_suggest_tag(v, "shiping"), "shipping-cost");
        T_TRUE(vb_vocab_suggest_tag(v, "zzzzzzzz") == NULL);
        T_INT(v->nrequired, 3);
        T_STR(vb_vocab_reason_group(v, "shipping-cost"), "price");
        T_STR(vb_vocab_reason_group(v, "fit-uncertainty"), "fit-uncertainty");
        T_STR(vb_vocab_ltv_tier(v, 1, 99.99), "low");
        T_STR(vb_vocab_ltv_tier(v, 1, 100), "high");
        T_STR(vb_vocab_ltv_tier(v, 0, 0), "unknown");
        T_INT(v->weekly_goal, 5);
        T_STR(vb_vocab_theme_label(v, "fit-uncertainty"), "Unsure about fit");
        vb_vocab_free(v);
}

/* One "did you mean" rule for tags, segments and products: the same names
 * get the same answer from a tag and from a segment of the same key
 * (regression: segments allowed 2 edits at any length, case-sensitive). */
static void one_suggestion_rule(void)
{
        static const char *names[] = {"ab",    "BUYER",     "byuer",       "buy",
                                      "vip",   "abandonr",  "shiping-cst", "shippng-cots",
                                      "xyzzy", "returnerss"};
        struct vb_vocab *v = load("segments:\n  buyer: {label: B}\n  abandoner: {label: A}\n"
                                  "  xy: {label: X}\n  shipping-cost: {label: S}\n"
                                  "tags:\n  buyer: {}\n  abandoner: {}\n  xy: {}\n"
                                  "  shipping-cost: {}\n");
        T_INT(d.n, 0);
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
                const char *seg =
                    vb_vocab_suggest_key(names[i], v->segments, v->nsegments, sizeof(*v->segments));
                const char *tag = vb_vocab_suggest_tag(v, names[i]);
                if (!seg != !tag || (seg && strcmp(seg, tag)))
                        T_FAIL("'%s': segment %s, tag %s", names[i], seg ? seg : "(none)",
                               tag ? tag : "(none)");
        }
        T_STR(vb_vocab_suggest_key("BUYER", v->segments, v->nsegments, sizeof(*v->segments)),
              "buyer");
        T_TRUE(vb_vocab_suggest_key("ab", v->segments, v->nsegments, sizeof(*v->segments)) == NULL);
        vb_vocab_free(v);
}

/* Names are folded (case, ' ' and '_' as '-', Latin capitals) the same
 * way whatever their length: short ASCII ones on a fast path. */
static void tag_names(void)
{
        char yml2[512], name[256];
        const char *k62 = "a123456789b123456789c123456789d123456789e123456789f123456789gh";
        snprintf(yml2, sizeof(yml2),
                 "tags:\n  %s: {}\n  %sx: {}\n  %sxy-long-key-%s: {}\n  gr\xc3\xb6\xc3\x9f"
                 "e: {aliases: [\xc3\x9c"
                 "bergr\xc3\xb6\xc3\x9f"
                 "e]}\n",
                 k62, k62, k62, k62);
        struct vb_vocab *v = load(yml2);
        T_INT(d.n, 0);
        T_INT(v->ntags, 4);
        for (size_t len = 62; len <= 64; len++) {
                snprintf(name, sizeof(name), "%s%s", k62, len == 62 ? "" : len == 63 ? "x" : "xy");
                for (char *c = name; *c; c++)
                        *c = *c >= 'a' && *c <= 'z' ? (char)(*c - 32) : *c;
                const struct vb_tag *t = vb_vocab_tag(v, name, NULL);
                if (len == 64) {
                        T_TRUE(t == NULL); /* no such key */
                        continue;
                }
                T_TRUE(t != NULL);
                if (t)
                        T_INT(strlen(t->key), len);
        }
        snprintf(name, sizeof(name), "%sXY Long_Key %s", k62, k62);
        T_TRUE(vb_vocab_tag(v, name, NULL) != NULL); /* longer than the fast path takes */
        /* Latin capitals fold too (the slow path): Ö to ö, Ü to ü */
        static const char grosse[] = "gr\xc3\xb6\xc3\x9f"
                                     "e";
        T_STR(tag_key(v,
                      "GR\xc3\x96\xc3\x9f"
                      "E",
                      NULL),
              grosse);
        int alias = 0;
        T_STR(tag_key(v,
                      "\xc3\x9c"
                      "bergr\xc3\xb6\xc3\x9f"
                      "e",
                      &alias),
              grosse);
        T_INT(alias, 1);
        vb_vocab_free(v);
}

static void defaults(void)
{
        struct vb_vocab *v = vb_vocab_default();
        T_INT(v->nnotes, 1);
        T_STR(v->notes[0], ".");
        T_INT(v->nrequired, 1);
        T_STR(v->required[0], "date");
        T_INT(v->has_tags, 0);
        T_INT(v->has_segments, 0);
        T_STR(v->themes_key, "tags");
        T_STR(vb_vocab_ltv_tier(v, 1, 250), "mid");
        struct vb_arena a = VB_ARENA_INIT;
        T_STR(vb_vocab_theme(v, &a, "How We Work", NULL), "how-we-work");
        vb_arena_release(&a);
        vb_vocab_free(v);
}

static void errors(void)
{
        struct vb_vocab *v = load("tags:\n  price: {kind: cost}\n  fit: {aliases: [price]}\n"
                                  "colour: blue\n");
        vb_diags_sort(&d);
        T_STR(diag(0), "2:17: unknown kind 'cost' of tag 'price'; use problem, feature-request, "
                       "emotion or reason [vocab-bad-kind]");
        T_STR(diag(1), "3:3: alias 'price' of tag 'fit' is already a key or alias of 'price'; "
                       "remove one [vocab-duplicate-alias]");
        T_STR(diag(2), "4:1: unknown key 'colour' is ignored; see the README for the keys of "
                       "verbatim.yml [vocab-unknown-key]");
        vb_vocab_free(v);
        v = load("tags: [a\n");
        T_TRUE(v == NULL);
        T_STR(d.v[0].rule, "yaml-syntax");
}

static void roadmap(void)
{
        struct vb_vocab *v = load(yml);
        static const char rm[] = "wide-fit-last:\n"
                                 "  title: Wide-fit last\n"
                                 "  status: shipped\n"
                                 "  shipped: 2026-09-14\n"
                                 "  tags: [fit-uncertainty]\n"
                                 "advisor:\n"
                                 "  status: shipped\n"
                                 "  tags: [sizzing]\n";
        vb_diags_release(&d);
        vb_vocab_load_roadmap(v, "roadmap.yml", rm, strlen(rm), &d);
        T_INT(v->nroadmap, 2);
        T_STR(vb_vocab_roadmap_item(v, "wide-fit-last")->title, "Wide-fit last");
        T_INT(vb_vocab_roadmap_item(v, "wide-fit-last")->shipped.month, 9);
        T_STR(diag(0), "6:1: roadmap item 'advisor' is shipped but has no shipped: date; add "
                       "'shipped: YYYY-MM-DD' [roadmap-shipped-date]");
        T_STR(diag(1), "8:9: roadmap item 'advisor' names tag 'sizzing', which verbatim.yml does "
                       "not list [roadmap-unknown-tag]");
        vb_vocab_free(v);
}

int main(void)
{
        T_RUN(full_vocabulary);
        T_RUN(tag_names);
        T_RUN(one_suggestion_rule);
        T_RUN(defaults);
        T_RUN(errors);
        T_RUN(roadmap);
        vb_diags_release(&d);
        T_END();
}
