/* test-conn-mcsim.c: the engine library against a real mcsim process — a
 * server restarted under an open session, refusal while down, and a command
 * issued through the library reaching the server exactly once; and mcsim's
 * faults the library must survive with the right words: a reply dripping
 * in past the command timeout, logins answered wrongly or never, a reset
 * in the middle of a long reply, packets nobody asked for. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support/mcsim.h"
#include "rconsole/rconsole.h"

static mcsim sim;

static void stop(void)
{
	mcsim_stop(&sim);
}

TestSuite(conn_mcsim, .fini = stop, .timeout = 120);

/* What the test saw of one connection. */
struct seen {
	rc_state states[64];
	int n_states;
	int ready_count;
	int replies;
	int last_status;
	char last_body[256];
};

static void on_event(rc_conn *c, const rc_event *ev, void *arg)
{
	struct seen *s = arg;
	if (ev->type == RC_EV_STATE) {
		if (s->n_states < 64)
			s->states[s->n_states++] = ev->state;
		if (ev->state == RC_STATE_READY && ev->prev == RC_STATE_AUTHENTICATING)
			s->ready_count++;
	} else if (ev->type == RC_EV_REPLY) {
		s->replies++;
		s->last_status = ev->status;
		snprintf(s->last_body, sizeof s->last_body, "%.*s", (int)ev->len, ev->body ? ev->body : "");
	}
}

/* Runs the loop until pred holds or timeout_ms passes; returns pred. */
static bool run_until(rc_loop *l, bool (*pred)(struct seen *, rc_conn *), struct seen *s, rc_conn *c,
    int timeout_ms)
{
	long long end = mcsim_now_ms() + timeout_ms;
	while (!pred(s, c) && mcsim_now_ms() < end)
		rc_loop_run_once(l, 100);
	return pred(s, c);
}

static bool is_ready(struct seen *s, rc_conn *c)
{
	return rc_conn_state(c) == RC_STATE_READY;
}

static bool is_down(struct seen *s, rc_conn *c)
{
	rc_state st = rc_conn_state(c);
	return st != RC_STATE_READY && st != RC_STATE_BUSY;
}

static bool ready_twice(struct seen *s, rc_conn *c)
{
	return s->ready_count >= 2 && rc_conn_state(c) == RC_STATE_READY;
}

static bool got_reply(struct seen *s, rc_conn *c)
{
	return s->replies > 0;
}

Test(conn_mcsim, restarted_server_reconnects_and_down_commands_are_refused)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	int port = sim.ports[0];
	char port_s[16];
	snprintf(port_s, sizeof port_s, "%d", port);
	rc_loop *l = rc_loop_new();
	rc_conn_opts o;
	rc_conn_opts_init(&o);
	o.host = "127.0.0.1";
	o.port = port_s;
	o.password = MCSIM_PASSWORD;
	o.backoff_min_ms = 200;
	o.backoff_max_ms = 1000;
	struct seen s = { .n_states = 0 };
	rc_conn *c = rc_conn_new(l, &o, on_event, &s);
	cr_assert_not_null(c);
	cr_assert_eq(rc_conn_start(c), 0);
	cr_assert(run_until(l, is_ready, &s, c, 10000), "first connect");

	mcsim_stop(&sim);
	cr_assert(run_until(l, is_down, &s, c, 10000), "the library noticed the server went away");
	uint64_t id;
	cr_assert_eq(rc_conn_send(c, "sim echo while-down", NULL, &id), RC_ENOTREADY,
	    "refused at once, not queued");
	cr_assert_eq(rc_conn_pending(c), 0);

	cr_assert_eq(mcsim_start_on(&sim, port, NULL), 0, "restart on the same port");
	cr_assert(run_until(l, ready_twice, &s, c, 15000), "reconnected by itself");
	bool saw_backoff = false;
	for (int i = 0; i < s.n_states; i++)
		saw_backoff |= s.states[i] == RC_STATE_BACKOFF;
	cr_assert(saw_backoff, "went through BACKOFF");

	cr_assert_eq(rc_conn_send(c, "sim echo after", NULL, &id), 0);
	cr_assert(run_until(l, got_reply, &s, c, 10000));
	cr_assert_eq(s.last_status, 0);
	cr_assert_str_eq(s.last_body, "after");
	cr_assert_eq(mcsim_log_count(&sim, "sim echo after"), 1);
	cr_assert_eq(mcsim_log_count(&sim, "sim echo while-down"), 0, "never sent later either");
	rc_conn_free(c);
	rc_loop_free(l);
}

/* What the first reply ended with: status and cause ("" while none came),
 * and its length. */
struct first_reply {
	bool done;
	int status;
	size_t len;
	char cause[256];
};

static void on_first_reply(rc_conn *c, const rc_event *ev, void *arg)
{
	struct first_reply *r = arg;
	if (ev->type != RC_EV_REPLY || r->done)
		return;
	r->done = true;
	r->status = ev->status;
	r->len = ev->len;
	snprintf(r->cause, sizeof r->cause, "%s", ev->cause ? ev->cause : "");
}

/* Starts mcsim with args, logs in with a 1 s command timeout, sends cmd
 * and waits (up to 20 s) for the end of its reply. */
static struct first_reply reply_with_a_1s_timeout(const char *const *args, const char *cmd)
{
	cr_assert_eq(mcsim_start(&sim, args), 0);
	char port[16];
	struct first_reply r = { 0 };
	rc_conn_opts o = mcsim_conn_opts(sim.ports[0], port);
	o.reconnect = false;
	o.command_timeout_ms = 1000;
	rc_loop *loop = rc_loop_new();
	rc_conn *c = rc_conn_new(loop, &o, on_first_reply, &r);
	cr_assert(loop && c);
	cr_assert_eq(rc_conn_start(c), 0);
	long long end = mcsim_now_ms() + 10000;
	while (rc_conn_state(c) != RC_STATE_READY && mcsim_now_ms() < end)
		rc_loop_run_once(loop, 100);
	cr_assert_eq(rc_conn_state(c), RC_STATE_READY);
	cr_assert_eq(rc_conn_send(c, cmd, NULL, NULL), 0);
	end = mcsim_now_ms() + 20000;
	while (!r.done && mcsim_now_ms() < end)
		rc_loop_run_once(loop, 100);
	cr_assert(r.done, "the reply ended");
	rc_conn_free(c);
	rc_loop_free(loop);
	return r;
}

Test(conn_mcsim, a_reply_still_dripping_in_is_not_cut_by_the_command_timeout)
{
	/* One byte a millisecond: the 3,000-byte reply takes 3 s or more,
	 * three times the 1 s command timeout.  The timeout is the server's
	 * silence, so the reply comes whole. */
	struct first_reply r = reply_with_a_1s_timeout((const char *const[]){ "--drip", NULL },
	    "sim pattern 3000");
	cr_assert_eq(r.status, 0, "cause: %s", r.cause);
	cr_assert_eq(r.len, 3000);
	cr_assert_eq(mcsim_log_count(&sim, "sim pattern 3000"), 1);
}

Test(conn_mcsim, a_reply_that_stops_coming_times_out_saying_what_arrived)
{
	/* mcsim --stall-mid writes the first 4,096-byte packet of a long
	 * reply, then nothing: the cause says what came, not "no reply". */
	struct first_reply r = reply_with_a_1s_timeout((const char *const[]){ "--stall-mid", NULL },
	    "sim pattern 9000");
	cr_assert_eq(r.status, RC_ETIMEOUT);
	cr_assert_str_eq(r.cause, "reply not complete: nothing more came within 1 s "
	    "(4110 bytes arrived)");
}

/* Logs in to an mcsim started with extra args and returns the state and
 * cause the login ended with (cause[256]). */
static rc_state login_outcome(const char *const *args, char *cause)
{
	cr_assert_eq(mcsim_start(&sim, args), 0);
	char port[16];
	rc_conn_opts o = mcsim_conn_opts(sim.ports[0], port);
	o.reconnect = false;
	o.auth_timeout_ms = 500;
	rc_loop *loop = rc_loop_new();
	struct seen s = { 0 };
	rc_conn *c = rc_conn_new(loop, &o, on_event, &s);
	cr_assert(loop && c);
	cr_assert_eq(rc_conn_start(c), 0);
	long long end = mcsim_now_ms() + 10000;
	while (rc_conn_state(c) != RC_STATE_FAILED && rc_conn_state(c) != RC_STATE_READY &&
	    mcsim_now_ms() < end)
		rc_loop_run_once(loop, 100);
	rc_state st = rc_conn_state(c);
	const char *why = NULL;
	rc_conn_last_error(c, &why);
	snprintf(cause, 256, "%s", why ? why : "");
	rc_conn_free(c);
	rc_loop_free(loop);
	mcsim_stop(&sim);
	return st;
}

Test(conn_mcsim, a_login_answered_with_no_auth_reply_says_what_came_instead)
{
	char cause[256];
	const char *type0[] = { "--auth-reply", "type0", NULL };
	cr_assert_eq(login_outcome(type0, cause), RC_STATE_FAILED);
	cr_assert_str_eq(cause, "no auth reply within 500 ms (a packet of type 0, the login's id, "
	    "8 bytes came instead: is this an RCON port?)");
	const char *other[] = { "--auth-reply", "other-id", NULL };
	cr_assert_eq(login_outcome(other, cause), RC_STATE_FAILED);
	cr_assert_str_eq(cause, "no auth reply within 500 ms (a packet of type 2, id 22295, 0 bytes "
	    "came instead: is this an RCON port?)");
	/* A server that never answers the login at all is still called silent. */
	const char *silent[] = { "--auth-reply", "silent", NULL };
	cr_assert_eq(login_outcome(silent, cause), RC_STATE_FAILED);
	cr_assert_str_eq(cause, "no answer to the login within 500 ms");
}

/* Every reply event of one connection, in order. */
struct replies {
	int n;
	int status[16];
	char body[16][64];
	size_t len[16];
	int downs;            /* BACKOFF entered */
};

/* Records replies and falls into BACKOFF. */
static void on_replies(rc_conn *c, const rc_event *ev, void *arg)
{
	struct replies *r = arg;
	if (ev->type == RC_EV_STATE && ev->state == RC_STATE_BACKOFF)
		r->downs++;
	if (ev->type != RC_EV_REPLY || r->n >= 16)
		return;
	r->status[r->n] = ev->status;
	r->len[r->n] = ev->len;
	snprintf(r->body[r->n], sizeof r->body[0], "%.*s", (int)ev->len, ev->body ? ev->body : "");
	r->n++;
}

/* Runs loop until r holds n replies (or a hang's deadline). */
static void wait_replies(rc_loop *loop, const struct replies *r, int n)
{
	long long end = mcsim_now_ms() + 15000;
	while (r->n < n && mcsim_now_ms() < end)
		rc_loop_run_once(loop, 50);
	cr_assert_geq(r->n, n, "%d replies of %d", r->n, n);
}

/* Runs loop until c is READY (or a hang's deadline). */
static void wait_ready(rc_loop *loop, rc_conn *c)
{
	long long end = mcsim_now_ms() + 15000;
	while (rc_conn_state(c) != RC_STATE_READY && mcsim_now_ms() < end)
		rc_loop_run_once(loop, 50);
	cr_assert_eq(rc_conn_state(c), RC_STATE_READY);
}

Test(conn_mcsim, a_reset_in_the_middle_of_a_long_reply_is_outcome_unknown_and_nothing_is_resent)
{
	/* The server resets the connection after the first packet of a long
	 * reply: that command's outcome is unknown, and its report carries the
	 * packet that came (for the caller to show as cut); the one queued
	 * behind it was never sent; after the reconnect neither goes out again. */
	const char *args[] = { "--reset-mid", NULL };
	cr_assert_eq(mcsim_start(&sim, args), 0);
	char port[16];
	rc_conn_opts o = mcsim_conn_opts(sim.ports[0], port);
	o.backoff_min_ms = 50;
	rc_loop *loop = rc_loop_new();
	struct replies r = { 0 };
	rc_conn *c = rc_conn_new(loop, &o, on_replies, &r);
	cr_assert(loop && c);
	cr_assert_eq(rc_conn_start(c), 0);
	wait_ready(loop, c);
	cr_assert_eq(rc_conn_send(c, "sim echo before", NULL, NULL), 0);
	cr_assert_eq(rc_conn_send(c, "sim pattern 9000", NULL, NULL), 0);
	cr_assert_eq(rc_conn_send(c, "sim echo behind", NULL, NULL), 0);
	wait_replies(loop, &r, 3);
	cr_assert_eq(r.status[0], 0);
	cr_assert_str_eq(r.body[0], "before");
	cr_assert_eq(r.status[1], RC_ELOST, "%s", rc_strerror(r.status[1]));
	cr_assert_eq(r.len[1], 4096, "the first packet's bytes: %zu", r.len[1]);
	cr_assert_str_eq(r.body[1], "000000000\n000000010\n000000020\n000000030\n000000040\n000000050\n000");
	cr_assert_eq(r.status[2], RC_ENOTSENT, "%s", rc_strerror(r.status[2]));
	cr_assert_eq(r.len[2], 0, "nothing of a command never written");
	cr_assert_eq(r.downs, 1);
	wait_ready(loop, c);
	cr_assert_eq(rc_conn_send(c, "sim echo after", NULL, NULL), 0);
	wait_replies(loop, &r, 4);
	cr_assert_str_eq(r.body[3], "after");
	cr_assert_eq(mcsim_log_count(&sim, "sim echo before"), 1);
	cr_assert_eq(mcsim_log_count(&sim, "sim pattern 9000"), 1, "written once, never again");
	cr_assert_eq(mcsim_log_count(&sim, "sim echo behind"), 0, "never written");
	cr_assert_eq(mcsim_log_count(&sim, "sim echo after"), 1);
	rc_conn_free(c);
	rc_loop_free(loop);
}

Test(conn_mcsim, packets_nobody_asked_for_never_become_a_reply)
{
	/* A packet with an id never used comes before every answer (a panel's
	 * chatter): each command still gets its own reply, every stray is
	 * counted, and the connection stays up. */
	const char *args[] = { "--stray", NULL };
	cr_assert_eq(mcsim_start(&sim, args), 0);
	char port[16];
	rc_conn_opts o = mcsim_conn_opts(sim.ports[0], port);
	o.reconnect = false;
	rc_loop *loop = rc_loop_new();
	struct replies r = { 0 };
	rc_conn *c = rc_conn_new(loop, &o, on_replies, &r);
	cr_assert(loop && c);
	cr_assert_eq(rc_conn_start(c), 0);
	wait_ready(loop, c);
	static const char *const cmds[] = { "sim echo one", "sim echo two", "sim pattern 5000" };
	for (size_t i = 0; i < 3; i++)
		cr_assert_eq(rc_conn_send(c, cmds[i], NULL, NULL), 0);
	wait_replies(loop, &r, 3);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(r.status[i], 0, "%d: %s", i, rc_strerror(r.status[i]));
	cr_assert_str_eq(r.body[0], "one");
	cr_assert_str_eq(r.body[1], "two");
	cr_assert_eq(r.len[2], 5000);
	cr_assert_eq(strncmp(r.body[2], "000000000\n000000010\n", 20), 0);
	/* One before each answer: the three replies and every sentinel's (the
	 * long reply's, and a quiet probe's should a reply be slow). */
	const rc_conn_stats *st = rc_conn_get_stats(c);
	cr_assert_geq(st->sentinels, 1);
	cr_assert_eq(st->strays, 3 + st->sentinels, "%llu strays, %llu sentinels",
	    (unsigned long long)st->strays, (unsigned long long)st->sentinels);
	cr_assert_eq(rc_conn_state(c), RC_STATE_READY);
	rc_conn_free(c);
	rc_loop_free(loop);
}
