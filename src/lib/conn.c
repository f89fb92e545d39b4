/* conn.c: one RCON server connection — lifecycle, state machine, resolving
 * and connecting to every address in turn, login, failures, backoff
 * (DESIGN.md section 2).
 *
 * Socket reads and writes are in conn-io.c; the commands themselves (queue,
 * reply matching, reassembly, sentinel) in conn-reasm.c; conn-internal.h
 * states the re-entrancy rules all three keep.
 *
 * A wrong password (reply id -1) is terminal: a client that retries it in a
 * loop fills the server log and trips fail2ban-style rules.  Every other
 * failure goes to BACKOFF (or FAILED when reconnecting is off). */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rconsole/error.h"
#include "rconsole/policy.h"
#include "conn-internal.h"

/* Keep-alive: first probe after 30 s idle, then every 10 s, 3 misses: a dead
 * peer is noticed in about a minute with no RCON chatter at all. */
enum { CONN_KEEPIDLE = 30, CONN_KEEPINTVL = 10, CONN_KEEPCNT = 3 };

static const char *const conn_state_names[] = {
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

static void conn_on_io(rc_loop *loop, int fd, int revents, void *arg);
static int64_t conn_on_deadline(rc_loop *loop, void *arg);
static void conn_try_next(struct rc_conn *c);
static int64_t conn_on_backoff(rc_loop *loop, void *arg);

/* Returns a lowercase name for a state. */
const char *rc_state_name(rc_state s)
{
	if ((unsigned)s >= sizeof conn_state_names / sizeof conn_state_names[0])
		return "unknown";
	return conn_state_names[s];
}

/* Fills opts with the documented defaults. */
void rc_conn_opts_init(rc_conn_opts *o)
{
	memset(o, 0, sizeof *o);
	o->dialect = RC_DIALECT_MINECRAFT;
	o->fragments = RC_FRAG_AUTO;
	o->connect_timeout_ms = 5000;
	o->auth_timeout_ms = 5000;
	o->command_timeout_ms = 10000;
	o->quiet_ms = 1000;
	o->max_packet = RC_PKT_DEFAULT_MAX;
	o->max_response = 16 * 1024 * 1024;
	o->max_queue = 1024;
	o->reconnect = true;
	o->backoff_min_ms = 1000;
	o->backoff_max_ms = 60000;
	o->backoff_reset_ms = 60000;
}

/* Returns v when positive, else the default d. */
static int conn_pick(int v, int d)
{
	return v > 0 ? v : d;
}

/* Copies the allowlist (n == 0 means NULL-terminated). */
static int conn_copy_allow(struct rc_conn *c, const char *const *allow, size_t n)
{
	if (!allow)
		return 0;
	if (n == 0)
		while (allow[n])
			n++;
	c->allow = calloc(n + 1, sizeof *c->allow);
	if (!c->allow)
		return RC_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		c->allow[i] = strdup(allow[i] ? allow[i] : "");
		if (!c->allow[i])
			return RC_ENOMEM;
	}
	c->n_allow = n;
	return 0;
}

/* Frees everything the connection owns (after conn_teardown). */
static void conn_destroy(struct rc_conn *c)
{
	conn_cmds_free(c->cur);
	conn_cmds_free(c->qhead);
	if (c->password) {
		explicit_bzero(c->password, strlen(c->password));
		free(c->password);
	}
	explicit_bzero(c->obuf, sizeof c->obuf);
	for (size_t i = 0; c->allow && i < c->n_allow; i++)
		free(c->allow[i]);
	free(c->allow);
	free(c->host);
	free(c->port);
	free(c->name);
	free(c->ibuf);
	free(c->rbuf);
	free(c);
}

/* Creates a connection in IDLE. */
rc_conn *rc_conn_new(rc_loop *loop, const rc_conn_opts *o, rc_conn_cb cb, void *arg)
{
	if (!loop || !o || !o->host || !o->host[0])
		return NULL;
	if (o->dialect != RC_DIALECT_MINECRAFT && o->dialect != RC_DIALECT_SOURCE)
		return NULL;
	if (o->fragments != RC_FRAG_AUTO && o->fragments != RC_FRAG_SENTINEL &&
	    o->fragments != RC_FRAG_NONE)
		return NULL;
	const char *pw = o->password ? o->password : "";
	size_t body_max = o->dialect == RC_DIALECT_SOURCE ? RC_SOURCE_BODY_MAX : RC_MC_BODY_MAX;
	if (strlen(pw) > body_max)
		return NULL;

	struct rc_conn *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->loop = loop;
	c->cb = cb;
	c->arg = arg;
	c->fd = -1;
	/* Accept "[::1]" as well as "::1". */
	size_t hn = strlen(o->host);
	if (o->host[0] == '[' && hn > 2 && o->host[hn - 1] == ']')
		c->host = strndup(o->host + 1, hn - 2);
	else
		c->host = strdup(o->host);
	c->port = strdup(o->port ? o->port : "25575");
	c->password = strdup(pw);
	c->name = strdup(o->name ? o->name : o->host);
	if (!c->host || !c->port || !c->password || !c->name ||
	    conn_copy_allow(c, o->allow, o->n_allow) < 0) {
		conn_destroy(c);
		return NULL;
	}
	c->dialect = o->dialect;
	c->frag = o->fragments;
	c->connect_ms = conn_pick(o->connect_timeout_ms, 5000);
	c->auth_ms = conn_pick(o->auth_timeout_ms, 5000);
	c->command_ms = conn_pick(o->command_timeout_ms, 10000);
	c->quiet_ms = o->quiet_ms < 0 ? -1 : conn_pick(o->quiet_ms, 1000);
	c->max_packet = o->max_packet ? o->max_packet : RC_PKT_DEFAULT_MAX;
	if (c->max_packet < 64)
		c->max_packet = 64;
	if (c->max_packet > INT32_MAX)
		c->max_packet = INT32_MAX;
	c->max_response = o->max_response ? o->max_response : 16 * 1024 * 1024;
	c->max_queue = o->max_queue ? o->max_queue : 1024;
	c->reconnect = o->reconnect;
	c->backoff_min = conn_pick(o->backoff_min_ms, 1000);
	c->backoff_max = conn_pick(o->backoff_max_ms, 60000);
	if (c->backoff_max < c->backoff_min)
		c->backoff_max = c->backoff_min;
	c->backoff_reset = conn_pick(o->backoff_reset_ms, 60000);
	c->read_only = o->read_only;
	c->rng = (uint64_t)rc_now_us() ^ (uint64_t)(uintptr_t)c ^ 0x9e3779b97f4a7c15ull;
	c->next_req = 1;
	c->st.last_rtt_us = -1;
	return c;
}

/* Marks a loop entry point. */
void conn_enter(struct rc_conn *c)
{
	c->depth++;
}

/* Leaves an entry point; frees a connection freed from a callback. */
void conn_leave(struct rc_conn *c)
{
	if (--c->depth == 0 && c->dead)
		conn_destroy(c);
}

/* Frees a command list without events. */
void conn_cmds_free(struct conn_cmd *k)
{
	while (k) {
		struct conn_cmd *next = k->next;
		free(k);
		k = next;
	}
}

/* Runs the caller's callback; false when the connection is gone or changed. */
bool conn_emit(struct rc_conn *c, const rc_event *ev)
{
	if (c->dead)
		return false;
	uint64_t epoch = c->epoch;
	if (c->cb)
		c->cb(c, ev, c->arg);
	return !c->dead && c->epoch == epoch;
}

/* Reports the current state (entered from prev). */
static bool conn_state_event(struct rc_conn *c, rc_state prev, int64_t retry_ms)
{
	rc_event ev = {
		.type = RC_EV_STATE, .state = c->state, .prev = prev, .err = c->err,
		.cause = c->cause[0] ? c->cause : NULL, .retry_ms = retry_ms, .rtt_us = -1,
	};
	return conn_emit(c, &ev);
}

/* Counts and reports a packet nobody waited for. */
bool conn_stray(struct rc_conn *c, const rc_packet *p)
{
	c->st.strays++;
	rc_event ev = {
		.type = RC_EV_STRAY, .state = c->state, .prev = c->state, .rtt_us = -1,
		.stray_id = p->id, .stray_type = p->type, .len = p->body_len,
	};
	return conn_emit(c, &ev);
}

/* Returns the next request id: 1, 2, ... wrapping to 1, never 0 or -1
 * (-1 is the server's "wrong password"). */
int32_t conn_next_req(struct rc_conn *c)
{
	int32_t r = c->next_req;
	c->next_req = r >= INT32_MAX ? 1 : r + 1;
	return r;
}

/* Returns a pseudo-random number for backoff jitter (xorshift64*). */
static uint64_t conn_rand(struct rc_conn *c)
{
	c->rng ^= c->rng >> 12;
	c->rng ^= c->rng << 25;
	c->rng ^= c->rng >> 27;
	return c->rng * 0x2545f4914f6cdd1dull;
}

/* Closes the socket of the current attempt or session. */
static void conn_close_fd(struct rc_conn *c)
{
	if (c->fd < 0)
		return;
	rc_loop_del_fd(c->loop, c->fd);
	close(c->fd);
	c->fd = -1;
}

/* Deletes a timer and clears its id. */
static void conn_del_timer(struct rc_conn *c, rc_timer_id *t)
{
	rc_loop_del_timer(c->loop, *t);
	*t = 0;
}

/* Arms the deadline timer (connect, auth or command). */
void conn_arm_deadline(struct rc_conn *c, int ms)
{
	conn_del_timer(c, &c->t_deadline);
	c->t_deadline = rc_loop_add_timer(c->loop, ms, conn_on_deadline, c);
}

/* Releases the socket, lookups, timers and wire state; starts a new epoch.
 * The reply buffer survives: a failed command may still be reported with
 * what arrived (after `stop`). */
static void conn_teardown(struct rc_conn *c)
{
	if (c->res) {
		rc_resolve_cancel(c->res);
		c->res = NULL;
	}
	if (c->ai) {
		freeaddrinfo(c->ai);
		c->ai = c->ai_next = NULL;
	}
	conn_close_fd(c);
	conn_del_timer(c, &c->t_deadline);
	conn_del_timer(c, &c->t_quiet);
	conn_del_timer(c, &c->t_backoff);
	conn_del_timer(c, &c->t_defer);
	explicit_bzero(c->obuf, c->olen);
	c->olen = c->ooff = 0;
	c->owhat = CONN_OUT_NONE;
	c->ilen = 0;
	free(c->ibuf);
	c->ibuf = NULL;
	c->icap = 0;
	c->stopping = false;
	conn_reasm_reset(c);
	c->epoch++;
}

/* Arms the reconnect timer; returns the delay.  1 s doubling to 60 s (by
 * default) with up to 20% jitter, so many consoles restarted together do not
 * reconnect in step; a session that stayed READY long enough starts over. */
static int64_t conn_backoff_arm(struct rc_conn *c)
{
	int64_t now = rc_now_ms();
	if (c->ready_since && now - c->ready_since >= c->backoff_reset)
		c->attempt = 0;
	c->ready_since = 0;
	int64_t base = c->backoff_min;
	for (unsigned i = 0; i < c->attempt && base < c->backoff_max; i++)
		base *= 2;
	if (base > c->backoff_max)
		base = c->backoff_max;
	if (c->attempt < 64)
		c->attempt++;
	int64_t delay = base + (int64_t)(conn_rand(c) % (uint64_t)(base / 5 + 1));
	/* At the cap the jitter goes below it instead, so the delay never
	 * exceeds backoff_max and consoles still spread out. */
	if (delay > c->backoff_max)
		delay = 2 * c->backoff_max - delay;
	c->retry_at = now + delay;
	c->t_backoff = rc_loop_add_timer(c->loop, delay, conn_on_backoff, c);
	return delay;
}

/* Reports one command that ends with the connection (status 0 = what
 * arrived before a `stop` closed it), then frees it. */
static void conn_cmd_report(struct rc_conn *c, struct conn_cmd *k, int status,
    const char *cause, const char *body, size_t len, unsigned frags)
{
	rc_event ev = {
		.type = RC_EV_REPLY, .state = c->state, .prev = c->state, .cmd = k->id,
		.tag = k->tag, .status = status, .cause = cause, .rtt_us = -1,
	};
	if (status == 0) {
		ev.body = body;
		ev.len = len;
		ev.fragments = frags;
		ev.rtt_us = k->sent_us ? rc_now_us() - k->sent_us : 0;
	}
	free(k);
	conn_emit(c, &ev);
}

/* Ends the session: moves to target, fails the in-flight command with
 * cur_status (RC_ENOTSENT if nothing of it was written) and the queued ones
 * with RC_ENOTSENT, then reports the state.  Commands are never resent. */
static void conn_finish(struct rc_conn *c, rc_state target, int err, const char *cause,
    int cur_status)
{
	char why[sizeof c->cause];
	snprintf(why, sizeof why, "%s", cause ? cause : "");
	struct conn_cmd *cur = c->cur, *q = c->qhead;
	c->cur = c->qhead = c->qtail = NULL;
	c->nq = 0;
	rc_state prev = c->state;
	conn_teardown(c);
	c->state = target;
	c->err = err;
	memcpy(c->cause, why, sizeof why);
	int64_t retry = target == RC_STATE_BACKOFF ? conn_backoff_arm(c) : -1;
	c->ready_since = 0;
	uint64_t epoch = c->epoch;

	if (cur) {
		int st = cur->written ? cur_status : RC_ENOTSENT;
		const char *body = conn_reasm_body(c);
		conn_cmd_report(c, cur, st, why[0] ? why : NULL, body, c->rlen, c->frags);
	}
	while (q) {
		struct conn_cmd *next = q->next;
		conn_cmd_report(c, q, RC_ENOTSENT, why[0] ? why : NULL, NULL, 0, 0);
		q = next;
	}
	if (!c->dead && c->epoch == epoch)
		conn_state_event(c, prev, retry);
}

/* Closes the connection after a failure and reports it.  After a `stop` was
 * written, the server closing the connection is the server stopping: the
 * stop command gets what arrived with status 0 and the state carries
 * RC_ESTOPPED, not an error. */
void conn_fail(struct rc_conn *c, int err, const char *cause, int cur_status)
{
	if (c->stopping && err == RC_ECLOSED) {
		err = RC_ESTOPPED;
		cause = "server stopped";
		if (c->cur && c->cur->is_stop)
			cur_status = 0;
	}
	rc_state target = err == RC_EAUTH ? RC_STATE_AUTH_FAILED :
	    c->reconnect ? RC_STATE_BACKOFF : RC_STATE_FAILED;
	conn_finish(c, target, err, cause, cur_status);
}

/* Handles the login answer: the client's id is success, id -1 is a wrong
 * password; an empty RESPONSE_VALUE with our id is what Source servers send
 * ahead of the auth reply, and is accepted. */
bool conn_auth_packet(struct rc_conn *c, const rc_packet *p)
{
	if (p->id == -1) {
		conn_fail(c, RC_EAUTH, "wrong password", RC_ELOST);
		return false;
	}
	if (p->id == c->auth_req && p->type == RC_TYPE_AUTH_REPLY) {
		conn_del_timer(c, &c->t_deadline);
		c->ready_since = rc_now_ms();
		c->attempts[0] = '\0';
		c->state = RC_STATE_READY;
		c->err = 0;
		c->cause[0] = '\0';
		return conn_state_event(c, RC_STATE_AUTHENTICATING, -1);
	}
	if (p->id == c->auth_req && p->type == RC_TYPE_RESPONSE && p->body_len == 0)
		return true;
	return conn_stray(c, p);
}

/* Sets keep-alive and no-delay on a new socket (best effort). */
static void conn_sockopts(int fd)
{
	int on = 1, idle = CONN_KEEPIDLE, intvl = CONN_KEEPINTVL, cnt = CONN_KEEPCNT;
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof intvl);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

/* Records why the current address failed; the last reason decides the code. */
static void conn_note_attempt(struct rc_conn *c, int err, const char *why)
{
	size_t n = strlen(c->attempts);
	snprintf(c->attempts + n, sizeof c->attempts - n, "%s%s: %s", n ? "; " : "",
	    c->addr, why);
	c->attempt_err = err;
}

/* Formats ai as "1.2.3.4:25575" or "[::1]:25575" into c->addr. */
static void conn_format_addr(struct rc_conn *c, const struct addrinfo *ai)
{
	char h[INET6_ADDRSTRLEN + 8] = "?", p[16] = "?";
	getnameinfo(ai->ai_addr, ai->ai_addrlen, h, sizeof h, p, sizeof p,
	    NI_NUMERICHOST | NI_NUMERICSERV);
	snprintf(c->addr, sizeof c->addr, ai->ai_family == AF_INET6 ? "[%s]:%s" : "%s:%s", h, p);
}

/* The TCP connection is up: sends the login and waits for its answer. */
static void conn_connected(struct rc_conn *c)
{
	conn_del_timer(c, &c->t_deadline);
	if (c->ai) {
		freeaddrinfo(c->ai);
		c->ai = c->ai_next = NULL;
	}
	rc_loop_mod_fd(c->loop, c->fd, POLLIN);
	c->state = RC_STATE_AUTHENTICATING;
	c->auth_req = conn_next_req(c);
	conn_arm_deadline(c, c->auth_ms);
	conn_io_write_packet(c, c->auth_req, RC_TYPE_AUTH, c->password, strlen(c->password),
	    CONN_OUT_AUTH);
	conn_state_event(c, RC_STATE_CONNECTING, -1);
}

/* Starts a non-blocking connect to the next address; when none is left,
 * fails with the last address's reason. */
static void conn_try_next(struct rc_conn *c)
{
	while (c->ai_next) {
		struct addrinfo *ai = c->ai_next;
		c->ai_next = ai->ai_next;
		conn_format_addr(c, ai);
		int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    ai->ai_protocol);
		if (fd < 0) {
			conn_note_attempt(c, RC_ECONNECT, strerror(errno));
			continue;
		}
		conn_sockopts(fd);
		int rc = connect(fd, ai->ai_addr, ai->ai_addrlen);
		if (rc < 0 && errno != EINPROGRESS) {
			conn_note_attempt(c, RC_ECONNECT, strerror(errno));
			close(fd);
			continue;
		}
		if (rc_loop_add_fd(c->loop, fd, POLLOUT, conn_on_io, c) < 0) {
			conn_note_attempt(c, RC_ECONNECT, "out of memory");
			close(fd);
			continue;
		}
		c->fd = fd;
		if (rc == 0) {
			conn_connected(c);
			return;
		}
		conn_arm_deadline(c, c->connect_ms);
		return;
	}
	conn_fail(c, c->attempt_err ? c->attempt_err : RC_ECONNECT,
	    c->attempts[0] ? c->attempts : "no address to connect to", RC_ELOST);
}

/* The pending connect finished: checks SO_ERROR and goes on. */
static void conn_on_connect_ready(struct rc_conn *c)
{
	int soerr = 0;
	socklen_t sl = sizeof soerr;
	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
		soerr = errno;
	if (soerr == 0) {
		conn_connected(c);
		return;
	}
	conn_del_timer(c, &c->t_deadline);
	conn_close_fd(c);
	conn_note_attempt(c, RC_ECONNECT, strerror(soerr));
	conn_try_next(c);
}

/* Loop callback for the socket. */
static void conn_on_io(rc_loop *loop, int fd, int revents, void *arg)
{
	struct rc_conn *c = arg;
	conn_enter(c);
	if (c->state == RC_STATE_CONNECTING) {
		conn_on_connect_ready(c);
	} else {
		uint64_t epoch = c->epoch;
		if ((revents & (POLLOUT | POLLERR | POLLHUP)) && c->olen)
			conn_io_flush(c);
		if (c->epoch == epoch && !c->dead && (revents & (POLLIN | POLLHUP | POLLERR)))
			conn_io_readable(c);
	}
	conn_leave(c);
}

/* Timer: connect, auth or command deadline passed. */
static int64_t conn_on_deadline(rc_loop *loop, void *arg)
{
	struct rc_conn *c = arg;
	char why[128];
	c->t_deadline = 0;
	conn_enter(c);
	switch (c->state) {
	case RC_STATE_CONNECTING:
		conn_close_fd(c);
		snprintf(why, sizeof why, "no connection within %d ms", c->connect_ms);
		conn_note_attempt(c, RC_ETIMEOUT, why);
		conn_try_next(c);
		break;
	case RC_STATE_AUTHENTICATING:
		snprintf(why, sizeof why, "no answer to the login within %d ms", c->auth_ms);
		conn_fail(c, RC_ETIMEOUT, why, RC_ELOST);
		break;
	case RC_STATE_BUSY:
		snprintf(why, sizeof why, "no reply within %d ms", c->command_ms);
		conn_fail(c, RC_ETIMEOUT, why, RC_ETIMEOUT);
		break;
	case RC_STATE_READY:
		/* `stop` was answered but the connection stayed open: the server
		 * did not stop after all, so the held commands go out now. */
		c->stopping = false;
		conn_reasm_pump(c);
		break;
	default:
		break;
	}
	conn_leave(c);
	return RC_TIMER_DONE;
}

/* Resolver callback: tries the addresses in the order given. */
static void conn_on_resolved(void *arg, int err, struct addrinfo *ai, const char *cause)
{
	struct rc_conn *c = arg;
	c->res = NULL;
	conn_enter(c);
	if (err) {
		conn_fail(c, RC_ERESOLVE, cause ? cause : "name resolution failed", RC_ELOST);
	} else {
		c->ai = c->ai_next = ai;
		c->state = RC_STATE_CONNECTING;
		if (conn_state_event(c, RC_STATE_RESOLVING, -1))
			conn_try_next(c);
	}
	conn_leave(c);
}

/* Starts a new session: RESOLVING. */
static void conn_begin(struct rc_conn *c)
{
	rc_state prev = c->state;
	conn_teardown(c);
	if (c->begun)
		c->st.reconnects++;
	c->begun = true;
	c->state = RC_STATE_RESOLVING;
	c->err = 0;
	c->cause[0] = '\0';
	c->attempts[0] = '\0';
	c->attempt_err = 0;
	c->res = rc_resolve_start(c->loop, c->host, c->port, conn_on_resolved, c);
	if (!c->res) {
		conn_fail(c, RC_ENOMEM, "out of memory", RC_ELOST);
		return;
	}
	conn_state_event(c, prev, -1);
}

/* Timer: the backoff delay is over; tries again. */
static int64_t conn_on_backoff(rc_loop *loop, void *arg)
{
	struct rc_conn *c = arg;
	c->t_backoff = 0;
	conn_enter(c);
	conn_begin(c);
	conn_leave(c);
	return RC_TIMER_DONE;
}

/* Starts (or restarts) connecting. */
int rc_conn_start(rc_conn *c)
{
	if (!c || c->dead)
		return RC_EINVAL;
	switch (c->state) {
	case RC_STATE_IDLE:
	case RC_STATE_FAILED:
	case RC_STATE_AUTH_FAILED:
		c->attempt = 0;
		break;
	case RC_STATE_BACKOFF:
		break;
	default:
		return 0;
	}
	conn_enter(c);
	conn_begin(c);
	conn_leave(c);
	return 0;
}

/* Disconnects and goes IDLE. */
void rc_conn_stop(rc_conn *c)
{
	if (!c || c->dead || c->state == RC_STATE_IDLE)
		return;
	conn_enter(c);
	conn_finish(c, RC_STATE_IDLE, 0, "stopped", RC_ELOST);
	conn_leave(c);
}

/* Closes and frees (deferred when called from the connection's callback). */
void rc_conn_free(rc_conn *c)
{
	if (!c || c->dead)
		return;
	c->dead = true;
	conn_teardown(c);
	conn_cmds_free(c->cur);
	conn_cmds_free(c->qhead);
	c->cur = c->qhead = c->qtail = NULL;
	c->nq = 0;
	if (c->depth == 0)
		conn_destroy(c);
}

/* Checks, without sending, whether rc_conn_send() would accept cmd. */
int rc_conn_check(const rc_conn *c, const char *cmd)
{
	if (!c || !cmd || !cmd[0])
		return RC_EINVAL;
	size_t len = strcspn(cmd, "\r\n");
	if (cmd[len])
		return RC_EINVAL;
	size_t max = c->dialect == RC_DIALECT_SOURCE ? RC_SOURCE_BODY_MAX : RC_MC_BODY_MAX;
	if (len > max)
		return RC_ETOOLONG;
	if (c->read_only && !rc_policy_allows((const char *const *)c->allow, c->n_allow, cmd))
		return RC_EREADONLY;
	return 0;
}

/* Queues cmd behind the one in flight, or writes it at once when idle. */
int rc_conn_send(rc_conn *c, const char *cmd, void *tag, uint64_t *id)
{
	if (!c || c->dead || !cmd)
		return RC_EINVAL;
	if (c->state != RC_STATE_READY && c->state != RC_STATE_BUSY)
		return RC_ENOTREADY;
	int rc = rc_conn_check(c, cmd);
	if (rc < 0)
		return rc;
	if (c->nq >= c->max_queue)
		return RC_EFULL;
	size_t len = strlen(cmd);
	struct conn_cmd *k = calloc(1, sizeof *k + len + 1);
	if (!k)
		return RC_ENOMEM;
	k->id = ++c->next_cmd;
	k->tag = tag;
	k->len = len;
	k->is_stop = conn_reasm_is_stop(cmd);
	memcpy(k->text, cmd, len + 1);
	/* Straight to the wire only when nothing waits; otherwise the queue is
	 * drained from the loop, so no event can fire from inside this call. */
	bool direct = c->state == RC_STATE_READY && !c->cur && !c->qhead;
	if (c->qtail)
		c->qtail->next = k;
	else
		c->qhead = k;
	c->qtail = k;
	c->nq++;
	if (id)
		*id = k->id;
	if (direct)
		conn_reasm_pump(c);
	return 0;
}

/* Returns the state. */
rc_state rc_conn_state(const rc_conn *c)
{
	return c ? c->state : RC_STATE_IDLE;
}

/* Returns the last failure code and cause. */
int rc_conn_last_error(const rc_conn *c, const char **cause)
{
	if (cause)
		*cause = c && c->cause[0] ? c->cause : NULL;
	return c ? c->err : RC_EINVAL;
}

/* Returns ms until the next reconnect attempt in BACKOFF, else -1. */
int64_t rc_conn_retry_in_ms(const rc_conn *c)
{
	if (!c || c->state != RC_STATE_BACKOFF)
		return -1;
	int64_t d = c->retry_at - rc_now_ms();
	return d < 0 ? 0 : d;
}

/* Returns the number of commands queued or in flight. */
size_t rc_conn_pending(const rc_conn *c)
{
	return c ? c->nq + (c->cur ? 1 : 0) : 0;
}

/* Returns the counters. */
const rc_conn_stats *rc_conn_get_stats(const rc_conn *c)
{
	return &c->st;
}

/* Returns whether the read-only policy is on. */
bool rc_conn_read_only(const rc_conn *c)
{
	return c && c->read_only;
}

/* Turns read-only on (never off). */
void rc_conn_set_read_only(rc_conn *c, bool on)
{
	if (c && on)
		c->read_only = true;
}
