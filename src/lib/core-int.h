/* core-int.h: the core structure and the calls shared by core.c (life,
 * state machine, login, backoff, framing) and core-reasm.c (commands on the
 * wire: queue, reply matching, reassembly, sentinel).  Private to them.
 *
 * Re-entrancy rules every function here keeps:
 *  - the caller's callback runs only through core_emit();
 *  - core_emit() returns false when the callback freed the core or changed
 *    its life (stop, start, failure): the caller then returns at once and
 *    touches nothing computed before the call;
 *  - every public entry brackets its work with core_enter()/core_leave(),
 *    which frees a core that core_free() marked from inside a callback. */
#ifndef RCONSOLE_CORE_INT_H
#define RCONSOLE_CORE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rconsole/conn.h"
#include "rconsole/packet.h"
#include "core.h"

/* Wire type of the end-of-reply sentinel in the minecraft dialect: vanilla
 * answers an unknown type with "Unknown request 64" (PROTOCOL.md). */
#define CORE_SENTINEL_TYPE 100
/* AUTO mode: a fragment at least this long may be followed by more. */
#define CORE_FRAG_FULL 4096
/* Source caps a whole packet at 4096 bytes, so its full fragments carry a
 * little less body; this bound catches them (one extra probe at worst). */
#define CORE_FRAG_FULL_SOURCE (4096 - RC_PKT_OVERHEAD)

/* The output buffer is kept between packets up to this size: the login
 * and everyday commands fit, so they allocate nothing per packet. */
#define CORE_OBUF_KEEP 256

/* A finished command's block is kept for the next command when its text
 * has room for at most this many bytes; new blocks have room for at least
 * CORE_CMD_MIN (the list command and the health polls fit), so a refresh a
 * second allocates and frees nothing per command. */
#define CORE_CMD_KEEP 256
#define CORE_CMD_MIN 48
/* The reply buffer is kept between replies up to this size (core-reasm.c). */
#define CORE_RBUF_KEEP 512

/* What the packet in the output buffer is, for the write-completion hook. */
enum core_out { CORE_OUT_NONE, CORE_OUT_AUTH, CORE_OUT_CMD, CORE_OUT_SENTINEL };

struct policy_pat;

/* One accepted command. */
struct core_cmd {
	struct core_cmd *next;
	uint64_t id;          /* the caller's handle */
	void *tag;
	int32_t req;          /* wire request id once written */
	bool written;         /* at least one byte was handed to the socket */
	bool is_stop;         /* rc_mc_is_stop() */
	bool ro_checked;      /* passed the read-only policy when it was accepted */
	int64_t sent_us;      /* when its write started (0: not written) */
	size_t len;
	size_t cap;           /* room in text, not counting the terminating 0 */
	char text[];
};

struct core {
	core_cb cb;
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
	char **allow;         /* the caller's allowlist copied (NULL: the default) */
	size_t n_allow;
	/* The allowlist in force, parsed once (policy-int.h): the default's
	 * static table, or own_pats, parsed from allow. */
	const struct policy_pat *pats;
	size_t n_pats;
	struct policy_pat *own_pats;

	/* Life. */
	int64_t now;          /* the latest time a driver gave */
	rc_state state;
	int err;
	char cause[256];
	uint64_t epoch;       /* bumped by every change of life (see above) */
	int depth;            /* entry points on the stack */
	bool dead;            /* core_free() was called */
	bool begun;           /* a session was started before (for stats) */
	unsigned actions;     /* enum core_act bits for the driver */

	/* Connecting. */
	char addr[64];        /* the current attempt's address */
	char attempts[192];   /* why earlier addresses failed */
	int attempt_err;

	/* Deadlines (0: not armed): connect/auth/command, quiet probe. */
	int64_t t_deadline, t_quiet;

	/* Backoff. */
	unsigned attempt;
	int64_t retry_at;     /* BACKOFF: when the next attempt starts */
	int64_t ready_since;
	uint64_t rng;

	/* Request ids. */
	int32_t next_req;
	int32_t auth_req;
	/* The first packet the login got that was no answer to it (for the
	 * auth timeout's cause): odd_n 0 when none came. */
	unsigned auth_odd_n;
	int32_t auth_odd_id, auth_odd_type;
	size_t auth_odd_len;

	/* A finished command's block, wiped, for the next one (core_cmd_done),
	 * or NULL. */
	struct core_cmd *spare;

	/* Output: at most one packet, ever (one write per packet). */
	uint8_t *obuf;        /* the packet being written; wiped once written and
	                         kept for the next one while it is at most
	                         CORE_OBUF_KEEP bytes (a larger one is freed, and
	                         so is any at teardown: 4 KiB a server otherwise) */
	size_t ocap;          /* obuf's size */
	size_t olen, ooff;
	enum core_out owhat;
	int32_t oreq;         /* its request id */

	/* Input: the unconsumed tail of a partly received packet. */
	uint8_t *ibuf;
	size_t ilen, icap;

	/* Commands. */
	struct core_cmd *cur;             /* in flight */
	struct core_cmd *qhead, *qtail;   /* queued behind it */
	size_t nq;
	uint64_t next_cmd;
	bool stopping;                    /* a "stop" was written in this session */
	uint64_t cmd_in_mark;             /* st.bytes_in when the one in flight began */

	/* Reply being reassembled (raw bytes).  Between replies the buffer is
	 * kept while it is at most CORE_RBUF_KEEP bytes (a `list` reply's),
	 * else freed: an idle connection holds no large reply buffer. */
	uint8_t *rbuf;
	size_t rlen, rcap;
	unsigned frags;
	bool stream;            /* opts.stream: fragments handed out, none kept */
	size_t rtotal;          /* stream: bytes of the reply so far */
	bool sentinel_out;
	int32_t sentinel_req;
	int32_t trailer_req;              /* source: one more answer expected */

	rc_conn_stats st;
};

/* Runs the caller's callback; false when the core is gone or changed. */
bool core_emit(struct core *k, rc_event *ev);
/* Counts and reports a packet nobody waited for. */
bool core_stray(struct core *k, const rc_packet *p);
/* Returns true when the read-only policy lets cmd through (always when
 * read-only is off). */
bool core_policy_allows(const struct core *k, const char *cmd);
/* Returns the next request id (never 0 or -1). */
int32_t core_next_req(struct core *k);
/* Fails the session (see core.c). */
void core_fail(struct core *k, int err, const char *cause, int cur_status);
/* Puts one packet in the output buffer; RC_EINVAL when one is waiting. */
int core_put_packet(struct core *k, int32_t id, int32_t type, const void *body, size_t len,
    enum core_out what);
/* Frees a command list without events. */
void core_cmds_free(struct core_cmd *list);
/* Frees one finished command, or wipes it and keeps it as k's spare block
 * for the next core_send (when k has none and it is at most CORE_CMD_KEEP). */
void core_cmd_done(struct core *k, struct core_cmd *q);

/* Writes the next queued command when nothing is in flight; false when the
 * core changed. */
bool core_reasm_pump(struct core *k);
/* Handles a packet received while READY or BUSY. */
bool core_reasm_packet(struct core *k, const rc_packet *p);
/* Hook: the packet in the output buffer was completely written. */
void core_reasm_written(struct core *k, enum core_out what);
/* Drops the reply state of the in-flight command (on teardown). */
void core_reasm_reset(struct core *k);
/* Returns the reply so far, NUL-terminated ("" when nothing arrived). */
const char *core_reasm_body(struct core *k);
/* Returns true when cmd's first word is "stop" (optional '/', any case). */
/* The quiet interval passed with nothing received: probes. */
void core_reasm_quiet(struct core *k);

#endif
