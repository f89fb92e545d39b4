/* fuzz-reasm.c: libFuzzer target for the connection's receive path —
 * framing, reply matching and reassembly — run on the I/O-free core
 * (src/lib/core.c, core-reasm.c) with no socket and a fake clock.
 *
 * Each input is what a hostile server sends after a good login: the core
 * logs in, one command goes out, and the input is fed back in chunks.  The
 * first byte picks the fragment mode and the dialect, then each chunk is
 * <len byte><bytes>.  Four bytes 7f 7f 7f 7f in a chunk become the command's
 * request id and 7e 7e 7e 7e the id of the last sentinel the client wrote,
 * so inputs reach the matched-reply and sentinel paths, not just strays.
 * The clock moves 2 ms per chunk, so the 5 ms quiet probe and the 300 ms
 * command timeout are reached too.  The session must end in a reply event or
 * a failure, never crash, and every reply event must carry a NUL-terminated
 * body of the stated length. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "rconsole/rconsole.h"
#include "core.h"

struct fuzz_state {
	bool replied;
	bool ended;
};

/* Checks every event the core reports. */
static void on_event(struct core *k, const rc_event *ev, void *arg)
{
	struct fuzz_state *st = arg;
	if (ev->type == RC_EV_REPLY) {
		st->replied = true;
		if (ev->status == 0 && (!ev->body || ev->body[ev->len] != 0))
			abort();
	} else if (ev->type == RC_EV_STATE && (ev->state == RC_STATE_FAILED ||
	    ev->state == RC_STATE_IDLE || ev->state == RC_STATE_AUTH_FAILED)) {
		st->ended = true;
	}
}

/* Writes everything the core has to write; returns the id of the last whole
 * packet (0 when none). */
static int32_t drain(struct core *k, int64_t now)
{
	int32_t id = 0;
	size_t n;
	const uint8_t *p = core_output(k, &n);
	if (n) {
		rc_packet pkt;
		size_t used;
		if (rc_packet_decode(p, n, 0, &pkt, &used, NULL) == RC_DECODE_OK)
			id = pkt.id;
		core_wrote(k, now, n);
	}
	return id;
}

/* Replaces the id markers in a chunk. */
static void patch_ids(uint8_t *b, size_t n, int32_t cmd_id, int32_t sentinel_id)
{
	for (size_t i = 0; i + 4 <= n; i++) {
		if (b[i] == 0x7f && b[i + 1] == 0x7f && b[i + 2] == 0x7f && b[i + 3] == 0x7f)
			rc_le32_put(b + i, cmd_id);
		else if (b[i] == 0x7e && b[i + 1] == 0x7e && b[i + 2] == 0x7e && b[i + 3] == 0x7e)
			rc_le32_put(b + i, sentinel_id);
	}
}

/* Runs one input: login, one command, the peer's chunks, the close. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct fuzz_state st = { false, false };
	rc_conn_opts o;
	rc_conn_opts_init(&o);
	o.host = "127.0.0.1";
	o.password = "pw";
	o.reconnect = false;
	o.fragments = (rc_frag_mode)(data[0] % 3);
	o.dialect = (data[0] >> 2) & 1 ? RC_DIALECT_SOURCE : RC_DIALECT_MINECRAFT;
	o.quiet_ms = 5;
	o.command_timeout_ms = 300;
	o.max_packet = 64 * 1024;
	o.max_response = 256 * 1024;
	struct core *k = core_new(&o, on_event, &st, 1, NULL);
	int64_t now = 1000000;
	if (!k || core_start(k, now) < 0)
		abort();
	core_resolved(k, now, 0, NULL);
	core_attempt_begin(k, now, "127.0.0.1:25575");
	core_connected(k, now);
	int32_t auth_id = drain(k, now);
	uint8_t pkt[64];
	long n = rc_packet_encode(pkt, sizeof pkt, auth_id, RC_TYPE_AUTH_REPLY, "", 0);
	core_input(k, now, pkt, (size_t)n);
	uint64_t id;
	if (core_state(k) != RC_STATE_READY || core_send(k, now, "list", NULL, &id) != 0)
		abort();
	int32_t cmd_id = drain(k, now), sentinel_id = cmd_id + 1;
	for (size_t i = 1; i < size && !st.ended;) {
		size_t len = data[i++];
		if (len > size - i)
			len = size - i;
		uint8_t chunk[256];
		memcpy(chunk, data + i, len);
		i += len;
		patch_ids(chunk, len, cmd_id, sentinel_id);
		core_input(k, now, chunk, len);
		now += 2000;
		core_tick(k, now);
		/* Note the id of any sentinel the client wrote meanwhile. */
		int32_t s = drain(k, now);
		if (s)
			sentinel_id = s;
	}
	core_eof(k, now);
	if (!st.ended)
		abort(); /* a closed server must always end the session */
	core_free(k);
	return 0;
}
