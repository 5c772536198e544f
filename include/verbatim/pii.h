/* Personal data: what looks like an email address or a phone number.
 *
 * An email is local@domain.tld; a phone number is 8-15 digits with an
 * optional +, spaces, dots, hyphens or parentheses, and is not a date, a
 * range of years, an IPv4 address, nor part of a URL, a DOI or a word
 * ("C-10492", "max-age=31536000"). */
#ifndef VERBATIM_PII_H
#define VERBATIM_PII_H

#include "verbatim/buf.h"

#include <stddef.h>

enum vb_pii_kind { VB_PII_NONE, VB_PII_EMAIL, VB_PII_PHONE };

/* The fewest digits a phone number has. */
enum { VB_PII_PHONE_MIN_DIGITS = 8 };

/* Finds the first personal data in s[from..len): returns its kind and sets
 * *start and *end (byte offsets), or VB_PII_NONE. */
enum vb_pii_kind vb_pii_find(const char *s, size_t len, size_t from, size_t *start, size_t *end);
/* 0 when s[0..len) cannot hold personal data (no '@', fewer than
 * VB_PII_PHONE_MIN_DIGITS digits):
 * a quick test before a scan; 1 when it may. */
int vb_pii_possible(const char *s, size_t len);
/* Appends `s` with every email replaced by "[email removed]" and every phone
 * number by "[phone removed]". */
void vb_pii_redact(struct vb_buf *out, const char *s, size_t len);
/* vb_pii_redact of a text that is shown in pieces with markup between them
 * (what a reader sees as one run: "jane@example.<em>com</em>"): ends[0..n)
 * are the pieces' ends in s (ascending), and become their ends in what is
 * appended (counted from where `out` was).  A replacement goes to the piece
 * where what it replaces starts; the other pieces lose their part of it.
 * Returns how many replacements were made. */
size_t vb_pii_redact_pieces(struct vb_buf *out, const char *s, size_t len, size_t *ends, size_t n);

#endif
