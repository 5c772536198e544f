/* UTF-8 helpers: validation, decoding and simple case folding. */
#ifndef VERBATIM_UTF8_H
#define VERBATIM_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Length (1-4) of the valid UTF-8 sequence at the start of `s`, or 0 if the
 * first bytes are not valid UTF-8 (overlong forms and surrogates included). */
size_t vb_utf8_valid_prefix(const char *s, size_t len);
/* Offset of the first invalid byte, or `len` when all of `s` is valid UTF-8. */
size_t vb_utf8_check(const char *s, size_t len);
/* Decodes one code point at `s`; returns its length (invalid bytes decode as
 * U+FFFD with length 1). */
size_t vb_utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Encodes `cp` into `out` (at least 4 bytes); returns the length. */
size_t vb_utf8_encode(uint32_t cp, char *out);
/* Simple Unicode case folding for the Latin, Greek and Cyrillic blocks
 * (A-Z, Latin-1, Latin Extended-A, Greek, Cyrillic); other code points map to
 * themselves. */
uint32_t vb_utf8_fold(uint32_t cp);

#endif
