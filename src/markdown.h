/* md4c as both the note parser (note.c) and the HTML renderer (html.c) use
 * it, so that one pass can serve both.  Private to src/. */
#ifndef VB_MARKDOWN_H
#define VB_MARKDOWN_H

#include "verbatim/buf.h"

#include <md4c.h>
#include <stdbool.h>

/* The dialect of notes, for both readers: GitHub's, raw HTML as text. */
#define VB_MD_FLAGS (MD_DIALECT_GITHUB | MD_FLAG_NOHTML)

/* vb_html_markdown of md[0..len), which must be followed by a NUL byte (md4c
 * 0.4.8 reads one byte past an unfinished link at the end), in one md4c pass
 * that also calls `also`'s callbacks with `also_ud` (its flags and other
 * fields are not used; NULL: none).  `also` sees exactly what md_parse alone
 * would show it, and a callback of `also` that returns non-zero stops the
 * pass.  Returns VB_OK with the HTML appended to `out`, or VB_ERR with `out`
 * as it was when the pass stopped. */
int vb_html_markdown_with(struct vb_buf *out, const char *md, size_t len, const MD_PARSER *also,
                          void *also_ud);

/* Appends the character reference s[0..len) (an MD_TEXT_ENTITY) decoded as
 * the note page shows it, or the reference itself when it is not one we
 * know; returns whether it was decoded.  The renderer and the search for
 * personal data read entities alike through it. */
bool vb_md_entity(struct vb_buf *out, const char *s, size_t len);

#endif
