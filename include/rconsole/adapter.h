/* adapter.h: drive rc_conn connections from any event loop (libuv, libevent,
 * GLib, a hand-written poll()).
 *
 * The style is hiredis's: the application hands the library a small table
 * of hooks and calls the library back when its loop sees something.  At any
 * time a connection needs at most one descriptor watched and one timer, so
 * the table has two hooks:
 *
 *   watch(ctx, c, fd, events)   watch fd for events (POLLIN and/or POLLOUT),
 *                               replacing any earlier watch of that fd;
 *                               events 0 stops watching fd.  Before a
 *                               connection watches a new descriptor it stops
 *                               watching the old one.
 *   timer(ctx, c, ms)           (re)arm the connection's one timer to fire in
 *                               ms milliseconds (0: on the next pass);
 *                               ms < 0 cancels it.  A connection that
 *                               closed a tunnel keeps it armed, even
 *                               idle, until the tunnel's child is reaped
 *                               (SIGKILL a second after SIGTERM).  Once
 *                               the connection is freed, a child still
 *                               running is killed and reaped on time by
 *                               a library thread (no hook, no call
 *                               needed; only if that thread cannot start
 *                               is it left to the next tunnel operation)
 *                               while the process lives: one that exits
 *                               within that second leaves it to init.
 *
 * When the watched fd is ready, call rc_conn_handle_io(c, fd, revents) with
 * poll()-style revents (POLLIN, POLLOUT, POLLERR, POLLHUP); when the timer
 * fires, call rc_conn_handle_timer(c).  Both are safe to call for an fd or
 * timer the connection has just given up (they are then ignored).  Hooks are
 * called only from inside rc_conn_* calls, never from another thread, and
 * never after rc_conn_free() returned: the application may free ctx then.
 *
 * Name lookups run on a helper thread that wakes the connection through a
 * pipe; that pipe is watched through the same hook, so the application sees
 * one descriptor at a time and needs nothing else.  rc_conn_new() is this
 * same driver plugged into rc_loop. */
#ifndef RCONSOLE_ADAPTER_H
#define RCONSOLE_ADAPTER_H

#include <stddef.h>
#include <stdint.h>
#include "rconsole/conn.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Growing without breaking callers: hooks are only ever appended, and
 * `size` says how much of the table the caller knows (set it to
 * sizeof(rc_adapter) as the caller compiled it).  The library takes any
 * size from that of this first layout (size, watch, timer) up, reads only
 * the hooks the size covers and treats the later ones as NULL; a smaller
 * size is refused like a missing hook. */
typedef struct rc_adapter {
	size_t size;   /* sizeof(rc_adapter) as the caller built it */
	void (*watch)(void *ctx, rc_conn *c, int fd, short events);
	void (*timer)(void *ctx, rc_conn *c, int64_t ms);
} rc_adapter;

/* Creates a connection in IDLE driven through ad (copied) with ctx passed to
 * every hook.  Returns NULL and sets *err (when err is not NULL): RC_EINVAL
 * for a missing hook, a size smaller than the first layout or invalid
 * options, RC_ETOOLONG for a password longer than the dialect allows,
 * RC_ENOMEM. */
rc_conn *rc_conn_new_adapter(const rc_adapter *ad, void *ctx, const rc_conn_opts *opts,
    rc_conn_cb cb, void *arg, int *err);

/* Tells the connection that fd is ready (revents as poll() sets them). */
void rc_conn_handle_io(rc_conn *c, int fd, int revents);
/* Tells the connection that its timer fired. */
void rc_conn_handle_timer(rc_conn *c);

#ifdef __cplusplus
}
#endif
#endif
