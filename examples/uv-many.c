/* uv-many.c: many RCON connections driven from a libuv loop through the
 * adapter interface (rconsole/adapter.h).
 * Usage: RCON_PASSWORD=... uv-many HOST COMMAND PORT...
 * Sends COMMAND to the server on every PORT at once, prints each reply as
 * "[PORT] reply", and exits 0 when every server answered.
 * Build: cc uv-many.c $(pkg-config --cflags --libs rconsole libuv) */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L   /* <uv.h> needs POSIX types under -std=c11 */
#endif
#include <poll.h>
#include <rconsole/rconsole.h>
#include <stdio.h>
#include <stdlib.h>
#include <uv.h>

/* One connection and the libuv handles that watch it. */
struct server {
	uv_loop_t *loop;
	rc_conn *conn;
	const char *port;
	const char *cmd;
	uv_timer_t timer;    /* the connection's one timer */
	uv_poll_t *poll;     /* its one watched descriptor, or NULL */
	int poll_fd;
	int *left;
	int *failed;
};

/* Frees a closed poll handle. */
static void on_poll_closed(uv_handle_t *h)
{
	free(h);
}

/* libuv saw the descriptor ready: tell the connection. */
static void on_poll(uv_poll_t *h, int status, int events)
{
	struct server *s = h->data;
	int revents = (events & UV_READABLE ? POLLIN : 0) | (events & UV_WRITABLE ? POLLOUT : 0) |
	    (status < 0 ? POLLERR : 0);
	rc_conn_handle_io(s->conn, s->poll_fd, revents);
}

/* Hook: watch fd for events (0: stop watching it). */
static void hook_watch(void *ctx, rc_conn *c, int fd, short events)
{
	struct server *s = ctx;   /* (c is s->conn: one context per connection) */
	(void)c;
	if (s->poll && (events == 0 || fd != s->poll_fd)) {
		uv_poll_stop(s->poll);
		uv_close((uv_handle_t *)s->poll, on_poll_closed);
		s->poll = NULL;
	}
	if (events == 0)
		return;
	if (!s->poll) {
		s->poll = malloc(sizeof *s->poll);
		if (!s->poll || uv_poll_init(s->loop, s->poll, fd) != 0)
			abort();
		s->poll->data = s;
		s->poll_fd = fd;
	}
	uv_poll_start(s->poll, (events & POLLIN ? UV_READABLE : 0) |
	    (events & POLLOUT ? UV_WRITABLE : 0), on_poll);
}

/* libuv fired the connection's timer. */
static void on_timer(uv_timer_t *t)
{
	struct server *s = t->data;
	rc_conn_handle_timer(s->conn);
}

/* Hook: arm the connection's timer (ms < 0: cancel it). */
static void hook_timer(void *ctx, rc_conn *c, int64_t ms)
{
	struct server *s = ctx;
	(void)c;
	if (ms < 0)
		uv_timer_stop(&s->timer);
	else
		uv_timer_start(&s->timer, on_timer, (uint64_t)ms, 0);
}

/* The server is done (answered or failed): free its connection. */
static void server_done(struct server *s, bool ok)
{
	if (!ok)
		(*s->failed)++;
	(*s->left)--;
	rc_conn_free(s->conn);   /* allowed inside its own callback */
	s->conn = NULL;
	uv_close((uv_handle_t *)&s->timer, NULL);
}

/* Connection events: send once READY, print the reply, report failures. */
static void on_event(rc_conn *c, const rc_event *ev, void *arg)
{
	struct server *s = arg;
	if (ev->type == RC_EV_STATE && ev->state == RC_STATE_READY) {
		int rc = rc_conn_send(c, s->cmd, NULL, NULL);
		if (rc != 0) {
			fprintf(stderr, "[%s] %s\n", s->port, rc_strerror(rc));
			server_done(s, false);
		}
	} else if (ev->type == RC_EV_STATE && (ev->state == RC_STATE_FAILED ||
	    ev->state == RC_STATE_AUTH_FAILED)) {
		fprintf(stderr, "[%s] %s\n", s->port, ev->cause ? ev->cause : rc_strerror(ev->err));
		server_done(s, false);
	} else if (ev->type == RC_EV_REPLY) {
		char *safe = ev->status == 0 ? rc_text_sanitize(ev->body, ev->len, "\n\t", NULL) : NULL;
		if (safe)
			printf("[%s] %s\n", s->port, safe);
		else
			fprintf(stderr, "[%s] %s\n", s->port, rc_strerror(ev->status));
		free(safe);
		server_done(s, ev->status == 0);
	}
}

/* Starts one connection per port and runs libuv until all are done. */
int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: RCON_PASSWORD=... uv-many HOST COMMAND PORT...\n");
		return 2;
	}
	uv_loop_t *loop = uv_default_loop();
	int n = argc - 3, left = n, failed = 0;
	struct server *sv = calloc((size_t)n, sizeof *sv);
	const rc_adapter ad = { sizeof ad, hook_watch, hook_timer };
	for (int i = 0; i < n; i++) {
		struct server *s = &sv[i];
		*s = (struct server){ .loop = loop, .port = argv[3 + i], .cmd = argv[2],
			.left = &left, .failed = &failed };
		uv_timer_init(loop, &s->timer);
		s->timer.data = s;
		rc_conn_opts o;
		rc_conn_opts_init(&o);
		o.host = argv[1];
		o.port = s->port;
		o.password = getenv("RCON_PASSWORD");
		o.reconnect = false;
		int err;
		s->conn = rc_conn_new_adapter(&ad, s, &o, on_event, s, &err);
		if (!s->conn || rc_conn_start(s->conn) != 0) {
			fprintf(stderr, "[%s] %s\n", s->port, rc_strerror(err));
			return 1;
		}
	}
	uv_run(loop, UV_RUN_DEFAULT);   /* returns when every handle is closed */
	uv_loop_close(loop);
	free(sv);
	return left == 0 && failed == 0 ? 0 : 1;
}
