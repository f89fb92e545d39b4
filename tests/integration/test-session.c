/* test-session.c: the session (session.h) against real mcsim processes:
 * order within a server, parallel servers, a failure stopping the queue
 * with the rest reported as not sent, a hanging server timing out with no
 * resend, the interrupt, a wrong password, refused commands, streamed
 * replies, the next command written before the reply is reported, a
 * restart, several servers halted at once, and a session driven from a
 * hand-written poll() loop through the adapter hooks — also with 2,000
 * servers, each of which must get its own replies, in order.
 * What reached the server is always checked in mcsim's --log. */
#include <criterion/criterion.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support/mcsim.h"
#include "rconsole/rconsole.h"

static mcsim sim;

/* What a test on rc_loop sets up (fx_start): mcsim, a loop, a session with
 * every callback of this file and options for mcsim's first two servers.
 * The suite's .fini frees whatever is set, also after a failed assert. */
static struct {
	rc_loop *loop;
	rc_session *s;
	char port[2][16];
	rc_conn_opts o[2];
} fx;

/* Frees the fixture's session and loop, then stops mcsim (every test). */
static void fx_fini(void)
{
	rc_session_free(fx.s);
	rc_loop_free(fx.loop);
	memset(&fx, 0, sizeof fx);
	mcsim_stop(&sim);
}

TestSuite(session, .fini = fx_fini, .timeout = 60);

#define MAX_SEEN 64

/* One report as a test keeps it. */
struct seen {
	char kind;            /* u sent r fragment o d f: up sent refused frag outcome down finished */
	size_t server;
	uint64_t seq;
	char cmd[64];
	int err;
	char body[128];
	size_t len, bytes;
	unsigned fragments;
	bool handed;
	size_t not_sent;
	rc_state state;
	rc_state from;
};

struct rec {
	struct seen ev[MAX_SEEN];
	size_t n;
	size_t frag_bytes;
	int log_wait;         /* >0: on an outcome of seq 0, wait this long for `want` in the log */
	const char *want;
	int want_seen;
	bool interrupt_on_sent; /* interrupt once command seq 0 is in the log */
};

static struct rec rec;

/* Keeps a report of kind. */
static void keep(char kind, const rc_session_ev *ev)
{
	cr_assert_lt(rec.n, MAX_SEEN);
	struct seen *s = &rec.ev[rec.n++];
	memset(s, 0, sizeof *s);
	s->kind = kind;
	s->server = ev->server;
	s->seq = ev->seq;
	if (ev->cmd)
		snprintf(s->cmd, sizeof s->cmd, "%s", ev->cmd);
	s->err = ev->err;
	if (kind == 'o' && ev->err == 0)
		snprintf(s->body, sizeof s->body, "%.*s", (int)(ev->len < 127 ? ev->len : 127),
		    ev->body);
	s->len = ev->len;
	s->bytes = ev->bytes;
	s->fragments = ev->fragments;
	s->handed = ev->handed;
	s->not_sent = ev->not_sent;
	s->state = ev->state;
	s->from = ev->from;
}

static void on_up(rc_session *s, const rc_session_ev *ev, void *arg) { keep('u', ev); }
static void on_sent(rc_session *s, const rc_session_ev *ev, void *arg) { keep('s', ev); }
static void on_refused(rc_session *s, const rc_session_ev *ev, void *arg) { keep('r', ev); }
static void on_down(rc_session *s, const rc_session_ev *ev, void *arg) { keep('d', ev); }
static void on_finished(rc_session *s, const rc_session_ev *ev, void *arg) { keep('f', ev); }

/* Counts a fragment's bytes (not kept: there may be many). */
static void on_fragment(rc_session *s, const rc_session_ev *ev, void *arg)
{
	rec.frag_bytes += ev->len;
}

/* Keeps an outcome; for seq 0, optionally looks in the log for the next
 * command while the report is being delivered. */
static void on_outcome(rc_session *s, const rc_session_ev *ev, void *arg)
{
	keep('o', ev);
	if (rec.log_wait && ev->seq == 0)
		rec.want_seen = mcsim_log_wait(&sim, rec.want, 1, rec.log_wait);
}

/* A session on loop with every callback of this file. */
static rc_session *session_new(rc_loop *loop)
{
	rc_session_cbs cbs;
	rc_session_cbs_init(&cbs);
	cbs.up = on_up;
	cbs.sent = on_sent;
	cbs.refused = on_refused;
	cbs.fragment = on_fragment;
	cbs.outcome = on_outcome;
	cbs.down = on_down;
	cbs.finished = on_finished;
	memset(&rec, 0, sizeof rec);
	rc_session *s = rc_session_new(loop, &cbs, NULL);
	cr_assert_not_null(s);
	return s;
}

/* Starts mcsim with args and fills the fixture's options for it. */
static void fx_sim(const char *const *args)
{
	cr_assert_eq(mcsim_start(&sim, args), 0);
	for (int i = 0; i < 2 && i < sim.n_ports; i++)
		fx.o[i] = mcsim_conn_opts(sim.ports[i], fx.port[i]);
}

/* Starts mcsim with args and sets the whole fixture up on it. */
static void fx_start(const char *const *args)
{
	fx_sim(args);
	fx.loop = rc_loop_new();
	cr_assert_not_null(fx.loop);
	fx.s = session_new(fx.loop);
}

/* Adds a server with options o to the fixture's session; returns its index. */
static size_t fx_add(const rc_conn_opts *o)
{
	size_t i;
	cr_assert_eq(rc_session_add(fx.s, o, &i), 0);
	return i;
}

/* Returns the index of the first kept report of kind for server and seq,
 * or -1. */
static int find(char kind, size_t server, uint64_t seq)
{
	for (size_t i = 0; i < rec.n; i++)
		if (rec.ev[i].kind == kind && rec.ev[i].server == server &&
		    (kind == 'u' || kind == 'd' || kind == 'f' || rec.ev[i].seq == seq))
			return (int)i;
	return -1;
}

/* Returns the first kept report of kind for server and seq, failing the
 * test when there is none (never an index outside the array). */
static struct seen *got(char kind, size_t server, uint64_t seq)
{
	int i = find(kind, server, seq);
	cr_assert_geq(i, 0, "no '%c' report for server %zu seq %llu", kind, server,
	    (unsigned long long)seq);
	return &rec.ev[i];
}

/* Returns the byte offset of line in mcsim's log, or -1. */
static long log_pos(const char *log, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = log; (p = strstr(p, line)); p++)
		if ((p == log || p[-1] == '\n') && p[n] == '\n')
			return p - log;
	return -1;
}

Test(session, runs_a_server_s_commands_in_order)
{
	const char *args[] = { "--delay", "20", NULL };
	fx_start(args);
	size_t a = fx_add(&fx.o[0]);
	cr_assert_eq(a, 0);
	for (int i = 0; i < 5; i++) {
		char cmd[32];
		uint64_t seq;
		snprintf(cmd, sizeof cmd, "sim echo c%d", i);
		cr_assert_eq(rc_session_push(fx.s, a, cmd, NULL, &seq), 0);
		cr_assert_eq(seq, (uint64_t)i);
	}
	rc_session_end(fx.s);
	cr_assert_eq(rc_session_run(fx.s), 0);
	cr_assert(rc_session_finished(fx.s));
	cr_assert(rc_session_server_finished(fx.s, a));
	int prev = -1;
	for (int i = 0; i < 5; i++) {
		char want[8];
		snprintf(want, sizeof want, "c%d", i);
		int sent = find('s', a, (uint64_t)i), out = find('o', a, (uint64_t)i);
		cr_assert(sent >= 0 && out > sent, "command %d: sent %d outcome %d", i, sent, out);
		cr_assert_gt(sent, prev, "command %d was handed over before %d ended", i, i - 1);
		prev = out;
		cr_assert_eq(rec.ev[out].err, 0);
		cr_assert_str_eq(rec.ev[out].body, want);
		cr_assert_eq(rec.ev[out].bytes, 2);
		cr_assert_eq(rec.ev[out].fragments, 1);
	}
	cr_assert_eq(rec.ev[rec.n - 1].kind, 'f');
	char *log = mcsim_log(&sim);
	cr_assert_str_eq(log, "sim echo c0\nsim echo c1\nsim echo c2\nsim echo c3\nsim echo c4\n");
	free(log);
}

Test(session, runs_servers_in_parallel)
{
	/* One mcsim process, two servers, one log: with a 300 ms reply delay a
	 * session running them one after the other would log all of a's
	 * commands before b's first. */
	const char *args[] = { "--servers", "2", "--delay", "300", NULL };
	fx_start(args);
	size_t a = fx_add(&fx.o[0]), b = fx_add(&fx.o[1]);
	cr_assert_eq(b, 1);
	cr_assert_eq(rc_session_count(fx.s), 2);
	const char *ca[] = { "sim echo a1", "sim echo a2", "sim echo a3" };
	const char *cb[] = { "sim echo b1", "sim echo b2", "sim echo b3" };
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(rc_session_push(fx.s, a, ca[i], NULL, NULL), 0);
		cr_assert_eq(rc_session_push(fx.s, b, cb[i], NULL, NULL), 0);
	}
	rc_session_end(fx.s);
	cr_assert_eq(rc_session_run(fx.s), 0);
	for (int i = 0; i < 3; i++) {
		int oa_i = find('o', a, (uint64_t)i), ob_i = find('o', b, (uint64_t)i);
		cr_assert(oa_i >= 0 && ob_i >= 0);
		cr_assert_str_eq(rec.ev[oa_i].body, ca[i] + 9);
		cr_assert_str_eq(rec.ev[ob_i].body, cb[i] + 9);
	}
	char *log = mcsim_log(&sim);
	for (int i = 0; i < 3; i++)
		cr_assert(log_pos(log, ca[i]) >= 0 && log_pos(log, cb[i]) >= 0, "%s", log);
	cr_assert_lt(log_pos(log, "sim echo a1"), log_pos(log, "sim echo a2"));
	cr_assert_lt(log_pos(log, "sim echo a2"), log_pos(log, "sim echo a3"));
	cr_assert_lt(log_pos(log, "sim echo b1"), log_pos(log, "sim echo b2"));
	cr_assert_lt(log_pos(log, "sim echo b2"), log_pos(log, "sim echo b3"));
	cr_assert_lt(log_pos(log, "sim echo b1"), log_pos(log, "sim echo a3"),
	    "b waited for a:\n%s", log);
	cr_assert_lt(log_pos(log, "sim echo a1"), log_pos(log, "sim echo b3"),
	    "a waited for b:\n%s", log);
	free(log);
}

Test(session, a_failure_stops_the_queue_and_reports_the_rest_not_sent)
{
	/* Command 3 makes mcsim close the connection: its outcome is unknown,
	 * 4 and 5 are never written. */
	const char *args[] = { "--drop-after", "2", NULL };
	fx_start(args);
	size_t a = fx_add(&fx.o[0]);
	const char *cmds[] = { "sim echo 1", "sim echo 2", "sim echo 3", "sim echo 4", "sim echo 5" };
	for (int i = 0; i < 5; i++)
		cr_assert_eq(rc_session_push(fx.s, a, cmds[i], NULL, NULL), 0);
	rc_session_end(fx.s);
	cr_assert_eq(rc_session_run(fx.s), 0);
	cr_assert(rc_session_down(fx.s, a));
	cr_assert_eq(got('o', a, 0)->err, 0);
	cr_assert_eq(got('o', a, 1)->err, 0);
	int third = find('o', a, 2);
	cr_assert_geq(third, 0, "no outcome for the third command");
	cr_assert_eq(rec.ev[third].err, RC_ELOST, "%s", rc_strerror(rec.ev[third].err));
	cr_assert(rec.ev[third].handed);
	for (uint64_t i = 3; i < 5; i++) {
		int k = find('o', a, i);
		cr_assert_geq(k, 0, "command %d has no outcome", (int)i);
		cr_assert_eq(rec.ev[k].err, RC_ENOTSENT);
		cr_assert_not(rec.ev[k].handed);
		cr_assert_lt(find('s', a, i), 0, "command %d was handed over", (int)i);
	}
	int d = find('d', a, 0);
	cr_assert_geq(d, 0, "no down report");
	cr_assert_gt(d, find('o', a, 4), "down comes after the outcomes it caused");
	cr_assert_eq(rec.ev[d].not_sent, 2);
	cr_assert_lt(find('f', a, 0), 0);
	cr_assert_eq(rc_session_push(fx.s, a, "sim echo 6", NULL, NULL), RC_ENOTREADY);
	char *log = mcsim_log(&sim);
	cr_assert_str_eq(log, "sim echo 1\nsim echo 2\nsim echo 3\n");
	free(log);
}

Test(session, a_hanging_server_times_out_with_no_resend)
{
	const char *args[] = { "--hang-after", "1", NULL };
	fx_start(args);
	fx.o[0].command_timeout_ms = 500;
	size_t a = fx_add(&fx.o[0]);
	cr_assert_eq(rc_session_push(fx.s, a, "sim echo one", NULL, NULL), 0);
	cr_assert_eq(rc_session_push(fx.s, a, "sim echo two", NULL, NULL), 0);
	cr_assert_eq(rc_session_push(fx.s, a, "sim echo three", NULL, NULL), 0);
	rc_session_end(fx.s);
	cr_assert_eq(rc_session_run(fx.s), 0);
	cr_assert_eq(got('o', a, 0)->err, 0);
	cr_assert_eq(got('o', a, 1)->err, RC_ETIMEOUT);
	cr_assert_eq(got('o', a, 2)->err, RC_ENOTSENT);
	cr_assert_eq(got('d', a, 0)->err, RC_ETIMEOUT);
	cr_assert_eq(got('d', a, 0)->not_sent, 1);
	/* Give a resend every chance to show up. */
	mcsim_sleep_ms(300);
	cr_assert_eq(rc_loop_run_once(fx.loop, 200) >= 0, true);
	char *log = mcsim_log(&sim);
	cr_assert_str_eq(log, "sim echo one\nsim echo two\n");
	free(log);
}

Test(session, interrupt_stops_everything_and_reports_what_was_never_sent)
{
	/* The delay holds the login's reply too: 2 s to log in, 2 s more
	 * before x1 and y1 are answered — the interrupt comes in between. */
	const char *args[] = { "--servers", "2", "--delay", "2000", NULL };
	fx_start(args);
	fx.o[0].command_timeout_ms = fx.o[1].command_timeout_ms = 20000;
	fx.o[0].auth_timeout_ms = fx.o[1].auth_timeout_ms = 10000;
	size_t a = fx_add(&fx.o[0]), b = fx_add(&fx.o[1]);
	const char *cmds[] = { "sim echo x1", "sim echo x2", "sim echo x3" };
	for (int i = 0; i < 3; i++)
		cr_assert_eq(rc_session_push(fx.s, a, cmds[i], NULL, NULL), 0);
	cr_assert_eq(rc_session_push(fx.s, b, "sim echo y1", NULL, NULL), 0);
	long long until = mcsim_now_ms() + 10000;
	while ((mcsim_log_count(&sim, "sim echo x1") < 1 || mcsim_log_count(&sim, "sim echo y1") < 1) &&
	    mcsim_now_ms() < until)
		rc_loop_run_once(fx.loop, 50);
	cr_assert_eq(mcsim_log_count(&sim, "sim echo x1"), 1);
	cr_assert_not(rc_session_finished(fx.s));
	rc_session_interrupt(fx.s);
	cr_assert(rc_session_finished(fx.s), "interrupt finishes every server at once");
	cr_assert_eq(got('o', a, 0)->err, RC_ELOST);
	cr_assert(got('o', a, 0)->handed);
	cr_assert_eq(got('o', a, 1)->err, RC_ENOTSENT);
	cr_assert_eq(got('o', a, 2)->err, RC_ENOTSENT);
	cr_assert_eq(got('o', b, 0)->err, RC_ELOST);
	cr_assert_eq(got('d', a, 0)->err, RC_ECANCELED);
	cr_assert_eq(got('d', a, 0)->not_sent, 2);
	cr_assert_eq(got('d', b, 0)->err, RC_ECANCELED);
	cr_assert_eq(got('d', b, 0)->not_sent, 0);
	/* Stopped by the session, each from the state it was in, not IDLE. */
	cr_assert_eq(got('d', a, 0)->from, RC_STATE_BUSY, "%s", rc_state_name(got('d', a, 0)->from));
	cr_assert_eq(got('d', b, 0)->from, RC_STATE_BUSY, "%s", rc_state_name(got('d', b, 0)->from));
	cr_assert_eq(rc_session_push(fx.s, a, "sim echo x4", NULL, NULL), RC_ENOTREADY);
	rc_loop_run_once(fx.loop, 100);
	char *log = mcsim_log(&sim);
	cr_assert_eq(log_pos(log, "sim echo x2"), -1, "%s", log);
	cr_assert_eq(log_pos(log, "sim echo x3"), -1, "%s", log);
	free(log);
}

Test(session, a_wrong_password_is_rc_eauth_and_nothing_is_sent)
{
	fx_start(NULL);
	fx.o[0].password = "not the password";
	size_t a = fx_add(&fx.o[0]);
	cr_assert_eq(rc_session_push(fx.s, a, "list", NULL, NULL), 0);
	rc_session_end(fx.s);
	cr_assert_eq(rc_session_run(fx.s), 0);
	int d = find('d', a, 0);
	cr_assert_geq(d, 0);
	cr_assert_eq(rec.ev[d].err, RC_EAUTH, "%s", rc_strerror(rec.ev[d].err));
	cr_assert_eq(rec.ev[d].state, RC_STATE_AUTH_FAILED);
	cr_assert_eq(rec.ev[d].not_sent, 1);
	cr_assert_lt(find('u', a, 0), 0);
	cr_assert_eq(got('o', a, 0)->err, RC_ENOTSENT);
	char *log = mcsim_log(&sim);
	cr_assert_str_eq(log, "#auth-failed\n", "%s", log);
	free(log);
}

Test(session, refused_commands_never_reach_the_server)
{
	fx_start(NULL);
	fx.o[0].read_only = true;
	size_t a = fx_add(&fx.o[0]);
	static char longcmd[1500];
	memset(longcmd, 'x', sizeof longcmd - 1);
	memcpy(longcmd, "say ", 4);
	const char *cmds[] = { "list", "op Bob", "seed", longcmd, "bad\rline", "list uuids" };
	for (int i = 0; i < 6; i++)
		cr_assert_eq(rc_session_push(fx.s, a, cmds[i], NULL, NULL), 0);
	rc_session_end(fx.s);
	cr_assert_eq(rc_session_run(fx.s), 0);
	cr_assert(rc_session_server_finished(fx.s, a), "a refusal does not stop the queue");
	cr_assert_eq(got('r', a, 1)->err, RC_EREADONLY);
	cr_assert_eq(got('r', a, 3)->err, RC_ETOOLONG);
	cr_assert_eq(got('r', a, 4)->err, RC_EINVAL);
	cr_assert_lt(find('s', a, 1), 0);
	for (uint64_t i = 0; i < 6; i += (i == 0 ? 2 : 3))
		cr_assert_eq(got('o', a, i)->err, 0, "command %d", (int)i);
	char *log = mcsim_log(&sim);
	cr_assert_str_eq(log, "list\nseed\nlist uuids\n", "%s", log);
	free(log);
}

Test(session, streams_a_long_reply_as_fragments)
{
	fx_start(NULL);
	fx.o[0].stream = true;
	size_t a = fx_add(&fx.o[0]);
	cr_assert_eq(rc_session_push(fx.s, a, "sim chars 20000 ascii", NULL, NULL), 0);
	cr_assert_eq(rc_session_push(fx.s, a, "sim echo after", NULL, NULL), 0);
	rc_session_end(fx.s);
	cr_assert_eq(rc_session_run(fx.s), 0);
	int k = find('o', a, 0);
	cr_assert_eq(rec.ev[k].err, 0);
	cr_assert_eq(rec.ev[k].len, 0, "a streamed reply is not kept");
	cr_assert_eq(rec.ev[k].bytes, 20000);
	cr_assert_geq(rec.ev[k].fragments, 5);
	cr_assert_eq(rec.frag_bytes, 20000 + strlen("after"));
	cr_assert_eq(got('o', a, 1)->bytes, 5);
}

Test(session, the_next_command_is_written_before_the_reply_is_reported)
{
	/* While the outcome of the first command is being delivered, the
	 * server has already received the second. */
	fx_start(NULL);
	rec.log_wait = 3000;
	rec.want = "sim echo second";
	size_t a = fx_add(&fx.o[0]);
	cr_assert_eq(rc_session_push(fx.s, a, "sim echo first", NULL, NULL), 0);
	cr_assert_eq(rc_session_push(fx.s, a, "sim echo second", NULL, NULL), 0);
	rc_session_end(fx.s);
	cr_assert_eq(rc_session_run(fx.s), 0);
	cr_assert_eq(rec.want_seen, 1, "the second command was not written before the report");
	cr_assert_str_eq(got('o', a, 0)->body, "first");
	cr_assert_str_eq(got('o', a, 1)->body, "second");
	/* The report of the first comes before the hand-over report of the second. */
	cr_assert_lt(find('o', a, 0), find('s', a, 1));
}

Test(session, restart_reconnects_a_server_that_went_down)
{
	const char *args[] = { "--drop-after", "1", NULL };
	fx_start(args);
	size_t a = fx_add(&fx.o[0]);
	cr_assert_eq(rc_session_push(fx.s, a, "sim echo p1", NULL, NULL), 0);
	cr_assert_eq(rc_session_push(fx.s, a, "sim echo p2", NULL, NULL), 0);
	long long until = mcsim_now_ms() + 10000;
	while (!rc_session_down(fx.s, a) && mcsim_now_ms() < until)
		rc_loop_run_once(fx.loop, 100);
	cr_assert(rc_session_down(fx.s, a));
	cr_assert_eq(rc_session_restart(fx.s, a), 0);
	cr_assert_eq(rc_session_push(fx.s, a, "sim echo p3", NULL, NULL), 0);
	rc_session_end(fx.s);
	cr_assert_eq(rc_session_run(fx.s), 0);
	cr_assert(rc_session_server_finished(fx.s, a));
	cr_assert_eq(got('o', a, 2)->err, 0);
	cr_assert_str_eq(got('o', a, 2)->body, "p3");
	char *log = mcsim_log(&sim);
	cr_assert_str_eq(log, "sim echo p1\nsim echo p2\nsim echo p3\n", "never resent: %s", log);
	free(log);
}

/* ---- a session on a hand-written poll() loop, through the adapter ---- */

#define MAX_W 8

/* What the hooks asked for: one watch and one timer per connection. */
struct hand_loop {
	struct { rc_conn *c; int fd; short events; } w[MAX_W];
	struct { rc_conn *c; long long at; } t[MAX_W];
	size_t n_w, n_t;
};

/* Adapter hook: (un)watch fd for c. */
static void hand_watch(void *ctx, rc_conn *c, int fd, short events)
{
	struct hand_loop *h = ctx;
	for (size_t i = 0; i < h->n_w; i++)
		if (h->w[i].fd == fd) {
			h->w[i].c = c;
			h->w[i].events = events;
			return;
		}
	cr_assert_lt(h->n_w, MAX_W);
	h->w[h->n_w].c = c;
	h->w[h->n_w].fd = fd;
	h->w[h->n_w++].events = events;
}

/* Adapter hook: (re)arm or cancel c's timer. */
static void hand_timer(void *ctx, rc_conn *c, int64_t ms)
{
	struct hand_loop *h = ctx;
	size_t i = 0;
	while (i < h->n_t && h->t[i].c != c)
		i++;
	if (i == h->n_t) {
		cr_assert_lt(h->n_t, MAX_W);
		h->t[h->n_t++].c = c;
	}
	h->t[i].at = ms < 0 ? 0 : mcsim_now_ms() + ms;
}

/* Runs one pass of the hand-written loop. */
static void hand_pass(struct hand_loop *h, rc_session *s)
{
	struct pollfd p[MAX_W];
	rc_conn *owner[MAX_W];
	nfds_t n = 0;
	for (size_t i = 0; i < h->n_w; i++)
		if (h->w[i].events) {
			p[n].fd = h->w[i].fd;
			p[n].events = h->w[i].events;
			owner[n++] = h->w[i].c;
		}
	long long now = mcsim_now_ms(), wait = 100;
	for (size_t i = 0; i < h->n_t; i++)
		if (h->t[i].at && h->t[i].at - now < wait)
			wait = h->t[i].at > now ? h->t[i].at - now : 0;
	int r = poll(p, n, (int)wait);
	for (nfds_t i = 0; r > 0 && i < n; i++)
		if (p[i].revents)
			rc_session_handle_io(s, owner[i], p[i].fd, p[i].revents);
	now = mcsim_now_ms();
	for (size_t i = 0; i < h->n_t; i++)
		if (h->t[i].at && h->t[i].at <= now) {
			h->t[i].at = 0;
			rc_session_handle_timer(s, h->t[i].c);
		}
}

Test(session, runs_on_any_loop_through_the_adapter)
{
	const char *args[] = { "--servers", "2", NULL };
	fx_sim(args);
	struct hand_loop h = { 0 };
	rc_adapter ad = { sizeof ad, hand_watch, hand_timer };
	rc_session_cbs cbs;
	rc_session_cbs_init(&cbs);
	cbs.outcome = on_outcome;
	cbs.finished = on_finished;
	memset(&rec, 0, sizeof rec);
	rc_session *s = rc_session_new_adapter(&ad, &h, &cbs, NULL);
	cr_assert_not_null(s);
	size_t a, b;
	cr_assert_eq(rc_session_add(s, &fx.o[0], &a), 0);
	cr_assert_eq(rc_session_add(s, &fx.o[1], &b), 0);
	cr_assert_eq(rc_session_push(s, a, "sim echo on a", NULL, NULL), 0);
	cr_assert_eq(rc_session_push(s, a, "sim echo again a", NULL, NULL), 0);
	cr_assert_eq(rc_session_push(s, b, "sim echo on b", NULL, NULL), 0);
	rc_session_end(s);
	cr_assert_eq(rc_session_run(s), RC_EINVAL, "rc_session_run is for rc_loop sessions");
	long long until = mcsim_now_ms() + 10000;
	while (!rc_session_finished(s) && mcsim_now_ms() < until)
		hand_pass(&h, s);
	cr_assert(rc_session_finished(s));
	cr_assert(rc_session_server_finished(s, a) && rc_session_server_finished(s, b));
	cr_assert_str_eq(got('o', a, 0)->body, "on a");
	cr_assert_str_eq(got('o', a, 1)->body, "again a");
	cr_assert_str_eq(got('o', b, 0)->body, "on b");
	cr_assert_eq(mcsim_log_count(&sim, "sim echo on a"), 1);
	cr_assert_eq(mcsim_log_count(&sim, "sim echo again a"), 1);
	cr_assert_eq(mcsim_log_count(&sim, "sim echo on b"), 1);
	rc_session_free(s);
	/* Nothing is left watched once the session is gone. */
	for (size_t i = 0; i < h.n_w; i++)
		cr_assert_eq(h.w[i].events, 0, "fd %d still watched", h.w[i].fd);
}

/* ---- thousands of servers on a hand-written loop (issue 11) ---- */

#define MANY_SRV 2000
#define MANY_PORTS 8        /* 250 connections to each of mcsim's ports */
#define MANY_FDS 65536
#define MANY_SLOTS 8192     /* the timer table: open addressing on the pointer */

/* A hand-written loop that scales: watches indexed by fd, timers in a
 * small hash keyed by the connection. */
struct many_loop {
	rc_conn *w_conn[MANY_FDS];
	short w_events[MANY_FDS];
	struct { rc_conn *c; long long at; } t[MANY_SLOTS];
	int max_fd;
};

/* What each server got back, in order. */
struct many_rec {
	unsigned outcomes[MANY_SRV];
	unsigned wrong;       /* replies that were not this server's, or out of order */
	unsigned failed;
	unsigned finished;
	char first_wrong[160];
};

static struct many_loop *many;
static struct many_rec mrec;

/* Adapter hook: (un)watch fd for c. */
static void many_watch(void *ctx, rc_conn *c, int fd, short events)
{
	struct many_loop *h = ctx;
	cr_assert(fd >= 0 && fd < MANY_FDS, "fd %d", fd);
	h->w_conn[fd] = events ? c : NULL;
	h->w_events[fd] = events;
	if (fd > h->max_fd)
		h->max_fd = fd;
}

/* Returns c's slot in the timer table (a new one when it has none). */
static size_t many_slot(struct many_loop *h, const rc_conn *c)
{
	size_t i = ((uintptr_t)c >> 4) % MANY_SLOTS;
	while (h->t[i].c && h->t[i].c != c)
		i = (i + 1) % MANY_SLOTS;
	return i;
}

/* Adapter hook: (re)arm or cancel c's timer. */
static void many_timer(void *ctx, rc_conn *c, int64_t ms)
{
	struct many_loop *h = ctx;
	size_t i = many_slot(h, c);
	h->t[i].c = c;
	h->t[i].at = ms < 0 ? 0 : mcsim_now_ms() + ms;
}

/* Runs one pass: poll over the watched fds, then the timers due. */
static void many_pass(struct many_loop *h, rc_session *s)
{
	static struct pollfd p[MANY_SRV + 64];
	nfds_t n = 0;
	for (int fd = 0; fd <= h->max_fd; fd++)
		if (h->w_events[fd]) {
			cr_assert_lt(n, sizeof p / sizeof p[0]);
			p[n].fd = fd;
			p[n].events = h->w_events[fd];
			p[n++].revents = 0;
		}
	long long now = mcsim_now_ms(), wait = 100;
	for (size_t i = 0; i < MANY_SLOTS; i++)
		if (h->t[i].at && h->t[i].at - now < wait)
			wait = h->t[i].at > now ? h->t[i].at - now : 0;
	int r = poll(p, n, (int)wait);
	for (nfds_t i = 0; r > 0 && i < n; i++)
		if (p[i].revents && h->w_conn[p[i].fd])
			rc_session_handle_io(s, h->w_conn[p[i].fd], p[i].fd, p[i].revents);
	now = mcsim_now_ms();
	for (size_t i = 0; i < MANY_SLOTS; i++)
		if (h->t[i].at && h->t[i].at <= now) {
			h->t[i].at = 0;
			rc_session_handle_timer(s, h->t[i].c);
		}
}

/* Checks that an outcome is its own server's reply, in the order pushed. */
static void many_outcome(rc_session *s, const rc_session_ev *ev, void *arg)
{
	char want[64];
	snprintf(want, sizeof want, "srv-%zu-%c", ev->server, ev->seq == 0 ? 'a' : 'b');
	if (ev->err) {
		mrec.failed++;
		return;
	}
	bool ok = ev->server < MANY_SRV && ev->seq == mrec.outcomes[ev->server] &&
	    ev->len == strlen(want) && memcmp(ev->body, want, ev->len) == 0 &&
	    ev->tag == (void *)(uintptr_t)(ev->server + 1);
	if (!ok && !mrec.wrong++)
		snprintf(mrec.first_wrong, sizeof mrec.first_wrong, "server %zu seq %llu got '%.*s'",
		    ev->server, (unsigned long long)ev->seq, (int)(ev->len < 64 ? ev->len : 64),
		    ev->body);
	if (ev->server < MANY_SRV)
		mrec.outcomes[ev->server]++;
}

/* Counts the servers that finished. */
static void many_finished(rc_session *s, const rc_session_ev *ev, void *arg)
{
	mrec.finished++;
}

Test(session, thousands_of_servers_through_the_adapter_each_get_their_own_replies,
    .timeout = 120)
{
	const char *args[] = { "--servers", "8", NULL };
	cr_assert_eq(mcsim_start(&sim, args), 0);
	cr_assert_eq(sim.n_ports, MANY_PORTS);
	many = calloc(1, sizeof *many);
	cr_assert_not_null(many);
	memset(&mrec, 0, sizeof mrec);
	rc_adapter ad = { sizeof ad, many_watch, many_timer };
	rc_session_cbs cbs;
	rc_session_cbs_init(&cbs);
	cbs.outcome = many_outcome;
	cbs.finished = many_finished;
	rc_session *s = rc_session_new_adapter(&ad, many, &cbs, NULL);
	cr_assert_not_null(s);
	static char ports[MANY_PORTS][16];
	for (size_t i = 0; i < MANY_SRV; i++) {
		rc_conn_opts o = mcsim_conn_opts(sim.ports[i % MANY_PORTS], ports[i % MANY_PORTS]);
		/* Two thousand connects at once: room for a retried SYN. */
		o.connect_timeout_ms = o.auth_timeout_ms = o.command_timeout_ms = 30000;
		size_t idx;
		cr_assert_eq(rc_session_add(s, &o, &idx), 0, "server %zu", i);
		cr_assert_eq(idx, i);
		char cmd[64];
		void *tag = (void *)(uintptr_t)(i + 1);
		snprintf(cmd, sizeof cmd, "sim echo srv-%zu-a", i);
		cr_assert_eq(rc_session_push(s, i, cmd, tag, NULL), 0);
		snprintf(cmd, sizeof cmd, "sim echo srv-%zu-b", i);
		cr_assert_eq(rc_session_push(s, i, cmd, tag, NULL), 0);
	}
	rc_session_end(s);
	long long until = mcsim_now_ms() + 90000;
	while (!rc_session_finished(s) && mcsim_now_ms() < until)
		many_pass(many, s);
	cr_assert(rc_session_finished(s), "%u of %d servers finished", mrec.finished, MANY_SRV);
	cr_assert_eq(mrec.failed, 0, "%u commands failed", mrec.failed);
	cr_assert_eq(mrec.wrong, 0, "%u replies went astray, first: %s", mrec.wrong,
	    mrec.first_wrong);
	cr_assert_eq(mrec.finished, MANY_SRV);
	for (size_t i = 0; i < MANY_SRV; i++)
		cr_assert_eq(mrec.outcomes[i], 2, "server %zu: %u outcomes", i, mrec.outcomes[i]);
	/* Each command reached mcsim exactly once. */
	char *log = mcsim_log(&sim);
	size_t lines = 0;
	for (const char *p = log; (p = strstr(p, "sim echo srv-")); p++)
		lines++;
	free(log);
	cr_assert_eq(lines, 2 * MANY_SRV, "%zu commands in mcsim's log", lines);
	/* A connection the session does not own is ignored, however many it has. */
	rc_conn_opts o = mcsim_conn_opts(sim.ports[0], ports[0]);
	rc_conn *stranger = rc_conn_new_adapter(&ad, many, &o, NULL, NULL, NULL);
	cr_assert_not_null(stranger);
	unsigned before = mrec.finished + mrec.failed + mrec.wrong;
	rc_session_handle_timer(s, stranger);
	rc_session_handle_io(s, stranger, 0, POLLIN);
	cr_assert_eq(mrec.finished + mrec.failed + mrec.wrong, before);
	rc_conn_free(stranger);
	rc_session_free(s);
	for (int fd = 0; fd <= many->max_fd; fd++)
		cr_assert_eq(many->w_events[fd], 0, "fd %d still watched", fd);
	free(many);
}

Test(session, several_halted_servers_each_stop_only_their_own_queue)
{
	/* `stop` on two of three servers: the command handed after it is held
	 * and never written (the server closes), which halts that server's
	 * queue; the third server goes on to the end. */
	const char *args[] = { "--servers", "3", NULL };
	fx_start(args);
	char p3[16];
	rc_conn_opts o3 = mcsim_conn_opts(sim.ports[2], p3);
	size_t a = fx_add(&fx.o[0]), b = fx_add(&fx.o[1]), c = fx_add(&o3);
	size_t halted[] = { a, b };
	for (size_t i = 0; i < 2; i++) {
		cr_assert_eq(rc_session_push(fx.s, halted[i], "stop", NULL, NULL), 0);
		cr_assert_eq(rc_session_push(fx.s, halted[i], "sim echo after stop", NULL, NULL), 0);
		cr_assert_eq(rc_session_push(fx.s, halted[i], "sim echo never", NULL, NULL), 0);
	}
	for (int i = 0; i < 3; i++)
		cr_assert_eq(rc_session_push(fx.s, c, "sim echo on c", NULL, NULL), 0);
	rc_session_end(fx.s);
	cr_assert_eq(rc_session_run(fx.s), 0);
	for (size_t i = 0; i < 2; i++) {
		size_t h = halted[i];
		cr_assert(rc_session_down(fx.s, h), "server %zu", h);
		cr_assert_eq(got('o', h, 0)->err, 0, "server %zu: stop answered", h);
		cr_assert_eq(got('o', h, 1)->err, RC_ENOTSENT, "server %zu", h);
		cr_assert(got('o', h, 1)->handed, "server %zu: held behind stop", h);
		cr_assert_eq(got('o', h, 2)->err, RC_ENOTSENT, "server %zu", h);
		cr_assert_not(got('o', h, 2)->handed, "server %zu: halted before its turn", h);
		cr_assert_eq(got('d', h, 0)->err, RC_ESTOPPED, "server %zu", h);
		cr_assert_eq(got('d', h, 0)->not_sent, 2, "server %zu", h);
		/* Up, the command after stop held: stopped from READY, not IDLE. */
		cr_assert_eq(got('d', h, 0)->from, RC_STATE_READY, "server %zu: %s", h,
		    rc_state_name(got('d', h, 0)->from));
		cr_assert_gt(find('d', h, 0), find('o', h, 2), "server %zu: down after the outcomes", h);
		cr_assert_lt(find('f', h, 0), 0, "server %zu finished", h);
	}
	cr_assert(rc_session_server_finished(fx.s, c));
	for (uint64_t i = 0; i < 3; i++)
		cr_assert_str_eq(got('o', c, i)->body, "on c", "command %d", (int)i);
	cr_assert_lt(find('d', c, 0), 0, "the third server went on");
	char *log = mcsim_log(&sim);
	cr_assert_eq(mcsim_log_count(&sim, "stop"), 2, "%s", log);
	cr_assert_eq(mcsim_log_count(&sim, "sim echo on c"), 3, "%s", log);
	cr_assert_eq(log_pos(log, "sim echo after stop"), -1, "%s", log);
	cr_assert_eq(log_pos(log, "sim echo never"), -1, "%s", log);
	free(log);
}

/* Interrupts the session from inside the outcome of command seq 0. */
static void on_outcome_interrupt(rc_session *s, const rc_session_ev *ev, void *arg)
{
	keep('o', ev);
	if (ev->seq == 0)
		rc_session_interrupt(s);
}

Test(session, an_interrupt_from_a_callback_reports_the_state_it_stopped)
{
	/* The second command is written before the first one's reply is
	 * reported: interrupted from that report, the server was BUSY. */
	fx_sim(NULL);
	fx.loop = rc_loop_new();
	cr_assert_not_null(fx.loop);
	rc_session_cbs cbs;
	rc_session_cbs_init(&cbs);
	cbs.outcome = on_outcome_interrupt;
	cbs.down = on_down;
	memset(&rec, 0, sizeof rec);
	fx.s = rc_session_new(fx.loop, &cbs, NULL);
	cr_assert_not_null(fx.s);
	size_t a = fx_add(&fx.o[0]);
	cr_assert_eq(rc_session_push(fx.s, a, "sim echo 1", NULL, NULL), 0);
	cr_assert_eq(rc_session_push(fx.s, a, "sim echo 2", NULL, NULL), 0);
	rc_session_end(fx.s);
	cr_assert_eq(rc_session_run(fx.s), 0);
	cr_assert_eq(got('d', a, 0)->err, RC_ECANCELED);
	cr_assert_eq(got('d', a, 0)->from, RC_STATE_BUSY, "%s", rc_state_name(got('d', a, 0)->from));
}
