/* test-conn-tunnel.c: a tunnel (proxy_command) that ends never stops the
 * loop.  One connection plays ping-pong with a real mcsim while another,
 * on the same rc_loop, runs a proxy command whose stream ends at once:
 *  - its child closes its stdio, says why on stderr, keeps stderr open and
 *    ignores SIGTERM.  While the connection waits for those last words, the
 *    loop goes on: replies arrive and a timer ticks after the child is known
 *    to have closed its end (a marker file it writes then) and before the
 *    failure is reported; the failure carries the child's last line; then
 *    the child, deaf to SIGTERM, is killed from a loop timer and reaped
 *    through SIGCHLD — no zombie, nothing left running — while the other
 *    connection keeps getting replies;
 *  - a child that says why only a moment after its stream ended still has
 *    its words in the failure;
 *  - driven through an adapter, with no rc_loop, a child deaf to SIGTERM
 *    is killed and reaped on time by the idle connection's own timer;
 *  - freed while its child, deaf to SIGTERM, still runs (through an
 *    adapter, or on an rc_loop freed right after), with no library call
 *    made after: the child is still killed and reaped on time.
 * Ordering and counts only; the deadlines only catch hangs. */
#include <criterion/criterion.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../support/mcsim.h"
#include "rconsole/rconsole.h"
#include "tunnel-int.h"
#include "../support/files.h"

static mcsim sim;
static pid_t child = -1;

/* Stops mcsim; kills a child a failed test left behind. */
static void cleanup(void)
{
	if (child > 0 && kill(child, 0) == 0)
		kill(child, SIGKILL);
	mcsim_stop(&sim);
}

TestSuite(conn_tunnel, .fini = cleanup, .timeout = 60);

/* What the test saw, in loop order. */
static struct {
	char mark[300];
	unsigned replies;         /* the direct connection's replies so far */
	unsigned ticks;           /* the 10 ms timer's runs so far */
	bool pinging;
	bool a_failed;
	long mark_replies, mark_ticks;  /* when the marker was first seen, -1: not yet */
	bool b_down;
	long down_replies, down_ticks;
	rc_state down_state;
	char cause[256];
} t;

/* Notes the first time the child's marker file is there. */
static void look_for_mark(void)
{
	if (t.mark_replies < 0 && access(t.mark, F_OK) == 0) {
		t.mark_replies = t.replies;
		t.mark_ticks = t.ticks;
	}
}

/* The direct connection: ping-pong for as long as the test runs. */
static void on_a(rc_conn *c, const rc_event *ev, void *arg)
{
	if (ev->type == RC_EV_STATE && ev->state == RC_STATE_READY &&
	    ev->prev == RC_STATE_AUTHENTICATING) {
		cr_assert_eq(rc_conn_send(c, "sim echo ping", NULL, NULL), 0);
	} else if (ev->type == RC_EV_STATE && (ev->state == RC_STATE_FAILED ||
	    ev->state == RC_STATE_BACKOFF || ev->state == RC_STATE_IDLE)) {
		t.a_failed = true;
	} else if (ev->type == RC_EV_REPLY) {
		cr_assert_eq(ev->status, 0, "ping: %s", ev->cause ? ev->cause : "");
		t.replies++;
		look_for_mark();
		if (t.pinging)
			cr_assert_eq(rc_conn_send(c, "sim echo ping", NULL, NULL), 0);
	}
}

/* The tunneled connection: notes when and why it went down. */
static void on_b(rc_conn *c, const rc_event *ev, void *arg)
{
	if (ev->type != RC_EV_STATE || t.b_down)
		return;
	if (ev->state == RC_STATE_FAILED || ev->state == RC_STATE_BACKOFF ||
	    ev->state == RC_STATE_AUTH_FAILED || ev->state == RC_STATE_IDLE) {
		t.b_down = true;
		t.down_replies = t.replies;
		t.down_ticks = t.ticks;
		t.down_state = ev->state;
		snprintf(t.cause, sizeof t.cause, "%s", ev->cause ? ev->cause : "");
	}
}

/* A timer every 10 ms: counts its runs and looks for the marker. */
static int64_t on_tick(rc_loop *loop, void *arg)
{
	t.ticks++;
	look_for_mark();
	return 10;
}

/* Options for mcsim's port with generous timeouts and no reconnect. */
static rc_conn_opts opts_for(int port, char *portbuf)
{
	rc_conn_opts o = mcsim_conn_opts(port, portbuf);
	o.connect_timeout_ms = o.auth_timeout_ms = o.command_timeout_ms = 30000;
	o.reconnect = false;
	return o;
}

/* Runs loop passes until *flag or a hang's deadline. */
static void run_until(rc_loop *loop, const bool *flag, int ms)
{
	long long until = mcsim_now_ms() + ms;
	while (!*flag && mcsim_now_ms() < until)
		rc_loop_run_once(loop, 50);
}

/* Returns true when /proc has no entry for pid (reaped, not a zombie). */
static bool gone(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d", (int)pid);
	return access(path, F_OK) != 0 && kill(pid, 0) == -1 && errno == ESRCH;
}

/* Starts mcsim, clears the test's record (marker not seen) and names the
 * file the proxy child writes its pid to: pidfile[300]. */
static void start(char *pidfile)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	memset(&t, 0, sizeof t);
	t.mark_replies = t.mark_ticks = -1;
	snprintf(t.mark, sizeof t.mark, "%s/mark", sim.dir);
	snprintf(pidfile, 300, "%s/pid", sim.dir);
}

Test(conn_tunnel, a_tunnel_that_ends_never_blocks_the_loop)
{
	char pidfile[300], cmd[1024];
	start(pidfile);
	/* The child: closes its end of the stream, says why, writes the
	 * marker, and lingers with stderr open, deaf to SIGTERM. */
	snprintf(cmd, sizeof cmd, "sh -c 'echo $$ > %s; trap \"\" TERM; exec <&- >&-; "
	    "echo \"relay: upstream lost\" >&2; : > %s; exec sleep 60'", pidfile, t.mark);

	rc_loop *loop = rc_loop_new();
	cr_assert_not_null(loop);
	char pa[16], pb[16];
	rc_conn_opts oa = opts_for(sim.ports[0], pa), ob = opts_for(sim.ports[0], pb);
	ob.proxy_command = cmd;
	rc_conn *a = rc_conn_new(loop, &oa, on_a, NULL);
	rc_conn *b = rc_conn_new(loop, &ob, on_b, NULL);
	cr_assert(a && b);
	cr_assert(rc_loop_add_timer(loop, 10, on_tick, NULL));
	t.pinging = true;
	cr_assert_eq(rc_conn_start(a), 0);
	long long until = mcsim_now_ms() + 10000;
	while (t.replies < 3 && mcsim_now_ms() < until)
		rc_loop_run_once(loop, 50);
	cr_assert_geq(t.replies, 3, "the direct connection never answered");

	cr_assert_eq(rc_conn_start(b), 0);
	run_until(loop, &t.b_down, 15000);
	cr_assert(t.b_down, "the tunnel's end was never reported");
	child = (pid_t)files_read_number(pidfile);
	cr_assert_gt(child, 0, "no pid from the child");
	/* Its last words are the cause the user sees. */
	cr_assert_not_null(strstr(t.cause, "proxy_command: relay: upstream lost"), "cause: %s",
	    t.cause);
	/* The stream had ended (the marker comes after the close) before the
	 * failure was reported, and meanwhile the loop served the rest. */
	cr_assert_geq(t.mark_replies, 0, "marker not seen before the failure was reported");
	cr_assert_gt(t.down_replies, t.mark_replies, "no reply while the tunnel's end was awaited");
	cr_assert_gt(t.down_ticks, t.mark_ticks, "no timer run while the tunnel's end was awaited");

	/* The child ignores SIGTERM: SIGKILL from the loop, reaped on SIGCHLD,
	 * and the other connection answers all along. */
	until = mcsim_now_ms() + 15000;
	while (!gone(child) && mcsim_now_ms() < until)
		rc_loop_run_once(loop, 50);
	cr_assert(gone(child), "child %d still there (or a zombie)", (int)child);
	cr_assert_eq(tunnel_unreaped(), 0);
	cr_assert_gt(t.replies, (unsigned)t.down_replies, "no reply while the child was ending");
	cr_assert(!t.a_failed, "the direct connection failed");

	t.pinging = false;
	rc_conn_free(b);
	rc_conn_free(a);
	rc_loop_free(loop);
	child = -1;
}

Test(conn_tunnel, words_said_just_after_the_stream_ended_reach_the_cause)
{
	char pidfile[300], cmd[1024];
	start(pidfile);
	snprintf(cmd, sizeof cmd, "sh -c 'echo $$ > %s; exec <&- >&-; sleep 0.1; "
	    "echo \"relay: late words\" >&2'", pidfile);
	rc_loop *loop = rc_loop_new();
	cr_assert_not_null(loop);
	char pb[16];
	rc_conn_opts ob = opts_for(sim.ports[0], pb);
	ob.proxy_command = cmd;
	rc_conn *b = rc_conn_new(loop, &ob, on_b, NULL);
	cr_assert_not_null(b);
	cr_assert_eq(rc_conn_start(b), 0);
	run_until(loop, &t.b_down, 15000);
	cr_assert(t.b_down, "the tunnel's end was never reported");
	child = (pid_t)files_read_number(pidfile);
	cr_assert_not_null(strstr(t.cause, "proxy_command: relay: late words"), "cause: %s",
	    t.cause);
	long long until = mcsim_now_ms() + 15000;
	while (child > 0 && !gone(child) && mcsim_now_ms() < until)
		rc_loop_run_once(loop, 50);
	cr_assert(child > 0 && gone(child), "child %d still there (or a zombie)", (int)child);
	cr_assert_eq(tunnel_unreaped(), 0);
	rc_conn_free(b);
	rc_loop_free(loop);
	child = -1;
}

/* ---- through an adapter: the connection's own timer kills on time ---- */

/* A hand-written loop for one connection: its watch and its timer. */
struct one_loop {
	int fd;
	short events;
	long long at;         /* the timer's time (ms), 0: not armed */
};

/* Adapter hook: (un)watch fd. */
static void one_watch(void *ctx, rc_conn *c, int fd, short events)
{
	struct one_loop *h = ctx;
	if (events) {
		h->fd = fd;
		h->events = events;
	} else if (fd == h->fd) {
		h->fd = -1;
		h->events = 0;
	}
}

/* Adapter hook: (re)arm or cancel the timer. */
static void one_timer(void *ctx, rc_conn *c, int64_t ms)
{
	struct one_loop *h = ctx;
	h->at = ms < 0 ? 0 : mcsim_now_ms() + ms;
}

/* Runs one pass: poll the watched fd (at most 50 ms or until the timer),
 * then the timer when it is due. */
static void one_pass(struct one_loop *h, rc_conn *c)
{
	struct pollfd p = { h->fd, h->events, 0 };
	long long now = mcsim_now_ms(), wait = 50;
	if (h->at && h->at - now < wait)
		wait = h->at > now ? h->at - now : 0;
	int r = poll(&p, h->events ? 1 : 0, (int)wait);
	if (r > 0 && p.revents)
		rc_conn_handle_io(c, p.fd, p.revents);
	if (h->at && h->at <= mcsim_now_ms()) {
		h->at = 0;
		rc_conn_handle_timer(c);
	}
}

/* Brings a connection driven through h up through the tunnel cmd, whose
 * child writes its pid to pidfile; returns the child's pid. */
static pid_t tunnel_up(struct one_loop *h, rc_conn *c, const char *pidfile)
{
	cr_assert_eq(rc_conn_start(c), 0);
	long long until = mcsim_now_ms() + 15000;
	while (rc_conn_state(c) != RC_STATE_READY && mcsim_now_ms() < until)
		one_pass(h, c);
	cr_assert_eq(rc_conn_state(c), RC_STATE_READY, "never logged in through the tunnel");
	pid_t pid = (pid_t)files_read_number(pidfile);
	cr_assert_gt(pid, 0, "no pid from the child");
	return pid;
}

/* Starts mcsim and a connection driven through h whose tunnel child
 * ignores SIGTERM, logged in; sets child to the child's pid. */
static rc_conn *deaf_adapter_conn(struct one_loop *h)
{
	static rc_adapter ad = { sizeof ad, one_watch, one_timer };
	static char pidfile[300], cmd[1024], pb[16];
	start(pidfile);
	snprintf(cmd, sizeof cmd, "sh -c 'echo $$ > %s; trap \"\" TERM; "
	    "socat - TCP:127.0.0.1:%%p; exec sleep 60'", pidfile);
	rc_conn_opts ob = opts_for(sim.ports[0], pb);
	ob.proxy_command = cmd;
	*h = (struct one_loop){ .fd = -1 };
	rc_conn *c = rc_conn_new_adapter(&ad, h, &ob, NULL, NULL, NULL);
	cr_assert_not_null(c);
	child = tunnel_up(h, c, pidfile);
	return c;
}

Test(conn_tunnel, through_an_adapter_a_child_deaf_to_sigterm_is_killed_on_time)
{
	/* No rc_loop and no other tunnel: only the connection's own timer can
	 * send the SIGKILL and reap the child while the connection is idle. */
	struct one_loop h;
	rc_conn *c = deaf_adapter_conn(&h);

	rc_conn_stop(c);
	cr_assert_eq(rc_conn_state(c), RC_STATE_IDLE);
	cr_assert_eq(kill(child, 0), 0, "the child ignores SIGTERM: still there");
	cr_assert_eq(tunnel_unreaped(), 1);
	cr_assert_neq(h.at, 0, "an idle connection with a child to kill arms its timer");
	long long until = mcsim_now_ms() + 10000;
	while (!gone(child) && mcsim_now_ms() < until)
		one_pass(&h, c);
	cr_assert(gone(child), "child %d still there (or a zombie)", (int)child);
	cr_assert_eq(tunnel_unreaped(), 0);
	/* Once the child is reaped the timer is given up: no idle wake-ups. */
	cr_assert_eq(h.at, 0, "the timer is still armed");
	rc_conn_free(c);
	child = -1;
}

Test(conn_tunnel, through_an_adapter_a_freed_connections_deaf_child_is_killed_on_time)
{
	/* The connection is freed while its child, deaf to SIGTERM, still
	 * runs: the caller has no library object left and makes no library
	 * call at all, yet the child gets its SIGKILL and is reaped. */
	struct one_loop h;
	rc_conn *c = deaf_adapter_conn(&h);

	rc_conn_free(c);
	cr_assert_eq(h.fd, -1, "a freed connection still watches a descriptor");
	cr_assert_eq(h.at, 0, "a freed connection still has its timer armed");
	cr_assert_eq(kill(child, 0), 0, "the child ignores SIGTERM: still there");
	long long until = mcsim_now_ms() + 10000;
	while (!gone(child) && mcsim_now_ms() < until)
		usleep(20000);
	cr_assert(gone(child), "child %d still there (or a zombie)", (int)child);
	cr_assert_eq(tunnel_unreaped(), 0);
	child = -1;
}

Test(conn_tunnel, on_a_loop_freed_with_its_connection_a_deaf_child_is_killed_on_time)
{
	/* rc_loop mode: the connection and then the loop are freed (its kill
	 * timer with it) while the child, deaf to SIGTERM, still runs. */
	char pidfile[300], cmd[1024];
	start(pidfile);
	snprintf(cmd, sizeof cmd, "sh -c 'echo $$ > %s; trap \"\" TERM; "
	    "socat - TCP:127.0.0.1:%%p; exec sleep 60'", pidfile);
	rc_loop *loop = rc_loop_new();
	cr_assert_not_null(loop);
	char pb[16];
	rc_conn_opts ob = opts_for(sim.ports[0], pb);
	ob.proxy_command = cmd;
	rc_conn *c = rc_conn_new(loop, &ob, NULL, NULL);
	cr_assert_not_null(c);
	cr_assert_eq(rc_conn_start(c), 0);
	long long until = mcsim_now_ms() + 15000;
	while (rc_conn_state(c) != RC_STATE_READY && mcsim_now_ms() < until)
		rc_loop_run_once(loop, 50);
	cr_assert_eq(rc_conn_state(c), RC_STATE_READY, "never logged in through the tunnel");
	child = (pid_t)files_read_number(pidfile);
	cr_assert_gt(child, 0, "no pid from the child");

	rc_conn_free(c);
	rc_loop_free(loop);
	cr_assert_eq(kill(child, 0), 0, "the child ignores SIGTERM: still there");
	until = mcsim_now_ms() + 10000;
	while (!gone(child) && mcsim_now_ms() < until)
		usleep(20000);
	cr_assert(gone(child), "child %d still there (or a zombie)", (int)child);
	cr_assert_eq(tunnel_unreaped(), 0);
	child = -1;
}

/* Notes that the tunneled connection logged in (on_b notes its end). */
static bool ready;
static void on_ready(rc_conn *c, const rc_event *ev, void *arg)
{
	if (ev->type == RC_EV_STATE && ev->state == RC_STATE_READY)
		ready = true;
	on_b(c, ev, arg);
}

Test(conn_tunnel, the_child_never_gets_the_password_in_its_environment)
{
	char pidfile[300], envfile[300], cmd[1024];
	start(pidfile);
	snprintf(envfile, sizeof envfile, "%s/env", sim.dir);
	/* Where an admin keeps it: a profile's password_env, RCON_PASSWORD. */
	setenv("TUNNEL_TEST_PW", MCSIM_PASSWORD, 1);
	setenv("RCON_PASSWORD", MCSIM_PASSWORD, 1);
	setenv("TUNNEL_TEST_KEPT", "kept", 1);
	snprintf(cmd, sizeof cmd, "sh -c 'env > %s; exec socat - TCP:127.0.0.1:%d'", envfile,
	    sim.ports[0]);

	rc_loop *loop = rc_loop_new();
	cr_assert_not_null(loop);
	char pb[16];
	rc_conn_opts ob = opts_for(sim.ports[0], pb);
	ob.proxy_command = cmd;
	rc_conn *b = rc_conn_new(loop, &ob, on_ready, NULL);
	cr_assert_not_null(b);
	ready = false;
	cr_assert_eq(rc_conn_start(b), 0);
	run_until(loop, &ready, 15000);
	cr_assert(ready, "no login through the tunnel: %s", t.cause);

	char *env = files_read(envfile, NULL);
	cr_assert_not_null(env);
	cr_assert_not_null(strstr(env, "TUNNEL_TEST_KEPT=kept"), "the rest is kept: %s", env);
	cr_assert_null(strstr(env, "TUNNEL_TEST_PW="), "the password's variable reached the child");
	cr_assert_null(strstr(env, "RCON_PASSWORD="), "RCON_PASSWORD reached the child");
	free(env);
	unsetenv("TUNNEL_TEST_PW");
	unsetenv("RCON_PASSWORD");
	unsetenv("TUNNEL_TEST_KEPT");
	rc_conn_free(b);
	rc_loop_free(loop);
}
