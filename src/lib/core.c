/* core.c: the I/O-free connection core — life, state machine, connect
 * attempts, login, failures, backoff, deadlines and framing (DESIGN.md
 * section 2).  core.h says how a driver runs it; the commands themselves
 * (queue, reply matching, reassembly, sentinel) are in core-reasm.c.
 *
 * A wrong password (reply id -1) is terminal: a client that retries it in a
 * loop fills the server log and trips fail2ban-style rules.  Every other
 * failure goes to BACKOFF (or FAILED when reconnecting is off).
 *
 * Input is decoded strictly (10 <= length <= max_packet, two trailing NULs)
 * straight from the caller's buffer; only the tail of a packet that is not
 * complete yet is copied, into a buffer released as soon as it is empty, so
 * an idle connection holds none. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rconsole/error.h"
#include "rconsole/mc.h"
#include "core-int.h"
#include "policy-int.h"

static const char *const core_state_names[] = {
	[RC_STATE_IDLE] = "idle",
	[RC_STATE_RESOLVING] = "resolving",
	[RC_STATE_CONNECTING] = "connecting",
	[RC_STATE_AUTHENTICATING] = "authenticating",
	[RC_STATE_READY] = "ready",
	[RC_STATE_BUSY] = "busy",
	[RC_STATE_BACKOFF] = "waiting to reconnect",
	[RC_STATE_AUTH_FAILED] = "auth failed",
	[RC_STATE_FAILED] = "failed",
};

/* Returns a lowercase name for a state. */
const char *rc_state_name(rc_state s)
{
	if ((unsigned)s >= sizeof core_state_names / sizeof core_state_names[0])
		return "unknown";
	return core_state_names[s];
}

/* The documented defaults (rconsole/conn.h), the one place they are
 * written: rc_conn_opts_init() hands them out and core_new() gives them to
 * every field a caller left at 0. */
static const rc_conn_opts core_defaults = {
	.size = sizeof(rc_conn_opts),
	.dialect = RC_DIALECT_MINECRAFT,
	.fragments = RC_FRAG_AUTO,
	.connect_timeout_ms = 5000,
	.auth_timeout_ms = 5000,
	.command_timeout_ms = 10000,
	.quiet_ms = 1000,
	.max_packet = RC_PKT_DEFAULT_MAX,
	.max_response = 16 * 1024 * 1024,
	.max_queue = 1024,
	.reconnect = true,
	.backoff_min_ms = 1000,
	.backoff_max_ms = 60000,
	.backoff_reset_ms = 60000,
};

/* Fills the part of the caller's options it knows with the defaults. */
void rc_conn_opts_init_size(rc_conn_opts *o, size_t size)
{
	if (!o || size < sizeof o->size)
		return;
	const rc_conn_opts *d = &core_defaults;
	memcpy(o, d, size < sizeof *d ? size : sizeof *d);
	if (size > sizeof *d)
		memset((char *)o + sizeof *d, 0, size - sizeof *d);
	o->size = size;
}

/* Returns v when positive, else the default d. */
static int core_pick(int v, int d)
{
	return v > 0 ? v : d;
}

/* Copies the allowlist (n == 0 means NULL-terminated) and parses it once:
 * every command is matched against the parsed entries. */
static int core_copy_allow(struct core *k, const char *const *allow, size_t n)
{
	if (!allow) {
		k->pats = policy_default_pats(&k->n_pats);
		return 0;
	}
	if (n == 0)
		while (allow[n])
			n++;
	k->allow = calloc(n + 1, sizeof *k->allow);
	if (!k->allow)
		return RC_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		k->allow[i] = strdup(allow[i] ? allow[i] : "");
		if (!k->allow[i])
			return RC_ENOMEM;
	}
	k->n_allow = n;
	if (policy_compile((const char *const *)k->allow, n, &k->own_pats, &k->n_pats) < 0)
		return RC_ENOMEM;
	k->pats = k->own_pats;
	return 0;
}

/* Returns true when the read-only policy lets cmd through.  The Source
 * console ends a command at every ';' (outside quotes), so there a ';'
 * would carry a second command past the allowlist ("help x;quit" matches
 * "help ?"): a read-only Source connection refuses any ';'.  Minecraft has
 * no such separator. */
bool core_policy_allows(const struct core *k, const char *cmd)
{
	if (!k->read_only)
		return true;
	if (k->dialect == RC_DIALECT_SOURCE && strchr(cmd, ';'))
		return false;
	return policy_allows_pats(k->pats, k->n_pats, cmd);
}

/* Frees a command list without events. */
void core_cmds_free(struct core_cmd *q)
{
	while (q) {
		struct core_cmd *next = q->next;
		explicit_bzero(q->text, q->len);
		free(q);
		q = next;
	}
}

/* Frees one finished command, or keeps its wiped block as k's spare. */
void core_cmd_done(struct core *k, struct core_cmd *q)
{
	if (k->spare || q->cap > CORE_CMD_KEEP) {
		core_cmds_free(q);
		return;
	}
	explicit_bzero(q->text, q->len);
	q->next = NULL;
	k->spare = q;
}

/* Returns a command block with room for len bytes of text and all else
 * zero: k's spare when it has the room, else a new one. */
static struct core_cmd *core_cmd_new(struct core *k, size_t len)
{
	struct core_cmd *q = k->spare;
	if (q && q->cap >= len) {
		k->spare = NULL;
		size_t cap = q->cap;
		memset(q, 0, sizeof *q);
		q->cap = cap;
		return q;
	}
	size_t cap = len < CORE_CMD_MIN ? CORE_CMD_MIN : len;
	q = calloc(1, sizeof *q + cap + 1);
	if (q)
		q->cap = cap;
	return q;
}

#define CORE_OBUF_MAX (RC_SOURCE_BODY_MAX + RC_PKT_OVERHEAD)

/* Wipes the output packet (the login holds the password, a command may
 * hold one too) and forgets it; the buffer is kept for the next packet
 * when keep is set and it is small, else freed. */
static void core_obuf_drop(struct core *k, bool keep)
{
	if (k->obuf) {
		explicit_bzero(k->obuf, k->olen);
		if (!keep || k->ocap > CORE_OBUF_KEEP) {
			free(k->obuf);
			k->obuf = NULL;
			k->ocap = 0;
		}
	}
	k->olen = k->ooff = 0;
}

/* Frees everything the core owns; the password and the login packet are
 * wiped first. */
static void core_destroy(struct core *k)
{
	core_cmds_free(k->cur);
	core_cmds_free(k->qhead);
	free(k->spare);   /* (wiped when it became the spare) */
	if (k->password) {
		explicit_bzero(k->password, strlen(k->password));
		free(k->password);
	}
	core_obuf_drop(k, false);
	free(k->own_pats);
	for (size_t i = 0; k->allow && i < k->n_allow; i++)
		free(k->allow[i]);
	free(k->allow);
	free(k->host);
	free(k->port);
	free(k->name);
	free(k->ibuf);
	free(k->rbuf);
	free(k);
}

/* Returns NULL with *err set (when err is not NULL). */
static struct core *core_refuse(int *err, int code)
{
	if (err)
		*err = code;
	return NULL;
}

/* Creates a core in IDLE.  Options past the caller's size (older callers)
 * take their defaults; options past ours (newer callers) are not known. */
struct core *core_new(const rc_conn_opts *opts, core_cb cb, void *arg, uint64_t seed, int *err)
{
	if (!opts || !core_opts_size_ok(opts))
		return core_refuse(err, RC_EINVAL);
	const rc_conn_opts *d = &core_defaults;
	rc_conn_opts full = *d;
	memcpy(&full, opts, core_opts_known(opts));
	const rc_conn_opts *o = &full;
	if (!o->host || !o->host[0])
		return core_refuse(err, RC_EINVAL);
	if (o->dialect != RC_DIALECT_MINECRAFT && o->dialect != RC_DIALECT_SOURCE)
		return core_refuse(err, RC_EINVAL);
	if (o->fragments != RC_FRAG_AUTO && o->fragments != RC_FRAG_SENTINEL &&
	    o->fragments != RC_FRAG_NONE)
		return core_refuse(err, RC_EINVAL);
	const char *pw = o->password ? o->password : "";
	size_t body_max = RC_DIALECT_BODY_MAX(o->dialect);
	if (strlen(pw) > body_max)
		return core_refuse(err, RC_ETOOLONG);

	struct core *k = calloc(1, sizeof *k);
	if (!k)
		return core_refuse(err, RC_ENOMEM);
	k->cb = cb;
	k->arg = arg;
	/* Accept "[::1]" as well as "::1". */
	size_t hn = strlen(o->host);
	if (o->host[0] == '[' && hn > 2 && o->host[hn - 1] == ']')
		k->host = strndup(o->host + 1, hn - 2);
	else
		k->host = strdup(o->host);
	k->port = strdup(o->port ? o->port : "25575");
	k->password = strdup(pw);
	k->name = strdup(o->name ? o->name : o->host);
	if (!k->host || !k->port || !k->password || !k->name ||
	    core_copy_allow(k, o->allow, o->n_allow) < 0) {
		core_destroy(k);
		return core_refuse(err, RC_ENOMEM);
	}
	k->dialect = o->dialect;
	k->frag = o->fragments;
	k->stream = o->stream;
	k->connect_ms = core_pick(o->connect_timeout_ms, d->connect_timeout_ms);
	k->auth_ms = core_pick(o->auth_timeout_ms, d->auth_timeout_ms);
	k->command_ms = core_pick(o->command_timeout_ms, d->command_timeout_ms);
	k->quiet_ms = o->quiet_ms < 0 ? -1 : core_pick(o->quiet_ms, d->quiet_ms);
	k->max_packet = o->max_packet ? o->max_packet : d->max_packet;
	if (k->max_packet < 64)
		k->max_packet = 64;
	if (k->max_packet > INT32_MAX)
		k->max_packet = INT32_MAX;
	k->max_response = o->max_response ? o->max_response : d->max_response;
	k->max_queue = o->max_queue ? o->max_queue : d->max_queue;
	k->reconnect = o->reconnect;
	k->backoff_min = core_pick(o->backoff_min_ms, d->backoff_min_ms);
	k->backoff_max = core_pick(o->backoff_max_ms, d->backoff_max_ms);
	if (k->backoff_max < k->backoff_min)
		k->backoff_max = k->backoff_min;
	k->backoff_reset = core_pick(o->backoff_reset_ms, d->backoff_reset_ms);
	k->read_only = o->read_only;
	k->rng = seed ^ 0x9e3779b97f4a7c15ull;
	if (!k->rng)
		k->rng = 1;
	k->next_req = 1;
	k->st.last_rtt_us = -1;
	if (err)
		*err = 0;
	return k;
}

/* Marks an entry point and takes the driver's time. */
static void core_enter(struct core *k, int64_t now)
{
	k->depth++;
	if (now > k->now)
		k->now = now;
}

/* Leaves an entry point; frees a core freed from a callback. */
static void core_leave(struct core *k)
{
	if (--k->depth == 0 && k->dead)
		core_destroy(k);
}

/* Frees the core (deferred when called from its own callback). */
void core_free(struct core *k)
{
	if (!k || k->dead)
		return;
	k->dead = true;
	if (k->depth == 0)
		core_destroy(k);
}

/* Runs the caller's callback; false when the core is gone or changed. */
bool core_emit(struct core *k, rc_event *ev)
{
	if (k->dead)
		return false;
	ev->size = sizeof *ev;
	uint64_t epoch = k->epoch;
	if (k->cb)
		k->cb(k, ev, k->arg);
	return !k->dead && k->epoch == epoch;
}

/* Reports the current state (entered from prev). */
static bool core_state_event(struct core *k, rc_state prev, int64_t retry_ms)
{
	rc_event ev = {
		.type = RC_EV_STATE, .state = k->state, .prev = prev, .err = k->err,
		.cause = k->cause[0] ? k->cause : NULL, .retry_ms = retry_ms, .rtt_us = -1,
	};
	return core_emit(k, &ev);
}

/* Counts and reports a packet nobody waited for. */
bool core_stray(struct core *k, const rc_packet *p)
{
	k->st.strays++;
	rc_event ev = {
		.type = RC_EV_STRAY, .state = k->state, .prev = k->state, .rtt_us = -1,
		.stray_id = p->id, .stray_type = p->type, .len = p->body_len,
	};
	return core_emit(k, &ev);
}

/* Returns the next request id: 1, 2, ... wrapping to 1, never 0 or -1
 * (-1 is the server's "wrong password"). */
int32_t core_next_req(struct core *k)
{
	int32_t r = k->next_req;
	k->next_req = r >= INT32_MAX ? 1 : r + 1;
	return r;
}

/* Returns a pseudo-random number for backoff jitter (xorshift64*). */
static uint64_t core_rand(struct core *k)
{
	k->rng ^= k->rng >> 12;
	k->rng ^= k->rng << 25;
	k->rng ^= k->rng >> 27;
	return k->rng * 0x2545f4914f6cdd1dull;
}

/* Puts one packet in the output buffer (one write per packet: nothing else
 * is handed out until it is all written). */
int core_put_packet(struct core *k, int32_t id, int32_t type, const void *body, size_t len,
    enum core_out what)
{
	if (k->olen)
		return RC_EINVAL;
	size_t cap = len < CORE_OBUF_MAX - RC_PKT_OVERHEAD ? len + RC_PKT_OVERHEAD : CORE_OBUF_MAX;
	if (cap > k->ocap) {
		/* Small packets share one buffer of the keepable size. */
		size_t want = cap < CORE_OBUF_KEEP ? CORE_OBUF_KEEP : cap;
		core_obuf_drop(k, false);
		if (!(k->obuf = malloc(want)))
			return RC_ENOMEM;
		k->ocap = want;
	}
	long n = rc_packet_encode(k->obuf, cap, id, type, body, len);
	if (n < 0) {
		explicit_bzero(k->obuf, cap);
		core_obuf_drop(k, true);
		return RC_EINVAL;
	}
	k->olen = (size_t)n;
	k->ooff = 0;
	k->owhat = what;
	k->oreq = id;
	return 0;
}

/* Drops the wire state of the session and asks the driver to drop the
 * socket; starts a new epoch.  The reply buffer survives: a failed command
 * may still be reported with what arrived (after `stop`). */
static void core_teardown(struct core *k)
{
	k->actions = CORE_ACT_RESET;
	k->t_deadline = k->t_quiet = 0;
	k->retry_at = 0;
	core_obuf_drop(k, false);
	k->owhat = CORE_OUT_NONE;
	k->ilen = 0;
	free(k->ibuf);
	k->ibuf = NULL;
	k->icap = 0;
	k->stopping = false;
	core_reasm_reset(k);
	k->epoch++;
}

/* Arms the reconnect deadline; returns the delay.  1 s doubling to 60 s (by
 * default) with up to 20% jitter, so many consoles restarted together do not
 * reconnect in step; a session that stayed READY long enough starts over. */
static int64_t core_backoff_arm(struct core *k)
{
	int64_t now_ms = k->now / 1000;
	if (k->ready_since && now_ms - k->ready_since / 1000 >= k->backoff_reset)
		k->attempt = 0;
	k->ready_since = 0;
	int64_t base = k->backoff_min;
	for (unsigned i = 0; i < k->attempt && base < k->backoff_max; i++)
		base *= 2;
	if (base > k->backoff_max)
		base = k->backoff_max;
	if (k->attempt < 64)
		k->attempt++;
	int64_t delay = base + (int64_t)(core_rand(k) % (uint64_t)(base / 5 + 1));
	/* At the cap the jitter goes below it instead, so the delay never
	 * exceeds backoff_max and consoles still spread out. */
	if (delay > k->backoff_max)
		delay = 2 * k->backoff_max - delay;
	k->retry_at = k->now + delay * 1000;
	return delay;
}

/* Reports one command that ends with the session (status 0 = what arrived
 * before a `stop` closed it; RC_ELOST and RC_ETIMEOUT carry what of the
 * reply had come, if anything, for the caller to show as cut), then frees
 * it. */
static void core_cmd_report(struct core *k, struct core_cmd *q, int status,
    const char *cause, const char *body, size_t len, unsigned frags)
{
	rc_event ev = {
		.type = RC_EV_REPLY, .state = k->state, .prev = k->state, .cmd = q->id,
		.tag = q->tag, .status = status, .cause = cause, .rtt_us = -1,
	};
	if (status == 0 || ((status == RC_ELOST || status == RC_ETIMEOUT) && len)) {
		ev.body = body;
		ev.len = len;
		ev.fragments = frags;
	}
	if (status == 0)
		ev.rtt_us = q->sent_us ? k->now - q->sent_us : 0;
	core_cmds_free(q);
	core_emit(k, &ev);
}

/* Ends the session: moves to target, fails the in-flight command with
 * cur_status (RC_ENOTSENT if nothing of it was written) and the queued ones
 * with RC_ENOTSENT, then reports the state.  Commands are never resent. */
static void core_finish(struct core *k, rc_state target, int err, const char *cause,
    int cur_status)
{
	char why[sizeof k->cause];
	snprintf(why, sizeof why, "%s", cause ? cause : "");
	struct core_cmd *cur = k->cur, *q = k->qhead;
	k->cur = k->qhead = k->qtail = NULL;
	k->nq = 0;
	rc_state prev = k->state;
	core_teardown(k);
	k->state = target;
	k->err = err;
	memcpy(k->cause, why, sizeof why);
	int64_t retry = target == RC_STATE_BACKOFF ? core_backoff_arm(k) : -1;
	k->ready_since = 0;
	uint64_t epoch = k->epoch;

	if (cur) {
		cur->next = NULL;
		int st = cur->written ? cur_status : RC_ENOTSENT;
		const char *body = core_reasm_body(k);
		core_cmd_report(k, cur, st, why[0] ? why : NULL, body, k->rlen, k->frags);
	}
	while (q) {
		struct core_cmd *next = q->next;
		q->next = NULL;
		if (k->dead)
			core_cmds_free(q);
		else
			core_cmd_report(k, q, RC_ENOTSENT, why[0] ? why : NULL, NULL, 0, 0);
		q = next;
	}
	if (!k->dead && k->epoch == epoch)
		core_state_event(k, prev, retry);
}

/* Fails the session and reports it.  After a `stop` was written, the server
 * closing the connection is the server stopping: the stop command gets what
 * arrived with status 0 and the state carries RC_ESTOPPED, not an error. */
void core_fail(struct core *k, int err, const char *cause, int cur_status)
{
	if (k->stopping && err == RC_ECLOSED) {
		err = RC_ESTOPPED;
		cause = "server stopped";
		if (k->cur && k->cur->is_stop)
			cur_status = 0;
	}
	rc_state target = err == RC_EAUTH ? RC_STATE_AUTH_FAILED :
	    k->reconnect ? RC_STATE_BACKOFF : RC_STATE_FAILED;
	core_finish(k, target, err, cause, cur_status);
}

/* Handles the login answer: the client's id is success, id -1 is a wrong
 * password; an empty RESPONSE_VALUE with our id is what Source servers send
 * ahead of the auth reply, and is accepted. */
static bool core_auth_packet(struct core *k, const rc_packet *p)
{
	if (p->id == -1) {
		core_fail(k, RC_EAUTH, "wrong password", RC_ELOST);
		return false;
	}
	if (p->id == k->auth_req && p->type == RC_TYPE_AUTH_REPLY) {
		k->t_deadline = 0;
		k->ready_since = k->now;
		k->attempts[0] = '\0';
		k->state = RC_STATE_READY;
		k->err = 0;
		k->cause[0] = '\0';
		return core_state_event(k, RC_STATE_AUTHENTICATING, -1);
	}
	if (p->id == k->auth_req && p->type == RC_TYPE_RESPONSE && p->body_len == 0)
		return true;
	if (!k->auth_odd_n++) {
		k->auth_odd_id = p->id;
		k->auth_odd_type = p->type;
		k->auth_odd_len = p->body_len;
	}
	return core_stray(k, p);
}

/* Starts a new session: RESOLVING. */
static void core_begin(struct core *k)
{
	rc_state prev = k->state;
	core_teardown(k);
	k->actions |= CORE_ACT_RESOLVE;
	if (k->begun)
		k->st.reconnects++;
	k->begun = true;
	k->state = RC_STATE_RESOLVING;
	k->err = 0;
	k->cause[0] = '\0';
	k->attempts[0] = '\0';
	k->attempt_err = 0;
	core_state_event(k, prev, -1);
}

/* Starts (or restarts) connecting. */
int core_start(struct core *k, int64_t now)
{
	if (!k || k->dead)
		return RC_EINVAL;
	switch (k->state) {
	case RC_STATE_IDLE:
	case RC_STATE_FAILED:
	case RC_STATE_AUTH_FAILED:
		k->attempt = 0;
		break;
	case RC_STATE_BACKOFF:
		break;
	default:
		return 0;
	}
	core_enter(k, now);
	core_begin(k);
	core_leave(k);
	return 0;
}

/* Disconnects and goes IDLE. */
void core_stop(struct core *k, int64_t now)
{
	if (!k || k->dead || k->state == RC_STATE_IDLE)
		return;
	core_enter(k, now);
	core_finish(k, RC_STATE_IDLE, 0, "stopped", RC_ELOST);
	core_leave(k);
}

/* Takes (and clears) the pending actions. */
unsigned core_actions(struct core *k)
{
	unsigned a = k->actions;
	k->actions = 0;
	return a;
}

/* Returns the pending actions, leaving them pending. */
unsigned core_peek_actions(const struct core *k)
{
	return k->actions;
}

/* The lookup ended. */
void core_resolved(struct core *k, int64_t now, int err, const char *cause)
{
	if (k->dead || k->state != RC_STATE_RESOLVING)
		return;
	core_enter(k, now);
	if (err) {
		core_fail(k, RC_ERESOLVE, cause ? cause : "name resolution failed", RC_ELOST);
	} else {
		k->state = RC_STATE_CONNECTING;
		if (core_state_event(k, RC_STATE_RESOLVING, -1))
			k->actions |= CORE_ACT_CONNECT;
	}
	core_leave(k);
}

/* A connect attempt is under way: arms its timeout. */
void core_attempt_begin(struct core *k, int64_t now, const char *addr)
{
	if (k->dead || k->state != RC_STATE_CONNECTING)
		return;
	core_enter(k, now);
	snprintf(k->addr, sizeof k->addr, "%s", addr ? addr : "?");
	k->t_deadline = k->now + (int64_t)k->connect_ms * 1000;
	core_leave(k);
}

/* Records why an address failed; the last reason decides the code. */
static void core_note_attempt(struct core *k, int err, const char *why)
{
	size_t n = strlen(k->attempts);
	snprintf(k->attempts + n, sizeof k->attempts - n, "%s%s: %s", n ? "; " : "",
	    k->addr, why);
	k->attempt_err = err;
}

/* The connect to addr failed: notes it and asks for the next address. */
void core_attempt_failed(struct core *k, int64_t now, const char *addr, int err, const char *why)
{
	if (k->dead || k->state != RC_STATE_CONNECTING)
		return;
	core_enter(k, now);
	if (addr)
		snprintf(k->addr, sizeof k->addr, "%s", addr);
	k->t_deadline = 0;
	core_note_attempt(k, err ? err : RC_ECONNECT, why ? why : "failed");
	k->actions |= CORE_ACT_CONNECT;
	core_leave(k);
}

/* No address left: fails with the last address's reason. */
void core_no_address(struct core *k, int64_t now)
{
	if (k->dead || k->state != RC_STATE_CONNECTING)
		return;
	core_enter(k, now);
	core_fail(k, k->attempt_err ? k->attempt_err : RC_ECONNECT,
	    k->attempts[0] ? k->attempts : "no address to connect to", RC_ELOST);
	core_leave(k);
}

/* The TCP connection is up: queues the login and waits for its answer. */
void core_connected(struct core *k, int64_t now)
{
	if (k->dead || k->state != RC_STATE_CONNECTING)
		return;
	core_enter(k, now);
	k->state = RC_STATE_AUTHENTICATING;
	k->auth_req = core_next_req(k);
	k->auth_odd_n = 0;
	k->t_deadline = k->now + (int64_t)k->auth_ms * 1000;
	core_put_packet(k, k->auth_req, RC_TYPE_AUTH, k->password, strlen(k->password),
	    CORE_OUT_AUTH);
	core_state_event(k, RC_STATE_CONNECTING, -1);
	core_leave(k);
}

/* Returns the bytes waiting to be written. */
const uint8_t *core_output(const struct core *k, size_t *len)
{
	static const uint8_t none[1];
	*len = k->olen - k->ooff;
	return k->obuf ? k->obuf + k->ooff : none;
}

/* Reports n bytes written; on completion wipes the packet (the login holds
 * the password) and runs the hook. */
void core_wrote(struct core *k, int64_t now, size_t n)
{
	if (k->dead || n == 0 || k->ooff >= k->olen)
		return;
	core_enter(k, now);
	if (n > k->olen - k->ooff)
		n = k->olen - k->ooff;
	if (k->owhat == CORE_OUT_CMD && k->cur)
		k->cur->written = true;
	k->ooff += n;
	k->st.bytes_out += n;
	if (k->ooff == k->olen) {
		enum core_out what = k->owhat;
		core_obuf_drop(k, true);
		k->owhat = CORE_OUT_NONE;
		core_reasm_written(k, what);
	}
	core_leave(k);
}

/* Grows the input buffer to hold need bytes. */
static int core_reserve(struct core *k, size_t need)
{
	if (need <= k->icap)
		return 0;
	size_t cap = k->icap ? k->icap : 4096;
	while (cap < need)
		cap *= 2;
	uint8_t *n = realloc(k->ibuf, cap);
	if (!n)
		return RC_ENOMEM;
	k->ibuf = n;
	k->icap = cap;
	return 0;
}

/* Decodes and dispatches every whole packet of the input; keeps the tail.
 * Returns false when the core changed (then nothing is touched). */
static bool core_feed(struct core *k, const uint8_t *data, size_t n)
{
	const uint8_t *p = data;
	size_t len = n;
	if (k->ilen) {
		if (core_reserve(k, k->ilen + n) < 0) {
			core_fail(k, RC_ENOMEM, "out of memory", RC_ELOST);
			return false;
		}
		memcpy(k->ibuf + k->ilen, data, n);
		k->ilen += n;
		p = k->ibuf;
		len = k->ilen;
	}
	size_t off = 0;
	for (;;) {
		rc_packet pkt;
		size_t used = 0;
		const char *why = "malformed packet";
		int r = rc_packet_decode(p + off, len - off, k->max_packet, &pkt, &used, &why);
		if (r == RC_DECODE_NEED_MORE)
			break;
		if (r == RC_DECODE_MALFORMED) {
			core_fail(k, RC_EPROTO, why, RC_ELOST);
			return false;
		}
		off += used;
		/* An answer to a packet not yet wholly written cannot come from a
		 * server that read it: it proves nothing and is dropped (else a
		 * peer that guesses ids could make us write behind an unread
		 * packet). */
		bool ok = k->olen && pkt.id == k->oreq ? core_stray(k, &pkt) :
		    k->state == RC_STATE_AUTHENTICATING ? core_auth_packet(k, &pkt) :
		    core_reasm_packet(k, &pkt);
		if (!ok)
			return false;
	}
	size_t rest = len - off;
	if (p == k->ibuf) {
		memmove(k->ibuf, k->ibuf + off, rest);
	} else if (rest) {
		if (core_reserve(k, rest) < 0) {
			core_fail(k, RC_ENOMEM, "out of memory", RC_ELOST);
			return false;
		}
		memcpy(k->ibuf, p + off, rest);
	}
	k->ilen = rest;
	if (rest == 0 && k->ibuf) {
		free(k->ibuf);
		k->ibuf = NULL;
		k->icap = 0;
	}
	return true;
}

/* Returns true in the states that read from the server. */
static bool core_reading(const struct core *k)
{
	return k->state == RC_STATE_AUTHENTICATING || k->state == RC_STATE_READY ||
	    k->state == RC_STATE_BUSY;
}

/* Feeds bytes received from the server. */
void core_input(struct core *k, int64_t now, const uint8_t *data, size_t n)
{
	if (k->dead || !core_reading(k) || n == 0)
		return;
	core_enter(k, now);
	k->st.bytes_in += n;
	/* The command timeout is the server's silence, not the reply's length:
	 * a long reply still coming over a slow link or a tunnel is not cut
	 * while its bytes keep arriving (the reply limit bounds its size). */
	if (k->state == RC_STATE_BUSY && k->cur)
		k->t_deadline = k->now + (int64_t)k->command_ms * 1000;
	core_feed(k, data, n);
	core_leave(k);
}

/* Returns what the server was doing when it closed the connection (the
 * error code already says that it did). */
static const char *core_eof_cause(const struct core *k)
{
	switch (k->state) {
	case RC_STATE_AUTHENTICATING:
		return "during the login (is this an RCON port?)";
	case RC_STATE_BUSY:
		return k->cur && k->cur->written ? "with a command in flight" : "before a command went out";
	default:
		return "while idle";
	}
}

/* The server closed the connection. */
void core_eof(struct core *k, int64_t now)
{
	if (k->dead || !core_reading(k))
		return;
	core_enter(k, now);
	core_fail(k, RC_ECLOSED, core_eof_cause(k), RC_ELOST);
	core_leave(k);
}

/* The socket failed. */
void core_io_error(struct core *k, int64_t now, int err, const char *cause)
{
	if (k->dead || !core_reading(k))
		return;
	core_enter(k, now);
	core_fail(k, err, cause, RC_ELOST);
	core_leave(k);
}

/* Returns the earliest armed deadline, or 0. */
int64_t core_deadline(const struct core *k)
{
	int64_t d = 0;
	const int64_t t[] = { k->t_deadline, k->t_quiet,
		k->state == RC_STATE_BACKOFF ? k->retry_at : 0 };
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (t[i] && (!d || t[i] < d))
			d = t[i];
	return d;
}

/* The connect, auth or command deadline passed. */
static void core_on_deadline(struct core *k)
{
	char why[192], dur[24];
	k->t_deadline = 0;
	switch (k->state) {
	case RC_STATE_CONNECTING:
		snprintf(why, sizeof why, "no connection within %s",
		    rc_timeout_text(dur, sizeof dur, k->connect_ms));
		core_note_attempt(k, RC_ETIMEOUT, why);
		k->actions |= CORE_ACT_CLOSE | CORE_ACT_CONNECT;
		break;
	case RC_STATE_AUTHENTICATING:
		/* Something came, but no answer to the login (a wrong type, a
		 * wrong id): the cause says what, rather than "no answer". */
		if (k->auth_odd_n && k->auth_odd_id == k->auth_req)
			/* Not the number: the login's id changes at each attempt,
			 * and a cause that changes would add a line per attempt
			 * to a console that writes one per outage. */
			snprintf(why, sizeof why, "no auth reply within %s (a packet of type %d, "
			    "the login's id, %zu bytes came instead: is this an RCON port?)",
			    rc_timeout_text(dur, sizeof dur, k->auth_ms), (int)k->auth_odd_type,
			    k->auth_odd_len);
		else if (k->auth_odd_n)
			snprintf(why, sizeof why, "no auth reply within %s (a packet of type %d, id %d, "
			    "%zu bytes came instead: is this an RCON port?)",
			    rc_timeout_text(dur, sizeof dur, k->auth_ms), (int)k->auth_odd_type,
			    (int)k->auth_odd_id, k->auth_odd_len);
		else
			snprintf(why, sizeof why, "no answer to the login within %s",
			    rc_timeout_text(dur, sizeof dur, k->auth_ms));
		core_fail(k, RC_ETIMEOUT, why, RC_ELOST);
		break;
	case RC_STATE_BUSY:
		/* Part of a reply may have come, then nothing for the timeout (a
		 * server stalled mid-reply, a sentinel never answered): the cause
		 * says how much (bytes on the wire since the command went out)
		 * rather than "no reply". */
		if (k->st.bytes_in > k->cmd_in_mark)
			snprintf(why, sizeof why, "reply not complete: nothing more came within %s "
			    "(%llu bytes arrived)", rc_timeout_text(dur, sizeof dur, k->command_ms),
			    (unsigned long long)(k->st.bytes_in - k->cmd_in_mark));
		else
			snprintf(why, sizeof why, "no reply within %s",
			    rc_timeout_text(dur, sizeof dur, k->command_ms));
		core_fail(k, RC_ETIMEOUT, why, RC_ETIMEOUT);
		break;
	case RC_STATE_READY:
		/* `stop` was answered but the connection stayed open: the server
		 * did not stop after all, so the held commands go out now. */
		k->stopping = false;
		core_reasm_pump(k);
		break;
	default:
		break;
	}
}

/* Runs every deadline that has passed, earliest first, until one changes
 * the session's life. */
void core_tick(struct core *k, int64_t now)
{
	if (!k || k->dead)
		return;
	core_enter(k, now);
	uint64_t epoch = k->epoch;
	for (int round = 0; round < 8 && !k->dead && k->epoch == epoch; round++) {
		int64_t d = core_deadline(k);
		if (!d || d > k->now)
			break;
		if (d == k->t_quiet) {
			k->t_quiet = 0;
			core_reasm_quiet(k);
		} else if (d == k->t_deadline) {
			core_on_deadline(k);
		} else {
			k->retry_at = 0;
			core_begin(k);
		}
	}
	core_leave(k);
}

/* Checks, without sending, whether core_send() would accept cmd. */
int core_check(const struct core *k, const char *cmd)
{
	if (!k || !cmd || !cmd[0])
		return RC_EINVAL;
	size_t len = strcspn(cmd, "\r\n");
	if (cmd[len])
		return RC_EINVAL;
	size_t max = RC_DIALECT_BODY_MAX(k->dialect);
	if (len > max)
		return RC_ETOOLONG;
	if (!core_policy_allows(k, cmd))
		return RC_EREADONLY;
	return 0;
}

/* Queues cmd behind the one in flight, or hands it out at once when idle. */
int core_send(struct core *k, int64_t now, const char *cmd, void *tag, uint64_t *id)
{
	if (!k || k->dead || !cmd)
		return RC_EINVAL;
	if (k->state != RC_STATE_READY && k->state != RC_STATE_BUSY)
		return RC_ENOTREADY;
	int rc = core_check(k, cmd);
	if (rc < 0)
		return rc;
	if (k->nq >= k->max_queue)
		return RC_EFULL;
	size_t len = strlen(cmd);
	struct core_cmd *q = core_cmd_new(k, len);
	if (!q)
		return RC_ENOMEM;
	core_enter(k, now);
	q->id = ++k->next_cmd;
	q->tag = tag;
	q->len = len;
	q->is_stop = rc_mc_is_stop(cmd);
	q->ro_checked = k->read_only; /* core_check passed; it never turns off */
	memcpy(q->text, cmd, len + 1);
	/* Straight out only when nothing waits; otherwise the queue is drained
	 * from later events, so no event can fire from inside this call. */
	bool direct = k->state == RC_STATE_READY && !k->cur && !k->qhead;
	if (k->qtail)
		k->qtail->next = q;
	else
		k->qhead = q;
	k->qtail = q;
	k->nq++;
	if (id)
		*id = q->id;
	if (direct)
		core_reasm_pump(k);
	core_leave(k);
	return 0;
}

/* Returns the life counter. */
uint64_t core_epoch(const struct core *k)
{
	return k->epoch;
}

/* Returns the state. */
rc_state core_state(const struct core *k)
{
	return k ? k->state : RC_STATE_IDLE;
}

/* Returns the last failure code and cause. */
int core_last_error(const struct core *k, const char **cause)
{
	if (cause)
		*cause = k && k->cause[0] ? k->cause : NULL;
	return k ? k->err : RC_EINVAL;
}

/* Returns when the next reconnect is due, or 0. */
int64_t core_retry_at(const struct core *k)
{
	return k && k->state == RC_STATE_BACKOFF ? k->retry_at : 0;
}

/* Returns the number of commands queued or in flight. */
size_t core_pending(const struct core *k)
{
	return k ? k->nq + (k->cur ? 1 : 0) : 0;
}

/* Returns the counters. */
const rc_conn_stats *core_stats(const struct core *k)
{
	return &k->st;
}

/* Returns whether the read-only policy is on. */
bool core_read_only(const struct core *k)
{
	return k && k->read_only;
}

/* Turns read-only on (never off). */
void core_set_read_only(struct core *k, bool on)
{
	if (k && on)
		k->read_only = true;
}

/* Returns the host to look up. */
const char *core_host(const struct core *k)
{
	return k->host;
}

/* Returns the port to look up. */
const char *core_port(const struct core *k)
{
	return k->port;
}

/* Returns the password. */
const char *core_password(const struct core *k)
{
	return k->password;
}
