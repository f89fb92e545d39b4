/* utf8.h: UTF-8 stepping and measuring for the console (no curses).
 *
 * What is shown is the library's sanitiser's decision (rc_text_safe_next:
 * the same rules as the one-shot output); the console measures text with the C library's wcwidth(), the same
 * function curses uses to place characters, so what is measured here is what
 * curses draws.  A "character" for cursor movement is one code point plus any
 * zero-width code points after it (combining marks), so the cursor never
 * lands between a letter and its accent and a character is never split.
 * Anything that will be drawn as a replacement glyph (controls, bidi
 * controls, invisible characters, invalid bytes, code points wcwidth() does
 * not know) measures one column; what the sanitiser drops (a zero width
 * joiner inside an emoji sequence, U+FE0E/F) measures none. */
#ifndef RCONSOLE_TUI_UTF8_H
#define RCONSOLE_TUI_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UTF8_BAD 0xFFFFFFFFu   /* utf8_decode: invalid byte */
#define UTF8_REPLACEMENT 0xFFFDu
#define UTF8_DROP 0xFFFFFFFEu  /* utf8_shown: drawn as nothing */

/* Decodes the code point at s[0..len) into *cp (UTF8_BAD for an invalid or
 * truncated sequence) and returns the bytes consumed (the maximal invalid
 * subpart when invalid, as the library's rc_text_decode; 0 when len is 0). */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Encodes cp into out (4 bytes); returns the length (0 for an invalid cp). */
size_t utf8_encode(uint32_t cp, char *out);
/* Returns true when cp may be handed to the terminal as is (not a C0/C1
 * control, DEL, surrogate, bidi or annotation control, or a code point
 * wcwidth() rejects). */
bool utf8_printable(uint32_t cp);
/* Returns what is drawn for the character at s[off] (s[0..off) gives the
 * context the library's sanitiser looks at): the code point itself, a control
 * picture, UTF8_REPLACEMENT, or UTF8_DROP; *n gets the bytes it takes. */
uint32_t utf8_shown(const char *s, size_t len, size_t off, size_t *n);
/* Returns the columns cp takes when drawn (0 combining, 1, 2; 1 for anything
 * drawn as a replacement glyph). */
int utf8_cpwidth(uint32_t cp);
/* Returns the columns s[0..len) takes when drawn. */
int utf8_width(const char *s, size_t len);
/* Returns the offset of the character boundary after off (len at the end). */
size_t utf8_next(const char *s, size_t len, size_t off);
/* Returns the offset of the character boundary before off (0 at the start). */
size_t utf8_prev(const char *s, size_t len, size_t off);
/* Returns how many bytes of s[0..len) fit in cols columns without splitting
 * a character; *used (may be NULL) gets their width. */
size_t utf8_fit(const char *s, size_t len, int cols, int *used);
/* Returns true when cp belongs to a word for word-wise movement. */
bool utf8_is_word(uint32_t cp);

/* Returns how many bytes at the start of a[0..al) match the start of
 * b[0..bl) without regard to case (Unicode, through the locale); *bn (may
 * be NULL) gets the bytes of b they match. */
size_t utf8_fold_shared(const char *a, size_t al, const char *b, size_t bl, size_t *bn);

#endif
