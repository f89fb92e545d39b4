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

/* Returns the line of out that starts with the word name, or NULL. */
static const char *status_line(const char *out, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = out; p; ) {
		if (strncmp(p, name, n) == 0 && p[n] == ' ')
			return p;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

Test(profiles, a_slow_server_does_not_hold_up_the_others)
{
	/* slow answers everything (its login too) 0.9 s late; fast at once.
	 * Run one after the other, slow's replies would be printed first (under
	 * the 1 s quiet interval, so no probe slows it down further). */
	cr_assert_eq(mcsim_start(&a, (const char *const[]){ "--delay", "900", NULL }), 0);
	cr_assert_eq(mcsim_start(&b, NULL), 0);
	char text[1024];
	snprintf(text, sizeof text,
	    "servers = ( { name = \"slow\"; host = \"127.0.0.1\"; port = %d; password = \"secret\"; },\n"
	    "            { name = \"fast\"; host = \"127.0.0.1\"; port = %d; password = \"secret\"; } );\n",
	    a.ports[0], b.ports[0]);
	char *cfg = write_config(&a, text);
	cli_result r;
	run_cfg(&r, cfg, (const char *const[]){ "slow", "fast", "-c", "sim echo one", "-c",
	    "sim echo two", NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "[fast] one\n[fast] two\n[slow] one\n[slow] two\n",
	    "in parallel across servers, in order within each");
	cli_result_free(&r);
	free(cfg);
}

/* --status shows one failure a server: for a connection lost after `list`
 * went out, the cause its end gives, not "connection lost" (mcsim
 * --garbage: "outcome unknown: connection lost after 'list' was sent"
 * before, which says nothing of the garbage). */
Test(profiles, status_says_why_a_connection_was_lost)
{
	cr_assert_eq(mcsim_start(&a, (const char *const[]){ "--garbage", NULL }), 0);
	char text[512];
	snprintf(text, sizeof text,
	    "servers = ( { name = \"junk\"; host = \"127.0.0.1\"; port = %d; password = \"secret\"; } );\n",
	    a.ports[0]);
	char *cfg = write_config(&a, text);
	cli_result r;
	run_cfg(&r, cfg, (const char *const[]){ "--status", NULL });
	cr_assert_eq(r.status, 5, "%s", r.err);
	const char *line = status_line(r.out, "junk");
	cr_assert_not_null(line, "%s", r.out);
	cr_assert(strstr(line, "error") && strstr(line, "protocol error: packet length below 10"),
	    "%s", line);
	cr_assert_null(strstr(r.out, "connection lost"), "%s", r.out);
	cli_result_free(&r);
	run_cfg(&r, cfg, (const char *const[]){ "--status", "--json", NULL });
	cr_assert(strstr(r.out, "\"error\":\"protocol error: packet length below 10\""), "%s", r.out);
	cli_result_free(&r);
	cr_assert_eq(mcsim_log_count(&a, "list"), 2, "once a run");
	/* -q: the exit status alone (a health check in a script), the cause
	 * still on stderr. */
	run_cfg(&r, cfg, (const char *const[]){ "--status", "-q", NULL });
	cr_assert_eq(r.status, 5, "%s", r.err);
	cr_assert_str_eq(r.out, "");
	cli_result_free(&r);
	run_cfg(&r, cfg, (const char *const[]){ "--players", "--json", "-q", "junk", NULL });
	cr_assert_eq(r.status, 5, "%s", r.err);
	cr_assert_str_eq(r.out, "");
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
	    "  { name = \"badpw\"; host = \"127.0.0.1\"; port = %d; password = \"nope\"; },\n"
	    "  { name = \"ro\"; host = \"127.0.0.1\"; port = %d; password = \"secret\";\n"
	    "    read_only = true; readonly_allow = [ \"seed\" ]; } );\n",
	    a.ports[0], dead, b.ports[0], b.ports[0]);
	char *cfg = write_config(&a, text);
	cli_result r;
	run_cfg(&r, cfg, (const char *const[]){ "--status", NULL });
	cr_assert_eq(r.status, 4, "highest code wins (auth 4 > connect 3): %s", r.err);
	cr_assert_eq(cli_count(r.out, "\n"), 4, "one line per server: %s", r.out);
	/* Columns: name, state, players/max, round trip; a reason when down. */
	char name[32], state[32], players[32], rtt[32];
	int ms = -1;
	const char *line = status_line(r.out, "up");
	cr_assert_not_null(line, "%s", r.out);
	cr_assert_eq(sscanf(line, "%31s %31s %31s %31s", name, state, players, rtt), 4, "%s", line);
	cr_assert_str_eq(name, "up");
	cr_assert_str_eq(state, "up");
	cr_assert_str_eq(players, "3/20");
	cr_assert(sscanf(rtt, "%dms", &ms) == 1 && ms >= 0, "round trip in ms: %s", rtt);
	line = status_line(r.out, "down");
	cr_assert_not_null(line, "%s", r.out);
	cr_assert_eq(sscanf(line, "%31s %31s %31s %31s", name, state, players, rtt), 4, "%s", line);
	cr_assert_str_eq(state, "down");
	cr_assert_str_eq(players, "-");
	cr_assert(strstr(line, "could not connect") < strchr(line, '\n'), "reason on the line: %s", line);
	line = status_line(r.out, "badpw");
	cr_assert(line && sscanf(line, "%31s %31s", name, state) == 2, "%s", r.out);
	cr_assert_str_eq(state, "auth-failed");
	line = status_line(r.out, "ro");
	cr_assert(line && sscanf(line, "%31s %31s", name, state) == 2, "%s", r.out);
	cr_assert_str_eq(state, "error");
	cr_assert(strstr(line, "read-only") && strstr(line, "read-only") < strchr(line, '\n'),
	    "a refused list command says why: %s", line);
	cr_assert_eq(mcsim_log_count(&b, "list"), 0);
	cli_result_free(&r);
	run_cfg(&r, cfg, (const char *const[]){ "--status", "up", NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(cli_count(r.out, "\n"), 1);
	cli_result_free(&r);
	free(cfg);
}

/* A server that takes the connection and never answers the login is not
 * down as one that refuses it is: something listens there (a server
 * starting or stuck, another service on the port).  Both are exit 3
 * (DESIGN.md: could not connect, a timeout) and both keep the state word
 * "down" that scripts test for; the finer word is the JSON field
 * state_detail and leads the plain line's reason.  Both said "down" with
 * no detail once; then the state word itself became "login-timeout",
 * which broke a script testing state == "down". */
Test(profiles, status_tells_a_login_with_no_answer_from_a_refused_connection)
{
	cr_assert_eq(mcsim_start(&a, (const char *const[]){ "--auth-reply", "silent", NULL }), 0);
	cr_assert_eq(mcsim_start(&c, NULL), 0);
	int dead = c.ports[0];
	mcsim_stop(&c);
	char text[512];
	snprintf(text, sizeof text,
	    "servers = ( { name = \"mute\"; host = \"127.0.0.1\"; port = %d; password = \"secret\"; },\n"
	    "  { name = \"gone\"; host = \"127.0.0.1\"; port = %d; password = \"secret\"; },\n"
	    "  { name = \"tunnel\"; host = \"127.0.0.1\"; port = %d; password = \"secret\";\n"
	    "    proxy_command = \"sleep 30\"; } );\n",
	    a.ports[0], dead, dead);
	char *cfg = write_config(&a, text);
	cli_result r;
	run_cfg(&r, cfg, (const char *const[]){ "--status", "--timeout", "1", NULL });
	cr_assert_eq(r.status, 3, "exit 3 for both: %s", r.err);
	char name[32], state[32], players[32], rtt[32];
	const char *line = status_line(r.out, "mute");
	cr_assert(line && sscanf(line, "%31s %31s %31s %31s", name, state, players, rtt) == 4,
	    "%s", r.out);
	cr_assert_str_eq(state, "down", "%s", r.out);
	cr_assert(strstr(line, "  login-timeout: timed out: no answer to the login within 1 s\n"),
	    "%s", line);
	line = status_line(r.out, "gone");
	cr_assert(line && sscanf(line, "%31s %31s", name, state) == 2, "%s", r.out);
	cr_assert_str_eq(state, "down", "%s", r.out);
	/* Through a tunnel the login's wait covers the tunnel's setup (a proxy
	 * that never connects): nothing says a server took a connection. */
	const char *tun = status_line(r.out, "tunnel");
	cr_assert(tun && sscanf(tun, "%31s %31s", name, state) == 2, "%s", r.out);
	cr_assert_str_eq(state, "down", "%s", r.out);
	cr_assert_null(strstr(line, "login-timeout"), "%s", r.out);
	cr_assert_null(strstr(tun, "login-timeout"), "%s", r.out);
	/* The state column is as wide as before the detail existed. */
	const char *mute = status_line(r.out, "mute");
	cr_assert_eq(strstr(mute, " - ") - mute, strstr(line, " - ") - line, "%s", r.out);
	cr_assert_eq(strstr(mute, " - ") - mute, 16 + 1 + 12, "%s", r.out);
	cli_result_free(&r);
	run_cfg(&r, cfg, (const char *const[]){ "--status", "--json", "--timeout", "1", NULL });
	cr_assert_eq(r.status, 3, "%s", r.err);
	cr_assert(strstr(r.out,
	    "{\"name\":\"mute\",\"state\":\"down\",\"state_detail\":\"login-timeout\","),
	    "%s", r.out);
	cr_assert(strstr(r.out, "{\"name\":\"gone\",\"state\":\"down\",\"state_detail\":null,"),
	    "%s", r.out);
	cr_assert(strstr(r.out, "{\"name\":\"tunnel\",\"state\":\"down\",\"state_detail\":null,"),
	    "%s", r.out);
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
	/* Columns line up past 16 characters of name and whatever the host. */
	cfg = write_config(&a,
	    "servers = ( { name = \"one\"; host = \"10.0.0.1\"; tags = [\"prod\"]; password = \"x\"; },\n"
	    "  { name = \"a-profile-name-of-28-letters\"; host = \"mc.example.org\"; password = \"x\"; },\n"
	    "  { name = \"mid\"; host = \"::1\"; port = 25576; read_only = true; password = \"x\"; } );\n");
	run_cfg(&r, cfg, (const char *const[]){ "--list-profiles", NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out,
	    "one                          10.0.0.1:25575        tags=prod\n"
	    "a-profile-name-of-28-letters mc.example.org:25575\n"
	    "mid                          [::1]:25576           read-only\n");
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

Test(profiles, read_only_profile_refuses_op_and_its_allowlist_lets_more_through)
{
	cr_assert_eq(mcsim_start(&a, NULL), 0);
	char text[1024];
	snprintf(text, sizeof text,
	    "servers = ( { name = \"ro\"; host = \"127.0.0.1\"; port = %d; password = \"secret\";\n"
	    "              read_only = true; },\n"
	    "            { name = \"ro2\"; host = \"127.0.0.1\"; port = %d; password = \"secret\";\n"
	    "              read_only = true; readonly_allow = [ \"sim echo *\", \"seed\" ]; } );\n",
	    a.ports[0], a.ports[0]);
	char *cfg = write_config(&a, text);
	cli_result r;
	run_cfg(&r, cfg, (const char *const[]){ "ro", "-c", "op bob", NULL });
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert(strstr(r.err, "rconsole: ro: refused: 'op bob' is not allowed in read-only mode"),
	    "%s", r.err);
	cli_result_free(&r);
	char *log = mcsim_log(&a);
	cr_assert_str_eq(log, "", "nothing reached the server");
	free(log);
	run_cfg(&r, cfg, (const char *const[]){ "ro", "-c", "list", "-c", "sim echo no", NULL });
	cr_assert_eq(r.status, 1, "the default list has list, not sim echo: %s", r.err);
	cr_assert(strstr(r.out, "players online"), "%s", r.out);
	cli_result_free(&r);
	/* readonly_allow lets its own entries through (and replaces the default
	 * list, as data/rconsole.conf.example documents). */
	run_cfg(&r, cfg, (const char *const[]){ "ro2", "-c", "sim echo allowed words", "-c", "seed",
	    "-c", "op bob", NULL });
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert(strstr(r.out, "allowed words\n"), "%s", r.out);
	cr_assert(strstr(r.err, "'op bob' is not allowed"), "%s", r.err);
	cli_result_free(&r);
	/* -r cannot loosen a profile, and nothing turns read-only off. */
	run_cfg(&r, cfg, (const char *const[]){ "-r", "ro2", "-c", "list", NULL });
	cr_assert_eq(r.status, 1, "%s", r.err);
	cli_result_free(&r);
	cr_assert_eq(mcsim_log_count(&a, "op bob"), 0);
	cr_assert_eq(mcsim_log_count(&a, "list"), 1);
	cr_assert_eq(mcsim_log_count(&a, "sim echo no"), 0);
	cr_assert_eq(mcsim_log_count(&a, "sim echo allowed words"), 1);
	free(cfg);
}

/* The audit's case: a profile that is not read-only itself, with a wide
 * readonly_allow, run with --read-only.  The flag can only narrow: the list
 * in force is the intersection with the default, so "op *" allows nothing
 * and "time query *" only the default's three forms. */
Test(profiles, read_only_flag_intersects_the_profile_allowlist_with_the_default)
{
	cr_assert_eq(mcsim_start(&a, NULL), 0);
	char text[1024];
	snprintf(text, sizeof text,
	    "servers = ( { name = \"wide\"; host = \"127.0.0.1\"; port = %d; password = \"secret\";\n"
	    "              readonly_allow = [ \"op *\", \"list\", \"time query *\" ]; } );\n",
	    a.ports[0]);
	char *cfg = write_config(&a, text);
	cli_result r;
	run_cfg(&r, cfg, (const char *const[]){ "--read-only", "wide", "-c", "op bob", "-c", "op",
	    "-c", "list", "-c", "time query day", "-c", "time query nonsense", "-c", "seed", NULL });
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert(strstr(r.err, "'op bob' is not allowed in read-only mode"), "%s", r.err);
	cr_assert(strstr(r.err, "'op' is not allowed in read-only mode"), "%s", r.err);
	cr_assert(strstr(r.err, "'time query nonsense' is not allowed"), "%s", r.err);
	cr_assert(strstr(r.err, "'seed' is not allowed"), "seed is not in the profile's list: %s",
	    r.err);
	cr_assert(strstr(r.out, "players online"), "%s", r.out);
	cr_assert(strstr(r.err, "rconsole: wide: warning: --read-only: readonly_allow entry 'op *' is "
	    "outside the default allowlist and allows nothing\n"), "%s", r.err);
	cr_assert_eq(cli_count(r.err, "warning: --read-only"), 1, "list and time query * are kept: %s",
	    r.err);
	cli_result_free(&r);
	/* --readonly and -r are the same flag. */
	run_cfg(&r, cfg, (const char *const[]){ "-r", "wide", "-c", "op alice", NULL });
	cr_assert_eq(r.status, 1, "%s", r.err);
	cli_result_free(&r);
	/* Without the flag the profile is read-write and op goes through. */
	run_cfg(&r, cfg, (const char *const[]){ "wide", "-c", "op carol", NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	cr_assert_eq(mcsim_log_count(&a, "op bob"), 0, "op never reached mcsim");
	cr_assert_eq(mcsim_log_count(&a, "op"), 0);
	cr_assert_eq(mcsim_log_count(&a, "op alice"), 0);
	cr_assert_eq(mcsim_log_count(&a, "op carol"), 1);
	cr_assert_eq(mcsim_log_count(&a, "list"), 1);
	cr_assert_eq(mcsim_log_count(&a, "time query day"), 1);
	cr_assert_eq(mcsim_log_count(&a, "time query nonsense"), 0);
	cr_assert_eq(mcsim_log_count(&a, "seed"), 0);
	free(cfg);
}

Test(profiles, players_on_an_unknown_list_shape_is_exit_5_with_the_reply_defused)
{
	cr_assert_eq(mcsim_start(&a, (const char *const[]){ "--players", "3", NULL }), 0);
	/* The "list" reply is ESC [2J followed by "no list here". */
	char text[1024];
	snprintf(text, sizeof text,
	    "servers = ( { name = \"odd\"; host = \"127.0.0.1\"; port = %d; password = \"secret\";\n"
	    "              list_command = \"sim bytes 1b5b324a6e6f206c69737420686572650a\"; } );\n",
	    a.ports[0]);
	char *cfg = write_config(&a, text);
	cli_result r;
	run_cfg(&r, cfg, (const char *const[]){ "--players", "odd", NULL });
	cr_assert_eq(r.status, 5, "%s", r.err);
	cr_assert_str_eq(r.out, "", "no names invented");
	cr_assert(strstr(r.err, "rconsole: odd: ") && strstr(r.err, "no list here"), "raw reply shown: %s",
	    r.err);
	cr_assert_null(memchr(r.err, 0x1b, strlen(r.err)), "escape defused: %s", r.err);
	cr_assert_eq(cli_count(r.err, "\n"), 1, "one line: %s", r.err);
	cli_result_free(&r);
	run_cfg(&r, cfg, (const char *const[]){ "--status", "odd", NULL });
	cr_assert_eq(r.status, 0, "--status: the server is up: %s", r.err);
	cr_assert(strstr(r.out, "odd ") && strstr(r.out, " up ") && strstr(r.out, " ? "), "%s", r.out);
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

Test(profiles, a_missing_password_file_is_one_status_line_not_the_end_of_all)
{
	/* A monitoring job over every profile must still report the servers it
	 * can reach when one profile's password file is gone. */
	cr_assert_eq(mcsim_start(&a, (const char *const[]){ "--players", "2", NULL }), 0);
	char text[1024];
	snprintf(text, sizeof text,
	    "servers = ( { name = \"up\"; host = \"127.0.0.1\"; port = %d; password = \"secret\"; },\n"
	    "  { name = \"nopass\"; host = \"127.0.0.1\"; port = %d;\n"
	    "    password_file = \"%s/missing.pass\"; } );\n",
	    a.ports[0], a.ports[0], a.dir);
	char *cfg = write_config(&a, text);
	cli_result r;
	run_cfg(&r, cfg, (const char *const[]){ "--status", NULL });
	cr_assert_eq(r.status, 2, "the configuration error is the highest code: %s", r.err);
	cr_assert_eq(cli_count(r.out, "\n"), 2, "one line per server: %s", r.out);
	char name[32], state[32], players[32];
	const char *line = status_line(r.out, "up");
	cr_assert(line && sscanf(line, "%31s %31s %31s", name, state, players) == 3, "%s", r.out);
	cr_assert_str_eq(state, "up");
	cr_assert_str_eq(players, "2/20");
	line = status_line(r.out, "nopass");
	cr_assert(line && sscanf(line, "%31s %31s", name, state) == 2, "%s", r.out);
	cr_assert_str_eq(state, "config-error");
	cr_assert(strstr(line, "missing.pass") && strstr(line, "missing.pass") < strchr(line, '\n'),
	    "the reason is on its line: %s", line);
	cr_assert_eq(mcsim_log_count(&a, "list"), 1, "only the good profile was asked");
	cli_result_free(&r);
	/* -c still stops before sending anything, naming the profile once. */
	run_cfg(&r, cfg, (const char *const[]){ "up", "nopass", "-c", "list", NULL });
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "rconsole: nopass: password file"), "%s", r.err);
	cr_assert_null(strstr(r.err, "nopass: nopass:"), "the profile named twice: %s", r.err);
	cr_assert_eq(mcsim_log_count(&a, "list"), 1, "nothing sent");
	cli_result_free(&r);
	/* --check-config says where the profile is written. */
	run_cfg(&r, cfg, (const char *const[]){ "--check-config", NULL });
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "rconsole.conf:2: nopass: password file"), "file and line: %s", r.err);
	cli_result_free(&r);
	free(cfg);
}

/* -H with no --config reads no configuration: one-shot start-up does no
 * libconfig work when no profile is asked for (flags > env > profile, and
 * there is no profile), so even a file that would not parse is not opened;
 * naming it with --config still reports it. */
Test(profiles, host_without_config_reads_no_configuration)
{
	cr_assert_eq(mcsim_start(&a, NULL), 0);
	char *bad = cli_write_file(a.dir, "broken.conf", "servers = ( { name = \"x\"; \n", 0600);
	char env[400];
	snprintf(env, sizeof env, "RCONSOLE_CONFIG=%s", bad);
	char *pw = cli_write_file(a.dir, "pw", MCSIM_PASSWORD "\n", 0600);
	char port[16];
	snprintf(port, sizeof port, "%d", a.ports[0]);
	cli_result r;
	cli_run(&r, (const char *const[]){ "-H", "127.0.0.1", "-P", port, "--password-file", pw,
	    "-c", "sim echo hi", NULL }, (const char *const[]){ env, NULL }, NULL);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert_str_eq(r.out, "hi\n");
	cr_assert_str_empty(r.err);
	cli_result_free(&r);
	cli_run(&r, (const char *const[]){ "--config", bad, "-H", "127.0.0.1", "-P", port,
	    "--password-file", pw, "-c", "sim echo hi", NULL }, NULL, NULL);
	cr_assert_eq(r.status, 2, "a named file that does not parse is an error");
	cr_assert_eq(mcsim_log_count(&a, "sim echo hi"), 1);
	cli_result_free(&r);
	free(pw);
	free(bad);
}
