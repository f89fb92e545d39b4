/* packet.c: pure encoding and decoding of RCON packets.
 *
 * Format (PROTOCOL.md "Packet"): int32 length | int32 id | int32 type | body |
 * 0x00 | 0x00, little-endian.  The decoder is strict about the length field
 * (10 <= length <= max) and about the two trailing NULs; the body ends at the
 * first of them, as servers read it. */
#include <string.h>

#include "rconsole/error.h"
#include "rconsole/packet.h"

/* Reads a little-endian int32. */
int32_t rc_le32_get(const uint8_t *p)
{
	uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
	return (int32_t)v;
}

/* Writes a little-endian int32. */
void rc_le32_put(uint8_t *p, int32_t v)
{
	uint32_t u = (uint32_t)v;
	p[0] = (uint8_t)u;
	p[1] = (uint8_t)(u >> 8);
	p[2] = (uint8_t)(u >> 16);
	p[3] = (uint8_t)(u >> 24);
}

/* Returns the encoded size of a packet with a body of body_len bytes. */
size_t rc_packet_size(size_t body_len)
{
	return body_len + RC_PKT_OVERHEAD;
}

/* Encodes one packet into out[cap]; returns bytes written or RC_EINVAL. */
long rc_packet_encode(uint8_t *out, size_t cap, int32_t id, int32_t type,
    const void *body, size_t body_len)
{
	if (body_len > (size_t)INT32_MAX - 10 || cap < rc_packet_size(body_len))
		return RC_EINVAL;
	rc_le32_put(out, (int32_t)(body_len + 10));
	rc_le32_put(out + 4, id);
	rc_le32_put(out + 8, type);
	if (body_len)
		memcpy(out + 12, body, body_len);
	out[12 + body_len] = 0;
	out[13 + body_len] = 0;
	return (long)rc_packet_size(body_len);
}

/* Decodes the packet at the start of buf[len] (see packet.h). */
int rc_packet_decode(const uint8_t *buf, size_t len, size_t max_len,
    rc_packet *pkt, size_t *consumed, const char **cause)
{
	static const char *no_cause = "";
	const char **why = cause ? cause : &no_cause;

	if (max_len == 0)
		max_len = RC_PKT_DEFAULT_MAX;
	if (len < 4)
		return RC_DECODE_NEED_MORE;
	int32_t n = rc_le32_get(buf);
	if (n < RC_PKT_MIN_LEN) {
		*why = n < 0 ? "negative packet length" : "packet length below 10";
		return RC_DECODE_MALFORMED;
	}
	if ((size_t)n > max_len) {
		*why = "packet length above the limit";
		return RC_DECODE_MALFORMED;
	}
	if (len - 4 < (size_t)n)
		return RC_DECODE_NEED_MORE;
	const uint8_t *end = buf + 4 + n;
	if (end[-1] != 0 || end[-2] != 0) {
		*why = "packet not terminated by two NUL bytes";
		return RC_DECODE_MALFORMED;
	}
	pkt->id = rc_le32_get(buf + 4);
	pkt->type = rc_le32_get(buf + 8);
	pkt->body = buf + 12;
	/* The body is what precedes the first of the two trailing NULs. */
	pkt->body_len = (size_t)n - 10;
	if (consumed)
		*consumed = (size_t)n + 4;
	return RC_DECODE_OK;
}
