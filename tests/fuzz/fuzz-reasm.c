/* fuzz-reasm.c: libFuzzer target for the connection's receive path —
 * framing, reply matching and reassembly (src/lib/conn-reasm.c, conn-io.c).
 *
 * Each input is what a hostile server sends after a good login: a real
 * rc_conn connects over loopback to a listener in this process, sends one
 * command, and the input is written back to it in chunks.  The first byte
 * picks the fragment mode and the dialect, then each chunk is
 * <len byte><bytes>.  Four bytes 7f 7f 7f 7f in a chunk become the command's
 * request id and 7e 7e 7e 7e the id of the last sentinel the client wrote,
 * so inputs reach the matched-reply and sentinel paths, not just strays.
 * The connection must end in a reply event or a failure, never crash, and
 * every reply event must carry a NUL-terminated body of the stated length. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rconsole/rconsole.h"

static rc_loop *loop;
static int listen_fd = -1;
static char port[16];

struct fuzz_state {
	bool replied;
	bool ended;
};

/* Checks every event the connection reports. */
static void on_event(rc_conn *c, const rc_event *ev, void *arg)
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

/* Opens the loopback listener once. */
static void fuzz_init(void)
{
	loop = rc_loop_new();
	listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof sa;
	if (!loop || listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
	    listen(listen_fd, 8) < 0 || getsockname(listen_fd, (struct sockaddr *)&sa, &len) < 0)
		abort();
	snprintf(port, sizeof port, "%d", ntohs(sa.sin_port));
}

/* Reads one whole packet the client wrote (blocking up to 2 s); returns its id. */
static int32_t read_packet(int fd, int32_t *type)
{
	uint8_t buf[4096];
	size_t have = 0;
	for (int tries = 0; tries < 200; tries++) {
		rc_loop_run_once(loop, 0);
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 10) <= 0)
			continue;
		ssize_t n = read(fd, buf + have, sizeof buf - have);
		if (n <= 0)
			return 0;
		have += (size_t)n;
		rc_packet pkt;
		if (rc_packet_decode(buf, have, 0, &pkt, NULL, NULL) == RC_DECODE_OK) {
			*type = pkt.type;
			return pkt.id;
		}
	}
	return 0;
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!loop)
		fuzz_init();
	if (size < 1)
		return 0;
	struct fuzz_state st = { false, false };
	rc_conn_opts o;
	rc_conn_opts_init(&o);
	o.host = "127.0.0.1";
	o.port = port;
	o.password = "pw";
	o.reconnect = false;
	o.fragments = (rc_frag_mode)(data[0] % 3);
	o.dialect = (data[0] >> 2) & 1 ? RC_DIALECT_SOURCE : RC_DIALECT_MINECRAFT;
	o.quiet_ms = 5;
	o.command_timeout_ms = 300;
	o.max_packet = 64 * 1024;
	o.max_response = 256 * 1024;
	rc_conn *c = rc_conn_new(loop, &o, on_event, &st);
	if (!c || rc_conn_start(c) < 0)
		abort();
	int srv = -1;
	for (int tries = 0; tries < 200 && srv < 0; tries++) {
		rc_loop_run_once(loop, 5);
		srv = accept(listen_fd, NULL, NULL);
		if (srv < 0) {
			struct pollfd p = { .fd = listen_fd, .events = POLLIN };
			poll(&p, 1, 5);
			srv = accept(listen_fd, NULL, NULL);
		}
	}
	if (srv < 0)
		abort();
	int32_t type = 0;
	int32_t auth_id = read_packet(srv, &type);
	uint8_t pkt[64];
	long n = rc_packet_encode(pkt, sizeof pkt, auth_id, RC_TYPE_AUTH_REPLY, "", 0);
	if (write(srv, pkt, (size_t)n) != n)
		abort();
	for (int i = 0; i < 200 && rc_conn_state(c) != RC_STATE_READY; i++)
		rc_loop_run_once(loop, 5);
	uint64_t id;
	if (rc_conn_state(c) != RC_STATE_READY || rc_conn_send(c, "list", NULL, &id) != 0)
		abort();
	int32_t cmd_id = read_packet(srv, &type), sentinel_id = cmd_id + 1;
	fcntl(srv, F_SETFL, O_NONBLOCK);
	for (size_t i = 1; i < size && !st.ended;) {
		size_t len = data[i++];
		if (len > size - i)
			len = size - i;
		uint8_t chunk[256];
		memcpy(chunk, data + i, len);
		i += len;
		patch_ids(chunk, len, cmd_id, sentinel_id);
		if (len && write(srv, chunk, len) < 0 && errno != EAGAIN)
			break;
		rc_loop_run_once(loop, 1);
		/* Note the id of any sentinel the client wrote meanwhile. */
		uint8_t in[512];
		ssize_t got = read(srv, in, sizeof in);
		rc_packet p;
		if (got > 0 && rc_packet_decode(in, (size_t)got, 0, &p, NULL, NULL) == RC_DECODE_OK)
			sentinel_id = p.id;
	}
	close(srv);
	for (int i = 0; i < 400 && !st.ended; i++)
		rc_loop_run_once(loop, 5);
	if (!st.ended)
		abort(); /* a closed server must always end the session */
	rc_conn_free(c);
	return 0;
}
