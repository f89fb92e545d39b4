/* test-conn-io.c: what a connection asks of its loop per command (issue 11:
 * 10,000 servers refreshed every second).  A counting adapter drives one
 * connection to a real mcsim: once READY, a stream of commands whose writes
 * complete at once must not touch the watch at all — no POLLOUT armed (it
 * is armed only after a write hit EAGAIN), no re-registration per command:
 * under epoll each would be an epoll_ctl() per refresh per server. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "rconsole/adapter.h"
#include "rconsole/conn.h"
#include "../support/mcsim.h"

static mcsim sim;

/* Stops mcsim after each test. */
static void stop_sim(void)
{
	mcsim_stop(&sim);
}

TestSuite(conn_io, .fini = stop_sim, .timeout = 60);

/* The counting adapter's loop: one connection, one fd, one timer. */
struct cloop {
	rc_conn *c;
	int fd;
	short ev;
	long long at;         /* timer due (ms), -1 none */
	int watch_calls;      /* every watch hook call */
	int pollout_calls;    /* watch hook calls asking for POLLOUT */
	int timer_calls;
	int replies;
	char last[64];
};

/* watch hook: records the one fd and counts. */
static void c_watch(void *ctx, rc_conn *c, int fd, short ev)
{
	struct cloop *l = ctx;
	l->watch_calls++;
	if (ev & POLLOUT)
		l->pollout_calls++;
	l->fd = ev ? fd : -1;
	l->ev = ev;
}

/* timer hook: records the deadline. */
static void c_timer(void *ctx, rc_conn *c, int64_t ms)
{
	struct cloop *l = ctx;
	l->timer_calls++;
	l->at = ms < 0 ? -1 : mcsim_now_ms() + ms;
}

/* Runs one pass: poll the fd until the timer, then fire what is due. */
static void c_run(struct cloop *l, int max_ms)
{
	long long now = mcsim_now_ms();
	int wait = max_ms;
	if (l->at >= 0 && l->at - now < wait)
		wait = l->at - now < 0 ? 0 : (int)(l->at - now);
	struct pollfd pf = { .fd = l->fd, .events = l->ev };
	if (poll(&pf, l->fd >= 0 ? 1 : 0, wait) > 0 && pf.revents)
		rc_conn_handle_io(l->c, pf.fd, pf.revents);
	if (l->at >= 0 && l->at <= mcsim_now_ms()) {
		l->at = -1;
		rc_conn_handle_timer(l->c);
	}
}

/* Counts replies. */
static void c_on_event(rc_conn *c, const rc_event *ev, void *arg)
{
	struct cloop *l = arg;
	if (ev->type == RC_EV_REPLY && ev->status == 0) {
		l->replies++;
		snprintf(l->last, sizeof l->last, "%s", ev->body ? ev->body : "");
	}
}

Test(conn_io, commands_whose_writes_complete_never_touch_the_watch)
{
	const char *args[] = { "--players", "3", NULL };
	cr_assert_eq(mcsim_start(&sim, args), 0);
	struct cloop l = { .fd = -1, .at = -1 };
	rc_adapter ad = { sizeof ad, c_watch, c_timer };
	rc_conn_opts o;
	rc_conn_opts_init(&o);
	char port[16];
	snprintf(port, sizeof port, "%d", sim.ports[0]);
	o.host = "127.0.0.1";
	o.port = port;
	o.password = MCSIM_PASSWORD;
	l.c = rc_conn_new_adapter(&ad, &l, &o, c_on_event, &l, NULL);
	cr_assert_not_null(l.c);
	cr_assert_eq(rc_conn_start(l.c), 0);
	long long end = mcsim_now_ms() + 10000;
	while (rc_conn_state(l.c) != RC_STATE_READY && mcsim_now_ms() < end)
		c_run(&l, 100);
	cr_assert_eq(rc_conn_state(l.c), RC_STATE_READY);
	cr_assert_eq(l.ev, POLLIN, "READY and idle: read interest only");
	int watch0 = l.watch_calls, pollout0 = l.pollout_calls;
	enum { N = 50 };
	for (int i = 0; i < N; i++) {
		int before = l.replies;
		cr_assert_eq(rc_conn_send(l.c, "list", NULL, NULL), 0);
		while (l.replies == before && mcsim_now_ms() < end)
			c_run(&l, 100);
		cr_assert_eq(l.replies, before + 1, "reply %d", i);
	}
	cr_assert(strstr(l.last, "players online"), "a list reply: %s", l.last);
	cr_assert_eq(l.pollout_calls, pollout0, "POLLOUT never armed for a write that completed");
	cr_assert_eq(l.watch_calls, watch0, "no watch change in %d commands", N);
	cr_assert_eq(l.ev, POLLIN);
	rc_conn_free(l.c);
	cr_assert_eq(l.fd, -1, "unwatched after free");
}

/* watch hook that also counts calls naming a descriptor already closed. */
static int closed_watches;
static void c_watch_open(void *ctx, rc_conn *c, int fd, short ev)
{
	if (fd >= 0 && fcntl(fd, F_GETFD) < 0)
		closed_watches++;
	c_watch(ctx, c, fd, ev);
}

/* A tunnel whose stream ends and whose child speaks a moment later: its
 * stderr is watched meanwhile, and the adapter is never told to stop
 * watching a descriptor that was closed first (a number the caller may
 * have reused for something else by then). */
Test(conn_io, a_tunnel_end_never_names_a_closed_descriptor)
{
	struct cloop l = { .fd = -1, .at = -1 };
	rc_adapter ad = { sizeof ad, c_watch_open, c_timer };
	rc_conn_opts o;
	rc_conn_opts_init(&o);
	o.host = "127.0.0.1";
	o.port = "1";
	o.password = MCSIM_PASSWORD;
	o.reconnect = false;
	o.proxy_command = "sh -c 'exec <&- >&-; sleep 0.1; echo relay: gone >&2'";
	closed_watches = 0;
	l.c = rc_conn_new_adapter(&ad, &l, &o, c_on_event, &l, NULL);
	cr_assert_not_null(l.c);
	cr_assert_eq(rc_conn_start(l.c), 0);
	long long end = mcsim_now_ms() + 10000;
	const char *cause = NULL;
	while (mcsim_now_ms() < end) {
		c_run(&l, 50);
		if (rc_conn_last_error(l.c, &cause) != 0 && rc_conn_state(l.c) != RC_STATE_CONNECTING &&
		    rc_conn_state(l.c) != RC_STATE_AUTHENTICATING)
			break;
	}
	cr_assert_neq(rc_conn_last_error(l.c, &cause), 0, "the tunnel's end was reported");
	cr_assert(cause && strstr(cause, "relay: gone"), "its last words are the cause: %s",
	    cause ? cause : "(none)");
	cr_assert_eq(closed_watches, 0, "%d watch call(s) named a closed descriptor", closed_watches);
	rc_conn_free(l.c);
	cr_assert_eq(closed_watches, 0);
	cr_assert_eq(l.fd, -1, "unwatched after free");
}
