/* sim-conn.c: one client connection of a simulated server — framing, auth,
 * commands, faults and buffered output.
 *
 * Vanilla and Forge framing (PROTOCOL.md "Vanilla"): the real server gives
 * each client a thread that does one read() of at most 1460 bytes and judges
 * it alone.  Here every POLLIN does exactly one read() of at most 1460 bytes:
 *   - fewer than 10 bytes (or end of stream): close, no reply;
 *   - length field != bytes read - 4: close, no reply (two packets in one
 *     read, a packet split across reads, anything over 1460 bytes);
 *   - the body runs from offset 12 up to the first NUL but never includes the
 *     last byte read; a read of 10-12 bytes makes Java's substring throw,
 *     which closes the connection, so only types that parse a body (auth, and
 *     exec once authed) do that here.
 * While a reply is being held (--delay) or written, the connection is not
 * read: the real thread is blocked in the command or in write(), so packets
 * sent meanwhile pile up in the socket and arrive in one read, as on vanilla.
 *
 * Source framing buffers the stream and decodes packets of up to 4096-byte
 * bodies one after another; before the auth reply it sends an empty type-0
 * packet, and an (empty) type-0 packet from the client is mirrored, then
 * followed by a type-0 packet whose body is 00 00 00 01 00 00 00 00.
 *
 * Java servers (vanilla, Forge) run a command as new String(body, UTF_8)
 * makes it: every malformed sequence becomes U+FFFD, by the JDK's rules
 * (conn_decode_java); --log still records the bytes as received.
 *
 * Faults (sim_opts): --delay holds every reply; --drip writes one byte, then
 * pauses 1 ms (a 10 KB reply takes over 10 s); --hang-after N answers the first N commands of a connection, then
 * nothing; --drop-after N answers N commands and closes the connection on
 * receiving command N+1, which is logged but not run; --garbage/--oversize
 * replace every answer after auth (command replies and "Unknown request"
 * answers), auth replies stay valid; --hostile wraps command output;
 * --auth-reply answers logins wrongly (never, type 0 with a body, or type 2
 * with an id the client never used); --reset-mid sends the first packet of
 * a reply of several, then resets the connection (RST); --stray puts a
 * packet with an id nobody asked for before every answer after auth. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rconsole/error.h"
#include "rconsole/packet.h"
#include "sim/sim-int.h"

#define SIM_SOURCE_BODY_MAX 4096
#define SIM_SOURCE_IN_MAX (64 * 1024)   /* unframed input kept at most */
#define SIM_OUT_MAX (256u * 1024 * 1024) /* a client that never reads is dropped */
#define SIM_DRIP_MS 1                    /* --drip: pause between bytes */
#define SIM_STRAY_ID 0x57a7              /* --stray: an id no client uses */

static void conn_on_io(rc_loop *loop, int fd, int revents, void *arg);
static void conn_process_stream(sim_conn *c);
static void conn_resume(sim_conn *c);
static void conn_update_events(sim_conn *c);
static void conn_flush(sim_conn *c);

/* Accepts the connection fd into s. */
sim_conn *sim_conn_new(sim_server *s, int fd)
{
	sim_conn *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->srv = s;
	c->fd = fd;
	if (rc_loop_add_fd(s->loop, fd, POLLIN, conn_on_io, c) < 0) {
		free(c);
		return NULL;
	}
	return c;
}

/* Closes c now and hands it to the server's graveyard. */
void sim_conn_close(sim_conn *c)
{
	if (c->closed)
		return;
	c->closed = true;
	rc_loop_del_fd(c->srv->loop, c->fd);
	close(c->fd);
	c->fd = -1;
	rc_loop_del_timer(c->srv->loop, c->delay_timer);
	rc_loop_del_timer(c->srv->loop, c->drip_timer);
	c->delay_timer = c->drip_timer = 0;
	sim_server_bury(c->srv, c);
}

/* Frees a closed connection. */
void sim_conn_free(sim_conn *c)
{
	if (!c)
		return;
	sim_buf_free(&c->in);
	sim_buf_free(&c->out);
	sim_buf_free(&c->held);
	free(c);
}

/* Returns true while a reply is held or being written. */
static bool conn_busy(const sim_conn *c)
{
	return sim_buf_pending(&c->out) > 0 || sim_buf_pending(&c->held) > 0;
}

/* Watches for what the connection can do next. */
static void conn_update_events(sim_conn *c)
{
	if (c->closed)
		return;
	short ev = 0;
	if (sim_buf_pending(&c->out) > 0)
		ev = c->drip_timer ? 0 : POLLOUT;
	else if (!conn_busy(c) && !c->closing)
		ev = POLLIN;
	rc_loop_mod_fd(c->srv->loop, c->fd, ev);
}

/* Timer (--drip): the pause after one byte is over, write the next. */
static int64_t conn_on_drip(rc_loop *loop, void *arg)
{
	sim_conn *c = arg;
	c->drip_timer = 0;
	conn_flush(c);
	conn_resume(c);
	conn_update_events(c);
	return RC_TIMER_DONE;
}

/* Writes what the socket takes now; with --drip one byte, then a pause, so
 * the client really sees one byte per read. */
static void conn_flush(sim_conn *c)
{
	if (c->drip_timer)
		return;
	while (!c->closed && sim_buf_pending(&c->out) > 0) {
		size_t n = c->srv->opts.drip ? 1 : sim_buf_pending(&c->out);
		ssize_t w = send(c->fd, c->out.p + c->out.off, n, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				sim_conn_close(c);
			break;
		}
		sim_buf_drain(&c->out, (size_t)w);
		if (c->srv->opts.drip) {
			if (sim_buf_pending(&c->out) > 0)
				c->drip_timer = rc_loop_add_timer(c->srv->loop, SIM_DRIP_MS,
				    conn_on_drip, c);
			break;
		}
	}
	if (c->closed)
		return;
	if (!conn_busy(c) && c->resetting) {
		/* Linger 0: close() sends RST, not FIN. */
		struct linger lg = { 1, 0 };
		setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
		sim_conn_close(c);
		return;
	}
	if (!conn_busy(c) && c->closing) {
		sim_conn_close(c);
		return;
	}
	conn_update_events(c);
}

/* Source: goes on with buffered packets once the connection is idle again.
 * Called from the loop callbacks only, never from inside conn_handle(). */
static void conn_resume(sim_conn *c)
{
	if (!c->closed && c->srv->opts.dialect == SIM_DIALECT_SOURCE && !conn_busy(c))
		conn_process_stream(c);
}

/* Closes c once its pending output is written (at once when none). */
void sim_conn_shutdown(sim_conn *c)
{
	if (c->closed)
		return;
	c->closing = true;
	if (!conn_busy(c))
		sim_conn_close(c);
	else
		conn_update_events(c);
}

/* Timer (--delay): releases the held replies to the socket. */
static int64_t conn_on_delay(rc_loop *loop, void *arg)
{
	sim_conn *c = arg;
	c->delay_timer = 0;
	sim_buf_add(&c->out, c->held.p + c->held.off, sim_buf_pending(&c->held));
	sim_buf_reset(&c->held);
	if (c->out.oom) {
		sim_conn_close(c);
		return RC_TIMER_DONE;
	}
	conn_flush(c);
	conn_resume(c);
	conn_update_events(c);
	return RC_TIMER_DONE;
}

/* Returns where replies go: the held buffer under --delay, else output. */
static sim_buf *conn_sink(sim_conn *c)
{
	return c->srv->opts.delay_ms > 0 ? &c->held : &c->out;
}

/* Sends (or holds) what was just appended to the sink. */
static void conn_queued(sim_conn *c)
{
	sim_buf *sink = conn_sink(c);
	if (sink->oom || sim_buf_pending(sink) > SIM_OUT_MAX) {
		sim_conn_close(c);
		return;
	}
	if (sink == &c->held) {
		if (!c->delay_timer)
			c->delay_timer = rc_loop_add_timer(c->srv->loop, c->srv->opts.delay_ms,
			    conn_on_delay, c);
		if (c->delay_timer) {
			conn_update_events(c);
			return;
		}
		/* No timer (out of memory): send at once rather than never. */
		sim_buf_add(&c->out, c->held.p + c->held.off, sim_buf_pending(&c->held));
		sim_buf_reset(&c->held);
	}
	conn_flush(c);
}

/* Queues one bare packet (auth replies, the source mirror). */
static void conn_emit(sim_conn *c, int32_t id, int32_t type, const void *body, size_t len)
{
	sim_reply_packet(conn_sink(c), id, type, body, len);
	conn_queued(c);
}

/* --reset-mid, --stall-mid: when the answer that starts at offset at of
 * sink is more than one packet, keeps only the first, then resets the
 * connection once it is written (reset) or answers nothing more on it. */
static void conn_cut_mid(sim_conn *c, sim_buf *sink, size_t at, bool reset)
{
	if (sink->oom || sink->len < at + 4)
		return;
	size_t first = at + 4 + (size_t)(uint32_t)rc_le32_get(sink->p + at);
	if (sink->len <= first)
		return;
	sink->len = first;
	if (reset)
		c->resetting = c->closing = true;
	else
		c->hung = true;
}

/* Queues an answer after auth: text cut into fragments, or the fault's bytes. */
static void conn_answer(sim_conn *c, int32_t id, const uint8_t *text, size_t len,
    bool is_output)
{
	const sim_opts *o = &c->srv->opts;
	sim_buf *sink = conn_sink(c);
	if (o->stray && c->authed) {
		static const char body[] = "(nobody asked for this)";
		sim_reply_packet(sink, SIM_STRAY_ID, RC_TYPE_RESPONSE, body, sizeof body - 1);
	}
	size_t at = sink->len;
	if (o->garbage && c->authed) {
		sim_reply_garbage(sink);
	} else if (o->oversize && c->authed) {
		sim_reply_oversize(sink, id);
	} else if (o->hostile && is_output) {
		sim_buf wrapped = { 0 };
		sim_reply_hostile(&wrapped, text, len);
		sim_reply_encode(sink, o->dialect, id, wrapped.p, wrapped.len);
		sink->oom |= wrapped.oom;
		sim_buf_free(&wrapped);
	} else {
		sim_reply_encode(sink, o->dialect, id, text, len);
	}
	if ((o->reset_mid || o->stall_mid) && c->authed)
		conn_cut_mid(c, sink, at, o->reset_mid);
	conn_queued(c);
}

/* Runs body[len] as the server's console does: the Source console splits
 * a line at every ';' outside double quotes and runs each part in turn (so
 * "help x;quit" is two commands), vanilla runs it whole.  The outputs go
 * to out one after the other; returns SIM_CMD_STOP when a part stopped. */
static enum sim_cmd_effect conn_run(sim_conn *c, const char *body, size_t len, sim_buf *out)
{
	if (c->srv->opts.dialect != SIM_DIALECT_SOURCE)
		return sim_cmd_run(c->srv, body, len, out);
	enum sim_cmd_effect eff = SIM_CMD_DONE;
	bool quoted = false;
	size_t from = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && body[i] == '"')
			quoted = !quoted;
		if (i < len && (quoted || body[i] != ';'))
			continue;
		size_t lead = from;
		while (lead < i && body[lead] == ' ')
			lead++;
		/* An empty part runs nothing (a line that is all empty runs as is). */
		if ((lead < i || len == 0) &&
		    sim_cmd_run(c->srv, body + from, i - from, out) == SIM_CMD_STOP)
			eff = SIM_CMD_STOP;
		from = i + 1;
	}
	return eff;
}

/* Returns true when b is a UTF-8 continuation byte. */
static bool conn_cont(uint8_t b)
{
	return (b & 0xc0) == 0x80;
}

/* Returns true when b2 cannot follow the 4-byte lead b1 (Java's isMalformed4_2). */
static bool conn_bad4_2(uint8_t b1, uint8_t b2)
{
	return (b1 == 0xf0 && (b2 < 0x90 || b2 > 0xbf)) || (b1 == 0xf4 && (b2 & 0xf0) != 0x80) ||
	    !conn_cont(b2);
}

/* Returns true when b2 cannot follow the 3-byte lead b1 (Java's isMalformed3_2). */
static bool conn_bad3_2(uint8_t b1, uint8_t b2)
{
	return (b1 == 0xe0 && (b2 & 0xe0) == 0x80) || !conn_cont(b2);
}

/* Returns how many bytes of the malformed whole 3- or 4-byte sequence at p
 * (len bytes) Java replaces with one U+FFFD (its malformedN). */
static size_t conn_malformed_len(const uint8_t *p, size_t len)
{
	if (len == 3)
		return conn_bad3_2(p[0], p[1]) ? 1 : 2;
	if (p[0] > 0xf4 || conn_bad4_2(p[0], p[1]))
		return 1;
	return conn_cont(p[2]) ? 3 : 2;
}

/* Returns how many bytes at p[0..n) make the next character as Java's
 * new String(bytes, UTF_8) (JDK 9 to 21) reads them; *bad is set when they
 * are one U+FFFD.  A sequence cut short by the end is one U+FFFD however
 * many of its bytes are there, unless its second byte is already wrong. */
static size_t conn_java_char(const uint8_t *p, size_t n, bool *bad)
{
	uint8_t b1 = p[0];
	*bad = true;
	if (b1 < 0x80 || (b1 >= 0xc2 && b1 <= 0xdf && n >= 2 && conn_cont(p[1]))) {
		*bad = false;
		return b1 < 0x80 ? 1 : 2;
	}
	if (b1 >= 0xe0 && b1 <= 0xef) {
		if (n < 3)
			return n == 2 && conn_bad3_2(b1, p[1]) ? 1 : n;
		if (conn_bad3_2(b1, p[1]) || !conn_cont(p[2]))
			return conn_malformed_len(p, 3);
		*bad = b1 == 0xed && p[1] >= 0xa0;    /* a surrogate: one U+FFFD for all 3 */
		return 3;
	}
	if (b1 >= 0xf0 && b1 <= 0xf7) {
		if (n < 4) {
			if (b1 > 0xf4 || (n >= 2 && conn_bad4_2(b1, p[1])))
				return 1;
			return n >= 3 && !conn_cont(p[2]) ? 2 : n;
		}
		uint32_t cp = (uint32_t)(b1 & 7) << 18 | (uint32_t)(p[1] & 0x3f) << 12 |
		    (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
		if (!conn_cont(p[1]) || !conn_cont(p[2]) || !conn_cont(p[3]) ||
		    cp < 0x10000 || cp > 0x10ffff)
			return conn_malformed_len(p, 4);
		*bad = false;
		return 4;
	}
	return 1;
}

/* Appends body[len] to out as a Java server reads it: UTF-8 with every
 * malformed sequence turned into U+FFFD (PROTOCOL.md "Encoding"). */
static void conn_decode_java(const uint8_t *body, size_t len, sim_buf *out)
{
	for (size_t i = 0; i < len;) {
		bool bad;
		size_t n = conn_java_char(body + i, len - i, &bad);
		if (bad)
			sim_buf_adds(out, "\xef\xbf\xbd");
		else
			sim_buf_add(out, body + i, n);
		i += n;
	}
}

/* Logs, counts and runs one command received after auth. */
static void conn_command(sim_conn *c, int32_t id, const uint8_t *body, size_t len)
{
	sim_server *s = c->srv;
	if (s->opts.on_log)
		s->opts.on_log(s->opts.log_arg, (const char *)body, len);
	s->n_commands++;
	c->n_cmds++;
	if (c->hung || (s->opts.hang_after >= 0 && c->n_cmds > s->opts.hang_after)) {
		c->hung = true;
		return;
	}
	if (s->opts.drop_after >= 0 && c->n_cmds > s->opts.drop_after) {
		sim_conn_close(c);
		return;
	}
	/* Java servers decode the body first; Source's console takes bytes. */
	sim_buf text = { 0 }, decoded = { 0 };
	if (s->opts.dialect != SIM_DIALECT_SOURCE) {
		conn_decode_java(body, len, &decoded);
		body = decoded.p ? decoded.p : (const uint8_t *)"";
		len = decoded.len;
	}
	enum sim_cmd_effect eff = conn_run(c, (const char *)body, len, &text);
	bool oom = text.oom || decoded.oom;
	sim_buf_free(&decoded);
	if (oom) {
		sim_buf_free(&text);
		sim_conn_close(c);
		return;
	}
	conn_answer(c, id, text.p, text.len, true);
	sim_buf_free(&text);
	if (eff == SIM_CMD_STOP)
		sim_server_stop(s);
}

/* Handles one auth packet. */
static void conn_auth(sim_conn *c, int32_t id, const uint8_t *body, size_t len)
{
	const sim_opts *o = &c->srv->opts;
	size_t pwlen = strlen(c->srv->password);
	bool ok = !o->auth_fail && len > 0 && len == pwlen &&
	    memcmp(body, c->srv->password, len) == 0;
	if (o->dialect == SIM_DIALECT_SOURCE)
		sim_reply_packet(conn_sink(c), id, RC_TYPE_RESPONSE, "", 0);
	c->authed = ok;
	if (o->on_auth)
		o->on_auth(o->log_arg, ok);
	switch (o->auth_reply) {
	case SIM_AUTH_SILENT:
		break;
	case SIM_AUTH_TYPE0:
		conn_emit(c, id, RC_TYPE_RESPONSE, "Welcome!", 8);
		break;
	case SIM_AUTH_OTHER_ID:
		conn_emit(c, id == 0x5717 ? 0x5718 : 0x5717, RC_TYPE_AUTH_REPLY, "", 0);
		break;
	case SIM_AUTH_NORMAL:
	default:
		conn_emit(c, ok ? id : -1, RC_TYPE_AUTH_REPLY, "", 0);
		break;
	}
}

/* Handles one packet; body_ok is false when reading the body would have
 * thrown on vanilla (a read of 10-12 bytes). */
static void conn_handle(sim_conn *c, int32_t id, int32_t type, const uint8_t *body,
    size_t len, bool body_ok)
{
	bool source = c->srv->opts.dialect == SIM_DIALECT_SOURCE;
	if (c->hung) {
		/* The server thread is stuck: nothing is answered, but commands
		 * still reach it and are logged. */
		if (type == RC_TYPE_EXEC && c->authed && body_ok)
			conn_command(c, id, body, len);
		return;
	}
	if (type == RC_TYPE_AUTH || (type == RC_TYPE_EXEC && c->authed)) {
		if (!body_ok) {
			sim_conn_close(c);
			return;
		}
		if (type == RC_TYPE_AUTH)
			conn_auth(c, id, body, len);
		else
			conn_command(c, id, body, len);
		return;
	}
	if (type == RC_TYPE_EXEC || (source && type == RC_TYPE_RESPONSE && !c->authed)) {
		conn_emit(c, -1, RC_TYPE_AUTH_REPLY, "", 0);
		return;
	}
	if (source && type == RC_TYPE_RESPONSE) {
		static const uint8_t marker[8] = { 0, 0, 0, 1, 0, 0, 0, 0 };
		sim_buf *sink = conn_sink(c);
		sim_reply_packet(sink, id, RC_TYPE_RESPONSE, body, len);
		sim_reply_packet(sink, id, RC_TYPE_RESPONSE, marker, sizeof marker);
		conn_queued(c);
		return;
	}
	char text[48];
	int n = snprintf(text, sizeof text, "Unknown request %x", (unsigned)type);
	conn_answer(c, id, (const uint8_t *)text, (size_t)n, false);
}

/* Vanilla/Forge: one read() of at most 1460 bytes, judged alone. */
static void conn_read_vanilla(sim_conn *c)
{
	uint8_t buf[RC_MC_READ_MAX];
	memset(buf, 0, sizeof buf);
	ssize_t n = read(c->fd, buf, sizeof buf);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return;
	if (n < RC_PKT_MIN_LEN || rc_le32_get(buf) != (int32_t)(n - 4)) {
		sim_conn_close(c);
		return;
	}
	int32_t id = rc_le32_get(buf + 4);
	int32_t type = rc_le32_get(buf + 8);
	/* Body: from 12 up to the first NUL, never the last byte read. */
	size_t end = (size_t)n - 1, i = 12;
	bool body_ok = end >= 12;
	while (body_ok && i < end && buf[i] != 0)
		i++;
	conn_handle(c, id, type, buf + 12, body_ok ? i - 12 : 0, body_ok);
}

/* Source: decodes buffered packets while the connection is not busy. */
static void conn_process_stream(sim_conn *c)
{
	while (!c->closed && !conn_busy(c) && sim_buf_pending(&c->in) > 0) {
		rc_packet pkt;
		size_t used = 0;
		int rc = rc_packet_decode(c->in.p + c->in.off, sim_buf_pending(&c->in),
		    SIM_SOURCE_BODY_MAX + 10, &pkt, &used, NULL);
		if (rc == RC_DECODE_NEED_MORE)
			return;
		if (rc == RC_DECODE_MALFORMED) {
			sim_conn_close(c);
			return;
		}
		const uint8_t *nul = memchr(pkt.body, 0, pkt.body_len);
		size_t len = nul ? (size_t)(nul - pkt.body) : pkt.body_len;
		/* conn_handle never touches c->in, so the body stays valid. */
		conn_handle(c, pkt.id, pkt.type, pkt.body, len, true);
		sim_buf_drain(&c->in, used);
	}
}

/* Source: reads what is there into the input buffer, then decodes. */
static void conn_read_stream(sim_conn *c)
{
	uint8_t *at = sim_buf_grow(&c->in, 4096);
	if (!at) {
		sim_conn_close(c);
		return;
	}
	ssize_t n = read(c->fd, at, 4096);
	c->in.len -= 4096 - (n > 0 ? (size_t)n : 0);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return;
	if (n <= 0 || sim_buf_pending(&c->in) > SIM_SOURCE_IN_MAX) {
		sim_conn_close(c);
		return;
	}
	conn_process_stream(c);
}

/* Loop callback: write what is pending, read when readable. */
static void conn_on_io(rc_loop *loop, int fd, int revents, void *arg)
{
	sim_conn *c = arg;
	bool reading = !conn_busy(c) && !c->closing;
	if (sim_buf_pending(&c->out) > 0 && (revents & (POLLOUT | POLLERR | POLLHUP))) {
		conn_flush(c);
		conn_resume(c);
	} else if (reading && (revents & (POLLIN | POLLERR | POLLHUP))) {
		if (c->srv->opts.dialect == SIM_DIALECT_SOURCE)
			conn_read_stream(c);
		else
			conn_read_vanilla(c);
	}
	conn_update_events(c);
}
