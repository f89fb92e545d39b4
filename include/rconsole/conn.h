/* conn.h: one RCON server connection — state machine, command queue,
 * reassembly of multi-packet replies, timeouts, reconnect and read-only gate.
 *
 * States:
 *   IDLE -> RESOLVING -> CONNECTING -> AUTHENTICATING -> READY <-> BUSY
 *   any failure -> BACKOFF -> RESOLVING      (when opts.reconnect is set)
 *   any failure -> FAILED                    (when it is not: one-shot use)
 *   wrong password -> AUTH_FAILED            (never retried by itself)
 *
 * Guarantees:
 *  - one command in flight; a packet is written only after the server showed
 *    it read every earlier one; one write() per packet;
 *  - a command is written at most once; if the connection drops after it was
 *    written and before its reply completed, its reply event has status
 *    RC_ELOST ("outcome unknown"); commands queued behind it get RC_ENOTSENT;
 *  - rc_conn_send() refuses at once (returns an error, no event) when the
 *    connection is not READY/BUSY, the command is too long or invalid, or the
 *    read-only policy forbids it;
 *  - replies are matched by request id; anything else is counted and dropped
 *    (an RC_EV_STRAY event reports it).
 *
 * Events: every state change is reported except READY <-> BUSY, which
 * happens on every command (read rc_conn_state() for it).  Events come from
 * the loop; rc_conn_send() never calls the callback.  rc_conn_start() and
 * rc_conn_stop() report their own state change (and the commands a stop
 * fails) before they return.  After `stop` was written, the server closing
 * the connection is reported as err RC_ESTOPPED ("server stopped"), and the
 * stop command's reply event has status 0 with whatever arrived; commands
 * queued behind `stop` are held, not written, and fail RC_ENOTSENT when the
 * server closes (should it still be there after the command timeout, it did
 * not stop, and they are written then).
 *
 * Ownership: rc_conn_new() copies every string in the options (the password is
 * wiped from memory on free).  Event pointers are valid only during the
 * callback.  rc_conn_free() may be called from inside the connection's own
 * callback; the memory is released once the callback returns. */
#ifndef RCONSOLE_CONN_H
#define RCONSOLE_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "rconsole/loop.h"
#include "rconsole/packet.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rc_conn rc_conn;

typedef enum rc_state {
	RC_STATE_IDLE = 0,       /* not started, or stopped by the caller */
	RC_STATE_RESOLVING,
	RC_STATE_CONNECTING,
	RC_STATE_AUTHENTICATING,
	RC_STATE_READY,          /* authenticated, nothing in flight */
	RC_STATE_BUSY,           /* authenticated, a command in flight */
	RC_STATE_BACKOFF,        /* waiting to reconnect */
	RC_STATE_AUTH_FAILED,    /* wrong password: terminal until rc_conn_start() */
	RC_STATE_FAILED          /* failure with reconnect off: terminal */
} rc_state;

typedef enum rc_dialect {
	RC_DIALECT_MINECRAFT = 0, /* commands <= 1446 bytes */
	RC_DIALECT_SOURCE         /* commands <= 4096 bytes */
} rc_dialect;
/* The longest command body dialect d sends (packet.h's limits). */
#define RC_DIALECT_BODY_MAX(d) \
	((d) == RC_DIALECT_SOURCE ? RC_SOURCE_BODY_MAX : RC_MC_BODY_MAX)

typedef enum rc_frag_mode {
	RC_FRAG_AUTO = 0,  /* sentinel only after a >= 4096-byte fragment or a quiet interval */
	RC_FRAG_SENTINEL,  /* always end a reply with the sentinel */
	RC_FRAG_NONE       /* the first fragment is the whole reply */
} rc_frag_mode;

/* Numeric fields left at 0 take the defaults below; quiet_ms < 0 turns the
 * quiet-interval probe off.  allow with n_allow 0 is read up to a NULL.
 *
 * Growing without breaking callers: new options are only ever appended, and
 * `size` says how much of the structure the caller knows.
 * rc_conn_opts_init() (inline, so it measures the caller's own structure)
 * sets it; the library takes the defaults for everything past it.  size 0
 * means this first layout, host to n_allow (no stream, no tunnel).  A
 * size ending inside the tunnel options (ssh to proxy_command, appended as
 * one group) is RC_EINVAL: a tunnel cut off by a wrong size never becomes
 * a direct connection.  A size
 * field rather than opaque setters: the options stay a plain struct that
 * callers fill by name and copy around, and an option a caller never heard
 * of still gets its default. */
typedef struct rc_conn_opts {
	size_t size;                  /* sizeof(rc_conn_opts) as the caller built it */
	const char *host;             /* name or address, no port */
	const char *port;             /* service or number; NULL = "25575" */
	const char *password;         /* may be "" */
	const char *name;             /* label for causes; NULL = host */
	rc_dialect dialect;
	rc_frag_mode fragments;
	int connect_timeout_ms;       /* per address attempt; default 5000 */
	int auth_timeout_ms;          /* default 5000 */
	int command_timeout_ms;       /* silence while a reply is incomplete;
	                                 default 10000 */
	int quiet_ms;                 /* auto mode: probe after this silence; default 1000 */
	size_t max_packet;            /* upper bound on a length field; default 1 MiB */
	size_t max_response;          /* upper bound on one reply; default 16 MiB */
	size_t max_queue;             /* commands queued behind the one in flight; default 1024 */
	bool reconnect;               /* reconnect with backoff; default true */
	int backoff_min_ms;           /* default 1000 */
	int backoff_max_ms;           /* default 60000 */
	int backoff_reset_ms;         /* READY this long resets backoff; default 60000 */
	bool read_only;
	const char *const *allow;     /* read-only allowlist; NULL = rc_policy_default */
	size_t n_allow;
	/* Appended after the first layout: */
	bool stream;                  /* deliver replies as RC_EV_FRAGMENT events as they
	                                 arrive and keep none of it: the RC_EV_REPLY that
	                                 ends a reply then has body "" and len 0 */
	/* Tunnel (appended; both NULL = direct TCP).  ssh: reach host:port as
	 * seen from this ssh destination by running
	 * `ssh -W host:port -o BatchMode=yes ssh_options... ssh`; proxy_command:
	 * run this command (%h host, %p port, %% a percent; split into words
	 * like OpenSSH's ProxyCommand, no shell) and talk RCON on its stdio.
	 * Setting both is RC_EINVAL.  The child's stream counts as connected at
	 * once: the auth timeout bounds it; its last stderr line is the cause of
	 * a failure, and an ssh authentication failure ends in AUTH_FAILED. */
	const char *ssh;
	const char *const *ssh_options; /* NULL-terminated, or n_ssh_options items */
	size_t n_ssh_options;
	const char *proxy_command;
} rc_conn_opts;

enum rc_event_type {
	RC_EV_STATE = 1, /* state changed */
	RC_EV_REPLY,     /* a command completed (answered, or failed after acceptance) */
	RC_EV_STRAY,     /* a packet nobody waited for was dropped */
	RC_EV_FRAGMENT   /* opts.stream: one packet of the reply in flight (cmd, tag, body,
	                    len: the packet's bytes, not NUL-terminated, possibly cutting a
	                    UTF-8 character; fragments: 1 for the first) */
};

/* Fields are only ever appended; `size` says how many bytes of this
 * structure the library filled (a field is there when its offsetof() is
 * below size). */
typedef struct rc_event {
	size_t size;
	enum rc_event_type type;
	/* RC_EV_STATE */
	rc_state state;
	rc_state prev;
	int err;             /* RC_E* reason for a failure state, else 0 */
	const char *cause;   /* human-readable detail, or NULL */
	int64_t retry_ms;    /* BACKOFF: delay before the next attempt */
	/* RC_EV_REPLY */
	uint64_t cmd;        /* id returned by rc_conn_send() */
	void *tag;           /* the caller's tag */
	int status;          /* 0 answered; RC_ELOST, RC_ENOTSENT, RC_ETIMEOUT, RC_ETOOBIG,
	                        RC_EREADONLY (queued before read-only was turned on) */
	const char *body;    /* raw reply bytes, NUL-terminated (status 0); RC_ELOST
	                        and RC_ETIMEOUT: the part of the reply that had come
	                        (it may end inside a UTF-8 character), or NULL when
	                        none had (always with opts.stream: the fragments
	                        carried it) */
	size_t len;
	unsigned fragments;  /* packets the reply came in */
	int64_t rtt_us;      /* write of the command to end of reply */
	/* RC_EV_STRAY (len is the dropped body's length; body is NULL) */
	int32_t stray_id;
	int32_t stray_type;
} rc_event;

typedef void (*rc_conn_cb)(rc_conn *c, const rc_event *ev, void *arg);

typedef struct rc_conn_stats {
	uint64_t strays;        /* packets dropped: unmatched id */
	uint64_t reconnects;    /* attempts after the first */
	uint64_t commands;      /* commands written */
	uint64_t sentinels;     /* sentinel packets written */
	uint64_t bytes_in;
	uint64_t bytes_out;
	int64_t last_rtt_us;    /* -1 before the first reply */
} rc_conn_stats;

/* Fills the first size bytes of opts with the defaults above (host NULL)
 * and sets opts->size; use rc_conn_opts_init(). */
void rc_conn_opts_init_size(rc_conn_opts *opts, size_t size);
/* Fills opts with the defaults above (host NULL). */
static inline void rc_conn_opts_init(rc_conn_opts *opts)
{
	rc_conn_opts_init_size(opts, sizeof *opts);
}

/* Creates a connection in IDLE on loop; returns NULL when out of memory or
 * opts are invalid.  cb receives every event. */
rc_conn *rc_conn_new(rc_loop *loop, const rc_conn_opts *opts, rc_conn_cb cb, void *arg);
/* The same, and on failure sets *err (when err is not NULL) to why:
 * RC_EINVAL (no loop or host, unknown dialect or fragment mode),
 * RC_ETOOLONG (password longer than one packet of the dialect), RC_ENOMEM. */
rc_conn *rc_conn_new_err(rc_loop *loop, const rc_conn_opts *opts, rc_conn_cb cb, void *arg,
    int *err);
/* Closes and frees; queued commands are dropped without events. NULL is a no-op. */
void rc_conn_free(rc_conn *c);

/* Starts (or restarts, from IDLE, FAILED, AUTH_FAILED or BACKOFF) connecting. */
int rc_conn_start(rc_conn *c);
/* Disconnects and goes IDLE; an in-flight command gets RC_ELOST, queued ones RC_ENOTSENT. */
void rc_conn_stop(rc_conn *c);

/* Queues cmd (NUL-terminated, without the leading '/' handling: sent as is).
 * Returns 0 and sets *id, or refuses at once: RC_ENOTREADY, RC_ETOOLONG,
 * RC_EINVAL (NUL/CR/LF or empty), RC_EREADONLY, RC_EFULL. */
int rc_conn_send(rc_conn *c, const char *cmd, void *tag, uint64_t *id);

/* Checks, without sending, whether rc_conn_send() would accept cmd's text. */
int rc_conn_check(const rc_conn *c, const char *cmd);

rc_state rc_conn_state(const rc_conn *c);
/* Returns the last failure code and cause (cause valid until the next event). */
int rc_conn_last_error(const rc_conn *c, const char **cause);
/* Returns ms until the next reconnect attempt in BACKOFF, else -1. */
int64_t rc_conn_retry_in_ms(const rc_conn *c);
/* Returns the number of commands queued or in flight. */
size_t rc_conn_pending(const rc_conn *c);
/* Returns the counters (owned by c, valid until it is freed); for NULL,
 * or c freed from inside its own callback, counters of zero. */
const rc_conn_stats *rc_conn_get_stats(const rc_conn *c);
bool rc_conn_read_only(const rc_conn *c);
/* Sets read-only (it can only be turned on: false is ignored). */
void rc_conn_set_read_only(rc_conn *c, bool on);

/* Returns a lowercase name such as "ready" or "auth failed". */
const char *rc_state_name(rc_state s);

#ifdef __cplusplus
}
#endif
#endif
