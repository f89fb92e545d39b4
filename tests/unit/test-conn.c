/* test-conn.c: the connection state machine against a scripted peer —
 * login, refusals, limits, failures, at-most-once, stop, backoff, IPv6,
 * freeing from callbacks, a name with more addresses than one pass tries.
 * Reassembly is in test-conn-reasm.c.  getaddrinfo and freeaddrinfo are
 * wrapped (--wrap): one made-up name has many addresses. */
#include <criterion/criterion.h>
#include <malloc.h>
#include <stddef.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netdb.h>

#include "rconsole/error.h"
#include "rconsole/packet.h"
#include "rconsole/policy.h"
#include "rconsole/session.h"
#include "test-conn-peer.h"

/* Every test ends with a peer that saw no broken wire rule. */
static void assert_clean_wire(const struct tc *t)
{
	cr_assert_eq(t->peer->violations, 0, "peer: %s", t->peer->why);
}

struct wait_n {
	struct tc *t;
	int n;
};

/* Returns true when at least n replies were recorded. */
static bool has_replies(void *arg)
{
	struct wait_n *w = arg;
	return w->t->rec.nreplies >= w->n;
}

/* Returns true when at least n state events were recorded. */
static bool has_states(void *arg)
{
	struct wait_n *w = arg;
	return w->t->rec.nstates >= w->n;
}

/* Returns true when the connection is FAILED. */
static bool is_failed(void *arg)
{
	struct tc *t = arg;
	return rc_conn_state(t->conn) == RC_STATE_FAILED;
}

/* One timeout for every test here (Criterion 2.4.1 leaks when they differ). */
TestSuite(conn, .timeout = 60);

Test(conn, login_reaches_ready_through_every_state)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	tc_connect(&t);
	static const rc_state want[] = { RC_STATE_RESOLVING, RC_STATE_CONNECTING,
		RC_STATE_AUTHENTICATING, RC_STATE_READY };
	cr_assert_eq(t.rec.nstates, 4);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(t.rec.states[i], want[i], "state %d is %s", i,
		    rc_state_name(t.rec.states[i]));
	cr_assert_eq(peer_count_type(t.peer, RC_TYPE_AUTH), 1);
	cr_assert_str_eq(t.peer->log[0].body, "pw");
	cr_assert_neq(t.peer->log[0].id, 0);
	cr_assert_neq(t.peer->log[0].id, -1);
	cr_assert_eq(rc_conn_get_stats(t.conn)->last_rtt_us, -1);
	struct rec_reply *y = tc_command(&t, "list");
	cr_assert_eq(y->status, 0);
	cr_assert_str_eq(y->body, "re:list");
	cr_assert_eq(y->frags, 1);
	cr_assert_geq(y->rtt_us, 0);
	cr_assert_eq(rc_conn_get_stats(t.conn)->commands, 1);
	cr_assert_eq(rc_conn_get_stats(t.conn)->sentinels, 0);
	cr_assert_eq(rc_conn_get_stats(t.conn)->strays, 0);
	cr_assert_eq(t.rec.reentrant, 0);
	assert_clean_wire(&t);
	tc_fini(&t);
}

Test(conn, wrong_password_is_terminal_and_never_retried)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	t.opts.password = "wrong";
	t.opts.reconnect = true;
	t.opts.backoff_min_ms = 10;
	t.opts.backoff_max_ms = 20;
	t.conn = rc_conn_new(t.loop, &t.opts, rec_cb, &t.rec);
	rc_conn_start(t.conn);
	cr_assert(run_until(t.loop, tc_is_terminal, &t, 10000));
	cr_assert_eq(rc_conn_state(t.conn), RC_STATE_AUTH_FAILED);
	cr_assert_eq(rec_last_state(&t.rec), RC_STATE_AUTH_FAILED);
	cr_assert_eq(t.rec.errs[t.rec.nstates - 1], RC_EAUTH);
	const char *cause = NULL;
	cr_assert_eq(rc_conn_last_error(t.conn, &cause), RC_EAUTH);
	cr_assert_not_null(cause);
	/* Far longer than the backoff: still exactly one login attempt. */
	run_for(t.loop, 300);
	cr_assert_eq(rc_conn_state(t.conn), RC_STATE_AUTH_FAILED);
	cr_assert_eq(peer_count_type(t.peer, RC_TYPE_AUTH), 1);
	cr_assert_eq(t.peer->accepts, 1);
	cr_assert_eq(rc_conn_send(t.conn, "list", NULL, NULL), RC_ENOTREADY);
	assert_clean_wire(&t);
	tc_fini(&t);
}

Test(conn, source_empty_packet_before_auth_reply_is_accepted)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_SOURCE, false));
	tc_connect(&t);
	cr_assert_eq(t.rec.strays, 0);
	cr_assert_str_eq(tc_command(&t, "status")->body, "re:status");
	tc_fini(&t);
}

Test(conn, auth_timeout_fails)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	t.peer->mute = true;
	t.opts.auth_timeout_ms = 150;
	t.conn = rc_conn_new(t.loop, &t.opts, rec_cb, &t.rec);
	rc_conn_start(t.conn);
	cr_assert(run_until(t.loop, tc_is_terminal, &t, 10000));
	cr_assert_eq(rc_conn_state(t.conn), RC_STATE_FAILED);
	cr_assert_eq(rc_conn_last_error(t.conn, NULL), RC_ETIMEOUT);
	tc_fini(&t);
}

Test(conn, refused_port_fails_with_connect_error)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	/* A port that was free a moment ago: bind, learn it, close. */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof a;
	cr_assert_eq(bind(fd, (struct sockaddr *)&a, sl), 0);
	getsockname(fd, (struct sockaddr *)&a, &sl);
	close(fd);
	snprintf(t.port, sizeof t.port, "%u", (unsigned)ntohs(a.sin_port));
	t.conn = rc_conn_new(t.loop, &t.opts, rec_cb, &t.rec);
	rc_conn_start(t.conn);
	cr_assert(run_until(t.loop, tc_is_terminal, &t, 10000));
	cr_assert_eq(rc_conn_state(t.conn), RC_STATE_FAILED);
	const char *cause = NULL;
	cr_assert_eq(rc_conn_last_error(t.conn, &cause), RC_ECONNECT);
	cr_assert_not_null(strstr(cause, "127.0.0.1:"), "cause: %s", cause);
	tc_fini(&t);
}

Test(conn, connect_timeout_per_address)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	/* A listener with a full accept queue: Linux drops further SYNs, so a
	 * connect to it stays in progress. */
	int l = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof a;
	cr_assert_eq(bind(l, (struct sockaddr *)&a, sl), 0);
	cr_assert_eq(listen(l, 0), 0);
	getsockname(l, (struct sockaddr *)&a, &sl);
	int filler = socket(AF_INET, SOCK_STREAM, 0);
	cr_assert_eq(connect(filler, (struct sockaddr *)&a, sl), 0);
	snprintf(t.port, sizeof t.port, "%u", (unsigned)ntohs(a.sin_port));
	t.opts.connect_timeout_ms = 200;
	t.opts.auth_timeout_ms = 200;
	t.conn = rc_conn_new(t.loop, &t.opts, rec_cb, &t.rec);
	rc_conn_start(t.conn);
	cr_assert(run_until(t.loop, tc_is_terminal, &t, 10000));
	const char *cause = NULL;
	int err = rc_conn_last_error(t.conn, &cause);
	close(filler);
	close(l);
	if (rec_saw_state(&t.rec, RC_STATE_AUTHENTICATING)) {
		tc_fini(&t);
		cr_skip_test("this kernel accepted past a full backlog");
	}
	cr_assert_eq(rc_conn_state(t.conn), RC_STATE_FAILED);
	cr_assert_eq(err, RC_ETIMEOUT);
	cr_assert_not_null(strstr(cause, "no connection within 200 ms"), "cause: %s", cause);
	tc_fini(&t);
}

/* Returns the connection's socket: the one whose peer is the test peer. */
static int find_client_fd(const struct tc *t)
{
	for (int fd = 3; fd < 1024; fd++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		if (getpeername(fd, (struct sockaddr *)&ss, &sl) < 0 || ss.ss_family != AF_INET)
			continue;
		if (ntohs(((struct sockaddr_in *)&ss)->sin_port) == t->peer->port)
			return fd;
	}
	return -1;
}

/* Returns an integer socket option of fd, or -1. */
static int sockopt_int(int fd, int level, int name)
{
	int v = -1;
	socklen_t sl = sizeof v;
	return getsockopt(fd, level, name, &v, &sl) == 0 ? v : -1;
}

Test(conn, keepalive_notices_a_dead_peer_within_about_a_minute)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	tc_connect(&t);
	int fd = find_client_fd(&t);
	cr_assert_geq(fd, 0, "the connection's socket");
	cr_assert_eq(sockopt_int(fd, SOL_SOCKET, SO_KEEPALIVE), 1);
	int idle = sockopt_int(fd, IPPROTO_TCP, TCP_KEEPIDLE);
	int intvl = sockopt_int(fd, IPPROTO_TCP, TCP_KEEPINTVL);
	int cnt = sockopt_int(fd, IPPROTO_TCP, TCP_KEEPCNT);
	cr_assert(idle > 0 && intvl > 0 && cnt > 0, "idle %d intvl %d cnt %d", idle, intvl, cnt);
	int dead_after = idle + intvl * cnt;
	cr_assert(dead_after >= 30 && dead_after <= 90, "a dead peer is noticed after %d s", dead_after);
	cr_assert_eq(sockopt_int(fd, IPPROTO_TCP, TCP_NODELAY), 1);
	/* No chatter: an idle connection writes nothing on its own. */
	uint64_t out = rc_conn_get_stats(t.conn)->bytes_out;
	run_for(t.loop, 200);
	cr_assert_eq(rc_conn_get_stats(t.conn)->bytes_out, out);
	cr_assert_eq(t.peer->nlog, 1, "only the login reached the peer");
	tc_fini(&t);
}

Test(conn, localhost_name_connects)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	t.opts.host = "localhost";   /* may resolve to ::1 first: refused, then 127.0.0.1 */
	tc_connect(&t);
	cr_assert_str_eq(tc_command(&t, "seed")->body, "re:seed");
	tc_fini(&t);
}

Test(conn, ipv6_loopback)
{
	struct tc t;
	if (!tc_init(&t, PEER_VANILLA, true)) {
		tc_fini(&t);
		cr_skip_test("no IPv6 loopback here");
	}
	tc_connect(&t);
	cr_assert_str_eq(tc_command(&t, "list")->body, "re:list");
	t.opts.host = "[::1]";
	rc_conn *c2 = rc_conn_new(t.loop, &t.opts, rec_cb, &t.rec);
	cr_assert_not_null(c2, "bracketed IPv6 host accepted");
	rc_conn_free(c2);
	assert_clean_wire(&t);
	tc_fini(&t);
}

Test(conn, commands_refused_when_not_ready)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	t.conn = rc_conn_new(t.loop, &t.opts, rec_cb, &t.rec);
	cr_assert_eq(rc_conn_state(t.conn), RC_STATE_IDLE);
	cr_assert_eq(rc_conn_send(t.conn, "list", NULL, NULL), RC_ENOTREADY);
	rc_conn_start(t.conn);
	cr_assert_eq(rc_conn_state(t.conn), RC_STATE_RESOLVING);
	cr_assert_eq(rc_conn_send(t.conn, "list", NULL, NULL), RC_ENOTREADY);
	cr_assert(run_until(t.loop, tc_is_ready, &t, 10000));
	cr_assert_eq(rc_conn_pending(t.conn), 0);
	cr_assert_eq(peer_count_type(t.peer, RC_TYPE_EXEC), 0, "nothing was queued for later");
	tc_fini(&t);
}

Test(conn, invalid_and_too_long_commands_refused)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	tc_connect(&t);
	cr_assert_eq(rc_conn_send(t.conn, "", NULL, NULL), RC_EINVAL);
	cr_assert_eq(rc_conn_send(t.conn, "say a\nop bob", NULL, NULL), RC_EINVAL);
	cr_assert_eq(rc_conn_send(t.conn, "say a\rop bob", NULL, NULL), RC_EINVAL);
	char *cmd = malloc(1448);
	memset(cmd, 'a', 1447);
	cmd[1447] = '\0';
	cr_assert_eq(rc_conn_check(t.conn, cmd), RC_ETOOLONG);
	cr_assert_eq(rc_conn_send(t.conn, cmd, NULL, NULL), RC_ETOOLONG);
	/* 1446 bytes is a 1460-byte packet: the most vanilla reads at once. */
	cmd[1446] = '\0';
	struct rec_reply *y = tc_command(&t, cmd);
	cr_assert_eq(y->status, 0);
	cr_assert_eq(y->len, 1449);
	cr_assert_eq(rc_conn_get_stats(t.conn)->commands, 1);
	free(cmd);
	assert_clean_wire(&t);
	tc_fini(&t);
}

Test(conn, source_dialect_allows_4096_bytes)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_SOURCE, false));
	tc_connect(&t);
	char *cmd = malloc(4098);
	memset(cmd, 'b', 4097);
	cmd[4097] = '\0';
	cr_assert_eq(rc_conn_send(t.conn, cmd, NULL, NULL), RC_ETOOLONG);
	cmd[4096] = '\0';
	cr_assert_eq(rc_conn_check(t.conn, cmd), 0);
	free(cmd);
	tc_fini(&t);
}

Test(conn, read_only_refuses_and_writes_nothing)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	t.opts.read_only = true;
	tc_connect(&t);
	cr_assert(rc_conn_read_only(t.conn));
	cr_assert_eq(rc_conn_send(t.conn, "op bob", NULL, NULL), RC_EREADONLY);
	cr_assert_eq(rc_conn_send(t.conn, "list; op bob", NULL, NULL), RC_EREADONLY);
	cr_assert_eq(rc_conn_send(t.conn, "/stop", NULL, NULL), RC_EREADONLY);
	cr_assert_str_eq(tc_command(&t, "/LIST uuids")->body, "re:/LIST uuids");
	rc_conn_set_read_only(t.conn, false);
	cr_assert(rc_conn_read_only(t.conn), "read-only cannot be turned off");
	cr_assert_eq(rc_conn_send(t.conn, "op bob", NULL, NULL), RC_EREADONLY);
	for (size_t i = 0; i < t.peer->nlog; i++)
		cr_assert(t.peer->log[i].type != RC_TYPE_EXEC ||
		    strcmp(t.peer->log[i].body, "/LIST uuids") == 0, "wrote %s", t.peer->log[i].body);
	tc_fini(&t);
}

Test(conn, read_only_custom_allowlist)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	static const char *const allow[] = { "say *", NULL };
	t.opts.read_only = true;
	t.opts.allow = allow;
	t.opts.n_allow = 1;
	tc_connect(&t);
	cr_assert_eq(rc_conn_check(t.conn, "list"), RC_EREADONLY);
	cr_assert_eq(rc_conn_check(t.conn, "say hello there"), 0);
	tc_fini(&t);
}

Test(conn, read_only_turned_on_refuses_queued_commands)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	tc_connect(&t);
	uint64_t a, b, c;
	cr_assert_eq(rc_conn_send(t.conn, "hold 200 list", NULL, &a), 0);
	cr_assert_eq(rc_conn_send(t.conn, "op bob", NULL, &b), 0);
	cr_assert_eq(rc_conn_send(t.conn, "list", NULL, &c), 0);
	rc_conn_set_read_only(t.conn, true);
	struct wait_n w = { &t, 3 };
	cr_assert(run_until(t.loop, has_replies, &w, 10000));
	cr_assert_eq(t.rec.replies[0].cmd, a);
	cr_assert_eq(t.rec.replies[0].status, 0);
	cr_assert_eq(t.rec.replies[1].cmd, b);
	cr_assert_eq(t.rec.replies[1].status, RC_EREADONLY);
	cr_assert_eq(t.rec.replies[2].cmd, c);
	cr_assert_str_eq(t.rec.replies[2].body, "re:list");
	cr_assert_eq(peer_count_type(t.peer, RC_TYPE_EXEC), 2, "op bob never written");
	tc_fini(&t);
}

Test(conn, queue_is_bounded)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	t.opts.max_queue = 2;
	tc_connect(&t);
	cr_assert_eq(rc_conn_send(t.conn, "hold 100 a", NULL, NULL), 0);
	cr_assert_eq(rc_conn_state(t.conn), RC_STATE_BUSY);
	cr_assert_eq(rc_conn_send(t.conn, "b", NULL, NULL), 0);
	cr_assert_eq(rc_conn_send(t.conn, "c", NULL, NULL), 0);
	cr_assert_eq(rc_conn_send(t.conn, "d", NULL, NULL), RC_EFULL);
	cr_assert_eq(rc_conn_pending(t.conn), 3);
	struct wait_n w = { &t, 3 };
	cr_assert(run_until(t.loop, has_replies, &w, 10000));
	cr_assert_str_eq(t.rec.replies[2].body, "re:c");
	cr_assert_eq(rc_conn_pending(t.conn), 0);
	cr_assert_eq(rc_conn_state(t.conn), RC_STATE_READY);
	tc_fini(&t);
}

Test(conn, burst_is_serialised_one_packet_per_read)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	tc_connect(&t);
	char cmd[32];
	uint64_t ids[40];
	t.rec.in_send = true;
	for (int i = 0; i < 40; i++) {
		snprintf(cmd, sizeof cmd, "cmd %d", i);
		cr_assert_eq(rc_conn_send(t.conn, cmd, (void *)(intptr_t)i, &ids[i]), 0);
	}
	t.rec.in_send = false;
	cr_assert_eq(t.rec.nreplies, 0, "no event from inside rc_conn_send");
	struct wait_n w = { &t, 40 };
	cr_assert(run_until(t.loop, has_replies, &w, 20000));
	for (int i = 0; i < 40; i++) {
		snprintf(cmd, sizeof cmd, "re:cmd %d", i);
		cr_assert_eq(t.rec.replies[i].cmd, ids[i]);
		cr_assert_eq(t.rec.replies[i].tag, (void *)(intptr_t)i);
		cr_assert_str_eq(t.rec.replies[i].body, cmd);
	}
	/* Request ids grow, are distinct and never 0 or -1. */
	for (size_t i = 1; i < t.peer->nlog; i++) {
		cr_assert_gt(t.peer->log[i].id, t.peer->log[i - 1].id);
		cr_assert_gt(t.peer->log[i].id, 0);
	}
	cr_assert_eq(t.rec.reentrant, 0);
	assert_clean_wire(&t);
	tc_fini(&t);
}

Test(conn, send_from_reply_callback_is_not_reentrant)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	tc_connect(&t);
	t.rec.send_on_reply = true;
	cr_assert_eq(rc_conn_send(t.conn, "first", NULL, NULL), 0);
	struct wait_n w = { &t, 5 };
	cr_assert(run_until(t.loop, has_replies, &w, 10000));
	t.rec.send_on_reply = false;
	run_for(t.loop, 50);
	cr_assert_eq(t.rec.reentrant, 0);
	cr_assert_str_eq(t.rec.replies[4].body, "re:list");
	assert_clean_wire(&t);
	tc_fini(&t);
}

Test(conn, strays_are_counted_and_not_shifted)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	t.peer->welcome = true;
	tc_connect(&t);
	run_for(t.loop, 50);
	cr_assert_eq(t.rec.strays, 1, "welcome packet dropped as stray");
	cr_assert_eq(t.rec.stray_ids[0], 0);
	/* "dup" answers twice with one id; the second must not become the
	 * reply to the command queued behind it. */
	uint64_t a, b;
	cr_assert_eq(rc_conn_send(t.conn, "dup", NULL, &a), 0);
	cr_assert_eq(rc_conn_send(t.conn, "after", NULL, &b), 0);
	struct wait_n w = { &t, 2 };
	cr_assert(run_until(t.loop, has_replies, &w, 10000));
	cr_assert_str_eq(t.rec.replies[0].body, "one");
	cr_assert_str_eq(t.rec.replies[1].body, "re:after");
	cr_assert_str_eq(tc_command(&t, "stray")->body, "ok");
	cr_assert_str_eq(tc_command(&t, "type4")->body, "ok");
	cr_assert_eq(t.rec.strays, 4);
	cr_assert_eq(t.rec.stray_ids[2], 424242);
	cr_assert_eq(t.rec.stray_types[3], 4);
	cr_assert_eq(rc_conn_get_stats(t.conn)->strays, 4);
	assert_clean_wire(&t);
	tc_fini(&t);
}

/* Runs cmd and expects the connection to fail with err; the reply gets
 * status and queued commands RC_ENOTSENT. */
static void expect_failure(enum peer_style style, const char *cmd, int err, int status)
{
	struct tc t;
	cr_assert(tc_init(&t, style, false));
	tc_connect(&t);
	uint64_t a, b, c;
	cr_assert_eq(rc_conn_send(t.conn, cmd, NULL, &a), 0);
	cr_assert_eq(rc_conn_send(t.conn, "list", NULL, &b), 0);
	cr_assert_eq(rc_conn_send(t.conn, "seed", NULL, &c), 0);
	cr_assert(run_until(t.loop, tc_is_terminal, &t, 10000));
	cr_assert_eq(rc_conn_state(t.conn), RC_STATE_FAILED);
	cr_assert_eq(rc_conn_last_error(t.conn, NULL), err, "err %s",
	    rc_strerror(rc_conn_last_error(t.conn, NULL)));
	cr_assert_eq(t.rec.errs[t.rec.nstates - 1], err);
	cr_assert_eq(t.rec.nreplies, 3);
	cr_assert_eq(t.rec.replies[0].cmd, a);
	cr_assert_eq(t.rec.replies[0].status, status, "status %s",
	    rc_strerror(t.rec.replies[0].status));
	cr_assert_eq(t.rec.replies[1].status, RC_ENOTSENT);
	cr_assert_eq(t.rec.replies[2].status, RC_ENOTSENT);
	cr_assert_eq(rc_conn_pending(t.conn), 0);
	cr_assert_eq(peer_count_type(t.peer, RC_TYPE_EXEC), 1, "never resent, never sent later");
	cr_assert_eq(rc_conn_send(t.conn, "list", NULL, NULL), RC_ENOTREADY);
	tc_fini(&t);
}

Test(conn, malformed_packet_is_protocol_error)
{
	expect_failure(PEER_VANILLA, "garbage", RC_EPROTO, RC_ELOST);
}

Test(conn, oversized_packet_is_protocol_error)
{
	expect_failure(PEER_VANILLA, "oversize", RC_EPROTO, RC_ELOST);
}

Test(conn, drop_mid_reply_is_outcome_unknown)
{
	expect_failure(PEER_VANILLA, "dropmid", RC_ECLOSED, RC_ELOST);
}

Test(conn, drop_without_answer_is_outcome_unknown)
{
	expect_failure(PEER_FORGE, "drop", RC_ECLOSED, RC_ELOST);
}

Test(conn, command_timeout_fails_and_closes)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	t.opts.command_timeout_ms = 200;
	tc_connect(&t);
	uint64_t a;
	cr_assert_eq(rc_conn_send(t.conn, "hang", NULL, &a), 0);
	cr_assert(run_until(t.loop, tc_is_terminal, &t, 10000));
	cr_assert_eq(t.rec.nreplies, 1);
	cr_assert_eq(t.rec.replies[0].status, RC_ETIMEOUT);
	cr_assert_eq(rc_conn_last_error(t.conn, NULL), RC_ETIMEOUT);
	cr_assert_eq(rc_conn_state(t.conn), RC_STATE_FAILED);
	tc_fini(&t);
}

Test(conn, command_timeout_reconnects)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	t.opts.command_timeout_ms = 200;
	t.opts.reconnect = true;
	t.opts.backoff_min_ms = 20;
	tc_connect(&t);
	cr_assert_eq(rc_conn_send(t.conn, "hang", NULL, NULL), 0);
	struct wait_n w = { &t, 1 };
	cr_assert(run_until(t.loop, has_replies, &w, 10000));
	cr_assert_eq(t.rec.replies[0].status, RC_ETIMEOUT);
	cr_assert_eq(rc_conn_state(t.conn), RC_STATE_BACKOFF);
	cr_assert(run_until(t.loop, tc_is_ready, &t, 10000));
	cr_assert_eq(t.peer->accepts, 2);
	cr_assert_str_eq(tc_command(&t, "list")->body, "re:list");
	cr_assert_eq(rc_conn_get_stats(t.conn)->reconnects, 1);
	tc_fini(&t);
}

Test(conn, stop_is_reported_as_server_stopping)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	tc_connect(&t);
	uint64_t a, b;
	cr_assert_eq(rc_conn_send(t.conn, "/STOP", NULL, &a), 0);
	cr_assert_eq(rc_conn_send(t.conn, "list", NULL, &b), 0);
	cr_assert(run_until(t.loop, is_failed, &t, 10000));
	cr_assert_eq(rc_conn_state(t.conn), RC_STATE_FAILED);
	cr_assert_eq(t.rec.nreplies, 2);
	cr_assert_eq(t.rec.replies[0].cmd, a);
	cr_assert_eq(t.rec.replies[0].status, 0);
	cr_assert_str_eq(t.rec.replies[0].body, "Stopping the server");
	/* "list" was held behind the answered stop, never written, and failed
	 * as not sent when the server closed. */
	cr_assert_eq(t.rec.replies[1].cmd, b);
	cr_assert_eq(t.rec.replies[1].status, RC_ENOTSENT, "status %s",
	    rc_strerror(t.rec.replies[1].status));
	cr_assert_eq(peer_count_type(t.peer, RC_TYPE_EXEC), 1, "only the stop reached the server");
	cr_assert_eq(rc_conn_get_stats(t.conn)->commands, 1);
	cr_assert_eq(rc_conn_last_error(t.conn, NULL), RC_ESTOPPED);
	cr_assert_eq(t.rec.errs[t.rec.nstates - 1], RC_ESTOPPED);
	tc_fini(&t);
}

Test(conn, commands_held_after_stop_go_out_when_the_server_stays)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	t.peer->stop_stays = true;
	t.opts.command_timeout_ms = 1500;
	tc_connect(&t);
	uint64_t a, b;
	cr_assert_eq(rc_conn_send(t.conn, "stop", NULL, &a), 0);
	cr_assert_eq(rc_conn_send(t.conn, "list", NULL, &b), 0);
	struct wait_n w = { &t, 1 };
	cr_assert(run_until(t.loop, has_replies, &w, 10000));
	cr_assert_str_eq(t.rec.replies[0].body, "Stopping the server");
	run_for(t.loop, 100);
	cr_assert_eq(t.rec.nreplies, 1);
	cr_assert_eq(rc_conn_get_stats(t.conn)->commands, 1, "list held while the server may stop");
	cr_assert_eq(rc_conn_pending(t.conn), 1);
	cr_assert_eq(rc_conn_state(t.conn), RC_STATE_READY);
	/* The server is still there after the command timeout: it did not
	 * stop, so the held command goes out, once. */
	w.n = 2;
	cr_assert(run_until(t.loop, has_replies, &w, 10000));
	cr_assert_eq(t.rec.replies[1].cmd, b);
	cr_assert_eq(t.rec.replies[1].status, 0);
	cr_assert_str_eq(t.rec.replies[1].body, "re:list");
	cr_assert_eq(peer_count_type(t.peer, RC_TYPE_EXEC), 2);
	cr_assert_str_eq(tc_command(&t, "seed")->body, "re:seed", "and later ones are not held");
	assert_clean_wire(&t);
	tc_fini(&t);
}

Test(conn, stop_with_reply_then_close)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	tc_connect(&t);
	struct rec_reply *y = tc_command(&t, "stop");
	cr_assert_eq(y->status, 0);
	cr_assert_str_eq(y->body, "Stopping the server");
	cr_assert(run_until(t.loop, is_failed, &t, 10000));
	cr_assert_eq(rc_conn_last_error(t.conn, NULL), RC_ESTOPPED);
	cr_assert_eq(rc_exit_code(RC_ESTOPPED), 0);
	tc_fini(&t);
}

Test(conn, stop_closing_without_reply_delivers_empty_reply)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	t.peer->stop_silent = true;
	tc_connect(&t);
	struct rec_reply *y = tc_command(&t, "stop now");
	cr_assert_eq(y->status, 0);
	cr_assert_eq(y->len, 0);
	cr_assert_eq(rc_conn_last_error(t.conn, NULL), RC_ESTOPPED);
	tc_fini(&t);
}

Test(conn, stop_api_fails_pending_and_restarts)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	tc_connect(&t);
	cr_assert_eq(rc_conn_send(t.conn, "hold 500 x", NULL, NULL), 0);
	cr_assert_eq(rc_conn_send(t.conn, "y", NULL, NULL), 0);
	run_for(t.loop, 20);
	rc_conn_stop(t.conn);
	cr_assert_eq(rc_conn_state(t.conn), RC_STATE_IDLE);
	cr_assert_eq(t.rec.nreplies, 2);
	cr_assert_eq(t.rec.replies[0].status, RC_ELOST);
	cr_assert_eq(t.rec.replies[1].status, RC_ENOTSENT);
	cr_assert_eq(rec_last_state(&t.rec), RC_STATE_IDLE);
	cr_assert_eq(rc_conn_start(t.conn), 0);
	cr_assert(run_until(t.loop, tc_is_ready, &t, 10000));
	cr_assert_str_eq(tc_command(&t, "z")->body, "re:z");
	tc_fini(&t);
}

Test(conn, reconnect_backoff_doubles_and_resets)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	t.peer->reject = true;
	t.opts.reconnect = true;
	t.opts.backoff_min_ms = 40;
	t.opts.backoff_max_ms = 160;
	t.opts.backoff_reset_ms = 100;
	t.conn = rc_conn_new(t.loop, &t.opts, rec_cb, &t.rec);
	rc_conn_start(t.conn);
	/* Five failed sessions: 40, 80 ms plus up to 20%, then 160 ms (the cap)
	 * minus up to 20%: the delay never exceeds backoff_max. */
	static const int64_t base[] = { 40, 80, 160, 160, 160 };
	int seen = 0, k = 0;
	while (seen < 5) {
		struct wait_n w = { &t, t.rec.nstates + 1 };
		cr_assert(run_until(t.loop, has_states, &w, 10000), "stuck after %d retries", seen);
		for (; k < t.rec.nstates && seen < 5; k++) {
			if (t.rec.states[k] != RC_STATE_BACKOFF)
				continue;
			cr_assert_eq(t.rec.errs[k], RC_ECLOSED);
			int64_t lo = base[seen], hi = base[seen] + base[seen] / 5;
			if (base[seen] == 160) {
				lo = 160 - 160 / 5;
				hi = 160;
			}
			cr_assert_geq(t.rec.retry[k], lo, "retry %d: %ld ms", seen, (long)t.rec.retry[k]);
			cr_assert_leq(t.rec.retry[k], hi, "retry %d: %ld ms", seen, (long)t.rec.retry[k]);
			seen++;
		}
	}
	cr_assert_eq(rc_conn_state(t.conn), RC_STATE_BACKOFF);
	cr_assert_geq(rc_conn_retry_in_ms(t.conn), 0);
	cr_assert_geq(rc_conn_get_stats(t.conn)->reconnects, 4);
	/* The server comes back: READY; after backoff_reset_ms of READY a drop
	 * starts the backoff over at the minimum. */
	t.peer->reject = false;
	cr_assert(run_until(t.loop, tc_is_ready, &t, 10000));
	run_for(t.loop, 150);
	peer_drop(t.peer);
	struct wait_n w = { &t, t.rec.nstates + 1 };
	cr_assert(run_until(t.loop, has_states, &w, 10000));
	cr_assert_eq(rec_last_state(&t.rec), RC_STATE_BACKOFF);
	cr_assert_leq(t.rec.retry[t.rec.nstates - 1], 48);
	cr_assert(run_until(t.loop, tc_is_ready, &t, 10000));
	tc_fini(&t);
}

Test(conn, free_from_reply_callback)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	tc_connect(&t);
	t.rec.free_on_reply = true;
	t.rec.freed = &t.conn;
	cr_assert_eq(rc_conn_send(t.conn, "a", NULL, NULL), 0);
	cr_assert_eq(rc_conn_send(t.conn, "b", NULL, NULL), 0);
	struct wait_n w = { &t, 1 };
	cr_assert(run_until(t.loop, has_replies, &w, 10000));
	cr_assert_null(t.conn);
	run_for(t.loop, 50);
	cr_assert_eq(t.rec.nreplies, 1, "queued command dropped without events");
	tc_fini(&t);
}

Test(conn, free_from_state_callback)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	t.rec.free_on_state = true;
	t.rec.free_state = RC_STATE_AUTHENTICATING;
	t.rec.freed = &t.conn;
	t.conn = rc_conn_new(t.loop, &t.opts, rec_cb, &t.rec);
	rc_conn_start(t.conn);
	for (int i = 0; i < 200 && t.conn; i++)
		rc_loop_run_once(t.loop, 20);
	cr_assert_null(t.conn);
	run_for(t.loop, 50);
	cr_assert_eq(rec_last_state(&t.rec), RC_STATE_AUTHENTICATING);
	tc_fini(&t);
}

Test(conn, stop_from_reply_callback)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	tc_connect(&t);
	t.rec.stop_on_reply = true;
	cr_assert_eq(rc_conn_send(t.conn, "a", NULL, NULL), 0);
	cr_assert_eq(rc_conn_send(t.conn, "b", NULL, NULL), 0);
	struct wait_n w = { &t, 2 };
	cr_assert(run_until(t.loop, has_replies, &w, 10000));
	cr_assert_eq(t.rec.replies[0].status, 0);
	/* "b" was written right after "a" completed, before the callback
	 * stopped the connection, or was still queued: never both lost. */
	cr_assert(t.rec.replies[1].status == RC_ELOST || t.rec.replies[1].status == RC_ENOTSENT);
	cr_assert_eq(rc_conn_state(t.conn), RC_STATE_IDLE);
	tc_fini(&t);
}

Test(conn, options_are_validated)
{
	rc_loop *l = rc_loop_new();
	rc_conn_opts o;
	rc_conn_opts_init(&o);
	cr_assert_null(rc_conn_new(l, &o, NULL, NULL), "host required");
	o.host = "127.0.0.1";
	char pw[1500];
	memset(pw, 'p', sizeof pw - 1);
	pw[sizeof pw - 1] = '\0';
	o.password = pw;
	cr_assert_null(rc_conn_new(l, &o, NULL, NULL), "password longer than a packet");
	o.password = "x";
	rc_conn *c = rc_conn_new(l, &o, NULL, NULL);
	cr_assert_not_null(c);
	cr_assert_eq(rc_conn_retry_in_ms(c), -1);
	cr_assert_str_eq(rc_state_name(RC_STATE_AUTH_FAILED), "auth failed");
	cr_assert_str_eq(rc_state_name(RC_STATE_READY), "ready");
	rc_conn_free(c);
	rc_conn_free(NULL);
	rc_loop_free(l);
}

Test(conn, options_size_zero_has_no_tunnel)
{
	/* Both tunnels set is RC_EINVAL, but only when the caller's structure
	 * holds them: size 0 is the first layout (rconsole/conn.h), which has
	 * no tunnel fields, so they are not read; rc_session_add reads the
	 * size the same way. */
	rc_loop *l = rc_loop_new();
	rc_session *s = rc_session_new(l, NULL, NULL);
	cr_assert_not_null(s);
	static const char *const none[] = { NULL };
	static const struct {
		size_t size;
		int err;
	} cases[] = {
		{ 0, 0 },
		{ offsetof(rc_conn_opts, ssh), 0 },
		{ sizeof(rc_conn_opts), RC_EINVAL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		rc_conn_opts o;
		rc_conn_opts_init(&o);
		o.size = cases[i].size;
		o.host = "127.0.0.1";
		o.port = "1";
		o.password = "x";
		o.ssh = "admin@example.net";
		o.ssh_options = none;
		o.proxy_command = "socat - TCP:%h:%p";
		int err = 1;
		rc_conn *c = rc_conn_new_err(l, &o, NULL, NULL, &err);
		cr_assert_eq(err, cases[i].err, "case %zu: rc_conn_new_err %d", i, err);
		cr_assert_eq(c != NULL, cases[i].err == 0, "case %zu", i);
		rc_conn_free(c);
		cr_assert_eq(rc_session_add(s, &o, NULL), cases[i].err, "case %zu: rc_session_add", i);
	}
	rc_session_free(s);
	rc_loop_free(l);
}

Test(conn, options_size_cutting_the_tunnel_is_refused)
{
	/* A size that ends inside the tunnel options (appended as one group)
	 * was never a layout: the tunnel the caller set must not turn into a
	 * silent direct connection.  Before, each of these connected directly
	 * (err 0). */
	rc_loop *l = rc_loop_new();
	rc_session *s = rc_session_new(l, NULL, NULL);
	cr_assert_not_null(s);
	static const size_t sizes[] = {
		offsetof(rc_conn_opts, ssh_options),    /* ssh only */
		offsetof(rc_conn_opts, proxy_command),  /* no proxy_command */
		offsetof(rc_conn_opts, proxy_command) + 1,
		offsetof(rc_conn_opts, ssh) + 1,
	};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		rc_conn_opts o;
		rc_conn_opts_init(&o);
		o.size = sizes[i];
		o.host = "127.0.0.1";
		o.port = "1";
		o.password = "x";
		o.ssh = "admin@example.net";
		int err = 1;
		rc_conn *c = rc_conn_new_err(l, &o, NULL, NULL, &err);
		cr_assert_eq(err, RC_EINVAL, "size %zu: rc_conn_new_err %d", sizes[i], err);
		cr_assert_null(c, "size %zu", sizes[i]);
		cr_assert_eq(rc_session_add(s, &o, NULL), RC_EINVAL, "size %zu: rc_session_add", sizes[i]);
	}
	/* The sizes of the published layouts stay accepted. */
	static const size_t good[] = { 0, offsetof(rc_conn_opts, stream),
		offsetof(rc_conn_opts, ssh), sizeof(rc_conn_opts) };
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		rc_conn_opts o;
		rc_conn_opts_init(&o);
		o.size = good[i];
		o.host = "127.0.0.1";
		o.port = "1";
		int err = 1;
		rc_conn *c = rc_conn_new_err(l, &o, NULL, NULL, &err);
		cr_assert_eq(err, 0, "size %zu: %d", good[i], err);
		rc_conn_free(c);
	}
	rc_session_free(s);
	rc_loop_free(l);
}

/* What the callback of a connection freed from inside it could still read. */
static struct {
	bool done;
	rc_state state;
	size_t pending;
	const rc_conn_stats *stats;
	uint64_t commands;
	int64_t last_rtt;
} after_free;

/* Frees the connection from inside its first reply event, then asks it
 * everything a caller may ask of a handle it holds. */
static void free_then_ask(rc_conn *c, const rc_event *ev, void *arg)
{
	if (ev->type != RC_EV_REPLY || after_free.done)
		return;
	after_free.done = true;
	rc_conn_free(c);
	after_free.state = rc_conn_state(c);
	after_free.pending = rc_conn_pending(c);
	after_free.stats = rc_conn_get_stats(c);
	if (after_free.stats) {
		after_free.commands = after_free.stats->commands;
		after_free.last_rtt = after_free.stats->last_rtt_us;
	}
}

Test(conn, a_connection_freed_in_its_callback_still_answers_every_query)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	tc_connect(&t);
	rc_conn *c = t.conn;
	rc_conn_free(c);
	t.conn = rc_conn_new(t.loop, &t.opts, free_then_ask, NULL);
	cr_assert_not_null(t.conn);
	cr_assert_eq(rc_conn_start(t.conn), 0);
	for (int i = 0; i < 200 && rc_conn_state(t.conn) != RC_STATE_READY; i++)
		rc_loop_run_once(t.loop, 20);
	cr_assert_eq(rc_conn_send(t.conn, "a", NULL, NULL), 0);
	for (int i = 0; i < 200 && !after_free.done; i++)
		rc_loop_run_once(t.loop, 20);
	cr_assert(after_free.done, "no reply");
	t.conn = NULL;
	/* Like rc_conn_state and rc_conn_pending, the counters answer for a
	 * handle freed from inside its callback: none, not a wild pointer. */
	cr_assert_eq(after_free.state, RC_STATE_IDLE);
	cr_assert_eq(after_free.pending, 0);
	cr_assert_not_null(after_free.stats);
	cr_assert_eq(after_free.commands, 0);
	cr_assert_eq(after_free.last_rtt, -1);
	/* And so they do for NULL. */
	const rc_conn_stats *none = rc_conn_get_stats(NULL);
	cr_assert_not_null(none);
	cr_assert_eq(none->commands, 0);
	tc_fini(&t);
}

/* A name with MANY_N addresses whose sockets cannot even be made (a
 * protocol nobody has: socket() fails at once, as it does out of
 * descriptors); every other name goes to the real getaddrinfo. */
#define MANY_HOST "many.invalid"
#define MANY_N 100
static struct addrinfo many_ai[MANY_N];
static struct sockaddr_in many_sa;

int __real_getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
    struct addrinfo **res);
void __real_freeaddrinfo(struct addrinfo *ai);

/* getaddrinfo: MANY_HOST's made-up list, else the real lookup. */
int __wrap_getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
    struct addrinfo **res)
{
	if (!node || strcmp(node, MANY_HOST) != 0)
		return __real_getaddrinfo(node, service, hints, res);
	if (hints && (hints->ai_flags & AI_NUMERICHOST))
		return EAI_NONAME;
	many_sa.sin_family = AF_INET;
	many_sa.sin_port = htons(25575);
	many_sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (size_t i = 0; i < MANY_N; i++) {
		memset(&many_ai[i], 0, sizeof many_ai[i]);
		many_ai[i].ai_family = AF_INET;
		many_ai[i].ai_socktype = SOCK_STREAM;
		many_ai[i].ai_protocol = 253;   /* "for experimentation": no stack has it */
		many_ai[i].ai_addr = (struct sockaddr *)&many_sa;
		many_ai[i].ai_addrlen = sizeof many_sa;
		many_ai[i].ai_next = i + 1 < MANY_N ? &many_ai[i + 1] : NULL;
	}
	*res = many_ai;
	return 0;
}

/* freeaddrinfo: MANY_HOST's list is static. */
void __wrap_freeaddrinfo(struct addrinfo *ai)
{
	if (ai != many_ai)
		__real_freeaddrinfo(ai);
}

Test(conn, a_name_whose_many_addresses_all_fail_at_once_still_ends_the_attempt)
{
	/* Each address fails inside the same pass; the connection must still
	 * get through them all and report the failure, not sit in CONNECTING
	 * with nothing watched and no timer armed. */
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	t.opts.host = MANY_HOST;
	t.conn = rc_conn_new(t.loop, &t.opts, rec_cb, &t.rec);
	cr_assert_not_null(t.conn);
	cr_assert_eq(rc_conn_start(t.conn), 0);
	cr_assert(run_until(t.loop, is_failed, &t, 5000), "stuck in %s",
	    rc_state_name(rc_conn_state(t.conn)));
	cr_assert_eq(rc_conn_last_error(t.conn, NULL), RC_ECONNECT);
	tc_fini(&t);
}

/* Makes freed memory garbage at once (glibc), so a use after free crashes
 * here instead of reading what happens to be left. */
static void perturb_freed_memory(void)
{
#ifdef M_PERTURB
	mallopt(M_PERTURB, 0xa5);
#endif
}

/* Returns a socket listening on 127.0.0.1, its port written into port. */
static int listen_loopback(char *port, size_t cap)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof a;
	cr_assert_eq(bind(fd, (struct sockaddr *)&a, sl), 0);
	cr_assert_eq(listen(fd, 4), 0);
	getsockname(fd, (struct sockaddr *)&a, &sl);
	snprintf(port, cap, "%u", (unsigned)ntohs(a.sin_port));
	return fd;
}

Test(conn, a_loop_freed_before_its_connections_leaves_them_safe_to_free)
{
	/* rc_loop_free() first, then the connection (its socket watched, its
	 * login timer armed) and a session (its lookup's timer armed): both
	 * used to reach into the freed loop. */
	perturb_freed_memory();
	char port[8];
	int lfd = listen_loopback(port, sizeof port);
	rc_loop *l = rc_loop_new();
	rc_conn_opts o;
	rc_conn_opts_init(&o);
	o.host = "127.0.0.1";
	o.port = port;
	o.password = "pw";
	rc_conn *c = rc_conn_new(l, &o, NULL, NULL);
	cr_assert_eq(rc_conn_start(c), 0);
	for (int i = 0; i < 250 && rc_conn_state(c) != RC_STATE_AUTHENTICATING; i++)
		rc_loop_run_once(l, 20);
	cr_assert_eq(rc_conn_state(c), RC_STATE_AUTHENTICATING);
	rc_session_cbs cbs;
	rc_session_cbs_init(&cbs);
	rc_session *s = rc_session_new(l, &cbs, NULL);
	cr_assert_eq(rc_session_add(s, &o, NULL), 0);
	rc_loop_free(l);
	rc_conn_free(c);
	rc_session_free(s);
	close(lfd);
}
