/* Writing HTML safely: an escaping writer, a link-target allow-list, a
 * Markdown renderer for note bodies, the page frame and the site stylesheet.
 *
 * Everything that comes from notes goes through vb_html_text or vb_html_attr,
 * which escape markup, repair invalid UTF-8 and remove personal data (pii.h);
 * vb_html_raw is for literal markup written by our own code only.  A page has
 * no scripts and loads nothing but its stylesheet (see the Content-Security-
 * Policy in vb_html_page_begin). */
#ifndef VERBATIM_HTML_H
#define VERBATIM_HTML_H

#include "verbatim/buf.h"

#include <stdbool.h>
#include <stddef.h>

/* Appends `s` as HTML text: & < > " ' become entities, invalid UTF-8 bytes
 * become U+FFFD, NUL and control characters other than tab and newline are
 * dropped (DEL too), and emails and phone numbers are replaced by
 * "[email removed]" and "[phone removed]" (vb_pii_redact). */
void vb_html_text(struct vb_buf *out, const char *s, size_t len);
/* vb_html_text for a C string. */
void vb_html_texts(struct vb_buf *out, const char *s);
/* Appends `s` for use inside a double-quoted attribute value: the same
 * escaping and redaction as vb_html_text. */
void vb_html_attr(struct vb_buf *out, const char *s, size_t len);
/* Appends trusted literal markup unchanged: only for markup written in our own
 * code, never for data from notes. */
void vb_html_raw(struct vb_buf *out, const char *markup);

/* Whether `s` may be published as a link target.  HTML entities (&colon;
 * &Tab; &NewLine; &#106; &#x6A; ...) and percent-escapes are decoded and
 * ASCII control characters and spaces removed first; then only http:, https:
 * and relative URLs (no ':' before the first '/', '?' or '#') are allowed.
 * Everything else is refused: javascript:, vbscript:, data:, file:, unknown
 * schemes, mailto: (an email is personal data) and the empty string. */
bool vb_html_safe_url(const char *s, size_t len);

/* Renders the Markdown note body md[0..len) as safe HTML (GitHub dialect, raw
 * HTML shown as text).  Headings move down one level (# becomes <h2>) so that
 * the page keeps one <h1>; links are kept only when vb_html_safe_url allows
 * their target, else shown as text; images are never loaded but shown as their
 * alt text; all text is escaped and redacted as by vb_html_text.  Nesting
 * deeper than 32 containers is flattened.  Returns 0, or VB_ERR when md4c
 * fails (nothing sensible was appended then). */
int vb_html_markdown(struct vb_buf *out, const char *md, size_t len);

/* One link of the navigation bar. */
struct vb_html_nav {
        const char *href; /* relative to the site root, e.g. "themes.html" */
        const char *label;
        bool current; /* the page being written: marked aria-current="page" */
};

/* What the frame of a page needs; every string is borrowed. */
struct vb_html_page {
        const char *title; /* the page's own title (its <h1> is up to the caller) */
        const char *root;  /* relative path to the site root: "" or "../" */
        const char *site_title;
        const struct vb_html_nav *nav;
        size_t nav_n;
};

/* Appends the start of an HTML5 document up to and including <main id="main">:
 * head (charset, viewport, a Content-Security-Policy without scripts, the
 * stylesheet at {root}style.css), a skip link and a <header> with the site
 * title and the navigation. */
void vb_html_page_begin(struct vb_buf *out, const struct vb_html_page *p);
/* vb_html_page_begin in two parts: the head up to the page's own title,
 * then the rest, which is the same for every page with the same root, site
 * title and navigation (a caller writing many such pages can make it once).
 * vb_html_page_head returns the length of the escaped title, the last bytes
 * it appends (for a caller that shows the title again). */
size_t vb_html_page_head(struct vb_buf *out, const char *title);
void vb_html_page_rest(struct vb_buf *out, const struct vb_html_page *p);
/* Closes what vb_html_page_begin opened, with a <footer>. */
void vb_html_page_end(struct vb_buf *out);
/* The site's stylesheet (style.css): light and dark, print, focus outlines,
 * tables, heat-map cells (td.heat with .h0 to .h5) and chart colors.  A static
 * string. */
const char *vb_html_stylesheet(void);

/* Appends <div class="table-wrap"><table>, a <caption> unless `caption` is
 * NULL, and a <thead> row of the n `headers` as <th scope="col">, then opens
 * <tbody>. */
void vb_html_table_begin(struct vb_buf *out, const char *caption, const char *const headers[],
                         size_t n);
/* Closes what vb_html_table_begin opened. */
void vb_html_table_end(struct vb_buf *out);

#endif
