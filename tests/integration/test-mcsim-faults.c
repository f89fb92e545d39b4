/* test-mcsim-faults.c: every fault switch of rconsole-mcsim, --log, IPv6,
 * --servers, restarts on a fixed port, `stop`, signals and the command line. */
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../support/mcsim.h"
#include "rconsole/packet.h"

#define WAIT_MS 10000
#define QUIET_MS 300   /* "nothing arrives" checks: can only miss a bug, never flake */

static mcsim sim;
static rcon_test *cl;

/* Starts mcsim with args, connects and authenticates. */
static void start_authed(const char *const *args)
{
	cl = mcsim_start_client(&sim, args);
	cr_assert_not_null(cl, "mcsim started and took the password");
}

/* Fixture teardown. */
static void finish(void)
{
	rcon_test_close(cl);
	cl = NULL;
	mcsim_stop(&sim);
}

/* Runs cmd and asserts the reply equals want. */
static void expect_reply(rcon_test *c, const char *cmd, const char *want)
{
	char *r = rcon_test_exec(c, cmd, NULL, NULL);
	cr_assert_not_null(r, "no reply to '%s'", cmd);
	cr_assert_str_eq(r, want, "'%s'", cmd);
	free(r);
}

/* Returns the path of the built mcsim. */
static const char *mcsim_prog(void)
{
	static char buf[1024];
	const char *p = getenv("MCSIM");
	if (p && *p)
		return p;
	snprintf(buf, sizeof buf, "%s/rconsole-mcsim",
	    getenv("TOP_BUILDDIR") ? getenv("TOP_BUILDDIR") : ".");
	return buf;
}

TestSuite(faults, .fini = finish, .timeout = 60);

Test(faults, delay_holds_every_reply)
{
	const char *args[] = { "--delay", "300", NULL };
	start_authed(args);
	long long t0 = mcsim_now_ms();
	expect_reply(cl, "sim echo late", "late");
	/* A lower bound only: the server must have held the reply. */
	cr_assert_geq(mcsim_now_ms() - t0, 290);
}

Test(faults, drip_still_delivers_every_byte_in_order)
{
	const char *args[] = { "--drip", NULL };
	start_authed(args);
	size_t len = 0;
	int frags = 0;
	char *r = rcon_test_exec(cl, "sim chars 300 latin", &len, &frags);
	cr_assert_not_null(r);
	cr_assert_eq(len, 600);
	cr_assert_eq(frags, 1);
	for (size_t i = 0; i < len; i += 2)
		cr_assert(r[i] == '\xc3' && r[i + 1] == '\xa9', "at %zu", i);
	free(r);
	expect_reply(cl, "sim echo next", "next");
}

Test(faults, hang_after_stops_answering_but_keeps_reading)
{
	const char *args[] = { "--hang-after", "2", NULL };
	start_authed(args);
	expect_reply(cl, "sim echo 1", "1");
	expect_reply(cl, "sim echo 2", "2");
	cr_assert_eq(rcon_test_send(cl, 3, 2, "sim echo 3", 10), 0);
	cr_assert_eq(mcsim_log_wait(&sim, "sim echo 3", 1, WAIT_MS), 1, "not received");
	rcon_test_pkt p;
	cr_assert_eq(rcon_test_recv(cl, &p, QUIET_MS), 0, "a hung server answered");
	/* Still open, still reading: a probe is read (and not answered either). */
	cr_assert_eq(rcon_test_send(cl, 4, 2, "sim echo 4", 10), 0);
	cr_assert_eq(mcsim_log_wait(&sim, "sim echo 4", 1, WAIT_MS), 1);
	cr_assert_eq(rcon_test_wait_close(cl, QUIET_MS, NULL), 0, "connection closed");
	/* The count is per connection: a new one is answered again. */
	rcon_test *c2 = rcon_test_connect(NULL, sim.ports[0]);
	cr_assert_not_null(c2);
	cr_assert_eq(rcon_test_auth(c2, MCSIM_PASSWORD), 1);
	expect_reply(c2, "sim echo fresh", "fresh");
	rcon_test_close(c2);
}

Test(faults, drop_after_closes_on_the_next_command_which_was_received)
{
	const char *args[] = { "--drop-after", "1", NULL };
	start_authed(args);
	expect_reply(cl, "sim echo kept", "kept");
	cr_assert_eq(rcon_test_send(cl, 9, 2, "sim echo lost", 13), 0);
	size_t junk = 99;
	cr_assert_eq(rcon_test_wait_close(cl, WAIT_MS, &junk), 1);
	cr_assert_eq(junk, 0, "the dropped command was answered");
	cr_assert_eq(mcsim_log_count(&sim, "sim echo lost"), 1, "received exactly once");
}

Test(faults, garbage_replies_are_not_packets)
{
	const char *args[] = { "--garbage", NULL };
	start_authed(args);
	cr_assert_eq(rcon_test_send(cl, 5, 2, "list", 4), 0);
	rcon_test_pkt p;
	cr_assert_eq(rcon_test_recv(cl, &p, WAIT_MS), -2);
	cr_assert_eq(cl->buf[0], 3, "length field 3");
}

Test(faults, oversize_announces_more_than_16_mib)
{
	const char *args[] = { "--oversize", NULL };
	start_authed(args);
	cr_assert_eq(rcon_test_send(cl, 5, 2, "list", 4), 0);
	rcon_test_pkt p;
	cr_assert_eq(rcon_test_recv(cl, &p, WAIT_MS), -2);
	cr_assert_geq(cl->len, 4);
	uint32_t n = (uint32_t)cl->buf[0] | (uint32_t)cl->buf[1] << 8 |
	    (uint32_t)cl->buf[2] << 16 | (uint32_t)cl->buf[3] << 24;
	cr_assert_eq(n, 16u * 1024 * 1024 + 1);
}

Test(faults, auth_fail_rejects_the_right_password)
{
	const char *args[] = { "--auth-fail", NULL };
	cr_assert_eq(mcsim_start(&sim, args), 0);
	cl = rcon_test_connect(NULL, sim.ports[0]);
	cr_assert_not_null(cl);
	cr_assert_eq(rcon_test_auth(cl, MCSIM_PASSWORD), 0);
	cr_assert_eq(rcon_test_auth(cl, MCSIM_PASSWORD), 0, "still open, still rejected");
}

Test(faults, auth_reply_answers_logins_wrongly_and_still_checks_the_password)
{
	static const struct { const char *mode; int32_t id; int32_t type; } modes[] = {
		{ "silent", 0, 0 }, { "type0", 7, RC_TYPE_RESPONSE },
		{ "other-id", 0x5717, RC_TYPE_AUTH_REPLY },
	};
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		const char *args[] = { "--auth-reply", modes[i].mode, NULL };
		cr_assert_eq(mcsim_start(&sim, args), 0);
		cl = rcon_test_connect(NULL, sim.ports[0]);
		cr_assert_not_null(cl);
		cr_assert_eq(rcon_test_send(cl, 7, RC_TYPE_AUTH, MCSIM_PASSWORD,
		    strlen(MCSIM_PASSWORD)), 0);
		rcon_test_pkt p;
		int r = rcon_test_recv(cl, &p, modes[i].id ? WAIT_MS : QUIET_MS);
		if (!modes[i].id) {
			cr_assert_eq(r, 0, "%s: the login is never answered", modes[i].mode);
		} else {
			cr_assert_eq(r, 1, "%s: an answer", modes[i].mode);
			cr_assert_eq(p.id, modes[i].id, "%s: id %d", modes[i].mode, p.id);
			cr_assert_eq(p.type, modes[i].type, "%s: type %d", modes[i].mode, p.type);
			cr_assert_eq(p.body_len > 0, modes[i].type == RC_TYPE_RESPONSE);
			rcon_test_pkt_free(&p);
		}
		/* The right password was taken: a command is answered. */
		expect_reply(cl, "sim echo in", "in");
		rcon_test_close(cl);
		cl = NULL;
		mcsim_stop(&sim);
	}
}

/* Starts mcsim with fault (--reset-mid or --stall-mid), and asks for a
 * reply of three packets: the first one comes whole. */
static void first_packet_of_a_long_reply(const char *fault)
{
	const char *args[] = { fault, NULL };
	start_authed(args);
	expect_reply(cl, "sim echo short", "short");
	cr_assert_eq(rcon_test_send(cl, 9, RC_TYPE_EXEC, "sim pattern 9000", 16), 0);
	rcon_test_pkt p;
	cr_assert_eq(rcon_test_recv(cl, &p, WAIT_MS), 1);
	cr_assert_eq(p.id, 9);
	cr_assert_eq(p.body_len, 4096, "the first fragment whole");
	rcon_test_pkt_free(&p);
}

Test(faults, reset_mid_sends_the_first_packet_of_a_long_reply_then_resets)
{
	first_packet_of_a_long_reply("--reset-mid");
	rcon_test_pkt p;
	cr_assert_eq(rcon_test_recv(cl, &p, WAIT_MS), -1, "then the connection is reset");
}

Test(faults, stall_mid_sends_the_first_packet_of_a_long_reply_then_nothing)
{
	first_packet_of_a_long_reply("--stall-mid");
	cr_assert_eq(rcon_test_send(cl, 10, RC_TYPE_EXEC, "sim echo later", 14), 0);
	rcon_test_pkt p;
	cr_assert_eq(rcon_test_recv(cl, &p, 300), 0, "then nothing, the connection open");
}

Test(faults, stray_comes_before_every_answer)
{
	const char *args[] = { "--stray", NULL };
	start_authed(args);
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(rcon_test_send(cl, 40 + i, RC_TYPE_EXEC, "sim echo a", 10), 0);
		rcon_test_pkt p;
		cr_assert_eq(rcon_test_recv(cl, &p, WAIT_MS), 1);
		cr_assert_eq(p.id, 22439, "an id nobody asked for first");
		cr_assert_eq(p.type, RC_TYPE_RESPONSE);
		rcon_test_pkt_free(&p);
		cr_assert_eq(rcon_test_recv(cl, &p, WAIT_MS), 1);
		cr_assert_eq(p.id, 40 + i, "then the answer");
		cr_assert_str_eq(p.body, "a");
		rcon_test_pkt_free(&p);
	}
}

Test(faults, hostile_output_carries_escapes_c1_and_invalid_utf8)
{
	const char *args[] = { "--hostile", NULL };
	start_authed(args);
	size_t len = 0;
	char *r = rcon_test_exec(cl, "sim echo hi", &len, NULL);
	cr_assert_not_null(r);
	cr_assert_not_null(strstr(r, "\x1b[2J"));
	cr_assert_not_null(strstr(r, "\x1b]0;"));
	cr_assert_not_null(strstr(r, "\x07"));
	cr_assert_not_null(strstr(r, "\xc2\x9b"));
	cr_assert_not_null(strstr(r, "\xff\xfe"));
	cr_assert_not_null(strstr(r, "\x08"));
	cr_assert_not_null(strstr(r, "hi"));
	free(r);
}

Test(faults, password_option_changes_the_password)
{
	const char *args[] = { "--password", "hunter2", NULL };
	cr_assert_eq(mcsim_start(&sim, args), 0);
	cl = rcon_test_connect(NULL, sim.ports[0]);
	cr_assert_eq(rcon_test_auth(cl, MCSIM_PASSWORD), 0);
	cr_assert_eq(rcon_test_auth(cl, "hunter2"), 1);
}

TestSuite(log, .fini = finish, .timeout = 60);

Test(log, records_commands_exactly_and_nothing_else)
{
	start_authed(NULL);
	expect_reply(cl, "sim echo a  b", "a  b");
	expect_reply(cl, "/list", "There are 0 of a max of 20 players online: ");
	expect_reply(cl, "nosuch x", "Unknown or incomplete command, see below for "
	    "errornosuch x<--[HERE]");
	cr_assert_eq(rcon_test_auth(cl, "bad password"), 0);
	cr_assert_eq(rcon_test_auth(cl, MCSIM_PASSWORD), 1);
	char *log = mcsim_log(&sim);
	/* Sentinels (type 100) and auth packets are not commands; a rejected
	 * login leaves a marker line, never the password. */
	cr_assert_str_eq(log, "sim echo a  b\n/list\nnosuch x\n#auth-failed\n");
	free(log);
}

TestSuite(servers, .fini = finish, .timeout = 60);

Test(servers, three_servers_on_three_ports)
{
	const char *args[] = { "--servers", "3", "--players", "2", NULL };
	cr_assert_eq(mcsim_start(&sim, args), 0);
	cr_assert_eq(sim.n_ports, 3);
	cr_assert_neq(sim.ports[0], sim.ports[1]);
	cr_assert_neq(sim.ports[1], sim.ports[2]);
	cr_assert_neq(sim.ports[0], sim.ports[2]);
	for (int i = 0; i < 3; i++) {
		rcon_test *c = rcon_test_open(sim.ports[i], MCSIM_PASSWORD);
		cr_assert_not_null(c, "server %d", i);
		char cmd[32];
		snprintf(cmd, sizeof cmd, "sim echo server%d", i);
		expect_reply(c, cmd, cmd + 9);
		char *r = rcon_test_exec(c, "list", NULL, NULL);
		cr_assert(strncmp(r, "There are 2 of a max of 20", 26) == 0, "%s", r);
		free(r);
		rcon_test_close(c);
	}
	cr_assert_eq(mcsim_log_count(&sim, "sim echo server2"), 1);
}

Test(servers, ipv6_bind)
{
	int probe = socket(AF_INET6, SOCK_STREAM, 0);
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	bool have_v6 = probe >= 0 && bind(probe, (struct sockaddr *)&a, sizeof a) == 0;
	if (probe >= 0)
		close(probe);
	if (!have_v6)
		cr_skip_test("no IPv6 loopback here");
	const char *args[] = { "--bind", "::1", NULL };
	cr_assert_eq(mcsim_start(&sim, args), 0);
	cl = rcon_test_connect("::1", sim.ports[0]);
	cr_assert_not_null(cl);
	cr_assert_eq(rcon_test_auth(cl, MCSIM_PASSWORD), 1);
	expect_reply(cl, "sim echo v6", "v6");
	/* Nothing of this mcsim listens on IPv4.  On a shared machine another
	 * process may hold the same port number on 127.0.0.1, so a connection
	 * there proves nothing by itself: send a command through it and check
	 * that this mcsim never received it. */
	rcon_test *v4 = rcon_test_connect("127.0.0.1", sim.ports[0]);
	if (v4) {
		rcon_test_send(v4, 1, 3, MCSIM_PASSWORD, strlen(MCSIM_PASSWORD));
		rcon_test_send(v4, 2, 2, "sim echo v4probe", 16);
		rcon_test_close(v4);
		expect_reply(cl, "sim echo after", "after");
		cr_assert_eq(mcsim_log_count(&sim, "sim echo v4probe"), 0, "v4 should not reach mcsim");
	}
}

Test(servers, restart_on_the_same_port)
{
	start_authed(NULL);
	int port = sim.ports[0];
	expect_reply(cl, "sim echo first", "first");
	rcon_test_close(cl);
	cl = NULL;
	cr_assert_eq(mcsim_stop(&sim), 0, "SIGTERM exits 0");
	/* The port came from the ephemeral range: while it is free, another
	 * test's outgoing connection may hold it as its local port for a while
	 * (test-mcsim-many opens 10,000), so the restart is tried again. */
	long long until = mcsim_now_ms() + 20000;
	int rc;
	while ((rc = mcsim_start_on(&sim, port, NULL)) != 0 && mcsim_now_ms() < until)
		usleep(200 * 1000);
	cr_assert_eq(rc, 0, "restart on %d", port);
	cr_assert_eq(sim.ports[0], port);
	cl = rcon_test_connect(NULL, port);
	cr_assert_not_null(cl);
	cr_assert_eq(rcon_test_auth(cl, MCSIM_PASSWORD), 1);
	expect_reply(cl, "sim echo second", "second");
}

Test(servers, stop_answers_closes_and_exits_zero)
{
	start_authed(NULL);
	rcon_test *other = rcon_test_connect(NULL, sim.ports[0]);
	cr_assert_not_null(other);
	cr_assert_eq(rcon_test_auth(other, MCSIM_PASSWORD), 1);
	cr_assert_eq(rcon_test_send(cl, 70, 2, "stop", 4), 0);
	rcon_test_pkt p;
	cr_assert_eq(rcon_test_recv(cl, &p, WAIT_MS), 1);
	cr_assert_str_eq(p.body, "Stopping the server");
	rcon_test_pkt_free(&p);
	cr_assert_eq(rcon_test_wait_close(cl, WAIT_MS, NULL), 1);
	cr_assert_eq(rcon_test_wait_close(other, WAIT_MS, NULL), 1, "others closed too");
	rcon_test_close(other);
	cr_assert_eq(mcsim_wait_exit(&sim, WAIT_MS), 0);
}

Test(servers, churn_changes_the_roster)
{
	const char *args[] = { "--churn", "0.02", "--players", "3", "--seed", "5", NULL };
	start_authed(args);
	char *first = rcon_test_exec(cl, "list", NULL, NULL);
	cr_assert_not_null(first);
	bool changed = false;
	long long deadline = mcsim_now_ms() + WAIT_MS;
	while (!changed && mcsim_now_ms() < deadline) {
		mcsim_sleep_ms(20);
		char *now = rcon_test_exec(cl, "list", NULL, NULL);
		cr_assert_not_null(now);
		changed = strcmp(now, first) != 0;
		free(now);
	}
	free(first);
	cr_assert(changed, "no join or leave in %d ms", WAIT_MS);
}

TestSuite(cli, .timeout = 60);

Test(cli, empty_password_refuses_to_start)
{
	const char *argv[] = { mcsim_prog(), "--port", "0", "--password", "", NULL };
	char *out, *err;
	int status;
	cr_assert_eq(run_prog(argv, NULL, &out, &err, &status), 0);
	cr_assert_eq(status, 2);
	cr_assert_not_null(strstr(err, "disabled"), "%s", err);
	cr_assert_str_eq(out, "");
	free(out);
	free(err);
}

Test(cli, help_lists_every_switch)
{
	const char *argv[] = { mcsim_prog(), "--help", NULL };
	char *out, *err;
	int status;
	cr_assert_eq(run_prog(argv, NULL, &out, &err, &status), 0);
	cr_assert_eq(status, 0);
	static const char *const sw[] = { "--port", "--servers", "--password", "--bind",
		"--players", "--max-players", "--churn", "--log", "--dialect", "--list-format",
		"--seed", "--delay", "--drip", "--hang-after", "--drop-after", "--garbage",
		"--oversize", "--auth-fail", "--hostile", "--auth-reply", "--reset-mid", "--stall-mid", "--stray" };
	for (size_t i = 0; i < sizeof sw / sizeof sw[0]; i++)
		cr_assert_not_null(strstr(out, sw[i]), "%s missing", sw[i]);
	free(out);
	free(err);
}

Test(cli, more_players_than_slots_names_both_counts)
{
	/* The message said "bad --players (more than --max-players) 'N'": a
	 * literal N, not the count given. */
	const char *argv[] = { mcsim_prog(), "--port", "0", "--players", "30", NULL };
	char *err;
	int status;
	cr_assert_eq(run_prog(argv, NULL, NULL, &err, &status), 0);
	cr_assert_eq(status, 2);
	cr_assert_not_null(strstr(err, "--players (more than --max-players 20) '30'"), "%s", err);
	free(err);
}

Test(cli, bad_option_values_are_usage_errors)
{
	static const char *const bad[][2] = {
		{ "--dialect", "bedrock" }, { "--port", "70000" }, { "--servers", "0" },
		{ "--list-format", "fancy" }, { "--delay", "-1" }, { "--bind", "localhost" },
		{ "--auth-reply", "sometimes" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *argv[] = { mcsim_prog(), "--port", "0", bad[i][0], bad[i][1], NULL };
		char *err;
		int status;
		cr_assert_eq(run_prog(argv, NULL, NULL, &err, &status), 0);
		cr_assert_neq(status, 0, "%s %s accepted", bad[i][0], bad[i][1]);
		cr_assert_neq(err[0], '\0', "%s %s: no message", bad[i][0], bad[i][1]);
		free(err);
	}
}

Test(cli, run_prog_feeds_stdin_and_reports_status)
{
	const char *argv[] = { "sh", "-c", "cat; echo oops >&2; exit 3", NULL };
	char *out, *err;
	int status;
	cr_assert_eq(run_prog(argv, "line one\nline two\n", &out, &err, &status), 0);
	cr_assert_str_eq(out, "line one\nline two\n");
	cr_assert_str_eq(err, "oops\n");
	cr_assert_eq(status, 3);
	free(out);
	free(err);
}

Test(cli, run_prog_kills_at_the_deadline)
{
	const char *argv[] = { "sleep", "30", NULL };
	run_prog_opts o = { .timeout_ms = 200 };
	int status;
	cr_assert_eq(run_prog_ex(argv, &o, NULL, NULL, NULL, NULL, &status), -1);
	cr_assert_eq(status, 128 + 9);
}

Test(cli, run_prog_sets_and_unsets_environment)
{
	setenv("RP_GONE", "x", 1);
	const char *argv[] = { "sh", "-c", "echo \"$RP_SET:${RP_GONE-unset}\"", NULL };
	const char *env[] = { "RP_SET=yes", "RP_GONE", NULL };
	run_prog_opts o = { .env = env };
	char *out;
	int status;
	cr_assert_eq(run_prog_ex(argv, &o, &out, NULL, NULL, NULL, &status), 0);
	cr_assert_str_eq(out, "yes:unset\n");
	free(out);
}
