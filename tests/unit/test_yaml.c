/* vb_yaml_parse reads front matter in the plain shape itself and hands the
 * rest to libyaml: both routes must give the same tree, positions and
 * diagnostics.  Hand-written cases at the shape's edges, then many random
 * edits of typical front matter, each compared with libyaml's reading. */
#define VB_FUZZ_REPLAY
#include "../fuzz/fuzz_yaml.c" /* yaml_agree, also the fuzz target's oracle */
#include "t.h"
#include "verbatim/yaml.h"

#include <stdint.h>
#include <stdlib.h>

static const char *const seeds[] = {
    "date: 2026-05-12\nsegment: abandoner\ncustomer: C-10227\ninterviewer: apatel\n"
    "outcome: no-answer\nchannel: phone\nproducts: [road-glide]\nltv: 29.14\n",
    "# note 2026-11-03: replace every line\ndate: 2026-11-03              # required\n"
    "segment: abandoner\ntags: [fit-uncertainty, shipping-cost]   # themes\n"
    "roadmap: []\nfollows: 2026-10-01-c10492-buyer\n",
    "title: Size runs small, but the reviews said so\nnote: it's \"fine\" R&D 100% a*b\n\n"
    "tags: [ a ,b b,  c ]\n",
    "a: 1\nb: [x]\na: 2\n",
    "k: v\n",
};

/* Hand-written: each must read the same both ways; `plain` says which
 * route vb_yaml_parse takes. */
static const struct {
        const char *doc;
        int plain;
} cases[] = {
    {"date: 2026-05-12\n", 1},
    {"date: 2026-05-12", 1},
    {"a: b # c\n", 1},
    {"a: b#c\n", 0},
    {"a: [x, y] # z\n", 1},
    {"a: [x, y]# z\n", 0},
    {"a: [x, y]z\n", 0},
    {"a: [x, y,]\n", 0},
    {"a: []\n", 1},
    {"a: [ ]\n", 1},
    {"a: [x y]\n", 1},
    {"a:  spaced   words  \n", 1},
    {"\n\na: b\n\n", 1},
    {"# only a comment\n", 0},
    {"", 0},
    {"a:\n", 0},
    {"a: # nothing\n", 0},
    {"a:b\n", 0},
    {"a : b\n", 0},
    {" a: b\n", 0},
    {"a: b\n  c\n", 0},
    {"a: 'b'\n", 0},
    {"a: \"b\"\n", 0},
    {"a: -1\n", 0},
    {"a: b: c\n", 0},
    {"a: http://x\n", 0},
    {"a: &x b\n", 0},
    {"a: *x\n", 0},
    {"a: !t b\n", 0},
    {"a: |\n  b\n", 0},
    {"a:\n  - b\n", 0},
    {"a: {b: c}\n", 0},
    {"a: b\r\n", 0},
    {"a:\tb\n", 0},
    {"a: caf\xc3\xa9\n", 0},
    {"-a: b\n", 0},
    {"a.b: c\n", 0},
    {"a: [b, [c]]\n", 0},
    {"a: [b, 'c']\n", 0},
    {"a: [b\n", 0},
    {"a: b\na: c\n", 1},
    {"%YAML 1.1\n---\na: b\n", 0},
};

static void test_cases(void)
{
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                size_t len = strlen(cases[i].doc);
                if (!yaml_agree(cases[i].doc, len))
                        T_FAIL("case %zu (%s): the two readings differ", i, cases[i].doc);
                if (vb_yaml_is_plain(cases[i].doc, len) != cases[i].plain)
                        T_FAIL("case %zu (%s): plain is %d, expected %d", i, cases[i].doc,
                               !cases[i].plain, cases[i].plain);
        }
        for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
                T_TRUE(yaml_agree(seeds[i], strlen(seeds[i])));
                T_TRUE(vb_yaml_is_plain(seeds[i], strlen(seeds[i])));
        }
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static unsigned next(unsigned n)
{
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        return (unsigned)(rng % n);
}

/* Random edits of the seeds: inserted YAML indicators, spaces, line
 * breaks, deleted and doubled bytes.  A failing edit is printed. */
static void test_edits(void)
{
        static const char alphabet[] = " :#-[],{}'\"\n\t&*!|>%@`?ab1.\r";
        char doc[1024];
        int failures = 0, plain = 0, rounds = 20000;
        for (int r = 0; r < rounds && failures < 5; r++) {
                const char *seed = seeds[next(sizeof(seeds) / sizeof(seeds[0]))];
                size_t len = strlen(seed);
                memcpy(doc, seed, len);
                for (int e = 1 + (int)next(3); e > 0; e--) {
                        size_t at = next((unsigned)len + 1);
                        switch (next(3)) {
                        case 0: /* insert */
                                if (len + 1 >= sizeof(doc))
                                        break;
                                memmove(doc + at + 1, doc + at, len - at);
                                doc[at] = alphabet[next(sizeof(alphabet) - 1)];
                                len++;
                                break;
                        case 1: /* delete */
                                if (at < len) {
                                        memmove(doc + at, doc + at + 1, len - at - 1);
                                        len--;
                                }
                                break;
                        default: /* double */
                                if (at < len && len + 1 < sizeof(doc)) {
                                        memmove(doc + at + 1, doc + at, len - at);
                                        len++;
                                }
                                break;
                        }
                }
                plain += vb_yaml_is_plain(doc, len);
                if (!yaml_agree(doc, len)) {
                        T_FAIL("edit %d differs: \"%.*s\"", r, (int)len, doc);
                        failures++;
                }
        }
        /* the edits reach both routes */
        T_TRUE(plain > rounds / 10);
        T_TRUE(plain < rounds * 9 / 10);
}

int main(void)
{
        T_RUN(test_cases);
        T_RUN(test_edits);
        T_END();
}
