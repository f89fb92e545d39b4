/* conn-reasm.c: commands on the wire — the queue behind the one command in
 * flight, reply matching by request id, and reassembly of replies that span
 * several packets (DESIGN.md section 2, PROTOCOL.md).
 *
 * Why a sentinel: vanilla cuts a reply every 4096 UTF-16 units and marks
 * neither the cut nor the end, so a fragment of 4096 or more bytes may or may
 * not be followed by more.  Servers answer packets in order, so the client
 * sends one packet of an unknown type (the sentinel) and the reply ends when
 * the sentinel's answer arrives ("Unknown request 64" on vanilla; the Source
 * dialect uses an empty RESPONSE_VALUE, which Source mirrors and follows with
 * one more packet, absorbed here).  Vanilla reads one packet per read() and
 * drops the connection when two arrive together (MC-87863), so the sentinel
 * goes out only after the command's first fragment came back — proof the
 * server read the command — or, when nothing came (Forge sends nothing for
 * an empty reply), after the quiet interval.  Every packet has its own id, so
 * the sentinel's answer can never pass for the next command's reply, and
 * the next command is written only after the sentinel's answer.
 *
 * Bytes are collected raw; a fragment boundary may split a UTF-8 character
 * (Forge cuts by bytes), so nothing is decoded here. */
#include <stdlib.h>
#include <string.h>

#include "rconsole/error.h"
#include "rconsole/policy.h"
#include "conn-internal.h"

/* Returns true when cmd's first word is "stop" (optional '/', any case). */
bool conn_reasm_is_stop(const char *cmd)
{
	static const char word[] = "stop";
	if (*cmd == '/')
		cmd++;
	for (size_t i = 0; i < sizeof word - 1; i++) {
		char ch = cmd[i];
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if (ch != word[i])
			return false;
	}
	return cmd[4] == '\0' || cmd[4] == ' ';
}

/* Returns the reply so far, NUL-terminated ("" when nothing arrived). */
const char *conn_reasm_body(struct rc_conn *c)
{
	if (!c->rbuf)
		return "";
	c->rbuf[c->rlen] = '\0';
	return (const char *)c->rbuf;
}

/* Drops the reply state of the in-flight command (on teardown). */
void conn_reasm_reset(struct rc_conn *c)
{
	c->sentinel_out = false;
	c->sentinel_req = 0;
	c->trailer_req = 0;
}

/* Grows the reply buffer to hold need bytes plus a NUL, by half again each
 * time (doubling would hold 2 MiB for a 1 MiB reply, for its NUL). */
static int conn_reasm_reserve(struct rc_conn *c, size_t need)
{
	if (need + 1 <= c->rcap)
		return 0;
	size_t cap = c->rcap ? c->rcap : 4096;
	while (cap < need + 1)
		cap += cap / 2;
	if (cap > c->max_response + 1)
		cap = c->max_response + 1;
	uint8_t *n = realloc(c->rbuf, cap);
	if (!n)
		return RC_ENOMEM;
	c->rbuf = n;
	c->rcap = cap;
	return 0;
}

/* Writes the command k: it becomes the one in flight. */
static void conn_reasm_begin(struct rc_conn *c, struct conn_cmd *k)
{
	c->cur = k;
	c->state = RC_STATE_BUSY;
	c->rlen = 0;
	c->frags = 0;
	c->sentinel_out = false;
	k->req = conn_next_req(c);
	if (k->is_stop)
		c->stopping = true;
	conn_arm_deadline(c, c->command_ms);
	/* The round trip starts before send(): on loopback the server may well
	 * run and answer before send() even returns. */
	k->sent_us = rc_now_us();
	if (conn_io_write_packet(c, k->req, RC_TYPE_EXEC, k->text, k->len, CONN_OUT_CMD) == 0)
		c->st.commands++;
}

/* Writes the next queued command when nothing is in flight.  A command that
 * the read-only policy forbids (it was turned on after the command was
 * queued) is refused here, so it never reaches the socket.  After `stop` was
 * written the queue is held: the server is about to close the connection,
 * and a command written now would be lost with an unknown outcome.  The
 * close fails the held commands as not sent; a server that is still there
 * after the command timeout did not stop, and gets them then. */
bool conn_reasm_pump(struct rc_conn *c)
{
	while (c->state == RC_STATE_READY && !c->cur && c->qhead && c->fd >= 0 && !c->olen) {
		if (c->stopping) {
			if (!c->t_deadline)
				conn_arm_deadline(c, c->command_ms);
			break;
		}
		struct conn_cmd *k = c->qhead;
		c->qhead = k->next;
		if (!c->qhead)
			c->qtail = NULL;
		c->nq--;
		k->next = NULL;
		if (c->read_only &&
		    !rc_policy_allows((const char *const *)c->allow, c->n_allow, k->text)) {
			rc_event ev = {
				.type = RC_EV_REPLY, .state = c->state, .prev = c->state,
				.cmd = k->id, .tag = k->tag, .status = RC_EREADONLY,
				.cause = rc_strerror(RC_EREADONLY), .rtt_us = -1,
			};
			free(k);
			if (!conn_emit(c, &ev))
				return false;
			continue;
		}
		conn_reasm_begin(c, k);
		break;
	}
	return true;
}

/* Writes the end-of-reply sentinel (one write, its own id).  When it cannot
 * be written, a write error has scheduled the connection's failure. */
static void conn_reasm_sentinel(struct rc_conn *c)
{
	int32_t type = c->dialect == RC_DIALECT_SOURCE ? RC_TYPE_RESPONSE : CONN_SENTINEL_TYPE;
	int32_t id = conn_next_req(c);
	if (conn_io_write_packet(c, id, type, NULL, 0, CONN_OUT_SENTINEL) != 0)
		return;
	c->sentinel_req = id;
	c->sentinel_out = true;
	c->st.sentinels++;
}

/* Timer: nothing came back within the quiet interval; probes with the
 * sentinel (the server has read the command by now). */
static int64_t conn_reasm_on_quiet(rc_loop *loop, void *arg)
{
	struct rc_conn *c = arg;
	c->t_quiet = 0;
	conn_enter(c);
	if (c->state == RC_STATE_BUSY && c->cur && c->frags == 0 && !c->sentinel_out)
		conn_reasm_sentinel(c);
	conn_leave(c);
	return RC_TIMER_DONE;
}

/* Hook: the packet in the output buffer was completely written. */
void conn_reasm_written(struct rc_conn *c, enum conn_out what)
{
	if (what != CONN_OUT_CMD || !c->cur)
		return;
	if (c->frag != RC_FRAG_NONE && c->quiet_ms > 0 && c->frags == 0 && !c->t_quiet)
		c->t_quiet = rc_loop_add_timer(c->loop, c->quiet_ms, conn_reasm_on_quiet, c);
}

/* The in-flight reply is complete: reports it and writes the next command. */
static bool conn_reasm_done(struct rc_conn *c)
{
	struct conn_cmd *k = c->cur;
	c->cur = NULL;
	rc_loop_del_timer(c->loop, c->t_deadline);
	rc_loop_del_timer(c->loop, c->t_quiet);
	c->t_deadline = c->t_quiet = 0;
	c->sentinel_out = false;
	c->state = RC_STATE_READY;
	int64_t rtt = k->sent_us ? rc_now_us() - k->sent_us : 0;
	c->st.last_rtt_us = rtt;
	rc_event ev = {
		.type = RC_EV_REPLY, .state = c->state, .prev = c->state, .cmd = k->id,
		.tag = k->tag, .status = 0, .body = conn_reasm_body(c), .len = c->rlen,
		.fragments = c->frags, .rtt_us = rtt,
	};
	free(k);
	if (!conn_emit(c, &ev))
		return false;
	/* Nothing can have arrived for a next command yet: an idle connection
	 * keeps no reply buffer. */
	free(c->rbuf);
	c->rbuf = NULL;
	c->rcap = c->rlen = 0;
	return conn_reasm_pump(c);
}

/* Adds one fragment of the in-flight reply; decides whether it ended. */
static bool conn_reasm_fragment(struct rc_conn *c, const rc_packet *p)
{
	if (c->t_quiet) {
		rc_loop_del_timer(c->loop, c->t_quiet);
		c->t_quiet = 0;
	}
	if (p->body_len > c->max_response - c->rlen) {
		conn_fail(c, RC_ETOOBIG, "reply larger than the limit", RC_ETOOBIG);
		return false;
	}
	if (conn_reasm_reserve(c, c->rlen + p->body_len) < 0) {
		conn_fail(c, RC_ENOMEM, "out of memory", RC_ENOMEM);
		return false;
	}
	memcpy(c->rbuf + c->rlen, p->body, p->body_len);
	c->rlen += p->body_len;
	c->frags++;
	if (c->frag == RC_FRAG_NONE)
		return conn_reasm_done(c);
	if (c->sentinel_out)
		return true;
	size_t full = c->dialect == RC_DIALECT_SOURCE ? CONN_FRAG_FULL_SOURCE : CONN_FRAG_FULL;
	/* The reply ends with the sentinel's answer.  When the sentinel could
	 * not be written, more may still have been coming: the reply is not
	 * reported as whole; the scheduled failure reports it lost. */
	if (c->frag == RC_FRAG_SENTINEL || p->body_len >= full) {
		conn_reasm_sentinel(c);
		return true;
	}
	return conn_reasm_done(c);
}

/* Handles a packet received while READY or BUSY: a fragment of the reply in
 * flight (type 0, or 2 as Cuberite answers), the sentinel's answer, the
 * Source sentinel's second packet, or a stray. */
bool conn_reasm_packet(struct rc_conn *c, const rc_packet *p)
{
	struct conn_cmd *k = c->cur;
	if (k && p->id == k->req &&
	    (p->type == RC_TYPE_RESPONSE || p->type == RC_TYPE_AUTH_REPLY))
		return conn_reasm_fragment(c, p);
	if (k && c->sentinel_out && p->id == c->sentinel_req) {
		if (c->dialect == RC_DIALECT_SOURCE)
			c->trailer_req = c->sentinel_req;
		c->sentinel_out = false;
		return conn_reasm_done(c);
	}
	if (c->trailer_req && p->id == c->trailer_req) {
		c->trailer_req = 0;
		return true;
	}
	return conn_stray(c, p);
}
