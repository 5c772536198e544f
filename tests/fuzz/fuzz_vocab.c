/* Fuzz target: verbatim.yml and roadmap.yml.  The input is split at the
 * first "\n%%\n" line: before it the vocabulary, after it the roadmap (the
 * whole input is both when there is none).  Then every lookup runs on what
 * was loaded. */
#include "fuzz.h"
#include "verbatim/vocab.h"

#include <stdlib.h>
#include <string.h>

static void vocab_lookups(const struct vb_vocab *v)
{
        struct vb_arena scratch = VB_ARENA_INIT;
        int alias;
        for (size_t i = 0; i < v->ntags; i++) {
                const struct vb_tag *t =
                    v->tags[i].key ? vb_vocab_tag(v, v->tags[i].key, &alias) : NULL;
                if (!v->tags[i].key || !t || !v->tags[i].label)
                        abort();
                (void)vb_vocab_suggest_tag(v, v->tags[i].key);
                (void)vb_vocab_theme(v, &scratch, v->tags[i].key, &alias);
                (void)vb_vocab_theme_label(v, v->tags[i].key);
                (void)vb_vocab_reason_group(v, v->tags[i].key);
                for (size_t k = 0; k < v->tags[i].naliases; k++)
                        if (!v->tags[i].aliases[k] ||
                            !vb_vocab_tag(v, v->tags[i].aliases[k], &alias))
                                abort();
        }
        for (size_t i = 0; i < v->nsegments; i++)
                if (!v->segments[i].key || !vb_vocab_segment_label(v, v->segments[i].key))
                        abort();
        for (size_t i = 0; i < v->nroadmap; i++)
                if (!v->roadmap[i].id || !vb_vocab_roadmap_item(v, v->roadmap[i].id))
                        abort();
        for (size_t i = 0; i < v->nnotes; i++)
                if (!v->notes[i])
                        abort();
        (void)vb_vocab_suggest_tag(v, "pricee");
        (void)vb_vocab_theme(v, &scratch, "How We Work", &alias);
        (void)vb_vocab_ltv_tier(v, 1, 250.0);
        (void)vb_vocab_ltv_tier(v, 0, 0);
        vb_arena_release(&scratch);
}

int vb_fuzz_vocab(const uint8_t *data, size_t size)
{
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_vocab *v = NULL;
        const char *buf = (const char *)data, *road = buf;
        size_t vlen = size, rlen = size;
        const char *sep = size >= 4 ? memmem(buf, size, "\n%%\n", 4) : NULL;

        if (sep) {
                vlen = (size_t)(sep - buf) + 1;
                road = sep + 4;
                rlen = size - vlen - 3;
        }
        if (vb_vocab_load(&v, "verbatim.yml", buf, vlen, &d) == VB_OK) {
                if (!v)
                        abort();
                vb_vocab_load_roadmap(v, "roadmap.yml", road, rlen, &d);
                vocab_lookups(v);
        } else if (v) {
                abort();
        }
        for (size_t i = 0; i < d.n; i++)
                if (!d.v[i].message || !d.v[i].rule || !d.v[i].message[0])
                        abort();
        vb_vocab_free(v);
        vb_diags_release(&d);
        return 0;
}

VB_FUZZ_ENTRY(vb_fuzz_vocab)
