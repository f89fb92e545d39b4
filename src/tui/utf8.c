/* utf8.c: UTF-8 decoding, character boundaries and display widths.
 *
 * What may reach the terminal is decided by the library's sanitiser
 * (rc_text_safe_next in src/lib/text.c), the same one the one-shot output
 * uses: decoding is its maximal-subpart decoder, a character it replaces
 * measures as its replacement and one it drops (a zero width joiner inside
 * an emoji sequence, a presentation selector) measures nothing.  On top of
 * that the console asks wcwidth(), the function curses places characters
 * with, so what is measured here is what curses draws; a code point
 * wcwidth() does not know is drawn as a replacement glyph too. */
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "rconsole/mc.h"
#include "tui/utf8.h"

/* Decodes one code point (the library's decoder). */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	return rc_text_decode(s, len, cp);
}

/* Encodes one code point. */
size_t utf8_encode(uint32_t cp, char *out)
{
	unsigned char *u = (unsigned char *)out;
	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		u[0] = (unsigned char)(0xC0 | (cp >> 6));
		u[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0;
	if (cp < 0x10000) {
		u[0] = (unsigned char)(0xE0 | (cp >> 12));
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp <= 0x10FFFF) {
		u[0] = (unsigned char)(0xF0 | (cp >> 18));
		u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (unsigned char)(0x80 | (cp & 0x3F));
		return 4;
	}
	return 0;
}

/* Tells whether cp can reach the terminal unchanged: the sanitiser passes
 * it whatever comes before it, and wcwidth() knows it. */
bool utf8_printable(uint32_t cp)
{
	char b[4];
	size_t n = cp == UTF8_BAD ? 0 : utf8_encode(cp, b);
	uint32_t got, show;
	if (n == 0 || cp < 0x20 || cp == 0x7F)
		return false;
	if (cp < 0x7F)
		return true;
	rc_text_safe_next(b, n, 0, NULL, &got, &show);
	return show == cp && wcwidth((wchar_t)cp) >= 0;
}

/* Returns what the console draws for the character at s[off]: the code
 * point shown (UTF8_REPLACEMENT for anything unsafe, UTF8_DROP for nothing)
 * and the bytes it takes in *n. */
uint32_t utf8_shown(const char *s, size_t len, size_t off, size_t *n)
{
	uint32_t cp, show;
	*n = rc_text_safe_next(s, len, off, NULL, &cp, &show);
	if (show == RC_TEXT_DROP)
		return UTF8_DROP;
	return utf8_printable(show) ? show : UTF8_REPLACEMENT;
}

/* Measures one code point as it will be drawn. */
int utf8_cpwidth(uint32_t cp)
{
	if (cp >= 0x20 && cp < 0x7F)
		return 1;
	if (!utf8_printable(cp))
		return 1;
	int w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w > 2 ? 2 : w;
}

/* Measures a string as it will be drawn. */
int utf8_width(const char *s, size_t len)
{
	int w = 0;
	size_t off = 0;
	while (off < len) {
		size_t n;
		uint32_t show = utf8_shown(s, len, off, &n);
		off += n;
		if (show != UTF8_DROP)
			w += utf8_cpwidth(show);
	}
	return w;
}

/* Returns true when the code point at off is a zero-width mark that belongs
 * to the character before it (or is drawn as nothing at all). */
static bool utf8_is_mark_at(const char *s, size_t len, size_t off)
{
	size_t n;
	uint32_t show = utf8_shown(s, len, off, &n);
	return show == UTF8_DROP || (show >= 0x300 && utf8_cpwidth(show) == 0);
}

/* Steps over one character and its trailing marks. */
size_t utf8_next(const char *s, size_t len, size_t off)
{
	if (off >= len)
		return len;
	uint32_t cp;
	off += utf8_decode(s + off, len - off, &cp);
	while (off < len && utf8_is_mark_at(s, len, off))
		off += utf8_decode(s + off, len - off, &cp);
	return off;
}

/* Returns the start of the code point just before off. */
static size_t utf8_prev_cp(const char *s, size_t off)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t p = off - 1;
	size_t back = 0;
	while (p > 0 && back < 3 && (u[p] & 0xC0) == 0x80) {
		p--;
		back++;
	}
	uint32_t cp;
	/* Only accept the lead we found if it decodes to exactly off. */
	if (p + utf8_decode(s + p, off - p, &cp) == off && cp != UTF8_BAD)
		return p;
	return off - 1;
}

/* Steps back over one character and the marks attached to it. */
size_t utf8_prev(const char *s, size_t len, size_t off)
{
	if (off == 0)
		return 0;
	if (off > len)
		off = len;
	size_t p = utf8_prev_cp(s, off);
	while (p > 0 && utf8_is_mark_at(s, len, p))
		p = utf8_prev_cp(s, p);
	return p;
}

/* Finds the longest prefix that fits in cols columns. */
size_t utf8_fit(const char *s, size_t len, int cols, int *used)
{
	size_t off = 0;
	int w = 0;
	while (off < len) {
		size_t next = utf8_next(s, len, off);
		int cw = utf8_width(s + off, next - off);
		if (w + cw > cols)
			break;
		w += cw;
		off = next;
	}
	if (used)
		*used = w;
	return off;
}

/* Tells whether cp is part of a word (letters, digits, '_', non-ASCII). */
bool utf8_is_word(uint32_t cp)
{
	if (cp == UTF8_BAD)
		return false;
	if (cp >= 0x80)
		return cp != 0xA0 && cp != 0x3000;
	return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
	       (cp >= 'A' && cp <= 'Z') || cp == '_';
}

/* Folds one code point for a case-blind comparison: ASCII by hand (a
 * Turkish locale's towlower('I') is a dotless i, and "i" must still match
 * "Ian"), the rest with towlower() of the console's locale. */
static uint32_t utf8_fold(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
	return (uint32_t)towlower((wint_t)cp);
}

/* Compares code point by code point ignoring case; an invalid byte matches
 * only the same bytes, so a server's broken name never matches a letter. */
size_t utf8_fold_shared(const char *a, size_t al, const char *b, size_t bl, size_t *bn)
{
	size_t i = 0, j = 0;
	while (i < al && j < bl) {
		uint32_t ca, cb;
		size_t na = utf8_decode(a + i, al - i, &ca);
		size_t nb = utf8_decode(b + j, bl - j, &cb);
		bool same = na == nb && memcmp(a + i, b + j, na) == 0;
		if (!same && (ca == UTF8_BAD || cb == UTF8_BAD || utf8_fold(ca) != utf8_fold(cb)))
			break;
		i += na;
		j += nb;
	}
	if (bn)
		*bn = j;
	return i;
}
