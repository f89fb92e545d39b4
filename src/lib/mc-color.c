/* mc-color.c: Minecraft § formatting codes (PROTOCOL.md "§ codes").
 *
 * § is U+00A7, the two bytes C2 A7 in UTF-8; a code is § followed by one
 * ASCII character, matched case-insensitively (§A == §a), and both bytes of
 * § are removed with it, never just A7.  Codes:
 *   0-9 a-f  one of the 16 colours; a colour also clears every format
 *   k l m n o  obfuscated, bold, strikethrough, underline, italic (they add up)
 *   r        reset to the default colour with no formats
 *   x        §x§R§R§G§G§B§B (BungeeCord/Spigot hex colour): the RGB value
 *            becomes the nearest of the 16 colours (squared RGB distance to
 *            the palette below, lowest index on a tie) and clears formats.
 *            A §x not followed by six §<hex digit> is dropped with no effect
 *            and whatever follows is read as usual, as BungeeCord does.
 * Deviation from the game's renderer, which also swallows § plus any
 * character and a trailing §: a § followed by anything that is not a code
 * (another §, a non-ASCII character, a space) or by nothing stays in the text,
 * as the server's own console and logs show it (ChatFormatting.stripFormatting
 * only removes valid codes).  Only whole C2 A7 pairs are §: a stray A7 or a C2
 * at the end of the input is ordinary (invalid) text and is never read past.
 *
 * Nothing here validates UTF-8: rc_mc_style() and rc_mc_strip() keep every
 * other byte as it is, and rc_mc_to_ansi() sanitises each styled run with
 * rc_text_sanitize() (keeping only \n and \t) before it reaches a terminal. */
#include <stdlib.h>
#include <string.h>

#include "rconsole/error.h"
#include "rconsole/mc.h"

/* The 16 colours: code, RGB as the Java client draws them, ANSI SGR colour. */
static const struct color_def {
	char code;
	uint8_t r, g, b;
	uint8_t sgr;
} color_palette[16] = {
	{ '0', 0x00, 0x00, 0x00, 30 },  /* black */
	{ '1', 0x00, 0x00, 0xAA, 34 },  /* dark_blue */
	{ '2', 0x00, 0xAA, 0x00, 32 },  /* dark_green */
	{ '3', 0x00, 0xAA, 0xAA, 36 },  /* dark_aqua */
	{ '4', 0xAA, 0x00, 0x00, 31 },  /* dark_red */
	{ '5', 0xAA, 0x00, 0xAA, 35 },  /* dark_purple */
	{ '6', 0xFF, 0xAA, 0x00, 33 },  /* gold */
	{ '7', 0xAA, 0xAA, 0xAA, 37 },  /* gray */
	{ '8', 0x55, 0x55, 0x55, 90 },  /* dark_gray */
	{ '9', 0x55, 0x55, 0xFF, 94 },  /* blue */
	{ 'a', 0x55, 0xFF, 0x55, 92 },  /* green */
	{ 'b', 0x55, 0xFF, 0xFF, 96 },  /* aqua */
	{ 'c', 0xFF, 0x55, 0x55, 91 },  /* red */
	{ 'd', 0xFF, 0x55, 0xFF, 95 },  /* light_purple */
	{ 'e', 0xFF, 0xFF, 0x55, 93 },  /* yellow */
	{ 'f', 0xFF, 0xFF, 0xFF, 97 },  /* white */
};

/* Format codes and the attribute bit each one sets. */
static const struct color_format {
	char code;
	uint8_t attr;
} color_formats[] = {
	{ 'k', RC_MC_OBFUSCATED },
	{ 'l', RC_MC_BOLD },
	{ 'm', RC_MC_STRIKE },
	{ 'n', RC_MC_UNDERLINE },
	{ 'o', RC_MC_ITALIC },
};

/* Attribute bits and their SGR parameters, in output order.  Obfuscated has
 * no terminal equivalent (blinking or concealed text would hurt more than it
 * shows), so it is kept in the runs but not rendered. */
static const struct color_sgr {
	uint8_t attr;
	const char *param;
} color_sgrs[] = {
	{ RC_MC_BOLD, ";1" },
	{ RC_MC_ITALIC, ";3" },
	{ RC_MC_UNDERLINE, ";4" },
	{ RC_MC_STRIKE, ";9" },
};

enum color_kind { COLOR_NONE, COLOR_SET, COLOR_FORMAT, COLOR_RESET, COLOR_HEX };

/* The run list rc_mc_style() grows while scanning. */
struct color_runs {
	rc_mc_run *v;
	size_t n;
	size_t cap;
};

/* Returns the lower-case form of an ASCII letter, other bytes unchanged. */
static unsigned char color_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Returns the value of a hexadecimal digit, or -1. */
static int color_hexval(unsigned char c)
{
	c = color_lower(c);
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Classifies the code character c and stores its colour or attribute. */
static enum color_kind color_classify(unsigned char c, uint8_t *value)
{
	c = color_lower(c);
	for (size_t i = 0; i < 16; i++)
		if (color_palette[i].code == (char)c) {
			*value = (uint8_t)i;
			return COLOR_SET;
		}
	for (size_t i = 0; i < sizeof color_formats / sizeof color_formats[0]; i++)
		if (color_formats[i].code == (char)c) {
			*value = color_formats[i].attr;
			return COLOR_FORMAT;
		}
	if (c == 'r')
		return COLOR_RESET;
	if (c == 'x')
		return COLOR_HEX;
	return COLOR_NONE;
}

/* Returns true when s[i] and s[i+1] are the two bytes of §. */
static bool color_is_sect(const unsigned char *s, size_t len, size_t i)
{
	return i + 1 < len && s[i] == 0xC2 && s[i + 1] == 0xA7;
}

/* Reads the six §<hex> pairs after §x at s[0..len); stores the nearest colour
 * and returns true, or returns false when they are not all there. */
static bool color_hex(const unsigned char *s, size_t len, uint8_t *color)
{
	unsigned rgb[3] = { 0, 0, 0 };

	if (len < 18)
		return false;
	for (size_t k = 0; k < 6; k++) {
		int d = color_hexval(s[3 * k + 2]);
		if (!color_is_sect(s, len, 3 * k) || d < 0)
			return false;
		rgb[k / 2] = rgb[k / 2] << 4 | (unsigned)d;
	}
	*color = rc_mc_color_nearest((uint8_t)rgb[0], (uint8_t)rgb[1], (uint8_t)rgb[2]);
	return true;
}

/* Returns the index of the palette colour nearest to an RGB value. */
uint8_t rc_mc_color_nearest(uint8_t r, uint8_t g, uint8_t b)
{
	long best = -1;
	uint8_t idx = 0;

	for (size_t i = 0; i < 16; i++) {
		long dr = (long)r - color_palette[i].r;
		long dg = (long)g - color_palette[i].g;
		long db = (long)b - color_palette[i].b;
		long d = dr * dr + dg * dg + db * db;
		if (best < 0 || d < best) {
			best = d;
			idx = (uint8_t)i;
		}
	}
	return idx;
}

/* Adds one text byte at offset off with the given style to the runs. */
static int color_runs_add(struct color_runs *rv, size_t off, uint8_t color, uint8_t attrs)
{
	rc_mc_run *last = rv->n ? &rv->v[rv->n - 1] : NULL;

	if (last && last->color == color && last->attrs == attrs && last->off + last->len == off) {
		last->len++;
		return 0;
	}
	if (rv->n == rv->cap) {
		size_t cap = rv->cap ? rv->cap * 2 : 8;
		rc_mc_run *v = realloc(rv->v, cap * sizeof *v);
		if (v == NULL)
			return RC_ENOMEM;
		rv->v = v;
		rv->cap = cap;
	}
	rv->v[rv->n++] = (rc_mc_run){ .off = off, .len = 1, .color = color, .attrs = attrs };
	return 0;
}

/* Scans in[len], writing the text without codes to text (len+1 bytes) and,
 * when rv is not NULL, its styled runs; stores the text length in *out_len. */
static int color_scan(const char *in, size_t len, char *text, struct color_runs *rv,
    size_t *out_len)
{
	const unsigned char *s = (const unsigned char *)in;
	uint8_t color = RC_MC_COLOR_DEFAULT, attrs = 0, value = 0;
	size_t i = 0, o = 0;

	while (i < len) {
		enum color_kind kind = COLOR_NONE;

		if (color_is_sect(s, len, i) && i + 2 < len)
			kind = color_classify(s[i + 2], &value);
		if (kind != COLOR_NONE) {
			i += 3;
			if (kind == COLOR_SET) {
				color = value;
				attrs = 0;
			} else if (kind == COLOR_FORMAT) {
				attrs |= value;
			} else if (kind == COLOR_RESET) {
				color = RC_MC_COLOR_DEFAULT;
				attrs = 0;
			} else if (color_hex(s + i, len - i, &value)) {
				color = value;
				attrs = 0;
				i += 18;
			}
			continue;
		}
		if (rv && color_runs_add(rv, o, color, attrs) < 0)
			return RC_ENOMEM;
		text[o++] = (char)s[i++];
	}
	text[o] = '\0';
	*out_len = o;
	return 0;
}

/* Parses in[len] into stripped text and styled runs. */
int rc_mc_style(const char *in, size_t len, rc_mc_styled *out)
{
	struct color_runs rv = { NULL, 0, 0 };

	memset(out, 0, sizeof *out);
	if (len == SIZE_MAX)
		return RC_ENOMEM;
	out->text = malloc(len + 1);
	if (out->text == NULL)
		return RC_ENOMEM;
	if (color_scan(in, len, out->text, &rv, &out->len) < 0) {
		free(rv.v);
		free(out->text);
		memset(out, 0, sizeof *out);
		return RC_ENOMEM;
	}
	out->runs = rv.v;
	out->n_runs = rv.n;
	return 0;
}

/* Frees what a styled text holds and zeroes it. */
void rc_mc_styled_clear(rc_mc_styled *s)
{
	if (s == NULL)
		return;
	free(s->text);
	free(s->runs);
	memset(s, 0, sizeof *s);
}

/* Writes in[len] without § codes to out (len+1 bytes); returns its length. */
size_t rc_mc_strip(const char *in, size_t len, char *out)
{
	size_t n = 0;

	color_scan(in, len, out, NULL, &n);
	return n;
}

/* Writes the absolute SGR sequence for a style into buf[cap]. */
const char *rc_mc_ansi(uint8_t color, uint8_t attrs, char *buf, size_t cap)
{
	size_t o;

	if (buf == NULL || cap < RC_MC_ANSI_MAX) {
		if (buf && cap)
			buf[0] = '\0';
		return buf ? buf : "";
	}
	memcpy(buf, "\033[0", 3);
	o = 3;
	for (size_t i = 0; i < sizeof color_sgrs / sizeof color_sgrs[0]; i++)
		if (attrs & color_sgrs[i].attr) {
			memcpy(buf + o, color_sgrs[i].param, 2);
			o += 2;
		}
	if (color < 16) {
		unsigned sgr = color_palette[color].sgr;
		buf[o++] = ';';
		buf[o++] = (char)('0' + sgr / 10);
		buf[o++] = (char)('0' + sgr % 10);
	}
	buf[o++] = 'm';
	buf[o] = '\0';
	return buf;
}

/* Appends n bytes to the output buffer at *o. */
static void color_append(char *out, size_t *o, const char *s, size_t n)
{
	memcpy(out + *o, s, n);
	*o += n;
}

/* Converts in[len] to sanitised text with ANSI colours; ends with a reset
 * whenever any SGR sequence was written. */
char *rc_mc_to_ansi(const char *in, size_t len, size_t *out_len)
{
	static const char reset[] = "\033[0m";
	rc_mc_styled st;
	uint8_t cur_color = RC_MC_COLOR_DEFAULT, cur_attrs = 0;
	bool styled = false;
	char *out, sgr[RC_MC_ANSI_MAX];
	size_t cap, o = 0;

	if (len > (SIZE_MAX - 64) / (3 + RC_MC_ANSI_MAX) || rc_mc_style(in, len, &st) < 0)
		return NULL;
	/* Each run adds at most one SGR sequence; n_runs <= len. */
	cap = st.len * 3 + st.n_runs * RC_MC_ANSI_MAX + sizeof reset + 1;
	out = malloc(cap);
	if (out == NULL) {
		rc_mc_styled_clear(&st);
		return NULL;
	}
	for (size_t i = 0; i < st.n_runs; i++) {
		const rc_mc_run *r = &st.runs[i];
		size_t n;
		char *clean;

		if (r->color != cur_color || r->attrs != cur_attrs) {
			rc_mc_ansi(r->color, r->attrs, sgr, sizeof sgr);
			color_append(out, &o, sgr, strlen(sgr));
			cur_color = r->color;
			cur_attrs = r->attrs;
			styled = true;
		}
		clean = rc_text_sanitize(st.text + r->off, r->len, "\n\t", &n);
		if (clean == NULL) {
			free(out);
			rc_mc_styled_clear(&st);
			return NULL;
		}
		color_append(out, &o, clean, n);
		free(clean);
	}
	if (styled)
		color_append(out, &o, reset, sizeof reset - 1);
	out[o] = '\0';
	rc_mc_styled_clear(&st);
	if (out_len)
		*out_len = o;
	return out;
}
