/* conn-io.c: the connection's socket I/O.
 *
 * Output: every packet is built whole in the connection's one output buffer
 * and handed to one send(); vanilla reads one packet per read() and drops the
 * connection when a packet is split across reads or two share one
 * (PROTOCOL.md), so a partial write keeps the rest and waits for POLLOUT and
 * nothing else is written until it is gone.  Write errors found inside a
 * public call (where no event may fire) are reported from a 0 ms timer.
 *
 * Input: read in 64 KiB chunks, decoded strictly (10 <= length <= max_packet,
 * two trailing NULs) straight from the stack buffer; only the tail of a
 * packet that is not complete yet is copied to a per-connection buffer, which
 * is released as soon as it is empty, so an idle connection holds none. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "rconsole/error.h"
#include "conn-internal.h"

/* Bytes read per recv() and reads per wake-up (fairness between servers). */
enum { CONN_IO_CHUNK = 65536, CONN_IO_ROUNDS = 16 };

/* Timer: reports a write failure found where no event could be sent. */
static int64_t conn_io_on_defer(rc_loop *loop, void *arg)
{
	struct rc_conn *c = arg;
	c->t_defer = 0;
	conn_enter(c);
	conn_fail(c, c->defer_err, c->defer_cause, RC_ELOST);
	conn_leave(c);
	return RC_TIMER_DONE;
}

/* Schedules a failure for the next loop pass (first one wins). */
static void conn_io_defer_fail(struct rc_conn *c, int err, const char *cause)
{
	if (c->t_defer)
		return;
	c->defer_err = err;
	snprintf(c->defer_cause, sizeof c->defer_cause, "%s", cause);
	c->t_defer = rc_loop_add_timer(c->loop, 0, conn_io_on_defer, c);
}

/* Writes what is left of the output packet; on completion runs the hook. */
int conn_io_flush(struct rc_conn *c)
{
	while (c->ooff < c->olen) {
		ssize_t w = send(c->fd, c->obuf + c->ooff, c->olen - c->ooff, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			rc_loop_mod_fd(c->loop, c->fd, POLLIN | POLLOUT);
			return 0;
		}
		if (w < 0) {
			char why[128];
			snprintf(why, sizeof why, "write: %s", strerror(errno));
			conn_io_defer_fail(c, RC_ECLOSED, why);
			return RC_ECLOSED;
		}
		if (w > 0 && c->owhat == CONN_OUT_CMD && c->cur)
			c->cur->written = true;
		c->ooff += (size_t)w;
		c->st.bytes_out += (uint64_t)w;
		if (c->ooff < c->olen) {
			/* Partial write: the rest goes when the socket drains. */
			rc_loop_mod_fd(c->loop, c->fd, POLLIN | POLLOUT);
			return 0;
		}
	}
	enum conn_out what = c->owhat;
	explicit_bzero(c->obuf, c->olen);
	c->olen = c->ooff = 0;
	c->owhat = CONN_OUT_NONE;
	rc_loop_mod_fd(c->loop, c->fd, POLLIN);
	conn_reasm_written(c, what);
	return 0;
}

/* Encodes one packet and writes it with one write() (see header). */
int conn_io_write_packet(struct rc_conn *c, int32_t id, int32_t type,
    const void *body, size_t len, enum conn_out what)
{
	if (c->fd < 0 || c->olen)
		return RC_EINVAL;
	long n = rc_packet_encode(c->obuf, sizeof c->obuf, id, type, body, len);
	if (n < 0)
		return RC_EINVAL;
	c->olen = (size_t)n;
	c->ooff = 0;
	c->owhat = what;
	return conn_io_flush(c);
}

/* Grows the input buffer to hold need bytes. */
static int conn_io_reserve(struct rc_conn *c, size_t need)
{
	if (need <= c->icap)
		return 0;
	size_t cap = c->icap ? c->icap : 4096;
	while (cap < need)
		cap *= 2;
	uint8_t *n = realloc(c->ibuf, cap);
	if (!n)
		return RC_ENOMEM;
	c->ibuf = n;
	c->icap = cap;
	return 0;
}

/* Decodes and dispatches every whole packet of the input; keeps the tail.
 * Returns false when the connection changed (then nothing is touched). */
static bool conn_io_feed(struct rc_conn *c, const uint8_t *data, size_t n)
{
	const uint8_t *p = data;
	size_t len = n;
	if (c->ilen) {
		if (conn_io_reserve(c, c->ilen + n) < 0) {
			conn_fail(c, RC_ENOMEM, "out of memory", RC_ELOST);
			return false;
		}
		memcpy(c->ibuf + c->ilen, data, n);
		c->ilen += n;
		p = c->ibuf;
		len = c->ilen;
	}
	size_t off = 0;
	for (;;) {
		rc_packet pkt;
		size_t used = 0;
		const char *why = "malformed packet";
		int r = rc_packet_decode(p + off, len - off, c->max_packet, &pkt, &used, &why);
		if (r == RC_DECODE_NEED_MORE)
			break;
		if (r == RC_DECODE_MALFORMED) {
			conn_fail(c, RC_EPROTO, why, RC_ELOST);
			return false;
		}
		off += used;
		bool ok = c->state == RC_STATE_AUTHENTICATING ? conn_auth_packet(c, &pkt) :
		    conn_reasm_packet(c, &pkt);
		if (!ok)
			return false;
	}
	size_t rest = len - off;
	if (p == c->ibuf) {
		memmove(c->ibuf, c->ibuf + off, rest);
	} else if (rest) {
		if (conn_io_reserve(c, rest) < 0) {
			conn_fail(c, RC_ENOMEM, "out of memory", RC_ELOST);
			return false;
		}
		memcpy(c->ibuf, p + off, rest);
	}
	c->ilen = rest;
	if (rest == 0 && c->ibuf) {
		free(c->ibuf);
		c->ibuf = NULL;
		c->icap = 0;
	}
	return true;
}

/* Returns what the server was doing when it closed the connection (the
 * error code already says that it did). */
static const char *conn_io_eof_cause(const struct rc_conn *c)
{
	switch (c->state) {
	case RC_STATE_AUTHENTICATING:
		return "during the login (is this an RCON port?)";
	case RC_STATE_BUSY:
		return c->cur && c->cur->written ? "with a command in flight" : "before a command went out";
	default:
		return "while idle";
	}
}

/* Reads what the socket holds and feeds it to the decoder. */
void conn_io_readable(struct rc_conn *c)
{
	uint8_t buf[CONN_IO_CHUNK];
	for (int round = 0; round < CONN_IO_ROUNDS; round++) {
		ssize_t n = recv(c->fd, buf, sizeof buf, 0);
		if (n > 0) {
			c->st.bytes_in += (uint64_t)n;
			if (!conn_io_feed(c, buf, (size_t)n) || (size_t)n < sizeof buf)
				return;
			continue;
		}
		if (n == 0) {
			conn_fail(c, RC_ECLOSED, conn_io_eof_cause(c), RC_ELOST);
			return;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return;
		char why[128];
		snprintf(why, sizeof why, "read: %s", strerror(errno));
		conn_fail(c, RC_ECLOSED, why, RC_ELOST);
		return;
	}
}
