/* utf8.c: UTF-8 decoding, character boundaries and display widths.
 *
 * The decoder follows RFC 3629: overlong forms, surrogates and code points
 * past U+10FFFF are invalid and consume one byte each, so a stream of garbage
 * is stepped through byte by byte and each bad byte shows as one replacement
 * glyph. */
#include <wchar.h>

#include "tui/utf8.h"

/* Returns the length a lead byte announces (0 for a continuation or invalid lead). */
static size_t utf8_seq_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return 2;
	if (c >= 0xE0 && c <= 0xEF)
		return 3;
	if (c >= 0xF0 && c <= 0xF4)
		return 4;
	return 0;
}

/* Decodes one code point. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	if (len == 0) {
		*cp = UTF8_BAD;
		return 0;
	}
	const unsigned char *u = (const unsigned char *)s;
	size_t n = utf8_seq_len(u[0]);
	if (n == 0 || n > len) {
		*cp = UTF8_BAD;
		return 1;
	}
	if (n == 1) {
		*cp = u[0];
		return 1;
	}
	uint32_t v = u[0] & (0x7F >> n);
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80) {
			*cp = UTF8_BAD;
			return 1;
		}
		v = (v << 6) | (u[i] & 0x3F);
	}
	static const uint32_t min_for_len[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (v < min_for_len[n] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
		*cp = UTF8_BAD;
		return 1;
	}
	*cp = v;
	return n;
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

/* Invisible formatting characters that wcwidth() passes as zero-width but
 * that change how a terminal lays out what follows: the bidirectional
 * marks, embeddings, overrides and isolates (Unicode UAX #9; "Trojan
 * Source") and the interlinear annotation controls.  Server text using them
 * could reorder or hide what the console shows, so they are drawn as a
 * replacement glyph like any other control. */
static const struct utf8_range {
	uint32_t lo, hi;
} utf8_format_controls[] = {
	{ 0x061C, 0x061C },   /* ARABIC LETTER MARK */
	{ 0x200E, 0x200F },   /* LRM, RLM */
	{ 0x202A, 0x202E },   /* LRE, RLE, PDF, LRO, RLO */
	{ 0x2066, 0x2069 },   /* LRI, RLI, FSI, PDI */
	{ 0xFFF9, 0xFFFB },   /* interlinear annotation anchor, separator, terminator */
};

/* Tells whether cp can reach the terminal unchanged. */
bool utf8_printable(uint32_t cp)
{
	if (cp == UTF8_BAD || cp < 0x20 || cp == 0x7F)
		return false;
	if (cp < 0x7F)
		return true;
	if (cp < 0xA0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		return false;
	for (size_t i = 0; i < sizeof(utf8_format_controls) / sizeof(utf8_format_controls[0]); i++)
		if (cp >= utf8_format_controls[i].lo && cp <= utf8_format_controls[i].hi)
			return false;
	return wcwidth((wchar_t)cp) >= 0;
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
		uint32_t cp;
		off += utf8_decode(s + off, len - off, &cp);
		w += utf8_cpwidth(cp);
	}
	return w;
}

/* Returns true when the code point at off is a zero-width mark that belongs
 * to the character before it. */
static bool utf8_is_mark_at(const char *s, size_t len, size_t off)
{
	uint32_t cp;
	utf8_decode(s + off, len - off, &cp);
	return utf8_printable(cp) && cp >= 0x300 && utf8_cpwidth(cp) == 0;
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
