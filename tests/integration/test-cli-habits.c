/* test-cli-habits.c: the command-line habits of issue 10 against spawned
 * mcsims over loopback: --tag and --all pick profiles, mcrcon's form (-H
 * with command words, -s, -t), --version, --config naming a missing file,
 * --list-profiles --names/--tags, --status and --players --json (checked by
 * python3), and the plain --status table (header only on a terminal, no
 * trailing spaces). */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli-util.h"

static mcsim a, b, c;

static void stop_all(void)
{
	mcsim_stop(&a);
	mcsim_stop(&b);
	mcsim_stop(&c);
}

TestSuite(habits, .fini = stop_all, .timeout = 120);

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

/* Starts a, b and c and writes a config: alpha and beta tagged prod, gamma
 * tagged test (beta also eu).  Returns the config path (malloc'd). */
static char *three_servers(void)
{
	cr_assert_eq(mcsim_start(&a, (const char *const[]){ "--players", "1", NULL }), 0);
	cr_assert_eq(mcsim_start(&b, (const char *const[]){ "--players", "2", NULL }), 0);
	cr_assert_eq(mcsim_start(&c, (const char *const[]){ "--players", "3", NULL }), 0);
	char text[1024];
	snprintf(text, sizeof text,
	    "servers = (\n"
	    "  { name = \"alpha\"; host = \"127.0.0.1\"; port = %d; password = \"secret\"; tags = [\"prod\"]; },\n"
	    "  { name = \"gamma\"; host = \"127.0.0.1\"; port = %d; password = \"secret\"; tags = [\"test\"]; },\n"
	    "  { name = \"beta\"; host = \"127.0.0.1\"; port = %d; password = \"secret\"; tags = [\"eu\", \"prod\"]; } );\n",
	    a.ports[0], c.ports[0], b.ports[0]);
	return cli_write_file(a.dir, "rconsole.conf", text, 0600);
}

Test(habits, tag_reaches_exactly_the_tagged_servers)
{
	char *cfg = three_servers();
	cli_result r;
	run_cfg(&r, cfg, (const char *const[]){ "--tag", "prod", "-c", "list", NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(mcsim_log_count(&a, "list"), 1, "alpha is tagged prod");
	cr_assert_eq(mcsim_log_count(&b, "list"), 1, "beta is tagged prod");
	cr_assert_eq(mcsim_log_count(&c, "list"), 0, "gamma is not");
	cr_assert_eq(cli_log_lines(&c), 0, "nothing at all reached gamma");
	cr_assert(strstr(r.out, "[alpha] There are 1 of") && strstr(r.out, "[beta] There are 2 of"),
	    "%s", r.out);
	cr_assert_null(strstr(r.out, "[gamma]"), "%s", r.out);
	cli_result_free(&r);

	/* Two tags are a union, each server once; a name adds to it. */
	run_cfg(&r, cfg, (const char *const[]){ "--tag", "prod", "--tag", "eu", "gamma", "-c",
	    "sim echo hi", NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(mcsim_log_count(&a, "sim echo hi"), 1);
	cr_assert_eq(mcsim_log_count(&b, "sim echo hi"), 1, "beta carries both tags, runs once");
	cr_assert_eq(mcsim_log_count(&c, "sim echo hi"), 1);
	cli_result_free(&r);

	/* A tag nobody carries is a usage error, and nothing is sent. */
	run_cfg(&r, cfg, (const char *const[]){ "--tag", "prd", "-c", "list", NULL });
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "no profile tagged 'prd'"), "%s", r.err);
	cr_assert_eq(mcsim_log_count(&a, "list") + mcsim_log_count(&b, "list"), 2, "no new list");
	cli_result_free(&r);
	free(cfg);
}

Test(habits, all_reaches_every_server_and_status_takes_tags)
{
	char *cfg = three_servers();
	cli_result r;
	run_cfg(&r, cfg, (const char *const[]){ "--all", "-c", "sim echo x", NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(mcsim_log_count(&a, "sim echo x"), 1);
	cr_assert_eq(mcsim_log_count(&b, "sim echo x"), 1);
	cr_assert_eq(mcsim_log_count(&c, "sim echo x"), 1);
	cli_result_free(&r);

	run_cfg(&r, cfg, (const char *const[]){ "--status", "--tag", "test", NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(cli_count(r.out, "\n"), 1, "only gamma: %s", r.out);
	cr_assert_eq(strncmp(r.out, "gamma ", 6), 0, "%s", r.out);
	cli_result_free(&r);

	/* --players over several servers prefixes each name with its server. */
	run_cfg(&r, cfg, (const char *const[]){ "--players", "--tag", "prod", NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(cli_count(r.out, "[alpha] "), 1, "%s", r.out);
	cr_assert_eq(cli_count(r.out, "[beta] "), 2, "%s", r.out);
	cr_assert_eq(cli_count(r.out, "\n"), 3, "%s", r.out);
	cli_result_free(&r);
	free(cfg);
}

Test(habits, mcrcon_form_sends_the_words_in_order)
{
	cr_assert_eq(mcsim_start(&a, NULL), 0);
	cli_result r;
	cli_run_on(&r, &a, 0, (const char *const[]){ "say hi", "list", NULL }, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	char *log = mcsim_log(&a);
	cr_assert_str_eq(log, "say hi\nlist\n", "both words, in order, nothing else");
	free(log);
	cr_assert(strstr(r.out, "There are 0 of a max of 20 players online"), "%s", r.out);
	cli_result_free(&r);

	/* -s is -q: the commands still run, nothing is printed. */
	cli_run_on(&r, &a, 0, (const char *const[]){ "-s", "sim echo quiet", NULL }, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "");
	cr_assert_eq(mcsim_log_count(&a, "sim echo quiet"), 1);
	cli_result_free(&r);

	/* -t is the console: it cannot be given commands as well. */
	cli_run_on(&r, &a, 0, (const char *const[]){ "-t", "list", NULL }, NULL);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cli_result_free(&r);
	cr_assert_eq(mcsim_log_count(&a, "list"), 1, "the refused line sent nothing");
}

/* mcrcon's words and -c together are refused (exit 2), nothing sent: getopt
 * moved the words after every -c ("-H h 'say word' -c 'say dash'" sent
 * "say dash" first), and a profile name before -H ("rconsole lobby -H h -c
 * list") was sent to the server as a command; found by the QA helper. */
Test(habits, mcrcon_words_and_dash_c_together_are_refused)
{
	cr_assert_eq(mcsim_start(&a, NULL), 0);
	cli_result r;
	cli_run_on(&r, &a, 0, (const char *const[]){ "say word", "-c", "say dash", NULL }, NULL);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "-c and command words cannot be combined"), "%s", r.err);
	cr_assert(strstr(r.err, ": say word\n"), "names the word: %s", r.err);
	cli_result_free(&r);
	cli_run_on(&r, &a, 0, (const char *const[]){ "lobby", "-c", "list", NULL }, NULL);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cli_result_free(&r);
	cli_run_on(&r, &a, 0, (const char *const[]){ "-c", "-", "stop", NULL }, "list\n");
	cr_assert_eq(r.status, 2, "%s", r.err);
	cli_result_free(&r);
	cr_assert_eq(cli_log_lines(&a), 0, "nothing was sent");
	/* Each form alone still works. */
	cli_run_on(&r, &a, 0, (const char *const[]){ "-c", "say dash", "-c", "list", NULL }, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	cr_assert_eq(cli_log_lines(&a), 2);
}

Test(habits, version_names_the_libraries)
{
	cli_result r;
	cli_run(&r, (const char *const[]){ "-v", NULL }, NULL, NULL);
	cr_assert_eq(r.status, 0);
	cr_assert_eq(strncmp(r.out, "rconsole " PACKAGE_VERSION "\n", strlen(PACKAGE_VERSION) + 10), 0,
	    "%s", r.out);
	cr_assert(strstr(r.out, "\nlibrconsole " PACKAGE_VERSION "\n"), "%s", r.out);
	cr_assert(strstr(r.out, "\nncurses "), "%s", r.out);
	cr_assert(strstr(r.out, "\nlibconfig 1."), "%s", r.out);
	char *first = strdup(r.out);
	cli_result_free(&r);
	cli_run(&r, (const char *const[]){ "--version", NULL }, NULL, NULL);
	cr_assert_str_eq(r.out, first, "-v and --version agree");
	free(first);
	cli_result_free(&r);
}

Test(habits, config_naming_a_missing_file_is_exit_2)
{
	cli_result r;
	cli_run(&r, (const char *const[]){ "--config", "/nonexistent/rconsole.conf", "--list-profiles",
	    NULL }, NULL, NULL);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "/nonexistent/rconsole.conf: no such configuration file"), "%s", r.err);
	cli_result_free(&r);
	cli_run(&r, (const char *const[]){ "--config", "/nonexistent/rconsole.conf", "--status", NULL },
	    NULL, NULL);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cli_result_free(&r);
	/* The default path missing is fine: an empty list. */
	cr_assert_eq(mcsim_start(&a, NULL), 0);
	char home[400], xdg[400];
	snprintf(home, sizeof home, "HOME=%s", a.dir);
	snprintf(xdg, sizeof xdg, "XDG_CONFIG_HOME=%s/none", a.dir);
	cli_run(&r, (const char *const[]){ "--list-profiles", NULL },
	    (const char *const[]){ home, xdg, NULL }, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "");
	cli_result_free(&r);
}

Test(habits, list_profiles_names_and_tags)
{
	cr_assert_eq(mcsim_start(&a, NULL), 0);
	char *cfg = cli_write_file(a.dir, "rconsole.conf",
	    "servers = ( { name = \"one\"; host = \"h1\"; tags = [\"prod\", \"eu\"]; },\n"
	    "  { name = \"two\"; host = \"h2\"; tags = [\"eu\", \"test\"]; },\n"
	    "  { name = \"three\"; host = \"h3\"; } );\n", 0600);
	cli_result r;
	run_cfg(&r, cfg, (const char *const[]){ "--list-profiles", "--names", NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "one\ntwo\nthree\n");
	cli_result_free(&r);
	run_cfg(&r, cfg, (const char *const[]){ "--list-profiles", "--tags", NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "prod\neu\ntest\n", "each tag once, in the file's order");
	cli_result_free(&r);
	run_cfg(&r, cfg, (const char *const[]){ "--names", NULL });
	cr_assert_eq(r.status, 2, "--names alone is a usage error");
	cli_result_free(&r);
	free(cfg);
}

/* Tags match without case, as the console's :tag matches them: `--tag PROD`
 * reaches the profiles tagged prod and Prod, and --tags lists that tag once,
 * as first spelt.  (--tag was byte-exact, so it missed servers :tag hit.) */
Test(habits, tag_matches_without_case_as_the_console_does)
{
	cr_assert_eq(mcsim_start(&a, NULL), 0);
	cr_assert_eq(mcsim_start(&b, NULL), 0);
	cr_assert_eq(mcsim_start(&c, NULL), 0);
	char text[1024];
	snprintf(text, sizeof text,
	    "servers = (\n"
	    "  { name = \"one\"; host = \"127.0.0.1\"; port = %d; password = \"secret\"; tags = [\"prod\"]; },\n"
	    "  { name = \"two\"; host = \"127.0.0.1\"; port = %d; password = \"secret\"; tags = [\"Prod\", \"EU\"]; },\n"
	    "  { name = \"three\"; host = \"127.0.0.1\"; port = %d; password = \"secret\"; tags = [\"eu\"]; } );\n",
	    a.ports[0], b.ports[0], c.ports[0]);
	char *cfg = cli_write_file(a.dir, "rconsole.conf", text, 0600);
	cli_result r;
	run_cfg(&r, cfg, (const char *const[]){ "--tag", "PROD", "-c", "list", NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(mcsim_log_count(&a, "list"), 1, "prod is PROD");
	cr_assert_eq(mcsim_log_count(&b, "list"), 1, "Prod is PROD");
	cr_assert_eq(mcsim_log_count(&c, "list"), 0, "three is not tagged prod");
	cli_result_free(&r);
	run_cfg(&r, cfg, (const char *const[]){ "--list-profiles", "--tags", NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "prod\nEU\n", "each tag once, as first spelt");
	cli_result_free(&r);
	free(cfg);
}

/* --tags over a fleet: 6,000 profiles of three tags each out of 1,000
 * distinct ones (repeats within and across profiles): every tag once, in
 * the order it first appears.  The listing was quadratic in the number of
 * profiles; it is a hash now (tests/bench/bench-profiles times it). */
Test(habits, list_profiles_tags_many_profiles)
{
	enum { N = 6000, TAGS = 1000 };
	cr_assert_eq(mcsim_start(&a, NULL), 0);
	size_t cap = (size_t)N * 100 + 64, len = 0;
	char *text = malloc(cap), *want = malloc((size_t)TAGS * 16 + 1);
	bool *seen = calloc(TAGS, sizeof *seen);
	cr_assert(text && want && seen);
	len += (size_t)snprintf(text + len, cap - len, "servers = (\n");
	size_t wlen = 0;
	for (int i = 0; i < N; i++) {
		/* A tag repeated in one profile, a tag shared with far profiles. */
		int t[3] = { (i * 7) % TAGS, (i * 7) % TAGS, (i / 6) % TAGS };
		len += (size_t)snprintf(text + len, cap - len,
		    "{ name = \"s%d\"; host = \"h\"; tags = [\"T%d\", \"T%d\", \"T%d\"]; }%s\n",
		    i, t[0], t[1], t[2], i + 1 < N ? "," : "");
		for (int k = 0; k < 3; k++)
			if (!seen[t[k]]) {
				seen[t[k]] = true;
				wlen += (size_t)sprintf(want + wlen, "T%d\n", t[k]);
			}
	}
	len += (size_t)snprintf(text + len, cap - len, ");\n");
	char *cfg = cli_write_file(a.dir, "rconsole.conf", text, 0600);
	cli_result r;
	run_cfg(&r, cfg, (const char *const[]){ "--list-profiles", "--tags", NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(strlen(r.out), wlen);
	cr_assert(strcmp(r.out, want) == 0, "tags differ from the file's first-seen order");
	cli_result_free(&r);
	free(cfg);
	free(text);
	free(want);
	free(seen);
}

/* Writes a config of an up, a down and a wrong-password server (and a
 * read-only one) into a's directory; returns its path. */
static char *status_config(void)
{
	cr_assert_eq(mcsim_start(&a, (const char *const[]){ "--players", "3", NULL }), 0);
	cr_assert_eq(mcsim_start(&b, NULL), 0);
	cr_assert_eq(mcsim_start(&c, NULL), 0);
	int dead = c.ports[0];
	mcsim_stop(&c);
	char text[1024];
	snprintf(text, sizeof text,
	    "servers = ( { name = \"up\"; host = \"127.0.0.1\"; port = %d; password = \"secret\";\n"
	    "    read_only = true; },\n"
	    "  { name = \"down\"; host = \"127.0.0.1\"; port = %d; password = \"secret\"; timeout = 3; },\n"
	    "  { name = \"badpw\"; host = \"127.0.0.1\"; port = %d; password = \"nope\"; } );\n",
	    a.ports[0], dead, b.ports[0]);
	return cli_write_file(a.dir, "rconsole.conf", text, 0600);
}

/* Runs python3 with a script and a file argument; returns its exit status,
 * its output in *out (malloc'd). */
static int python(const char *script, const char *file, char **out)
{
	const char *argv[] = { "python3", "-c", script, file, NULL };
	char *err = NULL;
	int st = -1;
	cr_assert_eq(run_prog(argv, NULL, out, &err, &st), 0, "python3 did not run");
	if (st)
		cr_log_error("python3: %s", err);
	free(err);
	return st;
}

Test(habits, status_json_up_down_and_wrong_password)
{
	char *cfg = status_config();
	cli_result r;
	run_cfg(&r, cfg, (const char *const[]){ "--status", "--json", NULL });
	cr_assert_eq(r.status, 4, "the exit code is the plain --status one: %s", r.err);
	cr_assert_eq(cli_count(r.out, "\n"), 1, "one document: %s", r.out);
	char *doc = cli_write_file(a.dir, "status.json", r.out, 0600);

	/* json.tool accepts it... */
	const char *argv[] = { "python3", "-m", "json.tool", doc, NULL };
	char *out = NULL, *err = NULL;
	int st = -1;
	cr_assert_eq(run_prog(argv, NULL, &out, &err, &st), 0);
	cr_assert_eq(st, 0, "python3 -m json.tool: %s\n%s", err, r.out);
	free(out);
	free(err);

	/* ...and it holds the fields, with the right types and values. */
	static const char check[] =
	    "import json, sys\n"
	    "d = json.load(open(sys.argv[1]))\n"
	    "s = {x['name']: x for x in d['servers']}\n"
	    "assert list(s) == ['up', 'down', 'badpw'], list(s)\n"
	    "keys = {'name', 'state', 'state_detail', 'players', 'max', 'rtt_ms', 'read_only', 'error',\n"
	    "        'cleartext_warning', 'names'}\n"
	    "for x in s.values(): assert set(x) == keys and x['state_detail'] is None, x\n"
	    "u = s['up']\n"
	    "assert u['state'] == 'up' and u['players'] == 3 and u['max'] == 20, u\n"
	    "assert isinstance(u['rtt_ms'], (int, float)) and u['rtt_ms'] >= 0, u\n"
	    "assert u['read_only'] is True and u['error'] is None, u\n"
	    "assert isinstance(u['names'], list) and len(u['names']) == 3, u\n"
	    "dn = s['down']\n"
	    "assert dn['state'] == 'down' and dn['players'] is None and dn['max'] is None, dn\n"
	    "assert dn['rtt_ms'] is None and dn['read_only'] is False, dn\n"
	    "assert 'could not connect' in dn['error'], dn\n"
	    "bp = s['badpw']\n"
	    "assert bp['state'] == 'auth-failed' and bp['players'] is None, bp\n"
	    "assert 'authentication failed' in bp['error'], bp\n"
	    "print('ok')\n";
	cr_assert_eq(python(check, doc, &out), 0, "%s", r.out);
	cr_assert_str_eq(out, "ok\n");
	free(out);
	free(doc);
	cli_result_free(&r);

	/* --players --json: the same document for one server. */
	run_cfg(&r, cfg, (const char *const[]){ "--players", "--json", "up", NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	doc = cli_write_file(a.dir, "players.json", r.out, 0600);
	static const char check_players[] =
	    "import json, sys\n"
	    "d = json.load(open(sys.argv[1]))\n"
	    "[u] = d['servers']\n"
	    "assert u['name'] == 'up' and u['players'] == 3 and len(u['names']) == 3, u\n"
	    "print('\\n'.join(u['names']))\n";
	cr_assert_eq(python(check_players, doc, &out), 0, "%s", r.out);
	cli_result_free(&r);
	run_cfg(&r, cfg, (const char *const[]){ "--players", "up", NULL });
	cr_assert_str_eq(out, r.out, "the same names as plain --players");
	free(out);
	free(doc);
	cli_result_free(&r);
	free(cfg);
}

Test(habits, json_strings_are_escaped_and_sanitised)
{
	/* Player names carrying a quote, a backslash and invalid UTF-8 (names
	 * with control characters make the list unparsed: the unit test of
	 * json.c covers those). */
	cr_assert_eq(mcsim_start(&b, NULL), 0);   /* b's directory holds the file */
	char *players = cli_write_file(b.dir, "players.txt",
	    "Al\"ice\nB\\ob\nEve\nBad\xff\xfe\n", 0600);
	cr_assert_eq(mcsim_start(&a, (const char *const[]){ "--players", players, NULL }), 0);
	char text[512];
	snprintf(text, sizeof text, "servers = ( { name = \"s\"; host = \"127.0.0.1\"; port = %d; "
	    "password = \"secret\"; } );\n", a.ports[0]);
	char *cfg = cli_write_file(a.dir, "rconsole.conf", text, 0600);
	cli_result r;
	run_cfg(&r, cfg, (const char *const[]){ "--status", "--json", NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_null(memchr(r.out, '\x1b', r.out_len), "no raw ESC in the document: %s", r.out);
	char *doc = cli_write_file(a.dir, "status.json", r.out, 0600);
	static const char check[] =
	    "import json, sys\n"
	    "raw = open(sys.argv[1], 'rb').read()\n"
	    "raw.decode('utf-8')\n"
	    "d = json.loads(raw)\n"
	    "n = d['servers'][0]['names']\n"
	    "assert n[0] == 'Al\"ice' and n[1] == 'B\\\\ob', n\n"
	    "assert all(ord(ch) >= 0x20 and not 0x7f <= ord(ch) <= 0x9f for x in n for ch in x), n\n"
	    "assert n[2] == 'Eve', n\n"
	    "assert n[3].startswith('Bad') and '\\ufffd' in n[3], n\n"
	    "print('ok')\n";
	char *out = NULL;
	cr_assert_eq(python(check, doc, &out), 0, "%s", r.out);
	free(out);
	free(doc);
	cli_result_free(&r);
	free(cfg);
	free(players);
}

/* Returns true when some line of s ends in a space. */
static bool trailing_space(const char *s)
{
	for (const char *p = s; (p = strchr(p, '\n')); p++)
		if (p > s && (p[-1] == ' ' || (p[-1] == '\r' && p - 1 > s && p[-2] == ' ')))
			return true;
	return false;
}

Test(habits, plain_status_header_only_on_a_terminal)
{
	char *cfg = status_config();
	cli_result r;
	run_cfg(&r, cfg, (const char *const[]){ "--status", NULL });
	cr_assert_eq(cli_count(r.out, "\n"), 3, "no header into a pipe: %s", r.out);
	cr_assert_null(strstr(r.out, "NAME"), "%s", r.out);
	cr_assert_not(trailing_space(r.out), "no trailing spaces: [%s]", r.out);
	cli_result_free(&r);

	/* On a terminal (script(1) gives it a pty) the first line is a header. */
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "'%s' --config '%s' --status", cli_prog(), cfg);
	const char *argv[] = { "script", "-qec", cmd, "/dev/null", NULL };
	char *out = NULL, *err = NULL;
	int st = -1;
	cr_assert_eq(run_prog(argv, NULL, &out, &err, &st), 0);
	cr_assert_eq(st, 4, "%s %s", out, err);
	cr_assert_eq(strncmp(out, "NAME ", 5), 0, "a header line first: %s", out);
	cr_assert(strstr(out, " STATE ") && strstr(out, " PLAYERS ") && strstr(out, " RTT\r\n"),
	    "%s", out);
	cr_assert_eq(cli_count(out, "\n"), 4, "%s", out);
	cr_assert_not(trailing_space(out), "no trailing spaces: [%s]", out);
	free(out);
	free(err);
	free(cfg);
}

/* Long replies from several servers at once never interleave: each line is
 * one server's, whole, behind its label (a single server streams; several
 * write each reply whole). */
Test(habits, long_replies_of_several_servers_keep_their_lines_whole)
{
	char *cfg = three_servers();
	cli_result r;
	run_cfg(&r, cfg, (const char *const[]){ "--all", "-c", "sim chars 30000 ascii", NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(cli_count(r.out, "\n"), 3, "one line per server");
	const char *names[] = { "[alpha] ", "[beta] ", "[gamma] " };
	for (const char *line = r.out; *line;) {
		const char *nl = strchr(line, '\n');
		cr_assert_not_null(nl);
		size_t len = (size_t)(nl - line), lab = 0;
		for (size_t i = 0; i < 3; i++)
			if (!strncmp(line, names[i], strlen(names[i])))
				lab = strlen(names[i]);
		cr_assert_gt(lab, 0, "a label starts every line");
		cr_assert_eq(len - lab, 30000, "the whole reply on its line (%zu)", len - lab);
		cr_assert_null(memchr(line + lab, '[', len - lab), "no other label inside it");
		line = nl + 1;
	}
	cli_result_free(&r);
	free(cfg);
}

/* --list-profiles and --check-config read the whole file: a selection is
 * refused (exit 2), not ignored; before, "--list-profiles --names --tag
 * prod" printed every profile, so a script looping over "the prod servers"
 * reached all of them; found by the QA helper.  An exported RCON_HOST is
 * no selection. */
Test(habits, list_profiles_and_check_config_refuse_a_selection)
{
	cr_assert_eq(mcsim_start(&a, NULL), 0);
	char *cfg = cli_write_file(a.dir, "rconsole.conf",
	    "servers = ( { name = \"one\"; host = \"h1\"; tags = [\"prod\"]; },\n"
	    "  { name = \"two\"; host = \"h2\"; tags = [\"test\"]; } );\n", 0600);
	static const char *const sels[][3] = {
		{ "--tag", "prod", NULL }, { "one", NULL }, { "--all", NULL }, { "-H", "h1", NULL },
	};
	for (size_t i = 0; i < sizeof sels / sizeof sels[0]; i++) {
		for (int m = 0; m < 2; m++) {
			const char *args[8] = { m ? "--check-config" : "--list-profiles" };
			size_t n = 1;
			if (!m)
				args[n++] = "--names";
			for (size_t k = 0; sels[i][k]; k++)
				args[n++] = sels[i][k];
			cli_result r;
			run_cfg(&r, cfg, args);
			cr_assert_eq(r.status, 2, "%s %s: %d %s", args[0], sels[i][0], r.status, r.err);
			cr_assert_str_eq(r.out, "", "%s %s: nothing listed", args[0], sels[i][0]);
			cr_assert(strstr(r.err, "it takes no profile names, --tag, --all or -H"),
			    "%s", r.err);
			cli_result_free(&r);
		}
	}
	cli_result r;
	const char *argv[] = { "--config", cfg, "--list-profiles", "--names", NULL };
	cli_run(&r, argv, (const char *const[]){ "RCON_HOST=h9", NULL }, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "one\ntwo\n");
	cli_result_free(&r);
	free(cfg);
}
