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
 * c->dead before touching the core again.
 *
 * The rc_loop adapter (conn_loop_*) may bracket every entry it makes with
 * an owner's hooks (conn_new_loop): the session uses them to see each entry
 * end after the connection's sync, when its writes have gone out. */
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

/* An owner's hooks around every entry from rc_loop (NULLs: none). */
struct conn_entry_hooks {
	void (*enter)(void *arg);  /* before the connection handles an io or timer */
	void (*leave)(void *arg);  /* after it returned (synced, maybe freed) */
	void *arg;
};

struct rc_conn {
	rc_adapter ad;
	void *ctx;
	rc_conn_cb cb;
	void *arg;
	struct core *k;
	int depth;
	bool dead;

	/* The rc_loop adapter's own state (rc_conn_new, conn_new_loop). */
	rc_loop *loop;
	rc_timer_id loop_timer;
	struct conn_entry_hooks hooks;

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
	/* Through an adapter: a child it closed is not reaped yet, the timer
	 * is armed for tunnel_due_of (SIGKILL on time, then the reap). */
	bool tun_kill;
	/* The stream ended and the child's last words are awaited: its stderr
	 * is watched instead of the socket until EOF or tun_end_at (us), then
	 * the end is reported with what it said (conn_io_tunnel_finish). */
	bool tun_end;
	int tun_end_err;
	int64_t tun_end_at;
	char tun_end_why[128];

	/* What the adapter was last told. */
	int w_fd;
	short w_events;
	int64_t t_at;         /* armed timer's time (us), 0: none */

	/* The sync step ran out of rounds with the core's actions still
	 * pending (every address failing at once): the timer, armed for now,
	 * makes the next pass go on with them. */
	bool again;

	/* A write failure, reported from the timer (no event may fire inside
	 * the public call that found it). */
	bool defer;
	int defer_err;
	char defer_cause[128];
};

/* Creates a connection on rc_loop whose loop entries are bracketed by
 * hooks (copied; NULL: none), saying why when it cannot (*err). */
rc_conn *conn_new_loop(rc_loop *loop, const rc_conn_opts *o, rc_conn_cb cb, void *arg,
    const struct conn_entry_hooks *hooks, int *err);
/* Copies into *dst the part of ad its size covers, the hooks past it NULL;
 * false for a table smaller than the first layout or missing a hook
 * (rc_conn_new_adapter and rc_session_new_adapter take the same tables). */
bool conn_adapter_copy(rc_adapter *dst, const rc_adapter *ad);
/* Returns the callback argument of c when its callback is cb, else NULL
 * (an owner's O(1) way back from a connection to its own record). */
void *conn_owner(const rc_conn *c, rc_conn_cb cb);

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
/* Writes what the core has to write, until done or the socket is full;
 * returns the clock (rc_now_us) at the last write, 0 when none. */
int64_t conn_io_flush(struct rc_conn *c);
/* Reads what the socket holds into the core. */
void conn_io_read(struct rc_conn *c);
/* The tunnel's stream ended (why NULL) or failed (err, why): reports it
 * with the child's last stderr line as the cause when it said something;
 * when its stderr is still open, first waits for it on the loop (tun_end). */
void conn_io_tunnel_end(struct rc_conn *c, int err, const char *why);
/* Reads the child's stderr while tun_end; reports the end at its EOF. */
void conn_io_tunnel_drain(struct rc_conn *c);
/* Reports the tunnel's end now with what its child said so far. */
void conn_io_tunnel_finish(struct rc_conn *c);

#endif
