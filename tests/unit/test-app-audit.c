/* test-app-audit.c: the audit log's record format, file names, outcomes,
 * the audit switches and the writer (append-only, 0600/0700, rotation,
 * refusal of non-regular files), and the clear-text warning's rules. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../support/files.h"
#include "app/app-audit.h"
#include "app/app-cleartext.h"

static char dir[64];

/* Makes a private state directory for a writer test. */
static void setup_dir(void)
{
	snprintf(dir, sizeof dir, "/tmp/rconsole-audit-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	chmod(dir, 0700);
}

/* Removes it. */
static void teardown_dir(void)
{
	cr_assert_eq(files_remove_tree(dir), 0, "%s", dir);
}

/* Formats r with TZ=UTC and returns the line (caller frees). */
static char *fmt(const app_audit_record *r)
{
	setenv("TZ", "UTC", 1);
	tzset();
	size_t len = 0;
	char *s = app_audit_format(r, &len);
	cr_assert_not_null(s);
	cr_assert_eq(len, strlen(s));
	return s;
}

Test(audit_format, answered_with_reply_first_line)
{
	const char reply[] = "Banned Griefer: griefing\nsecond line";
	app_audit_record r = { .when = 1764628805, .user = "alice", .server = "survival",
		.origin = APP_AUDIT_CONSOLE, .cmd = "ban Griefer griefing",
		.outcome = APP_AUDIT_ANSWERED, .reply = reply, .reply_len = sizeof reply - 1 };
	char *s = fmt(&r);
	cr_assert_str_eq(s, "2025-12-01T22:40:05+00:00 user=alice server=survival origin=console "
	    "outcome=answered bytes=36 cmd=\"ban Griefer griefing\" "
	    "reply=\"Banned Griefer: griefing\"\n");
	free(s);
}

Test(audit_format, outcomes_and_reasons)
{
	app_audit_record r = { .when = 0, .user = "bob", .server = "lobby",
		.origin = APP_AUDIT_BROADCAST, .cmd = "op Mallory", .outcome = APP_AUDIT_REFUSED,
		.reason = "refused: read-only mode" };
	char *s = fmt(&r);
	cr_assert_str_eq(s, "1970-01-01T00:00:00+00:00 user=bob server=lobby origin=broadcast "
	    "outcome=refused cmd=\"op Mallory\" reason=\"refused: read-only mode\"\n");
	free(s);
	r.outcome = APP_AUDIT_UNKNOWN;
	r.origin = APP_AUDIT_ACTION;
	r.reason = NULL;
	s = fmt(&r);
	cr_assert(strstr(s, " origin=action outcome=\"outcome unknown\" cmd=\"op Mallory\"\n"), "%s", s);
	cr_assert_null(strstr(s, "bytes="));
	free(s);
	r.outcome = APP_AUDIT_NOT_SENT;
	r.origin = APP_AUDIT_ONESHOT;
	s = fmt(&r);
	cr_assert(strstr(s, " origin=oneshot outcome=\"not sent\" "), "%s", s);
	free(s);
}

Test(audit_format, escapes_make_one_safe_line)
{
	/* ESC, a C1 control, invalid UTF-8, quote and backslash: all escaped. */
	const char reply[] = "\n\x1b[31mred\xc2\x9b \xff\"q\\ \xc3\xa9t\xc3\xa9\r\nnext";
	app_audit_record r = { .when = 0, .user = "u", .server = "[::1]:25575",
		.origin = APP_AUDIT_ONESHOT, .cmd = "say \x1b]0;x\x07 \"hi\"",
		.outcome = APP_AUDIT_ANSWERED, .reply = reply, .reply_len = sizeof reply - 1 };
	char *s = fmt(&r);
	cr_assert_str_eq(s, "1970-01-01T00:00:00+00:00 user=u server=\"[::1]:25575\" origin=oneshot "
	    "outcome=answered bytes=28 cmd=\"say \\x1B]0;x\\x07 \\\"hi\\\"\" "
	    "reply=\"\\x1B[31mred\\xC2\\x9B \\xFF\\\"q\\\\ \xc3\xa9t\xc3\xa9\"\n");
	for (const char *p = s; *p; p++)
		cr_assert((unsigned char)*p >= 0x20 || (*p == '\n' && p[1] == '\0'), "control in %s", s);
	free(s);
}

Test(audit_format, long_reply_is_cut_at_a_character)
{
	char reply[600];
	memset(reply, 'a', sizeof reply);
	memcpy(reply + 198, "\xc3\xa9", 2);   /* a 2-byte character across byte 200 */
	reply[199] = (char)0xa9;
	app_audit_record r = { .when = 0, .user = "u", .server = "s", .cmd = "help",
		.outcome = APP_AUDIT_ANSWERED, .reply = reply, .reply_len = sizeof reply };
	char *s = fmt(&r);
	const char *q = strstr(s, "reply=\"");
	cr_assert_not_null(q);
	q += 7;
	const char *end = strstr(q, "\"...\n");
	cr_assert_not_null(end, "%s", s);
	cr_assert_leq((size_t)(end - q), 200);
	cr_assert(strstr(s, " bytes=600 "));
	free(s);
}

Test(audit_format, empty_reply_has_size_and_no_reply_field)
{
	app_audit_record r = { .when = 0, .user = "u", .server = "s", .cmd = "say hi",
		.outcome = APP_AUDIT_ANSWERED };
	char *s = fmt(&r);
	cr_assert(strstr(s, " bytes=0 cmd=\"say hi\"\n"), "%s", s);
	free(s);
}

struct name_case {
	const char *server;
	const char *file;
};

static const struct name_case name_cases[] = {
		{ "survival", "survival.log" },
		{ "web+1@x", "web%2B1%40x.log" },
		{ "[::1]:25575", "%5B%3A%3A1%5D%3A25575.log" },
		{ "10.0.0.5:25575", "10.0.0.5%3A25575.log" },
		{ "..", "%2E..log" },
		{ "a/b", "a%2Fb.log" },
		{ "", "_.log" },
};

Test(audit_name, maps)
{
	for (size_t i = 0; i < sizeof name_cases / sizeof name_cases[0]; i++) {
		const struct name_case *c = &name_cases[i];
		char *f = app_audit_file_name(c->server);
		cr_assert_str_eq(f, c->file, "%s", c->server);
		cr_assert_null(strchr(f, '/'));
		free(f);
	}
}

Test(audit_outcome, from_statuses)
{
	cr_assert_eq(app_audit_outcome_of(0), APP_AUDIT_ANSWERED);
	cr_assert_eq(app_audit_outcome_of(RC_ELOST), APP_AUDIT_UNKNOWN);
	cr_assert_eq(app_audit_outcome_of(RC_ETIMEOUT), APP_AUDIT_UNKNOWN);
	cr_assert_eq(app_audit_outcome_of(RC_ENOTSENT), APP_AUDIT_NOT_SENT);
	cr_assert_eq(app_audit_outcome_of(RC_EREADONLY), APP_AUDIT_REFUSED);
	cr_assert_eq(app_audit_refusal_of(RC_EREADONLY), APP_AUDIT_REFUSED);
	cr_assert_eq(app_audit_refusal_of(RC_ETOOLONG), APP_AUDIT_REFUSED);
	cr_assert_eq(app_audit_refusal_of(RC_EINVAL), APP_AUDIT_REFUSED);
	cr_assert_eq(app_audit_refusal_of(RC_ENOTREADY), APP_AUDIT_NOT_SENT);
}

Test(audit_enabled, profile_wins_over_global)
{
	rc_config *cfg = rc_config_new(NULL);
	rc_profile p;
	rc_profile_init(&p);
	size_t max = 0;
	cr_assert(app_audit_enabled(cfg, &p, &max));
	cr_assert_eq(max, 1024 * 1024);
	cfg->audit = false;
	cfg->audit_max_kb = 8;
	cr_assert_not(app_audit_enabled(cfg, &p, &max));
	cr_assert_eq(max, 8 * 1024);
	p.audit = RC_PROFILE_ON;
	p.audit_max_kb = 2;
	cr_assert(app_audit_enabled(cfg, &p, &max));
	cr_assert_eq(max, 2 * 1024);
	cfg->audit = true;
	p.audit = RC_PROFILE_OFF;
	cr_assert_not(app_audit_enabled(cfg, &p, &max));
	rc_profile zero;
	memset(&zero, 0, sizeof zero);    /* a zeroed profile (-H) follows the global */
	cr_assert(app_audit_enabled(cfg, &zero, NULL));
	rc_config_free(cfg);
}

Test(audit_writer, appends_with_modes, .init = setup_dir, .fini = teardown_dir)
{
	char why[700], state[128], path[256];
	snprintf(state, sizeof state, "%s/state", dir);
	app_audit *au = app_audit_new(state, "lobby", 0, why, sizeof why);
	cr_assert_not_null(au, "%s", why);
	struct stat st;
	cr_assert_neq(stat(state, &st), 0, "nothing is created before the first record");
	cr_assert_eq(app_audit_write(au, 0, APP_AUDIT_CONSOLE, "say one", APP_AUDIT_ANSWERED, NULL,
	    "", 0), 0);
	cr_assert_eq(app_audit_write(au, 0, APP_AUDIT_CONSOLE, "say two", APP_AUDIT_ANSWERED, NULL,
	    "ok", 2), 0);
	snprintf(path, sizeof path, "%s/log/lobby.log", state);
	cr_assert_str_eq(app_audit_path(au), path);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	cr_assert_eq(stat(state, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0700);
	snprintf(path, sizeof path, "%s/log", state);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0700);
	char *text = files_read(app_audit_path(au), NULL);
	char *one = strstr(text, "cmd=\"say one\"\n");
	char *two = strstr(text, "cmd=\"say two\" reply=ok\n");
	cr_assert(one && two && one < two, "%s", text);
	free(text);
	cr_assert_null(app_audit_new_error(au));
	app_audit_free(au);
}

Test(audit_writer, rotates_keeping_one, .init = setup_dir, .fini = teardown_dir)
{
	char why[700], path[256];
	app_audit *au = app_audit_new(dir, "s", 1024, why, sizeof why);
	cr_assert_not_null(au, "%s", why);
	for (int i = 0; i < 60; i++) {
		char cmd[64];
		snprintf(cmd, sizeof cmd, "say number %d of the rotation test", i);
		cr_assert_eq(app_audit_write(au, 0, APP_AUDIT_ONESHOT, cmd, APP_AUDIT_ANSWERED, NULL,
		    NULL, 0), 0);
	}
	struct stat st;
	cr_assert_eq(stat(app_audit_path(au), &st), 0);
	cr_assert_leq(st.st_size, 1024);
	snprintf(path, sizeof path, "%s.1", app_audit_path(au));
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_leq(st.st_size, 1024);
	snprintf(path, sizeof path, "%s.2", app_audit_path(au));
	cr_assert_neq(stat(path, &st), 0);
	char *text = files_read(app_audit_path(au), NULL);
	cr_assert(strstr(text, "number 59 of"), "%s", text);
	free(text);
	app_audit_free(au);
}

Test(audit_writer, refuses_a_fifo_and_says_once, .init = setup_dir, .fini = teardown_dir)
{
	char why[700], path[256];
	snprintf(path, sizeof path, "%s/log", dir);
	cr_assert_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/log/f.log", dir);
	cr_assert_eq(mkfifo(path, 0600), 0);
	app_audit *au = app_audit_new(dir, "f", 0, why, sizeof why);
	cr_assert_not_null(au);
	/* A FIFO without a reader: open fails at once (O_NONBLOCK), never hangs. */
	cr_assert_eq(app_audit_write(au, 0, APP_AUDIT_CONSOLE, "x", APP_AUDIT_ANSWERED, NULL, NULL,
	    0), RC_EIO);
	const char *e = app_audit_new_error(au);
	cr_assert_not_null(e);
	cr_assert(strstr(e, path), "%s", e);
	cr_assert_eq(app_audit_write(au, 0, APP_AUDIT_CONSOLE, "y", APP_AUDIT_ANSWERED, NULL, NULL,
	    0), RC_EIO);
	cr_assert_null(app_audit_new_error(au), "said once per run of failures");
	/* With a reader the FIFO opens, and is refused as not a regular file. */
	int rd = open(path, O_RDONLY | O_NONBLOCK);
	cr_assert_geq(rd, 0);
	cr_assert_eq(app_audit_write(au, 0, APP_AUDIT_CONSOLE, "z", APP_AUDIT_ANSWERED, NULL, NULL,
	    0), RC_EIO);
	char buf[64];
	cr_assert_leq(read(rd, buf, sizeof buf), 0, "nothing was written into the FIFO");
	close(rd);
	app_audit_free(au);
}

Test(audit_writer, refuses_a_group_writable_state_dir, .init = setup_dir, .fini = teardown_dir)
{
	char why[700];
	cr_assert_eq(chmod(dir, 0770), 0);
	app_audit *au = app_audit_new(dir, "s", 0, why, sizeof why);
	cr_assert_null(au);
	cr_assert(strstr(why, "writable by group or others"), "%s", why);
}

/* Counts the descriptors this process has open. */
static int open_fds(void)
{
	int n = 0;
	DIR *d = opendir("/proc/self/fd");
	cr_assert_not_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

Test(audit_writer, kept_open_rotates_and_follows_the_path, .init = setup_dir,
    .fini = teardown_dir)
{
	char why[700], path[256];
	app_audit *au = app_audit_new(dir, "k", 1024, why, sizeof why);
	cr_assert_not_null(au, "%s", why);
	int before = open_fds();
	app_audit_keep_open(au, true);
	for (int i = 0; i < 60; i++) {
		char cmd[64];
		snprintf(cmd, sizeof cmd, "say number %d of the kept-open test", i);
		cr_assert_eq(app_audit_write(au, 0, APP_AUDIT_ONESHOT, cmd, APP_AUDIT_ANSWERED, NULL,
		    NULL, 0), 0);
	}
	cr_assert_eq(open_fds(), before + 1, "the log stays open between records");
	struct stat st;
	cr_assert_eq(stat(app_audit_path(au), &st), 0);
	cr_assert_leq(st.st_size, 1024);
	snprintf(path, sizeof path, "%s.1", app_audit_path(au));
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_leq(st.st_size, 1024);
	char *text = files_read(app_audit_path(au), NULL);
	cr_assert(strstr(text, "number 59 of"), "%s", text);
	free(text);
	/* Another process rotates the log away: within a second or so the
	 * writer notices and begins a new file at the path. */
	cr_assert_eq(rename(app_audit_path(au), path), 0);
	bool found = false;
	for (int i = 0; i < 30 && !found; i++) {
		char cmd[64];
		snprintf(cmd, sizeof cmd, "say after the rename %d", i);
		cr_assert_eq(app_audit_write(au, 0, APP_AUDIT_ONESHOT, cmd, APP_AUDIT_ANSWERED, NULL,
		    NULL, 0), 0);
		found = stat(app_audit_path(au), &st) == 0;
		if (!found)
			usleep(100 * 1000);
	}
	cr_assert(found, "no new log at the path after 3 s");
	text = files_read(app_audit_path(au), NULL);
	cr_assert(strstr(text, "after the rename"), "%s", text);
	free(text);
	app_audit_keep_open(au, false);
	cr_assert_eq(open_fds(), before, "closed when no longer kept open");
	app_audit_free(au);
}

Test(audit_writer, per_record_by_default_holds_no_descriptor, .init = setup_dir,
    .fini = teardown_dir)
{
	char why[700];
	app_audit *au = app_audit_new(dir, "p", 0, why, sizeof why);
	cr_assert_not_null(au, "%s", why);
	int before = open_fds();
	cr_assert_eq(app_audit_write(au, 0, APP_AUDIT_CONSOLE, "say x", APP_AUDIT_ANSWERED, NULL,
	    NULL, 0), 0);
	cr_assert_eq(open_fds(), before);
	app_audit_free(au);
}

struct host_case {
	const char *host;
	bool loopback;
};

static const struct host_case host_cases[] = {
		{ "127.0.0.1", true }, { "127.8.9.10", true }, { "127.1", true }, { "::1", true },
		{ "::ffff:127.0.0.1", true }, { "localhost", true }, { "LOCALHOST.", true },
		{ "mc.localhost", true }, { "10.0.0.5", false }, { "192.0.2.2", false },
		{ "::", false }, { "0.0.0.0", false }, { "fd00::2", false },
		{ "::ffff:10.0.0.1", false }, { "mc.example.net", false },
		{ "notlocalhost", false }, { "localhost.example.net", false }, { "", false },
};

Test(cleartext, hosts)
{
	for (size_t i = 0; i < sizeof host_cases / sizeof host_cases[0]; i++)
		cr_assert_eq(app_cleartext_loopback(host_cases[i].host), host_cases[i].loopback, "%s",
		    host_cases[i].host);
}

Test(cleartext, warning_and_insecure_ok)
{
	rc_profile p;
	rc_profile_init(&p);
	p.name = "lobby";
	p.host = "10.0.0.5";
	char *w = app_cleartext_warning(&p);
	cr_assert_not_null(w);
	cr_assert(strstr(w, "10.0.0.5 is not a loopback address"), "%s", w);
	cr_assert(strstr(w, "unencrypted"), "%s", w);
	cr_assert(strstr(w, "ssh = \"user@host\""), "%s", w);
	cr_assert(strstr(w, "insecure_ok = true"), "%s", w);
	free(w);
	p.insecure_ok = true;
	cr_assert_null(app_cleartext_warning(&p));
	p.insecure_ok = false;
	p.host = "127.0.0.1";
	cr_assert_null(app_cleartext_warning(&p));
	/* Through a tunnel the traffic is ssh's (or the proxy's), not ours. */
	p.host = "10.0.0.5";
	p.ssh = "admin@mc1.example.net";
	cr_assert_null(app_cleartext_warning(&p));
	p.ssh = NULL;
	p.proxy_command = "socat - TCP:%h:%p";
	cr_assert_null(app_cleartext_warning(&p));
}

Test(audit_writer, open_keeps_the_log_open_before_any_record, .init = setup_dir,
    .fini = teardown_dir)
{
	char why[700];
	app_audit *au = app_audit_new(dir, "early", 0, why, sizeof why);
	cr_assert_not_null(au, "%s", why);
	int e = -1;
	cr_assert_eq(app_audit_open(au, &e), 0);
	cr_assert_eq(e, 0);
	struct stat st;
	cr_assert_eq(stat(app_audit_path(au), &st), 0, "the log exists once opened");
	cr_assert_eq(st.st_mode & 0777, 0600);
	cr_assert_eq(st.st_size, 0);
	/* Held open: a record needs no descriptor of its own any more. */
	struct rlimit rl, none;
	cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	none = rl;
	none.rlim_cur = 0;
	cr_assert_eq(setrlimit(RLIMIT_NOFILE, &none), 0);
	int rc = app_audit_write(au, 0, APP_AUDIT_ONESHOT, "seed", APP_AUDIT_ANSWERED, NULL,
	    "Seed: [1]", 9);
	cr_assert_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	cr_assert_eq(rc, 0);
	char *log = files_read(app_audit_path(au), NULL);
	cr_assert_not_null(log);
	cr_assert(strstr(log, "cmd=seed"), "%s", log);
	free(log);
	app_audit_free(au);
}

Test(audit_writer, open_out_of_descriptors_says_emfile, .init = setup_dir, .fini = teardown_dir)
{
	char why[700];
	app_audit *au = app_audit_new(dir, "nofd", 0, why, sizeof why);
	cr_assert_not_null(au, "%s", why);
	struct rlimit rl, none;
	cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	none = rl;
	none.rlim_cur = 0;
	cr_assert_eq(mkdir(strcat(strcpy(why, dir), "/log"), 0700), 0);
	cr_assert_eq(setrlimit(RLIMIT_NOFILE, &none), 0);
	int e = 0;
	int rc = app_audit_open(au, &e);
	cr_assert_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	cr_assert_eq(rc, RC_EIO);
	cr_assert_eq(e, EMFILE, "%s", strerror(e));
	const char *msg = app_audit_new_error(au);
	cr_assert_not_null(msg);
	cr_assert(strstr(msg, "Too many open files"), "%s", msg);
	app_audit_free(au);
}

Test(audit_writer, records_say_the_user_and_server_as_the_format_does, .init = setup_dir,
    .fini = teardown_dir)
{
	/* The writer formats its user and server fields once, at its start:
	 * a name that needs quoting and escaping is still written as
	 * app_audit_format writes it, in every record. */
	const char *server = "my \"big\" server\x1b";
	char why[700], state[128];
	snprintf(state, sizeof state, "%s/state", dir);
	app_audit *au = app_audit_new(state, server, 0, why, sizeof why);
	cr_assert_not_null(au, "%s", why);
	setenv("TZ", "UTC", 1);
	tzset();
	app_audit_record r = { .when = 5, .user = app_audit_user(), .server = server,
		.origin = APP_AUDIT_ONESHOT, .cmd = "list", .outcome = APP_AUDIT_UNKNOWN,
		.reason = "timed out" };
	char *want = app_audit_format(&r, NULL);
	cr_assert_not_null(want);
	for (int i = 0; i < 2; i++)
		cr_assert_eq(app_audit_write(au, 5, APP_AUDIT_ONESHOT, "list", APP_AUDIT_UNKNOWN,
		    "timed out", NULL, 0), 0);
	char *text = files_read(app_audit_path(au), NULL);
	size_t n = strlen(want);
	cr_assert(strlen(text) == 2 * n && !strncmp(text, want, n) && !strcmp(text + n, want),
	    "want twice:\n%s\ngot:\n%s", want, text);
	cr_assert(strstr(want, " server=\"my \\\"big\\\" server\\x1B\" "), "%s", want);
	free(text);
	free(want);
	app_audit_free(au);
}
