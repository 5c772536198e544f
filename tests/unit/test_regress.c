/* Regression tests for crashes and wrong results the fuzzers found; each
 * input is the smallest one that showed the problem. */
#include "t.h"
#include "verbatim/diag.h"
#include "verbatim/html.h"
#include "verbatim/note.h"
#include "verbatim/phrase.h"
#include "verbatim/pii.h"

#include <stdlib.h>
#include <string.h>

static struct vb_note *parse(const char *text, struct vb_diags *d)
{
        struct vb_note *n = NULL;
        if (vb_note_parse(&n, "calls/a.md", text, strlen(text), NULL, d) != VB_OK)
                return NULL;
        return n;
}

/* An empty item under "Five whys" or "Job to be done" crashed the parser
 * (a NULL buffer in finish_item). */
static void test_empty_list_items(void)
{
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_note *n =
            parse("---\ndate: 2026-11-03\n---\n## Five whys\n\n1.\n2. Why? root\n", &d);
        T_TRUE(n != NULL);
        if (n) {
                T_INT(n->nwhys, 2);
                T_STR(n->whys[0].text, "");
                T_STR(n->whys[1].text, "root");
        }
        vb_note_free(n);
        n = parse("---\ndate: 2026-11-03\n---\n## Job to be done\n\n-\n- Job: run\n", &d);
        T_TRUE(n != NULL);
        if (n) {
                T_INT(n->njobs, 1);
                T_STR(n->jobs[0].job, "run");
        }
        vb_note_free(n);
        T_INT(d.n, 0);
        vb_diags_release(&d);
}

/* A lone CR ends a line for libyaml and md4c: positions counted only '\n'
 * and front-matter errors pointed past the end of the file. */
static void test_lone_cr_lines(void)
{
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_note *n =
            parse("---\rdate: 2026-11-03\r\rcustomer: [a]\r---\r> \"hi there\" #x\r", &d);
        T_TRUE(n != NULL);
        T_INT(d.n, 1);
        if (d.n) {
                T_STR(d.v[0].rule, "bad-type");
                T_INT(d.v[0].line, 4);
                T_INT(d.v[0].col, 11);
        }
        if (n) {
                T_INT(n->nquotes, 1);
                T_INT(n->quotes[0].pos.line, 6);
                T_INT(n->ntags, 1);
                T_INT(n->tags[0].pos.line, 6);
        }
        vb_note_free(n);
        vb_diags_release(&d);
}

/* NEL and the Unicode line separators are line breaks to libyaml only. */
static void test_unicode_line_separators(void)
{
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_note *n =
            parse("---\ndate: 2026-11-03\xe2\x80\xa8\xc2\x85\ncustomer: [a]\n---\n", &d);
        T_TRUE(n != NULL);
        T_INT(d.n, 1);
        if (d.n) {
                T_STR(d.v[0].rule, "bad-type");
                T_INT(d.v[0].line, 3);
        }
        vb_note_free(n);
        vb_diags_release(&d);
}

/* An indented code block has an all-NULL info string: the renderer read
 * through a NULL pointer. */
static void test_indented_code(void)
{
        struct vb_buf out = VB_BUF_INIT;
        T_INT(vb_html_markdown(&out, "    code <b>\n", 13), 0);
        T_STR(out.ptr, "<pre><code>code &lt;b&gt;\n</code></pre>\n");
        vb_buf_release(&out);
}

/* md4c 0.4.8 reads one byte past an unfinished link at the very end; the
 * renderer gives it a NUL-terminated copy (valgrind checks this: the input
 * here is a block of exactly three bytes). */
static void test_markdown_unfinished_link(void)
{
        struct vb_buf out = VB_BUF_INIT;
        char *md = vb_malloc(3);
        memcpy(md, "[](", 3);
        T_INT(vb_html_markdown(&out, md, 3), 0);
        T_STR(out.ptr, "<p>[](</p>\n");
        free(md);
        vb_buf_release(&out);
}

/* Removing an email changed the context of what followed: the digits of
 * "uk_12345678" join a word, those of "[email removed]_12345678" do not. */
static void test_redaction_leaves_nothing(void)
{
        struct vb_buf out = VB_BUF_INIT;
        size_t s, e;
        vb_pii_redact(&out, "0@o.uk_12345678", 15);
        T_STR(out.ptr, "[email removed]_[phone removed]");
        T_INT(vb_pii_find(out.ptr, out.len, 0, &s, &e), VB_PII_NONE);
        vb_buf_reset(&out);
        vb_pii_redact(&out, "order_12345678", 14);
        T_STR(out.ptr, "order_12345678");
        vb_buf_release(&out);
}

/* Quotes without a content word left the clustering's id list NULL, and
 * NULL + 0 is undefined behaviour. */
static void test_phrase_no_content_words(void)
{
        static const unsigned char oid[20];
        struct vb_pnotes notes = VB_PNOTES_INIT;
        struct vb_phrase_index ix = VB_PHRASE_INDEX_INIT;
        struct vb_date date = {2026, 11, 3};
        struct vb_pnote *n = vb_pnote_new("a", "calls/a.md", oid, date, NULL);
        vb_pnote_add_quote(n, "the and of", 1);
        vb_pnotes_add(&notes, n);
        T_INT(vb_phrase_index_build(&ix, &notes), VB_OK);
        T_INT(ix.nphrases, 0);
        T_INT(ix.nclusters, 0);
        vb_phrase_index_release(&ix);
        vb_pnotes_release(&notes);
}

/* A newline in a file name or a tag made two lines of one text diagnostic:
 * the second, "::error ...", is a command to GitHub Actions' runner. */
static void test_diag_text_one_line(void)
{
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_buf out = VB_BUF_INIT;
        vb_diags_add(&d, "calls/evil\n::error file=x::y.md", 7, 1, VB_SEV_ERROR, "unknown-tag",
                     "unknown tag '%s'", "red\x1b[31m\r\tx\x7f");
        vb_diag_format(&out, &d.v[0], VB_FORMAT_TEXT);
        T_STR(out.ptr, "calls/evil\\n::error file=x::y.md:7:1: error: unknown tag "
                       "'red\\x1b[31m\\r\\tx\\x7f' [unknown-tag]\n");
        vb_buf_reset(&out);
        vb_diag_format(&out, &d.v[0], VB_FORMAT_GITHUB);
        /* GitHub decodes only its own escapes: the other controls as in text */
        T_STR(out.ptr, "::error file=calls/evil%0A%3A%3Aerror file=x%3A%3Ay.md,line=7,col=1,"
                       "title=unknown-tag::unknown tag 'red\\x1b[31m%0D\\tx\\x7f'\n");
        vb_buf_release(&out);
        vb_diags_release(&d);
}

int main(void)
{
        T_RUN(test_empty_list_items);
        T_RUN(test_lone_cr_lines);
        T_RUN(test_unicode_line_separators);
        T_RUN(test_indented_code);
        T_RUN(test_markdown_unfinished_link);
        T_RUN(test_redaction_leaves_nothing);
        T_RUN(test_phrase_no_content_words);
        T_RUN(test_diag_text_one_line);
        T_END();
}
