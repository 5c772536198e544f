/* Fuzz target: the HTML writer.  Renders the input as Markdown, as text and
 * as an attribute, asks the URL allow-list about it, and abort()s when the
 * output could run a script: a tag other than the few the renderer writes,
 * an on...= attribute, an href that is not allowed, or, in text, any markup
 * character at all. */
#include "fuzz.h"
#include "verbatim/html.h"
#include "verbatim/utf8.h"

#include <md4c.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

/* The tags vb_html_markdown writes; anything else came from the input. */
static const char *const html_tags[] = {
    "p",  "h2",     "h3",   "h4", "h5",    "h6",    "h7",    "blockquote", "ul",  "ol",
    "li", "pre",    "code", "hr", "table", "thead", "tbody", "tr",         "th",  "td",
    "em", "strong", "del",  "u",  "a",     "span",  "br",    "input",      "div", "img",
};

static int html_lower(int c)
{
        return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* The browser's reading of a link target, as the oracle for the allow-list:
 * the WHATWG URL parser strips leading C0 controls and spaces and removes
 * tabs and newlines anywhere; a scheme is a letter followed by letters,
 * digits, '+', '-' or '.', then ':'.  Whether `s` has a scheme other than
 * http or https. */
static int html_url_dangerous(const char *s, size_t len)
{
        struct vb_buf c = VB_BUF_INIT;
        size_t i = 0;
        while (i < len && (unsigned char)s[i] <= ' ')
                i++;
        for (; i < len; i++)
                if (s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
                        vb_buf_addc(&c, (char)html_lower((unsigned char)s[i]));
        size_t k = 0;
        int bad = 0;
        if (c.len && c.ptr[0] >= 'a' && c.ptr[0] <= 'z') {
                while (k < c.len &&
                       ((c.ptr[k] >= 'a' && c.ptr[k] <= 'z') ||
                        (c.ptr[k] >= '0' && c.ptr[k] <= '9') || strchr("+-.", c.ptr[k])))
                        k++;
                bad = k < c.len && c.ptr[k] == ':' && !(k == 4 && !memcmp(c.ptr, "http", 4)) &&
                      !(k == 5 && !memcmp(c.ptr, "https", 5));
        }
        vb_buf_release(&c);
        return bad;
}

/* An attribute value as the browser reads it: character references decoded
 * once (the renderer writes only &amp; &lt; &gt; &quot; &#39;; anything else
 * is kept as written). */
static void html_attr_decode(struct vb_buf *out, const char *s, size_t len)
{
        static const char *const refs[][2] = {
            {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}};
        for (size_t i = 0; i < len;) {
                int hit = 0;
                for (size_t k = 0; k < sizeof(refs) / sizeof(refs[0]) && !hit; k++) {
                        size_t n = strlen(refs[k][0]);
                        if (i + n <= len && !memcmp(s + i, refs[k][0], n)) {
                                vb_buf_adds(out, refs[k][1]);
                                i += n;
                                hit = 1;
                        }
                }
                if (!hit) {
                        if (s[i] == '&')
                                abort(); /* a bare '&' in an attribute the renderer wrote */
                        vb_buf_addc(out, s[i++]);
                }
        }
}

static int html_href_dangerous(const char *s, size_t len)
{
        struct vb_buf c = VB_BUF_INIT;
        html_attr_decode(&c, s, len);
        int bad = html_url_dangerous(c.ptr, c.len);
        vb_buf_release(&c);
        return bad;
}

/* Walks the tags of `html` and abort()s on anything the renderer does not
 * write itself. */
static void html_check_markup(const char *html, size_t len)
{
        size_t i = 0;
        while (i < len) {
                if (html[i] != '<') {
                        if (html[i] == '>')
                                abort(); /* text is escaped: a bare '>' means broken markup */
                        i++;
                        continue;
                }
                size_t j = ++i;
                if (j < len && html[j] == '/')
                        j++;
                size_t name = j;
                while (j < len &&
                       ((html[j] >= 'a' && html[j] <= 'z') || (html[j] >= '0' && html[j] <= '9')))
                        j++;
                int known = 0;
                for (size_t k = 0; k < sizeof(html_tags) / sizeof(html_tags[0]); k++)
                        if (strlen(html_tags[k]) == j - name &&
                            !memcmp(html_tags[k], html + name, j - name))
                                known = 1;
                if (!known)
                        abort();
                /* attributes: name="value" pairs separated by one space */
                for (;;) {
                        if (j >= len)
                                abort(); /* an unterminated tag */
                        if (html[j] == '>') {
                                j++;
                                break;
                        }
                        if (html[j] != ' ')
                                abort();
                        j++;
                        size_t an = j;
                        while (j < len && ((html[j] >= 'a' && html[j] <= 'z') || html[j] == '-'))
                                j++;
                        size_t anl = j - an;
                        if (anl == 0 || (anl >= 2 && html[an] == 'o' && html[an + 1] == 'n') ||
                            (anl == 5 && !memcmp(html + an, "style", 5)) ||
                            (anl == 6 && !memcmp(html + an, "srcdoc", 6)))
                                abort();
                        if (j < len && html[j] != '=')
                                continue; /* a boolean attribute: disabled, checked */
                        if (j + 1 >= len || html[j + 1] != '"')
                                abort();
                        size_t v = j + 2, ve = v;
                        while (ve < len && html[ve] != '"') {
                                if (html[ve] == '<' || html[ve] == '>')
                                        abort();
                                ve++;
                        }
                        if (ve >= len)
                                abort();
                        if (((anl == 4 && !memcmp(html + an, "href", 4)) ||
                             (anl == 3 && !memcmp(html + an, "src", 3))) &&
                            html_href_dangerous(html + v, ve - v))
                                abort();
                        j = ve + 1;
                }
                i = j;
        }
        if (vb_utf8_check(html, len) != len)
                abort();
}

static int html_md_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
        return 0;
}

static int html_md_span(MD_SPANTYPE type, void *detail, void *ud)
{
        return 0;
}

static int html_md_text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE size, void *ud)
{
        return 0;
}

/* md4c is not built with the sanitizers, so its reads past the input go
 * unseen: parse a copy that ends in one NUL byte (what vb_note_parse and
 * vb_html_markdown give it) right before an unreadable page, with the flags
 * of both, so that reading further crashes. */
static void html_md4c_guarded(const char *s, size_t len)
{
        size_t page = (size_t)sysconf(_SC_PAGESIZE), pages = (len + 1 + page - 1) / page;
        char *map = mmap(NULL, (pages + 1) * page, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (map == MAP_FAILED || mprotect(map + pages * page, page, PROT_NONE))
                abort();
        char *copy = map + pages * page - len - 1;
        memcpy(copy, s, len);
        copy[len] = '\0';
        static const unsigned flags[] = {MD_FLAG_NOHTML | MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH |
                                             MD_FLAG_TASKLISTS | MD_FLAG_PERMISSIVEAUTOLINKS,
                                         MD_DIALECT_GITHUB | MD_FLAG_NOHTML};
        for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
                MD_PARSER md;
                memset(&md, 0, sizeof(md));
                md.flags = flags[i];
                md.enter_block = html_md_block;
                md.leave_block = html_md_block;
                md.enter_span = html_md_span;
                md.leave_span = html_md_span;
                md.text = html_md_text;
                md_parse(copy, (MD_SIZE)len, &md, NULL);
        }
        munmap(map, (pages + 1) * page);
}

int vb_fuzz_html(const uint8_t *data, size_t size)
{
        const char *s = (const char *)data;
        struct vb_buf md = VB_BUF_INIT, text = VB_BUF_INIT, attr = VB_BUF_INIT;

        html_md4c_guarded(s, size);
        if (vb_html_markdown(&md, s, size) == 0)
                html_check_markup(md.ptr, md.len);
        vb_html_text(&text, s, size);
        vb_html_attr(&attr, s, size);
        if (strlen(text.ptr) != text.len || strpbrk(text.ptr, "<>\"'") ||
            strpbrk(attr.ptr, "<>\"'") || vb_utf8_check(text.ptr, text.len) != text.len)
                abort();
        /* what the allow-list lets through must not be dangerous by the oracle */
        if (vb_html_safe_url(s, size) && html_url_dangerous(s, size))
                abort();
        vb_buf_release(&md);
        vb_buf_release(&text);
        vb_buf_release(&attr);
        return 0;
}

VB_FUZZ_ENTRY(vb_fuzz_html)
