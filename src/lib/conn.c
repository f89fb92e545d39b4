/* conn.c: rc_conn, the driver that runs one I/O-free connection core
 * (core.c) on an event loop: the public calls, the sync step after every
 * entry, the adapter hooks (adapter.h) and the adapter for our own rc_loop.
 * Resolving, connecting and the socket's reads and writes are in conn-io.c;
 * conn-internal.h states the re-entrancy rules.
 *
 * Everything DESIGN.md section 2 promises (one write per packet, one
 * command in flight, the sentinel and quiet probe, id matching, at most
 * once, timeouts, backoff) is decided by the core; the driver does what the
 * core asks and reports what happened, in the order core.h prescribes. */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rconsole/error.h"
#include "rconsole/packet.h"
#include "conn-internal.h"
#include "loop-int.h"

/* Forwards a core event to the caller with the connection as its handle. */
static void conn_on_core(struct core *k, const rc_event *ev, void *arg)
{
	struct rc_conn *c = arg;
	if (!c->dead && c->cb)
		c->cb(c, ev, c->arg);
}

/* The first published rc_adapter (size, watch, timer): the smallest table
 * taken, however far the table has grown since, because a caller built
 * against it passes this size for as long as it runs (adapter.h). */
#define ADAPTER_FIRST_SIZE (offsetof(rc_adapter, timer) + sizeof ((rc_adapter *)0)->timer)

/* Copies the part of ad its size covers; false for a table refused. */
bool conn_adapter_copy(rc_adapter *dst, const rc_adapter *ad)
{
	if (!ad || ad->size < ADAPTER_FIRST_SIZE)
		return false;
	memset(dst, 0, sizeof *dst);
	memcpy(dst, ad, ad->size < sizeof *dst ? ad->size : sizeof *dst);
	dst->size = sizeof *dst;
	return dst->watch && dst->timer;
}

/* Creates a connection driven through an adapter. */
rc_conn *rc_conn_new_adapter(const rc_adapter *ad, void *ctx, const rc_conn_opts *o,
    rc_conn_cb cb, void *arg, int *err)
{
	rc_adapter copy;
	if (!conn_adapter_copy(&copy, ad) || !o) {
		if (err)
			*err = RC_EINVAL;
		return NULL;
	}
	struct rc_conn *c = calloc(1, sizeof *c);
	if (!c) {
		if (err)
			*err = RC_ENOMEM;
		return NULL;
	}
	c->ad = copy;
	c->ctx = ctx;
	c->cb = cb;
	c->arg = arg;
	c->fd = c->res_fd = c->w_fd = -1;
	c->tun.err_fd = -1;
	int terr = core_opts_has(o, offsetof(rc_conn_opts, proxy_command), sizeof o->proxy_command) ?
	    tunnel_cfg_init(&c->tc, o->ssh, o->ssh_options, o->n_ssh_options, o->proxy_command) : 0;
	if (terr < 0) {
		if (err)
			*err = terr;
		free(c);
		return NULL;
	}
	uint64_t seed = (uint64_t)rc_now_us() ^ (uint64_t)(uintptr_t)c;
	c->k = core_new(o, conn_on_core, c, seed, err);
	if (!c->k) {
		tunnel_cfg_free(&c->tc);
		free(c);
		return NULL;
	}
	return c;
}

/* rc_loop adapter: io callback, inside the owner's hooks. */
static void conn_loop_io(rc_loop *loop, int fd, int revents, void *arg)
{
	struct rc_conn *c = arg;
	struct conn_entry_hooks h = c->hooks;
	if (h.enter)
		h.enter(h.arg);
	rc_conn_handle_io(c, fd, revents);
	if (h.leave)
		h.leave(h.arg);
}

/* rc_loop adapter: timer callback, inside the owner's hooks. */
static int64_t conn_loop_timer(rc_loop *loop, void *arg)
{
	struct rc_conn *c = arg;
	struct conn_entry_hooks h = c->hooks;
	c->loop_timer = 0;
	if (h.enter)
		h.enter(h.arg);
	rc_conn_handle_timer(c);
	if (h.leave)
		h.leave(h.arg);
	return RC_TIMER_DONE;
}

/* rc_loop adapter: watch hook. */
static void conn_loop_watch(void *ctx, rc_conn *c, int fd, short events)
{
	if (events)
		rc_loop_add_fd(c->loop, fd, events, conn_loop_io, c);
	else
		rc_loop_del_fd(c->loop, fd);
}

/* rc_loop adapter: timer hook.  Armed for the deadline itself (c->t_at,
 * which conn_sync_timer set before calling), not for now + ms: no second
 * clock read.  A deadline ahead is rounded up to the loop's millisecond
 * (never early); one due now (ms 0) rounds down, so it fires at once. */
static void conn_loop_arm(void *ctx, rc_conn *c, int64_t ms)
{
	rc_loop_del_timer(c->loop, c->loop_timer);
	c->loop_timer = ms < 0 ? 0 : loop_add_timer_at(c->loop,
	    ms == 0 ? c->t_at / 1000 : (c->t_at + 999) / 1000, conn_loop_timer, c);
}

static const rc_adapter conn_loop_adapter = {
	sizeof(rc_adapter), conn_loop_watch, conn_loop_arm,
};

/* Creates a connection on rc_loop with an owner's entry hooks. */
rc_conn *conn_new_loop(rc_loop *loop, const rc_conn_opts *o, rc_conn_cb cb, void *arg,
    const struct conn_entry_hooks *hooks, int *err)
{
	if (!loop) {
		if (err)
			*err = RC_EINVAL;
		return NULL;
	}
	rc_conn *c = rc_conn_new_adapter(&conn_loop_adapter, NULL, o, cb, arg, err);
	if (!c)
		return NULL;
	c->loop = loop;
	loop_hold(loop);
	if (hooks)
		c->hooks = *hooks;
	/* A tunnel's child is reaped when it ends, from the loop. */
	if (tunnel_cfg_on(&c->tc))
		rc_loop_watch_signal(loop, SIGCHLD, tunnel_on_sigchld, NULL);
	return c;
}

/* Creates a connection on rc_loop, saying why when it cannot. */
rc_conn *rc_conn_new_err(rc_loop *loop, const rc_conn_opts *o, rc_conn_cb cb, void *arg,
    int *err)
{
	return conn_new_loop(loop, o, cb, arg, NULL, err);
}

/* Returns c's callback argument when its callback is cb. */
void *conn_owner(const rc_conn *c, rc_conn_cb cb)
{
	return c && !c->dead && c->cb == cb ? c->arg : NULL;
}

/* Creates a connection on rc_loop. */
rc_conn *rc_conn_new(rc_loop *loop, const rc_conn_opts *o, rc_conn_cb cb, void *arg)
{
	return rc_conn_new_err(loop, o, cb, arg, NULL);
}

/* Marks an entry point. */
void conn_enter(struct rc_conn *c)
{
	c->depth++;
}

/* Tells the adapter which descriptor and events to watch. */
static void conn_sync_watch(struct rc_conn *c)
{
	int fd = -1;
	short ev = 0;
	if (c->res && c->res_fd >= 0) {
		fd = c->res_fd;
		ev = POLLIN;
	} else if (c->tun_end && c->tun.err_fd >= 0 && !c->tun.err_eof) {
		fd = c->tun.err_fd;     /* the stream is over: the child's last words */
		ev = POLLIN;
	} else if (c->fd >= 0) {
		fd = c->fd;
		if (core_state(c->k) == RC_STATE_CONNECTING) {
			ev = POLLOUT;
		} else {
			size_t n;
			core_output(c->k, &n);
			ev = (short)(POLLIN | (n && c->wblock && !c->defer ? POLLOUT : 0));
		}
	}
	if (fd != c->w_fd && c->w_fd >= 0)
		c->ad.watch(c->ctx, c, c->w_fd, 0);
	if (fd >= 0 && (fd != c->w_fd || ev != c->w_events))
		c->ad.watch(c->ctx, c, fd, ev);
	c->w_fd = fd;
	c->w_events = fd >= 0 ? ev : 0;
}

/* Arms the adapter's timer for the nearest thing to do: a deferred failure,
 * a ready lookup or actions left over by the sync step at once, else the core's deadline, the end of the
 * wait for a tunnel's last words or what a closed tunnel's child needs
 * next (SIGKILL, reap), whichever comes first.  now is the clock when the
 * caller has just read it, else 0: then it is read only if needed (a
 * reply that leaves nothing armed needs none). */
static void conn_sync_timer(struct rc_conn *c, int64_t now)
{
	int64_t at = core_deadline(c->k);
	if (c->tun_end && (!at || c->tun_end_at < at))
		at = c->tun_end_at;
	if (c->tun_kill) {
		int64_t due = tunnel_due_of(c) * 1000;
		c->tun_kill = due != 0;
		if (due && (!at || due < at))
			at = due;
	}
	if (c->defer || c->again || (c->res && c->res_fd < 0))
		at = now ? now : (now = rc_now_us());
	if (at == c->t_at)
		return;
	c->t_at = at;
	if (!at) {
		c->ad.timer(c->ctx, c, -1);
		return;
	}
	if (!now)
		now = rc_now_us();
	int64_t ms = at > now ? (at - now + 999) / 1000 : 0;
	c->ad.timer(c->ctx, c, ms);
}

/* Rounds of core actions one sync step does at most (each failed address
 * is one): the rest waits for the next pass, so one connection cannot hold
 * the loop. */
enum { CONN_SYNC_ROUNDS = 64 };

/* Does what the core asked for, writes what it has to write, and brings the
 * adapter's watch and timer up to date. */
static void conn_sync(struct rc_conn *c)
{
	for (int round = 0; round < CONN_SYNC_ROUNDS && !c->dead; round++) {
		unsigned a = core_actions(c->k);
		if (!a)
			break;
		if (a & CORE_ACT_RESET) {
			conn_io_reset(c);
			c->defer = false;
		}
		if (a & CORE_ACT_CLOSE)
			conn_io_close(c);
		if (a & CORE_ACT_RESOLVE)
			conn_io_resolve(c);
		if (a & CORE_ACT_CONNECT)
			conn_io_connect_next(c);
	}
	if (c->dead)
		return;
	c->again = core_peek_actions(c->k) != 0;
	int64_t wrote = conn_io_flush(c);   /* (a write reads the clock) */
	if (c->dead)
		return;
	conn_sync_watch(c);
	conn_sync_timer(c, wrote);
}

/* Frees the driver (the core is already freed). */
static void conn_destroy(struct rc_conn *c)
{
	tunnel_cfg_free(&c->tc);
	free(c);
}

/* Leaves an entry point. */
void conn_leave(struct rc_conn *c)
{
	if (c->depth == 1 && !c->dead)
		conn_sync(c);
	if (--c->depth == 0 && c->dead)
		conn_destroy(c);
}

/* The adapter says fd is ready. */
void rc_conn_handle_io(rc_conn *c, int fd, int revents)
{
	if (!c || c->dead || fd < 0)
		return;
	conn_enter(c);
	if (c->res && fd == c->res_fd) {
		conn_io_resolved(c);
	} else if (c->tun_end && fd == c->tun.err_fd) {
		conn_io_tunnel_drain(c);
	} else if (fd == c->fd && !c->tun_end) {
		/* (while the tunnel's end is awaited the socket is given up: an
		 * event an adapter had queued for it is ignored) */
		if (core_state(c->k) == RC_STATE_CONNECTING) {
			if (revents & (POLLOUT | POLLERR | POLLHUP))
				conn_io_connect_done(c);
		} else {
			if (revents & (POLLOUT | POLLERR | POLLHUP))
				c->wblock = false;
			if (revents & (POLLIN | POLLHUP | POLLERR))
				conn_io_read(c);
		}
	}
	conn_leave(c);
}

/* The adapter's timer fired. */
void rc_conn_handle_timer(rc_conn *c)
{
	if (!c || c->dead)
		return;
	conn_enter(c);
	int64_t now = rc_now_us();
	/* A timer may fire up to a millisecond early on a coarse clock: it
	 * counts as its own deadline. */
	if (c->t_at > now)
		now = c->t_at;
	c->t_at = 0;
	c->again = false;   /* the leave's sync goes on with what was left */
	if (c->tun_kill)
		tunnel_reap_all();   /* SIGKILL or reap a closed tunnel's child on time */
	if (c->defer) {
		c->defer = false;
		if (c->tun.pid)
			conn_io_tunnel_end(c, c->defer_err, c->defer_cause);
		else
			core_io_error(c->k, now, c->defer_err, c->defer_cause);
	} else if (c->res && c->res_fd < 0) {
		conn_io_resolved(c);
	} else if (c->tun_end && now >= c->tun_end_at) {
		conn_io_tunnel_finish(c);
	} else {
		core_tick(c->k, now);
	}
	conn_leave(c);
}

/* Closes and frees (deferred when called from the connection's callback);
 * the adapter hears its last hook call before this returns. */
void rc_conn_free(rc_conn *c)
{
	if (!c || c->dead)
		return;
	c->dead = true;
	conn_io_reset(c);
	/* A child still pending goes to the reaper thread (no timer of the
	 * adapter's may fire for a freed connection). */
	tunnel_disown(c);
	c->tun_kill = false;
	if (c->w_fd >= 0)
		c->ad.watch(c->ctx, c, c->w_fd, 0);
	c->w_fd = -1;
	if (c->t_at)
		c->ad.timer(c->ctx, c, -1);
	c->t_at = 0;
	if (c->loop && c->loop_timer) {
		rc_loop_del_timer(c->loop, c->loop_timer);
		c->loop_timer = 0;
	}
	if (c->loop)
		loop_release(c->loop);   /* its last call on the loop was above */
	c->loop = NULL;
	core_free(c->k);
	c->k = NULL;
	if (c->depth == 0)
		conn_destroy(c);
}

/* Starts (or restarts) connecting. */
int rc_conn_start(rc_conn *c)
{
	if (!c || c->dead)
		return RC_EINVAL;
	conn_enter(c);
	int rc = core_start(c->k, rc_now_us());
	conn_leave(c);
	return rc;
}

/* Disconnects and goes IDLE. */
void rc_conn_stop(rc_conn *c)
{
	if (!c || c->dead)
		return;
	conn_enter(c);
	core_stop(c->k, rc_now_us());
	conn_leave(c);
}

/* Checks, without sending, whether rc_conn_send() would accept cmd. */
int rc_conn_check(const rc_conn *c, const char *cmd)
{
	if (!c || c->dead)
		return RC_EINVAL;
	return core_check(c->k, cmd);
}

/* Queues cmd behind the one in flight, or writes it at once when idle. */
int rc_conn_send(rc_conn *c, const char *cmd, void *tag, uint64_t *id)
{
	if (!c || c->dead || !cmd)
		return RC_EINVAL;
	conn_enter(c);
	int rc = core_send(c->k, rc_now_us(), cmd, tag, id);
	conn_leave(c);
	return rc;
}

/* Returns the state. */
rc_state rc_conn_state(const rc_conn *c)
{
	return c && !c->dead ? core_state(c->k) : RC_STATE_IDLE;
}

/* Returns the last failure code and cause. */
int rc_conn_last_error(const rc_conn *c, const char **cause)
{
	if (!c || c->dead) {
		if (cause)
			*cause = NULL;
		return RC_EINVAL;
	}
	return core_last_error(c->k, cause);
}

/* Returns ms until the next reconnect attempt in BACKOFF, else -1. */
int64_t rc_conn_retry_in_ms(const rc_conn *c)
{
	int64_t at = c && !c->dead ? core_retry_at(c->k) : 0;
	if (!at)
		return -1;
	int64_t d = (at - rc_now_us()) / 1000;
	return d < 0 ? 0 : d;
}

/* Returns the number of commands queued or in flight. */
size_t rc_conn_pending(const rc_conn *c)
{
	return c && !c->dead ? core_pending(c->k) : 0;
}

/* Returns the counters; none (zeros, no round trip yet) for NULL or a
 * connection freed from inside its callback, as the other queries answer. */
const rc_conn_stats *rc_conn_get_stats(const rc_conn *c)
{
	static const rc_conn_stats none = { .last_rtt_us = -1 };
	return c && !c->dead ? core_stats(c->k) : &none;
}

/* Returns whether the read-only policy is on. */
bool rc_conn_read_only(const rc_conn *c)
{
	return c && !c->dead && core_read_only(c->k);
}

/* Turns read-only on (never off). */
void rc_conn_set_read_only(rc_conn *c, bool on)
{
	if (c && !c->dead)
		core_set_read_only(c->k, on);
}
