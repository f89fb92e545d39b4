/* test-session-oom.c: the session (session.h) when memory runs out as
 * queued commands fail — each one still gets its outcome, exactly once,
 * and the server's down report (why it ended) is not lost either.
 *
 * The failures are real allocation failures: this binary is linked with
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc, so every call the
 * library (linked in statically) and this file make goes through the
 * wrappers of tests/support/starve.c, which return NULL while `starve` is set.  Calls made
 * inside the C library (strdup, getaddrinfo) and by Criterion are not
 * wrapped.  The server is a real mcsim; its --log shows nothing was sent. */
#include <criterion/criterion.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support/mcsim.h"
#include "../support/starve.h"
#include "rconsole/rconsole.h"

static mcsim sim;

/* Stops starving and stops mcsim after each test. */
static void fini(void)
{
	starve = false;
	starve_size = 0;
	mcsim_stop(&sim);
}

TestSuite(session_oom, .fini = fini, .timeout = 60);

#define N_CMDS 4

/* The outcomes seen, per command (no allocation: kept in place). */
static struct {
	unsigned count[N_CMDS];
	int err[N_CMDS];
	bool handed[N_CMDS];
	unsigned other;          /* outcomes for a seq out of range */
	unsigned downs;          /* down reports */
	int down_err;
	size_t down_not_sent;
} seen;

/* Counts a down report: the server's end and why must not be lost to a
 * failed allocation either (before: it was allocated then, and dropped). */
static void on_down(rc_session *s, const rc_session_ev *ev, void *arg)
{
	seen.downs++;
	seen.down_err = ev->err;
	seen.down_not_sent = ev->not_sent;
}

/* Counts an outcome. */
static void on_outcome(rc_session *s, const rc_session_ev *ev, void *arg)
{
	if (ev->seq >= N_CMDS) {
		seen.other++;
		return;
	}
	seen.count[ev->seq]++;
	seen.err[ev->seq] = ev->err;
	seen.handed[ev->seq] = ev->handed;
}

/* A session on loop that counts outcomes, with one server on mcsim whose
 * login (delayed by mcsim) has not happened yet, and N_CMDS commands
 * queued on it. */
static rc_session *queued_session(rc_loop *loop, char *port)
{
	memset(&seen, 0, sizeof seen);
	rc_session_cbs cbs;
	rc_session_cbs_init(&cbs);
	cbs.outcome = on_outcome;
	cbs.down = on_down;
	rc_session *s = rc_session_new(loop, &cbs, NULL);
	cr_assert_not_null(s);
	rc_conn_opts o = mcsim_conn_opts(sim.ports[0], port);
	o.auth_timeout_ms = 10000;
	size_t a;
	cr_assert_eq(rc_session_add(s, &o, &a), 0);
	for (int i = 0; i < N_CMDS; i++) {
		char cmd[32];
		snprintf(cmd, sizeof cmd, "sim echo q%d", i);
		cr_assert_eq(rc_session_push(s, a, cmd, NULL, NULL), 0);
	}
	cr_assert_eq(rc_session_queued(s, a), N_CMDS);
	return s;
}

/* Checks that every command was reported once, never sent. */
static void check_each_once_not_sent(void)
{
	for (int i = 0; i < N_CMDS; i++) {
		cr_assert_eq(seen.count[i], 1, "command %d: %u outcomes", i, seen.count[i]);
		cr_assert_eq(seen.err[i], RC_ENOTSENT, "command %d: %s", i, rc_strerror(seen.err[i]));
		cr_assert_not(seen.handed[i], "command %d", i);
	}
	cr_assert_eq(seen.other, 0);
	cr_assert_eq(seen.downs, 1, "%u down reports", seen.downs);
	cr_assert_neq(seen.down_err, 0, "the down report says why");
	cr_assert_eq(seen.down_not_sent, N_CMDS, "%zu not sent", seen.down_not_sent);
	for (int i = 0; i < N_CMDS; i++) {
		char cmd[32];
		snprintf(cmd, sizeof cmd, "sim echo q%d", i);
		cr_assert_eq(mcsim_log_count(&sim, cmd), 0, "%s reached the server", cmd);
	}
}

Test(session_oom, an_interrupt_reports_every_queued_command_with_no_memory_left)
{
	const char *args[] = { "--delay", "3000", NULL };
	cr_assert_eq(mcsim_start(&sim, args), 0);
	rc_loop *loop = rc_loop_new();
	char port[16];
	rc_session *s = queued_session(loop, port);
	starve = true;
	/* The interrupt itself needs no allocation (its reports are kept
	 * ready); a push shows that allocations do fail meanwhile. */
	cr_assert_eq(rc_session_push(s, 0, "sim echo extra", NULL, NULL), RC_ENOMEM);
	rc_session_interrupt(s);
	starve = false;
	cr_assert(rc_session_finished(s));
	cr_assert_gt(starve_refused, 0, "no allocation was refused: the test proves nothing");
	check_each_once_not_sent();
	rc_session_free(s);
	rc_loop_free(loop);
}

Test(session_oom, a_connection_lost_with_no_memory_left_reports_every_queued_command)
{
	/* mcsim holds the login's reply; stopping it closes the connection
	 * while the loop runs with every allocation failing. */
	const char *args[] = { "--delay", "3000", NULL };
	cr_assert_eq(mcsim_start(&sim, args), 0);
	rc_loop *loop = rc_loop_new();
	char port[16];
	rc_session *s = queued_session(loop, port);
	long long until = mcsim_now_ms() + 5000;
	while (rc_conn_state(rc_session_conn(s, 0)) != RC_STATE_AUTHENTICATING &&
	    mcsim_now_ms() < until)
		rc_loop_run_once(loop, 50);
	cr_assert_eq(rc_conn_state(rc_session_conn(s, 0)), RC_STATE_AUTHENTICATING);
	cr_assert_gt(sim.pid, 0);
	kill(sim.pid, SIGKILL);
	starve = true;
	until = mcsim_now_ms() + 10000;
	while (!rc_session_finished(s) && mcsim_now_ms() < until)
		rc_loop_run_once(loop, 50);
	starve = false;
	cr_assert(rc_session_finished(s), "the session never saw the connection end");
	cr_assert_gt(starve_refused, 0, "no allocation was refused: the test proves nothing");
	check_each_once_not_sent();
	rc_session_free(s);
	rc_loop_free(loop);
}

/* ---- a streamed reply whose fragment cannot be copied ---- */

/* The hand-written loop's one connection: its watched fd and timer. */
static struct {
	rc_conn *c;
	int fd;
	short events;
	long long timer_at;      /* 0: none */
	bool reentered;          /* the sent callback read the reply itself */
	unsigned empty;          /* fragments delivered with no bytes */
	size_t frag_bytes;       /* bytes delivered as fragments */
	unsigned outcomes[2];
	int err[2];
	size_t bytes[2];
	bool handed[2];
	const char *cause;
	unsigned downs;
	int down_err;
	size_t down_not_sent;
} hl;

/* Adapter hook: (un)watch fd. */
static void hl_watch(void *ctx, rc_conn *c, int fd, short events)
{
	hl.c = c;
	if (events || fd == hl.fd) {
		hl.fd = events ? fd : -1;
		hl.events = events;
	}
}

/* Adapter hook: (re)arm or cancel the timer. */
static void hl_timer(void *ctx, rc_conn *c, int64_t ms)
{
	hl.c = c;
	hl.timer_at = ms < 0 ? 0 : mcsim_now_ms() + ms;
}

/* Runs one pass of the hand-written loop. */
static void hl_pass(rc_session *s)
{
	struct pollfd p = { .fd = hl.fd, .events = hl.events };
	long long now = mcsim_now_ms(), wait = 100;
	if (hl.timer_at && hl.timer_at - now < wait)
		wait = hl.timer_at > now ? hl.timer_at - now : 0;
	if (poll(&p, hl.fd >= 0 && hl.events ? 1 : 0, (int)wait) > 0 && p.revents)
		rc_session_handle_io(s, hl.c, p.fd, p.revents);
	if (hl.timer_at && hl.timer_at <= mcsim_now_ms()) {
		hl.timer_at = 0;
		rc_session_handle_timer(s, hl.c);
	}
}

/* Sent report of the first command, delivered while the session delivers
 * its reports: the caller's loop goes on inside it and reads the reply's
 * first fragments there, so the session must copy them to keep them in
 * order — and that copy fails (malloc of a whole fragment's size). */
static void hl_on_sent(rc_session *s, const rc_session_ev *ev, void *arg)
{
	if (ev->seq != 0 || hl.reentered)
		return;
	hl.reentered = true;
	struct pollfd p = { .fd = hl.fd, .events = POLLIN };
	long long until = mcsim_now_ms() + 5000;
	while (poll(&p, 1, 100) <= 0 && mcsim_now_ms() < until)
		;
	cr_assert(p.revents & POLLIN, "no reply to read");
	starve_size = 4096 + 1;
	rc_session_handle_io(s, hl.c, hl.fd, POLLIN);
	starve_size = 0;
}

/* Counts a fragment's bytes, and those delivered with none. */
static void hl_on_fragment(rc_session *s, const rc_session_ev *ev, void *arg)
{
	if (ev->len == 0)
		hl.empty++;
	hl.frag_bytes += ev->len;
}

/* Records an outcome. */
static void hl_on_outcome(rc_session *s, const rc_session_ev *ev, void *arg)
{
	if (ev->seq >= 2)
		return;
	hl.outcomes[ev->seq]++;
	hl.err[ev->seq] = ev->err;
	hl.bytes[ev->seq] = ev->bytes;
	hl.handed[ev->seq] = ev->handed;
	if (ev->seq == 0)
		hl.cause = ev->cause;   /* (a static text: checked below for NULL only) */
}

/* Records the down report. */
static void hl_on_down(rc_session *s, const rc_session_ev *ev, void *arg)
{
	hl.downs++;
	hl.down_err = ev->err;
	hl.down_not_sent = ev->not_sent;
}

/* A fragment of a streamed reply that the session cannot copy for want of
 * memory ends its command with RC_ENOMEM, the bytes that did reach the
 * caller counted: before, the fragment was delivered with length 0 (its
 * bytes silently gone) and the command reported answered.  The command
 * queued behind it is not sent, as after any failure; nothing is sent
 * twice. */
Test(session_oom, a_fragment_that_cannot_be_copied_ends_its_command_with_enomem)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	memset(&hl, 0, sizeof hl);
	hl.fd = -1;
	rc_adapter ad = { sizeof ad, hl_watch, hl_timer };
	rc_session_cbs cbs;
	rc_session_cbs_init(&cbs);
	cbs.sent = hl_on_sent;
	cbs.fragment = hl_on_fragment;
	cbs.outcome = hl_on_outcome;
	cbs.down = hl_on_down;
	rc_session *s = rc_session_new_adapter(&ad, NULL, &cbs, NULL);
	cr_assert_not_null(s);
	char port[16];
	rc_conn_opts o = mcsim_conn_opts(sim.ports[0], port);
	o.stream = true;
	size_t a;
	cr_assert_eq(rc_session_add(s, &o, &a), 0);
	long long until = mcsim_now_ms() + 10000;
	while (rc_conn_state(rc_session_conn(s, a)) != RC_STATE_READY && mcsim_now_ms() < until)
		hl_pass(s);
	cr_assert_eq(rc_conn_state(rc_session_conn(s, a)), RC_STATE_READY);
	cr_assert_eq(rc_session_push(s, a, "sim chars 20000 ascii", NULL, NULL), 0);
	cr_assert_eq(rc_session_push(s, a, "sim echo after", NULL, NULL), 0);
	rc_session_end(s);
	until = mcsim_now_ms() + 10000;
	while (!rc_session_finished(s) && mcsim_now_ms() < until)
		hl_pass(s);
	cr_assert(rc_session_finished(s));
	cr_assert(hl.reentered);
	cr_assert_gt(starve_refused, 0, "no allocation was refused: the test proves nothing");
	cr_assert_eq(hl.empty, 0, "%u fragments delivered empty", hl.empty);
	cr_assert_eq(hl.outcomes[0], 1);
	cr_assert_eq(hl.err[0], RC_ENOMEM, "outcome: %s", rc_strerror(hl.err[0]));
	cr_assert(hl.handed[0]);
	cr_assert_not_null(hl.cause);
	cr_assert_lt(hl.frag_bytes, 20000, "every byte was delivered: nothing was cut");
	cr_assert_eq(hl.bytes[0], hl.frag_bytes, "the outcome counts %zu bytes delivered, "
	    "%zu were", hl.bytes[0], hl.frag_bytes);
	cr_assert_eq(hl.outcomes[1], 1);
	cr_assert_eq(hl.err[1], RC_ENOTSENT, "after the cut: %s", rc_strerror(hl.err[1]));
	cr_assert_not(hl.handed[1]);
	cr_assert_eq(hl.downs, 1);
	cr_assert_eq(hl.down_err, RC_ENOMEM, "down: %s", rc_strerror(hl.down_err));
	cr_assert_eq(hl.down_not_sent, 1);
	rc_session_free(s);
	char *log = mcsim_log(&sim);
	cr_assert_str_eq(log, "sim chars 20000 ascii\n", "%s", log);
	free(log);
}

/* ---- a streamed reply's end, with the next command queued ---- */

/* Records an outcome of the streamed run. */
static void st_on_outcome(rc_session *s, const rc_session_ev *ev, void *arg)
{
	if (ev->seq >= 2)
		return;
	hl.outcomes[ev->seq]++;
	hl.err[ev->seq] = ev->err;
	hl.bytes[ev->seq] = ev->bytes;
}

/* A streamed reply ends with an empty body (its bytes went out as
 * fragments): when the next command goes out first, the outcome waits
 * for that write and keeps its body — nothing to copy, so no allocation
 * that could fail and cut a reply that was delivered whole.  Before, a
 * one-byte malloc was made for it per command, and its failure ended an
 * answered command RC_ENOMEM and stopped the queue. */
Test(session_oom, a_streamed_reply_ends_whole_with_no_memory_for_a_copy)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	memset(&hl, 0, sizeof hl);
	rc_loop *loop = rc_loop_new();
	cr_assert_not_null(loop);
	rc_session_cbs cbs;
	rc_session_cbs_init(&cbs);
	cbs.fragment = hl_on_fragment;
	cbs.outcome = st_on_outcome;
	rc_session *s = rc_session_new(loop, &cbs, NULL);
	cr_assert_not_null(s);
	char port[16];
	rc_conn_opts o = mcsim_conn_opts(sim.ports[0], port);
	o.stream = true;
	size_t a;
	cr_assert_eq(rc_session_add(s, &o, &a), 0);
	cr_assert_eq(rc_session_push(s, a, "sim echo first", NULL, NULL), 0);
	cr_assert_eq(rc_session_push(s, a, "sim echo second", NULL, NULL), 0);
	rc_session_end(s);
	starve_size = 1;   /* malloc(0 + 1): the copy of an empty body */
	cr_assert_eq(rc_session_run(s), 0);
	starve_size = 0;
	cr_assert_eq(hl.outcomes[0], 1);
	cr_assert_eq(hl.err[0], 0, "first: %s", rc_strerror(hl.err[0]));
	cr_assert_eq(hl.bytes[0], strlen("first"));
	cr_assert_eq(hl.outcomes[1], 1);
	cr_assert_eq(hl.err[1], 0, "second: %s", rc_strerror(hl.err[1]));
	cr_assert_eq(hl.frag_bytes, strlen("first") + strlen("second"));
	rc_session_free(s);
	rc_loop_free(loop);
}
