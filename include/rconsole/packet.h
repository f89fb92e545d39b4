/* packet.h: pure encoding and decoding of RCON packets.
 *
 * Wire format: int32 length | int32 id | int32 type | body | 0x00 | 0x00, all
 * little-endian; length counts everything after itself, so it is at least 10.
 * Nothing here allocates or does I/O. */
#ifndef RCONSOLE_PACKET_H
#define RCONSOLE_PACKET_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RC_PKT_MIN_LEN 10          /* smallest legal length field */
#define RC_PKT_OVERHEAD 14         /* bytes a packet adds around its body */
#define RC_PKT_DEFAULT_MAX (1024 * 1024) /* default upper bound on the length field */
#define RC_MC_READ_MAX 1460        /* vanilla reads at most this many bytes per packet */
#define RC_MC_BODY_MAX (RC_MC_READ_MAX - RC_PKT_OVERHEAD) /* 1446 */
#define RC_SOURCE_BODY_MAX 4096

enum rc_pkt_type {
	RC_TYPE_RESPONSE = 0,   /* server -> client: response value */
	RC_TYPE_EXEC = 2,       /* client -> server: exec command */
	RC_TYPE_AUTH_REPLY = 2, /* server -> client: auth response */
	RC_TYPE_AUTH = 3        /* client -> server: login */
};

/* One decoded packet.  body points into the caller's buffer and is not
 * NUL-terminated by this struct (the wire's own NULs follow it). */
typedef struct rc_packet {
	int32_t id;
	int32_t type;
	const uint8_t *body;
	size_t body_len;
} rc_packet;

/* Decoder results. */
enum rc_decode {
	RC_DECODE_OK = 1,        /* one packet decoded; *consumed bytes used */
	RC_DECODE_NEED_MORE = 0, /* buffer holds a prefix of a packet */
	RC_DECODE_MALFORMED = -1 /* never valid: close the stream */
};

/* Returns the number of bytes rc_packet_encode() writes for a body of len. */
size_t rc_packet_size(size_t body_len);

/* Encodes one packet into out[cap]; returns the bytes written, or RC_EINVAL
 * when cap is too small or the body does not fit an int32 length. */
long rc_packet_encode(uint8_t *out, size_t cap, int32_t id, int32_t type,
    const void *body, size_t body_len);

/* Decodes the packet at the start of buf[len].  max_len bounds the length
 * field (0 = RC_PKT_DEFAULT_MAX).  On RC_DECODE_OK fills *pkt and *consumed;
 * on RC_DECODE_MALFORMED sets *cause to a static explanation.  The body is
 * the bytes up to the first of the two trailing NULs; a packet whose last two
 * bytes are not NUL is malformed. */
int rc_packet_decode(const uint8_t *buf, size_t len, size_t max_len,
    rc_packet *pkt, size_t *consumed, const char **cause);

/* Reads and writes little-endian int32 values. */
int32_t rc_le32_get(const uint8_t *p);
void rc_le32_put(uint8_t *p, int32_t v);

#ifdef __cplusplus
}
#endif
#endif
