/* fuzz-packet.c: libFuzzer target for rc_packet_decode.  Decodes packets
 * back to back from the input, as the connection does from its read buffer,
 * and checks that every answer stays inside the buffer. */
#include <stdint.h>
#include <stdlib.h>

#include "rconsole/packet.h"

/* Checks the decoder's promises on buf[len] with the given bound. */
static void fuzz_decode_all(const uint8_t *buf, size_t len, size_t max_len)
{
	while (len > 0) {
		rc_packet p;
		size_t used = 0;
		const char *cause = NULL;
		int rc = rc_packet_decode(buf, len, max_len, &p, &used, &cause);

		if (rc == RC_DECODE_NEED_MORE)
			return;
		if (rc == RC_DECODE_MALFORMED) {
			if (cause == NULL || cause[0] == '\0')
				abort();
			return;
		}
		if (rc != RC_DECODE_OK || used < RC_PKT_OVERHEAD || used > len)
			abort();
		if (p.body < buf || p.body_len > used - RC_PKT_OVERHEAD ||
		    p.body + p.body_len > buf + used)
			abort();
		buf += used;
		len -= used;
	}
}

/* libFuzzer entry point: the input is a byte stream from a server. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_decode_all(data, size, 0);
	fuzz_decode_all(data, size, 64);
	fuzz_decode_all(data, size, RC_MC_READ_MAX);
	return 0;
}
