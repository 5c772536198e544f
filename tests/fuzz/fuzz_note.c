/* Fuzz target: the note parser, then tag resolution against a fixed
 * vocabulary, then the check rules.  Also checks that every position the
 * parser reports lies inside the input. */
#include "fuzz.h"
#include "verbatim/check.h"
#include "verbatim/note.h"
#include "verbatim/vocab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char note_vocab[] =
    "title: fuzz\n"
    "notes: [calls]\n"
    "segments:\n"
    "  buyer: {label: Recent buyers}\n"
    "  abandoner: {label: Cart abandoners}\n"
    "  returner: {label: Returners}\n"
    "tags:\n"
    "  fit-uncertainty: {label: Unsure about fit, kind: problem, aliases: [sizing, fit]}\n"
    "  price: {label: Price, kind: reason}\n"
    "  shipping-cost: {label: Shipping cost, kind: reason}\n"
    "  how we work: {label: How we work, kind: problem}\n"
    "  wide-sizes: {label: Wants wide sizes, kind: feature-request, aliases: [wide]}\n"
    "required: [date, segment, customer]\n"
    "reason-groups:\n"
    "  price: [price, shipping-cost]\n";

static const char note_roadmap[] = "wide-fit-last:\n"
                                   "  title: Wide-fit last\n"
                                   "  status: shipped\n"
                                   "  shipped: 2026-09-14\n"
                                   "  tags: [fit-uncertainty, wide-sizes]\n";

static void note_check_pos(struct vb_pos pos, unsigned lines)
{
        if (pos.line > lines + 1)
                abort();
}

int vb_fuzz_note(const uint8_t *data, size_t size)
{
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_vocab *v = NULL;
        struct vb_note *n = NULL;
        struct vb_date today = {2026, 11, 18};
        unsigned lines = 1;

        for (size_t i = 0; i < size; i++) /* "\n", "\r\n" or a lone "\r" */
                lines +=
                    data[i] == '\n' || (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n'));
        if (vb_vocab_load(&v, "verbatim.yml", note_vocab, sizeof(note_vocab) - 1, &d) != VB_OK ||
            d.errors)
                abort();
        if (vb_vocab_load_roadmap(v, "roadmap.yml", note_roadmap, sizeof(note_roadmap) - 1, &d) !=
                VB_OK ||
            d.errors)
                abort();
        /* the first byte picks the themes key, as verbatim.yml may, and whether
         * the YAML tree is kept */
        struct vb_note_options opt;
        memset(&opt, 0, sizeof(opt));
        opt.themes_key = size && (data[0] & 1) ? "categories" : NULL;
        opt.keep_front_matter = size && (data[0] & 2);
        if (vb_note_parse(&n, "calls/2026/2026-11-03-c10492-abandoner.md", (const char *)data, size,
                          &opt, &d) == VB_OK) {
                if (!n)
                        abort();
                if (opt.keep_front_matter && n->front_ok && n->check->nfront_keys &&
                    !n->check->front)
                        abort();
                vb_note_resolve(n, v);
                vb_check_note(n, v, today, &d);
                for (size_t i = 0; i < n->ntags; i++) {
                        note_check_pos(n->tags[i].pos, lines);
                        if (n->tags[i].quote >= (int)n->nquotes || !n->tags[i].name)
                                abort();
                }
                for (size_t i = 0; i < n->nquotes; i++) {
                        const char **themes;
                        struct vb_arena scratch = VB_ARENA_INIT;
                        note_check_pos(n->quotes[i].pos, lines);
                        if (n->quotes[i].tag_first + n->quotes[i].tag_count > n->ntags)
                                abort();
                        size_t k = vb_quote_themes(n, i, &themes, &scratch);
                        for (size_t j = 0; j < k; j++)
                                if (!themes[j])
                                        abort();
                        vb_arena_release(&scratch);
                }
                for (size_t i = 0; i < n->nsections; i++)
                        note_check_pos(n->sections[i].pos, lines);
                struct vb_arena reasons = VB_ARENA_INIT;
                (void)vb_note_main_reason(n, v, &reasons);
                vb_arena_release(&reasons);
        } else if (n) {
                abort();
        }
        for (size_t i = 0; i < d.n; i++)
                if (d.v[i].line > lines + 1 || !d.v[i].message || !d.v[i].rule) {
                        fprintf(stderr, "fuzz_note: bad diagnostic %u:%u %s %s (%u lines)\n",
                                d.v[i].line, d.v[i].col, d.v[i].rule ? d.v[i].rule : "(null)",
                                d.v[i].message ? d.v[i].message : "(null)", lines);
                        abort();
                }
        vb_note_free(n);
        vb_vocab_free(v);
        vb_diags_release(&d);
        return 0;
}

VB_FUZZ_ENTRY(vb_fuzz_note)
