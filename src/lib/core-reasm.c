/* core-reasm.c: commands on the wire, inside the I/O-free core — the queue
 * behind the one command in flight, reply matching by request id, and reassembly of replies that span
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
#include "core-int.h"

/* Returns the reply so far, NUL-terminated ("" when nothing arrived). */
const char *core_reasm_body(struct core *k)
{
	if (!k->rbuf)
		return "";
	k->rbuf[k->rlen] = '\0';
	return (const char *)k->rbuf;
}

/* Drops the reply state of the in-flight command (on teardown). */
void core_reasm_reset(struct core *k)
{
	k->sentinel_out = false;
	k->sentinel_req = 0;
	k->trailer_req = 0;
}

/* Grows the reply buffer to hold need bytes plus a NUL, by half again each
 * time (doubling would hold 2 MiB for a 1 MiB reply, for its NUL).  The
 * first size is the first fragment's: a `list` reply of 80 bytes is a small
 * allocation, where a 4 KiB one made malloc consolidate its free lists on
 * every refresh of every server. */
static int core_reasm_reserve(struct core *k, size_t need)
{
	if (need + 1 <= k->rcap)
		return 0;
	size_t cap = k->rcap ? k->rcap : need + 1 < 64 ? 64 : need + 1;
	while (cap < need + 1)
		cap += cap / 2;
	if (cap > k->max_response + 1)
		cap = k->max_response + 1;
	uint8_t *n = realloc(k->rbuf, cap);
	if (!n)
		return RC_ENOMEM;
	k->rbuf = n;
	k->rcap = cap;
	return 0;
}

/* Writes the command q: it becomes the one in flight. */
static void core_reasm_begin(struct core *k, struct core_cmd *q)
{
	k->cur = q;
	k->state = RC_STATE_BUSY;
	k->rlen = k->rtotal = 0;
	k->frags = 0;
	k->sentinel_out = false;
	k->cmd_in_mark = k->st.bytes_in;
	q->req = core_next_req(k);
	if (q->is_stop)
		k->stopping = true;
	k->t_deadline = k->now + (int64_t)k->command_ms * 1000;
	/* The round trip starts when the command is handed out: on loopback the
	 * server may well answer before the driver's send() even returns. */
	q->sent_us = k->now;
	if (core_put_packet(k, q->req, RC_TYPE_EXEC, q->text, q->len, CORE_OUT_CMD) == 0)
		k->st.commands++;
}

/* Writes the next queued command when nothing is in flight.  A command that
 * the read-only policy forbids (it was turned on after the command was
 * queued) is refused here, so it never reaches the socket; one accepted
 * while read-only was on passed then, and the list never changes.  After `stop` was
 * written the queue is held: the server is about to close the connection,
 * and a command written now would be lost with an unknown outcome.  The
 * close fails the held commands as not sent; a server that is still there
 * after the command timeout did not stop, and gets them then. */
bool core_reasm_pump(struct core *k)
{
	while (k->state == RC_STATE_READY && !k->cur && k->qhead && !k->olen) {
		if (k->stopping) {
			if (!k->t_deadline)
				k->t_deadline = k->now + (int64_t)k->command_ms * 1000;
			break;
		}
		struct core_cmd *q = k->qhead;
		k->qhead = q->next;
		if (!k->qhead)
			k->qtail = NULL;
		k->nq--;
		q->next = NULL;
		if (!q->ro_checked && !core_policy_allows(k, q->text)) {
			rc_event ev = {
				.type = RC_EV_REPLY, .state = k->state, .prev = k->state,
				.cmd = q->id, .tag = q->tag, .status = RC_EREADONLY,
				.cause = rc_strerror(RC_EREADONLY), .rtt_us = -1,
			};
			core_cmds_free(q);
			if (!core_emit(k, &ev))
				return false;
			continue;
		}
		core_reasm_begin(k, q);
		break;
	}
	return true;
}

/* Hands out the end-of-reply sentinel (one write, its own id).  It cannot
 * go while part of the command is still unwritten (a server that answers
 * before reading the whole command is not following the protocol): then no
 * sentinel is marked out and the command timeout ends the reply. */
static void core_reasm_sentinel(struct core *k)
{
	int32_t type = k->dialect == RC_DIALECT_SOURCE ? RC_TYPE_RESPONSE : CORE_SENTINEL_TYPE;
	int32_t id = core_next_req(k);
	if (core_put_packet(k, id, type, NULL, 0, CORE_OUT_SENTINEL) != 0)
		return;
	k->sentinel_req = id;
	k->sentinel_out = true;
	k->st.sentinels++;
}

/* The quiet interval passed with nothing received: probes with the
 * sentinel (the server has read the command by now). */
void core_reasm_quiet(struct core *k)
{
	if (k->state == RC_STATE_BUSY && k->cur && k->frags == 0 && !k->sentinel_out)
		core_reasm_sentinel(k);
}

/* Hook: the packet in the output buffer was completely written. */
void core_reasm_written(struct core *k, enum core_out what)
{
	if (what != CORE_OUT_CMD || !k->cur)
		return;
	if (k->frag != RC_FRAG_NONE && k->quiet_ms > 0 && k->frags == 0 && !k->t_quiet)
		k->t_quiet = k->now + (int64_t)k->quiet_ms * 1000;
}

/* The in-flight reply is complete: reports it and writes the next command. */
static bool core_reasm_done(struct core *k)
{
	struct core_cmd *q = k->cur;
	k->cur = NULL;
	k->t_deadline = k->t_quiet = 0;
	k->sentinel_out = false;
	k->state = RC_STATE_READY;
	int64_t rtt = q->sent_us ? k->now - q->sent_us : 0;
	k->st.last_rtt_us = rtt;
	rc_event ev = {
		.type = RC_EV_REPLY, .state = k->state, .prev = k->state, .cmd = q->id,
		.tag = q->tag, .status = 0, .body = core_reasm_body(k), .len = k->rlen,
		.fragments = k->frags, .rtt_us = rtt,
	};
	core_cmd_done(k, q);
	if (!core_emit(k, &ev))
		return false;
	/* Nothing can have arrived for a next command yet: an idle connection
	 * keeps a small reply buffer for the next reply (no malloc and free
	 * per refresh), never a large one. */
	if (k->rcap > CORE_RBUF_KEEP) {
		free(k->rbuf);
		k->rbuf = NULL;
		k->rcap = 0;
	}
	k->rlen = 0;
	return core_reasm_pump(k);
}

/* Hands one fragment of the in-flight reply to the caller (opts.stream);
 * false when the core is gone or changed. */
static bool core_reasm_pass(struct core *k, const rc_packet *p)
{
	k->rtotal += p->body_len;
	k->frags++;
	rc_event ev = {
		.type = RC_EV_FRAGMENT, .state = k->state, .prev = k->state, .cmd = k->cur->id,
		.tag = k->cur->tag, .body = (const char *)p->body, .len = p->body_len,
		.fragments = k->frags, .rtt_us = -1,
	};
	return core_emit(k, &ev);
}

/* Adds one fragment of the in-flight reply; decides whether it ended. */
static bool core_reasm_fragment(struct core *k, const rc_packet *p)
{
	k->t_quiet = 0;
	size_t so_far = k->stream ? k->rtotal : k->rlen;
	if (p->body_len > k->max_response - so_far) {
		core_fail(k, RC_ETOOBIG, "reply larger than the limit", RC_ETOOBIG);
		return false;
	}
	if (k->stream) {
		if (!core_reasm_pass(k, p))
			return false;
	} else {
		if (core_reasm_reserve(k, k->rlen + p->body_len) < 0) {
			core_fail(k, RC_ENOMEM, "out of memory", RC_ENOMEM);
			return false;
		}
		memcpy(k->rbuf + k->rlen, p->body, p->body_len);
		k->rlen += p->body_len;
		k->frags++;
	}
	if (k->frag == RC_FRAG_NONE)
		return core_reasm_done(k);
	if (k->sentinel_out)
		return true;
	size_t full = k->dialect == RC_DIALECT_SOURCE ? CORE_FRAG_FULL_SOURCE : CORE_FRAG_FULL;
	/* The reply ends with the sentinel's answer.  When the sentinel could
	 * not be handed out, more may still have been coming: the reply is not
	 * reported as whole; the command timeout reports it. */
	if (k->frag == RC_FRAG_SENTINEL || p->body_len >= full) {
		core_reasm_sentinel(k);
		return true;
	}
	return core_reasm_done(k);
}

/* Handles a packet received while READY or BUSY: a fragment of the reply in
 * flight (type 0, or 2 as Cuberite answers), the sentinel's answer, the
 * Source sentinel's second packet, or a stray. */
bool core_reasm_packet(struct core *k, const rc_packet *p)
{
	struct core_cmd *q = k->cur;
	if (q && p->id == q->req &&
	    (p->type == RC_TYPE_RESPONSE || p->type == RC_TYPE_AUTH_REPLY))
		return core_reasm_fragment(k, p);
	if (q && k->sentinel_out && p->id == k->sentinel_req) {
		if (k->dialect == RC_DIALECT_SOURCE)
			k->trailer_req = k->sentinel_req;
		k->sentinel_out = false;
		return core_reasm_done(k);
	}
	if (k->trailer_req && p->id == k->trailer_req) {
		k->trailer_req = 0;
		return true;
	}
	return core_stray(k, p);
}
