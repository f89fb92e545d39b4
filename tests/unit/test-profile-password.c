/* test-profile-password.c: password sources and their order, the
 * configuration path search, "~/" expansion, building profiles at run time
 * (init, add, remove, equal) and the mapping to connection options. */
#include <criterion/criterion.h>

#include <sys/wait.h>

#include "test-profile-util.h"
#include "rconsole/policy.h"

TestSuite(password, .init = fx_setup, .fini = fx_teardown);

/* Returns a profile named "srv" with the given sources (NULL = absent);
 * strings point at the arguments (the profile is not freed). */
static rc_profile make_profile(char *file, char *env, char *inline_pw)
{
	rc_profile p;
	rc_profile_init(&p);
	p.name = "srv";
	p.host = "h";
	p.password_file = file;
	p.password_env = env;
	p.password = inline_pw;
	return p;
}

/* Resolves p's password into out (freed by the caller); returns the code. */
static int resolve(const rc_profile *p, char **out)
{
	fx_err[0] = '\0';
	return rc_profile_password(p, out, fx_err, sizeof fx_err);
}

Test(password, file_first_line_without_newline_or_cr)
{
	char path[600];
	snprintf(path, sizeof path, "%s/pw", fx_dir);
	fx_write(path, "s3cret\r\nsecond line\n", 0600);
	rc_profile p = make_profile(path, NULL, NULL);
	char *pw = NULL;
	cr_assert_eq(resolve(&p, &pw), 0, "%s", fx_err);
	cr_assert_str_eq(pw, "s3cret");
	free(pw);
	fx_write(path, "no-newline", 0600);
	cr_assert_eq(resolve(&p, &pw), 0, "%s", fx_err);
	cr_assert_str_eq(pw, "no-newline");
	free(pw);
}

Test(password, file_missing_empty_or_unreadable_is_an_error_naming_it)
{
	char path[600];
	snprintf(path, sizeof path, "%s/pw", fx_dir);
	rc_profile p = make_profile(path, "PW_FALLBACK", "inline");
	setenv("PW_FALLBACK", "never-used", 1);
	char *pw = (char *)1;
	cr_assert_eq(resolve(&p, &pw), RC_ECONFIG, "a missing file fell through");
	cr_assert_null(pw);
	cr_assert(strstr(fx_err, path) && strstr(fx_err, "No such file"), "%s", fx_err);
	cr_assert(strstr(fx_err, "srv: "), "profile not named: %s", fx_err);

	fx_write(path, "", 0600);
	cr_assert_eq(resolve(&p, &pw), RC_ECONFIG);
	cr_assert(strstr(fx_err, path) && strstr(fx_err, "empty"), "%s", fx_err);
	fx_write(path, "\nsecond", 0600);
	cr_assert_eq(resolve(&p, &pw), RC_ECONFIG);
	cr_assert(strstr(fx_err, "empty"), "%s", fx_err);

	/* A directory is refused for root too. */
	cr_assert_eq(unlink(path), 0);
	cr_assert_eq(mkdir(path, 0700), 0);
	cr_assert_eq(resolve(&p, &pw), RC_ECONFIG);
	cr_assert(strstr(fx_err, path) && strstr(fx_err, "is not a regular file or a pipe"), "%s",
		  fx_err);
}

/* A device is no password file: /dev/zero read as a 4 KiB line of NULs
 * ("first line longer than 4096 bytes"), /dev/null as an empty line. */
Test(password, device_is_refused_as_not_a_file)
{
	static const char *const devs[] = { "/dev/zero", "/dev/null", "/dev/urandom" };
	for (size_t i = 0; i < sizeof devs / sizeof devs[0]; i++) {
		char *pw = (char *)1, warn[1200];
		cr_assert_eq(rc_password_file_load(devs[i], 0, &pw, fx_err, sizeof fx_err, warn,
						   sizeof warn), RC_ECONFIG, "%s", devs[i]);
		cr_assert_null(pw);
		char want[200];
		snprintf(want, sizeof want, "password file %s is not a regular file or a pipe",
			 devs[i]);
		cr_assert(strstr(fx_err, want), "%s", fx_err);
	}
}

Test(password, file_path_expands_home)
{
	setenv("HOME", fx_dir, 1);
	char path[600];
	snprintf(path, sizeof path, "%s/pw", fx_dir);
	fx_write(path, "from-home\n", 0600);
	rc_profile p = make_profile("~/pw", NULL, NULL);
	char *pw = NULL;
	cr_assert_eq(resolve(&p, &pw), 0, "%s", fx_err);
	cr_assert_str_eq(pw, "from-home");
	free(pw);
}

Test(password, file_longer_than_limit_is_refused)
{
	char path[600];
	snprintf(path, sizeof path, "%s/pw", fx_dir);
	char big[5000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	fx_write(path, big, 0600);
	char *pw = NULL;
	cr_assert_eq(rc_password_file_read(path, &pw, fx_err, sizeof fx_err), RC_ECONFIG);
	cr_assert(strstr(fx_err, "longer than 4096"), "%s", fx_err);
	cr_assert_null(strstr(fx_err, "xxxx"));
}

Test(password, env_set_unset_and_empty)
{
	rc_profile p = make_profile(NULL, "RC_TEST_PW", "inline");
	char *pw = NULL;
	setenv("RC_TEST_PW", "from-env", 1);
	cr_assert_eq(resolve(&p, &pw), 0, "%s", fx_err);
	cr_assert_str_eq(pw, "from-env");
	free(pw);
	unsetenv("RC_TEST_PW");
	cr_assert_eq(resolve(&p, &pw), RC_ECONFIG, "an unset variable fell through");
	cr_assert(strstr(fx_err, "RC_TEST_PW is not set"), "%s", fx_err);
	setenv("RC_TEST_PW", "", 1);
	cr_assert_eq(resolve(&p, &pw), RC_ECONFIG);
	cr_assert(strstr(fx_err, "RC_TEST_PW is empty"), "%s", fx_err);
}

Test(password, order_is_file_then_env_then_inline)
{
	char path[600];
	snprintf(path, sizeof path, "%s/pw", fx_dir);
	fx_write(path, "from-file\n", 0600);
	setenv("RC_TEST_PW", "from-env", 1);
	char *pw = NULL;
	rc_profile p = make_profile(path, "RC_TEST_PW", "from-inline");
	cr_assert_eq(resolve(&p, &pw), 0);
	cr_assert_str_eq(pw, "from-file");
	free(pw);
	p = make_profile(NULL, "RC_TEST_PW", "from-inline");
	cr_assert_eq(resolve(&p, &pw), 0);
	cr_assert_str_eq(pw, "from-env");
	free(pw);
	p = make_profile(NULL, NULL, "from-inline");
	cr_assert_eq(resolve(&p, &pw), 0);
	cr_assert_str_eq(pw, "from-inline");
	free(pw);
	p = make_profile(NULL, NULL, "");
	cr_assert_eq(resolve(&p, &pw), 0, "an explicit empty inline password is what was written");
	cr_assert_str_eq(pw, "");
	free(pw);
	p = make_profile(NULL, NULL, NULL);
	cr_assert_eq(resolve(&p, &pw), RC_ENOENT);
	cr_assert_null(pw);
	cr_assert(strstr(fx_err, "no password"), "%s", fx_err);
}

Test(password, loader_warns_about_exposed_password_file_and_ignored_sources)
{
	char path[600], text[1400];
	snprintf(path, sizeof path, "%s/pw", fx_dir);
	fx_write(path, "x\n", 0644);
	snprintf(text, sizeof text,
		 "servers = (\n"
		 "  { name = \"a\"; host = \"h\"; password_file = \"%s\"; password_env = \"E\"; }\n"
		 ");\n", path);
	rc_config *cfg;
	cr_assert_eq(fx_load(text, 0600, &cfg), 0, "%s", fx_err);
	cr_assert_eq(cfg->n_warnings, 2);
	cr_assert(strstr(cfg->warnings[0], ":2: servers[0] (a): password_file is used; "
			 "password_env is ignored"), "%s", cfg->warnings[0]);
	char want[700];
	snprintf(want, sizeof want, "readable by group or others; run: chmod 600 %s", path);
	cr_assert(strstr(cfg->warnings[1], want), "%s", cfg->warnings[1]);
	rc_config_free(cfg);
	chmod(path, 0600);
	cr_assert_eq(rc_config_load(fx_conf, &cfg, fx_err, sizeof fx_err), 0, "%s", fx_err);
	cr_assert_eq(cfg->n_warnings, 1, "a 0600 password file is not reported");
	rc_config_free(cfg);
	/* The load judges by the same rule as the read (profile_password_mode):
	 * what reading will refuse is said as such, with the same words. */
	chmod(path, 0666);
	cr_assert_eq(rc_config_load(fx_conf, &cfg, fx_err, sizeof fx_err), 0, "%s", fx_err);
	cr_assert_eq(cfg->n_warnings, 2);
	char *pw = NULL, why[1200];
	cr_assert_eq(rc_password_file_load(path, 0, &pw, why, sizeof why, NULL, 0), RC_ECONFIG);
	cr_assert(strstr(why, "writable by everyone: refused; run: chmod 600"), "%s", why);
	cr_assert(strstr(cfg->warnings[1], why), "%s", cfg->warnings[1]);
	cr_assert(strstr(cfg->warnings[1], ":2: servers[0] (a): password file "), "%s",
	    cfg->warnings[1]);
	rc_config_free(cfg);
	chmod(path, 0640);
	char warn[1200];
	cr_assert_eq(rc_password_file_load(path, 0, &pw, why, sizeof why, warn, sizeof warn), 0);
	free(pw);
	cr_assert_eq(rc_config_load(fx_conf, &cfg, fx_err, sizeof fx_err), 0, "%s", fx_err);
	cr_assert_eq(cfg->n_warnings, 2);
	cr_assert(strstr(cfg->warnings[1], warn), "%s | %s", cfg->warnings[1], warn);
	rc_config_free(cfg);
	/* A missing file is the read's to report, not the load's. */
	unlink(path);
	cr_assert_eq(rc_config_load(fx_conf, &cfg, fx_err, sizeof fx_err), 0, "%s", fx_err);
	cr_assert_eq(cfg->n_warnings, 1);
	rc_config_free(cfg);
}

Test(password, config_path_search_order)
{
	char buf[512];
	setenv("HOME", "/home/u", 1);
	setenv("XDG_CONFIG_HOME", "/xdg", 1);
	setenv("RCONSOLE_CONFIG", "/env/rc.conf", 1);
	cr_assert_str_eq(rc_config_path("/explicit.conf", buf, sizeof buf), "/explicit.conf");
	cr_assert_str_eq(rc_config_path("~/x.conf", buf, sizeof buf), "/home/u/x.conf");
	cr_assert_str_eq(rc_config_path(NULL, buf, sizeof buf), "/env/rc.conf");
	unsetenv("RCONSOLE_CONFIG");
	cr_assert_str_eq(rc_config_path(NULL, buf, sizeof buf), "/xdg/rconsole/rconsole.conf");
	setenv("XDG_CONFIG_HOME", "relative/dir", 1);
	cr_assert_str_eq(rc_config_path(NULL, buf, sizeof buf),
			 "/home/u/.config/rconsole/rconsole.conf", "a relative XDG dir is ignored");
	unsetenv("XDG_CONFIG_HOME");
	cr_assert_str_eq(rc_config_path("", buf, sizeof buf),
			 "/home/u/.config/rconsole/rconsole.conf");
	cr_assert_null(rc_config_path(NULL, buf, 10), "truncation is an error");
	unsetenv("HOME");
	const char *p = rc_config_path(NULL, buf, sizeof buf);
	if (p) {
		size_t n = strlen(p), m = strlen("/.config/rconsole/rconsole.conf");
		cr_assert(n > m && strcmp(p + n - m, "/.config/rconsole/rconsole.conf") == 0, "%s", p);
	}
}

Test(password, expand_home)
{
	char buf[64];
	setenv("HOME", "/home/u", 1);
	cr_assert_str_eq(rc_expand_home("~/a/b", buf, sizeof buf), "/home/u/a/b");
	cr_assert_str_eq(rc_expand_home("~", buf, sizeof buf), "/home/u");
	cr_assert_str_eq(rc_expand_home("~other/x", buf, sizeof buf), "~other/x");
	cr_assert_str_eq(rc_expand_home("/abs/~/x", buf, sizeof buf), "/abs/~/x");
	cr_assert_str_eq(rc_expand_home("rel", buf, sizeof buf), "rel");
	cr_assert_null(rc_expand_home("~/0123456789", buf, 12));
}

Test(password, load_with_null_path_uses_the_search_order)
{
	setenv("RCONSOLE_CONFIG", fx_conf, 1);
	fx_write(fx_conf, "refresh = 11;\n", 0600);
	rc_config *cfg;
	cr_assert_eq(rc_config_load(NULL, &cfg, fx_err, sizeof fx_err), 0, "%s", fx_err);
	cr_assert_str_eq(cfg->path, fx_conf);
	cr_assert_eq(cfg->refresh, 11);
	rc_config_free(cfg);
}

Test(password, add_validates_and_copies)
{
	rc_config *cfg = rc_config_new(fx_conf);
	cr_assert_not_null(cfg);
	char name[] = "new", host[] = "example.org", tag[] = "prod";
	char *tags[] = { tag, NULL };
	rc_profile p;
	rc_profile_init(&p);
	p.name = name;
	p.host = host;
	p.tags = tags;
	p.n_tags = 1;
	p.line = 42;
	cr_assert_eq(rc_config_add(cfg, &p, fx_err, sizeof fx_err), 0, "%s", fx_err);
	name[0] = 'X';
	tag[0] = 'X';
	rc_profile *q = rc_config_find(cfg, "new");
	cr_assert_not_null(q, "the profile was not copied");
	cr_assert_str_eq(q->tags[0], "prod");
	cr_assert_null(q->tags[1]);
	cr_assert_str_eq(q->list_command, "list");
	cr_assert_eq(q->line, 0);
	cr_assert_eq(q->port, RC_DEFAULT_PORT);
	name[0] = 'n';
	tag[0] = 'p';
	cr_assert(rc_profile_equal(&p, q));
	cr_assert_eq(rc_config_add(cfg, &p, fx_err, sizeof fx_err), RC_EINVAL);
	cr_assert(strstr(fx_err, "already exists"), "%s", fx_err);

	rc_profile bad = p;
	bad.name = "two words";
	cr_assert_eq(rc_config_add(cfg, &bad, fx_err, sizeof fx_err), RC_EINVAL);
	cr_assert(strstr(fx_err, "name: must be"), "%s", fx_err);
	bad = p;
	bad.name = "other";
	bad.port = 70000;
	cr_assert_eq(rc_config_add(cfg, &bad, fx_err, sizeof fx_err), RC_EINVAL);
	cr_assert(strstr(fx_err, "profile other: port: expected an integer 1-65535"), "%s", fx_err);
	bad.port = 1;
	bad.host = NULL;
	cr_assert_eq(rc_config_add(cfg, &bad, fx_err, sizeof fx_err), RC_EINVAL);
	cr_assert(strstr(fx_err, "host: is required"), "%s", fx_err);
	bad.host = "h";
	bad.dialect = (rc_dialect)7;
	cr_assert_eq(rc_config_add(cfg, &bad, fx_err, sizeof fx_err), RC_EINVAL);
	cr_assert(strstr(fx_err, "dialect"), "%s", fx_err);
	cr_assert_eq(cfg->n_servers, 1);

	cr_assert_eq(rc_config_remove(cfg, "nope"), RC_ENOENT);
	cr_assert_eq(rc_config_remove(cfg, "new"), 0);
	cr_assert_eq(cfg->n_servers, 0);
	cr_assert_null(rc_config_find(cfg, "new"));
	rc_config_free(cfg);
	rc_config_free(NULL);
}

Test(password, equal_tells_profiles_apart)
{
	rc_profile a, b;
	rc_profile_init(&a);
	rc_profile_init(&b);
	a.name = b.name = "n";
	a.host = b.host = "h";
	cr_assert(rc_profile_equal(&a, &b));
	b.list_command = "list";
	cr_assert(rc_profile_equal(&a, &b), "NULL list_command means \"list\"");
	b.read_only = true;
	cr_assert_not(rc_profile_equal(&a, &b));
	b.read_only = false;
	char *none[] = { NULL };
	b.readonly_allow = none;
	cr_assert_not(rc_profile_equal(&a, &b), "an empty allowlist is not the default one");
	b.readonly_allow = NULL;
	b.timeout = 3;
	cr_assert_not(rc_profile_equal(&a, &b));
}

Test(password, conn_opts_from_profile)
{
	char *allow[] = { "list", "tps", NULL };
	rc_profile p;
	rc_profile_init(&p);
	p.name = "lobby";
	p.host = "10.0.0.5";
	p.port = 25580;
	p.dialect = RC_DIALECT_SOURCE;
	p.fragments = RC_FRAG_NONE;
	p.timeout = 7;
	p.read_only = true;
	p.readonly_allow = allow;
	p.n_allow = 2;
	rc_conn_opts o;
	memset(&o, 0, sizeof o);
	o.command_timeout_ms = 10000;
	char port[8];
	rc_profile_conn_opts(&p, &o, port, sizeof port);
	cr_assert_str_eq(o.host, "10.0.0.5");
	cr_assert_str_eq(o.port, "25580");
	cr_assert_str_eq(o.name, "lobby");
	cr_assert_eq(o.dialect, RC_DIALECT_SOURCE);
	cr_assert_eq(o.fragments, RC_FRAG_NONE);
	cr_assert_eq(o.command_timeout_ms, 7000);
	cr_assert(o.read_only);
	cr_assert_eq(o.allow, (const char *const *)allow);
	cr_assert_eq(o.n_allow, 2);

	rc_profile d;
	rc_profile_init(&d);
	d.name = "d";
	d.host = "h";
	memset(&o, 0, sizeof o);
	o.command_timeout_ms = 10000;
	o.read_only = true;
	rc_profile_conn_opts(&d, &o, port, sizeof port);
	cr_assert_str_eq(o.port, "25575");
	cr_assert_eq(o.command_timeout_ms, 10000, "no timeout in the profile keeps the default");
	cr_assert(o.read_only, "a profile never turns read-only off");
	cr_assert_null(o.allow);
	rc_profile_conn_opts(&d, &o, port, 3);
	cr_assert_null(o.port, "a port that does not fit is not truncated");
}

/* Counts a NULL-terminated list. */
static size_t list_len(const char *const *l)
{
	size_t n = 0;
	while (l && l[n])
		n++;
	return n;
}

Test(password, conn_allow_widens_only_for_a_read_only_profile)
{
	char *allow[] = { "op *", "list", "time query *", NULL };
	rc_profile p;
	rc_profile_init(&p);
	p.name = "wide";
	p.host = "h";
	p.readonly_allow = allow;
	p.n_allow = 3;
	rc_conn_opts o;
	memset(&o, 0, sizeof o);
	o.read_only = true;                       /* from --read-only */
	char port[8];
	rc_profile_conn_opts(&p, &o, port, sizeof port);
	cr_assert_null(o.allow, "until the intersection is computed, the default applies");
	char **owned = NULL;
	cr_assert_eq(rc_profile_conn_allow(&p, &o, &owned), 0);
	cr_assert_eq(o.allow, (const char *const *)owned);
	cr_assert_eq(list_len(o.allow), 4, "list and the three time query forms");
	cr_assert_not(rc_policy_allows(o.allow, 0, "op bob"));
	cr_assert(rc_policy_allows(o.allow, list_len(o.allow), "list"));
	cr_assert_not(rc_policy_allows(o.allow, list_len(o.allow), "seed"));
	rc_policy_list_free(owned);

	p.read_only = true;                       /* the profile's own choice */
	memset(&o, 0, sizeof o);
	rc_profile_conn_opts(&p, &o, port, sizeof port);
	cr_assert_eq(o.allow, (const char *const *)allow);
	cr_assert_eq(rc_profile_conn_allow(&p, &o, &owned), 0);
	cr_assert_eq(list_len(o.allow), 3);
	cr_assert(rc_policy_allows(o.allow, 3, "op bob"));
	rc_policy_list_free(owned);
}

/* Without a readonly_allow the default is in force: no copy is made, and
 * the connection applies the default itself (NULL). */
Test(password, conn_allow_without_a_list_is_the_default_uncopied)
{
	rc_profile p;
	rc_profile_init(&p);
	p.name = "plain";
	p.host = "h";
	rc_conn_opts o;
	memset(&o, 0, sizeof o);
	o.read_only = true;
	char port[8];
	rc_profile_conn_opts(&p, &o, port, sizeof port);
	char **owned = (char **)&p;    /* must be overwritten */
	cr_assert_eq(rc_profile_conn_allow(&p, &o, &owned), 0);
	cr_assert_null(owned);
	cr_assert_null(o.allow);
	cr_assert(rc_policy_allows(o.allow, 0, "list"));
	cr_assert_not(rc_policy_allows(o.allow, 0, "op bob"));
}

/* ---- the mode check every password file gets ---- */

Test(password, file_readable_by_others_warns_with_the_chmod_to_run)
{
	char path[600], warn[1200] = "x";
	snprintf(path, sizeof path, "%s/pw", fx_dir);
	fx_write(path, "s3cret\n", 0644);
	char *pw = NULL;
	cr_assert_eq(rc_password_file_load(path, 0, &pw, fx_err, sizeof fx_err, warn, sizeof warn),
	    0, "%s", fx_err);
	cr_assert_str_eq(pw, "s3cret");
	free(pw);
	char want[1400];
	snprintf(want, sizeof want, "password file %s is readable by group or others; "
	    "run: chmod 600 %s", path, path);
	cr_assert_str_eq(warn, want);
	chmod(path, 0640);
	cr_assert_eq(rc_password_file_load(path, 0, &pw, fx_err, sizeof fx_err, warn, sizeof warn), 0);
	cr_assert(strstr(warn, "chmod 600"), "group-readable warns too: %s", warn);
	free(pw);
	chmod(path, 0600);
	cr_assert_eq(rc_password_file_load(path, 0, &pw, fx_err, sizeof fx_err, warn, sizeof warn), 0);
	cr_assert_str_eq(warn, "", "0600 is quiet");
	free(pw);
	/* A profile's password_file gets the same check. */
	chmod(path, 0604);
	rc_profile p = make_profile(path, NULL, NULL);
	cr_assert_eq(rc_profile_password_load(&p, 0, &pw, fx_err, sizeof fx_err, warn, sizeof warn), 0);
	cr_assert(strstr(warn, "chmod 600"), "%s", warn);
	free(pw);
}

Test(password, file_writable_by_everyone_is_refused)
{
	char path[600], warn[1200];
	snprintf(path, sizeof path, "%s/my pw", fx_dir);
	fx_write(path, "s3cret\n", 0600);
	chmod(path, 0666);
	char *pw = (char *)1;
	cr_assert_eq(rc_password_file_load(path, 0, &pw, fx_err, sizeof fx_err, warn, sizeof warn),
	    RC_ECONFIG);
	cr_assert_null(pw);
	char want[700];
	snprintf(want, sizeof want, "is writable by everyone: refused; run: chmod 600 '%s'", path);
	cr_assert(strstr(fx_err, want), "%s", fx_err);
	cr_assert_null(strstr(fx_err, "s3cret"), "the secret never appears in a message");
	rc_profile p = make_profile(path, "PW_FALLBACK", NULL);
	setenv("PW_FALLBACK", "never-used", 1);
	cr_assert_eq(resolve(&p, &pw), RC_ECONFIG, "refused, and no fall-through");
	cr_assert(strstr(fx_err, "srv: password file") && strstr(fx_err, "writable by everyone"),
	    "%s", fx_err);
	cr_assert_eq(rc_password_file_read(path, &pw, fx_err, sizeof fx_err), RC_ECONFIG);
}

Test(password, fifo_without_a_writer_never_blocks)
{
	char path[600], warn[1200];
	snprintf(path, sizeof path, "%s/fifo", fx_dir);
	cr_assert_eq(mkfifo(path, 0600), 0);
	char *pw = (char *)1;
	/* Inside the loop: refused outright, naming the file. */
	cr_assert_eq(rc_password_file_load(path, RC_PWFILE_REGULAR, &pw, fx_err, sizeof fx_err, warn,
	    sizeof warn), RC_ECONFIG);
	cr_assert_null(pw);
	cr_assert(strstr(fx_err, path) && strstr(fx_err, "not a regular file"), "%s", fx_err);
	rc_profile p = make_profile(path, NULL, NULL);
	cr_assert_eq(rc_profile_password_load(&p, RC_PWFILE_REGULAR, &pw, fx_err, sizeof fx_err,
	    warn, sizeof warn), RC_ECONFIG);
	/* Before the loop: with no writer the FIFO reads as empty at once
	 * (Criterion's timeout catches a hang). */
	cr_assert_eq(rc_password_file_load(path, 0, &pw, fx_err, sizeof fx_err, warn, sizeof warn),
	    RC_ECONFIG);
	cr_assert(strstr(fx_err, "empty first line"), "%s", fx_err);
}

Test(password, pipe_is_read_blocking_before_the_loop)
{
	int fds[2];
	cr_assert_eq(pipe(fds), 0);
	char path[64], warn[1200];
	snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		usleep(200 * 1000);   /* the reader must wait for it, not see EOF or EAGAIN */
		(void)!write(fds[1], "piped\n", 6);
		_exit(0);
	}
	close(fds[1]);
	char *pw = NULL;
	cr_assert_eq(rc_password_file_load(path, 0, &pw, fx_err, sizeof fx_err, warn, sizeof warn), 0,
	    "%s", fx_err);
	cr_assert_str_eq(pw, "piped");
	cr_assert_str_eq(warn, "");
	free(pw);
	close(fds[0]);
	waitpid(pid, NULL, 0);
}

/* A password file saved by Notepad opens with a UTF-8 byte order mark: it
 * is no part of the password (before, it was sent with it and the login
 * failed with only "wrong password"); found by the QA helper. */
Test(password, a_byte_order_mark_opening_the_file_is_dropped)
{
	char path[600];
	snprintf(path, sizeof path, "%s/pw", fx_dir);
	fx_write(path, "\xef\xbb\xbf" "secret\r\n", 0600);
	char *pw = NULL;
	cr_assert_eq(rc_password_file_read(path, &pw, fx_err, sizeof fx_err), 0, "%s", fx_err);
	cr_assert_str_eq(pw, "secret");
	free(pw);
	fx_write(path, "\xef\xbb\xbf\n", 0600);
	pw = NULL;
	cr_assert_eq(rc_password_file_read(path, &pw, fx_err, sizeof fx_err), RC_ECONFIG);
	cr_assert(strstr(fx_err, "empty first line"), "%s", fx_err);
	/* Only at the start: elsewhere the bytes are the password's. */
	fx_write(path, "se\xef\xbb\xbf" "cret\n", 0600);
	pw = NULL;
	cr_assert_eq(rc_password_file_read(path, &pw, fx_err, sizeof fx_err), 0, "%s", fx_err);
	cr_assert_str_eq(pw, "se\xef\xbb\xbf" "cret");
	free(pw);
}
