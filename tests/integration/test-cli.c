/* test-cli.c: the one-shot command line against a spawned mcsim over real
 * loopback TCP: replies, exit codes, faults, read-only, limits, IPv6. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli-util.h"

static mcsim sim;

/* Starts mcsim with extra arguments for one test. */
static void start(const char *const *args)
{
	cr_assert_eq(mcsim_start(&sim, args), 0, "mcsim did not start");
}

static void stop(void)
{
	mcsim_stop(&sim);
}

TestSuite(cli, .fini = stop, .timeout = 120);

Test(cli, list_reply_printed_and_received_once)
{
	start((const char *const[]){ "--players", "3", "--seed", "5", NULL });
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-c", "list", NULL }, NULL);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert(strstr(r.out, "There are 3 of a max of 20 players online: "), "%s", r.out);
	cr_assert_eq(r.out[r.out_len - 1], '\n');
	cr_assert_eq(mcsim_log_count(&sim, "list"), 1);
	cli_result_free(&r);
}

Test(cli, commands_run_in_order)
{
	start(NULL);
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-c", "sim echo one", "-c", "sim echo two",
	    "-c", "sim echo three", NULL }, NULL);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert_str_eq(r.out, "one\ntwo\nthree\n");
	cli_result_free(&r);
}

Test(cli, wrong_password_exit_4_no_retry)
{
	start(NULL);
	char *pw = cli_write_file(sim.dir, "bad", "wrong\n", 0600);
	char port[16];
	snprintf(port, sizeof port, "%d", sim.ports[0]);
	cli_result r;
	cli_run(&r, (const char *const[]){ "-H", "127.0.0.1", "-P", port, "--password-file", pw,
	    "-c", "list", NULL }, NULL, NULL);
	cr_assert_eq(r.status, 4, "stderr: %s", r.err);
	cr_assert(strstr(r.err, "authentication failed"), "%s", r.err);
	/* mcsim logs each rejected login as "#auth-failed": exactly one attempt. */
	cr_assert_eq(mcsim_log_count(&sim, "#auth-failed"), 1);
	cr_assert_eq(mcsim_log_count(&sim, "list"), 0);
	cli_result_free(&r);
	free(pw);
}

Test(cli, empty_password_is_sent_and_rejected)
{
	start(NULL);
	char port[16];
	snprintf(port, sizeof port, "%d", sim.ports[0]);
	cli_result r;
	cli_run(&r, (const char *const[]){ "-H", "127.0.0.1", "-P", port, "-p", "", "-c", "list",
	    NULL }, NULL, NULL);
	cr_assert_eq(r.status, 4, "stderr: %s", r.err);
	cr_assert(strstr(r.err, "visible to other users"), "-p warns: %s", r.err);
	cli_result_free(&r);
}

Test(cli, empty_password_file_is_a_config_error)
{
	start(NULL);
	char *pw = cli_write_file(sim.dir, "empty", "", 0600);
	char port[16];
	snprintf(port, sizeof port, "%d", sim.ports[0]);
	cli_result r;
	cli_run(&r, (const char *const[]){ "-H", "127.0.0.1", "-P", port, "--password-file", pw,
	    "-c", "list", NULL }, NULL, NULL);
	cr_assert_eq(r.status, 2, "stderr: %s", r.err);
	cr_assert(strstr(r.err, pw), "names the file: %s", r.err);
	cr_assert_eq(cli_log_lines(&sim), 0);
	cli_result_free(&r);
	free(pw);
}

Test(cli, missing_password_without_terminal_exit_2)
{
	start(NULL);
	char port[16];
	snprintf(port, sizeof port, "%d", sim.ports[0]);
	cli_result r;
	cli_run(&r, (const char *const[]){ "-H", "127.0.0.1", "-P", port, "-c", "list", NULL },
	    NULL, NULL);
	cr_assert_eq(r.status, 2, "stderr: %s", r.err);
	cr_assert(strstr(r.err, "no password"), "%s", r.err);
	cli_result_free(&r);
}

Test(cli, environment_supplies_host_port_password)
{
	start((const char *const[]){ "--players", "2", NULL });
	char port[16], penv[32], mport[32];
	snprintf(port, sizeof port, "%d", sim.ports[0]);
	snprintf(penv, sizeof penv, "RCON_PORT=%s", port);
	snprintf(mport, sizeof mport, "MCRCON_PORT=%s", port);
	cli_result r;
	cli_run(&r, (const char *const[]){ "-c", "list", NULL },
	    (const char *const[]){ "RCON_HOST=127.0.0.1", penv, "RCON_PASSWORD=" MCSIM_PASSWORD, NULL },
	    NULL);
	cr_assert_eq(r.status, 0, "RCON_*: %s", r.err);
	cli_result_free(&r);
	cli_run(&r, (const char *const[]){ "-c", "list", NULL },
	    (const char *const[]){ "MCRCON_HOST=127.0.0.1", mport, "MCRCON_PASS=" MCSIM_PASSWORD, NULL },
	    NULL);
	cr_assert_eq(r.status, 0, "MCRCON_*: %s", r.err);
	cli_result_free(&r);
	/* A flag wins over the environment: a wrong -P port cannot connect. */
	cli_run(&r, (const char *const[]){ "-P", "1", "-c", "list", NULL },
	    (const char *const[]){ "RCON_HOST=127.0.0.1", penv, "RCON_PASSWORD=" MCSIM_PASSWORD, NULL },
	    NULL);
	cr_assert_eq(r.status, 3, "flag over env: %s", r.err);
	cli_result_free(&r);
	cr_assert_eq(mcsim_log_count(&sim, "list"), 2);
}

Test(cli, connection_refused_exit_3)
{
	start(NULL);
	int port = sim.ports[0];
	mcsim_stop(&sim);
	start(NULL);
	sim.ports[0] = port; /* the old, now closed, port */
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "--timeout", "5", "-c", "list", NULL }, NULL);
	cr_assert_eq(r.status, 3, "stderr: %s", r.err);
	cr_assert(strstr(r.err, "rconsole: 127.0.0.1: "), "%s", r.err);
	cli_result_free(&r);
}

Test(cli, read_only_refuses_op_and_sends_nothing)
{
	start(NULL);
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-r", "-c", "op bob", NULL }, NULL);
	cr_assert_eq(r.status, 1, "stderr: %s", r.err);
	cr_assert(strstr(r.err, "read-only"), "%s", r.err);
	cli_result_free(&r);
	cli_run_on(&r, &sim, 0, (const char *const[]){ "--readonly", "-c", "list; op bob", NULL }, NULL);
	cr_assert_eq(r.status, 1);
	cli_result_free(&r);
	char *log = mcsim_log(&sim);
	cr_assert_str_eq(log, "", "nothing reached the server");
	free(log);
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-r", "-c", "list", NULL }, NULL);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert(strstr(r.out, "players online"));
	cli_result_free(&r);
	cr_assert_eq(mcsim_log_count(&sim, "list"), 1);
}

Test(cli, command_longer_than_1446_refused_locally)
{
	start(NULL);
	char *cmd = malloc(1448 + 10);
	strcpy(cmd, "sim echo ");
	size_t n = strlen(cmd);
	memset(cmd + n, 'x', 1447 - n);
	cmd[1447] = 0;
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-c", cmd, NULL }, NULL);
	cr_assert_eq(r.status, 1, "stderr: %s", r.err);
	cr_assert(strstr(r.err, "too long") || strstr(r.err, "longer"), "%s", r.err);
	cr_assert_eq(cli_log_lines(&sim), 0);
	cli_result_free(&r);
	cmd[1446] = 0; /* exactly 1446 bytes: accepted by vanilla */
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-c", cmd, NULL }, NULL);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert_eq(mcsim_log_count(&sim, cmd), 1);
	cr_assert_eq(r.out_len, 1446 - strlen("sim echo ") + 1);
	cli_result_free(&r);
	free(cmd);
}

Test(cli, ten_thousand_commands_from_stdin_in_order_once_each)
{
	start(NULL);
	enum { N = 10000 };
	size_t cap = (size_t)N * 24;
	char *in = malloc(cap), *want = malloc(cap);
	size_t a = 0, b = 0;
	for (int i = 0; i < N; i++) {
		a += (size_t)sprintf(in + a, "sim echo %d\n", i);
		b += (size_t)sprintf(want + b, "%d\n", i);
	}
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-c", "-", NULL }, in);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert_eq(r.out_len, b);
	cr_assert(memcmp(r.out, want, b) == 0, "replies in order");
	char *log = mcsim_log(&sim);
	cr_assert_str_eq(log, in, "each command received once, in order");
	free(log);
	cli_result_free(&r);
	free(in);
	free(want);
}

Test(cli, stop_as_last_command_exits_0)
{
	start(NULL);
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-c", "list", "-c", "stop", NULL }, NULL);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert(strstr(r.out, "Stopping the server"), "%s", r.out);
	cr_assert_eq(mcsim_log_count(&sim, "stop"), 1);
	cli_result_free(&r);
}

Test(cli, stop_in_the_middle_sends_nothing_after_it_exit_5)
{
	start(NULL);
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-c", "sim echo before", "-c", "stop",
	    "-c", "sim echo after", "-c", "list", NULL }, NULL);
	cr_assert_eq(r.status, 5, "stderr: %s", r.err);
	cr_assert_str_eq(r.out, "before\nStopping the server\n");
	cr_assert(strstr(r.err, "server stopped; 2 commands not sent"), "%s", r.err);
	cr_assert_not(strstr(r.err, "outcome unknown"), "nothing was in flight: %s", r.err);
	cli_assert_error_lines(r.err, "127.0.0.1");
	char *log = mcsim_log(&sim);
	cr_assert_str_eq(log, "sim echo before\nstop\n", "later commands never reached the server");
	free(log);
	cli_result_free(&r);
}

/* Paper and Spigot run minecraft:stop as stop: what is queued behind it is
 * held and never sent, and the close is the server stopping.  Before: the
 * command after it went out and was lost ("outcome unknown"), and the close
 * was a lost connection (exit 5 for a stop that was the last command). */
Test(cli, a_namespaced_stop_is_stop_too)
{
	start((const char *const[]){ "--namespaced", NULL });
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-c", "sim echo before", "-c",
	    "minecraft:stop", "-c", "sim echo after", NULL }, NULL);
	cr_assert_eq(r.status, 5, "stderr: %s", r.err);
	cr_assert(strstr(r.err, "server stopped; 1 command not sent"), "%s", r.err);
	cr_assert_not(strstr(r.err, "outcome unknown"), "%s", r.err);
	char *log = mcsim_log(&sim);
	cr_assert_str_eq(log, "sim echo before\nminecraft:stop\n", "nothing after it was sent");
	free(log);
	cli_result_free(&r);
	mcsim_stop(&sim);
	start((const char *const[]){ "--namespaced", NULL });
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-c", "Minecraft:STOP", NULL }, NULL);
	cr_assert_eq(r.status, 0, "a stop that is the last command: %s", r.err);
	cr_assert(strstr(r.out, "Stopping the server"), "%s", r.out);
	cli_result_free(&r);
}

Test(cli, stdin_commands_keep_their_place_among_c_flags)
{
	start(NULL);
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-c", "sim echo first", "-c", "-",
	    "-c", "sim echo last", NULL }, "sim echo s1\r\n\nsim echo s2\n");
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert_str_eq(r.out, "first\ns1\ns2\nlast\n");
	char *log = mcsim_log(&sim);
	cr_assert_str_eq(log, "sim echo first\nsim echo s1\nsim echo s2\nsim echo last\n",
	    "CR stripped, blank lines skipped, order kept");
	free(log);
	cli_result_free(&r);
}

Test(cli, stdin_lines_with_nul_or_control_bytes_are_refused_not_cut)
{
	start(NULL);
	static const char in[] = "sim echo one\nop\0bob\n\0\nsim echo a\rb\nsim echo two\n";
	cli_result r;
	cli_run_on_bytes(&r, &sim, 0, (const char *const[]){ "-c", "-", NULL }, in, sizeof in - 1);
	cr_assert_eq(r.status, 1, "stderr: %s", r.err);
	cr_assert_str_eq(r.out, "one\ntwo\n");
	cr_assert_eq(cli_count(r.err, "cannot be empty or hold CR, LF or NUL"), 1, "%s", r.err);
	/* A NUL is shown as the NUL it is (U+2400), not as the LF (U+240A)
	 * the source keeps in its place; found by the QA helper. */
	cr_assert(strstr(r.err, "stdin line 2: refused: 'op\xe2\x90\x80" "bob': a command cannot "
	    "hold a NUL byte\n"), "%s", r.err);
	cr_assert(strstr(r.err, "stdin line 3: refused: '\xe2\x90\x80': a command cannot hold "
	    "a NUL byte\n"), "%s", r.err);
	cr_assert_null(strstr(r.err, "\xe2\x90\x8a"), "no LF picture: the input had none: %s",
	    r.err);
	cr_assert_null(memchr(r.err, '\r', strlen(r.err)), "no raw CR in messages");
	cli_assert_error_lines(r.err, "127.0.0.1");
	char *log = mcsim_log(&sim);
	cr_assert_str_eq(log, "sim echo one\nsim echo two\n", "\"op\" was never sent cut short");
	free(log);
	cli_result_free(&r);
}

Test(cli, password_file_from_the_environment_and_precedence)
{
	start(NULL);
	char *good = cli_write_file(sim.dir, "good", MCSIM_PASSWORD "\n", 0600);
	char *bad = cli_write_file(sim.dir, "bad", "wrong\n", 0600);
	char port[16], genv[400], benv[400];
	snprintf(port, sizeof port, "%d", sim.ports[0]);
	snprintf(genv, sizeof genv, "RCON_PASSWORD_FILE=%s", good);
	snprintf(benv, sizeof benv, "RCON_PASSWORD_FILE=%s", bad);
	cli_result r;
	cli_run(&r, (const char *const[]){ "-H", "127.0.0.1", "-P", port, "-c", "sim echo env", NULL },
	    (const char *const[]){ genv, NULL }, NULL);
	cr_assert_eq(r.status, 0, "RCON_PASSWORD_FILE: %s", r.err);
	cr_assert_str_eq(r.out, "env\n");
	cli_result_free(&r);
	/* The --password-file flag wins over the environment. */
	cli_run(&r, (const char *const[]){ "-H", "127.0.0.1", "-P", port, "--password-file", good,
	    "-c", "sim echo flag", NULL }, (const char *const[]){ benv, "RCON_PASSWORD=wrong", NULL },
	    NULL);
	cr_assert_eq(r.status, 0, "flag over env: %s", r.err);
	cli_result_free(&r);
	/* A file named by the environment that does not exist: exit 2, named. */
	cli_run(&r, (const char *const[]){ "-H", "127.0.0.1", "-P", port, "-c", "list", NULL },
	    (const char *const[]){ "RCON_PASSWORD_FILE=/nonexistent/rcon.pass", NULL }, NULL);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "/nonexistent/rcon.pass"), "%s", r.err);
	cli_result_free(&r);
	cr_assert_eq(mcsim_log_count(&sim, "#auth-failed"), 0);
	cr_assert_eq(cli_log_lines(&sim), 2, "env and flag commands, nothing else");
	free(good);
	free(bad);
}

Test(cli, timeout_bounds_a_hung_login)
{
	/* mcsim holds every reply far longer than --timeout. */
	start((const char *const[]){ "--delay", "30000", NULL });
	cli_result r;
	long long t0 = mcsim_now_ms();
	cli_run_on(&r, &sim, 0, (const char *const[]){ "--timeout", "1", "-c", "list", NULL }, NULL);
	long long took = mcsim_now_ms() - t0;
	cr_assert_eq(r.status, 3, "stderr: %s", r.err);
	cr_assert(strstr(r.err, "login"), "says what timed out: %s", r.err);
	cli_assert_error_lines(r.err, "127.0.0.1");
	cr_assert_lt(took, 20000, "bounded by --timeout, not by the server (%lld ms)", took);
	cr_assert_eq(cli_log_lines(&sim), 0, "no command was sent");
	cli_result_free(&r);
}

Test(cli, source_dialect_multi_fragment_replies)
{
	start((const char *const[]){ "--dialect", "source", NULL });
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "--dialect=source", "--raw", "-c",
	    "sim chars 10000 ascii", "-c", "sim chars 5000 cjk", "-c", "sim echo end", NULL }, NULL);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert_eq(r.out_len, 10001 + 15001 + 4, "every fragment, nothing extra: %zu", r.out_len);
	cr_assert_eq(r.out[10000], '\n');
	const char *cjk = r.out + 10001;
	for (size_t i = 0; i < 15000; i += 3)
		cr_assert(memcmp(cjk + i, cjk, 3) == 0, "character %zu intact", i / 3);
	cr_assert_str_eq(r.out + 10001 + 15001, "end\n", "the mirror's trailer is not a reply");
	cr_assert_eq(mcsim_log_count(&sim, "sim chars 10000 ascii"), 1);
	cr_assert_eq(mcsim_log_count(&sim, "sim echo end"), 1);
	cli_result_free(&r);
}

Test(cli, read_only_on_a_source_server_refuses_a_semicolon)
{
	/* The Source console runs "help x;stop" as help, then stop: the
	 * allowlist's "help ?" must not carry a second command. */
	start((const char *const[]){ "--dialect", "source", NULL });
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "--dialect=source", "-r", "-c", "help x;stop",
	    NULL }, NULL);
	cr_assert_eq(r.status, 1, "stderr: %s", r.err);
	cr_assert(strstr(r.err, "'help x;stop' is not allowed in read-only mode"), "%s", r.err);
	cli_result_free(&r);
	cr_assert_eq(mcsim_log_count(&sim, "help x;stop"), 0, "it reached the server");
	/* The same words without one still pass. */
	cli_run_on(&r, &sim, 0, (const char *const[]){ "--dialect=source", "-r", "-c", "help list",
	    NULL }, NULL);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cli_result_free(&r);
}

Test(cli, interrupt_exits_130_with_only_whole_replies)
{
	/* The first command is answered, the second never is. */
	start((const char *const[]){ "--hang-after", "1", NULL });
	cli_bg b;
	cli_spawn_on(&b, &sim, 0, (const char *const[]){ "--timeout", "60", "-c", "sim echo first",
	    "-c", "sim echo second", "-c", "sim echo third", NULL });
	cr_assert_eq(mcsim_log_wait(&sim, "sim echo second", 1, 20000), 1, "second command sent");
	cr_assert_eq(kill(b.pid, SIGINT), 0);
	cli_result r;
	cli_bg_wait(&b, &r, 20000);
	cr_assert_eq(r.status, 130, "stderr: %s", r.err);
	cr_assert_str_eq(r.out, "first\n", "the answered reply, nothing partial");
	cr_assert(strstr(r.err, "interrupted: outcome of 'sim echo second' unknown; 1 command not sent"),
	    "%s", r.err);
	cli_assert_error_lines(r.err, "127.0.0.1");
	cr_assert_eq(mcsim_log_count(&sim, "sim echo third"), 0);
	cli_result_free(&r);
}

Test(cli, errors_name_the_server_and_quiet_keeps_them)
{
	start((const char *const[]){ "--garbage", NULL });
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-q", "-c", "list", NULL }, NULL);
	cr_assert_eq(r.status, 5);
	cr_assert_str_eq(r.out, "");
	cr_assert(strstr(r.err, "protocol error"), "%s", r.err);
	cli_assert_error_lines(r.err, "127.0.0.1");
	cli_result_free(&r);
	mcsim_stop(&sim);
	start(NULL);
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-q", "-r", "-c", "list", "-c", "op bob", NULL },
	    NULL);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert_str_eq(r.out, "", "-q prints no replies");
	cr_assert(strstr(r.err, "'op bob' is not allowed in read-only mode"), "%s", r.err);
	cli_assert_error_lines(r.err, "127.0.0.1");
	cli_result_free(&r);
	char hp[64];
	snprintf(hp, sizeof hp, "127.0.0.1:%d", sim.ports[0]);
	cli_run(&r, (const char *const[]){ "-H", hp, "-p", "nope", "-c", "list", NULL }, NULL, NULL);
	cr_assert_eq(r.status, 4, "%s", r.err);
	cli_assert_error_lines(r.err, hp);
	cli_result_free(&r);
	cr_assert_eq(mcsim_log_count(&sim, "op bob"), 0);
}

/* Returns true when this machine has an IPv6 loopback to bind to. */
static bool have_ipv6_loopback(void)
{
	int fd = socket(AF_INET6, SOCK_STREAM, 0);
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	bool ok = fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0;
	if (fd >= 0)
		close(fd);
	return ok;
}

Test(cli, ipv6_loopback)
{
	if (!have_ipv6_loopback())
		cr_skip_test("no IPv6 loopback on this machine");
	start((const char *const[]){ "--bind", "::1", NULL });
	char port[16];
	snprintf(port, sizeof port, "%d", sim.ports[0]);
	cli_result r;
	cli_run(&r, (const char *const[]){ "-H", "::1", "-P", port, "-p", MCSIM_PASSWORD, "-c", "list",
	    NULL }, NULL, NULL);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cli_result_free(&r);
	char hp[64];
	snprintf(hp, sizeof hp, "[::1]:%s", port);
	cli_run(&r, (const char *const[]){ "-H", hp, "-p", MCSIM_PASSWORD, "-c", "list", NULL },
	    NULL, NULL);
	cr_assert_eq(r.status, 0, "[::1]:port form: %s", r.err);
	cli_result_free(&r);
	cr_assert_eq(mcsim_log_count(&sim, "list"), 2);
}

/* Returns true when name resolves to both an IPv6 and an IPv4 address. */
static bool dual_stack(const char *name)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *ai, *p;
	if (getaddrinfo(name, "1", &hints, &ai) != 0)
		return false;
	bool v4 = false, v6 = false;
	for (p = ai; p; p = p->ai_next) {
		v4 |= p->ai_family == AF_INET;
		v6 |= p->ai_family == AF_INET6;
	}
	freeaddrinfo(ai);
	return v4 && v6;
}

/* The shell line that runs "$@" with dir/hosts bind-mounted over
 * /etc/hosts, in a private mount namespace ($0 is the hosts file). */
static const char hosts_sh[] = "mount --bind \"$0\" /etc/hosts && exec \"$@\"";

/* Returns true when this machine lets the test give rconsole its own
 * /etc/hosts (root and unshare(1) needed). */
static bool private_hosts_work(const char *hosts)
{
	const char *argv[] = { "unshare", "-m", "sh", "-c", hosts_sh, hosts, "true", NULL };
	int st = -1;
	return run_prog(argv, NULL, NULL, NULL, &st) == 0 && st == 0;
}

/* Every address of a name is tried, IPv6 and IPv4, in the order the
 * resolver gives: with the server on only one family, one of the two
 * connects is refused and the other must still be made. */
Test(cli, host_name_with_both_families_tries_every_address)
{
	static const char *binds[] = { "127.0.0.1", "::1" };
	const char *name = "localhost";
	char *hosts = NULL;
	if (!dual_stack("localhost")) {
		/* Give rconsole a name of both families in a private /etc/hosts. */
		start(NULL);
		hosts = cli_write_file(sim.dir, "hosts",
		    "::1 dual.rconsole.test\n127.0.0.1 dual.rconsole.test\n", 0644);
		bool ok = private_hosts_work(hosts);
		free(hosts);
		hosts = NULL;
		mcsim_stop(&sim);
		if (!ok)
			cr_skip_test("localhost is not dual-stack here and /etc/hosts cannot be replaced");
		name = "dual.rconsole.test";
	}
	for (int i = 0; i < 2; i++) {
		start((const char *const[]){ "--bind", binds[i], NULL });
		char port[16];
		snprintf(port, sizeof port, "%d", sim.ports[0]);
		cli_result r;
		const char *argv[] = { "unshare", "-m", "sh", "-c", hosts_sh, NULL, cli_prog(), "-H", name,
			"-P", port, "-p", MCSIM_PASSWORD, "-c", "list", NULL };
		if (strcmp(name, "localhost") != 0) {
			hosts = cli_write_file(sim.dir, "hosts",
			    "::1 dual.rconsole.test\n127.0.0.1 dual.rconsole.test\n", 0644);
			argv[5] = hosts;
			cli_run_argv(&r, argv, NULL, NULL);
		} else {
			cli_run_argv(&r, argv + 6, NULL, NULL);
		}
		cr_assert_eq(r.status, 0, "%s, server on %s only: %s", name, binds[i], r.err);
		cr_assert_eq(mcsim_log_count(&sim, "list"), 1);
		cli_result_free(&r);
		free(hosts);
		hosts = NULL;
		mcsim_stop(&sim);
	}
}

Test(cli, split_surrogate_pair_arrives_as_vanilla_sends_it)
{
	start(NULL);
	cli_result r;
	/* 'x' + 2048 emoji = 4097 UTF-16 units: vanilla's cut at 4096 units
	 * falls inside the last emoji, which arrives as '?' + '?'. */
	cli_run_on(&r, &sim, 0, (const char *const[]){ "--raw", "-c", "sim chars 4097 xemoji",
	    "-c", "sim chars 4096 emoji", NULL }, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	size_t first = 1 + 2047 * 4 + 2;
	cr_assert_eq(r.out_len, first + 1 + 2048 * 4 + 1, "%zu bytes", r.out_len);
	cr_assert_eq(r.out[0], 'x');
	for (size_t i = 1; i < first - 2; i += 4)
		cr_assert(memcmp(r.out + i, "\xf0\x9f\x98\x80", 4) == 0, "emoji at %zu intact", i);
	cr_assert(memcmp(r.out + first - 2, "??\n", 3) == 0, "the split pair, then the end");
	for (size_t i = first + 1; i < r.out_len - 1; i += 4)
		cr_assert(memcmp(r.out + i, "\xf0\x9f\x98\x80", 4) == 0, "emoji at %zu intact", i);
	cli_result_free(&r);
}

Test(cli, colour_output_on_request_and_stripped_otherwise)
{
	start(NULL);
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-c", "sim echo §cred§r plain", NULL }, NULL);
	cr_assert_str_eq(r.out, "red plain\n", "piped output has § codes stripped");
	cli_result_free(&r);
	cli_run_on(&r, &sim, 0, (const char *const[]){ "--color=always", "-c", "sim echo §cred§r plain",
	    NULL }, NULL);
	cr_assert(strstr(r.out, "\x1b["), "ANSI colour with --color=always: %s", r.out);
	cr_assert(strstr(r.out, "red"));
	cli_result_free(&r);
	cli_run_on(&r, &sim, 0, (const char *const[]){ "--raw", "-c", "sim echo §cred§r plain", NULL },
	    NULL);
	cr_assert_str_eq(r.out, "§cred§r plain\n", "--raw is byte-exact");
	cli_result_free(&r);
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-q", "-c", "list", NULL }, NULL);
	cr_assert_eq(r.status, 0);
	cr_assert_str_eq(r.out, "", "-q prints nothing");
	cli_result_free(&r);
	cli_run_on(&r, &sim, 0, (const char *const[]){ "--no-color", "-c", "sim echo §cred", NULL },
	    NULL);
	cr_assert_str_eq(r.out, "red\n", "--no-color");
	cli_result_free(&r);
}

/* Asserts that every ESC in s starts an SGR sequence: ESC [ digits/';' m. */
static void assert_only_sgr(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] != 0x1b)
			continue;
		cr_assert(i + 1 < len && s[i + 1] == '[', "ESC not followed by '[' at %zu", i);
		size_t j = i + 2;
		while (j < len && ((s[j] >= '0' && s[j] <= '9') || s[j] == ';'))
			j++;
		cr_assert(j < len && s[j] == 'm', "escape at %zu is not a colour: %.12s", i, s + i);
	}
}

Test(cli, hostile_reply_with_colour_keeps_only_our_escapes)
{
	start((const char *const[]){ "--hostile", NULL });
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "--color=always", "-c", "sim echo §chello", NULL },
	    NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "hello"), "%s", r.out);
	cr_assert(strstr(r.out, "\x1b["), "colour asked for: %s", r.out);
	assert_only_sgr(r.out, r.out_len);
	for (size_t i = 0; i < r.out_len; i++) {
		unsigned char ch = (unsigned char)r.out[i];
		cr_assert(ch >= 0x20 || ch == '\n' || ch == '\t' || ch == 0x1b, "control 0x%02x at %zu",
		    ch, i);
		cr_assert(ch != 0x7f);
	}
	cli_result_free(&r);
}

Test(cli, usage_errors_exit_2)
{
	cli_result r;
	cli_run(&r, (const char *const[]){ "--no-such-flag", NULL }, NULL, NULL);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "unknown option"), "%s", r.err);
	cli_result_free(&r);
	cli_run(&r, (const char *const[]){ "--color=purple", NULL }, NULL, NULL);
	cr_assert_eq(r.status, 2);
	cli_result_free(&r);
	cli_run(&r, (const char *const[]){ "-H", "127.0.0.1", "-P", "99999", "-p", "x", "-c", "list",
	    NULL }, NULL, NULL);
	cr_assert_eq(r.status, 2, "bad port: %s", r.err);
	cli_result_free(&r);
	/* A forgotten port value: -P must not swallow -c as its argument quietly. */
	cli_run(&r, (const char *const[]){ "-H", "127.0.0.1", "-P", "-c", "list", NULL }, NULL, NULL);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "-P takes a port number"), "names the real mistake: %s", r.err);
	cli_result_free(&r);
	cli_run(&r, (const char *const[]){ "--version", NULL }, NULL, NULL);
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "rconsole "));
	cli_result_free(&r);
}

/* A --timeout under a millisecond is refused: it became 0 ms, which the
 * connection reads as "the default", so 0.0004 s silently waited 10 s. */
Test(cli, a_timeout_under_a_millisecond_is_refused)
{
	cli_result r;
	cli_run(&r, (const char *const[]){ "--timeout", "0.0004", "-H", "127.0.0.1", "-P", "1", "-p",
	    "x", "-c", "list", NULL }, NULL, NULL);
	cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "--timeout: expected a number 0.001-86400 (seconds): 0.0004"), "%s",
	    r.err);
	cli_result_free(&r);
	cli_run(&r, (const char *const[]){ "--timeout", "0.001", "-H", "127.0.0.1", "-P", "1", "-p",
	    "x", "-c", "list", NULL }, NULL, NULL);
	cr_assert_eq(r.status, 3, "a millisecond is a timeout: exit %d: %s", r.status, r.err);
	cli_result_free(&r);
}

/* --timeout goes up to the limit a profile's timeout has, RC_TIMEOUT_MAX
 * seconds, and says so as the profile's error does. */
Test(cli, a_timeout_over_the_limit_is_refused_as_a_profile_s_is)
{
	cli_result r;
	cli_run(&r, (const char *const[]){ "--timeout", "86400.5", "-H", "127.0.0.1", "-P", "1", "-p",
	    "x", "-c", "list", NULL }, NULL, NULL);
	cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "--timeout: expected a number 0.001-86400 (seconds): 86400.5"), "%s",
	    r.err);
	cli_result_free(&r);
	cli_run(&r, (const char *const[]){ "--timeout", "86400", "-H", "127.0.0.1", "-P", "1", "-p",
	    "x", "-c", "list", NULL }, NULL, NULL);
	cr_assert_eq(r.status, 3, "the limit itself is taken: exit %d: %s", r.status, r.err);
	cli_result_free(&r);
}

/* At the limit the connect, login and command deadlines are a day ahead:
 * a command still runs as with the default (no deadline that wrapped
 * into the past, nothing that waits the day out), over a server that
 * answers late (--delay) so that every deadline is armed while it waits. */
Test(cli, a_timeout_of_a_day_still_runs_a_command)
{
	start((const char *const[]){ "--delay", "300", NULL });
	char port[16];
	snprintf(port, sizeof port, "%d", sim.ports[0]);
	cli_result r;
	cli_run(&r, (const char *const[]){ "--timeout", "86400", "-H", "127.0.0.1", "-P", port, "-p",
	    MCSIM_PASSWORD, "-c", "list", "-c", "seed", NULL }, NULL, NULL);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.out, "players online"), "%s", r.out);
	cr_assert(strstr(r.out, "Seed"), "%s", r.out);
	cli_result_free(&r);
}

/* Reads /proc/pid/cmdline into buf (NULs between arguments kept). */
static size_t read_cmdline(pid_t pid, char *buf, size_t cap)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

Test(cli, password_given_with_p_is_scrubbed_from_argv)
{
	/* mcsim never answers the command, so rconsole is still running while
	 * the test looks at its command line; SIGINT ends it afterwards. */
	start((const char *const[]){ "--hang-after", "0", "--password", "hunter2-secret", NULL });
	char port[16];
	snprintf(port, sizeof port, "%d", sim.ports[0]);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR);
		dup2(devnull, 0);
		dup2(devnull, 1);
		dup2(devnull, 2);
		signal(SIGINT, SIG_DFL);
		execl(cli_prog(), cli_prog(), "-H", "127.0.0.1", "-P", port, "-p", "hunter2-secret",
		    "--timeout", "60", "-c", "list", (char *)NULL);
		_exit(127);
	}
	/* The libtool wrapper (a shell script) execs the real program: wait
	 * until the process shows rconsole's own arguments, then look. */
	char buf[4096];
	bool seen = false, leaked = true;
	long long end = mcsim_now_ms() + 20000;
	while (mcsim_now_ms() < end && !seen) {
		size_t n = read_cmdline(pid, buf, sizeof buf);
		if (n && memmem(buf, n, "xxxxxxxxxxxxxx", 14)) {
			seen = true;
			leaked = memmem(buf, n, "hunter2", 7) != NULL;
		}
		mcsim_sleep_ms(20);
	}
	/* It logged in with the password and sent the command. */
	int sent = mcsim_log_wait(&sim, "list", 1, 20000);
	kill(pid, SIGINT);
	int status;
	waitpid(pid, &status, 0);
	cr_assert(seen, "the scrubbed argument showed up in /proc/%d/cmdline", (int)pid);
	cr_assert(!leaked, "the password is no longer visible to other users");
	cr_assert_eq(sent, 1, "and it still logged in");
	cr_assert_eq(mcsim_log_count(&sim, "#auth-failed"), 0);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 130, "status 0x%x", status);
}

/* A bad port or host taken from the environment names its variable: no flag
 * of the run holds 'abc'; before, "invalid port 'abc'" alone; found by the
 * QA helper. */
Test(cli, a_bad_port_or_host_from_the_environment_names_the_variable)
{
	cli_result r;
	cli_run(&r, (const char *const[]){ "-H", "127.0.0.1", "-c", "list", NULL },
	    (const char *const[]){ "RCON_PORT=abc", "RCON_PASSWORD=secret", NULL }, NULL);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "rconsole: invalid port 'abc' in RCON_PORT (a port number from 1 "
	    "to 65535; unset it or fix it)\n"), "%s", r.err);
	cli_result_free(&r);
	cli_run(&r, (const char *const[]){ "-H", "127.0.0.1", "-c", "list", NULL },
	    (const char *const[]){ "MCRCON_PORT=0", "RCON_PASSWORD=secret", NULL }, NULL);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "'0' in MCRCON_PORT"), "%s", r.err);
	cli_result_free(&r);
	cli_run(&r, (const char *const[]){ "-c", "list", NULL },
	    (const char *const[]){ "RCON_HOST=[::1", "RCON_PASSWORD=secret", NULL }, NULL);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "invalid host '[::1' in RCON_HOST"), "%s", r.err);
	cli_result_free(&r);
	/* -H's own text is a flag's: no variable is named. */
	cli_run(&r, (const char *const[]){ "-H", "[::1", "-c", "list", NULL },
	    (const char *const[]){ "RCON_PASSWORD=secret", NULL }, NULL);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert_null(strstr(r.err, "RCON_HOST"), "%s", r.err);
	cli_result_free(&r);
}

/* A password file the run cannot read names RCON_PASSWORD_FILE when that is
 * where it came from (no flag names the file), and an empty --password-file
 * is a usage error like an empty --config (before: "password file : No such
 * file or directory"); found by the QA helper. */
Test(cli, a_password_file_from_the_environment_is_named_as_such)
{
	cli_result r;
	cli_run(&r, (const char *const[]){ "-H", "127.0.0.1:1", "-c", "list", NULL },
	    (const char *const[]){ "RCON_PASSWORD_FILE=/nonexistent/qa-pw", NULL }, NULL);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "password file /nonexistent/qa-pw: No such file or directory "
	    "(the file RCON_PASSWORD_FILE names)\n"), "%s", r.err);
	cli_result_free(&r);
	cli_run(&r, (const char *const[]){ "-H", "127.0.0.1:1", "--password-file",
	    "/nonexistent/qa-pw", "-c", "list", NULL }, NULL, NULL);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "password file /nonexistent/qa-pw: No such file or directory\n"),
	    "the flag's own file: %s", r.err);
	cli_result_free(&r);
	cli_run(&r, (const char *const[]){ "-H", "127.0.0.1:1", "--password-file", "", "-c",
	    "list", NULL }, NULL, NULL);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "rconsole: --password-file takes a file name (it is empty)\n"),
	    "%s", r.err);
	cli_result_free(&r);
}
