/* test-cli-profiles.c: the command line on saved profiles — several servers
 * in parallel, --status, --players, --check-config, --list-profiles. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli-util.h"

static mcsim a, b, c;

static void stop_all(void)
{
	mcsim_stop(&a);
	mcsim_stop(&b);
	mcsim_stop(&c);
}

TestSuite(profiles, .fini = stop_all, .timeout = 120);

/* Writes a config into m's directory (mode 0600) and returns its path. */
static char *write_config(const mcsim *m, const char *text)
{
	return cli_write_file(m->dir, "rconsole.conf", text, 0600);
}

/* Runs rconsole --config cfg with args. */
static void run_cfg(cli_result *r, const char *cfg, const char *const *args)
{
	const char *argv[32] = { "--config", cfg };
	size_t n = 2;
	for (size_t i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	cli_run(r, argv, NULL, NULL);
}

Test(profiles, two_profiles_run_in_parallel_with_prefixes)
{
	cr_assert_eq(mcsim_start(&a, (const char *const[]){ "--players", "2", NULL }), 0);
	cr_assert_eq(mcsim_start(&b, (const char *const[]){ "--players", "5", "--list-format",
	    "essentials", NULL }), 0);
	char text[1024];
	snprintf(text, sizeof text,
	    "servers = ( { name = \"alpha\"; host = \"127.0.0.1\"; port = %d; password = \"secret\"; },\n"
	    "            { name = \"beta\"; host = \"127.0.0.1\"; port = %d; password = \"secret\"; } );\n",
	    a.ports[0], b.ports[0]);
	char *cfg = write_config(&a, text);
	cli_result r;
	run_cfg(&r, cfg, (const char *const[]){ "alpha", "beta", "-c", "list", "-c", "sim echo done",
	    NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "[alpha] There are 2 of a max of 20 players online: "), "%s", r.out);
	cr_assert(strstr(r.out, "[beta] There are 5 out of maximum 20 players online.\n[beta] default: "),
	    "every line of a multi-line reply is prefixed: %s", r.out);
	cr_assert(strstr(r.out, "[alpha] done\n") && strstr(r.out, "[beta] done\n"), "%s", r.out);
	cr_assert_lt(strstr(r.out, "[alpha] There"), strstr(r.out, "[alpha] done"), "in order per server");
	cr_assert_eq(mcsim_log_count(&a, "list"), 1);
	cr_assert_eq(mcsim_log_count(&b, "list"), 1);
	cli_result_free(&r);
	free(cfg);
}

Test(profiles, status_up_down_and_wrong_password)
{
	cr_assert_eq(mcsim_start(&a, (const char *const[]){ "--players", "3", NULL }), 0);
	cr_assert_eq(mcsim_start(&b, NULL), 0);
	cr_assert_eq(mcsim_start(&c, NULL), 0);
	int dead = c.ports[0];
	mcsim_stop(&c);
	char text[1024];
	snprintf(text, sizeof text,
	    "servers = ( { name = \"up\"; host = \"127.0.0.1\"; port = %d; password = \"secret\"; },\n"
	    "  { name = \"down\"; host = \"127.0.0.1\"; port = %d; password = \"secret\"; timeout = 3; },\n"
	    "  { name = \"badpw\"; host = \"127.0.0.1\"; port = %d; password = \"nope\"; } );\n",
	    a.ports[0], dead, b.ports[0]);
	char *cfg = write_config(&a, text);
	cli_result r;
	run_cfg(&r, cfg, (const char *const[]){ "--status", NULL });
	cr_assert_eq(r.status, 4, "highest code wins (auth 4 > connect 3): %s", r.err);
	cr_assert_eq(cli_count(r.out, "\n"), 3, "one line per server: %s", r.out);
	char *up = strstr(r.out, "up ");
	cr_assert(up && strstr(up, "3/20") && strstr(up, "ms"), "%s", r.out);
	char *down = strstr(r.out, "down");
	cr_assert(down && strstr(down, "down"), "%s", r.out);
	cr_assert(strstr(r.out, "badpw") && strstr(r.out, "auth-failed"), "%s", r.out);
	cli_result_free(&r);
	run_cfg(&r, cfg, (const char *const[]){ "--status", "up", NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(cli_count(r.out, "\n"), 1);
	cli_result_free(&r);
	free(cfg);
}

struct players_case {
	const char *format;
	const char *n;
};

Test(profiles, players_in_every_list_format)
{
	static const struct players_case cases[] = {
		{ "modern", "4" }, { "legacy", "4" }, { "essentials", "4" }, { "modern", "0" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cr_assert_eq(mcsim_start(&a, (const char *const[]){ "--list-format", cases[i].format,
		    "--players", cases[i].n, "--seed", "3", NULL }), 0);
		/* The names mcsim has online, straight from the server. */
		rcon_test *t = rcon_test_connect(NULL, a.ports[0]);
		cr_assert_eq(rcon_test_auth(t, MCSIM_PASSWORD), 1);
		char *names = rcon_test_exec(t, "sim names", NULL, NULL);
		cr_assert_not_null(names);
		rcon_test_close(t);
		char text[512];
		snprintf(text, sizeof text,
		    "servers = ( { name = \"s\"; host = \"127.0.0.1\"; port = %d; password = \"secret\"; } );\n",
		    a.ports[0]);
		char *cfg = write_config(&a, text);
		cli_result r;
		run_cfg(&r, cfg, (const char *const[]){ "--players", "s", NULL });
		cr_assert_eq(r.status, 0, "%s: %s", cases[i].format, r.err);
		cr_assert_str_eq(r.out, names, "%s: one name per line", cases[i].format);
		cr_assert_eq(cli_count(r.out, "\n"), atoi(cases[i].n));
		cli_result_free(&r);
		free(names);
		free(cfg);
		mcsim_stop(&a);
	}
}

Test(profiles, check_config_and_list_profiles)
{
	cr_assert_eq(mcsim_start(&a, NULL), 0);
	char *cfg = write_config(&a,
	    "refresh = 3;\n"
	    "servers = ( { name = \"one\"; host = \"10.0.0.1\"; tags = [\"prod\"]; password = \"x\"; },\n"
	    "            { name = \"two\"; host = \"::1\"; port = 25576; read_only = true; password = \"x\"; } );\n");
	cli_result r;
	run_cfg(&r, cfg, (const char *const[]){ "--check-config", NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "2 profiles"), "%s", r.out);
	cli_result_free(&r);
	run_cfg(&r, cfg, (const char *const[]){ "--list-profiles", NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "one") && strstr(r.out, "10.0.0.1:25575") && strstr(r.out, "prod"),
	    "%s", r.out);
	cr_assert(strstr(r.out, "[::1]:25576") && strstr(r.out, "read-only"), "%s", r.out);
	cli_result_free(&r);
	free(cfg);
	cfg = write_config(&a, "servers = ( { name = \"one\"; host = 5; } );\n");
	run_cfg(&r, cfg, (const char *const[]){ "--check-config", NULL });
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "rconsole.conf:1") && strstr(r.err, "host"), "file, line and key: %s",
	    r.err);
	cli_result_free(&r);
	free(cfg);
	/* An inline password in a file others can read is refused with the fix. */
	cfg = cli_write_file(a.dir, "open.conf",
	    "servers = ( { name = \"one\"; host = \"h\"; password = \"x\"; } );\n", 0644);
	run_cfg(&r, cfg, (const char *const[]){ "--check-config", NULL });
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "chmod 600"), "%s", r.err);
	cli_result_free(&r);
	free(cfg);
}

Test(profiles, unknown_profile_is_a_usage_error)
{
	cr_assert_eq(mcsim_start(&a, NULL), 0);
	char *cfg = write_config(&a, "servers = ( );\n");
	cli_result r;
	run_cfg(&r, cfg, (const char *const[]){ "nosuch", "-c", "list", NULL });
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "nosuch"), "%s", r.err);
	cli_result_free(&r);
	free(cfg);
}
