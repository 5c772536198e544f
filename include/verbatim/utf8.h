/* UTF-8 helpers: validation, decoding, and the Unicode knowledge verbatim
 * takes from utf8proc (case folding, normalization form C, character classes
 * and widths) rather than from tables of its own. */
#ifndef VERBATIM_UTF8_H
#define VERBATIM_UTF8_H

#include "verbatim/buf.h"

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
/* Unicode case folding of one code point where it folds to one code point
 * ("Σ" and "ς" to "σ", "ſ" to "s"), else its lower-case mapping ("İ" to "i",
 * "ẞ" to "ß"); other code points map to themselves.  Text is compared with
 * vb_utf8_fold_nfc, which also folds "ß" to "ss" and composes accents. */
uint32_t vb_utf8_fold(uint32_t cp);

/* Appends `s` case-folded (Unicode full case folding: "QUÁ" is "quá", "ß"
 * is "ss", "ς" is "σ", "İ" is "i" + U+0307) and in normalization form C (an
 * "e" followed by U+0301 is "é"), so that two spellings of a word compare
 * equal byte for byte.  ASCII text takes a fast path; invalid UTF-8 bytes
 * become U+FFFD. */
void vb_utf8_fold_nfc(struct vb_buf *out, const char *s, size_t len);
/* The same in place: folds and normalizes the bytes of `b` from `from` to its
 * end. */
void vb_utf8_fold_nfc_at(struct vb_buf *b, size_t from);
/* Appends `s` in normalization form C, case kept; invalid bytes become
 * U+FFFD. */
void vb_utf8_nfc(struct vb_buf *out, const char *s, size_t len);

/* A code point's class, from its Unicode general category. */
enum vb_uclass {
        VB_UCLASS_LETTER, /* L*: letters of every script */
        VB_UCLASS_MARK,   /* M*: combining accents and vowel signs */
        VB_UCLASS_NUMBER, /* N*: digits of every script, roman numerals, ² */
        VB_UCLASS_PUNCT,  /* P*: punctuation, quotation marks, dashes */
        VB_UCLASS_SYMBOL, /* S*: math, currency, emoji */
        VB_UCLASS_SPACE,  /* Z*: spaces, line and paragraph separators */
        VB_UCLASS_OTHER   /* C*: controls, format characters, unassigned */
};
enum vb_uclass vb_utf8_class(uint32_t cp);
/* Whether `cp` belongs in a word: a letter, a mark or a number. */
int vb_utf8_is_word(uint32_t cp);
/* The version of the utf8proc library in use ("2.8.0"); static. */
const char *vb_utf8_library_version(void);
/* Terminal columns of `cp`: 2 for East Asian wide and fullwidth characters
 * and emoji, 0 for combining marks and controls, else 1. */
int vb_utf8_width(uint32_t cp);
/* Terminal columns of the UTF-8 text s[0..len): the sum of vb_utf8_width,
 * so CJK labels line up in the commands' tables. */
size_t vb_utf8_columns(const char *s, size_t len);

#endif
