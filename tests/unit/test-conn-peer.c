/* test-conn-peer.c: the scripted RCON peer and the event recorder used by
 * test-conn.c and test-conn-reasm.c (see test-conn-peer.h). */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rconsole/error.h"
#include "rconsole/packet.h"
#include "test-conn-peer.h"

/* Characters of the "genu" pattern: 1, 2, 3, 2, 3 and 1 bytes. */
static const char *const peer_uchars[] = {
	"a", "\xc3\xa9", "\xe2\x82\xac", "\xd0\xb6", "\xe2\x9c\x93", "b",
};

/* Returns byte i of the "gen" pattern (changes phase every 4096 bytes, so a
 * lost or repeated fragment cannot line up by chance). */
char peer_pattern(size_t i)
{
	static const char set[] =
	    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
	return set[(i + (i / 4096) * 7) % (sizeof set - 1)];
}

/* Fills out (when not NULL) with n characters of the "genu" pattern. */
size_t peer_upattern(char *out, size_t n_chars)
{
	size_t len = 0;
	for (size_t i = 0; i < n_chars; i++) {
		const char *s = peer_uchars[i % (sizeof peer_uchars / sizeof peer_uchars[0])];
		size_t k = strlen(s);
		if (out)
			memcpy(out + len, s, k);
		len += k;
	}
	return len;
}

static void peer_on_client(rc_loop *loop, int fd, int revents, void *arg);

/* Updates the events watched on the client socket. */
static void peer_watch(struct peer *p)
{
	if (p->cfd < 0)
		return;
	short ev = (p->reading ? POLLIN : 0) | (p->outoff < p->outlen ? POLLOUT : 0);
	rc_loop_mod_fd(p->loop, p->cfd, ev);
}

/* Closes the current client connection. */
void peer_drop(struct peer *p)
{
	if (p->cfd < 0)
		return;
	rc_loop_del_fd(p->loop, p->cfd);
	close(p->cfd);
	p->cfd = -1;
	p->inlen = p->outlen = p->outoff = 0;
	p->close_after_flush = false;
	p->authed = false;
	rc_loop_del_timer(p->loop, p->hold_timer);
	p->hold_timer = 0;
	free(p->hold_cmd);
	p->hold_cmd = NULL;
}

/* Records a broken wire rule and drops the client, as vanilla does. */
static void peer_violation(struct peer *p, const char *why)
{
	p->violations++;
	snprintf(p->why, sizeof p->why, "%s", why);
	peer_drop(p);
}

/* Writes what is pending (one byte per call when dripping). */
static void peer_flush(struct peer *p)
{
	while (p->cfd >= 0 && p->outoff < p->outlen) {
		size_t n = p->drip ? 1 : p->outlen - p->outoff;
		ssize_t w = write(p->cfd, p->out + p->outoff, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (w < 0) {
			peer_drop(p);
			return;
		}
		p->outoff += (size_t)w;
		if (p->drip)
			break;
	}
	if (p->cfd >= 0 && p->outoff == p->outlen) {
		p->outoff = p->outlen = 0;
		if (p->close_after_flush) {
			peer_drop(p);
			return;
		}
	}
	peer_watch(p);
}

/* Appends raw bytes to the output. */
static void peer_raw(struct peer *p, const void *data, size_t n)
{
	if (p->outlen + n > p->outcap) {
		size_t cap = p->outcap ? p->outcap : 65536;
		while (cap < p->outlen + n)
			cap *= 2;
		p->out = realloc(p->out, cap);
		cr_assert_not_null(p->out);
		p->outcap = cap;
	}
	memcpy(p->out + p->outlen, data, n);
	p->outlen += n;
}

/* Queues one packet. */
static void peer_send(struct peer *p, int32_t id, int32_t type, const void *body, size_t len)
{
	uint8_t *buf = malloc(len + RC_PKT_OVERHEAD);
	cr_assert_not_null(buf);
	long n = rc_packet_encode(buf, len + RC_PKT_OVERHEAD, id, type, body, len);
	cr_assert_gt(n, 0);
	peer_raw(p, buf, (size_t)n);
	free(buf);
}

/* Sends a reply cut the way the peer's style cuts it: vanilla every 4096
 * characters (BMP here, so code points = UTF-16 units), forge every 4096
 * bytes and nothing for an empty reply, source every 4086 bytes. */
static void peer_reply(struct peer *p, int32_t id, const char *data, size_t n)
{
	if (n == 0) {
		if (p->style != PEER_FORGE)
			peer_send(p, id, p->reply_type, "", 0);
		return;
	}
	size_t off = 0;
	while (off < n) {
		size_t end;
		if (p->style == PEER_VANILLA) {
			size_t chars = 0;
			end = off;
			while (end < n) {
				if (((unsigned char)data[end] & 0xc0) != 0x80) {
					if (chars == 4096)
						break;
					chars++;
				}
				end++;
			}
		} else {
			size_t cut = p->style == PEER_FORGE ? 4096 : 4086;
			end = n - off > cut ? off + cut : n;
		}
		peer_send(p, id, p->reply_type, data + off, end - off);
		off = end;
	}
}

static void peer_process(struct peer *p);
static int64_t peer_on_hold(rc_loop *loop, void *arg);

/* Returns true for "stop" as vanilla reads it: optional '/', any case. */
static bool peer_is_stop(const char *cmd)
{
	if (*cmd == '/')
		cmd++;
	return strncasecmp(cmd, "stop", 4) == 0 && (cmd[4] == '\0' || cmd[4] == ' ');
}

/* Runs one command and queues its answer. */
static void peer_exec(struct peer *p, int32_t id, const char *cmd)
{
	char *end;
	if (strncmp(cmd, "hold ", 5) == 0) {
		long ms = strtol(cmd + 5, &end, 10);
		p->reading = false;
		p->hold_id = id;
		p->hold_cmd = strdup(*end == ' ' ? end + 1 : end);
		p->hold_timer = rc_loop_add_timer(p->loop, ms, peer_on_hold, p);
		return;
	}
	if (strcmp(cmd, "hang") == 0) {
		p->reading = false;
		return;
	}
	if (strncmp(cmd, "gen ", 4) == 0 || strncmp(cmd, "genu ", 5) == 0) {
		bool u = cmd[3] == 'u';
		size_t n = strtoul(cmd + (u ? 5 : 4), NULL, 10);
		size_t bytes = u ? peer_upattern(NULL, n) : n;
		char *buf = malloc(bytes + 1);
		cr_assert_not_null(buf);
		if (u)
			peer_upattern(buf, n);
		else
			for (size_t i = 0; i < n; i++)
				buf[i] = peer_pattern(i);
		peer_reply(p, id, buf, bytes);
		free(buf);
		return;
	}
	if (strcmp(cmd, "splitchar") == 0) {
		char buf[4095 + 3 + 4];
		memset(buf, 'x', 4095);
		memcpy(buf + 4095, "\xe2\x82\xac" "tail", 7);
		peer_reply(p, id, buf, sizeof buf);
		return;
	}
	if (strcmp(cmd, "empty") == 0) {
		peer_reply(p, id, "", 0);
	} else if (strcmp(cmd, "dup") == 0) {
		peer_send(p, id, RC_TYPE_RESPONSE, "one", 3);
		peer_send(p, id, RC_TYPE_RESPONSE, "two", 3);
	} else if (strcmp(cmd, "type4") == 0) {
		peer_send(p, id, 4, "rust", 4);
		peer_reply(p, id, "ok", 2);
	} else if (strcmp(cmd, "stray") == 0) {
		peer_send(p, 424242, RC_TYPE_RESPONSE, "stray!", 6);
		peer_reply(p, id, "ok", 2);
	} else if (strcmp(cmd, "garbage") == 0) {
		static const uint8_t bad[] = { 5, 0, 0, 0, 1, 0, 0, 0, 0 };
		peer_raw(p, bad, sizeof bad);
	} else if (strcmp(cmd, "oversize") == 0) {
		uint8_t big[12];
		rc_le32_put(big, 2 * 1024 * 1024);
		rc_le32_put(big + 4, id);
		rc_le32_put(big + 8, 0);
		peer_raw(p, big, sizeof big);
	} else if (strcmp(cmd, "dropmid") == 0) {
		char buf[4096];
		for (size_t i = 0; i < sizeof buf; i++)
			buf[i] = peer_pattern(i);
		peer_send(p, id, RC_TYPE_RESPONSE, buf, sizeof buf);
		p->close_after_flush = true;
	} else if (strcmp(cmd, "drop") == 0) {
		peer_drop(p);
		return;
	} else if (peer_is_stop(cmd)) {
		if (!p->stop_silent)
			peer_reply(p, id, "Stopping the server", 19);
		if (p->stop_stays)
			return;
		p->close_after_flush = true;
		if (p->outlen == 0) {
			peer_drop(p);
			return;
		}
	} else {
		size_t n = strlen(cmd);
		char *buf = malloc(n + 4);
		cr_assert_not_null(buf);
		memcpy(buf, "re:", 3);
		memcpy(buf + 3, cmd, n);
		peer_reply(p, id, buf, n + 3);
		free(buf);
	}
}

/* Timer: a held command's time is up; runs it and reads again. */
static int64_t peer_on_hold(rc_loop *loop, void *arg)
{
	struct peer *p = arg;
	p->hold_timer = 0;
	char *cmd = p->hold_cmd;
	p->hold_cmd = NULL;
	p->reading = true;
	if (cmd && p->cfd >= 0)
		peer_exec(p, p->hold_id, cmd);
	free(cmd);
	peer_flush(p);
	peer_process(p);
	return RC_TIMER_DONE;
}

/* Handles one packet from the client. */
static void peer_packet(struct peer *p, const rc_packet *k)
{
	if (p->nlog == p->caplog) {
		p->caplog = p->caplog ? p->caplog * 2 : 64;
		p->log = realloc(p->log, p->caplog * sizeof *p->log);
		cr_assert_not_null(p->log);
	}
	struct peer_pkt *l = &p->log[p->nlog++];
	l->id = k->id;
	l->type = k->type;
	l->len = k->body_len;
	l->body = malloc(k->body_len + 1);
	memcpy(l->body, k->body, k->body_len);
	l->body[k->body_len] = '\0';
	l->conn = p->accepts;

	if (k->type == RC_TYPE_AUTH) {
		if (p->mute)
			return;
		bool ok = strcmp(l->body, p->password) == 0;
		p->authed = ok;
		if (p->style == PEER_SOURCE)
			peer_send(p, k->id, RC_TYPE_RESPONSE, "", 0);
		peer_send(p, ok ? k->id : -1, RC_TYPE_AUTH_REPLY, "", 0);
		if (ok && p->welcome)
			peer_send(p, 0, RC_TYPE_RESPONSE, "Welcome to the panel", 20);
	} else if (k->type == RC_TYPE_EXEC) {
		if (!p->authed)
			peer_send(p, -1, RC_TYPE_AUTH_REPLY, "", 0);
		else
			peer_exec(p, k->id, l->body);
	} else if (p->style == PEER_SOURCE) {
		static const char trailer[8] = { 0, 0, 0, 1, 0, 0, 0, 0 };
		if (k->type == RC_TYPE_RESPONSE && k->body_len == 0) {
			peer_send(p, k->id, RC_TYPE_RESPONSE, "", 0);
			peer_send(p, k->id, RC_TYPE_RESPONSE, trailer, sizeof trailer);
		}
	} else {
		char msg[64];
		int n = snprintf(msg, sizeof msg, "Unknown request %x", (unsigned)k->type);
		peer_send(p, k->id, RC_TYPE_RESPONSE, msg, (size_t)n);
	}
}

/* Decodes and handles buffered input while the peer is reading. */
static void peer_process(struct peer *p)
{
	int fd = p->cfd;
	size_t off = 0;
	while (p->cfd == fd && fd >= 0 && p->reading) {
		rc_packet k;
		size_t used;
		int r = rc_packet_decode(p->in + off, p->inlen - off, 0, &k, &used, NULL);
		if (r == RC_DECODE_NEED_MORE)
			break;
		if (r == RC_DECODE_MALFORMED) {
			peer_violation(p, "malformed packet from the client");
			return;
		}
		peer_packet(p, &k);
		off += used;
	}
	if (p->cfd != fd || fd < 0)
		return;
	memmove(p->in, p->in + off, p->inlen - off);
	p->inlen -= off;
	peer_flush(p);
}

/* Loop callback for the client socket: the vanilla read rule lives here. */
static void peer_on_client(rc_loop *loop, int fd, int revents, void *arg)
{
	struct peer *p = arg;
	if (fd != p->cfd)
		return;
	if (revents & POLLOUT)
		peer_flush(p);
	if (p->cfd != fd || !p->reading || !(revents & (POLLIN | POLLHUP | POLLERR)))
		return;
	uint8_t buf[65536];
	size_t max = p->strict ? RC_MC_READ_MAX : sizeof buf;
	ssize_t n = read(fd, buf, max);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		peer_drop(p);
		return;
	}
	if (p->strict && (n < RC_PKT_MIN_LEN || rc_le32_get(buf) != n - 4)) {
		char why[160];
		snprintf(why, sizeof why, "one read() of %zd bytes holds length field %d: "
		    "two packets in one read, or one packet split", n, n >= 4 ? rc_le32_get(buf) : -1);
		peer_violation(p, why);
		return;
	}
	if (p->inlen + (size_t)n > p->incap) {
		p->incap = (p->inlen + (size_t)n) * 2;
		p->in = realloc(p->in, p->incap);
		cr_assert_not_null(p->in);
	}
	memcpy(p->in + p->inlen, buf, (size_t)n);
	p->inlen += (size_t)n;
	peer_process(p);
}

/* Loop callback for the listening socket. */
static void peer_on_accept(rc_loop *loop, int fd, int revents, void *arg)
{
	struct peer *p = arg;
	int c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (c < 0)
		return;
	peer_drop(p);
	p->accepts++;
	p->cfd = c;
	p->reading = true;
	if (p->reject) {
		close(c);
		p->cfd = -1;
		return;
	}
	rc_loop_add_fd(loop, c, POLLIN, peer_on_client, p);
}

/* Starts listening on the loopback address. */
struct peer *peer_new(rc_loop *loop, enum peer_style style, bool v6)
{
	struct peer *p = calloc(1, sizeof *p);
	cr_assert_not_null(p);
	p->loop = loop;
	p->style = style;
	p->password = "pw";
	p->strict = style != PEER_SOURCE;
	p->lfd = p->cfd = -1;
	p->reading = true;
	p->v6 = v6;
	int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		free(p);
		return NULL;
	}
	int on = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	struct sockaddr_storage ss;
	socklen_t sl;
	memset(&ss, 0, sizeof ss);
	if (v6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		sl = sizeof *a;
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;
		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sl = sizeof *a;
	}
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, 16) < 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl) < 0) {
		close(fd);
		free(p);
		return NULL;
	}
	p->port = ntohs(v6 ? ((struct sockaddr_in6 *)&ss)->sin6_port :
	    ((struct sockaddr_in *)&ss)->sin_port);
	p->lfd = fd;
	rc_loop_add_fd(loop, fd, POLLIN, peer_on_accept, p);
	return p;
}

/* Frees the peer. */
void peer_free(struct peer *p)
{
	if (!p)
		return;
	peer_drop(p);
	if (p->lfd >= 0) {
		rc_loop_del_fd(p->loop, p->lfd);
		close(p->lfd);
	}
	for (size_t i = 0; i < p->nlog; i++)
		free(p->log[i].body);
	free(p->log);
	free(p->in);
	free(p->out);
	free(p);
}

/* Returns how many logged packets have the given type. */
int peer_count_type(const struct peer *p, int32_t type)
{
	int n = 0;
	for (size_t i = 0; i < p->nlog; i++)
		n += p->log[i].type == type;
	return n;
}

/* Records one event. */
void rec_cb(rc_conn *c, const rc_event *ev, void *arg)
{
	struct rec *r = arg;
	if (r->in_send)
		r->reentrant++;
	if (ev->type == RC_EV_STATE) {
		cr_assert_lt(r->nstates, 128, "too many state events");
		r->states[r->nstates] = ev->state;
		r->errs[r->nstates] = ev->err;
		r->retry[r->nstates] = ev->retry_ms;
		r->nstates++;
		if (r->free_on_state && ev->state == r->free_state) {
			rc_conn_free(c);
			if (r->freed)
				*r->freed = NULL;
		}
		return;
	}
	if (ev->type == RC_EV_STRAY) {
		if (r->strays < 32) {
			r->stray_ids[r->strays] = ev->stray_id;
			r->stray_types[r->strays] = ev->stray_type;
		}
		r->strays++;
		return;
	}
	cr_assert_lt(r->nreplies, 256, "too many replies");
	struct rec_reply *y = &r->replies[r->nreplies++];
	y->cmd = ev->cmd;
	y->tag = ev->tag;
	y->status = ev->status;
	y->len = ev->len;
	y->frags = ev->fragments;
	y->rtt_us = ev->rtt_us;
	y->body = malloc(ev->len + 1);
	cr_assert_not_null(y->body);
	if (ev->body) {
		cr_assert_eq(ev->body[ev->len], '\0', "reply body not NUL-terminated");
		memcpy(y->body, ev->body, ev->len);
	}
	y->body[ev->len] = '\0';
	if (r->free_on_reply) {
		rc_conn_free(c);
		if (r->freed)
			*r->freed = NULL;
	} else if (r->stop_on_reply && r->nreplies == 1) {
		rc_conn_stop(c);
	} else if (r->send_on_reply && ev->status == 0) {
		r->in_send = true;
		rc_conn_send(c, "list", NULL, NULL);
		r->in_send = false;
	}
}

/* Frees the recorded bodies. */
void rec_clear(struct rec *r)
{
	for (int i = 0; i < r->nreplies; i++)
		free(r->replies[i].body);
	r->nreplies = 0;
}

/* Returns true when state s was reported. */
bool rec_saw_state(const struct rec *r, rc_state s)
{
	for (int i = 0; i < r->nstates; i++)
		if (r->states[i] == s)
			return true;
	return false;
}

/* Returns the last reported state, or -1. */
int rec_last_state(const struct rec *r)
{
	return r->nstates ? (int)r->states[r->nstates - 1] : -1;
}

/* Runs the loop until pred holds or the deadline passes. */
bool run_until(rc_loop *loop, bool (*pred)(void *), void *arg, int timeout_ms)
{
	int64_t end = rc_now_ms() + timeout_ms;
	while (!pred(arg)) {
		if (rc_now_ms() >= end)
			return false;
		rc_loop_run_once(loop, 20);
	}
	return true;
}

/* Returns false: run_for's predicate. */
static bool run_never(void *arg)
{
	return false;
}

/* Runs the loop for about ms milliseconds. */
void run_for(rc_loop *loop, int ms)
{
	run_until(loop, run_never, NULL, ms);
}

/* Creates the loop and the peer and fills the options. */
bool tc_init(struct tc *t, enum peer_style style, bool v6)
{
	memset(t, 0, sizeof *t);
	t->loop = rc_loop_new();
	cr_assert_not_null(t->loop);
	t->peer = peer_new(t->loop, style, v6);
	if (!t->peer)
		return false;
	snprintf(t->port, sizeof t->port, "%u", (unsigned)t->peer->port);
	rc_conn_opts_init(&t->opts);
	t->opts.host = v6 ? "::1" : "127.0.0.1";
	t->opts.port = t->port;
	t->opts.password = "pw";
	t->opts.reconnect = false;
	t->opts.quiet_ms = 5000;
	t->opts.dialect = style == PEER_SOURCE ? RC_DIALECT_SOURCE : RC_DIALECT_MINECRAFT;
	return true;
}

/* Returns true when the harness's connection is READY. */
bool tc_is_ready(void *arg)
{
	struct tc *t = arg;
	return t->conn && rc_conn_state(t->conn) == RC_STATE_READY;
}

/* Returns true when the connection reached a state it stays in. */
bool tc_is_terminal(void *arg)
{
	struct tc *t = arg;
	rc_state s = rc_conn_state(t->conn);
	return s == RC_STATE_READY || s == RC_STATE_FAILED || s == RC_STATE_AUTH_FAILED ||
	    s == RC_STATE_IDLE;
}

/* Creates the connection and runs until READY. */
void tc_connect(struct tc *t)
{
	t->conn = rc_conn_new(t->loop, &t->opts, rec_cb, &t->rec);
	cr_assert_not_null(t->conn);
	cr_assert_eq(rc_conn_start(t->conn), 0);
	cr_assert(run_until(t->loop, tc_is_ready, t, 10000), "not ready: state %s",
	    rc_state_name(rc_conn_state(t->conn)));
}

struct tc_wait {
	struct tc *t;
	int n;
};

/* Returns true when at least n replies were recorded. */
static bool tc_has_replies(void *arg)
{
	struct tc_wait *w = arg;
	return w->t->rec.nreplies >= w->n;
}

/* Sends cmd and waits for its reply. */
struct rec_reply *tc_command(struct tc *t, const char *cmd)
{
	struct tc_wait w = { t, t->rec.nreplies + 1 };
	uint64_t id = 0;
	t->rec.in_send = true;
	int rc = rc_conn_send(t->conn, cmd, NULL, &id);
	t->rec.in_send = false;
	cr_assert_eq(rc, 0, "send %.40s: %s", cmd, rc_strerror(rc));
	cr_assert(run_until(t->loop, tc_has_replies, &w, 20000), "no reply to %.40s", cmd);
	struct rec_reply *y = &t->rec.replies[w.n - 1];
	cr_assert_eq(y->cmd, id);
	return y;
}

/* Frees everything. */
void tc_fini(struct tc *t)
{
	rc_conn_free(t->conn);
	peer_free(t->peer);
	rec_clear(&t->rec);
	rc_loop_free(t->loop);
}
