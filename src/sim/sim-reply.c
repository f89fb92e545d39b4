/* sim-reply.c: turns reply text into packets, the way each dialect cuts it.
 *
 * Vanilla (PROTOCOL.md "Responses") holds the reply as a Java String and sends
 * substrings of 4096 UTF-16 code units, each UTF-8-encoded on its own, as
 * type-0 packets carrying the command's id; an empty reply is one empty
 * packet.  A character outside the BMP (4 UTF-8 bytes, a surrogate pair) cut
 * at a boundary leaves a lone surrogate on each side, which Java's encoder
 * turns into '?': '?' ends one piece and '?' starts the next.  Bytes that are
 * not valid UTF-8 (only --hostile and `sim bytes` produce them) pass through
 * raw and count as one unit each.
 *
 * Forge cuts every 4096 bytes (possibly inside a character) and sends nothing
 * for an empty reply.  Source cuts every 4096 bytes and answers "" with one
 * empty packet.  Everything is one pass over the text: O(n). */
#include <string.h>

#include "rconsole/packet.h"
#include "sim/sim-int.h"

#define SIM_VANILLA_UNITS 4096
#define SIM_BYTE_CUT 4096

/* Starts a packet at the end of out; returns the offset of its length field. */
static size_t reply_begin(sim_buf *out, int32_t id, int32_t type)
{
	size_t at = out->len;
	uint8_t *h = sim_buf_grow(out, 12);
	if (h) {
		rc_le32_put(h + 4, id);
		rc_le32_put(h + 8, type);
	}
	return at;
}

/* Ends the packet started at offset at: terminators and length field. */
static void reply_end(sim_buf *out, size_t at)
{
	uint8_t *t = sim_buf_grow(out, 2);
	if (!t || out->oom)
		return;
	t[0] = t[1] = 0;
	rc_le32_put(out->p + at, (int32_t)(out->len - at - 4));
}

/* Appends one packet. */
void sim_reply_packet(sim_buf *out, int32_t id, int32_t type, const void *body, size_t len)
{
	size_t at = reply_begin(out, id, type);
	sim_buf_add(out, body, len);
	reply_end(out, at);
}

/* Returns the length of the valid UTF-8 sequence at s[0..n), or 0 if invalid. */
static size_t utf8_seq(const uint8_t *s, size_t n)
{
	uint8_t c = s[0];
	size_t len;
	uint32_t min;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	uint32_t cp = c & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* Cuts text into 4096-UTF-16-unit pieces (vanilla). */
static void reply_vanilla(sim_buf *out, int32_t id, const uint8_t *text, size_t len)
{
	size_t at = reply_begin(out, id, RC_TYPE_RESPONSE);
	size_t units = 0, i = 0;
	while (i < len) {
		size_t n = utf8_seq(text + i, len - i);
		size_t u = n == 4 ? 2 : 1;
		if (n == 0)
			n = 1;
		if (units + u > SIM_VANILLA_UNITS) {
			bool split_pair = u == 2 && units == SIM_VANILLA_UNITS - 1;
			if (split_pair)
				sim_buf_addc(out, '?');
			reply_end(out, at);
			at = reply_begin(out, id, RC_TYPE_RESPONSE);
			units = 0;
			if (split_pair) {
				sim_buf_addc(out, '?');
				units = 1;
				i += n;
				continue;
			}
		}
		/* Copy the longest run that fits the piece in one go. */
		size_t run = n, run_units = u;
		while (i + run < len && units + run_units < SIM_VANILLA_UNITS) {
			size_t m = utf8_seq(text + i + run, len - i - run);
			size_t mu = m == 4 ? 2 : 1;
			if (m == 0)
				m = 1;
			if (units + run_units + mu > SIM_VANILLA_UNITS)
				break;
			run += m;
			run_units += mu;
		}
		sim_buf_add(out, text + i, run);
		units += run_units;
		i += run;
	}
	reply_end(out, at);
}

/* Cuts text into 4096-byte pieces; empty_packet says whether "" gets one. */
static void reply_bytes(sim_buf *out, int32_t id, const uint8_t *text, size_t len,
    bool empty_packet)
{
	if (len == 0) {
		if (empty_packet)
			sim_reply_packet(out, id, RC_TYPE_RESPONSE, "", 0);
		return;
	}
	for (size_t i = 0; i < len; i += SIM_BYTE_CUT) {
		size_t n = len - i < SIM_BYTE_CUT ? len - i : SIM_BYTE_CUT;
		sim_reply_packet(out, id, RC_TYPE_RESPONSE, text + i, n);
	}
}

/* Appends the reply text[len] as type-0 fragments cut the dialect's way. */
void sim_reply_encode(sim_buf *out, enum sim_dialect d, int32_t id, const uint8_t *text,
    size_t len)
{
	switch (d) {
	case SIM_DIALECT_FORGE:
		reply_bytes(out, id, text, len, false);
		break;
	case SIM_DIALECT_SOURCE:
		reply_bytes(out, id, text, len, true);
		break;
	case SIM_DIALECT_VANILLA:
	default:
		reply_vanilla(out, id, text, len);
		break;
	}
}

/* Appends bytes that no RCON decoder accepts: a length field of 3. */
void sim_reply_garbage(sim_buf *out)
{
	static const uint8_t junk[] = {
		0x03, 0x00, 0x00, 0x00, 'g', 'a', 'r', 'b', 'a', 'g', 'e', 0xff, 0xfe, 0x00,
		0x1b, '[', '2', 'J', 0x80, 0x81
	};
	sim_buf_add(out, junk, sizeof junk);
}

/* Appends the start of a packet whose length field is 16 MiB + 1. */
void sim_reply_oversize(sim_buf *out, int32_t id)
{
	uint8_t *h = sim_buf_grow(out, 12);
	if (!h)
		return;
	rc_le32_put(h, 16 * 1024 * 1024 + 1);
	rc_le32_put(h + 4, id);
	rc_le32_put(h + 8, RC_TYPE_RESPONSE);
	uint8_t *body = sim_buf_grow(out, 4096);
	if (body)
		memset(body, 'A', 4096);
}

/* Appends text wrapped in hostile terminal sequences to out.  The prefix
 * clears the screen, sets the window title and rings the bell; the suffix
 * carries a C1 CSI (U+009B as C2 9B), a raw 8-bit CSI, invalid UTF-8, an
 * overlong NUL and backspaces over the text. */
void sim_reply_hostile(sim_buf *out, const uint8_t *text, size_t len)
{
	static const char prefix[] = "\x1b[2J\x1b[H\x1b]0;pwned\x07\x07";
	static const char suffix[] = "\xc2\x9b" "31m\x9b" "0m\xff\xfe\xc0\x80\xed\xa0\x80"
	    "\x08\x08\x08\x1b[8m\r";
	sim_buf_add(out, prefix, sizeof prefix - 1);
	sim_buf_add(out, text, len);
	sim_buf_add(out, suffix, sizeof suffix - 1);
}
