/* test-cli.c: the one-shot command line against a spawned mcsim over real
 * loopback TCP: replies, exit codes, faults, read-only, limits, IPv6. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <netdb.h>
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

Test(cli, ipv6_loopback)
{
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

/* Returns true when localhost resolves to both an IPv6 and an IPv4 address. */
static bool localhost_dual_stack(void)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *ai, *p;
	if (getaddrinfo("localhost", "1", &hints, &ai) != 0)
		return false;
	bool v4 = false, v6 = false;
	for (p = ai; p; p = p->ai_next) {
		v4 |= p->ai_family == AF_INET;
		v6 |= p->ai_family == AF_INET6;
	}
	freeaddrinfo(ai);
	return v4 && v6;
}

Test(cli, host_name_with_both_families_tries_every_address)
{
	if (!localhost_dual_stack())
		cr_skip_test("localhost does not resolve to both ::1 and 127.0.0.1 here");
	static const char *binds[] = { "127.0.0.1", "::1" };
	for (int i = 0; i < 2; i++) {
		start((const char *const[]){ "--bind", binds[i], NULL });
		char port[16];
		snprintf(port, sizeof port, "%d", sim.ports[0]);
		cli_result r;
		cli_run(&r, (const char *const[]){ "-H", "localhost", "-P", port, "-p", MCSIM_PASSWORD,
		    "-c", "list", NULL }, NULL, NULL);
		cr_assert_eq(r.status, 0, "bound to %s: %s", binds[i], r.err);
		cr_assert_eq(mcsim_log_count(&sim, "list"), 1);
		cli_result_free(&r);
		mcsim_stop(&sim);
	}
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
	cli_run(&r, (const char *const[]){ "--version", NULL }, NULL, NULL);
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "rconsole "));
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
	/* mcsim holds every reply 3 s, so rconsole is still waiting for the
	 * auth reply while the test looks at its command line. */
	start((const char *const[]){ "--delay", "3000", "--password", "hunter2-secret", NULL });
	char port[16];
	snprintf(port, sizeof port, "%d", sim.ports[0]);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR);
		dup2(devnull, 0);
		dup2(devnull, 1);
		dup2(devnull, 2);
		execl(cli_prog(), cli_prog(), "-H", "127.0.0.1", "-P", port, "-p", "hunter2-secret",
		    "-c", "list", (char *)NULL);
		_exit(127);
	}
	/* The libtool wrapper (a shell script) execs the real program: wait
	 * until the process shows rconsole's own arguments, then look. */
	char buf[4096];
	bool seen = false, leaked = true;
	long long end = mcsim_now_ms() + 2500;
	while (mcsim_now_ms() < end && !seen) {
		size_t n = read_cmdline(pid, buf, sizeof buf);
		if (n && memmem(buf, n, "xxxxxxxxxxxxxx", 14)) {
			seen = true;
			leaked = memmem(buf, n, "hunter2", 7) != NULL;
		}
		mcsim_sleep_ms(20);
	}
	int status;
	waitpid(pid, &status, 0);
	cr_assert(seen, "the scrubbed argument showed up in /proc/%d/cmdline", (int)pid);
	cr_assert(!leaked, "the password is no longer visible to other users");
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "and it still logged in (status 0x%x)",
	    status);
}
