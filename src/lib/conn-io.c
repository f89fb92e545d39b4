/* conn-io.c: the connection driver's system calls — the name lookup, a
 * non-blocking connect to every address in turn, and the socket's reads and
 * writes.  Every outcome goes to the core (core.h), which decides.
 *
 * Output: the core hands out one packet at a time; it goes to send() whole,
 * and a partial write keeps the rest for POLLOUT (vanilla drops the
 * connection when a packet is split across reads or two share one).  A
 * write error is reported from the timer, as no event may fire inside the
 * public call that found it.  Input: read in 64 KiB chunks straight into
 * the core, a few rounds per wake-up (fairness between servers).
 *
 * Tunnel (ssh = / proxy_command, tunnel-int.h): no lookup and no connect;
 * the one "address" is a child process whose stdio is the other end of a
 * socketpair, read and written by the same code as a TCP socket.  Its end
 * of stream or error is reported with the child's stderr as the cause,
 * once that stderr has ended too (or after a short wait on the loop). */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rconsole/error.h"
#include "conn-internal.h"
#include "resolve-int.h"

/* Keep-alive: first probe after 30 s idle, then every 10 s, 3 misses: a dead
 * peer is noticed in about a minute with no RCON chatter at all. */
enum { CONN_KEEPIDLE = 30, CONN_KEEPINTVL = 10, CONN_KEEPCNT = 3 };
/* Bytes read per recv() and reads per wake-up. */
enum { CONN_IO_CHUNK = 65536, CONN_IO_ROUNDS = 16 };
/* How long a tunnel's end waits for its child's last stderr words. */
enum { CONN_TUNNEL_WORDS_MS = 250 };

/* Closes the socket of the current attempt (and ends a tunnel's child:
 * its stderr is unwatched first when it was being waited on). */
void conn_io_close(struct rc_conn *c)
{
	if (c->fd < 0)
		return;
	if (c->w_fd == c->fd || (c->w_fd >= 0 && c->w_fd == c->tun.err_fd)) {
		c->ad.watch(c->ctx, c, c->w_fd, 0);
		c->w_fd = -1;
		c->w_events = 0;
	}
	close(c->fd);
	c->fd = -1;
	c->wblock = false;
	c->tun_end = false;
	/* A child that outlives SIGTERM gets SIGKILL from the loop; the timer
	 * names it by serial, so the connection may be gone by then.  Through
	 * the caller's adapter, the connection's own timer is armed for it
	 * (conn_sync_timer) while the connection lives, then the reaper thread
	 * of tunnel.c (tunnel_disown). */
	uint64_t pending = tunnel_close(&c->tun, c);
	if (pending && c->loop)
		rc_loop_add_timer(c->loop, TUNNEL_KILL_AFTER_MS, tunnel_on_kill_timer,
		    (void *)(uintptr_t)pending);
	else if (pending)
		c->tun_kill = true;
}

/* Drops the lookup, the address list and the socket. */
void conn_io_reset(struct rc_conn *c)
{
	if (c->res) {
		if (c->res_fd >= 0 && c->w_fd == c->res_fd) {
			c->ad.watch(c->ctx, c, c->res_fd, 0);
			c->w_fd = -1;
			c->w_events = 0;
		}
		resolve_job_cancel(c->res);
		c->res = NULL;
		c->res_fd = -1;
	}
	if (c->ai) {
		freeaddrinfo(c->ai);
		c->ai = c->ai_next = NULL;
	}
	conn_io_close(c);
}

/* Starts looking the server's name up (the result comes through the
 * watched pipe, or from the timer for a numeric address). */
void conn_io_resolve(struct rc_conn *c)
{
	if (tunnel_cfg_on(&c->tc)) {
		/* The far end resolves the name; the one "address" is the child. */
		c->tun_tried = false;
		core_resolved(c->k, rc_now_us(), 0, NULL);
		return;
	}
	c->res = resolve_job_start(core_host(c->k), core_port(c->k), &c->res_fd);
	if (!c->res)
		core_resolved(c->k, rc_now_us(), RC_ERESOLVE, "out of memory");
}

/* Takes the lookup's result and hands it to the core. */
void conn_io_resolved(struct rc_conn *c)
{
	rc_resolve *r = c->res;
	if (c->res_fd >= 0 && c->w_fd == c->res_fd) {
		c->ad.watch(c->ctx, c, c->res_fd, 0);
		c->w_fd = -1;
		c->w_events = 0;
	}
	c->res = NULL;
	c->res_fd = -1;
	char cause[160];
	struct addrinfo *ai = NULL;
	int err = resolve_job_take(r, &ai, cause, sizeof cause);
	c->ai = c->ai_next = ai;
	core_resolved(c->k, rc_now_us(), err, err ? cause : NULL);
}

/* Sets keep-alive and no-delay on a new socket (best effort). */
static void conn_io_sockopts(int fd)
{
	int on = 1, idle = CONN_KEEPIDLE, intvl = CONN_KEEPINTVL, cnt = CONN_KEEPCNT;
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof intvl);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

/* Formats ai as "1.2.3.4:25575" or "[::1]:25575" into c->addr. */
static void conn_io_format_addr(struct rc_conn *c, const struct addrinfo *ai)
{
	char h[INET6_ADDRSTRLEN + 8] = "?", p[16] = "?";
	getnameinfo(ai->ai_addr, ai->ai_addrlen, h, sizeof h, p, sizeof p,
	    NI_NUMERICHOST | NI_NUMERICSERV);
	snprintf(c->addr, sizeof c->addr, ai->ai_family == AF_INET6 ? "[%s]:%s" : "%s:%s", h, p);
}

/* Starts the tunnel's child instead of a connect (one attempt per session).
 * Its stream counts as connected at once: the login goes out and the auth
 * timeout bounds the child's setting up; when it fails instead, its stderr
 * says why (conn_io_tunnel_end). */
static void conn_io_tunnel_start(struct rc_conn *c)
{
	int64_t now = rc_now_us();
	if (c->tun_tried) {
		core_no_address(c->k, now);
		return;
	}
	c->tun_tried = true;
	if (c->tc.ssh)
		snprintf(c->addr, sizeof c->addr, "ssh %.58s", c->tc.ssh);
	else
		snprintf(c->addr, sizeof c->addr, "proxy_command");
	char why[160] = "";
	char **argv = NULL;
	int fd = -1;
	if (tunnel_argv(&c->tc, core_host(c->k), core_port(c->k), &argv, why, sizeof why) < 0 ||
	    tunnel_spawn(&c->tun, argv, core_password(c->k), &fd, why, sizeof why) < 0) {
		tunnel_argv_free(argv);
		core_attempt_failed(c->k, now, c->addr, RC_ECONNECT, why);
		return;
	}
	tunnel_argv_free(argv);
	c->fd = fd;
	core_attempt_begin(c->k, now, c->addr);
	core_connected(c->k, now);
}

/* The tunnel's stream ended or failed.  The child is exiting and may not
 * have finished its message: unless its stderr is at EOF already, the
 * report waits — on the loop, never blocking it — for that EOF or
 * CONN_TUNNEL_WORDS_MS, whichever comes first (conn_io_tunnel_finish). */
void conn_io_tunnel_end(struct rc_conn *c, int err, const char *why)
{
	if (c->tun_end)
		return;
	c->tun_end_err = err;
	snprintf(c->tun_end_why, sizeof c->tun_end_why, "%s", why ? why : "");
	if (tunnel_drain(&c->tun) == 0) {
		conn_io_tunnel_finish(c);
		return;
	}
	c->tun_end = true;
	c->tun_end_at = rc_now_us() + (int64_t)CONN_TUNNEL_WORDS_MS * 1000;
}

/* Reads the child's stderr while its end is awaited; at EOF, reports. */
void conn_io_tunnel_drain(struct rc_conn *c)
{
	if (c->tun_end && tunnel_drain(&c->tun) == 0)
		conn_io_tunnel_finish(c);
}

/* Reports the tunnel's end: the child's last stderr line is the cause (an
 * ssh authentication or host key failure is RC_EAUTH: terminal); with
 * nothing said, the failure that ended it, or else the server closing, as
 * over TCP. */
void conn_io_tunnel_finish(struct rc_conn *c)
{
	c->tun_end = false;
	int err = c->tun_end_err;
	const char *why = c->tun_end_why[0] ? c->tun_end_why : NULL;
	char line[200], cause[240];
	if (tunnel_cause_line(&c->tun, line, sizeof line)) {
		/* Named once: ssh names itself in most of its lines ("ssh:
		 * connect to host ..."), not in all ("Host key verification
		 * failed."). */
		const char *who = c->tc.ssh ? "ssh" : "proxy_command";
		size_t n = strlen(who);
		bool named = !strncmp(line, who, n) && line[n] == ':';
		snprintf(cause, sizeof cause, "%s%s%s", named ? "" : who, named ? "" : ": ", line);
		core_io_error(c->k, rc_now_us(), tunnel_classify(line), cause);
	} else if (why) {
		core_io_error(c->k, rc_now_us(), err, why);
	} else {
		core_eof(c->k, rc_now_us());
	}
}

/* Starts a non-blocking connect to the next address; when none is left,
 * tells the core.  A failure at once asks the core, which asks for the next
 * address again (the sync step loops).  With a tunnel, starts its child. */
void conn_io_connect_next(struct rc_conn *c)
{
	if (tunnel_cfg_on(&c->tc)) {
		conn_io_tunnel_start(c);
		return;
	}
	int64_t now = rc_now_us();
	struct addrinfo *ai = c->ai_next;
	if (!ai) {
		if (c->ai) {
			freeaddrinfo(c->ai);
			c->ai = NULL;
		}
		core_no_address(c->k, now);
		return;
	}
	c->ai_next = ai->ai_next;
	conn_io_format_addr(c, ai);
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    ai->ai_protocol);
	if (fd < 0) {
		core_attempt_failed(c->k, now, c->addr, RC_ECONNECT, strerror(errno));
		return;
	}
	conn_io_sockopts(fd);
	int rc = connect(fd, ai->ai_addr, ai->ai_addrlen);
	if (rc < 0 && errno != EINPROGRESS) {
		int e = errno;
		close(fd);
		core_attempt_failed(c->k, now, c->addr, RC_ECONNECT, strerror(e));
		return;
	}
	c->fd = fd;
	core_attempt_begin(c->k, now, c->addr);
	if (rc == 0)
		conn_io_connect_done(c);
}

/* The pending connect finished: checks SO_ERROR and tells the core. */
void conn_io_connect_done(struct rc_conn *c)
{
	int soerr = 0;
	socklen_t sl = sizeof soerr;
	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
		soerr = errno;
	if (soerr == EINPROGRESS || soerr == EALREADY)
		return;
	if (soerr == 0) {
		if (c->ai) {
			freeaddrinfo(c->ai);
			c->ai = c->ai_next = NULL;
		}
		core_connected(c->k, rc_now_us());
		return;
	}
	conn_io_close(c);
	core_attempt_failed(c->k, rc_now_us(), c->addr, RC_ECONNECT, strerror(soerr));
}

/* Remembers a write failure for the timer (first one wins). */
static void conn_io_defer_fail(struct rc_conn *c, int err, const char *cause)
{
	if (c->defer)
		return;
	c->defer = true;
	c->defer_err = err;
	snprintf(c->defer_cause, sizeof c->defer_cause, "%s", cause);
}

/* Returns true in the states where the socket carries RCON packets (not
 * once a tunnel's stream has ended). */
static bool conn_io_live(const struct rc_conn *c)
{
	rc_state s = core_state(c->k);
	return c->fd >= 0 && !c->tun_end && (s == RC_STATE_AUTHENTICATING || s == RC_STATE_READY ||
	    s == RC_STATE_BUSY);
}

/* Writes what the core has to write, until done or the socket is full;
 * returns the time of the last write (the clock read it was told at), or
 * 0 when nothing was written. */
int64_t conn_io_flush(struct rc_conn *c)
{
	int64_t wrote = 0;
	while (conn_io_live(c) && !c->wblock && !c->defer) {
		size_t n;
		const uint8_t *p = core_output(c->k, &n);
		if (!n)
			return wrote;
		ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			c->wblock = true;
			return wrote;
		}
		if (w <= 0) {
			char why[128];
			snprintf(why, sizeof why, "write: %s", w < 0 ? strerror(errno) : "nothing written");
			conn_io_defer_fail(c, RC_ECLOSED, why);
			return wrote;
		}
		wrote = rc_now_us();
		core_wrote(c->k, wrote, (size_t)w);
		if ((size_t)w < n)
			c->wblock = true;   /* the rest goes when the socket drains */
	}
	return wrote;
}

/* Reads what the socket holds into the core; stops when the session's life
 * changes (the socket may be closed or replaced by then). */
void conn_io_read(struct rc_conn *c)
{
	uint8_t buf[CONN_IO_CHUNK];
	uint64_t epoch = core_epoch(c->k);
	int fd = c->fd;
	if (c->tun.err_fd >= 0)
		tunnel_drain(&c->tun);   /* its stderr pipe never fills */
	for (int round = 0; round < CONN_IO_ROUNDS; round++) {
		ssize_t n = recv(fd, buf, sizeof buf, 0);
		if (n > 0) {
			core_input(c->k, rc_now_us(), buf, (size_t)n);
			if (c->dead || core_epoch(c->k) != epoch || c->fd != fd ||
			    (size_t)n < sizeof buf)
				return;
			continue;
		}
		if (n == 0) {
			if (c->tun.pid)
				conn_io_tunnel_end(c, 0, NULL);
			else
				core_eof(c->k, rc_now_us());
			return;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return;
		char why[128];
		snprintf(why, sizeof why, "read: %s", strerror(errno));
		if (c->tun.pid)
			conn_io_tunnel_end(c, RC_ECLOSED, why);
		else
			core_io_error(c->k, rc_now_us(), RC_ECLOSED, why);
		return;
	}
}
