/* vb_note_compact: a compacted note keeps exactly what note.h promises,
 * borrows the vocabulary's strings, and the aggregates of a kb read the same
 * with and without compaction. */
#include "t.h"
#include "verbatim/agg.h"
#include "verbatim/kb.h"
#include "verbatim/note.h"
#include "verbatim/vocab.h"

#include <stdint.h>
#include <stdlib.h>

static const char vocab_yml[] = "segments:\n"
                                "  buyer: {label: Recent buyers}\n"
                                "tags:\n"
                                "  price:\n"
                                "    label: Price\n"
                                "    kind: reason\n"
                                "    aliases: [too-expensive]\n"
                                "  fit:\n"
                                "    label: Fit\n"
                                "    kind: problem\n"
                                "products:\n"
                                "  socks: {label: Socks, line: running}\n";

static const char roadmap_yml[] = "wide-fit:\n"
                                  "  title: Wide fit\n"
                                  "  status: planned\n"
                                  "  tags: [fit]\n";

static const char note_md[] = "---\n"
                              "date: 2026-11-03\n"
                              "segment: buyer\n"
                              "customer: C-1\n"
                              "interviewer: apatel\n"
                              "channel: phone\n"
                              "outcome: connected\n"
                              "ltv: 12.50\n"
                              "follows: 2026-10-01-c1-buyer\n"
                              "tags: [price, Fit, nosuch]\n"
                              "products: [socks, shoes]\n"
                              "roadmap: [wide-fit, unplanned-id]\n"
                              "reason: price\n"
                              "---\n"
                              "# Call\n"
                              "\n"
                              "## What almost stopped them\n"
                              "> \"Too dear\" #too-expensive #fit\n"
                              "\n"
                              "> \"Not sure\"\n"
                              "\n"
                              "Mail me at jane@example.com #fit\n"
                              "\n"
                              "## Job to be done\n"
                              "- Job: run trails\n"
                              "- Before: road shoes\n"
                              "- Without it: tape her heels\n"
                              "\n"
                              "## Five whys\n"
                              "1. Why did you leave? Unsure about the size.\n"
                              "2. Returns cost money.\n"
                              "3. Money is tight.\n";

static struct vb_vocab *vocab(void)
{
        struct vb_vocab *v = NULL;
        struct vb_diags d = VB_DIAGS_INIT;
        T_INT(vb_vocab_load(&v, "verbatim.yml", vocab_yml, sizeof(vocab_yml) - 1, &d), VB_OK);
        if (v)
                T_INT(vb_vocab_load_roadmap(v, "roadmap.yml", roadmap_yml, sizeof(roadmap_yml) - 1,
                                            &d),
                      VB_OK);
        T_INT(d.n, 0);
        vb_diags_release(&d);
        return v;
}

static struct vb_note *parse(const char *text, const struct vb_vocab *v)
{
        struct vb_note *n = NULL;
        struct vb_diags d = VB_DIAGS_INIT;
        vb_note_parse(&n, "calls/2026/2026-11-03-c1-buyer.md", text, strlen(text), NULL, &d);
        vb_diags_release(&d);
        if (n)
                vb_note_resolve(n, v);
        return n;
}

static int same_pos(struct vb_pos a, struct vb_pos b)
{
        return a.line == b.line && a.col == b.col;
}

/* What is kept reads the same; what is dropped is NULL. */
static void keeps_the_contract(void)
{
        struct vb_vocab *v = vocab();
        struct vb_note *a = v ? parse(note_md, v) : NULL, *b = v ? parse(note_md, v) : NULL;
        T_TRUE(a && b);
        if (!a || !b)
                goto done;
        /* the parse is what the test expects of it */
        T_INT(a->ntags, 6);
        T_INT(a->nfront_tags, 3);
        T_INT(a->nsections, 3);
        T_INT(a->nquotes, 2);
        T_INT(a->nwhys, 3);
        T_INT(a->nthemes, 2);
        T_INT(a->nproducts, 2);
        T_INT(a->check->npii, 1);
        T_TRUE(a->check->interviewer.value != NULL);
        b = vb_note_compact(b, v);

        T_STR(b->path, a->path);
        T_STR(b->id, a->id);
        T_STR(b->segment.value, "buyer");
        T_TRUE(same_pos(b->segment.pos, a->segment.pos));
        T_STR(b->customer.value, "C-1");
        T_TRUE(same_pos(b->customer.pos, a->customer.pos));
        T_STR(b->follows.value, "2026-10-01-c1-buyer");
        T_TRUE(same_pos(b->follows.pos, a->follows.pos));
        T_STR(b->reason.value, "price");
        T_TRUE(same_pos(b->reason.pos, a->reason.pos));
        T_INT(b->date.year, 2026);
        T_INT(b->date.month, 11);
        T_INT(b->date.day, 3);
        T_INT(b->outcome, VB_OUTCOME_CONNECTED);
        T_INT(b->has_ltv, 1);
        T_TRUE(b->ltv == 12.5);
        T_INT(b->errors, a->errors);
        T_INT(b->front_ok, 1);
        T_INT(b->has_front_matter, 1);
        T_INT(b->body_line, a->body_line);
        T_INT(b->nroadmap, 2);
        for (size_t i = 0; i < 2 && b->nroadmap == 2; i++) {
                T_STR(b->roadmap[i].value, a->roadmap[i].value);
                T_TRUE(same_pos(b->roadmap[i].pos, a->roadmap[i].pos));
        }
        /* products: kept (the product pages and --product/--line read them),
         * a catalog id borrowed from the vocabulary, another copied */
        T_INT(b->nproducts, 2);
        for (size_t i = 0; i < 2 && b->nproducts == 2; i++) {
                T_STR(b->products[i].value, a->products[i].value);
                T_TRUE(same_pos(b->products[i].pos, a->products[i].pos));
        }
        if (b->nproducts == 2)
                T_TRUE(b->products[0].value == vb_vocab_product(v, "socks")->key);
        T_INT(b->ntags, a->ntags);
        T_INT(b->nfront_tags, a->nfront_tags);
        for (size_t i = 0; i < a->ntags && b->ntags == a->ntags; i++) {
                T_TRUE(b->tags[i].name == NULL);
                T_STR(b->tags[i].theme ? b->tags[i].theme : "-",
                      a->tags[i].theme ? a->tags[i].theme : "-");
                T_TRUE(same_pos(b->tags[i].pos, a->tags[i].pos));
                T_INT(b->tags[i].quote, a->tags[i].quote);
                T_INT(b->tags[i].hashtag, a->tags[i].hashtag);
                T_INT(b->tags[i].alias, a->tags[i].alias);
                T_INT(b->tags[i].section_kind, a->tags[i].section_kind);
        }
        T_INT(b->nsections, 0);
        T_TRUE(b->sections == NULL);
        T_INT(b->nquotes, a->nquotes);
        for (size_t i = 0; i < a->nquotes && b->nquotes == a->nquotes; i++) {
                T_STR(b->quotes[i].text, a->quotes[i].text);
                T_TRUE(same_pos(b->quotes[i].pos, a->quotes[i].pos));
                T_INT(b->quotes[i].section_kind, a->quotes[i].section_kind);
                T_INT(b->quotes[i].tag_first, a->quotes[i].tag_first);
                T_INT(b->quotes[i].tag_count, a->quotes[i].tag_count);
        }
        T_INT(b->njobs, 1);
        if (b->njobs == 1) {
                T_STR(b->jobs[0].job, "run trails");
                T_STR(b->jobs[0].before, "road shoes");
                T_STR(b->jobs[0].without_it, "tape her heels");
                T_TRUE(same_pos(b->jobs[0].pos, a->jobs[0].pos));
        }
        /* the last why only */
        T_INT(b->nwhys, 1);
        if (b->nwhys == 1) {
                T_STR(b->whys[0].text, "Money is tight.");
                T_TRUE(same_pos(b->whys[0].pos, a->whys[2].pos));
        }
        T_INT(b->nthemes, a->nthemes);
        for (size_t i = 0; i < a->nthemes && b->nthemes == a->nthemes; i++)
                T_STR(b->themes[i], a->themes[i]);
        /* dropped */
        T_TRUE(b->check == NULL);
        T_TRUE(b->arena == NULL); /* one block, no arena */
        /* what the report computes from it */
        struct vb_arena reasons = VB_ARENA_INIT;
        T_STR(vb_note_main_reason(b, v, &reasons), "price");
        T_TRUE(vb_note_main_reason(b, v, &reasons) == vb_note_main_reason(a, v, &reasons));
        vb_arena_release(&reasons);
        for (size_t q = 0; q < a->nquotes; q++) {
                struct vb_arena scratch = VB_ARENA_INIT;
                const char **ta = NULL, **tb = NULL;
                size_t na = vb_quote_themes(a, q, &ta, &scratch);
                size_t nb = vb_quote_themes(b, q, &tb, &scratch);
                T_INT(nb, na);
                for (size_t k = 0; k < na && nb == na; k++)
                        T_STR(tb[k], ta[k]);
                vb_arena_release(&scratch);
        }
done:
        vb_note_free(a);
        vb_note_free(b);
        vb_vocab_free(v);
}

/* Compacted into a pool: the same note as one of its own, in the pool's
 * blocks (released with the pool, not with vb_note_free). */
static void in_a_pool(void)
{
        struct vb_vocab *v = vocab();
        struct vb_arena pool = VB_ARENA_INIT;
        struct vb_note *own = v ? vb_note_compact(parse(note_md, v), v) : NULL;
        struct vb_note *pooled[3];
        T_TRUE(own != NULL);
        if (!own)
                goto done;
        for (size_t i = 0; i < 3; i++)
                pooled[i] = vb_note_compact_in(parse(note_md, v), v, &pool);
        T_TRUE(pool.total > 0);
        for (size_t i = 0; i < 3; i++) {
                const struct vb_note *b = pooled[i];
                T_TRUE(((uintptr_t)b & 15) == 0);
                T_STR(b->id, own->id);
                T_STR(b->segment.value, own->segment.value);
                T_INT(b->ntags, own->ntags);
                T_INT(b->nquotes, own->nquotes);
                for (size_t q = 0; q < b->nquotes && q < own->nquotes; q++)
                        T_STR(b->quotes[q].text, own->quotes[q].text);
                T_INT(b->nthemes, own->nthemes);
                for (size_t k = 0; k < b->nthemes && k < own->nthemes; k++)
                        T_STR(b->themes[k], own->themes[k]);
                T_TRUE(b->arena == NULL && b->check == NULL);
        }
done:
        vb_note_free(own);
        vb_arena_release(&pool);
        vb_vocab_free(v);
}

/* Themes, the segment, the reason and roadmap ids that the vocabulary has
 * are its strings; the others are copies. */
static void borrows_the_vocabulary(void)
{
        struct vb_vocab *v = vocab();
        struct vb_note *n = v ? parse(note_md, v) : NULL;
        T_TRUE(n != NULL);
        if (!n)
                goto done;
        n = vb_note_compact(n, v);
        const struct vb_tag *price = vb_vocab_tag(v, "price", NULL);
        const struct vb_tag *fit = vb_vocab_tag(v, "fit", NULL);
        T_TRUE(price && fit);
        if (!price || !fit)
                goto done;
        T_TRUE(n->tags[0].theme == price->key);
        T_TRUE(n->tags[1].theme == fit->key);
        T_TRUE(n->tags[2].theme == NULL);       /* nosuch: no key or alias */
        T_TRUE(n->tags[3].theme == price->key); /* #too-expensive */
        T_TRUE(n->themes[0] == price->key);
        T_TRUE(n->themes[1] == fit->key);
        T_TRUE(n->segment.value == vb_vocab_segment(v, "buyer")->key);
        T_TRUE(n->reason.value == price->key);
        T_TRUE(n->roadmap[0].value == vb_vocab_roadmap_item(v, "wide-fit")->id);
        T_STR(n->roadmap[1].value, "unplanned-id");
        T_TRUE(vb_vocab_roadmap_item(v, "unplanned-id") == NULL);
done:
        vb_note_free(n);
        vb_vocab_free(v);
}

/* Without tags in the vocabulary themes are the note's own folded copies:
 * copied once, the tags and themes sharing them; an unknown segment is
 * copied; with no vocabulary nothing is borrowed. */
static void copies_what_the_vocabulary_lacks(void)
{
        static const char text[] = "---\n"
                                   "segment: Walk-in\n"
                                   "tags: [Price, price]\n"
                                   "---\n"
                                   "> \"hm\" #PRICE\n";
        struct vb_vocab *v = vb_vocab_default();
        for (int with_vocab = 0; with_vocab < 2; with_vocab++) {
                struct vb_note *n = parse(text, v);
                T_TRUE(n != NULL);
                if (!n)
                        continue;
                n = vb_note_compact(n, with_vocab ? v : NULL);
                T_STR(n->segment.value, "Walk-in");
                T_INT(n->ntags, 3);
                T_INT(n->nthemes, 1);
                if (n->ntags == 3 && n->nthemes == 1) {
                        T_STR(n->themes[0], "price");
                        T_TRUE(n->tags[0].theme == n->themes[0]);
                        T_STR(n->tags[1].theme, "price");
                        T_STR(n->tags[2].theme, "price");
                        T_TRUE(n->tags[2].theme != n->tags[1].theme); /* one copy per tag */
                        /* inside the note's block */
                        T_TRUE((const char *)n->themes[0] > (const char *)n);
                        T_TRUE((const char *)n->segment.value > (const char *)n);
                }
                vb_note_free(n);
        }
        vb_vocab_free(v);
}

/* An empty note compacts to a note with nothing. */
static void empty_note(void)
{
        struct vb_vocab *v = vb_vocab_default();
        struct vb_note *n = parse("", v);
        T_TRUE(n != NULL);
        if (n) {
                n = vb_note_compact(n, v);
                T_STR(n->id, "2026-11-03-c1-buyer");
                T_INT(n->ntags + n->nsections + n->nquotes + n->njobs + n->nwhys + n->nthemes, 0);
                T_TRUE(n->tags == NULL && n->whys == NULL && n->themes == NULL);
                T_TRUE(n->segment.value == NULL && n->check == NULL);
                vb_note_free(n);
        }
        vb_vocab_free(v);
}

static int keep_compact(void *ctx, struct vb_note *n, const struct vb_vocab *v, struct vb_diags *d)
{
        (void)ctx, (void)n, (void)v, (void)d;
        return VB_KB_KEEP_COMPACT;
}

enum { COMPACT = 1, NO_REFS = 2 };

/* The aggregates of `dir` loaded with `how` (COMPACT, NO_REFS), and how many notes. */
static void aggregates(const char *dir, int how, struct vb_buf *out)
{
        int compact = how & COMPACT;
        struct vb_source *src = NULL;
        struct vb_kb *kb = NULL;
        struct vb_agg *a = NULL;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_kb_options opt;
        memset(&opt, 0, sizeof(opt));
        opt.on_note = compact ? keep_compact : NULL;
        opt.no_refs = (how & NO_REFS) != 0;
        T_INT(vb_source_open_dir(&src, dir, &d), VB_OK);
        if (src)
                T_INT(vb_kb_load(&kb, src, &opt, &d), VB_OK);
        if (kb) {
                T_TRUE(kb->nnotes > 0);
                if (how & NO_REFS)
                        T_TRUE(kb->refs == NULL && kb->nrefs == 0);
                else
                        T_TRUE(kb->refs != NULL && kb->nrefs >= kb->nnotes);
                vb_buf_addf(out, "%zu notes, %zu files\n", kb->nnotes, kb->nfiles);
                for (size_t i = 0; i < kb->nnotes; i++)
                        T_TRUE((kb->notes[i]->check == NULL) == (compact != 0));
                T_INT(vb_agg_build(&a, kb, NULL), VB_OK);
        }
        if (a) {
                vb_agg_json(out, a);
                for (size_t t = 0; vb_agg_csv_tables[t]; t++) {
                        vb_buf_addf(out, "\n== %s\n", vb_agg_csv_tables[t]);
                        T_INT(vb_agg_csv(out, a, vb_agg_csv_tables[t]), VB_OK);
                }
        }
        for (size_t i = 0; i < d.n; i++)
                vb_buf_addf(out, "\n%s:%u: %s", d.v[i].path, d.v[i].line, d.v[i].message);
        vb_agg_free(a);
        vb_kb_free(kb);
        vb_source_free(src);
        vb_diags_release(&d);
}

/* The aggregates (JSON and CSV) of the fixture kb are the same bytes,
 * compacted or not, with refs or without. */
static void same_aggregates(void)
{
        /* products/kb: the products survive compaction (lines and products) */
        static const char *const dirs[] = {"tests/fixtures/agg/kb", "tests/fixtures/report/small",
                                           "tests/fixtures/products/kb"};
        for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
                struct vb_buf plain = VB_BUF_INIT, compact = VB_BUF_INIT, bare = VB_BUF_INIT;
                aggregates(dirs[i], 0, &plain);
                aggregates(dirs[i], COMPACT, &compact);
                aggregates(dirs[i], COMPACT | NO_REFS, &bare); /* as the report loads */
                T_TRUE(plain.len > 1000);
                T_INT(compact.len, plain.len);
                T_TRUE(plain.len == compact.len && !memcmp(plain.ptr, compact.ptr, plain.len));
                T_TRUE(plain.len == bare.len && !memcmp(plain.ptr, bare.ptr, plain.len));
                vb_buf_release(&plain);
                vb_buf_release(&compact);
                vb_buf_release(&bare);
        }
}

int main(void)
{
        T_RUN(keeps_the_contract);
        T_RUN(in_a_pool);
        T_RUN(borrows_the_vocabulary);
        T_RUN(copies_what_the_vocabulary_lacks);
        T_RUN(empty_note);
        T_RUN(same_aggregates);
        T_END();
}
