/* fuzz-core.c: libFuzzer target for the whole connection state machine (the
 * I/O-free core, src/lib/core.c and core-reasm.c) against a hostile
 * in-memory peer from the first byte: resolving and connecting outcomes,
 * the login, strays, partial writes, commands from the application, stops,
 * restarts, frees from inside callbacks and timeouts on a fake clock.
 *
 * Input: byte 0 picks the options (fragment mode, dialect, reconnect,
 * read-only); then a list of operations, each one opcode byte and its
 * operands:
 *   0 len bytes   the peer sends bytes (7f7f7f7f in them becomes the id of
 *                 the newest packet the client wrote, 7e7e7e7e the id of the
 *                 oldest one still unanswered)
 *   1 t           the clock moves t * 37 ms, then the core's deadlines run
 *   2 c           the application sends command c (from a table, each made
 *                 unique with a counter)
 *   3 n           the socket takes only n more bytes and then is full until
 *                 the next 3 (n 255, and the start: it takes everything)
 *   4 s b         the peer sends one well-formed packet: s picks its id (the
 *                 newest packet's, the oldest unanswered one's, -1, 4242),
 *                 its type (0, 2, 4, 100) and its body length (0, 1, 17,
 *                 4095, 4096, 4100, 8192, 12288) of byte b
 *   5 s           the peer closes the connection, or the socket fails
 *   6 s           the application stops, restarts, or frees the core from
 *                 inside the next event
 *   7 s           a connect-phase outcome (resolved, failed, next address,
 *                 connected)
 *
 * Invariants asserted (abort on violation):
 *  - never two unanswered packets on the wire: a packet starts out only when
 *    every earlier packet of the session was answered (an answer to packet
 *    i answers every earlier one too: servers answer in order), except the
 *    quiet probe, a sentinel sent at least quiet_ms after its command was
 *    written;
 *  - a command is written at most once (commands are unique texts), only
 *    commands the application sent are written, nothing the read-only
 *    policy forbids is written, and every accepted command gets exactly one
 *    reply event — RC_ENOTSENT only if not a byte of it was written;
 *  - no callback after free, reply bodies NUL-terminated, and after the
 *    deadlines ran no deadline is left in the past. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rconsole/rconsole.h"
#include "core.h"

#define MAX_WIRE 512
#define MAX_CMDS 256

static const char *const fuzz_cmds[] = {
	"list", "stop", "say hi", "op alice", "seed", "help", "time query daytime",
};

/* One packet the client wrote in this session. */
struct wire_pkt {
	int32_t id;
	int32_t type;
	int64_t done_at;       /* when its last byte went out */
	bool answered;
};

/* One command the application sent. */
struct sent_cmd {
	char text[48];
	uint64_t id;
	int replies;
	int status;
	bool on_wire;
};

struct fz {
	struct core *k;
	rc_conn_opts o;
	int64_t now;
	bool freed;
	bool free_next;
	/* The session's wire, as the peer sees it. */
	struct wire_pkt w[MAX_WIRE];
	size_t nw;
	uint8_t part[80 * 1024];  /* the peer's bytes not yet framed */
	size_t npart;
	bool partial_started;
	size_t budget;          /* SIZE_MAX: the socket takes everything */
	/* Every command, every session. */
	struct sent_cmd c[MAX_CMDS];
	size_t nc;
	unsigned counter;
};

/* Fails the run. */
static void fz_fail(const char *why)
{
	fprintf(stderr, "fuzz-core invariant: %s\n", why);
	abort();
}

/* Finds the command with handle id. */
static struct sent_cmd *fz_cmd(struct fz *f, uint64_t id)
{
	for (size_t i = 0; i < f->nc; i++)
		if (f->c[i].id == id)
			return &f->c[i];
	return NULL;
}

/* Checks one event. */
static void fz_on_event(struct core *k, const rc_event *ev, void *arg)
{
	struct fz *f = arg;
	if (f->freed)
		fz_fail("callback after free");
	if (ev->type == RC_EV_REPLY) {
		struct sent_cmd *c = fz_cmd(f, ev->cmd);
		if (!c)
			fz_fail("reply for a command never sent");
		if (++c->replies > 1)
			fz_fail("two reply events for one command");
		c->status = ev->status;
		if (ev->status == 0 && (!ev->body || ev->body[ev->len] != '\0'))
			fz_fail("reply body not NUL-terminated");
		if (ev->status == RC_ENOTSENT && c->on_wire)
			fz_fail("a written command reported as not sent");
	}
	if (f->free_next) {
		f->free_next = false;
		f->freed = true;
		core_free(k);
	}
}

/* Returns true when type is the sentinel's type for the dialect. */
static bool fz_is_sentinel(const struct fz *f, int32_t type)
{
	return f->o.dialect == RC_DIALECT_SOURCE ? type == RC_TYPE_RESPONSE : type == 100;
}

/* A new packet starts out: checks the one-unanswered rule and at-most-once. */
static void fz_packet_starts(struct fz *f, const uint8_t *p, size_t n)
{
	if (n < 12)
		fz_fail("a packet shorter than its header");
	int32_t id = rc_le32_get(p + 4), type = rc_le32_get(p + 8);
	size_t unanswered = 0;
	for (size_t i = 0; i < f->nw; i++)
		if (!f->w[i].answered)
			unanswered++;
	if (unanswered) {
		const struct wire_pkt *last = &f->w[f->nw - 1];
		bool probe = unanswered == 1 && !last->answered && last->type == RC_TYPE_EXEC &&
		    fz_is_sentinel(f, type) && f->o.quiet_ms > 0 &&
		    f->now - last->done_at >= (int64_t)f->o.quiet_ms * 1000;
		if (!probe)
			fz_fail("a packet written while an earlier one is unanswered");
	}
	if (f->nw == MAX_WIRE)
		fz_fail("wire log full");
	f->w[f->nw++] = (struct wire_pkt){ .id = id, .type = type };
	if (type == RC_TYPE_EXEC) {
		uint8_t body[4200];
		size_t bl = n - 14 < sizeof body - 1 ? n - 14 : sizeof body - 1;
		memcpy(body, p + 12, bl);
		body[bl] = '\0';
		bool found = false;
		for (size_t i = 0; i < f->nc; i++) {
			if (strcmp(f->c[i].text, (const char *)body) == 0) {
				if (f->c[i].on_wire)
					fz_fail("a command written twice");
				f->c[i].on_wire = true;
				found = true;
			}
		}
		if (!found)
			fz_fail("a command the application never sent was written");
		if (f->o.read_only && !rc_policy_allows(NULL, 0, (const char *)body))
			fz_fail("a command the read-only policy forbids was written");
	}
}

/* The socket takes what the core has to write (within the budget). */
static void fz_flush(struct fz *f)
{
	while (!f->freed) {
		size_t n;
		const uint8_t *p = core_output(f->k, &n);
		if (!n || !f->budget)
			return;
		if (!f->partial_started) {
			fz_packet_starts(f, p, n);
			f->partial_started = true;
		}
		size_t take = n < f->budget ? n : f->budget;
		if (f->budget != SIZE_MAX)
			f->budget -= take;
		struct wire_pkt *w = &f->w[f->nw - 1];
		core_wrote(f->k, f->now, take);
		if (f->freed)
			return;
		if (take == n) {
			w->done_at = f->now;
			f->partial_started = false;
		}
	}
}

/* Marks packets answered by a server packet with id (and all before it). */
static void fz_answer(struct fz *f, int32_t id)
{
	for (size_t i = f->nw; i-- > 0;) {
		if (f->w[i].id == id) {
			for (size_t j = 0; j <= i; j++)
				f->w[j].answered = true;
			return;
		}
	}
}

/* Starts a new wire (the driver dropped the socket). */
static void fz_new_wire(struct fz *f)
{
	f->nw = 0;
	f->npart = 0;
	f->partial_started = false;
}

/* Does what the core asked for (the connect outcome comes from opcode 7). */
static void fz_actions(struct fz *f)
{
	if (f->freed)
		return;
	unsigned a = core_actions(f->k);
	if (a & (CORE_ACT_RESET | CORE_ACT_CLOSE))
		fz_new_wire(f);
}

/* Returns the id of the newest packet on the wire (1, a guess, if none). */
static int32_t fz_newest(const struct fz *f)
{
	return f->nw ? f->w[f->nw - 1].id : 1;
}

/* Returns the id of the oldest unanswered packet on the wire. */
static int32_t fz_oldest_open(const struct fz *f)
{
	for (size_t i = 0; i < f->nw; i++)
		if (!f->w[i].answered)
			return f->w[i].id;
	return fz_newest(f);
}

/* Feeds peer bytes; notes which packets they answer (whole packets only). */
static void fz_peer(struct fz *f, uint8_t *b, size_t n)
{
	for (size_t i = 0; i + 4 <= n; i++) {
		if (b[i] == 0x7f && b[i + 1] == 0x7f && b[i + 2] == 0x7f && b[i + 3] == 0x7f)
			rc_le32_put(b + i, fz_newest(f));
		else if (b[i] == 0x7e && b[i + 1] == 0x7e && b[i + 2] == 0x7e && b[i + 3] == 0x7e)
			rc_le32_put(b + i, fz_oldest_open(f));
	}
	/* The peer's packets are framed the way the core frames them: collect
	 * ids of whole packets to mark answers before the core reacts.  Bytes
	 * sent while no session reads them are lost, as on a real socket. */
	rc_state st = core_state(f->k);
	if (st != RC_STATE_AUTHENTICATING && st != RC_STATE_READY && st != RC_STATE_BUSY) {
		f->npart = 0;
	} else if (n + f->npart <= sizeof f->part) {
		memcpy(f->part + f->npart, b, n);
		f->npart += n;
		size_t off = 0;
		for (;;) {
			rc_packet pk;
			size_t used;
			if (rc_packet_decode(f->part + off, f->npart - off, f->o.max_packet, &pk, &used,
			    NULL) != RC_DECODE_OK)
				break;
			fz_answer(f, pk.id);
			off += used;
		}
		memmove(f->part, f->part + off, f->npart - off);
		f->npart -= off;
	} else {
		f->npart = 0;
	}
	core_input(f->k, f->now, b, n);
}

/* The peer sends one well-formed packet chosen by s, body bytes b. */
static void fz_peer_packet(struct fz *f, uint8_t s, uint8_t b)
{
	static const int32_t types[] = { RC_TYPE_RESPONSE, RC_TYPE_AUTH_REPLY, 4, 100 };
	static const size_t lens[] = { 0, 1, 17, 4095, 4096, 4100, 8192, 12288 };
	static uint8_t pkt[12288 + 14];
	static char body[12288];
	int32_t id;
	switch (s & 3) {
	case 0: id = fz_newest(f); break;
	case 1: id = fz_oldest_open(f); break;
	case 2: id = -1; break;
	default: id = 4242; break;
	}
	size_t len = lens[(s >> 4) & 7];
	memset(body, b, len);
	long n = rc_packet_encode(pkt, sizeof pkt, id, types[(s >> 2) & 3], body, len);
	if (n > 0)
		fz_peer(f, pkt, (size_t)n);
}

/* Applies one connect-phase outcome. */
static void fz_connect_op(struct fz *f, uint8_t s)
{
	switch (s % 6) {
	case 0:
		core_resolved(f->k, f->now, 0, NULL);
		break;
	case 1:
		core_resolved(f->k, f->now, RC_ERESOLVE, "no such host");
		break;
	case 2:
		core_attempt_begin(f->k, f->now, "192.0.2.1:25575");
		break;
	case 3:
		core_attempt_failed(f->k, f->now, "192.0.2.1:25575", RC_ECONNECT, "refused");
		break;
	case 4:
		core_no_address(f->k, f->now);
		break;
	default:
		core_connected(f->k, f->now);
		break;
	}
}

/* Sends one application command. */
static void fz_send(struct fz *f, uint8_t s)
{
	if (f->nc == MAX_CMDS)
		return;
	struct sent_cmd *c = &f->c[f->nc];
	memset(c, 0, sizeof *c);
	snprintf(c->text, sizeof c->text, "%s", fuzz_cmds[s % (sizeof fuzz_cmds / sizeof fuzz_cmds[0])]);
	/* "stop" stays exactly "stop" once; the others get a unique suffix. */
	if (strcmp(c->text, "stop") != 0 || f->counter)
		snprintf(c->text + strlen(c->text), sizeof c->text - strlen(c->text), " %u", f->counter);
	f->counter++;
	if (core_send(f->k, f->now, c->text, NULL, &c->id) == 0)
		f->nc++;
}

/* Runs one input: options, then operations, then the final checks. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	static struct fz fzs;
	struct fz *f = &fzs;
	memset(f, 0, sizeof *f);
	rc_conn_opts_init(&f->o);
	f->o.host = "mc.example";
	f->o.password = "pw";
	f->o.fragments = (rc_frag_mode)(data[0] % 3);
	f->o.dialect = (data[0] >> 2) & 1 ? RC_DIALECT_SOURCE : RC_DIALECT_MINECRAFT;
	f->o.reconnect = (data[0] >> 3) & 1;
	f->o.read_only = (data[0] >> 4) & 1;
	f->o.quiet_ms = (data[0] >> 5) & 1 ? -1 : 40;
	f->o.max_packet = 64 * 1024;
	f->o.max_response = 128 * 1024;
	f->budget = SIZE_MAX;
	f->now = 1000000;
	f->k = core_new(&f->o, fz_on_event, f, data[0], NULL);
	if (!f->k)
		abort();
	core_start(f->k, f->now);
	fz_actions(f);
	for (size_t i = 1; i < size && !f->freed;) {
		uint8_t op = data[i++] & 7;
		uint8_t arg = i < size ? data[i] : 0;
		switch (op) {
		case 0: {
			size_t len = i < size ? data[i++] : 0;
			if (len > size - i)
				len = size - i;
			uint8_t chunk[256];
			memcpy(chunk, data + i, len);
			i += len;
			fz_peer(f, chunk, len);
			break;
		}
		case 1:
			i++;
			f->now += (int64_t)arg * 37000;
			core_tick(f->k, f->now);
			if (!f->freed) {
				int64_t d = core_deadline(f->k);
				if (d && d <= f->now)
					fz_fail("a deadline left in the past after the tick");
			}
			break;
		case 2:
			i++;
			fz_send(f, arg);
			break;
		case 3:
			i++;
			f->budget = arg == 255 ? SIZE_MAX : arg;
			break;
		case 4:
			i += 2;
			fz_peer_packet(f, arg, i - 1 < size ? data[i - 1] : 'x');
			break;
		case 5:
			i++;
			if (arg & 1)
				core_eof(f->k, f->now);
			else
				core_io_error(f->k, f->now, RC_ECLOSED, "read: reset");
			break;
		case 6:
			i++;
			if (arg % 3 == 0)
				core_stop(f->k, f->now);
			else if (arg % 3 == 1)
				core_start(f->k, f->now);
			else
				f->free_next = true;
			break;
		default:
			i++;
			fz_connect_op(f, arg);
			break;
		}
		fz_actions(f);
		fz_flush(f);
		fz_actions(f);
	}
	/* Unless it was freed (which drops queued commands without events),
	 * a stop gives every accepted command its one reply event. */
	if (!f->freed) {
		f->free_next = false;
		core_stop(f->k, f->now);
		f->freed = true;
		core_free(f->k);
		for (size_t i = 0; i < f->nc; i++)
			if (f->c[i].replies != 1)
				fz_fail("a command without its reply event");
	}
	return 0;
}
