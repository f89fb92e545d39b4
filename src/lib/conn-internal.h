/* conn-internal.h: the rc_conn structure and the calls shared by conn.c
 * (lifecycle, state machine, connect, login), conn-io.c (socket reads and
 * writes) and conn-reasm.c (commands on the wire: queue, reply matching,
 * reassembly, sentinel).  Private to the library.
 *
 * Re-entrancy rules every function here keeps:
 *  - the caller's callback runs only through conn_emit();
 *  - conn_emit() returns false when the callback freed the connection or
 *    changed its life (stop, start, failure): the caller then returns at
 *    once and touches nothing computed before the call;
 *  - entry points from the loop (fd, timers, resolver) and the public calls
 *    that emit bracket their work with conn_enter()/conn_leave(), which frees
 *    a connection that rc_conn_free() marked from inside a callback. */
#ifndef RCONSOLE_CONN_INTERNAL_H
#define RCONSOLE_CONN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rconsole/conn.h"
#include "rconsole/packet.h"
#include "rconsole/resolve.h"

/* Wire type of the end-of-reply sentinel in the minecraft dialect: vanilla
 * answers an unknown type with "Unknown request 64" (PROTOCOL.md). */
#define CONN_SENTINEL_TYPE 100
/* AUTO mode: a fragment at least this long may be followed by more. */
#define CONN_FRAG_FULL 4096
/* Source caps a whole packet at 4096 bytes, so its full fragments carry a
 * little less body; this bound catches them (one extra probe at worst). */
#define CONN_FRAG_FULL_SOURCE (4096 - RC_PKT_OVERHEAD)

/* What the packet in the output buffer is, for the write-completion hook. */
enum conn_out { CONN_OUT_NONE, CONN_OUT_AUTH, CONN_OUT_CMD, CONN_OUT_SENTINEL };

/* One accepted command. */
struct conn_cmd {
	struct conn_cmd *next;
	uint64_t id;          /* the caller's handle */
	void *tag;
	int32_t req;          /* wire request id once written */
	bool written;         /* at least one byte reached the socket */
	bool is_stop;         /* first word is "stop" */
	int64_t sent_us;      /* when its write started (0: not written) */
	size_t len;
	char text[];
};

struct rc_conn {
	rc_loop *loop;
	rc_conn_cb cb;
	void *arg;

	/* Options (owned copies). */
	char *host, *port, *password, *name;
	rc_dialect dialect;
	rc_frag_mode frag;
	int connect_ms, auth_ms, command_ms, quiet_ms;
	size_t max_packet, max_response, max_queue;
	bool reconnect;
	int backoff_min, backoff_max, backoff_reset;
	bool read_only;
	char **allow;         /* NULL: rc_policy_default */
	size_t n_allow;

	/* Life. */
	rc_state state;
	int err;
	char cause[256];
	uint64_t epoch;       /* bumped by every change of life (see above) */
	int depth;            /* entry points on the stack */
	bool dead;            /* rc_conn_free() was called */
	bool begun;           /* a session was started before (for stats) */

	/* Resolving and connecting. */
	rc_resolve *res;
	struct addrinfo *ai, *ai_next;
	char addr[64];        /* "[::1]:25575" of the current attempt */
	char attempts[192];   /* why earlier addresses failed */
	int attempt_err;
	int fd;

	/* Timers: connect/auth/command deadline, quiet probe, backoff, deferred
	 * failure (write errors found where no event may be sent). */
	rc_timer_id t_deadline, t_quiet, t_backoff, t_defer;
	int defer_err;
	char defer_cause[128];

	/* Backoff. */
	unsigned attempt;
	int64_t retry_at;
	int64_t ready_since;
	uint64_t rng;

	/* Request ids. */
	int32_t next_req;
	int32_t auth_req;

	/* Output: at most one packet, ever (one write() per packet). */
	uint8_t obuf[RC_SOURCE_BODY_MAX + RC_PKT_OVERHEAD];
	size_t olen, ooff;
	enum conn_out owhat;

	/* Input: the unconsumed tail of a partly received packet. */
	uint8_t *ibuf;
	size_t ilen, icap;

	/* Commands. */
	struct conn_cmd *cur;             /* in flight */
	struct conn_cmd *qhead, *qtail;   /* queued behind it */
	size_t nq;
	uint64_t next_cmd;
	bool stopping;                    /* a "stop" was written on this socket */

	/* Reply being reassembled (raw bytes). */
	uint8_t *rbuf;
	size_t rlen, rcap;
	unsigned frags;
	bool sentinel_out;
	int32_t sentinel_req;
	int32_t trailer_req;              /* source: one more answer expected */

	rc_conn_stats st;
};

/* Runs the caller's callback; false when the connection is gone or changed. */
bool conn_emit(struct rc_conn *c, const rc_event *ev);
/* Counts and reports a packet nobody waited for. */
bool conn_stray(struct rc_conn *c, const rc_packet *p);
/* Returns the next request id (never 0 or -1). */
int32_t conn_next_req(struct rc_conn *c);
/* Handles a packet received while AUTHENTICATING (conn.c). */
bool conn_auth_packet(struct rc_conn *c, const rc_packet *p);

/* Encodes one packet and writes it with one write(); a hard error schedules
 * a deferred failure.  Returns 0 or a negative code. */
int conn_io_write_packet(struct rc_conn *c, int32_t id, int32_t type,
    const void *body, size_t len, enum conn_out what);
/* Writes what is left of the output packet (on POLLOUT). */
int conn_io_flush(struct rc_conn *c);
/* Reads what the socket holds and dispatches whole packets. */
void conn_io_readable(struct rc_conn *c);
/* Closes the socket after a failure and reports it (see conn.c). */
void conn_fail(struct rc_conn *c, int err, const char *cause, int cur_status);
/* Marks a loop entry point. */
void conn_enter(struct rc_conn *c);
/* Leaves an entry point; frees a connection freed from a callback. */
void conn_leave(struct rc_conn *c);
/* Frees a command list without events. */
void conn_cmds_free(struct conn_cmd *list);
/* Arms the deadline timer (connect, auth or command) for ms from now. */
void conn_arm_deadline(struct rc_conn *c, int ms);

/* Writes the next queued command when nothing is in flight (loop context or
 * a fresh command in rc_conn_send); false when the connection changed. */
bool conn_reasm_pump(struct rc_conn *c);
/* Handles a packet received while READY or BUSY. */
bool conn_reasm_packet(struct rc_conn *c, const rc_packet *p);
/* Hook: the packet in the output buffer was completely written. */
void conn_reasm_written(struct rc_conn *c, enum conn_out what);
/* Drops the reply state of the in-flight command (on teardown). */
void conn_reasm_reset(struct rc_conn *c);
/* Returns the reply so far, NUL-terminated ("" when nothing arrived). */
const char *conn_reasm_body(struct rc_conn *c);
/* Returns true when cmd's first word is "stop" (optional '/', any case). */
bool conn_reasm_is_stop(const char *cmd);

#endif
