/* test-mcsim-api.c: libmcsim in process, as the console's --demo uses it — a
 * server on the test's own rc_loop, driven through sim.h, with a forked
 * blocking client on the other end of the socket. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../support/mcsim.h"
#include "rconsole/error.h"
#include "rconsole/loop.h"
#include "sim/sim.h"

#define WAIT_MS 20000

/* One timeout for every test: Criterion 2.4.1's runner leaks (and fails an
 * ASan build) when tests with different timeouts run in parallel. */
TestSuite(api, .timeout = 60);

struct seen {
	char log[16][64];
	int n_log;
	int stops;
	int auth_ok, auth_bad;
};

/* on_auth: count verdicts. */
static void on_auth(void *arg, bool accepted)
{
	struct seen *s = arg;
	if (accepted)
		s->auth_ok++;
	else
		s->auth_bad++;
}

/* on_log: remember the command. */
static void on_log(void *arg, const char *cmd, size_t len)
{
	struct seen *s = arg;
	if (s->n_log < 16 && len < 64) {
		memcpy(s->log[s->n_log], cmd, len);
		s->log[s->n_log][len] = '\0';
		s->n_log++;
	}
}

/* on_stop: count. */
static void on_stop(sim_server *srv, void *arg)
{
	struct seen *s = arg;
	s->stops++;
}

/* Child bodies return 0 on success, a step number on failure. */
typedef int (*client_fn)(int port);

/* Forks fn as a blocking client; runs loop until it exits; returns its status. */
static int run_client(rc_loop *loop, int port, client_fn fn)
{
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0)
		_exit(fn(port));
	long long deadline = mcsim_now_ms() + WAIT_MS;
	int st = 0;
	while (waitpid(pid, &st, WNOHANG) == 0) {
		if (mcsim_now_ms() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			cr_assert_fail("client timed out");
		}
		rc_loop_run_once(loop, 10);
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 100;
}

/* Client: auth, list must name Zed, then one more command. */
static int client_list(int port)
{
	rcon_test *c = rcon_test_connect(NULL, port);
	if (!c)
		return 1;
	if (rcon_test_auth(c, "pw") != 1)
		return 2;
	char *r = rcon_test_exec(c, "list", NULL, NULL);
	if (!r || strcmp(r, "There are 2 of a max of 3 players online: Alice, Zed") != 0)
		return 3;
	free(r);
	r = rcon_test_exec(c, "sim echo x", NULL, NULL);
	if (!r || strcmp(r, "x") != 0)
		return 4;
	free(r);
	rcon_test_close(c);
	return 0;
}

/* Client: stop, expect the answer and the close. */
static int client_stop(int port)
{
	rcon_test *c = rcon_test_connect(NULL, port);
	if (!c || rcon_test_auth(c, "pw") != 1)
		return 1;
	if (rcon_test_send(c, 5, 2, "stop", 4) < 0)
		return 2;
	rcon_test_pkt p;
	if (rcon_test_recv(c, &p, WAIT_MS) != 1 || strcmp(p.body, "Stopping the server") != 0)
		return 3;
	rcon_test_pkt_free(&p);
	if (rcon_test_wait_close(c, WAIT_MS, NULL) != 1)
		return 4;
	rcon_test_close(c);
	return 0;
}

/* Returns options for a small test server reporting into seen. */
static sim_opts test_opts(struct seen *seen)
{
	static const char *const names[] = { "Alice", "Bob", NULL };
	sim_opts o;
	sim_opts_init(&o);
	o.port = 0;
	o.password = "pw";
	o.players = names;
	o.max_players = 3;
	o.on_log = on_log;
	o.on_auth = on_auth;
	o.log_arg = seen;
	o.on_stop = on_stop;
	o.stop_arg = seen;
	return o;
}

Test(api, roster_changes_through_the_api)
{
	rc_loop *loop = rc_loop_new();
	struct seen seen = { .n_log = 0 };
	sim_opts o = test_opts(&seen);
	char err[256] = "";
	sim_server *s = sim_server_new(loop, &o, err, sizeof err);
	cr_assert_not_null(s, "%s", err);
	cr_assert_gt(sim_server_port(s), 0);
	cr_assert_eq(sim_server_player_count(s), 2);
	cr_assert_str_eq(sim_server_player(s, 0), "Alice");
	cr_assert_null(sim_server_player(s, 2));
	cr_assert_eq(sim_server_join(s, "Carol"), 0);
	cr_assert_eq(sim_server_join(s, "carol"), 0, "already online is a no-op");
	cr_assert_eq(sim_server_player_count(s), 3);
	cr_assert_eq(sim_server_join(s, "Dave"), RC_EFULL);
	cr_assert_eq(sim_server_join(s, ""), RC_EINVAL);
	cr_assert_eq(sim_server_leave(s, "Bob"), 0);
	cr_assert_eq(sim_server_leave(s, "Bob"), RC_ENOENT);
	cr_assert_eq(sim_server_player_count(s), 2);
	cr_assert_str_eq(sim_server_player(s, 1), "Carol");
	sim_server_free(s);
	sim_server_free(NULL);
	rc_loop_free(loop);
}

Test(api, bad_options_fail_with_a_reason)
{
	rc_loop *loop = rc_loop_new();
	sim_opts o;
	sim_opts_init(&o);
	o.port = 0;
	o.password = "";
	char err[256] = "";
	cr_assert_null(sim_server_new(loop, &o, err, sizeof err));
	cr_assert_not_null(strstr(err, "disabled"), "%s", err);
	o.password = NULL;
	o.bind = "localhost";
	cr_assert_null(sim_server_new(loop, &o, err, sizeof err));
	cr_assert_not_null(strstr(err, "numeric"), "%s", err);
	rc_loop_free(loop);
}

Test(api, client_sees_an_api_join_and_commands_are_logged)
{
	rc_loop *loop = rc_loop_new();
	struct seen seen = { .n_log = 0 };
	sim_opts o = test_opts(&seen);
	char err[256];
	sim_server *s = sim_server_new(loop, &o, err, sizeof err);
	cr_assert_not_null(s, "%s", err);
	cr_assert_eq(sim_server_leave(s, "Bob"), 0);
	cr_assert_eq(sim_server_join(s, "Zed"), 0);
	cr_assert_eq(run_client(loop, sim_server_port(s), client_list), 0);
	cr_assert_eq(seen.n_log, 2);
	cr_assert_str_eq(seen.log[0], "list");
	cr_assert_str_eq(seen.log[1], "sim echo x");
	cr_assert_eq(sim_server_commands(s), 2);
	cr_assert_eq(seen.auth_ok, 1);
	cr_assert_eq(seen.auth_bad, 0);
	cr_assert_eq(seen.stops, 0);
	sim_server_free(s);
	rc_loop_free(loop);
}

Test(api, stop_reports_once_every_connection_is_closed)
{
	rc_loop *loop = rc_loop_new();
	struct seen seen = { .n_log = 0 };
	sim_opts o = test_opts(&seen);
	char err[256];
	sim_server *s = sim_server_new(loop, &o, err, sizeof err);
	cr_assert_not_null(s, "%s", err);
	cr_assert_eq(run_client(loop, sim_server_port(s), client_stop), 0);
	long long deadline = mcsim_now_ms() + WAIT_MS;
	while (!sim_server_stopped(s) && mcsim_now_ms() < deadline)
		rc_loop_run_once(loop, 10);
	cr_assert(sim_server_stopped(s));
	cr_assert_eq(seen.stops, 1);
	cr_assert_null(rcon_test_connect(NULL, sim_server_port(s)), "still listening");
	sim_server_free(s);
	rc_loop_free(loop);
}

Test(api, churn_moves_players)
{
	rc_loop *loop = rc_loop_new();
	sim_opts o;
	sim_opts_init(&o);
	o.port = 0;
	o.n_players = 2;
	o.seed = 11;
	char err[256];
	sim_server *s = sim_server_new(loop, &o, err, sizeof err);
	cr_assert_not_null(s, "%s", err);
	char first[64];
	snprintf(first, sizeof first, "%s", sim_server_player(s, 0));
	sim_server_set_churn(s, 5);
	long long deadline = mcsim_now_ms() + WAIT_MS;
	bool moved = false;
	while (!moved && mcsim_now_ms() < deadline) {
		rc_loop_run_once(loop, 10);
		moved = sim_server_player_count(s) != 2 || strcmp(sim_server_player(s, 0), first) != 0;
	}
	cr_assert(moved);
	sim_server_set_churn(s, 0);
	sim_server_free(s);
	rc_loop_free(loop);
}

Test(api, same_seed_same_generated_names)
{
	rc_loop *loop = rc_loop_new();
	sim_opts o;
	sim_opts_init(&o);
	o.port = 0;
	o.n_players = 6;
	o.seed = 42;
	char err[256];
	sim_server *a = sim_server_new(loop, &o, err, sizeof err);
	sim_server *b = sim_server_new(loop, &o, err, sizeof err);
	cr_assert(a && b, "%s", err);
	cr_assert_eq(sim_server_player_count(a), 6);
	for (size_t i = 0; i < 6; i++) {
		cr_assert_str_eq(sim_server_player(a, i), sim_server_player(b, i));
		const char *n = sim_server_player(a, i);
		cr_assert(strlen(n) >= 3 && strlen(n) <= 16, "'%s'", n);
	}
	sim_server_free(a);
	sim_server_free(b);
	rc_loop_free(loop);
}
