/* core.h: the I/O-free RCON connection core (DESIGN.md section 2).
 *
 * The core is the whole protocol state machine of one connection — login,
 * one command in flight, reply matching by id, reassembly with the sentinel
 * and the quiet-interval probe, at-most-once, the connect/auth/command
 * timeouts and the backoff decisions — and nothing else.  It makes no
 * socket, timer, clock or resolver call: a driver feeds it bytes, the
 * current time and the outcome of what it asked for, and takes out bytes to
 * write, events (through the callback) and the next deadline.  rc_conn
 * (conn.c) is the driver on a loop; the unit tests and the fuzz targets
 * drive it with byte strings and a fake clock.
 *
 * Driving it:
 *  - after every call, take core_actions() and do them in this order:
 *    CORE_ACT_RESET (drop the socket, the lookup and the address list),
 *    CORE_ACT_CLOSE (close the socket of the current attempt),
 *    CORE_ACT_RESOLVE (look core_host():core_port() up, then call
 *    core_resolved()), CORE_ACT_CONNECT (start a connect to the next address
 *    and call core_attempt_begin(), core_connected() or
 *    core_attempt_failed(); with no address left, core_no_address());
 *  - write what core_output() holds and report every byte with core_wrote()
 *    (a packet may go out in several writes; nothing else is handed out
 *    until it is all gone);
 *  - feed received bytes to core_input(), the end of the stream to
 *    core_eof(), a socket error to core_io_error();
 *  - call core_tick() when core_deadline() has come.
 * Times are CLOCK_MONOTONIC microseconds; a time earlier than one already
 * given is taken as the later one.
 *
 * Events reuse rc_event and follow rc_conn's rules (see rconsole/conn.h):
 * core_send() never calls back; core_free() from inside the callback is
 * deferred until the core returns; after any event that changed the
 * connection's life (core_epoch() moved), the core stops what it was doing. */
#ifndef RCONSOLE_CORE_H
#define RCONSOLE_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rconsole/conn.h"

struct core;

/* What the driver must do next (a bit set, see above). */
enum core_act {
	CORE_ACT_RESET = 1,
	CORE_ACT_CLOSE = 2,
	CORE_ACT_RESOLVE = 4,
	CORE_ACT_CONNECT = 8
};

/* Receives every event. */
typedef void (*core_cb)(struct core *k, const rc_event *ev, void *arg);

/* Returns how many bytes of o its caller knows (rconsole/conn.h): its
 * size, the first layout (up to n_allow) when size is 0, never more than
 * this library's structure.  Every reader of rc_conn_opts goes by it
 * (inline: the profile module uses it without linking the core). */
static inline size_t core_opts_known(const rc_conn_opts *o)
{
	size_t n = o->size ? o->size : offsetof(rc_conn_opts, stream);
	return n < sizeof *o ? n : sizeof *o;
}

/* Returns false when o's size ends inside the tunnel options, which were
 * appended as one group: such a size would drop a tunnel the caller set
 * and connect directly instead. */
static inline bool core_opts_size_ok(const rc_conn_opts *o)
{
	size_t n = o->size;
	size_t t0 = offsetof(rc_conn_opts, ssh);
	size_t t1 = offsetof(rc_conn_opts, proxy_command) + sizeof o->proxy_command;
	return n <= t0 || n >= t1;
}

/* Returns true when the caller's structure holds the field at off of len
 * bytes (offsetof and sizeof of the field), so it may be read or written. */
static inline bool core_opts_has(const rc_conn_opts *o, size_t off, size_t len)
{
	return off + len <= core_opts_known(o);
}

/* Creates a core in IDLE from opts (strings copied); seed drives the
 * backoff jitter.  Returns NULL and sets *err (RC_EINVAL, RC_ENOMEM). */
struct core *core_new(const rc_conn_opts *opts, core_cb cb, void *arg, uint64_t seed, int *err);
/* Frees the core (deferred when inside its callback); NULL is a no-op. */
void core_free(struct core *k);

/* Starts or restarts a session (as rc_conn_start). */
int core_start(struct core *k, int64_t now);
/* Ends the session and goes IDLE (as rc_conn_stop). */
void core_stop(struct core *k, int64_t now);
/* Queues a command (as rc_conn_send); never calls back. */
int core_send(struct core *k, int64_t now, const char *cmd, void *tag, uint64_t *id);
/* Checks a command's text (as rc_conn_check). */
int core_check(const struct core *k, const char *cmd);

/* Takes (and clears) the pending actions. */
unsigned core_actions(struct core *k);
/* Returns the pending actions without taking them. */
unsigned core_peek_actions(const struct core *k);
/* The lookup ended: err 0, or RC_ERESOLVE with a cause. */
void core_resolved(struct core *k, int64_t now, int err, const char *cause);
/* A connect to addr (text such as "[::1]:25575") is under way. */
void core_attempt_begin(struct core *k, int64_t now, const char *addr);
/* The connect to addr failed; the core asks for the next address. */
void core_attempt_failed(struct core *k, int64_t now, const char *addr, int err, const char *why);
/* No address is left to try: the session fails with the last reason. */
void core_no_address(struct core *k, int64_t now);
/* The connection is up: the login goes out. */
void core_connected(struct core *k, int64_t now);

/* Returns the bytes waiting to be written (len 0: none). */
const uint8_t *core_output(const struct core *k, size_t *len);
/* Reports n bytes of core_output() written. */
void core_wrote(struct core *k, int64_t now, size_t n);
/* Feeds bytes received from the server. */
void core_input(struct core *k, int64_t now, const uint8_t *data, size_t n);
/* The server closed the connection. */
void core_eof(struct core *k, int64_t now);
/* The socket failed (err such as RC_ECLOSED, cause such as "read: ..."). */
void core_io_error(struct core *k, int64_t now, int err, const char *cause);

/* Returns the earliest deadline, or 0 when none is armed. */
int64_t core_deadline(const struct core *k);
/* Runs whatever deadline has passed at now. */
void core_tick(struct core *k, int64_t now);

/* Returns a number that changes whenever the session's life changes. */
uint64_t core_epoch(const struct core *k);
rc_state core_state(const struct core *k);
int core_last_error(const struct core *k, const char **cause);
/* Returns when the next reconnect is due in BACKOFF, else 0. */
int64_t core_retry_at(const struct core *k);
size_t core_pending(const struct core *k);
const rc_conn_stats *core_stats(const struct core *k);
bool core_read_only(const struct core *k);
void core_set_read_only(struct core *k, bool on);
const char *core_host(const struct core *k);
const char *core_port(const struct core *k);
/* Returns the password ("" when none), for what must leave it out (the
 * tunnel child's environment). */
const char *core_password(const struct core *k);

#endif
