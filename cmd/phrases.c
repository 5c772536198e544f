/* verbatim phrases: the top recurring phrases, or every quote containing
 * words or an "exact phrase", from the index file (notes are not parsed). */
#include "cmds.h"
#include "verbatim/phrase_index.h"
#include "verbatim/kb.h"
#include "verbatim/utf8.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int cmd_phrases(int argc, char **argv);

static const struct vb_cmd_opt options[] = {
    VB_CMD_OPT_DIR(VB_CMD_DIR_HELP),
    VB_CMD_LONG('i', "index", "FILE", "the index file (default: where verbatim index writes)"),
    VB_CMD_OPT_SEGMENT("only notes of this segment"),
    VB_CMD_OPT_TIER("only notes of this LTV tier (a label of ltv-tiers: or unknown)"),
    VB_CMD_OPT_PRODUCT("only notes about this product (a key of products:)"),
    VB_CMD_OPT_LINE("only notes about a product of this product line"),
    VB_CMD_LONG('g', "tag", "T", "only quotes with this theme (a key or an alias)"),
    VB_CMD_LONG('S', "since", "DATE", "only notes dated DATE or later (YYYY-MM-DD)"),
    VB_CMD_LONG('U', "until", "DATE", "only notes dated DATE or earlier"),
    VB_CMD_OPT('n', "limit", "N", "at most N lines (default: 20 phrases, every quote)"),
    VB_CMD_LONG('c', "complete", "WORDS",
                "how customers go on after WORDS: the most frequent\n"
                "next 1-4 words, with notes and an example quote"),
    VB_CMD_LONG('f', "format", "FMT", "text (default), json or tsv"),
    VB_CMD_LONG('T', "timing", NULL, "print the query's own time to stderr"),
    {0}};

const struct vb_cmd_spec vb_cmd_phrases = {
    .name = "phrases",
    .run = cmd_phrases,
    .summary = "show recurring phrases, or quotes containing words",
    .setup = VB_SETUP_KB,
    .synopsis = "verbatim phrases [options] [QUERY...]",
    .about = "Without QUERY: the top recurring phrases, as customers wrote them\n"
             "(phrase, notes, segments, tags).\n"
             "With words or an \"exact phrase\": every quote containing them, as\n"
             "path:line: ...left [match] right...  Reads the index file written by\n"
             "verbatim index (it never parses notes: run verbatim index after changes).\n",
    .options = options,
    .column = 22,
    .after = "Exit status: 0 found, 1 nothing found, 2 usage error, no index or a\n"
             "damaged one.\n",
};

enum format { FMT_TEXT, FMT_JSON, FMT_TSV };

enum { WIDTH = 100, TOP_KEYS = 3 };

/* Terminal columns of a code point: 2 for East Asian wide ones. */
static int cp_width(uint32_t c)
{
        return vb_utf8_width(c);
}

static size_t text_width(const char *s, size_t len)
{
        return vb_utf8_columns(s, len);
}

/* Appends the longest tail of s[0..len) that fits in `cols` columns, with
 * "..." in front when cut. */
static void add_tail(struct vb_buf *out, const char *s, size_t len, size_t cols)
{
        size_t start = len, w = 0;
        if (text_width(s, len) <= cols) {
                for (w = text_width(s, len); w < cols; w++)
                        vb_buf_addc(out, ' ');
                vb_buf_add(out, s, len);
                return;
        }
        while (start > 0) {
                size_t p = start - 1;
                uint32_t c;
                while (p > 0 && ((unsigned char)s[p] & 0xc0) == 0x80)
                        p--;
                vb_utf8_decode(s + p, len - p, &c);
                if (w + (size_t)cp_width(c) + 3 > cols)
                        break;
                w += (size_t)cp_width(c);
                start = p;
        }
        for (w += 3; w < cols; w++)
                vb_buf_addc(out, ' ');
        vb_buf_adds(out, "...");
        vb_buf_add(out, s + start, len - start);
}

/* Appends the longest head of s[0..len) that fits in `cols` columns, with
 * "..." after it when cut. */
static void add_head(struct vb_buf *out, const char *s, size_t len, size_t cols)
{
        size_t i = 0, w = 0;
        if (text_width(s, len) <= cols) {
                vb_buf_add(out, s, len);
                return;
        }
        while (i < len) {
                uint32_t c;
                size_t n = vb_utf8_decode(s + i, len - i, &c);
                if (w + (size_t)cp_width(c) + 3 > cols)
                        break;
                w += (size_t)cp_width(c);
                i += n;
        }
        vb_buf_add(out, s, i);
        vb_buf_adds(out, "...");
}

static void add_pad(struct vb_buf *out, const char *s, size_t cols)
{
        size_t w = text_width(s, strlen(s));
        vb_buf_adds(out, s);
        for (; w < cols; w++)
                vb_buf_addc(out, ' ');
}

/* TSV text: TAB, newline, carriage return and backslash escaped as in the
 * index file. */
static void add_tsv(struct vb_buf *out, const char *s, size_t len)
{
        size_t i;
        for (i = 0; i < len; i++) {
                switch (s[i]) {
                case '\t':
                        vb_buf_adds(out, "\\t");
                        break;
                case '\n':
                        vb_buf_adds(out, "\\n");
                        break;
                case '\r':
                        vb_buf_adds(out, "\\r");
                        break;
                case '\\':
                        vb_buf_adds(out, "\\\\");
                        break;
                default:
                        vb_buf_addc(out, s[i]);
                }
        }
}

static void add_date(struct vb_buf *out, struct vb_date d)
{
        char s[16];
        if (!vb_date_is_set(d))
                return;
        vb_date_format(d, s);
        vb_buf_adds(out, s);
}

/* "key n, key n, ..." (text) or "key=n,key=n" (tsv). */
static void add_counts(struct vb_buf *out, const struct vb_phrase_counts *c, enum format fmt,
                       size_t max)
{
        size_t i, n = max && c->n > max ? max : c->n;
        for (i = 0; i < n; i++) {
                if (fmt == FMT_TSV) {
                        if (i)
                                vb_buf_addc(out, ',');
                        add_tsv(out, c->v[i].key, strlen(c->v[i].key));
                        vb_buf_addf(out, "=%zu", c->v[i].nnotes);
                } else {
                        vb_buf_adds(out, i ? ", " : "");
                        vb_buf_add_visible(out, c->v[i].key, strlen(c->v[i].key));
                        vb_buf_addf(out, " %zu", c->v[i].nnotes);
                }
        }
        if (fmt == FMT_TEXT && c->n > n)
                vb_buf_addf(out, ", +%zu", c->n - n);
}

static void show_top(struct vb_buf *out, const struct vb_phrase_index *ix,
                     const struct vb_phrase_tops *tops, size_t n, const struct vb_phrase_filter *f,
                     enum format fmt)
{
        size_t i, pw = strlen("PHRASE"), sw = strlen("SEGMENTS");
        struct vb_buf seg = VB_BUF_INIT, tag = VB_BUF_INIT;
        if (fmt == FMT_JSON) {
                vb_phrase_tops_json(out, ix, tops, n, f);
                return;
        }
        for (i = 0; i < n && fmt == FMT_TEXT; i++) {
                struct vb_phrase_counts cs = {0, 0, 0};
                const char *shown = tops->v[i].phrase->surface;
                size_t w = text_width(shown, strlen(shown));
                if (w > pw)
                        pw = w;
                vb_phrase_counts(&cs, ix, tops->v[i].phrase, f, VB_PHRASE_BY_SEGMENT);
                vb_buf_reset(&seg);
                add_counts(&seg, &cs, fmt, TOP_KEYS);
                w = text_width(seg.ptr, seg.len);
                if (w > sw)
                        sw = w;
                free(cs.v);
        }
        if (fmt == FMT_TEXT) {
                add_pad(out, "PHRASE", pw);
                vb_buf_adds(out, "  NOTES  ");
                add_pad(out, "SEGMENTS", sw);
                vb_buf_adds(out, "  TAGS\n");
        } else {
                vb_buf_adds(out, "phrase\ttext\tnotes\tquotes\tfirst\tlast\tsegments\ttags\n");
        }
        for (i = 0; i < n; i++) {
                const struct vb_phrase_top *t = &tops->v[i];
                struct vb_phrase_counts cs = {0, 0, 0}, ct = {0, 0, 0};
                vb_phrase_counts(&cs, ix, t->phrase, f, VB_PHRASE_BY_SEGMENT);
                vb_phrase_counts(&ct, ix, t->phrase, f, VB_PHRASE_BY_THEME);
                vb_buf_reset(&seg);
                vb_buf_reset(&tag);
                if (fmt == FMT_TEXT) {
                        add_counts(&seg, &cs, fmt, TOP_KEYS);
                        add_counts(&tag, &ct, fmt, TOP_KEYS);
                        add_pad(out, t->phrase->surface, pw);
                        vb_buf_addf(out, "  %5zu  ", t->nnotes);
                        add_pad(out, seg.len ? seg.ptr : "-", sw);
                        vb_buf_addf(out, "  %s\n", tag.len ? tag.ptr : "-");
                } else if (fmt == FMT_TSV) {
                        add_tsv(out, t->phrase->text, strlen(t->phrase->text));
                        vb_buf_addc(out, '\t');
                        add_tsv(out, t->phrase->surface, strlen(t->phrase->surface));
                        vb_buf_addf(out, "\t%zu\t%zu\t", t->nnotes, t->nocc);
                        add_date(out, t->first);
                        vb_buf_addc(out, '\t');
                        add_date(out, t->last);
                        vb_buf_addc(out, '\t');
                        add_counts(out, &cs, fmt, 0);
                        vb_buf_addc(out, '\t');
                        add_counts(out, &ct, fmt, 0);
                        vb_buf_addc(out, '\n');
                }
                free(cs.v);
                free(ct.v);
        }
        vb_buf_release(&seg);
        vb_buf_release(&tag);
}

/* "path:line:" of a hit in the text output, control characters escaped. */
static void location(struct vb_buf *out, const struct vb_phrase_hit *h)
{
        vb_buf_add_visible(out, h->note->path, strlen(h->note->path));
        vb_buf_addf(out, ":%u:", h->quote->line);
}

/* A piece of a quote in the text output (`out` reset first), control
 * characters escaped. */
static void show_piece(struct vb_buf *out, const char *s, size_t len)
{
        vb_buf_reset(out);
        vb_buf_add_visible(out, s, len);
}

/* The span of `h` that holds its match (the column the lines align on). */
static const struct vb_phrase_span *match_span(const struct vb_phrase_hits *hits,
                                               const struct vb_phrase_hit *h)
{
        size_t k;
        for (k = 0; k + 1 < h->nspans; k++)
                if (hits->spans[h->span + k].end > h->start)
                        break;
        return &hits->spans[h->span + k];
}

/* Appends text[a..b) with every span of `h` inside it in [brackets]. */
static void add_marked(struct vb_buf *out, const struct vb_phrase_hits *hits,
                       const struct vb_phrase_hit *h, const char *text, size_t a, size_t b)
{
        size_t k;
        for (k = 0; k < h->nspans; k++) {
                const struct vb_phrase_span *sp = &hits->spans[h->span + k];
                if (sp->start < a || sp->end > b)
                        continue;
                vb_buf_add(out, text + a, sp->start - a);
                vb_buf_addc(out, '[');
                vb_buf_add(out, text + sp->start, sp->end - sp->start);
                vb_buf_addc(out, ']');
                a = sp->end;
        }
        vb_buf_add(out, text + a, b - a);
}

static void show_hits(struct vb_buf *out, const struct vb_phrase_hits *hits, size_t n,
                      enum format fmt)
{
        size_t i, lw = 0, mw = 0, left;
        struct vb_buf loc = VB_BUF_INIT, side = VB_BUF_INIT, shown = VB_BUF_INIT;
        if (fmt == FMT_JSON) {
                /* in parts: a query can match every quote */
                for (i = 0; i < n || !i; i += 256) {
                        vb_phrase_hits_json(out, hits, i, i + 256 < n ? i + 256 : n, n);
                        if (out->len > 1 << 20 &&
                            vb_cmd_write(stdout, out->ptr, out->len) == VB_EXIT_OK)
                                vb_buf_reset(out);
                }
                return;
        }
        if (fmt == FMT_TSV)
                vb_buf_adds(out, "path\tline\tdate\tsegment\tleft\tmatch\tright\n");
        /* text: the match column is aligned (the location column is as wide
         * as the widest location); context fills up to WIDTH columns, at
         * least 12 on the left and 20 on the right */
        for (i = 0; i < n; i++) {
                const struct vb_phrase_hit *h = &hits->v[i];
                size_t w;
                vb_buf_reset(&loc);
                location(&loc, h);
                w = text_width(loc.ptr, loc.len);
                if (w > lw)
                        lw = w;
                show_piece(&shown, h->quote->text + match_span(hits, h)->start,
                           match_span(hits, h)->end - match_span(hits, h)->start);
                w = text_width(shown.ptr, shown.len);
                if (w > mw)
                        mw = w;
        }
        left = WIDTH > lw + 1 + mw + 2 + 24 ? (WIDTH - lw - 1 - mw - 2) / 2 : 12;
        for (i = 0; i < n; i++) {
                const struct vb_phrase_hit *h = &hits->v[i];
                const char *text = h->quote->text;
                size_t len = strlen(text), w;
                if (fmt == FMT_TEXT) {
                        vb_buf_reset(&loc);
                        location(&loc, h);
                        add_pad(out, loc.ptr, lw);
                        vb_buf_addc(out, ' ');
                        const struct vb_phrase_span *m = match_span(hits, h);
                        vb_buf_reset(&side);
                        add_marked(&side, hits, h, text, 0, m->start);
                        show_piece(&shown, side.ptr, side.len);
                        add_tail(out, shown.ptr, shown.len, left);
                        vb_buf_addc(out, '[');
                        show_piece(&shown, text + m->start, m->end - m->start);
                        vb_buf_add(out, shown.ptr, shown.len);
                        vb_buf_addc(out, ']');
                        w = lw + 1 + left + text_width(shown.ptr, shown.len) + 2;
                        vb_buf_reset(&side);
                        add_marked(&side, hits, h, text, m->end, len);
                        show_piece(&shown, side.ptr, side.len);
                        add_head(out, shown.ptr, shown.len, w + 20 < WIDTH ? WIDTH - w : 20);
                        while (out->len && out->ptr[out->len - 1] == ' ')
                                out->len--;
                        vb_buf_addc(out, '\n');
                } else if (fmt == FMT_TSV) {
                        add_tsv(out, h->note->path, strlen(h->note->path));
                        vb_buf_addf(out, "\t%u\t", h->quote->line);
                        add_date(out, h->note->date);
                        vb_buf_addc(out, '\t');
                        if (h->note->segment)
                                add_tsv(out, h->note->segment, strlen(h->note->segment));
                        vb_buf_addc(out, '\t');
                        add_tsv(out, text, h->start);
                        vb_buf_addc(out, '\t');
                        add_tsv(out, text + h->start, h->end - h->start);
                        vb_buf_addc(out, '\t');
                        add_tsv(out, text + h->end, len - h->end);
                        vb_buf_addc(out, '\n');
                }
                if (out->len > 1 << 20 && vb_cmd_write(stdout, out->ptr, out->len) == VB_EXIT_OK)
                        vb_buf_reset(out);
        }
        vb_buf_release(&loc);
        vb_buf_release(&side);
        vb_buf_release(&shown);
}

static void show_nexts(struct vb_buf *out, const struct vb_phrase_index *ix,
                       const struct vb_phrase_nexts *nx, size_t n, enum format fmt)
{
        size_t i, cw = strlen("CONTINUATION");
        struct vb_buf shown = VB_BUF_INIT; /* the example quote, escaped */
        if (fmt == FMT_JSON) {
                vb_phrase_nexts_json(out, ix, nx, n);
                return;
        }
        for (i = 0; i < n; i++) {
                size_t w = text_width(nx->v[i].surface, strlen(nx->v[i].surface));
                if (w > cw)
                        cw = w;
        }
        if (fmt == FMT_TEXT && !n)
                return;
        if (fmt == FMT_TEXT) {
                add_pad(out, "CONTINUATION", cw);
                vb_buf_adds(out, "  NOTES  EXAMPLE\n");
        } else {
                vb_buf_adds(out, "continuation\ttext\tnotes\tquotes\tpath\tline\tquote\n");
        }
        for (i = 0; i < n; i++) {
                const struct vb_phrase_next *x = &nx->v[i];
                const struct vb_pnote *note = vb_phrase_index_note(ix, x->example.note);
                const struct vb_pquote *q;
                size_t used;
                if (!note || x->example.quote >= note->nquotes)
                        continue; /* damaged: reported before any output */
                q = &note->quotes[x->example.quote];
                if (fmt == FMT_TEXT) {
                        add_pad(out, x->surface, cw);
                        vb_buf_addf(out, "  %5zu  ", x->nnotes);
                        /* the quote alone (its place is in TSV and JSON) */
                        used = cw + 9;
                        show_piece(&shown, q->text, strlen(q->text));
                        add_head(out, shown.ptr, shown.len, used + 40 < WIDTH ? WIDTH - used : 40);
                        vb_buf_addc(out, '\n');
                } else if (fmt == FMT_TSV) {
                        add_tsv(out, x->text, strlen(x->text));
                        vb_buf_addc(out, '\t');
                        add_tsv(out, x->surface, strlen(x->surface));
                        vb_buf_addf(out, "\t%zu\t%zu\t", x->nnotes, x->nocc);
                        add_tsv(out, note->path, strlen(note->path));
                        vb_buf_addf(out, "\t%u\t", q->line);
                        add_tsv(out, q->text, strlen(q->text));
                        vb_buf_addc(out, '\n');
                }
        }
        vb_buf_release(&shown);
}

static double now_ms(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmd_phrases(int argc, char **argv)
{
        struct vb_cmd_getopt g;
        char *root = NULL;
        const char *dir = NULL, *index = NULL, *tag = NULL, *complete = NULL;
        int c, status = VB_EXIT_ERROR, timing = 0, in_place, need_vocab;
        enum format fmt = FMT_TEXT;
        long limit = -1;
        struct vb_phrase_filter f;
        struct vb_agg_filter notes = {0, 0, 0, 0}; /* --segment, --tier, --product, --line */
        struct vb_source *src = NULL;
        struct vb_vocab *vocab = NULL;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_buf path = VB_BUF_INIT, query = VB_BUF_INIT, out = VB_BUF_INIT;
        struct vb_phrase_index ix;
        struct vb_index_map map = {0, 0};
        struct vb_phrase_tops tops = VB_PHRASE_TOPS_INIT;
        struct vb_phrase_hits hits = VB_PHRASE_HITS_INIT;
        struct vb_phrase_nexts nexts = VB_PHRASE_NEXTS_INIT;
        struct vb_arena arena = VB_ARENA_INIT;
        struct vb_ptokens words = VB_PTOKENS_INIT;
        size_t found = 0, n;
        double t0;

        memset(&f, 0, sizeof f);
        memset(&ix, 0, sizeof ix);
        vb_cmd_getopt_init(&g, &vb_cmd_phrases);
        while ((c = getopt_long(argc, argv, g.shorts, g.longs, NULL)) != -1) {
                char *end;
                if (vb_cmd_filter_option(&notes, c, optarg))
                        continue;
                switch (c) {
                case 'C':
                        dir = optarg;
                        break;
                case 'i':
                        index = optarg;
                        break;
                case 'g':
                        tag = optarg;
                        break;
                case 'S':
                        if (vb_cmd_date_option(&f.since, "phrases", "--since", optarg))
                                return VB_EXIT_USAGE;
                        break;
                case 'U':
                        if (vb_cmd_date_option(&f.until, "phrases", "--until", optarg))
                                return VB_EXIT_USAGE;
                        break;
                case 'n':
                        limit = strtol(optarg, &end, 10);
                        if (*end || end == optarg || limit < 0) {
                                vb_cmd_error("phrases", "--limit '%s' is not a number", optarg);
                                return VB_EXIT_USAGE;
                        }
                        break;
                case 'f': {
                        /* in the order of enum format */
                        static const char *const formats[] = {"text", "json", "tsv", NULL};
                        int k = vb_cmd_format_option("phrases", optarg, formats);
                        if (k < 0)
                                return VB_EXIT_USAGE;
                        fmt = (enum format)k;
                        break;
                }
                case 'T':
                        timing = 1;
                        break;
                case 'c':
                        complete = optarg;
                        break;
                default: /* -h, --help, or an option it does not know */
                        return vb_cmd_usage(&vb_cmd_phrases, c);
                }
        }
        if (complete && optind < argc) {
                vb_cmd_error("phrases", "--complete takes no QUERY; put the words in its value");
                return VB_EXIT_USAGE;
        }
        for (; optind < argc; optind++) {
                if (query.len)
                        vb_buf_addc(&query, ' ');
                /* an argument of several words (quoted in the shell, or CJK
                 * written without spaces) is an exact phrase */
                vb_phrase_tokenize(&words, argv[optind], strlen(argv[optind]));
                if (words.n > 1 && !strchr(argv[optind], '"'))
                        vb_buf_addf(&query, "\"%s\"", argv[optind]);
                else
                        vb_buf_adds(&query, argv[optind]);
        }

        f.segment = notes.segment;
        f.tier = notes.tier;
        f.product = notes.product;
        f.line = notes.line;
        /* the vocabulary: to resolve --tag, and to check the values of the
         * note filters (as stats and next do) */
        need_vocab = tag || notes.tier || notes.product || notes.line;
        if (!index || need_vocab) {
                status = vb_cmd_open_source(&src, &root, "phrases", dir, NULL, 0, &d);
                if (status != VB_EXIT_OK) {
                        vb_cmd_print_diags(&d, VB_FORMAT_TEXT);
                        goto done;
                }
                status = VB_EXIT_ERROR;
        }
        if (need_vocab) {
                /* --segment is not checked: phrases never did (an unknown
                 * one finds nothing) */
                struct vb_agg_filter checked = notes;
                checked.segment = NULL;
                vocab = vb_kb_load_vocab(src, &d);
                status = vb_cmd_check_filter("phrases", vocab, &checked);
                if (status != VB_EXIT_OK)
                        goto done;
                status = VB_EXIT_ERROR;
                f.theme = tag ? vb_vocab_theme(vocab, &arena, tag, NULL) : NULL;
                if (tag && !f.theme) {
                        vb_cmd_error("phrases", "unknown tag '%s'; see the tags of verbatim.yml",
                                     tag);
                        status = VB_EXIT_USAGE;
                        goto done;
                }
                vb_diags_release(&d);
        }
        if (index)
                vb_buf_adds(&path, index);
        else
                vb_index_default_path(&path, src);
        /* a query and the top table read in place only what they touch; the
         * top table under a filter recounts, from the whole file */
        in_place = query.len || complete ||
                   (!f.segment && !f.theme && !vb_date_is_set(f.since) &&
                    !vb_date_is_set(f.until) && !f.tier && !f.product && !f.line);
        if ((in_place ? vb_index_open(&ix, &map, path.ptr, &d)
                      : vb_index_load(&ix, path.ptr, &d)) != VB_OK ||
            (in_place && !query.len && !complete &&
             vb_phrase_index_read_phrases(&ix, path.ptr, &d) != VB_OK)) {
                vb_cmd_print_diags(&d, VB_FORMAT_TEXT);
                goto done;
        }

        t0 = now_ms();
        if (complete) {
                if (vb_phrase_complete(&nexts, &ix, complete, &f, &d) != VB_OK) {
                        vb_cmd_print_diags(&d, VB_FORMAT_TEXT);
                        status = VB_EXIT_USAGE;
                        goto done;
                }
                found = nexts.n;
                for (size_t i = 0; i < nexts.n; i++) /* the examples' notes, checked */
                        vb_phrase_index_note(&ix, nexts.v[i].example.note);
                if (vb_phrase_index_damaged(&ix, path.ptr, &d) != VB_OK) {
                        vb_cmd_print_diags(&d, VB_FORMAT_TEXT);
                        goto done;
                }
        } else if (query.len) {
                if (vb_phrase_search(&hits, &ix, query.ptr, &f, &d) != VB_OK) {
                        vb_cmd_print_diags(&d, VB_FORMAT_TEXT);
                        status = VB_EXIT_USAGE;
                        goto done;
                }
                found = hits.n;
                if (vb_phrase_index_damaged(&ix, path.ptr, &d) != VB_OK) {
                        vb_cmd_print_diags(&d, VB_FORMAT_TEXT);
                        goto done;
                }
        } else {
                vb_phrase_top(&tops, &ix, &f);
                found = tops.n;
        }
        if (timing)
                fprintf(stderr, "query: %.3f ms\n", now_ms() - t0);

        n = found;
        if (limit >= 0 && (size_t)limit < n)
                n = (size_t)limit;
        else if (limit < 0 && !query.len && n > 20)
                n = 20;
        if (complete)
                show_nexts(&out, &ix, &nexts, n, fmt);
        else if (query.len)
                show_hits(&out, &hits, n, fmt);
        else
                show_top(&out, &ix, &tops, n, &f, fmt);
        status = vb_cmd_write(stdout, out.ptr, out.len);
        if (status == VB_EXIT_OK && fmt == FMT_TEXT && n < found && fflush(stdout) == 0)
                fprintf(stderr, "verbatim: phrases: %zu more; use --limit\n", found - n);
        if (status == VB_EXIT_OK && !found)
                status = VB_EXIT_FINDINGS;
done:
        vb_arena_release(&arena);
        vb_ptokens_release(&words);
        free(tops.v);
        vb_phrase_hits_release(&hits);
        vb_phrase_nexts_release(&nexts);
        vb_phrase_index_release(&ix);
        vb_index_map_close(&map);
        vb_vocab_free(vocab);
        vb_source_free(src);
        free(root);
        vb_buf_release(&path);
        vb_buf_release(&query);
        vb_buf_release(&out);
        vb_diags_release(&d);
        return vb_cmd_finish(status);
}
