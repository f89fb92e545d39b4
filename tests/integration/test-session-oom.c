/* test-session-oom.c: the session (session.h) when memory runs out as
 * queued commands fail — each one still gets its outcome, exactly once,
 * and the server's down report (why it ended) is not lost either.
 *
 * The failures are real allocation failures: this binary is linked with
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc, so every call the
 * library (linked in statically) and this file make goes through the
 * wrappers below, which return NULL while `starve` is set.  Calls made
 * inside the C library (strdup, getaddrinfo) and by Criterion are not
 * wrapped.  The server is a real mcsim; its --log shows nothing was sent. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support/mcsim.h"
#include "rconsole/rconsole.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);

static bool starve;          /* every wrapped allocation fails */
static unsigned refused;     /* allocations refused while starving */

/* malloc, failing while starving. */
void *__wrap_malloc(size_t n)
{
	if (starve) {
		refused++;
		return NULL;
	}
	return __real_malloc(n);
}

/* calloc, failing while starving. */
void *__wrap_calloc(size_t n, size_t size)
{
	if (starve) {
		refused++;
		return NULL;
	}
	return __real_calloc(n, size);
}

/* realloc, failing while starving. */
void *__wrap_realloc(void *p, size_t n)
{
	if (starve) {
		refused++;
		return NULL;
	}
	return __real_realloc(p, n);
}

static mcsim sim;

/* Stops starving and stops mcsim after each test. */
static void fini(void)
{
	starve = false;
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
	cr_assert_gt(refused, 0, "no allocation was refused: the test proves nothing");
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
	cr_assert_gt(refused, 0, "no allocation was refused: the test proves nothing");
	check_each_once_not_sent();
	rc_session_free(s);
	rc_loop_free(loop);
}
