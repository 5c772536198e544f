#include "verbatim/buf.h"
#include "verbatim/html.h"
#include "verbatim/pii.h"

#include "t.h"

#include <string.h>
#include <time.h>

static struct vb_buf out;

static const char *text(const char *s, size_t len)
{
        vb_buf_reset(&out);
        vb_html_text(&out, s, len);
        return out.ptr;
}

static const char *md(const char *s)
{
        vb_buf_reset(&out);
        T_INT(vb_html_markdown(&out, s, strlen(s)), 0);
        return out.ptr;
}

static void test_escaping(void)
{
        T_STR(text("a & b < c > d \" e ' f", 21), "a &amp; b &lt; c &gt; d &quot; e &#39; f");
        T_STR(text("<script>alert(1)</script>", 25), "&lt;script&gt;alert(1)&lt;/script&gt;");
        T_STR(text("caf\xC3\xA9 \xE2\x82\xAC", 9), "caf\xC3\xA9 \xE2\x82\xAC");
        T_STR(text("a\xFF"
                   "b\xC3",
                   4),
              "a\xEF\xBF\xBD"
              "b\xEF\xBF\xBD");
        T_STR(text("\xC0\xAF", 2), "\xEF\xBF\xBD\xEF\xBF\xBD"); /* overlong '/' */
        T_STR(text("a\0b\x01\x1b[31m\r\tc\nd\x7f", 14), "ab[31m\tc\nd");
        T_STR(text("", 0), "");
        vb_buf_reset(&out);
        vb_html_attr(&out, "x\" onmouseover=\"alert(1)", 24);
        T_STR(out.ptr, "x&quot; onmouseover=&quot;alert(1)");
        vb_buf_reset(&out);
        vb_html_raw(&out, "<p class=\"x\">");
        T_STR(out.ptr, "<p class=\"x\">");
}

/* Every byte between two letters, in both of vb_html_text's paths (the
 * fast one takes plain ASCII; an '@' or a phone number sends the text to the
 * general one): kept, escaped, dropped (controls) or replaced (a lone
 * byte from 0x80 is invalid UTF-8). */
static void test_every_byte(void)
{
        for (int c = 0; c < 256; c++) {
                for (int general = 0; general < 2; general++) {
                        char in[16], want[32];
                        const char *tail = general ? " @" : "";
                        int n = snprintf(in, sizeof(in), "a%cb%s", c ? c : 'x', tail);
                        if (!c)
                                in[1] = '\0';
                        const char *e = c == '&'    ? "&amp;"
                                        : c == '<'  ? "&lt;"
                                        : c == '>'  ? "&gt;"
                                        : c == '"'  ? "&quot;"
                                        : c == '\'' ? "&#39;"
                                                    : NULL;
                        char kept[2] = {(char)c, 0};
                        if (c >= 0x80)
                                e = "\xEF\xBF\xBD";
                        else if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
                                e = "";
                        snprintf(want, sizeof(want), "a%sb%s", e ? e : kept, tail);
                        T_STR(text(in, (size_t)n), want);
                }
        }
        /* seven digits stay; eight are a phone number */
        T_STR(text("1234567 & x", 11), "1234567 &amp; x");
        T_STR(text("12345678 & x", 12), "[phone removed] &amp; x");
}

static void test_redaction(void)
{
        const char *s = "mail jane.doe@example.com or call +33 6 12 34 56 78 on 2026-11-03";
        T_STR(text(s, strlen(s)), "mail [email removed] or call [phone removed] on 2026-11-03");
        /* a control byte hidden inside a number does not split it */
        T_STR(text("tel 0612\x01"
                   "345678.",
                   16),
              "tel [phone removed].");
        /* escaping after redaction: the markup of the message stays text */
        T_STR(text("<a@b.io>", 8), "&lt;[email removed]&gt;");
}

/* Plain ASCII with digits enough for a phone number (ids, dates) is checked
 * for one on the fast path: the same bytes as redacting, then escaping. */
static void test_digits(void)
{
        T_STR(text("2026-11-03 & c-10492 <b>", 24), "2026-11-03 &amp; c-10492 &lt;b&gt;");
        T_STR(text("<x> 2026-11-03-c11264-buyer-004389", 34),
              "&lt;x&gt; 2026-11-03-c11264-buyer-004389");
        T_STR(text("a & b 0612 345 678", 18), "a &amp; b [phone removed]");
        T_STR(text("a & b 0612 345 678 > c", 22), "a &amp; b [phone removed] &gt; c");

        static const char alphabet[] = "0123456789 -.()+&<'ab_";
        struct vb_buf redacted = VB_BUF_INIT, want = VB_BUF_INIT;
        char s[48];
        unsigned seed = 12345;
        for (int round = 0; round < 20000; round++) {
                size_t len = (seed = seed * 1103515245u + 12345u) >> 16 & 31;
                for (size_t i = 0; i < len; i++) {
                        seed = seed * 1103515245u + 12345u;
                        s[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
                }
                vb_buf_reset(&redacted);
                vb_buf_reset(&want);
                vb_pii_redact(&redacted, s, len);
                for (size_t i = 0; i < redacted.len; i++) {
                        char c = redacted.ptr[i];
                        vb_buf_adds(&want, c == '&'    ? "&amp;"
                                           : c == '<'  ? "&lt;"
                                           : c == '\'' ? "&#39;"
                                                       : (char[2]){c, 0});
                }
                if (strcmp(text(s, len), want.ptr)) {
                        T_STR(text(s, len), want.ptr);
                        break;
                }
        }
        vb_buf_release(&redacted);
        vb_buf_release(&want);
}

static void test_safe_url(void)
{
        static const struct {
                const char *url;
                bool ok;
        } cases[] = {
            {"https://x", true},
            {"http://example.com/a?b=c#d", true},
            {"HTTPS://EXAMPLE.COM", true},
            {"HtTp://x", true},
            {"themes.html", true},
            {"../notes/a.html", true},
            {"/abs/path", true},
            {"#frag", true},
            {"?q=1", true},
            {"a/b:c", true},
            {"//cdn.example.com/x", true},
            {"javascript:alert(1)", false},
            {"JaVaScRiPt:alert(1)", false},
            {"java&#x09;script:alert(1)", false},
            {"&#106;avascript:alert(1)", false},
            {"&#0000106avascript:alert(1)", false},
            {"&#x6A;avascript:alert(1)", false},
            {"%6Aavascript:alert(1)", false},
            {" javascript:alert(1)", false},
            {"\x01javascript:alert(1)", false},
            {"java\nscript:alert(1)", false},
            {"javascript&colon;alert(1)", false},
            {"java&Tab;script:alert(1)", false},
            {"java&NewLine;script:alert(1)", false},
            {"&amp;#106;avascript:x", false},
            {"javascript%3Aalert(1)", false},
            {"vbscript:msgbox", false},
            {"data:text/html,<script>alert(1)</script>", false},
            {"data:image/png;base64,AAAA", false},
            {"file:///etc/passwd", false},
            {"mailto:jane@example.com", false},
            {"MAILTO:jane@example.com", false},
            {"tel:+3312345678", false},
            {"foo:bar", false},
            {"", false},
            {"   ", false},
            {"https&#58;//x", true},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                bool got = vb_html_safe_url(cases[i].url, strlen(cases[i].url));
                if (got != cases[i].ok)
                        T_FAIL("vb_html_safe_url(\"%s\") == %d, expected %d", cases[i].url, got,
                               cases[i].ok);
        }
        /* NUL bytes do not end the check early */
        T_TRUE(!vb_html_safe_url("java\0script:x", 13));
}

static void test_markdown_basic(void)
{
        T_STR(md("# Title\n\nSome *em* and **strong** and ~~del~~ and `co<de>`.\n"),
              "<h2>Title</h2>\n<p>Some <em>em</em> and <strong>strong</strong> and <del>del</del> "
              "and <code>co&lt;de&gt;</code>.</p>\n");
        T_STR(md("###### six\n"), "<h6>six</h6>\n");
        T_STR(md("> quote\n\n- a\n- b\n\n3. c\n"),
              "<blockquote>\n<p>quote</p>\n</blockquote>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"
              "<ol start=\"3\">\n<li>c</li>\n</ol>\n");
        T_STR(md("```sh\nrm -rf / <x>\n```\n"),
              "<pre><code class=\"language-sh\">rm -rf / &lt;x&gt;\n</code></pre>\n");
        T_STR(md("```\"><script>\nx\n```\n"), "<pre><code>x\n</code></pre>\n");
        T_STR(md("| a | b |\n|:--|--:|\n| 1 | 2 |\n"),
              "<div class=\"table-wrap\"><table>\n<thead>\n<tr><th scope=\"col\" "
              "class=\"left\">a</th><th scope=\"col\" class=\"right\">b</th></tr>\n</thead>\n"
              "<tbody>\n<tr><td class=\"left\">1</td><td class=\"right\">2</td></tr>\n</tbody>\n"
              "</table></div>\n");
        T_STR(md("a  \nb\nc\n\n---\n"), "<p>a<br>\nb c</p>\n<hr>\n");
        T_STR(md("- [x] done\n- [ ] todo\n"),
              "<ul>\n<li class=\"task\"><span class=\"box\" role=\"img\" aria-label=\"done\">"
              "\xE2\x98\x91</span> done</li>\n<li class=\"task\"><span class=\"box\" role=\"img\" "
              "aria-label=\"to do\">\xE2\x98\x90</span> todo</li>\n</ul>\n");
        T_STR(md("&amp; &copy; &#65; &#x1F600; &#0; &bogus; &#xD800;\n"),
              "<p>&amp; \xC2\xA9 A \xF0\x9F\x98\x80 \xEF\xBF\xBD &bogus; \xEF\xBF\xBD</p>\n");
        T_STR(md(""), "");
}

static void test_markdown_links(void)
{
        T_STR(md("[ok](https://example.com/a?b=1&c=2 \"T\")\n"),
              "<p><a href=\"https://example.com/a?b=1&amp;c=2\" title=\"T\" "
              "rel=\"nofollow noopener noreferrer\">ok</a></p>\n");
        T_STR(md("[x](javascript:alert(1))\n"), "<p>x</p>\n");
        T_STR(md("[x](&#106;avascript:alert(1))\n"), "<p>x</p>\n");
        T_STR(md("[x](java&#x09;script:alert(1))\n"), "<p>x</p>\n");
        T_STR(md("[x](<javascript:alert(1)>)\n"), "<p>x</p>\n");
        T_STR(md("<javascript:alert(1)>\n"), "<p>javascript:alert(1)</p>\n");
        T_STR(md("[x](data:text/html;base64,PHNjcmlwdD4=)\n"), "<p>x</p>\n");
        T_STR(md("[mail](mailto:jane@example.com)\n"), "<p>mail</p>\n");
        T_STR(md("write to jane@example.com\n"), "<p>write to [email removed]</p>\n");
        T_STR(md("[rel](../a.html)\n"),
              "<p><a href=\"../a.html\" rel=\"nofollow noopener noreferrer\">rel</a></p>\n");
        T_STR(md("![alt *text*](https://tracker.example/pixel.gif)\n"),
              "<p><span class=\"img-alt\">alt text</span></p>\n");
        T_STR(md("[![logo](x.png)](https://x)\n"),
              "<p><a href=\"https://x\" rel=\"nofollow noopener noreferrer\"><span "
              "class=\"img-alt\">logo</span></a></p>\n");
}

static void test_markdown_hostile(void)
{
        T_STR(md("<script>alert(1)</script>\n"), "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n");
        T_STR(md("<img src=x onerror=alert(1)>\n"), "<p>&lt;img src=x onerror=alert(1)&gt;</p>\n");
        T_STR(md("<div onclick=\"x\">\n\nhi\n"),
              "<p>&lt;div onclick=&quot;x&quot;&gt;</p>\n<p>hi</p>\n");
        T_STR(md("call +33 6 12\n34 56 78 today\n"), "<p>call [phone removed] today</p>\n");
        vb_buf_reset(&out);
        T_INT(vb_html_markdown(&out, "a\0b\n", 4), 0);
        T_STR(out.ptr, "<p>a\xEF\xBF\xBD"
                       "b</p>\n");

        /* 10,000 nested quotes and lists, a 1 MB line: quick, flattened */
        struct vb_buf in = VB_BUF_INIT;
        for (int i = 0; i < 10000; i++)
                vb_buf_addc(&in, '>');
        vb_buf_adds(&in, " deep\n");
        for (int i = 0; i < 10000; i++)
                vb_buf_adds(&in, "- ");
        vb_buf_adds(&in, "list\n");
        for (int i = 0; i < 1000000; i++)
                vb_buf_addc(&in, "a*[_`<&\\ "[i % 9]);
        vb_buf_addc(&in, '\n');
        clock_t t0 = clock();
        vb_buf_reset(&out);
        T_INT(vb_html_markdown(&out, in.ptr, in.len), 0);
        double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
        if (secs > 3)
                T_FAIL("hostile markdown took %.1f s", secs);
        size_t quotes = 0;
        for (const char *p = out.ptr; (p = strstr(p, "<blockquote>")); p++)
                quotes++;
        T_INT(quotes, 32);
        T_TRUE(out.len > 1000000);
        T_TRUE(strstr(out.ptr, "deep") != NULL);
        T_TRUE(strstr(out.ptr, "<script") == NULL);
        vb_buf_release(&in);
}

static void test_page(void)
{
        const struct vb_html_nav nav[] = {
            {"index.html", "Overview", false},
            {"themes/index.html", "Themes & tags", true},
        };
        const struct vb_html_page page = {"Price <b>", "../", "Voice of \"customer\"", nav, 2};
        vb_buf_reset(&out);
        vb_html_page_begin(&out, &page);
        vb_html_page_end(&out);
        T_STR(out.ptr,
              "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
              "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
              "style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'\">\n"
              "<meta name=\"referrer\" content=\"no-referrer\">\n"
              "<meta name=\"color-scheme\" content=\"light dark\">\n"
              "<title>Price &lt;b&gt; \xE2\x80\x94 Voice of &quot;customer&quot;</title>\n"
              "<link rel=\"stylesheet\" href=\"../style.css\">\n</head>\n<body>\n"
              "<a class=\"skip\" href=\"#main\">Skip to content</a>\n<header>\n"
              "<p class=\"site\"><a href=\"../index.html\">Voice of &quot;customer&quot;</a></p>\n"
              "<nav aria-label=\"Main\">\n<ul>\n"
              "<li><a href=\"../index.html\">Overview</a></li>\n"
              "<li><a href=\"../themes/index.html\" aria-current=\"page\">Themes &amp; "
              "tags</a></li>\n</ul>\n</nav>\n</header>\n<main id=\"main\">\n"
              "</main>\n<footer>\n<p>Made with verbatim from the call notes. Emails and phone "
              "numbers are removed.</p>\n</footer>\n</body>\n</html>\n");
        /* in two parts, the second made once for many pages: the same bytes */
        struct vb_buf whole = VB_BUF_INIT, rest = VB_BUF_INIT;
        vb_html_page_begin(&whole, &page);
        vb_html_page_rest(&rest, &page);
        vb_buf_reset(&out);
        size_t n = vb_html_page_head(&out, page.title);
        T_INT(n, strlen("Price &lt;b&gt;")); /* the title escaped, at the end */
        T_TRUE(n <= out.len && !memcmp(out.ptr + out.len - n, "Price &lt;b&gt;", n));
        vb_buf_add(&out, rest.ptr, rest.len);
        T_STR(out.ptr, whole.ptr);
        vb_buf_release(&whole);
        vb_buf_release(&rest);
        const char *css = vb_html_stylesheet();
        T_TRUE(strstr(css, "@media print") != NULL);
        T_TRUE(strstr(css, "prefers-color-scheme: dark") != NULL);
        T_TRUE(strstr(css, "td.heat.h5") != NULL);
        T_TRUE(strstr(css, ":focus-visible") != NULL);
}

static void test_table(void)
{
        const char *const headers[] = {"Theme", "Calls <n>"};
        vb_buf_reset(&out);
        vb_html_table_begin(&out, "Top & themes", headers, 2);
        vb_html_table_end(&out);
        T_STR(out.ptr, "<div class=\"table-wrap\"><table>\n<caption>Top &amp; themes</caption>\n"
                       "<thead>\n<tr><th scope=\"col\">Theme</th><th scope=\"col\">Calls "
                       "&lt;n&gt;</th></tr>\n</thead>\n<tbody>\n</tbody>\n</table></div>\n");
        vb_buf_reset(&out);
        vb_html_table_begin(&out, NULL, headers, 0);
        T_STR(out.ptr,
              "<div class=\"table-wrap\"><table>\n<thead>\n<tr></tr>\n</thead>\n<tbody>\n");
}

/* Personal data split by inline Markdown is found in the text a reader sees
 * and every piece of it removed (issue 18, item 1). */
static void test_markdown_split_personal_data(void)
{
        T_STR(md("A jane.doe@example.*com* here\n"), "<p>A [email removed]<em></em> here</p>\n");
        T_STR(md("jane.doe@**example**.com\n"), "<p>[email removed]<strong></strong></p>\n");
        T_STR(md("[jane.doe@example.](x)[com](y)\n"),
              "<p><a href=\"x\" rel=\"nofollow noopener noreferrer\">[email removed]</a><a "
              "href=\"y\" rel=\"nofollow noopener noreferrer\"></a></p>\n");
        T_STR(md("call +1 415 *555* 0132 now\n"), "<p>call [phone removed]<em></em> now</p>\n");
        T_STR(md("jane.doe&#64;example.com\n"), "<p>[email removed]</p>\n");
        T_STR(md("jane.doe&commat;example.com\n"), "<p>[email removed]</p>\n");
        T_STR(md("jane.doe\\@example.com\n"), "<p>[email removed]</p>\n");
        T_STR(md("415&#45;555&#45;0132\n"), "<p>[phone removed]</p>\n");
        T_STR(md("415&nbsp;*555*&nbsp;0132\n"), "<p>[phone removed]<em></em></p>\n");
        T_STR(md("`jane.doe@`example.com\n"), "<p><code>[email removed]</code></p>\n");
        T_STR(md("> mail *jane*@example.com #price\n"),
              "<blockquote>\n<p>mail <em>[email removed]</em> #price</p>\n</blockquote>\n");
        T_STR(md("| a |\n|---|\n| 0171 *123* 4567 |\n"),
              "<div class=\"table-wrap\"><table>\n<thead>\n<tr><th scope=\"col\">a</th></tr>\n"
              "</thead>\n<tbody>\n<tr><td>[phone removed]<em></em></td></tr>\n</tbody>\n"
              "</table></div>\n");
        T_STR(md("![jane.doe@*example*.com](x.png)\n"),
              "<p><span class=\"img-alt\">[email removed]</span></p>\n");
        /* a control character does not hide one either */
        T_STR(md("jane.doe@exa\x01mple.com\n"), "<p>[email removed]</p>\n");
        /* what a reader sees as separate stays separate */
        T_STR(md("jane.doe@example.  \ncom\n"), "<p>jane.doe@example.<br>\ncom</p>\n");
        T_STR(md("- 0171 123\n- 4567 890\n"),
              "<ul>\n<li>0171 123</li>\n<li>4567 890</li>\n</ul>\n");
        T_STR(md("*a* &bogus; *b*\n"), "<p><em>a</em> &bogus; <em>b</em></p>\n");
        /* and ordinary text is left alone */
        T_STR(md("see [the video](https://youtu.be/12345678901) of 2011-2013\n"),
              "<p>see <a href=\"https://youtu.be/12345678901\" rel=\"nofollow noopener "
              "noreferrer\">the video</a> of 2011-2013</p>\n");
}

int main(void)
{
        T_RUN(test_escaping);
        T_RUN(test_every_byte);
        T_RUN(test_redaction);
        T_RUN(test_digits);
        T_RUN(test_safe_url);
        T_RUN(test_markdown_basic);
        T_RUN(test_markdown_links);
        T_RUN(test_markdown_hostile);
        T_RUN(test_markdown_split_personal_data);
        T_RUN(test_page);
        T_RUN(test_table);
        vb_buf_release(&out);
        T_END();
}
