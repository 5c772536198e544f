/* The note parser: fields, positions, quotes, hashtags and bad input. */
#include "t.h"
#include "verbatim/html.h"
#include "verbatim/note.h"
#include "verbatim/vocab.h"

#include <stdlib.h>

static struct vb_diags d;

static struct vb_note *parse(const char *text)
{
        struct vb_note *n = NULL;
        vb_diags_release(&d);
        vb_note_parse(&n, "calls/2026/2026-11-03-c1-buyer.md", text, strlen(text), NULL, &d);
        return n;
}

/* "line:col: severity: message [rule]" of diagnostic i */
static const char *diag(size_t i)
{
        static struct vb_buf b;
        vb_buf_release(&b);
        if (i >= d.n)
                return "(none)";
        vb_buf_addf(&b, "%u:%u: %s [%s]", d.v[i].line, d.v[i].col, d.v[i].message, d.v[i].rule);
        return b.ptr;
}

static const char note[] =
    "---\n"
    "date: 2026-11-03\n"
    "segment: abandoner\n"
    "customer: C-10492\n"
    "ltv: 420.50\n"
    "outcome: voicemail\n"
    "tags: [fit-uncertainty, shipping-cost]\n"
    "follows: 2026-10-01-c10492-buyer\n"
    "---\n"
    "\n"
    "# Call with C-10492 (cart abandoner)\n"
    "\n"
    "## What almost stopped them\n"
    "> \"I wasn't sure if the size would fit my wide feet\" #fit-uncertainty\n"
    "\n"
    "> \xe2\x80\x9cShipping was more than the socks\xe2\x80\x9d #shipping-cost #Price\n"
    "\n"
    "She compared three brands, see `#not-a-tag` and issue #12.\n"
    "\n"
    "## Job to be done\n"
    "- Job: run trails twice a week\n"
    "- Before: road shoes\n"
    "- Without it: tape her heels\n"
    "\n"
    "## Five whys\n"
    "1. Why did you leave? Unsure about the size.\n"
    "2. Returns cost her money.\n";

static void fields_and_positions(void)
{
        struct vb_note *n = parse(note);
        T_INT(d.n, 0);
        T_STR(n->id, "2026-11-03-c1-buyer");
        T_STR(n->segment.value, "abandoner");
        T_INT(n->segment.pos.line, 3);
        T_INT(n->segment.pos.col, 10);
        T_INT(n->date.year, 2026);
        T_INT(n->date.day, 3);
        T_INT(n->has_ltv, 1);
        T_TRUE(n->ltv > 420.49 && n->ltv < 420.51);
        T_INT(n->outcome, VB_OUTCOME_VOICEMAIL);
        T_STR(n->follows.value, "2026-10-01-c10492-buyer");
        T_INT(n->check->front_end_line, 9);
        T_INT(n->nfront_tags, 2);
        T_INT(n->ntags, 5);
        T_STR(n->tags[1].name, "shipping-cost");
        T_INT(n->tags[1].pos.line, 7);
        T_INT(n->tags[1].pos.col, 25);
        T_STR(n->tags[2].name, "fit-uncertainty");
        T_INT(n->tags[2].hashtag, 1);
        T_INT(n->tags[2].pos.line, 14);
        T_INT(n->tags[2].pos.col, 54);
        T_INT(n->tags[2].quote, 0);
        T_STR(n->tags[4].name, "Price");
        T_INT(n->tags[4].quote, 1);
        T_INT(n->nquotes, 2);
        T_STR(n->quotes[0].text, "I wasn't sure if the size would fit my wide feet");
        T_INT(n->quotes[0].pos.line, 14);
        T_STR(n->quotes[1].text, "Shipping was more than the socks");
        T_INT(n->quotes[1].tag_count, 2);
        T_INT(n->nsections, 3);
        T_INT(n->sections[0].kind, VB_SECTION_ALMOST_STOPPED);
        T_INT(n->sections[1].kind, VB_SECTION_JOB);
        T_INT(n->njobs, 1);
        T_STR(n->jobs[0].job, "run trails twice a week");
        T_STR(n->jobs[0].before, "road shoes");
        T_STR(n->jobs[0].without_it, "tape her heels");
        T_INT(n->nwhys, 2);
        T_STR(n->whys[0].text, "Unsure about the size.");
        T_STR(n->whys[1].text, "Returns cost her money.");
        vb_note_free(n);
}

static void crlf_and_bom(void)
{
        struct vb_buf b = VB_BUF_INIT;
        vb_buf_adds(&b, "\xef\xbb\xbf");
        for (const char *s = note; *s; s++) {
                if (*s == '\n')
                        vb_buf_addc(&b, '\r');
                vb_buf_addc(&b, *s);
        }
        struct vb_note *n = parse(b.ptr);
        T_INT(d.n, 0);
        T_STR(n->segment.value, "abandoner");
        T_INT(n->nquotes, 2);
        T_STR(n->quotes[0].text, "I wasn't sure if the size would fit my wide feet");
        T_INT(n->tags[2].pos.line, 14);
        T_STR(n->jobs[0].without_it, "tape her heels");
        vb_note_free(n);
        vb_buf_release(&b);
}

static void front_matter_problems(void)
{
        struct vb_note *n = parse("");
        T_STR(diag(0), "1:1: empty file; a note starts with front matter between '---' lines (see "
                       "'verbatim new') [empty]");
        vb_note_free(n);
        n = parse("# Just a title\n");
        T_STR(diag(0), "1:1: no front matter; start the note with a '---' line, the keys (date, "
                       "segment, customer, tags) and a closing '---' line [front-matter-missing]");
        vb_note_free(n);
        n = parse("---\ndate: 2026-11-03\n# body\n");
        T_STR(diag(0), "1:1: the front matter that starts here has no closing '---' line; add one "
                       "after the last key [front-matter-unterminated]");
        vb_note_free(n);
        n = parse("+++\ndate = 2026-11-03\n+++\n");
        T_INT(d.n, 1);
        T_STR(d.v[0].rule, "front-matter-not-yaml");
        vb_note_free(n);
        n = parse("---\ndate: 2026-11-03\nsegment: [buyer\n---\n");
        T_INT(d.n, 1);
        T_STR(d.v[0].rule, "yaml-syntax");
        T_INT(d.v[0].line, 4);
        vb_note_free(n);
        n = parse("---\ndate: 2026-11-03\ndate: 2026-11-04\n---\n");
        T_STR(diag(0), "3:1: key 'date' is given twice (first at line 2); keep one of them "
                       "[duplicate-key]");
        vb_note_free(n);
        n = parse("---\na: &x [1, 2]\nb: [*x, *x]\n---\n");
        T_STR(diag(0),
              "3:5: YAML aliases (*x) are not supported; write the value out [yaml-alias]");
        T_TRUE(!n->front_ok);
        vb_note_free(n);
        n = parse("---\ntags: fit, price\n---\n");
        T_STR(diag(0), "2:7: 'tags' is a single value; write it as a list: tags: [fit, price] "
                       "[tags-not-list]");
        T_INT(n->ntags, 2);
        T_STR(n->tags[1].name, "price");
        vb_note_free(n);
        n = parse("---\nsegment: [a, b]\n---\n");
        T_STR(diag(0), "2:10: 'segment' must be a single value, not a list [bad-type]");
        vb_note_free(n);
}

static void deep_nesting(void)
{
        struct vb_buf b = VB_BUF_INIT;
        vb_buf_adds(&b, "---\ntags: ");
        for (int i = 0; i < 10000; i++)
                vb_buf_addc(&b, '[');
        for (int i = 0; i < 10000; i++)
                vb_buf_addc(&b, ']');
        vb_buf_adds(&b, "\n---\n");
        for (int i = 0; i < 10000; i++)
                vb_buf_addc(&b, '>');
        vb_buf_adds(&b, " \"deep\" #fit\n");
        struct vb_note *n = parse(b.ptr);
        T_STR(diag(0), "2:38: YAML nested deeper than 32 levels; flatten it [yaml-too-deep]");
        T_INT(n->nquotes, 1);
        if (n->nquotes)
                T_STR(n->quotes[0].text, "deep");
        vb_note_free(n);
        vb_buf_release(&b);
}

static void bad_bytes(void)
{
        static const char latin1[] = "---\ndate: 2026-11-03\n---\n> \"caf\xe9 au lait\" #fit\n";
        struct vb_note *n = parse(latin1);
        T_STR(diag(0), "4:7: 1 byte of invalid UTF-8 (the first is 0xE9); save the file as UTF-8 "
                       "(it may be Windows-1252 or Latin-1) [invalid-utf8]");
        T_STR(n->quotes[0].text, "caf? au lait");
        vb_note_free(n);

        char withnul[] = "---\ndate: 2026-11-03\n---\nsome\0text #fit\n";
        vb_diags_release(&d);
        vb_note_parse(&n, "a.md", withnul, sizeof(withnul) - 1, NULL, &d);
        T_STR(diag(0), "4:5: 1 NUL byte in the text (read as spaces); save the file as plain UTF-8 "
                       "text [nul-byte]");
        T_INT(n->ntags, 1);
        vb_note_free(n);

        char bin[4096];
        for (size_t i = 0; i < sizeof(bin); i++)
                bin[i] = (char)(i * 7);
        vb_diags_release(&d);
        T_INT(vb_note_parse(&n, "a.md", bin, sizeof(bin), NULL, &d), VB_ERR);
        T_TRUE(n == NULL);
        T_STR(d.v[0].rule, "binary");

        size_t big = VB_NOTE_MAX_BYTES + 1;
        char *huge = calloc(1, big);
        memset(huge, 'a', big);
        vb_diags_release(&d);
        T_INT(vb_note_parse(&n, "a.md", huge, big, NULL, &d), VB_ERR);
        T_STR(d.v[0].rule, "too-large");
        /* a 1 MB line inside a note that is not too large */
        size_t line = 1024 * 1024;
        memcpy(huge, "---\ndate: 2026-11-03\n---\n", 25);
        huge[25 + line] = '\n';
        vb_diags_release(&d);
        T_INT(vb_note_parse(&n, "a.md", huge, 26 + line, NULL, &d), VB_OK);
        T_STR(diag(0), "4:0: line longer than 65536 bytes; break it into shorter paragraphs "
                       "[long-line]");
        vb_note_free(n);
        free(huge);
}

/* The first diagnostic of parsing text[0..len) as a note. */
static const char *first_diag(const char *text, size_t len)
{
        struct vb_note *n = NULL;
        vb_diags_release(&d);
        vb_note_parse(&n, "a.md", text, len, NULL, &d);
        vb_note_free(n);
        return diag(0);
}

/* The first NUL, invalid byte and lone CR are found wherever they are
 * (the text is scanned eight bytes at a time), and counted once each. */
static void bad_bytes_anywhere(void)
{
        static const char head[] = "---\ndate: 2026-11-03\n---\n";
        for (size_t at = 0; at < 20; at++) {
                char text[96], want[128];
                size_t h = sizeof(head) - 1, len = h + 40;
                memcpy(text, head, h);
                memset(text + h, 'x', 40);
                text[len] = '\0';
                text[h + at] = '\0';
                snprintf(want, sizeof(want),
                         "4:%zu: 1 NUL byte in the text (read as spaces); save the file as plain "
                         "UTF-8 text [nul-byte]",
                         at + 1);
                T_STR(first_diag(text, len), want);

                text[h + at] = (char)0xff;
                snprintf(want, sizeof(want),
                         "4:%zu: 1 byte of invalid UTF-8 (the first is 0xFF); save the file as "
                         "UTF-8 (it may be Windows-1252 or Latin-1) [invalid-utf8]",
                         at + 1);
                T_STR(first_diag(text, len), want);

                text[h + at] = '\r'; /* a lone CR ends a line: the NUL is on the next */
                text[h + 39] = '\0';
                snprintf(want, sizeof(want),
                         "5:%zu: 1 NUL byte in the text (read as spaces); save the file as plain "
                         "UTF-8 text [nul-byte]",
                         39 - at);
                T_STR(first_diag(text, len), want);
                text[h + at] = text[h + 39] = 'x';
        }
        vb_diags_release(&d);
}

static void hashtags_and_personal_data(void)
{
        struct vb_note *n = parse("---\ndate: 2026-11-03\n---\n"
                                  "a#b #ok, (#paren) [#x](http://e.com/#frag) #42 `#code`\n"
                                  "\n"
                                  "```\n#fenced\n```\n"
                                  "Call me at +49 30 1234567 or jane@example.com.\n");
        T_INT(n->ntags, 3);
        T_STR(n->tags[0].name, "ok");
        T_STR(n->tags[1].name, "paren");
        T_STR(n->tags[2].name, "x");
        T_INT(n->check->npii, 2);
        T_INT(n->check->pii[0].pos.line, 9);
        T_INT(n->check->pii[0].pos.col, 12);
        T_INT(n->check->pii[1].kind, 1);
        vb_note_free(n);
}

/* "line:col:E" or "line:col:P" for each personal data hit, space-separated */
static const char *hits(const struct vb_note *n)
{
        static char out[512];
        size_t k = 0;
        out[0] = '\0';
        for (size_t i = 0; i < n->check->npii && k + 32 < sizeof out; i++)
                k += (size_t)snprintf(out + k, sizeof out - k, "%s%u:%u:%c", i ? " " : "",
                                      n->check->pii[i].pos.line, n->check->pii[i].pos.col,
                                      n->check->pii[i].kind == 1 ? 'E' : 'P');
        return out;
}

/* Personal data split by inline Markdown is found in the text a reader sees,
 * at the place where it starts (issue 18, item 1). */
static void split_personal_data(void)
{
        struct vb_note *n = parse("---\ndate: 2026-11-03\n---\n"
                                  "A jane.doe@example.*com* here.\n\n"           /* 4 */
                                  "B jane.doe@**example**.com here.\n\n"         /* 6 */
                                  "C [jane.doe@example.](x)[com](y) here.\n\n"   /* 8 */
                                  "D +1 415 *555* 0132 here.\n\n"                /* 10 */
                                  "E jane.doe&#64;example.com here.\n\n"         /* 12 */
                                  "F jane.doe\\@example.com here.\n\n"           /* 14 */
                                  "G 415&#45;555&#45;0132 here.\n\n"             /* 16 */
                                  "> quote `jane`@example.com\n\n"               /* 18 */
                                  "- call 0171\n  123 4567\n\n"                  /* 20 */
                                  "[write](mailto:bob@example.org)\n\n"          /* 23 */
                                  "a.b@example.  \ncom and 0171 123  \n4567\n\n" /* 25 */
                                  "K 0171&nbsp;123&#160;4567\n");                /* 29 */
        T_STR(hits(n),
              "4:3:E 6:3:E 8:4:E 10:3:P 12:3:E 14:3:E 16:3:P 18:10:E 20:8:P 23:16:E 29:3:P");
        vb_note_free(n);
        /* phone-like digits in URLs, link targets and ordinary text are not */
        n = parse("---\ndate: 2026-11-03\n---\n"
                  "[video](https://youtu.be/12345678901) /photos/12345678901/ 2011-2013\n"
                  "https://vimeo.com/123456789 192.168.100.200 max-age=31536000\n");
        T_STR(hits(n), "");
        vb_note_free(n);
        /* a quote reads entities as the page shows them */
        n = parse("---\ndate: 2026-11-03\n---\n> \"write to kim&commat;example.com&nbsp;now\"\n");
        T_INT(n->nquotes, 1);
        if (n->nquotes)
                T_STR(n->quotes[0].text, "write to kim@example.com now");
        vb_note_free(n);
}

/* "name,name,..." of the hashtags */
static const char *hashtags(const struct vb_note *n)
{
        static char out[512];
        size_t k = 0;
        out[0] = '\0';
        for (size_t i = 0; i < n->ntags && k + 64 < sizeof out; i++)
                if (n->tags[i].hashtag)
                        k += (size_t)snprintf(out + k, sizeof out - k, "%s%s", k ? "," : "",
                                              n->tags[i].name);
        return out;
}

/* CSS colours in raw HTML and heading ids are no hashtags (issue 18). */
static void not_hashtags(void)
{
        struct vb_note *n = parse("---\ndate: 2026-11-03\n---\n"
                                  "## API {#api}\n\n"
                                  "## Pricing { #pricing .wide }\n\n"
                                  "Text {: #ial}\n\n"
                                  "<span style=\"color: #ccc\">grey</span> #price\n\n"
                                  "<font color=\"#fff\"\n  face='x'>white</font> #fit\n\n"
                                  "<td bgcolor=#abc>cell</td>\n\n"
                                  "<style>\n.a { color: #ccc; }\n#main { margin: 0 }\n</style>\n\n"
                                  "after the style #sizing, {#inline} and a < b #frustrated\n\n"
                                  "We talked about the <script> tag\n\nthen #wide-sizes\n");
        T_STR(hashtags(n), "price,fit,sizing,inline,frustrated,wide-sizes");
        vb_note_free(n);
}

/* the templates' empty items: "- Job:" and "1." with nothing after them */
static void empty_items(void)
{
        struct vb_note *n =
            parse("---\ndate: 2026-11-03\n---\n## Job to be done\n- Job:\n- Before:\n"
                  "\n## Five whys\n\n1.\n2.\n");
        T_INT(d.n, 0);
        T_INT(n->njobs, 1);
        T_STR(n->jobs[0].job, "");
        T_INT(n->nwhys, 2);
        T_STR(n->whys[1].text, "");
        vb_note_free(n);
}

/* Whether parsing `text` made its body's HTML in the same pass, and, when
 * it did, that the HTML is vb_html_markdown's of the text from line
 * body_line on and the note what a parse without HTML gives. */
static int html_in_pass(const char *text, size_t len)
{
        struct vb_note_html html = {VB_BUF_INIT, 0};
        struct vb_note_options opt = {NULL, 0, 0, &html};
        struct vb_note *n = NULL, *plain = NULL;
        vb_diags_release(&d);
        vb_note_parse(&n, "a.md", text, len, &opt, &d);
        vb_note_parse(&plain, "a.md", text, len, NULL, &d);
        int done = html.done;
        if (done && n) {
                size_t skip = 0;
                for (unsigned line = 1; line < n->body_line && skip < len; line++) {
                        const char *nl = memchr(text + skip, '\n', len - skip);
                        skip = nl ? (size_t)(nl - text) + 1 : len;
                }
                struct vb_buf want = VB_BUF_INIT;
                T_INT(vb_html_markdown(&want, text + skip, len - skip), VB_OK);
                T_STR(html.buf.ptr ? html.buf.ptr : "", want.ptr ? want.ptr : "");
                vb_buf_release(&want);
                T_INT(n->ntags, plain->ntags);
                T_INT(n->nquotes, plain->nquotes);
                T_INT(n->nsections, plain->nsections);
                T_INT(n->njobs, plain->njobs);
                T_INT(n->nwhys, plain->nwhys);
                for (size_t i = 0; i < n->nquotes && i < plain->nquotes; i++)
                        T_STR(n->quotes[i].text, plain->quotes[i].text);
        }
        vb_note_free(n);
        vb_note_free(plain);
        vb_buf_release(&html.buf);
        return done;
}

#define HTML_IN_PASS(s) html_in_pass(s, sizeof(s) - 1)

/* The body's HTML comes out of the parse's own Markdown pass when the
 * renderer would read the same bytes, and only then. */
static void body_html(void)
{
        T_INT(html_in_pass(note, strlen(note)), 1);
        T_INT(HTML_IN_PASS("# No front matter\n\n> \"It fits\" #fit\n"), 1);
        T_INT(HTML_IN_PASS("---\ndate: 2026-11-03\n---\n<script>x</script> [a](javascript:x) "
                           "| a |\n|---|\n| b |\n~~s~~ - [ ] t www.example.com\n"),
              1);
        T_INT(HTML_IN_PASS("---\ndate: [unclosed\n---\nbody after bad YAML\n"), 1);
        T_INT(HTML_IN_PASS("[](\n[x]("), 1); /* md4c's read past an unfinished link */
        /* not in the same pass: no body, or bytes the parse reads otherwise */
        T_INT(HTML_IN_PASS("---\ndate: 2026-11-03\n---\n"), 0);
        T_INT(HTML_IN_PASS("\xef\xbb\xbf# With a byte order mark\n"), 0);
        T_INT(HTML_IN_PASS("---\r\ndate: 2026-11-03\r\n---\r\nText\r\n"), 0);
        T_INT(HTML_IN_PASS("Text\0with a NUL\n"), 0);
        T_INT(HTML_IN_PASS("Text \xff invalid\n"), 0);
        T_INT(HTML_IN_PASS("Text\xe2\x80\xa8line separator\n"), 0);

        /* `done` is reset for a file that cannot be parsed at all */
        struct vb_note_html html = {VB_BUF_INIT, 0};
        struct vb_note_options opt = {NULL, 0, 0, &html};
        struct vb_note *n = NULL;
        vb_note_parse(&n, "a.md", note, strlen(note), &opt, &d);
        T_INT(html.done, 1);
        vb_note_free(n);
        vb_note_parse(&n, "a.md", "\x01\x02\0\0binary", 10, &opt, &d);
        T_TRUE(n == NULL);
        T_INT(html.done, 0);
        T_INT(html.buf.len, 0);
        vb_buf_release(&html.buf);
}

/* Blank lines (spaces, a CR, a byte order mark before them) ahead of the
 * '---': an error at 1:1, and the front matter is read all the same (the
 * body, and so the page, starts after it). */
static void blank_line_before_front_matter(void)
{
        static const char *const texts[] = {
            "\n---\ndate: 2026-11-03\ncustomer: C-1\n---\n# Call\n",
            "  \r\n\t\r\n---\r\ndate: 2026-11-03\r\ncustomer: C-1\r\n---\r\n# Call\r\n",
            "\xef\xbb\xbf\n---\ndate: 2026-11-03\ncustomer: C-1\n---\n# Call\n",
        };
        static const unsigned body_lines[] = {6, 7, 6};
        for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
                struct vb_note *n = parse(texts[i]);
                T_INT(d.n, 1);
                T_STR(diag(0), "1:1: front matter must start on the first line; remove the blank "
                               "line(s) before '---' [front-matter-not-first]");
                T_TRUE(n->has_front_matter && n->front_ok);
                T_STR(n->customer.value, "C-1");
                T_INT(n->customer.pos.line, body_lines[i] - 2);
                T_INT(n->body_line, body_lines[i]);
                vb_note_free(n);
        }
        /* text before the '---' is no front matter */
        struct vb_note *n = parse("Hello\n---\ndate: 2026-11-03\n---\n");
        T_STR(d.v[0].rule, "front-matter-missing");
        T_TRUE(!n->has_front_matter);
        vb_note_free(n);
}

/* A template prompt left in the body: its position; a note with one and no
 * quote or tag is unfilled, no conversation. */
static void template_prompts(void)
{
        struct vb_note *n = parse("---\ndate: 2026-11-03\n---\n\n## Context\n\n_Ask:_ What "
                                  "happened?\n\n   *Ask:* And then?\n");
        T_INT(n->check->prompt.line, 7);
        T_INT(n->check->prompt.col, 1);
        T_TRUE(n->unfilled);
        T_TRUE(!vb_note_is_conversation(n));
        vb_note_free(n);
        n = parse("---\ndate: 2026-11-03\n---\n\n  _Ask:_ What happened?\n\n> \"It was "
                  "late\" #late\n");
        T_INT(n->check->prompt.line, 5);
        T_INT(n->check->prompt.col, 3);
        T_TRUE(!n->unfilled); /* a quote was written: a conversation with a prompt left */
        T_TRUE(vb_note_is_conversation(n));
        vb_note_free(n);
        /* no prompt: _Ask_ without the colon, "Ask:" in a sentence, a prompt
         * in the front matter's comment */
        n = parse("---\n# replace every _Ask:_ line\ndate: 2026-11-03\n---\n\n_Ask_ me.\n\n"
                  "I said _Ask:_ twice.\n");
        T_INT(n->check->prompt.line, 0);
        T_TRUE(!n->unfilled && vb_note_is_conversation(n));
        vb_note_free(n);
}

int main(void)
{
        T_RUN(blank_line_before_front_matter);
        T_RUN(template_prompts);
        T_RUN(body_html);
        T_RUN(empty_items);
        T_RUN(fields_and_positions);
        T_RUN(crlf_and_bom);
        T_RUN(front_matter_problems);
        T_RUN(deep_nesting);
        T_RUN(bad_bytes);
        T_RUN(bad_bytes_anywhere);
        T_RUN(hashtags_and_personal_data);
        T_RUN(split_personal_data);
        T_RUN(not_hashtags);
        vb_diags_release(&d);
        T_END();
}
