/* session.h: run queues of commands on several servers at once — strictly
 * in order within a server, in parallel across servers — on one rc_loop,
 * or from any other event loop through the adapter hooks (adapter.h).
 * The one-shot command line and the blocking client (client.h) are built
 * on it.
 *
 *   rc_session *s = rc_session_new(loop, &cbs, arg);
 *   size_t a, b;
 *   rc_session_add(s, &opts_a, &a);               // connects at once
 *   rc_session_add(s, &opts_b, &b);
 *   rc_session_push(s, a, "list", NULL);          // queued
 *   rc_session_push(s, b, "list", NULL);
 *   rc_session_end(s);                            // no more commands
 *   rc_session_run(s);                            // until every server is done
 *   rc_session_free(s);
 *
 * Guarantees, on top of rc_conn's (conn.h):
 *  - exactly one command of a server is handed to its connection at a time:
 *    the next only after the previous one's outcome is known, so a failure
 *    stops that server's queue instead of running what was meant to follow
 *    it; every command left in the queue then gets an outcome RC_ENOTSENT
 *    (it was never written), never a silent drop — not even when memory
 *    runs out: each command's last report is reserved when it is pushed,
 *    and each server keeps its up, down and finished reports ready, so
 *    that it went down (and why) is never lost either;
 *  - a command is written at most once; nothing is ever resent, not even
 *    after a reconnect (rc_session_restart starts from the next command);
 *  - the read-only policy and the length rules are applied when a command's
 *    turn comes (refused: the command never reaches the server, and the
 *    queue goes on with the next one);
 *  - when a reply ends and the server's next command is already queued, the
 *    next command is written before the reply is reported, so the server
 *    works while the caller prints.
 *
 * Connections of a session never reconnect by themselves (opts.reconnect is
 * ignored): a server whose connection ends is "down" until
 * rc_session_restart().  A server is "finished" once rc_session_end() was
 * called and its queue is empty with nothing in flight; a finished server
 * reports nothing more (not even its connection closing later).  The
 * session is finished when every server is finished or down.
 *
 * Events come through the callbacks of rc_session_cbs, from the loop or
 * from inside rc_session_add/push/end/interrupt/restart, never in signal
 * context.  Callbacks may call rc_session_push(), rc_session_end(),
 * rc_session_interrupt() and rc_session_restart(), but not
 * rc_session_free().  Ownership: every string passed in is copied; event
 * pointers are valid only during the callback. */
#ifndef RCONSOLE_SESSION_H
#define RCONSOLE_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "rconsole/adapter.h"
#include "rconsole/conn.h"
#include "rconsole/loop.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rc_session rc_session;

/* What a callback is told.  Fields are only ever appended; `size` says how
 * many bytes of this structure the library filled. */
typedef struct rc_session_ev {
	size_t size;
	size_t server;        /* index rc_session_add() gave */
	const char *name;     /* the server's opts.name, else its host */
	/* sent, refused, fragment, outcome: */
	uint64_t seq;         /* the command's number on its server, from 0, in push order */
	const char *cmd;      /* its text as pushed */
	void *tag;            /* the caller's tag */
	/* refused: RC_EREADONLY, RC_ETOOLONG, RC_EINVAL, RC_ENOTREADY;
	 * outcome: 0 answered, else RC_ELOST (written, no complete answer:
	 * outcome unknown), RC_ETIMEOUT (no answer in time: outcome unknown,
	 * the connection is closed), RC_ENOTSENT (never written), RC_ETOOBIG,
	 * RC_ENOMEM (answered, but memory ran out before the whole reply
	 * reached the caller: bytes says how much of it did, as fragments;
	 * no fragment is ever delivered empty or with bytes missing before
	 * it, and, as after any failure, the server's queue stops);
	 * down: why the connection ended (RC_ESTOPPED after `stop`,
	 * RC_ECANCELED for rc_session_interrupt, RC_EAUTH for a wrong password,
	 * else the failure's code). */
	int err;
	const char *cause;    /* detail for err, or NULL */
	/* fragment: one packet's bytes (not NUL-terminated, possibly cutting a
	 * UTF-8 character); outcome, answered: the reply, NUL-terminated
	 * (streaming: "" and 0, the bytes went by as fragments) */
	const char *body;
	size_t len;
	size_t bytes;         /* outcome: the whole reply's size, streamed or not;
	                         RC_ELOST, RC_ETIMEOUT: what of it had come */
	unsigned fragments;   /* outcome: packets the reply came in */
	int64_t rtt_us;       /* outcome: write of the command to end of reply */
	bool handed;          /* outcome: it had been handed to the connection (sent);
	                         false for a queued command that never got its turn */
	/* up, down: */
	rc_state state;       /* the connection's state */
	size_t not_sent;      /* down: commands of this server that were never
	                         written (those still queued, and a handed one held
	                         behind `stop`) */
	rc_state from;        /* down: the state it failed from — RESOLVING or
	                         CONNECTING (the server was never reached),
	                         AUTHENTICATING (it took the connection; the login
	                         was refused or got no answer), READY or BUSY (it
	                         was up); stopped by the session (an interrupt, a
	                         halted queue), the state it was stopped in; IDLE
	                         when it could not be started */
} rc_session_ev;

typedef void (*rc_session_cb)(rc_session *s, const rc_session_ev *ev, void *arg);

/* Any callback may be NULL.  Growing without breaking callers: members are
 * only appended and `size` says how many the caller knows
 * (rc_session_cbs_init sets it; rc_session_new and rc_session_new_adapter
 * take those past it as NULL). */
typedef struct rc_session_cbs {
	size_t size;                /* sizeof(rc_session_cbs) as the caller built it */
	rc_session_cb up;           /* logged in: the queue starts */
	rc_session_cb sent;         /* a command was handed to its connection */
	rc_session_cb refused;      /* a command was refused at its turn, not written */
	rc_session_cb fragment;     /* opts.stream: one packet of the reply in flight */
	rc_session_cb outcome;      /* a command ended: answered or failed */
	rc_session_cb down;         /* the connection ended (after the outcomes it caused) */
	rc_session_cb finished;     /* after rc_session_end: the server's queue is done */
} rc_session_cbs;

/* Fills the first size bytes of cbs with NULLs and sets cbs->size; use
 * rc_session_cbs_init(). */
void rc_session_cbs_init_size(rc_session_cbs *cbs, size_t size);
/* Clears cbs and sets its size. */
static inline void rc_session_cbs_init(rc_session_cbs *cbs)
{
	rc_session_cbs_init_size(cbs, sizeof *cbs);
}

/* Creates an empty session on loop (cbs is copied; arg goes to every
 * callback); NULL when out of memory or loop is NULL. */
rc_session *rc_session_new(rc_loop *loop, const rc_session_cbs *cbs, void *arg);
/* Creates an empty session driven from any other event loop through ad
 * (adapter.h; copied) with ctx passed to every hook.  The hooks receive
 * the session's connections; when the loop sees something, call
 * rc_session_handle_io() / rc_session_handle_timer() (not the rc_conn_
 * ones), so the session knows when a connection's write has gone out.
 * rc_session_run() is not for such a session: run the loop until
 * rc_session_finished().  NULL when ad lacks a hook, its size is smaller
 * than the first layout (adapter.h) or out of memory. */
rc_session *rc_session_new_adapter(const rc_adapter *ad, void *ctx, const rc_session_cbs *cbs,
    void *arg);
/* Tells an adapter-driven session that fd of connection c is ready
 * (revents as poll() sets them); ignored for a connection not its own. */
void rc_session_handle_io(rc_session *s, rc_conn *c, int fd, int revents);
/* Tells an adapter-driven session that connection c's timer fired. */
void rc_session_handle_timer(rc_session *s, rc_conn *c);
/* Closes every connection and frees the session; queued commands are
 * dropped without events.  NULL is a no-op.  Not from a callback. */
void rc_session_free(rc_session *s);

/* Adds a server and starts connecting to it; *server (may be NULL) gets its
 * index (0, 1, ... in the order added).  Returns 0 or what rc_conn_new_err
 * or rc_conn_start() said (RC_EINVAL, RC_ETOOLONG, RC_ENOMEM); on failure
 * no server is added. */
int rc_session_add(rc_session *s, const rc_conn_opts *opts, size_t *server);
/* Returns the number of servers added. */
size_t rc_session_count(const rc_session *s);
/* Returns a server's connection (for rc_conn_state, rc_conn_check,
 * rc_conn_get_stats); NULL for an index out of range.  Do not start, stop,
 * send on or free it. */
rc_conn *rc_session_conn(const rc_session *s, size_t server);

/* Queues cmd (copied) for server; *seq (may be NULL) gets its number.
 * Returns 0, or RC_EINVAL (no such server, cmd NULL), RC_ENOTREADY (the
 * server is down or finished: nothing queued), RC_ENOMEM. */
int rc_session_push(rc_session *s, size_t server, const char *cmd, void *tag, uint64_t *seq);
/* Says no more commands will be pushed: each server finishes when its queue
 * is done. */
void rc_session_end(rc_session *s);
/* Stops everything: on every server neither finished nor down, the command
 * in flight ends RC_ELOST (cause "interrupted"), or RC_ENOTSENT when it was
 * not written yet, the queue RC_ENOTSENT, then down RC_ECANCELED. */
void rc_session_interrupt(rc_session *s);
/* The same, with cause (static text, kept; NULL or "" = "interrupted") in
 * place of "interrupted" for what it ends: "output lost" when the replies
 * can no longer be written, say. */
void rc_session_interrupt_cause(rc_session *s, const char *cause);
/* Reconnects a server that is down (before rc_session_end); commands
 * pushed from then on go out once it is up (those queued when it went down
 * were failed RC_ENOTSENT).  Returns 0, RC_EINVAL (no such server,
 * it is not down, or rc_session_end or an interrupt came first: an
 * interrupt is final) or what rc_conn_start() said. */
int rc_session_restart(rc_session *s, size_t server);

/* Returns the commands of server queued and not yet handed to its
 * connection (0 for an index out of range). */
size_t rc_session_queued(const rc_session *s, size_t server);
/* Tells whether server is down (its connection ended), whether it is
 * finished, and whether every server is finished or down. */
bool rc_session_down(const rc_session *s, size_t server);
bool rc_session_server_finished(const rc_session *s, size_t server);
bool rc_session_finished(const rc_session *s);

/* Runs loop passes until rc_session_finished() (the caller's own fds and
 * timers on the loop keep being served).  Returns 0, RC_EIO, or RC_EINVAL
 * for an adapter-driven session. */
int rc_session_run(rc_session *s);

#ifdef __cplusplus
}
#endif
#endif
