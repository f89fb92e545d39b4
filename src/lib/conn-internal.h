/* conn-internal.h: the rc_conn driver structure shared by conn.c (public
 * calls, life, the sync step, the rc_loop adapter) and conn-io.c (resolving,
 * connecting, socket reads and writes).  The protocol itself is in the
 * I/O-free core (core.h); the driver only moves bytes, time and outcomes
 * between the core and the operating system.  Private to the library.
 *
 * Re-entrancy: every entry point (public call, io and timer handler)
 * brackets its work with conn_enter()/conn_leave().  The outermost leave
 * runs conn_sync() — the core's actions, the pending write, the watched
 * descriptor and the timer — or frees a connection that rc_conn_free()
 * marked from inside a callback.  After any core call the driver checks
 * c->dead before touching the core again. */
#ifndef RCONSOLE_CONN_INTERNAL_H
#define RCONSOLE_CONN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rconsole/adapter.h"
#include "rconsole/conn.h"
#include "rconsole/loop.h"
#include "rconsole/resolve.h"
#include "core.h"
#include "tunnel-int.h"

struct rc_conn {
	rc_adapter ad;
	void *ctx;
	rc_conn_cb cb;
	void *arg;
	struct core *k;
	int depth;
	bool dead;

	/* The rc_loop adapter's own state (rc_conn_new). */
	rc_loop *loop;
	rc_timer_id loop_timer;

	/* Resolving: the job and its wake-up pipe (-1: result ready now). */
	rc_resolve *res;
	int res_fd;
	struct addrinfo *ai, *ai_next;

	/* The socket of the current attempt or session. */
	int fd;
	char addr[64];
	bool wblock;          /* the last send() would have blocked */

	/* A tunnel (ssh -W or proxy_command) instead of resolve + connect:
	 * the child runs while fd is its socketpair end (tunnel-int.h). */
	struct tunnel_cfg tc;
	struct tunnel tun;
	bool tun_tried;       /* this session's one attempt was made */

	/* What the adapter was last told. */
	int w_fd;
	short w_events;
	int64_t t_at;         /* armed timer's time (us), 0: none */

	/* A write failure, reported from the timer (no event may fire inside
	 * the public call that found it). */
	bool defer;
	int defer_err;
	char defer_cause[128];
};

/* Marks an entry point. */
void conn_enter(struct rc_conn *c);
/* Leaves an entry point: syncs, or frees a connection freed meanwhile. */
void conn_leave(struct rc_conn *c);

/* Drops the lookup, the address list and the socket. */
void conn_io_reset(struct rc_conn *c);
/* Closes the socket of the current attempt. */
void conn_io_close(struct rc_conn *c);
/* Starts looking the server's name up. */
void conn_io_resolve(struct rc_conn *c);
/* Takes the lookup's result and hands it to the core. */
void conn_io_resolved(struct rc_conn *c);
/* Starts a connect to the next address (or tells the core none is left). */
void conn_io_connect_next(struct rc_conn *c);
/* The pending connect finished (POLLOUT while CONNECTING). */
void conn_io_connect_done(struct rc_conn *c);
/* Writes what the core has to write, until done or the socket is full. */
void conn_io_flush(struct rc_conn *c);
/* Reads what the socket holds into the core. */
void conn_io_read(struct rc_conn *c);
/* The tunnel's stream ended (why NULL) or failed (err, why): reports it
 * with the child's last stderr line as the cause when it said something. */
void conn_io_tunnel_end(struct rc_conn *c, int err, const char *why);

#endif
